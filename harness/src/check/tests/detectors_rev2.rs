//! IMAP4rev2 (RFC 9051) once enabled: SELECT returns LIST and, replacing a selection,
//! `[CLOSED]`; SEARCH answers with ESEARCH. Before ENABLE, rev1's answers stay quiet.

use super::{fires, quiet};

const CAPS: &str = "caps IMAP4rev1 IMAP4rev2 ENABLE ESEARCH\n";
const ENABLE: &str = "1> E1 ENABLE IMAP4rev2\n1< * ENABLED IMAP4rev2\n1< E1 OK done\n";

fn select(tag: &str, extra: &str) -> String {
    format!(
        "1> {tag} SELECT INBOX\n1< * FLAGS (\\Seen)\n1< * 2 EXISTS\n1< * OK [UIDVALIDITY 7] ok\n\
         1< * OK [UIDNEXT 3] ok\n{extra}1< {tag} OK [READ-WRITE] done\n"
    )
}

const LIST: &str = "1< * LIST () \"/\" INBOX\n";

#[test]
fn a_rev2_select_returns_list_and_closed() {
    let v = fires(
        &format!("{CAPS}{ENABLE}{}", select("S1", "")),
        "R9051-6.3.2-01",
    );
    assert_eq!(v.detector, "imap4rev2");
    quiet(&format!("{CAPS}{ENABLE}{}", select("S1", LIST)));
    // A second SELECT replaces the first: [CLOSED] is due.
    let again = format!("{CAPS}{ENABLE}{}{}", select("S1", LIST), select("S2", LIST));
    fires(&again, "R9051-6.3.2-02");
    let closed = format!("1< * OK [CLOSED] closed\n{LIST}");
    quiet(&format!(
        "{CAPS}{ENABLE}{}{}",
        select("S1", LIST),
        select("S2", &closed)
    ));
    // Not enabled: rev1 rules.
    quiet(&format!("{CAPS}{}{}", select("S1", ""), select("S2", "")));
}

#[test]
fn a_rev2_search_answers_with_esearch() {
    let base = format!("{CAPS}{ENABLE}{}", select("S1", LIST));
    let search = |untagged: &str| format!("1> Q1 SEARCH ALL\n1< {untagged}\n1< Q1 OK done\n");
    fires(
        &format!("{base}{}", search("* SEARCH 1 2")),
        "R9051-6.4.4-I01",
    );
    quiet(&format!(
        "{base}{}",
        search("* ESEARCH (TAG \"Q1\") ALL 1:2")
    ));
    let rev1 = format!("{CAPS}{}", select("S1", ""));
    quiet(&format!("{rev1}{}", search("* SEARCH 1 2")));
}

#[test]
fn utf8_quoted_strings_only_after_enable() {
    let list = "1> L1 LIST \"\" *\n1< * LIST () \"/\" \"T\u{eb}st\"\n1< L1 OK done\n";
    quiet(&format!("{CAPS}{ENABLE}{list}"));
    let v = fires(&format!("{CAPS}{list}"), "R9051-A-01");
    assert_eq!(v.detector, "syntax");
    // A server offering rev1 alone: plain bad syntax.
    fires(&format!("caps IMAP4rev1\n{list}"), "R3501-9-02");
    // RFC 9051's text: UTF-8 too, after ENABLE only.
    let no = "1> D1 DELETE x\n1< D1 NO [NONEXISTENT] No mailbox: Gr\u{fc}n\n";
    quiet(&format!("{CAPS}{ENABLE}{no}"));
    fires(&format!("{CAPS}{no}"), "R9051-A-01");
}

#[test]
fn rev2_search_charsets_and_dropped_grammar() {
    let base = format!("{CAPS}{ENABLE}{}", select("S1", LIST));
    let bad = |cmd: &str| format!("1> Q1 {cmd}\n1< Q1 BAD no\n");
    // Both charsets are IMAP4rev2's own (RFC 9051 section 6.4.4).
    let utf8 = bad("SEARCH CHARSET UTF-8 ALL");
    assert_eq!(
        fires(&format!("{base}{utf8}"), "R9051-6.4.4-01").detector,
        "rejections"
    );
    fires(
        &format!("{base}{}", bad("UID SEARCH CHARSET US-ASCII ALL")),
        "R9051-6.4.4-01",
    );
    fires(&format!("{CAPS}{}{utf8}", select("S1", "")), "R3501-9-02");
    // RECENT, NEW, OLD, LSUB and CHECK are rev1's: BAD is fair once rev2 is on, not before.
    for cmd in [
        "STATUS INBOX (MESSAGES RECENT)",
        "SEARCH NOT (OR NEW SEEN)",
        "CHECK",
    ] {
        quiet(&format!("{base}{}", bad(cmd)));
        fires(
            &format!("{CAPS}{}{}", select("S1", ""), bad(cmd)),
            "R3501-9-02",
        );
    }
}
