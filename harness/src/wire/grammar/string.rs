//! Strings: `atom`, `quoted`, `literal`, `literal8`, `string`, `astring`, `nstring`.

use std::borrow::Cow;
use std::fmt;

use memchr::memchr;

use super::chars::{is_astring_char, is_atom_char, is_quoted_char, quoted_span, span};
use super::number::number;
use super::utf8::{utf8_char, utf8_in_force};
use super::{GrammarError, PResult, byte, crlf, ctx, fail, is_nil};

/// Bytes of an atom or string as the grammar delivers them: borrowed from the frame
/// unless unescaping a quoted string forced a copy. Equality is on the value, not on
/// the wire form (quoted vs literal), which is what a round trip preserves.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Bytes<'a>(pub Cow<'a, [u8]>);

/// `nstring = string / nil`
pub type NString<'a> = Option<Bytes<'a>>;

impl<'a> Bytes<'a> {
    #[inline]
    pub fn borrowed(b: &'a [u8]) -> Self {
        Bytes(Cow::Borrowed(b))
    }

    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_owned(self) -> Bytes<'static> {
        Bytes(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> From<&'a [u8]> for Bytes<'a> {
    fn from(b: &'a [u8]) -> Self {
        Bytes::borrowed(b)
    }
}

impl<'a> From<&'a str> for Bytes<'a> {
    fn from(s: &'a str) -> Self {
        Bytes::borrowed(s.as_bytes())
    }
}

impl From<Vec<u8>> for Bytes<'static> {
    fn from(v: Vec<u8>) -> Self {
        Bytes(Cow::Owned(v))
    }
}

impl fmt::Debug for Bytes<'_> {
    // Protocol bytes read best as escaped text, not as a list of numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// `atom = 1*ATOM-CHAR`
#[inline]
pub fn atom<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    let n = span(i, is_atom_char);
    if n == 0 {
        return fail(i, "atom");
    }
    Ok((&i[n..], &i[..n]))
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE` ; `QUOTED-CHAR = <any TEXT-CHAR except
/// quoted-specials> / "\" quoted-specials`
///
/// Borrowed unless the string holds escapes. 8-bit bytes are an error: quoted strings
/// are 7-bit (use a literal for anything else).
pub fn quoted<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    let (body, ()) = byte(i, b'"', "DQUOTE")?;
    let n = quoted_span(body);
    match body.get(n) {
        Some(b'"') => Ok((&body[n + 1..], Bytes::borrowed(&body[..n]))),
        Some(b'\\') => quoted_escaped(body, n),
        Some(0x80..) if utf8_in_force() => quoted_escaped(body, n),
        _ => ctx("quoted", i, fail(&body[n..], "QUOTED-CHAR or DQUOTE")),
    }
}

/// The slow half of [`quoted`]: copies the value while removing escapes.
fn quoted_escaped<'a, E: GrammarError<'a>>(
    body: &'a [u8],
    clean: usize,
) -> PResult<'a, Bytes<'a>, E> {
    let mut value = body[..clean].to_vec();
    let mut pos = clean;
    loop {
        match body.get(pos) {
            Some(b'"') => return Ok((&body[pos + 1..], Bytes(Cow::Owned(value)))),
            Some(b'\\') => match body.get(pos + 1) {
                Some(&c @ (b'"' | b'\\')) => {
                    value.push(c);
                    pos += 2;
                }
                _ => return fail(&body[pos + 1..], "quoted-specials after \"\\\""),
            },
            Some(&c) if is_quoted_char(c) => {
                value.push(c);
                pos += 1;
            }
            Some(0x80..) if let Some(n) = utf8_char(&body[pos..]) => {
                value.extend_from_slice(&body[pos..pos + n]);
                pos += n;
            }
            _ => return fail(&body[pos..], "QUOTED-CHAR or DQUOTE"),
        }
    }
}

/// Who sent the bytes, which decides the literal forms a string may take: a server sends
/// only synchronising literals (`{n}`); a client may also send the non-synchronising
/// `{n+}` of LITERAL+ / LITERAL- (RFC 7888).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Server,
    Client,
}

