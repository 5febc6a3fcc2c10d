//! The checker: a pure function from a [`History`] to [`Findings`] (Jepsen/Elle style). It
//! walks the events once, parsing each frame once; before the model takes in each response,
//! every detector (one per invariant family, in `detectors/`) judges it against the model.

pub mod detectors;
pub mod requirements;
pub mod text;
mod verdict;
mod walk;

pub use detectors::{Ctx, Detector, Out};
pub use verdict::{Findings, Level, Requirement, Undecided, Verdict, Violation};

use crate::history::History;

/// Checks a whole history with every detector.
pub fn check(history: &History) -> Findings {
    walk::Walk::new(history, detectors::all()).run(&history.events)
}

/// Checks a history with the given detectors only (for focused tests and tools).
pub fn check_with(history: &History, detectors: Vec<Box<dyn Detector>>) -> Findings {
    walk::Walk::new(history, detectors).run(&history.events)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
