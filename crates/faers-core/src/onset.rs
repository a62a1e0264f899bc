//! Time to onset (TTO): per target case, its summary, and a Weibull fit.
//!
//! **Per case** ([`onset_of`]): TTO = `event_dt` − the earliest `start_dt` among the THER
//! rows of the report that belong to the target drug, in days. A THER row belongs to the
//! target drug when its `dsg_drug_seq` equals the `drug_seq` of a DRUG row of the same report
//! that selects the report (a matching `drugname` or `prod_ai` in one of the selected roles,
//! [`Selection::row_matches`]). Only full 8-digit dates are used; THER rows of other drugs
//! are ignored. With [`OnsetConvention::PlusOne`] one day is added (day 1 = the first day of
//! therapy); the default [`OnsetConvention::PlusZero`] reports the plain difference. A case
//! without a usable TTO gets an [`OnsetExclusion`] saying why.
//!
//! **Summary** ([`OnsetSummary`]): n, exclusions by reason, type 7 quartiles, mean, range,
//! counts in the bands usual in FAERS studies (0-30, 31-60, 61-90, 91-180, 181-360, >360
//! days) and a two-parameter Weibull fit ([`weibull_mle`]) whose shape parameter reads as
//! early, random or wear-out failure ([`FailureType`]).
//!
//! All transcendental functions go through `libm`, so native and WebAssembly builds give
//! bit-identical numbers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::describe::quantile_type7;
use crate::select::Selection;
use crate::store::{DrugRow, QuarterData, Role};
use crate::values::DatePrecision;

/// Which day counts as day 0 of therapy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OnsetConvention {
    /// TTO = event_dt − start_dt (an event on the first day of therapy is day 0). The
    /// default, as the contract's `time_to_onset`.
    #[default]
    #[serde(rename = "+0")]
    PlusZero,
    /// TTO = event_dt − start_dt + 1 (the first day of therapy is day 1), as some tools do.
    /// Every TTO is then ≥ 1, which also keeps every case in the Weibull fit.
    #[serde(rename = "+1")]
    PlusOne,
}

impl OnsetConvention {
    /// The days added to the difference of the dates: 0 or 1.
    pub fn offset(self) -> i64 {
        match self {
            OnsetConvention::PlusZero => 0,
            OnsetConvention::PlusOne => 1,
        }
    }
}

/// Why a case has no time to onset. Checked in this order: the event date first, then the
/// target drug's therapy rows, then the sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnsetExclusion {
    /// `event_dt` is blank (or was unparsable, which the reader stores as blank).
    NoEventDate,
    /// `event_dt` is given only as `YYYY` or `YYYYMM`, or as a `YYYYMMDD` that is not a day
    /// of the calendar (such as 20170231).
    PartialEventDate,
    /// No THER row of the report joins to a DRUG row of the target drug in the selected
    /// roles.
    NoTherapyRow,
    /// The target drug has THER rows, but every `start_dt` of them is blank.
    NoStartDate,
    /// The target drug's THER rows have start dates, but none is a full calendar date
    /// (only `YYYY`, `YYYYMM`, or an impossible day).
    PartialStartDate,
    /// The event date is before the earliest start date.
    Negative,
}

impl OnsetExclusion {
    /// Every reason, in the order they are checked.
    pub const ALL: [OnsetExclusion; 6] = [
        OnsetExclusion::NoEventDate,
        OnsetExclusion::PartialEventDate,
        OnsetExclusion::NoTherapyRow,
        OnsetExclusion::NoStartDate,
        OnsetExclusion::PartialStartDate,
        OnsetExclusion::Negative,
    ];

    /// The reason's name in the result object (its serde name).
    pub fn as_str(&self) -> &'static str {
        match self {
            OnsetExclusion::NoEventDate => "no_event_date",
            OnsetExclusion::PartialEventDate => "partial_event_date",
            OnsetExclusion::NoTherapyRow => "no_therapy_row",
            OnsetExclusion::NoStartDate => "no_start_date",
            OnsetExclusion::PartialStartDate => "partial_start_date",
            OnsetExclusion::Negative => "negative",
        }
    }

    /// A sentence for people.
    pub fn describe(&self) -> &'static str {
        match self {
            OnsetExclusion::NoEventDate => "no event date",
            OnsetExclusion::PartialEventDate => {
                "event date incomplete (year or year and month only) or not a calendar day"
            }
            OnsetExclusion::NoTherapyRow => "no therapy (THER) row for the target drug",
            OnsetExclusion::NoStartDate => "the target drug's therapy rows have no start date",
            OnsetExclusion::PartialStartDate => {
                "the target drug's start dates are all incomplete (year or year and month only)"
            }
            OnsetExclusion::Negative => "event date before the start of therapy",
        }
    }
}

