//! proptest strategies for every command, with bounded sizes and nesting depth. Values go
//! through the validating constructors (`prop_filter_map`), so a strategy can only yield
//! what a caller could build by hand.

use std::num::NonZeroU32;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::*;

/// Atom characters, rich in the odd ones (`]` excluded: it is not an ATOM-CHAR).
const ATOM_RE: &str = "[A-Za-z0-9!#$&'+,./:;<=>?@\\[^_`|}~-]{1,10}";

pub fn tag() -> impl Strategy<Value = Tag> {
    "[A-Za-z0-9.]{1,6}".prop_filter_map("tag", |s| Tag::new(s).ok())
}

pub fn atom() -> impl Strategy<Value = Atom> {
    ATOM_RE.prop_filter_map("atom", |s| Atom::new(s).ok())
}

/// Bytes of a string: mostly ASCII words, some with specials, some arbitrary non-NUL bytes
/// (forcing literals).
fn string_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => "[A-Za-z0-9]{0,8}".prop_map(String::into_bytes),
        3 => "[ -~]{0,12}".prop_map(String::into_bytes),
        1 => vec(1u8..=255, 0..16),
    ]
}

pub fn astring() -> impl Strategy<Value = AString> {
    string_bytes().prop_filter_map("astring", |b| AString::new(b).ok())
}

pub fn istring() -> impl Strategy<Value = IString> {
    string_bytes().prop_filter_map("string", |b| IString::new(b).ok())
}

pub fn mailbox() -> impl Strategy<Value = Mailbox> {
    prop_oneof![
        1 => Just(Mailbox::Inbox),
        1 => "[ -~]{0,4}(Entwürfe|台北)?".prop_filter_map("mailbox", |s| Mailbox::from_utf8(&s).ok()),
        3 => string_bytes().prop_filter_map("mailbox", |b| Mailbox::new(b).ok()),
    ]
}

pub fn list_mailbox() -> impl Strategy<Value = ListMailbox> {
    prop_oneof![
        "[A-Za-z%*/.]{0,8}".prop_map(String::into_bytes),
        string_bytes(),
    ]
    .prop_filter_map("list-mailbox", |b| ListMailbox::new(b).ok())
}

pub fn flag() -> impl Strategy<Value = Flag> {
    prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        ATOM_RE.prop_filter_map("keyword", |s| Flag::keyword(s).ok()),
        ATOM_RE.prop_filter_map("extension", |s| Flag::system(s).ok()),
    ]
}

fn nz() -> impl Strategy<Value = NonZeroU32> {
    prop_oneof![1u32..20, 1u32..=u32::MAX].prop_filter_map("nz", NonZeroU32::new)
}

fn seq_number() -> impl Strategy<Value = SeqNumber> {
    prop_oneof![4 => nz().prop_map(SeqNumber::Value), 1 => Just(SeqNumber::Largest)]
}

pub fn sequence_set() -> impl Strategy<Value = SequenceSet> {
    let item = prop_oneof![
        seq_number().prop_map(SeqItem::Single),
        (seq_number(), seq_number()).prop_map(|(a, b)| SeqItem::Range(a, b)),
    ];
    vec(item, 1..4).prop_filter_map("sequence-set", |items| SequenceSet::new(items).ok())
}

pub fn date() -> impl Strategy<Value = Date> {
    (0u16..=9999, 1u8..=12, 1u8..=31).prop_filter_map("date", |(y, m, d)| Date::new(y, m, d).ok())
}

pub fn date_time() -> impl Strategy<Value = DateTime> {
    let zone = (any::<bool>(), 0u8..=23, 0u8..=59)
        .prop_filter_map("zone", |(w, h, m)| Zone::new(w, h, m).ok());
    (date(), (0u8..=23, 0u8..=59, 0u8..=60), zone)
        .prop_filter_map("date-time", |(d, hms, z)| DateTime::new(d, hms, z).ok())
}

fn non_empty<T: std::fmt::Debug>(
    item: impl Strategy<Value = T>,
    max: usize,
) -> impl Strategy<Value = NonEmpty<T>> {
    vec(item, 1..=max).prop_filter_map("non-empty", |v| NonEmpty::new(v).ok())
}

fn search_leaf() -> impl Strategy<Value = SearchKey> {
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
        (0..=MAX_MOD_SEQ).prop_filter_map("modseq", |n| ModSeqValzer::new(n).ok().map(K::ModSeq)),
        nz().prop_map(K::Older),
        nz().prop_map(K::Younger),
    ];
    prop_oneof![bare, text, dated, other]
}

pub fn search_key() -> impl Strategy<Value = SearchKey> {
    search_leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| SearchKey::Not(Box::new(k))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
            non_empty(inner, 3).prop_map(SearchKey::And),
        ]
    })
}

