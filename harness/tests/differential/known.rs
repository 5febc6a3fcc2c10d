//! The real-server responses that only imap-codec accepts, each explained.
//!
//! Every one is a server deviation from RFC 3501 (listed in `shared/corpus-real/README.md`
//! and in our corpus test) that imap-codec tolerates on purpose, by one of its default
//! `quirk_*` features; imapgate reports it, because DESIGN.md §1 makes the parser strict
//! by default. None is a bug in our parser: each line quotes the ABNF it breaks.

use imapgate::wire::ParseError;

/// A class of frames imap-codec accepts and we refuse, recognised by our diagnostic.
pub struct Tolerated {
    /// A rule in our diagnostic's rule stack.
    pub rule: &'static str,
    /// A piece of what our diagnostic expected.
    pub expected: &'static str,
    /// How many corpus frames fall in this class (the corpus is fixed).
    pub count: usize,
    pub why: &'static str,
}

pub const TOLERATED: &[Tolerated] = &[
    Tolerated {
        rule: "continue-req",
        expected: "SP (continue-req",
        count: 2,
        why: "`+` CRLF (goimap, hoodiecrow): continue-req = \"+\" SP (resp-text / base64) \
              CRLF; imap-codec: quirk_empty_continue_req",
    },
    Tolerated {
        rule: "resp-text",
        expected: "SP text after \"]\"",
        count: 38,
        why: "`* OK [UIDNEXT 11]` with nothing after \"]\" (hoodiecrow): resp-text = \
              [\"[\" resp-text-code \"]\" SP] text; imap-codec: quirk_missing_text",
    },
    Tolerated {
        rule: "envelope",
        expected: "1*address has no separator",
        count: 12,
        why: "SP between the addresses of a list (goimap, hoodiecrow, pymap): env-to = \
              \"(\" 1*address \")\" / nil; imap-codec: quirk_spaces_between_addresses",
    },
    Tolerated {
        rule: "body-fld-param",
        expected: "string",
        count: 10,
        why: "`()` as body-fld-param, then NIL as body-fld-enc (goimap): body-fld-param = \
              \"(\" string SP string *(SP string SP string) \")\" / nil, body-fld-enc is a \
              string; imap-codec reads `()` on purpose (go-imap issue 557) and \
              quirk_body_fld_enc_nil_to_empty turns NIL into \"\"",
    },
    Tolerated {
        rule: "uid-set",
        expected: "nz-number",
        count: 1,
        why: "`[COPYUID 1  ]` with empty uid-sets (hoodiecrow): resp-code-copy = \"COPYUID\" \
              SP nz-number SP uid-set SP uid-set (RFC 4315); imap-codec falls back to the \
              generic `atom [SP 1*<any TEXT-CHAR except \"]\">]`, we hold a known code to \
              its own rule (status.rs: a broken known code is a server bug worth reporting)",
    },
];

/// The class our diagnostic `e` belongs to.
pub fn tolerated(e: &ParseError) -> Option<usize> {
    TOLERATED.iter().position(|t| {
        e.rules.contains(&t.rule) && e.expected.iter().any(|x| x.contains(t.expected))
    })
}
