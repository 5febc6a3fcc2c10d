//! LITERAL- (RFC 7888 §5): an oversized non-synchronising literal is rejected (BAD/NO, or
//! BYE), an APPEND's BAD carries TOOBIG, a BYE should; LITERAL+ and LITERAL- never together.

use super::{findings, fires, quiet};
use crate::check::Verdict;

const MINUS: &str = "caps IMAP4rev1 LITERAL-\n";
const PLUS: &str = "caps IMAP4rev1 LITERAL+\n";

/// `A1 APPEND INBOX` with a non-synchronising literal of `octets`, then `answer` lines.
fn append(octets: usize, answer: &str) -> String {
    let data = "x".repeat(octets);
    format!("1> A1 APPEND INBOX {{{octets}+}}\n1+ {data}\n{answer}")
}

#[test]
fn an_oversized_nonsync_literal_is_never_executed() {
    let v = fires(
        &format!("{MINUS}{}", append(5000, "1< A1 OK [APPENDUID 7 1] done\n")),
        "R7888-5-02",
    );
    assert_eq!(v.detector, "literal-minus");
    assert_eq!(v.verdict, Verdict::Fail);
    // The rejections RFC 7888 §4 allows.
    quiet(&format!(
        "{MINUS}{}",
        append(5000, "1< A1 BAD [TOOBIG] too big\n")
    ));
    quiet(&format!("{MINUS}{}", append(5000, "1< A1 NO too big\n")));
    // At the limit, and under LITERAL+, any size is fine.
    quiet(&format!("{MINUS}{}", append(4096, "1< A1 OK done\n")));
    quiet(&format!("{PLUS}{}", append(5000, "1< A1 OK done\n")));
}

#[test]
fn an_append_bad_carries_toobig() {
    let v = fires(
        &format!("{MINUS}{}", append(5000, "1< A1 BAD too big\n")),
        "R7888-5-03",
    );
    assert_eq!(v.verdict, Verdict::Fail);
}

#[test]
fn a_bye_should_carry_toobig() {
    let bye = |code: &str| {
        findings(&format!(
            "{MINUS}{}",
            append(
                5000,
                &format!(
                    "1< * BYE {code}Non-synchronizing literal size too large\n1! disconnect A1\n"
                )
            )
        ))
    };
    // Dovecot 2.3's answer (imap_literal_minus = yes).
    assert_eq!(bye("[TOOBIG] ").citing("R7888-5-04").count(), 0);
    assert_eq!(bye("[TOOBIG] ").citing("R7888-5-02").count(), 0);
    let without = bye("");
    let v = without
        .citing("R7888-5-04")
        .next()
        .expect("a BYE without TOOBIG");
    assert_eq!(v.verdict, Verdict::NonStrict);
}

#[test]
fn literal_plus_and_minus_are_never_advertised_together() {
    let v = fires(
        "1> C1 CAPABILITY\n1< * CAPABILITY IMAP4rev1 LITERAL+ LITERAL-\n1< C1 OK done\n",
        "R7888-5-01",
    );
    assert_eq!(v.verdict, Verdict::Fail);
    fires(
        "1> C1 NOOP\n1< C1 OK [CAPABILITY IMAP4rev1 literal- LITERAL+] done\n",
        "R7888-5-01",
    );
    quiet("1> C1 CAPABILITY\n1< * CAPABILITY IMAP4rev1 LITERAL-\n1< C1 OK done\n");
}
