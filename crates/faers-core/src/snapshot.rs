//! A loaded quarter as bytes, and back: what the page keeps in the browser's storage so that
//! reopening it does not read the zips again, and what a worker hands to another.
//!
//! The format is the store itself, column by column as narrow as the store keeps it
//! (offsets above a base, one- or two-byte codes, packed DRUG rows; where each report's rows
//! start as a count per report), little-endian, behind a magic number,
//! a format version and the tool version that wrote it, and closed by a checksum, so that
//! a truncated or foreign blob is refused with a reason instead of being misread. Every id
//! is checked against its vocabulary on the way in: a snapshot can never make an analysis
//! index out of bounds. Texts (drug names, PTs, countries, dose details) are written once
//! each; the quarter's PTs are written with their text since the workspace shares one PT
//! vocabulary over all quarters.

use crate::members::Quarter;
use crate::schema::Era;
use crate::store::{
    Dates, DrugRow, DrugSeqs, Drugs, FastHasher, Grouped, Ids, PtId, QuarterData, Reports, SeqRows,
    Small, Vocabulary, NO_TEXT,
};
use crate::summary::InputSummary;
use crate::values::{Date, Sex};

const MAGIC: &[u8; 8] = b"FAERSQD\x01";
/// Bumped whenever the layout below changes: older snapshots are then read again from
/// the zips rather than misread.
pub const FORMAT_VERSION: u32 = 3;

/// Why a snapshot could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not a snapshot of this tool.
    NotSnapshot,
    /// Written by another format version (read the zip again).
    Version {
        /// The version found.
        found: u32,
    },
    /// Cut short or altered.
    Corrupt(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::NotSnapshot => f.write_str("not a saved quarter of this tool"),
            SnapshotError::Version { found } => write!(
                f,
                "saved by another version of the tool (format {found}, this one reads \
                 {FORMAT_VERSION}); read the zip again"
            ),
            SnapshotError::Corrupt(why) => write!(f, "the saved quarter is damaged: {why}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = FastHasher::default();
    h.write(bytes);
    h.write_u64(bytes.len() as u64);
    h.finish()
}

/// Little-endian writer.
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(crate) fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.u64(v.len() as u64);
        self.0.extend_from_slice(v);
    }
    pub(crate) fn column<T: Copy>(&mut self, v: &[T], each: impl Fn(&mut Self, T)) {
        self.u64(v.len() as u64);
        self.0.reserve(std::mem::size_of_val(v));
        for &x in v {
            each(self, x);
        }
    }
    /// A column from an iterator: its length, then each item.
    pub(crate) fn items<T>(
        &mut self,
        items: impl ExactSizeIterator<Item = T>,
        each: impl Fn(&mut Self, T),
    ) {
        self.u64(items.len() as u64);
        for x in items {
            each(self, x);
        }
    }
    /// A column of ids as the store keeps it: whole, or offsets above a base.
    fn ids(&mut self, ids: &Ids) {
        match ids {
            Ids::Wide(ids) => {
                self.u8(0);
                self.column(ids, Writer::u64);
            }
            Ids::Narrow { base, offsets } => {
                self.u8(1);
                self.u64(*base);
                self.column(offsets, Writer::u32);
            }
        }
    }
    /// A [`Small`] column as kept: its width in bytes, then its stored values.
    fn small(&mut self, small: &Small) {
        match small {
            Small::Bytes(v) => {
                self.u8(1);
                self.column(v, Writer::u8);
            }
            Small::Halves(v) => {
                self.u8(2);
                self.column(v, Writer::u16);
            }
            Small::Words(v) => {
                self.u8(4);
                self.column(v, Writer::u32);
            }
        }
    }
    /// A date column as kept: whole, or two-byte codes and the dates kept whole.
    fn dates(&mut self, dates: &Dates) {
        match dates {
            Dates::Whole(dates) => {
                self.u8(0);
                self.column(dates, |w, d| w.u32(d.0));
            }
            Dates::Packed { codes, outside } => {
                self.u8(1);
                self.column(codes, Writer::u16);
                self.column(outside, |w, (place, d)| {
                    w.u32(place);
                    w.u32(d.0);
                });
            }
        }
    }
    /// DRUG rows as kept: their counts per report (where the rows start), packed rows and
    /// the seqs kept.
    pub(crate) fn drugs(&mut self, drugs: &Drugs, counts: &Small) {
        self.small(counts);
        let (width, product_bits, bytes, seqs) = drugs.parts();
        self.u8(width as u8);
        self.u8(product_bits as u8);
        self.bytes(bytes);
        match seqs {
            DrugSeqs::Positional(pairs) => {
                self.u8(0);
                self.column(pairs, |w, (row, seq)| {
                    w.u32(row);
                    w.u32(seq);
                });
            }
            DrugSeqs::Plain(seqs) => {
                self.u8(1);
                self.column(seqs, Writer::u32);
            }
        }
    }
    pub(crate) fn product(&mut self, (name, prod_ai): (u32, u32)) {
        self.u32(name);
        self.u32(prod_ai);
    }
    pub(crate) fn vocabulary(&mut self, v: &Vocabulary) {
        self.u64(v.len() as u64);
        for name in v.names() {
            self.bytes(name.as_bytes());
        }
    }
}

