//! Known-answer tests: at least one per response rule of RFC 3501 §9 (the rule names are
//! in the test names), plus the extension responses.

use crate::wire::grammar::{SeqItem, SeqNumber};
use crate::wire::response::*;
use crate::wire::{parse_greeting, parse_response};

fn data(frame: &[u8]) -> Data<'_> {
    match parse_response(frame) {
        Ok(Response::Data(d)) => d,
        other => panic!("{}: {other:?}", String::from_utf8_lossy(frame)),
    }
}

fn fetch(frame: &[u8]) -> Vec<MsgAtt<'_>> {
    match data(frame) {
        Data::Fetch { atts, .. } => atts,
        other => panic!("{other:?}"),
    }
}

fn code(frame: &[u8]) -> Code<'_> {
    match data(frame) {
        Data::Status(StatusResponse { text: RespText { code: Some(c), .. }, .. }) => c,
        other => panic!("{other:?}"),
    }
}

fn single_body<'a>(att: &MsgAtt<'a>) -> SinglePart<'a> {
    match att {
        MsgAtt::Body(b) | MsgAtt::BodyStructure(b) => match b.as_ref() {
            Body::Single(s) => s.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

fn sect<'a>(a: &MsgAtt<'a>) -> (Section<'a>, Option<u32>) {
    match a {
        MsgAtt::BodySection { section, origin, .. } => (section.clone(), *origin),
        other => panic!("{other:?}"),
    }
}

#[test]
fn greeting_resp_cond_auth_and_bye() {
    let g = parse_greeting(b"* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n").unwrap();
    assert_eq!(g.kind, GreetingKind::Ok);
    assert_eq!(g.text.code, Some(Code::Capability(vec!["IMAP4rev1".into(), "IDLE".into()])));
    assert_eq!(parse_greeting(b"* PREAUTH hi\r\n").unwrap().kind, GreetingKind::PreAuth);
    assert_eq!(parse_greeting(b"* BYE busy\r\n").unwrap().kind, GreetingKind::Bye);
    assert!(parse_greeting(b"* NO nope\r\n").is_err());
}

#[test]
fn response_tagged_resp_cond_state() {
    let r = parse_response(b"a001 ok LOGIN completed\r\n").unwrap();
    let Response::Tagged(t) = r else { panic!() };
    assert_eq!(t.tag.as_bytes(), b"a001");
    assert_eq!(t.status.kind, StatusKind::Ok);
    assert_eq!(t.status.text.text.as_bytes(), b"LOGIN completed");
    assert!(parse_response(b"+tag OK x\r\n").is_err(), "tag excludes +");
}

#[test]
fn response_fatal_resp_cond_bye() {
    assert_eq!(data(b"* BYE Autologout; idle for too long\r\n"), Data::Bye(RespText {
        code: None,
        text: "Autologout; idle for too long".into()
    }));
}

#[test]
fn continue_req_resp_text_and_base64() {
    let r = parse_response(b"+ Ready for additional command text\r\n").unwrap();
    assert!(matches!(r, Response::Continue(ContinueReq::Text(_))));
    let r = parse_response(b"+ \r\n").unwrap();
    assert_eq!(r, Response::Continue(ContinueReq::Base64("".into())));
    let r = parse_response(b"+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n");
    assert!(matches!(r, Ok(Response::Continue(ContinueReq::Base64(_)))));
}

#[test]
fn resp_text_code_rfc3501_codes() {
    assert_eq!(code(b"* OK [ALERT] x\r\n"), Code::Alert);
    assert_eq!(code(b"* NO [BADCHARSET (UTF-8 \"x y\")] x\r\n"), Code::BadCharset(vec!["UTF-8".into(), "x y".into()]));
    assert_eq!(code(b"* NO [BADCHARSET] x\r\n"), Code::BadCharset(vec![]));
    assert_eq!(code(b"* BAD [PARSE] x\r\n"), Code::Parse);
    assert_eq!(
        code(b"* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] x\r\n"),
        Code::PermanentFlags(vec![Flag::Deleted, Flag::Seen, Flag::Wildcard])
    );
    assert_eq!(code(b"* OK [READ-ONLY] x\r\n"), Code::ReadOnly);
    assert_eq!(code(b"* OK [READ-WRITE] x\r\n"), Code::ReadWrite);
    assert_eq!(code(b"* NO [TRYCREATE] x\r\n"), Code::TryCreate);
    assert_eq!(code(b"* OK [UIDNEXT 4392] x\r\n"), Code::UidNext(4392));
    assert_eq!(code(b"* OK [UIDVALIDITY 3857529045] x\r\n"), Code::UidValidity(3857529045));
    assert_eq!(code(b"* OK [UNSEEN 12] x\r\n"), Code::Unseen(12));
    assert_eq!(code(b"* OK [X-FOO some text] x\r\n"), Code::Other { name: "X-FOO".into(), text: Some("some text".into()) });
    assert_eq!(code(b"* OK [CLIENTBUG] x\r\n"), Code::Other { name: "CLIENTBUG".into(), text: None });
    assert!(parse_response(b"* OK [UIDNEXT 0] x\r\n").is_err(), "nz-number");
}

#[test]
fn resp_text_code_extension_codes() {
    let set = |items: Vec<SeqItem>| SequenceSet(items);
    let v = |n| SeqNumber::Value(n);
    assert_eq!(
        code(b"* OK [APPENDUID 38505 3955:3957] x\r\n"),
        Code::AppendUid { uidvalidity: 38505, uids: set(vec![SeqItem::Range(v(3955), v(3957))]) }
    );
    assert_eq!(
        code(b"* OK [COPYUID 38505 304,319 3956:3957] x\r\n"),
        Code::CopyUid {
            uidvalidity: 38505,
            source: set(vec![SeqItem::Single(v(304)), SeqItem::Single(v(319))]),
            destination: set(vec![SeqItem::Range(v(3956), v(3957))]),
        }
    );
    assert_eq!(code(b"* OK [HIGHESTMODSEQ 715194045007] x\r\n"), Code::HighestModSeq(715194045007));
    assert_eq!(code(b"* OK [NOMODSEQ] x\r\n"), Code::NoModSeq);
    assert_eq!(code(b"* OK [MODIFIED 7,9] x\r\n"), Code::Modified(set(vec![SeqItem::Single(v(7)), SeqItem::Single(v(9))])));
    assert_eq!(code(b"* OK [CLOSED] x\r\n"), Code::Closed);
    assert_eq!(code(b"* NO [UIDNOTSTICKY] x\r\n"), Code::UidNotSticky);
}

#[test]
fn capability_data_requires_imap4rev1() {
    assert_eq!(data(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI\r\n"), Data::Capability(vec![
        "IMAP4rev1".into(),
        "STARTTLS".into(),
        "AUTH=GSSAPI".into()
    ]));
    let e = parse_response(b"* CAPABILITY IDLE\r\n").unwrap_err();
    assert!(e.expected[0].contains("IMAP4rev1"), "{e}");
}

