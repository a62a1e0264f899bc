//! Bayesian measures of one 2×2 table: the information component's exact credibility
//! bounds, Norén's closed-form upper bound, and the BCPNN with Gould's exact moments
//! (statistics.md).
//!
//! Why these variants: peers disagree about which IC interval they print. Norén et al. (2013)
//! give the shrunk IC = log2((a+0.5)/(E+0.5)) an exact interval from the gamma posterior of the
//! observed-to-expected ratio, with closed-form approximations (the lower one is in
//! [`crate::stats`]); PhViD and vigipy instead report Bate's BCPNN with Gould's (2003) exact
//! posterior moments and a normal-approximation lower bound E − 1.96·√V. Both are offered so
//! that a result can be checked against either family of tools.
//!
//! a = target drug & event, b = target drug & other events, c = other drugs & event,
//! d = neither, N = a+b+c+d, E = (a+b)(a+c)/N. A table with N = 0 has no E and every function
//! returns `None`; results are never NaN or infinite. All transcendental functions come from
//! `libm` (through [`crate::special`]) so that the native and WebAssembly builds agree to the
//! bit.

use serde::Serialize;

use crate::special::{digamma, gamma_quantile, normal_quantile, trigamma};

/// (a, a+b, a+c, N) as floats, or `None` when N is 0.
fn margins(a: u64, b: u64, c: u64, d: u64) -> Option<(f64, f64, f64, f64)> {
    let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
    let n = af + bf + cf + df;
    (n > 0.0).then_some((af, af + bf, af + cf, n))
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Exact 95% credibility bounds (IC025, IC975) of the information component (Norén et al.
/// 2013): IC_q = log2 of the q-quantile of a gamma distribution with shape a + 0.5 and rate
/// E + 0.5. `None` when N = 0.
pub fn ic_exact(a: u64, b: u64, c: u64, d: u64) -> Option<(f64, f64)> {
    let (af, row, col, n) = margins(a, b, c, d)?;
    let e = row * col / n;
    let shape = af + 0.5;
    let rate = e + 0.5;
    let lower = libm::log2(gamma_quantile(0.025, shape, rate)?);
    let upper = libm::log2(gamma_quantile(0.975, shape, rate)?);
    Some((finite(lower)?, finite(upper)?))
}

/// Norén's closed-form approximation of the upper bound:
/// IC975 ≈ IC + 2.4(a+0.5)^−½ − 0.5(a+0.5)^−3/2, with IC = log2((a+0.5)/(E+0.5)).
/// `None` when N = 0.
pub fn ic975_closed(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    let (af, row, col, n) = margins(a, b, c, d)?;
    let e = row * col / n;
    let ic = libm::log2((af + 0.5) / (e + 0.5));
    let s = af + 0.5;
    let root = libm::sqrt(s);
    finite(ic + 2.4 / root - 0.5 / (s * root))
}

/// The BCPNN information component with Gould's exact posterior moments.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bcpnn {
    /// Posterior expectation of the IC, E\[IC\] (log2 units).
    pub expectation: f64,
    /// Posterior variance of the IC, V\[IC\].
    pub variance: f64,
    /// Lower bound: the 2.5% quantile of a normal distribution with that mean and variance,
    /// E\[IC\] + Φ⁻¹(0.025)·√V\[IC\] ≈ E\[IC\] − 1.96·√V\[IC\] (PhViD's `qnorm(0.025, E, sd)`,
    /// vigipy's `norm.ppf(0.025, E, sd)`).
    pub lower: f64,
}

/// Bate's BCPNN with Gould's (2003) exact moments, as in PhViD and vigipy: with
/// p1 = 1+(a+b), p2 = 1+N−(a+b), q1 = 1+(a+c), q2 = 1+N−(a+c), r1 = 1+a and
/// r2b = N−a−1+(2+N)²/(q1·p1),
/// E\[IC\] = [ψ(r1)−ψ(r1+r2b) − (ψ(p1)−ψ(p1+p2)+ψ(q1)−ψ(q1+q2))]/ln 2 and
/// V\[IC\] = [ψ′(r1)−ψ′(r1+r2b) + ψ′(p1)−ψ′(p1+p2) + ψ′(q1)−ψ′(q1+q2)]/(ln 2)².
/// The lower bound is E\[IC\] + Φ⁻¹(0.025)·√V\[IC\], as PhViD and vigipy compute it: z is
/// 1.959963984540054, not the rounded 1.96 (the two differ in the fourth decimal for small a;
/// statistics.md's reference value −0.9670 for (2, 50, 0, 10000) needs the exact z, 1.96 gives
/// −0.96705). `None` when N = 0.
pub fn bcpnn(a: u64, b: u64, c: u64, d: u64) -> Option<Bcpnn> {
    let (af, row, col, n) = margins(a, b, c, d)?;
    let p1 = 1.0 + row;
    let p2 = 1.0 + n - row;
    let q1 = 1.0 + col;
    let q2 = 1.0 + n - col;
    let r1 = 1.0 + af;
    let r2b = n - af - 1.0 + (2.0 + n) * (2.0 + n) / (q1 * p1);
    let ln2 = std::f64::consts::LN_2;
    let expectation = (digamma(r1)?
        - digamma(r1 + r2b)?
        - (digamma(p1)? - digamma(p1 + p2)? + digamma(q1)? - digamma(q1 + q2)?))
        / ln2;
    let variance = (trigamma(r1)? - trigamma(r1 + r2b)? + trigamma(p1)? - trigamma(p1 + p2)?
        + trigamma(q1)?
        - trigamma(q1 + q2)?)
        / (ln2 * ln2);
    let lower = expectation + normal_quantile(0.025)? * libm::sqrt(variance.max(0.0));
    Some(Bcpnn {
        expectation: finite(expectation)?,
        variance: finite(variance)?,
        lower: finite(lower)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// statistics.md's reference tables.
    const TABLES: [(u64, u64, u64, u64); 5] = [
        (20, 80, 15, 1885),
        (3, 1004, 1000, 18_000_000),
        (97, 910, 1500, 20_000_000),
        (3, 40, 200, 100_000),
        (2, 50, 0, 10_000),
    ];

    /// Rounds to `places` decimals as the reference table prints them.
    fn round(x: f64, places: i32) -> f64 {
        let scale = libm::pow(10.0, f64::from(places));
        libm::round(x * scale) / scale
    }

    #[test]
    fn ic025_exact_matches_reference_table() {
        let want = [2.4863, 0.6035, 7.0907, 0.5253, -0.2963];
        for (&(a, b, c, d), want) in TABLES.iter().zip(want) {
            let (lower, upper) = ic_exact(a, b, c, d).unwrap();
            assert_eq!(
                round(lower, 4),
                want,
                "IC025 exact of {:?}: {lower}",
                (a, b, c, d)
            );
            assert!(upper > lower);
        }
    }

    #[test]
    fn ic_exact_against_scipy() {
        // log2(scipy.stats.gamma.ppf(q, a + 0.5, scale=1/(E + 0.5))) for (20, 80, 15, 1885).
        let (lower, upper) = ic_exact(20, 80, 15, 1885).unwrap();
        assert!((lower - 2.486_257_776_997_802).abs() < 1e-12, "{lower}");
        assert!((upper - 3.750_381_918_899_642).abs() < 1e-12, "{upper}");
    }

    #[test]
    fn ic975_closed_is_near_the_exact_bound() {
        for &(a, b, c, d) in &TABLES {
            let closed = ic975_closed(a, b, c, d).unwrap();
            let (_, exact) = ic_exact(a, b, c, d).unwrap();
            assert!(
                (closed - exact).abs() < 0.1,
                "{:?}: {closed} vs {exact}",
                (a, b, c, d)
            );
        }
        // By hand for (20, 80, 15, 1885): E = 100·35/2000 = 1.75.
        let ic = libm::log2(20.5 / 2.25);
        let s: f64 = 20.5;
        let want = ic + 2.4 / s.sqrt() - 0.5 / (s * s.sqrt());
        assert_eq!(ic975_closed(20, 80, 15, 1885), Some(want));
    }

    #[test]
    fn bcpnn_matches_reference_table() {
        let want = [
            (2.8917, 2.0645),
            (1.7347, 0.2230),
            (6.4968, 6.1886),
            (1.7085, 0.1298),
            (1.5758, -0.9670),
        ];
        for (&(a, b, c, d), (e, lb)) in TABLES.iter().zip(want) {
            let got = bcpnn(a, b, c, d).unwrap();
            assert_eq!(
                round(got.expectation, 4),
                e,
                "E[IC] of {:?}: {got:?}",
                (a, b, c, d)
            );
            assert_eq!(round(got.lower, 4), lb, "LB of {:?}: {got:?}", (a, b, c, d));
            assert!(got.variance > 0.0);
        }
    }

    #[test]
    fn bcpnn_moments_against_scipy() {
        // Gould's formulas evaluated with scipy.special.digamma and polygamma(1, ·).
        let want = [
            (2.891_679_133_578_037, 0.178_095_456_269_517_8),
            (1.734_721_737_224_896_6, 0.594_880_042_952_562_6),
            (6.496_765_849_667_28, 0.024_715_737_258_591_296),
            (1.708_458_569_486_546, 0.648_770_356_804_314_7),
            (1.575_840_601_224_775, 1.683_233_675_969_244_3),
        ];
        for (&(a, b, c, d), (e, v)) in TABLES.iter().zip(want) {
            let got = bcpnn(a, b, c, d).unwrap();
            assert!(((got.expectation - e) / e).abs() < 1e-11, "{got:?}");
            assert!(((got.variance - v) / v).abs() < 1e-11, "{got:?}");
            let lower = e + normal_quantile(0.025).unwrap() * v.sqrt();
            assert!((got.lower - lower).abs() < 1e-11, "{got:?}");
        }
    }

    #[test]
    fn empty_table_is_undefined() {
        assert_eq!(ic_exact(0, 0, 0, 0), None);
        assert_eq!(ic975_closed(0, 0, 0, 0), None);
        assert_eq!(bcpnn(0, 0, 0, 0), None);
        // A zero a is still defined (shrinkage).
        assert!(ic_exact(0, 10, 10, 100).is_some());
        assert!(bcpnn(0, 10, 10, 100).is_some());
    }
}
