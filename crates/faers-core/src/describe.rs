//! Who the target cases are: sex, age, year, reporter, outcomes and time to onset.
//!
//! Counted over the analysed target reports, one count per report.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::select::Selection;
use crate::store::{QuarterData, Role, OUTCOME_CODES};
use crate::values::Sex;

/// The contract's `descriptive` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Descriptive {
    /// `M`, `F`, `unknown`.
    pub sex: BTreeMap<String, u64>,
    /// `<18`, `18-44`, `45-64`, `>=65`, `unknown` (bands [0,18), [18,45), [45,65), [65,∞)).
    pub age_group: BTreeMap<String, u64>,
    /// Year of fda_dt of the kept version.
    pub year: BTreeMap<String, u64>,
    /// Reporter's occupation (`occp_cod`), blanks as `unknown`.
    pub reporter: BTreeMap<String, u64>,
    /// Reports with each outcome code.
    pub outcome: BTreeMap<String, u64>,
    /// Days from the earliest start of the target drug to the event.
    pub time_to_onset: TimeToOnset,
}

/// Summary of time to onset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeToOnset {
    /// Reports with a usable time to onset.
    pub n: u64,
    /// Median days.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
}

/// Quantile with linear interpolation between order statistics (R type 7, numpy's default).
pub fn quantile_type7(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

fn age_band(age: f32) -> &'static str {
    match age {
        a if a.is_nan() => "unknown",
        a if a < 18.0 => "<18",
        a if a < 45.0 => "18-44",
        a if a < 65.0 => "45-64",
        _ => ">=65",
    }
}

/// Describes the analysed target reports.
pub fn describe(
    quarters: &[&QuarterData],
    selections: &[Selection],
    kept: &[Vec<bool>],
    roles: &[Role],
) -> Descriptive {
    let mut d = Descriptive::default();
    for k in ["M", "F", "unknown"] {
        d.sex.insert(k.into(), 0);
    }
    for k in ["<18", "18-44", "45-64", ">=65", "unknown"] {
        d.age_group.insert(k.into(), 0);
    }
    for k in ["MD", "PH", "OT", "LW", "CN", "HP", "unknown"] {
        d.reporter.insert(k.into(), 0);
    }
    for k in OUTCOME_CODES {
        d.outcome.insert(k.into(), 0);
    }
    let mut onsets = Vec::new();
    for ((q, sel), kept) in quarters.iter().zip(selections).zip(kept) {
        let rep = &q.reports;
        for (r, &is_kept) in kept.iter().enumerate() {
            if !(is_kept && sel.target[r]) {
                continue;
            }
            let sex = match rep.sex[r] {
                Sex::Male => "M",
                Sex::Female => "F",
                Sex::Unknown => "unknown",
            };
            *d.sex.get_mut(sex).expect("preset") += 1;
            *d.age_group
                .get_mut(age_band(rep.age_years[r]))
                .expect("preset") += 1;
            let year = rep.fda_dt[r]
                .year()
                .map_or_else(|| "unknown".to_owned(), |y| y.to_string());
            *d.year.entry(year).or_insert(0) += 1;
            let occ = rep.occupation[r];
            let occ = if occ.is_empty() {
                "unknown"
            } else {
                occ.as_str()
            };
            *d.reporter.entry(occ.to_owned()).or_insert(0) += 1;
            for (bit, code) in OUTCOME_CODES.iter().enumerate() {
                if rep.outcomes[r] & (1 << bit) != 0 {
                    *d.outcome.get_mut(*code).expect("preset") += 1;
                }
            }
            if let Some(days) = time_to_onset(q, sel, r, roles) {
                onsets.push(days as f64);
            }
        }
    }
    onsets.sort_by(f64::total_cmp);
    d.time_to_onset = TimeToOnset {
        n: onsets.len() as u64,
        median: quantile_type7(&onsets, 0.5),
        q1: quantile_type7(&onsets, 0.25),
        q3: quantile_type7(&onsets, 0.75),
    };
    d
}

/// event_dt − earliest start_dt of the target drug's therapy rows, in days, when both are
/// full dates and the difference is not negative.
fn time_to_onset(q: &QuarterData, sel: &Selection, r: usize, roles: &[Role]) -> Option<i64> {
    let event = q.reports.event_dt[r].days()?;
    let target_seqs: Vec<u32> = q
        .drugs
        .of(r)
        .iter()
        .filter(|d| Selection::row_matches(&sel.matched, d.role, d.name, d.prod_ai, roles))
        .map(|d| d.seq)
        .collect();
    let start = q
        .therapies
        .of(r)
        .iter()
        .filter(|t| target_seqs.contains(&t.seq))
        .filter_map(|t| t.start.days())
        .min()?;
    let days = event - start;
    (days >= 0).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_match_numpy() {
        // numpy.quantile([1, 2, 4, 10], [.25, .5, .75]) = [1.75, 3.0, 5.5]
        let v = [1.0, 2.0, 4.0, 10.0];
        assert_eq!(quantile_type7(&v, 0.25), Some(1.75));
        assert_eq!(quantile_type7(&v, 0.5), Some(3.0));
        assert_eq!(quantile_type7(&v, 0.75), Some(5.5));
        assert_eq!(quantile_type7(&[7.0], 0.25), Some(7.0));
        assert_eq!(quantile_type7(&[], 0.5), None);
    }

    #[test]
    fn age_bands_are_half_open() {
        assert_eq!(age_band(17.99), "<18");
        assert_eq!(age_band(18.0), "18-44");
        assert_eq!(age_band(45.0), "45-64");
        assert_eq!(age_band(65.0), ">=65");
        assert_eq!(age_band(f32::NAN), "unknown");
    }
}
