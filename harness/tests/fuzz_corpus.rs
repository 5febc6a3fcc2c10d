//! Replays the committed fuzz seeds (`corpus/<target>/`) through the same entry points the
//! cargo-fuzz targets call, so every seed (and every reproducer added later) runs in `cargo test`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus")).join(target);
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read(&path).expect("seed"))
        })
        .collect();
    seeds.sort();
    seeds
}

fn replay(target: &str, entry: fn(&[u8]), at_least: usize) {
    let seeds = corpus(target);
    assert!(
        seeds.len() >= at_least,
        "corpus/{target} has only {} seeds",
        seeds.len()
    );
    for (name, bytes) in &seeds {
        let outcome = std::panic::catch_unwind(|| entry(bytes));
        assert!(outcome.is_ok(), "corpus/{target}/{name} fails");
    }
}

#[test]
fn parse_response_seeds() {
    replay("parse_response", imapgate::fuzzing::parse_response, 300);
}

#[test]
fn parse_command_seeds() {
    replay("parse_command", imapgate::fuzzing::parse_command, 300);
}

#[test]
fn roundtrip_command_seeds() {
    replay(
        "roundtrip_command",
        imapgate::fuzzing::roundtrip_command,
        30,
    );
}

#[test]
fn framing_seeds() {
    replay("framing", imapgate::fuzzing::framing, 10);
}
