//! THREAD=ORDEREDSUBJECT against the model's own evaluation (RFC 5256 §3): the matching
//! messages are sorted by base subject and sent date, split into one thread per base
//! subject, and the threads ordered by the sent date of their first message. So in an
//! answer, read in order (a thread's root, then its children): every thread holds one base
//! subject, no base subject is in two threads, a thread's messages come by sent date, and
//! the threads by their first message's. Ties are broken by sequence number, as SORT's are
//! (the algorithm is defined as a sort). The nesting is not judged: the RFC asks clients to
//! read a child's descendants as its siblings.
//!
//! REFERENCES builds threads from the References and In-Reply-To headers, then (step 5)
//! gathers the top-level messages that share a base subject into one thread. For messages
//! imapgate wrote (no References, no In-Reply-To) that leaves the grouping alone to judge:
//! one base subject per thread, one thread per base subject. Its order and nesting are not
//! judged. Dovecot, Cyrus and Courier all group so.
//!
//! The base subjects and sent dates are those the model kept from the ENVELOPEs fetched
//! (`model::sort_keys`); messages it has none for are left out and the rest judged as they
//! stand (a subsequence of a sorted list is sorted). As for SORT, a finding waits for the
//! session's next poll and is dropped if one of its messages was expunged (`held`).

use super::held::{Explained, Held};
use super::{Ctx, Detector, Out, answered, thread_tree};
use crate::check::requirements::THREAD_ORDER;
use crate::history::EventKind;
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody;
use crate::wire::response::{Data, Response, Tagged, Thread};

const NAME: &str = "thread-order";

#[derive(Default)]
pub struct ThreadOrder {
    held: Held,
}

impl Detector for ThreadOrder {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        self.held.on_response(cx, r);
        let Response::Data(Data::Thread(threads)) = r else {
            return;
        };
        let sole = answered::sole_in_flight(cx, |b| match b {
            CommandBody::Thread(t) => Some(t),
            _ => None,
        });
        let Some((flight, thread)) = sole else {
            return;
        };
        let algorithm = thread.algorithm.as_str();
        let ordered = algorithm.eq_ignore_ascii_case("ORDEREDSUBJECT");
        if !ordered && !algorithm.eq_ignore_ascii_case("REFERENCES") {
            return;
        }
        if !ordered {
            let tree = thread_tree::judge_answer(cx, thread.uid, threads);
            out.measures().replies_placed += tree.replies;
            out.measures().siblings_ordered += tree.sibling_pairs;
            out.measures().tops_gathered += tree.tops;
            out.measures().references_exact += tree.exact;
            if let Some(problem) = tree.problem {
                let (v, uids) = problem.violation(cx, flight, thread.uid);
                self.held.hold(cx.session, uids, Explained::WhenAnyLeft, v);
            }
        }
        let answer: Vec<Judged> = (threads.iter())
            .map(|t| judged(cx, thread.uid, t, !ordered))
            .collect();
        count(&answer, ordered, out);
        let Some(problem) = first_problem(&answer, ordered) else {
            return;
        };
        let what = if thread.uid { "UID" } else { "message" };
        let (a, b) = problem.pair();
        let v = cx
            .violation(NAME, THREAD_ORDER)
            .expected(if ordered {
                format!(
                    "{} threads by base subject, each ordered by sent date, the threads by \
                     their first message's sent date, ties by sequence number",
                    flight.tag
                )
            } else {
                format!(
                    "{} messages without References or In-Reply-To grouped by base subject",
                    flight.tag
                )
            })
            .observed(format!(
                "{what} {} ({}) {} {what} {} ({})",
                a.number,
                a.describe(),
                problem.relation(),
                b.number,
                b.describe()
            ))
            .because("the base subjects and sent dates are those of the ENVELOPEs fetched")
            .evidence([flight.sent_at]);
        let uids = vec![a.uid, b.uid];
        self.held.hold(cx.session, uids, Explained::WhenAnyLeft, v);
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        self.held.on_completed(cx, done, t, out);
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        self.held.on_event(cx, event);
    }
}

/// Whether the answer put the rules to the test: two messages judged, two in one thread.
fn count(answer: &[Judged], ordered: bool, out: &mut Out) {
    let sizes = answer.iter().map(|t| t.members.len());
    let m = out.measures();
    let (judged, grouped) = if ordered {
        (&mut m.threads_judged, &mut m.threads_grouped)
    } else {
        (&mut m.references_judged, &mut m.references_grouped)
    };
    *judged += u64::from(sizes.clone().sum::<usize>() >= 2);
    *grouped += u64::from(sizes.clone().any(|n| n >= 2));
}

