//! `search` and the `search-key` tree (RFC 3501 §6.4.4), with ESEARCH's `RETURN`,
//! CONDSTORE's `MODSEQ` and WITHIN's `OLDER`/`YOUNGER`.

use std::num::NonZeroU32;

use super::primitives::{
    astring, atom, date, paren_list, paren_list1, sequence_set, token, validated,
};
use crate::wire::command::ast::{CommandBody, Search};
use crate::wire::command::search::{SearchKey, SearchReturnOpt};
use crate::wire::command::values::{Charset, ModSeqValzer, NonEmpty};
use crate::wire::grammar::{
    GrammarError, Key, PResult, after_sp, ctx, fail, mod_sequence_value, number, nz_number, sp,
};

/// Deepest nesting of NOT / OR / parentheses accepted: a bound on recursion, so a hostile
/// frame cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

/// `search = "SEARCH" [search-return-opts] [SP "CHARSET" SP astring] 1*(SP search-key)`
pub(super) fn search<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (mut r, ()) = sp(i)?;
    let mut return_opts = None;
    if starts_with_word(r, b"RETURN") {
        let (after, opts) = ctx("search-return-opts", r, search_return_opts(&r[6..]))?;
        (r, ()) = sp(after)?;
        return_opts = Some(opts);
    }
    let mut charset = None;
    if starts_with_word(r, b"CHARSET") {
        let (after, ()) = sp(&r[7..])?;
        let (after, name) = ctx("charset", after, astring(after))?;
        let (after, value) = validated(
            after,
            after,
            Charset::new(String::from_utf8_lossy(name.as_bytes())),
            "charset (printable US-ASCII)",
        )?;
        (r, ()) = sp(after)?;
        charset = Some(value);
    }
    let (r, criteria) = search_program(r)?;
    Ok((
        r,
        CommandBody::Search(Search {
            uid,
            return_opts,
            charset,
            criteria,
        }),
    ))
}

/// True when `i` starts with `word` (any case) followed by SP.
fn starts_with_word(i: &[u8], word: &[u8]) -> bool {
    i.len() > word.len() && i[..word.len()].eq_ignore_ascii_case(word) && i[word.len()] == b' '
}

/// `search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"`
fn search_return_opts<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, Vec<SearchReturnOpt>, E> {
    let (r, ()) = sp(i)?;
    paren_list(r, true, |i| {
        let (r, name) = token(i);
        let opt = match Key::new(name).as_bytes() {
            b"MIN" => SearchReturnOpt::Min,
            b"MAX" => SearchReturnOpt::Max,
            b"ALL" => SearchReturnOpt::All,
            b"COUNT" => SearchReturnOpt::Count,
            b"SAVE" => SearchReturnOpt::Save,
            _ => return fail(i, "search-return-opt"),
        };
        Ok((r, opt))
    })
}

/// `1*(SP search-key)`, the leading SP already consumed.
pub(super) fn search_program<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, NonEmpty<SearchKey>, E> {
    let mut keys = Vec::new();
    let mut r = i;
    loop {
        let (after, key) = search_key(r, 0)?;
        keys.push(key);
        match after_sp(after) {
            Some(next) => r = next,
            None => return validated(i, after, NonEmpty::new(keys), "search-key"),
        }
    }
}

/// `search-key`
fn search_key<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, SearchKey, E> {
    ctx("search-key", i, search_key_inner(i, depth))
}

fn search_key_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    depth: usize,
) -> PResult<'a, SearchKey, E> {
    if depth > MAX_DEPTH {
        return fail(i, "search-key (nesting deeper than 32)");
    }
    match i.first() {
        Some(b'(') => {
            let (r, keys) = paren_list1(i, |k| search_key(k, depth + 1))?;
            return Ok((r, SearchKey::And(keys)));
        }
        Some(b'0'..=b'9' | b'*') => {
            return sequence_set(i).map(|(r, set)| (r, SearchKey::SequenceSet(set)));
        }
        _ => {}
    }
    let (r, name) = token(i);
    let key = Key::new(name);
    if let Some(key) = bare_key(key.as_bytes()) {
        return Ok((r, key));
    }
    let Some(arg) = after_sp(r) else {
        return fail(i, "search-key");
    };
    keyed(i, key.as_bytes(), arg, depth)
}

