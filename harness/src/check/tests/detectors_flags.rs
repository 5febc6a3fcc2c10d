//! \Recent, keywords and FLAGS/PERMANENTFLAGS, flags after STORE; late notifications.

use super::{fires, quiet, select, select_with_uids};
use crate::check::Verdict;

#[test]
fn recent_fires_when_a_later_read_write_session_sees_it() {
    let a = select_with_uids(1, "INBOX", 1);
    let b = select_with_uids(2, "INBOX", 1);
    let text = format!(
        "{a}1> A2 FETCH 1 FLAGS\n1< * 1 FETCH (FLAGS (\\Recent))\n1< A2 OK done\n\
         {b}2> B2 FETCH 1 FLAGS\n2< * 1 FETCH (FLAGS (\\Recent))\n2< B2 OK done\n"
    );
    let v = fires(&text, "R3501-2.3.2-I02");
    assert_eq!(v.verdict, Verdict::NonStrict);
}

#[test]
fn recent_quiet_when_both_sessions_had_it_selected_as_it_arrived() {
    // §2.3.2: with the mailbox selected in several sessions, which of them sees \Recent
    // for a new message is undefined (Cyrus, pymap); and the first one is never to blame.
    let a = select_with_uids(1, "INBOX", 1);
    let b = select_with_uids(2, "INBOX", 1);
    let text = format!(
        "{a}{b}1> A2 FETCH 1 FLAGS\n1< * 1 FETCH (FLAGS (\\Recent))\n1< A2 OK done\n\
         2> B2 FETCH 1 FLAGS\n2< * 1 FETCH (FLAGS (\\Recent))\n2< B2 OK done\n\
         1> A3 FETCH 1 FLAGS\n1< * 1 FETCH (FLAGS (\\Recent))\n1< A3 OK done\n"
    );
    quiet(&text);
}

#[test]
fn recent_quiet_for_an_examining_session() {
    let a = select_with_uids(1, "INBOX", 1);
    let text = format!(
        "{a}1> A2 FETCH 1 FLAGS\n1< * 1 FETCH (FLAGS (\\Recent))\n1< A2 OK done\n\
         2> B1 EXAMINE INBOX\n2< * 1 EXISTS\n2< * OK [UIDVALIDITY 7] v\n2< B1 OK [READ-ONLY] ok\n\
         2> B2 FETCH 1 (UID FLAGS)\n2< * 1 FETCH (UID 1 FLAGS (\\Recent))\n2< B2 OK done\n"
    );
    quiet(&text);
}

#[test]
fn keywords_fire_when_not_announced_or_dropped() {
    let sel = select_with_uids(1, "INBOX", 2);
    let v = fires(
        &format!("{sel}1> A2 NOOP\n1< * 1 FETCH (FLAGS ($Junk))\n1< A2 OK done\n"),
        "R3501-7.2.6-I01",
    );
    assert_eq!(v.verdict, Verdict::Informational, "shown, never counted");
    let announced = format!(
        "{sel}1> A2 NOOP\n1< * FLAGS (\\Seen $Junk)\n1< * 1 FETCH (FLAGS ($Junk))\n1< A2 OK done\n"
    );
    fires(
        &format!("{announced}1> A3 NOOP\n1< * FLAGS (\\Seen)\n1< A3 OK done\n"),
        "R3501-7.2.6-I01",
    );
}

#[test]
fn keywords_fire_when_permanentflags_exceed_flags() {
    let text = "1> A1 SELECT INBOX\n1< * FLAGS (\\Seen)\n1< * OK [PERMANENTFLAGS (\\Seen \\Deleted)] p\n1< * 0 EXISTS\n1< A1 OK done\n";
    fires(text, "R3501-6.3.1-I02");
}

#[test]
fn keywords_quiet_for_dovecot_updates_and_other_permanentflags() {
    // Dovecot announces a new keyword with FLAGS and PERMANENTFLAGS before the FETCH;
    // Courier lists no \* and no keywords: both legal.
    let sel = select_with_uids(1, "INBOX", 2);
    quiet(&format!(
        "{sel}1> A2 NOOP\n1< * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Conn2)\n\
         1< * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Conn2 \\*)] ok\n\
         1< * 1 FETCH (FLAGS (\\Flagged \\Seen $conn2))\n1< A2 OK done\n"
    ));
    quiet(
        "1> A1 SELECT INBOX.Work\n1< * FLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen)\n\
         1< * OK [PERMANENTFLAGS (\\Draft \\Answered \\Flagged \\Deleted \\Seen)] ok\n1< * 0 EXISTS\n1< A1 OK [READ-WRITE] ok\n",
    );
}

