//! Static message data (ENVELOPE, INTERNALDATE, RFC822.SIZE, BODY, BODYSTRUCTURE, body
//! sections) never changes for a message, and a mailbox name + UIDVALIDITY + UID names one
//! message forever, across sessions and across delete and re-create of the name.
//!
//! Judged when the FETCH completes OK without `[EXPUNGEISSUED]`: a server may answer a FETCH
//! of a message expunged meanwhile with NIL data and NO, or with NIL data, that code and OK
//! (RFC 2180 §4.1.2, §4.1.3), both legal.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{STATIC_ITEMS_NEVER_CHANGE, UID_NAMES_ONE_MESSAGE};
use crate::model::InFlight;
use crate::model::apply::vouches_for_statics;
use crate::wire::response::Tagged;

const NAME: &str = "static-data";

pub struct StaticData;

impl Detector for StaticData {
    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        if !vouches_for_statics(t) {
            return;
        }
        for p in &done.statics {
            let Some(record) = cx.model.mailboxes.message(&p.mailbox, p.key) else {
                continue;
            };
            let Some(first) = record.statics.iter().find(|f| f.item == p.item.item) else {
                continue;
            };
            if first.value == p.item.value {
                continue;
            }
            let requirement = if first.session == cx.session {
                STATIC_ITEMS_NEVER_CHANGE
            } else {
                UID_NAMES_ONE_MESSAGE
            };
            let mut v = cx
                .violation(NAME, requirement)
                .expected(format!(
                    "{} of {} UID {} (UIDVALIDITY {}) as first seen: {}",
                    first.label,
                    p.mailbox.show(),
                    p.key.uid,
                    p.key.uidvalidity,
                    first.shown
                ))
                .observed(p.item.shown.clone())
                .evidence([first.event, p.event])
                .because("static message data never changes for a UID within its UIDVALIDITY")
                .on_view(cx);
            v.event = p.event;
            out.push(v);
        }
    }
}
