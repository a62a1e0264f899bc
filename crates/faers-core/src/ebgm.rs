//! DuMouchel's (1999) gamma-Poisson shrinker: empirical-Bayes geometric means (EBGM) and their
//! 5% and 95% posterior quantiles (EB05, EB95), with the prior's hyperparameters fitted by
//! maximum likelihood (statistics.md).
//!
//! Model: a drug–event pair with expected count E has n | λ ~ Poisson(λE), and the ratio λ
//! has the two-component gamma mixture prior P·Γ(α1, β1) + (1−P)·Γ(α2, β2) (shape, rate).
//! The marginal of n is then a mixture of negative binomials
//! f(n; α, β, E) = Γ(α+n)/(Γ(α) n!) · (E/(E+β))ⁿ · (β/(E+β))^α.
//!
//! Why the three [`Likelihood`] conventions: the tools that implement the shrinker fit the
//! prior on different data and get different hyperparameters, hence different EBGMs for the
//! same pair (on openEBGM's CAERS example, EBGM 23.26 versus 14.42 for one pair). A result
//! therefore has to say which convention it used, and the tool has to offer the peers' ones.
//!
//! Why a hand-written optimiser: the crate may depend on nothing but `libm`, and the same fit
//! runs natively and in WebAssembly where it must give identical numbers. The fit is a
//! quasi-Newton (BFGS) search with analytic gradients on the unconstrained parameters
//! (ln α1, ln β1, ln α2, ln β2, logit P), from several starting points; every operation is
//! sequential and in a fixed order, and every transcendental function comes from `libm`, so
//! the result is bit-identical on every target. The likelihood sums over distinct (n, E)
//! cells with their multiplicities, and per distinct n the gamma-function terms are computed
//! once, so that a million pairs fit in seconds. With many distinct cells the starting points
//! are first explored on a copy whose E values are pooled into narrow bins of ln E (per n),
//! then the best candidates are polished on the exact data.

use serde::Serialize;

use crate::special::{digamma_unchecked, gamma_pq_density};
use crate::special::{gamma_quantile_unit, ln_gamma};

/// The two-component gamma mixture prior of the true reporting ratio λ.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prior {
    /// Shape of component 1.
    pub alpha1: f64,
    /// Rate of component 1.
    pub beta1: f64,
    /// Shape of component 2.
    pub alpha2: f64,
    /// Rate of component 2.
    pub beta2: f64,
    /// Weight of component 1 (0 < P < 1).
    pub p: f64,
}

impl Prior {
    /// openEBGM's default starting point (α1 = 0.2, β1 = 0.1, α2 = 2, β2 = 4, P = 1/3).
    pub const OPENEBGM_START: Prior = Prior {
        alpha1: 0.2,
        beta1: 0.1,
        alpha2: 2.0,
        beta2: 4.0,
        p: 1.0 / 3.0,
    };

    /// Whether every parameter is finite and in range (shapes and rates > 0, 0 < P < 1).
    pub fn is_valid(&self) -> bool {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        positive(self.alpha1)
            && positive(self.beta1)
            && positive(self.alpha2)
            && positive(self.beta2)
            && self.p > 0.0
            && self.p < 1.0
    }

    /// The same prior with the components labelled so that component 1 has the larger prior
    /// mean α/β (the "signal" component, as in DuMouchel 1999 and openEBGM's output).
    pub fn signal_first(self) -> Prior {
        if self.alpha1 / self.beta1 >= self.alpha2 / self.beta2 {
            self
        } else {
            Prior {
                alpha1: self.alpha2,
                beta1: self.beta2,
                alpha2: self.alpha1,
                beta2: self.beta1,
                p: 1.0 - self.p,
            }
        }
    }

    /// The unconstrained parameters (ln α1, ln β1, ln α2, ln β2, logit P).
    fn to_theta(self) -> [f64; 5] {
        [
            libm::log(self.alpha1),
            libm::log(self.beta1),
            libm::log(self.alpha2),
            libm::log(self.beta2),
            libm::log(self.p) - libm::log1p(-self.p),
        ]
    }

    /// The inverse of [`Prior::to_theta`].
    fn from_theta(theta: &[f64; 5]) -> Prior {
        Prior {
            alpha1: libm::exp(theta[0]),
            beta1: libm::exp(theta[1]),
            alpha2: libm::exp(theta[2]),
            beta2: libm::exp(theta[3]),
            p: 1.0 / (1.0 + libm::exp(-theta[4])),
        }
    }
}

/// Which data the prior's likelihood is computed on (statistics.md's conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Likelihood {
    /// (1) Every drug–event cell, including the never-reported ones (n = 0), untruncated:
    /// DuMouchel (1999), PhViD and open-altio. The caller must pass the n = 0 cells.
    AllCells,
    /// (2) Observed pairs only (n ≥ 1), each gamma component's negative binomial truncated at
    /// n ≥ 1 separately: f*ᵢ = fᵢ/(1 − fᵢ(0)). FDA's openEBGM default.
    PerComponentTruncated,
    /// (3) Observed pairs only, the mixture truncated as a whole:
    /// (P f1 + (1−P) f2)/(1 − P f1(0) − (1−P) f2(0)). vigipy.
    MixtureTruncated,
}

impl Likelihood {
    /// A one-line statement of the convention, for printing beside results.
    pub fn describe(self) -> &'static str {
        match self {
            Likelihood::AllCells => {
                "all drug-event cells including unreported ones, untruncated (DuMouchel 1999, PhViD)"
            }
            Likelihood::PerComponentTruncated => {
                "reported pairs, each gamma component truncated at n >= 1 (openEBGM default)"
            }
            Likelihood::MixtureTruncated => {
                "reported pairs, the mixture truncated at n >= 1 (vigipy)"
            }
        }
    }
}

/// The result of [`fit`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fit {
    /// The maximum-likelihood prior found, component 1 the one with the larger mean.
    pub prior: Prior,
    /// −log L at [`Fit::prior`] (the full likelihood, with the −ln n! terms).
    pub neg_log_likelihood: f64,
    /// Whether the search stopped at a point whose gradient is zero to tolerance, inside the
    /// parameter space. `false` when the iteration limit was reached or a parameter ran off
    /// to 0 or infinity (a degenerate prior such as a point mass).
    pub converged: bool,
    /// Quasi-Newton iterations spent on the returned solution (exploration and polishing).
    pub iterations: u32,
}

/// One pair's empirical-Bayes scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ebgm {
    /// Empirical-Bayes geometric mean exp(E[ln λ | n]).
    pub ebgm: f64,
    /// 5% quantile of the posterior of λ.
    pub eb05: f64,
    /// 95% quantile of the posterior of λ.
    pub eb95: f64,
    /// Posterior weight of prior component 1, Qn.
    pub qn: f64,
}

