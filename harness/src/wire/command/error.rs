//! Why a value could not be built: the typed error of every validating constructor.

use thiserror::Error;

/// A value rejected by a validating constructor (caller's fault: the input breaks the grammar).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    #[error("{what} must not be empty")]
    Empty { what: &'static str },
    #[error("{what} must not contain byte 0x{byte:02x} (at offset {offset})")]
    ForbiddenByte {
        what: &'static str,
        byte: u8,
        offset: usize,
    },
    #[error("zero is not a valid nz-number")]
    Zero,
    #[error("sequence set must not be empty")]
    EmptySequenceSet,
    #[error("\\Recent cannot be set by a client (RFC 3501 §2.3.2)")]
    RecentFlag,
    #[error("{name:?} is a system flag; use the dedicated variant")]
    SystemFlagAsExtension { name: String },
    #[error("experimental command name must start with \"X\": {name:?}")]
    NotExperimental { name: String },
    #[error("{name:?} is the name of a known command, not an experimental one")]
    KnownCommandName { name: String },
    #[error("invalid date: {reason}")]
    Date { reason: &'static str },
    #[error("invalid time: {reason}")]
    Time { reason: &'static str },
    #[error("invalid modified UTF-7 mailbox name at offset {offset}: {reason}")]
    ModifiedUtf7 { offset: usize, reason: &'static str },
    #[error("malformed base64: {reason}")]
    Base64 { reason: &'static str },
    #[error("mod-sequence value {value} is outside 1..=2^63-1")]
    ModSeq { value: u64 },
}
