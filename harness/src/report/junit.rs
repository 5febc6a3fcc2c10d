//! `junit.xml` (quick-junit): one test suite per run, one test case per case. Fail and
//! NonStrict are failures, HarnessError and Unknown errors (nothing could be concluded, the
//! CI should look), Unimplemented skipped; every case's verdict is in its `system-out`.

use std::time::Duration;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{Case, Report, ReportError, Verdict};

pub fn render(report: &Report) -> Result<String, ReportError> {
    let index = &report.index;
    let kind = match index.kind {
        super::RunKind::Run => "run",
        super::RunKind::Stress => "stress",
    };
    let mut suite = TestSuite::new(format!("imapgate {kind} {}", index.target));
    suite.add_test_cases(report.cases.iter().map(test_case));
    let elapsed: u64 = report.cases.iter().map(|c| c.elapsed_ms).sum();
    suite.set_time(Duration::from_millis(elapsed));
    let mut out = quick_junit::Report::new("imapgate");
    out.add_test_suite(suite);
    Ok(out.to_string()?)
}

fn test_case(case: &Case) -> TestCase {
    let mut status = match case.verdict {
        Verdict::Fail | Verdict::NonStrict => TestCaseStatus::non_success(NonSuccessKind::Failure),
        Verdict::HarnessError | Verdict::Unknown => {
            TestCaseStatus::non_success(NonSuccessKind::Error)
        }
        Verdict::Unimplemented => TestCaseStatus::skipped(),
        Verdict::Pass | Verdict::Informational | Verdict::Excepted => TestCaseStatus::success(),
    };
    if !matches!(status, TestCaseStatus::Success { .. }) {
        status.set_message(
            case.summary()
                .unwrap_or_else(|| case.verdict.label().into()),
        );
        status.set_type(case.verdict.label());
        status.set_description(details(case));
    }
    let mut tc = TestCase::new(case.id.clone(), status);
    let classname = case
        .requirements
        .first()
        .map_or_else(|| "uncited".to_owned(), |r| r.id.clone());
    tc.set_classname(classname);
    tc.set_time(Duration::from_millis(case.elapsed_ms));
    tc.set_system_out(format!(
        "verdict: {}\n{}",
        case.verdict.label(),
        details(case)
    ));
    tc
}

/// Expected / Observed / requirement / reproducer, as plain text.
fn details(case: &Case) -> String {
    let mut lines = Vec::new();
    let ids: Vec<&str> = case.requirements.iter().map(|r| r.id.as_str()).collect();
    if !ids.is_empty() {
        lines.push(format!("requirement: {}", ids.join(", ")));
    }
    if let Some(m) = &case.message {
        lines.push(m.clone());
    }
    if let Some(e) = &case.expected {
        lines.push(format!("expected: {e}"));
    }
    if let Some(o) = &case.observed {
        lines.push(format!("observed: {o}"));
    }
    for v in &case.violations {
        lines.push(format!(
            "{} ({}): expected {}, observed {} - {}",
            v.requirement, v.level, v.expected, v.observed, v.because
        ));
    }
    if let Some(e) = &case.exception {
        lines.push(format!("excepted: {e}"));
    }
    lines.push(format!("reproduce: {}", case.reproduce));
    lines.join("\n")
}
