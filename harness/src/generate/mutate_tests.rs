//! The lane's promises: at least twenty named mutations, each applicable, replayable from the
//! seed, each breaking the grammar it claims to break, and none applied to a command that
//! could reach mail outside the run.

use super::*;
use crate::wire::command::parse_command;

fn base(text: &str) -> CommandBody {
    parse_command(format!("T {text}\r\n").as_bytes())
        .expect("a valid base command")
        .body
}

fn apply(m: Mutation, base_text: Option<&str>, seed: u64) -> Option<RawCommand> {
    let body = base_text.map(base);
    let cx = MutationContext {
        literal_plus: false,
        literal_minus: false,
        selected: true,
    };
    m.apply(body.as_ref(), cx, &mut Pick::new(seed, 1))
}

fn framed(raw: &RawCommand) -> Vec<u8> {
    let mut out = format!("T1{} ", raw.tag_suffix).into_bytes();
    out.extend_from_slice(&raw.bytes);
    out
}

#[test]
fn twenty_or_more_named_mutations_each_with_a_unique_name() {
    assert!(ALL.len() >= 20);
    let names: std::collections::HashSet<_> = ALL.iter().map(|m| m.name()).collect();
    assert_eq!(names.len(), ALL.len());
    for &m in ALL {
        assert_eq!(Mutation::from_name(m.name()), Some(m));
    }
}

#[test]
fn every_mutation_applies_to_a_fetch_or_alone_and_ends_its_line() {
    for &m in ALL {
        let raw = apply(m, Some("FETCH 3 (FLAGS UID)"), 7)
            .or_else(|| apply(m, None, 7))
            .unwrap_or_else(|| panic!("{} applies to nothing", m.name()));
        assert_eq!(raw.mutation, m.name());
        assert!(raw.bytes.ends_with(b"\r\n"), "{} {:?}", m.name(), raw.bytes);
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    for &m in ALL {
        let a = apply(m, Some("SEARCH TEXT \"hello world\" 1:5"), 42);
        let b = apply(m, Some("SEARCH TEXT \"hello world\" 1:5"), 42);
        assert_eq!(a, b, "{}", m.name());
    }
}

#[test]
fn grammar_breaking_mutations_do_not_parse_and_grammar_keeping_ones_do() {
    let single_line = [
        UnbalancedOpenParen,
        UnbalancedCloseParen,
        NulInAtom,
        EightBitInAtom,
        NulInQuoted,
        EightBitInQuoted,
        HugeNumber,
        ZeroSequence,
        RepeatedArguments,
        FormatString,
        BraceFlood,
    ];
    for m in single_line {
        let raw = apply(m, Some("FETCH 3 (FLAGS UID)"), 3).expect("applies");
        assert!(parse_command(&framed(&raw)).is_err(), "{} parsed", m.name());
    }
    for m in [EmptyCommand, UnknownCommand] {
        let raw = apply(m, None, 3).expect("applies");
        assert!(parse_command(&framed(&raw)).is_err(), "{} parsed", m.name());
    }
    let reversed = apply(ReversedRange, Some("FETCH 3 (FLAGS UID)"), 3).expect("applies");
    assert_eq!(reversed.bytes, b"FETCH 3:1 (FLAGS UID)\r\n");
    assert!(ReversedRange.keeps_grammar());
    assert!(parse_command(&framed(&reversed)).is_ok());
}

#[test]
fn length_lies_pad_to_the_claim_so_a_server_never_waits_for_octets() {
    let longer = apply(LiteralLongerThanData, Some("NOOP"), 1).expect("applies");
    let text = longer.bytes;
    let open = text.iter().position(|&b| b == b'{').expect("a literal");
    let data_start = open
        + text[open..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("CRLF")
        + 2;
    assert!(
        text.len() - 2 - data_start >= 10,
        "the claimed 10 octets are all sent"
    );
    let claim = apply(HugeLiteralClaim, None, 1).expect("applies");
    assert!(claim.close_on_continuation);
}

#[test]
fn overlong_tag_lengthens_the_tag_not_the_command() {
    let raw = apply(OverlongTag, Some("NOOP"), 1).expect("applies");
    assert_eq!(raw.tag_suffix.len(), OVERLONG_TAG);
    assert_eq!(raw.bytes, b"NOOP\r\n");
}

#[test]
fn commands_that_name_or_change_other_mail_are_never_mutated() {
    for text in [
        "SELECT INBOX.run",
        "DELETE INBOX.run",
        "RENAME a b",
        "COPY 1 INBOX.run",
        "EXPUNGE",
        "CREATE INBOX.run.x",
        "SUBSCRIBE INBOX.run",
    ] {
        assert!(!mutable(&base(text)), "{text}");
        assert_eq!(apply(Truncated, Some(text), 1), None, "{text}");
    }
    assert!(mutable(&base("EXAMINE INBOX.run")));
}

#[test]
fn a_literal_plus_lie_only_when_literal_plus_is_not_advertised() {
    let body = base("NOOP");
    let with = MutationContext {
        literal_plus: true,
        literal_minus: false,
        selected: false,
    };
    let lie = LiteralPlusUnadvertised.apply(Some(&body), with, &mut Pick::new(1, 1));
    assert_eq!(lie, None);
    assert!(apply(LiteralPlusUnadvertised, Some("NOOP"), 1).is_some());
}

#[test]
fn under_literal_minus_the_lie_is_an_oversized_nonsync_literal() {
    let minus = MutationContext {
        literal_plus: false,
        literal_minus: true,
        selected: false,
    };
    let raw = LiteralPlusUnadvertised
        .apply(Some(&base("NOOP")), minus, &mut Pick::new(1, 1))
        .expect("applies");
    let bytes = [b"T ".as_slice(), &raw.bytes].concat();
    let octets = crate::model::assemble::largest_nonsync_literal(&bytes);
    assert!(octets > 4096, "{octets}");
    assert!(crate::model::assemble::is_complete(&bytes));
}
