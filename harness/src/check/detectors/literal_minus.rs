//! LITERAL- (RFC 7888 §5): a server that advertises it allows non-synchronising literals
//! (`{n+}`) of at most 4096 octets. One larger is rejected as §4 describes — the command
//! answered BAD or NO after the octets are read, or an untagged BYE and the connection
//! closed — and never executed. An APPEND's BAD carries `[TOOBIG]` (MUST), a BYE should.
//! The capability itself never comes with LITERAL+ in one list.
//!
//! Judged only while the run knows LITERAL- and not LITERAL+ (the model's capabilities),
//! from the octet counts the command carried (`InFlight::largest_nonsync`).

use std::collections::HashMap;

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::{
    LITERAL_MINUS_APPEND_TOOBIG, LITERAL_MINUS_BYE_TOOBIG, LITERAL_MINUS_REJECTS,
    LITERAL_PLUS_AND_MINUS,
};
use crate::history::{EventKind, SessionId};
use crate::model::{Digest, InFlight};
use crate::wire::command::LITERAL_MINUS_MAX;
use crate::wire::grammar::Bytes;
use crate::wire::response::{Code, Data, RespText, Response, StatusKind, Tagged};

const NAME: &str = "literal-minus";

/// An oversized non-synchronising literal in flight: its command's tag, name and size.
struct Oversized {
    tag: String,
    name: String,
    octets: u64,
    sent_at: u64,
}

#[derive(Default)]
pub struct LiteralMinus {
    /// Per session, the commands in flight that carried one (in sending order).
    oversized: HashMap<SessionId, Vec<Oversized>>,
}

impl Detector for LiteralMinus {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, _out: &mut Out) {
        let caps = &cx.model.capabilities;
        if caps.has("LITERAL-") && !caps.allows_nonsync(command.largest_nonsync) {
            self.oversized
                .entry(cx.session)
                .or_default()
                .push(Oversized {
                    tag: command.tag.clone(),
                    name: command.name.clone(),
                    octets: command.largest_nonsync,
                    sent_at: command.sent_at,
                });
        }
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let caps = match r {
            Response::Data(Data::Capability(caps)) => Some(caps),
            Response::Data(Data::Status(s)) => capability_code(&s.text),
            Response::Tagged(t) => capability_code(&t.status.text),
            _ => None,
        };
        if let Some(caps) = caps {
            judge_capabilities(cx, caps, out);
        }
        let Response::Data(Data::Bye(text)) = r else {
            return;
        };
        // A BYE rejects every oversized command in flight: the connection ends with them.
        for o in self.oversized.remove(&cx.session).unwrap_or_default() {
            if !is_toobig(text) {
                out.push(
                    cx.violation(NAME, LITERAL_MINUS_BYE_TOOBIG)
                        .expected(format!(
                            "BYE [TOOBIG] for the {}-octet non-synchronising literal of {} {}",
                            o.octets, o.tag, o.name
                        ))
                        .observed(format!("BYE without TOOBIG: {}", describe(text)))
                        .evidence([o.sent_at]),
                );
            }
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let Some(list) = self.oversized.get_mut(&cx.session) else {
            return;
        };
        let Some(at) = list.iter().position(|o| o.tag == done.tag) else {
            return;
        };
        let o = list.remove(at);
        let expected = format!(
            "{} {} rejected: its non-synchronising literal of {} octets is over LITERAL-'s {}",
            o.tag, o.name, o.octets, LITERAL_MINUS_MAX
        );
        match t.status.kind {
            StatusKind::Ok => out.push(
                cx.violation(NAME, LITERAL_MINUS_REJECTS)
                    .expected(expected)
                    .observed(format!("OK: {}", describe(&t.status.text)))
                    .evidence([o.sent_at]),
            ),
            StatusKind::Bad if o.name == "APPEND" && !is_toobig(&t.status.text) => out.push(
                cx.violation(NAME, LITERAL_MINUS_APPEND_TOOBIG)
                    .expected(format!("BAD [TOOBIG] for {} APPEND", o.tag))
                    .observed(format!("BAD without TOOBIG: {}", describe(&t.status.text)))
                    .evidence([o.sent_at]),
            ),
            _ => {}
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, _out: &mut Out) {
        if ends_connection(event) {
            self.oversized.remove(&cx.session);
        }
    }
}

fn capability_code<'r>(text: &'r RespText<'_>) -> Option<&'r Vec<Bytes<'r>>> {
    match &text.code {
        Some(Code::Capability(caps)) => Some(caps),
        _ => None,
    }
}

/// One capability list naming both LITERAL+ and LITERAL-.
fn judge_capabilities(cx: &Ctx<'_>, caps: &[Bytes<'_>], out: &mut Out) {
    let has = |name: &[u8]| caps.iter().any(|c| c.0.eq_ignore_ascii_case(name));
    if has(b"LITERAL+") && has(b"LITERAL-") {
        out.push(
            cx.violation(NAME, LITERAL_PLUS_AND_MINUS)
                .expected("LITERAL+ or LITERAL-, not both")
                .observed("a capability list with both LITERAL+ and LITERAL-"),
        );
    }
}

fn is_toobig(text: &RespText<'_>) -> bool {
    matches!(&text.code, Some(Code::Other { name, .. }) if name.0.eq_ignore_ascii_case(b"TOOBIG"))
}

fn describe(text: &RespText<'_>) -> String {
    String::from_utf8_lossy(&text.text.0).into_owned()
}
