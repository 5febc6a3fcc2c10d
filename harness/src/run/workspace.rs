//! The run's workspace on the server: its root mailbox and the shared mailboxes, created
//! before the sessions start and removed after them (DESIGN.md decision 10). Setup refuses to
//! reuse a root that already exists (it could hold mail imapgate did not create); clean-up
//! deletes only names at or below the root, deepest first, and reports what is left.

use std::collections::BTreeMap;

use super::driver::{Driver, Ended, Exchange};
use super::runner::Runner;
use crate::generate::layout::Layout;
use crate::history::{EventKind, SessionId};
use crate::wire::command::{CommandBody, List, ListMailbox, Mailbox};
use crate::wire::escape::escape_bytes;
use crate::wire::parse_response;
use crate::wire::response::{Data, Response};

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(
        "mailbox {0} already exists: refusing to work in a mailbox imapgate did not create \
         (pick another --run-id, or remove it by hand)"
    )]
    Exists(String),
    #[error("{command} {mailbox} refused: {reply}")]
    Refused {
        command: &'static str,
        mailbox: String,
        reply: String,
    },
    #[error("the session ended during setup or clean-up: {0}")]
    Ended(#[from] Ended),
    #[error("invalid mailbox name {0}")]
    Name(String),
}

fn shown(name: &[u8]) -> String {
    escape_bytes(name)
}

fn mailbox(name: &[u8]) -> Result<Mailbox, WorkspaceError> {
    Mailbox::new(name.to_vec()).map_err(|_| WorkspaceError::Name(shown(name)))
}

/// Create the root and the shared mailboxes.
pub async fn setup(driver: &mut Driver, layout: &Layout) -> Result<(), WorkspaceError> {
    let existing = list(driver, layout, false, &layout.root).await?;
    if !existing.is_empty() {
        return Err(WorkspaceError::Exists(shown(&layout.root)));
    }
    create(driver, &layout.root).await?;
    for shared in &layout.shared {
        create(driver, shared).await?;
    }
    Ok(())
}

async fn create(driver: &mut Driver, name: &[u8]) -> Result<(), WorkspaceError> {
    let reply = driver.run(CommandBody::Create(mailbox(name)?)).await?;
    if reply.is_ok() {
        return Ok(());
    }
    Err(WorkspaceError::Refused {
        command: "CREATE",
        mailbox: shown(name),
        reply: completion_text(&reply),
    })
}

/// More connections a clean-up may delete over at once, as `user`, numbered from `first`
/// (ids no other session of the history uses).
pub struct Helpers<'a> {
    pub runner: &'a Runner,
    pub first: SessionId,
    pub user: &'a str,
}

/// Helper connections a clean-up opens at most (besides its own).
pub const MAX_HELPERS: usize = 3;

/// Unsubscribe and delete everything at or below the root; returns the names still there.
/// With `helpers`, the names of one level are dealt out among up to [`MAX_HELPERS`] more
/// connections: Courier holds every DELETE for two seconds, and concurrent ones overlap (a
/// 10-minute run's clean-up took seven minutes over one connection).
pub async fn cleanup(
    driver: &mut Driver,
    layout: &Layout,
    helpers: Option<Helpers<'_>>,
) -> Result<Vec<String>, WorkspaceError> {
    let pattern = layout.pattern();
    for name in list(driver, layout, true, &pattern).await? {
        driver
            .run(CommandBody::Unsubscribe(mailbox(&name)?))
            .await?;
    }
    let names = list(driver, layout, false, &pattern).await?;
    // Children before parents: some servers refuse to delete a mailbox with inferiors.
    let mut levels: BTreeMap<std::cmp::Reverse<usize>, Vec<Vec<u8>>> = BTreeMap::new();
    for name in names {
        levels
            .entry(std::cmp::Reverse(layout.depth(&name)))
            .or_default()
            .push(name);
    }
    let widest = levels.values().map(Vec::len).max().unwrap_or(0);
    let mut extra = match helpers {
        Some(h) if widest > 1 => open_helpers(&h, (widest - 1).min(MAX_HELPERS)).await,
        _ => Vec::new(),
    };
    let mut deleted = Ok(());
    for level in levels.into_values() {
        deleted = delete_level(driver, &mut extra, level).await;
        if deleted.is_err() {
            break;
        }
    }
    for mut d in extra {
        let _ = d.run(CommandBody::Logout).await;
        d.record(EventKind::Closed);
    }
    deleted?;
    // What concurrent deletes left (a server refusing one while another is under way), once
    // more over this connection alone, children first.
    let mut again = list(driver, layout, false, &pattern).await?;
    if again.is_empty() {
        return Ok(Vec::new());
    }
    again.sort_by_key(|n| std::cmp::Reverse(layout.depth(n)));
    delete_each(driver, &again).await?;
    let left = list(driver, layout, false, &pattern).await?;
    Ok(left.iter().map(|n| shown(n)).collect())
}

