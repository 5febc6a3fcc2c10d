//! THREAD=REFERENCES computed whole (RFC 5256 §3), for an answer whose every message the
//! model knows: imapgate wrote it (so its Message-ID, and the one id its In-Reply-To and
//! References name, are in the ENVELOPE), and its base subject and sent date are known.
//! Then the answer has one right form, and `thread_tree`'s partial rules give way to a
//! comparison with it.
//!
//! Step 4's order matters to step 5 only between roots of one base subject, and there only
//! when none of them is a dummy (a dummy takes the others in, in any order), so the one
//! ambiguity of the text, which child of a dummy sorts it in step 4, changes no answer.

use std::collections::HashMap;

/// One matched message, as the algorithm needs it.
#[derive(Debug, Clone, Copy)]
pub struct Msg<'a> {
    /// The number as answered (a UID in UID THREAD).
    pub number: u32,
    /// Sequence order (the UID serves: it grows with the sequence number).
    pub order: u32,
    pub id: &'a str,
    /// The one message id its References (and In-Reply-To) name.
    pub parent: Option<&'a str>,
    /// Base subject (upper case) and whether extracting it took a reply marker off.
    pub subject: &'a str,
    pub reply: bool,
    /// Sent date, seconds since 1970 UTC.
    pub date: i64,
}

/// A node of a thread: a message (its number) or a dummy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canon {
    pub number: Option<u32>,
    pub children: Vec<Canon>,
}

