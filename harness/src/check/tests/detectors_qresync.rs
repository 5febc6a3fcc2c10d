//! QRESYNC's VANISHED, UNCHANGEDSINCE 0, ESEARCH, SORT and THREAD: known-bad histories fire
//! the cited requirement, and their conforming twins stay quiet.

use super::{fires, quiet, select_with_uids};

fn selected(caps: &str) -> String {
    format!("caps IMAP4rev1 {caps}\n{}", select_with_uids(1, "INBOX", 3))
}

const ENABLE: &str = "1> E1 ENABLE QRESYNC\n1< * ENABLED QRESYNC\n1< E1 OK done\n";

fn expunge(untagged: &str) -> String {
    format!("1> X1 EXPUNGE\n1< {untagged}\n1< X1 OK done\n")
}

#[test]
fn after_enable_qresync_expunges_are_vanished() {
    let caps = "ENABLE CONDSTORE QRESYNC";
    let base = format!(
        "caps IMAP4rev1 {caps}\n{ENABLE}{}",
        select_with_uids(1, "INBOX", 3)
    );
    let v = fires(
        &format!("{base}{}", expunge("* 2 EXPUNGE")),
        "R7162-3.2.10-02",
    );
    assert_eq!(v.detector, "qresync");
    quiet(&format!("{base}{}", expunge("* VANISHED 2")));
    // The view follows the VANISHED: message 2 is now UID 3.
    quiet(&format!(
        "{base}{}1> F1 FETCH 2 (UID)\n1< * 2 FETCH (UID 3)\n1< F1 OK done\n",
        expunge("* VANISHED 2")
    ));
    // Without ENABLE, EXPUNGE is right and VANISHED is not.
    quiet(&format!("{}{}", selected(caps), expunge("* 2 EXPUNGE")));
    fires(
        &format!("{}{}", selected(caps), expunge("* VANISHED 2")),
        "R7162-3.2.10-I01",
    );
}

#[test]
fn vanished_names_only_messages_of_the_view() {
    let base = format!(
        "caps IMAP4rev1 ENABLE QRESYNC\n{ENABLE}{}",
        select_with_uids(1, "INBOX", 3)
    );
    fires(
        &format!("{base}{}", expunge("* VANISHED 2,9")),
        "R7162-3.2.10-03",
    );
    quiet(&format!("{base}{}", expunge("* VANISHED 1:3")));
    // A UID the view was never told falls in a gap where it has a message of unknown UID.
    let gap = format!(
        "caps IMAP4rev1 ENABLE QRESYNC\n{ENABLE}{}1> F1 FETCH 1,3 (UID)\n1< * 1 FETCH (UID 1)\n\
         1< * 3 FETCH (UID 5)\n1< F1 OK done\n",
        super::select(1, "S1", "INBOX", 3, 10)
    );
    quiet(&format!("{gap}{}", expunge("* VANISHED 3")));
    fires(
        &format!("{gap}{}", expunge("* VANISHED 6")),
        "R7162-3.2.10-03",
    );
    // (EARLIER) does not renumber: message 3 keeps UID 3.
    quiet(&format!(
        "{base}1> F2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\n1< * VANISHED (EARLIER) 7\n\
         1< F2 OK done\n1> F3 FETCH 3 (UID)\n1< * 3 FETCH (UID 3)\n1< F3 OK done\n"
    ));
}

#[test]
fn unchangedsince_zero_on_a_system_flag_always_fails() {
    let base = selected("CONDSTORE");
    let store = |tail: &str| {
        format!(
            "1> C1 STORE 1:2 (UNCHANGEDSINCE 0) +FLAGS.SILENT (\\Flagged)\n1< C1 OK {tail}done\n"
        )
    };
    // Judged at the next NOOP: message 2 may have been expunged by another session.
    let noop = "1> N1 NOOP\n1< N1 OK done\n";
    let v = fires(&format!("{base}{}{noop}", store("")), "R7162-3.1.3-03");
    assert_eq!(v.detector, "unchangedsince");
    fires(
        &format!("{base}{}{noop}", store("[MODIFIED 1] ")),
        "R7162-3.1.3-03",
    );
    quiet(&format!("{base}{}", store("[MODIFIED 1] ")));
    // CLOSE drops the selection with its pending expunges: nothing to tell apart.
    quiet(&format!(
        "{base}{}1> C9 CLOSE\n1< C9 OK done\n{noop}",
        store("")
    ));
    quiet(&format!(
        "{base}{}1> N1 NOOP\n1< * 2 EXPUNGE\n1< N1 OK done\n",
        store("[MODIFIED 1] ")
    ));
    quiet(&format!("{base}{}", store("[MODIFIED 1:2] ")));
    // A keyword may not exist yet: not judged.
    quiet(&format!(
        "{base}1> C2 STORE 1 (UNCHANGEDSINCE 0) +FLAGS ($x)\n1< C2 OK done\n"
    ));
    // UID STORE: the code names UIDs.
    quiet(&format!(
        "{base}1> C3 UID STORE 2:3 (UNCHANGEDSINCE 0) -FLAGS (\\Seen)\n1< C3 OK [MODIFIED 2:3] done\n"
    ));
}

