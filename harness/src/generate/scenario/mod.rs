//! Scenarios: imaptest's scripted-test format (`scripted_test.md`), which imapgate runs
//! unchanged, plus header keys that cite the RFC (`rfc:`, `requirement:`, `level:`,
//! `description:`) and a few additions (documented in `scenarios/README.md`): `!mutation
//! [NAME]` after a command sent wrong on purpose (a command expecting `bad` is one
//! implicitly), `no|bad` alternative replies, `$*` for any run of elements, and `{{{+` blocks
//! sent as non-synchronising literals.
//!
//! Every history also goes through the checker (`oracle`), which can turn a passing script
//! into Fail, NonStrict or Unknown.
//!
//! `parse` turns a file into a [`Scenario`] (errors as `file:line: message`); `exec` runs it
//! against a target on fresh mailboxes under imapgate's own name and records a
//! [`History`](crate::history::History); `exceptions` holds accepted deviations per target.

pub mod args;
pub mod conn;
pub mod directives;
pub mod exceptions;
pub mod exec;
mod group;
pub mod lines;
pub mod matcher;
pub mod mbox;
pub mod model;
mod oracle;
pub mod parse;
pub mod send;
mod setup;
pub mod suite;
pub mod vars;

pub use exec::{Failure, Outcome, RunTarget, Verdict, mailbox_name, run_scenario};
pub use model::{
    Command, Existence, Group, Header, Messages, Scenario, ScenarioError, StartState, Untagged,
};
pub use parse::{load, parse};
