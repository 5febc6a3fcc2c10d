//! The runner's side of the wire: transport (TCP, TLS, STARTTLS), recorded sessions and the
//! concurrent runner.

pub mod checkpoint;
pub mod connect;
pub mod driver;
#[cfg(test)]
pub mod fake;
pub mod login;
pub mod monitor;
pub mod names;
pub mod probe;
pub mod recipe;
pub mod recorder;
pub mod replay;
mod replay_cuts;
mod replay_race;
mod replay_stale;
pub mod runner;
pub mod security;
mod server_log;
pub mod session;
pub mod stress;
pub mod target;
pub mod tls;
pub mod transcript;
pub mod transport;
pub mod usage;
pub mod workspace;

#[cfg(test)]
mod testpeer;
