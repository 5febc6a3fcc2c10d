//! One pass over the events: parse, let the detectors judge, let the model record.

use super::detectors::{Ctx, Detector, Out};
use super::verdict::{Findings, Verdict};
use crate::history::{Event, EventKind, History, Meta, SessionId};
use crate::model::apply::vouches_for_statics;
use crate::model::{ConnState, Digest, Model, Sent};
use crate::wire::response::Response;
use crate::wire::{ParseError, parse_greeting, parse_response, parse_response_utf8};

pub struct Walk {
    model: Model,
    detectors: Vec<Box<dyn Detector>>,
    out: Out,
    /// The time of the event at hand.
    now: u64,
}

impl Walk {
    pub fn new(history: &History, detectors: Vec<Box<dyn Detector>>) -> Self {
        Self::for_meta(&history.meta, detectors)
    }

    pub fn for_meta(meta: &Meta, detectors: Vec<Box<dyn Detector>>) -> Self {
        let mut walk = Self::with_capabilities(&meta.capabilities, detectors);
        walk.model.push_bound_ms = meta.push_bound_ms;
        walk
    }

    pub fn with_capabilities(capabilities: &[String], detectors: Vec<Box<dyn Detector>>) -> Self {
        Walk {
            model: Model::new(capabilities),
            detectors,
            out: Out::default(),
            now: 0,
        }
    }

    pub fn run(mut self, events: &[Event]) -> Findings {
        self.feed(events);
        self.finish()
    }

    /// Takes in the next events of the history, in order.
    pub fn feed(&mut self, events: &[Event]) {
        for event in events {
            self.event(event);
        }
    }

    /// Violations so far that `counts` selects (for live progress).
    pub fn count(&self, counts: impl Fn(&super::Violation) -> bool) -> usize {
        self.out.count(counts)
    }

    /// Violations from the `from`-th on.
    pub fn violations_since(&self, from: usize) -> &[super::Violation] {
        self.out.violations_since(from)
    }

    /// The history ended.
    pub fn finish(mut self) -> Findings {
        for d in &mut self.detectors {
            d.on_end(&self.model, &mut self.out);
        }
        self.out.into_findings()
    }

    fn event(&mut self, e: &Event) {
        let (id, index) = (e.session, e.index);
        self.now = e.at_us;
        match &e.kind {
            EventKind::Connected { .. } => self.model.connect(id),
            EventKind::Sent {
                tag,
                command,
                bytes,
                mutation,
            } => {
                let sent = self.model.sent(
                    id,
                    index,
                    tag.as_deref(),
                    command,
                    &bytes.bytes(),
                    mutation.as_deref(),
                );
                if let Sent::Started(tag) = sent {
                    self.started(id, index, &tag);
                } else if tag.is_none() {
                    // A continuation (literal data, IDLE's DONE): detectors may follow it.
                    self.notify(e);
                }
            }
            EventKind::Received { bytes } => self.received(id, index, &bytes.bytes()),
            // The driver saw the command end where the model could not (its completion was
            // dropped as oversize, or an untagged BAD answered a malformed line): out of
            // flight, and the view no longer followed exactly.
            EventKind::Completed { tag } => {
                if self
                    .model
                    .session(id)
                    .is_some_and(|v| v.in_flight(tag).is_some())
                {
                    self.model.abandon(id, index, tag);
                }
            }
            EventKind::Dropped { reason, .. } => {
                self.model.taint(id, index);
                self.out.undecided(
                    Verdict::Unknown,
                    id,
                    index,
                    format!("frame dropped: {reason}"),
                );
            }
            EventKind::Timeout { tag, .. } | EventKind::Disconnected { tag, .. } => {
                self.lost(e, tag.as_deref());
            }
            EventKind::Closed => {
                self.notify(e);
                self.model.end(id);
            }
            EventKind::HarnessError { what } => {
                self.out
                    .undecided(Verdict::HarnessError, id, index, what.clone());
            }
        }
    }

    fn started(&mut self, id: SessionId, index: u64, tag: &str) {
        let cx = Ctx::new(&self.model, id, index).at(self.now);
        let Some(flight) = cx.view().and_then(|v| v.in_flight(tag)) else {
            return;
        };
        for d in &mut self.detectors {
            d.on_command(&cx, flight, &mut self.out);
        }
    }

