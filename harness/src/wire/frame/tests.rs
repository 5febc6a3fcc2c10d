use super::*;
use proptest::prelude::*;

fn limits(max_line: usize, max_literal: u64) -> FrameLimits {
    FrameLimits {
        max_line,
        max_literal,
        max_frame: 1 << 20,
    }
}

/// Frames and drop reports of `chunks` fed one after another, then `finish`.
fn run(lim: FrameLimits, chunks: &[&[u8]]) -> Vec<Result<Vec<u8>, FrameErrorKind>> {
    let mut framer = Framer::new(lim);
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        while let Some(step) = framer.next_frame() {
            out.push(match step {
                Framed::Frame(f) => Ok(f.to_vec()),
                Framed::Dropped(e) => Err(e.kind),
            });
        }
    }
    if let Some(e) = framer.finish() {
        out.push(Err(e.kind));
    }
    out
}

fn ok(frames: &[&[u8]]) -> Vec<Result<Vec<u8>, FrameErrorKind>> {
    frames.iter().map(|f| Ok(f.to_vec())).collect()
}

const STREAM: &[u8] = b"* OK hi\r\n* 1 FETCH (BODY[] {5}\r\nab\r\nc UID 3)\r\n* 2 FETCH (BINARY[1] ~{3}\r\n\x00\x01\x02 X {0}\r\n)\r\nA1 OK done\r\n";

#[test]
fn splits_lines_and_literals() {
    let frames = run(FrameLimits::default(), &[STREAM]);
    assert_eq!(
        frames,
        ok(&[
            b"* OK hi\r\n",
            b"* 1 FETCH (BODY[] {5}\r\nab\r\nc UID 3)\r\n",
            b"* 2 FETCH (BINARY[1] ~{3}\r\n\x00\x01\x02 X {0}\r\n)\r\n",
            b"A1 OK done\r\n",
        ])
    );
}

#[test]
fn partial_input_is_need_more_at_every_split() {
    let whole = run(FrameLimits::default(), &[STREAM]);
    for cut in 0..STREAM.len() {
        let (a, b) = STREAM.split_at(cut);
        assert_eq!(
            run(FrameLimits::default(), &[a, b]),
            whole,
            "split at {cut}"
        );
    }
}

#[test]
fn a_literal_ending_in_cr_does_not_end_the_next_line() {
    let stream = b"* 1 FETCH (BODY[] {2}\r\na\r\n)\r\n* 2 EXISTS\r\n";
    let frames = run(FrameLimits::default(), &[stream]);
    assert_eq!(
        frames,
        ok(&[b"* 1 FETCH (BODY[] {2}\r\na\r\n)\r\n", b"* 2 EXISTS\r\n"])
    );
    let split: Vec<_> = split_frames(stream, FrameLimits::default())
        .map(|f| f.map(<[u8]>::to_vec).map_err(|e| e.kind))
        .collect();
    assert_eq!(split, frames);
}

#[test]
fn bare_lf_stays_inside_the_line() {
    let frames = run(
        FrameLimits::default(),
        &[b"A1 NO Error: x\n    at y\n\r\nA2 OK\r\n"],
    );
    assert_eq!(
        frames,
        ok(&[b"A1 NO Error: x\n    at y\n\r\n", b"A2 OK\r\n"])
    );
}

#[test]
fn marker_forms() {
    assert_eq!(literal_marker(b"x {12}"), Some(Ok(12)));
    assert_eq!(literal_marker(b"x ~{3}"), Some(Ok(3)));
    assert_eq!(literal_marker(b"x {3+}"), Some(Ok(3)));
    assert_eq!(literal_marker(b"x {3-}"), Some(Ok(3)));
    assert_eq!(literal_marker(b"x {}"), None);
    assert_eq!(literal_marker(b"x {a}"), None);
    assert_eq!(literal_marker(b"x }"), None);
    assert_eq!(literal_marker(b"x {99999999999999999999}"), Some(Err(())));
    assert_eq!(
        literal_marker(b"x {000000000000000000005}"),
        None,
        "over 20 digits is text"
    );
}

#[test]
fn overlong_line_is_dropped_and_framing_resumes() {
    let long = [b"* OK ".as_slice(), &[b'a'; 100], b"\r\n* 1 EXISTS\r\n"].concat();
    let frames = run(limits(50, 10), &[&long]);
    assert_eq!(
        frames,
        vec![
            Err(FrameErrorKind::LineTooLong { limit: 50 }),
            Ok(b"* 1 EXISTS\r\n".to_vec())
        ]
    );
}

#[test]
fn overlong_line_streamed_in_small_chunks_is_never_buffered() {
    let mut framer = Framer::new(limits(64, 10));
    framer.push(b"* OK ");
    for _ in 0..10_000 {
        framer.push(&[b'x'; 100]);
        while framer.next_frame().is_some() {}
        assert!(framer.buffered() <= 200, "buffered {}", framer.buffered());
    }
    framer.push(b"\r\nA1 OK\r\n");
    let Some(Framed::Dropped(err)) = framer.next_frame() else {
        panic!("expected a drop report")
    };
    assert_eq!(err.kind, FrameErrorKind::LineTooLong { limit: 64 });
    assert_eq!(err.discarded, 5 + 1_000_000 + 2);
    assert!(err.sample.starts_with(b"* OK xxx"));
    assert_eq!(framer.next_frame(), Some(Framed::Frame(b"A1 OK\r\n")));
}