/// A message of the answer whose base subject and sent date the model knows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    number: u32,
    uid: u32,
    subject: String,
    date: i64,
}

impl Member {
    /// The sort key: sent date, then sequence order (UID order within a mailbox).
    fn key(&self) -> (i64, u32) {
        (self.date, self.uid)
    }

    fn describe(&self) -> String {
        format!("base subject {:?}, sent {}", self.subject, self.date)
    }
}

/// One thread of the answer: its messages in answer order, and whether the first of them
/// is the thread's first message (it is not when the model does not know that one).
struct Judged {
    members: Vec<Member>,
    first_known: bool,
}

/// `unreferenced`: keep only the messages known to have no References or In-Reply-To.
fn judged(cx: &Ctx<'_>, uid: bool, thread: &Thread, unreferenced: bool) -> Judged {
    let mut numbers = Vec::new();
    preorder(thread, &mut numbers);
    let members: Vec<Member> = answered::named(cx, uid, &numbers)
        .into_iter()
        .filter_map(|n| {
            let keys = n.record.envelope_keys()?;
            // REFERENCES leaves a message with an empty base subject where it is (step 5).
            let groupable =
                keys.unreferenced && keys.subject.as_ref().is_some_and(|s| !s.is_empty());
            (groupable || !unreferenced).then_some(())?;
            Some(Member {
                number: n.number,
                uid: n.uid,
                subject: keys.subject.clone()?,
                date: answered::sent_date(n.record)?,
            })
        })
        .collect();
    let first_known = members.first().map(|m| m.number) == numbers.first().copied();
    Judged {
        members,
        first_known,
    }
}

/// The numbers of a thread, root first, each child's subtree in turn.
fn preorder(thread: &Thread, out: &mut Vec<u32>) {
    out.extend(&thread.members);
    for child in &thread.children {
        preorder(child, out);
    }
}

/// What is wrong with an answer, as a pair of messages.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// Two base subjects in one thread.
    Mixed(Member, Member),
    /// One base subject in two threads.
    Split(Member, Member),
    /// A thread's messages out of sent-date order.
    Unsorted(Member, Member),
    /// Threads out of the order of their first messages.
    ThreadsUnsorted(Member, Member),
}

impl Problem {
    fn pair(&self) -> (&Member, &Member) {
        match self {
            Problem::Mixed(a, b)
            | Problem::Split(a, b)
            | Problem::Unsorted(a, b)
            | Problem::ThreadsUnsorted(a, b) => (a, b),
        }
    }

    fn relation(&self) -> &'static str {
        match self {
            Problem::Mixed(..) => "in one thread with",
            Problem::Split(..) => "in another thread than",
            Problem::Unsorted(..) => "before, in its thread,",
            Problem::ThreadsUnsorted(..) => "starts a thread before the one of",
        }
    }
}

/// The first rule the answer breaks; `ordered`: ORDEREDSUBJECT's orders too.
fn first_problem(answer: &[Judged], ordered: bool) -> Option<Problem> {
    let mut owner: std::collections::HashMap<&str, (usize, &Member)> = Default::default();
    for (i, thread) in answer.iter().enumerate() {
        let mut members = thread.members.iter();
        let Some(head) = members.next() else {
            continue;
        };
        if let Some(odd) = members.clone().find(|m| m.subject != head.subject) {
            return Some(Problem::Mixed(head.clone(), odd.clone()));
        }
        match owner.get(head.subject.as_str()) {
            Some((j, other)) if *j != i => {
                return Some(Problem::Split((*other).clone(), head.clone()));
            }
            _ => owner.insert(&head.subject, (i, head)),
        };
        let all = &thread.members;
        if let Some(w) = all.windows(2).find(|w| ordered && w[0].key() > w[1].key()) {
            return Some(Problem::Unsorted(w[0].clone(), w[1].clone()));
        }
    }
    if !ordered {
        return None;
    }
    let firsts: Vec<&Member> = (answer.iter())
        .filter(|t| t.first_known)
        .filter_map(|t| t.members.first())
        .collect();
    let w = firsts.windows(2).find(|w| w[0].key() > w[1].key())?;
    Some(Problem::ThreadsUnsorted(w[0].clone(), w[1].clone()))
}
