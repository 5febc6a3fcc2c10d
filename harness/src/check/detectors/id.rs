//! ID (RFC 2971). What a server says about itself is bounded (§3.3): field names of at most
//! 30 octets, values of at most 1024, at most 30 pairs, no field named twice (strings are not
//! case-sensitive, so neither are the names). And an ID command is answered with an ID
//! response (§3.2: "a tagged ID response", which can only mean the untagged `* ID`: a tagged
//! response carries no list). §3.1 lists that response as optional while §3.2 says MUST,
//! so its absence is graded NonStrict, as a SHOULD would be.

use std::collections::{HashMap, HashSet};

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::Verdict;
use crate::check::requirements::{ID_ANSWERED, ID_FIELD_ONCE, ID_LIMITS};
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody;
use crate::wire::grammar::{Bytes, NString};
use crate::wire::response::{Data, Response, StatusKind, Tagged};

/// An ID response's field-value pairs.
type Pairs<'a> = [(Bytes<'a>, NString<'a>)];

const NAME: &str = "id";

/// RFC 2971 §3.3's bounds.
const MAX_FIELD: usize = 30;
const MAX_VALUE: usize = 1024;
const MAX_PAIRS: usize = 30;

#[derive(Default)]
pub struct Id {
    /// Per session: the ID commands in flight (by tag), and whether an ID response came
    /// since the oldest was sent.
    asked: HashMap<SessionId, (HashSet<String>, bool)>,
}

impl Detector for Id {
    fn on_command(&mut self, cx: &Ctx<'_>, c: &InFlight, _out: &mut Out) {
        if c.mutation.is_none() && matches!(c.body(), Some(CommandBody::Id(_))) {
            let (tags, _) = self.asked.entry(cx.session).or_default();
            tags.insert(c.tag.clone());
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let Response::Data(Data::Id(params)) = r else {
            return;
        };
        if let Some((_, answered)) = self.asked.get_mut(&cx.session) {
            *answered = true;
        }
        let pairs = params.as_deref().unwrap_or_default();
        if let Some(problem) = limits(pairs) {
            out.push(
                cx.violation(NAME, ID_LIMITS)
                    .expected("at most 30 field-value pairs, names of 30 octets, values of 1024")
                    .observed(problem)
                    .because("RFC 2971 §3.3 bounds what an ID response may carry"),
            );
        }
        if let Some(name) = repeated(pairs) {
            out.push(
                cx.violation(NAME, ID_FIELD_ONCE)
                    .expected("each field named once")
                    .observed(format!("field {name:?} more than once"))
                    .because("RFC 2971 §3.3: names are not case-sensitive"),
            );
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some((tags, answered)) = self.asked.get_mut(&cx.session) else {
            return;
        };
        if !tags.remove(&done.tag) {
            return;
        }
        let seen = *answered;
        if tags.is_empty() {
            self.asked.remove(&cx.session);
        }
        if t.status.kind == StatusKind::Ok && !seen {
            out.push(
                cx.violation(NAME, ID_ANSWERED)
                    .graded(Verdict::NonStrict)
                    .expected(format!("an untagged ID response before {} OK", done.tag))
                    .observed("OK without an ID response")
                    .because("RFC 2971 §3.2 (§3.1 calls the response optional: graded as a SHOULD)")
                    .evidence([done.sent_at]),
            );
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            self.asked.remove(&cx.session);
        }
    }
}

/// The first bound the pairs break, described.
fn limits(pairs: &Pairs<'_>) -> Option<String> {
    if pairs.len() > MAX_PAIRS {
        return Some(format!("{} field-value pairs", pairs.len()));
    }
    pairs.iter().find_map(|(name, value)| {
        let shown = || String::from_utf8_lossy(name.as_bytes()).into_owned();
        let value_len = value.as_ref().map_or(0, |v| v.as_bytes().len());
        if name.as_bytes().len() > MAX_FIELD {
            Some(format!(
                "field {:?} of {} octets",
                shown(),
                name.as_bytes().len()
            ))
        } else if value_len > MAX_VALUE {
            Some(format!("the value of {:?}: {value_len} octets", shown()))
        } else {
            None
        }
    })
}

/// The first field name given twice (compared without case).
fn repeated(pairs: &Pairs<'_>) -> Option<String> {
    let mut seen = HashSet::new();
    pairs.iter().find_map(|(name, _)| {
        let folded = name.as_bytes().to_ascii_lowercase();
        (!seen.insert(folded)).then(|| String::from_utf8_lossy(name.as_bytes()).into_owned())
    })
}
