//! The raw exchange of one session, as recorded for reports, with secrets redacted at the
//! point of recording: a password never reaches a transcript, log or report.

use serde::Serialize;

use crate::wire::escape::escape_bytes;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent by imapgate.
    Client,
    /// Received from the server.
    Server,
}

/// One recorded chunk: a command fragment sent, or a frame received.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    pub dir: Direction,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let arrow = if self.dir == Direction::Client {
            "C:"
        } else {
            "S:"
        };
        write!(f, "{arrow} {}", escape_bytes(&self.bytes))
    }
}

impl Serialize for Entry {
    /// Bytes are stored escaped (`\r\n`, `\xNN`), so any byte sequence survives JSON.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Entry", 2)?;
        st.serialize_field("dir", &self.dir)?;
        st.serialize_field("bytes", &escape_bytes(&self.bytes))?;
        st.end()
    }
}

/// What redacted bytes are replaced by.
pub const REDACTED: &[u8] = b"<redacted>";

/// A session's transcript. Secrets registered with [`Transcript::add_secret`] are replaced in
/// everything recorded afterwards, in both directions (servers echo arguments in errors).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Transcript {
    entries: Vec<Entry>,
    #[serde(skip)]
    secrets: Vec<Vec<u8>>,
}

impl Transcript {
    /// Register a secret. Secrets shorter than 3 bytes would redact ordinary protocol text
    /// (e.g. a password "OK"); they are redacted only where they are a whole token.
    pub fn add_secret(&mut self, secret: &[u8]) {
        if !secret.is_empty() && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_vec());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub fn record(&mut self, dir: Direction, bytes: &[u8]) {
        let bytes = self
            .secrets
            .iter()
            .fold(bytes.to_vec(), |b, s| redact(&b, s));
        self.entries.push(Entry { dir, bytes });
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// `bytes` with every occurrence of `secret` replaced by [`REDACTED`]. Short secrets only
/// where delimited by non-token bytes, so that protocol words stay readable.
pub fn redact(bytes: &[u8], secret: &[u8]) -> Vec<u8> {
    let whole_token_only = secret.len() < 3;
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for hit in memchr::memmem::find_iter(bytes, secret) {
        if hit < at {
            continue;
        }
        let end = hit + secret.len();
        let delimited = |i: Option<&u8>| i.is_none_or(|b| !b.is_ascii_alphanumeric());
        if whole_token_only
            && !(delimited(hit.checked_sub(1).and_then(|i| bytes.get(i)))
                && delimited(bytes.get(end)))
        {
            continue;
        }
        out.extend_from_slice(&bytes[at..hit]);
        out.extend_from_slice(REDACTED);
        at = end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_both_directions() {
        let mut t = Transcript::default();
        t.add_secret(b"hunter2");
        t.record(Direction::Client, b"A1 LOGIN alice hunter2\r\n");
        t.record(Direction::Server, b"A1 BAD near hunter2\r\n");
        let json = serde_json::to_string(&t).unwrap();
        assert!(!json.contains("hunter2"), "{json}");
        assert_eq!(t.entries()[0].bytes, b"A1 LOGIN alice <redacted>\r\n");
    }

    #[test]
    fn short_secrets_only_as_whole_tokens() {
        assert_eq!(
            redact(b"A1 OK LOGIN ok\r\n", b"ok"),
            b"A1 OK LOGIN <redacted>\r\n"
        );
        assert_eq!(redact(b"tokens", b"ok"), b"tokens");
    }

    #[test]
    fn binary_bytes_survive_json() {
        let mut t = Transcript::default();
        t.record(Direction::Server, b"* OK \x00\xff\r\n");
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains(r"\\x00\\xff\\r\\n"), "{json}");
    }
}
