//! `imapgate stress` end to end against the real Dovecot recipe: commands are sent and
//! completed, and every mailbox the run created is gone afterwards. The test starts the
//! recipe itself; when it cannot, it fails under `CI=true` and skips (with a message) elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use imapgate::history::{EventKind, History};
use imapgate::run::login::{AuthMethod, login};
use imapgate::run::recipe::Recipe;
use imapgate::run::session::Session;
use imapgate::run::target::{Config, Selection, resolve};
use imapgate::run::transport::{Connection, Timeouts};
use imapgate::wire::command::{CommandBody, List, ListMailbox, Mailbox};
use imapgate::wire::frame::FrameLimits;

fn targets_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../targets"))
}

/// The default Dovecot instance: the test drives `imapgate stress --target dovecot` itself,
/// so it uses the recipe's own ports. Stopped again on drop if this test started it.
struct Dovecot {
    recipe: Recipe,
    started_here: bool,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if self.started_here {
            let _ = self.recipe.stop();
        }
    }
}

/// Start Dovecot unless it runs; `None` (after saying why) when it cannot and CI is not set.
fn dovecot() -> Option<Dovecot> {
    let recipe = Recipe::load(&targets_dir(), "dovecot").expect("the dovecot recipe");
    if recipe.running_pid().is_some() {
        return Some(Dovecot {
            recipe,
            started_here: false,
        });
    }
    match recipe.start() {
        Ok(_) => Some(Dovecot {
            recipe,
            started_here: true,
        }),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true and Dovecot cannot start: {e}")
        }
        Err(e) => {
            eprintln!("skipping: Dovecot cannot start here ({e})");
            None
        }
    }
}

