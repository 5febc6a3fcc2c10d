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

/// Where the scan of the current frame stands, so pushing more bytes resumes, not restarts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Looking for the CRLF of the line that starts at `line_start` (relative to the frame).
    Line { line_start: usize },
    /// Waiting for a literal's bytes to end at `until` (relative to the frame).
    Literal { until: usize },
    /// Dropping an oversize frame: skipping `literal_left` bytes, then lines until a CRLF
    /// that does not announce another literal.
    Discard { literal_left: u64 },
}

/// Incremental framer over a byte stream. Feed bytes with [`Framer::push`], take frames with
/// [`Framer::next_frame`].
#[derive(Debug)]
pub struct Framer {
    limits: FrameLimits,
    buf: Vec<u8>,
    /// Start of the current (unfinished) frame in `buf`.
    start: usize,
    /// Bytes of `buf` already scanned for CRLF in the current line.
    scanned: usize,
    state: State,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// The oversize frame being dropped, reported once its end is found.
    dropping: Option<FrameError>,
    /// Last bytes of a line being dropped, to recognise a literal marker at its end.
    tail: Vec<u8>,
}

/// One step of framing.
#[derive(Debug, PartialEq, Eq)]
pub enum Framed<'a> {
    /// A complete frame, CRLF and literals included.
    Frame(&'a [u8]),
    /// An oversize frame was dropped; framing resumes after it.
    Dropped(FrameError),
}

/// Bytes of a dropped line kept to recognise `{n}` at its end: `{` + 20 digits + `+}` + slack.
const TAIL_LEN: usize = 32;

impl Framer {
    pub fn new(limits: FrameLimits) -> Self {
        Framer {
            limits,
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            state: State::Line { line_start: 0 },
            base: 0,
            dropping: None,
            tail: Vec::new(),
        }
    }

    pub fn limits(&self) -> FrameLimits {
        self.limits
    }