/// Distinct (n, E) cells grouped by n, with multiplicities.
struct Cells {
    /// (n, first cell, one past the last cell) for each distinct n, ascending.
    groups: Vec<(f64, usize, usize)>,
    /// E of each cell.
    e: Vec<f64>,
    /// Multiplicity of each cell.
    weight: Vec<f64>,
    /// Σ w·(n ln E − ln n!): the part of −log L that does not depend on the prior.
    constant: f64,
    /// Σ w (the number of pairs).
    total: f64,
}

impl Cells {
    /// Groups the cells; `None` when a cell's E is not finite and positive, when n = 0 under a
    /// truncated likelihood, or when there are no cells.
    fn new(
        cells: impl IntoIterator<Item = (u64, f64, u64)>,
        likelihood: Likelihood,
    ) -> Option<Cells> {
        let cells = cells.into_iter();
        let mut keyed: Vec<(u64, u64, u64)> = Vec::with_capacity(cells.size_hint().0);
        for (n, e, count) in cells {
            if !(e.is_finite() && e > 0.0) {
                return None;
            }
            if n == 0 && likelihood != Likelihood::AllCells {
                return None;
            }
            if count > 0 {
                // Positive floats order like their bit patterns.
                keyed.push((n, e.to_bits(), count));
            }
        }
        if keyed.is_empty() {
            return None;
        }
        keyed.sort_unstable_by_key(|&(n, bits, _)| (n, bits));
        let mut groups: Vec<(f64, usize, usize)> = Vec::new();
        let mut e_values: Vec<f64> = Vec::new();
        let mut weight: Vec<f64> = Vec::new();
        let mut constant = 0.0;
        let mut total = 0.0;
        let mut i = 0;
        while i < keyed.len() {
            let n = keyed[i].0;
            let nf = n as f64;
            let first = e_values.len();
            let mut group_weight = 0.0;
            let mut group_ln_e = 0.0;
            while i < keyed.len() && keyed[i].0 == n {
                let bits = keyed[i].1;
                let mut count = 0;
                while i < keyed.len() && keyed[i].0 == n && keyed[i].1 == bits {
                    count += keyed[i].2;
                    i += 1;
                }
                let e = f64::from_bits(bits);
                let w = count as f64;
                e_values.push(e);
                weight.push(w);
                group_weight += w;
                group_ln_e += w * libm::log(e);
            }
            groups.push((nf, first, e_values.len()));
            constant += nf * group_ln_e - group_weight * libm::lgamma(nf + 1.0);
            total += group_weight;
        }
        Some(Cells {
            groups,
            e: e_values,
            weight,
            constant,
            total,
        })
    }

    /// Pools cells whose ln E falls into the same bin of the given width (per n), each bin
    /// represented by the weighted geometric mean of its E (which keeps Σ w·n ln E exact).
    fn binned(&self, width: f64) -> Cells {
        let mut groups = Vec::new();
        let mut e_values = Vec::new();
        let mut weight = Vec::new();
        for &(n, start, end) in &self.groups {
            let first = e_values.len();
            let mut bin: Option<i64> = None;
            let (mut sum_w, mut sum_ln) = (0.0, 0.0);
            for i in start..end {
                let ln_e = libm::log(self.e[i]);
                let b = libm::floor(ln_e / width) as i64;
                if bin != Some(b) {
                    if sum_w > 0.0 {
                        e_values.push(libm::exp(sum_ln / sum_w));
                        weight.push(sum_w);
                    }
                    bin = Some(b);
                    sum_w = 0.0;
                    sum_ln = 0.0;
                }
                sum_w += self.weight[i];
                sum_ln += self.weight[i] * ln_e;
            }
            if sum_w > 0.0 {
                e_values.push(libm::exp(sum_ln / sum_w));
                weight.push(sum_w);
            }
            groups.push((n, first, e_values.len()));
        }
        Cells {
            groups,
            e: e_values,
            weight,
            constant: self.constant,
            total: self.total,
        }
    }

