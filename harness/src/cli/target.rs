//! `imapgate target list|install|start|stop NAME`.

use clap::Subcommand;
use comfy_table::Table;

use super::Exit;
use crate::run::recipe::{Recipe, targets_dir};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// List the recipes, their ports and whether they are running.
    List,
    /// Install a server (idempotent; Debian packages and the like).
    Install { name: String },
    /// Start a server with fresh, empty state; prints its pid.
    Start { name: String },
    /// Stop a server started by `start`.
    Stop { name: String },
}

pub fn run(args: Args) -> Exit {
    let dir = targets_dir();
    let result = match &args.action {
        Action::List => list(&dir),
        Action::Install { name } => Recipe::load(&dir, name)
            .and_then(|r| r.install())
            .map(|out| print!("{out}")),
        Action::Start { name } => Recipe::load(&dir, name)
            .and_then(|r| r.start())
            .map(|pid| println!("{pid}")),
        Action::Stop { name } => Recipe::load(&dir, name).and_then(|r| r.stop()),
    };
    match result {
        Ok(()) => Exit::Clean,
        Err(e) => {
            eprintln!("imapgate: {e}");
            Exit::Harness
        }
    }
}

fn list(dir: &std::path::Path) -> Result<(), crate::run::recipe::RecipeError> {
    let mut table = Table::new();
    table.set_header(["target", "server", "plain", "TLS", "STARTTLS", "running"]);
    for r in Recipe::all(dir)? {
        let m = &r.manifest;
        let running = r
            .running_pid()
            .map_or_else(|| "no".to_owned(), |pid| format!("pid {pid}"));
        let tls = m.tls_port.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let starttls = if m.starttls { "yes" } else { "no" };
        table.add_row([
            m.name.as_str(),
            &m.server,
            &m.plain_port.to_string(),
            &tls,
            starttls,
            &running,
        ]);
    }
    println!("{table}");
    Ok(())
}
