//! A quarter read by two Web Workers: one reads the DRUG table and hands its half over as
//! bytes; the other reads everything else and joins the two.
//!
//! Threads share memory; Web Workers do not (without cross-origin isolation, which a
//! static page cannot count on), so the DRUG half travels as a transferable buffer. The
//! result is the same, to the byte, as [`super::read_zip`] on one thread.

use std::io::{Read, Seek};

use super::{
    combine, read_main_part, read_part, FileHash, Part, PartFailure, PartRead, QuarterBuilder,
};
use crate::error::InputError;
use crate::schema::Era;
use crate::snapshot::{checksum, drug_ids_ok, Reader, SnapshotError, Writer};
use crate::store::{ProductTable, QuarterData};
use crate::summary::InputSummary;

const MAGIC: &[u8; 8] = b"FAERSDH\x02";

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
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MAGIC);
    match part {
        Err(failure) => {
            w.u8(0);
            w.bytes(failure.error.to_string().as_bytes());
        }
        Ok(part) => {
            w.u8(1);
            w.bytes(
                serde_json::to_string(&part.summary)
                    .unwrap_or_default()
                    .as_bytes(),
            );
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
            w.column(&b.pending_drugs, |w, (pid, line, d)| {
                w.u64(pid);
                w.u64(line);
                w.drug_row(d);
            });
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
    builder.pending_drugs = r.column(28, |r| Ok((r.u64()?, r.u64()?, r.drug_row()?)))?;
    let products = r.column(8, Reader::product)?;
    builder.products = ProductTable::from_pairs(&products)
        .ok_or_else(|| SnapshotError::Corrupt("a product repeats".into()))?;
    builder.drug_names = r.vocabulary()?;
    builder.drug_details = r.vocabulary()?;
    if r.at != body.len() {
        return Err(SnapshotError::Corrupt(
            "bytes follow the last column".into(),
        ));
    }
    let ids_ok = drug_ids_ok(
        builder.pending_drugs.iter().map(|&(_, _, (d, _))| d),
        &products,
        &builder.drug_names,
        &builder.drug_details,
    );
    if !ids_ok {
        return Err(SnapshotError::Corrupt("an id names no text".into()));
    }
    let quarter = crate::members::Quarter {
        year: 0,
        quarter: 0,
    };
    Ok(Ok(PartRead {
        summary,
        builder,
        quarter,
        era: None,
        drug_layout,
    }))
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
