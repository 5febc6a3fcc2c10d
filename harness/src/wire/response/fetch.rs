//! `msg-att` (FETCH data) and `section`.

use crate::wire::grammar::chars::{is_atom_char, span};
use crate::wire::grammar::{
    Bytes, GrammarError, Key, PResult, astring, byte, ctx, date_time, fail, flag_list, literal8,
    mod_sequence_value, nstring, number, nz_number, sp,
};

use super::ast::{MsgAtt, Section, SectionText};
use super::body::body;
use super::envelope::envelope;
use super::extension::generic_value;

/// `msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic /
/// msg-att-static)) ")"`
pub(crate) fn msg_att<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<MsgAtt<'a>>, E> {
    ctx("msg-att", i, msg_att_inner(i))
}

fn msg_att_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<MsgAtt<'a>>, E> {
    let (mut r, ()) = byte(i, b'(', "\"(\"")?;
    let mut atts = Vec::with_capacity(6);
    loop {
        let (next, att) = one_att(r)?;
        atts.push(att);
        match next.split_first() {
            Some((b' ', after)) => r = after,
            Some((b')', after)) => return Ok((after, atts)),
            _ => return fail(next, "SP or \")\""),
        }
    }
}

/// One item, dispatched on its name (no backtracking over the value).
fn one_att<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MsgAtt<'a>, E> {
    // Item names are atoms, but "[" and "<" start a section or an origin.
    let n = span(i, |c| is_atom_char(c) && c != b'[' && c != b'<');
    if n == 0 {
        return fail(i, "msg-att-dynamic or msg-att-static");
    }
    let (name, r) = i.split_at(n);
    let key = Key::new(name);
    match (key.as_bytes(), r.first()) {
        (b"BODY", Some(b'[')) => ctx("msg-att-static", i, body_section(r)),
        (b"BINARY", Some(b'[')) => ctx("msg-att-static", i, binary(r)),
        (b"BINARY.SIZE", Some(b'[')) => ctx("msg-att-static", i, binary_size(r)),
        _ => {
            let (r, ()) = sp(r)?;
            ctx(att_rule(key.as_bytes()), i, att_value(r, key, name))
        }
    }
}

/// The rule an item belongs to, for the diagnostic's rule stack.
fn att_rule(key: &[u8]) -> &'static str {
    match key {
        b"FLAGS" => "msg-att-dynamic",
        b"MODSEQ" => "fetch-mod-resp",
        b"ENVELOPE" | b"INTERNALDATE" | b"RFC822" | b"RFC822.HEADER" | b"RFC822.TEXT"
        | b"RFC822.SIZE" | b"BODY" | b"BODYSTRUCTURE" | b"UID" => "msg-att-static",
        _ => "msg-att extension",
    }
}

/// The value after `name SP`.
fn att_value<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    key: Key,
    name: &'a [u8],
) -> PResult<'a, MsgAtt<'a>, E> {
    match key.as_bytes() {
        b"FLAGS" => flag_list(i, false).map(|(r, f)| (r, MsgAtt::Flags(f))),
        b"UID" => ctx("uniqueid", i, nz_number(i)).map(|(r, n)| (r, MsgAtt::Uid(n))),
        b"RFC822.SIZE" => number(i).map(|(r, n)| (r, MsgAtt::Rfc822Size(n))),
        b"INTERNALDATE" => date_time(i).map(|(r, d)| (r, MsgAtt::InternalDate(d))),
        b"ENVELOPE" => envelope(i).map(|(r, e)| (r, MsgAtt::Envelope(Box::new(e)))),
        b"RFC822" => nstring(i).map(|(r, s)| (r, MsgAtt::Rfc822(s))),
        b"RFC822.HEADER" => nstring(i).map(|(r, s)| (r, MsgAtt::Rfc822Header(s))),
        b"RFC822.TEXT" => nstring(i).map(|(r, s)| (r, MsgAtt::Rfc822Text(s))),
        b"BODY" => body(i, false, 0).map(|(r, b)| (r, MsgAtt::Body(Box::new(b)))),
        b"BODYSTRUCTURE" => body(i, true, 0).map(|(r, b)| (r, MsgAtt::BodyStructure(Box::new(b)))),
        b"MODSEQ" => modseq(i),
        _ => generic_value(i).map(|(r, value)| {
            (
                r,
                MsgAtt::Extension {
                    name: Bytes::borrowed(name),
                    value,
                },
            )
        }),
    }
}

