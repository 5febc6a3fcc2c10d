//! Command-side primitives: the shared grammar (`crate::wire::grammar`, with the literals
//! of a [`Sender::Client`], which may be LITERAL+ `{n+}`) and the conversions from grammar
//! output into the validated value types.

use crate::wire::command::datetime::{Date, DateTime, Zone};
use crate::wire::command::error::ValueError;
use crate::wire::command::flag::Flag;
use crate::wire::command::mailbox::{ListMailbox, Mailbox};
use crate::wire::command::sequence::{SeqItem, SeqNumber, SequenceSet};
use crate::wire::command::values::{AString, Atom, IString, NonEmpty};
use crate::wire::grammar::chars::{is_list_char, span};
use crate::wire::grammar::{self, Bytes, GrammarError, PResult, Sender, byte, ctx, fail};

/// Keeps a parsed value that a validating constructor accepted; otherwise fails at `at`
/// with `expected`, so semantic rejections (30-Feb, `\Recent`) are located like syntax.
pub(super) fn validated<'a, T, E: GrammarError<'a>>(
    at: &'a [u8],
    rest: &'a [u8],
    value: Result<T, ValueError>,
    expected: &'static str,
) -> PResult<'a, T, E> {
    match value {
        Ok(value) => Ok((rest, value)),
        Err(_) => fail(at, expected),
    }
}

