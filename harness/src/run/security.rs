//! `probe --security-probes`: one probe per known IMAP vulnerability's input shape, each on a fresh
//! connection and followed by a liveness check (a new connection must get a greeting and an
//! answer to NOOP) and, for recipe targets, a look at the server process (alive, memory).
//!
//! A probe passes when the server answers the hostile input (BAD, NO, or BYE and close) and
//! lives on; it fails when the server dies, hangs, or (STARTTLS) executes a command that was
//! sent in plaintext before the handshake.

use std::sync::Arc;

use serde::Serialize;

use super::connect::{Access, open_unauthenticated};
use super::driver::Driver;
use super::monitor::tree_rss_kib;
use super::recorder::{RecordLimits, Recorder};
use super::transport::{Endpoint, Security};
use crate::generate::plan::{Action, RawCommand, Step};
use crate::history::{EventKind, History, Meta};
use crate::wire::command::CommandBody;

/// One known input shape.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub reference: &'static str,
    pub what: &'static str,
    /// The probe runs in a session logged in as the target's user.
    pub login: bool,
}

pub const SHAPES: [Shape; 9] = [
    Shape {
        name: "nul-in-quoted-before-login",
        reference: "Dovecot CVE-2019-11500",
        what: "NUL bytes inside quoted strings of LOGIN, before authentication",
        login: false,
    },
    Shape {
        name: "thousands-of-literals",
        reference: "Cyrus CVE-2024-34055",
        what: "5,000 synchronising literals in one ID command, before authentication",
        login: false,
    },
    Shape {
        name: "brace-flood",
        reference: "Dovecot brace floods (CVE-2021-33515 class)",
        what: "100,000 unbalanced `{` in one line, then a 20-digit literal claim",
        login: false,
    },
    Shape {
        name: "starttls-injection",
        reference: "Apache James CVE-2021-38542 (CVE-2011-0411 class)",
        what: "a command pipelined in plaintext right after STARTTLS",
        login: false,
    },
    Shape {
        name: "long-authenticate",
        reference: "UW imapd CVE-1999-0005",
        what: "a 1 MiB AUTHENTICATE response line, and a 64 KiB mechanism name",
        login: false,
    },
    Shape {
        name: "format-strings-in-login",
        reference: "format-string bugs in LOGIN handling",
        what: "%s%n%x%p in LOGIN's user name and password",
        login: false,
    },
    Shape {
        name: "huge-literal-claim",
        reference: "literal length overflow / preallocation",
        what: "LOGIN {4294967295} before authentication (closed if the server says +)",
        login: false,
    },
    Shape {
        name: "literal-echo-injection",
        reference: "response splitting through echoed arguments (Dovecot 2.3 and 2.4, found by \
                    imapgate)",
        what: "after EXAMINE INBOX, SEARCH with a literal key holding CRLF and a forged \
               `* 31337 EXISTS` line: a server that echoes the key into its BAD text sends the \
               forged line as a response",
        login: true,
    },
    Shape {
        name: "unterminated-mutf7-name",
        reference: "modified UTF-7 decoder loops (pymap 0.36.7 hangs, found by imapgate)",
        what: "after login, EXAMINE of a name whose modified-BASE64 shift `&Jjo` never ends \
               (read-only: nothing is created)",
        login: true,
    },
];

/// What one probe found.
#[derive(Clone, Debug, Serialize)]
pub struct ProbeOutcome {
    pub name: &'static str,
    pub reference: &'static str,
    /// `pass`, `fail`, or `skipped`.
    pub outcome: &'static str,
    /// The server's first answer (escaped), or what happened instead.
    pub answer: String,
    /// Whether a fresh connection got a greeting and a NOOP answer afterwards.
    pub alive_after: bool,
    /// Memory of the server's processes before and after, in KiB (recipe targets).
    pub rss_kib: Option<(u64, u64)>,
    pub detail: String,
}

