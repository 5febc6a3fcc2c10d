//! A recorded session driver: one connection, every byte it sends and every frame it receives
//! turned into history events. Unlike [`super::session::Session`] (which keeps a transcript
//! for one-shot tools like `probe`), it pipelines groups of commands, keeps nothing but the
//! in-flight tags (so a thousand of them fit in little memory) and turns a silent or closed
//! server into a `Timeout` / `Disconnected` event naming the command in flight.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::names::command_name;
use super::recorder::Recorder;
use super::transport::{Connection, Endpoint, Incoming, TransportError};
use crate::generate::mutate::Mutation;
use crate::generate::plan::{Action, RawCommand, Step};
use crate::history::{EventKind, SessionId, WireBytes};
use crate::wire::command::{Command, CommandBody, EncodeOptions, IdleDone, Tag};
use crate::wire::parse_response;
use crate::wire::response::{Response, StatusKind};

/// Used only in transport errors; the events name the command from the in-flight list.
const WAITING: &str = "the server's response";

/// Why a session cannot go on. The event saying so is already in the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Ended {
    #[error("the server stopped answering or closed the connection")]
    Lost,
    #[error("the server sent more frames for one command than the limit")]
    Flood,
    #[error("harness error (recorded)")]
    Harness,
    /// We closed the connection on purpose: the server took a literal claim we will not
    /// honour (a mutation's huge literal) and would wait for its octets.
    #[error("closed by the harness after the server accepted a literal it will not get")]
    Abandoned,
}

/// What the server sent for one command, kept only when the caller asks (login, setup).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exchange {
    pub frames: Vec<Vec<u8>>,
    pub done: Option<Vec<u8>>,
}

impl Exchange {
    /// The status of the tagged completion, if it parses.
    pub fn status(&self) -> Option<StatusKind> {
        match parse_response(self.done.as_deref()?) {
            Ok(Response::Tagged(t)) => Some(t.status.kind),
            _ => None,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status() == Some(StatusKind::Ok)
    }
}

#[derive(Debug)]
struct InFlight {
    tag: Tag,
    name: &'static str,
    /// Close the connection if the server answers `+` while this is in flight.
    close_on_plus: bool,
    /// Malformed so that the server may not find the tag (an 8 KiB tag, an empty line):
    /// an untagged BAD may be its answer.
    tag_unreadable: bool,
}

/// What a read loop waits for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Every command in flight completed.
    AllDone,
    /// A `+` for the newest command (or its completion: the server refused the literal).
    Continuation,
}

#[derive(Debug)]
pub struct Driver {
    conn: Connection,
    rec: Arc<Recorder>,
    id: SessionId,
    next_tag: u32,
    pub encode: EncodeOptions,
    max_frames: usize,
    inflight: Vec<InFlight>,
}

impl Driver {
    pub fn new(conn: Connection, rec: Arc<Recorder>, id: SessionId, max_frames: usize) -> Self {
        Driver {
            conn,
            rec,
            id,
            next_tag: 1,
            encode: EncodeOptions::default(),
            max_frames,
            inflight: Vec::new(),
        }
    }

    pub fn id(&self) -> SessionId {
        self.id
    }

    pub fn record(&self, kind: EventKind) {
        self.rec.record(self.id, kind);
    }

    /// Read the greeting (bounded by the greeting timeout).
    pub async fn greeting(&mut self) -> Result<Vec<u8>, Ended> {
        let limit = self.conn.timeouts().greeting;
        loop {
            match self.conn.read_within(limit, "the greeting").await {
                Ok(Incoming::Frame(bytes)) => {
                    self.received(bytes.clone());
                    return Ok(bytes);
                }
                Ok(Incoming::Dropped(err)) => self.dropped(&err),
                Err(e) => return Err(self.lost(e)),
            }
        }
    }

    /// Upgrade to TLS after STARTTLS was accepted. Plaintext the server sent before the
    /// handshake is recorded as received (the checker judges it), never parsed here.
    pub async fn upgrade_tls(&mut self, endpoint: &Endpoint) -> Result<(), Ended> {
        match self.conn.upgrade_tls(endpoint).await {
            Ok(injected) if injected.is_empty() => Ok(()),
            Ok(injected) => {
                self.received(injected);
                Ok(())
            }
            Err(e) => Err(self.lost(e)),
        }
    }

    /// Run one command and keep its reply (for login, setup and clean-up).
    pub async fn run(&mut self, body: CommandBody) -> Result<Exchange, Ended> {
        let mut reply = Exchange::default();
        let tag = self.fresh_tag("")?;
        let name = command_name(&body);
        let rounds = Command {
            tag: tag.clone(),
            body,
        }
        .encode(&self.encode)
        .rounds();
        self.send_command(tag, name, rounds, None, Some(&mut reply))
            .await?;
        self.read_until(Want::AllDone, Some(&mut reply)).await?;
        Ok(reply)
    }

