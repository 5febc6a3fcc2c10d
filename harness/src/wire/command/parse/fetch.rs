//! `fetch` with `fetch-att` (its `section` is the grammar's), `store` with `store-att-flags`,
//! and `status-att`.

use std::num::NonZeroU32;

use super::primitives::{flag, flag_list, paren_list1, sequence_set, token, validated};
use crate::wire::command::ast::{CommandBody, Fetch, Store, StoreMode};
use crate::wire::command::fetch::{FetchAtt, FetchItems, StatusAtt};
use crate::wire::command::section::{Partial, Section, SectionPart};
use crate::wire::command::values::{ModSeq, ModSeqValzer};
use crate::wire::grammar::{
    self, GrammarError, Key, PResult, Sender, after_sp, byte, ctx, fail, keyword,
    mod_sequence_value, number, nz_number, sp,
};

/// `fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
/// "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]`, the modifiers being CONDSTORE's
/// `CHANGEDSINCE mod-sequence-value` and QRESYNC's `VANISHED` (RFC 7162 §3.1.4.1, §3.2.6).
pub(super) fn fetch<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, set) = sequence_set(r)?;
    let (r, ()) = sp(r)?;
    let (mut r, items) = fetch_items(r)?;
    let mut fetch = Fetch {
        uid,
        set,
        items,
        changed_since: None,
        vanished: false,
    };
    if let Some(after) = after_sp(r) {
        r = ctx("fetch-modifiers", after, fetch_modifiers(after, &mut fetch))?.0;
    }
    Ok((r, CommandBody::Fetch(fetch)))
}

/// `"(" fetch-modifier *(SP fetch-modifier) ")"`, each at most once; VANISHED only in a UID
/// FETCH that also has CHANGEDSINCE (anything else is a BAD, RFC 7162 §3.2.6).
fn fetch_modifiers<'a, E: GrammarError<'a>>(i: &'a [u8], fetch: &mut Fetch) -> PResult<'a, (), E> {
    let (mut r, ()) = byte(i, b'(', "\"(\"")?;
    loop {
        let (rest, name) = token(r);
        r = match Key::new(name).as_bytes() {
            b"CHANGEDSINCE" if fetch.changed_since.is_none() => {
                let (rest, ()) = sp(rest)?;
                let (after, value) = mod_sequence_value(rest)?;
                let (after, v) = validated(
                    rest,
                    after,
                    ModSeq::new(value),
                    "mod-sequence-value (not 0)",
                )?;
                fetch.changed_since = Some(v);
                after
            }
            b"VANISHED" if !fetch.vanished => {
                fetch.vanished = true;
                rest
            }
            _ => return fail(r, "\"CHANGEDSINCE\" or \"VANISHED\" (each once)"),
        };
        match r.split_first() {
            Some((b')', rest)) => r = rest,
            Some((b' ', rest)) => {
                r = rest;
                continue;
            }
            _ => return fail(r, "SP or \")\""),
        }
        if fetch.vanished && !(fetch.uid && fetch.changed_since.is_some()) {
            return fail(i, "VANISHED only with UID FETCH and CHANGEDSINCE");
        }
        return Ok((r, ()));
    }
}

/// `"(" name SP mod-sequence-value ")"`, STORE's one CONDSTORE modifier.
fn modifier<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    name: &'static [u8],
    label: &'static str,
) -> PResult<'a, u64, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, ()) = keyword(r, name, label)?;
    let (r, ()) = sp(r)?;
    let (r, value) = mod_sequence_value(r)?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, value))
}

fn fetch_items<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, FetchItems, E> {
    if i.first() == Some(&b'(') {
        return paren_list1(i, fetch_att).map(|(r, atts)| (r, FetchItems::List(atts)));
    }
    let (r, name) = token(i);
    match Key::new(name).as_bytes() {
        b"ALL" => Ok((r, FetchItems::All)),
        b"FAST" => Ok((r, FetchItems::Fast)),
        b"FULL" => Ok((r, FetchItems::Full)),
        _ => fetch_att(i).map(|(r, att)| (r, FetchItems::Single(att))),
    }
}

/// `fetch-att`
fn fetch_att<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, FetchAtt, E> {
    ctx("fetch-att", i, fetch_att_inner(i))
}

fn fetch_att_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, FetchAtt, E> {
    use FetchAtt as F;
    let (r, name) = token(i);
    let simple = match Key::new(name).as_bytes() {
        b"ENVELOPE" => F::Envelope,
        b"FLAGS" => F::Flags,
        b"INTERNALDATE" => F::InternalDate,
        b"RFC822" => F::Rfc822,
        b"RFC822.HEADER" => F::Rfc822Header,
        b"RFC822.SIZE" => F::Rfc822Size,
        b"RFC822.TEXT" => F::Rfc822Text,
        b"BODYSTRUCTURE" => F::BodyStructure,
        b"UID" => F::Uid,
        b"MODSEQ" => F::ModSeq,
        b"PREVIEW" => F::Preview,
        b"SAVEDATE" => F::SaveDate,
        b"EMAILID" => F::EmailId,
        b"THREADID" => F::ThreadId,
        b"BODY" if r.first() != Some(&b'[') => F::Body,
        b"BODY" | b"BODY.PEEK" => return body_section(r, name.len() > 4),
        b"BINARY" | b"BINARY.PEEK" => return binary(r, name.len() > 6),
        b"BINARY.SIZE" => {
            let (r, part) = section_binary(r)?;
            return Ok((r, F::BinarySize { part }));
        }
        _ => return fail(i, "fetch-att"),
    };
    Ok((r, simple))
}

