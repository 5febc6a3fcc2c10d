//! The report engine without a server: a report made by hand is written, read back, and
//! every file is checked.

use std::collections::HashSet;

use super::baseline::Baseline;
use super::model::{RequirementRef, TranscriptLine};
use super::*;
use crate::history::{Event, EventKind, Meta, WireBytes};

fn case(id: &str, verdict: Verdict, requirement: Option<&str>) -> Case {
    Case {
        id: id.into(),
        description: Some(format!("{id} <described> & \"quoted\"")),
        source: Some(format!("scenarios/{id}")),
        reproduce: format!("imapgate run --target t scenarios/{id}"),
        rfc: vec!["3501 6.4.5".into()],
        requirements: requirement
            .map(|r| catalog::Catalog::default().reference(r))
            .into_iter()
            .collect(),
        verdict,
        exception: None,
        line: Some(3),
        message: (verdict != Verdict::Pass).then(|| "line 3: reply did not match".into()),
        expected: (verdict != Verdict::Pass).then(|| "ok".into()),
        observed: (verdict != Verdict::Pass).then(|| "<b>NO</b> [x]".into()),
        violations: Vec::new(),
        warnings: Vec::new(),
        output: Vec::new(),
        elapsed_ms: 12,
        transcript: vec![TranscriptLine {
            event: 0,
            session: 0,
            ms: 1,
            dir: "C".into(),
            text: "a1 FETCH 1 <script>alert(1)</script>\\r\\n".into(),
        }],
        transcript_omitted: 0,
    }
}

pub(crate) fn sample(verdicts: &[(&str, Verdict)]) -> Report {
    let cases = verdicts
        .iter()
        .map(|(id, v)| case(id, *v, Some("R3501-6.4.5-01")))
        .collect();
    Report::new(index(), cases)
}

fn index() -> Index {
    Index {
        format: 0,
        kind: RunKind::Run,
        target: "dovecot".into(),
        server: Server {
            greeting: Some("* OK ready".into()),
            capabilities: vec!["IMAP4rev1".into()],
        },
        imapgate_version: "0.1.0".into(),
        seed: None,
        started: clock::rfc3339(0),
        ended: clock::rfc3339(1),
        incomplete: false,
        interrupted_by: None,
        shard: None,
        sources: vec!["scenarios".into()],
        totals: Totals::default(),
        cases: Vec::new(),
        not_run: Vec::new(),
    }
}

