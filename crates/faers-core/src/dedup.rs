//! Deduplication of case versions across every loaded quarter.
//!
//! FAERS publishes a case again each time it is updated, under a new primaryid
//! (caseid ‖ version); a case updated in a later quarter appears in both. The steps, in the
//! order of the funnel shown to the reviewer:
//! 1. a primaryid repeated verbatim in two quarters is one report (the later quarter's copy);
//! 2. cases on any loaded deleted-case list are removed, in every quarter and era;
//! 3. per caseid one version is kept: FDA's rule (latest fda_dt, tie → largest primaryid),
//!    or the highest caseversion, or none (all versions kept).
//!
//! A legacy report with a blank CASE is a case of its own.

use std::collections::HashSet;

use crate::options::{DedupMode, DeletedMode};
use crate::store::QuarterData;

/// Which reports survive, and how many each step removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupOutcome {
    /// `kept[q][r]`: report `r` of quarter `q` is analysed.
    pub kept: Vec<Vec<bool>>,
    /// DEMO rows read over all quarters.
    pub demo_rows: u64,
    /// Distinct primaryids.
    pub distinct_reports: u64,
    /// Reports removed because their case is on a deleted-case list.
    pub deleted_removed: u64,
    /// Reports removed because a later version of their case was kept.
    pub superseded_removed: u64,
    /// Reports analysed.
    pub reports: u64,
}

#[derive(Clone, Copy)]
struct Entry {
    primaryid: u64,
    caseid: Option<u64>,
    fda_dt: u32,
    caseversion: u32,
    quarter_rank: u32,
    q: u32,
    r: u32,
}

/// Runs the funnel over `quarters` (in any order; ties between copies go to the later
/// quarter by calendar).
pub fn deduplicate(
    quarters: &[&QuarterData],
    mode: DedupMode,
    deleted: DeletedMode,
) -> DedupOutcome {
    let mut out = DedupOutcome {
        kept: quarters
            .iter()
            .map(|q| vec![false; q.reports.len()])
            .collect(),
        ..DedupOutcome::default()
    };
    let mut entries = Vec::new();
    for (qi, q) in quarters.iter().enumerate() {
        let rank = u32::from(q.quarter.year) * 4 + u32::from(q.quarter.quarter);
        let rep = &q.reports;
        for ri in 0..rep.len() {
            entries.push(Entry {
                primaryid: rep.primaryid[ri],
                caseid: rep.caseid[ri].map(u64::from),
                fda_dt: rep.fda_dt[ri].0,
                caseversion: rep.caseversion[ri],
                quarter_rank: rank,
                q: qi as u32,
                r: ri as u32,
            });
        }
    }
    out.demo_rows = entries.len() as u64;

    // 1. One report per primaryid: the copy of the latest quarter.
    entries.sort_unstable_by(|a, b| {
        (a.primaryid, std::cmp::Reverse(a.quarter_rank))
            .cmp(&(b.primaryid, std::cmp::Reverse(b.quarter_rank)))
    });
    entries.dedup_by_key(|e| e.primaryid);
    out.distinct_reports = entries.len() as u64;

    // 2. Deleted cases, from the union of every loaded list.
    if deleted == DeletedMode::Apply {
        let listed: HashSet<u64> = quarters
            .iter()
            .flat_map(|q| q.deleted_caseids.iter().copied())
            .collect();
        if !listed.is_empty() {
            let before = entries.len();
            entries.retain(|e| e.caseid.is_none_or(|c| !listed.contains(&c)));
            out.deleted_removed = (before - entries.len()) as u64;
        }
    }

    // 3. One version per case.
    if mode != DedupMode::None {
        let before = entries.len();
        // Best version first within each caseid; blank caseids are their own case, keyed by
        // primaryid (which is unique here) so that they never group.
        let key = |e: &Entry| match e.caseid {
            Some(c) => (0u8, c),
            None => (1u8, e.primaryid),
        };
        entries.sort_unstable_by(|a, b| {
            key(a).cmp(&key(b)).then_with(|| match mode {
                DedupMode::Fda => (b.fda_dt, b.primaryid).cmp(&(a.fda_dt, a.primaryid)),
                _ => (b.caseversion, b.fda_dt, b.quarter_rank, b.primaryid).cmp(&(
                    a.caseversion,
                    a.fda_dt,
                    a.quarter_rank,
                    a.primaryid,
                )),
            })
        });
        entries.dedup_by(|later, first| key(later) == key(first));
        out.superseded_removed = (before - entries.len()) as u64;
    }

    for e in &entries {
        out.kept[e.q as usize][e.r as usize] = true;
    }
    out.reports = entries.len() as u64;
    out
}
