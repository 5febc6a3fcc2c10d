//! Differential test of imapgate's response parser against the imap-codec crate.
//!
//! Every frame goes through both parsers; each AST is mapped into a small neutral form
//! (`differential/neutral.rs`) and the two are compared. The property: whatever
//! imap-codec accepts, imapgate accepts too, with the same meaning. Three sources of
//! frames: generated valid responses (our proptest strategies, our encoder), the
//! real-server recordings in `shared/corpus-real`, and the benchmark corpus.
//!
//! Where the parsers legitimately part ways, the difference is named in one place:
//! values imap-codec has no type for (`differential/ours.rs`, `OnlyOurs`), input it
//! refuses although the ABNF allows it (`differential/refusals.rs`), and server
//! deviations it tolerates by a quirk (`differential/known.rs`).
//!
//! `cargo test -p imapgate --test differential -- --nocapture` prints the counts.

// A failed unwrap is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The crate root of a test resolves modules next to it, hence the paths.
#[path = "differential/codec.rs"]
mod codec;
#[path = "differential/codec_body.rs"]
mod codec_body;
#[path = "differential/coverage.rs"]
mod coverage;
#[path = "differential/known.rs"]
mod known;
#[path = "differential/neutral.rs"]
mod neutral;
#[path = "differential/ours.rs"]
mod ours;
#[path = "differential/ours_body.rs"]
mod ours_body;
#[path = "differential/outcome.rs"]
mod outcome;
#[path = "differential/refusals.rs"]
mod refusals;
#[path = "differential/sensitivity.rs"]
mod sensitivity;
#[path = "differential/tally.rs"]
mod tally;

// Shared verbatim with the benchmark (and `shared/bench/`), so not edited for lints.
#[allow(clippy::unwrap_used, clippy::doc_overindented_list_items, dead_code)]
#[path = "../benches/respgen.rs"]
mod respgen;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use imapgate::wire::escape::escape_bytes;
use imapgate::wire::response::{Data, Response, strategy};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use coverage::Coverage;
use outcome::{Verdict, judge};
use tally::{Tally, show};

/// Generated responses per run.
const CASES: u32 = 4000;

/// What the generated responses compared by both parsers must have exercised, each at
/// least [`MIN_SEEN`] times. A run sees each of them dozens to hundreds of times; the
/// typed response codes are counted together because each alone is rarer.
const REQUIRED: &[&str] = &[
    "tagged status",
    "untagged status",
    "BYE",
    "typed code",
    "[other code]",
    "continue text",
    "continue base64",
    "CAPABILITY",
    "FLAGS",
    "LIST",
    "LSUB",
    "SEARCH",
    "STATUS",
    "EXISTS",
    "RECENT",
    "EXPUNGE",
    "FETCH UID",
    "FETCH FLAGS",
    "FETCH RFC822.SIZE",
    "FETCH INTERNALDATE",
    "FETCH ENVELOPE",
    "ENVELOPE address",
    "FETCH BODY[section]",
    "BODY[section]<origin>",
    "FETCH BODY",
    "FETCH BODYSTRUCTURE",
    "body multipart",
    "body message/rfc822",
    "body extension data",
    "FETCH RFC822",
    "FETCH RFC822.HEADER",
    "FETCH RFC822.TEXT",
];

/// Low enough never to fail by chance (each label is seen more than 25 times in
/// every run observed), high enough to fail when a kind stops being compared.
const MIN_SEEN: usize = 3;

/// Debug builds keep the deeply nested strategy and value trees on the stack; the
/// default 2 MiB test thread is not always enough (as in the round-trip test).
const STACK: usize = 64 * 1024 * 1024;

/// What a generated run saw.
#[derive(Debug, Default)]
struct GenStats {
    /// Responses both parsers accepted, with the same meaning.
    same: usize,
    coverage: Coverage,
    /// Why imap-codec refused the responses only we accepted, with counts.
    only_ours: BTreeMap<&'static str, usize>,
}

/// Every generated valid response that imap-codec accepts, imapgate accepts too, with
/// the same meaning; imapgate accepts all of them; and each one imap-codec refuses is
/// explained.
#[test]
fn generated_responses_mean_the_same() {
    let run = || {
        let stats = RefCell::new(GenStats::default());
        let mut runner = TestRunner::new(Config {
            cases: CASES,
            // The runner is not the `proptest!` macro: it has no source file to
            // persist failures next to; a failure prints the shrunk response instead.
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&responses(), |r| {
            check_generated(&r, &mut stats.borrow_mut())
        });
        // Only the message crosses the thread boundary.
        result
            .map_err(|e| e.to_string())
            .map(|()| stats.into_inner())
    };
    let outcome = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
    let stats = outcome.unwrap_or_else(|e| panic!("{e}"));
    let only_ours: usize = stats.only_ours.values().sum();
    println!(
        "generated: {CASES} responses: {} accepted by both with the same meaning, {only_ours} only by imapgate",
        stats.same
    );
    println!("compared: {:#?}", stats.coverage.0);
    println!("only imapgate accepted: {:#?}", stats.only_ours);
    let missing = stats.coverage.missing(REQUIRED, MIN_SEEN);
    assert!(missing.is_empty(), "compared too rarely: {missing:?}");
}

/// Our response strategy, plus as many FETCH responses again: FETCH data is most of the
/// grammar but a small share of `strategy::response()`, and one msg-att that imap-codec
/// cannot hold (MODSEQ, an extension item) takes the whole response out of the
/// comparison.
fn responses() -> impl Strategy<Value = Response<'static>> {
    let fetch = (1..=u32::MAX, vec(strategy::msg_att(), 1..5))
        .prop_map(|(seq, atts)| Response::Data(Data::Fetch { seq, atts }));
    prop_oneof![strategy::response(), fetch]
}

