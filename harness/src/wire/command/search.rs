//! The `search-key` tree (RFC 3501 §6.4.4) plus the keys of extensions real clients send.

use std::num::NonZeroU32;

use super::datetime::Date;
use super::sequence::SequenceSet;
use super::values::{AString, Atom, ModSeqValzer, NonEmpty};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchKey {
    All,
    Answered,
    Bcc(AString),
    Before(Date),
    Body(AString),
    Cc(AString),
    Deleted,
    Draft,
    Flagged,
    From(AString),
    /// `HEADER SP header-fld-name SP astring`
    Header(AString, AString),
    Keyword(Atom),
    Larger(u32),
    New,
    Not(Box<SearchKey>),
    Old,
    On(Date),
    Or(Box<SearchKey>, Box<SearchKey>),
    Recent,
    Seen,
    SentBefore(Date),
    SentOn(Date),
    SentSince(Date),
    Since(Date),
    Smaller(u32),
    Subject(AString),
    Text(AString),
    To(AString),
    Uid(SequenceSet),
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unkeyword(Atom),
    Unseen,
    /// A bare `sequence-set`.
    SequenceSet(SequenceSet),
    /// `"(" search-key *(SP search-key) ")"`
    And(NonEmpty<SearchKey>),
    /// CONDSTORE (RFC 7162) `MODSEQ mod-sequence-valzer`, the form without an entry name.
    ModSeq(ModSeqValzer),
    /// WITHIN (RFC 5032) `OLDER nz-number` (seconds).
    Older(NonZeroU32),
    /// WITHIN (RFC 5032) `YOUNGER nz-number` (seconds).
    Younger(NonZeroU32),
}

/// ESEARCH (RFC 4731) `search-return-opt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchReturnOpt {
    Min,
    Max,
    All,
    Count,
    /// SEARCHRES (RFC 5182)
    Save,
}
