//! Ctrl-C during a 60 s stress run against a private Dovecot (ports shifted by 770): the
//! binary stops sending, writes a valid report marked incomplete, and exits 130.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use imapgate::history::History;
use imapgate::report::{Report, RunKind};

#[test]
fn sigint_during_a_stress_run_leaves_an_incomplete_valid_report() {
    let Some(server) = support::start("dovecot", 770) else {
        return;
    };
    let port = server.recipe.manifest.plain_port;
    let dir = PathBuf::from(format!(
        "/tmp/imapgate-test/interrupt-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let child = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args([
            "stress",
            "--target",
            &format!("imap://user1@127.0.0.1:{port}"),
        ])
        .args([
            "--sessions",
            "3",
            "--duration",
            "60s",
            "--seed",
            "11",
            "--report-dir",
        ])
        .arg(&dir)
        .env("IMAPGATE_PASSWORD", "pass")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("imapgate starts");
    std::thread::sleep(Duration::from_secs(4));
    let started = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "stopped well before 60 s"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(stdout.contains("INCOMPLETE: stopped by SIGINT"), "{stdout}");

    let report = Report::read(&dir).unwrap();
    assert!(report.index.incomplete);
    assert_eq!(report.index.interrupted_by.as_deref(), Some("SIGINT"));
    assert_eq!(report.index.kind, RunKind::Stress);
    assert_eq!(report.index.seed, Some(11));
    assert!(report.cases.iter().any(|c| c.id == "stress"));
    let file = std::fs::File::open(dir.join("events.jsonl")).unwrap();
    let history = History::read_jsonl(std::io::BufReader::new(file)).unwrap();
    assert!(!history.events.is_empty());
    for f in ["junit.xml", "report.md", "report.html"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("id=\"incomplete\""));
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .count();
    assert_eq!(leftovers, 0, "no half-written file");
    let _ = std::fs::remove_dir_all(&dir);
}