fn check_generated(r: &Response<'_>, stats: &mut GenStats) -> Result<(), TestCaseError> {
    let bytes = r.to_bytes();
    let verdict = judge(&bytes);
    match &verdict {
        Verdict::Same(resp) => {
            stats.same += 1;
            stats.coverage.add(resp);
        }
        Verdict::OnlyOurs { ours, .. } => match refusals::why_only_ours(&bytes, ours) {
            Some(why) => *stats.only_ours.entry(why).or_default() += 1,
            None => return Err(fail(&bytes, "imap-codec refused it, unexplained", &verdict)),
        },
        Verdict::Differ { .. } => return Err(fail(&bytes, "different meanings", &verdict)),
        Verdict::OnlyCodec { .. } | Verdict::Neither { .. } => {
            return Err(fail(&bytes, "imapgate refused a valid response", &verdict));
        }
    }
    Ok(())
}

fn fail(bytes: &[u8], what: &str, verdict: &Verdict) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {}\n{verdict:#?}", escape_bytes(bytes)))
}

/// `shared/`: `$IMAPGATE_SHARED`, else next to the repository.
fn shared_dir() -> PathBuf {
    match std::env::var_os("IMAPGATE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

/// Every response of the real-server recordings that both parsers accept has the same
/// meaning; those only imap-codec accepts are known server deviations; those only we
/// accept are explained.
#[test]
fn real_server_corpus() {
    let dir = shared_dir().join("corpus-real");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".server.imap"))
        .collect();
    files.sort();
    let mut tally = Tally::default();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        tally.stream(
            name.trim_end_matches(".server.imap"),
            &std::fs::read(path).unwrap(),
        );
    }
    println!("corpus-real: {}", tally.summary());
    assert_eq!(
        tally.total(),
        4266,
        "the corpus README counts 4266 responses"
    );
    assert!(tally.unframed.is_empty(), "{:?}", tally.unframed);
    assert!(
        tally.differ.is_empty(),
        "different meanings:\n{}",
        show(&tally.differ)
    );
    check_only_codec(&tally);
    check_only_ours(&tally);
    println!(
        "refused by both (server deviations):\n{}",
        show(&tally.neither)
    );
}

/// Each frame only imap-codec accepts is in a known class, each class as often as
/// counted.
fn check_only_codec(tally: &Tally) {
    let mut seen = vec![0; known::TOLERATED.len()];
    let mut unknown = Vec::new();
    for case in &tally.only_codec {
        let Verdict::OnlyCodec { ours, .. } = &case.verdict else {
            unreachable!("only_codec holds OnlyCodec verdicts");
        };
        match known::tolerated(ours) {
            Some(class) => seen[class] += 1,
            None => unknown.push(format!("{}: {}\n{ours}", case.at, case.head(100))),
        }
    }
    println!("only imap-codec accepted:");
    for (t, n) in known::TOLERATED.iter().zip(&seen) {
        println!("{n:5} × {}", t.why);
    }
    assert!(unknown.is_empty(), "unexplained:\n{}", unknown.join("\n"));
    let counted: Vec<usize> = known::TOLERATED.iter().map(|t| t.count).collect();
    assert_eq!(seen, counted, "frames per known class");
}

/// Each frame only we accept is explained.
fn check_only_ours(tally: &Tally) {
    let mut reasons = BTreeMap::<&str, usize>::new();
    let mut unknown = Vec::new();
    for case in &tally.only_ours {
        let Verdict::OnlyOurs { ours, .. } = &case.verdict else {
            unreachable!("only_ours holds OnlyOurs verdicts");
        };
        match refusals::why_only_ours(&case.frame, ours) {
            Some(why) => *reasons.entry(why).or_default() += 1,
            None => unknown.push(format!("{}: {}", case.at, case.head(100))),
        }
    }
    println!("only imapgate accepted: {reasons:#?}");
    assert!(unknown.is_empty(), "unexplained:\n{}", unknown.join("\n"));
}

/// The benchmark corpus (seed 42, about 2 MB): every response accepted by both parsers,
/// with the same meaning.
#[test]
fn benchmark_corpus() {
    let (stream, stats) = respgen::generate(42, 2_000_000);
    let mut tally = Tally::default();
    tally.stream("respgen", &stream);
    println!("respgen: {}", tally.summary());
    assert_eq!(
        tally.total() as u64,
        stats.total,
        "frames vs generated responses"
    );
    assert_eq!(
        tally.same,
        tally.total(),
        "{}\n{}",
        tally.summary(),
        tally.not_same()
    );
    assert!(tally.unframed.is_empty(), "{:?}", tally.unframed);
}

/// The comparison is not blind: frames that differ in one detail of meaning compare
/// unequal, field by field.
#[test]
fn comparison_sees_each_detail() {
    let blind = sensitivity::blind_pairs();
    assert!(blind.is_empty(), "compared equal:\n{}", blind.join("\n"));
}
