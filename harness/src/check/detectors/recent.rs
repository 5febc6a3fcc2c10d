//! `\Recent`: a session that selects a mailbox after another read-write session was shown
//! `\Recent` for a message must not see it again (RFC 3501 §2.3.2). Graded NonStrict, not
//! Fail: §2.3.2 also says a server unsure whether this session is the first SHOULD show
//! `\Recent`, so a second session seeing it breaks only that SHOULD's premise, not a MUST.

use super::{Ctx, Detector, Out};
use crate::check::requirements::RECENT_ONE_SESSION;
use crate::check::verdict::Verdict;
use crate::model::flags::RECENT;
use crate::model::{Digest, MessageKey};
use crate::wire::response::Response;

const NAME: &str = "recent";

pub struct Recent;

impl Detector for Recent {
    fn on_response(&mut self, cx: &Ctx<'_>, _r: &Response<'_>, d: &Digest, out: &mut Out) {
        let (Some(facts), Some(sel)) = (&d.fetch, cx.selection()) else {
            return;
        };
        if sel.read_only || !facts.flags.as_ref().is_some_and(|f| f.contains(RECENT)) {
            return;
        }
        let uid = facts
            .uid
            .unwrap_or_else(|| sel.slot(facts.seq).map_or(0, |s| s.uid));
        let (Some(uidvalidity), true) = (sel.uidvalidity, uid != 0) else {
            return;
        };
        let key = MessageKey { uidvalidity, uid };
        let Some(record) = cx.model.mailboxes.message(&sel.mailbox, key) else {
            return;
        };
        // Only a session that selected the mailbox after another was shown `\Recent` for the
        // message is "later" (§2.3.2); with both selected already, "it is undefined which of
        // these connections will see newly-arrived messages with \Recent set".
        let Some(&(other, at)) = record.recent_in.first() else {
            return;
        };
        if other == cx.session || at > sel.opened_at {
            return;
        }
        out.push(
            cx.violation(NAME, RECENT_ONE_SESSION)
                .graded(Verdict::NonStrict)
                .expected(format!("no \\Recent: session {other} was shown it first"))
                .observed(format!(
                    "* {} FETCH (FLAGS (... \\Recent ...)) for UID {uid}",
                    facts.seq
                ))
                .evidence([at])
                .because("\\Recent belongs to the first read-write session notified of a message")
                .on_view(cx),
        );
    }
}
