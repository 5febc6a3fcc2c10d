//! IDLE in the stress mix against a real Dovecot (RFC 2177): idling sessions get the other
//! sessions' changes pushed, the run measures the push latency, and nothing in the mix is a
//! finding about IDLE itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::BufReader;

use imapgate::history::{EventKind, History};

#[test]
fn idling_sessions_are_pushed_changes_and_the_latency_is_measured() {
    let Some(_instance) = support::cli_instance("dovecot", 820) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("imapgate-idle-{}", std::process::id()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["stress", "--target", "dovecot", "--port-offset", "820"])
        .args([
            "--sessions",
            "4",
            "--idle-sessions",
            "2",
            "--duration",
            "8s",
        ])
        .args(["--seed", "11", "--report-dir"])
        .arg(&dir)
        .output()
        .expect("imapgate runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{stdout}\n{stderr}"
    );
    assert!(!stdout.contains("R2177"), "{stdout}");

    let (messages, line) = pushed(&stdout, "messages pushed to idling sessions");
    assert!(messages > 0, "{line}");
    assert!(line.contains("0 not pushed"), "{line}");
    // Dovecot pushes other sessions' flag changes to idlers too (RFC 3501 §5.2's SHOULD);
    // in this mix most changed messages are expunged before the idler could be told, so
    // how many are judged varies: none may be missed.
    let line = (stdout.lines())
        .find(|l| l.contains("flag changes pushed to idling sessions"))
        .expect("a flag push line in the summary");
    assert!(
        line.contains("0 not pushed") || line.contains("nothing changed"),
        "{line}"
    );
    assert!(!stdout.contains("R3501-5.2-04"), "{stdout}");

    let file = std::fs::File::open(dir.join("events.jsonl")).unwrap();
    let history = History::read_jsonl(BufReader::new(file)).unwrap();
    let sent = |word: &str| {
        history
            .events
            .iter()
            .filter(|e| match &e.kind {
                EventKind::Sent { bytes, .. } => {
                    String::from_utf8_lossy(&bytes.bytes()).contains(word)
                }
                _ => false,
            })
            .count()
    };
    let (idles, dones) = (sent(" IDLE\r\n"), sent("DONE\r\n"));
    assert!(
        idles > 2 && dones + 2 >= idles,
        "{idles} IDLE, {dones} DONE"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The count in the summary row named `name`, and the row.
fn pushed<'a>(stdout: &'a str, name: &str) -> (usize, &'a str) {
    let line = stdout
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no {name:?} line in the summary:\n{stdout}"));
    let count = line
        .split('|')
        .nth(2)
        .and_then(|cell| cell.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"));
    (count, line)
}
