//! Committed reproducers of server findings replay and still show them: Cyrus moves a
//! message again for a session not yet told of another's MOVE (in order, every time), and
//! Dovecot moves one message twice when two sessions move it at once (a race: a few
//! attempts); hoodiecrow renumbers a stale view (a stale-view cut, in order) and never
//! pushes a flag change to an idling session (a push form, concurrent). A replay that stops
//! showing a finding means the server changed, or the checker lost the rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Command;

fn replay(file: &str, target: &str, offset: u16, attempts: u32) -> (Option<i32>, String) {
    let path = format!("{}/../reports/fuzz/{file}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["replay", &path, "--target", target])
        .args(["--port-offset", &offset.to_string()])
        .args(["--attempts", &attempts.to_string()])
        .output()
        .expect("imapgate runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stdout)
}

#[test]
fn cyrus_moves_a_message_a_session_was_not_yet_told_is_gone() {
    let Some(_instance) = support::cli_instance("cyrus", 920) else {
        return;
    };
    let (code, stdout) = replay("cyrus/05-R6851-3.3-02-uidplus.repro.json", "cyrus", 920, 1);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.starts_with("reproduces: R6851-3.3-02"), "{stdout}");
    assert!(stdout.contains("reported moving UID 1 again"), "{stdout}");
}

#[test]
fn dovecot_moves_one_message_twice_when_two_sessions_move_it_at_once() {
    let Some(_instance) = support::cli_instance("dovecot", 925) else {
        return;
    };
    let file = "dovecot/10-R6851-3.3-02-uidplus.hand.repro.json";
    let (code, stdout) = replay(file, "dovecot", 925, 6);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.starts_with("reproduces: R6851-3.3-02"), "{stdout}");
}

#[test]
fn hoodiecrow_names_a_message_it_never_announced_after_another_sessions_changes() {
    let Some(_instance) = support::cli_instance("hoodiecrow", 930) else {
        return;
    };
    let file = "hoodiecrow/13-R3501-2.3.1.2-I01-seq-uid-map.repro.json";
    let (code, stdout) = replay(file, "hoodiecrow", 930, 1);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.starts_with("reproduces: R3501-2.3.1.2-I01"),
        "{stdout}"
    );
}

#[test]
fn hoodiecrow_does_not_push_a_flag_change_to_an_idling_session() {
    let Some(_instance) = support::cli_instance("hoodiecrow", 935) else {
        return;
    };
    let file = "hoodiecrow/13-R3501-5.2-04-push-flags.hand.repro.json";
    let (code, stdout) = replay(file, "hoodiecrow", 935, 2);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.starts_with("reproduces: R3501-5.2-04"), "{stdout}");
    assert!(stdout.contains("before DONE"), "{stdout}");
}
