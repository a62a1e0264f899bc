//! Reading one quarterly zip into a [`QuarterData`], with a full accounting.
//!
//! Tables are inflated and parsed in one streaming pass each (DEMO first, since every other
//! table joins to it by primaryid); no table is ever held in memory as text. Each line is
//! split on `$` with no quoting (FDA's fields are never quoted: `"` and `'` are data).
//! A line whose field count does not match its header is skipped and listed with its line
//! number; the only repair done here is the legacy trailing `$` (one extra empty field),
//! which is FDA's normal legacy layout and not counted as damage.

mod chunked;
mod crc32;
mod drug_runs;
mod handoff;
mod not_zip;
mod report_index;

use chunked::Chunked;
use drug_runs::DrugRuns;

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use crate::error::{InputError, NotZipFound};
use crate::lines::{Line, LineSplitter};
use crate::members::{classify, quarter_from_zip_name, MemberKind, Quarter, TableKind};
use crate::schema::Era;
use crate::store::{
    DrugRow, Drugs, Grouped, Ids, ProductTable, PtId, QuarterData, Reports, Role, SeqRows,
    Vocabulary, MAX_DRUG_DETAILS, MAX_PTS, NO_TEXT, OUTCOME_CODE_WORDS, SOURCE_CODE_WORDS,
};
use crate::summary::{InputSummary, LineAction};
use crate::table::{Cols, Fields, RowSink, TableReader};
use crate::values::{
    age_in_years, normalize_text, parse_f64, parse_u64, trim, weight_in_kg, Code, Date, Sex,
};

/// A member larger than this when inflated is refused (FDA's largest table is ~150 MB).
pub const MAX_MEMBER_BYTES: u64 = 8 << 30;
/// A member that inflates more than this many times its compressed size is refused when it
/// is also larger than [`RATIO_CHECK_FROM`] (FDA's text compresses 5–15×).
pub const MAX_COMPRESSION_RATIO: u64 = 100;
/// Members smaller than this are not ratio-checked.
pub const RATIO_CHECK_FROM: u64 = 64 << 20;

const CHUNK: usize = 256 * 1024;
/// How many reports from the last one a child row's report is looked for before the index:
/// child tables list reports in DEMO's order, skipping the reports with no row of theirs (no
/// outcome, no therapy), mostly by a few; a hash probe per skip cost ~5% of reading DEMO's
/// companions in WebAssembly.
const LOOK_AHEAD: usize = 16;

/// Compressed bytes handed to the inflater per call.
const INPUT_CHUNK: usize = 64 * 1024;
const PROGRESS_EVERY: u64 = 4 << 20;

pub use handoff::{join_halves, main_half_gap, read_drug_half, read_main_half, PendingQuarter};

/// Reads one zip. Always returns the file's summary; the data only when the file could be
/// used. `progress(done, total)` is called as table bytes are inflated.
pub fn read_zip<R: Read + Seek>(
    name: &str,
    reader: R,
    progress: &mut dyn FnMut(u64, u64),
) -> (InputSummary, Option<QuarterData>) {
    read_zip_hashed(name, reader, FileHash::Compute, progress)
}

/// As [`read_zip`], with the file's SHA-256 already known (e.g. computed by the browser's
/// native `crypto.subtle` while the core would otherwise hash in software) or to be given
/// after the read (see [`FileHash`]). The size is still taken from the reader.
pub fn read_zip_hashed<R: Read + Seek>(
    name: &str,
    mut reader: R,
    hash: FileHash,
    progress: &mut dyn FnMut(u64, u64),
) -> (InputSummary, Option<QuarterData>) {
    let mut main = read_main_part(name, &mut reader, hash, progress);
    let drug = match &mut main {
        // DRUG read straight into the quarter's builder, DEMO's index at hand: the same
        // accounting as the split read, without holding DRUG's rows aside.
        Ok(m) => Some(read_part(
            name,
            &mut reader,
            FileHash::Later,
            Part::Drug,
            std::mem::take(&mut m.builder),
            progress,
        )),
        Err(_) => None,
    };
    combine(main, drug)
}

/// As [`read_zip_hashed`] on two threads, one reading DRUG (about half of a quarter's
/// text) and one everything else, each from its own reader made by `open`. The result is
/// the same, to the byte, as a read on one thread.
pub fn read_zip_split<R, F>(
    name: &str,
    open: F,
    known_sha256: Option<String>,
) -> (InputSummary, Option<QuarterData>)
where
    R: Read + Seek,
    F: Fn() -> std::io::Result<R> + Sync,
{
    let failed = |error: InputError| {
        Box::new(PartFailure {
            summary: InputSummary {
                name: name.to_owned(),
                ..InputSummary::default()
            },
            error,
        })
    };
    let opened = |part, identity| match open() {
        Ok(mut r) => read_part(
            name,
            &mut r,
            identity,
            part,
            QuarterBuilder::for_part(part),
            &mut |_, _| {},
        ),
        Err(e) => Err(failed(io_error(name, e))),
    };
    // The DRUG thread also hashes the file: DRUG is the smaller half of a quarter.
    let hash_here = known_sha256.is_none();
    let (main, drug, sha) = std::thread::scope(|scope| {
        let drug = scope.spawn(|| {
            let sha = if hash_here {
                match open().and_then(|mut r| sha256_hex(&mut r)) {
                    Ok((sha, _)) => Some(sha),
                    Err(e) => return (Err(failed(io_error(name, e))), None),
                }
            } else {
                None
            };
            (opened(Part::Drug, FileHash::Later), sha)
        });
        let main = opened(
            Part::Main,
            match &known_sha256 {
                Some(sha) => FileHash::Given(sha.clone()),
                None => FileHash::Later,
            },
        );
        // A panic in the DRUG reader is a bug; report it rather than propagate it.
        let (drug, sha) = drug.join().unwrap_or_else(|_| {
            (
                Err(failed(InputError::Io {
                    file: name.to_owned(),
                    reason: "the DRUG reader stopped unexpectedly".into(),
                })),
                None,
            )
        });
        (main, drug, sha)
    });
    let (mut summary, data) = combine(main, Some(drug));
    if let Some(sha) = sha {
        summary.sha256 = sha;
    }
    (summary, data)
}

