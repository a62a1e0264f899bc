//! Figure 3: the forest plot, one preferred term's ROR and 95% interval per row, on a log
//! axis, optionally grouped under SOC headers.

use super::axis::{x_axis, x_grid, LogAxis, X_AXIS_HEIGHT};
use super::svg::{count, fixed, text_width, truncate, Font, Svg, INK, MUTED, NON_SIGNAL, SIGNAL};
use super::{heading, heading_width, legend, legend_width, no_data, GAP, MID, PAD, ROW};

/// One row of a forest plot: a preferred term's reporting odds ratio and 95% interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    /// Preferred term.
    pub label: String,
    /// Group drawn as a bold header above its rows, e.g. the SOC; rows without one go
    /// under "Other" when any row has one.
    pub group: Option<String>,
    /// Reporting odds ratio.
    pub estimate: f64,
    /// Lower bound of its 95% interval.
    pub lower: f64,
    /// Upper bound of its 95% interval.
    pub upper: f64,
    /// Cases with the drug and the event (cell a), printed and scaling the marker.
    pub a: f64,
    /// Whether the term is a signal (marker colour).
    pub signal: bool,
}

/// Least width of the plot area; wide ranges get 100 px a decade, up to `PLOT_MAX`.
const PLOT_MIN: f64 = 360.0;
const PLOT_MAX: f64 = 560.0;
/// Marker side bounds: the side grows with √a, the area with a.
const MARKER: (f64, f64) = (5.0, 13.0);
/// Indent of row labels under a group header.
const INDENT: f64 = 12.0;

/// A drawable ratio: finite and above zero.
fn positive(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

/// A line of the plot: a group header or a term.
enum Line<'a> {
    Header(&'a str),
    Row(&'a ForestRow),
}

/// Rows under their group headers when any row has a group: groups in order of first
/// appearance, rows in their given order within a group.
fn arrange(rows: &[ForestRow]) -> Vec<Line<'_>> {
    if rows.iter().all(|r| r.group.is_none()) {
        return rows.iter().map(Line::Row).collect();
    }
    let mut groups: Vec<(&str, Vec<&ForestRow>)> = Vec::new();
    for r in rows {
        let name = r.group.as_deref().unwrap_or("Other");
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, members)) => members.push(r),
            None => groups.push((name, vec![r])),
        }
    }
    let mut lines = Vec::new();
    for (name, members) in groups {
        lines.push(Line::Header(name));
        lines.extend(members.into_iter().map(Line::Row));
    }
    lines
}

/// The right-hand "ROR (lower–upper)" text of a row.
fn ror_text(r: &ForestRow) -> String {
    match (positive(r.estimate), positive(r.lower) && positive(r.upper)) {
        (true, true) => format!(
            "{} ({}–{})",
            fixed(r.estimate, 2),
            fixed(r.lower, 2),
            fixed(r.upper, 2)
        ),
        (true, false) => format!("{} (CI not estimable)", fixed(r.estimate, 2)),
        (false, _) => "not estimable".to_string(),
    }
}

