//! The settings of one analysis, as the page and the command line give them.
//!
//! Field names and values follow output-contract.md; every field has the documented default,
//! so `{}` plus a drug term is a complete set of options.

use serde::{Deserialize, Serialize};

use crate::store::Role;

/// How a search term matches `drugname` and `prod_ai`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// The name contains the term (case-insensitive). The default.
    #[default]
    Contains,
    /// The name equals the term (case-insensitive, blanks normalised).
    Exact,
    /// The term occurs in the name as whole words.
    Word,
}

/// The counting unit of the 2×2 tables (statistics.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Deduplicated reports: the usual convention. The default.
    #[default]
    Reports,
    /// Distinct report–PT pairs ("ADE records"): the reference study's unit.
    Pairs,
}

/// Case deduplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DedupMode {
    /// FDA's rule: per caseid the latest fda_dt, ties to the largest primaryid. The default.
    #[default]
    Fda,
    /// Per caseid the highest caseversion, then latest fda_dt, latest quarter, largest
    /// primaryid.
    Caseversion,
    /// No deduplication of case versions (a primaryid repeated in two quarters still counts
    /// once).
    None,
}

/// Whether FDA's deleted-case lists are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeletedMode {
    /// Remove every case listed in any loaded quarter's list, in all quarters. The default.
    #[default]
    Apply,
    /// Keep them.
    Ignore,
}

/// The z of the 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ZValue {
    /// 1.96, as the reference study, open-altio and AEOLUS. The default.
    #[default]
    #[serde(rename = "1.96")]
    Rounded,
    /// Φ⁻¹(0.975) = 1.959963984540054, as R packages and vigipy.
    #[serde(rename = "exact")]
    Exact,
}

impl ZValue {
    /// The number.
    pub fn value(self) -> f64 {
        match self {
            ZValue::Rounded => 1.96,
            ZValue::Exact => 1.959_963_984_540_054,
        }
    }
}

/// What a zero cell does to the ratios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZeroCells {
    /// A ratio that needs a zero cell is undefined (null), as open-altio. The default.
    #[default]
    Undefined,
    /// Haldane–Anscombe: +0.5 on all four cells of a table that has a zero (vigipy).
    Haldane,
}

/// Which χ² a criterion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Chi2Kind {
    /// Pearson's χ², as Evans et al. 2001.
    #[default]
    Pearson,
    /// Yates-corrected, as open-altio.
    Yates,
}

/// The signal criterion.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "preset")]
pub enum Criterion {
    /// The reference study: a ≥ 3 and the ROR's lower 95% bound > 1. The default.
    #[default]
    Study,
    /// Evans: PRR ≥ 2, χ² ≥ 4, a ≥ 3.
    Evans {
        /// Which χ².
        #[serde(default)]
        chi2: Chi2Kind,
    },
    /// The lower 2.5% bound of IC > 0 (Norén's closed form).
    Ic025,
    /// EB05 ≥ 2 (DuMouchel's gamma-Poisson shrinker).
    Eb05,
    /// All of the given thresholds (absent ones are not checked).
    Custom {
        /// Least a.
        #[serde(default)]
        min_a: Option<u64>,
        /// ROR lower bound must exceed this.
        #[serde(default)]
        ror_lower_above: Option<f64>,
        /// Least PRR.
        #[serde(default)]
        min_prr: Option<f64>,
        /// Least χ² (Pearson).
        #[serde(default)]
        min_chi2: Option<f64>,
        /// IC025 must exceed this.
        #[serde(default)]
        ic025_above: Option<f64>,
    },
}

/// One threshold of a custom criterion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// a is at least this.
    MinA(u64),
    /// The ROR's lower 95% bound exceeds this.
    RorLowerAbove(f64),
    /// The PRR is at least this.
    MinPrr(f64),
    /// Pearson's χ² is at least this.
    MinChi2(f64),
    /// IC025 exceeds this.
    Ic025Above(f64),
}

impl Criterion {
    /// The thresholds a custom criterion checks, in this order; none for a preset.
    pub fn thresholds(&self) -> impl Iterator<Item = Threshold> {
        let given = match *self {
            Criterion::Custom {
                min_a,
                ror_lower_above,
                min_prr,
                min_chi2,
                ic025_above,
            } => [
                min_a.map(Threshold::MinA),
                ror_lower_above.map(Threshold::RorLowerAbove),
                min_prr.map(Threshold::MinPrr),
                min_chi2.map(Threshold::MinChi2),
                ic025_above.map(Threshold::Ic025Above),
            ],
            _ => [None; 5],
        };
        given.into_iter().flatten()
    }

