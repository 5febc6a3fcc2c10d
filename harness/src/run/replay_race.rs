//! Race reproducers. A replay runs a reproducer's steps one group at a time in their
//! recorded order, so a finding that needs two sessions' commands to overlap inside the
//! server (Cyrus naming a message another session appended while the command ran, before
//! announcing it with EXISTS) never shows again that way. The race form keeps the two sides
//! of such a finding and runs them at once, many times over: the finding's session selects
//! the mailbox and repeats the finding's query on all messages, another session repeats
//! its APPEND there and its next change to that newest message. Loop forms repeat the run's
//! last steps as they were; mix forms repeat each session's latest few commands on the
//! shared mailbox. The replay is then a real race: it may need a few attempts
//! (`replay --attempts N`), and it is not shrunk further.

use std::time::{Duration, Instant};

use super::connect::Access;
use super::recorder::{RecordLimits, Recorder};
use super::replay::{
    ReplayError, ReplayStep, Reproducer, ShrinkBudget, prepare, renumber, shows_in, tidy, to_step,
};
use super::replay_cuts::{
    first_word, is_query, last_append_to, second_word, verb, widened_query, with_set,
};
use super::runner::Runner;
use crate::generate::plan::{Plan, SessionPlan};
use crate::history::History;

/// Rounds of each side in a race reproducer: enough for a window of microseconds to be hit
/// at a few hundred commands a second (Cyrus's lost EXISTS shows about once in 75 SEARCHes
/// against an APPEND and a STORE, by hand), few enough to replay in seconds.
pub const RACE_ROUNDS: usize = 300;

