#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| imapgate::fuzzing::parse_response(data));
