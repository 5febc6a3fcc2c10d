//! A stress run: set up the run's workspace, run the random plan with N sessions for a
//! duration, clean up, and hand back the history with the figures the summary needs. Setup
//! and clean-up sessions are recorded too (numbered after the plan's sessions), so the
//! checker sees the mailboxes being created and removed.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::checkpoint::{CHECKPOINT_SESSIONS, checkpoint};
use super::monitor::{MonitorConfig, MonitorReport, monitor};
use super::recorder::Recorder;
use super::runner::{RunSummary, Runner};
use super::usage::process_cpu;
use super::workspace::{Helpers, WorkspaceError, cleanup, setup};
use crate::generate::fuzz::{FuzzConfig, FuzzSession};
use crate::generate::plan::StepSource;
use crate::generate::random::RandomPlan;
use crate::history::{EventKind, History, Meta, SessionId};

/// What to run.
#[derive(Clone, Debug)]
pub struct StressConfig {
    pub sessions: u32,
    pub duration: Duration,
    /// Users the sessions log in as, round robin (sessions of one user share mailboxes).
    pub users: Vec<String>,
    pub plan: RandomPlan,
    pub meta: Meta,
    /// Fuzzing: mutate part of the plan's steps and watch liveness (`imapgate fuzz`).
    pub fuzz: Option<FuzzRun>,
    /// Pause the sessions this often for a checkpoint (`run/checkpoint.rs`); one more runs
    /// at the end in any case.
    pub checkpoint_every: Option<Duration>,
}

/// The fuzzing part of a run.
#[derive(Clone, Debug)]
pub struct FuzzRun {
    pub mix: FuzzConfig,
    pub monitor: MonitorConfig,
}

/// Live figures, once a second.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub elapsed: Duration,
    pub sent: u64,
    pub completed: u64,
    pub sessions_up: u64,
    pub lost: u64,
}

/// What a stress run produced.
#[derive(Debug)]
pub struct StressOutcome {
    pub history: History,
    pub summary: RunSummary,
    /// Why the workspace could not be set up (then no session ran).
    pub setup_error: Option<String>,
    /// Clean-up failures and names left behind.
    pub cleanup_problems: Vec<String>,
    /// Wall time of the concurrent phase.
    pub elapsed: Duration,
    /// Harness CPU time during the concurrent phase.
    pub cpu: Option<Duration>,
    pub commands_completed: u64,
    /// What the liveness monitor saw (fuzzing).
    pub monitor: Option<MonitorReport>,
    /// The history reached its memory budget: the run stopped before its duration.
    pub budget_reached: bool,
}

/// Run it. `on_tick` is called once a second during the concurrent phase.
pub async fn stress(
    runner: &Runner,
    config: StressConfig,
    mut on_tick: impl FnMut(Progress, &Arc<Recorder>),
) -> StressOutcome {
    let rec = Arc::clone(runner.recorder());
    let n = config.sessions;
    let users = distinct_users(&config.users, n);
    let mut outcome = StressOutcome {
        history: History::default(),
        summary: RunSummary::default(),
        setup_error: None,
        cleanup_problems: Vec::new(),
        elapsed: Duration::ZERO,
        cpu: None,
        commands_completed: 0,
        monitor: None,
        budget_reached: false,
    };
    let setup_ids = (n..).take(users.len());
    for (id, user) in setup_ids.zip(&users) {
        if let Err(e) = workspace(runner, id, user, Phase::Setup, &config.plan).await {
            outcome.setup_error = Some(format!("{user}: {e}"));
        }
    }
    if outcome.setup_error.is_none() {
        let checkpoints = Checkpoints::new(runner, n, &users, &config);
        run_sessions(runner, &config, &mut outcome, &mut on_tick, &checkpoints).await;
        let stopped = runner
            .stop_flag()
            .load(std::sync::atomic::Ordering::Relaxed);
        if !stopped && !outcome.budget_reached {
            outcome.cleanup_problems.extend(checkpoints.run().await);
        }
    }
    let cleanup_ids = (n + users.len() as u32..).take(users.len());
    // Helper connections after every other session id of the run: the checkpoints' last.
    let helpers = Phase::Cleanup(checkpoints_first(n, &users) + CHECKPOINT_SESSIONS);
    for (id, user) in cleanup_ids.zip(&users) {
        match workspace(runner, id, user, helpers, &config.plan).await {
            Ok(left) if left.is_empty() => {}
            Ok(left) => outcome
                .cleanup_problems
                .push(format!("{user}: left behind {}", left.join(", "))),
            Err(e) => outcome.cleanup_problems.push(format!("{user}: {e}")),
        }
    }
    outcome.history = rec.finish(config.meta);
    outcome
}

/// The first of the checkpoints' session ids: after the plan's `n`, the set-up and clean-up
/// sessions (one each per user) and the monitor's.
fn checkpoints_first(n: u32, users: &[String]) -> SessionId {
    n + 2 * users.len() as u32 + 1
}

/// Where and as whom checkpoints run: sessions numbered after the monitor's (fuzz) and the
/// clean-up sessions' ids, the same two every time (each logs out before the next).
struct Checkpoints<'a> {
    runner: &'a Runner,
    first: SessionId,
    user: Option<&'a String>,
    layout: &'a crate::generate::layout::Layout,
}

