//! DRUG's rows in runs of one primaryid, packed as the store keeps a report's rows, waiting
//! to join DEMO's reports.
//!
//! When DRUG is read apart from DEMO (on another thread, or in another Web Worker), a row
//! cannot be given its report as it is read. The DRUG reader cuts its rows into runs of one
//! primaryid instead, in file order, and packs them exactly as [`Drugs`] keeps a quarter's
//! rows, each run standing for one report. Joining is then cheap where it used to decode
//! and regroup every row on the critical path: when DRUG lists its reports in DEMO's order
//! (FDA's files do: both come from one extract) and every run names a report, the runs
//! *are* the reports' rows, and only where each report's rows start is new. Any other case
//! (another order, a report's rows in two runs, rows naming no report) regroups the rows
//! exactly as a read on one thread does. Either way the quarter is the same, to the byte.

use super::chunked::Chunked;
use crate::store::{DrugRow, Drugs};

/// DRUG rows in runs of one primaryid; see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct DrugRuns {
    /// Each run's primaryid.
    pids: Vec<u64>,
    /// The line of each run's first row: where the rows that join no report are first
    /// seen, for the file's warning.
    first_lines: Vec<u64>,
    /// The rows, run `g` in place of report `g`.
    drugs: Drugs,
}

/// The DRUG rows that name no report of DEMO: how many, and the line of the first.
pub(crate) type Orphans = Option<(u64, u64)>;

