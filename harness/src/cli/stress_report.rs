//! What `imapgate stress` prints at the end: findings by requirement, then a summary with
//! throughput and the harness's own cost per command.

use std::collections::BTreeMap;

use comfy_table::{ContentArrangement, Table};

use super::stress_findings::Finding;
use crate::run::stress::StressOutcome;
use crate::run::usage::peak_rss_kib;

/// One row per requirement: how many, the level, and the first occurrence.
pub fn print_findings(findings: &[Finding]) {
    if findings.is_empty() {
        println!("no findings");
        return;
    }
    let mut by_requirement: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_requirement.entry(&f.requirement).or_default().push(f);
    }
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header([
        "requirement",
        "level",
        "count",
        "first (session/event)",
        "example",
    ]);
    for (requirement, all) in &by_requirement {
        let first = all[0];
        t.add_row([
            requirement.to_string(),
            first.level.clone(),
            all.len().to_string(),
            format!("s{} / #{}", first.session, first.event),
            first.summary.clone(),
        ]);
    }
    println!("{t}");
}

pub fn print_summary(o: &StressOutcome, findings: &[Finding], seed: u64) {
    let secs = o.elapsed.as_secs_f64().max(1e-9);
    let per_sec = o.commands_completed as f64 / secs;
    let cpu_per_command = o.cpu.filter(|_| o.commands_completed > 0).map_or_else(
        || "-".to_owned(),
        |c| {
            format!(
                "{:.1} µs",
                c.as_secs_f64() * 1e6 / o.commands_completed as f64
            )
        },
    );
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
        (
            "harness CPU",
            o.cpu
                .map_or_else(|| "-".into(), |c| format!("{:.2} s", c.as_secs_f64())),
        ),
        ("harness CPU per command", cpu_per_command),
        (
            "peak RSS",
            peak_rss_kib().map_or_else(|| "-".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        ),
        ("events recorded", o.history.events.len().to_string()),
        (
            "findings",
            format!(
                "{} against the server, {} harness",
                findings.iter().filter(|f| !f.harness).count(),
                findings.iter().filter(|f| f.harness).count()
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