    /// Append received bytes. Bytes of a frame being dropped are not kept.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.compact();
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes buffered and not yet returned as a frame.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Stream offset of the next byte the framer will return.
    pub fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    /// The next complete frame, a report of a dropped one, or `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Framed<'_>> {
        loop {
            let step = match self.state {
                State::Discard { literal_left } => self.discard(literal_left),
                State::Literal { until } => self.literal(until),
                State::Line { line_start } => self.line(line_start),
            };
            match step {
                Step::NeedMore => return None,
                Step::Continue => continue,
                Step::Done(len) => {
                    let frame_start = self.start;
                    self.start += len;
                    self.scanned = self.start;
                    self.state = State::Line { line_start: 0 };
                    return Some(Framed::Frame(&self.buf[frame_start..frame_start + len]));
                }
                Step::Dropped(err) => return Some(Framed::Dropped(err)),
            }
        }
    }

    /// The stream has ended: report an unfinished frame, if any.
    pub fn finish(&mut self) -> Option<FrameError> {
        let missing_literal_bytes = match self.state {
            State::Literal { until } => (until - self.buffered()) as u64,
            State::Discard { literal_left } => literal_left,
            State::Line { .. } => 0,
        };
        let pending = self.dropping.take();
        if self.buffered() == 0 && pending.is_none() {
            return None;
        }
        let mut err = pending.unwrap_or_else(|| {
            self.error_here(FrameErrorKind::Truncated {
                missing_literal_bytes,
            })
        });
        err.kind = FrameErrorKind::Truncated {
            missing_literal_bytes,
        };
        err.discarded += self.buffered() as u64;
        self.start = self.buf.len();
        self.state = State::Line { line_start: 0 };
        Some(err)
    }

    fn compact(&mut self) {
        self.buf.drain(..self.start);
        self.base += self.start as u64;
        self.scanned -= self.start;
        self.start = 0;
    }

    fn frame(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn line(&mut self, line_start: usize) -> Step {
        let frame = &self.buf[self.start..];
        let from = self.scanned - self.start;
        let Some(lf) = find_crlf(frame, from.max(line_start)) else {
            // Keep the '\r' of a CRLF split across pushes inside the unscanned part.
            self.scanned = self.start + frame.len().saturating_sub(1).max(line_start);
            return self.check_line_len(frame.len() - line_start);
        };
        let line_end = lf + 1;
        if line_end - line_start > self.limits.max_line {
            return self.start_drop(
                FrameErrorKind::LineTooLong {
                    limit: self.limits.max_line,
                },
                line_end,
            );
        }
        if line_end > self.limits.max_frame {
            return self.start_drop(
                FrameErrorKind::FrameTooLong {
                    limit: self.limits.max_frame,
                },
                line_end,
            );
        }
        match literal_marker(&frame[line_start..lf - 1]) {
            None => Step::Done(line_end),
            Some(Ok(n)) if n <= self.limits.max_literal => {
                let until = usize::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_add(line_end));
                match until {
                    Some(until) if until <= self.limits.max_frame => {
                        self.state = State::Literal { until };
                        Step::Continue
                    }
                    _ => self.drop_literal(
                        FrameErrorKind::FrameTooLong {
                            limit: self.limits.max_frame,
                        },
                        line_end,
                        n,
                    ),
                }
            }
            Some(claimed) => {
                let claimed = claimed.unwrap_or(u64::MAX);
                let kind = FrameErrorKind::LiteralTooLong {
                    claimed,
                    limit: self.limits.max_literal,
                };
                self.drop_literal(kind, line_end, claimed)
            }
        }
    }

    fn check_line_len(&mut self, pending: usize) -> Step {
        if pending > self.limits.max_line {
            let len = self.buffered();
            return self.start_drop(
                FrameErrorKind::LineTooLong {
                    limit: self.limits.max_line,
                },
                len,
            );
        }
        if self.buffered() > self.limits.max_frame {
            let len = self.buffered();
            return self.start_drop(
                FrameErrorKind::FrameTooLong {
                    limit: self.limits.max_frame,
                },
                len,
            );
        }
        Step::NeedMore
    }

    fn literal(&mut self, until: usize) -> Step {
        if self.buffered() < until {
            return Step::NeedMore;
        }
        self.state = State::Line { line_start: until };
        self.scanned = self.start + until;
        Step::Continue
    }

    /// Drop the frame so far (`upto` bytes of it, ending a line that announces a literal of
    /// `literal` bytes) and keep dropping until the frame ends.
    fn drop_literal(&mut self, kind: FrameErrorKind, upto: usize, literal: u64) -> Step {
        self.begin_drop(kind, upto);
        self.state = State::Discard {
            literal_left: literal,
        };
        Step::Continue
    }

    /// Drop `upto` bytes of the current frame; if they end with a complete line that does not
    /// announce a literal, the frame is over, otherwise keep dropping.
    fn start_drop(&mut self, kind: FrameErrorKind, upto: usize) -> Step {
        let ends_line = self.frame()[..upto].ends_with(b"\r\n");
        let literal = ends_line
            .then(|| literal_marker(&self.frame()[..upto - 2]))
            .flatten();
        self.begin_drop(kind, upto);
        match literal {
            Some(n) => {
                self.state = State::Discard {
                    literal_left: n.unwrap_or(u64::MAX),
                };
                Step::Continue
            }
            None if ends_line => self.end_drop(),
            None => {
                self.state = State::Discard { literal_left: 0 };
                Step::Continue
            }
        }
    }

    fn begin_drop(&mut self, kind: FrameErrorKind, upto: usize) {
        let frame = self.frame();
        let sample = frame[..frame.len().min(SAMPLE_LEN)].to_vec();
        let tail_from = upto.saturating_sub(TAIL_LEN);
        self.tail = frame[tail_from..upto].to_vec();
        self.dropping = Some(FrameError {
            kind,
            offset: self.offset(),
            discarded: 0,
            sample,
        });
        self.consume_dropped(upto);
    }

    fn consume_dropped(&mut self, n: usize) {
        if let Some(err) = self.dropping.as_mut() {
            err.discarded += n as u64;
        }
        self.start += n;
        self.scanned = self.start;
    }

    fn end_drop(&mut self) -> Step {
        self.state = State::Line { line_start: 0 };
        self.tail.clear();
        match self.dropping.take() {
            Some(err) => Step::Dropped(err),
            None => Step::Continue,
        }
    }

    /// Skip bytes of a dropped frame as they arrive, without buffering them.
    fn discard(&mut self, literal_left: u64) -> Step {
        let avail = self.buffered();
        if literal_left > 0 {
            let n = usize::try_from(literal_left).map_or(avail, |l| l.min(avail));
            self.consume_dropped(n);
            self.state = State::Discard {
                literal_left: literal_left - n as u64,
            };
            self.tail.clear();
            return if literal_left == n as u64 {
                Step::Continue
            } else {
                Step::NeedMore
            };
        }
        let frame = self.frame();
        let Some(lf) = find_crlf_with_tail(&self.tail, frame) else {
            let keep_from = frame.len().saturating_sub(TAIL_LEN);
            let chunk = frame[keep_from..].to_vec();
            push_tail(&mut self.tail, &chunk);
            self.consume_dropped(avail);
            return Step::NeedMore;
        };
        let mut line_end_tail = self.tail.clone();
        line_end_tail.extend_from_slice(&frame[..=lf]);
        self.consume_dropped(lf + 1);
        let marker_end = line_end_tail.len() - 2;
        let marker_from = marker_end.saturating_sub(TAIL_LEN);
        match literal_marker(&line_end_tail[marker_from..marker_end]) {
            Some(n) => {
                self.state = State::Discard {
                    literal_left: n.unwrap_or(u64::MAX),
                };
                self.tail.clear();
                Step::Continue
            }
            None => self.end_drop(),
        }
    }

    fn error_here(&self, kind: FrameErrorKind) -> FrameError {
        let frame = self.frame();
        FrameError {
            kind,
            offset: self.offset(),
            discarded: 0,
            sample: frame[..frame.len().min(SAMPLE_LEN)].to_vec(),
        }
    }
}

