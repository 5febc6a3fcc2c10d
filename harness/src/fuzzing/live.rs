//! The `live_session` fuzz target: libFuzzer's input, decoded with `arbitrary` into session
//! operations (valid and mutated), is sent to the server named by `IMAPGATE_TARGET` over one
//! logged-in session that lives across inputs (a login per input would cap the rate at the
//! server's login rate), and judged by the same checker as `stress` and `fuzz`, fed live.
//! A finding panics with its description, so libFuzzer saves the input as an artifact.
//!
//! Lanes (`IMAPGATE_LIVE_LANES`, 1–4, default 2) are logged-in connections an input's
//! operations are dealt to in turn; they run concurrently. By default each works in a
//! mailbox of its own, so the server runs them in parallel (against Dovecot two lanes gave
//! about a tenth more inputs per second than one). With `IMAPGATE_LIVE_SHARED=1` they share
//! the run's mailbox, so the checker judges what each session is told of the others' changes
//! (EXISTS, EXPUNGE, FETCH FLAGS), which independent sessions never exercise — slower, as
//! Dovecot's sessions on one mailbox serialise on its index.
//!
//! Environment: `IMAPGATE_TARGET` (a recipe name or URL; the server must be running, e.g.
//! `imapgate target start dovecot`), `IMAPGATE_PASSWORD` for URLs, `IMAPGATE_IGNORE` (comma-
//! separated requirement ids already known, e.g. Dovecot's `R3501-6.4.6-I01`),
//! `IMAPGATE_STRICT=1` (SHOULD violations count too).
//!
//! Inputs work in the run's own mailboxes (`imapgate-live<pid>`, `…-lane1` …), selected again
//! at the end of an input that may have left them; every `RESET_EVERY` inputs the sessions
//! log out and fresh ones (new history, new checker, new mailboxes) begin. Operations are
//! pipelined where RFC 3501 §5.5 allows (`live_ops`) and the next session logs in ahead of
//! need (`live_conn`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use arbitrary::Arbitrary as _;

use super::live_conn::Conn;
use super::live_groups::{Mutating, groups};
use super::live_ops::Group;
pub use super::live_ops::{Op, Set, ValidOp};

use crate::check::{Checker, Verdict, Violation};
use crate::generate::mutate::{Mutation, MutationContext};
use crate::history::{Event, History, Meta, SessionId};
use crate::run::connect::Access;
use crate::run::login::AuthMethod;
use crate::run::probe::probe;
use crate::run::recipe::targets_dir;
use crate::run::recorder::{RecordLimits, Recorder};
use crate::run::target::{Config, Selection, resolve};
use crate::run::transport::Timeouts;

/// Operations per input at most (longer inputs are cut: an input stays a few round trips,
/// which is what the exec rate is made of).
const MAX_OPS: usize = 6;
/// Inputs per session before starting over (bounds the history and the model).
const RESET_EVERY: u64 = 2_000;
/// Connections working concurrently at most (lane n uses session ids 2n and 2n+1).
const MAX_LANES: usize = 4;
/// Lanes unless `IMAPGATE_LIVE_LANES` says otherwise.
const DEFAULT_LANES: usize = 2;

/// The session that lives across inputs.
struct Live {
    runtime: tokio::runtime::Runtime,
    lanes: Vec<Conn>,
    checker: Checker,
    seen: usize,
    inputs: u64,
    /// Sessions ended, by what ended them and how (printed with `IMAPGATE_LIVE_STATS=1`
    /// every thousand inputs, with the logins: a mutation that ends the session costs one).
    ends: BTreeMap<String, u64>,
    generation: u32,
    /// The server's personal namespace prefix, which the run's mailbox names begin with.
    prefix: String,
    config: LiveConfig,
    /// What the mutations may assume (the server's literal capabilities; always selected)
    /// and which are drawn.
    mutating: Mutating,
    capabilities: Vec<String>,
    /// With `IMAPGATE_LIVE_HISTORY`: this session's events so far, written there as
    /// `events.jsonl` (readable by `recheck` and `report`) when an input finds something.
    kept: Option<Vec<Event>>,
}

thread_local! {
    /// libFuzzer runs inputs on one thread; the session lives as long as it does.
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
}

/// What the live target runs against and what counts as a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveConfig {
    /// A recipe name or a URL (`imap://user@127.0.0.1:11143`).
    pub target: String,
    /// For URLs (recipes know theirs).
    pub password: Option<String>,
    /// Requirement ids not to report (known deviations of the server).
    pub ignore: Vec<String>,
    /// SHOULD violations count too.
    pub strict: bool,
    /// Connections sharing each input's operations, concurrently (1 to [`MAX_LANES`]).
    pub lanes: usize,
    /// The lanes work in one mailbox (each is told of the other's changes) rather than in
    /// one each (independent, so the server runs them in parallel).
    pub shared: bool,
    /// Mutations not drawn (by name): those whose finding on this server is known.
    pub skip: Vec<String>,
}

