//! FDA's 64-bit ids in four bytes each.
//!
//! `primaryid` and `caseid` are numbers of up to ten digits, so they are read as `u64`; but
//! the ids of one quarter lie within a span far below 2³² (a caseid has eight digits, a
//! primaryid is a caseid followed by its version), so once a quarter is read each is kept
//! as a `u32` above the quarter's smallest. A quarter whose ids span more keeps them whole.

/// A column of 64-bit ids: whole while a quarter is read, narrowed when it is finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ids {
    /// Each id as read.
    Wide(Vec<u64>),
    /// `base + offsets[i]`.
    Narrow {
        /// The smallest id.
        base: u64,
        /// Each id less `base`.
        offsets: Vec<u32>,
    },
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Wide(Vec::new())
    }
}

impl From<Vec<u64>> for Ids {
    fn from(ids: Vec<u64>) -> Self {
        Ids::Wide(ids)
    }
}

impl Ids {
    /// Adds an id (a narrowed column is widened first: it only happens to hand-built data).
    pub fn push(&mut self, id: u64) {
        if let Ids::Narrow { .. } = self {
            *self = Ids::Wide(self.iter().collect());
        }
        if let Ids::Wide(ids) = self {
            ids.push(id);
        }
    }

    /// The id at `i`; panics past the end, as a slice does.
    #[inline]
    pub fn get(&self, i: usize) -> u64 {
        match self {
            Ids::Wide(ids) => ids[i],
            Ids::Narrow { base, offsets } => base + u64::from(offsets[i]),
        }
    }

    /// The id at `i`, `None` past the end.
    #[inline]
    pub fn try_get(&self, i: usize) -> Option<u64> {
        (i < self.len()).then(|| self.get(i))
    }

    /// Every id, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        match self {
            Ids::Wide(ids) => ids.len(),
            Ids::Narrow { offsets, .. } => offsets.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps each id in four bytes when the column's span allows, without growth slack.
    pub fn shrink_to_fit(&mut self) {
        let Ids::Wide(ids) = self else {
            return;
        };
        let (Some(&low), Some(&high)) = (ids.iter().min(), ids.iter().max()) else {
            ids.shrink_to_fit();
            return;
        };
        if high - low > u64::from(u32::MAX) {
            ids.shrink_to_fit();
            return;
        }
        let offsets = ids.iter().map(|&id| (id - low) as u32).collect();
        *self = Ids::Narrow { base: low, offsets };
    }

    /// `places` (indices into the column) in ascending order of their ids, ties by place.
    /// A narrowed column sorts one word per place, id above place, so the transient cost
    /// is eight bytes a place (sixteen during a radix sort) and the result four. Words
    /// already in order (a quarter's primaryids) are not sorted; places given in order are
    /// sorted by id with a radix sort (a quarter's caseids: the deduplication of a full
    /// quarter in WebAssembly 30.5 → 24 ms with the change to `dedup`'s merge of one order).
    pub fn order(&self, places: impl Iterator<Item = u32>) -> Vec<u32> {
        match self {
            Ids::Narrow { offsets, .. } => {
                let mut keyed: Vec<u64> = places
                    .map(|p| u64::from(offsets[p as usize]) << 32 | u64::from(p))
                    .collect();
                if keyed.is_sorted() {
                    // Primaryids: FDA lists DEMO in their order.
                } else if keyed.len() >= RADIX_FROM && keyed.is_sorted_by_key(|&k| k as u32) {
                    // Places in ascending order: a stable sort by id alone breaks ties by
                    // place too.
                    keyed = sort_by_high_half(keyed);
                } else {
                    keyed.sort_unstable();
                }
                keyed.into_iter().map(|k| k as u32).collect()
            }
            Ids::Wide(ids) => {
                let mut order: Vec<u32> = places.collect();
                order.sort_unstable_by_key(|&p| (ids[p as usize], p));
                order
            }
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Ids::Wide(ids) => ids.capacity() * 8,
            Ids::Narrow { offsets, .. } => offsets.capacity() * 4,
        }
    }
}

/// From this many places the radix sort is used: each of its passes clears and sums 8,192
/// counters, which a few thousand places do not repay (a quarter has ~450,000).
const RADIX_FROM: usize = 1 << 12;

