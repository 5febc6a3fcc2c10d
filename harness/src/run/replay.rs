//! Reproducers: the steps that led to a finding, cut out of a fuzzing or stress history,
//! replayed one group at a time in their recorded order against a fresh workspace, and
//! shrunk (fewer steps, fewer sessions) while the same finding still appears.
//!
//! A reproducer is a JSON file (`*.repro.json`, format below) plus the transcript of its
//! last replay; `imapgate replay FILE --target T` re-runs it and says whether it still
//! reproduces. Valid commands are stored as their bytes and parsed back on replay, so their
//! synchronising literals wait for `+` as they did; mutated ones are sent byte for byte.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::connect::Access;
use super::driver::{Driver, Ended};
use super::recorder::{RecordLimits, Recorder};
pub use super::replay_race::fewer_sessions;
use super::runner::Runner;
use super::workspace::{Helpers, WorkspaceError, cleanup, setup};
use crate::check::{Findings, Verdict, Violation, check};
use crate::generate::layout::Layout;
use crate::generate::mutate::Mutation;
use crate::generate::plan::{Action, RawCommand, Step};
use crate::history::{EventKind, History, Meta, SessionId, WireBytes};
use crate::wire::command::{CommandBody, parse_command};

/// Version of the file format.
pub const FORMAT: u32 = 1;

/// What a reproducer must show again: a violation of this requirement by this detector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingKey {
    pub requirement: String,
    pub detector: String,
    /// The original observation, for people (not compared).
    pub observed: String,
}

/// Where the replay works: the same root mailbox name as the original run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSpec {
    pub prefix: String,
    pub delimiter: Option<String>,
    pub run_id: String,
    pub shared: usize,
}

/// One command of a session, in global order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayStep {
    pub session: u32,
    /// Log in again before this step (the server had ended the session).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reconnect: bool,
    /// The bytes after `<tag> SP`: escaped text (`\r\n`, `\x00`, …), or a megabyte of one
    /// repeated word as `{head, unit, times, tail}` (the history's compact form).
    pub bytes: WireBytes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutation: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tag_suffix: String,
    /// Sent without waiting for its completion (pipelined with the session's next step).
    #[serde(default, skip_serializing_if = "is_false")]
    pub pipelined: bool,
    /// An IDLE step: how long it listened before `DONE` (milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_ms: Option<u32>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A replayable reproducer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reproducer {
    pub format: u32,
    pub target: String,
    pub finding: FindingKey,
    pub workspace: WorkspaceSpec,
    /// The user of each session, by session number.
    pub users: Vec<String>,
    pub steps: Vec<ReplayStep>,
    /// The sessions run at once, each its own steps in order (a race between them, see
    /// `replay_race.rs`), instead of one group at a time in the recorded order.
    #[serde(default, skip_serializing_if = "is_false")]
    pub concurrent: bool,
    /// The bound on a push to an idling session the original run judged by (stress and
    /// fuzz derive it from the recipe), so a replay judges the same: a late push within the
    /// replay's default would not show again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_bound_ms: Option<u64>,
    /// The run's response timeout in seconds (`--timeout`), which `replay` waits by
    /// default: a server's silence then costs a replay what it cost the run (Courier never
    /// answers a huge literal claim; goimap loses completions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("the workspace could not be prepared: {0}")]
    Workspace(String),
    #[error("a step cannot be replayed: {0}")]
    Step(String),
    #[error("harness error during the replay (see the transcript)")]
    Harness,
    #[error("the replay took longer than {0:?}")]
    TooSlow(Duration),
}

impl Reproducer {
    /// Cut the reproducer of `v` out of `history`: the steps of the sessions it involves
    /// (every plan session with `all_sessions`, for findings whose cause is in a session the
    /// evidence does not name, such as another session's EXPUNGE), up to the event that
    /// showed it. `plan_sessions` are the plan's sessions (setup, clean-up and monitor
    /// sessions come after them and are left out).
    pub fn from_history(
        history: &History,
        v: &Violation,
        plan_sessions: u32,
        workspace: WorkspaceSpec,
        users: &[String],
        all_sessions: bool,
    ) -> Reproducer {
        Self::cut(history, v, plan_sessions, workspace, users, all_sessions)
    }

