//! Missing notifications: an APPEND by another session must be announced by the time a
//! NOOP sent after it completes (goimap's memory backend never tells other sessions).

use super::{findings, fires, quiet, select};
use crate::check::Verdict;

const APPEND: &str = "2> B2 APPEND INBOX {5}\n2+ hello\n2< B2 OK [APPENDUID 7 5] done\n";

#[test]
fn notifications_fire_when_a_noop_after_another_sessions_append_brings_no_exists() {
    let text = format!(
        "{}{}{APPEND}wait 1000\n1> A2 NOOP\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 5),
        select(2, "B1", "INBOX", 3, 5),
    );
    let v = fires(&text, "R3501-5.2-03");
    assert_eq!(v.detector, "notifications");
    assert_eq!(v.verdict, Verdict::NonStrict);
}

#[test]
fn notifications_quiet_when_announced_or_when_the_order_is_open() {
    let a = select(1, "A1", "INBOX", 3, 5);
    let b = select(2, "B1", "INBOX", 3, 5);
    // Too soon after the APPEND: the server may not have seen it yet.
    quiet(&format!(
        "{a}{b}{APPEND}wait 900\n1> A2 NOOP\n1< A2 OK done\n"
    ));
    // Announced at the NOOP.
    quiet(&format!(
        "{a}{b}{APPEND}1> A2 NOOP\n1< * 4 EXISTS\n1< A2 OK done\n"
    ));
    // The NOOP was sent before the APPEND completed: the server may not have it yet.
    let f = findings(&format!(
        "{a}{b}2> B2 APPEND INBOX {{5}}\n2+ hello\n1> A2 NOOP\n2< B2 OK done\n1< A2 OK done\n"
    ));
    assert!(f.citing("R3501-5.2-03").next().is_none(), "{f:#?}");
    // Another mailbox's append is not this session's business.
    let f = findings(&format!(
        "{a}{b}2> B2 APPEND Other {{5}}\n2+ hello\n2< B2 OK done\n1> A2 NOOP\n1< A2 OK done\n"
    ));
    assert!(f.citing("R3501-5.2-03").next().is_none(), "{f:#?}");
}

/// `[CLOSED]` during a SELECT (RFC 7162 §3.2.11, RFC 9051 §7.1): Cyrus first reports the
/// mailbox being closed (`* 1 EXISTS` for another session's APPEND there), then `[CLOSED]`,
/// then the new mailbox's `* 0 EXISTS`. Without `[CLOSED]` the same count going down within
/// one SELECT is a shrinking EXISTS.
#[test]
fn a_count_before_closed_belongs_to_the_mailbox_being_closed() {
    let first =
        "caps IMAP4rev1 QRESYNC\n1> A1 SELECT a\n1< * 0 EXISTS\n1< A1 OK [READ-WRITE] done\n";
    let closed = "1> A2 SELECT b\n1< * 1 EXISTS\n1< * OK [CLOSED] done\n1< * 0 EXISTS\n1< A2 OK [READ-WRITE] done\n";
    quiet(&format!("{first}{closed}"));
    let bare = "1> A2 SELECT b\n1< * 1 EXISTS\n1< * 0 EXISTS\n1< A2 OK [READ-WRITE] done\n";
    fires(&format!("{first}{bare}"), "R3501-5.2-I01");
}
