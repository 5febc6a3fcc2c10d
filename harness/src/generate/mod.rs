//! Generators: what sessions send. Plans of typed steps; the random generator (v1) builds
//! state-aware, attributable, seed-replayable traffic under the run's own mailbox prefix;
//! scenario files (imaptest's scripted-test format and imapgate's superset of it) are loaded
//! and executed by `scenario`.

pub mod args;
pub mod fuzz;
pub mod layout;
pub mod message;
pub mod mutate;
pub mod pick;
pub mod plan;
pub mod random;
pub mod scenario;
