//! Parsers of the extension commands of `extension.rs`: SORT, THREAD, GETMETADATA.

use super::primitives::{ascii, astring, atom, mailbox, paren_list1, token, validated};
use super::search::search_program;
use crate::wire::command::ast::CommandBody;
use crate::wire::command::extension::{
    GetMetadata, MetadataDepth, Sort, SortCriterion, SortKey, Thread,
};
use crate::wire::command::search::SearchKey;
use crate::wire::command::values::{Charset, NonEmpty};
use crate::wire::grammar::{self, GrammarError, Key, PResult, ctx, fail, number, sp};

/// `sort = ["UID" SP] "SORT" SP sort-criteria SP search-criteria` (RFC 5256)
pub(super) fn sort<'a, E: GrammarError<'a>>(i: &'a [u8], uid: bool) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, criteria) = ctx("sort-criteria", r, paren_list1(r, sort_criterion))?;
    let (r, ()) = sp(r)?;
    let (r, (charset, search)) = search_criteria(r)?;
    Ok((
        r,
        CommandBody::Sort(Sort {
            uid,
            criteria,
            charset,
            search,
        }),
    ))
}

/// `sort-criterion = ["REVERSE" SP] sort-key`
fn sort_criterion<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SortCriterion, E> {
    let (mut r, mut name) = token(i);
    let reverse = Key::new(name).as_bytes() == b"REVERSE";
    if reverse {
        let (after, ()) = sp(r)?;
        (r, name) = token(after);
    }
    let key = match Key::new(name).as_bytes() {
        b"ARRIVAL" => SortKey::Arrival,
        b"CC" => SortKey::Cc,
        b"DATE" => SortKey::Date,
        b"FROM" => SortKey::From,
        b"SIZE" => SortKey::Size,
        b"SUBJECT" => SortKey::Subject,
        b"TO" => SortKey::To,
        _ => return fail(i, "sort-key"),
    };
    Ok((r, SortCriterion { reverse, key }))
}

/// `thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria` (RFC 5256)
pub(super) fn thread<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, algorithm) = ctx("thread-alg", r, atom(r))?;
    let (r, ()) = sp(r)?;
    let (r, (charset, search)) = search_criteria(r)?;
    Ok((
        r,
        CommandBody::Thread(Thread {
            uid,
            algorithm,
            charset,
            search,
        }),
    ))
}

/// `search-criteria = charset 1*(SP search-key)` ; `charset = atom / quoted`
fn search_criteria<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, (Charset, NonEmpty<SearchKey>), E> {
    let (r, name) = match i.first() {
        Some(b'"') => grammar::quoted(i).map(|(r, q)| (r, ascii(q.as_bytes())))?,
        _ => grammar::atom(i).map(|(r, a)| (r, ascii(a)))?,
    };
    let (r, charset) = ctx("charset", i, validated(i, r, Charset::new(name), "charset"))?;
    let (r, ()) = sp(r)?;
    let (r, keys) = search_program(r)?;
    Ok((r, (charset, keys)))
}

/// `getmetadata = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries` (RFC 5464)
pub(super) fn get_metadata<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (mut r, ()) = sp(i)?;
    let (mut max_size, mut depth) = (None, None);
    if r.first() == Some(&b'(') {
        let (after, options) = ctx("getmetadata-options", r, paren_list1(r, metadata_option))?;
        for option in options.as_slice() {
            match *option {
                MetadataOption::MaxSize(n) => max_size = Some(n),
                MetadataOption::Depth(d) => depth = Some(d),
            }
        }
        (r, ()) = sp(after)?;
    }
    let (r, mailbox) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (r, entries) = match r.first() {
        Some(b'(') => ctx("entries", r, paren_list1(r, astring))?,
        _ => ctx("entry", r, astring(r)).map(|(r, e)| (r, NonEmpty::one(e)))?,
    };
    Ok((
        r,
        CommandBody::GetMetadata(GetMetadata {
            max_size,
            depth,
            mailbox,
            entries,
        }),
    ))
}

enum MetadataOption {
    MaxSize(u32),
    Depth(MetadataDepth),
}

/// `getmetadata-option = "MAXSIZE" SP number / "DEPTH" SP ("0" / "1" / "infinity")`
fn metadata_option<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, MetadataOption, E> {
    let (r, name) = token(i);
    let (r, ()) = sp(r)?;
    match Key::new(name).as_bytes() {
        b"MAXSIZE" => number(r).map(|(r, n)| (r, MetadataOption::MaxSize(n))),
        b"DEPTH" => {
            let (after, value) = token(r);
            let depth = match Key::new(value).as_bytes() {
                b"0" => MetadataDepth::Zero,
                b"1" => MetadataDepth::One,
                b"INFINITY" => MetadataDepth::Infinity,
                _ => return fail(r, "\"0\" / \"1\" / \"infinity\""),
            };
            Ok((after, MetadataOption::Depth(depth)))
        }
        _ => fail(i, "getmetadata-option (MAXSIZE / DEPTH)"),
    }
}
