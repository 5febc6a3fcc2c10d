//! RFC 5256 §3 on small mailboxes, answers written as the RFC's syntax.

use super::{Msg, references, renumber, show};

/// A message numbered `n` (also its sequence order) with id `<n>`, sent at `date`,
/// subject `subject` (a reply by its subject when `re`), answering `parent`.
fn msg(
    n: u32,
    date: i64,
    subject: &'static str,
    re: bool,
    parent: Option<&'static str>,
) -> Msg<'static> {
    let id: &'static str = Box::leak(format!("<{n}>").into_boxed_str());
    Msg {
        number: n,
        order: n,
        id,
        parent,
        subject,
        reply: re,
        date,
    }
}

fn answer(msgs: &[Msg<'_>]) -> String {
    show(&renumber(msgs, references(msgs)))
}

#[test]
fn replies_go_under_their_parents_and_threads_by_date() {
    let msgs = [
        msg(1, 10, "A", false, None),
        msg(2, 30, "B", false, None),
        msg(3, 20, "A", true, Some("<1>")),
        msg(4, 40, "A", true, Some("<3>")),
    ];
    assert_eq!(answer(&msgs), "(1 3 4)(2)");
}

#[test]
fn a_duplicate_id_is_a_message_of_its_own() {
    // P, R (answering P), a later copy of P: the first P keeps the id (Dovecot and Cyrus
    // answer so; Courier gives the reply to the copy, courier-R5256-3-03).
    let mut copy = msg(3, 10, "A", false, None);
    copy.id = "<1>";
    let msgs = [
        msg(1, 10, "A", false, None),
        msg(2, 20, "A", true, Some("<1>")),
        copy,
    ];
    // The copy has A's subject and no reply marker: step 5 puts both under a dummy.
    assert_eq!(answer(&msgs), "((1 2)(3))");
}

#[test]
fn replies_to_a_missing_message_share_a_dummy_and_one_alone_is_a_root() {
    let two = [
        msg(1, 20, "A", true, Some("<9>")),
        msg(2, 10, "A", true, Some("<9>")),
    ];
    assert_eq!(answer(&two), "((2)(1))");
    let one = [
        msg(1, 20, "A", true, Some("<9>")),
        msg(2, 10, "B", false, None),
    ];
    assert_eq!(answer(&one), "(2)(1)");
}

#[test]
fn step_five_takes_replies_under_a_top_until_a_second_top_makes_a_dummy() {
    // By date: top 1, reply 2 (by subject only), top 3: 2 goes under 1, then 1 and 3 under
    // a new dummy.
    let msgs = [
        msg(1, 10, "A", false, None),
        msg(2, 20, "A", true, None),
        msg(3, 30, "A", false, None),
    ];
    assert_eq!(answer(&msgs), "((1 2)(3))");
    // The reply after the second top goes under the dummy, beside both tops.
    let later = [
        msg(1, 10, "A", false, None),
        msg(2, 30, "A", true, None),
        msg(3, 20, "A", false, None),
    ];
    assert_eq!(answer(&later), "((1)(3)(2))");
    // Two replies by subject alone: a dummy over both; an empty subject gathers nothing.
    let replies = [msg(1, 10, "A", true, None), msg(2, 20, "A", true, None)];
    assert_eq!(answer(&replies), "((1)(2))");
    let empty = [msg(1, 10, "", false, None), msg(2, 20, "", false, None)];
    assert_eq!(answer(&empty), "(1)(2)");
}

#[test]
fn a_dummy_takes_the_threads_of_its_subject_in_any_order() {
    // Two replies to a missing message make a dummy; a top of the same subject joins it.
    let msgs = [
        msg(1, 10, "A", false, None),
        msg(2, 20, "A", true, Some("<9>")),
        msg(3, 30, "A", true, Some("<9>")),
    ];
    assert_eq!(answer(&msgs), "((1)(2)(3))");
}

#[test]
fn siblings_sort_by_date_then_sequence_and_a_loop_is_not_made() {
    let msgs = [
        msg(1, 10, "A", false, None),
        msg(2, 30, "A", true, Some("<1>")),
        msg(3, 20, "A", true, Some("<1>")),
        msg(4, 20, "A", true, Some("<1>")),
    ];
    assert_eq!(answer(&msgs), "(1 (3)(4)(2))");
    // 1 answers 2 and 2 answers 1: the second link would close a loop.
    let looped = [
        msg(1, 10, "A", false, Some("<2>")),
        msg(2, 20, "B", false, Some("<1>")),
    ];
    assert_eq!(answer(&looped), "(2 1)");
}
