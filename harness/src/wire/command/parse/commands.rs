//! The commands of `command-nonauth`, `command-auth` and the small extension commands.

use super::fetch::{fetch, status_att, store};
use super::primitives::{
    astring, atom, date_time, flag_list, istring, list_mailbox, mailbox, paren_list, paren_list1,
    sequence_set, token, validated,
};
use super::search::search;
use super::select::select;
use super::unknown_command;
use crate::wire::command::ast::{
    Append, CommandBody, Experimental, List, ListReturnOpt, ListSelectOpt,
};
use crate::wire::command::auth::{AuthenticateData, Base64, InitialResponse};
use crate::wire::command::error::ValueError;
use crate::wire::command::values::{Atom, LiteralData, NonEmpty};
use crate::wire::grammar::chars::{is_base64_char, span};
use crate::wire::grammar::{
    self, GrammarError, Key, PResult, Sender, after_sp, crlf, ctx, fail, keyword, literal_from, sp,
};

/// `authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]` (SASL-IR, RFC 4959);
/// the `*(CRLF base64)` lines of RFC 3501 are separate client lines.
pub(super) fn authenticate<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, mechanism) = ctx("auth-type", r, atom(r))?;
    let Some(after) = after_sp(r) else {
        return Ok((
            r,
            CommandBody::Authenticate {
                mechanism,
                initial_response: None,
            },
        ));
    };
    let (r, initial) = match after.strip_prefix(b"=") {
        Some(rest)
            if !rest
                .first()
                .is_some_and(|&b| is_base64_char(b) || b == b'=') =>
        {
            (rest, InitialResponse::Empty)
        }
        _ => {
            let (r, data) = base64(after)?;
            validated(
                after,
                r,
                InitialResponse::data(data),
                "base64 (non-empty) or \"=\"",
            )?
        }
    };
    Ok((
        r,
        CommandBody::Authenticate {
            mechanism,
            initial_response: Some(initial),
        },
    ))
}

/// `base64 = *(4base64-char) [base64-terminal]`
fn base64<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Base64, E> {
    let n = span(i, |b| is_base64_char(b) || b == b'=');
    let text: String = i[..n].iter().map(|&b| char::from(b)).collect();
    ctx(
        "base64",
        i,
        validated(i, &i[n..], Base64::new(text), "base64"),
    )
}

/// A client line during AUTHENTICATE: `base64 CRLF` or `"*" CRLF` to cancel.
pub(super) fn authenticate_data<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, AuthenticateData, E> {
    if let Some(rest) = i.strip_prefix(b"*") {
        let (r, ()) = crlf(rest)?;
        return Ok((r, AuthenticateData::Cancel));
    }
    let (r, data) = base64(i)?;
    let (r, ()) = crlf(r)?;
    Ok((r, AuthenticateData::Data(data)))
}

/// `login = "LOGIN" SP userid SP password`
pub(super) fn login<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, username) = ctx("userid", r, astring(r))?;
    let (r, ()) = sp(r)?;
    let (r, password) = ctx("password", r, astring(r))?;
    Ok((r, CommandBody::Login { username, password }))
}

/// `uid = "UID" SP (copy / fetch / search / store)`, plus UIDPLUS's `EXPUNGE` and MOVE.
pub(super) fn uid<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (after, name) = crate::wire::grammar::atom(r)?;
    match Key::new(name).as_bytes() {
        b"COPY" => ctx("copy", r, copy(after, true)),
        b"MOVE" => ctx("move", r, move_(after, true)),
        b"FETCH" => ctx("fetch", r, fetch(after, true)),
        b"SEARCH" => ctx("search", r, search(after, true)),
        b"STORE" => ctx("store", r, store(after, true)),
        b"SORT" => ctx("sort", r, super::extension::sort(after, true)),
        b"THREAD" => ctx("thread", r, super::extension::thread(after, true)),
        b"EXPUNGE" => {
            let (after, ()) = sp(after)?;
            let (after, set) = sequence_set(after)?;
            Ok((after, CommandBody::UidExpunge(set)))
        }
        _ => fail(
            r,
            "\"COPY\" / \"FETCH\" / \"SEARCH\" / \"STORE\" / \"EXPUNGE\" / \"MOVE\" / \"SORT\" / \"THREAD\"",
        ),
    }
}

