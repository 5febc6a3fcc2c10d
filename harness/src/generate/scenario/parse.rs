//! The scenario parser: imaptest's scripted-test format, with its error messages, plus
//! imapgate's header keys. Every error names the file and line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::args::{Arg, tokenize};
use super::directives::expand_defaults;
use super::lines::{Line, logical_lines};
use super::model::{
    Command, Existence, Group, Header, Messages, Scenario, ScenarioError, StartState, Untagged,
};

/// imaptest refuses more connections than this per script.
pub const MAX_CONNECTIONS: usize = 100;

/// Read and parse `path`; its fixture is `<path>.mbox` or the folder's `default.mbox`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read(path).map_err(|e| ScenarioError {
        path: path.into(),
        line: 0,
        message: format!("cannot read: {e}"),
    })?;
    parse(path, &text, |name| std::env::var_os(name).is_some())
}

/// Parse a scenario's text. `env_has` answers `!ifenv NAME` (injected so tests need not
/// touch the process environment).
pub fn parse(
    path: &Path,
    text: &[u8],
    env_has: impl Fn(&str) -> bool,
) -> Result<Scenario, ScenarioError> {
    let err = |line: usize, message: String| ScenarioError {
        path: path.into(),
        line,
        message,
    };
    let lines = logical_lines(text).map_err(|u| {
        err(
            u.line,
            "multi-line block `{{{` is never closed by `}}}`".into(),
        )
    })?;
    let mut parser = Parser {
        header: Header::default(),
        groups: Vec::new(),
        conds: Vec::new(),
        env_has: &env_has,
    };
    for line in &lines {
        parser.line(line).map_err(|m| err(line.number, m))?;
    }
    parser.finish().map_err(|(line, m)| err(line, m))?;
    Ok(Scenario {
        path: path.into(),
        name: scenario_name(path),
        header: parser.header,
        groups: parser.groups,
        mbox: fixture_path(path),
    })
}

fn scenario_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn fixture_path(path: &Path) -> PathBuf {
    let mut own = path.as_os_str().to_owned();
    own.push(".mbox");
    let own = PathBuf::from(own);
    if own.is_file() {
        return own;
    }
    path.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("default.mbox")
}

/// One `!ifenv` / `!ifnenv` level.
struct Cond {
    line: usize,
    /// Whether lines were skipped before this level opened.
    outer_skip: bool,
    /// Whether this level's current branch is skipped.
    skip: bool,
    else_seen: bool,
}

struct Parser<'a> {
    header: Header,
    groups: Vec<Group>,
    conds: Vec<Cond>,
    env_has: &'a dyn Fn(&str) -> bool,
}

type LineResult = Result<(), String>;

