//! THREAD=REFERENCES' tree, judged where the model knows enough (RFC 5256 §3).
//!
//! - **Replies under their parents.** Step 1 links a message under the message its last
//!   reference names. A reply imapgate wrote names one message in both References and
//!   In-Reply-To, and the ENVELOPE shows the In-Reply-To. So when the search matched the
//!   parent too, the reply sits directly under a message with that Message-ID: the parent
//!   is no dummy, so step 3 keeps it, and steps 4 and 5 only move top-level threads. (With
//!   duplicate Message-IDs the first keeps the id; any message bearing it is accepted.)
//! - **Siblings by sent date.** Step 6 sorts every set of siblings by sent date, ties by
//!   sequence number, a dummy by its first child. The siblings whose keys the model knows
//!   must come in that order: a subsequence of a sorted list is sorted.
//! - **Tops gathered by subject only.** A message with neither References nor In-Reply-To
//!   is a thread's top after step 3 (imapgate's References name a parent, never a chain).
//!   Step 5 moves such a top at most twice: under another top of its base subject, and that
//!   one under a new dummy. So it sits at most two levels down, under dummies and messages
//!   of its own base subject only; with an empty base subject step 5 leaves it on top.
//!
//! Messages the model has no ENVELOPE for are left out, never guessed: a reply under an
//! unknown message may be under a copy of its parent.
//!
//! - **The whole answer.** When the model knows every message of the answer, the answer
//!   must be the one `thread_refs` computes by all six steps; the rules above then only
//!   name where a differing answer went wrong.

use super::thread_refs::{Canon, Msg, references, renumber, show};
use super::{Ctx, answered};
use crate::check::requirements::THREAD_TREE;
use crate::check::verdict::Violation;
use crate::model::InFlight;
use crate::wire::response::Thread;
use std::collections::HashMap;

/// Judges a REFERENCES answer with what the model knows of its messages.
pub fn judge_answer(cx: &Ctx<'_>, uid: bool, threads: &[Thread]) -> Judged {
    let tree = Tree::of(threads);
    let numbers: Vec<u32> = tree.nodes.iter().filter_map(|n| n.number).collect();
    let known: HashMap<u32, Known<'_>> = answered::named(cx, uid, &numbers)
        .into_iter()
        .map(|n| {
            let keys = n.record.envelope_keys();
            let k = Known {
                uid: n.uid,
                date: answered::sent_date(n.record),
                id: keys.and_then(|k| k.message_id.as_deref()),
                reply_to: keys.and_then(|k| k.in_reply_to.as_deref()),
                top: keys.is_some_and(|k| k.unreferenced),
                subject: keys.and_then(|k| k.subject.as_deref()),
                reply: keys.is_some_and(|k| k.reply),
            };
            (n.number, k)
        })
        .collect();
    let mut judged = tree.judge(|n| known.get(&n).copied());
    // Where every message is known the whole answer is judged, and that verdict stands;
    // a rule above that it broke, if one, says best where it went wrong.
    if let Some(msgs) = whole(&numbers, &known) {
        judged.exact = 1;
        let differs = tree.compare(&msgs, |n| known.get(&n).map(|k| k.uid));
        judged.problem = differs.map(|d| judged.problem.take().unwrap_or(d));
    }
    judged
}

/// The answer's messages as `thread_refs` needs them, when the model knows all of them.
fn whole<'a>(numbers: &[u32], known: &HashMap<u32, Known<'a>>) -> Option<Vec<Msg<'a>>> {
    (numbers.iter())
        .map(|n| {
            let k = known.get(n)?;
            Some(Msg {
                number: *n,
                order: k.uid,
                id: k.id?,
                parent: k.reply_to,
                subject: k.subject?,
                reply: k.reply,
                date: k.date?,
            })
        })
        .collect()
}

