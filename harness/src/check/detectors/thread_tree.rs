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
//!
//! Messages the model has no ENVELOPE for are left out, never guessed: a reply under an
//! unknown message may be under a copy of its parent.

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
            };
            (n.number, k)
        })
        .collect();
    tree.judge(|n| known.get(&n).copied())
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
    /// Two siblings out of sent-date order; a dummy is named by its first message.
    Unsorted {
        first: (Named, i64),
        second: (Named, i64),
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
        let order = self.order(&known, &mut judged.sibling_pairs);
        judged.problem = placement.or(order);
        judged
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
        for node in &self.nodes {
            let Some((number, k)) = node.number.and_then(|n| Some((n, known(n)?))) else {
                continue;
            };
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
mod tests {
    use super::*;

    /// `(members, children)` shorthand.
    fn t(members: &[u32], children: Vec<Thread>) -> Thread {
        Thread {
            members: members.to_vec(),
            children,
        }
    }

    /// Message n: UID n, sent at `dates[n - 1]`, Message-ID `<n>`, replying to `parents`.
    fn known(
        dates: &'static [i64],
        parents: &'static [(u32, &'static str)],
    ) -> impl Fn(u32) -> Option<Known<'static>> {
        const IDS: [&str; 6] = ["<1>", "<2>", "<3>", "<4>", "<5>", "<6>"];
        move |n| {
            Some(Known {
                uid: n,
                date: Some(*dates.get(n.checked_sub(1)? as usize)?),
                id: IDS.get(n.checked_sub(1)? as usize).copied(),
                reply_to: parents.iter().find(|p| p.0 == n).map(|p| p.1),
            })
        }
    }

    #[test]
    fn replies_under_their_parents_and_siblings_by_date_pass() {
        // 2 answers 1; 4 and 3 answer 2; 5 stands alone.
        let k = known(&[10, 20, 40, 30, 15], &[(2, "<1>"), (3, "<2>"), (4, "<2>")]);
        let tree = Tree::of(&[
            t(&[1, 2], vec![t(&[4], vec![]), t(&[3], vec![])]),
            t(&[5], vec![]),
        ]);
        let judged = tree.judge(&k);
        assert_eq!(judged.problem, None);
        assert_eq!((judged.replies, judged.sibling_pairs), (3, 2));
        // A dummy sorts by its first child: (dummy: 1, 5) at 10 before 2 at 20.
        let k = known(&[10, 20, 40, 30, 15], &[]);
        let tree = Tree::of(&[
            t(&[], vec![t(&[1], vec![]), t(&[5], vec![])]),
            t(&[2], vec![]),
        ]);
        assert_eq!(tree.judge(&k).problem, None);
    }

    #[test]
    fn a_reply_elsewhere_fires_but_one_under_an_unknown_message_does_not() {
        let k = known(&[10, 20, 30], &[(3, "<1>")]);
        let misplaced = |threads: &[Thread]| match Tree::of(threads).judge(&k).problem {
            Some(TreeProblem::Misplaced { reply, under, .. }) => Some((reply.number, under)),
            _ => None,
        };
        assert_eq!(
            misplaced(&[t(&[1], vec![]), t(&[2, 3], vec![])]),
            Some((3, Some(2)))
        );
        assert_eq!(
            misplaced(&[t(&[1], vec![]), t(&[2], vec![]), t(&[3], vec![])]),
            Some((3, None))
        );
        assert_eq!(
            misplaced(&[
                t(&[1], vec![]),
                t(&[], vec![t(&[2], vec![]), t(&[3], vec![])])
            ]),
            Some((3, None))
        );
        // 9 is unknown: it could be a copy of 1.
        assert_eq!(
            misplaced(&[t(&[1], vec![]), t(&[2], vec![]), t(&[9, 3], vec![])]),
            None
        );
        // The parent not matched: nothing to judge.
        assert_eq!(
            Tree::of(&[t(&[2], vec![]), t(&[3], vec![])])
                .judge(&k)
                .replies,
            0
        );
    }

    #[test]
    fn siblings_out_of_date_order_fire_ties_go_by_number() {
        let k = known(&[10, 20, 20, 5], &[]);
        let unsorted = |threads: &[Thread]| match Tree::of(threads).judge(&k).problem {
            Some(TreeProblem::Unsorted { first, second }) => {
                Some((first.0.number, second.0.number))
            }
            _ => None,
        };
        assert_eq!(unsorted(&[t(&[2], vec![]), t(&[1], vec![])]), Some((2, 1)));
        assert_eq!(
            unsorted(&[t(&[1], vec![t(&[3], vec![]), t(&[2], vec![])])]),
            Some((3, 2))
        );
        assert_eq!(
            unsorted(&[t(&[1], vec![t(&[2], vec![]), t(&[3], vec![])])]),
            None
        );
        // A dummy whose first child is 4 (at 5) goes first.
        let dummy = || t(&[], vec![t(&[4], vec![]), t(&[3], vec![])]);
        assert_eq!(unsorted(&[dummy(), t(&[1], vec![])]), None);
        assert_eq!(unsorted(&[t(&[1], vec![]), dummy()]), Some((1, 4)));
        // Unknown siblings are skipped, not guessed.
        assert_eq!(
            unsorted(&[t(&[1], vec![]), t(&[9], vec![]), t(&[2], vec![])]),
            None
        );
    }
}
