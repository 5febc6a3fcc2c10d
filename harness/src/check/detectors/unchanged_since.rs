//! STORE (UNCHANGEDSINCE 0) on a system flag (RFC 7162 §3.1.3): "Use of UNCHANGEDSINCE with a
//! modification sequence of 0 always fails if the metadata item exists. A system flag MUST
//! always be considered existent". So an OK to such a STORE must carry `[MODIFIED set]`
//! naming every message the command surely named (message numbers, or UIDs for UID STORE).
//! Keywords may not exist yet, so a STORE of keywords alone is not judged.
//!
//! A message another session expunged is not stored to, so not MODIFIED either, though this
//! session still sees it: a finding waits until the session completes a NOOP, CHECK or IDLE
//! with the message still in its view, and is dropped if its EXPUNGE or VANISHED comes
//! first, or the selection or the connection ends.

use std::collections::HashMap;

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::Violation;
use crate::check::requirements::UNCHANGEDSINCE_ZERO_FAILS;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, Largest};
use crate::wire::command::{CommandBody, Flag, Store};
use crate::wire::response::{Code, Data, Response, StatusKind, Tagged};

const NAME: &str = "unchangedsince";

#[derive(Default)]
pub struct UnchangedSince {
    /// What `*` stood for when each such STORE was sent, by session and tag.
    then: HashMap<(SessionId, String), Largest>,
    /// Per session: findings waiting, with the UIDs still unexplained.
    held: HashMap<SessionId, Vec<(Vec<u32>, Violation)>>,
}

impl Detector for UnchangedSince {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        if let (Some(_), Some(sel)) = (judged(command), cx.selection()) {
            self.then
                .insert((cx.session, command.tag.clone()), sel.largest());
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            self.then.retain(|(session, _), _| *session != cx.session);
            self.held.remove(&cx.session);
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        let (Some(list), Some(sel)) = (self.held.get_mut(&cx.session), cx.selection()) else {
            return;
        };
        // The view before the model applies this response: what leaves it.
        let gone: Vec<u32> = match r {
            Response::Data(Data::Expunge(n)) => sel.slot(*n).map(|s| s.uid).into_iter().collect(),
            Response::Data(Data::Vanished {
                earlier: false,
                uids,
            }) => sel
                .slots
                .iter()
                .map(|s| s.uid)
                .filter(|&u| uids.contains(u))
                .collect(),
            _ => return,
        };
        for (uids, _) in list.iter_mut() {
            uids.retain(|u| !gone.contains(u));
        }
        list.retain(|(uids, _)| !uids.is_empty());
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        match done.name.as_str() {
            // The commands that poll for news: by their OK, an expunge would have come.
            "NOOP" | "CHECK" | "IDLE"
                if t.status.kind == StatusKind::Ok && done.mutation.is_none() =>
            {
                for (_, v) in self.held.remove(&cx.session).unwrap_or_default() {
                    out.push(v);
                }
            }
            // The selection ends without its pending expunges (even a malformed one may).
            "SELECT" | "EXAMINE" | "CLOSE" | "UNSELECT" | "LOGOUT" => {
                self.held.remove(&cx.session);
            }
            _ => {}
        }
        let Some(then) = self.then.remove(&(cx.session, done.tag.clone())) else {
            return;
        };
        let (Some(store), Some(sel)) = (judged(done), cx.selection()) else {
            return;
        };
        if t.status.kind != StatusKind::Ok || sel.read_only || cx.tainted() {
            return;
        }
        let modified = match &t.status.text.code {
            Some(Code::Modified(set)) => Some(set),
            _ => None,
        };
        // (number in the code, UID) of each named message the code leaves out.
        let missing: Vec<(u32, u32)> = sel
            .seqs_surely_in(&store.set, store.uid, then)
            .into_iter()
            .filter_map(|seq| {
                let uid = sel.slot(seq).map_or(0, |s| s.uid);
                let n = if store.uid { uid } else { seq };
                (uid != 0 && !modified.is_some_and(|m| m.contains(n))).then_some((n, uid))
            })
            .collect();
        let Some(&(first, _)) = missing.first() else {
            return;
        };
        let what = if store.uid { "UID" } else { "message" };
        let uids = missing.iter().map(|&(_, uid)| uid).collect();
        let v = cx
            .violation(NAME, UNCHANGEDSINCE_ZERO_FAILS)
            .expected(format!(
                "OK [MODIFIED …] naming every message of {}",
                done.tag
            ))
            .observed(format!(
                "{what} {first} not in {} ({} missing)",
                if modified.is_some() {
                    "[MODIFIED]"
                } else {
                    "an OK without [MODIFIED]"
                },
                missing.len()
            ))
            .evidence([done.sent_at])
            .because("UNCHANGEDSINCE 0 fails for a system flag: its mod-sequence is above 0");
        self.held.entry(cx.session).or_default().push((uids, v));
    }
}

/// The STOREs judged: UNCHANGEDSINCE 0, a system flag among the flags, sent as is.
fn judged(command: &InFlight) -> Option<&Store> {
    let Some(CommandBody::Store(store)) = command.body() else {
        return None;
    };
    let system = |f: &Flag| !matches!(f, Flag::Keyword(_));
    let zero = store.unchanged_since.is_some_and(|m| m.get() == 0);
    (zero && command.mutation.is_none() && store.flags.iter().any(system)).then_some(store)
}
