//! Flag changes pushed to idling sessions. RFC 3501 §5.2: "A server SHOULD send message flag
//! updates automatically, without requiring the client to request such an update
//! explicitly"; a session idling (RFC 2177) waits for exactly such updates. So when another
//! session's STORE changed a message's flags, a session idling on the mailbox should have
//! been told the new flags by the time it sends DONE (R3501-5.2-04, a SHOULD: NonStrict),
//! and the time it took is measured for the report.
//!
//! What a STORE changed is what the storing session was told: the FETCH FLAGS it received
//! for the messages the command named (a `.SILENT` STORE tells nothing and is not judged).
//! A message is judged only where the answer is not in doubt:
//! - the idler had been told the message's flags (else we cannot say they changed for it),
//!   and what it was told differs from the STORE's result (else nothing needed telling);
//! - no other STORE that may have named the message completed after this one was sent (the
//!   final flags would depend on the order the server applied them): by UID set for a UID
//!   STORE, by the UIDs its numbers named for a STORE by number, any message when one of
//!   those UIDs was unknown; and it is still in the idler's view (an expunge makes its
//!   flags moot);
//! - only flags both sessions share are compared: `\Recent` is per session, and a flag
//!   PERMANENTFLAGS does not list may last only for the storing session (RFC 3501 §7.1).
//!
//! Latency runs from the STORE's completion to the first FETCH FLAGS for the message
//! pushed to the idler after the STORE was sent. It is measured for contested STOREs too
//! (only a miss needs the final flags settled), once per push, from the first STORE the
//! push answers.

use std::collections::HashMap;

use super::push::{Idling, is_done};
use super::stalls::Stalls;
use super::{Ctx, Detector, Out};
use crate::check::requirements::FLAG_CHANGES_PUSHED;
use crate::check::verdict::Verdict;
use crate::history::{EventKind, SessionId};
use crate::model::flags::{FlagTable, RECENT, WILDCARD, is_keyword};
use crate::model::session::{set_contains, set_may_contain};
use crate::model::{Digest, FlagSet, InFlight, MailboxName, Selection};
use crate::wire::command::{CommandBody, SequenceSet, Store};
use crate::wire::response::{Response, StatusKind, Tagged};

const NAME: &str = "push-flags";

/// Without a bound in the run's meta (scenarios, replays): five seconds.
const DEFAULT_BOUND_MS: u64 = 5_000;

/// STOREs kept per mailbox: an idle period lasts seconds, a few hundred cover it.
const KEPT: usize = 512;

/// A completed STORE and the flags it left, as the storing session was told them.
#[derive(Clone, Debug)]
struct Stored {
    session: SessionId,
    what: String,
    /// UID → the flags both sessions share (see [`shared`]).
    flags: Vec<(u32, FlagSet)>,
    /// Which messages it may have changed (a `.SILENT` one's too): another STORE on them
    /// meanwhile makes the final flags depend on the order the server applied the two.
    reach: Reach,
    sent_index: u64,
    done_index: u64,
    done_us: u64,
}

#[derive(Default)]
pub struct PushFlags {
    /// Idling sessions; their pushes are FETCH FLAGS, by UID.
    idling: HashMap<SessionId, Idling<u32>>,
    stores: HashMap<MailboxName, Vec<Stored>>,
    /// FETCH FLAGS each session received for its one STORE in flight (UID, shared flags).
    told: HashMap<SessionId, Vec<(u32, FlagSet)>>,
    /// When the server answered nobody: no push is late across such a span.
    stalls: Stalls,
}

impl Detector for PushFlags {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, d: &Digest, _out: &mut Out) {
        if matches!(r, Response::Continue(_)) {
            if let Some(idling) = Idling::start(cx) {
                self.idling.insert(cx.session, idling);
            }
            return;
        }
        let (Some(fetch), Some(sel)) = (&d.fetch, cx.selection()) else {
            return;
        };
        let Some(flags) = &fetch.flags else { return };
        let uid = (fetch.uid)
            .or_else(|| sel.slot(fetch.seq).map(|s| s.uid))
            .filter(|&u| u != 0);
        let Some(uid) = uid else { return };
        if let Some(idle) = self.idling.get_mut(&cx.session) {
            idle.pushes.push((uid, cx.at_us, cx.index));
        }
        if let Some(store) = one_store(cx)
            && names(store, sel, fetch.seq, uid)
        {
            let shared = shared(flags, sel, &cx.model.flags);
            self.told.entry(cx.session).or_default().push((uid, shared));
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, _out: &mut Out) {
        let told = self.told.remove(&cx.session).unwrap_or_default();
        if matches!(done.body(), Some(CommandBody::Idle)) {
            self.idling.remove(&cx.session);
            return;
        }
        let Some(CommandBody::Store(store)) = done.body() else {
            return;
        };
        let Some(sel) = cx.selection().filter(|_| t.status.kind == StatusKind::Ok) else {
            return;
        };
        let list = self.stores.entry(sel.mailbox.clone()).or_default();
        list.push(Stored {
            session: cx.session,
            what: done.describe(),
            flags: told,
            reach: Reach::of(store, sel),
            sent_index: done.sent_at,
            done_index: cx.index,
            done_us: cx.at_us,
        });
        if list.len() > KEPT {
            list.remove(0);
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
                self.told.remove(&cx.session);
            }
            _ => {}
        }
    }
}