impl LiveConfig {
    /// From `IMAPGATE_TARGET`, `IMAPGATE_PASSWORD`, `IMAPGATE_IGNORE`, `IMAPGATE_STRICT`,
    /// `IMAPGATE_LIVE_LANES`, `IMAPGATE_LIVE_SHARED`, `IMAPGATE_SKIP_MUTATION`.
    pub fn from_env() -> LiveConfig {
        LiveConfig {
            target: std::env::var("IMAPGATE_TARGET").unwrap_or_else(|_| {
                exit("set IMAPGATE_TARGET (a recipe name such as dovecot, or a URL)")
            }),
            password: std::env::var("IMAPGATE_PASSWORD").ok(),
            ignore: env_list("IMAPGATE_IGNORE"),
            strict: std::env::var("IMAPGATE_STRICT").is_ok_and(|v| v == "1"),
            lanes: (std::env::var("IMAPGATE_LIVE_LANES").ok())
                .and_then(|n| n.parse().ok())
                .unwrap_or(DEFAULT_LANES),
            shared: std::env::var("IMAPGATE_LIVE_SHARED").is_ok_and(|v| v == "1"),
            skip: env_list("IMAPGATE_SKIP_MUTATION"),
        }
    }
}

/// The fuzz target: one input against the live session; panic on a finding.
pub fn live_session(data: &[u8]) {
    let Ok(ops) = Vec::<Op>::arbitrary(&mut arbitrary::Unstructured::new(data)) else {
        return;
    };
    let config = CONFIG.with(|c| c.get_or_init(LiveConfig::from_env).clone());
    if let Some(finding) = run_ops(&config, &ops) {
        panic!("{finding}");
    }
}

thread_local! {
    static CONFIG: std::cell::OnceCell<LiveConfig> = const { std::cell::OnceCell::new() };
}

/// Run `ops` (at most [`MAX_OPS`]) on this thread's live session for `config` (started on
/// first use); the finding they caused, described, if any.
pub fn run_ops(config: &LiveConfig, ops: &[Op]) -> Option<String> {
    let found = LIVE.with_borrow_mut(|live| {
        if live.as_ref().is_none_or(|l| l.config != *config) {
            *live = Some(Live::start(config.clone()));
        }
        live.as_mut()?.run(&ops[..ops.len().min(MAX_OPS)])
    })?;
    Some(format!(
        "imapgate finding {} ({}, {:?}): expected {}; observed {}",
        found.requirement.id, found.detector, found.verdict, found.expected, found.observed
    ))
}

/// Inputs run and logins made by this thread's live session (for tests and statistics).
pub fn live_stats() -> Option<(u64, u64)> {
    LIVE.with_borrow(|live| live.as_ref().map(|l| (l.inputs, l.logins())))
}