/// Memory growth (KiB) of the server's process tree over one probe that counts as a finding.
const RSS_GROWTH_LIMIT_KIB: u64 = 256 * 1024;

/// Run every probe against `access` (whose endpoint must be the plain or STARTTLS port for
/// the STARTTLS probe to run); `pid` is the server's main process if known; `user` logs in
/// for the probes that need a session.
pub async fn run_all(access: &Access, pid: Option<u32>, user: &str) -> Vec<ProbeOutcome> {
    let mut out = Vec::with_capacity(SHAPES.len());
    for shape in SHAPES {
        out.push(run_one(access, shape, pid, user).await);
    }
    out
}

async fn run_one(access: &Access, shape: Shape, pid: Option<u32>, user: &str) -> ProbeOutcome {
    let before = pid.and_then(tree_rss_kib);
    let rec = Recorder::new(RecordLimits::default());
    let result = if shape.login {
        after_login(access, &rec, user, shape).await
    } else {
        send(access, &rec, shape).await
    };
    let alive_after = alive(access).await;
    let after = pid.and_then(tree_rss_kib);
    let history = rec.finish(Meta::default());
    let answer = first_answer(&history);
    let mut o = ProbeOutcome {
        name: shape.name,
        reference: shape.reference,
        outcome: "pass",
        answer,
        alive_after,
        rss_kib: before.zip(after),
        detail: String::new(),
    };
    let timed_out = history
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Timeout { .. }));
    match result {
        _ if timed_out && !matches!(result, Verdict::Injected(_)) => {
            o.outcome = "fail";
            o.detail = if alive_after {
                "no answer within the timeout (neither `+` nor a refusal): this session is stuck, \
                 though the server still accepts connections"
                    .into()
            } else {
                "no answer within the timeout, and no new connection answered (hung)".into()
            };
        }
        Verdict::Skipped(why) => {
            o.outcome = "skipped";
            o.detail = why;
        }
        Verdict::Refused(how) => o.detail = how,
        Verdict::Injected(what) => {
            o.outcome = "fail";
            o.detail = what;
        }
        Verdict::Answered | Verdict::Lost(_) if !alive_after => {
            o.outcome = "fail";
            o.detail = "the server no longer accepts connections (crashed or hung)".into();
        }
        Verdict::Lost(what) => o.detail = last_word(&history).unwrap_or(what),
        Verdict::Answered => {}
    }
    if pid.is_some() && after.is_none() {
        o.outcome = "fail";
        o.detail = "the server process is gone".into();
    } else if let (Some(b), Some(a)) = (before, after)
        && a > b + RSS_GROWTH_LIMIT_KIB
    {
        o.outcome = "fail";
        o.detail = format!("server memory grew by {} MiB", (a - b) / 1024);
    }
    o
}

enum Verdict {
    Answered,
    /// The connection ended or timed out (how, in words).
    Lost(String),
    Injected(String),
    Skipped(String),
    /// The hostile input was refused in a safe way (said how).
    Refused(String),
}

