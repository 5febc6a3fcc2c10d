//! Cutting reproducers out of histories, in the compact text form of `check::text`.

use super::*;
use crate::check::text::parse as parse_history;
use crate::run::replay_cuts::{TRANSPLANT_REACH, is_query, widen_set};
use crate::run::replay_race::{PUSH_HOLD_MS, PUSH_LEAD_MS};
use crate::wire::escape::{escape_bytes, unescape_bytes};

fn violation(session: SessionId, event: u64, evidence: Vec<u64>) -> Violation {
    Violation {
        requirement: crate::check::requirements::ONE_TAGGED_COMPLETION,
        verdict: Verdict::Fail,
        detector: "liveness",
        session,
        event,
        expected: String::new(),
        observed: "server crashed".into(),
        evidence,
        because: String::new(),
    }
}

/// A valid step of `session`: `text` (escaped) and CRLF.
fn valid_step(session: u32, text: &str) -> ReplayStep {
    ReplayStep {
        session,
        reconnect: false,
        bytes: wire(&format!("\"{text}\\r\\n\"")),
        mutation: None,
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    }
}

/// Step bytes from their escaped text form.
fn wire(escaped: &str) -> WireBytes {
    WireBytes::new(unescape_bytes(escaped).expect("escaped text"))
}

fn first_word(b: &WireBytes) -> String {
    let all = b.bytes();
    String::from_utf8_lossy(all.split(|c| *c == b' ').next().unwrap_or_default()).into_owned()
}

fn spec() -> WorkspaceSpec {
    WorkspaceSpec {
        prefix: String::new(),
        delimiter: Some("/".into()),
        run_id: "t1".into(),
        shared: 1,
    }
}

#[test]
fn logins_and_other_sessions_are_left_out_and_sessions_renumbered() {
    let h = parse_history(
        "1> S1.1 LOGIN u p\n1< S1.1 OK\n\
         0> S0.1 NOOP\n0< S0.1 OK\n\
         1> S1.2 SELECT x\n1< S1.2 OK\n1>! S1.3xxxx FETCH 1 (FLAGS\n1< S1.3xxxx BAD\n",
    )
    .unwrap();
    let last = h.events.last().unwrap().index;
    let users = vec!["a".to_string(), "b".to_string()];
    let r = Reproducer::from_history(&h, &violation(1, last, vec![]), 2, spec(), &users, false);
    let bytes: Vec<String> = r
        .steps
        .iter()
        .map(|s| escape_bytes(&s.bytes.bytes()))
        .collect();
    assert_eq!(bytes, ["\"SELECT x\\r\\n\"", "\"FETCH 1 (FLAGS\\r\\n\""]);
    assert_eq!(r.users, ["b"]);
    assert!(r.steps.iter().all(|s| s.session == 0));
    assert_eq!(r.steps[1].tag_suffix, "xxxx");
    assert_eq!(r.steps[1].mutation.as_deref(), Some("text"));
}

/// The reproducer of a finding of session 0 (user `u`) at the history's last event.
fn cut_at_end(h: &History) -> Reproducer {
    let last = h.events.last().unwrap().index;
    Reproducer::from_history(
        h,
        &violation(0, last, vec![]),
        1,
        spec(),
        &["u".into()],
        false,
    )
}

#[test]
fn the_runs_push_bound_and_timeout_travel_with_the_reproducer() {
    let mut h = parse_history("0> S0.1 NOOP\n0< S0.1 OK\n").unwrap();
    h.meta.push_bound_ms = Some(2000);
    let r = cut_at_end(&h);
    assert_eq!(r.push_bound_ms, Some(2000));
    // `fuzz` adds its response timeout, which `replay` then waits by default.
    let r = Reproducer {
        timeout_s: Some(3),
        ..r
    };
    let json = serde_json::to_string(&r).unwrap();
    let back: Reproducer = serde_json::from_str(&json).unwrap();
    assert_eq!((back.push_bound_ms, back.timeout_s), (Some(2000), Some(3)));
    // Files written before the fields existed still load, with the defaults.
    let old = json.replace(",\"push_bound_ms\":2000,\"timeout_s\":3", "");
    let old: Reproducer = serde_json::from_str(&old).unwrap();
    assert_eq!((old.push_bound_ms, old.timeout_s), (None, None));
}

