//! The history: every event of a run, per session, in one global order. The runner writes
//! it; the checker reads only this. Serializable as JSON lines, byte-safe: wire bytes are
//! stored escaped (`\r\n`, `\xNN`), so NULs and 8-bit data survive and stay readable.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

mod bytes;
pub use bytes::WireBytes;

/// Sessions are numbered from 0 in the order the plan lists them.
pub type SessionId = u32;

/// One recorded event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the global order: dense, from 0, the order the recorder saw events in.
    pub index: u64,
    pub session: SessionId,
    /// Microseconds since the run started (monotonic clock): for latency and hang reports,
    /// never for correctness.
    pub at_us: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// TCP (and TLS) established; the greeting comes as the first `Received`.
    Connected { address: String, tls: bool },
    /// A command (or a fragment of one) was sent. `tag` is set on the fragment that starts a
    /// command; `mutation` names a deliberate malformation (the malformed lane), so a report
    /// can say "sent on purpose".
    Sent {
        tag: Option<String>,
        command: String,
        bytes: WireBytes,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mutation: Option<String>,
    },
    /// A complete frame received (greeting, untagged, continuation or tagged).
    Received { bytes: WireBytes },
    /// The tagged completion of `tag` was received (framing-level; the checker parses it).
    Completed { tag: String },
    /// An oversize frame was dropped by the framer.
    Dropped { reason: String, sample: WireBytes },
    /// No response within the deadline while `tag` (if any) was in flight.
    Timeout {
        tag: Option<String>,
        waiting_for: String,
        after_ms: u64,
    },
    /// The server closed the connection (or it broke) while `tag` (if any) was in flight.
    Disconnected { tag: Option<String>, reason: String },
    /// The session ended as planned (after LOGOUT or at the end of its plan).
    Closed,
    /// A harness-side failure: never counted against the server.
    HarnessError { what: String },
}

/// Run metadata: what the history is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub target: String,
    pub seed: Option<u64>,
    pub sessions: u32,
    /// Capabilities after login, as the first session saw them.
    pub capabilities: Vec<String>,
    /// How long a change may take to reach an idling session (RFC 2177) before it counts
    /// as not pushed; from the target's measured push latency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_bound_ms: Option<u64>,
}

/// A whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub meta: Meta,
    pub events: Vec<Event>,
}

impl History {
    /// Events of one session, in order.
    pub fn session(&self, id: SessionId) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.session == id)
    }

    /// JSON lines: the meta object first, then one event per line.
    pub fn write_jsonl(&self, out: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &self.meta)?;
        out.write_all(b"\n")?;
        for e in &self.events {
            serde_json::to_writer(&mut *out, e)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    pub fn read_jsonl(input: impl BufRead) -> io::Result<History> {
        let mut lines = input.lines();
        let meta = match lines.next() {
            Some(line) => serde_json::from_str(&line?)?,
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "empty history",
                ));
            }
        };
        let events = lines
            .map(|l| Ok(serde_json::from_str(&l?)?))
            .collect::<io::Result<Vec<Event>>>()?;
        Ok(History { meta, events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_round_trips_any_bytes() {
        let all: Vec<u8> = (0..=255).collect();
        let h = History {
            meta: Meta {
                target: "t".into(),
                seed: Some(7),
                sessions: 2,
                capabilities: vec!["IMAP4rev1".into()],
                push_bound_ms: Some(2000),
            },
            events: vec![
                Event {
                    index: 0,
                    session: 0,
                    at_us: 5,
                    kind: EventKind::Connected {
                        address: "a".into(),
                        tls: false,
                    },
                },
                Event {
                    index: 1,
                    session: 1,
                    at_us: 9,
                    kind: EventKind::Received {
                        bytes: WireBytes::new(all),
                    },
                },
                Event {
                    index: 2,
                    session: 0,
                    at_us: 10,
                    kind: EventKind::Sent {
                        tag: Some("A1".into()),
                        command: "NOOP".into(),
                        bytes: WireBytes::new(b"A1 NOOP\r\n".to_vec()),
                        mutation: None,
                    },
                },
            ],
        };
        let mut buf = Vec::new();
        h.write_jsonl(&mut buf).unwrap();
        assert_eq!(buf.iter().filter(|&&b| b == b'\n').count(), 4);
        assert_eq!(History::read_jsonl(&buf[..]).unwrap(), h);
    }
}
