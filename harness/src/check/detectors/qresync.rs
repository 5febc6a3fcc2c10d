//! QRESYNC's VANISHED (RFC 7162 §3.2.10): once a connection enabled QRESYNC (its ENABLE got an
//! ENABLED naming it), expunges reach it as VANISHED, never as EXPUNGE, unless the selected
//! mailbox said `[NOMODSEQ]`; before that, no VANISHED without EARLIER is sent at all; and a
//! VANISHED without EARLIER names only messages of the session's view, one per UID. A
//! SELECT/EXAMINE with the QRESYNC parameter is BAD before that ENABLE and valid after it.
//!
//! A UID the view does not know may still be a message of it whose UID it was never told:
//! only a UID that falls where the view has no such message is a finding. What the
//! connection enabled and whether the mailbox said NOMODSEQ are the model's.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{
    QRESYNC_AFTER_ENABLE, QRESYNC_NEEDS_ENABLE, VANISHED_ONLY_VISIBLE, VANISHED_ONLY_WHEN_ENABLED,
    VANISHED_REPLACES_EXPUNGE,
};
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody;
use crate::wire::grammar::SequenceSet;
use crate::wire::grammar::encode::write_sequence_set;
use crate::wire::response::{Data, Response, StatusKind, Tagged};

const NAME: &str = "qresync";

pub struct Qresync;

/// The event of the ENABLED that named QRESYNC on this connection, if one did.
fn enabled(cx: &Ctx<'_>) -> Option<u64> {
    cx.view()?.enabled_since("QRESYNC")
}

impl Detector for Qresync {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let Response::Data(data) = r else {
            return;
        };
        match data {
            Data::Expunge(n) => expunge(cx, *n, out),
            Data::Vanished {
                earlier: false,
                uids,
            } => {
                let mut text = b"* VANISHED ".to_vec();
                write_sequence_set(&mut text, uids);
                let observed = String::from_utf8_lossy(&text).into_owned();
                if enabled(cx).is_none() {
                    out.push(
                        cx.violation(NAME, VANISHED_ONLY_WHEN_ENABLED)
                            .expected("EXPUNGE responses: this connection never enabled QRESYNC")
                            .observed(observed)
                            .because("VANISHED replaces EXPUNGE only after ENABLE QRESYNC"),
                    );
                    return;
                }
                visible(cx, uids, observed, out);
            }
            _ => {}
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let asks = matches!(
            done.body(),
            Some(CommandBody::Select(s) | CommandBody::Examine(s)) if s.qresync.is_some()
        );
        if !asks || done.mutation.is_some() {
            return;
        }
        let bad = t.status.kind == StatusKind::Bad;
        let v = match (enabled(cx), bad) {
            (None, false) => cx
                .violation(NAME, QRESYNC_NEEDS_ENABLE)
                .expected("BAD: this connection never enabled QRESYNC")
                .observed(format!("{} answered {:?}", done.describe(), t.status.kind)),
            (Some(since), true) => cx
                .violation(NAME, QRESYNC_AFTER_ENABLE)
                .expected("OK or NO: this connection enabled QRESYNC")
                .observed(format!("{} answered BAD", done.describe()))
                .evidence([since]),
            _ => return,
        };
        out.push(v.because("the QRESYNC parameter is valid exactly after ENABLE QRESYNC"));
    }
}

fn expunge(cx: &Ctx<'_>, n: u32, out: &mut Out) {
    let Some(since) = enabled(cx) else {
        return;
    };
    if cx.selection().is_some_and(|s| s.no_modseq) {
        return;
    }
    out.push(
        cx.violation(NAME, VANISHED_REPLACES_EXPUNGE)
            .expected("VANISHED (without EARLIER) for expunged messages")
            .observed(format!("* {n} EXPUNGE"))
            .evidence([since])
            .because("this connection enabled QRESYNC (the ENABLED response named it)"),
    );
}

/// Detectors see a response before the model applies it: every UID must be a message
/// of the view (one it knows the UID of, or one in the gap where that UID would be).
fn visible(cx: &Ctx<'_>, uids: &SequenceSet, observed: String, out: &mut Out) {
    let Some(sel) = cx.selection() else {
        return;
    };
    // While a SELECT is on its way, or bytes of a malformed line run as a command of
    // their own, a VANISHED may belong to the mailbox the view no longer holds.
    let unsure = cx
        .view()
        .is_some_and(|v| v.phantom_since.is_some() || v.in_flight.iter().any(|c| c.is_select()));
    let (_, unplaced) = sel.vanished_seqs(uids);
    if unplaced == 0 || cx.tainted() || unsure {
        return;
    }
    out.push(
        cx.violation(NAME, VANISHED_ONLY_VISIBLE)
            .expected(format!(
                "UIDs of this view's {} messages only",
                sel.exists()
            ))
            .observed(format!(
                "{observed}: {unplaced} UIDs no message of the view can be"
            ))
            .because("each UID of a VANISHED without EARLIER is a message the session sees"),
    );
}
