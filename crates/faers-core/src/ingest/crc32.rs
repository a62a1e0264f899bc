//! The CRC-32 a zip declares for each member, computed as the member is inflated.
//!
//! Natively zlib-rs computes it with carry-less multiplication (~14 GB/s). WebAssembly has
//! no such instruction, and zlib-rs's table-driven fallback reads one table entry per byte:
//! ~2.4 GB/s in V8, 6% of a quarter's read. There the CRC is computed by [`Folded`] instead,
//! which needs no table for all but the last 24 KB of a member (~9 GB/s with SIMD128).
//!
//! # Why folding works
//!
//! Stripped of its initial and final inversions, a CRC is the remainder of the message,
//! read as a polynomial over GF(2), modulo the CRC polynomial P. Adding any multiple of P to
//! the message leaves the remainder as it was. The multiple used here,
//!
//! Q = x^(64·3006) + x^(64·2866) + x^(64·2215) + 1,
//!
//! has four terms, each a whole number of 64-bit words apart (found by a birthday search over
//! x^(64k) mod P; this is the smallest such multiple of four terms). Adding Q, shifted to line
//! up with one word of the message, clears that word and XORs it into the words 140, 791 and
//! 3006 places later. Doing so for every word that has 3006 words after it leaves the message
//! zero but for its last 3006 words, and leading zeros do not change a CRC whose register
//! starts at zero. Those last words are then checked the usual way. (Sam Russell's "Chorba"
//! CRC, arXiv:2412.16398, rests on the same idea.)
//!
//! A zip CRC's register starts at all ones, not zero; XOR-ing those ones into the message's
//! first 32 bits is the same thing.

/// Words between a word and the last word it is folded into: the degree of Q in words.
const SPAN: usize = 3006;
/// Where a word's other two copies go, counted from the word itself.
const NEAR: usize = SPAN - 2866;
const FAR: usize = SPAN - 2215;

/// A running CRC-32, fed a member's bytes as they are inflated.
pub(crate) enum Crc32 {
    /// zlib-rs's (carry-less multiplication where the CPU has it).
    Zlib(u32),
    /// [`Folded`], for WebAssembly.
    Folded(Folded),
}

impl Crc32 {
    /// A CRC of no bytes yet, computed the fastest way for this target.
    pub(crate) fn new() -> Crc32 {
        if cfg!(target_arch = "wasm32") {
            Crc32::Folded(Folded::new())
        } else {
            Crc32::Zlib(0)
        }
    }

    /// Adds `bytes`, which follow those added before.
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Crc32::Zlib(crc) => *crc = zlib_rs::crc32::crc32(*crc, bytes),
            Crc32::Folded(folded) => folded.update(bytes),
        }
    }

    /// The CRC-32 of every byte added.
    pub(crate) fn value(&self) -> u32 {
        match self {
            Crc32::Zlib(crc) => *crc,
            Crc32::Folded(folded) => folded.value(),
        }
    }
}

/// The CRC-32 by folding (see the module documentation): the last [`SPAN`] words in a ring,
/// each older word folded forward as a new one arrives.
pub(crate) struct Folded {
    ring: Box<[u64; SPAN]>,
    /// Whole words added so far.
    words: u64,
    /// The ring slot of the next word (and of the oldest word kept, once the ring is full).
    at: usize,
    /// Bytes after the last whole word.
    partial: [u8; 8],
    partial_len: usize,
}

impl Folded {
    pub(crate) fn new() -> Folded {
        Folded {
            ring: Box::new([0; SPAN]),
            words: 0,
            at: 0,
            partial: [0; 8],
            partial_len: 0,
        }
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        if self.partial_len > 0 {
            let take = (8 - self.partial_len).min(bytes.len());
            self.partial[self.partial_len..self.partial_len + take].copy_from_slice(&bytes[..take]);
            self.partial_len += take;
            bytes = &bytes[take..];
            if self.partial_len < 8 {
                return;
            }
            self.partial_len = 0;
            let word = self.partial;
            self.words_in(&word);
        }
        let (whole, rest) = bytes.split_at(bytes.len() & !7);
        self.words_in(whole);
        self.partial[..rest.len()].copy_from_slice(rest);
        self.partial_len = rest.len();
    }

    /// Adds whole little-endian words (`bytes.len()` is a multiple of 8).
    fn words_in(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let count = bytes.len() / 8;
            if self.words < SPAN as u64 {
                // Filling the ring: nothing to fold yet.
                let n = (SPAN - self.at).min(count);
                for (slot, word) in self.ring[self.at..self.at + n]
                    .iter_mut()
                    .zip(bytes.chunks_exact(8))
                {
                    *slot = u64::from_le_bytes(word.try_into().expect("8 bytes"));
                }
                if self.words == 0 {
                    self.ring[0] ^= 0xFFFF_FFFF;
                }
                self.words += n as u64;
                self.at = wrap(self.at + n);
                bytes = &bytes[8 * n..];
                continue;
            }
            // The oldest word (slot `at`) folds into the new one (same slot) and into the
            // words NEAR and FAR after it; a run ends where any of the three slots wraps.
            let at = self.at;
            let near = wrap(at + NEAR);
            let far = wrap(at + FAR);
            let run = (SPAN - at).min(SPAN - near).min(SPAN - far).min(count);
            let (now, later) = bytes.split_at(8 * run);
            fold(&mut self.ring, at, near, far, now);
            self.words += run as u64;
            self.at = wrap(at + run);
            bytes = later;
        }
    }

    pub(crate) fn value(&self) -> u32 {
        if self.words == 0 {
            return zlib_rs::crc32::crc32(0, &self.partial[..self.partial_len]);
        }
        let kept = (self.words as usize).min(SPAN);
        let oldest = if kept == SPAN { self.at } else { 0 };
        let mut rest = Vec::with_capacity(8 * kept + self.partial_len);
        for i in 0..kept {
            rest.extend_from_slice(&self.ring[wrap(oldest + i)].to_le_bytes());
        }
        rest.extend_from_slice(&self.partial[..self.partial_len]);
        // The initial ones are in the first word already: start the register at zero
        // (zlib's `crc32` inverts the value it is given).
        zlib_rs::crc32::crc32(0xFFFF_FFFF, &rest)
    }
}

