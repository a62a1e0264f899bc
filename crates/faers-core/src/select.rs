//! Case selection: which reports are about the drug of interest.
//!
//! Terms are matched once against each quarter's vocabulary of distinct drug names and
//! active ingredients (tens of thousands of strings), never against every DRUG row; a report
//! is a target report when one of its drug rows has a selected role and a matching
//! `drugname` or `prod_ai`.

use std::collections::BTreeMap;

use crate::options::MatchMode;
use crate::store::{QuarterData, Role, NO_TEXT};
use crate::values::normalize_text;

/// A normalised search term.
#[derive(Debug, Clone)]
pub struct Terms(Vec<String>);

impl Terms {
    /// Normalises the user's terms (upper-case, blanks collapsed); empty terms are dropped.
    pub fn new(raw: &[String]) -> Terms {
        let mut out = Vec::new();
        let mut s = String::new();
        for t in raw {
            normalize_text(t.as_bytes(), &mut s);
            if !s.is_empty() && !out.contains(&s) {
                out.push(s.clone());
            }
        }
        Terms(out)
    }

    /// The normalised terms.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// True when no term is left.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Does a normalised name match any term?
    pub fn matches(&self, name: &str, mode: MatchMode) -> bool {
        self.0.iter().any(|t| match mode {
            MatchMode::Contains => name.contains(t.as_str()),
            MatchMode::Exact => name == t,
            MatchMode::Word => contains_words(name, t),
        })
    }
}

/// `term` occurs in `name` starting and ending at word boundaries.
fn contains_words(name: &str, term: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric();
    name.match_indices(term).any(|(i, _)| {
        let before = name[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = name[i + term.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_word(c));
        before && after
    })
}

/// The target reports of one quarter and the drug rows that made them so.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `target[r]`: report `r` is a target report.
    pub target: Vec<bool>,
    /// `matched[id]`: drug vocabulary entry `id` matches a term.
    pub matched: Vec<bool>,
}

impl Selection {
    /// Selects in one quarter.
    pub fn new(q: &QuarterData, terms: &Terms, mode: MatchMode, roles: &[Role]) -> Selection {
        let matched: Vec<bool> = q
            .drug_names
            .names()
            .iter()
            .map(|n| terms.matches(n, mode))
            .collect();
        let target = (0..q.reports.len())
            .map(|r| {
                q.drugs
                    .of(r)
                    .iter()
                    .any(|d| Self::row_matches(&matched, d.role, d.name, d.prod_ai, roles))
            })
            .collect();
        Selection { target, matched }
    }

    /// Does one drug row select its report?
    pub fn row_matches(
        matched: &[bool],
        role: Option<Role>,
        name: u32,
        prod_ai: u32,
        roles: &[Role],
    ) -> bool {
        let hit = |id: u32| id != NO_TEXT && matched[id as usize];
        role.is_some_and(|r| roles.contains(&r)) && (hit(name) || hit(prod_ai))
    }
}

/// Counts, per matched spelling, the analysed target reports it occurs in.
pub fn matched_spellings(
    quarters: &[&QuarterData],
    selections: &[Selection],
    kept: &[Vec<bool>],
    roles: &[Role],
) -> BTreeMap<(String, &'static str), u64> {
    let mut out = BTreeMap::new();
    let mut seen: Vec<(String, &'static str)> = Vec::new();
    for ((q, sel), kept) in quarters.iter().zip(selections).zip(kept) {
        for (r, &is_kept) in kept.iter().enumerate() {
            if !(is_kept && sel.target[r]) {
                continue;
            }
            seen.clear();
            for d in q.drugs.of(r) {
                if !Selection::row_matches(&sel.matched, d.role, d.name, d.prod_ai, roles) {
                    continue;
                }
                for (id, field) in [(d.name, "drugname"), (d.prod_ai, "prod_ai")] {
                    if id != NO_TEXT && sel.matched[id as usize] {
                        let key = (q.drug_names.name(id).to_owned(), field);
                        if !seen.contains(&key) {
                            seen.push(key);
                        }
                    }
                }
            }
            for key in seen.drain(..) {
                *out.entry(key).or_insert(0) += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_modes() {
        let t = Terms::new(&[" inotuzumab ".into(), "Besponsa".into(), "".into()]);
        assert_eq!(t.as_slice(), ["INOTUZUMAB", "BESPONSA"]);
        assert!(t.matches("INOTUZUMAB OZOGAMICIN", MatchMode::Contains));
        assert!(!t.matches("INOTUZUMAB OZOGAMICIN", MatchMode::Exact));
        assert!(t.matches("BESPONSA", MatchMode::Exact));
        assert!(t.matches("INOTUZUMAB OZOGAMICIN", MatchMode::Word));
        let asp = Terms::new(&["aspirin".into()]);
        assert!(asp.matches("ASPIRIN (NR)", MatchMode::Word));
        assert!(!asp.matches("ASPIRINE", MatchMode::Word));
        assert!(asp.matches("ASPIRINE", MatchMode::Contains));
    }
}
