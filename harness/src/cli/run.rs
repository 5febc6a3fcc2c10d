//! `imapgate run --target T [PATHS…]`: run scenario files (imaptest scripts included) and
//! print one line per scenario and a summary. Exit 0 when every scenario passed, was
//! unimplemented or is an accepted exception; 1 on failures; 2 on harness or usage errors.
//! With `--baseline`, 1 only on regressions; on SIGINT/SIGTERM, 130/143 after the report.

use super::target_args::TargetArgs;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use comfy_table::{ContentArrangement, Table};

use super::Exit;
use super::interrupt::Interrupt;
use super::reporting::{Outputs, conclude};
use super::run_report::{RunFacts, build, parse_shard, select_shard};
use crate::generate::scenario::exceptions::{self, Exception, Exceptions};
use crate::generate::scenario::suite::{collect, run_all_until, run_id};
use crate::generate::scenario::{Outcome, RunTarget, Scenario, Verdict, load};
use crate::report::progress::Progress;
use crate::report::{Events, Shard, clock};
use crate::run::recipe::targets_dir;
use crate::run::transport::Timeouts;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub conn: TargetArgs,
    /// Scenario files or folders (a folder: every script in it, with its .mbox fixtures).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The second user, for scripts with `user 2: $user2` (a recipe's second user by default).
    #[arg(long)]
    pub user2: Option<String>,
    /// Seconds to wait for any response.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Scenarios run at the same time. One by default: parallel scenarios log in as the same
    /// user, and Dovecot 2.3 then now and then refuses a fresh CREATE with ALREADYEXISTS
    /// (reports/findings/dovecot-concurrent-create.txt), which would make a gate flaky.
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// Accepted deviations per target (default: scenarios/exceptions.toml if present).
    #[arg(long)]
    pub exceptions: Option<PathBuf>,
    /// Write each scenario's history (JSON lines) into this folder.
    #[arg(long)]
    pub history_dir: Option<PathBuf>,
    /// Write the report here: index.json, cases/, events.jsonl, junit.xml, report.md/.html.
    #[arg(long)]
    pub report_dir: Option<PathBuf>,
    /// Compare per-case verdicts with this baseline: exit 1 only on regressions.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Run only part i of n of the scenario files (`2/4`; round robin over the sorted list).
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

pub fn run(args: Args) -> Exit {
    match run_inner(&args) {
        Ok(exit) => exit,
        Err(e) => {
            eprintln!("imapgate: {e}");
            Exit::Harness
        }
    }
}

type BoxError = Box<dyn std::error::Error>;

fn run_inner(args: &Args) -> Result<Exit, BoxError> {
    let files = select_shard(collect(&args.paths)?, args.shard);
    if files.is_empty() {
        return Err("no scenario files found".into());
    }
    let (scenarios, unloadable) = load_all(&files);
    for (_, e) in &unloadable {
        println!("HarnessError  {e}");
    }
    let exceptions = load_exceptions(args)?;
    let target = run_target(args)?;
    let target_name = target.name.clone();
    let applicable = exceptions.for_target(&target.name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let started_at = clock::now_rfc3339();
    let expected = scenarios.len();
    let mut progress = Progress::new(expected as u64, "scenarios");
    let (outcomes, interrupt) = runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let interrupt = Interrupt::listen(move |_| flag.store(true, Ordering::SeqCst));
        let outcomes = run_all_until(scenarios.clone(), target, args.jobs, &run_id(), stop, |o| {
            progress.println(&line(o, exceptions::find(&applicable, &o.name)));
            progress.inc(&o.name);
        })
        .await;
        (outcomes, interrupt)
    });
    progress.finish();
    let wall = started.elapsed();
    let ran: Vec<Outcome> = outcomes.iter().flatten().cloned().collect();
    if let Some(dir) = &args.history_dir {
        write_histories(dir, &ran)?;
    }
    let signal = interrupt.signal();
    let lost = if signal.is_some() {
        0
    } else {
        expected - ran.len()
    };
    let summary = Summary::of(&ran, &applicable, unloadable.len() + lost);
    summary.print(wall, &stale(&ran, &applicable));
    let facts = RunFacts {
        target: target_name,
        sources: args.paths.iter().map(|p| p.display().to_string()).collect(),
        shard: args.shard,
        started: started_at,
        signal,
    };
    let (report, histories) = build(facts, &unloadable, &scenarios, &outcomes, |name| {
        exceptions::find(&applicable, name).map(|e| e.reason.clone())
    });
    let events = Events::PerCase(histories.iter().map(|(id, h)| (id.as_str(), *h)).collect());
    let outputs = Outputs {
        report_dir: args.report_dir.clone(),
        baseline: args.baseline.clone(),
    };
    Ok(conclude(&report, &events, &outputs, summary.exit(), signal))
}

fn load_all(files: &[PathBuf]) -> (Vec<Scenario>, Vec<(PathBuf, String)>) {
    let mut scenarios = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load(f) {
            Ok(s) => scenarios.push(s),
            Err(e) => errors.push((f.clone(), e.to_string())),
        }
    }
    (scenarios, errors)
}

fn load_exceptions(args: &Args) -> Result<Exceptions, BoxError> {
    if let Some(path) = &args.exceptions {
        return Ok(Exceptions::load(path)?);
    }
    let default = targets_dir().join("../scenarios/exceptions.toml");
    if default.is_file() {
        return Ok(Exceptions::load(&default)?);
    }
    Ok(Exceptions::default())
}