/// Little-endian reader that fails instead of panicking.
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

pub(crate) type Read<T> = Result<T, SnapshotError>;

fn short() -> SnapshotError {
    SnapshotError::Corrupt("it ends early".into())
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Read<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or_else(short)?;
        let s = self.bytes.get(self.at..end).ok_or_else(short)?;
        self.at = end;
        Ok(s)
    }
    pub(crate) fn u8(&mut self) -> Read<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> Read<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2")))
    }
    pub(crate) fn u32(&mut self) -> Read<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    pub(crate) fn u64(&mut self) -> Read<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    pub(crate) fn len(&mut self, item_bytes: usize) -> Read<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| short())?;
        // A length larger than what is left cannot be right: refuse before allocating.
        if n.saturating_mul(item_bytes.max(1)) > self.bytes.len() - self.at {
            return Err(short());
        }
        Ok(n)
    }
    pub(crate) fn bytes(&mut self) -> Read<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    pub(crate) fn text(&mut self) -> Read<String> {
        String::from_utf8(self.bytes()?.to_vec())
            .map_err(|_| SnapshotError::Corrupt("a text is not UTF-8".into()))
    }
    pub(crate) fn column<T>(
        &mut self,
        item_bytes: usize,
        each: impl Fn(&mut Self) -> Read<T>,
    ) -> Read<Vec<T>> {
        let n = self.len(item_bytes)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(each(self)?);
        }
        Ok(v)
    }
    /// A column of fixed-size items, each decoded from its `N` bytes: one bounds check for
    /// the column, not one per item (a DRUG half or a snapshot holds millions).
    pub(crate) fn fixed<T, const N: usize>(
        &mut self,
        decode: impl Fn([u8; N]) -> T,
    ) -> Read<Vec<T>> {
        let n = self.len(N)?;
        let bytes = self.take(n * N)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|item| decode(item.try_into().expect("N bytes")))
            .collect())
    }
    /// Two little-endian `u32`s, as [`Writer::product`] writes them.
    pub(crate) fn pair([a, b, c, d, e, f, g, h]: [u8; 8]) -> (u32, u32) {
        (
            u32::from_le_bytes([a, b, c, d]),
            u32::from_le_bytes([e, f, g, h]),
        )
    }
    fn ids(&mut self) -> Read<Ids> {
        match self.u8()? {
            0 => Ok(Ids::Wide(self.fixed(u64::from_le_bytes)?)),
            1 => {
                let base = self.u64()?;
                let offsets = self.fixed(u32::from_le_bytes)?;
                // Every id must be a u64: base plus the largest offset.
                let largest = offsets.iter().copied().max().unwrap_or(0);
                base.checked_add(u64::from(largest))
                    .ok_or_else(|| SnapshotError::Corrupt("an id overflows".into()))?;
                Ok(Ids::Narrow { base, offsets })
            }
            _ => Err(SnapshotError::Corrupt("an unknown id column".into())),
        }
    }
    fn small(&mut self) -> Read<Small> {
        match self.u8()? {
            1 => Ok(Small::Bytes(self.fixed(|[b]: [u8; 1]| b)?)),
            2 => Ok(Small::Halves(self.fixed(u16::from_le_bytes)?)),
            4 => Ok(Small::Words(self.fixed(u32::from_le_bytes)?)),
            _ => Err(SnapshotError::Corrupt("an unknown column width".into())),
        }
    }
    fn dates(&mut self) -> Read<Dates> {
        match self.u8()? {
            0 => Ok(Dates::Whole(self.fixed(|b| Date(u32::from_le_bytes(b)))?)),
            1 => {
                let codes = self.fixed(u16::from_le_bytes)?;
                let outside = self.fixed(|b| {
                    let (place, date) = Reader::pair(b);
                    (place, Date(date))
                })?;
                Dates::packed(codes, outside)
                    .ok_or_else(|| SnapshotError::Corrupt("a date column is inconsistent".into()))
            }
            _ => Err(SnapshotError::Corrupt("an unknown date column".into())),
        }
    }
    /// Where each of `reports` reports' rows start, from their counts as [`encode`] wrote them.
    fn starts(&mut self, reports: usize) -> Read<Vec<u32>> {
        let counts = self.small()?;
        if counts.len() != reports {
            return Err(SnapshotError::Corrupt(
                "rows are not grouped by report".into(),
            ));
        }
        let mut offsets = Vec::with_capacity(reports + 1);
        let mut at = 0u32;
        offsets.push(at);
        for count in counts.iter() {
            at = at
                .checked_add(count)
                .ok_or_else(|| SnapshotError::Corrupt("rows are not grouped by report".into()))?;
            offsets.push(at);
        }
        Ok(offsets)
    }
    pub(crate) fn drugs(&mut self, reports: usize) -> Read<Drugs> {
        let offsets = self.starts(reports)?;
        let (width, product_bits) = (usize::from(self.u8()?), u32::from(self.u8()?));
        let bytes = self.bytes()?.to_vec();
        let seqs = match self.u8()? {
            0 => DrugSeqs::Positional(self.fixed(Reader::pair)?),
            1 => DrugSeqs::Plain(self.fixed(u32::from_le_bytes)?),
            _ => return Err(SnapshotError::Corrupt("an unknown seq column".into())),
        };
        Drugs::from_parts(reports, offsets, (width, product_bits, bytes), seqs)
            .ok_or_else(|| SnapshotError::Corrupt("the DRUG rows are inconsistent".into()))
    }
    fn seq_rows<T: Copy, const N: usize>(
        &mut self,
        reports: usize,
        decode: impl Fn([u8; N]) -> T,
    ) -> Read<SeqRows<T>> {
        let offsets = self.starts(reports)?;
        let seqs = self.small()?;
        let values = self.fixed(decode)?;
        SeqRows::from_parts(reports, offsets, values, seqs)
            .ok_or_else(|| SnapshotError::Corrupt("rows are not grouped by report".into()))
    }
    pub(crate) fn vocabulary(&mut self) -> Read<Vocabulary> {
        let n = self.len(8)?;
        let mut v = Vocabulary::default();
        for i in 0..n {
            if v.intern(&self.text()?) as usize != i {
                return Err(SnapshotError::Corrupt("a vocabulary repeats a text".into()));
            }
        }
        v.shrink_to_fit();
        Ok(v)
    }
}

