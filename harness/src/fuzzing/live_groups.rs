//! How one lane's share of a `live_session` input goes on the wire: its operations as
//! pipelined groups (one round trip each), plus the closing command that leaves the run's
//! mailbox selected and collects what the server still had to say about the input.

use super::live_ops::{Group, Op, ValidOp, leaves_selected, nth_mutation};
use crate::generate::mutate::{Mutation, MutationContext};
use crate::generate::pick::Pick;
use crate::generate::plan::{Action, Step};
use crate::wire::command::{CommandBody, parse_command};

/// The input's operations as pipelined groups, each named for the statistics: valid
/// neighbours share a group where RFC 3501 §5.5 allows, a mutated command starts a group of
/// its own, and a closing command (which collects what the server still had to say about
/// this input, so a finding is charged to the input that caused it) rides on the last
/// group, valid or mutated. Every input leaves the run's mailbox selected read-write, so the
/// next needs no SELECT first: the closing command is a SELECT after an EXAMINE or a mutated
/// SELECT/EXAMINE, else a NOOP — none after a valid command when the lane's session is
/// `alone` in its mailbox: no other session changes it, so it has heard everything once the
/// completion came (the NOOP cost the server a mailbox sync and a reply per input).
pub(super) fn groups(ops: &[Op], mailbox: &str, muts: &Mutating, alone: bool) -> Vec<Group> {
    let cx = muts.cx;
    let mut groups: Vec<Group> = Vec::new();
    for op in ops {
        match op {
            Op::Valid(v) => append(&mut groups, v, mailbox, false),
            Op::Pipelined(a, b) => {
                append(&mut groups, a, mailbox, false);
                append(&mut groups, b, mailbox, false);
            }
            Op::Mutated {
                mutation,
                base,
                seed,
            } => {
                let m = nth_mutation(&muts.mutations, *mutation);
                let step = mutated(mailbox, m, base, *seed, cx);
                match groups.last_mut() {
                    Some(g) if follows_valid(g, m, base) => {
                        g.steps.push(step);
                        g.last = None;
                    }
                    _ => groups.push(Group {
                        steps: vec![step],
                        name: m.name(),
                        last: None,
                    }),
                }
            }
        }
    }
    // The closer may ride on a mutated last command as it could on that command's base:
    // every mutation leaves the server able to answer (see `generate::mutate`) and keeps the
    // base's command name (the stand-alone shapes are SEARCH, LOGIN or AUTHENTICATE, in
    // the selected state), and that round trip was a third of all against Dovecot. Never
    // after a mutated SELECT or EXAMINE: a truncated name may select another mailbox, and
    // its untagged data would be taken for the closer's.
    let rides = |closer: &ValidOp| match ops.last() {
        Some(Op::Mutated { base, .. }) => base.may_precede(closer),
        _ => false,
    };
    if !leaves_selected(ops) {
        let ride = rides(&ValidOp::Select);
        append(&mut groups, &ValidOp::Select, mailbox, ride);
        return groups;
    }
    let said_all = alone && groups.last().is_some_and(|g| g.last.is_some());
    if !said_all {
        let ride = rides(&ValidOp::Noop);
        append(&mut groups, &ValidOp::Noop, mailbox, ride);
    }
    groups
}

/// What the lanes' mutated commands may assume, and the mutations they draw from.
pub(super) struct Mutating {
    pub cx: MutationContext,
    pub mutations: Vec<Mutation>,
}

/// Whether mutation `m` of `base` may be sent right behind group `g`: when `g` ends with a
/// valid command that §5.5 lets `base` follow, and `m` transforms `base` (so the server
/// reads the valid commands before it as they were, and the mutated one as that base at
/// most; a stand-alone shape is a different command). Never a mutated SELECT or EXAMINE:
/// a truncated name may select another mailbox.
fn follows_valid(g: &Group, m: Mutation, base: &ValidOp) -> bool {
    let selects = matches!(base, ValidOp::Select | ValidOp::Examine);
    m.needs_base() && !selects && g.last.as_ref().is_some_and(|l| l.may_precede(base))
}

/// Add valid `v` to the last group when §5.5 lets it follow that group's last command, or
/// when that command is a mutated one and `after_mutated` says `v` may follow it.
/// Otherwise `v` starts a group.
fn append(groups: &mut Vec<Group>, v: &ValidOp, mailbox: &str, after_mutated: bool) {
    let step = valid_step(&v.text(mailbox));
    match groups.last_mut() {
        Some(g) if g.last.as_ref().map_or(after_mutated, |l| l.may_precede(v)) => {
            g.steps.push(step);
            g.last = Some(v.clone());
        }
        _ => groups.push(Group::valid(step, v)),
    }
}

/// Mutation `m` of `base` (or the mutation's stand-alone shape, or an unknown command).
fn mutated(mailbox: &str, m: Mutation, base: &ValidOp, seed: u8, cx: MutationContext) -> Step {
    let body = parse_command(format!("T {}\r\n", base.text(mailbox)).as_bytes())
        .ok()
        .map(|c| c.body);
    let mut pick = Pick::new(u64::from(seed), 0);
    let raw = m
        .apply(body.as_ref(), cx, &mut pick)
        .or_else(|| m.apply(None, cx, &mut pick))
        .or_else(|| Mutation::UnknownCommand.apply(None, cx, &mut pick));
    match raw {
        Some(raw) => Step {
            action: Action::Raw(raw),
            pipelined: false,
        },
        None => valid_step("NOOP"),
    }
}

