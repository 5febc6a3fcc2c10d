use super::*;

fn url(s: &str) -> Url {
    parse_url(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn parses_the_three_url_forms() {
    assert_eq!(
        url("imap://alice@127.0.0.1:1143"),
        Url {
            user: Some("alice".into()),
            host: "127.0.0.1".into(),
            port: 1143,
            security: Security::Plain
        }
    );
    assert_eq!(url("imaps://bob@localhost").port, 993);
    assert_eq!(url("imaps://bob@localhost").security, Security::Tls);
    assert_eq!(
        url("imap://u@h:10143/?starttls").security,
        Security::StartTls
    );
    assert_eq!(url("imap://[::1]:143").host, "::1");
    assert_eq!(url("imap://a%40b@h").user.as_deref(), Some("a@b"));
}

#[test]
fn refuses_bad_urls_and_passwords_in_urls() {
    for bad in [
        "imap://u:secret@h",
        "http://h",
        "imap://h:port",
        "imaps://h?starttls",
        "imap://",
        "imap://[::1",
    ] {
        assert!(parse_url(bad).is_err(), "{bad} was accepted");
    }
    let err = parse_url("imap://u:secret@h").unwrap_err().to_string();
    assert!(!err.contains("secret") || err.contains("imap://u:secret@h"));
    assert!(err.contains("IMAPGATE_PASSWORD"));
}

#[test]
fn secret_never_prints() {
    let s = Secret::new("hunter2");
    assert_eq!(format!("{s:?}"), "***");
    let target_debug = format!(
        "{:?}",
        Target {
            name: "t".into(),
            endpoint: Endpoint {
                host: "h".into(),
                port: 1,
                security: Security::Plain,
                tls: TlsSettings::default()
            },
            user: "u".into(),
            password: s,
            recipe: None,
        }
    );
    assert!(!target_debug.contains("hunter2"));
}

#[test]
fn url_target_needs_a_password_from_the_environment() {
    let sel = Selection {
        target: "imap://u@127.0.0.1:1".into(),
        ..Selection::default()
    };
    let err = resolve(&sel, &Config::default(), Path::new("/nonexistent")).unwrap_err();
    assert!(matches!(err, TargetError::NoPassword { .. }), "{err}");
    let sel = Selection {
        password_env: Some("pw".into()),
        ..sel
    };
    let t = resolve(&sel, &Config::default(), Path::new("/nonexistent")).unwrap();
    assert_eq!(
        (t.user.as_str(), t.password.expose(), t.endpoint.port),
        ("u", "pw", 1)
    );
}

#[test]
fn config_targets_carry_tls_settings_and_password_files() {
    let dir = std::env::temp_dir().join(format!("imapgate-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pw = dir.join("pw");
    std::fs::write(&pw, "s3cret\n").unwrap();
    let config: Config = toml::from_str(&format!(
        "[targets.lab]\nurl = \"imaps://carol@127.0.0.1:993\"\npassword_file = {:?}\ninsecure_tls = true\n",
        pw.display().to_string()
    ))
    .unwrap();
    let sel = Selection {
        target: "lab".into(),
        ..Selection::default()
    };
    let t = resolve(&sel, &config, Path::new("/nonexistent")).unwrap();
    assert_eq!(t.password.expose(), "s3cret");
    assert!(t.endpoint.tls.insecure);
    assert_eq!(t.endpoint.security, Security::Tls);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_names_say_what_was_tried() {
    let sel = Selection {
        target: "nosuch".into(),
        ..Selection::default()
    };
    let err = resolve(&sel, &Config::default(), Path::new("/nonexistent"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("targets/nosuch/manifest.toml"), "{err}");
}
