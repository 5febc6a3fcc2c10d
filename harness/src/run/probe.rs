//! `probe`: connect to a target the way a user's client would and report what it offers —
//! greeting, capabilities before and after login, TLS parameters, namespace and hierarchy
//! delimiter, login result — plus every deviation met on the way, as findings.

use serde::Serialize;

use super::login::{AuthMethod, choose, login};
use super::session::{Reply, Session, SessionError, describe};
use super::target::Target;
use super::transcript::{Transcript, redact};
use super::transport::{Connection, Incoming, Security, Timeouts, TlsInfo, TransportError};
use crate::wire::command::{CommandBody, List, ListMailbox, Mailbox};
use crate::wire::escape::escape_bytes;
use crate::wire::frame::FrameLimits;
use crate::wire::parse_greeting;
use crate::wire::response::{Data, GreetingKind, Response, StatusKind};

/// Something the target did that a conforming server does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub summary: String,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LoginResult {
    pub method: AuthMethod,
    pub status: String,
    pub text: String,
}

/// What `probe` learned. Serialized for `--json`; the transcript is already redacted.
#[derive(Debug, Serialize)]
pub struct ProbeReport {
    pub target: String,
    pub address: String,
    pub security: Security,
    pub greeting: Option<String>,
    pub tls: Option<TlsInfo>,
    pub capabilities_pre_auth: Vec<String>,
    pub capabilities_post_auth: Vec<String>,
    pub login: Option<LoginResult>,
    pub namespace_prefix: Option<String>,
    pub delimiter: Option<String>,
    pub findings: Vec<Finding>,
    /// Set when nothing could be concluded (e.g. the target cannot be reached).
    pub harness_error: Option<String>,
    pub transcript: Transcript,
}

/// Why the probe stopped early; the report already says why.
struct Stop;

/// Probe `target`: never panics, every wait bounded by `timeouts`.
pub async fn probe(target: &Target, method: AuthMethod, timeouts: Timeouts) -> ProbeReport {
    let mut report = ProbeReport {
        target: target.name.clone(),
        address: format!("{}:{}", target.endpoint.host, target.endpoint.port),
        security: target.endpoint.security,
        greeting: None,
        tls: None,
        capabilities_pre_auth: Vec::new(),
        capabilities_post_auth: Vec::new(),
        login: None,
        namespace_prefix: None,
        delimiter: None,
        findings: Vec::new(),
        harness_error: None,
        transcript: Transcript::default(),
    };
    let mut session =
        match Connection::open(&target.endpoint, timeouts, FrameLimits::default()).await {
            Ok(conn) => Session::new(conn, "P"),
            Err(e) => {
                report.harness_error = Some(e.to_string());
                return report;
            }
        };
    let _ = Prober {
        report: &mut report,
        session: &mut session,
        target,
    }
    .steps(method)
    .await;
    report.tls = session.connection().tls_info().cloned();
    report.transcript = session.transcript().clone();
    report
}

struct Prober<'a> {
    report: &'a mut ProbeReport,
    session: &'a mut Session,
    target: &'a Target,
}