fn section_part() -> impl Strategy<Value = SectionPart> {
    non_empty(nz(), 3).prop_map(SectionPart)
}

fn msgtext() -> impl Strategy<Value = SectionMsgtext> {
    prop_oneof![
        Just(SectionMsgtext::Header),
        Just(SectionMsgtext::Text),
        (any::<bool>(), non_empty(astring(), 3))
            .prop_map(|(not, fields)| SectionMsgtext::HeaderFields { not, fields }),
    ]
}

pub fn section() -> impl Strategy<Value = Section> {
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
}

fn partial() -> impl Strategy<Value = Partial> {
    (any::<u32>(), nz()).prop_map(|(offset, length)| Partial { offset, length })
}

pub fn fetch_att() -> impl Strategy<Value = FetchAtt> {
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
}

fn fetch_items() -> impl Strategy<Value = FetchItems> {
    prop_oneof![
        Just(FetchItems::All),
        Just(FetchItems::Fast),
        Just(FetchItems::Full),
        fetch_att().prop_map(FetchItems::Single),
        non_empty(fetch_att(), 4).prop_map(FetchItems::List),
    ]
}

pub fn status_att() -> impl Strategy<Value = StatusAtt> {
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
}

fn modseq() -> impl Strategy<Value = ModSeq> {
    (1..=MAX_MOD_SEQ).prop_filter_map("modseq", |n| ModSeq::new(n).ok())
}

fn search() -> impl Strategy<Value = Search> {
    let return_opt = prop::sample::select(vec![
        SearchReturnOpt::Min,
        SearchReturnOpt::Max,
        SearchReturnOpt::All,
        SearchReturnOpt::Count,
        SearchReturnOpt::Save,
    ]);
    let charset = "[A-Z0-9-]{1,8}".prop_filter_map("charset", |s| Charset::new(s).ok());
    (
        any::<bool>(),
        option::of(vec(return_opt, 0..3)),
        option::of(charset),
        non_empty(search_key(), 3),
    )
        .prop_map(|(uid, return_opts, charset, criteria)| Search {
            uid,
            return_opts,
            charset,
            criteria,
        })
}

fn fetch() -> impl Strategy<Value = Fetch> {
    (
        any::<bool>(),
        sequence_set(),
        fetch_items(),
        option::of(modseq()),
    )
        .prop_map(|(uid, set, items, changed_since)| Fetch {
            uid,
            set,
            items,
            changed_since,
        })
}

fn store() -> impl Strategy<Value = Store> {
    let mode = prop::sample::select(vec![StoreMode::Replace, StoreMode::Add, StoreMode::Remove]);
    let valzer = (0..=MAX_MOD_SEQ).prop_filter_map("valzer", |n| ModSeqValzer::new(n).ok());
    (
        any::<bool>(),
        sequence_set(),
        option::of(valzer),
        mode,
        any::<bool>(),
        vec(flag(), 0..4),
    )
        .prop_map(|(uid, set, unchanged_since, mode, silent, flags)| Store {
            uid,
            set,
            unchanged_since,
            mode,
            silent,
            flags,
        })
}

fn list() -> impl Strategy<Value = List> {
    use ListReturnOpt as R;
    use ListSelectOpt as S;
    let select = prop::sample::select(vec![
        S::Subscribed,
        S::Remote,
        S::RecursiveMatch,
        S::SpecialUse,
    ]);
    let ret = prop_oneof![
        Just(R::Subscribed),
        Just(R::Children),
        Just(R::SpecialUse),
        non_empty(status_att(), 3).prop_map(R::Status),
    ];
    (vec(select, 0..3), mailbox(), list_mailbox(), vec(ret, 0..3)).prop_map(
        |(selection, reference, pattern, return_opts)| List {
            selection,
            reference,
            pattern,
            return_opts,
        },
    )
}

fn append() -> impl Strategy<Value = Append> {
    let message = vec(1u8..=255, 0..64).prop_filter_map("literal", |b| LiteralData::new(b).ok());
    (
        mailbox(),
        vec(flag(), 0..3),
        option::of(date_time()),
        message,
    )
        .prop_map(|(mailbox, flags, date, message)| Append {
            mailbox,
            flags,
            date,
            message,
        })
}

fn authenticate() -> impl Strategy<Value = CommandBody> {
    let initial = prop_oneof![
        Just(InitialResponse::Empty),
        "([A-Za-z0-9+/]{4}){1,4}([A-Za-z0-9+/]{2}==)?".prop_filter_map("base64", |s| Base64::new(
            s
        )
        .ok()
        .and_then(|b| InitialResponse::data(b).ok())),
    ];
    (atom(), option::of(initial)).prop_map(|(mechanism, initial_response)| {
        CommandBody::Authenticate {
            mechanism,
            initial_response,
        }
    })
}

