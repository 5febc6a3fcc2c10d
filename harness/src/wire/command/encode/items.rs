//! Encoding of the items inside commands: flags, search keys, fetch and status attributes.

use super::body::sequence_set;
use super::writer::Writer;
use crate::wire::command::datetime::{Date, DateTime};
use crate::wire::command::fetch::{FetchAtt, FetchItems, StatusAtt};
use crate::wire::command::flag::Flag;
use crate::wire::command::search::SearchKey;
use crate::wire::command::section::{Partial, SectionPart};
use crate::wire::grammar;
use crate::wire::grammar::datetime::MONTHS;
use crate::wire::grammar::encode::{write_date, write_section, write_section_binary};

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
    match key {
        SearchKey::All => w.raw(b"ALL"),
        SearchKey::Answered => w.raw(b"ANSWERED"),
        SearchKey::Deleted => w.raw(b"DELETED"),
        SearchKey::Draft => w.raw(b"DRAFT"),
        SearchKey::Flagged => w.raw(b"FLAGGED"),
        SearchKey::New => w.raw(b"NEW"),
        SearchKey::Old => w.raw(b"OLD"),
        SearchKey::Recent => w.raw(b"RECENT"),
        SearchKey::Seen => w.raw(b"SEEN"),
        SearchKey::Unanswered => w.raw(b"UNANSWERED"),
        SearchKey::Undeleted => w.raw(b"UNDELETED"),
        SearchKey::Undraft => w.raw(b"UNDRAFT"),
        SearchKey::Unflagged => w.raw(b"UNFLAGGED"),
        SearchKey::Unseen => w.raw(b"UNSEEN"),
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
        SearchKey::Before(d) => keyword_date(w, "BEFORE", d),
        SearchKey::On(d) => keyword_date(w, "ON", d),
        SearchKey::Since(d) => keyword_date(w, "SINCE", d),
        SearchKey::SentBefore(d) => keyword_date(w, "SENTBEFORE", d),
        SearchKey::SentOn(d) => keyword_date(w, "SENTON", d),
        SearchKey::SentSince(d) => keyword_date(w, "SENTSINCE", d),
        SearchKey::Keyword(a) => keyword_raw(w, "KEYWORD", a.as_str().as_bytes()),
        SearchKey::Unkeyword(a) => keyword_raw(w, "UNKEYWORD", a.as_str().as_bytes()),
        SearchKey::Larger(n) => keyword_number(w, "LARGER", u64::from(*n)),
        SearchKey::Smaller(n) => keyword_number(w, "SMALLER", u64::from(*n)),
        SearchKey::ModSeq(m) => keyword_number(w, "MODSEQ", m.get()),
        SearchKey::Older(n) => keyword_number(w, "OLDER", u64::from(n.get())),
        SearchKey::Younger(n) => keyword_number(w, "YOUNGER", u64::from(n.get())),
        SearchKey::Uid(set) => {
            w.raw(b"UID ");
            sequence_set(w, set);
        }
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
    }
}

fn keyword_astring(w: &mut Writer, keyword: &str, value: &[u8]) {
    w.raw(keyword.as_bytes());
    w.sp();
    w.astring(value);
}

fn keyword_raw(w: &mut Writer, keyword: &str, value: &[u8]) {
    w.raw(keyword.as_bytes());
    w.sp();
    w.raw(value);
}

fn keyword_number(w: &mut Writer, keyword: &str, value: u64) {
    w.raw(keyword.as_bytes());
    w.sp();
    w.number(value);
}

/// `date` in its bare `date-text` form.
fn keyword_date(w: &mut Writer, keyword: &str, date: &Date) {
    w.raw(keyword.as_bytes());
    w.sp();
    let date = grammar::Date {
        day: date.day(),
        month: date.month(),
        year: date.year(),
    };
    w.with_line(|line| write_date(line, &date));
}

/// `date-time`, with the space-padded day real clients send (`" 5-May-2015 …"`) and the
/// zone's own sign, so `-0000` stays `-0000`.
pub(super) fn date_time(w: &mut Writer, value: &DateTime) {
    let (date, (hour, minute, second), zone) = (value.date(), value.time(), value.zone());
    let day = date.day();
    w.raw(if day < 10 { b"\" " } else { b"\"" });
    w.number(u64::from(day));
    w.raw(b"-");
    w.raw(&MONTHS[usize::from(date.month() - 1)][..]);
    w.raw(format!("-{:04} {hour:02}:{minute:02}:{second:02} ", date.year()).as_bytes());
    w.raw(if zone.is_west() { b"-" } else { b"+" });
    w.raw(format!("{:02}{:02}\"", zone.hours(), zone.minutes()).as_bytes());
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
        FetchAtt::Envelope => w.raw(b"ENVELOPE"),
        FetchAtt::Flags => w.raw(b"FLAGS"),
        FetchAtt::InternalDate => w.raw(b"INTERNALDATE"),
        FetchAtt::Rfc822 => w.raw(b"RFC822"),
        FetchAtt::Rfc822Header => w.raw(b"RFC822.HEADER"),
        FetchAtt::Rfc822Size => w.raw(b"RFC822.SIZE"),
        FetchAtt::Rfc822Text => w.raw(b"RFC822.TEXT"),
        FetchAtt::Body => w.raw(b"BODY"),
        FetchAtt::BodyStructure => w.raw(b"BODYSTRUCTURE"),
        FetchAtt::Uid => w.raw(b"UID"),
        FetchAtt::ModSeq => w.raw(b"MODSEQ"),
        FetchAtt::Preview => w.raw(b"PREVIEW"),
        FetchAtt::SaveDate => w.raw(b"SAVEDATE"),
        FetchAtt::EmailId => w.raw(b"EMAILID"),
        FetchAtt::ThreadId => w.raw(b"THREADID"),
        FetchAtt::BodySection {
            peek,
            section,
            partial,
        } => {
            w.raw(if *peek { b"BODY.PEEK" } else { b"BODY" });
            write_section(w, &section.to_grammar());
            self::partial(w, partial.as_ref());
        }
        FetchAtt::Binary {
            peek,
            part,
            partial,
        } => {
            w.raw(if *peek { b"BINARY.PEEK" } else { b"BINARY" });
            section_binary(w, part.as_ref());
            self::partial(w, partial.as_ref());
        }
        FetchAtt::BinarySize { part } => {
            w.raw(b"BINARY.SIZE");
            section_binary(w, part.as_ref());
        }
    }
}

/// `section-binary = "[" [section-part] "]"`
fn section_binary(w: &mut Writer, part: Option<&SectionPart>) {
    write_section_binary(w, &part.map(SectionPart::numbers).unwrap_or_default());
}

fn partial(w: &mut Writer, partial: Option<&Partial>) {
    if let Some(p) = partial {
        w.raw(b"<");
        w.number(u64::from(p.offset));
        w.raw(b".");
        w.number(u64::from(p.length.get()));
        w.raw(b">");
    }
}
