//! UIDVALIDITY: constant while a mailbox is selected; never smaller for the same name than
//! a value seen before (RFC 3501 §2.3.1.1: when UIDs do not persist, the new value must be
//! greater); and STATUS agrees with what a session that has the mailbox selected was told.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{
    STATUS_AGREES_WITH_SELECT, UID_STABLE_IN_SESSION, UIDVALIDITY_GROWS,
};
use crate::model::{ConnState, Digest, MailboxName};
use crate::wire::command::CommandBody;
use crate::wire::response::{Code, Data, Response, StatusItem};

const NAME: &str = "uidvalidity";

pub struct UidValidity;

impl Detector for UidValidity {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        match r {
            Response::Data(Data::Status(s)) => {
                if let Some(Code::UidValidity(v)) = s.text.code {
                    selected_code(cx, v, out);
                }
            }
            Response::Data(Data::MailboxStatus { mailbox, items }) => {
                let value = items.iter().find_map(|i| match i {
                    StatusItem::UidValidity(v) => Some(*v),
                    _ => None,
                });
                if let Some(v) = value {
                    status(cx, &MailboxName::of_wire(mailbox), v, out);
                }
            }
            _ => {}
        }
    }
}

/// `* OK [UIDVALIDITY v]` in the selected (or being selected) mailbox.
fn selected_code(cx: &Ctx<'_>, v: u32, out: &mut Out) {
    let (Some(view), Some(sel)) = (cx.view(), cx.selection()) else {
        return;
    };
    if let Some(old) = sel.uidvalidity.filter(|old| *old != v) {
        out.push(
            cx.violation(NAME, UID_STABLE_IN_SESSION)
                .expected(format!(
                    "UIDVALIDITY {old} for as long as the mailbox is selected"
                ))
                .observed(format!("[UIDVALIDITY {v}]"))
                .evidence([sel.opened_at])
                .because("UIDs, and so their validity, must not change within a session"),
        );
        return;
    }
    let select = view.in_flight.iter().find(|c| c.is_select());
    if let Some(select) = select {
        not_smaller(cx, &sel.mailbox, v, select.sent_at, out);
    }
}

/// `* STATUS m (... UIDVALIDITY v ...)`
fn status(cx: &Ctx<'_>, mailbox: &MailboxName, v: u32, out: &mut Out) {
    let Some(view) = cx.view() else {
        return;
    };
    let Some(cmd) = view.in_flight.iter().find(|c| {
        matches!(
            c.body(),
            Some(CommandBody::Status { .. } | CommandBody::List(_))
        )
    }) else {
        return;
    };
    not_smaller(cx, mailbox, v, cmd.sent_at, out);
    let generation = cx.model.mailboxes.generation(mailbox);
    for (other, s) in cx.model.sessions() {
        let Some(sel) = s.selection.as_ref() else {
            continue;
        };
        let settled = s.state == ConnState::Selected
            && sel.mailbox == *mailbox
            && sel.opened_at < cmd.sent_at
            && sel.generation == generation
            && s.tainted.is_none();
        let Some(selected) = sel.uidvalidity.filter(|u| settled && *u != v) else {
            continue;
        };
        out.push(
            cx.violation(NAME, STATUS_AGREES_WITH_SELECT)
                .expected(format!(
                    "UIDVALIDITY {selected}, as session {other} has {} selected",
                    mailbox.show()
                ))
                .observed(format!("STATUS UIDVALIDITY {v}"))
                .evidence([sel.opened_at, cmd.sent_at])
                .because("STATUS must report what SELECT reports for the same mailbox"),
        );
        return;
    }
}

/// The value must not be below one seen before the command was sent.
fn not_smaller(cx: &Ctx<'_>, mailbox: &MailboxName, v: u32, sent_at: u64, out: &mut Out) {
    let Some(state) = cx.model.mailboxes.get(mailbox) else {
        return;
    };
    let Some((max, who, at)) = state.uidvalidity.max_before(sent_at) else {
        return;
    };
    if v < max {
        out.push(
            cx.violation(NAME, UIDVALIDITY_GROWS)
                .expected(format!(
                    "UIDVALIDITY of {} ≥ {max} (seen by session {who})",
                    mailbox.show()
                ))
                .observed(format!("UIDVALIDITY {v}"))
                .evidence([at, sent_at])
                .because("a new UIDVALIDITY for the same name must be greater than the old one"),
        );
    }
}
