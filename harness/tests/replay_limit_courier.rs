//! A replay's time limit counts the sessions' work, not the workspace's tidy-up: Courier
//! takes two seconds for every DELETE and RENAME, so tidying the mailboxes a reproducer
//! created used to exhaust a fuzz run's replay limit on its own, and its findings went
//! unconfirmed. The tidy-up deletes one level of mailboxes over several connections at once,
//! so those two seconds overlap. Steps that take longer than the limit still make the
//! replay too slow.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::time::Duration;

use imapgate::history::{EventKind, WireBytes};
use imapgate::run::connect::Access;
use imapgate::run::login::AuthMethod;
use imapgate::run::probe::probe;
use imapgate::run::replay::{
    FORMAT, FindingKey, ReplayError, ReplayStep, Reproducer, WorkspaceSpec, reproduces,
};
use imapgate::run::target::{Selection, from_recipe};
use imapgate::run::transport::Timeouts;

async fn access(server: &support::Server) -> (Access, String) {
    let sel = Selection {
        target: server.recipe.manifest.name.clone(),
        ..Selection::default()
    };
    let target = from_recipe(&sel, server.recipe.clone()).expect("target");
    let timeouts = Timeouts::uniform(Duration::from_secs(10));
    let report = probe(&target, AuthMethod::Auto, timeouts).await;
    let caps = report.capabilities_post_auth.clone();
    let access = Access::to_target(&target, AuthMethod::Auto, caps, timeouts);
    (access, target.user)
}

/// One session's `commands` in the workspace `INBOX.imapgate-<run_id>`.
fn repro(run_id: &str, user: &str, commands: &[String]) -> Reproducer {
    let step = |text: &String| ReplayStep {
        session: 0,
        reconnect: false,
        bytes: WireBytes::new(format!("{text}\r\n").into_bytes()),
        mutation: None,
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    };
    Reproducer {
        format: FORMAT,
        target: "courier".into(),
        finding: FindingKey {
            requirement: "R3501-none".into(),
            detector: "none".into(),
            observed: String::new(),
        },
        workspace: WorkspaceSpec {
            prefix: "INBOX.".into(),
            delimiter: Some(".".into()),
            run_id: run_id.into(),
            shared: 1,
        },
        users: vec![user.to_owned()],
        steps: commands.iter().map(step).collect(),
        concurrent: false,
        push_bound_ms: None,
        timeout_s: None,
    }
}

#[tokio::test]
async fn courier_replays_are_timed_without_their_slow_tidy_up() {
    let Some(server) = support::start("courier", 940) else {
        return;
    };
    let (access, user) = access(&server).await;
    let root = "INBOX.imapgate-lim1";
    // Three mailboxes: the tidy-up deletes five (with the shared one and the root), ten
    // seconds.
    let creates: Vec<String> = (1..=3).map(|i| format!("CREATE {root}.m{i}")).collect();
    let limit = Duration::from_secs(4);
    let outcome = reproduces(&access, &repro("lim1", &user, &creates), limit).await;
    let (shown, history) = outcome.expect("the steps fit the limit, the tidy-up is not counted");
    assert!(!shown, "no finding of that id exists");
    // The history ends with the tidy-up: every mailbox deleted, the root last, the four
    // below it over several connections at once (Courier's two seconds each overlap).
    let deletes: Vec<(u32, String)> = (history.events.iter())
        .filter_map(|e| match &e.kind {
            EventKind::Sent { bytes, .. } => {
                let text = String::from_utf8_lossy(&bytes.bytes()).into_owned();
                text.contains(" DELETE ").then_some((e.session, text))
            }
            _ => None,
        })
        .collect();
    assert_eq!(deletes.len(), 5, "{deletes:#?}");
    let last = &deletes[4].1;
    assert!(
        last.ends_with(&format!("DELETE {root}\r\n")),
        "{deletes:#?}"
    );
    let mut sessions: Vec<u32> = deletes[..4].iter().map(|(s, _)| *s).collect();
    sessions.sort_unstable();
    sessions.dedup();
    assert!(sessions.len() > 1, "{deletes:#?}");

    // Two RENAMEs take four seconds: over a two-second limit, the replay is too slow.
    let root = "INBOX.imapgate-lim2";
    let renames = vec![
        format!("CREATE {root}.a"),
        format!("RENAME {root}.a {root}.b"),
        format!("RENAME {root}.b {root}.c"),
    ];
    let slow = reproduces(
        &access,
        &repro("lim2", &user, &renames),
        Duration::from_secs(2),
    )
    .await;
    assert!(matches!(slow, Err(ReplayError::TooSlow(_))), "{slow:?}");
}
