//! Shared primitive rules of the RFC 3501 §9 formal syntax.
//!
//! Every parser is a plain function named after its ABNF rule and generic over the nom
//! error type `E`. The hot path instantiates it with `()` (zero-sized, every error helper
//! compiles to nothing); only a failed frame is parsed again with
//! [`crate::wire::diag::DiagError`], which records what was expected and the rule stack.
//!
//! The parsers work on one complete frame, so there is no `Incomplete`: running out of
//! input is an ordinary error at the end of the frame.

pub mod chars;
pub mod datetime;
pub mod encode;
pub mod flag;
pub mod id;
pub mod mailbox;
pub mod number;
pub mod section;
pub mod sequence;
pub mod string;
pub mod text;
pub(crate) mod utf8;

use nom::error::{ContextError, ErrorKind, ParseError};

pub use datetime::{Date, DateTime, date, date_time};
pub use flag::{Flag, flag, flag_fetch, flag_list, flag_perm};
pub use id::{IdParams, id_params_list};
pub use mailbox::{Mailbox, mailbox};
pub use number::{mod_sequence_value, number, nz_number};
pub use section::{Section, SectionText, section, section_binary, section_part};
pub use sequence::{SeqItem, SeqNumber, SequenceSet, sequence_set, uid_set};
pub use string::{
    Bytes, NString, Sender, astring, astring_from, atom, literal, literal_from, literal8, nstring,
    nstring_from, quoted, string, string_from,
};
pub use text::{tag, text};

/// The error bound of every grammar function: nom's error plus labelled context.
pub trait GrammarError<'a>: ParseError<&'a [u8]> + ContextError<&'a [u8]> {}

impl<'a, E: ParseError<&'a [u8]> + ContextError<&'a [u8]>> GrammarError<'a> for E {}

/// Result of a grammar function: the rest of the frame and the value.
pub type PResult<'a, T, E> = nom::IResult<&'a [u8], T, E>;

/// Fails at `i`, saying that `expected` (a token such as `"SP"` or a rule name) was
/// expected there.
///
/// `ErrorKind::Tag` marks the error as carrying its own "expected" label, so the
/// diagnosing error type can tell it apart from the rule labels added by [`ctx`].
#[inline]
pub fn fail<'a, T, E: GrammarError<'a>>(i: &'a [u8], expected: &'static str) -> PResult<'a, T, E> {
    Err(nom::Err::Error(E::add_context(
        i,
        expected,
        E::from_error_kind(i, ErrorKind::Tag),
    )))
}

/// Labels a failure of the rule `rule`, which started at `start`, for the rule stack.
#[inline(always)]
pub fn ctx<'a, T, E: GrammarError<'a>>(
    rule: &'static str,
    start: &'a [u8],
    result: PResult<'a, T, E>,
) -> PResult<'a, T, E> {
    match result {
        Err(nom::Err::Error(e)) => Err(nom::Err::Error(E::add_context(start, rule, e))),
        Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(E::add_context(start, rule, e))),
        other => other,
    }
}

/// `SP = %x20`: exactly one space (RFC 3501 §9 note 2).
#[inline]
pub fn sp<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, (), E> {
    byte(i, b' ', "SP")
}

/// `CRLF = %x0D %x0A`
#[inline]
pub fn crlf<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, (), E> {
    match i {
        [b'\r', b'\n', rest @ ..] => Ok((rest, ())),
        _ => fail(i, "CRLF"),
    }
}

/// One literal byte, e.g. `"("`; `label` names it in diagnostics.
#[inline]
pub fn byte<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    b: u8,
    label: &'static str,
) -> PResult<'a, (), E> {
    match i.split_first() {
        Some((&c, rest)) if c == b => Ok((rest, ())),
        _ => fail(i, label),
    }
}

/// A case-insensitive literal token (RFC 3501 §9 note 1); `token` is upper case.
#[inline]
pub fn keyword<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    token: &'static [u8],
    label: &'static str,
) -> PResult<'a, (), E> {
    match i.get(..token.len()) {
        Some(head) if head.eq_ignore_ascii_case(token) => Ok((&i[token.len()..], ())),
        _ => fail(i, label),
    }
}

/// The rest after one SP if `i` starts with SP: lets an optional `[SP x]` commit to `x`
/// as soon as the SP is seen, so a broken `x` is reported where it breaks (instead of
/// the optional part being silently skipped and the error surfacing one byte later).
#[inline]
pub fn after_sp(i: &[u8]) -> Option<&[u8]> {
    match i {
        [b' ', rest @ ..] => Some(rest),
        _ => None,
    }
}

/// `item *(SP item) ")"`: the rest of a parenthesised list, after the `"("` that the caller
/// takes with its own label (some lists may be NIL instead). With `allow_empty`, a `")"` at
/// once ends an empty list. `items` is the list to fill: hot callers pass one with room.
#[inline]
pub fn list_rest<'a, T, E: GrammarError<'a>>(
    i: &'a [u8],
    allow_empty: bool,
    mut items: Vec<T>,
    mut item: impl FnMut(&'a [u8]) -> PResult<'a, T, E>,
) -> PResult<'a, Vec<T>, E> {
    if allow_empty && let Some(after) = i.strip_prefix(b")") {
        return Ok((after, items));
    }
    let mut r = i;
    loop {
        let (next, value) = item(r)?;
        items.push(value);
        match next.split_first() {
            Some((b' ', after)) => r = after,
            Some((b')', after)) => return Ok((after, items)),
            _ => return fail(next, "SP or \")\""),
        }
    }
}

/// `nil = "NIL"`, tested without consuming.
#[inline]
pub fn is_nil(i: &[u8]) -> bool {
    matches!(i, [b'N' | b'n', b'I' | b'i', b'L' | b'l', ..])
        && !i.get(3).is_some_and(|&c| chars::is_atom_char(c))
}

/// `nil = "NIL"`
#[inline]
pub fn nil<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, (), E> {
    if is_nil(i) {
        Ok((&i[3..], ()))
    } else {
        fail(i, "nil")
    }
}

/// Upper-cased copy of a short atom, for matching keywords with `match`.
///
/// Atoms longer than the buffer are never keywords, so they map to the empty key.
#[derive(Clone, Copy)]
pub struct Key {
    buf: [u8; 24],
    len: usize,
}

impl Key {
    #[inline]
    pub fn new(atom: &[u8]) -> Self {
        let mut buf = [0u8; 24];
        let len = if atom.len() <= buf.len() {
            atom.len()
        } else {
            0
        };
        for (d, s) in buf.iter_mut().zip(&atom[..len]) {
            *d = s.to_ascii_uppercase();
        }
        Key { buf, len }
    }

    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

#[cfg(test)]
mod tests;
