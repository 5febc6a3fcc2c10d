//! A generic IMAP argument tree, the common shape of expected patterns in scripts and of the
//! responses servers send. Matching compares these trees (imaptest compares `imap_arg`s the
//! same way), so the typed response AST is not needed here: patterns contain variables,
//! directives and extension replies that no typed grammar knows.
//!
//! The tokenizer is deliberately lenient — it never fails on server input: human-readable
//! text after a status response (`OK [READ-WRITE] Done :)`) must still yield a prefix to match.

use std::fmt;

use crate::wire::escape::push_escaped;

/// One argument.
#[derive(Clone, PartialEq, Eq)]
pub enum Arg {
    Nil,
    Atom(Vec<u8>),
    /// A quoted string, unescaped.
    Quoted(Vec<u8>),
    /// A literal's content (`{n}` or `~{n}`).
    Literal(Vec<u8>),
    List(Vec<Arg>),
}

impl Arg {
    /// The text of an atom, quoted string or literal: IMAP's `astring`, which matching treats
    /// alike (a literal and a quoted string with the same content are equivalent).
    pub fn astring(&self) -> Option<&[u8]> {
        match self {
            Arg::Atom(s) | Arg::Quoted(s) | Arg::Literal(s) => Some(s),
            Arg::Nil | Arg::List(_) => None,
        }
    }

    pub fn atom(&self) -> Option<&[u8]> {
        match self {
            Arg::Atom(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_atom(&self, word: &str) -> bool {
        self.atom()
            .is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()))
    }
}

impl fmt::Debug for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(std::slice::from_ref(self)))
    }
}

/// Arguments as IMAP-like text, for messages (literals shown as quoted escaped strings).
pub fn render(args: &[Arg]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        render_one(&mut out, arg);
    }
    out
}

fn render_one(out: &mut String, arg: &Arg) {
    match arg {
        Arg::Nil => out.push_str("NIL"),
        Arg::Atom(a) => a.iter().for_each(|&b| push_text(out, b)),
        Arg::Quoted(s) | Arg::Literal(s) => {
            out.push('"');
            s.iter().for_each(|&b| push_escaped(out, b));
            out.push('"');
        }
        Arg::List(items) => {
            out.push('(');
            out.push_str(&render(items));
            out.push(')');
        }
    }
}

fn push_text(out: &mut String, b: u8) {
    if b.is_ascii_graphic() {
        out.push(char::from(b));
    } else {
        push_escaped(out, b);
    }
}

/// Tokenize one line (with inline literals: `{n}\r\n` followed by n bytes) into arguments.
/// A trailing CRLF is ignored; an unbalanced `)` at top level is part of an atom and an
/// unclosed list ends at the end of the input.
pub fn tokenize(input: &[u8]) -> Vec<Arg> {
    let input = input.strip_suffix(b"\r\n").unwrap_or(input);
    let mut t = Tokenizer { input, pos: 0 };
    t.list(0)
}

struct Tokenizer<'a> {
    input: &'a [u8],
    pos: usize,
}

