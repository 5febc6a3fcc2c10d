//! The operations `live_session` decodes its input into, the text each sends, and which of
//! them may be pipelined (RFC 3501 §5.5): one round trip per input instead of one per
//! command is most of the target's exec rate.

use arbitrary::Arbitrary;

use crate::generate::mutate::{ALL, Mutation};
use crate::generate::plan::Step;

/// Steps sent back to back, then every completion read.
pub(super) struct Group {
    pub steps: Vec<Step>,
    /// What the statistics call it: its first valid operation's name, a mutation's name,
    /// "select".
    pub name: &'static str,
    /// The last step's operation when it is valid (a valid one may follow it, §5.5).
    pub last: Option<ValidOp>,
}

impl Group {
    pub fn valid(step: Step, op: &ValidOp) -> Group {
        Group {
            steps: vec![step],
            name: op.name(),
            last: Some(op.clone()),
        }
    }
}

/// One operation of the session.
#[derive(Arbitrary, Debug, Clone)]
pub enum Op {
    Valid(ValidOp),
    /// A named mutation (by index into the run's list: all but `IMAPGATE_SKIP_MUTATION`) of
    /// a valid operation.
    Mutated {
        mutation: u8,
        base: ValidOp,
        seed: u8,
    },
    /// Several valid operations pipelined.
    Pipelined(ValidOp, ValidOp),
}

/// Valid commands on the run's mailbox.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum ValidOp {
    Noop,
    Check,
    Fetch {
        set: Set,
        items: u8,
        uid: bool,
    },
    Store {
        set: Set,
        keyword: u8,
        add: bool,
        silent: bool,
    },
    Search {
        key: u8,
        uid: bool,
    },
    Append {
        keyword: u8,
        size: u8,
    },
    Expunge,
    Status,
    List,
    Examine,
    Select,
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    One(u8),
    Range(u8, u8),
    All,
    Last,
}

impl Set {
    fn text(self) -> String {
        match self {
            Set::One(n) => format!("{}", u32::from(n).max(1)),
            Set::Range(a, b) => format!("{}:{}", u32::from(a).max(1), u32::from(b).max(1)),
            Set::All => "1:*".into(),
            Set::Last => "*".into(),
        }
    }
}

const FETCH_ITEMS: [&str; 8] = [
    "FLAGS",
    "(UID FLAGS)",
    "ENVELOPE",
    "BODYSTRUCTURE",
    "(INTERNALDATE RFC822.SIZE)",
    "BODY.PEEK[HEADER.FIELDS (SUBJECT)]",
    "BODY.PEEK[1]<0.10>",
    "FAST",
];
const SEARCH_KEYS: [&str; 8] = [
    "ALL",
    "UNSEEN",
    "KEYWORD $live0",
    "LARGER 100",
    "OR SEEN FLAGGED",
    "NOT DELETED",
    "SUBJECT live",
    "SINCE 1-Jan-2020",
];

