//! Canonical encoding of the primitive rules.
//!
//! Canonical means: the shortest form that parses back to the same value. Strings go
//! out quoted when every byte is a 7-bit TEXT-CHAR, otherwise as a literal; astrings go
//! out as atoms when they can.

use super::chars::{is_astring_char, is_text_char};
use super::datetime::{Date, DateTime, MONTHS};
use super::flag::Flag;
use super::mailbox::Mailbox;
use super::section::{Section, SectionText};
use super::sequence::{SeqItem, SeqNumber, SequenceSet};
use super::string::{Bytes, NString};

/// Where the writers of rules that hold strings write: a plain buffer (responses), or the
/// command writer, which must end the line at every literal it sends.
pub trait Sink {
    fn raw(&mut self, bytes: &[u8]);

    /// `astring`, in its canonical form.
    fn astring(&mut self, bytes: &[u8]);

    fn number(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        self.raw(decimal(n, &mut buf));
    }
}

impl Sink for Vec<u8> {
    fn raw(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn astring(&mut self, bytes: &[u8]) {
        write_astring(self, bytes);
    }
}

/// The decimal digits of `n`, at the end of `buf`.
fn decimal(n: u64, buf: &mut [u8; 20]) -> &[u8] {
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
    &buf[pos..]
}

/// Appends the decimal form of `n`.
pub fn write_number(out: &mut Vec<u8>, n: u64) {
    out.number(n);
}

/// True when `s` is one or more bytes of `class`: the bare form of `atom`, `astring` or
/// `list-mailbox`.
pub fn is_bare(s: &[u8], class: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.iter().all(|&c| class(c))
}

/// True when `s` fits a `quoted` string: every byte a 7-bit TEXT-CHAR.
pub fn is_quotable(s: &[u8]) -> bool {
    s.iter().all(|&c| is_text_char(c))
}

/// `quoted` when possible, else `literal`.
pub fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    if is_quotable(s) {
        write_quoted(out, s);
    } else {
        write_literal(out, s);
    }
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`, escaping `"` and `\`; `s` must be
/// [`is_quotable`].
pub fn write_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &c in s {
        if c == b'"' || c == b'\\' {
            out.push(b'\\');
        }
        out.push(c);
    }
    out.push(b'"');
}

/// `literal = "{" number "}" CRLF *CHAR8`
pub fn write_literal(out: &mut Vec<u8>, s: &[u8]) {
    write_literal_len(out, s.len(), false);
    out.extend_from_slice(s);
}

/// `"{" number ["+"] "}" CRLF`, the announcement of a literal of `len` octets; `plus` makes
/// it non-synchronising (RFC 7888, clients only).
pub fn write_literal_len(out: &mut Vec<u8>, len: usize, plus: bool) {
    out.push(b'{');
    write_number(out, len as u64);
    out.extend_from_slice(if plus { b"+}\r\n" } else { b"}\r\n" });
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
    if is_bare(s, is_astring_char) {
        out.extend_from_slice(s);
    } else {
        write_string(out, s);
    }
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
    write_paren_list(out, flags, write_flag);
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

/// `"(" item *(SP item) ")"` (or `"(" ")"`), each item written by `each`.
pub fn write_paren_list<T>(out: &mut Vec<u8>, items: &[T], each: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'(');
    write_spaced(out, items, each);
    out.push(b')');
}

/// `section = "[" [section-spec] "]"`
pub fn write_section(out: &mut impl Sink, s: &Section<'_>) {
    out.raw(b"[");
    write_section_part(out, &s.part);
    if let Some(text) = &s.text {
        if !s.part.is_empty() {
            out.raw(b".");
        }
        write_section_text(out, text);
    }
    out.raw(b"]");
}

/// `section-binary = "[" [section-part] "]"`
pub fn write_section_binary(out: &mut impl Sink, part: &[u32]) {
    out.raw(b"[");
    write_section_part(out, part);
    out.raw(b"]");
}

/// `section-part = nz-number *("." nz-number)`
fn write_section_part(out: &mut impl Sink, part: &[u32]) {
    for (n, p) in part.iter().enumerate() {
        if n > 0 {
            out.raw(b".");
        }
        out.number(u64::from(*p));
    }
}

/// `section-text`, with its `SP header-list`.
fn write_section_text(out: &mut impl Sink, text: &SectionText<'_>) {
    let (word, fields): (&[u8], Option<&[Bytes<'_>]>) = match text {
        SectionText::Header => (b"HEADER", None),
        SectionText::Text => (b"TEXT", None),
        SectionText::Mime => (b"MIME", None),
        SectionText::HeaderFields(f) => (b"HEADER.FIELDS", Some(f)),
        SectionText::HeaderFieldsNot(f) => (b"HEADER.FIELDS.NOT", Some(f)),
    };
    out.raw(word);
    let Some(fields) = fields else { return };
    out.raw(b" (");
    for (n, field) in fields.iter().enumerate() {
        if n > 0 {
            out.raw(b" ");
        }
        out.astring(field.as_bytes());
    }
    out.raw(b")");
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
