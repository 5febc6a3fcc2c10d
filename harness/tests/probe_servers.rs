//! `probe` against the six real servers, over plain TCP, implicit TLS and STARTTLS wherever
//! the server offers them. Each test starts its own instance from the recipe.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use imapgate::run::login::AuthMethod;
use imapgate::run::probe::{ProbeReport, probe};
use imapgate::run::recipe::Recipe;
use imapgate::run::target::{Selection, from_recipe};
use imapgate::run::transport::{Security, Timeouts};

async fn probe_with(recipe: &Recipe, security: Security, auth: AuthMethod) -> ProbeReport {
    let sel = Selection {
        target: recipe.manifest.name.clone(),
        security: Some(security),
        ..Selection::default()
    };
    let target = from_recipe(&sel, recipe.clone()).expect("target from recipe");
    probe(&target, auth, Timeouts::default()).await
}

fn set(caps: &[String]) -> BTreeSet<String> {
    caps.iter().map(|c| c.to_ascii_uppercase()).collect()
}

/// The capabilities that depend on the connection's security rather than on the server:
/// manifests record a plain connection, where STARTTLS is offered and Cyrus says
/// LOGINDISABLED; inside TLS the servers drop or add these.
fn without_tls_dependent(caps: &[String]) -> BTreeSet<String> {
    set(caps)
        .into_iter()
        .filter(|c| c != "STARTTLS" && c != "LOGINDISABLED" && !c.starts_with("AUTH="))
        .collect()
}

/// Probe every transport the recipe offers and check the report against the manifest.
async fn probe_all_transports(name: &str, port_offset: u16) {
    let Some(server) = support::start(name, port_offset) else {
        return;
    };
    let m = &server.recipe.manifest;
    let mut modes = vec![Security::Plain];
    if m.starttls {
        modes.push(Security::StartTls);
    }
    if m.tls_port.is_some() {
        modes.push(Security::Tls);
    }
    for security in modes {
        let report = probe_with(&server.recipe, security, AuthMethod::Auto).await;
        let context = format!("{name} over {security:?}: {report:#?}");
        assert!(report.harness_error.is_none(), "{context}");
        assert!(report.findings.is_empty(), "{context}");
        assert_eq!(
            report.login.as_ref().map(|l| l.status.as_str()),
            Some("OK"),
            "{context}"
        );
        if security == Security::Plain {
            assert_eq!(
                set(&report.capabilities_post_auth),
                set(&m.capabilities_post_auth),
                "{context}"
            );
        } else {
            let got = without_tls_dependent(&report.capabilities_post_auth);
            assert_eq!(
                got,
                without_tls_dependent(&m.capabilities_post_auth),
                "{context}"
            );
        }
        assert_eq!(
            report.delimiter.as_deref(),
            Some(m.delimiter.as_str()),
            "{context}"
        );
        assert_eq!(
            report.tls.is_some(),
            security != Security::Plain,
            "{context}"
        );
        if security == Security::Plain {
            assert_eq!(
                set(&report.capabilities_pre_auth),
                set(&m.capabilities_pre_auth),
                "{context}"
            );
        }
        let transcript = serde_json::to_string(&report.transcript).expect("json");
        assert!(
            !transcript.contains(&format!(" {}\\r\\n", m.password)),
            "password in transcript: {transcript}"
        );
    }
    let plain = probe_with(&server.recipe, Security::Plain, AuthMethod::Plain).await;
    assert_eq!(
        plain.login.as_ref().map(|l| l.status.as_str()),
        Some("OK"),
        "{name} AUTHENTICATE PLAIN: {plain:#?}"
    );
}

#[tokio::test]
async fn dovecot() {
    probe_all_transports("dovecot", 200).await;
}

#[tokio::test]
async fn cyrus() {
    probe_all_transports("cyrus", 200).await;
}

#[tokio::test]
async fn courier() {
    probe_all_transports("courier", 200).await;
}

#[tokio::test]
async fn pymap() {
    probe_all_transports("pymap", 200).await;
}

#[tokio::test]
async fn hoodiecrow() {
    probe_all_transports("hoodiecrow", 200).await;
}

#[tokio::test]
async fn goimap() {
    probe_all_transports("goimap", 200).await;
}

/// A self-signed certificate is refused unless configured, and the error names the settings.
#[tokio::test]
async fn self_signed_certificate_is_refused_with_the_setting_to_use() {
    let Some(server) = support::start("dovecot", 300) else {
        return;
    };
    let m = &server.recipe.manifest;
    let url = format!(
        "imaps://user1@127.0.0.1:{}",
        m.tls_port.expect("dovecot has TLS")
    );
    let sel = Selection {
        target: url,
        password_env: Some(m.password.clone()),
        ..Selection::default()
    };
    let config = imapgate::run::target::Config::default();
    let target =
        imapgate::run::target::resolve(&sel, &config, std::path::Path::new("/nonexistent"))
            .expect("url target");
    let report = probe(&target, AuthMethod::Auto, Timeouts::default()).await;
    let err = report.harness_error.expect("refused");
    assert!(
        err.contains("--ca-file") && err.contains("insecure_tls = true"),
        "{err}"
    );
}
