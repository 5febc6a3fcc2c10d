//! imapgate's `body` and `section` into the neutral form.

use imapgate::wire::response as ours;

use super::neutral::*;
use super::ours::{bytes, envelope, nstr};

pub fn body(b: &ours::Body<'_>) -> Body {
    match b {
        ours::Body::Single(s) => Body::Single {
            kind: kind(&s.kind),
            fields: fields(&s.fields),
            ext: s.ext.as_ref().map(|e| Ext {
                head: ExtHead::Md5(nstr(&e.md5)),
                disposition: e.tail.as_ref().map(tail),
            }),
        },
        ours::Body::Multipart(m) => Body::Multi {
            parts: m.parts.iter().map(body).collect(),
            subtype: bytes(&m.subtype),
            ext: m.ext.as_ref().map(|e| Ext {
                head: ExtHead::Params(params(&e.params)),
                disposition: e.tail.as_ref().map(tail),
            }),
        },
    }
}

fn kind(k: &ours::SingleKind<'_>) -> BodyKind {
    match k {
        ours::SingleKind::Basic {
            media_type,
            subtype,
        } => BodyKind::Basic {
            media_type: bytes(media_type),
            subtype: bytes(subtype),
        },
        ours::SingleKind::Text { subtype, lines } => BodyKind::Text {
            subtype: bytes(subtype),
            lines: *lines,
        },
        ours::SingleKind::Message {
            envelope: env,
            body: inner,
            lines,
        } => BodyKind::Message {
            envelope: Box::new(envelope(env)),
            body: Box::new(body(inner)),
            lines: *lines,
        },
    }
}

fn fields(f: &ours::BodyFields<'_>) -> Fields {
    Fields {
        params: params(&f.params),
        id: nstr(&f.id),
        description: nstr(&f.description),
        encoding: bytes(&f.encoding),
        octets: f.octets,
    }
}

fn params(p: &[(ours::Bytes<'_>, ours::Bytes<'_>)]) -> Params {
    p.iter().map(|(k, v)| (bytes(k), bytes(v))).collect()
}

fn tail(t: &ours::ExtTail<'_>) -> Disposition {
    Disposition {
        value: t
            .disposition
            .as_ref()
            .map(|d| (bytes(&d.kind), params(&d.params))),
        language: t.language.as_ref().map(language),
    }
}

fn language(l: &ours::LangTail<'_>) -> Language {
    let tags = match &l.language {
        ours::Language::Single(s) => nstr(s).into_iter().collect(),
        ours::Language::List(list) => list.iter().map(bytes).collect(),
    };
    Language {
        tags,
        location: l.location.as_ref().map(|loc| {
            (
                nstr(&loc.location),
                loc.extensions.iter().map(ext).collect(),
            )
        }),
    }
}

fn ext(e: &ours::BodyExtension<'_>) -> BodyExt {
    match e {
        ours::BodyExtension::NString(s) => BodyExt::NString(nstr(s)),
        ours::BodyExtension::Number(n) => BodyExt::Number(*n),
        ours::BodyExtension::List(list) => BodyExt::List(list.iter().map(ext).collect()),
    }
}

pub fn section(s: &ours::Section<'_>) -> Section {
    let names = |list: &[ours::Bytes<'_>]| list.iter().map(bytes).collect();
    let text = s.text.as_ref().map(|t| match t {
        ours::SectionText::Header => SectionText::Header,
        ours::SectionText::HeaderFields(list) => SectionText::HeaderFields(names(list)),
        ours::SectionText::HeaderFieldsNot(list) => SectionText::HeaderFieldsNot(names(list)),
        ours::SectionText::Text => SectionText::Text,
        ours::SectionText::Mime => SectionText::Mime,
    });
    Section {
        part: s.part.clone(),
        text,
    }
}
