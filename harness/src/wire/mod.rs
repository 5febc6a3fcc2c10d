//! The wire layer: framing, the response and command grammars of RFC 3501 §9, the encoder.

pub mod command;
pub mod diag;
pub mod grammar;
