//! What the generated responses that both parsers accepted actually exercised, so that
//! the property cannot pass by comparing nothing.

use std::collections::BTreeMap;

use super::neutral::{Att, Body, BodyKind, Code, Continue, Kind, Resp};

/// Count of compared responses per feature label.
#[derive(Debug, Default)]
pub struct Coverage(pub BTreeMap<&'static str, usize>);

impl Coverage {
    pub fn add(&mut self, r: &Resp) {
        for label in labels(r) {
            *self.0.entry(label).or_default() += 1;
        }
    }

    /// The labels of `required` seen fewer than `min` times.
    pub fn missing(&self, required: &[&'static str], min: usize) -> Vec<(&'static str, usize)> {
        required
            .iter()
            .map(|l| (*l, self.0.get(l).copied().unwrap_or(0)))
            .filter(|(_, n)| *n < min)
            .collect()
    }
}

fn labels(r: &Resp) -> Vec<&'static str> {
    match r {
        Resp::Continue(Continue::Base64(_)) => vec!["continue base64"],
        Resp::Continue(Continue::Text(t)) => with_code(vec!["continue text"], t.code.as_ref()),
        Resp::Status { tag, kind, text } => {
            let label = match (tag, kind) {
                (Some(_), _) => "tagged status",
                (None, Kind::Bye) => "BYE",
                (None, _) => "untagged status",
            };
            with_code(vec![label], text.code.as_ref())
        }
        Resp::Capability(_) => vec!["CAPABILITY"],
        Resp::Flags(_) => vec!["FLAGS"],
        Resp::List { lsub: false, .. } => vec!["LIST"],
        Resp::List { lsub: true, .. } => vec!["LSUB"],
        Resp::Search(_) => vec!["SEARCH"],
        Resp::Sort(_) => vec!["SORT"],
        Resp::Thread(_) => vec!["THREAD"],
        Resp::MailboxStatus { .. } => vec!["STATUS"],
        Resp::Exists(_) => vec!["EXISTS"],
        Resp::Recent(_) => vec!["RECENT"],
        Resp::Expunge(_) => vec!["EXPUNGE"],
        Resp::Fetch { atts, .. } => {
            let mut labels = vec!["FETCH"];
            labels.extend(atts.iter().flat_map(att_labels));
            labels
        }
        Resp::Enabled(_) => vec!["ENABLED"],
        Resp::RawKeyword(_) => vec!["QUOTA"],
    }
}

fn with_code(mut labels: Vec<&'static str>, code: Option<&Code>) -> Vec<&'static str> {
    if let Some(code) = code {
        labels.push(code_label(code));
        if !matches!(code, Code::Other { .. }) {
            labels.push("typed code");
        }
    }
    labels
}

fn code_label(c: &Code) -> &'static str {
    match c {
        Code::Alert => "[ALERT]",
        Code::BadCharset(_) => "[BADCHARSET]",
        Code::Capability(_) => "[CAPABILITY]",
        Code::Parse => "[PARSE]",
        Code::PermanentFlags(_) => "[PERMANENTFLAGS]",
        Code::ReadOnly => "[READ-ONLY]",
        Code::ReadWrite => "[READ-WRITE]",
        Code::TryCreate => "[TRYCREATE]",
        Code::UidNext(_) => "[UIDNEXT]",
        Code::UidValidity(_) => "[UIDVALIDITY]",
        Code::Unseen(_) => "[UNSEEN]",
        Code::AppendUid { .. } => "[APPENDUID]",
        Code::CopyUid { .. } => "[COPYUID]",
        Code::UidNotSticky => "[UIDNOTSTICKY]",
        Code::Other { .. } => "[other code]",
    }
}

fn att_labels(a: &Att) -> Vec<&'static str> {
    match a {
        Att::Flags(_) => vec!["FETCH FLAGS"],
        Att::Uid(_) => vec!["FETCH UID"],
        Att::Rfc822Size(_) => vec!["FETCH RFC822.SIZE"],
        Att::InternalDate { .. } => vec!["FETCH INTERNALDATE"],
        Att::Envelope(e) if !e.from.is_empty() => vec!["FETCH ENVELOPE", "ENVELOPE address"],
        Att::Envelope(_) => vec!["FETCH ENVELOPE"],
        Att::Rfc822(_) => vec!["FETCH RFC822"],
        Att::Rfc822Header(_) => vec!["FETCH RFC822.HEADER"],
        Att::Rfc822Text(_) => vec!["FETCH RFC822.TEXT"],
        Att::Body(b) => body_labels("FETCH BODY", b),
        Att::BodyStructure(b) => body_labels("FETCH BODYSTRUCTURE", b),
        Att::Section { origin: None, .. } => vec!["FETCH BODY[section]"],
        Att::Section { .. } => vec!["FETCH BODY[section]", "BODY[section]<origin>"],
        Att::Binary { .. } => vec!["FETCH BINARY"],
        Att::BinarySize { .. } => vec!["FETCH BINARY.SIZE"],
    }
}

fn body_labels(item: &'static str, b: &Body) -> Vec<&'static str> {
    let shape = match b {
        Body::Multi { .. } => "body multipart",
        Body::Single {
            kind: BodyKind::Message { .. },
            ..
        } => "body message/rfc822",
        Body::Single {
            kind: BodyKind::Text { .. },
            ..
        } => "body text/*",
        Body::Single { .. } => "body basic",
    };
    let ext = match b {
        Body::Multi { ext: Some(_), .. } | Body::Single { ext: Some(_), .. } => {
            Some("body extension data")
        }
        _ => None,
    };
    let mut labels = vec![item, shape];
    labels.extend(ext);
    labels
}