enum Step {
    NeedMore,
    Continue,
    Done(usize),
    Dropped(FrameError),
}

/// Index of the LF of the first CRLF whose CR is at or after `from`. A bare LF stays inside the line:
/// some servers put bare LFs in text, and CRLF is the only line end the grammar knows.
fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
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

/// Like [`find_crlf`] from the start of `buf`, where the CR may be the last byte of `tail`.
fn find_crlf_with_tail(tail: &[u8], buf: &[u8]) -> Option<usize> {
    if buf.first() == Some(&b'\n') && tail.last() == Some(&b'\r') {
        return Some(0);
    }
    find_crlf(buf, 0)
}

fn push_tail(tail: &mut Vec<u8>, bytes: &[u8]) {
    tail.extend_from_slice(bytes);
    let excess = tail.len().saturating_sub(TAIL_LEN);
    tail.drain(..excess);
}

/// Split a complete in-memory stream into frames without copying (benchmarks, corpora).
/// Stops at the first incomplete frame; oversize frames are reported like the [`Framer`] does.
pub fn split_frames(stream: &[u8], limits: FrameLimits) -> Frames<'_> {
    Frames {
        stream,
        pos: 0,
        limits,
    }
}

/// Iterator returned by [`split_frames`].
#[derive(Debug)]
pub struct Frames<'a> {
    stream: &'a [u8],
    pos: usize,
    limits: FrameLimits,
}

impl<'a> Frames<'a> {
    /// Bytes not yet returned (an incomplete trailing frame, once the iterator is done).
    pub fn rest(&self) -> &'a [u8] {
        &self.stream[self.pos..]
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<&'a [u8], FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.stream[self.pos..];
        if rest.is_empty() {
            return None;
        }
        match frame_len(rest, &self.limits) {
            Some(Ok(len)) => {
                self.pos += len;
                Some(Ok(&rest[..len]))
            }
            Some(Err(kind)) => {
                // Oversize: let the incremental framer find where the dropped frame ends.
                let mut framer = Framer::new(self.limits);
                for chunk in rest.chunks(64 * 1024) {
                    framer.push(chunk);
                    if let Some(Framed::Dropped(mut err)) = framer.next_frame() {
                        err.offset += self.pos as u64;
                        self.pos += err.discarded as usize;
                        return Some(Err(err));
                    }
                }
                let err = framer.finish().unwrap_or_else(|| framer.error_here(kind));
                self.pos = self.stream.len();
                Some(Err(err))
            }
            None => None,
        }
    }
}

/// Length of the complete frame at the start of `buf`; `None` if incomplete.
fn frame_len(buf: &[u8], limits: &FrameLimits) -> Option<Result<usize, FrameErrorKind>> {
    let mut line_start = 0;
    loop {
        let Some(lf) = find_crlf(buf, line_start) else {
            let too_long = buf.len() - line_start > limits.max_line;
            return too_long.then_some(Err(FrameErrorKind::LineTooLong {
                limit: limits.max_line,
            }));
        };
        if lf + 1 - line_start > limits.max_line {
            return Some(Err(FrameErrorKind::LineTooLong {
                limit: limits.max_line,
            }));
        }
        let n = match literal_marker(&buf[line_start..lf - 1]) {
            None => return Some(Ok(lf + 1)),
            Some(Ok(n)) if n <= limits.max_literal => n as usize,
            Some(n) => {
                let claimed = n.unwrap_or(u64::MAX);
                return Some(Err(FrameErrorKind::LiteralTooLong {
                    claimed,
                    limit: limits.max_literal,
                }));
            }
        };
        line_start = lf + 1 + n;
        if line_start > limits.max_frame {
            return Some(Err(FrameErrorKind::FrameTooLong {
                limit: limits.max_frame,
            }));
        }
        if line_start > buf.len() {
            return None;
        }
    }
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
