//! SORT's order against the model's evaluation (RFC 5256 §3): SIZE and ARRIVAL from the
//! RFC822.SIZE and INTERNALDATE the session fetched, SUBJECT/FROM/TO/CC from its ENVELOPEs,
//! ties by sequence number, REVERSE reversing the key only.

use super::{findings, fires, quiet, select};
use crate::check::Verdict;

/// Three messages, UIDs 1–3, sizes 300, 100, 100, internal dates: message 3 earliest (the
/// same instant as message 1, written in another zone), message 2 latest.
fn fetched() -> String {
    format!(
        "caps IMAP4rev1 SORT\n{}\
         1> F1 FETCH 1:3 (UID RFC822.SIZE INTERNALDATE)\n\
         1< * 1 FETCH (UID 1 RFC822.SIZE 300 INTERNALDATE \"01-Jan-2024 12:00:00 +0000\")\n\
         1< * 2 FETCH (UID 2 RFC822.SIZE 100 INTERNALDATE \"01-Jan-2024 13:00:00 +0000\")\n\
         1< * 3 FETCH (UID 3 RFC822.SIZE 100 INTERNALDATE \"01-Jan-2024 14:00:00 +0200\")\n\
         1< F1 OK done\n",
        select(1, "S1", "INBOX", 3, 4)
    )
}

/// The SORT, then a NOOP (a finding waits for the session's next poll: an EXPUNGE of one of
/// its messages would explain it).
fn sort(command: &str, answer: &str) -> String {
    format!(
        "{}1> Q1 {command}\n1< * SORT {answer}\n1< Q1 OK done\n1> N1 NOOP\n1< N1 OK done\n",
        fetched()
    )
}

#[test]
fn size_order_with_ties_by_sequence_number() {
    quiet(&sort("SORT (SIZE) US-ASCII ALL", "2 3 1"));
    assert_eq!(
        findings(&sort("SORT (SIZE) US-ASCII ALL", "2 3 1"))
            .measures
            .sorts_judged,
        1
    );
    let v = fires(&sort("SORT (SIZE) US-ASCII ALL", "3 2 1"), "R5256-3-01");
    assert_eq!(v.detector, "sort-order");
    assert_eq!(v.verdict, Verdict::Fail);
    fires(&sort("SORT (SIZE) US-ASCII ALL", "1 2 3"), "R5256-3-01");
    // REVERSE reverses the size, not the tie-break.
    quiet(&sort("SORT (REVERSE SIZE) US-ASCII ALL", "1 2 3"));
    fires(
        &sort("SORT (REVERSE SIZE) US-ASCII ALL", "1 3 2"),
        "R5256-3-01",
    );
    // UID SORT answers UIDs; a subset (a search that matched fewer) is judged as it is.
    quiet(&sort("UID SORT (SIZE) US-ASCII ALL", "2 3 1"));
    quiet(&sort("SORT (SIZE) US-ASCII UNSEEN", "3 1"));
    fires(
        &sort("UID SORT (SIZE) US-ASCII UNSEEN", "1 3"),
        "R5256-3-01",
    );
}

#[test]
fn a_message_expunged_meanwhile_explains_its_place() {
    // Another session expunged message 1 during the SORT: the server may not know its size
    // any more (Dovecot sorts such messages first).
    let expunged = format!(
        "{}1> Q1 SORT (SIZE) US-ASCII ALL\n1< * SORT 1 2 3\n1< Q1 OK done\n\
         1> N1 NOOP\n1< * 1 EXPUNGE\n1< N1 OK done\n",
        fetched()
    );
    quiet(&expunged);
    // Without a poll nothing is reported (yet).
    let unpolled = format!(
        "{}1> Q1 SORT (SIZE) US-ASCII ALL\n1< * SORT 1 2 3\n1< Q1 OK done\n",
        fetched()
    );
    quiet(&unpolled);
}

#[test]
fn an_expunge_of_a_message_whose_uid_the_session_never_learnt_may_explain_it() {
    // Session 2 knows the sizes (session 1 fetched them) but not its own messages' UIDs.
    let sorted = |between: &str| {
        format!(
            "{}{}2> Q2 UID SORT (SIZE) US-ASCII ALL\n2< * SORT 1 2 3\n{between}2< Q2 OK done\n\
             2> N2 NOOP\n2< N2 OK done\n",
            fetched(),
            select(2, "S2", "INBOX", 3, 4)
        )
    };
    fires(&sorted(""), "R5256-3-01");
    // Message 1 of its view might be UID 1 or 2: the order is not judged.
    quiet(&sorted("2< * 1 EXPUNGE\n"));
}

#[test]
fn arrival_compares_date_and_time_across_zones() {
    // Message 3's 14:00 +0200 is 12:00 UTC, the same instant as message 1: tie, by number.
    quiet(&sort("SORT (ARRIVAL) US-ASCII ALL", "1 3 2"));
    fires(&sort("SORT (ARRIVAL) US-ASCII ALL", "3 1 2"), "R5256-3-01");
    quiet(&sort("SORT (REVERSE ARRIVAL) US-ASCII ALL", "2 1 3"));
}

