//! The probe against hostile peers: each ends within its timeout with a clear finding.

use std::time::Duration;

use super::*;
use crate::run::target::Secret;
use crate::run::testpeer::{Act, peer};
use crate::run::tls::TlsSettings;
use crate::run::transport::Endpoint;

fn target(port: u16) -> Target {
    Target {
        name: "hostile".into(),
        endpoint: Endpoint {
            host: "127.0.0.1".into(),
            port,
            security: Security::Plain,
            tls: TlsSettings::default(),
        },
        user: "u".into(),
        password: Secret::new("s3cret-pw"),
        recipe: None,
    }
}

async fn probe_peer(script: Vec<Act>) -> ProbeReport {
    let port = peer(script, None).await;
    let ms = Duration::from_millis(300);
    probe(
        &target(port),
        AuthMethod::Login,
        Timeouts {
            connect: ms,
            greeting: ms,
            response: ms,
        },
    )
    .await
}

fn summaries(r: &ProbeReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.summary.as_str()).collect()
}

#[tokio::test]
async fn no_greeting_is_a_finding() {
    let r = probe_peer(vec![Act::Hang]).await;
    assert_eq!(
        summaries(&r),
        ["server stopped answering during the greeting"]
    );
    assert!(r.harness_error.is_none());
}

#[tokio::test]
async fn garbage_greeting_is_diagnosed() {
    let r = probe_peer(vec![Act::Send(b"\x00\x01HELLO\r\n"), Act::Hang]).await;
    assert_eq!(
        summaries(&r),
        ["malformed greeting (RFC 3501 §7.1, greeting rule)"]
    );
    assert!(
        r.findings[0].detail.contains("\\x00"),
        "{}",
        r.findings[0].detail
    );
}

#[tokio::test]
async fn closing_mid_literal_is_a_finding_naming_the_command() {
    let script = vec![
        Act::Send(b"* OK hi\r\n"),
        Act::Read(18),
        Act::Send(b"* CAPABILITY IMAP4rev1 {50}\r\nabc"),
    ];
    let r = probe_peer(script).await;
    assert_eq!(
        summaries(&r),
        ["server stopped answering during CAPABILITY"]
    );
    assert!(
        r.findings[0]
            .detail
            .contains("short of the announced literal"),
        "{}",
        r.findings[0].detail
    );
}

#[tokio::test]
async fn a_reset_connection_is_a_finding_not_a_harness_error() {
    // The peer closes with our command unread: the kernel answers with a reset.
    let r = probe_peer(vec![Act::Send(b"* OK hi\r\n"), Act::Read(5)]).await;
    assert!(r.harness_error.is_none(), "{:?}", r.harness_error);
    assert_eq!(
        summaries(&r),
        ["server stopped answering during CAPABILITY"]
    );
}

#[tokio::test]
async fn bye_greeting_is_a_refusal() {
    let r = probe_peer(vec![Act::Send(b"* BYE too busy\r\n")]).await;
    assert_eq!(summaries(&r), ["server refused the connection with BYE"]);
}

#[tokio::test]
async fn unreachable_target_is_a_harness_error_not_a_finding() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let ms = Duration::from_millis(300);
    let r = probe(
        &target(port),
        AuthMethod::Login,
        Timeouts {
            connect: ms,
            greeting: ms,
            response: ms,
        },
    )
    .await;
    assert!(r.findings.is_empty());
    assert!(
        r.harness_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot connect")),
        "{:?}",
        r.harness_error
    );
}

#[tokio::test]
async fn the_password_never_reaches_the_transcript() {
    let script = vec![
        Act::Send(b"* OK hi\r\n"),
        Act::Read(18),
        Act::Send(b"* CAPABILITY IMAP4rev1\r\nP0001 OK done\r\n"),
        Act::Read(24),
        Act::Send(b"P0002 NO [AUTHENTICATIONFAILED] bad s3cret-pw\r\n"),
    ];
    let r = probe_peer(script).await;
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("s3cret-pw"), "{json}");
    assert!(json.contains("<redacted>"), "{json}");
    assert_eq!(summaries(&r), ["login refused"]);
}
