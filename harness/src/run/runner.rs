//! The runner: N sessions at once against one target, each following its step source until
//! the run's deadline. It records everything through the shared [`Recorder`] and decides
//! nothing about correctness: a server that hangs or drops a session mid-command leaves a
//! `Timeout` / `Disconnected` event naming the command, the session ends, the others go on.
//!
//! Bounded everywhere: every read and write has a deadline (the transport's), frames per
//! command are capped (the driver's), the event memory is capped (the recorder's), and no new
//! group starts after the deadline, so a run lasts at most deadline + one response timeout
//! per pipelined command.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::{RwLock, RwLockWriteGuard, Semaphore};

use super::connect::{Access, open, reopen};
use super::driver::{Driver, Ended};
use super::recorder::Recorder;
use crate::generate::plan::{Action, Plan, Step, StepSource};
use crate::history::{EventKind, SessionId};
use crate::wire::command::CommandBody;

/// Logins in progress at once: servers throttle bursts of logins (Dovecot takes about 120
/// a second here), and a thousand simultaneous handshakes would only time out.
pub const DEFAULT_LOGIN_CONCURRENCY: usize = 32;

/// How a run went, in counts; the history holds the details.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub sessions: u32,
    /// Sessions that logged in.
    pub logged_in: u32,
    /// Sessions that ended as planned (LOGOUT answered, or plan exhausted).
    pub closed: u32,
    /// Sessions ended by a timeout or a disconnect.
    pub lost: u32,
    /// Sessions ended by a harness error (never counted against the server).
    pub harness: u32,
}

#[derive(Debug)]
struct Shared {
    access: Access,
    rec: Arc<Recorder>,
    stop: Arc<AtomicBool>,
    login_gate: Semaphore,
    /// Held shared by every group under way; [`Runner::pause`] takes it exclusively, so a
    /// checkpoint sees the mailboxes stand still.
    groups: RwLock<()>,
    /// Fuzzing: a session the server ended (or we abandoned) logs in again and goes on.
    reconnect: bool,
}

/// Reconnections per session at most (fuzzing), so a server that ends every session at
/// once cannot keep the run busy logging in.
const MAX_RECONNECTS: u32 = 10_000;

/// Reconnections that fail in a row (refused, no greeting, login refused) before a session
/// gives up: a dead server is reported once per session, not thousands of times.
const MAX_FAILED_RECONNECTS: u32 = 3;

/// Runs step sources concurrently against one target.
#[derive(Clone, Debug)]
pub struct Runner {
    shared: Arc<Shared>,
}

/// How one session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SessionEnd {
    NeverLoggedIn(Ended),
    Closed,
    Ended(Ended),
}

impl Runner {
    pub fn new(access: Access, rec: Arc<Recorder>, login_concurrency: usize) -> Self {
        Runner {
            shared: Arc::new(Shared {
                access,
                rec,
                stop: Arc::new(AtomicBool::new(false)),
                login_gate: Semaphore::new(login_concurrency.max(1)),
                groups: RwLock::new(()),
                reconnect: false,
            }),
        }
    }

    /// Sessions ended by the server log in again (as the same session id: the history
    /// shows a new `Connected`) until the deadline. Call before the runner is shared.
    pub fn reconnecting(mut self) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.reconnect = true;
        }
        self
    }

    pub fn recorder(&self) -> &Arc<Recorder> {
        &self.shared.rec
    }

    pub fn access(&self) -> &Access {
        &self.shared.access
    }

    /// Set it to stop every session after its current group (Ctrl-C, budget).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.shared.stop)
    }

    /// Hold every session between two groups until the guard is dropped: the groups under
    /// way finish first (each bounded by the response timeouts), and none starts meanwhile
    /// (tokio's lock queues the sessions behind a waiting pause, so they cannot starve it).
    pub async fn pause(&self) -> RwLockWriteGuard<'_, ()> {
        self.shared.groups.write().await
    }

    /// Run a finite plan; sessions are numbered from `first_id` in plan order.
    pub async fn run_plan(&self, plan: Plan, first_id: SessionId, until: Instant) -> RunSummary {
        let sources = plan
            .sessions
            .into_iter()
            .map(|s| Box::new(s.into_source()) as Box<dyn StepSource>)
            .collect();
        self.run(sources, first_id, until).await
    }

    /// Run every source at once, one tokio task each; returns when all sessions ended.
    pub async fn run(
        &self,
        sources: Vec<Box<dyn StepSource>>,
        first_id: SessionId,
        until: Instant,
    ) -> RunSummary {
        let mut tasks = Vec::with_capacity(sources.len());
        for (offset, source) in sources.into_iter().enumerate() {
            let id = first_id + u32::try_from(offset).unwrap_or(u32::MAX - first_id);
            let shared = Arc::clone(&self.shared);
            tasks.push((id, tokio::spawn(session(shared, id, source, until))));
        }
        let mut summary = RunSummary::default();
        for (id, task) in tasks {
            let end = match task.await {
                Ok(end) => end,
                Err(e) => {
                    self.shared.rec.record(
                        id,
                        EventKind::HarnessError {
                            what: format!("session task failed: {e}"),
                        },
                    );
                    SessionEnd::Ended(Ended::Harness)
                }
            };
            summary.add(end);
        }
        summary
    }

    /// Open one session outside a plan (setup and clean-up), numbered `id`.
    pub async fn open(&self, id: SessionId, user: &str) -> Result<Driver, Ended> {
        open(&self.shared.access, &self.shared.rec, id, user).await
    }
}