#[test]
fn mailbox_data_flags_exists_recent() {
    assert_eq!(data(b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"), Data::Flags(vec![
        Flag::Answered,
        Flag::Flagged,
        Flag::Deleted,
        Flag::Seen,
        Flag::Draft
    ]));
    assert_eq!(data(b"* 23 EXISTS\r\n"), Data::Exists(23));
    assert_eq!(data(b"* 0 RECENT\r\n"), Data::Recent(0));
}

#[test]
fn mailbox_data_list_lsub_mailbox_list_mbx_list_flags() {
    let Data::List(l) = data(b"* LIST (\\Noselect \\HasChildren) \"/\" ~/Mail/foo\r\n") else { panic!() };
    assert_eq!(l.flags, vec![ListFlag::Noselect, ListFlag::Extension("HasChildren".into())]);
    assert_eq!((l.delimiter, l.mailbox), (Some(b'/'), Mailbox::Other("~/Mail/foo".into())));
    let Data::Lsub(l) = data(b"* LSUB () NIL inbox\r\n") else { panic!() };
    assert_eq!((l.delimiter, l.mailbox), (None, Mailbox::Inbox));
    let Data::List(l) = data(b"* LIST () \"\\\\\" x (\"CHILDINFO\" (\"SUBSCRIBED\") OLDNAME (\"y\"))\r\n") else { panic!() };
    assert_eq!(l.delimiter, Some(b'\\'));
    let ext = l.extended.unwrap();
    assert_eq!((ext[0].tag.as_bytes(), ext[0].value.as_bytes()), (&b"CHILDINFO"[..], &b"(\"SUBSCRIBED\")"[..]));
    assert!(parse_response(b"* LIST (\\Noselect \\Marked) \"/\" x\r\n").is_err(), "one sflag");
}

