//! What a scenario file says, parsed: the header and the command groups. The format is
//! imaptest's scripted-test format (`scripted_test.md`) plus imapgate's citation keys.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::args::Arg;

/// One scenario file.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub path: PathBuf,
    /// The file name: what reports, exceptions and mailbox names use.
    pub name: String,
    pub header: Header,
    pub groups: Vec<Group>,
    /// `<file>.mbox` beside it, else `default.mbox` in its folder (imaptest's rule).
    pub mbox: PathBuf,
}

/// The state the connections are brought to before the first command (`state:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StartState {
    /// Not logged in; nothing is created or deleted.
    NonAuth,
    Auth,
    /// The test mailbox exists.
    Created,
    /// The fixture's messages are appended.
    Appended,
    /// Every connection has the test mailbox selected (the default).
    Selected,
}

/// How many fixture messages to append (`messages:`); the fixture wraps around.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Messages {
    Count(u32),
    /// Every message of the fixture, once.
    All,
}

/// The header: imaptest's keys and imapgate's citation keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Capabilities the target must advertise, else the scenario is Unimplemented.
    pub capabilities: Vec<String>,
    pub connections: usize,
    pub state: StartState,
    /// imaptest's default is none: a script that fetches messages must say `messages:`.
    pub messages: Messages,
    /// `no`: every untagged reply must be matched by a pattern.
    pub ignore_extra_untagged: bool,
    /// `user N: value` — connection N (from 1) logs in as this user; `$user2` names the
    /// target's second test user.
    pub users: BTreeMap<usize, String>,
    /// imapgate: the RFCs (and sections) the scenario exercises.
    pub rfc: Vec<String>,
    /// imapgate: requirement ids from the RFC 3501 catalogs (`R3501-6.4.5-03`).
    pub requirements: Vec<String>,
    /// imapgate: MUST, SHOULD, MAY or implied.
    pub level: Option<String>,
    pub description: Option<String>,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            capabilities: Vec::new(),
            connections: 1,
            state: StartState::Selected,
            messages: Messages::Count(0),
            ignore_extra_untagged: true,
            users: BTreeMap::new(),
            rfc: Vec::new(),
            requirements: Vec::new(),
            level: None,
            description: None,
        }
    }
}

/// Whether an untagged pattern must, must not or may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existence {
    /// `*`
    Must,
    /// `!`
    MustNot,
    /// `?`
    May,
}

/// An expected untagged reply, with list directives already expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Untagged {
    pub line: usize,
    pub existence: Existence,
    pub pattern: Vec<Arg>,
}

/// One command of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub line: usize,
    /// The script's `tagN` label (0 when the command has none); the wire tag is ours.
    pub label: u32,
    /// The command text as written: variables unexpanded, `{{{…}}}` blocks already turned
    /// into literals (`{n}\r\n` + data).
    pub text: Vec<u8>,
    /// The expected tagged reply (`ok`, `no [trycreate]`, `""` = anything), matched as a
    /// prefix; `None` only while parsing.
    pub reply: Option<Vec<Arg>>,
    /// The line of the expected reply, when it was written on its own line.
    pub reply_line: Option<usize>,
    /// Sent malformed or in the wrong state on purpose (imapgate's `!mutation NAME` line,
    /// or implied by an expected `bad`): recorded as the `Sent` event's `mutation`, so the
    /// checker does not count the server's BAD (or NO) against it.
    pub mutation: Option<String>,
}

/// Commands sent together on one connection (pipelined when more than one), the untagged
/// replies expected while they run, and group directives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    /// From 0.
    pub connection: usize,
    pub commands: Vec<Command>,
    pub untagged: Vec<Untagged>,
    /// `!ordered`: the `*` patterns must match in the order written.
    pub ordered: bool,
    /// `!sleep`: pause after the group.
    pub sleep: Option<Duration>,
    /// `!output`: text printed (variables expanded) when the group ends.
    pub output: Vec<Vec<u8>>,
    /// A `* bye` pattern: the server may close the connection.
    pub expects_bye: bool,
}

/// A scenario file that cannot be used, reported as `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    pub path: PathBuf,
    /// 0 when the problem is not on one line (e.g. the file cannot be read).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}
