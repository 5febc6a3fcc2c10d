//! `imapgate baseline update --report-dir DIR --out FILE`: write the baseline a stored run
//! stands for (case ids and verdicts only; nothing volatile).

use std::path::PathBuf;

use super::Exit;
use crate::report::Report;
use crate::report::baseline::Baseline;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Write FILE from the report in DIR (written by `run` or `stress` with --report-dir).
    Update {
        #[arg(long)]
        report_dir: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(args: Args) -> Exit {
    let Action::Update { report_dir, out } = args.action;
    let index = match Report::read_index(&report_dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("imapgate: {e}");
            return Exit::Harness;
        }
    };
    if index.incomplete {
        eprintln!(
            "imapgate: the report in {} is incomplete; run it to the end first",
            report_dir.display()
        );
        return Exit::Harness;
    }
    let baseline = Baseline::of(&index);
    match baseline.save(&out) {
        Ok(()) => {
            println!(
                "baseline: {} cases of {} written to {}",
                baseline.cases.len(),
                baseline.target,
                out.display()
            );
            Exit::Clean
        }
        Err(e) => {
            eprintln!("imapgate: {e}");
            Exit::Harness
        }
    }
}
