//! Race reproducers. A replay runs a reproducer's steps one group at a time in their
//! recorded order, so a finding that needs two sessions' commands to overlap inside the
//! server (Cyrus naming a message another session appended while the command ran, before
//! announcing it with EXISTS) never shows again that way. The race form keeps the two sides
//! of such a finding and runs them at once, many times over: the finding's session selects
//! the mailbox and repeats the finding's query on all messages, another session repeats
//! its APPEND there. The replay is then a real race: it may need a few attempts
//! (`replay --attempts N`), and it is not shrunk further.

use std::time::{Duration, Instant};

use super::connect::Access;
use super::recorder::{RecordLimits, Recorder};
use super::replay::{ReplayError, ReplayStep, Reproducer, prepare, tidy, to_step};
use super::replay_cuts::{first_word, is_query, second_word, widened_query};
use super::runner::Runner;
use crate::generate::plan::{Plan, SessionPlan};
use crate::history::History;

/// Rounds of each side in a race reproducer: enough for a window of a millisecond or two
/// to be hit at a few hundred commands a second, few enough to replay in seconds.
pub const RACE_ROUNDS: usize = 150;

/// How far back from the finding the race form looks for its query.
const QUERY_REACH: usize = 16;

/// Race forms tried per reproducer at most (one per query near the finding).
const RACES: usize = 4;

impl Reproducer {
    /// The race forms of this reproducer: one for each of the last few queries (FETCH,
    /// SEARCH, SORT, THREAD, widened to all messages) in a session that had selected a
    /// mailbox another session APPENDed to before it. (Which session saw the finding is
    /// not kept in the file, so each nearby query gets its chance.) SEARCH, SORT and THREAD
    /// come first, newest first, then FETCHes: a query over the whole mailbox runs longer
    /// inside the server, and that is where Cyrus was seen to race (by hand, 300 rounds:
    /// THREAD 25–30 times, FETCH never).
    pub fn races(&self) -> Vec<Reproducer> {
        let from = self.steps.len().saturating_sub(QUERY_REACH);
        let mut order: Vec<usize> = (from..self.steps.len()).rev().collect();
        order.sort_by_key(|&i| !is_query(&self.steps[i].bytes.bytes()));
        let mut seen = Vec::new();
        order
            .into_iter()
            .filter(|&i| self.steps[i].mutation.is_none())
            .filter_map(|i| Some((i, widened_query(&self.steps[i].bytes.bytes())?)))
            .filter(|(i, query)| {
                let key = (self.steps[*i].session, query.clone());
                let new = !seen.contains(&key);
                seen.push(key);
                new
            })
            .filter_map(|(i, query)| self.race_at(i, query))
            .take(RACES)
            .collect()
    }

    /// The race of the query at step `at` (as `query`) with another session's APPEND.
    fn race_at(&self, at: usize, query: Vec<u8>) -> Option<Reproducer> {
        let asker = self.steps[at].session;
        let before = &self.steps[..at];
        let select = before.iter().rev().find(|s| {
            s.session == asker
                && s.mutation.is_none()
                && ["SELECT", "EXAMINE"].contains(&first_word(s).as_str())
        })?;
        let mailbox = second_word(select)?;
        let append = before.iter().rev().find(|s| {
            s.session != asker
                && s.mutation.is_none()
                && first_word(s) == "APPEND"
                && second_word(s).as_ref() == Some(&mailbox)
        })?;
        let side = |session: u32, step: &ReplayStep| ReplayStep {
            session,
            reconnect: false,
            pipelined: false,
            idle_ms: None,
            ..step.clone()
        };
        // The selection alone: a modifier (CONDSTORE, QRESYNC) needed what the race drops.
        let opening = ReplayStep {
            bytes: crate::history::WireBytes::new(
                [first_word(select).as_bytes(), b" ", &mailbox, b"\r\n"].concat(),
            ),
            ..side(0, select)
        };
        let asking = ReplayStep {
            bytes: crate::history::WireBytes::new(query),
            ..side(0, &self.steps[at])
        };
        let mut steps = vec![opening];
        for _ in 0..RACE_ROUNDS {
            steps.push(asking.clone());
            steps.push(side(1, append));
        }
        let user = |s: u32| self.users.get(s as usize).cloned().unwrap_or_default();
        Some(Reproducer {
            users: vec![user(asker), user(append.session)],
            steps,
            concurrent: true,
            ..self.clone()
        })
    }
}

/// Loop forms tried: (steps kept, rounds). A short tail many times, a longer one fewer.
const LOOPS: [(usize, usize); 2] = [(8, 200), (32, 50)];

impl Reproducer {
    /// The loop forms: the last steps of the run (a window: on the CREATEs, APPENDs and
    /// selections they stand on, carried once), every session repeating its share of them
    /// while the others repeat theirs. A race among any commands, where [`Self::races`]
    /// only knows a query against an APPEND: Dovecot's MOVE that kept its message was seen
    /// among other sessions' EXPUNGEs and MOVEs. Only where the tail holds two sessions.
    pub fn loops(&self) -> Vec<Reproducer> {
        (LOOPS.iter())
            .filter_map(|&(keep, rounds)| self.looped(keep, rounds))
            .collect()
    }

    fn looped(&self, keep: usize, rounds: usize) -> Option<Reproducer> {
        let window = self.window(keep)?;
        let at = window.steps.len().checked_sub(keep)?;
        let (carried, tail) = window.steps.split_at(at);
        let mut sessions: Vec<u32> = tail.iter().map(|s| s.session).collect();
        sessions.sort_unstable();
        sessions.dedup();
        if sessions.len() < 2 {
            return None;
        }
        let mut steps = carried.to_vec();
        for _ in 0..rounds {
            steps.extend_from_slice(tail);
        }
        Some(Reproducer {
            steps,
            concurrent: true,
            ..window
        })
    }
}

/// Replay a race reproducer: every session at once, each its own steps in order.
pub async fn replay_concurrent(
    access: &Access,
    repro: &Reproducer,
) -> Result<History, ReplayError> {
    let rec = Recorder::new(RecordLimits::default());
    let n = repro.sessions();
    let runner = Runner::new(
        access.clone(),
        std::sync::Arc::clone(&rec),
        n.max(1) as usize,
    );
    let layout = repro.layout();
    let admin = repro.users.first().cloned().unwrap_or_default();
    prepare(&runner, n, &admin, &layout).await?;
    let mut sessions: Vec<SessionPlan> = (repro.users.iter())
        .map(|user| SessionPlan {
            user: user.clone(),
            steps: Vec::new(),
        })
        .collect();
    for s in &repro.steps {
        let plan = sessions
            .get_mut(s.session as usize)
            .ok_or_else(|| ReplayError::Step(format!("session {} has no user", s.session)))?;
        plan.steps.push(to_step(s)?);
    }
    // The caller bounds the replay's time; this deadline only keeps the sessions finite.
    let until = Instant::now() + Duration::from_secs(3600);
    runner.run_plan(Plan { sessions }, 0, until).await;
    let _ = tidy(&runner, n + 1, &admin, &layout).await;
    Ok(rec.finish(repro.meta(access)))
}