impl PushFlags {
    /// The session sent DONE: every flag change made while it idled was due by now.
    fn judge(&self, cx: &Ctx<'_>, idle: &Idling<u32>, out: &mut Out) {
        let bound_us = cx.model.push_bound_ms.unwrap_or(DEFAULT_BOUND_MS) * 1000;
        let (Some(stores), Some(sel)) = (self.stores.get(&idle.mailbox), cx.selection()) else {
            return;
        };
        let during =
            (stores.iter()).filter(|s| s.session != cx.session && s.sent_index > idle.since_index);
        // A push answers every change made before it: measured once, from the first.
        let mut measured = std::collections::HashSet::new();
        for store in during {
            for (uid, flags) in &store.flags {
                let pushed = (idle.pushes.iter())
                    .find(|(u, _, index)| u == uid && *index > store.sent_index);
                if let Some(&(_, at_us, index)) = pushed {
                    if measured.insert(index) {
                        let latency = at_us.saturating_sub(store.done_us);
                        out.measures().flag_push_latency_us.push(latency);
                    }
                    continue;
                }
                if contested(stores, store, *uid) {
                    continue;
                }
                let slot = sel.by_uid.get(uid).and_then(|&seq| sel.slot(seq));
                let Some(known) = slot.and_then(|s| s.flags.as_ref()) else {
                    continue;
                };
                let waited = cx.at_us.saturating_sub(store.done_us);
                if shared(known, sel, &cx.model.flags) == *flags
                    || waited < bound_us
                    || self.stalls.overlap(store.done_us, cx.at_us)
                {
                    continue;
                }
                out.measures().flag_push_missed += 1;
                let show = |f: &FlagSet| cx.model.flags.show(f);
                out.push(
                    cx.violation(NAME, FLAG_CHANGES_PUSHED)
                        .graded(Verdict::NonStrict)
                        .expected(format!(
                            "* n FETCH (FLAGS {}) for UID {uid} pushed to the session idling on {} (IDLE {})",
                            show(flags),
                            idle.mailbox.show(),
                            idle.tag
                        ))
                        .observed(format!(
                            "session {}'s {} completed {} ms before DONE; the idling session still knows UID {uid} as {}",
                            store.session,
                            store.what,
                            waited / 1000,
                            show(known)
                        ))
                        .evidence([idle.since_index, store.sent_index, store.done_index])
                        .because(format!(
                            "IDLE waits for exactly these updates; the bound for this target is {} ms",
                            bound_us / 1000
                        ))
                        .on_view(cx),
                );
                // One finding per STORE: its other messages tell the same story.
                break;
            }
        }
    }
}

/// The session's STORE in flight, if it has exactly one (with two pipelined, a FETCH
/// could belong to either).
fn one_store<'a>(cx: &'a Ctx<'_>) -> Option<&'a Store> {
    let view = cx.view()?;
    let mut stores = (view.in_flight.iter()).filter_map(|c| match c.body() {
        Some(CommandBody::Store(s)) => Some(s),
        _ => None,
    });
    let first = stores.next()?;
    stores.next().is_none().then_some(first)
}

/// Whether `store` names the message at `seq` with `uid` in this view.
fn names(store: &Store, sel: &Selection, seq: u32, uid: u32) -> bool {
    if store.uid {
        let largest = sel.slots.last().map_or(0, |s| s.uid).max(uid);
        set_contains(&store.set, uid, largest)
    } else {
        set_contains(&store.set, seq, sel.exists())
    }
}

/// Another STORE that may have named `uid` completed after `store` was sent: the final
/// flags depend on the order the server applied the two.
fn contested(stores: &[Stored], store: &Stored, uid: u32) -> bool {
    stores.iter().any(|other| {
        !std::ptr::eq(other, store) && other.done_index > store.sent_index && other.reach.names(uid)
    })
}

/// The messages a STORE may have changed, by UID, whether or not it answered with FETCH.
#[derive(Clone, Debug)]
enum Reach {
    /// A UID STORE: its set.
    Uids(SequenceSet),
    /// A STORE by number whose messages' UIDs the session all knew.
    Known(Vec<u32>),
    /// A STORE by number naming a message of unknown UID, or too many to list.
    Any,
}

impl Reach {
    /// Messages listed for a STORE by number before it counts as reaching any.
    const LISTED: usize = 4096;

    /// Worked out at the STORE's completion. No EXPUNGE may come during a STORE by number
    /// (RFC 3501 §7.4.1), so its numbers still name what they named when it was sent. `*`
    /// is the largest number or UID when the server ran it, which may be below any `n` of
    /// `n:*` (the range then reaches down to it): an item with `*` may name any message
    /// ([`set_may_contain`]).
    fn of(store: &Store, sel: &Selection) -> Reach {
        if store.uid {
            return Reach::Uids(store.set.clone());
        }
        let mut uids = Vec::new();
        for (seq, slot) in (1..).zip(&sel.slots) {
            if !set_may_contain(&store.set, seq) {
                continue;
            }
            if slot.uid == 0 || uids.len() == Self::LISTED {
                return Reach::Any;
            }
            uids.push(slot.uid);
        }
        uids.sort_unstable();
        Reach::Known(uids)
    }

    fn names(&self, uid: u32) -> bool {
        match self {
            Reach::Uids(set) => set_may_contain(set, uid),
            Reach::Known(uids) => uids.binary_search(&uid).is_ok(),
            Reach::Any => true,
        }
    }
}

/// The flags of `flags` every session sees alike: without `\Recent`, and (where the
/// selection was told PERMANENTFLAGS) only the permanent ones; without it, the system flags.
fn shared(flags: &FlagSet, sel: &Selection, table: &FlagTable) -> FlagSet {
    let permanent = |f| match &sel.permanent {
        Some(p) => p.contains(f) || (p.contains(WILDCARD) && is_keyword(table, f)),
        None => f < RECENT,
    };
    FlagSet::from_ids(flags.iter().filter(|&f| f != RECENT && permanent(f)))
}
