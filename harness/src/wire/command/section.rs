//! The `BODY[section]<partial>` vocabulary of FETCH (RFC 3501 §6.4.5, §9).

use std::num::NonZeroU32;

use super::values::{AString, NonEmpty};

/// `section-part = nz-number *("." nz-number)`, e.g. `2.1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SectionPart(pub NonEmpty<NonZeroU32>);

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionMsgtext {
    Header,
    /// `HEADER.FIELDS (…)`, or `HEADER.FIELDS.NOT (…)` when `not` is set.
    HeaderFields {
        not: bool,
        fields: NonEmpty<AString>,
    },
    Text,
}

/// `section-text = section-msgtext / "MIME"` (only after a part number).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionText {
    Msgtext(SectionMsgtext),
    Mime,
}

/// `section = "[" [section-spec] "]"`. The variants make `[MIME]` (no part) unrepresentable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Section {
    /// `[]`: the whole message.
    Full,
    /// `[HEADER]`, `[HEADER.FIELDS (…)]`, `[TEXT]` of the top-level message.
    Msgtext(SectionMsgtext),
    /// `[2.1]`
    Part(SectionPart),
    /// `[2.HEADER]`, `[1.MIME]`, …
    PartText(SectionPart, SectionText),
}

/// `"<" number "." nz-number ">"`: octet offset and length of a partial fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Partial {
    pub offset: u32,
    pub length: NonZeroU32,
}
