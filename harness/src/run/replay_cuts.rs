//! Cheap cuts of a reproducer, tried before replaying the whole prefix of a finding deep in
//! a long run: windows (the last steps on the APPENDs and selections they stand on) and
//! transplants (the finding's command alone on all messages). The race forms are in
//! `replay_race.rs`.

use std::collections::HashMap;

use super::replay::{ReplayStep, Reproducer, renumber};
use crate::history::WireBytes;

/// APPENDs carried into a window at most: enough messages for the window's sequence
/// numbers, few enough to replay in seconds. (UID-addressed findings deep in a run do not
/// fit a window: carrying 5,000 APPENDs did not bring Dovecot's UIDs back in line either.)
const WINDOW_APPENDS: usize = 100;

impl Reproducer {
    /// The last `keep` steps only, after what they most likely stand on: the last
    /// [`WINDOW_APPENDS`] valid APPENDs before them (the mailboxes' contents) and each
    /// session's selection at that point (its last SELECT or EXAMINE, unless closed since).
    /// A cheap first cut for a finding deep in a long run; `None` when it would not be
    /// smaller than the whole.
    pub fn window(&self, keep: usize) -> Option<Reproducer> {
        let start = self.steps.len().checked_sub(keep).filter(|&s| s > 0)?;
        let named = named_words(&self.steps[start..]);
        let mut creates: HashMap<Vec<u8>, (usize, &ReplayStep)> = HashMap::new();
        let mut appends: Vec<&ReplayStep> = Vec::new();
        let mut selected: HashMap<u32, &ReplayStep> = HashMap::new();
        let mut enabled: HashMap<u32, &ReplayStep> = HashMap::new();
        for (at, step) in self.steps[..start].iter().enumerate() {
            if step.mutation.is_some() {
                continue;
            }
            if enables_condstore(step) {
                enabled.insert(step.session, step);
            }
            match first_word(step).as_str() {
                // The window's COPY, MOVE or SELECT of a mailbox the run created needs it.
                "CREATE" => {
                    if let Some(name) = second_word(step).filter(|n| named.contains(n)) {
                        creates.insert(name, (at, step));
                    }
                }
                "APPEND" => appends.push(step),
                "SELECT" | "EXAMINE" => {
                    selected.insert(step.session, step);
                }
                "CLOSE" | "UNSELECT" => {
                    selected.remove(&step.session);
                }
                _ => {}
            }
        }
        let skip = appends.len().saturating_sub(WINDOW_APPENDS);
        let mut reselect: Vec<&ReplayStep> = selected.into_values().collect();
        reselect.sort_by_key(|s| s.session);
        let mut enablers: Vec<&ReplayStep> = enabled.into_values().collect();
        enablers.sort_by_key(|s| s.session);
        // In run order, so a parent is created before its children.
        let mut created: Vec<(usize, &ReplayStep)> = creates.into_values().collect();
        created.sort_by_key(|(at, _)| *at);
        let created = created.into_iter().map(|(_, s)| s);
        let carried = created
            .chain(appends.into_iter().skip(skip))
            .chain(reselect)
            .chain(enablers);
        let mut steps: Vec<ReplayStep> = carried
            .map(|s| ReplayStep {
                reconnect: false,
                pipelined: false,
                ..s.clone()
            })
            .collect();
        steps.extend(self.steps[start..].iter().cloned());
        let (steps, users) = renumber(steps, &self.users);
        Some(Reproducer {
            steps,
            users,
            ..self.clone()
        })
    }
}

/// How far back from the finding a transplant looks for its command (the finding may show
/// in a later response, another session's NOOP), and how many it tries.
pub(super) const TRANSPLANT_REACH: usize = 16;
const TRANSPLANTS: usize = 4;

impl Reproducer {
    /// Candidates for the finding's own command alone, on the carried APPENDs and selection
    /// of a one-step window, with its message set widened to `1:*` (SEARCH, SORT and THREAD
    /// as they are): one for each of the last few valid such commands, newest first. A finding deep in a long run
    /// names messages by numbers only that run gave out (Dovecot's repeated-keyword STORE on
    /// UID 762, 19,052 steps in); on all messages of a small mailbox the same command
    /// usually shows the same deviation.
    pub fn transplants(&self) -> Vec<Reproducer> {
        let from = self.steps.len().saturating_sub(TRANSPLANT_REACH);
        (from..self.steps.len())
            .rev()
            .filter(|&i| self.steps[i].mutation.is_none())
            .filter_map(|i| self.transplant_at(i))
            .take(TRANSPLANTS)
            .collect()
    }

    fn transplant_at(&self, i: usize) -> Option<Reproducer> {
        let bytes = self.steps[i].bytes.bytes();
        // A query without a message set moves as it is: an empty THREAD or SORT answer
        // (Dovecot's `* THREAD ` with its stray space) shows again in any small mailbox.
        let widened = widen_set(&bytes).or_else(|| is_query(&bytes).then(|| bytes.to_vec()))?;
        let upto = Reproducer {
            steps: self.steps[..=i].to_vec(),
            ..self.clone()
        };
        let mut out = upto.window(1)?;
        let step = out.steps.last_mut()?;
        step.bytes = WireBytes::new(widened);
        step.pipelined = false;
        Some(out)
    }
}

