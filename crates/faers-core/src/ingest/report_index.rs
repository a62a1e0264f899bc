//! primaryid → report, for the rows that name a report by its primaryid.
//!
//! FDA lists DEMO almost in primaryid order (one row in a few hundred comes early or late).
//! A hash map holding every report took a cache miss per DEMO row, in a table of some 16 MB
//! per quarter: a quarter of the row's reading time, natively and in WebAssembly. So the ids
//! that come in ascending order are appended to a sorted list, checked against its last only,
//! and only the others go to a hash map. Child rows find their report a few places ahead of the
//! last one almost always (see `QuarterBuilder::report_of`); the few that do not search here.

use crate::store::FastMap;

/// primaryid → report, built in DEMO's order.
#[derive(Debug, Default)]
pub(crate) struct ReportIndex {
    /// The ids above every one before them, in order, with their reports.
    ascending: Vec<(u64, u32)>,
    /// The other ids.
    others: FastMap<u64, u32>,
}

impl ReportIndex {
    /// Adds `id` → `report`; `false`, adding nothing, when `id` is there already.
    pub(crate) fn insert(&mut self, id: u64, report: u32) -> bool {
        if self.ascending.last().is_none_or(|&(last, _)| id > last) {
            self.ascending.push((id, report));
            return true;
        }
        if self.in_order(id).is_some() {
            return false;
        }
        match self.others.entry(id) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(report);
                true
            }
        }
    }

    /// The report of `id`, if it has one.
    pub(crate) fn get(&self, id: u64) -> Option<u32> {
        self.in_order(id).or_else(|| self.others.get(&id).copied())
    }

    fn in_order(&self, id: u64) -> Option<u32> {
        let i = self.ascending.binary_search_by_key(&id, |e| e.0).ok()?;
        Some(self.ascending[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The index answers as a plain map does, for ids mostly ascending with some early,
        /// late and repeated, and for ids it never saw.
        #[test]
        fn the_index_answers_as_a_map(
            steps in proptest::collection::vec((0u64..6, 0u8..6), 0..300),
            asked in proptest::collection::vec(0u64..2000, 0..50),
        ) {
            let mut index = ReportIndex::default();
            let mut model = std::collections::HashMap::new();
            let mut next = 100u64;
            for (i, (step, kind)) in steps.into_iter().enumerate() {
                let id = match kind {
                    0 => next.saturating_sub(step * 7), // early or repeated
                    1 => next + 50 + step,              // late: a gap above
                    _ => {
                        next += step + 1;
                        next
                    }
                };
                let fresh = !model.contains_key(&id);
                proptest::prop_assert_eq!(index.insert(id, i as u32), fresh, "id {}", id);
                if fresh {
                    model.insert(id, i as u32);
                }
            }
            for id in model.keys().copied().chain(asked) {
                proptest::prop_assert_eq!(index.get(id), model.get(&id).copied(), "id {}", id);
            }
        }
    }
}
