//! `imapgate fuzz` against a real Dovecot: the run ends in a report and replay-confirmed
//! reproducers (Dovecot 2.3.19 has two known deviations the mix reaches), never a panic; and
//! a server killed during fuzzing is a crash finding naming the input in flight.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use imapgate::history::History;

fn imapgate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_imapgate"))
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `imapgate fuzz` against the Dovecot instance at `offset` (4 sessions, seed 5, at most 3
/// reproducers) with `extra` arguments, which must end with findings and no panic; its
/// standard error and report directory.
fn fuzz_dovecot(offset: u16, name: &str, extra: &[&str]) -> (String, PathBuf) {
    let dir = std::env::temp_dir().join(format!("imapgate-fuzz-{name}-{}", std::process::id()));
    let out = imapgate()
        .args([
            "fuzz",
            "--target",
            "dovecot",
            "--port-offset",
            &offset.to_string(),
        ])
        .args(["--sessions", "4", "--seed", "5", "--max-reproducers", "3"])
        .args(extra)
        .arg("--report-dir")
        .arg(&dir)
        .output()
        .expect("imapgate runs");
    let (stdout, stderr) = text(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    (stderr, dir)
}

#[test]
fn fuzzing_dovecot_yields_reproducers_that_replay_confirms() {
    let Some(_instance) = support::cli_instance("dovecot", 890) else {
        return;
    };
    let args = ["--duration", "8s", "--timeout", "5", "--shrink-time", "20s"];
    let (stderr, dir) = fuzz_dovecot(890, "confirmed", &args);
    assert!(
        stderr.contains("liveness monitor:") && stderr.contains(" 0 failed"),
        "{stderr}"
    );
    let confirmed: Vec<PathBuf> = stderr
        .lines()
        .filter(|l| l.contains(": reproduces;"))
        .filter_map(|l| l.rsplit(": ").next().map(PathBuf::from))
        .collect();
    assert!(!confirmed.is_empty(), "no confirmed reproducer:\n{stderr}");
    for repro in &confirmed {
        assert!(repro.exists(), "{}", repro.display());
        assert!(transcript_of(repro).exists(), "{}", repro.display());
        let out = imapgate()
            .arg("replay")
            .arg(repro)
            .args(["--target", "dovecot", "--port-offset", "890"])
            .args(["--attempts", "3"])
            .output()
            .expect("replay runs");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
        assert!(stdout.starts_with("reproduces:"), "{stdout}");
        assert!(stdout.contains(" of 3):"), "{stdout}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn findings_left_when_the_runs_shrink_time_is_spent_are_written_unreplayed() {
    let Some(_instance) = support::cli_instance("dovecot", 895) else {
        return;
    };
    let (stderr, dir) = fuzz_dovecot(895, "spent", &["--duration", "5s", "--shrink-total", "0s"]);
    let lines: Vec<&str> = (stderr.lines())
        .filter(|l| l.contains(" step(s) in "))
        .collect();
    assert!(!lines.is_empty(), "no reproducer written:\n{stderr}");
    for line in lines {
        assert!(line.contains(": not replayed: "), "{line}");
        assert!(line.contains("after 0 replay(s)"), "{line}");
        let repro = PathBuf::from(line.rsplit(": ").next().unwrap());
        assert!(repro.exists(), "{}", repro.display());
        assert!(!transcript_of(&repro).exists(), "{}", repro.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn transcript_of(repro: &Path) -> PathBuf {
    let name = repro
        .to_string_lossy()
        .replace(".repro.json", ".transcript.txt");
    PathBuf::from(name)
}

#[test]
fn a_server_killed_during_fuzzing_is_a_crash_with_the_input_in_flight() {
    let Some(server) = support::start("dovecot", 900) else {
        return;
    };
    let m = &server.recipe.manifest;
    let pid = server.recipe.running_pid().expect("pid").to_string();
    let dir = std::env::temp_dir().join(format!("imapgate-fuzz-killed-{}", std::process::id()));
    let url = format!("imap://{}@{}:{}", m.users[0], m.host, m.plain_port);
    let mut child = imapgate()
        .args(["fuzz", "--target", &url, "--security", "plain"])
        .args([
            "--sessions",
            "4",
            "--duration",
            "30s",
            "--seed",
            "3",
            "--timeout",
            "5",
        ])
        .args([
            "--shrink-time",
            "5s",
            "--max-reproducers",
            "1",
            "--report-dir",
        ])
        .arg(&dir)
        .env("IMAPGATE_PASSWORD", &m.password)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("imapgate runs");
    let stderr = support::wait_for_progress(child.stderr.take().expect("stderr"));
    let _ = Command::new("pkill").args(["-9", "-P", &pid]).status();
    assert!(
        Command::new("kill")
            .args(["-9", &pid])
            .status()
            .is_ok_and(|s| s.success())
    );
    let out = child.wait_with_output().expect("imapgate finishes");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = stderr.join().expect("stderr reader");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    // The monitor's fresh connections were refused.
    let failed = stderr
        .lines()
        .find(|l| l.contains("liveness monitor:"))
        .unwrap_or_default();
    assert!(!failed.contains(" 0 failed"), "{failed}");
    let file = std::fs::File::open(dir.join("events.jsonl")).expect("history written");
    let history = History::read_jsonl(BufReader::new(file)).expect("readable");
    let findings = imapgate::check::check(&history);
    assert!(
        findings
            .violations
            .iter()
            .any(|v| v.observed.starts_with("server crashed or hung during: S")),
        "no finding naming the input in flight"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
