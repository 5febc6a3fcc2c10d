//! The generator's promises: replayable from the seed, never outside the run's root, and
//! only commands the target advertised.

use super::*;
use crate::generate::plan::Action;

fn plan(seed: u64, caps: &[&str]) -> RandomPlan {
    RandomPlan {
        seed,
        layout: Arc::new(Layout::new(b"INBOX.", Some(b'.'), "t1", 2)),
        caps: Arc::new(Caps(caps.iter().map(|c| c.to_string()).collect())),
        config: GenConfig::default(),
        sessions: 4,
    }
}

fn users(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{}", i % 2 + 1)).collect()
}

fn bodies(p: &Plan) -> impl Iterator<Item = &CommandBody> {
    p.sessions
        .iter()
        .flat_map(|s| &s.steps)
        .filter_map(|step| match &step.action {
            Action::Command(body) => Some(body),
            Action::Raw { .. } | Action::Idle { .. } => None,
        })
}

/// Every mailbox a command names, LIST references and patterns included.
fn mailboxes(body: &CommandBody) -> Vec<Vec<u8>> {
    use CommandBody as C;
    match body {
        C::Select(s) | C::Examine(s) => vec![s.mailbox.as_bytes().to_vec()],
        C::Create(m) | C::Delete(m) | C::Subscribe(m) | C::Unsubscribe(m) => {
            vec![m.as_bytes().to_vec()]
        }
        C::Status { mailbox, .. } | C::Copy { mailbox, .. } | C::Move { mailbox, .. } => {
            vec![mailbox.as_bytes().to_vec()]
        }
        C::Append(a) => vec![a.mailbox.as_bytes().to_vec()],
        C::Rename { from, to } => vec![from.as_bytes().to_vec(), to.as_bytes().to_vec()],
        C::List(l) => vec![[l.reference.as_bytes(), l.pattern.as_bytes()].concat()],
        C::Lsub { reference, pattern } => vec![[reference.as_bytes(), pattern.as_bytes()].concat()],
        _ => Vec::new(),
    }
}

#[test]
fn the_same_seed_replays_the_same_plan() {
    let caps = ["IMAP4rev1", "MOVE", "UIDPLUS"];
    let a = plan(42, &caps).take(&users(3), 300);
    let b = plan(42, &caps).take(&users(3), 300);
    let c = plan(43, &caps).take(&users(3), 300);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.sessions.iter().all(|s| s.steps.len() >= 300));
}

#[test]
fn every_mailbox_named_is_under_the_run_root() {
    let p = plan(7, &["IMAP4rev1", "MOVE", "UIDPLUS", "UNSELECT"]);
    let layout = Arc::clone(&p.layout);
    for body in bodies(&p.take(&users(8), 2000)) {
        for name in mailboxes(body) {
            assert!(
                name.starts_with(&layout.root),
                "{body:?} names {}",
                String::from_utf8_lossy(&name)
            );
            let is_list = matches!(body, CommandBody::List(_) | CommandBody::Lsub { .. });
            assert!(is_list || layout.owns(&name), "{body:?}");
        }
    }
}

#[test]
fn only_own_mailboxes_are_deleted_renamed_or_replaced_into() {
    let p = plan(9, &["IMAP4rev1", "MOVE"]);
    for body in bodies(&p.take(&users(4), 3000)) {
        let shared = |m: &Mailbox| p.layout.shared.iter().any(|s| s == m.as_bytes());
        match body {
            CommandBody::Delete(m) | CommandBody::Rename { from: m, .. } => {
                assert!(!shared(m) && m.as_bytes() != p.layout.root, "{body:?}");
            }
            CommandBody::Move { mailbox, .. } => assert!(!shared(mailbox), "{body:?}"),
            _ => {}
        }
    }
}

#[test]
fn extensions_only_when_advertised() {
    let p = plan(11, &["IMAP4rev1"]);
    for body in bodies(&p.take(&users(4), 2000)) {
        assert!(
            !matches!(
                body,
                CommandBody::Move { .. } | CommandBody::UidExpunge(_) | CommandBody::Unselect
            ),
            "{body:?}"
        );
        assert!(extension_kind(body).is_none(), "{body:?}");
    }
}

