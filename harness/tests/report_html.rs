//! `report.html` in a real browser: headless Chromium (Debian `chromium`; required under
//! CI=true) renders it, the summary shows, failing cases are open, and opening a failure's
//! anchor (`#case-<id>`) opens its transcript.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use imapgate::history::{Event, EventKind, History, Meta, WireBytes};
use imapgate::report::model::{RequirementRef, TranscriptLine};
use imapgate::report::{Case, Events, Index, Report, RunKind, Server, Totals, Verdict};

fn case(id: &str, verdict: Verdict) -> Case {
    let failing = verdict == Verdict::Fail;
    Case {
        id: id.into(),
        description: Some(format!("{id}: what the scenario checks")),
        source: Some(format!("scenarios/{id}")),
        reproduce: format!("imapgate run --target dovecot scenarios/{id}"),
        rfc: Vec::new(),
        requirements: vec![RequirementRef {
            id: "R3501-7.4.1-02".into(),
            section: "7.4.1".into(),
            section_title: Some("EXPUNGE Response".into()),
            level: Some("MUST NOT".into()),
            topic: Some("notification".into()),
            summary: Some("No EXPUNGE during FETCH, STORE or SEARCH.".into()),
        }],
        verdict,
        exception: None,
        line: failing.then_some(4),
        message: failing.then(|| "line 4: untagged EXPUNGE during FETCH".into()),
        expected: failing.then(|| "no * n EXPUNGE before the tagged OK".into()),
        observed: failing.then(|| "* 3 EXPUNGE".into()),
        violations: Vec::new(),
        warnings: Vec::new(),
        output: Vec::new(),
        elapsed_ms: 40,
        transcript: vec![
            TranscriptLine {
                event: 0,
                session: 0,
                ms: 0,
                dir: "S".into(),
                text: "* OK ready\\r\\n".into(),
            },
            TranscriptLine {
                event: 1,
                session: 0,
                ms: 2,
                dir: "C".into(),
                text: "a1 FETCH 1:* FLAGS\\r\\n".into(),
            },
            TranscriptLine {
                event: 2,
                session: 0,
                ms: 3,
                dir: "S".into(),
                text: "TRANSCRIPT-MARKER * 3 EXPUNGE\\r\\n".into(),
            },
        ],
        transcript_omitted: 0,
    }
}

fn write_report(dir: &Path) {
    let index = Index {
        format: 0,
        kind: RunKind::Run,
        target: "dovecot".into(),
        server: Server {
            greeting: Some("* OK [CAPABILITY IMAP4rev1] Dovecot (Debian) ready.".into()),
            capabilities: vec!["IMAP4rev1".into(), "IDLE".into()],
        },
        imapgate_version: "0.1.0".into(),
        seed: None,
        started: "2025-01-01T00:00:00Z".into(),
        ended: "2025-01-01T00:00:05Z".into(),
        incomplete: false,
        interrupted_by: None,
        shard: None,
        sources: vec!["scenarios".into()],
        totals: Totals::default(),
        cases: Vec::new(),
        not_run: Vec::new(),
    };
    let cases = vec![
        case("fetch-flags", Verdict::Pass),
        case("expunge-during-fetch", Verdict::Fail),
    ];
    let history = History {
        meta: Meta::default(),
        events: vec![Event {
            index: 0,
            session: 0,
            at_us: 0,
            kind: EventKind::Received {
                bytes: WireBytes::new(b"* OK ready\r\n".to_vec()),
            },
        }],
    };
    Report::new(index, cases)
        .write(dir, &Events::Whole(&history))
        .unwrap();
}

fn chromium() -> Option<&'static str> {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(name);
        }
    }
    if support::in_ci() {
        panic!("CI=true and chromium is missing (apt-get install chromium)");
    }
    eprintln!("skipping: chromium is not installed (apt-get install chromium)");
    None
}

/// The DOM after scripts ran, for `url`.
fn dump_dom(browser: &str, url: &str, extra: &[&str]) -> String {
    let profile = tempdir("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tempdir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "imapgate-html-{what}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `<details …>` opening tag of element `id`.
fn details_tag<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = dom[..at].rfind('<').unwrap();
    let end = at + dom[at..].find('>').unwrap();
    &dom[start..=end]
}

#[test]
fn chromium_renders_the_report_and_opens_a_failures_transcript() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempdir("report");
    write_report(&dir);
    let url = format!("file://{}", dir.join("report.html").display());

    let dom = dump_dom(browser, &url, &["--dump-dom"]);
    assert!(dom.contains("id=\"summary\""), "the summary renders");
    assert!(
        dom.contains("1 Pass") && dom.contains("1 Fail"),
        "verdict counts show"
    );
    assert!(
        dom.contains("R3501-7.4.1-02"),
        "the requirement table shows"
    );
    assert!(
        details_tag(&dom, "case-expunge-during-fetch").contains("open"),
        "failures are open"
    );
    assert!(
        !details_tag(&dom, "case-fetch-flags").contains("open"),
        "passes are closed"
    );
    let transcript = details_tag(&dom, "transcript-expunge-during-fetch");
    assert!(
        !transcript.contains("open"),
        "transcripts start closed: {transcript}"
    );

    let anchored = format!("{url}#case-expunge-during-fetch");
    let dom = dump_dom(browser, &anchored, &["--dump-dom"]);
    let transcript = details_tag(&dom, "transcript-expunge-during-fetch");
    assert!(
        transcript.contains("open"),
        "the anchor opens the transcript: {transcript}"
    );
    assert!(dom.contains("TRANSCRIPT-MARKER"));

    let shot = dir.join("report.png");
    let arg = format!("--screenshot={}", shot.display());
    dump_dom(
        browser,
        &anchored,
        &[&arg, "--window-size=1280,1400", "--hide-scrollbars"],
    );
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "a screenshot was taken"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
