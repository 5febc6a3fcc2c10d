//! Recipes: the project's real servers in `targets/<name>/` (install, start, stop scripts and
//! a `manifest.toml`). The harness reads the manifest and runs the scripts; it never
//! hard-codes a server.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// `targets/<name>/manifest.toml`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub name: String,
    pub server: String,
    pub host: String,
    pub plain_port: u16,
    pub tls_port: Option<u16>,
    pub starttls: bool,
    pub state_dir: PathBuf,
    pub cert: PathBuf,
    pub users: Vec<String>,
    /// The throwaway test users' password, created by the recipe.
    pub password: String,
    pub namespace_prefix: String,
    pub delimiter: String,
    pub greeting: String,
    pub capabilities_pre_auth: Vec<String>,
    pub capabilities_post_auth: Vec<String>,
    pub push_latency_ms: Option<u64>,
    #[serde(default)]
    pub quirks: Vec<String>,
}

/// A recipe folder and its manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipe {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Knobs for the scripts (documented at the top of each `start`), e.g.
    /// `DOVECOT_LITERAL_MINUS=yes`; the caller's environment is passed on as well.
    pub env: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    #[error("no recipe {dir}/manifest.toml")]
    Missing { dir: PathBuf },
    #[error("bad manifest {path}: {source}")]
    Manifest {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot run {script}: {source}")]
    Spawn {
        script: PathBuf,
        source: std::io::Error,
    },
    #[error("{script} failed ({status}):\n{stderr}")]
    Failed {
        script: PathBuf,
        status: std::process::ExitStatus,
        stderr: String,
    },
}

impl Recipe {
    pub fn load(targets_dir: &Path, name: &str) -> Result<Self, RecipeError> {
        let dir = targets_dir.join(name);
        let path = dir.join("manifest.toml");
        if !path.is_file() || name.contains(['/', '.']) {
            return Err(RecipeError::Missing { dir });
        }
        let text = std::fs::read_to_string(&path).map_err(|source| RecipeError::Read {
            path: path.clone(),
            source,
        })?;
        let manifest = toml::from_str(&text).map_err(|source| RecipeError::Manifest {
            path,
            source: Box::new(source),
        })?;
        Ok(Recipe {
            dir,
            manifest,
            env: Vec::new(),
        })
    }

    /// Every recipe under `targets_dir`, sorted by name (the list is never hand-maintained).
    pub fn all(targets_dir: &Path) -> Result<Vec<Recipe>, RecipeError> {
        let entries = std::fs::read_dir(targets_dir).map_err(|source| RecipeError::Read {
            path: targets_dir.into(),
            source,
        })?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("manifest.toml").is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names.iter().map(|n| Recipe::load(targets_dir, n)).collect()
    }

    /// The same server as a separate instance: its own state dir and ports, so tests never
    /// collide with an instance a developer is running.
    pub fn instance(&self, state_dir: PathBuf, port_offset: u16) -> Recipe {
        let mut manifest = self.manifest.clone();
        manifest.state_dir = state_dir;
        manifest.plain_port += port_offset;
        manifest.tls_port = manifest.tls_port.map(|p| p + port_offset);
        Recipe {
            dir: self.dir.clone(),
            manifest,
            env: self.env.clone(),
        }
    }

    /// The same recipe with a knob set for its scripts.
    pub fn with_env(mut self, name: &str, value: &str) -> Recipe {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn cert_path(&self) -> PathBuf {
        self.manifest.state_dir.join(&self.manifest.cert)
    }

    /// Run `install` (idempotent).
    pub fn install(&self) -> Result<String, RecipeError> {
        self.run("install", &[])
    }

    /// Run `start` with the manifest's state dir; returns the pid it prints.
    pub fn start(&self) -> Result<String, RecipeError> {
        let state = self.manifest.state_dir.to_string_lossy().into_owned();
        Ok(self.run("start", &[&state])?.trim().to_owned())
    }

    pub fn stop(&self) -> Result<(), RecipeError> {
        let state = self.manifest.state_dir.to_string_lossy().into_owned();
        self.run("stop", &[&state]).map(drop)
    }

    /// The pid recorded by `start`, if the server is running.
    pub fn running_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.manifest.state_dir.join("pid")).ok()?;
        let pid: u32 = text.trim().parse().ok()?;
        Path::new(&format!("/proc/{pid}")).exists().then_some(pid)
    }

    fn run(&self, script: &str, args: &[&str]) -> Result<String, RecipeError> {
        let script = self.dir.join(script);
        let mut command = Command::new(&script);
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        // The scripts read their ports from the environment; the manifest is the truth.
        command.env("IMAP_PORT", self.manifest.plain_port.to_string());
        match self.manifest.tls_port {
            Some(port) => command.env("IMAPS_PORT", port.to_string()),
            None => command.env_remove("IMAPS_PORT"),
        };
        let out = command
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|source| RecipeError::Spawn {
                script: script.clone(),
                source,
            })?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            return Err(RecipeError::Failed {
                script,
                status: out.status,
                stderr,
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Where the recipes are: `$IMAPGATE_TARGETS`, else `targets/` in the current directory or
/// one of its parents, else the one beside this crate's sources.
pub fn targets_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("IMAPGATE_TARGETS") {
        return PathBuf::from(dir);
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            let candidate = dir.join("targets");
            if candidate.join("dovecot").is_dir() {
                return candidate;
            }
        }
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../targets"))
}
