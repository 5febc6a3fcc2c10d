//! Every client command of `shared/corpus-real/*.client.imap` parses, except the
//! deliberately malformed ones listed in [`MALFORMED`], which fail with the listed rule.

use crate::wire::command::*;
use crate::wire::corpus_real::{recordings, split};

/// The commands the capture client sends wrong on purpose (text after the tag), with a word
/// the diagnostic's rule stack or expectation must contain.
const MALFORMED: &[(&str, &str)] = &[
    // an empty line: no tag at all
    ("", "tag"),
    ("NOOP extra-argument", "CRLF"),
    ("SELECT \"INBOX", "quoted"),
    ("FETCH 1 (FLAGS", "SP or \\\")\\\""),
    ("FETCH 1 BOGUSITEM", "fetch-att"),
    ("FETCH 0 FLAGS", "nz-number"),
    ("STORE 1 XFLAGS (\\Seen)", "store-att-flags"),
    ("STORE 1 +FLAGS (a\"b)", "flag-list"),
    ("STATUS INBOX (MESSAGES BOGUS)", "status-att"),
    ("SEARCH BOGUSKEY 1", "search-key"),
    ("SEARCH SINCE 32-Foo-2000", "date-day"),
    ("UID BOGUS 1", "uid"),
    (
        "APPEND INBOX (\\Seen) \"99-Foo-2000 00:00:00 +0000\" {173}",
        "date-time",
    ),
    // 2^64-1 is beyond RFC 7162's 63-bit mod-sequence-valzer
    (
        "UID STORE 1:* (UNCHANGEDSINCE 18446744073709551615) -FLAGS.SILENT (Checked)",
        "mod-sequence-value (at most 2^63-1)",
    ),
];

/// What the next client item is, given the command before it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Command,
    /// The base64 line answering AUTHENTICATE's empty continuation.
    AuthenticateData,
    /// The `DONE` that ends IDLE.
    Done,
}

/// The server's side of a connection, read only to learn whether it accepted each
/// synchronising literal: a client sends the literal octets only after a `+`; a server may
/// instead complete the command at once (`NO [TRYCREATE]`, `BAD` for a broken date), and
/// then the client stream holds the announcing line without the octets.
struct Server<'a> {
    frames: Vec<&'a [u8]>,
    cursor: usize,
}

impl<'a> Server<'a> {
    fn new(stream: &'a [u8]) -> Self {
        Self {
            frames: split(stream, |_, _| true),
            cursor: 0,
        }
    }

    /// The next `+` or tagged completion of `tag`; true for `+` (literal accepted).
    fn accepts_literal(&mut self, tag: &[u8]) -> bool {
        for (i, frame) in self.frames.iter().enumerate().skip(self.cursor) {
            if frame.starts_with(b"+") {
                self.cursor = i + 1;
                return true;
            }
            if is_tagged(frame, tag) {
                return false;
            }
        }
        true
    }

    /// Moves past the tagged completion of `tag`, if the server sent one.
    fn complete(&mut self, tag: &[u8]) {
        let found = self.frames[self.cursor..]
            .iter()
            .position(|f| is_tagged(f, tag));
        if let Some(offset) = found {
            self.cursor += offset + 1;
        }
    }
}

fn is_tagged(frame: &[u8], tag: &[u8]) -> bool {
    frame.starts_with(tag) && frame.get(tag.len()) == Some(&b' ')
}

fn tag_of(frame: &[u8]) -> &[u8] {
    frame
        .split(|&b| b == b' ' || b == b'\r')
        .next()
        .unwrap_or_default()
}

fn after_tag(frame: &[u8]) -> String {
    let line = frame.split(|&b| b == b'\r').next().unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    text.split_once(' ')
        .map_or(String::new(), |(_, rest)| rest.to_owned())
}

#[derive(Default, Debug)]
struct Tally {
    parsed: usize,
    malformed: usize,
    continuation_lines: usize,
    refused_literals: usize,
    unexpected: Vec<String>,
    used: Vec<&'static str>,
}

