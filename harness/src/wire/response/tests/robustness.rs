//! Hostile input: never a panic, never unbounded recursion, never a loop.

use proptest::prelude::*;

use crate::wire::parse_response;

fn nested(open: &[u8], depth: usize, close: &[u8], head: &[u8]) -> Vec<u8> {
    let mut frame = head.to_vec();
    frame.extend(std::iter::repeat_n(open, depth).flatten());
    frame.extend(std::iter::repeat_n(close, depth).flatten());
    frame.extend_from_slice(b")\r\n");
    frame
}

#[test]
fn deep_nesting_fails_cleanly() {
    let depth = 100_000;
    for head in [
        &b"* 1 FETCH (BODYSTRUCTURE "[..],
        b"* 1 FETCH (X-EXT ",
        b"* THREAD ",
        b"* LIST () \"/\" x (",
    ] {
        let frame = nested(b"(", depth, b")", head);
        let e = parse_response(&frame).unwrap_err();
        assert!(e.offset < 200, "{e}");
    }
    let frame = nested(
        b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1 NIL NIL NIL NIL ",
        50_000,
        b")",
        b"* 1 FETCH (BODYSTRUCTURE ",
    );
    assert!(parse_response(&frame).is_err());
}

#[test]
fn truncated_frames_of_a_valid_response_all_fail() {
    let frame = b"* 1 FETCH (UID 5 BODY[] {4}\r\nabcd FLAGS (\\Seen) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n";
    assert!(parse_response(frame).is_ok());
    for n in 0..frame.len() {
        assert!(parse_response(&frame[..n]).is_err(), "prefix of {n} bytes");
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_response(&bytes);
    }

    #[test]
    fn mutated_real_responses_never_panic(pos in 0usize..400, byte in any::<u8>()) {
        let mut frame = b"* 3 FETCH (UID 9 FLAGS (\\Seen) BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 5 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) 1) \"MIXED\") BODY[1]<0> {3}\r\nabc)\r\n".to_vec();
        let at = pos % frame.len();
        frame[at] = byte;
        let _ = parse_response(&frame);
    }
}