#[test]
fn a_short_stress_against_dovecot_runs_and_cleans_up() {
    let Some(_dovecot) = dovecot() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("imapgate-stress-test-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["stress", "--target", "dovecot", "--sessions", "3"])
        .args([
            "--duration",
            "3s",
            "--seed",
            "7",
            "--checkpoint-every",
            "1s",
        ])
        .arg("--report-dir")
        .arg(&dir)
        .env("IMAPGATE_TARGETS", targets_dir())
        .output()
        .expect("imapgate runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 0 (clean) or 1 (findings about Dovecot, once the checker judges); never a harness error.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("every mailbox the run created was removed"),
        "{stdout}"
    );

    let file = std::fs::File::open(dir.join("events.jsonl")).unwrap();
    let history = History::read_jsonl(std::io::BufReader::new(file)).unwrap();
    let count =
        |f: &dyn Fn(&EventKind) -> bool| history.events.iter().filter(|e| f(&e.kind)).count();
    let sent = count(&|k| matches!(k, EventKind::Sent { tag: Some(_), .. }));
    let completed = count(&|k| matches!(k, EventKind::Completed { .. }));
    assert!(
        sent > 50 && completed == sent,
        "sent {sent}, completed {completed}"
    );
    assert_eq!(count(&|k| matches!(k, EventKind::HarnessError { .. })), 0);
    let _ = std::fs::remove_dir_all(&dir);
    checkpoint_sessions_agree(&history);
    checkpoints_ran_while_the_sessions_stood_still(&history, 3);

    let root = root_of(&history);
    assert!(listed(&root).is_empty(), "{root} still has mailboxes");
}

/// The end-of-run checkpoint: two sessions asked the same UID SORT and UID THREAD questions
/// (Dovecot offers SORT and three THREAD algorithms: eight SORT keys and three THREADs) and
/// got the same answers.
fn checkpoint_sessions_agree(history: &History) {
    use std::collections::BTreeMap;
    // Per session: each question over ALL and the first SORT/THREAD line after it.
    let mut answers: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
    let mut asked: BTreeMap<u32, String> = BTreeMap::new();
    for e in &history.events {
        let text =
            |b: &imapgate::history::WireBytes| String::from_utf8_lossy(&b.bytes()).into_owned();
        match &e.kind {
            EventKind::Sent {
                tag: Some(tag),
                bytes,
                ..
            } => {
                let line = text(bytes);
                let question = line
                    .trim_end()
                    .strip_prefix(tag.as_str())
                    .unwrap_or("")
                    .trim();
                if question.starts_with("UID SORT (") || question.starts_with("UID THREAD ") {
                    asked.insert(e.session, question.to_owned());
                }
            }
            EventKind::Received { bytes } => {
                let line = text(bytes);
                if (line.starts_with("* SORT") || line.starts_with("* THREAD"))
                    && let Some(q) = asked.remove(&e.session)
                {
                    answers.entry(e.session).or_default().insert(q, line);
                }
            }
            _ => {}
        }
    }
    let full: Vec<&BTreeMap<String, String>> = answers.values().filter(|a| a.len() >= 11).collect();
    assert!(full.len() >= 2, "no checkpoint: {answers:?}");
    let (a, b) = (full[full.len() - 2], full[full.len() - 1]);
    assert_eq!(a, b);
}

/// Every checkpoint session asked its questions at least twice (once during the run, once at
/// its end), and while it asked (EXAMINE to NOOP) none of the run's `n` sessions sent a thing.
fn checkpoints_ran_while_the_sessions_stood_still(history: &History, n: u32) {
    use std::collections::BTreeMap;
    let mut open: BTreeMap<u32, usize> = BTreeMap::new();
    let mut windows: BTreeMap<u32, Vec<(usize, usize)>> = BTreeMap::new();
    for (i, e) in history.events.iter().enumerate() {
        let EventKind::Sent { command, .. } = &e.kind else {
            continue;
        };
        match command.as_str() {
            "EXAMINE" if e.session >= n => {
                open.insert(e.session, i);
            }
            "NOOP" if e.session >= n => {
                if let Some(from) = open.remove(&e.session) {
                    windows.entry(e.session).or_default().push((from, i));
                }
            }
            _ => {}
        }
    }
    assert_eq!(windows.len(), 2, "{windows:?}");
    for (session, list) in &windows {
        assert!(list.len() >= 2, "session {session}: {list:?}");
        for &(from, to) in list {
            let during = &history.events[from..to];
            let busy = during
                .iter()
                .find(|e| e.session < n && matches!(e.kind, EventKind::Sent { .. }));
            assert!(busy.is_none(), "sent during a checkpoint: {busy:?}");
        }
    }
}

/// The run's root: the first mailbox the setup session created.
fn root_of(history: &History) -> String {
    history
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Sent { command, bytes, .. } if command == "CREATE" => {
                let line = String::from_utf8_lossy(&bytes.bytes()).into_owned();
                line.split_whitespace().nth(2).map(str::to_owned)
            }
            _ => None,
        })
        .expect("a CREATE in the history")
}

/// What LIST shows at or below `root`, seen by a fresh session.
fn listed(root: &str) -> Vec<Vec<u8>> {
    let target = resolve(
        &Selection {
            target: "dovecot".into(),
            ..Selection::default()
        },
        &Config::default(),
        &targets_dir(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let conn = Connection::open(
            &target.endpoint,
            Timeouts::default(),
            FrameLimits::default(),
        )
        .await
        .unwrap();
        let mut session = Session::new(conn, "T");
        session.read_greeting().await.unwrap();
        login(
            &mut session,
            &target.user,
            &target.password,
            AuthMethod::Login,
            &[],
        )
        .await
        .unwrap();
        let list = List {
            selection: Vec::new(),
            reference: Mailbox::new(Vec::new()).unwrap(),
            pattern: ListMailbox::new(format!("{root}*")).unwrap(),
            return_opts: Vec::new(),
        };
        let reply = session.run(CommandBody::List(list)).await.unwrap();
        reply.frames.into_iter().map(|f| f.0).collect()
    })
}
