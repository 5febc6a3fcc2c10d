//! imap-codec's `BodyStructure`, `Envelope` and `Section` into the neutral form.

use imap_codec::imap_types::body::{
    BasicFields, BodyExtension, BodyStructure, Disposition as CDisposition, SpecificFields,
};
use imap_codec::imap_types::core::IString;
use imap_codec::imap_types::envelope::{Address as CAddress, Envelope as CEnvelope};
use imap_codec::imap_types::fetch::{Part, Section as CSection};

use super::codec::{astr, istr, nstr};
use super::neutral::*;

pub fn body(b: &BodyStructure<'_>) -> Body {
    match b {
        BodyStructure::Single {
            body: single,
            extension_data,
        } => Body::Single {
            kind: kind(&single.specific),
            fields: fields(&single.basic),
            ext: extension_data.as_ref().map(|e| Ext {
                head: ExtHead::Md5(nstr(&e.md5)),
                disposition: e.tail.as_ref().map(disposition),
            }),
        },
        BodyStructure::Multi {
            bodies,
            subtype,
            extension_data,
        } => Body::Multi {
            parts: bodies.as_ref().iter().map(body).collect(),
            subtype: istr(subtype),
            ext: extension_data.as_ref().map(|e| Ext {
                head: ExtHead::Params(params(&e.parameter_list)),
                disposition: e.tail.as_ref().map(disposition),
            }),
        },
    }
}

fn kind(s: &SpecificFields<'_>) -> BodyKind {
    match s {
        SpecificFields::Basic { r#type, subtype } => BodyKind::Basic {
            media_type: istr(r#type),
            subtype: istr(subtype),
        },
        SpecificFields::Text {
            subtype,
            number_of_lines,
        } => BodyKind::Text {
            subtype: istr(subtype),
            lines: *number_of_lines,
        },
        SpecificFields::Message {
            envelope: env,
            body_structure,
            number_of_lines,
        } => BodyKind::Message {
            envelope: Box::new(envelope(env)),
            body: Box::new(body(body_structure)),
            lines: *number_of_lines,
        },
    }
}

fn fields(b: &BasicFields<'_>) -> Fields {
    Fields {
        params: params(&b.parameter_list),
        id: nstr(&b.id),
        description: nstr(&b.description),
        encoding: istr(&b.content_transfer_encoding),
        octets: b.size,
    }
}

fn params(p: &[(IString<'_>, IString<'_>)]) -> Params {
    p.iter().map(|(k, v)| (istr(k), istr(v))).collect()
}

fn disposition(d: &CDisposition<'_>) -> Disposition {
    Disposition {
        value: d
            .disposition
            .as_ref()
            .map(|(kind, p)| (istr(kind), params(p))),
        language: d.tail.as_ref().map(|l| Language {
            tags: l.language.iter().map(istr).collect(),
            location: l.tail.as_ref().map(|loc| {
                let exts = loc.extensions.iter().map(extension).collect();
                (nstr(&loc.location), exts)
            }),
        }),
    }
}

fn extension(e: &BodyExtension<'_>) -> BodyExt {
    match e {
        BodyExtension::NString(s) => BodyExt::NString(nstr(s)),
        BodyExtension::Number(n) => BodyExt::Number(*n),
        BodyExtension::List(list) => BodyExt::List(list.as_ref().iter().map(extension).collect()),
    }
}

pub fn envelope(e: &CEnvelope<'_>) -> Envelope {
    let addrs = |list: &[CAddress<'_>]| list.iter().map(address).collect();
    Envelope {
        date: nstr(&e.date),
        subject: nstr(&e.subject),
        from: addrs(&e.from),
        sender: addrs(&e.sender),
        reply_to: addrs(&e.reply_to),
        to: addrs(&e.to),
        cc: addrs(&e.cc),
        bcc: addrs(&e.bcc),
        in_reply_to: nstr(&e.in_reply_to),
        message_id: nstr(&e.message_id),
    }
}

fn address(a: &CAddress<'_>) -> Address {
    Address {
        name: nstr(&a.name),
        adl: nstr(&a.adl),
        mailbox: nstr(&a.mailbox),
        host: nstr(&a.host),
    }
}

/// `None` is `BODY[]`.
pub fn section(s: Option<&CSection<'_>>) -> Section {
    let part = |p: Option<&Part>| -> Vec<u32> {
        p.map(|p| p.0.as_ref().iter().map(|n| n.get()).collect())
            .unwrap_or_default()
    };
    let (part, text) = match s {
        None => (Vec::new(), None),
        Some(CSection::Part(p)) => (part(Some(p)), None),
        Some(CSection::Header(p)) => (part(p.as_ref()), Some(SectionText::Header)),
        Some(CSection::HeaderFields(p, names)) => (
            part(p.as_ref()),
            Some(SectionText::HeaderFields(
                names.as_ref().iter().map(astr).collect(),
            )),
        ),
        Some(CSection::HeaderFieldsNot(p, names)) => (
            part(p.as_ref()),
            Some(SectionText::HeaderFieldsNot(
                names.as_ref().iter().map(astr).collect(),
            )),
        ),
        Some(CSection::Text(p)) => (part(p.as_ref()), Some(SectionText::Text)),
        Some(CSection::Mime(p)) => (part(Some(p)), Some(SectionText::Mime)),
    };
    Section { part, text }
}
