//! Framing: split an IMAP byte stream into complete frames before any grammar work.
//!
//! A frame is one response (or one command): a line up to CRLF; when that line ends in a
//! literal marker `{n}` (also `~{n}`, `{n+}`, `{n-}`), the next n bytes belong to it and the
//! frame continues with the next line. Framing needs no grammar, so one malformed response
//! never desynchronises a session: the parser rejects one frame and the next starts cleanly.
//!
//! Memory is bounded by [`FrameLimits`]: a line or literal over its cap is *discarded while it
//! streams past* (never buffered), reported once as a [`FrameError`], and framing resumes at
//! the next response boundary. Partial input is never an error: it is "need more".

use std::fmt;

/// Caps on what one frame may hold. The caller sets them; servers never can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameLimits {
    /// Longest line (bytes between literals, CRLF included).
    pub max_line: usize,
    /// Largest literal the framer will buffer.
    pub max_literal: u64,
    /// Largest whole frame (lines plus literals).
    pub max_frame: usize,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits {
            max_line: 64 * 1024,
            max_literal: 64 * 1024 * 1024,
            max_frame: 80 * 1024 * 1024,
        }
    }
}

/// Why a frame was dropped. The framer has already skipped to the next frame boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameError {
    pub kind: FrameErrorKind,
    /// Stream offset of the dropped frame's first byte.
    pub offset: u64,
    /// How many bytes were dropped, the whole frame included.
    pub discarded: u64,
    /// The frame's first bytes (at most [`SAMPLE_LEN`]), to show what was dropped.
    pub sample: Vec<u8>,
}

/// How many leading bytes of a dropped frame are kept for the report.
pub const SAMPLE_LEN: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameErrorKind {
    LineTooLong {
        limit: usize,
    },
    LiteralTooLong {
        claimed: u64,
        limit: u64,
    },
    FrameTooLong {
        limit: usize,
    },
    /// The stream ended inside a frame (e.g. the peer closed mid-literal).
    Truncated {
        missing_literal_bytes: u64,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FrameErrorKind::LineTooLong { limit } => write!(f, "line longer than {limit} bytes")?,
            FrameErrorKind::LiteralTooLong { claimed, limit } => {
                write!(f, "literal of {claimed} bytes claimed, limit is {limit}")?
            }
            FrameErrorKind::FrameTooLong { limit } => {
                write!(f, "response longer than {limit} bytes")?
            }
            FrameErrorKind::Truncated {
                missing_literal_bytes: 0,
            } => write!(f, "stream ended before the final CRLF")?,
            FrameErrorKind::Truncated {
                missing_literal_bytes,
            } => write!(
                f,
                "stream ended {missing_literal_bytes} bytes short of the announced literal"
            )?,
        }
        write!(
            f,
            " at stream offset {} ({} bytes dropped), starting {}",
            self.offset,
            self.discarded,
            crate::wire::escape::escape_bytes(&self.sample)
        )
    }
}

impl std::error::Error for FrameError {}

/// The most digits a literal count may have.
const MAX_MARKER_DIGITS: usize = 20;

/// The literal announced at the end of a line: `{n}`, `{n+}`, `{n-}` or `~{n}`.
/// Returns `Err(())` for a marker whose count does not fit in a u64 (treated as oversize).
pub fn literal_marker(line: &[u8]) -> Option<Result<u64, ()>> {
    let body = line.strip_suffix(b"}")?;
    let open = memchr::memrchr(b'{', body)?;
    let mut digits = &body[open + 1..];
    if let Some(d) = digits
        .strip_suffix(b"+")
        .or_else(|| digits.strip_suffix(b"-"))
    {
        digits = d;
    }
    // More than 20 digits is not a count at all (u64 has 20): treating it as text keeps the
    // streaming framer, which only remembers a line's last bytes, in step with the one-shot one.
    if digits.is_empty()
        || digits.len() > MAX_MARKER_DIGITS
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    Some(
        digits
            .iter()
            .try_fold(0u64, |n, d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .ok_or(()),
    )
}

mod framer;
mod split;

pub use framer::{Framed, Framer};
pub use split::{Frames, split_frames};

/// Index of the LF of the first CRLF whose CR is at or after `from`. A bare LF stays inside the line:
/// some servers put bare LFs in text, and CRLF is the only line end the grammar knows.
pub(crate) fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'\n', buf.get(at..)?) {
        let lf = at + i;
        // The CR must be inside the line: a literal's last byte may be a CR, and an LF
        // right after it does not end the line that follows the literal.
        if lf > from && buf[lf - 1] == b'\r' {
            return Some(lf);
        }
        at = lf + 1;
    }
    None
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
