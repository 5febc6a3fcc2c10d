//! `imapgate fuzz --target T [--duration D] [--seed S] [--sessions N]`: the stress run with a
//! share of its steps replaced by named mutations, sessions that log in again when the server
//! ends them, a liveness monitor (a fresh connection must answer NOOP; the recipe's server
//! process must live within a memory bound), then one shrunk, replay-confirmed reproducer per
//! distinct finding. No nightly toolchain, no cargo-fuzz.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Exit;
use super::stress::{self, parse_duration};
use crate::check::{Findings, Verdict, Violation};
use crate::generate::fuzz::FuzzConfig;
use crate::generate::mutate::Mutation;
use crate::report::transcript::of_history;
use crate::run::monitor::{MonitorConfig, MonitorReport};
use crate::run::replay::{
    Reproducer, ShrinkBudget, WorkspaceSpec, fewer_sessions, narrow, reproduces, shrink,
};
use crate::run::runner::Runner;
use crate::run::stress::{FuzzRun, StressConfig, StressOutcome};
use crate::run::target::Target;

#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub stress: stress::Args,
    /// Percent of command groups replaced by a mutation.
    #[arg(long, default_value_t = 30)]
    pub mutate: u32,
    /// Milliseconds between liveness probes (fresh connection, greeting, NOOP).
    #[arg(long, default_value_t = 500)]
    pub monitor_ms: u64,
    /// Memory bound for the server's processes (recipe targets), in MiB.
    #[arg(long, default_value_t = 2048)]
    pub max_server_rss_mib: u64,
    /// Where reproducers are written (default: REPORT_DIR/reproducers, else
    /// ./imapgate-reproducers).
    #[arg(long)]
    pub reproducers: Option<PathBuf>,
    /// Distinct findings (requirement and detector) to shrink into reproducers.
    #[arg(long, default_value_t = 10)]
    pub max_reproducers: usize,
    /// Time allowed for shrinking one finding.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub shrink_time: Duration,
    /// Time allowed for all reproducers together, after the run: no new replay starts once
    /// it is spent, and the findings left are written as their cuts, not replayed.
    #[arg(long, default_value = "20m", value_parser = parse_duration)]
    pub shrink_total: Duration,
    /// Leave out a mutation (by name, repeatable): to keep fuzzing past a crash already
    /// reported, e.g. `--skip-mutation huge-literal-claim` for a server that preallocates.
    #[arg(long = "skip-mutation", value_parser = Mutation::parse)]
    pub skip: Vec<Mutation>,
}

/// The fuzzing knobs `stress::run_mode` needs.
#[derive(Clone, Debug)]
pub struct FuzzOptions {
    mutate: u32,
    monitor_interval: Duration,
    max_rss_kib: u64,
    reproducers: PathBuf,
    max_reproducers: usize,
    shrink_time: Duration,
    shrink_total: Duration,
    mutations: Vec<Mutation>,
}

pub fn run(args: FuzzArgs) -> Exit {
    let reproducers = args.reproducers.clone().unwrap_or_else(|| {
        args.stress.report_dir.as_ref().map_or_else(
            || PathBuf::from("imapgate-reproducers"),
            |d| d.join("reproducers"),
        )
    });
    let options = FuzzOptions {
        mutate: args.mutate.min(100),
        monitor_interval: Duration::from_millis(args.monitor_ms.max(50)),
        max_rss_kib: args.max_server_rss_mib.saturating_mul(1024),
        reproducers,
        max_reproducers: args.max_reproducers,
        shrink_time: args.shrink_time,
        shrink_total: args.shrink_total,
        mutations: Mutation::all_but(&args.skip),
    };
    stress::run_mode(args.stress, Some(options))
}

impl FuzzOptions {
    /// The fuzzing part of the run's configuration.
    pub(super) fn run(&self, config: &StressConfig, target: &Target) -> FuzzRun {
        let has = |cap: &str| {
            config
                .meta
                .capabilities
                .iter()
                .any(|c| c.eq_ignore_ascii_case(cap))
        };
        let users =
            u32::try_from(config.users.len().min(config.sessions as usize).max(1)).unwrap_or(1);
        FuzzRun {
            mix: FuzzConfig {
                mutate_percent: self.mutate,
                mutations: self.mutations.clone(),
                literal_plus: has("LITERAL+"),
                literal_minus: has("LITERAL-"),
            },
            monitor: MonitorConfig {
                // After the plan's sessions and the setup and clean-up sessions.
                session: config.sessions + 2 * users,
                interval: self.monitor_interval,
                pid: target.recipe.as_ref().and_then(|r| r.running_pid()),
                max_rss_kib: self.max_rss_kib,
                logs: (target.recipe.as_ref()).map(|r| r.manifest.state_dir.clone()),
            },
        }
    }

