//! Disproportionality measures of one 2×2 table (statistics.md).
//!
//! a = target drug & event, b = target drug & other events, c = other drugs & event,
//! d = neither. A measure undefined for the table (a zero cell where the formula divides
//! by it or takes its logarithm) is `None`, never infinity or NaN: the default "zero cells
//! undefined" convention.
//!
//! Logarithms and exponentials come from the `libm` crate, not the platform: the native
//! build would otherwise use the system's maths library and the WebAssembly build Rust's
//! port, which differ in the last bit of about one `exp` in ten, and the page and the
//! command line must give the very same numbers.

use serde::Serialize;

/// z of the two-sided 95% interval used by the reference study, open-altio and AEOLUS.
pub const Z_95: f64 = 1.96;

/// One 2×2 table's measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measures {
    /// Reporting odds ratio ad/bc.
    pub ror: Option<f64>,
    /// Lower bound of its Woolf 95% interval.
    pub ror_lower: Option<f64>,
    /// Upper bound.
    pub ror_upper: Option<f64>,
    /// Proportional reporting ratio (a/(a+b))/(c/(c+d)).
    pub prr: Option<f64>,
    /// Lower bound of its 95% interval.
    pub prr_lower: Option<f64>,
    /// Upper bound.
    pub prr_upper: Option<f64>,
    /// Pearson χ² (1 df).
    pub chi2: Option<f64>,
    /// Yates-corrected χ².
    pub chi2_yates: Option<f64>,
    /// Information component log2((a+0.5)/(E+0.5)), Norén's shrinkage.
    pub ic: Option<f64>,
    /// Lower 2.5% credibility bound of IC, Norén's closed form.
    pub ic025: Option<f64>,
    /// Two-sided p-value of the ROR's Wald test (ln ROR / its standard error).
    pub p_value: Option<f64>,
    /// Upper 97.5% credibility bound of IC (closed form, or exact with exact bounds).
    pub ic975: Option<f64>,
    /// BCPNN expectation of IC (Gould's exact moments).
    pub bcpnn: Option<f64>,
    /// BCPNN lower bound E − 1.96·√V (with Φ⁻¹(0.025), as PhViD and vigipy).
    pub bcpnn_lower: Option<f64>,
    /// Conditional MLE of the odds ratio (DiAna's ROR; null unless asked for).
    pub ror_cmle: Option<f64>,
    /// Its exact (Fisher) 95% lower bound.
    pub ror_cmle_lower: Option<f64>,
    /// Its exact (Fisher) 95% upper bound.
    pub ror_cmle_upper: Option<f64>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Measures {
    /// Computes every measure with the interval's `z`; zero cells leave the ratios
    /// undefined.
    pub fn compute(a: u64, b: u64, c: u64, d: u64, z: f64) -> Measures {
        Self::compute_with(a, b, c, d, z, false)
    }

    /// As [`Measures::compute`]; with `haldane`, a table with a zero cell gets +0.5 on all
    /// four cells for the ROR and PRR and their intervals (χ² and IC use the counts).
    pub fn compute_with(a: u64, b: u64, c: u64, d: u64, z: f64, haldane: bool) -> Measures {
        let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
        let n = af + bf + cf + df;
        let zero = a == 0 || b == 0 || c == 0 || d == 0;
        let (ra, rb, rc, rd) = if haldane && zero {
            (af + 0.5, bf + 0.5, cf + 0.5, df + 0.5)
        } else {
            (af, bf, cf, df)
        };
        let ratios_defined = !zero || haldane;

        let (ror, ror_lower, ror_upper, p_value) = if ratios_defined {
            let ror = (ra * rd) / (rb * rc);
            let se = (1.0 / ra + 1.0 / rb + 1.0 / rc + 1.0 / rd).sqrt();
            let ln = libm::log(ror);
            (
                finite(ror),
                finite(libm::exp(ln - z * se)),
                finite(libm::exp(ln + z * se)),
                finite(libm::erfc((ln / se).abs() / std::f64::consts::SQRT_2)),
            )
        } else {
            (None, None, None, None)
        };

        let (prr, prr_lower, prr_upper) = if (a > 0 && c > 0) || haldane {
            let (af, bf, cf, df) = (ra, rb, rc, rd);
            let prr = (af / (af + bf)) / (cf / (cf + df));
            let var = 1.0 / af - 1.0 / (af + bf) + 1.0 / cf - 1.0 / (cf + df);
            let se = var.max(0.0).sqrt();
            let ln = libm::log(prr);
            (
                finite(prr),
                finite(libm::exp(ln - z * se)),
                finite(libm::exp(ln + z * se)),
            )
        } else {
            (None, None, None)
        };

        // ad − bc exactly in integers: with N in the tens of millions the products exceed
        // f64's exact range and the difference would lose digits.
        let (ad, bc) = (u128::from(a) * u128::from(d), u128::from(b) * u128::from(c));
        let diff = ad.abs_diff(bc) as f64;
        let denom = (af + bf) * (cf + df) * (af + cf) * (bf + df);
        let (chi2, chi2_yates) = if denom > 0.0 {
            let yates = (diff - n / 2.0).max(0.0);
            (
                finite(n * diff * diff / denom),
                finite(n * yates * yates / denom),
            )
        } else {
            (None, None)
        };

        let (ic, ic025) = if n > 0.0 {
            let e = (af + bf) * (af + cf) / n;
            let ic = libm::log2((af + 0.5) / (e + 0.5));
            let s = af + 0.5;
            let root = s.sqrt();
            (finite(ic), finite(ic - 3.3 / root - 2.0 / (s * root)))
        } else {
            (None, None)
        };

        Measures {
            ror,
            ror_lower,
            ror_upper,
            prr,
            prr_lower,
            prr_upper,
            chi2,
            chi2_yates,
            ic,
            ic025,
            p_value,
            ic975: crate::bayes::ic975_closed(a, b, c, d),
            bcpnn: None,
            bcpnn_lower: None,
            ror_cmle: None,
            ror_cmle_lower: None,
            ror_cmle_upper: None,
        }
        .with_bcpnn(a, b, c, d)
    }

    fn with_bcpnn(mut self, a: u64, b: u64, c: u64, d: u64) -> Measures {
        if let Some(bc) = crate::bayes::bcpnn(a, b, c, d) {
            self.bcpnn = finite(bc.expectation);
            self.bcpnn_lower = finite(bc.lower);
        }
        self
    }

    /// Adds the conditional MLE odds ratio with Fisher's exact interval.
    pub fn with_conditional_mle(mut self, a: u64, b: u64, c: u64, d: u64) -> Measures {
        if let Some(m) = crate::fisher::conditional_mle(a, b, c, d) {
            self.ror_cmle = m.estimate;
            self.ror_cmle_lower = m.lower;
            self.ror_cmle_upper = m.upper;
        }
        self
    }

    /// Replaces IC025/IC975 by the exact gamma quantiles.
    pub fn with_exact_ic(mut self, a: u64, b: u64, c: u64, d: u64) -> Measures {
        let (lo, hi) = crate::bayes::ic_exact(a, b, c, d).unzip();
        self.ic025 = lo.and_then(finite);
        self.ic975 = hi.and_then(finite);
        self
    }
}

