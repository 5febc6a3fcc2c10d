//! imapgate's AST into the neutral form.
//!
//! Our AST types more than imap-codec (built with its default features: no CONDSTORE,
//! ID, NAMESPACE, LIST-EXTENDED, ...). A value imap-codec has no type for maps to
//! [`OnlyOurs`]; imap-codec rejects such responses, so `OnlyOurs` on a response it
//! accepted is itself a difference and fails the comparison.

use imapgate::wire::grammar::encode::write_sequence_set;
use imapgate::wire::response as ours;
use imapgate::wire::response::{Bytes, Data, MsgAtt, NString, SeqItem, SeqNumber, SequenceSet};

use super::neutral::*;

/// A value of ours that imap-codec's types cannot hold, named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnlyOurs(pub &'static str);

type R<T> = Result<T, OnlyOurs>;

pub fn response(r: &ours::Response<'_>) -> R<Resp> {
    match r {
        ours::Response::Continue(ours::ContinueReq::Base64(b)) => {
            use base64::Engine;
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(b.as_bytes())
                .map_err(|_| OnlyOurs("continue-req base64 that does not decode"))?;
            Ok(Resp::Continue(Continue::Base64(decoded)))
        }
        ours::Response::Continue(ours::ContinueReq::Text(t)) => {
            Ok(Resp::Continue(Continue::Text(text(t)?)))
        }
        ours::Response::Tagged(t) => status(Some(bytes(&t.tag)), &t.status),
        ours::Response::Data(d) => data(d),
    }
}

fn status(tag: Option<Vec<u8>>, s: &ours::StatusResponse<'_>) -> R<Resp> {
    let kind = match s.kind {
        ours::StatusKind::Ok => Kind::Ok,
        ours::StatusKind::No => Kind::No,
        ours::StatusKind::Bad => Kind::Bad,
    };
    Ok(Resp::Status {
        tag,
        kind,
        text: text(&s.text)?,
    })
}

fn data(d: &Data<'_>) -> R<Resp> {
    Ok(match d {
        Data::Status(s) => return status(None, s),
        Data::Bye(t) => Resp::Status {
            tag: None,
            kind: Kind::Bye,
            text: text(t)?,
        },
        Data::Capability(caps) => Resp::Capability(upper_all(caps)),
        Data::Flags(flags) => Resp::Flags(flags.iter().map(flag).collect()),
        Data::List(l) => list(l, false)?,
        Data::Lsub(l) => list(l, true)?,
        Data::Search { numbers, modseq } => {
            no_modseq(*modseq)?;
            Resp::Search(numbers.clone())
        }
        Data::Sort { numbers, modseq } => {
            no_modseq(*modseq)?;
            Resp::Sort(numbers.clone())
        }
        Data::Thread(threads) => Resp::Thread(threads.iter().map(thread).collect()),
        Data::MailboxStatus { mailbox: m, items } => Resp::MailboxStatus {
            mailbox: mailbox(m),
            items: items.iter().map(status_item).collect::<R<_>>()?,
        },
        Data::Exists(n) => Resp::Exists(*n),
        Data::Recent(n) => Resp::Recent(*n),
        Data::Expunge(n) => Resp::Expunge(*n),
        Data::Fetch { seq, atts } => Resp::Fetch {
            seq: *seq,
            atts: atts.iter().map(att).collect::<R<_>>()?,
        },
        Data::Enabled(caps) => Resp::Enabled(upper_all(caps)),
        // Kept raw for the checker; imap-codec types these two without any feature.
        Data::Extension { name, .. } if is_quota(name.as_bytes()) => {
            Resp::RawKeyword(upper(name.as_bytes()))
        }
        Data::Extension { .. } => {
            return Err(OnlyOurs(
                "untagged extension data (XLIST, MYRIGHTS, METADATA, ...)",
            ));
        }
        Data::Namespace(_) => return Err(OnlyOurs("NAMESPACE (RFC 2342)")),
        Data::Id(_) => return Err(OnlyOurs("ID (RFC 2971)")),
        Data::Esearch(_) => return Err(OnlyOurs("ESEARCH (RFC 4731)")),
        Data::Vanished { .. } => return Err(OnlyOurs("VANISHED (QRESYNC)")),
    })
}

fn is_quota(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"QUOTA") || name.eq_ignore_ascii_case(b"QUOTAROOT")
}

/// `search-sort-mod-seq` is CONDSTORE, not compiled into imap-codec.
fn no_modseq(modseq: Option<u64>) -> R<()> {
    match modseq {
        Some(_) => Err(OnlyOurs("SEARCH/SORT ... (MODSEQ n) (CONDSTORE)")),
        None => Ok(()),
    }
}

fn list(l: &ours::MailboxList<'_>, lsub: bool) -> R<Resp> {
    if l.extended.is_some() {
        return Err(OnlyOurs("mbox-list-extended (RFC 5258)"));
    }
    Ok(Resp::List {
        lsub,
        flags: l.flags.iter().map(list_flag).collect(),
        delimiter: l.delimiter,
        mailbox: mailbox(&l.mailbox),
    })
}

