//! Server responses (RFC 3501 §7, §9): AST, parser, encoder.
//!
//! [`parse_response`] takes one complete frame as the framer yields it (the line with
//! its CRLF, every literal embedded) and parses it with the zero-cost error; only a
//! frame that fails is parsed again to build a located [`ParseError`].

pub mod ast;
mod ast_fetch;
mod body;
mod encode;
mod encode_ext;
mod encode_fetch;
pub use encode_fetch::msg_att_bytes;
mod envelope;
mod extension;
mod fetch;
mod mailbox_data;
mod status;
pub mod strategy;

#[cfg(test)]
mod tests;

pub use ast::*;

use crate::wire::diag::{DiagError, ParseError, parse_complete};

use crate::wire::grammar::{
    GrammarError, Key, PResult, Sender, atom, crlf, ctx, fail, flag_list, id_params_list, mailbox,
    number, sp, tag,
};

use status::{capabilities, capability_list, cond_state, resp_text, status_kind};

/// Deepest nesting of parentheses followed in bodies, body extensions, threads and
/// extension values. Real messages stay far below it; hostile input cannot exhaust the
/// stack.
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses one complete response frame; trailing bytes are an error.
pub fn parse_response(frame: &[u8]) -> Result<Response<'_>, ParseError> {
    parse_complete(frame, response::<()>, response::<DiagError>)
}

/// [`parse_response`] for a connection that enabled IMAP4rev2 (RFC 9051 Appendix A):
/// quoted strings and response text may also hold UTF-8.
pub fn parse_response_utf8(frame: &[u8]) -> Result<Response<'_>, ParseError> {
    crate::wire::grammar::utf8::with_utf8(|| parse_response(frame))
}

/// Parses the server greeting: `greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF`.
pub fn parse_greeting(frame: &[u8]) -> Result<Greeting<'_>, ParseError> {
    parse_complete(frame, status::greeting::<()>, status::greeting::<DiagError>)
}

/// `continue-req / response-data / response-tagged`, dispatched on the first byte.
fn response<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Response<'a>, E> {
    match i.first() {
        Some(b'+') => {
            let (r, c) = ctx("continue-req", i, status::continue_req(i))?;
            let (r, ()) = ctx("continue-req", i, crlf(r))?;
            Ok((r, Response::Continue(c)))
        }
        Some(b'*') => {
            ctx("response-data", i, response_data(i)).map(|(r, d)| (r, Response::Data(d)))
        }
        _ => ctx("response-tagged", i, response_tagged(i)).map(|(r, t)| (r, Response::Tagged(t))),
    }
}

/// `response-tagged = tag SP resp-cond-state CRLF`
fn response_tagged<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Tagged<'a>, E> {
    let (r, t) = tag(i)?;
    let (r, ()) = sp(r)?;
    let (after, word) = atom(r)?;
    let Some(kind) = status_kind(Key::new(word).as_bytes()) else {
        return ctx("resp-cond-state", r, fail(r, "\"OK\" or \"NO\" or \"BAD\""));
    };
    let (after, status) = ctx("resp-cond-state", r, cond_state(after, kind))?;
    let (after, ()) = crlf(after)?;
    Ok((
        after,
        Tagged {
            tag: Bytes::borrowed(t),
            status,
        },
    ))
}

/// `response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data /
/// message-data / capability-data) CRLF`, plus the extension responses.
fn response_data<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Data<'a>, E> {
    let (r, ()) = crate::wire::grammar::byte(i, b'*', "\"*\"")?;
    let (r, ()) = sp(r)?;
    let (r, data) = match r.first() {
        Some(c) if c.is_ascii_digit() => numbered_data(r)?,
        _ => keyword_data(r)?,
    };
    let (r, ()) = crlf(r)?;
    Ok((r, data))
}

/// `number SP "EXISTS" / number SP "RECENT"` (mailbox-data) and `nz-number SP
/// ("EXPUNGE" / ("FETCH" SP msg-att))` (message-data).
fn numbered_data<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Data<'a>, E> {
    let (r, n) = number(i)?;
    let (r, ()) = sp(r)?;
    let (after, word) = atom(r)?;
    let nonzero = |rule| {
        if n == 0 {
            ctx(
                rule,
                i,
                fail(i, "nz-number (message sequence numbers start at 1)"),
            )
        } else {
            Ok((i, ()))
        }
    };
    match Key::new(word).as_bytes() {
        b"EXISTS" => Ok((after, Data::Exists(n))),
        b"RECENT" => Ok((after, Data::Recent(n))),
        b"EXPUNGE" => {
            nonzero("message-data")?;
            Ok((after, Data::Expunge(n)))
        }
        b"FETCH" => {
            nonzero("message-data")?;
            let (after, ()) = sp(after)?;
            let (after, atts) = ctx("message-data", i, fetch::msg_att(after))?;
            Ok((after, Data::Fetch { seq: n, atts }))
        }
        _ => fail(r, "\"EXISTS\" or \"RECENT\" or \"EXPUNGE\" or \"FETCH\""),
    }
}

