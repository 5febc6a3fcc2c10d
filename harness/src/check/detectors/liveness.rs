//! Liveness: a server that stops answering or drops the connection in the middle of a
//! command has crashed or hung; that is a finding about the server, never a mere transport
//! error. (The command's own checks become Unknown; the walk records that.)
//!
//! A BYE before the close makes the close itself legal (RFC 3501 §3.4, §7.1.5: logout,
//! panic shutdown, autologout), but not the loss of a valid command: a server that ends one
//! session over a well-formed command valid in its state, while it keeps serving the other
//! sessions (so this was no shutdown), failed to execute it. Such a finding waits for
//! another session to hear from the server; if none does, it stays Unknown.

use super::rejections::valid_in_state;
use super::{Ctx, Detector, Out};
use crate::check::Verdict;
use crate::check::requirements::{BYE_BEFORE_CLOSE, ONE_TAGGED_COMPLETION};
use crate::check::verdict::Violation;
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight, Model, SessionView};
use crate::wire::ParseError;
use crate::wire::command::CommandBody;
use crate::wire::response::{Response, StatusKind, Tagged};

const NAME: &str = "liveness";

#[derive(Default)]
pub struct Liveness {
    /// Sessions ended by BYE during a valid command, awaiting proof the server lived on.
    ended_by_bye: Vec<(SessionId, Violation)>,
    /// The latest event at which each session heard from the server.
    heard: std::collections::HashMap<SessionId, u64>,
    /// Sessions whose latest completion (OK or BAD) was a BAD.
    rejected: std::collections::HashSet<SessionId>,
}

impl Detector for Liveness {
    fn on_completed(&mut self, cx: &Ctx<'_>, _done: &InFlight, t: &Tagged<'_>, _out: &mut Out) {
        match t.status.kind {
            StatusKind::Bad => {
                self.rejected.insert(cx.session);
            }
            StatusKind::Ok => {
                self.rejected.remove(&cx.session);
            }
            StatusKind::No => {}
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, _r: &Response<'_>, _d: &Digest, out: &mut Out) {
        self.heard.insert(cx.session, cx.index);
        self.server_lives_on(cx.session, out);
    }

    fn on_unparsed(&mut self, cx: &Ctx<'_>, _f: &[u8], _e: &ParseError, out: &mut Out) {
        self.heard.insert(cx.session, cx.index);
        self.server_lives_on(cx.session, out);
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, out: &mut Out) {
        let Some(view) = cx.view() else {
            return;
        };
        let during: Vec<String> = view.in_flight.iter().map(InFlight::describe).collect();
        let evidence: Vec<u64> = view.in_flight.iter().map(|c| c.sent_at).collect();
        match event {
            EventKind::Timeout { after_ms, .. } if !during.is_empty() => {
                let since = evidence.iter().copied().min().unwrap_or(0);
                let v = cx
                    .violation(NAME, ONE_TAGGED_COMPLETION)
                    .expected("a tagged completion for every command")
                    .observed(format!(
                        "server crashed or hung during: {} (no response for {after_ms} ms)",
                        during.join(", ")
                    ))
                    .evidence(evidence)
                    .because("every command gets exactly one tagged completion, and none came");
                out.push(self.grade_timeout(cx.session, since, v));
            }
            EventKind::Disconnected { reason, .. } if view.bye.is_none() => {
                let what = if during.is_empty() {
                    "server closed the connection with no command in flight".to_string()
                } else {
                    format!("server crashed or hung during: {}", during.join(", "))
                };
                out.push(
                    cx.violation(NAME, BYE_BEFORE_CLOSE)
                        .expected("an untagged BYE before the server closes the connection")
                        .observed(format!("{what} ({reason})"))
                        .evidence(evidence)
                        .because("the connection ended without a BYE saying why"),
                );
            }
            EventKind::Disconnected { .. } => self.bye_during_valid_command(cx, view),
            EventKind::Connected { .. } => {
                self.rejected.remove(&cx.session);
            }
            _ => {}
        }
    }

    fn on_end(&mut self, _model: &Model, out: &mut Out) {
        for (_, v) in self.ended_by_bye.drain(..) {
            out.push(v.graded(Verdict::Unknown));
        }
    }
}

impl Liveness {
    /// RFC 3501 sets no time limit: a command that outlasts the timeout while the server
    /// keeps answering other sessions is slow, not proven hung (Courier stalls up to two
    /// minutes on its FAM socket): Unknown. Silence everywhere is a hang: Fail.
    fn grade_timeout(&self, session: SessionId, since: u64, v: Violation) -> Violation {
        let others_served = self
            .heard
            .iter()
            .any(|(&s, &at)| s != session && at > since);
        if others_served {
            let observed = format!("{} — other sessions were served meanwhile", v.observed);
            let mut v = v.graded(Verdict::Unknown);
            v.observed = observed;
            v
        } else {
            v
        }
    }

    fn bye_during_valid_command(&mut self, cx: &Ctx<'_>, view: &SessionView) {
        let Some(bye) = view.bye else {
            return;
        };
        // A session that sent malformed commands may be ended for them ("too many protocol
        // violations", Courier, pymap, Dovecot): the valid command in flight is no victim.
        // So may one answered BAD since its last OK: Dovecot ends a session at its 20th BAD
        // in a row, and a well-formed FETCH of a sequence number past EXISTS is answered BAD.
        if view.mutated || self.rejected.contains(&cx.session) {
            return;
        }
        let lost: Vec<&InFlight> = view
            .in_flight
            .iter()
            .filter(|c| c.sent_at < bye && is_valid_non_logout(c))
            .collect();
        if lost.is_empty() {
            return;
        }
        let during: Vec<String> = lost.iter().map(|c| c.describe()).collect();
        let v = cx
            .violation(NAME, ONE_TAGGED_COMPLETION)
            .expected("a tagged completion for the valid command (or a server-wide shutdown)")
            .observed(format!(
                "server ended the session with BYE (#{bye}) during: {}, and kept serving \
                 other sessions",
                during.join(", ")
            ))
            .evidence(lost.iter().map(|c| c.sent_at).chain([bye]))
            .because(
                "BYE may end a session for logout, panic shutdown or autologout, not instead \
                 of executing a valid command while the server runs on",
            );
        self.ended_by_bye.push((cx.session, v));
    }

    /// Another session heard from the server: every BYE-ended session before it was no
    /// shutdown.
    fn server_lives_on(&mut self, session: SessionId, out: &mut Out) {
        if self.ended_by_bye.is_empty() {
            return;
        }
        let (others, same): (Vec<_>, Vec<_>) = self
            .ended_by_bye
            .drain(..)
            .partition(|(s, _)| *s != session);
        self.ended_by_bye = same;
        for (_, v) in others {
            out.push(v);
        }
    }
}

/// Well-formed (it parsed), not malformed on purpose, valid in the state it was sent in,
/// and not LOGOUT (whose BYE is the answer).
fn is_valid_non_logout(c: &InFlight) -> bool {
    let Some(body) = c.body() else {
        return false;
    };
    c.mutation.is_none()
        && !matches!(body, CommandBody::Logout)
        && valid_in_state(body, c.state_at_send)
}