/// Spelled as imap-codec's `Display` spells `FlagNameAttribute`.
fn list_flag(f: &ours::ListFlag<'_>) -> String {
    match f {
        ours::ListFlag::Noinferiors => "\\Noinferiors".into(),
        ours::ListFlag::Noselect => "\\Noselect".into(),
        ours::ListFlag::Marked => "\\Marked".into(),
        ours::ListFlag::Unmarked => "\\Unmarked".into(),
        ours::ListFlag::Extension(name) => format!("\\{}", lossy(name)),
    }
}

fn status_item(item: &ours::StatusItem<'_>) -> R<(String, u64)> {
    use ours::StatusItem as S;
    let pair = |name: &str, n: u64| (name.to_owned(), n);
    Ok(match item {
        S::Messages(n) => pair("MESSAGES", (*n).into()),
        S::Recent(n) => pair("RECENT", (*n).into()),
        S::UidNext(n) => pair("UIDNEXT", (*n).into()),
        S::UidValidity(n) => pair("UIDVALIDITY", (*n).into()),
        S::Unseen(n) => pair("UNSEEN", (*n).into()),
        S::Deleted(n) => pair("DELETED", (*n).into()),
        S::Other { name, value } => (upper(name.as_bytes()), *value),
        S::HighestModSeq(_) => return Err(OnlyOurs("STATUS HIGHESTMODSEQ (CONDSTORE)")),
        S::Size(_) => return Err(OnlyOurs("STATUS SIZE (RFC 8438)")),
        S::AppendLimit(_) => return Err(OnlyOurs("STATUS APPENDLIMIT (RFC 7889)")),
        S::MailboxId(_) => return Err(OnlyOurs("STATUS MAILBOXID (RFC 8474)")),
    })
}

fn thread(t: &ours::Thread) -> Thread {
    Thread {
        members: t.members.clone(),
        children: t.children.iter().map(thread).collect(),
    }
}

fn text(t: &ours::RespText<'_>) -> R<Text> {
    Ok(Text {
        code: t.code.as_ref().map(code).transpose()?,
        text: bytes(&t.text),
    })
}

fn code(c: &ours::Code<'_>) -> R<Code> {
    use ours::Code as C;
    Ok(match c {
        C::Alert => Code::Alert,
        C::BadCharset(sets) => Code::BadCharset(sets.iter().map(bytes).collect()),
        C::Capability(caps) => Code::Capability(upper_all(caps)),
        C::Parse => Code::Parse,
        C::PermanentFlags(flags) => Code::PermanentFlags(flags.iter().map(flag).collect()),
        C::ReadOnly => Code::ReadOnly,
        C::ReadWrite => Code::ReadWrite,
        C::TryCreate => Code::TryCreate,
        C::UidNext(n) => Code::UidNext(*n),
        C::UidValidity(n) => Code::UidValidity(*n),
        C::Unseen(n) => Code::Unseen(*n),
        C::AppendUid { uidvalidity, uids } => append_uid(*uidvalidity, uids),
        C::CopyUid {
            uidvalidity,
            source,
            destination,
        } => Code::CopyUid {
            validity: *uidvalidity,
            source: uid_set(source)?,
            destination: uid_set(destination)?,
        },
        C::UidNotSticky => Code::UidNotSticky,
        C::Other { name, text } => Code::Other {
            name: upper(name.as_bytes()),
            rest: text.as_ref().map(bytes),
        },
        // CONDSTORE codes: imap-codec without the feature falls back to its generic
        // code, so these are compared as that (our encoding of the argument is the
        // canonical one, which real servers send too).
        C::HighestModSeq(n) => other("HIGHESTMODSEQ", Some(n.to_string().into_bytes())),
        C::NoModSeq => other("NOMODSEQ", None),
        C::Closed => other("CLOSED", None),
        C::Modified(set) => other("MODIFIED", Some(sequence_set(set))),
    })
}

/// imap-codec types `APPENDUID` only with a single UID (RFC 4315 without MULTIAPPEND);
/// with a set it falls back to its generic code, and so do we here.
fn append_uid(validity: u32, uids: &SequenceSet) -> Code {
    match uids.0.as_slice() {
        [SeqItem::Single(SeqNumber::Value(uid))] => Code::AppendUid {
            validity,
            uid: *uid,
        },
        _ => {
            let mut rest = validity.to_string().into_bytes();
            rest.push(b' ');
            rest.extend(sequence_set(uids));
            other("APPENDUID", Some(rest))
        }
    }
}

fn other(name: &str, rest: Option<Vec<u8>>) -> Code {
    Code::Other {
        name: name.to_owned(),
        rest,
    }
}

fn sequence_set(set: &SequenceSet) -> Vec<u8> {
    let mut out = Vec::new();
    write_sequence_set(&mut out, set);
    out
}

