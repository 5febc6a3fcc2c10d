//! `imapgate run --report-dir` and `--baseline` end to end against a private Dovecot (ports
//! shifted by 760): every file is written, `index.json` round-trips, `junit.xml` validates
//! against the JUnit schema CI systems read, and baselines gate only on regressions.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imapgate::report::baseline::Baseline;
use imapgate::report::{Index, Report, Verdict};

const SCRIPTS: &[&str] = &["close", "fetch", "store", "select"];

/// A scenario that expects what Dovecot never says: a failure with a transcript.
const WRONG: &str = "requirement: R3501-6.4.1-01\ndescription: expects an EXISTS that never comes\n\nok noop\n* 99 exists\n";

fn scenarios(dir: &Path) -> PathBuf {
    let folder = dir.join("scenarios");
    std::fs::create_dir_all(&folder).unwrap();
    let suite = imapgate::generate::scenario::suite::peer_suite();
    for name in SCRIPTS {
        std::fs::copy(suite.join(name), folder.join(name)).unwrap();
    }
    std::fs::copy(suite.join("default.mbox"), folder.join("default.mbox")).unwrap();
    std::fs::write(folder.join("wrong-exists"), WRONG).unwrap();
    folder
}

fn imapgate(port: u16, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["run", "--target", &format!("imap://user1@127.0.0.1:{port}")])
        .args(["--user2", "user2", "--exceptions", "/dev/null"])
        .args(args)
        .env("IMAPGATE_PASSWORD", "pass")
        .output()
        .expect("imapgate runs");
    eprintln!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_dovecot_run_writes_every_file_and_baselines_gate_on_regressions() {
    let Some(server) = support::start("dovecot", 760) else {
        return;
    };
    let port = server.recipe.manifest.plain_port;
    let tmp = PathBuf::from(format!("/tmp/imapgate-test/report-{}", std::process::id()));
    let folder = scenarios(&tmp);
    let folder = folder.to_str().unwrap();
    let dir = tmp.join("report");
    let dir_s = dir.to_str().unwrap();

    let first = imapgate(port, &["--report-dir", dir_s, folder]);
    assert_eq!(first.status.code(), Some(1), "the wrong scenario fails");
    assert!(stdout(&first).contains("wrong-exists"));
    check_files(&dir);

    let baseline = tmp.join("baseline.json");
    let update = Command::new(env!("CARGO_BIN_EXE_imapgate"))
        .args(["baseline", "update", "--report-dir", dir_s, "--out"])
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(update.status.code(), Some(0));
    let b = Baseline::load(&baseline).unwrap();
    assert_eq!(b.cases.get("wrong-exists"), Some(&Verdict::Fail));
    let baseline_s = baseline.to_str().unwrap();

    // The same run again: the known failure is no regression.
    let again = imapgate(port, &["--baseline", baseline_s, folder]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(stdout(&again).contains("0 regression(s)"));

    // A baseline in which the failing case passed: a regression, named.
    let mut passing = b.clone();
    passing.cases.insert("wrong-exists".into(), Verdict::Pass);
    // ...and in which a passing case failed: an improvement, noticed.
    passing.cases.insert("fetch".into(), Verdict::Fail);
    passing.save(&baseline).unwrap();
    let regressed = imapgate(port, &["--baseline", baseline_s, folder]);
    assert_eq!(regressed.status.code(), Some(1));
    let text = stdout(&regressed);
    assert!(
        text.contains("baseline REGRESSION: wrong-exists: Pass -> Fail"),
        "{text}"
    );
    assert!(
        text.contains("baseline improvement: fetch: Fail -> Pass"),
        "{text}"
    );

    // Only the improvement: exit 0 with the notice.
    let mut improved = b.clone();
    improved.cases.insert("fetch".into(), Verdict::Fail);
    improved.save(&baseline).unwrap();
    let better = imapgate(port, &["--baseline", baseline_s, folder]);
    assert_eq!(better.status.code(), Some(0), "{}", stdout(&better));
    assert!(stdout(&better).contains("baseline improvement: fetch: Fail -> Pass"));

    // Sharding: two shards together run every scenario once.
    let one = imapgate(port, &["--shard", "1/2", "--report-dir", dir_s, folder]);
    let mut ids = Report::read_index(&dir).unwrap().cases.len();
    assert!(matches!(one.status.code(), Some(0 | 1)));
    imapgate(port, &["--shard", "2/2", "--report-dir", dir_s, folder]);
    ids += Report::read_index(&dir).unwrap().cases.len();
    assert_eq!(ids, SCRIPTS.len() + 1);
    let _ = std::fs::remove_dir_all(&tmp);
}

fn check_files(dir: &Path) {
    for f in [
        "index.json",
        "events.jsonl",
        "junit.xml",
        "report.md",
        "report.html",
    ] {
        assert!(dir.join(f).is_file(), "{f} is missing");
    }
    let text = std::fs::read_to_string(dir.join("index.json")).unwrap();
    let index: Index = serde_json::from_str(&text).unwrap();
    let again: Index = serde_json::from_str(&serde_json::to_string(&index).unwrap()).unwrap();
    assert_eq!(again, index, "index.json round-trips");
    assert!(!index.incomplete);
    assert_eq!(index.cases.len(), SCRIPTS.len() + 1);
    assert!(
        index
            .server
            .greeting
            .as_deref()
            .unwrap_or("")
            .contains("Dovecot")
    );
    assert!(index.server.capabilities.iter().any(|c| c == "IMAP4rev1"));
    let report = Report::read(dir).unwrap();
    let wrong = report
        .cases
        .iter()
        .find(|c| c.id == "wrong-exists")
        .unwrap();
    assert_eq!(wrong.verdict, Verdict::Fail);
    assert_eq!(wrong.requirements[0].id, "R3501-6.4.1-01");
    assert!(wrong.expected.is_some() && !wrong.transcript.is_empty());
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("### wrong-exists: Fail"));
    validate_junit(&dir.join("junit.xml"));
}

/// `xmllint --schema` against `tests/data/junit.xsd` (Debian `libxml2-utils`; required under
/// CI=true), then the same required structure read back with quick-junit.
fn validate_junit(path: &Path) {
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/junit.xsd");
    match Command::new("xmllint")
        .args(["--noout", "--schema", xsd])
        .arg(path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if support::in_ci() => panic!("CI=true and xmllint is missing: {e}"),
        Err(e) => eprintln!("xmllint not run ({e}); install libxml2-utils"),
    }
    let xml = std::fs::read_to_string(path).unwrap();
    let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let suite = &parsed.test_suites[0];
    assert_eq!(suite.test_cases.len(), SCRIPTS.len() + 1);
    assert!(suite.failures >= 1);
    assert!(suite.test_cases.iter().all(|c| c.classname.is_some()));
}
