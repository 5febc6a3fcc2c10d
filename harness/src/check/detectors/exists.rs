//! The message count a session was told: EXISTS never shrinks it (only EXPUNGE does), and
//! EXPUNGE names a message the session knows of.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{EXISTS_NEVER_SHRINKS, EXPUNGE_RENUMBERS};
use crate::model::Digest;
use crate::wire::response::{Data, Response};

const NAME: &str = "exists";

pub struct Exists;

impl Detector for Exists {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let Some(sel) = cx.selection() else {
            return;
        };
        // The rest of a malformed line may be running as commands of its own (Dovecot ran
        // `X NOOP` from a literal it did not take, while a SELECT was in flight): what they
        // report belongs to a view the model does not follow.
        // An EXPUNGE while a SELECT is on its way may be the previous selection's news.
        if cx
            .view()
            .is_some_and(|v| v.phantom_since.is_some() || v.hears_old_selection())
        {
            return;
        }
        match r {
            Response::Data(Data::Exists(n)) if sel.exists_told && *n < sel.exists() => out.push(
                cx.violation(NAME, EXISTS_NEVER_SHRINKS)
                    .expected(format!(
                        "EXISTS ≥ {} (the count after the EXPUNGEs seen)",
                        sel.exists()
                    ))
                    .observed(format!("* {n} EXISTS"))
                    .evidence([sel.opened_at])
                    .because("only EXPUNGE may reduce the message count a session was told")
                    .on_view(cx),
            ),
            Response::Data(Data::Expunge(n)) if *n > sel.exists() => out.push(
                cx.violation(NAME, EXPUNGE_RENUMBERS)
                    .expected(format!(
                        "EXPUNGE of a sequence number in 1..={}",
                        sel.exists()
                    ))
                    .observed(format!("* {n} EXPUNGE"))
                    .evidence([sel.opened_at])
                    .because("an EXPUNGE must name a message the session was told exists")
                    .on_view(cx),
            ),
            _ => {}
        }
    }
}
