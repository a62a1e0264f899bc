//! The result object shared by the page and the command line (output-contract.md).
//!
//! Field names are a public contract: scripts and tests rely on them. Maps are ordered
//! (`BTreeMap`) and vectors sorted so that the same inputs and settings serialise to the
//! same bytes.

use serde::Serialize;

use crate::describe::Descriptive;
use crate::options::{DedupMode, DeletedMode, MatchMode, Unit};
use crate::stats::Measures;
use crate::store::Role;
use crate::summary::InputSummary;

/// The whole result of one analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisResult {
    /// Every option in force, defaults included, and the conventions used.
    pub settings: Settings,
    /// One entry per input file, sorted by name.
    pub inputs: Vec<InputSummary>,
    /// The deduplication funnel and the target totals.
    pub counts: Counts,
    /// One row per PT with a ≥ 1, sorted by PT.
    pub signals: Vec<Signal>,
    /// Every spelling that matched a term, with its analysed target reports.
    pub matched_names: Vec<MatchedName>,
    /// Who the target cases are.
    pub descriptive: Descriptive,
    /// The target cases in the listing's age range, with their doses (Table 9).
    pub listing: crate::listing::Listing,
    /// Signals per primary SOC, largest first; null without the user's MedDRA.
    pub by_soc: Option<Vec<SocSummary>>,
    /// The label the signals were checked against (null when none was loaded).
    pub label: Option<LabelSummary>,
    /// The EBGM prior fit (null unless EBGM was asked for).
    pub ebgm_fit: Option<EbgmFitSummary>,
    /// Which quarters the data covers, and the gaps in it.
    pub coverage: Coverage,
    /// For each term that matched nothing, close spellings from the loaded data.
    pub suggestions: Vec<TermSuggestions>,
    /// Notes about the analysis as a whole (e.g. a term that matched nothing).
    pub warnings: Vec<String>,
}

/// "Did you mean" for a term that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermSuggestions {
    /// The term, normalised.
    pub term: String,
    /// Close spellings (and their brand/generic partners), best first.
    pub suggestions: Vec<String>,
}

/// The quarters loaded, and those missing between the first and the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The earliest quarter loaded.
    pub first: String,
    /// The latest quarter loaded.
    pub last: String,
    /// Every quarter loaded, in order.
    pub quarters: Vec<String>,
    /// Quarters between the first and the last that are not loaded: counts from such a
    /// period are incomplete, and cases updated in a missing quarter keep an older version.
    pub missing: Vec<String>,
}

/// Options and conventions, stated in the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// `"faers"`.
    pub tool: &'static str,
    /// The tool's version.
    pub version: &'static str,
    /// The search terms as given.
    pub drugs: Vec<String>,
    /// The terms after normalisation (upper-case, blanks collapsed), as matched.
    pub drug_terms: Vec<String>,
    /// How terms match, and which fields they are matched against.
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    /// `["drugname", "prod_ai"]`.
    pub match_fields: [&'static str; 2],
    /// Roles that make a target report.
    pub roles: Vec<Role>,
    /// Counting unit.
    pub unit: Unit,
    /// Deduplication.
    pub dedup: DedupMode,
    /// Deleted-case lists.
    pub deleted: DeletedMode,
    /// Rule-based duplicates removed.
    pub rule_dedup: bool,
    /// Spellings excluded by the reviewer (normalised).
    pub exclude: Vec<String>,
    /// The MedDRA release loaded by the user (null when none: no SOC grouping).
    pub meddra: Option<String>,
    /// Which reports make up N.
    pub population: &'static str,
    /// The z of the 95% intervals.
    pub z: f64,
    /// The zero-cell convention.
    pub zero_cells: crate::options::ZeroCells,
    /// The signal criterion (preset and thresholds).
    pub criterion: crate::options::Criterion,
    /// Multiplicity adjustment.
    pub adjust: crate::options::Adjustment,
    /// IC025/IC975: closed form or exact.
    pub ic: crate::options::IcBounds,
    /// Whether the conditional-MLE odds ratio was computed.
    pub cmle: bool,
    /// Whether EBGM was computed.
    pub ebgm: bool,
    /// The likelihood convention of the EBGM prior fit.
    pub ebgm_likelihood: crate::options::EbgmLikelihood,
    /// Whether EBGM's expected counts were asked to be stratified.
    pub ebgm_strata: bool,
    /// The signal criterion in words.
    pub signal_rule: String,
    /// Which target cases are listed.
    pub listing: crate::listing::ListingFilter,
    /// Time-to-onset convention.
    pub onset: crate::onset::OnsetConvention,
    /// The reviewer's listedness calls (PT upper-cased → call), as given.
    pub label_overrides: std::collections::BTreeMap<String, String>,
}

/// The deduplication funnel and target totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// DEMO rows read over all quarters.
    pub demo_rows: u64,
    /// Distinct primaryids.
    pub distinct_reports: u64,
    /// Removed as listed in FDA's deleted-case lists.
    pub deleted_removed: u64,
    /// Removed as superseded by a kept version of the same case.
    pub superseded_removed: u64,
    /// Removed as rule-based duplicates of another case's report.
    pub rule_duplicates_removed: u64,
    /// Reports analysed (after deduplication).
    pub reports: u64,
    /// Distinct report–PT pairs of the analysed reports.
    pub pairs: u64,
    /// Analysed target reports.
    pub target_reports: u64,
    /// Distinct report–PT pairs of the analysed target reports.
    pub target_pairs: u64,
}

