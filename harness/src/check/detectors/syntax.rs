//! Frames that do not match the RFC 3501 grammar (or a typed extension's): a Fail citing
//! the ABNF, with the parser's located diagnostic. Extension data the parser could not type
//! is not a syntax error; `extensions.rs` judges it against the advertised capabilities.

use super::{Ctx, Detector, Out};
use crate::check::requirements::GRAMMAR;
use crate::wire::ParseError;
use crate::wire::escape::escape_bytes;

const NAME: &str = "syntax";

/// Longest excerpt of a bad frame quoted in a report.
const QUOTED_MAX: usize = 200;

pub struct Syntax;

impl Detector for Syntax {
    fn on_unparsed(&mut self, cx: &Ctx<'_>, frame: &[u8], error: &ParseError, out: &mut Out) {
        let shown = escape_bytes(&frame[..frame.len().min(QUOTED_MAX)]);
        out.push(
            cx.violation(NAME, GRAMMAR)
                .expected("a response matching RFC 3501 §9 (or an advertised extension's ABNF)")
                .observed(format!("{shown}\n{error}"))
                .because("the server sent a response its grammar does not allow"),
        );
    }
}
