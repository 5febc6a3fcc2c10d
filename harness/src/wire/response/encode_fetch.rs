//! Encoding of FETCH data: `msg-att`, `envelope`, `body` (`section` is the grammar's).

use crate::wire::grammar::encode::{
    write_date_time, write_flag_list, write_literal, write_nstring, write_number, write_paren_list,
    write_raw, write_section, write_section_binary, write_string,
};

use super::ast::*;
use super::encode::{write_labelled_number, write_str};

/// `msg-att = "(" ... *(SP ...) ")"`
pub(super) fn write_msg_atts(out: &mut Vec<u8>, atts: &[MsgAtt<'_>]) {
    write_paren_list(out, atts, write_msg_att);
}

/// One attribute as the server would have sent it (for reports).
pub fn msg_att_bytes(att: &MsgAtt<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    write_msg_att(&mut out, att);
    out
}

fn write_msg_att(out: &mut Vec<u8>, att: &MsgAtt<'_>) {
    let number = write_labelled_number;
    let nstring = |out: &mut Vec<u8>, word: &[u8], s: &NString<'_>| {
        out.extend_from_slice(word);
        write_nstring(out, s);
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
            write_section_binary(out, section);
            write_origin(out, *origin);
            out.push(b' ');
            write_binary(out, data);
        }
        MsgAtt::BinarySize { section, size } => {
            out.extend_from_slice(b"BINARY.SIZE");
            write_section_binary(out, section);
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
            out.push(b'~');
            write_literal(out, d.as_bytes());
        }
        _ => write_nstring(out, data),
    }
}

fn write_origin(out: &mut Vec<u8>, origin: Option<u32>) {
    if let Some(o) = origin {
        out.push(b'<');
        write_number(out, u64::from(o));
        out.push(b'>');
    }
}

/// `envelope`
pub(super) fn write_envelope(out: &mut Vec<u8>, e: &Envelope<'_>) {
    out.push(b'(');
    write_nstring(out, &e.date);
    out.push(b' ');
    write_nstring(out, &e.subject);
    for list in [&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc] {
        out.push(b' ');
        write_addresses(out, list);
    }
    out.push(b' ');
    write_nstring(out, &e.in_reply_to);
    out.push(b' ');
    write_nstring(out, &e.message_id);
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
        write_nstring(out, &a.name);
        out.push(b' ');
        write_nstring(out, &a.adl);
        out.push(b' ');
        write_nstring(out, &a.mailbox);
        out.push(b' ');
        write_nstring(out, &a.host);
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
        write_nstring(out, &ext.md5);
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
    write_nstring(out, &f.id);
    out.push(b' ');
    write_nstring(out, &f.description);
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
    write_paren_list(out, params, |o, (k, v)| {
        write_str(o, k);
        o.push(b' ');
        write_str(o, v);
    });
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
        Language::Single(s) => write_nstring(out, s),
        Language::List(list) => write_paren_list(out, list, write_str),
    }
    let Some(loc) = &lang.location else { return };
    out.push(b' ');
    write_nstring(out, &loc.location);
    for x in &loc.extensions {
        out.push(b' ');
        write_body_extension(out, x);
    }
}

fn write_body_extension(out: &mut Vec<u8>, x: &BodyExtension<'_>) {
    match x {
        BodyExtension::NString(s) => write_nstring(out, s),
        BodyExtension::Number(n) => write_number(out, u64::from(*n)),
        BodyExtension::List(items) => write_paren_list(out, items, write_body_extension),
    }
}
