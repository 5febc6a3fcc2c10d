//! The SORT keys of RFC 5256 §3 a message's ENVELOPE gives: DATE is the sent date (§2.2: the
//! Date header in UTC; the INTERNALDATE when there is none), SUBJECT the base subject
//! (§2.1), FROM, TO and CC the mailbox part of the header's first address, the text keys
//! case-insensitively on ASCII (i;ascii-casemap; for ASCII text, I18NLEVEL's i;unicode-casemap
//! orders the same). A missing header or subject is the empty key, which sorts first.
//!
//! Only what can be judged without guessing gets a key: text that is ASCII and holds no
//! encoded word (`=?`) — decoding and the collation of the rest are left alone — and an
//! address that is a plain mailbox (not a group's start or end), a Date header in the plain
//! RFC 5322 form (one a lenient server parses otherwise is not judged).

use crate::wire::grammar::DateTime;
use crate::wire::grammar::NString;
use crate::wire::grammar::datetime::MONTHS;
use crate::wire::response::{Address, Envelope};

/// The keys an ENVELOPE gives one message, text upper-cased for comparison; `None` where not
/// judgeable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvelopeKeys {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cc: Option<String>,
    pub date: Option<SentDate>,
    /// The message is one imapgate wrote (a Message-ID `<…@imapgate.invalid>`) and has no
    /// In-Reply-To: it has no References header either, so THREAD=REFERENCES can only group
    /// it by base subject (RFC 5256 §3, step 5).
    pub unreferenced: bool,
    /// A message imapgate wrote: its Message-ID, and the In-Reply-To of a reply. A reply's
    /// References header names that one message too, so it alone places the reply under
    /// its parent in THREAD=REFERENCES (RFC 5256 §3, step 1).
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    /// The subject is a reply or forward for RFC 5256 (see [`is_reply_or_forward`]).
    pub reply: bool,
}

/// The sent date as the ENVELOPE gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentDate {
    /// The Date header, in seconds since 1970 UTC.
    At(i64),
    /// No Date header: the INTERNALDATE stands in.
    Missing,
}

impl EnvelopeKeys {
    pub fn of(envelope: &Envelope<'_>) -> EnvelopeKeys {
        let subject = envelope.subject.as_ref().map(|s| s.as_bytes());
        let message_id = own_id(&envelope.message_id);
        let in_reply_to = message_id.as_ref().and(own_id(&envelope.in_reply_to));
        let text = match subject {
            None => Some(String::new()),
            Some(s) => plain(s),
        };
        let extracted = text.map(|t| extract(&t));
        EnvelopeKeys {
            reply: extracted.as_ref().is_some_and(|e| e.1),
            subject: extracted.map(|(base, _)| base.to_ascii_uppercase()),
            from: first_mailbox(&envelope.from),
            to: first_mailbox(&envelope.to),
            cc: first_mailbox(&envelope.cc),
            date: match envelope.date.as_ref() {
                None => Some(SentDate::Missing),
                Some(d) => parse_date(d.as_bytes()).map(SentDate::At),
            },
            unreferenced: envelope.in_reply_to.is_none() && message_id.is_some(),
            message_id,
            in_reply_to,
        }
    }
}

