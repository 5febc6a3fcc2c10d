//! The client side of the RFC 3501 §8 sample session parses into the expected commands.

use crate::wire::command::*;

fn parse(line: &str) -> Command {
    parse_command(format!("{line}\r\n").as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn command(tag: &str, body: CommandBody) -> Command {
    Command {
        tag: Tag::new(tag).unwrap(),
        body,
    }
}

#[test]
fn rfc3501_section_8() {
    let login = CommandBody::Login {
        username: AString::new("mrc").unwrap(),
        password: AString::new("secret").unwrap(),
    };
    assert_eq!(parse("a001 login mrc secret"), command("a001", login));
    assert_eq!(
        parse("a002 select inbox"),
        command("a002", CommandBody::Select(Select::plain(Mailbox::Inbox)))
    );
    let set = SequenceSet::single(12).unwrap();
    let fetch = |items| {
        CommandBody::Fetch(Fetch {
            uid: false,
            set: set.clone(),
            items,
            changed_since: None,
            vanished: false,
        })
    };
    assert_eq!(
        parse("a003 fetch 12 full"),
        command("a003", fetch(FetchItems::Full))
    );
    let header = FetchAtt::BodySection {
        peek: false,
        section: Section::Msgtext(SectionMsgtext::Header),
        partial: None,
    };
    assert_eq!(
        parse("a004 fetch 12 body[header]"),
        command("a004", fetch(FetchItems::Single(header)))
    );
    let store = CommandBody::Store(Store {
        uid: false,
        set: set.clone(),
        unchanged_since: None,
        mode: StoreMode::Add,
        silent: false,
        flags: vec![Flag::Deleted],
    });
    assert_eq!(
        parse("a005 store 12 +flags \\deleted"),
        command("a005", store)
    );
    assert_eq!(parse("a006 logout"), command("a006", CommandBody::Logout));
}

/// The command examples of RFC 3501 §6 that fit on one line, as written in the RFC.
#[test]
fn rfc3501_section_6_examples() {
    let examples = [
        "abcd CAPABILITY",
        "efgh STARTTLS",
        "a002 NOOP",
        "A023 LOGOUT",
        "a001 LOGIN SMITH SESAME",
        "A142 SELECT INBOX",
        "A932 EXAMINE blurdybloop",
        "A003 CREATE owatagusiam/",
        "A683 DELETE blurdybloop",
        "A683 RENAME blurdybloop sarasoop",
        "A002 SUBSCRIBE #news.comp.mail.mime",
        "A002 UNSUBSCRIBE #news.comp.mail.mime",
        "A101 LIST \"\" \"\"",
        "A102 LIST #news.comp.mail.misc \"\"",
        "A202 LIST ~/Mail/ %",
        "A002 LSUB \"#news.\" \"comp.mail.*\"",
        "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
        "FXXZ CHECK",
        "A341 CLOSE",
        "A202 EXPUNGE",
        "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
        "A283 SEARCH TEXT \"string not in mailbox\"",
        "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
        "A003 STORE 2:4 +FLAGS (\\Deleted)",
        "A003 COPY 2:4 MEETING",
        "A999 UID FETCH 4827313:4828442 FLAGS",
        "a441 CAPABILITY",
        "A442 XPIG-LATIN",
        "a002 AUTHENTICATE GSSAPI",
    ];
    for line in examples {
        let parsed = parse(line);
        assert_eq!(parsed.tag.as_str(), line.split(' ').next().unwrap());
    }
}

/// The literal example of RFC 3501 §6.3.11 (APPEND), with its message.
#[test]
fn rfc3501_append_example() {
    let message = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nSubject: afternoon meeting\r\n\r\nHello Joe\r\n";
    let frame = format!(
        "A003 APPEND saved-messages (\\Seen) {{{}}}\r\n{message}\r\n",
        message.len()
    );
    let parsed = parse_command(frame.as_bytes()).unwrap();
    let CommandBody::Append(append) = parsed.body else {
        panic!("not an APPEND: {parsed:?}");
    };
    assert_eq!(append.flags, vec![Flag::Seen]);
    assert_eq!(append.message.as_bytes(), message.as_bytes());
    assert_eq!(append.date, None);
}