/// `keyed` sorted stably by the upper 32 bits of each word: a least-significant-digit radix
/// sort in as few passes of at most 13 bits as the largest key needs (two for a quarter's
/// caseids, which span ~2²⁵), each pass a count and a scatter.
fn sort_by_high_half(keyed: Vec<u64>) -> Vec<u64> {
    const MOST_BITS: u32 = 13;
    let largest = keyed.iter().map(|&k| k >> 32).max().unwrap_or(0);
    let bits = u64::BITS - largest.leading_zeros();
    let passes = bits.div_ceil(MOST_BITS);
    if passes == 0 {
        return keyed;
    }
    let width = bits.div_ceil(passes);
    let mask = (1usize << width) - 1;
    let mut from = keyed;
    let mut to = vec![0u64; from.len()];
    let mut next = vec![0u32; mask + 1];
    for pass in 0..passes {
        let shift = 32 + pass * width;
        let digit = |k: u64| (k >> shift) as usize & mask;
        next.fill(0);
        for &k in &from {
            next[digit(k)] += 1;
        }
        let mut at = 0;
        for slot in &mut next {
            (*slot, at) = (at, at + *slot);
        }
        for &k in &from {
            let d = digit(k);
            to[next[d] as usize] = k;
            next[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarters_ids_take_four_bytes_unless_they_span_more() {
        // FAERS-like: primaryids of ten digits, 0 for a blank caseid among eight-digit ones.
        for ids in [
            vec![2_412_345_671, 1_000_012_342, 2_412_345_672, 3_999_999_999],
            vec![24_123_456, 0, 10_979_236],
            vec![],
        ] {
            let mut column = Ids::from(ids.clone());
            column.shrink_to_fit();
            assert!(matches!(column, Ids::Narrow { .. }) || ids.is_empty());
            assert_eq!(column.iter().collect::<Vec<_>>(), ids);
            assert_eq!(column.heap_bytes(), ids.len() * 4);
            assert_eq!(column.try_get(ids.len()), None);
            // Pushing to a narrowed column widens it again, keeping every id.
            column.push(u64::MAX);
            let mut more = ids.clone();
            more.push(u64::MAX);
            assert_eq!(column, Ids::Wide(more));
        }
        // A span of exactly 2^32 - 1 fits; one more does not.
        let mut edge = Ids::from(vec![7, 7 + u64::from(u32::MAX)]);
        edge.shrink_to_fit();
        assert_eq!(edge.get(1), 7 + u64::from(u32::MAX));
        assert!(matches!(edge, Ids::Narrow { base: 7, .. }));
        let mut wide = Ids::from(vec![7, 8 + u64::from(u32::MAX), u64::MAX]);
        wide.shrink_to_fit();
        assert_eq!(wide, Ids::Wide(vec![7, 8 + u64::from(u32::MAX), u64::MAX]));
    }

    #[test]
    fn places_are_ordered_by_id_then_place_in_either_form() {
        let ids = vec![30, 10, 20, 10, u64::from(u32::MAX), 5];
        let mut narrow = Ids::from(ids.clone());
        narrow.shrink_to_fit();
        assert!(matches!(narrow, Ids::Narrow { base: 5, .. }));
        let mut wide_ids = ids.clone();
        wide_ids.push(u64::MAX);
        let mut wide = Ids::from(wide_ids);
        wide.shrink_to_fit();
        assert!(matches!(wide, Ids::Wide(_)));
        for column in [&narrow, &wide] {
            assert_eq!(column.order(0..6), [5, 1, 3, 2, 0, 4]);
            // Only the places given, whatever their order.
            assert_eq!(column.order([4, 3, 0, 1].into_iter()), [1, 3, 0, 4]);
            assert!(column.order(std::iter::empty()).is_empty());
        }
    }

    proptest::proptest! {
        #[test]
        fn large_orders_equal_a_plain_sort(
            spread in 1u64..1 << 34,
            seed: u64,
            len in RADIX_FROM - 10..3 * RADIX_FROM,
            skip in 1usize..4,
            shuffled: bool,
        ) {
            let mut x = seed | 1;
            let mut next = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            // Ties on purpose: ids drawn from a span that may be narrower than their count.
            let ids: Vec<u64> = (0..len).map(|_| 1_000_000 + next() % spread).collect();
            let mut column = Ids::from(ids.clone());
            column.shrink_to_fit();
            let mut places: Vec<u32> = (0..len as u32).step_by(skip).collect();
            if shuffled {
                places.reverse();
            }
            let mut expected = places.clone();
            expected.sort_by_key(|&p| (ids[p as usize], p));
            proptest::prop_assert_eq!(column.order(places.into_iter()), expected);
        }
    }
}
