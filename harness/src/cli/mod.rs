//! The command line: one file per subcommand. Exit codes are uniform across subcommands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod baseline;
mod coverage;
mod fuzz;
mod interrupt;
mod matrix;
mod parse;
mod probe;
mod replay;
mod reporting;
mod run;
mod run_report;
mod stress;
mod stress_cases;
mod stress_findings;
mod stress_live;
mod stress_report;
mod target;
mod target_args;

/// Exit statuses shared by every subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Conforming: nothing found.
    Clean = 0,
    /// Findings: the target (or the input) misbehaved.
    Findings = 1,
    /// Usage error or harness error: nothing can be said about the target.
    Harness = 2,
    /// Stopped by SIGINT (Ctrl-C) after writing the report for what ran (marked incomplete).
    Interrupted = 130,
    /// Stopped by SIGTERM, likewise.
    Terminated = 143,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

const EXIT_CODES: &str = "Exit codes (all subcommands):
  0    conforming: no findings (with --baseline: no regressions)
  1    findings: the target or the input misbehaved (with --baseline: regressions only)
  2    usage or harness error: nothing could be concluded
  130  interrupted by SIGINT (Ctrl-C); the report of what ran is written, marked incomplete
  143  terminated by SIGTERM; likewise";

#[derive(Debug, Parser)]
#[command(name = "imapgate", version, about = "IMAP4rev1 (RFC 3501) conformance and fuzzing harness", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse a raw transcript: one line per response (or command), every error diagnosed.
    Parse(parse::Args),
    /// Connect to a target and report greeting, capabilities, TLS, namespace and login.
    Probe(probe::Args),
    /// Run scenario files or folders (imaptest scripts included) against a target.
    Run(run::Args),
    /// Which scenarios and detectors cover each RFC 3501 requirement; the uncovered rows.
    Coverage(coverage::Args),
    /// Manage the project's real servers (recipes in targets/).
    Target(target::Args),
    /// Run the random plan with many concurrent sessions and check what they observe.
    Stress(stress::Args),
    /// Fuzz a target: the stress mix with named mutations, a liveness monitor, and a shrunk,
    /// replay-confirmed reproducer per finding.
    Fuzz(fuzz::FuzzArgs),
    /// Re-run a reproducer written by `fuzz`: does its finding still show?
    Replay(replay::ReplayArgs),
    /// Baselines of per-case verdicts for `run --baseline`.
    Baseline(baseline::Args),
    /// Render the compliance matrix (servers x requirement groups) from stored runs.
    Matrix(matrix::Args),
}

/// The async runtime every networked subcommand runs on. One thread: sessions wait on the
/// server, not on the CPU, and a single-threaded runtime wakes no other thread per event
/// (multi-threaded, context switches were half the cost of a stress run).
fn runtime() -> Result<tokio::runtime::Runtime, Exit> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("imapgate: cannot start the async runtime: {e}");
            Exit::Harness
        })
}

/// `--timeout` seconds (at least one) for every wait.
fn timeouts(secs: u64) -> crate::run::transport::Timeouts {
    crate::run::transport::Timeouts::uniform(std::time::Duration::from_secs(secs.max(1)))
}

/// Parse the command line and run the subcommand.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Harness.into()
            } else {
                Exit::Clean.into()
            };
        }
    };
    let exit = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Probe(args) => probe::run(args),
        Command::Run(args) => run::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Target(args) => target::run(args),
        Command::Stress(args) => stress::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Baseline(args) => baseline::run(args),
        Command::Matrix(args) => matrix::run(args),
    };
    exit.into()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (unique names and groups, valid defaults) for every
    /// subcommand: they run only when a subcommand is parsed, so check them all here.
    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
