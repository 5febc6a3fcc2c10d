//! Extension data (DESIGN decision 9): a response beyond RFC 3501 is legal when an
//! advertised capability explains it, and a finding only when none does. With no
//! capability known at all nothing can be decided, and nothing is reported.

use super::{Ctx, Detector, Out};
use crate::check::requirements::BASE_BEHAVIOUR_UNTIL_USED;
use crate::model::{Capabilities, Digest};
use crate::wire::command::CommandBody;
use crate::wire::response::{Code, Data, MsgAtt, RespText, Response, StatusItem};

const NAME: &str = "extensions";

pub struct Extensions;

impl Detector for Extensions {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let caps = &cx.model.capabilities;
        if caps.is_empty() {
            return;
        }
        let experimental = cx.view().is_some_and(|v| {
            v.in_flight
                .iter()
                .any(|c| matches!(c.body(), Some(CommandBody::Experimental(_)) | None))
        });
        let unexplained = match r {
            Response::Data(data) => data_needs(data)
                .into_iter()
                .find(|(_, need)| !need.iter().any(|n| advertised(caps, n))),
            Response::Tagged(t) => code_needs(&t.status.text)
                .filter(|(_, need)| !need.iter().any(|n| advertised(caps, n))),
            Response::Continue(_) => None,
        };
        let Some((what, need)) = unexplained else {
            return;
        };
        if experimental && what.starts_with(['X', 'x']) {
            return;
        }
        out.push(
            cx.violation(NAME, BASE_BEHAVIOUR_UNTIL_USED)
                .expected(format!("{what} only with capability {}", need.join(" or ")))
                .observed(format!(
                    "{what}, not explained by any advertised capability"
                ))
                .because("extension data is legal only when an advertised capability allows it"),
        );
    }
}

/// Capability `need` (upper case; a trailing `=` matches any `NEED=value`) was advertised.
fn advertised(caps: &Capabilities, need: &str) -> bool {
    if need.ends_with('=') {
        caps.has_prefix(need)
    } else {
        caps.has(need) || caps.has_prefix(&format!("{need}="))
    }
}

type Need = (String, Vec<String>);

fn need(what: impl Into<String>, caps: &[&str]) -> Option<Need> {
    Some((what.into(), caps.iter().map(|c| c.to_string()).collect()))
}

/// What a data response needs, item by item.
fn data_needs(data: &Data<'_>) -> Vec<Need> {
    let one = match data {
        Data::Enabled(_) => need("* ENABLED", &["ENABLE"]),
        Data::Namespace(_) => need("* NAMESPACE", &["NAMESPACE"]),
        Data::Id(_) => need("* ID", &["ID"]),
        Data::Esearch(_) => need("* ESEARCH", &["ESEARCH", "ESORT", "CONTEXT="]),
        Data::Sort { .. } => need("* SORT", &["SORT"]),
        Data::Thread(_) => need("* THREAD", &["THREAD="]),
        Data::Vanished { .. } => need("* VANISHED", &["QRESYNC"]),
        Data::Extension { name, .. } => extension_response(name.as_bytes()),
        Data::Status(s) => code_needs(&s.text),
        Data::Bye(text) => code_needs(text),
        Data::Fetch { atts, .. } => return atts.iter().filter_map(fetch_item).collect(),
        Data::MailboxStatus { items, .. } => return items.iter().filter_map(status_item).collect(),
        _ => None,
    };
    one.into_iter().collect()
}

fn extension_response(name: &[u8]) -> Option<Need> {
    let name = String::from_utf8_lossy(name).to_ascii_uppercase();
    let caps: &[&str] = match name.as_str() {
        "QUOTA" | "QUOTAROOT" => &["QUOTA"],
        "ACL" | "MYRIGHTS" | "LISTRIGHTS" => &["ACL"],
        "METADATA" => &["METADATA", "METADATA-SERVER"],
        "ANNOTATION" => &["ANNOTATE-EXPERIMENT-1"],
        "XLIST" => &["XLIST"],
        "LANGUAGE" => &["LANGUAGE"],
        "COMPARATOR" => &["I18NLEVEL="],
        "CONVERTED" => &["CONVERT"],
        "GENURLAUTH" | "URLFETCH" => &["URLAUTH"],
        _ => return Some((format!("* {name}"), vec![name])),
    };
    need(format!("* {name}"), caps)
}

fn code_needs(text: &RespText<'_>) -> Option<Need> {
    match text.code.as_ref()? {
        Code::AppendUid { .. } => need("[APPENDUID]", &["UIDPLUS"]),
        Code::CopyUid { .. } => need("[COPYUID]", &["UIDPLUS"]),
        Code::UidNotSticky => need("[UIDNOTSTICKY]", &["UIDPLUS"]),
        Code::HighestModSeq(_) => need("[HIGHESTMODSEQ]", &["CONDSTORE", "QRESYNC"]),
        Code::NoModSeq => need("[NOMODSEQ]", &["CONDSTORE", "QRESYNC"]),
        Code::Modified(_) => need("[MODIFIED]", &["CONDSTORE", "QRESYNC"]),
        Code::Closed => need("[CLOSED]", &["QRESYNC", "CONDSTORE", "IMAP4REV2"]),
        // `atom [SP text]` is RFC 3501's own resp-text-code: never a finding.
        _ => None,
    }
}

fn fetch_item(att: &MsgAtt<'_>) -> Option<Need> {
    match att {
        MsgAtt::ModSeq(_) => need("FETCH MODSEQ", &["CONDSTORE", "QRESYNC"]),
        MsgAtt::Binary { .. } | MsgAtt::BinarySize { .. } => need("FETCH BINARY", &["BINARY"]),
        MsgAtt::Extension { name, .. } => {
            let name = String::from_utf8_lossy(name.as_bytes()).to_ascii_uppercase();
            let caps: &[&str] = match name.as_str() {
                "PREVIEW" => &["PREVIEW", "PREVIEW="],
                "SNIPPET" => &["SNIPPET="],
                "EMAILID" | "THREADID" => &["OBJECTID"],
                "SAVEDATE" => &["SAVEDATE"],
                n if n.starts_with("X-GM-") => &["X-GM-EXT-1"],
                _ => return Some((format!("FETCH {name}"), vec![name])),
            };
            need(format!("FETCH {name}"), caps)
        }
        _ => None,
    }
}

fn status_item(item: &StatusItem<'_>) -> Option<Need> {
    match item {
        StatusItem::Deleted(_) => need("STATUS DELETED", &["IMAP4REV2"]),
        StatusItem::HighestModSeq(_) => need("STATUS HIGHESTMODSEQ", &["CONDSTORE", "QRESYNC"]),
        StatusItem::Size(_) => need("STATUS SIZE", &["STATUS=SIZE"]),
        StatusItem::AppendLimit(_) => need("STATUS APPENDLIMIT", &["APPENDLIMIT"]),
        StatusItem::MailboxId(_) => need("STATUS MAILBOXID", &["OBJECTID"]),
        StatusItem::Other { name, .. } => {
            let name = String::from_utf8_lossy(name.as_bytes()).to_ascii_uppercase();
            Some((format!("STATUS {name}"), vec![name]))
        }
        _ => None,
    }
}
