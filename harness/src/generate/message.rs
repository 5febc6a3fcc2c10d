//! Attributable messages (imaptest's own_msgs idea): every APPENDed message carries a unique
//! `Message-ID` and a marker header naming the run, the session and the message number, so
//! every observation of it traces back to the APPEND that created it.
//!
//! Subjects and Date headers are chosen so SORT and THREAD (RFC 5256) have something to
//! decide: a session's messages share a few topics behind the `Re:`, `Fwd:`, `[blob]` and
//! `(fwd)` decorations the base subject drops (§2.1), so ORDEREDSUBJECT builds threads of
//! several messages; the sent dates are a handful of instants, some written in two zones,
//! so DATE has ties and zone arithmetic to get right. Some messages answer an earlier one of
//! the same session (In-Reply-To and References naming it, the parent's topic kept), so
//! THREAD=REFERENCES builds reply trees.

use super::pick::Pick;
use crate::wire::command::LiteralData;

/// Words for subjects and bodies. None contains a likely password ("pass", "secret"): the
/// recorder redacts secrets wherever they occur, and a redacted literal would change size.
const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
];

/// Subject topics: few, so a session's messages share base subjects.
const TOPICS: &[&str] = &["alpha", "bravo", "charlie", "delta", "echo"];

/// What RFC 5256 §2.1 takes off the front of a subject (the empty leader most often).
const LEADERS: &[&str] = &[
    "",
    "",
    "",
    "Re: ",
    "RE: ",
    "Fwd: ",
    "re:",
    "[list] Re: ",
    "Re: Fw: ",
    "[x]",
];

/// What §2.1 takes off the end.
const TRAILERS: &[&str] = &["", "", "", " (fwd)", " (FWD)"];

/// Sent dates: the second is the first instant written in another zone, so DATE ties
/// across zones; the fourth is on the previous day locally but later in UTC than the third.
const DATES: &[&str] = &[
    "Mon, 6 Jan 2025 10:00:00 +0000",
    "Mon, 6 Jan 2025 12:00:00 +0200",
    "Mon, 6 Jan 2025 09:59:59 +0000",
    "Sun, 5 Jan 2025 23:30:00 -1100",
    "Tue, 7 Jan 2025 01:00:00 +0100",
    "6 Jan 2025 08:00 GMT",
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

/// A message the session wrote: a later one may answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Written {
    number: u32,
    topic: &'static str,
}

/// The session's last few messages, which its next ones may answer.
#[derive(Debug, Default)]
pub struct Correspondence {
    recent: std::collections::VecDeque<Written>,
}

impl Correspondence {
    /// How many messages back a reply may reach.
    const KEPT: usize = 8;

    fn wrote(&mut self, written: Written) {
        if self.recent.len() == Self::KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(written);
    }
}

/// The header name carrying the marker.
pub const MARKER_HEADER: &str = "X-Imapgate-Marker";

