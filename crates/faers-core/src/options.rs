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
        }
    }
}
