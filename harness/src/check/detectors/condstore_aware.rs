//! CONDSTORE-aware clients (RFC 7162 §3.1): once a client issued a CONDSTORE enabling
//! command, "the server MUST then include mod-sequence data in all subsequent untagged FETCH
//! responses (until the connection is closed), whether they were caused by a regular STORE,
//! a STORE with an UNCHANGEDSINCE modifier, or an external agent". The causes it names are
//! flag changes, and Dovecot and Cyrus both read it so: a FETCH reporting FLAGS that a STORE
//! or another session caused carries MODSEQ; the answer to a FETCH that did not ask for
//! MODSEQ need not (thousands of those in a 40 s run of either). So FETCH responses with
//! FLAGS are judged while no FETCH of the session is in flight.
//!
//! Counted as enabling, once completed OK: FETCH of MODSEQ or with CHANGEDSINCE, STORE with
//! UNCHANGEDSINCE, STATUS of HIGHESTMODSEQ, SEARCH on MODSEQ. Not counted (so never a false
//! finding, at worst a missed one): SELECT (CONDSTORE), which the command model does not
//! parse, ENABLE (in force only if ENABLED names it), malformed commands. A mailbox selected
//! with `[NOMODSEQ]` has no mod-sequences to report.

use std::collections::HashMap;

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::MODSEQ_IN_EVERY_FETCH;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight};
use crate::wire::command::{CommandBody, FetchAtt, FetchItems, SearchKey, StatusAtt};
use crate::wire::response::{Data, MsgAtt, Response, StatusKind, Tagged};

const NAME: &str = "condstore-aware";

#[derive(Default)]
pub struct CondstoreAware {
    /// Sessions that issued an enabling command: the event of its completion. (ENABLE
    /// CONDSTORE or QRESYNC counts from the model's record of the ENABLED response.)
    aware: HashMap<SessionId, u64>,
}

impl Detector for CondstoreAware {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let atts = match r {
            Response::Data(Data::Fetch { atts, .. }) => atts,
            _ => return,
        };
        // ENABLE CONDSTORE (or QRESYNC, which implies it) is an enabling command once the
        // ENABLED response names it (RFC 7162 §3.1, §3.2.3).
        let enabled = cx.view().and_then(|v| {
            let (c, q) = (v.enabled_since("CONDSTORE"), v.enabled_since("QRESYNC"));
            c.into_iter().chain(q).min()
        });
        let Some(since) = self.aware.get(&cx.session).copied().or(enabled) else {
            return;
        };
        let has = |f: fn(&MsgAtt<'_>) -> bool| atts.iter().any(f);
        let fetching = cx.view().is_some_and(|v| {
            (v.in_flight.iter()).any(|c| matches!(c.name.as_str(), "FETCH" | "UID FETCH"))
        });
        if fetching
            || cx.selection().is_some_and(|s| s.no_modseq)
            || !has(|a| matches!(a, MsgAtt::Flags(_)))
            || has(|a| matches!(a, MsgAtt::ModSeq(_)))
        {
            return;
        }
        out.push(
            cx.violation(NAME, MODSEQ_IN_EVERY_FETCH)
                .expected(
                    "MODSEQ with FLAGS in every untagged FETCH after a CONDSTORE enabling command",
                )
                .observed(format!("{r:?}").chars().take(160).collect::<String>())
                .evidence([since])
                .because("the session issued a CONDSTORE enabling command, which completed OK"),
        );
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, _out: &mut Out) {
        if t.status.kind == StatusKind::Ok
            && done.mutation.is_none()
            && done.body().is_some_and(enables_condstore)
        {
            self.aware.entry(cx.session).or_insert(cx.index);
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            self.aware.remove(&cx.session);
        }
    }
}

/// The CONDSTORE enabling commands of RFC 7162 §3.1 the command model reads.
fn enables_condstore(body: &CommandBody) -> bool {
    match body {
        CommandBody::Fetch(f) => {
            f.changed_since.is_some()
                || matches!(&f.items, FetchItems::Single(FetchAtt::ModSeq))
                || matches!(&f.items, FetchItems::List(l) if l.as_slice().contains(&FetchAtt::ModSeq))
        }
        CommandBody::Store(s) => s.unchanged_since.is_some(),
        CommandBody::Select(s) | CommandBody::Examine(s) => s.condstore || s.qresync.is_some(),
        CommandBody::Status { items, .. } => items.as_slice().contains(&StatusAtt::HighestModSeq),
        CommandBody::Search(s) => s.criteria.as_slice().iter().any(has_modseq),
        _ => false,
    }
}

fn has_modseq(key: &SearchKey) -> bool {
    match key {
        SearchKey::ModSeq(_) => true,
        SearchKey::And(keys) => keys.as_slice().iter().any(has_modseq),
        SearchKey::Not(k) => has_modseq(k),
        SearchKey::Or(a, b) => has_modseq(a) || has_modseq(b),
        _ => false,
    }
}
