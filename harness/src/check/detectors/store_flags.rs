//! Flags after STORE: when the server echoes FETCH FLAGS for a stored message, or at the
//! session's next FETCH FLAGS of it, the flags reflect the change (RFC 3501 §6.4.6).
//!
//! What it does not report, on purpose:
//! * a STORE that is not echoed: the echo is a SHOULD, and legal to skip when nothing
//!   changed (imaptest's thousands of false positives);
//! * flags outside PERMANENTFLAGS (without `\*` for keywords): a server may ignore them or
//!   keep them for the session only (§6.4.6 via PERMANENTFLAGS);
//! * flags another command may have changed meanwhile: any other STORE, or a FETCH of a
//!   body without PEEK (it sets `\Seen`), on the same mailbox in flight during the window
//!   or started within it, from any session;
//! * STOREs with UNCHANGEDSINCE (CONDSTORE may legally skip messages), read-only mailboxes;
//! * messages another session had expunged: a server cannot change them, may answer with
//!   their last flags (Cyrus) and tells the session with EXPUNGE at its next command
//!   (RFC 2180 §4.2; EXPUNGE is not allowed during STORE or FETCH). So a finding waits
//!   until a NOOP or CHECK sent after it completes (RFC 2180 §4.2.3: that is how a client
//!   learns of pending EXPUNGEs; Courier holds them until then), is dropped if the message
//!   is expunged first, and is Unknown if the session leaves the mailbox or ends before.

use std::collections::HashMap;

use super::{Ctx, Detector, Out, ends_connection};
use crate::check::requirements::STORE_SEMANTICS;
use crate::history::{EventKind, SessionId};
use crate::model::flags::{RECENT, WILDCARD};
use crate::model::session::{Largest, set_contains, star_bounds};
use crate::model::{Digest, FlagSet, InFlight, MailboxName, Model, Selection};
use crate::wire::command::{CommandBody, FetchAtt, FetchItems, Flag, Store, StoreMode};
use crate::wire::response::{Data, Response, StatusKind, Tagged};

const NAME: &str = "store-flags";

/// The flags a command may change: every flag (FLAGS replace) or the ones named, as
/// lower-cased names (`\seen`, `$label1`).
#[derive(Debug, Clone)]
enum Touched {
    All,
    Names(Vec<String>),
}

