//! The runner's side of the wire: transport (TCP, TLS, STARTTLS), and later sessions and plans.

pub mod login;
pub mod probe;
pub mod recipe;
pub mod session;
pub mod target;
pub mod tls;
pub mod transcript;
pub mod transport;

#[cfg(test)]
mod testpeer;
