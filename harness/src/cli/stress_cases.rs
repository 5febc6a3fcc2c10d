//! `imapgate stress`'s report: one case for the whole run, then one per requirement the run
//! found broken, with the first occurrence's transcript around it.

use std::collections::BTreeMap;

use super::interrupt::Signal;
use super::stress_findings::Finding;
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

pub fn build(facts: StressFacts, outcome: &StressOutcome, findings: &[Finding]) -> Report {
    let catalog = Catalog::load();
    let mut by_requirement: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_requirement.entry(&f.requirement).or_default().push(f);
    }
    let mut cases = vec![whole_run(&facts, outcome, findings)];
    for (requirement, all) in by_requirement {
        cases.push(requirement_case(
            &facts,
            outcome,
            &catalog,
            requirement,
            &all,
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

fn verdict_of(f: &Finding) -> Verdict {
    if f.harness {
        return Verdict::HarnessError;
    }
    match f.level.as_str() {
        "SHOULD" | "SHOULD NOT" | "should(lc)" | "ImpliedShould" | "Should" | "ShouldNot" => {
            Verdict::NonStrict
        }
        "MAY" | "OPTIONAL" | "May" | "Optional" => Verdict::Informational,
        _ => Verdict::Fail,
    }
}

fn whole_run(facts: &StressFacts, o: &StressOutcome, findings: &[Finding]) -> Case {
    let verdict = findings
        .iter()
        .map(verdict_of)
        .max()
        .unwrap_or(Verdict::Pass);
    let s = &o.summary;
    let message = (verdict != Verdict::Pass).then(|| {
        format!(
            "{} finding(s) across {} requirement(s)",
            findings.len(),
            findings
                .iter()
                .map(|f| &f.requirement)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        )
    });
    let mut warnings = o.cleanup_problems.clone();
    warnings.extend(o.setup_error.iter().map(|e| format!("setup: {e}")));
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
    all: &[&Finding],
) -> Case {
    let first = all[0];
    let violations: Vec<Violation> = all
        .iter()
        .map(|f| Violation {
            requirement: f.requirement.clone(),
            level: f.level.clone(),
            verdict: verdict_of(f),
            detector: "stress".into(),
            session: f.session,
            event: f.event,
            expected: String::new(),
            observed: f.summary.clone(),
            because: f.summary.clone(),
            evidence: vec![f.event],
        })
        .collect();
    let transcript: Vec<TranscriptLine> = around(
        &o.history,
        first.session,
        first.event,
        &[first.event],
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
            .map(|f| verdict_of(f))
            .max()
            .unwrap_or(Verdict::Fail),
        message: Some(format!(
            "{} occurrence(s); first in session {} at event {}: {}",
            all.len(),
            first.session,
            first.event,
            first.summary
        )),
        observed: Some(first.summary.clone()),
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
