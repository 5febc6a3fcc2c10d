//! Counting verdicts over a stream of frames, and showing the ones that are not `Same`.

use imapgate::wire::escape::escape_bytes;
use imapgate::wire::frame::{FrameLimits, split_frames};

use super::outcome::{Verdict, judge};

/// One frame that the parsers did not agree on, with where it came from.
#[derive(Debug)]
pub struct Case {
    /// `file:frame-index` (or the generator's name).
    pub at: String,
    pub frame: Vec<u8>,
    pub verdict: Verdict,
}

impl Case {
    /// The frame's first line, escaped, cut to `width` characters.
    pub fn head(&self, width: usize) -> String {
        let line_end = self.frame.iter().position(|&c| c == b'\n');
        let line = &self.frame[..line_end.map_or(self.frame.len(), |n| n + 1)];
        escape_bytes(line).chars().take(width).collect()
    }
}

#[derive(Debug, Default)]
pub struct Tally {
    pub same: usize,
    pub only_ours: Vec<Case>,
    pub only_codec: Vec<Case>,
    pub neither: Vec<Case>,
    pub differ: Vec<Case>,
    /// Framing errors (oversize or truncated frames), as text.
    pub unframed: Vec<String>,
}

impl Tally {
    /// Frames `stream` with the production framer and judges every frame.
    pub fn stream(&mut self, name: &str, stream: &[u8]) {
        for (n, frame) in split_frames(stream, FrameLimits::default()).enumerate() {
            match frame {
                Ok(frame) => self.add(format!("{name}:{n}"), frame),
                Err(e) => self.unframed.push(format!("{name}:{n}: {e}")),
            }
        }
    }

    pub fn add(&mut self, at: String, frame: &[u8]) {
        let verdict = judge(frame);
        let list = match verdict {
            Verdict::Same(_) => {
                self.same += 1;
                return;
            }
            Verdict::OnlyOurs { .. } => &mut self.only_ours,
            Verdict::OnlyCodec { .. } => &mut self.only_codec,
            Verdict::Neither { .. } => &mut self.neither,
            Verdict::Differ { .. } => &mut self.differ,
        };
        list.push(Case {
            at,
            frame: frame.to_vec(),
            verdict,
        });
    }

    pub fn total(&self) -> usize {
        self.same
            + self.only_ours.len()
            + self.only_codec.len()
            + self.neither.len()
            + self.differ.len()
    }

    /// Every frame not accepted by both with the same meaning, shown.
    pub fn not_same(&self) -> String {
        [
            &self.only_ours,
            &self.only_codec,
            &self.neither,
            &self.differ,
        ]
        .into_iter()
        .map(|cases| show(cases))
        .collect()
    }

    /// One line of counts.
    pub fn summary(&self) -> String {
        format!(
            "{} frames: {} accepted by both with the same meaning, {} only by imapgate, \
             {} only by imap-codec, {} by neither, {} with different meanings, {} unframed",
            self.total(),
            self.same,
            self.only_ours.len(),
            self.only_codec.len(),
            self.neither.len(),
            self.differ.len(),
            self.unframed.len()
        )
    }
}

/// Every case in `cases`, one line each, for a failure message or the test log.
pub fn show(cases: &[Case]) -> String {
    cases
        .iter()
        .map(|c| format!("  {}: {}\n      {:?}\n", c.at, c.head(110), c.verdict))
        .collect()
}
