//! Against a real server: IMAPGATE_TARGET=dovecot (running; see docs in imapgate::fuzzing::live).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| imapgate::fuzzing::live_session(data));
