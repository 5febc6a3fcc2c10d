//! IMAP4rev2 (RFC 9051) against a real server that offers it beside IMAP4rev1: Dovecot 2.4
//! built with `--enable-experimental-imap4rev2` (`targets/dovecot24`). Each `rfc9051`
//! scenario gets the verdict the server earns: ENABLE, the LIST and `[CLOSED]` of SELECT,
//! and UTF-8 names for rev2 beside modified UTF-7 for rev1 pass; a SEARCH answered with
//! SEARCH instead of ESEARCH is the server's documented deviation
//! (`reports/findings/dovecot24-R9051-6.4.4-I01.txt`). On Dovecot 2.3, which offers
//! IMAP4rev1 alone, the same scenarios are Unimplemented, never Fail.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::PathBuf;

use imapgate::generate::scenario::{Outcome, Scenario, Verdict, load};
use imapgate::history::EventKind;

const SCENARIOS: [&str; 3] = [
    "rfc9051/enable-select.scn",
    "rfc9051/utf8-names.scn",
    "rfc9051/search-esearch.scn",
];

fn scenarios() -> Vec<Scenario> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios"));
    (SCENARIOS.iter())
        .map(|n| load(&dir.join(n)).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Whether the server sent `bytes` somewhere in the scenario's history.
fn received(o: &Outcome, bytes: &[u8]) -> bool {
    o.history.events.iter().any(|e| {
        matches!(&e.kind, EventKind::Received { bytes: b, .. }
            if b.bytes().windows(bytes.len()).any(|w| w == bytes))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rev2_scenarios_against_dovecot_2_4() {
    let Some(server) = support::start("dovecot24", 700) else {
        return;
    };
    let outcomes = support::run_serially(&server.recipe, scenarios(), 5, "rev2").await;
    assert_eq!(outcomes.len(), SCENARIOS.len());
    support::assert_clean_pass(&outcomes[0]);
    support::assert_clean_pass(&outcomes[1]);
    // The UTF-8 the rev2 connection was sent parsed, and the rev1 one got modified UTF-7.
    assert!(received(&outcomes[1], "Tëst\"".as_bytes()));
    assert!(received(&outcomes[1], b"T&AOs-st"));
    let esearch = &outcomes[2];
    let Verdict::Fail(f) = &esearch.verdict else {
        panic!(
            "expected Dovecot's SEARCH deviation, got {}",
            support::describe(esearch)
        );
    };
    // At the line that forbids a SEARCH response, on the first search.
    assert_eq!((f.line, f.observed.as_str()), (14, "SEARCH 1 2 3"), "{f:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rev2_scenarios_are_unimplemented_on_dovecot_2_3() {
    let Some(server) = support::start("dovecot", 700) else {
        return;
    };
    let outcomes = support::run_serially(&server.recipe, scenarios(), 5, "rev2").await;
    for o in &outcomes {
        assert!(
            matches!(o.verdict, Verdict::Unimplemented { .. }),
            "{}: {}",
            o.name,
            support::describe(o)
        );
    }
}
