//! Case selection: which reports are about the drug of interest.
//!
//! Terms are matched once against each quarter's vocabulary of distinct drug names and
//! active ingredients (tens of thousands of strings), never against every DRUG row, and the
//! result carried to the quarter's distinct (`drugname`, `prod_ai`) products; a report is a
//! target report when one of its drug rows has a selected role and a matching product.

use std::collections::BTreeMap;

use crate::options::MatchMode;
use crate::store::{DrugRow, FastMap, QuarterData, Role, NO_TEXT};
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
    /// `products[id]`: product `id` ([`QuarterData::products`]) matches by its `drugname` or
    /// its `prod_ai`, so that testing a drug row is one lookup.
    pub products: Vec<bool>,
    /// The analysed target reports: targets the deduplication kept, found once per query for
    /// the 2×2 counts, the descriptives, the listing and the matched spellings.
    analysed: Vec<u32>,
}

impl Selection {
    /// Selects in one quarter; `exclude` holds normalised spellings that never match, `kept`
    /// the reports the deduplication kept.
    pub fn new(
        q: &QuarterData,
        terms: &Terms,
        mode: MatchMode,
        roles: &[Role],
        exclude: &Terms,
        kept: &[bool],
    ) -> Selection {
        let matched: Vec<bool> = q
            .drug_names
            .names()
            .iter()
            .map(|n| terms.matches(n, mode) && !exclude.matches(n, MatchMode::Exact))
            .collect();
        let products = matching_products(q, &matched);
        // Every drug row of the quarter is looked at: without branches that depend on the
        // data, a report is a target when any of its rows has a chosen role and a matched
        // product.
        let role_mask = roles.iter().fold(0u8, |m, &r| m | 1 << (r as u8));
        let role_ok = |role: Option<Role>| role.map_or(0, |r| (role_mask >> (r as u8)) & 1);
        let target = q
            .drugs
            .reports_where(|product, role| role_ok(role) & u8::from(products[product as usize]));
        let analysed = analysed_targets(kept, &target).map(|r| r as u32).collect();
        Selection {
            target,
            matched,
            products,
            analysed,
        }
    }

    /// The analysed target reports of the quarter, in report order.
    pub fn analysed(&self) -> &[u32] {
        &self.analysed
    }

    /// Does one drug row select its report?
    pub fn row_matches(&self, row: &DrugRow, roles: &[Role]) -> bool {
        row.role().is_some_and(|r| roles.contains(&r)) && self.names_drug(row)
    }

    /// Does a drug row name the target drug (by drugname or prod_ai), whatever its role?
    pub fn names_drug(&self, row: &DrugRow) -> bool {
        self.products[row.product as usize]
    }
}

/// The reports flagged in both `kept` and `target`. Both flags are read for every report
/// and combined without a branch: a scan of a million reports that skips 99% of them is
/// otherwise dominated by branch overhead.
fn analysed_targets<'a>(kept: &'a [bool], target: &'a [bool]) -> impl Iterator<Item = usize> + 'a {
    kept.iter()
        .zip(target)
        .enumerate()
        .filter(|&(_, (&k, &t))| k & t)
        .map(|(r, _)| r)
}

/// `matched` (per drug vocabulary entry) carried over to the quarter's products: a product
/// matches when its `drugname` or its `prod_ai` does.
fn matching_products(q: &QuarterData, matched: &[bool]) -> Vec<bool> {
    let hit = |id: u32| id != NO_TEXT && matched[id as usize];
    q.products
        .iter()
        .map(|&(name, prod_ai)| hit(name) || hit(prod_ai))
        .collect()
}

/// Counts, per matched spelling, the analysed target reports it occurs in.
pub fn matched_spellings(
    quarters: &[&QuarterData],
    selections: &[Selection],
    roles: &[Role],
) -> BTreeMap<(String, &'static str), u64> {
    const FIELDS: [&str; 2] = ["drugname", "prod_ai"];
    let mut out = BTreeMap::new();
    // Per quarter, by (id, field): a quarter names each text once, so its ids stand for the
    // texts until they are named at the end of the quarter.
    let mut counts: FastMap<(u32, u8), u64> = FastMap::default();
    let mut seen: Vec<(u32, u8)> = Vec::new();
    for (q, sel) in quarters.iter().zip(selections) {
        counts.clear();
        for &r in sel.analysed() {
            seen.clear();
            for d in q.drugs.of(r as usize) {
                if !sel.row_matches(&d, roles) {
                    continue;
                }
                let (name, prod_ai) = q.product_of(&d);
                for (id, field) in [(name, 0u8), (prod_ai, 1u8)] {
                    if id != NO_TEXT && sel.matched[id as usize] && !seen.contains(&(id, field)) {
                        seen.push((id, field));
                    }
                }
            }
            for key in seen.drain(..) {
                *counts.entry(key).or_insert(0) += 1;
            }
        }
        for (&(id, field), &n) in &counts {
            let key = (q.drug_names.name(id).to_owned(), FIELDS[usize::from(field)]);
            *out.entry(key).or_insert(0) += n;
        }
    }
    out
}