/// One PT's 2×2 table, measures and signal flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// The preferred term, upper-cased and trimmed.
    pub pt: String,
    /// Target drug & this PT.
    pub a: u64,
    /// Target drug & other PTs.
    pub b: u64,
    /// Other drugs & this PT.
    pub c: u64,
    /// Neither.
    pub d: u64,
    /// The measures.
    #[serde(flatten)]
    pub measures: Measures,
    /// EBGM with EB05/EB95 (null unless computed).
    pub ebgm: Option<EbgmScore>,
    /// The ROR's Wald p-value after the multiplicity adjustment in force (equal to
    /// `p_value` without one).
    pub p_adjusted: Option<f64>,
    /// Meets the signal criterion in force (`settings.signal_rule`).
    pub signal: bool,
    /// MedDRA PT code (when the user loaded MedDRA and the term was found).
    pub pt_code: Option<u32>,
    /// Primary SOC (with MedDRA).
    pub soc: Option<String>,
    /// HLGT and HLT of the primary path (with MedDRA).
    pub hlgt: Option<String>,
    /// HLT of the primary path (with MedDRA).
    pub hlt: Option<String>,
    /// Every SOC the PT belongs to (with MedDRA), primary first.
    pub socs: Vec<String>,
    /// How the term was found in MedDRA: `"pt"`, `"llt"` (through a lowest-level term), or
    /// null (not found, or no MedDRA loaded).
    pub meddra_match: Option<crate::meddra::MappedBy>,
    /// Whether the loaded label lists the PT: the section that names it (`"boxed
    /// warning"`, `"warnings and precautions"`, `"warnings"`, `"adverse reactions"`,
    /// `"label text"`), `"listed"` (a reviewer's call without a section), `"not listed"`,
    /// or null when no label is loaded.
    pub listed: Option<String>,
    /// What made the call: the term found in the label (the PT or one of its MedDRA
    /// LLTs), or `"reviewer"` for an override; null when not listed by the label.
    pub listed_by: Option<String>,
}

/// The label the signals were checked against, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelSummary {
    /// The file it was read from.
    pub source: String,
    /// `"spl"` or `"text"`.
    pub format: crate::label::LabelFormat,
    /// The document title.
    pub title: Option<String>,
    /// SPL set id.
    pub set_id: Option<String>,
    /// SPL version number.
    pub version: Option<String>,
    /// SPL effective time (YYYYMMDD).
    pub effective_time: Option<String>,
    /// Sections read, with their words.
    pub sections: Vec<LabelSectionSummary>,
    /// Whether MedDRA LLTs were used as synonyms of each PT.
    pub synonyms: bool,
    /// Signals (meeting the criterion) that the label lists.
    pub listed_signals: u64,
    /// Signals that it does not list: the new ones.
    pub new_signals: u64,
    /// Calls changed by the reviewer.
    pub overrides: u64,
}

/// One section of the label that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelSectionSummary {
    /// The section kind.
    pub kind: crate::label::SectionKind,
    /// Its title in the label.
    pub title: Option<String>,
    /// Words in it.
    pub words: u64,
}

/// The fitted gamma-mixture prior of DuMouchel's shrinker, and how it was fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EbgmFitSummary {
    /// The likelihood convention, in words.
    pub likelihood: &'static str,
    /// (α1, β1, α2, β2, P); null when the fit failed.
    pub prior: Option<crate::ebgm::Prior>,
    /// −log L at the prior.
    pub neg_log_likelihood: Option<f64>,
    /// Whether the optimiser reported convergence.
    pub converged: bool,
    /// Optimiser iterations.
    pub iterations: u64,
    /// Reported drug–event pairs fitted.
    pub pairs: u64,
    /// Unreported cells included (all-cells convention only).
    pub unreported_cells: u64,
    /// N: analysed reports with a drug in the selected roles and a PT.
    pub reports: u64,
    /// What a "drug" is in the pairs.
    pub drug: &'static str,
    /// Whether E was stratified by age band × sex × year of fda_dt.
    pub stratified: bool,
}

/// DuMouchel's empirical Bayes geometric mean for one PT.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EbgmScore {
    /// EBGM.
    pub ebgm: Option<f64>,
    /// 5% quantile of the posterior.
    pub eb05: Option<f64>,
    /// 95% quantile of the posterior.
    pub eb95: Option<f64>,
}

/// Signals per System Organ Class (the study's Table 3), by primary SOC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SocSummary {
    /// SOC name.
    pub soc: String,
    /// SOC code.
    pub soc_code: u32,
    /// PTs reported with the drug (a ≥ 1) whose primary SOC this is.
    pub pts: u64,
    /// Of them, signals.
    pub signals: u64,
    /// Target reports (or pairs) with a PT of this SOC, summed over its PTs.
    pub events: u64,
}

/// A drug spelling that matched a search term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedName {
    /// The spelling (normalised).
    pub name: String,
    /// `"drugname"` or `"prod_ai"`.
    pub field: &'static str,
    /// Analysed target reports with this spelling.
    pub reports: u64,
}
