//! `fetch` with `fetch-att` and `section`, `store` with `store-att-flags`, and `status-att`.

use std::num::NonZeroU32;

use super::primitives::{astring, flag, flag_list, paren_list1, sequence_set, token, validated};
use crate::wire::command::ast::{CommandBody, Fetch, Store, StoreMode};
use crate::wire::command::fetch::{FetchAtt, FetchItems, StatusAtt};
use crate::wire::command::section::{Partial, Section, SectionMsgtext, SectionPart, SectionText};
use crate::wire::command::values::{ModSeq, ModSeqValzer, NonEmpty};
use crate::wire::grammar::{
    GrammarError, Key, PResult, after_sp, byte, ctx, fail, keyword, mod_sequence_value, number,
    nz_number, sp,
};

/// `fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
/// "(" fetch-att *(SP fetch-att) ")") [SP "(" "CHANGEDSINCE" SP mod-sequence-value ")"]`
pub(super) fn fetch<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, set) = sequence_set(r)?;
    let (r, ()) = sp(r)?;
    let (mut r, items) = fetch_items(r)?;
    let mut changed_since = None;
    if let Some(after) = after_sp(r) {
        let (after, value) = ctx(
            "fetch-modifiers",
            after,
            modifier(after, b"CHANGEDSINCE", "\"CHANGEDSINCE\""),
        )?;
        (r, changed_since) = validated(
            after,
            after,
            ModSeq::new(value).map(Some),
            "mod-sequence-value (not 0)",
        )?;
    }
    Ok((
        r,
        CommandBody::Fetch(Fetch {
            uid,
            set,
            items,
            changed_since,
        }),
    ))
}

/// `"(" name SP mod-sequence-value ")"`, the one CONDSTORE modifier we model per command.
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

/// `section-binary = "[" [section-part] "]"`
fn section_binary<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Option<SectionPart>, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    if let Some(r) = r.strip_prefix(b"]") {
        return Ok((r, None));
    }
    let (r, (part, dot)) = section_part(r)?;
    if dot {
        return fail(r, "\"]\"");
    }
    let (r, ()) = byte(r, b']', "\"]\"")?;
    Ok((r, Some(part)))
}

/// `section = "[" [section-spec] "]"`
fn section<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Section, E> {
    ctx("section", i, section_inner(i))
}

fn section_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Section, E> {
    let (r, ()) = byte(i, b'[', "\"[\"")?;
    let (r, section) = match r.first() {
        Some(b']') => (r, Section::Full),
        Some(b'1'..=b'9') => {
            let (r, (part, dot)) = section_part(r)?;
            if dot {
                let (r, text) = section_text(r)?;
                (r, Section::PartText(part, text))
            } else {
                (r, Section::Part(part))
            }
        }
        _ => section_msgtext(r).map(|(r, t)| (r, Section::Msgtext(t)))?,
    };
    let (r, ()) = byte(r, b']', "\"]\"")?;
    Ok((r, section))
}

/// `section-part = nz-number *("." nz-number)`; also says whether a `.` followed that is
/// not part of it (the start of a `section-text`).
fn section_part<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, (SectionPart, bool), E> {
    let mut numbers = Vec::new();
    let mut r = i;
    loop {
        let (after, n) = ctx("section-part", r, nz_number(r))?;
        numbers.push(n);
        match after {
            [b'.', digit, ..] if digit.is_ascii_digit() => r = &after[1..],
            [b'.', rest @ ..] => return part_of(i, rest, numbers, true),
            _ => return part_of(i, after, numbers, false),
        }
    }
}

fn part_of<'a, E: GrammarError<'a>>(
    start: &'a [u8],
    rest: &'a [u8],
    numbers: Vec<u32>,
    dot: bool,
) -> PResult<'a, (SectionPart, bool), E> {
    let numbers: Option<Vec<NonZeroU32>> = numbers.into_iter().map(NonZeroU32::new).collect();
    let part = NonEmpty::new(numbers.unwrap_or_default()).map(|n| (SectionPart(n), dot));
    validated(start, rest, part, "section-part")
}

/// `section-text = section-msgtext / "MIME"`
fn section_text<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SectionText, E> {
    let (r, name) = token(i);
    if Key::new(name).as_bytes() == b"MIME" {
        return Ok((r, SectionText::Mime));
    }
    section_msgtext(i).map(|(r, t)| (r, SectionText::Msgtext(t)))
}

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`
fn section_msgtext<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SectionMsgtext, E> {
    let (r, name) = token(i);
    let not = match Key::new(name).as_bytes() {
        b"HEADER" => return Ok((r, SectionMsgtext::Header)),
        b"TEXT" => return Ok((r, SectionMsgtext::Text)),
        b"HEADER.FIELDS" => false,
        b"HEADER.FIELDS.NOT" => true,
        _ => {
            return fail(
                i,
                "section-msgtext (HEADER / HEADER.FIELDS [.NOT] / TEXT) or MIME",
            );
        }
    };
    let (r, ()) = sp(r)?;
    // header-list = "(" header-fld-name *(SP header-fld-name) ")"
    let (r, fields) = ctx("header-list", r, paren_list1(r, astring))?;
    Ok((r, SectionMsgtext::HeaderFields { not, fields }))
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
