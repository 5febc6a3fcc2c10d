//! Running one command group: send its commands (pipelined when there are several, waiting
//! for `+` before each synchronising literal), read until every tagged reply is in, and judge
//! each response as it arrives — untagged ones against the group's patterns, tagged ones
//! against the expected replies — as imaptest does.

use super::args::{Arg, render, tokenize};
use super::conn::{ReadError, first_word, is_tagged};
use super::exec::{Failure, Run};
use super::matcher::{Attempt, match_reply};
use super::model::{Existence, Group};
use super::send::{Part, append_shorthand, command_word, expand, literal_head, split_literals};

/// What a frame was, for the sender waiting on a continuation.
enum Seen {
    Continuation,
    /// The tagged reply of command k.
    Tagged(usize),
    Untagged,
}

/// The state of one group while it runs.
struct State<'g> {
    group: &'g Group,
    /// Wire tag of each command once sent.
    tags: Vec<Option<String>>,
    done: Vec<bool>,
    found: Vec<bool>,
    /// Per pattern: the most elements any reply matched, and that reply.
    best: Vec<(usize, String)>,
    mismatches: usize,
    first_extra: Option<String>,
    /// Every untagged reply, for setup steps that read them (LIST, CAPABILITY).
    untagged: Vec<Vec<u8>>,
    /// Whether unmatched untagged replies are acceptable.
    ignore_extra: bool,
}

/// Run `group`; the untagged replies it received, or the first failure.
pub async fn run_group(run: &mut Run, group: &Group) -> Result<Vec<Vec<u8>>, Failure> {
    let c = group.connection;
    if c >= run.conns.len() {
        return Err(Failure::at(group_line(group), "no such connection"));
    }
    let exists = run.conns[c].exists;
    run.vars.reset_seqmap(exists);
    let is_logout = group
        .commands
        .iter()
        .any(|cmd| cmd.text.eq_ignore_ascii_case(b"logout"));
    let mut st = State {
        group,
        tags: vec![None; group.commands.len()],
        done: vec![false; group.commands.len()],
        found: vec![false; group.untagged.len()],
        best: vec![(0, String::new()); group.untagged.len()],
        mismatches: 0,
        first_extra: None,
        untagged: Vec::new(),
        ignore_extra: run.ignore_extra || (is_logout && group.untagged.is_empty()),
    };
    match idle_word(group) {
        Some(Idle::Start) => return start_idle(run, &mut st).await,
        Some(Idle::Done) => return end_idle(run, &mut st).await,
        None => {}
    }
    for k in 0..group.commands.len() {
        send_command(run, &mut st, k).await?;
    }
    while let Some(k) = st.done.iter().position(|d| !d) {
        let tag = st.tags[k].clone();
        match run.conns[c].read(&mut run.rec, tag.as_deref()).await {
            Ok(frame) => {
                handle_frame(run, &mut st, &frame)?;
            }
            Err(e) => return ended_early(run, &mut st, k, e),
        }
    }
    finish(run, &st)?;
    Ok(st.untagged)
}

/// imapgate's IDLE (RFC 2177) in scripts: `N ok idle` sends IDLE and returns at the `+`,
/// leaving it open while other connections run their groups; `N ok done` waits until the
/// group's untagged patterns were pushed (or the read timeout), sends DONE and matches the
/// IDLE's completion against its expected reply.
enum Idle {
    Start,
    Done,
}

fn idle_word(group: &Group) -> Option<Idle> {
    let [cmd] = &group.commands[..] else {
        return None;
    };
    if cmd.text.eq_ignore_ascii_case(b"idle") {
        Some(Idle::Start)
    } else if cmd.text.eq_ignore_ascii_case(b"done") {
        Some(Idle::Done)
    } else {
        None
    }
}

async fn start_idle(run: &mut Run, st: &mut State<'_>) -> Result<Vec<Vec<u8>>, Failure> {
    send_command(run, st, 0).await?;
    if await_continuation(run, st, 0).await? {
        run.conns[st.group.connection].idling = st.tags[0].clone();
    }
    finish(run, st)?;
    Ok(std::mem::take(&mut st.untagged))
}