    /// −log L at `theta` and, when asked, its gradient with respect to theta. `None` when
    /// the value is not finite.
    fn evaluate(
        &self,
        theta: &[f64; 5],
        likelihood: Likelihood,
        gradient: Option<&mut [f64; 5]>,
    ) -> Option<f64> {
        let prior = Prior::from_theta(theta);
        if !prior.is_valid() {
            return None;
        }
        let Prior {
            alpha1: a1,
            beta1: b1,
            alpha2: a2,
            beta2: b2,
            p,
        } = prior;
        let ln_p = libm::log(p);
        let ln_q = libm::log1p(-p);
        let (lg_a1, lg_a2) = (libm::lgamma(a1), libm::lgamma(a2));
        let (dg_a1, dg_a2) = (digamma_unchecked(a1), digamma_unchecked(a2));
        let (ln_b1, ln_b2) = (libm::log(b1), libm::log(b2));
        let want_gradient = gradient.is_some();

        // Σ w·log-likelihood (without the constant) and its gradient, summed with
        // compensation: over a million cells plain summation would leave rounding noise
        // (~1e-13 relative) above the decreases the optimiser must still see.
        //
        // Large sets are summed in two halves of the cells, combined in a fixed order: the
        // native build runs the halves on two threads, WebAssembly one after the other, and
        // both give the very same bits (the split depends on the data alone).
        let accumulate = |lo: usize, hi: usize| {
            let mut sum = Compensated::default();
            let mut g = [Compensated::default(); 5];
            for &(n, start, end) in &self.groups {
                let (start, end) = (start.max(lo), end.min(hi));
                if start >= end {
                    continue;
                }
                // Per-n terms: ln Γ(α+n) − ln Γ(α) − n ln β and ψ(α+n) − ψ(α).
                let base1 = libm::lgamma(a1 + n) - lg_a1 - n * ln_b1;
                let base2 = libm::lgamma(a2 + n) - lg_a2 - n * ln_b2;
                let (d1, d2) = if want_gradient {
                    (
                        digamma_unchecked(a1 + n) - dg_a1,
                        digamma_unchecked(a2 + n) - dg_a2,
                    )
                } else {
                    (0.0, 0.0)
                };
                for i in start..end {
                    let e = self.e[i];
                    let w = self.weight[i];
                    let u1 = libm::log1p(e / b1);
                    let u2 = libm::log1p(e / b2);
                    // Component log-likelihoods without n ln E − ln n!.
                    let mut l1 = base1 - (n + a1) * u1;
                    let mut l2 = base2 - (n + a2) * u2;
                    // Their derivatives in ln α and ln β.
                    let mut dl1a = a1 * (d1 - u1);
                    let mut dl1b = (a1 * e - n * b1) / (b1 + e);
                    let mut dl2a = a2 * (d2 - u2);
                    let mut dl2b = (a2 * e - n * b2) / (b2 + e);
                    // f(0) = exp(−α u); 1 − f(0) = −expm1(−α u).
                    let m1 = -libm::expm1(-a1 * u1);
                    let m2 = -libm::expm1(-a2 * u2);
                    let mut truncation = 0.0;
                    let mut dt = [0.0; 5];
                    match likelihood {
                        Likelihood::AllCells => {}
                        Likelihood::PerComponentTruncated => {
                            l1 -= libm::log(m1);
                            l2 -= libm::log(m2);
                            if want_gradient {
                                // −d ln(1 − z) = z/(1−z) · d ln z, ln z = −α u.
                                let r1 = (1.0 - m1) / m1;
                                let r2 = (1.0 - m2) / m2;
                                dl1a -= r1 * a1 * u1;
                                dl1b += r1 * a1 * e / (b1 + e);
                                dl2a -= r2 * a2 * u2;
                                dl2b += r2 * a2 * e / (b2 + e);
                            }
                        }
                        Likelihood::MixtureTruncated => {
                            let kept = p * m1 + (1.0 - p) * m2;
                            truncation = libm::log(kept);
                            if want_gradient {
                                // The derivatives of −ln(1 − Z) = −ln kept, from
                                // d kept = −P dz1 − (1−P) dz2 + (z2 − z1) dP.
                                let (z1, z2) = (1.0 - m1, 1.0 - m2);
                                dt[0] = -p * z1 * a1 * u1 / kept;
                                dt[1] = p * z1 * a1 * e / (b1 + e) / kept;
                                dt[2] = -(1.0 - p) * z2 * a2 * u2 / kept;
                                dt[3] = (1.0 - p) * z2 * a2 * e / (b2 + e) / kept;
                                dt[4] = p * (1.0 - p) * (z1 - z2) / kept;
                            }
                        }
                    }
                    let x1 = ln_p + l1;
                    let x2 = ln_q + l2;
                    let (hi, lo) = if x1 >= x2 { (x1, x2) } else { (x2, x1) };
                    let t = libm::exp(lo - hi);
                    let ll = hi + libm::log1p(t) - truncation;
                    sum.add(w * ll);
                    if want_gradient {
                        // Posterior weight of component 1.
                        let w1 = if x1 >= x2 {
                            1.0 / (1.0 + t)
                        } else {
                            t / (1.0 + t)
                        };
                        let w2 = 1.0 - w1;
                        g[0].add(w * (w1 * dl1a + dt[0]));
                        g[1].add(w * (w1 * dl1b + dt[1]));
                        g[2].add(w * (w2 * dl2a + dt[2]));
                        g[3].add(w * (w2 * dl2b + dt[3]));
                        // d/d logit P of ln(P e^l1 + (1−P) e^l2) = w1 − P.
                        g[4].add(w * (w1 - p + dt[4]));
                    }
                }
            }
            (sum, g)
        };
        let cells = self.e.len();
        let (mut sum, g) = if cells < PARALLEL_FROM {
            accumulate(0, cells)
        } else {
            let mid = cells / 2;
            let ((mut sum, mut g), (sum2, g2)) =
                halves(|| accumulate(0, mid), || accumulate(mid, cells));
            sum.merge(&sum2);
            for k in 0..5 {
                g[k].merge(&g2[k]);
            }
            (sum, g)
        };
        sum.add(self.constant);
        let value = -sum.total();
        if !value.is_finite() {
            return None;
        }
        if let Some(out) = gradient {
            for k in 0..5 {
                out[k] = -g[k].total();
            }
            if out.iter().any(|x| !x.is_finite()) {
                return None;
            }
        }
        Some(value)
    }
}

/// Cells from which the likelihood is summed in two halves (see `Cells::evaluate`).
const PARALLEL_FROM: usize = 20_000;

/// Runs two computations, on two threads where there are threads.
#[cfg(not(target_arch = "wasm32"))]
fn halves<A: Send, B: Send>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let handle = scope.spawn(second);
        let a = first();
        (
            a,
            handle.join().expect("the likelihood half does not panic"),
        )
    })
}

/// Runs two computations one after the other (WebAssembly in a browser has one thread here).
#[cfg(target_arch = "wasm32")]
fn halves<A, B>(first: impl FnOnce() -> A, second: impl FnOnce() -> B) -> (A, B) {
    (first(), second())
}

/// Neumaier's compensated sum.
#[derive(Clone, Copy, Default)]
struct Compensated {
    sum: f64,
    correction: f64,
}

impl Compensated {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.correction += (self.sum - t) + x;
        } else {
            self.correction += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn total(&self) -> f64 {
        self.sum + self.correction
    }

    /// Adds another compensated sum (its sum, then its correction).
    fn merge(&mut self, other: &Compensated) {
        self.add(other.sum);
        self.add(other.correction);
    }
}

/// −log L of a prior on the given pairs (n, E) under a likelihood convention, including the
/// −ln n! terms (as R's `dnbinom`, so openEBGM's values compare). `None` when the prior is
/// invalid, a pair has a non-positive or non-finite E, a pair has n = 0 under a truncated
/// convention, or there are no pairs.
pub fn neg_log_likelihood(
    prior: &Prior,
    pairs: &[(u64, f64)],
    likelihood: Likelihood,
) -> Option<f64> {
    if !prior.is_valid() {
        return None;
    }
    let cells = Cells::new(pairs.iter().map(|&(n, e)| (n, e, 1)), likelihood)?;
    cells.evaluate(&prior.to_theta(), likelihood, None)
}

/// [`neg_log_likelihood`] on cells given as (n, E, how many pairs have this n and E): the
/// compact form for the many never-reported cells of [`Likelihood::AllCells`].
pub fn neg_log_likelihood_grouped(
    prior: &Prior,
    cells: &[(u64, f64, u64)],
    likelihood: Likelihood,
) -> Option<f64> {
    if !prior.is_valid() {
        return None;
    }
    let cells = Cells::new(cells.iter().copied(), likelihood)?;
    cells.evaluate(&prior.to_theta(), likelihood, None)
}

