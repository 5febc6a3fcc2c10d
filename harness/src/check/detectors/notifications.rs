//! Missing notifications: a session that polls with NOOP (RFC 3501 §6.1.2: "a periodic poll
//! for new messages") must by then have been told of a message another session appended
//! to its selected mailbox (§5.2: "If a mailbox size change is observed during the
//! processing of a command, the server MUST send the size automatically").
//!
//! Judged only where no ordering question remains: the other session's APPEND was sent
//! after this session's SELECT completed and had completed before the NOOP was sent; the
//! NOOP ran alone (Dovecot defers its mailbox sync to the end of a pipelined group); no
//! session saw an EXPUNGE in the mailbox since the APPEND (the new message may be gone
//! again, and a session need not hear of a message that came and went). Any EXISTS the
//! polling session received after the APPEND was sent counts. The APPEND must have completed
//! at least [`SETTLE_US`] before the NOOP was sent: a server may see another process's change
//! a moment late (Dovecot's maildir sync missed an APPEND completed 10 ms earlier, once in
//! 200,000 commands), and the RFC gives no deadline. Graded NonStrict: the MUST depends on
//! the server having "observed" the change, which a NOOP is for but which the RFC does not
//! spell out.

use std::collections::HashMap;

use super::{Ctx, Detector, Out};
use crate::check::requirements::SIZE_CHANGES_REPORTED;
use crate::check::verdict::Verdict;
use crate::history::SessionId;
use crate::model::{Digest, InFlight, MailboxName};
use crate::wire::command::CommandBody;
use crate::wire::response::{Data, Response, StatusKind, Tagged};

const NAME: &str = "notifications";

/// Appends kept per mailbox (older ones cannot matter any more to a NOOP sent later than a
/// selection that followed them).
const KEPT: usize = 64;

/// How long before the NOOP the APPEND must have completed (microseconds).
const SETTLE_US: u64 = 1_000_000;

#[derive(Clone, Copy, Debug)]
struct Appended {
    session: SessionId,
    sent_at: u64,
    done_at: u64,
    done_us: u64,
}

#[derive(Default)]
pub struct Notifications {
    appends: HashMap<MailboxName, Vec<Appended>>,
    /// When each session's current selection completed.
    selected_at: HashMap<SessionId, u64>,
    /// The last EXISTS each session received.
    last_exists: HashMap<SessionId, u64>,
    /// The last EXPUNGE any session saw in each mailbox.
    last_expunge: HashMap<MailboxName, u64>,
    /// Sessions whose NOOP in flight shared the connection with another command.
    crowded: HashMap<SessionId, String>,
    /// When each session's last NOOP was sent.
    noop_sent_us: HashMap<SessionId, u64>,
}

impl Detector for Notifications {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        if matches!(command.body(), Some(CommandBody::Noop)) {
            self.noop_sent_us.insert(cx.session, cx.at_us);
        }
        let Some(view) = cx.view() else {
            return;
        };
        // A NOOP sent with others in flight, or followed by one before it completes.
        let noops = view
            .in_flight
            .iter()
            .filter(|c| matches!(c.body(), Some(CommandBody::Noop)));
        if view.in_flight.len() > 1 {
            for c in noops {
                self.crowded.insert(cx.session, c.tag.clone());
            }
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        match r {
            Response::Data(Data::Exists(_)) => {
                self.last_exists.insert(cx.session, cx.index);
            }
            Response::Data(Data::Expunge(_) | Data::Vanished { earlier: false, .. }) => {
                if let Some(sel) = cx.selection() {
                    self.last_expunge.insert(sel.mailbox.clone(), cx.index);
                }
            }
            _ => {}
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        if cx.opened_by(done, t).is_some() {
            self.selected_at.insert(cx.session, cx.index);
            return;
        }
        if t.status.kind != StatusKind::Ok {
            return;
        }
        match done.body() {
            Some(CommandBody::Append(a)) => {
                let list = self
                    .appends
                    .entry(MailboxName::new(a.mailbox.as_bytes()))
                    .or_default();
                list.push(Appended {
                    session: cx.session,
                    sent_at: done.sent_at,
                    done_at: cx.index,
                    done_us: cx.at_us,
                });
                if list.len() > KEPT {
                    list.remove(0);
                }
            }
            Some(CommandBody::Noop) => {
                let crowded = self.crowded.get(&cx.session) == Some(&done.tag);
                if !crowded {
                    self.poll(cx, done, out);
                }
            }
            _ => {}
        }
    }
}

impl Notifications {
    /// This session's NOOP completed: every qualifying append must have been announced.
    fn poll(&self, cx: &Ctx<'_>, done: &InFlight, out: &mut Out) {
        let (Some(sel), Some(&selected)) = (cx.selection(), self.selected_at.get(&cx.session))
        else {
            return;
        };
        let told = self.last_exists.get(&cx.session).copied().unwrap_or(0);
        let expunged = self.last_expunge.get(&sel.mailbox).copied().unwrap_or(0);
        let noop_us = self.noop_sent_us.get(&cx.session).copied().unwrap_or(0);
        let missed = self.appends.get(&sel.mailbox).and_then(|list| {
            list.iter().find(|a| {
                a.session != cx.session
                    && a.sent_at > selected
                    && a.done_at < done.sent_at
                    && a.done_us + SETTLE_US <= noop_us
                    && told < a.sent_at
                    && expunged < a.sent_at
            })
        });
        let Some(a) = missed else {
            return;
        };
        out.push(
            cx.violation(NAME, SIZE_CHANGES_REPORTED)
                .graded(Verdict::NonStrict)
                .expected(format!(
                    "* n EXISTS for the message session {} appended to {}",
                    a.session,
                    sel.mailbox.show()
                ))
                .observed(format!("{} completed without it", done.describe()))
                .evidence([a.sent_at, a.done_at, done.sent_at])
                .because("a NOOP polls for new messages, and a size change must be reported")
                .on_view(cx),
        );
    }
}
