//! The `live_session` fuzz target: libFuzzer's input, decoded with `arbitrary` into session
//! operations (valid and mutated), is sent to the server named by `IMAPGATE_TARGET` over one
//! logged-in session that lives across inputs (a login per input would cap the rate at the
//! server's login rate), and judged by the same checker as `stress` and `fuzz`, fed live.
//! A finding panics with its description, so libFuzzer saves the input as an artifact.
//!
//! Environment: `IMAPGATE_TARGET` (a recipe name or URL; the server must be running, e.g.
//! `imapgate target start dovecot`), `IMAPGATE_PASSWORD` for URLs, `IMAPGATE_IGNORE` (comma-
//! separated requirement ids already known, e.g. Dovecot's `R3501-6.4.6-I01`),
//! `IMAPGATE_STRICT=1` (SHOULD violations count too).
//!
//! Every input starts by selecting the run's own mailbox (`imapgate-live<pid>`), so its
//! effect does not depend on the previous input; every `RESET_EVERY` inputs the session logs
//! out and a fresh one (new history, new checker, new mailbox) begins.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use arbitrary::Arbitrary;

use crate::check::{Checker, Verdict, Violation};
use crate::generate::mutate::{ALL, Mutation, MutationContext};
use crate::generate::pick::Pick;
use crate::generate::plan::{Action, Step};
use crate::history::EventKind;
use crate::run::connect::Access;
use crate::run::driver::{Driver, Ended};
use crate::run::login::AuthMethod;
use crate::run::probe::probe;
use crate::run::recipe::targets_dir;
use crate::run::recorder::{RecordLimits, Recorder};
use crate::run::runner::Runner;
use crate::run::target::{Config, Selection, resolve};
use crate::run::transport::Timeouts;
use crate::wire::command::{CommandBody, parse_command};

/// Operations per input at most (longer inputs are cut: an input stays a few round trips,
/// which is what the exec rate is made of).
const MAX_OPS: usize = 6;
/// Inputs per session before starting over (bounds the history and the model).
const RESET_EVERY: u64 = 2_000;

/// One operation of the session.
#[derive(Arbitrary, Debug, Clone)]
pub enum Op {
    Valid(ValidOp),
    /// A named mutation (by index into the lane's list) of a valid operation.
    Mutated {
        mutation: u8,
        base: ValidOp,
        seed: u8,
    },
    /// Several valid operations pipelined.
    Pipelined(ValidOp, ValidOp),
}

