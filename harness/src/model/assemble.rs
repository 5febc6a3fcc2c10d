//! Reassembling a command from the fragments the runner sent: a command is split at each
//! synchronising literal, and only the first fragment carries the tag.

use crate::wire::frame::literal_marker;

/// Whether `bytes` hold a whole command: every announced literal is complete and the last
/// line ends in CRLF without announcing another one.
pub fn is_complete(bytes: &[u8]) -> bool {
    let mut pos = 0;
    loop {
        let Some(eol) = memchr::memmem::find(&bytes[pos..], b"\r\n") else {
            return false;
        };
        let line = &bytes[pos..pos + eol];
        pos += eol + 2;
        match literal_marker(line) {
            Some(Ok(n)) => {
                let Some(end) = usize::try_from(n).ok().and_then(|n| pos.checked_add(n)) else {
                    return false;
                };
                if end > bytes.len() {
                    return false;
                }
                pos = end;
            }
            // An unrepresentable count cannot be completed by any amount of data.
            Some(Err(())) => return false,
            None if pos == bytes.len() => return true,
            None => {}
        }
    }
}

/// The octet count of the largest non-synchronising literal (`{n+}`, RFC 7888) in a whole
/// command's bytes; 0 when it has none. Walks the lines like [`is_complete`], so literal
/// data that happens to end in `{n+}` is not mistaken for a marker.
pub fn largest_nonsync_literal(bytes: &[u8]) -> u64 {
    let mut largest = 0;
    let mut pos = 0;
    while let Some(eol) = memchr::memmem::find(&bytes[pos..], b"\r\n") {
        let line = &bytes[pos..pos + eol];
        pos += eol + 2;
        let Some(Ok(n)) = literal_marker(line) else {
            continue;
        };
        if line.ends_with(b"+}") {
            largest = largest.max(n);
        }
        match usize::try_from(n).ok().and_then(|n| pos.checked_add(n)) {
            Some(end) if end <= bytes.len() => pos = end,
            _ => break,
        }
    }
    largest
}

/// The command's name (first word after the tag), upper-cased, for reports and for telling
/// a base RFC 3501 command from an extension when the parser did not accept it.
pub fn command_name(bytes: &[u8]) -> String {
    let mut words = bytes
        .split(|&b| b == b' ' || b == b'\r' || b == b'\n')
        .filter(|w| !w.is_empty());
    let _tag = words.next();
    let first = words.next().unwrap_or_default();
    let mut name = String::from_utf8_lossy(first).to_ascii_uppercase();
    if name == "UID"
        && let Some(second) = words.next()
    {
        name.push(' ');
        name.push_str(&String::from_utf8_lossy(second).to_ascii_uppercase());
    }
    name
}

/// The RFC 3501 command names (`command-any`, `command-auth`, `command-nonauth`,
/// `command-select`, and the UID forms): a server must know them all.
pub fn is_base_command(name: &str) -> bool {
    matches!(
        name,
        "CAPABILITY"
            | "LOGOUT"
            | "NOOP"
            | "STARTTLS"
            | "AUTHENTICATE"
            | "LOGIN"
            | "SELECT"
            | "EXAMINE"
            | "CREATE"
            | "DELETE"
            | "RENAME"
            | "SUBSCRIBE"
            | "UNSUBSCRIBE"
            | "LIST"
            | "LSUB"
            | "STATUS"
            | "APPEND"
            | "CHECK"
            | "CLOSE"
            | "EXPUNGE"
            | "SEARCH"
            | "FETCH"
            | "STORE"
            | "COPY"
            | "UID FETCH"
            | "UID STORE"
            | "UID SEARCH"
            | "UID COPY"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness_follows_literals() {
        assert!(is_complete(b"A1 NOOP\r\n"));
        assert!(!is_complete(b"A1 NOOP"));
        assert!(!is_complete(b"A1 APPEND INBOX {5}\r\n"));
        assert!(!is_complete(b"A1 APPEND INBOX {5}\r\nhel"));
        assert!(is_complete(b"A1 APPEND INBOX {5}\r\nhello\r\n"));
        assert!(is_complete(b"A1 LOGIN {1+}\r\na {1}\r\nb\r\n"));
        assert!(!is_complete(b"A1 LOGIN {99999999999999999999}\r\n"));
    }

    #[test]
    fn the_largest_nonsync_literal_is_found_and_data_is_skipped() {
        assert_eq!(largest_nonsync_literal(b"A1 NOOP\r\n"), 0);
        assert_eq!(
            largest_nonsync_literal(b"A1 LOGIN {1}\r\na {2}\r\nbc\r\n"),
            0
        );
        // `q{99+}` is the first literal's data, not a marker.
        assert_eq!(largest_nonsync_literal(b"A1 X {6+}\r\nq{99+}\r\n"), 6);
        assert_eq!(
            largest_nonsync_literal(b"A1 X {2}\r\nab {7+}\r\nabcdefg\r\n"),
            7
        );
        assert_eq!(largest_nonsync_literal(b"A APPEND x {5000+}\r\nab"), 5000);
    }

    #[test]
    fn names() {
        assert_eq!(command_name(b"A1 uid fetch 1 FLAGS\r\n"), "UID FETCH");
        assert_eq!(command_name(b"A1 NOOP\r\n"), "NOOP");
        assert!(is_base_command("UID COPY"));
        assert!(!is_base_command("MOVE"));
    }
}