#[test]
fn esearch_answers_agree_and_carry_the_tag() {
    let base = selected("ESEARCH");
    let search = |untagged: &str| {
        format!("1> Q1 SEARCH RETURN (MIN MAX COUNT ALL) ALL\n1< {untagged}\n1< Q1 OK done\n")
    };
    quiet(&format!(
        "{base}{}",
        search("* ESEARCH (TAG \"Q1\") MIN 1 MAX 3 COUNT 3 ALL 1:3")
    ));
    let v = fires(
        &format!(
            "{base}{}",
            search("* ESEARCH (TAG \"Q1\") MIN 1 MAX 3 COUNT 2 ALL 1:3")
        ),
        "R4731-3.1-02",
    );
    assert_eq!(v.detector, "search-results");
    fires(
        &format!(
            "{base}{}",
            search("* ESEARCH (TAG \"Q1\") MIN 2 MAX 3 COUNT 3 ALL 1:3")
        ),
        "R4731-3.1-02",
    );
    fires(
        &format!(
            "{base}{}",
            search("* ESEARCH (TAG \"Q1\") MIN 1 MAX 4 COUNT 4 ALL 1:4")
        ),
        "R4731-3.1-02",
    );
    fires(
        &format!("{base}{}", search("* ESEARCH (TAG \"Q1\") COUNT 0 MIN 1")),
        "R4731-3.1-02",
    );
    fires(
        &format!(
            "{base}{}",
            search("* ESEARCH (TAG \"Q1\") UID MIN 1 MAX 3 COUNT 3 ALL 1:3")
        ),
        "R4731-3.1-I01",
    );
    fires(
        &format!("{base}{}", search("* SEARCH 1 2 3")),
        "R4731-3.1-I01",
    );
}

#[test]
fn sort_and_thread_name_messages_of_the_view_once() {
    let base = selected("SORT THREAD=REFERENCES");
    let sort = |numbers: &str| {
        format!("1> T1 SORT (ARRIVAL) US-ASCII ALL\n1< * SORT {numbers}\n1< T1 OK done\n")
    };
    quiet(&format!("{base}{}", sort("3 1 2")));
    let v = fires(&format!("{base}{}", sort("3 1 3")), "R5256-4-I01");
    assert_eq!(v.detector, "search-results");
    fires(&format!("{base}{}", sort("1 4")), "R5256-4-I01");
    let thread = |list: &str| {
        format!("1> T2 THREAD REFERENCES US-ASCII ALL\n1< * THREAD {list}\n1< T2 OK done\n")
    };
    quiet(&format!("{base}{}", thread("(1)(2 3)")));
    fires(&format!("{base}{}", thread("(1)(2 (3)(1))")), "R5256-4-I01");
}

#[test]
fn a_qresync_select_is_bad_exactly_before_enable() {
    let caps = "caps IMAP4rev1 ENABLE CONDSTORE QRESYNC\n";
    let select = |reply: &str| {
        format!("1> Q1 SELECT INBOX (QRESYNC (7 1))\n1< * 3 EXISTS\n1< Q1 {reply} done\n")
    };
    let bad = "1> Q1 SELECT INBOX (QRESYNC (7 1))\n1< Q1 BAD not enabled\n";
    quiet(&format!("{caps}{bad}"));
    let v = fires(
        &format!("{caps}{}", select("OK [READ-WRITE]")),
        "R7162-3.2.5-02",
    );
    assert_eq!(v.detector, "qresync");
    quiet(&format!("{caps}{ENABLE}{}", select("OK [READ-WRITE]")));
    fires(&format!("{caps}{ENABLE}{bad}"), "R7162-3.2.5-I01");
}