    /// Run a command given as rounds of raw bytes after `<tag> SP` (AUTHENTICATE without
    /// SASL-IR: the second round answers the `+`).
    pub async fn run_rounds(
        &mut self,
        name: &'static str,
        mut rounds: Vec<Vec<u8>>,
    ) -> Result<Exchange, Ended> {
        let mut reply = Exchange::default();
        let tag = self.fresh_tag("")?;
        if let Some(first) = rounds.first_mut() {
            let mut line = format!("{tag} ").into_bytes();
            line.append(first);
            *first = line;
        }
        self.send_command(tag, name, rounds, None, Some(&mut reply))
            .await?;
        self.read_until(Want::AllDone, Some(&mut reply)).await?;
        Ok(reply)
    }

    /// Send a group of steps back to back (RFC 3501 §5.5 pipelining), then collect every
    /// completion. A synchronising literal still waits for its `+`; responses that arrive
    /// meanwhile are recorded in order.
    pub async fn run_group(&mut self, group: &mut Vec<Step>) -> Result<(), Ended> {
        // The group's commands leave together (a wait for `+` or for IDLE's start sends
        // what came before it).
        self.conn.cork();
        let sent = self.send_group(group).await;
        let flushed = self.conn.uncork().await;
        sent?;
        if let Err(e) = flushed {
            return Err(self.refused(e).await);
        }
        self.read_until(Want::AllDone, None).await.map(drop)
    }

    async fn send_group(&mut self, group: &mut Vec<Step>) -> Result<(), Ended> {
        for step in group.drain(..) {
            match step.action {
                Action::Command(body) => {
                    let tag = self.fresh_tag("")?;
                    let name = command_name(&body);
                    let command = Command {
                        tag: tag.clone(),
                        body,
                    };
                    let rounds = command.encode(&self.encode).rounds();
                    self.send_command(tag, name, rounds, None, None).await?;
                }
                Action::Raw(raw) => self.send_raw(raw).await?,
                Action::Idle { hold_ms } => {
                    self.read_until(Want::AllDone, None).await?;
                    self.idle(Duration::from_millis(u64::from(hold_ms))).await?;
                }
            }
        }
        Ok(())
    }

    /// IDLE (RFC 2177): send it, wait for `+`, record whatever the server pushes for
    /// `hold`, then send `DONE` and collect the completion. A server that answers IDLE with
    /// a completion instead of `+` (not advertised, refused) ends the step there.
    async fn idle(&mut self, hold: Duration) -> Result<(), Ended> {
        let tag = self.fresh_tag("")?;
        let rounds = Command {
            tag: tag.clone(),
            body: CommandBody::Idle,
        }
        .encode(&self.encode)
        .rounds();
        self.send_command(tag, "IDLE", rounds, None, None).await?;
        if !self.read_until(Want::Continuation, None).await? {
            return Ok(());
        }
        if !self.listen(hold).await? {
            return Ok(());
        }
        let done = IdleDone.encode();
        let write = self.conn.write(&done);
        self.rec.record(
            self.id,
            EventKind::Sent {
                tag: None,
                command: "IDLE".to_owned(),
                bytes: WireBytes::new(done.clone()),
                mutation: None,
            },
        );
        if let Err(e) = write.await {
            return Err(self.refused(e).await);
        }
        self.read_until(Want::AllDone, None).await.map(drop)
    }

