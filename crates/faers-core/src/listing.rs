//! Case listings: the study's Table 9, the target cases in an age range (by default the
//! children, given a drug approved for adults) with what was given to them.
//!
//! One row per DRUG row of the target drug, so a case given two doses shows both; the
//! case's outcomes and reactions repeat on each of its rows.

use serde::{Deserialize, Serialize};

use crate::describe::{round2, sex_label};
use crate::select::Selection;
use crate::store::{QuarterData, Vocabulary, DRUG_DETAIL_FIELDS, NO_TEXT, OUTCOME_CODES};

/// Which target cases are listed: age in years in `[age_from, age_below)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListingFilter {
    /// Lower bound, inclusive (years).
    pub age_from: f64,
    /// Upper bound, exclusive (years).
    pub age_below: f64,
}

impl Default for ListingFilter {
    /// Children: `[0, 18)`.
    fn default() -> Self {
        ListingFilter {
            age_from: 0.0,
            age_below: 18.0,
        }
    }
}

impl ListingFilter {
    /// The filter in words, e.g. "age < 18 years" or "age 65 to < 120 years".
    pub fn describe(&self) -> String {
        if self.age_from <= 0.0 {
            format!("age < {} years", self.age_below)
        } else {
            format!("age {} to < {} years", self.age_from, self.age_below)
        }
    }
}

/// The listing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Listing {
    /// The filter in words.
    pub filter: String,
    /// Cases listed.
    pub cases: u64,
    /// Rows, by caseid then primaryid then drug_seq.
    pub rows: Vec<ListingRow>,
}

/// One DRUG row of the target drug in a listed case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListingRow {
    /// FDA's case id (null for a legacy report without one).
    pub caseid: Option<u64>,
    /// The kept report.
    pub primaryid: u64,
    /// The quarter it was read from.
    pub quarter: String,
    /// Age in years (2 decimals).
    pub age: Option<f64>,
    /// `M`, `F`, `unknown`.
    pub sex: &'static str,
    /// Weight in kg (2 decimals).
    pub weight_kg: Option<f64>,
    /// `drugname` (normalised: upper case, blanks collapsed).
    pub drugname: String,
    /// Role code.
    pub role: Option<&'static str>,
    /// Route, dose amount, dose unit, dose form, frequency as reported.
    pub route: String,
    /// Dose amount.
    pub dose_amt: String,
    /// Dose unit.
    pub dose_unit: String,
    /// Dose form.
    pub dose_form: String,
    /// Dose frequency.
    pub dose_freq: String,
    /// Outcome codes, e.g. `"DE, HO"`.
    pub outcomes: String,
    /// The case's PTs, `"; "`-separated, sorted.
    pub reactions: String,
}

/// Lists the analysed target cases that pass `filter`.
pub fn listing(
    quarters: &[&QuarterData],
    selections: &[Selection],
    pts: &Vocabulary,
    filter: &ListingFilter,
) -> Listing {
    let mut rows = Vec::new();
    let mut cases = 0;
    for (q, sel) in quarters.iter().zip(selections) {
        let rep = &q.reports;
        for r in sel.analysed().iter().map(|&r| r as usize) {
            let age = rep.age_years[r];
            if age.is_nan()
                || f64::from(age) < filter.age_from
                || f64::from(age) >= filter.age_below
            {
                continue;
            }
            cases += 1;
            let outcomes: Vec<&str> = OUTCOME_CODES
                .iter()
                .enumerate()
                .filter(|(bit, _)| rep.outcomes[r] & (1 << bit) != 0)
                .map(|(_, c)| *c)
                .collect();
            let mut reactions: Vec<&str> =
                q.pts.of(r).iter().map(|&p| pts.name(p.into())).collect();
            reactions.sort_unstable();
            reactions.dedup();
            let weight = rep.weight_kg[r];
            for row in q.drugs.of(r) {
                if !sel.names_drug(&row) {
                    continue;
                }
                let details: Vec<&str> = match row.details() {
                    NO_TEXT => vec![""; DRUG_DETAIL_FIELDS.len()],
                    id => q.drug_details.name(id).split('$').collect(),
                };
                let field = |i: usize| details.get(i).copied().unwrap_or("").to_owned();
                rows.push(ListingRow {
                    caseid: rep.caseid_of(r).map(|c| c.get()),
                    primaryid: rep.primaryid.get(r),
                    quarter: q.quarter.to_string(),
                    age: Some(round2(f64::from(age))),
                    sex: sex_label(rep.sex[r]),
                    weight_kg: (!weight.is_nan()).then(|| round2(f64::from(weight))),
                    drugname: match q.name_of(&row) {
                        NO_TEXT => String::new(),
                        name => q.drug_names.name(name).to_owned(),
                    },
                    role: row.role().map(|r| r.as_str()),
                    route: field(0),
                    dose_amt: field(1),
                    dose_unit: field(2),
                    dose_form: field(3),
                    dose_freq: field(4),
                    outcomes: outcomes.join(", "),
                    reactions: reactions.join("; "),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.caseid, r.primaryid));
    Listing {
        filter: filter.describe(),
        cases,
        rows,
    }
}
