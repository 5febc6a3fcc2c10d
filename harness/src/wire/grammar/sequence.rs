//! `sequence-set`, `seq-range`, `seq-number` and RFC 4315's `uid-set`.

use super::number::nz_number;
use super::{GrammarError, PResult, ctx};

/// `seq-number = nz-number / "*"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqNumber {
    Value(u32),
    /// `"*"`: the largest number in use.
    Largest,
}

/// One element of a sequence set, kept as written (`5` and `5:5` stay distinct).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqItem {
    Single(SeqNumber),
    /// `seq-range = seq-number ":" seq-number`, in the order written.
    Range(SeqNumber, SeqNumber),
}

/// `sequence-set = (seq-number / seq-range) *("," sequence-set)`; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceSet(pub Vec<SeqItem>);

impl SequenceSet {
    /// The lowest and highest number named, for a set without `*` (a UID set in a
    /// response code); `None` when `*` occurs.
    pub fn bounds(&self) -> Option<(u32, u32)> {
        self.0.iter().try_fold((u32::MAX, 0), |(lo, hi), item| {
            let (a, b) = item.values()?;
            Some((lo.min(a).min(b), hi.max(a).max(b)))
        })
    }

    /// Whether the set names `n` (a `*` names nothing: UID sets in responses have none).
    pub fn contains(&self, n: u32) -> bool {
        self.0.iter().any(|item| {
            item.values()
                .is_some_and(|(a, b)| (a.min(b)..=a.max(b)).contains(&n))
        })
    }

    /// Every number the set names, item by item (a `*` names nothing); bound the set with
    /// [`Self::count`] first.
    pub fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        (self.0.iter())
            .filter_map(SeqItem::values)
            .flat_map(|(a, b)| a.min(b)..=a.max(b))
    }

    /// How many numbers the set names, for a set without `*`.
    pub fn count(&self) -> Option<u64> {
        self.0.iter().try_fold(0u64, |n, item| {
            let (a, b) = item.values()?;
            Some(n + u64::from(a.abs_diff(b)) + 1)
        })
    }
}

impl SeqItem {
    /// Both ends as numbers; `None` with `*`.
    fn values(&self) -> Option<(u32, u32)> {
        match *self {
            SeqItem::Single(SeqNumber::Value(v)) => Some((v, v)),
            SeqItem::Range(SeqNumber::Value(a), SeqNumber::Value(b)) => Some((a, b)),
            _ => None,
        }
    }
}

/// `seq-number = nz-number / "*"`; `*` only when `star`.
fn seq_number<'a, E: GrammarError<'a>>(i: &'a [u8], star: bool) -> PResult<'a, SeqNumber, E> {
    match i.split_first() {
        Some((b'*', rest)) if star => Ok((rest, SeqNumber::Largest)),
        _ => nz_number(i).map(|(r, n)| (r, SeqNumber::Value(n))),
    }
}

fn set<'a, E: GrammarError<'a>>(i: &'a [u8], star: bool) -> PResult<'a, SequenceSet, E> {
    let mut items = Vec::new();
    let mut rest = i;
    loop {
        let (r, first) = seq_number(rest, star)?;
        let (r, item) = match r.split_first() {
            Some((b':', after)) => {
                let (r, last) = seq_number(after, star)?;
                (r, SeqItem::Range(first, last))
            }
            _ => (r, SeqItem::Single(first)),
        };
        items.push(item);
        match r.split_first() {
            Some((b',', after)) => rest = after,
            _ => return Ok((r, SequenceSet(items))),
        }
    }
}

/// `sequence-set = (seq-number / seq-range) *("," sequence-set)`
pub fn sequence_set<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SequenceSet, E> {
    ctx("sequence-set", i, set(i, true))
}

/// `uid-set = (uniqueid / uid-range) *("," uid-set)` (RFC 4315 §4: no `*`)
pub fn uid_set<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SequenceSet, E> {
    ctx("uid-set", i, set(i, false))
}
