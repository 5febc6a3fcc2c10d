//! The summary every output shares: cases grouped by RFC section, then by requirement, with
//! verdict counts. Uncited cases (imaptest's scripts) form a group of their own, last.

use std::collections::BTreeMap;

use serde::Serialize;

use super::catalog::section_key;
use super::model::{RequirementRef, Totals};
use super::{Case, Report};

/// The id under which uncited cases are counted.
pub const UNCITED: &str = "uncited";

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// `7.4.1`; empty for the uncited group.
    pub section: String,
    pub title: Option<String>,
    pub totals: Totals,
    pub requirements: Vec<RequirementRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RequirementRow {
    pub requirement: RequirementRef,
    pub totals: Totals,
    /// Ids of the cases citing it.
    pub cases: Vec<String>,
}

/// Every case counted under each requirement it cites (or its violations cite).
pub fn groups(report: &Report) -> Vec<Group> {
    let mut rows: BTreeMap<String, RequirementRow> = BTreeMap::new();
    for case in &report.cases {
        for r in cited(case) {
            let row = rows.entry(r.id.clone()).or_insert_with(|| RequirementRow {
                requirement: r.clone(),
                totals: Totals::default(),
                cases: Vec::new(),
            });
            row.totals.add(case.verdict);
            row.cases.push(case.id.clone());
        }
    }
    let mut by_section: BTreeMap<(bool, Vec<u32>), Group> = BTreeMap::new();
    for row in rows.into_values() {
        let section = row.requirement.section.clone();
        let group = by_section
            .entry(section_key(&section))
            .or_insert_with(|| Group {
                title: row.requirement.section_title.clone(),
                section,
                totals: Totals::default(),
                requirements: Vec::new(),
            });
        for v in super::Verdict::ALL {
            for _ in 0..row.totals.get(v) {
                group.totals.add(v);
            }
        }
        group.requirements.push(row);
    }
    by_section.into_values().collect()
}

/// The requirements a case counts under: those it cites, then any its violations add.
fn cited(case: &Case) -> Vec<RequirementRef> {
    let mut refs = case.requirements.clone();
    for v in &case.violations {
        if !refs.iter().any(|r| r.id == v.requirement) {
            refs.push(RequirementRef {
                id: v.requirement.clone(),
                section: super::catalog::section_of(&v.requirement),
                level: Some(v.level.clone()),
                ..RequirementRef::default()
            });
        }
    }
    if refs.is_empty() {
        refs.push(RequirementRef {
            id: UNCITED.into(),
            ..RequirementRef::default()
        });
    }
    refs
}
