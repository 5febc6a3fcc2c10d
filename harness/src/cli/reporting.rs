//! What `run` and `stress` share at the end: the terminal summary, the report folder, the
//! baseline comparison, and the exit status that follows from them.

use std::path::{Path, PathBuf};

use super::Exit;
use super::interrupt::Signal;
use crate::report::baseline::Baseline;
use crate::report::{Events, Report, table};

/// Where the report goes and what it is compared with.
#[derive(Debug, Default, Clone)]
pub struct Outputs {
    pub report_dir: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
}

/// Print the summary, write the files, compare with the baseline; the exit status is
/// `without_baseline` unless a baseline, a write failure or a signal decides otherwise.
pub fn conclude(
    report: &Report,
    events: &Events<'_>,
    outputs: &Outputs,
    without_baseline: Exit,
    signal: Option<Signal>,
) -> Exit {
    print!("{}", table::render(report, outputs.report_dir.as_deref()));
    let wrote = outputs
        .report_dir
        .as_deref()
        .is_none_or(|dir| write(report, events, dir));
    let gated = match &outputs.baseline {
        Some(path) => compare(report, path),
        None => without_baseline,
    };
    if let Some(s) = signal {
        return s.exit();
    }
    if !wrote { Exit::Harness } else { gated }
}

fn write(report: &Report, events: &Events<'_>, dir: &Path) -> bool {
    match report.write(dir, events) {
        Ok(()) => {
            println!("report: {}", dir.join("report.html").display());
            true
        }
        Err(e) => {
            eprintln!("imapgate: cannot write the report: {e}");
            false
        }
    }
}

/// 1 on regressions, 2 on new harness errors (nothing concluded), else 0.
fn compare(report: &Report, path: &Path) -> Exit {
    let baseline = match Baseline::load(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("imapgate: cannot read the baseline: {e}");
            return Exit::Harness;
        }
    };
    if baseline.target != report.index.target {
        println!(
            "baseline: note: it was made against {}, this run is against {}",
            baseline.target, report.index.target
        );
    }
    let cmp = baseline.compare(&report.index);
    print!("{}", cmp.render());
    if !cmp.new_harness_errors.is_empty() {
        Exit::Harness
    } else if cmp.has_regressions() {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
