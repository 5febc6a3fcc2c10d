//! `events.jsonl`: the recorded histories, byte-safe. A stress run stores its one history as
//! [`History::write_jsonl`] does (the meta line, then one event a line). A scenario run
//! stores one history per case, every line tagged with its case: first
//! `{"case":"<id>","meta":{…}}`, then `{"case":"<id>", <event>…}`.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use super::Events;
use crate::history::{Event, History, Meta};

#[derive(Serialize, Deserialize)]
struct MetaLine {
    case: String,
    meta: Meta,
}

#[derive(Serialize, Deserialize)]
struct EventLine {
    case: String,
    #[serde(flatten)]
    event: Event,
}

pub fn write(out: &mut impl Write, events: &Events<'_>) -> io::Result<()> {
    match events {
        Events::Whole(history) => history.write_jsonl(out),
        Events::PerCase(histories) => {
            for (case, history) in histories {
                write_case(out, case, history)?;
            }
            Ok(())
        }
    }
}

fn write_case(out: &mut impl Write, case: &str, history: &History) -> io::Result<()> {
    let meta = MetaLine {
        case: case.to_owned(),
        meta: history.meta.clone(),
    };
    serde_json::to_writer(&mut *out, &meta)?;
    out.write_all(b"\n")?;
    for event in &history.events {
        let line = EventLine {
            case: case.to_owned(),
            event: event.clone(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Read a scenario run's `events.jsonl` back into one history per case.
pub fn read_per_case(input: impl BufRead) -> io::Result<BTreeMap<String, History>> {
    let mut out: BTreeMap<String, History> = BTreeMap::new();
    for line in input.lines() {
        let line = line?;
        let value: serde_json::Value = serde_json::from_str(&line)?;
        if value.get("meta").is_some() {
            let m: MetaLine = serde_json::from_value(value)?;
            out.entry(m.case).or_default().meta = m.meta;
        } else {
            let e: EventLine = serde_json::from_value(value)?;
            out.entry(e.case).or_default().events.push(e.event);
        }
    }
    Ok(out)
}
