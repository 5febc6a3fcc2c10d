//! Before and after a scenario: connect and log in, check capabilities, create and fill the
//! test mailbox, select it (imaptest's start states); afterwards delete what the scenario
//! created — only mailboxes under the test mailbox's own name.

use base64::Engine;

use super::args::{Arg, tokenize};
use super::conn::ScriptConn;
use super::exec::{Failure, Run, RunTarget, Verdict};
use super::group::run_group;
use super::model::{Command, Group, Messages, Scenario, StartState};

/// Where setup keeps the capabilities it saw (a name no script can write: it has a space).
pub const CAPABILITIES_VAR: &str = "imapgate capabilities";

/// Bring the connections to the scenario's start state. `Err` is the verdict when that is
/// impossible.
pub async fn start(run: &mut Run, s: &Scenario, target: &RunTarget) -> Result<(), Verdict> {
    let users = connection_users(s, target)?;
    set_variables(run, target, &users);
    run.rec.add_secret(target.password.expose().as_bytes());
    let script_ignore_extra = run.ignore_extra;
    run.ignore_extra = true;
    let result = prepare(run, s, target, &users).await;
    run.ignore_extra = script_ignore_extra;
    result
}

async fn prepare(
    run: &mut Run,
    s: &Scenario,
    target: &RunTarget,
    users: &[String],
) -> Result<(), Verdict> {
    for (i, _) in users.iter().enumerate() {
        open(run, target, i as u32).await?;
    }
    let h = &s.header;
    if h.state == StartState::NonAuth {
        return require_capabilities(run, &h.capabilities).await;
    }
    for (i, user) in users.iter().enumerate() {
        login(run, i, user, target).await?;
    }
    require_capabilities(run, &h.capabilities).await?;
    refuse_existing(run).await?;
    if h.state >= StartState::Created {
        let create = format!("CREATE {}", quote(&run.mailbox));
        step(run, 0, &create).await?;
    }
    if h.state >= StartState::Appended {
        for _ in 0..message_count(run, h.messages)? {
            step(run, 0, "append").await?;
        }
    }
    if h.state >= StartState::Selected {
        let select = format!("SELECT {}", quote(&run.mailbox));
        for i in 0..users.len() {
            step(run, i, &select).await?;
        }
    }
    Ok(())
}

/// The user of each connection: `user N:` from the header, else the target's first user.
fn connection_users(s: &Scenario, target: &RunTarget) -> Result<Vec<String>, Verdict> {
    let primary = target.users.first().cloned().unwrap_or_default();
    (1..=s.header.connections)
        .map(|n| match s.header.users.get(&n).map(String::as_str) {
            None => Ok(primary.clone()),
            Some("$user2" | "${user2}") => {
                target
                    .users
                    .get(1)
                    .cloned()
                    .ok_or_else(|| Verdict::Unimplemented {
                        reason: "needs a second test user ($user2) and the target has one user"
                            .into(),
                    })
            }
            Some(name) => Ok(name.to_owned()),
        })
        .collect()
}

/// `$mailbox`, `$mailbox_url` and per connection `$user`, `$username`, `$domain`,
/// `$password` (`$user2`, … for connection 2 on), and imapgate's `$sasl_plain`: the
/// base64 SASL PLAIN response for that user (`\0user\0password`), redacted like the password.
fn set_variables(run: &mut Run, target: &RunTarget, users: &[String]) {
    let mailbox = run.mailbox.clone();
    run.vars.set("mailbox", mailbox.as_bytes());
    run.vars.set("mailbox_url", url_path(&mailbox));
    for (i, user) in users.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            (i + 1).to_string()
        };
        let (name, domain) = match user.split_once('@') {
            Some((n, d)) => (n.to_owned(), d.to_owned()),
            None => (user.clone(), target.endpoint.host.clone()),
        };
        run.vars.set(&format!("user{suffix}"), user.as_bytes());
        run.vars.set(&format!("username{suffix}"), name);
        run.vars.set(&format!("domain{suffix}"), domain);
        run.vars
            .set(&format!("password{suffix}"), target.password.expose());
        let plain = format!("\0{user}\0{}", target.password.expose());
        let plain = base64::engine::general_purpose::STANDARD.encode(plain);
        run.rec.add_secret(plain.as_bytes());
        run.vars.set(&format!("sasl_plain{suffix}"), plain);
    }
}

