//! `.mbox` fixtures, read the way imaptest reads them: each message runs from the line after
//! its `From ` line to the next `From ` line (the blank line before it included), line ends
//! become CRLF, and the `From ` line's date becomes the APPEND date. Reading wraps around at
//! the end of the file.

use std::path::{Path, PathBuf};

/// One fixture message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub data: Vec<u8>,
    /// `dd-Mon-yyyy hh:mm:ss +zzzz`, from the `From ` line (no zone there means UTC).
    pub date: Option<String>,
}

/// The messages of a fixture and where the next APPEND reads from.
#[derive(Clone, Debug)]
pub struct Mbox {
    pub path: PathBuf,
    messages: Vec<Message>,
    next: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum MboxError {
    #[error("cannot read fixture {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fixture {0} holds no messages (no `From ` line)")]
    Empty(PathBuf),
}

impl Mbox {
    pub fn load(path: &Path) -> Result<Self, MboxError> {
        let text = std::fs::read(path).map_err(|source| MboxError::Read {
            path: path.into(),
            source,
        })?;
        let messages = split(&text);
        if messages.is_empty() {
            return Err(MboxError::Empty(path.into()));
        }
        Ok(Mbox {
            path: path.into(),
            messages,
            next: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The next message, wrapping around.
    pub fn next_message(&mut self) -> &Message {
        let i = self.next % self.messages.len();
        self.next = i + 1;
        &self.messages[i]
    }
}

fn split(text: &[u8]) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut current: Option<Message> = None;
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(date) = from_line_date(line) {
            // A `From ` line right after another one is part of the (empty) message.
            if current.as_ref().is_none_or(|m| !m.data.is_empty()) {
                messages.extend(current.take());
                current = Some(Message {
                    data: Vec::new(),
                    date,
                });
                continue;
            }
        }
        if let Some(m) = current.as_mut() {
            m.data.extend_from_slice(line);
            m.data.extend_from_slice(b"\r\n");
        }
    }
    messages.extend(current);
    messages
}

/// `From sender  Www Mmm dd hh:mm:ss yyyy [+zzzz]`: `Some(date)` when the line is a `From `
/// line (the inner `None` when its date cannot be read).
fn from_line_date(line: &[u8]) -> Option<Option<String>> {
    let rest = line.strip_prefix(b"From ")?;
    let text = String::from_utf8_lossy(rest);
    let words: Vec<&str> = text.split_whitespace().collect();
    // sender, weekday, month, day, time, year [, zone]
    if words.len() < 6 {
        return None;
    }
    let [_, _, month, day, time, year] = words[..6] else {
        return None;
    };
    let zone = words.get(6).copied().unwrap_or("+0000");
    let day: u32 = day.parse().ok()?;
    let well_formed = month.len() == 3 && time.len() == 8 && year.len() == 4;
    Some(well_formed.then(|| format!("{day:02}-{month}-{year} {time} {zone}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_dates_and_crlf() {
        let text = b"From u@d  Fri Feb 22 17:06:23 2008\nA: 1\n\nb1\n\nFrom u@d  Sat Mar  4 23:00:00 2007 +0200\nA: 2\n\nb2\n";
        let m = split(text);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].data, b"A: 1\r\n\r\nb1\r\n\r\n".to_vec());
        assert_eq!(m[0].date.as_deref(), Some("22-Feb-2008 17:06:23 +0000"));
        assert_eq!(m[1].date.as_deref(), Some("04-Mar-2007 23:00:00 +0200"));
        assert_eq!(m[1].data, b"A: 2\r\n\r\nb2\r\n".to_vec());
    }

    #[test]
    fn the_suite_fixtures_parse() {
        let dir = crate::generate::scenario::suite::peer_suite();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "mbox") {
                let m = Mbox::load(&p).unwrap();
                assert!(!m.is_empty(), "{}", p.display());
                assert!(
                    m.messages.iter().all(|x| x.date.is_some()),
                    "{}",
                    p.display()
                );
            }
        }
    }
}
