//! How responses and completions change the model.

use super::Model;
use super::digest::{Digest, FetchFacts};
use super::flags::RECENT;
use super::mailbox::{MailboxName, MessageKey, StaticFact};
use super::session::{ConnState, InFlight, PendingStatic, Selection, SessionView, set_may_contain};
use crate::history::SessionId;
use crate::wire::command::CommandBody;
use crate::wire::grammar::SequenceSet;
use crate::wire::response::{
    Code, Data, Greeting, GreetingKind, RespText, Response, StatusItem, StatusKind, Tagged,
};

impl Model {
    /// A command just entered flight: SELECT/EXAMINE deselect at once (RFC 3501 §6.3.1), and
    /// namespace changes start a new generation of the names they touch.
    pub(super) fn on_start(&mut self, id: SessionId, flight: &mut InFlight) {
        let Some(body) = flight.command.as_ref().map(|c| c.body.clone()) else {
            // A malformed SELECT, EXAMINE, CLOSE or UNSELECT may be read leniently (and
            // select), or fail (and deselect): from now on the selection is not known, and
            // no fact is attributed to a mailbox until the next real selection.
            if flight.mutation.is_some() && changes_selection(&flight.name) {
                self.taint(id, flight.sent_at);
                self.session_mut(id).selection = None;
            }
            return;
        };
        match body {
            CommandBody::Select(ref m) | CommandBody::Examine(ref m) => {
                let mailbox = MailboxName::new(m.mailbox.as_bytes());
                let generation = self.mailboxes.generation(&mailbox);
                let session = self.session_mut(id);
                flight.replaced = session.selection.take().map(Box::new);
                session.selection = Some(Selection {
                    mailbox,
                    read_only: matches!(body, CommandBody::Examine(_)),
                    opened_at: flight.sent_at,
                    generation,
                    ..Selection::default()
                });
            }
            CommandBody::Create(m) | CommandBody::Delete(m) => {
                self.mailboxes.bump(&MailboxName::new(m.as_bytes()));
            }
            CommandBody::Rename { from, to } => {
                self.mailboxes.bump(&MailboxName::new(from.as_bytes()));
                self.mailboxes.bump(&MailboxName::new(to.as_bytes()));
            }
            _ => {}
        }
    }

    /// The greeting: `* OK` (not authenticated), `* PREAUTH` or `* BYE`.
    pub fn greeting(&mut self, id: SessionId, index: u64, greeting: &Greeting<'_>) {
        self.learn_code(&greeting.text);
        let session = self.session_mut(id);
        session.state = match greeting.kind {
            GreetingKind::Ok => ConnState::NotAuthenticated,
            GreetingKind::PreAuth => ConnState::Authenticated,
            GreetingKind::Bye => {
                session.bye = Some(index);
                ConnState::Logout
            }
        };
    }

    /// A response frame; returns the command a tagged response completed.
    pub fn receive(
        &mut self,
        id: SessionId,
        index: u64,
        response: &Response<'_>,
        digest: &Digest,
    ) -> Option<InFlight> {
        match response {
            Response::Continue(_) => None,
            Response::Data(data) => {
                self.data(id, index, data, digest);
                None
            }
            Response::Tagged(tagged) => self.tagged(id, index, tagged, digest),
        }
    }

