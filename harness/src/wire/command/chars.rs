//! Character classes of RFC 3501 §9 as byte predicates.

/// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials`
fn is_atom_special(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']'
    ) || is_ctl(b)
}

/// `CTL = %x00-1F / %x7F`
fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// `ATOM-CHAR = <any CHAR except atom-specials>` (CHAR is 7-bit, NUL excluded)
pub fn is_atom_char(b: u8) -> bool {
    (0x01..=0x7f).contains(&b) && !is_atom_special(b)
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
pub fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// `list-char = ATOM-CHAR / list-wildcards / resp-specials`
pub fn is_list_char(b: u8) -> bool {
    is_astring_char(b) || b == b'%' || b == b'*'
}

/// `TEXT-CHAR = <any CHAR except CR and LF>`; a quoted string holds TEXT-CHARs.
pub fn is_text_char(b: u8) -> bool {
    (0x01..=0x7f).contains(&b) && b != b'\r' && b != b'\n'
}
