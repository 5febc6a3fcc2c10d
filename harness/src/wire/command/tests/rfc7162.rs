//! RFC 7162's SELECT parameters and FETCH modifiers: its examples parse into the expected
//! trees and encode back byte for byte; repeated, empty or misplaced ones do not parse.

use std::num::NonZeroU32;

use crate::wire::ParseError;
use crate::wire::command::*;

fn parse(line: &str) -> Result<CommandBody, ParseError> {
    parse_command(format!("a {line}\r\n").as_bytes()).map(|c| c.body)
}

fn encode(body: CommandBody) -> String {
    let command = Command {
        tag: Tag::new("a").unwrap(),
        body,
    };
    String::from_utf8(command.encode(&EncodeOptions::default()).to_bytes()).unwrap()
}

fn set(text: &str) -> SequenceSet {
    match parse(&format!("FETCH {text} FLAGS")).unwrap() {
        CommandBody::Fetch(f) => f.set,
        other => panic!("{other:?}"),
    }
}

#[test]
fn select_parameters_of_the_rfc_examples() {
    let inbox = || Mailbox::Inbox;
    let condstore = parse("SELECT INBOX (CONDSTORE)").unwrap();
    let mut want = Select::plain(inbox());
    want.condstore = true;
    assert_eq!(condstore, CommandBody::Select(want));
    // §3.2.5.2, the second example (known UIDs and seq-match-data).
    let text = "EXAMINE INBOX (QRESYNC (67890007 90060115194045000 1:29997 \
                (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973)))";
    let body = parse(text).unwrap();
    let want = Select {
        mailbox: inbox(),
        condstore: false,
        qresync: Some(Qresync {
            uid_validity: NonZeroU32::new(67890007).unwrap(),
            mod_seq: ModSeq::new(90060115194045000).unwrap(),
            known_uids: Some(set("1:29997")),
            seq_match: Some((
                set("5000,7500,9000,9990:9999"),
                set("15000,22500,27000,29970,29973"),
            )),
        }),
    };
    assert_eq!(body, CommandBody::Examine(want));
    assert_eq!(encode(body), format!("a {text}\r\n"));
    let both = parse("select inbox (qresync (1 2) condstore)").unwrap();
    assert_eq!(encode(both), "a SELECT INBOX (CONDSTORE QRESYNC (1 2))\r\n");
    // Only seq-match-data, no known UIDs.
    let CommandBody::Select(s) = parse("SELECT INBOX (QRESYNC (1 2 (1:3 4:6)))").unwrap() else {
        panic!()
    };
    let q = s.qresync.unwrap();
    assert_eq!(
        (q.known_uids, q.seq_match),
        (None, Some((set("1:3"), set("4:6"))))
    );
}

#[test]
fn fetch_vanished_goes_with_uid_and_changedsince() {
    let body = parse("UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)").unwrap();
    let CommandBody::Fetch(f) = &body else {
        panic!("{body:?}")
    };
    assert!(f.vanished && f.uid);
    assert_eq!(f.changed_since, ModSeq::new(12345).ok());
    assert_eq!(
        encode(body.clone()),
        "a UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n"
    );
    let reversed = parse("UID FETCH 300:500 (FLAGS) (VANISHED CHANGEDSINCE 12345)").unwrap();
    assert_eq!(reversed, body);
}

#[test]
fn malformed_parameters_do_not_parse() {
    for (line, rule) in [
        ("SELECT INBOX ()", "select-param"),
        ("SELECT INBOX (CONDSTORE CONDSTORE)", "each once"),
        ("SELECT INBOX (BOGUS)", "select-param"),
        ("SELECT INBOX (QRESYNC (0 1))", "nz-number"),
        ("SELECT INBOX (QRESYNC (1 0))", "not 0"),
        ("SELECT INBOX (QRESYNC (1 2 1:*))", "without \"*\""),
        ("SELECT INBOX (QRESYNC (1 2 (1:* 3)))", "without \"*\""),
        ("SELECT INBOX (CONDSTORE", "SP or"),
        (
            "FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)",
            "VANISHED only",
        ),
        ("UID FETCH 1:* (FLAGS) (VANISHED)", "VANISHED only"),
        (
            "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 CHANGEDSINCE 2)",
            "each once",
        ),
    ] {
        let e = parse(line).expect_err(line).to_string();
        assert!(e.contains(rule), "{line}: {e}");
    }
}
