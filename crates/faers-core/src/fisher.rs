//! The conditional maximum-likelihood odds ratio and Fisher's exact interval, as R's
//! `fisher.test` gives them (and DiAna reports as its ROR).
//!
//! Conditional on the table's margins, the count a follows Fisher's noncentral
//! hypergeometric distribution with odds ratio ψ: P(a = x) ∝ C(n1, x)·C(N − n1, m1 − x)·ψˣ,
//! with n1 = a + b (drug) and m1 = a + c (event). The estimate solves E_ψ\[a\] = a observed;
//! the 95% bounds solve P_ψ(a ≥ observed) = 0.025 (lower) and P_ψ(a ≤ observed) = 0.025
//! (upper). Everything is in log space (ln ψ), so tables with N in the tens of millions work.

/// The estimate and its exact 95% interval; bounds at 0 or ∞ are `None`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionalMle {
    /// Conditional MLE of the odds ratio (`None` when it is 0 or infinite).
    pub estimate: Option<f64>,
    /// Lower bound (`None` when it is 0).
    pub lower: Option<f64>,
    /// Upper bound (`None` when infinite).
    pub upper: Option<f64>,
}

fn ln_choose(n: f64, k: f64) -> f64 {
    libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
}

/// The support of a and the log weights ln C(n1, x) + ln C(N − n1, m1 − x).
struct Distribution {
    lo: u64,
    base: Vec<f64>,
}

impl Distribution {
    fn new(a: u64, b: u64, c: u64, d: u64) -> Option<Distribution> {
        let (n1, m1, n) = (a + b, a + c, a + b + c + d);
        if n == 0 {
            return None;
        }
        let lo = (n1 + m1).saturating_sub(n);
        let hi = n1.min(m1);
        let base = (lo..=hi)
            .map(|x| ln_choose(n1 as f64, x as f64) + ln_choose((n - n1) as f64, (m1 - x) as f64))
            .collect();
        Some(Distribution { lo, base })
    }

    /// Probabilities at ln ψ = t (normalised in log space).
    fn probabilities(&self, t: f64) -> Vec<f64> {
        let w: Vec<f64> = self
            .base
            .iter()
            .enumerate()
            .map(|(i, b)| b + (self.lo + i as u64) as f64 * t)
            .collect();
        let max = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let p: Vec<f64> = w.iter().map(|x| libm::exp(x - max)).collect();
        let total: f64 = p.iter().sum();
        p.into_iter().map(|x| x / total).collect()
    }

    fn mean(&self, t: f64) -> f64 {
        self.probabilities(t)
            .iter()
            .enumerate()
            .map(|(i, p)| (self.lo + i as u64) as f64 * p)
            .sum()
    }

    /// P(X ≥ a) at t.
    fn upper_tail(&self, t: f64, a: u64) -> f64 {
        let p = self.probabilities(t);
        p[(a - self.lo) as usize..].iter().sum()
    }

    /// P(X ≤ a) at t.
    fn lower_tail(&self, t: f64, a: u64) -> f64 {
        let p = self.probabilities(t);
        p[..=(a - self.lo) as usize].iter().sum()
    }

    fn hi(&self) -> u64 {
        self.lo + self.base.len() as u64 - 1
    }
}

/// Bisection on ln ψ for an increasing function reaching `target`.
fn solve(f: impl Fn(f64) -> f64, target: f64) -> f64 {
    let (mut lo, mut hi) = (-60.0f64, 60.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// The conditional MLE of the odds ratio with Fisher's exact 95% interval.
pub fn conditional_mle(a: u64, b: u64, c: u64, d: u64) -> Option<ConditionalMle> {
    let dist = Distribution::new(a, b, c, d)?;
    let finite = |t: f64| Some(libm::exp(t)).filter(|v| v.is_finite() && *v > 0.0);
    let estimate = if a == dist.lo || a == dist.hi() {
        None
    } else {
        finite(solve(|t| dist.mean(t), a as f64))
    };
    // P(X >= a) increases with ψ; the lower bound is where it reaches 0.025.
    let lower = if a == dist.lo {
        None
    } else {
        finite(solve(|t| dist.upper_tail(t, a), 0.025))
    };
    // P(X <= a) decreases with ψ: solve −P(X <= a) = −0.025.
    let upper = if a == dist.hi() {
        None
    } else {
        finite(solve(|t| -dist.lower_tail(t, a), -0.025))
    };
    Some(ConditionalMle {
        estimate,
        lower,
        upper,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_digits as close;

    #[test]
    fn statistics_md_fisher_reference_values() {
        // statistics.md: (20, 80, 15, 1885) → 31.2219, lower 14.5926;
        // (3, 1004, 1000, 18e6) → 53.7847, lower 11.0544.
        let m = conditional_mle(20, 80, 15, 1885).unwrap();
        close(m.estimate, 31.2219, 4);
        close(m.lower, 14.5926, 4);
        assert!(m.upper.unwrap() > m.estimate.unwrap());
        let m = conditional_mle(3, 1004, 1000, 18_000_000).unwrap();
        close(m.estimate, 53.7847, 4);
        close(m.lower, 11.0544, 4);
    }

    #[test]
    fn boundary_tables() {
        // a at the top of its support: the estimate and the upper bound are infinite.
        let m = conditional_mle(5, 0, 0, 100).unwrap();
        assert_eq!((m.estimate, m.upper), (None, None));
        assert!(m.lower.is_some());
        assert_eq!(conditional_mle(0, 0, 0, 0), None);
    }
}
