//! The loaded data and the analysis over it: what the page's worker and the CLI both hold.
//!
//! Files are added one at a time (each read by [`crate::ingest::read_zip`]); each quarter's
//! PT ids are rewritten into one workspace vocabulary so that every query counts all
//! quarters in one pass. A query never re-reads a file.

use std::io::{Read, Seek};

use crate::count::{Margins, PtCounts};
use crate::dedup::{deduplicate, DedupOutcome};
use crate::describe::describe;
use crate::error::InputError;
use crate::ingest::{read_zip_hashed, FileHash};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::ebgm::Likelihood;
use crate::options::{EbgmLikelihood, IcBounds};
use crate::pairs::drug_event_pairs;
use crate::report::{EbgmFitSummary, EbgmScore};

use crate::meddra::Meddra;
use crate::members::Quarter;
use crate::options::AnalysisOptions;
use crate::options::{Adjustment, Chi2Kind, Criterion, Threshold, ZeroCells};
use crate::report::{
    AnalysisResult, Counts, Coverage, MatchedName, Settings, Signal, SocSummary, TermSuggestions,
};
use crate::select::{matched_spellings, Selection, Terms};
use crate::stats::{adjust_p_values, Measures};
use crate::store::{PtId, QuarterData, Vocabulary, MAX_PTS};
use crate::summary::InputSummary;

/// Why an analysis cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    /// No search term was given.
    NoDrug,
    /// No role was selected.
    NoRoles,
    /// No file could be read.
    NoData,
    /// A listedness override that is not a call.
    BadOverride(crate::listedness::BadOverride),
    /// The listing's age range is empty or not a range of ages.
    BadListing,
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::NoDrug => f.write_str("enter at least one drug name (generic or brand)"),
            AnalysisError::NoRoles => {
                f.write_str("select at least one drug role (PS, SS, C, I or DN)")
            }
            AnalysisError::NoData => {
                f.write_str("no FAERS quarter is loaded: add at least one readable zip")
            }
            AnalysisError::BadOverride(bad) => bad.fmt(f),
            AnalysisError::BadListing => f.write_str(
                "the listing's ages must be numbers from 0 up, the first below the second",
            ),
        }
    }
}

impl std::error::Error for AnalysisError {}

impl AnalysisOptions {
    /// What makes these options unusable whatever the data: no drug term, no role, an age
    /// range that is none, a listedness call that is not one. [`Workspace::analyze`] checks
    /// it too; a caller about to read many files checks it first, so that a mistyped option
    /// is said at once and not after the files are read.
    pub fn check(&self) -> Result<(), AnalysisError> {
        if Terms::new(&self.drugs).is_empty() {
            return Err(AnalysisError::NoDrug);
        }
        if self.roles.is_empty() {
            return Err(AnalysisError::NoRoles);
        }
        let l = self.listing;
        if !(l.age_from.is_finite() && l.age_from >= 0.0 && l.age_from < l.age_below) {
            return Err(AnalysisError::BadListing);
        }
        crate::listedness::check_overrides(&self.label_overrides)
            .map_err(AnalysisError::BadOverride)
    }
}

/// Missing quarters in words: runs of three or more as a range ("2004Q2–2017Q1, 52
/// quarters"), shorter runs listed, so a long gap stays one readable line.
pub(crate) fn quarter_runs(quarters: &[String]) -> String {
    let index = |q: &str| -> Option<i32> {
        let (y, n) = q.split_once('Q')?;
        Some(y.parse::<i32>().ok()? * 4 + n.parse::<i32>().ok()?)
    };
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, parts: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 | 2 => parts.extend(run.iter().map(|q| q.to_string())),
            n => parts.push(format!("{}–{} ({n} quarters)", run[0], run[n - 1])),
        }
        run.clear();
    };
    for q in quarters {
        let follows = run
            .last()
            .and_then(|last| Some(index(last)? + 1 == index(q)?))
            .unwrap_or(false);
        if !follows {
            flush(&mut run, &mut parts);
        }
        run.push(q);
    }
    flush(&mut run, &mut parts);
    parts.join(", ")
}

/// The criterion in force, in words, with its multiplicity adjustment.
fn signal_rule(options: &AnalysisOptions) -> String {
    let rule = options.criterion.describe();
    match options.adjust {
        Adjustment::None => rule,
        Adjustment::Bonferroni => {
            format!("{rule}, and Bonferroni-adjusted p < 0.05 (ROR Wald test)")
        }
        Adjustment::Bh => {
            format!("{rule}, and Benjamini-Hochberg-adjusted p < 0.05 (ROR Wald test)")
        }
    }
}

/// Does a PT meet the criterion (before any multiplicity adjustment)?
fn is_signal(criterion: &Criterion, s: &Signal) -> bool {
    let m = &s.measures;
    let above = |v: Option<f64>, t: f64| v.is_some_and(|v| v > t);
    let at_least = |v: Option<f64>, t: f64| v.is_some_and(|v| v >= t);
    match *criterion {
        Criterion::Study => s.a >= 3 && above(m.ror_lower, 1.0),
        Criterion::Evans { chi2 } => {
            let chi = match chi2 {
                Chi2Kind::Pearson => m.chi2,
                Chi2Kind::Yates => m.chi2_yates,
            };
            s.a >= 3 && at_least(m.prr, 2.0) && at_least(chi, 4.0)
        }
        Criterion::Ic025 => above(m.ic025, 0.0),
        Criterion::Eb05 => at_least(s.ebgm.and_then(|e| e.eb05), 2.0),
        Criterion::Custom { .. } => criterion.thresholds().all(|t| match t {
            Threshold::MinA(v) => s.a >= v,
            Threshold::RorLowerAbove(v) => above(m.ror_lower, v),
            Threshold::MinPrr(v) => at_least(m.prr, v),
            Threshold::MinChi2(v) => at_least(m.chi2, v),
            Threshold::Ic025Above(v) => above(m.ic025, v),
        }),
    }
}

