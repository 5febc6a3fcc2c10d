//! Tests of the response parser and encoder.

// A failed unwrap is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;
mod diagnostics;
mod known_answer;
mod known_answer_fetch;
mod rfc_session;
mod robustness;
mod roundtrip;
