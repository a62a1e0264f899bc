//! Deduplication of case versions across every loaded quarter.
//!
//! FAERS publishes a case again each time it is updated, under a new primaryid
//! (caseid ‖ version); a case updated in a later quarter appears in both. The steps, in the
//! order of the funnel shown to the reviewer:
//! 1. a primaryid repeated verbatim in two quarters is one report (the later quarter's copy);
//! 2. cases on any loaded deleted-case list are removed, in every quarter and era;
//! 3. per caseid one version is kept: FDA's rule (latest fda_dt, tie → largest primaryid),
//!    or the highest caseversion, or none (all versions kept);
//! 4. optionally, reports of *different* caseids that agree on event date, age, sex,
//!    reporter country, the set of drug names and the set of PTs are one case (empty values
//!    never match); the latest (fda_dt, primaryid) is kept.
//!
//! A legacy report with a blank CASE is a case of its own. [`explain`] tells, for any case,
//! what happened to each of its versions and why: the study's Table 1 for any case.

use std::hash::Hasher;
use std::num::NonZeroU64;

use serde::Serialize;

use crate::options::{DedupMode, DeletedMode};
use crate::store::{FastHasher, FastMap, FastSet, PtId, QuarterData, NO_TEXT};
use crate::values::{Date, Sex};

/// A report's place: quarter index and report index within it.
pub type ReportRef = (u32, u32);

/// Which reports survive, and how many each step removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupOutcome {
    /// `kept[q][r]`: report `r` of quarter `q` is analysed.
    pub kept: Vec<Vec<bool>>,
    /// DEMO rows read over all quarters.
    pub demo_rows: u64,
    /// Distinct primaryids.
    pub distinct_reports: u64,
    /// Reports removed because their case is on a deleted-case list.
    pub deleted_removed: u64,
    /// Reports removed because a later version of their case was kept.
    pub superseded_removed: u64,
    /// Reports removed as rule-based duplicates of a report of another case.
    pub rule_duplicates_removed: u64,
    /// Reports analysed.
    pub reports: u64,
    /// For each rule-based duplicate removed, the report kept in its place.
    pub duplicate_of: FastMap<ReportRef, ReportRef>,
}

/// One version of a case with everything that ranks it (the case history, rule-based
/// duplicates).
#[derive(Clone, Copy)]
struct Entry {
    primaryid: u64,
    caseid: Option<NonZeroU64>,
    fda_dt: u32,
    caseversion: u32,
    quarter_rank: u16,
    /// The quarter's index: quarters are distinct calendar quarters, far fewer than 65,536.
    q: u16,
    r: u32,
}

impl Entry {
    fn place(&self) -> ReportRef {
        (u32::from(self.q), self.r)
    }
}

fn entries_of(quarters: &[&QuarterData]) -> Vec<Entry> {
    (0..quarters.len())
        .flat_map(|q| (0..quarters[q].reports.len()).map(move |r| entry_at(quarters, q, r)))
        .collect()
}

/// The order in which versions of one case compete: best first.
fn better(mode: DedupMode, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    match mode {
        DedupMode::Fda | DedupMode::None => (b.fda_dt, b.primaryid).cmp(&(a.fda_dt, a.primaryid)),
        DedupMode::Caseversion => (b.caseversion, b.fda_dt, b.quarter_rank, b.primaryid).cmp(&(
            a.caseversion,
            a.fda_dt,
            a.quarter_rank,
            a.primaryid,
        )),
    }
}

/// Blank caseids are their own case, keyed by primaryid so that they never group.
fn case_key(e: &Entry) -> (u8, u64) {
    match e.caseid {
        Some(c) => (0, c.get()),
        None => (1, e.primaryid),
    }
}

/// Every caseid on any loaded deleted-case list.
fn deleted_cases(quarters: &[&QuarterData]) -> FastSet<u64> {
    quarters
        .iter()
        .flat_map(|q| q.deleted_caseids.iter().copied())
        .collect()
}

