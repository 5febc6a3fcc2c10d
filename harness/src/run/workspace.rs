//! The run's workspace on the server: its root mailbox and the shared mailboxes, created
//! before the sessions start and removed after them (DESIGN.md decision 10). Setup refuses to
//! reuse a root that already exists (it could hold mail imapgate did not create); clean-up
//! deletes only names at or below the root, deepest first, and reports what is left.

use super::driver::{Driver, Ended, Exchange};
use crate::generate::layout::Layout;
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

/// Unsubscribe and delete everything at or below the root; returns the names still there.
pub async fn cleanup(driver: &mut Driver, layout: &Layout) -> Result<Vec<String>, WorkspaceError> {
    let pattern = layout.pattern();
    for name in list(driver, layout, true, &pattern).await? {
        driver
            .run(CommandBody::Unsubscribe(mailbox(&name)?))
            .await?;
    }
    let mut names = list(driver, layout, false, &pattern).await?;
    // Children before parents: some servers refuse to delete a mailbox with inferiors.
    names.sort_by_key(|n| std::cmp::Reverse(layout.depth(n)));
    for name in &names {
        driver.run(CommandBody::Delete(mailbox(name)?)).await?;
    }
    let left = list(driver, layout, false, &pattern).await?;
    Ok(left.iter().map(|n| shown(n)).collect())
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
