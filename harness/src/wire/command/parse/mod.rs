//! The strict command parser: one complete frame (the line with its CRLF, literals inline)
//! into a [`Command`]. Functions are named after the RFC 3501 §9 rules they parse and are
//! generic over the nom error: `()` on the fast path, [`DiagError`] to explain a failure.

mod commands;
mod extension;
mod fetch;
mod primitives;
mod search;
mod select;

use super::ast::{Command, CommandBody};
use super::auth::{AuthenticateData, IdleDone};
use super::values::Tag;
use crate::wire::diag::{DiagError, ParseError, parse_complete};
use crate::wire::grammar::{self, GrammarError, Key, PResult, crlf, ctx, fail, keyword, sp};
use primitives::{ascii, validated};

/// Parses one command frame: `command = tag SP (command-any / command-auth /
/// command-nonauth / command-select) CRLF`.
pub fn parse_command(frame: &[u8]) -> Result<Command, ParseError> {
    parse_complete(frame, command::<()>, command::<DiagError>)
}

/// Parses a client line answering an AUTHENTICATE continuation: `base64 CRLF` or `"*" CRLF`
/// (RFC 3501 §6.2.2).
pub fn parse_authenticate_data(line: &[u8]) -> Result<AuthenticateData, ParseError> {
    parse_complete(
        line,
        commands::authenticate_data::<()>,
        commands::authenticate_data::<DiagError>,
    )
}

/// Parses the line that ends IDLE: `"DONE" CRLF` (RFC 2177).
pub fn parse_idle_done(line: &[u8]) -> Result<IdleDone, ParseError> {
    parse_complete(line, idle_done::<()>, idle_done::<DiagError>)
}

fn idle_done<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, IdleDone, E> {
    let (r, ()) = ctx("idle", i, keyword(i, b"DONE", "\"DONE\""))?;
    let (r, ()) = crlf(r)?;
    Ok((r, IdleDone))
}

/// `command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF`
fn command<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Command, E> {
    ctx("command", i, command_inner(i))
}

fn command_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Command, E> {
    let (r, raw_tag) = grammar::tag(i)?;
    let (r, tag) = validated(i, r, Tag::new(ascii(raw_tag)), "tag")?;
    let (r, ()) = sp(r)?;
    let (r, body) = command_body(r)?;
    let (r, ()) = crlf(r)?;
    Ok((r, Command { tag, body }))
}

/// Dispatches on the command name (case-insensitive, RFC 3501 §9 note 1).
fn command_body<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, CommandBody, E> {
    let (r, name) = grammar::atom(i)?;
    let key = Key::new(name);
    if let Some(body) = command_any(key.as_bytes()) {
        return Ok((r, body));
    }
    match key.as_bytes() {
        b"STARTTLS" => Ok((r, CommandBody::StartTls)),
        b"AUTHENTICATE" => ctx("authenticate", i, commands::authenticate(r)),
        b"LOGIN" => ctx("login", i, commands::login(r)),
        b"UID" => ctx("uid", i, commands::uid(r)),
        b"SEARCH" => ctx("search", i, search::search(r, false)),
        b"FETCH" => ctx("fetch", i, fetch::fetch(r, false)),
        b"STORE" => ctx("store", i, fetch::store(r, false)),
        b"COPY" => ctx("copy", i, commands::copy(r, false)),
        b"MOVE" => ctx("move", i, commands::move_(r, false)),
        b"SORT" => ctx("sort", i, extension::sort(r, false)),
        b"THREAD" => ctx("thread", i, extension::thread(r, false)),
        b"GETMETADATA" => ctx("getmetadata", i, extension::get_metadata(r)),
        _ => commands::command_auth(i, r, key.as_bytes()),
    }
}

/// The commands without arguments, from every group.
fn command_any(name: &[u8]) -> Option<CommandBody> {
    Some(match name {
        b"CAPABILITY" => CommandBody::Capability,
        b"LOGOUT" => CommandBody::Logout,
        b"NOOP" => CommandBody::Noop,
        b"CHECK" => CommandBody::Check,
        b"CLOSE" => CommandBody::Close,
        b"EXPUNGE" => CommandBody::Expunge,
        b"IDLE" => CommandBody::Idle,
        b"UNSELECT" => CommandBody::Unselect,
        b"NAMESPACE" => CommandBody::Namespace,
        _ => return None,
    })
}

/// The failure for a name no command has.
fn unknown_command<'a, T, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, T, E> {
    fail(
        i,
        "command-any / command-auth / command-nonauth / command-select (a known command name)",
    )
}
