//! What the SORT and THREAD detectors share: the session's one such command in flight, and
//! the messages an answer names with the records the model keeps of them.

use super::Ctx;
use crate::model::sort_keys::SentDate;
use crate::model::{InFlight, MessageKey, MessageRecord};
use crate::wire::command::CommandBody;

/// The session's only command `pick` accepts in flight, parsed and sent as is (with a
/// deliberate malformation also in flight, a `* SORT` or `* THREAD` could be its answer:
/// nothing is judged).
pub fn sole_in_flight<'m, T>(
    cx: &Ctx<'m>,
    pick: impl Fn(&'m CommandBody) -> Option<&'m T>,
) -> Option<(&'m InFlight, &'m T)> {
    let view = cx.view()?;
    if view
        .in_flight
        .iter()
        .any(|c| c.mutation.is_some() || c.command.is_none())
    {
        return None;
    }
    let mut found = view
        .in_flight
        .iter()
        .filter_map(|c| Some((c, pick(c.body()?)?)));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// One message an answer names: the number as answered, its UID, what the model keeps.
pub struct Named<'m> {
    pub number: u32,
    pub uid: u32,
    pub record: &'m MessageRecord,
}

/// The answered numbers (UIDs when `uid`) whose message the model knows, in answer order;
/// nothing while the session's view is not followed exactly.
pub fn named<'m>(cx: &Ctx<'m>, uid: bool, numbers: &[u32]) -> Vec<Named<'m>> {
    let Some(sel) = cx.selection().filter(|_| !cx.tainted()) else {
        return Vec::new();
    };
    let Some(uidvalidity) = sel.uidvalidity else {
        return Vec::new();
    };
    numbers
        .iter()
        .filter_map(|&number| {
            let uid = if uid { number } else { sel.slot(number)?.uid };
            let key = MessageKey { uidvalidity, uid };
            let record = cx.model.mailboxes.message(&sel.mailbox, key)?;
            (uid != 0).then_some(Named {
                number,
                uid,
                record,
            })
        })
        .collect()
}

/// RFC 5256 §2.2's sent date in seconds since 1970 UTC: the ENVELOPE's Date, or the
/// INTERNALDATE when the message has none.
pub fn sent_date(record: &MessageRecord) -> Option<i64> {
    match record.envelope_keys()?.date? {
        SentDate::At(t) => Some(t),
        SentDate::Missing => record.ordinal("INTERNALDATE"),
    }
}