    fn data(&mut self, id: SessionId, index: u64, data: &Data<'_>, digest: &Digest) {
        match data {
            Data::Status(s) => self.status_code(id, index, &s.text, digest),
            Data::Bye(text) => {
                self.learn_code(text);
                self.session_mut(id).bye = Some(index);
            }
            Data::Capability(caps) => {
                for c in caps {
                    self.capabilities.add(c.as_bytes());
                }
            }
            Data::Enabled(caps) => {
                for c in caps {
                    self.capabilities.add(c.as_bytes());
                    let name = String::from_utf8_lossy(c.as_bytes()).to_ascii_uppercase();
                    self.session_mut(id).enabled.entry(name).or_insert(index);
                }
            }
            Data::Flags(_) => {
                if let Some(sel) = self.session_mut(id).selection.as_mut() {
                    sel.flags = digest.flags.clone();
                }
            }
            Data::Exists(n) => self.exists(id, index, *n),
            Data::Expunge(_) | Data::Vanished { .. }
                if self
                    .session(id)
                    .is_some_and(SessionView::hears_old_selection) => {}
            Data::Expunge(n) => {
                let expunged = self
                    .session_mut(id)
                    .selection
                    .as_mut()
                    .and_then(|s| s.expunge(*n));
                if expunged.is_none() {
                    self.taint(id, index);
                }
            }
            // (EARLIER) names messages gone before this view: no renumbering (RFC 7162
            // §3.2.10.1).
            Data::Vanished { earlier: true, .. } => {}
            Data::Vanished { uids, .. } => self.vanished(id, index, uids),
            Data::Fetch { .. } => {
                if let Some(facts) = &digest.fetch {
                    self.fetch(id, index, facts);
                }
            }
            Data::List(list) | Data::Lsub(list) => {
                if list.delimiter.is_some() {
                    self.mailboxes.hierarchy.delimiter = list.delimiter;
                }
                let name = MailboxName::of_wire(&list.mailbox);
                let state = self.mailboxes.entry(&name);
                if matches!(data, Data::Lsub(_)) {
                    state.subscribed = true;
                } else {
                    state.exists = Some(true);
                }
            }
            Data::Namespace(ns) => {
                if let Some(first) = ns.personal.as_ref().and_then(|p| p.first()) {
                    let h = &mut self.mailboxes.hierarchy;
                    h.personal_prefix = Some(first.prefix.as_bytes().to_vec());
                    h.delimiter = first.delimiter.or(h.delimiter);
                }
            }
            Data::MailboxStatus { mailbox, items } => {
                self.status_items(id, index, &MailboxName::of_wire(mailbox), items);
            }
            _ => {}
        }
    }

    fn exists(&mut self, id: SessionId, index: u64, n: u32) {
        let Some(sel) = self.session_mut(id).selection.as_mut() else {
            return;
        };
        sel.exists_told = true;
        if n < sel.exists() {
            // Only EXPUNGE may shrink a mailbox: the view can no longer be trusted.
            sel.slots.truncate(n as usize);
            sel.by_uid.retain(|_, seq| *seq <= n);
            self.taint(id, index);
            return;
        }
        sel.grow_to(n);
    }

    /// `VANISHED uids` (no EARLIER): each UID is a message of this view leaving it, like an
    /// EXPUNGE (RFC 7162 §3.2.10.2). UIDs no message of the view can be leave it unknown.
    fn vanished(&mut self, id: SessionId, index: u64, uids: &SequenceSet) {
        let Some(sel) = self.session_mut(id).selection.as_mut() else {
            return;
        };
        let (seqs, unplaced) = sel.vanished_seqs(uids);
        for seq in seqs {
            sel.expunge(seq);
        }
        if unplaced > 0 {
            self.taint(id, index);
        }
    }

    fn fetch(&mut self, id: SessionId, index: u64, facts: &FetchFacts) {
        let session = self.session_mut(id);
        let Some(sel) = session.selection.as_mut() else {
            return;
        };
        if facts.seq > sel.exists() {
            // A message never announced with EXISTS: follow the server, but mark the view.
            sel.grow_to(facts.seq);
            session.tainted.get_or_insert(index);
        }
        let Some(sel) = session.selection.as_mut() else {
            return;
        };
        if let Some(uid) = facts.uid {
            let known = sel.slot(facts.seq).map_or(0, |s| s.uid);
            if known != 0 && known != uid {
                session.tainted.get_or_insert(index);
            }
            sel.learn_uid(facts.seq, uid);
        }
        if let (Some(flags), Some(slot)) = (&facts.flags, sel.slot_mut(facts.seq)) {
            slot.flags = Some(flags.clone());
        }
        let uid = sel.slot(facts.seq).map_or(0, |s| s.uid);
        let (mailbox, read_only, uidvalidity) =
            (sel.mailbox.clone(), sel.read_only, sel.uidvalidity);
        let (Some(uidvalidity), true) = (uidvalidity, uid != 0) else {
            return;
        };
        let key = MessageKey { uidvalidity, uid };
        if !facts.statics.is_empty() {
            // With FETCHes pipelined, the one whose set names the message owns the data; if
            // several might, none does (each may complete differently, e.g. one with
            // [EXPUNGEISSUED]), and the data is not kept as evidence.
            let mut owners = session.in_flight.iter_mut().filter(|c| match c.body() {
                Some(CommandBody::Fetch(f)) => {
                    set_may_contain(&f.set, if f.uid { uid } else { facts.seq })
                }
                _ => false,
            });
            let fetch = owners.next();
            if let (Some(fetch), None) = (fetch, owners.next()) {
                fetch
                    .statics
                    .extend(facts.statics.iter().map(|item| PendingStatic {
                        mailbox: mailbox.clone(),
                        key,
                        item: item.clone(),
                        event: index,
                    }));
            }
        }
        let state = self.mailboxes.entry(&mailbox);
        state
            .uidnext
            .entry(uidvalidity)
            .or_default()
            .observe(uid.saturating_add(1), id, index);
        let recent = facts.flags.as_ref().is_some_and(|f| f.contains(RECENT));
        if recent && !read_only {
            let record = state.messages.entry(key).or_default();
            if !record.recent_in.iter().any(|(s, _)| *s == id) {
                record.recent_in.push((id, index));
            }
        }
    }