/// Time to onset of one report, in days, or why there is none.
///
/// TTO = `event_dt` − the earliest full `start_dt` of the THER rows whose `dsg_drug_seq`
/// equals the `drug_seq` of a DRUG row of `report` that matches the selection in one of
/// `roles`, plus [`OnsetConvention::offset`]. Partial start dates are skipped as long as one
/// target THER row has a full one. The report need not be a target report: one without a
/// matching drug row gets [`OnsetExclusion::NoTherapyRow`].
///
/// Linear in the report's DRUG and THER rows and allocation-free when the target drug's
/// `drug_seq` values span fewer than 256 (always in FAERS, where they run 1..n within a
/// report); otherwise (legacy global DRUG_SEQs far apart) each THER row scans the DRUG rows.
pub fn onset_of(
    q: &QuarterData,
    sel: &Selection,
    report: usize,
    roles: &[Role],
    convention: OnsetConvention,
) -> Result<i64, OnsetExclusion> {
    let event = q.reports.event_dt.get(report);
    let event_days = match event.precision() {
        DatePrecision::Missing => return Err(OnsetExclusion::NoEventDate),
        DatePrecision::Year | DatePrecision::Month => return Err(OnsetExclusion::PartialEventDate),
        DatePrecision::Day => event.days().ok_or(OnsetExclusion::PartialEventDate)?,
    };

    let is_target = |d: &DrugRow| sel.row_matches(d, roles);
    let target_seqs = || {
        q.drugs
            .with_seqs(report)
            .filter(|(d, _)| is_target(d))
            .map(|(_, seq)| seq)
    };
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    for seq in target_seqs() {
        lo = lo.min(seq);
        hi = hi.max(seq);
    }
    if lo > hi {
        return Err(OnsetExclusion::NoTherapyRow);
    }
    // The target seqs as a bit set over [lo, lo + 256) when they fit in it.
    let dense = hi - lo < 256;
    let mut bits = [0u64; 4];
    if dense {
        for seq in target_seqs() {
            let o = (seq - lo) as usize;
            bits[o / 64] |= 1 << (o % 64);
        }
    }
    let joins = |seq: u32| {
        if dense {
            let o = seq.wrapping_sub(lo) as usize;
            o < 256 && bits[o / 64] & (1 << (o % 64)) != 0
        } else {
            target_seqs().any(|s| s == seq)
        }
    };

    let (mut any_row, mut any_start) = (false, false);
    let mut earliest: Option<i64> = None;
    for (_, start) in q.therapies.of(report).filter(|&(seq, _)| joins(seq)) {
        any_row = true;
        if start.precision() != DatePrecision::Missing {
            any_start = true;
            if let Some(s) = start.days() {
                earliest = Some(earliest.map_or(s, |e| e.min(s)));
            }
        }
    }
    let start = earliest.ok_or(if !any_row {
        OnsetExclusion::NoTherapyRow
    } else if !any_start {
        OnsetExclusion::NoStartDate
    } else {
        OnsetExclusion::PartialStartDate
    })?;
    let days = event_days - start;
    if days < 0 {
        Err(OnsetExclusion::Negative)
    } else {
        Ok(days + convention.offset())
    }
}

/// How the shape parameter's confidence interval reads (Sauzet et al., Drug Safety 2013;
/// the usual reading in FAERS and JADER time-to-onset studies). The Weibull hazard is
/// proportional to t^(β−1):
/// - β < 1: the hazard decreases over time, the risk is highest soon after the start;
/// - β = 1: constant hazard (exponential distribution), events occur at random;
/// - β > 1: the hazard increases over time, the risk grows with exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureType {
    /// The whole interval of β is below 1.
    #[serde(rename = "early failure")]
    EarlyFailure,
    /// The interval of β contains 1 (inclusive).
    #[serde(rename = "random failure")]
    RandomFailure,
    /// The whole interval of β is above 1.
    #[serde(rename = "wear-out failure")]
    WearOutFailure,
}

impl FailureType {
    /// The reading in words, as serialised (`"early failure"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FailureType::EarlyFailure => "early failure",
            FailureType::RandomFailure => "random failure",
            FailureType::WearOutFailure => "wear-out failure",
        }
    }

    /// Reads a confidence interval of the shape parameter.
    pub fn from_shape_interval(lower: f64, upper: f64) -> FailureType {
        if upper < 1.0 {
            FailureType::EarlyFailure
        } else if lower > 1.0 {
            FailureType::WearOutFailure
        } else {
            FailureType::RandomFailure
        }
    }
}

/// A two-parameter Weibull distribution (location 0) fitted by maximum likelihood, with
/// Wald confidence intervals. Density f(x) = (β/λ)(x/λ)^(β−1) exp(−(x/λ)^β), x > 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeibullFit {
    /// Values fitted (the positive ones).
    pub n: u64,
    /// Shape β (R's and scipy's `shape`/`c`).
    pub shape: f64,
    /// Standard error of β, from the observed information.
    pub shape_se: f64,
    /// β − z·SE(β) (not clamped; can be ≤ 0 for tiny samples).
    pub shape_lower: f64,
    /// β + z·SE(β).
    pub shape_upper: f64,
    /// Scale λ, in days (R's and scipy's `scale`).
    pub scale: f64,
    /// Standard error of λ, from the observed information.
    pub scale_se: f64,
    /// λ − z·SE(λ) (not clamped; can be ≤ 0 for tiny samples).
    pub scale_lower: f64,
    /// λ + z·SE(λ).
    pub scale_upper: f64,
    /// Log-likelihood at the estimate (natural log, densities per day, fitted values only).
    pub log_likelihood: f64,
    /// Values left out because they are not > 0 (TTO of day 0).
    pub zeros_excluded: u64,
    /// Newton/bisection steps taken on the shape equation.
    pub iterations: u32,
    /// The reading of the shape's interval.
    pub failure_type: FailureType,
}