    fn cut(
        history: &History,
        v: &Violation,
        plan_sessions: u32,
        workspace: WorkspaceSpec,
        users: &[String],
        all: bool,
    ) -> Reproducer {
        let mut sessions: HashSet<SessionId> = HashSet::from([v.session]);
        let at: HashMap<u64, SessionId> = history
            .events
            .iter()
            .map(|e| (e.index, e.session))
            .collect();
        sessions.extend(v.evidence.iter().filter_map(|i| at.get(i)));
        // A finding of the monitor (or of a session lost to a crash) is about what the
        // others were doing: take every plan session.
        if all || v.session >= plan_sessions {
            sessions.extend(0..plan_sessions);
        }
        sessions.retain(|s| *s < plan_sessions);
        let steps = extract(history, &sessions, v.event);
        let (steps, users) = renumber(steps, users);
        Reproducer {
            format: FORMAT,
            target: history.meta.target.clone(),
            finding: FindingKey {
                requirement: v.requirement.id.to_owned(),
                detector: v.detector.to_owned(),
                observed: v.observed.clone(),
            },
            workspace,
            users,
            steps,
            concurrent: false,
            push_bound_ms: history.meta.push_bound_ms,
            timeout_s: None,
        }
    }

    /// Whether `findings` show this reproducer's finding again.
    pub fn shows(&self, findings: &Findings) -> bool {
        findings.violations.iter().any(|v| {
            v.requirement.id == self.finding.requirement
                && v.detector == self.finding.detector
                && matches!(v.verdict, Verdict::Fail | Verdict::NonStrict)
        })
    }

    pub(super) fn layout(&self) -> Layout {
        let w = &self.workspace;
        let delimiter = w.delimiter.as_deref().and_then(|d| d.bytes().next());
        Layout::new(w.prefix.as_bytes(), delimiter, &w.run_id, w.shared.max(1))
    }

    /// What a replay's history says about itself.
    pub(super) fn meta(&self, access: &Access) -> Meta {
        Meta {
            target: self.target.clone(),
            seed: None,
            sessions: self.sessions(),
            capabilities: access.capabilities.clone(),
            push_bound_ms: self.push_bound_ms,
        }
    }

    pub(super) fn sessions(&self) -> u32 {
        u32::try_from(self.users.len()).unwrap_or(u32::MAX)
    }
}

/// Per session while extracting: whether it is still logging in, its last kept step.
#[derive(Default)]
struct Cut {
    connected: bool,
    logging_in: bool,
    reconnect_next: bool,
    last: Option<usize>,
    open_tag: Option<String>,
    /// When the open command was sent (for an IDLE's listening time).
    open_at_us: u64,
}

