//! Every drug–event pair of the loaded data, for the empirical Bayes prior.
//!
//! DuMouchel's gamma-Poisson shrinker borrows strength from all drug–event pairs: its prior
//! is fitted by maximum likelihood over the observed count n and expected count E of every
//! pair. Here a drug is its active ingredient (`prod_ai`) where FDA filled one, otherwise its
//! normalised `drugname`; a report counts once per (drug, PT) with the drug in one of the
//! selected roles; E = n_drug · n_event / N with N the analysed reports that have at least
//! one such drug and one PT (openEBGM's construction).

use crate::store::{FastMap, QuarterData, Role, NO_TEXT};

/// The pairs and, for the all-cells likelihood, the unreported cells grouped by E.
#[derive(Debug, Clone, Default)]
pub struct PairTable {
    /// (n, E) of every reported pair.
    pub reported: Vec<(u64, f64)>,
    /// (0, E, number of cells) for every drug × event combination never reported.
    pub unreported: Vec<(u64, f64, u64)>,
    /// N.
    pub reports: u64,
    /// Per workspace PT id: reports (of the N) with the PT.
    pub event_margin: FastMap<u32, u64>,
}

/// Counts all pairs over the analysed reports.
/// Unreported cells are only counted with `with_unreported` (the all-cells likelihood).
pub fn drug_event_pairs(
    quarters: &[&QuarterData],
    kept: &[Vec<bool>],
    roles: &[Role],
    with_unreported: bool,
) -> PairTable {
    let mut drug_ids: FastMap<String, u32> = FastMap::default();
    let mut counts: FastMap<(u32, u32), u64> = FastMap::default();
    let mut drug_margin: Vec<u64> = Vec::new();
    let mut event_margin: FastMap<u32, u64> = FastMap::default();
    let mut reports = 0u64;
    let mut drugs: Vec<u32> = Vec::new();
    for (q, kept) in quarters.iter().zip(kept) {
        // This quarter's drug vocabulary mapped to workspace-wide drug ids, lazily.
        let mut local: Vec<u32> = vec![u32::MAX; q.drug_names.len()];
        for (r, &is_kept) in kept.iter().enumerate() {
            let pts = q.pts.of(r);
            if !is_kept || pts.is_empty() {
                continue;
            }
            drugs.clear();
            for d in q.drugs.of(r) {
                if !d.role.is_some_and(|role| roles.contains(&role)) {
                    continue;
                }
                let id = if d.prod_ai != NO_TEXT {
                    d.prod_ai
                } else {
                    d.name
                };
                if id == NO_TEXT {
                    continue;
                }
                if local[id as usize] == u32::MAX {
                    let next = drug_ids.len() as u32;
                    local[id as usize] = *drug_ids
                        .entry(q.drug_names.name(id).to_owned())
                        .or_insert(next);
                    if drug_margin.len() < drug_ids.len() {
                        drug_margin.resize(drug_ids.len(), 0);
                    }
                }
                drugs.push(local[id as usize]);
            }
            drugs.sort_unstable();
            drugs.dedup();
            if drugs.is_empty() {
                continue;
            }
            reports += 1;
            for &pt in pts {
                *event_margin.entry(pt).or_insert(0) += 1;
            }
            for &drug in &drugs {
                drug_margin[drug as usize] += 1;
                for &pt in pts {
                    *counts.entry((drug, pt)).or_insert(0) += 1;
                }
            }
        }
    }
    let n = reports as f64;
    let expected = |x: u64, y: u64| x as f64 * y as f64 / n;
    let mut reported: Vec<((u32, u32), u64)> = counts.into_iter().collect();
    reported.sort_unstable();
    // Unreported cells, grouped by their margins (x, y): every drug with margin x times every
    // event with margin y, less the reported pairs with those margins.
    let mut drugs_by_margin: FastMap<u64, u64> = FastMap::default();
    for &m in &drug_margin {
        *drugs_by_margin.entry(m).or_insert(0) += 1;
    }
    let mut events_by_margin: FastMap<u64, u64> = FastMap::default();
    for &m in event_margin.values() {
        *events_by_margin.entry(m).or_insert(0) += 1;
    }
    let mut reported_by_margins: FastMap<(u64, u64), u64> = FastMap::default();
    for &((drug, pt), _) in &reported {
        *reported_by_margins
            .entry((drug_margin[drug as usize], event_margin[&pt]))
            .or_insert(0) += 1;
    }
    let mut unreported = Vec::new();
    let mut xs: Vec<(u64, u64)> = drugs_by_margin.into_iter().collect();
    xs.sort_unstable();
    let mut ys: Vec<(u64, u64)> = events_by_margin.into_iter().collect();
    ys.sort_unstable();
    for &(x, dx) in xs.iter().filter(|_| with_unreported) {
        for &(y, ey) in &ys {
            let cells = dx * ey - reported_by_margins.get(&(x, y)).copied().unwrap_or(0);
            if cells > 0 {
                unreported.push((0, expected(x, y), cells));
            }
        }
    }
    PairTable {
        reported: reported
            .into_iter()
            .map(|((drug, pt), c)| (c, expected(drug_margin[drug as usize], event_margin[&pt])))
            .collect(),
        unreported,
        reports,
        event_margin,
    }
}
