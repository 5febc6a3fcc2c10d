//! The end-of-run checkpoint: when the concurrent sessions have stopped and nothing changes
//! the shared mailboxes any more, two fresh sessions ask each one the same read-only
//! questions in turn — EXAMINE, the messages' RFC822.SIZE, INTERNALDATE and ENVELOPE, `UID SORT` by
//! every key and `UID THREAD` by every advertised algorithm over ALL, then a NOOP. The checker then
//! compares the two sessions' answers (the sort-agreement detector: SORT and THREAD are
//! functions of the mailbox) and judges the SIZE, ARRIVAL, SUBJECT and FROM orders against
//! the fetched keys (the sort-order detector). Nothing is written, so the mail of the run is untouched.

use super::driver::{Driver, Ended};
use super::runner::Runner;
use crate::generate::layout::Layout;
use crate::history::{EventKind, SessionId};
use crate::wire::command::{CommandBody, parse_command};

/// Sessions that run the checkpoint, one after the other.
pub const CHECKPOINT_SESSIONS: u32 = 2;

const SORT_KEYS: [&str; 8] = [
    "ARRIVAL",
    "SIZE",
    "REVERSE SIZE",
    "SUBJECT",
    "FROM",
    "REVERSE FROM",
    "TO",
    "DATE",
];

/// The questions asked of each shared mailbox, given the server's capabilities.
pub fn questions(capabilities: &[String], mailbox: &str) -> Vec<String> {
    let has = |name: &str| capabilities.iter().any(|c| c.eq_ignore_ascii_case(name));
    let mut out = vec![
        format!("EXAMINE \"{mailbox}\""),
        "UID FETCH 1:* (RFC822.SIZE INTERNALDATE ENVELOPE)".to_owned(),
    ];
    if has("SORT") {
        out.extend(
            SORT_KEYS
                .iter()
                .map(|k| format!("UID SORT ({k}) US-ASCII ALL")),
        );
    }
    let algorithms = capabilities.iter().filter_map(|c| {
        let (name, alg) = c.split_once('=')?;
        name.eq_ignore_ascii_case("THREAD").then_some(alg)
    });
    out.extend(algorithms.map(|alg| format!("UID THREAD {alg} US-ASCII ALL")));
    // A poll last: the sort-order detector holds a finding until the session's next NOOP
    // (an expunge by then would have explained it; at the checkpoint none can come).
    out.push("NOOP".to_owned());
    out
}

/// Run the checkpoint as `user` on sessions `first_id..`; what kept a session from running.
pub async fn checkpoint(
    runner: &Runner,
    first_id: SessionId,
    user: &str,
    layout: &Layout,
) -> Vec<String> {
    let mut problems = Vec::new();
    for id in (first_id..).take(CHECKPOINT_SESSIONS as usize) {
        if let Err(e) = one_session(runner, id, user, layout).await {
            problems.push(format!("checkpoint session {id}: {e:?}"));
        }
    }
    problems
}

async fn one_session(
    runner: &Runner,
    id: SessionId,
    user: &str,
    layout: &Layout,
) -> Result<(), Ended> {
    let mut driver = runner.open(id, user).await?;
    let caps = runner.access().capabilities.clone();
    for shared in &layout.shared {
        let mailbox = String::from_utf8_lossy(shared);
        for text in questions(&caps, &mailbox) {
            ask(&mut driver, &text).await?;
        }
    }
    let logout = driver.run(CommandBody::Logout).await;
    driver.record(EventKind::Closed);
    logout.map(drop)
}

async fn ask(driver: &mut Driver, text: &str) -> Result<(), Ended> {
    // The texts above are valid commands; one the parser refused would be a harness bug,
    // and is skipped rather than sent malformed.
    let Ok(command) = parse_command(format!("T {text}\r\n").as_bytes()) else {
        return Ok(());
    };
    driver.run(command.body).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_questions_follow_the_capabilities_and_parse() {
        let caps = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let bare = questions(&caps(&["IMAP4rev1"]), "INBOX.run.shared0");
        assert_eq!(bare.len(), 3);
        let all = questions(
            &caps(&[
                "IMAP4rev1",
                "SORT",
                "THREAD=REFERENCES",
                "thread=ORDEREDSUBJECT",
            ]),
            "INBOX.run.shared0",
        );
        assert_eq!(all.len(), 2 + SORT_KEYS.len() + 2 + 1);
        assert!(all.contains(&"UID THREAD ORDEREDSUBJECT US-ASCII ALL".to_owned()));
        for text in &all {
            assert!(
                parse_command(format!("T {text}\r\n").as_bytes()).is_ok(),
                "{text}"
            );
        }
    }
}
