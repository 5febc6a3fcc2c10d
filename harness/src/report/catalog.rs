//! The RFC 3501 requirement catalog (`shared/rfc/rfc3501-requirements*.tsv`) and the section
//! titles of `shared/rfc/rfc3501.txt`, read at run time: reports name what a requirement
//! says and which section it belongs to. Without the files, reports show bare ids.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::model::RequirementRef;

const CATALOGS: [&str; 2] = [
    "rfc/rfc3501-requirements.tsv",
    "rfc/rfc3501-requirements-implied.tsv",
];

/// The project's `shared/` folder: `$IMAPGATE_SHARED`, else `../shared` beside the checkout.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("IMAPGATE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")),
    }
}

#[derive(Clone, Debug, Default)]
pub struct Catalog {
    rows: HashMap<String, RequirementRef>,
    titles: HashMap<String, String>,
}

impl Catalog {
    /// The catalog under `shared_dir()`, or an empty one when it is not there.
    pub fn load() -> Catalog {
        Catalog::from_dir(&shared_dir())
    }

    pub fn from_dir(shared: &Path) -> Catalog {
        let mut catalog = Catalog::default();
        for file in CATALOGS {
            if let Ok(text) = std::fs::read_to_string(shared.join(file)) {
                catalog.add_tsv(&text);
            }
        }
        // The project's own extension catalog is compiled in.
        catalog.add_tsv(crate::check::requirements::EXTENSIONS_CATALOG);
        if let Ok(text) = std::fs::read_to_string(shared.join("rfc/rfc3501.txt")) {
            catalog.titles = section_titles(&text);
        }
        catalog
    }

    fn add_tsv(&mut self, text: &str) {
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [id, section, level, topic, summary, ..] = cols[..] {
                let row = RequirementRef {
                    id: id.to_owned(),
                    section: section.to_owned(),
                    section_title: None,
                    level: Some(level.to_owned()),
                    topic: Some(topic.to_owned()),
                    summary: Some(summary.to_owned()),
                };
                self.rows.insert(id.to_owned(), row);
            }
        }
    }

    /// What the catalog says about `id` (just the id and its section when it is not there).
    pub fn reference(&self, id: &str) -> RequirementRef {
        let mut r = self
            .rows
            .get(id)
            .cloned()
            .unwrap_or_else(|| RequirementRef {
                id: id.to_owned(),
                section: section_of(id),
                ..RequirementRef::default()
            });
        r.section_title = self.title(&r.section).map(str::to_owned);
        r
    }

    /// `FETCH Command` for `6.4.5`.
    pub fn title(&self, section: &str) -> Option<&str> {
        self.titles.get(section).map(String::as_str)
    }
}

/// The RFC section an id cites: `R3501-7.4.1-02` → `7.4.1`; empty when it cites none.
pub fn section_of(id: &str) -> String {
    let mut parts = id.split('-');
    match (parts.next(), parts.next()) {
        (Some(rfc), Some(section)) if rfc.starts_with('R') => section.to_owned(),
        _ => String::new(),
    }
}

/// Sort key for sections: `6.10` after `6.9`, uncited (empty) last.
pub fn section_key(section: &str) -> (bool, Vec<u32>) {
    let numbers = section
        .split('.')
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect();
    (section.is_empty(), numbers)
}

/// Headings in the body of an RFC: `6.4.5.  FETCH Command` at the start of a line.
fn section_titles(text: &str) -> HashMap<String, String> {
    let mut titles = HashMap::new();
    for line in text.lines() {
        let Some((number, title)) = line.split_once(". ") else {
            continue;
        };
        let is_number = !number.is_empty()
            && number.starts_with(|c: char| c.is_ascii_digit())
            && number.chars().all(|c| c.is_ascii_digit() || c == '.');
        let title = title.trim();
        if is_number && title.starts_with(|c: char| c.is_ascii_uppercase()) {
            titles.insert(number.to_owned(), title.to_owned());
        }
    }
    titles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_come_from_ids() {
        assert_eq!(section_of("R3501-7.4.1-02"), "7.4.1");
        assert_eq!(section_of("R3501-2.2-I01"), "2.2");
        assert_eq!(section_of("LIVENESS"), "");
        assert!(section_key("6.9") < section_key("6.10"));
        assert!(section_key("9") < section_key(""));
    }

    #[test]
    fn titles_are_read_from_headings() {
        let t = section_titles(
            "6.4.5.  FETCH Command\n   6.4.6.  in a toc\n2.3.1.1.        Unique Identifier (UID) Message Attribute\n",
        );
        assert_eq!(t.get("6.4.5").map(String::as_str), Some("FETCH Command"));
        assert_eq!(
            t.get("2.3.1.1").map(String::as_str),
            Some("Unique Identifier (UID) Message Attribute")
        );
        assert!(!t.contains_key("6.4.6"));
    }
}
