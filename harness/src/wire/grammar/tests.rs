//! Known-answer tests of the primitive rules, with both error types.

// A failed unwrap is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::borrow::Cow;

use super::*;
use crate::wire::diag::{DiagError, parse_complete};

type R<'a, T> = PResult<'a, T, ()>;

#[test]
fn number_and_nz_number() {
    let r: R<'_, u32> = number(b"4294967295 ");
    assert_eq!(r, Ok((&b" "[..], u32::MAX)));
    assert!(number::<()>(b"4294967296").is_err());
    assert!(nz_number::<()>(b"0").is_err());
    assert_eq!(nz_number::<()>(b"10)"), Ok((&b")"[..], 10)));
    assert_eq!(
        mod_sequence_value::<()>(b"9223372036854775807"),
        Ok((&b""[..], i64::MAX as u64))
    );
}

#[test]
fn quoted_escapes_and_8bit() {
    let (rest, s) = quoted::<()>(b"\"a\\\"b\\\\c\" x").unwrap();
    assert_eq!(rest, b" x");
    assert_eq!(s.as_bytes(), b"a\"b\\c");
    assert!(matches!(s.0, Cow::Owned(_)));
    let (_, plain) = quoted::<()>(b"\"plain\"").unwrap();
    assert!(matches!(plain.0, Cow::Borrowed(b"plain")));
    assert!(quoted::<()>(b"\"gr\xc3\xbc\xc3\x9fe\"").is_err());
    assert!(quoted::<()>(b"\"bad \\x escape\"").is_err());
}

#[test]
fn utf8_quoted_only_while_in_force() {
    use super::utf8::with_utf8;
    let s = b"\"gr\xc3\xbc\xc3\x9fe \xf0\x9f\x93\xa8\" x";
    assert!(quoted::<()>(s).is_err(), "7-bit by default");
    let (rest, v) = with_utf8(|| quoted::<()>(s)).unwrap();
    assert_eq!(rest, b" x");
    assert_eq!(v.as_bytes(), "grüße 📨".as_bytes());
    let escaped = with_utf8(|| quoted::<()>(b"\"\xc3\xbc\\\"\"")).unwrap().1;
    assert_eq!(escaped.as_bytes(), "ü\"".as_bytes());
    for bad in [
        &b"\"\xff\""[..],
        b"\"\xc3\"",
        b"\"\xc0\xaf\"",
        b"\"\xed\xa0\x80\"",
    ] {
        assert!(
            with_utf8(|| quoted::<()>(bad)).is_err(),
            "{bad:?} is not UTF-8"
        );
    }
    assert!(quoted::<()>(s).is_err(), "the mode ends with its parse");
    let t = "Mailbox doesn't exist: Grüße\r\n".as_bytes();
    assert_eq!(text::<()>(t).unwrap().1, b"Mailbox doesn't exist: Gr");
    let (rest, all) = with_utf8(|| text::<()>(t)).unwrap();
    assert_eq!(
        (all, rest),
        ("Mailbox doesn't exist: Grüße".as_bytes(), &b"\r\n"[..])
    );
    assert_eq!(with_utf8(|| text::<()>(b"ab\xff")).unwrap().1, b"ab");
}

#[test]
fn literal_and_literal8() {
    assert_eq!(literal::<()>(b"{3}\r\nabc)"), Ok((&b")"[..], &b"abc"[..])));
    assert!(literal::<()>(b"{3}\r\na\0c").is_err(), "NUL is not a CHAR8");
    assert!(literal::<()>(b"{5}\r\nabc").is_err(), "short literal");
    assert_eq!(
        literal8::<()>(b"~{2}\r\n\0\x01"),
        Ok((&b""[..], &b"\0\x01"[..]))
    );
}