#[test]
fn store_fires_when_the_echo_does_not_show_the_change() {
    let sel = select_with_uids(1, "INBOX", 2);
    let v = fires(
        &format!("{sel}1> A2 STORE 1 +FLAGS (\\Seen)\n1< * 1 FETCH (FLAGS ())\n1< A2 OK done\n"),
        "R3501-6.4.6-I01",
    );
    assert_eq!(v.detector, "store-flags");
    fires(
        &format!(
            "{sel}1> A2 STORE 1:2 FLAGS (\\Draft)\n1< * 1 FETCH (FLAGS (\\Draft))\n1< * 2 FETCH (FLAGS (\\Draft \\Seen))\n1< A2 OK done\n"
        ),
        "R3501-6.4.6-I01",
    );
}

#[test]
fn store_fires_at_the_next_fetch_flags_when_not_echoed() {
    let sel = select_with_uids(1, "INBOX", 2);
    let text = format!(
        "{sel}1> A2 STORE 2 +FLAGS.SILENT (\\Flagged)\n1< A2 OK done\n\
         1> A3 FETCH 2 FLAGS\n1< * 2 FETCH (FLAGS ())\n1< A3 OK done\n"
    );
    fires(&text, "R3501-6.4.6-I01");
}

#[test]
fn store_quiet_without_echo_and_with_concurrent_changes() {
    let a = select_with_uids(1, "INBOX", 2);
    let b = select_with_uids(2, "INBOX", 2);
    // No echo at all (a SHOULD; imaptest's false positive), and a FETCH long after.
    quiet(&format!(
        "{a}1> A2 STORE 1 +FLAGS (\\Seen)\n1< A2 OK done\n1> A3 NOOP\n1< A3 OK done\n"
    ));
    // Session 2 removes \Seen while session 1 adds it: either order is legal.
    quiet(&format!(
        "{a}{b}1> A2 STORE 1 +FLAGS (\\Seen)\n2> B2 STORE 1 -FLAGS (\\Seen)\n\
         2< * 1 FETCH (FLAGS ())\n2< B2 OK done\n1< * 1 FETCH (FLAGS ())\n1< A2 OK done\n"
    ));
    // A keyword the server may not store (no \* in PERMANENTFLAGS) may be ignored.
    quiet(
        "1> A1 SELECT INBOX\n1< * FLAGS (\\Seen)\n1< * OK [PERMANENTFLAGS (\\Seen)] p\n1< * 1 EXISTS\n1< A1 OK [READ-WRITE] ok\n\
         1> A2 STORE 1 +FLAGS ($Mine)\n1< * 1 FETCH (FLAGS ())\n1< A2 OK done\n",
    );
}

#[test]
fn late_notifications_from_other_sessions_are_legal() {
    // Session 2 expunges and stores; session 1 hears of it only at a later NOOP (or in
    // IDLE), with a Cyrus-style INBOX. prefix.
    let a = select_with_uids(1, "INBOX.Shared", 3);
    let b = select_with_uids(2, "INBOX.Shared", 3);
    quiet(&format!(
        "{a}{b}2> B2 STORE 2 +FLAGS.SILENT (\\Deleted)\n2< B2 OK done\n2> B3 EXPUNGE\n2< * 2 EXPUNGE\n2< B3 OK done\n\
         2> B4 STORE 1 +FLAGS (\\Flagged)\n2< * 1 FETCH (FLAGS (\\Flagged))\n2< B4 OK done\n\
         1> A2 FETCH 1:3 (FLAGS)\n1< * 1 FETCH (FLAGS ())\n1< * 2 FETCH (FLAGS ())\n1< * 3 FETCH (FLAGS ())\n1< A2 OK done\n\
         1> A3 IDLE\n1< + idling\n1< * 2 EXPUNGE\n1< * 1 FETCH (FLAGS (\\Flagged))\n1+ DONE\n1< A3 OK done\n"
    ));
}