impl Tokenizer<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Arguments until `)` (when `depth > 0`) or the end.
    fn list(&mut self, depth: usize) -> Vec<Arg> {
        let mut args = Vec::new();
        loop {
            while matches!(self.peek(), Some(b' ' | b'\r' | b'\n')) {
                self.pos += 1;
            }
            match self.peek() {
                None => return args,
                Some(b')') if depth > 0 => {
                    self.pos += 1;
                    return args;
                }
                Some(b'(') => {
                    self.pos += 1;
                    args.push(Arg::List(self.list(depth + 1)));
                }
                Some(b'"') => args.push(self.quoted()),
                Some(b'{' | b'~') => match self.literal() {
                    Some(lit) => args.push(lit),
                    None => args.push(self.atom(depth)),
                },
                Some(_) => args.push(self.atom(depth)),
            }
        }
    }

    /// An atom ends at a space, a line break or (inside a list) `)`. Anything else — `{`,
    /// `[`, `]`, `$`, `"` — belongs to it, as in imaptest's script parser (`${sep}`).
    fn atom(&mut self, depth: usize) -> Arg {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b' ' || b == b'\r' || b == b'\n' || (b == b')' && depth > 0) {
                break;
            }
            if b == b'(' && self.pos > start {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            // A lone character no rule consumes: keep it, never loop.
            self.pos += 1;
        }
        let text = self.input[start..self.pos].to_vec();
        if text.eq_ignore_ascii_case(b"NIL") {
            Arg::Nil
        } else {
            Arg::Atom(text)
        }
    }

    fn quoted(&mut self) -> Arg {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(next) = self.peek() {
                        out.push(next);
                        self.pos += 1;
                    }
                }
                _ => out.push(b),
            }
        }
        Arg::Quoted(out)
    }

    /// `{n}\r\n`, `{n+}\r\n` or `~{n}\r\n` and n bytes; `None` (position unchanged) when the
    /// text is not a literal header, so it is read as an atom instead.
    fn literal(&mut self) -> Option<Arg> {
        let (len, header_end) = literal_header(self.input, self.pos)?;
        let end = header_end.checked_add(len)?;
        let data = self.input.get(header_end..end.min(self.input.len()))?;
        self.pos = end.min(self.input.len());
        Some(Arg::Literal(data.to_vec()))
    }
}

/// If a literal header (`{n}`, `{n+}`, `~{n}`, followed by CRLF) starts at `at`: its length
/// and the offset of its first data byte.
pub fn literal_header(input: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if input.get(i) == Some(&b'~') {
        i += 1;
    }
    if input.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let digits_start = i;
    while input.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == digits_start || i - digits_start > 19 {
        return None;
    }
    let len: usize = std::str::from_utf8(&input[digits_start..i])
        .ok()?
        .parse()
        .ok()?;
    if input.get(i) == Some(&b'+') {
        i += 1;
    }
    if input.get(i..i + 3) != Some(b"}\r\n") {
        return None;
    }
    Some((len, i + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(s: &str) -> Arg {
        Arg::Atom(s.as_bytes().to_vec())
    }

    #[test]
    fn atoms_lists_strings_literals_and_nil() {
        let args =
            tokenize(b"* 1 FETCH (FLAGS (\\Seen) BODY[] {5}\r\nhello UID 4 X nil \"a\\\"b\")\r\n");
        assert_eq!(
            args,
            vec![
                atom("*"),
                atom("1"),
                atom("FETCH"),
                Arg::List(vec![
                    atom("FLAGS"),
                    Arg::List(vec![atom("\\Seen")]),
                    atom("BODY[]"),
                    Arg::Literal(b"hello".to_vec()),
                    atom("UID"),
                    atom("4"),
                    atom("X"),
                    Arg::Nil,
                    Arg::Quoted(b"a\"b".to_vec()),
                ]),
            ]
        );
    }

    #[test]
    fn variables_with_braces_stay_in_the_atom() {
        assert_eq!(
            tokenize(b"list () $sep $mailbox${sep}test"),
            vec![
                atom("list"),
                Arg::List(vec![]),
                atom("$sep"),
                atom("$mailbox${sep}test")
            ]
        );
    }

    #[test]
    fn section_lists_and_text_never_fail() {
        let args = tokenize(b"OK [PERMANENTFLAGS (\\Deleted \\*)] Done :) (unclosed");
        assert_eq!(args[1], atom("[PERMANENTFLAGS"));
        assert_eq!(args[3], atom("]"));
        assert_eq!(args[5], atom(":)"));
        assert_eq!(args[6], Arg::List(vec![atom("unclosed")]));
    }

    #[test]
    fn literal8_and_nonsync() {
        assert_eq!(
            tokenize(b"a ~{2}\r\n\x00b {1+}\r\nc"),
            vec![
                atom("a"),
                Arg::Literal(b"\x00b".to_vec()),
                Arg::Literal(b"c".to_vec())
            ]
        );
    }
}