/// Keys without arguments.
fn bare_key(name: &[u8]) -> Option<SearchKey> {
    use SearchKey as K;
    Some(match name {
        b"ALL" => K::All,
        b"ANSWERED" => K::Answered,
        b"DELETED" => K::Deleted,
        b"DRAFT" => K::Draft,
        b"FLAGGED" => K::Flagged,
        b"NEW" => K::New,
        b"OLD" => K::Old,
        b"RECENT" => K::Recent,
        b"SEEN" => K::Seen,
        b"UNANSWERED" => K::Unanswered,
        b"UNDELETED" => K::Undeleted,
        b"UNDRAFT" => K::Undraft,
        b"UNFLAGGED" => K::Unflagged,
        b"UNSEEN" => K::Unseen,
        _ => return None,
    })
}

/// Keys with arguments; `arg` is after the key's SP.
fn keyed<'a, E: GrammarError<'a>>(
    start: &'a [u8],
    name: &[u8],
    arg: &'a [u8],
    depth: usize,
) -> PResult<'a, SearchKey, E> {
    use SearchKey as K;
    let text = |make: fn(_) -> K| astring(arg).map(|(r, s)| (r, make(s)));
    let dated = |make: fn(_) -> K| date(arg).map(|(r, d)| (r, make(d)));
    let size = |make: fn(u32) -> K| number(arg).map(|(r, n)| (r, make(n)));
    let within = |make: fn(NonZeroU32) -> K| {
        let (r, n) = nz_number(arg)?;
        validated(
            arg,
            r,
            NonZeroU32::new(n)
                .map(make)
                .ok_or(crate::wire::command::ValueError::Zero),
            "nz-number",
        )
    };
    match name {
        b"BCC" => text(K::Bcc),
        b"BODY" => text(K::Body),
        b"CC" => text(K::Cc),
        b"FROM" => text(K::From),
        b"SUBJECT" => text(K::Subject),
        b"TEXT" => text(K::Text),
        b"TO" => text(K::To),
        b"BEFORE" => dated(K::Before),
        b"ON" => dated(K::On),
        b"SINCE" => dated(K::Since),
        b"SENTBEFORE" => dated(K::SentBefore),
        b"SENTON" => dated(K::SentOn),
        b"SENTSINCE" => dated(K::SentSince),
        b"LARGER" => size(K::Larger),
        b"SMALLER" => size(K::Smaller),
        b"OLDER" => within(K::Older),
        b"YOUNGER" => within(K::Younger),
        b"KEYWORD" => ctx("flag-keyword", arg, atom(arg)).map(|(r, a)| (r, K::Keyword(a))),
        b"UNKEYWORD" => ctx("flag-keyword", arg, atom(arg)).map(|(r, a)| (r, K::Unkeyword(a))),
        b"UID" => sequence_set(arg).map(|(r, s)| (r, K::Uid(s))),
        b"MODSEQ" => modseq(arg),
        b"HEADER" => header(arg),
        b"NOT" => search_key(arg, depth + 1).map(|(r, k)| (r, K::Not(Box::new(k)))),
        b"OR" => or(arg, depth),
        _ => fail(start, "search-key"),
    }
}

/// `"HEADER" SP header-fld-name SP astring`
fn header<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SearchKey, E> {
    let (r, name) = ctx("header-fld-name", i, astring(i))?;
    let (r, ()) = sp(r)?;
    let (r, value) = astring(r)?;
    Ok((r, SearchKey::Header(name, value)))
}

/// `"OR" SP search-key SP search-key`
fn or<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, SearchKey, E> {
    let (r, left) = search_key(i, depth + 1)?;
    let (r, ()) = sp(r)?;
    let (r, right) = search_key(r, depth + 1)?;
    Ok((r, SearchKey::Or(Box::new(left), Box::new(right))))
}

/// `search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer` (RFC 7162),
/// without the entry-name extension.
fn modseq<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SearchKey, E> {
    let (r, value) = ctx("mod-sequence-valzer", i, mod_sequence_value(i))?;
    validated(
        i,
        r,
        ModSeqValzer::new(value).map(SearchKey::ModSeq),
        "mod-sequence-valzer",
    )
}