#[test]
fn a_second_connection_marks_a_reconnect_and_overlap_marks_pipelining() {
    let h = parse_history(
        "0> S0.1 NOOP\n0> S0.2 CHECK\n0< S0.1 OK\n0< S0.2 OK\n\
         0! disconnect\n0! connect\n0< * OK hi\n0> S0.3 NOOP\n0< S0.3 OK\n",
    )
    .unwrap();
    let r = cut_at_end(&h);
    let flags: Vec<(bool, bool)> = r.steps.iter().map(|s| (s.reconnect, s.pipelined)).collect();
    assert_eq!(flags, [(false, true), (false, false), (true, false)]);
}

#[test]
fn removing_a_chunk_keeps_the_last_step_and_moves_a_reconnect_forward() {
    let step = |session, reconnect, bytes: &str| ReplayStep {
        session,
        reconnect,
        bytes: wire(bytes),
        mutation: None,
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    };
    let r = two_users(vec![
        step(0, false, "\"NOOP\\r\\n\""),
        step(1, true, "\"CHECK\\r\\n\""),
        step(1, false, "\"NOOP\\r\\n\""),
    ]);
    let cut = without(&r, 0, 2);
    assert_eq!(cut.steps.len(), 1);
    assert_eq!(cut.steps[0].session, 0);
    assert!(cut.steps[0].reconnect);
    assert_eq!(cut.users, ["b"]);
    let all = without(&r, 0, 99);
    assert_eq!(all.steps.len(), 1, "the last step is never removed");
}

#[test]
fn replayed_steps_parse_valid_commands_and_keep_mutations_raw() {
    let valid = to_step(&ReplayStep {
        session: 0,
        reconnect: false,
        bytes: wire("\"FETCH 1 FLAGS\\r\\n\""),
        mutation: None,
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    })
    .unwrap();
    assert!(matches!(
        valid.action,
        Action::Command(CommandBody::Fetch(_))
    ));
    let claim = to_step(&ReplayStep {
        session: 0,
        reconnect: false,
        bytes: wire("\"SEARCH TEXT {4294967295}\\r\\n\""),
        mutation: Some("huge-literal-claim".into()),
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    })
    .unwrap();
    let Action::Raw(raw) = claim.action else {
        panic!("a mutation stays raw")
    };
    assert!(raw.close_on_continuation);
}

#[test]
fn a_window_keeps_the_last_steps_on_the_appends_and_selections_before_them() {
    let step = |session, bytes: &str| ReplayStep {
        pipelined: true,
        ..valid_step(session, bytes)
    };
    let mut steps = vec![
        step(0, "SELECT box"),
        step(1, "APPEND box {1+}\\r\\nx"),
        step(1, "EXAMINE box"),
        step(1, "CLOSE"),
        step(0, "NOOP"),
    ];
    steps.extend((0..10).map(|_| step(0, "FETCH 1 FLAGS")));
    steps.push(step(0, "STORE 1 FLAGS (a a b)"));
    let r = two_users(steps);
    let w = r.window(3).unwrap();
    let words: Vec<String> = w.steps.iter().map(|s| first_word(&s.bytes)).collect();
    // The APPEND (session 1), session 0's SELECT (session 1 closed its EXAMINE), the tail.
    assert_eq!(words, ["APPEND", "SELECT", "FETCH", "FETCH", "STORE"]);
    assert!(!w.steps[0].pipelined && !w.steps[1].pipelined);
    assert_eq!(w.users, ["b", "a"]);
    assert!(r.window(99).is_none());
}

#[test]
fn a_window_carries_each_sessions_last_condstore_enabling_command() {
    let step = valid_step;
    let mut steps = vec![
        step(0, "SELECT box"),
        step(0, "FETCH 1 (MODSEQ)"),
        step(1, "ENABLE CONDSTORE"),
        step(1, "ENABLE QRESYNC"),
        step(0, "FETCH 1 (FLAGS)"),
    ];
    steps.extend((0..3).map(|_| step(0, "NOOP")));
    let w = two_users(steps).window(3).unwrap();
    let firsts: Vec<String> = (w.steps.iter())
        .map(|s| first_word(&s.bytes).trim_end().to_owned())
        .collect();
    // After the selection: session 0's MODSEQ FETCH and session 1's later ENABLE only.
    assert_eq!(
        firsts,
        ["SELECT", "FETCH", "ENABLE", "NOOP", "NOOP", "NOOP"]
    );
    assert!(w.steps[2].bytes.bytes().ends_with(b"QRESYNC\r\n"));
}

