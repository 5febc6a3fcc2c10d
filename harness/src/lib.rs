//! imapgate: an IMAP4rev1 (RFC 3501) conformance and fuzzing harness for real servers.
//!
//! The crate follows the pipeline in `DESIGN.md`: `wire` (grammar, framing, encoding) is the
//! foundation every later stage stands on.

pub mod check;
pub mod cli;
pub mod coverage;
pub mod fuzzing;
pub mod generate;
pub mod history;
pub mod model;
pub mod report;
pub mod run;
pub mod wire;

#[cfg(test)]
pub(crate) mod testing;
