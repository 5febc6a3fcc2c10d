//! Known-answer tests of FETCH data (`msg-att`, `envelope`, `body`, `section`), with the
//! RFC 3501 §9 rule names in the test names.

use super::known_answer::{fetch, sect, single_body};
use crate::wire::parse_response;
use crate::wire::response::*;

#[test]
fn msg_att_static_internaldate_rfc822_size_uniqueid() {
    let atts = fetch(
        b"* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 UID 9)\r\n",
    );
    let MsgAtt::InternalDate(dt) = atts[0] else {
        panic!()
    };
    assert_eq!(
        (dt.day, dt.month, dt.year, dt.hour, dt.zone_minutes),
        (17, 7, 1996, 2, -420)
    );
    assert_eq!(atts[1..], [MsgAtt::Rfc822Size(4286), MsgAtt::Uid(9)]);
}

#[test]
fn msg_att_static_rfc822_header_text_nstring_literal() {
    let atts = fetch(b"* 1 FETCH (RFC822 NIL RFC822.HEADER {5}\r\nA: b\n RFC822.TEXT \"t\")\r\n");
    assert_eq!(
        atts,
        vec![
            MsgAtt::Rfc822(None),
            MsgAtt::Rfc822Header(Some("A: b\n".into())),
            MsgAtt::Rfc822Text(Some("t".into()))
        ]
    );
}

#[test]
fn envelope_address_env_fields() {
    let atts = fetch(
        b"* 1 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary\" \
          ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL \
          ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
          (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\"))\r\n",
    );
    let MsgAtt::Envelope(env) = &atts[0] else {
        panic!()
    };
    assert_eq!(env.from[0].name, Some("Terry Gray".into()));
    assert!(env.sender.is_empty() && env.bcc.is_empty() && env.in_reply_to.is_none());
    assert_eq!(env.cc.len(), 2);
    assert_eq!(
        env.message_id,
        Some("<B27397-0100000@cac.washington.edu>".into())
    );
}

#[test]
fn body_type_text_body_fields_non_extensible_body() {
    let atts = fetch(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");
    let s = single_body(&atts[0]);
    assert_eq!(
        s.kind,
        SingleKind::Text {
            subtype: "PLAIN".into(),
            lines: 92
        }
    );
    assert_eq!(s.fields.params, vec![("CHARSET".into(), "US-ASCII".into())]);
    assert_eq!(
        (s.fields.encoding.as_bytes(), s.fields.octets, s.ext),
        (&b"7BIT"[..], 3028, None)
    );
    let e =
        parse_response(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1 NIL))\r\n")
            .unwrap_err();
    assert!(e.expected[0].contains("non-extensible"), "{e}");
}

#[test]
fn body_type_basic_body_ext_1part_body_fld_dsp_lang_loc_body_extension() {
    let atts = fetch(
        b"* 1 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") \"<id>\" \"desc\" \"BASE64\" 1000 \
          \"md5\" (\"ATTACHMENT\" (\"FILENAME\" \"a.pdf\")) (\"en\" \"de\") \"loc\" 7 (\"x\" (1 NIL))))\r\n",
    );
    let s = single_body(&atts[0]);
    assert_eq!(
        s.kind,
        SingleKind::Basic {
            media_type: "APPLICATION".into(),
            subtype: "PDF".into()
        }
    );
    let ext = s.ext.unwrap();
    assert_eq!(ext.md5, Some("md5".into()));
    let tail = ext.tail.unwrap();
    assert_eq!(tail.disposition.unwrap().kind.as_bytes(), b"ATTACHMENT");
    let lang = tail.language.unwrap();
    assert_eq!(
        lang.language,
        Language::List(vec!["en".into(), "de".into()])
    );
    let loc = lang.location.unwrap();
    assert_eq!(loc.location, Some("loc".into()));
    assert_eq!(
        loc.extensions,
        vec![
            BodyExtension::Number(7),
            BodyExtension::List(vec![
                BodyExtension::NString(Some("x".into())),
                BodyExtension::List(vec![BodyExtension::Number(1), BodyExtension::NString(None)])
            ])
        ]
    );
}