/// Loaded quarters and the summaries of every file offered.
#[derive(Debug, Default)]
pub struct Workspace {
    inputs: Vec<InputSummary>,
    quarters: Vec<QuarterData>,
    pts: Vocabulary,
    meddra: Option<Meddra>,
    label: Option<crate::label::Label>,
    /// The last EBGM prior fit: fitting over every drug–event pair takes seconds, and it
    /// depends only on the data and the deduplication, roles and likelihood, not the drug.
    ebgm_cache: RefCell<Option<(EbgmKey, Rc<EbgmFitted>)>>,
    /// The last few deduplications: they depend only on the data and three options, not on
    /// the drug, and are most of a query's time (sorting every report by case).
    dedup_cache: RefCell<Vec<(DedupKey, Rc<Deduplicated>)>>,
    /// A deduplication computed for a file before it is added ([`Workspace::prepare_ahead`]):
    /// it joins `dedup_cache` if that file is the next one added, as read.
    ahead: RefCell<Option<Ahead>>,
}

/// See [`Workspace::prepare_ahead`].
#[derive(Debug)]
struct Ahead {
    /// The file, and what its quarter had when the deduplication was computed.
    name: String,
    quarter: Quarter,
    reports: usize,
    /// The workspace ids its PTs were counted under (those the add gives them).
    pt_ids: Vec<PtId>,
    key: DedupKey,
    kept: Rc<Deduplicated>,
}

/// A deduplication, and the 2×2 margins over it (counted when a query first needs them).
#[derive(Debug)]
struct Deduplicated {
    outcome: DedupOutcome,
    margins: std::cell::OnceCell<Margins>,
}

impl Deduplicated {
    /// A deduplication, its margins not counted yet.
    fn new(outcome: DedupOutcome) -> Rc<Deduplicated> {
        Rc::new(Deduplicated {
            outcome,
            margins: std::cell::OnceCell::new(),
        })
    }

    /// The margins over these quarters (the ones deduplicated), counted the first time.
    fn margins(&self, quarters: &[&QuarterData], pt_count: usize) -> &Margins {
        self.margins
            .get_or_init(|| Margins::count(quarters, &self.outcome.kept, pt_count))
    }
}

/// What a deduplication depends on (quarters are only ever added, or all cleared).
#[derive(Debug, Clone, Copy, PartialEq)]
struct DedupKey {
    quarters: usize,
    dedup: crate::options::DedupMode,
    deleted: crate::options::DeletedMode,
    rule_dedup: bool,
}

/// Deduplications kept: the sensitivity panel's four standard variants, one of which is
/// usually the query's own.
const DEDUP_CACHE: usize = 4;

/// Keeps `kept` in `cache` as the most recently used deduplication: those of other data (a
/// different number of quarters) go, and the least recently used when the cache is full.
fn remember(cache: &mut Vec<(DedupKey, Rc<Deduplicated>)>, key: DedupKey, kept: Rc<Deduplicated>) {
    cache.retain(|(k, _)| k.quarters == key.quarters);
    if cache.len() == DEDUP_CACHE {
        cache.remove(0);
    }
    cache.push((key, kept));
}

/// What an EBGM prior fit depends on.
#[derive(Debug, Clone, PartialEq)]
struct EbgmKey {
    quarters: usize,
    dedup: crate::options::DedupMode,
    deleted: crate::options::DeletedMode,
    rule_dedup: bool,
    roles: Vec<crate::store::Role>,
    likelihood: EbgmLikelihood,
    strata: bool,
}

/// A fitted prior with the margins needed to score the target drug.
#[derive(Debug)]
struct EbgmFitted {
    summary: EbgmFitSummary,
    prior: Option<crate::ebgm::Prior>,
    event_margin: crate::store::FastMap<u32, u64>,
    reports: u64,
    /// With stratified E: per PT, (stratum, reports); and reports per stratum.
    strata: Option<StrataMargins>,
}

/// Per PT the (stratum, reports) list, and the reports of each stratum.
type StrataMargins = (
    crate::store::FastMap<u32, Vec<(u32, u64)>>,
    crate::store::FastMap<u32, u64>,
);

impl Workspace {
    /// An empty workspace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one zip and adds it. Returns the file's summary; a file that cannot be used
    /// (not a zip, no tables, a quarter already loaded) is summarised with its error and
    /// the workspace is otherwise unchanged.
    pub fn add_zip<R: Read + Seek>(
        &mut self,
        name: &str,
        reader: R,
        progress: &mut dyn FnMut(u64, u64),
    ) -> &InputSummary {
        self.add_zip_hashed(name, reader, None, progress)
    }

