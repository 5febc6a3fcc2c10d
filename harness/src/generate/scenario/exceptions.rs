//! Accepted deviations: `scenarios/exceptions.toml`, a list of
//!
//! ```toml
//! [[exception]]
//! target = "goimap"        # glob over target names
//! scenario = "sort-*"      # glob over scenario names (file names)
//! reason = "no SORT; …"
//! ```
//!
//! A failing scenario matched by an exception for the target is reported as excepted, not
//! failed. An exception that matched no failure in a run is stale (its scenario passes now,
//! or no scenario of that name was run) and is reported, so the list does not rot.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub target: String,
    pub scenario: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exceptions {
    #[serde(default, rename = "exception")]
    pub entries: Vec<Exception>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExceptionsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("bad exceptions file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
}

impl Exceptions {
    pub fn load(path: &Path) -> Result<Self, ExceptionsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExceptionsError::Read {
            path: path.into(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ExceptionsError::Parse {
            path: path.into(),
            source: Box::new(source),
        })
    }

    /// The entries that apply to `target`.
    pub fn for_target(&self, target: &str) -> Vec<&Exception> {
        self.entries
            .iter()
            .filter(|e| glob(&e.target, target))
            .collect()
    }
}

/// The first exception (among `applicable`) covering `scenario`.
pub fn find<'a>(applicable: &[&'a Exception], scenario: &str) -> Option<&'a Exception> {
    applicable
        .iter()
        .copied()
        .find(|e| glob(&e.scenario, scenario))
}

/// Exceptions that covered none of `failed` (the names of failing scenarios).
pub fn stale<'a>(applicable: &[&'a Exception], failed: &[&str]) -> Vec<&'a Exception> {
    applicable
        .iter()
        .copied()
        .filter(|e| !failed.iter().any(|f| glob(&e.scenario, f)))
        .collect()
}

/// Shell-style glob: `*` any run, `?` one character; everything else literal.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                backtrack = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match backtrack {
                Some((bp, bt)) => {
                    pi = bp + 1;
                    ti = bt + 1;
                    backtrack = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("sort-*", "sort-size"));
        assert!(glob("*", ""));
        assert!(glob("th?ead*", "thread8"));
        assert!(!glob("sort-*", "esort"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("a*b*c", "axxbyy"));
    }

    #[test]
    fn per_target_matching_and_stale_entries() {
        let ex: Exceptions = toml::from_str(
            r#"
            [[exception]]
            target = "goimap"
            scenario = "sort-*"
            reason = "no SORT"
            [[exception]]
            target = "go*"
            scenario = "urlauth"
            reason = "x"
            [[exception]]
            target = "cyrus"
            scenario = "fetch"
            reason = "y"
            "#,
        )
        .unwrap();
        let app = ex.for_target("goimap");
        assert_eq!(app.len(), 2);
        assert_eq!(
            find(&app, "sort-size").map(|e| e.reason.as_str()),
            Some("no SORT")
        );
        assert!(find(&app, "fetch").is_none());
        let stale = stale(&app, &["sort-size"]);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].scenario, "urlauth");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let r: Result<Exceptions, _> =
            toml::from_str("[[exception]]\ntarget='a'\nscenario='b'\nreason='c'\nwhy='d'\n");
        assert!(r.is_err());
    }
}
