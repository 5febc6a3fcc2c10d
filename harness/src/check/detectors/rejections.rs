//! Completions that do not fit the command: BAD for a command the model knows is
//! well-formed and valid in the session's state; NO where the command's Result line allows
//! only OK or BAD; NO instead of BAD for a command with a grammar error.
//!
//! Exempt: commands sent malformed on purpose (`mutation`), commands in the wrong state
//! (BAD or NO are both right then), extension commands whose capability was not
//! advertised, and sequence numbers beyond the mailbox (BAD is what RFC 3501 §9 suggests).

use super::{Ctx, Detector, Out};
use crate::check::requirements::{
    BAD_FOR_SYNTAX_ERRORS, CLOSE_READ_ONLY_SUCCEEDS, GRAMMAR, RESULTS_PER_COMMAND,
    REV2_SEARCH_CHARSETS, UNSUPPORTED_CHARSET_IS_NO,
};
use crate::generate::mutate::Mutation;
use crate::model::assemble::is_base_command;
use crate::model::{Capabilities, ConnState, InFlight};
use crate::wire::command::{CommandBody as C, SearchKey, SeqItem, SeqNumber, SequenceSet};
use crate::wire::response::{StatusKind, Tagged};

const NAME: &str = "rejections";

pub struct Rejections;

impl Detector for Rejections {
    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        if done.mutation.as_deref().is_some_and(breaks_grammar) {
            return;
        }
        // A non-synchronising literal the server did not allow (RFC 7888): any rejection.
        if done.largest_nonsync > 0 && !cx.model.capabilities.allows_nonsync(done.largest_nonsync) {
            return;
        }
        let text = String::from_utf8_lossy(t.status.text.text.as_bytes()).into_owned();
        match (t.status.kind, done.body()) {
            (StatusKind::Bad, Some(body)) => bad_for_valid(cx, done, body, &text, out),
            (StatusKind::No, Some(body)) => no_not_allowed(cx, done, body, &text, out),
            (StatusKind::No, None) => no_for_malformed(cx, done, &text, out),
            _ => {}
        }
    }
}

/// A deliberate malformation: any completion is acceptable. The few mutations that keep the
/// grammar (a reversed range) are judged like any valid command.
fn breaks_grammar(mutation: &str) -> bool {
    Mutation::from_name(mutation).is_none_or(|m| !m.keeps_grammar())
}

fn common_charset(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"US-ASCII") || name.eq_ignore_ascii_case(b"UTF-8")
}

fn bad_for_valid(cx: &Ctx<'_>, done: &InFlight, body: &C, text: &str, out: &mut Out) {
    let caps = &cx.model.capabilities;
    if !valid_in_state(body, done.state_at_send) || !supported(body, caps) {
        return;
    }
    let exists = cx.selection().map_or(0, |s| s.exists());
    if beyond_mailbox(body, exists) || unknown_system_flag(body) {
        return;
    }
    let rev2 = cx
        .view()
        .is_some_and(|v| v.enabled_since("IMAP4REV2").is_some());
    if rev2 && rev1_only(body) {
        return;
    }
    // A charset the server does not support must get NO [BADCHARSET], not BAD. US-ASCII
    // is required and UTF-8 universal: a BAD with those is about something else, unless
    // the connection speaks IMAP4rev2, which names both as required.
    let charset = match body {
        C::Search(s) => s.charset.as_ref().map(|c| c.as_str().as_bytes()),
        _ => None,
    };
    let requirement = match charset {
        Some(c) if !common_charset(c) => UNSUPPORTED_CHARSET_IS_NO,
        Some(_) if rev2 => REV2_SEARCH_CHARSETS,
        _ => GRAMMAR,
    };
    out.push(
        cx.violation(NAME, requirement)
            .expected(format!("OK or NO for the well-formed {}", done.describe()))
            .observed(format!("{} BAD {text}", done.tag))
            .evidence([done.sent_at])
            .because("BAD is for protocol errors, and this command is valid in this state")
            .on_view(cx),
    );
}

