//! The study's figures as standalone SVG documents.
//!
//! - [`forest`]: ROR and 95% interval per preferred term, grouped by SOC (Figure 3);
//! - [`bars`]: horizontal bars with "n (p%)", e.g. ADE share by SOC or PT (Figure 1);
//! - [`columns`]: vertical bars over categories, e.g. time-to-onset bands (Figure 2) or
//!   reports per year;
//! - [`volcano`]: log2(ROR) against −log10(p).
//!
//! The page inserts the returned string and the command line writes it to a file, so the
//! output is deterministic to the byte on native and WebAssembly builds: numbers are
//! formatted from integers and every logarithm comes from `libm`. The documents carry
//! presentation attributes only (no `style`, scripts, fonts or external references), so a
//! strict Content-Security-Policy allows them and any renderer draws them the same. Text
//! is escaped, long labels are cut with "…" (the full text stays in a `<title>` tooltip),
//! and the colours are Okabe–Ito's, safe for colour-blind readers. An empty input gives a
//! small "No data" picture, never a panic.

pub mod axis;
mod bars;
mod columns;
mod forest;
mod svg;
mod volcano;

pub use bars::{bars, BarRow};
pub use columns::{columns, ColumnBar};
pub use forest::{forest, ForestRow};
pub use volcano::{volcano, VolcanoPoint, P_CAP};

use svg::{text_width, Font, Svg, MUTED, NON_SIGNAL, SIGNAL};

/// Outer margin.
const PAD: f64 = 16.0;
/// Height of one row of a forest or bar chart.
const ROW: f64 = 22.0;
/// Font size of the chart title.
const TITLE_SIZE: f64 = 15.0;
/// Space between columns of a layout.
const GAP: f64 = 14.0;
/// Offset from a row's centre to the baseline of 12 px text centred on it.
const MID: f64 = 4.2;

/// The length a count is drawn with: negative or non-finite counts as none, and none
/// beyond 10³⁰⁰, where [`axis::LinearAxis`] stops.
fn drawn(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v.min(1e300)
    } else {
        0.0
    }
}

/// Width the title needs, margins included.
fn heading_width(title: &str) -> f64 {
    text_width(title, TITLE_SIZE, true) + 2.0 * PAD
}

/// The chart title, top left.
fn heading(svg: &mut Svg, title: &str) {
    svg.text(PAD, PAD + 14.0, title, Font::new(TITLE_SIZE).bold());
}

/// Width of the [`legend`].
fn legend_width() -> f64 {
    2.0 * (14.0 + GAP) + text_width("Signal", 12.0, false) + text_width("Not a signal", 12.0, false)
}

/// A one-line key of the signal and non-signal colours, centred on `y`, from `x`.
fn legend(svg: &mut Svg, x: f64, y: f64) {
    let mut x = x;
    for (fill, text) in [(SIGNAL, "Signal"), (NON_SIGNAL, "Not a signal")] {
        svg.rect(x, y - 5.0, 10.0, 10.0, fill);
        svg.text(x + 14.0, y + MID, text, Font::new(12.0));
        x += 14.0 + text_width(text, 12.0, false) + GAP;
    }
}

/// The picture for an empty input: the title and "No data"; `desc` says what was asked.
fn no_data(title: &str, desc: &str) -> String {
    let width = heading_width(title).max(320.0);
    let mut svg = Svg::new(width, 100.0, title, desc);
    heading(&mut svg, title);
    svg.text(
        width / 2.0,
        68.0,
        "No data",
        Font::new(13.0).middle().fill(MUTED),
    );
    svg.finish()
}

#[cfg(test)]
pub(crate) mod check {
    //! What every chart's output must satisfy.

