//! Message counts, EXPUNGE timing, the sequence/UID map, UIDVALIDITY, UIDNEXT, static data.

use super::{findings, fires, quiet, select, select_with_uids};
use crate::check::Verdict;

#[test]
fn exists_fires_when_the_count_shrinks_without_expunge() {
    let text = format!(
        "{}1> A2 NOOP\n1< * 2 EXISTS\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    fires(&text, "R3501-5.2-I01");
}

#[test]
fn exists_fires_on_expunge_of_an_unknown_message() {
    let text = format!(
        "{}1> A2 NOOP\n1< * 4 EXPUNGE\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    fires(&text, "R3501-7.4.1-I01");
}

#[test]
fn an_expunge_for_the_previous_selection_during_select_is_not_the_new_views() {
    // Another session expunged message 3; Dovecot tells this one as it turns to the SELECT
    // it just received (two live_session lanes met it), then opens the mailbox anew.
    let reselect = "1> A2 SELECT INBOX\n1< * 3 EXPUNGE\n1< * FLAGS (\\Seen)\n1< * 2 EXISTS\n\
                    1< * OK [UIDVALIDITY 7] ok\n1< * OK [UIDNEXT 4] ok\n1< A2 OK [READ-WRITE] done\n";
    quiet(&format!("{}{reselect}", select(1, "A1", "INBOX", 3, 4)));
    // Once the new view was told EXISTS, an EXPUNGE beyond it is the server's error again.
    let late = "1> A3 NOOP\n1< * 3 EXPUNGE\n1< A3 OK done\n";
    fires(
        &format!("{}{reselect}{late}", select(1, "A1", "INBOX", 3, 4)),
        "R3501-7.4.1-I01",
    );
}

#[test]
fn exists_quiet_for_courier_expunge_then_exists() {
    // Courier: after another session's EXPUNGE, NOOP sends `* 2 EXPUNGE` and `* 2 EXISTS`.
    let text = format!(
        "{}1> A2 NOOP\n1< * 2 EXPUNGE\n1< * 2 EXISTS\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    quiet(&text);
}

#[test]
fn expunge_timing_fires_during_fetch_store_search() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    for cmd in ["FETCH 1:* FLAGS", "STORE 1 +FLAGS (\\Seen)", "SEARCH ALL"] {
        let text = format!("{sel}1> A2 {cmd}\n1< * 2 EXPUNGE\n1< A2 OK done\n");
        let v = fires(&text, "R3501-7.4.1-02");
        assert_eq!(v.detector, "expunge-timing");
    }
}

/// Found against hoodiecrow (stress seed 1): it rejects `FETCH * FAST` with BAD and sends
/// its pending EXPUNGEs before the BAD; a rejected command interprets no sequence number.
/// The same EXPUNGEs before an OK are a finding.
#[test]
fn expunge_timing_quiet_when_the_command_is_rejected_with_bad() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let rejected = format!(
        "{sel}1> A2 FETCH * FAST\n1< * BAD [SYNTAX] Unexpected whitespace at position 13\n\
         1< * 1 EXPUNGE\n1< * 1 EXPUNGE\n1< A2 BAD Error parsing command\n"
    );
    let f = findings(&rejected);
    assert!(f.citing("R3501-7.4.1-02").next().is_none(), "{f:#?}");
    fires(
        &format!("{sel}1> A2 FETCH * FAST\n1< * 1 EXPUNGE\n1< A2 OK done\n"),
        "R3501-7.4.1-02",
    );
}

#[test]
fn expunge_timing_fires_with_no_command_or_while_a_literal_is_awaited() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    fires(&format!("{sel}1< * 2 EXPUNGE\n"), "R3501-7.4.1-01");
    fires(
        &format!("{sel}1> A2 APPEND INBOX {{3}}\n1< + go\n1< * 2 EXPUNGE\n"),
        "R3501-7.4.1-03",
    );
}

#[test]
fn expunge_timing_quiet_during_uid_commands_noop_and_pipelines() {
    let sel = select(1, "A1", "INBOX", 4, 5);
    let text = format!(
        "{sel}1> A2 UID FETCH 1:* FLAGS\n1< * 2 EXPUNGE\n1< A2 OK done\n\
         1> A3 NOOP\n1< * 2 EXPUNGE\n1< A3 OK done\n\
         1> A4 EXPUNGE\n1> A5 FETCH 1 FLAGS\n1< * 1 EXPUNGE\n1< A4 OK done\n1< * 1 FETCH (FLAGS ())\n1< A5 OK done\n"
    );
    quiet(&text);
}

