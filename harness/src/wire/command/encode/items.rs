//! Encoding of the items inside commands: flags, search keys, fetch and status attributes.

use super::body::sequence_set;
use super::writer::Writer;
use crate::wire::command::fetch::{FetchAtt, FetchItems, StatusAtt};
use crate::wire::command::flag::Flag;
use crate::wire::command::search::SearchKey;
use crate::wire::command::section::{Partial, Section, SectionMsgtext, SectionPart, SectionText};

/// `flag-list = "(" [flag *(SP flag)] ")"`
pub(super) fn flag_list(w: &mut Writer, flags: &[Flag]) {
    w.list(flags, |w, flag| {
        let (system, name) = flag.name();
        if system {
            w.raw(b"\\");
        }
        w.raw(name.as_bytes());
    });
}

pub(super) fn status_att(w: &mut Writer, att: StatusAtt) {
    w.raw(match att {
        StatusAtt::Messages => b"MESSAGES",
        StatusAtt::Recent => b"RECENT",
        StatusAtt::UidNext => b"UIDNEXT",
        StatusAtt::UidValidity => b"UIDVALIDITY",
        StatusAtt::Unseen => b"UNSEEN",
        StatusAtt::HighestModSeq => b"HIGHESTMODSEQ",
        StatusAtt::Size => b"SIZE",
        StatusAtt::AppendLimit => b"APPENDLIMIT",
        StatusAtt::MailboxId => b"MAILBOXID",
    });
}

pub(super) fn search_key(w: &mut Writer, key: &SearchKey) {
    if let Some(name) = flag_key_name(key) {
        w.raw(name);
        return;
    }
    match key {
        SearchKey::Bcc(s) => keyword_astring(w, "BCC", s.as_bytes()),
        SearchKey::Body(s) => keyword_astring(w, "BODY", s.as_bytes()),
        SearchKey::Cc(s) => keyword_astring(w, "CC", s.as_bytes()),
        SearchKey::From(s) => keyword_astring(w, "FROM", s.as_bytes()),
        SearchKey::Subject(s) => keyword_astring(w, "SUBJECT", s.as_bytes()),
        SearchKey::Text(s) => keyword_astring(w, "TEXT", s.as_bytes()),
        SearchKey::To(s) => keyword_astring(w, "TO", s.as_bytes()),
        SearchKey::Header(name, value) => {
            keyword_astring(w, "HEADER", name.as_bytes());
            w.sp();
            w.astring(value.as_bytes());
        }
        SearchKey::Before(d) => keyword_raw(w, "BEFORE", d),
        SearchKey::On(d) => keyword_raw(w, "ON", d),
        SearchKey::Since(d) => keyword_raw(w, "SINCE", d),
        SearchKey::SentBefore(d) => keyword_raw(w, "SENTBEFORE", d),
        SearchKey::SentOn(d) => keyword_raw(w, "SENTON", d),
        SearchKey::SentSince(d) => keyword_raw(w, "SENTSINCE", d),
        SearchKey::Keyword(a) => keyword_raw(w, "KEYWORD", a),
        SearchKey::Unkeyword(a) => keyword_raw(w, "UNKEYWORD", a),
        SearchKey::Larger(n) => keyword_raw(w, "LARGER", n),
        SearchKey::Smaller(n) => keyword_raw(w, "SMALLER", n),
        SearchKey::Uid(set) => keyword_raw(w, "UID", set),
        SearchKey::ModSeq(m) => keyword_raw(w, "MODSEQ", &m.get()),
        SearchKey::Older(n) => keyword_raw(w, "OLDER", n),
        SearchKey::Younger(n) => keyword_raw(w, "YOUNGER", n),
        SearchKey::SequenceSet(set) => sequence_set(w, set),
        SearchKey::Not(inner) => {
            w.raw(b"NOT ");
            search_key(w, inner);
        }
        SearchKey::Or(left, right) => {
            w.raw(b"OR ");
            search_key(w, left);
            w.sp();
            search_key(w, right);
        }
        SearchKey::And(keys) => w.list(keys.as_slice(), search_key),
        // The bare keywords were written by `flag_key_name` above.
        _ => {}
    }
}

/// The search keys that are a bare keyword.
fn flag_key_name(key: &SearchKey) -> Option<&'static [u8]> {
    Some(match key {
        SearchKey::All => b"ALL",
        SearchKey::Answered => b"ANSWERED",
        SearchKey::Deleted => b"DELETED",
        SearchKey::Draft => b"DRAFT",
        SearchKey::Flagged => b"FLAGGED",
        SearchKey::New => b"NEW",
        SearchKey::Old => b"OLD",
        SearchKey::Recent => b"RECENT",
        SearchKey::Seen => b"SEEN",
        SearchKey::Unanswered => b"UNANSWERED",
        SearchKey::Undeleted => b"UNDELETED",
        SearchKey::Undraft => b"UNDRAFT",
        SearchKey::Unflagged => b"UNFLAGGED",
        SearchKey::Unseen => b"UNSEEN",
        _ => return None,
    })
}

