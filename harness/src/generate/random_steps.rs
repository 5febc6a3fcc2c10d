//! The commands of the random generator, one builder each. Each updates the session's belief
//! the way a conforming server's success would; none names a mailbox outside the run's root.

use super::*;
use crate::generate::args::OwnNames;

fn mailbox(name: &[u8]) -> Option<Mailbox> {
    Mailbox::new(name.to_vec()).ok()
}

impl RandomSession {
    /// A mailbox another session may be using: one of the shared ones.
    fn shared(&mut self) -> Option<Vec<u8>> {
        self.pick.one_of(&self.plan.layout.shared).cloned()
    }

    /// A shared or own mailbox other than the selected one (STATUS on the selected mailbox
    /// is discouraged by RFC 3501 §6.3.10).
    fn other_mailbox(&mut self) -> Option<Vec<u8>> {
        let selected = self.selected.as_ref().map(|s| s.mailbox.clone());
        let mut all: Vec<Vec<u8>> = self.plan.layout.shared.clone();
        all.extend(self.own.iter().cloned());
        all.retain(|m| Some(m) != selected.as_ref());
        self.pick.one_of(&all).cloned()
    }

    /// An own mailbox without children below it, not selected.
    fn own_leaf(&mut self) -> Option<Vec<u8>> {
        let layout = Arc::clone(&self.plan.layout);
        let selected = self.selected.as_ref().map(|s| s.mailbox.clone());
        let leaves: Vec<Vec<u8>> = self
            .own
            .iter()
            .filter(|m| Some(*m) != selected.as_ref())
            .filter(|m| !self.own.iter().any(|o| o != *m && is_below(&layout, o, m)))
            .cloned()
            .collect();
        self.pick.one_of(&leaves).cloned()
    }

    fn fresh_own_name(&mut self) -> Vec<u8> {
        let name = format!("s{}-m{}", self.id, self.next_mailbox);
        self.next_mailbox += 1;
        let layout = Arc::clone(&self.plan.layout);
        let nest = layout.delimiter.is_some() && self.pick.chance(30);
        match self.pick.one_of(&self.own).cloned() {
            Some(parent) if nest => layout.child(&parent, &name),
            _ => layout.child(&layout.root, &name),
        }
    }

    pub(super) fn select_shared(&mut self, read_only: bool) -> Option<CommandBody> {
        let name = self.shared()?;
        self.select(name, read_only)
    }

    pub(super) fn select_own(&mut self) -> Option<CommandBody> {
        match self.pick.one_of(&self.own).cloned() {
            Some(name) => self.select(name, false),
            None => self.create(),
        }
    }

    fn select(&mut self, name: Vec<u8>, read_only: bool) -> Option<CommandBody> {
        let mb = mailbox(&name)?;
        self.selected = Some(Selected {
            mailbox: name,
            read_only,
            synced: false,
        });
        let mut select = Select::plain(mb);
        self.select_params(&mut select);
        Some(if read_only {
            CommandBody::Examine(select)
        } else {
            CommandBody::Select(select)
        })
    }

    pub(super) fn deselect(&mut self, body: CommandBody) -> Option<CommandBody> {
        self.selected = None;
        Some(body)
    }

    pub(super) fn create(&mut self) -> Option<CommandBody> {
        let name = self.fresh_own_name();
        let mb = mailbox(&name)?;
        self.own.push(name);
        Some(CommandBody::Create(mb))
    }

    pub(super) fn delete(&mut self) -> Option<CommandBody> {
        let Some(name) = self.own_leaf() else {
            return self.create();
        };
        self.own.retain(|m| m != &name);
        Some(CommandBody::Delete(mailbox(&name)?))
    }

    pub(super) fn rename(&mut self) -> Option<CommandBody> {
        let Some(from) = self.own_leaf() else {
            return self.create();
        };
        let to = self.fresh_own_name();
        if is_below(&self.plan.layout, &to, &from) {
            return Some(CommandBody::Noop);
        }
        let body = CommandBody::Rename {
            from: mailbox(&from)?,
            to: mailbox(&to)?,
        };
        self.own.retain(|m| m != &from);
        self.own.push(to);
        Some(body)
    }

