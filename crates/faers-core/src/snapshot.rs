//! A loaded quarter as bytes, and back: what the page keeps in the browser's storage so that
//! reopening it does not read the zips again, and what a worker hands to another.
//!
//! The format is the store itself, column by column, little-endian, behind a magic number,
//! a format version and the tool version that wrote it, and closed by a checksum, so that
//! a truncated or foreign blob is refused with a reason instead of being misread. Every id
//! is checked against its vocabulary on the way in: a snapshot can never make an analysis
//! index out of bounds. Texts (drug names, PTs, countries, dose details) are written once
//! each; the quarter's PTs are written with their text since the workspace shares one PT
//! vocabulary over all quarters.

use crate::members::Quarter;
use crate::schema::Era;
use crate::store::{
    DrugRow, Drugs, FastHasher, Grouped, PtId, QuarterData, Reports, SeqRows, Vocabulary, NO_TEXT,
};
use crate::summary::InputSummary;
use crate::values::{Date, Sex};

const MAGIC: &[u8; 8] = b"FAERSQD\x01";
/// Bumped whenever the layout below changes: older snapshots are then read again from
/// the zips rather than misread.
pub const FORMAT_VERSION: u32 = 2;

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
    /// A DRUG row and its `drug_seq`, in 12 bytes.
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
    /// [`Writer::items`] for DRUG rows and their seqs.
    fn drug_rows(&mut self, drugs: &Drugs) {
        self.u64(drugs.len() as u64);
        for row in drugs.rows().zip(drugs.seqs()) {
            self.drug_row(row);
        }
    }
    pub(crate) fn drug_row(&mut self, (d, seq): (DrugRow, u32)) {
        self.u32(d.product);
        self.u32(d.packed());
        self.u32(seq);
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
    fn take(&mut self, n: usize) -> Read<&'a [u8]> {
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
    fn len(&mut self, item_bytes: usize) -> Read<usize> {
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
    /// A DRUG row and its `drug_seq`, as [`Writer::drug_row`] wrote them; the row's ids are
    /// checked later ([`drug_ids_ok`]), once the vocabularies are read.
    pub(crate) fn drug_row(&mut self) -> Read<(DrugRow, u32)> {
        let (product, role_details, seq) = (self.u32()?, self.u32()?, self.u32()?);
        let row = DrugRow::from_packed(product, role_details)
            .ok_or_else(|| SnapshotError::Corrupt("an unknown role".into()))?;
        Ok((row, seq))
    }
    /// A PT id, written as a `u32`; checked against the vocabulary later.
    fn pt(&mut self) -> Read<PtId> {
        PtId::try_from(self.u32()?)
            .map_err(|_| SnapshotError::Corrupt("an id names no text".into()))
    }
    pub(crate) fn product(&mut self) -> Read<(u32, u32)> {
        Ok((self.u32()?, self.u32()?))
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
    fn grouped<T: Copy>(
        &mut self,
        reports: usize,
        item_bytes: usize,
        each: impl Fn(&mut Self) -> Read<T>,
    ) -> Read<Grouped<T>> {
        let offsets = self.column(4, Self::u32)?;
        let items = self.column(item_bytes, each)?;
        Grouped::from_parts(reports, offsets, items)
            .ok_or_else(|| SnapshotError::Corrupt("rows are not grouped by report".into()))
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
    let mut w = Writer(Vec::with_capacity(encoded_len(
        data,
        pt_names,
        summary_json.len(),
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
    w.items(r.primaryid.iter(), Writer::u64);
    w.items(r.caseid.iter(), Writer::u64);
    w.items(r.caseversion.iter(), Writer::u32);
    w.items(r.fda_dt.iter(), |w, d| w.u32(d.0));
    w.items(r.event_dt.iter(), |w, d| w.u32(d.0));
    w.column(&r.age_years, |w, a| w.u32(a.to_bits()));
    w.column(&r.sex, |w, s| {
        w.u8(match s {
            Sex::Male => 1,
            Sex::Female => 2,
            Sex::Unknown => 0,
        })
    });
    w.items(r.occupation.iter(), Writer::u32);
    w.column(&r.outcomes, Writer::u8);
    w.column(&r.sources, Writer::u16);
    w.column(&r.weight_kg, |w, a| w.u32(a.to_bits()));
    w.items(r.reporter_country.iter(), Writer::u32);
    w.column(&data.drugs.offsets(), Writer::u32);
    w.drug_rows(&data.drugs);
    w.column(&data.products, Writer::product);
    w.column(&data.pts.offsets(), Writer::u32);
    w.items(
        data.pts.items().iter().map(|&p| local_id(p.into())),
        Writer::u32,
    );
    w.column(&data.therapies.offsets(), Writer::u32);
    let therapies = data.therapies.seqs().zip(data.therapies.values());
    w.items(therapies, |w, (seq, start)| {
        w.u32(seq);
        w.u32(start.0);
    });
    w.column(&data.indications.offsets(), Writer::u32);
    let indications = data.indications.seqs().zip(data.indications.values());
    let indications = indications.map(|(seq, &pt)| (seq, local_id(pt.into())));
    w.items(indications, |w, (seq, pt)| {
        w.u32(seq);
        w.u32(pt);
    });
    w.vocabulary(&data.drug_details);
    w.vocabulary(&data.countries);
    w.vocabulary(&data.drug_names);
    w.vocabulary(&local);
    w.column(&data.deleted_caseids, Writer::u64);
    let sum = checksum(&w.0);
    w.u64(sum);
    w.0
}

/// The bytes [`encode`] writes for `data`, or a little more (the quarter's own PTs are
/// counted as all of `pt_names`): the buffer is allocated once, at its final size, rather
/// than grown by doubling to twice that (in WebAssembly the peak stays with the page).
fn encoded_len(data: &QuarterData, pt_names: &Vocabulary, summary: usize) -> usize {
    let (n, column) = (data.reports.len(), 8);
    let starts = 4 * (n + 1) + column;
    let vocabulary = |v: &Vocabulary| column + v.names().iter().map(|t| 8 + t.len()).sum::<usize>();
    MAGIC.len()
        + 4
        + 8
        + crate::VERSION.len()
        + 8
        + summary
        + 4
        + 12 * column
        + 48 * n
        + starts
        + column
        + 12 * data.drugs.len()
        + column
        + 8 * data.products.len()
        + starts
        + column
        + 4 * data.pts.items().len()
        + starts
        + column
        + 8 * data.therapies.values().len()
        + starts
        + column
        + 8 * data.indications.values().len()
        + vocabulary(&data.drug_details)
        + vocabulary(&data.countries)
        + vocabulary(&data.drug_names)
        + vocabulary(pt_names)
        + column
        + 8 * data.deleted_caseids.len()
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
    let date = |r: &mut Reader<'_>| r.u32().map(Date);
    let float = |r: &mut Reader<'_>| r.u32().map(f32::from_bits);
    let mut reports = Reports {
        primaryid: r.column(8, Reader::u64)?.into(),
        caseid: r.column(8, Reader::u64)?.into(),
        caseversion: r.column(4, Reader::u32)?.into(),
        fda_dt: r.column(4, date)?.into(),
        event_dt: r.column(4, date)?.into(),
        age_years: r.column(4, float)?,
        sex: r.column(1, |r| {
            Ok(match r.u8()? {
                1 => Sex::Male,
                2 => Sex::Female,
                _ => Sex::Unknown,
            })
        })?,
        occupation: r.column(4, Reader::u32)?.into(),
        outcomes: r.column(1, Reader::u8)?,
        sources: r.column(2, Reader::u16)?,
        weight_kg: r.column(4, float)?,
        reporter_country: r.column(4, Reader::u32)?.into(),
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
    reports.shrink_to_fit();
    let drugs = Drugs::from_grouped(r.grouped(n, 12, Reader::drug_row)?);
    let products = r.column(8, Reader::product)?;
    let pts = r.grouped(n, 4, Reader::pt)?;
    let therapies = SeqRows::from_grouped(r.grouped(n, 8, |r| Ok((r.u32()?, Date(r.u32()?))))?);
    let indications = SeqRows::from_grouped(r.grouped(n, 8, |r| Ok((r.u32()?, r.pt()?)))?);
    let drug_details = r.vocabulary()?;
    let countries = r.vocabulary()?;
    let drug_names = r.vocabulary()?;
    let pt_names = r.vocabulary()?;
    let deleted_caseids = r.column(8, Reader::u64)?;
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
    fn the_buffer_is_allocated_once_at_its_size() {
        let bytes = sample();
        let (summary, data) = decode(&bytes).unwrap();
        let json = serde_json::to_string(&summary).unwrap().len();
        // Every PT of the sample is its own, so the size is exact; a buffer that had grown
        // would hold more than it was given.
        assert_eq!(encoded_len(&data, &data.pt_names, json), bytes.len());
        assert_eq!(bytes.capacity(), bytes.len());
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
            at in 12usize..4000,
            value in any::<u8>(),
            cut in prop::option::of(12usize..4000),
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
                }
            }
        }
    }
}
