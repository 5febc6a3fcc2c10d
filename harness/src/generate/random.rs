//! Generator v1: a state-aware random plan over the RFC 3501 commands.
//!
//! Each session tracks what it believes (authenticated or selected, read-only or not, the
//! mailboxes it created) and picks commands valid in that state; a configurable share is
//! valid grammar sent in the wrong state on purpose. The belief never depends on responses,
//! so the same seed replays the same steps whatever the server answered.
//!
//! Safety (DESIGN.md decision 10): every mailbox named is the run's root, a shared mailbox
//! below it, or one this session created below it. Nothing else is selected, changed,
//! expunged or deleted; replace-mode STORE (which would wipe other sessions' keywords) only
//! happens in the session's own mailboxes.

use std::sync::Arc;

use super::args::{
    Caps, append_date, fetch_items, search_criteria, small_seq_set, small_uid_set, status_items,
};
use super::layout::Layout;
use super::message::{Correspondence, Origin, message};
use super::pick::Pick;
use super::plan::{Plan, SessionPlan, Step, StepSource};
use crate::wire::command::*;

/// Knobs of the generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenConfig {
    /// Percent of steps that are valid grammar in the wrong state (FETCH with nothing
    /// selected, STORE in a read-only mailbox, …).
    pub wrong_state_percent: u32,
    /// Percent of groups that pipeline several order-independent commands.
    pub pipeline_percent: u32,
    /// Most commands in one pipelined group.
    pub max_pipeline: u32,
    /// Sessions that mostly IDLE on a shared mailbox while the others change it (when the
    /// server advertises IDLE; at least one session always keeps changing things).
    pub idle_sessions: u32,
    /// How long one IDLE listens, at least and at most (milliseconds).
    pub idle_hold_ms: (u32, u32),
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            wrong_state_percent: 2,
            pipeline_percent: 15,
            max_pipeline: 4,
            idle_sessions: 0,
            idle_hold_ms: (1000, 4000),
        }
    }
}

/// The random plan of a run: a generator per session.
#[derive(Clone, Debug)]
pub struct RandomPlan {
    pub seed: u64,
    pub layout: Arc<Layout>,
    pub caps: Arc<Caps>,
    pub config: GenConfig,
    /// How many sessions share the mailboxes (for UID estimates).
    pub sessions: u32,
}

impl RandomPlan {
    /// The steps of session `id`, produced lazily for as long as the run lasts.
    pub fn session(&self, id: u32, user: &str) -> RandomSession {
        RandomSession {
            id,
            user: user.to_owned(),
            pick: Pick::new(self.seed, id),
            plan: self.clone(),
            selected: None,
            own: Vec::new(),
            next_mailbox: 0,
            next_message: 0,
            correspondence: Correspondence::default(),
            shared_appends: 0,
            ext: Extensions::of(&self.caps),
            idler: self.is_idler(id),
            qresync_on: false,
        }
    }

    /// The last `idle_sessions` sessions idle, leaving at least one that changes things.
    fn is_idler(&self, id: u32) -> bool {
        let idlers = self
            .config
            .idle_sessions
            .min(self.sessions.saturating_sub(1));
        self.caps.has("IDLE") && id >= self.sessions - idlers
    }