fn check_stream(name: &str, stream: &[u8], server: &[u8], tally: &mut Tally) {
    let mut server = Server::new(server);
    let mut refused = Vec::new();
    let frames = split(stream, |frame, sync| {
        let accepted = !sync || server.accepts_literal(tag_of(frame));
        if !accepted {
            refused.push(frame);
            server.complete(tag_of(frame));
        }
        accepted
    });
    let mut expect = Expect::Command;
    for frame in frames {
        let text = after_tag(frame);
        let listed = MALFORMED.iter().find(|(cmd, _)| *cmd == text);
        if refused.contains(&frame) && listed.is_none() {
            check_refused(name, frame, tally);
            continue;
        }
        server.complete(tag_of(frame));
        match expect {
            Expect::AuthenticateData => {
                tally.continuation_lines += 1;
                if let Err(e) = parse_authenticate_data(frame) {
                    tally.unexpected.push(format!("{name}: auth data: {e}"));
                }
                expect = Expect::Command;
                continue;
            }
            Expect::Done => {
                tally.continuation_lines += 1;
                if let Err(e) = parse_idle_done(frame) {
                    tally.unexpected.push(format!("{name}: DONE: {e}"));
                }
                expect = Expect::Command;
                continue;
            }
            Expect::Command => {}
        }
        match (parse_command(frame), listed) {
            (Ok(command), None) => {
                tally.parsed += 1;
                let again = parse_command(&command.encode(&EncodeOptions::default()).to_bytes());
                if again.as_ref() != Ok(&command) {
                    tally
                        .unexpected
                        .push(format!("{name}: {text:?} does not round-trip: {again:?}"));
                }
                expect = next_expectation(&command.body);
            }
            (Ok(_), Some((cmd, _))) => tally
                .unexpected
                .push(format!("{name}: {cmd:?} parsed but is listed as malformed")),
            (Err(e), Some((cmd, needle))) => {
                let diag = format!("{:?} {:?}", e.rules, e.expected);
                if diag.contains(needle) {
                    tally.malformed += 1;
                    tally.used.push(cmd);
                } else {
                    tally
                        .unexpected
                        .push(format!("{name}: {cmd:?}: {needle:?} not in {diag}\n{e}"));
                }
            }
            (Err(e), None) => tally.unexpected.push(format!("{name}: {text:?}\n{e}")),
        }
    }
}

/// A command cut short by the server's refusal of its literal: it must fail exactly where
/// the literal octets should start.
fn check_refused(name: &str, frame: &[u8], tally: &mut Tally) {
    match parse_command(frame) {
        Err(e)
            if e.offset == frame.len()
                && format!("{:?}", e.expected).contains("literal octets") =>
        {
            tally.refused_literals += 1;
        }
        other => tally.unexpected.push(format!(
            "{name}: refused literal {:?}: {other:?}",
            after_tag(frame)
        )),
    }
}

fn next_expectation(body: &CommandBody) -> Expect {
    match body {
        CommandBody::Authenticate {
            initial_response: None,
            ..
        } => Expect::AuthenticateData,
        CommandBody::Idle => Expect::Done,
        _ => Expect::Command,
    }
}

#[test]
fn real_client_streams() {
    let paths = recordings(".client.imap");
    assert_eq!(paths.len(), 12, "six servers, two connections each");
    let mut tally = Tally::default();
    for path in &paths {
        let stream = std::fs::read(path).expect("readable corpus file");
        let server_path = path
            .to_string_lossy()
            .replace(".client.imap", ".server.imap");
        let server = std::fs::read(server_path).expect("server stream next to the client stream");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        check_stream(&name, &stream, &server, &mut tally);
    }
    for (cmd, _) in MALFORMED {
        assert!(
            tally.used.contains(cmd),
            "{cmd:?} is listed as malformed but never seen"
        );
    }
    assert!(
        tally.unexpected.is_empty(),
        "{} unexpected:\n{}",
        tally.unexpected.len(),
        tally.unexpected.join("\n")
    );
    println!(
        "corpus: {} parsed, {} malformed as listed, {} refused literals, {} continuation lines",
        tally.parsed, tally.malformed, tally.refused_literals, tally.continuation_lines
    );
}
