//! The plan: what each session does, as typed steps. The generator, the scenario loaders and
//! the shrinker produce it; the runner executes it and judges nothing.

use crate::wire::command::CommandBody;

/// A whole run: one entry per concurrent session, numbered from 0 in this order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub sessions: Vec<SessionPlan>,
}

/// One session: who logs in, then its steps in order. The runner logs in and out by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPlan {
    pub user: String,
    pub steps: Vec<Step>,
}

/// One command to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    /// Send the next step without waiting for this one's completion (RFC 3501 §5.5). A run of
    /// steps with this set, plus the step after them, forms one pipelined group.
    pub pipelined: bool,
}

/// What a step sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A valid command, encoded under a fresh tag.
    Command(CommandBody),
    /// The malformed lane: bytes sent verbatim after the tag.
    Raw(RawCommand),
    /// IDLE (RFC 2177): wait for `+`, listen for pushed changes for `hold_ms`, send `DONE`.
    /// Always a group of its own (nothing may be sent while idling but `DONE`).
    Idle { hold_ms: u32 },
}

/// A command sent as raw bytes: malformed on purpose, or replayed byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawCommand {
    /// Sent after `<tag> SP`, CRLF included; literals are sent without waiting for `+`.
    pub bytes: Vec<u8>,
    /// The deliberate malformation (see `generate::mutate`), so a report says "sent on
    /// purpose"; empty for a replayed valid command.
    pub mutation: String,
    /// Appended to the fresh tag (an overlong tag); the server's completion carries it.
    pub tag_suffix: String,
    /// The server may take this command's literal claim and wait for octets we will never
    /// send: if it answers `+`, close the connection instead of leaving it hanging.
    pub close_on_continuation: bool,
}

impl RawCommand {
    pub fn new(mutation: &str, bytes: Vec<u8>) -> Self {
        RawCommand {
            bytes,
            mutation: mutation.to_owned(),
            tag_suffix: String::new(),
            close_on_continuation: false,
        }
    }
}

impl Step {
    pub fn command(body: CommandBody) -> Self {
        Step {
            action: Action::Command(body),
            pipelined: false,
        }
    }

    pub fn idle(hold_ms: u32) -> Self {
        Step {
            action: Action::Idle { hold_ms },
            pipelined: false,
        }
    }

    pub fn pipelined(body: CommandBody) -> Self {
        Step {
            action: Action::Command(body),
            pipelined: true,
        }
    }
}

/// Where a session's steps come from, one group at a time: a finite [`SessionPlan`], or a
/// generator that produces steps lazily for as long as the run lasts.
pub trait StepSource: Send {
    fn user(&self) -> &str;

    /// Replace `group` with the next group of steps (a pipelined run and the step that ends
    /// it); false when the session has nothing more to do.
    fn next_group(&mut self, group: &mut Vec<Step>) -> bool;

    /// The session was reconnected after the server ended it (fuzzing): whatever was
    /// selected is gone.
    fn reconnected(&mut self) {}
}

/// A [`SessionPlan`] as a [`StepSource`].
#[derive(Debug)]
pub struct PlannedSteps {
    user: String,
    steps: std::vec::IntoIter<Step>,
}

impl SessionPlan {
    pub fn into_source(self) -> PlannedSteps {
        PlannedSteps {
            user: self.user,
            steps: self.steps.into_iter(),
        }
    }
}

impl StepSource for PlannedSteps {
    fn user(&self) -> &str {
        &self.user
    }

    fn next_group(&mut self, group: &mut Vec<Step>) -> bool {
        group.clear();
        for step in self.steps.by_ref() {
            let more = step.pipelined;
            group.push(step);
            if !more {
                break;
            }
        }
        !group.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_end_at_the_first_unpipelined_step() {
        let steps = vec![
            Step::pipelined(CommandBody::Noop),
            Step::pipelined(CommandBody::Check),
            Step::command(CommandBody::Capability),
            Step::command(CommandBody::Noop),
            Step::pipelined(CommandBody::Noop),
        ];
        let mut source = SessionPlan {
            user: "u".into(),
            steps,
        }
        .into_source();
        let mut group = Vec::new();
        let mut sizes = Vec::new();
        while source.next_group(&mut group) {
            sizes.push(group.len());
        }
        assert_eq!(sizes, [3, 1, 1]);
    }
}
