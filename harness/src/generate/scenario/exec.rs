//! Running a scenario against a target: connect, bring every connection to the scenario's
//! start state on a fresh mailbox under imapgate's own name, run the command groups, log out,
//! clean up, and hand back a verdict with the whole exchange as a [`History`].
//!
//! Safety (DESIGN decision 10): the test mailbox is `<namespace prefix>imapgate-<run>-<nnn>-
//! <scenario>`; setup refuses to start if anything of that name exists, and cleanup deletes
//! only mailboxes whose names start with it.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::conn::{Recorder, ScriptConn};
use super::mbox::Mbox;
use super::model::Scenario;
use super::oracle;
use super::setup;
use super::vars::Vars;
use crate::check::Findings;
use crate::history::{History, Meta};
use crate::run::target::Secret;
use crate::run::transport::{Endpoint, Timeouts};

/// Where and as whom to run.
#[derive(Clone, Debug)]
pub struct RunTarget {
    pub name: String,
    pub endpoint: Endpoint,
    pub timeouts: Timeouts,
    /// The primary user first; the second is `$user2` for `user N: $user2`.
    pub users: Vec<String>,
    pub password: Secret,
    /// The personal namespace prefix (`INBOX.` on Cyrus and Courier), put before our names.
    pub namespace_prefix: String,
}

/// The graded result of one scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    /// The script's expectations held but the checker found a SHOULD broken.
    NonStrict(Failure),
    Fail(Failure),
    /// The checker could not decide (a timeout, a disconnect, an unparseable completion).
    Unknown {
        reason: String,
    },
    /// A capability (or a second user) the scenario needs is missing: skipped, never Fail.
    Unimplemented {
        reason: String,
    },
    /// Our fault or our environment's: nothing is concluded about the target.
    HarnessError {
        reason: String,
    },
}

impl Verdict {
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Pass => "Pass",
            Verdict::NonStrict(_) => "NonStrict",
            Verdict::Fail(_) => "Fail",
            Verdict::Unknown { .. } => "Unknown",
            Verdict::Unimplemented { .. } => "Unimplemented",
            Verdict::HarnessError { .. } => "HarnessError",
        }
    }
}

/// What went wrong, where: the script line, expected vs observed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The script line (0: setup or the implicit LOGOUT).
    pub line: usize,
    pub command: Option<Box<str>>,
    pub expected: String,
    pub observed: String,
    pub message: String,
    /// The catalog requirement broken, when the checker found it (`R3501-7.4.1-02`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<&'static str>,
    /// Our side could not go on (e.g. a fixture is missing): a harness error, not a failure.
    #[serde(skip)]
    pub ours: bool,
}

impl Failure {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Failure {
            line,
            command: None,
            expected: String::new(),
            observed: String::new(),
            message: message.into(),
            requirement: None,
            ours: false,
        }
    }

    /// A failure on our side, at a script line.
    pub fn ours(line: usize, message: impl Into<String>) -> Self {
        Failure {
            ours: true,
            ..Failure::at(line, message)
        }
    }

    /// The verdict this failure means.
    pub fn verdict(self) -> Verdict {
        if self.ours {
            Verdict::HarnessError {
                reason: self.to_string(),
            }
        } else {
            Verdict::Fail(self)
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "setup/teardown: {}", self.message)?,
            n => write!(f, "line {n}: {}", self.message)?,
        }
        if let Some(c) = &self.command {
            write!(f, " ({c})")?;
        }
        if let Some(r) = &self.requirement {
            write!(f, "\n    requirement: {r}")?;
        }
        if !self.expected.is_empty() {
            write!(f, "\n    expected: {}", self.expected)?;
        }
        if !self.observed.is_empty() {
            write!(f, "\n    observed: {}", self.observed)?;
        }
        Ok(())
    }
}

/// One scenario's result.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: String,
    pub verdict: Verdict,
    pub elapsed: Duration,
    pub history: History,
    /// What the checker found in the history (informational findings included).
    pub findings: Findings,
    /// Problems cleaning up (reported, never a verdict).
    pub warnings: Vec<String>,
    /// `!output` lines.
    pub output: Vec<String>,
}

/// The state of a running scenario, shared by setup, groups and cleanup.
pub struct Run {
    pub rec: Recorder,
    pub vars: Vars,
    pub conns: Vec<ScriptConn>,
    pub mbox: Option<Mbox>,
    /// The test mailbox (`$mailbox`).
    pub mailbox: String,
    pub ignore_extra: bool,
    pub output: Vec<String>,
    /// The script line of each command's first `Sent` event (event index, line), so a
    /// checker finding can point at the line that provoked it.
    pub sent_lines: Vec<(u64, usize)>,
    /// Set once setup has checked that nothing of the test mailbox's name existed: only then
    /// may cleanup delete under that name.
    pub owns_mailbox: bool,
}

/// The test mailbox's name for scenario number `index` of run `run_id`.
pub fn mailbox_name(prefix: &str, run_id: &str, index: usize, scenario: &str) -> String {
    let clean: String = scenario
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    // The fixed-width index keeps names prefix-free: cleanup's LIST "name*" never reaches
    // another scenario's mailboxes.
    format!("{prefix}imapgate-{run_id}-{index:03}-{clean}")
}

/// Run one scenario.
pub async fn run_scenario(scenario: &Scenario, target: &RunTarget, mailbox: String) -> Outcome {
    let started = Instant::now();
    let mut run = Run {
        rec: Recorder::new(),
        vars: Vars::default(),
        conns: Vec::new(),
        mbox: Mbox::load(&scenario.mbox).ok(),
        mailbox,
        ignore_extra: scenario.header.ignore_extra_untagged,
        output: Vec::new(),
        sent_lines: Vec::new(),
        owns_mailbox: false,
    };
    let mut verdict = match setup::start(&mut run, scenario, target).await {
        Ok(()) => setup::script(&mut run, scenario).await,
        Err(v) => v,
    };
    let capabilities = run.vars_capabilities();
    for conn in std::mem::take(&mut run.conns) {
        conn.close(&mut run.rec);
    }
    let mut warnings = Vec::new();
    if run.owns_mailbox {
        let session = scenario.header.connections as u32;
        warnings = setup::cleanup(&mut run, target, session).await;
    }
    let meta = Meta {
        target: target.name.clone(),
        seed: None,
        sessions: scenario.header.connections as u32 + 1,
        capabilities,
        push_bound_ms: None,
    };
    let history = run.rec.into_history(meta);
    let findings = crate::check::check(&history);
    verdict = oracle::grade(verdict, &findings, &history, &run.sent_lines);
    Outcome {
        name: scenario.name.clone(),
        verdict,
        elapsed: started.elapsed(),
        history,
        findings,
        warnings,
        output: run.output,
    }
}

impl Run {
    /// The capabilities the first connection saw after login, as recorded by setup.
    fn vars_capabilities(&self) -> Vec<String> {
        self.vars
            .get(setup::CAPABILITIES_VAR.as_bytes())
            .map(|c| {
                String::from_utf8_lossy(c)
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}
