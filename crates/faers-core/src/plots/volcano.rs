//! The volcano plot: log2(ROR) against −log10(p), one point per preferred term, the
//! strongest signals labelled.

use super::axis::{x_axis, x_grid, y_axis, y_grid, y_labels_width, LinearAxis, X_AXIS_HEIGHT};
use super::svg::{fixed, p_value, text_width, truncate, Font, Svg, INK, MUTED, NON_SIGNAL, SIGNAL};
use super::{heading, heading_width, legend, legend_width, no_data, PAD};

/// One point: a preferred term's ROR and p-value.
#[derive(Debug, Clone, PartialEq)]
pub struct VolcanoPoint {
    /// Preferred term.
    pub label: String,
    /// Reporting odds ratio; points without a positive finite one are skipped.
    pub ror: f64,
    /// p-value; a negative or NaN one skips the point, 0 is drawn at the cap.
    pub p: f64,
    /// Whether the term is a signal (colour; only signals get labels).
    pub signal: bool,
}

/// Highest −log10(p) drawn. A p of 0 (underflow) is drawn at the largest finite −log10(p)
/// among the points plus 1, but never above this; so are p-values below 10⁻³⁰⁰, and p = 0
/// when no point has a positive p. Such points are triangles, and `<desc>` counts them.
pub const P_CAP: f64 = 300.0;

/// Size of the plot area.
const PLOT: (f64, f64) = (520.0, 360.0);
/// Point radius.
const R: f64 = 3.5;
/// Label size, and the vertical offsets tried in turn to keep labels apart.
const LABEL: f64 = 11.0;
const NUDGES: [f64; 7] = [0.0, -12.0, 12.0, -24.0, 24.0, -36.0, 36.0];

/// A point as drawn: x = log2(ROR), y = −log10(p), and whether y is capped.
struct Drawn<'a> {
    point: &'a VolcanoPoint,
    x: f64,
    y: f64,
    capped: bool,
}

/// A label placed beside its point `at`, spanning `x0..x1`, moved `dy` up or down.
struct Label {
    text: String,
    at: (f64, f64),
    right: bool,
    x0: f64,
    x1: f64,
    dy: f64,
}

/// The top and bottom of a label whose baseline is at `y`.
fn band(y: f64) -> (f64, f64) {
    (y - 8.0, y + 4.0)
}

impl Label {
    fn top(&self) -> f64 {
        band(self.at.1 + self.dy).0
    }

    fn bottom(&self) -> f64 {
        band(self.at.1 + self.dy).1
    }
}

/// Places the labels of `ranked`, strongest first: right of the point when it fits in the
/// plot, else left, at the first of NUDGES where it covers no label already placed, trying
/// the other side before giving up. A label that finds no room is left out rather than
/// drawn over another, where neither could be read.
fn place_labels(
    ranked: &[&Drawn],
    (px, py): (impl Fn(f64) -> f64, impl Fn(f64) -> f64),
    (x0, x1): (f64, f64),
    (top, bottom): (f64, f64),
) -> Vec<Label> {
    let mut placed: Vec<Label> = Vec::new();
    for d in ranked {
        let (cx, cy) = (px(d.x), py(d.y));
        let text = truncate(&d.point.label).0;
        let w = text_width(&text, LABEL, false);
        let span = |right: bool| {
            if right {
                (cx + 6.0, cx + 6.0 + w)
            } else {
                (cx - 6.0 - w, cx - 6.0)
            }
        };
        let free = |right: bool, dy: f64| {
            let (l0, l1) = span(right);
            let (t, b) = band(cy + dy);
            l0 >= x0
                && l1 <= x1
                && t >= top
                && b <= bottom
                && placed
                    .iter()
                    .all(|a| l1 <= a.x0 || l0 >= a.x1 || b <= a.top() || t >= a.bottom())
        };
        let first = span(true).1 <= x1;
        let spot = [first, !first]
            .into_iter()
            .flat_map(|right| NUDGES.into_iter().map(move |dy| (right, dy)))
            .find(|&(right, dy)| free(right, dy));
        if let Some((right, dy)) = spot {
            let (l0, l1) = span(right);
            placed.push(Label {
                text,
                at: (cx, cy),
                right,
                x0: l0,
                x1: l1,
                dy,
            });
        }
    }
    placed
}

