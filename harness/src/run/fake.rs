//! An in-memory scripted fake server, for runner unit tests only: each session gets a
//! script (by session id) played over a `tokio::io::duplex` pipe. Real servers are exercised
//! by the integration tests; a fake only proves what the runner does with what it receives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::Notify;

use super::transport::{Connection, Timeouts};
use crate::history::SessionId;
use crate::wire::frame::FrameLimits;

/// One step of a script.
#[derive(Clone, Debug)]
pub enum Act {
    /// Send bytes; `{tN}` is replaced by the tag of the N-th line read (from 0).
    Send(String),
    /// Read one line (through LF) and remember its tag.
    ReadLine,
    /// Read exactly this many bytes (a literal), remembering no tag.
    ReadBytes(usize),
    /// Wake whoever waits on this (another session's script).
    Signal(Arc<Notify>),
    /// Wait until another script signals.
    Wait(Arc<Notify>),
    /// Stop answering but keep the connection open.
    Hang,
    /// Close the connection.
    Close,
}

/// Scripts by session id; a session without one is refused (its pipe closes at once).
#[derive(Clone, Debug, Default)]
pub struct FakeServer {
    scripts: Arc<Mutex<HashMap<SessionId, Vec<Act>>>>,
}

impl FakeServer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn script(&self, id: SessionId, acts: Vec<Act>) -> &Self {
        if let Ok(mut scripts) = self.scripts.lock() {
            scripts.insert(id, acts);
        }
        self
    }

    /// The client's end of a new pipe whose server end plays session `id`'s script.
    pub fn connect(&self, id: SessionId, timeouts: Timeouts, limits: FrameLimits) -> Connection {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let script = self
            .scripts
            .lock()
            .ok()
            .and_then(|mut s| s.remove(&id))
            .unwrap_or_default();
        tokio::spawn(play(server, script));
        Connection::in_memory(client, timeouts, limits)
    }
}

/// Greeting, then LOGIN accepted: the usual start of a script (the login is line 0).
pub fn logged_in() -> Vec<Act> {
    vec![
        send("* OK fake ready\r\n"),
        Act::ReadLine,
        send("{t0} OK logged in\r\n"),
    ]
}

/// LOGOUT answered: the usual end of a script (`n` is the LOGOUT's line number).
pub fn logout(n: usize) -> Vec<Act> {
    vec![
        Act::ReadLine,
        send("* BYE bye\r\n"),
        send(&format!("{{t{n}}} OK logged out\r\n")),
        Act::Close,
    ]
}

pub fn send(text: &str) -> Act {
    Act::Send(text.to_owned())
}

async fn play(mut stream: DuplexStream, script: Vec<Act>) {
    let mut tags: Vec<String> = Vec::new();
    for act in script {
        let ok = match act {
            Act::Send(text) => {
                let text = fill_tags(&text, &tags);
                stream.write_all(text.as_bytes()).await.is_ok()
            }
            Act::ReadLine => match read_line(&mut stream).await {
                Some(line) => {
                    tags.push(tag_of(&line));
                    true
                }
                None => false,
            },
            Act::ReadBytes(n) => {
                let mut buf = vec![0; n];
                stream.read_exact(&mut buf).await.is_ok()
            }
            Act::Signal(n) => {
                n.notify_one();
                true
            }
            Act::Wait(n) => {
                n.notified().await;
                true
            }
            Act::Hang => std::future::pending().await,
            Act::Close => false,
        };
        if !ok {
            return;
        }
    }
}

async fn read_line(stream: &mut DuplexStream) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        stream.read_exact(&mut byte).await.ok()?;
        line.push(byte[0]);
        if byte[0] == b'\n' {
            return Some(line);
        }
    }
}

fn tag_of(line: &[u8]) -> String {
    let end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    String::from_utf8_lossy(&line[..end]).into_owned()
}

fn fill_tags(text: &str, tags: &[String]) -> String {
    let mut out = text.to_owned();
    for (i, tag) in tags.iter().enumerate().rev() {
        out = out.replace(&format!("{{t{i}}}"), tag);
    }
    out
}
