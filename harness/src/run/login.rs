//! Authentication: LOGIN, or AUTHENTICATE PLAIN (with SASL-IR when advertised). The password
//! and its SASL encoding are registered as transcript secrets before anything is sent.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::session::{Reply, Session, SessionError};
use super::target::Secret;
use crate::wire::command::{
    AString, Atom, AuthenticateData, Base64, Command, CommandBody, InitialResponse, ValueError,
};

/// How to log in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// LOGIN, unless the server says LOGINDISABLED (then PLAIN).
    #[default]
    Auto,
    Login,
    Plain,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("the user name or password cannot be sent: {0}")]
    Value(#[from] ValueError),
}

/// Which mechanism `method` resolves to, given the capabilities.
pub fn choose(method: AuthMethod, caps: &[String]) -> AuthMethod {
    let has = |c: &str| caps.iter().any(|x| x.eq_ignore_ascii_case(c));
    match method {
        AuthMethod::Auto if has("LOGINDISABLED") && has("AUTH=PLAIN") => AuthMethod::Plain,
        AuthMethod::Auto => AuthMethod::Login,
        other => other,
    }
}

/// Log in; the reply says whether the server accepted.
pub async fn login(
    session: &mut Session,
    user: &str,
    password: &Secret,
    method: AuthMethod,
    caps: &[String],
) -> Result<Reply, LoginError> {
    session
        .transcript_mut()
        .add_secret(password.expose().as_bytes());
    match choose(method, caps) {
        AuthMethod::Plain => {
            let sasl_ir = caps.iter().any(|c| c.eq_ignore_ascii_case("SASL-IR"));
            plain(session, user, password, sasl_ir).await
        }
        _ => {
            let body = CommandBody::Login {
                username: AString::new(user.as_bytes().to_vec())?,
                password: AString::new(password.expose().as_bytes().to_vec())?,
            };
            Ok(session.run(body).await?)
        }
    }
}

/// AUTHENTICATE PLAIN (RFC 4616): `authzid NUL authcid NUL passwd`, base64.
async fn plain(
    session: &mut Session,
    user: &str,
    password: &Secret,
    sasl_ir: bool,
) -> Result<Reply, LoginError> {
    let blob = STANDARD.encode(format!("\0{user}\0{}", password.expose()));
    session.transcript_mut().add_secret(blob.as_bytes());
    let data = Base64::new(blob)?;
    let mechanism = Atom::new("PLAIN")?;
    if sasl_ir {
        let body = CommandBody::Authenticate {
            mechanism,
            initial_response: Some(InitialResponse::data(data)?),
        };
        return Ok(session.run(body).await?);
    }
    let tag = session.fresh_tag()?;
    let command = Command {
        tag: tag.clone(),
        body: CommandBody::Authenticate {
            mechanism,
            initial_response: None,
        },
    };
    session
        .send(&command.encode(&session.encode).to_bytes())
        .await
        .map_err(SessionError::from)?;
    let mut reply = Reply::default();
    if session
        .await_continuation(&tag, "AUTHENTICATE", &mut reply)
        .await?
    {
        let line = AuthenticateData::Data(data).encode();
        session.send(&line).await.map_err(SessionError::from)?;
        session.finish(&tag, "AUTHENTICATE", &mut reply).await?;
    }
    Ok(reply)
}
