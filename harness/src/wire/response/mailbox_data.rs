//! `mailbox-data`: FLAGS, LIST, LSUB, SEARCH, STATUS (with their extensions).

use crate::wire::grammar::chars::is_quoted_char;
use crate::wire::grammar::{
    Bytes, GrammarError, Key, PResult, after_sp, astring, atom, byte, ctx, fail, is_nil, list_rest,
    mailbox, mod_sequence_value, nil, number, nz_number, sp,
};

use super::ast::{ListExtItem, ListFlag, MailboxList, StatusItem};
use super::extension::tagged_ext_val;

/// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
/// [SP mbox-list-extended]`
pub(crate) fn mailbox_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, MailboxList<'a>, E> {
    ctx("mailbox-list", i, mailbox_list_inner(i))
}

fn mailbox_list_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MailboxList<'a>, E> {
    let (r, flags) = mbx_list_flags(i)?;
    let (r, ()) = sp(r)?;
    let (r, delimiter) = delimiter(r)?;
    let (r, ()) = sp(r)?;
    let (r, mailbox) = mailbox(r)?;
    let (r, extended) = match after_sp(r) {
        Some(ext) => {
            let (r, items) = ctx("mbox-list-extended", ext, list_extended(ext))?;
            (r, Some(items))
        }
        None => (r, None),
    };
    Ok((
        r,
        MailboxList {
            flags,
            delimiter,
            mailbox,
            extended,
        },
    ))
}

/// `"(" [mbx-list-flags] ")"`; at most one `mbx-list-sflag`.
fn mbx_list_flags<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<ListFlag<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let mut sflag_seen = false;
    list_rest(r, true, Vec::new(), |start| {
        let (next, ()) = byte(
            start,
            b'\\',
            "mbx-list-oflag or mbx-list-sflag (\"\\\" atom)",
        )?;
        let (next, name) = ctx("flag-extension", start, atom(next))?;
        let flag = list_flag(name);
        if matches!(
            flag,
            ListFlag::Noselect | ListFlag::Marked | ListFlag::Unmarked
        ) {
            if sflag_seen {
                return ctx(
                    "mbx-list-flags",
                    i,
                    fail(
                        start,
                        "at most one mbx-list-sflag (\\Noselect / \\Marked / \\Unmarked)",
                    ),
                );
            }
            sflag_seen = true;
        }
        Ok((next, flag))
    })
}

fn list_flag(name: &[u8]) -> ListFlag<'_> {
    match Key::new(name).as_bytes() {
        b"NOINFERIORS" => ListFlag::Noinferiors,
        b"NOSELECT" => ListFlag::Noselect,
        b"MARKED" => ListFlag::Marked,
        b"UNMARKED" => ListFlag::Unmarked,
        _ => ListFlag::Extension(Bytes::borrowed(name)),
    }
}

/// `DQUOTE QUOTED-CHAR DQUOTE / nil`
pub(crate) fn delimiter<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<u8>, E> {
    match i {
        [b'"', b'\\', c @ (b'"' | b'\\'), b'"', rest @ ..] => Ok((rest, Some(*c))),
        [b'"', c, b'"', rest @ ..] if is_quoted_char(*c) => Ok((rest, Some(*c))),
        _ if is_nil(i) => Ok((&i[3..], None)),
        _ => fail(i, "hierarchy delimiter (DQUOTE QUOTED-CHAR DQUOTE / nil)"),
    }
}

/// `mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"`
fn list_extended<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<ListExtItem<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, true, Vec::new(), |r| {
        let (r, tag) = ctx("mbox-list-extended-item-tag", r, astring(r))?;
        let (r, ()) = sp(r)?;
        let (r, value) = tagged_ext_val(r)?;
        Ok((r, ListExtItem { tag, value }))
    })
}

/// `*(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"]`, after SEARCH or SORT.
pub(crate) fn search_numbers<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, (Vec<u32>, Option<u64>), E> {
    let mut numbers = Vec::new();
    let mut r = i;
    while let Some(next) = after_sp(r) {
        if next.first() == Some(&b'(') {
            let (next, modseq) = ctx("search-sort-mod-seq", next, search_modseq(next))?;
            return Ok((next, (numbers, Some(modseq))));
        }
        let (next, n) = nz_number(next)?;
        numbers.push(n);
        r = next;
    }
    Ok((r, (numbers, None)))
}

/// `"(" "MODSEQ" SP mod-sequence-value ")"`
fn search_modseq<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, u64, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, ()) = crate::wire::grammar::keyword(r, b"MODSEQ", "\"MODSEQ\"")?;
    let (r, ()) = sp(r)?;
    let (r, modseq) = mod_sequence_value(r)?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, modseq))
}

/// `"(" [status-att-list] ")"` ; `status-att-list = status-att SP number *(SP status-att
/// SP number)` (items of RFC 7162, 8438, 7889, 8474, 9051 typed)
pub(crate) fn status_att_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, Vec<StatusItem<'a>>, E> {
    ctx("status-att-list", i, status_att_list_inner(i))
}

fn status_att_list_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, Vec<StatusItem<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, true, Vec::with_capacity(5), status_item)
}

/// `status-att SP number` (or the item's own value rule).
fn status_item<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, StatusItem<'a>, E> {
    let (r, name) = ctx("status-att", i, atom(i))?;
    let (r, ()) = sp(r)?;
    let key = Key::new(name);
    let small = |make: fn(u32) -> StatusItem<'a>| number(r).map(|(r, n)| (r, make(n)));
    match key.as_bytes() {
        b"MESSAGES" => small(StatusItem::Messages),
        b"RECENT" => small(StatusItem::Recent),
        b"UIDNEXT" => ctx("UIDNEXT", r, nz_number(r)).map(|(r, n)| (r, StatusItem::UidNext(n))),
        b"UIDVALIDITY" => {
            ctx("UIDVALIDITY", r, nz_number(r)).map(|(r, n)| (r, StatusItem::UidValidity(n)))
        }
        b"UNSEEN" => small(StatusItem::Unseen),
        b"DELETED" => small(StatusItem::Deleted),
        b"HIGHESTMODSEQ" => ctx("HIGHESTMODSEQ", r, mod_sequence_value(r))
            .map(|(r, n)| (r, StatusItem::HighestModSeq(n))),
        b"SIZE" => mod_sequence_value(r).map(|(r, n)| (r, StatusItem::Size(n))),
        b"APPENDLIMIT" if is_nil(r) => nil(r).map(|(r, ())| (r, StatusItem::AppendLimit(None))),
        b"APPENDLIMIT" => mod_sequence_value(r).map(|(r, n)| (r, StatusItem::AppendLimit(Some(n)))),
        b"MAILBOXID" => objectid_paren(r).map(|(r, id)| (r, StatusItem::MailboxId(id))),
        _ => ctx("status-att-val", r, mod_sequence_value(r)).map(|(r, value)| {
            (
                r,
                StatusItem::Other {
                    name: Bytes::borrowed(name),
                    value,
                },
            )
        }),
    }
}

/// `"(" objectid ")"` ; `objectid = 1*255(ALPHA / DIGIT / "_" / "-")` (RFC 8474)
pub(crate) fn objectid_paren<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let n = r
        .iter()
        .take(255)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        .count();
    if n == 0 {
        return fail(r, "objectid");
    }
    let (rest, ()) = byte(&r[n..], b')', "\")\"")?;
    Ok((rest, Bytes::borrowed(&r[..n])))
}
