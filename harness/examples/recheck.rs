//! Re-checks a recorded history (`events.jsonl` from `imapgate stress --report-dir`) and
//! prints every violation with its evidence, so a finding can be read against the wire:
//! `cargo run --release --example recheck -- DIR/events.jsonl [REQUIREMENT-ID] [MAX]`.

use std::io::BufReader;

use imapgate::check::check;
use imapgate::history::{EventKind, History};
use imapgate::wire::escape::escape_bytes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: recheck EVENTS.jsonl [REQUIREMENT] [MAX]")?;
    let only = args.next();
    let max: usize = args.next().map_or(Ok(3), |m| m.parse())?;
    let history = History::read_jsonl(BufReader::new(std::fs::File::open(path)?))?;
    let started = std::time::Instant::now();
    let findings = check(&history);
    eprintln!(
        "{} events checked in {:?}: verdict {:?}, {} violations, {} undecided",
        history.events.len(),
        started.elapsed(),
        findings.verdict,
        findings.violations.len(),
        findings.undecided.len()
    );
    let m = &findings.measures;
    if !m.is_empty() {
        eprintln!(
            "pushed to idlers: {} changes, {} missed; {} flag changes, {} missed",
            m.push_latency_us.len(),
            m.push_missed,
            m.flag_push_latency_us.len(),
            m.flag_push_missed
        );
    }
    let mut shown = std::collections::HashMap::new();
    for v in &findings.violations {
        let id = v.requirement.id;
        if only.as_deref().is_some_and(|o| o != id) {
            continue;
        }
        let n = shown.entry((id, v.verdict)).or_insert(0usize);
        *n += 1;
        if *n > max {
            continue;
        }
        println!(
            "== {id} {:?} [{}] s{} #{}",
            v.verdict, v.detector, v.session, v.event
        );
        println!(
            "   expected: {}\n   observed: {}\n   because: {}",
            v.expected, v.observed, v.because
        );
        for &i in &v.evidence {
            println!("   evidence {}", line(&history, i));
        }
    }
    for ((id, verdict), n) in &shown {
        eprintln!("{id} {verdict:?}: {n}");
    }
    Ok(())
}

fn line(h: &History, index: u64) -> String {
    let Some(e) = h.events.get(index as usize) else {
        return format!("#{index} (missing)");
    };
    let what = match &e.kind {
        EventKind::Sent { bytes, .. } => format!("> {}", escape_bytes(&bytes.bytes())),
        EventKind::Received { bytes } => format!("< {}", escape_bytes(&bytes.bytes())),
        other => format!("! {other:?}"),
    };
    format!("#{index} s{}: {what}", e.session)
}
