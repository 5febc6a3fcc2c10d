//! Requirement coverage: for each row of the RFC 3501 catalogs
//! (`shared/rfc/rfc3501-requirements*.tsv`), which scenarios (their `requirement:` headers)
//! and which checker detectors (`check::requirements::ALL`, the ids the detectors cite)
//! cover it. Nothing here is a hand-kept list: the rows come from the catalogs, the
//! scenario citations from the scenario files, the detector citations from the checker.

use std::collections::BTreeMap;

use serde::Serialize;

/// One catalog row (columns: id, section, level, topic, summary, blackbox, sessions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The catalog's file stem (`rfc3501-requirements`).
    pub catalog: String,
    pub id: String,
    pub section: String,
    pub level: String,
    pub topic: String,
    pub summary: String,
    /// `yes`, `partial` or `no`: whether a client on the wire can see a violation.
    pub blackbox: String,
    pub sessions: String,
}

/// A catalog file that does not have the expected columns.
#[derive(Debug, thiserror::Error)]
#[error("{catalog}:{line}: {message}")]
pub struct CatalogError {
    pub catalog: String,
    pub line: usize,
    pub message: String,
}

/// The rows of one catalog (`text` is the TSV, header line first).
pub fn parse_catalog(catalog: &str, text: &str) -> Result<Vec<Row>, CatalogError> {
    let err = |line: usize, message: String| CatalogError {
        catalog: catalog.to_owned(),
        line,
        message,
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.starts_with("id\t") => {}
        _ => {
            return Err(err(
                1,
                "the first line must be the header (id, section, …)".into(),
            ));
        }
    }
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [id, section, level, topic, summary, blackbox, sessions] = cols[..] else {
                return Err(err(
                    n + 1,
                    format!("7 columns expected, {} found", cols.len()),
                ));
            };
            Ok(Row {
                catalog: catalog.to_owned(),
                id: id.to_owned(),
                section: section.to_owned(),
                level: level.to_owned(),
                topic: topic.to_owned(),
                summary: summary.to_owned(),
                blackbox: blackbox.to_owned(),
                sessions: sessions.to_owned(),
            })
        })
        .collect()
}

/// Who cites which requirement ids: a scenario file, or the checker's detectors.
#[derive(Clone, Debug, Default)]
pub struct Citations {
    /// Scenario name → the ids in its `requirement:` header.
    pub scenarios: Vec<(String, Vec<String>)>,
    /// Ids the detectors cite (`check::requirements::ALL`).
    pub detectors: Vec<String>,
}

impl Citations {
    /// The detectors' citations, from the checker itself.
    pub fn with_checker(scenarios: Vec<(String, Vec<String>)>) -> Self {
        Citations {
            scenarios,
            detectors: crate::check::requirements::ALL
                .iter()
                .map(|r| r.id.to_owned())
                .collect(),
        }
    }
}

/// One row and what covers it.
#[derive(Clone, Debug, Serialize)]
pub struct RowCoverage {
    #[serde(flatten)]
    pub row: Row,
    pub scenarios: Vec<String>,
    /// Whether a checker detector cites it.
    pub checker: bool,
}

impl RowCoverage {
    pub fn covered(&self) -> bool {
        self.checker || !self.scenarios.is_empty()
    }

    pub fn black_box(&self) -> bool {
        self.row.blackbox == "yes"
    }
}

/// Covered out of total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub covered: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, covered: bool) {
        self.total += 1;
        self.covered += usize::from(covered);
    }

    pub fn percent(self) -> f64 {
        if self.total == 0 {
            return 100.0;
        }
        100.0 * self.covered as f64 / self.total as f64
    }
}

/// Totals of one catalog.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CatalogTotals {
    pub catalog: String,
    pub all: Tally,
    /// Rows whose `blackbox` is `yes`: the figure the acceptance bar is about.
    pub black_box: Tally,
    pub by_level: BTreeMap<String, Tally>,
    pub by_topic: BTreeMap<String, Tally>,
}

/// The whole coverage picture.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    pub rows: Vec<RowCoverage>,
    pub catalogs: Vec<CatalogTotals>,
    /// Black-box rows of every catalog together.
    pub black_box: Tally,
    /// Ids a scenario cites that no catalog holds (scenario, id).
    pub unknown: Vec<(String, String)>,
}

impl Coverage {
    /// The black-box rows nothing covers.
    pub fn uncovered_black_box(&self) -> impl Iterator<Item = &RowCoverage> {
        self.rows.iter().filter(|r| r.black_box() && !r.covered())
    }
}

