//! UIDPLUS (RFC 4315) and MOVE (RFC 6851): assigned UIDs are new, codes are present and
//! well-formed, and MOVE expunges what it moved.

use super::{findings, fires, quiet, select};
use crate::check::Verdict;

fn selected(caps: &str) -> String {
    format!("caps {caps}\n{}", select(1, "A1", "INBOX", 3, 5))
}

fn append(code: &str) -> String {
    format!("1> A2 APPEND INBOX {{5}}\n1+ hello\n1< A2 OK {code}done\n")
}

#[test]
fn an_assigned_uid_below_the_known_uidnext_is_not_new() {
    let v = fires(
        &format!(
            "{}{}",
            selected("IMAP4rev1 UIDPLUS"),
            append("[APPENDUID 7 3] ")
        ),
        "R4315-3-I01",
    );
    assert_eq!(v.detector, "uidplus");
    assert_eq!(v.verdict, Verdict::Fail);
    quiet(&format!(
        "{}{}",
        selected("IMAP4rev1 UIDPLUS"),
        append("[APPENDUID 7 5] ")
    ));
}

#[test]
fn a_single_append_gets_a_number_not_a_range() {
    fires(
        &format!(
            "{}{}",
            selected("IMAP4rev1 UIDPLUS"),
            append("[APPENDUID 7 5:5] ")
        ),
        "R4315-3-02",
    );
}

#[test]
fn appenduid_is_expected_only_when_uidplus_is_advertised() {
    let v = fires(
        &format!("{}{}", selected("IMAP4rev1 UIDPLUS"), append("")),
        "R4315-3-01",
    );
    assert_eq!(v.verdict, Verdict::NonStrict);
    quiet(&format!("{}{}", selected("IMAP4rev1"), append("")));
}

#[test]
fn copyuid_sets_must_have_the_same_size() {
    let text = format!(
        "{}1> A2 COPY 1:2 Other\n1< A2 OK [COPYUID 9 1:2 4] done\n",
        selected("IMAP4rev1 UIDPLUS")
    );
    let v = fires(&text, "R4315-3-I01");
    assert!(
        v.observed.contains("2 source UID(s), 1 destination"),
        "{v:?}"
    );
}

#[test]
fn move_must_expunge_what_its_copyuid_says_it_moved() {
    let caps = "IMAP4rev1 UIDPLUS MOVE";
    let bad = format!(
        "{}1> A2 MOVE 1 Other\n1< * OK [COPYUID 9 1 4] moved\n1< A2 OK done\n",
        selected(caps)
    );
    fires(&bad, "R6851-3.3-01");
    let good = format!(
        "{}1> A2 MOVE 1 Other\n1< * OK [COPYUID 9 1 4] moved\n1< * 1 EXPUNGE\n1< A2 OK done\n",
        selected(caps)
    );
    quiet(&good);
    // No COPYUID: it may have moved nothing, and the EXPUNGE may be another session's.
    let silent = format!(
        "{}1> A2 MOVE 1 Other\n1< * 1 EXPUNGE\n1< A2 OK done\n",
        selected(caps)
    );
    quiet(&silent);
}

