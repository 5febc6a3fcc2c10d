//! `section`, `section-part`, `section-binary`, `header-list`: the body-part addresses that
//! a client sends in FETCH and a server echoes in FETCH data (RFC 3501 §9, RFC 3516 §4.2).

use super::chars::span;
use super::string::{Bytes, Sender, astring_from};
use super::{GrammarError, Key, PResult, byte, ctx, fail, list_rest, nz_number, sp};

/// `section = "[" [section-spec] "]"`: `part` empty and `text` `None` is `BODY[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section<'a> {
    /// `section-part = nz-number *("." nz-number)`
    pub part: Vec<u32>,
    pub text: Option<SectionText<'a>>,
}

/// `section-msgtext` / `section-text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText<'a> {
    Header,
    HeaderFields(Vec<Bytes<'a>>),
    HeaderFieldsNot(Vec<Bytes<'a>>),
    Text,
    /// Only after a part number.
    Mime,
}

/// `section = "[" [section-spec] "]"` ; `section-spec = section-msgtext / (section-part
/// ["." section-text])`. `sender` says which literals a header name may use.
pub fn section<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Section<'a>, E> {
    ctx("section", i, section_inner(i, sender))
}

fn section_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Section<'a>, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    let (r, section) = match r.first() {
        Some(b']') => (r, Section::default()),
        Some(c) if c.is_ascii_digit() => {
            let (r, part) = section_part(r)?;
            match r.strip_prefix(b".") {
                Some(t) => {
                    let (r, text) = section_text(t, true, sender)?;
                    (
                        r,
                        Section {
                            part,
                            text: Some(text),
                        },
                    )
                }
                None => (r, Section { part, text: None }),
            }
        }
        _ => {
            let (r, text) = section_text(r, false, sender)?;
            (
                r,
                Section {
                    part: Vec::new(),
                    text: Some(text),
                },
            )
        }
    };
    let (r, ()) = byte(r, b']', "\"]\"")?;
    Ok((r, section))
}

/// `section-binary = "[" [section-part] "]"` (RFC 3516 §4.2)
pub fn section_binary<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<u32>, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    let (r, part) = if r.first() == Some(&b']') {
        (r, Vec::new())
    } else {
        section_part(r)?
    };
    let (r, ()) = byte(r, b']', "\"]\"")?;
    Ok((r, part))
}

/// `section-part = nz-number *("." nz-number)`; stops before a `.` that starts text.
pub fn section_part<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<u32>, E> {
    let mut part = Vec::with_capacity(2);
    let mut r = i;
    loop {
        let (next, n) = ctx("section-part", r, nz_number(r))?;
        part.push(n);
        r = next;
        match r {
            [b'.', c, ..] if c.is_ascii_digit() => r = &r[1..],
            _ => return Ok((r, part)),
        }
    }
}

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`,
/// or `section-text = section-msgtext / "MIME"` after a part number (`mime`).
fn section_text<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    mime: bool,
    sender: Sender,
) -> PResult<'a, SectionText<'a>, E> {
    let n = span(i, |c| c.is_ascii_alphabetic() || c == b'.');
    let text = match Key::new(&i[..n]).as_bytes() {
        b"HEADER" => SectionText::Header,
        b"TEXT" => SectionText::Text,
        b"MIME" if mime => SectionText::Mime,
        b"HEADER.FIELDS" => {
            return header_list(&i[n..], sender).map(|(r, l)| (r, SectionText::HeaderFields(l)));
        }
        b"HEADER.FIELDS.NOT" => {
            return header_list(&i[n..], sender).map(|(r, l)| (r, SectionText::HeaderFieldsNot(l)));
        }
        _ if mime => {
            return fail(
                i,
                "section-text (HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME)",
            );
        }
        _ => {
            return fail(
                i,
                "section-msgtext (HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT)",
            );
        }
    };
    Ok((&i[n..], text))
}

/// `SP header-list` ; `header-list = "(" header-fld-name *(SP header-fld-name) ")"`
fn header_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (r, ()) = sp(i)?;
    ctx("header-list", r, header_list_inner(r, sender))
}

fn header_list_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, false, Vec::new(), |r| {
        ctx("header-fld-name", r, astring_from(r, sender))
    })
}
