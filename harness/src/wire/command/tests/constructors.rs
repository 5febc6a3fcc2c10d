//! Every validating constructor rejects what the grammar forbids and keeps what it allows.

use crate::wire::command::*;

#[test]
fn tags() {
    assert!(Tag::new("A0001").is_ok());
    assert!(Tag::new("a]b").is_ok(), "resp-specials are ASTRING-CHARs");
    for bad in [
        "", "A+1", "A 1", "A(1", "A{1", "A%1", "A*1", "A\"1", "A\\1", "A\r1", "Ä1",
    ] {
        assert!(Tag::new(bad).is_err(), "tag {bad:?} must be rejected");
    }
}

#[test]
fn atoms() {
    assert!(Atom::new("PLAIN").is_ok());
    for bad in ["", "a]", "a b", "a\u{7f}", "a\0", "(x"] {
        assert!(Atom::new(bad).is_err(), "atom {bad:?} must be rejected");
    }
}

#[test]
fn strings_reject_nul_only() {
    assert!(AString::new(&b"line\r\nbreak \xff"[..]).is_ok());
    assert!(AString::new(Vec::new()).is_ok(), "\"\" is a valid astring");
    assert_eq!(
        AString::new(&b"a\0b"[..]),
        Err(ValueError::ForbiddenByte {
            what: "astring",
            byte: 0,
            offset: 1
        })
    );
    assert!(IString::new(&b"\0"[..]).is_err());
    assert!(LiteralData::new(&b"x\0"[..]).is_err());
    assert!(ListMailbox::new(&b"%\0"[..]).is_err());
}

#[test]
fn charsets() {
    assert!(Charset::new("UTF-8").is_ok());
    for bad in ["", "UTF\r8", "ütf"] {
        assert!(
            Charset::new(bad).is_err(),
            "charset {bad:?} must be rejected"
        );
    }
}

#[test]
fn mailboxes_fold_inbox() {
    assert_eq!(Mailbox::new("iNbOx"), Ok(Mailbox::Inbox));
    assert!(matches!(Mailbox::new("INBOX.Work"), Ok(Mailbox::Other(_))));
    assert!(Mailbox::new(&b"a\0"[..]).is_err());
}

#[test]
fn flags() {
    assert_eq!(Flag::system("seen"), Ok(Flag::Seen));
    assert!(matches!(Flag::system("Junk"), Ok(Flag::Extension(_))));
    assert_eq!(Flag::system("Recent"), Err(ValueError::RecentFlag));
    assert_eq!(Flag::system("RECENT"), Err(ValueError::RecentFlag));
    assert!(Flag::system("*").is_err(), "\\* is PERMANENTFLAGS-only");
    assert!(Flag::keyword("$Label1").is_ok());
    assert!(Flag::keyword("a\"b").is_err());
    assert!(Flag::keyword("").is_err());
}

#[test]
fn sequence_sets() {
    assert_eq!(SequenceSet::single(0), Err(ValueError::Zero));
    assert_eq!(SequenceSet::range(0, 5), Err(ValueError::Zero));
    assert_eq!(SequenceSet::range(5, 0), Err(ValueError::Zero));
    assert_eq!(SequenceSet::new(vec![]), Err(ValueError::EmptySequenceSet));
    assert_eq!(
        SequenceSet::all().items(),
        &[SeqItem::Range(
            SeqNumber::new(1).unwrap(),
            SeqNumber::Largest
        )]
    );
    let set = SequenceSet::new(vec![
        SeqItem::Single(SeqNumber::new(1).unwrap()),
        SeqItem::Range(SeqNumber::new(3).unwrap(), SeqNumber::Largest),
    ])
    .unwrap();
    assert_eq!(set.items().len(), 2);
}

