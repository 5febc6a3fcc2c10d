//! Encoder known answers: the atom / quoted / literal choice, escaping, and the fragments of
//! synchronising and non-synchronising literals.

use crate::wire::command::*;

fn tag() -> Tag {
    Tag::new("a1").unwrap()
}

fn line(body: CommandBody) -> String {
    let command = Command { tag: tag(), body };
    String::from_utf8(command.encode(&EncodeOptions::default()).to_bytes()).unwrap()
}

fn login(user: &[u8], password: &[u8]) -> CommandBody {
    CommandBody::Login {
        username: AString::new(user).unwrap(),
        password: AString::new(password).unwrap(),
    }
}

#[test]
fn astring_choice() {
    assert_eq!(line(login(b"fred", b"a]b")), "a1 LOGIN fred a]b\r\n");
    assert_eq!(line(login(b"NIL", b"")), "a1 LOGIN NIL \"\"\r\n");
    assert_eq!(
        line(login(b"two words", b"p%w")),
        "a1 LOGIN \"two words\" \"p%w\"\r\n"
    );
    assert_eq!(
        line(login(b"say \"hi\"", b"back\\slash")),
        "a1 LOGIN \"say \\\"hi\\\"\" \"back\\\\slash\"\r\n"
    );
    assert_eq!(
        line(login(b"x", b"caf\xc3\xa9")),
        "a1 LOGIN x {5}\r\ncafé\r\n"
    );
    assert_eq!(line(login(b"a\r\nb", b"x")), "a1 LOGIN {4}\r\na\r\nb x\r\n");
}

#[test]
fn mailbox_and_list_patterns() {
    assert_eq!(
        line(CommandBody::Select(Select::plain(
            Mailbox::new("inbox").unwrap()
        ))),
        "a1 SELECT INBOX\r\n"
    );
    assert_eq!(
        line(CommandBody::Create(
            Mailbox::from_utf8("Say \"Hi\"").unwrap()
        )),
        "a1 CREATE \"Say \\\"Hi\\\"\"\r\n"
    );
    let list = |reference: &str, pattern: &str| {
        line(CommandBody::List(List {
            selection: vec![],
            reference: Mailbox::new(reference).unwrap(),
            pattern: ListMailbox::new(pattern).unwrap(),
            return_opts: vec![],
        }))
    };
    assert_eq!(list("", "*"), "a1 LIST \"\" *\r\n");
    assert_eq!(list("Work/", "%o*"), "a1 LIST Work/ %o*\r\n");
    assert_eq!(list("", "My Folder*"), "a1 LIST \"\" \"My Folder*\"\r\n");
}

#[test]
fn id_values_are_never_atoms() {
    let s = |v: &str| IString::new(v).unwrap();
    let body = CommandBody::Id(Some(vec![(s("name"), Some(s("NIL"))), (s("os"), None)]));
    assert_eq!(line(body), "a1 ID (\"name\" \"NIL\" \"os\" NIL)\r\n");
    assert_eq!(line(CommandBody::Id(None)), "a1 ID NIL\r\n");
}

fn append(message: &[u8]) -> Command {
    let date = DateTime::new(
        Date::new(2015, 5, 5).unwrap(),
        (12, 30, 0),
        Zone::new(true, 3, 30).unwrap(),
    )
    .unwrap();
    Command {
        tag: tag(),
        body: CommandBody::Append(Append {
            mailbox: Mailbox::Inbox,
            flags: vec![Flag::Seen, Flag::keyword("$Forwarded").unwrap()],
            date: Some(date),
            message: LiteralData::new(message).unwrap(),
        }),
    }
}

