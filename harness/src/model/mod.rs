//! The reference mailbox model: what a conforming server may have told each session, and
//! the facts shared by all sessions. Pure: it is fed events in history order and never does
//! I/O. It records; the detectors (`crate::check`) judge, before each update, against it.
//!
//! It encodes what RFC 3501 permits rather than what one server does: untagged data may
//! arrive at any time and late, a STORE need not be echoed, PERMANENTFLAGS, delimiter and
//! namespace prefix are learned from the server.

pub mod apply;
pub mod assemble;
pub mod digest;
pub mod flags;
pub mod mailbox;
pub mod session;
pub mod sort_keys;

use crate::generate::mutate::Mutation;
use std::collections::HashSet;

pub use digest::{Digest, FetchFacts, StaticItem};
pub use flags::{FlagId, FlagSet, FlagTable};
pub use mailbox::{MailboxName, MailboxState, Mailboxes, MessageKey, MessageRecord};
pub use session::{
    ConnState, InFlight, Largest, Partial, PendingStatic, Selection, SeqSlot, SessionView,
};

use crate::history::SessionId;
use crate::wire::command::parse_command;

/// Deliberately malformed commands longer than this are not parsed: they are the overlong
/// shapes (a megabyte of `SEARCH ALL …`), unreadable by design, and parsing one costs tens of
/// milliseconds, more than the round trip it rides on. Valid commands are always read.
const MAX_READ_MUTATED: usize = 256 * 1024;
/// Capability names, upper-cased: the union of what the run's meta and every CAPABILITY
/// response or response code said (capabilities grow after login and after ENABLE).
#[derive(Debug, Clone, Default)]
pub struct Capabilities(HashSet<String>);

impl Capabilities {
    pub fn add(&mut self, name: &[u8]) {
        self.0
            .insert(String::from_utf8_lossy(name).to_ascii_uppercase());
    }

    /// Whether `name` (upper case) was advertised.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// Whether a non-synchronising literal of `octets` is allowed (RFC 7888): any size under
    /// LITERAL+, at most 4096 octets under LITERAL-, none without either.
    pub fn allows_nonsync(&self, octets: u64) -> bool {
        let minus_max = u64::try_from(crate::wire::command::LITERAL_MINUS_MAX).unwrap_or(u64::MAX);
        self.has("LITERAL+") || (self.has("LITERAL-") && octets <= minus_max)
    }

    /// Whether any capability starting with `prefix` (upper case) was advertised.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.0.iter().any(|c| c.starts_with(prefix))
    }

    /// Whether nothing is known: extension checks are then undecidable and skipped.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The whole model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub flags: FlagTable,
    pub mailboxes: Mailboxes,
    pub capabilities: Capabilities,
    /// How long a change may take to reach an idling session (the run's meta), if known.
    pub push_bound_ms: Option<u64>,
    sessions: Vec<SessionView>,
}

/// What a `Sent` event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// A whole command is now in flight, with this tag.
    Started(String),
    /// A fragment of a command still waiting for a literal's continuation.
    Partial,
    /// Data for a command already in flight (AUTHENTICATE response, IDLE's DONE).
    Continued,
}

impl Model {
    pub fn new(capabilities: &[String]) -> Self {
        let mut model = Model::default();
        for c in capabilities {
            model.capabilities.add(c.as_bytes());
        }
        model
    }

    pub fn session(&self, id: SessionId) -> Option<&SessionView> {
        self.sessions.get(id as usize)
    }

    pub fn sessions(&self) -> impl Iterator<Item = (SessionId, &SessionView)> {
        self.sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (i as SessionId, s))
    }

    pub(crate) fn session_mut(&mut self, id: SessionId) -> &mut SessionView {
        let at = id as usize;
        if at >= self.sessions.len() {
            self.sessions.resize_with(at + 1, SessionView::default);
        }
        &mut self.sessions[at]
    }

    /// A new connection: a fresh view, waiting for the greeting.
    pub fn connect(&mut self, id: SessionId) {
        *self.session_mut(id) = SessionView::default();
    }

    /// A `Sent` event: starts, continues or completes a command.
    pub fn sent(
        &mut self,
        id: SessionId,
        index: u64,
        tag: Option<&str>,
        text: &str,
        bytes: &[u8],
        mutation: Option<&str>,
    ) -> Sent {
        let session = self.session_mut(id);
        if let Some(m) = mutation {
            session.mutated = true;
            if Mutation::from_name(m).is_some_and(Mutation::may_leave_commands) {
                session.phantom_since.get_or_insert(index);
            }
        }
        let partial = match (tag, session.partial.take()) {
            (Some(tag), _) => Partial {
                tag: tag.to_string(),
                sent_at: index,
                text: text.to_string(),
                bytes: bytes.to_vec(),
                mutation: mutation.map(str::to_string),
            },
            (None, Some(mut partial)) => {
                partial.bytes.extend_from_slice(bytes);
                if partial.mutation.is_none() {
                    partial.mutation = mutation.map(str::to_string);
                }
                partial
            }
            (None, None) => return Sent::Continued,
        };
        if !assemble::is_complete(&partial.bytes) {
            session.partial = Some(partial);
            return Sent::Partial;
        }
        let tag = partial.tag.clone();
        self.start(id, partial);
        Sent::Started(tag)
    }

    /// A complete command enters flight: parsed once, here.
    fn start(&mut self, id: SessionId, partial: Partial) {
        // The hostile shapes too large to read are neither parsed nor scanned for literals.
        let unread = partial.mutation.is_some() && partial.bytes.len() > MAX_READ_MUTATED;
        let (command, parse_error) = if unread {
            let why = format!(
                "a malformed command of {} octets, not read",
                partial.bytes.len()
            );
            (None, Some(why))
        } else {
            match parse_command(&partial.bytes) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        let name = assemble::command_name(&partial.bytes);
        let text = if partial.text.is_empty() {
            name.clone()
        } else {
            partial.text
        };
        let state_at_send = self.session_mut(id).state;
        let largest_nonsync = if unread {
            0
        } else {
            assemble::largest_nonsync_literal(&partial.bytes)
        };
        let mut flight = InFlight {
            tag: partial.tag,
            sent_at: partial.sent_at,
            text,
            name,
            command,
            mutation: partial.mutation,
            parse_error,
            replaced: None,
            state_at_send,
            statics: Vec::new(),
            largest_nonsync,
        };
        self.on_start(id, &mut flight);
        self.session_mut(id).in_flight.push(flight);
    }

    /// Marks the session's view as no longer followed exactly (from `index` on).
    pub fn taint(&mut self, id: SessionId, index: u64) {
        let session = self.session_mut(id);
        session.tainted.get_or_insert(index);
    }

    /// Gives up on the command `tag` (timeout, unparseable completion): it leaves flight,
    /// the view is marked, and a late completion will not count as an unknown tag.
    pub fn abandon(&mut self, id: SessionId, index: u64, tag: &str) -> Option<InFlight> {
        let session = self.session_mut(id);
        let at = session.in_flight.iter().position(|c| c.tag == tag)?;
        let flight = session.in_flight.remove(at);
        session.abandoned.push(flight.tag.clone());
        session.tainted.get_or_insert(index);
        Some(flight)
    }

    /// The session ended (closed, disconnected, or given up after a timeout).
    pub fn end(&mut self, id: SessionId) {
        let session = self.session_mut(id);
        session.ended = true;
        session.in_flight.clear();
        session.partial = None;
        session.selection = None;
    }
}