#[test]
fn keys_never_fetched_and_other_criteria_are_not_judged() {
    let bare = format!(
        "caps IMAP4rev1 SORT\n{}1> Q1 SORT (SIZE) US-ASCII ALL\n1< * SORT 3 1 2\n1< Q1 OK done\n",
        select(1, "S1", "INBOX", 3, 4)
    );
    quiet(&bare);
    // Only sizes and dates were fetched: no subject is known.
    quiet(&sort("SORT (SUBJECT) US-ASCII ALL", "3 1 2"));
    quiet(&sort("SORT (DATE) US-ASCII ALL", "3 1 2")); // no ENVELOPE: no sent date
}

/// Three messages with ENVELOPEs: subjects "Re: beta", "alpha", "[list] Fwd: Alpha (fwd)"
/// (base subjects BETA, ALPHA, ALPHA); From mailboxes zed, Amy, bob; message 2 has no To,
/// message 3's subject is an encoded word in `encoded()`.
fn enveloped(third_subject: &str) -> String {
    let env = |subject: &str, from: &str, to: &str| {
        format!(
            "ENVELOPE (NIL {subject} ((NIL NIL \"{from}\" \"x.invalid\")) NIL NIL {to} NIL NIL NIL NIL)"
        )
    };
    let to = "((NIL NIL \"to\" \"x.invalid\"))";
    format!(
        "caps IMAP4rev1 SORT\n{}\
         1> F1 FETCH 1:3 (UID ENVELOPE)\n\
         1< * 1 FETCH (UID 1 {})\n\
         1< * 2 FETCH (UID 2 {})\n\
         1< * 3 FETCH (UID 3 {})\n\
         1< F1 OK done\n",
        select(1, "S1", "INBOX", 3, 4),
        env("\"Re: beta\"", "zed", to),
        env("\"alpha\"", "Amy", "NIL"),
        env(third_subject, "bob", to),
    )
}

fn sort_enveloped(third_subject: &str, command: &str, answer: &str) -> String {
    format!(
        "{}1> Q1 {command}\n1< * SORT {answer}\n1< Q1 OK done\n1> N1 NOOP\n1< N1 OK done\n",
        enveloped(third_subject)
    )
}

#[test]
fn subject_sorts_by_base_subject_case_insensitively() {
    let third = "\"[list] Fwd: Alpha (fwd)\"";
    // ALPHA (2), ALPHA (3), BETA (1): the tie by sequence number.
    quiet(&sort_enveloped(
        third,
        "SORT (SUBJECT) US-ASCII ALL",
        "2 3 1",
    ));
    let v = fires(
        &sort_enveloped(third, "SORT (SUBJECT) US-ASCII ALL", "3 2 1"),
        "R5256-3-01",
    );
    assert!(v.observed.contains("base subject"), "{}", v.observed);
    // Compared as written ("Re: beta" before "alpha") it would be in order: not the rule.
    fires(
        &sort_enveloped(third, "SORT (SUBJECT) US-ASCII ALL", "1 2 3"),
        "R5256-3-01",
    );
    quiet(&sort_enveloped(
        third,
        "SORT (REVERSE SUBJECT) US-ASCII ALL",
        "1 2 3",
    ));
    // An encoded word is not decoded: that message is left out, the rest judged.
    let encoded = "\"=?utf-8?q?zzz?=\"";
    quiet(&sort_enveloped(
        encoded,
        "SORT (SUBJECT) US-ASCII ALL",
        "3 2 1",
    ));
    fires(
        &sort_enveloped(encoded, "SORT (SUBJECT) US-ASCII ALL", "1 3 2"),
        "R5256-3-01",
    );
}

#[test]
fn address_keys_use_the_first_mailbox_and_empty_sorts_first() {
    let third = "\"x\"";
    // From: Amy (2), bob (3), zed (1), case-insensitively.
    quiet(&sort_enveloped(third, "SORT (FROM) US-ASCII ALL", "2 3 1"));
    fires(
        &sort_enveloped(third, "SORT (FROM) US-ASCII ALL", "3 2 1"),
        "R5256-3-01",
    );
    // To: message 2 has none (the empty key, first); 1 and 3 tie.
    quiet(&sort_enveloped(
        third,
        "UID SORT (TO) US-ASCII ALL",
        "2 1 3",
    ));
    fires(
        &sort_enveloped(third, "SORT (TO) US-ASCII ALL", "1 2 3"),
        "R5256-3-01",
    );
    // No Cc anywhere: all tie, by number.
    quiet(&sort_enveloped(third, "SORT (CC) US-ASCII ALL", "1 2 3"));
    fires(
        &sort_enveloped(third, "SORT (REVERSE CC) US-ASCII ALL", "3 2 1"),
        "R5256-3-01",
    );
}

/// Session `s` examines INBOX (3 messages) and asks `command`, answered `answer`.
fn ask(s: u32, command: &str, answer: &str) -> String {
    format!(
        "{}{s}> Q{s} {command}\n{s}< * {answer}\n{s}< Q{s} OK done\n",
        select(s, &format!("S{s}"), "INBOX", 3, 4)
    )
}

