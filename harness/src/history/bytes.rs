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
    /// The bytes, compacted when long and at least a third one repeated unit.
    pub fn new(bytes: Vec<u8>) -> Self {
        if bytes.len() < COMPACT_FROM {
            return WireBytes(Repr::Plain(bytes));
        }
        match longest_repetition(&bytes) {
            Some((start, unit, times)) if unit * times * 3 >= bytes.len() => {
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
                let body = unit.len() * times;
                let mut all = Vec::with_capacity(head.len() + body + tail.len());
                all.extend_from_slice(head);
                if body > 0 {
                    all.extend_from_slice(unit);
                }
                // Doubling: a megabyte of `ALL ` in twenty copies, not 262,144.
                while all.len() - head.len() < body {
                    let have = all.len() - head.len();
                    let more = have.min(body - have);
                    all.extend_from_within(head.len()..head.len() + more);
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
/// [`MAX_UNIT`] bytes, looked for around a quarter, the half and three quarters of `b`: a
/// unit is found on a 4 KiB probe there, then the stretch is grown both ways. Linear and
/// cheap: a megabyte line costs a few passes, not one per unit length.
fn longest_repetition(b: &[u8]) -> Option<(usize, usize, usize)> {
    [b.len() / 4, b.len() / 2, b.len() * 3 / 4]
        .into_iter()
        .filter_map(|at| repetition_at(b, at))
        .max_by_key(|&(_, unit, times)| unit * times)
}

fn repetition_at(b: &[u8], at: usize) -> Option<(usize, usize, usize)> {
    const PROBE: usize = 4096;
    let probe = &b[at..(at + PROBE).min(b.len())];
    // `x[..n - p] == x[p..]` says x has period p; slice equality is one memcmp.
    let unit = (1..=MAX_UNIT)
        .filter(|&p| probe.len() >= 2 * p)
        .find(|&p| probe[..probe.len() - p] == probe[p..])?;
    let hi = at + unit + periodic_run(&b[at..], unit);
    let lo = at - periodic_run_back(&b[..at + unit], unit);
    let times = (hi - lo) / unit;
    (times >= 2).then_some((lo, unit, times))
}

/// How many bytes after the first `unit` of `b` continue its period, compared a block at a
/// time (a megabyte costs a few hundred memcmps, not a million byte comparisons).
fn periodic_run(b: &[u8], unit: usize) -> usize {
    const BLOCK: usize = 4096;
    let mut hi = unit;
    while hi < b.len() {
        let n = BLOCK.min(b.len() - hi);
        if b[hi..hi + n] == b[hi - unit..hi - unit + n] {
            hi += n;
            continue;
        }
        let same = (hi..hi + n).take_while(|&k| b[k] == b[k - unit]).count();
        return hi + same - unit;
    }
    hi - unit
}

/// How many bytes before the last `unit` of `b` continue its period.
fn periodic_run_back(b: &[u8], unit: usize) -> usize {
    const BLOCK: usize = 4096;
    let end = b.len() - unit;
    let mut lo = end;
    while lo > 0 {
        let n = BLOCK.min(lo);
        if b[lo - n..lo] == b[lo - n + unit..lo + unit] {
            lo -= n;
            continue;
        }
        let same = (0..n)
            .take_while(|&j| b[lo - 1 - j] == b[lo - 1 - j + unit])
            .count();
        return end - lo + same;
    }
    end
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
    fn a_deep_nesting_keeps_one_half_compact_and_every_byte() {
        let mut line = b"A1 SEARCH ".to_vec();
        line.extend(b"(".repeat(20_000));
        line.extend(b"ALL");
        line.extend(b")".repeat(20_000));
        line.extend(b"\r\n");
        let w = WireBytes::new(line.clone());
        assert!(w.stored_len() < line.len() / 2 + 100, "{}", w.stored_len());
        assert_eq!(*w.bytes(), line[..]);
    }

    #[test]
    fn equality_is_by_content() {
        let a = WireBytes::new(b"(".repeat(20_000));
        assert_eq!(a, WireBytes::new(b"(".repeat(20_000)));
        assert_ne!(a, WireBytes::new(b"(".repeat(20_001)));
        assert_eq!(a.into_vec(), b"(".repeat(20_000));
    }

    /// The stretch the block-wise growth finds is the one a byte-by-byte walk finds, on
    /// stretches that end inside a block, on a block edge and at either end of the payload.
    #[test]
    fn block_growth_agrees_with_the_byte_walk() {
        fn naive(b: &[u8], at: usize, unit: usize) -> (usize, usize) {
            let mut lo = at;
            while lo > 0 && b[lo - 1] == b[lo - 1 + unit] {
                lo -= 1;
            }
            let mut hi = at + unit;
            while hi < b.len() && b[hi] == b[hi - unit] {
                hi += 1;
            }
            (lo, hi)
        }
        for (head, reps, tail) in [(7, 5000, 3), (0, 4096, 0), (4095, 1024, 4097), (1, 3, 1)] {
            for unit in [b"ALL ".as_slice(), b"(", b"{1}\r\nx "] {
                let mut b = vec![b'#'; head];
                b.extend(unit.repeat(reps));
                b.extend(vec![b'%'; tail]);
                let at = head + unit.len();
                let hi = at + unit.len() + periodic_run(&b[at..], unit.len());
                let lo = at - periodic_run_back(&b[..at + unit.len()], unit.len());
                assert_eq!((lo, hi), naive(&b, at, unit.len()), "{head} {reps} {tail}");
            }
        }
    }
}