/// `"BODY" section ["<" number "." nz-number ">"]` (or `BODY.PEEK`), after the name.
fn body_section<'a, E: GrammarError<'a>>(i: &'a [u8], peek: bool) -> PResult<'a, FetchAtt, E> {
    let (r, section) = section(i)?;
    let (r, partial) = partial(r)?;
    Ok((
        r,
        FetchAtt::BodySection {
            peek,
            section,
            partial,
        },
    ))
}

/// `"BINARY" [".PEEK"] section-binary [partial]` (RFC 3516), after the name.
fn binary<'a, E: GrammarError<'a>>(i: &'a [u8], peek: bool) -> PResult<'a, FetchAtt, E> {
    let (r, part) = section_binary(i)?;
    let (r, partial) = partial(r)?;
    Ok((
        r,
        FetchAtt::Binary {
            peek,
            part,
            partial,
        },
    ))
}

/// `section-binary = "[" [section-part] "]"`, as an optional [`SectionPart`].
fn section_binary<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<SectionPart>, E> {
    let (r, numbers) = grammar::section_binary(i)?;
    let part = match numbers.as_slice() {
        [] => Ok(None),
        numbers => SectionPart::from_numbers(numbers).map(Some),
    };
    validated(i, r, part, "section-part")
}

/// `section = "[" [section-spec] "]"`, as a [`Section`].
fn section<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Section, E> {
    let (r, parsed) = grammar::section(i, Sender::Client)?;
    validated(i, r, Section::from_grammar(parsed), "section")
}

/// `["<" number "." nz-number ">"]`
fn partial<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<Partial>, E> {
    let Some(r) = i.strip_prefix(b"<") else {
        return Ok((i, None));
    };
    let (r, offset) = number(r)?;
    let (r, ()) = byte(r, b'.', "\".\"")?;
    let (r, length) = nz_number(r)?;
    let (r, ()) = byte(r, b'>', "\">\"")?;
    match NonZeroU32::new(length) {
        Some(length) => Ok((r, Some(Partial { offset, length }))),
        None => fail(i, "nz-number"),
    }
}

/// `store = "STORE" SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"]
/// SP store-att-flags`
pub(super) fn store<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, set) = sequence_set(r)?;
    let (mut r, ()) = sp(r)?;
    let mut unchanged_since = None;
    if r.first() == Some(&b'(') {
        let (after, value) = ctx(
            "store-modifiers",
            r,
            modifier(r, b"UNCHANGEDSINCE", "\"UNCHANGEDSINCE\""),
        )?;
        let (after, value) = validated(r, after, ModSeqValzer::new(value), "mod-sequence-valzer")?;
        (r, ()) = sp(after)?;
        unchanged_since = Some(value);
    }
    let (r, (mode, silent, flags)) = ctx("store-att-flags", r, store_att_flags(r))?;
    Ok((
        r,
        CommandBody::Store(Store {
            uid,
            set,
            unchanged_since,
            mode,
            silent,
            flags,
        }),
    ))
}

type StoreAttFlags = (StoreMode, bool, Vec<crate::wire::command::flag::Flag>);

/// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`
fn store_att_flags<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, StoreAttFlags, E> {
    let (r, mode) = match i.first() {
        Some(b'+') => (&i[1..], StoreMode::Add),
        Some(b'-') => (&i[1..], StoreMode::Remove),
        _ => (i, StoreMode::Replace),
    };
    let (r, name) = token(r);
    let silent = match Key::new(name).as_bytes() {
        b"FLAGS" => false,
        b"FLAGS.SILENT" => true,
        _ => return fail(i, "[\"+\" / \"-\"] \"FLAGS\" [\".SILENT\"]"),
    };
    let (r, ()) = sp(r)?;
    if r.first() == Some(&b'(') {
        return flag_list(r).map(|(r, flags)| (r, (mode, silent, flags)));
    }
    let mut flags = Vec::new();
    let mut r = r;
    loop {
        let (after, f) = flag(r)?;
        flags.push(f);
        match after_sp(after) {
            Some(next) => r = next,
            None => return Ok((after, (mode, silent, flags))),
        }
    }
}

/// `status-att`, with the extension items of CONDSTORE, STATUS=SIZE, APPENDLIMIT, OBJECTID.
pub(super) fn status_att<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, StatusAtt, E> {
    let (r, name) = token(i);
    let att = match Key::new(name).as_bytes() {
        b"MESSAGES" => StatusAtt::Messages,
        b"RECENT" => StatusAtt::Recent,
        b"UIDNEXT" => StatusAtt::UidNext,
        b"UIDVALIDITY" => StatusAtt::UidValidity,
        b"UNSEEN" => StatusAtt::Unseen,
        b"HIGHESTMODSEQ" => StatusAtt::HighestModSeq,
        b"SIZE" => StatusAtt::Size,
        b"APPENDLIMIT" => StatusAtt::AppendLimit,
        b"MAILBOXID" => StatusAtt::MailboxId,
        _ => return fail(i, "status-att"),
    };
    Ok((r, att))
}
