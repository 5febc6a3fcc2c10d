use super::*;
use crate::generate::scenario::args::tokenize;
use crate::generate::scenario::directives::expand_defaults;

/// Match a server line (without `* `) against a script pattern (defaults expanded).
fn check(vars: &mut Vars, pattern: &str, input: &str) -> bool {
    let mut p = tokenize(pattern.as_bytes());
    expand_defaults(&mut p).unwrap();
    let input = tokenize(input.as_bytes());
    let prefix = input
        .first()
        .is_some_and(|a| ["ok", "no", "bad", "bye"].iter().any(|w| a.is_atom(w)));
    let mut at = Attempt::new(vars);
    let r = match_reply(&mut at, &p, &input, prefix);
    if r.is_err() {
        at.revert();
    }
    r.is_ok()
}

fn yes(pattern: &str, input: &str) {
    assert!(
        check(&mut Vars::default(), pattern, input),
        "{pattern} should match {input}"
    );
}

fn no(pattern: &str, input: &str) {
    assert!(
        !check(&mut Vars::default(), pattern, input),
        "{pattern} should not match {input}"
    );
}

#[test]
fn case_insensitive_and_strings_equal_literals() {
    yes("1 fetch (body[] \"ab\")", "1 FETCH (BODY[] {2}\r\nAB)");
    yes("list () / \"a b\"", "LIST () \"/\" {3}\r\na b");
    no("1 exists", "2 EXISTS");
    no("1 exists", "1 EXISTS extra");
}

#[test]
fn status_replies_match_as_prefix() {
    yes("ok [uidvalidity $v]", "OK [UIDVALIDITY 42] UIDs valid");
    yes("no [trycreate]", "NO [TRYCREATE] Mailbox doesn't exist");
    no("ok [read-write]", "OK [READ-ONLY] x");
}

#[test]
fn variables_bind_then_must_repeat() {
    let mut v = Vars::default();
    assert!(check(&mut v, "1 fetch (uid $uid1)", "1 FETCH (UID 17)"));
    assert_eq!(v.get(b"uid1"), Some(&b"17"[..]));
    assert!(check(&mut v, "2 fetch (uid $uid1)", "2 FETCH (UID 17)"));
    assert!(!check(&mut v, "2 fetch (uid $uid1)", "2 FETCH (UID 18)"));
    assert!(check(
        &mut v,
        "esearch uid all $a:$b,$c",
        "ESEARCH UID ALL 4:6,9"
    ));
    assert_eq!(
        (v.get(b"a"), v.get(b"b"), v.get(b"c")),
        (Some(&b"4"[..]), Some(&b"6"[..]), Some(&b"9"[..]))
    );
}

#[test]
fn failed_attempts_bind_nothing() {
    let mut v = Vars::default();
    assert!(!check(
        &mut v,
        "status x (uidnext $n messages 9)",
        "STATUS x (UIDNEXT 5 MESSAGES 8)"
    ));
    assert_eq!(v.get(b"n"), None);
}

#[test]
fn dollar_matches_anything_but_nil() {
    yes("1 fetch (uid $ flags $)", "1 FETCH (UID 3 FLAGS (\\Seen))");
    no("x $", "x NIL");
    yes("x $$kw", "x $kw");
}

#[test]
fn relative_sequences_follow_expunges() {
    let mut v = Vars::default();
    v.reset_seqmap(3);
    assert!(check(&mut v, "$1 expunge", "1 EXPUNGE"));
    v.expunge(1);
    assert!(check(&mut v, "$3 expunge", "2 EXPUNGE"));
    assert!(!check(&mut v, "$1 expunge", "1 EXPUNGE"), "$1 is gone");
}

#[test]
fn fetch_defaults_unordered_pairs_and_flags() {
    yes(
        "1 fetch (uid 4 flags (\\seen))",
        "1 FETCH (FLAGS (\\Seen \\Recent) UID 4)",
    );
    no(
        "1 fetch (flags (\\seen))",
        "1 FETCH (FLAGS (\\Seen \\Flagged))",
    );
    yes(
        "1 fetch (flags (\\seen))",
        "1 FETCH (FLAGS (\\Seen $HasNoAttachment))",
    );
    yes("1 fetch (uid 4)", "1 FETCH (UID 4 MODSEQ (9))");
    no("1 fetch (uid 4 flags ())", "1 FETCH (UID 4)");
}

#[test]
fn list_directives() {
    yes("list () / x", "LIST (\\HasNoChildren) \"/\" x");
    no("x ($!ordered a b)", "X (b a)");
    yes("x ($!unordered a b)", "X (b c a)");
    no("x ($!unordered $!noextra a b)", "X (b c a)");
    yes("x ($!unordered $!noextra $!ignore=c a b)", "X (b c a)");
    no("x ($!unordered $!ban=c a)", "X (c a)");
    yes("x ($!unordered $!ban=c a)", "X (d a)");
    yes("x ($!unordered=2 a 1 b 2)", "X (b 2 a 1)");
    no("x ($!unordered=2 a 1 b 2)", "X (b 1 a 2)");
    no("x ($!unordered=2 a 1)", "X (a 1 b)");
}

#[test]
fn bracket_skip() {
    yes("ok [capability $] done", "OK [CAPABILITY IMAP4rev1 X] done");
}

#[test]
fn rest_matches_any_number_of_elements() {
    yes("capability $* imap4rev1 $*", "CAPABILITY IMAP4rev1 IDLE");
    yes("capability $* imap4rev1 $*", "CAPABILITY IDLE IMAP4rev1");
    yes("capability $*", "CAPABILITY");
    no("capability $* imap4rev1 $*", "CAPABILITY IMAP4 IDLE");
    yes("search $* 3", "SEARCH 1 2 3");
    no("search $* 3", "SEARCH 1 3 2");
}