/// A message for `origin`: plain text, or (one time in five) multipart, so BODYSTRUCTURE and
/// part fetches see both shapes; one time in three a reply to one of `earlier`.
pub fn message(
    origin: Origin<'_>,
    earlier: &mut Correspondence,
    pick: &mut Pick,
) -> Option<LiteralData> {
    let marker = origin.marker();
    let parent = match pick.chance(33) {
        true => pick.one_of(earlier.recent.make_contiguous()).copied(),
        false => None,
    };
    let topic = match parent {
        Some(p) => p.topic,
        None => pick.one_of(TOPICS).copied().unwrap_or(TOPICS[0]),
    };
    earlier.wrote(Written {
        number: origin.number,
        topic,
    });
    let mut text = format!(
        "Message-ID: {}\r\n{MARKER_HEADER}: {marker}\r\nFrom: imapgate session {s} <s{s}@imapgate.invalid>\r\n\
         To: imapgate <to@imapgate.invalid>\r\nSubject: {subject}\r\nDate: {date}\r\n",
        origin.message_id(),
        s = origin.session,
        subject = subject(origin, topic, pick),
        date = pick.one_of(DATES).copied().unwrap_or(DATES[0]),
    );
    if let Some(p) = parent {
        // References names the parent alone, so the ENVELOPE's In-Reply-To tells the model
        // everything THREAD=REFERENCES links this message by.
        let id = Origin {
            number: p.number,
            ..origin
        }
        .message_id();
        text.push_str(&format!("In-Reply-To: {id}\r\nReferences: {id}\r\n"));
    }
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

/// `[leader]ig-<run>-s<session>-t <topic>[trailer]`: the session's marker prefix keeps
/// `SEARCH SUBJECT` of a session's own messages working.
fn subject(origin: Origin<'_>, topic: &str, pick: &mut Pick) -> String {
    let one = |list: &[&'static str], pick: &mut Pick| pick.one_of(list).copied().unwrap_or("");
    let leader = one(LEADERS, pick);
    let trailer = one(TRAILERS, pick);
    format!(
        "{leader}ig-{}-s{}-t {topic}{trailer}",
        origin.run_id, origin.session
    )
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
            let m = message(origin, &mut Correspondence::default(), &mut pick).unwrap();
            let text = String::from_utf8(m.as_bytes().to_vec()).unwrap();
            assert!(text.starts_with("Message-ID: <ig.r1.s3.m9@imapgate.invalid>\r\n"));
            assert!(text.contains("X-Imapgate-Marker: ig-r1-s3-m9\r\n"));
            assert!(text.ends_with("\r\n"));
        }
    }

    #[test]
    fn a_sessions_subjects_share_a_few_base_subjects_and_every_date_is_judgeable() {
        use crate::model::sort_keys::{base_subject, parse_date};
        let origin = |number| Origin {
            run_id: "r1",
            session: 3,
            number,
        };
        let mut pick = Pick::new(7, 3);
        let mut earlier = Correspondence::default();
        let mut bases = std::collections::BTreeSet::new();
        let mut dates = std::collections::BTreeSet::new();
        for n in 0..300 {
            let m = message(origin(n), &mut earlier, &mut pick).unwrap();
            let text = String::from_utf8(m.as_bytes().to_vec()).unwrap();
            let header = |name: &str| {
                let found = text.lines().find_map(|l| l.strip_prefix(name));
                found.unwrap().to_owned()
            };
            let subject = header("Subject: ");
            assert!(subject.contains("ig-r1-s3-"), "{subject}");
            bases.insert(base_subject(&subject));
            dates.insert(parse_date(header("Date: ").as_bytes()).unwrap());
        }
        let topics = TOPICS.iter().map(|t| format!("ig-r1-s3-t {t}"));
        assert_eq!(bases, topics.collect());
        // Two of the six dates are one instant.
        assert_eq!(dates.len(), DATES.len() - 1);
    }

    #[test]
    fn replies_answer_a_recent_message_of_the_session_on_its_topic() {
        use crate::model::sort_keys::base_subject;
        let origin = |number| Origin {
            run_id: "r1",
            session: 3,
            number,
        };
        let mut pick = Pick::new(11, 3);
        let mut earlier = Correspondence::default();
        let mut topics = Vec::new();
        let mut replies = 0;
        for n in 0..300 {
            let m = message(origin(n), &mut earlier, &mut pick).unwrap();
            let text = String::from_utf8(m.as_bytes().to_vec()).unwrap();
            let header = |name: &str| text.lines().find_map(|l| l.strip_prefix(name));
            topics.push(base_subject(header("Subject: ").unwrap()));
            let Some(parent) = header("In-Reply-To: ") else {
                assert!(header("References: ").is_none());
                continue;
            };
            replies += 1;
            assert_eq!(header("References: "), Some(parent));
            let number = parent
                .strip_prefix("<ig.r1.s3.m")
                .and_then(|p| p.strip_suffix("@imapgate.invalid>"))
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap();
            assert!(number < n && n - number <= 8, "{n} answers {number}");
            assert_eq!(topics[number as usize], topics[n as usize]);
        }
        assert!((60..140).contains(&replies), "{replies} replies");
    }
}