impl DrugRuns {
    /// Cuts `(primaryid, line, (row, drug_seq))` rows, given in file order, into runs.
    pub(crate) fn cut(rows: &Chunked<(u64, u64, (DrugRow, u32))>) -> DrugRuns {
        let len = rows.len();
        let mut pids = Vec::new();
        let mut first_lines = Vec::new();
        let mut offsets = Vec::new();
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            let (pid, line, row) = rows.get(i);
            if pids.last() != Some(&pid) {
                pids.push(pid);
                first_lines.push(line);
                offsets.push(i as u32);
            }
            items.push(row);
        }
        offsets.push(len as u32);
        pids.shrink_to_fit();
        first_lines.shrink_to_fit();
        let runs = crate::store::Grouped::from_parts(pids.len(), offsets, items)
            .expect("runs start in order, from the first row to the last");
        DrugRuns {
            pids,
            first_lines,
            drugs: Drugs::from_grouped(runs),
        }
    }

    /// Rebuilds from [`DrugRuns::parts`]; `None` unless there is one primaryid and one
    /// first line per run.
    pub(crate) fn from_parts(
        pids: Vec<u64>,
        first_lines: Vec<u64>,
        drugs: Drugs,
    ) -> Option<DrugRuns> {
        let sound = pids.len() == drugs.reports() && first_lines.len() == pids.len();
        sound.then_some(DrugRuns {
            pids,
            first_lines,
            drugs,
        })
    }

    /// The primaryids, first lines and rows, as [`DrugRuns::from_parts`] takes them.
    pub(crate) fn parts(&self) -> (&[u64], &[u64], &Drugs) {
        (&self.pids, &self.first_lines, &self.drugs)
    }

    /// Joins the runs to `reports` reports, `report_of` naming the report of a
    /// primaryid: the quarter's DRUG rows, and the rows that name no report.
    pub(crate) fn join(
        self,
        reports: usize,
        mut report_of: impl FnMut(u64) -> Option<u32>,
    ) -> (Drugs, Orphans) {
        const NONE: u32 = u32::MAX;
        let mut report_of_run = vec![NONE; self.pids.len()];
        let mut orphans: Orphans = None;
        // Each run a report of its own, in the reports' order.
        let mut in_order = true;
        let mut last = None;
        for (g, &pid) in self.pids.iter().enumerate() {
            match report_of(pid) {
                Some(r) => {
                    report_of_run[g] = r;
                    in_order &= last.is_none_or(|l| r > l);
                    last = Some(r);
                }
                None => {
                    let rows = self.drugs.of(g).len() as u64;
                    let line = self.first_lines[g];
                    let (count, first) = orphans.get_or_insert((0, line));
                    *count += rows;
                    *first = (*first).min(line);
                }
            }
        }
        if in_order && orphans.is_none() {
            // Every run is a report's rows, in the reports' order: only the starts change.
            let mut offsets = Vec::with_capacity(reports + 1);
            offsets.push(0);
            let mut at = 0u32;
            let mut runs = report_of_run.iter().enumerate().peekable();
            for r in 0..reports as u32 {
                if let Some((g, _)) = runs.next_if(|&(_, &of)| of == r) {
                    at += self.drugs.of(g).len() as u32;
                }
                offsets.push(at);
            }
            return (self.drugs.regrouped(offsets), None);
        }
        // As a read on one thread: the rows in file order with their reports, grouped by
        // report (keeping file order within one) and packed for the rows that joined.
        let mut pairs = Vec::with_capacity(self.drugs.len());
        for (g, &r) in report_of_run.iter().enumerate() {
            if r != NONE {
                pairs.extend(self.drugs.with_seqs(g).map(|row| (r, row)));
            }
        }
        drop(self);
        (Drugs::from_pairs(reports, &pairs), orphans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Role, NO_TEXT};

    fn row(product: u32) -> DrugRow {
        DrugRow::new(product, Some(Role::ALL[product as usize % 4]), NO_TEXT)
    }

    /// (pid, line, product, seq) in file order.
    fn chunked(rows: &[(u64, u64, u32, u32)]) -> Chunked<(u64, u64, (DrugRow, u32))> {
        let mut c = Chunked::default();
        for &(pid, line, product, seq) in rows {
            c.push((pid, line, (row(product), seq)));
        }
        c
    }

    /// What a read on one thread keeps: rows pushed with their report, then grouped.
    fn one_thread(rows: &[(u64, u64, u32, u32)], demo: &[u64]) -> (Drugs, Option<(u64, u64)>) {
        let mut pairs = Vec::new();
        let mut orphans: Option<(u64, u64)> = None;
        for &(pid, line, product, seq) in rows {
            match demo.iter().position(|&p| p == pid) {
                Some(r) => pairs.push((r as u32, (row(product), seq))),
                None => orphans.get_or_insert((0, line)).0 += 1,
            }
        }
        (Drugs::from_pairs(demo.len(), &pairs), orphans)
    }

    fn same(a: &Drugs, b: &Drugs) -> bool {
        a.offsets() == b.offsets()
            && a.parts() == b.parts()
            && (0..a.reports()).all(|r| a.with_seqs(r).eq(b.with_seqs(r)))
    }

    fn joined(rows: &[(u64, u64, u32, u32)], demo: &[u64]) -> (Drugs, Orphans) {
        DrugRuns::cut(&chunked(rows)).join(demo.len(), |pid| {
            demo.iter().position(|&p| p == pid).map(|r| r as u32)
        })
    }

    #[test]
    fn runs_in_demo_order_become_its_reports_rows_as_they_are() {
        // Report 20 has no DRUG rows; report 30's seqs leave the row order.
        let rows = [
            (10, 2, 5, 1),
            (10, 3, 6, 2),
            (30, 4, 7, 2),
            (30, 5, 8, 1),
            (40, 6, 9, 1),
        ];
        let demo = [10, 20, 30, 40];
        let runs = DrugRuns::cut(&chunked(&rows));
        assert_eq!(runs.pids, [10, 30, 40]);
        assert_eq!(runs.first_lines, [2, 4, 6]);
        let (drugs, orphans) = joined(&rows, &demo);
        let (expected, none) = one_thread(&rows, &demo);
        assert_eq!((orphans, none), (None, None));
        assert!(same(&drugs, &expected));
        assert_eq!(drugs.offsets(), [0, 2, 2, 4, 5]);
    }

    #[test]
    fn a_report_in_two_runs_or_in_another_order_joins_as_on_one_thread() {
        // Report 30's rows in two runs, and DRUG in another order than DEMO.
        let rows = [
            (30, 2, 1, 9),
            (10, 3, 2, 10),
            (30, 4, 3, 11),
            (20, 5, 4, 12),
            (10, 6, 5, 13),
        ];
        let demo = [30, 10, 20];
        let runs = DrugRuns::cut(&chunked(&rows));
        assert_eq!(runs.pids, [30, 10, 30, 20, 10]);
        assert_eq!(runs.first_lines, [2, 3, 4, 5, 6]);
        let (drugs, orphans) = joined(&rows, &demo);
        let (expected, _) = one_thread(&rows, &demo);
        assert_eq!(orphans, None);
        assert!(same(&drugs, &expected));
        let products: Vec<u32> = drugs.rows().map(|d| d.product).collect();
        assert_eq!(products, [1, 3, 2, 5, 4]);
        // One run a report, but not in DEMO's order.
        let rows = [(20, 2, 1, 1), (10, 3, 2, 1)];
        let (drugs, _) = joined(&rows, &[10, 20]);
        assert!(same(&drugs, &one_thread(&rows, &[10, 20]).0));
        assert_eq!(drugs.rows().map(|d| d.product).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn rows_naming_no_report_are_counted_from_their_first_line() {
        // 99's rows are orphans, seen first at line 3, and hold the largest product: the
        // rows kept are packed for the products that joined, as on one thread.
        let rows = [
            (10, 2, 1, 1),
            (99, 3, 70_000, 1),
            (20, 4, 2, 1),
            (5, 5, 3, 1),
            (99, 6, 70_001, 2),
        ];
        let demo = [10, 20];
        let (drugs, orphans) = joined(&rows, &demo);
        let (expected, expected_orphans) = one_thread(&rows, &demo);
        assert_eq!(orphans, Some((3, 3)));
        assert_eq!(orphans, expected_orphans);
        assert!(same(&drugs, &expected));
        assert_eq!(
            drugs.parts().0,
            1,
            "one byte a row, as the joined rows need"
        );
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Any rows (in any order, naming reports or not, seqs in place or not) and any DEMO
        /// order join exactly as one thread keeps them.
        #[test]
        fn any_rows_join_as_on_one_thread(
            rows in proptest::collection::vec((0u64..8, 0u32..300, 0u32..4), 0..40),
            demo in proptest::sample::subsequence((0u64..6).collect::<Vec<u64>>(), 0..=6)
                .prop_shuffle(),
        ) {
            let rows: Vec<(u64, u64, u32, u32)> = rows
                .iter()
                .enumerate()
                .map(|(i, &(pid, product, seq))| (pid, i as u64 + 2, product, seq))
                .collect();
            let (drugs, orphans) = joined(&rows, &demo);
            let (expected, expected_orphans) = one_thread(&rows, &demo);
            prop_assert_eq!(orphans, expected_orphans);
            prop_assert!(same(&drugs, &expected));
        }
    }

    #[test]
    fn runs_come_back_from_their_parts_only_when_sound() {
        let runs = DrugRuns::cut(&chunked(&[(10, 2, 1, 1), (20, 3, 2, 1)]));
        let (pids, lines, drugs) = runs.parts();
        let (pids, lines, drugs) = (pids.to_vec(), lines.to_vec(), drugs.clone());
        assert!(DrugRuns::from_parts(pids.clone(), lines.clone(), drugs.clone()).is_some());
        assert!(DrugRuns::from_parts(vec![20, 20], lines.clone(), drugs.clone()).is_some());
        assert!(DrugRuns::from_parts(pids.clone(), vec![2], drugs.clone()).is_none());
        assert!(DrugRuns::from_parts(vec![10], vec![2], drugs).is_none());
        let empty = DrugRuns::cut(&Chunked::default());
        let (drugs, orphans) = empty.join(3, |_| Some(0));
        assert_eq!((drugs.len(), drugs.reports(), orphans), (0, 3, None));
    }
}
