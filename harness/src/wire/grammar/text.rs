//! `tag` and `text`.

use super::chars::{is_tag_char, is_text_char, span};
use super::{GrammarError, PResult, fail};

/// `tag = 1*<any ASTRING-CHAR except "+">`
#[inline]
pub fn tag<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    let n = span(i, is_tag_char);
    if n == 0 {
        return fail(i, "tag");
    }
    Ok((&i[n..], &i[..n]))
}

/// `text = 1*TEXT-CHAR` ; `TEXT-CHAR = <any CHAR except CR and LF>`
///
/// 7-bit only: CHAR is %x01-7F, so 8-bit bytes and NUL end the text (and the caller
/// then reports them where it expected CRLF).
#[inline]
pub fn text<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    let n = span(i, is_text_char);
    if n == 0 {
        return fail(i, "text (1*TEXT-CHAR)");
    }
    Ok((&i[n..], &i[..n]))
}
