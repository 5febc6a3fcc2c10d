//! The malformed lane: named, grammar-aware mutations of valid commands (and a few
//! stand-alone hostile shapes), so a report says "sent on purpose" and names what was broken.
//!
//! Every mutation leaves the server with everything it needs to answer: literal length lies
//! are padded so the claimed octets arrive, lines end in CRLF. The one shape a server may
//! legitimately wait on (a huge synchronising literal claim) asks the driver to close the
//! connection if the server says `+`. A conforming server therefore always answers (BAD, NO,
//! OK for the few that keep the grammar, or BYE and close): silence is a finding.
//!
//! Safety (DESIGN.md decision 10): only commands that cannot name or change mail outside the
//! run are mutated (see [`mutable`]): truncating a mailbox name in SELECT, COPY or DELETE
//! could reach `INBOX`.

use super::pick::Pick;
use super::plan::RawCommand;
use crate::wire::command::{Command, CommandBody, EncodeOptions, Tag};

/// One table names every mutation: the enum, [`ALL`] (in this order: the seed picks by
/// index) and [`Mutation::name`] come from it.
macro_rules! mutations {
    ($($variant:ident => $name:literal,)*) => {
        /// One named mutation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Mutation {
            $($variant,)*
        }

        /// Every mutation, in a fixed order.
        pub const ALL: &[Mutation] = &[$(Mutation::$variant,)*];

        impl Mutation {
            /// The name used in histories, reports and reproducers.
            pub fn name(self) -> &'static str {
                match self {
                    $(Mutation::$variant => $name,)*
                }
            }
        }
    };
}

mutations! {
    UnbalancedOpenParen => "unbalanced-open-paren",
    UnbalancedCloseParen => "unbalanced-close-paren",
    BareLf => "bare-lf",
    BareCr => "bare-cr",
    LiteralLongerThanData => "literal-longer-than-data",
    LiteralShorterThanData => "literal-shorter-than-data",
    LiteralPlusUnadvertised => "literal-plus-unadvertised",
    NulInAtom => "nul-in-atom",
    NulInQuoted => "nul-in-quoted",
    EightBitInAtom => "8bit-in-atom",
    EightBitInQuoted => "8bit-in-quoted",
    OverlongTag => "overlong-tag",
    OverlongAtom => "overlong-atom",
    OverlongLine => "overlong-line",
    HugeNumber => "huge-number",
    ZeroSequence => "zero-sequence",
    ReversedRange => "reversed-range",
    DeepNesting => "deep-nesting",
    WrongState => "wrong-state",
    RepeatedArguments => "repeated-arguments",
    Truncated => "truncated",
    ManyLiterals => "many-literals",
    BraceFlood => "brace-flood",
    HugeLiteralClaim => "huge-literal-claim",
    FormatString => "format-string",
    EmptyCommand => "empty-command",
    UnknownCommand => "unknown-command",
}

use Mutation::*;

/// Sizes of the hostile shapes: large enough to hit fixed buffers and recursion limits,
/// small enough that one step stays cheap.
const OVERLONG_TAG: usize = 8 * 1024;
const OVERLONG_ATOM: usize = 64 * 1024;
const OVERLONG_LINE: usize = 1024 * 1024;
const NESTING_DEPTH: usize = 10_000;
const MANY_LITERALS: usize = 2_000;
const BRACES: usize = 20_000;
const REPEATS: usize = 50;
/// Over LITERAL-'s 4096 octets for a non-synchronising literal.
const OVERSIZED_NONSYNC: usize = 5_000;

/// What the generating session knows when it mutates.
#[derive(Clone, Copy, Debug, Default)]
pub struct MutationContext {
    /// The server advertised LITERAL+ (then `{n+}` is no lie).
    pub literal_plus: bool,
    /// The server advertised LITERAL- (then `{n+}` is a lie only over 4096 octets).
    pub literal_minus: bool,
    /// The session believes it has a mailbox selected.
    pub selected: bool,
}

