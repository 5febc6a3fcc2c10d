use std::path::Path;

use super::*;
use crate::generate::scenario::args::render;

fn parse_str(text: &str) -> Result<Scenario, ScenarioError> {
    parse(Path::new("t/x"), text.as_bytes(), |name| name == "HAVE_FOO")
}

fn ok(text: &str) -> Scenario {
    parse_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    parse_str(text).unwrap_err().to_string()
}

fn reply(c: &Command) -> String {
    render(c.reply.as_deref().unwrap_or_default())
}

#[test]
fn every_header_key() {
    let s = ok(
        "capabilities: CHILDREN LIST-EXTENDED\nconnections: 2\nstate: created\n\
                messages: 4\nignore_extra_untagged: no\nuser 2: $user2\nrfc: 3501#6.4.5\n\
                requirement: R3501-6.4.5-03 R3501-2.2-I01\nlevel: must\n\
                description: flags survive\n\n1 ok noop\n",
    );
    let h = &s.header;
    assert_eq!(h.capabilities, ["CHILDREN", "LIST-EXTENDED"]);
    assert_eq!(h.connections, 2);
    assert_eq!(h.state, StartState::Created);
    assert_eq!(h.messages, Messages::Count(4));
    assert!(!h.ignore_extra_untagged);
    assert_eq!(h.users.get(&2).map(String::as_str), Some("$user2"));
    assert_eq!(h.rfc, ["3501#6.4.5"]);
    assert_eq!(h.requirements, ["R3501-6.4.5-03", "R3501-2.2-I01"]);
    assert_eq!(h.level.as_deref(), Some("MUST"));
    assert_eq!(h.description.as_deref(), Some("flags survive"));
    assert_eq!(
        ok("messages: all\n\nok noop\n").header.messages,
        Messages::All
    );
    let d = ok("\nok noop\n").header;
    assert_eq!((d.connections, d.state), (1, StartState::Selected));
    assert_eq!(
        d.messages,
        Messages::Count(0),
        "imaptest appends nothing by default"
    );
    assert!(d.ignore_extra_untagged);
}

#[test]
fn header_errors_name_file_and_line() {
    assert_eq!(
        err("state: nowhere\n\nok noop\n"),
        "t/x:1: Unknown state value"
    );
    assert_eq!(
        err("# c\nfoo: 1\n\nok noop\n"),
        "t/x:2: Unknown setting \"foo\""
    );
    assert_eq!(err("state auth\n\nok noop\n"), "t/x:1: Missing ':'");
    assert_eq!(
        err("connections: 0\n\nok noop\n"),
        "t/x:1: Too many connections"
    );
    assert!(
        err("requirement: 6.4.5\n\nok noop\n")
            .starts_with("t/x:1: \"6.4.5\" is not a requirement id")
    );
    assert!(
        err("requirement: R9051-a-01\n\nok noop\n")
            .starts_with("t/x:1: \"R9051-a-01\" is not a requirement id")
    );
    assert!(
        err("requirement: R9051-6.A-01\n\nok noop\n").contains("is not a requirement id"),
        "an appendix letter only comes first"
    );
    ok("requirement: R9051-A-01 R9051-A.2-I01\n\nok noop\n");
    assert!(err("level: often\n\nok noop\n").starts_with("t/x:1: level must be"));
}

#[test]
fn method_one_inline_reply() {
    let s = ok("\nok select $mailbox\n* 0 exists\n\"\" delete x\nno select y\nbad foo\n");
    assert_eq!(s.groups.len(), 4);
    let g = &s.groups[0];
    assert_eq!(g.commands[0].text, b"select $mailbox".to_vec());
    assert_eq!(reply(&g.commands[0]), "ok");
    assert_eq!(render(&g.untagged[0].pattern), "0 exists");
    assert_eq!(g.untagged[0].line, 3);
    assert_eq!(reply(&s.groups[1].commands[0]), "");
    assert_eq!(reply(&s.groups[2].commands[0]), "no");
    assert_eq!(reply(&s.groups[3].commands[0]), "bad");
}

#[test]
fn method_two_reply_on_its_own_line() {
    let s = ok("\nselect $mailbox\n* 2 exists\nok [read-write]\nok noop\n");
    let c = &s.groups[0].commands[0];
    assert_eq!(reply(c), "ok [read-write]");
    assert_eq!((c.line, c.reply_line), (2, Some(4)));
    assert_eq!(s.groups.len(), 2);
}

#[test]
fn method_three_pipelined_tags() {
    let s = ok(
        "\ntag1 status a (messages)\ntag2 status b (messages)\n* status a (messages 0)\n\
                tag2 ok\ntag1 no [x]\n",
    );
    let g = &s.groups[0];
    assert_eq!(g.commands.len(), 2);
    assert_eq!((g.commands[0].label, g.commands[1].label), (1, 2));
    assert_eq!(g.commands[0].text, b"status a (messages)".to_vec());
    assert_eq!(reply(&g.commands[0]), "no [x]");
    assert_eq!(reply(&g.commands[1]), "ok");
}

#[test]
fn connections_prefix_commands_and_replies() {
    let s =
        ok("connections: 2\n\n1 tag1 create a\n1 tag2 create b\n1 tag1 ok\n1 tag2 ok\n2 ok noop\n");
    assert_eq!(s.groups[0].connection, 0);
    assert_eq!(s.groups[1].connection, 1);
    assert_eq!(
        err("connections: 2\n\nok noop\n"),
        "t/x:3: Missing client index"
    );
    assert_eq!(
        err("connections: 2\n\n1 tag1 a\n2 tag2 b\n"),
        "t/x:4: All pipelined commands must use the same connection"
    );
    assert_eq!(
        err("connections: 2\n\n1 tag1 a\n2 tag1 ok\n"),
        "t/x:4: Reply for wrong connection"
    );
}

