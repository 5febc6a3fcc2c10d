//! `mailbox = "INBOX" / astring`

use super::string::{Bytes, astring};
use super::{GrammarError, PResult, ctx};

/// A mailbox name. Every case variant of INBOX is [`Mailbox::Inbox`] (RFC 3501 §9:
/// "An astring which consists of the case-insensitive sequence I N B O X is considered
/// to be INBOX and not an astring").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mailbox<'a> {
    Inbox,
    /// Any other name, as sent (modified UTF-7 is not decoded here).
    Other(Bytes<'a>),
}

impl<'a> Mailbox<'a> {
    /// Builds a mailbox from a name, folding INBOX.
    pub fn from_name(name: Bytes<'a>) -> Self {
        if name.as_bytes().eq_ignore_ascii_case(b"INBOX") {
            Mailbox::Inbox
        } else {
            Mailbox::Other(name)
        }
    }
}

/// `mailbox = "INBOX" / astring`
#[inline]
pub fn mailbox<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Mailbox<'a>, E> {
    let (rest, name) = ctx("mailbox", i, astring(i))?;
    Ok((rest, Mailbox::from_name(name)))
}