impl RunSummary {
    fn add(&mut self, end: SessionEnd) {
        self.sessions += 1;
        match end {
            SessionEnd::NeverLoggedIn(e) => self.count_ended(e),
            SessionEnd::Closed => {
                self.logged_in += 1;
                self.closed += 1;
            }
            SessionEnd::Ended(e) => {
                self.logged_in += 1;
                self.count_ended(e);
            }
        }
    }

    fn count_ended(&mut self, e: Ended) {
        match e {
            Ended::Lost | Ended::Abandoned => self.lost += 1,
            Ended::Flood | Ended::Harness => self.harness += 1,
        }
    }
}

async fn session(
    shared: Arc<Shared>,
    id: SessionId,
    mut source: Box<dyn StepSource>,
    until: Instant,
) -> SessionEnd {
    let mut end = connect_and_follow(&shared, id, source.as_mut(), until, false).await;
    let (mut reconnects, mut failed) = (0, 0);
    while shared.reconnect
        && reconnects < MAX_RECONNECTS
        && failed < MAX_FAILED_RECONNECTS
        && !must_stop(&shared, until)
        && matches!(end, SessionEnd::Ended(Ended::Lost | Ended::Abandoned))
    {
        reconnects += 1;
        source.reconnected();
        end = match connect_and_follow(&shared, id, source.as_mut(), until, true).await {
            // Logged in before: a failed reconnection still ends a session that logged in.
            SessionEnd::NeverLoggedIn(e) => {
                failed += 1;
                SessionEnd::Ended(e)
            }
            other => {
                failed = 0;
                other
            }
        };
    }
    end
}

async fn connect_and_follow(
    shared: &Shared,
    id: SessionId,
    source: &mut dyn StepSource,
    until: Instant,
    again: bool,
) -> SessionEnd {
    let opened = {
        // Closed only when the runner is dropped; then there is nothing left to run.
        let Ok(_permit) = shared.login_gate.acquire().await else {
            return SessionEnd::NeverLoggedIn(Ended::Harness);
        };
        if again {
            reopen(&shared.access, &shared.rec, id, source.user()).await
        } else {
            open(&shared.access, &shared.rec, id, source.user()).await
        }
    };
    let mut driver = match opened {
        Ok(d) => d,
        Err(e) => return SessionEnd::NeverLoggedIn(e),
    };
    let up = &shared.rec.counters.sessions_up;
    up.fetch_add(1, Ordering::Relaxed);
    let end = follow(shared, &mut driver, source, until).await;
    up.fetch_sub(1, Ordering::Relaxed);
    match end {
        Ok(()) => SessionEnd::Closed,
        Err(e) => SessionEnd::Ended(e),
    }
}

/// Run groups until the source is exhausted or the run must stop, then log out.
async fn follow(
    shared: &Shared,
    driver: &mut Driver,
    source: &mut dyn StepSource,
    until: Instant,
) -> Result<(), Ended> {
    let mut group = Vec::new();
    while !must_stop(shared, until) && source.next_group(&mut group) {
        let logs_out = group.iter().any(is_logout);
        {
            let _running = shared.groups.read().await;
            driver.run_group(&mut group).await?;
        }
        if logs_out {
            driver.record(EventKind::Closed);
            return Ok(());
        }
    }
    driver.run(CommandBody::Logout).await?;
    driver.record(EventKind::Closed);
    Ok(())
}

fn must_stop(shared: &Shared, until: Instant) -> bool {
    Instant::now() >= until || shared.stop.load(Ordering::Relaxed) || shared.rec.over_budget()
}

fn is_logout(step: &Step) -> bool {
    matches!(step.action, Action::Command(CommandBody::Logout))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#[path = "runner_tests.rs"]
mod tests;
