//! Stalls: spans in which the server left a valid command unanswered for the whole response
//! timeout. A push is an answer like any other; while the server answers nobody, it is late
//! for the same reason, so the push detectors do not judge latency across a stall.
//!
//! Courier under a fuzz run's load: an idler heard nothing for 5.7 s while a NOOP, an
//! EXPUNGE, a STATUS and three SELECTs of the same mailbox in six other sessions all went
//! unanswered for 3 s. Only valid commands count: a mutated one (a `{4294967295}` claim whose
//! octets never come) may rightly wait forever, and says nothing of the server.

use std::collections::VecDeque;

use super::Ctx;
use crate::history::EventKind;

/// Spans kept: a run's idle periods last seconds; older stalls cannot overlap them.
const KEPT: usize = 256;

#[derive(Default)]
pub(super) struct Stalls {
    /// (from, to) in microseconds into the run.
    spans: VecDeque<(u64, u64)>,
}

impl Stalls {
    /// Note `event` if it is a timeout of a valid command.
    pub(super) fn note(&mut self, cx: &Ctx<'_>, event: &EventKind) {
        let EventKind::Timeout {
            tag: Some(tag),
            after_ms,
            ..
        } = event
        else {
            return;
        };
        let valid = (cx.view().and_then(|v| v.in_flight(tag)))
            .is_some_and(|c| c.mutation.is_none() && c.command.is_some());
        if valid {
            let from = cx.at_us.saturating_sub(after_ms.saturating_mul(1000));
            self.spans.push_back((from, cx.at_us));
            if self.spans.len() > KEPT {
                self.spans.pop_front();
            }
        }
    }

    /// Whether a stall overlapped the span `from_us..=to_us`.
    pub(super) fn overlap(&self, from_us: u64, to_us: u64) -> bool {
        (self.spans.iter()).any(|&(from, to)| to >= from_us && from <= to_us)
    }
}
