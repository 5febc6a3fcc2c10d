//! SORT's order against the model's own evaluation (RFC 5256 §3): for a single criterion
//! (optionally REVERSE), the messages a SORT answer names must come in the order of their
//! keys, ties by sequence number — which REVERSE does not reverse. SIZE and ARRIVAL are the
//! RFC822.SIZE and INTERNALDATE (full date and time, zones applied); SUBJECT, FROM, TO and CC
//! come from the ENVELOPE (base subject, the first address's mailbox, compared on ASCII
//! case-insensitively; `model::sort_keys` says which are judged). The keys are the static
//! FETCH data the model has kept (first value seen, vouched by an OK); messages whose key it
//! never saw are left out, and the rest must still be in order (a subsequence of a sorted
//! list is sorted). Sequence order is UID order within a mailbox, so ties are judged by UID.
//! DATE is the sent date the ENVELOPE gives (in UTC), or the INTERNALDATE when it has none.
//!
//! A message another session expunges while the SORT runs may have no key left for the
//! server (Dovecot sorts such messages first): a finding waits until the session's next NOOP,
//! CHECK or IDLE and is dropped if either message's EXPUNGE comes first (`held`).
//!
//! Only the session's one SORT in flight, parsed and sent as is, is judged, in a view the
//! model follows exactly; numbers outside the view are the search-results detector's
//! business.

use super::held::{Explained, Held};
use super::{Ctx, Detector, Out, answered};
use crate::check::requirements::SORT_ORDER;
use crate::history::EventKind;
use crate::model::sort_keys::EnvelopeKeys;
use crate::model::{Digest, InFlight, MessageRecord};
use crate::wire::command::{CommandBody, SortKey};
use crate::wire::response::{Data, Response, Tagged};

const NAME: &str = "sort-order";

#[derive(Default)]
pub struct SortOrder {
    held: Held,
}

impl Detector for SortOrder {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        self.held.on_response(cx, r);
        let Response::Data(Data::Sort { numbers, .. }) = r else {
            return;
        };
        let sole = answered::sole_in_flight(cx, |b| match b {
            CommandBody::Sort(s) => Some(s),
            _ => None,
        });
        let Some((flight, sort)) = sole else {
            return;
        };
        let [criterion] = sort.criteria.as_slice() else {
            return;
        };
        let label = label(criterion.key);
        let keyed = keys(cx, sort.uid, numbers, criterion.key);
        if keyed.len() >= 2 {
            out.measures().sorts_judged += 1;
        }
        let Some(pair) = keyed
            .windows(2)
            .find(|w| !in_order(&w[0], &w[1], criterion.reverse))
        else {
            return;
        };
        let (a, b) = (&pair[0], &pair[1]);
        let what = if sort.uid { "UID" } else { "message" };
        let v = cx
            .violation(NAME, SORT_ORDER)
            .expected(format!(
                "{} ordered by {}{label}, ties by sequence number",
                flight.tag,
                if criterion.reverse { "REVERSE " } else { "" },
            ))
            .observed(format!(
                "{what} {} ({label} {}) before {what} {} ({label} {})",
                a.number, a.key, b.number, b.key
            ))
            .because(format!(
                "the keys are the {label} values this mailbox's messages were fetched with"
            ))
            .evidence([flight.sent_at]);
        let uids = vec![a.uid, b.uid];
        self.held.hold(cx.session, uids, Explained::WhenAnyLeft, v);
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        self.held.on_completed(cx, done, t, out);
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        self.held.on_event(cx, event);
    }
}

/// What the report calls the key `k` is taken from.
fn label(k: SortKey) -> &'static str {
    match k {
        SortKey::Size => "RFC822.SIZE",
        SortKey::Arrival => "INTERNALDATE",
        SortKey::Subject => "base subject",
        SortKey::From => "first From mailbox",
        SortKey::To => "first To mailbox",
        SortKey::Cc => "first Cc mailbox",
        SortKey::Date => "sent date",
    }
}

/// A key's value: a number (SIZE, ARRIVAL) or upper-cased ASCII text; one SORT compares
/// values of one kind only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Number(i64),
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// The value of key `k` for a message, if the model saw what it is made of.
fn value(record: &MessageRecord, k: SortKey) -> Option<Value> {
    let text = |pick: fn(&EnvelopeKeys) -> &Option<String>| {
        let keys = record.envelope_keys()?;
        pick(keys).clone().map(Value::Text)
    };
    match k {
        SortKey::Size => record.ordinal("RFC822.SIZE").map(Value::Number),
        SortKey::Arrival => record.ordinal("INTERNALDATE").map(Value::Number),
        SortKey::Subject => text(|t| &t.subject),
        SortKey::From => text(|t| &t.from),
        SortKey::To => text(|t| &t.to),
        SortKey::Cc => text(|t| &t.cc),
        SortKey::Date => answered::sent_date(record).map(Value::Number),
    }
}

/// One named message with its key: the number as answered, its UID, the key value.
struct Keyed {
    number: u32,
    uid: u32,
    key: Value,
}

fn in_order(a: &Keyed, b: &Keyed, reverse: bool) -> bool {
    match (a.key.cmp(&b.key), reverse) {
        (std::cmp::Ordering::Equal, _) => a.uid < b.uid,
        (o, false) => o.is_lt(),
        (o, true) => o.is_gt(),
    }
}

/// The answered numbers whose message and key the model knows, in answer order.
fn keys(cx: &Ctx<'_>, uid: bool, numbers: &[u32], k: SortKey) -> Vec<Keyed> {
    let named = answered::named(cx, uid, numbers).into_iter();
    named
        .filter_map(|n| {
            Some(Keyed {
                number: n.number,
                uid: n.uid,
                key: value(n.record, k)?,
            })
        })
        .collect()
}
