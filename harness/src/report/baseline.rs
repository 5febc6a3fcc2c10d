//! Baselines: the per-case verdicts of a run a CI accepts, and the comparison of a new run
//! with them. Only stable fields enter a baseline — case ids and verdicts — never times,
//! tags, dates or UIDVALIDITY, so the same server gives the same file run after run.
//!
//! A regression is a case whose verdict counts more against the server than before (see
//! [`Verdict::weight`]), or a new case that fails; an improvement the reverse. Other changes,
//! new passing cases and baseline cases this run did not have (stale) are reported only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ReportError;
use super::model::{FORMAT, Index, RunKind, Verdict};
use super::write::{read_json, write_json};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub format: u32,
    pub kind: RunKind,
    pub target: String,
    pub cases: BTreeMap<String, Verdict>,
}

/// One case's verdict then and now (`before` is `None` for a case new to the baseline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub before: Option<Verdict>,
    pub after: Verdict,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub regressions: Vec<Change>,
    pub improvements: Vec<Change>,
    /// Verdict changes that weigh the same (e.g. Pass → Unimplemented) and new passing cases.
    pub changes: Vec<Change>,
    /// Harness errors the baseline did not have: nothing can be concluded about those cases.
    pub new_harness_errors: Vec<String>,
    /// Baseline cases this run did not have (removed, renamed, or in another shard).
    pub stale: Vec<String>,
    pub sharded: bool,
}

impl Baseline {
    /// The baseline a run's index stands for (cases that did not run are left out).
    pub fn of(index: &Index) -> Baseline {
        Baseline {
            format: FORMAT,
            kind: index.kind,
            target: index.target.clone(),
            cases: index
                .cases
                .iter()
                .map(|c| (c.id.clone(), c.verdict))
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, ReportError> {
        read_json(path)
    }

    pub fn save(&self, path: &Path) -> Result<(), ReportError> {
        write_json(path, self)
    }

    pub fn compare(&self, index: &Index) -> Comparison {
        let mut c = Comparison {
            sharded: index.shard.is_some_and(|s| s.count > 1),
            ..Comparison::default()
        };
        for entry in &index.cases {
            let before = self.cases.get(&entry.id).copied();
            let change = Change {
                id: entry.id.clone(),
                before,
                after: entry.verdict,
            };
            if entry.verdict == Verdict::HarnessError && before != Some(Verdict::HarnessError) {
                c.new_harness_errors.push(entry.id.clone());
                continue;
            }
            let was = before.map_or(0, Verdict::weight);
            match (before, entry.verdict.weight().cmp(&was)) {
                (_, std::cmp::Ordering::Greater) => c.regressions.push(change),
                (_, std::cmp::Ordering::Less) => c.improvements.push(change),
                (Some(b), _) if b == entry.verdict => {}
                _ => c.changes.push(change),
            }
        }
        let ran =
            |id: &String| index.cases.iter().any(|c| &c.id == id) || index.not_run.contains(id);
        c.stale = self.cases.keys().filter(|id| !ran(id)).cloned().collect();
        c
    }
}

impl Comparison {
    pub fn has_regressions(&self) -> bool {
        !self.regressions.is_empty()
    }

    /// What a CI log shows: every regression by name, then improvements and notices.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (title, list) in [
            ("REGRESSION", &self.regressions),
            ("improvement", &self.improvements),
            ("changed", &self.changes),
        ] {
            for ch in list {
                let before = ch.before.map_or("(not in baseline)", Verdict::label);
                let _ = writeln!(
                    out,
                    "baseline {title}: {}: {before} -> {}",
                    ch.id,
                    ch.after.label()
                );
            }
        }
        for id in &self.new_harness_errors {
            let _ = writeln!(out, "baseline: {id}: harness error (nothing concluded)");
        }
        match (self.stale.len(), self.sharded) {
            (0, _) => {}
            (n, true) => {
                let _ = writeln!(out, "baseline: {n} case(s) not in this shard");
            }
            (_, false) => {
                for id in &self.stale {
                    let _ = writeln!(
                        out,
                        "baseline stale: {id}: in the baseline, not in this run"
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "baseline: {} regression(s), {} improvement(s), {} other change(s), {} stale",
            self.regressions.len(),
            self.improvements.len(),
            self.changes.len(),
            if self.sharded { 0 } else { self.stale.len() }
        );
        out
    }
}
