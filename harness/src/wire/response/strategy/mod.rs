//! proptest strategies for valid responses: every value they produce is one the parser
//! can produce, so `parse(encode(r)) == r` must hold.
//!
//! Public (not test-only) so that integration tests, such as the differential test
//! against imap-codec, generate from the same distribution as the round-trip test.

mod fetch;

pub use fetch::msg_att;

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

use crate::wire::grammar::{
    Bytes, DateTime, Flag, Mailbox, NString, SeqItem, SeqNumber, SequenceSet,
};
use crate::wire::response::*;

type B = Bytes<'static>;

/// Any string value (no NUL: neither quoted nor literal can carry it).
fn string() -> impl Strategy<Value = B> {
    prop_oneof![
        4 => "[a-zA-Z0-9 .@<>=:;,\"\\\\-]{0,12}".prop_map(|s| Bytes::from(s.into_bytes())),
        1 => vec(1u8..=255, 0..12).prop_map(Bytes::from),
    ]
}

fn nstring() -> impl Strategy<Value = NString<'static>> {
    of(string())
}

fn atom() -> impl Strategy<Value = B> {
    "[A-Za-z0-9$_.-]{1,8}".prop_map(|s| Bytes::from(s.into_bytes()))
}

/// An atom no typed rule claims as a keyword.
fn x_atom() -> impl Strategy<Value = B> {
    "X[A-Z0-9]{1,6}".prop_map(|s| Bytes::from(s.into_bytes()))
}

/// `text`, always with a SP so it never reads as base64, never starting with `[`.
fn text() -> impl Strategy<Value = B> {
    "[a-z]{1,5} [a-zA-Z0-9 .,:;!?'()\\[\\]-]{0,15}".prop_map(|s| Bytes::from(s.into_bytes()))
}

fn nz() -> impl Strategy<Value = u32> {
    1..=u32::MAX
}

fn modseq() -> impl Strategy<Value = u64> {
    0..=i64::MAX as u64
}

fn flag(wildcard: bool) -> impl Strategy<Value = Flag<'static>> {
    let simple = prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        Just(Flag::Recent),
        "[a-zA-Z$][a-zA-Z0-9_]{0,6}".prop_map(|s| Flag::Keyword(Bytes::from(s.into_bytes()))),
        x_atom().prop_map(Flag::Extension),
    ];
    prop_oneof![9 => simple, (wildcard as u32) => Just(Flag::Wildcard)]
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    prop_oneof![
        Just(Mailbox::Inbox),
        string()
            .prop_filter("INBOX folds", |s| !s
                .as_bytes()
                .eq_ignore_ascii_case(b"INBOX"))
            .prop_map(Mailbox::Other),
    ]
}

fn sequence_set(star: bool) -> impl Strategy<Value = SequenceSet> {
    let number = prop_oneof![9 => nz().prop_map(SeqNumber::Value), (star as u32) => Just(SeqNumber::Largest)];
    let item = prop_oneof![
        number.clone().prop_map(SeqItem::Single),
        (number.clone(), number).prop_map(|(a, b)| SeqItem::Range(a, b)),
    ];
    vec(item, 1..4).prop_map(SequenceSet)
}

fn date_time() -> impl Strategy<Value = DateTime> {
    let zone = (any::<bool>(), 0i16..=99, 0i16..=59)
        .prop_map(|(west, hh, mm)| if west { -(hh * 60 + mm) } else { hh * 60 + mm });
    (
        1u8..=31,
        1u8..=12,
        0u16..=9999,
        0u8..=23,
        0u8..=59,
        0u8..=60,
        zone,
    )
        .prop_map(
            |(day, month, year, hour, minute, second, zone_minutes)| DateTime {
                day,
                month,
                year,
                hour,
                minute,
                second,
                zone_minutes,
            },
        )
}

fn capabilities() -> impl Strategy<Value = Vec<B>> {
    (vec(atom(), 0..4), any::<prop::sample::Index>()).prop_map(|(mut caps, at)| {
        let at = at.index(caps.len() + 1);
        caps.insert(at, "IMAP4rev1".into());
        caps
    })
}

