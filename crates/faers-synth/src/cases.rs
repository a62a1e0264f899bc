//! Case and version planning across all requested quarters: which caseids appear in which
//! quarter, with which caseversion, fda_dt and init_fda_dt, and which caseids each quarter's
//! deleted-case list names.
//!
//! Composition of a quarter of `R` reports (DEMO rows):
//! - follow-ups of cases from the previous generated quarter (about 12% of that quarter's
//!   cases get a later version in the next one, at most 45% of `R`): the same caseid appears
//!   in both quarters, with a later fda_dt and a higher caseversion in the later one;
//! - follow-ups of older cases (received before the first generated quarter: lower caseids,
//!   init_fda_dt months or years earlier, caseversion 2 to 19), filling follow-ups up to ~30%;
//! - 0.5% of cases with two versions in the same quarter, a third of them (and always the
//!   first) with the same fda_dt, so that FDA's tie rule (largest primaryid) matters;
//! - new cases, mostly version 1 (`I`), some already at version 2 or 3 (`F`) when a
//!   follow-up arrived before the extract.
//!
//! Deleted lists name ~0.2% of the quarter's own cases, ~0.3% of the previous generated
//! quarter's cases (never followed up afterwards), ~0.4% caseids that match no row anywhere,
//! and repeat about 1% of their entries, as FDA's lists do.

use crate::dates::{quarter_bounds, quarter_index};
use crate::rng::{derive, Rng};
use crate::QuarterSpec;
use std::collections::HashSet;

/// One DEMO row to generate: a version of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// FDA case number (8 digits).
    pub caseid: u32,
    /// Case version (1 = initial).
    pub version: u16,
    /// fda_dt as a day number.
    pub fda_day: i32,
    /// init_fda_dt as a day number (≤ fda_day; the same for every version of a case).
    pub init_day: i32,
}

/// The plan of one quarter.
#[derive(Debug, Clone)]
pub(crate) struct QuarterPlan {
    /// DEMO rows, sorted by (caseid, version), i.e. by primaryid.
    pub entries: Vec<Entry>,
    /// Deleted-case list, ascending, with a few repeated entries.
    pub deleted: Vec<u32>,
}

/// A follow-up scheduled into the next generated quarter.
#[derive(Debug, Clone, Copy)]
struct Carry {
    caseid: u32,
    version: u16,
    init_day: i32,
}

/// Running quarter number of 2017Q2, where caseids were about 13.4 million.
const IDX_2017Q2: i64 = 2017 * 4 + 1;
/// Approximate caseid at the start of 2017Q2.
const CASEID_2017Q2: i64 = 13_400_000;
/// Approximate number of caseids FDA assigns per quarter.
const CASEIDS_PER_QUARTER: i64 = 363_000;
/// Smallest 8-digit caseid.
const MIN_CASEID: i64 = 10_000_000;
/// Largest caseid the generator uses.
const MAX_CASEID: i64 = 99_999_999;

/// Approximate first caseid FDA assigned in a quarter (clamped to 8 digits).
pub(crate) fn caseid_base(year: u16, quarter: u8) -> u32 {
    let idx = quarter_index(year, quarter);
    (CASEID_2017Q2 + (idx - IDX_2017Q2) * CASEIDS_PER_QUARTER)
        .clamp(MIN_CASEID, MAX_CASEID - 50_000_000) as u32
}

/// Approximate day on which a caseid was first received (inverse of [`caseid_base`]).
fn receipt_day_of(caseid: u32) -> i32 {
    let offset = i64::from(caseid) - CASEID_2017Q2;
    let idx = IDX_2017Q2 + offset.div_euclid(CASEIDS_PER_QUARTER);
    let frac = offset.rem_euclid(CASEIDS_PER_QUARTER);
    let (start, end) = quarter_bounds((idx / 4) as u16, (idx % 4 + 1) as u8);
    start + (frac * i64::from(end - start) / CASEIDS_PER_QUARTER) as i32
}

