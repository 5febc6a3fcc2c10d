//! Extension commands with their own arguments, seen from real clients once a server
//! advertises them: SORT and THREAD (RFC 5256), ACL reads (RFC 4314), QUOTA reads
//! (RFC 9208), GETMETADATA (RFC 5464).

use super::search::SearchKey;
use super::values::{AString, Atom, Charset, NonEmpty};

/// `sort = ["UID" SP] "SORT" SP sort-criteria SP search-criteria`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sort {
    pub uid: bool,
    pub criteria: NonEmpty<SortCriterion>,
    pub charset: Charset,
    pub search: NonEmpty<SearchKey>,
}

/// `sort-criterion = ["REVERSE" SP] sort-key`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortCriterion {
    pub reverse: bool,
    pub key: SortKey,
}

/// `sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Arrival,
    Cc,
    Date,
    From,
    Size,
    Subject,
    To,
}

/// `thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Thread {
    pub uid: bool,
    /// `thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext`, an atom.
    pub algorithm: Atom,
    pub charset: Charset,
    pub search: NonEmpty<SearchKey>,
}

/// `getmetadata = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetMetadata {
    /// `MAXSIZE number`
    pub max_size: Option<u32>,
    pub depth: Option<MetadataDepth>,
    pub mailbox: super::mailbox::Mailbox,
    /// `entries = entry / "(" entry *(SP entry) ")"`: one entry is sent bare.
    pub entries: NonEmpty<AString>,
}

/// `scope-opt = "DEPTH" SP ("0" / "1" / "infinity")`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetadataDepth {
    Zero,
    One,
    Infinity,
}
