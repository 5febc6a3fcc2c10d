//! UIDPLUS (RFC 4315) and MOVE (RFC 6851): the UIDs a server says it assigned, and MOVE's
//! expunges.
//!
//! - APPENDUID/COPYUID must name UIDs the destination had not assigned before: each is at
//!   least the UIDNEXT the model knows the mailbox had reached when the command was sent
//!   (UIDNEXT values and UIDs seen by any session; R4315-3-I01), and COPYUID's two sets have
//!   the same number of UIDs. A single appended message gets a number, never `n:n`
//!   (R4315-3-02).
//! - A server advertising UIDPLUS should return APPENDUID for every successful APPEND
//!   (R4315-3-01: NonStrict). COPY and MOVE without COPYUID are not judged: they may have
//!   copied nothing (a UID another session expunged meanwhile), and the EXPUNGEs a MOVE's
//!   session receives may be other sessions' news (all four servers with MOVE and UIDPLUS
//!   were "caught" that way in the first stress runs).
//! - A MOVE whose COPYUID says messages moved must expunge them from the source, visibly to
//!   the moving session (EXPUNGE or VANISHED; R6851-3.3-01).
//! - A MOVE is one action, so a message a MOVE took is gone: no later MOVE, in any session,
//!   reports moving the same source UID again (R6851-3.3-02, a should: RFC 2180 §4.4.2 lets
//!   a server copy a message expunged but not yet reported, which a MOVE duplicates). Dovecot
//!   moves one message twice when two sessions move it at once; Cyrus moves a message again
//!   for a session it has not yet told of the first MOVE's expunge.
//!
//! The assigned UIDs are taught to the model (`apply`), so later UIDNEXTs are held to them.

use std::collections::HashMap;

use super::{Ctx, Detector, Out};
use crate::check::requirements::{
    APPENDUID_SINGLE, MOVE_EXPUNGES_SOURCE, MOVE_IS_ONE_ACTION, UIDPLUS_CODES, UIDPLUS_UIDS_FRESH,
};
use crate::check::verdict::Verdict;
use crate::history::SessionId;
use crate::model::{Digest, InFlight, MailboxName};
use crate::wire::command::CommandBody;
use crate::wire::grammar::sequence::{SeqItem, SeqNumber, SequenceSet};
use crate::wire::response::{Code, Data, Response, StatusKind, Tagged};

const NAME: &str = "uidplus";

/// A COPYUID as the model needs it.
#[derive(Clone, Debug)]
struct CopyUid {
    uidvalidity: u32,
    source: SequenceSet,
    destination: SequenceSet,
}

/// What a session's MOVE in flight has been told so far.
#[derive(Default)]
struct Moving {
    copyuid: Option<(CopyUid, u64)>,
    expunges: u32,
}

/// Where a moved message was: its source mailbox and that mailbox's UIDVALIDITY.
type Source = (MailboxName, u32);

/// Source sets larger than this are not remembered UID by UID (a set that large is a
/// mutation's, and what matters is the race between small ones).
const MOVED_SET_LIMIT: u32 = 10_000;

#[derive(Default)]
pub struct UidPlus {
    moving: HashMap<SessionId, Moving>,
    /// Every source UID a completed MOVE reported moving: which session's command, when.
    moved: HashMap<Source, HashMap<u32, (SessionId, u64)>>,
}

impl Detector for UidPlus {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, _out: &mut Out) {
        let moving = cx.view().is_some_and(|v| {
            v.in_flight
                .iter()
                .any(|c| matches!(c.body(), Some(CommandBody::Move { .. })))
        });
        if !moving {
            return;
        }
        let state = self.moving.entry(cx.session).or_default();
        match r {
            Response::Data(Data::Status(s)) => {
                if let Some(c) = copyuid(s.text.code.as_ref()) {
                    state.copyuid = Some((c, cx.index));
                }
            }
            Response::Data(Data::Expunge(_) | Data::Vanished { .. }) => state.expunges += 1,
            _ => {}
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        let moving = self.moving.remove(&cx.session).unwrap_or_default();
        if t.status.kind != StatusKind::Ok {
            return;
        }
        let advertised = cx.model.capabilities.has("UIDPLUS");
        let code = t.status.text.code.as_ref();
        match done.body() {
            Some(CommandBody::Append(a)) => {
                let dest = MailboxName::new(a.mailbox.as_bytes());
                match code {
                    Some(Code::AppendUid { uidvalidity, uids }) => {
                        single(cx, uids, out);
                        fresh(cx, done, &dest, *uidvalidity, uids, out);
                    }
                    _ if advertised => out.push(missing(cx, "APPENDUID", done)),
                    _ => {}
                }
            }
            Some(CommandBody::Copy { mailbox, .. }) => {
                if let Some(c) = copyuid(code) {
                    copied(cx, done, &MailboxName::new(mailbox.as_bytes()), &c, out);
                }
            }
            Some(CommandBody::Move { mailbox, .. }) => {
                let dest = MailboxName::new(mailbox.as_bytes());
                let c = copyuid(code).or_else(|| moving.copyuid.map(|(c, _)| c));
                if let Some(c) = c {
                    copied(cx, done, &dest, &c, out);
                    if moving.expunges == 0 {
                        out.push(not_expunged(cx, done, &c));
                    }
                    self.moved_again(cx, done, &c, out);
                }
            }
            _ => {}
        }
    }
}

