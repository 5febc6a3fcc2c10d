//! Liveness: a server that stops answering or drops the connection in the middle of a
//! command has crashed or hung; that is a finding about the server, never a mere transport
//! error. (The command's own checks become Unknown; the walk records that.)

use super::{Ctx, Detector, Out};
use crate::check::requirements::{BYE_BEFORE_CLOSE, ONE_TAGGED_COMPLETION};
use crate::history::EventKind;

const NAME: &str = "liveness";

pub struct Liveness;

impl Detector for Liveness {
    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, out: &mut Out) {
        let Some(view) = cx.view() else {
            return;
        };
        let during: Vec<String> = view.in_flight.iter().map(|c| c.describe()).collect();
        let evidence: Vec<u64> = view.in_flight.iter().map(|c| c.sent_at).collect();
        match event {
            EventKind::Timeout { after_ms, .. } if !during.is_empty() => out.push(
                cx.violation(NAME, ONE_TAGGED_COMPLETION)
                    .expected("a tagged completion for every command")
                    .observed(format!(
                        "server crashed or hung during: {} (no response for {after_ms} ms)",
                        during.join(", ")
                    ))
                    .evidence(evidence)
                    .because("every command gets exactly one tagged completion, and none came"),
            ),
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
            _ => {}
        }
    }
}