/// Untagged data that starts with a keyword; unknown keywords become [`Data::Extension`].
fn keyword_data<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Data<'a>, E> {
    let (r, word) = atom(i)?;
    let key = Key::new(word);
    if let Some(kind) = status_kind(key.as_bytes()) {
        return ctx("resp-cond-state", i, cond_state(r, kind)).map(|(r, s)| (r, Data::Status(s)));
    }
    match key.as_bytes() {
        b"BYE" => {
            let (r, ()) = sp(r)?;
            ctx("resp-cond-bye", i, resp_text(r)).map(|(r, t)| (r, Data::Bye(t)))
        }
        b"CAPABILITY" => capabilities(r).map(|(r, c)| (r, Data::Capability(c))),
        b"PREAUTH" => fail(
            i,
            "resp-cond-state or resp-cond-bye (PREAUTH is only a greeting)",
        ),
        b"FLAGS" | b"LIST" | b"LSUB" | b"SEARCH" | b"STATUS" => {
            ctx("mailbox-data", i, mailbox_data(r, key))
        }
        b"ENABLED" => ctx("enable-data", i, capability_list(r)).map(|(r, c)| (r, Data::Enabled(c))),
        _ => extension_data(r, key, word),
    }
}

/// `mailbox-data` after its keyword.
fn mailbox_data<'a, E: GrammarError<'a>>(i: &'a [u8], key: Key) -> PResult<'a, Data<'a>, E> {
    if key.as_bytes() == b"SEARCH" {
        let (r, (numbers, modseq)) = mailbox_data::search_numbers(i)?;
        return Ok((r, Data::Search { numbers, modseq }));
    }
    let (r, ()) = sp(i)?;
    match key.as_bytes() {
        b"FLAGS" => flag_list(r, false).map(|(r, f)| (r, Data::Flags(f))),
        b"LIST" => mailbox_data::mailbox_list(r).map(|(r, l)| (r, Data::List(l))),
        b"LSUB" => mailbox_data::mailbox_list(r).map(|(r, l)| (r, Data::Lsub(l))),
        _ => {
            let (r, mailbox) = mailbox(r)?;
            let (r, ()) = sp(r)?;
            let (r, items) = mailbox_data::status_att_list(r)?;
            Ok((r, Data::MailboxStatus { mailbox, items }))
        }
    }
}

/// The typed extension responses, and the raw fallback for unknown keywords.
fn extension_data<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    key: Key,
    word: &'a [u8],
) -> PResult<'a, Data<'a>, E> {
    match key.as_bytes() {
        b"NAMESPACE" => {
            let (r, ()) = sp(i)?;
            ctx("namespace-response", i, extension::namespaces(r))
                .map(|(r, n)| (r, Data::Namespace(n)))
        }
        b"ID" => {
            let (r, ()) = sp(i)?;
            ctx("id-response", i, id_params_list(r, Sender::Server)).map(|(r, p)| (r, Data::Id(p)))
        }
        b"ESEARCH" => extension::esearch(i).map(|(r, e)| (r, Data::Esearch(e))),
        b"SORT" => ctx("sort-data", i, mailbox_data::search_numbers(i))
            .map(|(r, (numbers, modseq))| (r, Data::Sort { numbers, modseq })),
        b"THREAD" => {
            ctx("thread-data", i, extension::threads(i)).map(|(r, t)| (r, Data::Thread(t)))
        }
        b"VANISHED" => ctx("vanished-response", i, extension::vanished(i))
            .map(|(r, (earlier, uids))| (r, Data::Vanished { earlier, uids })),
        _ => Ok(raw_extension(i, word)),
    }
}

/// Everything up to the frame's final CRLF, kept as sent.
fn raw_extension<'a>(i: &'a [u8], word: &'a [u8]) -> (&'a [u8], Data<'a>) {
    let name = Bytes::borrowed(word);
    let Some(body) = i.strip_prefix(b" ") else {
        return (i, Data::Extension { name, rest: None });
    };
    let end = if body.ends_with(b"\r\n") {
        body.len() - 2
    } else {
        body.len()
    };
    (
        &body[end..],
        Data::Extension {
            name,
            rest: Some(Bytes::borrowed(&body[..end])),
        },
    )
}
