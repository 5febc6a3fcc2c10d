//! A compact text form of a history, for self-tests and hand-written cases:
//!
//! ```text
//! # a comment; blank lines are ignored
//! caps IMAP4rev1 UIDPLUS          meta capabilities (may repeat)
//! push-bound 2000                 meta: how long a push to an idling session may take (ms)
//! wait 1500                       the clock moves on 1500 ms (events are 1 µs apart)
//! 1> A1 SELECT INBOX              session 1 sends a command (the first word is its tag)
//! 1>! A2 FETCH 1 (FLAGS           ... sent malformed on purpose (mutation "text")
//! 1>!bare-lf A2 FETCH 1\n FLAGS    ... with a named mutation
//! 1+ DONE                         ... sends a fragment without a tag (literal data, DONE)
//! 1< * 3 EXISTS                   session 1 receives a frame
//! 1< * 1 FETCH (BODY[] {5}        a received line ending in {n} takes the next n bytes
//! hello)                          (lines joined by CRLF), then the rest of that line
//! 2! timeout A7                   timeout (with the tag in flight), also: disconnect [tag],
//!                                 close, connect, dropped <why>, harness <what>
//! ```
//!
//! A session's first line connects it and, unless `greeting none` came before, gives it a
//! `* PREAUTH` greeting (most cases start authenticated). Every line ends in CRLF on the wire.

use thiserror::Error;

use crate::history::{Event, EventKind, History, Meta, SessionId, WireBytes};
use crate::wire::frame::literal_marker;

/// A line the text form does not accept.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {reason}")]
pub struct TextError {
    pub line: usize,
    pub reason: String,
}

/// Parses the text form into a history (event indexes dense from 0, one µs apart).
pub fn parse(text: &str) -> Result<History, TextError> {
    let mut p = Parser::default();
    let text = text.replace("\r\n", "\n");
    let mut lines = text.split('\n').enumerate();
    while let Some((n, line)) = lines.next() {
        p.line = n + 1;
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("caps ") {
            p.meta
                .capabilities
                .extend(rest.split_whitespace().map(str::to_string));
            continue;
        }
        if let Some(rest) = line.strip_prefix("push-bound ") {
            p.meta.push_bound_ms = Some(p.number(rest)?);
            continue;
        }
        if let Some(rest) = line.strip_prefix("wait ") {
            p.offset_us += p.number(rest)? * 1000;
            continue;
        }
        if let Some(rest) = line.strip_prefix("greeting ") {
            p.preauth = rest.trim() != "none";
            continue;
        }
        p.event_line(line, &mut lines)?;
    }
    p.meta.sessions = p.sessions.len() as u32;
    Ok(History {
        meta: p.meta,
        events: p.events,
    })
}

struct Parser {
    meta: Meta,
    events: Vec<Event>,
    sessions: Vec<SessionId>,
    preauth: bool,
    line: usize,
    /// Added to every event's time (`wait`).
    offset_us: u64,
}

impl Default for Parser {
    fn default() -> Self {
        Parser {
            meta: Meta::default(),
            events: Vec::new(),
            sessions: Vec::new(),
            preauth: true,
            line: 0,
            offset_us: 0,
        }
    }
}

impl Parser {
    fn error(&self, reason: impl Into<String>) -> TextError {
        TextError {
            line: self.line,
            reason: reason.into(),
        }
    }

    fn push(&mut self, session: SessionId, kind: EventKind) {
        let index = self.events.len() as u64;
        self.events.push(Event {
            index,
            session,
            at_us: index + self.offset_us,
            kind,
        });
    }

    fn number(&self, text: &str) -> Result<u64, TextError> {
        text.trim()
            .parse()
            .map_err(|_| self.error(format!("expected milliseconds, got {text:?}")))
    }

    fn event_line<'a>(
        &mut self,
        line: &str,
        rest: &mut impl Iterator<Item = (usize, &'a str)>,
    ) -> Result<(), TextError> {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let session: SessionId = line[..digits]
            .parse()
            .map_err(|_| self.error("expected a session number"))?;
        let body = &line[digits..];
        let (marker, payload) = body.split_at(body.len().min(1));
        let payload = payload.strip_prefix(' ').unwrap_or(payload);
        let explicit_connect = marker == "!" && payload.trim() == "connect";
        let new = !self.sessions.contains(&session);
        if new {
            self.sessions.push(session);
            self.connect(session, explicit_connect);
        }
        match marker {
            ">" => self.sent(session, payload),
            "+" => {
                let bytes = format!("{payload}\r\n").into_bytes();
                self.push(session, sent(None, String::new(), bytes, None));
                Ok(())
            }
            "<" => {
                let frame = self.frame(payload, rest)?;
                self.push(
                    session,
                    EventKind::Received {
                        bytes: WireBytes::new(frame),
                    },
                );
                Ok(())
            }
            // A later `connect` is a reconnection (handled by `special`).
            "!" if explicit_connect && new => Ok(()),
            "!" => self.special(session, payload),
            _ => Err(self.error(format!("unknown marker {marker:?} (use > + < !)"))),
        }
    }