/// Plans every quarter of `quarters` (returned in the same order). Quarters are planned in
/// chronological order, so follow-ups always go forward in time.
pub(crate) fn plan(seed: u64, quarters: &[QuarterSpec]) -> Vec<QuarterPlan> {
    let mut order: Vec<usize> = (0..quarters.len()).collect();
    order.sort_by_key(|&i| quarter_index(quarters[i].year, quarters[i].quarter));
    let mut plans: Vec<Option<QuarterPlan>> = vec![None; quarters.len()];
    if quarters.is_empty() {
        return Vec::new();
    }

    let first = &quarters[order[0]];
    let first_base = caseid_base(first.year, first.quarter);
    // Older caseids (for follow-ups of cases received before the first generated quarter and
    // for deleted caseids matching no row) come from the 6 years before it.
    let old_needed: usize = quarters.iter().map(|q| q.reports / 2 + 16).sum();
    let mut old_lo = (i64::from(first_base) - 24 * CASEIDS_PER_QUARTER).max(MIN_CASEID);
    if i64::from(first_base) - old_lo < 4 * old_needed as i64 {
        old_lo = (i64::from(first_base) - 4 * old_needed as i64 - 1000).max(1_000_000);
    }
    let mut old = OldCaseids {
        lo: old_lo as u32,
        hi: first_base,
        used: HashSet::new(),
    };

    let mut next_new: u32 = first_base;
    let mut carried: Vec<Carry> = Vec::new();
    let mut pending_deletes: Vec<u32> = Vec::new();

    for (pos, &qi) in order.iter().enumerate() {
        let spec = &quarters[qi];
        let r = spec.reports;
        let has_next = pos + 1 < order.len();
        let (qs, qe) = quarter_bounds(spec.year, spec.quarter);
        let len = i64::from(qe - qs);
        let mut rng = Rng::new(derive(
            seed,
            0x504C_414E_0000_0000 ^ quarter_index(spec.year, spec.quarter) as u64,
        ));
        let mut entries: Vec<Entry> = Vec::with_capacity(r);
        let mut deleted: Vec<u32> = std::mem::take(&mut pending_deletes);
        let mut next_carried: Vec<Carry> = Vec::new();
        // Latest emitted version of each case of this quarter, for deciding its fate.
        let mut latest: Vec<Carry> = Vec::with_capacity(r);
        let day_in_quarter = |rng: &mut Rng| qs + rng.range_i64(0, len) as i32;
        next_new = next_new.max(caseid_base(spec.year, spec.quarter));

        // 1. Follow-ups of the previous generated quarter's cases.
        carried.truncate(r * 45 / 100);
        for c in carried.drain(..) {
            entries.push(Entry {
                caseid: c.caseid,
                version: c.version,
                fda_day: day_in_quarter(&mut rng),
                init_day: c.init_day,
            });
            latest.push(c);
        }
        let n_carried = entries.len();

        // 2. Cases with two versions in this quarter.
        let doubles = if r >= 100 {
            (r * 5 / 1000).max(1).min((r - n_carried) / 4)
        } else {
            0
        };
        for i in 0..doubles {
            let tie = i == 0 || rng.chance(0.3);
            let day1 = day_in_quarter(&mut rng);
            let day2 = if tie || day1 == qe {
                day1
            } else {
                day1 + rng.range_i64(1, i64::from(qe - day1).min(45)) as i32
            };
            let (caseid, v1, init_day) = if rng.chance(0.5) {
                let caseid = old.draw(&mut rng);
                let v = draw_old_version(&mut rng);
                (caseid, v, old_init_day(&mut rng, caseid, day1))
            } else {
                let caseid = take_new(&mut next_new, &mut rng, 1);
                (caseid, 1, day1)
            };
            for (version, fda_day) in [(v1, day1), (v1 + 1, day2)] {
                entries.push(Entry {
                    caseid,
                    version,
                    fda_day,
                    init_day,
                });
            }
            latest.push(Carry {
                caseid,
                version: v1 + 1,
                init_day,
            });
        }

        // 3. Follow-ups of older cases.
        let n_old = (r * 30 / 100)
            .saturating_sub(n_carried)
            .min(r - entries.len());
        for _ in 0..n_old {
            let caseid = old.draw(&mut rng);
            let version = draw_old_version(&mut rng);
            let fda_day = day_in_quarter(&mut rng);
            let init_day = old_init_day(&mut rng, caseid, fda_day);
            entries.push(Entry {
                caseid,
                version,
                fda_day,
                init_day,
            });
            latest.push(Carry {
                caseid,
                version,
                init_day,
            });
        }

        // 4. New cases.
        let n_new = r - entries.len();
        let stride = if n_new > 0 {
            ((2 * CASEIDS_PER_QUARTER) / n_new as i64 - 1).max(1) as u64
        } else {
            1
        };
        for _ in 0..n_new {
            let caseid = take_new(&mut next_new, &mut rng, stride);
            let fda_day = day_in_quarter(&mut rng);
            let mut version = rng.pick_weighted(&[(1u16, 88u32), (2, 10), (3, 2)]);
            if fda_day == qs {
                version = 1;
            }
            let init_day = if version == 1 {
                fda_day
            } else {
                fda_day - rng.range_i64(1, i64::from(fda_day - qs).min(60)) as i32
            };
            entries.push(Entry {
                caseid,
                version,
                fda_day,
                init_day,
            });
            latest.push(Carry {
                caseid,
                version,
                init_day,
            });
        }
        debug_assert_eq!(entries.len(), r);

        // 5. Fate of each case: a follow-up in the next quarter, a deletion, or nothing.
        for c in latest {
            let u = rng.unit();
            if has_next && u < 0.12 {
                let step = if rng.chance(0.85) { 1 } else { 2 };
                next_carried.push(Carry {
                    version: c.version + step,
                    ..c
                });
            } else if (0.12..0.122).contains(&u) {
                deleted.push(c.caseid);
            } else if (0.122..0.125).contains(&u) {
                if has_next {
                    pending_deletes.push(c.caseid);
                } else {
                    deleted.push(c.caseid);
                }
            }
        }
        // Deleted caseids that match no row of any generated quarter.
        for _ in 0..(r * 4 / 1000).max(usize::from(r > 0)) {
            deleted.push(old.draw(&mut rng));
        }
        // FDA's lists repeat entries.
        let repeats = deleted.len() / 100;
        for _ in 0..repeats {
            let i = rng.index(deleted.len());
            deleted.push(deleted[i]);
        }
        deleted.sort_unstable();
        entries.sort_unstable_by_key(|e| (e.caseid, e.version));
        carried = next_carried;
        plans[qi] = Some(QuarterPlan { entries, deleted });
    }
    plans
        .into_iter()
        .map(|p| p.expect("every quarter planned"))
        .collect()
}

