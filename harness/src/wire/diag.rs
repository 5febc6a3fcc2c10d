//! Located diagnostics for responses that do not parse.
//!
//! The hot path parses with `()` as the nom error and learns only "it failed". The
//! failed frame is then parsed again with [`DiagError`], which keeps the *furthest*
//! failure position, what was expected there and the stack of ABNF rules that were open,
//! and [`ParseError`] renders that for a server vendor:
//!
//! ```text
//! expected nz-number (digit-nz *DIGIT) at byte 16, found "0"
//!   rule: nz-number < uniqueid < msg-att < message-data < response-data
//!   | * 1 FETCH (UID 0)\r\n
//!   |                ^
//! ```

use std::fmt;

use nom::error::{ContextError, ErrorKind, ParseError as NomParseError};

use super::grammar::{PResult, fail};

/// Parses one complete frame with `rule`: first with the zero-cost error, and only if
/// that fails, again with [`DiagError`] to say where and why. Bytes left after the rule
/// are an error ("end of frame" expected).
///
/// `rule` is the same generic grammar function instantiated twice, e.g.
/// `parse_complete(frame, response::<()>, response::<DiagError>)`.
pub fn parse_complete<'a, T>(
    frame: &'a [u8],
    fast: fn(&'a [u8]) -> PResult<'a, T, ()>,
    slow: fn(&'a [u8]) -> PResult<'a, T, DiagError>,
) -> Result<T, ParseError> {
    if let Ok(([], value)) = fast(frame) {
        return Ok(value);
    }
    Err(diagnose(frame, slow))
}

/// Runs the diagnosing parse of a frame known to be bad.
#[cold]
fn diagnose<'a, T>(frame: &'a [u8], slow: fn(&'a [u8]) -> PResult<'a, T, DiagError>) -> ParseError {
    let failure = match slow(frame) {
        Ok(([], _)) => return ParseError::inconsistent(frame),
        Ok((rest, _)) => fail::<(), DiagError>(rest, "end of frame (nothing after the final CRLF)"),
        Err(e) => Err(e),
    };
    match failure {
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => ParseError::from_diag(frame, e),
        _ => ParseError::inconsistent(frame),
    }
}

/// The diagnosing nom error type (slow path only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagError {
    /// Bytes of the frame left at the failure; the offset is `frame.len() - rest`.
    rest: usize,
    /// What would have been accepted at the failure (several after a tie in `or`).
    expected: Vec<&'static str>,
    /// Rules that were open at the failure, innermost first.
    rules: Vec<&'static str>,
    /// Set by [`crate::wire::grammar::fail`]: the next label says what was expected.
    awaiting_expected: bool,
}

impl<'a> NomParseError<&'a [u8]> for DiagError {
    fn from_error_kind(input: &'a [u8], kind: ErrorKind) -> Self {
        DiagError {
            rest: input.len(),
            expected: Vec::new(),
            rules: Vec::new(),
            awaiting_expected: kind == ErrorKind::Tag,
        }
    }

    fn append(_input: &'a [u8], _kind: ErrorKind, other: Self) -> Self {
        // nom's own combinator kinds add nothing a vendor can act on; the labels do.
        other
    }

    fn or(mut self, other: Self) -> Self {
        // Keep the branch that got furthest: it is the one the server most likely meant.
        match self.rest.cmp(&other.rest) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal => {
                for e in other.expected {
                    if !self.expected.contains(&e) {
                        self.expected.push(e);
                    }
                }
                self
            }
        }
    }
}

impl<'a> ContextError<&'a [u8]> for DiagError {
    fn add_context(_input: &'a [u8], label: &'static str, mut other: Self) -> Self {
        if other.awaiting_expected {
            other.expected.push(label);
            other.awaiting_expected = false;
        } else if other.rules.last() != Some(&label) {
            other.rules.push(label);
        }
        other
    }
}

