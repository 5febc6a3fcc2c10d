//! IMAP4rev2 rules (RFC 9051) for a connection that enabled it (its ENABLE got an ENABLED
//! naming IMAP4rev2; Appendix A): SELECT/EXAMINE return an untagged LIST with the mailbox,
//! and `[CLOSED]` when they replace a selected mailbox (§6.3.2); SEARCH answers with ESEARCH,
//! never SEARCH (§6.4.4, Appendix E item 4). The rest of rev1's model holds: rev2 only drops
//! responses (RECENT, `\Recent`) that no detector requires.
//!
//! Responses carry no tag, so only a command alone in flight from its sending to its
//! completion is judged; a deliberate malformation never is.

use std::collections::HashMap;

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::{REV2_SEARCH_IS_ESEARCH, REV2_SELECT_CLOSED, REV2_SELECT_LIST};
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody;
use crate::wire::response::{Code, Data, Response, StatusKind, Tagged};

const NAME: &str = "imap4rev2";

#[derive(Default)]
pub struct Rev2 {
    /// Per session: the one command in flight being watched and what it was answered with.
    watch: HashMap<SessionId, Watch>,
}

#[derive(Default)]
struct Watch {
    tag: String,
    closed: bool,
    list: bool,
    search: bool,
    esearch: bool,
}

/// The event of the ENABLED that named IMAP4rev2 on this connection, if one did.
fn enabled(cx: &Ctx<'_>) -> Option<u64> {
    cx.view()?.enabled_since("IMAP4REV2")
}

impl Detector for Rev2 {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        // Another command joins the one watched: its answers can no longer be told apart.
        self.watch.remove(&cx.session);
        let alone = cx.view().is_some_and(|v| v.in_flight.len() == 1);
        let judged = matches!(
            command.body(),
            Some(CommandBody::Select(_) | CommandBody::Examine(_) | CommandBody::Search(_))
        );
        if alone && judged && command.mutation.is_none() && enabled(cx).is_some() {
            let tag = command.tag.clone();
            self.watch.insert(
                cx.session,
                Watch {
                    tag,
                    ..Watch::default()
                },
            );
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        let Response::Data(data) = r else {
            return;
        };
        let Some(w) = self.watch.get_mut(&cx.session) else {
            return;
        };
        match data {
            Data::Status(s) if matches!(s.text.code, Some(Code::Closed)) => w.closed = true,
            Data::List(_) => w.list = true,
            Data::Search { .. } => w.search = true,
            Data::Esearch(_) => w.esearch = true,
            _ => {}
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some(w) = self.watch.remove(&cx.session) else {
            return;
        };
        if w.tag != done.tag || t.status.kind != StatusKind::Ok {
            return;
        }
        let since = enabled(cx).unwrap_or(0);
        let mut push = |req, expected: &str, observed: &str, because: &str| {
            out.push(
                cx.violation(NAME, req)
                    .expected(expected.to_owned())
                    .observed(format!("{}: {observed}", done.describe()))
                    .evidence([since, done.sent_at])
                    .because(because.to_owned()),
            );
        };
        match done.body() {
            Some(CommandBody::Search(_)) if !w.esearch => push(
                REV2_SEARCH_IS_ESEARCH,
                "an ESEARCH response",
                if w.search {
                    "a SEARCH response"
                } else {
                    "no ESEARCH"
                },
                "an IMAP4rev2 SEARCH answers with ESEARCH",
            ),
            Some(CommandBody::Select(_) | CommandBody::Examine(_)) => {
                if !w.list {
                    push(
                        REV2_SELECT_LIST,
                        "an untagged LIST with the mailbox",
                        "no LIST before the OK",
                        "IMAP4rev2 SELECT/EXAMINE return LIST among their required responses",
                    );
                }
                if done.replaced.is_some() && !w.closed {
                    push(
                        REV2_SELECT_CLOSED,
                        "OK [CLOSED] for the mailbox it replaced",
                        "no [CLOSED] though a mailbox was selected",
                        "the CLOSED code marks where the old mailbox's responses end",
                    );
                }
            }
            _ => {}
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            self.watch.remove(&cx.session);
        }
    }
}
