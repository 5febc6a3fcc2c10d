//! The detectors, one file per invariant family. Each is pure: it sees the model (read
//! only) and the event at hand, and pushes violations to [`Out`].

mod answered;
mod condstore_aware;
mod exists;
mod expunge_timing;
mod extensions;
mod held;
mod id;
mod keywords;
mod literal_minus;
mod liveness;
mod modseq;
mod notifications;
mod push;
mod push_flags;
mod qresync;
mod recent;
mod rejections;
mod rev2;
mod search_results;
mod seqmap;
mod solicited;
mod sort_agreement;
mod sort_order;
mod stalls;
mod static_data;
mod store_flags;
mod syntax;
mod tags;
mod thread_order;
mod thread_refs;
mod thread_tree;
mod uid_next;
mod uid_validity;
mod uidplus;
mod unchanged_since;

use super::verdict::{Findings, Measures, Requirement, Undecided, Verdict, Violation};
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, Model, Selection, SessionView};
use crate::wire::ParseError;
use crate::wire::response::{Response, StatusKind, Tagged};

/// Every detector, in the order they run.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(syntax::Syntax),
        Box::new(extensions::Extensions),
        Box::new(tags::Tags),
        Box::new(solicited::Solicited),
        Box::new(rejections::Rejections),
        Box::new(liveness::Liveness::default()),
        Box::new(exists::Exists),
        Box::new(expunge_timing::ExpungeTiming::default()),
        Box::new(seqmap::SeqMap),
        Box::new(static_data::StaticData),
        Box::new(uid_validity::UidValidity),
        Box::new(uid_next::UidNext),
        Box::new(recent::Recent),
        Box::new(keywords::Keywords),
        Box::new(store_flags::StoreFlags::default()),
        Box::new(notifications::Notifications::default()),
        Box::new(push::Push::default()),
        Box::new(push_flags::PushFlags::default()),
        Box::new(uidplus::UidPlus::default()),
        Box::new(modseq::ModSeq::default()),
        Box::new(condstore_aware::CondstoreAware::default()),
        Box::new(qresync::Qresync),
        Box::new(unchanged_since::UnchangedSince::default()),
        Box::new(search_results::SearchResults::default()),
        Box::new(sort_order::SortOrder::default()),
        Box::new(thread_order::ThreadOrder::default()),
        Box::new(id::Id::default()),
        Box::new(sort_agreement::SortAgreement::default()),
        Box::new(rev2::Rev2::default()),
        Box::new(literal_minus::LiteralMinus::default()),
    ]
}

/// Whether `event` ends the session's connection (closed, dropped, or given up after a
/// timeout): what a connection enabled or held ends with it; the session id may log in again.
pub(super) fn ends_connection(event: &EventKind) -> bool {
    matches!(
        event,
        EventKind::Closed | EventKind::Disconnected { .. } | EventKind::Timeout { .. }
    )
}

/// One invariant family. Every hook defaults to "nothing to say".
pub trait Detector {
    /// A whole command entered flight (already parsed, when it parses).
    fn on_command(&mut self, _cx: &Ctx<'_>, _command: &InFlight, _out: &mut Out) {}

    /// A parsed response, judged before the model takes it in.
    fn on_response(&mut self, _cx: &Ctx<'_>, _r: &Response<'_>, _d: &Digest, _out: &mut Out) {}

    /// A command completed; the model has applied its completion.
    fn on_completed(&mut self, _cx: &Ctx<'_>, _done: &InFlight, _t: &Tagged<'_>, _out: &mut Out) {}

    /// A frame that did not parse.
    fn on_unparsed(&mut self, _cx: &Ctx<'_>, _frame: &[u8], _e: &ParseError, _out: &mut Out) {}

    /// Timeout, disconnect or close, before the model forgets the session's commands.
    fn on_event(&mut self, _cx: &Ctx<'_>, _event: &EventKind, _out: &mut Out) {}

    /// The history ended.
    fn on_end(&mut self, _model: &Model, _out: &mut Out) {}
}

/// Where a detector stands: the model, the session and the event at hand.
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub session: SessionId,
    pub index: u64,
    /// When the event happened (microseconds into the run): for latencies, never for
    /// ordering (that is `index`).
    pub at_us: u64,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model, session: SessionId, index: u64) -> Self {
        Ctx {
            model,
            session,
            index,
            at_us: 0,
        }
    }

    pub fn at(mut self, at_us: u64) -> Self {
        self.at_us = at_us;
        self
    }

    pub fn view(&self) -> Option<&'m SessionView> {
        self.model.session(self.session)
    }