/// Resolve the target (a recipe that is not running is started) and its users.
fn run_target(args: &Args) -> Result<RunTarget, BoxError> {
    let target = args.conn.resolve_and_start()?;
    let secs = Duration::from_secs(args.timeout.max(1));
    let mut users = vec![target.user.clone()];
    let recipe_users = target.recipe.iter().flat_map(|r| r.manifest.users.clone());
    let second = args
        .user2
        .clone()
        .or_else(|| recipe_users.into_iter().find(|u| *u != target.user));
    users.extend(second);
    let namespace_prefix = target
        .recipe
        .as_ref()
        .map(|r| r.manifest.namespace_prefix.clone())
        .unwrap_or_default();
    Ok(RunTarget {
        name: target.name.clone(),
        endpoint: target.endpoint.clone(),
        timeouts: Timeouts {
            connect: secs,
            greeting: secs,
            response: secs,
        },
        users,
        password: target.password.clone(),
        namespace_prefix,
    })
}

/// The recipe `sel.target` as a private instance, `offset` ports up.
/// One line per scenario as it finishes; failures with their details below.
fn line(o: &Outcome, exception: Option<&Exception>) -> String {
    let secs = o.elapsed.as_secs_f64();
    let label = match (&o.verdict, exception) {
        (Verdict::Fail(_), Some(_)) => "Excepted",
        (v, _) => v.label(),
    };
    let mut out = vec![format!("{label:<13} {:<36} {secs:>6.2}s", o.name)];
    match &o.verdict {
        Verdict::Fail(f) | Verdict::NonStrict(f) => {
            out.push(format!("    {}", f.to_string().replace('\n', "\n    ")));
            if let Some(e) = exception {
                out.push(format!("    excepted: {}", e.reason));
            }
        }
        Verdict::Unimplemented { reason }
        | Verdict::HarnessError { reason }
        | Verdict::Unknown { reason } => {
            out.push(format!("    {reason}"));
        }
        Verdict::Pass => {}
    }
    out.extend(o.warnings.iter().map(|w| format!("    warning: {w}")));
    out.extend(o.output.iter().map(|l| format!("    output: {l}")));
    out.join("\n")
}

fn write_histories(dir: &std::path::Path, outcomes: &[Outcome]) -> Result<(), BoxError> {
    std::fs::create_dir_all(dir)?;
    for o in outcomes {
        let file = std::fs::File::create(dir.join(format!("{}.jsonl", o.name)))?;
        let mut out = std::io::BufWriter::new(file);
        o.history.write_jsonl(&mut out)?;
    }
    Ok(())
}

/// Exceptions for this target, about a scenario of this run, that excepted nothing.
fn stale<'a>(outcomes: &[Outcome], applicable: &[&'a Exception]) -> Vec<&'a Exception> {
    let ran = |e: &&Exception| {
        outcomes
            .iter()
            .any(|o| exceptions::glob(&e.scenario, &o.name))
    };
    let applicable: Vec<&Exception> = applicable.iter().copied().filter(ran).collect();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Fail(_)))
        .map(|o| o.name.as_str())
        .collect();
    exceptions::stale(&applicable, &failed)
}

#[derive(Default)]
struct Summary {
    pass: usize,
    nonstrict: usize,
    unknown: usize,
    fail: usize,
    excepted: usize,
    unimplemented: usize,
    harness: usize,
}

impl Summary {
    fn of(outcomes: &[Outcome], applicable: &[&Exception], extra_harness: usize) -> Self {
        let mut s = Summary {
            harness: extra_harness,
            ..Summary::default()
        };
        for o in outcomes {
            match &o.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::NonStrict(_) => s.nonstrict += 1,
                Verdict::Unknown { .. } => s.unknown += 1,
                Verdict::Fail(_) if exceptions::find(applicable, &o.name).is_some() => {
                    s.excepted += 1;
                }
                Verdict::Fail(_) => s.fail += 1,
                Verdict::Unimplemented { .. } => s.unimplemented += 1,
                Verdict::HarnessError { .. } => s.harness += 1,
            }
        }
        s
    }

    fn print(&self, wall: Duration, stale: &[&Exception]) {
        let mut t = Table::new();
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_header(["verdict", "scenarios"]);
        let rows = [
            ("Pass", self.pass),
            ("NonStrict", self.nonstrict),
            ("Unknown", self.unknown),
            ("Fail", self.fail),
            ("Excepted", self.excepted),
            ("Unimplemented", self.unimplemented),
            ("HarnessError", self.harness),
        ];
        for (name, n) in rows {
            t.add_row([name.to_owned(), n.to_string()]);
        }
        let total = self.pass
            + self.nonstrict
            + self.unknown
            + self.fail
            + self.excepted
            + self.unimplemented
            + self.harness;
        t.add_row([
            "total".to_owned(),
            format!("{total} in {:.2}s", wall.as_secs_f64()),
        ]);
        println!("{t}");
        for e in stale {
            println!(
                "stale exception: target {:?} scenario {:?} excepted no failure this run ({})",
                e.target, e.scenario, e.reason
            );
        }
    }

    fn exit(&self) -> Exit {
        if self.harness > 0 {
            Exit::Harness
        } else if self.fail > 0 {
            Exit::Findings
        } else {
            Exit::Clean
        }
    }
}
