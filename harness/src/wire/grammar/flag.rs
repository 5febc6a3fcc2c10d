//! Flags: `flag`, `flag-fetch`, `flag-perm`, `flag-list`, `flag-keyword`, `flag-extension`.

use super::string::{Bytes, atom};
use super::{GrammarError, PResult, byte, ctx, list_rest};

/// A message flag. System flags are matched case-insensitively (RFC 3501 §9 note 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Flag<'a> {
    Answered,
    Flagged,
    Deleted,
    Seen,
    Draft,
    /// `"\Recent"`, only in `flag-fetch` (and tolerated as its own value elsewhere).
    Recent,
    /// `"\*"`, only in `flag-perm`.
    Wildcard,
    /// `flag-keyword = atom`
    Keyword(Bytes<'a>),
    /// `flag-extension = "\" atom` (the atom, without the backslash)
    Extension(Bytes<'a>),
}

/// Matches the system flags; `name` is the atom after the backslash.
fn system_flag(name: &[u8]) -> Option<Flag<'static>> {
    let flag = match name.len() {
        4 if name.eq_ignore_ascii_case(b"Seen") => Flag::Seen,
        5 if name.eq_ignore_ascii_case(b"Draft") => Flag::Draft,
        6 if name.eq_ignore_ascii_case(b"Recent") => Flag::Recent,
        7 if name.eq_ignore_ascii_case(b"Flagged") => Flag::Flagged,
        7 if name.eq_ignore_ascii_case(b"Deleted") => Flag::Deleted,
        8 if name.eq_ignore_ascii_case(b"Answered") => Flag::Answered,
        _ => return None,
    };
    Some(flag)
}

/// One flag; `\*` only when `wildcard` (flag-perm).
fn any_flag<'a, E: GrammarError<'a>>(i: &'a [u8], wildcard: bool) -> PResult<'a, Flag<'a>, E> {
    match i {
        [b'\\', b'*', rest @ ..] if wildcard => Ok((rest, Flag::Wildcard)),
        [b'\\', rest @ ..] => {
            let (rest, name) = ctx("flag-extension", i, atom(rest))?;
            let flag = system_flag(name).unwrap_or(Flag::Extension(Bytes::borrowed(name)));
            Ok((rest, flag))
        }
        _ => {
            let (rest, name) = ctx("flag-keyword", i, atom(i))?;
            Ok((rest, Flag::Keyword(Bytes::borrowed(name))))
        }
    }
}

/// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
/// flag-extension`
#[inline]
pub fn flag<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Flag<'a>, E> {
    ctx("flag", i, any_flag(i, false))
}

/// `flag-fetch = flag / "\Recent"`
#[inline]
pub fn flag_fetch<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Flag<'a>, E> {
    ctx("flag-fetch", i, any_flag(i, false))
}

/// `flag-perm = flag / "\*"`
#[inline]
pub fn flag_perm<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Flag<'a>, E> {
    ctx("flag-perm", i, any_flag(i, true))
}

/// `flag-list = "(" [flag *(SP flag)] ")"`; also the parenthesised lists of
/// `msg-att-dynamic` (flag-fetch) and `PERMANENTFLAGS` (flag-perm) when `wildcard`.
pub fn flag_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    wildcard: bool,
) -> PResult<'a, Vec<Flag<'a>>, E> {
    ctx("flag-list", i, flag_list_inner(i, wildcard))
}

fn flag_list_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    wildcard: bool,
) -> PResult<'a, Vec<Flag<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, true, Vec::new(), |r| any_flag(r, wildcard))
}
