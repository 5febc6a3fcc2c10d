//! The server's own word on a crash: lines its logs gained during a run that say it panicked
//! or died. A server that recovers per connection (go-imap's `panic serving …`, a Dovecot
//! `imap` process aborting while its master lives on) shows the client only a dropped
//! connection or a BYE; the process check of the monitor sees nothing. Recipe targets keep
//! their logs as `*.log` in the state dir (Cyrus logs to syslog, so it has none).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// What a crash looks like in the recipes' servers' logs: Go (`panic serving`, `fatal error:`
/// from the runtime), Dovecot (`Panic:`, `Fatal:`, `killed with signal`), asyncio's line
/// naming the exception that ended a connection's task (`… exception=RecursionError(…)>`;
/// the traceback's own first line is the same for every crash), and the C servers'
/// `segfault`.
const MARKERS: [&str; 7] = [
    "panic",
    "Panic:",
    "fatal error:",
    "Fatal:",
    "killed with signal",
    " exception=",
    "segfault",
];

/// Bytes read from the end of a log's new part at most: a flood of errors must not cost the
/// run's memory.
const READ_AT_MOST: u64 = 16 << 20;

/// Distinct crash lines reported; the rest are counted.
const SHOWN: usize = 5;

/// The logs of a state dir and how long each was when the run began.
#[derive(Clone, Debug, Default)]
pub struct LogWatch {
    files: Vec<(PathBuf, u64)>,
}

impl LogWatch {
    /// Every `*.log` in `dir`, with its current length (a log created later is read whole).
    pub fn start(dir: &Path) -> LogWatch {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return LogWatch::default();
        };
        let mut files: Vec<(PathBuf, u64)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "log"))
            .map(|p| {
                let len = std::fs::metadata(&p).map_or(0, |m| m.len());
                (p, len)
            })
            .collect();
        files.sort();
        LogWatch { files }
    }

    /// The crash lines the logs gained since [`LogWatch::start`], as problems for the report:
    /// up to [`SHOWN`] distinct ones (addresses and times stripped for comparing), then a count.
    pub fn crashes(&self) -> Vec<String> {
        let mut shown: Vec<(String, String)> = Vec::new();
        let mut more = 0usize;
        for (path, from) in &self.files {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            for line in new_lines(path, *from).lines().filter(|l| is_crash(l)) {
                let key = shape(line);
                if shown.iter().any(|(k, _)| *k == key) {
                    continue;
                }
                if shown.len() == SHOWN {
                    more += 1;
                    continue;
                }
                // asyncio's line names the task and its source first, the exception last.
                let from = line.find(" exception=").map_or(0, |at| at + 1);
                let text: String = line[from..].trim().chars().take(300).collect();
                shown.push((key, format!("the server's {name} says: {text}")));
            }
        }
        let mut out: Vec<String> = shown.into_iter().map(|(_, t)| t).collect();
        if more > 0 {
            out.push(format!(
                "and {more} more distinct crash line(s) in the server's logs"
            ));
        }
        out
    }
}

fn is_crash(line: &str) -> bool {
    MARKERS.iter().any(|m| line.contains(m))
}

/// A line without its digits: the same crash at another time, address or pid is one.
fn shape(line: &str) -> String {
    line.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// What `path` gained after byte `from` (its last [`READ_AT_MOST`] bytes), lossily decoded;
/// a log that shrank (rotated) is read from its start.
fn new_lines(path: &Path, from: u64) -> String {
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let from = if len < from { 0 } else { from };
    let start = from.max(len.saturating_sub(READ_AT_MOST));
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let _ = file.take(len - start).read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::LogWatch;

    #[test]
    fn only_crash_lines_written_after_the_start_are_reported_once_per_shape() {
        let dir = std::env::temp_dir().join(format!("imapgate-logwatch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("server.log");
        std::fs::write(&log, "old: panic serving 127.0.0.1:1: before the run\n").unwrap();
        std::fs::write(dir.join("notes.txt"), "panic\n").unwrap();
        let watch = LogWatch::start(&dir);
        let mut text = String::from("started\n");
        for port in [33150, 42716] {
            text.push_str(&format!(
                "panic serving 127.0.0.1:{port}: index out of range\n"
            ));
        }
        text.push_str("imap(user1): Panic: file index-thread-links.c: assertion failed\n");
        text.push_str("future: <Task finished name='Task-2880' coro=<IMAPServer.__call__() done, defined at /x.py:116> exception=RecursionError('maximum recursion depth exceeded')>\n");
        text.push_str("Traceback (most recent call last):\n");
        let mut all = std::fs::read_to_string(&log).unwrap();
        all.push_str(&text);
        std::fs::write(&log, all).unwrap();
        let found = watch.crashes();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("server.log says: panic serving 127.0.0.1:33150"));
        assert!(found[1].contains("Panic: file index-thread-links.c"));
        assert!(
            found[2]
                .ends_with("says: exception=RecursionError('maximum recursion depth exceeded')>")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
