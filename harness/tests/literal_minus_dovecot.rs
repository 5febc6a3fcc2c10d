//! LITERAL- (RFC 7888 §5) against a real server: Dovecot started with `imap_literal_minus =
//! yes` (the recipe's `DOVECOT_LITERAL_MINUS=yes`). The scenario passes (a non-synchronising
//! literal of at most 4096 octets taken, a larger message sent synchronising by the encoder's
//! LITERAL- rule), and the fuzz lane's oversized non-synchronising literal reaches the server,
//! which ends the session with `BYE [TOOBIG]`: no finding, even counting SHOULDs.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use imapgate::fuzzing::live::{LiveConfig, Op, ValidOp, live_stats, run_ops};
use imapgate::generate::mutate::{ALL, Mutation};
use imapgate::generate::scenario::load;

const KNOB: [(&str, &str); 1] = [("DOVECOT_LITERAL_MINUS", "yes")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn literal_minus_scenario_passes_against_dovecot() {
    let Some(server) = support::start_with("dovecot", 620, &KNOB) else {
        return;
    };
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/rfc7888/literal-minus.scn"
    ));
    let scenario = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let outcomes = support::run_serially(&server.recipe, vec![scenario], 5, "lm").await;
    assert_eq!(outcomes.len(), 1);
    support::assert_clean_pass(&outcomes[0]);
}

/// The fuzz lane's oversized non-synchronising literal, on `base`, as one live input.
fn oversized(base: ValidOp) -> Vec<Op> {
    let lie = ALL
        .iter()
        .position(|m| *m == Mutation::LiteralPlusUnadvertised)
        .unwrap();
    vec![Op::Mutated {
        mutation: u8::try_from(lie).unwrap(),
        base,
        seed: 1,
    }]
}

fn live(port: u16, strict: bool) -> LiveConfig {
    LiveConfig {
        target: format!("imap://user1@127.0.0.1:{port}"),
        password: Some("pass".into()),
        // Dovecot 2.3.19's known deviations (reports/findings/).
        ignore: vec!["R3501-6.4.6-I01".into(), "R3501-9-02".into()],
        strict,
        lanes: 1,
        shared: false,
        skip: Vec::new(),
    }
}

/// `SEARCH ALL {5000+}`: Dovecot ends the session with a BYE (a rejection RFC 7888 §4
/// allows: no Fail), but without the TOOBIG code it SHOULD carry (it has it for APPEND):
/// `reports/findings/dovecot-R7888-5-04.txt`. `NOOP {5000+}`: Dovecot never reads NOOP's
/// arguments, so it completes NOOP OK and reads the literal's octets as a command line:
/// `reports/findings/dovecot-R7888-5-02.txt`.
#[test]
fn an_oversized_nonsync_literal_is_rejected_by_bye_but_noop_runs() {
    let Some(server) = support::start_with("dovecot", 630, &KNOB) else {
        return;
    };
    let port = server.recipe.manifest.plain_port;
    let search = ValidOp::Search { key: 0, uid: false };
    let noop = vec![Op::Valid(ValidOp::Noop)];
    let lenient = live(port, false);
    assert_eq!(run_ops(&lenient, &noop), None);
    let (_, logins_before) = live_stats().expect("a live session");
    assert_eq!(run_ops(&lenient, &oversized(search.clone())), None);
    // The BYE ended that session: the next input needs another.
    assert_eq!(run_ops(&lenient, &noop), None);
    let (_, logins_after) = live_stats().expect("a live session");
    assert_eq!(logins_after, logins_before + 1);
    let strict = live(port, true);
    let finding = run_ops(&strict, &oversized(search)).expect("BYE without TOOBIG");
    assert!(finding.contains("R7888-5-04"), "{finding}");
    let finding = run_ops(&lenient, &oversized(ValidOp::Noop)).expect("NOOP completed OK");
    assert!(finding.contains("R7888-5-02"), "{finding}");
}
