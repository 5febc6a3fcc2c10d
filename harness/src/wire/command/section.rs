//! The `BODY[section]<partial>` vocabulary of FETCH (RFC 3501 §6.4.5, §9).

use std::num::NonZeroU32;

use super::error::ValueError;
use super::values::{AString, NonEmpty};
use crate::wire::grammar::{self, Bytes};

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

// The grammar (`crate::wire::grammar::section`) parses and writes sections for commands and
// responses alike; these conversions connect it to the validated command vocabulary.

impl SectionPart {
    /// From the grammar's part numbers (`nz-number`s, at least one).
    pub(crate) fn from_numbers(numbers: &[u32]) -> Result<Self, ValueError> {
        let numbers: Option<Vec<NonZeroU32>> =
            numbers.iter().map(|&n| NonZeroU32::new(n)).collect();
        NonEmpty::new(numbers.ok_or(ValueError::Zero)?).map(SectionPart)
    }

    pub(crate) fn numbers(&self) -> Vec<u32> {
        self.0.as_slice().iter().map(|n| n.get()).collect()
    }
}

impl Section {
    pub(crate) fn from_grammar(section: grammar::Section<'_>) -> Result<Self, ValueError> {
        let text = section.text.map(SectionText::from_grammar).transpose()?;
        if section.part.is_empty() {
            return match text {
                None => Ok(Section::Full),
                Some(SectionText::Msgtext(text)) => Ok(Section::Msgtext(text)),
                Some(SectionText::Mime) => Err(ValueError::Empty {
                    what: "section-part before MIME",
                }),
            };
        }
        let part = SectionPart::from_numbers(&section.part)?;
        Ok(match text {
            None => Section::Part(part),
            Some(text) => Section::PartText(part, text),
        })
    }

    pub(crate) fn to_grammar(&self) -> grammar::Section<'_> {
        let (part, text) = match self {
            Section::Full => (None, None),
            Section::Msgtext(text) => (None, Some(text.to_grammar())),
            Section::Part(part) => (Some(part), None),
            Section::PartText(part, SectionText::Mime) => {
                (Some(part), Some(grammar::SectionText::Mime))
            }
            Section::PartText(part, SectionText::Msgtext(text)) => {
                (Some(part), Some(text.to_grammar()))
            }
        };
        grammar::Section {
            part: part.map(SectionPart::numbers).unwrap_or_default(),
            text,
        }
    }
}

impl SectionText {
    fn from_grammar(text: grammar::SectionText<'_>) -> Result<Self, ValueError> {
        let fields = |names: Vec<Bytes<'_>>| {
            let names: Result<Vec<AString>, ValueError> = names
                .into_iter()
                .map(|name| AString::new(name.0.into_owned()))
                .collect();
            NonEmpty::new(names?)
        };
        Ok(SectionText::Msgtext(match text {
            grammar::SectionText::Mime => return Ok(SectionText::Mime),
            grammar::SectionText::Header => SectionMsgtext::Header,
            grammar::SectionText::Text => SectionMsgtext::Text,
            grammar::SectionText::HeaderFields(names) => SectionMsgtext::HeaderFields {
                not: false,
                fields: fields(names)?,
            },
            grammar::SectionText::HeaderFieldsNot(names) => SectionMsgtext::HeaderFields {
                not: true,
                fields: fields(names)?,
            },
        }))
    }
}

impl SectionMsgtext {
    fn to_grammar(&self) -> grammar::SectionText<'_> {
        match self {
            SectionMsgtext::Header => grammar::SectionText::Header,
            SectionMsgtext::Text => grammar::SectionText::Text,
            SectionMsgtext::HeaderFields { not, fields } => {
                let names = fields
                    .as_slice()
                    .iter()
                    .map(|f| Bytes::borrowed(f.as_bytes()))
                    .collect();
                if *not {
                    grammar::SectionText::HeaderFieldsNot(names)
                } else {
                    grammar::SectionText::HeaderFields(names)
                }
            }
        }
    }
}
