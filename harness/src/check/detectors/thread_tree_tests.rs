//! The REFERENCES tree's rules on hand-built answers (`Tree::judge` over a lookup).

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
            top: false,
            subject: None,
            reply: false,
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
        Some(TreeProblem::Unsorted { first, second }) => Some((first.0.number, second.0.number)),
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

/// Message n: UID n, sent at n, a top message (no References) of base subject `subjects[n-1]`.
fn tops(subjects: &'static [&'static str]) -> impl Fn(u32) -> Option<Known<'static>> {
    move |n| {
        Some(Known {
            uid: n,
            date: Some(i64::from(n)),
            id: None,
            reply_to: None,
            top: true,
            subject: Some(*subjects.get(n.checked_sub(1)? as usize)?),
            reply: false,
        })
    }
}

fn buried(threads: &[Thread], k: &impl Fn(u32) -> Option<Known<'static>>) -> Option<(u32, usize)> {
    match Tree::of(threads).judge(k).problem {
        Some(TreeProblem::Buried { message, depth, .. }) => Some((message.number, depth)),
        _ => None,
    }
}

#[test]
fn tops_sit_at_most_two_levels_down_under_their_own_subject() {
    let k = tops(&["A", "A", "A", "B", ""]);
    // 1 over 2 under a dummy beside 3: step 5 builds this.
    let fine = [
        t(&[], vec![t(&[1, 2], vec![]), t(&[3], vec![])]),
        t(&[4], vec![]),
        t(&[5], vec![]),
    ];
    assert_eq!(buried(&fine, &k), None);
    assert_eq!(Tree::of(&fine).judge(&k).tops, 5);
    // Three levels down, or under another subject, or an empty subject moved at all.
    assert_eq!(
        buried(&[t(&[], vec![t(&[1, 2, 3], vec![]), t(&[4], vec![])])], &k),
        Some((3, 3))
    );
    assert_eq!(buried(&[t(&[4, 1], vec![])], &k), Some((1, 1)));
    assert_eq!(buried(&[t(&[1, 5], vec![])], &k), Some((5, 1)));
    // Under a message the model does not know: not judged.
    assert_eq!(buried(&[t(&[9, 1], vec![])], &k), None);
}
