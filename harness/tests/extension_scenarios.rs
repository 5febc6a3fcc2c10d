//! The extension scenarios (IDLE, UIDPLUS, MOVE: `scenarios/rfc2177`, `rfc4315`, `rfc6851`)
//! against private instances of the recipes: all pass on Dovecot, the checker finds nothing
//! in their histories (IDLE's DONE included), and pymap's unpushed expunge is a failure at
//! the `done` line.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use imapgate::generate::scenario::suite::run_all;
use imapgate::generate::scenario::{Outcome, RunTarget, Verdict, load};
use imapgate::history::EventKind;
use imapgate::run::recipe::Recipe;
use imapgate::run::target::{Selection, from_recipe};
use imapgate::run::transport::Timeouts;

const SCENARIOS: &[&str] = &[
    "rfc2177/done.scn",
    "rfc2177/push-append.scn",
    "rfc2177/push-expunge.scn",
    "rfc2177/push-flags.scn",
    "rfc4315/appenduid-copyuid.scn",
    "rfc4315/uid-expunge.scn",
    "rfc6851/move.scn",
    "rfc6851/move-other-session.scn",
];

fn scenario(name: &str) -> imapgate::generate::scenario::Scenario {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios")).join(name);
    load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn run_target(recipe: &Recipe) -> RunTarget {
    let target = from_recipe(&Selection::default(), recipe.clone()).expect("target");
    let m = &recipe.manifest;
    let secs = Duration::from_secs(5);
    RunTarget {
        name: m.name.clone(),
        endpoint: target.endpoint,
        timeouts: Timeouts {
            connect: secs,
            greeting: secs,
            response: secs,
        },
        users: m.users.clone(),
        password: target.password,
        namespace_prefix: m.namespace_prefix.clone(),
    }
}

fn describe(o: &Outcome) -> String {
    match &o.verdict {
        Verdict::Fail(f) | Verdict::NonStrict(f) => f.to_string(),
        Verdict::Unimplemented { reason }
        | Verdict::HarnessError { reason }
        | Verdict::Unknown { reason } => reason.clone(),
        Verdict::Pass => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_scenarios_pass_against_dovecot() {
    let Some(server) = support::start("dovecot", 610) else {
        return;
    };
    let scenarios = SCENARIOS.iter().map(|n| scenario(n)).collect();
    let outcomes = run_all(scenarios, run_target(&server.recipe), 1, "ext", |_| {}).await;
    assert_eq!(outcomes.len(), SCENARIOS.len());
    for o in &outcomes {
        assert_eq!(o.verdict, Verdict::Pass, "{}: {}", o.name, describe(o));
        assert!(
            o.findings.violations.is_empty(),
            "{}: {:?}",
            o.name,
            o.findings
        );
    }
    let idle = outcomes
        .iter()
        .find(|o| o.name == "push-append.scn")
        .unwrap();
    let dones = idle
        .history
        .events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Sent { tag: None, bytes, .. } if *bytes.bytes() == *b"DONE\r\n"))
        .count();
    assert_eq!(dones, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expunge_pymap_does_not_push_to_an_idling_session_fails_at_done() {
    let Some(server) = support::start("pymap", 610) else {
        return;
    };
    let outcomes = run_all(
        vec![
            scenario("rfc2177/push-expunge.scn"),
            scenario("rfc2177/push-append.scn"),
        ],
        run_target(&server.recipe),
        1,
        "ext",
        |_| {},
    )
    .await;
    let Verdict::Fail(f) = &outcomes[0].verdict else {
        panic!("expected a failure, got {}", describe(&outcomes[0]));
    };
    assert!(f.to_string().contains("while idling"), "{f}");
    assert_eq!(
        outcomes[1].verdict,
        Verdict::Pass,
        "{}",
        describe(&outcomes[1])
    );
}