#[test]
fn assigned_uids_raise_the_uidnext_floor_for_later_answers() {
    // Session 1 was told UID 9 was assigned; a STATUS sent afterwards must not say 9.
    let text = format!(
        "{}{}2> B1 STATUS INBOX (UIDNEXT UIDVALIDITY)\n2< * STATUS INBOX (UIDNEXT 9 UIDVALIDITY 7)\n2< B1 OK done\n",
        selected("IMAP4rev1 UIDPLUS"),
        append("[APPENDUID 7 9] ")
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.3.1.1-05").next().is_some(), "{f:#?}");
}

/// CONDSTORE (RFC 7162 §3.1): the MODSEQ one session is shown for a message never goes back;
/// another session's view may lag (Dovecot answers from the session's snapshot).
#[test]
fn a_modseq_going_back_in_one_session_fires_and_a_lagging_session_does_not() {
    let both = format!(
        "caps IMAP4rev1 CONDSTORE\n{}{}",
        super::select_with_uids(1, "INBOX", 2),
        super::select_with_uids(2, "INBOX", 2)
    );
    let first = "1> A9 FETCH 1 (UID MODSEQ)\n1< * 1 FETCH (UID 1 MODSEQ (10))\n1< A9 OK done\n";
    let v = fires(
        &format!(
            "{both}{first}1> A10 FETCH 1 (MODSEQ)\n1< * 1 FETCH (MODSEQ (9))\n1< A10 OK done\n"
        ),
        "R7162-3.1-I01",
    );
    assert_eq!(v.detector, "modseq");
    quiet(&format!(
        "{both}{first}1> A10 FETCH 1 (MODSEQ)\n1< * 1 FETCH (MODSEQ (12))\n1< A10 OK done\n"
    ));
    // Session 2 lags behind session 1, then catches up.
    quiet(&format!(
        "{both}{first}2> B9 FETCH 1 (MODSEQ)\n2< * 1 FETCH (MODSEQ (9))\n2< * 1 FETCH (MODSEQ (10))\n2< B9 OK done\n"
    ));
}

/// CONDSTORE-aware clients (RFC 7162 §3.1): after a FETCH of MODSEQ completed, every untagged
/// FETCH on that connection carries MODSEQ, a STORE's echo and another session's change
/// included; before it, or after a reconnection, or in a NOMODSEQ mailbox, none need to.
#[test]
fn a_fetch_without_modseq_after_an_enabling_command_fires() {
    let sel = format!(
        "caps IMAP4rev1 CONDSTORE\n{}",
        super::select_with_uids(1, "INBOX", 2)
    );
    let enable = "1> A9 FETCH 1 (UID MODSEQ)\n1< * 1 FETCH (UID 1 MODSEQ (10))\n1< A9 OK done\n";
    let store = "1> A10 STORE 2 +FLAGS (\\Seen)\n1< * 2 FETCH (FLAGS (\\Seen))\n1< A10 OK done\n";
    let v = fires(&format!("{sel}{enable}{store}"), "R7162-3.1-01");
    assert_eq!(v.detector, "condstore-aware");
    quiet(&format!("{sel}{store}"));
    let with = "1> A10 STORE 2 +FLAGS (\\Seen)\n1< * 2 FETCH (FLAGS (\\Seen) MODSEQ (11))\n1< A10 OK done\n";
    quiet(&format!("{sel}{enable}{with}"));
    let no_modseq = "1> A11 SELECT INBOX\n1< * 2 EXISTS\n1< * OK [NOMODSEQ] none\n1< A11 OK done\n";
    quiet(&format!("{sel}{enable}{no_modseq}{store}"));
    // A new connection under the same session id (after the server dropped the last one)
    // starts unaware.
    let again = format!(
        "1! disconnect\n1! connect\n1< * PREAUTH again\n{}",
        super::select_with_uids(1, "INBOX", 2)
    );
    let f = findings(&format!("{sel}{enable}{again}{store}"));
    assert!(f.citing("R7162-3.1-01").next().is_none(), "{f:#?}");
}

#[test]
fn a_message_one_move_took_is_not_moved_again() {
    let caps = "IMAP4rev1 UIDPLUS MOVE";
    let both = |second: &str| {
        format!(
            "caps {caps}\n{}{}1> A2 UID MOVE 5 Other\n1< * OK [COPYUID 9 5 4] moved\n\
             1< * 3 EXPUNGE\n1< A2 OK done\n2> B2 UID MOVE 5 Third\n\
             2< * OK [COPYUID 11 {second} 7] moved\n2< * 3 EXPUNGE\n2< B2 OK done\n",
            select(1, "A1", "INBOX", 3, 6),
            select(2, "B1", "INBOX", 3, 6),
        )
    };
    let v = fires(&both("5"), "R6851-3.3-02");
    assert_eq!(
        v.verdict,
        Verdict::NonStrict,
        "RFC 2180 4.4.2 allows the copy"
    );
    assert!(v.observed.contains("UID 5 again"), "{v:?}");
    quiet(&both("4"));
}
