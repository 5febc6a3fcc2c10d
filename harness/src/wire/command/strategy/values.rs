//! Strategies for the validated values: strings, mailboxes, flags, sets, dates.

use std::num::NonZeroU32;

use proptest::collection::vec;
use proptest::prelude::*;

use crate::wire::command::*;

/// Atom characters, rich in the odd ones (`]` excluded: it is not an ATOM-CHAR).
const ATOM_RE: &str = "[A-Za-z0-9!#$&'+,./:;<=>?@\\[^_`|}~-]{1,10}";

pub fn tag() -> BoxedStrategy<Tag> {
    "[A-Za-z0-9.]{1,6}"
        .prop_filter_map("tag", |s| Tag::new(s).ok())
        .boxed()
}

pub fn atom() -> BoxedStrategy<Atom> {
    ATOM_RE
        .prop_filter_map("atom", |s| Atom::new(s).ok())
        .boxed()
}

/// Bytes of a string: mostly ASCII words, some with specials, some arbitrary non-NUL bytes
/// (forcing literals).
fn string_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        4 => "[A-Za-z0-9]{0,8}".prop_map(String::into_bytes),
        3 => "[ -~]{0,12}".prop_map(String::into_bytes),
        1 => vec(1u8..=255, 0..16),
    ]
    .boxed()
}

pub fn astring() -> BoxedStrategy<AString> {
    string_bytes()
        .prop_filter_map("astring", |b| AString::new(b).ok())
        .boxed()
}

pub fn istring() -> BoxedStrategy<IString> {
    string_bytes()
        .prop_filter_map("string", |b| IString::new(b).ok())
        .boxed()
}

pub fn mailbox() -> BoxedStrategy<Mailbox> {
    prop_oneof![
        1 => Just(Mailbox::Inbox),
        1 => "[ -~]{0,4}(Entwürfe|台北)?".prop_filter_map("mailbox", |s| Mailbox::from_utf8(&s).ok()),
        3 => string_bytes().prop_filter_map("mailbox", |b| Mailbox::new(b).ok()),
    ].boxed()
}

pub fn list_mailbox() -> BoxedStrategy<ListMailbox> {
    prop_oneof![
        "[A-Za-z%*/.]{0,8}".prop_map(String::into_bytes),
        string_bytes(),
    ]
    .prop_filter_map("list-mailbox", |b| ListMailbox::new(b).ok())
    .boxed()
}

pub fn flag() -> BoxedStrategy<Flag> {
    prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        ATOM_RE.prop_filter_map("keyword", |s| Flag::keyword(s).ok()),
        ATOM_RE.prop_filter_map("extension", |s| Flag::system(s).ok()),
    ]
    .boxed()
}

pub(super) fn nz() -> BoxedStrategy<NonZeroU32> {
    prop_oneof![1u32..20, 1u32..=u32::MAX]
        .prop_filter_map("nz", NonZeroU32::new)
        .boxed()
}

fn seq_number() -> BoxedStrategy<SeqNumber> {
    prop_oneof![4 => nz().prop_map(SeqNumber::Value), 1 => Just(SeqNumber::Largest)].boxed()
}

pub fn sequence_set() -> BoxedStrategy<SequenceSet> {
    let item = prop_oneof![
        seq_number().prop_map(SeqItem::Single),
        (seq_number(), seq_number()).prop_map(|(a, b)| SeqItem::Range(a, b)),
    ];
    vec(item, 1..4)
        .prop_filter_map("sequence-set", |items| SequenceSet::new(items).ok())
        .boxed()
}

pub fn date() -> BoxedStrategy<Date> {
    (0u16..=9999, 1u8..=12, 1u8..=31)
        .prop_filter_map("date", |(y, m, d)| Date::new(y, m, d).ok())
        .boxed()
}

pub fn date_time() -> BoxedStrategy<DateTime> {
    let zone = (any::<bool>(), 0u8..=23, 0u8..=59)
        .prop_filter_map("zone", |(w, h, m)| Zone::new(w, h, m).ok());
    (date(), (0u8..=23, 0u8..=59, 0u8..=60), zone)
        .prop_filter_map("date-time", |(d, hms, z)| DateTime::new(d, hms, z).ok())
        .boxed()
}

pub(super) fn non_empty<T: std::fmt::Debug + 'static>(
    item: impl Strategy<Value = T> + 'static,
    max: usize,
) -> BoxedStrategy<NonEmpty<T>> {
    vec(item, 1..=max)
        .prop_filter_map("non-empty", |v| NonEmpty::new(v).ok())
        .boxed()
}