    /// After the report: the monitor's figures, then a reproducer per distinct finding.
    pub(super) async fn conclude(
        &self,
        target: &Target,
        runner: &Runner,
        config: &StressConfig,
        outcome: &StressOutcome,
        findings: &Findings,
        exit: Exit,
    ) -> Exit {
        let mut exit = exit;
        if let Some(m) = &outcome.monitor {
            print_monitor(m);
            if !m.problems.is_empty() {
                exit = Exit::Findings;
            }
        }
        restart_if_dead(target);
        let picked = distinct(findings, self.max_reproducers);
        if picked.is_empty() {
            return exit;
        }
        if let Err(e) = std::fs::create_dir_all(&self.reproducers) {
            eprintln!(
                "imapgate: cannot create {}: {e}",
                self.reproducers.display()
            );
            return Exit::Harness;
        }
        eprintln!(
            "imapgate: shrinking {} distinct finding(s) into reproducers under {} (at most {:?} \
             in all)",
            picked.len(),
            self.reproducers.display(),
            self.shrink_total
        );
        let deadline = Instant::now() + self.shrink_total;
        let cut = |v: &Violation, all: bool| {
            Reproducer::from_history(
                &outcome.history,
                v,
                config.sessions,
                workspace(config),
                &config.users,
                all,
            )
        };
        // Shortest cuts first: when the shrink time runs out, it is the long cuts (the ones
        // least likely to confirm in time) that are left unreplayed.
        let mut cuts: Vec<(Reproducer, &Violation)> =
            picked.iter().map(|v| (cut(v, false), v)).collect();
        cuts.sort_by_key(|(r, _)| r.steps.len());
        for (n, (repro, v)) in cuts.into_iter().enumerate() {
            self.reproducer(runner, repro, || cut(v, true), n + 1, deadline)
                .await;
        }
        exit
    }

    /// Confirm (with every session if the sessions the evidence names are not enough),
    /// shrink, write; one line per reproducer. No replay starts after `deadline` (the run's
    /// shrink time): the cut is written as it is.
    async fn reproducer(
        &self,
        runner: &Runner,
        repro: Reproducer,
        everyone: impl FnOnce() -> Reproducer,
        n: usize,
        deadline: Instant,
    ) {
        let access = runner.access();
        let name = format!(
            "{n:02}-{}-{}",
            repro.finding.requirement, repro.finding.detector
        );
        let timed = |repro: Reproducer| Reproducer {
            timeout_s: Some(access.timeouts.response.as_secs()),
            ..repro
        };
        let spent = || Instant::now() >= deadline;
        let unreplayed = |repro: Reproducer| {
            let note = "not replayed: the run's shrink time (--shrink-total) was spent";
            self.report_written(&name, note, &timed(repro), 0, None);
        };
        if spent() {
            return unreplayed(repro);
        }
        let limit = self.shrink_time.max(Duration::from_secs(60));
        // Cheap cuts first: the last steps of a long run, on the appends and selections they
        // stand on, for the named sessions and then for every session.
        let mut found = narrow(access, &repro, deadline, 1).await;
        // Every session's cut (a pass over the whole history) only when the named ones fail.
        let wider = found
            .is_none()
            .then(everyone)
            .filter(|w| w.users.len() > repro.users.len());
        if let (None, Some(wider)) = (&found, &wider) {
            found = narrow(access, wider, deadline, 1).await;
        }
        // The whole cuts are replayed only while the run's shrink time lasts (narrow stopped
        // starting replays at the deadline; these would each take up to `limit` more).
        let (mut repro, mut first) = match found {
            Some((w, h)) => (w, Ok((true, h))),
            None if spent() => return unreplayed(repro),
            None => {
                let first = reproduces(access, &repro, limit).await;
                (repro, first)
            }
        };
        if let (Ok((false, _)), Some(wider), false) = (&first, wider, spent()) {
            first = reproduces(access, &wider, limit).await;
            repro = wider;
        }
        // A race form that showed its finding loses the sessions it does without, never
        // rounds (they are what make it show), and is not replayed again: the replay that
        // last showed it is its confirmation and its transcript (`replay --attempts N`
        // shows it again, some replays out of N).
        let budget = ShrinkBudget {
            max_replays: 200,
            max_time: self
                .shrink_time
                .min(deadline.saturating_duration_since(Instant::now())),
            tries: 1,
        };
        let (repro, replays, note, shown) = match first {
            Ok((true, h)) if repro.concurrent => {
                let (small, replays, last) = fewer_sessions(access, repro, budget).await;
                let h = last.unwrap_or(h);
                (small, replays + 1, "reproduces (a race)", Some(h))
            }
            Ok((true, _)) => {
                let (small, replays) = shrink(access, repro, budget).await;
                (small, replays + 1, "reproduces", None)
            }
            Ok((false, _)) => (
                repro,
                1,
                "did NOT reproduce on replay (timing-dependent?)",
                None,
            ),
            Err(e) => {
                eprintln!("  {name}: replay failed: {e}");
                (repro, 1, "replay failed", None)
            }
        };
        let last = match shown {
            Some(h) => Ok((true, h)),
            None => reproduces(access, &repro, limit).await,
        };
        let confirmed = matches!(last, Ok((true, _)));
        let note = if note == "reproduces" && !confirmed {
            "shrunk, but the final replay did not show it (timing-dependent?)"
        } else {
            note
        };
        let history = last.ok().map(|(_, h)| h);
        self.report_written(&name, note, &timed(repro), replays, history);
    }

