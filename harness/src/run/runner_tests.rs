//! Runner tests against the in-memory scripted fake server. Time is paused: deadlines fire
//! as soon as every task waits, so a hang costs no wall-clock time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::generate::plan::{Plan, SessionPlan, Step};
use crate::history::{Event, EventKind, History, Meta};
use crate::run::connect::{Access, Dial};
use crate::run::fake::{Act, FakeServer, logged_in, logout, send};
use crate::run::login::AuthMethod;
use crate::run::recorder::{RecordLimits, Recorder};
use crate::run::runner::{RunSummary, Runner};
use crate::run::target::Secret;
use crate::run::transport::Timeouts;
use crate::wire::command::{Append, CommandBody, LiteralData, Mailbox};
use crate::wire::frame::FrameLimits;

fn access(fake: &FakeServer, password: &str) -> Access {
    Access {
        dial: Dial::Fake(fake.clone()),
        password: Secret::new(password),
        auth: AuthMethod::Login,
        timeouts: Timeouts::default(),
        frame_limits: FrameLimits::default(),
        capabilities: vec!["IMAP4rev1".into()],
        max_frames_per_command: 1000,
    }
}

async fn run(fake: &FakeServer, password: &str, sessions: Vec<Vec<Step>>) -> (RunSummary, History) {
    let rec = Recorder::new(RecordLimits::default());
    let runner = Runner::new(access(fake, password), Arc::clone(&rec), 4);
    let plan = Plan {
        sessions: sessions
            .into_iter()
            .map(|steps| SessionPlan {
                user: "user1".into(),
                steps,
            })
            .collect(),
    };
    let until = Instant::now() + Duration::from_secs(3600);
    let summary = runner.run_plan(plan, 0, until).await;
    (summary, rec.finish(Meta::default()))
}

fn script(middle: Vec<Act>, logout_line: usize) -> Vec<Act> {
    let mut acts = logged_in();
    acts.extend(middle);
    acts.extend(logout(logout_line));
    acts
}

fn sent_tag(e: &Event) -> Option<&str> {
    match &e.kind {
        EventKind::Sent { tag, .. } => tag.as_deref(),
        _ => None,
    }
}

fn bytes_of(e: &Event) -> Vec<u8> {
    match &e.kind {
        EventKind::Sent { bytes, .. } | EventKind::Received { bytes } => bytes.bytes().to_vec(),
        _ => Vec::new(),
    }
}

fn position(h: &History, f: impl Fn(&Event) -> bool) -> usize {
    h.events.iter().position(f).expect("event present")
}

