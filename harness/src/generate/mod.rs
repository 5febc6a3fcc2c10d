//! Generators: what to send. Scenario files (imaptest's scripted-test format and imapgate's
//! superset of it) are loaded and executed by `scenario`.

pub mod scenario;