impl TreeProblem {
    /// The finding, and the UIDs whose expunge meanwhile would explain it.
    pub fn violation(&self, cx: &Ctx<'_>, flight: &InFlight, uid: bool) -> (Violation, Vec<u32>) {
        let what = if uid { "UID" } else { "message" };
        let (expected, observed, uids) = match self {
            TreeProblem::Misplaced {
                reply,
                id,
                parent,
                under,
            } => (
                "a reply directly under the message its In-Reply-To and References name, when \
                 that message is matched too (step 1)",
                format!(
                    "{what} {} (In-Reply-To {id}) is {}, not under {what} {} ({id})",
                    reply.number,
                    match under {
                        Some(n) => format!("under {what} {n}"),
                        None => "at a thread's top or under a dummy".to_owned(),
                    },
                    parent.number
                ),
                vec![reply.uid, parent.uid],
            ),
            TreeProblem::Buried {
                message,
                subject,
                depth,
                under,
            } => (
                "a message without References at most two levels down, under dummies and \
                 messages of its base subject only, and on top with an empty one (step 5)",
                match under {
                    Some((m, theirs)) => format!(
                        "{what} {} (no References, base subject {subject:?}) is under {what} {} \
                         (base subject {theirs:?})",
                        message.number, m.number
                    ),
                    None => format!(
                        "{what} {} (no References, base subject {subject:?}) is {depth} levels down",
                        message.number
                    ),
                },
                std::iter::once(message.uid)
                    .chain(under.as_ref().map(|u| u.0.uid))
                    .collect(),
            ),
            TreeProblem::Differs {
                expected,
                observed,
                uids,
            } => (
                "RFC 5256's REFERENCES over the matched messages, whose Message-IDs, \
                 References, base subjects and sent dates are all known",
                format!("a thread {observed} where {expected} is due"),
                uids.clone(),
            ),
            TreeProblem::Unsorted { first, second } => (
                "every set of siblings in sent-date order, ties by sequence number, a dummy by \
                 its first child (step 6)",
                format!(
                    "{what} {} (sent {}) before its sibling {what} {} (sent {})",
                    first.0.number, first.1, second.0.number, second.1
                ),
                vec![first.0.uid, second.0.uid],
            ),
        };
        let v = cx
            .violation(NAME, THREAD_TREE)
            .expected(format!("{}: {expected}", flight.tag))
            .observed(observed)
            .because(
                "the Message-IDs, In-Reply-Tos and sent dates are those of the ENVELOPEs fetched",
            )
            .evidence([flight.sent_at]);
        (v, uids)
    }
}

/// The detector that holds these findings (`thread_order`).
const NAME: &str = "thread-order";

/// What the model knows of one answered message.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub uid: u32,
    /// The sent date in seconds since 1970 UTC, when known.
    pub date: Option<i64>,
    /// Its Message-ID and In-Reply-To, for messages imapgate wrote.
    pub id: Option<&'a str>,
    pub reply_to: Option<&'a str>,
    /// Written by imapgate without In-Reply-To (so without References either).
    pub top: bool,
    /// The base subject, upper-cased, when judgeable.
    pub subject: Option<&'a str>,
    /// The subject is a reply or forward (RFC 5256 step 5).
    pub reply: bool,
}

/// An answered message named in a finding: its number as answered and its UID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named {
    pub number: u32,
    pub uid: u32,
}

/// What is wrong with an answer's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeProblem {
    /// `reply` (In-Reply-To `id`) is not directly under `parent`, which bears that id;
    /// `under` is what it is under (`None`: a thread's top or a dummy).
    Misplaced {
        reply: Named,
        id: String,
        parent: Named,
        under: Option<u32>,
    },
    /// A top message (no References) `depth` levels down, or under `under`, a message of
    /// another base subject.
    Buried {
        message: Named,
        subject: String,
        depth: usize,
        under: Option<(Named, String)>,
    },
    /// Two siblings out of sent-date order; a dummy is named by its first message.
    Unsorted {
        first: (Named, i64),
        second: (Named, i64),
    },
    /// The whole answer differs from RFC 5256's: the first thread that differs, as it
    /// should be and as answered, and the UIDs of both.
    Differs {
        expected: String,
        observed: String,
        uids: Vec<u32>,
    },
}

/// Where a top message sits, walking up from it.
enum Ancestry {
    /// An ancestor the model has no base subject for: not judged.
    Unknown,
    Fine,
    /// Deeper than allowed, or under a message of another base subject (`under`).
    Buried {
        depth: usize,
        under: Option<(Named, String)>,
    },
}

/// One node of an answer: a message (its number) or a dummy.
#[derive(Debug)]
struct Node {
    number: Option<u32>,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// An answer as a tree: `(3 6 (4 23)(44))` is 3 over 6, and 6 over both 4 (over 23) and 44.
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    roots: Vec<usize>,
}

