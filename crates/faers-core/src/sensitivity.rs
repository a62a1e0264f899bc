//! The same analysis under several deduplication settings, side by side.
//!
//! The reference study names as a limitation that it never compared deduplication methods.
//! Here it is one call: each variant runs the full analysis, and per PT the table shows how
//! a, the ROR with its CI and the signal flag move, and which PTs change signal status.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::options::{AnalysisOptions, DedupMode, DeletedMode};
use crate::report::Counts;
use crate::workspace::{AnalysisError, Workspace};

/// One deduplication setting to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DedupVariant {
    /// Version deduplication.
    pub dedup: DedupMode,
    /// Deleted-case lists.
    pub deleted: DeletedMode,
    /// Rule-based duplicates removed.
    pub rule_dedup: bool,
}

impl Default for DedupVariant {
    fn default() -> Self {
        DedupVariant {
            dedup: DedupMode::Fda,
            deleted: DeletedMode::Apply,
            rule_dedup: false,
        }
    }
}

impl DedupVariant {
    /// A short label such as `fda + deleted + rules`.
    pub fn label(&self) -> String {
        let mut s = match self.dedup {
            DedupMode::Fda => "fda",
            DedupMode::Caseversion => "caseversion",
            DedupMode::None => "none",
        }
        .to_owned();
        if self.deleted == DeletedMode::Apply {
            s.push_str(" + deleted");
        }
        if self.rule_dedup {
            s.push_str(" + rules");
        }
        s
    }

    /// The comparison offered by default: FDA's rule, highest caseversion, no dedup, and
    /// FDA's rule with rule-based duplicates removed.
    pub fn standard_set() -> Vec<DedupVariant> {
        let base = DedupVariant::default();
        vec![
            base,
            DedupVariant {
                dedup: DedupMode::Caseversion,
                ..base
            },
            DedupVariant {
                dedup: DedupMode::None,
                ..base
            },
            DedupVariant {
                rule_dedup: true,
                ..base
            },
        ]
    }
}

/// One variant's funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantSummary {
    /// Its label.
    pub label: String,
    /// Its settings.
    pub variant: DedupVariant,
    /// Its counts.
    pub counts: Counts,
    /// Signals found.
    pub signals: usize,
}

/// One PT under one variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cell {
    /// Target reports (or pairs) with the PT.
    pub a: u64,
    /// ROR.
    pub ror: Option<f64>,
    /// Lower bound of its CI.
    pub ror_lower: Option<f64>,
    /// Upper bound of its CI.
    pub ror_upper: Option<f64>,
    /// Signal under the criterion in force.
    pub signal: bool,
}

/// One PT across the variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The PT.
    pub pt: String,
    /// One cell per variant, in order; `None` where the PT has a = 0.
    pub cells: Vec<Option<Cell>>,
    /// A signal under some variants and not under others.
    pub flips: bool,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The variants, in the order given.
    pub variants: Vec<VariantSummary>,
    /// Every PT with a ≥ 1 under some variant, sorted by PT.
    pub rows: Vec<Row>,
    /// The PTs whose signal status depends on the deduplication.
    pub flipped: Vec<String>,
}

/// Runs `options` under each variant.
pub fn compare(
    workspace: &Workspace,
    options: &AnalysisOptions,
    variants: &[DedupVariant],
) -> Result<Sensitivity, AnalysisError> {
    let mut summaries = Vec::new();
    let mut table: BTreeMap<String, Vec<Option<Cell>>> = BTreeMap::new();
    for (i, v) in variants.iter().enumerate() {
        let mut o = options.clone();
        o.dedup = v.dedup;
        o.deleted = v.deleted;
        o.rule_dedup = v.rule_dedup;
        // The comparison shows a, ROR and the signal flag: EBGM (a fit over every pair,
        // seconds each) is only needed when the signal criterion itself is EB05.
        o.ebgm = o.criterion == crate::options::Criterion::Eb05;
        let result = workspace.analyze(&o)?;
        for s in &result.signals {
            table
                .entry(s.pt.clone())
                .or_insert_with(|| vec![None; variants.len()])[i] = Some(Cell {
                a: s.a,
                ror: s.measures.ror,
                ror_lower: s.measures.ror_lower,
                ror_upper: s.measures.ror_upper,
                signal: s.signal,
            });
        }
        summaries.push(VariantSummary {
            label: v.label(),
            variant: *v,
            signals: result.signals.iter().filter(|s| s.signal).count(),
            counts: result.counts,
        });
    }
    let rows: Vec<Row> = table
        .into_iter()
        .map(|(pt, cells)| {
            let flags: Vec<bool> = cells.iter().map(|c| c.is_some_and(|c| c.signal)).collect();
            let flips = flags.iter().any(|&f| f) && flags.iter().any(|&f| !f);
            Row { pt, cells, flips }
        })
        .collect();
    let flipped = rows
        .iter()
        .filter(|r| r.flips)
        .map(|r| r.pt.clone())
        .collect();
    Ok(Sensitivity {
        variants: summaries,
        rows,
        flipped,
    })
}
