//! The oracle: every scenario's history also goes through the checker
//! ([`crate::check::check`]), so a scenario is judged by its script's expectations and by
//! every detector. The script speaks first: a scenario that already failed (or could not
//! run) keeps its verdict. Otherwise the checker's worst finding grades it — a MUST broken
//! is Fail, a SHOULD broken NonStrict, an undecidable history Unknown (never Fail), a
//! harness-side event HarnessError — and MAY choices (Informational) leave it a Pass.

use super::exec::{Failure, Verdict};
use crate::check::{self, Findings, Violation};
use crate::history::{EventKind, History};

/// The scenario's verdict once the checker's `findings` are taken into account.
pub fn grade(
    script: Verdict,
    findings: &Findings,
    history: &History,
    sent_lines: &[(u64, usize)],
) -> Verdict {
    if script != Verdict::Pass {
        return script;
    }
    let worst = |grade: check::Verdict| findings.violations.iter().find(|v| v.verdict == grade);
    if let Some(v) = worst(check::Verdict::Fail) {
        return Verdict::Fail(failure(v, history, sent_lines));
    }
    if let Some(u) = undecided(findings, check::Verdict::HarnessError) {
        return Verdict::HarnessError { reason: u };
    }
    if let Some(v) = worst(check::Verdict::NonStrict) {
        return Verdict::NonStrict(failure(v, history, sent_lines));
    }
    let unknown = worst(check::Verdict::Unknown)
        .map(|v| {
            format!(
                "{} (checker: {}): {}",
                v.requirement.id, v.detector, v.because
            )
        })
        .or_else(|| undecided(findings, check::Verdict::Unknown));
    match unknown {
        Some(reason) => Verdict::Unknown { reason },
        None => Verdict::Pass,
    }
}

fn undecided(findings: &Findings, grade: check::Verdict) -> Option<String> {
    let u = findings.undecided.iter().find(|u| u.verdict == grade)?;
    Some(format!(
        "session {} event {}: {}",
        u.session, u.event, u.reason
    ))
}

/// A checker violation as a scenario failure, at the script line whose command was the
/// last one that session sent before the violation became visible.
fn failure(v: &Violation, history: &History, sent_lines: &[(u64, usize)]) -> Failure {
    Failure {
        line: script_line(v, history, sent_lines),
        command: None,
        expected: v.expected.clone(),
        observed: v.observed.clone(),
        message: format!("checker ({}): {}", v.detector, v.because),
        requirement: Some(v.requirement.id),
        ours: false,
    }
}

fn script_line(v: &Violation, history: &History, sent_lines: &[(u64, usize)]) -> usize {
    let same_session = |index: u64| {
        history
            .events
            .get(index as usize)
            .is_some_and(|e| e.session == v.session && matches!(e.kind, EventKind::Sent { .. }))
    };
    sent_lines
        .iter()
        .rev()
        .find(|&&(index, _)| index <= v.event && same_session(index))
        .map_or(0, |&(_, line)| line)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::check::text::parse;

    fn checked(text: &str) -> (Findings, History) {
        let history = parse(text).unwrap();
        (check::check(&history), history)
    }

    fn sent_events(history: &History) -> Vec<u64> {
        history
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Sent { .. }))
            .map(|e| e.index)
            .collect()
    }

    #[test]
    fn a_must_broken_fails_a_passing_script_with_its_requirement_and_line() {
        let (findings, history) =
            checked("1> A1 NOOP\n1< A1 OK done\n1> A2 NOOP\n1< A2 NO never\n");
        let sent: Vec<(u64, usize)> = sent_events(&history).into_iter().zip([3, 7]).collect();
        let Verdict::Fail(f) = grade(Verdict::Pass, &findings, &history, &sent) else {
            panic!("expected Fail: {findings:?}");
        };
        assert_eq!(f.requirement, Some("R3501-6-I03"));
        assert_eq!(f.line, 7, "the line of the NOOP that got NO");
        assert!(f.observed.contains("NO never"), "{}", f.observed);
    }

    #[test]
    fn a_script_failure_keeps_its_own_verdict() {
        let (findings, history) = checked("1> A1 NOOP\n1< A1 NO never\n");
        let script = Verdict::Fail(Failure::at(4, "unexpected tagged reply"));
        assert_eq!(grade(script.clone(), &findings, &history, &[]), script);
    }

    #[test]
    fn a_clean_history_passes_and_an_undecidable_one_is_unknown() {
        let (findings, history) = checked("1> A1 NOOP\n1< A1 OK done\n");
        assert_eq!(
            grade(Verdict::Pass, &findings, &history, &[]),
            Verdict::Pass
        );
        let (findings, history) = checked("1> A1 NOOP\n1! dropped oversize\n1< A1 OK done\n");
        let verdict = grade(Verdict::Pass, &findings, &history, &[]);
        assert!(matches!(verdict, Verdict::Unknown { .. }), "{verdict:?}");
    }

    #[test]
    fn a_deliberately_malformed_command_is_not_flagged() {
        let (findings, history) = checked("1>! A1 NOOP\n1< A1 NO odd\n");
        assert_eq!(
            grade(Verdict::Pass, &findings, &history, &[]),
            Verdict::Pass
        );
    }
}
