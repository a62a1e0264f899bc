//! Figure 1: horizontal bars, one per category, each with "n (p%)" at its end.

use super::axis::{x_axis, x_grid, LinearAxis, X_AXIS_HEIGHT};
use super::svg::{count, fixed, text_width, truncate, Font, Svg, MUTED, NON_SIGNAL, SIGNAL};
use super::{drawn, heading, heading_width, no_data, GAP, MID, PAD, ROW};

/// One bar: a category's count and its share of the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    /// Category, e.g. a SOC or PT name.
    pub label: String,
    /// Count; the bar's length.
    pub value: f64,
    /// Share of the whole, 0..1, printed as a percentage.
    pub share: f64,
    /// Drawn in the signal colour.
    pub highlight: bool,
}

/// Width of the plot area.
const PLOT_W: f64 = 360.0;
/// Thickness of a bar, within its row.
const BAR: f64 = 14.0;

/// "n (p%)", or "n" when the share is not a number.
fn value_text(r: &BarRow) -> String {
    let percent = 100.0 * r.share;
    if percent.is_finite() {
        format!("{} ({}%)", count(r.value), fixed(percent, 1))
    } else {
        count(r.value)
    }
}

/// Horizontal bars of `rows` in the given order (Figure 1) as a standalone SVG document,
/// the linear x axis from 0 labelled `x_label`.
pub fn bars(title: &str, x_label: &str, rows: &[BarRow]) -> String {
    if rows.is_empty() {
        return no_data(
            title,
            &format!("Horizontal bar chart of {x_label}: no categories."),
        );
    }
    let max = rows.iter().map(|r| drawn(r.value)).fold(0.0, f64::max);
    let whole = rows
        .iter()
        .all(|r| libm::floor(drawn(r.value)) == drawn(r.value));
    let axis = LinearAxis::nice(0.0, max, 5, whole);

    let label_w = rows
        .iter()
        .map(|r| text_width(&truncate(&r.label).0, 12.0, false))
        .fold(0.0, f64::max);
    let value_w = rows
        .iter()
        .map(|r| text_width(&value_text(r), 11.0, false))
        .fold(0.0, f64::max);
    let x0 = PAD + label_w + GAP;
    let x1 = x0 + PLOT_W;
    let width = (x1 + 6.0 + value_w + PAD).max(heading_width(title));
    let rows_top = PAD + 36.0;
    let rows_bottom = rows_top + ROW * rows.len() as f64;
    let height = rows_bottom + X_AXIS_HEIGHT + PAD;

    let highlighted = rows.iter().filter(|r| r.highlight).count();
    let desc = format!(
        "Horizontal bar chart of {x_label} for {} categor{}, with count and percentage at each bar's end; \
         {highlighted} highlighted in vermillion, others in blue.",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
    let mut svg = Svg::new(width, height, title, &desc);
    heading(&mut svg, title);
    let ticks: Vec<(f64, String)> = axis
        .ticks
        .iter()
        .map(|&t| (axis.map(t, x0, x1), axis.label(t)))
        .collect();
    x_grid(
        &mut svg,
        &ticks.iter().map(|t| t.0).collect::<Vec<_>>(),
        rows_top,
        rows_bottom,
    );
    for (i, r) in rows.iter().enumerate() {
        let y = rows_top + ROW * (i as f64 + 0.5);
        let text = value_text(r);
        svg.open_group(Some(&format!("{}: {text}", r.label)));
        svg.text(
            x0 - GAP / 2.0,
            y + MID,
            &truncate(&r.label).0,
            Font::new(12.0).end(),
        );
        let end = axis.map(drawn(r.value), x0, x1);
        svg.rect(
            x0,
            y - BAR / 2.0,
            end - x0,
            BAR,
            if r.highlight { SIGNAL } else { NON_SIGNAL },
        );
        svg.text(end + 4.0, y + 3.9, &text, Font::new(11.0).fill(MUTED));
        svg.close_group();
    }
    svg.line((x0, rows_top), (x0, rows_bottom), MUTED, 1.0, None);
    x_axis(&mut svg, &ticks, (x0, x1), rows_bottom, x_label);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plots::check::{attr, texts, well_formed};

    fn row(label: &str, value: f64, share: f64, highlight: bool) -> BarRow {
        BarRow {
            label: label.into(),
            value,
            share,
            highlight,
        }
    }

    #[test]
    fn bar_lengths_are_proportional_to_values() {
        let rows = [
            row("A", 400.0, 0.5, true),
            row("B", 100.0, 0.125, false),
            row("C", 0.0, 0.0, false),
        ];
        let out = bars("Share by SOC", "Reports", &rows);
        let doc = well_formed(&out);
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.parent().unwrap().has_tag_name("g"))
            .map(|n| attr(n, "width"))
            .collect();
        assert_eq!(widths.len(), 3);
        assert!((widths[0] / widths[1] - 4.0).abs() < 1e-3, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        // The axis ends at a nice 400, so the longest bar spans the plot.
        assert_eq!(widths[0], PLOT_W);
        let labels = texts(&doc);
        assert!(
            labels.contains(&"400 (50.0%)".to_string())
                && labels.contains(&"100 (12.5%)".to_string())
        );
        assert!(labels.contains(&"Reports".to_string()));
        let fills: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter_map(|n| n.attribute("fill"))
            .collect();
        assert_eq!(fills, ["#fff", SIGNAL, NON_SIGNAL, NON_SIGNAL]);
    }

    #[test]
    fn odd_labels_and_single_row() {
        let long = format!("{}<&\"'>", "x".repeat(60));
        let out = bars(
            "<&\"'>",
            "a & b",
            &[
                row(&long, f64::NAN, f64::NAN, false),
                row("ok", 3.0, 1.0, false),
            ],
        );
        let doc = well_formed(&out);
        assert!(texts(&doc).iter().any(|t| t.ends_with('…')));
        let single = bars("One", "Reports", &[row("Only", 7.0, 1.0, true)]);
        well_formed(&single);
        assert_eq!(
            single,
            bars("One", "Reports", &[row("Only", 7.0, 1.0, true)])
        );
    }
}