impl ValidOp {
    /// What the statistics call a group it begins.
    pub(super) fn name(&self) -> &'static str {
        match self {
            ValidOp::Noop => "noop",
            ValidOp::Check => "check",
            ValidOp::Fetch { .. } => "fetch",
            ValidOp::Store { .. } => "store",
            ValidOp::Search { .. } => "search",
            ValidOp::Append { .. } => "append",
            ValidOp::Expunge => "expunge",
            ValidOp::Status => "status",
            ValidOp::List => "list",
            ValidOp::Examine => "examine",
            ValidOp::Select => "select-op",
        }
    }

    /// The command text after the tag; `mailbox` is the run's own.
    pub(super) fn text(&self, mailbox: &str) -> String {
        let uid = |u: bool| if u { "UID " } else { "" };
        match self {
            ValidOp::Noop => "NOOP".into(),
            ValidOp::Check => "CHECK".into(),
            ValidOp::Fetch { set, items, uid: u } => format!(
                "{}FETCH {} {}",
                uid(*u),
                set.text(),
                FETCH_ITEMS[usize::from(*items) % FETCH_ITEMS.len()]
            ),
            ValidOp::Store {
                set,
                keyword,
                add,
                silent,
            } => format!(
                "STORE {} {}FLAGS{} ($live{} {})",
                set.text(),
                if *add { "+" } else { "-" },
                if *silent { ".SILENT" } else { "" },
                keyword % 4,
                // One keyword in four deletes, so EXPUNGE removes messages and the mailbox
                // stays small (a FETCH 1:* of hundreds of envelopes was most of the time).
                if keyword % 4 == 3 {
                    "\\Deleted"
                } else {
                    "\\Seen"
                }
            ),
            ValidOp::Search { key, uid: u } => format!(
                "{}SEARCH {}",
                uid(*u),
                SEARCH_KEYS[usize::from(*key) % SEARCH_KEYS.len()]
            ),
            ValidOp::Append { keyword, size } => {
                let body = format!(
                    "Subject: live {keyword}\r\nMessage-ID: <live{}.{keyword}.{size}@imapgate.invalid>\r\n\r\n{}\r\n",
                    std::process::id(),
                    "x".repeat(usize::from(*size))
                );
                format!(
                    "APPEND {mailbox} ($live{}) {{{}+}}\r\n{body}",
                    keyword % 4,
                    body.len()
                )
            }
            ValidOp::Expunge => "EXPUNGE".into(),
            ValidOp::Status => format!("STATUS {mailbox} (MESSAGES UIDNEXT UIDVALIDITY)"),
            ValidOp::List => format!("LIST \"\" {mailbox}"),
            ValidOp::Examine => format!("EXAMINE {mailbox}"),
            ValidOp::Select => format!("SELECT {mailbox}"),
        }
    }
}

/// The mutation an input's `index` names in the lane's list `mutations` (never empty: the
/// configuration refuses to skip them all).
pub(super) fn nth_mutation(mutations: &[Mutation], index: u8) -> Mutation {
    let n = usize::from(index) % mutations.len().max(1);
    mutations.get(n).copied().unwrap_or(ALL[0])
}

/// Whether the run's mailbox is selected read-write after `ops`, when it was before.
pub(super) fn leaves_selected(ops: &[Op]) -> bool {
    // What a valid operation does to the selection: SELECT selects it read-write, EXAMINE
    // read-only, the rest leave it.
    let valid = |v: &ValidOp| match v {
        ValidOp::Select => Some(true),
        ValidOp::Examine => Some(false),
        _ => None,
    };
    ops.iter().fold(true, |selected, op| {
        let effect = match op {
            Op::Valid(v) => valid(v),
            Op::Pipelined(a, b) => valid(b).or(valid(a)),
            // A mutated SELECT or EXAMINE may select, deselect or leave it: unknown.
            Op::Mutated { base, .. } => valid(base).map(|_| false),
        };
        effect.unwrap_or(selected)
    })
}

impl ValidOp {
    /// Whether `next` may be sent before this command's completion (RFC 3501 §5.5): never
    /// after a command that changes the selection or the numbering (SELECT, EXAMINE,
    /// EXPUNGE, APPEND); a command using sequence numbers only after FETCH, STORE or SEARCH
    /// by sequence number, the commands during which no EXPUNGE may arrive (§7.4.1); and
    /// never a STORE next to a command that reads or writes flags.
    pub fn may_precede(&self, next: &ValidOp) -> bool {
        let renumbers = matches!(
            self,
            ValidOp::Select | ValidOp::Examine | ValidOp::Expunge | ValidOp::Append { .. }
        );
        let holds_expunges = matches!(
            self,
            ValidOp::Fetch { uid: false, .. }
                | ValidOp::Store { .. }
                | ValidOp::Search { uid: false, .. }
        );
        let flag_clash = (self.writes_flags() && (next.reads_flags() || next.writes_flags()))
            || (next.writes_flags() && self.reads_flags());
        !renumbers && (holds_expunges || !next.uses_sequence_numbers()) && !flag_clash
    }

