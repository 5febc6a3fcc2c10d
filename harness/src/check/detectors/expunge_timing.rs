//! When EXPUNGE may be sent (RFC 3501 §7.4.1): not while no command is in progress, not
//! while a command is still being received, and not while answering FETCH, STORE or SEARCH
//! by sequence number (their numbers would shift under the client). The UID forms may see it.
//!
//! With pipelining the server may be answering any command in flight, so EXPUNGE is judged
//! illegal only when every command in flight forbids it.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{
    NO_EXPUNGE_DURING_FETCH_STORE_SEARCH, NO_EXPUNGE_WHILE_RECEIVING, NO_EXPUNGE_WITHOUT_COMMAND,
};
use crate::model::Digest;
use crate::wire::response::{Data, Response};

const NAME: &str = "expunge-timing";

pub struct ExpungeTiming;

impl Detector for ExpungeTiming {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let (Response::Data(Data::Expunge(n)), Some(view)) = (r, cx.view()) else {
            return;
        };
        let observed = format!("* {n} EXPUNGE");
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
            out.push(
                cx.violation(NAME, NO_EXPUNGE_DURING_FETCH_STORE_SEARCH)
                    .expected("no EXPUNGE while answering FETCH, STORE or SEARCH")
                    .observed(format!("{observed} during {}", during.join(", ")))
                    .evidence(view.in_flight.iter().map(|c| c.sent_at))
                    .because("sequence numbers must stay stable while those commands are answered"),
            );
        }
    }
}
