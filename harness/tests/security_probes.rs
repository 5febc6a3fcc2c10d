//! `probe --security-probes` against real servers: Dovecot survives every known hostile
//! shape and refuses STARTTLS injection, but echoes a client's CRLF into a response; Courier leaves a huge synchronising literal claim
//! unanswered (neither `+` nor a refusal), which the probe reports.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use imapgate::run::connect::Access;
use imapgate::run::login::AuthMethod;
use imapgate::run::probe::probe;
use imapgate::run::security::{ProbeOutcome, SHAPES, run_all};
use imapgate::run::target::{Selection, from_recipe};
use imapgate::run::transport::Timeouts;

async fn probes(server: &support::Server) -> Vec<ProbeOutcome> {
    let sel = Selection {
        target: server.recipe.manifest.name.clone(),
        ..Selection::default()
    };
    let target = from_recipe(&sel, server.recipe.clone()).expect("target");
    let timeouts = Timeouts::uniform(std::time::Duration::from_secs(5));
    let report = probe(&target, AuthMethod::Auto, timeouts).await;
    let access = Access::to_target(
        &target,
        AuthMethod::Auto,
        report.capabilities_post_auth.clone(),
        timeouts,
    );
    run_all(&access, server.recipe.running_pid(), &target.user).await
}

fn outcome<'a>(all: &'a [ProbeOutcome], name: &str) -> &'a ProbeOutcome {
    all.iter().find(|o| o.name == name).expect(name)
}

#[tokio::test]
async fn dovecot_survives_every_shape_refuses_starttls_injection_and_echoes_crlf() {
    let Some(server) = support::start("dovecot", 880) else {
        return;
    };
    let all = probes(&server).await;
    assert_eq!(all.len(), SHAPES.len());
    // Dovecot echoes a SEARCH key into its BAD text, CRLF and all: the client's forged
    // line comes back as a response (reports/findings/dovecot-response-splitting.txt).
    let echo = outcome(&all, "literal-echo-injection");
    assert_eq!(echo.outcome, "fail", "{echo:#?}");
    assert!(echo.detail.contains("31337 EXISTS"), "{echo:#?}");
    for o in all.iter().filter(|o| o.name != echo.name) {
        assert_eq!(o.outcome, "pass", "{o:#?}");
        assert!(o.alive_after, "{o:#?}");
        assert!(o.rss_kib.is_some(), "the recipe's pid is watched: {o:#?}");
    }
    let nul = outcome(&all, "nul-in-quoted-before-login");
    assert!(nul.answer.contains("BAD"), "{nul:#?}");
    let tls = outcome(&all, "starttls-injection");
    assert!(tls.detail.contains("instead of running"), "{tls:#?}");
}

#[tokio::test]
async fn courier_leaves_a_huge_literal_claim_unanswered() {
    let Some(server) = support::start("courier", 880) else {
        return;
    };
    let all = probes(&server).await;
    let claim = outcome(&all, "huge-literal-claim");
    assert_eq!(claim.outcome, "fail", "{claim:#?}");
    assert!(claim.alive_after, "the server itself lives on: {claim:#?}");
    assert!(claim.detail.contains("stuck"), "{claim:#?}");
}

/// pymap 0.36.7 spins forever decoding a modified-UTF-7 name whose shift never ends: one
/// EXAMINE hangs the whole server, which then greets no one
/// (`reports/findings/pymap-mutf7-hang.txt`).
#[tokio::test]
async fn pymap_hangs_on_an_unterminated_modified_utf7_name() {
    let Some(server) = support::start("pymap", 880) else {
        return;
    };
    let all = probes(&server).await;
    let hang = outcome(&all, "unterminated-mutf7-name");
    assert_eq!(hang.outcome, "fail", "{hang:#?}");
    assert!(!hang.alive_after, "{hang:#?}");
    assert!(hang.detail.contains("hung"), "{hang:#?}");
    // The shapes before it (it is the last) left pymap alive.
    assert!(
        all.iter()
            .filter(|o| o.name != hang.name)
            .all(|o| o.alive_after),
        "{all:#?}"
    );
}