/// A quarter's place in calendar order.
fn rank(q: &QuarterData) -> u16 {
    q.quarter.year * 4 + u16::from(q.quarter.quarter)
}

/// Every quarter's places, each quarter's already in ascending order of `key`, merged into
/// one ascending order of (key, tie of the quarter): yields (key, quarter, place).
///
/// The funnel steps that compare reports across quarters (the same primaryid, versions of
/// one case) walk this merge instead of sorting one array of every report's key and place:
/// the orders cost 4 bytes a report where that array cost 16, and in WebAssembly the peak
/// stays with the page (its memory never shrinks).
struct Merge<'a, K, T> {
    orders: &'a [Vec<u32>],
    next: Vec<usize>,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(u64, u16, usize)>>,
    key: K,
    tie: T,
}

impl<'a, K: Fn(usize, u32) -> u64, T: Fn(usize) -> u16> Merge<'a, K, T> {
    fn new(orders: &'a [Vec<u32>], key: K, tie: T) -> Self {
        let mut merge = Merge {
            orders,
            next: vec![0; orders.len()],
            heap: std::collections::BinaryHeap::with_capacity(orders.len()),
            key,
            tie,
        };
        for q in 0..orders.len() {
            merge.advance(q);
        }
        merge
    }

    /// Puts quarter `q`'s next place, if any, in the running.
    fn advance(&mut self, q: usize) {
        if let Some(&r) = self.orders[q].get(self.next[q]) {
            let key = (self.key)(q, r);
            self.heap.push(std::cmp::Reverse((key, (self.tie)(q), q)));
        }
    }
}

impl<K: Fn(usize, u32) -> u64, T: Fn(usize) -> u16> Iterator for Merge<'_, K, T> {
    type Item = (u64, usize, u32);

    fn next(&mut self) -> Option<(u64, usize, u32)> {
        let Merge {
            orders,
            next,
            heap,
            key,
            tie,
        } = self;
        // One quarter (the usual first query): its own order, no heap.
        if let [order] = orders {
            let r = *order.get(next[0])?;
            next[0] += 1;
            return Some((key(0, r), 0, r));
        }
        // The quarter taken from replaces itself at the top with its next place: one sift
        // down instead of a pop and a push.
        let mut top = heap.peek_mut()?;
        let std::cmp::Reverse((k, _, q)) = *top;
        let r = orders[q][next[q]];
        next[q] += 1;
        match orders[q].get(next[q]) {
            Some(&following) => *top = std::cmp::Reverse((key(q, following), tie(q), q)),
            None => {
                std::collections::binary_heap::PeekMut::pop(top);
            }
        }
        Some((k, q, r))
    }
}

fn entry_at(quarters: &[&QuarterData], q: usize, r: usize) -> Entry {
    let quarter = quarters[q];
    let rep = &quarter.reports;
    Entry {
        primaryid: rep.primaryid.get(r),
        caseid: rep.caseid_of(r),
        fda_dt: rep.fda_dt.get(r).0,
        caseversion: rep.caseversion.get(r),
        quarter_rank: rank(quarter),
        q: q as u16,
        r: r as u32,
    }
}

