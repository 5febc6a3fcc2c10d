//! Stale-view forms: a cheap, in-order cut for findings about how a server tells one
//! session of another's changes. hoodiecrow and pymap renumber a session's view by the live
//! mailbox (`* 1 FETCH (UID 3)` for a message the session knows as UID 1, EXPUNGEs after
//! the FETCH data); a window of the last steps rarely holds the other session's EXPUNGE
//! and APPEND between two of the session's queries, and the whole prefix of a ten-minute
//! run replays for minutes. The form builds that situation in a dozen steps: the session
//! selects the mailbox (a window of its query) and learns its UIDs, another session of the
//! same user expunges the first two messages and appends two, and the session asks for
//! every message by UID again. Variants of it show static data changing under a UID
//! ([`WAYS`]).

use super::replay::{ReplayStep, Reproducer};
use super::replay_cuts::{TRANSPLANT_REACH, first_word, last_append_to, second_word};
use crate::history::WireBytes;

/// Sessions near the finding given stale-view forms at most.
const STALE_SESSIONS: usize = 3;

/// What the other session does while the view goes stale, after selecting the mailbox:
/// some messages expunged ([`Way::expunge`]), two appended ([`distinct_append`]).
fn changes(expunge: &str) -> [String; 2] {
    [
        format!("STORE {expunge} +FLAGS.SILENT (\\Deleted)\r\n"),
        "EXPUNGE\r\n".to_owned(),
    ]
}

/// Which of a form's two sessions does something.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The session whose view goes stale (a session of the run).
    Stale,
    /// The session that changes the mailbox behind it.
    Other,
}

/// One stale-view form: what is learned before the changes and by whom, which messages the
/// other session expunges, what is asked after them and by whom, and (for static data) what
/// the stale session asks again on a fresh selection.
struct Way {
    /// The detector whose findings the form can show; `None`: any.
    only: Option<&'static str>,
    learner: Who,
    learn: &'static str,
    expunge: &'static str,
    asker: Who,
    ask: &'static str,
    /// Asked last, by the stale session on a fresh selection (which clears the doubt its
    /// first answer cast on its view) or by the other session.
    recheck: Option<(Who, &'static str)>,
}

const ANY: Option<&str> = None;
const STATIC_DATA: Option<&str> = Some("static-data");

/// All messages but the first, the last among them: goimap matches nothing with `*` alone
/// or `*:*`.
const BUT_FIRST: &str = "2:*";

/// Every envelope, with the UID (goimap leaves it out of UID FETCH answers).
const ENVELOPES: &str = "UID FETCH 1:* (UID ENVELOPE)\r\n";

/// Seven ways.
/// - All UIDs, then all again: a message's UID changes under it (R3501-2.3.1.1-02).
/// - The first and last UIDs only, then the rest: a renumbered message's UID falls outside
///   its known neighbours (R3501-2.3.1.2-01), which needs a message whose own UID the
///   session did not know.
/// - The last message's envelope by the largest UID, then every envelope after
///   re-selecting: pymap pairs the live last UID with the stale last message's data, so one
///   UID shows two envelopes to one session (R3501-6.4.5-01); the re-selection clears the
///   view the first answer made doubtful, so the second answer counts. Or every envelope
///   asked by the changing session: the UID shows two envelopes to two sessions
///   (R3501-2.3.1.1-I03).
/// - Every envelope before and after all messages but the first are expunged and two
///   appended, learned and asked by the stale session, by it and the changing one, and by
///   the changing one and it. goimap gives the new messages the expunged ones' UIDs, and
///   Courier answers for messages expunged behind a session with placeholder envelopes
///   ("message unavailable") and OK: a UID shows two envelopes, to one session
///   (R3501-6.4.5-01) or to two (R3501-2.3.1.1-I03).
const WAYS: [Way; 7] = [
    Way {
        only: ANY,
        learner: Who::Stale,
        learn: "UID FETCH 1:* (FLAGS)\r\n",
        expunge: "1:2",
        asker: Who::Stale,
        ask: "UID FETCH 1:* (FLAGS)\r\n",
        recheck: None,
    },
    Way {
        only: ANY,
        learner: Who::Stale,
        learn: "FETCH 1,* (UID)\r\n",
        expunge: "1:2",
        asker: Who::Stale,
        ask: "FETCH 2:* (UID)\r\n",
        recheck: None,
    },
    largest_then(Who::Stale, "UID FETCH 1:* (ENVELOPE)\r\n"),
    largest_then(Who::Other, ENVELOPES),
    reused(Who::Stale, Who::Stale),
    reused(Who::Stale, Who::Other),
    reused(Who::Other, Who::Stale),
];

/// Static data: the largest UID's envelope asked by the stale session after 1:2 are
/// expunged and two appended, then `recheck` asked by `who` (pymap's stale pairing).
const fn largest_then(who: Who, recheck: &'static str) -> Way {
    Way {
        only: STATIC_DATA,
        learner: Who::Stale,
        learn: "UID FETCH 1:* (FLAGS)\r\n",
        expunge: "1:2",
        asker: Who::Stale,
        ask: "UID FETCH 4294967295:* (ENVELOPE)\r\n",
        recheck: Some((who, recheck)),
    }
}

/// Static data: every envelope learned by `learner` and asked by `asker` around the
/// expunge of all messages but the first and two APPENDs (goimap's reused UIDs, Courier's
/// placeholders).
const fn reused(learner: Who, asker: Who) -> Way {
    Way {
        only: STATIC_DATA,
        learner,
        learn: ENVELOPES,
        expunge: BUT_FIRST,
        asker,
        ask: ENVELOPES,
        recheck: None,
    }
}

impl Reproducer {
    /// Stale-view forms (each of the [`WAYS`]) for each of the last few sessions active
    /// near the finding that had selected a mailbox the run APPENDed to (which session saw
    /// the finding is not kept in the file), newest first; a session that has left that
    /// mailbox since selects it again first.
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
                let ways =
                    (WAYS.iter()).filter(|w| w.only.is_none_or(|d| d == self.finding.detector));
                let forms = ways.map(|way| self.stale_at(i, way));
                forms.flatten().collect::<Vec<_>>()
            })
            .filter(|forms| !forms.is_empty())
            .take(STALE_SESSIONS)
            .flatten()
            .collect()
    }

    fn stale_at(&self, at: usize, way: &Way) -> Option<Reproducer> {
        let session = self.steps[at].session;
        let before = &self.steps[..at];
        let (mailbox, left) = selection(before, session)?;
        // A session number of its own with the stale session's user (`renumber` picks users
        // by number modulo their count): the mailbox is that user's.
        let other = session + u32::try_from(self.users.len()).ok()?;
        let mut steps = before.to_vec();
        let select = [b"SELECT ", &mailbox[..], b"\r\n"].concat();
        // A session that left the mailbox since selects it again.
        if left {
            steps.push(plain(session, &select));
        }
        let who = |w: Who| if w == Who::Stale { session } else { other };
        // UIDs (or data) are learned first: a changed UID needs a known one.
        if way.learner == Who::Stale {
            steps.push(plain(session, way.learn.as_bytes()));
        }
        steps.push(plain(other, &select));
        if way.learner == Who::Other {
            steps.push(plain(other, way.learn.as_bytes()));
        }
        steps.extend(
            changes(way.expunge)
                .iter()
                .map(|c| plain(other, c.as_bytes())),
        );
        // A stale view pairs one message's UID with another's data: the new messages differ
        // from each other and from every message of the run.
        steps.extend((1..=2).map(|k| plain(other, &distinct_append(&mailbox, k))));
        steps.push(plain(who(way.asker), way.ask.as_bytes()));
        match way.recheck {
            Some((Who::Stale, recheck)) => {
                steps.push(plain(session, &select));
                steps.push(plain(session, recheck.as_bytes()));
            }
            Some((Who::Other, recheck)) => steps.push(plain(other, recheck.as_bytes())),
            None => {}
        }
        // The window carries the session's selection and the mailbox's messages.
        let added = steps.len() - before.len();
        let made = Reproducer {
            steps,
            ..self.clone()
        };
        made.window(added)
    }
}