/// Fits a two-parameter Weibull (location 0) to `x` by maximum likelihood.
///
/// The density at 0 is 0 or infinite, so values ≤ 0 (a TTO of day 0 under the +0
/// convention) cannot enter the likelihood: they are left out and counted in
/// [`WeibullFit::zeros_excluded`]. The +1 convention avoids this. `None` when fewer than two
/// positive values remain, when they are all equal (no finite maximum), or when a value is
/// not finite.
///
/// The shape β solves the profile equation
/// g(β) = Σ x^β ln x / Σ x^β − 1/β − mean(ln x) = 0 (g increases from −∞ to
/// ln max x − mean ln x > 0, so the root is unique), by Newton's method kept inside a
/// bracket, falling back to bisection. Powers are taken of x / max x, so large values cannot
/// overflow. Then λ = (Σ x^β / n)^(1/β).
///
/// Confidence intervals are Wald intervals on the natural scale, estimate ± z·SE, with the
/// standard errors from the inverse of the observed information matrix (minus the analytic
/// Hessian of the log-likelihood at the estimate). This is what R's `fitdistrplus::fitdist`
/// reports (its SEs come from the Hessian at the MLE), and what most FAERS time-to-onset
/// studies quote. Bounds are reported as computed, without clamping at 0.
pub fn weibull_mle(x: &[f64], z: f64) -> Option<WeibullFit> {
    if x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let zeros = x.iter().filter(|&&v| v <= 0.0).count();
    let n = x.len() - zeros;
    if n < 2 {
        return None;
    }
    let max = x.iter().copied().fold(f64::MIN, f64::max);
    let ln_max = libm::log(max);
    // u = ln(x / max) ≤ 0: every power below is exp(β·u) ≤ 1.
    let u: Vec<f64> = x
        .iter()
        .filter(|&&v| v > 0.0)
        .map(|&v| libm::log(v) - ln_max)
        .collect();
    let nf = n as f64;
    let mean_u = u.iter().sum::<f64>() / nf;
    let var_u = u.iter().map(|v| (v - mean_u) * (v - mean_u)).sum::<f64>() / (nf - 1.0);
    if var_u <= 0.0 {
        return None;
    }

    // g(β) and g'(β), with weights w = exp(β·u) normalised by their sum.
    let eval = |k: f64| {
        let (mut s0, mut s1) = (0.0, 0.0);
        for &v in &u {
            let w = libm::exp(k * v);
            s0 += w;
            s1 += w * v;
        }
        let m1 = s1 / s0;
        let var: f64 = u
            .iter()
            .map(|&v| libm::exp(k * v) * (v - m1) * (v - m1))
            .sum::<f64>()
            / s0;
        (m1 - 1.0 / k - mean_u, var + 1.0 / (k * k))
    };

    // Start from the moment estimate (sd of ln x = π / (β√6)), then bracket the root.
    let k0 = std::f64::consts::PI / (6f64.sqrt() * var_u.sqrt());
    let (mut lo, mut hi) = (k0, k0);
    let mut steps = 0;
    while eval(lo).0 >= 0.0 {
        lo *= 0.5;
        steps += 1;
        if steps > 2100 || lo == 0.0 {
            return None;
        }
    }
    while eval(hi).0 <= 0.0 {
        hi *= 2.0;
        steps += 1;
        if steps > 2100 || !hi.is_finite() {
            return None;
        }
    }
    let mut k = if k0 > lo && k0 < hi {
        k0
    } else {
        0.5 * (lo + hi)
    };
    let mut iterations = 0u32;
    while iterations < 500 {
        iterations += 1;
        let (g, dg) = eval(k);
        if g == 0.0 {
            break;
        }
        if g < 0.0 {
            lo = k;
        } else {
            hi = k;
        }
        let mut next = k - g / dg;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        let done = (next - k).abs() <= 1e-15 * k;
        k = next;
        if done || hi - lo <= 1e-15 * hi {
            break;
        }
    }

    // At β: λ = max · (Σw / n)^(1/β); z_i = ln(x_i/λ) = u_i − c with c = ln(Σw/n)/β.
    let s0: f64 = u.iter().map(|&v| libm::exp(k * v)).sum();
    let c = libm::log(s0 / nf) / k;
    let scale = max * libm::exp(c);
    let sum_u: f64 = u.iter().sum();
    // ℓ = n ln β − n β ln λ + (β − 1) Σ ln x − Σ (x/λ)^β, where Σ (x/λ)^β = n at the MLE.
    let log_likelihood =
        nf * libm::log(k) - nf * libm::log(s0 / nf) - nf * ln_max + (k - 1.0) * sum_u - nf;
    // Observed information with p_i = (x_i/λ)^β / n (they sum to 1), m1 = Σ p z,
    // m2 = Σ p z²: I_ββ = n(1/β² + m2), I_βλ = −(β/λ) n m1, I_λλ = n β²/λ².
    // Its inverse: Var β = 1/(n(1/β² + m2 − m1²)), Var λ = λ²(1/β² + m2)/(n β² (1/β² + m2 − m1²)).
    let (mut m1, mut m2) = (0.0, 0.0);
    for &v in &u {
        let p = libm::exp(k * v) / s0;
        let zi = v - c;
        m1 += p * zi;
        m2 += p * zi * zi;
    }
    let var_z: f64 = u
        .iter()
        .map(|&v| {
            let d = v - c - m1;
            libm::exp(k * v) / s0 * d * d
        })
        .sum();
    let inv_k2 = 1.0 / (k * k);
    let shape_se = (1.0 / (nf * (inv_k2 + var_z))).sqrt();
    let scale_se = scale * ((inv_k2 + m2) / (nf * k * k * (inv_k2 + var_z))).sqrt();
    if !(k.is_finite() && scale.is_finite() && shape_se.is_finite() && scale_se.is_finite()) {
        return None;
    }
    let (shape_lower, shape_upper) = (k - z * shape_se, k + z * shape_se);
    Some(WeibullFit {
        n: n as u64,
        shape: k,
        shape_se,
        shape_lower,
        shape_upper,
        scale,
        scale_se,
        scale_lower: scale - z * scale_se,
        scale_upper: scale + z * scale_se,
        log_likelihood,
        zeros_excluded: zeros as u64,
        iterations,
        failure_type: FailureType::from_shape_interval(shape_lower, shape_upper),
    })
}