#[tokio::test(start_paused = true)]
async fn pipelined_commands_are_sent_before_any_reply() {
    let fake = FakeServer::new();
    // The fake reads all three commands before answering: a runner that waited for each
    // completion would hang here and time out.
    let middle = vec![
        Act::ReadLine,
        Act::ReadLine,
        Act::ReadLine,
        send("* 3 EXISTS\r\n{t2} OK c\r\n{t1} OK b\r\n{t3} OK d\r\n"),
    ];
    fake.script(0, script(middle, 4));
    let steps = vec![
        Step::pipelined(CommandBody::Noop),
        Step::pipelined(CommandBody::Check),
        Step::command(CommandBody::Capability),
    ];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    let tags: Vec<&str> = h.events.iter().filter_map(sent_tag).collect();
    assert_eq!(tags, ["S0.1", "S0.2", "S0.3", "S0.4", "S0.5"]);
    let third_sent = position(&h, |e| sent_tag(e) == Some("S0.4"));
    let first_reply = position(&h, |e| bytes_of(e) == b"* 3 EXISTS\r\n");
    assert!(third_sent < first_reply);
    let completed: Vec<&str> = h
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Completed { tag } => Some(tag.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(completed, ["S0.1", "S0.3", "S0.2", "S0.4", "S0.5"]);
}

fn append(message: &[u8]) -> CommandBody {
    CommandBody::Append(Append {
        mailbox: Mailbox::new("box").unwrap(),
        flags: Vec::new(),
        date: None,
        message: LiteralData::new(message.to_vec()).unwrap(),
    })
}

#[tokio::test(start_paused = true)]
async fn synchronising_literal_waits_for_continuation() {
    let fake = FakeServer::new();
    let middle = vec![
        Act::ReadLine,
        send("+ go ahead\r\n"),
        Act::ReadBytes(7),
        send("* 1 EXISTS\r\n{t1} OK appended\r\n"),
    ];
    fake.script(0, script(middle, 2));
    let (summary, h) = run(&fake, "pw1", vec![vec![Step::command(append(b"hello"))]]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    let line = position(&h, |e| sent_tag(e) == Some("S0.2"));
    assert_eq!(bytes_of(&h.events[line]), b"S0.2 APPEND box {5}\r\n");
    let plus = position(&h, |e| bytes_of(e) == b"+ go ahead\r\n");
    let data = position(&h, |e| {
        matches!(e.kind, EventKind::Sent { tag: None, .. }) && bytes_of(e) == b"hello\r\n"
    });
    let done = position(
        &h,
        |e| matches!(&e.kind, EventKind::Completed { tag } if tag == "S0.2"),
    );
    assert!(line < plus && plus < data && data < done);
}

#[tokio::test(start_paused = true)]
async fn refused_literal_is_not_sent() {
    let fake = FakeServer::new();
    let middle = vec![Act::ReadLine, send("{t1} NO too big\r\n")];
    fake.script(0, script(middle, 2));
    let (summary, h) = run(&fake, "pw1", vec![vec![Step::command(append(b"hello"))]]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    assert!(!h.events.iter().any(|e| bytes_of(e) == b"hello\r\n"));
}

/// A server that logs the session in, reads its next command, sends `reply` and closes.
fn answers_then_closes(reply: &str) -> FakeServer {
    let fake = FakeServer::new();
    let mut acts = logged_in();
    acts.extend([Act::ReadLine, send(reply), Act::Close]);
    fake.script(0, acts);
    fake
}

#[tokio::test(start_paused = true)]
async fn a_bye_before_a_close_that_refuses_our_write_is_recorded() {
    let fake = answers_then_closes("+ go ahead\r\n* BYE closing\r\n");
    let (summary, h) = run(&fake, "pw1", vec![vec![Step::command(append(b"hello"))]]).await;
    assert_eq!(summary.lost, 1, "{h:#?}");
    // The literal's write fails (the server is gone); the BYE it sent first is still read.
    let bye = position(&h, |e| bytes_of(e) == b"* BYE closing\r\n");
    let lost = position(&h, |e| matches!(e.kind, EventKind::Disconnected { .. }));
    assert!(bye < lost, "{h:#?}");
}

#[tokio::test(start_paused = true)]
async fn a_hung_server_yields_a_timeout_naming_the_command() {
    let fake = FakeServer::new();
    let mut acts = logged_in();
    acts.extend([Act::ReadLine, send("* 1 EXISTS\r\n"), Act::Hang]);
    fake.script(0, acts);
    let steps = vec![Step::command(CommandBody::Check)];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.lost, 1);
    let last = h.events.last().unwrap();
    match &last.kind {
        EventKind::Timeout {
            tag, waiting_for, ..
        } => {
            assert_eq!(tag.as_deref(), Some("S0.2"));
            assert!(waiting_for.contains("CHECK"), "{waiting_for}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_disconnect_mid_literal_yields_disconnected_with_the_tag() {
    let fake = answers_then_closes("* 1 FETCH (BODY[] {10}\r\nabc");
    let steps = vec![Step::command(CommandBody::Noop)];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.lost, 1);
    match &h.events.last().unwrap().kind {
        EventKind::Disconnected { tag, reason } => {
            assert_eq!(tag.as_deref(), Some("S0.2"));
            assert!(reason.contains("NOOP"), "{reason}");
            assert!(
                reason.contains("short of the announced literal"),
                "{reason}"
            );
        }
        other => panic!("expected a disconnect, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn global_order_follows_causality_across_sessions() {
    let fake = FakeServer::new();
    let appended = Arc::new(Notify::new());
    // Session 0's APPEND-like NOOP is read before session 1 is told about the new message.
    let first = vec![
        Act::ReadLine,
        Act::Signal(Arc::clone(&appended)),
        send("{t1} OK done\r\n"),
    ];
    let second = vec![
        Act::ReadLine,
        Act::Wait(appended),
        send("* 1 EXISTS\r\n{t1} OK done\r\n"),
    ];
    fake.script(0, script(first, 2));
    fake.script(1, script(second, 2));
    let steps = || vec![Step::command(CommandBody::Noop)];
    let (summary, h) = run(&fake, "pw1", vec![steps(), steps()]).await;
    assert_eq!(summary.closed, 2, "{h:#?}");
    for (i, e) in h.events.iter().enumerate() {
        assert_eq!(e.index, i as u64);
    }
    let cause = position(&h, |e| e.session == 0 && sent_tag(e) == Some("S0.2"));
    let effect = position(&h, |e| e.session == 1 && bytes_of(e) == b"* 1 EXISTS\r\n");
    assert!(cause < effect);
    let per_session: Vec<u64> = h.session(1).map(|e| e.index).collect();
    assert!(per_session.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test(start_paused = true)]
async fn the_password_never_reaches_the_history() {
    let fake = FakeServer::new();
    let acts = vec![
        send("* OK fake ready\r\n"),
        Act::ReadLine,
        send("* OK welcome, s3cret-pw\r\n{t0} OK logged in\r\n"),
        Act::ReadLine,
        send("* BYE\r\n{t1} OK bye\r\n"),
    ];
    fake.script(0, acts);
    let (summary, h) = run(&fake, "s3cret-pw", vec![Vec::new()]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    let mut jsonl = Vec::new();
    h.write_jsonl(&mut jsonl).unwrap();
    let text = String::from_utf8(jsonl).unwrap();
    assert!(!text.contains("s3cret-pw"), "{text}");
    assert!(text.contains("S0.1 LOGIN user1 <redacted>"), "{text}");
    assert!(text.contains("welcome, <redacted>"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_ends_only_that_session() {
    let fake = FakeServer::new();
    fake.script(0, script(Vec::new(), 1));
    // Session 1 has no script: its pipe closes before the greeting.
    let (summary, h) = run(&fake, "pw1", vec![Vec::new(), Vec::new()]).await;
    assert_eq!((summary.closed, summary.lost), (1, 1), "{h:#?}");
    assert!(
        h.session(1)
            .any(|e| matches!(&e.kind, EventKind::Disconnected { tag: None, .. }))
    );
}

fn raw(mutation: &str, bytes: &[u8]) -> Step {
    Step {
        action: crate::generate::plan::Action::Raw(crate::generate::plan::RawCommand::new(
            mutation,
            bytes.to_vec(),
        )),
        pipelined: false,
    }
}

#[tokio::test(start_paused = true)]
async fn an_untagged_bad_ends_a_malformed_command_and_the_checker_agrees() {
    // A server that cannot read the tag answers `* BAD` (RFC 3501 §7.1.3): no timeout.
    let fake = FakeServer::new();
    fake.script(
        0,
        script(vec![Act::ReadLine, send("* BAD Invalid tag\r\n")], 2),
    );
    let steps = vec![raw("overlong-tag", b"NOOP\r\n")];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Timeout { .. }))
    );
    let findings = crate::check::check(&h);
    assert!(
        findings.verdict < crate::check::Verdict::Fail,
        "{findings:#?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_oversize_completion_still_completes_its_command() {
    // hoodiecrow echoes a 65 KB argument in its NO: the framer drops the line, the command
    // is over all the same.
    let fake = FakeServer::new();
    let echo = format!("{{t1}} NO {}\r\n", "A".repeat(70_000));
    fake.script(0, script(vec![Act::ReadLine, send(&echo)], 2));
    let steps = vec![raw("overlong-atom", b"NOOP AAAA\r\n")];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Dropped { .. }))
    );
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Timeout { .. }))
    );
}

#[tokio::test(start_paused = true)]
async fn an_untagged_bad_for_a_phantom_does_not_end_a_command_that_shows_its_tag() {
    // Dovecot: the rest of a bare-LF line is a tagless phantom answered `* BAD Invalid
    // tag` while the next (malformed, but tagged) command is in flight; that one's own
    // completion comes after.
    let fake = FakeServer::new();
    fake.script(
        0,
        script(
            vec![
                Act::ReadLine,
                send("* BAD Error in IMAP tag: Invalid tag\r\n"),
                send("* SEARCH\r\n"),
                send("{t1} OK Search completed\r\n"),
            ],
            2,
        ),
    );
    let steps = vec![raw("deep-nesting", b"SEARCH ((ALL))\r\n")];
    let (summary, h) = run(&fake, "pw1", vec![steps]).await;
    assert_eq!(summary.closed, 1, "{h:#?}");
    let findings = crate::check::check(&h);
    assert!(
        findings.verdict < crate::check::Verdict::Fail,
        "{findings:#?}"
    );
    assert!(findings.violations.is_empty(), "{findings:#?}");
}

#[tokio::test(start_paused = true)]
async fn a_pause_waits_for_the_group_under_way_and_holds_the_next() {
    use std::sync::atomic::Ordering::Relaxed;
    let fake = FakeServer::new();
    let (reading, answer) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let middle = vec![
        Act::ReadLine,
        Act::Signal(Arc::clone(&reading)),
        Act::Wait(Arc::clone(&answer)),
        send("{t1} OK first\r\n"),
        Act::ReadLine,
        send("{t2} OK second\r\n"),
    ];
    fake.script(0, script(middle, 3));
    let rec = Recorder::new(RecordLimits::default());
    let runner = Runner::new(access(&fake, "pw1"), Arc::clone(&rec), 4);
    let rec2 = Arc::clone(&rec);
    let plan = Plan {
        sessions: vec![SessionPlan {
            user: "user1".into(),
            steps: vec![Step::command(CommandBody::Noop); 2],
        }],
    };
    let until = Instant::now() + Duration::from_secs(3600);
    let run = tokio::spawn({
        let runner = runner.clone();
        async move { runner.run_plan(plan, 0, until).await }
    });
    reading.notified().await;
    // The first NOOP is unanswered: the pause cannot begin.
    let pausing = tokio::spawn({
        let runner = runner.clone();
        async move {
            let _paused = runner.pause().await;
            let sent = rec.counters.sent.load(Relaxed);
            tokio::time::sleep(Duration::from_secs(60)).await;
            (sent, rec.counters.sent.load(Relaxed))
        }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!pausing.is_finished());
    answer.notify_one();
    let (before, after) = pausing.await.unwrap();
    assert_eq!(before, after, "nothing is sent while paused");
    let summary = run.await.unwrap();
    assert_eq!(summary.closed, 1, "{summary:?}");
    let h = rec2.finish(Meta::default());
    let second = position(&h, |e| sent_tag(e) == Some("S0.3"));
    let first_done = position(&h, |e| bytes_of(e) == b"S0.2 OK first\r\n");
    assert!(first_done < second);
}
