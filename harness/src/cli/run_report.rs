//! `imapgate run`'s report: one case per scenario file, the run's metadata, and `--shard`.

use std::collections::HashSet;
use std::path::PathBuf;

use super::interrupt::Signal;
use crate::generate::scenario::{Outcome, Scenario};
use crate::history::History;
use crate::report::catalog::Catalog;
use crate::report::transcript::greeting;
use crate::report::{
    Case, Index, Report, RunKind, Server, Shard, Totals, case_id, clock, scenarios,
};

/// `--shard i/n`: the i-th of n parts (from 1).
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || format!("bad shard {text:?}: use i/n with 1 <= i <= n, e.g. 2/4");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (index, count): (u32, u32) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if index == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// This shard's files: round robin over the sorted list, so shards differ by one at most.
pub fn select_shard(files: Vec<PathBuf>, shard: Option<Shard>) -> Vec<PathBuf> {
    let Some(s) = shard else { return files };
    files
        .into_iter()
        .enumerate()
        .filter(|(k, _)| *k as u32 % s.count == s.index - 1)
        .map(|(_, f)| f)
        .collect()
}

/// What the run was, beside its outcomes.
pub struct RunFacts {
    pub target: String,
    pub sources: Vec<String>,
    pub shard: Option<Shard>,
    pub started: String,
    pub signal: Option<Signal>,
}

/// The report, and each case's history for `events.jsonl`. `outcomes[k]` is `None` when
/// scenario `k` never ran (interrupted, or lost).
pub fn build<'a>(
    facts: RunFacts,
    unloadable: &[(PathBuf, String)],
    scenarios: &[Scenario],
    outcomes: &'a [Option<Outcome>],
    exception: impl Fn(&str) -> Option<String>,
) -> (Report, Vec<(String, &'a History)>) {
    let catalog = Catalog::load();
    let mut taken = HashSet::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut histories = Vec::new();
    let mut not_run = Vec::new();
    for (file, error) in unloadable {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let id = case_id(&name.unwrap_or_default(), &mut taken);
        cases.push(scenarios::unloadable(id, file, error, &facts.target));
    }
    for (scenario, outcome) in scenarios.iter().zip(outcomes) {
        let id = case_id(&scenario.name, &mut taken);
        let Some(o) = outcome else {
            not_run.push(id);
            continue;
        };
        let reason = exception(&o.name);
        cases.push(scenarios::case(
            id.clone(),
            scenario,
            o,
            reason.as_deref(),
            &facts.target,
            &catalog,
        ));
        histories.push((id, &o.history));
    }
    let first = outcomes.iter().flatten().map(|o| &o.history);
    let server = Server {
        greeting: first.clone().find_map(greeting),
        capabilities: first
            .map(|h| h.meta.capabilities.clone())
            .find(|c| !c.is_empty())
            .unwrap_or_default(),
    };
    let index = Index {
        format: 0,
        kind: RunKind::Run,
        target: facts.target,
        server,
        imapgate_version: env!("CARGO_PKG_VERSION").into(),
        seed: None,
        started: facts.started,
        ended: clock::now_rfc3339(),
        incomplete: facts.signal.is_some() || !not_run.is_empty(),
        interrupted_by: facts.signal.map(|s| s.name().to_owned()),
        shard: facts.shard,
        sources: facts.sources,
        totals: Totals::default(),
        cases: Vec::new(),
        not_run,
    };
    (Report::new(index, cases), histories)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_round_robin_and_cover_everything() {
        let files: Vec<PathBuf> = (0..7).map(|k| PathBuf::from(k.to_string())).collect();
        let mut all = Vec::new();
        for i in 1..=3 {
            let part = select_shard(files.clone(), Some(Shard { index: i, count: 3 }));
            assert!((2..=3).contains(&part.len()));
            all.extend(part);
        }
        all.sort();
        assert_eq!(all, files);
        assert_eq!(parse_shard("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(
            parse_shard("0/4").is_err() && parse_shard("5/4").is_err() && parse_shard("x").is_err()
        );
    }
}