/// The bands of TTO in days, each with its inclusive upper bound.
const BANDS: [(&str, i64); 6] = [
    ("0-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("91-180", 180),
    ("181-360", 360),
    (">360", i64::MAX),
];

/// The label of the band a TTO falls in (values below 0, which [`onset_of`] never returns,
/// fall in the first).
pub fn band_of(days: i64) -> &'static str {
    BANDS
        .iter()
        .find(|(_, upper)| days <= *upper)
        .map_or(">360", |(label, _)| label)
}

/// Cases in one band of TTO.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnsetBand {
    /// `0-30`, `31-60`, `61-90`, `91-180`, `181-360` or `>360` (days, inclusive, on the TTO
    /// as computed under the convention in force).
    pub label: &'static str,
    /// Cases in the band.
    pub count: u64,
    /// count / n; `None` (null) when n = 0.
    pub share: Option<f64>,
}

/// Time to onset over the target cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnsetSummary {
    /// The convention the TTOs were computed with.
    pub convention: OnsetConvention,
    /// Cases with a TTO.
    pub n: u64,
    /// Cases without one, by [`OnsetExclusion`] name; every reason is present (0 when none).
    pub excluded: BTreeMap<String, u64>,
    /// Median days (type 7).
    pub median: Option<f64>,
    /// First quartile (type 7).
    pub q1: Option<f64>,
    /// Third quartile (type 7).
    pub q3: Option<f64>,
    /// Mean days.
    pub mean: Option<f64>,
    /// Shortest TTO.
    pub min: Option<i64>,
    /// Longest TTO.
    pub max: Option<i64>,
    /// Cases per band, all six bands in order.
    pub bands: Vec<OnsetBand>,
    /// Weibull fit of the positive TTOs ([`weibull_mle`]); `None` when it cannot be fitted.
    pub weibull: Option<WeibullFit>,
}

