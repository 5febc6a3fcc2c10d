//! Pairs of frames that differ in exactly one detail of meaning. Both frames of a pair
//! must be accepted by both parsers with the same meaning, and the two meanings must
//! differ: then each mapping tells the detail apart (a mapping that dropped a field
//! would make the pair compare equal).

use super::outcome::{Verdict, judge};

const PAIRS: &[(&str, &str)] = &[
    // Status responses: tag, kind, text, code and its argument.
    ("A1 OK done\r\n", "A2 OK done\r\n"),
    ("A1 OK done\r\n", "A1 NO done\r\n"),
    ("A1 OK done\r\n", "A1 BAD done\r\n"),
    ("A1 OK done\r\n", "A1 OK dont\r\n"),
    ("* OK done\r\n", "* BYE done\r\n"),
    ("* OK done\r\n", "A1 OK done\r\n"),
    ("* OK [ALERT] x\r\n", "* OK [PARSE] x\r\n"),
    ("* OK [ALERT] x\r\n", "* OK [ALERT] y\r\n"),
    ("* OK [READ-ONLY] x\r\n", "* OK [READ-WRITE] x\r\n"),
    ("* NO [TRYCREATE] x\r\n", "* NO [UIDNOTSTICKY] x\r\n"),
    ("* OK [UIDNEXT 5] x\r\n", "* OK [UIDNEXT 6] x\r\n"),
    ("* OK [UIDNEXT 5] x\r\n", "* OK [UIDVALIDITY 5] x\r\n"),
    ("* OK [UNSEEN 5] x\r\n", "* OK [UIDVALIDITY 5] x\r\n"),
    (
        "* OK [PERMANENTFLAGS (\\Seen)] x\r\n",
        "* OK [PERMANENTFLAGS (\\Seen \\*)] x\r\n",
    ),
    (
        "* NO [BADCHARSET (UTF-8)] x\r\n",
        "* NO [BADCHARSET (US-ASCII)] x\r\n",
    ),
    ("* NO [BADCHARSET] x\r\n", "* NO [BADCHARSET (UTF-8)] x\r\n"),
    (
        "* OK [CAPABILITY IMAP4rev1 IDLE] x\r\n",
        "* OK [CAPABILITY IMAP4rev1 MOVE] x\r\n",
    ),
    ("A1 OK [APPENDUID 1 5] x\r\n", "A1 OK [APPENDUID 1 6] x\r\n"),
    ("A1 OK [APPENDUID 1 5] x\r\n", "A1 OK [APPENDUID 2 5] x\r\n"),
    (
        "A1 OK [COPYUID 1 1:2 3:4] x\r\n",
        "A1 OK [COPYUID 1 1:2 3,4] x\r\n",
    ),
    (
        "A1 OK [COPYUID 1 1:2 3:4] x\r\n",
        "A1 OK [COPYUID 1 1,2 3:4] x\r\n",
    ),
    (
        "A1 OK [COPYUID 1 5 6] x\r\n",
        "A1 OK [COPYUID 1 5:5 6] x\r\n",
    ),
    ("* OK [XFOO a] x\r\n", "* OK [XFOO b] x\r\n"),
    ("* OK [XFOO a] x\r\n", "* OK [XBAR a] x\r\n"),
    ("* OK [XFOO] x\r\n", "* OK [XFOO a] x\r\n"),
    // Continuation requests.
    ("+ go on\r\n", "+ go no\r\n"),
    ("+ [ALERT] go on\r\n", "+ go on\r\n"),
    ("+ YWJj\r\n", "+ YWJk\r\n"),
    ("+ YWJj\r\n", "+ \r\n"),
    // Mailbox data.
    (
        "* CAPABILITY IMAP4rev1 IDLE\r\n",
        "* CAPABILITY IMAP4rev1 MOVE\r\n",
    ),
    ("* FLAGS (\\Seen)\r\n", "* FLAGS (\\Seen \\Draft)\r\n"),
    ("* FLAGS (\\Seen)\r\n", "* FLAGS (Seen)\r\n"),
    ("* FLAGS (\\Seen Foo)\r\n", "* FLAGS (\\Seen foo)\r\n"),
    ("* LIST () \"/\" a\r\n", "* LSUB () \"/\" a\r\n"),
    ("* LIST () \"/\" a\r\n", "* LIST () \".\" a\r\n"),
    ("* LIST () \"/\" a\r\n", "* LIST () NIL a\r\n"),
    ("* LIST () \"/\" a\r\n", "* LIST () \"/\" b\r\n"),
    ("* LIST () \"/\" INBOX\r\n", "* LIST () \"/\" INBOX2\r\n"),
    ("* LIST () \"/\" a\r\n", "* LIST (\\Noselect) \"/\" a\r\n"),
    (
        "* LIST (\\Marked) \"/\" a\r\n",
        "* LIST (\\Unmarked) \"/\" a\r\n",
    ),
    (
        "* LIST (\\HasChildren) \"/\" a\r\n",
        "* LIST (\\HasNoChildren) \"/\" a\r\n",
    ),
    ("* SEARCH 1 2\r\n", "* SEARCH 1 3\r\n"),
    ("* SEARCH\r\n", "* SEARCH 1\r\n"),
    ("* STATUS a (MESSAGES 1)\r\n", "* STATUS a (MESSAGES 2)\r\n"),
    ("* STATUS a (MESSAGES 1)\r\n", "* STATUS a (UNSEEN 1)\r\n"),
    ("* STATUS a (MESSAGES 1)\r\n", "* STATUS b (MESSAGES 1)\r\n"),
    ("* 3 EXISTS\r\n", "* 3 RECENT\r\n"),
    ("* 3 EXISTS\r\n", "* 4 EXISTS\r\n"),
    ("* 3 EXPUNGE\r\n", "* 4 EXPUNGE\r\n"),
    ("* SORT 1 2\r\n", "* SORT 2 1\r\n"),
    ("* THREAD (1 2)\r\n", "* THREAD (1 (2)(3))\r\n"),
    ("* ENABLED X1\r\n", "* ENABLED X2\r\n"),
    // FETCH: sequence number and every item.
    ("* 1 FETCH (UID 7)\r\n", "* 2 FETCH (UID 7)\r\n"),
    ("* 1 FETCH (UID 7)\r\n", "* 1 FETCH (UID 8)\r\n"),
    ("* 1 FETCH (UID 7)\r\n", "* 1 FETCH (RFC822.SIZE 7)\r\n"),
    (
        "* 1 FETCH (UID 7 FLAGS ())\r\n",
        "* 1 FETCH (FLAGS () UID 7)\r\n",
    ),
    (
        "* 1 FETCH (FLAGS (\\Seen))\r\n",
        "* 1 FETCH (FLAGS (\\Recent))\r\n",
    ),
    (
        "* 1 FETCH (FLAGS (\\Seen))\r\n",
        "* 1 FETCH (FLAGS (\\Seen $Junk))\r\n",
    ),
    (
        "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
        "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:26 -0700\")\r\n",
    ),
    (
        "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
        "* 1 FETCH (INTERNALDATE \"17-Jul-1996 03:44:25 -0600\")\r\n",
    ),
    (
        "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\n",
        "* 1 FETCH (INTERNALDATE \"17-Aug-1996 02:44:25 -0700\")\r\n",
    ),
    (
        "* 1 FETCH (RFC822 \"x\")\r\n",
        "* 1 FETCH (RFC822 \"y\")\r\n",
    ),
    ("* 1 FETCH (RFC822 \"\")\r\n", "* 1 FETCH (RFC822 NIL)\r\n"),
    (
        "* 1 FETCH (RFC822 \"x\")\r\n",
        "* 1 FETCH (RFC822.HEADER \"x\")\r\n",
    ),
    (
        "* 1 FETCH (RFC822.TEXT \"x\")\r\n",
        "* 1 FETCH (RFC822.HEADER \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[] \"x\")\r\n",
        "* 1 FETCH (BODY[] \"y\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[] \"x\")\r\n",
        "* 1 FETCH (BODY[]<0> \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[]<0> \"x\")\r\n",
        "* 1 FETCH (BODY[]<1> \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[1.2] \"x\")\r\n",
        "* 1 FETCH (BODY[1.3] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[1] \"x\")\r\n",
        "* 1 FETCH (BODY[1.MIME] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[HEADER] \"x\")\r\n",
        "* 1 FETCH (BODY[TEXT] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[HEADER] \"x\")\r\n",
        "* 1 FETCH (BODY[2.HEADER] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[HEADER.FIELDS (A)] \"x\")\r\n",
        "* 1 FETCH (BODY[HEADER.FIELDS (B)] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BODY[HEADER.FIELDS (A)] \"x\")\r\n",
        "* 1 FETCH (BODY[HEADER.FIELDS.NOT (A)] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BINARY[1] \"x\")\r\n",
        "* 1 FETCH (BINARY[2] \"x\")\r\n",
    ),
    (
        "* 1 FETCH (BINARY.SIZE[1] 5)\r\n",
        "* 1 FETCH (BINARY.SIZE[1] 6)\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"t\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"i\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((NIL NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" \"a\" \"m\" \"h\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" NIL ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL ((\"n\" NIL \"m\" \"h\")) NIL NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL \"r\" NIL))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL \"i\"))\r\n",
    ),
    (
        ENV,
        "* 1 FETCH (ENVELOPE (\"e\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL NIL))\r\n",
    ),
    // BODY and BODYSTRUCTURE.
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"HTML\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") \"<i>\" NIL \"7BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL \"d\" \"7BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"8BIT\" 3 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 4 1))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3 2))\r\n",
    ),
    (
        TEXT_PART,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3 1))\r\n",
    ),
    (
        "* 1 FETCH (BODY (\"IMAGE\" \"PNG\" NIL NIL NIL \"BASE64\" 3))\r\n",
        "* 1 FETCH (BODY (\"AUDIO\" \"PNG\" NIL NIL NIL \"BASE64\" 3))\r\n",
    ),
    (
        MULTI,
        "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"ALTERNATIVE\"))\r\n",
    ),
    (
        MULTI,
        "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 4 1) \"MIXED\"))\r\n",
    ),
    (
        MULTI,
        "* 1 FETCH (BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) \"MIXED\")(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 4 1) \"MIXED\"))\r\n",
    ),
    (
        MULTI,
        "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 4 1) \"MIXED\" (\"BOUNDARY\" \"x\")))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md6\" (\"inline\" NIL) (\"en\" \"de\") \"loc\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"attachment\" NIL) (\"en\" \"de\") \"loc\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" (\"A\" \"B\")) (\"en\" \"de\") \"loc\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" NIL (\"en\" \"de\") \"loc\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\") \"loc\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\" \"de\") \"lod\" 7 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\" \"de\") \"loc\" 9 (\"x\" 8)))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\" \"de\") \"loc\" 7 (\"x\" \"8\")))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\" \"de\") \"loc\" 7))\r\n",
    ),
    (
        EXT,
        "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\"))\r\n",
    ),
    (
        MESSAGE,
        "* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL \"t\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) 5))\r\n",
    ),
    (
        MESSAGE,
        "* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 3 1) 5))\r\n",
    ),
    (
        MESSAGE,
        "* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) 6))\r\n",
    ),
];

const ENV: &str =
    "* 1 FETCH (ENVELOPE (\"d\" \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL NIL NIL))\r\n";
const TEXT_PART: &str =
    "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3 1))\r\n";
const MULTI: &str = "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 4 1) \"ALTERNATIVE\"))\r\n";
const EXT: &str = "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1 \"md5\" (\"inline\" NIL) (\"en\" \"de\") \"loc\" 7 (\"x\" 8)))\r\n";
const MESSAGE: &str = "* 1 FETCH (BODY (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1) 5))\r\n";

/// The pairs the comparison cannot tell apart, or that are not compared at all.
pub fn blind_pairs() -> Vec<String> {
    PAIRS
        .iter()
        .filter_map(|(a, b)| check(a.as_bytes(), b.as_bytes()).err())
        .collect()
}

fn check(a: &[u8], b: &[u8]) -> Result<(), String> {
    let same = |frame: &[u8]| match judge(frame) {
        Verdict::Same(meaning) => Ok(meaning),
        other => Err(format!(
            "not compared: {:?}\n  {other:?}",
            String::from_utf8_lossy(frame)
        )),
    };
    if same(a)? == same(b)? {
        return Err(format!(
            "equal: {:?}\n   and {:?}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        ));
    }
    Ok(())
}
