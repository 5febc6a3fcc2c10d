//! Tests of the command layer: constructors, encoder known answers, the RFC 3501 §8 sample
//! session, RFC 7162 parameters, proptest round trips and the real-client corpus.

mod constructors;
mod corpus;
mod diagnostics;
mod encode;
mod properties;
mod rfc7162;
mod roundtrip;
mod sample_session;
