//! Progress while a run goes on: an indicatif bar when stdout is a terminal, plain
//! periodic lines (at most one every [`PLAIN_EVERY`]) when it is not, e.g. in CI logs.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

pub const PLAIN_EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    done: u64,
    last_plain: Instant,
    what: &'static str,
}

impl Progress {
    /// Progress over `total` units of `what` (`scenarios`, `s`).
    pub fn new(total: u64, what: &'static str) -> Progress {
        let bar = std::io::stdout().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40.cyan/blue}] {pos}/{len} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style.progress_chars("=> "));
            bar
        });
        Progress {
            bar,
            total,
            done: 0,
            last_plain: Instant::now(),
            what,
        }
    }

    /// Print a line above the bar (or just print it).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    /// Move to `done` units, with a short status message.
    pub fn set(&mut self, done: u64, message: &str) {
        self.done = done;
        match &self.bar {
            Some(bar) => {
                bar.set_position(done);
                bar.set_message(message.to_owned());
            }
            None if self.last_plain.elapsed() >= PLAIN_EVERY || done == self.total => {
                self.last_plain = Instant::now();
                eprintln!("progress: {done}/{} {} {message}", self.total, self.what);
            }
            None => {}
        }
    }

    pub fn inc(&mut self, message: &str) {
        self.set(self.done + 1, message);
    }

    /// Whether a bar is drawn (then per-tick lines should go into its message instead).
    pub fn is_bar(&self) -> bool {
        self.bar.is_some()
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
