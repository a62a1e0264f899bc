//! Who the target cases are: sex, age, year, reporter, country, outcomes, seriousness,
//! indications, concomitant drugs, the target drug's roles and time to onset (the study's
//! Table 2 and what a careful reviewer adds to it).
//!
//! Counted over the analysed target reports, one count per report: a report with two
//! outcome codes counts once under each, so outcome shares need not sum to 100%.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::onset::{onset_of, OnsetConvention, OnsetSummary};
use crate::select::Selection;
use crate::store::{FastMap, QuarterData, Role, Vocabulary, NO_TEXT, OUTCOME_CODES};
use crate::values::{Code, Sex};

/// How many indications and concomitant drugs are listed by name.
pub const TOP_N: usize = 25;

/// The contract's `descriptive` object, extended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Descriptive {
    /// Analysed target reports (cases): the denominator of every share below.
    pub cases: u64,
    /// `M`, `F`, `unknown`.
    pub sex: BTreeMap<String, u64>,
    /// `<18`, `18-44`, `45-64`, `>=65`, `unknown` (bands [0,18), [18,45), [45,65), [65,∞)).
    pub age_group: BTreeMap<String, u64>,
    /// Age in years over the cases with one (after unit conversion).
    pub age: AgeSummary,
    /// Year of fda_dt of the kept version.
    pub year: BTreeMap<String, u64>,
    /// Reporter's occupation (`occp_cod`), blanks as `unknown`.
    pub reporter: BTreeMap<String, u64>,
    /// Reporter's country (`reporter_country`, as FDA gives it), blanks as `unknown`.
    pub country: BTreeMap<String, u64>,
    /// Reports with each outcome code.
    pub outcome: BTreeMap<String, u64>,
    /// `serious` (at least one outcome code: FDA's OUTC lists only serious outcomes) and
    /// `non-serious`.
    pub seriousness: BTreeMap<String, u64>,
    /// Reports in which the target drug appears with each role code (any role, not only
    /// the selected ones; a report with the drug as PS and C counts under both).
    pub roles: BTreeMap<String, u64>,
    /// The target drug's indications (INDI rows joined to its DRUG rows), most frequent
    /// first, at most [`TOP_N`].
    pub indications: Ranking,
    /// Other drugs in the target reports (prod_ai where given, else drugname), most
    /// frequent first, at most [`TOP_N`].
    pub concomitant: Ranking,
    /// Days from the earliest start of the target drug to the event, with the cases
    /// left out and why, the usual bands and a Weibull fit.
    pub time_to_onset: OnsetSummary,
}

/// Summary statistics of age in years.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgeSummary {
    /// Cases with an age.
    pub n: u64,
    /// Mean, rounded to 2 decimals.
    pub mean: Option<f64>,
    /// Standard deviation (n − 1), rounded to 2 decimals.
    pub sd: Option<f64>,
    /// Median (type 7), rounded to 2 decimals.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
    /// Youngest.
    pub min: Option<f64>,
    /// Oldest.
    pub max: Option<f64>,
}

/// Names ranked by the reports they occur in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ranking {
    /// Distinct names over all cases.
    pub distinct: u64,
    /// Cases with at least one name.
    pub cases_with_any: u64,
    /// The most frequent names (ties by name).
    pub top: Vec<RankedName>,
}

/// One name and the cases it occurs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedName {
    /// The name (normalised).
    pub name: String,
    /// Cases with this name.
    pub reports: u64,
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

/// Rounds to 2 decimals: ages are stored as `f32`, so more digits would only show noise.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The age band of an age in years (`NaN`: unknown).
pub fn age_band(age: f32) -> &'static str {
    AGE_BANDS[age_band_index(age)]
}

/// The age bands' labels, in the order of [`age_band_index`].
const AGE_BANDS: [&str; 5] = ["<18", "18-44", "45-64", ">=65", "unknown"];

fn age_band_index(age: f32) -> usize {
    match age {
        a if a.is_nan() => 4,
        a if a < 18.0 => 0,
        a if a < 45.0 => 1,
        a if a < 65.0 => 2,
        _ => 3,
    }
}

/// The label of a sex code in tables.
pub fn sex_label(sex: Sex) -> &'static str {
    SEX_LABELS[sex_index(sex)]
}

/// The sex labels, in the order of [`sex_index`].
const SEX_LABELS: [&str; 3] = ["M", "F", "unknown"];

fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Male => 0,
        Sex::Female => 1,
        Sex::Unknown => 2,
    }
}

