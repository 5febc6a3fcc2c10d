//! Physical lines to logical lines: comments and blank lines dropped, the header separated
//! from the body by the first blank line, and `{{{ … }}}` blocks folded into literals.
//!
//! A line ending in `{{{` (or `~{{{` for a literal8) starts a block; a line starting with
//! `}}}` ends it and the rest of that line continues the logical line (and may open another
//! block). Block lines are joined with CRLF (LF for `~{{{`, whose bytes are kept exactly) and
//! the line break before `}}}` is not part of the data — imaptest's rules, so its scripts'
//! expected bodies mean the same bytes here. imapgate adds `{{{+`: the same block sent as a
//! non-synchronising literal (`{n+}`, RFC 7888 LITERAL+).

/// One logical line and where it started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: Vec<u8>,
    pub header: bool,
}

/// Where a block was left open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnclosedBlock {
    pub line: usize,
}

/// An open `{{{` block being collected.
struct Block {
    /// The logical line so far, without the block's data.
    prefix: Vec<u8>,
    data: Vec<u8>,
    binary: bool,
    /// `{{{+`: a non-synchronising literal.
    nonsync: bool,
    start_line: usize,
}

pub fn logical_lines(text: &[u8]) -> Result<Vec<Line>, UnclosedBlock> {
    let mut out = Vec::new();
    let mut header = true;
    let mut block: Option<Block> = None;
    for (i, raw) in physical_lines(text).enumerate() {
        let number = i + 1;
        if let Some(mut b) = block.take() {
            if !raw.starts_with(b"}}}") {
                b.data.extend_from_slice(raw);
                b.data
                    .extend_from_slice(if b.binary { b"\n" } else { b"\r\n" });
                block = Some(b);
                continue;
            }
            // The line break before `}}}` is not data.
            let cut = b.data.len() - if b.binary { 1 } else { 2 }.min(b.data.len());
            b.data.truncate(cut);
            let mut joined = b.prefix;
            joined.extend_from_slice(if b.binary { b"~{" } else { b"{" });
            let plus = if b.nonsync { "+" } else { "" };
            joined.extend_from_slice(format!("{}{plus}}}\r\n", b.data.len()).as_bytes());
            joined.extend_from_slice(&b.data);
            let rest = strip_cr(&raw[3..]);
            match open_block(&joined, rest, b.start_line) {
                Some(next) => block = Some(next),
                None => {
                    joined.extend_from_slice(rest);
                    out.push(Line {
                        number: b.start_line,
                        text: joined,
                        header,
                    });
                }
            }
            continue;
        }
        let line = strip_cr(raw);
        if line.is_empty() {
            header = false;
            continue;
        }
        if line.starts_with(b"#") {
            continue;
        }
        match open_block(&[], line, number) {
            Some(b) => block = Some(b),
            None => out.push(Line {
                number,
                text: line.to_vec(),
                header,
            }),
        }
    }
    match block {
        Some(b) => Err(UnclosedBlock { line: b.start_line }),
        None => Ok(out),
    }
}

/// If `line` ends with `{{{` / `~{{{` / `{{{+`: the block it opens, after `before`.
fn open_block(before: &[u8], line: &[u8], start_line: usize) -> Option<Block> {
    let (line, nonsync) = match line.strip_suffix(b"{{{+") {
        Some(l) => (l, true),
        None => (line, false),
    };
    let head = match nonsync {
        true => line,
        false => line.strip_suffix(b"{{{")?,
    };
    let (head, binary) = match head.strip_suffix(b"~") {
        Some(h) => (h, true),
        None => (head, false),
    };
    let mut prefix = before.to_vec();
    prefix.extend_from_slice(head);
    Some(Block {
        prefix,
        data: Vec::new(),
        binary,
        nonsync,
        start_line,
    })
}

fn physical_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    text.split(|&b| b == b'\n')
}

/// Outside blocks a CR before the LF is a line ending, not content.
fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(usize, String, bool)> {
        logical_lines(src.as_bytes())
            .unwrap()
            .into_iter()
            .map(|l| (l.number, String::from_utf8(l.text).unwrap(), l.header))
            .collect()
    }

    #[test]
    fn header_body_comments_and_blank_lines() {
        assert_eq!(
            texts("state: auth\n# c\n\nok noop\n\n# x\nok check\n"),
            vec![
                (1, "state: auth".into(), true),
                (4, "ok noop".into(), false),
                (7, "ok check".into(), false)
            ]
        );
    }

    #[test]
    fn blocks_become_literals_without_the_last_line_break() {
        let got = texts("\nok append $mailbox {{{\nA: b\n\nbody\n}}} {{{\nx\n}}}\nok noop\n");
        assert_eq!(
            got[0],
            (
                2,
                "ok append $mailbox {12}\r\nA: b\r\n\r\nbody {1}\r\nx".into(),
                false
            )
        );
        assert_eq!(got[1].0, 9);
    }

    #[test]
    fn binary_blocks_keep_bytes_and_join_with_lf() {
        let got = logical_lines(b"\nx ~{{{\na\r\n\x00\n}}})\n").unwrap();
        assert_eq!(got[0].text, b"x ~{4}\r\na\r\n\x00)".to_vec());
    }

    #[test]
    fn unclosed_block_names_its_line() {
        assert_eq!(
            logical_lines(b"\nok x\nok y {{{\nabc\n"),
            Err(UnclosedBlock { line: 3 })
        );
    }

    #[test]
    fn a_plus_block_is_a_non_synchronising_literal() {
        let lines = logical_lines(b"\nok append x {{{+\nab\n}}}\n").unwrap();
        assert_eq!(lines[0].text, b"ok append x {2+}\r\nab");
    }
}