#[test]
fn giant_literal_claim_is_skipped_without_buffering() {
    let mut framer = Framer::new(limits(1000, 100));
    framer.push(b"* 1 FETCH (BODY[] {1000000}\r\n");
    let mut dropped = None;
    for _ in 0..1000 {
        framer.push(&[b'z'; 1000]);
        while let Some(step) = framer.next_frame() {
            if let Framed::Dropped(e) = step {
                dropped = Some(e);
            }
        }
        assert!(framer.buffered() <= 1000);
    }
    assert!(
        dropped.is_none(),
        "the frame ends only after its closing line"
    );
    framer.push(b" UID 4)\r\n* 2 EXISTS\r\n");
    let Some(Framed::Dropped(err)) = framer.next_frame() else {
        panic!("expected a drop report")
    };
    assert_eq!(
        err.kind,
        FrameErrorKind::LiteralTooLong {
            claimed: 1_000_000,
            limit: 100
        }
    );
    assert_eq!(framer.next_frame(), Some(Framed::Frame(b"* 2 EXISTS\r\n")));
}

#[test]
fn literal_announced_at_end_of_dropped_line_is_skipped_too() {
    let line = [
        b"* 1 FETCH (".as_slice(),
        &[b'a'; 60],
        b" {4}\r\n\r\n\r\n)\r\n* 3 EXISTS\r\n",
    ]
    .concat();
    let frames = run(limits(40, 10), &[&line]);
    assert_eq!(
        frames,
        vec![
            Err(FrameErrorKind::LineTooLong { limit: 40 }),
            Ok(b"* 3 EXISTS\r\n".to_vec())
        ]
    );
}

#[test]
fn overflowing_literal_count_is_an_oversize_claim() {
    let frames = run(
        limits(100, 10),
        &[b"* 1 FETCH (X {99999999999999999999}\r\n"],
    );
    assert_eq!(frames.len(), 1);
    assert!(matches!(frames[0], Err(FrameErrorKind::Truncated { .. })));
}

#[test]
fn stream_ending_mid_literal_is_truncated() {
    let frames = run(
        FrameLimits::default(),
        &[b"* 1 EXISTS\r\n* 1 FETCH (BODY[] {10}\r\nabc"],
    );
    assert_eq!(
        frames,
        vec![
            Ok(b"* 1 EXISTS\r\n".to_vec()),
            Err(FrameErrorKind::Truncated {
                missing_literal_bytes: 7
            })
        ]
    );
}

#[test]
fn split_frames_matches_incremental_framer() {
    let got: Vec<_> = split_frames(STREAM, FrameLimits::default())
        .map(|r| r.map(<[u8]>::to_vec).map_err(|e| e.kind))
        .collect();
    assert_eq!(got, run(FrameLimits::default(), &[STREAM]));
}

#[test]
fn split_frames_reports_oversize_with_stream_offsets() {
    let stream = [
        b"* 1 EXISTS\r\n".as_slice(),
        b"* OK ",
        &[b'q'; 80],
        b"\r\n* 2 EXISTS\r\n",
    ]
    .concat();
    let got: Vec<_> = split_frames(&stream, limits(50, 10)).collect();
    assert_eq!(got.len(), 3);
    let err = got[1].as_ref().expect_err("oversize line");
    assert_eq!((err.offset, err.discarded), (12, 87));
    assert_eq!(got[2].as_deref().ok(), Some(b"* 2 EXISTS\r\n".as_slice()));
}

/// Expected response counts from `shared/corpus-real/README.md` (framing check table).
const CORPUS_COUNTS: &[(&str, usize)] = &[
    ("dovecot-A.server.imap", 754),
    ("dovecot-A.conn2.server.imap", 47),
    ("cyrus-A.server.imap", 779),
    ("cyrus-A.conn2.server.imap", 51),
    ("courier-A.server.imap", 601),
    ("courier-A.conn2.server.imap", 46),
    ("pymap-A.server.imap", 642),
    ("pymap-A.conn2.server.imap", 44),
    ("hoodiecrow-A.server.imap", 636),
    ("hoodiecrow-A.conn2.server.imap", 46),
    ("goimap-A.server.imap", 581),
    ("goimap-A.conn2.server.imap", 39),
];

#[test]
fn real_server_streams_frame_into_the_documented_counts() {
    for (file, expected) in CORPUS_COUNTS {
        let bytes = crate::testing::shared_file(&format!("corpus-real/{file}"));
        let mut frames = split_frames(&bytes, FrameLimits::default());
        let mut n = 0;
        for frame in frames.by_ref() {
            assert!(frame.is_ok(), "{file}: no oversize frame in the corpus");
            n += 1;
        }
        assert_eq!(n, *expected, "{file}");
        assert!(
            frames.rest().is_empty(),
            "{file} leaves an incomplete frame"
        );
    }
}

proptest! {
    #[test]
    fn any_chunking_gives_the_same_frames(cuts in proptest::collection::vec(0..STREAM.len(), 0..8)) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut at = 0;
        for c in cuts {
            chunks.push(&STREAM[at..c]);
            at = c;
        }
        chunks.push(&STREAM[at..]);
        prop_assert_eq!(run(FrameLimits::default(), &chunks), run(FrameLimits::default(), &[STREAM]));
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_stay_bounded(data in proptest::collection::vec(any::<u8>(), 0..400), split in 0usize..400) {
        let split = split.min(data.len());
        let lim = FrameLimits { max_line: 32, max_literal: 16, max_frame: 64 };
        let mut framer = Framer::new(lim);
        for chunk in [&data[..split], &data[split..]] {
            framer.push(chunk);
            while let Some(step) = framer.next_frame() {
                if let Framed::Frame(f) = step {
                    prop_assert!(f.len() <= lim.max_frame);
                }
            }
            prop_assert!(framer.buffered() <= lim.max_frame, "buffered {}", framer.buffered());
        }
        let _ = framer.finish();
    }
}
