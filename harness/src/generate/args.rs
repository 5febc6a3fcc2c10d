//! Command arguments for the random generator: sequence sets that stay small (a FETCH never
//! asks for a whole grown mailbox), fetch and status items, search keys and flags — only what
//! the server advertised, and only strings a server must accept without a CHARSET (ASCII).

use std::num::NonZeroU32;

use super::pick::Pick;
use crate::wire::command::strategy::{fetch_att, search_key};
use crate::wire::command::*;

/// The capabilities the target advertised after login.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caps(pub Vec<String>);

impl Caps {
    pub fn has(&self, cap: &str) -> bool {
        self.0.iter().any(|c| c.eq_ignore_ascii_case(cap))
    }
}

fn seq(n: u32) -> SeqNumber {
    NonZeroU32::new(n).map_or(SeqNumber::Largest, SeqNumber::Value)
}

/// A small message-sequence set: `*`, `n`, `n:m` with m-n < 5, or two numbers. Numbers stay
/// low (shared mailboxes are kept small by deletions), so most name existing messages; the
/// others are legal to send and a server may answer BAD (RFC 3501 §9, seq-number).
pub fn small_seq_set(pick: &mut Pick) -> Option<SequenceSet> {
    let n = if pick.chance(80) {
        pick.range(1, 2)
    } else {
        pick.range(3, 8)
    };
    let items = match pick.below(4) {
        0 => vec![SeqItem::Single(SeqNumber::Largest)],
        1 => vec![SeqItem::Single(seq(n))],
        2 => vec![SeqItem::Range(seq(n), seq(n + pick.below(5)))],
        _ => vec![SeqItem::Single(seq(n)), SeqItem::Single(seq(n + 2))],
    };
    SequenceSet::new(items).ok()
}

/// A small UID set near `hint` (an estimate of the largest UID): `*`, `x:*`, or one UID.
/// UID sets naming no message are valid (RFC 3501 §6.4.8), so a wrong estimate costs nothing.
pub fn small_uid_set(pick: &mut Pick, hint: u32) -> Option<SequenceSet> {
    let hint = hint.max(1);
    let near = hint.saturating_sub(pick.below(20)).max(1);
    let items = match pick.below(3) {
        0 => vec![SeqItem::Single(SeqNumber::Largest)],
        1 => vec![SeqItem::Range(seq(near), SeqNumber::Largest)],
        _ => vec![SeqItem::Single(seq(pick.range(1, hint)))],
    };
    SequenceSet::new(items).ok()
}

fn header_fields(names: &[&str]) -> Option<FetchAtt> {
    let fields = names
        .iter()
        .map(|n| AString::new(n.as_bytes().to_vec()).ok())
        .collect::<Option<Vec<_>>>()?;
    Some(FetchAtt::BodySection {
        peek: true,
        section: Section::Msgtext(SectionMsgtext::HeaderFields {
            not: false,
            fields: NonEmpty::new(fields).ok()?,
        }),
        partial: None,
    })
}

/// FETCH items: the everyday ones, and one time in ten anything RFC 3501 defines (sections
/// and partials included, from the wire layer's strategy).
pub fn fetch_items(pick: &mut Pick, read_only: bool) -> Option<FetchItems> {
    use FetchAtt as F;
    if pick.chance(10) {
        let att = pick.sample(&fetch_att())?;
        return rfc3501_att(&att, read_only).then_some(FetchItems::Single(att));
    }
    let text = F::BodySection {
        peek: read_only || pick.chance(70),
        section: Section::Msgtext(SectionMsgtext::Text),
        partial: Some(Partial {
            offset: 0,
            length: NonZeroU32::new(32)?,
        }),
    };
    let items = match pick.below(12) {
        0 => FetchItems::Single(F::Flags),
        1 => FetchItems::List(NonEmpty::new(vec![F::Uid, F::Flags]).ok()?),
        2 => FetchItems::Fast,
        3 => FetchItems::All,
        4 => FetchItems::Full,
        5 => FetchItems::Single(F::Envelope),
        6 => FetchItems::Single(F::BodyStructure),
        7 => FetchItems::Single(header_fields(&[
            "Message-ID",
            super::message::MARKER_HEADER,
        ])?),
        8 => FetchItems::Single(text),
        9 => FetchItems::List(NonEmpty::new(vec![F::Rfc822Size, F::InternalDate]).ok()?),
        10 => FetchItems::Single(F::Rfc822Header),
        _ => FetchItems::List(NonEmpty::new(vec![F::Uid, F::Body]).ok()?),
    };
    Some(items)
}

/// Whether a sampled fetch attribute is plain RFC 3501 (extensions change the session, e.g.
/// MODSEQ enables CONDSTORE) and, in a read-only mailbox, sets no flag.
fn rfc3501_att(att: &FetchAtt, read_only: bool) -> bool {
    use FetchAtt as F;
    match att {
        F::Rfc822 | F::Rfc822Text => !read_only,
        F::BodySection { peek, .. } => *peek || !read_only,
        F::Envelope
        | F::Flags
        | F::InternalDate
        | F::Rfc822Header
        | F::Rfc822Size
        | F::Body
        | F::BodyStructure
        | F::Uid => true,
        _ => false,
    }
}