#[test]
fn a_stale_view_expunges_and_appends_behind_the_selected_session_then_asks_by_uid() {
    let step = valid_step;
    let mut steps = vec![
        step(1, "APPEND box {1+}\\r\\nx"),
        step(0, "SELECT box"),
        step(1, "SELECT other"),
    ];
    steps.extend((0..5).map(|_| step(0, "NOOP")));
    steps.push(step(1, "NOOP"));
    let mut r = two_users(steps);
    assert_eq!(
        r.stale_views().len(),
        2,
        "static-data ways for static data only"
    );
    r.finding.detector = "static-data".into();
    let forms = r.stale_views();
    // Session 1's selection is of a mailbox nothing was appended to: session 0's seven ways.
    assert_eq!(forms.len(), 7);
    let ends = |f: &Reproducer, at: usize| f.steps[at].bytes.bytes().to_vec();
    assert_eq!(ends(&forms[1], 3), b"FETCH 1,* (UID)\r\n");
    assert_eq!(ends(&forms[1], 9), b"FETCH 2:* (UID)\r\n");
    // Static data: the largest UID's envelope, then every envelope on a fresh selection,
    // both by the stale session; or every envelope by the other session.
    let by_other = forms[3].steps.last().unwrap();
    assert_eq!(
        *by_other.bytes.bytes(),
        *b"UID FETCH 1:* (UID ENVELOPE)\r\n"
    );
    assert_eq!(by_other.session, 2);
    let static_data = &forms[2];
    let tail: Vec<(u32, Vec<u8>)> = (static_data.steps[9..].iter())
        .map(|s| (s.session, s.bytes.bytes().to_vec()))
        .collect();
    assert_eq!(
        tail,
        [
            (1, b"UID FETCH 4294967295:* (ENVELOPE)\r\n".to_vec()),
            (1, b"SELECT box\r\n".to_vec()),
            (1, b"UID FETCH 1:* (ENVELOPE)\r\n".to_vec()),
        ]
    );
    let f = &forms[0];
    let text: Vec<String> = (f.steps.iter())
        .map(|s| {
            let bytes = s.bytes.bytes();
            let line = bytes.split(|&b| b == b'\r').next().unwrap_or_default();
            String::from_utf8_lossy(line).into_owned()
        })
        .collect();
    let expected = [
        "APPEND box {1+}",
        "SELECT box",
        "SELECT other",
        "UID FETCH 1:* (FLAGS)",
        "SELECT box",
        "STORE 1:2 +FLAGS.SILENT (\\Deleted)",
        "EXPUNGE",
        "APPEND box {194}",
        "APPEND box {194}",
        "UID FETCH 1:* (FLAGS)",
    ];
    assert_eq!(text, expected);
    // The two new messages differ from each other (and from the run's).
    let subject = |at: usize| {
        let bytes = f.steps[at].bytes.bytes().to_vec();
        let text = String::from_utf8(bytes).unwrap();
        text.lines()
            .find(|l| l.starts_with("Subject:"))
            .map(str::to_owned)
    };
    assert_ne!(subject(7), subject(8));
    assert!(subject(7).is_some());
    // All but the first expunged: envelopes learned and asked by the stale session (1) and
    // the changing one (2) in turn.
    let text = |f: &Reproducer, at: usize| {
        String::from_utf8_lossy(&f.steps[at].bytes.bytes()).into_owned()
    };
    let envelopes = "UID FETCH 1:* (UID ENVELOPE)\r\n";
    for (f, learner, asker) in [(&forms[4], 1, 1), (&forms[5], 1, 2), (&forms[6], 2, 1)] {
        let learned = (f.steps.iter()).position(|s| *s.bytes.bytes() == *envelopes.as_bytes());
        let learned = learned.unwrap();
        assert_eq!(f.steps[learned].session, learner);
        let expunge = "STORE 2:* +FLAGS.SILENT (\\Deleted)\r\n";
        assert_eq!((f.steps[5].session, text(f, 5)), (2, expunge.to_owned()));
        assert!(learned < 5);
        assert_eq!(
            (f.steps[9].session, text(f, 9)),
            (asker, envelopes.to_owned())
        );
    }
    let sessions: Vec<u32> = f.steps.iter().map(|s| s.session).collect();
    // Renumbered by first appearance; the changing session is a third, of the asker's user.
    assert_eq!(sessions, [0, 1, 0, 1, 2, 2, 2, 2, 2, 1]);
    assert_eq!(f.users, ["b", "a", "a"]);
    assert!(!f.concurrent);
}

