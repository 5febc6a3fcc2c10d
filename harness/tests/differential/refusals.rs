//! Why imap-codec refuses a response whose meaning its types could hold.
//!
//! Each rule names one place where imap-codec is stricter than the grammar our parser
//! follows (RFC 3501 §9, and the extension data DESIGN.md §9 says we accept), with the
//! ABNF that allows the input. A refusal no rule explains is a difference nobody has
//! looked at, and fails the tests.

use imapgate::wire::parse_response;
use imapgate::wire::response::{Code, ContinueReq, Data, MsgAtt, Response, StatusItem};

use super::ours::OnlyOurs;

/// Why only our parser accepted `frame`, which it parsed as `ours`: a value imap-codec
/// has no type for (its extension features are off), or a documented refusal.
pub fn why_only_ours(
    frame: &[u8],
    ours: &Result<super::neutral::Resp, OnlyOurs>,
) -> Option<&'static str> {
    match ours {
        Err(OnlyOurs(what)) => Some(what),
        Ok(_) => parse_response(frame).ok().and_then(|r| explain(&r)),
    }
}

/// Why imap-codec refused `r`, if a documented rule explains it.
pub fn explain(r: &Response<'_>) -> Option<&'static str> {
    if let Some(Code::BadCharset(sets)) = code(r)
        && sets.iter().any(|s| needs_literal(s.as_bytes()))
    {
        // `"BADCHARSET" [SP "(" astring *(SP astring) ")" ]`: an astring may be a
        // literal; imap-codec reads a charset as `atom / quoted` only.
        return Some("BADCHARSET with a charset sent as a literal");
    }
    match r {
        Response::Data(Data::Fetch { atts, .. }) => atts.iter().find_map(|a| match a {
            MsgAtt::InternalDate(dt) if !is_chrono_date_time(dt) => Some(
                // `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP
                // time SP zone DQUOTE` with `zone = ("+" / "-") 4DIGIT`: no calendar
                // check, seconds up to 99, zones up to ±99:99. imap-codec builds a
                // chrono value, which needs a real date, second < 60, |zone| < 24 h.
                "INTERNALDATE that is not a calendar date-time with a zone under 24 h",
            ),
            _ => None,
        }),
        // We keep QUOTA data raw for the checker (any syntax passes); imap-codec parses
        // it by RFC 9208, which needs `"(" quota-resource *(SP quota-resource) ")"`
        // (RFC 2087 allowed an empty list, as Cyrus sends).
        Response::Data(Data::Extension { name, .. })
            if name.as_bytes().eq_ignore_ascii_case(b"QUOTA") =>
        {
            Some("QUOTA that is not RFC 9208 syntax (kept raw by imapgate)")
        }
        Response::Data(Data::MailboxStatus { items, .. }) => items.iter().find_map(|i| match i {
            // Extension items (`status-att-val` of RFC 4466 / DESIGN.md §9); imap-codec
            // knows only a fixed list of names.
            StatusItem::Other { .. } => Some("STATUS with an extension item"),
            _ => None,
        }),
        _ => None,
    }
}

/// The response code of a status response or continuation request.
fn code<'r, 'a>(r: &'r Response<'a>) -> Option<&'r Code<'a>> {
    let text = match r {
        Response::Tagged(t) => &t.status.text,
        Response::Data(Data::Status(s)) => &s.text,
        Response::Data(Data::Bye(t)) => t,
        Response::Continue(ContinueReq::Text(t)) => t,
        _ => return None,
    };
    text.code.as_ref()
}

/// True when our encoder (and any sender) must use a literal: a byte that is not a
/// 7-bit TEXT-CHAR.
fn needs_literal(s: &[u8]) -> bool {
    s.iter()
        .any(|&c| c == 0 || c == b'\r' || c == b'\n' || c > 0x7f)
}

/// Whether `dt` names a real instant with an offset chrono accepts.
fn is_chrono_date_time(dt: &imapgate::wire::response::DateTime) -> bool {
    let leap =
        dt.year.is_multiple_of(4) && (!dt.year.is_multiple_of(100) || dt.year.is_multiple_of(400));
    let month_days = match dt.month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=month_days).contains(&dt.day)
        && dt.hour < 24
        && dt.minute < 60
        && dt.second < 60
        && dt.zone_minutes.unsigned_abs() < 24 * 60
}
