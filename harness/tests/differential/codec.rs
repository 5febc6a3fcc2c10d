//! imap-codec's AST into the neutral form. Total: every response imap-codec (default
//! features) can return has a neutral value.

use imap_codec::imap_types::core::{AString, Charset, IString, NString};
use imap_codec::imap_types::extensions::thread::Thread as CThread;
use imap_codec::imap_types::extensions::uidplus::{UidElement, UidSet};
use imap_codec::imap_types::fetch::MessageDataItem;
use imap_codec::imap_types::flag::{Flag as CFlag, FlagFetch, FlagPerm};
use imap_codec::imap_types::mailbox::Mailbox as CMailbox;
use imap_codec::imap_types::response::{
    Code as CCode, CommandContinuationRequest, Data, Response, Status, StatusKind,
};
use imap_codec::imap_types::status::StatusDataItem;

use super::neutral::*;

pub fn response(r: &Response<'_>) -> Resp {
    match r {
        Response::CommandContinuationRequest(CommandContinuationRequest::Base64(b)) => {
            Resp::Continue(Continue::Base64(b.to_vec()))
        }
        Response::CommandContinuationRequest(CommandContinuationRequest::Basic(b)) => {
            Resp::Continue(Continue::Text(text(b.code(), b.text().as_ref())))
        }
        Response::Status(s) => status(s),
        Response::Data(d) => data(d),
    }
}

fn status(s: &Status<'_>) -> Resp {
    let (tag, kind, code, t) = match s {
        Status::Untagged(b) => (None, kind(b.kind), b.code.as_ref(), &b.text),
        Status::Tagged(t) => (
            Some(t.tag.inner().as_bytes().to_vec()),
            kind(t.body.kind),
            t.body.code.as_ref(),
            &t.body.text,
        ),
        Status::Bye(b) => (None, Kind::Bye, b.code.as_ref(), &b.text),
    };
    Resp::Status {
        tag,
        kind,
        text: text(code, t.as_ref()),
    }
}

fn kind(k: StatusKind) -> Kind {
    match k {
        StatusKind::Ok => Kind::Ok,
        StatusKind::No => Kind::No,
        StatusKind::Bad => Kind::Bad,
    }
}

fn data(d: &Data<'_>) -> Resp {
    match d {
        Data::Capability(caps) => Resp::Capability(upper_display(caps.as_ref())),
        Data::List {
            items,
            delimiter,
            mailbox: m,
        }
        | Data::Lsub {
            items,
            delimiter,
            mailbox: m,
        } => Resp::List {
            lsub: matches!(d, Data::Lsub { .. }),
            flags: items.iter().map(ToString::to_string).collect(),
            // A QuotedChar is 7-bit by construction.
            delimiter: delimiter.map(|c| c.inner() as u8),
            mailbox: mailbox(m),
        },
        Data::Status { mailbox: m, items } => Resp::MailboxStatus {
            mailbox: mailbox(m),
            items: items.iter().map(status_item).collect(),
        },
        Data::Search(numbers) => Resp::Search(numbers.iter().map(|n| n.get()).collect()),
        Data::Sort(numbers) => Resp::Sort(numbers.iter().map(|n| n.get()).collect()),
        Data::Thread(threads) => Resp::Thread(threads.iter().map(thread).collect()),
        Data::Flags(flags) => Resp::Flags(flags.iter().map(flag).collect()),
        Data::Exists(n) => Resp::Exists(*n),
        Data::Recent(n) => Resp::Recent(*n),
        Data::Expunge(n) => Resp::Expunge(n.get()),
        Data::Fetch { seq, items } => Resp::Fetch {
            seq: seq.get(),
            atts: items.as_ref().iter().map(att).collect(),
        },
        Data::Enabled { capabilities } => Resp::Enabled(upper_display(capabilities)),
        Data::Quota { .. } => Resp::RawKeyword("QUOTA".into()),
        Data::QuotaRoot { .. } => Resp::RawKeyword("QUOTAROOT".into()),
    }
}

