//! Wire bytes as the history keeps them. Hostile commands can be a megabyte of one repeated
//! word (`SEARCH ALL ALL …`); stored verbatim, a few hundred of them spend the whole recording
//! budget in a minute. So a long payload that is mostly one short unit repeated is kept as
//! head + unit × times + tail: exact, and a few dozen bytes in memory and in `events.jsonl`.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::escape::{escape_bytes, unescape_bytes};

/// Payloads shorter than this are always stored as they are.
const COMPACT_FROM: usize = 16 * 1024;
/// The longest repeated unit looked for (`ALL `, `{1}\r\nx `, `(`…).
const MAX_UNIT: usize = 16;

/// Bytes as they crossed the wire (secrets already redacted by the recorder).
#[derive(Clone, Default)]
pub struct WireBytes(Repr);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum Repr {
    Plain(#[serde(with = "escaped")] Vec<u8>),
    Repeated {
        #[serde(with = "escaped")]
        head: Vec<u8>,
        #[serde(with = "escaped")]
        unit: Vec<u8>,
        times: usize,
        #[serde(with = "escaped")]
        tail: Vec<u8>,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Plain(Vec::new())
    }
}

impl WireBytes {
    /// The bytes, compacted when long and mostly one repeated unit.
    pub fn new(bytes: Vec<u8>) -> Self {
        if bytes.len() < COMPACT_FROM {
            return WireBytes(Repr::Plain(bytes));
        }
        match longest_repetition(&bytes) {
            Some((start, unit, times)) if unit * times >= bytes.len() / 2 => {
                let end = start + unit * times;
                WireBytes(Repr::Repeated {
                    head: bytes[..start].to_vec(),
                    unit: bytes[start..start + unit].to_vec(),
                    times,
                    tail: bytes[end..].to_vec(),
                })
            }
            _ => WireBytes(Repr::Plain(bytes)),
        }
    }

    /// The bytes, whole (a copy only for a compacted payload).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match &self.0 {
            Repr::Plain(b) => Cow::Borrowed(b),
            Repr::Repeated {
                head,
                unit,
                times,
                tail,
            } => {
                let mut all = Vec::with_capacity(head.len() + unit.len() * times + tail.len());
                all.extend_from_slice(head);
                for _ in 0..*times {
                    all.extend_from_slice(unit);
                }
                all.extend_from_slice(tail);
                Cow::Owned(all)
            }
        }
    }

    /// The bytes, owned.
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            Repr::Plain(b) => b,
            repeated => WireBytes(repeated).bytes().into_owned(),
        }
    }

    /// The length on the wire.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Plain(b) => b.len(),
            Repr::Repeated {
                head,
                unit,
                times,
                tail,
            } => head.len() + unit.len() * times + tail.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the bytes cost in memory.
    pub fn stored_len(&self) -> usize {
        match &self.0 {
            Repr::Plain(b) => b.len(),
            Repr::Repeated {
                head, unit, tail, ..
            } => head.len() + unit.len() + tail.len(),
        }
    }
}

/// The longest stretch `(start, unit length, times)` that repeats one unit of at most
/// [`MAX_UNIT`] bytes. One linear pass per unit length.
fn longest_repetition(b: &[u8]) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for unit in 1..=MAX_UNIT.min(b.len() / 2) {
        let mut run = 0usize;
        for k in 0..b.len() - unit {
            run = if b[k] == b[k + unit] { run + 1 } else { 0 };
            // b[k + 1 - run ..= k + unit] has period `unit`.
            let times = (run + unit) / unit;
            if times >= 2 && best.is_none_or(|(_, u, t)| times * unit > u * t) {
                best = Some((k + 1 - run, unit, times));
            }
        }
    }
    best
}

impl From<Vec<u8>> for WireBytes {
    fn from(b: Vec<u8>) -> Self {
        WireBytes::new(b)
    }
}

impl From<&[u8]> for WireBytes {
    fn from(b: &[u8]) -> Self {
        WireBytes::new(b.to_vec())
    }
}

impl PartialEq for WireBytes {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for WireBytes {}

impl Hash for WireBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes().hash(state);
    }
}

impl fmt::Debug for WireBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_bytes(&self.bytes()))
    }
}

impl Serialize for WireBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for WireBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Repr::deserialize(d).map(WireBytes)
    }
}

/// Serde for bytes as an escaped string (`\r\n`, `\xNN`): NULs and 8-bit data survive and
/// stay readable.
mod escaped {
    use super::{Deserialize, Deserializer, Serializer, escape_bytes, unescape_bytes};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&escape_bytes(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        unescape_bytes(&text).ok_or_else(|| serde::de::Error::custom("badly escaped wire bytes"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_long_repeated_word_is_compacted_exactly() {
        let mut line = b"A12 SEARCH ".to_vec();
        line.extend(b"ALL ".repeat(262_144));
        line.extend(b"UID 1\r\n");
        let w = WireBytes::new(line.clone());
        assert!(w.stored_len() < 64, "{}", w.stored_len());
        assert_eq!(w.len(), line.len());
        assert_eq!(*w.bytes(), line[..]);
        let json = serde_json::to_string(&w).unwrap();
        assert!(json.len() < 200, "{json}");
        let back: WireBytes = serde_json::from_str(&json).unwrap();
        assert_eq!(*back.bytes(), line[..]);
    }

    #[test]
    fn short_and_irregular_payloads_stay_plain() {
        let short = WireBytes::new(b"x".repeat(100));
        let json = serde_json::to_string(&short).unwrap();
        assert!(
            json.starts_with('"') && json.contains(&"x".repeat(100)),
            "{json}"
        );
        let noise: Vec<u8> = (0..40_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let w = WireBytes::new(noise.clone());
        assert_eq!(w.stored_len(), noise.len());
        assert_eq!(*w.bytes(), noise[..]);
    }

    #[test]
    fn equality_is_by_content() {
        let a = WireBytes::new(b"(".repeat(20_000));
        assert_eq!(a, WireBytes::new(b"(".repeat(20_000)));
        assert_ne!(a, WireBytes::new(b"(".repeat(20_001)));
        assert_eq!(a.into_vec(), b"(".repeat(20_000));
    }
}
