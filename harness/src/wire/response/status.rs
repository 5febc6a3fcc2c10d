//! Status responses: `resp-cond-*`, `resp-text`, `resp-text-code`, `continue-req`,
//! `capability-data`, `greeting`.

use crate::wire::grammar::chars::{is_base64_char, is_text_char, span};
use crate::wire::grammar::{
    Bytes, GrammarError, Key, PResult, after_sp, astring, atom, byte, ctx, fail, flag_list,
    list_rest, mod_sequence_value, nz_number, sequence_set, sp, text, uid_set,
};

use super::ast::{Code, ContinueReq, Greeting, GreetingKind, RespText, StatusKind, StatusResponse};

/// `resp-text = ["[" resp-text-code "]" SP] text`
///
/// A text that starts with `[` must be a response code: RFC 3501 §7.1 reserves the
/// bracket for codes, and treating `[UIDVALIDITY 1]` as plain text would hide the very
/// errors a conformance harness exists to find.
pub(crate) fn resp_text<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, RespText<'a>, E> {
    ctx("resp-text", i, resp_text_inner(i))
}

fn resp_text_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, RespText<'a>, E> {
    let Some(after_bracket) = i.strip_prefix(b"[") else {
        let (rest, t) = text(i)?;
        return Ok((
            rest,
            RespText {
                code: None,
                text: Bytes::borrowed(t),
            },
        ));
    };
    let (rest, code) = resp_text_code(after_bracket)?;
    let (rest, ()) = byte(rest, b']', "\"]\"")?;
    let (rest, ()) = match after_sp(rest) {
        Some(r) => (r, ()),
        None => {
            return fail(
                rest,
                "SP text after \"]\" (RFC 3501 requires it; RFC 9051 made it optional)",
            );
        }
    };
    let (rest, t) = text(rest)?;
    Ok((
        rest,
        RespText {
            code: Some(code),
            text: Bytes::borrowed(t),
        },
    ))
}

/// `resp-text-code`
///
/// Codes with a known name are held to their typed rule (`[UIDNEXT 0]` is an error even
/// though the generic `atom [SP ...]` alternative would swallow it): a server sending a
/// known code with a broken argument has a bug worth reporting.
pub(crate) fn resp_text_code<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    ctx("resp-text-code", i, code_inner(i))
}

fn code_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    let (rest, name) = atom(i)?;
    let code = match Key::new(name).as_bytes() {
        b"ALERT" => Code::Alert,
        b"PARSE" => Code::Parse,
        b"READ-ONLY" => Code::ReadOnly,
        b"READ-WRITE" => Code::ReadWrite,
        b"TRYCREATE" => Code::TryCreate,
        b"UIDNOTSTICKY" => Code::UidNotSticky,
        b"NOMODSEQ" => Code::NoModSeq,
        b"CLOSED" => Code::Closed,
        b"BADCHARSET" => return badcharset(rest),
        b"CAPABILITY" => return capabilities(rest).map(|(r, c)| (r, Code::Capability(c))),
        b"PERMANENTFLAGS" => {
            let (r, ()) = sp(rest)?;
            return flag_list(r, true).map(|(r, f)| (r, Code::PermanentFlags(f)));
        }
        b"UIDNEXT" => return sp_nz(rest, "UIDNEXT").map(|(r, n)| (r, Code::UidNext(n))),
        b"UIDVALIDITY" => {
            return sp_nz(rest, "UIDVALIDITY").map(|(r, n)| (r, Code::UidValidity(n)));
        }
        b"UNSEEN" => return sp_nz(rest, "UNSEEN").map(|(r, n)| (r, Code::Unseen(n))),
        b"APPENDUID" => return append_uid(rest),
        b"COPYUID" => return copy_uid(rest),
        b"HIGHESTMODSEQ" => {
            let (r, ()) = sp(rest)?;
            return mod_sequence_value(r).map(|(r, n)| (r, Code::HighestModSeq(n)));
        }
        b"MODIFIED" => {
            let (r, ()) = sp(rest)?;
            return sequence_set(r).map(|(r, s)| (r, Code::Modified(s)));
        }
        _ => return other_code(rest, name),
    };
    Ok((rest, code))
}

/// `SP nz-number`, labelled with the code that carries it.
fn sp_nz<'a, E: GrammarError<'a>>(i: &'a [u8], code: &'static str) -> PResult<'a, u32, E> {
    let (r, ()) = sp(i)?;
    ctx(code, r, nz_number(r))
}

/// `"BADCHARSET" [SP "(" astring *(SP astring) ")" ]`
fn badcharset<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    let Some(r) = after_sp(i) else {
        return Ok((i, Code::BadCharset(Vec::new())));
    };
    let (r, ()) = byte(r, b'(', "\"(\"")?;
    list_rest(r, false, Vec::new(), astring).map(|(r, charsets)| (r, Code::BadCharset(charsets)))
}

