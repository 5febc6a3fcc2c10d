//! Encoding of FETCH data: `msg-att`, `envelope`, `body`, `section`.

use crate::wire::grammar::encode::{
    write_astring, write_date_time, write_flag_list, write_number, write_raw, write_spaced,
    write_string,
};

use super::ast::*;
use super::encode::{write_nstr, write_str};

/// `msg-att = "(" ... *(SP ...) ")"`
pub(super) fn write_msg_atts(out: &mut Vec<u8>, atts: &[MsgAtt<'_>]) {
    out.push(b'(');
    write_spaced(out, atts, write_msg_att);
    out.push(b')');
}

fn write_msg_att(out: &mut Vec<u8>, att: &MsgAtt<'_>) {
    let number = |out: &mut Vec<u8>, word: &[u8], n: u64| {
        out.extend_from_slice(word);
        write_number(out, n);
    };
    let nstring = |out: &mut Vec<u8>, word: &[u8], s: &NString<'_>| {
        out.extend_from_slice(word);
        write_nstr(out, s);
    };
    match att {
        MsgAtt::Flags(flags) => {
            out.extend_from_slice(b"FLAGS ");
            write_flag_list(out, flags);
        }
        MsgAtt::Envelope(env) => {
            out.extend_from_slice(b"ENVELOPE ");
            write_envelope(out, env);
        }
        MsgAtt::InternalDate(dt) => {
            out.extend_from_slice(b"INTERNALDATE ");
            write_date_time(out, dt);
        }
        MsgAtt::Rfc822(s) => nstring(out, b"RFC822 ", s),
        MsgAtt::Rfc822Header(s) => nstring(out, b"RFC822.HEADER ", s),
        MsgAtt::Rfc822Text(s) => nstring(out, b"RFC822.TEXT ", s),
        MsgAtt::Rfc822Size(n) => number(out, b"RFC822.SIZE ", u64::from(*n)),
        MsgAtt::Uid(n) => number(out, b"UID ", u64::from(*n)),
        MsgAtt::ModSeq(n) => {
            number(out, b"MODSEQ (", *n);
            out.push(b')');
        }
        MsgAtt::Body(b) => {
            out.extend_from_slice(b"BODY ");
            write_body(out, b);
        }
        MsgAtt::BodyStructure(b) => {
            out.extend_from_slice(b"BODYSTRUCTURE ");
            write_body(out, b);
        }
        MsgAtt::BodySection {
            section,
            origin,
            data,
        } => {
            out.extend_from_slice(b"BODY");
            write_section(out, section);
            write_origin(out, *origin);
            nstring(out, b" ", data);
        }
        MsgAtt::Binary {
            section,
            origin,
            data,
        } => {
            out.extend_from_slice(b"BINARY");
            write_part(out, section);
            write_origin(out, *origin);
            out.push(b' ');
            write_binary(out, data);
        }
        MsgAtt::BinarySize { section, size } => {
            out.extend_from_slice(b"BINARY.SIZE");
            write_part(out, section);
            number(out, b" ", u64::from(*size));
        }
        MsgAtt::Extension { name, value } => {
            out.extend_from_slice(name.as_bytes());
            out.push(b' ');
            write_raw(out, value);
        }
    }
}

/// `nstring / literal8`: literal8 only when the data holds NUL, which nothing else carries.
fn write_binary(out: &mut Vec<u8>, data: &NString<'_>) {
    match data {
        Some(d) if d.as_bytes().contains(&0) => {
            out.extend_from_slice(b"~{");
            write_number(out, d.as_bytes().len() as u64);
            out.extend_from_slice(b"}\r\n");
            out.extend_from_slice(d.as_bytes());
        }
        _ => write_nstr(out, data),
    }
}

fn write_origin(out: &mut Vec<u8>, origin: Option<u32>) {
    if let Some(o) = origin {
        out.push(b'<');
        write_number(out, u64::from(o));
        out.push(b'>');
    }
}

fn write_part_numbers(out: &mut Vec<u8>, part: &[u32]) {
    for (n, p) in part.iter().enumerate() {
        if n > 0 {
            out.push(b'.');
        }
        write_number(out, u64::from(*p));
    }
}

/// `section-binary = "[" [section-part] "]"`
fn write_part(out: &mut Vec<u8>, part: &[u32]) {
    out.push(b'[');
    write_part_numbers(out, part);
    out.push(b']');
}

/// `section = "[" [section-spec] "]"`
fn write_section(out: &mut Vec<u8>, s: &Section<'_>) {
    out.push(b'[');
    write_part_numbers(out, &s.part);
    if let Some(text) = &s.text {
        if !s.part.is_empty() {
            out.push(b'.');
        }
        let (word, fields): (&[u8], Option<&Vec<Bytes<'_>>>) = match text {
            SectionText::Header => (b"HEADER", None),
            SectionText::Text => (b"TEXT", None),
            SectionText::Mime => (b"MIME", None),
            SectionText::HeaderFields(f) => (b"HEADER.FIELDS", Some(f)),
            SectionText::HeaderFieldsNot(f) => (b"HEADER.FIELDS.NOT", Some(f)),
        };
        out.extend_from_slice(word);
        if let Some(fields) = fields {
            out.extend_from_slice(b" (");
            write_spaced(out, fields, |o, f| write_astring(o, f.as_bytes()));
            out.push(b')');
        }
    }
    out.push(b']');
}