/// Which of the extension commands of `random_ext.rs` a command is.
fn extension_kind(body: &CommandBody) -> Option<&'static str> {
    use CommandBody as C;
    Some(match body {
        C::Enable(names) => match names.as_slice()[0].as_str() {
            "QRESYNC" => "enable-qresync",
            "IMAP4rev2" => "enable-rev2",
            _ => "enable-condstore",
        },
        C::Id(_) => "id",
        C::Select(s) | C::Examine(s) if s.qresync.is_some() => "select-qresync",
        C::Select(s) | C::Examine(s) if s.condstore => "select-condstore",
        C::Fetch(f) if f.vanished => "fetch-vanished",
        C::Fetch(f) if f.changed_since.is_some() => "fetch-changedsince",
        C::Store(s) if s.unchanged_since.is_some() => "store-unchangedsince-0",
        C::Search(s) if s.return_opts.is_some() => "esearch",
        C::Sort(_) => "sort",
        C::Thread(t) if t.algorithm.as_str() == "ORDEREDSUBJECT" => "thread-orderedsubject",
        C::Thread(_) => "thread-references",
        _ => return None,
    })
}

#[test]
fn every_advertised_extension_joins_the_mix() {
    let caps = [
        "IMAP4rev1",
        "IMAP4rev2",
        "ENABLE",
        "ID",
        "CONDSTORE",
        "QRESYNC",
        "ESEARCH",
        "SORT",
        "THREAD=REFERENCES",
        "THREAD=ORDEREDSUBJECT",
    ];
    let p = plan(3, &caps);
    let seen: std::collections::HashSet<&str> = bodies(&p.take(&users(4), 6000))
        .filter_map(extension_kind)
        .collect();
    for kind in [
        "enable-qresync",
        "enable-rev2",
        "enable-condstore",
        "id",
        "select-qresync",
        "select-condstore",
        "fetch-vanished",
        "fetch-changedsince",
        "store-unchangedsince-0",
        "esearch",
        "sort",
        "thread-references",
        "thread-orderedsubject",
    ] {
        assert!(seen.contains(kind), "{kind} never generated: {seen:?}");
    }
    // UNCHANGEDSINCE is only ever 0 (always fails, changes nothing).
    for body in bodies(&p.take(&users(4), 6000)) {
        if let CommandBody::Store(s) = body {
            assert!(s.unchanged_since.is_none_or(|m| m.get() == 0), "{body:?}");
        }
    }
}

#[test]
fn appended_messages_are_unique_and_carry_markers() {
    let p = plan(5, &["IMAP4rev1"]);
    let mut ids = std::collections::HashSet::new();
    for body in bodies(&p.take(&users(4), 2000)) {
        if let CommandBody::Append(a) = body {
            let text = String::from_utf8_lossy(a.message.as_bytes()).into_owned();
            let id = text.lines().next().unwrap().to_owned();
            assert!(id.starts_with("Message-ID: <ig.t1."), "{id}");
            assert!(ids.insert(id.clone()), "duplicate {id}");
        }
    }
    assert!(ids.len() > 50);
}

#[test]
fn idle_sessions_idle_only_when_advertised_and_one_session_keeps_changing_things() {
    let idles = |caps: &[&str], idle_sessions: u32| {
        let mut p = plan(5, caps);
        p.config.idle_sessions = idle_sessions;
        p.take(&users(4), 200)
            .sessions
            .iter()
            .map(|s| {
                s.steps
                    .iter()
                    .filter(|st| matches!(st.action, Action::Idle { .. }))
                    .count()
            })
            .collect::<Vec<_>>()
    };
    let with = idles(&["IMAP4rev1", "IDLE"], 2);
    assert_eq!(with[..2], [0, 0], "{with:?}");
    assert!(with[2..].iter().all(|&n| n > 50), "{with:?}");
    assert!(idles(&["IMAP4rev1"], 2).iter().all(|&n| n == 0));
    // Asking for every session to idle leaves the first one changing things.
    let all = idles(&["IMAP4rev1", "IDLE"], 9);
    assert_eq!(all[0], 0, "{all:?}");
    assert!(all[1..].iter().all(|&n| n > 0), "{all:?}");
}
