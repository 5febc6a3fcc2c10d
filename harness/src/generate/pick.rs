//! Seeded choices. One proptest `TestRunner` per session, seeded from the run seed and the
//! session id, so the same seed replays the same steps whatever the scheduling. Cheap choices
//! use the runner's RNG directly; rich values are sampled from the wire layer's strategies.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand_core::Rng;

#[derive(Debug)]
pub struct Pick {
    runner: TestRunner,
}

impl Pick {
    /// A generator for `session` of a run seeded with `seed`.
    pub fn new(seed: u64, session: u32) -> Pick {
        let mut bytes = [0u8; 32];
        let mut state = seed ^ (u64::from(session) << 32 | u64::from(session));
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Pick {
            runner: TestRunner::new_with_rng(Config::default(), rng),
        }
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for test traffic, no division.
        ((u64::from(self.runner.rng().next_u32()) * u64::from(n)) >> 32) as u32
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }

    pub fn one_of<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let n = u32::try_from(items.len()).unwrap_or(u32::MAX);
        items.get(self.below(n) as usize)
    }

    /// An index into `weights`, chosen in proportion to them.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        0
    }

    /// One value of `strategy` (its first draw: no shrinking here). `None` when the strategy
    /// rejected too many candidates.
    pub fn sample<S: Strategy>(&mut self, strategy: &S) -> Option<S::Value> {
        strategy
            .new_tree(&mut self.runner)
            .ok()
            .map(|tree| tree.current())
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): spreads a seed over the ChaCha key.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_choices_other_session_other_choices() {
        let draw = |seed, session| {
            let mut p = Pick::new(seed, session);
            (0..32).map(|_| p.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, 1), draw(7, 1));
        assert_ne!(draw(7, 1), draw(7, 2));
        assert_ne!(draw(7, 1), draw(8, 1));
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut p = Pick::new(1, 0);
        assert!((0..200).all(|_| p.weighted(&[0, 5, 0]) == 1));
    }
}