fn code() -> impl Strategy<Value = Code<'static>> {
    prop_oneof![
        Just(Code::Alert),
        vec(string(), 0..3).prop_map(Code::BadCharset),
        capabilities().prop_map(Code::Capability),
        Just(Code::Parse),
        vec(flag(true), 0..4).prop_map(Code::PermanentFlags),
        Just(Code::ReadOnly),
        Just(Code::ReadWrite),
        Just(Code::TryCreate),
        nz().prop_map(Code::UidNext),
        nz().prop_map(Code::UidValidity),
        nz().prop_map(Code::Unseen),
        (nz(), sequence_set(false))
            .prop_map(|(uidvalidity, uids)| Code::AppendUid { uidvalidity, uids }),
        (nz(), sequence_set(false), sequence_set(false)).prop_map(
            |(uidvalidity, source, destination)| Code::CopyUid {
                uidvalidity,
                source,
                destination
            }
        ),
        Just(Code::UidNotSticky),
        modseq().prop_map(Code::HighestModSeq),
        Just(Code::NoModSeq),
        sequence_set(true).prop_map(Code::Modified),
        Just(Code::Closed),
        (
            x_atom(),
            of("[a-zA-Z0-9 .,()\\[]{1,10}".prop_map(|s| Bytes::from(s.into_bytes())))
        )
            .prop_map(|(name, text)| Code::Other { name, text }),
    ]
}

fn resp_text() -> impl Strategy<Value = RespText<'static>> {
    (of(code()), text()).prop_map(|(code, text)| RespText { code, text })
}

fn status_response() -> impl Strategy<Value = StatusResponse<'static>> {
    let kind = prop_oneof![
        Just(StatusKind::Ok),
        Just(StatusKind::No),
        Just(StatusKind::Bad)
    ];
    (kind, resp_text()).prop_map(|(kind, text)| StatusResponse { kind, text })
}

fn continue_req() -> impl Strategy<Value = ContinueReq<'static>> {
    prop_oneof![
        resp_text().prop_map(ContinueReq::Text),
        "([A-Za-z0-9+/]{4}){0,3}".prop_map(|s| ContinueReq::Base64(Bytes::from(s.into_bytes()))),
    ]
}

/// A valid raw `tagged-ext-val`.
fn tagged_ext_val() -> impl Strategy<Value = B> {
    prop::sample::select(vec![
        "(\"SUBSCRIBED\")",
        "5",
        "0",
        "1:3,7",
        "()",
        "(a (b \"c\") d)",
    ])
    .prop_map(Bytes::from)
}

fn mailbox_list() -> impl Strategy<Value = MailboxList<'static>> {
    let oflag = prop_oneof![
        Just(ListFlag::Noinferiors),
        x_atom().prop_map(ListFlag::Extension)
    ];
    let sflag = prop_oneof![
        Just(ListFlag::Noselect),
        Just(ListFlag::Marked),
        Just(ListFlag::Unmarked)
    ];
    let delimiter = of((1u8..=127).prop_filter("TEXT-CHAR", |c| *c != b'\r' && *c != b'\n'));
    let item = (string(), tagged_ext_val()).prop_map(|(tag, value)| ListExtItem { tag, value });
    (
        vec(oflag, 0..3),
        of(sflag),
        delimiter,
        mailbox(),
        of(vec(item, 0..3)),
    )
        .prop_map(|(mut flags, sflag, delimiter, mailbox, extended)| {
            flags.extend(sflag);
            MailboxList {
                flags,
                delimiter,
                mailbox,
                extended,
            }
        })
}

fn status_item() -> impl Strategy<Value = StatusItem<'static>> {
    prop_oneof![
        any::<u32>().prop_map(StatusItem::Messages),
        any::<u32>().prop_map(StatusItem::Recent),
        nz().prop_map(StatusItem::UidNext),
        nz().prop_map(StatusItem::UidValidity),
        any::<u32>().prop_map(StatusItem::Unseen),
        any::<u32>().prop_map(StatusItem::Deleted),
        modseq().prop_map(StatusItem::HighestModSeq),
        modseq().prop_map(StatusItem::Size),
        of(modseq()).prop_map(StatusItem::AppendLimit),
        "[A-Za-z0-9_-]{1,12}".prop_map(|s| StatusItem::MailboxId(Bytes::from(s.into_bytes()))),
        (x_atom(), modseq()).prop_map(|(name, value)| StatusItem::Other { name, value }),
    ]
}