    /// Response codes in untagged status responses (and in tagged ones, via `tagged`).
    fn status_code(&mut self, id: SessionId, index: u64, text: &RespText<'_>, digest: &Digest) {
        self.learn_code(text);
        // MOVE sends its COPYUID untagged, before the expunges (RFC 6851 §4.3).
        if let Some(Code::CopyUid { .. }) = &text.code {
            let moving = self
                .session_mut(id)
                .in_flight
                .iter()
                .find(|c| matches!(c.body(), Some(CommandBody::Move { .. })));
            if let Some(moving) = moving.cloned() {
                self.learn_assigned(id, index, &moving, text.code.as_ref());
            }
        }
        let Some(code) = &text.code else {
            return;
        };
        let session = self.session_mut(id);
        let selecting = (session.in_flight.iter()).any(|c| {
            matches!(
                c.body(),
                Some(CommandBody::Select(_) | CommandBody::Examine(_))
            )
        });
        let Some(sel) = session.selection.as_mut() else {
            return;
        };
        match code {
            // [CLOSED] during a SELECT (RFC 7162 §3.2.11, RFC 9051 §7.1): what came before it
            // was about the mailbox being closed (Cyrus sends that mailbox's pending
            // `* 1 EXISTS` first), so the new selection starts again here.
            Code::Closed if selecting => {
                *sel = Selection {
                    mailbox: sel.mailbox.clone(),
                    read_only: sel.read_only,
                    opened_at: sel.opened_at,
                    generation: sel.generation,
                    ..Selection::default()
                };
            }
            Code::PermanentFlags(_) => sel.permanent = digest.permanent.clone(),
            Code::NoModSeq => sel.no_modseq = true,
            Code::UidValidity(v) => {
                if sel.uidvalidity.is_some_and(|old| old != *v) {
                    sel.slots.iter_mut().for_each(|s| s.uid = 0);
                    sel.by_uid.clear();
                }
                sel.uidvalidity = Some(*v);
                let mailbox = sel.mailbox.clone();
                self.mailboxes
                    .entry(&mailbox)
                    .uidvalidity
                    .observe(*v, id, index);
            }
            Code::UidNext(n) => {
                sel.uidnext = Some(*n);
                let (mailbox, uidvalidity) = (sel.mailbox.clone(), sel.uidvalidity);
                if let Some(v) = uidvalidity {
                    let state = self.mailboxes.entry(&mailbox);
                    state.uidnext.entry(v).or_default().observe(*n, id, index);
                }
            }
            Code::ReadOnly => sel.read_only = true,
            _ => {}
        }
    }