fn no_not_allowed(cx: &Ctx<'_>, done: &InFlight, body: &C, text: &str, out: &mut Out) {
    let only_ok_or_bad = matches!(
        body,
        C::Capability | C::Noop | C::Logout | C::Check | C::Close | C::StartTls | C::Unselect
    );
    if !only_ok_or_bad || !valid_in_state(body, done.state_at_send) {
        return;
    }
    let read_only_close = matches!(body, C::Close) && cx.selection().is_some_and(|s| s.read_only);
    let requirement = if read_only_close {
        CLOSE_READ_ONLY_SUCCEEDS
    } else {
        RESULTS_PER_COMMAND
    };
    out.push(
        cx.violation(NAME, requirement)
            .expected(format!("OK (or BAD) for {}", done.describe()))
            .observed(format!("{} NO {text}", done.tag))
            .evidence([done.sent_at])
            .because("this command's Result allows only OK and BAD"),
    );
}

fn no_for_malformed(cx: &Ctx<'_>, done: &InFlight, text: &str, out: &mut Out) {
    let Some(error) = &done.parse_error else {
        return;
    };
    if !is_base_command(&done.name) || error.contains("literals were sent") {
        return;
    }
    // The complaint quotes the command around the point where parsing stopped.
    if names_advertised_extension(error, &cx.model.capabilities) {
        return;
    }
    out.push(
        cx.violation(NAME, BAD_FOR_SYNTAX_ERRORS)
            .expected(format!("BAD for the malformed {}", done.describe()))
            .observed(format!("{} NO {text}", done.tag))
            .evidence([done.sent_at])
            .because(format!(
                "a command with a grammar error should get BAD ({error})"
            )),
    );
}

/// Whether the command (as quoted in the parser's complaint) uses a word that names an
/// advertised capability (APPEND … CATENATE,
/// SEARCH RETURN (UPDATE) under CONTEXT=SEARCH): an extension form our parser may not know,
/// so its parse error says nothing about the server's NO.
fn names_advertised_extension(text: &str, caps: &Capabilities) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '+')
        .filter(|w| w.len() > 2)
        .any(|w| {
            let w = w.to_ascii_uppercase();
            caps.has(&w) || caps.has_prefix(&format!("{w}="))
        })
}

/// RFC 3501 §3 (and each extension's RFC): where a command may be issued.
pub(super) fn valid_in_state(body: &C, state: ConnState) -> bool {
    use ConnState::*;
    match body {
        C::Capability | C::Noop | C::Logout | C::Id(_) => {
            matches!(state, NotAuthenticated | Authenticated | Selected)
        }
        C::StartTls | C::Authenticate { .. } | C::Login { .. } => state == NotAuthenticated,
        C::Enable(_) => state == Authenticated,
        C::Check
        | C::Close
        | C::Expunge
        | C::UidExpunge(_)
        | C::Search(_)
        | C::Fetch(_)
        | C::Store(_)
        | C::Copy { .. }
        | C::Move { .. }
        | C::Sort(_)
        | C::Thread(_)
        | C::Unselect => state == Selected,
        C::Experimental(_) => false,
        _ => matches!(state, Authenticated | Selected),
    }
}

/// Whether the server advertised what the command needs (base commands need nothing).
fn supported(body: &C, caps: &Capabilities) -> bool {
    let need: &[&str] = match body {
        C::Idle => &["IDLE"],
        C::Enable(_) => &["ENABLE"],
        C::Unselect => &["UNSELECT"],
        C::Namespace => &["NAMESPACE"],
        C::Id(_) => &["ID"],
        C::Sort(_) => &["SORT"],
        C::Thread(_) => &["THREAD="],
        C::GetAcl(_) | C::MyRights(_) => &["ACL"],
        C::GetQuota(_) | C::GetQuotaRoot(_) => &["QUOTA"],
        C::GetMetadata(_) => &["METADATA"],
        C::Move { .. } => &["MOVE"],
        C::UidExpunge(_) => &["UIDPLUS"],
        C::StartTls => &["STARTTLS"],
        // Extended forms and mechanisms: too many variants to vouch for; not judged.
        C::List(l) if !l.selection.is_empty() || !l.return_opts.is_empty() => return false,
        C::Search(s) if s.return_opts.is_some() => return false,
        C::Fetch(f) if f.changed_since.is_some() => return false,
        // Valid only after this connection's ENABLE QRESYNC was answered (RFC 7162 §3.2.5,
        // §3.2.6); BAD is the rule before it. The scenarios judge both sides.
        C::Select(s) | C::Examine(s) if s.qresync.is_some() => return false,
        C::Store(s) if s.unchanged_since.is_some() => return false,
        C::Authenticate { .. } | C::Status { .. } | C::Fetch(_) | C::Append(_) => {
            return base_items(body);
        }
        _ => return true,
    };
    need.iter().any(|n| {
        if n.ends_with('=') {
            caps.has_prefix(n)
        } else {
            caps.has(n)
        }
    })
}