#[test]
fn mailbox_data_search() {
    assert_eq!(data(b"* SEARCH 2 84 882\r\n"), Data::Search { numbers: vec![2, 84, 882], modseq: None });
    assert_eq!(data(b"* SEARCH\r\n"), Data::Search { numbers: vec![], modseq: None });
    assert_eq!(data(b"* SEARCH 2 5 (MODSEQ 917162500)\r\n"), Data::Search { numbers: vec![2, 5], modseq: Some(917162500) });
}

#[test]
fn mailbox_data_status_status_att_list() {
    let d = data(b"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7 APPENDLIMIT NIL MAILBOXID (F2212ea87))\r\n");
    assert_eq!(d, Data::MailboxStatus {
        mailbox: Mailbox::Other("blurdybloop".into()),
        items: vec![
            StatusItem::Messages(231),
            StatusItem::UidNext(44292),
            StatusItem::HighestModSeq(7),
            StatusItem::AppendLimit(None),
            StatusItem::MailboxId("F2212ea87".into()),
        ],
    });
}

#[test]
fn message_data_expunge_and_fetch() {
    assert_eq!(data(b"* 44 EXPUNGE\r\n"), Data::Expunge(44));
    assert!(parse_response(b"* 0 EXPUNGE\r\n").is_err(), "nz-number");
    assert_eq!(fetch(b"* 12 FETCH (FLAGS (\\Seen \\Recent) UID 4827313)\r\n"), vec![
        MsgAtt::Flags(vec![Flag::Seen, Flag::Recent]),
        MsgAtt::Uid(4827313)
    ]);
}

#[test]
fn msg_att_static_internaldate_rfc822_size_uniqueid() {
    let atts = fetch(b"* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 UID 9)\r\n");
    let MsgAtt::InternalDate(dt) = atts[0] else { panic!() };
    assert_eq!((dt.day, dt.month, dt.year, dt.hour, dt.zone_minutes), (17, 7, 1996, 2, -420));
    assert_eq!(atts[1..], [MsgAtt::Rfc822Size(4286), MsgAtt::Uid(9)]);
}

#[test]
fn msg_att_static_rfc822_header_text_nstring_literal() {
    let atts = fetch(b"* 1 FETCH (RFC822 NIL RFC822.HEADER {5}\r\nA: b\n RFC822.TEXT \"t\")\r\n");
    assert_eq!(atts, vec![
        MsgAtt::Rfc822(None),
        MsgAtt::Rfc822Header(Some("A: b\n".into())),
        MsgAtt::Rfc822Text(Some("t".into()))
    ]);
}

