//! The encoder: a [`Command`] becomes fragments a session driver can send while honouring
//! synchronising literals (RFC 3501 §7.5: send the line ending in `{n}`, wait for `+`, then
//! the data) or, when the server allows it, non-synchronising `{n+}` literals (RFC 7888).

mod body;
mod extension;
mod items;
mod writer;

use super::ast::Command;
use super::auth::{AuthenticateData, IdleDone};
use writer::Writer;

/// What the server advertised that changes how literals may be sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncodeOptions {
    /// `LITERAL+`: every literal may be non-synchronising.
    pub literal_plus: bool,
    /// `LITERAL-`: literals of at most [`LITERAL_MINUS_MAX`] octets may be non-synchronising.
    pub literal_minus: bool,
}

/// The largest non-synchronising literal LITERAL- allows (RFC 7888 §4).
pub const LITERAL_MINUS_MAX: usize = 4096;

/// One piece of an encoded command, in sending order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Bytes sent as they are. A line followed by a literal ends in `{n}` CRLF (or `{n+}`
    /// CRLF); the last line of a command ends in CRLF.
    Line(Vec<u8>),
    /// The octets of a literal. With `sync`, the driver must wait for the server's `+`
    /// continuation before sending them; without, it sends them straight away.
    Literal { data: Vec<u8>, sync: bool },
}

/// An encoded command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub fragments: Vec<Fragment>,
}

impl Encoded {
    /// Every byte in sending order, for transcripts and tests.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for fragment in &self.fragments {
            match fragment {
                Fragment::Line(bytes) | Fragment::Literal { data: bytes, .. } => {
                    out.extend_from_slice(bytes);
                }
            }
        }
        out
    }

    /// The bytes grouped into rounds: the first round is sent at once, each later one only
    /// after a `+` continuation request. Non-synchronising literals never start a round.
    pub fn rounds(&self) -> Vec<Vec<u8>> {
        let mut rounds = vec![Vec::new()];
        for fragment in &self.fragments {
            let (bytes, waits) = match fragment {
                Fragment::Line(bytes) => (bytes, false),
                Fragment::Literal { data, sync } => (data, *sync),
            };
            if waits {
                rounds.push(Vec::new());
            }
            if let Some(round) = rounds.last_mut() {
                round.extend_from_slice(bytes);
            }
        }
        rounds
    }

    /// How many `+` continuations the server must send before the command is complete.
    pub fn sync_literals(&self) -> usize {
        self.fragments
            .iter()
            .filter(|f| matches!(f, Fragment::Literal { sync: true, .. }))
            .count()
    }
}

impl Command {
    pub fn encode(&self, options: &EncodeOptions) -> Encoded {
        let mut writer = Writer::new(*options);
        writer.raw(self.tag.as_str().as_bytes());
        writer.sp();
        body::command_body(&mut writer, &self.body);
        writer.finish()
    }
}

impl AuthenticateData {
    /// One client line answering an AUTHENTICATE continuation.
    pub fn encode(&self) -> Vec<u8> {
        let mut line = match self {
            Self::Data(base64) => base64.as_str().as_bytes().to_vec(),
            Self::Cancel => b"*".to_vec(),
        };
        line.extend_from_slice(b"\r\n");
        line
    }
}

impl IdleDone {
    pub fn encode(&self) -> Vec<u8> {
        b"DONE\r\n".to_vec()
    }
}
