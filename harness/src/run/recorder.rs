//! The recorder: one per run, shared by every session. It gives each event its place in the
//! global order (`index`) and its time (`at_us`) at the moment it is recorded, under one lock,
//! so the order of the history is an order the sessions really observed: a session records
//! `Sent` before writing and `Received` after reading, hence a response always follows the
//! command that caused it, across sessions too.
//!
//! Secrets are redacted here, before an event is stored: a password never reaches a history.
//! Memory is bounded: past a soft budget the runner is told to stop issuing commands; past a
//! hard budget events are counted and dropped, and the history says so.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use memchr::memmem::Finder;

use super::transcript::redact;
use crate::history::{Event, EventKind, History, Meta, SessionId, WireBytes};

/// Events are stored in sealed chunks so that a snapshot (for live checking) copies pointers,
/// not events, while the lock is held.
const CHUNK: usize = 4096;

/// Bounds on what one run may record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordLimits {
    /// Past this many bytes (event overhead included) the run should wind down.
    pub soft_bytes: u64,
    /// Past this many bytes events are dropped (counted, reported as a harness error).
    pub hard_bytes: u64,
}

impl Default for RecordLimits {
    fn default() -> Self {
        RecordLimits {
            soft_bytes: 768 << 20,
            hard_bytes: 1024 << 20,
        }
    }
}

/// Rough in-memory cost of an event beyond its wire bytes (struct, strings, allocator).
const EVENT_OVERHEAD: u64 = 128;

/// Live counters, readable without the lock (for progress lines).
#[derive(Debug, Default)]
pub struct Counters {
    /// Commands whose first fragment was sent.
    pub sent: AtomicU64,
    /// Tagged completions received.
    pub completed: AtomicU64,
    /// Sessions logged in and not yet ended.
    pub sessions_up: AtomicU64,
    /// Timeout and Disconnected events.
    pub lost: AtomicU64,
}

#[derive(Debug)]
pub struct Recorder {
    start: Instant,
    limits: RecordLimits,
    inner: Mutex<Inner>,
    pub counters: Counters,
    /// Woken by every event recorded: a checker that follows the run judges while the
    /// sessions wait for the server.
    recorded: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct Inner {
    sealed: Vec<Arc<Vec<Event>>>,
    open: Vec<Event>,
    next_index: u64,
    bytes: u64,
    dropped: u64,
    /// Longest first; a finder each, built once (not per event).
    secrets: Vec<Finder<'static>>,
}

impl Recorder {
    pub fn new(limits: RecordLimits) -> Arc<Self> {
        Arc::new(Recorder {
            start: Instant::now(),
            limits,
            inner: Mutex::new(Inner::default()),
            counters: Counters::default(),
            recorded: tokio::sync::Notify::new(),
        })
    }

    /// Redact `secret` in every event recorded from now on, in both directions.
    pub fn add_secret(&self, secret: &[u8]) {
        let mut inner = self.lock();
        if !secret.is_empty() && !inner.secrets.iter().any(|s| s.needle() == secret) {
            inner.secrets.push(Finder::new(secret).into_owned());
            inner
                .secrets
                .sort_by_key(|s| std::cmp::Reverse(s.needle().len()));
        }
    }

    /// Record one event; returns its index, or `None` when the hard budget dropped it.
    pub fn record(&self, session: SessionId, kind: EventKind) -> Option<u64> {
        self.count(&kind);
        let mut inner = self.lock();
        let kind = redact_kind(kind, &inner.secrets);
        let cost = EVENT_OVERHEAD + payload_len(&kind);
        if inner.bytes + cost > self.limits.hard_bytes {
            inner.dropped += 1;
            return None;
        }
        inner.bytes += cost;
        let index = inner.next_index;
        inner.next_index += 1;
        // Taken under the lock, so `at_us` never decreases along `index`.
        let at_us = u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX);
        inner.open.push(Event {
            index,
            session,
            at_us,
            kind,
        });
        if inner.open.len() >= CHUNK {
            let full = std::mem::replace(&mut inner.open, Vec::with_capacity(CHUNK));
            inner.sealed.push(Arc::new(full));
        }
        drop(inner);
        self.recorded.notify_one();
        Some(index)
    }

