//! Push to idling sessions (RFC 2177). While IDLE is active "the server is now free to send
//! untagged EXISTS, EXPUNGE, and other messages at any time"; the extension exists so a
//! client learns of changes without polling. RFC 2177 states no deadline, so a change that
//! never reaches an idling session is graded by R2177-3-I01 (an implied SHOULD: NonStrict),
//! and the time it took is measured for the report.
//!
//! A change is another session's APPEND, or a COPY or MOVE whose COPYUID says it copied
//! something, into the mailbox (a new message: EXISTS is due), or its EXPUNGE, UID EXPUNGE
//! or MOVE that expunged something there (EXPUNGE or VANISHED is due). STORE is left out: whether it changed anything is not visible to us.
//! A change is judged against a session that was idling (had its `+`) before the change
//! was sent and kept idling until the bound after the change completed. A new message
//! counts as pushed by any EXISTS after the change was sent, and is not judged when anything
//! was expunged in the mailbox meanwhile (it may be gone again). An expunge is judged by
//! message: the UIDs the changing session saw expunged (its view maps the EXPUNGEs'
//! sequence numbers; VANISHED names them) must be gone from the idling session's view by
//! DONE. An EXPUNGE command also delivers other sessions' earlier expunges, so "any
//! EXPUNGE after it was sent" would blame the idler for news it already had. Latency is
//! measured from the change's completion to the first response of its kind.
//!
//! IDLE's own rules: after DONE the completion must follow (R2177-3-02: liveness covers a
//! server that never sends it).

use std::collections::{HashMap, HashSet};

use super::stalls::Stalls;
use super::{Ctx, Detector, Out};
use crate::check::requirements::IDLE_PUSHES_CHANGES;
use crate::check::verdict::Verdict;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, MailboxName};
use crate::wire::command::CommandBody;
use crate::wire::response::{Code, Data, Response, StatusKind, Tagged};

const NAME: &str = "push";

/// Without a bound in the run's meta (scenarios, replays): five seconds.
const DEFAULT_BOUND_MS: u64 = 5_000;

/// Changes kept per mailbox: an idle period lasts seconds, a few hundred changes cover it.
const KEPT: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A message arrived: EXISTS is due.
    Arrived,
    /// A message left: EXPUNGE or VANISHED is due.
    Left,
}

impl Kind {
    fn due(self) -> &'static str {
        match self {
            Kind::Arrived => "* n EXISTS",
            Kind::Left => "* n EXPUNGE (or VANISHED)",
        }
    }
}

#[derive(Clone, Debug)]
struct Change {
    session: SessionId,
    kind: Kind,
    what: String,
    /// CLOSE expunges without telling anyone what: it only excuses a missing EXISTS.
    judged: bool,
    /// For an expunge: the UIDs that left (as the changing session knew them).
    uids: Vec<u32>,
    sent_index: u64,
    done_index: u64,
    done_us: u64,
}

/// A session idling on a mailbox, from its `+` on (shared with `push_flags`).
#[derive(Clone, Debug)]
pub(super) struct Idling<P> {
    pub mailbox: MailboxName,
    pub tag: String,
    pub since_index: u64,
    /// Pushed responses: what (a kind, a UID), time, event.
    pub pushes: Vec<(P, u64, u64)>,
}

impl<P> Idling<P> {
    /// On a `+`: the session idles on its selected mailbox from now, if an IDLE is in
    /// flight.
    pub fn start(cx: &Ctx<'_>) -> Option<Idling<P>> {
        let (view, sel) = (cx.view()?, cx.selection()?);
        let idle = (view.in_flight.iter()).find(|c| matches!(c.body(), Some(CommandBody::Idle)))?;
        Some(Idling {
            mailbox: sel.mailbox.clone(),
            tag: idle.tag.clone(),
            since_index: cx.index,
            pushes: Vec::new(),
        })
    }
}

