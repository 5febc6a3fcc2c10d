//! The checker's verdict on a stress history, as rows for the findings table.
//!
//! [`check`] is the one place the checker is called. Until the model/checker (branch `check`,
//! `imapgate::check::check(&History) -> Findings`) is merged, it is a stand-in that reports
//! only what needs no model: liveness (a server that stopped answering or dropped a session
//! with a command in flight) and harness errors. Swapping in the real checker means mapping
//! its `Findings` to [`Finding`] here and nowhere else.

use std::collections::HashMap;

use crate::history::{Event, EventKind, History, SessionId};

/// Requirement id of the stand-in's liveness finding (a server must answer every command).
pub const LIVENESS: &str = "LIVENESS";

/// One finding, enough for the table and the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub requirement: String,
    /// MUST / SHOULD / harness.
    pub level: String,
    pub session: SessionId,
    pub event: u64,
    pub summary: String,
    /// Never counted against the server.
    pub harness: bool,
}

/// The verdict on `history`.
pub fn check(history: &History) -> Vec<Finding> {
    stand_in(history)
}

fn stand_in(history: &History) -> Vec<Finding> {
    let mut commands: HashMap<(SessionId, &str), &str> = HashMap::new();
    let mut out = Vec::new();
    for e in &history.events {
        match &e.kind {
            EventKind::Sent {
                tag: Some(tag),
                command,
                ..
            } => {
                commands.insert((e.session, tag.as_str()), command.as_str());
            }
            EventKind::Timeout { tag, .. } => {
                let what = in_flight(&commands, e, tag.as_deref());
                out.push(liveness(e, format!("server hung during {what}")));
            }
            EventKind::Disconnected { tag, .. } => {
                let what = in_flight(&commands, e, tag.as_deref());
                out.push(liveness(
                    e,
                    format!("server crashed or closed during {what}"),
                ));
            }
            EventKind::HarnessError { what } => out.push(Finding {
                requirement: "HARNESS".into(),
                level: "harness".into(),
                session: e.session,
                event: e.index,
                summary: what.clone(),
                harness: true,
            }),
            _ => {}
        }
    }
    out
}

fn in_flight(commands: &HashMap<(SessionId, &str), &str>, e: &Event, tag: Option<&str>) -> String {
    match tag {
        Some(tag) => {
            let command = commands.get(&(e.session, tag)).copied().unwrap_or("?");
            format!("{command} ({tag})")
        }
        None => "connection set-up".into(),
    }
}

fn liveness(e: &Event, summary: String) -> Finding {
    Finding {
        requirement: LIVENESS.into(),
        level: "MUST".into(),
        session: e.session,
        event: e.index,
        summary,
        harness: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Meta, WireBytes};

    fn event(index: u64, kind: EventKind) -> Event {
        Event {
            index,
            session: 1,
            at_us: index,
            kind,
        }
    }

    #[test]
    fn a_disconnect_names_the_command_in_flight() {
        let h = History {
            meta: Meta::default(),
            events: vec![
                event(
                    0,
                    EventKind::Sent {
                        tag: Some("S1.4".into()),
                        command: "UID FETCH".into(),
                        bytes: WireBytes(b"S1.4 UID FETCH * FLAGS\r\n".to_vec()),
                        mutation: None,
                    },
                ),
                event(
                    1,
                    EventKind::Disconnected {
                        tag: Some("S1.4".into()),
                        reason: "closed".into(),
                    },
                ),
            ],
        };
        let f = check(&h);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].summary,
            "server crashed or closed during UID FETCH (S1.4)"
        );
        assert!(!f[0].harness);
    }
}
