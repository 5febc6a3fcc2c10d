//! SORT and THREAD are functions of the mailbox (RFC 5256 §3: the order is the criteria's,
//! then the sequence number): two sessions asking the same `UID SORT` or `UID THREAD` over
//! ALL of the same mailbox, with no message added or removed anywhere in between, get the
//! same answer. The end-of-run checkpoint (`run/checkpoint.rs`) asks exactly that; in the
//! random mix it holds whenever no changing command is in flight.
//!
//! "In between" is judged conservatively across every session: a command that may add or
//! remove messages (APPEND, COPY, MOVE, EXPUNGE, CLOSE, DELETE, RENAME, anything malformed or
//! unparsed) starting or ending, or a connection lost, after the earlier answer was asked
//! makes the pair incomparable (a connection lost with such a command in flight counts as
//! one). Flags do not matter: the search is ALL.
//!
//! Only orders are compared: two answers over different sets of messages saw different
//! mailboxes, whatever the history says. A command cut off by a lost connection can still be
//! carried out long after (Courier committed a timed-out APPEND 39 s later, between two
//! sessions' identical questions), so the history alone cannot rule a change out.

use std::collections::{HashMap, HashSet};

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::SORT_THREAD_AGREE;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, MailboxName};
use crate::wire::command::{CommandBody, SearchKey};
use crate::wire::response::{Data, Response, StatusKind, Tagged, Thread};

const NAME: &str = "sort-agreement";

/// An answer kept for comparison.
struct Answer {
    session: SessionId,
    tag: String,
    sent_at: u64,
    text: String,
    /// The messages answered, sorted: the answer's set, without its order.
    members: Vec<u32>,
}

#[derive(Default)]
pub struct SortAgreement {
    /// Answers being received (text, members), by (session, tag).
    answering: HashMap<(SessionId, String), (String, Vec<u32>)>,
    /// Completed answers by question: (mailbox, UIDVALIDITY, the command).
    answers: HashMap<(MailboxName, u32, String), Vec<Answer>>,
    /// Commands that may add or remove messages, in flight.
    changing: HashSet<(SessionId, String)>,
    /// The event of the latest start or end of such a command, or of a lost connection.
    last_change: u64,
}

impl Detector for SortAgreement {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        if may_change_messages(command) {
            self.changing.insert((cx.session, command.tag.clone()));
            self.last_change = cx.index;
        } else if question(command).is_some() {
            self.answering
                .insert((cx.session, command.tag.clone()), Default::default());
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        let (kind, text, members) = match r {
            Response::Data(Data::Sort { numbers, .. }) => {
                ("SORT", format!("{numbers:?}"), numbers.clone())
            }
            Response::Data(Data::Thread(threads)) => {
                let mut members = Vec::new();
                threads.iter().for_each(|t| collect(t, &mut members));
                ("THREAD", format!("{threads:?}"), members)
            }
            _ => return,
        };
        // The one question of this kind in flight in the session owns the answer.
        let Some(view) = cx.view() else { return };
        let mut owners = view
            .in_flight
            .iter()
            .filter(|c| question(c).is_some_and(|q| q.0 == kind));
        if let (Some(owner), None) = (owners.next(), owners.next())
            && let Some(answer) = self.answering.get_mut(&(cx.session, owner.tag.clone()))
        {
            answer.0.push_str(&text);
            answer.1.extend(members);
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        if self.changing.remove(&(cx.session, done.tag.clone())) {
            self.last_change = cx.index;
            return;
        }
        let Some((text, mut members)) = self.answering.remove(&(cx.session, done.tag.clone()))
        else {
            return;
        };
        members.sort_unstable();
        let (Some((_, asked)), Some(sel)) = (question(done), cx.selection()) else {
            return;
        };
        let Some(uidvalidity) = sel.uidvalidity.filter(|_| t.status.kind == StatusKind::Ok) else {
            return;
        };
        let quiet = self.changing.is_empty();
        let last_change = self.last_change;
        let same = self
            .answers
            .entry((sel.mailbox.clone(), uidvalidity, asked))
            .or_default();
        // Answers asked before the last change can never be compared again.
        same.retain(|a| a.sent_at > last_change);
        let earlier = same
            .iter()
            .find(|a| quiet && a.session != cx.session && a.members == members && a.text != text);
        if let Some(a) = earlier {
            out.push(
                cx.violation(NAME, SORT_THREAD_AGREE)
                    .expected(format!(
                        "{} answered as {} was in session {} (nothing added or removed since)",
                        done.tag, a.tag, a.session
                    ))
                    .observed(format!("{} against {}", short(&text), short(&a.text)))
                    .evidence([a.sent_at, done.sent_at]),
            );
        }
        same.push(Answer {
            session: cx.session,
            tag: done.tag.clone(),
            sent_at: done.sent_at,
            text,
            members,
        });
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            let session = cx.session;
            // A changing command cut off may or may not have been carried out: a change.
            let before = self.changing.len();
            self.changing.retain(|(s, _)| *s != session);
            if self.changing.len() < before {
                self.last_change = cx.index;
            }
            self.answering.retain(|(s, _), _| *s != session);
        }
    }
}

/// Every message a thread tree names.
fn collect(thread: &Thread, into: &mut Vec<u32>) {
    into.extend(&thread.members);
    thread.children.iter().for_each(|c| collect(c, into));
}

/// `UID SORT` or `UID THREAD` over exactly ALL, sent as is: its kind and the question's
/// identity (the parsed command without its tag).
fn question(command: &InFlight) -> Option<(&'static str, String)> {
    if command.mutation.is_some() {
        return None;
    }
    let all = |keys: &[SearchKey]| matches!(keys, [SearchKey::All]);
    match command.body()? {
        CommandBody::Sort(s) if s.uid && all(s.search.as_slice()) => {
            Some(("SORT", format!("{s:?}")))
        }
        CommandBody::Thread(t) if t.uid && all(t.search.as_slice()) => {
            Some(("THREAD", format!("{t:?}")))
        }
        _ => None,
    }
}

/// Whether the command may add or remove messages in some mailbox.
fn may_change_messages(command: &InFlight) -> bool {
    if command.mutation.is_some() || command.command.is_none() {
        return true;
    }
    matches!(
        command.name.as_str(),
        "APPEND"
            | "COPY"
            | "UID COPY"
            | "MOVE"
            | "UID MOVE"
            | "EXPUNGE"
            | "UID EXPUNGE"
            | "CLOSE"
            | "DELETE"
            | "RENAME"
    )
}

fn short(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