#[test]
fn seqmap_fires_when_a_uid_changes_or_order_breaks() {
    let sel = select_with_uids(1, "INBOX", 3);
    let v = fires(
        &format!("{sel}1> A2 FETCH 2 UID\n1< * 2 FETCH (UID 9)\n1< A2 OK done\n"),
        "R3501-2.3.1.1-02",
    );
    assert_eq!(v.detector, "seq-uid-map");
    let sel = select(1, "A1", "INBOX", 3, 9);
    fires(
        &format!(
            "{sel}1> A2 FETCH 1:2 UID\n1< * 1 FETCH (UID 5)\n1< * 2 FETCH (UID 3)\n1< A2 OK done\n"
        ),
        "R3501-2.3.1.2-01",
    );
    fires(
        &format!("{sel}1> A2 NOOP\n1< * 4 FETCH (FLAGS ())\n1< A2 OK done\n"),
        "R3501-2.3.1.2-I01",
    );
}

#[test]
fn seqmap_quiet_after_renumbering_by_expunge() {
    let sel = select_with_uids(1, "INBOX", 3);
    quiet(&format!(
        "{sel}1> A2 NOOP\n1< * 1 EXPUNGE\n1< A2 OK done\n1> A3 FETCH 1:2 UID\n1< * 1 FETCH (UID 2)\n1< * 2 FETCH (UID 3)\n1< A3 OK done\n"
    ));
}

#[test]
fn static_data_fires_when_a_uid_names_two_messages() {
    let a = select_with_uids(1, "INBOX", 1);
    let b = select_with_uids(2, "INBOX", 1);
    let text = format!(
        "{a}{b}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 100)\n1< A2 OK done\n\
         2> B2 FETCH 1 RFC822.SIZE\n2< * 1 FETCH (RFC822.SIZE 120)\n2< B2 OK done\n"
    );
    let v = fires(&text, "R3501-2.3.1.1-I03");
    assert!(v.evidence.len() >= 2, "{v:#?}");
    let one = format!(
        "{a}1> A2 FETCH 1 INTERNALDATE\n1< * 1 FETCH (INTERNALDATE \"01-Jan-2020 00:00:00 +0000\")\n1< A2 OK done\n\
         1> A3 FETCH 1 INTERNALDATE\n1< * 1 FETCH (INTERNALDATE \"02-Jan-2020 00:00:00 +0000\")\n1< A3 OK done\n"
    );
    fires(&one, "R3501-6.4.5-01");
}

#[test]
fn static_data_quiet_for_equal_values_and_failed_fetches() {
    let a = select_with_uids(1, "INBOX", 1);
    quiet(&format!(
        "{a}1> A2 FETCH 1 BODY[]\n1< * 1 FETCH (BODY[] {{5}}\nhello FLAGS (\\Seen))\n1< A2 OK done\n\
         1> A3 FETCH 1 BODY.PEEK[]\n1< * 1 FETCH (BODY[] \"hello\")\n1< A3 OK done\n\
         1> A4 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 0)\n1< A4 NO [EXPUNGEISSUED] gone\n\
         1> A5 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 5)\n1< A5 OK done\n"
    ));
}

/// Found against Dovecot (stress seed 1): a FETCH of a message another session expunged
/// gets `RFC822.SIZE 0` and a tagged `OK [EXPUNGEISSUED]` (RFC 2180 §4.1.3). Legal, in
/// either order of first sighting; without the code the same answer is a finding.
#[test]
fn static_data_quiet_for_nil_fetches_under_expungeissued() {
    let a = select_with_uids(1, "INBOX", 2);
    quiet(&format!(
        "{a}1> A2 FETCH 1:2 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 0)\n1< * 2 FETCH (RFC822.SIZE 7)\n\
         1< A2 OK [EXPUNGEISSUED] Some messages were already expunged\n\
         1> A3 UID FETCH 1 RFC822.SIZE\n1< * 1 FETCH (UID 1 RFC822.SIZE 755)\n1< A3 OK done\n"
    ));
    quiet(&format!(
        "{a}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 755)\n1< A2 OK done\n\
         1> A3 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 0)\n\
         1< A3 OK [EXPUNGEISSUED] Some messages were already expunged\n"
    ));
    fires(
        &format!(
            "{a}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 755)\n1< A2 OK done\n\
             1> A3 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 0)\n1< A3 OK done\n"
        ),
        "R3501-6.4.5-01",
    );
}

#[test]
fn uidvalidity_fires_when_it_changes_while_selected() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let v = fires(
        &format!("{sel}1> A2 NOOP\n1< * OK [UIDVALIDITY 8] new\n1< A2 OK done\n"),
        "R3501-2.3.1.1-02",
    );
    assert_eq!(v.detector, "uidvalidity");
}

