//! Every drug–event pair of the loaded data, for the empirical Bayes prior.
//!
//! DuMouchel's gamma-Poisson shrinker borrows strength from all drug–event pairs: its prior
//! is fitted by maximum likelihood over the observed count n and expected count E of every
//! pair. Here a drug is its active ingredient (`prod_ai`) where FDA filled one, otherwise its
//! normalised `drugname`; a report counts once per (drug, PT) with the drug in one of the
//! selected roles; E = n_drug · n_event / N with N the analysed reports that have at least
//! one such drug and one PT (openEBGM's construction). Stratified, E = Σ over strata s of
//! n_drug,s · n_event,s / n_s, with strata age band × sex × year of fda_dt (DuMouchel 1999).

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
    /// With strata: per PT id, (stratum, reports) sorted by stratum.
    pub event_strata: FastMap<u32, Vec<(u32, u64)>>,
    /// With strata: reports per stratum.
    pub stratum_reports: FastMap<u32, u64>,
}

/// The stratum of a report: year of fda_dt × age band (<18, 18–44, 45–64, ≥65, unknown) ×
/// sex (M, F, unknown), packed in one number.
pub fn stratum(q: &QuarterData, r: usize) -> u32 {
    let rep = &q.reports;
    let age = rep.age_years[r];
    let band = match age {
        a if a.is_nan() => 4,
        a if a < 18.0 => 0,
        a if a < 45.0 => 1,
        a if a < 65.0 => 2,
        _ => 3,
    };
    let sex = match rep.sex[r] {
        crate::values::Sex::Male => 0,
        crate::values::Sex::Female => 1,
        crate::values::Sex::Unknown => 2,
    };
    rep.fda_dt.get(r).year().unwrap_or(0) * 16 + band * 3 + sex
}

/// Σ over the strata both lists share of x_s · y_s / n_s (both sorted by stratum).
pub fn stratified_expected(
    x: &[(u32, u64)],
    y: &[(u32, u64)],
    stratum_reports: &FastMap<u32, u64>,
) -> f64 {
    let (mut i, mut j, mut e) = (0, 0, 0.0);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let n = stratum_reports[&x[i].0] as f64;
                e += x[i].1 as f64 * y[j].1 as f64 / n;
                i += 1;
                j += 1;
            }
        }
    }
    e
}

/// Counts all pairs over the analysed reports.
/// Unreported cells are only counted with `with_unreported` (the all-cells likelihood).
pub fn drug_event_pairs(
    quarters: &[&QuarterData],
    kept: &[Vec<bool>],
    roles: &[Role],
    with_unreported: bool,
    strata: bool,
) -> PairTable {
    let mut drug_strata: FastMap<(u32, u32), u64> = FastMap::default();
    let mut event_strata_counts: FastMap<(u32, u32), u64> = FastMap::default();
    let mut stratum_reports: FastMap<u32, u64> = FastMap::default();
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
                if !d.role().is_some_and(|role| roles.contains(&role)) {
                    continue;
                }
                let (name, prod_ai) = q.product_of(&d);
                let id = if prod_ai != NO_TEXT { prod_ai } else { name };
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
            for pt in pts.iter().map(|&p| u32::from(p)) {
                *event_margin.entry(pt).or_insert(0) += 1;
            }
            if strata {
                let s = stratum(q, r);
                *stratum_reports.entry(s).or_insert(0) += 1;
                for pt in pts.iter().map(|&p| u32::from(p)) {
                    *event_strata_counts.entry((pt, s)).or_insert(0) += 1;
                }
                for &drug in &drugs {
                    *drug_strata.entry((drug, s)).or_insert(0) += 1;
                }
            }
            for &drug in &drugs {
                drug_margin[drug as usize] += 1;
                for pt in pts.iter().map(|&p| u32::from(p)) {
                    *counts.entry((drug, pt)).or_insert(0) += 1;
                }
            }
        }
    }
    let n = reports as f64;
    let expected = |x: u64, y: u64| x as f64 * y as f64 / n;
    let mut reported: Vec<((u32, u32), u64)> = counts.into_iter().collect();
    reported.sort_unstable();
    let mut event_strata: FastMap<u32, Vec<(u32, u64)>> = FastMap::default();
    for ((pt, s), c) in event_strata_counts {
        event_strata.entry(pt).or_default().push((s, c));
    }
    for list in event_strata.values_mut() {
        list.sort_unstable();
    }
    let mut drug_lists: FastMap<u32, Vec<(u32, u64)>> = FastMap::default();
    for ((drug, s), c) in drug_strata {
        drug_lists.entry(drug).or_default().push((s, c));
    }
    for list in drug_lists.values_mut() {
        list.sort_unstable();
    }
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
    for &(x, dx) in xs.iter().filter(|_| with_unreported && !strata) {
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
            .map(|((drug, pt), c)| {
                let e = if strata {
                    stratified_expected(&drug_lists[&drug], &event_strata[&pt], &stratum_reports)
                } else {
                    expected(drug_margin[drug as usize], event_margin[&pt])
                };
                (c, e)
            })
            .collect(),
        unreported,
        reports,
        event_margin,
        event_strata,
        stratum_reports,
    }
}
