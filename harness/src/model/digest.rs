//! The facts the model and the detectors need from one parsed response, extracted once per
//! frame: flags interned into sets, static FETCH items reduced to hashes.

use std::fmt::{self, Write as _};
use std::hash::{DefaultHasher, Hasher};

use super::flags::{FlagSet, FlagTable};
use super::sort_keys::EnvelopeKeys;
use crate::wire::response::{Code, Data, MsgAtt, RespText, Response};

/// One static FETCH item (RFC 3501 §6.4.5: never changes for a message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticItem {
    /// Hash of the item name and section: the identity of "this item of this message".
    pub item: u64,
    pub label: String,
    /// Hash of the parsed value (equal values, whatever their wire form, hash equal).
    pub value: u64,
    /// A bounded rendering for reports.
    pub shown: String,
    /// The value as a SORT key (RFC 5256) where it is one: RFC822.SIZE (SIZE) and
    /// INTERNALDATE in UTC seconds (ARRIVAL).
    pub ordinal: Option<i64>,
    /// The SORT keys (SUBJECT, FROM, TO, CC, DATE) an ENVELOPE gives.
    pub envelope_keys: Option<EnvelopeKeys>,
}

/// What one `* n FETCH (...)` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchFacts {
    pub seq: u32,
    pub uid: Option<u32>,
    pub flags: Option<FlagSet>,
    pub statics: Vec<StaticItem>,
    /// Items only a FETCH request produces (static data, body sections), as opposed to the
    /// dynamic ones any notification may carry (FLAGS, UID, MODSEQ).
    pub solicited_only: bool,
}

/// The digest of a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    pub fetch: Option<FetchFacts>,
    /// `* FLAGS (...)`
    pub flags: Option<FlagSet>,
    /// `[PERMANENTFLAGS (...)]`, in any status response.
    pub permanent: Option<FlagSet>,
}

impl Digest {
    pub fn of(response: &Response<'_>, table: &mut FlagTable) -> Digest {
        let mut digest = Digest::default();
        match response {
            Response::Data(Data::Fetch { seq, atts }) => {
                digest.fetch = Some(fetch_facts(*seq, atts, table));
            }
            Response::Data(Data::Flags(flags)) => digest.flags = Some(table.wire_set(flags)),
            Response::Data(Data::Status(s)) => digest.permanent = permanent(&s.text, table),
            Response::Tagged(t) => digest.permanent = permanent(&t.status.text, table),
            _ => {}
        }
        digest
    }
}

fn permanent(text: &RespText<'_>, table: &mut FlagTable) -> Option<FlagSet> {
    match &text.code {
        Some(Code::PermanentFlags(flags)) => Some(table.wire_set(flags)),
        _ => None,
    }
}

fn fetch_facts(seq: u32, atts: &[MsgAtt<'_>], table: &mut FlagTable) -> FetchFacts {
    let mut facts = FetchFacts {
        seq,
        ..FetchFacts::default()
    };
    for att in atts {
        match att {
            MsgAtt::Uid(uid) => facts.uid = Some(*uid),
            MsgAtt::Flags(flags) => facts.flags = Some(table.wire_set(flags)),
            MsgAtt::ModSeq(_) => {}
            other => {
                facts.solicited_only = true;
                if let Some(item) = static_item(other) {
                    facts.statics.push(item);
                }
            }
        }
    }
    facts
}

/// The static item an attribute carries, if it is one whose value can be compared: partial
/// fetches (their length is in the request, not the response) and NIL or empty section data
/// (what some servers answer for a message expunged meanwhile) are left out.
fn static_item(att: &MsgAtt<'_>) -> Option<StaticItem> {
    let (label, value): (String, &dyn fmt::Debug) = match att {
        MsgAtt::Envelope(e) => ("ENVELOPE".into(), e),
        MsgAtt::InternalDate(d) => ("INTERNALDATE".into(), d),
        MsgAtt::Rfc822Size(n) => ("RFC822.SIZE".into(), n),
        MsgAtt::Body(b) => ("BODY".into(), b),
        MsgAtt::BodyStructure(b) => ("BODYSTRUCTURE".into(), b),
        MsgAtt::Rfc822(Some(d)) if !d.as_bytes().is_empty() => ("RFC822".into(), d),
        MsgAtt::Rfc822Header(Some(d)) if !d.as_bytes().is_empty() => ("RFC822.HEADER".into(), d),
        MsgAtt::Rfc822Text(Some(d)) if !d.as_bytes().is_empty() => ("RFC822.TEXT".into(), d),
        MsgAtt::BodySection {
            section,
            origin: None,
            data: Some(d),
        } if !d.as_bytes().is_empty() => (format!("BODY{}", show_section(section)), d),
        MsgAtt::BinarySize { section, size } => (format!("BINARY.SIZE{section:?}"), size),
        _ => return None,
    };
    let mut hashed = HashWriter::default();
    let _ = write!(hashed, "{value:?}");
    // Shown as it was on the wire (escaped, shortened), not as Rust's Debug form.
    let mut shown = ShortWriter::default();
    let wire = crate::wire::response::msg_att_bytes(att);
    let _ = shown.write_str(&crate::wire::escape::escape_bytes(&wire));
    let mut item = DefaultHasher::new();
    item.write(label.as_bytes());
    let ordinal = match att {
        MsgAtt::Rfc822Size(n) => Some(i64::from(*n)),
        MsgAtt::InternalDate(d) => Some(d.utc_seconds()),
        _ => None,
    };
    let envelope_keys = match att {
        MsgAtt::Envelope(e) => Some(EnvelopeKeys::of(e)),
        _ => None,
    };
    Some(StaticItem {
        ordinal,
        envelope_keys,
        item: item.finish(),
        label,
        value: hashed.0.finish(),
        shown: shown.0,
    })
}

fn show_section(section: &crate::wire::response::Section<'_>) -> String {
    let mut out = String::from("[");
    let parts: Vec<String> = section.part.iter().map(u32::to_string).collect();
    out.push_str(&parts.join("."));
    if let Some(text) = &section.text {
        if !section.part.is_empty() {
            out.push('.');
        }
        let _ = write!(out, "{text:?}");
    }
    out.push(']');
    out
}

/// Hashes formatted output without building the string.
#[derive(Default)]
struct HashWriter(DefaultHasher);

impl fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// Keeps the first bytes of formatted output, for reports.
#[derive(Default)]
struct ShortWriter(String);

const SHOWN_MAX: usize = 120;

impl fmt::Write for ShortWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = SHOWN_MAX.saturating_sub(self.0.len());
        if room == 0 {
            return Err(fmt::Error);
        }
        let cut = s.char_indices().nth(room).map_or(s.len(), |(i, _)| i);
        self.0.push_str(&s[..cut]);
        if cut < s.len() {
            self.0.push('…');
            return Err(fmt::Error);
        }
        Ok(())
    }
}