impl Live {
    fn start(config: LiveConfig) -> Live {
        // libFuzzer's own thread drives the sessions: with a worker thread, every response
        // woke the worker and then this thread, two context switches per round trip (a tenth
        // of the exec rate). The spare session logs in during the round trips, which are most
        // of an input's time.
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => exit(&format!("cannot start the async runtime: {e}")),
        };
        let name = config.target.clone();
        let sel = Selection {
            target: name.clone(),
            security: None,
            ca_file: None,
            password_env: config.password.clone(),
            user: None,
        };
        let target = resolve(&sel, &Config::default(), &targets_dir())
            .unwrap_or_else(|e| exit(&format!("{name}: {e}")));
        let timeouts = Timeouts::uniform(Duration::from_secs(10));
        let report = runtime.block_on(probe(&target, AuthMethod::Auto, timeouts));
        if report.login.as_ref().is_none_or(|l| l.status != "OK") {
            exit(&format!(
                "{name} is not reachable or refused the login (start it: imapgate target start {name})"
            ));
        }
        let caps = report.capabilities_post_auth.clone();
        let access = Access::to_target(&target, AuthMethod::Auto, caps.clone(), timeouts);
        let prefix = report.namespace_prefix.clone().unwrap_or_default();
        let has = |name: &str| caps.iter().any(|c| c.eq_ignore_ascii_case(name));
        let mutating = Mutating {
            cx: MutationContext {
                literal_plus: has("LITERAL+"),
                literal_minus: has("LITERAL-"),
                selected: true,
            },
            mutations: drawn(&config.skip),
        };
        let rec = Recorder::new(RecordLimits::default());
        let lanes = (0..config.lanes.clamp(1, MAX_LANES))
            .map(|lane| {
                let first_id = SessionId::try_from(2 * lane).unwrap_or_default();
                let (access, rec) = (access.clone(), Arc::clone(&rec));
                let mailbox = lane_mailbox(&prefix, &config, lane, 0);
                Conn::new(access, rec, target.user.clone(), mailbox, first_id)
            })
            .collect();
        Live {
            runtime,
            lanes,
            checker: Checker::new(&caps),
            seen: 0,
            inputs: 0,
            ends: BTreeMap::new(),
            generation: 0,
            prefix,
            config,
            mutating,
            capabilities: caps,
            kept: history_dir().map(|_| Vec::new()),
        }
    }

    /// One input: (re)connect if needed, select the run's mailbox, the operations; then the
    /// checker reads the new events. The first violation that counts is returned.
    fn run(&mut self, ops: &[Op]) -> Option<Violation> {
        self.inputs += 1;
        if self.inputs.is_multiple_of(RESET_EVERY) {
            self.reset();
        }
        if self.inputs.is_multiple_of(1000) && std::env::var_os("IMAPGATE_LIVE_STATS").is_some() {
            self.print_stats();
        }
        let lanes = self.lanes.len();
        let work: Vec<Option<Vec<Group>>> = (0..lanes)
            .map(|lane| {
                let mine: Vec<Op> = ops.iter().skip(lane).step_by(lanes).cloned().collect();
                self.lane_work(lane, &mine)
            })
            .collect();
        let rec = Arc::clone(self.lanes.first()?.recorder());
        let Live {
            runtime,
            lanes,
            checker,
            kept,
            ..
        } = self;
        // The checker follows the sessions: what they recorded is judged while they wait for
        // the server (one thread; judging after the round trips made them serial).
        let ended = runtime.block_on(async {
            let mut running = run_lanes(lanes, work);
            loop {
                tokio::select! {
                    biased;
                    ended = &mut running => break ended,
                    () = rec.recorded() => follow(checker, kept, rec.drain()),
                }
            }
        });
        for how in ended.into_iter().flatten() {
            *self.ends.entry(how).or_default() += 1;
        }
        self.judge()
    }

    /// What `lane` sends for its share `ops` of an input (nothing when the share is empty).
    fn lane_work(&self, lane: usize, ops: &[Op]) -> Option<Vec<Group>> {
        let mailbox = self.lanes.get(lane)?.mailbox();
        let alone = self.lanes.len() == 1 || !self.config.shared;
        (!ops.is_empty()).then(|| groups(ops, mailbox, &self.mutating, alone))
    }

    /// Feed the new events to the checker; the first new violation that counts.
    fn judge(&mut self) -> Option<Violation> {
        let events = self.lanes.first().map(|l| l.recorder().drain())?;
        follow(&mut self.checker, &mut self.kept, events);
        let new = self.checker.violations_since(self.seen);
        self.seen += new.len();
        if std::env::var_os("IMAPGATE_LIVE_STATS").is_some() {
            for v in new {
                eprintln!(
                    "imapgate live_session: {:?} {} {}",
                    v.verdict, v.requirement.id, v.observed
                );
            }
        }
        let found = new
            .iter()
            .find(|v| {
                let counts = v.verdict == Verdict::Fail
                    || (self.config.strict && v.verdict == Verdict::NonStrict);
                counts && !self.config.ignore.iter().any(|i| i == v.requirement.id)
            })
            .cloned();
        if found.is_some() {
            self.write_history();
        }
        found
    }

    /// The session's history so far into `events.jsonl` in this process's [`history_dir`].
    fn write_history(&self) {
        let (Some(events), Some(dir)) = (&self.kept, history_dir()) else {
            return;
        };
        let history = History {
            meta: Meta {
                target: self.config.target.clone(),
                seed: None,
                sessions: 2 * self.lanes.len() as u32,
                capabilities: self.capabilities.clone(),
                push_bound_ms: None,
            },
            events: events.clone(),
        };
        let path = dir.join("events.jsonl");
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::File::create(&path))
            .and_then(|f| history.write_jsonl(&mut std::io::BufWriter::new(f)));
        match written {
            Ok(()) => eprintln!("imapgate live_session: history in {}", path.display()),
            Err(e) => eprintln!(
                "imapgate live_session: cannot write {}: {e}",
                path.display()
            ),
        }
    }

    /// Log out and start a fresh session, history and checker on a new mailbox.
    fn reset(&mut self) {
        self.generation += 1;
        let rec = Recorder::new(RecordLimits::default());
        // A lane deletes its own mailbox; a shared one the last lane to restart, when the
        // others have closed it.
        for (lane, conn) in self.lanes.iter_mut().enumerate().rev() {
            let mailbox = lane_mailbox(&self.prefix, &self.config, lane, self.generation);
            let delete = lane == 0 || !self.config.shared;
            let restart = conn.restart(Arc::clone(&rec), mailbox, delete);
            self.runtime.block_on(restart);
        }
        self.checker = Checker::new(&self.capabilities);
        self.seen = 0;
        if let Some(kept) = &mut self.kept {
            kept.clear();
        }
    }

    fn print_stats(&self) {
        let sent =
            (self.lanes.first()).map_or(0, |l| l.recorder().counters.sent.load(Ordering::Relaxed));
        eprintln!(
            "imapgate live_session: {} inputs, {} logins, {sent} commands; sessions ended by {:?}",
            self.inputs,
            self.logins(),
            self.ends
        );
        let mut spent: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for (name, (n, us)) in self.lanes.iter().flat_map(|l| l.spent.iter()) {
            let total = spent.entry(name).or_default();
            total.0 += n;
            total.1 += us;
        }
        let spent: Vec<String> = (spent.iter())
            .map(|(name, (n, us))| format!("{name} {n}× {} µs", us / n.max(&1)))
            .collect();
        eprintln!("imapgate live_session: round trips: {}", spent.join(", "));
    }
}

