//! One session's own view: connection state, the selected mailbox as this session has been
//! told about it, and its commands in flight.

use std::collections::HashMap;

use super::digest::StaticItem;
use super::flags::FlagSet;
use super::mailbox::{MailboxName, MessageKey};
use crate::wire::command::{Command, CommandBody, SeqItem, SeqNumber, SequenceSet};
use crate::wire::grammar::{
    SeqItem as GrammarItem, SeqNumber as GrammarNumber, SequenceSet as GrammarSet,
};

/// RFC 3501 §3 connection states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnState {
    /// Connected, no greeting yet.
    Greeting,
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// What this session knows about one message, by sequence number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeqSlot {
    /// 0 until the server has told this session the UID.
    pub uid: u32,
    /// The flags last told (FETCH FLAGS), if ever.
    pub flags: Option<FlagSet>,
}

/// The selected (or being-selected) mailbox as this session sees it.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub mailbox: MailboxName,
    pub read_only: bool,
    /// Index = sequence number - 1; its length is the message count this session was told.
    pub slots: Vec<SeqSlot>,
    /// Whether an EXISTS has been received in this selection.
    pub exists_told: bool,
    /// The last untagged FLAGS.
    pub flags: Option<FlagSet>,
    /// The last PERMANENTFLAGS code.
    pub permanent: Option<FlagSet>,
    pub uidvalidity: Option<u32>,
    pub uidnext: Option<u32>,
    /// Event index of the SELECT/EXAMINE that opened it.
    pub opened_at: u64,
    /// The mailbox's generation when it was opened (see `MailboxState::generation`).
    pub generation: u64,
    /// UID → sequence number, for the UIDs known (kept in step with `slots`).
    pub by_uid: HashMap<u32, u32>,
    /// The mailbox said `[NOMODSEQ]` (RFC 7162 §3.1.2.2): no mod-sequences here.
    pub no_modseq: bool,
}

impl Selection {
    pub fn exists(&self) -> u32 {
        self.slots.len() as u32
    }

    /// The slot of sequence number `seq` (1-based).
    pub fn slot(&self, seq: u32) -> Option<&SeqSlot> {
        self.slots.get((seq as usize).checked_sub(1)?)
    }

    pub fn slot_mut(&mut self, seq: u32) -> Option<&mut SeqSlot> {
        self.slots.get_mut((seq as usize).checked_sub(1)?)
    }

    /// Records that `seq` has `uid`.
    pub fn learn_uid(&mut self, seq: u32, uid: u32) {
        if let Some(slot) = self.slot_mut(seq) {
            slot.uid = uid;
            self.by_uid.insert(uid, seq);
        }
    }

    /// `n EXPUNGE`: removes the slot and renumbers the ones after it (RFC 3501 §7.4.1).
    pub fn expunge(&mut self, seq: u32) -> Option<SeqSlot> {
        let at = (seq as usize).checked_sub(1)?;
        if at >= self.slots.len() {
            return None;
        }
        let gone = self.slots.remove(at);
        if gone.uid != 0 {
            self.by_uid.remove(&gone.uid);
        }
        for (i, slot) in self.slots.iter().enumerate().skip(at) {
            if slot.uid != 0 {
                self.by_uid.insert(slot.uid, i as u32 + 1);
            }
        }
        Some(gone)
    }

    /// Where `VANISHED uids` (no EARLIER) leaves this view: the sequence numbers to remove
    /// (descending) and how many UIDs no message of the view can be. A UID the view knows
    /// is its message; the others fall in the gaps between known UIDs, where each may be a
    /// message whose UID the view was never told (those are interchangeable, so removing
    /// the first of a gap keeps the view exact).
    pub fn vanished_seqs(&self, uids: &GrammarSet) -> (Vec<u32>, u64) {
        let named = uids.count().unwrap_or(u64::MAX);
        let mut remove = Vec::new();
        let (mut i, mut below) = (0, 0u32);
        while i < self.slots.len() {
            let uid = self.slots[i].uid;
            if uid != 0 {
                if uids.contains(uid) {
                    remove.push(i as u32 + 1);
                }
                (below, i) = (uid, i + 1);
                continue;
            }
            let run = self.slots[i..].iter().take_while(|s| s.uid == 0).count();
            let above = self.slots.get(i + run).map_or(u32::MAX, |s| s.uid);
            let in_gap = count_between(uids, below, above).min(run as u64);
            remove.extend((0..in_gap as u32).map(|k| i as u32 + k + 1));
            i += run;
        }
        remove.reverse();
        let unplaced = named.saturating_sub(remove.len() as u64);
        (remove, unplaced)
    }