impl Parser<'_> {
    fn line(&mut self, line: &Line) -> LineResult {
        if line.header {
            return self.header_line(&line.text);
        }
        if self.preprocess(line)? || self.skipping() {
            return Ok(());
        }
        self.command_line(line.number, &line.text)
    }

    fn skipping(&self) -> bool {
        self.conds.last().is_some_and(|c| c.skip)
    }

    /// `!ifenv`, `!ifnenv`, `!else`, `!endif`; true when the line was one of them.
    fn preprocess(&mut self, line: &Line) -> Result<bool, String> {
        let text = String::from_utf8_lossy(&line.text);
        let outer_skip = self.skipping();
        if let Some(name) = text.strip_prefix("!ifenv ") {
            let skip = outer_skip || !(self.env_has)(name.trim());
            self.push_cond(line.number, outer_skip, skip);
        } else if let Some(name) = text.strip_prefix("!ifnenv ") {
            let skip = outer_skip || (self.env_has)(name.trim());
            self.push_cond(line.number, outer_skip, skip);
        } else if text == "!else" {
            let c = self.conds.last_mut().ok_or("!else without !ifenv")?;
            if c.else_seen {
                return Err("!else already seen".into());
            }
            c.else_seen = true;
            c.skip = c.outer_skip || !c.skip;
        } else if text == "!endif" {
            self.conds.pop().ok_or("!endif without !ifenv")?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    fn push_cond(&mut self, line: usize, outer_skip: bool, skip: bool) {
        self.conds.push(Cond {
            line,
            outer_skip,
            skip,
            else_seen: false,
        });
    }

    fn header_line(&mut self, text: &[u8]) -> LineResult {
        let text = String::from_utf8_lossy(text);
        let (key, value) = text.split_once(':').ok_or("Missing ':'")?;
        let key = key.trim_end().to_ascii_lowercase();
        let value = value.trim_start();
        let words = || value.split_whitespace().map(str::to_owned);
        let h = &mut self.header;
        match key.as_str() {
            "capabilities" => h.capabilities = words().collect(),
            "connections" => h.connections = connection_count(value)?,
            "ignore_extra_untagged" => h.ignore_extra_untagged = value.starts_with('y'),
            "messages" if value == "all" => h.messages = Messages::All,
            "messages" => h.messages = Messages::Count(leading_number(value)),
            "state" => h.state = start_state(value)?,
            "rfc" => h.rfc.extend(words()),
            "requirement" | "requirements" => {
                for id in words() {
                    check_requirement_id(&id)?;
                    h.requirements.push(id);
                }
            }
            "level" => h.level = Some(level(value)?),
            "description" => h.description = Some(value.to_owned()),
            _ => match key.strip_prefix("user ").map(str::parse::<usize>) {
                Some(Ok(n)) if (1..=MAX_CONNECTIONS).contains(&n) => {
                    h.users.insert(n, value.to_owned());
                }
                Some(Ok(_)) => return Err("Too many connections".into()),
                _ => return Err(format!("Unknown setting {key:?}")),
            },
        }
        Ok(())
    }

    fn command_line(&mut self, number: usize, text: &[u8]) -> LineResult {
        if let Some(group) = self.groups.last_mut() {
            if group_directive(group, text)? {
                return Ok(());
            }
            if let Some(existence) = untagged_kind(text) {
                return add_untagged(group, number, existence, &text[2..]);
            }
            if pending(group) > 0 && self.try_reply(number, text)? {
                return Ok(());
            }
        }
        self.add_command(number, text)
    }

    /// A tagged-reply line for a pending command (methods 2 and 3); false if the line is not
    /// one.
    fn try_reply(&mut self, number: usize, text: &[u8]) -> Result<bool, String> {
        let (conn, rest) = match split_connection(text) {
            Some((c, rest)) if self.header.connections > 1 => (Some(c), rest),
            _ => (None, text),
        };
        let Some((label, reply)) = expected_reply(rest) else {
            return Ok(false);
        };
        let Some(group) = self.groups.last_mut() else {
            return Ok(false);
        };
        // imaptest 2.3's own scripts write `no [trycreate]` without the connection number
        // in a three-connection script (`append`): a reply line may omit it.
        if conn.is_some_and(|c| c - 1 != group.connection) {
            return Err("Reply for wrong connection".into());
        }
        let cmd = group
            .commands
            .iter_mut()
            .find(|c| c.label == label)
            .ok_or("Reply for unknown tag")?;
        if cmd.reply.is_some() {
            return Err("Command already has a reply".into());
        }
        cmd.reply = Some(tokenize(reply));
        cmd.reply_line = Some(number);
        Ok(true)
    }

    fn add_command(&mut self, number: usize, text: &[u8]) -> LineResult {
        let multi = self.header.connections > 1;
        let (connection, text) = if multi {
            let (c, rest) = split_connection(text).ok_or("Missing client index")?;
            if c > MAX_CONNECTIONS {
                return Err("Too many connections".into());
            }
            self.header.connections = self.header.connections.max(c);
            (c - 1, rest)
        } else {
            (0, text)
        };
        let (label, reply, text) = command_prefix(text);
        let need_new = match self.groups.last() {
            None => true,
            Some(g) => pending(g) == 0,
        };
        if need_new {
            self.groups.push(Group {
                connection,
                ..Group::default()
            });
        }
        let Some(group) = self.groups.last_mut() else {
            return Err("internal: no command group".into());
        };
        if label == 0 && !group.commands.is_empty() {
            return Err("Missing reply from previous command group".into());
        }
        if !group.commands.is_empty() && group.connection != connection {
            return Err("All pipelined commands must use the same connection".into());
        }
        if label != 0 && group.commands.iter().any(|c| c.label == label) {
            return Err("Tag reused within command group".into());
        }
        if group.commands.is_empty() && untagged_kind(text).is_some() {
            return Err(
                "banner checks (an untagged reply before any command) are not supported".into(),
            );
        }
        group.commands.push(Command {
            line: number,
            label,
            text: text.to_vec(),
            reply,
            reply_line: None,
            mutation: None,
        });
        Ok(())
    }

    /// End-of-file checks; the error carries its line.
    fn finish(&mut self) -> Result<(), (usize, String)> {
        if let Some(c) = self.conds.first() {
            return Err((c.line, "!ifenv not closed with !endif".into()));
        }
        let Some(last) = self.groups.last() else {
            return Err((0, "No commands in file".into()));
        };
        if let Some(cmd) = last.commands.iter().find(|c| c.reply.is_none()) {
            return Err((cmd.line, "Missing reply for this command".into()));
        }
        mark_expected_bad(&mut self.groups);
        Ok(())
    }
}

/// A command the script expects to get `bad` is sent as a mutation unless it names one.
fn mark_expected_bad(groups: &mut [Group]) {
    let commands = groups.iter_mut().flat_map(|g| g.commands.iter_mut());
    for cmd in commands.filter(|c| c.mutation.is_none()) {
        let bad = cmd.reply.as_deref().and_then(<[Arg]>::first);
        if bad.is_some_and(|a| a.is_atom("bad")) {
            cmd.mutation = Some(MUTATION_EXPECTED_BAD.into());
        }
    }
}

fn connection_count(value: &str) -> Result<usize, String> {
    match leading_number(value) as usize {
        n @ 1..=MAX_CONNECTIONS => Ok(n),
        _ => Err("Too many connections".into()),
    }
}

/// `strtoul` semantics: the leading digits, 0 when none.
fn leading_number(value: &str) -> u32 {
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

fn start_state(value: &str) -> Result<StartState, String> {
    Ok(match value.to_ascii_lowercase().as_str() {
        "nonauth" => StartState::NonAuth,
        "auth" => StartState::Auth,
        "created" => StartState::Created,
        "appended" => StartState::Appended,
        "selected" => StartState::Selected,
        _ => return Err("Unknown state value".into()),
    })
}

fn level(value: &str) -> Result<String, String> {
    let v = value.to_ascii_uppercase();
    match v.as_str() {
        "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY" | "IMPLIED" => Ok(v),
        _ => Err(format!(
            "level must be MUST, MUST NOT, SHOULD, SHOULD NOT, MAY or implied, not {value:?}"
        )),
    }
}

/// Requirement ids look like `R3501-6.4.5-03`, `R3501-2.2-I01` or, for an appendix,
/// `R9051-A-01` (the catalogs' id column).
fn check_requirement_id(id: &str) -> Result<(), String> {
    let bad = || format!("{id:?} is not a requirement id (like R3501-6.4.5-03)");
    let rest = id.strip_prefix('R').ok_or_else(bad)?;
    let parts: Vec<&str> = rest.split('-').collect();
    let [rfc, section, number] = parts.as_slice() else {
        return Err(bad());
    };
    let number = number.strip_prefix('I').unwrap_or(number);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let appendix = |s: &str| s.len() == 1 && s.bytes().all(|b| b.is_ascii_uppercase());
    let section_ok =
        (section.split('.').enumerate()).all(|(i, s)| digits(s) || (i == 0 && appendix(s)));
    if digits(rfc) && section_ok && digits(number) {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The mutation name of a `!mutation` line without one.
pub const MUTATION_DEFAULT: &str = "on-purpose";

/// The mutation name given to a command whose expected tagged reply is `bad`: whatever it
/// sends, the script means it to be refused as a protocol error.
pub const MUTATION_EXPECTED_BAD: &str = "expected-bad";

/// `!sleep`, `!output`, `!ordered`, `!mutation [NAME]` (imapgate: the command just written
/// is malformed or out of state on purpose); true when the line was one.
fn group_directive(group: &mut Group, text: &[u8]) -> Result<bool, String> {
    if let Some(rest) = text.strip_prefix(b"!sleep ") {
        let value = String::from_utf8_lossy(rest);
        group.sleep = Some(parse_interval(value.trim()).ok_or_else(|| {
            format!("Invalid !sleep value {value}: use e.g. 500ms, 2s or 2 (seconds)")
        })?);
    } else if let Some(rest) = text.strip_prefix(b"!output ") {
        group.output.push(rest.to_vec());
    } else if text == b"!ordered" {
        group.ordered = true;
    } else if let Some(rest) = text.strip_prefix(b"!mutation") {
        let name = String::from_utf8_lossy(rest).trim().to_owned();
        let cmd = group
            .commands
            .last_mut()
            .ok_or("!mutation before any command")?;
        cmd.mutation = Some(if name.is_empty() {
            MUTATION_DEFAULT.into()
        } else {
            name
        });
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// `500ms`, `2s`, `1m`, or a bare number of seconds.
fn parse_interval(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    match unit.trim() {
        "ms" | "msec" | "msecs" => Some(Duration::from_millis(n)),
        "" | "s" | "sec" | "secs" => Some(Duration::from_secs(n)),
        "m" | "min" | "mins" => Some(Duration::from_secs(n * 60)),
        _ => None,
    }
}

fn untagged_kind(text: &[u8]) -> Option<Existence> {
    match text.get(..2)? {
        b"* " => Some(Existence::Must),
        b"! " => Some(Existence::MustNot),
        b"? " => Some(Existence::May),
        _ => None,
    }
}

fn add_untagged(group: &mut Group, line: usize, existence: Existence, text: &[u8]) -> LineResult {
    let mut pattern = tokenize(text);
    expand_defaults(&mut pattern)?;
    let name = reply_name(&pattern);
    if name.eq_ignore_ascii_case(b"bye") {
        match existence {
            Existence::Must => group.expects_bye = true,
            Existence::MustNot => {}
            Existence::May => return Err("? BYE not currently supported".into()),
        }
    }
    group.untagged.push(Untagged {
        line,
        existence,
        pattern,
    });
    Ok(())
}

/// The reply's name: the first atom, or the second after a number or `$seq` (`* 1 FETCH`).
pub fn reply_name(pattern: &[Arg]) -> &[u8] {
    let first = pattern.first().and_then(Arg::atom).unwrap_or(b"");
    if first
        .first()
        .is_some_and(|&b| b == b'$' || b.is_ascii_digit())
    {
        return pattern.get(1).and_then(Arg::atom).unwrap_or(b"");
    }
    first
}

fn pending(group: &Group) -> usize {
    group.commands.iter().filter(|c| c.reply.is_none()).count()
}

/// `N rest` with N a connection number from 1.
fn split_connection(text: &[u8]) -> Option<(usize, &[u8])> {
    let (word, rest) = split_word(text);
    let n: usize = std::str::from_utf8(word).ok()?.parse().ok()?;
    (n > 0).then_some((n, rest))
}

fn split_word(text: &[u8]) -> (&[u8], &[u8]) {
    match text.iter().position(|&b| b == b' ') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, b""),
    }
}

/// `[tagN] ok|no|bad|"" …`: the label (0 when none) and the text from the reply word on;
/// `None` when the line does not start with an expected reply.
fn expected_reply(text: &[u8]) -> Option<(u32, &[u8])> {
    let (first, rest) = split_word(text);
    let (label, from) = match tag_label(first) {
        Some(n) => (n, rest),
        None => (0, text),
    };
    let (word, _) = split_word(from);
    (is_reply_word(word) || word == b"\"\"").then_some((label, from))
}

/// `tag3` → 3.
fn tag_label(word: &[u8]) -> Option<u32> {
    let digits = word
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case(b"tag"))
        .map(|_| &word[3..])?;
    let n: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (n > 0).then_some(n)
}

/// A command line's optional `tagN` label and inline expected reply (method 1: `ok select
/// …`), and the command text after them.
fn command_prefix(text: &[u8]) -> (u32, Option<Vec<Arg>>, &[u8]) {
    let (first, rest) = split_word(text);
    let (label, text) = match tag_label(first) {
        Some(n) => (n, rest),
        None => (0, text),
    };
    let (word, command) = split_word(text);
    let reply = if word == b"\"\"" {
        Arg::Atom(Vec::new())
    } else if is_reply_word(word) {
        Arg::Atom(word.to_ascii_lowercase())
    } else {
        return (label, None, text);
    };
    (label, Some(vec![reply]), command)
}

/// `ok`, `no`, `bad`, or (imapgate) alternatives joined by `|`: `no|bad` accepts either.
fn is_reply_word(word: &[u8]) -> bool {
    !word.is_empty()
        && word.split(|&b| b == b'|').all(|alt| {
            [&b"ok"[..], b"no", b"bad"]
                .iter()
                .any(|w| alt.eq_ignore_ascii_case(w))
        })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