    fn status_items(
        &mut self,
        id: SessionId,
        index: u64,
        name: &MailboxName,
        items: &[StatusItem<'_>],
    ) {
        let state = self.mailboxes.entry(name);
        let uidvalidity = items.iter().find_map(|i| match i {
            StatusItem::UidValidity(v) => Some(*v),
            _ => None,
        });
        let uidnext = items.iter().find_map(|i| match i {
            StatusItem::UidNext(v) => Some(*v),
            _ => None,
        });
        if let Some(v) = uidvalidity {
            state.uidvalidity.observe(v, id, index);
            if let Some(n) = uidnext {
                state.uidnext.entry(v).or_default().observe(n, id, index);
            }
        }
    }

    /// UIDs a server says it assigned (APPENDUID, COPYUID: RFC 4315) are UIDs the
    /// destination mailbox has reached, whatever anyone is told later.
    fn learn_assigned(
        &mut self,
        id: SessionId,
        index: u64,
        done: &InFlight,
        code: Option<&Code<'_>>,
    ) {
        let (validity, uids) = match code {
            Some(Code::AppendUid { uidvalidity, uids }) => (*uidvalidity, uids),
            Some(Code::CopyUid {
                uidvalidity,
                destination,
                ..
            }) => (*uidvalidity, destination),
            _ => return,
        };
        let dest = match done.body() {
            Some(CommandBody::Append(a)) => MailboxName::new(a.mailbox.as_bytes()),
            Some(CommandBody::Copy { mailbox, .. } | CommandBody::Move { mailbox, .. }) => {
                MailboxName::new(mailbox.as_bytes())
            }
            _ => return,
        };
        if let Some((_, highest)) = uids.bounds() {
            let state = self.mailboxes.entry(&dest);
            state.uidvalidity.observe(validity, id, index);
            let next = highest.saturating_add(1);
            state
                .uidnext
                .entry(validity)
                .or_default()
                .observe(next, id, index);
        }
    }

    /// Capabilities announced in a response code.
    fn learn_code(&mut self, text: &RespText<'_>) {
        if let Some(Code::Capability(caps)) = &text.code {
            for c in caps {
                self.capabilities.add(c.as_bytes());
            }
        }
    }

    fn tagged(
        &mut self,
        id: SessionId,
        index: u64,
        tagged: &Tagged<'_>,
        digest: &Digest,
    ) -> Option<InFlight> {
        self.status_code(id, index, &tagged.status.text, digest);
        let tag = String::from_utf8_lossy(tagged.tag.as_bytes()).into_owned();
        let done = self.take_in_flight(id, &tag)?;
        if tagged.status.kind == StatusKind::Ok {
            self.learn_assigned(id, index, &done, tagged.status.text.code.as_ref());
        }
        let session = self.session_mut(id);
        session.completed.insert(tag, index);
        if done.mutation.is_none() && session.phantom_since.is_some_and(|p| done.sent_at > p) {
            session.phantom_since = None;
        }
        self.transition(id, index, &done, tagged);
        Some(done)
    }

    /// Removes the command `tag` from flight (or the partial one, which a server may answer
    /// before the literal arrives: `NO [TRYCREATE]`, or BAD per RFC 3501 §2.2.1).
    fn take_in_flight(&mut self, id: SessionId, tag: &str) -> Option<InFlight> {
        let session = self.session_mut(id);
        if let Some(at) = session.in_flight.iter().position(|c| c.tag == tag) {
            return Some(session.in_flight.remove(at));
        }
        let partial = session.partial.take_if(|p| p.tag == tag)?;
        Some(InFlight {
            tag: partial.tag,
            sent_at: partial.sent_at,
            name: super::assemble::command_name(&partial.bytes),
            text: partial.text,
            command: None,
            mutation: partial.mutation,
            parse_error: Some("answered before all its literals were sent".into()),
            replaced: None,
            state_at_send: session.state,
            statics: Vec::new(),
            largest_nonsync: super::assemble::largest_nonsync_literal(&partial.bytes),
        })
    }

    /// State changes on completion (RFC 3501 §3 and each command's Result).
    fn transition(&mut self, id: SessionId, index: u64, done: &InFlight, tagged: &Tagged<'_>) {
        let kind = tagged.status.kind;
        let Some(body) = done.body() else {
            return;
        };
        let session = self.session_mut(id);
        match (body, kind) {
            (CommandBody::Login { .. } | CommandBody::Authenticate { .. }, StatusKind::Ok) => {
                session.state = ConnState::Authenticated;
            }
            (CommandBody::Select(_) | CommandBody::Examine(_), StatusKind::Ok) => {
                session.state = ConnState::Selected;
                // Re-selection: what the session was not followed on before it is gone.
                session.tainted = session.tainted.filter(|&t| t > done.sent_at);
                let mailbox = session.selection.as_ref().map(|s| s.mailbox.clone());
                if let Some(m) = mailbox {
                    self.mailboxes.entry(&m).exists = Some(true);
                }
            }
            (CommandBody::Select(_) | CommandBody::Examine(_), StatusKind::No) => {
                session.state = ConnState::Authenticated;
                session.selection = None;
            }
            (CommandBody::Select(_) | CommandBody::Examine(_), StatusKind::Bad) => {
                session.selection = done.replaced.as_deref().cloned();
            }
            (CommandBody::Close | CommandBody::Unselect, StatusKind::Ok) => {
                session.state = ConnState::Authenticated;
                session.selection = None;
                session.tainted = None;
            }
            (CommandBody::Logout, _) => session.state = ConnState::Logout,
            (_, StatusKind::Ok) => self.namespace_done(body, index),
            _ => {}
        }
    }

    /// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE completed OK.
    fn namespace_done(&mut self, body: &CommandBody, _index: u64) {
        let name = |m: &crate::wire::command::Mailbox| MailboxName::new(m.as_bytes());
        match body {
            CommandBody::Create(m) => {
                let n = name(m);
                self.mailboxes.bump(&n);
                self.mailboxes.entry(&n).exists = Some(true);
            }
            CommandBody::Delete(m) => {
                let n = name(m);
                self.mailboxes.bump(&n);
                self.mailboxes.entry(&n).exists = Some(false);
            }
            CommandBody::Rename { from, to } => {
                let (f, t) = (name(from), name(to));
                self.mailboxes.bump(&f);
                self.mailboxes.bump(&t);
                self.mailboxes.entry(&f).exists = Some(false);
                self.mailboxes.entry(&t).exists = Some(true);
            }
            CommandBody::Subscribe(m) => self.mailboxes.entry(&name(m)).subscribed = true,
            CommandBody::Unsubscribe(m) => self.mailboxes.entry(&name(m)).subscribed = false,
            _ => {}
        }
    }

    /// Keeps the static items of a command that completed OK (first value wins: a later,
    /// different one is what the static-data detector reports). Call it only when
    /// [`vouches_for_statics`] holds.
    pub fn commit_statics(&mut self, id: SessionId, done: &InFlight) {
        for p in &done.statics {
            let record = self.mailboxes.message_mut(&p.mailbox, p.key);
            if record.statics.iter().any(|f| f.item == p.item.item) {
                continue;
            }
            record.statics.push(StaticFact {
                item: p.item.item,
                label: p.item.label.clone(),
                value: p.item.value,
                shown: p.item.shown.clone(),
                ordinal: p.item.ordinal,
                envelope_keys: p.item.envelope_keys.clone(),
                session: id,
                event: p.event,
            });
        }
    }
}

/// Whether a completion vouches for the static data its FETCH responses carried: OK, and no
/// `[EXPUNGEISSUED]` (RFC 5530). With that code the server says some messages it answered
/// for were expunged meanwhile, and RFC 2180 §4.1.3 lets it answer those with "NIL FETCH
/// responses" and a tagged OK (Dovecot sends `RFC822.SIZE 0` and its OK carries the code).
/// Which messages were affected is not said, so none of the data is evidence.
pub fn vouches_for_statics(t: &Tagged<'_>) -> bool {
    if t.status.kind != StatusKind::Ok {
        return false;
    }
    !matches!(&t.status.text.code, Some(Code::Other { name, .. })
        if name.0.eq_ignore_ascii_case(b"EXPUNGEISSUED"))
}

/// Commands whose completion changes what is selected, by name (for unparsed ones).
/// By prefix: a malformed name (`EXAMINE)`) may still be read as the command.
fn changes_selection(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    ["SELECT", "EXAMINE", "CLOSE", "UNSELECT"]
        .iter()
        .any(|n| name.starts_with(n))
}
