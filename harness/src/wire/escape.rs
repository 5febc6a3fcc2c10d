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

/// Inverse of [`escape_bytes`]: the bytes a quoted escaped string stands for; `None` when it
/// is not the output of [`escape_bytes`] (missing quotes, unknown escape, bad hex).
pub fn unescape_bytes(text: &str) -> Option<Vec<u8>> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?.as_bytes();
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let esc = *inner.get(i)?;
        i += 1;
        out.push(match esc {
            b'r' => b'\r',
            b'n' => b'\n',
            b't' => b'\t',
            b'\\' | b'"' => esc,
            b'x' => {
                let hex = std::str::from_utf8(inner.get(i..i + 2)?).ok()?;
                i += 2;
                u8::from_str_radix(hex, 16).ok()?
            }
            _ => return None,
        });
    }
    Some(out)
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

    #[test]
    fn unescape_inverts_escape_for_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(unescape_bytes(&escape_bytes(&all)), Some(all));
        assert_eq!(unescape_bytes(r#""\q""#), None);
        assert_eq!(unescape_bytes(r#""\x4""#), None);
        assert_eq!(unescape_bytes("no quotes"), None);
    }
}
