//! Mailbox names: `mailbox = "INBOX" / astring` and LIST patterns
//! (`list-mailbox = 1*list-char / string`).

use super::error::ValueError;
use super::utf7::{decode_modified_utf7, encode_modified_utf7};
use super::values::{AString, check_no_nul};

/// A mailbox name. `INBOX` is case-insensitive (RFC 3501 §5.1), so every spelling of it is
/// folded into [`Mailbox::Inbox`] and `Other` never holds one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mailbox {
    Inbox,
    Other(OtherMailbox),
}

/// A mailbox name that is not `INBOX` in any case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherMailbox(AString);

impl OtherMailbox {
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub fn as_astring(&self) -> &AString {
        &self.0
    }
}

impl Mailbox {
    /// A mailbox from its wire bytes (already modified UTF-7 when it is non-ASCII).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let astring = AString::new(bytes)?;
        if astring.as_bytes().eq_ignore_ascii_case(b"INBOX") {
            return Ok(Self::Inbox);
        }
        Ok(Self::Other(OtherMailbox(astring)))
    }

    /// A mailbox from a Unicode name, encoded into modified UTF-7.
    pub fn from_utf8(name: &str) -> Result<Self, ValueError> {
        Self::new(encode_modified_utf7(name))
    }

    /// The wire bytes (`INBOX` for the inbox).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Inbox => b"INBOX",
            Self::Other(other) => other.as_bytes(),
        }
    }

    /// The Unicode name, when the wire bytes are canonical modified UTF-7.
    pub fn to_utf8(&self) -> Result<String, ValueError> {
        decode_modified_utf7(self.as_bytes())
    }
}

/// A LIST/LSUB pattern: may hold the wildcards `%` and `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListMailbox(Vec<u8>);

impl ListMailbox {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let bytes = bytes.into();
        check_no_nul(&bytes, "list-mailbox")?;
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}
