//! THREAD=ORDEREDSUBJECT against the model (RFC 5256 §3): one base subject per thread, one
//! thread per base subject, messages by sent date within a thread, threads by their first
//! message's; ties by sequence number.

use super::{findings, fires, quiet, select};

/// Four messages, UIDs 1–4: base subjects BETA, ALPHA, ALPHA, BETA; sent dates (UTC) 10:00,
/// 09:00, 09:00 (11:00 +0200) and 10:00 (the day before, 23:00 -1100). So ORDEREDSUBJECT
/// answers `(2 3)(1 4)`. No Message-ID: nothing tells REFERENCES' grouping.
fn enveloped() -> String {
    enveloped_with(["NIL NIL"; 4])
}

/// The same messages with `ids[i]` as the In-Reply-To and Message-ID of message i + 1.
fn enveloped_with(ids: [&str; 4]) -> String {
    let mut ids = ids.into_iter();
    let mut env = |date: &str, subject: &str| {
        format!(
            "ENVELOPE (\"{date}\" \"{subject}\" ((NIL NIL \"a\" \"x.invalid\")) NIL NIL NIL NIL NIL {})",
            ids.next().unwrap_or("NIL NIL")
        )
    };
    format!(
        "caps IMAP4rev1 THREAD=ORDEREDSUBJECT THREAD=REFERENCES\n{}\
         1> F1 FETCH 1:4 (UID ENVELOPE)\n\
         1< * 1 FETCH (UID 1 {})\n\
         1< * 2 FETCH (UID 2 {})\n\
         1< * 3 FETCH (UID 3 {})\n\
         1< * 4 FETCH (UID 4 {})\n\
         1< F1 OK done\n",
        select(1, "S1", "INBOX", 4, 5),
        env("Mon, 6 Jan 2025 10:00:00 +0000", "Re: beta"),
        env("Mon, 6 Jan 2025 09:00:00 +0000", "alpha"),
        env("Mon, 6 Jan 2025 11:00:00 +0200", "[list] Fwd: Alpha (fwd)"),
        env("Sun, 5 Jan 2025 23:00:00 -1100", "beta"),
    )
}

/// The THREAD and its answer, then a NOOP (findings wait for the session's next poll).
fn thread(command: &str, answer: &str) -> String {
    thread_of(enveloped(), command, answer)
}

fn thread_of(fetched: String, command: &str, answer: &str) -> String {
    format!(
        "{fetched}1> Q1 {command}\n1< * THREAD {answer}\n1< Q1 OK done\n1> N1 NOOP\n1< N1 OK done\n"
    )
}

const ORDERED: &str = "THREAD ORDEREDSUBJECT US-ASCII ALL";

#[test]
fn the_right_threads_in_the_right_order_pass_whatever_their_nesting() {
    quiet(&thread(ORDERED, "(2 3)(1 4)"));
    // Deeper nesting than ORDEREDSUBJECT builds reads the same in order.
    quiet(&thread(ORDERED, "((2)(3))(1 4)"));
    quiet(&thread(&format!("UID {ORDERED}"), "(2 3)(1 4)"));
    // A search that matched fewer is judged as it is.
    quiet(&thread("THREAD ORDEREDSUBJECT US-ASCII UNSEEN", "(3)(1)"));
    // What was put to the test is counted.
    let m = findings(&thread(ORDERED, "(2 3)(1 4)")).measures;
    assert_eq!((m.threads_judged, m.threads_grouped), (1, 1));
    let m = findings(&thread(ORDERED, "(3)(1)")).measures;
    assert_eq!((m.threads_judged, m.threads_grouped), (1, 0));
}

