//! Deeply nested server input must parse or fail cleanly on a small stack: sessions parse on
//! tokio worker threads (2 MiB stacks), and a stack overflow aborts the whole harness.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use imapgate::wire::parse_response;

fn nested_bodystructure(depth: usize) -> Vec<u8> {
    let mut body = b"(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)".to_vec();
    for _ in 0..depth {
        body = [b"(".as_slice(), &body, b" \"mixed\")"].concat();
    }
    [b"* 1 FETCH (BODYSTRUCTURE ".as_slice(), &body, b")\r\n"].concat()
}

/// Parse on a thread with half of tokio's default worker stack.
fn parses_on_small_stack(frame: Vec<u8>) -> bool {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || parse_response(&frame).is_ok())
        .expect("spawn")
        .join()
        .expect("no stack overflow")
}

#[test]
fn nesting_up_to_the_cap_parses_and_beyond_fails_cleanly() {
    assert!(parses_on_small_stack(nested_bodystructure(31)));
    for depth in [40, 1_000, 100_000] {
        assert!(
            !parses_on_small_stack(nested_bodystructure(depth)),
            "depth {depth}"
        );
    }
}

#[test]
fn unbalanced_open_parentheses_fail_cleanly() {
    let frame = [
        b"* 1 FETCH (BODYSTRUCTURE ".as_slice(),
        &vec![b'('; 200_000],
        b"\r\n",
    ]
    .concat();
    assert!(!parses_on_small_stack(frame));
}