/// How much of an answer the rules were put to: replies placed, sibling pairs ordered.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Judged {
    pub replies: u64,
    pub sibling_pairs: u64,
    pub tops: u64,
    /// 1 when the whole answer was compared with RFC 5256's.
    pub exact: u64,
    pub problem: Option<TreeProblem>,
}

impl Tree {
    pub fn of(threads: &[Thread]) -> Tree {
        let mut tree = Tree::default();
        for thread in threads {
            let top = tree.add(thread, None);
            tree.roots.push(top);
        }
        tree
    }

    /// Adds `thread` under `parent` and returns its top node. The parser bounds the nesting.
    fn add(&mut self, thread: &Thread, parent: Option<usize>) -> usize {
        let mut members = thread.members.iter().copied();
        let top = self.push(members.next(), parent);
        let mut last = top;
        for number in members {
            last = self.push(Some(number), Some(last));
        }
        for child in &thread.children {
            self.add(child, Some(last));
        }
        top
    }

    fn push(&mut self, number: Option<u32>, parent: Option<usize>) -> usize {
        let at = self.nodes.len();
        self.nodes.push(Node {
            number,
            parent,
            children: Vec::new(),
        });
        if let Some(node) = parent.and_then(|p| self.nodes.get_mut(p)) {
            node.children.push(at);
        }
        at
    }