impl<'a> Checkpoints<'a> {
    fn new(runner: &'a Runner, n: u32, users: &'a [String], config: &'a StressConfig) -> Self {
        Checkpoints {
            runner,
            first: checkpoints_first(n, users),
            user: users.first(),
            layout: &config.plan.layout,
        }
    }

    /// One checkpoint; what kept its sessions from running.
    async fn run(&self) -> Vec<String> {
        match self.user {
            Some(user) => checkpoint(self.runner, self.first, user, self.layout).await,
            None => Vec::new(),
        }
    }

    /// One checkpoint with the run's sessions held between groups.
    async fn paused(&self) -> Vec<String> {
        let _paused = self.runner.pause().await;
        self.run().await
    }
}

/// Ticks for the checkpoints during the run; none when they are off.
fn checkpoint_ticks(every: Option<Duration>) -> Option<tokio::time::Interval> {
    let every = every.filter(|d| !d.is_zero())?;
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    Some(ticks)
}

async fn run_sessions(
    runner: &Runner,
    config: &StressConfig,
    outcome: &mut StressOutcome,
    on_tick: &mut impl FnMut(Progress, &Arc<Recorder>),
    checkpoints: &Checkpoints<'_>,
) {
    let rec = Arc::clone(runner.recorder());
    let sources: Vec<Box<dyn StepSource>> = (0..config.sessions)
        .map(|id| {
            let user = &config.users[id as usize % config.users.len().max(1)];
            match &config.fuzz {
                Some(f) => Box::new(FuzzSession::new(&config.plan, id, user, f.mix.clone()))
                    as Box<dyn StepSource>,
                None => Box::new(config.plan.session(id, user)),
            }
        })
        .collect();
    let watch_stop = Arc::new(AtomicBool::new(false));
    let watch = config.fuzz.as_ref().map(|f| {
        tokio::spawn(monitor(
            runner.access().clone(),
            Arc::clone(&rec),
            f.monitor.clone(),
            Arc::clone(&watch_stop),
            runner.stop_flag(),
        ))
    });
    let cpu_before = process_cpu();
    let completed_before = rec
        .counters
        .completed
        .load(std::sync::atomic::Ordering::Relaxed);
    let start = Instant::now();
    let run = runner.run(sources, 0, start + config.duration);
    tokio::pin!(run);
    let mut ticks = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(1),
        Duration::from_secs(1),
    );
    let mut pauses = checkpoint_ticks(config.checkpoint_every);
    let every = config.checkpoint_every.unwrap_or_default();
    outcome.summary = loop {
        tokio::select! {
            summary = &mut run => break summary,
            _ = ticks.tick() => on_tick(progress(&rec, start.elapsed()), &rec),
            // The end-of-run checkpoint follows soon anyway when less than half a period is left.
            _ = async { pauses.as_mut()?.tick().await; Some(()) }, if pauses.is_some() => {
                if start.elapsed() + every / 2 < config.duration {
                    outcome.cleanup_problems.extend(checkpoints.paused().await);
                }
            }
        }
    };
    outcome.elapsed = start.elapsed();
    outcome.budget_reached = rec.over_budget();
    watch_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(watch) = watch {
        outcome.monitor = watch.await.ok();
    }
    outcome.cpu = cpu_before
        .zip(process_cpu())
        .map(|(a, b)| b.saturating_sub(a));
    outcome.commands_completed = rec
        .counters
        .completed
        .load(std::sync::atomic::Ordering::Relaxed)
        - completed_before;
}

fn progress(rec: &Recorder, elapsed: Duration) -> Progress {
    use std::sync::atomic::Ordering::Relaxed;
    let c = &rec.counters;
    Progress {
        elapsed,
        sent: c.sent.load(Relaxed),
        completed: c.completed.load(Relaxed),
        sessions_up: c.sessions_up.load(Relaxed),
        lost: c.lost.load(Relaxed),
    }
}

/// The users actually used by `n` sessions, in order.
fn distinct_users(users: &[String], n: u32) -> Vec<String> {
    users.iter().take((n as usize).max(1)).cloned().collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Setup,
    /// With helper connections numbered from this id.
    Cleanup(SessionId),
}

/// One setup or clean-up session for `user`: log in, do the phase, log out.
async fn workspace(
    runner: &Runner,
    id: SessionId,
    user: &str,
    phase: Phase,
    plan: &RandomPlan,
) -> Result<Vec<String>, WorkspaceError> {
    let mut driver = runner.open(id, user).await?;
    let left = match phase {
        Phase::Setup => setup(&mut driver, &plan.layout).await.map(|()| Vec::new()),
        Phase::Cleanup(first) => {
            let helpers = Helpers {
                runner,
                first,
                user,
            };
            cleanup(&mut driver, &plan.layout, Some(helpers)).await
        }
    };
    if let Err(WorkspaceError::Ended(_)) = &left {
        return left;
    }
    let logout = driver
        .run(crate::wire::command::CommandBody::Logout)
        .await
        .map_err(WorkspaceError::from);
    driver.record(EventKind::Closed);
    let left = left?;
    logout.map(|_| left)
}