async fn end_idle(run: &mut Run, st: &mut State<'_>) -> Result<Vec<Vec<u8>>, Failure> {
    let c = st.group.connection;
    let line = group_line(st.group);
    let tag = run.conns[c].idling.take().ok_or_else(|| {
        Failure::ours(
            line,
            "`done` without an `idle` held open on this connection",
        )
    })?;
    st.tags[0] = Some(tag.clone());
    let pending = |st: &State<'_>| {
        st.group
            .untagged
            .iter()
            .zip(&st.found)
            .any(|(u, found)| u.existence == Existence::Must && !found)
    };
    // Pushed while idling: nothing is sent until every expected response came.
    while pending(st) && !st.done[0] {
        match run.conns[c].read(&mut run.rec, Some(&tag)).await {
            Ok(frame) => {
                handle_frame(run, st, &frame)?;
            }
            Err(e) => return Err(Failure::at(line, format!("while idling: {e}"))),
        }
    }
    if !st.done[0] {
        let sending = Sending {
            c,
            word: "DONE",
            line,
            mutation: None,
        };
        send(run, &sending, b"DONE\r\n", None).await?;
    }
    while !st.done[0] {
        match run.conns[c].read(&mut run.rec, Some(&tag)).await {
            Ok(frame) => {
                handle_frame(run, st, &frame)?;
            }
            Err(e) => return ended_early(run, st, 0, e),
        }
    }
    finish(run, st)?;
    Ok(std::mem::take(&mut st.untagged))
}

fn group_line(group: &Group) -> usize {
    group.commands.first().map_or(0, |c| c.line)
}

async fn send_command(run: &mut Run, st: &mut State<'_>, k: usize) -> Result<(), Failure> {
    let cmd = &st.group.commands[k];
    let c = st.group.connection;
    let parts =
        expand(split_literals(&cmd.text), &run.vars).map_err(|m| Failure::at(cmd.line, m))?;
    let parts = append_shorthand(parts, &mut run.mbox, &run.mailbox)
        .map_err(|m| Failure::ours(cmd.line, m))?;
    let word = command_word(&parts);
    let sending = Sending {
        c,
        word: &word,
        line: cmd.line,
        mutation: cmd.mutation.as_deref(),
    };
    if matches!(word.as_str(), "SELECT" | "EXAMINE" | "CLOSE" | "UNSELECT") {
        run.conns[c].exists = 0;
    }
    let tag = run.conns[c].fresh_tag();
    st.tags[k] = Some(tag.clone());
    let mut bytes = format!("{tag} ").into_bytes();
    let mut first = true;
    for part in parts {
        match part {
            Part::Text(t) => bytes.extend_from_slice(&t),
            Part::Literal {
                data,
                binary,
                nonsync,
            } => {
                bytes.extend_from_slice(&literal_head(data.len(), binary, nonsync));
                if !nonsync {
                    let t = first.then_some(tag.as_str());
                    send(run, &sending, &bytes, t).await?;
                    first = false;
                    bytes.clear();
                    if !await_continuation(run, st, k).await? {
                        return Ok(());
                    }
                }
                bytes.extend_from_slice(&data);
            }
        }
    }
    bytes.extend_from_slice(b"\r\n");
    let t = first.then_some(tag.as_str());
    send(run, &sending, &bytes, t).await
}

/// What every fragment of one command shares.
struct Sending<'a> {
    c: usize,
    word: &'a str,
    line: usize,
    mutation: Option<&'a str>,
}

async fn send(
    run: &mut Run,
    s: &Sending<'_>,
    bytes: &[u8],
    tag: Option<&str>,
) -> Result<(), Failure> {
    if tag.is_some() {
        run.sent_lines.push((run.rec.next_index(), s.line));
    }
    run.conns[s.c]
        .send(&mut run.rec, bytes, tag, s.word, s.mutation)
        .await
        .map_err(|e| Failure::at(s.line, format!("sending {}: {e}", s.word)))
}

