//! Everything a reviewer takes away from an analysis: the result object as JSON, every
//! table as CSV, the figures as SVG and a methods paragraph, rendered here once so that
//! the page and the command line hand out the same bytes.
//!
//! Same inputs and settings give byte-identical files: maps are ordered, numbers are
//! printed with the shortest representation that reads back to the same double, and no
//! date or random element enters the output.

pub mod csv;
pub mod figures;
pub mod methods;

use serde::Serialize;

use crate::describe::Descriptive;
use crate::report::AnalysisResult;

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// File name, e.g. `signals.csv`.
    pub name: String,
    /// MIME type.
    pub mime: &'static str,
    /// Contents.
    pub content: String,
}

impl ExportFile {
    fn new(name: &str, mime: &'static str, content: String) -> Self {
        ExportFile {
            name: name.to_owned(),
            mime,
            content,
        }
    }
}

/// The result object as pretty JSON with a final newline (the CLI's `--json` output).
pub fn result_json(result: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(result).unwrap_or_else(|e| {
        // Serialising our own structs cannot fail; say so in the file if it ever does.
        format!("{{\"error\": \"{e}\"}}")
    });
    text.push('\n');
    text
}

/// `n` as a percentage of `of`, 2 decimals ("" when `of` is 0).
pub fn percent(n: u64, of: u64) -> String {
    if of == 0 {
        String::new()
    } else {
        format!("{:.2}", n as f64 * 100.0 / of as f64)
    }
}

/// Everything: result.json, the CSV tables, the figures as SVG and methods.md.
pub fn files(result: &AnalysisResult) -> Vec<ExportFile> {
    let mut files = vec![ExportFile::new(
        "result.json",
        "application/json",
        result_json(result),
    )];
    files.extend(csv_files(result));
    files.extend(
        figures::figures(result)
            .into_iter()
            .map(|f| ExportFile::new(&format!("{}.svg", f.name), "image/svg+xml", f.svg)),
    );
    files.push(ExportFile::new(
        "methods.md",
        "text/markdown",
        methods::methods_markdown(result),
    ));
    files
}

/// Every table of the result as CSV files.
pub fn csv_files(result: &AnalysisResult) -> Vec<ExportFile> {
    let mut files = Vec::new();
    let mut add = |name: &str, content: Option<String>| {
        if let Some(content) = content {
            files.push(ExportFile::new(name, "text/csv", content));
        }
    };
    add("signals.csv", csv::records(&result.signals));
    add(
        "descriptive.csv",
        Some(descriptive_csv(&result.descriptive)),
    );
    add(
        "age.csv",
        csv::records(std::slice::from_ref(&result.descriptive.age)),
    );
    add("listing.csv", csv::records(&result.listing.rows));
    add("matched_names.csv", csv::records(&result.matched_names));
    add("funnel.csv", Some(funnel_csv(result)));
    add("inputs.csv", Some(inputs_csv(result)));
    if let Some(by_soc) = &result.by_soc {
        add("signals_by_soc.csv", csv::records(by_soc));
    }
    files
}

/// The descriptive tables in long form: table, category, n, percent of the cases.
fn descriptive_csv(d: &Descriptive) -> String {
    let mut out = csv::line(&[
        "table".into(),
        "category".into(),
        "n".into(),
        "percent".into(),
    ]);
    let mut row = |table: &str, category: &str, n: u64| {
        out.push_str(&csv::line(&[
            table.to_owned(),
            category.to_owned(),
            n.to_string(),
            percent(n, d.cases),
        ]));
    };
    row("cases", "all", d.cases);
    for (table, map) in [
        ("sex", &d.sex),
        ("age_group", &d.age_group),
        ("year", &d.year),
        ("reporter", &d.reporter),
        ("country", &d.country),
        ("outcome", &d.outcome),
        ("seriousness", &d.seriousness),
        ("role", &d.roles),
    ] {
        for (category, n) in map {
            row(table, category, *n);
        }
    }
    for (table, ranking) in [
        ("indication", &d.indications),
        ("concomitant", &d.concomitant),
    ] {
        for ranked in &ranking.top {
            row(table, &ranked.name, ranked.reports);
        }
    }
    out
}

/// The deduplication funnel, one stage per line.
fn funnel_csv(result: &AnalysisResult) -> String {
    let c = &result.counts;
    let mut out = csv::line(&["stage".into(), "n".into()]);
    for (stage, n) in [
        ("DEMO rows", c.demo_rows),
        ("distinct reports (primaryid)", c.distinct_reports),
        ("removed: on FDA's deleted-case lists", c.deleted_removed),
        ("removed: superseded case versions", c.superseded_removed),
        ("removed: rule-based duplicates", c.rule_duplicates_removed),
        ("reports analysed", c.reports),
        ("report-PT pairs analysed", c.pairs),
        ("target reports", c.target_reports),
        ("target report-PT pairs", c.target_pairs),
    ] {
        out.push_str(&csv::line(&[stage.to_owned(), n.to_string()]));
    }
    out
}

/// One line per input file: identity, rows per table and the line accounting.
fn inputs_csv(result: &AnalysisResult) -> String {
    const TABLES: [&str; 7] = ["DEMO", "DRUG", "REAC", "OUTC", "RPSR", "THER", "INDI"];
    let mut header: Vec<String> = ["name", "sha256", "bytes", "quarter", "era"]
        .map(String::from)
        .to_vec();
    header.extend(TABLES.iter().map(|t| format!("{t}_rows")));
    header.extend(["repaired_lines", "skipped_lines", "warnings", "error"].map(String::from));
    let mut out = csv::line(&header);
    for input in &result.inputs {
        let mut fields = vec![
            input.name.clone(),
            input.sha256.clone(),
            input.bytes.to_string(),
            input.quarter.clone().unwrap_or_default(),
            input.era.clone().unwrap_or_default(),
        ];
        fields.extend(TABLES.iter().map(|t| {
            input
                .tables
                .get(*t)
                .map_or_else(String::new, u64::to_string)
        }));
        fields.push(input.repaired_lines.to_string());
        fields.push(input.skipped_lines.to_string());
        fields.push(input.warnings.join(" | "));
        fields.push(input.error.clone().unwrap_or_default());
        out.push_str(&csv::line(&fields));
    }
    out
}
