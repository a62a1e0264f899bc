//! Linear and log10 axes with "nice" ticks (1, 2 or 5 × 10ᵏ), and their drawing.

use super::svg::{count, fixed, scale10, sci, Font, Svg, GRID, MUTED};

/// Height below the plot area taken by an x axis: tick labels and the axis label.
pub(crate) const X_AXIS_HEIGHT: f64 = 44.0;

/// Where `v` sits between pixel positions `from` (at `min`) and `to` (at `max`) on a
/// linear scale.
pub fn linear_position(v: f64, min: f64, max: f64, from: f64, to: f64) -> f64 {
    from + (v - min) / (max - min) * (to - from)
}

/// Where `v` (> 0) sits between pixel positions `from` (at `min`) and `to` (at `max`) on
/// a log10 scale: equal ratios, equal distances.
pub fn log_position(v: f64, min: f64, max: f64, from: f64, to: f64) -> f64 {
    let (l, lmin, lmax) = (libm::log10(v), libm::log10(min), libm::log10(max));
    from + (l - lmin) / (lmax - lmin) * (to - from)
}

/// A linear axis: its range and ticks, evenly spaced by 1, 2 or 5 × 10ᵏ.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearAxis {
    /// Value at the start of the axis (the first tick).
    pub min: f64,
    /// Value at the end of the axis (the last tick).
    pub max: f64,
    /// Tick values, from `min` to `max`.
    pub ticks: Vec<f64>,
    /// Decimals the tick labels need.
    pub decimals: u32,
}

impl LinearAxis {
    /// The axis covering `lo..=hi` in about `target` steps; `whole` keeps the step at 1 or
    /// more, for counts. A non-finite or reversed range gives 0..1; bounds are held within
    /// ±10³⁰⁰ so that the ticks stay finite.
    pub fn nice(lo: f64, hi: f64, target: usize, whole: bool) -> LinearAxis {
        let valid = lo.is_finite() && hi.is_finite() && lo <= hi;
        let (lo, hi) = if valid {
            (lo.max(-1e300), hi.min(1e300))
        } else {
            (0.0, 1.0)
        };
        let span = if hi > lo {
            hi - lo
        } else {
            libm::fabs(lo).max(1.0)
        };
        let raw = span / target.max(1) as f64;
        let mut e = libm::floor(libm::log10(raw)) as i32;
        let norm = raw / scale10(1.0, e);
        let mut m = match norm {
            n if n <= 1.0 => 1.0,
            n if n <= 2.0 => 2.0,
            n if n <= 5.0 => 5.0,
            _ => 10.0,
        };
        if m == 10.0 {
            (m, e) = (1.0, e + 1);
        }
        if whole && e < 0 {
            (m, e) = (1.0, 0);
        }
        // Tick i is i·m·10^e, computed so that 3 × 0.1 prints as 0.3.
        let first = libm::floor(lo / scale10(m, e)) as i64;
        let last = (libm::ceil(hi / scale10(m, e)) as i64).max(first + 1);
        let ticks: Vec<f64> = (first..=last).map(|i| scale10(i as f64 * m, e)).collect();
        LinearAxis {
            min: ticks[0],
            max: ticks[ticks.len() - 1],
            ticks,
            decimals: (-e).max(0) as u32,
        }
    }

    /// Pixel position of `v` with the axis running from `from` to `to`.
    pub fn map(&self, v: f64, from: f64, to: f64) -> f64 {
        linear_position(v, self.min, self.max, from, to)
    }

    /// The label of tick `v`.
    pub fn label(&self, v: f64) -> String {
        if self.decimals == 0 {
            count(v)
        } else {
            fixed(v, self.decimals)
        }
    }
}

/// A log10 axis whose ends and ticks lie on the 1-2-5 sequence (…, 0.5, 1, 2, 5, 10, …),
/// or on powers of ten when the range spans more than five decades.
#[derive(Debug, Clone, PartialEq)]
pub struct LogAxis {
    /// Value at the start of the axis (the first tick).
    pub min: f64,
    /// Value at the end of the axis (the last tick).
    pub max: f64,
    /// Tick values, from `min` to `max`.
    pub ticks: Vec<f64>,
}