fn history() -> History {
    History {
        meta: Meta::default(),
        events: vec![Event {
            index: 0,
            session: 0,
            at_us: 1,
            kind: EventKind::Received {
                bytes: WireBytes::new(b"* OK \x00\xff\r\n".to_vec()),
            },
        }],
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("imapgate-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_report_round_trips_through_its_files() {
    let mut report = sample(&[("fetch", Verdict::Pass), ("store", Verdict::Fail)]);
    report.cases[1].requirements.push(RequirementRef {
        id: "R3501-7.4.1-02".into(),
        section: "7.4.1".into(),
        ..RequirementRef::default()
    });
    let report = Report::new(report.index, report.cases);
    let dir = temp_dir("roundtrip");
    let h = history();
    report
        .write(&dir, &Events::PerCase(vec![("fetch", &h), ("store", &h)]))
        .unwrap();
    assert_eq!(Report::read(&dir).unwrap(), report);
    for f in [
        "index.json",
        "events.jsonl",
        "junit.xml",
        "report.md",
        "report.html",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
    let file = std::fs::File::open(dir.join("events.jsonl")).unwrap();
    let back = events::read_per_case(std::io::BufReader::new(file)).unwrap();
    assert_eq!(back["store"], h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_html_escapes_everything_and_opens_failures() {
    let report = sample(&[("fetch", Verdict::Pass), ("store", Verdict::Fail)]);
    let pages = render::Pages::of(&report).unwrap();
    let html = &pages.html;
    assert!(
        !html.contains("<script>alert"),
        "transcript text must be escaped"
    );
    assert!(html.contains("&lt;b&gt;NO&lt;&#x2f;b&gt;") || html.contains("&lt;b&gt;NO&lt;/b&gt;"));
    assert!(html.contains(r#"<details class="case" id="case-store" open>"#));
    assert!(html.contains(r#"<details class="case" id="case-fetch">"#));
    assert!(html.contains(r#"id="transcript-store""#));
    assert!(pages.markdown.contains("### store: Fail"));
    assert!(!pages.markdown.contains("### fetch"));
}

#[test]
fn junit_has_one_testcase_per_case_and_parses_back() {
    let report = sample(&[
        ("a", Verdict::Pass),
        ("b", Verdict::Fail),
        ("c", Verdict::Unimplemented),
        ("d", Verdict::HarnessError),
    ]);
    let xml = junit::render(&report).unwrap();
    let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let suite = &parsed.test_suites[0];
    assert_eq!(suite.test_cases.len(), 4);
    assert_eq!((suite.failures, suite.errors), (1, 1));
    assert!(xml.contains(r#"classname="R3501-6.4.5-01""#));
}

#[test]
fn case_ids_are_safe_and_unique() {
    let mut taken = HashSet::new();
    assert_eq!(case_id("fetch body", &mut taken), "fetch-body");
    assert_eq!(case_id("fetch/body", &mut taken), "fetch-body-2");
    assert_eq!(case_id("../x", &mut taken), "case..-x");
    assert_eq!(case_id("", &mut taken), "case");
}

#[test]
fn baselines_gate_only_on_regressions() {
    let before = sample(&[
        ("a", Verdict::Pass),
        ("b", Verdict::Fail),
        ("c", Verdict::Pass),
        ("gone", Verdict::Pass),
    ]);
    let baseline = Baseline::of(&before.index);
    assert!(!baseline.compare(&before.index).has_regressions());

    let after = sample(&[
        ("a", Verdict::Fail),
        ("b", Verdict::Pass),
        ("c", Verdict::Unimplemented),
        ("new", Verdict::Fail),
    ]);
    let cmp = baseline.compare(&after.index);
    let ids = |l: &[baseline::Change]| l.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&cmp.regressions), ["a", "new"]);
    assert_eq!(ids(&cmp.improvements), ["b"]);
    assert_eq!(ids(&cmp.changes), ["c"]);
    assert_eq!(cmp.stale, ["gone"]);
    let text = cmp.render();
    assert!(
        text.contains("baseline REGRESSION: a: Pass -> Fail"),
        "{text}"
    );
    assert!(
        text.contains("baseline improvement: b: Fail -> Pass"),
        "{text}"
    );
}

#[test]
fn baselines_hold_no_volatile_fields() {
    let report = sample(&[("a", Verdict::Pass)]);
    let json = serde_json::to_string(&Baseline::of(&report.index)).unwrap();
    for volatile in ["started", "ended", "ms", "1970", "tag", "uidvalidity"] {
        assert!(
            !json.to_lowercase().contains(volatile),
            "{volatile} in {json}"
        );
    }
}

#[test]
fn the_matrix_counts_per_target_and_group() {
    let root = temp_dir("matrix");
    for (target, verdict) in [("dovecot", Verdict::Pass), ("cyrus", Verdict::Fail)] {
        let mut r = sample(&[("a", verdict), ("b", Verdict::Pass)]);
        r.index.target = target.into();
        r.cases[1].requirements.clear();
        let r = Report::new(r.index, r.cases);
        r.write(
            &root.join(target).join("imaptest"),
            &Events::Whole(&history()),
        )
        .unwrap();
    }
    let runs = matrix::find_runs(std::slice::from_ref(&root)).unwrap();
    assert_eq!(runs.len(), 2);
    let md = matrix::render(&runs, &root, &catalog::Catalog::default());
    assert!(
        md.contains("| requirement group | cyrus | dovecot |"),
        "{md}"
    );
    assert!(md.contains("| §6.4 | 0/1 1✗ | 1/1 |"), "{md}");
    assert!(md.contains("| uncited: imaptest b* | 1/1 | 1/1 |"), "{md}");
    assert!(md.contains("(dovecot/imaptest/index.json)"), "{md}");
    let _ = std::fs::remove_dir_all(&root);
}