impl Touched {
    fn covers(&self, name: &str) -> bool {
        match self {
            Touched::All => true,
            Touched::Names(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        }
    }
}

/// A flag-changing command's start or end, per mailbox, in history order.
#[derive(Debug, Clone)]
struct Touch {
    event: u64,
    who: (SessionId, String),
    touched: Touched,
}

#[derive(Debug, Clone)]
struct Active {
    who: (SessionId, String),
    mailbox: MailboxName,
    touched: Touched,
    /// What `*` stood for when the command was sent.
    then: Largest,
}

#[derive(Debug, Clone)]
struct Echo {
    seq: u32,
    flags: FlagSet,
    event: u64,
}

/// What a completed, unechoed STORE lets the session expect at its next FETCH FLAGS.
#[derive(Debug, Clone)]
struct Expectation {
    who: (SessionId, String),
    mode: StoreMode,
    names: Vec<String>,
    sent_at: u64,
    done_at: u64,
}

/// A finding held back until the session could have been told its message was expunged:
/// followed by its sequence number (renumbered at each EXPUNGE) and, when known, its UID.
#[derive(Debug)]
struct Suspect {
    seq: u32,
    uid: u32,
    violation: crate::check::Violation,
}

#[derive(Default)]
pub struct StoreFlags {
    suspects: HashMap<SessionId, Vec<Suspect>>,
    active: Vec<Active>,
    log: HashMap<MailboxName, Vec<Touch>>,
    echoes: HashMap<(SessionId, String), Vec<Echo>>,
    expect: HashMap<SessionId, HashMap<u32, Expectation>>,
}

fn flag_name(f: &Flag) -> String {
    match f.name() {
        (true, n) => format!("\\{n}"),
        (false, n) => n.to_string(),
    }
}

/// What a command may change, if anything.
fn touched_by(body: &CommandBody) -> Option<Touched> {
    match body {
        CommandBody::Store(s) if s.mode == StoreMode::Replace => Some(Touched::All),
        CommandBody::Store(s) => Some(Touched::Names(s.flags.iter().map(flag_name).collect())),
        CommandBody::Fetch(f) if sets_seen(&f.items) => {
            Some(Touched::Names(vec!["\\Seen".to_string()]))
        }
        _ => None,
    }
}

/// What a command the model could not read may change, by its name: Dovecot ran a
/// `literal-shorter-than-data` STORE (`STORE 7 +FLAGS (\Answered) {1}` and more octets) as
/// the STORE it was made from, so it counts for the other sessions' windows as a STORE of
/// any flag; a FETCH as one that may set `\Seen`.
fn touched_unread(name: &str) -> Option<Touched> {
    match name.strip_prefix("UID ").unwrap_or(name) {
        "STORE" => Some(Touched::All),
        "FETCH" => Some(Touched::Names(vec!["\\Seen".to_string()])),
        _ => None,
    }
}

/// FETCH items that set `\Seen` (RFC 3501 §6.4.5): BODY[...] without PEEK, RFC822,
/// RFC822.TEXT, BINARY[...] without PEEK.
fn sets_seen(items: &FetchItems) -> bool {
    let one = |a: &FetchAtt| match a {
        FetchAtt::BodySection { peek, .. } | FetchAtt::Binary { peek, .. } => !peek,
        FetchAtt::Rfc822 | FetchAtt::Rfc822Text => true,
        _ => false,
    };
    match items {
        FetchItems::Single(a) => one(a),
        FetchItems::List(list) => list.as_slice().iter().any(one),
        _ => false,
    }
}

impl Detector for StoreFlags {
    fn on_command(&mut self, cx: &Ctx<'_>, command: &InFlight, out: &mut Out) {
        // A malformed command the model cannot read may still be executed (Dovecot ran
        // `UID STORE * FLAGS (\Flagged) (\Flagged) …` and replaced the flags): what this
        // session expected of its flags no longer holds.
        if command.command.is_none() && command.mutation.is_some() {
            self.expect.remove(&cx.session);
            self.give_up(cx.session, out);
        }
        let Some(sel) = cx.selection() else {
            return;
        };
        let touched = match command.body() {
            Some(body) => touched_by(body),
            None => touched_unread(&command.name),
        };
        let Some(touched) = touched else {
            return;
        };
        let who = (cx.session, command.tag.clone());
        self.log
            .entry(sel.mailbox.clone())
            .or_default()
            .push(Touch {
                event: cx.index,
                who: who.clone(),
                touched: touched.clone(),
            });
        self.active.push(Active {
            who,
            mailbox: sel.mailbox.clone(),
            touched,
            then: sel.largest(),
        });
    }

    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, d: &Digest, _out: &mut Out) {
        if let Response::Data(Data::Expunge(n)) = r {
            self.expunged(cx, *n);
            return;
        }
        // QRESYNC's VANISHED names UIDs: the same expunges, highest number first.
        if let (
            Response::Data(Data::Vanished {
                earlier: false,
                uids,
            }),
            Some(sel),
        ) = (r, cx.selection())
        {
            for seq in sel.vanished_seqs(uids).0 {
                self.expunged(cx, seq);
            }
            return;
        }
        let (Some(facts), Some(view), Some(sel)) = (&d.fetch, cx.view(), cx.selection()) else {
            return;
        };
        let Some(flags) = &facts.flags else {
            return;
        };
        let uid = facts
            .uid
            .unwrap_or_else(|| sel.slot(facts.seq).map_or(0, |s| s.uid));
        let mut store = None;
        for c in &view.in_flight {
            let Some(CommandBody::Store(s)) = c.body() else {
                continue;
            };
            match self.names_message(cx.session, c, sel, s, facts.seq, uid) {
                Names::Surely => store = Some(c),
                // Echo or not, nothing can be said about this message's flags here.
                Names::Maybe => return,
                Names::No => {}
            }
        }
        if let Some(store) = store {
            let echo = Echo {
                seq: facts.seq,
                flags: flags.clone(),
                event: cx.index,
            };
            let key = (cx.session, store.tag.clone());
            self.echoes.entry(key).or_default().push(echo);
            return;
        }
        let pending = self
            .expect
            .get_mut(&cx.session)
            .and_then(|m| m.remove(&uid).filter(|_| uid != 0));
        if let Some(exp) = pending {
            let found = self.judge(cx, sel, &exp, flags, exp.sent_at);
            if let Some(problem) = found {
                self.suspect(
                    cx.session,
                    facts.seq,
                    uid,
                    cx.violation(NAME, STORE_SEMANTICS)
                        .expected(describe(&exp.mode, &exp.names, &exp.who.1))
                        .observed(format!(
                            "* {} FETCH (FLAGS {}): {problem}",
                            facts.seq,
                            cx.model.flags.show(flags)
                        ))
                        .evidence([exp.sent_at, exp.done_at])
                        .because("the session's next FETCH FLAGS must reflect its completed STORE")
                        .on_view(cx),
                );
            }
        }
    }