fn uid_set(set: &SequenceSet) -> R<Vec<SetItem>> {
    let value = |n: &SeqNumber| match n {
        SeqNumber::Value(v) => Ok(*v),
        SeqNumber::Largest => Err(OnlyOurs("\"*\" in a uid-set")),
    };
    set.0
        .iter()
        .map(|item| match item {
            SeqItem::Single(a) => Ok(SetItem::One(value(a)?)),
            SeqItem::Range(a, b) => Ok(SetItem::Range(value(a)?, value(b)?)),
        })
        .collect()
}

pub fn flag(f: &ours::Flag<'_>) -> Flag {
    use ours::Flag as F;
    match f {
        F::Answered => backslash_flag("Answered"),
        F::Flagged => backslash_flag("Flagged"),
        F::Deleted => backslash_flag("Deleted"),
        F::Seen => backslash_flag("Seen"),
        F::Draft => backslash_flag("Draft"),
        F::Recent => backslash_flag("Recent"),
        F::Wildcard => Flag::Backslash("*".into()),
        F::Extension(name) => backslash_flag(&lossy(name)),
        F::Keyword(k) => Flag::Keyword(bytes(k)),
    }
}

fn mailbox(m: &ours::Mailbox<'_>) -> Mailbox {
    match m {
        ours::Mailbox::Inbox => Mailbox::Inbox,
        ours::Mailbox::Other(name) => Mailbox::Other(bytes(name)),
    }
}

fn att(a: &MsgAtt<'_>) -> R<Att> {
    Ok(match a {
        MsgAtt::Flags(flags) => Att::Flags(flags.iter().map(flag).collect()),
        MsgAtt::Uid(n) => Att::Uid(*n),
        MsgAtt::Rfc822Size(n) => Att::Rfc822Size(*n),
        MsgAtt::InternalDate(dt) => internal_date(dt),
        MsgAtt::Envelope(e) => Att::Envelope(Box::new(envelope(e))),
        MsgAtt::Rfc822(s) => Att::Rfc822(nstr(s)),
        MsgAtt::Rfc822Header(s) => Att::Rfc822Header(nstr(s)),
        MsgAtt::Rfc822Text(s) => Att::Rfc822Text(nstr(s)),
        MsgAtt::Body(b) => Att::Body(Box::new(super::ours_body::body(b))),
        MsgAtt::BodyStructure(b) => Att::BodyStructure(Box::new(super::ours_body::body(b))),
        MsgAtt::BodySection {
            section,
            origin,
            data,
        } => Att::Section {
            section: super::ours_body::section(section),
            origin: *origin,
            data: nstr(data),
        },
        // imap-codec's BINARY response item has no origin (RFC 3516 allows one).
        MsgAtt::Binary {
            origin: Some(_), ..
        } => return Err(OnlyOurs("BINARY[...]<origin> (RFC 3516 allows the origin)")),
        MsgAtt::Binary { section, data, .. } => Att::Binary {
            section: section.clone(),
            data: nstr(data),
        },
        MsgAtt::BinarySize { section, size } => Att::BinarySize {
            section: section.clone(),
            size: *size,
        },
        MsgAtt::ModSeq(_) => return Err(OnlyOurs("FETCH MODSEQ (CONDSTORE)")),
        MsgAtt::Extension { .. } => {
            return Err(OnlyOurs(
                "FETCH extension item (PREVIEW, EMAILID, SAVEDATE, ...)",
            ));
        }
    })
}

/// The instant and offset of a `date-time`. Only meaningful for a real calendar date
/// (imap-codec rejects 30-Feb, second 60 and zones of a day or more; we follow the ABNF,
/// which does not).
fn internal_date(dt: &ours::DateTime) -> Att {
    let days = days_from_civil(i64::from(dt.year), dt.month.into(), dt.day.into());
    let local = days * 86_400
        + i64::from(dt.hour) * 3600
        + i64::from(dt.minute) * 60
        + i64::from(dt.second);
    let offset_seconds = i32::from(dt.zone_minutes) * 60;
    Att::InternalDate {
        utc_seconds: local - i64::from(offset_seconds),
        offset_seconds,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn envelope(e: &ours::Envelope<'_>) -> Envelope {
    let addrs = |list: &[ours::Address<'_>]| list.iter().map(address).collect();
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

fn address(a: &ours::Address<'_>) -> Address {
    Address {
        name: nstr(&a.name),
        adl: nstr(&a.adl),
        mailbox: nstr(&a.mailbox),
        host: nstr(&a.host),
    }
}

pub fn nstr(s: &NString<'_>) -> NStr {
    s.as_ref().map(bytes)
}

pub fn bytes(b: &Bytes<'_>) -> Vec<u8> {
    b.as_bytes().to_vec()
}

fn lossy(b: &Bytes<'_>) -> String {
    String::from_utf8_lossy(b.as_bytes()).into_owned()
}

fn upper(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_ascii_uppercase()
}

fn upper_all(list: &[Bytes<'_>]) -> Vec<String> {
    list.iter().map(|b| upper(b.as_bytes())).collect()
}
