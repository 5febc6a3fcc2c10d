//! Opening a recorded session: connect, greeting, STARTTLS when asked, login. Every step is
//! an event; a failure is recorded as what it is (a server that refuses or hangs is a
//! `Disconnected`/`Timeout`, a bad configuration is a `HarnessError`) and ends the session.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::driver::{Driver, Ended};
use super::login::{AuthMethod, choose};
use super::recorder::Recorder;
use super::target::Secret;
use super::transport::{Connection, Endpoint, Security, Timeouts, TransportError};
use crate::history::{EventKind, SessionId};
use crate::wire::command::{AString, Atom, Base64, CommandBody, InitialResponse};
use crate::wire::frame::FrameLimits;

/// How sessions reach the server.
#[derive(Clone, Debug)]
pub enum Dial {
    Endpoint(Endpoint),
    /// A scripted in-memory server (runner unit tests).
    #[cfg(test)]
    Fake(super::fake::FakeServer),
}

/// What every session of a run needs to log in.
#[derive(Clone, Debug)]
pub struct Access {
    pub dial: Dial,
    pub password: Secret,
    pub auth: AuthMethod,
    pub timeouts: Timeouts,
    pub frame_limits: FrameLimits,
    /// Capabilities the target advertises after login (from discovery): they decide the
    /// login mechanism and whether literals may be non-synchronising.
    pub capabilities: Vec<String>,
    pub max_frames_per_command: usize,
}

impl Dial {
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match self {
            Dial::Endpoint(e) => Some(e),
            #[cfg(test)]
            Dial::Fake(_) => None,
        }
    }
}

impl Access {
    /// How to reach `target` over the network with the default frame limits, knowing the
    /// capabilities it advertises after login (from a probe).
    pub fn to_target(
        target: &super::target::Target,
        auth: AuthMethod,
        capabilities: Vec<String>,
        timeouts: Timeouts,
    ) -> Access {
        Access {
            dial: Dial::Endpoint(target.endpoint.clone()),
            password: target.password.clone(),
            auth,
            timeouts,
            frame_limits: FrameLimits::default(),
            capabilities,
            max_frames_per_command: super::session::MAX_FRAMES_PER_COMMAND,
        }
    }

    fn has(&self, cap: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cap))
    }
}

/// Connect and log in as `user`; the session is ready for commands.
pub async fn open(
    access: &Access,
    rec: &Arc<Recorder>,
    id: SessionId,
    user: &str,
) -> Result<Driver, Ended> {
    open_as(access, rec, id, user, false).await
}

/// [`open`] again for a session that logged in before with the same credentials: a
/// refused login is then the server's doing (a dying server's auth process), not a
/// configuration error, and ends the attempt as lost.
pub async fn reopen(
    access: &Access,
    rec: &Arc<Recorder>,
    id: SessionId,
    user: &str,
) -> Result<Driver, Ended> {
    open_as(access, rec, id, user, true).await
}

async fn open_as(
    access: &Access,
    rec: &Arc<Recorder>,
    id: SessionId,
    user: &str,
    again: bool,
) -> Result<Driver, Ended> {
    let conn = dial(access, rec, id).await?;
    let mut driver = Driver::new(conn, Arc::clone(rec), id, access.max_frames_per_command);
    driver.encode.literal_plus = access.has("LITERAL+");
    driver.encode.literal_minus = access.has("LITERAL-");
    driver.greeting().await?;
    if let Some(endpoint) = access.dial.endpoint()
        && endpoint.security == Security::StartTls
    {
        starttls(&mut driver, endpoint).await?;
    }
    login(&mut driver, access, rec, user, again).await?;
    Ok(driver)
}

/// Connect and read the greeting, nothing more (the liveness probe of fuzzing: NOOP is
/// valid before login, and a probe must not cost a login).
pub async fn open_unauthenticated(
    access: &Access,
    rec: &Arc<Recorder>,
    id: SessionId,
) -> Result<Driver, Ended> {
    let conn = dial(access, rec, id).await?;
    let mut driver = Driver::new(conn, Arc::clone(rec), id, access.max_frames_per_command);
    driver.greeting().await?;
    Ok(driver)
}

