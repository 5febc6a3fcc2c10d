//! `imapgate parse [--commands] FILE|-`: frame a raw transcript, parse every frame, print one
//! line per response (or command) and every error with its full diagnostic.

use std::io::{Read, Write};
use std::path::PathBuf;

use super::Exit;
use crate::wire::command::parse_command;
use crate::wire::frame::{FrameLimits, split_frames};
use crate::wire::parse_response;
use crate::wire::response::{ContinueReq, Data, Response, StatusKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The transcript: raw bytes as sent on the wire; `-` for standard input.
    pub file: PathBuf,
    /// Parse client commands instead of server responses. (A client stream in which the
    /// server refused a synchronising literal cannot be framed without the server's side:
    /// the literal's bytes were never sent.)
    #[arg(long)]
    pub commands: bool,
    /// Print only the errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Exit {
    let bytes = match read_input(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("imapgate: cannot read {}: {e}", args.file.display());
            return Exit::Harness;
        }
    };
    let mut out = std::io::stdout().lock();
    let mut frames = split_frames(&bytes, FrameLimits::default());
    let (mut ok, mut failed, mut offset) = (0usize, 0usize, 0usize);
    for frame in frames.by_ref() {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                failed += 1;
                let _ = writeln!(out, "{offset:>8}  DROPPED  {e}");
                offset += e.discarded as usize;
                continue;
            }
        };
        match kind_of(frame, args.commands) {
            Ok(kind) => {
                ok += 1;
                // A closed pipe (`| head`) only ends the listing; the verdict still counts.
                if !args.quiet {
                    let _ = writeln!(out, "{offset:>8}  {kind}");
                }
            }
            Err(diagnostic) => {
                failed += 1;
                let _ = writeln!(
                    out,
                    "{offset:>8}  ERROR  {}",
                    diagnostic.replace('\n', "\n          ")
                );
            }
        }
        offset += frame.len();
    }
    let rest = frames.rest();
    if !rest.is_empty() {
        failed += 1;
        let _ = writeln!(
            out,
            "{offset:>8}  ERROR  stream ends inside a frame ({} bytes without their end)",
            rest.len()
        );
    }
    let what = if args.commands {
        "commands"
    } else {
        "responses"
    };
    eprintln!("{ok} {what} parsed, {failed} failed");
    if failed == 0 {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

fn read_input(path: &PathBuf) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        return Ok(buf);
    }
    std::fs::read(path)
}

/// A one-line description of a frame, or its diagnostic.
fn kind_of(frame: &[u8], commands: bool) -> Result<String, String> {
    if commands {
        return parse_command(frame)
            .map(|c| format!("{} {}", c.tag, command_name(frame)))
            .map_err(|e| e.to_string());
    }
    parse_response(frame)
        .map(|r| response_kind(&r))
        .map_err(|e| e.to_string())
}

/// The command name as sent: the word after the tag (and after UID).
fn command_name(frame: &[u8]) -> String {
    let line = frame.split(|&b| b == b'\r').next().unwrap_or(frame);
    let words: Vec<&[u8]> = line.split(|&b| b == b' ').skip(1).take(2).collect();
    let n = if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case(b"UID"))
    {
        2
    } else {
        1
    };
    let name: Vec<u8> = words
        .iter()
        .take(n)
        .copied()
        .collect::<Vec<_>>()
        .join(&b' ');
    String::from_utf8_lossy(&name).to_ascii_uppercase()
}

fn status(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::Ok => "OK",
        StatusKind::No => "NO",
        StatusKind::Bad => "BAD",
    }
}

fn response_kind(r: &Response<'_>) -> String {
    match r {
        Response::Continue(ContinueReq::Text(_)) => "continue".into(),
        Response::Continue(ContinueReq::Base64(_)) => "continue (base64)".into(),
        Response::Tagged(t) => format!(
            "tagged {} {}",
            String::from_utf8_lossy(t.tag.as_bytes()),
            status(t.status.kind)
        ),
        Response::Data(d) => format!("untagged {}", data_kind(d)),
    }
}

fn data_kind(d: &Data<'_>) -> String {
    let name = match d {
        Data::Status(s) => status(s.kind),
        Data::Bye(_) => "BYE",
        Data::Capability(_) => "CAPABILITY",
        Data::Flags(_) => "FLAGS",
        Data::List(_) => "LIST",
        Data::Lsub(_) => "LSUB",
        Data::Search { .. } => "SEARCH",
        Data::Sort { .. } => "SORT",
        Data::MailboxStatus { .. } => "STATUS",
        Data::Exists(n) => return format!("{n} EXISTS"),
        Data::Recent(n) => return format!("{n} RECENT"),
        Data::Expunge(n) => return format!("{n} EXPUNGE"),
        Data::Fetch { seq, atts } => return format!("{seq} FETCH ({} items)", atts.len()),
        Data::Enabled(_) => "ENABLED",
        Data::Namespace(_) => "NAMESPACE",
        Data::Id(_) => "ID",
        Data::Esearch(_) => "ESEARCH",
        Data::Vanished { .. } => "VANISHED",
        Data::Thread(_) => "THREAD",
        Data::Extension { name, .. } => {
            return format!("{} (extension)", String::from_utf8_lossy(name.as_bytes()));
        }
    };
    name.into()
}
