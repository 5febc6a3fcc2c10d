//! Target selection: a recipe name (`dovecot`), a URL (`imap://user@host:port`,
//! `imaps://…`, `imap://…?starttls`), or a name from a TOML config file.
//!
//! Passwords come from `IMAPGATE_PASSWORD`, a file named in the config, or a recipe's
//! manifest (throwaway test users only) — never from the command line — and are held in
//! [`Secret`], which never prints.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::recipe::{Recipe, RecipeError};
use super::tls::TlsSettings;
use super::transport::{Endpoint, Security};

/// A password. `Debug` and `Display` print `***`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The clear text, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A resolved target: where to connect and as whom.
#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub endpoint: Endpoint,
    pub user: String,
    pub password: Secret,
    /// Set when the target is one of the project's recipes.
    pub recipe: Option<Recipe>,
}

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("bad target URL {url:?}: {why}")]
    Url { url: String, why: &'static str },
    #[error(
        "unknown target {0:?}: not a URL (imap://user@host:port, imaps://…), not in the config file, \
         and no recipe targets/{0}/manifest.toml"
    )]
    Unknown(String),
    #[error("no password for {user}: set IMAPGATE_PASSWORD or `password_file` in the config")]
    NoPassword { user: String },
    #[error("no user for target {0}: put it in the URL (imap://user@host) or the config")]
    NoUser(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("bad config {path}: {source}")]
    Config {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error(transparent)]
    Recipe(#[from] RecipeError),
    #[error("target {name} has no {what} port")]
    NoPort { name: String, what: &'static str },
}

/// The config file: `[targets.NAME]` tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub targets: std::collections::BTreeMap<String, TargetConfig>,
}

/// One named target in the config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub url: String,
    pub password_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    /// Accept an unverified certificate for this target only.
    #[serde(default)]
    pub insecure_tls: bool,
}

impl Config {
    pub fn load(path: &Path) -> Result<Self, TargetError> {
        let text = std::fs::read_to_string(path).map_err(|source| TargetError::Read {
            path: path.into(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| TargetError::Config {
            path: path.into(),
            source: Box::new(source),
        })
    }
}

/// What the command line says about the target.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub target: String,
    /// Overrides the security of a recipe or config target.
    pub security: Option<Security>,
    pub ca_file: Option<PathBuf>,
    /// `IMAPGATE_PASSWORD`, read by the caller from the environment.
    pub password_env: Option<String>,
    pub user: Option<String>,
}

/// Resolve `sel` against the config and the recipes in `targets_dir`.
pub fn resolve(
    sel: &Selection,
    config: &Config,
    targets_dir: &Path,
) -> Result<Target, TargetError> {
    if sel.target.contains("://") {
        let url = parse_url(&sel.target)?;
        return from_url(sel, url, None, &sel.target);
    }
    if let Some(tc) = config.targets.get(&sel.target) {
        let url = parse_url(&tc.url)?;
        return from_url(sel, url, Some(tc), &sel.target);
    }
    let recipe = Recipe::load(targets_dir, &sel.target).map_err(|e| match e {
        RecipeError::Missing { .. } => TargetError::Unknown(sel.target.clone()),
        other => TargetError::Recipe(other),
    })?;
    from_recipe(sel, recipe)
}

/// A target for a recipe (or a test instance of one).
pub fn from_recipe(sel: &Selection, recipe: Recipe) -> Result<Target, TargetError> {
    let m = &recipe.manifest;
    let security = sel.security.unwrap_or(Security::Plain);
    let port = match security {
        Security::Tls => m.tls_port.ok_or_else(|| TargetError::NoPort {
            name: m.name.clone(),
            what: "implicit TLS",
        })?,
        Security::Plain | Security::StartTls => m.plain_port,
    };
    let tls = TlsSettings {
        ca_file: Some(sel.ca_file.clone().unwrap_or_else(|| recipe.cert_path())),
        insecure: false,
        server_name: Some("localhost".into()),
    };
    let user = sel
        .user
        .clone()
        .or_else(|| m.users.first().cloned())
        .ok_or_else(|| TargetError::NoUser(m.name.clone()))?;
    let password = Secret::new(
        sel.password_env
            .clone()
            .unwrap_or_else(|| m.password.clone()),
    );
    Ok(Target {
        name: m.name.clone(),
        endpoint: Endpoint {
            host: m.host.clone(),
            port,
            security,
            tls,
        },
        user,
        password,
        recipe: Some(recipe),
    })
}

fn from_url(
    sel: &Selection,
    url: Url,
    tc: Option<&TargetConfig>,
    name: &str,
) -> Result<Target, TargetError> {
    let password = match (&sel.password_env, tc.and_then(|t| t.password_file.as_ref())) {
        (Some(p), _) => Secret::new(p.clone()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|source| TargetError::Read {
                path: path.clone(),
                source,
            })?;
            Secret::new(text.trim_end_matches(['\r', '\n']))
        }
        (None, None) => Secret::new(String::new()),
    };
    let user = sel
        .user
        .clone()
        .or(url.user)
        .ok_or_else(|| TargetError::NoUser(name.into()))?;
    if password.expose().is_empty() {
        return Err(TargetError::NoPassword { user });
    }
    let tls = TlsSettings {
        ca_file: sel
            .ca_file
            .clone()
            .or_else(|| tc.and_then(|t| t.ca_file.clone())),
        insecure: tc.is_some_and(|t| t.insecure_tls),
        server_name: None,
    };
    let security = sel.security.unwrap_or(url.security);
    Ok(Target {
        name: name.into(),
        endpoint: Endpoint {
            host: url.host,
            port: url.port,
            security,
            tls,
        },
        user,
        password,
        recipe: None,
    })
}

/// A parsed `imap://` / `imaps://` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub user: Option<String>,
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// `imap[s]://[user@]host[:port][/][?starttls]`; IPv6 hosts in brackets. A password in the
/// URL is refused: it would end up in shell history and process lists.
pub fn parse_url(text: &str) -> Result<Url, TargetError> {
    let bad = |why| TargetError::Url {
        url: text.into(),
        why,
    };
    let (scheme, rest) = text.split_once("://").ok_or(bad("no scheme"))?;
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (security, default_port) = match (scheme, query) {
        ("imap", None) => (Security::Plain, 143),
        ("imap", Some("starttls")) => (Security::StartTls, 143),
        ("imaps", None) => (Security::Tls, 993),
        ("imap" | "imaps", Some(_)) => return Err(bad("the only query is ?starttls, on imap://")),
        _ => return Err(bad("scheme must be imap or imaps")),
    };
    let (user, hostport) = match rest.rsplit_once('@') {
        Some((u, _)) if u.contains(':') => {
            return Err(bad("no password in URLs: use IMAPGATE_PASSWORD"));
        }
        Some((u, h)) => (
            Some(percent_decode(u).ok_or(bad("bad %-escape in user"))?),
            h,
        ),
        None => (None, rest),
    };
    let (host, port) = split_host_port(hostport).ok_or(bad("bad host or port"))?;
    let port = port.unwrap_or(default_port);
    Ok(Url {
        user,
        host,
        port,
        security,
    })
}

fn split_host_port(s: &str) -> Option<(String, Option<u16>)> {
    if let Some(v6) = s.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.into(), port));
    }
    match s.split_once(':') {
        Some((h, p)) if !h.is_empty() => Some((h.into(), Some(p.parse().ok()?))),
        None if !s.is_empty() => Some((s.into(), None)),
        _ => None,
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
#[path = "target_tests.rs"]
mod tests;
