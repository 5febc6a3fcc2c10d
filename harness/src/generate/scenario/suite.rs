//! Running many scenarios: collect the files, then run them in parallel — each on mailboxes
//! of its own — except those that name INBOX, which share it and run one at a time after.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::exec::{Outcome, RunTarget, mailbox_name, run_scenario};
use super::model::Scenario;

/// Scenario files under `paths`: a file is itself; a folder gives every regular file in it
/// (sorted) except `.mbox` fixtures, hidden files, `.toml` and `.md`. A folder without such
/// files of its own is searched in its subfolders instead (so `scenarios/` finds the suite in
/// `scenarios/rfc3501/<section>/`), while a folder of scripts is not descended into (as
/// imaptest does: its `broken/` subfolder is not part of its suite).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
        } else {
            collect_dir(path, 0, &mut files)?;
        }
    }
    Ok(files)
}

/// How deep a folder of folders is searched.
const MAX_DEPTH: usize = 8;

fn collect_dir(dir: &Path, depth: usize, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    let here: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_file() && is_scenario_file(p))
        .cloned()
        .collect();
    if !here.is_empty() || depth >= MAX_DEPTH {
        files.extend(here);
        return Ok(());
    }
    for sub in paths.iter().filter(|p| p.is_dir() && !is_hidden(p)) {
        collect_dir(sub, depth + 1, files)?;
    }
    Ok(())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn is_scenario_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !name.starts_with('.')
        && !name.ends_with(".mbox")
        && !name.ends_with(".toml")
        && !name.ends_with(".md")
}

/// imaptest's scripted suite (`../shared/peers/imaptest-tests`, never copied into the
/// repository), or `$IMAPTEST_SUITE`.
pub fn peer_suite() -> PathBuf {
    match std::env::var_os("IMAPTEST_SUITE") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/peers/imaptest-tests"
        )),
    }
}

/// Whether the scenario names INBOX in a command: then it shares that mailbox with every
/// other scenario of the same user and must not run beside them.
pub fn shares_mailboxes(s: &Scenario) -> bool {
    s.groups
        .iter()
        .flat_map(|g| &g.commands)
        .any(|c| contains_ignore_case(&c.text, b"inbox"))
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A short id that makes this run's mailbox names unique.
pub fn run_id() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "{:x}",
        (secs ^ u64::from(std::process::id()) << 20) & 0xff_ffff
    )
}

/// Run every scenario; `report` is called as each finishes (in completion order). The
/// outcomes come back in the order of `scenarios`.
pub async fn run_all(
    scenarios: Vec<Scenario>,
    target: RunTarget,
    jobs: usize,
    run_id: &str,
    report: impl FnMut(&Outcome),
) -> Vec<Outcome> {
    let never = Arc::new(AtomicBool::new(false));
    run_all_until(scenarios, target, jobs, run_id, never, report)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// [`run_all`] that starts no scenario once `stop` is set (scenarios in flight finish and
/// clean up). `outcomes[k]` is `None` when scenario `k` did not run.
pub async fn run_all_until(
    scenarios: Vec<Scenario>,
    target: RunTarget,
    jobs: usize,
    run_id: &str,
    stop: Arc<AtomicBool>,
    mut report: impl FnMut(&Outcome),
) -> Vec<Option<Outcome>> {
    let target = Arc::new(target);
    let limit = Arc::new(Semaphore::new(jobs.max(1)));
    let mut outcomes: Vec<Option<Outcome>> = vec![None; scenarios.len()];
    let (shared, own): (Vec<_>, Vec<_>) = scenarios
        .into_iter()
        .enumerate()
        .partition(|(_, s)| shares_mailboxes(s));
    let mut set = JoinSet::new();
    for (i, s) in own {
        let mailbox = mailbox_name(&target.namespace_prefix, run_id, i, &s.name);
        let (target, limit, stop) = (Arc::clone(&target), Arc::clone(&limit), Arc::clone(&stop));
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            if stop.load(Ordering::SeqCst) {
                return (i, None);
            }
            (i, Some(run_scenario(&s, &target, mailbox).await))
        });
    }
    while let Some(joined) = set.join_next().await {
        if let Ok((i, Some(outcome))) = joined {
            report(&outcome);
            outcomes[i] = Some(outcome);
        }
    }
    for (i, s) in shared {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let mailbox = mailbox_name(&target.namespace_prefix, run_id, i, &s.name);
        let outcome = run_scenario(&s, &target, mailbox).await;
        report(&outcome);
        outcomes[i] = Some(outcome);
    }
    outcomes
}
