//! The study's figures, drawn from the result object: Figure 1 (ADEs by SOC and by PT),
//! Figure 2 (time to onset), Figure 3 (forest plot of the strongest signals), and two a
//! reviewer adds: reports per year and a volcano plot of all PTs.

use std::collections::BTreeMap;

use crate::plots::{self, BarRow, ColumnBar, ForestRow, VolcanoPoint};
use crate::report::{AnalysisResult, Signal};

/// How many signals the forest plot shows.
pub const FOREST_TOP: usize = 30;
/// How many PTs the ADE-by-PT bars show.
pub const PT_BARS_TOP: usize = 20;
/// How many signals the volcano plot names.
pub const VOLCANO_LABELS: usize = 10;

/// One figure: a file name stem, what it shows and the SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// File name without extension, e.g. `forest`.
    pub name: &'static str,
    /// The caption.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

fn drug_words(r: &AnalysisResult) -> String {
    r.settings.drugs.join(" / ")
}

/// Signals by strength for the forest plot: ROR lower bound, then ROR, then PT.
fn strongest(signals: &[Signal]) -> Vec<&Signal> {
    let mut v: Vec<&Signal> = signals.iter().filter(|s| s.signal).collect();
    let key = |s: &Signal| s.measures.ror_lower.unwrap_or(f64::NEG_INFINITY);
    v.sort_by(|x, y| {
        key(y)
            .total_cmp(&key(x))
            .then_with(|| {
                let r = |s: &Signal| s.measures.ror.unwrap_or(f64::NEG_INFINITY);
                r(y).total_cmp(&r(x))
            })
            .then_with(|| x.pt.cmp(&y.pt))
    });
    v.truncate(FOREST_TOP);
    v
}

/// Every figure the result supports (the SOC figure needs the user's MedDRA).
pub fn figures(r: &AnalysisResult) -> Vec<Figure> {
    let drug = drug_words(r);
    let mut out = Vec::new();

    // Figure 3: forest plot, grouped by primary SOC when MedDRA is loaded.
    let mut top = strongest(&r.signals);
    let grouped = top.iter().any(|s| s.soc.is_some());
    if grouped {
        // Groups by their strongest member's rank, members by rank: a stable sort on the
        // group's first position keeps that order.
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in top.iter().enumerate() {
            first.entry(s.soc.as_deref().unwrap_or("")).or_insert(i);
        }
        top.sort_by_key(|s| first[s.soc.as_deref().unwrap_or("")]);
    }
    let rows: Vec<ForestRow> = top
        .iter()
        .map(|s| ForestRow {
            label: s.pt.clone(),
            group: if grouped {
                Some(
                    s.soc
                        .clone()
                        .unwrap_or_else(|| "Not found in MedDRA".into()),
                )
            } else {
                None
            },
            estimate: s.measures.ror.unwrap_or(f64::NAN),
            lower: s.measures.ror_lower.unwrap_or(f64::NAN),
            upper: s.measures.ror_upper.unwrap_or(f64::NAN),
            a: s.a as f64,
            signal: s.signal,
        })
        .collect();
    let title = if rows.is_empty() {
        format!("Reporting odds ratio (95% CI): no signal for {drug}")
    } else {
        format!(
            "Reporting odds ratio (95% CI) of the {} strongest signals, {drug}",
            rows.len()
        )
    };
    out.push(Figure {
        name: "forest",
        svg: plots::forest(&title, &rows),
        title,
    });

    // Figure 1: share of the drug's ADEs (report–PT pairs) by SOC and by PT.
    let ades = r.counts.target_pairs;
    let share = |n: u64| {
        if ades == 0 {
            0.0
        } else {
            n as f64 / ades as f64
        }
    };
    if let Some(by_soc) = &r.by_soc {
        let rows: Vec<BarRow> = {
            let mut socs: Vec<_> = by_soc.iter().collect();
            socs.sort_by(|x, y| y.events.cmp(&x.events).then_with(|| x.soc.cmp(&y.soc)));
            socs.iter()
                .map(|s| BarRow {
                    label: s.soc.clone(),
                    value: s.events as f64,
                    share: share(s.events),
                    highlight: s.signals > 0,
                })
                .collect()
        };
        let title = format!("Adverse events of {drug} by System Organ Class");
        out.push(Figure {
            name: "ades_by_soc",
            svg: plots::bars(&title, "Report–PT pairs", &rows),
            title,
        });
    }
    let mut by_a: Vec<&Signal> = r.signals.iter().collect();
    by_a.sort_by(|x, y| y.a.cmp(&x.a).then_with(|| x.pt.cmp(&y.pt)));
    let rows: Vec<BarRow> = by_a
        .iter()
        .take(PT_BARS_TOP)
        .map(|s| BarRow {
            label: s.pt.clone(),
            value: s.a as f64,
            share: share(s.a),
            highlight: s.signal,
        })
        .collect();
    let title = if rows.is_empty() {
        format!("No preferred term reported with {drug}")
    } else {
        format!(
            "The {} most reported preferred terms with {drug}",
            rows.len()
        )
    };
    out.push(Figure {
        name: "ades_by_pt",
        svg: plots::bars(
            &title,
            match r.settings.unit {
                crate::options::Unit::Reports => "Target reports with the PT",
                crate::options::Unit::Pairs => "Target report–PT pairs",
            },
            &rows,
        ),
        title,
    });

    // Figure 2: time to onset.
    let t = &r.descriptive.time_to_onset;
    let cols: Vec<ColumnBar> = t
        .bands
        .iter()
        .map(|b| ColumnBar {
            label: b.label.to_owned(),
            value: b.count as f64,
        })
        .collect();
    let title = format!("Time to onset with {drug} (n = {})", t.n);
    out.push(Figure {
        name: "time_to_onset",
        svg: plots::columns(&title, "Days from the start of the drug", "Cases", &cols),
        title,
    });

    // Reports per year, with the years in between that have none.
    let years: Vec<(u32, u64)> = r
        .descriptive
        .year
        .iter()
        .filter_map(|(y, n)| Some((y.parse::<u32>().ok()?, *n)))
        .collect();
    let mut cols = Vec::new();
    if let (Some(first), Some(last)) = (years.first(), years.last()) {
        for year in first.0..=last.0 {
            let n = years
                .iter()
                .find(|(y, _)| *y == year)
                .map_or(0, |(_, n)| *n);
            cols.push(ColumnBar {
                label: year.to_string(),
                value: n as f64,
            });
        }
    }
    let title = format!("Target reports per year received by FDA, {drug}");
    out.push(Figure {
        name: "reports_per_year",
        svg: plots::columns(
            &title,
            "Year (fda_dt of the kept version)",
            "Reports",
            &cols,
        ),
        title,
    });

    // Volcano: every PT reported with the drug.
    let points: Vec<VolcanoPoint> = r
        .signals
        .iter()
        .filter_map(|s| {
            Some(VolcanoPoint {
                label: s.pt.clone(),
                ror: s.measures.ror?,
                p: s.measures.p_value?,
                signal: s.signal,
            })
        })
        .collect();
    let title = format!("Volcano plot of the preferred terms reported with {drug}");
    out.push(Figure {
        name: "volcano",
        svg: plots::volcano(&title, &points, VOLCANO_LABELS),
        title,
    });
    out
}