    pub(super) fn subscription(&mut self) -> Option<CommandBody> {
        let mb = mailbox(&self.other_mailbox()?)?;
        Some(if self.pick.chance(50) {
            CommandBody::Subscribe(mb)
        } else {
            CommandBody::Unsubscribe(mb)
        })
    }

    /// LIST under the root only, and only over names whose number does not grow with the
    /// session count (a thousand sessions listing each other's mailboxes would make every
    /// LIST answer thousands of lines): the session's own, and the shared ones.
    pub(super) fn list(&mut self) -> Option<CommandBody> {
        let (reference, pattern) = self.list_args()?;
        Some(CommandBody::List(List {
            selection: Vec::new(),
            reference,
            pattern,
            return_opts: Vec::new(),
        }))
    }

    pub(super) fn lsub(&mut self) -> Option<CommandBody> {
        let (reference, pattern) = self.list_args()?;
        Some(CommandBody::Lsub { reference, pattern })
    }

    fn list_args(&mut self) -> Option<(Mailbox, ListMailbox)> {
        let layout = Arc::clone(&self.plan.layout);
        let below = layout.child(&layout.root, "");
        let own = format!("s{}-*", self.id).into_bytes();
        let (reference, pattern) = match self.pick.below(3) {
            0 => (Vec::new(), [below.as_slice(), &own].concat()),
            1 => (Vec::new(), [below.as_slice(), b"shared%"].concat()),
            _ => (below, own),
        };
        Some((
            Mailbox::new(reference).ok()?,
            ListMailbox::new(pattern).ok()?,
        ))
    }

    pub(super) fn status(&mut self) -> Option<CommandBody> {
        let mb = mailbox(&self.other_mailbox()?)?;
        let items = status_items(&mut self.pick, &self.plan.caps)?;
        Some(CommandBody::Status { mailbox: mb, items })
    }

    /// APPEND an attributable message to the selected, a shared or an own mailbox.
    pub(super) fn append(&mut self) -> Option<CommandBody> {
        let writable = self.selected.as_ref().filter(|s| !s.read_only);
        let target = match (self.pick.below(10), writable) {
            (0..=4, Some(s)) => s.mailbox.clone(),
            (5..=7, _) | (_, None) => self.shared()?,
            _ => match self.pick.one_of(&self.own).cloned() {
                Some(own) => own,
                None => self.shared()?,
            },
        };
        if self.plan.layout.shared.contains(&target) {
            self.shared_appends += 1;
        }
        let origin = Origin {
            run_id: &self.plan.layout.run_id,
            session: self.id,
            number: self.next_message,
        };
        self.next_message += 1;
        let message = message(origin, &mut self.correspondence, &mut self.pick)?;
        let flags = if self.pick.chance(50) {
            self.own_flags()
        } else {
            Vec::new()
        };
        let date = self
            .pick
            .chance(30)
            .then(|| append_date(&mut self.pick))
            .flatten();
        Some(CommandBody::Append(Append {
            mailbox: mailbox(&target)?,
            flags,
            date,
            message,
        }))
    }

    fn own_flags(&mut self) -> Vec<Flag> {
        let own = OwnNames {
            run_id: &self.plan.layout.run_id,
            session: self.id,
        };
        own.flags(&mut self.pick)
    }

    /// A small set: by UID (`uid_only`, or three times in four), else by sequence number.
    pub(super) fn small_set(&mut self, uid_only: bool) -> Option<(bool, SequenceSet)> {
        let uid = uid_only || self.pick.chance(75);
        let hint = self.uid_hint();
        let set = if uid {
            small_uid_set(&mut self.pick, hint)?
        } else {
            small_seq_set(&mut self.pick)?
        };
        Some((uid, set))
    }

    pub(super) fn fetch(&mut self, uid_only: bool) -> Option<CommandBody> {
        let (uid, set) = self.small_set(uid_only)?;
        let read_only = self.selected.as_ref().is_none_or(|s| s.read_only);
        let items = if self.ext.condstore && self.pick.chance(15) {
            use crate::wire::command::FetchAtt as F;
            FetchItems::List(NonEmpty::new(vec![F::Uid, F::Flags, F::ModSeq]).ok()?)
        } else {
            fetch_items(&mut self.pick, read_only || uid_only)?
        };
        Some(CommandBody::Fetch(Fetch {
            uid,
            set,
            items,
            changed_since: None,
            vanished: false,
        }))
    }