    pub fn selection(&self) -> Option<&'m Selection> {
        self.view()?.selection.as_ref()
    }

    /// The selection a SELECT or EXAMINE just opened (`done` completed OK with `t`): at that
    /// point its FLAGS, PERMANENTFLAGS, UIDVALIDITY and UIDNEXT are final, whatever order
    /// they came in.
    pub fn opened_by(&self, done: &InFlight, t: &Tagged<'_>) -> Option<&'m Selection> {
        self.selection()
            .filter(|_| done.is_select() && t.status.kind == StatusKind::Ok)
    }

    /// A violation found here, graded by the requirement's level.
    pub fn violation(&self, detector: &'static str, requirement: Requirement) -> Violation {
        Violation {
            requirement,
            verdict: requirement.level.verdict(),
            detector,
            session: self.session,
            event: self.index,
            expected: String::new(),
            observed: String::new(),
            evidence: vec![self.index],
            because: String::new(),
        }
    }

    /// Whether this session's view is uncertain (something was not followed since the
    /// event returned): checks that rest on the view cannot fail, only be Unknown.
    pub fn tainted(&self) -> bool {
        self.view().is_some_and(|v| v.tainted.is_some())
    }
}

impl Violation {
    pub fn expected(mut self, text: impl Into<String>) -> Self {
        self.expected = text.into();
        self
    }

    pub fn observed(mut self, text: impl Into<String>) -> Self {
        self.observed = text.into();
        self
    }

    pub fn because(mut self, text: impl Into<String>) -> Self {
        self.because = text.into();
        self
    }

    /// Adds earlier events that prove it (kept sorted and unique).
    pub fn evidence(mut self, events: impl IntoIterator<Item = u64>) -> Self {
        self.evidence.extend(events);
        self.evidence.sort_unstable();
        self.evidence.dedup();
        self
    }

    pub fn graded(mut self, verdict: Verdict) -> Self {
        self.verdict = verdict;
        self
    }

    /// Downgrades to Unknown when the finding rests on a view the model lost track of.
    pub fn on_view(mut self, cx: &Ctx<'_>) -> Self {
        if cx.tainted() && self.verdict > Verdict::Unknown {
            self.verdict = Verdict::Unknown;
        }
        self
    }
}

/// What the detectors report.
#[derive(Debug, Default)]
pub struct Out {
    violations: Vec<Violation>,
    undecided: Vec<Undecided>,
    measures: Measures,
}

impl Out {
    pub fn push(&mut self, v: Violation) {
        self.violations.push(v);
    }

    pub fn undecided(&mut self, verdict: Verdict, session: SessionId, event: u64, reason: String) {
        self.undecided.push(Undecided {
            verdict,
            session,
            event,
            reason,
        });
    }

    pub fn count(&self, counts: impl Fn(&Violation) -> bool) -> usize {
        self.violations.iter().filter(|v| counts(v)).count()
    }

    /// Violations from the `from`-th on (in the order found).
    pub fn violations_since(&self, from: usize) -> &[Violation] {
        self.violations.get(from..).unwrap_or_default()
    }

    /// Where detectors put what they measure (not judged).
    pub fn measures(&mut self) -> &mut Measures {
        &mut self.measures
    }

    pub fn into_findings(self) -> Findings {
        let mut findings = Findings::new(self.violations, self.undecided);
        findings.measures = self.measures;
        findings
    }
}