/// `"MODSEQ" SP "(" permsg-modsequence ")"`, after `"MODSEQ" SP` (RFC 7162 §7)
fn modseq<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MsgAtt<'a>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, n) = ctx("permsg-modsequence", r, mod_sequence_value(r))?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, MsgAtt::ModSeq(n)))
}

/// `"BODY" section ["<" number ">"] SP nstring`, from the section on.
fn body_section<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MsgAtt<'a>, E> {
    let (r, section) = section(i)?;
    let (r, origin) = origin(r)?;
    let (r, ()) = sp(r)?;
    let (r, data) = nstring(r)?;
    Ok((
        r,
        MsgAtt::BodySection {
            section,
            origin,
            data,
        },
    ))
}

/// `["<" number ">"]`: a response carries only the origin octet, never `.length`.
fn origin<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<u32>, E> {
    let Some(r) = i.strip_prefix(b"<") else {
        return Ok((i, None));
    };
    let (r, n) = number(r)?;
    let (r, ()) = byte(
        r,
        b'>',
        "\">\" (a response carries only the origin, not \".\" length)",
    )?;
    Ok((r, Some(n)))
}

/// `"BINARY" section-binary ["<" number ">"] SP (nstring / literal8)` (RFC 3516 §4.2)
fn binary<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MsgAtt<'a>, E> {
    let (r, section) = section_binary(i)?;
    let (r, origin) = origin(r)?;
    let (r, ()) = sp(r)?;
    let (r, data) = match r.first() {
        Some(b'~') => literal8(r).map(|(r, d)| (r, Some(Bytes::borrowed(d))))?,
        _ => nstring(r)?,
    };
    Ok((
        r,
        MsgAtt::Binary {
            section,
            origin,
            data,
        },
    ))
}

/// `"BINARY.SIZE" section-binary SP number` (RFC 3516 §4.2)
fn binary_size<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MsgAtt<'a>, E> {
    let (r, section) = section_binary(i)?;
    let (r, ()) = sp(r)?;
    let (r, size) = number(r)?;
    Ok((r, MsgAtt::BinarySize { section, size }))
}

/// `section-binary = "[" [section-part] "]"`
fn section_binary<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<u32>, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    let (r, part) = if r.first() == Some(&b']') {
        (r, Vec::new())
    } else {
        section_part(r)?
    };
    let (r, ()) = byte(r, b']', "\"]\"")?;
    Ok((r, part))
}

/// `section = "[" [section-spec] "]"` ; `section-spec = section-msgtext / (section-part
/// ["." section-text])`
pub(crate) fn section<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Section<'a>, E> {
    ctx("section", i, section_inner(i))
}

fn section_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Section<'a>, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    let (r, section) = match r.first() {
        Some(b']') => (r, Section::default()),
        Some(c) if c.is_ascii_digit() => {
            let (r, part) = section_part(r)?;
            match r.strip_prefix(b".") {
                Some(t) => {
                    let (r, text) = section_text(t, true)?;
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
            let (r, text) = section_text(r, false)?;
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

/// `section-part = nz-number *("." nz-number)`; stops before a `.` that starts text.
fn section_part<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<u32>, E> {
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
) -> PResult<'a, SectionText<'a>, E> {
    let n = span(i, |c| c.is_ascii_alphabetic() || c == b'.');
    let text = match Key::new(&i[..n]).as_bytes() {
        b"HEADER" => SectionText::Header,
        b"TEXT" => SectionText::Text,
        b"MIME" if mime => SectionText::Mime,
        b"HEADER.FIELDS" => {
            return header_list(&i[n..]).map(|(r, l)| (r, SectionText::HeaderFields(l)));
        }
        b"HEADER.FIELDS.NOT" => {
            return header_list(&i[n..]).map(|(r, l)| (r, SectionText::HeaderFieldsNot(l)));
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
fn header_list<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (r, ()) = sp(i)?;
    ctx("header-list", r, header_list_inner(r))
}

fn header_list_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (mut r, ()) = byte(i, b'(', "\"(\"")?;
    let mut names = Vec::new();
    loop {
        let (next, name) = ctx("header-fld-name", r, astring(r))?;
        names.push(name);
        match next.split_first() {
            Some((b' ', after)) => r = after,
            Some((b')', after)) => return Ok((after, names)),
            _ => return fail(next, "SP or \")\""),
        }
    }
}
