//! `imapgate coverage [PATHS…]`: which scenarios and detectors cover each row of the RFC 3501
//! requirement catalogs; totals by level and topic; the black-box rows nothing covers; the
//! overall figure. `--json` prints the same as one JSON object.

use std::path::{Path, PathBuf};

use comfy_table::{ContentArrangement, Table};

use super::Exit;
use crate::coverage::{Citations, Coverage, Row, Tally, compute, parse_catalog};
use crate::generate::scenario::load;
use crate::generate::scenario::suite::collect;
use crate::run::recipe::targets_dir;

/// The catalogs, by file stem, in the folder `--catalogs` names.
const CATALOGS: [&str; 2] = ["rfc3501-requirements", "rfc3501-requirements-implied"];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or folders, searched recursively (default: the project's scenarios/,
    /// RFC 3501 and the extensions).
    pub paths: Vec<PathBuf>,
    /// The folder holding rfc3501-requirements*.tsv (default: ../shared/rfc beside the
    /// repository, or $IMAPGATE_RFC_DIR).
    #[arg(long, env = "IMAPGATE_RFC_DIR")]
    pub catalogs: Option<PathBuf>,
    /// One JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Leave out the per-row table (totals and uncovered rows only).
    #[arg(long)]
    pub summary: bool,
}

pub fn run(args: Args) -> Exit {
    match run_inner(&args) {
        Ok(exit) => exit,
        Err(e) => {
            eprintln!("imapgate: {e}");
            Exit::Harness
        }
    }
}

type BoxError = Box<dyn std::error::Error>;

fn run_inner(args: &Args) -> Result<Exit, BoxError> {
    let rows = load_catalogs(&catalog_dir(args))?;
    let paths = match args.paths.is_empty() {
        true => vec![targets_dir().join("../scenarios")],
        false => args.paths.clone(),
    };
    let (scenarios, errors) = citations(&paths)?;
    for e in &errors {
        eprintln!("imapgate: {e}");
    }
    let coverage = compute(rows, &Citations::with_checker(scenarios));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&coverage)?);
    } else {
        print_text(&coverage, args.summary);
    }
    Ok(if errors.is_empty() && coverage.unknown.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn catalog_dir(args: &Args) -> PathBuf {
    args.catalogs
        .clone()
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/rfc")))
}

fn load_catalogs(dir: &Path) -> Result<Vec<Row>, BoxError> {
    let mut rows = Vec::new();
    for name in CATALOGS {
        let path = dir.join(format!("{name}.tsv"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        rows.extend(parse_catalog(name, &text)?);
    }
    // The project's own catalog of extension requirements (compiled in).
    rows.extend(parse_catalog(
        "extensions-requirements",
        crate::check::requirements::EXTENSIONS_CATALOG,
    )?);
    Ok(rows)
}

/// Scenario name → the requirement ids it cites.
type Cited = Vec<(String, Vec<String>)>;

/// Every scenario under `paths` (recursively) with the ids it cites; files that do not
/// parse are reported (the second list), not counted.
fn citations(paths: &[PathBuf]) -> Result<(Cited, Vec<String>), BoxError> {
    let mut files = Vec::new();
    for p in paths {
        walk(p, &mut files)?;
    }
    let mut cited = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load(&f) {
            Ok(s) => cited.push((display_name(&f), s.header.requirements)),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok((cited, errors))
}

fn walk(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), BoxError> {
    files.extend(collect(&[path.to_path_buf()])?);
    if !path.is_dir() {
        return Ok(());
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        walk(&d, files)?;
    }
    Ok(())
}

/// `6.1-any/capability.scn`: the file with its folder, as a report names it.
fn display_name(path: &Path) -> String {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    match (dir, file) {
        (Some(d), Some(f)) => format!("{d}/{f}"),
        (None, Some(f)) => f,
        _ => path.display().to_string(),
    }
}

fn print_text(c: &Coverage, summary: bool) {
    if !summary {
        let mut t = table(["id", "level", "topic", "black box", "covered by"]);
        for r in &c.rows {
            let mut by = r.scenarios.clone();
            if r.checker {
                by.insert(0, "checker".into());
            }
            let by = if by.is_empty() {
                "-".into()
            } else {
                by.join(", ")
            };
            t.add_row([&r.row.id, &r.row.level, &r.row.topic, &r.row.blackbox, &by]);
        }
        println!("{t}");
    }
    for cat in &c.catalogs {
        println!("\n{}: {} of all rows", cat.catalog, tally(cat.all));
        let mut t = table(["level", "covered"]);
        for (level, n) in &cat.by_level {
            t.add_row([level.clone(), tally(*n)]);
        }
        println!("{t}");
        let mut t = table(["topic", "covered"]);
        for (topic, n) in &cat.by_topic {
            t.add_row([topic.clone(), tally(*n)]);
        }
        println!("{t}");
    }
    println!("\nuncovered black-box rows:");
    for r in c.uncovered_black_box() {
        println!("  {:<18} {:<11} {}", r.row.id, r.row.level, r.row.summary);
    }
    for (scenario, id) in &c.unknown {
        println!("unknown requirement {id} cited by {scenario}");
    }
    println!();
    for cat in &c.catalogs {
        println!(
            "{}: black-box rows covered {}",
            cat.catalog,
            tally(cat.black_box)
        );
    }
    println!("overall: black-box rows covered {}", tally(c.black_box));
}

fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(header);
    t
}

fn tally(t: Tally) -> String {
    format!("{}/{} ({:.1}%)", t.covered, t.total, t.percent())
}