#[test]
fn wrong_groups_and_wrong_orders_fire() {
    let v = fires(&thread(ORDERED, "(2 (3)(1))(4)"), "R5256-3-02");
    assert_eq!(v.detector, "thread-order");
    assert!(v.observed.contains("in one thread with"), "{}", v.observed);
    let v = fires(&thread(ORDERED, "(2)(3)(1 4)"), "R5256-3-02");
    assert!(
        v.observed.contains("in another thread than"),
        "{}",
        v.observed
    );
    // Within a thread: equal sent dates go by sequence number, zones applied.
    fires(&thread(ORDERED, "(3 2)(1 4)"), "R5256-3-02");
    fires(&thread(ORDERED, "(2 3)(4 1)"), "R5256-3-02");
    let v = fires(&thread(ORDERED, "(1 4)(2 3)"), "R5256-3-02");
    assert!(v.observed.contains("starts a thread"), "{}", v.observed);
}

#[test]
fn references_groups_imapgates_own_messages_by_base_subject() {
    let own = |n: u32| format!("NIL \"<ig.t.s1.m{n}@imapgate.invalid>\"");
    let (m1, m2, m3, m4) = (own(1), own(2), own(3), own(4));
    let ours = || enveloped_with([&m1, &m2, &m3, &m4]);
    let refs = "THREAD REFERENCES US-ASCII ALL";
    // Every message known: the whole answer must be RFC 5256's. 3 and 1 are a forward and
    // a reply by their subjects, so step 5 puts each under the top of its base subject.
    quiet(&thread_of(ours(), refs, "(2 3)(4 1)"));
    let m = findings(&thread_of(ours(), refs, "(2 3)(4 1)")).measures;
    assert_eq!(m.references_exact, 1);
    let v = fires(&thread_of(ours(), refs, "(3 2)((1)(4))"), "R5256-3-03");
    assert!(v.observed.contains("where (2 3) is due"), "{}", v.observed);
    let v = fires(&thread_of(ours(), refs, "(1 2)(3 4)"), "R5256-3-02");
    assert!(
        v.expected.contains("grouped by base subject"),
        "{}",
        v.expected
    );
    fires(&thread_of(ours(), refs, "(1)(4)(2 3)"), "R5256-3-02");
    let m = findings(&thread_of(ours(), refs, "(2 3)(1 4)")).measures;
    assert_eq!((m.references_judged, m.references_grouped), (1, 1));
    // A reply (In-Reply-To) whose parent was not matched is a top after step 3, gathered
    // by its subject like the others: 1 ("Re: beta") goes under it.
    let reply = "\"<ig.t.s1.m9@imapgate.invalid>\" \"<ig.t.s1.m4@imapgate.invalid>\"";
    let orphan = || enveloped_with([&m1, &m2, &m3, reply]);
    quiet(&thread_of(orphan(), refs, "(2 3)(4 1)"));
    fires(&thread_of(orphan(), refs, "(2 3)(1)(4)"), "R5256-3-03");
    // Messages someone else wrote may carry References the ENVELOPE does not show.
    let theirs = "NIL \"<m4@elsewhere.invalid>\"";
    quiet(&thread_of(
        enveloped_with([&m1, &m2, &m3, theirs]),
        refs,
        "(2 3)(1)(4)",
    ));
}

#[test]
fn references_keys_never_fetched_and_expunges_meanwhile_are_not_judged() {
    quiet(&thread("THREAD REFERENCES US-ASCII ALL", "(2 3)(1 4)"));
    let bare = format!(
        "caps IMAP4rev1 THREAD=ORDEREDSUBJECT\n{}1> Q1 {ORDERED}\n1< * THREAD (4 1)(3 2)\n\
         1< Q1 OK done\n1> N1 NOOP\n1< N1 OK done\n",
        select(1, "S1", "INBOX", 4, 5)
    );
    quiet(&bare);
    let expunged = format!(
        "{}1> Q1 {ORDERED}\n1< * THREAD (1 4)(2 3)\n1< Q1 OK done\n\
         1> N1 NOOP\n1< * 1 EXPUNGE\n1< N1 OK done\n",
        enveloped()
    );
    quiet(&expunged);
}