/// Adjusted p-values (Bonferroni, or Benjamini–Hochberg's step-up), index-aligned with the
/// input; undefined p-values stay undefined and do not count in m.
pub fn adjust_p_values(p: &[Option<f64>], method: crate::options::Adjustment) -> Vec<Option<f64>> {
    use crate::options::Adjustment;
    let m = p.iter().filter(|v| v.is_some()).count() as f64;
    match method {
        Adjustment::None => p.to_vec(),
        Adjustment::Bonferroni => p.iter().map(|v| v.map(|x| (x * m).min(1.0))).collect(),
        Adjustment::Bh => {
            // q_(i) = min over j >= i of p_(j) · m / j, ranks over the defined p-values.
            let mut order: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
            order.sort_by(|&x, &y| p[x].unwrap().total_cmp(&p[y].unwrap()));
            let mut out = vec![None; p.len()];
            let mut running = 1.0f64;
            for (rank, &i) in order.iter().enumerate().rev() {
                let q = p[i].unwrap() * m / (rank as f64 + 1.0);
                running = running.min(q).min(1.0);
                out[i] = Some(running);
            }
            out
        }
    }
}

/// `x` printed to a reference value's own digits equals it (tests of the measures).
#[cfg(test)]
pub(crate) fn assert_digits(x: Option<f64>, reference: f64, decimals: i32) {
    let x = x.expect("defined");
    let scale = 10f64.powi(decimals);
    assert!(
        ((x * scale).round() - (reference * scale).round()).abs() < 0.5,
        "{x} vs {reference} at {decimals} decimals"
    );
}

#[cfg(test)]
mod tests {
    use super::assert_digits as close;
    use super::*;