#[test]
fn a_stale_view_selects_again_a_mailbox_its_session_has_closed() {
    let step = valid_step;
    let mut steps = vec![step(1, "APPEND box {1+}\\r\\nx"), step(0, "SELECT box")];
    steps.extend([step(0, "NOOP"), step(0, "CLOSE"), step(0, "CAPABILITY")]);
    let forms = two_users(steps).stale_views();
    assert_eq!(forms.len(), 2);
    let texts: Vec<(u32, String)> = (forms[0].steps.iter())
        .map(|s| {
            (
                s.session,
                String::from_utf8_lossy(&s.bytes.bytes()).into_owned(),
            )
        })
        .collect();
    // The run's CLOSE left the box: the stale session selects it again before learning.
    let learn = (texts.iter())
        .position(|(_, t)| t == "UID FETCH 1:* (FLAGS)\r\n")
        .unwrap();
    assert_eq!(
        texts[learn - 1],
        (texts[learn].0, "SELECT box\r\n".to_owned())
    );
}

#[test]
fn a_transplant_is_the_findings_command_on_every_message_after_the_appends() {
    let step = valid_step;
    let mut steps = vec![step(1, "APPEND box {1+}\\r\\nx"), step(0, "SELECT box")];
    steps.extend((0..50).map(|_| step(0, "NOOP")));
    steps.push(step(0, "UID STORE 4040 +FLAGS ($a $a $b)"));
    // The finding may show a few steps later, in another session's response.
    steps.push(step(1, "NOOP"));
    let all = two_users(steps.clone()).transplants();
    assert_eq!(all.len(), 1);
    let t = &all[0];
    let texts: Vec<Vec<u8>> = t.steps.iter().map(|s| s.bytes.clone().into_vec()).collect();
    assert_eq!(texts.len(), 3);
    assert!(texts[0].starts_with(b"APPEND") && texts[1].starts_with(b"SELECT"));
    assert_eq!(texts[2], b"UID STORE 1:* +FLAGS ($a $a $b)\r\n");
    // Sequence sets too; commands that name no messages have no transplant.
    assert_eq!(
        widen_set(b"FETCH 3,7 (FLAGS)\r\n").unwrap(),
        b"FETCH 1:* (FLAGS)\r\n"
    );
    assert_eq!(widen_set(b"UID FETCH 1:* FLAGS\r\n"), None);
    // SEARCH, SORT and THREAD move as they are (Dovecot's empty `* THREAD `).
    let mut queries = steps.clone();
    queries.push(step(0, "THREAD REFERENCES US-ASCII SUBJECT nothing"));
    let all = two_users(queries).transplants();
    assert_eq!(all.len(), 2);
    let last = all[0].steps.last().unwrap().bytes.clone().into_vec();
    assert_eq!(last, b"THREAD REFERENCES US-ASCII SUBJECT nothing\r\n");
    assert!(is_query(b"UID SORT (SUBJECT) US-ASCII ALL") && !is_query(b"NOOP"));
    steps.extend((0..TRANSPLANT_REACH).map(|_| step(0, "NOOP")));
    assert!(two_users(steps).transplants().is_empty(), "out of reach");
}

/// A reproducer of sessions 0 and 1 (users `a` and `b`).
fn two_users(steps: Vec<ReplayStep>) -> Reproducer {
    with_users(&["a", "b"], steps)
}

/// A reproducer whose session `n` is `users[n]`'s.
fn with_users(users: &[&str], steps: Vec<ReplayStep>) -> Reproducer {
    Reproducer {
        format: FORMAT,
        target: "t".into(),
        finding: FindingKey {
            requirement: "R".into(),
            detector: "d".into(),
            observed: String::new(),
        },
        workspace: spec(),
        users: users.iter().map(|u| (*u).to_owned()).collect(),
        steps,
        concurrent: false,
        push_bound_ms: None,
        timeout_s: None,
    }
}