#[test]
fn references_leaves_messages_with_an_empty_base_subject_apart() {
    let env = |n: u32, subject: &str| {
        format!(
            "ENVELOPE (\"Mon, 6 Jan 2025 10:00:00 +0000\" \"{subject}\" NIL NIL NIL NIL NIL NIL NIL \"<ig.t.s1.m{n}@imapgate.invalid>\")"
        )
    };
    let fetched = format!(
        "caps IMAP4rev1 THREAD=REFERENCES\n{}1> F1 FETCH 1:2 (UID ENVELOPE)\n\
         1< * 1 FETCH (UID 1 {})\n1< * 2 FETCH (UID 2 {})\n1< F1 OK done\n",
        select(1, "S1", "INBOX", 2, 3),
        env(1, "Re:"),
        env(2, ""),
    );
    quiet(&thread_of(
        fetched,
        "THREAD REFERENCES US-ASCII ALL",
        "(1)(2)",
    ));
}

/// Messages 1–4 as imapgate writes them, 4 a reply to 1 (ALPHA under BETA: References
/// decides, not the subject).
fn with_reply() -> String {
    let own = |n: u32| format!("NIL \"<ig.t.s1.m{n}@imapgate.invalid>\"");
    let reply = "\"<ig.t.s1.m1@imapgate.invalid>\" \"<ig.t.s1.m4@imapgate.invalid>\"";
    enveloped_with([&own(1), &own(2), &own(3), reply])
}

#[test]
fn references_puts_a_reply_under_its_parent() {
    let refs = "THREAD REFERENCES US-ASCII ALL";
    quiet(&thread_of(with_reply(), refs, "(2 3)(1 4)"));
    quiet(&thread_of(
        with_reply(),
        &format!("UID {refs}"),
        "(2 3)(1 4)",
    ));
    let m = findings(&thread_of(with_reply(), refs, "(2 3)(1 4)")).measures;
    assert_eq!((m.replies_placed, m.siblings_ordered), (1, 1));
    for elsewhere in ["(2 3)(1)(4)", "(2 3 4)(1)", "(2 3)((1)(4))"] {
        let v = fires(&thread_of(with_reply(), refs, elsewhere), "R5256-3-03");
        assert!(v.observed.contains("In-Reply-To"), "{}", v.observed);
    }
    // The parent not matched: the reply may be anywhere.
    quiet(&thread_of(
        with_reply(),
        "THREAD REFERENCES US-ASCII NOT UID 1",
        "(2 3)(4)",
    ));
}

#[test]
fn references_orders_every_set_of_siblings_by_sent_date() {
    let refs = "THREAD REFERENCES US-ASCII ALL";
    // 2 and 3 share 09:00 UTC: by number. The threads: 2 (09:00) before 1 (10:00).
    let v = fires(
        &thread_of(with_reply(), refs, "((3)(2))(1 4)"),
        "R5256-3-03",
    );
    assert!(v.observed.contains("before its sibling"), "{}", v.observed);
    fires(&thread_of(with_reply(), refs, "(1 4)(2 3)"), "R5256-3-03");
    // A dummy sorts by its first child: ((2)(3)) at 09:00 before 1 (but 3 is a forward by
    // its subject, so step 5 puts it under 2, not beside it under a dummy).
    let v = fires(
        &thread_of(with_reply(), refs, "((2)(3))(1 4)"),
        "R5256-3-03",
    );
    assert!(v.observed.contains("where (2 3) is due"), "{}", v.observed);
    fires(
        &thread_of(with_reply(), refs, "(1 4)((2)(3))"),
        "R5256-3-03",
    );
}

#[test]
fn references_gathers_tops_only_under_their_own_base_subject() {
    let own = |n: u32| format!("NIL \"<ig.t.s1.m{n}@imapgate.invalid>\"");
    let ours = enveloped_with([&own(1), &own(2), &own(3), &own(4)]);
    let refs = "THREAD REFERENCES US-ASCII ALL";
    let m = findings(&thread_of(ours.clone(), refs, "(2 3)(1 4)")).measures;
    assert_eq!(m.tops_gathered, 4);
    // 1 (BETA) under 3 (ALPHA): step 5 never does that.
    let v = fires(&thread_of(ours, refs, "(2 (3 1)(4))"), "R5256-3-03");
    assert!(v.observed.contains("is under"), "{}", v.observed);
}
