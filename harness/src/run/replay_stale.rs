//! Stale-view forms: a cheap, in-order cut for findings about how a server tells one
//! session of another's changes. hoodiecrow and pymap renumber a session's view by the live
//! mailbox (`* 1 FETCH (UID 3)` for a message the session knows as UID 1, EXPUNGEs after
//! the FETCH data); a window of the last steps rarely holds the other session's EXPUNGE
//! and APPEND between two of the session's queries, and the whole prefix of a ten-minute
//! run replays for minutes. The form builds that situation in a dozen steps: the session
//! selects the mailbox (a window of its query) and learns its UIDs, another session of the
//! same user expunges the first two messages and appends two, and the session asks for
//! every message by UID again.

use super::replay::{ReplayStep, Reproducer};
use super::replay_cuts::{TRANSPLANT_REACH, first_word, last_append_to, second_word};
use crate::history::WireBytes;

/// Sessions near the finding given stale-view forms at most.
const STALE_SESSIONS: usize = 3;

/// What the other session does while the view goes stale, after selecting the mailbox: two
/// messages expunged, two appended (a copy of the run's last APPEND there).
const CHANGES: [&str; 2] = ["STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n", "EXPUNGE\r\n"];

/// What the stale session learns first and asks after the changes, two ways. All UIDs, then
/// all again: a message's UID changes under it (R3501-2.3.1.1-02). The first and last UIDs
/// only, then the rest: a renumbered message's UID falls outside its known neighbours
/// (R3501-2.3.1.2-01), which needs a message whose own UID the session did not know.
const LEARN_THEN_ASK: [(&str, &str); 2] = [
    ("UID FETCH 1:* (FLAGS)\r\n", "UID FETCH 1:* (FLAGS)\r\n"),
    ("FETCH 1,* (UID)\r\n", "FETCH 2:* (UID)\r\n"),
];

impl Reproducer {
    /// Stale-view forms (each way of [`LEARN_THEN_ASK`]) for each of the last few sessions
    /// that had selected, near the finding, a mailbox the run APPENDed to (which session saw
    /// the finding is not kept in the file), newest first.
    pub fn stale_views(&self) -> Vec<Reproducer> {
        let from = self.steps.len().saturating_sub(TRANSPLANT_REACH);
        let mut seen = Vec::new();
        (from..self.steps.len())
            .rev()
            .filter(|&i| {
                let s = self.steps[i].session;
                let new = !seen.contains(&s);
                seen.push(s);
                new
            })
            .map(|i| {
                let forms = LEARN_THEN_ASK.iter().map(|&way| self.stale_at(i, way));
                forms.flatten().collect::<Vec<_>>()
            })
            .filter(|forms| !forms.is_empty())
            .take(STALE_SESSIONS)
            .flatten()
            .collect()
    }

    fn stale_at(&self, at: usize, (learn, ask): (&str, &str)) -> Option<Reproducer> {
        let session = self.steps[at].session;
        let before = &self.steps[..at];
        let select = before.iter().rev().find(|s| {
            s.session == session
                && s.mutation.is_none()
                && ["SELECT", "EXAMINE", "CLOSE", "UNSELECT"].contains(&first_word(s).as_str())
        })?;
        if !["SELECT", "EXAMINE"].contains(&first_word(select).as_str()) {
            return None;
        }
        let mailbox = second_word(select)?;
        let append = last_append_to(before, &mailbox)?;
        // A session number of its own with the stale session's user (`renumber` picks users
        // by number modulo their count): the mailbox is that user's.
        let other = session + u32::try_from(self.users.len()).ok()?;
        let plain = |s: u32, text: &[u8]| ReplayStep {
            session: s,
            reconnect: false,
            bytes: WireBytes::new(text.to_vec()),
            mutation: None,
            tag_suffix: String::new(),
            pipelined: false,
            idle_ms: None,
        };
        let mut steps = before.to_vec();
        // The session learns its messages' UIDs first: a changed UID needs a known one.
        steps.push(plain(session, learn.as_bytes()));
        steps.push(plain(other, &[b"SELECT ", &mailbox[..], b"\r\n"].concat()));
        steps.extend(CHANGES.iter().map(|c| plain(other, c.as_bytes())));
        let again = ReplayStep {
            session: other,
            reconnect: false,
            pipelined: false,
            idle_ms: None,
            ..append.clone()
        };
        steps.extend([again.clone(), again]);
        steps.push(plain(session, ask.as_bytes()));
        // The window carries the session's selection and the mailbox's messages.
        let changes = 1 + 1 + CHANGES.len() + 2 + 1;
        let made = Reproducer {
            steps,
            ..self.clone()
        };
        made.window(changes)
    }
}