/// The commands of `sessions` up to event `until`, logins left out.
fn extract(history: &History, sessions: &HashSet<SessionId>, until: u64) -> Vec<ReplayStep> {
    let mut steps: Vec<ReplayStep> = Vec::new();
    let mut cuts: HashMap<SessionId, Cut> = HashMap::new();
    for e in history.events.iter().take_while(|e| e.index <= until) {
        if !sessions.contains(&e.session) {
            continue;
        }
        let cut = cuts.entry(e.session).or_default();
        match &e.kind {
            EventKind::Connected { .. } => {
                cut.reconnect_next = cut.connected;
                cut.connected = true;
                cut.logging_in = true;
            }
            EventKind::Sent {
                tag: Some(tag),
                command,
                bytes,
                mutation,
            } => {
                if cut.logging_in && mutation.is_none() && is_login(command) {
                    cut.open_tag = None;
                    continue;
                }
                cut.logging_in = false;
                if let (Some(last), Some(_)) = (cut.last, &cut.open_tag) {
                    steps[last].pipelined = true;
                }
                let Some(step) = step_of(e.session, tag, &bytes.bytes(), mutation) else {
                    continue;
                };
                steps.push(ReplayStep {
                    reconnect: std::mem::take(&mut cut.reconnect_next),
                    ..step
                });
                cut.last = Some(steps.len() - 1);
                cut.open_tag = Some(tag.clone());
                cut.open_at_us = e.at_us;
            }
            EventKind::Sent {
                tag: None, command, ..
            } if command == "IDLE" => {
                if let (Some(last), Some(_)) = (cut.last, &cut.open_tag) {
                    let held = e.at_us.saturating_sub(cut.open_at_us) / 1000;
                    steps[last].idle_ms = Some(u32::try_from(held).unwrap_or(u32::MAX));
                }
            }
            EventKind::Sent {
                tag: None, bytes, ..
            } => {
                if let (Some(last), Some(_)) = (cut.last, &cut.open_tag) {
                    let mut all = std::mem::take(&mut steps[last].bytes).into_vec();
                    all.extend_from_slice(&bytes.bytes());
                    steps[last].bytes = WireBytes::new(all);
                }
            }
            EventKind::Completed { tag } if cut.open_tag.as_deref() == Some(tag) => {
                cut.open_tag = None;
            }
            EventKind::Received { bytes } if completes(&bytes.bytes(), cut.open_tag.as_deref()) => {
                cut.open_tag = None;
            }
            _ => {}
        }
    }
    steps
}

/// A tagged completion of `tag` (histories without `Completed` events: the text form).
fn completes(frame: &[u8], tag: Option<&str>) -> bool {
    tag.is_some_and(|t| frame.starts_with(t.as_bytes()) && frame.get(t.len()) == Some(&b' '))
}