/// `copy = "COPY" SP sequence-set SP mailbox`
pub(super) fn copy<'a, E: GrammarError<'a>>(i: &'a [u8], uid: bool) -> PResult<'a, CommandBody, E> {
    let (r, (set, mailbox)) = set_and_mailbox(i)?;
    Ok((r, CommandBody::Copy { uid, set, mailbox }))
}

/// `move = "MOVE" SP sequence-set SP mailbox` (RFC 6851)
pub(super) fn move_<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody, E> {
    let (r, (set, mailbox)) = set_and_mailbox(i)?;
    Ok((r, CommandBody::Move { uid, set, mailbox }))
}

type SetAndMailbox = (
    crate::wire::command::sequence::SequenceSet,
    crate::wire::command::mailbox::Mailbox,
);

fn set_and_mailbox<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, SetAndMailbox, E> {
    let (r, ()) = sp(i)?;
    let (r, set) = sequence_set(r)?;
    let (r, ()) = sp(r)?;
    let (r, mailbox) = mailbox(r)?;
    Ok((r, (set, mailbox)))
}

/// `command-auth` and the extension commands with arguments; `start` is the command name.
pub(super) fn command_auth<'a, E: GrammarError<'a>>(
    start: &'a [u8],
    i: &'a [u8],
    name: &[u8],
) -> PResult<'a, CommandBody, E> {
    let one = |rule, make: fn(_) -> CommandBody| {
        let (r, ()) = sp(i)?;
        ctx(rule, start, mailbox(r)).map(|(r, m)| (r, make(m)))
    };
    match name {
        b"SELECT" => ctx("select", start, select(i)).map(|(r, s)| (r, CommandBody::Select(s))),
        b"EXAMINE" => ctx("examine", start, select(i)).map(|(r, s)| (r, CommandBody::Examine(s))),
        b"CREATE" => one("create", CommandBody::Create),
        b"DELETE" => one("delete", CommandBody::Delete),
        b"SUBSCRIBE" => one("subscribe", CommandBody::Subscribe),
        b"UNSUBSCRIBE" => one("unsubscribe", CommandBody::Unsubscribe),
        b"GETACL" => one("getacl", CommandBody::GetAcl),
        b"MYRIGHTS" => one("myrights", CommandBody::MyRights),
        b"GETQUOTAROOT" => one("getquotaroot", CommandBody::GetQuotaRoot),
        b"GETQUOTA" => {
            let (r, ()) = sp(i)?;
            ctx("getquota", start, astring(r)).map(|(r, root)| (r, CommandBody::GetQuota(root)))
        }
        b"RENAME" => ctx("rename", start, rename(i)),
        b"LIST" => ctx("list", start, list(i)),
        b"LSUB" => ctx("lsub", start, lsub(i)),
        b"STATUS" => ctx("status", start, status(i)),
        b"APPEND" => ctx("append", start, append(i)),
        b"ENABLE" => ctx("enable", start, enable(i)),
        b"ID" => ctx("id", start, id(i)),
        [b'X', ..] => ctx("x-command", start, x_command(start, i)),
        _ => unknown_command(start),
    }
}

/// `rename = "RENAME" SP mailbox SP mailbox`
fn rename<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, from) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (r, to) = mailbox(r)?;
    Ok((r, CommandBody::Rename { from, to }))
}

/// `list = "LIST" [SP list-select-opts] SP mailbox SP list-mailbox [SP list-return-opts]`
/// (RFC 5258; one pattern, not the parenthesized pattern list).
fn list<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (mut r, ()) = sp(i)?;
    let mut selection = Vec::new();
    if r.first() == Some(&b'(') {
        let (after, opts) = ctx("list-select-opts", r, paren_list(r, true, select_opt))?;
        if !ListSelectOpt::is_valid_combination(&opts) {
            return ctx(
                "list-select-opts",
                r,
                fail(
                    r,
                    "a base option (SUBSCRIBED / SPECIAL-USE) with RECURSIVEMATCH",
                ),
            );
        }
        (r, ()) = sp(after)?;
        selection = opts;
    }
    let (r, reference) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (mut r, pattern) = list_mailbox(r)?;
    let mut return_opts = Vec::new();
    if let Some(after) = after_sp(r) {
        let (after, ()) = keyword(after, b"RETURN", "\"RETURN\"")?;
        let (after, ()) = sp(after)?;
        (r, return_opts) = ctx(
            "list-return-opts",
            after,
            paren_list(after, true, return_opt),
        )?;
    }
    Ok((
        r,
        CommandBody::List(List {
            selection,
            reference,
            pattern,
            return_opts,
        }),
    ))
}

