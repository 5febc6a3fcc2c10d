//! Matching a server's reply against a pattern, with imaptest's semantics:
//!
//! * atoms, quoted strings and literals are alike and compare case-insensitively;
//! * `$name` inside an element binds to the input up to the pattern's next literal character
//!   (so `$uid1:$uid3` splits `4:6`) when unbound, and must equal its value when bound;
//! * `$` matches any element, a list included (but not NIL);
//! * a list follows its directives (`directives.rs`): ordered and exact by default,
//!   `$!unordered=n` matches chains of n elements in any order, extra elements allowed unless
//!   `$!noextra` (then only `$!ignore`d ones), `$!ban`ned ones never;
//! * status replies (`OK`, `NO`, `BAD`, `BYE`, and every tagged reply) match as a prefix:
//!   the human-readable text after the pattern is not compared;
//! * imapgate: `$*` matches any number of elements (none included), so
//!   `* capability $* imap4rev1 $*` finds IMAP4rev1 wherever the server lists it.

use super::args::Arg;
use super::directives;
use super::vars::{Vars, seq_number, var_name};

/// How far a failed match got (elements matched), for "best match" reports.
pub type Partial = usize;

/// Variables bound during one attempt, so a failed attempt can be undone.
pub struct Attempt<'a> {
    pub vars: &'a mut Vars,
    pub bound: Vec<Vec<u8>>,
}

impl<'a> Attempt<'a> {
    pub fn new(vars: &'a mut Vars) -> Self {
        Attempt {
            vars,
            bound: Vec::new(),
        }
    }

    /// Undo the bindings of a failed attempt.
    pub fn revert(&mut self) {
        for name in self.bound.drain(..) {
            self.vars.unbind(&name);
        }
    }
}

/// Match `input` against `pattern`; `prefix` for status replies.
pub fn match_reply(
    at: &mut Attempt<'_>,
    pattern: &[Arg],
    input: &[Arg],
    prefix: bool,
) -> Result<(), Partial> {
    match_args(at, pattern, input, usize::MAX, prefix)
}

fn match_args(
    at: &mut Attempt<'_>,
    pattern: &[Arg],
    input: &[Arg],
    max: usize,
    prefix: bool,
) -> Result<(), Partial> {
    let mut matched = 0;
    let mut ai = 0;
    let take = pattern.len().min(max);
    for (k, m) in pattern[..take].iter().enumerate() {
        if m.atom() == Some(b"$*") {
            let rest = &pattern[k + 1..take];
            let found = (ai..=input.len())
                .any(|from| match_args(at, rest, &input[from..], usize::MAX, prefix).is_ok());
            return if found { Ok(()) } else { Err(matched) };
        }
        let a = input.get(ai);
        match m {
            Arg::Nil => {
                if a != Some(&Arg::Nil) {
                    return Err(matched);
                }
            }
            Arg::List(sub) => {
                let Some(Arg::List(items)) = a else {
                    return Err(matched);
                };
                match_list(at, sub, items).map_err(|n| matched + n)?;
            }
            Arg::Atom(s) | Arg::Quoted(s) | Arg::Literal(s) => {
                if s == b"$" && matches!(a, Some(Arg::List(_))) {
                    // `$` skips over a whole list.
                } else if s == b"$]" {
                    // `$]` skips up to the element that closes a `[...]` code.
                    while input
                        .get(ai)
                        .and_then(Arg::atom)
                        .is_some_and(|t| !t.contains(&b']'))
                    {
                        ai += 1;
                    }
                } else {
                    let text = a.and_then(Arg::astring).ok_or(matched)?;
                    let last = k + 1 == pattern.len();
                    if !element_matches(at, s, text, prefix && last) {
                        return Err(matched);
                    }
                }
            }
        }
        matched += 1;
        ai += 1;
    }
    if prefix || ai >= input.len() || take == max {
        Ok(())
    } else {
        Err(matched)
    }
}