/// The starting points of the multi-start search: openEBGM's default first, then a small
/// spread of shapes (diffuse to concentrated), means (below and above 1) and weights.
const STARTS: [Prior; 10] = [
    Prior::OPENEBGM_START,
    Prior {
        alpha1: 0.1,
        beta1: 0.1,
        alpha2: 10.0,
        beta2: 10.0,
        p: 0.2,
    },
    Prior {
        alpha1: 0.3,
        beta1: 0.5,
        alpha2: 6.0,
        beta2: 6.0,
        p: 0.5,
    },
    Prior {
        alpha1: 0.5,
        beta1: 0.3,
        alpha2: 12.0,
        beta2: 12.0,
        p: 0.8,
    },
    Prior {
        alpha1: 0.2,
        beta1: 0.2,
        alpha2: 5.0,
        beta2: 5.0,
        p: 0.4,
    },
    Prior {
        alpha1: 2.0,
        beta1: 0.5,
        alpha2: 1.0,
        beta2: 1.0,
        p: 0.1,
    },
    Prior {
        alpha1: 20.0,
        beta1: 2.0,
        alpha2: 2.0,
        beta2: 2.0,
        p: 0.05,
    },
    Prior {
        alpha1: 50.0,
        beta1: 4.0,
        alpha2: 1.5,
        beta2: 1.5,
        p: 0.01,
    },
    Prior {
        alpha1: 1.0,
        beta1: 0.2,
        alpha2: 0.5,
        beta2: 0.5,
        p: 0.3,
    },
    Prior {
        alpha1: 5.0,
        beta1: 1.0,
        alpha2: 0.2,
        beta2: 0.4,
        p: 0.5,
    },
];

/// Above this many distinct (n, E) cells the starting points are explored on binned data.
const BIN_ABOVE: usize = 40_000;

/// Width of the ln E bins of the exploration copy.
const BIN_WIDTH: f64 = 0.002;

/// Quasi-Newton iterations allowed per run.
const MAX_ITERATIONS: u32 = 500;

/// |θ| beyond this means a parameter ran off to 0 or infinity (e^±30).
const THETA_LIMIT: f64 = 30.0;

/// One quasi-Newton run's outcome.
#[derive(Clone, Copy)]
struct Run {
    theta: [f64; 5],
    value: f64,
    converged: bool,
    iterations: u32,
    inverse_hessian: [[f64; 5]; 5],
}

/// Maximises the likelihood of the mixture prior on the pairs (n, E) under the given
/// convention. `None` under the same conditions as [`neg_log_likelihood`], or when no start
/// gives a finite likelihood.
///
/// With `start: None` the search runs from openEBGM's default start and nine other points
/// and keeps the best optimum (the likelihood is often multimodal: on openEBGM's CAERS
/// example, convention (2) has optima at −log L 4162.18 and 4162.46, and openEBGM reports the
/// second). With `start: Some(prior)` it is a single local search from that prior, which
/// reproduces a tool that starts there.
pub fn fit(pairs: &[(u64, f64)], likelihood: Likelihood, start: Option<Prior>) -> Option<Fit> {
    fit_cells(
        Cells::new(pairs.iter().map(|&(n, e)| (n, e, 1)), likelihood)?,
        likelihood,
        start,
    )
}

/// [`fit`] on cells given as (n, E, how many pairs have this n and E).
pub fn fit_grouped(
    cells: &[(u64, f64, u64)],
    likelihood: Likelihood,
    start: Option<Prior>,
) -> Option<Fit> {
    fit_cells(
        Cells::new(cells.iter().copied(), likelihood)?,
        likelihood,
        start,
    )
}

/// [`fit`] on grouped cells.
fn fit_cells(exact: Cells, likelihood: Likelihood, start: Option<Prior>) -> Option<Fit> {
    let run = match start {
        Some(prior) => {
            if !prior.is_valid() {
                return None;
            }
            minimise(&exact, likelihood, prior.to_theta(), None, MAX_ITERATIONS)?
        }
        None => {
            let coarse = (exact.e.len() > BIN_ABOVE).then(|| exact.binned(BIN_WIDTH));
            let explore = coarse.as_ref().unwrap_or(&exact);
            let mut runs: Vec<Run> = STARTS
                .iter()
                .filter_map(|s| minimise(explore, likelihood, s.to_theta(), None, MAX_ITERATIONS))
                .collect();
            runs.sort_by(|a, b| a.value.total_cmp(&b.value));
            if coarse.is_none() {
                *runs.first()?
            } else {
                // Polish the two best distinct optima on the exact cells.
                let mut candidates: Vec<Run> = Vec::new();
                for run in runs {
                    if candidates.len() == 2 {
                        break;
                    }
                    if candidates
                        .iter()
                        .all(|c| !same_optimum(&c.theta, &run.theta))
                    {
                        candidates.push(run);
                    }
                }
                let mut best: Option<Run> = None;
                for candidate in candidates {
                    let polished = minimise(
                        &exact,
                        likelihood,
                        candidate.theta,
                        Some(candidate.inverse_hessian),
                        MAX_ITERATIONS,
                    );
                    if let Some(mut polished) = polished {
                        polished.iterations += candidate.iterations;
                        if best.is_none_or(|b| polished.value < b.value) {
                            best = Some(polished);
                        }
                    }
                }
                best?
            }
        }
    };
    Some(Fit {
        prior: Prior::from_theta(&run.theta).signal_first(),
        neg_log_likelihood: run.value,
        converged: run.converged,
        iterations: run.iterations,
    })
}

/// Whether two parameter vectors are the same optimum, allowing for the swapped labelling
/// of the two components.
fn same_optimum(a: &[f64; 5], b: &[f64; 5]) -> bool {
    let close = |x: &[f64; 5], y: &[f64; 5]| (0..5).all(|k| (x[k] - y[k]).abs() < 1e-3);
    let swapped = [b[2], b[3], b[0], b[1], -b[4]];
    close(a, b) || close(a, &swapped)
}