fn status_item(item: &StatusDataItem) -> (String, u64) {
    let (name, n) = match item {
        StatusDataItem::Messages(n) => ("MESSAGES", u64::from(*n)),
        StatusDataItem::Recent(n) => ("RECENT", u64::from(*n)),
        StatusDataItem::UidNext(n) => ("UIDNEXT", u64::from(n.get())),
        StatusDataItem::UidValidity(n) => ("UIDVALIDITY", u64::from(n.get())),
        StatusDataItem::Unseen(n) => ("UNSEEN", u64::from(*n)),
        StatusDataItem::Deleted(n) => ("DELETED", u64::from(*n)),
        StatusDataItem::DeletedStorage(n) => ("DELETED-STORAGE", *n),
    };
    (name.to_owned(), n)
}

fn thread(t: &CThread) -> Thread {
    match t {
        CThread::Members { prefix, answers } => Thread {
            members: prefix.as_ref().iter().map(|n| n.get()).collect(),
            children: answers
                .as_ref()
                .map(|a| a.as_ref().iter().map(thread).collect())
                .unwrap_or_default(),
        },
        CThread::Nested { answers } => Thread {
            members: Vec::new(),
            children: answers.as_ref().iter().map(thread).collect(),
        },
    }
}

fn text(code: Option<&CCode<'_>>, t: &str) -> Text {
    Text {
        code: code.map(self::code),
        text: t.as_bytes().to_vec(),
    }
}

fn code(c: &CCode<'_>) -> Code {
    match c {
        CCode::Alert => Code::Alert,
        CCode::BadCharset { allowed } => Code::BadCharset(allowed.iter().map(charset).collect()),
        CCode::Capability(caps) => Code::Capability(upper_display(caps.as_ref())),
        CCode::Parse => Code::Parse,
        CCode::PermanentFlags(flags) => Code::PermanentFlags(flags.iter().map(flag_perm).collect()),
        CCode::ReadOnly => Code::ReadOnly,
        CCode::ReadWrite => Code::ReadWrite,
        CCode::TryCreate => Code::TryCreate,
        CCode::UidNext(n) => Code::UidNext(n.get()),
        CCode::UidValidity(n) => Code::UidValidity(n.get()),
        CCode::Unseen(n) => Code::Unseen(n.get()),
        // Typed by imap-codec, generic `atom` codes for us.
        CCode::CompressionActive => other("COMPRESSIONACTIVE", None),
        CCode::OverQuota => other("OVERQUOTA", None),
        CCode::TooBig => other("TOOBIG", None),
        CCode::UnknownCte => other("UNKNOWN-CTE", None),
        CCode::AppendUid { uid_validity, uid } => Code::AppendUid {
            validity: uid_validity.get(),
            uid: uid.get(),
        },
        CCode::CopyUid {
            uid_validity,
            source,
            destination,
        } => Code::CopyUid {
            validity: uid_validity.get(),
            source: uid_set(source),
            destination: uid_set(destination),
        },
        CCode::UidNotSticky => Code::UidNotSticky,
        CCode::Other(raw) => other_code(raw.inner()),
    }
}

/// imap-codec keeps an unknown code as the bytes between the brackets.
fn other_code(raw: &[u8]) -> Code {
    let (name, rest) = match raw.iter().position(|&c| c == b' ') {
        Some(sp) => (&raw[..sp], Some(raw[sp + 1..].to_vec())),
        None => (raw, None),
    };
    Code::Other {
        name: String::from_utf8_lossy(name).to_ascii_uppercase(),
        rest,
    }
}

fn other(name: &str, rest: Option<Vec<u8>>) -> Code {
    Code::Other {
        name: name.to_owned(),
        rest,
    }
}