/// Valid commands on the run's mailbox.
#[derive(Arbitrary, Debug, Clone)]
pub enum ValidOp {
    Noop,
    Check,
    Fetch {
        set: Set,
        items: u8,
        uid: bool,
    },
    Store {
        set: Set,
        keyword: u8,
        add: bool,
        silent: bool,
    },
    Search {
        key: u8,
        uid: bool,
    },
    Append {
        keyword: u8,
        size: u8,
    },
    Expunge,
    Status,
    List,
    Examine,
    Select,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Set {
    One(u8),
    Range(u8, u8),
    All,
    Last,
}

impl Set {
    fn text(self) -> String {
        match self {
            Set::One(n) => format!("{}", u32::from(n).max(1)),
            Set::Range(a, b) => format!("{}:{}", u32::from(a).max(1), u32::from(b).max(1)),
            Set::All => "1:*".into(),
            Set::Last => "*".into(),
        }
    }
}

const FETCH_ITEMS: [&str; 8] = [
    "FLAGS",
    "(UID FLAGS)",
    "ENVELOPE",
    "BODYSTRUCTURE",
    "(INTERNALDATE RFC822.SIZE)",
    "BODY.PEEK[HEADER.FIELDS (SUBJECT)]",
    "BODY.PEEK[1]<0.10>",
    "FAST",
];
const SEARCH_KEYS: [&str; 8] = [
    "ALL",
    "UNSEEN",
    "KEYWORD $live0",
    "LARGER 100",
    "OR SEEN FLAGGED",
    "NOT DELETED",
    "SUBJECT live",
    "SINCE 1-Jan-2020",
];

impl ValidOp {
    /// The command text after the tag; `mailbox` is the run's own.
    fn text(&self, mailbox: &str) -> String {
        let uid = |u: bool| if u { "UID " } else { "" };
        match self {
            ValidOp::Noop => "NOOP".into(),
            ValidOp::Check => "CHECK".into(),
            ValidOp::Fetch { set, items, uid: u } => format!(
                "{}FETCH {} {}",
                uid(*u),
                set.text(),
                FETCH_ITEMS[usize::from(*items) % FETCH_ITEMS.len()]
            ),
            ValidOp::Store {
                set,
                keyword,
                add,
                silent,
            } => format!(
                "STORE {} {}FLAGS{} ($live{} \\Seen)",
                set.text(),
                if *add { "+" } else { "-" },
                if *silent { ".SILENT" } else { "" },
                keyword % 4
            ),
            ValidOp::Search { key, uid: u } => format!(
                "{}SEARCH {}",
                uid(*u),
                SEARCH_KEYS[usize::from(*key) % SEARCH_KEYS.len()]
            ),
            ValidOp::Append { keyword, size } => {
                let body = format!(
                    "Subject: live {keyword}\r\nMessage-ID: <live{}.{keyword}.{size}@imapgate.invalid>\r\n\r\n{}\r\n",
                    std::process::id(),
                    "x".repeat(usize::from(*size))
                );
                format!(
                    "APPEND {mailbox} ($live{}) {{{}+}}\r\n{body}",
                    keyword % 4,
                    body.len()
                )
            }
            ValidOp::Expunge => "EXPUNGE".into(),
            ValidOp::Status => format!("STATUS {mailbox} (MESSAGES UIDNEXT UIDVALIDITY)"),
            ValidOp::List => format!("LIST \"\" {mailbox}"),
            ValidOp::Examine => format!("EXAMINE {mailbox}"),
            ValidOp::Select => format!("SELECT {mailbox}"),
        }
    }
}

/// The session that lives across inputs.
struct Live {
    runtime: tokio::runtime::Runtime,
    access: Access,
    user: String,
    rec: Arc<Recorder>,
    checker: Checker,
    seen: usize,
    driver: Option<Driver>,
    mailbox: String,
    inputs: u64,
    /// Logins so far (a mutation that ends the session costs one): printed with
    /// `IMAPGATE_LIVE_STATS=1` every thousand inputs.
    logins: u64,
    /// The run's mailbox is known to be selected read-write (no SELECT needed first).
    selected: bool,
    generation: u32,
    config: LiveConfig,
    literal_plus: bool,
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
}

impl LiveConfig {
    /// From `IMAPGATE_TARGET`, `IMAPGATE_PASSWORD`, `IMAPGATE_IGNORE`, `IMAPGATE_STRICT`.
    pub fn from_env() -> LiveConfig {
        LiveConfig {
            target: std::env::var("IMAPGATE_TARGET").unwrap_or_else(|_| {
                exit("set IMAPGATE_TARGET (a recipe name such as dovecot, or a URL)")
            }),
            password: std::env::var("IMAPGATE_PASSWORD").ok(),
            ignore: env_list("IMAPGATE_IGNORE"),
            strict: std::env::var("IMAPGATE_STRICT").is_ok_and(|v| v == "1"),
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
    LIVE.with_borrow(|live| live.as_ref().map(|l| (l.inputs, l.logins)))
}

impl Live {
    fn start(config: LiveConfig) -> Live {
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
        let literal_plus = caps.iter().any(|c| c.eq_ignore_ascii_case("LITERAL+"));
        Live {
            runtime,
            rec: Recorder::new(RecordLimits::default()),
            checker: Checker::new(&caps),
            access,
            user: target.user.clone(),
            seen: 0,
            driver: None,
            mailbox: format!("{prefix}imapgate-live{}", std::process::id()),
            inputs: 0,
            logins: 0,
            selected: false,
            generation: 0,
            config,
            literal_plus,
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
            eprintln!(
                "imapgate live_session: {} inputs, {} logins, {} commands",
                self.inputs,
                self.logins,
                self.rec
                    .counters
                    .sent
                    .load(std::sync::atomic::Ordering::Relaxed)
            );
        }
        let steps: Vec<Vec<Step>> = ops.iter().map(|op| self.steps(op)).collect();
        // The next input selects again after an EXAMINE, a mutated SELECT/EXAMINE or a lost
        // connection; otherwise the run's mailbox is still selected (SELECT costs Dovecot
        // about 1.2 ms, a NOOP 40 µs).
        let selected_after = ops.iter().all(keeps_selection);
        let need_select = !self.selected;
        let runtime = &self.runtime;
        let (access, rec, user) = (&self.access, &self.rec, self.user.clone());
        let mailbox = self.mailbox.clone();
        let driver = &mut self.driver;
        let logins = &mut self.logins;
        let ok = runtime.block_on(async {
            if driver.is_none() {
                *driver = open(access, rec, &user, &mailbox).await;
                *logins += 1;
            }
            let Some(d) = driver.as_mut() else {
                return false;
            };
            let mut ok = !need_select || d.run_group(&mut vec![select(&mailbox)]).await.is_ok();
            for mut group in steps {
                if !ok {
                    break;
                }
                ok = d.run_group(&mut group).await.is_ok();
            }
            // A NOOP collects what the server still had to say about this input (a line
            // after a completion, late notifications), so a finding is charged to the input
            // that caused it, not to the next one.
            ok = ok && d.run_group(&mut vec![valid_step("NOOP")]).await.is_ok();
            if !ok {
                *driver = None;
            }
            ok
        });
        self.selected = ok && selected_after;
        self.judge()
    }

    fn steps(&self, op: &Op) -> Vec<Step> {
        let step = |v: &ValidOp| valid_step(&v.text(&self.mailbox));
        match op {
            Op::Valid(v) => vec![step(v)],
            Op::Pipelined(a, b) => {
                let mut first = step(a);
                first.pipelined = true;
                vec![first, step(b)]
            }
            Op::Mutated {
                mutation,
                base,
                seed,
            } => {
                let m = ALL[usize::from(*mutation) % ALL.len()];
                vec![self.mutated(m, base, *seed)]
            }
        }
    }

    fn mutated(&self, m: Mutation, base: &ValidOp, seed: u8) -> Step {
        let body = parse_command(format!("T {}\r\n", base.text(&self.mailbox)).as_bytes())
            .ok()
            .map(|c| c.body);
        let cx = MutationContext {
            literal_plus: self.literal_plus,
            selected: true,
        };
        let mut pick = Pick::new(u64::from(seed), 0);
        let raw = m
            .apply(body.as_ref(), cx, &mut pick)
            .or_else(|| m.apply(None, cx, &mut pick))
            .or_else(|| Mutation::UnknownCommand.apply(None, cx, &mut pick));
        match raw {
            Some(raw) => Step {
                action: Action::Raw(raw),
                pipelined: false,
            },
            None => valid_step("NOOP"),
        }
    }

    /// Feed the new events to the checker; the first new violation that counts.
    fn judge(&mut self) -> Option<Violation> {
        let events = self.rec.drain();
        self.checker.feed(&events);
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
        new.iter()
            .find(|v| {
                let counts = v.verdict == Verdict::Fail
                    || (self.config.strict && v.verdict == Verdict::NonStrict);
                counts && !self.config.ignore.iter().any(|i| i == v.requirement.id)
            })
            .cloned()
    }

    /// Log out and start a fresh session, history and checker on a new mailbox.
    fn reset(&mut self) {
        if let Some(mut d) = self.driver.take() {
            self.runtime.block_on(async {
                let _ = d.run(CommandBody::Logout).await;
            });
            d.record(EventKind::Closed);
        }
        self.generation += 1;
        let prefix = self
            .mailbox
            .split("imapgate-live")
            .next()
            .unwrap_or_default()
            .to_owned();
        self.mailbox = format!(
            "{prefix}imapgate-live{}-{}",
            std::process::id(),
            self.generation
        );
        self.rec = Recorder::new(RecordLimits::default());
        self.selected = false;
        self.checker = Checker::new(&self.access.capabilities);
        self.seen = 0;
    }
}

/// Whether the run's mailbox stays selected read-write after `op`.
fn keeps_selection(op: &Op) -> bool {
    let keeps = |v: &ValidOp| !matches!(v, ValidOp::Examine);
    match op {
        Op::Valid(v) => keeps(v),
        Op::Pipelined(a, b) => keeps(a) && keeps(b),
        // Only a mutated SELECT or EXAMINE can change the selection (one read leniently
        // may select, one that fails deselects).
        Op::Mutated { base, .. } => !matches!(base, ValidOp::Examine | ValidOp::Select),
    }
}

/// Log in and make sure the run's mailbox exists (CREATE of an existing one is a harmless NO).
async fn open(access: &Access, rec: &Arc<Recorder>, user: &str, mailbox: &str) -> Option<Driver> {
    let runner = Runner::new(access.clone(), Arc::clone(rec), 1);
    let mut d = runner.open(0, user).await.ok()?;
    let create = valid_step(&format!("CREATE {mailbox}"));
    match d.run_group(&mut vec![create]).await {
        Ok(()) => Some(d),
        Err(Ended::Harness) => exit("harness error while creating the live mailbox"),
        Err(_) => None,
    }
}

fn select(mailbox: &str) -> Step {
    valid_step(&format!("SELECT {mailbox}"))
}

/// A valid command from its text (built above from fixed, valid pieces).
fn valid_step(text: &str) -> Step {
    let action = match parse_command(format!("T {text}\r\n").as_bytes()) {
        Ok(c) => Action::Command(c.body),
        Err(_) => Action::Command(CommandBody::Noop),
    };
    Step {
        action,
        pipelined: false,
    }
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
fn exit(why: &str) -> ! {
    eprintln!("imapgate live_session: {why}");
    std::process::exit(2)
}
