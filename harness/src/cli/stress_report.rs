//! What `imapgate stress` prints at the end: findings by requirement, then a summary with
//! throughput and the harness's own cost per command.

use std::time::Duration;

use comfy_table::{ContentArrangement, Table};

use super::stress_findings::{Judged, Row};
use crate::check::Measures;
use crate::run::stress::StressOutcome;
use crate::run::usage::peak_rss_kib;

/// One row per requirement and verdict: how many, and the first occurrence with what was
/// expected and what the server did.
pub fn print_findings(judged: &Judged) {
    if judged.rows.is_empty() {
        println!("no findings");
        return;
    }
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header([
        "requirement",
        "level",
        "verdict",
        "count",
        "first (session/event)",
        "expected",
        "observed",
    ]);
    for row in &judged.rows {
        t.add_row(cells(row));
    }
    println!("{t}");
}

fn cells(row: &Row) -> [String; 7] {
    let e = &row.example;
    [
        row.requirement.clone(),
        row.level.clone(),
        format!("{:?}", row.verdict),
        row.count.to_string(),
        format!("s{} / #{}", e.session, e.event),
        clip(&e.expected),
        clip(&e.observed),
    ]
}

/// Examples can quote whole responses; the table shows their start (the history has all).
fn clip(text: &str) -> String {
    const MAX: usize = 160;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

pub fn print_summary(
    o: &StressOutcome,
    check_cpu: Option<Duration>,
    judged: &Judged,
    measures: &Measures,
    seed: u64,
) {
    let secs = o.elapsed.as_secs_f64().max(1e-9);
    let per_sec = o.commands_completed as f64 / secs;
    let s = &o.summary;
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    let rows = [
        ("seed", seed.to_string()),
        (
            "sessions",
            format!(
                "{} planned, {} logged in, {} closed, {} lost, {} harness errors",
                s.sessions, s.logged_in, s.closed, s.lost, s.harness
            ),
        ),
        ("duration", format!("{secs:.1} s")),
        ("commands completed", o.commands_completed.to_string()),
        ("commands/s", format!("{per_sec:.0}")),
        ("harness CPU (run, live checks included)", seconds(o.cpu)),
        ("harness CPU (final check)", seconds(check_cpu)),
        (
            "harness CPU per command (run + check)",
            per_command(
                o.cpu.zip(check_cpu).map(|(a, b)| a + b),
                o.commands_completed,
            ),
        ),
        (
            "peak RSS",
            peak_rss_kib().map_or_else(|| "-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        ),
        ("events recorded", o.history.events.len().to_string()),
        (
            "new and expunged messages pushed to idling sessions (RFC 2177)",
            push_line(
                |q| measures.push_quantile(q),
                measures.push_latency_us.len(),
                measures.push_missed,
            ),
        ),
        (
            "flag changes pushed to idling sessions (RFC 3501 §5.2)",
            push_line(
                |q| measures.flag_push_quantile(q),
                measures.flag_push_latency_us.len(),
                measures.flag_push_missed,
            ),
        ),
        (
            "SORT and THREAD answers judged against the model (RFC 5256)",
            format!(
                "{} SORT; THREAD: {} ORDEREDSUBJECT, {} REFERENCES; {} and {} with a thread of \
                 two or more; REFERENCES: {} replies placed, {} tops gathered, {} sibling pairs \
                 ordered, {} answers compared whole",
                measures.sorts_judged,
                measures.threads_judged,
                measures.references_judged,
                measures.threads_grouped,
                measures.references_grouped,
                measures.replies_placed,
                measures.tops_gathered,
                measures.siblings_ordered,
                measures.references_exact
            ),
        ),
        (
            "findings",
            format!(
                "{} against the server, {} not counted (NonStrict without --strict, Unknown, \
                 Informational), {} harness; {} undecided",
                judged.server_findings(),
                judged.not_counted(),
                judged.harness_errors(),
                judged.unknown
            ),
        ),
        (
            "setup",
            o.setup_error.clone().unwrap_or_else(|| "ok".into()),
        ),
        (
            "clean-up",
            if o.cleanup_problems.is_empty() {
                "ok: every mailbox the run created was removed".into()
            } else {
                o.cleanup_problems.join("; ")
            },
        ),
    ];
    for (k, v) in rows {
        t.add_row([k, v.as_str()]);
    }
    println!("{t}");
}

/// Push latency quantiles (of `quantile`, `pushed` of them, `missed` not pushed), or why
/// there are none.
fn push_line(quantile: impl Fn(f64) -> Option<u64>, pushed: usize, missed: u64) -> String {
    let ms = |q: f64| {
        quantile(q).map_or_else(|| "-".into(), |us| format!("{:.0} ms", us as f64 / 1000.0))
    };
    if pushed == 0 && missed == 0 {
        return "nothing changed while a session idled (IDLE not advertised, or no idle sessions)"
            .into();
    }
    format!(
        "{pushed} pushed: p50 {}, p95 {}, max {}; {missed} not pushed within the bound",
        ms(0.5),
        ms(0.95),
        ms(1.0),
    )
}

fn seconds(cpu: Option<Duration>) -> String {
    cpu.map_or_else(|| "-".into(), |c| format!("{:.2} s", c.as_secs_f64()))
}

fn per_command(cpu: Option<Duration>, commands: u64) -> String {
    match cpu {
        Some(c) if commands > 0 => format!("{:.1} µs", c.as_secs_f64() * 1e6 / commands as f64),
        _ => "-".into(),
    }
}