/// The forest plot of `rows` (Figure 3) as a standalone SVG document.
///
/// The log10 x axis runs between 1-2-5 values just outside the smallest lower bound and
/// the largest upper bound, always including 1, which is marked by a dashed line. A row
/// whose estimate is not a positive finite number gets no marker and reads "not
/// estimable"; one whose bounds are not gets no interval line.
pub fn forest(title: &str, rows: &[ForestRow]) -> String {
    if rows.is_empty() {
        return no_data(
            title,
            "Forest plot of reporting odds ratios with 95% confidence intervals: no terms.",
        );
    }
    let lines = arrange(rows);
    let grouped = lines.len() > rows.len();

    // The axis covers every drawn value and the reference, 1.
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for r in rows.iter().filter(|r| positive(r.estimate)) {
        let ci = positive(r.lower) && positive(r.upper);
        for v in if ci {
            [r.estimate, r.lower, r.upper]
        } else {
            [r.estimate; 3]
        } {
            (lo, hi) = (lo.min(v), hi.max(v));
        }
    }
    let axis = LogAxis::covering(lo, hi);
    let plot_w = (100.0 * axis.decades()).clamp(PLOT_MIN, PLOT_MAX);

    // Column widths from the texts they hold.
    let indent = if grouped { INDENT } else { 0.0 };
    let label_w = lines
        .iter()
        .map(|line| match line {
            Line::Header(h) => text_width(&truncate(h).0, 12.0, true),
            Line::Row(r) => indent + text_width(&truncate(&r.label).0, 12.0, false),
        })
        .fold(0.0, f64::max);
    let cases_w = rows
        .iter()
        .map(|r| text_width(&count(r.a), 12.0, false))
        .fold(text_width("Cases", 12.0, true), f64::max);
    let ror_w = rows
        .iter()
        .map(|r| text_width(&ror_text(r), 12.0, false))
        .fold(text_width("ROR (95% CI)", 12.0, true), f64::max);
    let x0 = PAD + label_w + GAP;
    let x1 = x0 + plot_w;
    let cases_right = x1 + GAP + cases_w;
    let ror_x = cases_right + GAP;
    let width = (ror_x + ror_w + PAD)
        .max(heading_width(title))
        .max(PAD + legend_width() + PAD);
    let rows_top = PAD + 66.0;
    let rows_bottom = rows_top + ROW * lines.len() as f64;
    let height = rows_bottom + X_AXIS_HEIGHT + PAD;

    let signals = rows.iter().filter(|r| r.signal).count();
    let not_estimable = rows.iter().filter(|r| !positive(r.estimate)).count();
    let mut desc = format!(
        "Forest plot of the reporting odds ratio (square, sized by case count) and its 95% confidence \
         interval (line) for {} preferred term(s)",
        rows.len()
    );
    if grouped {
        desc += &format!(" in {} group(s)", lines.len() - rows.len());
    }
    desc += &format!(
        ", on a log scale from {} to {} with a dashed reference line at 1; {signals} signal(s) in vermillion, \
         others in blue",
        LogAxis::label(axis.min),
        LogAxis::label(axis.max)
    );
    if not_estimable > 0 {
        desc += &format!("; {not_estimable} not estimable");
    }
    desc.push('.');

    let mut svg = Svg::new(width, height, title, &desc);
    heading(&mut svg, title);
    legend(&mut svg, PAD, PAD + 32.0);
    svg.text(
        cases_right,
        rows_top - 8.0,
        "Cases",
        Font::new(12.0).bold().end(),
    );
    svg.text(
        ror_x,
        rows_top - 8.0,
        "ROR (95% CI)",
        Font::new(12.0).bold(),
    );

    // Values beyond the axis's limits (10^±200) stop at the frame.
    let x = |v: f64| axis.map(v.clamp(axis.min, axis.max), x0, x1);
    let ticks: Vec<(f64, String)> = axis
        .ticks
        .iter()
        .map(|&t| (x(t), LogAxis::label(t)))
        .collect();
    x_grid(
        &mut svg,
        &ticks.iter().map(|t| t.0).collect::<Vec<_>>(),
        rows_top,
        rows_bottom,
    );
    svg.line(
        (x(1.0), rows_top),
        (x(1.0), rows_bottom),
        INK,
        1.0,
        Some("4 3"),
    );

    let max_a = rows
        .iter()
        .map(|r| r.a)
        .filter(|a| a.is_finite())
        .fold(0.0, f64::max);
    for (i, line) in lines.iter().enumerate() {
        let y = rows_top + ROW * (i as f64 + 0.5);
        let r = match line {
            Line::Header(h) => {
                let (shown, cut) = truncate(h);
                svg.open_group(cut.then_some(*h));
                svg.text(PAD, y + MID, &shown, Font::new(12.0).bold());
                svg.close_group();
                continue;
            }
            Line::Row(r) => r,
        };
        let colour = if r.signal { SIGNAL } else { NON_SIGNAL };
        let (cases, ror) = (count(r.a), ror_text(r));
        svg.open_group(Some(&format!("{}: ROR {ror}, {cases} case(s)", r.label)));
        svg.text(
            PAD + indent,
            y + MID,
            &truncate(&r.label).0,
            Font::new(12.0),
        );
        if positive(r.estimate) {
            if positive(r.lower) && positive(r.upper) {
                svg.line((x(r.lower), y), (x(r.upper), y), colour, 1.5, None);
            }
            let share = if max_a > 0.0 && r.a > 0.0 {
                libm::sqrt(r.a.min(max_a) / max_a)
            } else {
                0.0
            };
            let side = MARKER.0 + (MARKER.1 - MARKER.0) * share;
            svg.rect(
                x(r.estimate) - side / 2.0,
                y - side / 2.0,
                side,
                side,
                colour,
            );
        } else {
            svg.text(
                x(1.0) + 6.0,
                y + MID,
                "not estimable",
                Font::new(11.0).fill(MUTED),
            );
        }
        svg.text(cases_right, y + MID, &cases, Font::new(12.0).end());
        svg.text(ror_x, y + MID, &ror, Font::new(12.0));
        svg.close_group();
    }
    x_axis(
        &mut svg,
        &ticks,
        (x0, x1),
        rows_bottom,
        "Reporting odds ratio (95% CI), log scale",
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plots::check::{attr, texts, well_formed};

    fn row(
        label: &str,
        group: Option<&str>,
        estimate: f64,
        lower: f64,
        upper: f64,
        a: f64,
    ) -> ForestRow {
        ForestRow {
            label: label.into(),
            group: group.map(Into::into),
            estimate,
            lower,
            upper,
            a,
            signal: lower > 1.0,
        }
    }

    /// The row group whose tooltip starts with `label`.
    fn row_group<'a>(doc: &'a roxmltree::Document, label: &str) -> roxmltree::Node<'a, 'a> {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("g")
                    && n.first_element_child().is_some_and(|t| {
                        t.has_tag_name("title") && t.text().unwrap().starts_with(label)
                    })
            })
            .unwrap()
    }

    /// x of the tick labelled `text`.
    fn tick_x(doc: &roxmltree::Document, text: &str) -> f64 {
        let node = doc
            .descendants()
            .find(|n| n.has_tag_name("text") && n.text() == Some(text))
            .unwrap();
        attr(node, "x")
    }

    #[test]
    fn markers_and_intervals_sit_on_the_log_scale() {
        let rows = [
            row("Rhabdomyolysis", None, 486.02, 395.96, 596.57, 97.0),
            row("Myalgia", None, 1.95, 1.35, 2.81, 12.0),
        ];
        let out = forest("ROR", &rows);
        let doc = well_formed(&out);
        // The axis runs 0.5..1000 on 1-2-5 ticks.
        let labels = texts(&doc);
        let ticks = [
            "0.5", "1", "2", "5", "10", "20", "50", "100", "200", "500", "1,000",
        ];
        let at = labels.iter().position(|t| t == "0.5").unwrap();
        assert_eq!(labels[at..at + ticks.len()], ticks);
        // Positions follow from the ticks at 1 and 10: one decade apart.
        let (one, ten) = (tick_x(&doc, "1"), tick_x(&doc, "10"));
        let decade = ten - one;
        assert!((tick_x(&doc, "1,000") - (one + 3.0 * decade)).abs() < 0.02);
        assert!((tick_x(&doc, "0.5") - (one - 0.5f64.log10().abs() * decade)).abs() < 0.02);
        let expect = |v: f64| one + libm::log10(v) * decade;
        for (label, est, lo, hi) in [
            ("Rhabdomyolysis", 486.02, 395.96, 596.57),
            ("Myalgia", 1.95, 1.35, 2.81),
        ] {
            let g = row_group(&doc, label);
            let ci = g.children().find(|n| n.has_tag_name("line")).unwrap();
            assert!((attr(ci, "x1") - expect(lo)).abs() < 0.03, "{label} lower");
            assert!((attr(ci, "x2") - expect(hi)).abs() < 0.03, "{label} upper");
            let marker = g.children().find(|n| n.has_tag_name("rect")).unwrap();
            let centre = attr(marker, "x") + attr(marker, "width") / 2.0;
            assert!((centre - expect(est)).abs() < 0.03, "{label} estimate");
        }
        // The larger a gets the larger marker, within bounds.
        let side = |label| {
            attr(
                row_group(&doc, label)
                    .children()
                    .find(|n| n.has_tag_name("rect"))
                    .unwrap(),
                "width",
            )
        };
        assert_eq!(side("Rhabdomyolysis"), MARKER.1);
        assert!(side("Myalgia") > MARKER.0 && side("Myalgia") < MARKER.1);
        // The dashed reference line stands at 1.
        let reference = doc
            .descendants()
            .find(|n| n.attribute("stroke-dasharray").is_some())
            .unwrap();
        assert!(
            (attr(reference, "x1") - one).abs() < 0.02
                && attr(reference, "x1") == attr(reference, "x2")
        );
        assert!(
            labels.contains(&"486.02 (395.96–596.57)".to_string())
                && labels.contains(&"97".to_string())
        );
    }

    #[test]
    fn groups_in_order_of_first_appearance() {
        let rows = [
            row("B1", Some("Beta"), 2.0, 1.5, 3.0, 5.0),
            row("A1", Some("Alpha"), 3.0, 2.0, 4.0, 5.0),
            row("B2", Some("Beta"), 0.5, 0.3, 0.8, 5.0),
            row("N1", None, 1.1, 0.9, 1.3, 5.0),
        ];
        let out = forest("Groups", &rows);
        let doc = well_formed(&out);
        let bold: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("font-weight") == Some("bold"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            bold,
            ["Groups", "Cases", "ROR (95% CI)", "Beta", "Alpha", "Other"]
        );
        let order: Vec<String> = texts(&doc)
            .into_iter()
            .filter(|t| ["Beta", "B1", "B2", "Alpha", "A1", "Other", "N1"].contains(&t.as_str()))
            .collect();
        assert_eq!(order, ["Beta", "B1", "B2", "Alpha", "A1", "Other", "N1"]);
    }

    #[test]
    fn odd_labels_single_rows_and_unestimable_values() {
        let long = format!("{}<&\"'>", "Very long preferred term name ".repeat(3));
        let rows = [
            row(
                &long,
                Some("S<O>C & \"co\""),
                f64::NAN,
                f64::NAN,
                f64::INFINITY,
                0.0,
            ),
            row("Zero", Some("S<O>C & \"co\""), 0.0, -1.0, 2.0, 1.0),
            row("No CI", None, 3.0, 0.0, f64::INFINITY, 2.0),
        ];
        let out = forest("Odd <&\"'>", &rows);
        let doc = well_formed(&out);
        let labels = texts(&doc);
        assert_eq!(labels.iter().filter(|t| *t == "not estimable").count(), 4); // in plot and column
        assert!(labels.contains(&"3.00 (CI not estimable)".to_string()));
        // The cut label keeps its full text in the row's tooltip.
        assert!(labels.iter().any(|t| t.ends_with('…')));
        row_group(&doc, &long);
        assert_eq!(
            row_group(&doc, "No CI")
                .children()
                .filter(|n| n.has_tag_name("line"))
                .count(),
            0
        );

        let single = forest("One", &rows[2..]);
        well_formed(&single);
        assert_eq!(single, forest("One", &rows[2..]));
    }
}