/// `"{" number ["+"] "}" CRLF`, the announced length of a literal; `i` starts at `{`. The
/// `+` is accepted only from a client.
fn literal_len<'a, E: GrammarError<'a>>(i: &'a [u8], sender: Sender) -> PResult<'a, usize, E> {
    let (i, ()) = byte(i, b'{', "\"{\"")?;
    let (mut i, n) = number(i)?;
    if sender == Sender::Client {
        i = i.strip_prefix(b"+").unwrap_or(i);
    }
    let (i, ()) = byte(i, b'}', "\"}\"")?;
    let (i, ()) = crlf(i)?;
    Ok((i, n as usize))
}

/// Splits the `n` literal bytes off `i`.
fn literal_body<'a, E: GrammarError<'a>>(i: &'a [u8], n: usize) -> PResult<'a, &'a [u8], E> {
    match i.get(..n) {
        Some(data) => Ok((&i[n..], data)),
        None => fail(
            &i[i.len()..],
            "literal octets (frame ends before the announced length)",
        ),
    }
}

/// `literal = "{" number "}" CRLF *CHAR8` ; `CHAR8 = %x01-ff`
#[inline]
pub fn literal<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    literal_from(i, Sender::Server)
}

/// `literal = "{" number ["+"] "}" CRLF *CHAR8`, the `+` (RFC 7888) only from a client.
pub fn literal_from<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, &'a [u8], E> {
    let (rest, n) = ctx("literal", i, literal_len(i, sender))?;
    let (rest, data) = ctx("literal", i, literal_body(rest, n))?;
    if let Some(nul) = memchr(0, data) {
        return ctx(
            "literal",
            i,
            fail(&data[nul..], "CHAR8 (NUL is not allowed)"),
        );
    }
    Ok((rest, data))
}

/// `literal8 = "~{" number "}" CRLF *OCTET` (RFC 3516 §4.2; NUL allowed)
pub fn literal8<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, &'a [u8], E> {
    let (rest, ()) = byte(i, b'~', "\"~\"")?;
    let (rest, n) = ctx("literal8", i, literal_len(rest, Sender::Server))?;
    ctx("literal8", i, literal_body(rest, n))
}

/// `string = quoted / literal`
#[inline]
pub fn string<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    string_from(i, Sender::Server)
}

/// `string = quoted / literal`, with the literal forms `sender` may use.
#[inline]
pub fn string_from<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Bytes<'a>, E> {
    match i.first() {
        Some(b'"') => quoted(i),
        Some(b'{') => literal_from(i, sender).map(|(r, d)| (r, Bytes::borrowed(d))),
        _ => fail(i, "string (quoted or literal)"),
    }
}

/// `nstring = string / nil`
#[inline]
pub fn nstring<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, NString<'a>, E> {
    nstring_from(i, Sender::Server)
}

/// `nstring = string / nil`, with the literal forms `sender` may use.
#[inline]
pub fn nstring_from<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, NString<'a>, E> {
    match i.first() {
        Some(b'"') => quoted(i).map(|(r, s)| (r, Some(s))),
        Some(b'{') => literal_from(i, sender).map(|(r, d)| (r, Some(Bytes::borrowed(d)))),
        _ if is_nil(i) => Ok((&i[3..], None)),
        _ => fail(i, "nstring (quoted, literal or NIL)"),
    }
}

/// `astring = 1*ASTRING-CHAR / string`
#[inline]
pub fn astring<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    astring_from(i, Sender::Server)
}

/// `astring = 1*ASTRING-CHAR / string`, with the literal forms `sender` may use.
#[inline]
pub fn astring_from<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Bytes<'a>, E> {
    match i.first() {
        Some(b'"' | b'{') => string_from(i, sender),
        _ => {
            let n = span(i, is_astring_char);
            if n == 0 {
                return fail(i, "astring");
            }
            Ok((&i[n..], Bytes::borrowed(&i[..n])))
        }
    }
}
