//! One frame through both parsers, and the verdict.

use std::panic::{AssertUnwindSafe, catch_unwind};

use imap_codec::ResponseCodec;
use imap_codec::decode::Decoder;
use imapgate::wire::{ParseError, parse_response};

use super::neutral::Resp;
use super::ours::OnlyOurs;

/// What the two parsers made of one frame.
// Some fields are only read through `Debug`, in failure messages and the test log.
#[allow(dead_code)]
#[derive(Debug)]
pub enum Verdict {
    /// Both accept it, with the same meaning.
    Same(Resp),
    /// Both accept it, with different meanings.
    Differ {
        ours: Result<Resp, OnlyOurs>,
        codec: Resp,
    },
    /// Only imapgate accepts it; `codec` says how imap-codec refused.
    OnlyOurs {
        ours: Result<Resp, OnlyOurs>,
        codec: String,
    },
    /// Only imap-codec accepts it; `ours` is our diagnostic.
    OnlyCodec { ours: ParseError, codec: Resp },
    /// Both refuse it.
    Neither { ours: ParseError, codec: String },
}

/// Parses one complete frame (literals inline, final CRLF included) with both parsers.
pub fn judge(frame: &[u8]) -> Verdict {
    let ours = parse_response(frame).map(|r| super::ours::response(&r));
    match (ours, codec(frame)) {
        (Ok(Ok(ours)), Ok(codec)) if ours == codec => Verdict::Same(ours),
        (Ok(ours), Ok(codec)) => Verdict::Differ { ours, codec },
        (Ok(ours), Err(codec)) => Verdict::OnlyOurs { ours, codec },
        (Err(ours), Ok(codec)) => Verdict::OnlyCodec { ours, codec },
        (Err(ours), Err(codec)) => Verdict::Neither { ours, codec },
    }
}

/// imap-codec's reading of a frame, which it must consume entirely. A panic inside
/// imap-codec counts as a refusal (it is imap-codec's bug, not a meaning to compare).
fn codec(frame: &[u8]) -> Result<Resp, String> {
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        ResponseCodec::default()
            .decode(frame)
            .map(|(rest, r)| (rest.len(), super::codec::response(&r)))
    }));
    match decoded {
        Ok(Ok((0, resp))) => Ok(resp),
        Ok(Ok((left, _))) => Err(format!("stopped {left} bytes before the end of the frame")),
        Ok(Err(e)) => Err(format!("{e:?}")),
        Err(_) => Err("panicked".into()),
    }
}
