//! The arguments that name the target and say how to reach it, shared by every subcommand
//! that talks to a server (`probe`, `run`, `stress`).

use std::path::PathBuf;

use crate::run::target::Selection;
use crate::run::transport::Security;

#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// A recipe name (dovecot, cyrus, …; started if not running), a config name, or a URL:
    /// imap://user@host:port, imaps://user@host:port, imap://user@host:port?starttls.
    /// The password comes from IMAPGATE_PASSWORD or the config, never the command line.
    #[arg(long)]
    pub target: String,
    /// How to connect (overrides a recipe's or config's default).
    #[arg(long, value_enum)]
    pub security: Option<SecurityArg>,
    /// Trust anchors (PEM) for the server's certificate instead of the system roots.
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// TOML file with [targets.NAME] tables (url, password_file, ca_file, insecure_tls).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// User name (overrides the URL's or recipe's).
    #[arg(long)]
    pub user: Option<String>,
}

impl TargetArgs {
    /// What the command line and the environment say about the target.
    pub fn selection(&self) -> Selection {
        Selection {
            target: self.target.clone(),
            security: self.security.map(Security::from),
            ca_file: self.ca_file.clone(),
            password_env: std::env::var("IMAPGATE_PASSWORD").ok(),
            user: self.user.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SecurityArg {
    Plain,
    Tls,
    Starttls,
}

impl From<SecurityArg> for Security {
    fn from(s: SecurityArg) -> Self {
        match s {
            SecurityArg::Plain => Security::Plain,
            SecurityArg::Tls => Security::Tls,
            SecurityArg::Starttls => Security::StartTls,
        }
    }
}