/// Every product names entries of `names` (or no text), and every row a product and an
/// entry of `details` (or none): checked before a quarter's DRUG rows are used, so that
/// damaged bytes can never make an analysis index out of bounds.
pub(crate) fn drug_ids_ok(
    rows: impl IntoIterator<Item = DrugRow>,
    products: &[(u32, u32)],
    names: &Vocabulary,
    details: &Vocabulary,
) -> bool {
    let within = |id: u32, v: &Vocabulary| id == NO_TEXT || (id as usize) < v.len();
    products
        .iter()
        .all(|&(name, prod_ai)| within(name, names) && within(prod_ai, names))
        && rows
            .into_iter()
            .all(|d| (d.product as usize) < products.len() && within(d.details(), details))
}

/// A quarter and the summary of the file it came from, as bytes. `pt_names` must name
/// the ids in `data.pts` and `data.indications` (the quarter's own vocabulary, or the
/// workspace's shared one).
pub fn encode(summary: &InputSummary, data: &QuarterData, pt_names: &Vocabulary) -> Vec<u8> {
    // Only the PTs this quarter uses, renumbered densely.
    let mut local = Vocabulary::default();
    let mut map = vec![NO_TEXT; pt_names.len()];
    let mut local_id = |id: u32| {
        let slot = &mut map[id as usize];
        if *slot == NO_TEXT {
            *slot = local.intern(pt_names.name(id));
        }
        *slot
    };
    let summary_json = serde_json::to_string(summary).unwrap_or_default();
    let counts = row_counts(data);
    let mut w = Writer(Vec::with_capacity(encoded_len(
        data,
        pt_names,
        summary_json.len(),
        &counts,
    )));
    w.0.extend_from_slice(MAGIC);
    w.u32(FORMAT_VERSION);
    w.bytes(crate::VERSION.as_bytes());
    w.bytes(summary_json.as_bytes());
    w.u16(data.quarter.year);
    w.u8(data.quarter.quarter);
    w.u8(match data.era {
        Era::Legacy => 0,
        Era::Faers => 1,
    });
    let r = &data.reports;
    w.ids(&r.primaryid);
    w.ids(&r.caseid);
    w.small(&r.caseversion);
    w.dates(&r.fda_dt);
    w.dates(&r.event_dt);
    w.column(&r.age_years, |w, a| w.u32(a.to_bits()));
    w.column(&r.sex, |w, s| {
        w.u8(match s {
            Sex::Male => 1,
            Sex::Female => 2,
            Sex::Unknown => 0,
        })
    });
    w.small(&r.occupation);
    w.column(&r.outcomes, Writer::u8);
    w.column(&r.sources, Writer::u16);
    w.column(&r.weight_kg, |w, a| w.u32(a.to_bits()));
    w.small(&r.reporter_country);
    let [drug_counts, pt_counts, therapy_counts, indication_counts] = &counts;
    w.drugs(&data.drugs, drug_counts);
    w.column(&data.products, Writer::product);
    w.small(pt_counts);
    // Local PT ids: below the workspace's, so below MAX_PTS.
    let mut pt = |id: PtId| local_id(id.into()) as PtId;
    w.items(data.pts.items().iter().map(|&p| pt(p)), Writer::u16);
    w.small(therapy_counts);
    w.small(data.therapies.seq_column());
    w.column(data.therapies.values(), |w, start| w.u32(start.0));
    w.small(indication_counts);
    w.small(data.indications.seq_column());
    w.items(
        data.indications.values().iter().map(|&p| pt(p)),
        Writer::u16,
    );
    w.vocabulary(&data.drug_details);
    w.vocabulary(&data.countries);
    w.vocabulary(&data.drug_names);
    w.vocabulary(&local);
    w.column(&data.deleted_caseids, Writer::u64);
    let sum = checksum(&w.0);
    w.u64(sum);
    w.0
}