#[test]
fn the_race_form_repeats_the_query_and_the_other_sessions_append_at_once() {
    use super::super::replay_race::RACE_ROUNDS;
    let step = valid_step;
    let append = "APPEND INBOX.r.shared0 {3+}\\r\\nabc";
    let steps = vec![
        step(1, "SELECT INBOX.r.shared0 (CONDSTORE)"),
        step(0, "APPEND INBOX.r.other {3+}\\r\\nxyz"),
        step(0, append),
        step(1, "NOOP"),
        step(1, "FETCH 3:4 (FLAGS)"),
        step(1, "NOOP"),
    ];
    let races = two_users(steps.clone()).races();
    assert_eq!(races.len(), 1, "one query near the finding");
    let race = &races[0];
    assert!(race.concurrent);
    assert_eq!(race.users, ["b", "a"], "the asker first");
    assert_eq!(race.steps.len(), 1 + 2 * RACE_ROUNDS);
    let text = |s: &ReplayStep| String::from_utf8(s.bytes.bytes().to_vec()).unwrap();
    assert_eq!(text(&race.steps[0]), "SELECT INBOX.r.shared0\r\n");
    let asked = (race.steps[1].session, text(&race.steps[1]));
    assert_eq!(asked, (0, "FETCH 1:* (FLAGS)\r\n".into()));
    let appended = (race.steps[2].session, text(&race.steps[2]));
    assert_eq!(
        appended,
        (1, "APPEND INBOX.r.shared0 {3+}\r\nabc\r\n".into())
    );
    // Without another session's APPEND to the selected mailbox there is no race to form.
    let mut alone = steps;
    alone.remove(2);
    assert!(two_users(alone.clone()).races().is_empty());
    // Each query near the finding gets a race, newest first.
    let mut two = alone;
    two.insert(2, step(0, append));
    two.push(step(1, "SORT (ARRIVAL) US-ASCII ALL"));
    let both = two_users(two).races();
    let asked: Vec<String> = both.iter().map(|r| text(&r.steps[1])).collect();
    assert_eq!(
        asked,
        ["SORT (ARRIVAL) US-ASCII ALL\r\n", "FETCH 1:* (FLAGS)\r\n"]
    );
}