/// The recorder names commands (`LOGIN`); the text form of tests gives the whole line.
fn is_login(command: &str) -> bool {
    let word = command.split(' ').next().unwrap_or_default();
    ["LOGIN", "AUTHENTICATE", "STARTTLS"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// A step from a `Sent` event: the bytes after `<tag> SP`, the tag's suffix after the
/// harness's `S<session>.<n>`.
fn step_of(
    session: SessionId,
    tag: &str,
    bytes: &[u8],
    mutation: &Option<String>,
) -> Option<ReplayStep> {
    let body = bytes.strip_prefix(tag.as_bytes())?.strip_prefix(b" ")?;
    let counter = tag.strip_prefix(&format!("S{session}."))?;
    let suffix = counter.trim_start_matches(|c: char| c.is_ascii_digit());
    Some(ReplayStep {
        session,
        reconnect: false,
        bytes: WireBytes::new(body.to_vec()),
        mutation: mutation.clone(),
        tag_suffix: suffix.to_owned(),
        pipelined: false,
        idle_ms: None,
    })
}

/// Number the kept sessions 0.. in order of first appearance.
pub(super) fn renumber(
    mut steps: Vec<ReplayStep>,
    users: &[String],
) -> (Vec<ReplayStep>, Vec<String>) {
    let mut map: HashMap<u32, u32> = HashMap::new();
    let mut kept_users = Vec::new();
    for step in &mut steps {
        let next = u32::try_from(map.len()).unwrap_or(u32::MAX);
        let new = *map.entry(step.session).or_insert_with(|| {
            let user = users
                .get(step.session as usize % users.len().max(1))
                .cloned()
                .unwrap_or_default();
            kept_users.push(user);
            next
        });
        step.session = new;
    }
    (steps, kept_users)
}

/// The typed step a replay sends.
pub(super) fn to_step(s: &ReplayStep) -> Result<Step, ReplayError> {
    let bytes = s.bytes.clone().into_vec();
    let action = match (&s.mutation, s.idle_ms) {
        (None, Some(hold_ms)) => Action::Idle { hold_ms },
        (None, None) if s.tag_suffix.is_empty() => {
            match parse_command(&[b"T ", &bytes[..]].concat()) {
                Ok(c) => Action::Command(c.body),
                Err(_) => Action::Raw(raw(bytes, "replayed-unparsed", s)),
            }
        }
        (None, None) => Action::Raw(raw(bytes, "replayed", s)),
        (Some(m), _) => Action::Raw(raw(bytes, m, s)),
    };
    Ok(Step {
        action,
        pipelined: s.pipelined,
    })
}

fn raw(bytes: Vec<u8>, mutation: &str, s: &ReplayStep) -> RawCommand {
    let mut raw = RawCommand::new(mutation, bytes);
    raw.tag_suffix = s.tag_suffix.clone();
    raw.close_on_continuation = Mutation::from_name(mutation).is_some_and(|m| {
        m == Mutation::HugeLiteralClaim
            || (m == Mutation::WrongState && raw.bytes.starts_with(b"AUTHENTICATE"))
    });
    raw
}

/// The limit of a replay a person asked for: its steps are bounded by the response
/// timeout each, and a day bounds the whole.
pub const NO_LIMIT: Duration = Duration::from_secs(24 * 3600);

/// Replay `repro` once against the target `access` reaches; the history of the replay.
/// The sessions' work may take `limit`; preparing and tidying the workspace are not
/// counted (Courier takes two seconds a DELETE or RENAME, so tidying a run's mailboxes
/// alone could spend a minute) and stay bounded by the response timeout per command.
pub async fn replay(
    access: &Access,
    repro: &Reproducer,
    limit: Duration,
) -> Result<History, ReplayError> {
    if repro.concurrent {
        return super::replay_race::replay_concurrent(access, repro, limit).await;
    }
    let rec = Recorder::new(RecordLimits::default());
    let runner = Runner::new(access.clone(), std::sync::Arc::clone(&rec), 1);
    let layout = repro.layout();
    let n = repro.sessions();
    let admin = repro.users.first().cloned().unwrap_or_default();
    prepare(&runner, n, &admin, &layout).await?;
    let mut drivers: Vec<Option<Driver>> = (0..n).map(|_| None).collect();
    let steps = run_in_order(&runner, repro, &mut drivers);
    let outcome = tokio::time::timeout(limit, steps).await;
    // Sessions cut off by the limit are dropped mid-command; the tidy-up logs in afresh.
    drop(drivers);
    let _ = tidy(&runner, n + 1, &admin, &layout).await;
    match outcome {
        Err(_) => Err(ReplayError::TooSlow(limit)),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => Ok(rec.finish(repro.meta(access))),
    }
}

/// The steps in their recorded order, each session on its own connection; then every
/// session collects what it was still owed and logs out.
async fn run_in_order(
    runner: &Runner,
    repro: &Reproducer,
    drivers: &mut [Option<Driver>],
) -> Result<(), ReplayError> {
    let mut groups: Vec<Vec<Step>> = drivers.iter().map(|_| Vec::new()).collect();
    for s in &repro.steps {
        let at = s.session as usize;
        if at >= drivers.len() {
            return Err(ReplayError::Step(format!(
                "session {} has no user",
                s.session
            )));
        }
        if s.reconnect
            && let Some(old) = drivers[at].take()
        {
            old.record(EventKind::Closed);
        }
        groups[at].push(to_step(s)?);
        if !s.pipelined {
            run_group(
                runner,
                &mut drivers[at],
                s.session,
                &repro.users[at],
                &mut groups[at],
            )
            .await?;
        }
    }
    // A group left open (its session's later steps were shrunk away) still runs.
    for (at, group) in groups.iter_mut().enumerate() {
        if !group.is_empty() {
            let id = u32::try_from(at).unwrap_or(u32::MAX);
            run_group(runner, &mut drivers[at], id, &repro.users[at], group).await?;
        }
    }
    for d in drivers.iter_mut() {
        let Some(mut d) = d.take() else { continue };
        // A NOOP first collects what the server still owed (pending EXPUNGEs decide
        // whether a held STORE finding stands).
        let _ = d.run(CommandBody::Noop).await;
        let _ = d.run(CommandBody::Logout).await;
        d.record(EventKind::Closed);
    }
    Ok(())
}

/// Run one group on the session's connection, logging in first if needed; a session the
/// server ends is dropped (the next step logs in again).
async fn run_group(
    runner: &Runner,
    driver: &mut Option<Driver>,
    id: SessionId,
    user: &str,
    group: &mut Vec<Step>,
) -> Result<(), ReplayError> {
    if driver.is_none() {
        match runner.open(id, user).await {
            Ok(d) => *driver = Some(d),
            Err(Ended::Harness) => return Err(ReplayError::Harness),
            Err(_) => {
                group.clear();
                return Ok(());
            }
        }
    }
    let Some(d) = driver.as_mut() else {
        return Ok(());
    };
    match d.run_group(group).await {
        Ok(()) => Ok(()),
        Err(Ended::Harness) => Err(ReplayError::Harness),
        Err(_) => {
            *driver = None;
            Ok(())
        }
    }
}

/// A fresh workspace under the original root name (left-overs of an earlier replay removed).
pub(super) async fn prepare(
    runner: &Runner,
    id: SessionId,
    user: &str,
    layout: &Layout,
) -> Result<(), ReplayError> {
    let fail = |e: String| ReplayError::Workspace(e);
    let mut d = runner
        .open(id, user)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let mut done = setup(&mut d, layout).await;
    if let Err(WorkspaceError::Exists(_)) = done {
        cleanup(&mut d, layout, None)
            .await
            .map_err(|e| fail(e.to_string()))?;
        done = setup(&mut d, layout).await;
    }
    let _ = d.run(CommandBody::Logout).await;
    d.record(EventKind::Closed);
    done.map_err(|e| fail(e.to_string()))
}

pub(super) async fn tidy(
    runner: &Runner,
    id: SessionId,
    user: &str,
    layout: &Layout,
) -> Result<(), Ended> {
    let mut d = runner.open(id, user).await?;
    let helpers = Helpers {
        runner,
        first: id + 1,
        user,
    };
    let _ = cleanup(&mut d, layout, Some(helpers)).await;
    let _ = d.run(CommandBody::Logout).await;
    d.record(EventKind::Closed);
    Ok(())
}

/// Replay and check within `limit` (a slow server answering each of hundreds of steps
/// late must not hold a run for hours): the replay's history and whether the finding
/// showed again.
pub async fn reproduces(
    access: &Access,
    repro: &Reproducer,
    limit: Duration,
) -> Result<(bool, History), ReplayError> {
    let history = replay(access, repro, limit).await?;
    let shown = repro.shows(&check(&history));
    Ok((shown, history))
}

/// Replay `repro` up to `tries` times (at least once), each bounded by what is left until
/// `deadline`; the history of the first replay that shows its finding, and the replays
/// made. A finding that hangs on timing shows on some replays only, so a cut judged on one
/// try may be dropped though it still carries the finding.
pub async fn shows_in(
    access: &Access,
    repro: &Reproducer,
    deadline: Instant,
    tries: u32,
) -> (Option<History>, u32) {
    let left = || deadline.saturating_duration_since(Instant::now());
    first_shown(tries, left, || reproduces(access, repro, left())).await
}

/// Up to `tries` (at least one) calls of `replay`, none once `left` is zero after the
/// first; the history of the first that showed, and the calls made.
async fn first_shown<F, Fut>(
    tries: u32,
    left: impl Fn() -> Duration,
    mut replay: F,
) -> (Option<History>, u32)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(bool, History), ReplayError>>,
{
    let mut made = 0;
    while made < tries.max(1) && (made == 0 || !left().is_zero()) {
        made += 1;
        if let Ok((true, h)) = replay().await {
            return (Some(h), made);
        }
    }
    (None, made)
}

/// How far shrinking may go.
#[derive(Clone, Copy, Debug)]
pub struct ShrinkBudget {
    pub max_replays: u32,
    pub max_time: Duration,
    /// Replays of each candidate before it is judged not to show the finding.
    pub tries: u32,
}

/// Replays of the race form tried before giving up on it.
const RACE_ATTEMPTS: u32 = 3;

/// Window sizes (steps) tried before the whole prefix of a finding.
const WINDOWS: [usize; 2] = [64, 1024];

/// How long one window replay may take.
const WINDOW_LIMIT: Duration = Duration::from_secs(30);

/// The first cut of `repro` that still shows its finding, with the history of that replay:
/// the finding's command alone on all messages ([`Reproducer::transplants`]), a stale view
/// ([`Reproducer::stale_views`]), then windows, smallest first (the whole when it is
/// short), then the race forms. Each in-order cut gets `tries` replays, each race form at
/// least [`RACE_ATTEMPTS`]. None starts after `deadline`.
pub async fn narrow(
    access: &Access,
    repro: &Reproducer,
    deadline: Instant,
    tries: u32,
) -> Option<(Reproducer, History)> {
    let windows = WINDOWS.iter().filter_map(|&k| repro.window(k));
    // A prefix no longer than the largest window is itself cheap, and in order it shows a
    // deterministic finding every time (the race forms would show it as a loop).
    let largest = WINDOWS[WINDOWS.len() - 1];
    let windows = windows.chain((repro.steps.len() <= largest).then(|| repro.clone()));
    let cheap = repro.transplants().into_iter().chain(repro.stale_views());
    let in_order = cheap.chain(windows).map(|w| (w, tries));
    // Last, the race form (a few attempts: it shows only when the server's timing allows).
    let race_tries = RACE_ATTEMPTS.max(tries);
    let races = (repro.concurrent_forms().into_iter()).map(|r| (r, race_tries));
    let left = || deadline.saturating_duration_since(Instant::now());
    for (w, tries) in in_order.chain(races) {
        if left().is_zero() {
            break;
        }
        let replay = || reproduces(access, &w, WINDOW_LIMIT);
        if let (Some(h), _) = first_shown(tries, left, replay).await {
            return Some((w, h));
        }
    }
    None
}

/// Remove chunks of steps (halves, then quarters, … then single steps) while the finding
/// still shows; the last step (the one the finding was seen at) is always kept. Returns
/// the smallest reproducer found and how many replays it took.
pub async fn shrink(access: &Access, repro: Reproducer, budget: ShrinkBudget) -> (Reproducer, u32) {
    // A race loses whole sessions only; fewer rounds would only show it less often.
    if repro.concurrent {
        let (small, replays, _) = fewer_sessions(access, repro, budget).await;
        return (small, replays);
    }
    let started = Instant::now();
    let mut best = repro;
    let mut replays = 0;
    let mut chunks = 2usize;
    let within = |replays: u32| replays < budget.max_replays && started.elapsed() < budget.max_time;
    while best.steps.len() > 1 && within(replays) {
        let removable = best.steps.len() - 1;
        let size = removable.div_ceil(chunks).max(1);
        let mut shrunk = false;
        let mut start = 0;
        while start < removable && within(replays) {
            let candidate = without(&best, start, size);
            let deadline = started + budget.max_time;
            let (shown, made) = shows_in(access, &candidate, deadline, budget.tries).await;
            replays += made;
            if shown.is_some() {
                best = candidate;
                shrunk = true;
                break;
            }
            start += size;
        }
        if shrunk {
            chunks = (chunks - 1).max(2);
        } else if size == 1 {
            break;
        } else {
            chunks = (chunks * 2).min(removable);
        }
    }
    (best, replays)
}

/// `repro` without steps `start..start+len`; a session's first remaining step after a cut
/// keeps any reconnection the removed steps carried, and sessions left without steps go.
fn without(repro: &Reproducer, start: usize, len: usize) -> Reproducer {
    let mut out = repro.clone();
    let end = (start + len).min(repro.steps.len() - 1);
    let removed: Vec<ReplayStep> = out.steps.drain(start..end).collect();
    for r in removed.iter().filter(|r| r.reconnect) {
        if let Some(next) = out.steps[start..]
            .iter_mut()
            .find(|s| s.session == r.session)
        {
            next.reconnect = true;
        }
    }
    let (steps, users) = renumber(out.steps, &repro.users);
    out.steps = steps;
    out.users = users;
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "replay_tests.rs"]
mod tests;