/// The bytes [`Writer::vocabulary`] writes for `v`.
pub(crate) fn vocabulary_len(v: &Vocabulary) -> usize {
    8 + v.names().iter().map(|t| 8 + t.len()).sum::<usize>()
}

/// Where each report's rows start in DRUG, REAC, THER and INDI, as the counts per report
/// [`encode`] writes.
fn row_counts(data: &QuarterData) -> [Small; 4] {
    [
        data.drugs.counts(),
        data.pts.counts(),
        data.therapies.counts(),
        data.indications.counts(),
    ]
}

/// At least the bytes [`encode`] writes for `data`: the store's own size bounds each of
/// its columns as written (the snapshot keeps them as narrow), plus the `counts` that stand
/// for where each report's rows start and what is written beside the columns. The buffer is
/// then allocated once rather than grown by doubling to twice its size (in WebAssembly the
/// peak stays with the page).
fn encoded_len(
    data: &QuarterData,
    pt_names: &Vocabulary,
    summary: usize,
    counts: &[Small],
) -> usize {
    let columns = 64 * 8;
    MAGIC.len()
        + 4
        + 8
        + crate::VERSION.len()
        + 8
        + summary
        + 4
        + columns
        + counts.iter().map(Small::heap_bytes).sum::<usize>()
        + data.heap_bytes()
        + vocabulary_len(pt_names)
        + 8
}

