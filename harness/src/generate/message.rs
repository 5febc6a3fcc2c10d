//! Attributable messages (imaptest's own_msgs idea): every APPENDed message carries a unique
//! `Message-ID` and a marker header naming the run, the session and the message number, so
//! every observation of it traces back to the APPEND that created it.

use super::pick::Pick;
use crate::wire::command::LiteralData;

/// Words for subjects and bodies. None contains a likely password ("pass", "secret"): the
/// recorder redacts secrets wherever they occur, and a redacted literal would change size.
const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
];

/// Who created a message: enough to find it in any response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin<'a> {
    pub run_id: &'a str,
    pub session: u32,
    pub number: u32,
}

impl Origin<'_> {
    /// `ig-<run>-s<session>-m<n>`: in the marker header and the subject.
    pub fn marker(&self) -> String {
        format!("ig-{}-s{}-m{}", self.run_id, self.session, self.number)
    }

    /// `<ig.<run>.s<session>.m<n>@imapgate.invalid>`
    pub fn message_id(&self) -> String {
        format!(
            "<ig.{}.s{}.m{}@imapgate.invalid>",
            self.run_id, self.session, self.number
        )
    }
}

/// The header name carrying the marker.
pub const MARKER_HEADER: &str = "X-Imapgate-Marker";

/// A message for `origin`: plain text, or (one time in five) multipart, so BODYSTRUCTURE and
/// part fetches see both shapes.
pub fn message(origin: Origin<'_>, pick: &mut Pick) -> Option<LiteralData> {
    let marker = origin.marker();
    let mut text = format!(
        "Message-ID: {}\r\n{MARKER_HEADER}: {marker}\r\nFrom: imapgate session {s} <s{s}@imapgate.invalid>\r\n\
         To: imapgate <to@imapgate.invalid>\r\nSubject: {marker} {word}\r\nDate: Mon, 6 Jan 2025 10:00:00 +0000\r\n",
        origin.message_id(),
        s = origin.session,
        word = word(pick),
    );
    if pick.chance(20) {
        let boundary = format!("b-{marker}");
        text.push_str(&format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
        ));
        for _ in 0..2 {
            text.push_str(&format!(
                "--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{}",
                body(pick)
            ));
        }
        text.push_str(&format!("--{boundary}--\r\n"));
    } else {
        text.push_str("\r\n");
        text.push_str(&body(pick));
    }
    LiteralData::new(text.into_bytes()).ok()
}

fn word(pick: &mut Pick) -> &'static str {
    pick.one_of(WORDS).copied().unwrap_or("alpha")
}

fn body(pick: &mut Pick) -> String {
    let lines = pick.range(1, 6);
    let mut out = String::new();
    for _ in 0..lines {
        let words = pick.range(1, 10);
        let line: Vec<&str> = (0..words).map(|_| word(pick)).collect();
        out.push_str(&line.join(" "));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_their_origin() {
        let origin = Origin {
            run_id: "r1",
            session: 3,
            number: 9,
        };
        let mut pick = Pick::new(5, 3);
        for _ in 0..20 {
            let m = message(origin, &mut pick).unwrap();
            let text = String::from_utf8(m.as_bytes().to_vec()).unwrap();
            assert!(text.starts_with("Message-ID: <ig.r1.s3.m9@imapgate.invalid>\r\n"));
            assert!(text.contains("X-Imapgate-Marker: ig-r1-s3-m9\r\n"));
            assert!(text.ends_with("\r\n"));
        }
    }
}