impl Mutation {
    pub fn from_name(name: &str) -> Option<Mutation> {
        ALL.iter().copied().find(|m| m.name() == name)
    }

    /// [`Mutation::from_name`] for a user's input: an unknown name is told the names there are.
    pub fn parse(name: &str) -> Result<Mutation, String> {
        Mutation::from_name(name).ok_or_else(|| {
            let all: Vec<&str> = ALL.iter().map(|m| m.name()).collect();
            format!(
                "no mutation {name:?}; the mutations are: {}",
                all.join(", ")
            )
        })
    }

    /// Every mutation but those in `skipped`, in [`ALL`]'s order.
    pub fn all_but(skipped: &[Mutation]) -> Vec<Mutation> {
        ALL.iter()
            .copied()
            .filter(|m| !skipped.contains(m))
            .collect()
    }

    /// The result is still valid RFC 3501 grammar (a reversed range `5:2` means `2:5`), so a
    /// BAD for it is a finding like for any valid command.
    pub fn keeps_grammar(self) -> bool {
        matches!(self, ReversedRange)
    }

    /// Bytes of this mutation may be read as further commands (the rest of a line after a
    /// bare CR or LF, literal data a server did not take as a literal): the server's answers
    /// to those "phantom" commands may legally include EXPUNGE and tagged replies with tags
    /// the client never sent.
    pub fn may_leave_commands(self) -> bool {
        matches!(
            self,
            BareLf
                | BareCr
                | LiteralLongerThanData
                | LiteralShorterThanData
                | LiteralPlusUnadvertised
                | ManyLiterals
                | HugeLiteralClaim
        )
    }

    /// The server may not find this command's tag (RFC 3501 §7.1.3: an untagged BAD then
    /// answers it): an 8 KiB tag, an empty command line.
    pub fn may_hide_the_tag(self) -> bool {
        matches!(self, OverlongTag | EmptyCommand)
    }

    /// Mutations that transform a base command (the others are stand-alone shapes).
    pub fn needs_base(self) -> bool {
        !matches!(
            self,
            OverlongLine
                | DeepNesting
                | WrongState
                | ManyLiterals
                | HugeLiteralClaim
                | EmptyCommand
                | UnknownCommand
        )
    }

    /// Apply to `base` (a command of [`mutable`] kind; `None` for the stand-alone shapes).
    /// `None` when this mutation does not apply to that base.
    pub fn apply(
        self,
        base: Option<&CommandBody>,
        cx: MutationContext,
        pick: &mut Pick,
    ) -> Option<RawCommand> {
        let line = match base {
            Some(body) if self.needs_base() => Some(one_line(body)?),
            _ if self.needs_base() => return None,
            _ => None,
        };
        let mut raw = RawCommand::new(self.name(), Vec::new());
        raw.bytes = match (self, line) {
            (_, Some(line)) => self.transform(&line, cx, &mut raw, pick)?,
            _ => self.stand_alone(cx, &mut raw, pick)?,
        };
        Some(raw)
    }

