//! Plans: what sessions do. The random generator (v1) builds state-aware, attributable,
//! seed-replayable traffic under the run's own mailbox prefix.

pub mod args;
pub mod layout;
pub mod message;
pub mod pick;
pub mod plan;
pub mod random;