/// The per-case counts of [`describe`], kept by small keys while the cases are scanned (a
/// count per label, a year, a code, a country id) and named once at the end: looking up a
/// text key for every case took about half of a query's descriptives.
#[derive(Default)]
struct CaseCounts {
    sex: [u64; SEX_LABELS.len()],
    age_group: [u64; AGE_BANDS.len()],
    year: FastMap<Option<u32>, u64>,
    reporter: FastMap<Code, u64>,
    outcome: [u64; OUTCOME_CODES.len()],
    /// Serious, non-serious.
    seriousness: [u64; 2],
    roles: [u64; Role::ALL.len()],
}

impl CaseCounts {
    fn name_into(self, d: &mut Descriptive) {
        for (label, n) in SEX_LABELS.iter().zip(self.sex) {
            add(&mut d.sex, label, n);
        }
        for (label, n) in AGE_BANDS.iter().zip(self.age_group) {
            add(&mut d.age_group, label, n);
        }
        for (year, n) in self.year {
            let label = year.map_or_else(|| "unknown".to_owned(), |y| y.to_string());
            add(&mut d.year, &label, n);
        }
        for (code, n) in self.reporter {
            let label = if code.is_empty() {
                "unknown"
            } else {
                code.as_str()
            };
            add(&mut d.reporter, label, n);
        }
        for (label, n) in OUTCOME_CODES.iter().zip(self.outcome) {
            add(&mut d.outcome, label, n);
        }
        for (label, n) in ["serious", "non-serious"].iter().zip(self.seriousness) {
            add(&mut d.seriousness, label, n);
        }
        for (role, n) in Role::ALL.iter().zip(self.roles) {
            add(&mut d.roles, role.as_str(), n);
        }
    }
}

fn preset(keys: &[&str]) -> BTreeMap<String, u64> {
    keys.iter().map(|k| ((*k).to_owned(), 0)).collect()
}

/// Adds `n` cases under `key` (a key is listed once a case has it).
fn add(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    if n == 0 {
        return;
    }
    match map.get_mut(key) {
        Some(count) => *count += n,
        None => {
            map.insert(key.to_owned(), n);
        }
    }
}

/// Counts names per case and keeps the most frequent.
#[derive(Default)]
struct Tally {
    counts: FastMap<String, u64>,
    cases_with_any: u64,
}

impl Tally {
    /// Adds what an [`IdTally`] counted, naming each id with `name`.
    fn add_ids(&mut self, ids: IdTally, name: impl Fn(u32) -> String) {
        self.cases_with_any += ids.cases_with_any;
        for (id, &n) in ids.counts.iter().enumerate().filter(|(_, &n)| n > 0) {
            *self.counts.entry(name(id as u32)).or_insert(0) += n;
        }
    }

    fn ranking(self) -> Ranking {
        let distinct = self.counts.len() as u64;
        let mut all: Vec<RankedName> = self
            .counts
            .into_iter()
            .map(|(name, reports)| RankedName { name, reports })
            .collect();
        all.sort_by(|x, y| y.reports.cmp(&x.reports).then_with(|| x.name.cmp(&y.name)));
        all.truncate(TOP_N);
        Ranking {
            distinct,
            cases_with_any: self.cases_with_any,
            top: all,
        }
    }
}

/// Counts cases per id of one vocabulary (an id names one text, so a case's ids counted
/// once are its names counted once): no hashing per case, the names come at the end.
#[derive(Default)]
struct IdTally {
    counts: Vec<u64>,
    cases_with_any: u64,
}

impl IdTally {
    /// Adds one case's ids, below `len` (duplicates within the case count once).
    fn add_case(&mut self, ids: &mut Vec<u32>, len: usize) {
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            self.cases_with_any += 1;
        }
        if self.counts.len() < len {
            self.counts.resize(len, 0);
        }
        for id in ids.drain(..) {
            self.counts[id as usize] += 1;
        }
    }
}