    /// The first `steps` steps of every session, as a finite plan (replay, tests).
    pub fn take(&self, users: &[String], steps: usize) -> Plan {
        let sessions = users
            .iter()
            .enumerate()
            .map(|(i, user)| {
                let mut source = self.session(u32::try_from(i).unwrap_or(u32::MAX), user);
                let mut all = Vec::new();
                let mut group = Vec::new();
                while all.len() < steps && source.next_group(&mut group) {
                    all.append(&mut group);
                }
                SessionPlan {
                    user: user.clone(),
                    steps: all,
                }
            })
            .collect();
        Plan { sessions }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Selected {
    mailbox: Vec<u8>,
    read_only: bool,
    /// An idler has fetched every message's flags in this selection.
    synced: bool,
}

/// One session's generator and its belief about its state.
#[derive(Debug)]
pub struct RandomSession {
    id: u32,
    user: String,
    pick: Pick,
    plan: RandomPlan,
    selected: Option<Selected>,
    /// Mailboxes this session created and has not deleted or renamed away.
    own: Vec<Vec<u8>>,
    next_mailbox: u32,
    next_message: u32,
    /// The session's recent messages, which its next ones may answer.
    correspondence: Correspondence,
    shared_appends: u32,
    ext: Extensions,
    /// This session mostly idles (see [`GenConfig::idle_sessions`]).
    idler: bool,
    /// The session sent ENABLE QRESYNC on this connection.
    qresync_on: bool,
}

/// The extensions the generator uses, looked up once (not per command).
#[derive(Clone, Copy, Debug)]
struct Extensions {
    moves: bool,
    uidplus: bool,
    unselect: bool,
    namespace: bool,
    /// FETCH MODSEQ now and then (RFC 7162: it enables CONDSTORE for the session).
    condstore: bool,
    qresync: bool,
    enable: bool,
    id: bool,
    esearch: bool,
    sort: bool,
    /// The THREAD algorithms to ask for: those of RFC 5256 that are advertised.
    threads: &'static [&'static str],
    /// IMAP4rev2 offered beside IMAP4rev1 (RFC 9051 Appendix A): ENABLE it now and then.
    rev2: bool,
}

impl Extensions {
    fn of(caps: &Caps) -> Self {
        Extensions {
            moves: caps.has("MOVE"),
            uidplus: caps.has("UIDPLUS"),
            unselect: caps.has("UNSELECT"),
            namespace: caps.has("NAMESPACE"),
            condstore: caps.has("CONDSTORE"),
            qresync: caps.has("QRESYNC"),
            enable: caps.has("ENABLE"),
            id: caps.has("ID"),
            esearch: caps.has("ESEARCH"),
            sort: caps.has("SORT"),
            threads: match (
                caps.has("THREAD=REFERENCES"),
                caps.has("THREAD=ORDEREDSUBJECT"),
            ) {
                (true, true) => &["REFERENCES", "ORDEREDSUBJECT"],
                (true, false) => &["REFERENCES"],
                (false, true) => &["ORDEREDSUBJECT"],
                (false, false) => &[],
            },
            rev2: caps.has("IMAP4rev2") && caps.has("ENABLE"),
        }
    }
}

impl StepSource for RandomSession {
    fn user(&self) -> &str {
        &self.user
    }

    fn next_group(&mut self, group: &mut Vec<Step>) -> bool {
        group.clear();
        if self.idler {
            group.push(self.idler_step());
            return true;
        }
        if self.pick.chance(self.plan.config.pipeline_percent) {
            let n = self.pick.range(2, self.plan.config.max_pipeline.max(2));
            for _ in 0..n {
                let body = self.order_free().unwrap_or(CommandBody::Noop);
                group.push(Step::pipelined(body));
            }
            if let Some(last) = group.last_mut() {
                last.pipelined = false;
            }
            return true;
        }
        let body = self.next_command().unwrap_or(CommandBody::Noop);
        group.push(Step::command(body));
        true
    }

    fn reconnected(&mut self) {
        self.selected = None;
        self.qresync_on = false;
    }
}

impl RandomSession {
    /// Whether the session believes a mailbox is selected.
    pub fn believes_selected(&self) -> bool {
        self.selected.is_some()
    }

    /// An estimate of the largest UID in a shared mailbox: sessions append alike.
    fn uid_hint(&self) -> u32 {
        self.shared_appends
            .saturating_mul(self.plan.sessions)
            .max(1)
    }

    fn next_command(&mut self) -> Option<CommandBody> {
        if self.pick.chance(self.plan.config.wrong_state_percent)
            && let Some(body) = self.wrong_state()
        {
            return Some(body);
        }
        match &self.selected {
            None => self.authenticated(),
            Some(s) if s.read_only => self.read_only(),
            Some(_) => self.read_write(),
        }
    }

    /// Commands whose results do not depend on their order among themselves (RFC 3501 §5.5),
    /// so they may be pipelined.
    fn order_free(&mut self) -> Option<CommandBody> {
        let selected = self.selected.is_some();
        match self.pick.below(if selected { 6 } else { 4 }) {
            0 => Some(CommandBody::Noop),
            1 => self.status(),
            2 => self.list(),
            3 => Some(CommandBody::Capability),
            4 => self.fetch(true),
            _ => self.search(true),
        }
    }

    fn authenticated(&mut self) -> Option<CommandBody> {
        let ext_w = if self.ext.in_auth() { 2 } else { 0 };
        let weights = [30, 6, 5, 5, 2, 2, 2, 4, 2, 4, 8, 3, ext_w];
        match self.pick.weighted(&weights) {
            0 => self.select_shared(false),
            1 => self.select_own(),
            2 => self.select_shared(true),
            3 => self.create(),
            4 => self.delete(),
            5 => self.rename(),
            6 => self.subscription(),
            7 => self.list(),
            8 => self.lsub(),
            9 => self.status(),
            10 => self.append(),
            11 => self.harmless(),
            _ => self.ext_auth(),
        }
    }

