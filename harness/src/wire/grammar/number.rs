//! Numbers: `number`, `nz-number` and RFC 7162's `mod-sequence-value`.

use super::{GrammarError, PResult, ctx, fail};

/// Reads `1*DIGIT` into a `u64`; `None` when absent or when it exceeds `max`.
#[inline]
fn digits(i: &[u8], max: u64) -> Option<(usize, u64)> {
    let mut value: u64 = 0;
    let mut n = 0;
    for &c in i {
        if !c.is_ascii_digit() {
            break;
        }
        // 20 digits could overflow u64 before the `max` test catches it.
        value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        if value > max {
            return None;
        }
        n += 1;
    }
    (n > 0).then_some((n, value))
}

/// `number = 1*DIGIT` ; Unsigned 32-bit integer (0 <= n < 4,294,967,296)
#[inline]
pub fn number<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u32, E> {
    match digits(i, u64::from(u32::MAX)) {
        // The value is bounded by u32::MAX just above, so the cast is lossless.
        Some((n, v)) => Ok((&i[n..], v as u32)),
        None if i.first().is_some_and(u8::is_ascii_digit) => fail(i, "number (at most 4294967295)"),
        None => fail(i, "number"),
    }
}

/// `nz-number = digit-nz *DIGIT` ; Non-zero unsigned 32-bit integer
#[inline]
pub fn nz_number<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u32, E> {
    ctx("nz-number", i, nz_number_inner(i))
}

fn nz_number_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u32, E> {
    if i.first() == Some(&b'0') {
        return fail(i, "nz-number (digit-nz *DIGIT)");
    }
    match digits(i, u64::from(u32::MAX)) {
        Some((n, v)) => Ok((&i[n..], v as u32)),
        None if i.first().is_some_and(u8::is_ascii_digit) => {
            fail(i, "nz-number (at most 4294967295)")
        }
        None => fail(i, "nz-number"),
    }
}

/// `mod-sequence-value = 1*DIGIT` ; Positive unsigned 63-bit integer (RFC 7162 §7)
///
/// Zero is accepted here because `mod-sequence-valzer` (which allows 0) shares the shape;
/// callers that need `mod-sequence-value` proper check for zero themselves.
#[inline]
pub fn mod_sequence_value<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u64, E> {
    match digits(i, i64::MAX as u64) {
        Some((n, v)) => Ok((&i[n..], v)),
        None if i.first().is_some_and(u8::is_ascii_digit) => {
            fail(i, "mod-sequence-value (at most 2^63-1)")
        }
        None => fail(i, "mod-sequence-value"),
    }
}