    /// Parses `svg` and asserts the rules of a standalone, CSP-safe document: an `<svg>`
    /// root in the SVG namespace with `<title>` and `<desc>`, no styles, scripts or
    /// references, and no NaN or infinity in any attribute.
    pub(crate) fn well_formed(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(
            !svg.contains("style=") && !svg.contains("<style"),
            "style in\n{svg}"
        );
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let first: Vec<&str> = root
            .children()
            .filter(|n| n.is_element())
            .take(2)
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(first, ["title", "desc"]);
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(!matches!(
                node.tag_name().name(),
                "script" | "style" | "image" | "use" | "foreignObject"
            ));
            for a in node.attributes() {
                assert!(
                    !a.name().contains("href") && a.name() != "style",
                    "{}",
                    a.name()
                );
                let v = a.value();
                assert!(
                    !v.contains("NaN") && !v.contains("inf") && !v.contains("url("),
                    "{}={v}",
                    a.name()
                );
            }
        }
        doc
    }

    /// The texts of all `<text>` elements, in document order.
    pub(crate) fn texts(doc: &roxmltree::Document) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    }

    /// Attribute `name` of `node` as a number.
    pub(crate) fn attr(node: roxmltree::Node, name: &str) -> f64 {
        node.attribute(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .parse()
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_inputs_say_no_data() {
        let outputs = [
            forest("Forest & <co>", &[]),
            bars("Bars", "Reports", &[]),
            columns("Columns", "Band", "Cases", &[]),
            volcano("Volcano", &[], 5),
        ];
        for out in outputs {
            let doc = check::well_formed(&out);
            assert!(check::texts(&doc).contains(&"No data".to_string()));
        }
    }

    #[test]
    fn extreme_values_stay_finite_and_in_frame() {
        let row = |label: &str, estimate: f64, lower: f64, upper: f64| ForestRow {
            label: label.into(),
            group: None,
            estimate,
            lower,
            upper,
            a: 1e300,
            signal: true,
        };
        let forest_rows = [
            row("Tiny", 1e-320, 5e-324, 1e-300),
            row("Huge", 1e308, 1e300, f64::MAX),
        ];
        let bar = |value: f64| BarRow {
            label: "x".into(),
            value,
            share: value,
            highlight: false,
        };
        let col = |value: f64| ColumnBar {
            label: "x".into(),
            value,
        };
        let point = |ror: f64, p: f64| VolcanoPoint {
            label: "x".into(),
            ror,
            p,
            signal: true,
        };
        let outputs = [
            forest("Extreme", &forest_rows),
            bars("Extreme", "n", &[bar(f64::MAX), bar(1.0), bar(-5.0)]),
            columns("Extreme", "x", "n", &[col(f64::MAX), col(1e-300)]),
            volcano(
                "Extreme",
                &[point(1e308, 5e-324), point(1e-308, 1.0), point(2.0, 1e-310)],
                3,
            ),
        ];
        for out in outputs {
            let doc = check::well_formed(&out);
            let root = doc.root_element();
            let (w, h) = (check::attr(root, "width"), check::attr(root, "height"));
            for node in doc.descendants().filter(|n| n.is_element()) {
                for a in ["x", "x1", "x2", "cx"] {
                    if let Some(v) = node.attribute(a) {
                        let v: f64 = v.parse().unwrap();
                        assert!((0.0..=w).contains(&v), "{a}={v} outside 0..{w}\n{out}");
                    }
                }
                for a in ["y", "y1", "y2", "cy"] {
                    if let Some(v) = node.attribute(a) {
                        let v: f64 = v.parse().unwrap();
                        assert!((0.0..=h).contains(&v), "{a}={v} outside 0..{h}\n{out}");
                    }
                }
            }
        }
    }

    /// The five example figures of a study, by file name.
    fn examples() -> Vec<(&'static str, String)> {
        let row =
            |label: &str, group: &str, estimate: f64, lower: f64, upper: f64, a: f64| ForestRow {
                label: label.into(),
                group: Some(group.into()),
                estimate,
                lower,
                upper,
                a,
                signal: lower > 1.0 && a >= 3.0,
            };
        let forest_rows = [
            row(
                "Rhabdomyolysis",
                "Musculoskeletal and connective tissue disorders",
                486.02,
                395.96,
                596.57,
                97.0,
            ),
            row(
                "Myalgia",
                "Musculoskeletal and connective tissue disorders",
                12.4,
                10.1,
                15.2,
                160.0,
            ),
            row(
                "Muscular weakness",
                "Musculoskeletal and connective tissue disorders",
                1.95,
                1.35,
                2.81,
                31.0,
            ),
            row(
                "Back pain",
                "Musculoskeletal and connective tissue disorders",
                0.62,
                0.41,
                0.94,
                24.0,
            ),
            row(
                "Hepatic enzyme increased",
                "Hepatobiliary disorders",
                8.7,
                6.2,
                12.2,
                38.0,
            ),
            row(
                "Drug-induced liver injury",
                "Hepatobiliary disorders",
                4.1,
                2.3,
                7.4,
                12.0,
            ),
            row("Hepatitis", "Hepatobiliary disorders", 1.2, 0.5, 2.9, 5.0),
            row(
                "Acute kidney injury",
                "Renal and urinary disorders",
                3.3,
                2.6,
                4.2,
                70.0,
            ),
            row(
                "Myoglobinuria",
                "Renal and urinary disorders",
                150.3,
                48.0,
                470.6,
                3.0,
            ),
            row(
                "Tubulointerstitial nephritis with uveitis syndrome (TINU), drug-induced",
                "Renal and urinary disorders",
                f64::NAN,
                f64::NAN,
                f64::NAN,
                0.0,
            ),
        ];
        let bar_rows: Vec<BarRow> = [
            (
                "Musculoskeletal and connective tissue disorders",
                412.0,
                true,
            ),
            (
                "General disorders and administration site conditions",
                220.0,
                false,
            ),
            ("Hepatobiliary disorders", 131.0, true),
            ("Renal and urinary disorders", 96.0, true),
            ("Nervous system disorders", 64.0, false),
            ("Gastrointestinal disorders", 41.0, false),
        ]
        .iter()
        .map(|&(label, value, highlight)| BarRow {
            label: label.into(),
            value,
            share: value / 964.0,
            highlight,
        })
        .collect();
        let tto: Vec<ColumnBar> = [
            ("0-30", 212.0),
            ("31-60", 64.0),
            ("61-90", 31.0),
            ("91-180", 40.0),
            ("181-360", 22.0),
            (">360", 17.0),
        ]
        .iter()
        .map(|&(label, value)| ColumnBar {
            label: label.into(),
            value,
        })
        .collect();
        let years: Vec<ColumnBar> = (2004..=2024)
            .map(|y| ColumnBar {
                label: y.to_string(),
                value: f64::from((y - 2000) * (y - 2000)) * 7.0,
            })
            .collect();
        // A deterministic pseudo-random cloud: most terms near ROR 1, a tail of signals.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let points: Vec<VolcanoPoint> = (0..200)
            .map(|i| {
                let log2 = (next() - 0.35) * 6.0 + if i % 9 == 0 { 4.0 } else { 0.0 };
                let strength = log2.abs() * (0.5 + 3.0 * next());
                let p = libm::pow(10.0, -strength * 1.6);
                VolcanoPoint {
                    label: format!("Preferred term {i:03}"),
                    ror: libm::pow(2.0, log2),
                    p: if i == 17 { 0.0 } else { p },
                    signal: log2 > 1.0 && p < 0.05,
                }
            })
            .collect();
        vec![
            (
                "forest",
                forest("Figure 3. Signals of drug X by SOC", &forest_rows),
            ),
            (
                "bars",
                bars(
                    "Figure 1. Adverse events of drug X by SOC",
                    "Reports",
                    &bar_rows,
                ),
            ),
            (
                "tto",
                columns(
                    "Figure 2. Time to onset",
                    "Days from start to onset",
                    "Cases",
                    &tto,
                ),
            ),
            (
                "years",
                columns("Reports of drug X per year", "Year", "Reports", &years),
            ),
            ("volcano", volcano("Volcano plot of drug X", &points, 8)),
        ]
    }

    #[test]
    fn deterministic_and_well_formed() {
        let (first, second) = (examples(), examples());
        assert_eq!(first, second);
        for (_, svg) in &first {
            check::well_formed(svg);
        }
    }

    /// Writes the example figures to /tmp/plots-example (and PNGs when `rsvg-convert` is
    /// installed): `cargo test -p faers-core --lib plots::tests::write_examples -- --ignored`.
    #[test]
    #[ignore]
    fn write_examples() {
        let dir = std::path::Path::new("/tmp/plots-example");
        std::fs::create_dir_all(dir).unwrap();
        for (name, svg) in examples() {
            check::well_formed(&svg);
            let path = dir.join(format!("{name}.svg"));
            std::fs::write(&path, svg).unwrap();
            let _ = std::process::Command::new("rsvg-convert")
                .args([
                    "-o",
                    dir.join(format!("{name}.png")).to_str().unwrap(),
                    path.to_str().unwrap(),
                ])
                .status();
        }
    }
}