/// Match every row against the citations.
pub fn compute(rows: Vec<Row>, citations: &Citations) -> Coverage {
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (scenario, ids) in &citations.scenarios {
        for id in ids {
            let cited = by_id.entry(id.as_str()).or_default();
            if !cited.contains(scenario) {
                cited.push(scenario.clone());
            }
        }
    }
    let unknown = citations
        .scenarios
        .iter()
        .flat_map(|(s, ids)| ids.iter().map(move |id| (s, id)))
        .filter(|(_, id)| !rows.iter().any(|r| &r.id == *id))
        .map(|(s, id)| (s.clone(), id.clone()))
        .collect();
    let rows: Vec<RowCoverage> = rows
        .into_iter()
        .map(|row| RowCoverage {
            scenarios: by_id.get(row.id.as_str()).cloned().unwrap_or_default(),
            checker: citations.detectors.contains(&row.id),
            row,
        })
        .collect();
    let mut catalogs: Vec<CatalogTotals> = Vec::new();
    let mut black_box = Tally::default();
    for r in &rows {
        let at = match catalogs.iter().position(|c| c.catalog == r.row.catalog) {
            Some(at) => at,
            None => {
                catalogs.push(CatalogTotals {
                    catalog: r.row.catalog.clone(),
                    ..CatalogTotals::default()
                });
                catalogs.len() - 1
            }
        };
        let t = &mut catalogs[at];
        let covered = r.covered();
        t.all.add(covered);
        t.by_level
            .entry(r.row.level.clone())
            .or_default()
            .add(covered);
        t.by_topic
            .entry(r.row.topic.clone())
            .or_default()
            .add(covered);
        if r.black_box() {
            t.black_box.add(covered);
            black_box.add(covered);
        }
    }
    Coverage {
        rows,
        catalogs,
        black_box,
        unknown,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEADER: &str = "id\tsection\tlevel\ttopic\tsummary\tblackbox\tsessions\n";

    fn rows() -> Vec<Row> {
        let main = format!(
            "{HEADER}R3501-6.1.1-01\t6.1.1\tREQUIRED\tresponse\tCAPABILITY answers\tyes\t1\n\
             R3501-5.3-02\t5.3\tMUST\tother\tflow control\tno\t1\n\
             R3501-7.4.1-02\t7.4.1\tMUST NOT\tnotification\tno EXPUNGE in FETCH\tyes\tmulti\n\
             R3501-5.4-01\t5.4\tMUST\tstate\tautologout\tyes\t1\n"
        );
        let implied = format!(
            "{HEADER}R3501-3-I01\t3\timplied\tstate\twrong state refused\tyes\t1\n\
             R3501-6.4.4-I01\t6.4.4\timplied\tsearch\tkeys ANDed\tyes\t1\n"
        );
        let mut rows = parse_catalog("rfc3501-requirements", &main).unwrap();
        rows.extend(parse_catalog("rfc3501-requirements-implied", &implied).unwrap());
        rows
    }

    fn citations() -> Citations {
        Citations {
            scenarios: vec![
                ("capability.scn".into(), vec!["R3501-6.1.1-01".into()]),
                (
                    "wrong-state.scn".into(),
                    vec!["R3501-3-I01".into(), "R3501-9-99".into()],
                ),
                ("capability-auth.scn".into(), vec!["R3501-6.1.1-01".into()]),
            ],
            detectors: vec!["R3501-7.4.1-02".into()],
        }
    }

    #[test]
    fn rows_are_covered_by_scenarios_or_detectors() {
        let c = compute(rows(), &citations());
        let by_id = |id: &str| c.rows.iter().find(|r| r.row.id == id).unwrap();
        let cap = by_id("R3501-6.1.1-01");
        assert_eq!(cap.scenarios, ["capability.scn", "capability-auth.scn"]);
        assert!(cap.covered() && !cap.checker);
        let expunge = by_id("R3501-7.4.1-02");
        assert!(expunge.checker && expunge.scenarios.is_empty() && expunge.covered());
        assert!(!by_id("R3501-5.4-01").covered());
        assert!(by_id("R3501-3-I01").covered());
        assert!(!by_id("R3501-6.4.4-I01").covered());
    }

    #[test]
    fn totals_per_catalog_level_topic_and_black_box() {
        let c = compute(rows(), &citations());
        let main = &c.catalogs[0];
        assert_eq!(main.catalog, "rfc3501-requirements");
        assert_eq!(
            main.all,
            Tally {
                covered: 2,
                total: 4
            }
        );
        // The `no` row does not count towards the black-box figure.
        assert_eq!(
            main.black_box,
            Tally {
                covered: 2,
                total: 3
            }
        );
        assert_eq!(
            main.by_level["MUST"],
            Tally {
                covered: 0,
                total: 2
            }
        );
        assert_eq!(
            main.by_topic["notification"],
            Tally {
                covered: 1,
                total: 1
            }
        );
        let implied = &c.catalogs[1];
        assert_eq!(
            implied.black_box,
            Tally {
                covered: 1,
                total: 2
            }
        );
        assert_eq!(
            c.black_box,
            Tally {
                covered: 3,
                total: 5
            }
        );
        assert!((c.black_box.percent() - 60.0).abs() < 1e-9);
        let uncovered: Vec<&str> = c.uncovered_black_box().map(|r| r.row.id.as_str()).collect();
        assert_eq!(uncovered, ["R3501-5.4-01", "R3501-6.4.4-I01"]);
        assert_eq!(
            c.unknown,
            [("wrong-state.scn".to_owned(), "R3501-9-99".to_owned())]
        );
    }

    #[test]
    fn a_malformed_catalog_names_its_line() {
        let e = parse_catalog("x", &format!("{HEADER}R1\tonly two\n")).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_catalog("x", "no header\n").is_err());
    }

    #[test]
    fn the_real_catalogs_parse_and_every_detector_id_is_in_them() {
        let mut rows = Vec::new();
        for name in ["rfc3501-requirements", "rfc3501-requirements-implied"] {
            let text = crate::testing::shared_file(&format!("rfc/{name}.tsv"));
            rows.extend(parse_catalog(name, &String::from_utf8(text).unwrap()).unwrap());
        }
        let extensions = crate::check::requirements::EXTENSIONS_CATALOG;
        rows.extend(parse_catalog("extensions-requirements", extensions).unwrap());
        assert!(rows.len() > 250, "{}", rows.len());
        let c = compute(rows, &Citations::with_checker(Vec::new()));
        assert_eq!(
            c.rows.iter().filter(|r| r.checker).count(),
            crate::check::requirements::ALL.len()
        );
    }
}
