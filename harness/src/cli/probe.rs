//! `imapgate probe --target T`: what the target offers, as a table or `--json`.

use super::target_args::TargetArgs;

use comfy_table::{ContentArrangement, Table};

use super::Exit;
use crate::run::login::AuthMethod;
use crate::run::probe::{ProbeReport, probe};
use crate::run::security::{ProbeOutcome, run_all};
use crate::run::target::Target;
use crate::run::transport::Timeouts;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub conn: TargetArgs,
    #[arg(long, value_enum, default_value_t = AuthMethod::Auto)]
    pub auth: AuthMethod,
    /// Seconds to wait for any response.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also send one probe per known IMAP vulnerability's input shape (NUL in quoted
    /// strings, thousands of literals, brace floods, STARTTLS injection, long AUTHENTICATE,
    /// format strings, huge literal claims), each followed by a liveness and memory check.
    /// (`--security` already names the connection's security.)
    #[arg(long)]
    pub security_probes: bool,
}

pub fn run(args: Args) -> Exit {
    let target = match target(&args) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("imapgate: {e}");
            return Exit::Harness;
        }
    };
    let timeouts = super::timeouts(args.timeout);
    let runtime = match super::runtime() {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let report = runtime.block_on(probe(&target, args.auth, timeouts));
    if args.security_probes {
        return security(&runtime, &args, &target, &report, timeouts);
    }
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("imapgate: {e}"),
        }
    } else {
        print_report(&report);
    }
    exit_of(&report)
}

/// `--security-probes`: the probes, a table (or JSON), exit 1 if any failed.
fn security(
    runtime: &tokio::runtime::Runtime,
    args: &Args,
    target: &Target,
    report: &ProbeReport,
    timeouts: Timeouts,
) -> Exit {
    if report.greeting.is_none() {
        eprintln!(
            "imapgate: {} gave no greeting: nothing to probe",
            target.name
        );
        return Exit::Harness;
    }
    let access = super::stress::access(target, args.auth, report, timeouts);
    let pid = target.recipe.as_ref().and_then(|r| r.running_pid());
    let outcomes = runtime.block_on(run_all(&access, pid, &target.user));
    if args.json {
        match serde_json::to_string_pretty(&outcomes) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("imapgate: {e}"),
        }
    } else {
        print_security(&outcomes);
    }
    if outcomes.iter().any(|o| o.outcome == "fail") {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn print_security(outcomes: &[ProbeOutcome]) {
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header([
        "probe",
        "shape of",
        "outcome",
        "first answer",
        "alive after",
        "server RSS",
    ]);
    for o in outcomes {
        let rss = o.rss_kib.map_or_else(
            || "-".to_owned(),
            |(a, b)| format!("{} → {} MiB", a / 1024, b / 1024),
        );
        let outcome = if o.detail.is_empty() {
            o.outcome.to_owned()
        } else {
            format!("{}: {}", o.outcome, o.detail)
        };
        let alive = if o.alive_after { "yes" } else { "NO" };
        t.add_row([o.name, o.reference, &outcome, &o.answer, alive, &rss]);
    }
    println!("{t}");
}

/// 2 when nothing could be concluded, 1 when the target misbehaved, else 0.
pub fn exit_of(report: &ProbeReport) -> Exit {
    if report.harness_error.is_some() {
        Exit::Harness
    } else if report.findings.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

/// Resolve the target; a recipe that is not running is started.
fn target(args: &Args) -> Result<Target, Box<dyn std::error::Error>> {
    args.conn.resolve_and_start()
}

fn print_report(r: &ProbeReport) {
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    let tls = r
        .tls
        .as_ref()
        .map_or_else(|| "-".to_owned(), |i| format!("{} {}", i.version, i.cipher));
    let login = r.login.as_ref().map_or_else(
        || "-".to_owned(),
        |l| format!("{:?}: {} {}", l.method, l.status, l.text),
    );
    let rows = [
        (
            "target",
            format!("{} ({}, {:?})", r.target, r.address, r.security),
        ),
        ("greeting", r.greeting.clone().unwrap_or_else(|| "-".into())),
        ("TLS", tls),
        (
            "capabilities before login",
            r.capabilities_pre_auth.join(" "),
        ),
        (
            "capabilities after login",
            r.capabilities_post_auth.join(" "),
        ),
        ("login", login),
        (
            "namespace prefix",
            r.namespace_prefix
                .clone()
                .map_or_else(|| "-".into(), |p| format!("{p:?}")),
        ),
        (
            "hierarchy delimiter",
            r.delimiter.clone().unwrap_or_else(|| "-".into()),
        ),
    ];
    for (k, v) in rows {
        t.add_row([k, v.as_str()]);
    }
    println!("{t}");
    if let Some(e) = &r.harness_error {
        println!("harness error (nothing concluded about the target): {e}");
    }
    if r.findings.is_empty() {
        return;
    }
    let mut f = Table::new();
    f.set_content_arrangement(ContentArrangement::Dynamic);
    f.set_header(["finding", "detail"]);
    for finding in &r.findings {
        f.add_row([finding.summary.as_str(), finding.detail.as_str()]);
    }
    println!("{f}");
}