impl Prober<'_> {
    async fn steps(&mut self, method: AuthMethod) -> Result<(), Stop> {
        // Capabilities are always asked for explicitly: a greeting's or LOGIN's CAPABILITY
        // code may be a short list (Cyrus sends a short one in its greeting).
        self.greeting().await?;
        self.report.capabilities_pre_auth = self.capabilities().await?;
        if self.target.endpoint.security == Security::StartTls {
            self.starttls().await?;
            self.report.capabilities_pre_auth = self.capabilities().await?;
        }
        self.login(method).await?;
        self.report.capabilities_post_auth = self.capabilities().await?;
        self.namespace().await?;
        self.logout().await
    }

    fn finding(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.report.findings.push(Finding {
            summary: summary.into(),
            detail: detail.into(),
        });
    }

    /// A transport failure: for a server, a silent or closed connection is a finding.
    fn stop(&mut self, during: &str, err: SessionError) -> Stop {
        match err {
            SessionError::Transport(
                TransportError::Timeout { .. } | TransportError::Closed { .. },
            ) => {
                self.finding(
                    format!("server stopped answering during {during}"),
                    err.to_string(),
                );
            }
            SessionError::Transport(TransportError::Handshake { .. }) => {
                self.finding(
                    format!("TLS handshake failed during {during}"),
                    err.to_string(),
                );
            }
            other => self.report.harness_error = Some(other.to_string()),
        }
        Stop
    }

    /// Read and check the greeting.
    async fn greeting(&mut self) -> Result<(), Stop> {
        let frame = match self.session.read_greeting().await {
            Ok(Incoming::Frame(f)) => f,
            Ok(Incoming::Dropped(e)) => {
                self.finding("oversize greeting", e.to_string());
                return Err(Stop);
            }
            Err(e) => return Err(self.stop("the greeting", e.into())),
        };
        self.report.greeting = Some(text_of(&frame));
        let greeting = match parse_greeting(&frame) {
            Ok(g) => g,
            Err(e) => {
                self.finding(
                    "malformed greeting (RFC 3501 §7.1, greeting rule)",
                    e.to_string(),
                );
                return Err(Stop);
            }
        };
        match greeting.kind {
            GreetingKind::Bye => {
                self.finding("server refused the connection with BYE", text_of(&frame));
                Err(Stop)
            }
            _ => Ok(()),
        }
    }

    /// Send a command and check its reply's syntax; a missing completion stops the probe.
    async fn exchange(&mut self, body: CommandBody) -> Result<Reply, Stop> {
        let what = describe(&body);
        let reply = match self.session.run(body).await {
            Ok(r) => r,
            Err(e) => return Err(self.stop(&what, e)),
        };
        for (frame, err) in reply.parse_errors() {
            let detail = format!("{err}\nresponse: {}", escape_bytes(&frame.0));
            self.finding(format!("malformed response to {what}"), detail);
        }
        for dropped in &reply.dropped {
            self.finding(format!("oversize response to {what}"), dropped.to_string());
        }
        if reply.done.is_none() {
            self.finding(
                format!("{what} got no tagged completion"),
                "the server refused a literal or closed",
            );
            return Err(Stop);
        }
        Ok(reply)
    }

    /// CAPABILITY (RFC 3501 §6.1.1).
    async fn capabilities(&mut self) -> Result<Vec<String>, Stop> {
        let reply = self.exchange(CommandBody::Capability).await?;
        let caps = reply.frames.iter().filter_map(|f| match f.parse() {
            Ok(Response::Data(Data::Capability(c))) => {
                Some(c.iter().map(|b| lossy(b.as_bytes())).collect())
            }
            _ => None,
        });
        let caps: Vec<Vec<String>> = caps.collect();
        if caps.is_empty() {
            self.finding(
                "CAPABILITY without an untagged CAPABILITY response (RFC 3501 §6.1.1)",
                "",
            );
        }
        self.expect_ok(&reply, "CAPABILITY");
        Ok(caps.into_iter().flatten().collect())
    }

    fn expect_ok(&mut self, reply: &Reply, what: &str) -> bool {
        match reply.tagged() {
            Some(t) if t.status.kind == StatusKind::Ok => true,
            Some(t) => {
                let detail = text_of(reply.done.as_ref().map_or(&[][..], |d| &d.0));
                self.finding(format!("{what} refused with {:?}", t.status.kind), detail);
                false
            }
            None => false,
        }
    }

    async fn starttls(&mut self) -> Result<(), Stop> {
        if !has(&self.report.capabilities_pre_auth, "STARTTLS") {
            self.finding(
                "STARTTLS requested but not advertised",
                "never falling back to plaintext",
            );
            return Err(Stop);
        }
        let reply = self.exchange(CommandBody::StartTls).await?;
        if !self.expect_ok(&reply, "STARTTLS") {
            return Err(Stop);
        }
        match self.session.upgrade_tls(&self.target.endpoint).await {
            Ok(injected) if injected.is_empty() => Ok(()),
            Ok(injected) => {
                let detail = format!(
                    "discarded {} plaintext bytes: {}",
                    injected.len(),
                    escape_bytes(&injected)
                );
                self.finding(
                    "data sent after STARTTLS OK before the TLS handshake (CVE-2021-38542 class)",
                    detail,
                );
                Ok(())
            }
            Err(e) => Err(self.stop("the STARTTLS handshake", e.into())),
        }
    }

    async fn login(&mut self, method: AuthMethod) -> Result<(), Stop> {
        let caps = self.report.capabilities_pre_auth.clone();
        let chosen = choose(method, &caps);
        let reply = match login(
            self.session,
            &self.target.user,
            &self.target.password,
            method,
            &caps,
        )
        .await
        {
            Ok(r) => r,
            Err(super::login::LoginError::Session(e)) => return Err(self.stop("login", e)),
            Err(e) => {
                self.report.harness_error = Some(e.to_string());
                return Err(Stop);
            }
        };
        let Some(tagged) = reply.tagged() else {
            self.finding("login got no parseable tagged completion", "");
            return Err(Stop);
        };
        let status = format!("{:?}", tagged.status.kind).to_uppercase();
        // Servers echo arguments in their text; the report must not carry the password.
        let secret = self.target.password.expose().as_bytes();
        let text = lossy(&redact(tagged.status.text.text.as_bytes(), secret));
        let ok = tagged.status.kind == StatusKind::Ok;
        self.report.login = Some(LoginResult {
            method: chosen,
            status,
            text,
        });
        if !ok {
            self.finding("login refused", "check the user and password of the target");
            return Err(Stop);
        }
        Ok(())
    }

    /// NAMESPACE when advertised; the delimiter from `LIST "" ""` (RFC 3501 §6.3.8).
    async fn namespace(&mut self) -> Result<(), Stop> {
        if has(&self.report.capabilities_post_auth, "NAMESPACE") {
            let reply = self.exchange(CommandBody::Namespace).await?;
            self.expect_ok(&reply, "NAMESPACE");
            for f in &reply.frames {
                if let Ok(Response::Data(Data::Namespace(ns))) = f.parse() {
                    let first = ns.personal.as_ref().and_then(|p| p.first());
                    self.report.namespace_prefix = first.map(|d| lossy(d.prefix.as_bytes()));
                }
            }
        }
        let list = List {
            selection: Vec::new(),
            reference: Mailbox::new(Vec::new()).map_err(|_| Stop)?,
            pattern: ListMailbox::new(Vec::new()).map_err(|_| Stop)?,
            return_opts: Vec::new(),
        };
        let reply = self.exchange(CommandBody::List(list)).await?;
        self.expect_ok(&reply, "LIST");
        for f in &reply.frames {
            if let Ok(Response::Data(Data::List(l))) = f.parse() {
                self.report.delimiter =
                    Some(l.delimiter.map_or_else(|| "NIL".into(), |d| lossy(&[d])));
            }
        }
        if self.report.delimiter.is_none() {
            self.finding(
                "LIST \"\" \"\" returned no LIST response (RFC 3501 §6.3.8)",
                "",
            );
        }
        Ok(())
    }

    async fn logout(&mut self) -> Result<(), Stop> {
        let reply = self.exchange(CommandBody::Logout).await?;
        let bye = reply
            .frames
            .iter()
            .any(|f| matches!(f.parse(), Ok(Response::Data(Data::Bye(_)))));
        if !bye {
            self.finding("LOGOUT without an untagged BYE (RFC 3501 §6.1.3)", "");
        }
        self.expect_ok(&reply, "LOGOUT");
        Ok(())
    }
}

fn has(caps: &[String], cap: &str) -> bool {
    caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A frame as readable text: CRLF trimmed, other control and 8-bit bytes escaped.
fn text_of(frame: &[u8]) -> String {
    let line = frame.strip_suffix(b"\r\n").unwrap_or(frame);
    let quoted = escape_bytes(line);
    quoted[1..quoted.len() - 1]
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
}

#[cfg(test)]
#[path = "probe_tests.rs"]
mod tests;
