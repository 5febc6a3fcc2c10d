//! `imapgate stress --target T --sessions N --duration D --seed S [--report-dir DIR]`: the
//! random plan with N concurrent sessions, a progress line a second, then findings by
//! requirement and a summary. Exit 0 clean, 1 findings (Fail; NonStrict too under
//! `--strict`), 2 harness or usage error.

use super::target_args::TargetArgs;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::Exit;
use super::fuzz::FuzzOptions;
use super::interrupt::{Interrupt, Signal};
use super::reporting::{Outputs, conclude};
use super::stress_cases::{StressFacts, build};
use super::stress_findings::{Judged, from_findings};
use super::stress_live::LiveCheck;
use super::stress_report::{print_findings, print_summary};
use crate::check::Findings;
use crate::generate::args::Caps;
use crate::generate::layout::{Layout, clock_run_id};
use crate::generate::random::{GenConfig, RandomPlan};
use crate::history::Meta;
use crate::report::{Events, clock};
use crate::run::connect::Access;
use crate::run::login::AuthMethod;
use crate::run::probe::{ProbeReport, probe};
use crate::run::recorder::{RecordLimits, Recorder};
use crate::run::runner::{DEFAULT_LOGIN_CONCURRENCY, Runner};
use crate::run::stress::{StressConfig, StressOutcome, stress};
use crate::run::target::Target;
use crate::run::transport::Timeouts;
use crate::run::usage::process_cpu;

#[derive(Debug, clap::Args)]
#[command(after_help = STRESS_EXIT)]
pub struct Args {
    #[command(flatten)]
    pub conn: TargetArgs,
    /// Concurrent sessions.
    #[arg(long, default_value_t = 10)]
    pub sessions: u32,
    /// How long to run: `60s`, `500ms`, `2m`.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Seed of the random plan (printed; the same seed replays the same plan).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the report there: index.json, cases/, events.jsonl (the history), junit.xml,
    /// report.md and report.html.
    #[arg(long)]
    pub report_dir: Option<PathBuf>,
    /// Compare per-case verdicts with this baseline: exit 1 only on regressions.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// How many of the target's users the sessions share (round robin).
    #[arg(long, default_value_t = 1)]
    pub users: usize,
    /// Shared mailboxes every session of a user works on.
    #[arg(long, default_value_t = 1)]
    pub shared: usize,
    /// Percent of commands sent in the wrong state on purpose.
    #[arg(long, default_value_t = 2)]
    pub wrong_state: u32,
    /// Percent of command groups pipelined.
    #[arg(long, default_value_t = 15)]
    pub pipeline: u32,
    /// Memory for the run's history, in MiB: the run stops issuing commands when it is
    /// spent (a fast server fills 768 MiB in about seven minutes at 1,200 commands/s).
    #[arg(long, default_value_t = 768)]
    pub history_mib: u64,
    /// Sessions that mostly IDLE on a shared mailbox while the others change it, when the
    /// server advertises IDLE (default: one in five; 0 for none).
    #[arg(long)]
    pub idle_sessions: Option<u32>,
    /// Name the run's root mailbox `imapgate-<run id>` (default: from the clock).
    #[arg(long)]
    pub run_id: Option<String>,
    /// Seconds to wait for any response before recording a timeout.
    #[arg(long, default_value_t = 15)]
    pub timeout: u64,
    #[arg(long, value_enum, default_value_t = AuthMethod::Auto)]
    pub auth: AuthMethod,
    /// Count NonStrict findings (a SHOULD broken) as failures: exit 1 on them too.
    #[arg(long)]
    pub strict: bool,
    /// Pause the sessions this often for a checkpoint: two fresh sessions ask each shared
    /// mailbox the same read-only questions (SORT by every key, THREAD by every algorithm),
    /// judged against the model and against each other. `0s`: only the one at the end.
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    pub checkpoint_every: Duration,
}

/// Decision 5 of DESIGN.md, as the user sees it.
const STRESS_EXIT: &str = "Verdicts and exit status:
  Fail           a MUST broken (liveness included: a server that crashed or hung during a
                 command)                                                  -> exit 1
  NonStrict      a SHOULD broken: shown, exit 1 only with --strict (promoted to Fail)
  Informational  a legal choice (a MAY used): shown, exit 0
  Unknown        not decidable (a timeout or a disconnect made both outcomes possible):
                 shown, exit 0
  HarnessError   imapgate's own failure: nothing can be concluded          -> exit 2
  Exit 0 when nothing counts against the server; 2 wins over 1.";

/// `60s`, `500ms`, `2m`, `1h`, or bare seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("bad duration {text:?}"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!("bad duration unit in {text:?} (use ms, s, m or h)")),
    }
}

pub fn run(args: Args) -> Exit {
    run_mode(args, None)
}

