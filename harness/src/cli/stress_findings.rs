//! The checker's verdict on a stress history, as rows for the findings table.
//!
//! [`from_findings`] grades what the checker ([`crate::check::Checker`], fed live by
//! `stress_live`) found. Liveness ("server crashed or hung during: <command>") is the
//! checker's own `liveness` detector, and harness errors are its `HarnessError` undecideds,
//! so nothing here looks at events itself.
//!
//! Grading follows DESIGN decision 5: a Fail counts against the server; a NonStrict (a
//! SHOULD broken) is shown but counts only under `--strict`, which promotes it to Fail;
//! Unknown and Informational are shown and never counted; a HarnessError makes the whole
//! run inconclusive.

use std::collections::BTreeMap;

use crate::check::{Findings, Level, Verdict, Violation};
use crate::history::SessionId;

/// Requirement column of harness-error rows (never counted against the server).
pub const HARNESS: &str = "HARNESS";

/// What the checker concluded about one run, graded for the exit code.
#[derive(Debug, Default)]
pub struct Judged {
    pub rows: Vec<Row>,
    /// Parts of the history no check could decide (timeouts, unparsed completions).
    pub unknown: usize,
}

/// One row of the table: every violation of one requirement with one verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub requirement: String,
    /// MUST / SHOULD / ... as the catalog states it; `harness` for harness errors.
    pub level: String,
    /// After `--strict` promotion.
    pub verdict: Verdict,
    pub count: usize,
    /// The first occurrence in history order.
    pub example: Example,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub session: SessionId,
    pub event: u64,
    pub expected: String,
    pub observed: String,
}

impl Judged {
    /// Rows that count against the server.
    pub fn server_findings(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .map(|r| r.count)
            .sum()
    }

    /// Harness errors: nothing can be concluded about the server.
    pub fn harness_errors(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::HarnessError)
            .map(|r| r.count)
            .sum()
    }

    /// Rows shown but not counted (NonStrict without `--strict`, Unknown, Informational).
    pub fn not_counted(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| !matches!(r.verdict, Verdict::Fail | Verdict::HarnessError))
            .map(|r| r.count)
            .sum()
    }
}

/// Groups findings into rows: worst verdict first, then by requirement id.
pub fn from_findings(findings: &Findings, strict: bool) -> Judged {
    let mut rows: BTreeMap<(std::cmp::Reverse<Verdict>, String), Row> = BTreeMap::new();
    for v in &findings.violations {
        let verdict = graded(v.verdict, strict);
        let key = (std::cmp::Reverse(verdict), v.requirement.id.to_string());
        rows.entry(key)
            .and_modify(|r| r.count += 1)
            .or_insert_with(|| violation_row(v, verdict));
    }
    let mut unknown = 0;
    for u in &findings.undecided {
        if u.verdict != Verdict::HarnessError {
            unknown += 1;
            continue;
        }
        let key = (
            std::cmp::Reverse(Verdict::HarnessError),
            HARNESS.to_string(),
        );
        rows.entry(key)
            .and_modify(|r| r.count += 1)
            .or_insert_with(|| Row {
                requirement: HARNESS.into(),
                level: "harness".into(),
                verdict: Verdict::HarnessError,
                count: 1,
                example: Example {
                    session: u.session,
                    event: u.event,
                    expected: String::new(),
                    observed: u.reason.clone(),
                },
            });
    }
    Judged {
        rows: rows.into_values().collect(),
        unknown,
    }
}

/// The verdict after `--strict` promotion.
pub(super) fn graded(verdict: Verdict, strict: bool) -> Verdict {
    if strict && verdict == Verdict::NonStrict {
        Verdict::Fail
    } else {
        verdict
    }
}

fn violation_row(v: &Violation, verdict: Verdict) -> Row {
    Row {
        requirement: v.requirement.id.to_string(),
        level: level_name(v.requirement.level).into(),
        verdict,
        count: 1,
        example: Example {
            session: v.session,
            event: v.event,
            expected: v.expected.clone(),
            observed: v.observed.clone(),
        },
    }
}

pub(super) fn level_name(level: Level) -> &'static str {
    level.catalog_spellings().first().copied().unwrap_or("?")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::check::{check, text};
    use crate::history::History;

    fn judge(history: &History, strict: bool) -> Judged {
        from_findings(&check(history), strict)
    }

    const KILLED: &str = "\
1> S1.4 UID FETCH 1:* FLAGS
1! disconnect S1.4
";

    #[test]
    fn a_disconnect_names_the_command_in_flight_once() {
        let judged = judge(&text::parse(KILLED).unwrap(), false);
        let liveness: Vec<&Row> = judged
            .rows
            .iter()
            .filter(|r| r.example.observed.contains("crashed or hung"))
            .collect();
        assert_eq!(liveness.len(), 1, "{judged:?}");
        assert_eq!(liveness[0].count, 1);
        assert_eq!(liveness[0].verdict, Verdict::Fail);
        assert!(
            liveness[0]
                .example
                .observed
                .contains("server crashed or hung during: S1.4 UID FETCH 1:* FLAGS"),
            "{:?}",
            liveness[0].example.observed
        );
        assert_eq!(judged.server_findings(), 1);
        assert_eq!(judged.harness_errors(), 0);
    }

    #[test]
    fn harness_errors_are_rows_of_their_own_and_never_server_findings() {
        let judged = judge(&text::parse("1! harness socket buffer\n").unwrap(), false);
        assert_eq!(judged.harness_errors(), 1);
        assert_eq!(judged.server_findings(), 0);
        assert_eq!(judged.rows[0].requirement, HARNESS);
    }

    /// NO for a malformed command breaks a SHOULD: shown, counted only under `--strict`.
    #[test]
    fn strict_promotes_non_strict() {
        let h = text::parse("1> A1 FETCH 1 (FLAGS\n1< A1 NO what\n").unwrap();
        let lax = judge(&h, false);
        let row = lax.rows.iter().find(|r| r.verdict == Verdict::NonStrict);
        assert!(row.is_some(), "{lax:?}");
        assert_eq!(lax.server_findings(), 0);
        let strict = judge(&h, true);
        assert!(strict.server_findings() >= 1, "{strict:?}");
    }
}
