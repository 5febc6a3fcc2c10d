//! Push to idling sessions (RFC 2177): a change another session makes must reach a session
//! idling on the mailbox within the target's bound; its latency is measured.

use super::{findings, fires, quiet, select, select_with_uids};
use crate::check::Verdict;

/// Session 1 idles on INBOX (3 messages, UIDs 1–3 known), session 2 has it selected too.
fn idling() -> String {
    format!(
        "push-bound 2000\n{}{}1> A2 IDLE\n1< + idling\n",
        select_with_uids(1, "INBOX", 3),
        select_with_uids(2, "INBOX", 3),
    )
}

const APPEND: &str = "2> B2 APPEND INBOX {5}\n2+ hello\n2< B2 OK [APPENDUID 7 5] done\n";
const EXPUNGE: &str = "2> B3 EXPUNGE\n2< * 1 EXPUNGE\n2< B3 OK done\n";
const DONE: &str = "1+ DONE\n1< A2 OK idle done\n";

#[test]
fn a_change_not_pushed_within_the_bound_is_nonstrict() {
    let v = fires(
        &format!("{}{APPEND}wait 2500\n{DONE}", idling()),
        "R2177-3-I01",
    );
    assert_eq!(v.detector, "push");
    assert_eq!(v.verdict, Verdict::NonStrict);
    let v = fires(
        &format!("{}{EXPUNGE}wait 2500\n{DONE}", idling()),
        "R2177-3-I01",
    );
    assert!(v.expected.contains("EXPUNGE"), "{v:?}");
}

#[test]
fn pushed_changes_are_measured_and_late_pushes_before_the_bound_are_fine() {
    let f = findings(&format!(
        "{}{APPEND}wait 300\n1< * 4 EXISTS\nwait 2500\n{EXPUNGE}wait 100\n1< * 1 EXPUNGE\n{DONE}",
        idling()
    ));
    assert_eq!(f.verdict, Verdict::Pass, "{f:#?}");
    assert_eq!(f.measures.push_latency_us.len(), 2, "{:?}", f.measures);
    let first = f.measures.push_latency_us[0];
    assert!((300_000..301_000).contains(&first), "{first}");
    // DONE sent before the bound ran out: not judged.
    quiet(&format!("{}{APPEND}wait 1500\n{DONE}", idling()));
}

#[test]
fn an_expunge_the_idler_already_knew_of_is_not_blamed() {
    // Session 3 expunged UID 1; the idler was told; session 2's EXPUNGE then delivers the
    // same news to session 2 only.
    let text = format!(
        "{}{}3> C1 EXPUNGE\n3< * 1 EXPUNGE\n3< C1 OK done\n1< * 1 EXPUNGE\n{EXPUNGE}wait 2500\n{DONE}",
        idling(),
        select_with_uids(3, "INBOX", 3),
    );
    let f = findings(&text);
    assert!(f.citing("R2177-3-I01").next().is_none(), "{f:#?}");
}

#[test]
fn no_finding_when_the_change_came_before_idle_or_was_undone() {
    // The APPEND completed before the idling session got its `+`.
    let early = format!(
        "push-bound 2000\n{}{}{APPEND}1> A2 IDLE\n1< + idling\nwait 2500\n{DONE}",
        select(1, "A1", "INBOX", 3, 5),
        select(2, "B1", "INBOX", 3, 5),
    );
    let f = findings(&early);
    assert!(f.citing("R2177-3-I01").next().is_none(), "{f:#?}");
    // The new message may have been expunged again before anyone was told.
    let undone = format!(
        "{}{APPEND}2> B4 EXPUNGE\n2< * 4 EXPUNGE\n2< B4 OK done\n1< * 3 EXPUNGE\nwait 2500\n{DONE}",
        idling()
    );
    let f = findings(&undone);
    assert!(f.citing("R2177-3-I01").next().is_none(), "{f:#?}");
}

// Flag changes (RFC 3501 §5.2, R3501-5.2-04): another session's STORE reaches the idler.

const STORE: &str = "2> B5 STORE 2 +FLAGS (\\Seen)\n2< * 2 FETCH (FLAGS (\\Seen))\n2< B5 OK done\n";

#[test]
fn a_flag_change_not_pushed_within_the_bound_is_nonstrict() {
    let v = fires(
        &format!("{}{STORE}wait 2500\n{DONE}", idling()),
        "R3501-5.2-04",
    );
    assert_eq!(v.detector, "push-flags");
    assert_eq!(v.verdict, Verdict::NonStrict);
    assert!(v.expected.contains("UID 2"), "{v:?}");
}

#[test]
fn pushed_flag_changes_are_measured() {
    let f = findings(&format!(
        "{}{STORE}wait 200\n1< * 2 FETCH (FLAGS (\\Seen \\Recent))\nwait 2500\n{DONE}",
        idling()
    ));
    assert_eq!(f.verdict, Verdict::Pass, "{f:#?}");
    assert_eq!(f.measures.flag_push_latency_us.len(), 1, "{:?}", f.measures);
    assert!((200_000..201_000).contains(&f.measures.flag_push_latency_us[0]));
}

