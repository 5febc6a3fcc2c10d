//! The sequence number ↔ UID map of a session: a message keeps its UID for the session,
//! UIDs ascend with sequence numbers, and a FETCH names only messages announced by EXISTS.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{NEW_MESSAGE_SEQ, SEQ_FOLLOWS_UID, UID_STABLE_IN_SESSION};
use crate::model::{Digest, FetchFacts, Selection};
use crate::wire::response::Response;

const NAME: &str = "seq-uid-map";

pub struct SeqMap;

impl Detector for SeqMap {
    fn on_response(&mut self, cx: &Ctx<'_>, _r: &Response<'_>, d: &Digest, out: &mut Out) {
        let (Some(facts), Some(sel)) = (&d.fetch, cx.selection()) else {
            return;
        };
        if sel.exists_told && facts.seq > sel.exists() {
            out.push(
                cx.violation(NAME, NEW_MESSAGE_SEQ)
                    .expected(format!(
                        "FETCH of a sequence number in 1..={}",
                        sel.exists()
                    ))
                    .observed(format!("* {} FETCH", facts.seq))
                    .evidence([sel.opened_at])
                    .because("a new message must be announced with EXISTS before it is referenced")
                    .on_view(cx),
            );
            return;
        }
        if let Some(uid) = facts.uid {
            check_uid(cx, sel, facts, uid, out);
        }
    }
}

fn check_uid(cx: &Ctx<'_>, sel: &Selection, facts: &FetchFacts, uid: u32, out: &mut Out) {
    let seq = facts.seq;
    let known = sel.slot(seq).map_or(0, |s| s.uid);
    if known != 0 && known != uid {
        out.push(
            cx.violation(NAME, UID_STABLE_IN_SESSION)
                .expected(format!("message {seq} has UID {known}"))
                .observed(format!("* {seq} FETCH (UID {uid})"))
                .evidence([sel.opened_at])
                .because("a message's UID must not change within a session")
                .on_view(cx),
        );
        return;
    }
    let before = seq
        .checked_sub(1)
        .and_then(|s| sel.slot(s))
        .map_or(0, |s| s.uid);
    let after = sel.slot(seq + 1).map_or(0, |s| s.uid);
    let misordered = (before != 0 && before >= uid) || (after != 0 && after <= uid);
    if misordered {
        out.push(
            cx.violation(NAME, SEQ_FOLLOWS_UID)
                .expected(format!(
                    "UID of message {seq} between {before} and {} (its neighbours)",
                    if after == 0 {
                        "∞".to_string()
                    } else {
                        after.to_string()
                    }
                ))
                .observed(format!("* {seq} FETCH (UID {uid})"))
                .evidence([sel.opened_at])
                .because("message sequence numbers must follow ascending UID order")
                .on_view(cx),
        );
    }
}
