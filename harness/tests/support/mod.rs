//! Real servers for integration tests, started from the project's recipes by the tests
//! themselves. Under `CI=true` a server that cannot start fails the test; elsewhere the test
//! is skipped with a message (a developer machine may lack the packages).

#![allow(dead_code)]

use std::path::PathBuf;

use imapgate::run::recipe::{Recipe, targets_dir};

/// A running test instance of a recipe; stopped when dropped.
pub struct Server {
    pub recipe: Recipe,
}

impl Drop for Server {
    fn drop(&mut self) {
        match self.recipe.stop() {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(&self.recipe.manifest.state_dir);
            }
            Err(e) => eprintln!("stopping {}: {e}", self.recipe.manifest.name),
        }
    }
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Start `name` as a private instance (own state dir, ports shifted by `port_offset`).
/// `None` means "skip": only outside CI.
pub fn start(name: &str, port_offset: u16) -> Option<Server> {
    start_with(name, port_offset, &[])
}

/// [`start`] with knobs for the recipe's scripts (`DOVECOT_LITERAL_MINUS=yes`, …).
pub fn start_with(name: &str, port_offset: u16, env: &[(&str, &str)]) -> Option<Server> {
    let mut recipe =
        Recipe::load(&targets_dir(), name).unwrap_or_else(|e| panic!("recipe {name}: {e}"));
    for (k, v) in env {
        recipe = recipe.with_env(k, v);
    }
    // One state dir per (server, ports): `start` first stops whatever a killed earlier test
    // run left running there, so a stale instance never blocks the ports.
    let state = PathBuf::from(format!("/tmp/imapgate-test/{name}-{port_offset}"));
    let recipe = recipe.instance(state, port_offset);
    match recipe.start() {
        Ok(_pid) => Some(Server { recipe }),
        Err(e) if in_ci() => panic!("{name} could not start under CI=true: {e}"),
        Err(e) => {
            eprintln!(
                "skipping: {name} could not start (not installed? run targets/{name}/install): {e}"
            );
            None
        }
    }
}

/// Reads a running `imapgate`'s progress lines until commands complete (the run is past its
/// set-up), then keeps draining stderr on a thread so the child never blocks; the thread
/// returns all of stderr.
pub fn wait_for_progress(stderr: std::process::ChildStderr) -> std::thread::JoinHandle<String> {
    use std::io::{BufRead, BufReader};
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with('[') && !line.contains(" 0 commands") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let _ = rx.recv_timeout(std::time::Duration::from_secs(30));
    reader
}

/// How a scenario run reaches a recipe instance, every timeout `secs`.
pub fn scenario_target(recipe: &Recipe, secs: u64) -> imapgate::generate::scenario::RunTarget {
    use imapgate::run::target::{Selection, from_recipe};
    let target = from_recipe(&Selection::default(), recipe.clone()).expect("target");
    let m = &recipe.manifest;
    let secs = std::time::Duration::from_secs(secs);
    imapgate::generate::scenario::RunTarget {
        name: m.name.clone(),
        endpoint: target.endpoint,
        timeouts: imapgate::run::transport::Timeouts {
            connect: secs,
            greeting: secs,
            response: secs,
        },
        users: m.users.clone(),
        password: target.password,
        namespace_prefix: m.namespace_prefix.clone(),
    }
}

/// Run `scenarios` against a recipe instance, one at a time (Dovecot 2.3 answers CREATE of a
/// new name with NO [ALREADYEXISTS] now and then while other sessions of the same user create
/// and delete; see reports/scenarios), every timeout `secs`.
pub async fn run_serially(
    recipe: &Recipe,
    scenarios: Vec<imapgate::generate::scenario::Scenario>,
    secs: u64,
    label: &str,
) -> Vec<imapgate::generate::scenario::Outcome> {
    let target = scenario_target(recipe, secs);
    imapgate::generate::scenario::suite::run_all(scenarios, target, 1, label, |_| {}).await
}

/// The scenario passed and the checker found nothing in its history.
pub fn assert_clean_pass(o: &imapgate::generate::scenario::Outcome) {
    use imapgate::generate::scenario::Verdict;
    assert_eq!(o.verdict, Verdict::Pass, "{}: {}", o.name, describe(o));
    assert!(
        o.findings.violations.is_empty(),
        "{}: {:?}",
        o.name,
        o.findings
    );
}

/// A scenario outcome's reason, for assertion messages.
pub fn describe(o: &imapgate::generate::scenario::Outcome) -> String {
    use imapgate::generate::scenario::Verdict;
    match &o.verdict {
        Verdict::Fail(f) | Verdict::NonStrict(f) => f.to_string(),
        Verdict::Unimplemented { reason }
        | Verdict::HarnessError { reason }
        | Verdict::Unknown { reason } => reason.clone(),
        Verdict::Pass => String::new(),
    }
}

/// The private instance `imapgate … --port-offset N` itself starts (the CLI's state dir
/// `/tmp/imapgate-targets/<name>+<N>`), installed here and stopped when dropped. `None`
/// means "skip": only outside CI, when the server cannot be installed.
pub struct CliInstance(Recipe);

impl Drop for CliInstance {
    fn drop(&mut self) {
        let _ = self.0.stop();
    }
}

pub fn cli_instance(name: &str, port_offset: u16) -> Option<CliInstance> {
    let recipe =
        Recipe::load(&targets_dir(), name).unwrap_or_else(|e| panic!("recipe {name}: {e}"));
    let state = PathBuf::from(format!("/tmp/imapgate-targets/{name}+{port_offset}"));
    let instance = CliInstance(recipe.instance(state, port_offset));
    if instance.0.install().is_err() && !in_ci() {
        eprintln!("skipping: {name} not installable here");
        return None;
    }
    Some(instance)
}
