//! `msg-att` (FETCH data).

use crate::wire::grammar::chars::{is_atom_char, span};
use crate::wire::grammar::{
    Bytes, GrammarError, Key, PResult, Sender, byte, ctx, date_time, fail, flag_list, list_rest,
    literal8, mod_sequence_value, nstring, number, nz_number, section, section_binary, sp,
};

use super::ast::MsgAtt;
use super::body::body;
use super::envelope::envelope;
use super::extension::generic_value;

/// `msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic /
/// msg-att-static)) ")"`
pub(crate) fn msg_att<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<MsgAtt<'a>>, E> {
    ctx("msg-att", i, msg_att_inner(i))
}

fn msg_att_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<MsgAtt<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, false, Vec::with_capacity(6), one_att)
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
    let (r, section) = section(i, Sender::Server)?;
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
