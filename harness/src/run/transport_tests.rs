//! Transport tests against scripted loopback peers (fakes are for runner unit tests only;
//! real servers are exercised by the integration tests).

use std::time::Duration;

use super::*;
use crate::run::testpeer::{Act, cert, peer};

fn endpoint(port: u16, security: Security, tls: TlsSettings) -> Endpoint {
    Endpoint {
        host: "127.0.0.1".into(),
        port,
        security,
        tls,
    }
}

/// A plain or TLS connection to the scripted peer on `port`, with short deadlines.
async fn open(port: u16, security: Security, tls: TlsSettings) -> Connection {
    Connection::open(
        &endpoint(port, security, tls),
        short(),
        FrameLimits::default(),
    )
    .await
    .unwrap()
}

fn short() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        greeting: Duration::from_secs(2),
        response: Duration::from_millis(300),
    }
}

fn with_ca(pem: &str) -> (TlsSettings, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!(
        "imapgate-ca-{}-{}.pem",
        std::process::id(),
        pem.len()
    ));
    std::fs::write(&path, pem).unwrap();
    (
        TlsSettings {
            ca_file: Some(path.clone()),
            insecure: false,
            server_name: Some("localhost".into()),
        },
        path,
    )
}

#[tokio::test]
async fn a_silent_server_times_out_naming_what_we_waited_for() {
    let port = peer(vec![Act::Hang], None).await;
    let mut conn = open(port, Security::Plain, TlsSettings::default()).await;
    let err = conn.read("the greeting").await.unwrap_err();
    assert!(matches!(err, TransportError::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("the greeting"));
}

#[tokio::test]
async fn closing_mid_literal_is_reported_as_truncated() {
    let port = peer(
        vec![Act::Send(
            b"* OK hi\r\n* 1 FETCH (BODY[] {100}\r\nonly a little",
        )],
        None,
    )
    .await;
    let mut conn = open(port, Security::Plain, TlsSettings::default()).await;
    assert_eq!(
        conn.read("greeting").await.unwrap(),
        Incoming::Frame(b"* OK hi\r\n".to_vec())
    );
    let err = conn.read("the FETCH response").await.unwrap_err();
    assert!(matches!(err, TransportError::Closed { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("87 bytes short of the announced literal"),
        "{err}"
    );
}

#[tokio::test]
async fn garbage_is_framed_not_judged() {
    let port = peer(vec![Act::Send(b"\x00\xffgarbage\r\n"), Act::Hang], None).await;
    let mut conn = open(port, Security::Plain, TlsSettings::default()).await;
    assert_eq!(
        conn.read("greeting").await.unwrap(),
        Incoming::Frame(b"\x00\xffgarbage\r\n".to_vec())
    );
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_with_a_hint() {
    let c = cert();
    let port = peer(vec![Act::Tls, Act::Send(b"* OK tls\r\n")], Some(c.acceptor)).await;
    let err = Connection::open(
        &endpoint(port, Security::Tls, TlsSettings::default()),
        short(),
        FrameLimits::default(),
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, TransportError::Handshake { .. }), "{text}");
    assert!(
        text.contains("--ca-file") && text.contains("insecure_tls = true"),
        "{text}"
    );
}

#[tokio::test]
async fn implicit_tls_with_the_ca_file_verifies_and_reports_parameters() {
    let c = cert();
    let (tls, path) = with_ca(&c.pem);
    let port = peer(vec![Act::Tls, Act::Send(b"* OK tls\r\n")], Some(c.acceptor)).await;
    let mut conn = open(port, Security::Tls, tls).await;
    assert_eq!(
        conn.read("greeting").await.unwrap(),
        Incoming::Frame(b"* OK tls\r\n".to_vec())
    );
    let info = conn.tls_info().unwrap();
    assert!(info.version.starts_with("TLSv1"), "{info:?}");
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn insecure_setting_accepts_an_unverified_certificate() {
    let c = cert();
    let port = peer(vec![Act::Tls, Act::Send(b"* OK tls\r\n")], Some(c.acceptor)).await;
    let tls = TlsSettings {
        insecure: true,
        server_name: Some("localhost".into()),
        ..TlsSettings::default()
    };
    let mut conn = open(port, Security::Tls, tls).await;
    assert_eq!(
        conn.read("greeting").await.unwrap(),
        Incoming::Frame(b"* OK tls\r\n".to_vec())
    );
}

#[tokio::test]
async fn starttls_discards_and_returns_bytes_sent_before_the_handshake() {
    let c = cert();
    let (tls, path) = with_ca(&c.pem);
    let script = vec![
        Act::Send(b"* OK plain\r\n"),
        Act::Read(13),
        Act::Send(b"A1 OK Begin TLS\r\n* OK [ALERT] injected\r\n"),
        Act::Tls,
        Act::Send(b"* OK inside\r\n"),
    ];
    let port = peer(script, Some(c.acceptor)).await;
    let ep = endpoint(port, Security::StartTls, tls);
    let mut conn = Connection::open(&ep, short(), FrameLimits::default())
        .await
        .unwrap();
    assert_eq!(
        conn.read("greeting").await.unwrap(),
        Incoming::Frame(b"* OK plain\r\n".to_vec())
    );
    conn.write(b"A1 STARTTLS\r\n").await.unwrap();
    assert_eq!(
        conn.read("STARTTLS").await.unwrap(),
        Incoming::Frame(b"A1 OK Begin TLS\r\n".to_vec())
    );
    let injected = conn.upgrade_tls(&ep).await.unwrap();
    assert_eq!(injected, b"* OK [ALERT] injected\r\n");
    assert_eq!(
        conn.read("inside").await.unwrap(),
        Incoming::Frame(b"* OK inside\r\n".to_vec())
    );
    std::fs::remove_file(path).unwrap();
}

/// What the server end of an in-memory pipe has received so far (never waits).
async fn arrived(server: &mut tokio::io::DuplexStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut buf = vec![0u8; 64 * 1024];
    match tokio::time::timeout(Duration::ZERO, server.read(&mut buf)).await {
        Ok(Ok(n)) => buf[..n].to_vec(),
        _ => Vec::new(),
    }
}

/// A corked connection over an in-memory pipe, and the pipe's server end.
fn corked_pipe() -> (Connection, tokio::io::DuplexStream) {
    let (client, server) = tokio::io::duplex(1 << 20);
    let mut conn = Connection::in_memory(client, short(), FrameLimits::default());
    conn.cork();
    (conn, server)
}

#[tokio::test]
async fn corked_writes_leave_together_before_the_next_read() {
    let (mut conn, mut server) = corked_pipe();
    conn.write(b"a NOOP\r\n").await.unwrap();
    conn.write(b"b CHECK\r\n").await.unwrap();
    assert_eq!(arrived(&mut server).await, b"");
    // Waiting for a reply sends what was held first.
    let _ = conn.read_within(Duration::ZERO, "the replies").await;
    assert_eq!(arrived(&mut server).await, b"a NOOP\r\nb CHECK\r\n");
    // A long write is not copied into the hold; what was held goes before it.
    conn.write(b"c NOOP\r\n").await.unwrap();
    let long = vec![b'x'; HOLD_MAX + 1];
    conn.write(&long).await.unwrap();
    let mut got = Vec::new();
    while got.len() < 8 + long.len() {
        let more = arrived(&mut server).await;
        assert!(!more.is_empty(), "only {} bytes arrived", got.len());
        got.extend(more);
    }
    assert!(got.starts_with(b"c NOOP\r\nxxx"));
    // Uncorked, writes leave at once.
    conn.uncork().await.unwrap();
    conn.write(b"d NOOP\r\n").await.unwrap();
    assert_eq!(arrived(&mut server).await, b"d NOOP\r\n");
}

#[tokio::test]
async fn what_a_server_sent_before_closing_is_read_though_our_write_fails() {
    use tokio::io::AsyncWriteExt;
    let (mut conn, mut server) = corked_pipe();
    conn.write(b"a NOOP\r\n").await.unwrap();
    server.write_all(b"* BYE closing\r\n").await.unwrap();
    drop(server);
    // The held NOOP cannot leave; the BYE before the close is still read, then the close.
    let first = conn.read_within(Duration::from_secs(1), "the reply").await;
    assert!(
        matches!(&first, Ok(Incoming::Frame(f)) if f.as_slice() == b"* BYE closing\r\n"),
        "{first:?}"
    );
    let then = conn.read_within(Duration::from_secs(1), "the reply").await;
    assert!(
        matches!(then, Err(TransportError::Closed { .. })),
        "{then:?}"
    );
}
