//! A quarter read by two Web Workers: one reads the DRUG table and hands its half over as
//! bytes; the other reads everything else and joins the two.
//!
//! Threads share memory; Web Workers do not (without cross-origin isolation, which a
//! static page cannot count on), so the DRUG half travels as a transferable buffer. The
//! result is the same, to the byte, as [`super::read_zip`] on one thread.

use std::io::{Read, Seek};
use std::ops::Range;

use super::{
    combine, read_main_part, read_part, DrugRuns, FileHash, Part, PartFailure, PartRead,
    QuarterBuilder,
};
use crate::error::InputError;
use crate::members::{classify, MemberKind, TableKind};
use crate::schema::Era;
use crate::snapshot::{checksum, drug_ids_ok, vocabulary_len, Reader, SnapshotError, Writer};
use crate::store::{ProductTable, QuarterData};
use crate::summary::InputSummary;

/// Version 3: the rows in runs of one primaryid, packed (version 2 sent them one by one).
const MAGIC: &[u8; 8] = b"FAERSDH\x03";

/// The main half of a quarter, waiting for its DRUG half.
pub struct PendingQuarter(Result<PartRead, Box<PartFailure>>);

impl PendingQuarter {
    /// The file's summary so far (its error, when the main half could not be read).
    pub fn summary(&self) -> &InputSummary {
        match &self.0 {
            Ok(part) => &part.summary,
            Err(failure) => &failure.summary,
        }
    }

    /// Runs `f` on the main half as a quarter without DRUG rows: its reports, PTs (ids into
    /// its own `pt_names`), THER and INDI rows and deleted-case lists, which joining adds to
    /// nothing. They are moved in and back, not copied; `f` must leave them as it found them.
    /// `None` when the main half could not be read. So that a deduplication can be computed
    /// while the other worker still reads DRUG ([`crate::Workspace::prepare_ahead`]).
    pub fn with_provisional<T>(&mut self, f: impl FnOnce(&mut QuarterData) -> T) -> Option<T> {
        let part = self.0.as_mut().ok()?;
        let b = &mut part.builder;
        // As the join will have them (see `QuarterBuilder::finish`).
        b.settle_main_tables();
        let children = b.children.take()?;
        let mut quarter = QuarterData {
            quarter: part.quarter,
            era: super::resolved_era(part.era, part.quarter),
            reports: std::mem::take(&mut b.reports),
            drugs: crate::store::Drugs::default(),
            pts: children.pts,
            therapies: children.therapies,
            indications: children.indications,
            drug_details: Default::default(),
            countries: std::mem::take(&mut b.countries),
            drug_names: Default::default(),
            products: Vec::new(),
            pt_names: std::mem::take(&mut b.pt_names),
            deleted_caseids: std::mem::take(&mut b.deleted),
        };
        let out = f(&mut quarter);
        b.reports = quarter.reports;
        b.countries = quarter.countries;
        b.pt_names = quarter.pt_names;
        b.deleted = quarter.deleted_caseids;
        b.children = Some(super::ChildTables {
            pts: quarter.pts,
            therapies: quarter.therapies,
            indications: quarter.indications,
        });
        Some(out)
    }
}

/// Reads every table but DRUG (and hashes the file when asked to: see [`FileHash`]).
pub fn read_main_half<R: Read + Seek>(
    name: &str,
    mut reader: R,
    hash: FileHash,
    progress: &mut dyn FnMut(u64, u64),
) -> PendingQuarter {
    PendingQuarter(read_main_part(name, &mut reader, hash, progress))
}

/// The bytes of a zip that [`read_main_half`] never reads: the compressed data of its DRUG
/// table (the largest, when there are two), which the other worker reads. A browser reads a
/// file through a pipe that costs CPU per byte, so the main half's reader may leave these
/// unread: about half of a full quarter's zip. `None` when the zip cannot be opened (the read then
/// says why) or has no DRUG table. Reads the central directory and the DRUG member's local
/// header only.
pub fn main_half_gap<R: Read + Seek>(reader: &mut R) -> Option<Range<u64>> {
    let mut archive = zip::ZipArchive::new(reader).ok()?;
    let mut gap: Option<Range<u64>> = None;
    for index in 0..archive.len() {
        let is_drug = archive
            .name_for_index(index)
            .and_then(Result::ok)
            .is_some_and(|path| matches!(classify(&path), MemberKind::Table(TableKind::Drug, _)));
        if !is_drug {
            continue;
        }
        let file = archive.by_index_raw(index).ok()?;
        let start = file.data_start()?;
        let range = start..start.checked_add(file.compressed_size())?;
        if gap
            .as_ref()
            .is_none_or(|g| range.end - range.start > g.end - g.start)
        {
            gap = Some(range);
        }
    }
    gap
}