/// Value `i` of the 1-2-5 sequence: [1, 2, 5][i mod 3] · 10^(i div 3).
fn one_two_five(i: i64) -> f64 {
    scale10(
        [1.0, 2.0, 5.0][i.rem_euclid(3) as usize],
        i.div_euclid(3) as i32,
    )
}

impl LogAxis {
    /// The axis whose ends are the sequence values just outside `lo` and `hi` (strictly,
    /// so nothing is drawn on the frame). Non-positive or non-finite bounds give 0.5..2;
    /// bounds are held within 10^±200 so that the ticks stay finite.
    pub fn covering(lo: f64, hi: f64) -> LogAxis {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        let (lo, hi) = if ok(lo) && ok(hi) && lo <= hi {
            (lo.max(1e-200), hi.min(1e200))
        } else {
            (1.0, 1.0)
        };
        // Start from the decade's estimate, then walk, so a log10 one ulp off cannot matter.
        let mut a = 3 * libm::floor(libm::log10(lo)) as i64 + 2;
        while one_two_five(a) >= lo {
            a -= 1;
        }
        while one_two_five(a + 1) < lo {
            a += 1;
        }
        let mut b = 3 * libm::floor(libm::log10(hi)) as i64;
        while one_two_five(b) <= hi {
            b += 1;
        }
        while one_two_five(b - 1) > hi {
            b -= 1;
        }
        let ticks: Vec<f64> = if b - a <= 15 {
            (a..=b).map(one_two_five).collect()
        } else {
            // Every k-th power of ten, k chosen for at most about ten ticks.
            let k = ((b - a) / 3 / 10 + 1) as i32;
            let mut e0 = libm::floor(libm::log10(lo)) as i32;
            e0 = e0.div_euclid(k) * k;
            while scale10(1.0, e0) >= lo {
                e0 -= k;
            }
            let mut e1 = e0;
            while scale10(1.0, e1) <= hi {
                e1 += k;
            }
            (e0..=e1)
                .step_by(k as usize)
                .map(|e| scale10(1.0, e))
                .collect()
        };
        LogAxis {
            min: ticks[0],
            max: ticks[ticks.len() - 1],
            ticks,
        }
    }

    /// Pixel position of `v` (> 0) with the axis running from `from` to `to`.
    pub fn map(&self, v: f64, from: f64, to: f64) -> f64 {
        log_position(v, self.min, self.max, from, to)
    }

    /// Decades the axis spans.
    pub fn decades(&self) -> f64 {
        libm::log10(self.max / self.min)
    }

    /// The label of tick `v`: "0.05", "1", "2,000", "1e-8".
    pub fn label(v: f64) -> String {
        if (1.0..1e9).contains(&v) {
            count(v)
        } else if (1e-6..1.0).contains(&v) {
            fixed(v, (-libm::floor(libm::log10(v))) as u32)
        } else {
            sci(v, 0)
        }
    }
}

/// Vertical gridlines at tick positions `xs`, from `top` to `bottom`.
pub(crate) fn x_grid(svg: &mut Svg, xs: &[f64], top: f64, bottom: f64) {
    for &x in xs {
        svg.line((x, top), (x, bottom), GRID, 1.0, None);
    }
}

/// An x axis along `y` from `x0` to `x1`: tick marks, labels and the axis `label`.
pub(crate) fn x_axis(
    svg: &mut Svg,
    ticks: &[(f64, String)],
    (x0, x1): (f64, f64),
    y: f64,
    label: &str,
) {
    svg.line((x0, y), (x1, y), MUTED, 1.0, None);
    for (x, text) in ticks {
        svg.line((*x, y), (*x, y + 4.0), MUTED, 1.0, None);
        svg.text(*x, y + 16.0, text, Font::new(11.0).middle().fill(MUTED));
    }
    svg.text((x0 + x1) / 2.0, y + 36.0, label, Font::new(12.0).middle());
}

/// Horizontal gridlines at tick positions `ys`, from `x0` to `x1`.
pub(crate) fn y_grid(svg: &mut Svg, ys: &[f64], x0: f64, x1: f64) {
    for &y in ys {
        svg.line((x0, y), (x1, y), GRID, 1.0, None);
    }
}