/// A mailbox name as an IMAP URL path (RFC 5092): unreserved characters kept, others
/// percent-encoded (our names are ASCII).
fn url_path(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn open(run: &mut Run, target: &RunTarget, session: u32) -> Result<(), Verdict> {
    match ScriptConn::open(&target.endpoint, target.timeouts, session, &mut run.rec).await {
        Ok((conn, _greeting)) => {
            run.conns.push(conn);
            Ok(())
        }
        Err(e) => Err(Verdict::HarnessError {
            reason: format!("cannot connect to {}: {e}", target.name),
        }),
    }
}

async fn login(run: &mut Run, c: usize, user: &str, target: &RunTarget) -> Result<(), Verdict> {
    let text = format!("LOGIN {} {}", quote(user), quote(target.password.expose()));
    // `$` in a password is data, not a variable.
    let text = text.replace('$', "$$");
    command(run, c, &text)
        .await
        .map(drop)
        .map_err(|f| Verdict::HarnessError {
            reason: format!("cannot log in as {user}: {}", f.observed),
        })
}

/// CAPABILITY on the first connection; the scenario is Unimplemented without `required`.
async fn require_capabilities(run: &mut Run, required: &[String]) -> Result<(), Verdict> {
    let frames = step(run, 0, "CAPABILITY").await?;
    let have: Vec<String> = frames
        .iter()
        .map(|f| tokenize(f))
        .filter(|a| a.get(1).is_some_and(|w| w.is_atom("CAPABILITY")))
        .flat_map(|a| a.into_iter().skip(2))
        .filter_map(|a| a.astring().map(|s| String::from_utf8_lossy(s).into_owned()))
        .collect();
    run.vars.set(CAPABILITIES_VAR, have.join(" "));
    let missing: Vec<&str> = required
        .iter()
        .filter(|r| !have.iter().any(|h| h.eq_ignore_ascii_case(r)))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Verdict::Unimplemented {
            reason: format!("capability not advertised: {}", missing.join(" ")),
        })
    }
}

/// Decision 10: never touch mail imapgate did not create. Our names are unique per run, so
/// anything already there is someone else's.
async fn refuse_existing(run: &mut Run) -> Result<(), Verdict> {
    let list = format!("LIST \"\" {}", quote(&format!("{}*", run.mailbox)));
    let existing = listed_names(&step(run, 0, &list).await?, "LIST");
    if existing.is_empty() {
        run.owns_mailbox = true;
        return Ok(());
    }
    Err(Verdict::HarnessError {
        reason: format!(
            "refusing to run: mailboxes named like the test mailbox already exist: {}",
            existing.join(", ")
        ),
    })
}

fn message_count(run: &Run, messages: Messages) -> Result<usize, Verdict> {
    let available = run.mbox.as_ref().map_or(0, |m| m.len());
    let n = match messages {
        Messages::All => available,
        Messages::Count(n) => n as usize,
    };
    if n > 0 && available == 0 {
        return Err(Verdict::HarnessError {
            reason: "the scenario appends messages but its .mbox fixture is missing or empty"
                .into(),
        });
    }
    Ok(n)
}

/// A setup command that must succeed; a server refusing it fails the scenario.
async fn step(run: &mut Run, c: usize, text: &str) -> Result<Vec<Vec<u8>>, Verdict> {
    command(run, c, text).await.map_err(|mut f| {
        f.message = format!("setup {text:?} failed: {}", f.message);
        f.verdict()
    })
}