fn wrap(slot: usize) -> usize {
    if slot >= SPAN {
        slot - SPAN
    } else {
        slot
    }
}

/// Folds the words in slots `at..at + n` forward, taking in the `n` words of `bytes`; no
/// range wraps.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn fold(ring: &mut [u64; SPAN], at: usize, near: usize, far: usize, bytes: &[u8]) {
    let n = bytes.len() / 8;
    assert!(at.max(near).max(far) + n <= SPAN);
    for (t, word) in bytes.chunks_exact(8).enumerate() {
        let oldest = ring[at + t];
        ring[at + t] = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ oldest;
        ring[near + t] ^= oldest;
        ring[far + t] ^= oldest;
    }
}

/// As above, two words at a time (NEAR ≥ 2, so neither word of a pair feeds the other).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn fold(ring: &mut [u64; SPAN], at: usize, near: usize, far: usize, bytes: &[u8]) {
    use std::arch::wasm32::{v128, v128_load, v128_store, v128_xor};
    const _: () = assert!(NEAR >= 2 && FAR >= 2);
    let n = bytes.len() / 8;
    assert!(at.max(near).max(far) + n <= SPAN);
    let ring = ring.as_mut_ptr();
    let input = bytes.as_ptr();
    let mut t = 0;
    // SAFETY: every slot touched is below `max(at, near, far) + n <= SPAN`, checked above,
    // and every input byte below `8 * n`; wasm loads and stores need no alignment.
    unsafe {
        while t + 2 <= n {
            let oldest = v128_load(ring.add(at + t).cast::<v128>());
            let new = v128_load(input.add(8 * t).cast::<v128>());
            v128_store(ring.add(at + t).cast::<v128>(), v128_xor(new, oldest));
            for slot in [ring.add(near + t), ring.add(far + t)] {
                let slot = slot.cast::<v128>();
                v128_store(slot, v128_xor(v128_load(slot), oldest));
            }
            t += 2;
        }
        if t < n {
            let oldest = *ring.add(at + t);
            let new = u64::from_le_bytes(bytes[8 * t..8 * t + 8].try_into().expect("8 bytes"));
            *ring.add(at + t) = new ^ oldest;
            *ring.add(near + t) ^= oldest;
            *ring.add(far + t) ^= oldest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(bytes: &[u8], pieces: &[usize]) -> u32 {
        let mut crc = Folded::new();
        let mut rest = bytes;
        for &p in pieces.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (now, later) = rest.split_at(p.clamp(1, rest.len()));
            crc.update(now);
            rest = later;
        }
        crc.value()
    }

    fn noise(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn q_is_a_multiple_of_the_polynomial() {
        // A message that is Q itself (ones at its first word's first bit and at the same
        // bit 140, 791 and 3006 words later), with the register starting at zero, has the
        // remainder zero.
        let mut q = vec![0u8; 8 * (SPAN + 1)];
        for word in [0, NEAR, FAR, SPAN] {
            q[8 * word] = 1;
        }
        assert_eq!(zlib_rs::crc32::crc32(0xFFFF_FFFF, &q), 0xFFFF_FFFF);
    }

    #[test]
    fn folded_equals_zlib_at_every_boundary() {
        let bytes = noise(8 * (2 * SPAN + 300), 7);
        for len in [
            0,
            1,
            3,
            4,
            7,
            8,
            9,
            16,
            8 * NEAR + 5,
            8 * SPAN - 1,
            8 * SPAN,
            8 * SPAN + 1,
            8 * SPAN + 8,
            8 * (SPAN + FAR) + 3,
            8 * 2 * SPAN,
            bytes.len(),
        ] {
            let b = &bytes[..len];
            let expected = zlib_rs::crc32::crc32(0, b);
            for pieces in [&[1][..], &[3, 5], &[8], &[64 * 1024], &[8 * SPAN + 3, 7]] {
                assert_eq!(folded(b, pieces), expected, "{len} bytes in {pieces:?}");
            }
        }
    }

    #[test]
    fn the_default_crc_equals_zlib() {
        let bytes = noise(100_000, 3);
        let mut crc = Crc32::new();
        crc.update(&bytes[..33_333]);
        crc.update(&bytes[33_333..]);
        assert_eq!(crc.value(), zlib_rs::crc32::crc32(0, &bytes));
    }

    proptest! {
        #[test]
        fn folded_equals_zlib(
            bytes in proptest::collection::vec(any::<u8>(), 0..60_000),
            pieces in proptest::collection::vec(1usize..20_000, 1..6),
        ) {
            prop_assert_eq!(folded(&bytes, &pieces), zlib_rs::crc32::crc32(0, &bytes));
        }
    }
}