/// A y axis along `x` from `y0` (bottom) to `y1` (top): tick marks, labels to the left,
/// and the axis `label` turned a quarter left, centred on `label_x`.
pub(crate) fn y_axis(
    svg: &mut Svg,
    ticks: &[(f64, String)],
    x: f64,
    (y0, y1): (f64, f64),
    label: (&str, f64),
) {
    svg.line((x, y0), (x, y1), MUTED, 1.0, None);
    for (y, text) in ticks {
        svg.line((x - 4.0, *y), (x, *y), MUTED, 1.0, None);
        svg.text(x - 7.0, y + 4.0, text, Font::new(11.0).end().fill(MUTED));
    }
    let (text, label_x) = label;
    svg.text(
        label_x,
        (y0 + y1) / 2.0,
        text,
        Font::new(12.0).middle().rotate(-90.0),
    );
}

/// Width taken by the tick labels of a y axis.
pub(crate) fn y_labels_width(labels: &[(f64, String)]) -> f64 {
    labels
        .iter()
        .map(|(_, t)| super::svg::text_width(t, 11.0, false))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn log_position_maps_ratios_to_distances() {
        close(log_position(1.0, 1.0, 1000.0, 0.0, 300.0), 0.0);
        close(log_position(10.0, 1.0, 1000.0, 0.0, 300.0), 100.0);
        close(log_position(1000.0, 1.0, 1000.0, 0.0, 300.0), 300.0);
        close(log_position(0.5, 0.5, 1000.0, 50.0, 410.0), 50.0);
        // 486.02 on 0.5..1000 over 360 px: log10(972.04) / log10(2000) of the width.
        let expected = 50.0 + 360.0 * (972.04f64).log10() / (2000f64).log10();
        assert!((log_position(486.02, 0.5, 1000.0, 50.0, 410.0) - expected).abs() < 1e-9);
        close(linear_position(5.0, 0.0, 20.0, 100.0, 0.0), 75.0);
    }

    #[test]
    fn log_ticks_follow_one_two_five() {
        let axis = LogAxis::covering(1.0, 596.57);
        assert_eq!(
            axis.ticks,
            [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
        );
        let axis = LogAxis::covering(0.12, 3.0);
        assert_eq!(axis.ticks, [0.1, 0.2, 0.5, 1.0, 2.0, 5.0]);
        // Bounds on the sequence are stepped past, so no marker sits on the frame.
        assert_eq!(LogAxis::covering(0.2, 1.0).ticks, [0.1, 0.2, 0.5, 1.0, 2.0]);
        // Wide ranges fall back to powers of ten.
        let axis = LogAxis::covering(0.001, 1e6);
        assert_eq!(
            axis.ticks,
            [1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7]
        );
        assert_eq!(LogAxis::covering(f64::NAN, 0.0).ticks, [0.5, 1.0, 2.0]);
        let labels: Vec<String> = [0.05, 0.5, 1.0, 2000.0, 1e-8]
            .into_iter()
            .map(LogAxis::label)
            .collect();
        assert_eq!(labels, ["0.05", "0.5", "1", "2,000", "1e-8"]);
    }

    #[test]
    fn linear_ticks_are_nice() {
        let axis = LinearAxis::nice(0.0, 97.0, 5, true);
        assert_eq!(axis.ticks, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let axis = LinearAxis::nice(-1.3, 9.6, 6, false);
        assert_eq!(axis.ticks, [-2.0, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let axis = LinearAxis::nice(0.0, 0.9, 5, false);
        assert_eq!(axis.ticks, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(axis.label(0.6), "0.6");
        // Counts never get fractional steps; an all-zero range still has a width.
        assert_eq!(
            LinearAxis::nice(0.0, 3.0, 10, true).ticks,
            [0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(LinearAxis::nice(0.0, 0.0, 5, true).ticks, [0.0, 1.0]);
        assert_eq!(LinearAxis::nice(f64::NAN, 1.0, 5, true).ticks, [0.0, 1.0]);
    }
}
