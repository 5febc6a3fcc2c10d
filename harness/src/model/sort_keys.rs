//! The text SORT keys of RFC 5256 §3, from a message's ENVELOPE: SUBJECT is the base subject
//! (§2.1), FROM, TO and CC the mailbox part of the header's first address, each compared
//! case-insensitively on ASCII (i;ascii-casemap; for ASCII text, I18NLEVEL's i;unicode-casemap
//! orders the same). A missing header or subject is the empty key, which sorts first.
//!
//! Only what can be judged without guessing gets a key: text that is ASCII and holds no
//! encoded word (`=?`) — decoding and the collation of the rest are left alone — and an
//! address that is a plain mailbox (not a group's start or end).

use crate::wire::response::{Address, Envelope};

/// The text keys of one message, upper-cased for comparison; `None` where not judgeable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextKeys {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cc: Option<String>,
}

impl TextKeys {
    pub fn of(envelope: &Envelope<'_>) -> TextKeys {
        let subject = envelope.subject.as_ref().map(|s| s.as_bytes());
        TextKeys {
            subject: match subject {
                None => Some(String::new()),
                Some(s) => plain(s).map(|s| base_subject(&s).to_ascii_uppercase()),
            },
            from: first_mailbox(&envelope.from),
            to: first_mailbox(&envelope.to),
            cc: first_mailbox(&envelope.cc),
        }
    }
}

/// The addr-mailbox of the first address, upper-cased ("" when there is none).
fn first_mailbox(addresses: &[Address<'_>]) -> Option<String> {
    let Some(first) = addresses.first() else {
        return Some(String::new());
    };
    // A group's start has no host; its end has no mailbox either.
    first.host.as_ref()?;
    let mailbox = first.mailbox.as_ref()?;
    plain(mailbox.as_bytes()).map(|m| m.to_ascii_uppercase())
}

/// The text when it is ASCII without encoded words.
fn plain(bytes: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?;
    (s.is_ascii() && !s.contains("=?")).then(|| s.to_owned())
}

/// RFC 5256 §2.1's base subject of an ASCII subject without encoded words: whitespace runs
/// become one space, then trailers (`(fwd)`, spaces) and leaders (`Re:`, `Fw:`, `Fwd:`,
/// `[blob]`s before them, spaces) are taken off until none is left, and a `[fwd: …]` wrapper
/// is unwrapped and the whole begins again. Case-insensitive, as the RFC's ABNF is.
pub fn base_subject(subject: &str) -> String {
    let mut s = subject
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Every round removes at least one character, so the subject's length bounds the loop.
    for _ in 0..=subject.len() {
        let before = s.len();
        s = strip_trailers(&s).to_owned();
        s = strip_leaders(&s).to_owned();
        if let Some(inner) = fwd_wrapped(&s) {
            s = inner.to_owned();
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Step 2: trailing `(fwd)` and whitespace, repeatedly.
fn strip_trailers(mut s: &str) -> &str {
    loop {
        let t = s.trim_end_matches(' ');
        let t = match t.len().checked_sub(5) {
            Some(at) if t.is_char_boundary(at) && t[at..].eq_ignore_ascii_case("(fwd)") => &t[..at],
            _ => t,
        };
        if t.len() == s.len() {
            return s;
        }
        s = t;
    }
}

/// Steps 3–5: leading spaces and `*subj-blob subj-refwd`, and a leading blob when something
/// is left after it, repeatedly.
fn strip_leaders(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(' ');
        let t = refwd_leader(t)
            .or_else(|| blob(t).map(|(_, rest)| rest).filter(|r| !r.is_empty()))
            .unwrap_or(t);
        if t.len() == s.len() {
            return s;
        }
        s = t;
    }
}

/// `*subj-blob subj-refwd` (`subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`):
/// what follows it.
fn refwd_leader(mut s: &str) -> Option<&str> {
    while let Some((_, rest)) = blob(s) {
        s = rest;
    }
    let word = ["fwd", "fw", "re"]
        .into_iter()
        .find(|w| s.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))?;
    let mut rest = s[word.len()..].trim_start_matches(' ');
    if let Some((_, after)) = blob(rest) {
        rest = after;
    }
    rest.strip_prefix(':')
}

/// `subj-blob = "[" *BLOBCHAR "]" *WSP` at the start: (the blob, what follows).
fn blob(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('[')?;
    let end = inner.find(['[', ']'])?;
    inner[end..].starts_with(']').then(|| {
        let rest = inner[end + 1..].trim_start_matches(' ');
        (&inner[..end], rest)
    })
}

/// Step 6: `[fwd: …]` around the whole subject.
fn fwd_wrapped(s: &str) -> Option<&str> {
    let head = s.get(..5)?;
    if !head.eq_ignore_ascii_case("[fwd:") {
        return None;
    }
    s[5..].strip_suffix(']')
}

#[cfg(test)]
mod tests {
    use super::base_subject;

    #[test]
    fn leaders_trailers_and_wrappers_come_off() {
        for (subject, base) in [
            ("Re: hello", "hello"),
            ("RE: Re: re:hello", "hello"),
            ("Fwd: [list] Re: hello (fwd)", "hello"),
            ("[fwd: Re: hello]", "hello"),
            ("[list] hello", "hello"),
            ("Re[2]: hello", "hello"),
            ("  hello   world  ", "hello world"),
            ("[only a blob]", "[only a blob]"),
            ("Fw : hello", "hello"),
            ("Reply: hello", "Reply: hello"),
            ("hello (fwd) (FWD)", "hello"),
            ("", ""),
            ("Re:", ""),
        ] {
            assert_eq!(base_subject(subject), base, "{subject:?}");
        }
    }
}
