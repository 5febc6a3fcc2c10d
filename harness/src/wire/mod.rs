//! The wire layer: framing, the response and command grammars of RFC 3501 §9, the encoder.

pub mod command;
#[cfg(test)]
mod corpus_real;
pub mod diag;
pub mod escape;
pub mod frame;
pub mod grammar;
pub mod response;

pub use diag::ParseError;
pub use response::{parse_greeting, parse_response, parse_response_utf8};
