//! Test support shared by unit tests: where the read-only `shared/` folder is.

use std::path::PathBuf;

/// The project's `shared/` folder: `$IMAPGATE_SHARED`, else `../shared` beside the checkout
/// (where CI and developers have it).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("IMAPGATE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")),
    }
}

/// The bytes of `shared/<rel>`; panics with the path when missing (tests only).
pub fn shared_file(rel: &str) -> Vec<u8> {
    let path = shared_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
