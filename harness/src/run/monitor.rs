//! The liveness monitor of fuzzing: while the sessions run, a fresh connection every
//! `interval` must get a greeting and an answer to NOOP (recorded as a session of its own, so
//! the checker's liveness detector judges it like any other), and, where the recipe knows the
//! server's pid, the process must live and its tree's memory stay under a bound; where it
//! knows the server's logs, the crash lines they gained are reported at the end.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::connect::{Access, open_unauthenticated};
use super::recorder::Recorder;
use super::server_log::LogWatch;
use crate::history::{EventKind, SessionId};
use crate::wire::command::CommandBody;

/// What to watch.
#[derive(Clone, Debug)]
pub struct MonitorConfig {
    /// The session id the probes are recorded under.
    pub session: SessionId,
    pub interval: Duration,
    /// The server's main pid (from the recipe's pid file), if known.
    pub pid: Option<u32>,
    /// Memory bound for the server's process tree, in KiB.
    pub max_rss_kib: u64,
    /// The recipe's state dir, whose `*.log` files are read for crash lines at the end.
    pub logs: Option<std::path::PathBuf>,
}

/// What the monitor saw.
#[derive(Clone, Debug, Default)]
pub struct MonitorReport {
    pub probes: u64,
    /// Probes that got no greeting or no NOOP answer.
    pub failed_probes: u64,
    /// Largest RSS of the server's process tree seen, in KiB.
    pub peak_rss_kib: Option<u64>,
    pub first_rss_kib: Option<u64>,
    /// When the process was first seen gone or over the bound, and the crash lines its logs
    /// gained.
    pub problems: Vec<String>,
}

/// Run until `stop` is set; sample the process once per probe.
/// `halt_run` is set when the server's memory goes over the bound: the run stops rather
/// than let a server that preallocates claimed literals (goimap) take the machine down.
pub async fn monitor(
    access: Access,
    rec: Arc<Recorder>,
    config: MonitorConfig,
    stop: Arc<AtomicBool>,
    halt_run: Arc<AtomicBool>,
) -> MonitorReport {
    let mut report = MonitorReport::default();
    let mut ticks = tokio::time::interval(config.interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut process_gone = false;
    let logs = config.logs.as_deref().map(LogWatch::start);
    while !stop.load(Ordering::Relaxed) {
        ticks.tick().await;
        report.probes += 1;
        if !probe(&access, &rec, config.session).await {
            report.failed_probes += 1;
        }
        if let Some(pid) = config.pid.filter(|_| !process_gone) {
            let problems = report.problems.len();
            process_gone = !sample(pid, &config, &rec, &mut report);
            if report.problems.len() > problems && !process_gone {
                halt_run.store(true, Ordering::Relaxed);
            }
        }
    }
    // A crash that ended every session ends the run before the next tick: look once more.
    if let Some(pid) = config.pid.filter(|_| !process_gone) {
        sample(pid, &config, &rec, &mut report);
    }
    report
        .problems
        .extend(logs.iter().flat_map(LogWatch::crashes));
    report
}

/// One fresh connection: greeting, NOOP, LOGOUT. False when the server failed it (the
/// events say how).
async fn probe(access: &Access, rec: &Arc<Recorder>, id: SessionId) -> bool {
    let Ok(mut driver) = open_unauthenticated(access, rec, id).await else {
        return false;
    };
    if driver.run(CommandBody::Noop).await.is_err() {
        return false;
    }
    let ok = driver.run(CommandBody::Logout).await.is_ok();
    driver.record(EventKind::Closed);
    ok
}

/// Sample the process tree; false once the process is gone.
fn sample(pid: u32, config: &MonitorConfig, rec: &Recorder, report: &mut MonitorReport) -> bool {
    let Some(rss) = tree_rss_kib(pid) else {
        let what = format!(
            "the server process (pid {pid}) is gone, {} ms into the run",
            rec.elapsed_us() / 1000
        );
        report.problems.push(what);
        return false;
    };
    report.first_rss_kib.get_or_insert(rss);
    let peak = report.peak_rss_kib.get_or_insert(0);
    let first_over = rss > config.max_rss_kib && *peak <= config.max_rss_kib;
    *peak = (*peak).max(rss);
    if first_over {
        report.problems.push(format!(
            "the server's processes use {} MiB, over the bound of {} MiB, {} ms into the run \
             (run stopped)",
            rss / 1024,
            config.max_rss_kib / 1024,
            rec.elapsed_us() / 1000
        ));
    }
    true
}

/// Resident memory of `pid` and every descendant, in KiB; `None` when `pid` is gone.
pub fn tree_rss_kib(pid: u32) -> Option<u64> {
    let root = rss_kib(pid)?;
    let parents = parent_table();
    let mut total = root;
    let mut frontier = vec![pid];
    // Bounded: each pid is visited once (the table is a forest).
    let mut seen = std::collections::HashSet::from([pid]);
    while let Some(parent) = frontier.pop() {
        for &(child, ppid) in &parents {
            if ppid == parent && seen.insert(child) {
                total += rss_kib(child).unwrap_or(0);
                frontier.push(child);
            }
        }
    }
    Some(total)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    // A zombie has no VmRSS line: alive for the pid table, 0 KiB.
    Some(
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0),
    )
}

/// (pid, parent pid) of every process.
fn parent_table() -> Vec<(u32, u32)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let ppid = stat[stat.rfind(')')? + 1..]
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        Some((pid, ppid))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_tree_has_memory_and_a_dead_pid_has_none() {
        let me = std::process::id();
        assert!(tree_rss_kib(me).is_some_and(|k| k > 0));
        // pid_max is at most 2^22 on Linux.
        assert_eq!(tree_rss_kib(u32::MAX), None);
    }
}