/// STATUS and FETCH items and APPEND forms that RFC 3501 itself defines. AUTHENTICATE is
/// not judged: mechanisms and SASL-IR initial responses vary too much to vouch for.
fn base_items(body: &C) -> bool {
    use crate::wire::command::{FetchItems, StatusAtt as S};
    match body {
        C::Status { items, .. } => items.as_slice().iter().all(|i| {
            matches!(
                i,
                S::Messages | S::Recent | S::UidNext | S::UidValidity | S::Unseen
            )
        }),
        C::Fetch(f) => match &f.items {
            FetchItems::Single(a) => !is_ext_att(a),
            FetchItems::List(list) => !list.as_slice().iter().any(is_ext_att),
            _ => true,
        },
        C::Append(_) => true,
        _ => false,
    }
}

fn is_ext_att(a: &crate::wire::command::FetchAtt) -> bool {
    use crate::wire::command::FetchAtt as F;
    matches!(
        a,
        F::Binary { .. }
            | F::BinarySize { .. }
            | F::ModSeq
            | F::Preview
            | F::SaveDate
            | F::EmailId
            | F::ThreadId
    )
}

/// A `\Word` flag RFC 3501 does not define: grammatical (`flag-extension`), but a server
/// need not accept a system flag it does not know, so BAD is not judged.
fn unknown_system_flag(body: &C) -> bool {
    use crate::wire::command::Flag;
    let flags: &[Flag] = match body {
        C::Store(s) => &s.flags,
        C::Append(a) => &a.flags,
        _ => return false,
    };
    flags.iter().any(|f| matches!(f, Flag::Extension(_)))
}

/// Whether a sequence number of the command lies beyond the mailbox (or `*` names an empty
/// one): RFC 3501 §9 says such a command should get BAD.
fn beyond_mailbox(body: &C, exists: u32) -> bool {
    let beyond = |set: &SequenceSet| set_beyond(set, exists);
    match body {
        C::Fetch(f) => !f.uid && beyond(&f.set),
        C::Store(s) => !s.uid && beyond(&s.set),
        C::Copy { uid, set, .. } | C::Move { uid, set, .. } => !uid && beyond(set),
        C::Search(s) => s.criteria.as_slice().iter().any(|k| key_beyond(k, exists)),
        _ => false,
    }
}

fn set_beyond(set: &SequenceSet, exists: u32) -> bool {
    let number_beyond = |n: &SeqNumber| match n {
        SeqNumber::Value(v) => v.get() > exists,
        SeqNumber::Largest => exists == 0,
    };
    set.items().iter().any(|item| match item {
        SeqItem::Single(n) => number_beyond(n),
        SeqItem::Range(a, b) => number_beyond(a) || number_beyond(b),
    })
}

fn key_beyond(key: &SearchKey, exists: u32) -> bool {
    key_any(
        key,
        &|k| matches!(k, SearchKey::SequenceSet(set) if set_beyond(set, exists)),
    )
}

/// Whether `key` or a key inside it (NOT, OR, a parenthesised list) is a `leaf`.
fn key_any(key: &SearchKey, leaf: &dyn Fn(&SearchKey) -> bool) -> bool {
    match key {
        SearchKey::Not(k) => key_any(k, leaf),
        SearchKey::Or(a, b) => key_any(a, leaf) || key_any(b, leaf),
        SearchKey::And(keys) => keys.as_slice().iter().any(|k| key_any(k, leaf)),
        k => leaf(k),
    }
}

/// IMAP4rev1 grammar that IMAP4rev2 dropped (RFC 9051 Appendix E items 12 and 17, and the
/// LSUB of section 6.3.9 left out of its ABNF): after ENABLE IMAP4rev2, BAD is a fair answer.
fn rev1_only(body: &C) -> bool {
    use crate::wire::command::StatusAtt as S;
    let recent = |k: &SearchKey| matches!(k, SearchKey::New | SearchKey::Old | SearchKey::Recent);
    match body {
        C::Status { items, .. } => items.as_slice().iter().any(|i| matches!(i, S::Recent)),
        C::Search(s) => s.criteria.as_slice().iter().any(|k| key_any(k, &recent)),
        C::Lsub { .. } | C::Check => true,
        _ => false,
    }
}
