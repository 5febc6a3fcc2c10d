//! The arguments that name the target and say how to reach it, shared by every subcommand
//! that talks to a server (`probe`, `run`, `stress`).

use std::path::PathBuf;

use crate::run::recipe::{Recipe, targets_dir};
use crate::run::target::{Config, Selection, Target, from_recipe, resolve};
use crate::run::transport::Security;

type BoxError = Box<dyn std::error::Error>;

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
    /// Run a recipe as a private instance: ports shifted by this much, its own state dir
    /// (`/tmp/imapgate-targets/<name>+<offset>`), started if not running.
    #[arg(long)]
    pub port_offset: Option<u16>,
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

    /// Resolve the target (a private instance under `--port-offset`) and start a recipe that
    /// is not running.
    pub fn resolve_and_start(&self) -> Result<Target, BoxError> {
        let sel = self.selection();
        let target = match self.port_offset {
            Some(offset) => private_instance(&sel, offset)?,
            None => {
                let config = match &self.config {
                    Some(path) => Config::load(path)?,
                    None => Config::default(),
                };
                resolve(&sel, &config, &targets_dir())?
            }
        };
        start_recipe(&target)?;
        Ok(target)
    }
}

fn private_instance(sel: &Selection, offset: u16) -> Result<Target, BoxError> {
    let recipe = Recipe::load(&targets_dir(), &sel.target)?;
    let state = format!("/tmp/imapgate-targets/{}+{offset}", sel.target);
    Ok(from_recipe(sel, recipe.instance(state.into(), offset))?)
}

fn start_recipe(target: &Target) -> Result<(), BoxError> {
    if let Some(recipe) = target.recipe.as_ref().filter(|r| r.running_pid().is_none()) {
        let name = &recipe.manifest.name;
        eprintln!("imapgate: starting {name} (targets/{name}/start)…");
        let pid = recipe.start()?;
        eprintln!("imapgate: {name} running, pid {pid}");
    }
    Ok(())
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
