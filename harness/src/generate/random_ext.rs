//! The random generator's extension commands, each used only when the server advertises it:
//! ENABLE (RFC 5161), ID (RFC 2971), CONDSTORE/QRESYNC (RFC 7162: SELECT parameters, FETCH
//! CHANGEDSINCE/VANISHED, STORE UNCHANGEDSINCE 0), ESEARCH (RFC 4731), SORT and THREAD
//! (RFC 5256), and ENABLE IMAP4rev2 (RFC 9051) where both revisions are offered. None changes a message: UNCHANGEDSINCE 0 on a system flag always fails.

use super::*;

impl Extensions {
    /// Whether any authenticated-state extension command may be sent.
    pub(super) fn in_auth(&self) -> bool {
        self.enable || self.id
    }

    /// Whether any selected-state extension command may be sent.
    pub(super) fn in_selected(&self) -> bool {
        self.condstore || self.esearch || self.sort || !self.threads.is_empty()
    }
}

impl RandomSession {
    /// ENABLE or ID, in the authenticated state.
    pub(super) fn ext_auth(&mut self) -> Option<CommandBody> {
        let enable_w = if self.ext.enable { 3 } else { 0 };
        let id_w = if self.ext.id { 2 } else { 0 };
        match self.pick.weighted(&[enable_w, id_w]) {
            0 => self.enable(),
            _ => self.id_command(),
        }
    }

    fn enable(&mut self) -> Option<CommandBody> {
        let name = if self.ext.rev2 && self.pick.chance(30) {
            // RFC 9051 Appendix A: a server offering both revisions speaks rev2 only after this.
            "IMAP4rev2"
        } else if self.ext.qresync && self.pick.chance(60) {
            // The session believes QRESYNC is on from now (until it reconnects).
            self.qresync_on = true;
            "QRESYNC"
        } else {
            "CONDSTORE"
        };
        Some(CommandBody::Enable(
            NonEmpty::new(vec![Atom::new(name).ok()?]).ok()?,
        ))
    }

    fn id_command(&mut self) -> Option<CommandBody> {
        if self.pick.chance(40) {
            return Some(CommandBody::Id(None));
        }
        let fields = vec![
            (IString::new("name").ok()?, IString::new("imapgate").ok()),
            (
                IString::new("version").ok()?,
                IString::new(env!("CARGO_PKG_VERSION")).ok(),
            ),
        ];
        Some(CommandBody::Id(Some(fields)))
    }

    /// SELECT/EXAMINE parameters: CONDSTORE now and then; QRESYNC once the session enabled
    /// it (its UIDVALIDITY is a guess: a mismatch must make the server ignore the rest).
    pub(super) fn select_params(&mut self, select: &mut Select) {
        if self.ext.condstore && self.pick.chance(25) {
            select.condstore = true;
        }
        if !self.qresync_on || !self.pick.chance(30) {
            return;
        }
        let hint = self.uid_hint();
        let known_uids = if self.pick.chance(50) {
            SequenceSet::range(1, hint.max(1)).ok()
        } else {
            None
        };
        let uid_validity = std::num::NonZeroU32::new(self.pick.range(1, 3));
        let mod_seq = ModSeq::new(u64::from(self.pick.range(1, 50))).ok();
        if let (Some(uid_validity), Some(mod_seq)) = (uid_validity, mod_seq) {
            select.qresync = Some(Qresync {
                uid_validity,
                mod_seq,
                known_uids,
                seq_match: None,
            });
        }
    }

    /// One extension command in the selected state (`read_only`: no STORE).
    pub(super) fn ext_selected(&mut self, read_only: bool) -> Option<CommandBody> {
        let c = if self.ext.condstore { 3 } else { 0 };
        let store_w = if read_only { 0 } else { c };
        let e = if self.ext.esearch { 3 } else { 0 };
        let s = if self.ext.sort { 2 } else { 0 };
        let t = if self.ext.threads.is_empty() { 0 } else { 2 };
        match self.pick.weighted(&[c, store_w, e, s, t]) {
            0 => self.fetch_changed_since(),
            1 => self.store_unchanged_zero(),
            2 => self.esearch(),
            3 => self.sort(),
            _ => self.thread(),
        }
    }

    fn fetch_changed_since(&mut self) -> Option<CommandBody> {
        let (uid, set) = self.small_set(false)?;
        use crate::wire::command::FetchAtt as F;
        Some(CommandBody::Fetch(Fetch {
            uid,
            set,
            items: FetchItems::List(NonEmpty::new(vec![F::Uid, F::Flags]).ok()?),
            changed_since: ModSeq::new(u64::from(self.pick.range(1, 100))).ok(),
            vanished: uid && self.qresync_on && self.pick.chance(50),
        }))
    }

    /// Always fails (RFC 7162 §3.1.3): the detector expects every named message in
    /// `[MODIFIED]`, and nothing changes.
    fn store_unchanged_zero(&mut self) -> Option<CommandBody> {
        let (uid, set) = self.small_set(false)?;
        let flag = self
            .pick
            .one_of(&[Flag::Flagged, Flag::Seen, Flag::Answered])?
            .clone();
        Some(CommandBody::Store(Store {
            uid,
            set,
            unchanged_since: ModSeqValzer::new(0).ok(),
            mode: if self.pick.chance(50) {
                StoreMode::Add
            } else {
                StoreMode::Remove
            },
            silent: self.pick.chance(50),
            flags: vec![flag],
        }))
    }

    fn esearch(&mut self) -> Option<CommandBody> {
        let Some(CommandBody::Search(mut search)) = self.search(false) else {
            return None;
        };
        use SearchReturnOpt as R;
        let all = [R::Min, R::Max, R::Count, R::All];
        let opts = all.into_iter().filter(|_| self.pick.chance(50)).collect();
        search.return_opts = Some(opts);
        Some(CommandBody::Search(search))
    }

    fn sort(&mut self) -> Option<CommandBody> {
        use SortKey as K;
        let key = *self
            .pick
            .one_of(&[K::Arrival, K::Date, K::Subject, K::Size, K::From])?;
        let criterion = SortCriterion {
            reverse: self.pick.chance(30),
            key,
        };
        Some(CommandBody::Sort(Sort {
            uid: self.pick.chance(50),
            criteria: NonEmpty::new(vec![criterion]).ok()?,
            charset: Charset::new("US-ASCII").ok()?,
            search: self.sort_search()?,
        }))
    }

    fn thread(&mut self) -> Option<CommandBody> {
        Some(CommandBody::Thread(Thread {
            uid: self.pick.chance(50),
            algorithm: Atom::new(*self.pick.one_of(self.ext.threads)?).ok()?,
            charset: Charset::new("US-ASCII").ok()?,
            search: self.sort_search()?,
        }))
    }

    /// `ALL` mostly, else the search generator's criteria.
    fn sort_search(&mut self) -> Option<NonEmpty<SearchKey>> {
        if self.pick.chance(70) {
            return NonEmpty::new(vec![SearchKey::All]).ok();
        }
        match self.search(false)? {
            CommandBody::Search(s) => Some(s.criteria),
            _ => None,
        }
    }
}