    /// Both rules over the whole answer; the first problem met, replies first.
    pub fn judge<'a>(&self, known: impl Fn(u32) -> Option<Known<'a>>) -> Judged {
        let mut judged = Judged::default();
        let placement = self.placement(&known, &mut judged.replies);
        let gathering = self.gathering(&known, &mut judged.tops);
        let order = self.order(&known, &mut judged.sibling_pairs);
        judged.problem = placement.or(gathering).or(order);
        judged
    }

    /// The answer against RFC 5256's over the same messages (`msgs`, all of the answer):
    /// the first thread that differs, in the order the answer should have.
    fn compare(&self, msgs: &[Msg<'_>], uid: impl Fn(u32) -> Option<u32>) -> Option<TreeProblem> {
        let expected = renumber(msgs, references(msgs));
        let observed = self.canon();
        if expected == observed {
            return None;
        }
        let at = (expected.iter().zip(&observed))
            .position(|(e, o)| e != o)
            .unwrap_or(expected.len().min(observed.len()));
        let pick = |list: &[Canon]| list.get(at).cloned().into_iter().collect::<Vec<_>>();
        let (e, o) = (pick(&expected), pick(&observed));
        let mut numbers = Vec::new();
        for c in e.iter().chain(&o) {
            c.numbers(&mut numbers);
        }
        Some(TreeProblem::Differs {
            expected: show(&e),
            observed: show(&o),
            uids: numbers.into_iter().filter_map(uid).collect(),
        })
    }

    /// The answer in `thread_refs`' form.
    fn canon(&self) -> Vec<Canon> {
        self.roots.iter().map(|&r| self.canon_at(r)).collect()
    }

    fn canon_at(&self, at: usize) -> Canon {
        let node = &self.nodes[at];
        Canon {
            number: node.number,
            children: node.children.iter().map(|&c| self.canon_at(c)).collect(),
        }
    }

    /// The nodes that are messages the model knows, with their numbers and what it knows.
    fn known_messages<'t, 'a>(
        &'t self,
        known: &'t impl Fn(u32) -> Option<Known<'a>>,
    ) -> impl Iterator<Item = (&'t Node, u32, Known<'a>)> + 't {
        (self.nodes.iter()).filter_map(|node| {
            let number = node.number?;
            Some((node, number, known(number)?))
        })
    }

    /// Step 1: every reply whose parent was matched sits directly under a bearer of its id.
    fn placement<'a>(
        &self,
        known: &impl Fn(u32) -> Option<Known<'a>>,
        placed: &mut u64,
    ) -> Option<TreeProblem> {
        let mut bearer: HashMap<&str, Named> = HashMap::new();
        for number in self.nodes.iter().filter_map(|n| n.number) {
            if let Some(k) = known(number)
                && let Some(id) = k.id
            {
                bearer.entry(id).or_insert(Named { number, uid: k.uid });
            }
        }
        let mut problem = None;
        for (node, number, k) in self.known_messages(known) {
            let Some((id, parent)) = k.reply_to.and_then(|id| Some((id, *bearer.get(id)?))) else {
                continue;
            };
            *placed += 1;
            let under = node.parent.and_then(|p| self.nodes.get(p)?.number);
            let fine = match under.map(&known) {
                // Under a message the model has no ENVELOPE for: maybe a copy of the parent.
                Some(None) => true,
                Some(Some(u)) => u.id == Some(id),
                None => false,
            };
            if !fine && problem.is_none() {
                problem = Some(TreeProblem::Misplaced {
                    reply: Named { number, uid: k.uid },
                    id: id.to_owned(),
                    parent,
                    under,
                });
            }
        }
        problem
    }

    /// Step 5: every top message at most two levels down, under dummies and messages of its
    /// base subject (none with an empty one). The walk up stops a level past the limit, so
    /// a long chain costs no more than a short one.
    fn gathering<'a>(
        &self,
        known: &impl Fn(u32) -> Option<Known<'a>>,
        tops: &mut u64,
    ) -> Option<TreeProblem> {
        let mut problem = None;
        for (node, number, k) in self.known_messages(known) {
            let (true, Some(subject)) = (k.top, k.subject) else {
                continue;
            };
            let limit = if subject.is_empty() { 0 } else { 2 };
            let (depth, under) = match self.ancestry(node, subject, limit, known) {
                Ancestry::Unknown => continue,
                Ancestry::Fine => (0, None),
                Ancestry::Buried { depth, under } => (depth, Some(under)),
            };
            *tops += 1;
            if let (Some(under), None) = (under, &problem) {
                problem = Some(TreeProblem::Buried {
                    message: Named { number, uid: k.uid },
                    subject: subject.to_owned(),
                    depth,
                    under,
                });
            }
        }
        problem
    }

    /// Walks up from `node` to a level past `limit`.
    fn ancestry<'a>(
        &self,
        node: &Node,
        subject: &str,
        limit: usize,
        known: &impl Fn(u32) -> Option<Known<'a>>,
    ) -> Ancestry {
        let mut at = node.parent;
        for depth in 1..=limit + 1 {
            let Some(parent) = at.and_then(|p| self.nodes.get(p)) else {
                return Ancestry::Fine;
            };
            if let Some(number) = parent.number {
                let Some((k, theirs)) = known(number).and_then(|k| Some((k, k.subject?))) else {
                    return Ancestry::Unknown;
                };
                if theirs != subject {
                    let under = Some((Named { number, uid: k.uid }, theirs.to_owned()));
                    return Ancestry::Buried { depth, under };
                }
            }
            if depth > limit {
                return Ancestry::Buried { depth, under: None };
            }
            at = parent.parent;
        }
        Ancestry::Fine
    }

    /// Step 6: every set of siblings (the threads too) by sent date, ties by number.
    fn order<'a>(
        &self,
        known: &impl Fn(u32) -> Option<Known<'a>>,
        pairs: &mut u64,
    ) -> Option<TreeProblem> {
        let sets = std::iter::once(&self.roots).chain(self.nodes.iter().map(|n| &n.children));
        let mut problem = None;
        for siblings in sets {
            let keyed: Vec<(Named, i64)> = (siblings.iter())
                .filter_map(|&i| self.key(i, known))
                .collect();
            *pairs += keyed.len().saturating_sub(1) as u64;
            let later = |a: &(Named, i64), b: &(Named, i64)| (a.1, a.0.uid) > (b.1, b.0.uid);
            let found = keyed.windows(2).find(|w| later(&w[0], &w[1]));
            if let (Some(w), None) = (found, &problem) {
                problem = Some(TreeProblem::Unsorted {
                    first: w[0],
                    second: w[1],
                });
            }
        }
        problem
    }

    /// A node's sort key: its message's sent date, or a dummy's first child's. The nesting
    /// is bounded by the parser, so the walk down first children is too.
    fn key<'a>(
        &self,
        mut at: usize,
        known: &impl Fn(u32) -> Option<Known<'a>>,
    ) -> Option<(Named, i64)> {
        for _ in 0..=self.nodes.len() {
            let node = self.nodes.get(at)?;
            match node.number {
                Some(number) => {
                    let k = known(number)?;
                    return Some((Named { number, uid: k.uid }, k.date?));
                }
                None => at = *node.children.first()?,
            }
        }
        None
    }
}

#[cfg(test)]
#[path = "thread_tree_tests.rs"]
mod tests;