/// `STORE`/`FETCH`/`COPY`/`MOVE` (or their `UID` forms) with the message set replaced by
/// `1:*`; `None` for other commands or a set already `1:*`.
pub(super) fn widen_set(bytes: &[u8]) -> Option<Vec<u8>> {
    with_set(bytes, b"1:*")
}

/// `STORE`/`FETCH`/`COPY`/`MOVE` (or their `UID` forms) with the message set replaced by
/// `set`; `None` for other commands or a set already `set`.
pub(super) fn with_set(bytes: &[u8], set: &[u8]) -> Option<Vec<u8>> {
    let words: Vec<&[u8]> = bytes.splitn(4, |&b| b == b' ').collect();
    let is = |w: &[u8], names: &[&str]| names.iter().any(|n| w.eq_ignore_ascii_case(n.as_bytes()));
    let named = ["STORE", "FETCH", "COPY", "MOVE"];
    let at = match words.as_slice() {
        [uid, cmd, _, _] if is(uid, &["UID"]) && is(cmd, &named) => 2,
        [cmd, _, _, ..] if is(cmd, &named) => 1,
        _ => return None,
    };
    if words[at] == set {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(if i == at { set } else { w });
    }
    Some(out)
}

/// A step's command as a query on all messages: FETCH (and STORE/COPY/MOVE) with its set
/// widened to `1:*`, SEARCH, SORT and THREAD as they are; `None` for anything else.
pub(super) fn widened_query(bytes: &[u8]) -> Option<Vec<u8>> {
    if is_query(bytes) {
        return Some(bytes.to_vec());
    }
    let fetch = verb(bytes).eq_ignore_ascii_case(b"FETCH");
    fetch.then(|| widen_set(bytes).unwrap_or_else(|| bytes.to_vec()))
}

/// The command's name, after `UID` for the UID forms.
pub(super) fn verb(bytes: &[u8]) -> &[u8] {
    let mut words = bytes.split(|&b| b == b' ' || b == b'\r');
    let first = words.next().unwrap_or_default();
    if first.eq_ignore_ascii_case(b"UID") {
        words.next().unwrap_or_default()
    } else {
        first
    }
}

/// A command after which RFC 7162 §3.1 has the server report MODSEQ: one naming CONDSTORE
/// or QRESYNC (SELECT, EXAMINE, ENABLE), MODSEQ (FETCH, SEARCH), CHANGEDSINCE or
/// UNCHANGEDSINCE. Plain text search; a window only needs a likely one.
fn enables_condstore(step: &ReplayStep) -> bool {
    let bytes = step.bytes.bytes().to_ascii_uppercase();
    let names: [&[u8]; 4] = [b"CONDSTORE", b"QRESYNC", b"MODSEQ", b"CHANGEDSINCE"];
    names
        .iter()
        .any(|n| memchr::memmem::find(&bytes, n).is_some())
}

/// Every space-separated word the valid steps send (mailbox names among them).
fn named_words(steps: &[ReplayStep]) -> std::collections::HashSet<Vec<u8>> {
    let valid = steps.iter().filter(|s| s.mutation.is_none());
    valid
        .flat_map(|s| {
            let bytes = s.bytes.bytes();
            let words = bytes.split(|&b| b == b' ' || b == b'\r' || b == b'\n');
            words.map(<[u8]>::to_vec).collect::<Vec<_>>()
        })
        .collect()
}

/// The mailbox argument of a CREATE, SELECT, EXAMINE or APPEND, as sent.
pub(super) fn second_word(step: &ReplayStep) -> Option<Vec<u8>> {
    let bytes = step.bytes.bytes();
    let word = bytes.split(|&b| b == b' ' || b == b'\r').nth(1)?;
    Some(word.to_vec())
}

/// The last valid APPEND to `mailbox` among `steps`.
pub(super) fn last_append_to<'a>(
    steps: &'a [ReplayStep],
    mailbox: &[u8],
) -> Option<&'a ReplayStep> {
    steps.iter().rev().find(|s| {
        s.mutation.is_none()
            && first_word(s) == "APPEND"
            && second_word(s).as_deref() == Some(mailbox)
    })
}

/// A step's first word, upper-cased.
pub(super) fn first_word(step: &ReplayStep) -> String {
    let bytes = step.bytes.bytes();
    let first = bytes.split(|b| *b == b' ' || *b == b'\r').next();
    String::from_utf8_lossy(first.unwrap_or_default()).to_ascii_uppercase()
}

/// `SEARCH`, `SORT` or `THREAD` (or their `UID` forms).
pub(super) fn is_query(bytes: &[u8]) -> bool {
    let word = verb(bytes);
    ["SEARCH", "SORT", "THREAD"]
        .iter()
        .any(|n| word.eq_ignore_ascii_case(n.as_bytes()))
}