    /// As [`Workspace::add_zip`], with the file's SHA-256 already computed by the caller.
    pub fn add_zip_hashed<R: Read + Seek>(
        &mut self,
        name: &str,
        reader: R,
        sha256: Option<String>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> &InputSummary {
        let (summary, data) = read_zip_hashed(name, reader, FileHash::given(sha256), progress);
        self.add_read(summary, data)
    }

    /// Adds what [`crate::ingest::read_zip`] returned (e.g. read on another thread), unless
    /// its file or quarter is already loaded.
    pub fn add_read(
        &mut self,
        mut summary: InputSummary,
        data: Option<QuarterData>,
    ) -> &InputSummary {
        let ahead = self.ahead.get_mut().take();
        if let Some(mut data) = data {
            let (global, named) = self.pt_ids(&data.pt_names);
            let loaded = self.inputs.iter().filter(|s| s.is_ok()).find(|s| {
                (!s.sha256.is_empty() && s.sha256 == summary.sha256) || s.quarter == summary.quarter
            });
            if let Some(other) = loaded {
                summary.error = Some(
                    InputError::Duplicate {
                        file: summary.name.clone(),
                        other: other.name.clone(),
                        quarter: data.quarter.to_string(),
                    }
                    .to_string(),
                );
            } else if named > MAX_PTS {
                summary.error = Some(
                    InputError::TooManyPts {
                        file: summary.name.clone(),
                    }
                    .to_string(),
                );
            } else {
                // The quarter's PT ids become the workspace's (`global`, interned here in the
                // order `pt_ids` gave them): below MAX_PTS, checked above.
                for (name, &id) in data.pt_names.names().iter().zip(&global) {
                    let interned = self.pts.intern(name);
                    debug_assert_eq!(interned as PtId, id);
                }
                for pt in data.pts.items_mut() {
                    *pt = global[usize::from(*pt)];
                }
                for pt in data.indications.values_mut() {
                    *pt = global[usize::from(*pt)];
                }
                data.pt_names = Vocabulary::default();
                let reports = data.reports.len();
                let quarter = data.quarter;
                self.quarters.push(data);
                if let Some(ahead) = ahead.filter(|a| {
                    a.name == summary.name
                        && a.quarter == quarter
                        && a.reports == reports
                        && a.pt_ids == global
                        && a.key.quarters == self.quarters.len()
                }) {
                    remember(self.dedup_cache.get_mut(), ahead.key, ahead.kept);
                }
            }
        }
        self.inputs.push(summary);
        self.inputs.last().expect("just pushed")
    }

    /// The workspace ids a quarter's PTs (`names`) take when it is added: the workspace's own
    /// for names it has, then new ones in order; and how many PTs the workspace then names
    /// (the ids are only meaningful up to [`MAX_PTS`]).
    fn pt_ids(&self, names: &Vocabulary) -> (Vec<PtId>, usize) {
        let mut named = self.pts.len();
        let ids = names
            .names()
            .iter()
            .map(|n| {
                self.pts.get(n).unwrap_or_else(|| {
                    named += 1;
                    (named - 1) as u32
                }) as PtId
            })
            .collect();
        (ids, named)
    }

    /// A loaded quarter (e.g. `"2024Q3"`) and its file's summary as bytes, to keep and to
    /// add again later with [`Workspace::add_snapshot`] without reading the zip.
    pub fn snapshot(&self, quarter: &str) -> Option<Vec<u8>> {
        let data = self
            .quarters
            .iter()
            .find(|q| q.quarter.to_string() == quarter)?;
        let summary = self
            .inputs
            .iter()
            .find(|s| s.is_ok() && s.quarter.as_deref() == Some(quarter))?;
        Some(crate::snapshot::encode(summary, data, &self.pts))
    }

    /// Adds a quarter kept with [`Workspace::snapshot`]. A snapshot that cannot be read is
    /// refused with the reason and changes nothing; one whose file or quarter is already
    /// loaded is summarised with that error, as a zip would be.
    pub fn add_snapshot(
        &mut self,
        bytes: &[u8],
    ) -> Result<&InputSummary, crate::snapshot::SnapshotError> {
        let (summary, data) = crate::snapshot::decode(bytes)?;
        Ok(self.add_read(summary, Some(data)))
    }

    /// Whether `quarter` (e.g. `"2024Q3"`) is loaded: a file of it would be refused.
    pub fn has_quarter(&self, quarter: &str) -> bool {
        self.inputs
            .iter()
            .any(|s| s.is_ok() && s.quarter.as_deref() == Some(quarter))
    }

    /// Gives its SHA-256 to the file `name`, added before its hash was known (read with
    /// [`FileHash::Later`]): the browser shows a split file's table first and hashes it
    /// while the table is drawn. `Ok(false)` when no file of that name is waiting for one;
    /// `Err` (and nothing set) unless `sha256` is 64 hex digits.
    pub fn give_sha256(&mut self, name: &str, sha256: &str) -> Result<bool, InputError> {
        crate::ingest::give_sha256_to_named(&mut self.inputs, name, sha256)
    }

    /// Adds a file read before its hash is known ([`FileHash::Later`]; the hash follows with
    /// [`Workspace::give_sha256`]), unless its quarter is loaded already: then only the hash
    /// can tell whether it is that very file (not to be added at all) or another file of the
    /// quarter (refused, as [`Workspace::add_read`] refuses it), and the read is given back
    /// to be added with its hash.
    #[allow(clippy::result_large_err)]
    pub fn add_before_hash(
        &mut self,
        summary: InputSummary,
        data: Option<QuarterData>,
    ) -> Result<&InputSummary, (InputSummary, Option<QuarterData>)> {
        let loaded = data
            .as_ref()
            .is_some_and(|d| self.has_quarter(&d.quarter.to_string()));
        if loaded {
            return Err((summary, data));
        }
        Ok(self.add_read(summary, data))
    }

    /// Summaries of every file offered so far, in the order offered.
    pub fn inputs(&self) -> &[InputSummary] {
        &self.inputs
    }

    /// The loaded quarters.
    pub fn quarters(&self) -> &[QuarterData] {
        &self.quarters
    }

    /// The text of a workspace PT id (reactions and indications share the vocabulary).
    pub fn pt_name(&self, id: u32) -> &str {
        self.pts.name(id)
    }

    /// The deduplication under `options`' three deduplication settings, from the cache when
    /// they and the data are unchanged.
    fn deduplicated(
        &self,
        quarters: &[&QuarterData],
        options: &AnalysisOptions,
    ) -> Rc<Deduplicated> {
        let (dedup, deleted, rule_dedup) = (options.dedup, options.deleted, options.rule_dedup);
        let key = DedupKey {
            quarters: quarters.len(),
            dedup,
            deleted,
            rule_dedup,
        };
        let mut cache = self.dedup_cache.borrow_mut();
        cache.retain(|(k, _)| k.quarters == key.quarters);
        if let Some(i) = cache.iter().position(|(k, _)| *k == key) {
            // Most recently used last.
            let hit = cache.remove(i);
            cache.push(hit);
        } else {
            let outcome = deduplicate(quarters, dedup, deleted, rule_dedup);
            remember(&mut cache, key, Deduplicated::new(outcome));
        }
        cache.last().expect("just pushed").1.clone()
    }

    /// The EBGM prior over every drug–event pair of the analysed reports, cached.
    fn ebgm_fit(
        &self,
        quarters: &[&QuarterData],
        kept: &[Vec<bool>],
        roles: &[crate::store::Role],
        options: &AnalysisOptions,
    ) -> Rc<EbgmFitted> {
        let key = EbgmKey {
            quarters: self.quarters.len(),
            dedup: options.dedup,
            deleted: options.deleted,
            rule_dedup: options.rule_dedup,
            roles: roles.to_vec(),
            likelihood: options.ebgm_likelihood,
            strata: self.ebgm_strata(options),
        };
        if let Some((k, fitted)) = self.ebgm_cache.borrow().as_ref() {
            if *k == key {
                return fitted.clone();
            }
        }
        let likelihood = match options.ebgm_likelihood {
            EbgmLikelihood::Component => Likelihood::PerComponentTruncated,
            EbgmLikelihood::Mixture => Likelihood::MixtureTruncated,
            EbgmLikelihood::All => Likelihood::AllCells,
        };
        let table = drug_event_pairs(
            quarters,
            kept,
            roles,
            likelihood == Likelihood::AllCells,
            key.strata,
        );
        let mut grouped: Vec<(u64, f64, u64)> =
            table.reported.iter().map(|&(n, e)| (n, e, 1)).collect();
        grouped.extend_from_slice(&table.unreported);
        let fit = crate::ebgm::fit_grouped(&grouped, likelihood, None);
        let fitted = Rc::new(EbgmFitted {
            summary: EbgmFitSummary {
                likelihood: likelihood.describe(),
                prior: fit.map(|f| f.prior),
                neg_log_likelihood: fit.map(|f| f.neg_log_likelihood),
                converged: fit.is_some_and(|f| f.converged),
                iterations: fit.map_or(0, |f| f.iterations as u64),
                pairs: table.reported.len() as u64,
                unreported_cells: table.unreported.iter().map(|u| u.2).sum(),
                reports: table.reports,
                drug: "prod_ai where given, else drugname (normalised)",
                stratified: key.strata,
            },
            prior: fit.map(|f| f.prior),
            event_margin: table.event_margin,
            reports: table.reports,
            strata: key
                .strata
                .then_some((table.event_strata, table.stratum_reports)),
        });
        *self.ebgm_cache.borrow_mut() = Some((key, fitted.clone()));
        fitted
    }

    /// Stratified E only with a reported-pairs likelihood: the all-cells convention would
    /// need every unreported cell's stratified E, which does not group.
    fn ebgm_strata(&self, options: &AnalysisOptions) -> bool {
        options.ebgm_strata && options.ebgm_likelihood != EbgmLikelihood::All
    }

    /// Every version of one case, which was kept under `options` and why.
    pub fn case_history(
        &self,
        caseid: u64,
        options: &AnalysisOptions,
    ) -> Result<crate::dedup::CaseHistory, AnalysisError> {
        if self.quarters.is_empty() {
            return Err(AnalysisError::NoData);
        }
        let quarters: Vec<&QuarterData> = self.quarters.iter().collect();
        let deduplicated = self.deduplicated(&quarters, options);
        Ok(crate::dedup::explain(
            &quarters,
            &deduplicated.outcome,
            options.dedup,
            options.deleted,
            caseid,
        ))
    }

    /// The analysis under several deduplication settings, side by side.
    pub fn sensitivity(
        &self,
        options: &AnalysisOptions,
        variants: &[crate::sensitivity::DedupVariant],
    ) -> Result<crate::sensitivity::Sensitivity, AnalysisError> {
        crate::sensitivity::compare(self, options, variants)
    }

    /// The quarters loaded and the gaps between them (requires at least one quarter).
    pub fn coverage(&self) -> Coverage {
        let mut loaded: Vec<Quarter> = self.quarters.iter().map(|q| q.quarter).collect();
        loaded.sort();
        let index = |q: Quarter| i32::from(q.year) * 4 + i32::from(q.quarter) - 1;
        let (first, last) = (loaded[0], loaded[loaded.len() - 1]);
        let missing = (index(first)..=index(last))
            .map(|i| Quarter {
                year: (i / 4) as u16,
                quarter: (i % 4 + 1) as u8,
            })
            .filter(|q| !loaded.contains(q))
            .map(|q| q.to_string())
            .collect();
        Coverage {
            first: first.to_string(),
            last: last.to_string(),
            quarters: loaded.iter().map(Quarter::to_string).collect(),
            missing,
        }
    }

    /// Forgets every loaded quarter (the MedDRA files stay loaded).
    pub fn clear(&mut self) {
        let meddra = self.meddra.take();
        *self = Workspace {
            meddra,
            ..Workspace::default()
        };
    }

    /// Computes what every query with `options`' deduplication settings shares, whatever the
    /// drug: the deduplication and the 2×2 margins (e.g. while the reviewer types the drug's
    /// name, so that the first query after loading is as quick as the next ones).
    pub fn prepare(&self, options: &AnalysisOptions) {
        if self.quarters.is_empty() {
            return;
        }
        let quarters: Vec<&QuarterData> = self.quarters.iter().collect();
        let kept = self.deduplicated(&quarters, options);
        kept.margins(&quarters, self.pts.len());
    }

    /// Computes [`Workspace::prepare`]'s deduplication and margins as they will be once
    /// `next`, read from the file `name`, is added (a quarter as
    /// [`crate::ingest::PendingQuarter::with_provisional`] gives it, without its DRUG rows).
    /// They are kept for that add only. In the browser the analysis worker does this while
    /// another worker still reads the file's DRUG table, instead of after the join. Nothing is
    /// computed when the add would refuse the quarter, or under `rule_dedup` (which compares
    /// DRUG rows). `next` is left as it was given.
    pub fn prepare_ahead(&self, name: &str, next: &mut QuarterData, options: &AnalysisOptions) {
        *self.ahead.borrow_mut() = None;
        if options.rule_dedup {
            return;
        }
        if self.has_quarter(&next.quarter.to_string()) {
            return;
        }
        // The ids `add_read` will give its PTs.
        let (pt_ids, named) = self.pt_ids(&next.pt_names);
        if named > MAX_PTS {
            return;
        }
        let mut pts = next.pts.clone();
        for pt in pts.items_mut() {
            *pt = pt_ids[usize::from(*pt)];
        }
        std::mem::swap(&mut next.pts, &mut pts);
        let kept = {
            let mut quarters: Vec<&QuarterData> = self.quarters.iter().collect();
            quarters.push(next);
            let kept = Deduplicated::new(deduplicate(
                &quarters,
                options.dedup,
                options.deleted,
                false,
            ));
            kept.margins(&quarters, named);
            kept
        };
        std::mem::swap(&mut next.pts, &mut pts);
        *self.ahead.borrow_mut() = Some(Ahead {
            name: name.to_owned(),
            quarter: next.quarter,
            reports: next.reports.len(),
            pt_ids,
            key: DedupKey {
                quarters: self.quarters.len() + 1,
                dedup: options.dedup,
                deleted: options.deleted,
                rule_dedup: false,
            },
            kept,
        });
    }

    /// Drops what [`Workspace::prepare_ahead`] computed for the file `name` (read, then not
    /// added: a file of that name added later is read anew).
    pub fn forget_ahead(&self, name: &str) {
        let mut ahead = self.ahead.borrow_mut();
        if ahead.as_ref().is_some_and(|a| a.name == name) {
            *ahead = None;
        }
    }

    /// Drops what is kept between queries (deduplications, the EBGM prior fit): the next
    /// query computes everything again, as the first one after loading does.
    pub fn forget_kept(&self) {
        self.dedup_cache.borrow_mut().clear();
        *self.ebgm_cache.borrow_mut() = None;
        *self.ahead.borrow_mut() = None;
    }

    /// Uses the user's MedDRA release (or none) for PT codes and SOC grouping.
    pub fn set_meddra(&mut self, meddra: Option<Meddra>) {
        self.meddra = meddra;
    }

    /// The MedDRA release in use.
    pub fn meddra(&self) -> Option<&Meddra> {
        self.meddra.as_ref()
    }

    /// Uses (or, with `None`, forgets) the drug's label for listedness.
    pub fn set_label(&mut self, label: Option<crate::label::Label>) {
        self.label = label;
    }

    /// The label in use.
    pub fn label(&self) -> Option<&crate::label::Label> {
        self.label.as_ref()
    }

    /// Runs one analysis.
    pub fn analyze(&self, options: &AnalysisOptions) -> Result<AnalysisResult, AnalysisError> {
        options.check()?;
        if self.quarters.is_empty() {
            return Err(AnalysisError::NoData);
        }
        let terms = Terms::new(&options.drugs);
        let mut roles = options.roles.clone();
        roles.sort();
        roles.dedup();

        let quarters: Vec<&QuarterData> = self.quarters.iter().collect();
        let deduplicated = self.deduplicated(&quarters, options);
        let dedup = &deduplicated.outcome;
        let exclude = Terms::new(&options.exclude);
        let selections: Vec<Selection> = quarters
            .iter()
            .zip(&dedup.kept)
            .map(|(q, kept)| Selection::new(q, &terms, options.match_mode, &roles, &exclude, kept))
            .collect();
        let analysed: Vec<&[u32]> = selections.iter().map(Selection::analysed).collect();
        let margins = deduplicated.margins(&quarters, self.pts.len());
        let counts = PtCounts::with_margins(margins, &quarters, &analysed, options.unit);

        let mut signals: Vec<Signal> = (0..self.pts.len())
            .filter(|&pt| counts.target_with_pt[pt] > 0)
            .map(|pt| {
                let (a, b, c, d) = counts.table(pt);
                let mut measures = Measures::compute_with(
                    a,
                    b,
                    c,
                    d,
                    options.z.value(),
                    options.zero_cells == ZeroCells::Haldane,
                );
                if options.ic == IcBounds::Exact {
                    measures = measures.with_exact_ic(a, b, c, d);
                }
                if options.cmle {
                    measures = measures.with_conditional_mle(a, b, c, d);
                }
                let name = self.pts.name(pt as u32);
                let found = self.meddra.as_ref().and_then(|m| m.lookup(name));
                let primary = found.and_then(|(info, _)| info.primary());
                Signal {
                    pt: name.to_owned(),
                    a,
                    b,
                    c,
                    d,
                    signal: false,
                    p_adjusted: None,
                    ebgm: None,
                    measures,
                    pt_code: found.map(|(info, _)| info.pt_code),
                    soc: primary.map(|p| p.soc.clone()),
                    hlgt: primary.map(|p| p.hlgt.clone()),
                    hlt: primary.map(|p| p.hlt.clone()),
                    socs: found.map_or_else(Vec::new, |(info, _)| {
                        let mut socs: Vec<String> = Vec::new();
                        for p in &info.paths {
                            if !socs.contains(&p.soc) {
                                socs.push(p.soc.clone());
                            }
                        }
                        socs
                    }),
                    meddra_match: found.map(|(_, by)| by),
                    listed: None,
                    listed_by: None,
                }
            })
            .collect();
        signals.sort_by(|x, y| x.pt.cmp(&y.pt));
        let mut ebgm_notes: Vec<String> = Vec::new();
        let ebgm_fit = if options.ebgm {
            let fitted = self.ebgm_fit(&quarters, &dedup.kept, &roles, options);
            // The target drug's own margin: analysed target reports with at least one PT,
            // in total and per stratum.
            let mut n_target = 0u64;
            let mut target_strata: crate::store::FastMap<u32, u64> = Default::default();
            for (q, sel) in quarters.iter().zip(&selections) {
                for r in sel.analysed().iter().map(|&r| r as usize) {
                    if !q.pts.of(r).is_empty() {
                        n_target += 1;
                        if fitted.strata.is_some() {
                            *target_strata
                                .entry(crate::pairs::stratum(q, r))
                                .or_insert(0) += 1;
                        }
                    }
                }
            }
            let mut target_strata: Vec<(u32, u64)> = target_strata.into_iter().collect();
            target_strata.sort_unstable();
            if options.ebgm_strata && !self.ebgm_strata(options) {
                ebgm_notes.push(
                    "EBGM: stratified expected counts need a reported-pairs likelihood \
                     (component or mixture); E was not stratified"
                        .to_owned(),
                );
            }
            if let Some(prior) = fitted.prior {
                for s in &mut signals {
                    let pt = self.pts.get(&s.pt).expect("a PT of the vocabulary");
                    let e = match &fitted.strata {
                        Some((event_strata, stratum_reports)) => crate::pairs::stratified_expected(
                            &target_strata,
                            event_strata.get(&pt).map_or(&[][..], Vec::as_slice),
                            stratum_reports,
                        ),
                        None => {
                            let n_event = fitted.event_margin.get(&pt).copied().unwrap_or(0);
                            n_target as f64 * n_event as f64 / fitted.reports as f64
                        }
                    };
                    let a = counts.target_with_pt[pt as usize];
                    s.ebgm = crate::ebgm::score(&prior, a, e).map(|g| EbgmScore {
                        ebgm: Some(g.ebgm).filter(|v| v.is_finite()),
                        eb05: Some(g.eb05).filter(|v| v.is_finite()),
                        eb95: Some(g.eb95).filter(|v| v.is_finite()),
                    });
                }
            }
            Some(fitted.summary.clone())
        } else {
            None
        };
        let p: Vec<Option<f64>> = signals.iter().map(|s| s.measures.p_value).collect();
        for (s, q) in signals.iter_mut().zip(adjust_p_values(&p, options.adjust)) {
            s.p_adjusted = q;
            s.signal = is_signal(&options.criterion, s)
                && (options.adjust == Adjustment::None || q.is_some_and(|q| q < 0.05));
        }

        let label = crate::listedness::apply(
            self.label.as_ref(),
            self.meddra.as_ref(),
            &options.label_overrides,
            &mut signals,
        )
        .map_err(AnalysisError::BadOverride)?;

        let mut matched_names: Vec<MatchedName> = matched_spellings(&quarters, &selections, &roles)
            .into_iter()
            .map(|((name, field), reports)| MatchedName {
                name,
                field,
                reports,
            })
            .collect();
        matched_names.sort_by(|x, y| {
            y.reports
                .cmp(&x.reports)
                .then_with(|| (&x.name, x.field).cmp(&(&y.name, y.field)))
        });

        let mut warnings = ebgm_notes;
        let mut suggestions = Vec::new();
        for term in terms.as_slice() {
            let one = Terms::new(std::slice::from_ref(term));
            let found = quarters.iter().any(|q| {
                q.drug_names
                    .names()
                    .iter()
                    .any(|n| one.matches(n, options.match_mode))
            });
            if !found {
                let close = crate::select::suggestions(&quarters, term);
                warnings.push(if close.is_empty() {
                    format!("'{term}' matches no drug name or active ingredient in the loaded data")
                } else {
                    format!(
                        "'{term}' matches no drug name or active ingredient in the loaded data; did you mean {}?",
                        close.join(", ")
                    )
                });
                suggestions.push(TermSuggestions {
                    term: term.clone(),
                    suggestions: close,
                });
            }
        }

        let coverage = self.coverage();
        if !coverage.missing.is_empty() {
            warnings.push(format!(
                "no data loaded for {} between {} and {}: counts for that period are incomplete",
                quarter_runs(&coverage.missing),
                coverage.first,
                coverage.last
            ));
        }

        let mut inputs = self.inputs.clone();
        inputs.sort_by(|x, y| x.name.cmp(&y.name));
        let listing = crate::listing::listing(&quarters, &selections, &self.pts, &options.listing);
        let descriptive = describe(
            &quarters,
            &selections,
            &roles,
            &self.pts,
            options.onset,
            options.z.value(),
        );
        let by_soc = self.meddra.as_ref().map(|m| {
            let mut socs: BTreeMap<u32, SocSummary> = BTreeMap::new();
            for s in &signals {
                let Some((info, _)) = m.lookup(&s.pt) else {
                    continue;
                };
                let Some(p) = info.primary() else { continue };
                let e = socs.entry(p.soc_code).or_insert_with(|| SocSummary {
                    soc: p.soc.clone(),
                    soc_code: p.soc_code,
                    pts: 0,
                    signals: 0,
                    events: 0,
                });
                e.pts += 1;
                e.signals += u64::from(s.signal);
                e.events += s.a;
            }
            let mut v: Vec<SocSummary> = socs.into_values().collect();
            v.sort_by(|x, y| (y.signals, y.events, &x.soc).cmp(&(x.signals, x.events, &y.soc)));
            v
        });
        if let Some(m) = &self.meddra {
            let unmapped: Vec<&str> = signals
                .iter()
                .filter(|s| s.pt_code.is_none())
                .map(|s| s.pt.as_str())
                .collect();
            if !unmapped.is_empty() {
                warnings.push(format!(
                    "{} PT(s) not found in MedDRA {} (neither as a PT nor as an LLT), left without a SOC: {}",
                    unmapped.len(),
                    m.version.as_deref().unwrap_or("(version unknown)"),
                    unmapped.iter().take(10).copied().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Ok(AnalysisResult {
            settings: Settings {
                tool: "faers",
                version: crate::VERSION,
                drugs: options.drugs.clone(),
                drug_terms: terms.as_slice().to_vec(),
                match_mode: options.match_mode,
                match_fields: ["drugname", "prod_ai"],
                roles,
                unit: options.unit,
                dedup: options.dedup,
                deleted: options.deleted,
                rule_dedup: options.rule_dedup,
                exclude: exclude.as_slice().to_vec(),
                meddra: self.meddra.as_ref().map(|m| {
                    m.version
                        .clone()
                        .unwrap_or_else(|| "version unknown".into())
                }),
                population: "all deduplicated reports",
                z: options.z.value(),
                zero_cells: options.zero_cells,
                criterion: options.criterion,
                adjust: options.adjust,
                ic: options.ic,
                cmle: options.cmle,
                ebgm: options.ebgm,
                ebgm_likelihood: options.ebgm_likelihood,
                ebgm_strata: options.ebgm_strata,
                signal_rule: signal_rule(options),
                listing: options.listing,
                onset: options.onset,
                label_overrides: options
                    .label_overrides
                    .iter()
                    .map(|(pt, call)| (pt.trim().to_uppercase(), call.clone()))
                    .collect(),
            },
            inputs,
            counts: Counts {
                demo_rows: dedup.demo_rows,
                distinct_reports: dedup.distinct_reports,
                deleted_removed: dedup.deleted_removed,
                superseded_removed: dedup.superseded_removed,
                rule_duplicates_removed: dedup.rule_duplicates_removed,
                reports: dedup.reports,
                pairs: counts.pairs,
                target_reports: counts.target_reports,
                target_pairs: counts.target_pairs,
            },
            signals,
            matched_names,
            descriptive,
            listing,
            label,
            by_soc,
            ebgm_fit,
            coverage,
            suggestions,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::EbgmScore;

    #[test]
    fn options_are_checked_without_data() {
        let ok = AnalysisOptions {
            drugs: vec!["besponsa".into()],
            ..AnalysisOptions::default()
        };
        assert_eq!(ok.check(), Ok(()));
        let blank = AnalysisOptions {
            drugs: vec![" ".into(), String::new()],
            ..ok.clone()
        };
        assert_eq!(blank.check(), Err(AnalysisError::NoDrug));
        let no_roles = AnalysisOptions {
            roles: Vec::new(),
            ..ok.clone()
        };
        assert_eq!(no_roles.check(), Err(AnalysisError::NoRoles));
        let mut ages = ok.clone();
        ages.listing.age_from = ages.listing.age_below;
        assert_eq!(ages.check(), Err(AnalysisError::BadListing));
        let mut call = ok.clone();
        call.label_overrides
            .insert("SEPSIS".into(), "Not-Listed".into());
        assert_eq!(call.check(), Ok(()));
        call.label_overrides
            .insert("PYREXIA".into(), "maybe".into());
        assert!(matches!(call.check(), Err(AnalysisError::BadOverride(_))));
        // The same refusals from an analysis, before it looks for data.
        assert_eq!(
            Workspace::new().analyze(&blank).unwrap_err(),
            AnalysisError::NoDrug
        );
        assert_eq!(
            Workspace::new().analyze(&ok).unwrap_err(),
            AnalysisError::NoData
        );
    }

    fn signal(a: u64, b: u64, c: u64, d: u64) -> Signal {
        Signal {
            pt: "X".into(),
            a,
            b,
            c,
            d,
            measures: Measures::compute(a, b, c, d, 1.96),
            ebgm: None,
            p_adjusted: None,
            signal: false,
            pt_code: None,
            soc: None,
            hlgt: None,
            hlt: None,
            socs: Vec::new(),
            meddra_match: None,
            listed: None,
            listed_by: None,
        }
    }

    /// A split file added before its hash is known (as the browser adds it) gets it after,
    /// once; its quarter is then loaded, and the summary is the one read with the hash.
    #[test]
    fn a_file_added_before_its_hash_gets_it_after() {
        use crate::ingest::{join_halves, read_drug_half, read_main_half};
        let path = format!(
            "{}/../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
            env!("CARGO_MANIFEST_DIR")
        );
        let open = || std::fs::File::open(&path).expect("shared/ beside the repository");
        let main = read_main_half("f.zip", open(), FileHash::Later, &mut |_, _| {});
        let (summary, data) = join_halves(main, &read_drug_half("f.zip", open(), &mut |_, _| {}));
        assert_eq!(summary.sha256, "", "no hash yet");
        let quarter = summary.quarter.clone().expect("a quarter");
        let mut ws = Workspace::default();
        assert!(!ws.has_quarter(&quarter));
        assert!(ws.add_read(summary, data).is_ok());
        assert!(ws.has_quarter(&quarter));
        // Not a hash: refused, nothing set.
        assert!(ws.give_sha256("f.zip", "not a hash").is_err());
        assert_eq!(ws.inputs()[0].sha256, "");
        // Another name waits for nothing.
        let sha = "AB".repeat(32);
        assert_eq!(ws.give_sha256("other.zip", &sha).ok(), Some(false));
        assert_eq!(ws.give_sha256("f.zip", &sha).ok(), Some(true));
        // Once given, it is the file's, lower-cased; a second hash is not taken.
        assert_eq!(ws.give_sha256("f.zip", &"cd".repeat(32)).ok(), Some(false));
        let mut whole = Workspace::default();
        whole.add_zip("f.zip", open(), &mut |_, _| {});
        assert_eq!(ws.inputs()[0].sha256, "ab".repeat(32));
        let mut expected = whole.inputs()[0].clone();
        expected.sha256 = "ab".repeat(32);
        assert_eq!(ws.inputs()[0], expected);
    }

    /// A file added before its hash whose quarter is loaded already is given back, as read,
    /// to wait for its hash; added with one then, it is refused as the command line refuses it.
    #[test]
    fn a_file_of_a_loaded_quarter_waits_for_its_hash() {
        let path = format!(
            "{}/../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
            env!("CARGO_MANIFEST_DIR")
        );
        let read = |name: &str| {
            let file = std::fs::File::open(&path).expect("shared/ beside the repository");
            crate::ingest::read_zip_hashed(name, file, FileHash::Later, &mut |_, _| {})
        };
        let mut ws = Workspace::default();
        let (summary, data) = read("first.zip");
        assert!(ws.add_before_hash(summary, data).is_ok_and(|s| s.is_ok()));
        let (summary, data) = read("copy.zip");
        let Err((back, Some(back_data))) = ws.add_before_hash(summary.clone(), data) else {
            panic!("a file of a loaded quarter is not added before its hash");
        };
        assert_eq!(back, summary);
        assert_eq!(ws.inputs().len(), 1, "nothing recorded for it yet");
        let mut hashed = back;
        crate::ingest::give_sha256(&mut hashed, &"ef".repeat(32)).unwrap();
        assert!(ws.add_read(hashed, Some(back_data)).error.is_some());
        assert_eq!(ws.quarters().len(), 1);
    }

    /// A deduplication computed while DRUG is still being read is the one `prepare` computes
    /// after the add, margins included, and is used only by the add it was computed for.
    #[test]
    fn a_deduplication_ahead_equals_the_one_after_the_add() {
        use crate::ingest::{join_halves, read_drug_half, read_main_half, PendingQuarter};
        use crate::options::{DedupMode, DeletedMode};
        let shared = |rel: &str| format!("{}/../../../shared/{rel}", env!("CARGO_MANIFEST_DIR"));
        let legacy = shared("realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip");
        let faers = shared("realdata/faers-2017q2-sample/faers_ascii_2017q2.zip");
        let open = |path: &str| std::fs::File::open(path).expect("shared/ beside the repository");
        let main_half =
            |path: &str| read_main_half("f.zip", open(path), FileHash::Compute, &mut |_, _| {});
        let drug_half = |path: &str| read_drug_half("f.zip", open(path), &mut |_, _| {});
        let join = |main: PendingQuarter, path: &str| join_halves(main, &drug_half(path));
        let variants = [
            AnalysisOptions::default(),
            AnalysisOptions {
                dedup: DedupMode::Caseversion,
                deleted: DeletedMode::Ignore,
                ..AnalysisOptions::default()
            },
            AnalysisOptions {
                dedup: DedupMode::None,
                ..AnalysisOptions::default()
            },
        ];
        for options in &variants {
            // Alone, and after another quarter (whose PTs it partly shares).
            for first in [None, Some(&legacy)] {
                let mut ws = Workspace::default();
                if let Some(path) = first {
                    ws.add_zip("first.zip", open(path), &mut |_, _| {});
                }
                let mut main = main_half(&faers);
                main.with_provisional(|q| ws.prepare_ahead("f.zip", q, options))
                    .expect("read");
                let (summary, data) = join(main, &faers);
                // The main half is as it was: the same quarter as without.
                let (plain, plain_data) = join(main_half(&faers), &faers);
                let (a, b) = (data.unwrap(), plain_data.unwrap());
                assert!(
                    crate::snapshot::encode(&summary, &a, &a.pt_names)
                        == crate::snapshot::encode(&plain, &b, &b.pt_names)
                );
                ws.add_read(summary, Some(a));
                let adopted = ws.dedup_cache.borrow().clone();
                assert_eq!(adopted.len(), 1, "{options:?} after {first:?}");
                let quarters: Vec<&QuarterData> = ws.quarters.iter().collect();
                let fresh = deduplicate(&quarters, options.dedup, options.deleted, false);
                assert_eq!(adopted[0].1.outcome, fresh);
                assert_eq!(
                    adopted[0].1.margins.get(),
                    Some(&Margins::count(&quarters, &fresh.kept, ws.pts.len()))
                );
                assert_eq!(
                    adopted[0].0,
                    DedupKey {
                        quarters: quarters.len(),
                        dedup: options.dedup,
                        deleted: options.deleted,
                        rule_dedup: false
                    }
                );
            }
        }
        // Another file added next, or the same quarter again: not used.
        let mut ws = Workspace::default();
        let mut main = main_half(&faers);
        main.with_provisional(|q| ws.prepare_ahead("f.zip", q, &variants[0]));
        ws.add_zip("f.zip", open(&legacy), &mut |_, _| {});
        assert!(ws.dedup_cache.borrow().is_empty());
        main.with_provisional(|q| ws.prepare_ahead("f.zip", q, &variants[0]));
        ws.add_zip("g.zip", open(&faers), &mut |_, _| {});
        assert!(ws.dedup_cache.borrow().is_empty());
        // Nor after the read it was computed for was dropped.
        let ws2 = Workspace::default();
        main.with_provisional(|q| ws2.prepare_ahead("f.zip", q, &variants[0]));
        ws2.forget_ahead("other.zip");
        assert!(ws2.ahead.borrow().is_some());
        ws2.forget_ahead("f.zip");
        assert!(ws2.ahead.borrow().is_none());
        // Nor computed when the add will refuse the quarter (already loaded) or under the
        // rule-based deduplication.
        main.with_provisional(|q| ws.prepare_ahead("f.zip", q, &variants[0]));
        assert!(ws.ahead.borrow().is_none());
        let ws = Workspace::default();
        let rules = AnalysisOptions {
            rule_dedup: true,
            ..AnalysisOptions::default()
        };
        main.with_provisional(|q| ws.prepare_ahead("f.zip", q, &rules));
        assert!(ws.ahead.borrow().is_none());
    }

    /// A quarter whose PTs would take the workspace past MAX_PTS distinct names is refused in
    /// words and leaves the workspace as it was; one that reaches the limit exactly is added.
    #[test]
    fn a_quarter_past_the_pt_limit_is_refused_and_changes_nothing() {
        let sample = format!(
            "{}/../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
            env!("CARGO_MANIFEST_DIR")
        );
        let read = || {
            crate::ingest::read_zip(
                "q.zip",
                std::fs::File::open(&sample).expect("shared/ beside the repository"),
                &mut |_, _| {},
            )
        };
        let (summary, data) = read();
        let own = data.as_ref().expect("read").pt_names.len();
        assert!(own > 10);
        for room in [own - 1, own] {
            let mut ws = Workspace::default();
            for i in 0..MAX_PTS - room {
                ws.pts.intern(&format!("FILLER {i}"));
            }
            let before = ws.pts.len();
            let (summary, data) = (summary.clone(), read().1);
            let added = ws.add_read(summary, data).clone();
            if room < own {
                assert!(added.error.as_deref().unwrap_or("").contains("more than"));
                assert!(ws.quarters.is_empty());
                assert_eq!(ws.pts.len(), before);
            } else {
                assert_eq!(added.error, None);
                assert_eq!(ws.quarters.len(), 1);
                assert_eq!(ws.pts.len(), MAX_PTS);
            }
        }
    }

    #[test]
    fn long_gaps_read_as_ranges() {
        let q = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(quarter_runs(&q(&["2024Q2", "2024Q3"])), "2024Q2, 2024Q3");
        assert_eq!(
            quarter_runs(&q(&["2004Q2", "2004Q3", "2004Q4", "2005Q1", "2007Q3"])),
            "2004Q2–2005Q1 (4 quarters), 2007Q3"
        );
    }

    #[test]
    fn criteria_presets_and_custom_rules() {
        // (3, 40, 200, 100000): ROR 37.5 [11.5, 122.2], PRR 34.95, chi2 97.7 / Yates 67.0,
        // IC025 0.5064 — a signal under every preset.
        let strong = signal(3, 40, 200, 100_000);
        // (2, 50, 0, 10000): ROR undefined, chi2 384.7, IC025 −0.30.
        let sparse = signal(2, 50, 0, 10_000);
        for c in [
            Criterion::Study,
            Criterion::Evans {
                chi2: Chi2Kind::Pearson,
            },
            Criterion::Evans {
                chi2: Chi2Kind::Yates,
            },
            Criterion::Ic025,
        ] {
            assert!(is_signal(&c, &strong), "{c:?}");
            assert!(!is_signal(&c, &sparse), "{c:?}");
        }
        let custom = Criterion::Custom {
            min_a: Some(2),
            ror_lower_above: None,
            min_prr: None,
            min_chi2: Some(100.0),
            ic025_above: None,
        };
        assert!(is_signal(&custom, &sparse));
        assert_eq!(custom.describe(), "a >= 2 and chi2 >= 100");
        let mut with_eb = signal(3, 40, 200, 100_000);
        assert!(!is_signal(&Criterion::Eb05, &with_eb));
        with_eb.ebgm = Some(EbgmScore {
            ebgm: Some(5.0),
            eb05: Some(2.5),
            eb95: Some(9.0),
        });
        assert!(is_signal(&Criterion::Eb05, &with_eb));
        let options = AnalysisOptions {
            criterion: Criterion::Evans {
                chi2: Chi2Kind::Yates,
            },
            adjust: Adjustment::Bh,
            ..AnalysisOptions::default()
        };
        assert_eq!(
            signal_rule(&options),
            "prr >= 2 and chi2_yates >= 4 and a >= 3 (Evans), and Benjamini-Hochberg-adjusted p < 0.05 (ROR Wald test)"
        );
    }
}
