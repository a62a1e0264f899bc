//! Figure 2 and the yearly counts: vertical bars over ordered categories, each with its
//! count on top.

use super::axis::{y_axis, y_grid, y_labels_width, LinearAxis};
use super::svg::{count, text_width, truncate, Font, Svg, MUTED, NON_SIGNAL};
use super::{drawn, heading, heading_width, no_data, PAD};

/// One column: a category and its count.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnBar {
    /// Category, e.g. "0-30" (days) or "2004".
    pub label: String,
    /// Count; the column's height.
    pub value: f64,
}

/// Height of the plot area.
const PLOT_H: f64 = 240.0;
/// Least width of the plot area.
const PLOT_MIN: f64 = 240.0;
/// Least width of one category's slot.
const SLOT_MIN: f64 = 26.0;
/// Labels are turned −45° beyond this many categories, or when one is wider than this.
const FLAT_MAX: (usize, f64) = (12, 56.0);
/// sin 45° = cos 45°: a turned label's extent down and to the left.
const DIAG: f64 = 0.7072;

/// Columns of `cols` in the given order as a standalone SVG document: categories along x
/// (`x_label`), counts on a linear y axis from 0 (`y_label`).
pub fn columns(title: &str, x_label: &str, y_label: &str, cols: &[ColumnBar]) -> String {
    if cols.is_empty() {
        return no_data(
            title,
            &format!("Column chart of {y_label} by {x_label}: no categories."),
        );
    }
    let max = cols.iter().map(|c| drawn(c.value)).fold(0.0, f64::max);
    let whole = cols
        .iter()
        .all(|c| libm::floor(drawn(c.value)) == drawn(c.value));
    let axis = LinearAxis::nice(0.0, max, 5, whole);

    let labels: Vec<(String, bool)> = cols.iter().map(|c| truncate(&c.label)).collect();
    let label_w = labels
        .iter()
        .map(|(l, _)| text_width(l, 11.0, false))
        .fold(0.0, f64::max);
    let count_w = cols
        .iter()
        .map(|c| text_width(&count(c.value), 11.0, false))
        .fold(0.0, f64::max);
    let turned = cols.len() > FLAT_MAX.0 || label_w > FLAT_MAX.1;
    let flat_w = if turned { 0.0 } else { label_w + 8.0 };
    let slot = SLOT_MIN
        .max(count_w + 6.0)
        .max(flat_w)
        .max(PLOT_MIN / cols.len() as f64);
    let plot_w = slot * cols.len() as f64;

    let top = PAD + 44.0;
    let bottom = top + PLOT_H;
    let ticks: Vec<(f64, String)> = axis
        .ticks
        .iter()
        .map(|&t| (axis.map(t, bottom, top), axis.label(t)))
        .collect();
    let y_label_x = PAD + 8.0;
    // Room for the y labels, and for a turned first label reaching left of its slot.
    let x0 =
        (y_label_x + 10.0 + y_labels_width(&ticks) + 8.0).max(PAD + label_w * DIAG - slot / 2.0);
    let x1 = x0 + plot_w;
    let labels_h = if turned { label_w * DIAG + 16.0 } else { 18.0 };
    let height = bottom + labels_h + 24.0 + PAD;
    let width = (x1 + PAD).max(heading_width(title));

    let desc = format!(
        "Column chart of {y_label} by {x_label} for {} categor{}, in the given order, with the count above each column.",
        cols.len(),
        if cols.len() == 1 { "y" } else { "ies" }
    );
    let mut svg = Svg::new(width, height, title, &desc);
    heading(&mut svg, title);
    y_grid(
        &mut svg,
        &ticks.iter().map(|t| t.0).collect::<Vec<_>>(),
        x0,
        x1,
    );
    let bar_w = (slot * 0.72).min(slot - 4.0);
    for (i, (c, (label, cut))) in cols.iter().zip(&labels).enumerate() {
        let cx = x0 + slot * (i as f64 + 0.5);
        let y = axis.map(drawn(c.value), bottom, top);
        let n = count(c.value);
        svg.open_group(Some(&format!(
            "{}: {n}",
            if *cut { &c.label } else { label }
        )));
        svg.rect(cx - bar_w / 2.0, y, bar_w, bottom - y, NON_SIGNAL);
        svg.text(cx, y - 4.0, &n, Font::new(11.0).middle());
        if turned {
            svg.text(
                cx + 3.0,
                bottom + 12.0,
                label,
                Font::new(11.0).end().rotate(-45.0),
            );
        } else {
            svg.text(cx, bottom + 16.0, label, Font::new(11.0).middle());
        }
        svg.close_group();
    }
    svg.line((x0, bottom), (x1, bottom), MUTED, 1.0, None);
    y_axis(&mut svg, &ticks, x0, (bottom, top), (y_label, y_label_x));
    svg.text(
        (x0 + x1) / 2.0,
        bottom + labels_h + 16.0,
        x_label,
        Font::new(12.0).middle(),
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plots::check::{attr, texts, well_formed};

    fn cols(items: &[(&str, f64)]) -> Vec<ColumnBar> {
        items
            .iter()
            .map(|&(label, value)| ColumnBar {
                label: label.into(),
                value,
            })
            .collect()
    }

    /// The column rectangles (the background is not in a group).
    fn bars<'a>(doc: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
        doc.descendants()
            .filter(|n| n.has_tag_name("rect") && n.parent().unwrap().has_tag_name("g"))
            .collect()
    }

    #[test]
    fn one_column_per_category_with_counts() {
        let bands = cols(&[
            ("0-30", 212.0),
            ("31-60", 64.0),
            ("61-90", 0.0),
            (">360", 1234.0),
        ]);
        let out = columns("Time to onset", "Days", "Cases", &bands);
        let doc = well_formed(&out);
        let rects = bars(&doc);
        assert_eq!(rects.len(), 4);
        let labels = texts(&doc);
        for t in ["212", "64", "0", "1,234", "0-30", ">360", "Days", "Cases"] {
            assert!(labels.contains(&t.to_string()), "{t}");
        }
        // Heights proportional to counts, all standing on the same baseline.
        let h: Vec<f64> = rects.iter().map(|&r| attr(r, "height")).collect();
        assert!((h[0] / h[1] - 212.0 / 64.0).abs() < 1e-3 && h[2] == 0.0);
        let base: Vec<f64> = rects
            .iter()
            .map(|&r| attr(r, "y") + attr(r, "height"))
            .collect();
        assert!(base.iter().all(|&b| (b - base[0]).abs() < 0.02));
        // Few short labels stay flat.
        assert!(!out.contains("rotate(-45"));
    }

    #[test]
    fn many_categories_turn_their_labels() {
        let years: Vec<ColumnBar> = (2004..=2024)
            .map(|y| ColumnBar {
                label: y.to_string(),
                value: 3.0,
            })
            .collect();
        let out = columns("Reports per year", "Year", "Reports", &years);
        let doc = well_formed(&out);
        assert_eq!(bars(&doc).len(), 21);
        assert_eq!(out.matches("rotate(-45").count(), 21);
    }

    #[test]
    fn odd_labels_and_single_column() {
        let out = columns(
            "<&\"'>",
            "a<b",
            "c&d",
            &cols(&[("<&\"'>", 1.5), ("inf", f64::INFINITY), ("x", f64::NAN)]),
        );
        well_formed(&out);
        let single = columns("One", "Year", "Reports", &cols(&[("2024", 9.0)]));
        well_formed(&single);
        assert_eq!(
            single,
            columns("One", "Year", "Reports", &cols(&[("2024", 9.0)]))
        );
    }
}