async fn send(access: &Access, rec: &Arc<Recorder>, shape: Shape) -> Verdict {
    let Ok(mut d) = open_unauthenticated(access, rec, 0).await else {
        return Verdict::Lost("no greeting".into());
    };
    let steps: Vec<RawCommand> = match shape.name {
        "nul-in-quoted-before-login" => vec![raw(shape, b"LOGIN \"us\0er\" \"pa\0ss\"\r\n")],
        "thousands-of-literals" => vec![raw(shape, &many_literals())],
        "brace-flood" => {
            let mut flood = b"NOOP ".to_vec();
            flood.extend(std::iter::repeat_n(b'{', 100_000));
            flood.extend_from_slice(b"\r\n");
            let mut claim = raw(shape, b"LOGIN {99999999999999999999}\r\n");
            claim.close_on_continuation = true;
            vec![raw(shape, &flood), claim]
        }
        "starttls-injection" => return starttls_injection(access, &mut d).await,
        "long-authenticate" => {
            let mut line = b"AUTHENTICATE PLAIN ".to_vec();
            line.extend(std::iter::repeat_n(b'A', 1024 * 1024));
            line.extend_from_slice(b"\r\n");
            let mut mech = b"AUTHENTICATE ".to_vec();
            mech.extend(std::iter::repeat_n(b'M', 64 * 1024));
            mech.extend_from_slice(b"\r\n");
            let mut mech = raw(shape, &mech);
            mech.close_on_continuation = true;
            vec![raw(shape, &line), mech]
        }
        "format-strings-in-login" => vec![raw(shape, b"LOGIN %s%n%x%n %s%p%n%s\r\n")],
        _ => {
            let mut claim = raw(shape, b"LOGIN {4294967295}\r\n");
            claim.close_on_continuation = true;
            vec![claim]
        }
    };
    for r in steps {
        let mut group = vec![Step {
            action: Action::Raw(r),
            pipelined: false,
        }];
        if let Err(e) = d.run_group(&mut group).await {
            return lost(e);
        }
    }
    let _ = d.run(CommandBody::Logout).await;
    d.record(EventKind::Closed);
    Verdict::Answered
}

/// A probe in the authenticated state: log in as `user`, then the shape's commands.
async fn after_login(access: &Access, rec: &Arc<Recorder>, user: &str, shape: Shape) -> Verdict {
    let mut d = match super::connect::open(access, rec, 0, user).await {
        Ok(d) => d,
        Err(e) => return Verdict::Skipped(format!("no session to probe from: {e}")),
    };
    let injection = shape.name == "literal-echo-injection";
    // Read-only throughout: EXAMINE, SEARCH, and a name under imapgate's probe prefix, so a
    // server that accepts it opens nothing of the user's.
    let lines: Vec<RawCommand> = if injection {
        let key = format!("x\r\n{FORGED}\r\nINJ2 OK forged");
        let search = format!("SEARCH {{{}}}\r\n{key}\r\n", key.len());
        vec![
            RawCommand::new("", b"EXAMINE INBOX\r\n".to_vec()),
            raw(shape, search.as_bytes()),
        ]
    } else {
        vec![raw(shape, b"EXAMINE \"imapgate-probe-&Jjo\"\r\n")]
    };
    for line in lines {
        let mut group = vec![Step {
            action: Action::Raw(line),
            pipelined: false,
        }];
        if let Err(e) = d.run_group(&mut group).await {
            return lost(e);
        }
    }
    // What the SEARCH's answer left behind arrives before the NOOP's completion.
    let forged = match d.run(CommandBody::Noop).await {
        Ok(reply) => reply
            .frames
            .iter()
            .any(|f| f.trim_ascii_end() == FORGED.as_bytes()),
        Err(e) => return lost(e),
    };
    let _ = d.run(CommandBody::Logout).await;
    d.record(EventKind::Closed);
    if injection && forged {
        return Verdict::Injected(format!(
            "the server echoed the literal's CRLF into its BAD text, so `{FORGED}`, written by \
             the client, came as a response line"
        ));
    }
    Verdict::Answered
}

/// The response line the injection probe forges.
const FORGED: &str = "* 31337 EXISTS";

fn lost(e: super::driver::Ended) -> Verdict {
    use super::driver::Ended;
    match e {
        // We closed it ourselves after the server accepted a claim we will not honour.
        Ended::Abandoned => Verdict::Answered,
        Ended::Lost => Verdict::Lost("the server ended the connection".into()),
        other => Verdict::Lost(other.to_string()),
    }
}

fn raw(shape: Shape, bytes: &[u8]) -> RawCommand {
    RawCommand::new(shape.name, bytes.to_vec())
}

/// `ID (` with 2,500 key/value pairs of one-octet literals, sent without waiting for `+`.
fn many_literals() -> Vec<u8> {
    let mut out = b"ID (".to_vec();
    for _ in 0..2_500 {
        out.extend_from_slice(b"{1}\r\na {1}\r\nb ");
    }
    out.extend_from_slice(b"\"k\" \"v\")\r\n");
    out
}