#[test]
fn command_structure_errors() {
    assert_eq!(
        err("\ntag1 a\ntag1 b\n"),
        "t/x:3: Tag reused within command group"
    );
    assert_eq!(
        err("\ntag1 a\nnoop\n"),
        "t/x:3: Missing reply from previous command group"
    );
    assert_eq!(err("\ntag1 a\ntag2 ok\n"), "t/x:3: Reply for unknown tag");
    assert_eq!(
        err("\nselect x\n* 1 exists\n"),
        "t/x:2: Missing reply for this command"
    );
    assert_eq!(err("state: auth\n"), "t/x: No commands in file");
    assert_eq!(
        err("\nok x {{{\nabc\n"),
        "t/x:2: multi-line block `{{{` is never closed by `}}}`"
    );
}

#[test]
fn untagged_kinds_and_bye() {
    let s = ok("\nok noop\n* 1 exists\n! 2 exists\n? 3 recent\n* bye\n");
    let kinds: Vec<Existence> = s.groups[0].untagged.iter().map(|u| u.existence).collect();
    assert_eq!(
        kinds,
        [
            Existence::Must,
            Existence::MustNot,
            Existence::May,
            Existence::Must
        ]
    );
    assert!(s.groups[0].expects_bye);
    assert_eq!(
        err("\nok logout\n? bye\n"),
        "t/x:3: ? BYE not currently supported"
    );
}

#[test]
fn list_directive_errors_carry_their_line() {
    assert_eq!(
        err("\nok fetch 1 uid\n* 1 fetch ($!sorted uid 1)\n"),
        "t/x:3: Unknown directive: $!sorted"
    );
    assert_eq!(
        err("\nok fetch 1 uid\n* 1 fetch ($!unordered=2 uid)\n"),
        "t/x:3: Invalid list argument count, chain size=2"
    );
}

#[test]
fn group_directives() {
    let s = ok("\nok noop\n!ordered\n!sleep 250ms\n!output uid=$uid\n* 1 exists\n");
    let g = &s.groups[0];
    assert!(g.ordered);
    assert_eq!(g.sleep, Some(std::time::Duration::from_millis(250)));
    assert_eq!(g.output, [b"uid=$uid".to_vec()]);
    assert!(err("\nok noop\n!sleep soon\n").starts_with("t/x:3: Invalid !sleep value"));
}

#[test]
fn ifenv_else_endif() {
    let s = ok(
        "\n!ifenv HAVE_FOO\nok foo\n!else\nok bar\n!endif\n!ifnenv HAVE_FOO\nok baz\n!endif\nok end\n",
    );
    let texts: Vec<&[u8]> = s
        .groups
        .iter()
        .map(|g| g.commands[0].text.as_slice())
        .collect();
    assert_eq!(texts, [&b"foo"[..], b"end"]);
    let s = ok("\n!ifenv NOPE\n!ifenv HAVE_FOO\nok a\n!else\nok b\n!endif\n!else\nok c\n!endif\n");
    assert_eq!(s.groups.len(), 1);
    assert_eq!(s.groups[0].commands[0].text, b"c".to_vec());
    assert_eq!(
        err("\n!ifenv X\nok a\n"),
        "t/x:2: !ifenv not closed with !endif"
    );
    assert_eq!(err("\n!endif\nok a\n"), "t/x:2: !endif without !ifenv");
}

#[test]
fn multiline_literals_in_commands_and_patterns() {
    let s = ok(
        "\nok append $mailbox {{{\nA: b\n\nbody\n}}}\nok fetch 1 body[]\n* 1 fetch (body[] {{{\nx\n}}})\n",
    );
    assert_eq!(
        s.groups[0].commands[0].text,
        b"append $mailbox {12}\r\nA: b\r\n\r\nbody".to_vec()
    );
    assert_eq!(
        render(&s.groups[1].untagged[0].pattern),
        "1 fetch ($!unordered=2 body[] \"x\")"
    );
    assert_eq!(s.groups[1].untagged[0].line, 8);
}

#[test]
fn the_imaptest_suite_parses() {
    let dir = crate::generate::scenario::suite::peer_suite();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: no imaptest suite at {}", dir.display());
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_file() && p.extension().is_none_or(|x| x != "mbox") {
            load(&p).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert_eq!(n, 71);
}

#[test]
fn commands_sent_wrong_on_purpose_carry_a_mutation() {
    let s = ok(
        "state: auth\n\nok noop\nbad fetch 1 (flags\n\"\" fetch 1 flags\n!mutation wrong-state\n\
                no select x\n!mutation\ntag1 noop\ntag1 bad\n",
    );
    let marks: Vec<Option<&str>> = s
        .groups
        .iter()
        .flat_map(|g| &g.commands)
        .map(|c| c.mutation.as_deref())
        .collect();
    assert_eq!(
        marks,
        [
            None,
            Some("expected-bad"),
            Some("wrong-state"),
            Some("on-purpose"),
            Some("expected-bad"),
        ]
    );
}

#[test]
fn a_reply_may_name_alternatives() {
    let s = ok("state: nonauth\n\nno|bad select x\nselect y\nbad|no\n");
    let replies: Vec<String> = s
        .groups
        .iter()
        .flat_map(|g| &g.commands)
        .map(reply)
        .collect();
    assert_eq!(replies, ["no|bad", "bad|no"]);
}
