//! SIGINT and SIGTERM: the first asks the run to stop sending (what ran is reported, marked
//! incomplete, and the exit status is 130 or 143); a second one exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use tokio::signal::unix::{SignalKind, signal};

use super::Exit;

/// The signal that stopped the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }

    pub fn exit(self) -> Exit {
        match self {
            Signal::Int => Exit::Interrupted,
            Signal::Term => Exit::Terminated,
        }
    }
}

/// Whether (and by which signal) the run was asked to stop.
#[derive(Clone, Default)]
pub struct Interrupt {
    number: Arc<AtomicI32>,
}

impl Interrupt {
    /// Listen for SIGINT and SIGTERM (call inside a tokio runtime); `on_first` runs once, on
    /// the first signal.
    pub fn listen(on_first: impl Fn(Signal) + Send + 'static) -> Interrupt {
        let interrupt = Interrupt::default();
        let number = Arc::clone(&interrupt.number);
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            eprintln!("imapgate: cannot listen for signals; Ctrl-C ends the run without a report");
            return interrupt;
        };
        tokio::spawn(async move {
            loop {
                let s = tokio::select! {
                    _ = int.recv() => Signal::Int,
                    _ = term.recv() => Signal::Term,
                };
                let n = match s {
                    Signal::Int => 2,
                    Signal::Term => 15,
                };
                if number.swap(n, Ordering::SeqCst) != 0 {
                    eprintln!("imapgate: second signal; exiting without a report");
                    std::process::exit(128 + n);
                }
                eprintln!(
                    "imapgate: {}: stopping; what ran will be reported as incomplete (again to quit now)",
                    s.name()
                );
                on_first(s);
            }
        });
        interrupt
    }

    pub fn signal(&self) -> Option<Signal> {
        match self.number.load(Ordering::SeqCst) {
            2 => Some(Signal::Int),
            15 => Some(Signal::Term),
            _ => None,
        }
    }
}
