//! A scenario's connections and the history they record. Every byte sent and every frame
//! received goes through here, so a scenario's run is a [`History`] the checker can read,
//! with secrets (the password, its SASL form) redacted as they are recorded.

use std::time::{Duration, Instant};

use crate::history::{Event, EventKind, History, Meta, SessionId, WireBytes};
use crate::run::transcript::redact;
use crate::run::transport::{Connection, Endpoint, Incoming, Security, Timeouts, TransportError};
use crate::wire::frame::FrameLimits;

/// Collects the events of every connection of one scenario in one global order.
#[derive(Debug)]
pub struct Recorder {
    start: Instant,
    events: Vec<Event>,
    secrets: Vec<Vec<u8>>,
}

impl Recorder {
    pub fn new() -> Self {
        Recorder {
            start: Instant::now(),
            events: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Bytes equal to `secret` are replaced in everything recorded from now on.
    pub fn add_secret(&mut self, secret: &[u8]) {
        if secret.len() >= 3 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_vec());
        }
    }

    pub fn push(&mut self, session: SessionId, kind: EventKind) {
        self.events.push(Event {
            index: self.events.len() as u64,
            session,
            at_us: self.start.elapsed().as_micros() as u64,
            kind,
        });
    }

    fn wire(&self, bytes: &[u8]) -> WireBytes {
        WireBytes::new(
            self.secrets
                .iter()
                .fold(bytes.to_vec(), |b, s| redact(&b, s)),
        )
    }

    /// The index the next event will get.
    pub fn next_index(&self) -> u64 {
        self.events.len() as u64
    }

    pub fn into_history(self, meta: Meta) -> History {
        History {
            meta,
            events: self.events,
        }
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no response within {0:?}")]
    Timeout(Duration),
    #[error("the server closed the connection")]
    Closed,
    #[error("{0}")]
    Other(TransportError),
}

/// One connection of a scenario.
#[derive(Debug)]
pub struct ScriptConn {
    conn: Connection,
    pub session: SessionId,
    next_tag: u32,
    /// The messages this connection's view holds (EXISTS minus EXPUNGEs): `$n` starts here.
    pub exists: u32,
    pub bye_seen: bool,
    pub closed: bool,
    /// The tag of an IDLE this connection holds open (`idle` … `done` in a script).
    pub idling: Option<String>,
}

impl ScriptConn {
    /// Connect and read the greeting (recorded; returned).
    pub async fn open(
        endpoint: &Endpoint,
        timeouts: Timeouts,
        session: SessionId,
        rec: &mut Recorder,
    ) -> Result<(Self, Vec<u8>), TransportError> {
        let conn = Connection::open(endpoint, timeouts, FrameLimits::default()).await?;
        rec.push(
            session,
            EventKind::Connected {
                address: format!("{}:{}", endpoint.host, endpoint.port),
                tls: endpoint.security == Security::Tls,
            },
        );
        let mut c = ScriptConn {
            conn,
            session,
            next_tag: 1,
            exists: 0,
            bye_seen: false,
            closed: false,
            idling: None,
        };
        let greeting = match c
            .conn
            .read_within(timeouts.greeting, "the greeting")
            .await?
        {
            Incoming::Frame(bytes) => bytes,
            Incoming::Dropped(e) => e.sample,
        };
        let bytes = rec.wire(&greeting);
        rec.push(session, EventKind::Received { bytes });
        Ok((c, greeting))
    }

    /// A tag no other command of this connection used (`s<session>.<n>`, like imaptest's
    /// `<client>.<n>`).
    pub fn fresh_tag(&mut self) -> String {
        let tag = format!("s{}.{}", self.session, self.next_tag);
        self.next_tag += 1;
        tag
    }

    /// Send bytes; `tag` when they start a command, `what` names it for reports,
    /// `mutation` when it is malformed (or out of state) on purpose.
    pub async fn send(
        &mut self,
        rec: &mut Recorder,
        bytes: &[u8],
        tag: Option<&str>,
        what: &str,
        mutation: Option<&str>,
    ) -> Result<(), ReadError> {
        let wire = rec.wire(bytes);
        rec.push(
            self.session,
            EventKind::Sent {
                tag: tag.map(str::to_owned),
                command: what.to_owned(),
                bytes: wire,
                mutation: mutation.map(str::to_owned),
            },
        );
        self.conn
            .write(bytes)
            .await
            .map_err(|e| self.failed(rec, tag, e))
    }

    /// The next frame (recorded); an oversize frame comes back as its sample.
    pub async fn read(
        &mut self,
        rec: &mut Recorder,
        tag: Option<&str>,
    ) -> Result<Vec<u8>, ReadError> {
        let what = tag.map_or_else(|| "a response".to_owned(), |t| format!("the reply to {t}"));
        match self.conn.read(&what).await {
            Ok(Incoming::Frame(bytes)) => {
                let wire = rec.wire(&bytes);
                rec.push(self.session, EventKind::Received { bytes: wire });
                if is_tagged(&bytes) {
                    let t = String::from_utf8_lossy(first_word(&bytes)).into_owned();
                    rec.push(self.session, EventKind::Completed { tag: t });
                }
                Ok(bytes)
            }
            Ok(Incoming::Dropped(err)) => {
                let sample = rec.wire(&err.sample);
                let reason = err.to_string();
                rec.push(self.session, EventKind::Dropped { reason, sample });
                Ok(err.sample)
            }
            Err(e) => Err(self.failed(rec, tag, e)),
        }
    }

    /// Record a transport failure and classify it.
    fn failed(&mut self, rec: &mut Recorder, tag: Option<&str>, e: TransportError) -> ReadError {
        let tag = tag.map(str::to_owned);
        match e {
            TransportError::Timeout { after, waiting_for } => {
                let after_ms = after.as_millis() as u64;
                let kind = EventKind::Timeout {
                    tag,
                    waiting_for,
                    after_ms,
                };
                rec.push(self.session, kind);
                ReadError::Timeout(after)
            }
            TransportError::Closed { waiting_for } => {
                self.closed = true;
                let reason = format!("closed while waiting for {waiting_for}");
                rec.push(self.session, EventKind::Disconnected { tag, reason });
                ReadError::Closed
            }
            other => {
                self.closed = true;
                let reason = other.to_string();
                rec.push(self.session, EventKind::Disconnected { tag, reason });
                ReadError::Other(other)
            }
        }
    }

    /// End the session as planned (no LOGOUT: imaptest simply disconnects).
    pub fn close(self, rec: &mut Recorder) {
        if !self.closed {
            rec.push(self.session, EventKind::Closed);
        }
    }
}

/// A tagged reply starts with neither `*` nor `+`.
pub fn is_tagged(frame: &[u8]) -> bool {
    !matches!(frame.first(), Some(b'*' | b'+') | None)
}

pub fn first_word(frame: &[u8]) -> &[u8] {
    let end = frame
        .iter()
        .position(|&b| b == b' ' || b == b'\r')
        .unwrap_or(frame.len());
    &frame[..end]
}