/// `"APPENDUID" SP nz-number SP append-uid`
fn append_uid<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    let (r, uidvalidity) = sp_nz(i, "APPENDUID")?;
    let (r, ()) = sp(r)?;
    let (r, uids) = ctx("append-uid", r, uid_set(r))?;
    Ok((r, Code::AppendUid { uidvalidity, uids }))
}

/// `"COPYUID" SP nz-number SP uid-set SP uid-set`
fn copy_uid<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    let (r, uidvalidity) = sp_nz(i, "COPYUID")?;
    let (r, ()) = sp(r)?;
    let (r, source) = uid_set(r)?;
    let (r, ()) = sp(r)?;
    let (r, destination) = uid_set(r)?;
    Ok((
        r,
        Code::CopyUid {
            uidvalidity,
            source,
            destination,
        },
    ))
}

/// `atom [SP 1*<any TEXT-CHAR except "]">]`
fn other_code<'a, E: GrammarError<'a>>(i: &'a [u8], name: &'a [u8]) -> PResult<'a, Code<'a>, E> {
    let name = Bytes::borrowed(name);
    let Some(r) = after_sp(i) else {
        return Ok((i, Code::Other { name, text: None }));
    };
    let n = span(r, |c| is_text_char(c) && c != b']');
    if n == 0 {
        return fail(r, "1*<any TEXT-CHAR except \"]\">");
    }
    Ok((
        &r[n..],
        Code::Other {
            name,
            text: Some(Bytes::borrowed(&r[..n])),
        },
    ))
}

/// `*(SP capability) SP "IMAP4rev1" *(SP capability)`, after the word CAPABILITY.
pub(crate) fn capabilities<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (rest, caps) = ctx("capability-data", i, capability_list(i))?;
    if !caps
        .iter()
        .any(|c| c.as_bytes().eq_ignore_ascii_case(b"IMAP4rev1"))
    {
        return ctx(
            "capability-data",
            i,
            fail(rest, "SP \"IMAP4rev1\" (capability-data must list it)"),
        );
    }
    Ok((rest, caps))
}

/// `*(SP capability)` ; `capability = ("AUTH=" auth-type) / atom`
pub(crate) fn capability_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let mut caps = Vec::with_capacity(16);
    let mut rest = i;
    while let Some(r) = after_sp(rest) {
        let (r, cap) = ctx("capability", r, atom(r))?;
        caps.push(Bytes::borrowed(cap));
        rest = r;
    }
    Ok((rest, caps))
}

/// `resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text`, after the keyword.
pub(crate) fn cond_state<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    kind: StatusKind,
) -> PResult<'a, StatusResponse<'a>, E> {
    let (r, ()) = sp(i)?;
    let (r, text) = resp_text(r)?;
    Ok((r, StatusResponse { kind, text }))
}

/// Maps a status keyword to its kind.
pub(crate) fn status_kind(key: &[u8]) -> Option<StatusKind> {
    match key {
        b"OK" => Some(StatusKind::Ok),
        b"NO" => Some(StatusKind::No),
        b"BAD" => Some(StatusKind::Bad),
        _ => None,
    }
}

/// `greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF`
pub(crate) fn greeting<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Greeting<'a>, E> {
    ctx("greeting", i, greeting_inner(i))
}

fn greeting_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Greeting<'a>, E> {
    let (r, ()) = byte(i, b'*', "\"*\"")?;
    let (r, ()) = sp(r)?;
    let (after, word) = atom(r)?;
    let kind = match Key::new(word).as_bytes() {
        b"OK" => GreetingKind::Ok,
        b"PREAUTH" => GreetingKind::PreAuth,
        b"BYE" => GreetingKind::Bye,
        _ => return fail(r, "\"OK\" or \"PREAUTH\" or \"BYE\""),
    };
    let (after, ()) = sp(after)?;
    let (after, text) = resp_text(after)?;
    let (after, ()) = crate::wire::grammar::crlf(after)?;
    Ok((after, Greeting { kind, text }))
}

/// `continue-req = "+" SP (resp-text / base64) CRLF`, without the CRLF.
pub(crate) fn continue_req<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, ContinueReq<'a>, E> {
    let (r, ()) = byte(i, b'+', "\"+\"")?;
    let Some(r) = after_sp(r) else {
        return fail(r, "SP (continue-req = \"+\" SP (resp-text / base64))");
    };
    let b64 = base64_len(r);
    if r.get(b64) == Some(&b'\r') && b64.is_multiple_of(4) {
        return Ok((&r[b64..], ContinueReq::Base64(Bytes::borrowed(&r[..b64]))));
    }
    resp_text(r).map(|(r, t)| (r, ContinueReq::Text(t)))
}

/// Length of the `base64` prefix of `i`: `*(4base64-char) [base64-terminal]`, checked
/// loosely (characters and padding position); the caller checks the length.
fn base64_len(i: &[u8]) -> usize {
    let chars = span(i, is_base64_char);
    let pad = i[chars..]
        .iter()
        .take(2)
        .take_while(|&&c| c == b'=')
        .count();
    chars + pad
}