    /// `UID FETCH 1:* (UID FLAGS)`: what a client does before it idles, so it knows every
    /// message's flags (and the push-flags detector can tell a change it was not told of).
    pub(super) fn sync_flags(&mut self) -> Option<CommandBody> {
        self.sync(false)
    }

    /// The same with `ENVELOPE` too, as a client fills its message list on selecting: the
    /// model then has the SORT and THREAD keys of every message in view.
    pub(super) fn sync_list(&mut self) -> Option<CommandBody> {
        self.sync(true)
    }

    fn sync(&mut self, envelopes: bool) -> Option<CommandBody> {
        use crate::wire::command::FetchAtt as F;
        self.selected.as_mut()?.synced = true;
        let mut items = vec![F::Uid, F::Flags];
        if envelopes {
            items.push(F::Envelope);
        }
        Some(CommandBody::Fetch(Fetch {
            uid: true,
            set: SequenceSet::all(),
            items: FetchItems::List(NonEmpty::new(items).ok()?),
            changed_since: None,
            vanished: false,
        }))
    }

    /// STORE the session's own keywords (and some system flags). Replace mode only in an own
    /// mailbox: in a shared one it would wipe the keywords other sessions own.
    pub(super) fn store(&mut self) -> Option<CommandBody> {
        let (uid, set) = self.small_set(false)?;
        let in_own = self
            .selected
            .as_ref()
            .is_some_and(|s| self.own.contains(&s.mailbox));
        let mode = match self.pick.below(if in_own { 3 } else { 2 }) {
            0 => StoreMode::Add,
            1 => StoreMode::Remove,
            _ => StoreMode::Replace,
        };
        let flags = self.own_flags();
        Some(CommandBody::Store(Store {
            uid,
            set,
            unchanged_since: None,
            mode,
            silent: self.pick.chance(25),
            flags,
        }))
    }

    /// `STORE 1:k +FLAGS.SILENT (\Deleted)`: what keeps shared mailboxes from growing.
    pub(super) fn mark_oldest_deleted(&mut self) -> Option<CommandBody> {
        let k = self.pick.range(1, 5);
        Some(CommandBody::Store(Store {
            uid: false,
            set: SequenceSet::range(1, k).ok()?,
            unchanged_since: None,
            mode: StoreMode::Add,
            silent: self.pick.chance(50),
            flags: vec![Flag::Deleted],
        }))
    }

    pub(super) fn uid_expunge(&mut self) -> Option<CommandBody> {
        let hint = self.uid_hint();
        Some(CommandBody::UidExpunge(small_uid_set(
            &mut self.pick,
            hint,
        )?))
    }

    pub(super) fn search(&mut self, uid_only: bool) -> Option<CommandBody> {
        let hint = self.uid_hint();
        let own = OwnNames {
            run_id: &self.plan.layout.run_id,
            session: self.id,
        };
        let criteria = search_criteria(&mut self.pick, &self.plan.caps, &own, hint)?;
        let charset = if self.pick.chance(10) {
            Charset::new("UTF-8").ok()
        } else {
            None
        };
        Some(CommandBody::Search(Search {
            uid: uid_only || self.pick.chance(50),
            return_opts: None,
            charset,
            criteria,
        }))
    }

    /// COPY to an own (else a shared) mailbox; MOVE only to an own one.
    pub(super) fn transfer(&mut self, is_move: bool) -> Option<CommandBody> {
        let target = match self.pick.one_of(&self.own).cloned() {
            Some(own) => own,
            None if is_move => return self.create(),
            None => self.shared()?,
        };
        let (uid, set) = self.small_set(false)?;
        let mb = mailbox(&target)?;
        Some(if is_move {
            CommandBody::Move {
                uid,
                set,
                mailbox: mb,
            }
        } else {
            CommandBody::Copy {
                uid,
                set,
                mailbox: mb,
            }
        })
    }
}

/// Whether `name` is strictly below `parent` in the hierarchy.
fn is_below(layout: &Layout, name: &[u8], parent: &[u8]) -> bool {
    let join = layout.delimiter.unwrap_or(b'-');
    name.len() > parent.len() && name.starts_with(parent) && name[parent.len()] == join
}