impl Live {
    /// Sessions taken into use by all lanes.
    fn logins(&self) -> u64 {
        self.lanes.iter().map(|l| l.logins).sum()
    }
}

/// Feed `events` to the checker (and keep them, when the history is kept).
fn follow(checker: &mut Checker, kept: &mut Option<Vec<Event>>, events: Vec<Event>) {
    checker.feed(&events);
    if let Some(kept) = kept {
        kept.extend(events);
    }
}

/// The mailbox `lane` works in during `generation` (the run's first is 0): the process's own,
/// per lane unless the lanes share one.
fn lane_mailbox(prefix: &str, config: &LiveConfig, lane: usize, generation: u32) -> String {
    let mut name = format!("{prefix}imapgate-live{}", std::process::id());
    if generation > 0 {
        name += &format!("-{generation}");
    }
    if lane > 0 && !config.shared {
        name += &format!("-lane{lane}");
    }
    name
}

/// Run the lanes' work concurrently; per lane, how its session ended, if it did. (A
/// recursive join: the lanes are borrowed, so they cannot be spawned as tasks.)
fn run_lanes(
    lanes: &mut [Conn],
    mut work: Vec<Option<Vec<Group>>>,
) -> std::pin::Pin<Box<dyn Future<Output = Vec<Option<String>>> + '_>> {
    Box::pin(async move {
        let Some((first, rest)) = lanes.split_first_mut() else {
            return Vec::new();
        };
        let mine = if work.is_empty() {
            None
        } else {
            work.remove(0)
        };
        let (ended, mut others) = tokio::join!(run_lane(first, mine), run_lanes(rest, work));
        others.insert(0, ended);
        others
    })
}

async fn run_lane(conn: &mut Conn, groups: Option<Vec<Group>>) -> Option<String> {
    conn.run(groups?).await
}

/// Every mutation but those named in `skip`; a name that is none, or skipping them all, is
/// a setup problem.
fn drawn(skip: &[String]) -> Vec<Mutation> {
    let skipped: Vec<Mutation> = (skip.iter().map(|n| Mutation::parse(n)))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| exit(&format!("IMAPGATE_SKIP_MUTATION: {e}")));
    let left = Mutation::all_but(&skipped);
    if left.is_empty() {
        exit("IMAPGATE_SKIP_MUTATION skips every mutation");
    }
    left
}

/// Where a finding's history goes, with `IMAPGATE_LIVE_HISTORY=DIR` (empty: not kept):
/// `DIR/live-<pid>`, so the jobs of `-jobs=N`, each a process of its own, keep theirs apart.
fn history_dir() -> Option<std::path::PathBuf> {
    history_dir_for(
        std::env::var_os("IMAPGATE_LIVE_HISTORY"),
        std::process::id(),
    )
}

fn history_dir_for(var: Option<std::ffi::OsString>, pid: u32) -> Option<std::path::PathBuf> {
    let dir = var.filter(|d| !d.is_empty())?;
    Some(std::path::Path::new(&dir).join(format!("live-{pid}")))
}

fn env_list(name: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A setup problem is no finding: say what to do and stop the fuzzer (not a crash artifact).
pub(super) fn exit(why: &str) -> ! {
    eprintln!("imapgate live_session: {why}");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_process_keeps_its_history_apart_and_an_empty_dir_keeps_none() {
        let dir = |v: &str| history_dir_for(Some(v.into()), 41);
        assert_eq!(dir("h"), Some(std::path::PathBuf::from("h/live-41")));
        assert_ne!(dir("h"), history_dir_for(Some("h".into()), 42));
        assert_eq!(dir(""), None);
        assert_eq!(history_dir_for(None, 41), None);
    }
}