/// BFGS on theta with an Armijo backtracking line search, from `start` and, when given, an
/// inverse-Hessian approximation carried over from an earlier run. The objective is −log L
/// divided by the number of pairs, so that the tolerances do not depend on the data's size.
///
/// Converged means: the largest gradient component is below 1e-9, or the quasi-Newton model
/// predicts a decrease below the objective's rounding (1e-15 relative) while the gradient is
/// below 1e-6 (on flat ridges the gradient cannot be pushed lower through the rounding noise
/// of a sum over a million cells).
fn minimise(
    cells: &Cells,
    likelihood: Likelihood,
    start: [f64; 5],
    inverse_hessian: Option<[[f64; 5]; 5]>,
    max_iter: u32,
) -> Option<Run> {
    const GRADIENT_TOLERANCE: f64 = 1e-9;
    const LOOSE_GRADIENT_TOLERANCE: f64 = 1e-6;
    let scale = 1.0 / cells.total;
    let objective = |theta: &[f64; 5], g: &mut [f64; 5]| -> Option<f64> {
        if theta.iter().any(|t| t.abs() > THETA_LIMIT) {
            return None;
        }
        let value = cells.evaluate(theta, likelihood, Some(g))? * scale;
        for x in g.iter_mut() {
            *x *= scale;
        }
        Some(value)
    };
    let identity = {
        let mut m = [[0.0; 5]; 5];
        for (k, row) in m.iter_mut().enumerate() {
            row[k] = 1.0;
        }
        m
    };
    let mut theta = start;
    let mut g = [0.0; 5];
    let mut f = objective(&theta, &mut g)?;
    let mut h = inverse_hessian.unwrap_or(identity);
    // Whether h is still the unscaled identity.
    let mut fresh = inverse_hessian.is_none();
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        let gmax = max_abs(&g);
        if gmax <= GRADIENT_TOLERANCE {
            converged = true;
            break;
        }
        iterations += 1;
        let mut d = [0.0; 5];
        for k in 0..5 {
            d[k] = -(0..5).map(|j| h[k][j] * g[j]).sum::<f64>();
        }
        let mut slope = dot(&g, &d);
        if slope.is_nan() || slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            h = identity;
            fresh = true;
            d = g.map(|x| -x);
            slope = dot(&g, &d);
        }
        if !fresh && -slope <= 1e-15 * f.abs() && gmax <= LOOSE_GRADIENT_TOLERANCE {
            converged = true;
            break;
        }
        // Keep any one step within a factor e² of each parameter, and the first
        // steepest-descent step short.
        let longest = max_abs(&d);
        let mut step = if fresh {
            (0.5 / longest).min(1.0)
        } else if longest > 2.0 {
            2.0 / longest
        } else {
            1.0
        };
        let mut accepted = None;
        while step * longest > 1e-10 {
            let mut trial = theta;
            for k in 0..5 {
                trial[k] += step * d[k];
            }
            let mut trial_g = [0.0; 5];
            if let Some(trial_f) = objective(&trial, &mut trial_g) {
                if trial_f <= f + 1e-4 * step * slope {
                    accepted = Some((trial, trial_f, trial_g));
                    break;
                }
            }
            step *= 0.25;
        }
        let Some((new_theta, new_f, new_g)) = accepted else {
            if fresh {
                // Not even a short steepest-descent step decreases f: at the optimum to
                // rounding, or stuck.
                converged = gmax <= LOOSE_GRADIENT_TOLERANCE;
                break;
            }
            h = identity;
            fresh = true;
            continue;
        };
        let mut s = [0.0; 5];
        let mut y = [0.0; 5];
        for k in 0..5 {
            s[k] = new_theta[k] - theta[k];
            y[k] = new_g[k] - g[k];
        }
        theta = new_theta;
        g = new_g;
        f = new_f;
        let sy = dot(&s, &y);
        if sy > 1e-12 * libm::sqrt(dot(&s, &s) * dot(&y, &y)) {
            if fresh {
                // Scale the identity to the curvature seen (Nocedal & Wright 6.20).
                let gamma = sy / dot(&y, &y);
                h = identity.map(|row| row.map(|x| x * gamma));
                fresh = false;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
    }
    // A parameter at the edge of the search space is a degenerate prior, not an optimum.
    if theta.iter().any(|t| t.abs() > THETA_LIMIT - 1.0) {
        converged = false;
    }
    Some(Run {
        theta,
        value: f / scale,
        converged,
        iterations,
        inverse_hessian: h,
    })
}

fn dot(a: &[f64; 5], b: &[f64; 5]) -> f64 {
    (0..5).map(|k| a[k] * b[k]).sum()
}