/// The client's `DONE`: whatever was due to the idler is due now.
pub(super) fn is_done(event: &EventKind) -> bool {
    matches!(event, EventKind::Sent { tag: None, bytes, .. }
        if bytes.bytes().eq_ignore_ascii_case(b"DONE\r\n"))
}

#[derive(Default)]
pub struct Push {
    idling: HashMap<SessionId, Idling<Kind>>,
    changes: HashMap<MailboxName, Vec<Change>>,
    /// EXPUNGE/VANISHED each session received since its last completion, and the UIDs
    /// they named (where the session knew them).
    expunged: HashMap<SessionId, (u32, Vec<u32>)>,
    /// The mailbox each session's CLOSE in flight leaves.
    closing: HashMap<SessionId, MailboxName>,
    /// Sessions told an untagged COPYUID (MOVE's) since their last completion.
    copyuid: HashSet<SessionId>,
    /// When the server answered nobody: no push is late across such a span.
    stalls: Stalls,
}

impl Detector for Push {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        if matches!(command.body(), Some(CommandBody::Close))
            && let Some(sel) = cx.selection().filter(|s| !s.read_only)
        {
            self.closing.insert(cx.session, sel.mailbox.clone());
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        let kind = match r {
            Response::Continue(_) => {
                if let Some(idling) = Idling::start(cx) {
                    self.idling.insert(cx.session, idling);
                }
                return;
            }
            Response::Data(Data::Status(s)) => {
                if matches!(s.text.code, Some(Code::CopyUid { .. })) {
                    self.copyuid.insert(cx.session);
                }
                return;
            }
            Response::Data(Data::Exists(_)) => Kind::Arrived,
            Response::Data(Data::Expunge(seq)) => {
                let uid = cx.selection().and_then(|s| s.slot(*seq)).map(|s| s.uid);
                let seen = self.expunged.entry(cx.session).or_default();
                seen.0 += 1;
                seen.1.extend(uid.filter(|&u| u != 0));
                Kind::Left
            }
            Response::Data(Data::Vanished { earlier, uids }) => {
                let seen = self.expunged.entry(cx.session).or_default();
                seen.0 += 1;
                if let (false, Some((lo, hi))) = (*earlier, uids.bounds())
                    && uids.count() == Some(u64::from(hi - lo) + 1)
                    && hi - lo < 10_000
                {
                    seen.1.extend(lo..=hi);
                }
                Kind::Left
            }
            _ => return,
        };
        if let Some(idle) = self.idling.get_mut(&cx.session) {
            idle.pushes.push((kind, cx.at_us, cx.index));
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, _out: &mut Out) {
        let (expunged, gone) = self.expunged.remove(&cx.session).unwrap_or_default();
        let told_copyuid = self.copyuid.remove(&cx.session);
        if matches!(done.body(), Some(CommandBody::Idle)) {
            self.idling.remove(&cx.session);
            return;
        }
        if t.status.kind != StatusKind::Ok {
            return;
        }
        // Something was copied or moved only if COPYUID says so (tagged for COPY, untagged
        // for MOVE): a MOVE of a UID another session expunged moves nothing.
        let copied = told_copyuid || matches!(t.status.text.code, Some(Code::CopyUid { .. }));
        let selected = cx.selection().map(|s| s.mailbox.clone());
        let (into, left) = match done.body() {
            Some(CommandBody::Append(a)) => (Some(MailboxName::new(a.mailbox.as_bytes())), None),
            Some(CommandBody::Copy { mailbox, .. }) if copied => {
                (Some(MailboxName::new(mailbox.as_bytes())), None)
            }
            Some(CommandBody::Move { mailbox, .. }) => (
                copied.then(|| MailboxName::new(mailbox.as_bytes())),
                selected.filter(|_| expunged > 0),
            ),
            Some(CommandBody::Expunge | CommandBody::UidExpunge(_)) if expunged > 0 => {
                (None, selected)
            }
            Some(CommandBody::Close) => (None, self.closing.remove(&cx.session)),
            _ => return,
        };
        if let Some(mailbox) = into {
            self.record(mailbox, Kind::Arrived, Vec::new(), cx, done);
        }
        if let Some(mailbox) = left {
            self.record(mailbox, Kind::Left, gone, cx, done);
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, out: &mut Out) {
        self.stalls.note(cx, event);
        match event {
            e if is_done(e) => {
                if let Some(idle) = self.idling.remove(&cx.session) {
                    self.judge(cx, &idle, out);
                }
            }
            e if super::ends_connection(e) => {
                self.idling.remove(&cx.session);
                self.expunged.remove(&cx.session);
                self.closing.remove(&cx.session);
                self.copyuid.remove(&cx.session);
            }
            _ => {}
        }
    }
}

impl Push {
    fn record(
        &mut self,
        mailbox: MailboxName,
        kind: Kind,
        uids: Vec<u32>,
        cx: &Ctx<'_>,
        done: &InFlight,
    ) {
        let list = self.changes.entry(mailbox).or_default();
        list.push(Change {
            session: cx.session,
            kind,
            what: done.describe(),
            judged: !matches!(done.body(), Some(CommandBody::Close))
                && (kind == Kind::Arrived || !uids.is_empty()),
            uids,
            sent_index: done.sent_at,
            done_index: cx.index,
            done_us: cx.at_us,
        });
        if list.len() > KEPT {
            list.remove(0);
        }
    }

    /// The session sent DONE: every change made while it idled was due by now.
    fn judge(&self, cx: &Ctx<'_>, idle: &Idling<Kind>, out: &mut Out) {
        let bound_us = cx.model.push_bound_ms.unwrap_or(DEFAULT_BOUND_MS) * 1000;
        let Some(changes) = self.changes.get(&idle.mailbox) else {
            return;
        };
        let during = changes
            .iter()
            .filter(|c| c.judged && c.session != cx.session && c.sent_index > idle.since_index);
        for change in during {
            let pushed = idle
                .pushes
                .iter()
                .find(|(kind, _, index)| *kind == change.kind && *index > change.sent_index);
            if let Some(&(_, at_us, _)) = pushed {
                let latency = at_us.saturating_sub(change.done_us);
                out.measures().push_latency_us.push(latency);
                continue;
            }
            let waited = cx.at_us.saturating_sub(change.done_us);
            if waited < bound_us
                || self.undone(changes, change)
                || !still_shown(cx, change)
                || self.stalls.overlap(change.done_us, cx.at_us)
            {
                continue;
            }
            out.measures().push_missed += 1;
            out.push(
                cx.violation(NAME, IDLE_PUSHES_CHANGES)
                    .graded(Verdict::NonStrict)
                    .expected(format!(
                        "{} pushed to the session idling on {} (IDLE {})",
                        change.kind.due(),
                        idle.mailbox.show(),
                        idle.tag
                    ))
                    .observed(format!(
                        "session {}'s {} completed {} ms before DONE; nothing of its kind was pushed",
                        change.session,
                        change.what,
                        waited / 1000
                    ))
                    .evidence([idle.since_index, change.sent_index, change.done_index])
                    .because(format!(
                        "IDLE exists for immediate mailbox updates; the bound for this target is {} ms",
                        bound_us / 1000
                    ))
                    .on_view(cx),
            );
        }
    }

    /// A new message that something expunged may have removed again before anyone was
    /// told: the server need not announce it.
    fn undone(&self, changes: &[Change], change: &Change) -> bool {
        change.kind == Kind::Arrived
            && changes
                .iter()
                .any(|c| c.kind == Kind::Left && c.done_index > change.sent_index)
    }
}

/// Whether the idling session has not been told of the change: for an expunge, one of its
/// UIDs is still in the session's view; for a new message, no EXISTS came (checked by the
/// caller), so yes.
fn still_shown(cx: &Ctx<'_>, change: &Change) -> bool {
    match change.kind {
        Kind::Arrived => true,
        Kind::Left => cx
            .selection()
            .is_some_and(|s| change.uids.iter().any(|u| s.by_uid.contains_key(u))),
    }
}
