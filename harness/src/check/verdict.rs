//! What the checker concludes: graded verdicts, cited violations, and the findings of a run.

use serde::Serialize;

use crate::history::SessionId;

/// The graded outcome of a check (DESIGN decision 5), ordered from best to worst so that a
/// run's verdict is the maximum over its parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Pass,
    /// A legal choice, recorded (a MAY used).
    Informational,
    /// The capability is not advertised: skipped.
    Unimplemented,
    /// A SHOULD broken (`--strict` promotes it).
    NonStrict,
    /// Both outcomes were possible (timeout, disconnect, unparseable frame): not decided.
    Unknown,
    /// Our fault; never counted against the server.
    HarnessError,
    /// A MUST broken.
    Fail,
}

/// The requirement level as the catalog states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Level {
    Must,
    MustNot,
    Required,
    Should,
    ShouldNot,
    May,
    Optional,
    /// Lowercase "must" / "NOT permitted" / descriptive obligations (the `-I` rows).
    Implied,
    /// Lowercase "should".
    ImpliedShould,
}

impl Level {
    /// The verdict a broken requirement of this level earns by default.
    pub fn verdict(self) -> Verdict {
        match self {
            Level::Must | Level::MustNot | Level::Required | Level::Implied => Verdict::Fail,
            Level::Should | Level::ShouldNot | Level::ImpliedShould => Verdict::NonStrict,
            Level::May | Level::Optional => Verdict::Informational,
        }
    }

    /// The spelling used in the requirement catalogs.
    pub fn catalog_spellings(self) -> &'static [&'static str] {
        match self {
            Level::Must => &["MUST"],
            Level::MustNot => &["MUST NOT"],
            Level::Required => &["REQUIRED"],
            Level::Should => &["SHOULD"],
            Level::ShouldNot => &["SHOULD NOT"],
            Level::May => &["MAY"],
            Level::Optional => &["OPTIONAL"],
            Level::Implied => &["implied", "must(lc)", "NOT permitted"],
            Level::ImpliedShould => &["should(lc)"],
        }
    }
}

/// One requirement of `shared/rfc/rfc3501-requirements*.tsv`, by id and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Requirement {
    pub id: &'static str,
    pub level: Level,
}

/// A deviation, cited and provable (DESIGN decision 6; Elle's anomaly with its events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub requirement: Requirement,
    pub verdict: Verdict,
    /// The detector (invariant family) that found it.
    pub detector: &'static str,
    pub session: SessionId,
    /// The event at which the deviation became visible.
    pub event: u64,
    pub expected: String,
    pub observed: String,
    /// Every event needed to see it, in history order (`event` included).
    pub evidence: Vec<u64>,
    /// One sentence: why this is a deviation.
    pub because: String,
}

/// Why part of a history could not be judged: the reason behind an Unknown or a HarnessError.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undecided {
    /// `Unknown` or `HarnessError`.
    pub verdict: Verdict,
    pub session: SessionId,
    pub event: u64,
    pub reason: String,
}

/// What `check` found in one history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Findings {
    pub verdict: Verdict,
    pub violations: Vec<Violation>,
    pub undecided: Vec<Undecided>,
    /// What the detectors measured along the way (never part of the verdict).
    #[serde(skip_serializing_if = "Measures::is_empty")]
    pub measures: Measures,
}

/// Measurements taken while checking.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Measures {
    /// Push latency to idling sessions (RFC 2177), microseconds: from the completion of the
    /// change (another session's APPEND, EXPUNGE, MOVE, COPY) to the first response of its
    /// kind pushed to a session idling on that mailbox (0 when it came even earlier).
    pub push_latency_us: Vec<u64>,
    /// Changes that an idling session had not been told of by the time it sent DONE.
    pub push_missed: u64,
    /// Flag changes (another session's STORE) pushed to idling sessions, microseconds from
    /// the STORE's completion to the first FETCH FLAGS for the message (0 when earlier).
    pub flag_push_latency_us: Vec<u64>,
    /// Flag changes an idling session had not been told of by the time it sent DONE.
    pub flag_push_missed: u64,
    /// SORT answers whose order was judged: two or more of their messages had known keys.
    pub sorts_judged: u64,
    /// THREAD=ORDEREDSUBJECT answers judged likewise, and those among them with a thread of
    /// two or more judged messages (the grouping was put to the test).
    pub threads_judged: u64,
    pub threads_grouped: u64,
    /// THREAD=REFERENCES answers whose grouping was judged likewise (messages without
    /// References or In-Reply-To only).
    pub references_judged: u64,
    pub references_grouped: u64,
    /// THREAD=REFERENCES replies whose parent was in the answer (so their place was judged),
    /// and pairs of siblings whose sent-date order was judged.
    pub replies_placed: u64,
    pub siblings_ordered: u64,
    /// THREAD=REFERENCES top messages (no References) whose place after step 5 was judged.
    pub tops_gathered: u64,
    /// THREAD=REFERENCES answers compared whole with RFC 5256's (every message known).
    pub references_exact: u64,
}

impl Measures {
    pub fn is_empty(&self) -> bool {
        self.push_latency_us.is_empty()
            && self.push_missed == 0
            && self.flag_push_latency_us.is_empty()
            && self.flag_push_missed == 0
            && self.sorts_judged == 0
            && self.threads_judged == 0
            && self.references_judged == 0
    }

    /// The `q`-quantile (0.0–1.0) of the push latencies, in microseconds.
    pub fn push_quantile(&self, q: f64) -> Option<u64> {
        quantile(&self.push_latency_us, q)
    }

    /// The `q`-quantile (0.0–1.0) of the flag push latencies, in microseconds.
    pub fn flag_push_quantile(&self, q: f64) -> Option<u64> {
        quantile(&self.flag_push_latency_us, q)
    }
}

fn quantile(latencies: &[u64], q: f64) -> Option<u64> {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let last = sorted.len().checked_sub(1)?;
    let at = ((last as f64) * q.clamp(0.0, 1.0)).round() as usize;
    sorted.get(at).copied()
}

impl Findings {
    /// Builds the findings, grading the run by its worst part.
    pub fn new(violations: Vec<Violation>, undecided: Vec<Undecided>) -> Self {
        let verdict = violations
            .iter()
            .map(|v| v.verdict)
            .chain(undecided.iter().map(|u| u.verdict))
            .max()
            .unwrap_or(Verdict::Pass);
        Findings {
            verdict,
            violations,
            undecided,
            measures: Measures::default(),
        }
    }

    /// The violations citing `id`.
    pub fn citing<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.violations
            .iter()
            .filter(move |v| v.requirement.id == id)
    }
}
