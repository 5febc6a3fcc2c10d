//! Cuts a reproducer out of a recorded `stress` history, as `fuzz` does out of its own, so a
//! finding of a plain stress run can be replayed and shrunk with `imapgate replay`:
//! `cargo run --release --example cut_reproducer -- EVENTS.jsonl REQUIREMENT OUT.repro.json
//! [SESSIONS] [USER]`. Every session of the plan is kept (a crash or a race is about what
//! the others were doing); `imapgate replay OUT --target T --shrink 5m` then shrinks it.

use std::io::BufReader;

use imapgate::check::check;
use imapgate::history::{EventKind, History};
use imapgate::run::replay::{Reproducer, WorkspaceSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [events, requirement, out, rest @ ..] = args.as_slice() else {
        return Err("usage: cut_reproducer EVENTS.jsonl REQUIREMENT OUT [SESSIONS] [USER]".into());
    };
    let sessions: u32 = rest.first().map_or(Ok(6), |s| s.parse())?;
    let user = rest.get(1).cloned().unwrap_or_else(|| "user1".to_owned());
    let history = History::read_jsonl(BufReader::new(std::fs::File::open(events)?))?;
    let findings = check(&history);
    let v = (findings.violations.iter())
        .find(|v| v.requirement.id == requirement)
        .ok_or("no such finding in the history")?;
    let run_id = run_id(&history).ok_or("no run mailbox (imapgate-<run>/) in the history")?;
    let workspace = WorkspaceSpec {
        prefix: String::new(),
        delimiter: Some("/".to_owned()),
        run_id,
        shared: 1,
    };
    let repro = Reproducer::from_history(&history, v, sessions, workspace, &[user], true);
    std::fs::write(out, serde_json::to_vec_pretty(&repro)?)?;
    eprintln!(
        "{}: {} steps in {} sessions, for {} ({})",
        out,
        repro.steps.len(),
        repro.users.len(),
        v.observed,
        v.requirement.id
    );
    Ok(())
}

/// The run id out of the first `imapgate-<run>` mailbox name a command names.
fn run_id(history: &History) -> Option<String> {
    const ROOT: &[u8] = b"imapgate-";
    history.events.iter().find_map(|e| {
        let EventKind::Sent { bytes, .. } = &e.kind else {
            return None;
        };
        let bytes = bytes.bytes();
        let at = bytes.windows(ROOT.len()).position(|w| w == ROOT)? + ROOT.len();
        let id: String = (bytes[at..].iter())
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(|&b| char::from(b))
            .collect();
        (!id.is_empty()).then_some(id)
    })
}
