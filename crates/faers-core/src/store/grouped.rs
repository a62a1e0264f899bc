//! Child rows grouped by report, in compressed-sparse-row form.
//!
//! "The PTs of report *r*" is one slice of a quarter-wide array, found from where each
//! report's rows start. Those starts are a quarter of a report's lasting cost when kept as
//! one `u32` per report in each of the four grouped tables, so they are stored in two bytes:
//! a `u32` start for each block of [`BLOCK`] reports, and each report's start relative to
//! its block's. A block holding 65,536 rows or more (over a thousand rows a report) keeps
//! plain `u32` starts instead; no FAERS quarter comes close, but nothing is refused for it.

use std::ops::Range;

use super::Small;

/// Reports per block of [`Starts::Blocked`]: a `u32` per 64 reports adds half a bit a report.
const BLOCK: usize = 64;

/// Where each report's rows start, and (last) the number of rows.
#[derive(Debug, Clone)]
pub(crate) enum Starts {
    /// `blocks[r / BLOCK] + within[r]`.
    Blocked { blocks: Vec<u32>, within: Vec<u16> },
    /// One `u32` each.
    Plain(Vec<u32>),
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Plain(vec![0])
    }
}

impl Starts {
    /// The narrow form of `offsets` when every block fits it, else the offsets as given.
    pub(crate) fn new(offsets: Vec<u32>) -> Starts {
        let mut blocks: Vec<u32> = offsets.iter().step_by(BLOCK).copied().collect();
        let within: Option<Vec<u16>> = offsets
            .iter()
            .enumerate()
            .map(|(r, &o)| u16::try_from(o - blocks[r / BLOCK]).ok())
            .collect();
        match within {
            Some(mut within) => {
                within.shrink_to_fit();
                blocks.shrink_to_fit();
                Starts::Blocked { blocks, within }
            }
            None => Starts::Plain(offsets),
        }
    }

    /// The starts of `reports` reports over `rows` rows from their offsets (one per report
    /// plus one); `None` unless they run from 0 to `rows`, never decreasing.
    pub(crate) fn checked(reports: usize, offsets: Vec<u32>, rows: usize) -> Option<Starts> {
        let ok = offsets.len() == reports + 1
            && offsets.first() == Some(&0)
            && offsets.last().map(|&l| l as usize) == Some(rows)
            && offsets.windows(2).all(|w| w[0] <= w[1]);
        ok.then(|| Starts::new(offsets))
    }

    /// Number of reports.
    pub(crate) fn reports(&self) -> usize {
        self.len() - 1
    }

    /// Where the rows of report `r` are.
    #[inline]
    pub(crate) fn range(&self, r: usize) -> Range<usize> {
        self.get(r)..self.get(r + 1)
    }

    /// Each report's range of rows in turn.
    pub(crate) fn ranges(&self) -> impl ExactSizeIterator<Item = Range<usize>> + '_ {
        let mut start = 0;
        (1..self.len()).map(move |r| {
            let end = self.get(r);
            let rows = start..end;
            start = end;
            rows
        })
    }

    /// The offsets, one per report plus one.
    pub(crate) fn offsets(&self) -> Vec<u32> {
        (0..self.len()).map(|r| self.get(r) as u32).collect()
    }

    /// Each report's number of rows, as narrow as the largest allows (how a snapshot
    /// keeps where the rows start).
    pub(crate) fn counts(&self) -> Small {
        let mut counts = Small::from(self.ranges().map(|r| r.len() as u32).collect::<Vec<_>>());
        counts.shrink_to_fit();
        counts
    }

    /// Entries: one per report plus one.
    fn len(&self) -> usize {
        match self {
            Starts::Blocked { within, .. } => within.len(),
            Starts::Plain(offsets) => offsets.len(),
        }
    }

    #[inline]
    pub(crate) fn get(&self, r: usize) -> usize {
        match self {
            Starts::Blocked { blocks, within } => {
                blocks[r / BLOCK] as usize + usize::from(within[r])
            }
            Starts::Plain(offsets) => offsets[r] as usize,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Starts::Blocked { blocks, within } => blocks.capacity() * 4 + within.capacity() * 2,
            Starts::Plain(offsets) => offsets.capacity() * 4,
        }
    }
}

