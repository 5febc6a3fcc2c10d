//! Histories as transcripts: one readable line per event, wire bytes escaped (byte-safe).

use crate::history::{Event, EventKind, History, SessionId};
use crate::wire::escape::escape_bytes;

use super::model::TranscriptLine;

/// At most this many lines per case; the rest is counted, not kept (`events.jsonl` has all).
pub const MAX_LINES: usize = 2000;

/// The whole history (up to [`MAX_LINES`]) and how many lines were left out.
pub fn of_history(history: &History) -> (Vec<TranscriptLine>, usize) {
    let lines: Vec<TranscriptLine> = history.events.iter().take(MAX_LINES).map(line).collect();
    (lines, history.events.len().saturating_sub(MAX_LINES))
}

/// The `context` events of `session` up to and including `event`, plus any `evidence`
/// events of other sessions in that stretch: what a reader needs to see one finding.
pub fn around(
    history: &History,
    session: SessionId,
    event: u64,
    evidence: &[u64],
    context: usize,
) -> Vec<TranscriptLine> {
    let mine: Vec<&Event> = history
        .events
        .iter()
        .filter(|e| e.index <= event && (e.session == session || evidence.contains(&e.index)))
        .collect();
    let start = mine.len().saturating_sub(context);
    mine[start..].iter().map(|e| line(e)).collect()
}

fn line(e: &Event) -> TranscriptLine {
    let (dir, text) = match &e.kind {
        EventKind::Sent {
            bytes, mutation, ..
        } => {
            let mut text = escape_bytes(&bytes.bytes());
            if let Some(m) = mutation {
                text.push_str(&format!("   (malformed on purpose: {m})"));
            }
            ("C", text)
        }
        EventKind::Received { bytes } => ("S", escape_bytes(&bytes.bytes())),
        EventKind::Connected { address, tls } => {
            let tls = if *tls { " (TLS)" } else { "" };
            ("*", format!("connected to {address}{tls}"))
        }
        EventKind::Completed { tag } => ("*", format!("{tag} completed")),
        EventKind::Dropped { reason, .. } => ("*", format!("frame dropped: {reason}")),
        EventKind::Timeout {
            tag,
            waiting_for,
            after_ms,
        } => (
            "*",
            format!(
                "timeout after {after_ms} ms waiting for {waiting_for} ({})",
                tag.as_deref().unwrap_or("no command")
            ),
        ),
        EventKind::Disconnected { tag, reason } => (
            "*",
            format!(
                "disconnected: {reason} ({})",
                tag.as_deref().unwrap_or("no command")
            ),
        ),
        EventKind::Closed => ("*", "closed".to_owned()),
        EventKind::HarnessError { what } => ("*", format!("harness error: {what}")),
    };
    TranscriptLine {
        event: e.index,
        session: e.session,
        ms: e.at_us / 1000,
        dir: dir.to_owned(),
        text,
    }
}

/// The first line the server sent: its greeting.
pub fn greeting(history: &History) -> Option<String> {
    history.events.iter().find_map(|e| match &e.kind {
        EventKind::Received { bytes } => {
            let bytes = bytes.bytes();
            let text = String::from_utf8_lossy(&bytes);
            Some(text.trim_end_matches(['\r', '\n']).to_owned())
        }
        _ => None,
    })
}