/// A message id imapgate writes (`<…@imapgate.invalid>`), alone in the field.
fn own_id(field: &NString<'_>) -> Option<String> {
    let text = std::str::from_utf8(field.as_ref()?.as_bytes()).ok()?.trim();
    let inner = text.strip_prefix('<')?.strip_suffix("@imapgate.invalid>")?;
    let plain = !inner.contains(['<', '>', ' ', '\t', '\r', '\n']);
    plain.then(|| text.to_owned())
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

/// `[day-name ","] day month year hh:mm[:ss] zone [comment]` (RFC 5322 §3.3, numeric zones
/// and UT/GMT only) in seconds since 1970 UTC.
pub fn parse_date(bytes: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut words = text.split_ascii_whitespace().peekable();
    if words.peek()?.ends_with(',') {
        words.next();
    }
    let day: u8 = words.next()?.parse().ok()?;
    let month = words.next()?.as_bytes();
    let month = MONTHS
        .iter()
        .position(|m| month.eq_ignore_ascii_case(&m[..]))?;
    let month = u8::try_from(month + 1).ok()?;
    let year: u16 = words.next()?.parse().ok().filter(|y| *y >= 1900)?;
    let mut hms = words.next()?.split(':').map(str::parse::<u8>);
    let (hour, minute) = (hms.next()?.ok()?, hms.next()?.ok()?);
    let second = hms.next().transpose().ok()?.unwrap_or(0);
    let zone = words.next()?;
    let zone_minutes = match zone.as_bytes() {
        [sign @ (b'+' | b'-'), ..] if zone.len() == 5 => {
            let n: i16 = zone[1..].parse().ok()?;
            let minutes = n / 100 * 60 + n % 100;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ if ["ut", "gmt", "utc"].contains(&zone.to_ascii_lowercase().as_str()) => 0,
        _ => return None,
    };
    let valid = (1..=31).contains(&day) && hour < 24 && minute < 60 && second <= 60;
    let rest_is_comment = words.all(|w| w.starts_with('(') || w.ends_with(')'));
    (valid && hms.next().is_none() && rest_is_comment).then(|| {
        DateTime {
            day,
            month,
            year,
            hour,
            minute,
            second,
            zone_minutes,
        }
        .utc_seconds()
    })
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
    extract(subject).0
}

/// Whether extracting the base subject took off a `subj-refwd` (`Re:`, `Fw:`, `Fwd:`), a
/// `(fwd)` trailer or a `[fwd: …]` wrapper: THREAD=REFERENCES' step 5 treats such a message
/// as a reply or forward (RFC 5256 §3). A blob alone (`[list]`) does not make one.
pub fn is_reply_or_forward(subject: &str) -> bool {
    extract(subject).1
}

/// RFC 5256 §2.1's base subject, and whether a reply or forward marker was taken off.
fn extract(subject: &str) -> (String, bool) {
    let mut s = subject
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut reply = false;
    // Every round removes at least one character, so the subject's length bounds the loop.
    for _ in 0..=subject.len() {
        let before = s.len();
        let trailed = strip_trailers(&s);
        reply |= trailed.len() < s.trim_end_matches(' ').len();
        s = strip_leaders(trailed, &mut reply).to_owned();
        if let Some(inner) = fwd_wrapped(&s) {
            s = inner.to_owned();
            reply = true;
        }
        if s.len() == before {
            break;
        }
    }
    (s, reply)
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
fn strip_leaders<'s>(mut s: &'s str, reply: &mut bool) -> &'s str {
    loop {
        let t = s.trim_start_matches(' ');
        let refwd = refwd_leader(t);
        *reply |= refwd.is_some();
        let t = refwd
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
    use super::{base_subject, is_reply_or_forward, parse_date};

    #[test]
    fn replies_and_forwards_are_told_by_what_extraction_took_off() {
        for reply in [
            "Re: x",
            "[list] Re: x",
            "x (fwd)",
            "[Fwd: x]",
            "fw:re: x",
            "Re [2]: x",
        ] {
            assert!(is_reply_or_forward(reply), "{reply}");
        }
        for plain in ["x", "[list] x", "  x  ", "Reply x", "[x]", ""] {
            assert!(!is_reply_or_forward(plain), "{plain}");
        }
    }

    #[test]
    fn dates_in_the_plain_form_parse_and_others_are_left_alone() {
        let utc = parse_date(b"Mon, 6 Jan 2025 10:00:00 +0000");
        assert_eq!(utc, Some(1_736_157_600));
        assert_eq!(parse_date(b"6 Jan 2025 12:00:00 +0200 (CEST)"), utc);
        assert_eq!(parse_date(b"Mon, 06 jan 2025 05:00 -0500"), utc);
        assert_eq!(parse_date(b"Mon, 6 Jan 2025 10:00:00 GMT"), utc);
        for odd in [
            &b"yesterday"[..],
            b"Mon, 6 Jan 2025 10:00:00 EST",
            b"Mon, 6 Jan 25 10:00:00 +0000",
            b"Mon, 32 Jan 2025 10:00:00 +0000",
            b"Mon, 6 Jan 2025 10:00:00",
        ] {
            assert_eq!(parse_date(odd), None, "{}", String::from_utf8_lossy(odd));
        }
    }

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