/// Sessions 1 and 2 ask the same `command` in turn, answered `first` and `second`.
fn both(caps: &str, command: &str, first: &str, second: &str) -> String {
    format!(
        "{caps}{}{}",
        ask(1, command, first),
        ask(2, command, second)
    )
}

#[test]
fn two_sessions_agree_on_the_same_sort_and_thread() {
    let caps = "caps IMAP4rev1 SORT THREAD=REFERENCES\n";
    let sort = "UID SORT (SUBJECT) US-ASCII ALL";
    quiet(&both(caps, sort, "SORT 3 1 2", "SORT 3 1 2"));
    let v = fires(&both(caps, sort, "SORT 3 1 2", "SORT 1 3 2"), "R5256-3-I01");
    assert_eq!(v.detector, "sort-agreement");
    let thread = "UID THREAD REFERENCES US-ASCII ALL";
    fires(
        &both(caps, thread, "THREAD (1 2)(3)", "THREAD (1)(2 3)"),
        "R5256-3-I01",
    );
}

#[test]
fn a_change_in_between_or_another_question_is_not_compared() {
    let caps = "caps IMAP4rev1 SORT\n";
    let sort = "UID SORT (SUBJECT) US-ASCII ALL";
    // An APPEND by a third session between the two answers.
    let append = "3> A3 APPEND INBOX {1}\n3+ x\n3< A3 OK done\n";
    quiet(&format!(
        "{caps}{}{append}{}",
        ask(1, sort, "SORT 3 1 2"),
        ask(2, sort, "SORT 1 3 2 4")
    ));
    // Other keys, other searches, or message numbers: not the same question.
    quiet(&format!(
        "{caps}{}{}",
        ask(1, sort, "SORT 3 1 2"),
        ask(2, "UID SORT (FROM) US-ASCII ALL", "SORT 1 3 2")
    ));
    quiet(&both(
        caps,
        "UID SORT (SUBJECT) US-ASCII UNSEEN",
        "SORT 3 1",
        "SORT 1",
    ));
    quiet(&both(
        caps,
        "SORT (SUBJECT) US-ASCII ALL",
        "SORT 3 1 2",
        "SORT 1 3 2",
    ));
}

#[test]
fn answers_over_different_messages_are_not_compared() {
    // Courier carried out an APPEND 39 s after its session timed out and reconnected: the
    // history shows no change between the answers, but the second one has a message more.
    let caps = "caps IMAP4rev1 SORT THREAD=REFERENCES\n";
    let sort = "UID SORT (SUBJECT) US-ASCII ALL";
    quiet(&both(caps, sort, "SORT 3 1 2", "SORT 3 4 1 2"));
    let thread = "UID THREAD REFERENCES US-ASCII ALL";
    quiet(&both(caps, thread, "THREAD (1 2)(3)", "THREAD (1)(2 3 4)"));
    // The same messages in another order still fire, nested or not.
    fires(
        &both(caps, thread, "THREAD (1 (2)(3))", "THREAD (3 (2)(1))"),
        "R5256-3-I01",
    );
}

#[test]
fn a_session_that_logs_out_between_the_answers_changes_nothing() {
    let caps = "caps IMAP4rev1 SORT\n";
    let sort = "UID SORT (SUBJECT) US-ASCII ALL";
    let logout = "1> L1 LOGOUT\n1< * BYE bye\n1< L1 OK done\n1! close\n";
    fires(
        &format!(
            "{caps}{}{logout}{}",
            ask(1, sort, "SORT 3 1 2"),
            ask(2, sort, "SORT 1 3 2")
        ),
        "R5256-3-I01",
    );
}

#[test]
fn date_is_the_sent_date_in_utc_else_the_internal_date() {
    // Sent 10:00 UTC, sent 11:00 UTC (written -0200), no Date header but arrived 09:30 UTC.
    let env = |date: &str| format!("ENVELOPE ({date} \"s\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    let history = |answer: &str| {
        format!(
            "caps IMAP4rev1 SORT\n{}\
             1> F1 FETCH 1:3 (UID INTERNALDATE ENVELOPE)\n\
             1< * 1 FETCH (UID 1 INTERNALDATE \"01-Feb-2025 00:00:00 +0000\" {})\n\
             1< * 2 FETCH (UID 2 INTERNALDATE \"01-Feb-2025 00:00:00 +0000\" {})\n\
             1< * 3 FETCH (UID 3 INTERNALDATE \"06-Jan-2025 09:30:00 +0000\" {})\n\
             1< F1 OK done\n\
             1> Q1 SORT (DATE) US-ASCII ALL\n1< * SORT {answer}\n1< Q1 OK done\n\
             1> N1 NOOP\n1< N1 OK done\n",
            select(1, "S1", "INBOX", 3, 4),
            env("\"Mon, 6 Jan 2025 10:00:00 +0000\""),
            env("\"6 Jan 2025 09:00:00 -0200\""),
            env("NIL"),
        )
    };
    quiet(&history("3 1 2"));
    let v = fires(&history("1 2 3"), "R5256-3-01");
    assert!(v.observed.contains("sent date"), "{}", v.observed);
}