    fn transform(
        self,
        line: &[u8],
        cx: MutationContext,
        raw: &mut RawCommand,
        pick: &mut Pick,
    ) -> Option<Vec<u8>> {
        let mut out = match self {
            UnbalancedOpenParen => match line.iter().rposition(|&b| b == b')') {
                Some(at) => splice(line, at, 1, b""),
                None => cat(line, b" ("),
            },
            UnbalancedCloseParen => insert_at_space(line, b")", pick),
            BareLf => insert_at_space(line, b"\n", pick),
            BareCr => insert_at_space(line, b"\r", pick),
            // The claimed octets swallow the CRLF and a would-be command: a server that
            // honours the length sees one (invalid) command, one that does not runs `X NOOP`.
            LiteralLongerThanData => cat(line, b" {10}\r\nab\r\nX NOOP"),
            LiteralShorterThanData => cat(line, b" {1}\r\nabcdef"),
            // Under LITERAL- the lie is the size (RFC 7888 §5: at most 4096 octets).
            LiteralPlusUnadvertised if cx.literal_minus => {
                let mut out = cat(line, format!(" {{{OVERSIZED_NONSYNC}+}}\r\n").as_bytes());
                out.extend(std::iter::repeat_n(b'a', OVERSIZED_NONSYNC));
                out
            }
            LiteralPlusUnadvertised if !cx.literal_plus => cat(line, b" {3+}\r\nabc"),
            LiteralPlusUnadvertised => return None,
            NulInAtom => insert_in_first_word(line, b"\0", pick),
            EightBitInAtom => insert_in_first_word(line, b"\xc3\xa9\xff", pick),
            NulInQuoted => cat(line, b" \"a\0b\""),
            EightBitInQuoted => cat(line, b" \"caf\xc3\xa9\xff\xfe\""),
            OverlongTag => {
                raw.tag_suffix = "x".repeat(OVERLONG_TAG);
                line.to_vec()
            }
            OverlongAtom => cat(cat(line, b" ").as_slice(), &[b'A'; OVERLONG_ATOM]),
            HugeNumber => replace_first_number(line, b"99999999999999999999")
                .unwrap_or_else(|| cat(line, b" 4294967296")),
            ZeroSequence => replace_first_number(line, b"0")?,
            ReversedRange => reverse_first_number(line)?,
            RepeatedArguments => repeat_last_word(line)?,
            Truncated if line.len() > 1 => {
                let cut = 1 + pick.below(u32::try_from(line.len() - 1).unwrap_or(u32::MAX));
                line[..cut as usize].to_vec()
            }
            Truncated => return None,
            BraceFlood => cat(cat(line, b" ").as_slice(), &[b'{'; BRACES]),
            FormatString => insert_after_first_word(line, b" %s%n%x%n%p%s"),
            _ => return None,
        };
        out.extend_from_slice(b"\r\n");
        Some(out)
    }

    fn stand_alone(
        self,
        cx: MutationContext,
        raw: &mut RawCommand,
        pick: &mut Pick,
    ) -> Option<Vec<u8>> {
        let search = |tail: &[u8]| cat(b"SEARCH ", tail);
        let mut out = match self {
            OverlongLine => search(&b"ALL ".repeat(OVERLONG_LINE / 4)),
            DeepNesting => {
                let mut key = vec![b'('; NESTING_DEPTH];
                key.extend_from_slice(b"ALL");
                key.extend(std::iter::repeat_n(b')', NESTING_DEPTH));
                search(&key)
            }
            // Authentication again, where only the not-authenticated state allows it. A
            // server that offers `+` anyway gets the connection closed, not a secret.
            WrongState if pick.chance(50) => {
                raw.close_on_continuation = true;
                b"AUTHENTICATE PLAIN".to_vec()
            }
            WrongState if cx.selected => b"LOGIN imapgate imapgate".to_vec(),
            WrongState => b"EXPUNGE".to_vec(),
            ManyLiterals => {
                let mut out = b"SEARCH".to_vec();
                let literal: &[u8] = if cx.literal_plus || cx.literal_minus {
                    b" TEXT {1+}\r\na"
                } else {
                    b" TEXT {1}\r\na"
                };
                for _ in 0..MANY_LITERALS {
                    out.extend_from_slice(literal);
                }
                out
            }
            HugeLiteralClaim => {
                raw.close_on_continuation = true;
                let mut out = search(b"TEXT {4294967295}\r\n");
                out.truncate(out.len() - 2);
                out
            }
            EmptyCommand => Vec::new(),
            UnknownCommand => b"IMAPGATE-UNKNOWN 1 2 3".to_vec(),
            _ => return None,
        };
        out.extend_from_slice(b"\r\n");
        Some(out)
    }
}