/// Runs the funnel over `quarters` (in any order; ties between copies go to the later
/// quarter by calendar).
pub fn deduplicate(
    quarters: &[&QuarterData],
    mode: DedupMode,
    deleted: DeletedMode,
    rule_based: bool,
) -> DedupOutcome {
    let mut out = DedupOutcome {
        kept: quarters
            .iter()
            .map(|q| vec![false; q.reports.len()])
            .collect(),
        ..DedupOutcome::default()
    };

    // 1. One report per primaryid: the copy of the latest quarter. `kept` marks the copies
    //    that go on. A primaryid is unique within a quarter, so each quarter's reports are
    //    put in primaryid order and the quarters merged, the latest first among equals.
    {
        let orders: Vec<Vec<u32>> = quarters
            .iter()
            .map(|q| q.reports.primaryid.order(0..q.reports.len() as u32))
            .collect();
        let later_first: Vec<u16> = quarters.iter().map(|q| u16::MAX - rank(q)).collect();
        let primaryid = |q: usize, r: u32| quarters[q].reports.primaryid.get(r as usize);
        let mut last = None;
        for (id, q, r) in Merge::new(&orders, primaryid, |q| later_first[q]) {
            out.demo_rows += 1;
            if last != Some(id) {
                last = Some(id);
                out.distinct_reports += 1;
                out.kept[q][r as usize] = true;
            }
        }
    }

    // 2. Deleted cases, from the union of every loaded list.
    if deleted == DeletedMode::Apply {
        let listed = deleted_cases(quarters);
        if !listed.is_empty() {
            for (q, kept) in quarters.iter().zip(&mut out.kept) {
                for (k, caseid) in kept.iter_mut().zip(q.reports.caseid.iter()) {
                    if *k && caseid != 0 && listed.contains(&caseid) {
                        *k = false;
                        out.deleted_removed += 1;
                    }
                }
            }
        }
    }

    // 3. One version per case (a blank caseid is a case of its own: nothing to compare).
    if mode != DedupMode::None {
        // Each quarter's surviving versions with a caseid in caseid order, merged across
        // quarters; of each run of one caseid the best version is kept.
        let orders: Vec<Vec<u32>> = quarters
            .iter()
            .zip(&out.kept)
            .map(|(q, kept)| {
                let caseids = &q.reports.caseid;
                let versions = (0..kept.len() as u32)
                    .filter(|&r| kept[r as usize] && caseids.get(r as usize) != 0);
                caseids.order(versions)
            })
            .collect();
        let caseid = |q: usize, r: u32| quarters[q].reports.caseid.get(r as usize);
        let mut best: Option<(u64, Entry)> = None;
        for (id, q, r) in Merge::new(&orders, caseid, |q| q as u16) {
            let entry = entry_at(quarters, q, r as usize);
            match &mut best {
                Some((case, kept)) if *case == id => {
                    // Two versions of one case: the worse leaves.
                    out.superseded_removed += 1;
                    if better(mode, &entry, kept).is_lt() {
                        out.kept[usize::from(kept.q)][kept.r as usize] = false;
                        *kept = entry;
                    } else {
                        out.kept[q][r as usize] = false;
                    }
                }
                _ => best = Some((id, entry)),
            }
        }
    }

    // 4. Rule-based duplicates across caseids.
    if rule_based {
        let survivors = out.kept.iter().flatten().filter(|&&k| k).count();
        let mut entries = Vec::with_capacity(survivors);
        for (qi, kept) in out.kept.iter().enumerate() {
            for (ri, _) in kept.iter().enumerate().filter(|(_, &k)| k) {
                entries.push(entry_at(quarters, qi, ri));
            }
        }
        let before = entries.len();
        let entries = remove_rule_duplicates(quarters, entries, &mut out.duplicate_of);
        out.rule_duplicates_removed = (before - entries.len()) as u64;
        for kept in &mut out.kept {
            kept.fill(false);
        }
        for e in &entries {
            out.kept[usize::from(e.q)][e.r as usize] = true;
        }
    }

    out.reports = out
        .kept
        .iter()
        .map(|k| k.iter().filter(|&&k| k).count() as u64)
        .sum();
    out
}

/// The fields that make two reports of different cases the same case. `None` when any of
/// them is empty: an empty value never matches.
#[derive(Debug, Clone, PartialEq)]
struct RuleKey<'a> {
    event_dt: u32,
    age_bits: u32,
    sex: u8,
    country: &'a str,
    drugs: Vec<&'a str>,
    pts: Vec<PtId>,
}

