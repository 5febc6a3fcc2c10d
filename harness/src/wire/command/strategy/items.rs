//! Strategies for the items inside commands: search keys, sections, fetch and status items.

use proptest::option;
use proptest::prelude::*;

use crate::wire::command::*;

use super::values::{astring, atom, date, non_empty, nz, sequence_set};

fn search_leaf() -> BoxedStrategy<SearchKey> {
    use SearchKey as K;
    let bare = prop::sample::select(vec![
        K::All,
        K::Answered,
        K::Deleted,
        K::Draft,
        K::Flagged,
        K::New,
        K::Old,
        K::Recent,
        K::Seen,
        K::Unanswered,
        K::Undeleted,
        K::Undraft,
        K::Unflagged,
        K::Unseen,
    ]);
    let text = prop_oneof![
        astring().prop_map(K::Bcc),
        astring().prop_map(K::Body),
        astring().prop_map(K::Cc),
        astring().prop_map(K::From),
        astring().prop_map(K::Subject),
        astring().prop_map(K::Text),
        astring().prop_map(K::To),
        (astring(), astring()).prop_map(|(n, v)| K::Header(n, v)),
    ];
    let dated = prop_oneof![
        date().prop_map(K::Before),
        date().prop_map(K::On),
        date().prop_map(K::Since),
        date().prop_map(K::SentBefore),
        date().prop_map(K::SentOn),
        date().prop_map(K::SentSince),
    ];
    let other = prop_oneof![
        atom().prop_map(K::Keyword),
        atom().prop_map(K::Unkeyword),
        any::<u32>().prop_map(K::Larger),
        any::<u32>().prop_map(K::Smaller),
        sequence_set().prop_map(K::Uid),
        sequence_set().prop_map(K::SequenceSet),
        valzer().prop_map(K::ModSeq),
        nz().prop_map(K::Older),
        nz().prop_map(K::Younger),
    ];
    prop_oneof![bare, text, dated, other].boxed()
}

pub fn search_key() -> BoxedStrategy<SearchKey> {
    search_leaf()
        .prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|k| SearchKey::Not(Box::new(k))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
                non_empty(inner, 3).prop_map(SearchKey::And),
            ]
        })
        .boxed()
}

fn section_part() -> BoxedStrategy<SectionPart> {
    non_empty(nz(), 3).prop_map(SectionPart).boxed()
}

fn msgtext() -> BoxedStrategy<SectionMsgtext> {
    prop_oneof![
        Just(SectionMsgtext::Header),
        Just(SectionMsgtext::Text),
        (any::<bool>(), non_empty(astring(), 3))
            .prop_map(|(not, fields)| SectionMsgtext::HeaderFields { not, fields }),
    ]
    .boxed()
}

pub fn section() -> BoxedStrategy<Section> {
    let text = prop_oneof![
        msgtext().prop_map(SectionText::Msgtext),
        Just(SectionText::Mime)
    ];
    prop_oneof![
        Just(Section::Full),
        msgtext().prop_map(Section::Msgtext),
        section_part().prop_map(Section::Part),
        (section_part(), text).prop_map(|(p, t)| Section::PartText(p, t)),
    ]
    .boxed()
}

fn partial() -> BoxedStrategy<Partial> {
    (any::<u32>(), nz())
        .prop_map(|(offset, length)| Partial { offset, length })
        .boxed()
}

pub fn fetch_att() -> BoxedStrategy<FetchAtt> {
    use FetchAtt as F;
    let simple = prop::sample::select(vec![
        F::Envelope,
        F::Flags,
        F::InternalDate,
        F::Rfc822,
        F::Rfc822Header,
        F::Rfc822Size,
        F::Rfc822Text,
        F::Body,
        F::BodyStructure,
        F::Uid,
        F::ModSeq,
        F::Preview,
        F::SaveDate,
        F::EmailId,
        F::ThreadId,
    ]);
    prop_oneof![
        simple,
        (any::<bool>(), section(), option::of(partial())).prop_map(|(peek, section, partial)| {
            F::BodySection {
                peek,
                section,
                partial,
            }
        }),
        (
            any::<bool>(),
            option::of(section_part()),
            option::of(partial())
        )
            .prop_map(|(peek, part, partial)| F::Binary {
                peek,
                part,
                partial
            }),
        option::of(section_part()).prop_map(|part| F::BinarySize { part }),
    ]
    .boxed()
}

pub(super) fn fetch_items() -> BoxedStrategy<FetchItems> {
    prop_oneof![
        Just(FetchItems::All),
        Just(FetchItems::Fast),
        Just(FetchItems::Full),
        fetch_att().prop_map(FetchItems::Single),
        non_empty(fetch_att(), 4).prop_map(FetchItems::List),
    ]
    .boxed()
}

pub fn status_att() -> BoxedStrategy<StatusAtt> {
    use StatusAtt as S;
    prop::sample::select(vec![
        S::Messages,
        S::Recent,
        S::UidNext,
        S::UidValidity,
        S::Unseen,
        S::HighestModSeq,
        S::Size,
        S::AppendLimit,
        S::MailboxId,
    ])
    .boxed()
}

pub(super) fn modseq() -> BoxedStrategy<ModSeq> {
    (1..=MAX_MOD_SEQ)
        .prop_filter_map("modseq", |n| ModSeq::new(n).ok())
        .boxed()
}

pub(super) fn valzer() -> BoxedStrategy<ModSeqValzer> {
    (0..=MAX_MOD_SEQ)
        .prop_filter_map("valzer", |n| ModSeqValzer::new(n).ok())
        .boxed()
}
