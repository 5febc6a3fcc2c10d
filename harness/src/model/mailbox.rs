//! The mailboxes every session shares: names, hierarchy, subscriptions, and per mailbox the
//! facts that outlive one session (UIDVALIDITY, UIDNEXT, the messages by UID).

use std::collections::HashMap;

use super::sort_keys::EnvelopeKeys;
use crate::history::SessionId;

/// A mailbox name as sent on the wire, with INBOX folded to upper case (RFC 3501 §5.1: the
/// name INBOX is case-insensitive; every other name is compared byte for byte).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MailboxName(pub Vec<u8>);

impl MailboxName {
    pub fn new(bytes: &[u8]) -> Self {
        if bytes.eq_ignore_ascii_case(b"INBOX") {
            return MailboxName(b"INBOX".to_vec());
        }
        MailboxName(bytes.to_vec())
    }

    /// The name of a mailbox as a response carries it.
    pub fn of_wire(m: &crate::wire::response::Mailbox<'_>) -> Self {
        match m {
            crate::wire::response::Mailbox::Inbox => MailboxName(b"INBOX".to_vec()),
            crate::wire::response::Mailbox::Other(name) => MailboxName::new(name.as_bytes()),
        }
    }

    pub fn show(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// Whether `self` is `parent` or below it (`parent` + delimiter + ...).
    pub fn is_within(&self, parent: &MailboxName, delimiter: Option<u8>) -> bool {
        if self == parent {
            return true;
        }
        match delimiter {
            Some(d) => {
                self.0.len() > parent.0.len()
                    && self.0.starts_with(&parent.0)
                    && self.0[parent.0.len()] == d
            }
            None => false,
        }
    }
}

/// A message of one mailbox incarnation: UID within UIDVALIDITY (RFC 3501 §2.3.1.1: the pair
/// names one immutable message forever, also across delete and re-create of the name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageKey {
    pub uidvalidity: u32,
    pub uid: u32,
}

/// One static item's value as first seen (a hash of its parsed form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFact {
    /// Which item (hash of its name and section).
    pub item: u64,
    pub label: String,
    pub value: u64,
    /// A short rendering of the value for reports.
    pub shown: String,
    /// The value as a SORT key, for RFC822.SIZE and INTERNALDATE (see `StaticItem::ordinal`).
    pub ordinal: Option<i64>,
    /// The SORT keys an ENVELOPE gives.
    pub envelope_keys: Option<EnvelopeKeys>,
    pub session: SessionId,
    pub event: u64,
}

/// What the model knows about one message across sessions.
#[derive(Debug, Clone, Default)]
pub struct MessageRecord {
    pub statics: Vec<StaticFact>,
    /// Read-write sessions that were shown `\Recent` for it, with the event.
    pub recent_in: Vec<(SessionId, u64)>,
}

impl MessageRecord {
    /// The SORT key value of the static item `label` (`RFC822.SIZE`, `INTERNALDATE`), if seen.
    pub fn ordinal(&self, label: &str) -> Option<i64> {
        self.statics
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| f.ordinal)
    }

    /// The SORT keys of the message's ENVELOPE, if it was seen.
    pub fn envelope_keys(&self) -> Option<&EnvelopeKeys> {
        self.statics.iter().find_map(|f| f.envelope_keys.as_ref())
    }
}

/// A running maximum over observations in history order, queried "before event i".
#[derive(Debug, Clone, Default)]
pub struct RunningMax {
    /// (event index, max so far, the session and event that set the max)
    points: Vec<(u64, u32, SessionId, u64)>,
}

impl RunningMax {
    /// Records `value`, observed by `session` at `event` (events come in increasing order).
    pub fn observe(&mut self, value: u32, session: SessionId, event: u64) {
        match self.points.last() {
            Some(&(_, max, _, _)) if max >= value => {}
            _ => self.points.push((event, value, session, event)),
        }
    }

    /// The largest value observed strictly before `event`: (value, session, event).
    pub fn max_before(&self, event: u64) -> Option<(u32, SessionId, u64)> {
        let n = self.points.partition_point(|p| p.0 < event);
        let &(_, max, s, e) = self.points.get(n.checked_sub(1)?)?;
        Some((max, s, e))
    }
}

/// Everything shared about one mailbox name.
#[derive(Debug, Clone, Default)]
pub struct MailboxState {
    /// Bumped whenever a CREATE, DELETE or RENAME touching the name is sent or completes:
    /// facts from different generations may legitimately differ.
    pub generation: u64,
    /// Known to exist (LIST, CREATE/RENAME OK, successful SELECT), or known gone (DELETE OK).
    pub exists: Option<bool>,
    pub subscribed: bool,
    /// UIDVALIDITY values seen for this name.
    pub uidvalidity: RunningMax,
    /// Per UIDVALIDITY: the UIDNEXT a conforming server must have reached (UIDNEXT values
    /// seen, and every UID seen plus one).
    pub uidnext: HashMap<u32, RunningMax>,
    pub messages: HashMap<MessageKey, MessageRecord>,
}

/// The hierarchy as learned from the server: delimiter (LIST, NAMESPACE) and the personal
/// namespace prefix (Cyrus and Courier use `INBOX.`, Dovecot the empty prefix).
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    pub delimiter: Option<u8>,
    pub personal_prefix: Option<Vec<u8>>,
}

/// All mailboxes of the account under test.
#[derive(Debug, Clone, Default)]
pub struct Mailboxes {
    pub by_name: HashMap<MailboxName, MailboxState>,
    pub hierarchy: Hierarchy,
}

impl Mailboxes {
    pub fn get(&self, name: &MailboxName) -> Option<&MailboxState> {
        self.by_name.get(name)
    }

    pub fn entry(&mut self, name: &MailboxName) -> &mut MailboxState {
        if !self.by_name.contains_key(name) {
            self.by_name.insert(name.clone(), MailboxState::default());
        }
        // The key was inserted just above when missing.
        self.by_name
            .get_mut(name)
            .unwrap_or_else(|| unreachable!("inserted above"))
    }

    pub fn message(&self, name: &MailboxName, key: MessageKey) -> Option<&MessageRecord> {
        self.by_name.get(name)?.messages.get(&key)
    }

    pub fn message_mut(&mut self, name: &MailboxName, key: MessageKey) -> &mut MessageRecord {
        self.entry(name).messages.entry(key).or_default()
    }

    /// A namespace change touching `name` (and, by hierarchy, its inferiors) was sent or
    /// completed: later facts are a new generation.
    pub fn bump(&mut self, name: &MailboxName) {
        let delimiter = self.hierarchy.delimiter;
        for (n, state) in self.by_name.iter_mut() {
            if n.is_within(name, delimiter) {
                state.generation += 1;
            }
        }
        self.entry(name).generation += 1;
    }

    pub fn generation(&self, name: &MailboxName) -> u64 {
        self.by_name.get(name).map_or(0, |m| m.generation)
    }
}
