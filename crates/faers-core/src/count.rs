//! The 2×2 table of every PT at once.
//!
//! One pass over the analysed reports counts, per PT, the reports (or report–PT pairs) with
//! that PT overall and among target reports. With N the analysed total and T the target
//! total in the chosen unit: a = target with the PT, b = T − a, c = others with the PT,
//! d = N − a − b − c (output-contract.md).

use crate::options::Unit;
use crate::store::QuarterData;

/// Counts for every PT id of the workspace vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PtCounts {
    /// N: analysed reports (unit reports) or their distinct report–PT pairs (unit pairs).
    pub total: u64,
    /// T: target reports, or their pairs.
    pub target: u64,
    /// Analysed target reports (whatever the unit).
    pub target_reports: u64,
    /// Distinct report–PT pairs of analysed target reports.
    pub target_pairs: u64,
    /// Distinct report–PT pairs of all analysed reports.
    pub pairs: u64,
    /// Per PT id: analysed reports with the PT.
    pub with_pt: Vec<u64>,
    /// Per PT id: analysed target reports with the PT.
    pub target_with_pt: Vec<u64>,
}

/// What the 2×2 tables share whatever the drug: the analysed reports and, per PT, those
/// with it. They depend only on the data and the deduplication, so a workspace keeps them
/// with it and a query counts only its target reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Margins {
    /// Analysed reports.
    pub reports: u64,
    /// Distinct report–PT pairs of all analysed reports.
    pub pairs: u64,
    /// Per PT id: analysed reports with the PT.
    pub with_pt: Vec<u64>,
}

impl Margins {
    /// Counts over `quarters` whose PT ids are workspace ids below `pt_count`.
    pub fn count(quarters: &[&QuarterData], kept: &[Vec<bool>], pt_count: usize) -> Margins {
        let mut m = Margins {
            with_pt: vec![0; pt_count],
            ..Margins::default()
        };
        for (q, kept) in quarters.iter().zip(kept) {
            for (r, _) in kept.iter().enumerate().filter(|(_, &k)| k) {
                m.reports += 1;
                let pts = q.pts.of(r);
                m.pairs += pts.len() as u64;
                for &pt in pts {
                    m.with_pt[pt as usize] += 1;
                }
            }
        }
        m
    }
}

impl PtCounts {
    /// Counts over `quarters` (PT ids of the workspace vocabulary), given their margins under
    /// the deduplication and the analysed target reports of each quarter (see
    /// [`crate::select::Selection::analysed`]): only those reports are visited.
    pub fn with_margins(
        margins: &Margins,
        quarters: &[&QuarterData],
        analysed: &[&[u32]],
        unit: Unit,
    ) -> PtCounts {
        let mut c = PtCounts {
            with_pt: margins.with_pt.clone(),
            target_with_pt: vec![0; margins.with_pt.len()],
            pairs: margins.pairs,
            ..PtCounts::default()
        };
        for (q, analysed) in quarters.iter().zip(analysed) {
            for &r in *analysed {
                let pts = q.pts.of(r as usize);
                c.target_reports += 1;
                c.target_pairs += pts.len() as u64;
                for &pt in pts {
                    c.target_with_pt[pt as usize] += 1;
                }
            }
        }
        (c.total, c.target) = match unit {
            Unit::Reports => (margins.reports, c.target_reports),
            Unit::Pairs => (c.pairs, c.target_pairs),
        };
        c
    }

    /// The 2×2 table (a, b, c, d) of one PT.
    pub fn table(&self, pt: usize) -> (u64, u64, u64, u64) {
        let a = self.target_with_pt[pt];
        let b = self.target - a;
        let c = self.with_pt[pt] - a;
        let d = self.total - a - b - c;
        (a, b, c, d)
    }
}
