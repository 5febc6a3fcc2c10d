//! The live target's connection. A Dovecot login costs about 10 ms, fifty round trips; the
//! mutations that end a session (a huge literal claim, which Dovecot answers with BYE) would
//! make it most of the exec time. So while one session works, the next one logs in in the
//! background, on the same runtime, between this session's round trips: a session that
//! ends is replaced at once. The two alternate between two session ids (`first_id` and the
//! next), so several connections (lanes) can share one history.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use tokio::task::JoinHandle;

use super::live_ops::Group;
use crate::history::{EventKind, SessionId};
use crate::run::connect::Access;
use crate::run::driver::{Driver, Ended};
use crate::run::recorder::Recorder;
use crate::run::runner::Runner;
use crate::wire::command::CommandBody;

pub(super) struct Conn {
    access: Access,
    rec: Arc<Recorder>,
    user: String,
    mailbox: String,
    driver: Option<Driver>,
    /// The next session, logging in (or logged in) ahead of need.
    spare: Option<JoinHandle<Option<Driver>>>,
    first_id: SessionId,
    next_id: SessionId,
    /// Sessions taken into use so far.
    pub logins: u64,
    /// Round-trip time spent per kind of group (count, µs), for the statistics.
    pub spent: BTreeMap<&'static str, (u64, u64)>,
}

impl Conn {
    pub fn new(
        access: Access,
        rec: Arc<Recorder>,
        user: String,
        mailbox: String,
        first_id: SessionId,
    ) -> Conn {
        Conn {
            access,
            rec,
            user,
            mailbox,
            driver: None,
            spare: None,
            first_id,
            next_id: first_id,
            logins: 0,
            spent: BTreeMap::new(),
        }
    }

    pub fn recorder(&self) -> &Arc<Recorder> {
        &self.rec
    }

    pub fn mailbox(&self) -> &str {
        &self.mailbox
    }

    /// Run `groups` (a new session selected the run's mailbox when it logged in); how the
    /// session ended, if it did: "<what was sent>: <how>".
    pub async fn run(&mut self, groups: Vec<Group>) -> Option<String> {
        let mut d = match self.driver.take() {
            Some(d) => d,
            None => {
                let started = Instant::now();
                let d = self.connect().await;
                self.count("login", started);
                match d {
                    Some(d) => d,
                    None => return Some("login: failed".to_owned()),
                }
            }
        };
        self.keep_spare();
        for mut group in groups {
            let started = Instant::now();
            let result = d.run_group(&mut group.steps).await;
            self.count(group.name, started);
            if let Err(e) = result {
                return Some(format!("{}: {e:?}", group.name));
            }
        }
        self.driver = Some(d);
        None
    }

    /// One more round trip of kind `name`, begun at `started`, in the statistics.
    fn count(&mut self, name: &'static str, started: Instant) {
        let spent = self.spent.entry(name).or_default();
        spent.0 += 1;
        spent.1 += u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    }

    /// Delete the run's mailbox when `delete` (it created it; the last lane to restart
    /// does), log the session out and drop the spare; later sessions record into `rec` and
    /// work in `mailbox`.
    pub async fn restart(&mut self, rec: Arc<Recorder>, mailbox: String, delete: bool) {
        if let Some(mut d) = self.driver.take() {
            let close = super::live_groups::valid_step("CLOSE");
            let _ = d.run_group(&mut vec![close]).await;
            if delete {
                let delete = super::live_groups::valid_step(&format!("DELETE {}", self.mailbox));
                let _ = d.run_group(&mut vec![delete]).await;
            }
            let _ = d.run(CommandBody::Logout).await;
            d.record(EventKind::Closed);
        }
        if let Some(spare) = self.spare.take() {
            spare.abort();
        }
        self.rec = rec;
        self.mailbox = mailbox;
    }

    /// The spare session if it logged in, else a new one.
    async fn connect(&mut self) -> Option<Driver> {
        self.logins += 1;
        if let Some(spare) = self.spare.take()
            && let Ok(Some(d)) = {
                let ready = if spare.is_finished() {
                    "spare ready"
                } else {
                    "spare pending"
                };
                self.spent.entry(ready).or_default().0 += 1;
                spare.await
            }
        {
            return Some(d);
        }
        let id = self.fresh_id();
        open(&self.access, &self.rec, id, &self.user, &self.mailbox).await
    }

    fn keep_spare(&mut self) {
        if self.spare.is_some() {
            return;
        }
        let id = self.fresh_id();
        let (access, rec) = (self.access.clone(), Arc::clone(&self.rec));
        let (user, mailbox) = (self.user.clone(), self.mailbox.clone());
        self.spare = Some(tokio::spawn(async move {
            open(&access, &rec, id, &user, &mailbox).await
        }));
    }

    /// Ids alternate: at most two sessions of this lane live at once, the working one and
    /// the spare.
    fn fresh_id(&mut self) -> SessionId {
        let id = self.next_id;
        self.next_id = if id == self.first_id {
            self.first_id + 1
        } else {
            self.first_id
        };
        id
    }
}

/// Log in, make sure the run's mailbox exists (CREATE of an existing one is a harmless NO)
/// and select it: a spare does this ahead of need (a Dovecot SELECT is half a millisecond).
async fn open(
    access: &Access,
    rec: &Arc<Recorder>,
    id: SessionId,
    user: &str,
    mailbox: &str,
) -> Option<Driver> {
    let runner = Runner::new(access.clone(), Arc::clone(rec), 1);
    let mut d = runner.open(id, user).await.ok()?;
    let create = super::live_groups::valid_step(&format!("CREATE {mailbox}"));
    let select = super::live_groups::valid_step(&format!("SELECT {mailbox}"));
    let setup = async {
        d.run_group(&mut vec![create]).await?;
        d.run_group(&mut vec![select]).await
    };
    match setup.await {
        Ok(()) => Some(d),
        Err(Ended::Harness) => super::live::exit("harness error while creating the live mailbox"),
        Err(_) => None,
    }
}