    fn on_completed(&mut self, cx: &Ctx<'_>, done: &InFlight, t: &Tagged<'_>, out: &mut Out) {
        // RFC 2180 §4.2.3: a client learns of pending EXPUNGEs by NOOP (or CHECK); servers
        // (Courier) hold them back until then.
        if matches!(done.body(), Some(CommandBody::Noop | CommandBody::Check)) {
            self.confirm(cx.session, |v| v.event < done.sent_at, out);
        }
        let who = (cx.session, done.tag.clone());
        let mut then = None;
        if let Some(at) = self.active.iter().position(|a| a.who == who) {
            let active = self.active.remove(at);
            then = Some(active.then);
            self.log.entry(active.mailbox).or_default().push(Touch {
                event: cx.index,
                who: who.clone(),
                touched: active.touched,
            });
        }
        let echoes = self.echoes.remove(&who).unwrap_or_default();
        match (done.body(), then) {
            (Some(CommandBody::Store(store)), Some(then)) if t.status.kind == StatusKind::Ok => {
                self.store_done(cx, done, store, then, echoes);
            }
            (
                Some(
                    CommandBody::Select(_)
                    | CommandBody::Examine(_)
                    | CommandBody::Close
                    | CommandBody::Unselect,
                ),
                _,
            ) => {
                self.expect.remove(&cx.session);
                self.give_up(cx.session, out);
            }
            _ => {}
        }
    }

    fn on_end(&mut self, _model: &Model, out: &mut Out) {
        let sessions: Vec<SessionId> = self.suspects.keys().copied().collect();
        for s in sessions {
            self.give_up(s, out);
        }
    }

    fn on_event(&mut self, cx: &Ctx<'_>, event: &EventKind, out: &mut Out) {
        // The session's STOREs stay "active" for good: whether and when they took effect is
        // unknown, so they keep excusing other sessions' checks on their flags.
        if ends_connection(event) {
            self.expect.remove(&cx.session);
            self.echoes.retain(|(s, _), _| *s != cx.session);
            self.give_up(cx.session, out);
        }
    }
}

impl StoreFlags {
    fn suspect(
        &mut self,
        session: SessionId,
        seq: u32,
        uid: u32,
        violation: crate::check::Violation,
    ) {
        self.suspects.entry(session).or_default().push(Suspect {
            seq,
            uid,
            violation,
        });
    }

    /// The session can no longer learn whether its held messages were expunged (it ended,
    /// or left the mailbox): what was held is undecided.
    fn give_up(&mut self, session: SessionId, out: &mut Out) {
        for s in self.suspects.remove(&session).unwrap_or_default() {
            out.push(s.violation.graded(crate::check::Verdict::Unknown));
        }
    }

    /// Reports the session's suspects that `ready` selects.
    fn confirm(
        &mut self,
        session: SessionId,
        ready: impl Fn(&crate::check::Violation) -> bool,
        out: &mut Out,
    ) {
        let Some(list) = self.suspects.get_mut(&session) else {
            return;
        };
        let (now, later): (Vec<Suspect>, Vec<Suspect>) =
            list.drain(..).partition(|s| ready(&s.violation));
        *list = later;
        for s in now {
            out.push(s.violation);
        }
    }

    /// `* n EXPUNGE` (judged before the model renumbers): the message had gone, so what the
    /// session was shown of it is excused.
    fn expunged(&mut self, cx: &Ctx<'_>, seq: u32) {
        let uid = cx
            .selection()
            .and_then(|s| s.slot(seq))
            .map_or(0, |s| s.uid);
        if let Some(list) = self.suspects.get_mut(&cx.session) {
            list.retain(|s| s.seq != seq && (uid == 0 || s.uid != uid));
            for s in list.iter_mut().filter(|s| s.seq > seq) {
                s.seq -= 1;
            }
        }
    }

    fn store_done(
        &mut self,
        cx: &Ctx<'_>,
        done: &InFlight,
        store: &Store,
        then: Largest,
        echoes: Vec<Echo>,
    ) {
        let Some(sel) = cx.selection() else {
            return;
        };
        if sel.read_only || store.unchanged_since.is_some() || done.mutation.is_some() {
            return;
        }
        let exp = Expectation {
            who: (cx.session, done.tag.clone()),
            mode: store.mode,
            names: store.flags.iter().map(flag_name).collect(),
            sent_at: done.sent_at,
            done_at: cx.index,
        };
        let mut echoed = Vec::with_capacity(echoes.len());
        for echo in &echoes {
            echoed.push(echo.seq);
            let Some(problem) = self.judge(cx, sel, &exp, &echo.flags, exp.sent_at) else {
                continue;
            };
            let mut v = cx
                .violation(NAME, STORE_SEMANTICS)
                .expected(describe(&exp.mode, &exp.names, &done.tag))
                .observed(format!(
                    "* {} FETCH (FLAGS {}): {problem}",
                    echo.seq,
                    cx.model.flags.show(&echo.flags)
                ))
                .evidence([done.sent_at, echo.event])
                .because("the FETCH FLAGS a STORE answers with must show the flags it stored")
                .on_view(cx);
            v.event = echo.event;
            let uid = sel.slot(echo.seq).map_or(0, |s| s.uid);
            self.suspect(cx.session, echo.seq, uid, v);
        }
        let pending = self.expect.entry(cx.session).or_default();
        for seq in sel.seqs_surely_in(&store.set, store.uid, then) {
            let uid = sel.slot(seq).map_or(0, |s| s.uid);
            if uid != 0 && !echoed.contains(&seq) {
                pending.insert(uid, exp.clone());
            }
        }
    }