/// Up to `n` helper connections (as many as log in).
async fn open_helpers(h: &Helpers<'_>, n: usize) -> Vec<Driver> {
    let mut out = Vec::with_capacity(n);
    for id in (h.first..).take(n) {
        if let Ok(d) = h.runner.open(id, h.user).await {
            out.push(d);
        }
    }
    out
}

/// Delete one level's `names`, dealt out round-robin between `driver` and the `extra`
/// connections, which work at once (each is handed back for the next level).
async fn delete_level(
    driver: &mut Driver,
    extra: &mut Vec<Driver>,
    names: Vec<Vec<u8>>,
) -> Result<(), WorkspaceError> {
    let lanes = extra.len() + 1;
    let mut shares: Vec<Vec<Vec<u8>>> = vec![Vec::new(); lanes];
    for (i, name) in names.into_iter().enumerate() {
        shares[i % lanes].push(name);
    }
    let mine = shares.remove(0);
    let tasks: Vec<_> = (extra.drain(..).zip(shares))
        .map(|(mut d, share)| {
            tokio::spawn(async move {
                let done = delete_each(&mut d, &share).await;
                (d, done)
            })
        })
        .collect();
    let mut result = delete_each(driver, &mine).await;
    for task in tasks {
        // A helper that panicked is lost; its share stays for the final LIST to report.
        if let Ok((d, done)) = task.await {
            extra.push(d);
            result = result.and(done);
        }
    }
    result
}

async fn delete_each(driver: &mut Driver, names: &[Vec<u8>]) -> Result<(), WorkspaceError> {
    for name in names {
        driver.run(CommandBody::Delete(mailbox(name)?)).await?;
    }
    Ok(())
}

/// Names matching `pattern` (LIST, or LSUB with `subscribed`) that the run owns. Anything
/// else a server returns is ignored: it is never ours to touch.
pub async fn list(
    driver: &mut Driver,
    layout: &Layout,
    subscribed: bool,
    pattern: &[u8],
) -> Result<Vec<Vec<u8>>, WorkspaceError> {
    let reply = list_reply(driver, subscribed, pattern).await?;
    // hoodiecrow answers BAD to `LIST "" imapgate-x*`: ask for everything instead (only
    // the run's own names are kept either way).
    let reply = if reply.is_ok() || pattern == b"*" {
        reply
    } else {
        list_reply(driver, subscribed, b"*").await?
    };
    let mut names: Vec<Vec<u8>> = reply
        .frames
        .iter()
        .filter_map(|f| listed_name(f))
        .filter(|n| layout.owns(n))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

async fn list_reply(
    driver: &mut Driver,
    subscribed: bool,
    pattern: &[u8],
) -> Result<Exchange, WorkspaceError> {
    let reference = Mailbox::new(Vec::new()).map_err(|_| WorkspaceError::Name("\"\"".into()))?;
    let pattern =
        ListMailbox::new(pattern.to_vec()).map_err(|_| WorkspaceError::Name(shown(pattern)))?;
    let body = if subscribed {
        CommandBody::Lsub { reference, pattern }
    } else {
        CommandBody::List(List {
            selection: Vec::new(),
            reference,
            pattern,
            return_opts: Vec::new(),
        })
    };
    Ok(driver.run(body).await?)
}

fn listed_name(frame: &[u8]) -> Option<Vec<u8>> {
    use crate::wire::grammar::mailbox::Mailbox as Listed;
    match parse_response(frame) {
        Ok(Response::Data(Data::List(l) | Data::Lsub(l))) => match l.mailbox {
            Listed::Other(name) => Some(name.as_bytes().to_vec()),
            Listed::Inbox => None,
        },
        _ => None,
    }
}

fn completion_text(reply: &Exchange) -> String {
    reply
        .done
        .as_deref()
        .map_or_else(|| "no completion".to_owned(), escape_bytes)
}