    /// Record frames until `hold` has passed; false when the idling command completed
    /// meanwhile (the server ended IDLE by itself), so no `DONE` is due.
    async fn listen(&mut self, hold: Duration) -> Result<bool, Ended> {
        let until = Instant::now() + hold;
        let mut frames = 0usize;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(true);
            }
            match self.conn.read_within(left, WAITING).await {
                Ok(Incoming::Frame(bytes)) => {
                    let done = self
                        .inflight
                        .iter()
                        .position(|f| is_tagged_for(&bytes, &f.tag));
                    self.received(bytes);
                    if let Some(i) = done {
                        self.finish(i);
                        return Ok(false);
                    }
                    frames += 1;
                    if frames > self.max_frames {
                        return Err(self.flood());
                    }
                }
                Ok(Incoming::Dropped(err)) => self.dropped(&err),
                Err(TransportError::Timeout { .. }) => return Ok(true),
                Err(e) => return Err(self.lost(e)),
            }
        }
    }

    /// Send a raw command in one write (its literals do not wait for `+`).
    async fn send_raw(&mut self, raw: RawCommand) -> Result<(), Ended> {
        let tag = self.fresh_tag(&raw.tag_suffix)?;
        let mut line = format!("{tag} ").into_bytes();
        line.extend_from_slice(&raw.bytes);
        let mutation = (!raw.mutation.is_empty()).then_some(raw.mutation);
        self.send_command(tag, "RAW", vec![line], mutation, None)
            .await?;
        if let Some(newest) = self.inflight.last_mut() {
            newest.close_on_plus = raw.close_on_continuation;
        }
        Ok(())
    }

    /// Send every round of one command, waiting for `+` between rounds. Stops early, with
    /// the command completed, when the server refuses a literal.
    async fn send_command(
        &mut self,
        tag: Tag,
        name: &'static str,
        rounds: Vec<Vec<u8>>,
        mutation: Option<String>,
        mut reply: Option<&mut Exchange>,
    ) -> Result<(), Ended> {
        let tag_text = tag.as_str().to_owned();
        self.inflight.push(InFlight {
            tag,
            name,
            close_on_plus: false,
            tag_unreadable: mutation
                .as_deref()
                .and_then(Mutation::from_name)
                .is_some_and(Mutation::may_hide_the_tag),
        });
        for (i, round) in rounds.into_iter().enumerate() {
            if i > 0
                && !self
                    .read_until(Want::Continuation, reply.as_deref_mut())
                    .await?
            {
                return Ok(());
            }
            let write = self.conn.write(&round);
            self.rec.record(
                self.id,
                EventKind::Sent {
                    tag: (i == 0).then(|| tag_text.clone()),
                    command: name.to_owned(),
                    bytes: WireBytes::new(round.clone()),
                    mutation: if i == 0 { mutation.clone() } else { None },
                },
            );
            // Recorded before the bytes leave, so no response can precede its command.
            if let Err(e) = write.await {
                return Err(self.refused(e).await);
            }
        }
        Ok(())
    }

    /// Read frames until `want`. For [`Want::Continuation`], returns false when the newest
    /// command completed instead (the server refused to take the literal).
    async fn read_until(
        &mut self,
        want: Want,
        mut reply: Option<&mut Exchange>,
    ) -> Result<bool, Ended> {
        let mut frames = 0usize;
        let newest = self.inflight.last().map(|f| f.tag.clone());
        loop {
            if want == Want::AllDone && self.inflight.is_empty() {
                return Ok(true);
            }
            let bytes = match self.conn.read(WAITING).await {
                Ok(Incoming::Frame(bytes)) => bytes,
                Ok(Incoming::Dropped(err)) => {
                    self.dropped(&err);
                    // An oversize completion (a server echoing a 64 KiB argument) still
                    // completes its command: waiting on would only end in a timeout.
                    let done = self
                        .inflight
                        .iter()
                        .position(|f| dropped_completion(&err.sample, &f.tag));
                    if let Some(i) = done {
                        let finished = self.finish(i);
                        if want == Want::Continuation && Some(&finished) == newest.as_ref() {
                            return Ok(false);
                        }
                    }
                    continue;
                }
                Err(e) => return Err(self.lost(e)),
            };
            frames += 1;
            if frames > self.max_frames {
                return Err(self.flood());
            }
            let done = self
                .inflight
                .iter()
                .position(|f| is_tagged_for(&bytes, &f.tag))
                .or_else(|| self.untagged_bad_answers(&bytes));
            let continuation = done.is_none() && bytes.first() == Some(&b'+');
            keep(reply.as_deref_mut(), &bytes, done.is_some());
            self.received(bytes);
            if let Some(i) = done {
                let finished = self.finish(i);
                frames = 0;
                if want == Want::Continuation && Some(&finished) == newest.as_ref() {
                    return Ok(false);
                }
            } else if continuation && want == Want::Continuation {
                return Ok(true);
            } else if continuation && self.inflight.iter().any(|f| f.close_on_plus) {
                return Err(self.abandon());
            }
        }
    }

    /// The command at `i` is done: out of flight, `Completed` recorded; its tag.
    fn finish(&mut self, i: usize) -> Tag {
        let finished = self.inflight.remove(i);
        self.record(EventKind::Completed {
            tag: finished.tag.as_str().to_owned(),
        });
        finished.tag
    }

    /// `* BAD` is how a server answers a line whose tag it cannot read (RFC 3501 §7.1.3):
    /// it ends the oldest command in flight if that one hid its tag on purpose. (Any other
    /// untagged BAD may answer a phantom: the rest of an earlier malformed line.)
    fn untagged_bad_answers(&self, frame: &[u8]) -> Option<usize> {
        let bad = frame.len() > 5 && frame[..5].eq_ignore_ascii_case(b"* BAD");
        (bad && self.inflight.first().is_some_and(|f| f.tag_unreadable)).then_some(0)
    }

    fn fresh_tag(&mut self, suffix: &str) -> Result<Tag, Ended> {
        let text = format!("S{}.{}{suffix}", self.id, self.next_tag);
        self.next_tag += 1;
        Tag::new(text).map_err(|e| {
            self.record(EventKind::HarnessError {
                what: format!("generated an invalid tag: {e}"),
            });
            Ended::Harness
        })
    }

    fn received(&self, bytes: Vec<u8>) {
        self.record(EventKind::Received {
            bytes: WireBytes::new(bytes),
        });
    }

    fn dropped(&self, err: &crate::wire::frame::FrameError) {
        self.record(EventKind::Dropped {
            reason: err.to_string(),
            sample: WireBytes::new(err.sample.clone()),
        });
    }

    /// A write the server refused by closing: what it sent before (a BYE saying why) is
    /// still to be read, and recorded, before the loss is; the read ends at the close.
    async fn refused(&mut self, err: TransportError) -> Ended {
        if !matches!(err, TransportError::Closed { .. }) {
            return self.lost(err);
        }
        match self.read_until(Want::AllDone, None).await {
            Err(ended) => ended,
            Ok(_) => self.lost(err),
        }
    }

    /// Turn a transport failure into the event that names the command in flight (the oldest
    /// one: it is the one the server owes an answer first).
    fn lost(&mut self, err: TransportError) -> Ended {
        let oldest = self.inflight.first();
        let tag = oldest.map(|f| f.tag.as_str().to_owned());
        let what = oldest.map_or_else(
            || "the greeting or the connection".to_owned(),
            |f| format!("the reply to {} ({})", f.name, f.tag),
        );
        let kind = match err {
            TransportError::Timeout { after, .. } => EventKind::Timeout {
                tag,
                waiting_for: what,
                after_ms: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
            },
            TransportError::Closed { waiting_for } => EventKind::Disconnected {
                tag,
                reason: closed_reason(&waiting_for, &what),
            },
            TransportError::Io { source, .. } => EventKind::Disconnected {
                tag,
                reason: format!("{source} while waiting for {what}"),
            },
            other => EventKind::HarnessError {
                what: other.to_string(),
            },
        };
        let harness = matches!(kind, EventKind::HarnessError { .. });
        self.record(kind);
        self.inflight.clear();
        if harness { Ended::Harness } else { Ended::Lost }
    }

    /// Close on purpose: the server waits for literal octets we will never send.
    fn abandon(&mut self) -> Ended {
        self.record(EventKind::Closed);
        self.inflight.clear();
        Ended::Abandoned
    }

    fn flood(&mut self) -> Ended {
        let what = self.inflight.first().map_or("", |f| f.name).to_owned();
        self.record(EventKind::HarnessError {
            what: format!(
                "more than {} frames for one {what}: session stopped (a harness limit)",
                self.max_frames
            ),
        });
        self.inflight.clear();
        Ended::Flood
    }
}

