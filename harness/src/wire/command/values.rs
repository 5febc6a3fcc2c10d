//! Validated string-like values of the command grammar (RFC 3501 §9): tags, atoms, astrings,
//! strings, literal data and charsets. Fields are private; the only way in is a constructor
//! that checks the bytes, so a `Command` built from these values is valid by construction.

use std::fmt;

use super::error::ValueError;
use crate::wire::grammar::chars::{is_astring_char, is_atom_char};
use crate::wire::grammar::encode::is_bare;

/// `tag = 1*<any ASTRING-CHAR except "+">`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag(String);

impl Tag {
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check_non_empty(text.as_bytes(), "tag")?;
        check_each(text.as_bytes(), "tag", |b| is_astring_char(b) && b != b'+')?;
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `atom = 1*ATOM-CHAR`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Atom(String);

impl Atom {
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check_non_empty(text.as_bytes(), "atom")?;
        check_each(text.as_bytes(), "atom", is_atom_char)?;
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `astring = 1*ASTRING-CHAR / string`: any bytes but NUL (`CHAR8` of a literal). The encoder
/// picks atom, quoted or literal form; the value does not remember how it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AString(Vec<u8>);

impl AString {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes = bytes.into();
        check_no_nul(&bytes, "astring")?;
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// True when the bytes can be sent bare, as `1*ASTRING-CHAR`.
    pub fn is_bare(&self) -> bool {
        is_bare(&self.0, is_astring_char)
    }
}

/// `string = quoted / literal`: like [`AString`] but never sent as an atom (needed where the
/// grammar says `string` or `nstring`, e.g. ID parameters, where a bare `NIL` would change
/// the meaning).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IString(Vec<u8>);

impl IString {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes = bytes.into();
        check_no_nul(&bytes, "string")?;
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The octets of a `literal` (`*CHAR8`): anything but NUL. APPEND's message lives here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LiteralData(Vec<u8>);

impl LiteralData {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes = bytes.into();
        check_no_nul(&bytes, "literal")?;
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A charset name for `SEARCH CHARSET` (an `astring` on the wire). Restricted to printable
/// ASCII because IANA charset names are, and a server must be able to echo it in
/// `[BADCHARSET]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Charset(String);

impl Charset {
    pub fn new(name: impl Into<String>) -> Result<Self, ValueError> {
        let name = name.into();
        check_non_empty(name.as_bytes(), "charset")?;
        check_each(name.as_bytes(), "charset", |b| (0x20..0x7f).contains(&b))?;
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A list that holds at least one element (the ABNF's `x *(SP x)`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    pub fn new(items: Vec<T>) -> Result<Self, ValueError> {
        if items.is_empty() {
            return Err(ValueError::Empty { what: "list" });
        }
        Ok(Self(items))
    }

    pub fn one(item: T) -> Self {
        Self(vec![item])
    }

    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    pub fn first(&self) -> &T {
        // The constructor guarantees one element; indexing cannot fail.
        &self.0[0]
    }
}

impl<'a, T> IntoIterator for &'a NonEmpty<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

pub(crate) fn check_non_empty(bytes: &[u8], what: &'static str) -> Result<(), ValueError> {
    if bytes.is_empty() {
        return Err(ValueError::Empty { what });
    }
    Ok(())
}

pub(crate) fn check_no_nul(bytes: &[u8], what: &'static str) -> Result<(), ValueError> {
    check_each(bytes, what, |b| b != 0)
}

pub(crate) fn check_each(
    bytes: &[u8],
    what: &'static str,
    allowed: impl Fn(u8) -> bool,
) -> Result<(), ValueError> {
    match bytes.iter().position(|&b| !allowed(b)) {
        None => Ok(()),
        Some(offset) => Err(ValueError::ForbiddenByte {
            what,
            byte: bytes[offset],
            offset,
        }),
    }
}

/// The largest mod-sequence, `2^63 - 1` (RFC 7162 §7: a positive unsigned 63-bit integer).
pub const MAX_MOD_SEQ: u64 = (1 << 63) - 1;

/// CONDSTORE `mod-sequence-valzer = "0" / mod-sequence-value`: `0..=2^63-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModSeqValzer(u64);

impl ModSeqValzer {
    pub fn new(value: u64) -> Result<Self, ValueError> {
        if value > MAX_MOD_SEQ {
            return Err(ValueError::ModSeq { value });
        }
        Ok(Self(value))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

/// CONDSTORE `mod-sequence-value`: `1..=2^63-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModSeq(u64);

impl ModSeq {
    pub fn new(value: u64) -> Result<Self, ValueError> {
        if value == 0 {
            return Err(ValueError::Zero);
        }
        ModSeqValzer::new(value).map(|v| Self(v.0))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}