/// A valid command from its text (built from fixed, valid pieces).
pub(super) fn valid_step(text: &str) -> Step {
    let action = match parse_command(format!("T {text}\r\n").as_bytes()) {
        Ok(c) => Action::Command(c.body),
        Err(_) => Action::Command(CommandBody::Noop),
    };
    Step {
        action,
        pipelined: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::mutate::ALL;

    fn cx() -> Mutating {
        Mutating {
            cx: MutationContext {
                literal_plus: true,
                literal_minus: false,
                selected: true,
            },
            mutations: ALL.to_vec(),
        }
    }

    fn mutated_op(base: ValidOp) -> Op {
        Op::Mutated {
            mutation: 0,
            base,
            seed: 0,
        }
    }

    fn shape(groups: &[Group]) -> Vec<(usize, Option<ValidOp>)> {
        groups
            .iter()
            .map(|g| (g.steps.len(), g.last.clone()))
            .collect()
    }

    #[test]
    fn the_closing_command_rides_on_a_mutated_group() {
        let g = groups(&[mutated_op(ValidOp::Status)], "box", &cx(), true);
        assert_eq!(shape(&g), [(2, Some(ValidOp::Noop))]);
        assert!(matches!(g[0].steps[0].action, Action::Raw(_)));
        let ops = [Op::Valid(ValidOp::Examine), mutated_op(ValidOp::Check)];
        let g = groups(&ops, "box", &cx(), true);
        assert_eq!(
            shape(&g),
            [(1, Some(ValidOp::Examine)), (2, Some(ValidOp::Select))]
        );
    }

    #[test]
    fn nothing_rides_on_a_mutated_selection_or_renumbering() {
        // A truncated `EXAMINE box-lane1` examines `box`: a SELECT in flight with it would
        // be credited with that mailbox's UIDVALIDITY (a false R3501-2.3.1.1-07).
        let g = groups(&[mutated_op(ValidOp::Examine)], "box", &cx(), true);
        assert_eq!(shape(&g), [(1, None), (1, Some(ValidOp::Select))]);
        let g = groups(&[mutated_op(ValidOp::Expunge)], "box", &cx(), true);
        assert_eq!(shape(&g), [(1, None), (1, Some(ValidOp::Noop))]);
    }

    #[test]
    fn a_mutated_command_follows_valid_ones_as_its_base_would() {
        let ops = [Op::Valid(ValidOp::Noop), mutated_op(ValidOp::Status)];
        let g = groups(&ops, "box", &cx(), true);
        assert_eq!(shape(&g), [(3, Some(ValidOp::Noop))]);
        assert!(matches!(g[0].steps[1].action, Action::Raw(_)));
        // Not where the base could not follow, nor a mutated selection, nor a stand-alone
        // shape (a SEARCH by sequence number whatever the base was).
        let apart = |ops: &[Op]| shape(&groups(ops, "box", &cx(), true)).len() > 1;
        assert!(apart(&[
            Op::Valid(ValidOp::Expunge),
            mutated_op(ValidOp::Noop)
        ]));
        assert!(apart(&[
            Op::Valid(ValidOp::Noop),
            mutated_op(ValidOp::Examine)
        ]));
        let first_stand_alone = ALL.iter().position(|m| !m.needs_base());
        let stand_alone = Op::Mutated {
            mutation: first_stand_alone
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(0),
            base: ValidOp::Noop,
            seed: 0,
        };
        assert!(apart(&[Op::Valid(ValidOp::Noop), stand_alone]));
    }

    #[test]
    fn a_valid_command_after_a_mutated_one_waits_for_it() {
        let ops = [mutated_op(ValidOp::Noop), Op::Valid(ValidOp::Status)];
        let g = groups(&ops, "box", &cx(), false);
        assert_eq!(shape(&g), [(1, None), (2, Some(ValidOp::Noop))]);
    }

    #[test]
    fn no_closer_after_a_valid_command_when_alone() {
        let ops = [Op::Valid(ValidOp::Expunge)];
        assert_eq!(shape(&groups(&ops, "box", &cx(), true)).len(), 1);
        let mutated_last = [Op::Valid(ValidOp::Check), mutated_op(ValidOp::Noop)];
        let with_closer = [(3, Some(ValidOp::Noop))];
        assert_eq!(
            shape(&groups(&mutated_last, "box", &cx(), true)),
            with_closer
        );
        let valid_last = [mutated_op(ValidOp::Noop), Op::Valid(ValidOp::Check)];
        let without = [(1, None), (1, Some(ValidOp::Check))];
        assert_eq!(shape(&groups(&valid_last, "box", &cx(), true)), without);
        // Sharing the mailbox, the NOOP collects the others' news, after the completion.
        let shared = groups(&ops, "box", &cx(), false);
        assert_eq!(
            shape(&shared),
            [(1, Some(ValidOp::Expunge)), (1, Some(ValidOp::Noop))]
        );
    }
}