/// Caseids below the first generated quarter's range, each used at most once.
struct OldCaseids {
    lo: u32,
    hi: u32,
    used: HashSet<u32>,
}

impl OldCaseids {
    /// Draws an unused old caseid, skewed towards recent (large) numbers.
    fn draw(&mut self, rng: &mut Rng) -> u32 {
        let span = u64::from(self.hi - self.lo);
        for _ in 0..64 {
            let u = rng.unit();
            let back = (span as f64 * u * u) as u64;
            let c = self.hi - 1 - back.min(span - 1) as u32;
            if self.used.insert(c) {
                return c;
            }
        }
        // Dense corner: walk down from a random point to the first free number.
        let mut c = self.hi - 1 - rng.below(span) as u32;
        loop {
            if self.used.insert(c) {
                return c;
            }
            c = if c > self.lo { c - 1 } else { self.hi - 1 };
        }
    }
}

/// Takes the next new caseid and advances the counter by a random stride in `1..=stride`.
fn take_new(next: &mut u32, rng: &mut Rng, stride: u64) -> u32 {
    let c = *next;
    *next += 1 + rng.below(stride) as u32;
    c
}

/// Version of an older case's follow-up: mostly 2–4, a tail up to 19 (10-digit primaryids).
fn draw_old_version(rng: &mut Rng) -> u16 {
    match rng.below(1000) {
        0..=449 => 2,
        450..=699 => 3,
        700..=819 => 4,
        820..=889 => 5,
        890..=929 => 6,
        930..=979 => rng.range_i64(7, 9) as u16,
        _ => rng.range_i64(10, 19) as u16,
    }
}