/// `envelope`
pub(super) fn write_envelope(out: &mut Vec<u8>, e: &Envelope<'_>) {
    out.push(b'(');
    write_nstr(out, &e.date);
    out.push(b' ');
    write_nstr(out, &e.subject);
    for list in [&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc] {
        out.push(b' ');
        write_addresses(out, list);
    }
    out.push(b' ');
    write_nstr(out, &e.in_reply_to);
    out.push(b' ');
    write_nstr(out, &e.message_id);
    out.push(b')');
}

/// `"(" 1*address ")" / nil`
fn write_addresses(out: &mut Vec<u8>, list: &[Address<'_>]) {
    if list.is_empty() {
        return out.extend_from_slice(b"NIL");
    }
    out.push(b'(');
    for a in list {
        out.push(b'(');
        write_nstr(out, &a.name);
        out.push(b' ');
        write_nstr(out, &a.adl);
        out.push(b' ');
        write_nstr(out, &a.mailbox);
        out.push(b' ');
        write_nstr(out, &a.host);
        out.push(b')');
    }
    out.push(b')');
}

/// `body`
pub(super) fn write_body(out: &mut Vec<u8>, b: &Body<'_>) {
    out.push(b'(');
    match b {
        Body::Single(s) => write_single(out, s),
        Body::Multipart(m) => {
            for part in &m.parts {
                write_body(out, part);
            }
            out.push(b' ');
            write_str(out, &m.subtype);
            if let Some(ext) = &m.ext {
                out.push(b' ');
                write_params(out, &ext.params);
                write_ext_tail(out, &ext.tail);
            }
        }
    }
    out.push(b')');
}

fn write_single(out: &mut Vec<u8>, s: &SinglePart<'_>) {
    match &s.kind {
        SingleKind::Basic {
            media_type,
            subtype,
        } => write_media(out, media_type.as_bytes(), subtype),
        SingleKind::Text { subtype, .. } => write_media(out, b"TEXT", subtype),
        SingleKind::Message { .. } => out.extend_from_slice(b"\"MESSAGE\" \"RFC822\""),
    }
    out.push(b' ');
    write_fields(out, &s.fields);
    match &s.kind {
        SingleKind::Basic { .. } => {}
        SingleKind::Text { lines, .. } => {
            out.push(b' ');
            write_number(out, u64::from(*lines));
        }
        SingleKind::Message {
            envelope,
            body,
            lines,
        } => {
            out.push(b' ');
            write_envelope(out, envelope);
            out.push(b' ');
            write_body(out, body);
            out.push(b' ');
            write_number(out, u64::from(*lines));
        }
    }
    if let Some(ext) = &s.ext {
        out.push(b' ');
        write_nstr(out, &ext.md5);
        write_ext_tail(out, &ext.tail);
    }
}

fn write_media(out: &mut Vec<u8>, media_type: &[u8], subtype: &Bytes<'_>) {
    write_string(out, media_type);
    out.push(b' ');
    write_str(out, subtype);
}

fn write_fields(out: &mut Vec<u8>, f: &BodyFields<'_>) {
    write_params(out, &f.params);
    out.push(b' ');
    write_nstr(out, &f.id);
    out.push(b' ');
    write_nstr(out, &f.description);
    out.push(b' ');
    write_str(out, &f.encoding);
    out.push(b' ');
    write_number(out, u64::from(f.octets));
}

/// `body-fld-param`: NIL for none.
fn write_params(out: &mut Vec<u8>, params: &[(Bytes<'_>, Bytes<'_>)]) {
    if params.is_empty() {
        return out.extend_from_slice(b"NIL");
    }
    out.push(b'(');
    write_spaced(out, params, |o, (k, v)| {
        write_str(o, k);
        o.push(b' ');
        write_str(o, v);
    });
    out.push(b')');
}

fn write_ext_tail(out: &mut Vec<u8>, tail: &Option<ExtTail<'_>>) {
    let Some(tail) = tail else { return };
    out.push(b' ');
    match &tail.disposition {
        None => out.extend_from_slice(b"NIL"),
        Some(d) => {
            out.push(b'(');
            write_str(out, &d.kind);
            out.push(b' ');
            write_params(out, &d.params);
            out.push(b')');
        }
    }
    let Some(lang) = &tail.language else { return };
    out.push(b' ');
    match &lang.language {
        Language::Single(s) => write_nstr(out, s),
        Language::List(list) => {
            out.push(b'(');
            write_spaced(out, list, write_str);
            out.push(b')');
        }
    }
    let Some(loc) = &lang.location else { return };
    out.push(b' ');
    write_nstr(out, &loc.location);
    for x in &loc.extensions {
        out.push(b' ');
        write_body_extension(out, x);
    }
}

fn write_body_extension(out: &mut Vec<u8>, x: &BodyExtension<'_>) {
    match x {
        BodyExtension::NString(s) => write_nstr(out, s),
        BodyExtension::Number(n) => write_number(out, u64::from(*n)),
        BodyExtension::List(items) => {
            out.push(b'(');
            write_spaced(out, items, write_body_extension);
            out.push(b')');
        }
    }
}