#[test]
fn body_type_mpart_body_ext_mpart_body_type_msg() {
    let frame = b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1)\
        (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 500 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) \
        (\"TEXT\" \"HTML\" NIL NIL NIL \"8BIT\" 20 2) 12) \"MIXED\" (\"BOUNDARY\" \"b\") NIL \"en\"))\r\n";
    let atts = fetch(frame);
    let MsgAtt::BodyStructure(b) = &atts[0] else {
        panic!()
    };
    let Body::Multipart(m) = b.as_ref() else {
        panic!()
    };
    assert_eq!((m.parts.len(), m.subtype.as_bytes()), (2, &b"MIXED"[..]));
    let Body::Single(SinglePart {
        kind: SingleKind::Message {
            envelope, lines, ..
        },
        ..
    }) = &m.parts[1]
    else {
        panic!()
    };
    assert_eq!((envelope.subject.clone(), *lines), (Some("s".into()), 12));
    let ext = m.ext.as_ref().unwrap();
    assert_eq!(ext.params, vec![("BOUNDARY".into(), "b".into())]);
    let tail = ext.tail.as_ref().unwrap();
    assert_eq!(tail.disposition, None);
    assert_eq!(
        tail.language.as_ref().unwrap().language,
        Language::Single(Some("en".into()))
    );
    let e = parse_response(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 1 1))\r\n")
        .unwrap_err();
    assert_eq!(e.rules[0], "body-fld-param", "{e}");
}

#[test]
fn msg_att_static_body_section_section_spec_origin() {
    let atts = fetch(
        b"* 1 FETCH (BODY[] {2}\r\nab BODY[HEADER.FIELDS (DATE FROM)] NIL BODY[1.2.MIME] NIL BODY[TEXT]<10> \"x\" \
          BODY[2.HEADER.FIELDS.NOT (\"X-A\")] NIL BODY[3] NIL)\r\n",
    );
    assert_eq!(sect(&atts[0]), (Section::default(), None));
    assert_eq!(
        sect(&atts[1]).0.text,
        Some(SectionText::HeaderFields(vec![
            "DATE".into(),
            "FROM".into()
        ]))
    );
    assert_eq!(
        sect(&atts[2]).0,
        Section {
            part: vec![1, 2],
            text: Some(SectionText::Mime)
        }
    );
    assert_eq!(
        sect(&atts[3]),
        (
            Section {
                part: vec![],
                text: Some(SectionText::Text)
            },
            Some(10)
        )
    );
    assert_eq!(
        sect(&atts[4]).0.text,
        Some(SectionText::HeaderFieldsNot(vec!["X-A".into()]))
    );
    assert_eq!(
        sect(&atts[5]).0,
        Section {
            part: vec![3],
            text: None
        }
    );
    assert!(
        parse_response(b"* 1 FETCH (BODY[MIME] NIL)\r\n").is_err(),
        "MIME needs a part"
    );
}

#[test]
fn extension_fetch_items_modseq_binary_generic() {
    let atts = fetch(b"* 1 FETCH (MODSEQ (624140003) BINARY[1] ~{3}\r\na\0b BINARY.SIZE[1] 3 EMAILID (M6d99) PREVIEW \"hi\")\r\n");
    assert_eq!(
        atts,
        vec![
            MsgAtt::ModSeq(624140003),
            MsgAtt::Binary {
                section: vec![1],
                origin: None,
                data: Some(b"a\0b"[..].into())
            },
            MsgAtt::BinarySize {
                section: vec![1],
                size: 3
            },
            MsgAtt::Extension {
                name: "EMAILID".into(),
                value: "(M6d99)".into()
            },
            MsgAtt::Extension {
                name: "PREVIEW".into(),
                value: "\"hi\"".into()
            },
        ]
    );
    assert!(
        parse_response(b"* 1 FETCH (X-ODD [x])\r\n").is_err(),
        "not the generic shape"
    );
}
