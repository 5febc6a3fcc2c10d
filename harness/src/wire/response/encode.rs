//! Canonical encoding of responses: `parse_response(&encode(r)) == r` for every value
//! the parser can produce.

use crate::wire::grammar::encode::{
    write_astring, write_flag_list, write_mailbox, write_number, write_paren_list, write_raw,
    write_sequence_set, write_string,
};

use super::ast::*;
use super::encode_fetch::write_msg_atts;

impl Response<'_> {
    /// Appends the response, final CRLF included.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Response::Continue(c) => {
                out.extend_from_slice(b"+ ");
                match c {
                    ContinueReq::Text(t) => write_resp_text(out, t),
                    ContinueReq::Base64(b) => out.extend_from_slice(b.as_bytes()),
                }
            }
            Response::Tagged(t) => {
                out.extend_from_slice(t.tag.as_bytes());
                out.push(b' ');
                write_status(out, &t.status);
            }
            Response::Data(d) => {
                out.extend_from_slice(b"* ");
                write_data(out, d);
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// The encoding as a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

impl Greeting<'_> {
    /// Appends the greeting, final CRLF included.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(match self.kind {
            GreetingKind::Ok => b"* OK ",
            GreetingKind::PreAuth => b"* PREAUTH ",
            GreetingKind::Bye => b"* BYE ",
        });
        write_resp_text(out, &self.text);
        out.extend_from_slice(b"\r\n");
    }
}

fn write_status(out: &mut Vec<u8>, s: &StatusResponse<'_>) {
    out.extend_from_slice(match s.kind {
        StatusKind::Ok => b"OK ",
        StatusKind::No => b"NO ",
        StatusKind::Bad => b"BAD ",
    });
    write_resp_text(out, &s.text);
}

fn write_resp_text(out: &mut Vec<u8>, t: &RespText<'_>) {
    if let Some(code) = &t.code {
        out.push(b'[');
        write_code(out, code);
        out.extend_from_slice(b"] ");
    }
    out.extend_from_slice(t.text.as_bytes());
}

