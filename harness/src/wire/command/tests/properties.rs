//! Properties beyond the round trip: modified UTF-7, fragment layout, and a parser that
//! never panics on hostile bytes.

use proptest::prelude::*;

use crate::wire::command::strategy::command;
use crate::wire::command::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn modified_utf7_round_trips(name in any::<String>()) {
        let wire = encode_modified_utf7(&name);
        prop_assert!(wire.bytes().all(|b| (0x20..=0x7e).contains(&b)), "{wire:?}");
        prop_assert_eq!(decode_modified_utf7(wire.as_bytes()), Ok(name));
    }

    #[test]
    fn each_literal_is_announced_by_its_line(c in command(), plus in any::<bool>(), minus in any::<bool>()) {
        let options = EncodeOptions { literal_plus: plus, literal_minus: minus };
        let encoded = c.encode(&options);
        for pair in encoded.fragments.windows(2) {
            let (Fragment::Line(line), Fragment::Literal { data, sync }) = (&pair[0], &pair[1]) else {
                continue;
            };
            let announce = format!("{{{}{}}}\r\n", data.len(), if *sync { "" } else { "+" });
            prop_assert!(line.ends_with(announce.as_bytes()), "{}", line.escape_ascii());
            let may_skip_wait = plus || (minus && data.len() <= LITERAL_MINUS_MAX);
            prop_assert_eq!(*sync, !may_skip_wait);
        }
        prop_assert!(matches!(encoded.fragments.last(), Some(Fragment::Line(l)) if l.ends_with(b"\r\n")));
        prop_assert_eq!(encoded.rounds().len(), encoded.sync_literals() + 1);
        prop_assert_eq!(encoded.rounds().concat(), encoded.to_bytes());
    }

    /// Cutting or flipping one byte of a valid command must yield an error or another valid
    /// command, never a panic.
    #[test]
    fn damaged_frames_do_not_panic(c in command(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut bytes = c.encode(&EncodeOptions::default()).to_bytes();
        let i = at.index(bytes.len());
        if cut {
            bytes.truncate(i);
        } else {
            bytes[i] = byte;
        }
        if let Ok(parsed) = parse_command(&bytes) {
            let again = parse_command(&parsed.encode(&EncodeOptions::default()).to_bytes());
            prop_assert_eq!(again, Ok(parsed));
        }
    }

    #[test]
    fn arbitrary_bytes_do_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = parse_command(&bytes);
        let _ = parse_authenticate_data(&bytes);
        let _ = parse_idle_done(&bytes);
    }
}
