//! A session: one connection driven command by command. It sends what the encoder produced
//! (honouring synchronising literals), collects every frame up to the tagged completion and
//! records the transcript. It judges nothing: parse failures and odd replies are handed back.

use super::transcript::{Direction, Transcript};
use super::transport::{Connection, Endpoint, Incoming, TransportError};
use crate::wire::command::{Command, CommandBody, EncodeOptions, Tag};
use crate::wire::frame::FrameError;
use crate::wire::response::{Response, Tagged};
use crate::wire::{ParseError, parse_response};

/// Bound on frames collected for one command: a server streaming untagged data forever must
/// not keep us in a loop.
pub const MAX_FRAMES_PER_COMMAND: usize = 100_000;

/// One frame received, kept as bytes; parse on demand (the AST borrows from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received(pub Vec<u8>);

impl Received {
    pub fn parse(&self) -> Result<Response<'_>, ParseError> {
        parse_response(&self.0)
    }
}

/// Everything the server sent for one command.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// Untagged responses and continuation requests, in order.
    pub frames: Vec<Received>,
    /// The tagged completion (`None` only if the server answered a synchronising literal's
    /// line with something other than `+` and we stopped sending).
    pub done: Option<Received>,
    /// Oversize frames the framer dropped.
    pub dropped: Vec<FrameError>,
}

impl Reply {
    /// The tagged completion, parsed; `None` when absent or unparseable.
    pub fn tagged(&self) -> Option<Tagged<'_>> {
        match self.done.as_ref()?.parse() {
            Ok(Response::Tagged(t)) => Some(t),
            _ => None,
        }
    }

    /// Every frame that did not parse, with its diagnostic.
    pub fn parse_errors(&self) -> Vec<(&Received, ParseError)> {
        self.frames
            .iter()
            .chain(self.done.as_ref())
            .filter_map(|r| r.parse().err().map(|e| (r, e)))
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("more than {MAX_FRAMES_PER_COMMAND} responses to one command")]
    Flood,
    #[error("internal: generated an invalid tag: {0}")]
    Tag(String),
}

/// A connected session.
#[derive(Debug)]
pub struct Session {
    conn: Connection,
    transcript: Transcript,
    tag_prefix: String,
    next_tag: u32,
    pub encode: EncodeOptions,
}

impl Session {
    pub fn new(conn: Connection, tag_prefix: &str) -> Self {
        Session {
            conn,
            transcript: Transcript::default(),
            tag_prefix: tag_prefix.to_owned(),
            next_tag: 1,
            encode: EncodeOptions::default(),
        }
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    pub fn transcript_mut(&mut self) -> &mut Transcript {
        &mut self.transcript
    }

    /// The greeting frame, waiting at most the greeting timeout.
    pub async fn read_greeting(&mut self) -> Result<Incoming, TransportError> {
        let limit = self.conn.timeouts().greeting;
        let item = self.conn.read_within(limit, "the greeting").await?;
        self.record_incoming(&item);
        Ok(item)
    }

    /// Send `body` under a fresh tag and collect the reply.
    pub async fn run(&mut self, body: CommandBody) -> Result<Reply, SessionError> {
        let tag = self.fresh_tag()?;
        let what = describe(&body);
        let command = Command {
            tag: tag.clone(),
            body,
        };
        let rounds = command.encode(&self.encode).rounds();
        let mut reply = Reply::default();
        for (i, round) in rounds.iter().enumerate() {
            if i > 0 && !self.await_continuation(&tag, &what, &mut reply).await? {
                return Ok(reply);
            }
            self.send(round).await?;
        }
        self.collect_until_tagged(&tag, &what, &mut reply).await?;
        Ok(reply)
    }

    /// Send a raw line outside a command (AUTHENTICATE data, IDLE's DONE).
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.transcript.record(Direction::Client, bytes);
        self.conn.write(bytes).await
    }

    /// Read until the tagged completion for `tag` (after `send`-driven exchanges).
    pub async fn finish(
        &mut self,
        tag: &Tag,
        what: &str,
        reply: &mut Reply,
    ) -> Result<(), SessionError> {
        self.collect_until_tagged(tag, what, reply).await
    }

    /// Read until a `+` (true) or the tagged completion (false: the server refused).
    pub async fn await_continuation(
        &mut self,
        tag: &Tag,
        what: &str,
        reply: &mut Reply,
    ) -> Result<bool, SessionError> {
        for _ in 0..MAX_FRAMES_PER_COMMAND {
            let Some(frame) = self.next(what, reply).await? else {
                continue;
            };
            if frame.0.starts_with(b"+") {
                reply.frames.push(frame);
                return Ok(true);
            }
            if is_tagged_for(&frame.0, tag) {
                reply.done = Some(frame);
                return Ok(false);
            }
            reply.frames.push(frame);
        }
        Err(SessionError::Flood)
    }

    /// Upgrade to TLS; returns plaintext bytes injected before the handshake.
    pub async fn upgrade_tls(&mut self, endpoint: &Endpoint) -> Result<Vec<u8>, TransportError> {
        self.conn.upgrade_tls(endpoint).await
    }

    pub fn fresh_tag(&mut self) -> Result<Tag, SessionError> {
        let text = format!("{}{:04}", self.tag_prefix, self.next_tag);
        self.next_tag += 1;
        Tag::new(text.clone()).map_err(|_| SessionError::Tag(text))
    }

    async fn collect_until_tagged(
        &mut self,
        tag: &Tag,
        what: &str,
        reply: &mut Reply,
    ) -> Result<(), SessionError> {
        for _ in 0..MAX_FRAMES_PER_COMMAND {
            let Some(frame) = self.next(what, reply).await? else {
                continue;
            };
            if is_tagged_for(&frame.0, tag) {
                reply.done = Some(frame);
                return Ok(());
            }
            reply.frames.push(frame);
        }
        Err(SessionError::Flood)
    }

    /// The next frame; `None` when an oversize frame was dropped (kept in `reply.dropped`).
    async fn next(
        &mut self,
        what: &str,
        reply: &mut Reply,
    ) -> Result<Option<Received>, SessionError> {
        let item = self.conn.read(&format!("the reply to {what}")).await?;
        self.record_incoming(&item);
        Ok(match item {
            Incoming::Frame(bytes) => Some(Received(bytes)),
            Incoming::Dropped(err) => {
                reply.dropped.push(err);
                None
            }
        })
    }

    fn record_incoming(&mut self, item: &Incoming) {
        match item {
            Incoming::Frame(bytes) => self.transcript.record(Direction::Server, bytes),
            Incoming::Dropped(err) => self.transcript.record(Direction::Server, &err.sample),
        }
    }
}

/// Whether a frame is the tagged completion for `tag`: framing-level, so that even an
/// unparseable completion ends the command instead of desynchronising the session.
fn is_tagged_for(frame: &[u8], tag: &Tag) -> bool {
    let tag = tag.as_str().as_bytes();
    frame.len() > tag.len() && frame.starts_with(tag) && frame[tag.len()] == b' '
}

/// A short name for a command, for messages ("the reply to LOGIN").
pub fn describe(body: &CommandBody) -> String {
    let debug = format!("{body:?}");
    let name: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    name.to_ascii_uppercase()
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
