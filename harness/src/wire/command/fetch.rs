//! FETCH items (RFC 3501 §6.4.5) and STATUS items (§6.3.10), with the extension items
//! real clients ask for once the server advertises them.

use super::section::{Partial, Section, SectionPart};
use super::values::NonEmpty;

/// `"ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FetchItems {
    /// `ALL` = `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`
    All,
    /// `FAST` = `(FLAGS INTERNALDATE RFC822.SIZE)`
    Fast,
    /// `FULL` = `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`
    Full,
    /// One attribute without parentheses.
    Single(FetchAtt),
    /// A parenthesized list, even of one attribute.
    List(NonEmpty<FetchAtt>),
}

/// `fetch-att`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FetchAtt {
    Envelope,
    Flags,
    InternalDate,
    Rfc822,
    Rfc822Header,
    Rfc822Size,
    Rfc822Text,
    /// `BODY` (non-extensible BODYSTRUCTURE)
    Body,
    BodyStructure,
    Uid,
    /// `BODY[section]<partial>` or, with `peek`, `BODY.PEEK[…]`.
    BodySection {
        peek: bool,
        section: Section,
        partial: Option<Partial>,
    },
    /// BINARY (RFC 3516) `BINARY[part]<partial>` / `BINARY.PEEK[…]`.
    Binary {
        peek: bool,
        part: Option<SectionPart>,
        partial: Option<Partial>,
    },
    /// BINARY (RFC 3516) `BINARY.SIZE[part]`.
    BinarySize {
        part: Option<SectionPart>,
    },
    /// CONDSTORE (RFC 7162)
    ModSeq,
    /// PREVIEW (RFC 8970), without modifiers.
    Preview,
    /// SAVEDATE (RFC 8514)
    SaveDate,
    /// OBJECTID (RFC 8474)
    EmailId,
    /// OBJECTID (RFC 8474)
    ThreadId,
}

/// `status-att`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusAtt {
    Messages,
    Recent,
    UidNext,
    UidValidity,
    Unseen,
    /// CONDSTORE (RFC 7162)
    HighestModSeq,
    /// STATUS=SIZE (RFC 8438)
    Size,
    /// APPENDLIMIT (RFC 7889)
    AppendLimit,
    /// OBJECTID (RFC 8474)
    MailboxId,
}