/// Which tables one pass over a zip reads: the quarter's reading is split in two so that
/// two threads (or two Web Workers) can share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// DEMO and every table but DRUG, and the deleted-case lists: the quarter's frame.
    Main,
    /// DRUG alone, its rows keyed by primaryid until joined to the frame's reports.
    Drug,
}

/// What one part read.
struct PartRead {
    summary: InputSummary,
    builder: QuarterBuilder,
    quarter: Quarter,
    era: Option<Era>,
    /// The DRUG member and the era of its header (Drug part).
    drug_layout: Option<(String, Era)>,
}

/// Joins the DRUG part to the main part: the file's summary, and the quarter when both
/// parts could be read.
fn combine(
    main: Result<PartRead, Box<PartFailure>>,
    drug: Option<Result<PartRead, Box<PartFailure>>>,
) -> (InputSummary, Option<QuarterData>) {
    let mut main = match main {
        Ok(m) => m,
        Err(failure) => {
            let mut summary = failure.summary;
            summary.error = Some(failure.error.to_string());
            return (summary, None);
        }
    };
    let mut summary = std::mem::take(&mut main.summary);
    let drug = match drug {
        Some(Ok(d)) => d,
        Some(Err(failure)) => {
            summary.error = Some(failure.error.to_string());
            return (summary, None);
        }
        None => {
            summary.error = Some(format!("{}: DRUG was not read", summary.name));
            return (summary, None);
        }
    };
    let d = drug.summary;
    summary.tables.extend(d.tables);
    summary.repaired_lines += d.repaired_lines;
    summary.skipped_lines += d.skipped_lines;
    for issue in d.line_issues {
        if summary.line_issues.len() < crate::summary::MAX_LISTED_ISSUES {
            summary.line_issues.push(issue);
        }
    }
    summary.warnings.extend(d.warnings);
    summary.text_bytes += d.text_bytes;
    let era = resolved_era(main.era, main.quarter);
    if let Some((path, drug_era)) = drug.drug_layout {
        if main.era.is_some() && drug_era != era {
            summary.warnings.push(format!(
                "{path} has a {} header but DEMO a {} one",
                drug_era.as_str(),
                era.as_str()
            ));
        }
    }
    let (b, drugs) = if drug.builder.defer_drugs {
        // DRUG read apart, its rows in runs of one primaryid: they join DEMO's reports here.
        let mut b = main.builder;
        let mut db = drug.builder;
        b.drug_names = std::mem::take(&mut db.drug_names);
        b.products = std::mem::take(&mut db.products);
        b.drug_details = std::mem::take(&mut db.drug_details);
        let runs = std::mem::take(&mut db.drug_runs);
        let (drugs, orphans) = runs.join(b.reports.len(), |pid| b.report_of(pid));
        if let Some(orphans) = orphans {
            b.orphans.insert(TableKind::Drug, orphans);
        }
        for (column, (count, first)) in db.problems.by_column {
            let e = b.problems.by_column.entry(column).or_insert((0, first));
            e.0 += count;
            e.1 = e.1.min(first);
        }
        (b, Some(drugs))
    } else {
        // DRUG was read into the main part's builder, already joined.
        (drug.builder, None)
    };
    b.report_value_problems(&mut summary);
    let data = b.finish(main.quarter, era, drugs);
    (summary, Some(data))
}

fn io_error(file: &str, e: std::io::Error) -> InputError {
    InputError::Io {
        file: file.to_owned(),
        reason: e.to_string(),
    }
}

/// SHA-256 and size of everything `reader` yields.
pub fn sha256_hex(reader: &mut impl Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, total))
}

struct Member {
    index: usize,
    path: String,
    size: u64,
}

/// Where a file's SHA-256 (its identity in the summary, the methods text and the browser's
/// store) comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileHash {
    /// Given by the caller, e.g. computed by the browser's native `crypto.subtle`. Lower-cased;
    /// a value that is not 64 hex digits is recomputed rather than trusted.
    Given(String),
    /// Computed by the read, in one extra pass over the file.
    Compute,
    /// Given after the read with [`give_sha256`], so that the browser can hash while the
    /// engine reads (or, on threads, filled in by the other one).
    Later,
}

impl FileHash {
    /// The caller's hash, or compute one.
    pub fn given(known_sha256: Option<String>) -> FileHash {
        known_sha256.map_or(FileHash::Compute, FileHash::Given)
    }
}

/// Sets the SHA-256 of a file read with [`FileHash::Later`]. `Err` (and nothing set) unless
/// it is 64 hex digits.
pub fn give_sha256(summary: &mut InputSummary, sha256: &str) -> Result<(), InputError> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(InputError::Io {
            file: summary.name.clone(),
            reason: format!("{sha256:?} is not a SHA-256 in hex"),
        });
    }
    summary.sha256 = sha256.to_ascii_lowercase();
    Ok(())
}

/// Gives `sha256` to the file `name` among `inputs` that was added before its hash was known:
/// the last of that name without one (a file given again under its name comes later). `Ok(false)`
/// when there is none; `Err` (and nothing set) unless it is 64 hex digits. The workspace and a
/// copy of its summaries (an analysis's `inputs`) find the same file this way.
pub fn give_sha256_to_named(
    inputs: &mut [InputSummary],
    name: &str,
    sha256: &str,
) -> Result<bool, InputError> {
    match inputs
        .iter_mut()
        .rev()
        .find(|s| s.name == name && s.sha256.is_empty())
    {
        Some(summary) => give_sha256(summary, sha256).map(|()| true),
        None => Ok(false),
    }
}

/// What a failed part leaves: the summary so far (name, size, hash) and the reason.
struct PartFailure {
    summary: InputSummary,
    error: InputError,
}

