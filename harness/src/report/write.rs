//! Writing the report folder: every file to a temporary name, then renamed into place.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Events, Report, ReportError, events, junit, render};

/// Write `path` through `fill`, then rename it into place: readers see the old file or the
/// whole new one, never half of it.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_owned(),
        source,
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written = (|| {
        let mut out = BufWriter::new(File::create(&tmp)?);
        fill(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(io)
}

pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), ReportError> {
    write_atomic(path, |out| {
        serde_json::to_writer_pretty(&mut *out, value)?;
        out.write_all(b"\n")
    })
}

pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, ReportError> {
    let text = std::fs::read(path).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&text).map_err(|source| ReportError::Json {
        path: path.to_owned(),
        source,
    })
}

pub fn all(report: &Report, dir: &Path, events: &Events<'_>) -> Result<(), ReportError> {
    let cases_dir = dir.join("cases");
    std::fs::create_dir_all(&cases_dir).map_err(|source| ReportError::Io {
        path: cases_dir.clone(),
        source,
    })?;
    remove_old_cases(&cases_dir, report);
    for case in &report.cases {
        write_json(&cases_dir.join(format!("{}.json", case.id)), case)?;
    }
    write_atomic(&dir.join("events.jsonl"), |out| events::write(out, events))?;
    let xml = junit::render(report)?;
    write_atomic(&dir.join("junit.xml"), |out| out.write_all(xml.as_bytes()))?;
    let pages = render::Pages::of(report)?;
    write_atomic(&dir.join("report.md"), |out| {
        out.write_all(pages.markdown.as_bytes())
    })?;
    write_atomic(&dir.join("report.html"), |out| {
        out.write_all(pages.html.as_bytes())
    })?;
    write_json(&dir.join("index.json"), &report.index)
}

/// Case files of an earlier report in the same folder would be mistaken for this run's.
fn remove_old_cases(cases_dir: &Path, report: &Report) {
    let Ok(entries) = std::fs::read_dir(cases_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        if !report.cases.iter().any(|c| c.id == id) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