fn namespace() -> impl Strategy<Value = Option<Vec<NamespaceDesc<'static>>>> {
    let ext = (string(), vec(string(), 1..3));
    let delimiter = of((1u8..=127).prop_filter("TEXT-CHAR", |c| *c != b'\r' && *c != b'\n'));
    let desc = (string(), delimiter, vec(ext, 0..2)).prop_map(|(prefix, delimiter, extensions)| {
        NamespaceDesc {
            prefix,
            delimiter,
            extensions,
        }
    });
    of(vec(desc, 1..3))
}

fn esearch() -> impl Strategy<Value = Esearch<'static>> {
    let item = prop_oneof![
        nz().prop_map(EsearchItem::Min),
        nz().prop_map(EsearchItem::Max),
        any::<u32>().prop_map(EsearchItem::Count),
        sequence_set(true).prop_map(EsearchItem::All),
        modseq().prop_map(EsearchItem::ModSeq),
        (x_atom(), tagged_ext_val()).prop_map(|(name, value)| EsearchItem::Other { name, value }),
    ];
    (of(string()), any::<bool>(), vec(item, 0..4)).prop_map(|(tag, uid, items)| Esearch {
        tag,
        uid,
        items,
    })
}

fn thread() -> impl Strategy<Value = Thread> {
    let leaf = vec(nz(), 1..4).prop_map(|members| Thread {
        members,
        children: Vec::new(),
    });
    leaf.prop_recursive(3, 16, 3, |inner| {
        (vec(nz(), 0..3), vec(inner, 2..4))
            .prop_map(|(members, children)| Thread { members, children })
    })
}

/// Any untagged response (`response-data`), RFC 3501 kinds three times as often as
/// the extension kinds.
pub fn data() -> impl Strategy<Value = Data<'static>> {
    let core = prop_oneof![
        status_response().prop_map(Data::Status),
        resp_text().prop_map(Data::Bye),
        capabilities().prop_map(Data::Capability),
        vec(flag(false), 0..5).prop_map(Data::Flags),
        mailbox_list().prop_map(Data::List),
        mailbox_list().prop_map(Data::Lsub),
        (vec(nz(), 0..5), of(modseq()))
            .prop_map(|(numbers, modseq)| Data::Search { numbers, modseq }),
        (mailbox(), vec(status_item(), 0..4))
            .prop_map(|(mailbox, items)| Data::MailboxStatus { mailbox, items }),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        nz().prop_map(Data::Expunge),
        (nz(), vec(msg_att(), 1..5)).prop_map(|(seq, atts)| Data::Fetch { seq, atts }),
    ];
    let extensions = prop_oneof![
        vec(atom(), 0..3).prop_map(Data::Enabled),
        (namespace(), namespace(), namespace()).prop_map(|(personal, other, shared)| {
            Data::Namespace(Namespaces {
                personal,
                other,
                shared,
            })
        }),
        of(vec((string(), nstring()), 0..3)).prop_map(Data::Id),
        esearch().prop_map(Data::Esearch),
        (any::<bool>(), sequence_set(false))
            .prop_map(|(earlier, uids)| Data::Vanished { earlier, uids }),
        (vec(nz(), 0..5), of(modseq()))
            .prop_map(|(numbers, modseq)| Data::Sort { numbers, modseq }),
        vec(thread(), 0..3).prop_map(Data::Thread),
        (
            x_atom(),
            of("[ -~]{0,15}".prop_map(|s| Bytes::from(s.into_bytes())))
        )
            .prop_map(|(name, rest)| Data::Extension { name, rest }),
    ];
    prop_oneof![3 => core, 1 => extensions]
}

/// Any response: continuation request, tagged status or untagged data.
pub fn response() -> impl Strategy<Value = Response<'static>> {
    let tagged = ("[A-Za-z0-9.]{1,6}", status_response()).prop_map(|(tag, status)| {
        Response::Tagged(Tagged {
            tag: Bytes::from(tag.into_bytes()),
            status,
        })
    });
    prop_oneof![
        1 => continue_req().prop_map(Response::Continue),
        2 => tagged,
        6 => data().prop_map(Response::Data),
    ]
}

fn flags_fetch() -> impl Strategy<Value = Vec<Flag<'static>>> {
    vec(flag(false), 0..4)
}

fn extension_name() -> impl Strategy<Value = B> {
    "X-[A-Z0-9]{1,6}".prop_map(|s| Bytes::from(s.into_bytes()))
}