/// Reads every table but DRUG, into a fresh builder.
fn read_main_part<R: Read + Seek>(
    name: &str,
    reader: &mut R,
    hash: FileHash,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PartRead, Box<PartFailure>> {
    let builder = QuarterBuilder::for_part(Part::Main);
    read_part(name, reader, hash, Part::Main, builder, progress)
}

/// Reads one part of a zip (see [`Part`]); the main part also hashes the file unless its
/// SHA-256 is given.
fn read_part<R: Read + Seek>(
    name: &str,
    reader: &mut R,
    identity: FileHash,
    part: Part,
    builder: QuarterBuilder,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PartRead, Box<PartFailure>> {
    let valid = |sha: &str| sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    // A given hash that is not one is recomputed rather than reported.
    let compute = match &identity {
        FileHash::Compute => true,
        FileHash::Given(sha) => !valid(sha),
        FileHash::Later => false,
    };
    let mut summary = InputSummary {
        name: name.to_owned(),
        sha256: match identity {
            FileHash::Given(sha) => sha,
            _ => String::new(),
        },
        ..InputSummary::default()
    };
    match read_part_inner(name, reader, &mut summary, compute, part, builder, progress) {
        Ok((mut builder, quarter, era, drug_layout)) => {
            if part == Part::Main {
                builder.settle_main_tables();
            }
            Ok(PartRead {
                summary,
                builder,
                quarter,
                era,
                drug_layout,
            })
        }
        Err(error) => Err(Box::new(PartFailure { summary, error })),
    }
}

/// The builder, the quarter, DEMO's era, and (DRUG part) the DRUG member with its era.
type PartInner = (QuarterBuilder, Quarter, Option<Era>, Option<(String, Era)>);

fn read_part_inner<R: Read + Seek>(
    name: &str,
    reader: &mut R,
    summary: &mut InputSummary,
    compute_sha256: bool,
    part: Part,
    builder: QuarterBuilder,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PartInner, InputError> {
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(name, e))?;
    if !compute_sha256 {
        summary.sha256.make_ascii_lowercase();
        summary.bytes = reader
            .seek(SeekFrom::End(0))
            .map_err(|e| io_error(name, e))?;
    } else {
        let (sha, bytes) = sha256_hex(reader).map_err(|e| io_error(name, e))?;
        summary.sha256 = sha;
        summary.bytes = bytes;
    }
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(name, e))?;

    let mut archive = match zip::ZipArchive::new(&mut *reader) {
        Ok(archive) => archive,
        Err(e) => {
            return Err(InputError::NotZip {
                file: name.to_owned(),
                found: not_zip::identify(reader, summary.bytes, e.to_string()),
            })
        }
    };

    // Find the tables and deleted lists by base name, whatever the folder.
    let mut tables: BTreeMap<TableKind, (Member, Quarter)> = BTreeMap::new();
    let mut deleted: Vec<Member> = Vec::new();
    for index in 0..archive.len() {
        let file = archive
            .by_index_raw(index)
            .map_err(|e| InputError::NotZip {
                file: name.to_owned(),
                found: NotZipFound::DamagedDirectory(e.to_string()),
            })?;
        let member = Member {
            index,
            path: file
                .name()
                .map_err(|e| InputError::NotZip {
                    file: name.to_owned(),
                    found: NotZipFound::DamagedDirectory(e.to_string()),
                })?
                .into_owned(),
            size: file.size(),
        };
        let compressed = file.compressed_size();
        drop(file);
        let kind = classify(&member.path);
        if matches!(kind, MemberKind::Other) {
            continue;
        }
        if member.size > MAX_MEMBER_BYTES
            || (member.size > RATIO_CHECK_FROM
                && member.size > compressed.saturating_mul(MAX_COMPRESSION_RATIO))
        {
            return Err(InputError::TooLarge {
                file: name.to_owned(),
                member: member.path,
                reason: format!(
                    "it declares {} bytes inflated from {compressed} compressed, \
                     beyond what a FAERS table can be",
                    member.size
                ),
            });
        }
        match kind {
            MemberKind::Table(kind, quarter) => {
                if let Some((first, _)) = tables.get(&kind) {
                    if part == Part::Drug {
                        continue;
                    }
                    summary.warnings.push(format!(
                        "{} appears twice in the zip ({} and {}); only the first was read",
                        kind, first.path, member.path
                    ));
                } else {
                    tables.insert(kind, (member, quarter));
                }
            }
            MemberKind::DeletedList => deleted.push(member),
            MemberKind::Other => {}
        }
    }
    if tables.is_empty() {
        return Err(InputError::NoTables {
            file: name.to_owned(),
        });
    }
    let Some(&(_, quarter)) = tables.get(&TableKind::Demo) else {
        return Err(InputError::NoDemo {
            file: name.to_owned(),
        });
    };
    summary.quarter = Some(quarter.to_string());
    if part == Part::Main {
        main_warnings(name, &tables, quarter, summary);
    }
    let wanted = |kind: TableKind| (kind == TableKind::Drug) == (part == Part::Drug);
    let total: u64 = tables
        .iter()
        .filter(|(k, _)| wanted(**k))
        .map(|(_, (m, _))| m.size)
        .sum::<u64>()
        + if part == Part::Main {
            deleted.iter().map(|m| m.size).sum::<u64>()
        } else {
            0
        };
    let mut done = 0u64;
    progress(0, total);

    let mut builder = builder;
    let mut era = None;
    let mut drug_layout = None;
    for kind in TableKind::ALL {
        if !wanted(kind) {
            continue;
        }
        let Some((member, _)) = tables.get(&kind) else {
            continue;
        };
        let mut table = TableReader::new(kind, &member.path);
        stream_member(
            name,
            &mut archive,
            member,
            &mut done,
            total,
            progress,
            &mut |line_no, line| table.line(line_no, line, &mut builder, summary),
        )?;
        table.finish(summary);
        match kind {
            TableKind::Drug => details_fit(name, &member.path, builder.drug_details.len())?,
            TableKind::Reac | TableKind::Indi => {
                pts_fit(name, &member.path, builder.pt_names.len())?
            }
            _ => {}
        }
        if let Some(reason) = table.header_error.take() {
            let err = InputError::BadHeader {
                file: name.to_owned(),
                member: member.path.clone(),
                reason,
            };
            if kind == TableKind::Demo {
                return Err(err);
            }
            summary.warnings.push(err.to_string());
            continue;
        }
        if let Some(layout) = table.layout() {
            if kind == TableKind::Demo {
                era = Some(layout.era);
            } else if kind == TableKind::Drug && part == Part::Drug {
                drug_layout = Some((member.path.clone(), layout.era));
            } else if Some(layout.era) != era {
                summary.warnings.push(format!(
                    "{} has a {} header but DEMO a {} one",
                    member.path,
                    layout.era.as_str(),
                    era.map_or("missing", Era::as_str)
                ));
            }
            if !layout.unknown.is_empty() {
                summary.warnings.push(format!(
                    "{}: column(s) not in FDA's documentation, ignored: {}",
                    member.path,
                    layout.unknown.join(", ")
                ));
            }
        } else {
            summary
                .warnings
                .push(format!("{} is empty (no header line)", member.path));
        }
        summary.tables.insert(kind.name().to_owned(), table.rows);
    }
    for member in deleted.iter().filter(|_| part == Part::Main) {
        let mut ids = 0u64;
        let path = member.path.clone();
        stream_member(
            name,
            &mut archive,
            member,
            &mut done,
            total,
            progress,
            &mut |line_no, line| match line {
                Line::TooLong => summary.line_issue(
                    &path,
                    line_no,
                    LineAction::Skipped,
                    "line longer than 1 MiB".into(),
                ),
                Line::Text(t) if trim(t).is_empty() => {}
                Line::Text(t) => match parse_u64(t) {
                    Some(id) => {
                        builder.deleted.push(id);
                        ids += 1;
                    }
                    None if line_no == 1 && trim(t).eq_ignore_ascii_case(b"caseid") => {}
                    None => summary.line_issue(
                        &path,
                        line_no,
                        LineAction::Skipped,
                        "not a case id".into(),
                    ),
                },
            },
        )?;
        *summary.tables.entry("DELETED".to_owned()).or_default() += ids;
    }
    progress(total, total);
    summary.text_bytes = done;

    if part == Part::Drug {
        if builder.defer_drugs {
            // Cut into runs here, beside the reader of DEMO: the join is left little to do.
            let rows = std::mem::take(&mut builder.pending_drugs);
            builder.drug_runs = DrugRuns::cut(&rows);
        }
        return Ok((builder, quarter, None, drug_layout));
    }
    let demo_era = era;
    let era = resolved_era(era, quarter);
    summary.era = Some(era.as_str().to_owned());
    if era == Era::Legacy && !quarter.is_legacy() || era == Era::Faers && quarter.is_legacy() {
        summary.warnings.push(format!(
            "quarter {quarter} has a {} header, which FDA did not use for that quarter",
            era.as_str()
        ));
    }
    Ok((builder, quarter, demo_era, None))
}

/// Refuses a DRUG table with more distinct dose details than a [`DrugRow`] can name.
fn details_fit(file: &str, member: &str, distinct: usize) -> Result<(), InputError> {
    at_most(file, member, distinct, MAX_DRUG_DETAILS, || {
        format!(
            "it holds more than {MAX_DRUG_DETAILS} distinct combinations of route, dose, \
             form and frequency, more than one quarter can keep"
        )
    })
}

/// Refuses a quarter whose REAC and INDI tables name more distinct PTs than a [`PtId`] holds.
fn pts_fit(file: &str, member: &str, distinct: usize) -> Result<(), InputError> {
    at_most(file, member, distinct, MAX_PTS, || {
        format!(
            "with it the quarter names more than {MAX_PTS} distinct reaction and indication \
             terms (MedDRA has about 27,000 PTs)"
        )
    })
}

/// `member` of `file` is not read when it holds more than `limit` distinct values.
fn at_most(
    file: &str,
    member: &str,
    distinct: usize,
    limit: usize,
    reason: impl FnOnce() -> String,
) -> Result<(), InputError> {
    if distinct <= limit {
        return Ok(());
    }
    Err(InputError::TooLarge {
        file: file.to_owned(),
        member: member.to_owned(),
        reason: reason(),
    })
}

/// DEMO's era, or (no DEMO header) the quarter's: FAERS from 2012Q4.
fn resolved_era(demo: Option<Era>, quarter: Quarter) -> Era {
    demo.unwrap_or(if quarter.is_legacy() {
        Era::Legacy
    } else {
        Era::Faers
    })
}

/// What the member list and names say about the file as a whole (the main part's job).
fn main_warnings(
    name: &str,
    tables: &BTreeMap<TableKind, (Member, Quarter)>,
    quarter: Quarter,
    summary: &mut InputSummary,
) {
    for (member, q) in tables.values() {
        if *q != quarter {
            summary.warnings.push(format!(
                "{} is named for {q} but DEMO for {quarter}; read as {quarter}",
                member.path
            ));
        }
    }
    if let Some(zq) = quarter_from_zip_name(name) {
        if zq != quarter {
            summary.warnings.push(format!(
                "the file name says {zq} but its tables are {quarter}; read as {quarter}"
            ));
        }
    }
    for kind in TableKind::ALL {
        if !tables.contains_key(&kind) {
            summary.warnings.push(format!(
                "no {kind} table in this zip: its rows are missing from the analysis"
            ));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn stream_member<R: Read + Seek>(
    file: &str,
    archive: &mut zip::ZipArchive<R>,
    member: &Member,
    done: &mut u64,
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
    on_line: &mut dyn FnMut(u64, Line<'_>),
) -> Result<(), InputError> {
    let corrupt = |reason: String| InputError::Corrupt {
        file: file.to_owned(),
        member: member.path.clone(),
        reason,
    };
    // Stored and deflated members (every FDA zip) are inflated here rather than by the zip
    // crate: its decompressor reads 8 KiB of input per call, and each call also copies the
    // inflate window; a 64 KiB buffer saves ~5% of a quarter's read in WebAssembly. The
    // CRC-32 is then checked here (see `crc32` for how it is computed in wasm).
    let mut raw = archive
        .by_index_raw(member.index)
        .map_err(|e| corrupt(e.to_string()))?;
    let expected_crc = raw.crc32();
    let mut crc = Some(crc32::Crc32::new());
    let mut inflate;
    let mut zip_entry;
    let entry: &mut dyn Read = match (raw.encrypted(), raw.compression()) {
        (false, zip::CompressionMethod::Stored) => &mut raw,
        (false, zip::CompressionMethod::Deflated) => {
            inflate = flate2::bufread::DeflateDecoder::new(std::io::BufReader::with_capacity(
                INPUT_CHUNK,
                raw,
            ));
            &mut inflate
        }
        _ => {
            // Anything else: the zip crate decides (and checks the CRC itself).
            drop(raw);
            crc = None;
            zip_entry = archive
                .by_index(member.index)
                .map_err(|e| corrupt(e.to_string()))?;
            &mut zip_entry
        }
    };
    let mut splitter = LineSplitter::new();
    let mut buf = vec![0u8; CHUNK];
    let mut read = 0u64;
    let mut since_progress = 0u64;
    let mut cb = |n: u64, l: Line<'_>| on_line(n, l);
    loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt(e.to_string())),
        };
        read += n as u64;
        if read > member.size {
            return Err(InputError::TooLarge {
                file: file.to_owned(),
                member: member.path.clone(),
                reason: format!("it inflates past its declared {} bytes", member.size),
            });
        }
        if let Some(c) = &mut crc {
            c.update(&buf[..n]);
        }
        splitter.push(&buf[..n], &mut cb);
        since_progress += n as u64;
        if since_progress >= PROGRESS_EVERY {
            *done += since_progress;
            since_progress = 0;
            progress(*done, total);
        }
    }
    splitter.finish(&mut cb);
    *done += since_progress;
    if read < member.size {
        return Err(corrupt(format!(
            "it ends after {read} of its declared {} bytes",
            member.size
        )));
    }
    if let Some(c) = crc.map(|c| c.value()).filter(|&c| c != expected_crc) {
        return Err(corrupt(format!(
            "its CRC-32 is {c:08x} where the zip declares {expected_crc:08x}"
        )));
    }
    progress(*done, total);
    Ok(())
}

/// Per-column counts of values that could not be read (kept as missing).
#[derive(Default)]
struct ValueProblems {
    by_column: BTreeMap<&'static str, (u64, u64)>,
}

impl ValueProblems {
    fn note(&mut self, column: &'static str, line: u64) {
        let e = self.by_column.entry(column).or_insert((0, line));
        e.0 += 1;
    }
}

/// The tables besides DRUG that hang off DEMO's reports, grouped by report.
struct ChildTables {
    pts: Grouped<PtId>,
    therapies: SeqRows<Date>,
    indications: SeqRows<PtId>,
}

#[derive(Default)]
struct QuarterBuilder {
    reports: Reports,
    index: report_index::ReportIndex,
    /// (report, (row, drug_seq)).
    drugs: Chunked<(u32, (DrugRow, u32))>,
    /// (report, PT): a PT id that passes [`MAX_PTS`] wraps, but then the quarter is refused
    /// when the table ends ([`pts_fit`]).
    pts: Chunked<(u32, PtId)>,
    /// (report, (dsg_drug_seq, start_dt)).
    therapies: Chunked<(u32, (u32, Date))>,
    /// (report, (indi_drug_seq, PT)), as `pts`.
    indications: Chunked<(u32, (u32, PtId))>,
    drug_names: Vocabulary,
    products: ProductTable,
    pt_names: Vocabulary,
    drug_details: Vocabulary,
    countries: Vocabulary,
    details_text: Vec<u8>,
    /// DRUG part: rows kept with their primaryid and line while DRUG is read, then grouped
    /// by primaryid until joined to DEMO's reports.
    defer_drugs: bool,
    pending_drugs: Chunked<(u64, u64, (DrugRow, u32))>,
    drug_runs: DrugRuns,
    /// Raw field bytes → id, so that a spelling seen before skips normalisation.
    raw_drug_names: crate::store::ByteMap,
    /// Raw `drugname`, `prod_ai` bytes (their [`Fields::key`]) → product id: one lookup for
    /// a pair seen before instead of two names and the pair.
    raw_products: crate::store::ByteMap,
    /// Raw dose fields (their [`Fields::key`]) → dose-details id: one lookup, and no
    /// trimming or joining, for a combination seen before.
    raw_details: crate::store::ByteMap,
    raw_pts: crate::store::ByteMap,
    /// The report of the previous child row: FDA's tables are grouped by report, so the
    /// next row's report is almost always this one or the next.
    last_report: u32,
    deleted: Vec<u64>,
    /// DEMO's other child tables, grouped once the main part is read ([`Self::group_children`]).
    children: Option<ChildTables>,
    problems: ValueProblems,
    orphans: BTreeMap<TableKind, (u64, u64)>,
    text: String,
}

impl RowSink for QuarterBuilder {
    fn row(
        &mut self,
        kind: TableKind,
        cols: &Cols,
        f: &Fields<'_>,
        line: u64,
    ) -> Result<(), String> {
        if kind == TableKind::Demo {
            return self.demo(cols, f, line);
        }
        let id = f.get(cols.primaryid);
        let Some(pid) = parse_u64(id) else {
            return Err(format!(
                "primaryid '{}' is not a number",
                String::from_utf8_lossy(trim(id))
            ));
        };
        if kind == TableKind::Drug && self.defer_drugs {
            let row = self.drug_row(cols, f, line);
            self.pending_drugs.push((pid, line, row));
            return Ok(());
        }
        let Some(report) = self.report_of(pid) else {
            // Syntactically sound, but it joins no report: read, counted, reported.
            let e = self.orphans.entry(kind).or_insert((0, line));
            e.0 += 1;
            return Ok(());
        };
        match kind {
            TableKind::Drug => {
                let row = self.drug_row(cols, f, line);
                self.drugs.push((report, row));
            }
            TableKind::Reac => {
                let pt = self.pt(f.get(cols.pt)).ok_or("empty pt")?;
                self.pts.push((report, pt as PtId));
            }
            TableKind::Outc => {
                let code = Code::parse(f.get(cols.outc_cod)).unwrap_or(Code::EMPTY);
                match OUTCOME_CODE_WORDS.iter().position(|c| *c == code) {
                    Some(bit) => self.reports.outcomes[report as usize] |= 1 << bit,
                    None => self.problems.note("OUTC outc_cod", line),
                }
            }
            TableKind::Ther => {
                let seq = self.seq(f.get(cols.dsg_drug_seq), "THER dsg_drug_seq", line);
                let start = self.date(f.get(cols.start_dt), "THER start_dt", line);
                self.therapies.push((report, (seq, start)));
            }
            TableKind::Indi => {
                let seq = self.seq(f.get(cols.indi_drug_seq), "INDI indi_drug_seq", line);
                let pt = self.pt(f.get(cols.indi_pt)).ok_or("empty indi_pt")?;
                self.indications.push((report, (seq, pt as PtId)));
            }
            TableKind::Rpsr => {
                let code = Code::parse(f.get(cols.rpsr_cod)).unwrap_or(Code::EMPTY);
                match SOURCE_CODE_WORDS.iter().position(|c| *c == code) {
                    Some(bit) => self.reports.sources[report as usize] |= 1 << bit,
                    None => self.problems.note("RPSR rpsr_cod", line),
                }
            }
            TableKind::Demo => {}
        }
        Ok(())
    }
}

impl QuarterBuilder {
    /// A builder for one part: the DRUG part keeps its rows aside until they can be joined.
    fn for_part(part: Part) -> Self {
        QuarterBuilder {
            defer_drugs: part == Part::Drug,
            ..QuarterBuilder::default()
        }
    }

    /// A DRUG row and its `drug_seq`.
    fn drug_row(&mut self, cols: &Cols, f: &Fields<'_>, line: u64) -> (DrugRow, u32) {
        let seq = self.seq(f.get(cols.drug_seq), "DRUG drug_seq", line);
        let code = Code::parse(f.get(cols.role_cod));
        let role = code.and_then(Role::parse);
        if role.is_none() {
            self.problems.note("DRUG role_cod", line);
        }
        let product = self.product(f, cols);
        let details = self.drug_details(f, cols);
        (DrugRow::new(product, role, details), seq)
    }

    fn demo(&mut self, cols: &Cols, f: &Fields<'_>, line: u64) -> Result<(), String> {
        let id = f.get(cols.primaryid);
        let primaryid = parse_u64(id).ok_or_else(|| {
            format!(
                "primaryid '{}' is not a number",
                String::from_utf8_lossy(trim(id))
            )
        })?;
        let next = self.reports.primaryid.len() as u32;
        if !self.index.insert(primaryid, next) {
            return Err(format!(
                "primaryid {primaryid} has an earlier DEMO row; the first row was kept"
            ));
        }
        let case_field = trim(f.get(cols.caseid));
        let caseid = parse_u64(case_field).and_then(std::num::NonZeroU64::new);
        if caseid.is_none() && !case_field.is_empty() {
            self.problems.note("DEMO caseid", line);
        }
        let version_field = trim(f.get(cols.caseversion));
        let caseversion = if version_field.is_empty() {
            0
        } else {
            match parse_u64(version_field).and_then(|v| u32::try_from(v).ok()) {
                Some(v) => v,
                None => {
                    self.problems.note("DEMO caseversion", line);
                    0
                }
            }
        };
        let fda_dt = self.date(f.get(cols.fda_dt), "DEMO fda_dt", line);
        let event_dt = self.date(f.get(cols.event_dt), "DEMO event_dt", line);
        let age_years = self
            .quantity(f.get(cols.age), "DEMO age", line)
            .and_then(|age| age_in_years(age, f.get(cols.age_cod)));
        let occupation = Code::parse(f.get(cols.occp_cod)).unwrap_or_else(|| {
            self.problems.note("DEMO occp_cod", line);
            Code::EMPTY
        });
        let weight_kg = self
            .quantity(f.get(cols.wt), "DEMO wt", line)
            .and_then(|wt| weight_in_kg(wt, f.get(cols.wt_cod)));
        normalize_text(f.get(cols.reporter_country), &mut self.text);
        let country = if self.text.is_empty() {
            NO_TEXT
        } else {
            self.countries.intern(&self.text)
        };
        let r = &mut self.reports;
        r.primaryid.push(primaryid);
        r.caseid.push(caseid.map_or(0, std::num::NonZeroU64::get));
        r.caseversion.push(caseversion);
        r.fda_dt.push(fda_dt);
        r.event_dt.push(event_dt);
        r.age_years.push(age_years.map_or(f32::NAN, |a| a as f32));
        r.sex.push(Sex::parse(f.get(cols.sex)));
        r.occupation.push(u32::from_le_bytes(occupation.0));
        r.outcomes.push(0);
        r.sources.push(0);
        r.weight_kg.push(weight_kg.map_or(f32::NAN, |w| w as f32));
        r.reporter_country.push(country);
        Ok(())
    }

    /// A number such as an age or a weight; a non-empty value that is not one is counted.
    fn quantity(&mut self, field: &[u8], column: &'static str, line: u64) -> Option<f64> {
        let value = parse_f64(field);
        if value.is_none() && !trim(field).is_empty() {
            self.problems.note(column, line);
        }
        value
    }

    fn date(&mut self, field: &[u8], column: &'static str, line: u64) -> Date {
        Date::parse(field).unwrap_or_else(|()| {
            self.problems.note(column, line);
            Date::MISSING
        })
    }

    fn seq(&mut self, field: &[u8], column: &'static str, line: u64) -> u32 {
        match parse_u64(field).and_then(|v| u32::try_from(v).ok()) {
            Some(v) => v,
            None => {
                self.problems.note(column, line);
                u32::MAX
            }
        }
    }

    /// The report of a child row. DEMO's primaryids are distinct (a repeated one is refused),
    /// so the report found a few places ahead is the one the index holds.
    fn report_of(&mut self, primaryid: u64) -> Option<u32> {
        let last = self.last_report as usize;
        // (Narrowed once the main part is settled, before DRUG's rows are joined.)
        let ahead = match &self.reports.primaryid {
            Ids::Wide(ids) => ids
                .get(last..)
                .and_then(|rest| rest.iter().take(LOOK_AHEAD).position(|&id| id == primaryid)),
            Ids::Narrow { base, offsets } => primaryid
                .checked_sub(*base)
                .and_then(|offset| u32::try_from(offset).ok())
                .and_then(|offset| {
                    let rest = offsets.get(last..)?;
                    rest.iter().take(LOOK_AHEAD).position(|&o| o == offset)
                }),
        };
        let report = match ahead {
            Some(k) => (last + k) as u32,
            None => self.index.get(primaryid)?,
        };
        self.last_report = report;
        Some(report)
    }

    /// The product (drugname–prod_ai pair) a DRUG row names, cached by the raw bytes of
    /// the two fields ([`Fields::key`]).
    fn product(&mut self, f: &Fields<'_>, cols: &Cols) -> u32 {
        let (drugname, active) = (f.get(cols.drugname), f.get(cols.prod_ai));
        // A mended row (no key) is not cached: its fields might hold a `$`.
        let Some(key) = f.key(&cols.product_key) else {
            return self.product_interned(drugname, active);
        };
        if let Some(product) = self.raw_products.get_parts(key.parts()) {
            return product;
        }
        // First seen: its names are interned (in the order rows first name them, as without
        // this cache), then the pair.
        let product = self.product_interned(drugname, active);
        self.raw_products.insert_parts(key.parts(), product);
        product
    }

    /// [`Self::product`] without its cache of raw pairs.
    fn product_interned(&mut self, drugname: &[u8], active: &[u8]) -> u32 {
        let name = self.drug_text(drugname);
        // The active ingredient often repeats the drug name byte for byte: one lookup.
        let prod_ai = if active == drugname {
            name
        } else {
            self.drug_text(active)
        };
        self.products.intern(name, prod_ai)
    }

    fn drug_text(&mut self, field: &[u8]) -> u32 {
        let (text, names) = (&mut self.text, &mut self.drug_names);
        self.raw_drug_names.get_or_insert_with(field, || {
            normalize_text(field, text);
            if text.is_empty() {
                NO_TEXT
            } else {
                names.intern(text)
            }
        })
    }

    /// A PT (reaction or indication), `None` when blank.
    fn pt(&mut self, field: &[u8]) -> Option<u32> {
        let (text, names) = (&mut self.text, &mut self.pt_names);
        let id = self.raw_pts.get_or_insert_with(field, || {
            normalize_text(field, text);
            if text.is_empty() {
                NO_TEXT
            } else {
                names.intern(text)
            }
        });
        (id != NO_TEXT).then_some(id)
    }

    /// The five dose fields as reported, trimmed, joined with `$` (which cannot occur inside
    /// a field) and interned as one text.
    /// Cached by their raw bytes ([`Fields::key`]).
    fn drug_details(&mut self, f: &Fields<'_>, cols: &Cols) -> u32 {
        // The fields one by one only when the cache does not answer.
        let raw = || cols.details.map(|col| f.get(col));
        // A mended row (no key) is not cached: its fields might hold a `$`.
        let Some(key) = f.key(&cols.details_key) else {
            return self.drug_details_interned(&raw());
        };
        if let Some(id) = self.raw_details.get_parts(key.parts()) {
            return id;
        }
        let id = self.drug_details_interned(&raw());
        self.raw_details.insert_parts(key.parts(), id);
        id
    }

    /// [`Self::drug_details`] without its cache of raw fields.
    fn drug_details_interned(&mut self, raw: &[&[u8]; 5]) -> u32 {
        self.details_text.clear();
        for (i, field) in raw.iter().enumerate() {
            if i > 0 {
                self.details_text.push(b'$');
            }
            self.details_text.extend_from_slice(trim(field));
        }
        if self.details_text.iter().all(|&b| b == b'$') {
            return NO_TEXT;
        }
        let text = &self.details_text;
        let id = self
            .drug_details
            .intern_with(text, || text.iter().map(|&b| b as char).collect());
        // A row cannot name more; such a quarter is refused once DRUG is read
        // (see `details_fit`), so no row is ever kept with the wrong details.
        if (id as usize) < MAX_DRUG_DETAILS {
            id
        } else {
            NO_TEXT
        }
    }

    fn report_value_problems(&self, summary: &mut InputSummary) {
        for (kind, (count, first)) in &self.orphans {
            summary.warnings.push(format!(
                "{kind}: {count} row(s) name a primaryid that is not in DEMO and join no report \
                 (first at line {first})"
            ));
        }
        for (column, (count, first)) in &self.problems.by_column {
            summary.warnings.push(format!(
                "{column}: {count} value(s) could not be read and count as missing \
                 (first at line {first})"
            ));
        }
    }

    /// Finishes the tables other than DRUG once they are read (the end of the main part),
    /// as the quarter keeps them: their child rows grouped by report, the reports packed
    /// (dates in two bytes), the deleted cases sorted and distinct, and the PT and country
    /// names without slack. On two workers this is done while DRUG's half may still be on
    /// its way, not after it, and the rows are freed before DRUG's arrive. Idempotent.
    fn settle_main_tables(&mut self) {
        self.group_children();
        self.reports.shrink_to_fit();
        self.deleted.sort_unstable();
        self.deleted.dedup();
        self.deleted.shrink_to_fit();
        self.pt_names.shrink_to_fit();
        self.countries.shrink_to_fit();
    }

    /// Groups the child tables other than DRUG by report (see [`Self::settle_main_tables`]).
    /// Idempotent.
    fn group_children(&mut self) {
        if self.children.is_some() {
            return;
        }
        let n = self.reports.len();
        drop(std::mem::take(&mut self.raw_pts));
        // Each report's PTs sorted and distinct: a few per report, so sorting them in
        // place beats sorting every (report, PT) pair of the quarter.
        // (Each block's rows are dropped at its end.)
        let pts = {
            let rows = std::mem::take(&mut self.pts);
            Grouped::from_indexed(n, rows.len(), |i| rows.get(i)).sorted_distinct()
        };
        let therapies = {
            let rows = std::mem::take(&mut self.therapies);
            SeqRows::from_grouped(Grouped::from_indexed(n, rows.len(), |i| rows.get(i)))
        };
        let indications = {
            let rows = std::mem::take(&mut self.indications);
            SeqRows::from_grouped(Grouped::from_indexed(n, rows.len(), |i| rows.get(i)))
        };
        self.children = Some(ChildTables {
            pts,
            therapies,
            indications,
        });
    }

    /// The quarter, its DRUG rows grouped here unless `drugs` are given (joined already).
    fn finish(mut self, quarter: Quarter, era: Era, drugs: Option<Drugs>) -> QuarterData {
        let n = self.reports.len();
        self.drug_names.shrink_to_fit();
        self.drug_details.shrink_to_fit();
        // What only reading needed goes first; then each table is grouped and its pairs
        // freed before the next, DRUG (the largest) last: in WebAssembly the peak of a read
        // stays with the page.
        drop(std::mem::take(&mut self.index));
        drop(std::mem::take(&mut self.raw_drug_names));
        drop(std::mem::take(&mut self.raw_products));
        drop(std::mem::take(&mut self.raw_details));
        self.settle_main_tables();
        let ChildTables {
            pts,
            therapies,
            indications,
        } = self.children.take().expect("grouped just above");
        let drugs = drugs.unwrap_or_else(|| {
            let rows = std::mem::take(&mut self.drugs);
            Drugs::from_grouped(Grouped::from_indexed(n, rows.len(), |i| rows.get(i)))
        });
        QuarterData {
            quarter,
            era,
            drugs,
            pts,
            therapies,
            indications,
            reports: self.reports,
            drug_names: self.drug_names,
            products: self.products.into_pairs(),
            pt_names: self.pt_names,
            drug_details: self.drug_details,
            countries: self.countries,
            deleted_caseids: self.deleted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// The caches of raw DRUG keys (the drugname–prod_ai pair, the five dose fields) give
        /// every row the product, names, dose details and ids it would have without them, in
        /// the same order: for spellings that normalise alike, blanks, padded fields, and
        /// rows whose `$` inside a field was kept as text by a repair.
        #[test]
        fn drug_rows_are_the_same_with_the_caches_of_raw_keys(
            rows in proptest::collection::vec(
                (0usize..7, 0usize..7, proptest::array::uniform5(0usize..7)),
                0..150,
            ),
        ) {
            const TEXTS: [&str; 7] =
                ["Aspirin", "ASPIRIN ", "", "  ", "ACETYLSALICYLIC ACID", "aspirin", "TAB$LET"];
            let mut text = String::from(
                "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm\
                 $cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt\
                 $dose_unit$dose_form$dose_freq\n",
            );
            for (i, (name, active, details)) in rows.iter().enumerate() {
                // A `$` inside the drugname only, with typed columns and a prod_ai that leave
                // one place for it: the row is mended, not skipped.
                let name = TEXTS[*name];
                let active = match TEXTS[*active] {
                    a if name.contains('$') && (a.trim().is_empty() || a.contains('$')) => "ASA",
                    a => a,
                }
                .replace('$', "");
                let [route, amt, unit, form, freq] = details.map(|d| TEXTS[d].replace('$', ""));
                text += &format!(
                    "{}$1$1$PS${name}${active}$1${route}$$$$Y$N$$$${amt}${unit}${form}${freq}\n",
                    i + 1,
                );
            }
            /// Reads each row with the caches and checks it against a builder without them.
            #[derive(Default)]
            struct Both {
                cached: QuarterBuilder,
                plain: QuarterBuilder,
                mended: usize,
            }
            impl RowSink for Both {
                fn row(&mut self, _: TableKind, cols: &Cols, f: &Fields<'_>, line: u64) -> Result<(), String> {
                    let (got, _) = self.cached.drug_row(cols, f, line);
                    let product = self.plain.product_interned(f.get(cols.drugname), f.get(cols.prod_ai));
                    let details = self.plain.drug_details_interned(&cols.details.map(|c| f.get(c)));
                    assert_eq!(got, DrugRow::new(product, Some(Role::PS), details), "line {line}");
                    self.mended += usize::from(f.key(&cols.product_key).is_none());
                    Ok(())
                }
            }
            let mut both = Both::default();
            let mut reader = TableReader::new(TableKind::Drug, "DRUG.txt");
            let mut summary = InputSummary::default();
            let mut splitter = LineSplitter::new();
            let mut each = |n: u64, l: Line<'_>| reader.line(n, l, &mut both, &mut summary);
            splitter.push(text.as_bytes(), &mut each);
            splitter.finish(&mut each);
            proptest::prop_assert_eq!(reader.rows as usize, rows.len(), "{:?}", summary.line_issues);
            proptest::prop_assert_eq!(both.mended, summary.repaired_lines as usize);
            let (cached, plain) = (&both.cached, &both.plain);
            proptest::prop_assert_eq!(cached.products.pairs(), plain.products.pairs());
            proptest::prop_assert_eq!(cached.drug_names.names(), plain.drug_names.names());
            proptest::prop_assert_eq!(cached.drug_details.names(), plain.drug_details.names());
        }

        /// Child rows find their report as the index would, whether they follow DEMO's order
        /// (skipping reports by less or more than the look-ahead), go back, or name no report.
        #[test]
        fn a_child_row_finds_the_report_the_index_holds(
            demo in proptest::collection::hash_set(1u64..400, 1..120),
            steps in proptest::collection::vec((0usize..24, 0u8..8), 0..300),
            narrowed in proptest::bool::ANY,
        ) {
            let demo: Vec<u64> = demo.into_iter().collect();
            let mut b = QuarterBuilder::default();
            for (i, &pid) in demo.iter().enumerate() {
                b.reports.primaryid.push(pid);
                b.index.insert(pid, i as u32);
            }
            // DRUG's rows join once the main part has narrowed the ids (`settle_main_tables`).
            if narrowed {
                b.reports.primaryid.shrink_to_fit();
                proptest::prop_assert!(matches!(b.reports.primaryid, Ids::Narrow { .. }), "narrowed");
            }
            let mut at = 0usize;
            for (step, kind) in steps {
                // Mostly forward in DEMO's order, by less or more than the look-ahead;
                // sometimes back, sometimes an id DEMO lacks (above its ids, or among or
                // below them).
                let pid = match kind {
                    0 => 1000 + step as u64,
                    1 if step % 3 == 0 => step as u64 / 3,
                    1 => {
                        at = at.saturating_sub(step);
                        demo[at]
                    }
                    _ => {
                        at = (at + step) % demo.len();
                        demo[at]
                    }
                };
                let expected = b.index.get(pid);
                proptest::prop_assert_eq!(b.report_of(pid), expected);
            }
        }
    }

    #[test]
    fn a_quarter_with_more_dose_details_than_a_row_can_name_is_refused() {
        assert_eq!(details_fit("q.zip", "DRUG.txt", MAX_DRUG_DETAILS), Ok(()));
        let refused = details_fit("q.zip", "DRUG.txt", MAX_DRUG_DETAILS + 1).unwrap_err();
        assert!(matches!(refused, InputError::TooLarge { .. }));
        assert!(refused
            .to_string()
            .starts_with("q.zip: DRUG.txt was not read (it holds more than 536870911 distinct"));
    }

    #[test]
    fn a_quarter_naming_more_pts_than_an_id_holds_is_refused() {
        // 65,536 PTs take the ids 0..=65,535, every one a PtId.
        assert_eq!(MAX_PTS - 1, usize::from(PtId::MAX));
        assert_eq!(pts_fit("q.zip", "REAC.txt", MAX_PTS), Ok(()));
        let refused = pts_fit("q.zip", "INDI.txt", MAX_PTS + 1).unwrap_err();
        assert!(refused.to_string().starts_with(
            "q.zip: INDI.txt was not read (with it the quarter names more than 65536"
        ));
    }
}