/// The only value problems the DRUG half notes (their names are `&'static str` in the
/// accounting, so they are carried as an index).
const DRUG_COLUMNS: [&str; 2] = ["DRUG drug_seq", "DRUG role_cod"];

/// Reads DRUG alone and returns it as bytes for [`join_halves`].
pub fn read_drug_half<R: Read + Seek>(
    name: &str,
    mut reader: R,
    progress: &mut dyn FnMut(u64, u64),
) -> Vec<u8> {
    let builder = QuarterBuilder::for_part(Part::Drug);
    let part = read_part(
        name,
        &mut reader,
        FileHash::Later,
        Part::Drug,
        builder,
        progress,
    );
    let summary = part
        .as_ref()
        .ok()
        .map(|part| serde_json::to_string(&part.summary).unwrap_or_default());
    // Allocated once at (at least) its final size, as a snapshot is: the rows are most of it.
    let bound = match (&part, &summary) {
        (Ok(part), Some(summary)) => {
            let b = &part.builder;
            let path = part.drug_layout.as_ref().map_or(0, |(path, _)| path.len());
            let (pids, _, drugs) = b.drug_runs.parts();
            4096 + path
                + summary.len()
                + 16 * pids.len()
                + drugs.heap_bytes()
                + 8 * b.products.pairs().len()
                + vocabulary_len(&b.drug_names)
                + vocabulary_len(&b.drug_details)
        }
        _ => 4096,
    };
    let mut w = Writer(Vec::with_capacity(bound));
    w.0.extend_from_slice(MAGIC);
    match part {
        Err(failure) => {
            w.u8(0);
            w.bytes(failure.error.to_string().as_bytes());
        }
        Ok(part) => {
            w.u8(1);
            w.bytes(summary.unwrap_or_default().as_bytes());
            match &part.drug_layout {
                Some((path, era)) => {
                    w.u8(1);
                    w.bytes(path.as_bytes());
                    w.u8(matches!(era, Era::Faers) as u8);
                }
                None => w.u8(0),
            }
            let b = &part.builder;
            let problems: Vec<(u8, u64, u64)> = b
                .problems
                .by_column
                .iter()
                .filter_map(|(column, &(count, first))| {
                    let i = DRUG_COLUMNS.iter().position(|c| c == column)?;
                    Some((i as u8, count, first))
                })
                .collect();
            w.column(&problems, |w, (i, count, first)| {
                w.u8(i);
                w.u64(count);
                w.u64(first);
            });
            let (pids, first_lines, drugs) = b.drug_runs.parts();
            w.column(pids, Writer::u64);
            w.column(first_lines, Writer::u64);
            w.drugs(drugs, &drugs.counts());
            w.column(b.products.pairs(), Writer::product);
            w.vocabulary(&b.drug_names);
            w.vocabulary(&b.drug_details);
        }
    }
    let sum = checksum(&w.0);
    w.u64(sum);
    w.0
}

