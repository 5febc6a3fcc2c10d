//! Every response of the real-server recordings in `shared/corpus-real` parses, apart
//! from the server deviations documented in that folder's README.

use std::path::PathBuf;

use crate::wire::corpus_real::{recordings, split};
use crate::wire::{ParseError, parse_response};

/// The server recordings.
fn corpus_files() -> Vec<PathBuf> {
    recordings(".server.imap")
}

/// One response per frame; a server sends only synchronising literals.
fn frames(stream: &[u8]) -> Vec<&[u8]> {
    split(stream, |_, sync| sync)
}

/// A server deviation: which files show it, and how to recognise its diagnostic.
struct Deviation {
    files: &'static [&'static str],
    /// A rule in the diagnostic's rule stack, or `""` for any.
    rule: &'static str,
    /// A piece of the "expected" text.
    expected: &'static str,
    /// The start of the "found" text, or `""` for any.
    found: &'static str,
    why: &'static str,
}

/// Every failure allowed in the corpus. All but the last two are listed in the corpus
/// README ("Lines believed to violate RFC 3501 syntax"); the last two were found by this
/// parser and are real violations too.
const DEVIATIONS: &[Deviation] = &[
    Deviation {
        files: &["goimap-A.conn2", "hoodiecrow-A.conn2"],
        rule: "continue-req",
        expected: "SP (continue-req",
        found: "\"\\r\\n\"",
        why: "`+` CRLF: continue-req = \"+\" SP (resp-text / base64)",
    },
    Deviation {
        files: &["goimap-A."],
        rule: "status-att-val",
        expected: "mod-sequence-value",
        found: "\"NIL\"",
        why: "STATUS echoes an unknown item with NIL (BOGUS NIL)",
    },
    Deviation {
        files: &["goimap-A.", "hoodiecrow-A.", "pymap-A."],
        rule: "",
        expected: "1*address has no separator",
        found: "\" \"",
        why: "SP between the addresses of an address list",
    },
    Deviation {
        files: &["goimap-A."],
        rule: "body-fld-param",
        expected: "string",
        found: "\")\"",
        why: "empty body-fld-param `()` (must be NIL or at least one pair)",
    },
    Deviation {
        files: &["goimap-A."],
        rule: "body-fld-enc",
        expected: "string",
        found: "\"NIL\"",
        why: "NIL body-fld-enc (must be a string)",
    },
    Deviation {
        files: &["goimap-A.", "hoodiecrow-A."],
        rule: "media-subtype",
        expected: "string",
        found: "\"(\"",
        why: "SP between the body parts of a multipart (1*body has no separator)",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "resp-text",
        expected: "SP text after \"]\"",
        found: "\"\\r\\n\"",
        why: "no text after the response code's \"]\"",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "response-tagged",
        expected: "CRLF",
        found: "\"\\n\"",
        why: "tagged NO text is a multi-line stack trace with bare LF",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "quoted",
        expected: "QUOTED-CHAR",
        found: "\"\\x",
        why: "raw UTF-8 in a quoted string (quoted strings are 7-bit)",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "HIGHESTMODSEQ",
        expected: "mod-sequence-value",
        found: "\"NIL\"",
        why: "STATUS HIGHESTMODSEQ NIL (needs a number)",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "msg-att-static",
        expected: "only the origin",
        found: "\".",
        why: "BODY[]<0.100>: a response carries only the origin",
    },
    Deviation {
        files: &["pymap-A."],
        rule: "msg-att",
        expected: "SP",
        found: "\"[\"",
        why: "BINARY.PEEK[2] echoed in the response (RFC 3516: BINARY[2])",
    },
    Deviation {
        files: &["hoodiecrow-A."],
        rule: "uid-set",
        expected: "nz-number",
        found: "\" \"",
        why: "not in the README: `[COPYUID 1  ]` with empty uid-sets (RFC 4315: uid-set is 1* UIDs)",
    },
    Deviation {
        files: &["pymap-A."],
        rule: "body-fld-dsp",
        expected: "\"(\" or NIL",
        found: "\"\"\"",
        why: "not in the README: body-fld-dsp sent as a string \"attachment; filename=...\"",
    },
];

fn matches(d: &Deviation, file: &str, e: &ParseError) -> bool {
    d.files.iter().any(|f| file.starts_with(f))
        && (d.rule.is_empty() || e.rules.contains(&d.rule))
        && e.expected.iter().any(|x| x.contains(d.expected))
        && e.found.starts_with(d.found)
}

#[test]
fn corpus_real_parses() {
    let mut total = 0;
    let mut hits = vec![0usize; DEVIATIONS.len()];
    let mut unexplained = Vec::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stream = std::fs::read(&path).unwrap();
        for (index, frame) in frames(&stream).into_iter().enumerate() {
            total += 1;
            let Err(e) = parse_response(frame) else {
                continue;
            };
            match DEVIATIONS.iter().position(|d| matches(d, &name, &e)) {
                Some(d) => hits[d] += 1,
                None => unexplained.push(format!("{name} response #{index}: {e}")),
            }
        }
    }
    for (d, n) in DEVIATIONS.iter().zip(&hits) {
        println!("{n:3} × {}", d.why);
    }
    let failed: usize = hits.iter().sum();
    println!(
        "{total} responses, {} parsed, {failed} documented deviations",
        total - failed
    );
    assert!(
        unexplained.is_empty(),
        "unexplained failures:\n{}",
        unexplained.join("\n\n")
    );
    assert_eq!(total, 4266, "the README counts 4266 responses");
    for (d, n) in DEVIATIONS.iter().zip(&hits) {
        assert!(
            *n > 0,
            "deviation never seen, drop it from the list: {}",
            d.why
        );
    }
}

/// Every corpus response that parses survives encode → parse unchanged.
#[test]
fn corpus_real_round_trips_through_the_encoder() {
    let mut checked = 0;
    for path in corpus_files() {
        let stream = std::fs::read(&path).unwrap();
        for frame in frames(&stream) {
            let Ok(parsed) = parse_response(frame) else {
                continue;
            };
            let encoded = parsed.to_bytes();
            let again = parse_response(&encoded)
                .unwrap_or_else(|e| panic!("{}\n{e}", String::from_utf8_lossy(&encoded)));
            assert_eq!(again, parsed, "{}", String::from_utf8_lossy(frame));
            checked += 1;
        }
    }
    assert_eq!(checked, 4175);
}