fn select_opt<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, ListSelectOpt, E> {
    let (r, name) = token(i);
    let opt = match Key::new(name).as_bytes() {
        b"SUBSCRIBED" => ListSelectOpt::Subscribed,
        b"REMOTE" => ListSelectOpt::Remote,
        b"RECURSIVEMATCH" => ListSelectOpt::RecursiveMatch,
        b"SPECIAL-USE" => ListSelectOpt::SpecialUse,
        _ => return fail(i, "list-select-opt"),
    };
    Ok((r, opt))
}

fn return_opt<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, ListReturnOpt, E> {
    let (r, name) = token(i);
    let opt = match Key::new(name).as_bytes() {
        b"SUBSCRIBED" => ListReturnOpt::Subscribed,
        b"CHILDREN" => ListReturnOpt::Children,
        b"SPECIAL-USE" => ListReturnOpt::SpecialUse,
        b"STATUS" => {
            let (r, ()) = sp(r)?;
            let (r, items) = paren_list1(r, status_att)?;
            return Ok((r, ListReturnOpt::Status(items)));
        }
        _ => return fail(i, "return-option"),
    };
    Ok((r, opt))
}

/// `lsub = "LSUB" SP mailbox SP list-mailbox`
fn lsub<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, reference) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (r, pattern) = list_mailbox(r)?;
    Ok((r, CommandBody::Lsub { reference, pattern }))
}

/// `status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"`
fn status<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, mailbox) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (r, items) = paren_list1(r, status_att)?;
    Ok((r, CommandBody::Status { mailbox, items }))
}

/// `append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal`
fn append<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (r, mailbox) = mailbox(r)?;
    let (mut r, ()) = sp(r)?;
    let mut flags = Vec::new();
    if r.first() == Some(&b'(') {
        (r, flags) = flag_list(r)?;
        (r, ()) = sp(r)?;
    }
    let mut date = None;
    if r.first() == Some(&b'"') {
        let (after, value) = date_time(r)?;
        (r, ()) = sp(after)?;
        date = Some(value);
    }
    let (r, data) = literal_from(r, Sender::Client)?;
    let (r, message) = validated(r, r, LiteralData::new(data), "literal")?;
    Ok((
        r,
        CommandBody::Append(Append {
            mailbox,
            flags,
            date,
            message,
        }),
    ))
}

/// `enable = "ENABLE" 1*(SP capability)` (RFC 5161)
fn enable<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (mut r, ()) = sp(i)?;
    let mut capabilities = Vec::new();
    loop {
        let (after, capability) = ctx("capability", r, atom(r))?;
        capabilities.push(capability);
        match after_sp(after) {
            Some(next) => r = next,
            None => {
                return validated(
                    i,
                    after,
                    NonEmpty::new(capabilities).map(CommandBody::Enable),
                    "capability",
                );
            }
        }
    }
}

/// `id = "ID" SP id-params-list` (RFC 2971)
fn id<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, ()) = sp(i)?;
    let (rest, params) = grammar::id_params_list(r, Sender::Client)?;
    let params = params.map(|list| {
        list.into_iter()
            .map(|(field, value)| Ok((istring(field)?, value.map(istring).transpose()?)))
            .collect::<Result<Vec<_>, ValueError>>()
    });
    validated(
        r,
        rest,
        params.transpose().map(CommandBody::Id),
        "id-params-list",
    )
}

/// `x-command = "X" atom <experimental command arguments>`: the arguments are the rest of
/// the line, kept raw.
fn x_command<'a, E: GrammarError<'a>>(start: &'a [u8], i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let name_len = start.len() - i.len();
    let name = Atom::new(super::primitives::ascii(&start[..name_len]));
    let line_end = memchr::memmem::find(i, b"\r\n").unwrap_or(i.len());
    let arguments = match after_sp(i) {
        Some(args) => &args[..line_end.saturating_sub(1)],
        None => &i[..0],
    };
    let consumed = if arguments.is_empty() {
        0
    } else {
        arguments.len() + 1
    };
    let value = name.and_then(|name| Experimental::new(name, arguments));
    validated(
        start,
        &i[consumed..],
        value.map(CommandBody::Experimental),
        "x-command arguments",
    )
}