#[test]
fn dates() {
    assert!(Date::new(2000, 2, 29).is_ok(), "2000 is a leap year");
    let bad = [
        (1900, 2, 29),
        (2001, 2, 29),
        (2000, 2, 30),
        (2000, 4, 31),
        (2000, 0, 1),
        (2000, 13, 1),
        (2000, 1, 0),
        (10000, 1, 1),
    ];
    for (y, m, d) in bad {
        assert!(Date::new(y, m, d).is_err(), "{d}-{m}-{y} must be rejected");
    }
}

#[test]
fn date_times_and_zones() {
    let date = Date::new(1996, 7, 17).unwrap();
    let zone = Zone::new(true, 7, 0).unwrap();
    assert!(DateTime::new(date, (2, 44, 25), zone).is_ok());
    assert!(
        DateTime::new(date, (23, 59, 60), zone).is_ok(),
        "leap second"
    );
    assert!(DateTime::new(date, (24, 0, 0), zone).is_err());
    assert!(DateTime::new(date, (0, 60, 0), zone).is_err());
    assert!(DateTime::new(date, (0, 0, 61), zone).is_err());
    assert!(Zone::new(false, 24, 0).is_err());
    assert!(Zone::new(false, 1, 60).is_err());
}

#[test]
fn base64_and_initial_response() {
    assert!(Base64::new("AHVzZXIxAHBhc3M=").is_ok());
    assert!(Base64::new("").is_ok());
    for bad in ["abc", "a===", "=abc", "ab=c", "ab c", "ab-_"] {
        assert!(Base64::new(bad).is_err(), "base64 {bad:?} must be rejected");
    }
    assert!(InitialResponse::data(Base64::new("").unwrap()).is_err());
}

#[test]
fn mod_sequences() {
    assert!(ModSeq::new(0).is_err());
    assert!(ModSeq::new(MAX_MOD_SEQ).is_ok());
    assert!(ModSeq::new(MAX_MOD_SEQ + 1).is_err());
    assert!(ModSeqValzer::new(0).is_ok());
    assert!(ModSeqValzer::new(u64::MAX).is_err());
}

#[test]
fn experimental_commands() {
    let name = |s: &str| Atom::new(s).unwrap();
    assert!(Experimental::new(name("XLIST"), &b"\"\" %"[..]).is_ok());
    assert!(Experimental::new(name("XYZZY"), Vec::new()).is_ok());
    assert!(Experimental::new(name("FOO"), Vec::new()).is_err());
    assert!(Experimental::new(name("X"), Vec::new()).is_err());
    assert!(Experimental::new(name("XA"), &b"a\r\nb"[..]).is_err());
    assert!(Experimental::new(name("XA"), &b"{5}"[..]).is_err());
}

#[test]
fn non_empty_lists() {
    assert!(NonEmpty::<u8>::new(vec![]).is_err());
    assert_eq!(NonEmpty::one(7).first(), &7);
}

#[test]
fn modified_utf7() {
    let cases = [
        ("Entwürfe", "Entw&APw-rfe"),
        ("R&D", "R&-D"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("", ""),
        ("𝄞", "&2DTdHg-"),
    ];
    for (unicode, wire) in cases {
        assert_eq!(encode_modified_utf7(unicode), wire, "encoding {unicode:?}");
        assert_eq!(
            decode_modified_utf7(wire.as_bytes()).as_deref(),
            Ok(unicode),
            "decoding {wire:?}"
        );
    }
    assert_eq!(
        Mailbox::from_utf8("Entwürfe").unwrap().as_bytes(),
        b"Entw&APw-rfe"
    );
    assert_eq!(
        Mailbox::new("R&-D").unwrap().to_utf8().as_deref(),
        Ok("R&D")
    );
}

#[test]
fn modified_utf7_rejects_non_canonical() {
    for bad in [
        &b"&APw"[..],
        b"a\xc3\xbc",
        b"&AGE-",
        b"&APw/-",
        b"&APx-",
        b"a&",
    ] {
        assert!(
            decode_modified_utf7(bad).is_err(),
            "{:?} must be rejected",
            String::from_utf8_lossy(bad)
        );
    }
}