/// Levenshtein distance, bounded: `None` as soon as it must exceed `max`.
fn edit_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

/// "Did you mean" for a term that matches nothing: loaded spellings close to it (edit
/// distance up to a quarter of its length, on the whole name or any of its words), names
/// starting with its first letters, and for each such brand name the active ingredient it
/// is most often reported with (and the reverse), most frequent first. At most 8.
pub fn suggestions(quarters: &[&QuarterData], term: &str) -> Vec<String> {
    let max = (term.len() / 4).max(1);
    let prefix: String = term.chars().take(4).collect();
    // (score, rows) per candidate spelling; lower score is closer.
    let mut found: FastMap<String, (usize, u64)> = FastMap::default();
    let mut pairs: FastMap<(String, String), u64> = FastMap::default();
    for q in quarters {
        // Rows per product, then per spelling: a spelling's rows are those of its products.
        let mut product_rows = vec![0u64; q.products.len()];
        for d in q.drugs.rows() {
            product_rows[d.product as usize] += 1;
        }
        let mut rows = vec![0u64; q.drug_names.len()];
        for (&(name, prod_ai), &n) in q.products.iter().zip(&product_rows) {
            for id in [name, prod_ai] {
                if id != NO_TEXT {
                    rows[id as usize] += n;
                }
            }
        }
        for (id, name) in q.drug_names.names().iter().enumerate() {
            let close = std::iter::once(name.as_str())
                .chain(name.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .filter_map(|w| edit_distance(term.as_bytes(), w.as_bytes(), max))
                .min();
            let score = match close {
                Some(d) => Some(d),
                None if prefix.len() >= 3 && name.starts_with(&prefix) => Some(max + 1),
                None => None,
            };
            if let Some(score) = score {
                let e = found.entry(name.clone()).or_insert((score, 0));
                e.0 = e.0.min(score);
                e.1 += rows[id];
            }
        }
        for (&(name, prod_ai), &n) in q.products.iter().zip(&product_rows) {
            if name != NO_TEXT && prod_ai != NO_TEXT && name != prod_ai && n > 0 {
                let key = (
                    q.drug_names.name(name).to_owned(),
                    q.drug_names.name(prod_ai).to_owned(),
                );
                if found.contains_key(&key.0) || found.contains_key(&key.1) {
                    *pairs.entry(key).or_insert(0) += n;
                }
            }
        }
    }
    let mut ranked: Vec<(String, (usize, u64))> = found.into_iter().collect();
    ranked.sort_by(|a, b| {
        (a.1 .0, std::cmp::Reverse(a.1 .1), &a.0).cmp(&(b.1 .0, std::cmp::Reverse(b.1 .1), &b.0))
    });
    let mut out: Vec<String> = Vec::new();
    for (name, _) in ranked {
        if out.len() >= 8 {
            break;
        }
        if !out.contains(&name) {
            out.push(name.clone());
        }
        // Brand ↔ generic: the partner most often reported with this spelling.
        let partner = pairs
            .iter()
            .filter_map(|((n, ai), c)| {
                if *n == name {
                    Some((c, ai))
                } else if *ai == name {
                    Some((c, n))
                } else {
                    None
                }
            })
            .max();
        if let Some((_, partner)) = partner {
            if out.len() < 8 && !out.contains(partner) {
                out.push(partner.clone());
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
        assert_eq!(edit_distance(b"BESPONZA", b"BESPONSA", 2), Some(1));
        assert_eq!(edit_distance(b"ASPIRIN", b"IBUPROFEN", 2), None);
        let asp = Terms::new(&["aspirin".into()]);
        assert!(asp.matches("ASPIRIN (NR)", MatchMode::Word));
        assert!(!asp.matches("ASPIRINE", MatchMode::Word));
        assert!(asp.matches("ASPIRINE", MatchMode::Contains));
    }
}
