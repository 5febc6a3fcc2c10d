//! `sequence-set` (RFC 3501 §9): a non-empty list of numbers, `*` and ranges.

use std::num::NonZeroU32;

use super::error::ValueError;

/// `seq-number = nz-number / "*"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqNumber {
    Value(NonZeroU32),
    /// `*`: the largest number in use.
    Largest,
}

impl SeqNumber {
    pub fn new(value: u32) -> Result<Self, ValueError> {
        NonZeroU32::new(value)
            .map(Self::Value)
            .ok_or(ValueError::Zero)
    }
}

/// One element of a sequence set: a number or `seq-range = seq-number ":" seq-number`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqItem {
    Single(SeqNumber),
    Range(SeqNumber, SeqNumber),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceSet(Vec<SeqItem>);

impl SequenceSet {
    pub fn new(items: Vec<SeqItem>) -> Result<Self, ValueError> {
        if items.is_empty() {
            return Err(ValueError::EmptySequenceSet);
        }
        Ok(Self(items))
    }

    /// A set holding one number.
    pub fn single(value: u32) -> Result<Self, ValueError> {
        Ok(Self(vec![SeqItem::Single(SeqNumber::new(value)?)]))
    }

    /// `from:to`, where 0 in either bound is rejected.
    pub fn range(from: u32, to: u32) -> Result<Self, ValueError> {
        let item = SeqItem::Range(SeqNumber::new(from)?, SeqNumber::new(to)?);
        Ok(Self(vec![item]))
    }

    /// `1:*`, every message.
    pub fn all() -> Self {
        Self(vec![SeqItem::Range(
            SeqNumber::Value(NonZeroU32::MIN),
            SeqNumber::Largest,
        )])
    }

    pub fn items(&self) -> &[SeqItem] {
        &self.0
    }
}