impl UidPlus {
    /// Remember the source UIDs of a completed MOVE; one already moved by an earlier MOVE
    /// is a message moved twice.
    fn moved_again(&mut self, cx: &Ctx<'_>, done: &InFlight, c: &CopyUid, out: &mut Out) {
        // COPYUID's UIDVALIDITY is the destination's; the source's is the selection's.
        let Some((selection, uidvalidity)) =
            (cx.selection()).and_then(|s| Some((s, s.uidvalidity?)))
        else {
            return;
        };
        if c.source
            .count()
            .is_none_or(|n| n > u64::from(MOVED_SET_LIMIT))
        {
            return;
        }
        let source = (selection.mailbox.clone(), uidvalidity);
        let seen = self.moved.entry(source).or_default();
        let mut again = None;
        for uid in c.source.numbers() {
            if let Some(&earlier) = seen.get(&uid) {
                again.get_or_insert((uid, earlier));
            } else {
                seen.insert(uid, (cx.session, done.sent_at));
            }
        }
        let Some((uid, (who, at))) = again else {
            return;
        };
        out.push(
            cx.violation(NAME, MOVE_IS_ONE_ACTION)
                .expected(format!(
                    "UID {uid} of {} gone after session {who}'s MOVE took it",
                    selection.mailbox.show()
                ))
                .observed(format!("{} reported moving UID {uid} again", done.describe()))
                .evidence([at, done.sent_at])
                .because("a MOVE appears as one action, so a second MOVE should find nothing left to move"),
        );
    }
}

fn copyuid(code: Option<&Code<'_>>) -> Option<CopyUid> {
    match code? {
        Code::CopyUid {
            uidvalidity,
            source,
            destination,
        } => Some(CopyUid {
            uidvalidity: *uidvalidity,
            source: source.clone(),
            destination: destination.clone(),
        }),
        _ => None,
    }
}

/// COPYUID's sets match in size, and its destination UIDs are new.
fn copied(cx: &Ctx<'_>, done: &InFlight, dest: &MailboxName, c: &CopyUid, out: &mut Out) {
    let (from, to) = (c.source.count(), c.destination.count());
    if from != to {
        out.push(
            cx.violation(NAME, UIDPLUS_UIDS_FRESH)
                .expected("COPYUID with as many destination UIDs as source UIDs")
                .observed(format!(
                    "{} source UID(s), {} destination UID(s) for {}",
                    show(from),
                    show(to),
                    done.describe()
                ))
                .evidence([done.sent_at])
                .because("the destination set corresponds to the source set, in order"),
        );
    }
    fresh(cx, done, dest, c.uidvalidity, &c.destination, out);
}

/// Every assigned UID is at least the UIDNEXT the mailbox had reached before the command.
fn fresh(
    cx: &Ctx<'_>,
    done: &InFlight,
    dest: &MailboxName,
    uidvalidity: u32,
    uids: &SequenceSet,
    out: &mut Out,
) {
    let Some((lowest, _)) = uids.bounds() else {
        return;
    };
    let floor = cx
        .model
        .mailboxes
        .get(dest)
        .and_then(|m| m.uidnext.get(&uidvalidity))
        .and_then(|t| t.max_before(done.sent_at));
    let Some((floor, who, at)) = floor else {
        return;
    };
    if lowest < floor {
        out.push(
            cx.violation(NAME, UIDPLUS_UIDS_FRESH)
                .expected(format!(
                    "new UIDs in {} of at least {floor} (UIDVALIDITY {uidvalidity}; reached as seen by session {who})",
                    dest.show()
                ))
                .observed(format!("UID {lowest} assigned by {}", done.describe()))
                .evidence([at, done.sent_at])
                .because("UIDs are assigned in strictly ascending order; one already reached is not new"),
        );
    }
}

/// APPENDUID for one message carries a number, not a range (`123:123`).
fn single(cx: &Ctx<'_>, uids: &SequenceSet, out: &mut Out) {
    if let [SeqItem::Range(a, b)] = uids.0[..]
        && a == b
    {
        out.push(
            cx.violation(NAME, APPENDUID_SINGLE)
                .expected("APPENDUID <uidvalidity> <uid> for a single message")
                .observed(format!("a range {}", show_range(a, b)))
                .because("a client without MULTIAPPEND expects a single UID"),
        );
    }
}

fn missing(cx: &Ctx<'_>, code: &str, done: &InFlight) -> crate::check::Violation {
    cx.violation(NAME, UIDPLUS_CODES)
        .graded(Verdict::NonStrict)
        .expected(format!("OK [{code} …] (UIDPLUS is advertised)"))
        .observed(format!("{} completed OK without it", done.describe()))
        .evidence([done.sent_at])
        .because("a server advertising UIDPLUS should return the UIDs it assigned")
}

fn not_expunged(cx: &Ctx<'_>, done: &InFlight, c: &CopyUid) -> crate::check::Violation {
    cx.violation(NAME, MOVE_EXPUNGES_SOURCE)
        .expected("an EXPUNGE (or VANISHED) for each moved message, to the moving session")
        .observed(format!(
            "{} reported moving {} message(s) and sent no EXPUNGE",
            done.describe(),
            show(c.source.count())
        ))
        .evidence([done.sent_at])
        .because("MOVE removes the original messages from the source mailbox")
        .on_view(cx)
}

fn show(n: Option<u64>) -> String {
    n.map_or_else(|| "*".into(), |n| n.to_string())
}

fn show_range(a: SeqNumber, b: SeqNumber) -> String {
    let one = |s: SeqNumber| match s {
        SeqNumber::Value(v) => v.to_string(),
        SeqNumber::Largest => "*".into(),
    };
    format!("{}:{}", one(a), one(b))
}