/// The volcano plot of `points` as a standalone SVG document, the `label_top` strongest
/// signals (smallest p, then largest ROR, then input order) labelled with their term;
/// fewer when there are fewer signals, or when a label would cover another (the description
/// says how many). Dashed lines mark ROR = 1 and p = 0.05.
pub fn volcano(title: &str, points: &[VolcanoPoint], label_top: usize) -> String {
    let usable = |p: &VolcanoPoint| p.ror.is_finite() && p.ror > 0.0 && p.p >= 0.0;
    let skipped = points.iter().filter(|p| !usable(p)).count();
    let neg_log = |p: f64| -libm::log10(p.min(1.0));
    let top_finite = points
        .iter()
        .filter(|p| usable(p) && p.p > 0.0)
        .map(|p| neg_log(p.p))
        .fold(f64::NEG_INFINITY, f64::max);
    let cap = if top_finite.is_finite() {
        (top_finite + 1.0).min(P_CAP)
    } else {
        P_CAP
    };
    let mut drawn: Vec<Drawn> = points
        .iter()
        .filter(|p| usable(p))
        .map(|p| {
            let y = if p.p > 0.0 { neg_log(p.p) } else { cap };
            Drawn {
                point: p,
                x: libm::log2(p.ror),
                y: y.min(cap),
                capped: p.p == 0.0 || y > P_CAP,
            }
        })
        .collect();
    let skipped_note =
        format!("{skipped} point(s) skipped (ROR not positive and finite, or p missing)");
    if drawn.is_empty() {
        return no_data(
            title,
            &format!("Volcano plot of log2(ROR) against −log10(p): no points; {skipped_note}."),
        );
    }

    let threshold = -libm::log10(0.05);
    let (xmin, xmax) = drawn
        .iter()
        .fold((0.0f64, 0.0f64), |(lo, hi), d| (lo.min(d.x), hi.max(d.x)));
    let ymax = drawn.iter().map(|d| d.y).fold(threshold, f64::max);
    let (xa, ya) = (
        LinearAxis::nice(xmin, xmax, 8, false),
        LinearAxis::nice(0.0, ymax, 6, false),
    );
    let y_ticks: Vec<(f64, String)> = ya.ticks.iter().map(|&t| (t, ya.label(t))).collect();
    let y_label_x = PAD + 8.0;
    let x0 = y_label_x + 10.0 + y_labels_width(&y_ticks) + 8.0;
    let (x1, top) = (x0 + PLOT.0, PAD + 54.0);
    let bottom = top + PLOT.1;
    let width = (x1 + PAD)
        .max(heading_width(title))
        .max(PAD + legend_width() + PAD);
    let height = bottom + X_AXIS_HEIGHT + PAD;
    let px = |x: f64| xa.map(x, x0, x1);
    let py = |y: f64| ya.map(y, bottom, top);

    // Signals drawn last, on top of the crowd near the origin (a stable sort: input
    // order is kept within each kind).
    drawn.sort_by_key(|d| d.point.signal);
    // Strongest signals first: smallest p, then largest ROR; the stable sort keeps input
    // order among ties, so the choice is deterministic.
    let mut ranked: Vec<&Drawn> = drawn.iter().filter(|d| d.point.signal).collect();
    ranked.sort_by(|a, b| {
        a.point
            .p
            .total_cmp(&b.point.p)
            .then(b.point.ror.total_cmp(&a.point.ror))
    });
    ranked.truncate(label_top);

    let labels = place_labels(&ranked, (px, py), (x0, x1), (top, bottom));
    let crowded = ranked.len() - labels.len();

    let signals = drawn.iter().filter(|d| d.point.signal).count();
    let capped = drawn.iter().filter(|d| d.capped).count();
    let mut desc = format!(
        "Volcano plot of {} preferred term(s): x = log2(ROR), y = −log10(p), dashed lines at ROR = 1 and \
         p = 0.05; {signals} signal(s) in vermillion, others in blue; the {} strongest signal(s) labelled",
        drawn.len(),
        labels.len()
    );
    if crowded > 0 {
        desc += &format!(
            " ({crowded} more left unlabelled where a label would cover another; every point \
             names its term in its tooltip)"
        );
    }
    if capped > 0 {
        desc += &format!(
            "; {capped} with p = 0 or below 1e-300 drawn as triangles at −log10(p) = {}",
            fixed(cap, 2)
        );
    }
    desc += &format!("; {skipped_note}.");

    let mut svg = Svg::new(width, height, title, &desc);
    heading(&mut svg, title);
    legend(&mut svg, PAD, PAD + 32.0);
    let x_ticks: Vec<(f64, String)> = xa.ticks.iter().map(|&t| (px(t), xa.label(t))).collect();
    let y_ticks: Vec<(f64, String)> = y_ticks.into_iter().map(|(t, l)| (py(t), l)).collect();
    x_grid(
        &mut svg,
        &x_ticks.iter().map(|t| t.0).collect::<Vec<_>>(),
        top,
        bottom,
    );
    y_grid(
        &mut svg,
        &y_ticks.iter().map(|t| t.0).collect::<Vec<_>>(),
        x0,
        x1,
    );
    svg.line((px(0.0), top), (px(0.0), bottom), INK, 1.0, Some("4 3"));
    svg.line(
        (x0, py(threshold)),
        (x1, py(threshold)),
        INK,
        1.0,
        Some("4 3"),
    );
    svg.text(
        x1 - 4.0,
        py(threshold) - 4.0,
        "p = 0.05",
        Font::new(10.0).end().fill(MUTED),
    );

    for d in &drawn {
        let p = d.point;
        let (colour, opacity) = if p.signal {
            (SIGNAL, 0.85)
        } else {
            (NON_SIGNAL, 0.55)
        };
        let mut tip = format!("{}: ROR {}, p {}", p.label, fixed(p.ror, 2), p_value(p.p));
        let (cx, cy) = (px(d.x), py(d.y));
        if d.capped {
            tip += " (drawn at the cap)";
            svg.polygon(
                &[(cx, cy - 5.0), (cx + 4.5, cy + 3.0), (cx - 4.5, cy + 3.0)],
                colour,
                opacity,
                &tip,
            );
        } else {
            svg.circle((cx, cy), R, colour, opacity, &tip);
        }
    }

    for label in &labels {
        if label.dy != 0.0 {
            let tail = if label.right { label.x0 } else { label.x1 };
            svg.line(
                label.at,
                (tail, label.at.1 + label.dy - 3.0),
                MUTED,
                0.5,
                None,
            );
        }
        let font = Font::new(LABEL);
        svg.text(
            if label.right { label.x0 } else { label.x1 },
            label.at.1 + label.dy,
            &label.text,
            if label.right { font } else { font.end() },
        );
    }

    x_axis(&mut svg, &x_ticks, (x0, x1), bottom, "log2(ROR)");
    y_axis(
        &mut svg,
        &y_ticks,
        x0,
        (bottom, top),
        ("−log10(p)", y_label_x),
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plots::check::{texts, well_formed};

    fn point(label: &str, ror: f64, p: f64, signal: bool) -> VolcanoPoint {
        VolcanoPoint {
            label: label.into(),
            ror,
            p,
            signal,
        }
    }

    fn cloud() -> Vec<VolcanoPoint> {
        (0..40)
            .map(|i| {
                let ror = 0.25 + f64::from(i) * 0.4;
                let p = libm::pow(10.0, -f64::from(i % 13) * 0.7);
                point(&format!("PT{i:02}"), ror, p, ror > 2.0 && p < 0.05)
            })
            .collect()
    }

    #[test]
    fn labels_exactly_the_strongest_signals() {
        let points = cloud();
        let out = volcano("Volcano", &points, 5);
        let doc = well_formed(&out);
        let labelled: Vec<String> = texts(&doc)
            .into_iter()
            .filter(|t| t.starts_with("PT"))
            .collect();
        assert_eq!(labelled.len(), 5);
        // Smallest p first, then the larger ROR among equal p.
        let mut expected: Vec<&VolcanoPoint> = points.iter().filter(|p| p.signal).collect();
        expected.sort_by(|a, b| a.p.total_cmp(&b.p).then(b.ror.total_cmp(&a.ror)));
        let expected: Vec<String> = expected[..5].iter().map(|p| p.label.clone()).collect();
        assert_eq!(labelled, expected);
        // One tooltip per point.
        let circles = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count();
        assert_eq!(circles, points.len());
        assert!(out.contains("<title>PT12: ROR 5.05, p 4.0e-9</title>"));
        // Asking for more labels than there are signals labels every signal.
        let all = volcano("Volcano", &points, 1000);
        let n = texts(&well_formed(&all))
            .into_iter()
            .filter(|t| t.starts_with("PT"))
            .count();
        assert_eq!(n, points.iter().filter(|p| p.signal).count());
        assert_eq!(out, volcano("Volcano", &points, 5));
    }

    fn description<'a>(doc: &'a roxmltree::Document) -> &'a str {
        doc.descendants()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|n| n.text())
            .expect("a description")
    }

    #[test]
    fn labels_never_cover_each_other_and_the_crowded_are_counted() {
        // Thirty signals on one spot, and one far from them.
        let mut points: Vec<VolcanoPoint> = (0..30)
            .map(|i| point(&format!("CROWD{i:02}"), 4.0, 1e-6, true))
            .collect();
        points.push(point("ALONE", 64.0, 1e-20, true));
        let out = volcano("Volcano", &points, 100);
        let doc = well_formed(&out);
        let labelled: Vec<String> = texts(&doc)
            .into_iter()
            .filter(|t| t.starts_with("CROWD") || t == "ALONE")
            .collect();
        assert!(labelled.contains(&"ALONE".to_string()));
        // Every nudge on both sides, and no more.
        assert_eq!(labelled.len(), 1 + 2 * NUDGES.len(), "{labelled:?}");
        let desc = description(&doc);
        let crowded = 31 - labelled.len();
        assert!(
            desc.contains(&format!(
                "the {} strongest signal(s) labelled ({crowded} more left unlabelled",
                labelled.len()
            )),
            "{desc}"
        );

        // The boxes placed do not overlap, and stay inside the plot.
        let drawn: Vec<Drawn> = points
            .iter()
            .map(|p| Drawn {
                point: p,
                x: p.ror.log2(),
                y: -p.p.log10(),
                capped: false,
            })
            .collect();
        let ranked: Vec<&Drawn> = drawn.iter().collect();
        let frame = ((0.0, 300.0), (0.0, 200.0));
        let labels = place_labels(
            &ranked,
            (|x: f64| 100.0 + 20.0 * x, |y: f64| 200.0 - 8.0 * y),
            frame.0,
            frame.1,
        );
        assert_eq!(labels.len(), 1 + 2 * NUDGES.len());
        for (i, a) in labels.iter().enumerate() {
            assert!(a.x0 >= frame.0 .0 && a.x1 <= frame.0 .1);
            assert!(a.top() >= frame.1 .0 && a.bottom() <= frame.1 .1);
            for b in &labels[..i] {
                let apart =
                    a.x1 <= b.x0 || a.x0 >= b.x1 || a.bottom() <= b.top() || a.top() >= b.bottom();
                assert!(apart, "{} covers {}", a.text, b.text);
            }
        }
        // Nothing crowded, nothing said.
        let calm = volcano("Volcano", &points[29..], 100);
        assert!(!calm.contains("left unlabelled"));
        assert_eq!(
            texts(&well_formed(&calm))
                .iter()
                .filter(|t| t.starts_with("CROWD") || *t == "ALONE")
                .count(),
            2
        );
    }

    #[test]
    fn skips_unusable_points_and_caps_zero_p() {
        let points = [
            point("A", 4.0, 1e-6, true),
            point("Zero p", 8.0, 0.0, true),
            point("No ROR", 0.0, 0.01, false),
            point("Inf ROR", f64::INFINITY, 0.01, false),
            point("NaN p", 2.0, f64::NAN, false),
            point("<&\"'>", 0.5, 0.9, false),
        ];
        let out = volcano("Volcano <&\"'>", &points, 1);
        let doc = well_formed(&out);
        let desc = description(&doc);
        assert!(desc.contains("3 point(s) skipped"), "{desc}");
        // p = 0 sits at the largest finite −log10 p (6) plus 1.
        assert!(
            desc.contains("1 with p = 0 or below 1e-300 drawn as triangles at −log10(p) = 7.00"),
            "{desc}"
        );
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("polygon"))
                .count(),
            1
        );
        assert_eq!(texts(&doc).iter().filter(|t| *t == "Zero p").count(), 1);

        let only_zero = volcano("Zero", &[point("Z", 2.0, 0.0, true)], 1);
        assert!(well_formed(&only_zero)
            .descendants()
            .any(|n| n.has_tag_name("polygon")));
        let none = volcano("None", &points[2..5], 3);
        assert!(texts(&well_formed(&none)).contains(&"No data".to_string()));
        assert!(none.contains("3 point(s) skipped"));
        well_formed(&volcano("One", &points[..1], 3));
    }
}
