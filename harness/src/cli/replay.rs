//! `imapgate replay FILE --target T`: re-run a reproducer written by `imapgate fuzz` and say
//! whether its finding still shows. Exit 1 when it reproduces (the server still deviates),
//! 0 when it does not, 2 when the replay could not run.

use std::path::PathBuf;

use super::Exit;
use super::stress::{access, reach, timeouts};
use super::target_args::TargetArgs;
use crate::check::check;
use crate::report::transcript::of_history;
use crate::run::connect::Access;
use crate::run::login::AuthMethod;
use crate::run::replay::{
    FORMAT, NO_LIMIT, Reproducer, ShrinkBudget, narrow, replay, reproduces, shrink,
};

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// A `*.repro.json` file written by `imapgate fuzz`.
    pub file: PathBuf,
    #[command(flatten)]
    pub conn: TargetArgs,
    /// Seconds to wait for any response [default: the run's, which the file records,
    /// else 15].
    #[arg(long)]
    pub timeout: Option<u64>,
    #[arg(long, value_enum, default_value_t = AuthMethod::Auto)]
    pub auth: AuthMethod,
    /// Print the replay's transcript.
    #[arg(long)]
    pub transcript: bool,
    /// When it reproduces, shrink it for at most this long (windows of the last steps
    /// first, then chunk removal) and write `<name>.min.repro.json` beside it.
    #[arg(long, value_parser = super::stress::parse_duration)]
    pub shrink: Option<std::time::Duration>,
    /// Replay up to this many times, stopping at the first that reproduces: a finding that
    /// hangs on timing between sessions shows on some replays only. With `--shrink`, each
    /// cut and each smaller candidate gets as many replays before it is dropped.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub attempts: u32,
    /// Replay the race forms instead: a query near the finding repeated in its session
    /// while another session repeats its APPEND to that mailbox, both at once, for each
    /// such query in turn; then the loops (the last 8, then 32 steps, every session
    /// repeating its share at once); then the mixes (each session's latest few distinct
    /// commands among the last 64, then 256 steps, all at once); the first that reproduces
    /// is written beside the file as `<name>.race.repro.json`.
    #[arg(long)]
    pub race: bool,
}

pub fn run(args: ReplayArgs) -> Exit {
    let repro = match load(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("imapgate: {}: {e}", args.file.display());
            return Exit::Harness;
        }
    };
    let runtime = match super::runtime() {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    runtime.block_on(run_async(args, repro))
}

fn load(path: &std::path::Path) -> Result<Reproducer, Box<dyn std::error::Error>> {
    let repro: Reproducer = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    if repro.format != FORMAT {
        return Err(format!("format {} (this imapgate reads {FORMAT})", repro.format).into());
    }
    Ok(repro)
}

async fn run_async(args: ReplayArgs, repro: Reproducer) -> Exit {
    let timeouts = timeouts(args.timeout.or(repro.timeout_s).unwrap_or(15));
    let (target, report) = match reach(&args.conn, args.auth, timeouts, "replay against").await {
        Ok(reached) => reached,
        Err(exit) => return exit,
    };
    let access = access(&target, args.auth, &report, timeouts);
    if args.race {
        return races(&args, &access, &target.name, &repro).await;
    }
    if let Some(budget) = args.shrink {
        return shrink_file(&access, &args.file, repro, budget, args.attempts).await;
    }
    let exit = attempts(&args, &access, &target.name, &repro).await;
    if exit == Exit::Clean {
        let f = &repro.finding;
        println!(
            "does not reproduce: {} ({}) not seen on {} in {} step(s){}",
            f.requirement,
            f.detector,
            target.name,
            repro.steps.len(),
            if args.attempts > 1 {
                format!(", {} attempts", args.attempts)
            } else {
                String::new()
            }
        );
    }
    exit
}

/// `--race`: each race form in turn (`--attempts` times each); the first that reproduces is
/// written beside the file.
async fn races(args: &ReplayArgs, access: &Access, target: &str, repro: &Reproducer) -> Exit {
    let all = repro.concurrent_forms();
    if all.is_empty() {
        eprintln!(
            "imapgate: no race form: the last steps hold neither a query in a session with a \
             mailbox selected that another session appended to, nor two sessions"
        );
        return Exit::Harness;
    }
    for race in &all {
        match attempts(args, access, target, race).await {
            Exit::Findings => {
                return match write_beside(&args.file, "race.repro.json", race) {
                    Ok(path) => {
                        println!("the race form: {}", path.display());
                        Exit::Findings
                    }
                    Err(e) => {
                        eprintln!("imapgate: cannot write the race form: {e}");
                        Exit::Harness
                    }
                };
            }
            Exit::Clean => {}
            other => return other,
        }
    }
    println!(
        "does not reproduce: {} ({}) not seen on {target} in {} race form(s), {} attempt(s) each",
        repro.finding.requirement,
        repro.finding.detector,
        all.len(),
        args.attempts
    );
    Exit::Clean
}

/// Replay up to `--attempts` times: Findings at the first that shows the finding (said on
/// stdout), Clean when none did, Harness when a replay could not run.
async fn attempts(args: &ReplayArgs, access: &Access, target: &str, repro: &Reproducer) -> Exit {
    let f = &repro.finding;
    for attempt in 1..=args.attempts {
        let history = match replay(access, repro, NO_LIMIT).await {
            Ok(h) => h,
            Err(e) => {
                eprintln!("imapgate: {e}");
                return Exit::Harness;
            }
        };
        if args.transcript {
            for l in of_history(&history).0 {
                println!("{:>7} {}{} {}", l.ms, l.session, l.dir, l.text);
            }
        }
        if let Some(observed) = shown(repro, &history) {
            let of = if args.attempts > 1 {
                format!(" (attempt {attempt} of {})", args.attempts)
            } else {
                String::new()
            };
            println!(
                "reproduces: {} ({}) on {target}{of}: {observed}",
                f.requirement, f.detector
            );
            return Exit::Findings;
        }
    }
    Exit::Clean
}

