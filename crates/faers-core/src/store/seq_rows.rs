//! Child rows that name one of their report's drugs by its `drug_seq` (THER, INDI).
//!
//! The seq is a small number in FAERS (a report's drugs are numbered from 1) and a
//! quarter-wide one in legacy AERS, so it is kept apart from the row's value in a
//! [`Small`] column: one byte a row in FAERS, four in legacy, never less than exact.

use super::{Grouped, Small};

/// Rows grouped by report, each a `drug_seq` and a value (a start date, an indication).
#[derive(Debug, Clone)]
pub struct SeqRows<T> {
    values: Grouped<T>,
    seqs: Small,
}

impl<T> Default for SeqRows<T> {
    fn default() -> Self {
        SeqRows {
            values: Grouped::default(),
            seqs: Small::default(),
        }
    }
}

impl<T: Copy> SeqRows<T> {
    /// Groups `(report, (seq, value))` pairs for `reports` reports, keeping file order within
    /// a report (as [`Grouped::from_pairs`]).
    pub fn from_pairs(reports: usize, pairs: &[(u32, (u32, T))]) -> Self {
        Self::from_grouped(Grouped::from_pairs(reports, pairs))
    }

    /// Splits grouped (seq, value) rows into the values and a narrow seq column.
    pub fn from_grouped(grouped: Grouped<(u32, T)>) -> Self {
        let (values, seqs) = grouped.unzip(|(seq, value)| (value, seq));
        let mut seqs = Small::from(seqs);
        seqs.shrink_to_fit();
        SeqRows { values, seqs }
    }

    /// The rows of one report, as (seq, value).
    pub fn of(&self, report: usize) -> impl ExactSizeIterator<Item = (u32, T)> + '_ {
        let range = self.values.range(report);
        let values = &self.values.items()[range.clone()];
        range.zip(values).map(|(i, &v)| (self.seqs.get(i), v))
    }

    /// Every row's value, grouped by report.
    pub fn values(&self) -> &[T] {
        self.values.items()
    }

    /// Every row's value, mutably (used to rewrite ids when vocabularies are merged).
    pub fn values_mut(&mut self) -> &mut [T] {
        self.values.items_mut()
    }

    /// Every row's seq, in the order of [`SeqRows::values`].
    pub fn seqs(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.seqs.iter()
    }

    /// Each report's number of rows, narrowed (see [`Grouped::counts`]).
    pub(crate) fn counts(&self) -> Small {
        self.values.counts()
    }

    /// Where each report's rows start (see [`Grouped::offsets`]).
    pub fn offsets(&self) -> Vec<u32> {
        self.values.offsets()
    }

    /// The seq column, as kept (for a snapshot).
    pub(crate) fn seq_column(&self) -> &Small {
        &self.seqs
    }

    /// Rebuilds from [`SeqRows::offsets`], [`SeqRows::values`] and the seq column; `None`
    /// unless the offsets group the values (see [`Grouped::from_parts`]) and there is one
    /// seq per value.
    pub(crate) fn from_parts(
        reports: usize,
        offsets: Vec<u32>,
        values: Vec<T>,
        seqs: Small,
    ) -> Option<Self> {
        let values = Grouped::from_parts(reports, offsets, values)?;
        (seqs.len() == values.items().len()).then_some(SeqRows { values, seqs })
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.values.heap_bytes() + self.seqs.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_with_their_seqs_whatever_their_width() {
        // FAERS-like seqs fit a byte; a legacy quarter-wide seq needs a word.
        for seqs in [[1u32, 2, 1, 3], [1_004_492_716, 1_004_516_266, 7, 1]] {
            let reports = [2u32, 0, 2, 3];
            let pairs: Vec<(u32, (u32, u32))> = reports
                .iter()
                .zip(seqs)
                .enumerate()
                .map(|(i, (&r, seq))| (r, (seq, 100 + i as u32)))
                .collect();
            let rows = SeqRows::from_pairs(4, &pairs);
            assert_eq!(rows.of(0).collect::<Vec<_>>(), [(seqs[1], 101)]);
            assert_eq!(rows.of(1).len(), 0);
            assert_eq!(
                rows.of(2).collect::<Vec<_>>(),
                [(seqs[0], 100), (seqs[2], 102)]
            );
            assert_eq!(rows.of(3).collect::<Vec<_>>(), [(seqs[3], 103)]);
            assert_eq!(rows.values(), [101, 100, 102, 103]);
            let in_order: Vec<u32> = [1, 0, 2, 3].iter().map(|&i| seqs[i]).collect();
            assert_eq!(rows.seqs().collect::<Vec<_>>(), in_order);
            let seq_bytes = if seqs[0] == 1 { 4 } else { 16 };
            assert_eq!(rows.seqs.heap_bytes(), seq_bytes);
        }
    }
}