/// STATUS items of RFC 3501, plus SIZE when advertised.
pub fn status_items(pick: &mut Pick, caps: &Caps) -> Option<NonEmpty<StatusAtt>> {
    use StatusAtt as S;
    let mut all = vec![
        S::Messages,
        S::Recent,
        S::UidNext,
        S::UidValidity,
        S::Unseen,
    ];
    if caps.has("STATUS=SIZE") {
        all.push(S::Size);
    }
    let chosen: Vec<StatusAtt> = all.into_iter().filter(|_| pick.chance(50)).collect();
    if chosen.is_empty() {
        return Some(NonEmpty::one(S::Messages));
    }
    NonEmpty::new(chosen).ok()
}

/// A search key: mostly about the session's own traffic (its keywords, its markers), one
/// time in five anything ASCII the wire layer's strategy yields.
pub fn search_criteria(
    pick: &mut Pick,
    caps: &Caps,
    own: &OwnNames<'_>,
    uid_hint: u32,
) -> Option<NonEmpty<SearchKey>> {
    use SearchKey as K;
    if pick.chance(20) {
        let key = pick.sample(&search_key())?;
        return searchable(&key, caps).then(|| NonEmpty::one(key));
    }
    let keyword = || Atom::new(own.keyword(0)).ok();
    let key = match pick.below(8) {
        0 => K::All,
        1 => K::Keyword(keyword()?),
        2 => K::Header(
            AString::new(super::message::MARKER_HEADER.as_bytes().to_vec()).ok()?,
            AString::new(own.marker_prefix().into_bytes()).ok()?,
        ),
        3 => K::Subject(AString::new(own.marker_prefix().into_bytes()).ok()?),
        4 => K::Or(Box::new(K::Flagged), Box::new(K::Keyword(keyword()?))),
        5 => K::Not(Box::new(K::Seen)),
        6 => K::Since(Date::new(2020, 1, 1).ok()?),
        _ => K::Uid(small_uid_set(pick, uid_hint)?),
    };
    Some(NonEmpty::one(key))
}

/// Whether a sampled key is one every RFC 3501 server must accept as valid here: no
/// extension keys unless advertised, no message sequence numbers (they may exceed EXISTS
/// under concurrent expunges), no 8-bit strings without a CHARSET.
fn searchable(key: &SearchKey, caps: &Caps) -> bool {
    use SearchKey as K;
    let ascii = |s: &AString| s.as_bytes().is_ascii();
    match key {
        K::SequenceSet(_) => false,
        K::ModSeq(_) => caps.has("CONDSTORE"),
        K::Older(_) | K::Younger(_) => caps.has("WITHIN"),
        K::Bcc(s) | K::Body(s) | K::Cc(s) | K::From(s) | K::Subject(s) | K::Text(s) | K::To(s) => {
            ascii(s)
        }
        K::Header(n, v) => ascii(n) && ascii(v),
        K::Not(k) => searchable(k, caps),
        K::Or(a, b) => searchable(a, caps) && searchable(b, caps),
        K::And(keys) => keys.into_iter().all(|k| searchable(k, caps)),
        _ => true,
    }
}

/// The names a session owns: its keywords and its message markers.
#[derive(Clone, Copy, Debug)]
pub struct OwnNames<'a> {
    pub run_id: &'a str,
    pub session: u32,
}

/// Keywords per session (`$ig<session>k0` .. `k3`).
pub const OWN_KEYWORDS: u32 = 4;

impl OwnNames<'_> {
    pub fn keyword(&self, n: u32) -> String {
        format!("$ig{}k{n}", self.session)
    }

    /// The start of every marker of this session's messages.
    pub fn marker_prefix(&self) -> String {
        format!("ig-{}-s{}-", self.run_id, self.session)
    }

    /// One to three flags: the session's keywords, and sometimes a system flag other than
    /// \Deleted (deletion has its own step, so expunges stay deliberate).
    pub fn flags(&self, pick: &mut Pick) -> Vec<Flag> {
        let n = pick.range(1, 3);
        (0..n)
            .filter_map(|_| match pick.below(6) {
                0 => Some(Flag::Seen),
                1 => Some(Flag::Flagged),
                2 => Some(Flag::Answered),
                _ => Flag::keyword(self.keyword(pick.below(OWN_KEYWORDS))).ok(),
            })
            .collect()
    }
}

/// An INTERNALDATE for APPEND: a plausible date-time with a zone.
pub fn append_date(pick: &mut Pick) -> Option<DateTime> {
    let year = u16::try_from(pick.range(1995, 2030)).ok()?;
    let small = |pick: &mut Pick, lo, hi| u8::try_from(pick.range(lo, hi)).ok();
    let date = Date::new(year, small(pick, 1, 12)?, small(pick, 1, 28)?).ok()?;
    let hms = (
        small(pick, 0, 23)?,
        small(pick, 0, 59)?,
        small(pick, 0, 59)?,
    );
    let zone = Zone::new(pick.chance(50), small(pick, 0, 12)?, 0).ok()?;
    DateTime::new(date, hms, zone).ok()
}
