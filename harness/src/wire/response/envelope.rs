//! `envelope` and `address`.

use crate::wire::grammar::{GrammarError, PResult, byte, ctx, fail, is_nil, nstring, sp};

use super::ast::{Address, Envelope};

/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
/// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`
pub(crate) fn envelope<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Envelope<'a>, E> {
    ctx("envelope", i, envelope_inner(i))
}

fn envelope_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Envelope<'a>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, date) = ctx("env-date", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, subject) = ctx("env-subject", r, nstring(r))?;
    let (r, from) = sp_addresses(r, "env-from")?;
    let (r, sender) = sp_addresses(r, "env-sender")?;
    let (r, reply_to) = sp_addresses(r, "env-reply-to")?;
    let (r, to) = sp_addresses(r, "env-to")?;
    let (r, cc) = sp_addresses(r, "env-cc")?;
    let (r, bcc) = sp_addresses(r, "env-bcc")?;
    let (r, ()) = sp(r)?;
    let (r, in_reply_to) = ctx("env-in-reply-to", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, message_id) = ctx("env-message-id", r, nstring(r))?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    let env = Envelope {
        date,
        subject,
        from,
        sender,
        reply_to,
        to,
        cc,
        bcc,
        in_reply_to,
        message_id,
    };
    Ok((r, env))
}

/// `SP ("(" 1*address ")" / nil)`, labelled with the envelope field's rule.
fn sp_addresses<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    rule: &'static str,
) -> PResult<'a, Vec<Address<'a>>, E> {
    let (r, ()) = sp(i)?;
    ctx(rule, r, address_list(r))
}

/// `"(" 1*address ")" / nil`; NIL is the empty list.
fn address_list<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Address<'a>>, E> {
    if is_nil(i) {
        return Ok((&i[3..], Vec::new()));
    }
    let (mut r, ()) = byte(i, b'(', "\"(\" or NIL")?;
    let mut list = Vec::with_capacity(1);
    loop {
        let (next, a) = address(r)?;
        list.push(a);
        r = next;
        match r.first() {
            Some(b'(') => {}
            Some(b')') => return Ok((&r[1..], list)),
            // Addresses follow each other with no separator; a SP here is a common bug.
            _ => return fail(r, "address or \")\" (1*address has no separator)"),
        }
    }
}

/// `address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`
fn address<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Address<'a>, E> {
    ctx("address", i, address_inner(i))
}

fn address_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Address<'a>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, name) = ctx("addr-name", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, adl) = ctx("addr-adl", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, mailbox) = ctx("addr-mailbox", r, nstring(r))?;
    let (r, ()) = sp(r)?;
    let (r, host) = ctx("addr-host", r, nstring(r))?;
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((
        r,
        Address {
            name,
            adl,
            mailbox,
            host,
        },
    ))
}