/// Grammar-checked 7-bit bytes as text.
pub(super) fn ascii(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// `string = quoted / literal` (a client's: `{n+}` allowed), as owned bytes.
pub(super) fn string<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<u8>, E> {
    grammar::string_from(i, Sender::Client).map(|(r, s)| (r, s.0.into_owned()))
}

/// `astring = 1*ASTRING-CHAR / string`
pub(super) fn astring<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, AString, E> {
    let (r, bytes) = grammar::astring_from(i, Sender::Client)?;
    validated(i, r, AString::new(bytes.0.into_owned()), "astring")
}

/// `string`, as an [`IString`].
pub(super) fn istring(bytes: Bytes<'_>) -> Result<IString, ValueError> {
    IString::new(bytes.0.into_owned())
}

/// `atom`, as an [`Atom`].
pub(super) fn atom<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Atom, E> {
    let (r, bytes) = grammar::atom(i)?;
    validated(i, r, Atom::new(ascii(bytes)), "atom")
}

/// `mailbox = "INBOX" / astring`
pub(super) fn mailbox<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Mailbox, E> {
    let (r, name) = ctx("mailbox", i, astring(i))?;
    validated(i, r, Mailbox::new(name.as_bytes()), "mailbox")
}

/// `list-mailbox = 1*list-char / string`
pub(super) fn list_mailbox<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, ListMailbox, E> {
    ctx("list-mailbox", i, list_mailbox_inner(i))
}

fn list_mailbox_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, ListMailbox, E> {
    let (r, bytes) = match i.first() {
        Some(b'"' | b'{') => string(i)?,
        _ => match span(i, is_list_char) {
            0 => return fail(i, "list-mailbox (1*list-char / string)"),
            n => (&i[n..], i[..n].to_vec()),
        },
    };
    validated(i, r, ListMailbox::new(bytes), "list-mailbox")
}

/// `flag`, without `\Recent` (RFC 3501 §2.3.2: clients cannot set it).
pub(super) fn flag<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Flag, E> {
    let (r, parsed) = grammar::flag(i)?;
    let value = match parsed {
        grammar::Flag::Answered => Ok(Flag::Answered),
        grammar::Flag::Flagged => Ok(Flag::Flagged),
        grammar::Flag::Deleted => Ok(Flag::Deleted),
        grammar::Flag::Seen => Ok(Flag::Seen),
        grammar::Flag::Draft => Ok(Flag::Draft),
        grammar::Flag::Keyword(name) => Flag::keyword(ascii(name.as_bytes())),
        grammar::Flag::Extension(name) => Flag::system(ascii(name.as_bytes())),
        grammar::Flag::Recent | grammar::Flag::Wildcard => Err(ValueError::RecentFlag),
    };
    validated(i, r, value, "flag (\\Recent cannot be set by a client)")
}

/// `flag-list = "(" [flag *(SP flag)] ")"`
pub(super) fn flag_list<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Flag>, E> {
    ctx("flag-list", i, paren_list(i, true, flag))
}

/// `"(" item *(SP item) ")"`, or `"(" ")"` too when `allow_empty`.
pub(super) fn paren_list<'a, T, E: GrammarError<'a>>(
    i: &'a [u8],
    allow_empty: bool,
    item: impl FnMut(&'a [u8]) -> PResult<'a, T, E>,
) -> PResult<'a, Vec<T>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    grammar::list_rest(r, allow_empty, Vec::new(), item)
}

/// [`paren_list`] that must hold at least one item.
pub(super) fn paren_list1<'a, T, E: GrammarError<'a>>(
    i: &'a [u8],
    item: impl FnMut(&'a [u8]) -> PResult<'a, T, E>,
) -> PResult<'a, NonEmpty<T>, E> {
    let (r, items) = paren_list(i, false, item)?;
    validated(i, r, NonEmpty::new(items), "non-empty list")
}

/// `sequence-set`, as a validated [`SequenceSet`].
pub(super) fn sequence_set<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SequenceSet, E> {
    let (r, parsed) = grammar::sequence_set(i)?;
    let items: Result<Vec<SeqItem>, ValueError> = parsed
        .0
        .iter()
        .map(|item| match *item {
            grammar::SeqItem::Single(n) => Ok(SeqItem::Single(seq_number(n)?)),
            grammar::SeqItem::Range(a, b) => Ok(SeqItem::Range(seq_number(a)?, seq_number(b)?)),
        })
        .collect();
    validated(i, r, items.and_then(SequenceSet::new), "sequence-set")
}

fn seq_number(n: grammar::SeqNumber) -> Result<SeqNumber, ValueError> {
    match n {
        grammar::SeqNumber::Value(v) => SeqNumber::new(v),
        grammar::SeqNumber::Largest => Ok(SeqNumber::Largest),
    }
}

/// `date = date-text / DQUOTE date-text DQUOTE`, checked against the calendar.
pub(super) fn date<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Date, E> {
    let (r, d) = grammar::date(i)?;
    let value = Date::new(d.year, d.month, d.day);
    ctx(
        "date",
        i,
        validated(i, r, value, "date (a day of the calendar)"),
    )
}

/// `date-time`, checked against the calendar. The zone's sign is read from the wire bytes
/// (six before the end: `-hhmm"`) because `-0000` and `+0000` differ (RFC 5322 §3.3).
pub(super) fn date_time<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, DateTime, E> {
    let (r, dt) = grammar::date_time(i)?;
    let consumed = &i[..i.len() - r.len()];
    let west = consumed.len() >= 6 && consumed[consumed.len() - 6] == b'-';
    let offset = dt.zone_minutes.unsigned_abs();
    let value = Date::new(dt.year, dt.month, dt.day).and_then(|date| {
        let out_of_range = ValueError::Time {
            reason: "zone offset",
        };
        let hours = u8::try_from(offset / 60).map_err(|_| out_of_range.clone())?;
        let minutes = u8::try_from(offset % 60).map_err(|_| out_of_range)?;
        let zone = Zone::new(west, hours, minutes)?;
        DateTime::new(date, (dt.hour, dt.minute, dt.second), zone)
    });
    ctx(
        "date-time",
        i,
        validated(i, r, value, "date-time (a valid calendar time)"),
    )
}

/// Reads a keyword-like token (letters, digits, `.` and `-`), for dispatching on names such
/// as `BODY.PEEK` or `HEADER.FIELDS.NOT` that stop at `[`, SP or `(`.
pub(super) fn token(i: &[u8]) -> (&[u8], &[u8]) {
    let n = span(i, |b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    (&i[n..], &i[..n])
}
