//! proptest strategies for FETCH data: `msg-att`, `envelope`, `body` (bounded depth).

use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

use crate::wire::grammar::Bytes;
use crate::wire::response::*;

use super::{B, date_time, extension_name, flags_fetch, modseq, nstring, nz, string};

fn address() -> impl Strategy<Value = Address<'static>> {
    (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| Address {
        name,
        adl,
        mailbox,
        host,
    })
}

fn envelope() -> impl Strategy<Value = Envelope<'static>> {
    let list = || vec(address(), 0..3);
    (
        (nstring(), nstring(), list(), list(), list()),
        (list(), list(), list(), nstring(), nstring()),
    )
        .prop_map(
            |((date, subject, from, sender, reply_to), (to, cc, bcc, in_reply_to, message_id))| {
                Envelope {
                    date,
                    subject,
                    from,
                    sender,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    in_reply_to,
                    message_id,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<(B, B)>> {
    vec((string(), string()), 0..3)
}

fn body_extension() -> impl Strategy<Value = BodyExtension<'static>> {
    let leaf = prop_oneof![
        nstring().prop_map(BodyExtension::NString),
        any::<u32>().prop_map(BodyExtension::Number)
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        vec(inner, 1..3).prop_map(BodyExtension::List)
    })
}

fn ext_tail() -> impl Strategy<Value = ExtTail<'static>> {
    let disposition =
        of((string(), params()).prop_map(|(kind, params)| Disposition { kind, params }));
    let language = prop_oneof![
        nstring().prop_map(Language::Single),
        vec(string(), 1..3).prop_map(Language::List)
    ];
    let location =
        (nstring(), vec(body_extension(), 0..3)).prop_map(|(location, extensions)| LocTail {
            location,
            extensions,
        });
    let lang_tail =
        (language, of(location)).prop_map(|(language, location)| LangTail { language, location });
    (disposition, of(lang_tail)).prop_map(|(disposition, language)| ExtTail {
        disposition,
        language,
    })
}

fn fields() -> impl Strategy<Value = BodyFields<'static>> {
    (params(), nstring(), nstring(), string(), any::<u32>()).prop_map(
        |(params, id, description, encoding, octets)| BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        },
    )
}

fn basic_kind() -> impl Strategy<Value = SingleKind<'static>> {
    let media = prop::sample::select(vec!["APPLICATION", "IMAGE", "AUDIO", "VIDEO", "X-FOO"]);
    (media, string()).prop_map(|(m, subtype)| SingleKind::Basic {
        media_type: Bytes::from(m),
        subtype,
    })
}

fn text_kind() -> impl Strategy<Value = SingleKind<'static>> {
    (string(), any::<u32>()).prop_map(|(subtype, lines)| SingleKind::Text { subtype, lines })
}

/// A `body`; no extension data anywhere inside when not `extensible` (BODY).
fn body(extensible: bool) -> impl Strategy<Value = Body<'static>> {
    let ext1 = move || {
        let ext = (nstring(), of(ext_tail())).prop_map(|(md5, tail)| Ext1Part { md5, tail });
        of(ext).prop_map(move |e| if extensible { e } else { None })
    };
    let leaf = (prop_oneof![basic_kind(), text_kind()], fields(), ext1())
        .prop_map(|(kind, fields, ext)| Body::Single(SinglePart { kind, fields, ext }));
    leaf.prop_recursive(3, 12, 3, move |inner| {
        let ext_m =
            of((params(), of(ext_tail())).prop_map(|(params, tail)| ExtMpart { params, tail }))
                .prop_map(move |e| if extensible { e } else { None });
        let multipart =
            (vec(inner.clone(), 1..3), string(), ext_m).prop_map(|(parts, subtype, ext)| {
                Body::Multipart(Multipart {
                    parts,
                    subtype,
                    ext,
                })
            });
        let message = (envelope(), inner, any::<u32>(), fields(), ext1()).prop_map(
            |(env, body, lines, fields, ext)| {
                let kind = SingleKind::Message {
                    envelope: Box::new(env),
                    body: Box::new(body),
                    lines,
                };
                Body::Single(SinglePart { kind, fields, ext })
            },
        );
        prop_oneof![multipart, message]
    })
}

fn section() -> impl Strategy<Value = Section<'static>> {
    let names = || vec(string(), 1..3);
    let msgtext = prop_oneof![
        Just(SectionText::Header),
        Just(SectionText::Text),
        names().prop_map(SectionText::HeaderFields),
        names().prop_map(SectionText::HeaderFieldsNot),
    ];
    let with_part = (
        vec(nz(), 1..4),
        of(prop_oneof![msgtext.clone(), Just(SectionText::Mime)]),
    )
        .prop_map(|(part, text)| Section { part, text });
    let top = of(msgtext).prop_map(|text| Section {
        part: Vec::new(),
        text,
    });
    prop_oneof![top, with_part]
}

/// A valid raw value of an unknown FETCH item.
fn extension_value() -> impl Strategy<Value = B> {
    prop::sample::select(vec![
        "NIL",
        "\"x y\"",
        "12",
        "(M6d99ac)",
        "(a (b \"c\") NIL)",
        "()",
    ])
    .prop_map(Bytes::from)
}

/// One FETCH item (`msg-att`), extension items included.
pub fn msg_att() -> impl Strategy<Value = MsgAtt<'static>> {
    let binary = vec(0u8..=255, 0..8).prop_map(Bytes::from);
    prop_oneof![
        flags_fetch().prop_map(MsgAtt::Flags),
        envelope().prop_map(|e| MsgAtt::Envelope(Box::new(e))),
        date_time().prop_map(MsgAtt::InternalDate),
        nstring().prop_map(MsgAtt::Rfc822),
        nstring().prop_map(MsgAtt::Rfc822Header),
        nstring().prop_map(MsgAtt::Rfc822Text),
        any::<u32>().prop_map(MsgAtt::Rfc822Size),
        body(false).prop_map(|b| MsgAtt::Body(Box::new(b))),
        body(true).prop_map(|b| MsgAtt::BodyStructure(Box::new(b))),
        (section(), of(any::<u32>()), nstring()).prop_map(|(section, origin, data)| {
            MsgAtt::BodySection {
                section,
                origin,
                data,
            }
        }),
        nz().prop_map(MsgAtt::Uid),
        modseq().prop_map(MsgAtt::ModSeq),
        (vec(nz(), 0..3), of(any::<u32>()), of(binary)).prop_map(|(section, origin, data)| {
            MsgAtt::Binary {
                section,
                origin,
                data,
            }
        }),
        (vec(nz(), 0..3), any::<u32>())
            .prop_map(|(section, size)| MsgAtt::BinarySize { section, size }),
        (extension_name(), extension_value())
            .prop_map(|(name, value)| MsgAtt::Extension { name, value }),
    ]
}
