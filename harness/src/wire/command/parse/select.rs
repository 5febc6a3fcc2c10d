//! `select` / `examine` with `select-params` (RFC 4466 §2.1): CONDSTORE's `CONDSTORE` and
//! QRESYNC's `QRESYNC (…)` (RFC 7162 §7). Other parameter names are not ours to judge and do
//! not parse.

use std::num::NonZeroU32;

use super::primitives::{mailbox, sequence_set, token, validated};
use crate::wire::command::ast::{Qresync, Select};
use crate::wire::command::error::ValueError;
use crate::wire::command::sequence::{SeqItem, SeqNumber, SequenceSet};
use crate::wire::command::values::ModSeq;
use crate::wire::grammar::{
    GrammarError, Key, PResult, after_sp, byte, ctx, fail, mod_sequence_value, nz_number, sp,
};

/// `SP mailbox [SP "(" select-param *(SP select-param) ")"]`
pub(super) fn select<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Select, E> {
    let (r, ()) = sp(i)?;
    let (r, mailbox) = mailbox(r)?;
    let mut select = Select::plain(mailbox);
    let Some(after) = after_sp(r) else {
        return Ok((r, select));
    };
    let (mut r, ()) = byte(after, b'(', "\"(\"")?;
    loop {
        r = ctx("select-param", r, param(r, &mut select))?.0;
        match r.split_first() {
            Some((b')', rest)) => return Ok((rest, select)),
            Some((b' ', rest)) => r = rest,
            _ => return fail(r, "SP or \")\""),
        }
    }
}

/// One `select-param`, recorded in `select`; a repeated one does not parse.
fn param<'a, E: GrammarError<'a>>(i: &'a [u8], select: &mut Select) -> PResult<'a, (), E> {
    let (r, name) = token(i);
    match Key::new(name).as_bytes() {
        b"CONDSTORE" if !select.condstore => {
            select.condstore = true;
            Ok((r, ()))
        }
        b"QRESYNC" if select.qresync.is_none() => {
            let (r, ()) = sp(r)?;
            let (r, q) = ctx("qresync-param", r, qresync(r))?;
            select.qresync = Some(q);
            Ok((r, ()))
        }
        _ => fail(i, "\"CONDSTORE\" or \"QRESYNC\" (each once)"),
    }
}

/// `"(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"`
fn qresync<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Qresync, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (after, uv) = nz_number(r)?;
    let (after, uid_validity) = validated(
        r,
        after,
        NonZeroU32::new(uv).ok_or(ValueError::Zero),
        "nz-number",
    )?;
    let (r, ()) = sp(after)?;
    let (after, value) = mod_sequence_value(r)?;
    let (mut r, mod_seq) = validated(r, after, ModSeq::new(value), "mod-sequence-value (not 0)")?;
    let mut known_uids = None;
    if let Some(after) = after_sp(r)
        && after.first() != Some(&b'(')
    {
        let (rest, uids) = known_set(after)?;
        (r, known_uids) = (rest, Some(uids));
    }
    let mut seq_match = None;
    if let Some(after) = after_sp(r) {
        let (rest, pair) = ctx("seq-match-data", after, seq_match_data(after))?;
        (r, seq_match) = (rest, Some(pair));
    }
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((
        r,
        Qresync {
            uid_validity,
            mod_seq,
            known_uids,
            seq_match,
        },
    ))
}

/// `"(" known-sequence-set SP known-uid-set ")"`
fn seq_match_data<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, (SequenceSet, SequenceSet), E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, seqs) = known_set(r)?;
    let (r, ()) = sp(r)?;
    let (r, uids) = known_set(r)?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, (seqs, uids)))
}

/// A `sequence-set` in which `*` is not allowed (RFC 7162 §7, `known-uids`).
fn known_set<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SequenceSet, E> {
    let (r, set) = sequence_set(i)?;
    let star = set.items().iter().any(|item| match *item {
        SeqItem::Single(n) => n == SeqNumber::Largest,
        SeqItem::Range(a, b) => a == SeqNumber::Largest || b == SeqNumber::Largest,
    });
    if star {
        return fail(i, "sequence-set without \"*\"");
    }
    Ok((r, set))
}
