//! Frames that do not match the RFC 3501 grammar (or a typed extension's): a Fail citing
//! the ABNF, with the parser's located diagnostic. Extension data the parser could not type
//! is not a syntax error; `extensions.rs` judges it against the advertised capabilities.

use super::{Ctx, Detector, Out};
use crate::check::requirements::{GRAMMAR, REV2_UTF8_ONLY_ENABLED};
use crate::wire::escape::escape_bytes;
use crate::wire::{ParseError, parse_response_utf8};

const NAME: &str = "syntax";

/// Longest excerpt of a bad frame quoted in a report.
const QUOTED_MAX: usize = 200;

pub struct Syntax;

impl Detector for Syntax {
    fn on_unparsed(&mut self, cx: &Ctx<'_>, frame: &[u8], error: &ParseError, out: &mut Out) {
        let shown = escape_bytes(&frame[..frame.len().min(QUOTED_MAX)]);
        // UTF-8 in a quoted string or text is IMAP4rev2's; a server offering both revisions
        // owes it only to connections that enabled rev2 (whose frames the walk parses so).
        if cx.model.capabilities.has("IMAP4REV2") && parse_response_utf8(frame).is_ok() {
            out.push(
                cx.violation(NAME, REV2_UTF8_ONLY_ENABLED)
                    .expected("IMAP4rev1's 7-bit strings and text: the connection did not ENABLE IMAP4rev2")
                    .observed(shown)
                    .because("UTF-8 in strings and text is for IMAP4rev2 connections alone"),
            );
            return;
        }
        out.push(
            cx.violation(NAME, GRAMMAR)
                .expected("a response matching RFC 3501 §9 (or an advertised extension's ABNF)")
                .observed(format!("{shown}\n{error}"))
                .because("the server sent a response its grammar does not allow"),
        );
    }
}
