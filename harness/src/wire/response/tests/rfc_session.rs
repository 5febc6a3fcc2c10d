//! The server side of the RFC 3501 §8 sample session.

use crate::wire::response::{Code, Data, Response};
use crate::wire::{parse_greeting, parse_response};

const SERVER_LINES: &[&[u8]] = &[
    b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI\r\n",
    b"a001 OK LOGIN completed\r\n",
    b"* 18 EXISTS\r\n",
    b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
    b"* 2 RECENT\r\n",
    b"* OK [UNSEEN 17] Message 17 is the first unseen message\r\n",
    b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
    b"a002 OK [READ-WRITE] SELECT completed\r\n",
    b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n",
    b"a003 OK FETCH completed\r\n",
    b"* 12 FETCH (BODY[HEADER] {342}\r\n\
Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n\
)\r\n",
    b"a004 OK FETCH completed\r\n",
    b"* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n",
    b"a005 OK +FLAGS completed\r\n",
    b"* BYE IMAP4rev1 server logging out\r\n",
    b"a006 OK LOGOUT completed\r\n",
];

#[test]
fn rfc3501_section8_server_side_parses() {
    let greeting = parse_greeting(b"* OK IMAP4rev1 Service Ready\r\n").unwrap();
    assert_eq!(greeting.text.text.as_bytes(), b"IMAP4rev1 Service Ready");
    let parsed: Vec<Response<'_>> = SERVER_LINES
        .iter()
        .map(|l| parse_response(l).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(parsed.len(), 16);
    assert!(
        matches!(&parsed[5], Response::Data(Data::Status(s)) if s.text.code == Some(Code::Unseen(17)))
    );
    assert!(matches!(&parsed[14], Response::Data(Data::Bye(_))));
    let Response::Data(Data::Fetch { atts, .. }) = &parsed[10] else {
        panic!()
    };
    let crate::wire::response::MsgAtt::BodySection {
        data: Some(header), ..
    } = &atts[0]
    else {
        panic!()
    };
    assert_eq!(header.as_bytes().len(), 342);
}