    /// What is wrong with `observed` after `exp`, ignoring flags the server may not store
    /// and flags another command may have changed since `since`.
    fn judge(
        &self,
        cx: &Ctx<'_>,
        sel: &Selection,
        exp: &Expectation,
        observed: &FlagSet,
        since: u64,
    ) -> Option<String> {
        let table = &cx.model.flags;
        let perm = sel.permanent.as_ref()?;
        let storable = |name: &str| {
            let known = observed
                .iter()
                .chain(perm.iter())
                .find(|&id| table.name(id).eq_ignore_ascii_case(name));
            match known {
                Some(id) if perm.contains(id) => true,
                _ => !name.starts_with('\\') && perm.contains(WILDCARD),
            }
        };
        let interfered = |name: &str| self.interfered(&sel.mailbox, &exp.who, since, name);
        let has = |name: &str| {
            observed
                .iter()
                .any(|id| table.name(id).eq_ignore_ascii_case(name))
        };
        for name in exp.names.iter().filter(|n| storable(n) && !interfered(n)) {
            match exp.mode {
                StoreMode::Add | StoreMode::Replace if !has(name) => {
                    return Some(format!("{name} missing"));
                }
                StoreMode::Remove if has(name) => return Some(format!("{name} still set")),
                _ => {}
            }
        }
        if exp.mode != StoreMode::Replace {
            return None;
        }
        observed
            .iter()
            .filter(|&id| id != RECENT)
            .map(|id| table.name(id))
            .find(|name| {
                !exp.names.iter().any(|n| n.eq_ignore_ascii_case(name))
                    && storable(name)
                    && !interfered(name)
            })
            .map(|name| format!("{name} not removed by FLAGS"))
    }

    /// Whether STORE `s` (in flight as `c`) names the message `seq` / `uid` of this view.
    fn names_message(
        &self,
        session: SessionId,
        c: &InFlight,
        sel: &Selection,
        s: &Store,
        seq: u32,
        uid: u32,
    ) -> Names {
        let then = self
            .active
            .iter()
            .find(|a| a.who.0 == session && a.who.1 == c.tag)
            .map_or_else(Largest::default, |a| a.then);
        let (lo, hi) = star_bounds(then, sel.largest(), s.uid);
        let n = if s.uid { uid } else { seq };
        // Unknown UID, or a message announced after the STORE was sent, even into an empty
        // view (the server may have read the set against a view without it).
        if n == 0 || seq > then.seq {
            return Names::Maybe;
        }
        match (set_contains(&s.set, n, lo), set_contains(&s.set, n, hi)) {
            (true, true) => Names::Surely,
            // `*` alone may have stood for `n` itself.
            (false, false) if lo < n && n < hi => Names::Maybe,
            (false, false) => Names::No,
            _ => Names::Maybe,
        }
    }

    /// Whether a command other than `who` touching `name` on `mailbox` was in flight or
    /// started or ended since `since`.
    fn interfered(
        &self,
        mailbox: &MailboxName,
        who: &(SessionId, String),
        since: u64,
        name: &str,
    ) -> bool {
        let active = self
            .active
            .iter()
            .any(|a| a.who != *who && a.mailbox == *mailbox && a.touched.covers(name));
        if active {
            return true;
        }
        let Some(log) = self.log.get(mailbox) else {
            return false;
        };
        let from = log.partition_point(|t| t.event < since);
        log[from..]
            .iter()
            .any(|t| t.who != *who && t.touched.covers(name))
    }
}

/// Whether a STORE in flight names a message.
enum Names {
    Surely,
    /// Only for some of the values `*` may stand for, or the message's UID is not known.
    Maybe,
    No,
}

fn describe(mode: &StoreMode, names: &[String], tag: &str) -> String {
    let sign = match mode {
        StoreMode::Replace => "",
        StoreMode::Add => "+",
        StoreMode::Remove => "-",
    };
    format!("flags after {tag} STORE {sign}FLAGS ({})", names.join(" "))
}