#[test]
fn envelope_address_env_fields() {
    let atts = fetch(
        b"* 1 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary\" \
          ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL \
          ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
          (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\"))\r\n",
    );
    let MsgAtt::Envelope(env) = &atts[0] else { panic!() };
    assert_eq!(env.from[0].name, Some("Terry Gray".into()));
    assert!(env.sender.is_empty() && env.bcc.is_empty() && env.in_reply_to.is_none());
    assert_eq!(env.cc.len(), 2);
    assert_eq!(env.message_id, Some("<B27397-0100000@cac.washington.edu>".into()));
}

#[test]
fn body_type_text_body_fields_non_extensible_body() {
    let atts = fetch(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");
    let s = single_body(&atts[0]);
    assert_eq!(s.kind, SingleKind::Text { subtype: "PLAIN".into(), lines: 92 });
    assert_eq!(s.fields.params, vec![("CHARSET".into(), "US-ASCII".into())]);
    assert_eq!((s.fields.encoding.as_bytes(), s.fields.octets, s.ext), (&b"7BIT"[..], 3028, None));
    let e = parse_response(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1 NIL))\r\n").unwrap_err();
    assert!(e.expected[0].contains("non-extensible"), "{e}");
}

#[test]
fn body_type_basic_body_ext_1part_body_fld_dsp_lang_loc_body_extension() {
    let atts = fetch(
        b"* 1 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") \"<id>\" \"desc\" \"BASE64\" 1000 \
          \"md5\" (\"ATTACHMENT\" (\"FILENAME\" \"a.pdf\")) (\"en\" \"de\") \"loc\" 7 (\"x\" (1 NIL))))\r\n",
    );
    let s = single_body(&atts[0]);
    assert_eq!(s.kind, SingleKind::Basic { media_type: "APPLICATION".into(), subtype: "PDF".into() });
    let ext = s.ext.unwrap();
    assert_eq!(ext.md5, Some("md5".into()));
    let tail = ext.tail.unwrap();
    assert_eq!(tail.disposition.unwrap().kind.as_bytes(), b"ATTACHMENT");
    let lang = tail.language.unwrap();
    assert_eq!(lang.language, Language::List(vec!["en".into(), "de".into()]));
    let loc = lang.location.unwrap();
    assert_eq!(loc.location, Some("loc".into()));
    assert_eq!(loc.extensions, vec![
        BodyExtension::Number(7),
        BodyExtension::List(vec![
            BodyExtension::NString(Some("x".into())),
            BodyExtension::List(vec![BodyExtension::Number(1), BodyExtension::NString(None)])
        ])
    ]);
}

#[test]
fn body_type_mpart_body_ext_mpart_body_type_msg() {
    let frame = b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1)\
        (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 500 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) \
        (\"TEXT\" \"HTML\" NIL NIL NIL \"8BIT\" 20 2) 12) \"MIXED\" (\"BOUNDARY\" \"b\") NIL \"en\"))\r\n";
    let atts = fetch(frame);
    let MsgAtt::BodyStructure(b) = &atts[0] else { panic!() };
    let Body::Multipart(m) = b.as_ref() else { panic!() };
    assert_eq!((m.parts.len(), m.subtype.as_bytes()), (2, &b"MIXED"[..]));
    let Body::Single(SinglePart { kind: SingleKind::Message { envelope, lines, .. }, .. }) = &m.parts[1] else { panic!() };
    assert_eq!((envelope.subject.clone(), *lines), (Some("s".into()), 12));
    let ext = m.ext.as_ref().unwrap();
    assert_eq!(ext.params, vec![("BOUNDARY".into(), "b".into())]);
    let tail = ext.tail.as_ref().unwrap();
    assert_eq!(tail.disposition, None);
    assert_eq!(tail.language.as_ref().unwrap().language, Language::Single(Some("en".into())));
    let e = parse_response(b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 1 1))\r\n").unwrap_err();
    assert_eq!(e.rules[0], "body-fld-param", "{e}");
}

#[test]
fn msg_att_static_body_section_section_spec_origin() {
    let atts = fetch(
        b"* 1 FETCH (BODY[] {2}\r\nab BODY[HEADER.FIELDS (DATE FROM)] NIL BODY[1.2.MIME] NIL BODY[TEXT]<10> \"x\" \
          BODY[2.HEADER.FIELDS.NOT (\"X-A\")] NIL BODY[3] NIL)\r\n",
    );
    assert_eq!(sect(&atts[0]), (Section::default(), None));
    assert_eq!(sect(&atts[1]).0.text, Some(SectionText::HeaderFields(vec!["DATE".into(), "FROM".into()])));
    assert_eq!(sect(&atts[2]).0, Section { part: vec![1, 2], text: Some(SectionText::Mime) });
    assert_eq!(sect(&atts[3]), (Section { part: vec![], text: Some(SectionText::Text) }, Some(10)));
    assert_eq!(sect(&atts[4]).0.text, Some(SectionText::HeaderFieldsNot(vec!["X-A".into()])));
    assert_eq!(sect(&atts[5]).0, Section { part: vec![3], text: None });
    assert!(parse_response(b"* 1 FETCH (BODY[MIME] NIL)\r\n").is_err(), "MIME needs a part");
}

