//! The session driver against scripted peers: synchronising literals wait for `+`, LITERAL+
//! does not, a refused literal ends the command, and untagged data is collected in order.

use std::time::Duration;

use super::*;
use crate::run::testpeer::{Act, peer};
use crate::run::tls::TlsSettings;
use crate::run::transport::{Security, Timeouts};
use crate::wire::command::{AString, LiteralData, Mailbox};
use crate::wire::frame::FrameLimits;

async fn session(script: Vec<Act>) -> Session {
    let port = peer(script, None).await;
    let ep = Endpoint {
        host: "127.0.0.1".into(),
        port,
        security: Security::Plain,
        tls: TlsSettings::default(),
    };
    let ms = Duration::from_millis(500);
    let conn = Connection::open(
        &ep,
        Timeouts {
            connect: ms,
            greeting: ms,
            response: ms,
        },
        FrameLimits::default(),
    )
    .await
    .unwrap();
    Session::new(conn, "T")
}

fn login_with_literal_password() -> CommandBody {
    // A password with a CR cannot be quoted: the encoder must use a literal.
    CommandBody::Login {
        username: AString::new(b"u".to_vec()).unwrap(),
        password: AString::new(b"p\rw".to_vec()).unwrap(),
    }
}

fn sent(s: &Session) -> Vec<Vec<u8>> {
    s.transcript()
        .entries()
        .iter()
        .filter(|e| e.dir == crate::run::transcript::Direction::Client)
        .map(|e| e.bytes.clone())
        .collect()
}

#[tokio::test]
async fn synchronising_literal_waits_for_the_continuation() {
    let script = vec![
        Act::Read(b"T0001 LOGIN u {3}\r\n".len()),
        Act::Send(b"+ go ahead\r\n"),
        Act::Read(5),
        Act::Send(b"* CAPABILITY IMAP4rev1\r\nT0001 OK done\r\n"),
    ];
    let mut s = session(script).await;
    let reply = s.run(login_with_literal_password()).await.unwrap();
    assert_eq!(
        sent(&s),
        [b"T0001 LOGIN u {3}\r\n".to_vec(), b"p\rw\r\n".to_vec()]
    );
    assert_eq!(
        reply.frames.len(),
        2,
        "continuation and untagged data are kept in order"
    );
    assert_eq!(reply.done, Some(Received(b"T0001 OK done\r\n".to_vec())));
}

#[tokio::test]
async fn literal_plus_sends_everything_at_once() {
    let line = b"T0001 LOGIN u {3+}\r\np\rw\r\n";
    let script = vec![Act::Read(line.len()), Act::Send(b"T0001 OK done\r\n")];
    let mut s = session(script).await;
    s.encode.literal_plus = true;
    let reply = s.run(login_with_literal_password()).await.unwrap();
    assert_eq!(sent(&s), [line.to_vec()]);
    assert!(reply.frames.is_empty());
}

#[tokio::test]
async fn a_refused_literal_ends_the_command_without_sending_it() {
    let script = vec![
        Act::Read(b"T0001 LOGIN u {3}\r\n".len()),
        Act::Send(b"T0001 NO too big\r\n"),
        Act::Hang,
    ];
    let mut s = session(script).await;
    let reply = s.run(login_with_literal_password()).await.unwrap();
    assert_eq!(sent(&s).len(), 1, "the literal was not sent");
    assert_eq!(reply.done, Some(Received(b"T0001 NO too big\r\n".to_vec())));
}

#[tokio::test]
async fn append_literal_and_unparseable_completion_still_end_the_command() {
    let msg = b"Subject: x\r\n\r\nbody\r\n".to_vec();
    let body = CommandBody::Append(crate::wire::command::Append {
        mailbox: Mailbox::new(b"INBOX".to_vec()).unwrap(),
        flags: Vec::new(),
        date: None,
        message: LiteralData::new(msg.clone()).unwrap(),
    });
    let first = format!("T0001 APPEND INBOX {{{}}}\r\n", msg.len());
    let script = vec![
        Act::Read(first.len()),
        Act::Send(b"+ Ready\r\n"),
        Act::Read(msg.len() + 2),
        Act::Send(b"T0001 OK [APPENDUID 1 x] bad uid\r\n"),
    ];
    let mut s = session(script).await;
    let reply = s.run(body).await.unwrap();
    assert!(reply.tagged().is_none(), "the completion does not parse");
    assert_eq!(reply.parse_errors().len(), 1);
}