/// Reads what [`encode`] wrote: the file's summary and the quarter, whose PT ids name
/// entries of its own `pt_names`.
pub fn decode(bytes: &[u8]) -> Result<(InputSummary, QuarterData), SnapshotError> {
    if bytes.len() < MAGIC.len() + 4 + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotSnapshot);
    }
    let mut r = Reader {
        bytes,
        at: MAGIC.len(),
    };
    let found = r.u32()?;
    if found != FORMAT_VERSION {
        return Err(SnapshotError::Version { found });
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    if checksum(body) != u64::from_le_bytes(tail.try_into().expect("8")) {
        return Err(SnapshotError::Corrupt("its checksum does not match".into()));
    }
    r.bytes = body;
    let _writer_version = r.text()?;
    let summary: InputSummary = serde_json::from_slice(r.bytes()?)
        .map_err(|e| SnapshotError::Corrupt(format!("its file summary: {e}")))?;
    let quarter = Quarter {
        year: r.u16()?,
        quarter: r.u8()?,
    };
    let era = match r.u8()? {
        0 => Era::Legacy,
        1 => Era::Faers,
        _ => return Err(SnapshotError::Corrupt("an unknown era".into())),
    };
    let float = |b| f32::from_bits(u32::from_le_bytes(b));
    let reports = Reports {
        primaryid: r.ids()?,
        caseid: r.ids()?,
        caseversion: r.small()?,
        fda_dt: r.dates()?,
        event_dt: r.dates()?,
        age_years: r.fixed(float)?,
        sex: r.column(1, |r| {
            Ok(match r.u8()? {
                1 => Sex::Male,
                2 => Sex::Female,
                _ => Sex::Unknown,
            })
        })?,
        occupation: r.small()?,
        outcomes: r.fixed(|[b]: [u8; 1]| b)?,
        sources: r.fixed(u16::from_le_bytes)?,
        weight_kg: r.fixed(float)?,
        reporter_country: r.small()?,
    };
    let n = reports.len();
    let columns = [
        reports.caseid.len(),
        reports.caseversion.len(),
        reports.fda_dt.len(),
        reports.event_dt.len(),
        reports.age_years.len(),
        reports.sex.len(),
        reports.occupation.len(),
        reports.outcomes.len(),
        reports.sources.len(),
        reports.weight_kg.len(),
        reports.reporter_country.len(),
    ];
    if columns.iter().any(|&len| len != n) {
        return Err(SnapshotError::Corrupt(
            "report columns differ in length".into(),
        ));
    }
    let drugs = r.drugs(n)?;
    let products = r.fixed(Reader::pair)?;
    let pts = Grouped::from_parts(n, r.starts(n)?, r.fixed(u16::from_le_bytes)?)
        .ok_or_else(|| SnapshotError::Corrupt("rows are not grouped by report".into()))?;
    let therapies = r.seq_rows(n, |b| Date(u32::from_le_bytes(b)))?;
    let indications = r.seq_rows(n, u16::from_le_bytes)?;
    let drug_details = r.vocabulary()?;
    let countries = r.vocabulary()?;
    let drug_names = r.vocabulary()?;
    let pt_names = r.vocabulary()?;
    let deleted_caseids = r.fixed(u64::from_le_bytes)?;
    if r.at != body.len() {
        return Err(SnapshotError::Corrupt(
            "bytes follow the last column".into(),
        ));
    }

    // Every id must name an entry of its vocabulary (or be "no text" where allowed).
    let within = |id: u32, v: &Vocabulary| id == NO_TEXT || (id as usize) < v.len();
    let ids_ok = reports
        .reporter_country
        .iter()
        .all(|c| within(c, &countries))
        && drug_ids_ok(drugs.rows(), &products, &drug_names, &drug_details)
        && pts.items().iter().all(|&p| (p as usize) < pt_names.len())
        && indications
            .values()
            .iter()
            .all(|&pt| (pt as usize) < pt_names.len());
    if !ids_ok {
        return Err(SnapshotError::Corrupt("an id names no text".into()));
    }
    Ok((
        summary,
        QuarterData {
            quarter,
            era,
            reports,
            drugs,
            pts,
            therapies,
            indications,
            drug_details,
            countries,
            drug_names,
            products,
            pt_names,
            deleted_caseids,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip"
        );
        let file = std::fs::File::open(path).expect("shared/ beside the repository");
        let (summary, data) = crate::ingest::read_zip("s.zip", file, &mut |_, _| {});
        let data = data.expect("readable");
        encode(&summary, &data, &data.pt_names)
    }

    /// Re-seals altered bytes with a valid checksum, so that the parser itself is tested.
    fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
        let body = bytes.len() - 8;
        let sum = checksum(&bytes[..body]);
        bytes[body..].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn round_trip_keeps_every_column() {
        let bytes = sample();
        let (summary, data) = decode(&bytes).unwrap();
        assert_eq!(summary.tables["DEMO"], 100);
        assert_eq!(data.reports.len(), 100);
        assert_eq!(encode(&summary, &data, &data.pt_names), bytes);
    }

    #[test]
    fn dates_outside_the_two_byte_codes_come_back() {
        let (summary, mut data) = decode(&sample()).unwrap();
        let mut dates: Vec<Date> = data.reports.event_dt.iter().collect();
        dates[0] = Date(10_070_000);
        dates[1] = Date(21_060_315);
        dates[2] = Date(18_991_231);
        data.reports.event_dt = Dates::from(dates.clone());
        data.reports.event_dt.shrink_to_fit();
        assert!(
            matches!(&data.reports.event_dt, Dates::Packed { outside, .. } if outside.len() == 3)
        );
        let (_, back) = decode(&encode(&summary, &data, &data.pt_names)).unwrap();
        assert_eq!(back.reports.event_dt.iter().collect::<Vec<_>>(), dates);
    }

    #[test]
    fn the_buffer_is_allocated_once_at_its_size() {
        let (summary, data) = decode(&sample()).unwrap();
        let bytes = encode(&summary, &data, &data.pt_names);
        let json = serde_json::to_string(&summary).unwrap().len();
        // The bound holds, so the buffer never grew: it holds what it was given.
        let bound = encoded_len(&data, &data.pt_names, json, &row_counts(&data));
        assert!(bytes.len() <= bound, "{} > {bound}", bytes.len());
        assert_eq!(bytes.capacity(), bound);
    }

    /// The sample with `change` made to it, encoded as it stands (encoding trusts its
    /// quarter; decoding must not).
    fn altered(change: impl FnOnce(&mut QuarterData)) -> Vec<u8> {
        let (summary, mut data) = decode(&sample()).unwrap();
        change(&mut data);
        encode(&summary, &data, &data.pt_names)
    }

    #[test]
    fn drug_ids_out_of_range_are_refused() {
        let refused = |bytes: Vec<u8>| {
            assert_eq!(
                decode(&bytes).unwrap_err(),
                SnapshotError::Corrupt("an id names no text".into())
            )
        };
        refused(altered(|q| {
            let past = q.products.len() as u32;
            let d = q.drugs.rows().next().unwrap();
            q.drugs.set(0, DrugRow::new(past, d.role(), d.details()));
        }));
        refused(altered(|q| {
            let d = q.drugs.rows().nth(1).unwrap();
            q.drugs.set(1, DrugRow::new(NO_TEXT, d.role(), d.details()));
        }));
        refused(altered(|q| q.products[0].0 = q.drug_names.len() as u32));
        refused(altered(|q| q.products[0].1 = q.drug_names.len() as u32));
        refused(altered(|q| {
            let past = q.drug_details.len() as u32;
            let d = q.drugs.rows().next().unwrap();
            q.drugs.set(0, DrugRow::new(d.product, d.role(), past));
        }));
        // The sample itself names every id in range.
        assert!(decode(&altered(|_| {})).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Any damage that slips past the checksum is refused, never a panic and never a
        /// quarter whose ids point nowhere.
        #[test]
        fn damaged_snapshots_are_refused_not_panicked(
            at in 12usize..1_000_000,
            value in any::<u8>(),
            cut in prop::option::of(12usize..1_000_000),
        ) {
            let mut bytes = sample();
            let at = at % (bytes.len() - 8);
            bytes[at] = value;
            if let Some(cut) = cut {
                let keep = (cut % (bytes.len() - 8)).max(MAGIC.len() + 4);
                let tail = bytes[bytes.len() - 8..].to_vec();
                bytes.truncate(keep);
                bytes.extend_from_slice(&tail);
            }
            if let Ok((_, data)) = decode(&reseal(bytes)) {
                let n = data.reports.len();
                for r in 0..n {
                    for d in data.drugs.of(r) {
                        let (name, prod_ai) = data.product_of(&d);
                        prop_assert!(name == NO_TEXT || (name as usize) < data.drug_names.len());
                        prop_assert!(
                            prod_ai == NO_TEXT || (prod_ai as usize) < data.drug_names.len()
                        );
                        prop_assert!(
                            d.details() == NO_TEXT
                                || (d.details() as usize) < data.drug_details.len()
                        );
                    }
                    for &p in data.pts.of(r) {
                        prop_assert!((p as usize) < data.pt_names.len());
                    }
                    // Every column reads back without a panic.
                    let rep = &data.reports;
                    let _ = (rep.primaryid.get(r), rep.caseid_of(r), rep.caseversion.get(r));
                    let _ = (rep.fda_dt.get(r), rep.event_dt.get(r), rep.occupation_of(r));
                    let _ = rep.reporter_country.get(r);
                    prop_assert_eq!(data.drugs.with_seqs(r).count(), data.drugs.of(r).len());
                    let _ = data.therapies.of(r).count();
                    for (_, p) in data.indications.of(r) {
                        prop_assert!((p as usize) < data.pt_names.len());
                    }
                }
            }
        }
    }
}