/// The last mailbox `session` selected among `before` that the run appended to, and whether
/// the session has left it since (a mutated command may have, too).
fn selection(before: &[ReplayStep], session: u32) -> Option<(Vec<u8>, bool)> {
    let selects = |s: &ReplayStep| ["SELECT", "EXAMINE"].contains(&first_word(s).as_str());
    let (at, mailbox) = (before.iter().enumerate().rev())
        .filter(|(_, s)| s.session == session && s.mutation.is_none() && selects(s))
        .find_map(|(i, s)| {
            let mailbox = second_word(s)?;
            last_append_to(before, &mailbox).map(|_| (i, mailbox))
        })?;
    let left = before[at + 1..].iter().any(|s| {
        s.session == session
            && (selects(s) || ["CLOSE", "UNSELECT"].contains(&first_word(s).as_str()))
    });
    Some((mailbox, left))
}

/// A valid command of `session`'s, sent alone.
fn plain(session: u32, text: &[u8]) -> ReplayStep {
    ReplayStep {
        session,
        reconnect: false,
        bytes: WireBytes::new(text.to_vec()),
        mutation: None,
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    }
}

/// `APPEND mailbox` of a small message of its own (number `k`): its envelope matches no
/// generated message. (Replayed valid commands are parsed and encoded again, so the
/// literal's form follows the server's capabilities.)
fn distinct_append(mailbox: &[u8], k: usize) -> Vec<u8> {
    let message = format!(
        "Message-ID: <stale-view-{k}@imapgate.invalid>\r\nFrom: imapgate <stale@imapgate.invalid>\r\n\
         Subject: imapgate stale view {k}\r\nDate: Wed, 1 Jan 2025 00:00:0{k} +0000\r\n\r\n\
         appended behind a selected session\r\n"
    );
    let open = format!(" {{{}}}\r\n", message.len());
    [
        b"APPEND ",
        mailbox,
        open.as_bytes(),
        message.as_bytes(),
        b"\r\n",
    ]
    .concat()
}