/// Why a response frame does not match the grammar, located to the byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the failure in the frame.
    pub offset: usize,
    /// ABNF rules open at the failure, innermost first.
    pub rules: Vec<&'static str>,
    /// What the grammar accepts at `offset` (a rule name or a quoted token).
    pub expected: Vec<&'static str>,
    /// The bytes found at `offset`, escaped (`end of frame` when none are left).
    pub found: String,
    /// The frame line holding `offset`, non-printable bytes escaped.
    pub line: String,
    /// Column of `offset` in `line`, in characters.
    pub column: usize,
}

impl std::error::Error for ParseError {}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = if self.expected.is_empty() {
            "valid syntax".to_string()
        } else {
            self.expected.join(" or ")
        };
        write!(
            f,
            "expected {expected} at byte {}, found {}",
            self.offset, self.found
        )?;
        if !self.rules.is_empty() {
            write!(f, "\n  rule: {}", self.rules.join(" < "))?;
        }
        write!(
            f,
            "\n  | {}\n  | {:>width$}",
            self.line,
            "^",
            width = self.column + 1
        )
    }
}

impl ParseError {
    /// Builds the report for `frame` from the diagnosing parse's error.
    pub(crate) fn from_diag(frame: &[u8], e: DiagError) -> Self {
        let offset = frame.len().saturating_sub(e.rest);
        let (line, column) = excerpt(frame, offset);
        ParseError {
            offset,
            rules: e.rules,
            expected: e.expected,
            found: found_at(frame, offset),
            line,
            column,
        }
    }

    /// The frame failed the fast parse but passed the diagnosing one: both are the same
    /// generic code, so this is our bug, reported as such rather than hidden.
    pub(crate) fn inconsistent(frame: &[u8]) -> Self {
        let (line, column) = excerpt(frame, 0);
        ParseError {
            offset: 0,
            rules: vec!["response"],
            expected: vec!["(internal) fast and diagnosing parsers disagree"],
            found: found_at(frame, 0),
            line,
            column,
        }
    }
}

/// Longest excerpt of a line shown on each side of the offset, in bytes.
const WINDOW: usize = 60;

/// Escapes one byte for display; printable ASCII stays as it is.
fn escape(out: &mut String, b: u8) {
    match b {
        b'\r' => out.push_str("\\r"),
        b'\n' => out.push_str("\\n"),
        b'\t' => out.push_str("\\t"),
        0x20..=0x7e => out.push(char::from(b)),
        _ => out.push_str(&format!("\\x{b:02x}")),
    }
}

/// The line of `frame` around `offset` (escaped, windowed) and the caret column.
fn excerpt(frame: &[u8], offset: usize) -> (String, usize) {
    let at = offset.min(frame.len());
    let line_start = frame[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line_end = frame[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(frame.len(), |p| at + p + 1);
    let start = line_start.max(at.saturating_sub(WINDOW));
    let end = line_end.min(at + WINDOW);
    let mut line = String::new();
    if start > line_start {
        line.push('…');
    }
    let mut column = 0;
    for (pos, &b) in frame[start..end].iter().enumerate() {
        if start + pos == at {
            column = line.chars().count();
        }
        escape(&mut line, b);
    }
    if at >= end {
        column = line.chars().count();
    }
    if end < line_end {
        line.push('…');
    }
    (line, column)
}

/// The token at `offset`: one special byte, or a run of ordinary ones.
fn found_at(frame: &[u8], offset: usize) -> String {
    let rest = frame.get(offset..).unwrap_or_default();
    if rest.is_empty() {
        return "end of frame".to_string();
    }
    let special = |b: u8| b" ()[]{}\"\r\n<>".contains(&b) || !(0x21..=0x7e).contains(&b);
    let n = if special(rest[0]) {
        if rest.starts_with(b"\r\n") { 2 } else { 1 }
    } else {
        rest.iter().take(24).take_while(|&&b| !special(b)).count()
    };
    let mut out = String::from("\"");
    for &b in &rest[..n] {
        escape(&mut out, b);
    }
    out.push('"');
    out
}
