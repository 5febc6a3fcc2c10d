//! Showing raw protocol bytes to people: printable ASCII as is, everything else escaped.

use std::fmt::Write;

/// `bytes` as a double-quoted string with `\r`, `\n`, `\t`, `\\`, `\"` and `\xNN` escapes,
/// so that a report shows exactly what was on the wire, NULs and 8-bit bytes included.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        push_escaped(&mut out, b);
    }
    out.push('"');
    out
}

/// Append the escaped form of one byte (no surrounding quotes).
pub fn push_escaped(out: &mut String, b: u8) {
    match b {
        b'\r' => out.push_str("\\r"),
        b'\n' => out.push_str("\\n"),
        b'\t' => out.push_str("\\t"),
        b'\\' => out.push_str("\\\\"),
        b'"' => out.push_str("\\\""),
        0x20..=0x7e => out.push(char::from(b)),
        _ => {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_quotes_and_8bit() {
        assert_eq!(
            escape_bytes(b"a\"b\\\r\n\t\x00\xe2 z"),
            r#""a\"b\\\r\n\t\x00\xe2 z""#
        );
    }
}
