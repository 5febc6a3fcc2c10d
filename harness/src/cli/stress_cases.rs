//! `imapgate stress`'s report: one case for the whole run, then one per requirement the run
//! found broken, with the first occurrence's transcript around it.

use std::collections::BTreeMap;

use super::interrupt::Signal;
use super::stress_findings::{graded, level_name};
use crate::check::{Findings, Verdict as CheckVerdict, Violation as CheckViolation};
use crate::report::catalog::Catalog;
use crate::report::model::{TranscriptLine, Violation};
use crate::report::transcript::around;
use crate::report::{Case, Index, Report, RunKind, Server, Totals, Verdict, clock};
use crate::run::stress::StressOutcome;

/// Events of the finding's session shown before it.
const CONTEXT: usize = 40;

pub struct StressFacts {
    pub target: String,
    pub greeting: Option<String>,
    pub capabilities: Vec<String>,
    pub seed: u64,
    pub started: String,
    pub reproduce: String,
    pub signal: Option<Signal>,
}

/// The report of a stress run: the whole run as one case, then one case per broken
/// requirement (grading as in the findings table, `--strict` included).
pub fn build(
    facts: StressFacts,
    outcome: &StressOutcome,
    findings: &Findings,
    strict: bool,
) -> Report {
    let catalog = Catalog::load();
    let mut by_requirement: BTreeMap<&str, Vec<&CheckViolation>> = BTreeMap::new();
    for v in &findings.violations {
        by_requirement.entry(v.requirement.id).or_default().push(v);
    }
    let mut cases = vec![whole_run(&facts, outcome, findings, strict)];
    for (requirement, all) in by_requirement {
        cases.push(requirement_case(
            &facts,
            outcome,
            &catalog,
            requirement,
            &all,
            strict,
        ));
    }
    let index = Index {
        format: 0,
        kind: RunKind::Stress,
        target: facts.target,
        server: Server {
            greeting: facts.greeting,
            capabilities: facts.capabilities,
        },
        imapgate_version: env!("CARGO_PKG_VERSION").into(),
        seed: Some(facts.seed),
        started: facts.started,
        ended: clock::now_rfc3339(),
        incomplete: facts.signal.is_some(),
        interrupted_by: facts.signal.map(|s| s.name().to_owned()),
        shard: None,
        sources: Vec::new(),
        totals: Totals::default(),
        cases: Vec::new(),
        not_run: Vec::new(),
    };
    Report::new(index, cases)
}

fn verdict_of(v: &CheckViolation, strict: bool) -> Verdict {
    graded(v.verdict, strict).into()
}

fn whole_run(facts: &StressFacts, o: &StressOutcome, findings: &Findings, strict: bool) -> Case {
    let harness = findings
        .undecided
        .iter()
        .any(|u| u.verdict == CheckVerdict::HarnessError);
    let worst = findings
        .violations
        .iter()
        .map(|v| verdict_of(v, strict))
        .max()
        .unwrap_or(Verdict::Pass);
    // What the fuzzing monitor saw of the server process (gone, or over its memory bound)
    // is a finding with no RFC requirement to cite: it fails the run case itself.
    let process: Vec<String> = o
        .monitor
        .iter()
        .flat_map(|m| m.problems.iter().map(|p| format!("server process: {p}")))
        .collect();
    let worst = if process.is_empty() {
        worst
    } else {
        worst.max(Verdict::Fail)
    };
    let verdict = if harness {
        worst.max(Verdict::HarnessError)
    } else {
        worst
    };
    let s = &o.summary;
    let message = (verdict != Verdict::Pass).then(|| {
        let requirements: std::collections::BTreeSet<_> = findings
            .violations
            .iter()
            .map(|v| v.requirement.id)
            .collect();
        let mut text = format!(
            "{} finding(s) across {} requirement(s)",
            findings.violations.len(),
            requirements.len()
        );
        if let Some(m) = &o.monitor {
            text.push_str(&format!(
                "; liveness monitor: {} probe(s), {} failed{}",
                m.probes,
                m.failed_probes,
                m.peak_rss_kib
                    .map(|k| format!(", server peak {} MiB", k / 1024))
                    .unwrap_or_default()
            ));
        }
        text
    });
    let mut warnings = process;
    if o.budget_reached {
        warnings.push(format!(
            "the run stopped after {:.0} s: its history reached the recording budget",
            o.elapsed.as_secs_f64()
        ));
    }
    warnings.extend(o.cleanup_problems.iter().cloned());
    warnings.extend(o.setup_error.iter().map(|e| format!("setup: {e}")));
    warnings.extend(
        findings
            .undecided
            .iter()
            .map(|u| format!("{:?} at event {}: {}", u.verdict, u.event, u.reason)),
    );
    Case {
        description: Some(format!(
            "{} sessions planned, {} logged in, {} commands completed in {:.1} s",
            s.sessions,
            s.logged_in,
            o.commands_completed,
            o.elapsed.as_secs_f64()
        )),
        message,
        warnings,
        verdict,
        ..empty_case("stress", facts, o)
    }
}

fn requirement_case(
    facts: &StressFacts,
    o: &StressOutcome,
    catalog: &Catalog,
    requirement: &str,
    all: &[&CheckViolation],
    strict: bool,
) -> Case {
    let first = all[0];
    let violations: Vec<Violation> = all
        .iter()
        .map(|v| Violation {
            requirement: v.requirement.id.to_string(),
            level: level_name(v.requirement.level).into(),
            verdict: verdict_of(v, strict),
            detector: v.detector.into(),
            session: v.session,
            event: v.event,
            expected: v.expected.clone(),
            observed: v.observed.clone(),
            because: v.because.clone(),
            evidence: v.evidence.clone(),
        })
        .collect();
    let transcript: Vec<TranscriptLine> = around(
        &o.history,
        first.session,
        first.event,
        &first.evidence,
        CONTEXT,
    );
    let reference = catalog.reference(requirement);
    Case {
        description: reference.summary.clone(),
        requirements: if reference.section.is_empty() {
            Vec::new()
        } else {
            vec![reference]
        },
        verdict: all
            .iter()
            .map(|v| verdict_of(v, strict))
            .max()
            .unwrap_or(Verdict::Fail),
        message: Some(format!(
            "{} occurrence(s); first in session {} at event {}: {}",
            all.len(),
            first.session,
            first.event,
            first.because
        )),
        expected: Some(first.expected.clone()),
        observed: Some(first.observed.clone()),
        violations,
        transcript,
        ..empty_case(requirement, facts, o)
    }
}

fn empty_case(id: &str, facts: &StressFacts, o: &StressOutcome) -> Case {
    Case {
        id: id.into(),
        description: None,
        source: None,
        reproduce: facts.reproduce.clone(),
        rfc: Vec::new(),
        requirements: Vec::new(),
        verdict: Verdict::Pass,
        exception: None,
        line: None,
        message: None,
        expected: None,
        observed: None,
        violations: Vec::new(),
        warnings: Vec::new(),
        output: Vec::new(),
        elapsed_ms: o.elapsed.as_millis() as u64,
        transcript: Vec::new(),
        transcript_omitted: 0,
    }
}