    fn received(&mut self, id: SessionId, index: u64, frame: &[u8]) {
        let awaiting_greeting = self
            .model
            .session(id)
            .is_none_or(|s| s.state == ConnState::Greeting);
        if awaiting_greeting && let Ok(greeting) = parse_greeting(frame) {
            self.model.greeting(id, index, &greeting);
            return;
        }
        let parsed = match parse_response(frame) {
            // RFC 9051 section 4.3: after ENABLE IMAP4rev2, quoted strings may hold UTF-8.
            // Tried second so that 7-bit frames, nearly all, are parsed once.
            Err(_) if self.rev2(id) => parse_response_utf8(frame),
            parsed => parsed,
        };
        match parsed {
            Ok(response) => self.response(id, index, &response),
            Err(error) => self.unparsed(id, index, frame, &error),
        }
    }

    fn rev2(&self, id: SessionId) -> bool {
        (self.model.session(id)).is_some_and(|s| s.enabled_since("IMAP4REV2").is_some())
    }

    fn response(&mut self, id: SessionId, index: u64, response: &Response<'_>) {
        let digest = Digest::of(response, &mut self.model.flags);
        let cx = Ctx::new(&self.model, id, index).at(self.now);
        for d in &mut self.detectors {
            d.on_response(&cx, response, &digest, &mut self.out);
        }
        let Some(done) = self.model.receive(id, index, response, &digest) else {
            return;
        };
        let Response::Tagged(tagged) = response else {
            return;
        };
        let cx = Ctx::new(&self.model, id, index).at(self.now);
        for d in &mut self.detectors {
            d.on_completed(&cx, &done, tagged, &mut self.out);
        }
        if vouches_for_statics(tagged) {
            self.model.commit_statics(id, &done);
        }
    }

    /// A frame that does not parse: reported, and whatever it would have told the model is
    /// lost, so the view becomes uncertain. A tagged completion is still recognised by its
    /// tag so the command does not hang in flight.
    fn unparsed(&mut self, id: SessionId, index: u64, frame: &[u8], error: &ParseError) {
        let cx = Ctx::new(&self.model, id, index).at(self.now);
        for d in &mut self.detectors {
            d.on_unparsed(&cx, frame, error, &mut self.out);
        }
        self.model.taint(id, index);
        let tag = frame
            .split(|&b| b == b' ' || b == b'\r')
            .next()
            .map(String::from_utf8_lossy);
        if let Some(tag) = tag
            && let Some(done) = self.model.abandon(id, index, &tag)
        {
            self.out.undecided(
                Verdict::Unknown,
                id,
                index,
                format!("completion of {} did not parse", done.describe()),
            );
        }
    }

    /// A timeout or a disconnect: liveness detectors judge; the commands in flight can no
    /// longer be judged.
    fn lost(&mut self, e: &Event, tag: Option<&str>) {
        self.notify(e);
        let (id, index) = (e.session, e.index);
        let flights: Vec<String> = self
            .model
            .session(id)
            .map(|s| s.in_flight.iter().map(|c| c.describe()).collect())
            .unwrap_or_default();
        for what in flights {
            self.out.undecided(
                Verdict::Unknown,
                id,
                index,
                format!("outcome of {what} unknown: no completion"),
            );
        }
        match &e.kind {
            EventKind::Timeout { .. } => {
                let tags: Vec<String> = self
                    .model
                    .session(id)
                    .map(|s| s.in_flight.iter().map(|c| c.tag.clone()).collect())
                    .unwrap_or_default();
                for t in tags.iter().map(String::as_str).chain(tag) {
                    self.model.abandon(id, index, t);
                }
                self.model.taint(id, index);
            }
            _ => self.model.end(id),
        }
    }

    fn notify(&mut self, e: &Event) {
        let cx = Ctx::new(&self.model, e.session, e.index).at(self.now);
        for d in &mut self.detectors {
            d.on_event(&cx, &e.kind, &mut self.out);
        }
    }
}
