//! Cases from scenario outcomes (`imapgate run`): one case per scenario file.

use std::path::Path;

use super::catalog::Catalog;
use super::model::{Case, Verdict};
use super::transcript;
use crate::generate::scenario::{self, Outcome, Scenario};

/// The case for one scenario that ran; `exception` is the accepted-deviation reason for this
/// target, if the scenario has one.
pub fn case(
    id: String,
    scenario: &Scenario,
    outcome: &Outcome,
    exception: Option<&str>,
    target: &str,
    catalog: &Catalog,
) -> Case {
    let (transcript, omitted) = transcript::of_history(&outcome.history);
    let mut case = Case {
        id,
        description: scenario.header.description.clone(),
        source: Some(scenario.path.display().to_string()),
        reproduce: reproduce(target, &scenario.path),
        rfc: scenario.header.rfc.clone(),
        requirements: scenario
            .header
            .requirements
            .iter()
            .map(|r| catalog.reference(r))
            .collect(),
        verdict: Verdict::Pass,
        exception: None,
        line: None,
        message: None,
        expected: None,
        observed: None,
        violations: Vec::new(),
        warnings: outcome.warnings.clone(),
        output: outcome.output.clone(),
        elapsed_ms: outcome.elapsed.as_millis() as u64,
        transcript,
        transcript_omitted: omitted,
    };
    match &outcome.verdict {
        scenario::Verdict::Pass => {}
        scenario::Verdict::Fail(f) | scenario::Verdict::NonStrict(f) => {
            let broken = if matches!(outcome.verdict, scenario::Verdict::Fail(_)) {
                Verdict::Fail
            } else {
                Verdict::NonStrict
            };
            case.verdict = match exception {
                Some(_) => Verdict::Excepted,
                None => broken,
            };
            case.exception = exception.map(str::to_owned);
            case.line = Some(f.line);
            case.message = Some(failure_message(f));
            case.expected = Some(f.expected.clone()).filter(|s| !s.is_empty());
            case.observed = Some(f.observed.clone()).filter(|s| !s.is_empty());
            // A requirement the checker found broken is cited beside the script's own.
            if let Some(id) = f
                .requirement
                .filter(|id| !case.requirements.iter().any(|r| r.id == *id))
            {
                case.requirements.push(catalog.reference(id));
            }
        }
        scenario::Verdict::Unknown { reason } => {
            case.verdict = Verdict::Unknown;
            case.message = Some(reason.clone());
        }
        scenario::Verdict::Unimplemented { reason } => {
            case.verdict = Verdict::Unimplemented;
            case.message = Some(reason.clone());
        }
        scenario::Verdict::HarnessError { reason } => {
            case.verdict = Verdict::HarnessError;
            case.message = Some(reason.clone());
        }
    }
    case
}

/// A scenario file that could not be loaded: a harness error about our input.
pub fn unloadable(id: String, file: &Path, error: &str, target: &str) -> Case {
    Case {
        id,
        description: None,
        source: Some(file.display().to_string()),
        reproduce: reproduce(target, file),
        rfc: Vec::new(),
        requirements: Vec::new(),
        verdict: Verdict::HarnessError,
        exception: None,
        line: None,
        message: Some(error.to_owned()),
        expected: None,
        observed: None,
        violations: Vec::new(),
        warnings: Vec::new(),
        output: Vec::new(),
        elapsed_ms: 0,
        transcript: Vec::new(),
        transcript_omitted: 0,
    }
}

fn failure_message(f: &scenario::Failure) -> String {
    let at = match f.line {
        0 => "setup/teardown".to_owned(),
        n => format!("line {n}"),
    };
    match &f.command {
        Some(c) => format!("{at}: {} ({c})", f.message),
        None => format!("{at}: {}", f.message),
    }
}

fn reproduce(target: &str, file: &Path) -> String {
    format!("imapgate run --target {target} {}", file.display())
}