#[test]
fn extension_fetch_items_modseq_binary_generic() {
    let atts = fetch(b"* 1 FETCH (MODSEQ (624140003) BINARY[1] ~{3}\r\na\0b BINARY.SIZE[1] 3 EMAILID (M6d99) PREVIEW \"hi\")\r\n");
    assert_eq!(atts, vec![
        MsgAtt::ModSeq(624140003),
        MsgAtt::Binary { section: vec![1], origin: None, data: Some(b"a\0b"[..].into()) },
        MsgAtt::BinarySize { section: vec![1], size: 3 },
        MsgAtt::Extension { name: "EMAILID".into(), value: "(M6d99)".into() },
        MsgAtt::Extension { name: "PREVIEW".into(), value: "\"hi\"".into() },
    ]);
    assert!(parse_response(b"* 1 FETCH (X-ODD [x])\r\n").is_err(), "not the generic shape");
}

#[test]
fn extension_enabled_namespace_id() {
    assert_eq!(data(b"* ENABLED CONDSTORE QRESYNC\r\n"), Data::Enabled(vec!["CONDSTORE".into(), "QRESYNC".into()]));
    let Data::Namespace(ns) = data(b"* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\" \"X-PARAM\" (\"a\" \"b\")))\r\n") else { panic!() };
    assert_eq!(ns.personal.unwrap()[0].delimiter, Some(b'/'));
    assert!(ns.other.is_none());
    assert_eq!(ns.shared.unwrap()[0].extensions, vec![("X-PARAM".into(), vec!["a".into(), "b".into()])]);
    assert_eq!(data(b"* ID NIL\r\n"), Data::Id(None));
    assert_eq!(data(b"* ID (\"name\" \"Cyrus\" \"os\" NIL)\r\n"), Data::Id(Some(vec![("name".into(), Some("Cyrus".into())), ("os".into(), None)])));
}

#[test]
fn extension_esearch_vanished_sort_thread() {
    let Data::Esearch(e) = data(b"* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 4 ALL 7,3800 MODSEQ 9\r\n") else { panic!() };
    assert_eq!((e.tag, e.uid, e.items.len()), (Some("A285".into()), true, 5));
    let Data::Vanished { earlier, uids } = data(b"* VANISHED (EARLIER) 300:310,405\r\n") else { panic!() };
    assert!(earlier && uids.0.len() == 2);
    assert_eq!(data(b"* SORT 2 3 6\r\n"), Data::Sort { numbers: vec![2, 3, 6], modseq: None });
    let Data::Thread(t) = data(b"* THREAD (2)(3 6 (4 23)(44 7 96))\r\n") else { panic!() };
    assert_eq!(t[1].members, vec![3, 6]);
    assert_eq!(t[1].children[1].members, vec![44, 7, 96]);
    assert!(parse_response(b"* THREAD (1 (2))\r\n").is_err(), "thread-nested = 2*thread-list");
}

#[test]
fn extension_unknown_untagged_is_kept_raw() {
    assert_eq!(data(b"* QUOTA \"\" (STORAGE 10 512)\r\n"), Data::Extension {
        name: "QUOTA".into(),
        rest: Some("\"\" (STORAGE 10 512)".into())
    });
    assert!(parse_response(b"* PREAUTH x\r\n").is_err());
}

#[test]
fn strictness_text_after_code_8bit_quoted_trailing_bytes() {
    let e = parse_response(b"* OK [UIDVALIDITY 1]\r\n").unwrap_err();
    assert_eq!((e.offset, e.rules[0]), (20, "resp-text"));
    assert!(e.expected[0].contains("RFC 3501 requires it"), "{e}");
    let e = parse_response(b"* OK \"gr\xc3\xbc\"\r\n").unwrap_err();
    assert_eq!((e.offset, e.found.as_str()), (8, "\"\\xc3\""), "{e}");
    let e = parse_response(b"* 3 EXISTS\r\nX").unwrap_err();
    assert_eq!(e.offset, 12);
    assert!(e.expected[0].starts_with("end of frame"), "{e}");
}