/// `stress`, or `fuzz` when `fuzz` is given (the same run with mutations, reconnection,
/// the liveness monitor and reproducers).
pub(super) fn run_mode(args: Args, fuzz: Option<FuzzOptions>) -> Exit {
    if args.sessions == 0 {
        eprintln!("imapgate: --sessions must be at least 1");
        return Exit::Harness;
    }
    let runtime = match super::runtime() {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    runtime.block_on(run_async(args, fuzz))
}

/// Resolve (and start) the target and probe it; it must have logged in. `what` names the
/// job in the error message ("stress", "replay against").
pub(super) async fn reach(
    conn: &TargetArgs,
    auth: AuthMethod,
    timeouts: Timeouts,
    what: &str,
) -> Result<(Target, ProbeReport), Exit> {
    let target = conn.resolve_and_start().map_err(|e| {
        eprintln!("imapgate: {e}");
        Exit::Harness
    })?;
    let report = probe(&target, auth, timeouts).await;
    if let Err(why) = usable(&report) {
        eprintln!("imapgate: cannot {what} {}: {why}", target.name);
        return Err(Exit::Harness);
    }
    Ok((target, report))
}

async fn run_async(args: Args, fuzz: Option<FuzzOptions>) -> Exit {
    let timeouts = timeouts(args.timeout);
    let (target, report) = match reach(&args.conn, args.auth, timeouts, "stress").await {
        Ok(reached) => reached,
        Err(exit) => return exit,
    };
    let seed = args.seed.unwrap_or_else(clock_seed);
    let run_id = args.run_id.clone().unwrap_or_else(clock_run_id);
    let mut config = stress_config(&args, &target, &report, seed, &run_id);
    config.fuzz = fuzz.as_ref().map(|f| f.run(&config, &target));
    eprintln!(
        "imapgate: stress {}: {} sessions for {:?}, seed {seed}, root {}",
        target.name,
        args.sessions,
        args.duration,
        String::from_utf8_lossy(&config.plan.layout.root)
    );
    let runner = Runner::new(
        access(&target, args.auth, &report, timeouts),
        Recorder::new(RecordLimits {
            soft_bytes: args.history_mib << 20,
            hard_bytes: (args.history_mib + args.history_mib / 3) << 20,
        }),
        DEFAULT_LOGIN_CONCURRENCY,
    );
    let runner = if fuzz.is_some() {
        runner.reconnecting()
    } else {
        runner
    };
    let interrupt = stop_on_signal(&runner);
    let started = clock::now_rfc3339();
    let live = LiveCheck::start(config.meta.clone(), args.strict, args.duration);
    let outcome = stress(&runner, config.clone(), |p, rec| live.tick(p, rec)).await;
    if outcome.budget_reached {
        eprintln!(
            "imapgate: the run stopped after {:.0} s: its history reached the recording budget \
             (--history-mib {}; a larger one lets a fast server run longer)",
            outcome.elapsed.as_secs_f64(),
            args.history_mib
        );
    }
    let facts = StressFacts {
        target: target.name.clone(),
        greeting: report.greeting.clone(),
        capabilities: report.capabilities_post_auth.clone(),
        seed,
        started,
        reproduce: reproduce(&args, seed, fuzz.is_some()),
        signal: interrupt.signal(),
    };
    let (exit, findings) = finish(&args, &outcome, &live, facts);
    match fuzz {
        Some(f) if facts_allow_reproducers(exit) => {
            f.conclude(&target, &runner, &config, &outcome, &findings, exit)
                .await
        }
        _ => exit,
    }
}

/// Reproducers are cut only from a run that ran (not one stopped by a signal or failed).
fn facts_allow_reproducers(exit: Exit) -> bool {
    matches!(exit, Exit::Findings | Exit::Clean)
}

fn reproduce(args: &Args, seed: u64, fuzz: bool) -> String {
    format!(
        "imapgate {} --target {} --sessions {} --duration {}ms --seed {seed}",
        if fuzz { "fuzz" } else { "stress" },
        args.conn.target,
        args.sessions,
        args.duration.as_millis()
    )
}

pub(super) use super::timeouts;

/// The probe must have logged in and learned the hierarchy delimiter.
pub(super) fn usable(report: &ProbeReport) -> Result<(), String> {
    if let Some(e) = &report.harness_error {
        return Err(e.clone());
    }
    match &report.login {
        Some(l) if l.status == "OK" => Ok(()),
        Some(l) => Err(format!("login refused: {} {}", l.status, l.text)),
        None => Err(report
            .findings
            .first()
            .map_or_else(|| "login failed".into(), |f| f.summary.clone())),
    }
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn stress_config(
    args: &Args,
    target: &Target,
    report: &ProbeReport,
    seed: u64,
    run_id: &str,
) -> StressConfig {
    let prefix = report.namespace_prefix.clone().unwrap_or_default();
    let delimiter = report
        .delimiter
        .as_deref()
        .filter(|d| d.len() == 1)
        .map(|d| d.as_bytes()[0]);
    let layout = Layout::new(prefix.as_bytes(), delimiter, run_id, args.shared.max(1));
    let caps = Caps(report.capabilities_post_auth.clone());
    let push_bound_ms = push_bound_ms(target);
    StressConfig {
        sessions: args.sessions,
        duration: args.duration,
        checkpoint_every: Some(args.checkpoint_every),
        users: users(target, args.users),
        plan: RandomPlan {
            seed,
            layout: Arc::new(layout),
            caps: Arc::new(caps),
            config: GenConfig {
                wrong_state_percent: args.wrong_state,
                pipeline_percent: args.pipeline,
                idle_sessions: args.idle_sessions.unwrap_or(args.sessions / 5),
                idle_hold_ms: idle_hold_ms(push_bound_ms),
                ..GenConfig::default()
            },
            sessions: args.sessions,
        },
        meta: Meta {
            target: target.name.clone(),
            seed: Some(seed),
            sessions: args.sessions,
            capabilities: report.capabilities_post_auth.clone(),
            push_bound_ms: Some(push_bound_ms),
        },
        fuzz: None,
    }
}

/// How long a change may take to reach an idling session before it is a finding: four
/// times the push latency measured when the recipe was verified, at least two seconds (a
/// server that never pushed when verified gets the two seconds).
fn push_bound_ms(target: &Target) -> u64 {
    let measured = target
        .recipe
        .as_ref()
        .and_then(|r| r.manifest.push_latency_ms)
        .unwrap_or(0);
    (measured * 4).max(2000)
}

/// How long an IDLE listens: an IDLE shorter than the push bound can never show a push
/// missed, so the longest last half as long again as the bound (Courier's bound is 4.2 s;
/// the default range, 1 to 4 s, would have left its pushes unjudged).
fn idle_hold_ms(push_bound_ms: u64) -> (u32, u32) {
    let (lo, hi) = GenConfig::default().idle_hold_ms;
    let longest = u32::try_from(push_bound_ms.saturating_mul(3) / 2).unwrap_or(u32::MAX);
    (lo, hi.max(longest))
}

/// The recipe's users (as many as asked), else the target's one user.
fn users(target: &Target, n: usize) -> Vec<String> {
    let from_recipe = target
        .recipe
        .as_ref()
        .map(|r| r.manifest.users.clone())
        .filter(|u| !u.is_empty() && target.user == u[0]);
    match from_recipe {
        Some(users) => users.into_iter().take(n.max(1)).collect(),
        None => vec![target.user.clone()],
    }
}

pub(super) fn access(
    target: &Target,
    auth: AuthMethod,
    report: &ProbeReport,
    timeouts: Timeouts,
) -> Access {
    Access::to_target(
        target,
        auth,
        report.capabilities_post_auth.clone(),
        timeouts,
    )
}

/// SIGINT or SIGTERM stops every session after its current command; clean-up still runs,
/// and the report of what ran is written, marked incomplete.
fn stop_on_signal(runner: &Runner) -> Interrupt {
    let stop = runner.stop_flag();
    Interrupt::listen(move |_: Signal| stop.store(true, Ordering::Relaxed))
}

fn finish(
    args: &Args,
    outcome: &StressOutcome,
    live: &LiveCheck,
    facts: StressFacts,
) -> (Exit, Findings) {
    let (seed, signal) = (facts.seed, facts.signal);
    let cpu_before = process_cpu();
    let findings = live.finish(&outcome.history);
    let judged = from_findings(&findings, live.strict());
    let check_cpu = cpu_before
        .zip(process_cpu())
        .map(|(a, b)| b.saturating_sub(a));
    print_findings(&judged);
    print_summary(outcome, check_cpu, &judged, &findings.measures, seed);
    let report = build(facts, outcome, &findings, live.strict());
    let outputs = Outputs {
        report_dir: args.report_dir.clone(),
        baseline: args.baseline.clone(),
    };
    let exit = exit_of(outcome, &judged, true);
    let exit = conclude(
        &report,
        &Events::Whole(&outcome.history),
        &outputs,
        exit,
        signal,
    );
    (exit, findings)
}

/// 2 when the harness failed (nothing can be concluded), 1 on findings, else 0. A clean-up
/// that failed because the server died is a consequence of a finding, not a harness error.
fn exit_of(outcome: &StressOutcome, judged: &Judged, wrote: bool) -> Exit {
    let server_findings = judged.server_findings() > 0;
    let harness = !wrote
        || outcome.setup_error.is_some()
        || (!outcome.cleanup_problems.is_empty() && !server_findings)
        || judged.harness_errors() > 0;
    if harness {
        Exit::Harness
    } else if !server_findings {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("5 days").is_err());
        assert!(parse_duration("s").is_err());
    }

    #[test]
    fn idles_outlast_the_push_bound() {
        // Dovecot (550 ms measured, 2.2-s bound) keeps the default range; Courier (1,050 ms,
        // 4.2 s) idles up to 6.3 s, so a push missed for longer than the bound can show.
        assert_eq!(idle_hold_ms(2200), (1000, 4000));
        assert_eq!(idle_hold_ms(4200), (1000, 6300));
        assert_eq!(idle_hold_ms(u64::MAX), (1000, u32::MAX));
    }
}