/// `STARTTLS` and `INJ1 CAPABILITY` in one write; after the handshake, a server that
/// answers `INJ1` executed plaintext injected before TLS.
async fn starttls_injection(access: &Access, d: &mut Driver) -> Verdict {
    let Some(endpoint) = access.dial.endpoint() else {
        return Verdict::Skipped("no network endpoint".into());
    };
    if endpoint.security == Security::Tls {
        return Verdict::Skipped("implicit TLS port: no STARTTLS to inject into".into());
    }
    // Asked on this connection: servers stop advertising STARTTLS after login.
    if !starttls_offered(d).await {
        return Verdict::Skipped("STARTTLS not advertised".into());
    }
    let mut group = vec![Step {
        action: Action::Raw(RawCommand::new(
            "starttls-injection",
            b"STARTTLS\r\nINJ1 CAPABILITY\r\n".to_vec(),
        )),
        pipelined: false,
    }];
    if let Err(e) = d.run_group(&mut group).await {
        return lost(e);
    }
    let tls_endpoint = Endpoint {
        security: Security::StartTls,
        ..endpoint.clone()
    };
    if d.upgrade_tls(&tls_endpoint).await.is_err() {
        // Dovecot: "STARTTLS command isn't the last command in the pipeline" — it drops the
        // connection rather than run what came in plaintext. Safe.
        return Verdict::Refused(
            "the server dropped the connection instead of running the injected command".into(),
        );
    }
    match d.run(CommandBody::Noop).await {
        Ok(reply) if reply.frames.iter().any(|f| f.starts_with(b"INJ1 ")) => Verdict::Injected(
            "the server answered INJ1, a command sent in plaintext before the TLS handshake".into(),
        ),
        Ok(_) => {
            let _ = d.run(CommandBody::Logout).await;
            Verdict::Answered
        }
        Err(e) => lost(e),
    }
}

async fn starttls_offered(d: &mut Driver) -> bool {
    d.run(CommandBody::Capability).await.is_ok_and(|r| {
        r.frames.iter().any(|f| {
            String::from_utf8_lossy(f)
                .to_ascii_uppercase()
                .contains("STARTTLS")
        })
    })
}

/// A fresh connection gets a greeting and an answer to NOOP.
async fn alive(access: &Access) -> bool {
    let rec = Recorder::new(RecordLimits::default());
    let Ok(mut d) = open_unauthenticated(access, &rec, 0).await else {
        return false;
    };
    let ok = d.run(CommandBody::Noop).await.is_ok();
    let _ = d.run(CommandBody::Logout).await;
    ok
}

/// How the connection ended, from its last event.
fn last_word(history: &History) -> Option<String> {
    history.events.iter().rev().find_map(|e| match &e.kind {
        EventKind::HarnessError { what } => Some(format!("harness: {what}")),
        EventKind::Disconnected { reason, .. } => Some(reason.clone()),
        EventKind::Timeout { waiting_for, .. } => Some(format!("no answer to {waiting_for}")),
        _ => None,
    })
}

/// The server's first frame after the probe's own input (a login before it is skipped),
/// escaped and shortened.
fn first_answer(history: &History) -> String {
    let start = (history.events.iter())
        .position(|e| {
            matches!(
                &e.kind,
                EventKind::Sent {
                    mutation: Some(_),
                    ..
                }
            )
        })
        .unwrap_or(0);
    let mut frames = history.events[start..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Received { bytes } => Some(bytes.bytes()),
            _ => None,
        });
    if start == 0 {
        let _greeting = frames.next();
    }
    frames.next().map_or_else(
        || "-".into(),
        |f| {
            let text = crate::wire::escape::escape_bytes(&f[..f.len().min(100)]);
            if f.len() > 100 {
                format!("{text}…")
            } else {
                text
            }
        },
    )
}