/// How far back from the finding the race form looks for its query.
const QUERY_REACH: usize = 64;

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

    /// The race of the query at step `at` (as `query`) with another session's APPEND and
    /// what that session did next to the newest message ([`followups`]).
    fn race_at(&self, at: usize, query: Vec<u8>) -> Option<Reproducer> {
        let asker = self.steps[at].session;
        let before = &self.steps[..at];
        let select = before.iter().rev().find(|s| {
            s.session == asker
                && s.mutation.is_none()
                && ["SELECT", "EXAMINE"].contains(&first_word(s).as_str())
        })?;
        let mailbox = second_word(select)?;
        let appended = before.iter().rposition(|s| {
            s.session != asker
                && s.mutation.is_none()
                && first_word(s) == "APPEND"
                && second_word(s).as_ref() == Some(&mailbox)
        })?;
        let append = &before[appended];
        // The selection alone: a modifier (CONDSTORE, QRESYNC) needed what the race drops.
        let selecting = |session: u32, word: &str| {
            let bytes = [word.as_bytes(), b" ", &mailbox, b"\r\n"].concat();
            with_bytes(&alone(session, select), bytes)
        };
        let asking = with_bytes(&alone(0, &self.steps[at]), query);
        let next = followups(&before[appended + 1..], append.session);
        let mut steps = vec![selecting(0, &first_word(select))];
        if !next.is_empty() {
            steps.push(selecting(1, "SELECT"));
        }
        for _ in 0..RACE_ROUNDS {
            steps.push(asking.clone());
            steps.push(alone(1, append));
            steps.extend(next.iter().map(|s| alone(1, s)));
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

/// What `session` did to its mailbox after an APPEND, as changes to the newest message:
/// its first STORE on `*` (the message just appended), once adding the flags and once
/// removing them (so the message changes whatever flags the APPEND gave it), with its first
/// EXPUNGE between the two. A query racing an APPEND alone does not show Cyrus's lost
/// EXISTS: the next APPEND is announced and the count catches up. A change to the message
/// it lost shows it, as an unannounced FETCH or, once expunged, an EXPUNGE beyond the count.
fn followups(after: &[ReplayStep], session: u32) -> Vec<ReplayStep> {
    let mine = || (after.iter()).filter(|s| s.session == session && s.mutation.is_none());
    let is = |s: &ReplayStep, name: &[u8]| verb(&s.bytes.bytes()).eq_ignore_ascii_case(name);
    let Some(store) = mine().find(|s| is(s, b"STORE")) else {
        return Vec::new();
    };
    let Some([plus, minus]) = toggled(&store.bytes.bytes()) else {
        return Vec::new();
    };
    let mut out = vec![with_bytes(store, plus)];
    out.extend(mine().find(|s| is(s, b"EXPUNGE")).cloned());
    out.push(with_bytes(store, minus));
    out
}

/// A `[UID] STORE set [+|-]FLAGS[.SILENT] (flags)` as its `+FLAGS` and `-FLAGS` forms on
/// `*`; `None` for another command, a STORE with a modifier, or one without flags.
fn toggled(store: &[u8]) -> Option<[Vec<u8>; 2]> {
    let on_newest = with_set(store, b"*").unwrap_or_else(|| store.to_vec());
    let words: Vec<&[u8]> = on_newest.splitn(5, |&b| b == b' ').collect();
    let uid = words.first()?.eq_ignore_ascii_case(b"UID");
    let op = usize::from(uid) + 2;
    let item = words.get(op)?.to_ascii_uppercase();
    let flags = words.get(op + 1..)?.join(&b' ');
    let known = [b"FLAGS".as_slice(), b"+FLAGS", b"-FLAGS"];
    let store = known
        .iter()
        .any(|k| item == *k || item == [*k, b".SILENT"].concat());
    // `()` (and its CRLF) changes nothing.
    if !store || flags.trim_ascii_end().len() <= 2 {
        return None;
    }
    let form = |sign: &[u8]| [&words[..op].join(&b' ')[..], b" ", sign, b"FLAGS ", &flags].concat();
    Some([form(b"+"), form(b"-")])
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

/// `step` as `session`'s, standing alone in a race: no reconnection, no pipelining, no IDLE.
fn alone(session: u32, step: &ReplayStep) -> ReplayStep {
    ReplayStep {
        session,
        reconnect: false,
        pipelined: false,
        idle_ms: None,
        ..step.clone()
    }
}

/// `step` sending `bytes` instead, a valid command of the form's own making.
fn with_bytes(step: &ReplayStep, bytes: Vec<u8>) -> ReplayStep {
    ReplayStep {
        bytes: crate::history::WireBytes::new(bytes),
        mutation: None,
        ..step.clone()
    }
}

/// How long the push form's session idles each time: longer than the 5-s bound a replay
/// judges pushes by (no target bound in its meta), with the other session's change a
/// [`PUSH_LEAD_MS`] into it.
pub(super) const PUSH_HOLD_MS: u32 = 8_000;
pub(super) const PUSH_LEAD_MS: u32 = 1_500;

/// Mix forms tried: (steps looked back, commands kept per session, rounds).
const MIXES: [(usize, usize, usize); 2] = [(64, 4, 100), (256, 6, 60)];

/// What a mix keeps: commands that read or change the selected mailbox's messages. A
/// selection change, a mailbox made or removed, a login or an IDLE would change what the
/// others race against, not race with them.
const MIXED: [&str; 12] = [
    "APPEND", "STORE", "FETCH", "SEARCH", "SORT", "THREAD", "MOVE", "COPY", "EXPUNGE", "NOOP",
    "CHECK", "STATUS",
];

impl Reproducer {
    /// Every concurrent form, in the order worth trying: the query races, the loops, the
    /// mixes.
    pub fn concurrent_forms(&self) -> Vec<Reproducer> {
        let mut all = self.races();
        all.extend(self.loops());
        all.extend(self.mixes());
        all.extend(self.push_form());
        all
    }

    /// For a finding about what an idling session is pushed (detectors `push`,
    /// `push-flags`): one session learns the mailbox's flags and idles for [`PUSH_HOLD_MS`]
    /// twice; another, a moment into each idle, changes every message's flags (on, then off)
    /// and appends one. In order, an IDLE runs to its DONE before the other session moves,
    /// and a race form drops the IDLE's hold, so neither can show a push that never came.
    pub(super) fn push_form(&self) -> Option<Reproducer> {
        if !self.finding.detector.starts_with("push") {
            return None;
        }
        let idle = self.steps.iter().rposition(|s| s.idle_ms.is_some())?;
        let idler = self.steps[idle].session;
        let before = &self.steps[..idle];
        let select = before
            .iter()
            .rev()
            .find(|s| s.session == idler && s.mutation.is_none() && first_word(s) == "SELECT")?;
        let mailbox = second_word(select)?;
        let append = last_append_to(before, &mailbox)?;
        let text =
            |session: u32, t: &str| with_bytes(&alone(session, select), t.as_bytes().to_vec());
        let held = |session: u32, hold_ms: u32| ReplayStep {
            idle_ms: Some(hold_ms),
            ..text(session, "IDLE\r\n")
        };
        let selecting =
            String::from_utf8_lossy(&[b"SELECT ", &mailbox[..], b"\r\n"].concat()).into_owned();
        let mut steps = vec![alone(0, append), alone(0, append), text(0, &selecting)];
        steps.push(text(0, "UID FETCH 1:* (FLAGS)\r\n"));
        steps.extend([held(0, PUSH_HOLD_MS), held(0, PUSH_HOLD_MS)]);
        steps.push(text(1, &selecting));
        // One message each time (a STORE that may have named a message another changed
        // after it is not judged), flagged and then unflagged (one of the two is a change
        // whatever flags the APPEND gave); the UIDs fetched first, so the STORE's reach and
        // the flags it reports are known by UID.
        for (message, sign) in [(1, '+'), (2, '-')] {
            steps.extend([held(1, PUSH_LEAD_MS), text(1, "UID FETCH 1:* (FLAGS)\r\n")]);
            steps.push(text(
                1,
                &format!("STORE {message} {sign}FLAGS (\\Flagged)\r\n"),
            ));
            steps.extend([alone(1, append), held(1, PUSH_HOLD_MS - PUSH_LEAD_MS)]);
        }
        let user = self.users.get(idler as usize)?.clone();
        Some(Reproducer {
            users: vec![user.clone(), user],
            steps,
            concurrent: true,
            ..self.clone()
        })
    }

    /// The mix forms: on the mailbox most sessions APPENDed to among the last steps, each
    /// session that worked there repeats its latest few distinct commands, every session at
    /// once. A loop keeps only whoever sent the very last steps; Cyrus loses an EXISTS when
    /// one session's SEARCH or MOVE reads the mailbox twice while a second APPENDs and a
    /// third changes flags (it then shows as FETCH data for an unannounced message, or an
    /// EXPUNGE beyond the count), and those three are rarely all among the last 8 steps but
    /// usually among the last 64.
    pub fn mixes(&self) -> Vec<Reproducer> {
        (MIXES.iter())
            .filter_map(|&(reach, per, rounds)| self.mixed(reach, per, rounds))
            .collect()
    }

    fn mixed(&self, reach: usize, per: usize, rounds: usize) -> Option<Reproducer> {
        let window = self.window(reach)?;
        let at = window.steps.len().checked_sub(reach)?;
        let (carried, tail) = window.steps.split_at(at);
        let mailbox = shared(tail)?;
        let mut shares: std::collections::BTreeMap<u32, Vec<ReplayStep>> = Default::default();
        for step in tail.iter().rev().filter(|s| is_mixed(s, &mailbox)) {
            let share = shares.entry(step.session).or_default();
            if share.len() < per && !share.iter().any(|s| s.bytes == step.bytes) {
                share.push(alone(step.session, step));
            }
        }
        if shares.len() < 2 {
            return None;
        }
        let mut steps = carried.to_vec();
        for share in shares.values_mut() {
            share.reverse();
            let select = [b"SELECT ".as_slice(), &mailbox, b"\r\n"].concat();
            steps.push(with_bytes(&share[0], select));
        }
        for _ in 0..rounds {
            shares
                .values()
                .for_each(|share| steps.extend_from_slice(share));
        }
        Some(Reproducer {
            steps,
            concurrent: true,
            ..window
        })
    }
}

/// The mailbox the most sessions APPENDed to among `steps` (of equals, the one first
/// appended to last).
fn shared(steps: &[ReplayStep]) -> Option<Vec<u8>> {
    let mut sessions: Vec<(Vec<u8>, Vec<u32>)> = Vec::new();
    let appends = steps
        .iter()
        .filter(|s| s.mutation.is_none() && first_word(s) == "APPEND");
    for step in appends {
        let Some(name) = second_word(step) else {
            continue;
        };
        match sessions.iter_mut().find(|(n, _)| *n == name) {
            Some((_, who)) if !who.contains(&step.session) => who.push(step.session),
            Some(_) => {}
            None => sessions.push((name, vec![step.session])),
        }
    }
    let most = sessions.iter().max_by_key(|(_, who)| who.len())?;
    Some(most.0.clone())
}

/// A command a mix on `mailbox` keeps: one of [`MIXED`], and an APPEND or STATUS only when
/// it names that mailbox.
fn is_mixed(step: &ReplayStep, mailbox: &[u8]) -> bool {
    let bytes = step.bytes.bytes();
    let word = verb(&bytes);
    let elsewhere = ["APPEND", "STATUS"].contains(&first_word(step).as_str())
        && second_word(step).as_deref() != Some(mailbox);
    step.mutation.is_none()
        && !elsewhere
        && MIXED
            .iter()
            .any(|m| word.eq_ignore_ascii_case(m.as_bytes()))
}

/// Replay a race reproducer: every session at once, each its own steps in order.
pub async fn replay_concurrent(
    access: &Access,
    repro: &Reproducer,
    limit: Duration,
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
    // The sessions stop at the deadline (as in a run); tidying comes after it, uncounted.
    let until = Instant::now() + limit;
    runner.run_plan(Plan { sessions }, 0, until).await;
    let too_slow = Instant::now() >= until;
    let _ = tidy(&runner, n + 1, &admin, &layout).await;
    if too_slow {
        return Err(ReplayError::TooSlow(limit));
    }
    Ok(rec.finish(repro.meta(access)))
}

/// A race in fewer sessions: each session in turn is dropped (its selection goes with its
/// steps), kept out when one replay still shows the finding. A ten-session loop or mix is
/// rarely all needed; a drop that happens to miss on one replay only keeps a session too
/// many. Returns the smallest form, the replays spent and the history of the last replay
/// that showed the finding.
pub async fn fewer_sessions(
    access: &Access,
    repro: Reproducer,
    budget: ShrinkBudget,
) -> (Reproducer, u32, Option<History>) {
    let started = Instant::now();
    let (mut best, mut replays, mut shown) = (repro, 0, None);
    let mut at = 0;
    while at < best.sessions() && best.sessions() > 2 {
        let left = budget.max_time.saturating_sub(started.elapsed());
        if replays >= budget.max_replays || left.is_zero() {
            break;
        }
        let candidate = best.without_session(at);
        let deadline = started + budget.max_time;
        let (seen, made) = shows_in(access, &candidate, deadline, budget.tries).await;
        replays += made;
        match seen {
            Some(h) => (best, shown) = (candidate, Some(h)),
            None => at += 1,
        }
    }
    (best, replays, shown)
}

impl Reproducer {
    /// This reproducer without `session`'s steps, the others renumbered.
    pub(super) fn without_session(&self, session: u32) -> Reproducer {
        let kept = self.steps.iter().filter(|s| s.session != session).cloned();
        let (steps, users) = renumber(kept.collect(), &self.users);
        Reproducer {
            steps,
            users,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::toggled;

    #[test]
    fn a_store_toggles_on_the_newest_message_and_a_modifier_is_left_alone() {
        let both = |s: &str| toggled(s.as_bytes()).map(|[p, m]| [p, m].map(String::from_utf8));
        let [plus, minus] = both("STORE 1:3 FLAGS.SILENT (\\Seen $k)\r\n").unwrap();
        assert_eq!(plus.unwrap(), "STORE * +FLAGS (\\Seen $k)\r\n");
        assert_eq!(minus.unwrap(), "STORE * -FLAGS (\\Seen $k)\r\n");
        let [plus, _] = both("UID STORE * -flags (\\Deleted)\r\n").unwrap();
        assert_eq!(plus.unwrap(), "UID STORE * +FLAGS (\\Deleted)\r\n");
        assert!(both("STORE 1 (UNCHANGEDSINCE 5) +FLAGS (\\Seen)\r\n").is_none());
        assert!(both("STORE 1 +FLAGS ()\r\n").is_none());
        assert!(both("FETCH 1 FLAGS\r\n").is_none());
    }
}