fn keyword_astring(w: &mut Writer, keyword: &str, value: &[u8]) {
    w.raw(keyword.as_bytes());
    w.sp();
    w.astring(value);
}

fn keyword_raw(w: &mut Writer, keyword: &str, value: &dyn std::fmt::Display) {
    w.raw(format!("{keyword} {value}").as_bytes());
}

pub(super) fn fetch_items(w: &mut Writer, items: &FetchItems) {
    match items {
        FetchItems::All => w.raw(b"ALL"),
        FetchItems::Fast => w.raw(b"FAST"),
        FetchItems::Full => w.raw(b"FULL"),
        FetchItems::Single(att) => fetch_att(w, att),
        FetchItems::List(atts) => w.list(atts.as_slice(), fetch_att),
    }
}

fn fetch_att(w: &mut Writer, att: &FetchAtt) {
    match att {
        FetchAtt::BodySection {
            peek,
            section,
            partial,
        } => {
            w.raw(if *peek { b"BODY.PEEK[" } else { b"BODY[" });
            self::section(w, section);
            w.raw(b"]");
            self::partial(w, partial.as_ref());
        }
        FetchAtt::Binary {
            peek,
            part,
            partial,
        } => {
            w.raw(if *peek { b"BINARY.PEEK[" } else { b"BINARY[" });
            section_part(w, part.as_ref());
            w.raw(b"]");
            self::partial(w, partial.as_ref());
        }
        FetchAtt::BinarySize { part } => {
            w.raw(b"BINARY.SIZE[");
            section_part(w, part.as_ref());
            w.raw(b"]");
        }
        simple => w.raw(simple_fetch_att_name(simple)),
    }
}

fn simple_fetch_att_name(att: &FetchAtt) -> &'static [u8] {
    match att {
        FetchAtt::Envelope => b"ENVELOPE",
        FetchAtt::Flags => b"FLAGS",
        FetchAtt::InternalDate => b"INTERNALDATE",
        FetchAtt::Rfc822 => b"RFC822",
        FetchAtt::Rfc822Header => b"RFC822.HEADER",
        FetchAtt::Rfc822Size => b"RFC822.SIZE",
        FetchAtt::Rfc822Text => b"RFC822.TEXT",
        FetchAtt::Body => b"BODY",
        FetchAtt::BodyStructure => b"BODYSTRUCTURE",
        FetchAtt::Uid => b"UID",
        FetchAtt::ModSeq => b"MODSEQ",
        FetchAtt::Preview => b"PREVIEW",
        FetchAtt::SaveDate => b"SAVEDATE",
        FetchAtt::EmailId => b"EMAILID",
        FetchAtt::ThreadId => b"THREADID",
        // Sections are written by `fetch_att`; they never reach here.
        FetchAtt::BodySection { .. } | FetchAtt::Binary { .. } | FetchAtt::BinarySize { .. } => b"",
    }
}

fn section(w: &mut Writer, section: &Section) {
    match section {
        Section::Full => {}
        Section::Msgtext(text) => msgtext(w, text),
        Section::Part(part) => section_part(w, Some(part)),
        Section::PartText(part, text) => {
            section_part(w, Some(part));
            w.raw(b".");
            match text {
                SectionText::Msgtext(text) => msgtext(w, text),
                SectionText::Mime => w.raw(b"MIME"),
            }
        }
    }
}

fn section_part(w: &mut Writer, part: Option<&SectionPart>) {
    let Some(part) = part else { return };
    let numbers: Vec<String> = part.0.as_slice().iter().map(|n| n.to_string()).collect();
    w.raw(numbers.join(".").as_bytes());
}

fn msgtext(w: &mut Writer, text: &SectionMsgtext) {
    match text {
        SectionMsgtext::Header => w.raw(b"HEADER"),
        SectionMsgtext::Text => w.raw(b"TEXT"),
        SectionMsgtext::HeaderFields { not, fields } => {
            w.raw(if *not {
                b"HEADER.FIELDS.NOT "
            } else {
                b"HEADER.FIELDS "
            });
            w.list(fields.as_slice(), |w, field| w.astring(field.as_bytes()));
        }
    }
}

fn partial(w: &mut Writer, partial: Option<&Partial>) {
    if let Some(p) = partial {
        w.raw(format!("<{}.{}>", p.offset, p.length).as_bytes());
    }
}