    /// Resolves once an event has been recorded since the last call resolved (at once if
    /// one was).
    pub async fn recorded(&self) {
        self.recorded.notified().await;
    }

    /// Whether the run should stop issuing commands (the soft memory budget is spent).
    pub fn over_budget(&self) -> bool {
        self.lock().bytes > self.limits.soft_bytes
    }

    /// Events recorded so far.
    pub fn len(&self) -> u64 {
        self.lock().next_index
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Microseconds since the recorder was created.
    pub fn elapsed_us(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// A copy of the history so far. The lock is held only to clone chunk pointers and the
    /// open chunk (at most [`CHUNK`] events); the flattening happens outside it.
    pub fn snapshot(&self, meta: Meta) -> History {
        let (sealed, open) = {
            let inner = self.lock();
            (inner.sealed.clone(), inner.open.clone())
        };
        let mut events = Vec::with_capacity(sealed.len() * CHUNK + open.len());
        for chunk in &sealed {
            events.extend(chunk.iter().cloned());
        }
        events.extend(open);
        History { meta, events }
    }

    /// Sealed chunks from the `from`-th on (cheap: shared, not copied), for a checker that
    /// follows the run.
    pub fn sealed_since(&self, from: usize) -> Vec<Arc<Vec<Event>>> {
        let inner = self.lock();
        inner
            .sealed
            .get(from..)
            .map(<[_]>::to_vec)
            .unwrap_or_default()
    }

    /// Every event recorded since the last drain, in order; the recorder's memory budget is
    /// freed (indexes go on). For a checker that follows an endless run (live fuzzing).
    pub fn drain(&self) -> Vec<Event> {
        let mut inner = self.lock();
        let sealed = std::mem::take(&mut inner.sealed);
        let mut events = Vec::with_capacity(sealed.len() * CHUNK + inner.open.len());
        for chunk in sealed {
            match Arc::try_unwrap(chunk) {
                Ok(mut owned) => events.append(&mut owned),
                Err(shared) => events.extend(shared.iter().cloned()),
            }
        }
        events.append(&mut inner.open);
        inner.bytes = 0;
        events
    }

    /// The whole history; the recorder is empty afterwards. Chunks nobody else holds any more
    /// are moved, not copied. Events dropped over the hard budget are reported as one final
    /// harness error, so the checker never mistakes a gap for server behaviour.
    pub fn finish(&self, meta: Meta) -> History {
        let (sealed, open, dropped) = {
            let mut inner = self.lock();
            let sealed = std::mem::take(&mut inner.sealed);
            (sealed, std::mem::take(&mut inner.open), inner.dropped)
        };
        let mut events = Vec::with_capacity(sealed.len() * CHUNK + open.len());
        for chunk in sealed {
            match Arc::try_unwrap(chunk) {
                Ok(mut owned) => events.append(&mut owned),
                Err(shared) => events.extend(shared.iter().cloned()),
            }
        }
        events.extend(open);
        let mut history = History { meta, events };
        if dropped > 0 {
            let index = history.events.last().map_or(0, |e| e.index + 1);
            history.events.push(Event {
                index,
                session: 0,
                at_us: self.elapsed_us(),
                kind: EventKind::HarnessError {
                    what: format!("{dropped} events dropped: the run's memory budget was spent"),
                },
            });
        }
        history
    }

    fn count(&self, kind: &EventKind) {
        let c = &self.counters;
        match kind {
            EventKind::Sent { tag: Some(_), .. } => c.sent.fetch_add(1, Ordering::Relaxed),
            EventKind::Completed { .. } => c.completed.fetch_add(1, Ordering::Relaxed),
            EventKind::Timeout { .. } | EventKind::Disconnected { .. } => {
                c.lost.fetch_add(1, Ordering::Relaxed)
            }
            _ => 0,
        };
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep recording.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn payload_len(kind: &EventKind) -> u64 {
    let n = match kind {
        EventKind::Sent { bytes, command, .. } => bytes.stored_len() + command.len(),
        EventKind::Received { bytes } => bytes.stored_len(),
        EventKind::Dropped { sample, reason } => sample.stored_len() + reason.len(),
        _ => 0,
    };
    n as u64
}

/// The event with every secret replaced in its wire bytes and free texts.
fn redact_kind(kind: EventKind, secrets: &[Finder<'static>]) -> EventKind {
    if secrets.is_empty() {
        return kind;
    }
    // Rebuilt only when a secret is in them: compacting a megabyte again costs a pass.
    let bytes = |b: WireBytes| {
        let holds_secret = secrets.iter().any(|s| s.find(&b.bytes()).is_some());
        if holds_secret {
            WireBytes::new(redact_all(b.into_vec(), secrets))
        } else {
            b
        }
    };
    let text = |t: String| match String::from_utf8(redact_all(t.into_bytes(), secrets)) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    match kind {
        EventKind::Sent {
            tag,
            command,
            bytes: b,
            mutation,
        } => EventKind::Sent {
            tag,
            command,
            bytes: bytes(b),
            mutation,
        },
        EventKind::Received { bytes: b } => EventKind::Received { bytes: bytes(b) },
        EventKind::Dropped { reason, sample } => EventKind::Dropped {
            reason: text(reason),
            sample: bytes(sample),
        },
        EventKind::Disconnected { tag, reason } => EventKind::Disconnected {
            tag,
            reason: text(reason),
        },
        EventKind::HarnessError { what } => EventKind::HarnessError { what: text(what) },
        other => other,
    }
}

/// `bytes` with every secret redacted; no copy when none occurs (the common case).
fn redact_all(bytes: Vec<u8>, secrets: &[Finder<'static>]) -> Vec<u8> {
    secrets.iter().fold(bytes, |b, s| {
        if s.find(&b).is_some() {
            redact(&b, s.needle())
        } else {
            b
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn received(b: &[u8]) -> EventKind {
        EventKind::Received {
            bytes: WireBytes::new(b.to_vec()),
        }
    }

    #[test]
    fn indexes_are_dense_and_times_monotonic() {
        let rec = Recorder::new(RecordLimits::default());
        for i in 0..(CHUNK as u32 * 2 + 5) {
            rec.record(i % 3, received(b"* OK\r\n"));
        }
        let h = rec.finish(Meta::default());
        assert_eq!(h.events.len(), CHUNK * 2 + 5);
        for (i, pair) in h.events.windows(2).enumerate() {
            assert_eq!(pair[0].index, i as u64);
            assert!(pair[0].at_us <= pair[1].at_us);
        }
    }

    #[test]
    fn secrets_are_redacted_before_storage() {
        let rec = Recorder::new(RecordLimits::default());
        rec.add_secret(b"hunter2");
        rec.record(0, received(b"a1 NO hunter2 is wrong\r\n"));
        let h = rec.finish(Meta::default());
        assert_eq!(h.events[0].kind, received(b"a1 NO <redacted> is wrong\r\n"));
    }

    #[test]
    fn hard_budget_drops_and_says_so() {
        let rec = Recorder::new(RecordLimits {
            soft_bytes: 100,
            hard_bytes: 2 * (EVENT_OVERHEAD + 6),
        });
        for _ in 0..5 {
            rec.record(0, received(b"* OK\r\n"));
        }
        assert!(rec.over_budget());
        let h = rec.finish(Meta::default());
        assert_eq!(h.events.len(), 3);
        assert!(matches!(
            &h.events[2].kind,
            EventKind::HarnessError { what } if what.starts_with("3 events dropped")
        ));
    }
}