    fn read_write(&mut self) -> Option<CommandBody> {
        // Like a client, learn the UIDs, flags and envelopes of the selection (on half of the
        // selections, then now and then): a STORE by number is then tied to its messages'
        // UIDs, so another session's STORE on them is known to contest it (push-flags), and
        // SORT and THREAD answers are judged on every message in view.
        let synced = self.selected.as_ref().is_some_and(|s| s.synced);
        if self.pick.chance(if synced { 3 } else { 50 }) {
            return self.sync_list();
        }
        let weight = |present: bool| if present { 2 } else { 0 };
        let move_w = weight(self.ext.moves);
        let uidplus_w = weight(self.ext.uidplus);
        let unselect_w = weight(self.ext.unselect);
        let ext_w = if self.ext.in_selected() { 6 } else { 0 };
        let weights = [
            22, 14, 8, 10, 3, move_w, 6, 4, uidplus_w, 2, 6, 3, unselect_w, 3, 2, 1, ext_w,
        ];
        match self.pick.weighted(&weights) {
            0 => self.fetch(false),
            1 => self.store(),
            2 => self.search(false),
            3 => self.append(),
            4 => self.transfer(false),
            5 => self.transfer(true),
            6 => self.mark_oldest_deleted(),
            7 => Some(CommandBody::Expunge),
            8 => self.uid_expunge(),
            9 => Some(CommandBody::Check),
            10 => Some(CommandBody::Noop),
            11 => self.deselect(CommandBody::Close),
            12 => self.deselect(CommandBody::Unselect),
            13 => self.select_shared(false),
            14 => self.status(),
            15 => self.list(),
            _ => self.ext_selected(false),
        }
    }

    fn read_only(&mut self) -> Option<CommandBody> {
        let ext_w = if self.ext.in_selected() { 4 } else { 0 };
        match self.pick.weighted(&[20, 8, 5, 2, 3, 3, 2, ext_w]) {
            0 => self.fetch(false),
            1 => self.search(false),
            2 => Some(CommandBody::Noop),
            3 => Some(CommandBody::Check),
            4 => self.deselect(CommandBody::Close),
            5 => self.select_shared(false),
            6 => self.status(),
            _ => self.ext_selected(true),
        }
    }

    /// Valid grammar, wrong state: what a conforming server must refuse (BAD or NO).
    fn wrong_state(&mut self) -> Option<CommandBody> {
        match &self.selected {
            None => match self.pick.below(4) {
                0 => Some(CommandBody::Check),
                1 => Some(CommandBody::Expunge),
                2 => self.fetch(true),
                _ => self.search(true),
            },
            Some(s) if s.read_only => {
                if self.pick.chance(50) {
                    Some(CommandBody::Expunge)
                } else {
                    self.store()
                }
            }
            Some(_) => None,
        }
    }

    /// An idling session: on a shared mailbox, mostly in IDLE, each idle preceded by a fetch
    /// of every message's flags (as a client syncs before it idles), now and then a NOOP, a
    /// FETCH or a move to another shared mailbox.
    fn idler_step(&mut self) -> Step {
        if self.selected.is_none() {
            let read_only = self.pick.chance(20);
            return Step::command(self.select_shared(read_only).unwrap_or(CommandBody::Noop));
        }
        if self.selected.as_ref().is_some_and(|s| !s.synced) {
            return Step::command(self.sync_flags().unwrap_or(CommandBody::Noop));
        }
        let (lo, hi) = self.plan.config.idle_hold_ms;
        match self.pick.weighted(&[70, 10, 5, 5, 5, 5]) {
            0 => {
                // Like a client, learn the flags of what the idle brought before the next one.
                if let Some(s) = self.selected.as_mut() {
                    s.synced = false;
                }
                Step::idle(self.pick.range(lo, hi.max(lo)))
            }
            1 => Step::command(CommandBody::Noop),
            2 => Step::command(self.fetch(false).unwrap_or(CommandBody::Noop)),
            3 => Step::command(self.sync_flags().unwrap_or(CommandBody::Noop)),
            4 => Step::command(self.select_shared(false).unwrap_or(CommandBody::Noop)),
            _ => Step::command(self.status().unwrap_or(CommandBody::Noop)),
        }
    }

    fn harmless(&mut self) -> Option<CommandBody> {
        match self.pick.below(3) {
            0 => Some(CommandBody::Capability),
            1 if self.ext.namespace => Some(CommandBody::Namespace),
            _ => Some(CommandBody::Noop),
        }
    }
}

#[path = "random_steps.rs"]
mod steps;

#[path = "random_ext.rs"]
mod ext;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "random_tests.rs"]
mod tests;
