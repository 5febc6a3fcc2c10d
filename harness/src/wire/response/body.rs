//! `body` / BODYSTRUCTURE, with its extension data.

use crate::wire::grammar::{
    Bytes, GrammarError, PResult, after_sp, byte, ctx, fail, is_nil, list_rest, nstring, number,
    sp, string,
};

use super::MAX_DEPTH;
use super::ast::{
    Body, BodyExtension, BodyFields, Disposition, Ext1Part, ExtMpart, ExtTail, LangTail, Language,
    LocTail, Multipart, SingleKind, SinglePart,
};
use super::envelope::envelope;
use super::extension::string_list;

/// `body = "(" (body-type-1part / body-type-mpart) ")"`
///
/// `extensible` is false for the non-extensible `BODY` item, where extension data
/// "MUST NOT be returned". `depth` bounds the recursion through multiparts and
/// message/rfc822 parts.
pub(crate) fn body<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    extensible: bool,
    depth: usize,
) -> PResult<'a, Body<'a>, E> {
    ctx("body", i, body_inner(i, extensible, depth))
}

fn body_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    extensible: bool,
    depth: usize,
) -> PResult<'a, Body<'a>, E> {
    if depth > MAX_DEPTH {
        return fail(i, "body nested at most 32 levels deep (harness limit)");
    }
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, body) = if r.first() == Some(&b'(') {
        let (r, m) = ctx("body-type-mpart", r, multipart(r, extensible, depth))?;
        (r, Body::Multipart(m))
    } else {
        let (r, s) = ctx("body-type-1part", r, single_part(r, extensible, depth))?;
        (r, Body::Single(s))
    };
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, body))
}

/// `body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]`
fn multipart<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    extensible: bool,
    depth: usize,
) -> PResult<'a, Multipart<'a>, E> {
    let mut parts = Vec::with_capacity(2);
    let mut r = i;
    while r.first() == Some(&b'(') {
        let (next, part) = body(r, extensible, depth + 1)?;
        parts.push(part);
        r = next;
    }
    // Parts follow each other with no separator; a SP before "(" is a common bug.
    let (r, ()) = sp(r)?;
    let (r, subtype) = ctx("media-subtype", r, string(r))?;
    let (r, ext) = match after_sp(r) {
        Some(ext) if extensible => {
            let (r, e) = ctx("body-ext-mpart", ext, ext_mpart(ext))?;
            (r, Some(e))
        }
        Some(_) => return fail(r, "\")\" (non-extensible BODY: no body-ext-mpart)"),
        None => (r, None),
    };
    Ok((
        r,
        Multipart {
            parts,
            subtype,
            ext,
        },
    ))
}

/// `body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]`
///
/// The media type decides the alternative: `"TEXT"` is body-type-text,
/// `"MESSAGE" "RFC822"` body-type-msg, anything else body-type-basic.
fn single_part<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    extensible: bool,
    depth: usize,
) -> PResult<'a, SinglePart<'a>, E> {
    let (r, media_type) = ctx("media-type", i, string(i))?;
    let (r, ()) = sp(r)?;
    let (r, subtype) = ctx("media-subtype", r, string(r))?;
    let (r, ()) = sp(r)?;
    let (r, fields) = body_fields(r)?;
    let ty = media_type.as_bytes();
    let (r, kind) = if ty.eq_ignore_ascii_case(b"TEXT") {
        let (r, lines) = sp_lines(r)?;
        (r, SingleKind::Text { subtype, lines })
    } else if ty.eq_ignore_ascii_case(b"MESSAGE")
        && subtype.as_bytes().eq_ignore_ascii_case(b"RFC822")
    {
        ctx("body-type-msg", i, message_part(r, extensible, depth))?
    } else {
        (
            r,
            SingleKind::Basic {
                media_type,
                subtype,
            },
        )
    };
    let (r, ext) = match after_sp(r) {
        Some(ext) if extensible => {
            let (r, e) = ctx("body-ext-1part", ext, ext_1part(ext))?;
            (r, Some(e))
        }
        Some(_) => return fail(r, "\")\" (non-extensible BODY: no body-ext-1part)"),
        None => (r, None),
    };
    Ok((r, SinglePart { kind, fields, ext }))
}

/// `SP envelope SP body SP body-fld-lines`, the rest of body-type-msg.
fn message_part<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    extensible: bool,
    depth: usize,
) -> PResult<'a, SingleKind<'a>, E> {
    let (r, ()) = sp(i)?;
    let (r, env) = envelope(r)?;
    let (r, ()) = sp(r)?;
    let (r, inner) = body(r, extensible, depth + 1)?;
    let (r, lines) = sp_lines(r)?;
    Ok((
        r,
        SingleKind::Message {
            envelope: Box::new(env),
            body: Box::new(inner),
            lines,
        },
    ))
}

/// `SP body-fld-lines` ; `body-fld-lines = number`
fn sp_lines<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u32, E> {
    let (r, ()) = sp(i)?;
    ctx("body-fld-lines", r, number(r))
}

