//! The checker: a pure function from a [`History`] to [`Findings`] (Jepsen/Elle style). It
//! walks the events once, parsing each frame once; before the model takes in each response,
//! every detector (one per invariant family, in `detectors/`) judges it against the model.

pub mod detectors;
pub mod requirements;
pub mod text;
mod verdict;
mod walk;

pub use detectors::{Ctx, Detector, Out};
pub use verdict::{Findings, Level, Measures, Requirement, Undecided, Verdict, Violation};

use crate::history::History;

/// Checks a whole history with every detector.
pub fn check(history: &History) -> Findings {
    walk::Walk::new(history, detectors::all()).run(&history.events)
}

/// The checker fed a history piece by piece (a run in progress), with every detector: the
/// same pass as [`check`], so feeding all events and finishing gives the same findings.
pub struct Checker(walk::Walk);

impl Checker {
    pub fn new(capabilities: &[String]) -> Self {
        Checker(walk::Walk::with_capabilities(
            capabilities,
            detectors::all(),
        ))
    }

    /// A checker for a run described by `meta` (capabilities, push bound).
    pub fn for_meta(meta: &crate::history::Meta) -> Self {
        Checker(walk::Walk::for_meta(meta, detectors::all()))
    }

    /// The next events, in history order.
    pub fn feed(&mut self, events: &[crate::history::Event]) {
        self.0.feed(events);
    }

    /// Violations so far that `counts` selects.
    pub fn count(&self, counts: impl Fn(&Violation) -> bool) -> usize {
        self.0.count(counts)
    }

    /// Violations found from the `from`-th on (a live oracle reads only the new ones).
    pub fn violations_since(&self, from: usize) -> &[Violation] {
        self.0.violations_since(from)
    }

    pub fn finish(self) -> Findings {
        self.0.finish()
    }
}

/// Checks a history with the given detectors only (for focused tests and tools).
pub fn check_with(history: &History, detectors: Vec<Box<dyn Detector>>) -> Findings {
    walk::Walk::new(history, detectors).run(&history.events)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
