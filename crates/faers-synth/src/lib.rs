//! Deterministic generator of realistic **synthetic** FAERS quarterly ASCII zips.
//!
//! The zips have the byte layout of FDA's current extracts (the "F-B" layout, 2014Q3 on; see
//! `shared/faers-format.md` §1–5): `faers_ascii_<YYYY>q<N>.zip` with members
//! `ASCII/DEMO24Q1.txt`, `ASCII/DRUG24Q1.txt`, `ASCII/REAC24Q1.txt`, `ASCII/OUTC24Q1.txt`,
//! `ASCII/RPSR24Q1.txt`, `ASCII/THER24Q1.txt`, `ASCII/INDI24Q1.txt` and
//! `Deleted/DELETE24Q1.txt`; `$`-separated fields, no quoting, CRLF line endings, the exact
//! lower-case headers, primaryid = caseid ‖ caseversion.
//!
//! The data are made up, but shaped like FAERS: case versions within and across quarters
//! (including fda_dt ties that exercise FDA's de-duplication rule), deleted-case lists,
//! partial dates, mixed-case free text, a few hundred real drug and MedDRA PT names with
//! Zipf-like frequencies, and a handful of **planted drug–event associations** of known
//! strength (see [`SynthSummary::planted`]), the reference study's drug (inotuzumab
//! ozogamicin / BESPONSA) among them, plus a negative control.
//!
//! Same options, same bytes: the generator uses its own PRNG, integer arithmetic for all
//! sampling, and fixed zip timestamps. Rows are streamed into per-table deflate compressors
//! (no table is ever held as text), and a full-size quarter (~450,000 reports, ~330 MB of
//! text) takes seconds in release mode.
//!
//! ```no_run
//! let summary = faers_synth::write_quarters(
//!     &faers_synth::SynthOptions::demo(),
//!     std::path::Path::new("web/demo"),
//! )?;
//! assert_eq!(summary.zips.len(), 2);
//! # Ok::<(), std::io::Error>(())
//! ```

#![deny(missing_docs)]

mod cases;
mod dates;
mod planted;
mod report;
mod rng;
mod tables;
mod vocab;

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Seek, Write};
use std::path::Path;

/// One quarter to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterSpec {
    /// Calendar year, e.g. 2024.
    pub year: u16,
    /// Quarter, 1 to 4.
    pub quarter: u8,
    /// Number of reports, i.e. DEMO rows (case versions), in the quarter.
    pub reports: usize,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SynthOptions {
    /// Seed of every random choice: same seed and quarters, same bytes.
    pub seed: u64,
    /// The quarters, one zip each. They may be given in any order but must be distinct;
    /// cases flow forward in time between them (follow-up versions, deletions).
    pub quarters: Vec<QuarterSpec>,
}

/// Seed of the presets.
const PRESET_SEED: u64 = 0x00FA_E525_2024_0001;

impl SynthOptions {
    /// Two consecutive quarters (2024Q1, 2024Q2), ~15,000 reports each: the page's demo data.
    pub fn demo() -> Self {
        SynthOptions {
            seed: PRESET_SEED,
            quarters: vec![
                QuarterSpec {
                    year: 2024,
                    quarter: 1,
                    reports: 15_000,
                },
                QuarterSpec {
                    year: 2024,
                    quarter: 2,
                    reports: 15_000,
                },
            ],
        }
    }

    /// One quarter of today's full size: ~450,000 reports, ~330 MB of text over the seven tables.
    pub fn full_size(year: u16, quarter: u8) -> Self {
        SynthOptions {
            seed: PRESET_SEED,
            quarters: vec![QuarterSpec {
                year,
                quarter,
                reports: 450_000,
            }],
        }
    }
}

/// One zip written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenZip {
    /// File name, e.g. `faers_ascii_2024q1.zip`.
    pub file_name: String,
    /// Quarter label, e.g. `2024Q1`.
    pub quarter: String,
    /// Number of reports (DEMO data rows).
    pub reports: usize,
    /// Data rows (header excluded) per table: `DEMO`, `DRUG`, `REAC`, `OUTC`, `RPSR`, `THER`, `INDI`.
    pub table_rows: BTreeMap<String, u64>,
    /// Uncompressed size of all members (seven tables and the deleted-case list), in bytes.
    pub uncompressed_bytes: u64,
    /// Number of caseid lines in the deleted-case list (repeated entries counted each time).
    pub deleted_caseids: usize,
}

/// A planted drug–event association.
///
/// `relative_risk` is the ratio, fixed by construction, of the per-report probability of the
/// PT among reports that list the drug as primary or secondary suspect (PS/SS) to that among
/// reports without any planted drug. A value of exactly 1 marks a negative control: the drug
/// is reported as often as the others, but nothing is planted, so no signal should be found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedAssociation {
    /// Active ingredient, as in `prod_ai` (e.g. `INOTUZUMAB OZOGAMICIN`).
    pub generic: String,
    /// Brand names that also occur as drugname (e.g. `BESPONSA`).
    pub brands: Vec<String>,
    /// MedDRA PT as written in REAC (e.g. `Veno-occlusive liver disease`).
    pub pt: String,
    /// Relative risk (see above).
    pub relative_risk: f64,
}

/// What [`write_quarters`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthSummary {
    /// The zips, in the order of [`SynthOptions::quarters`].
    pub zips: Vec<WrittenZip>,
    /// The planted associations, negative control included.
    pub planted: Vec<PlantedAssociation>,
}

/// The planted associations (the same for every seed).
pub fn planted_associations() -> Vec<PlantedAssociation> {
    let mut out = Vec::new();
    for d in planted::PLANTED_DRUGS {
        for &(pt, rr) in d.effects {
            out.push(PlantedAssociation {
                generic: d.generic.to_string(),
                brands: d.brands.iter().map(|b| b.to_string()).collect(),
                pt: pt.to_string(),
                relative_risk: planted::effective_relative_risk(pt, rr),
            });
        }
    }
    out
}