fn match_list(at: &mut Attempt<'_>, pattern: &[Arg], input: &[Arg]) -> Result<(), Partial> {
    // Directives were validated when the scenario was parsed.
    let d = directives::read(pattern).unwrap_or_default();
    let pattern = &pattern[d.count..];
    if !d.unordered {
        return match_args(at, pattern, input, usize::MAX, false);
    }
    let chain = d.chain.max(1);
    if !input.len().is_multiple_of(chain) {
        return Err(0);
    }
    let mut used = vec![false; input.len()];
    let mut matched = 0;
    for want in pattern.chunks(chain) {
        let found = (0..input.len())
            .step_by(chain)
            .find(|&i| match_args(at, want, &input[i..], chain, false).is_ok());
        let Some(i) = found else {
            return Err(matched);
        };
        used[i] = true;
        matched += 1;
    }
    let unmatched_text = (0..input.len())
        .step_by(chain)
        .filter(|&i| !used[i])
        .filter_map(|i| input[i].astring());
    let listed = |names: &[Vec<u8>], t: &[u8]| names.iter().any(|n| n.eq_ignore_ascii_case(t));
    for text in unmatched_text {
        if d.noextra && !listed(&d.ignore, text) || !d.noextra && listed(&d.ban, text) {
            return Err(matched);
        }
    }
    Ok(())
}

/// One element: expand the pattern's variables against the input, then compare.
fn element_matches(at: &mut Attempt<'_>, pattern: &[u8], input: &[u8], prefix: bool) -> bool {
    let Some(expanded) = expand_input(at, pattern, input) else {
        return false;
    };
    if prefix {
        input.len() >= expanded.len() && input[..expanded.len()].eq_ignore_ascii_case(&expanded)
    } else {
        input.eq_ignore_ascii_case(&expanded)
    }
}

/// The pattern element with its variables replaced — unbound ones bound from `input` — or
/// `None` when the input already disagrees.
fn expand_input(at: &mut Attempt<'_>, pattern: &[u8], input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(pattern.len());
    let (mut i, mut j) = (0, 0);
    while i < pattern.len() {
        if pattern[i] != b'$' || pattern.get(i + 1) == Some(&b'$') {
            if pattern[i] == b'$' {
                i += 1;
            }
            if !input.get(j)?.eq_ignore_ascii_case(&pattern[i]) {
                return None;
            }
            out.push(pattern[i]);
            i += 1;
            j += 1;
            continue;
        }
        let (name, next) = var_name(pattern, i + 1).ok()?;
        i = next;
        let value = match seq_number(name) {
            Some(n) => at.vars.relative_seq(n),
            None => match (name.is_empty(), at.vars.get(name)) {
                (false, Some(v)) => v.to_vec(),
                _ => bind(at, name, &pattern[i..], &input[j..]),
            },
        };
        // A bound value must appear exactly (case-sensitively) in the input.
        if input.get(j..j + value.len())? != value.as_slice() {
            return None;
        }
        j += value.len();
        out.extend_from_slice(&value);
    }
    Some(out)
}

/// Bind `name` (or nothing, for `$`) to the input up to the pattern's next character. Two
/// variables in a row (`$a$b`) leave the first one the whole rest: imaptest looks one
/// character ahead only.
fn bind(at: &mut Attempt<'_>, name: &[u8], rest_of_pattern: &[u8], input: &[u8]) -> Vec<u8> {
    let stop = match rest_of_pattern.first() {
        Some(&b'$') if rest_of_pattern.get(1) != Some(&b'$') => None,
        other => other.copied(),
    };
    let end = stop
        .and_then(|c| input.iter().position(|b| b.eq_ignore_ascii_case(&c)))
        .unwrap_or(input.len());
    let value = input[..end].to_vec();
    if !name.is_empty() {
        at.vars.bind(name, &value);
        at.bound.push(name.to_vec());
    }
    value
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