fn write_atoms(out: &mut Vec<u8>, atoms: &[Bytes<'_>]) {
    for a in atoms {
        out.push(b' ');
        out.extend_from_slice(a.as_bytes());
    }
}

fn write_code(out: &mut Vec<u8>, code: &Code<'_>) {
    let word: &[u8] = match code {
        Code::Alert => b"ALERT",
        Code::Parse => b"PARSE",
        Code::ReadOnly => b"READ-ONLY",
        Code::ReadWrite => b"READ-WRITE",
        Code::TryCreate => b"TRYCREATE",
        Code::UidNotSticky => b"UIDNOTSTICKY",
        Code::NoModSeq => b"NOMODSEQ",
        Code::Closed => b"CLOSED",
        _ => return write_code_with_args(out, code),
    };
    out.extend_from_slice(word);
}

fn write_code_with_args(out: &mut Vec<u8>, code: &Code<'_>) {
    let number = write_labelled_number;
    match code {
        Code::BadCharset(list) => {
            out.extend_from_slice(b"BADCHARSET");
            if !list.is_empty() {
                out.push(b' ');
                write_paren_list(out, list, |o, c| write_astring(o, c.as_bytes()));
            }
        }
        Code::Capability(caps) => {
            out.extend_from_slice(b"CAPABILITY");
            write_atoms(out, caps);
        }
        Code::PermanentFlags(flags) => {
            out.extend_from_slice(b"PERMANENTFLAGS ");
            write_flag_list(out, flags);
        }
        Code::UidNext(n) => number(out, b"UIDNEXT ", u64::from(*n)),
        Code::UidValidity(n) => number(out, b"UIDVALIDITY ", u64::from(*n)),
        Code::Unseen(n) => number(out, b"UNSEEN ", u64::from(*n)),
        Code::HighestModSeq(n) => number(out, b"HIGHESTMODSEQ ", *n),
        Code::AppendUid { uidvalidity, uids } => {
            number(out, b"APPENDUID ", u64::from(*uidvalidity));
            out.push(b' ');
            write_sequence_set(out, uids);
        }
        Code::CopyUid {
            uidvalidity,
            source,
            destination,
        } => {
            number(out, b"COPYUID ", u64::from(*uidvalidity));
            out.push(b' ');
            write_sequence_set(out, source);
            out.push(b' ');
            write_sequence_set(out, destination);
        }
        Code::Modified(set) => {
            out.extend_from_slice(b"MODIFIED ");
            write_sequence_set(out, set);
        }
        Code::Other { name, text } => {
            out.extend_from_slice(name.as_bytes());
            if let Some(t) = text {
                out.push(b' ');
                out.extend_from_slice(t.as_bytes());
            }
        }
        // The argument-less codes are written by `write_code`.
        _ => write_code(out, code),
    }
}

fn write_data(out: &mut Vec<u8>, d: &Data<'_>) {
    match d {
        Data::Status(s) => write_status(out, s),
        Data::Bye(t) => {
            out.extend_from_slice(b"BYE ");
            write_resp_text(out, t);
        }
        Data::Capability(caps) => {
            out.extend_from_slice(b"CAPABILITY");
            write_atoms(out, caps);
        }
        Data::Enabled(caps) => {
            out.extend_from_slice(b"ENABLED");
            write_atoms(out, caps);
        }
        Data::Flags(flags) => {
            out.extend_from_slice(b"FLAGS ");
            write_flag_list(out, flags);
        }
        Data::List(l) => write_mailbox_list(out, b"LIST ", l),
        Data::Lsub(l) => write_mailbox_list(out, b"LSUB ", l),
        Data::Search { numbers, modseq } => write_numbers(out, b"SEARCH", numbers, *modseq),
        Data::Sort { numbers, modseq } => write_numbers(out, b"SORT", numbers, *modseq),
        Data::MailboxStatus { mailbox, items } => {
            out.extend_from_slice(b"STATUS ");
            write_mailbox(out, mailbox);
            out.push(b' ');
            write_paren_list(out, items, write_status_item);
        }
        Data::Exists(n) => write_numbered(out, *n, b" EXISTS"),
        Data::Recent(n) => write_numbered(out, *n, b" RECENT"),
        Data::Expunge(n) => write_numbered(out, *n, b" EXPUNGE"),
        Data::Fetch { seq, atts } => {
            write_numbered(out, *seq, b" FETCH ");
            write_msg_atts(out, atts);
        }
        _ => super::encode_ext::write_extension_data(out, d),
    }
}

fn write_numbered(out: &mut Vec<u8>, n: u32, word: &[u8]) {
    write_number(out, u64::from(n));
    out.extend_from_slice(word);
}

fn write_numbers(out: &mut Vec<u8>, word: &[u8], numbers: &[u32], modseq: Option<u64>) {
    out.extend_from_slice(word);
    for n in numbers {
        out.push(b' ');
        write_number(out, u64::from(*n));
    }
    if let Some(m) = modseq {
        out.extend_from_slice(b" (MODSEQ ");
        write_number(out, m);
        out.push(b')');
    }
}

/// `DQUOTE QUOTED-CHAR DQUOTE / nil`
pub(super) fn write_delimiter(out: &mut Vec<u8>, d: Option<u8>) {
    match d {
        Some(c) => {
            out.push(b'"');
            if c == b'"' || c == b'\\' {
                out.push(b'\\');
            }
            out.push(c);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"NIL"),
    }
}

fn write_mailbox_list(out: &mut Vec<u8>, word: &[u8], l: &MailboxList<'_>) {
    out.extend_from_slice(word);
    write_paren_list(out, &l.flags, |o, f| {
        o.push(b'\\');
        o.extend_from_slice(match f {
            ListFlag::Noinferiors => b"Noinferiors",
            ListFlag::Noselect => b"Noselect",
            ListFlag::Marked => b"Marked",
            ListFlag::Unmarked => b"Unmarked",
            ListFlag::Extension(x) => x.as_bytes(),
        });
    });
    out.push(b' ');
    write_delimiter(out, l.delimiter);
    out.push(b' ');
    write_mailbox(out, &l.mailbox);
    if let Some(items) = &l.extended {
        out.push(b' ');
        write_paren_list(out, items, |o, item| {
            write_astring(o, item.tag.as_bytes());
            o.push(b' ');
            write_raw(o, &item.value);
        });
    }
}

fn write_status_item(out: &mut Vec<u8>, item: &StatusItem<'_>) {
    let (word, value): (&[u8], u64) = match item {
        StatusItem::Messages(n) => (b"MESSAGES", u64::from(*n)),
        StatusItem::Recent(n) => (b"RECENT", u64::from(*n)),
        StatusItem::UidNext(n) => (b"UIDNEXT", u64::from(*n)),
        StatusItem::UidValidity(n) => (b"UIDVALIDITY", u64::from(*n)),
        StatusItem::Unseen(n) => (b"UNSEEN", u64::from(*n)),
        StatusItem::Deleted(n) => (b"DELETED", u64::from(*n)),
        StatusItem::HighestModSeq(n) => (b"HIGHESTMODSEQ", *n),
        StatusItem::Size(n) => (b"SIZE", *n),
        StatusItem::AppendLimit(Some(n)) => (b"APPENDLIMIT", *n),
        StatusItem::AppendLimit(None) => return out.extend_from_slice(b"APPENDLIMIT NIL"),
        StatusItem::MailboxId(id) => {
            out.extend_from_slice(b"MAILBOXID (");
            out.extend_from_slice(id.as_bytes());
            return out.push(b')');
        }
        StatusItem::Other { name, value } => (name.as_bytes(), *value),
    };
    out.extend_from_slice(word);
    out.push(b' ');
    write_number(out, value);
}

/// `string`, for the encoders of values held as [`Bytes`].
pub(super) fn write_str(out: &mut Vec<u8>, s: &Bytes<'_>) {
    write_string(out, s.as_bytes());
}

/// `word` followed by the decimal `n`, e.g. `UID 5` or `UIDNEXT 12`.
pub(super) fn write_labelled_number(out: &mut Vec<u8>, word: &[u8], n: u64) {
    out.extend_from_slice(word);
    write_number(out, n);
}