    fn connect(&mut self, session: SessionId, explicit: bool) {
        self.push(
            session,
            EventKind::Connected {
                address: "text".into(),
                tls: false,
            },
        );
        if self.preauth && !explicit {
            let bytes = b"* PREAUTH ready\r\n".to_vec();
            self.push(
                session,
                EventKind::Received {
                    bytes: WireBytes::new(bytes),
                },
            );
        }
    }

    fn sent(&mut self, session: SessionId, payload: &str) -> Result<(), TextError> {
        // `! A2 …` is malformed on purpose ("text"); `!bare-lf A2 …` names the mutation.
        let (mutation, command) = match payload.strip_prefix('!') {
            Some(rest) => {
                let (name, rest) = rest.split_once(' ').unwrap_or((rest, ""));
                let name = if name.is_empty() { "text" } else { name };
                (Some(name.to_string()), rest)
            }
            None => (None, payload),
        };
        let mut words = command.splitn(2, ' ');
        let tag = words.next().filter(|t| !t.is_empty());
        let Some(tag) = tag else {
            return Err(self.error("a sent command needs a tag"));
        };
        let text = words.next().unwrap_or_default().to_string();
        let bytes = format!("{command}\r\n").into_bytes();
        self.push(session, sent(Some(tag.to_string()), text, bytes, mutation));
        Ok(())
    }

    /// A received frame: the line, plus literal data from the following lines.
    fn frame<'a>(
        &self,
        first: &str,
        rest: &mut impl Iterator<Item = (usize, &'a str)>,
    ) -> Result<Vec<u8>, TextError> {
        let mut frame = first.as_bytes().to_vec();
        let mut line_start = 0;
        while let Some(Ok(n)) = literal_marker(&frame[line_start..]) {
            frame.extend_from_slice(b"\r\n");
            let mut literal: Vec<u8> = Vec::new();
            let n = usize::try_from(n).map_err(|_| self.error("literal too long"))?;
            let tail = loop {
                let Some((_, next)) = rest.next() else {
                    return Err(self.error("the text ends inside a literal"));
                };
                let need = n - literal.len();
                if next.len() >= need {
                    literal.extend_from_slice(&next.as_bytes()[..need]);
                    break next[need..].to_string();
                }
                literal.extend_from_slice(next.as_bytes());
                literal.extend_from_slice(b"\r\n");
                if literal.len() > n {
                    return Err(self.error("a literal must end within a line"));
                }
            };
            frame.extend_from_slice(&literal);
            line_start = frame.len();
            frame.extend_from_slice(tail.as_bytes());
        }
        frame.extend_from_slice(b"\r\n");
        Ok(frame)
    }

    fn special(&mut self, session: SessionId, payload: &str) -> Result<(), TextError> {
        let mut words = payload.splitn(2, ' ');
        let what = words.next().unwrap_or_default();
        let arg = words.next().map(str::trim).filter(|a| !a.is_empty());
        let kind = match what {
            "timeout" => EventKind::Timeout {
                tag: arg.map(str::to_string),
                waiting_for: "response".into(),
                after_ms: 5000,
            },
            "disconnect" => EventKind::Disconnected {
                tag: arg.map(str::to_string),
                reason: "connection reset".into(),
            },
            "close" => EventKind::Closed,
            "connect" => EventKind::Connected {
                address: "text".into(),
                tls: false,
            },
            "dropped" => EventKind::Dropped {
                reason: arg.unwrap_or("oversize").to_string(),
                sample: WireBytes::default(),
            },
            "harness" => EventKind::HarnessError {
                what: arg.unwrap_or("harness error").to_string(),
            },
            other => return Err(self.error(format!("unknown event {other:?}"))),
        };
        self.push(session, kind);
        Ok(())
    }
}

fn sent(
    tag: Option<String>,
    command: String,
    bytes: Vec<u8>,
    mutation: Option<String>,
) -> EventKind {
    EventKind::Sent {
        tag,
        command,
        bytes: WireBytes::new(bytes),
        mutation,
    }
}