fn max_abs(a: &[f64; 5]) -> f64 {
    a.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(sᵀy).
fn bfgs_update(h: &mut [[f64; 5]; 5], s: &[f64; 5], y: &[f64; 5], sy: f64) {
    let rho = 1.0 / sy;
    let mut hy = [0.0; 5];
    for k in 0..5 {
        hy[k] = (0..5).map(|j| h[k][j] * y[j]).sum();
    }
    let yhy = dot(y, &hy);
    for i in 0..5 {
        for j in 0..5 {
            h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

/// Scores one pair (n, E) under a fitted prior: the posterior weight Qn of component 1,
/// EBGM = exp(Qn(ψ(α1+n) − ln(β1+E)) + (1−Qn)(ψ(α2+n) − ln(β2+E))), and EB05/EB95, the 5% and
/// 95% quantiles of the posterior mixture Qn·Γ(α1+n, β1+E) + (1−Qn)·Γ(α2+n, β2+E) (found to a
/// relative 1e-12). Qn uses the untruncated negative binomials, as openEBGM does. `None` for
/// an invalid prior or an E that is not finite and positive.
pub fn score(prior: &Prior, n: u64, e: f64) -> Option<Ebgm> {
    if !(prior.is_valid() && e.is_finite() && e > 0.0) {
        return None;
    }
    let nf = n as f64;
    let log_f = |a: f64, b: f64| -> Option<f64> {
        Some(ln_gamma(a + nf)? - ln_gamma(a)? - nf * libm::log(b) - (nf + a) * libm::log1p(e / b))
    };
    // The common n ln E − ln n! cancels in Qn.
    let x1 = libm::log(prior.p) + log_f(prior.alpha1, prior.beta1)?;
    let x2 = libm::log1p(-prior.p) + log_f(prior.alpha2, prior.beta2)?;
    let qn = if x1 >= x2 {
        1.0 / (1.0 + libm::exp(x2 - x1))
    } else {
        let t = libm::exp(x1 - x2);
        t / (1.0 + t)
    };
    let (a1, b1) = (prior.alpha1 + nf, prior.beta1 + e);
    let (a2, b2) = (prior.alpha2 + nf, prior.beta2 + e);
    let mean_log = qn * (digamma_unchecked(a1) - libm::log(b1))
        + (1.0 - qn) * (digamma_unchecked(a2) - libm::log(b2));
    let ebgm = libm::exp(mean_log);
    let eb05 = mixture_quantile(0.05, qn, a1, b1, a2, b2);
    let eb95 = mixture_quantile(0.95, qn, a1, b1, a2, b2);
    let result = Ebgm {
        ebgm,
        eb05,
        eb95,
        qn,
    };
    [ebgm, eb05, eb95, qn]
        .iter()
        .all(|x| x.is_finite())
        .then_some(result)
}

/// The p-quantile of q·Γ(a1, b1) + (1−q)·Γ(a2, b2): Newton's method on the mixture CDF from
/// the heavier component's own quantile, safeguarded by a bracket (bisection when a step
/// leaves it, doubling until there is an upper end), to a relative 1e-13.
fn mixture_quantile(p: f64, q: f64, a1: f64, b1: f64, a2: f64, b2: f64) -> f64 {
    let (heavy, light) = if q >= 0.5 { (q, 1.0 - q) } else { (1.0 - q, q) };
    let start = if q >= 0.5 {
        gamma_quantile_unit(p, a1) / b1
    } else {
        gamma_quantile_unit(p, a2) / b2
    };
    // A lighter component below rounding cannot move the quantile.
    if light <= 1e-17 || heavy >= 1.0 {
        return start;
    }
    let cdf_pdf = |x: f64| {
        let (p1, _, d1) = gamma_pq_density(a1, b1 * x);
        let (p2, _, d2) = gamma_pq_density(a2, b2 * x);
        (q * p1 + (1.0 - q) * p2, q * b1 * d1 + (1.0 - q) * b2 * d2)
    };
    let (mut lo, mut hi) = (0.0, f64::INFINITY);
    let mut x = start;
    for _ in 0..300 {
        let (cdf, pdf) = cdf_pdf(x);
        let r = cdf - p;
        if r == 0.0 {
            return x;
        }
        if r < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let mut next = x - r / pdf;
        if !(next.is_finite() && next > lo && next < hi) {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * x
            };
        }
        let step = (next - x).abs();
        x = next;
        if step <= 1e-13 * x || (hi.is_finite() && hi - lo <= 1e-13 * hi) {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::special::gamma_pq_unchecked;
    use std::collections::{HashMap, HashSet};

    fn rel(got: f64, want: f64) -> f64 {
        ((got - want) / want).abs()
    }

    /// Splits one CSV line, honouring double quotes ("" inside quotes is a quote).
    fn split_csv(line: &str) -> Vec<String> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
        fields
    }

    /// openEBGM's CAERS example as statistics.md builds it: distinct ids per (product, event)
    /// pair, N = distinct ids, E = n_product·n_event/N over the observed pairs.
    fn caers_pairs() -> (usize, Vec<(u64, f64)>) {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/caers.csv"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("the CAERS reference data must be at {path} (shared/reference/caers.csv): {e}")
        });
        let mut lines = text.lines();
        assert_eq!(lines.next().map(str::trim_end), Some("id,var1,var2,strat1"));
        let mut ids = HashSet::new();
        let mut pairs: HashMap<(String, String), HashSet<String>> = HashMap::new();
        let mut products: HashMap<String, HashSet<String>> = HashMap::new();
        let mut events: HashMap<String, HashSet<String>> = HashMap::new();
        let mut rows = 0;
        for line in lines {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let f = split_csv(line);
            assert_eq!(f.len(), 4, "{line}");
            rows += 1;
            ids.insert(f[0].clone());
            pairs
                .entry((f[1].clone(), f[2].clone()))
                .or_default()
                .insert(f[0].clone());
            products
                .entry(f[1].clone())
                .or_default()
                .insert(f[0].clone());
            events.entry(f[2].clone()).or_default().insert(f[0].clone());
        }
        assert_eq!(rows, 20_156);
        let total = ids.len() as f64;
        let mut out: Vec<(u64, f64)> = pairs
            .iter()
            .map(|((product, event), cases)| {
                let e = products[product].len() as f64 * events[event].len() as f64 / total;
                (cases.len() as u64, e)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        (ids.len(), out)
    }

    const PUBLISHED_PRIOR: Prior = Prior {
        alpha1: 3.253_793_56,
        beta1: 0.399_888_54,
        alpha2: 2.026_126_92,
        beta2: 1.908_079_70,
        p: 0.065_345_57,
    };

    fn as_array(p: &Prior) -> [f64; 5] {
        [p.alpha1, p.beta1, p.alpha2, p.beta2, p.p]
    }

    /// A prior with component 1 the "signal" one (the larger mean), to compare fits whose
    /// labels may be swapped.
    fn canonical(p: Prior) -> Prior {
        if p.alpha1 / p.beta1 >= p.alpha2 / p.beta2 {
            p
        } else {
            Prior {
                alpha1: p.alpha2,
                beta1: p.beta2,
                alpha2: p.alpha1,
                beta2: p.beta1,
                p: 1.0 - p.p,
            }
        }
    }

    #[test]
    fn caers_pairs_are_built_as_statistics_md_says() {
        let (total, pairs) = caers_pairs();
        assert_eq!(total, 3_356);
        assert_eq!(pairs.len(), 17_189);
        // The four pairs statistics.md scores are among them.
        for (n, e) in [
            (1, 0.036_054_827_2),
            (16, 0.406_436_23),
            (19, 0.896_901_07),
            (8, 0.304_827_18),
        ] {
            assert!(
                pairs.iter().any(|&(m, f)| m == n && (f - e).abs() < 1e-8),
                "{n} {e}"
            );
        }
    }

    #[test]
    fn published_prior_scores_match_openebgm() {
        let cases = [
            (1, 0.036_054_827_2, 2.2267, 0.4911, 13.8561),
            (16, 0.406_436_23, 23.2611, 15.6857, 33.4773),
            (19, 0.896_901_07, 16.7765, 11.6462, 23.5496),
            (8, 0.304_827_18, 15.2451, 8.9933, 24.5164),
        ];
        for (n, e, ebgm, eb05, eb95) in cases {
            let s = score(&PUBLISHED_PRIOR, n, e).unwrap();
            // Printed with 4 decimals: half a unit in the last place.
            assert!((s.ebgm - ebgm).abs() <= 0.000_05, "n={n}: {s:?}");
            assert!((s.eb05 - eb05).abs() <= 0.000_05, "n={n}: {s:?}");
            assert!((s.eb95 - eb95).abs() <= 0.000_05, "n={n}: {s:?}");
        }
    }

    #[test]
    fn caers_per_component_truncated_openebgm_optimum() {
        // openEBGM's published estimate is a local optimum of its own likelihood: a local
        // search from its published prior stops at statistics.md's (3.25596, …), 4162.456.
        // (From openEBGM's default start, this BFGS, unlike openEBGM's nlminb, reaches the
        // better optimum of the next test.)
        let (_, pairs) = caers_pairs();
        let want = [3.25596, 0.39999, 2.02375, 1.90613, 0.06531];
        let at_published =
            neg_log_likelihood(&PUBLISHED_PRIOR, &pairs, Likelihood::PerComponentTruncated)
                .unwrap();
        // scipy/numpy, same formula: 4162.455728439887.
        assert!(
            (at_published - 4_162.455_728_44).abs() < 1e-6,
            "{at_published}"
        );
        let fit = fit(
            &pairs,
            Likelihood::PerComponentTruncated,
            Some(PUBLISHED_PRIOR),
        )
        .unwrap();
        assert!(fit.converged, "{fit:?}");
        let got = as_array(&canonical(fit.prior));
        for k in 0..5 {
            assert!(rel(got[k], want[k]) < 1e-3, "{fit:?}");
        }
        assert!((fit.neg_log_likelihood - 4162.456).abs() < 1e-3, "{fit:?}");
    }

    #[test]
    fn caers_per_component_truncated_global_optimum() {
        // From several starts the search finds a better optimum than openEBGM's published
        // one (4162.456): −log L 4162.1808 at (20.958, 1.6578, 1.7383, 1.5643, 0.03494)
        // (found the same way with scipy's Nelder–Mead and BFGS from 40 random starts).
        let (_, pairs) = caers_pairs();
        let fit = fit(&pairs, Likelihood::PerComponentTruncated, None).unwrap();
        assert!(fit.converged, "{fit:?}");
        assert!(
            (fit.neg_log_likelihood - 4_162.180_837).abs() < 1e-5,
            "{fit:?}"
        );
        let got = as_array(&canonical(fit.prior));
        let want = [20.958, 1.6578, 1.7383, 1.5643, 0.03494];
        for k in 0..5 {
            assert!(rel(got[k], want[k]) < 1e-3, "{fit:?}");
        }
    }

    #[test]
    fn caers_mixture_truncated() {
        let (_, pairs) = caers_pairs();
        let fit = fit(&pairs, Likelihood::MixtureTruncated, None).unwrap();
        assert!(fit.converged, "{fit:?}");
        let prior = canonical(fit.prior);
        // vigipy's (45.150, 3.8003, 1.6079, 1.4583, 0.00720) lies on a flat ridge (α1/β1
        // fixed): its −log L exceeds the optimum by only ~3e-6.
        let published = Prior {
            alpha1: 45.150,
            beta1: 3.8003,
            alpha2: 1.6079,
            beta2: 1.4583,
            p: 0.00720,
        };
        let at_published =
            neg_log_likelihood(&published, &pairs, Likelihood::MixtureTruncated).unwrap();
        assert!(
            (at_published - 4_187.524_974).abs() < 1e-5,
            "{at_published}"
        );
        let excess = at_published - fit.neg_log_likelihood;
        assert!((0.0..1e-4).contains(&excess), "{excess} {fit:?}");
        let got = as_array(&prior);
        let want = as_array(&published);
        for k in 0..4 {
            assert!(rel(got[k], want[k]) < 1e-3, "{fit:?}");
        }
        assert!((got[4] - want[4]).abs() < 5e-6, "{fit:?}");
        // The n = 16 pair scores 14.42 under this convention (23.26 under openEBGM's).
        let s = score(&prior, 16, 0.406_436_23).unwrap();
        assert!((s.ebgm - 14.42).abs() < 0.005, "{s:?}");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let cells = Cells::new(
            [
                (1, 0.05, 30),
                (1, 0.8, 3),
                (2, 0.1, 4),
                (3, 2.5, 1),
                (7, 0.3, 2),
                (40, 12.0, 1),
            ],
            Likelihood::PerComponentTruncated,
        )
        .unwrap();
        let with_zeros = Cells::new(
            [
                (0, 0.05, 300),
                (0, 2.0, 20),
                (1, 0.05, 30),
                (2, 0.1, 4),
                (9, 0.3, 2),
            ],
            Likelihood::AllCells,
        )
        .unwrap();
        let theta = Prior {
            alpha1: 3.0,
            beta1: 0.4,
            alpha2: 1.7,
            beta2: 1.5,
            p: 0.1,
        }
        .to_theta();
        for (data, likelihood) in [
            (&with_zeros, Likelihood::AllCells),
            (&cells, Likelihood::PerComponentTruncated),
            (&cells, Likelihood::MixtureTruncated),
        ] {
            let mut g = [0.0; 5];
            data.evaluate(&theta, likelihood, Some(&mut g)).unwrap();
            for k in 0..5 {
                let h = 1e-6;
                let (mut up, mut down) = (theta, theta);
                up[k] += h;
                down[k] -= h;
                let numeric = (data.evaluate(&up, likelihood, None).unwrap()
                    - data.evaluate(&down, likelihood, None).unwrap())
                    / (2.0 * h);
                assert!(
                    (numeric - g[k]).abs() < 1e-6 * (1.0 + numeric.abs()),
                    "{likelihood:?} θ{k}: analytic {} numeric {numeric}",
                    g[k]
                );
            }
        }
    }

    #[test]
    fn likelihood_of_one_cell_by_hand() {
        // n = 2, E = 0.5 under a single effective component (P tiny is not allowed, so use
        // identical components): f = Γ(α+n)/(Γ(α) n!) (E/(E+β))ⁿ (β/(E+β))^α.
        let prior = Prior {
            alpha1: 1.5,
            beta1: 2.0,
            alpha2: 1.5,
            beta2: 2.0,
            p: 0.3,
        };
        let (a, b, n, e): (f64, f64, f64, f64) = (1.5, 2.0, 2.0, 0.5);
        let ln_f = libm::lgamma(a + n) - libm::lgamma(a) - libm::lgamma(n + 1.0)
            + n * libm::log(e / (e + b))
            + a * libm::log(b / (e + b));
        let ln_f0 = a * libm::log(b / (e + b));
        let all = neg_log_likelihood(&prior, &[(2, 0.5)], Likelihood::AllCells).unwrap();
        assert!((all + ln_f).abs() < 1e-14);
        let truncated_once = -(ln_f - libm::log(1.0 - libm::exp(ln_f0)));
        for likelihood in [
            Likelihood::PerComponentTruncated,
            Likelihood::MixtureTruncated,
        ] {
            let got = neg_log_likelihood(&prior, &[(2, 0.5)], likelihood).unwrap();
            assert!((got - truncated_once).abs() < 1e-14, "{likelihood:?}");
        }
        // Grouped cells count with their multiplicity.
        let grouped =
            neg_log_likelihood_grouped(&prior, &[(2, 0.5, 3)], Likelihood::AllCells).unwrap();
        assert!((grouped + 3.0 * ln_f).abs() < 1e-13);
    }

    #[test]
    fn score_quantiles_solve_the_mixture_cdf() {
        // openEBGM's prior, and one whose posterior is bimodal (components far apart).
        let bimodal = Prior {
            alpha1: 50.0,
            beta1: 1.0,
            alpha2: 0.5,
            beta2: 5.0,
            p: 0.02,
        };
        let cases = [
            (PUBLISHED_PRIOR, 0, 0.2),
            (PUBLISHED_PRIOR, 1, 0.036),
            (PUBLISHED_PRIOR, 3, 2.0),
            (PUBLISHED_PRIOR, 50, 1.0),
            (PUBLISHED_PRIOR, 2000, 1500.0),
            (bimodal, 1, 0.1),
            (bimodal, 3, 0.1),
            (bimodal, 5, 0.1),
            (bimodal, 10, 0.2),
        ];
        for (prior, n, e) in cases {
            let s = score(&prior, n, e).unwrap();
            let nf = n as f64;
            let (a1, b1, a2, b2) = (
                prior.alpha1 + nf,
                prior.beta1 + e,
                prior.alpha2 + nf,
                prior.beta2 + e,
            );
            let cdf = |x: f64| {
                s.qn * gamma_pq_unchecked(a1, b1 * x).0
                    + (1.0 - s.qn) * gamma_pq_unchecked(a2, b2 * x).0
            };
            assert!((cdf(s.eb05) - 0.05).abs() < 1e-12, "{n} {e} {s:?}");
            assert!((cdf(s.eb95) - 0.95).abs() < 1e-12, "{n} {e} {s:?}");
            assert!(s.eb05 < s.ebgm && s.ebgm < s.eb95, "{s:?}");
            assert!((0.0..=1.0).contains(&s.qn));
        }
    }

    #[test]
    fn invalid_input_is_none() {
        let bad = Prior {
            p: 1.0,
            ..Prior::OPENEBGM_START
        };
        assert_eq!(score(&bad, 1, 1.0), None);
        assert_eq!(score(&PUBLISHED_PRIOR, 1, 0.0), None);
        assert_eq!(score(&PUBLISHED_PRIOR, 1, f64::NAN), None);
        assert_eq!(
            neg_log_likelihood(&bad, &[(1, 1.0)], Likelihood::AllCells),
            None
        );
        assert_eq!(
            neg_log_likelihood(&PUBLISHED_PRIOR, &[(0, 1.0)], Likelihood::MixtureTruncated),
            None
        );
        assert_eq!(
            neg_log_likelihood(&PUBLISHED_PRIOR, &[], Likelihood::AllCells),
            None
        );
        assert_eq!(fit(&[], Likelihood::AllCells, None), None);
        assert_eq!(fit(&[(1, -1.0)], Likelihood::AllCells, None), None);
    }

    /// Cells (n, E, count) with counts proportional to each convention's own model for
    /// `truth`: "expected data", whose maximum-likelihood estimate is the truth up to the
    /// rounding of the counts.
    fn expected_cells(truth: &Prior, likelihood: Likelihood) -> Vec<(u64, f64, u64)> {
        let ln_f = |a: f64, b: f64, n: f64, e: f64| {
            libm::lgamma(a + n) - libm::lgamma(a) - libm::lgamma(n + 1.0)
                + n * libm::log(e / (e + b))
                + a * libm::log(b / (e + b))
        };
        let mut cells = Vec::new();
        for e in [0.02, 0.1, 0.3, 1.0, 3.0, 10.0] {
            let f0_1 = libm::exp(ln_f(truth.alpha1, truth.beta1, 0.0, e));
            let f0_2 = libm::exp(ln_f(truth.alpha2, truth.beta2, 0.0, e));
            for n in 0..1500u64 {
                let nf = n as f64;
                let f1 = libm::exp(ln_f(truth.alpha1, truth.beta1, nf, e));
                let f2 = libm::exp(ln_f(truth.alpha2, truth.beta2, nf, e));
                let probability = match likelihood {
                    Likelihood::AllCells => truth.p * f1 + (1.0 - truth.p) * f2,
                    _ if n == 0 => continue,
                    Likelihood::PerComponentTruncated => {
                        truth.p * f1 / (1.0 - f0_1) + (1.0 - truth.p) * f2 / (1.0 - f0_2)
                    }
                    Likelihood::MixtureTruncated => {
                        (truth.p * f1 + (1.0 - truth.p) * f2)
                            / (1.0 - truth.p * f0_1 - (1.0 - truth.p) * f0_2)
                    }
                };
                let count = libm::round(1e9 * probability) as u64;
                if count > 0 {
                    cells.push((n, e, count));
                }
            }
        }
        cells
    }

    #[test]
    fn every_convention_recovers_its_own_model() {
        let truth = Prior {
            alpha1: 3.0,
            beta1: 0.4,
            alpha2: 1.8,
            beta2: 1.6,
            p: 0.1,
        };
        for likelihood in [
            Likelihood::AllCells,
            Likelihood::PerComponentTruncated,
            Likelihood::MixtureTruncated,
        ] {
            let cells = expected_cells(&truth, likelihood);
            let fit = fit_grouped(&cells, likelihood, None).unwrap();
            assert!(fit.converged, "{likelihood:?} {fit:?}");
            let (got, want) = (as_array(&fit.prior), as_array(&truth));
            for k in 0..5 {
                assert!(rel(got[k], want[k]) < 1e-4, "{likelihood:?} {fit:?}");
            }
            let at_truth = neg_log_likelihood_grouped(&truth, &cells, likelihood).unwrap();
            assert!(fit.neg_log_likelihood <= at_truth, "{likelihood:?} {fit:?}");
        }
    }

    #[test]
    fn binned_exploration_copy_keeps_totals() {
        let cells: Vec<(u64, f64, u64)> = (0..5000)
            .map(|i| {
                (
                    1 + (i % 7) as u64,
                    0.001 * (1.0 + i as f64),
                    1 + (i % 3) as u64,
                )
            })
            .collect();
        let exact = Cells::new(cells, Likelihood::MixtureTruncated).unwrap();
        let coarse = exact.binned(BIN_WIDTH);
        assert!(coarse.e.len() < exact.e.len());
        assert_eq!(coarse.total, exact.total);
        let theta = PUBLISHED_PRIOR.to_theta();
        let a = exact
            .evaluate(&theta, Likelihood::MixtureTruncated, None)
            .unwrap();
        let b = coarse
            .evaluate(&theta, Likelihood::MixtureTruncated, None)
            .unwrap();
        assert!(rel(b, a) < 1e-5, "{a} {b}");
    }
}
