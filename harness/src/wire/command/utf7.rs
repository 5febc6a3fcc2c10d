//! Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself,
//! `&` is written `&-`, anything else is UTF-16 in a base64 variant (`,` for `/`, no
//! padding) between `&` and `-`.

use super::error::ValueError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Encodes a Unicode mailbox name into modified UTF-7.
pub fn encode_modified_utf7(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    for ch in name.chars() {
        if is_direct(ch) {
            flush_base64(&mut pending, &mut out);
            out.push(ch);
            if ch == '&' {
                out.push('-');
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(ch.encode_utf16(&mut units));
        }
    }
    flush_base64(&mut pending, &mut out);
    out
}

/// Decodes a modified UTF-7 mailbox name, rejecting every non-canonical form (8-bit bytes,
/// unterminated shifts, printable ASCII hidden in base64, non-zero padding bits).
pub fn decode_modified_utf7(bytes: &[u8]) -> Result<String, ValueError> {
    let mut out = String::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        if b != b'&' {
            if !(0x20..=0x7e).contains(&b) {
                return Err(utf7_error(pos, "byte outside printable US-ASCII"));
            }
            out.push(char::from(b));
            pos += 1;
            continue;
        }
        let end = bytes[pos + 1..]
            .iter()
            .position(|&c| c == b'-')
            .map(|rel| pos + 1 + rel)
            .ok_or_else(|| utf7_error(pos, "shift sequence without closing \"-\""))?;
        if end == pos + 1 {
            out.push('&');
        } else {
            decode_shifted(&bytes[pos + 1..end], pos + 1, &mut out)?;
        }
        pos = end + 1;
    }
    Ok(out)
}

fn is_direct(ch: char) -> bool {
    (' '..='~').contains(&ch)
}

fn flush_base64(units: &mut Vec<u16>, out: &mut String) {
    if units.is_empty() {
        return;
    }
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let word = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        let sextets = chunk.len() + 1;
        for i in 0..sextets {
            let index = (word >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out.push('-');
    units.clear();
}

fn decode_shifted(text: &[u8], offset: usize, out: &mut String) -> Result<(), ValueError> {
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    let mut units = Vec::new();
    for (i, &c) in text.iter().enumerate() {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or_else(|| utf7_error(offset + i, "not a modified base64 character"))?;
        bits = (bits << 6) | value as u32;
        nbits += 6;
        if nbits >= 16 {
            nbits -= 16;
            units.push((bits >> nbits) as u16);
            bits &= (1 << nbits) - 1;
        }
    }
    if nbits >= 6 || bits != 0 {
        return Err(utf7_error(offset, "base64 run has leftover bits"));
    }
    let decoded = String::from_utf16(&units).map_err(|_| utf7_error(offset, "invalid UTF-16"))?;
    if decoded.chars().any(is_direct) {
        return Err(utf7_error(
            offset,
            "printable ASCII must not be base64-encoded",
        ));
    }
    out.push_str(&decoded);
    Ok(())
}

fn utf7_error(offset: usize, reason: &'static str) -> ValueError {
    ValueError::ModifiedUtf7 { offset, reason }
}