    #[test]
    fn statistics_md_reference_rows() {
        // (a, b, c, d), ROR [lo, hi], PRR [lo, hi], chi2, Yates, IC, IC025 (statistics.md).
        let m = Measures::compute(20, 80, 15, 1885, Z_95);
        close(m.ror, 31.4167, 4);
        close(m.ror_lower, 15.5098, 4);
        close(m.ror_upper, 63.6375, 4);
        close(m.prr, 25.3333, 4);
        close(m.prr_lower, 13.3774, 4);
        close(m.prr_upper, 47.9747, 4);
        close(m.chi2, 203.907, 3);
        close(m.chi2_yates, 192.887, 3);
        close(m.ic, 3.1876, 4);
        close(m.ic025, 2.4372, 4);

        let m = Measures::compute(3, 1004, 1000, 18_000_000, Z_95);
        close(m.ror, 53.7849, 4);
        close(m.ror_lower, 17.2878, 4);
        close(m.ror_upper, 167.332, 3);
        close(m.prr, 53.6276, 4);
        close(m.prr_lower, 17.2955, 4);
        close(m.prr_upper, 166.282, 3);
        close(m.chi2, 154.484, 3);
        close(m.chi2_yates, 106.464, 3);
        close(m.ic, 2.6539, 4);
        close(m.ic025, 0.5846, 4);

        let m = Measures::compute(97, 910, 1500, 20_000_000, Z_95);
        close(m.ror, 1421.245, 3);
        close(m.ror_lower, 1145.862, 3);
        close(m.ror_upper, 1762.811, 3);
        close(m.prr, 1284.439, 3);
        close(m.prr_lower, 1056.002, 3);
        close(m.prr_upper, 1562.292, 3);
        close(m.chi2, 116850.3, 1);
        close(m.chi2_yates, 115647.8, 1);
        close(m.ic, 7.3922, 4);
        close(m.ic025, 7.0559, 4);

        let m = Measures::compute(3, 40, 200, 100_000, Z_95);
        close(m.ror, 37.5, 4);
        close(m.ror_lower, 11.5063, 4);
        close(m.ror_upper, 122.216, 3);
        close(m.prr, 34.9535, 4);
        close(m.prr_lower, 11.6331, 4);
        close(m.prr_upper, 105.023, 3);
        close(m.chi2, 97.682, 3);
        close(m.chi2_yates, 67.026, 3);
        close(m.ic, 2.5757, 4);
        close(m.ic025, 0.5064, 4);
    }

    #[test]
    fn zero_cells_leave_ratios_undefined() {
        let m = Measures::compute(2, 50, 0, 10_000, Z_95);
        assert_eq!((m.ror, m.ror_lower, m.ror_upper), (None, None, None));
        assert_eq!((m.prr, m.prr_lower, m.prr_upper), (None, None, None));
        close(m.chi2, 384.692, 3);
        close(m.chi2_yates, 215.640, 3);
        close(m.ic, 2.2924, 4);
        close(m.ic025, -0.3007, 4);
    }

    #[test]
    fn haldane_and_exact_z_reproduce_the_reference_row() {
        // statistics.md: (2, 50, 0, 10000) → Haldane ROR 990.149, lower 46.943 at z = 1.959964.
        let m = Measures::compute_with(2, 50, 0, 10_000, 1.959_963_984_540_054, true);
        close(m.ror, 990.149, 3);
        close(m.ror_lower, 46.943, 3);
    }

    #[test]
    fn p_values_and_their_adjustments() {
        use crate::options::Adjustment;
        // Wald p for (20, 80, 15, 1885): z = ln(31.4167)/0.35997 = 9.576 → p ≈ 1.0e-21.
        let m = Measures::compute(20, 80, 15, 1885, Z_95);
        assert!(m.p_value.unwrap() < 1e-20 && m.p_value.unwrap() > 1e-22);
        let p = [Some(0.01), Some(0.04), None, Some(0.03), Some(0.5)];
        let bonf = adjust_p_values(&p, Adjustment::Bonferroni);
        assert_eq!(
            bonf,
            vec![Some(0.04), Some(0.16), None, Some(0.12), Some(1.0)]
        );
        // BH by hand: sorted 0.01, 0.03, 0.04, 0.5 (m = 4) → 0.04, 0.0533, 0.0533, 0.5.
        let bh = adjust_p_values(&p, Adjustment::Bh);
        let close4 = |x: Option<f64>, y: f64| assert!((x.unwrap() - y).abs() < 1e-12, "{x:?} {y}");
        close4(bh[0], 0.04);
        close4(bh[1], 0.16 / 3.0);
        close4(bh[3], 0.16 / 3.0);
        close4(bh[4], 0.5);
        assert_eq!(bh[2], None);
    }

    #[test]
    fn degenerate_tables() {
        // a = N: every margin but one is zero.
        let m = Measures::compute(5, 0, 0, 0, Z_95);
        assert_eq!(m.ror, None);
        assert_eq!(m.chi2, None);
        assert!(m.ic.is_some());
        let m = Measures::compute(0, 0, 0, 0, Z_95);
        assert_eq!(m, Measures::compute(0, 0, 0, 0, 1.0));
        assert_eq!(m.ic, None);
    }
}
