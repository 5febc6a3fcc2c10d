//! Canonical encoding of the primitive rules.
//!
//! Canonical means: the shortest form that parses back to the same value. Strings go
//! out quoted when every byte is a 7-bit TEXT-CHAR, otherwise as a literal; astrings go
//! out as atoms when they can.

use super::chars::{is_astring_char, is_atom_char, is_text_char};
use super::datetime::{Date, DateTime, MONTHS};
use super::flag::Flag;
use super::mailbox::Mailbox;
use super::sequence::{SeqItem, SeqNumber, SequenceSet};
use super::string::{Bytes, NString};

/// Appends the decimal form of `n`.
pub fn write_number(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut v = n;
    loop {
        pos -= 1;
        // v % 10 is a single digit.
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[pos..]);
}

/// `quoted` when possible, else `literal`.
pub fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().all(|&c| is_text_char(c)) {
        out.push(b'"');
        for &c in s {
            if c == b'"' || c == b'\\' {
                out.push(b'\\');
            }
            out.push(c);
        }
        out.push(b'"');
    } else {
        write_literal(out, s);
    }
}

/// `literal = "{" number "}" CRLF *CHAR8`
pub fn write_literal(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'{');
    write_number(out, s.len() as u64);
    out.extend_from_slice(b"}\r\n");
    out.extend_from_slice(s);
}

/// `nstring = string / nil`
pub fn write_nstring(out: &mut Vec<u8>, s: &NString<'_>) {
    match s {
        Some(s) => write_string(out, s.as_bytes()),
        None => out.extend_from_slice(b"NIL"),
    }
}

/// `astring = 1*ASTRING-CHAR / string`
pub fn write_astring(out: &mut Vec<u8>, s: &[u8]) {
    if !s.is_empty() && s.iter().all(|&c| is_astring_char(c)) {
        out.extend_from_slice(s);
    } else {
        write_string(out, s);
    }
}

/// True when `s` can be written as an `atom`.
pub fn is_atom(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&c| is_atom_char(c))
}

/// `mailbox = "INBOX" / astring`
pub fn write_mailbox(out: &mut Vec<u8>, m: &Mailbox<'_>) {
    match m {
        Mailbox::Inbox => out.extend_from_slice(b"INBOX"),
        Mailbox::Other(name) => write_astring(out, name.as_bytes()),
    }
}

/// `flag` / `flag-fetch` / `flag-perm`
pub fn write_flag(out: &mut Vec<u8>, f: &Flag<'_>) {
    let name: &[u8] = match f {
        Flag::Answered => b"\\Answered",
        Flag::Flagged => b"\\Flagged",
        Flag::Deleted => b"\\Deleted",
        Flag::Seen => b"\\Seen",
        Flag::Draft => b"\\Draft",
        Flag::Recent => b"\\Recent",
        Flag::Wildcard => b"\\*",
        Flag::Keyword(k) => k.as_bytes(),
        Flag::Extension(x) => {
            out.push(b'\\');
            x.as_bytes()
        }
    };
    out.extend_from_slice(name);
}

/// `"(" [flag *(SP flag)] ")"`
pub fn write_flag_list(out: &mut Vec<u8>, flags: &[Flag<'_>]) {
    out.push(b'(');
    for (n, f) in flags.iter().enumerate() {
        if n > 0 {
            out.push(b' ');
        }
        write_flag(out, f);
    }
    out.push(b')');
}

/// Items separated by single spaces, each written by `each`.
pub fn write_spaced<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(b' ');
        }
        each(out, item);
    }
}

fn write_seq_number(out: &mut Vec<u8>, n: SeqNumber) {
    match n {
        SeqNumber::Value(v) => write_number(out, u64::from(v)),
        SeqNumber::Largest => out.push(b'*'),
    }
}

/// `sequence-set`
pub fn write_sequence_set(out: &mut Vec<u8>, set: &SequenceSet) {
    for (n, item) in set.0.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        match *item {
            SeqItem::Single(a) => write_seq_number(out, a),
            SeqItem::Range(a, b) => {
                write_seq_number(out, a);
                out.push(b':');
                write_seq_number(out, b);
            }
        }
    }
}

fn write_2digits(out: &mut Vec<u8>, v: u8) {
    out.push(b'0' + v / 10);
    out.push(b'0' + v % 10);
}

/// `date-year = 4DIGIT`
fn write_year(out: &mut Vec<u8>, year: u16) {
    // Years past 9999 cannot be written as 4DIGIT; clamping keeps the output parseable.
    let year = year.min(9999);
    // Each quotient is below 100.
    write_2digits(out, (year / 100) as u8);
    write_2digits(out, (year % 100) as u8);
}

fn month_name(month: u8) -> &'static [u8] {
    let index = usize::from(month.clamp(1, 12)) - 1;
    &MONTHS[index][..]
}

/// `date-time` with a two-digit day (`date-day-fixed` allows both forms).
pub fn write_date_time(out: &mut Vec<u8>, dt: &DateTime) {
    out.push(b'"');
    write_2digits(out, dt.day);
    out.push(b'-');
    out.extend_from_slice(month_name(dt.month));
    out.push(b'-');
    write_year(out, dt.year);
    out.push(b' ');
    write_2digits(out, dt.hour);
    out.push(b':');
    write_2digits(out, dt.minute);
    out.push(b':');
    write_2digits(out, dt.second);
    out.push(b' ');
    out.push(if dt.zone_minutes < 0 { b'-' } else { b'+' });
    let zone = dt.zone_minutes.unsigned_abs();
    // Both halves stay below 100 for a zone within ±99:59.
    write_2digits(out, (zone / 60) as u8);
    write_2digits(out, (zone % 60) as u8);
    out.push(b'"');
}

/// `date-text` (unquoted form of `date`).
pub fn write_date(out: &mut Vec<u8>, d: &Date) {
    write_number(out, u64::from(d.day));
    out.push(b'-');
    out.extend_from_slice(month_name(d.month));
    out.push(b'-');
    write_year(out, d.year);
}

/// Writes raw bytes that the grammar already validated (generic extension data).
pub fn write_raw(out: &mut Vec<u8>, raw: &Bytes<'_>) {
    out.extend_from_slice(raw.as_bytes());
}
