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

use super::held::{Explained, Held};
use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::UNCHANGEDSINCE_ZERO_FAILS;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, Largest};
use crate::wire::command::{CommandBody, Flag, Store};
use crate::wire::response::{Code, Response, StatusKind, Tagged};

const NAME: &str = "unchangedsince";

#[derive(Default)]
pub struct UnchangedSince {
    /// What `*` stood for when each such STORE was sent, by session and tag.
    then: HashMap<(SessionId, String), Largest>,
    /// Findings waiting for the session's next poll, with the UIDs still unexplained.
    held: Held,
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
        }
        self.held.on_event(cx, event);
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        self.held.on_response(cx, r);
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        self.held.on_completed(cx, done, t, out);
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
        self.held.hold(cx.session, uids, Explained::WhenAllLeft, v);
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