#[test]
fn synchronising_literal_fragments() {
    let encoded = append(b"Hi\r\n").encode(&EncodeOptions::default());
    assert_eq!(
        encoded.fragments,
        vec![
            Fragment::Line(
                b"a1 APPEND INBOX (\\Seen $Forwarded) \" 5-May-2015 12:30:00 -0330\" {4}\r\n"
                    .to_vec()
            ),
            Fragment::Literal {
                data: b"Hi\r\n".to_vec(),
                sync: true
            },
            Fragment::Line(b"\r\n".to_vec()),
        ]
    );
    assert_eq!(encoded.sync_literals(), 1);
    assert_eq!(encoded.rounds().len(), 2);
}

#[test]
fn literal_plus_sends_in_one_go() {
    let options = EncodeOptions {
        literal_plus: true,
        literal_minus: false,
    };
    let encoded = append(b"Hi\r\n").encode(&options);
    assert_eq!(encoded.sync_literals(), 0);
    assert_eq!(encoded.rounds().len(), 1);
    assert!(encoded.to_bytes().ends_with(b"{4+}\r\nHi\r\n\r\n"));
}

#[test]
fn literal_minus_limit() {
    let options = EncodeOptions {
        literal_plus: false,
        literal_minus: true,
    };
    let small = append(&[b'x'; LITERAL_MINUS_MAX]).encode(&options);
    assert_eq!(small.sync_literals(), 0);
    let large = append(&[b'x'; LITERAL_MINUS_MAX + 1]).encode(&options);
    assert_eq!(large.sync_literals(), 1);
    assert!(String::from_utf8_lossy(&large.to_bytes()).contains("{4097}\r\n"));
}

#[test]
fn store_search_fetch() {
    let store = CommandBody::Store(Store {
        uid: true,
        set: SequenceSet::range(2, 4).unwrap(),
        unchanged_since: Some(ModSeqValzer::new(7).unwrap()),
        mode: StoreMode::Remove,
        silent: true,
        flags: vec![],
    });
    assert_eq!(
        line(store),
        "a1 UID STORE 2:4 (UNCHANGEDSINCE 7) -FLAGS.SILENT ()\r\n"
    );
    let key = SearchKey::Or(
        Box::new(SearchKey::Since(Date::new(2000, 1, 1).unwrap())),
        Box::new(SearchKey::Not(Box::new(SearchKey::Header(
            AString::new("X-A").unwrap(),
            AString::new("").unwrap(),
        )))),
    );
    let search = CommandBody::Search(Search {
        uid: false,
        return_opts: None,
        charset: Some(Charset::new("UTF-8").unwrap()),
        criteria: NonEmpty::one(key),
    });
    assert_eq!(
        line(search),
        "a1 SEARCH CHARSET UTF-8 OR SINCE 1-Jan-2000 NOT HEADER X-A \"\"\r\n"
    );
    let section = Section::PartText(
        SectionPart(NonEmpty::new(vec![2.try_into().unwrap(), 1.try_into().unwrap()]).unwrap()),
        SectionText::Msgtext(SectionMsgtext::HeaderFields {
            not: true,
            fields: NonEmpty::one(AString::new("Received").unwrap()),
        }),
    );
    let att = FetchAtt::BodySection {
        peek: true,
        section,
        partial: Some(Partial {
            offset: 0,
            length: 100.try_into().unwrap(),
        }),
    };
    let fetch = CommandBody::Fetch(Fetch {
        uid: false,
        set: SequenceSet::all(),
        items: FetchItems::List(NonEmpty::new(vec![FetchAtt::Flags, att]).unwrap()),
        changed_since: None,
        vanished: false,
    });
    assert_eq!(
        line(fetch),
        "a1 FETCH 1:* (FLAGS BODY.PEEK[2.1.HEADER.FIELDS.NOT (Received)]<0.100>)\r\n"
    );
}

#[test]
fn continuation_lines() {
    assert_eq!(IdleDone.encode(), b"DONE\r\n");
    assert_eq!(AuthenticateData::Cancel.encode(), b"*\r\n");
    let data = AuthenticateData::Data(Base64::new("AHVzZXIxAHBhc3M=").unwrap());
    assert_eq!(data.encode(), b"AHVzZXIxAHBhc3M=\r\n");
}
