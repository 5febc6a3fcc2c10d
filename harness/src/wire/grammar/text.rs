//! `tag` and `text`.

use super::chars::{is_tag_char, is_text_char, span};
use super::utf8::utf8_char;
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
/// then reports them where it expected CRLF). IMAP4rev2 adds UTF-8 characters
/// (`super::utf8::with_utf8`).
#[inline]
pub fn text<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    let mut n = span(i, is_text_char);
    while let Some(k) = (i.get(n).is_some_and(|&c| c >= 0x80))
        .then(|| utf8_char(&i[n..]))
        .flatten()
    {
        n += k;
        n += span(&i[n..], is_text_char);
    }
    if n == 0 {
        return fail(i, "text (1*TEXT-CHAR)");
    }
    Ok((&i[n..], &i[..n]))
}
