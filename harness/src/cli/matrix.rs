//! `imapgate matrix [PATHS…] [--out FILE]`: the compliance matrix from stored runs (every
//! `index.json` under PATHS), servers × requirement groups, as Markdown.

use std::path::PathBuf;

use super::Exit;
use crate::report::catalog::Catalog;
use crate::report::matrix::{find_runs, render};
use crate::report::write_atomic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders holding stored runs (`reports/runs`).
    #[arg(default_value = "reports/runs")]
    pub paths: Vec<PathBuf>,
    #[arg(long, default_value = "reports/matrix.md")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Exit {
    let runs = match find_runs(&args.paths) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("imapgate: {e}");
            return Exit::Harness;
        }
    };
    if runs.is_empty() {
        eprintln!("imapgate: no index.json under the given paths");
        return Exit::Harness;
    }
    let out_dir = args.out.parent().map(PathBuf::from).unwrap_or_default();
    let md = render(&runs, &out_dir, &Catalog::load());
    match write_atomic(&args.out, |w| std::io::Write::write_all(w, md.as_bytes())) {
        Ok(()) => {
            println!("matrix: {} runs -> {}", runs.len(), args.out.display());
            Exit::Clean
        }
        Err(e) => {
            eprintln!("imapgate: {e}");
            Exit::Harness
        }
    }
}