#[test]
fn no_flag_finding_where_nothing_needed_telling_or_the_order_is_open() {
    // The STORE left the flags the idler already knew (\Recent is per session).
    let same = "2> B5 STORE 2 FLAGS ()\n2< * 2 FETCH (FLAGS (\\Recent))\n2< B5 OK done\n";
    quiet(&format!("{}{same}wait 2500\n{DONE}", idling()));
    // A silent STORE tells nothing; a second session's STORE on the same message raced it.
    let silent = "2> B5 STORE 2 +FLAGS.SILENT (\\Seen)\n2< B5 OK done\n";
    quiet(&format!("{}{silent}wait 2500\n{DONE}", idling()));
    let third = format!(
        "{}{}2> B5 STORE 2 +FLAGS (\\Seen)\n3> C5 STORE 2 -FLAGS (\\Seen)\n\
         2< * 2 FETCH (FLAGS (\\Seen))\n2< B5 OK done\n3< * 2 FETCH (FLAGS ())\n3< C5 OK done\n\
         wait 2500\n{DONE}",
        idling(),
        select_with_uids(3, "INBOX", 3),
    );
    let f = findings(&third);
    assert!(f.citing("R3501-5.2-04").next().is_none(), "{f:#?}");
    // The message was expunged: its flags are moot.
    let gone = format!(
        "{}{STORE}2> B6 EXPUNGE\n2< * 2 EXPUNGE\n2< B6 OK done\n1< * 2 EXPUNGE\nwait 2500\n{DONE}",
        idling()
    );
    let f = findings(&gone);
    assert!(f.citing("R3501-5.2-04").next().is_none(), "{f:#?}");
}

#[test]
fn only_stores_that_may_have_named_the_message_contest_its_flags() {
    // A later silent STORE on message 3 leaves message 2's flags settled: still a miss.
    let silent_elsewhere = format!(
        "{}{STORE}2> B6 STORE 3 +FLAGS.SILENT (\\Flagged)\n2< B6 OK done\nwait 2500\n{DONE}",
        idling()
    );
    fires(&silent_elsewhere, "R3501-5.2-04");
    let uid_elsewhere = format!(
        "{}{STORE}2> B6 UID STORE 3 +FLAGS.SILENT (\\Flagged)\n2< B6 OK done\nwait 2500\n{DONE}",
        idling()
    );
    fires(&uid_elsewhere, "R3501-5.2-04");
    // The same on message 2, or by a number whose UID that session never learnt: open.
    let silent_same = format!(
        "{}{STORE}2> B6 STORE 2 -FLAGS.SILENT (\\Seen)\n2< B6 OK done\nwait 2500\n{DONE}",
        idling()
    );
    quiet(&silent_same);
    let blind = format!(
        "{}{}{STORE}3> C6 STORE 3 -FLAGS.SILENT (\\Seen)\n3< C6 OK done\nwait 2500\n{DONE}",
        idling(),
        select(3, "S3", "INBOX", 3, 4),
    );
    let f = findings(&blind);
    assert!(f.citing("R3501-5.2-04").next().is_none(), "{f:#?}");
    // `9:*` reaches down to the largest UID when it ran, which expunges may have made 2.
    let star = format!(
        "{}{STORE}2> B6 UID STORE 9:* +FLAGS.SILENT (\\Flagged)\n2< B6 OK done\nwait 2500\n{DONE}",
        idling()
    );
    quiet(&star);
}

#[test]
fn a_push_answering_contested_stores_is_measured_once() {
    let f = findings(&format!(
        "{}{STORE}2> B6 STORE 2 +FLAGS (\\Flagged)\n2< * 2 FETCH (FLAGS (\\Seen \\Flagged))\n\
         2< B6 OK done\nwait 100\n1< * 2 FETCH (FLAGS (\\Seen \\Flagged))\nwait 2500\n{DONE}",
        idling()
    ));
    assert_eq!(f.measures.flag_push_latency_us.len(), 1, "{:?}", f.measures);
}

#[test]
fn no_push_is_late_while_the_server_answered_nobody() {
    // Session 3's NOOP went unanswered for the whole timeout (5 s in the text format) while
    // the idler waited: the push is as late as that answer, for the same reason.
    let stalled = |command: &str| {
        format!(
            "{}3> C1 {command}\n{APPEND}{STORE}wait 2500\n3! timeout C1\n{DONE}",
            idling()
        )
    };
    let f = findings(&stalled("NOOP"));
    assert!(f.citing("R2177-3-I01").next().is_none(), "{f:#?}");
    assert!(f.citing("R3501-5.2-04").next().is_none(), "{f:#?}");
    // A command the harness mangled may rightly wait forever: it says nothing of the server.
    fires(&stalled("NOOP ((("), "R2177-3-I01");
    fires(&stalled("NOOP((("), "R3501-5.2-04");
    // A stall that ended before the change completed excuses nothing.
    let before = format!(
        "{}3> C1 NOOP\n3! timeout C1\nwait 100\n{APPEND}wait 2500\n{DONE}",
        idling()
    );
    fires(&before, "R2177-3-I01");
}