    /// FETCH, STORE and SEARCH by sequence number (sets, `*`, or results in numbers).
    fn uses_sequence_numbers(&self) -> bool {
        matches!(
            self,
            ValidOp::Fetch { uid: false, .. }
                | ValidOp::Store { .. }
                | ValidOp::Search { uid: false, .. }
        ) || matches!(
            self,
            ValidOp::Fetch {
                set: Set::Last | Set::All,
                ..
            }
        )
    }

    fn writes_flags(&self) -> bool {
        matches!(self, ValidOp::Store { .. })
    }

    /// FETCH of FLAGS (also in FAST), SEARCH on flag keys, EXPUNGE (of `\Deleted`).
    fn reads_flags(&self) -> bool {
        match self {
            ValidOp::Expunge => true,
            ValidOp::Fetch { items, .. } => {
                let i = FETCH_ITEMS[usize::from(*items) % FETCH_ITEMS.len()];
                i.contains("FLAGS") || i == "FAST"
            }
            ValidOp::Search { key, .. } => {
                let k = SEARCH_KEYS[usize::from(*key) % SEARCH_KEYS.len()];
                ["SEEN", "KEYWORD", "FLAGGED", "DELETED"]
                    .iter()
                    .any(|f| k.contains(f))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FETCH_FLAGS: ValidOp = ValidOp::Fetch {
        set: Set::One(1),
        items: 0,
        uid: false,
    };
    const UID_FETCH_ENVELOPE: ValidOp = ValidOp::Fetch {
        set: Set::One(1),
        items: 2,
        uid: true,
    };
    const STORE: ValidOp = ValidOp::Store {
        set: Set::One(1),
        keyword: 0,
        add: true,
        silent: false,
    };

    #[test]
    fn section_5_5_ambiguities_are_never_pipelined() {
        // A FETCH of flags and a STORE of flags, either way round.
        assert!(!FETCH_FLAGS.may_precede(&STORE));
        assert!(!STORE.may_precede(&FETCH_FLAGS));
        assert!(!STORE.may_precede(&STORE));
        // A sequence-number command after one that may bring an EXPUNGE.
        assert!(!ValidOp::Noop.may_precede(&FETCH_FLAGS));
        assert!(!ValidOp::Status.may_precede(&STORE));
        assert!(!UID_FETCH_ENVELOPE.may_precede(&FETCH_FLAGS));
        // Nothing after a renumbering or a new selection.
        for first in [ValidOp::Expunge, ValidOp::Select, ValidOp::Examine] {
            assert!(!first.may_precede(&ValidOp::Noop));
        }
    }

    #[test]
    fn the_last_selection_change_decides_whether_a_select_is_needed() {
        let mutated = |base| Op::Mutated {
            mutation: 0,
            base,
            seed: 0,
        };
        assert!(leaves_selected(&[Op::Valid(FETCH_FLAGS)]));
        assert!(!leaves_selected(&[
            Op::Valid(ValidOp::Examine),
            Op::Valid(STORE)
        ]));
        assert!(leaves_selected(&[
            Op::Valid(ValidOp::Examine),
            Op::Valid(ValidOp::Select)
        ]));
        assert!(!leaves_selected(&[mutated(ValidOp::Select)]));
        assert!(leaves_selected(&[mutated(FETCH_FLAGS)]));
        assert!(!leaves_selected(&[Op::Pipelined(
            ValidOp::Select,
            ValidOp::Examine
        )]));
    }

    #[test]
    fn order_free_neighbours_are_pipelined() {
        assert!(FETCH_FLAGS.may_precede(&UID_FETCH_ENVELOPE));
        assert!(ValidOp::Noop.may_precede(&UID_FETCH_ENVELOPE));
        assert!(UID_FETCH_ENVELOPE.may_precede(&ValidOp::Status));
        assert!(STORE.may_precede(&ValidOp::Check));
        assert!(!STORE.may_precede(&ValidOp::Expunge));
        assert!(FETCH_FLAGS.may_precede(&ValidOp::Noop));
    }
}