/// What the replayed history shows of the reproducer's finding, if it shows it.
fn shown(repro: &Reproducer, history: &crate::history::History) -> Option<String> {
    let findings = check(history);
    let f = &repro.finding;
    findings
        .violations
        .iter()
        .find(|v| v.requirement.id == f.requirement && v.detector == f.detector)
        .filter(|_| repro.shows(&findings))
        .map(|v| v.observed.clone())
}

/// `--shrink`: narrow (windows), then remove chunks, then write the smaller reproducer.
async fn shrink_file(
    access: &crate::run::connect::Access,
    file: &std::path::Path,
    repro: Reproducer,
    budget: std::time::Duration,
    tries: u32,
) -> Exit {
    let before = repro.steps.len();
    let was_race = repro.concurrent;
    // The cuts are tried in full: `--shrink` bounds the shrinking after them.
    let unbounded = std::time::Instant::now() + NO_LIMIT;
    let start = match narrow(access, &repro, unbounded, tries).await {
        Some((w, _)) => w,
        None => match reproduces(access, &repro, budget).await {
            Ok((true, _)) => repro,
            Ok((false, _)) => {
                println!("does not reproduce: nothing to shrink");
                return Exit::Clean;
            }
            Err(e) => {
                eprintln!("imapgate: {e}");
                return Exit::Harness;
            }
        },
    };
    let limits = ShrinkBudget {
        max_replays: 200,
        max_time: budget,
        tries,
    };
    let (small, replays) = shrink(access, start, limits).await;
    match write_beside(file, "min.repro.json", &small) {
        Ok(out) => {
            let said = shrunk_summary(before, was_race, tries, &small, replays, &out);
            println!("reproduces: {said}");
            Exit::Findings
        }
        Err(e) => {
            eprintln!("imapgate: cannot write beside {}: {e}", file.display());
            Exit::Harness
        }
    }
}

/// What `--shrink` kept, from the file's `before` steps (a race form or not), said as what
/// it is. A race form is not a smaller reproducer of an in-order one: its sessions' steps
/// run at once, looped, and it is kept when no in-order cut showed the finding (a
/// timing-dependent one, on the `tries` each cut had), so its step count is no "shrunk to".
fn shrunk_summary(
    before: usize,
    was_race: bool,
    tries: u32,
    small: &Reproducer,
    replays: u32,
    out: &std::path::Path,
) -> String {
    let (steps, sessions) = (small.steps.len(), small.users.len());
    let what = if small.concurrent && !was_race {
        let each = if tries > 1 {
            format!("{tries} tries each")
        } else {
            "one try each; more with --attempts".to_owned()
        };
        format!(
            "no in-order cut of the {before} step(s) showed it ({each}); kept the race \
             form, {steps} step(s) in {sessions} session(s) run at once, looped"
        )
    } else {
        format!("shrunk from {before} to {steps} step(s) in {sessions} session(s)")
    };
    format!("{what} after {replays} replay(s): {}", out.display())
}

/// Write `repro` beside `file` as `<name>.<suffix>` (`x.repro.json` -> `x.min.repro.json`).
fn write_beside(
    file: &std::path::Path,
    suffix: &str,
    repro: &Reproducer,
) -> std::io::Result<PathBuf> {
    let out = file.with_extension("").with_extension(suffix);
    let json = serde_json::to_string_pretty(repro).map_err(std::io::Error::other)?;
    std::fs::write(&out, json)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reproducer(steps: usize, concurrent: bool) -> Reproducer {
        let step = serde_json::json!({"session": 0, "bytes": "\"NOOP\""});
        serde_json::from_value(serde_json::json!({
            "format": FORMAT,
            "target": "t",
            "finding": {"requirement": "R", "detector": "d", "observed": ""},
            "workspace": {"prefix": "", "delimiter": "/", "run_id": "r", "shared": 1},
            "users": ["a", "b"],
            "steps": vec![step; steps],
            "concurrent": concurrent,
        }))
        .expect("a reproducer")
    }

    #[test]
    fn a_race_form_kept_for_an_in_order_finding_is_not_called_shrunk() {
        let out = std::path::Path::new("x.min.repro.json");
        let race = shrunk_summary(11, false, 1, &reproducer(1201, true), 9, out);
        assert!(
            race.contains("race form") && !race.contains("shrunk"),
            "{race}"
        );
        assert!(
            race.contains("11 step(s)") && race.contains("1201 step(s)"),
            "{race}"
        );
        assert!(
            race.contains("one try each; more with --attempts"),
            "{race}"
        );
        let tried = shrunk_summary(11, false, 4, &reproducer(1201, true), 9, out);
        assert!(tried.contains("(4 tries each)"), "{tried}");
        let cut = shrunk_summary(11, false, 1, &reproducer(3, false), 9, out);
        assert!(
            cut.starts_with("shrunk from 11 to 3 step(s) in 2 session(s)"),
            "{cut}"
        );
        // A race that lost sessions is still shrunk.
        let fewer = shrunk_summary(40, true, 1, &reproducer(20, true), 9, out);
        assert!(fewer.starts_with("shrunk from 40 to 20"), "{fewer}");
    }
}