/// Found against Dovecot (stress seed 1): `UID STORE *` names only the message with the
/// largest UID, and the session had not been told the UID of its last message (an EXISTS
/// grew the mailbox), so which message `*` named was unknown. Not a finding.
#[test]
fn store_quiet_when_a_uid_star_names_a_message_the_session_cannot_place() {
    let sel = select_with_uids(1, "INBOX", 3);
    quiet(&format!(
        "{sel}1> A2 NOOP\n1< * 4 EXISTS\n1< A2 OK done\n\
         1> A3 UID STORE * +FLAGS ($Mine)\n1< A3 OK done\n\
         1> A4 FETCH 1:3 FLAGS\n1< * 1 FETCH (FLAGS ())\n1< * 2 FETCH (FLAGS ())\n\
         1< * 3 FETCH (FLAGS ())\n1< A4 OK done\n"
    ));
    // The same while the STORE is in flight: another session's change to message 2 is no echo.
    quiet(&format!(
        "{sel}1> A2 NOOP\n1< * 4 EXISTS\n1< A2 OK done\n\
         1> A3 UID STORE * +FLAGS ($Mine)\n1< * 2 FETCH (FLAGS (\\Seen))\n1< A3 OK done\n"
    ));
    // And a sequence-number `*` while an EXISTS arrives: message 4 may or may not be named.
    quiet(&format!(
        "{sel}1> A2 STORE 2:* +FLAGS.SILENT ($Mine)\n1< * 4 EXISTS\n1< A2 OK done\n\
         1> A3 FETCH 4 FLAGS\n1< * 4 FETCH (FLAGS ())\n1< A3 OK done\n"
    ));
}

/// `*` whose value the session knows still binds: UID 3 is the last message.
#[test]
fn store_fires_when_a_known_uid_star_is_not_applied() {
    let sel = select_with_uids(1, "INBOX", 3);
    fires(
        &format!(
            "{sel}1> A2 UID STORE * +FLAGS.SILENT ($Mine)\n1< A2 OK done\n\
             1> A3 FETCH 3 FLAGS\n1< * 3 FETCH (FLAGS ())\n1< A3 OK done\n"
        ),
        "R3501-6.4.6-I01",
    );
    fires(
        &format!(
            "{sel}1> A2 STORE 2:* +FLAGS.SILENT ($Mine)\n1< A2 OK done\n\
             1> A3 FETCH 3 FLAGS\n1< * 3 FETCH (FLAGS ())\n1< A3 OK done\n"
        ),
        "R3501-6.4.6-I01",
    );
}

/// Found against Cyrus 3.6.1 (stress seed 1): session 2 expunged messages 1 and 2; session
/// 1, not yet told, STOREs on them and Cyrus echoes their last flags with a tagged OK, then
/// sends the EXPUNGEs at session 1's next command (RFC 2180 §4.2). Not a finding; the same
/// echo for a message that is not expunged is one.
#[test]
fn store_quiet_for_messages_expunged_by_another_session() {
    let a = select_with_uids(1, "INBOX", 3);
    let b = select_with_uids(2, "INBOX", 3);
    let expunged = format!(
        "{a}{b}2> B2 STORE 1:2 +FLAGS.SILENT (\\Deleted)\n2< B2 OK done\n\
         2> B3 EXPUNGE\n2< * 1 EXPUNGE\n2< * 1 EXPUNGE\n2< B3 OK done\n\
         1> A2 STORE 1:2 +FLAGS ($Mine)\n1< * 1 FETCH (FLAGS (\\Deleted))\n\
         1< * 2 FETCH (FLAGS (\\Deleted))\n1< A2 OK Completed\n"
    );
    quiet(&format!(
        "{expunged}1> A3 NOOP\n1< * 1 EXPUNGE\n1< * 1 EXPUNGE\n1< A3 OK done\n"
    ));
    fires(
        &format!("{expunged}1> A3 NOOP\n1< * 1 EXPUNGE\n1< A3 OK done\n"),
        "R3501-6.4.6-I01",
    );
    // Cyrus with QRESYNC enabled says it with VANISHED (found in the fifth session's stress).
    // (QRESYNC implies CONDSTORE: the echoes carry MODSEQ.)
    let echoes = expunged.replace("(\\Deleted))", "(\\Deleted) MODSEQ (9))");
    let qresync = format!("1> E1 ENABLE QRESYNC\n1< * ENABLED QRESYNC\n1< E1 OK done\n{echoes}");
    quiet(&format!(
        "{qresync}1> A3 NOOP\n1< * VANISHED 1:2\n1< A3 OK done\n"
    ));
    fires(
        &format!("{qresync}1> A3 NOOP\n1< * VANISHED 1\n1< A3 OK done\n"),
        "R3501-6.4.6-I01",
    );
}

