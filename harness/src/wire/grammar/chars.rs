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
