//! A few scenarios of our own RFC 3501 suite (`scenarios/rfc3501`), run against a private
//! Dovecot started from the recipe (ports shifted by 600, its own state dir): they pass, the
//! checker runs on every history (a deliberately malformed command is not held against the
//! server), and a known Dovecot deviation is reported as a failure at its script line.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use imapgate::generate::scenario::{Verdict, load};
use imapgate::history::EventKind;

/// Passing scenarios: one per folder that has a clear Dovecot pass, two connections included.
const PASSING: &[&str] = &[
    "6.1-any/capability.scn",
    "6.2-nonauth/wrong-state.scn",
    "6.3-auth/select.scn",
    "6.4-selected/fetch-sections.scn",
    "6.4-selected/search-keys.scn",
    "5.2-notifications/expunge-other.scn",
    "9-syntax/bad-syntax.scn",
];

fn suite_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/rfc3501"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_scenarios_pass_against_dovecot_and_a_deviation_is_found() {
    let Some(server) = support::start("dovecot", 600) else {
        return;
    };
    let mut names: Vec<&str> = PASSING.to_vec();
    names.push("9-syntax/bad-select-keeps-selection.scn");
    let scenarios: Vec<_> = names
        .iter()
        .map(|n| load(&suite_dir().join(n)).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let outcomes = support::run_serially(&server.recipe, scenarios, 10, "suite").await;
    assert_eq!(outcomes.len(), names.len());
    for o in &outcomes[..PASSING.len()] {
        support::assert_clean_pass(o);
        assert!(
            o.warnings.is_empty(),
            "{}: cleanup {:?}",
            o.name,
            o.warnings
        );
    }
    let bad_syntax = outcomes
        .iter()
        .find(|o| o.name == "bad-syntax.scn")
        .unwrap();
    let mutated = bad_syntax
        .history
        .events
        .iter()
        .filter(
            |e| matches!(&e.kind, EventKind::Sent { mutation: Some(m), .. } if m == "expected-bad"),
        )
        .count();
    assert!(
        mutated >= 5,
        "the BAD-expecting commands are marked: {mutated}"
    );
    // Dovecot closes the selected mailbox before it answers a malformed SELECT with BAD.
    let deviation = outcomes.last().unwrap();
    match &deviation.verdict {
        Verdict::Fail(f) => assert_eq!(f.line, 8, "{f}"),
        other => panic!("expected the known deviation, got {other:?}"),
    }
}
