//! The terminal summary: a comfy-table of verdict counts by RFC section and requirement, then
//! each case that did not pass with Expected / Observed / requirement / reproducer.

use std::path::Path;

use comfy_table::{ContentArrangement, Table};

use super::summary::groups;
use super::{Report, Verdict};

/// The summary as text (printed by the subcommands).
pub fn render(report: &Report, report_dir: Option<&Path>) -> String {
    let mut out = by_requirement(report).to_string();
    out.push('\n');
    out.push_str(&format!("cases: {}\n", report.index.totals.describe()));
    let problems = problems(report, report_dir);
    if !problems.is_empty() {
        out.push_str(&problems);
    }
    if report.index.incomplete {
        out.push_str(&format!(
            "INCOMPLETE: stopped by {}; {} case(s) did not run\n",
            report.index.interrupted_by.as_deref().unwrap_or("an error"),
            report.index.not_run.len()
        ));
    }
    out
}

fn by_requirement(report: &Report) -> Table {
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(["section", "requirement", "level", "cases", "verdicts"]);
    for g in groups(report) {
        let section = match (&g.section[..], &g.title) {
            ("", _) => "uncited".to_owned(),
            (s, Some(title)) => format!("{s} {title}"),
            (s, None) => s.to_owned(),
        };
        for (i, r) in g.requirements.iter().enumerate() {
            t.add_row([
                if i == 0 {
                    section.clone()
                } else {
                    String::new()
                },
                r.requirement.id.clone(),
                r.requirement.level.clone().unwrap_or_default(),
                r.totals.cases.to_string(),
                r.totals.describe(),
            ]);
        }
    }
    t
}

fn problems(report: &Report, report_dir: Option<&Path>) -> String {
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header([
        "case",
        "verdict",
        "requirement",
        "expected / observed",
        "reproducer",
    ]);
    let mut any = false;
    for case in report.cases.iter().filter(|c| c.is_problem()) {
        if case.verdict == Verdict::Informational {
            continue;
        }
        any = true;
        let ids: Vec<&str> = case.requirements.iter().map(|r| r.id.as_str()).collect();
        let mut what = Vec::new();
        what.extend(case.message.clone());
        what.extend(case.expected.as_ref().map(|e| format!("expected: {e}")));
        what.extend(case.observed.as_ref().map(|o| format!("observed: {o}")));
        for v in &case.violations {
            what.push(format!(
                "{}: expected {}, observed {}",
                v.requirement, v.expected, v.observed
            ));
        }
        what.extend(case.exception.as_ref().map(|e| format!("excepted: {e}")));
        let mut repro = case
            .source
            .clone()
            .unwrap_or_else(|| case.reproduce.clone());
        if let Some(dir) = report_dir {
            repro.push_str(&format!(
                "\n{}",
                dir.join("cases")
                    .join(format!("{}.json", case.id))
                    .display()
            ));
        }
        t.add_row([
            case.id.clone(),
            case.verdict.label().to_owned(),
            if ids.is_empty() {
                "uncited".into()
            } else {
                ids.join("\n")
            },
            what.join("\n"),
            repro,
        ]);
    }
    if any { format!("{t}\n") } else { String::new() }
}
