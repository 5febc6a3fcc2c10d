//! The incremental framer: bytes arrive in any chunks, frames come out whole, oversize
//! frames are skipped as they stream past.

use super::{FrameError, FrameErrorKind, FrameLimits, SAMPLE_LEN, find_crlf, literal_marker};

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

    pub(super) fn error_here(&self, kind: FrameErrorKind) -> FrameError {
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
