//! The results of ESEARCH (RFC 4731), SORT and THREAD (RFC 5256) against themselves and the
//! session's view. ESEARCH: the correlator names a SEARCH with RETURN in flight (UID exactly
//! when it was UID SEARCH), such a SEARCH that completes OK got one, and the result options
//! agree (COUNT = |ALL|, MIN/MAX its ends, nothing but COUNT 0 without a match). SORT and
//! THREAD: each number at most once, and message numbers within the view.
//!
//! Which messages match is not judged: servers may or may not count a message another
//! session expunged and this one still sees. Commands sent as deliberate malformations, and
//! commands the parser did not read, are left alone.

use std::collections::{HashMap, HashSet};

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::{ESEARCH_CONSISTENT, ESEARCH_CORRELATED, SORT_THREAD_IN_VIEW};
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody as C;
use crate::wire::response::{Data, Esearch, EsearchItem, Response, StatusKind, Tagged, Thread};

const NAME: &str = "search-results";

#[derive(Default)]
pub struct SearchResults {
    /// Per session: tags of the SEARCH … RETURN commands an ESEARCH answered.
    answered: HashMap<SessionId, HashSet<String>>,
}

impl Detector for SearchResults {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        match r {
            Response::Data(Data::Esearch(e)) => self.esearch(cx, e, out),
            Response::Data(Data::Sort { numbers, .. }) => in_view(cx, "SORT", numbers, out),
            Response::Data(Data::Thread(threads)) => {
                let mut numbers = Vec::new();
                flatten(threads, &mut numbers);
                in_view(cx, "THREAD", &numbers, out);
            }
            _ => {}
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let answered = self
            .answered
            .get_mut(&cx.session)
            .is_some_and(|tags| tags.remove(&done.tag));
        let asks = matches!(done.body(), Some(C::Search(s)) if s.return_opts.is_some());
        if answered
            || !asks
            || done.mutation.is_some()
            || t.status.kind != StatusKind::Ok
            || !cx.model.capabilities.has("ESEARCH")
        {
            return;
        }
        out.push(
            cx.violation(NAME, ESEARCH_CORRELATED)
                .expected(format!(
                    "an ESEARCH response (TAG \"{}\") before the OK",
                    done.tag
                ))
                .observed("no ESEARCH for this SEARCH … RETURN")
                .evidence([done.sent_at])
                .because("a SEARCH with RETURN is answered with ESEARCH, not SEARCH"),
        );
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        // Commands a dropped connection never completed leave their tags behind otherwise.
        if ends_connection(event) {
            self.answered.remove(&cx.session);
        }
    }
}

impl SearchResults {
    fn esearch(&mut self, cx: &Ctx<'_>, e: &Esearch<'_>, out: &mut Out) {
        let (Some(tag), Some(view)) = (&e.tag, cx.view()) else {
            return;
        };
        let tag = String::from_utf8_lossy(tag.as_bytes()).into_owned();
        let Some(command) = view.in_flight.iter().find(|c| c.tag == tag) else {
            // A context update (RFC 5267) or a late answer: the solicited detector's matter.
            return;
        };
        let Some(C::Search(search)) = command.body() else {
            return;
        };
        if command.mutation.is_some() {
            return;
        }
        self.answered
            .entry(cx.session)
            .or_default()
            .insert(tag.clone());
        if search.uid != e.uid {
            out.push(
                cx.violation(NAME, ESEARCH_CORRELATED)
                    .expected(format!(
                        "UID in the ESEARCH exactly when {tag} is UID SEARCH"
                    ))
                    .observed(format!("UID {}, command UID {}", e.uid, search.uid))
                    .evidence([command.sent_at])
                    .because("the UID marker says whether the numbers are UIDs"),
            );
            return;
        }
        // A view the model lost track of says nothing about numbers.
        let known = !cx.tainted();
        let limit = (!e.uid && known).then(|| view.selection.as_ref().map_or(0, |s| s.exists()));
        if let Some(problem) = inconsistency(&e.items, limit) {
            out.push(
                cx.violation(NAME, ESEARCH_CONSISTENT)
                    .expected("COUNT, MIN, MAX and ALL describing one set of matches")
                    .observed(problem)
                    .evidence([command.sent_at])
                    .because("the result options of one ESEARCH describe the same matches"),
            );
        }
    }
}