impl OnsetSummary {
    /// Summarises the TTOs of the cases that have one (`days`, as returned by [`onset_of`]
    /// under `convention`) and the reasons of those that do not (`exclusions`, one per
    /// case). `z` is the normal quantile of the Weibull intervals (1.96 for 95%).
    pub fn from_days(
        days: &[i64],
        exclusions: &[OnsetExclusion],
        convention: OnsetConvention,
        z: f64,
    ) -> OnsetSummary {
        let mut excluded: BTreeMap<String, u64> = OnsetExclusion::ALL
            .iter()
            .map(|e| (e.as_str().to_owned(), 0))
            .collect();
        for e in exclusions {
            *excluded.get_mut(e.as_str()).expect("preset") += 1;
        }
        let mut sorted: Vec<f64> = days.iter().map(|&d| d as f64).collect();
        sorted.sort_by(f64::total_cmp);
        let n = days.len() as u64;
        let mut bands: Vec<OnsetBand> = BANDS
            .iter()
            .map(|(label, _)| OnsetBand {
                label,
                count: 0,
                share: None,
            })
            .collect();
        for &d in days {
            let label = band_of(d);
            bands
                .iter_mut()
                .find(|b| b.label == label)
                .expect("every band is listed")
                .count += 1;
        }
        if n > 0 {
            for b in &mut bands {
                b.share = Some(b.count as f64 / n as f64);
            }
        }
        OnsetSummary {
            convention,
            n,
            excluded,
            median: quantile_type7(&sorted, 0.5),
            q1: quantile_type7(&sorted, 0.25),
            q3: quantile_type7(&sorted, 0.75),
            mean: (n > 0).then(|| sorted.iter().sum::<f64>() / n as f64),
            min: days.iter().copied().min(),
            max: days.iter().copied().max(),
            bands,
            weibull: weibull_mle(&sorted, z),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::Quarter;
    use crate::options::MatchMode;
    use crate::schema::Era;
    use crate::select::Terms;
    use crate::store::{Drugs, Grouped, ProductTable, Reports, SeqRows, Vocabulary, NO_TEXT};
    use crate::values::Date;

    // ---------------------------------------------------------------- Weibull references
    //
    // Reference values computed with scipy 1.17.1 / numpy 2.4.6 / mpmath 1.4.1 (Python
    // 3.11) by this script; z = 1.96:
    //
    //   import numpy as np
    //   from scipy import stats, optimize
    //   import mpmath as mp
    //   mp.mp.dps = 50
    //   Z = 1.96
    //   def tight(func, x0, args=(), disp=0):   # scipy's default fmin stops at xtol 1e-4
    //       return optimize.fmin(func, x0, args=args, xtol=1e-13, ftol=1e-15,
    //                            maxiter=100000, maxfun=100000, disp=0)
    //   def reference(name, x):
    //       x = np.asarray(x, dtype=float); n = len(x)
    //       c0, _, s0 = stats.weibull_min.fit(x, floc=0)
    //       c1, _, s1 = stats.weibull_min.fit(x, floc=0, optimizer=tight)
    //       ll1 = np.sum(stats.weibull_min.logpdf(x, c1, 0, s1))
    //       # independent: the profile equation in 50-digit arithmetic
    //       xs = [mp.mpf(int(v)) for v in x]; lx = [mp.log(v) for v in xs]
    //       mlx = sum(lx) / n
    //       g = lambda k: (sum(v**k * l for v, l in zip(xs, lx)) / sum(v**k for v in xs)
    //                      - 1/k - mlx)
    //       k = mp.findroot(g, mp.mpf(c1))
    //       lam = (sum(v**k for v in xs) / n) ** (1/k)
    //       ll = (n*mp.log(k) - n*k*mp.log(lam) + (k-1)*sum(lx)
    //             - sum((v/lam)**k for v in xs))
    //       # observed information = minus the analytic Hessian at the MLE
    //       zz = [l - mp.log(lam) for l in lx]; tk = [mp.e**(k*z) for z in zz]
    //       Ikk = n/k**2 + sum(t*z*z for t, z in zip(tk, zz))
    //       Ikl = -(k/lam) * sum(t*z for t, z in zip(tk, zz))
    //       Ill = n*k**2/lam**2
    //       det = Ikk*Ill - Ikl**2
    //       se_k = mp.sqrt(Ill/det); se_l = mp.sqrt(Ikk/det)
    //       # cross-check: central finite-difference Hessian of scipy's -logpdf sum,
    //       # step 1e-4 relative, inverted with numpy -> fd_se
    //       ... print(c0, s0, c1, s1, ll1, k, lam, ll, se_k, se_l, fd_se,
    //                 k -+ Z*se_k, lam -+ Z*se_l)
    //
    // Printed:
    // == A (n=25)
    // scipy default fit : shape 0.6853822582 scale 61.88542013
    // scipy tight fit   : shape 0.6853824291 scale 61.8853869143 loglik -131.238779853
    // mpmath profile    : shape 0.685382436426723 scale 61.8853900174318 loglik -131.238779852904
    // SE analytic       : shape 0.105878623239 scale 19.1080657088
    // SE finite diff    : shape 0.10587862 scale 19.108065
    // Wald z=1.96       : shape [0.477860334877, 0.892904537976] scale [24.4335812282, 99.3371988067]
    // == B (n=20)
    // scipy default fit : shape 4.5672204 scale 87.09568839
    // scipy tight fit   : shape 4.56721787028 scale 87.0956508244 loglik -87.4850541561
    // mpmath profile    : shape 4.56721788784027 scale 87.0956506567332 loglik -87.4850541560549
    // SE analytic       : shape 0.776518174299 scale 4.51144700604
    // SE finite diff    : shape 0.7765182 scale 4.5114467
    // Wald z=1.96       : shape [3.04524226621, 6.08919350947] scale [78.2532145249, 95.9380867886]
    // == C (n=20)
    // scipy default fit : shape 1.054991051 scale 103.0049843
    // scipy tight fit   : shape 1.05499080129 scale 103.00499131 loglik -112.22777431
    // mpmath profile    : shape 1.05499079015958 scale 103.004990330216 loglik -112.227774310045
    // SE analytic       : shape 0.186050834228 scale 23.0078636889
    // SE finite diff    : shape 0.18605083 scale 23.007863
    // Wald z=1.96       : shape [0.690331155073, 1.41965042525] scale [57.9095775, 148.10040316]

    const A: [f64; 25] = [
        1.0, 2.0, 3.0, 3.0, 5.0, 7.0, 8.0, 12.0, 14.0, 15.0, 21.0, 28.0, 30.0, 35.0, 42.0, 56.0,
        60.0, 75.0, 90.0, 120.0, 150.0, 200.0, 280.0, 365.0, 400.0,
    ];
    const B: [f64; 20] = [
        45.0, 52.0, 58.0, 61.0, 64.0, 67.0, 70.0, 72.0, 75.0, 77.0, 80.0, 83.0, 85.0, 88.0, 90.0,
        94.0, 98.0, 103.0, 110.0, 120.0,
    ];
    const C: [f64; 20] = [
        3.0, 9.0, 14.0, 20.0, 27.0, 33.0, 41.0, 48.0, 57.0, 66.0, 77.0, 88.0, 101.0, 116.0, 133.0,
        155.0, 182.0, 217.0, 270.0, 360.0,
    ];

    /// (shape, scale, loglik, shape CI, scale CI) from mpmath; scipy's tight fit (shape,
    /// scale, loglik).
    struct Reference {
        exact: [f64; 7],
        scipy: [f64; 3],
    }

    const REF_A: Reference = Reference {
        exact: [
            0.685382436426723,
            61.8853900174318,
            -131.238779852904,
            0.477860334877,
            0.892904537976,
            24.4335812282,
            99.3371988067,
        ],
        scipy: [0.6853824291, 61.8853869143, -131.238779853],
    };
    const REF_B: Reference = Reference {
        exact: [
            4.56721788784027,
            87.0956506567332,
            -87.4850541560549,
            3.04524226621,
            6.08919350947,
            78.2532145249,
            95.9380867886,
        ],
        scipy: [4.56721787028, 87.0956508244, -87.4850541561],
    };
    const REF_C: Reference = Reference {
        exact: [
            1.05499079015958,
            103.004990330216,
            -112.227774310045,
            0.690331155073,
            1.41965042525,
            57.9095775,
            148.10040316,
        ],
        scipy: [1.05499080129, 103.00499131, -112.22777431],
    };

    fn close(got: f64, want: f64, rel: f64, what: &str) {
        assert!(
            (got - want).abs() <= rel * want.abs(),
            "{what}: got {got}, want {want} (rel {rel})"
        );
    }

    fn check(x: &[f64], r: &Reference) -> WeibullFit {
        let f = weibull_mle(x, 1.96).expect("fits");
        assert_eq!(f.n, x.len() as u64);
        assert_eq!(f.zeros_excluded, 0);
        // Against the 50-digit solution: our own precision.
        close(f.shape, r.exact[0], 1e-10, "shape");
        close(f.scale, r.exact[1], 1e-10, "scale");
        close(f.log_likelihood, r.exact[2], 1e-12, "log-likelihood");
        close(f.shape_lower, r.exact[3], 1e-9, "shape lower");
        close(f.shape_upper, r.exact[4], 1e-9, "shape upper");
        close(f.scale_lower, r.exact[5], 1e-9, "scale lower");
        close(f.scale_upper, r.exact[6], 1e-9, "scale upper");
        // Against scipy.stats.weibull_min.fit(x, floc=0) (tight optimiser): ≥ 6 digits.
        close(f.shape, r.scipy[0], 1e-6, "scipy shape");
        close(f.scale, r.scipy[1], 1e-6, "scipy scale");
        close(f.log_likelihood, r.scipy[2], 1e-6, "scipy log-likelihood");
        assert!(f.iterations >= 1 && f.iterations < 100, "{}", f.iterations);
        f
    }

    #[test]
    fn weibull_matches_scipy_early_failure() {
        let f = check(&A, &REF_A);
        assert_eq!(f.failure_type, FailureType::EarlyFailure);
    }

    #[test]
    fn weibull_matches_scipy_wear_out_failure() {
        let f = check(&B, &REF_B);
        assert_eq!(f.failure_type, FailureType::WearOutFailure);
    }

    #[test]
    fn weibull_matches_scipy_random_failure() {
        let f = check(&C, &REF_C);
        assert_eq!(f.failure_type, FailureType::RandomFailure);
    }

    #[test]
    fn weibull_order_does_not_matter() {
        let mut rev = A;
        rev.reverse();
        let (f, g) = (
            weibull_mle(&A, 1.96).unwrap(),
            weibull_mle(&rev, 1.96).unwrap(),
        );
        close(g.shape, f.shape, 1e-13, "shape");
        close(g.scale, f.scale, 1e-13, "scale");
    }

    #[test]
    fn weibull_needs_two_distinct_positive_values() {
        assert_eq!(weibull_mle(&[], 1.96), None);
        assert_eq!(weibull_mle(&[5.0], 1.96), None);
        assert_eq!(weibull_mle(&[0.0, 0.0, 5.0], 1.96), None);
        assert_eq!(weibull_mle(&[7.0, 7.0, 7.0, 7.0], 1.96), None);
        assert_eq!(weibull_mle(&[0.0, 7.0, 7.0], 1.96), None);
        assert_eq!(weibull_mle(&[1.0, f64::NAN, 3.0], 1.96), None);
        assert_eq!(weibull_mle(&[1.0, f64::INFINITY, 3.0], 1.96), None);
        let two = weibull_mle(&[1.0, 2.0], 1.96).expect("two distinct values fit");
        assert!(two.shape > 0.0 && two.scale > 1.0 && two.scale < 2.0);
    }

    #[test]
    fn weibull_leaves_out_zeros_and_counts_them() {
        let mut x = vec![0.0, 0.0, 0.0];
        x.extend_from_slice(&A);
        let f = weibull_mle(&x, 1.96).unwrap();
        assert_eq!(f.zeros_excluded, 3);
        assert_eq!(f.n, 25);
        let g = weibull_mle(&A, 1.96).unwrap();
        assert_eq!((f.shape, f.scale), (g.shape, g.scale));
    }

    #[test]
    fn weibull_huge_values_do_not_overflow() {
        // Scaling the data scales λ and leaves β alone.
        let big: Vec<f64> = B.iter().map(|v| v * 1e5).collect();
        let f = weibull_mle(&big, 1.96).unwrap();
        close(f.shape, REF_B.exact[0], 1e-9, "shape of scaled data");
        close(f.scale, REF_B.exact[1] * 1e5, 1e-9, "scale of scaled data");
        close(
            f.shape_upper,
            REF_B.exact[4],
            1e-8,
            "shape upper of scaled data",
        );
        // 1e5 days clustered within 50 days: β in the thousands, x^β far beyond f64.
        // Reference: the same 60-digit mpmath profile solution as above (scipy's fit is
        // not reliable this far out):
        //   x = [100000 + 5*i for i in range(10)]
        //   -> shape 7718.8649171659, scale 100029.644875958, loglik -41.1316696465751,
        //      SE shape 1894.63818338, SE scale 4.33931792368
        //   x = [1, 10, 1e3, 1e5, 1e7, 1e9]
        //   -> shape 0.147261623128071, scale 594388.611645819, loglik -78.3281487061441,
        //      SE shape 0.0464494852348, SE scale 1746639.55363
        let cluster: Vec<f64> = (0..10).map(|i| 100_000.0 + 5.0 * i as f64).collect();
        let f = weibull_mle(&cluster, 1.96).unwrap();
        close(f.shape, 7718.8649171659, 1e-9, "cluster shape");
        close(f.scale, 100029.644875958, 1e-12, "cluster scale");
        close(
            f.log_likelihood,
            -41.1316696465751,
            1e-9,
            "cluster log-likelihood",
        );
        close(f.shape_se, 1894.63818338, 1e-8, "cluster shape SE");
        close(f.scale_se, 4.33931792368, 1e-8, "cluster scale SE");
        assert_eq!(f.failure_type, FailureType::WearOutFailure);
        // And a long tail up to 1e9 days: the scale's Wald interval crosses 0 (not clamped).
        let wide = [1.0, 10.0, 1e3, 1e5, 1e7, 1e9];
        let f = weibull_mle(&wide, 1.96).unwrap();
        close(f.shape, 0.147261623128071, 1e-10, "wide shape");
        close(f.scale, 594388.611645819, 1e-10, "wide scale");
        close(
            f.log_likelihood,
            -78.3281487061441,
            1e-12,
            "wide log-likelihood",
        );
        close(f.shape_se, 0.0464494852348, 1e-9, "wide shape SE");
        close(f.scale_se, 1746639.55363, 1e-9, "wide scale SE");
        assert!(f.scale_lower < 0.0);
        assert_eq!(f.failure_type, FailureType::EarlyFailure);
    }

    #[test]
    fn failure_type_reads_the_interval() {
        use FailureType::*;
        assert_eq!(FailureType::from_shape_interval(0.4, 0.99), EarlyFailure);
        assert_eq!(FailureType::from_shape_interval(0.4, 1.0), RandomFailure);
        assert_eq!(FailureType::from_shape_interval(1.0, 1.5), RandomFailure);
        assert_eq!(FailureType::from_shape_interval(1.01, 1.5), WearOutFailure);
    }

    // ---------------------------------------------------------------- summary

    #[test]
    fn bands_have_inclusive_upper_bounds() {
        let cases = [
            (0, "0-30"),
            (30, "0-30"),
            (31, "31-60"),
            (60, "31-60"),
            (61, "61-90"),
            (90, "61-90"),
            (91, "91-180"),
            (180, "91-180"),
            (181, "181-360"),
            (360, "181-360"),
            (361, ">360"),
            (100_000, ">360"),
        ];
        for (d, label) in cases {
            assert_eq!(band_of(d), label, "{d}");
        }
        let days: Vec<i64> = cases.iter().map(|c| c.0).collect();
        let s = OnsetSummary::from_days(&days, &[], OnsetConvention::PlusZero, 1.96);
        let got: Vec<(&str, u64)> = s.bands.iter().map(|b| (b.label, b.count)).collect();
        assert_eq!(
            got,
            [
                ("0-30", 2),
                ("31-60", 2),
                ("61-90", 2),
                ("91-180", 2),
                ("181-360", 2),
                (">360", 2)
            ]
        );
        assert!(s.bands.iter().all(|b| b.share == Some(2.0 / 12.0)));
    }

    #[test]
    fn summary_counts_exclusions_and_describes_the_days() {
        use OnsetExclusion::*;
        let days = [0, 3, 10, 40, 400];
        let excl = [NoEventDate, Negative, NoEventDate, PartialStartDate];
        let s = OnsetSummary::from_days(&days, &excl, OnsetConvention::PlusZero, 1.96);
        assert_eq!(s.n, 5);
        let keys: Vec<&str> = s.excluded.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "negative",
                "no_event_date",
                "no_start_date",
                "no_therapy_row",
                "partial_event_date",
                "partial_start_date"
            ]
        );
        assert_eq!(s.excluded["no_event_date"], 2);
        assert_eq!(s.excluded["negative"], 1);
        assert_eq!(s.excluded["partial_start_date"], 1);
        assert_eq!(s.excluded["no_therapy_row"], 0);
        // numpy.quantile([0, 3, 10, 40, 400], [.25, .5, .75]) = [3, 10, 40]
        assert_eq!((s.q1, s.median, s.q3), (Some(3.0), Some(10.0), Some(40.0)));
        assert_eq!(s.mean, Some(90.6));
        assert_eq!((s.min, s.max), (Some(0), Some(400)));
        assert_eq!(s.bands[0].count, 3);
        assert_eq!(s.bands[0].share, Some(0.6));
        let w = s.weibull.expect("four positive values");
        assert_eq!((w.n, w.zeros_excluded), (4, 1));

        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["convention"], "+0");
        assert_eq!(json["excluded"]["no_event_date"], 2);
        assert_eq!(json["bands"][5]["label"], ">360");
        assert!(json["weibull"]["failure_type"].is_string());
    }

    #[test]
    fn empty_summary_is_null_not_zero() {
        let s = OnsetSummary::from_days(
            &[],
            &[OnsetExclusion::NoTherapyRow],
            OnsetConvention::PlusOne,
            1.96,
        );
        assert_eq!(s.n, 0);
        assert_eq!(s.excluded["no_therapy_row"], 1);
        assert_eq!(s.excluded.len(), 6);
        assert_eq!((s.median, s.mean, s.min, s.max), (None, None, None, None));
        assert_eq!(s.bands.len(), 6);
        assert!(s.bands.iter().all(|b| b.count == 0 && b.share.is_none()));
        assert_eq!(s.weibull, None);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["convention"], "+1");
        assert!(json["bands"][0]["share"].is_null());
    }

    #[test]
    fn serde_names() {
        for e in OnsetExclusion::ALL {
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
            assert!(!e.describe().is_empty());
        }
        assert_eq!(
            serde_json::to_value(FailureType::EarlyFailure).unwrap(),
            "early failure"
        );
        assert_eq!(
            serde_json::to_value(FailureType::RandomFailure).unwrap(),
            "random failure"
        );
        assert_eq!(
            serde_json::to_value(FailureType::WearOutFailure).unwrap(),
            "wear-out failure"
        );
        assert_eq!(OnsetConvention::default(), OnsetConvention::PlusZero);
        let c: OnsetConvention = serde_json::from_str("\"+1\"").unwrap();
        assert_eq!(c, OnsetConvention::PlusOne);
    }

    // ---------------------------------------------------------------- per case

    /// One report: event date, DRUG rows (seq, role, drugname, prod_ai), THER rows
    /// (seq, start). Names "TARGET" match the selection, anything else does not.
    type Case<'a> = (u32, &'a [(u32, Role, &'a str, &'a str)], &'a [(u32, u32)]);

    fn quarter(cases: &[Case<'_>]) -> (QuarterData, Selection) {
        let mut names = Vocabulary::default();
        let mut products = ProductTable::default();
        let mut reports = Reports::default();
        let (mut drugs, mut ther) = (Vec::new(), Vec::new());
        for (r, (event, ds, ts)) in cases.iter().enumerate() {
            reports.primaryid.push(r as u64 + 1);
            reports.event_dt.push(Date(*event));
            for &(seq, role, name, ai) in *ds {
                let mut id = |s: &str| {
                    if s.is_empty() {
                        NO_TEXT
                    } else {
                        names.intern(s)
                    }
                };
                let product = products.intern(id(name), id(ai));
                let row = DrugRow::new(product, Some(role), NO_TEXT);
                drugs.push((r as u32, (row, seq)));
            }
            for &(seq, start) in *ts {
                ther.push((r as u32, (seq, Date(start))));
            }
        }
        let n = cases.len();
        let q = QuarterData {
            quarter: Quarter {
                year: 2020,
                quarter: 1,
            },
            era: Era::Faers,
            reports,
            drugs: Drugs::from_pairs(n, &drugs),
            pts: Grouped::from_pairs(n, &[]),
            therapies: SeqRows::from_pairs(n, &ther),
            indications: SeqRows::from_pairs(n, &[]),
            drug_details: Vocabulary::default(),
            countries: Vocabulary::default(),
            drug_names: names,
            products: products.into_pairs(),
            pt_names: Vocabulary::default(),
            deleted_caseids: Vec::new(),
        };
        let target = Terms::new(&["TARGET".to_owned()]);
        let none = Terms::new(&[]);
        let kept = vec![true; q.reports.len()];
        let sel = Selection::new(&q, &target, MatchMode::Exact, &[Role::PS], &none, &kept);
        (q, sel)
    }

    #[test]
    fn onset_per_case() {
        use OnsetExclusion::*;
        use Role::*;
        const T: (u32, Role, &str, &str) = (1, PS, "TARGET", "");
        const OTHER: (u32, Role, &str, &str) = (2, PS, "OTHER", "");
        let cases: Vec<(Case<'_>, Result<i64, OnsetExclusion>)> = vec![
            // Earliest full start of the target drug; the other drug's earlier start and the
            // target's partial start are ignored.
            (
                (
                    20200110,
                    &[T, OTHER],
                    &[
                        (1, 20200105),
                        (1, 20200101),
                        (2, 20191201),
                        (1, 20191100),
                        (1, 0),
                    ],
                ),
                Ok(9),
            ),
            // Same day: 0.
            ((20200110, &[T], &[(1, 20200110)]), Ok(0)),
            // Across a leap day.
            ((20200301, &[T], &[(1, 20200228)]), Ok(2)),
            ((0, &[T], &[(1, 20200101)]), Err(NoEventDate)),
            ((20200100, &[T], &[(1, 20200101)]), Err(PartialEventDate)),
            ((20200000, &[T], &[(1, 20200101)]), Err(PartialEventDate)),
            ((20200231, &[T], &[(1, 20200101)]), Err(PartialEventDate)),
            // Event date is checked first.
            ((0, &[OTHER], &[]), Err(NoEventDate)),
            // Only the other drug has THER rows; a THER row joining to no DRUG row.
            (
                (20200110, &[T, OTHER], &[(2, 20200101), (9, 20200101)]),
                Err(NoTherapyRow),
            ),
            ((20200110, &[T], &[]), Err(NoTherapyRow)),
            // No target drug row at all.
            ((20200110, &[OTHER], &[(2, 20200101)]), Err(NoTherapyRow)),
            // Target drug in a role outside the selected ones (PS, SS).
            (
                (20200110, &[(1, C, "TARGET", "")], &[(1, 20200101)]),
                Err(NoTherapyRow),
            ),
            ((20200110, &[T], &[(1, 0), (1, 0)]), Err(NoStartDate)),
            (
                (20200110, &[T, OTHER], &[(1, 0), (2, 20200101)]),
                Err(NoStartDate),
            ),
            (
                (20200110, &[T], &[(1, 0), (1, 20200000), (1, 20191200)]),
                Err(PartialStartDate),
            ),
            ((20200110, &[T], &[(1, 20190231)]), Err(PartialStartDate)),
            ((20200101, &[T], &[(1, 20200102)]), Err(Negative)),
            // The earliest start decides the sign.
            ((20200105, &[T], &[(1, 20200110), (1, 20200103)]), Ok(2)),
            // Matched through prod_ai, in a secondary role.
            (
                (20200120, &[(3, SS, "BRAND X", "TARGET")], &[(3, 20200110)]),
                Ok(10),
            ),
            // Legacy-style global DRUG_SEQs far apart (the non-bit-set path).
            (
                (
                    20200110,
                    &[(5_000_000, PS, "TARGET", ""), (7, SS, "TARGET", ""), OTHER],
                    &[(5_000_000, 20200105), (2, 20191201), (7, 20200107)],
                ),
                Ok(5),
            ),
            (
                (
                    20200110,
                    &[(5_000_000, PS, "TARGET", ""), (7, C, "OTHER", "")],
                    &[(7, 20191201), (1, 20191201)],
                ),
                Err(NoTherapyRow),
            ),
            // Seqs at both ends of the 256-wide bit set.
            (
                (
                    20200110,
                    &[(100, PS, "TARGET", ""), (355, SS, "TARGET", "")],
                    &[(356, 20191201), (99, 20191201), (355, 20200108)],
                ),
                Ok(2),
            ),
        ];
        let (q, sel) = quarter(&cases.iter().map(|c| c.0).collect::<Vec<_>>());
        let roles = [PS, SS];
        for (r, (_, want)) in cases.iter().enumerate() {
            assert_eq!(
                onset_of(&q, &sel, r, &roles, OnsetConvention::PlusZero),
                *want,
                "case {r}"
            );
            let plus_one = want.map(|d| d + 1);
            assert_eq!(
                onset_of(&q, &sel, r, &roles, OnsetConvention::PlusOne),
                plus_one,
                "case {r}, +1"
            );
        }
        // With role C selected, the concomitant target row counts.
        assert_eq!(
            onset_of(&q, &sel, 11, &[PS, SS, C], OnsetConvention::PlusZero),
            Ok(9)
        );
    }
}
