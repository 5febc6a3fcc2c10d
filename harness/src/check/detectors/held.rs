//! Findings that rest on messages another session may be expunging right now. A server may
//! answer about a message expunged meanwhile (RFC 2180 §4) before this session is told, so
//! such a finding waits: it is dropped when the session is told its messages left (EXPUNGE
//! or VANISHED), reported once the session completes a NOOP, CHECK or IDLE with them still in
//! its view (by then an expunge would have been told), and dropped when the selection or the
//! connection ends first.

use std::collections::HashMap;

use super::{Ctx, Out, ends_connection};
use crate::check::Violation;
use crate::history::{EventKind, SessionId};
use crate::model::InFlight;
use crate::wire::response::{Data, Response, StatusKind, Tagged};

/// When a held finding is explained away by expunges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Explained {
    /// Each UID is a separate failure: dropped only when all of them left.
    WhenAllLeft,
    /// The finding is about the UIDs together (an order): dropped when any of them left.
    WhenAnyLeft,
}

#[derive(Default)]
pub struct Held {
    by_session: HashMap<SessionId, Vec<(Vec<u32>, Explained, Violation)>>,
}

impl Held {
    pub fn hold(&mut self, session: SessionId, uids: Vec<u32>, rule: Explained, v: Violation) {
        self.by_session
            .entry(session)
            .or_default()
            .push((uids, rule, v));
    }

    /// A response, before the model applies it: the UIDs it removes from the view. An
    /// EXPUNGE of a message whose UID the session never learnt may remove any held UID not
    /// seen elsewhere in the view, so such UIDs count as gone too.
    pub fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>) {
        if !matches!(
            r,
            Response::Data(Data::Expunge(_) | Data::Vanished { earlier: false, .. })
        ) {
            return;
        }
        let (Some(list), Some(sel)) = (self.by_session.get_mut(&cx.session), cx.selection()) else {
            return;
        };
        let visible = |u: u32, except: u32| {
            (sel.slots.iter().enumerate()).any(|(i, s)| s.uid == u && i + 1 != except as usize)
        };
        let left = |u: u32| match r {
            Response::Data(Data::Expunge(n)) => match sel.slot(*n).map(|s| s.uid) {
                Some(0) => !visible(u, *n),
                Some(uid) => uid == u,
                None => false,
            },
            Response::Data(Data::Vanished {
                earlier: false,
                uids,
            }) => uids.contains(u),
            _ => false,
        };
        list.retain_mut(|(uids, rule, _)| match rule {
            Explained::WhenAnyLeft => !uids.iter().any(|&u| left(u)),
            Explained::WhenAllLeft => {
                uids.retain(|&u| !left(u));
                !uids.is_empty()
            }
        });
    }

    /// A completion: a poll releases the session's findings, a selection's end drops them.
    pub fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        match done.name.as_str() {
            // The commands that poll for news: by their OK, an expunge would have come.
            "NOOP" | "CHECK" | "IDLE"
                if t.status.kind == StatusKind::Ok && done.mutation.is_none() =>
            {
                let held = self.by_session.remove(&cx.session).unwrap_or_default();
                for (_, _, v) in held {
                    out.push(v);
                }
            }
            // The selection ends without its pending expunges (even a malformed one may).
            "SELECT" | "EXAMINE" | "CLOSE" | "UNSELECT" | "LOGOUT" => {
                self.by_session.remove(&cx.session);
            }
            _ => {}
        }
    }

    pub fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind) {
        if ends_connection(event) {
            self.by_session.remove(&cx.session);
        }
    }
}
