//! Character classes of RFC 3501 §9, as one lookup table.

const ATOM: u8 = 1;
const ASTRING: u8 = 2;
const TAG: u8 = 4;
const QUOTED: u8 = 8;
const TEXT: u8 = 16;
const LIST: u8 = 32;
const BASE64: u8 = 64;

/// Bit set of the classes each byte belongs to.
static CLASSES: [u8; 256] = build();

const fn build() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        // CHAR = %x01-7F; CTL = %x00-1F / %x7F
        let char7 = c >= 0x01 && c <= 0x7f;
        let ctl = c < 0x20 || c == 0x7f;
        // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
        let special = matches!(
            c,
            b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']'
        );
        let mut bits = 0;
        let atom = char7 && !ctl && !special;
        if atom {
            bits |= ATOM | ASTRING | LIST;
            if c != b'+' {
                bits |= TAG;
            }
        }
        if c == b']' {
            // ASTRING-CHAR = ATOM-CHAR / resp-specials; tag excludes only "+"
            bits |= ASTRING | TAG | LIST;
        }
        if c == b'%' || c == b'*' {
            bits |= LIST;
        }
        // TEXT-CHAR = <any CHAR except CR and LF>
        let text = char7 && c != b'\r' && c != b'\n';
        if text {
            bits |= TEXT;
            if c != b'"' && c != b'\\' {
                bits |= QUOTED;
            }
        }
        if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' {
            bits |= BASE64;
        }
        t[b] = bits;
        b += 1;
    }
    t
}

/// `ATOM-CHAR = <any CHAR except atom-specials>`
#[inline(always)]
pub fn is_atom_char(c: u8) -> bool {
    CLASSES[c as usize] & ATOM != 0
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
#[inline(always)]
pub fn is_astring_char(c: u8) -> bool {
    CLASSES[c as usize] & ASTRING != 0
}

/// `tag = 1*<any ASTRING-CHAR except "+">`
#[inline(always)]
pub fn is_tag_char(c: u8) -> bool {
    CLASSES[c as usize] & TAG != 0
}

/// `QUOTED-CHAR = <any TEXT-CHAR except quoted-specials>` (the unescaped form)
#[inline(always)]
pub fn is_quoted_char(c: u8) -> bool {
    CLASSES[c as usize] & QUOTED != 0
}

/// `TEXT-CHAR = <any CHAR except CR and LF>`
#[inline(always)]
pub fn is_text_char(c: u8) -> bool {
    CLASSES[c as usize] & TEXT != 0
}

/// `list-char = ATOM-CHAR / list-wildcards / resp-specials`
#[inline(always)]
pub fn is_list_char(c: u8) -> bool {
    CLASSES[c as usize] & LIST != 0
}

/// `base64-char = ALPHA / DIGIT / "+" / "/"`
#[inline(always)]
pub fn is_base64_char(c: u8) -> bool {
    CLASSES[c as usize] & BASE64 != 0
}

/// Length of the longest prefix of `i` whose bytes satisfy `class`.
#[inline(always)]
pub fn span(i: &[u8], class: impl Fn(u8) -> bool) -> usize {
    i.iter().position(|&c| !class(c)).unwrap_or(i.len())
}

/// `span(i, is_quoted_char)`: the length of the run of unescaped `QUOTED-CHAR`s that starts
/// `i`, the hot path of every quoted string. Eight bytes at a time, one branch-free word
/// test flags every byte that ends the run (8-bit, NUL, CR, LF, `"`, `\`); the lowest flag
/// is the answer. Only the last few bytes of a frame are tested one by one.
#[inline]
pub fn quoted_span(i: &[u8]) -> usize {
    let mut n = 0;
    while let Some(word) = i[n..].first_chunk::<8>() {
        let ends = not_quoted_chars(u64::from_le_bytes(*word));
        if ends != 0 {
            return n + (ends.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + span(&i[n..], is_quoted_char)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is not a `QUOTED-CHAR`. Bytes above the lowest
/// flagged one may be flagged wrongly (a borrow), so only the lowest flag is exact.
#[inline(always)]
fn not_quoted_chars(word: u64) -> u64 {
    (word & HIGHS)
        | bytes_equal(word, 0)
        | bytes_equal(word, b'\r')
        | bytes_equal(word, b'\n')
        | bytes_equal(word, b'"')
        | bytes_equal(word, b'\\')
}

/// The high bit of each byte of `word` equal to the 7-bit `b` (exact up to the lowest one).
#[inline(always)]
fn bytes_equal(word: u64, b: u8) -> u64 {
    let v = word ^ (ONES * u64::from(b));
    v.wrapping_sub(ONES) & !v & HIGHS
}