/// FDA's zip name for a quarter, e.g. `faers_ascii_2024q1.zip`.
pub fn zip_file_name(year: u16, quarter: u8) -> String {
    format!("faers_ascii_{year}q{quarter}.zip")
}

fn check(options: &SynthOptions) -> io::Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for q in &options.quarters {
        if !(1..=4).contains(&q.quarter) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("quarter must be 1 to 4, got {}", q.quarter),
            ));
        }
        if !(1990..=2200).contains(&q.year) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("year out of range: {}", q.year),
            ));
        }
        if !seen.insert((q.year, q.quarter)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("quarter {}Q{} given twice", q.year, q.quarter),
            ));
        }
    }
    Ok(())
}

/// Writes one zip per quarter into `out_dir` (created if missing) and a `manifest.json` there:
/// `{"synthetic": true, "description": "...", "seed": N, "files": [{"name": "...", "quarter":
/// "...", "bytes": N, "reports": N}], "planted": [...]}`.
///
/// Files are written under a temporary name and renamed when complete.
pub fn write_quarters(options: &SynthOptions, out_dir: &Path) -> io::Result<SynthSummary> {
    check(options)?;
    std::fs::create_dir_all(out_dir)?;
    let plans = cases::plan(options.seed, &options.quarters);
    let mut zips = Vec::with_capacity(plans.len());
    let mut files = Vec::with_capacity(plans.len());
    for (spec, plan) in options.quarters.iter().zip(&plans) {
        let name = zip_file_name(spec.year, spec.quarter);
        let final_path = out_dir.join(&name);
        let tmp_path = out_dir.join(format!(".{name}.partial"));
        let file = std::fs::File::create(&tmp_path)?;
        let mut out = io::BufWriter::with_capacity(1 << 20, file);
        let written = write_planned(options.seed, spec, plan, &mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        drop(file);
        std::fs::rename(&tmp_path, &final_path)?;
        files.push(serde_json::json!({
            "name": name,
            "quarter": written.quarter,
            "bytes": bytes,
            "reports": written.reports,
        }));
        zips.push(written);
    }
    let planted = planted_associations();
    let manifest = serde_json::json!({
        "synthetic": true,
        "description": "SYNTHETIC data, not FDA data: made-up FAERS quarterly ASCII extracts in FDA's \
    current layout, generated by faers-synth, with planted drug-event associations \
    (relative_risk = planted ratio of the PT's per-report probability among reports listing the \
    drug as PS/SS to reports without any planted drug; 1 marks a negative control). \
    Never use for safety conclusions.",
        "seed": options.seed,
        "files": files,
        "planted": planted,
    });
    let mut text = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
    text.push('\n');
    std::fs::write(out_dir.join("manifest.json"), text)?;
    Ok(SynthSummary { zips, planted })
}

/// Writes the zip of `options.quarters[index]` to `writer` (e.g. a `Cursor<Vec<u8>>` in a
/// browser), with exactly the bytes [`write_quarters`] puts in that quarter's file. All
/// quarters are planned (cheap) so that cross-quarter versions stay consistent.
pub fn write_quarter_to<W: Write + Seek>(
    options: &SynthOptions,
    index: usize,
    writer: W,
) -> io::Result<WrittenZip> {
    check(options)?;
    let spec = options.quarters.get(index).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no quarter at index {index}"),
        )
    })?;
    let plans = cases::plan(options.seed, &options.quarters);
    write_planned(options.seed, spec, &plans[index], writer)
}

/// Generates one planned quarter into a zip.
fn write_planned<W: Write + Seek>(
    seed: u64,
    spec: &QuarterSpec,
    plan: &cases::QuarterPlan,
    writer: W,
) -> io::Result<WrittenZip> {
    let mut tables = tables::TableWriter::new(spec.year, spec.quarter)?;
    let ctx = report::QuarterCtx {
        seed,
        allow_dn: dates::quarter_index(spec.year, spec.quarter) >= dates::quarter_index(2024, 4),
    };
    let mut scratch = report::Scratch::new();
    for entry in &plan.entries {
        report::emit_report(&ctx, entry, &mut scratch, &mut tables)?;
    }
    let (prepared, rows, bytes) = tables.finish()?;

    let mut zip = zip::ZipWriter::new(writer);
    for p in prepared {
        zip.add_prepared_file(p).map_err(io::Error::other)?;
    }
    // Deleted-case list: no header, the first line a single space, then caseids.
    let mut deleted = Vec::with_capacity(3 + plan.deleted.len() * 10);
    deleted.extend_from_slice(b" \r\n");
    for &c in &plan.deleted {
        tables::push_u64(&mut deleted, u64::from(c));
        deleted.extend_from_slice(b"\r\n");
    }
    zip.start_file(
        tables::deleted_member_name(spec.year, spec.quarter),
        tables::member_options(),
    )
    .map_err(io::Error::other)?;
    zip.write_all(&deleted)?;
    zip.finish().map_err(io::Error::other)?;

    let table_rows = tables::TABLES
        .iter()
        .map(|t| (t.stem().to_string(), rows[*t as usize]))
        .collect();
    Ok(WrittenZip {
        file_name: zip_file_name(spec.year, spec.quarter),
        quarter: format!("{}Q{}", spec.year, spec.quarter),
        reports: plan.entries.len(),
        table_rows,
        uncompressed_bytes: bytes.iter().sum::<u64>() + deleted.len() as u64,
        deleted_caseids: plan.deleted.len(),
    })
}

#[cfg(test)]
mod tests;
