//! Self-tests without a server: for each detector a known-bad history that fires and a
//! known-good one (legal variety included) that stays quiet; the text form; real transcripts.

mod corpus;
mod detectors_flags;
mod detectors_id;
mod detectors_literal;
mod detectors_notifications;
mod detectors_protocol;
mod detectors_push;
mod detectors_qresync;
mod detectors_rev2;
mod detectors_sort;
mod detectors_thread;
mod detectors_uidplus;
mod detectors_uids;
mod text_form;

use super::text::parse;
use super::{Findings, Verdict, Violation, check};

/// The findings for a history in the text form.
pub fn findings(text: &str) -> Findings {
    check(&parse(text).unwrap_or_else(|e| panic!("{e}")))
}

/// Asserts that some violation cites `id`, and returns the first.
pub fn fires(text: &str, id: &str) -> Violation {
    let f = findings(text);
    match f.citing(id).next() {
        Some(v) => v.clone(),
        None => panic!("expected a violation of {id}, got {:#?}", f),
    }
}

/// Asserts a clean Pass: no violation, nothing undecided.
pub fn quiet(text: &str) {
    let f = findings(text);
    assert_eq!(f.verdict, Verdict::Pass, "expected Pass, got {f:#?}");
}

/// A read-write SELECT of `mailbox` in `session` with tag `tag`: `exists` messages,
/// UIDVALIDITY 7, the given UIDNEXT, every system flag permanent plus `\*`.
pub fn select(session: u32, tag: &str, mailbox: &str, exists: u32, uidnext: u32) -> String {
    let s = session;
    format!(
        "{s}> {tag} SELECT {mailbox}
{s}< * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
{s}< * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] ok
{s}< * {exists} EXISTS
{s}< * 0 RECENT
{s}< * OK [UIDVALIDITY 7] ok
{s}< * OK [UIDNEXT {uidnext}] ok
{s}< {tag} OK [READ-WRITE] done
"
    )
}

/// `select`, then learn UIDs 1..=n for messages 1..=n with a FETCH.
pub fn select_with_uids(session: u32, mailbox: &str, n: u32) -> String {
    let s = session;
    let mut text = select(s, &format!("S{s}"), mailbox, n, n + 1);
    text.push_str(&format!("{s}> U{s} FETCH 1:* (UID FLAGS)\n"));
    for i in 1..=n {
        text.push_str(&format!("{s}< * {i} FETCH (UID {i} FLAGS ())\n"));
    }
    text.push_str(&format!("{s}< U{s} OK done\n"));
    text
}