#[test]
fn uidvalidity_fires_when_it_goes_down_or_status_disagrees() {
    let first = select(1, "A1", "INBOX", 3, 4);
    let second = select(2, "B1", "INBOX", 3, 4).replace("UIDVALIDITY 7", "UIDVALIDITY 6");
    fires(&format!("{first}{second}"), "R3501-2.3.1.1-07");
    let status =
        "2> B1 STATUS INBOX (UIDVALIDITY)\n2< * STATUS INBOX (UIDVALIDITY 9)\n2< B1 OK done\n";
    fires(&format!("{first}{status}"), "R3501-6.3.10-I01");
}

#[test]
fn uidvalidity_quiet_when_a_recreated_mailbox_gets_a_larger_one() {
    let first = select(1, "A1", "INBOX.Work", 0, 1);
    let again = select(1, "A4", "INBOX.Work", 0, 1).replace("UIDVALIDITY 7", "UIDVALIDITY 70");
    quiet(&format!(
        "{first}1> A2 CLOSE\n1< A2 OK closed\n1> A3 DELETE INBOX.Work\n1< A3 OK gone\n1> A5 CREATE INBOX.Work\n1< A5 OK made\n{again}"
    ));
}

#[test]
fn uidnext_fires_when_it_decreases_or_trails_a_seen_uid() {
    let first = select(1, "A1", "INBOX", 3, 10);
    let status = "2> B1 STATUS INBOX (UIDNEXT UIDVALIDITY)\n2< * STATUS INBOX (UIDNEXT 5 UIDVALIDITY 7)\n2< B1 OK done\n";
    let v = fires(&format!("{first}{status}"), "R3501-2.3.1.1-05");
    assert_eq!(v.detector, "uidnext");
    let seen = format!("{first}1> A2 FETCH 3 UID\n1< * 3 FETCH (UID 12)\n1< A2 OK done\n");
    fires(
        &format!("{seen}{}", select(2, "B1", "INBOX", 3, 12)),
        "R3501-2.3.1.1-05",
    );
}