/// Read until `+` (true) or command k's tagged reply (false: the server refused the literal).
async fn await_continuation(run: &mut Run, st: &mut State<'_>, k: usize) -> Result<bool, Failure> {
    let c = st.group.connection;
    loop {
        let tag = st.tags[k].clone();
        let frame = match run.conns[c].read(&mut run.rec, tag.as_deref()).await {
            Ok(f) => f,
            Err(e) => return ended_early(run, st, k, e).map(|_| false),
        };
        match handle_frame(run, st, &frame)? {
            Seen::Continuation => return Ok(true),
            Seen::Tagged(j) if j == k => return Ok(false),
            Seen::Tagged(_) | Seen::Untagged => {}
        }
    }
}

fn handle_frame(run: &mut Run, st: &mut State<'_>, frame: &[u8]) -> Result<Seen, Failure> {
    if frame.starts_with(b"+") {
        return Ok(Seen::Continuation);
    }
    if is_tagged(frame) {
        return tagged(run, st, frame).map(Seen::Tagged);
    }
    st.untagged.push(frame.to_vec());
    let mut args = tokenize(frame);
    if !args.is_empty() {
        args.remove(0);
    }
    untagged(run, st, &args)?;
    track_state(run, st.group.connection, &args);
    Ok(Seen::Untagged)
}

fn tagged(run: &mut Run, st: &mut State<'_>, frame: &[u8]) -> Result<usize, Failure> {
    let tag = String::from_utf8_lossy(first_word(frame)).into_owned();
    let k = st
        .tags
        .iter()
        .position(|t| t.as_deref() == Some(tag.as_str()))
        .filter(|&k| !st.done[k])
        .ok_or_else(|| {
            Failure::at(
                group_line(st.group),
                format!(
                    "tagged reply for a tag not in flight: {}",
                    String::from_utf8_lossy(frame).trim_end()
                ),
            )
        })?;
    st.done[k] = true;
    let cmd = &st.group.commands[k];
    let mut args = tokenize(frame);
    args.remove(0);
    let expected = cmd.reply.clone().unwrap_or_default();
    run.vars.set("tag", tag.as_bytes());
    let matched = alternatives(&expected).iter().any(|pattern| {
        let mut attempt = Attempt::new(&mut run.vars);
        let ok = match_reply(&mut attempt, pattern, &args, true).is_ok();
        if !ok {
            attempt.revert();
        }
        ok
    });
    run.vars.unbind(b"tag");
    let word = split_literals(&cmd.text);
    if !matched {
        return Err(Failure {
            line: cmd.reply_line.unwrap_or(cmd.line),
            command: Some(command_word(&word).into()),
            expected: render(&expected),
            observed: render(&args),
            message: "unexpected tagged reply".into(),
            requirement: None,
            ours: false,
        });
    }
    Ok(k)
}

/// An expected tagged reply whose first word is `no|bad` (imapgate) stands for one pattern
/// per alternative; any other reply is itself.
fn alternatives(expected: &[Arg]) -> Vec<Vec<Arg>> {
    let Some((first, rest)) = expected.split_first() else {
        return vec![expected.to_vec()];
    };
    match first.atom() {
        Some(word) if word.contains(&b'|') => word
            .split(|&b| b == b'|')
            .map(|alt| [&[Arg::Atom(alt.to_vec())][..], rest].concat())
            .collect(),
        _ => vec![expected.to_vec()],
    }
}

/// Match one untagged reply against the group's patterns.
fn untagged(run: &mut Run, st: &mut State<'_>, args: &[Arg]) -> Result<(), Failure> {
    if st.group.untagged.is_empty() && st.ignore_extra {
        return Ok(());
    }
    let prefix = args
        .first()
        .is_some_and(|a| ["ok", "no", "bad", "bye"].iter().any(|w| a.is_atom(w)));
    let first_tag = st.tags.first().cloned().flatten();
    let mut found_some = false;
    for (i, want) in st.group.untagged.iter().enumerate() {
        if st.found[i] {
            continue;
        }
        if let Some(t) = &first_tag {
            run.vars.set("tag", t.as_bytes());
        }
        let mut attempt = Attempt::new(&mut run.vars);
        let result = match_reply(&mut attempt, &want.pattern, args, prefix);
        if result.is_err() {
            attempt.revert();
        }
        run.vars.unbind(b"tag");
        match result {
            Ok(()) if want.existence == Existence::MustNot => {
                return Err(Failure {
                    line: want.line,
                    command: None,
                    expected: format!("no reply like `{}`", render(&want.pattern)),
                    observed: render(args),
                    message: "unexpected untagged reply".into(),
                    requirement: None,
                    ours: false,
                });
            }
            Ok(()) => {
                st.found[i] = true;
                found_some = true;
                if st.group.ordered {
                    break;
                }
            }
            Err(n) => {
                if n >= st.best[i].0 {
                    st.best[i] = (n, render(args));
                }
                if st.group.ordered && want.existence == Existence::Must {
                    break;
                }
            }
        }
    }
    if !found_some {
        st.mismatches += 1;
        if !st.ignore_extra && st.first_extra.is_none() {
            st.first_extra = Some(render(args));
        }
    }
    Ok(())
}