async fn dial(access: &Access, rec: &Recorder, id: SessionId) -> Result<Connection, Ended> {
    let (result, address, tls) = match &access.dial {
        Dial::Endpoint(endpoint) => (
            Connection::open(endpoint, access.timeouts, access.frame_limits).await,
            format!("{}:{}", endpoint.host, endpoint.port),
            endpoint.security == Security::Tls,
        ),
        #[cfg(test)]
        Dial::Fake(fake) => (
            Ok(fake.connect(id, access.timeouts, access.frame_limits)),
            "memory".to_owned(),
            false,
        ),
    };
    match result {
        Ok(conn) => {
            rec.record(id, EventKind::Connected { address, tls });
            Ok(conn)
        }
        Err(e) => Err(record_dial_error(rec, id, e)),
    }
}

/// A refused or silent server is the server's doing; a bad TLS setup is ours.
fn record_dial_error(rec: &Recorder, id: SessionId, err: TransportError) -> Ended {
    let (kind, ended) = match &err {
        TransportError::Connect { .. } | TransportError::Handshake { .. } => (
            EventKind::Disconnected {
                tag: None,
                reason: err.to_string(),
            },
            Ended::Lost,
        ),
        TransportError::ConnectTimeout { after, .. } | TransportError::Timeout { after, .. } => (
            EventKind::Timeout {
                tag: None,
                waiting_for: "the connection".into(),
                after_ms: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
            },
            Ended::Lost,
        ),
        _ => (
            EventKind::HarnessError {
                what: err.to_string(),
            },
            Ended::Harness,
        ),
    };
    rec.record(id, kind);
    ended
}

async fn starttls(driver: &mut Driver, endpoint: &Endpoint) -> Result<(), Ended> {
    let reply = driver.run(CommandBody::StartTls).await?;
    if !reply.is_ok() {
        driver.record(EventKind::HarnessError {
            what: "STARTTLS refused; never falling back to plaintext".into(),
        });
        return Err(Ended::Harness);
    }
    driver.upgrade_tls(endpoint).await
}

/// LOGIN, or AUTHENTICATE PLAIN (RFC 4616) when asked or when LOGIN is disabled. The
/// password and its SASL encoding are registered as secrets before anything is sent.
async fn login(
    driver: &mut Driver,
    access: &Access,
    rec: &Recorder,
    user: &str,
    again: bool,
) -> Result<(), Ended> {
    let password = access.password.expose();
    rec.add_secret(password.as_bytes());
    let reply = match choose(access.auth, &access.capabilities) {
        AuthMethod::Plain => {
            let blob = STANDARD.encode(format!("\0{user}\0{password}"));
            rec.add_secret(blob.as_bytes());
            if access.has("SASL-IR") {
                let body = plain_ir(&blob).map_err(|e| value_error(driver, &e))?;
                driver.run(body).await?
            } else {
                let rounds = vec![
                    b"AUTHENTICATE PLAIN\r\n".to_vec(),
                    format!("{blob}\r\n").into_bytes(),
                ];
                driver.run_rounds("AUTHENTICATE", rounds).await?
            }
        }
        _ => {
            let body = login_body(user, password).map_err(|e| value_error(driver, &e))?;
            driver.run(body).await?
        }
    };
    if reply.is_ok() {
        return Ok(());
    }
    if again {
        // The refusal is in the history (the tagged NO); the checker judges it.
        return Err(Ended::Lost);
    }
    driver.record(EventKind::HarnessError {
        what: format!("login as {user} refused: check the target's users and password"),
    });
    Err(Ended::Harness)
}

fn login_body(user: &str, password: &str) -> Result<CommandBody, String> {
    Ok(CommandBody::Login {
        username: AString::new(user.as_bytes().to_vec()).map_err(|e| e.to_string())?,
        password: AString::new(password.as_bytes().to_vec()).map_err(|e| e.to_string())?,
    })
}

fn plain_ir(blob: &str) -> Result<CommandBody, String> {
    let data = Base64::new(blob.to_owned()).map_err(|e| e.to_string())?;
    Ok(CommandBody::Authenticate {
        mechanism: Atom::new("PLAIN").map_err(|e| e.to_string())?,
        initial_response: Some(InitialResponse::data(data).map_err(|e| e.to_string())?),
    })
}

fn value_error(driver: &Driver, e: &str) -> Ended {
    driver.record(EventKind::HarnessError {
        what: format!("the user name or password cannot be sent: {e}"),
    });
    Ended::Harness
}
