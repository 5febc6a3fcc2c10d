//! The `live_session` fuzz target's engine against a real Dovecot: the committed seeds run
//! without a finding (Dovecot's known deviations ignored), and the oracle does fire on one of
//! them when it is not ignored.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use imapgate::fuzzing::live::{LiveConfig, Op, Set, ValidOp, live_stats, run_ops};
use imapgate::generate::mutate::{ALL, Mutation};

/// Dovecot 2.3.19's known deviations (reports/findings/): repeated keywords in STORE, and
/// resp-text echoing the client's literal (CRLF and 8-bit included) in BAD.
const KNOWN: [&str; 2] = ["R3501-6.4.6-I01", "R3501-9-02"];

fn config(port: u16, ignore: &[&str]) -> LiveConfig {
    LiveConfig {
        target: format!("imap://user1@127.0.0.1:{port}"),
        password: Some("pass".into()),
        ignore: ignore.iter().map(|s| s.to_string()).collect(),
        strict: false,
        lanes: 1,
        shared: false,
        skip: Vec::new(),
    }
}

#[test]
fn seeds_run_clean_and_an_echoed_literal_is_a_finding() {
    let Some(server) = support::start("dovecot", 870) else {
        return;
    };
    let port = server.recipe.manifest.plain_port;
    // The seeds, decoded as the fuzz target decodes them (its entry point reads the
    // configuration from the environment; `run_ops` takes it explicitly).
    let clean = config(port, &KNOWN);
    let ops = vec![Op::Valid(ValidOp::Noop)];
    assert_eq!(run_ops(&clean, &ops), None);
    let seeds = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../corpus/live_session"
    ))
    .expect("corpus/live_session");
    let mut n = 0;
    for seed in seeds {
        let bytes = std::fs::read(seed.expect("entry").path()).expect("seed");
        let ops = arbitrary_ops(&bytes);
        assert_eq!(run_ops(&clean, &ops), None, "seed {n}");
        n += 1;
    }
    assert!(n >= 8);
    let (inputs, logins) = live_stats().expect("a live session ran");
    assert!(
        inputs > n as u64 && logins >= 1,
        "{inputs} inputs, {logins} logins"
    );
    // Dovecot echoes `ab\r\nX NOOP` (a literal it never read as one) inside its BAD text.
    let lie = ALL
        .iter()
        .position(|m| *m == Mutation::LiteralLongerThanData)
        .unwrap();
    let echo = vec![Op::Mutated {
        mutation: u8::try_from(lie).unwrap(),
        base: ValidOp::Search { key: 0, uid: false },
        seed: 1,
    }];
    let strict = config(port, &[]);
    let finding = run_ops(&strict, &echo).expect("Dovecot's BAD text breaks the grammar");
    assert!(finding.contains("R3501-9-02"), "{finding}");
    // The same input with the deviation known: nothing.
    assert_eq!(run_ops(&clean, &echo), None);
}

/// A session the server ends (Dovecot answers a 4 GiB literal claim with BYE) is replaced,
/// the next input runs on the next session, and a pipelined input (FETCH, STORE that deletes,
/// EXPUNGE) is judged clean.
#[test]
fn a_session_the_server_ends_is_replaced_and_pipelined_inputs_run_clean() {
    let Some(server) = support::start("dovecot", 875) else {
        return;
    };
    let clean = config(server.recipe.manifest.plain_port, &KNOWN);
    let append = Op::Valid(ValidOp::Append {
        keyword: 1,
        size: 20,
    });
    assert_eq!(run_ops(&clean, &[append.clone(), append]), None);
    let huge = ALL
        .iter()
        .position(|m| *m == Mutation::HugeLiteralClaim)
        .unwrap();
    let kill = Op::Mutated {
        mutation: u8::try_from(huge).unwrap(),
        base: ValidOp::Noop,
        seed: 1,
    };
    let (_, before) = live_stats().expect("a live session ran");
    assert_eq!(run_ops(&clean, &[kill]), None);
    let pipelined = [
        Op::Valid(ValidOp::Fetch {
            set: Set::All,
            items: 2,
            uid: false,
        }),
        Op::Valid(ValidOp::Store {
            set: Set::One(1),
            keyword: 3,
            add: true,
            silent: false,
        }),
        Op::Valid(ValidOp::Expunge),
        Op::Valid(ValidOp::Fetch {
            set: Set::All,
            items: 1,
            uid: true,
        }),
    ];
    assert_eq!(run_ops(&clean, &pipelined), None);
    let (_, after) = live_stats().expect("a live session ran");
    assert_eq!(after, before + 1, "one new session after the BYE");
}

