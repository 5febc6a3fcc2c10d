//! UIDNEXT never decreases within one UIDVALIDITY, and always exceeds every UID already
//! seen in the mailbox (RFC 3501 §2.3.1.1), across all sessions.
//!
//! Linearizable, not naive: a value is compared only with facts seen before its command was
//! sent, since a STATUS sent earlier may legitimately answer with an older state.

use super::{Ctx, Detector, Out};
use crate::check::requirements::UIDNEXT_ONLY_GROWS;
use crate::model::{Digest, InFlight, MailboxName};
use crate::wire::command::CommandBody;
use crate::wire::response::{Data, Response, StatusItem, Tagged};

const NAME: &str = "uidnext";

pub struct UidNext;

impl Detector for UidNext {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let Response::Data(Data::MailboxStatus { mailbox, items }) = r else {
            return;
        };
        let find = |want: fn(&StatusItem<'_>) -> Option<u32>| items.iter().find_map(want);
        let validity = find(|i| match i {
            StatusItem::UidValidity(v) => Some(*v),
            _ => None,
        });
        let next = find(|i| match i {
            StatusItem::UidNext(v) => Some(*v),
            _ => None,
        });
        let (Some(validity), Some(next), Some(view)) = (validity, next, cx.view()) else {
            return;
        };
        let cmd = view.in_flight.iter().find(|c| {
            matches!(
                c.body(),
                Some(CommandBody::Status { .. } | CommandBody::List(_))
            )
        });
        let name = MailboxName::of_wire(mailbox);
        // STATUS of the session's own selected mailbox may answer from the session's view,
        // which lags the other sessions' (RFC 3501 §6.3.10 discourages asking; Dovecot
        // answers `OK [CLIENTBUG]` from its snapshot): judged only at the next SELECT. After
        // a malformed SELECT or EXAMINE the model does not know what is selected (a BAD one
        // left the old selection in place): any mailbox may be the session's own.
        let unknown = cx.selection().is_none() && cx.tainted();
        let own = unknown || cx.selection().is_some_and(|s| s.mailbox == name);
        if let Some(cmd) = cmd.filter(|_| !own) {
            judge(cx, &name, validity, next, cmd.sent_at, out);
        }
    }

    /// SELECT's UIDNEXT is judged at its completion, when its UIDVALIDITY is known too.
    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some(sel) = cx.opened_by(done, t) else {
            return;
        };
        if let (Some(validity), Some(next)) = (sel.uidvalidity, sel.uidnext) {
            judge(cx, &sel.mailbox, validity, next, done.sent_at, out);
        }
    }
}

fn judge(
    cx: &Ctx<'_>,
    mailbox: &MailboxName,
    validity: u32,
    next: u32,
    sent_at: u64,
    out: &mut Out,
) {
    let Some(tracker) = cx
        .model
        .mailboxes
        .get(mailbox)
        .and_then(|m| m.uidnext.get(&validity))
    else {
        return;
    };
    let Some((floor, who, at)) = tracker.max_before(sent_at) else {
        return;
    };
    if next < floor {
        out.push(
            cx.violation(NAME, UIDNEXT_ONLY_GROWS)
                .expected(format!(
                    "UIDNEXT of {} ≥ {floor} (UIDVALIDITY {validity}; seen by session {who})",
                    mailbox.show()
                ))
                .observed(format!("UIDNEXT {next}"))
                .evidence([at, sent_at])
                .because("UIDNEXT never decreases and exceeds every UID already assigned"),
        );
    }
}
