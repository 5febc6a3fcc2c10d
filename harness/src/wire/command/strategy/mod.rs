//! proptest strategies for every command, with bounded sizes and nesting depth. Values go
//! through the validating constructors (`prop_filter_map`), so a strategy can only yield
//! what a caller could build by hand.

mod items;
mod values;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::wire::command::*;
pub use items::{fetch_att, search_key, section, status_att};
use items::{fetch_items, modseq, valzer};
use values::non_empty;
pub use values::{
    astring, atom, date, date_time, flag, istring, list_mailbox, mailbox, sequence_set, tag,
};

fn search() -> BoxedStrategy<Search> {
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
        .boxed()
}

fn fetch() -> BoxedStrategy<Fetch> {
    (
        any::<bool>(),
        sequence_set(),
        fetch_items(),
        option::of(modseq()),
        any::<bool>(),
    )
        .prop_map(|(uid, set, items, changed_since, vanished)| Fetch {
            uid,
            set,
            items,
            changed_since,
            // RFC 7162 §3.2.6: only a UID FETCH with CHANGEDSINCE may ask for VANISHED.
            vanished: vanished && uid && changed_since.is_some(),
        })
        .boxed()
}

/// SELECT/EXAMINE with or without CONDSTORE and QRESYNC parameters.
fn select() -> BoxedStrategy<Select> {
    let known = || {
        let number =
            (1u32..=u32::MAX).prop_map(|n| SeqNumber::new(n).unwrap_or(SeqNumber::Largest));
        let item = prop_oneof![
            number.clone().prop_map(SeqItem::Single),
            (number.clone(), number).prop_map(|(a, b)| SeqItem::Range(a, b)),
        ];
        vec(item, 1..3).prop_filter_map("known set", |items| SequenceSet::new(items).ok())
    };
    let qresync = (
        1u32..=u32::MAX,
        modseq(),
        option::of(known()),
        option::of((known(), known())),
    )
        .prop_filter_map("qresync", |(uv, mod_seq, known_uids, seq_match)| {
            Some(Qresync {
                uid_validity: std::num::NonZeroU32::new(uv)?,
                mod_seq,
                known_uids,
                seq_match,
            })
        });
    (mailbox(), any::<bool>(), option::of(qresync))
        .prop_map(|(mailbox, condstore, qresync)| Select {
            mailbox,
            condstore,
            qresync,
        })
        .boxed()
}

fn store() -> BoxedStrategy<Store> {
    let mode = prop::sample::select(vec![StoreMode::Replace, StoreMode::Add, StoreMode::Remove]);
    (
        any::<bool>(),
        sequence_set(),
        option::of(valzer()),
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
        .boxed()
}

fn list() -> BoxedStrategy<List> {
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
    let selection = vec(select, 0..3).prop_filter("RECURSIVEMATCH needs a base option", |s| {
        ListSelectOpt::is_valid_combination(s)
    });
    (selection, mailbox(), list_mailbox(), vec(ret, 0..3))
        .prop_map(|(selection, reference, pattern, return_opts)| List {
            selection,
            reference,
            pattern,
            return_opts,
        })
        .boxed()
}

fn append() -> BoxedStrategy<Append> {
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
        .boxed()
}

fn authenticate() -> BoxedStrategy<CommandBody> {
    let initial = prop_oneof![
        Just(InitialResponse::Empty),
        "([A-Za-z0-9+/]{4}){1,4}([A-Za-z0-9+/]{2}==)?".prop_filter_map("base64", |s| Base64::new(
            s
        )
        .ok()
        .and_then(|b| InitialResponse::data(b).ok())),
    ];
    (atom(), option::of(initial))
        .prop_map(|(mechanism, initial_response)| CommandBody::Authenticate {
            mechanism,
            initial_response,
        })
        .boxed()
}

fn experimental() -> BoxedStrategy<CommandBody> {
    ("X[A-Z0-9]{1,6}", "([ -|~]{0,10}[ -|~])?")
        .prop_filter_map("x-command", |(name, args)| {
            let name = Atom::new(name).ok()?;
            Experimental::new(name, args)
                .ok()
                .map(CommandBody::Experimental)
        })
        .boxed()
}

fn transfer() -> BoxedStrategy<(bool, SequenceSet, Mailbox)> {
    (any::<bool>(), sequence_set(), mailbox()).boxed()
}

fn charset() -> BoxedStrategy<Charset> {
    "[A-Za-z0-9 -]{1,8}"
        .prop_filter_map("charset", |s| Charset::new(s).ok())
        .boxed()
}

fn sort() -> BoxedStrategy<Sort> {
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
        .boxed()
}

fn thread() -> BoxedStrategy<Thread> {
    (any::<bool>(), atom(), charset(), non_empty(search_key(), 2))
        .prop_map(|(uid, algorithm, charset, search)| Thread {
            uid,
            algorithm,
            charset,
            search,
        })
        .boxed()
}

fn get_metadata() -> BoxedStrategy<GetMetadata> {
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
        .boxed()
}

fn extension() -> BoxedStrategy<CommandBody> {
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
    .boxed()
}

/// Any command body, every variant reachable.
pub fn command_body() -> BoxedStrategy<CommandBody> {
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
        select().prop_map(C::Select),
        select().prop_map(C::Examine),
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
    prop_oneof![simple, mailbox_commands, selected, other, extension()].boxed()
}

pub fn command() -> BoxedStrategy<Command> {
    (tag(), command_body())
        .prop_map(|(tag, body)| Command { tag, body })
        .boxed()
}
