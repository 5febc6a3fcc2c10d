//! The checker following a stress run: one pass over the history on its own thread, fed
//! the recorder's sealed chunks once a second (shared, not copied), so the progress line
//! shows findings as they happen and the final check only takes in the last events.
//! Checking thus costs one walk over the history, never a snapshot copy or a second walk.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::check::{Checker, Findings, Verdict, check};
use crate::history::{Event, History, Meta};
use crate::report::progress::Progress as Bar;
use crate::run::recorder::Recorder;
use crate::run::stress::Progress;

enum Feed {
    Events(Arc<Vec<Event>>),
}

pub struct LiveCheck {
    strict: bool,
    tx: Mutex<Option<Sender<Feed>>>,
    thread: Mutex<Option<JoinHandle<Findings>>>,
    /// Findings counted against the server so far.
    found: Arc<AtomicUsize>,
    state: Mutex<Fed>,
    /// A progress bar on a terminal; plain lines once a second otherwise (CI logs).
    bar: Mutex<Bar>,
}

#[derive(Default)]
struct Fed {
    chunks: usize,
    events: usize,
    last_completed: u64,
}

impl LiveCheck {
    /// Starts the checker thread (the capabilities are the run's, as in its history meta).
    pub fn start(meta: Meta, strict: bool, duration: std::time::Duration) -> Self {
        let (tx, rx) = channel::<Feed>();
        let found = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&found);
        let thread = std::thread::spawn(move || {
            let mut checker = Checker::for_meta(&meta);
            for Feed::Events(events) in rx {
                checker.feed(&events);
                counter.store(
                    checker.count(|v| counted(v.verdict, strict)),
                    Ordering::Relaxed,
                );
            }
            checker.finish()
        });
        LiveCheck {
            strict,
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            found,
            state: Mutex::new(Fed::default()),
            bar: Mutex::new(Bar::new(duration.as_secs(), "s")),
        }
    }

    /// Once a second: the progress line, and the chunks sealed since the last tick.
    pub fn tick(&self, p: Progress, rec: &Arc<Recorder>) {
        let mut fed = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let rate = p.completed.saturating_sub(fed.last_completed);
        fed.last_completed = p.completed;
        let secs = p.elapsed.as_secs();
        let line = format!(
            "{rate:>6} cmd/s  {:>4} sessions up  {} commands  findings {}",
            p.sessions_up,
            p.completed,
            self.found.load(Ordering::Relaxed)
        );
        let mut bar = self.bar.lock().unwrap_or_else(PoisonError::into_inner);
        if bar.is_bar() {
            bar.set(secs, &line);
        } else {
            eprintln!("[{secs:>4}s] {line}");
        }
        drop(bar);
        let chunks = rec.sealed_since(fed.chunks);
        fed.chunks += chunks.len();
        for chunk in chunks {
            fed.events += chunk.len();
            self.send(chunk);
        }
    }

    /// The findings on the whole history: the events not fed yet, then the end. Falls back
    /// to a fresh check if the thread is gone (it panicked).
    pub fn finish(&self, history: &History) -> Findings {
        self.bar
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .finish();
        let fed = self
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .events;
        if let Some(rest) = history.events.get(fed..) {
            self.send(Arc::new(rest.to_vec()));
        }
        self.tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match thread.map(JoinHandle::join) {
            Some(Ok(findings)) => findings,
            _ => check(history),
        }
    }

    pub fn strict(&self) -> bool {
        self.strict
    }

    fn send(&self, events: Arc<Vec<Event>>) {
        if let Some(tx) = self
            .tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            let _ = tx.send(Feed::Events(events));
        }
    }
}

fn counted(verdict: Verdict, strict: bool) -> bool {
    verdict == Verdict::Fail || (strict && verdict == Verdict::NonStrict)
}
