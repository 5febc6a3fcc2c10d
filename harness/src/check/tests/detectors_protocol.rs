//! Syntax, extensions, tags, solicited data, rejections, liveness.

use super::{findings, fires, quiet, select};
use crate::check::Verdict;

#[test]
fn syntax_fires_on_a_bad_frame_with_the_diagnostic() {
    let v = fires(
        "1> A1 NOOP\n1< * 1 FETCH (UID 0)\n1< A1 OK done\n",
        "R3501-9-02",
    );
    assert_eq!(v.detector, "syntax");
    assert!(v.observed.contains("nz-number"), "{}", v.observed);
    // Hoodiecrow: "]" must be followed by SP text.
    fires(
        "1> A1 NOOP\n1< * OK [UIDNEXT 4]\n1< A1 OK done\n",
        "R3501-9-02",
    );
}

#[test]
fn syntax_quiet_on_extension_data_the_parser_keeps() {
    quiet(
        "caps IMAP4rev1 QUOTA NAMESPACE UIDPLUS
1> A1 GETQUOTAROOT INBOX
1< * QUOTAROOT INBOX \"\"
1< * QUOTA \"\" (STORAGE 10 512)
1< A1 OK [XSOMECODE with text] done
1> A2 NAMESPACE
1< * NAMESPACE ((\"INBOX.\" \".\")) NIL NIL
1< A2 OK done
",
    );
}

#[test]
fn extensions_fire_when_no_capability_explains_them() {
    let v = fires(
        "caps IMAP4rev1\n1> A1 NOOP\n1< * XWEIRD 1 2\n1< A1 OK done\n",
        "R3501-7.2.1-03",
    );
    assert_eq!(v.detector, "extensions");
    fires(
        "caps IMAP4rev1\n1> A1 APPEND INBOX {1+}\n1+ x\n1< A1 OK [APPENDUID 7 1] done\n",
        "R3501-7.2.1-03",
    );
}

#[test]
fn extensions_quiet_without_any_capability_known() {
    quiet("1> A1 NOOP\n1< * XWEIRD 1 2\n1< A1 OK done\n");
}

#[test]
fn tags_fire_on_unknown_and_repeated_completions() {
    let v = fires(
        "1> A1 NOOP\n1< A1 OK done\n1< A1 OK again\n",
        "R3501-2.2.2-I01",
    );
    assert!(v.observed.contains("second"));
    let v = fires(
        "1> A1 NOOP\n1< A1 OK done\n1< Z9 OK what\n",
        "R3501-2.2.2-I01",
    );
    assert!(v.observed.contains("Z9"));
}

#[test]
fn tags_quiet_for_pipelined_commands_completed_out_of_order() {
    quiet("1> A1 NOOP\n1> A2 CAPABILITY\n1< * CAPABILITY IMAP4rev1\n1< A2 OK c\n1< A1 OK n\n");
}

#[test]
fn tags_after_a_deliberate_malformation_are_unknown_not_fail() {
    let f = findings("1>! A1 APPEND INBOX {2}\n1< X OK stray\n");
    assert_eq!(f.verdict, Verdict::Unknown, "{f:#?}");
}

#[test]
fn solicited_fires_on_data_no_command_asked_for() {
    let text = format!(
        "{}1> A2 SEARCH ALL\n1< * SEARCH 1 2 3\n1< A2 OK done\n1< * SEARCH 1\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let v = fires(&text, "R3501-2.2.2-I01");
    assert_eq!(v.detector, "solicited");
    fires(
        "1> A1 NOOP\n1< * LIST () \"/\" INBOX\n1< A1 OK done\n",
        "R3501-2.2.2-I01",
    );
}

#[test]
fn solicited_quiet_for_notifications_at_any_time() {
    let text = format!(
        "{}1< * 4 EXISTS\n1< * 1 FETCH (FLAGS (\\Seen))\n1< * OK still here\n1> A2 LIST \"\" *\n1< * LIST () \"/\" INBOX\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    quiet(&text);
}

#[test]
fn rejections_fire_on_bad_for_a_valid_command() {
    let text = format!(
        "{}1> A2 FETCH 1 FLAGS\n1< A2 BAD no\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let v = fires(&text, "R3501-9-02");
    assert_eq!(v.detector, "rejections");
    fires("1> A1 NOOP\n1< A1 NO busy\n", "R3501-6-I03");
}

#[test]
fn rejections_fire_when_close_after_examine_fails() {
    // pymap: CLOSE after EXAMINE answers NO [READ-ONLY].
    let text = "1> A1 EXAMINE INBOX\n1< * 0 EXISTS\n1< A1 OK [READ-ONLY] ok\n1> A2 CLOSE\n1< A2 NO [READ-ONLY] no\n";
    fires(text, "R3501-6.4.2-I02");
}

#[test]
fn rejections_fire_softly_on_no_for_a_malformed_command() {
    // Courier answers protocol errors with NO.
    let v = fires("1> A1 FETCH 1 (FLAGS\n1< A1 NO bad\n", "R3501-2.2.2-03");
    assert_eq!(v.verdict, Verdict::NonStrict);
}

#[test]
fn rejections_quiet_on_no_for_an_advertised_extension_form_the_parser_lacks() {
    // CATENATE (RFC 4469) is advertised: the NO is about the URL, not the grammar.
    quiet(
        "caps IMAP4rev1 CATENATE\n1> A1 APPEND x CATENATE (URL \"/x;uid=1\")\n1< A1 NO Invalid UIDVALIDITY\n",
    );
    fires(
        "caps IMAP4rev1\n1> A1 APPEND x CATENATE (URL \"/x;uid=1\")\n1< A1 NO Invalid UIDVALIDITY\n",
        "R3501-2.2.2-03",
    );
}

#[test]
fn solicited_quiet_on_search_context_updates() {
    let text = format!(
        "caps IMAP4rev1 ESEARCH CONTEXT=SEARCH\n{}1> A2 NOOP\n1< * ESEARCH (TAG \"A9\") ADDTO (1 3)\n1< A2 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    quiet(&text);
}

#[test]
fn rejections_quiet_for_out_of_range_mutated_and_wrong_state_commands() {
    let text = format!(
        "{}1> A2 FETCH 99 FLAGS\n1< A2 BAD no such message\n1>! A3 NOOP\n1< A3 BAD mutated\n1> A4 LOGIN a b\n1< A4 BAD already\n1> A5 MOVE 1 x\n1< A5 BAD unknown\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    quiet(&text);
}

#[test]
fn liveness_fires_on_a_hang_and_the_command_becomes_unknown() {
    let f = findings("1> A1 NOOP\n1< A1 OK done\n1> A2 FETCH 1 FLAGS\n1! timeout A2\n");
    let v = f
        .citing("R3501-2.2.2-I01")
        .next()
        .expect("liveness finding");
    assert!(
        v.observed.contains("server crashed or hung during: A2"),
        "{}",
        v.observed
    );
    assert!(f.undecided.iter().any(|u| u.verdict == Verdict::Unknown));
}

#[test]
fn liveness_undecided_when_one_command_is_slow_while_others_are_served() {
    // Courier stalls a command for minutes on its FAM socket and serves everyone else: RFC
    // 3501 sets no time limit, so this is no proof of a hang.
    let f = findings(
        "1> A1 NOOP\n1< A1 OK done\n1> A2 CHECK\n2> B1 NOOP\n2< B1 OK done\n1! timeout A2\n",
    );
    let v = f.citing("R3501-2.2.2-I01").next().expect("recorded");
    assert_eq!(v.verdict, Verdict::Unknown, "{v:#?}");
    assert!(v.observed.contains("other sessions were served"));
    assert!(f.verdict < Verdict::Fail);
}

#[test]
fn liveness_fires_on_a_crash() {
    let v = fires(
        "1> A1 STORE 1 +FLAGS (\\Seen)\n1! disconnect A1\n",
        "R3501-3.4-02",
    );
    assert!(v.observed.contains("during: A1"), "{}", v.observed);
}

#[test]
fn liveness_quiet_after_logout() {
    quiet("1> A1 LOGOUT\n1< * BYE bye\n1< A1 OK done\n1! disconnect\n");
}

/// Found against Cyrus 3.6.1 (stress seed 1): `SEARCH LARGER 3901274243` (a valid 32-bit
/// number) ends the session with `* BYE Fatal error: num too big` while other sessions go on.
#[test]
fn liveness_fires_when_bye_replaces_a_valid_command_and_the_server_lives_on() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let ended = format!(
        "{sel}1> A2 SEARCH CHARSET UTF-8 NOT LARGER 3901274243\n1< * BYE Fatal error: num too big\n\
         1! disconnect A2\n"
    );
    let v = fires(
        &format!("{ended}2> B1 NOOP\n2< B1 OK done\n"),
        "R3501-2.2.2-I01",
    );
    assert_eq!(v.verdict, Verdict::Fail);
    assert!(v.observed.contains("during: A2 SEARCH"), "{}", v.observed);
    // No other session heard from the server afterwards: perhaps a shutdown, Unknown.
    let f = findings(&ended);
    let v = f
        .citing("R3501-2.2.2-I01")
        .next()
        .expect("an Unknown finding");
    assert_eq!(v.verdict, Verdict::Unknown);
}

#[test]
fn liveness_quiet_for_bye_after_a_malformed_or_wrong_state_command() {
    let logout =
        findings("1> A1 LOGOUT\n1< * BYE bye\n1! disconnect A1\n2> B1 NOOP\n2< B1 OK done\n");
    assert!(
        logout.citing("R3501-2.2.2-I01").next().is_none(),
        "{logout:#?}"
    );
    let sel = select(1, "A1", "INBOX", 3, 4);
    let text = format!(
        "{sel}1>! A2 SEARCH LARGER 99999999999\n1< * BYE too big\n1! disconnect A2\n\
         2> B1 NOOP\n2< B1 OK done\n"
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.2.2-I01").next().is_none(), "{f:#?}");
    // Courier: BYE "too many consecutive protocol violations" arrives while a valid NOOP is
    // in flight, after the session's malformed commands: not the NOOP's fault.
    let text = format!(
        "{sel}1>! A2 FETCH 1 (FLAGS\n1< A2 BAD bad\n1> A3 NOOP\n1< * BYE too many protocol violations\n\
         1! disconnect A3\n2> B1 NOOP\n2< B1 OK done\n"
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.2.2-I01").next().is_none(), "{f:#?}");
}

/// Found by `live_session` against Dovecot 2.3: it ends a session at the 20th BAD in a row
/// (`* BYE Too many invalid IMAP commands.`), and a well-formed FETCH of a sequence number
/// past EXISTS is answered BAD; the NOOP pipelined behind the last one is no victim. After
/// an OK the streak is over, and a BYE instead of a valid command is a finding again.
#[test]
fn liveness_quiet_for_bye_after_bad_answers_until_an_ok() {
    let sel = select(1, "A1", "INBOX", 3, 4);
    let fetched = format!("{sel}1> A2 FETCH 9 FLAGS\n1< A2 BAD Invalid messageset\n");
    let bye = "1> A3 NOOP\n1< * BYE Too many invalid IMAP commands.\n1! disconnect A3\n\
               2> B1 NOOP\n2< B1 OK done\n";
    let f = findings(&format!("{fetched}{bye}"));
    assert!(f.citing("R3501-2.2.2-I01").next().is_none(), "{f:#?}");
    let v = fires(
        &format!("{fetched}1> A4 CHECK\n1< A4 OK done\n{bye}"),
        "R3501-2.2.2-I01",
    );
    assert_eq!(v.verdict, Verdict::Fail);
}

#[test]
fn rejections_undecided_after_a_malformed_examine_may_have_deselected() {
    // A server may read a malformed EXAMINE leniently and fail it, which deselects: a later
    // "No mailbox selected" BAD is then right, and the model cannot know.
    let text = format!(
        "{}1>! A2 EXAMINE INBOX (\n1< A2 NO no such mailbox\n1> A3 FETCH 1 FLAGS\n1< A3 BAD No mailbox selected\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let f = findings(&text);
    assert!(f.verdict < Verdict::Fail, "{f:#?}");
    // Without the malformation, the BAD is a finding.
    let plain = format!(
        "{}1> A3 FETCH 1 FLAGS\n1< A3 BAD No mailbox selected\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    assert_eq!(findings(&plain).verdict, Verdict::Fail);
}

#[test]
fn expunge_timing_quiet_while_a_malformed_commands_leftovers_may_run() {
    // Cyrus did not take `{10}` as a literal and ran the data's `X NOOP`, which may bring
    // EXPUNGEs; they arrive while our FETCH is the only command the model knows of.
    let text = format!(
        "{}1>!literal-longer-than-data A2 SEARCH ALL {{10}}\n1< A2 BAD no literal here\n\
         1> A3 FETCH 1 FLAGS\n1< * 2 EXPUNGE\n1< X OK NOOP completed\n1< * 1 FETCH (FLAGS ())\n1< A3 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let f = findings(&text);
    assert!(f.citing("R3501-7.4.1-02").next().is_none(), "{f:#?}");
    // The same EXPUNGE without the malformed command before it is a finding.
    let plain = format!(
        "{}1> A3 FETCH 1 FLAGS\n1< * 2 EXPUNGE\n1< * 1 FETCH (FLAGS ())\n1< A3 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    assert!(findings(&plain).citing("R3501-7.4.1-02").next().is_some());
}

#[test]
fn solicited_quiet_for_data_a_phantom_may_have_asked_for() {
    // The rest of a bare-LF line ran as a command of its own; its data is no stray.
    let text = format!(
        "{}1>!bare-lf A2 SEARCH\n1< A2 BAD missing parameters\n1< * BAD invalid tag\n\
         1> A3 NOOP\n1< * SEARCH 1\n1< A3 OK done\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    let f = findings(&text);
    assert!(f.citing("R3501-2.2.2-I01").next().is_none(), "{f:#?}");
}

#[test]
fn a_malformed_command_name_that_starts_like_examine_taints_the_selection() {
    // Courier reads `EXAMINE) box`, fails it and deselects: CLOSE's BAD is then right.
    let text = format!(
        "{}1>! A2 EXAMINE) INBOX\n1< A2 NO no\n1> A3 CLOSE\n1< A3 BAD No mailbox selected\n",
        select(1, "A1", "INBOX", 3, 4)
    );
    assert!(findings(&text).verdict < Verdict::Fail);
}