/// Containers of step 1: a message (index into the input) or a dummy.
#[derive(Debug, Default)]
struct Container {
    msg: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// The answer RFC 5256 §3 gives for `msgs`, each set of siblings sorted (step 6).
pub fn references(msgs: &[Msg<'_>]) -> Vec<Canon> {
    let mut order: Vec<usize> = (0..msgs.len()).collect();
    order.sort_by_key(|&i| msgs[i].order);
    let mut boxes: Vec<Container> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for &i in &order {
        link(msgs, i, &mut boxes, &mut by_id);
    }
    let roots: Vec<usize> = (0..boxes.len())
        .filter(|&b| boxes[b].parent.is_none())
        .collect();
    let mut threads: Vec<Canon> = roots
        .iter()
        .flat_map(|&r| pruned(&boxes, r, true))
        .collect();
    let key = |c: &Canon| sort_key(msgs, c);
    threads.sort_by_key(|c| key(c));
    let mut threads = gather(msgs, threads);
    sort_siblings(msgs, &mut threads);
    threads
}

/// Step 1 for message `i`: its container (a dummy of its id if one waits; a new one if the
/// id is taken, as a duplicate gets a unique id), under the container of its reference.
fn link<'a>(
    msgs: &[Msg<'a>],
    i: usize,
    boxes: &mut Vec<Container>,
    by_id: &mut HashMap<&'a str, usize>,
) {
    let m = msgs[i];
    let mine = match by_id.get(m.id) {
        Some(&b) if boxes[b].msg.is_none() => b,
        Some(_) => new_box(boxes),
        None => {
            let b = new_box(boxes);
            by_id.insert(m.id, b);
            b
        }
    };
    boxes[mine].msg = Some(i);
    let Some(parent_id) = m.parent else {
        return;
    };
    let parent = *by_id.entry(parent_id).or_insert_with(|| new_box(boxes));
    if parent == mine || descends(boxes, parent, mine) {
        return; // the link would make a loop
    }
    if let Some(old) = boxes[mine].parent.take() {
        boxes[old].children.retain(|&c| c != mine);
    }
    boxes[mine].parent = Some(parent);
    boxes[parent].children.push(mine);
}

fn new_box(boxes: &mut Vec<Container>) -> usize {
    boxes.push(Container::default());
    boxes.len() - 1
}

/// Whether `node` is `ancestor` or below it. Bounded: a walk up never repeats a container.
fn descends(boxes: &[Container], mut node: usize, ancestor: usize) -> bool {
    for _ in 0..=boxes.len() {
        if node == ancestor {
            return true;
        }
        match boxes[node].parent {
            Some(p) => node = p,
            None => return false,
        }
    }
    false
}

/// Step 3 for container `b`: the nodes it leaves at its place. A childless dummy leaves
/// none; another dummy leaves its children, except at the root with two or more.
fn pruned(boxes: &[Container], b: usize, root: bool) -> Vec<Canon> {
    let children: Vec<Canon> = (boxes[b].children.iter())
        .flat_map(|&c| pruned(boxes, c, false))
        .collect();
    match boxes[b].msg {
        Some(i) => vec![Canon {
            number: Some(i as u32),
            children,
        }],
        None if root && children.len() > 1 => vec![Canon {
            number: None,
            children,
        }],
        None => children,
    }
}

/// Sort key (sent date, sequence order) of a node; a dummy's is its first child's.
fn sort_key(msgs: &[Msg<'_>], c: &Canon) -> (i64, u32) {
    match c.number {
        Some(i) => (msgs[i as usize].date, msgs[i as usize].order),
        None => c
            .children
            .first()
            .map_or((i64::MIN, 0), |f| sort_key(msgs, f)),
    }
}

/// The base subject of a thread and whether it is a dummy or a reply: a dummy's is its
/// first child's.
fn subject_of<'a>(msgs: &[Msg<'a>], c: &Canon) -> Option<(&'a str, bool)> {
    match c.number {
        Some(i) => Some((msgs[i as usize].subject, msgs[i as usize].reply)),
        None => subject_of(msgs, c.children.first()?),
    }
}

/// Whether `c` is a message (no dummy) whose subject marks a reply or forward.
fn a_reply(msgs: &[Msg<'_>], c: &Canon) -> bool {
    c.number.is_some() && subject_of(msgs, c).is_some_and(|(_, r)| r)
}

/// Step 5: threads of one non-empty base subject gathered, in step 4's order.
fn gather(msgs: &[Msg<'_>], threads: Vec<Canon>) -> Vec<Canon> {
    let subject = |c: &Canon| subject_of(msgs, c).filter(|(s, _)| !s.is_empty());
    // B: the thread each subject gathers under: a dummy, else one that is no reply, else the
    // first.
    let mut table: HashMap<&str, usize> = HashMap::new();
    for (at, c) in threads.iter().enumerate() {
        let Some((s, reply)) = subject(c) else {
            continue;
        };
        match table.get(s).map(|&t| &threads[t]) {
            None => {
                table.insert(s, at);
            }
            Some(held) if held.number.is_some() => {
                if c.number.is_none() || (a_reply(msgs, held) && !reply) {
                    table.insert(s, at);
                }
            }
            Some(_) => {}
        }
    }
    // C: the others merged into it, in order. `slots` holds each subject's gathering node.
    let mut slots: Vec<Option<Canon>> = threads.into_iter().map(Some).collect();
    let mut out: Vec<usize> = Vec::new();
    for at in 0..slots.len() {
        let Some((s, reply)) = slots[at].as_ref().and_then(subject) else {
            out.push(at);
            continue;
        };
        let Some(&t) = table.get(s) else {
            out.push(at);
            continue;
        };
        if t == at {
            out.push(at);
            continue;
        }
        let (Some(current), Some(held)) = (slots[at].take(), slots[t].take()) else {
            continue;
        };
        slots[t] = Some(merge(msgs, held, current, reply));
    }
    out.into_iter().filter_map(|at| slots[at].take()).collect()
}

/// Step 5 C: `current` (a reply when `reply`) merged with the subject's thread `held`.
fn merge(msgs: &[Msg<'_>], mut held: Canon, current: Canon, reply: bool) -> Canon {
    let held_reply = a_reply(msgs, &held);
    match (held.number, current.number) {
        (None, None) => held.children.extend(current.children),
        (None, Some(_)) => held.children.push(current),
        (Some(_), Some(_)) if reply && !held_reply => held.children.push(current),
        _ => {
            return Canon {
                number: None,
                children: vec![held, current],
            };
        }
    }
    held
}

/// Step 6: every set of siblings by sent date, the deepest first, so that a dummy sorts by
/// its earliest child.
fn sort_siblings(msgs: &[Msg<'_>], nodes: &mut [Canon]) {
    for n in nodes.iter_mut() {
        sort_siblings(msgs, &mut n.children);
    }
    nodes.sort_by_key(|c| sort_key(msgs, c));
}

impl Canon {
    /// Every message number in this thread.
    pub fn numbers(&self, out: &mut Vec<u32>) {
        out.extend(self.number);
        for c in &self.children {
            c.numbers(out);
        }
    }
}

/// The numbers as answered in place of input indexes.
pub fn renumber(msgs: &[Msg<'_>], nodes: Vec<Canon>) -> Vec<Canon> {
    (nodes.into_iter())
        .map(|c| Canon {
            number: c.number.map(|i| msgs[i as usize].number),
            children: renumber(msgs, c.children),
        })
        .collect()
}

/// RFC 5256's THREAD syntax of `nodes`: `(1 2 (3)(4))`.
pub fn show(nodes: &[Canon]) -> String {
    let mut out = String::new();
    for n in nodes {
        out.push('(');
        chain(n, &mut out);
        out.push(')');
    }
    out
}

/// One thread: a message and its only child run on in one list, two or more children
/// open a list each.
fn chain(n: &Canon, out: &mut String) {
    if let Some(number) = n.number {
        out.push_str(&number.to_string());
    }
    match n.children.as_slice() {
        [] => {}
        [only] => {
            if n.number.is_some() {
                out.push(' ');
            }
            chain(only, out);
        }
        many => {
            if n.number.is_some() {
                out.push(' ');
            }
            for c in many {
                out.push('(');
                chain(c, out);
                out.push(')');
            }
        }
    }
}

#[cfg(test)]
#[path = "thread_refs_tests.rs"]
mod tests;