fn decode_drug_half(bytes: &[u8]) -> Result<Result<PartRead, String>, SnapshotError> {
    if bytes.len() < MAGIC.len() + 9 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotSnapshot);
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    if checksum(body) != u64::from_le_bytes(tail.try_into().expect("8")) {
        return Err(SnapshotError::Corrupt("its checksum does not match".into()));
    }
    let mut r = Reader {
        bytes: body,
        at: MAGIC.len(),
    };
    if r.u8()? == 0 {
        return Ok(Err(r.text()?));
    }
    let summary: InputSummary = serde_json::from_slice(r.bytes()?)
        .map_err(|e| SnapshotError::Corrupt(format!("its summary: {e}")))?;
    let drug_layout = match r.u8()? {
        0 => None,
        _ => {
            let path = r.text()?;
            let era = if r.u8()? == 1 {
                Era::Faers
            } else {
                Era::Legacy
            };
            Some((path, era))
        }
    };
    let mut builder = QuarterBuilder::for_part(Part::Drug);
    let problems = r.column(17, |r| Ok((r.u8()?, r.u64()?, r.u64()?)))?;
    for (i, count, first) in problems {
        let column = *DRUG_COLUMNS
            .get(i as usize)
            .ok_or_else(|| SnapshotError::Corrupt("an unknown column".into()))?;
        builder.problems.by_column.insert(column, (count, first));
    }
    let pids = r.fixed(u64::from_le_bytes)?;
    let first_lines = r.fixed(u64::from_le_bytes)?;
    let drugs = r.drugs(pids.len())?;
    let products = r.fixed(Reader::pair)?;
    builder.products = ProductTable::from_pairs(&products)
        .ok_or_else(|| SnapshotError::Corrupt("a product repeats".into()))?;
    builder.drug_names = r.vocabulary()?;
    builder.drug_details = r.vocabulary()?;
    if r.at != body.len() {
        return Err(SnapshotError::Corrupt(
            "bytes follow the last column".into(),
        ));
    }
    if !drug_ids_ok(
        drugs.rows(),
        &products,
        &builder.drug_names,
        &builder.drug_details,
    ) {
        return Err(SnapshotError::Corrupt("an id names no text".into()));
    }
    builder.drug_runs = DrugRuns::from_parts(pids, first_lines, drugs)
        .ok_or_else(|| SnapshotError::Corrupt("the DRUG rows are not in runs".into()))?;
    let quarter = crate::members::Quarter {
        year: 0,
        quarter: 0,
    };
    let part = PartRead {
        summary,
        builder,
        quarter,
        era: None,
        drug_layout,
    };
    Ok(Ok(part))
}

/// Joins the main half with the DRUG half's bytes: the file's summary and its quarter,
/// the same as a read on one thread. Bytes that are not a DRUG half make the file fail
/// with the reason.
pub fn join_halves(pending: PendingQuarter, drug: &[u8]) -> (InputSummary, Option<QuarterData>) {
    let name = pending.summary().name.clone();
    let failed = |error| {
        Box::new(PartFailure {
            summary: InputSummary::default(),
            error,
        })
    };
    let drug = match decode_drug_half(drug) {
        Ok(Ok(part)) => Ok(part),
        Ok(Err(message)) => Err(failed(InputError::Relayed(message))),
        Err(e) => Err(failed(InputError::Io {
            file: name,
            reason: format!("the DRUG table read by another worker: {e}"),
        })),
    };
    combine(pending.0, Some(drug))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample_path() -> String {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip"
        )
        .to_owned()
    }

    fn main_half() -> PendingQuarter {
        let file = std::fs::File::open(sample_path()).expect("shared/ beside the repository");
        read_main_half("s.zip", file, FileHash::Later, &mut |_, _| {})
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// A DRUG half altered past its checksum (any byte, the rows included) is refused
        /// or joined, never a panic, and a joined quarter's ids all name something.
        #[test]
        fn damaged_drug_halves_are_refused_not_panicked(at in 12usize..1_000_000, value in any::<u8>()) {
            let file = std::fs::File::open(sample_path()).unwrap();
            let mut bytes = read_drug_half("s.zip", file, &mut |_, _| {});
            let body = bytes.len() - 8;
            bytes[at % body] = value;
            let sum = checksum(&bytes[..body]);
            bytes[body..].copy_from_slice(&sum.to_le_bytes());
            let (summary, data) = join_halves(main_half(), &bytes);
            match data {
                None => prop_assert!(summary.error.is_some()),
                Some(q) => {
                    for d in q.drugs.rows() {
                        prop_assert!((d.product as usize) < q.products.len());
                        let details = d.details();
                        prop_assert!(details == crate::store::NO_TEXT || (details as usize) < q.drug_details.len());
                    }
                }
            }
        }
    }
}
