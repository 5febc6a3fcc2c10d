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
    let recipe =
        Recipe::load(&targets_dir(), name).unwrap_or_else(|e| panic!("recipe {name}: {e}"));
    let state = PathBuf::from(format!(
        "/tmp/imapgate-test/{name}-{}-{port_offset}",
        std::process::id()
    ));
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