fn uid_set(set: &UidSet) -> Vec<SetItem> {
    set.0
        .as_ref()
        .iter()
        .map(|e| match e {
            UidElement::Single(n) => SetItem::One(n.get()),
            UidElement::Range(a, b) => SetItem::Range(a.get(), b.get()),
        })
        .collect()
}

fn charset(c: &Charset<'_>) -> Vec<u8> {
    let s: &str = c.as_ref();
    s.as_bytes().to_vec()
}

fn flag(f: &CFlag<'_>) -> Flag {
    match f {
        CFlag::Keyword(atom) => Flag::Keyword(atom.as_ref().as_bytes().to_vec()),
        // Display is "\" and the name (canonical for the system flags).
        other => {
            let shown = other.to_string();
            backslash_flag(shown.strip_prefix('\\').unwrap_or(&shown))
        }
    }
}

fn flag_perm(f: &FlagPerm<'_>) -> Flag {
    match f {
        FlagPerm::Flag(f) => flag(f),
        FlagPerm::Asterisk => Flag::Backslash("*".into()),
    }
}

fn flag_fetch(f: &FlagFetch<'_>) -> Flag {
    match f {
        FlagFetch::Flag(f) => flag(f),
        FlagFetch::Recent => backslash_flag("Recent"),
    }
}

fn mailbox(m: &CMailbox<'_>) -> Mailbox {
    match m {
        CMailbox::Inbox => Mailbox::Inbox,
        CMailbox::Other(other) => Mailbox::Other(other.as_ref().to_vec()),
    }
}

fn att(item: &MessageDataItem<'_>) -> Att {
    use super::codec_body::{body, envelope, section};
    use MessageDataItem as M;
    match item {
        M::Flags(flags) => Att::Flags(flags.iter().map(flag_fetch).collect()),
        M::Uid(n) => Att::Uid(n.get()),
        M::Rfc822Size(n) => Att::Rfc822Size(*n),
        M::InternalDate(dt) => {
            let dt = dt.as_ref();
            Att::InternalDate {
                utc_seconds: dt.timestamp(),
                offset_seconds: dt.offset().local_minus_utc(),
            }
        }
        M::Envelope(e) => Att::Envelope(Box::new(envelope(e))),
        M::Rfc822(s) => Att::Rfc822(nstr(s)),
        M::Rfc822Header(s) => Att::Rfc822Header(nstr(s)),
        M::Rfc822Text(s) => Att::Rfc822Text(nstr(s)),
        M::Body(b) => Att::Body(Box::new(body(b))),
        M::BodyStructure(b) => Att::BodyStructure(Box::new(body(b))),
        M::BodyExt {
            section: s,
            origin,
            data,
        } => Att::Section {
            section: section(s.as_ref()),
            origin: *origin,
            data: nstr(data),
        },
        M::Binary { section: s, value } => Att::Binary {
            section: s.iter().map(|n| n.get()).collect(),
            data: nstring8(value),
        },
        M::BinarySize { section: s, size } => Att::BinarySize {
            section: s.iter().map(|n| n.get()).collect(),
            size: *size,
        },
    }
}

fn nstring8(v: &imap_codec::imap_types::core::NString8<'_>) -> NStr {
    use imap_codec::imap_types::core::NString8;
    match v {
        NString8::NString(s) => nstr(s),
        NString8::Literal8(l) => Some(l.data.to_vec()),
    }
}

pub fn nstr(s: &NString<'_>) -> NStr {
    s.0.as_ref().map(istr)
}

pub fn istr(s: &IString<'_>) -> Vec<u8> {
    s.as_ref().to_vec()
}

pub fn astr(s: &AString<'_>) -> Vec<u8> {
    s.as_ref().to_vec()
}

fn upper_display<T: ToString>(list: &[T]) -> Vec<String> {
    list.iter()
        .map(|c| c.to_string().to_ascii_uppercase())
        .collect()
}