/// `body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP
/// body-fld-octets`
fn body_fields<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, BodyFields<'a>, E> {
    ctx("body-fields", i, body_fields_inner(i))
}

fn body_fields_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, BodyFields<'a>, E> {
    let (r, params) = body_fld_param(i)?;
    let (r, ()) = sp(r)?;
    let (r, id) = ctx("body-fld-id", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, description) = ctx("body-fld-desc", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, encoding) = ctx("body-fld-enc", r, string(r))?;
    let (r, ()) = sp(r)?;
    let (r, octets) = ctx("body-fld-octets", r, number(r))?;
    Ok((
        r,
        BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        },
    ))
}

type Params<'a> = Vec<(Bytes<'a>, Bytes<'a>)>;

/// `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`; `()` is an
/// error (at least one pair, or NIL).
fn body_fld_param<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Params<'a>, E> {
    ctx("body-fld-param", i, body_fld_param_inner(i))
}

fn body_fld_param_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Params<'a>, E> {
    if is_nil(i) {
        return Ok((&i[3..], Vec::new()));
    }
    let (r, ()) = byte(i, b'(', "\"(\" or NIL")?;
    list_rest(r, false, Vec::with_capacity(1), |r| {
        let (r, name) = string(r)?;
        let (r, ()) = sp(r)?;
        let (r, value) = string(r)?;
        Ok((r, (name, value)))
    })
}

/// `body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc
/// *(SP body-extension)]]]`
fn ext_1part<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Ext1Part<'a>, E> {
    let (r, md5) = ctx("body-fld-md5", i, nstring(i))?;
    let (r, tail) = ext_tail(r)?;
    Ok((r, Ext1Part { md5, tail }))
}

/// `body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc
/// *(SP body-extension)]]]`
fn ext_mpart<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, ExtMpart<'a>, E> {
    let (r, params) = body_fld_param(i)?;
    let (r, tail) = ext_tail(r)?;
    Ok((r, ExtMpart { params, tail }))
}

/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`
fn ext_tail<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<ExtTail<'a>>, E> {
    let Some(r) = after_sp(i) else {
        return Ok((i, None));
    };
    let (r, disposition) = ctx("body-fld-dsp", r, body_fld_dsp(r))?;
    let Some(r) = after_sp(r) else {
        return Ok((
            r,
            Some(ExtTail {
                disposition,
                language: None,
            }),
        ));
    };
    let (r, language) = ctx("body-fld-lang", r, body_fld_lang(r))?;
    let Some(r) = after_sp(r) else {
        let language = Some(LangTail {
            language,
            location: None,
        });
        return Ok((
            r,
            Some(ExtTail {
                disposition,
                language,
            }),
        ));
    };
    let (mut r, location) = ctx("body-fld-loc", r, nstring(r))?;
    let mut extensions = Vec::new();
    while let Some(next) = after_sp(r) {
        let (next, x) = body_extension(next, 0)?;
        extensions.push(x);
        r = next;
    }
    let location = Some(LocTail {
        location,
        extensions,
    });
    Ok((
        r,
        Some(ExtTail {
            disposition,
            language: Some(LangTail { language, location }),
        }),
    ))
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`
fn body_fld_dsp<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<Disposition<'a>>, E> {
    if is_nil(i) {
        return Ok((&i[3..], None));
    }
    let (r, ()) = byte(i, b'(', "\"(\" or NIL")?;
    let (r, kind) = string(r)?;
    let (r, ()) = sp(r)?;
    let (r, params) = body_fld_param(r)?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, Some(Disposition { kind, params })))
}

/// `body-fld-lang = nstring / "(" string *(SP string) ")"`
fn body_fld_lang<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Language<'a>, E> {
    if i.first() == Some(&b'(') {
        return string_list(i).map(|(r, l)| (r, Language::List(l)));
    }
    nstring(i).map(|(r, s)| (r, Language::Single(s)))
}

/// `body-extension = nstring / number / "(" body-extension *(SP body-extension) ")"`
fn body_extension<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    depth: usize,
) -> PResult<'a, BodyExtension<'a>, E> {
    ctx("body-extension", i, body_extension_inner(i, depth))
}

fn body_extension_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    depth: usize,
) -> PResult<'a, BodyExtension<'a>, E> {
    match i.first() {
        Some(c) if c.is_ascii_digit() => number(i).map(|(r, n)| (r, BodyExtension::Number(n))),
        Some(b'(') if depth < MAX_DEPTH => {
            list_rest(&i[1..], false, Vec::new(), |r| body_extension(r, depth + 1))
                .map(|(r, items)| (r, BodyExtension::List(items)))
        }
        Some(b'(') => fail(
            i,
            "body-extension nested at most 32 levels deep (harness limit)",
        ),
        _ => nstring(i).map(|(r, s)| (r, BodyExtension::NString(s))),
    }
}
