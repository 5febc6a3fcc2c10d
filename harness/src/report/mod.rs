//! Reports (DESIGN: `Findings → Report`): the terminal summary, the files of `--report-dir`,
//! baselines and the compliance matrix. One case per scenario (or per broken requirement in
//! a stress run), graded verdicts, Expected/Observed, JSON per case plus an index, and HTML
//! and Markdown rendered from that JSON by templates (Autobahn / h2spec style).
//!
//! [`Report`] is the boundary: the subcommands build one, [`Report::write`] stores it, and
//! [`Report::read`] loads a stored one back (for `baseline update` and `matrix`).
//!
//! Files under the report folder, each written to a temporary name and renamed:
//! `cases/<id>.json`, `events.jsonl`, `junit.xml`, `report.md`, `report.html`, and last
//! `index.json` — so a folder with an `index.json` holds a whole report.

pub mod baseline;
pub mod catalog;
pub mod clock;
pub mod events;
mod junit;
pub mod matrix;
pub mod model;
pub mod progress;
mod render;
pub mod scenarios;
pub mod summary;
pub mod table;
pub mod transcript;
mod write;

use std::path::{Path, PathBuf};

pub use model::{Case, CaseEntry, Index, RunKind, Server, Shard, Totals, Verdict, Violation};
pub use write::write_atomic;

use crate::history::History;

/// A whole report: the index and every case.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub index: Index,
    pub cases: Vec<Case>,
}

/// What the report stores as `events.jsonl`.
pub enum Events<'a> {
    /// One history per case (`imapgate run`), each line tagged with its case id.
    PerCase(Vec<(&'a str, &'a History)>),
    /// The one history of a stress run, in [`History::write_jsonl`]'s format.
    Whole(&'a History),
}

/// Why a report could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("rendering {name}: {source}")]
    Template {
        name: &'static str,
        source: minijinja::Error,
    },
    #[error("junit.xml: {0}")]
    Junit(#[from] quick_junit::SerializeError),
}

impl Report {
    /// Assemble a report: the index's entries and totals are derived from the cases.
    pub fn new(mut index: Index, cases: Vec<Case>) -> Report {
        index.format = model::FORMAT;
        index.cases = cases.iter().map(CaseEntry::of).collect();
        index.totals = Totals::of(cases.iter().map(|c| &c.verdict));
        Report { index, cases }
    }

    /// Write every file under `dir` (created if needed); `index.json` last.
    pub fn write(&self, dir: &Path, events: &Events<'_>) -> Result<(), ReportError> {
        write::all(self, dir, events)
    }

    /// Read a stored report back: `index.json` and the case files it names.
    pub fn read(dir: &Path) -> Result<Report, ReportError> {
        let index: Index = write::read_json(&dir.join("index.json"))?;
        let cases = index
            .cases
            .iter()
            .map(|c| write::read_json(&dir.join(&c.file)))
            .collect::<Result<Vec<Case>, _>>()?;
        Ok(Report { index, cases })
    }

    /// Read only `index.json` (all `matrix` and `baseline update` need).
    pub fn read_index(dir: &Path) -> Result<Index, ReportError> {
        write::read_json(&dir.join("index.json"))
    }
}

impl CaseEntry {
    pub fn of(case: &Case) -> CaseEntry {
        CaseEntry {
            id: case.id.clone(),
            verdict: case.verdict,
            requirements: case.requirements.iter().map(|r| r.id.clone()).collect(),
            file: format!("cases/{}.json", case.id),
            elapsed_ms: case.elapsed_ms,
            summary: case.summary(),
        }
    }
}

impl Case {
    /// One line saying why the case is not a plain pass.
    pub fn summary(&self) -> Option<String> {
        if self.verdict == Verdict::Pass {
            return None;
        }
        let first = self.message.clone().or_else(|| {
            self.violations
                .first()
                .map(|v| format!("{}: {}", v.requirement, v.because))
        });
        first.map(|m| m.lines().next().unwrap_or_default().to_owned())
    }

    /// Whether the case counts against the server (or could not be run): shown in detail.
    pub fn is_problem(&self) -> bool {
        !matches!(self.verdict, Verdict::Pass | Verdict::Unimplemented)
    }
}

/// A file-system-safe case id: letters, digits, `.`, `_` and `-`; unique within `taken`.
pub fn case_id(name: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = if clean.is_empty() || clean.starts_with('.') {
        format!("case{clean}")
    } else {
        clean
    };
    let mut id = clean.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{clean}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