    /// The criterion in words, as stated in the result.
    pub fn describe(&self) -> String {
        match self {
            Criterion::Study => "a >= 3 and ror_lower > 1".into(),
            Criterion::Evans { chi2 } => format!(
                "prr >= 2 and {} >= 4 and a >= 3 (Evans)",
                match chi2 {
                    Chi2Kind::Pearson => "chi2 (Pearson)",
                    Chi2Kind::Yates => "chi2_yates",
                }
            ),
            Criterion::Ic025 => "ic025 > 0".into(),
            Criterion::Eb05 => "eb05 >= 2".into(),
            Criterion::Custom { .. } => {
                let parts: Vec<String> = self
                    .thresholds()
                    .map(|t| match t {
                        Threshold::MinA(v) => format!("a >= {v}"),
                        Threshold::RorLowerAbove(v) => format!("ror_lower > {v}"),
                        Threshold::MinPrr(v) => format!("prr >= {v}"),
                        Threshold::MinChi2(v) => format!("chi2 >= {v}"),
                        Threshold::Ic025Above(v) => format!("ic025 > {v}"),
                    })
                    .collect();
                if parts.is_empty() {
                    "no condition (every PT)".into()
                } else {
                    parts.join(" and ")
                }
            }
        }
    }
}

/// Adjustment for testing many PTs at once, applied to the ROR's Wald p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Adjustment {
    /// None. The default.
    #[default]
    None,
    /// Bonferroni: p × m.
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate.
    Bh,
}

/// How IC's credibility bounds are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IcBounds {
    /// Norén's closed-form approximation. The default.
    #[default]
    Closed,
    /// Exact gamma quantiles (shape a+0.5, rate E+0.5).
    Exact,
}

/// The likelihood convention of the EBGM prior fit (statistics.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EbgmLikelihood {
    /// Reported pairs, each gamma component truncated at n ≥ 1 (FDA's openEBGM). The default.
    #[default]
    Component,
    /// Reported pairs, the mixture truncated at n ≥ 1 (vigipy).
    Mixture,
    /// All drug–event cells including unreported ones, untruncated (DuMouchel 1999, PhViD).
    All,
}

/// Everything that decides an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisOptions {
    /// Generic and brand names searched for.
    pub drugs: Vec<String>,
    /// How the terms match.
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    /// Roles that make a report a target report.
    pub roles: Vec<Role>,
    /// Counting unit.
    pub unit: Unit,
    /// Deduplication.
    pub dedup: DedupMode,
    /// Deleted-case lists.
    pub deleted: DeletedMode,
    /// Also remove rule-based duplicates across caseids (off by default).
    pub rule_dedup: bool,
    /// Matched spellings the reviewer unticked (compared after normalisation): rows
    /// naming the drug only by one of these do not select a report.
    pub exclude: Vec<String>,
    /// z of the 95% intervals.
    pub z: ZValue,
    /// Zero-cell convention.
    pub zero_cells: ZeroCells,
    /// Signal criterion.
    pub criterion: Criterion,
    /// Multiplicity adjustment; when not `none`, a signal also needs an adjusted p < 0.05.
    pub adjust: Adjustment,
    /// IC025/IC975: closed form or exact.
    pub ic: IcBounds,
    /// Also the conditional-MLE odds ratio with Fisher's exact interval (DiAna's ROR).
    pub cmle: bool,
    /// Compute EBGM (fits a prior over every drug–event pair of the data: seconds).
    pub ebgm: bool,
    /// The likelihood convention of that fit.
    pub ebgm_likelihood: EbgmLikelihood,
    /// Stratify EBGM's expected counts by age band × sex × year of fda_dt (reported-pairs
    /// likelihoods only).
    pub ebgm_strata: bool,
    /// Which target cases the case listing shows (by default age < 18).
    pub listing: crate::listing::ListingFilter,
    /// Time to onset: event − start (`+0`, the default) or + 1 day (`+1`).
    pub onset: crate::onset::OnsetConvention,
    /// The reviewer's own listedness calls, by PT (any case): `"not listed"`, `"listed"`,
    /// or a section name (`"boxed warning"`, `"warnings and precautions"`, `"warnings"`,
    /// `"adverse reactions"`, `"label text"`). They replace the label's call.
    pub label_overrides: std::collections::BTreeMap<String, String>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            drugs: Vec::new(),
            match_mode: MatchMode::default(),
            roles: vec![Role::PS, Role::SS],
            unit: Unit::default(),
            dedup: DedupMode::default(),
            deleted: DeletedMode::default(),
            rule_dedup: false,
            exclude: Vec::new(),
            z: ZValue::default(),
            zero_cells: ZeroCells::default(),
            criterion: Criterion::default(),
            adjust: Adjustment::default(),
            ic: IcBounds::default(),
            cmle: false,
            ebgm: false,
            ebgm_likelihood: EbgmLikelihood::default(),
            ebgm_strata: false,
            listing: crate::listing::ListingFilter::default(),
            onset: crate::onset::OnsetConvention::default(),
            label_overrides: std::collections::BTreeMap::new(),
        }
    }
}
