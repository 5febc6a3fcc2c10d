//! The report's files as types: [`Index`] (`index.json`) and [`Case`] (`cases/<id>.json`).
//! Everything here is plain owned data that serializes and deserializes losslessly, so a
//! stored run can be read back by `imapgate matrix` and `imapgate baseline update`.

use serde::{Deserialize, Serialize};

/// Bumped when a field changes meaning or disappears (adding a field does not bump it).
pub const FORMAT: u32 = 1;

/// A case's graded verdict (DESIGN decision 5), ordered from best to worst. `Excepted` is a
/// failure accepted for this target by `scenarios/exceptions.toml`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Pass,
    Informational,
    Unimplemented,
    Excepted,
    NonStrict,
    Unknown,
    HarnessError,
    Fail,
}

impl Verdict {
    pub const ALL: [Verdict; 8] = [
        Verdict::Pass,
        Verdict::Informational,
        Verdict::Unimplemented,
        Verdict::Excepted,
        Verdict::NonStrict,
        Verdict::Unknown,
        Verdict::HarnessError,
        Verdict::Fail,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "Pass",
            Verdict::Informational => "Informational",
            Verdict::Unimplemented => "Unimplemented",
            Verdict::Excepted => "Excepted",
            Verdict::NonStrict => "NonStrict",
            Verdict::Unknown => "Unknown",
            Verdict::HarnessError => "HarnessError",
            Verdict::Fail => "Fail",
        }
    }

    /// How much the verdict counts against the server: a MUST broken 2, a SHOULD broken 1,
    /// anything else (passes, legal choices, skips, accepted exceptions, undecided, our own
    /// errors) 0. Baselines compare this, so only a real step down is a regression.
    pub fn weight(self) -> u8 {
        match self {
            Verdict::Fail => 2,
            Verdict::NonStrict => 1,
            _ => 0,
        }
    }
}

impl From<crate::check::Verdict> for Verdict {
    fn from(v: crate::check::Verdict) -> Self {
        use crate::check::Verdict as C;
        match v {
            C::Pass => Verdict::Pass,
            C::Informational => Verdict::Informational,
            C::Unimplemented => Verdict::Unimplemented,
            C::NonStrict => Verdict::NonStrict,
            C::Unknown => Verdict::Unknown,
            C::HarnessError => Verdict::HarnessError,
            C::Fail => Verdict::Fail,
        }
    }
}

/// What produced the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// `imapgate run`: one case per scenario.
    Run,
    /// `imapgate stress`: one case for the run, one per requirement it broke.
    Stress,
}

/// What the server said about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub greeting: Option<String>,
    /// After login, as the first session saw them.
    pub capabilities: Vec<String>,
}

/// This run's part of a sharded suite (`--shard 2/4`: index 2 of count 4, from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// How many cases got each verdict.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub cases: usize,
    pub pass: usize,
    pub informational: usize,
    pub unimplemented: usize,
    pub excepted: usize,
    pub non_strict: usize,
    pub unknown: usize,
    pub harness_error: usize,
    pub fail: usize,
}

impl Totals {
    pub fn of<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Self {
        let mut t = Totals::default();
        for v in verdicts {
            t.add(*v);
        }
        t
    }

    pub fn add(&mut self, v: Verdict) {
        self.cases += 1;
        *self.slot(v) += 1;
    }

    pub fn get(&self, v: Verdict) -> usize {
        match v {
            Verdict::Pass => self.pass,
            Verdict::Informational => self.informational,
            Verdict::Unimplemented => self.unimplemented,
            Verdict::Excepted => self.excepted,
            Verdict::NonStrict => self.non_strict,
            Verdict::Unknown => self.unknown,
            Verdict::HarnessError => self.harness_error,
            Verdict::Fail => self.fail,
        }
    }

    fn slot(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Pass => &mut self.pass,
            Verdict::Informational => &mut self.informational,
            Verdict::Unimplemented => &mut self.unimplemented,
            Verdict::Excepted => &mut self.excepted,
            Verdict::NonStrict => &mut self.non_strict,
            Verdict::Unknown => &mut self.unknown,
            Verdict::HarnessError => &mut self.harness_error,
            Verdict::Fail => &mut self.fail,
        }
    }

    /// `3 pass, 1 fail` — the non-zero counts, worst last.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = Verdict::ALL
            .iter()
            .filter(|v| self.get(**v) > 0)
            .map(|v| format!("{} {}", self.get(*v), v.label()))
            .collect();
        if parts.is_empty() {
            "no cases".into()
        } else {
            parts.join(", ")
        }
    }
}

/// `index.json`: the run and one entry per case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub format: u32,
    pub kind: RunKind,
    pub target: String,
    pub server: Server,
    pub imapgate_version: String,
    pub seed: Option<u64>,
    /// RFC 3339, UTC.
    pub started: String,
    pub ended: String,
    /// The run stopped early (a signal): cases in `not_run` never ran.
    pub incomplete: bool,
    /// `SIGINT` or `SIGTERM` when a signal stopped the run.
    pub interrupted_by: Option<String>,
    pub shard: Option<Shard>,
    /// The scenario files or folders run (empty for stress).
    pub sources: Vec<String>,
    pub totals: Totals,
    pub cases: Vec<CaseEntry>,
    /// Cases that were planned but never ran (interrupted).
    pub not_run: Vec<String>,
}

/// One case in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntry {
    pub id: String,
    pub verdict: Verdict,
    /// Requirement ids the case cites (empty: uncited, e.g. an imaptest script).
    pub requirements: Vec<String>,
    /// `cases/<id>.json`, relative to the report folder.
    pub file: String,
    pub elapsed_ms: u64,
    /// One line: why it is not a pass.
    pub summary: Option<String>,
}

/// A requirement as the catalog states it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementRef {
    pub id: String,
    /// The RFC section (`7.4.1`), from the id, and its heading in the RFC.
    pub section: String,
    pub section_title: Option<String>,
    pub level: Option<String>,
    pub topic: Option<String>,
    pub summary: Option<String>,
}

/// `cases/<id>.json`: everything about one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub description: Option<String>,
    /// The scenario file (the reproducer), when there is one.
    pub source: Option<String>,
    /// A command line that runs this case again.
    pub reproduce: String,
    pub rfc: Vec<String>,
    pub requirements: Vec<RequirementRef>,
    pub verdict: Verdict,
    /// Why a failure is accepted for this target (`Excepted`).
    pub exception: Option<String>,
    /// The script line that failed (0: setup or teardown).
    pub line: Option<usize>,
    pub message: Option<String>,
    pub expected: Option<String>,
    pub observed: Option<String>,
    pub violations: Vec<Violation>,
    pub warnings: Vec<String>,
    pub output: Vec<String>,
    pub elapsed_ms: u64,
    pub transcript: Vec<TranscriptLine>,
    /// Transcript lines left out (the transcript keeps the first ones).
    pub transcript_omitted: usize,
}

/// A checker finding, cited (DESIGN decision 6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub requirement: String,
    pub level: String,
    pub verdict: Verdict,
    pub detector: String,
    pub session: u32,
    pub event: u64,
    pub expected: String,
    pub observed: String,
    pub because: String,
    pub evidence: Vec<u64>,
}

/// One line of a transcript: `C` sent, `S` received, `*` anything else (connect, timeout…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub event: u64,
    pub session: u32,
    pub ms: u64,
    pub dir: String,
    pub text: String,
}
