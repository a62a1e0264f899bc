//! Known or new: each signal checked against the drug's label, with the reviewer's own
//! calls on top.
//!
//! A PT is looked for in the label by its own name and, when the reviewer loaded MedDRA,
//! by the names of its lowest-level terms, which are MedDRA's synonyms ("sinusoidal
//! obstruction syndrome" is an LLT of "veno-occlusive liver disease"). The label's call is
//! a text search, so the reviewer can overwrite any call; those overrides are settings,
//! exported with the rest, and marked as the reviewer's in the result.

use std::collections::BTreeMap;

use crate::label::{Label, SectionKind};
use crate::meddra::Meddra;
use crate::report::{LabelSectionSummary, LabelSummary, Signal};
use crate::store::FastMap;

/// `"not listed"`: the call for a PT the label does not mention.
pub const NOT_LISTED: &str = "not listed";
/// `"listed"`: a reviewer's call that names no section.
pub const LISTED: &str = "listed";

/// An override value that is not a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadOverride {
    /// The PT.
    pub pt: String,
    /// The value given.
    pub value: String,
}

impl std::fmt::Display for BadOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sections: Vec<&str> = SectionKind::ALL.iter().map(|k| k.as_str()).collect();
        write!(
            f,
            "listedness of {}: '{}' is not a call (use \"{NOT_LISTED}\", \"{LISTED}\" or a section: {})",
            self.pt,
            self.value,
            sections.join(", ")
        )
    }
}

/// A reviewer's call, normalised: `"not listed"`, `"listed"` or a section name.
fn normalise_call(pt: &str, value: &str) -> Result<String, BadOverride> {
    let v = value.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v == NOT_LISTED || v == LISTED || SectionKind::ALL.iter().any(|k| k.as_str() == v) {
        Ok(v)
    } else {
        Err(BadOverride {
            pt: pt.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// The first override that is not a call, if any (checked before any data is read).
pub fn check_overrides<'a>(
    overrides: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Result<(), BadOverride> {
    overrides
        .into_iter()
        .try_for_each(|(pt, value)| normalise_call(pt, value).map(drop))
}

/// Sets `listed` and `listed_by` on every signal row; returns the label's summary (null
/// without a label). Overrides apply with or without a label.
pub fn apply(
    label: Option<&Label>,
    meddra: Option<&Meddra>,
    overrides: &BTreeMap<String, String>,
    signals: &mut [Signal],
) -> Result<Option<LabelSummary>, BadOverride> {
    let mut calls: FastMap<String, String> = FastMap::default();
    for (pt, value) in overrides {
        let pt = pt.trim().to_uppercase();
        calls.insert(pt.clone(), normalise_call(&pt, value)?);
    }
    let mut applied = 0;
    for s in signals.iter_mut() {
        if let Some(label) = label {
            let mut terms: Vec<&str> = vec![s.pt.as_str()];
            if let (Some(m), Some(code)) = (meddra, s.pt_code) {
                terms.extend(m.llt_names_of(code).into_iter().filter(|n| *n != s.pt));
            }
            match label.find(&terms) {
                Some(m) => {
                    s.listed = Some(m.section.as_str().to_owned());
                    s.listed_by = Some(m.term);
                }
                None => {
                    s.listed = Some(NOT_LISTED.to_owned());
                    s.listed_by = None;
                }
            }
        }
        if let Some(call) = calls.get(&s.pt) {
            applied += 1;
            s.listed = Some(call.clone());
            s.listed_by = Some("reviewer".to_owned());
        }
    }
    Ok(label.map(|label| {
        let signal_calls = signals
            .iter()
            .filter(|s| s.signal)
            .map(|s| s.listed.as_deref());
        let new_signals = signal_calls
            .clone()
            .filter(|c| *c == Some(NOT_LISTED))
            .count() as u64;
        LabelSummary {
            source: label.source.clone(),
            format: label.format,
            title: label.title.clone(),
            set_id: label.set_id.clone(),
            version: label.version.clone(),
            effective_time: label.effective_time.clone(),
            sections: label
                .sections
                .iter()
                .map(|x| LabelSectionSummary {
                    kind: x.kind,
                    title: x.title.clone(),
                    words: x.words as u64,
                })
                .collect(),
            synonyms: meddra.is_some(),
            listed_signals: signal_calls.count() as u64 - new_signals,
            new_signals,
            overrides: applied,
        }
    }))
}
