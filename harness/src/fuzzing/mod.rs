//! Entry points of the fuzz targets in `fuzz/` (each target is one line calling one of these)
//! and of the seed replay in `cargo test`. Every function panics only on a bug in imapgate:
//! a crash, a broken invariant, or a round trip that does not hold.

pub mod live;
mod live_conn;
mod live_groups;
mod live_ops;

pub use live::live_session;

use crate::wire::command::{EncodeOptions, parse_command as parse_command_frame};
use crate::wire::frame::{FrameLimits, Framed, Framer, split_frames};
use crate::wire::parse_response as parse_response_frame;

/// Small caps so the fuzzer reaches the oversize paths.
const LIMITS: FrameLimits = FrameLimits {
    max_line: 4096,
    max_literal: 4096,
    max_frame: 16 * 1024,
};

/// Frame `data`, parse every frame as a response; what parses must survive encode → parse
/// unchanged, and what fails must render its diagnostic.
pub fn parse_response(data: &[u8]) {
    for frame in split_frames(data, LIMITS).flatten() {
        match parse_response_frame(frame) {
            Ok(response) => {
                let encoded = response.to_bytes();
                let again = parse_response_frame(&encoded);
                assert_eq!(
                    again.as_ref().ok(),
                    Some(&response),
                    "re-encoded response: {encoded:?}"
                );
            }
            Err(err) => {
                assert!(
                    err.offset <= frame.len(),
                    "diagnostic offset past the frame"
                );
                let _ = err.to_string();
            }
        }
    }
}

/// Frame `data`, parse every frame as a command; diagnostics must render.
pub fn parse_command(data: &[u8]) {
    for frame in split_frames(data, LIMITS).flatten() {
        if let Err(err) = parse_command_frame(frame) {
            assert!(
                err.offset <= frame.len(),
                "diagnostic offset past the frame"
            );
            let _ = err.to_string();
        }
    }
}

/// A command that parses must encode (synchronising and LITERAL+ alike) to bytes that parse
/// back to the same command, and encoding must be deterministic.
pub fn roundtrip_command(data: &[u8]) {
    let Ok(command) = parse_command_frame(data) else {
        return;
    };
    for options in [
        EncodeOptions::default(),
        EncodeOptions {
            literal_plus: true,
            literal_minus: false,
        },
    ] {
        let bytes = command.encode(&options).to_bytes();
        let again = parse_command_frame(&bytes);
        assert_eq!(
            again.as_ref().ok(),
            Some(&command),
            "re-encoded command: {bytes:?}"
        );
        assert_eq!(
            again.map(|c| c.encode(&options).to_bytes()).ok(),
            Some(bytes)
        );
    }
}

/// Any chunking of a stream gives the same frames and drop reports as one chunk. The first
/// byte picks the limits and the chunk sizes, the rest is the stream.
pub fn framing(data: &[u8]) {
    let Some((&knob, stream)) = data.split_first() else {
        return;
    };
    let limits = FrameLimits {
        max_line: 8 + usize::from(knob & 0x3f),
        max_literal: u64::from(knob >> 4) * 4,
        max_frame: 64 + usize::from(knob),
    };
    let whole = frames_of(limits, &[stream]);
    let step = 1 + usize::from(knob % 7);
    let chunks: Vec<&[u8]> = stream.chunks(step).collect();
    assert_eq!(frames_of(limits, &chunks), whole, "chunks of {step} bytes");
}

type FrameLog = Vec<Result<Vec<u8>, (u64, u64)>>;

fn frames_of(limits: FrameLimits, chunks: &[&[u8]]) -> FrameLog {
    let mut framer = Framer::new(limits);
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        while let Some(step) = framer.next_frame() {
            out.push(match step {
                Framed::Frame(f) => {
                    assert!(f.len() <= limits.max_frame, "frame over the cap");
                    Ok(f.to_vec())
                }
                Framed::Dropped(e) => Err((e.offset, e.discarded)),
            });
        }
        assert!(
            framer.buffered() <= limits.max_frame + limits.max_line,
            "buffer over the caps"
        );
    }
    if let Some(e) = framer.finish() {
        out.push(Err((e.offset, e.discarded)));
    }
    out
}