    /// Write `repro` (and the transcript of `history`) and say so in one line.
    fn report_written(
        &self,
        name: &str,
        note: &str,
        repro: &Reproducer,
        replays: u32,
        history: Option<crate::history::History>,
    ) {
        match write(&self.reproducers, name, repro, history) {
            Ok(path) => eprintln!(
                "  {name}: {note}; {} step(s) in {} session(s) after {replays} replay(s): {}",
                repro.steps.len(),
                repro.users.len(),
                path.display()
            ),
            Err(e) => eprintln!("  {name}: cannot write the reproducer: {e}"),
        }
    }
}

/// One violation per (requirement, detector) that counts against the server.
fn distinct(findings: &Findings, max: usize) -> Vec<Violation> {
    let mut seen = HashSet::new();
    findings
        .violations
        .iter()
        .filter(|v| matches!(v.verdict, Verdict::Fail | Verdict::NonStrict))
        .filter(|v| seen.insert((v.requirement.id, v.detector)))
        .take(max)
        .cloned()
        .collect()
}

fn workspace(config: &StressConfig) -> WorkspaceSpec {
    let layout = &config.plan.layout;
    let name = format!("imapgate-{}", layout.run_id);
    let prefix = layout
        .root
        .strip_suffix(name.as_bytes())
        .unwrap_or_default();
    WorkspaceSpec {
        prefix: String::from_utf8_lossy(prefix).into_owned(),
        delimiter: layout.delimiter.map(|d| char::from(d).to_string()),
        run_id: layout.run_id.clone(),
        shared: layout.shared.len(),
    }
}

/// A recipe server that died during the run is started again, so the findings can be
/// replayed (its crash is already in the report).
fn restart_if_dead(target: &Target) {
    let Some(recipe) = target.recipe.as_ref() else {
        return;
    };
    if recipe.running_pid().is_some() {
        return;
    }
    eprintln!("imapgate: the server is gone; starting it again to replay the findings");
    if let Err(e) = recipe.start() {
        eprintln!("imapgate: cannot restart {}: {e}", recipe.manifest.name);
    }
}

fn print_monitor(m: &MonitorReport) {
    let rss = match (m.first_rss_kib, m.peak_rss_kib) {
        (Some(a), Some(b)) => format!(", server memory {} MiB → peak {} MiB", a / 1024, b / 1024),
        _ => String::new(),
    };
    eprintln!(
        "imapgate: liveness monitor: {} probe(s), {} failed{rss}",
        m.probes, m.failed_probes
    );
    for p in &m.problems {
        eprintln!("imapgate: FINDING: {p}");
    }
}

/// `<dir>/<name>.repro.json` and, when a replay ran, `<name>.transcript.txt` of it.
fn write(
    dir: &Path,
    name: &str,
    repro: &Reproducer,
    history: Option<crate::history::History>,
) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("{name}.repro.json"));
    let json = serde_json::to_string_pretty(repro).map_err(std::io::Error::other)?;
    std::fs::write(&path, json + "\n")?;
    if let Some(h) = history {
        let (lines, left_out) = of_history(&h);
        let mut text: String = lines
            .iter()
            .map(|l| format!("{:>7} {}{} {}\n", l.ms, l.session, l.dir, l.text))
            .collect();
        if left_out > 0 {
            text.push_str(&format!("… {left_out} more event(s)\n"));
        }
        std::fs::write(dir.join(format!("{name}.transcript.txt")), text)?;
    }
    Ok(path)
}
