//! One-shot framing of a complete in-memory stream, without copying.

use super::{FrameError, FrameErrorKind, FrameLimits, Framed, Framer, find_crlf, literal_marker};

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