fn rule_key<'a>(q: &'a QuarterData, r: usize) -> Option<RuleKey<'a>> {
    let rep = &q.reports;
    let age = rep.age_years[r];
    let country = rep.reporter_country.get(r);
    let sex = match rep.sex[r] {
        Sex::Male => 1,
        Sex::Female => 2,
        Sex::Unknown => return None,
    };
    let event_dt = rep.event_dt.get(r);
    if event_dt == Date::MISSING || age.is_nan() || country == NO_TEXT {
        return None;
    }
    let mut drugs: Vec<&str> = q
        .drugs
        .of(r)
        .map(|d| q.name_of(&d))
        .filter(|&name| name != crate::store::NO_TEXT)
        .map(|name| q.drug_names.name(name))
        .collect();
    drugs.sort_unstable();
    drugs.dedup();
    let mut pts = q.pts.of(r).to_vec();
    pts.sort_unstable();
    if drugs.is_empty() || pts.is_empty() {
        return None;
    }
    Some(RuleKey {
        event_dt: event_dt.0,
        age_bits: age.to_bits(),
        sex,
        country: q.countries.name(country),
        drugs,
        pts,
    })
}

fn remove_rule_duplicates(
    quarters: &[&QuarterData],
    entries: Vec<Entry>,
    duplicate_of: &mut FastMap<ReportRef, ReportRef>,
) -> Vec<Entry> {
    // Group candidates by a hash of their key; confirm equality on the keys themselves.
    let mut groups: FastMap<u64, Vec<usize>> = FastMap::default();
    let keys: Vec<Option<RuleKey<'_>>> = entries
        .iter()
        .map(|e| rule_key(quarters[usize::from(e.q)], e.r as usize))
        .collect();
    for (i, key) in keys.iter().enumerate() {
        if let Some(k) = key {
            let mut h = FastHasher::default();
            h.write_u32(k.event_dt);
            h.write_u32(k.age_bits);
            h.write_u8(k.sex);
            h.write(k.country.as_bytes());
            for d in &k.drugs {
                h.write(d.as_bytes());
                h.write_u8(0);
            }
            for p in &k.pts {
                h.write_u32(u32::from(*p));
            }
            groups.entry(h.finish()).or_default().push(i);
        }
    }
    let mut removed = vec![false; entries.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        let mut pending: Vec<usize> = members.clone();
        while let Some(&first) = pending.first() {
            let (same, rest): (Vec<usize>, Vec<usize>) =
                pending.iter().partition(|&&i| keys[i] == keys[first]);
            pending = rest;
            // Only reports of different caseids are duplicates of each other.
            if same
                .iter()
                .all(|&i| case_key(&entries[i]) == case_key(&entries[same[0]]))
            {
                continue;
            }
            let best = *same
                .iter()
                .min_by(|&&a, &&b| better(DedupMode::Fda, &entries[a], &entries[b]))
                .expect("non-empty");
            for &i in &same {
                if i != best {
                    removed[i] = true;
                    duplicate_of.insert(entries[i].place(), entries[best].place());
                }
            }
        }
    }
    entries
        .into_iter()
        .zip(removed)
        .filter(|(_, gone)| !gone)
        .map(|(e, _)| e)
        .collect()
}

/// What happened to one version of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionFate {
    /// The quarter the row was read from.
    pub quarter: String,
    /// `primaryid` (legacy ISR).
    pub primaryid: u64,
    /// `caseversion` (legacy FOLL_SEQ, blank = 0).
    pub caseversion: u32,
    /// `fda_dt` as given (YYYYMMDD), 0 when missing.
    pub fda_dt: u32,
    /// True for the version analysed.
    pub kept: bool,
    /// Why, in words.
    pub reason: String,
}

/// Every version of one case seen in the loaded quarters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseHistory {
    /// The case.
    pub caseid: u64,
    /// Quarters whose deleted-case list names it.
    pub deleted_in: Vec<String>,
    /// Its versions, in the order FDA's rule ranks them (best first).
    pub versions: Vec<VersionFate>,
}

