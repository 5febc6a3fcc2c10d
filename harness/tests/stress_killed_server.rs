//! A server killed in the middle of `imapgate stress` is a liveness finding naming the
//! command in flight, and a report (exit 1), never a panic or a harness error. Runs against
//! a private Dovecot instance (ports shifted by 500) so it can be killed without touching
//! anyone else's server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::{Command, Stdio};

use imapgate::history::{EventKind, History};

const OFFSET: u16 = 500;

#[test]
fn a_server_killed_mid_run_is_a_liveness_finding_not_a_panic() {
    let Some(server) = support::start("dovecot", OFFSET) else {
        return;
    };
    let manifest = &server.recipe.manifest;
    let pid = server.recipe.running_pid().expect("the instance's pid");
    let dir = std::env::temp_dir().join(format!("imapgate-killed-{}", std::process::id()));
    let url = format!(
        "imap://{}@{}:{}",
        manifest.users[0], manifest.host, manifest.plain_port
    );
    let child = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["stress", "--target", &url, "--security", "plain"])
        .args(["--sessions", "4", "--duration", "30s", "--seed", "11"])
        .args(["--timeout", "5", "--report-dir"])
        .arg(&dir)
        .env("IMAPGATE_PASSWORD", &manifest.password)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("imapgate runs");
    let mut child = child;
    let stderr = support::wait_for_progress(child.stderr.take().expect("stderr"));
    // A crash: SIGKILL to the recipe's pid and to its children (Dovecot's imap processes
    // outlive a killed master otherwise), so no BYE and no clean-up.
    let pid = pid.to_string();
    let _ = Command::new("pkill").args(["-9", "-P", &pid]).status();
    let killed = Command::new("kill").args(["-9", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -9 {pid}");

    let out = child.wait_with_output().expect("imapgate finishes");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = stderr.join().expect("stderr reader");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("R3501-3.4-02"),
        "no liveness row:\n{stdout}"
    );
    eprintln!("{stdout}");

    let history = read_history(&dir);
    let findings = imapgate::check::check(&history);
    let named = findings
        .violations
        .iter()
        .find(|v| v.observed.starts_with("server crashed or hung during: S"));
    assert!(
        named.is_some(),
        "no finding naming the command: {findings:#?}"
    );
    let lost = history
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Disconnected { tag: Some(_), .. }))
        .count();
    assert!(lost >= 1, "no session lost a command in flight");
    assert!(
        !history
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::HarnessError { .. })),
        "a dead server is not a harness error"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn read_history(dir: &std::path::Path) -> History {
    let file = std::fs::File::open(dir.join("events.jsonl")).expect("events.jsonl written");
    History::read_jsonl(std::io::BufReader::new(file)).expect("a readable history")
}
