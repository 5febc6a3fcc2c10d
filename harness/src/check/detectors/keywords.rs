//! Keywords and the FLAGS / PERMANENTFLAGS lists: a keyword on a message is announced in
//! FLAGS first (imaptest's check), FLAGS does not drop a keyword still on a message, and
//! PERMANENTFLAGS lists only flags of FLAGS (plus `\*`).
//!
//! The first two are graded Informational: RFC 3501 §7.2.6 asks FLAGS to list "at a
//! minimum, the system-defined flags" (R3501-7.2.6-I01), and nothing requires a new FLAGS
//! when a keyword comes into use; announcing keywords is what clients (and imaptest)
//! expect, so the deviation is shown, never counted.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{FLAGS_LIST_APPLICABLE, PERMANENTFLAGS_STORABLE};
use crate::check::verdict::Verdict;
use crate::model::flags::{RECENT, WILDCARD, is_keyword};
use crate::model::{Digest, FlagSet, InFlight, Selection};
use crate::wire::response::{Response, Tagged};

const NAME: &str = "keywords";

pub struct Keywords;

impl Detector for Keywords {
    fn on_response(&mut self, cx: &Ctx<'_>, _r: &Response<'_>, d: &Digest, out: &mut Out) {
        let Some(sel) = cx.selection() else {
            return;
        };
        if let (Some(facts), Some(listed)) = (&d.fetch, &sel.flags)
            && let Some(flags) = &facts.flags
        {
            unannounced(cx, sel, listed, flags, facts.seq, out);
        }
        if let Some(new_list) = &d.flags {
            dropped(cx, sel, new_list, out);
        }
        let selecting = cx
            .view()
            .is_some_and(|v| v.in_flight.iter().any(|c| c.is_select()));
        if let (Some(perm), Some(listed), false) = (&d.permanent, &sel.flags, selecting) {
            not_subset(cx, listed, perm, out);
        }
    }

    /// At the end of SELECT both lists are final, whatever order they came in.
    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some(sel) = cx.opened_by(done, t) else {
            return;
        };
        if let (Some(perm), Some(listed)) = (&sel.permanent, &sel.flags) {
            not_subset(cx, listed, perm, out);
        }
    }
}

fn unannounced(
    cx: &Ctx<'_>,
    sel: &Selection,
    listed: &FlagSet,
    flags: &FlagSet,
    seq: u32,
    out: &mut Out,
) {
    let table = &cx.model.flags;
    let missing: Vec<&str> = flags
        .iter()
        .filter(|&f| is_keyword(table, f) && !listed.contains(f))
        .map(|f| table.name(f))
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(
        cx.violation(NAME, FLAGS_LIST_APPLICABLE)
            .graded(Verdict::Informational)
            .expected(format!(
                "keywords announced in FLAGS {}",
                table.show(listed)
            ))
            .observed(format!(
                "* {seq} FETCH (FLAGS {}) with {}",
                table.show(flags),
                missing.join(" ")
            ))
            .evidence([sel.opened_at])
            .because("a keyword in use should be announced with an untagged FLAGS first")
            .on_view(cx),
    );
}

fn dropped(cx: &Ctx<'_>, sel: &Selection, new_list: &FlagSet, out: &mut Out) {
    let table = &cx.model.flags;
    for (i, slot) in sel.slots.iter().enumerate() {
        let Some(flags) = &slot.flags else {
            continue;
        };
        let gone = flags
            .iter()
            .find(|&f| is_keyword(table, f) && !new_list.contains(f));
        if let Some(gone) = gone {
            out.push(
                cx.violation(NAME, FLAGS_LIST_APPLICABLE)
                    .graded(Verdict::Informational)
                    .expected(format!(
                        "FLAGS keeping {}, still on message {}",
                        table.name(gone),
                        i + 1
                    ))
                    .observed(format!("* FLAGS {}", table.show(new_list)))
                    .evidence([sel.opened_at])
                    .because("FLAGS should list every keyword still in use in the mailbox")
                    .on_view(cx),
            );
            return;
        }
    }
}

fn not_subset(cx: &Ctx<'_>, listed: &FlagSet, perm: &FlagSet, out: &mut Out) {
    let table = &cx.model.flags;
    let extra: Vec<&str> = perm
        .iter()
        .filter(|&f| f != WILDCARD && f != RECENT && !listed.contains(f))
        .map(|f| table.name(f))
        .collect();
    if extra.is_empty() {
        return;
    }
    out.push(
        cx.violation(NAME, PERMANENTFLAGS_STORABLE)
            .expected(format!(
                "PERMANENTFLAGS within FLAGS {} (or \\*)",
                table.show(listed)
            ))
            .observed(format!(
                "PERMANENTFLAGS {} with {}",
                table.show(perm),
                extra.join(" ")
            ))
            .because("PERMANENTFLAGS lists which of the mailbox's flags can be stored permanently")
            .on_view(cx),
    );
}