/// Explains, for `caseid`, which version the funnel kept and why the others were not.
pub fn explain(
    quarters: &[&QuarterData],
    outcome: &DedupOutcome,
    mode: DedupMode,
    deleted: DeletedMode,
    caseid: u64,
) -> CaseHistory {
    let mut versions: Vec<Entry> = entries_of(quarters)
        .into_iter()
        .filter(|e| e.caseid.map(u64::from) == Some(caseid))
        .collect();
    versions.sort_by(|a, b| better(mode, a, b).then(b.quarter_rank.cmp(&a.quarter_rank)));
    let mut deleted_in: Vec<(u32, String)> = quarters
        .iter()
        .filter(|q| q.deleted_caseids.binary_search(&caseid).is_ok())
        .map(|q| {
            (
                u32::from(q.quarter.year) * 4 + u32::from(q.quarter.quarter),
                q.quarter.to_string(),
            )
        })
        .collect();
    deleted_in.sort();
    let deleted_in: Vec<String> = deleted_in.into_iter().map(|(_, q)| q).collect();
    let kept_entry = versions
        .iter()
        .find(|e| outcome.kept[usize::from(e.q)][e.r as usize])
        .copied();
    let name = |e: &Entry| quarters[usize::from(e.q)].quarter.to_string();
    let fates = versions
        .iter()
        .map(|e| {
            let kept = outcome.kept[usize::from(e.q)][e.r as usize];
            let later_copy = versions
                .iter()
                .any(|o| o.primaryid == e.primaryid && o.quarter_rank > e.quarter_rank);
            let reason = if kept {
                match mode {
                    DedupMode::None => "kept (no deduplication of versions)".to_owned(),
                    DedupMode::Fda => "kept: the latest fda_dt of the case (ties: the largest primaryid)".to_owned(),
                    DedupMode::Caseversion => "kept: the highest caseversion of the case".to_owned(),
                }
            } else if later_copy {
                "the same primaryid is in a later quarter; that copy is used".to_owned()
            } else if deleted == DeletedMode::Apply && !deleted_in.is_empty() {
                format!("the case is on FDA's deleted-case list of {}", deleted_in.join(", "))
            } else if let Some(&(q, r)) = outcome.duplicate_of.get(&e.place()) {
                let other = quarters[q as usize];
                format!(
                    "a rule-based duplicate of primaryid {} (case {}): same event date, age, sex, country, drugs and PTs",
                    other.reports.primaryid.get(r as usize),
                    other.reports.caseid.get(r as usize)
                )
            } else if let Some(k) = kept_entry {
                let why = match mode {
                    DedupMode::Fda if k.fda_dt > e.fda_dt => "a later fda_dt",
                    DedupMode::Fda => "the same fda_dt and a larger primaryid",
                    DedupMode::Caseversion if k.caseversion > e.caseversion => "a higher caseversion",
                    DedupMode::Caseversion if k.fda_dt > e.fda_dt => "the same caseversion and a later fda_dt",
                    DedupMode::Caseversion => "the same caseversion and fda_dt, a later quarter or larger primaryid",
                    DedupMode::None => "no reason",
                };
                format!(
                    "superseded by primaryid {} ({}): {why}",
                    k.primaryid,
                    name(&k)
                )
            } else if let Some(&(q, r)) = versions
                .iter()
                .find_map(|v| outcome.duplicate_of.get(&v.place()))
            {
                format!(
                    "superseded by a version that is itself a rule-based duplicate of primaryid {}",
                    quarters[q as usize].reports.primaryid.get(r as usize)
                )
            } else {
                "not analysed".to_owned()
            };
            VersionFate {
                quarter: name(e),
                primaryid: e.primaryid,
                caseversion: e.caseversion,
                fda_dt: e.fda_dt,
                kept,
                reason,
            }
        })
        .collect();
    CaseHistory {
        caseid,
        deleted_in,
        versions: fates,
    }
}