#[test]
fn astring_nstring_mailbox() {
    assert_eq!(astring::<()>(b"a]b c").unwrap().1.as_bytes(), b"a]b");
    assert_eq!(nstring::<()>(b"nil)"), Ok((&b")"[..], None)));
    assert!(nstring::<()>(b"NILS").is_err());
    assert_eq!(mailbox::<()>(b"\"iNbOx\"").unwrap().1, Mailbox::Inbox);
    assert_eq!(
        mailbox::<()>(b"Work/x").unwrap().1,
        Mailbox::Other("Work/x".into())
    );
}

#[test]
fn flags() {
    let (_, list) = flag_list::<()>(b"(\\seen $Junk \\X-Ext)", false).unwrap();
    assert_eq!(
        list,
        vec![
            Flag::Seen,
            Flag::Keyword("$Junk".into()),
            Flag::Extension("X-Ext".into())
        ]
    );
    assert!(flag_list::<()>(b"(\\*)", false).is_err());
    assert_eq!(
        flag_list::<()>(b"(\\*)", true).unwrap().1,
        vec![Flag::Wildcard]
    );
    assert!(flag_list::<()>(b"(\\Seen )", false).is_err());
}

#[test]
fn sequence_sets() {
    let (_, set) = sequence_set::<()>(b"1,3:*,7").unwrap();
    assert_eq!(set.0.len(), 3);
    assert!(uid_set::<()>(b"3:*").is_err(), "uid-set has no *");
}

#[test]
fn dates() {
    let (_, dt) = date_time::<()>(b"\" 7-Feb-1994 21:52:25 -0800\"").unwrap();
    assert_eq!(
        (dt.day, dt.month, dt.year, dt.zone_minutes),
        (7, 2, 1994, -480)
    );
    assert!(date_time::<()>(b"\"07-Foo-1994 21:52:25 -0800\"").is_err());
    assert_eq!(
        date::<()>(b"1-feb-2020").unwrap().1,
        Date {
            day: 1,
            month: 2,
            year: 2020
        }
    );
    let mut out = Vec::new();
    encode::write_date_time(&mut out, &dt);
    assert_eq!(out, b"\"07-Feb-1994 21:52:25 -0800\"");
}

#[test]
fn diagnostic_names_rule_expected_and_found() {
    fn rule<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u32, E> {
        let (i, ()) = keyword(i, b"UID", "\"UID\"")?;
        let (i, ()) = sp(i)?;
        ctx("uniqueid", i, nz_number(i))
    }
    let err = parse_complete(b"UID 0\r\n", rule::<()>, rule::<DiagError>).unwrap_err();
    assert_eq!(err.offset, 4);
    assert_eq!(err.rules, vec!["nz-number", "uniqueid"]);
    assert_eq!(err.expected, vec!["nz-number (digit-nz *DIGIT)"]);
    assert_eq!(err.found, "\"0\"");
    assert_eq!(err.line, "UID 0\\r\\n");
    assert_eq!(err.column, 4);
    let text = err.to_string();
    assert!(text.contains("  | UID 0\\r\\n\n  |     ^"), "{text}");
    let trailing = parse_complete(b"UID 7 x", rule::<()>, rule::<DiagError>).unwrap_err();
    assert_eq!((trailing.offset, trailing.found.as_str()), (5, "\" \""));
}

/// Bytes that end a run of QUOTED-CHARs, or sit next to the boundaries of that class.
fn quoted_edge_byte() -> impl proptest::strategy::Strategy<Value = u8> {
    use proptest::prelude::*;
    let edges = vec![
        0, 1, b'\r', b'\n', b'"', b'\\', b'!', b'#', 0x7f, 0x80, 0xfe, 0xff,
    ];
    prop_oneof![4 => b'a'..=b'z', 2 => prop::sample::select(edges), 1 => any::<u8>()]
}

proptest::proptest! {
    /// The word-at-a-time scan of `quoted` finds exactly what the byte loop finds.
    #[test]
    fn quoted_span_is_the_span_of_quoted_chars(
        bytes in proptest::collection::vec(quoted_edge_byte(), 0..48),
    ) {
        let expected = chars::span(&bytes, chars::is_quoted_char);
        proptest::prop_assert_eq!(chars::quoted_span(&bytes), expected);
    }
}