/// Describes the analysed target reports; `pts` names the workspace PT ids (indications),
/// `convention` and `z` are those of time to onset and its Weibull intervals.
pub fn describe(
    quarters: &[&QuarterData],
    selections: &[Selection],
    roles: &[Role],
    pts: &Vocabulary,
    convention: OnsetConvention,
    z: f64,
) -> Descriptive {
    let mut d = Descriptive {
        cases: 0,
        year: BTreeMap::new(),
        country: BTreeMap::new(),
        age: AgeSummary::default(),
        indications: Ranking::default(),
        concomitant: Ranking::default(),
        time_to_onset: OnsetSummary::from_days(&[], &[], convention, z),
        sex: preset(&["M", "F", "unknown"]),
        age_group: preset(&["<18", "18-44", "45-64", ">=65", "unknown"]),
        reporter: preset(&["MD", "PH", "OT", "LW", "CN", "HP", "unknown"]),
        outcome: preset(&OUTCOME_CODES),
        seriousness: preset(&["serious", "non-serious"]),
        roles: preset(&Role::ALL.map(Role::as_str)),
    };
    let mut ages = Vec::new();
    let mut onsets = Vec::new();
    let mut exclusions = Vec::new();
    // Indications are workspace PT ids; concomitant drugs ids of each quarter's vocabulary.
    let mut indications = IdTally::default();
    let mut concomitant = Tally::default();
    let mut ids: Vec<u32> = Vec::new();
    let mut target_seqs: Vec<u32> = Vec::new();
    let mut counts = CaseCounts::default();
    let mut countries: Vec<u64> = Vec::new();
    for (q, sel) in quarters.iter().zip(selections) {
        let rep = &q.reports;
        let mut quarter_drugs = IdTally::default();
        // Cases per country id of this quarter's vocabulary; the last slot: no country.
        countries.clear();
        countries.resize(q.countries.len() + 1, 0);
        for r in sel.analysed().iter().map(|&r| r as usize) {
            d.cases += 1;
            counts.sex[sex_index(rep.sex[r])] += 1;
            counts.age_group[age_band_index(rep.age_years[r])] += 1;
            if !rep.age_years[r].is_nan() {
                ages.push(f64::from(rep.age_years[r]));
            }
            *counts.year.entry(rep.fda_dt.get(r).year()).or_insert(0) += 1;
            *counts.reporter.entry(rep.occupation_of(r)).or_insert(0) += 1;
            let country = rep.reporter_country.get(r);
            let slot = if country == NO_TEXT {
                q.countries.len()
            } else {
                country as usize
            };
            countries[slot] += 1;
            let outcomes = rep.outcomes[r];
            for (bit, n) in counts.outcome.iter_mut().enumerate() {
                *n += u64::from(outcomes >> bit & 1);
            }
            counts.seriousness[usize::from(outcomes == 0)] += 1;

            // The target drug's rows: roles, and the seqs that join INDI and THER.
            target_seqs.clear();
            let mut role_bits = 0u8;
            for (row, seq) in q.drugs.with_seqs(r) {
                if sel.names_drug(&row) {
                    if let Some(role) = row.role() {
                        role_bits |= 1 << (role as u8);
                    }
                    target_seqs.push(seq);
                } else {
                    let (name, prod_ai) = q.product_of(&row);
                    let id = if prod_ai != NO_TEXT { prod_ai } else { name };
                    if id != NO_TEXT {
                        ids.push(id);
                    }
                }
            }
            quarter_drugs.add_case(&mut ids, q.drug_names.len());
            for (i, role) in Role::ALL.iter().enumerate() {
                counts.roles[i] += u64::from(role_bits >> (*role as u8) & 1);
            }
            for (seq, pt) in q.indications.of(r) {
                if target_seqs.contains(&seq) {
                    ids.push(u32::from(pt));
                }
            }
            indications.add_case(&mut ids, pts.len());
            match onset_of(q, sel, r, roles, convention) {
                Ok(days) => onsets.push(days),
                Err(why) => exclusions.push(why),
            }
        }
        concomitant.add_ids(quarter_drugs, |id| q.drug_names.name(id).to_owned());
        for (slot, &n) in countries.iter().enumerate() {
            let name = if slot == q.countries.len() {
                "unknown"
            } else {
                q.countries.name(slot as u32)
            };
            add(&mut d.country, name, n);
        }
    }
    counts.name_into(&mut d);
    ages.sort_by(f64::total_cmp);
    d.age = age_summary(&ages);
    let mut named = Tally::default();
    named.add_ids(indications, |id| pts.name(id).to_owned());
    d.indications = named.ranking();
    d.concomitant = concomitant.ranking();
    d.time_to_onset = OnsetSummary::from_days(&onsets, &exclusions, convention, z);
    d
}

/// Mean, SD and quartiles of sorted ages.
fn age_summary(sorted: &[f64]) -> AgeSummary {
    let n = sorted.len();
    let mean = (n > 0).then(|| sorted.iter().sum::<f64>() / n as f64);
    let sd = mean.filter(|_| n > 1).map(|m| {
        let ss: f64 = sorted.iter().map(|a| (a - m) * (a - m)).sum();
        (ss / (n - 1) as f64).sqrt()
    });
    AgeSummary {
        n: n as u64,
        mean: mean.map(round2),
        sd: sd.map(round2),
        median: quantile_type7(sorted, 0.5).map(round2),
        q1: quantile_type7(sorted, 0.25).map(round2),
        q3: quantile_type7(sorted, 0.75).map(round2),
        min: sorted.first().copied().map(round2),
        max: sorted.last().copied().map(round2),
    }
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