/// Run one command expecting OK; its untagged replies.
async fn command(run: &mut Run, c: usize, text: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let group = Group {
        connection: c,
        commands: vec![Command {
            line: 0,
            label: 0,
            text: text.as_bytes().to_vec(),
            reply: Some(vec![Arg::Atom(b"ok".to_vec())]),
            reply_line: None,
            mutation: None,
        }],
        ..Group::default()
    };
    run_group(run, &group).await
}

/// Run the script's groups, then imaptest's implicit LOGOUT on the first connection.
pub async fn script(run: &mut Run, s: &Scenario) -> Verdict {
    for group in &s.groups {
        if let Err(f) = run_group(run, group).await {
            return f.verdict();
        }
        for line in &group.output {
            let text = run.vars.expand_lenient(line);
            run.output.push(text);
        }
        if let Some(pause) = group.sleep {
            tokio::time::sleep(pause).await;
        }
    }
    if !has_logout(s)
        && let Err(mut f) = command(run, 0, "LOGOUT").await
    {
        f.message = format!("the closing LOGOUT: {}", f.message);
        return f.verdict();
    }
    Verdict::Pass
}

fn has_logout(s: &Scenario) -> bool {
    s.groups.iter().any(|g| {
        g.expects_bye
            || g.commands
                .iter()
                .any(|c| c.text.eq_ignore_ascii_case(b"logout"))
    })
}

/// Delete (and unsubscribe) every mailbox under the test mailbox's name, on a connection of
/// its own. Returns problems worth reporting; a server refusing is never a verdict here.
pub async fn cleanup(run: &mut Run, target: &RunTarget, session: u32) -> Vec<String> {
    run.ignore_extra = true;
    let Some(user) = target.users.first().cloned() else {
        return vec!["cleanup: the target has no user".into()];
    };
    if let Err(v) = open(run, target, session).await {
        return vec![format!("cleanup: {v:?}")];
    }
    if let Err(v) = login(run, 0, &user, target).await {
        return vec![format!("cleanup: {v:?}")];
    }
    let pattern = quote(&format!("{}*", run.mailbox));
    let listed = command(run, 0, &format!("LIST \"\" {pattern}")).await;
    let subscribed = command(run, 0, &format!("LSUB \"\" {pattern}")).await;
    let mut names = ours(run, listed.map(|f| listed_names(&f, "LIST")));
    names.sort_by_key(|n| std::cmp::Reverse(n.to_ascii_lowercase()));
    for name in &names {
        let _ = command(
            run,
            0,
            &format!("DELETE {}", quote(name)).replace('$', "$$"),
        )
        .await;
    }
    for name in ours(run, subscribed.map(|f| listed_names(&f, "LSUB"))) {
        let _ = command(
            run,
            0,
            &format!("UNSUBSCRIBE {}", quote(&name)).replace('$', "$$"),
        )
        .await;
    }
    let left = command(run, 0, &format!("LIST \"\" {pattern}")).await;
    let left = ours(run, left.map(|f| listed_names(&f, "LIST")));
    let _ = command(run, 0, "LOGOUT").await;
    if let Some(conn) = run.conns.pop() {
        conn.close(&mut run.rec);
    }
    if left.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "cleanup left mailboxes behind: {}",
            left.join(", ")
        )]
    }
}

/// Names starting with the test mailbox's (the server's LIST matching is not trusted).
fn ours(run: &Run, names: Result<Vec<String>, Failure>) -> Vec<String> {
    names
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.starts_with(run.mailbox.as_str()))
        .collect()
}

/// The mailbox names in `* LIST (flags) delim name` replies.
fn listed_names(frames: &[Vec<u8>], kind: &str) -> Vec<String> {
    frames
        .iter()
        .map(|f| tokenize(f))
        .filter(|a| a.get(1).is_some_and(|w| w.is_atom(kind)))
        .filter_map(|a| a.get(4).and_then(Arg::astring).map(<[u8]>::to_vec))
        .map(|n| String::from_utf8_lossy(&n).into_owned())
        .collect()
}

/// A quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
