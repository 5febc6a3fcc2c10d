//! Response-parser benchmark: imapgate against imap-codec on the shared deterministic corpus
//! (`respgen.rs`, copied from `shared/bench/`), parsed by both in the same run.
//!
//! `cargo bench --bench parse -- [--mb 50] [--seed 42] [--runs 5] [--only imapgate|imap-codec|none]`
//! `--only` runs one parser once, for instruction counts under callgrind (subtract `none`,
//! which only generates the corpus).

#[allow(clippy::unwrap_used, clippy::doc_overindented_list_items, dead_code)]
#[path = "respgen.rs"]
mod respgen;

use std::hint::black_box;
use std::time::{Duration, Instant};

use imap_codec::ResponseCodec;
use imap_codec::decode::Decoder;
use imapgate::wire::frame::{FrameLimits, split_frames};
use imapgate::wire::response::parse_response;

struct Opts {
    mb: usize,
    seed: u64,
    runs: u32,
    only: Option<String>,
}

fn opts() -> Opts {
    let mut o = Opts {
        mb: 50,
        seed: 42,
        runs: 5,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mb" => o.mb = args.next().and_then(|v| v.parse().ok()).unwrap_or(o.mb),
            "--seed" => o.seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(o.seed),
            "--runs" => o.runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(o.runs),
            "--only" => o.only = args.next(),
            _ => {} // cargo bench passes --bench
        }
    }
    o
}

/// Parse every response with imapgate (framing included); returns how many parsed.
fn imapgate_pass(stream: &[u8]) -> (u64, u64) {
    let (mut ok, mut failed) = (0, 0);
    for frame in split_frames(stream, FrameLimits::default()) {
        match frame.ok().map(parse_response) {
            Some(Ok(r)) => {
                black_box(&r);
                ok += 1;
            }
            _ => failed += 1,
        }
    }
    (ok, failed)
}

/// Parse every response with imap-codec's streaming `ResponseCodec`.
fn codec_pass(stream: &[u8]) -> (u64, u64) {
    let codec = ResponseCodec::default();
    let (mut ok, mut rest) = (0, stream);
    while !rest.is_empty() {
        match codec.decode(rest) {
            Ok((next, r)) => {
                black_box(&r);
                ok += 1;
                rest = next;
            }
            Err(_) => return (ok, 1),
        }
    }
    (ok, 0)
}

type Pass = fn(&[u8]) -> (u64, u64);

/// Best wall time of `runs` passes (a shared, noisy machine: the minimum is the signal).
fn best(pass: Pass, stream: &[u8], runs: u32) -> (Duration, u64, u64) {
    let mut best = Duration::MAX;
    let mut counts = (0, 0);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        counts = pass(stream);
        best = best.min(t.elapsed());
    }
    (best, counts.0, counts.1)
}

fn main() {
    let o = opts();
    let (stream, stats) = respgen::generate(o.seed, o.mb * 1_000_000);
    let parsers: [(&str, Pass); 2] = [("imapgate", imapgate_pass), ("imap-codec", codec_pass)];
    if let Some(only) = &o.only {
        for (name, pass) in parsers.iter().filter(|(n, _)| n == only) {
            let (ok, failed) = pass(&stream);
            println!("{name}: {ok} parsed, {failed} failed");
        }
        return;
    }
    println!(
        "corpus: seed {}, {} bytes, {} responses ({} literal bytes)",
        o.seed,
        stream.len(),
        stats.total,
        stats.literal_bytes
    );
    let mut rates = Vec::new();
    for (name, pass) in parsers {
        let (t, ok, failed) = best(pass, &stream, o.runs);
        let secs = t.as_secs_f64();
        let (mbs, rps) = (stream.len() as f64 / secs / 1e6, ok as f64 / secs);
        println!(
            "{name:>11}: {mbs:8.1} MB/s {:8.0} k responses/s  ({ok} parsed, {failed} failed, best of {})",
            rps / 1e3,
            o.runs
        );
        rates.push(mbs);
    }
    println!("ratio imapgate/imap-codec: {:.2}", rates[0] / rates[1]);
    by_kind(&o);
}

/// Where the time goes: the same comparison per response kind.
fn by_kind(o: &Opts) {
    println!("\nper kind (MB/s imapgate, imap-codec, ratio):");
    for (kind, bytes, count) in respgen::generate_by_kind(o.seed, o.mb * 1_000_000) {
        let (a, ..) = best(imapgate_pass, &bytes, o.runs);
        let (b, ..) = best(codec_pass, &bytes, o.runs);
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "  {kind:<22} {count:>6} responses {mb:>7.1} MB  {:>8.1} {:>8.1}  {:>5.2}",
            mb / a.as_secs_f64(),
            mb / b.as_secs_f64(),
            b.as_secs_f64() / a.as_secs_f64()
        );
    }
}