/// init_fda_dt of an older case: its receipt date (from the caseid), strictly before fda_dt.
fn old_init_day(rng: &mut Rng, caseid: u32, fda_day: i32) -> i32 {
    let d = receipt_day_of(caseid);
    if d < fda_day {
        d
    } else {
        fda_day - rng.range_i64(30, 720) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn specs() -> Vec<QuarterSpec> {
        vec![
            QuarterSpec {
                year: 2024,
                quarter: 1,
                reports: 5000,
            },
            QuarterSpec {
                year: 2024,
                quarter: 2,
                reports: 6000,
            },
        ]
    }

    #[test]
    fn counts_order_and_dates() {
        let plans = plan(1, &specs());
        for (p, s) in plans.iter().zip(specs()) {
            assert_eq!(p.entries.len(), s.reports);
            let (qs, qe) = quarter_bounds(s.year, s.quarter);
            for w in p.entries.windows(2) {
                assert!((w[0].caseid, w[0].version) < (w[1].caseid, w[1].version));
            }
            for e in &p.entries {
                assert!((qs..=qe).contains(&e.fda_day));
                assert!(e.init_day <= e.fda_day);
                assert!((10_000_000..100_000_000).contains(&e.caseid));
                assert!(e.version >= 1);
            }
            assert!(p.deleted.windows(2).all(|w| w[0] <= w[1]));
            assert!(!p.deleted.is_empty());
        }
    }

    #[test]
    fn cross_quarter_follow_ups_and_same_quarter_ties() {
        let plans = plan(2, &specs());
        let q1: HashMap<u32, &Entry> = plans[0].entries.iter().map(|e| (e.caseid, e)).collect();
        let mut followed = 0;
        for e in &plans[1].entries {
            if let Some(p) = q1.get(&e.caseid) {
                assert!(e.version > p.version && e.fda_day > p.fda_day);
                assert_eq!(e.init_day, p.init_day);
                followed += 1;
            }
        }
        assert!(followed > 300, "{followed}");
        let ties = plans[0]
            .entries
            .windows(2)
            .filter(|w| w[0].caseid == w[1].caseid && w[0].fda_day == w[1].fda_day)
            .count();
        assert!(ties >= 1);
    }

    #[test]
    fn deleted_cases_are_never_followed_up_later() {
        let plans = plan(3, &specs());
        let later: HashSet<u32> = plans[1].entries.iter().map(|e| e.caseid).collect();
        let q1: HashSet<u32> = plans[0].entries.iter().map(|e| e.caseid).collect();
        for c in &plans[0].deleted {
            assert!(!later.contains(c), "deleted {c} reappears");
        }
        // Some of the second list's entries match first-quarter rows.
        assert!(plans[1].deleted.iter().any(|c| q1.contains(c)));
    }

    #[test]
    fn receipt_day_inverts_the_caseid_base() {
        let base = caseid_base(2020, 3);
        let (qs, qe) = quarter_bounds(2020, 3);
        assert!((qs..=qe).contains(&receipt_day_of(base)));
    }
}
