//! The located diagnostics a server vendor reads.

use crate::wire::parse_response;

#[test]
fn diag_uniqueid_zero_names_the_whole_rule_stack() {
    let e = parse_response(b"* 1 FETCH (FLAGS () UID 0)\r\n").unwrap_err();
    assert_eq!(e.offset, 24);
    assert_eq!(
        e.rules,
        [
            "nz-number",
            "uniqueid",
            "msg-att-static",
            "msg-att",
            "message-data",
            "response-data"
        ]
    );
    assert_eq!(e.expected, vec!["nz-number (digit-nz *DIGIT)"]);
    assert_eq!(e.found, "\"0\"");
    let text = e.to_string();
    let expected = "expected nz-number (digit-nz *DIGIT) at byte 24, found \"0\"\n  \
                    rule: nz-number < uniqueid < msg-att-static < msg-att < message-data < response-data\n  \
                    | * 1 FETCH (FLAGS () UID 0)\\r\\n\n  \
                    |                         ^";
    assert_eq!(text, expected);
}

#[test]
fn diag_escapes_control_and_8bit_bytes_and_keeps_the_caret_aligned() {
    let e = parse_response(b"* 1 FETCH (ENVELOPE (\"\x00\xe2\" NIL))\r\n").unwrap_err();
    assert_eq!(e.offset, 22);
    assert_eq!(e.rules[..3], ["quoted", "env-date", "envelope"]);
    assert_eq!(e.line, "* 1 FETCH (ENVELOPE (\"\\x00\\xe2\" NIL))\\r\\n");
    assert_eq!(e.column, 22);
    assert_eq!(e.found, "\"\\x00\"");
}

#[test]
fn diag_long_line_is_windowed_around_the_offset() {
    let mut frame = b"* SEARCH".to_vec();
    for n in 1..200 {
        frame.extend_from_slice(format!(" {n}").as_bytes());
    }
    frame.extend_from_slice(b" 0\r\n");
    let e = parse_response(&frame).unwrap_err();
    assert_eq!(e.offset, frame.len() - 3);
    assert!(
        e.line.starts_with('…') && e.line.ends_with("0\\r\\n"),
        "{}",
        e.line
    );
    assert_eq!(e.line.chars().nth(e.column), Some('0'));
}

#[test]
fn diag_bad_keyword_and_literal_lies() {
    let e = parse_response(b"A1 MAYBE done\r\n").unwrap_err();
    assert_eq!((e.offset, e.rules[0]), (3, "resp-cond-state"));
    assert_eq!(e.expected, vec!["\"OK\" or \"NO\" or \"BAD\""]);
    let e = parse_response(b"* 1 FETCH (RFC822 {10}\r\nshort)\r\n").unwrap_err();
    assert!(
        e.expected[0].contains("frame ends before the announced length"),
        "{e}"
    );
    assert_eq!(e.offset, 32);
}