/// Rows grouped by report: the rows of report `r` are `items[start(r)..start(r + 1)]`.
#[derive(Debug, Clone)]
pub struct Grouped<T> {
    starts: Starts,
    items: Vec<T>,
}

impl<T> Default for Grouped<T> {
    fn default() -> Self {
        Grouped {
            starts: Starts::default(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Grouped<T> {
    /// Groups `(report, row)` pairs for `reports` reports, keeping file order within a report.
    pub fn from_pairs(reports: usize, pairs: &[(u32, T)]) -> Self {
        Self::from_indexed(reports, pairs.len(), |i| pairs[i])
    }

    /// As [`Grouped::from_pairs`], for `len` pairs given by `pair(i)`.
    pub(crate) fn from_indexed(
        reports: usize,
        len: usize,
        pair: impl Fn(usize) -> (u32, T),
    ) -> Self {
        let mut offsets = vec![0u32; reports + 1];
        for i in 0..len {
            offsets[pair(i).0 as usize + 1] += 1;
        }
        for i in 0..reports {
            offsets[i + 1] += offsets[i];
        }
        // Counting sort of row indices, then one exact-size gather.
        let mut fill = offsets.clone();
        let mut order = vec![0u32; len];
        for i in 0..len {
            let slot = &mut fill[pair(i).0 as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(fill);
        let items = order.iter().map(|&i| pair(i as usize).1).collect();
        Grouped {
            starts: Starts::new(offsets),
            items,
        }
    }

    /// Rebuilds from [`Grouped::offsets`] and [`Grouped::items`]; `None` unless the
    /// offsets run from 0 to the number of items, never decreasing, one per report plus one.
    pub fn from_parts(reports: usize, offsets: Vec<u32>, items: Vec<T>) -> Option<Self> {
        let starts = Starts::checked(reports, offsets, items.len())?;
        Some(Grouped { starts, items })
    }

    /// Number of reports.
    pub fn reports(&self) -> usize {
        self.starts.reports()
    }

    /// Where each report's rows start (and, last, the number of rows), one per report
    /// plus one; computed, for writing them out.
    pub fn offsets(&self) -> Vec<u32> {
        self.starts.offsets()
    }

    /// Each report's number of rows, narrowed (see [`Starts::counts`]).
    pub(crate) fn counts(&self) -> Small {
        self.starts.counts()
    }

    /// Where the rows of one report are in [`Grouped::items`].
    #[inline]
    pub fn range(&self, report: usize) -> Range<usize> {
        self.starts.range(report)
    }

    /// The rows of one report.
    #[inline]
    pub fn of(&self, report: usize) -> &[T] {
        &self.items[self.range(report)]
    }

    /// The rows of each report in turn.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[T]> + '_ {
        self.starts.ranges().map(|rows| &self.items[rows])
    }

    /// Every row, grouped by report.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.starts.heap_bytes() + self.items.capacity() * std::mem::size_of::<T>()
    }

    /// Each report's rows sorted and without repeats.
    pub fn sorted_distinct(mut self) -> Self
    where
        T: Ord,
    {
        let reports = self.reports();
        let mut offsets = Vec::with_capacity(reports + 1);
        let mut kept = 0usize;
        for r in 0..reports {
            let range = self.range(r);
            offsets.push(kept as u32);
            let rows = &mut self.items[range.clone()];
            rows.sort_unstable();
            let mut last: Option<T> = None;
            for i in range {
                let row = self.items[i];
                if last != Some(row) {
                    self.items[kept] = row;
                    kept += 1;
                    last = Some(row);
                }
            }
        }
        offsets.push(kept as u32);
        self.items.truncate(kept);
        self.items.shrink_to_fit();
        self.starts = Starts::new(offsets);
        self
    }

    /// Every row, mutably (used to rewrite ids when vocabularies are merged).
    pub fn items_mut(&mut self) -> &mut [T] {
        &mut self.items
    }

    /// Where each report's rows start, and the rows.
    pub(crate) fn into_parts(self) -> (Starts, Vec<T>) {
        (self.starts, self.items)
    }

    /// Splits each row in two: the first parts grouped as these rows, the second in their order.
    pub(crate) fn unzip<A: Copy, B: Copy>(
        self,
        split: impl Fn(T) -> (A, B),
    ) -> (Grouped<A>, Vec<B>) {
        let (a, b): (Vec<A>, Vec<B>) = self.items.into_iter().map(split).unzip();
        (
            Grouped {
                starts: self.starts,
                items: a,
            },
            b,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_file_order_and_sorted_distinct_cleans_each_report() {
        // Report 1 has no rows; report 0's and 2's rows repeat and are out of order.
        let pairs = [(2, 9u32), (0, 5), (2, 3), (0, 5), (0, 1), (2, 9), (3, 7)];
        let g = Grouped::from_pairs(4, &pairs);
        assert_eq!(g.of(0), [5, 5, 1]);
        assert_eq!(g.of(1), [] as [u32; 0]);
        assert_eq!(g.of(2), [9, 3, 9]);
        let g = g.sorted_distinct();
        assert_eq!(g.of(0), [1, 5]);
        assert_eq!(g.of(1), [] as [u32; 0]);
        assert_eq!(g.of(2), [3, 9]);
        assert_eq!(g.of(3), [7]);
        assert_eq!(g.offsets(), [0, 2, 2, 4, 5]);
        assert_eq!(g.iter().map(<[u32]>::len).collect::<Vec<_>>(), [2, 0, 2, 1]);
        assert!(Grouped::from_parts(4, g.offsets(), g.items().to_vec()).is_some());
        assert!(Grouped::from_parts(3, g.offsets(), g.items().to_vec()).is_none());
    }

    /// Rows of `sizes[r]` items for report `r`, numbered in order.
    fn of_sizes(sizes: &[usize]) -> Grouped<u32> {
        let pairs: Vec<(u32, u32)> = sizes
            .iter()
            .enumerate()
            .flat_map(|(r, &n)| std::iter::repeat_n(r as u32, n))
            .enumerate()
            .map(|(i, r)| (r, i as u32))
            .collect();
        Grouped::from_pairs(sizes.len(), &pairs)
    }

    #[test]
    fn starts_take_two_bytes_a_report_and_plain_ones_when_a_block_overflows() {
        // 1,000 reports of 0-6 rows: every block fits, so two bytes a report and a word
        // a block.
        let sizes: Vec<usize> = (0..1000).map(|r| r * 7 % 11 % 7).collect();
        let g = of_sizes(&sizes);
        assert!(matches!(g.starts, Starts::Blocked { .. }));
        assert_eq!(
            g.starts.heap_bytes(),
            1001 * 2 + 1001usize.div_ceil(BLOCK) * 4
        );
        // A block of 64 reports holding 70,000 rows cannot: plain starts, same answers.
        let mut large = sizes.clone();
        large[130] = 70_000;
        let h = of_sizes(&large);
        assert!(matches!(h.starts, Starts::Plain(_)));
        for (name, g, sizes) in [("narrow", &g, &sizes), ("plain", &h, &large)] {
            let mut next = 0u32;
            for (r, &n) in sizes.iter().enumerate() {
                let want: Vec<u32> = (next..next + n as u32).collect();
                assert_eq!(g.of(r), want, "{name}: report {r}");
                next += n as u32;
            }
            assert_eq!(g.iter().count(), sizes.len());
        }
        // A block's reports may start up to 65,535 rows after it; one row more cannot.
        let mut edge = vec![0usize; 128];
        edge[0] = 65_535;
        assert!(matches!(of_sizes(&edge).starts, Starts::Blocked { .. }));
        edge[1] = 1;
        assert!(matches!(of_sizes(&edge).starts, Starts::Plain(_)));
    }
}
