//! ID (RFC 2971): an ID response per ID command, within §3.3's bounds, no field twice.

use super::{fires, quiet};
use crate::check::Verdict;

fn id(answer: &str) -> String {
    format!("caps IMAP4rev1 ID\n1> A1 ID (\"name\" \"imapgate\")\n{answer}1< A1 OK done\n")
}

#[test]
fn a_bounded_answer_or_nil_passes() {
    quiet(&id("1< * ID (\"name\" \"Dovecot\" \"Version\" \"2.3\")\n"));
    quiet(&id("1< * ID NIL\n"));
    // A refused ID owes no response.
    quiet("caps IMAP4rev1 ID\n1> A1 ID NIL\n1< A1 NO later\n");
}

#[test]
fn an_ok_without_an_id_response_is_nonstrict() {
    let v = fires(&id(""), "R2971-3.2-01");
    assert_eq!(v.detector, "id");
    assert_eq!(v.verdict, Verdict::NonStrict);
    // Every ID command needs an ID response of its own.
    quiet(
        "caps IMAP4rev1 ID\n1> A1 ID NIL\n1< * ID NIL\n1< A1 OK done\n\
         1> A2 ID NIL\n1< * ID NIL\n1< A2 OK done\n",
    );
    fires(
        "caps IMAP4rev1 ID\n1> A1 ID NIL\n1< * ID NIL\n1< A1 OK done\n\
         1> A2 ID NIL\n1< A2 OK done\n",
        "R2971-3.2-01",
    );
}

#[test]
fn oversized_or_repeated_fields_fire() {
    let long_name = "n".repeat(31);
    let v = fires(
        &id(&format!("1< * ID (\"{long_name}\" \"x\")\n")),
        "R2971-3.3-01",
    );
    assert!(v.observed.contains("31 octets"), "{}", v.observed);
    let long_value = "v".repeat(1025);
    fires(
        &id(&format!("1< * ID (\"name\" \"{long_value}\")\n")),
        "R2971-3.3-01",
    );
    quiet(&id(&format!(
        "1< * ID (\"name\" \"{}\")\n",
        "v".repeat(1024)
    )));
    let pairs: String = (0..31).map(|i| format!("\"f{i}\" NIL ")).collect();
    fires(
        &id(&format!("1< * ID ({})\n", pairs.trim_end())),
        "R2971-3.3-01",
    );
    let v = fires(
        &id("1< * ID (\"name\" \"a\" \"NAME\" \"b\")\n"),
        "R2971-3.3-02",
    );
    assert!(v.observed.contains("NAME"), "{}", v.observed);
}