    /// The sequence numbers a command's set names in this view: by number, or (for the UID
    /// forms) the messages whose UID this session knows and the set contains.
    pub fn seqs_in(&self, set: &SequenceSet, uid: bool) -> Vec<u32> {
        if !uid {
            let exists = self.exists();
            let mut seqs: Vec<u32> = (1..=exists)
                .filter(|&n| set_contains(set, n, exists))
                .collect();
            seqs.dedup();
            return seqs;
        }
        let largest = self.slots.last().map_or(0, |s| s.uid);
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.uid != 0 && set_contains(set, s.uid, largest.max(s.uid)))
            .map(|(i, _)| i as u32 + 1)
            .collect()
    }

    /// What `*` stands for in this view now.
    pub fn largest(&self) -> Largest {
        Largest {
            seq: self.exists(),
            uid: self.slots.last().map_or(0, |s| s.uid),
        }
    }

    /// The sequence numbers `set` names in this view for every value `*` may have had while
    /// the command ran: anything between the view when it was sent (`then`) and now. A
    /// server resolves `*` when it executes the command, and EXISTS (or, for UID commands,
    /// EXPUNGE) may arrive meanwhile; a UID `*` whose UID the session was never told could
    /// be any UID. Messages `set` may or may not name are left out.
    pub fn seqs_surely_in(&self, set: &SequenceSet, uid: bool, then: Largest) -> Vec<u32> {
        let (lo, hi) = star_bounds(then, self.largest(), uid);
        let key = |i: usize, slot: &SeqSlot| if uid { slot.uid } else { i as u32 + 1 };
        // A message announced after the command was sent (a slot beyond the view then, even
        // an empty one) is named only if the server read the set against a view that had
        // it: not surely.
        self.slots
            .iter()
            .enumerate()
            .filter(|&(i, slot)| {
                let n = key(i, slot);
                n != 0 && (i as u32) < then.seq && set_surely_contains(set, n, lo, hi)
            })
            .map(|(i, _)| i as u32 + 1)
            .collect()
    }

    /// `n EXISTS` growing the mailbox: new slots with nothing known.
    pub fn grow_to(&mut self, n: u32) {
        if n as usize > self.slots.len() {
            self.slots.resize(n as usize, SeqSlot::default());
        }
    }
}

/// How many numbers of `set` lie strictly between `lo` and `hi`.
fn count_between(set: &GrammarSet, lo: u32, hi: u32) -> u64 {
    set.0
        .iter()
        .filter_map(|item| {
            let (a, b) = match *item {
                GrammarItem::Single(GrammarNumber::Value(v)) => (v, v),
                GrammarItem::Range(GrammarNumber::Value(a), GrammarNumber::Value(b)) => {
                    (a.min(b), a.max(b))
                }
                _ => return None,
            };
            let (a, b) = (a.max(lo.saturating_add(1)), b.min(hi.saturating_sub(1)));
            (a <= b).then(|| u64::from(b - a) + 1)
        })
        .sum()
}

/// A command the session has sent and not yet seen completed.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub tag: String,
    /// Event index of its first fragment.
    pub sent_at: u64,
    /// The runner's description of the command (for reports).
    pub text: String,
    /// The command name from its bytes, upper-cased (`UID FETCH` for the UID forms).
    pub name: String,
    /// `None` when the command did not parse (unknown extension or malformed).
    pub command: Option<Command>,
    /// A deliberate malformation: such commands are exempt from the validity checks.
    pub mutation: Option<String>,
    /// The parser's complaint, when `command` is `None`.
    pub parse_error: Option<String>,
    /// For SELECT/EXAMINE: the selection it replaced, restored if the server answers BAD.
    pub replaced: Option<Box<Selection>>,
    /// The connection state when the command was sent.
    pub state_at_send: ConnState,
    /// Static FETCH items received for it, judged and kept only if it completes OK (a
    /// server may answer a FETCH of a message expunged meanwhile with odd data and NO).
    pub statics: Vec<PendingStatic>,
    /// The largest non-synchronising literal (`{n+}`) it carried, in octets; 0 for none.
    pub largest_nonsync: u64,
}

/// A static item seen in a FETCH response, waiting for its command's completion.
#[derive(Debug, Clone)]
pub struct PendingStatic {
    pub mailbox: MailboxName,
    pub key: MessageKey,
    pub item: StaticItem,
    pub event: u64,
}

impl InFlight {
    pub fn body(&self) -> Option<&CommandBody> {
        self.command.as_ref().map(|c| &c.body)
    }

    /// SELECT or EXAMINE: the commands that open a selection.
    pub fn is_select(&self) -> bool {
        matches!(
            self.body(),
            Some(CommandBody::Select(_) | CommandBody::Examine(_))
        )
    }

    /// FETCH, STORE or SEARCH by sequence number: the commands during which an EXPUNGE
    /// response is forbidden (RFC 3501 §7.4.1).
    pub fn forbids_expunge(&self) -> bool {
        match self.body() {
            Some(CommandBody::Fetch(f)) => !f.uid,
            Some(CommandBody::Store(s)) => !s.uid,
            Some(CommandBody::Search(s)) => !s.uid,
            _ => false,
        }
    }

    /// A short human description for reports: the runner's text, else the tag.
    /// An overlong tag (a mutation's 8 KiB) is shortened: reports stay readable.
    pub fn describe(&self) -> String {
        const SHOWN: usize = 40;
        let tag = match self.tag.char_indices().nth(SHOWN) {
            Some((cut, _)) => format!("{}…({} chars)", &self.tag[..cut], self.tag.len()),
            None => self.tag.clone(),
        };
        if self.text.is_empty() {
            tag
        } else {
            format!("{tag} {}", self.text)
        }
    }
}

