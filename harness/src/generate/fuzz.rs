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
}

/// Distinguishes the mutation stream from the plan's own (same seed and session).
const MUTATION_STREAM: u64 = 0x6d75_7461_7465_2121;

impl FuzzSession {
    pub fn new(plan: &RandomPlan, id: u32, user: &str, config: FuzzConfig) -> Self {
        FuzzSession {
            inner: plan.session(id, user),
            pick: Pick::new(plan.seed ^ MUTATION_STREAM, id),
            config,
        }
    }

    /// Replace the group's first step by a mutation of it (or by a stand-alone shape).
    fn mutate(&mut self, group: &mut Vec<Step>) {
        let cx = MutationContext {
            literal_plus: self.config.literal_plus,
            literal_minus: self.config.literal_minus,
            selected: self.inner.believes_selected(),
        };
        let Some(&mutation) = self.pick.one_of(&self.config.mutations) else {
            return;
        };
        let base = match group.first().map(|s| &s.action) {
            Some(Action::Command(body)) if mutable(body) => Some(body.clone()),
            _ => None,
        };
        let raw = mutation
            .apply(base.as_ref(), cx, &mut self.pick)
            .or_else(|| mutation.apply(None, cx, &mut self.pick))
            .or_else(|| Mutation::UnknownCommand.apply(None, cx, &mut self.pick));
        if let Some(raw) = raw {
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
        if self.pick.chance(self.config.mutate_percent) {
            self.mutate(group);
        }
        true
    }

    fn reconnected(&mut self) {
        self.inner.reconnected();
    }
}
