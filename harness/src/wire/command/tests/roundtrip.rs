//! `parse_command(encode(c)) == c` for generated commands, under every literal mode.

use proptest::prelude::*;

use crate::wire::command::strategy::command;
use crate::wire::command::*;

fn round_trip(command: &Command, options: &EncodeOptions) -> Result<(), TestCaseError> {
    let bytes = command.encode(options).to_bytes();
    match parse_command(&bytes) {
        Ok(parsed) => prop_assert_eq!(&parsed, command, "bytes: {}", bytes.escape_ascii()),
        Err(e) => prop_assert!(false, "{e}\nbytes: {}", bytes.escape_ascii()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn synchronising(c in command()) {
        round_trip(&c, &EncodeOptions::default())?;
    }

    #[test]
    fn literal_plus(c in command()) {
        round_trip(&c, &EncodeOptions { literal_plus: true, literal_minus: false })?;
    }
}