/// Two lanes sharing a mailbox (`IMAPGATE_LIVE_LANES=2 IMAPGATE_LIVE_SHARED=1`): an input's
/// operations are dealt to two sessions on the run's mailbox, which run concurrently (each then told of the other's APPENDs and
/// EXPUNGEs, which the checker judges); the seeds run clean and both lanes logged in.
#[test]
fn two_lanes_share_the_inputs_and_see_each_others_changes() {
    let Some(server) = support::start("dovecot", 885) else {
        return;
    };
    let mut two = config(server.recipe.manifest.plain_port, &KNOWN);
    two.lanes = 2;
    two.shared = true;
    let append = Op::Valid(ValidOp::Append {
        keyword: 2,
        size: 10,
    });
    // Lane 0 appends, lane 1 polls; then the other way round.
    assert_eq!(
        run_ops(&two, &[append.clone(), Op::Valid(ValidOp::Noop)]),
        None
    );
    assert_eq!(run_ops(&two, &[Op::Valid(ValidOp::Noop), append]), None);
    seeds_run_clean(&two);
    let (inputs, logins) = live_stats().expect("a live session ran");
    assert!(
        inputs >= 10 && logins >= 2,
        "{inputs} inputs, {logins} logins"
    );
}

/// Independent lanes (the default): each works in a mailbox of its own, so an APPEND dealt to
/// one lane lands in its mailbox only, and the seeds run clean on both.
#[test]
fn independent_lanes_work_in_mailboxes_of_their_own() {
    let Some(server) = support::start("dovecot", 905) else {
        return;
    };
    let mut two = config(server.recipe.manifest.plain_port, &KNOWN);
    two.lanes = 2;
    let append = |keyword| Op::Valid(ValidOp::Append { keyword, size: 10 });
    // Lane 0 appends twice, lane 1 once.
    let ops = [append(0), append(1), append(2)];
    assert_eq!(run_ops(&two, &ops), None);
    let maildir = server.recipe.manifest.state_dir.join("mail/user1/Maildir");
    let messages = |suffix: &str| {
        let dir = maildir.join(format!(".imapgate-live{}{suffix}", std::process::id()));
        ["new", "cur"]
            .iter()
            .map(|sub| std::fs::read_dir(dir.join(sub)).map_or(0, Iterator::count))
            .sum::<usize>()
    };
    assert_eq!((messages(""), messages("-lane1")), (2, 1));
    seeds_run_clean(&two);
}

/// Dovecot 2.3.19 aborts (an assertion in `client_check_command_hangs`) when an argument
/// longer than it takes arrives while a pipelined command before it is unfinished
/// (`reports/findings/dovecot-R3501-3.4-02.txt`): the session ends without a BYE, a crash.
/// `live_session` reaches it since a mutated command may follow valid ones in a group. How
/// often the NOOP is still unfinished is the server's timing, so the input is tried a
/// bounded number of times. With `overlong-atom` skipped, the same input
/// draws the next mutation and runs clean.
#[test]
fn a_long_argument_behind_a_noop_crashes_dovecot_unless_skipped() {
    let Some(server) = support::start("dovecot", 945) else {
        return;
    };
    let port = server.recipe.manifest.plain_port;
    let atom = ALL
        .iter()
        .position(|m| *m == Mutation::OverlongAtom)
        .unwrap();
    let input = [
        Op::Valid(ValidOp::Noop),
        Op::Mutated {
            mutation: u8::try_from(atom).unwrap(),
            base: ValidOp::Search { key: 5, uid: true },
            seed: 0,
        },
    ];
    let clean = config(port, &KNOWN);
    let finding = (0..40).find_map(|_| run_ops(&clean, &input));
    let finding = finding.expect("Dovecot 2.3 survived 40 pipelined long arguments");
    assert!(finding.contains("R3501-3.4-02"), "{finding}");
    let mut skipping = config(port, &KNOWN);
    skipping.skip = vec!["overlong-atom".into()];
    for _ in 0..10 {
        assert_eq!(run_ops(&skipping, &input), None);
    }
}

/// Every committed seed runs on `config`'s live session without a finding.
fn seeds_run_clean(config: &LiveConfig) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/live_session");
    for seed in std::fs::read_dir(dir).expect("corpus/live_session") {
        let path = seed.expect("entry").path();
        let bytes = std::fs::read(&path).expect("seed");
        assert_eq!(run_ops(config, &arbitrary_ops(&bytes)), None, "{path:?}");
    }
}

fn arbitrary_ops(bytes: &[u8]) -> Vec<Op> {
    use arbitrary::Arbitrary;
    Vec::<Op>::arbitrary(&mut arbitrary::Unstructured::new(bytes)).unwrap_or_default()
}