/// A command whose synchronising literals have not all been sent yet.
#[derive(Debug, Clone)]
pub struct Partial {
    pub tag: String,
    pub sent_at: u64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub mutation: Option<String>,
}

/// Everything the model knows about one session.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub state: ConnState,
    pub selection: Option<Selection>,
    /// Commands sent and not completed, oldest first.
    pub in_flight: Vec<InFlight>,
    pub partial: Option<Partial>,
    /// Tags completed in this session (for duplicate completions).
    pub completed: HashMap<String, u64>,
    /// Set when something the model could not follow happened (an unparseable or dropped
    /// frame): checks that depend on this session's view become Unknown until re-selection.
    pub tainted: Option<u64>,
    /// The event index of an untagged BYE, if one came.
    pub bye: Option<u64>,
    /// Whether this session ever sent a deliberately malformed command.
    pub mutated: bool,
    /// Since this event, bytes of a malformed command may be running as commands of their
    /// own ("phantoms": see `Mutation::may_leave_commands`); cleared when a well-formed
    /// command sent later completes.
    pub phantom_since: Option<u64>,
    /// Whether this session has ended (closed or disconnected).
    pub ended: bool,
    /// Tags given up on after a timeout: a late completion of one is not an unknown tag.
    pub abandoned: Vec<String>,
    /// What this connection's ENABLED responses named (upper case), with the event of the
    /// first: in force until the connection ends (RFC 5161 §3.2).
    pub enabled: HashMap<String, u64>,
}

impl SessionView {
    /// The event of the ENABLED response that first named `name` (upper case), if any.
    pub fn enabled_since(&self, name: &str) -> Option<u64> {
        self.enabled.get(name).copied()
    }
}

impl Default for SessionView {
    fn default() -> Self {
        SessionView {
            state: ConnState::Greeting,
            selection: None,
            in_flight: Vec::new(),
            partial: None,
            completed: HashMap::new(),
            tainted: None,
            bye: None,
            mutated: false,
            phantom_since: None,
            ended: false,
            abandoned: Vec::new(),
            enabled: HashMap::new(),
        }
    }
}

impl SessionView {
    pub fn in_flight(&self, tag: &str) -> Option<&InFlight> {
        self.in_flight.iter().find(|c| c.tag == tag)
    }

    /// The selection, when the session is selected (or selecting).
    pub fn selected(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }

    /// A SELECT or EXAMINE is on its way and the new selection has not been told EXISTS
    /// yet: an EXPUNGE or VANISHED now is the previous selection's news, which a server may
    /// send before it turns to the SELECT (another session expunged meanwhile). The view
    /// switched when the command was sent, so such a response is not about it.
    pub fn hears_old_selection(&self) -> bool {
        self.in_flight.iter().any(InFlight::is_select)
            && self.selection.as_ref().is_some_and(|s| !s.exists_told)
    }
}

/// What `*` stands for in one view: the largest sequence number, and the largest UID (0
/// when the session was not told the last message's UID).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Largest {
    pub seq: u32,
    pub uid: u32,
}

/// The range of values `*` may have taken between two views.
pub fn star_bounds(then: Largest, now: Largest, uid: bool) -> (u32, u32) {
    let (a, b) = if uid {
        (then.uid, now.uid)
    } else {
        (then.seq, now.seq)
    };
    if a == 0 || b == 0 {
        return (1, u32::MAX);
    }
    (a.min(b), a.max(b))
}

/// Whether `set` contains `n` whatever value in `lo..=hi` `*` stands for. Membership of `n`
/// in `a:*` is monotone in `*` (an up-set or a down-set), so the two ends decide it.
pub fn set_surely_contains(set: &SequenceSet, n: u32, lo: u32, hi: u32) -> bool {
    set_contains(set, n, lo) && set_contains(set, n, hi)
}

/// Whether `set` may contain `n` for some value of `*` (an item with `*` may contain
/// anything: `*` itself, or `a:*` with `*` = `n`).
pub fn set_may_contain(set: &SequenceSet, n: u32) -> bool {
    let value = |s: &SeqNumber| match s {
        SeqNumber::Value(v) => Some(v.get()),
        SeqNumber::Largest => None,
    };
    set.items().iter().any(|item| match item {
        SeqItem::Single(s) => value(s).is_none_or(|v| v == n),
        SeqItem::Range(a, b) => match (value(a), value(b)) {
            (Some(a), Some(b)) => a.min(b) <= n && n <= a.max(b),
            _ => true,
        },
    })
}

/// Whether `set` contains `n`, with `*` standing for `largest`.
pub fn set_contains(set: &SequenceSet, n: u32, largest: u32) -> bool {
    let value = |s: &SeqNumber| match s {
        SeqNumber::Value(v) => v.get(),
        SeqNumber::Largest => largest,
    };
    set.items().iter().any(|item| match item {
        SeqItem::Single(s) => value(s) == n,
        SeqItem::Range(a, b) => {
            let (a, b) = (value(a), value(b));
            a.min(b) <= n && n <= a.max(b)
        }
    })
}