/// A megabyte of `SEARCH ALL ALL …` is kept in the reproducer file as head, unit and count
/// (the history's compact form), and files written with escaped text read back the same.
#[test]
fn an_overlong_step_is_stored_compactly_and_old_files_still_load() {
    let mut line = b"SEARCH ".to_vec();
    line.extend(b"ALL ".repeat(262_144));
    line.extend(b"\r\n");
    let mut r = two_users(vec![ReplayStep {
        session: 0,
        reconnect: false,
        bytes: WireBytes::new(line.clone()),
        mutation: Some("overlong-line".into()),
        tag_suffix: String::new(),
        pipelined: false,
        idle_ms: None,
    }]);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.len() < 1_000, "{} bytes", json.len());
    let back: Reproducer = serde_json::from_str(&json).unwrap();
    assert_eq!(back.steps[0].bytes.clone().into_vec(), line);
    r.steps[0].bytes = wire("\"NOOP\\r\\n\"");
    let old = serde_json::to_string(&r).unwrap();
    assert!(old.contains(r#""bytes":"\"NOOP\\r\\n\"""#), "{old}");
    let back: Reproducer = serde_json::from_str(&old).unwrap();
    assert_eq!(back.steps[0].bytes.clone().into_vec(), b"NOOP\r\n");
}

#[test]
fn a_race_carries_the_appenders_next_changes_to_the_newest_message() {
    use super::super::replay_race::RACE_ROUNDS;
    let step = valid_step;
    let steps = vec![
        step(1, "SELECT INBOX.r.shared0"),
        step(0, "SELECT INBOX.r.shared0"),
        step(0, "APPEND INBOX.r.shared0 {3+}\\r\\nabc"),
        step(0, "UID STORE 17 +FLAGS (\\\\Seen)"),
        step(0, "FETCH 1 (FLAGS)"),
        step(1, "NOOP"),
        step(0, "EXPUNGE"),
        step(0, "STORE 3 -FLAGS (\\\\Seen)"),
        step(1, "UID SEARCH ALL"),
    ];
    let races = two_users(steps).races();
    let race = &races[0];
    let text = |s: &ReplayStep| String::from_utf8(s.bytes.bytes().to_vec()).unwrap();
    let writer: Vec<String> = (race.steps.iter())
        .filter(|s| s.session == 1)
        .take(5)
        .map(text)
        .collect();
    assert_eq!(
        writer,
        [
            "SELECT INBOX.r.shared0\r\n",
            "APPEND INBOX.r.shared0 {3+}\r\nabc\r\n",
            "UID STORE * +FLAGS (\\Seen)\r\n",
            "EXPUNGE\r\n",
            "UID STORE * -FLAGS (\\Seen)\r\n",
        ],
        "the first STORE on the newest message, both ways, around the first EXPUNGE"
    );
    assert_eq!(race.steps.len(), 2 + 5 * RACE_ROUNDS);
}

#[test]
fn a_window_carries_the_creates_it_needs_and_a_loop_repeats_two_sessions_tails() {
    let step = valid_step;
    let mut steps = vec![
        step(0, "CREATE r/s0-m1"),
        step(0, "CREATE r/unused"),
        step(1, "APPEND r/shared0 {1+}\\r\\nx"),
        step(0, "SELECT r/shared0"),
        step(1, "SELECT r/shared0"),
    ];
    steps.extend((0..20).map(|_| step(1, "NOOP")));
    steps.push(step(1, "STORE 1 +FLAGS (\\\\Deleted)"));
    steps.push(step(1, "EXPUNGE"));
    steps.push(step(0, "UID MOVE * r/s0-m1"));
    let r = two_users(steps.clone());
    let words = |w: &Reproducer| -> Vec<String> {
        (w.steps.iter())
            .map(|s| first_word(&s.bytes).trim_end().to_owned())
            .collect()
    };
    // The MOVE's destination is created first; the mailbox nothing names is not.
    let w = r.window(3).unwrap();
    let expected = [
        "CREATE", "APPEND", "SELECT", "SELECT", "STORE", "EXPUNGE", "UID",
    ];
    assert_eq!(words(&w), expected);
    // The 8-step tail holds both sessions; the 32-step one is longer than the run.
    let loops = r.loops();
    assert_eq!(loops.len(), 1);
    let l = &loops[0];
    assert!(l.concurrent);
    assert_eq!(l.steps.len(), 4 + 8 * 200);
    assert_eq!(words(l)[4..12], words(l)[12..20]);
    // A tail of one session is no race.
    steps.extend((0..40).map(|_| step(1, "NOOP")));
    assert!(two_users(steps).loops().is_empty());
}

#[test]
fn a_mix_repeats_each_sessions_latest_distinct_commands_on_one_mailbox_at_once() {
    let step = valid_step;
    let mut steps = vec![
        step(1, "APPEND r/shared0 {1+}\\r\\nx"),
        step(0, "SELECT r/shared0"),
        step(1, "SELECT r/shared0"),
        step(2, "SELECT r/shared0"),
    ];
    steps.extend((0..70).map(|_| step(1, "NOOP")));
    steps.push(step(0, "UID SEARCH ALL"));
    steps.push(step(1, "APPEND r/shared0 {1+}\\r\\ny"));
    steps.push(step(1, "APPEND r/elsewhere {1+}\\r\\nz"));
    steps.push(step(0, "UID SEARCH ALL"));
    steps.push(step(2, "SELECT r/other"));
    let mut mutated = step(2, "FETCH 1 ((");
    mutated.mutation = Some("unbalanced-parens".into());
    steps.push(mutated);
    steps.push(step(2, "APPEND r/shared0 {1+}\\r\\nw"));
    steps.push(step(2, "UID STORE * +FLAGS (\\\\Seen)"));
    steps.push(step(0, "MOVE * r/s0-m1"));
    let mut r = two_users(steps);
    r.users.push("u".into());
    // The 256-step reach is longer than the run: one mix.
    let mixes = r.mixes();
    assert_eq!(mixes.len(), 1);
    let m = &mixes[0];
    assert!(m.concurrent);
    // The window renumbers sessions: find each by a command it sent.
    let text = |s: &ReplayStep| {
        String::from_utf8_lossy(&s.bytes.bytes())
            .trim_end()
            .to_owned()
    };
    let share = |first: &str| -> Vec<String> {
        let rounds = m
            .steps
            .iter()
            .skip_while(|s| !text(s).starts_with("UID SEARCH"));
        let who = rounds.clone().find(|s| text(s) == first).unwrap().session;
        rounds.filter(|s| s.session == who).map(text).collect()
    };
    // Each session selects the mailbox last appended to, then repeats its share in run
    // order; duplicates, selections, mutations and APPENDs elsewhere left out.
    let count = |t: &str| m.steps.iter().filter(|s| text(s) == t).count();
    assert_eq!(
        count("SELECT r/shared0"),
        3 + 3,
        "carried, then one a session"
    );
    assert_eq!(count("SELECT r/other"), 0);
    assert_eq!(count("APPEND r/elsewhere {1+}\r\nz"), 0);
    let searcher = share("UID SEARCH ALL");
    assert_eq!(searcher.len(), 2 * 100);
    assert_eq!(
        searcher[..3],
        ["UID SEARCH ALL", "MOVE * r/s0-m1", "UID SEARCH ALL"]
    );
    let appender = share("NOOP");
    assert_eq!(appender[..2], ["NOOP", "APPEND r/shared0 {1+}\r\ny"]);
    assert_eq!(share("UID STORE * +FLAGS (\\Seen)").len(), 2 * 100);
    assert!(m.steps.iter().all(|s| !s.pipelined && !s.reconnect));
    // One session alone is no race.
    let alone: Vec<ReplayStep> = (0..80).map(|_| step(0, "NOOP")).collect();
    assert!(two_users(alone).mixes().is_empty());
}

#[test]
fn a_race_without_a_session_keeps_the_others_renumbered_with_their_users() {
    let step = |session, text: &str| ReplayStep {
        bytes: WireBytes::new(text.as_bytes().to_vec()),
        ..valid_step(session, "")
    };
    let steps = (0..3).flat_map(|s| [step(s, "SELECT box\r\n"), step(s, "NOOP\r\n")]);
    let race = Reproducer {
        concurrent: true,
        ..with_users(&["a", "b", "c"], steps.collect())
    };
    let two = race.without_session(1);
    assert_eq!(two.users, ["a", "c"]);
    let sessions: Vec<u32> = two.steps.iter().map(|s| s.session).collect();
    assert_eq!(sessions, [0, 0, 1, 1]);
    assert!(two.concurrent);
    // A finding about pushes gets the push form: the idler's user for both sessions.
    assert!(race.push_form().is_none());
    let mut pushed = race.clone();
    pushed.finding.detector = "push-flags".into();
    pushed.steps = vec![
        step(0, "APPEND box {1+}\r\nx\r\n"),
        step(2, "SELECT box\r\n"),
        ReplayStep {
            idle_ms: Some(3000),
            ..step(2, "IDLE\r\n")
        },
    ];
    let form = pushed.push_form().unwrap();
    assert_eq!(form.users, ["c", "c"]);
    let idles: Vec<(u32, Option<u32>)> = (form.steps.iter())
        .filter(|s| s.idle_ms.is_some())
        .map(|s| (s.session, s.idle_ms))
        .collect();
    let (hold, lead) = (Some(PUSH_HOLD_MS), PUSH_LEAD_MS);
    let rest = Some(PUSH_HOLD_MS - lead);
    let expected = [
        (0, hold),
        (0, hold),
        (1, Some(lead)),
        (1, rest),
        (1, Some(lead)),
        (1, rest),
    ];
    assert_eq!(idles, expected);
    let stores = (form.steps.iter()).filter(|s| s.bytes.bytes().starts_with(b"STORE"));
    let texts: Vec<Vec<u8>> = stores.map(|s| s.bytes.bytes().to_vec()).collect();
    let flagged: [&[u8]; 2] = [
        b"STORE 1 +FLAGS (\\Flagged)\r\n",
        b"STORE 2 -FLAGS (\\Flagged)\r\n",
    ];
    assert_eq!(texts, flagged);
}

#[tokio::test]
async fn a_cut_gets_its_tries_and_the_first_showing_replay_is_kept() {
    // A finding that shows on the third replay only: two tries miss it, three keep it, no
    // replay is made after the one that showed, and none once the time is spent.
    let shown = parse_history("0> S0.1 NOOP\n0< S0.1 OK\n").expect("history");
    let calls = std::cell::Cell::new(0);
    let replay = || {
        calls.set(calls.get() + 1);
        let result = Ok((calls.get() % 3 == 0, shown.clone()));
        async move { result }
    };
    let time = || Duration::from_secs(1);
    assert_eq!(first_shown(2, time, replay).await, (None, 2));
    calls.set(0);
    assert_eq!(first_shown(5, time, replay).await, (Some(shown.clone()), 3));
    calls.set(0);
    // Zero tries still replay once; so does a spent deadline, and no more.
    assert_eq!(first_shown(0, time, replay).await, (None, 1));
    calls.set(0);
    assert_eq!(first_shown(5, || Duration::ZERO, replay).await, (None, 1));
}