#[test]
fn store_echo_findings_wait_for_a_noop_and_yield_to_a_late_expunge() {
    let sel = select_with_uids(1, "INBOX", 2);
    let bad_echo =
        format!("{sel}1> A2 STORE 1 +FLAGS (\\Seen)\n1< * 1 FETCH (FLAGS ())\n1< A2 OK done\n");
    // Confirmed by the next NOOP: a Fail.
    let f = super::findings(&format!("{bad_echo}1> A3 NOOP\n1< A3 OK done\n"));
    assert_eq!(f.verdict, Verdict::Fail, "{f:#?}");
    // The session ends first: nobody can tell whether an EXPUNGE was pending.
    let f = super::findings(&format!(
        "{bad_echo}1> A3 FETCH 2 UID\n1< * 2 FETCH (UID 2)\n1< A3 OK done\n1! close\n"
    ));
    assert_eq!(f.verdict, Verdict::Unknown, "{f:#?}");
    // Courier: the EXPUNGE of the message (another session's) comes only at the NOOP, and
    // the echo was for a message whose UID the session never learnt.
    let plain = "1> A1 SELECT INBOX\n1< * FLAGS (\\Seen)\n1< * OK [PERMANENTFLAGS (\\Seen \\*)] p\n\
                 1< * 2 EXISTS\n1< * OK [UIDVALIDITY 7] v\n1< A1 OK [READ-WRITE] ok\n";
    quiet(&format!(
        "{plain}1> A2 STORE 1 +FLAGS (\\Seen)\n1< * 1 FETCH (FLAGS ())\n1< A2 OK done\n\
         1> A3 UID FETCH 1:* UID\n1< A3 OK done\n1> A4 NOOP\n1< * 1 EXPUNGE\n1< A4 OK done\n"
    ));
}

#[test]
fn store_quiet_for_messages_announced_while_it_ran() {
    // pymap: `STORE 1:4` with two messages in view; message 3 arrives during the STORE,
    // and whether the server's set covered it is its choice.
    let sel = select_with_uids(1, "INBOX", 2);
    quiet(&format!(
        "{sel}1> A2 STORE 1:4 +FLAGS (\\Seen)\n1< * 1 FETCH (FLAGS (\\Seen))\n1< * 2 FETCH (FLAGS (\\Seen))\n\
         1< * 3 EXISTS\n1< * 3 FETCH (FLAGS ())\n1< A2 OK done\n1> A3 NOOP\n1< A3 OK done\n"
    ));
}

#[test]
fn store_quiet_for_a_message_arriving_into_an_empty_view() {
    // pymap: `STORE 1:2` sent with nothing in view; message 1 arrives during it.
    let sel = select(1, "A1", "INBOX", 0, 1);
    quiet(&format!(
        "{sel}1> A2 STORE 1:2 +FLAGS (\\Deleted)\n1< * 1 EXISTS\n1< * 1 FETCH (FLAGS ())\n\
         1< A2 OK done\n1> A3 NOOP\n1< A3 OK done\n"
    ));
}

/// Found against Dovecot (fuzz seed 1): a malformed `UID STORE * FLAGS (\Flagged)
/// (\Flagged) …` was executed and replaced the flags an earlier STORE had added.
#[test]
fn store_flags_give_up_after_a_malformed_command_that_may_have_run() {
    let sel = super::select_with_uids(1, "INBOX", 2);
    let text = format!(
        "{sel}1> A2 STORE 2 +FLAGS.SILENT (\\Seen)\n1< A2 OK done\n\
         1>!repeated-arguments A3 UID STORE * FLAGS (\\Flagged) (\\Flagged)\n\
         1< * 2 FETCH (UID 2 FLAGS (\\Flagged))\n1< A3 OK done\n1> A4 NOOP\n1< A4 OK done\n"
    );
    let f = super::findings(&text);
    assert!(
        f.citing("R3501-6.4.6-I01")
            .all(|v| v.verdict != crate::check::Verdict::Fail),
        "{f:#?}"
    );
}

/// Found against Dovecot (fuzz seed 12): another session's `literal-shorter-than-data`
/// STORE, which the model cannot read, was run as the STORE it was made from and set
/// `\Answered` again while this session's STORE removing it was in flight.
#[test]
fn store_quiet_when_another_sessions_unreadable_store_ran_meanwhile() {
    let a = select_with_uids(1, "INBOX", 2);
    let b = select_with_uids(2, "INBOX", 2);
    let remove = "1> A2 STORE 1 -FLAGS.SILENT (\\Answered)\n";
    let echo = "1< * 1 FETCH (FLAGS (\\Answered))\n1< A2 OK done\n";
    fires(&format!("{a}{b}{remove}{echo}"), "R3501-6.4.6-I01");
    let unreadable = "2>!unbalanced-close-paren B2 STORE 1 +FLAGS (\\Answered) )\n\
                      2< * 1 FETCH (FLAGS (\\Answered))\n2< B2 OK done\n";
    quiet(&format!("{a}{b}{remove}{unreadable}{echo}"));
}
