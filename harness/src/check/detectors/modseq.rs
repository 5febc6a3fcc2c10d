//! CONDSTORE (RFC 7162 §3.1): a message's mod-sequence is "updated by the server whenever a
//! metadata item is modified", and "for any two successful STORE operations performed in the
//! same session on the same mailbox, the mod-sequence of the second … MUST be greater". So
//! the MODSEQ one session is shown for one message (mailbox, UIDVALIDITY, UID) never goes
//! back. Judged per session: like its FLAGS, a session's MODSEQ may lag behind what another
//! session was already shown (Dovecot answers a FETCH from the session's snapshot, then
//! pushes the newer value; 2 false findings in a 10-minute run when compared across
//! sessions). Compared with values seen before the commands in flight were sent.

use std::collections::HashMap;

use super::{Ctx, Detector, Out};
use crate::check::requirements::MODSEQ_NEVER_DECREASES;
use crate::history::SessionId;
use crate::model::{Digest, MailboxName};
use crate::wire::response::{Data, MsgAtt, Response};

const NAME: &str = "modseq";

/// Highest MODSEQ seen for one message, as points (event, value, session) in event order.
#[derive(Default)]
struct Seen(Vec<(u64, u64, SessionId)>);

impl Seen {
    fn observe(&mut self, event: u64, value: u64, session: SessionId) {
        if self.0.last().is_none_or(|&(_, max, _)| value > max) {
            self.0.push((event, value, session));
        }
    }

    fn max_before(&self, event: u64) -> Option<(u64, u64, SessionId)> {
        let n = self.0.partition_point(|p| p.0 < event);
        self.0.get(n.checked_sub(1)?).copied()
    }
}

#[derive(Default)]
pub struct ModSeq {
    seen: HashMap<(SessionId, MailboxName, u32, u32), Seen>,
}

impl Detector for ModSeq {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let Response::Data(Data::Fetch { seq, atts }) = r else {
            return;
        };
        let Some(modseq) = atts.iter().find_map(|a| match a {
            MsgAtt::ModSeq(m) => Some(*m),
            _ => None,
        }) else {
            return;
        };
        let (Some(view), Some(sel)) = (cx.view(), cx.selection()) else {
            return;
        };
        let uid = atts
            .iter()
            .find_map(|a| match a {
                MsgAtt::Uid(u) => Some(*u),
                _ => None,
            })
            .or_else(|| sel.slot(*seq).map(|s| s.uid).filter(|&u| u != 0));
        let (Some(uid), Some(validity)) = (uid, sel.uidvalidity) else {
            return;
        };
        let since = view
            .in_flight
            .iter()
            .map(|c| c.sent_at)
            .min()
            .unwrap_or(cx.index);
        let seen = self
            .seen
            .entry((cx.session, sel.mailbox.clone(), validity, uid))
            .or_default();
        if let Some((at, max, who)) = seen.max_before(since)
            && modseq < max
        {
            out.push(
                cx.violation(NAME, MODSEQ_NEVER_DECREASES)
                    .expected(format!(
                        "MODSEQ of {} UID {uid} ≥ {max} (shown to session {who})",
                        sel.mailbox.show()
                    ))
                    .observed(format!("* {seq} FETCH (… MODSEQ ({modseq}) …)"))
                    .evidence([at])
                    .because("a mod-sequence is only ever updated upwards when metadata changes")
                    .on_view(cx),
            );
        }
        seen.observe(cx.index, modseq, cx.session);
    }
}
