//! When EXPUNGE may be sent (RFC 3501 §7.4.1): not while no command is in progress, not
//! while a command is still being received, and not while answering FETCH, STORE or SEARCH
//! by sequence number (their numbers would shift under the client). The UID forms may see it.
//! QRESYNC's VANISHED without EARLIER has the same restrictions (RFC 7162 §3.2.10.2).
//!
//! With pipelining the server may be answering any command in flight, so EXPUNGE is judged
//! illegal only when every command in flight forbids it. And it is judged when they
//! complete: a command the server rejects with BAD was never executed, so no sequence
//! number of it was interpreted (hoodiecrow rejects `FETCH * FAST` and sends the EXPUNGEs
//! it had pending before its BAD).
//!
//! A command the driver gave up on (an untagged BAD taken for the answer to a malformed
//! line, a timeout) may still be running: until its own tagged line comes, an EXPUNGE may be
//! its answer (hoodiecrow sent `* BAD [SYNTAX]`, then EXPUNGEs, then the malformed command's
//! tagged BAD), so none is judged meanwhile.

use std::collections::{HashMap, HashSet};

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::{
    NO_EXPUNGE_DURING_FETCH_STORE_SEARCH, NO_EXPUNGE_WHILE_RECEIVING, NO_EXPUNGE_WITHOUT_COMMAND,
};
use crate::check::{Verdict, Violation};
use crate::history::{EventKind, SessionId};
use crate::model::Digest;
use crate::model::{InFlight, Model};
use crate::wire::grammar::encode::write_sequence_set;
use crate::wire::response::{Data, Response, StatusKind, Tagged};

const NAME: &str = "expunge-timing";

#[derive(Default)]
pub struct ExpungeTiming {
    /// Per session: findings waiting for the completions of the commands they name.
    held: HashMap<SessionId, Vec<Held>>,
    /// Per session: commands given up on whose tagged line has not come, and how many of
    /// the view's abandoned tags were taken in.
    open: HashMap<SessionId, (usize, HashSet<String>)>,
}

struct Held {
    tags: Vec<String>,
    violation: Violation,
}

impl Detector for ExpungeTiming {
    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some(list) = self.held.get_mut(&cx.session) else {
            return;
        };
        let executed = t.status.kind != StatusKind::Bad;
        let mut keep = Vec::with_capacity(list.len());
        for mut h in list.drain(..) {
            if !h.tags.contains(&done.tag) {
                keep.push(h);
            } else if executed {
                out.push(h.violation);
            } else {
                h.tags.retain(|tag| *tag != done.tag);
                if !h.tags.is_empty() {
                    keep.push(h);
                }
            }
        }
        *list = keep;
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, out: &mut Out) {
        if ends_connection(event)
            && let Some(list) = self.held.remove(&cx.session)
        {
            out_unknown(list, out);
        }
    }

    fn on_end(&mut self, _model: &Model, out: &mut Out) {
        for (_, list) in self.held.drain() {
            out_unknown(list, out);
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        if self.abandoned_still_running(cx, r) {
            return;
        }
        let Some(view) = cx.view() else {
            return;
        };
        let observed = match r {
            Response::Data(Data::Expunge(n)) => format!("* {n} EXPUNGE"),
            Response::Data(Data::Vanished {
                earlier: false,
                uids,
            }) => {
                let mut text = b"* VANISHED ".to_vec();
                write_sequence_set(&mut text, uids);
                String::from_utf8_lossy(&text).into_owned()
            }
            _ => return,
        };
        // Bytes of a malformed command may be running as a command of their own (Cyrus ran
        // `X NOOP` from a literal it did not take): its EXPUNGEs are legal, and invisible.
        if view.phantom_since.is_some() {
            return;
        }
        if view.in_flight.is_empty() {
            let v = match &view.partial {
                Some(p) => cx
                    .violation(NAME, NO_EXPUNGE_WHILE_RECEIVING)
                    .expected("no EXPUNGE while a command is still being received")
                    .observed(format!("{observed} while {} awaited its literal", p.tag))
                    .evidence([p.sent_at])
                    .because("a command waiting for literal data is not yet in progress"),
                None => cx
                    .violation(NAME, NO_EXPUNGE_WITHOUT_COMMAND)
                    .expected("no EXPUNGE while no command is in progress")
                    .observed(observed)
                    .because("an unsolicited EXPUNGE would renumber messages under the client"),
            };
            out.push(v);
            return;
        }
        if view.in_flight.iter().all(|c| c.forbids_expunge()) {
            let during: Vec<String> = view.in_flight.iter().map(|c| c.describe()).collect();
            let violation = cx
                .violation(NAME, NO_EXPUNGE_DURING_FETCH_STORE_SEARCH)
                .expected("no EXPUNGE while answering FETCH, STORE or SEARCH")
                .observed(format!("{observed} during {}", during.join(", ")))
                .evidence(view.in_flight.iter().map(|c| c.sent_at))
                .because("sequence numbers must stay stable while those commands are answered");
            let tags = view.in_flight.iter().map(|c| c.tag.clone()).collect();
            self.held
                .entry(cx.session)
                .or_default()
                .push(Held { tags, violation });
        }
    }
}

impl ExpungeTiming {
    /// Takes in newly abandoned commands and late tagged lines; whether one is still open.
    fn abandoned_still_running(&mut self, cx: &Ctx<'_>, r: &Response<'_>) -> bool {
        let Some(view) = cx.view() else {
            return false;
        };
        let (taken, open) = self.open.entry(cx.session).or_default();
        if view.abandoned.len() < *taken {
            // A new connection: a fresh view.
            *taken = 0;
            open.clear();
        }
        open.extend(view.abandoned[*taken..].iter().cloned());
        *taken = view.abandoned.len();
        if let Response::Tagged(t) = r {
            open.remove(String::from_utf8_lossy(t.tag.as_bytes()).as_ref());
        }
        !open.is_empty()
    }
}

/// Whether the commands were executed is unknown: so is the finding.
fn out_unknown(list: Vec<Held>, out: &mut Out) {
    for h in list {
        out.push(h.violation.graded(Verdict::Unknown));
    }
}