/// A close met while reading carries the framer's note on a truncated frame (e.g. closed
/// mid-literal) in parentheses after our placeholder; keep it. A close met while writing
/// says so (the server no longer took our data, and the OS's words): say that too.
fn closed_reason(waiting_for: &str, what: &str) -> String {
    let lost = format!("the server closed the connection while we waited for {what}");
    match waiting_for.strip_prefix(WAITING).map(str::trim) {
        Some("") => lost,
        Some(detail) => format!("{lost} {detail}"),
        None => format!("{lost}; we were waiting for {waiting_for}"),
    }
}

fn keep(reply: Option<&mut Exchange>, bytes: &[u8], done: bool) {
    let Some(reply) = reply else { return };
    if done {
        reply.done = Some(bytes.to_vec());
    } else {
        reply.frames.push(bytes.to_vec());
    }
}

/// A dropped (oversize) frame that starts like `tag`'s completion; the sample may be
/// shorter than an overlong tag.
fn dropped_completion(sample: &[u8], tag: &Tag) -> bool {
    let tag = tag.as_str().as_bytes();
    if sample.len() > tag.len() {
        sample.starts_with(tag) && sample[tag.len()] == b' '
    } else {
        sample.len() == crate::wire::frame::SAMPLE_LEN && tag.starts_with(sample)
    }
}

/// Framing-level: even an unparseable completion ends its command.
fn is_tagged_for(frame: &[u8], tag: &Tag) -> bool {
    let tag = tag.as_str().as_bytes();
    frame.len() > tag.len() && frame.starts_with(tag) && frame[tag.len()] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_says_whether_we_were_reading_or_writing() {
        let what = "the reply to NOOP (S0.2)";
        let read = closed_reason(&format!("{WAITING} (mid-literal)"), what);
        assert!(read.ends_with("NOOP (S0.2) (mid-literal)"), "{read}");
        let write = closed_reason("the server to accept our data (Broken pipe)", what);
        assert!(write.ends_with("accept our data (Broken pipe)"), "{write}");
        assert!(write.contains(what), "{write}");
    }
}
