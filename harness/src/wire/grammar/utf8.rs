//! IMAP4rev2's UTF-8 (RFC 9051 section 4.3 and the `utf8-quoted` and `text` rules of
//! section 9): on a connection that enabled IMAP4rev2, quoted strings and response text may
//! hold UTF-8, which IMAP4rev1's grammar forbids.

use std::cell::Cell;

thread_local! {
    /// UTF-8 is in force for the parse running on this thread. Set only for one parse, by
    /// [`with_utf8`]. A flag of the thread rather than a parameter of the whole grammar, so
    /// that the 7-bit fast path of every other parse pays nothing for it.
    static UTF8: Cell<bool> = const { Cell::new(false) };
}

/// Runs `parse` with UTF-8 allowed in quoted strings and text (valid UTF-8 only: a stray
/// 8-bit byte is still an error).
pub(crate) fn with_utf8<T>(parse: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            UTF8.set(false);
        }
    }
    UTF8.set(true);
    let _reset = Reset;
    parse()
}

pub(super) fn utf8_in_force() -> bool {
    UTF8.get()
}

/// `UTF8-2 / UTF8-3 / UTF8-4` at the start of `i`: its length, when UTF-8 is in force.
pub(super) fn utf8_char(i: &[u8]) -> Option<usize> {
    if !utf8_in_force() {
        return None;
    }
    let n = match i.first()? {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    std::str::from_utf8(i.get(..n)?).ok().map(|_| n)
}