#[test]
fn uidnext_quiet_for_a_status_sent_before_the_newer_value_was_seen() {
    // B's STATUS was sent before A saw UIDNEXT 10: it may answer from the older state.
    let text = format!(
        "2> B1 STATUS INBOX (UIDNEXT UIDVALIDITY)\n{}2< * STATUS INBOX (UIDNEXT 5 UIDVALIDITY 7)\n2< B1 OK done\n",
        select(1, "A1", "INBOX", 3, 10)
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.3.1.1-05").next().is_none(), "{f:#?}");
}

/// Found against Dovecot (stress seed 1): three commands pipelined; the FETCH responses
/// (`RFC822.SIZE 0` for messages expunged meanwhile) belong to `UID FETCH 606:*`, which
/// completed `OK [EXPUNGEISSUED]`, not to `UID FETCH 461`, which completed plain OK.
#[test]
fn static_data_attributes_pipelined_fetches_by_their_sets() {
    let a = select_with_uids(1, "INBOX", 2);
    quiet(&format!(
        "{a}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 468)\n1< A2 OK done\n\
         1> A3 UID FETCH 9 RFC822.SIZE\n1> A4 UID FETCH 1:* FAST\n\
         1< * 1 FETCH (UID 1 FLAGS () INTERNALDATE \"27-Nov-2026 00:49:40 +0000\" RFC822.SIZE 0)\n\
         1< A3 OK done\n1< A4 OK [EXPUNGEISSUED] Some messages were already expunged\n"
    ));
    // Two FETCHes that could both own the response: neither vouches for it.
    quiet(&format!(
        "{a}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 468)\n1< A2 OK done\n\
         1> A3 UID FETCH 1 RFC822.SIZE\n1> A4 UID FETCH 1:* RFC822.SIZE\n\
         1< * 1 FETCH (UID 1 RFC822.SIZE 0)\n\
         1< A3 OK done\n1< A4 OK [EXPUNGEISSUED] Some messages were already expunged\n"
    ));
    // The owner vouches: a changed size is a finding.
    fires(
        &format!(
            "{a}1> A2 FETCH 1 RFC822.SIZE\n1< * 1 FETCH (RFC822.SIZE 468)\n1< A2 OK done\n\
             1> A3 UID FETCH 9 RFC822.SIZE\n1> A4 UID FETCH 1:* RFC822.SIZE\n\
             1< * 1 FETCH (UID 1 RFC822.SIZE 0)\n1< A3 OK done\n1< A4 OK done\n"
        ),
        "R3501-6.4.5-01",
    );
}

#[test]
fn uidnext_quiet_for_a_status_of_the_sessions_own_selected_mailbox() {
    // Dovecot answers STATUS of the selected mailbox from the session's snapshot
    // (`OK [CLIENTBUG]`), behind what another session already saw.
    let text = format!(
        "{}{}2> B2 STATUS INBOX (UIDNEXT UIDVALIDITY)\n2< * STATUS INBOX (UIDNEXT 5 UIDVALIDITY 7)\n2< B2 OK [CLIENTBUG] done\n",
        select(1, "A1", "INBOX", 3, 10),
        select(2, "B1", "INBOX", 3, 10),
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.3.1.1-05").next().is_none(), "{f:#?}");
}

#[test]
fn uidnext_quiet_for_a_status_after_a_malformed_examine_the_server_rejected() {
    // live_session against Dovecot: `EXAMINE box (` got BAD, so session 2 still had INBOX
    // selected and its STATUS came from the stale snapshot; the model, not knowing what is
    // selected after a malformed EXAMINE, must not judge it.
    let text = format!(
        "{}{}2>! B2 EXAMINE INBOX (\n2< B2 BAD Missing ')'\n\
         2> B3 STATUS INBOX (UIDNEXT UIDVALIDITY)\n2< * STATUS INBOX (UIDNEXT 5 UIDVALIDITY 7)\n2< B3 OK [CLIENTBUG] done\n",
        select(2, "B1", "INBOX", 3, 5),
        select(1, "A1", "INBOX", 3, 10),
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.3.1.1-05").next().is_none(), "{f:#?}");
    // Without the malformed EXAMINE in between, the same STATUS of another session's
    // view is judged.
    let plain = format!(
        "{}{}2> B3 STATUS INBOX (UIDNEXT UIDVALIDITY)\n2< * STATUS INBOX (UIDNEXT 5 UIDVALIDITY 7)\n2< B3 OK done\n",
        select(1, "A1", "INBOX", 3, 10),
        select(2, "B1", "Other", 3, 5),
    );
    fires(&plain, "R3501-2.3.1.1-05");
}

#[test]
fn nothing_is_judged_against_a_mailbox_a_malformed_examine_may_have_left() {
    // Dovecot reads `EXAMINE other {10}…` (here: `((`) leniently and selects `other`: its UIDVALIDITY and
    // EXISTS must not be taken for the old selection's.
    let text = format!(
        "{}1>! A2 EXAMINE other ((\n1< * OK [CLOSED] closed\n1< * 0 EXISTS\n1< * OK [UIDVALIDITY 3] ok\n1< * OK [UIDNEXT 1] ok\n1< A2 OK [READ-ONLY] done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let f = findings(&text);
    assert!(f.verdict < Verdict::Fail, "{f:#?}");
}

/// Found against hoodiecrow (fuzz seed 1): the driver gave up on a malformed command at an
/// untagged BAD and sent a STORE; the EXPUNGEs that followed came before the malformed
/// command's own tagged BAD, so they may be its answer, not the STORE's.
#[test]
fn expunge_timing_quiet_while_a_command_given_up_on_may_still_run() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let text = format!(
        "{sel}1> A2 NOOP\n1! timeout A2\n1> A3 STORE 1 +FLAGS (\\Seen)\n1< * 1 EXPUNGE\n\
         1< A2 OK late\n1< A3 OK done\n"
    );
    let f = findings(&text);
    assert!(f.citing("R3501-7.4.1-02").next().is_none(), "{f:#?}");
    // Once the late tagged line came, the next EXPUNGE during a STORE is judged again.
    let later = format!("{text}1> A4 STORE 1 +FLAGS (\\Seen)\n1< * 1 EXPUNGE\n1< A4 OK done\n");
    assert!(findings(&later).citing("R3501-7.4.1-02").next().is_some());
}

/// Found against Dovecot (fuzz seed 1): the leftover of a literal-longer-than-data line ran
/// as `X NOOP` while a SELECT was in flight; its EXPUNGEs are not about the new selection.
#[test]
fn exists_quiet_for_expunges_while_a_malformed_lines_leftover_may_run() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let text = format!(
        "{sel}1>!literal-longer-than-data A2 STATUS INBOX (UIDNEXT) {{10}}\\r\\nab\\r\\nX NOOP\n\
         1< * STATUS INBOX (UIDNEXT 4)\n1< A2 OK done\n1> A3 SELECT Other\n\
         1< ab BAD Invalid command name\n1< * 4 EXPUNGE\n"
    );
    let f = findings(&text);
    assert!(f.citing("R3501-7.4.1-I01").next().is_none(), "{f:#?}");
}
