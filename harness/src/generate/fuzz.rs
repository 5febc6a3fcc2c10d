//! The fuzzing mix: the random plan (v1) with a share of its steps replaced by named
//! mutations of themselves, or by stand-alone hostile shapes. Seeded like the plan, so the
//! same seed replays the same bytes.

use super::mutate::{ALL, Mutation, MutationContext, mutable};
use super::pick::Pick;
use super::plan::{Action, Step, StepSource};
use super::random::{RandomPlan, RandomSession};

/// Knobs of the mix.
#[derive(Clone, Debug)]
pub struct FuzzConfig {
    /// Percent of groups replaced by a mutated step.
    pub mutate_percent: u32,
    /// The mutations to draw from (all by default).
    pub mutations: Vec<Mutation>,
    /// The server advertised LITERAL+.
    pub literal_plus: bool,
    /// The server advertised LITERAL-.
    pub literal_minus: bool,
}

impl Default for FuzzConfig {
    fn default() -> Self {
        FuzzConfig {
            mutate_percent: 30,
            mutations: ALL.to_vec(),
            literal_plus: false,
            literal_minus: false,
        }
    }
}

/// One session of the mix.
#[derive(Debug)]
pub struct FuzzSession {
    inner: RandomSession,
    pick: Pick,
    config: FuzzConfig,
    /// The last group was a mutation whose bytes the server may read as further commands
    /// (`Mutation::may_leave_commands`).
    left_commands: bool,
}

/// Distinguishes the mutation stream from the plan's own (same seed and session).
const MUTATION_STREAM: u64 = 0x6d75_7461_7465_2121;

impl FuzzSession {
    pub fn new(plan: &RandomPlan, id: u32, user: &str, config: FuzzConfig) -> Self {
        FuzzSession {
            inner: plan.session(id, user),
            pick: Pick::new(plan.seed ^ MUTATION_STREAM, id),
            config,
            left_commands: false,
        }
    }

    /// Replace the group's first step by a mutation of it (or by a stand-alone shape). Not
    /// by one that may hide its tag right after phantom commands: the untagged BAD that
    /// answers a phantom (Dovecot 2.4 ends a line at a bare LF and refuses the rest as
    /// `* BAD Invalid tag`) would be taken for that command's answer.
    fn mutate(&mut self, group: &mut Vec<Step>, after_phantoms: bool) {
        let cx = MutationContext {
            literal_plus: self.config.literal_plus,
            literal_minus: self.config.literal_minus,
            selected: self.inner.believes_selected(),
        };
        let Some(&mutation) = self.pick.one_of(&self.config.mutations) else {
            return;
        };
        if after_phantoms && mutation.may_hide_the_tag() {
            return;
        }
        let base = match group.first().map(|s| &s.action) {
            Some(Action::Command(body)) if mutable(body) => Some(body.clone()),
            _ => None,
        };
        let raw = mutation
            .apply(base.as_ref(), cx, &mut self.pick)
            .or_else(|| mutation.apply(None, cx, &mut self.pick))
            .or_else(|| Mutation::UnknownCommand.apply(None, cx, &mut self.pick));
        if let Some(raw) = raw {
            self.left_commands = mutation.may_leave_commands();
            group.clear();
            group.push(Step {
                action: Action::Raw(raw),
                pipelined: false,
            });
        }
    }
}

impl StepSource for FuzzSession {
    fn user(&self) -> &str {
        self.inner.user()
    }

    fn next_group(&mut self, group: &mut Vec<Step>) -> bool {
        if !self.inner.next_group(group) {
            return false;
        }
        let after_phantoms = std::mem::take(&mut self.left_commands);
        if self.pick.chance(self.config.mutate_percent) {
            self.mutate(group, after_phantoms);
        }
        true
    }

    fn reconnected(&mut self) {
        self.inner.reconnected();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::generate::args::Caps;
    use crate::generate::layout::Layout;
    use crate::generate::random::GenConfig;

    /// A bare LF may leave a phantom command whose `* BAD` the driver would take for the
    /// answer of a hidden-tag command sent next: the mix never sends one right after.
    #[test]
    fn no_hidden_tag_right_after_phantom_commands() {
        let plan = RandomPlan {
            seed: 9,
            layout: Arc::new(Layout::new(b"", Some(b'/'), "t1", 1)),
            caps: Arc::new(Caps(vec!["IMAP4rev1".to_owned()])),
            config: GenConfig::default(),
            sessions: 1,
        };
        let config = FuzzConfig {
            mutate_percent: 100,
            mutations: vec![Mutation::BareLf, Mutation::OverlongTag],
            ..FuzzConfig::default()
        };
        let mut session = FuzzSession::new(&plan, 0, "user1", config);
        let mut names = Vec::new();
        for _ in 0..400 {
            let mut group = Vec::new();
            if !session.next_group(&mut group) {
                break;
            }
            names.push(match group.first().map(|s| &s.action) {
                Some(Action::Raw(r)) => r.mutation.clone(),
                _ => String::new(),
            });
        }
        assert!(names.iter().any(|n| n == "overlong-tag"), "{names:?}");
        let after = names.windows(2).filter(|w| w[0] == "bare-lf");
        assert!(after.clone().count() > 10);
        assert!(after.clone().all(|w| w[1] != "overlong-tag"), "{names:?}");
    }
}
