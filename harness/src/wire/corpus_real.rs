//! Test support: the real-client and real-server recordings of `shared/corpus-real`, and
//! that folder's framing rule, kept apart from [`crate::wire::frame`] so that the corpus
//! tests do not depend on the framer they also exercise.

use std::path::PathBuf;

use crate::testing::shared_dir;

/// The recordings whose file names end in `suffix` (`.client.imap`, `.server.imap`), sorted.
pub(crate) fn recordings(suffix: &str) -> Vec<PathBuf> {
    let dir = shared_dir().join("corpus-real");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    paths.sort();
    paths
}

/// Splits a stream into frames (the README's rule): a line up to CRLF; a line ending in
/// `{n}`, `{n+}` or `~{n}` takes n more bytes and continues, when `take_literal(frame so
/// far, synchronising)` agrees.
pub(crate) fn split<'a>(
    stream: &'a [u8],
    mut take_literal: impl FnMut(&'a [u8], bool) -> bool,
) -> Vec<&'a [u8]> {
    let mut frames = Vec::new();
    let (mut start, mut pos) = (0, 0);
    while pos < stream.len() {
        let Some(eol) = memchr::memmem::find(&stream[pos..], b"\r\n") else {
            frames.push(&stream[start..]);
            break;
        };
        let line = &stream[pos..pos + eol];
        pos += eol + 2;
        match literal_length(line) {
            Some((n, sync)) if take_literal(&stream[start..pos], sync) => pos += n,
            _ => {
                frames.push(&stream[start..pos]);
                start = pos;
            }
        }
    }
    frames
}

/// The length announced at the end of a line, and whether the literal is synchronising.
fn literal_length(line: &[u8]) -> Option<(usize, bool)> {
    let body = line.strip_suffix(b"}")?;
    let open = body.iter().rposition(|&b| b == b'{')?;
    let (digits, sync) = match body[open + 1..].strip_suffix(b"+") {
        Some(digits) => (digits, false),
        None => (&body[open + 1..], true),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((n, sync))
}