/// Commands safe to mutate: whatever a mutation makes of them, they cannot name a mailbox
/// outside the run nor change mail the run did not create (FETCH, STORE and SEARCH act on
/// the selected mailbox, which is always one of the run's; EXAMINE is read-only).
pub fn mutable(body: &CommandBody) -> bool {
    matches!(
        body,
        CommandBody::Noop
            | CommandBody::Capability
            | CommandBody::Check
            | CommandBody::Fetch(_)
            | CommandBody::Store(_)
            | CommandBody::Search(_)
            | CommandBody::Status { .. }
            | CommandBody::List(_)
            | CommandBody::Lsub { .. }
            | CommandBody::Examine(_)
    )
}

/// The command's bytes after `<tag> SP`, without the final CRLF, when it is one line.
fn one_line(body: &CommandBody) -> Option<Vec<u8>> {
    if !mutable(body) {
        return None;
    }
    let tag = Tag::new("T").ok()?;
    let bytes = Command {
        tag,
        body: body.clone(),
    }
    .encode(&EncodeOptions::default())
    .to_bytes();
    let line = bytes.strip_prefix(b"T ")?.strip_suffix(b"\r\n")?;
    (!line.contains(&b'\n') && !line.contains(&b'\r')).then(|| line.to_vec())
}

fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out
}

fn splice(line: &[u8], at: usize, remove: usize, with: &[u8]) -> Vec<u8> {
    let mut out = line[..at].to_vec();
    out.extend_from_slice(with);
    out.extend_from_slice(&line[at + remove..]);
    out
}

/// Insert before one of the line's spaces (or at its end when it has none).
fn insert_at_space(line: &[u8], what: &[u8], pick: &mut Pick) -> Vec<u8> {
    let spaces: Vec<usize> = (0..line.len()).filter(|&i| line[i] == b' ').collect();
    let at = pick.one_of(&spaces).copied().unwrap_or(line.len());
    splice(line, at, 0, what)
}

/// Insert inside the command name (an atom), after its first character.
fn insert_in_first_word(line: &[u8], what: &[u8], pick: &mut Pick) -> Vec<u8> {
    let end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let at = 1 + pick.below(u32::try_from(end.saturating_sub(1)).unwrap_or(0)) as usize;
    splice(line, at.min(line.len()), 0, what)
}

fn insert_after_first_word(line: &[u8], what: &[u8]) -> Vec<u8> {
    let end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    splice(line, end, 0, what)
}

/// The first run of digits that stands alone as a number (not inside an atom like `RFC822`).
fn first_number(line: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < line.len() {
        if line[i].is_ascii_digit() && (i == 0 || b" (:,".contains(&line[i - 1])) {
            let end = (i..line.len())
                .find(|&j| !line[j].is_ascii_digit())
                .unwrap_or(line.len());
            if end == line.len() || b" ):,".contains(&line[end]) {
                return Some((i, end));
            }
            i = end;
        }
        i += 1;
    }
    None
}

fn replace_first_number(line: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    let (start, end) = first_number(line)?;
    Some(splice(line, start, end - start, with))
}

/// `n` becomes `n:1` (or `n+1:n`): a range written high to low, which RFC 3501 §9
/// (seq-range) says names the same messages.
fn reverse_first_number(line: &[u8]) -> Option<Vec<u8>> {
    let (start, end) = first_number(line)?;
    let n: u64 = std::str::from_utf8(&line[start..end]).ok()?.parse().ok()?;
    let range = if line.get(end) == Some(&b':') || n == 0 {
        return None;
    } else if n > 1 {
        format!("{n}:1")
    } else {
        "2:1".to_owned()
    };
    Some(splice(line, start, end - start, range.as_bytes()))
}

/// The last word, repeated: `FETCH 1 FLAGS FLAGS FLAGS …`.
fn repeat_last_word(line: &[u8]) -> Option<Vec<u8>> {
    let start = line.iter().rposition(|&b| b == b' ')? + 1;
    let word = &line[start..];
    let mut out = line.to_vec();
    for _ in 1..REPEATS {
        out.push(b' ');
        out.extend_from_slice(word);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "mutate_tests.rs"]
mod tests;