/// What is wrong with one ESEARCH's result options; `limit` is the view's message count for
/// message numbers (`None` for UIDs).
fn inconsistency(items: &[EsearchItem<'_>], limit: Option<u32>) -> Option<String> {
    let (mut min, mut max, mut count, mut all) = (None, None, None, None);
    for item in items {
        match item {
            EsearchItem::Min(n) => min = Some(*n),
            EsearchItem::Max(n) => max = Some(*n),
            EsearchItem::Count(n) => count = Some(*n),
            EsearchItem::All(set) => all = Some(set),
            _ => {}
        }
    }
    if count == Some(0) && (min.is_some() || max.is_some() || all.is_some()) {
        return Some("COUNT 0 with MIN, MAX or ALL".into());
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Some(format!("MIN {lo} > MAX {hi}"));
    }
    if let Some(limit) = limit
        && let Some(n) = [min, max].into_iter().flatten().find(|&n| n > limit)
    {
        return Some(format!(
            "message number {n} beyond the {limit} messages of the view"
        ));
    }
    let all = all?;
    let (lo, hi) = all.bounds()?;
    if limit.is_some_and(|l| hi > l) {
        return Some(format!("ALL names {hi}, beyond the view's {}", limit?));
    }
    let size = all.count()?;
    match (count, min, max) {
        (Some(c), _, _) if u64::from(c) != size => Some(format!("COUNT {c}, ALL names {size}")),
        (_, Some(m), _) if m != lo => Some(format!("MIN {m}, ALL starts at {lo}")),
        (_, _, Some(m)) if m != hi => Some(format!("MAX {m}, ALL ends at {hi}")),
        _ => None,
    }
}

/// SORT/THREAD numbers: each once, and message numbers within the view (UIDs are not
/// bounded: the session may not know them all).
fn in_view(cx: &Ctx<'_>, what: &str, numbers: &[u32], out: &mut Out) {
    let Some(view) = cx.view() else {
        return;
    };
    let asking: Vec<&InFlight> = view
        .in_flight
        .iter()
        .filter(|c| c.name.ends_with(what) && c.mutation.is_none() && c.command.is_some())
        .collect();
    let Some(first) = asking.first() else {
        return;
    };
    let uid = first.name.starts_with("UID");
    if asking.iter().any(|c| c.name.starts_with("UID") != uid) {
        return;
    }
    let mut seen = HashSet::with_capacity(numbers.len());
    let twice = numbers.iter().find(|n| !seen.insert(**n));
    let exists = view.selection.as_ref().map_or(0, |s| s.exists());
    let beyond = (!uid && !cx.tainted())
        .then(|| numbers.iter().find(|&&n| n > exists))
        .flatten();
    let problem = match (twice, beyond) {
        (Some(n), _) => format!("{n} listed twice"),
        (None, Some(n)) => format!("message {n} beyond the {exists} messages of the view"),
        (None, None) => return,
    };
    out.push(
        cx.violation(NAME, SORT_THREAD_IN_VIEW)
            .expected(format!(
                "{what} results naming each message of the view at most once"
            ))
            .observed(problem)
            .evidence(asking.iter().map(|c| c.sent_at))
            .because("SORT and THREAD order the messages a SEARCH would find"),
    );
}

fn flatten(threads: &[Thread], out: &mut Vec<u32>) {
    for t in threads {
        out.extend_from_slice(&t.members);
        flatten(&t.children, out);
    }
}