fn experimental() -> impl Strategy<Value = CommandBody> {
    ("X[A-Z0-9]{1,6}", "([ -|~]{0,10}[ -|~])?").prop_filter_map("x-command", |(name, args)| {
        let name = Atom::new(name).ok()?;
        Experimental::new(name, args)
            .ok()
            .map(CommandBody::Experimental)
    })
}

fn transfer() -> impl Strategy<Value = (bool, SequenceSet, Mailbox)> {
    (any::<bool>(), sequence_set(), mailbox())
}

fn charset() -> impl Strategy<Value = Charset> {
    "[A-Za-z0-9 -]{1,8}".prop_filter_map("charset", |s| Charset::new(s).ok())
}

fn sort() -> impl Strategy<Value = Sort> {
    use SortKey as K;
    let key = prop::sample::select(vec![
        K::Arrival,
        K::Cc,
        K::Date,
        K::From,
        K::Size,
        K::Subject,
        K::To,
    ]);
    let criterion = (any::<bool>(), key).prop_map(|(reverse, key)| SortCriterion { reverse, key });
    (
        any::<bool>(),
        non_empty(criterion, 3),
        charset(),
        non_empty(search_key(), 2),
    )
        .prop_map(|(uid, criteria, charset, search)| Sort {
            uid,
            criteria,
            charset,
            search,
        })
}

fn thread() -> impl Strategy<Value = Thread> {
    (any::<bool>(), atom(), charset(), non_empty(search_key(), 2)).prop_map(
        |(uid, algorithm, charset, search)| Thread {
            uid,
            algorithm,
            charset,
            search,
        },
    )
}

fn get_metadata() -> impl Strategy<Value = GetMetadata> {
    let depth = prop::sample::select(vec![
        MetadataDepth::Zero,
        MetadataDepth::One,
        MetadataDepth::Infinity,
    ]);
    (
        option::of(any::<u32>()),
        option::of(depth),
        mailbox(),
        non_empty(astring(), 3),
    )
        .prop_map(|(max_size, depth, mailbox, entries)| GetMetadata {
            max_size,
            depth,
            mailbox,
            entries,
        })
}

fn extension() -> impl Strategy<Value = CommandBody> {
    use CommandBody as C;
    prop_oneof![
        sort().prop_map(C::Sort),
        thread().prop_map(C::Thread),
        mailbox().prop_map(C::GetAcl),
        mailbox().prop_map(C::MyRights),
        astring().prop_map(C::GetQuota),
        mailbox().prop_map(C::GetQuotaRoot),
        get_metadata().prop_map(C::GetMetadata),
    ]
}

/// Any command body, every variant reachable.
pub fn command_body() -> impl Strategy<Value = CommandBody> {
    use CommandBody as C;
    let simple = prop::sample::select(vec![
        C::Capability,
        C::Logout,
        C::Noop,
        C::StartTls,
        C::Check,
        C::Close,
        C::Expunge,
        C::Idle,
        C::Unselect,
        C::Namespace,
    ]);
    let mailbox_commands = prop_oneof![
        mailbox().prop_map(C::Select),
        mailbox().prop_map(C::Examine),
        mailbox().prop_map(C::Create),
        mailbox().prop_map(C::Delete),
        mailbox().prop_map(C::Subscribe),
        mailbox().prop_map(C::Unsubscribe),
        (mailbox(), mailbox()).prop_map(|(from, to)| C::Rename { from, to }),
        (mailbox(), list_mailbox()).prop_map(|(reference, pattern)| C::Lsub { reference, pattern }),
        (mailbox(), non_empty(status_att(), 4))
            .prop_map(|(mailbox, items)| C::Status { mailbox, items }),
        list().prop_map(C::List),
        append().prop_map(C::Append),
    ];
    let selected = prop_oneof![
        search().prop_map(C::Search),
        fetch().prop_map(C::Fetch),
        store().prop_map(C::Store),
        sequence_set().prop_map(C::UidExpunge),
        transfer().prop_map(|(uid, set, mailbox)| C::Copy { uid, set, mailbox }),
        transfer().prop_map(|(uid, set, mailbox)| C::Move { uid, set, mailbox }),
    ];
    let id_params = option::of(vec((istring(), option::of(istring())), 0..3));
    let other = prop_oneof![
        authenticate(),
        (astring(), astring()).prop_map(|(username, password)| C::Login { username, password }),
        non_empty(atom(), 3).prop_map(C::Enable),
        id_params.prop_map(C::Id),
        experimental(),
    ];
    prop_oneof![simple, mailbox_commands, selected, other, extension()]
}

pub fn command() -> impl Strategy<Value = Command> {
    (tag(), command_body()).prop_map(|(tag, body)| Command { tag, body })
}