/// EXISTS and EXPUNGE move the connection's view (after matching, as imaptest does); BYE is
/// noted so a following disconnection is expected.
fn track_state(run: &mut Run, c: usize, args: &[Arg]) {
    let number = args
        .first()
        .and_then(Arg::atom)
        .and_then(|a| std::str::from_utf8(a).ok())
        .and_then(|s| s.parse::<u32>().ok());
    let conn = &mut run.conns[c];
    match (number, args.get(1)) {
        (Some(n), Some(w)) if w.is_atom("EXISTS") => conn.exists = n,
        (Some(n), Some(w)) if w.is_atom("EXPUNGE") => {
            run.vars.expunge(n);
            conn.exists = conn.exists.saturating_sub(1);
        }
        _ if args.first().is_some_and(|a| a.is_atom("BYE")) => conn.bye_seen = true,
        _ => {}
    }
}

/// The connection ended (or went silent) before every tagged reply came.
fn ended_early(
    run: &mut Run,
    st: &mut State<'_>,
    k: usize,
    e: ReadError,
) -> Result<Vec<Vec<u8>>, Failure> {
    let c = st.group.connection;
    let line = st.group.commands[k].line;
    let bye_expected = st.group.expects_bye && run.conns[c].bye_seen;
    if !matches!(e, ReadError::Closed) || !bye_expected {
        let message = match e {
            ReadError::Closed => "unexpected disconnection".to_owned(),
            other => other.to_string(),
        };
        return Err(Failure::at(line, message));
    }
    for (j, cmd) in st.group.commands.iter().enumerate() {
        let any = cmd.reply.as_deref() == Some(&[Arg::Atom(Vec::new())][..]);
        if !st.done[j] && !any {
            return Err(Failure::at(
                cmd.line,
                format!(
                    "command expected `{}` as tagged reply - only \"\" is allowed when BYE happens",
                    render(cmd.reply.as_deref().unwrap_or_default())
                ),
            ));
        }
        st.done[j] = true;
    }
    finish(run, st)?;
    Ok(std::mem::take(&mut st.untagged))
}

/// After the last tagged reply: every `*` pattern must have matched, and without
/// `ignore_extra_untagged` every reply must have matched something.
fn finish(run: &Run, st: &State<'_>) -> Result<(), Failure> {
    let missing: Vec<usize> = (0..st.group.untagged.len())
        .filter(|&i| st.group.untagged[i].existence == Existence::Must && !st.found[i])
        .collect();
    if let Some(&i) = missing.first() {
        let want = &st.group.untagged[i];
        return Err(Failure {
            line: want.line,
            command: None,
            expected: run.vars.expand_lenient(render(&want.pattern).as_bytes()),
            observed: st.best[i].1.clone(),
            message: format!(
                "missing {} untagged repl{} ({} mismatched)",
                missing.len(),
                if missing.len() == 1 { "y" } else { "ies" },
                st.mismatches
            ),
            requirement: None,
            ours: false,
        });
    }
    if let Some(extra) = &st.first_extra {
        return Err(Failure {
            line: group_line(st.group),
            command: None,
            expected: "only the untagged replies listed (ignore_extra_untagged: no)".into(),
            observed: extra.clone(),
            message: format!("{} unexpected untagged replies", st.mismatches),
            requirement: None,
            ours: false,
        });
    }
    Ok(())
}
