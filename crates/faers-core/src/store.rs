//! The compact, columnar form of one loaded quarter.
//!
//! What the analyses need is kept as integers: ids as `u64`, dates packed in `u32`
//! ([`Date`]), drug names and PTs interned once per quarter, child rows grouped by report in
//! compressed-sparse-row form ([`Grouped`]) so that "the PTs of report *r*" is one slice.
//! Raw text lines are never kept.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU64;

use crate::members::Quarter;
use crate::schema::Era;
use crate::values::{Code, Date, Sex};

/// A small, fast, non-cryptographic hasher (the rotate-multiply scheme of rustc's FxHash).
/// The keys are FDA's own ids and texts, hashed millions of times per quarter; SipHash's
/// protection against chosen keys buys nothing here and costs a third of the parse time.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        // The last 1–7 bytes as one zero-padded word: one multiply instead of one per byte
        // (the length is hashed separately, so padding cannot make two keys collide).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FastHasher>>;

/// Byte strings → `u32`, for the interning on the hot path of every table row.
///
/// A `HashMap<Box<[u8]>, u32>` spends a fifth of its lookup time in a `memcmp` call to
/// confirm a hit on keys a few bytes long; this table keeps each key's hash beside it and
/// compares short keys word by word inline, and never rehashes a key when it grows.
#[derive(Debug, Default, Clone)]
pub struct ByteMap {
    table: hashbrown::HashTable<(u64, Box<[u8]>, u32)>,
}

fn hash_bytes(key: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(key);
    h.write_u64(key.len() as u64);
    h.finish()
}

/// Equality of two byte strings, eight bytes at a time.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut x = a.chunks_exact(8);
    let mut y = b.chunks_exact(8);
    for (p, q) in (&mut x).zip(&mut y) {
        if p != q {
            return false;
        }
    }
    x.remainder() == y.remainder()
}

impl ByteMap {
    /// The value of `key`, if present.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let h = hash_bytes(key);
        self.table
            .find(h, |e| e.0 == h && same_bytes(&e.1, key))
            .map(|e| e.2)
    }

    /// The value of `key`, inserting `make()` first if absent.
    #[inline]
    pub fn get_or_insert_with(&mut self, key: &[u8], make: impl FnOnce() -> u32) -> u32 {
        let h = hash_bytes(key);
        if let Some(e) = self.table.find(h, |e| e.0 == h && same_bytes(&e.1, key)) {
            return e.2;
        }
        let value = make();
        self.table.insert_unique(h, (h, key.into(), value), |e| e.0);
        value
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Every key and value, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], u32)> {
        self.table.iter().map(|e| (&*e.1, e.2))
    }

    /// Releases growth slack.
    pub fn shrink_to_fit(&mut self) {
        self.table.shrink_to_fit(|e| e.0);
    }

    /// Slots held (for memory accounting).
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }
}

/// Interned strings: each distinct text gets a dense `u32` id. Keys are bytes, so a caller
/// may look up raw field bytes without building a `String` first.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    ids: ByteMap,
    names: Vec<String>,
}

impl Vocabulary {
    /// Id of `text`, adding it if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        self.intern_with(text.as_bytes(), || text.to_owned())
    }

    /// Id of the text keyed by `key`, adding `make()` under that key if new. Every key of
    /// one vocabulary must be formed the same way.
    pub fn intern_with(&mut self, key: &[u8], make: impl FnOnce() -> String) -> u32 {
        let names = &mut self.names;
        self.ids.get_or_insert_with(key, || {
            names.push(make());
            names.len() as u32 - 1
        })
    }

    /// Id of `text` if present.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text.as_bytes())
    }

    /// The text of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// All texts, indexed by id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Releases growth slack.
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.ids.shrink_to_fit();
    }

    /// Approximate heap bytes held (strings twice: as keys and as names; map slots).
    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.names.iter().map(|n| n.capacity()).sum();
        2 * text
            + self.names.capacity() * std::mem::size_of::<String>()
            + self.ids.capacity() * (std::mem::size_of::<(u64, Box<[u8]>, u32)>() + 1)
    }

    /// Number of distinct texts.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Rows grouped by report: the rows of report `r` are `items[offsets[r]..offsets[r + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct Grouped<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Grouped<T> {
    /// Groups `(report, row)` pairs for `reports` reports, keeping file order within a report.
    pub fn from_pairs(reports: usize, pairs: &[(u32, T)]) -> Self {
        let mut offsets = vec![0u32; reports + 1];
        for &(r, _) in pairs {
            offsets[r as usize + 1] += 1;
        }
        for i in 0..reports {
            offsets[i + 1] += offsets[i];
        }
        // Counting sort of row indices, then one exact-size gather.
        let mut fill = offsets.clone();
        let mut order = vec![0u32; pairs.len()];
        for (i, &(r, _)) in pairs.iter().enumerate() {
            let slot = &mut fill[r as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        Grouped {
            offsets,
            items: order.iter().map(|&i| pairs[i as usize].1).collect(),
        }
    }

    /// Rebuilds from [`Grouped::offsets`] and [`Grouped::items`]; `None` unless the
    /// offsets run from 0 to the number of items, never decreasing, one per report plus one.
    pub fn from_parts(reports: usize, offsets: Vec<u32>, items: Vec<T>) -> Option<Self> {
        let ok = offsets.len() == reports + 1
            && offsets.first() == Some(&0)
            && offsets.last().map(|&l| l as usize) == Some(items.len())
            && offsets.windows(2).all(|w| w[0] <= w[1]);
        ok.then_some(Grouped { offsets, items })
    }

    /// Where each report's rows start (and, last, the number of rows).
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// The rows of one report.
    pub fn of(&self, report: usize) -> &[T] {
        &self.items[self.offsets[report] as usize..self.offsets[report + 1] as usize]
    }

    /// Every row, grouped by report.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.items.capacity() * std::mem::size_of::<T>()
    }

    /// Each report's rows sorted and without repeats.
    pub fn sorted_distinct(mut self) -> Self
    where
        T: Ord,
    {
        let mut kept = 0usize;
        let mut start = 0usize;
        for r in 0..self.offsets.len().saturating_sub(1) {
            let end = self.offsets[r + 1] as usize;
            let rows = &mut self.items[start..end];
            rows.sort_unstable();
            let mut last: Option<T> = None;
            let first_kept = kept;
            for i in start..end {
                let row = self.items[i];
                if last != Some(row) {
                    self.items[kept] = row;
                    kept += 1;
                    last = Some(row);
                }
            }
            self.offsets[r] = first_kept as u32;
            start = end;
        }
        if let Some(last) = self.offsets.last_mut() {
            *last = kept as u32;
        }
        self.items.truncate(kept);
        self.items.shrink_to_fit();
        self
    }

    /// Every row, mutably (used to rewrite ids when vocabularies are merged).
    pub fn items_mut(&mut self) -> &mut [T] {
        &mut self.items
    }
}

/// A drug's role in the report (`role_cod`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Role {
    /// Primary suspect.
    PS,
    /// Secondary suspect.
    SS,
    /// Concomitant.
    C,
    /// Interacting.
    I,
    /// Drug not administered (2024Q4 on).
    DN,
}

impl Role {
    /// Every role, in FDA's order.
    pub const ALL: [Role; 5] = [Role::PS, Role::SS, Role::C, Role::I, Role::DN];

    /// Reads FDA's code; `None` for blanks and unknown codes.
    pub fn parse(code: Code) -> Option<Role> {
        match code.as_str() {
            "PS" => Some(Role::PS),
            "SS" => Some(Role::SS),
            "C" => Some(Role::C),
            "I" => Some(Role::I),
            "DN" => Some(Role::DN),
            _ => None,
        }
    }

    /// FDA's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PS => "PS",
            Role::SS => "SS",
            Role::C => "C",
            Role::I => "I",
            Role::DN => "DN",
        }
    }
}

/// "No such text" in an interned-id field.
pub const NO_TEXT: u32 = u32::MAX;

/// Bits of [`DrugRow`]'s packed field that hold the details id (the role takes the rest).
const DETAILS_BITS: u32 = 29;
/// The details id of a row without details: the all-ones value of [`DETAILS_BITS`] bits.
const DETAILS_NONE: u32 = (1 << DETAILS_BITS) - 1;

/// How many distinct dose details one quarter may hold: a row names them in 29 bits, the
/// all-ones value meaning "none". The vocabulary never grows past the number of DRUG rows,
/// and a quarter with more than this many distinct details is refused when read rather than
/// misnamed.
pub const MAX_DRUG_DETAILS: usize = DETAILS_NONE as usize;

/// The roles by stored code: 0 is none, 1..=5 FDA's codes; 6 and 7 are never stored (the
/// table covers every 3-bit code so that a lookup needs no bounds check).
const ROLES: [Option<Role>; 8] = [
    None,
    Some(Role::PS),
    Some(Role::SS),
    Some(Role::C),
    Some(Role::I),
    Some(Role::DN),
    None,
    None,
];

/// One DRUG row, in 12 bytes: DRUG is the largest table of a quarter (about 1.5 million
/// rows), and the browser holds every loaded quarter in one WebAssembly memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrugRow {
    /// The row's (`drugname`, `prod_ai`) pair, an id into [`QuarterData::products`]: the
    /// same pairs recur across millions of rows.
    pub product: u32,
    /// The role's code (0 for none, then [`Role`]'s order plus one) in the top three bits
    /// and the details id in the rest (see [`DrugRow::role`], [`DrugRow::details`]).
    role_details: u32,
    /// `drug_seq` (FAERS: 1..n within the report; legacy: FDA's global DRUG_SEQ).
    pub seq: u32,
}

const _: () = assert!(std::mem::size_of::<DrugRow>() == 12);

impl DrugRow {
    /// A row. `details` is an id into [`QuarterData::drug_details`] below
    /// [`MAX_DRUG_DETAILS`], or [`NO_TEXT`]; any other value panics (the reader never passes
    /// one: it refuses a quarter with more distinct details).
    pub fn new(product: u32, seq: u32, role: Option<Role>, details: u32) -> DrugRow {
        // Never truncated into another id: one compare per row.
        assert!(
            details == NO_TEXT || (details as usize) < MAX_DRUG_DETAILS,
            "details id {details} does not fit a drug row"
        );
        let code = role.map_or(0, |r| r as u32 + 1);
        DrugRow {
            product,
            role_details: code << DETAILS_BITS | (details & DETAILS_NONE),
            seq,
        }
    }

    /// Role code, `None` when blank or not one of FDA's codes.
    #[inline]
    pub fn role(self) -> Option<Role> {
        ROLES[(self.role_details >> DETAILS_BITS) as usize]
    }

    /// Interned `route$dose_amt$dose_unit$dose_form$dose_freq` as reported (trimmed), into
    /// [`QuarterData::drug_details`]; [`NO_TEXT`] when all are blank. One id for the five
    /// fields keeps the row small: the same combinations recur across millions of rows.
    #[inline]
    pub fn details(self) -> u32 {
        match self.role_details & DETAILS_NONE {
            DETAILS_NONE => NO_TEXT,
            id => id,
        }
    }

    /// Role and details as stored, for the snapshot and the DRUG half's bytes.
    pub(crate) fn packed(self) -> u32 {
        self.role_details
    }

    /// A row from [`DrugRow::packed`]'s value; `None` when the role code is not one of
    /// [`Role`]'s. The ids are the caller's to check.
    pub(crate) fn from_packed(product: u32, role_details: u32, seq: u32) -> Option<DrugRow> {
        let code = role_details >> DETAILS_BITS;
        (code == 0 || ROLES[code as usize].is_some()).then_some(DrugRow {
            product,
            role_details,
            seq,
        })
    }
}

/// The distinct (`drugname`, `prod_ai`) pairs of a quarter being read, each with a dense id
/// (see [`DrugRow::product`]).
#[derive(Debug, Default)]
pub(crate) struct ProductTable {
    /// `name << 32 | prod_ai` → id: one word to hash per row.
    ids: FastMap<u64, u32>,
    pairs: Vec<(u32, u32)>,
}

impl ProductTable {
    /// Id of the pair, adding it if new.
    #[inline]
    pub(crate) fn intern(&mut self, name: u32, prod_ai: u32) -> u32 {
        let pairs = &mut self.pairs;
        *self
            .ids
            .entry(u64::from(name) << 32 | u64::from(prod_ai))
            .or_insert_with(|| {
                pairs.push((name, prod_ai));
                pairs.len() as u32 - 1
            })
    }

    /// The table of `pairs`, in that order; `None` when a pair repeats.
    pub(crate) fn from_pairs(pairs: &[(u32, u32)]) -> Option<ProductTable> {
        let mut table = ProductTable::default();
        for (i, &(name, prod_ai)) in pairs.iter().enumerate() {
            if table.intern(name, prod_ai) as usize != i {
                return None;
            }
        }
        Some(table)
    }

    /// Every pair, indexed by id.
    pub(crate) fn pairs(&self) -> &[(u32, u32)] {
        &self.pairs
    }

    /// The pairs, without growth slack, for [`QuarterData::products`].
    pub(crate) fn into_pairs(self) -> Vec<(u32, u32)> {
        let mut pairs = self.pairs;
        pairs.shrink_to_fit();
        pairs
    }
}

/// One THER row: when a drug was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TherRow {
    /// `dsg_drug_seq`, joining to [`DrugRow::seq`].
    pub seq: u32,
    /// `start_dt`.
    pub start: Date,
}

/// One INDI row: an indication (a MedDRA PT) for one of the report's drugs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicationRow {
    /// `indi_drug_seq`, joining to [`DrugRow::seq`].
    pub seq: u32,
    /// The indication, an id of the same PT vocabulary as the reactions.
    pub pt: u32,
}

/// The outcome codes, as bits of [`Reports::outcomes`].
pub const OUTCOME_CODES: [&str; 7] = ["DE", "LT", "HO", "DS", "CA", "RI", "OT"];

/// The report-source codes (RPSR), as bits of [`Reports::sources`].
pub const SOURCE_CODES: [&str; 9] = ["FGN", "SDY", "LIT", "CSM", "HP", "UF", "CR", "DT", "OTH"];

/// The five fields joined into [`DrugRow::details`], in order.
pub const DRUG_DETAIL_FIELDS: [&str; 5] =
    ["route", "dose_amt", "dose_unit", "dose_form", "dose_freq"];

/// DEMO, one entry per report (distinct primaryid) of the quarter, as columns.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    /// `primaryid` (legacy `ISR`).
    pub primaryid: Vec<u64>,
    /// `caseid` (legacy `CASE`); `None` when blank (a case of its own). `NonZeroU64` keeps
    /// the option in 8 bytes; FDA never issues case 0.
    pub caseid: Vec<Option<NonZeroU64>>,
    /// `caseversion` (legacy `FOLL_SEQ`), blank = 0.
    pub caseversion: Vec<u32>,
    /// `fda_dt`.
    pub fda_dt: Vec<Date>,
    /// `event_dt`.
    pub event_dt: Vec<Date>,
    /// Age in years after unit conversion; NaN when unknown.
    pub age_years: Vec<f32>,
    /// Sex.
    pub sex: Vec<Sex>,
    /// Reporter's occupation (`occp_cod`).
    pub occupation: Vec<Code>,
    /// Outcome codes from OUTC as a bit set over [`OUTCOME_CODES`].
    pub outcomes: Vec<u8>,
    /// Report sources from RPSR as a bit set over [`SOURCE_CODES`].
    pub sources: Vec<u16>,
    /// Weight in kilograms after unit conversion; NaN when unknown.
    pub weight_kg: Vec<f32>,
    /// `reporter_country`, interned into [`QuarterData::countries`]; [`NO_TEXT`] if blank.
    pub reporter_country: Vec<u32>,
}

impl Reports {
    /// Releases the growth slack of every column once the table is read.
    pub fn shrink_to_fit(&mut self) {
        self.primaryid.shrink_to_fit();
        self.caseid.shrink_to_fit();
        self.caseversion.shrink_to_fit();
        self.fda_dt.shrink_to_fit();
        self.event_dt.shrink_to_fit();
        self.age_years.shrink_to_fit();
        self.sex.shrink_to_fit();
        self.occupation.shrink_to_fit();
        self.outcomes.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.weight_kg.shrink_to_fit();
        self.reporter_country.shrink_to_fit();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        fn b<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        b(&self.primaryid)
            + b(&self.caseid)
            + b(&self.caseversion)
            + b(&self.fda_dt)
            + b(&self.event_dt)
            + b(&self.age_years)
            + b(&self.sex)
            + b(&self.occupation)
            + b(&self.outcomes)
            + b(&self.sources)
            + b(&self.weight_kg)
            + b(&self.reporter_country)
    }

    /// Number of reports.
    pub fn len(&self) -> usize {
        self.primaryid.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.primaryid.is_empty()
    }
}

/// Everything kept of one quarterly zip.
#[derive(Debug, Clone)]
pub struct QuarterData {
    /// The quarter, from the member names.
    pub quarter: Quarter,
    /// Legacy AERS or FAERS.
    pub era: Era,
    /// DEMO.
    pub reports: Reports,
    /// DRUG rows per report.
    pub drugs: Grouped<DrugRow>,
    /// Distinct PT ids per report, sorted (ids into [`QuarterData::pt_names`] until the
    /// workspace rewrites them to its own vocabulary).
    pub pts: Grouped<u32>,
    /// THER rows per report.
    pub therapies: Grouped<TherRow>,
    /// INDI rows per report.
    pub indications: Grouped<IndicationRow>,
    /// Dose details of the drug rows (see [`DrugRow::details`]).
    pub drug_details: Vocabulary,
    /// Reporter countries (FAERS: 2-letter codes; legacy: full names).
    pub countries: Vocabulary,
    /// Drug names and active ingredients of this quarter.
    pub drug_names: Vocabulary,
    /// The distinct (`drugname`, `prod_ai`) pairs of the drug rows, ids into
    /// [`QuarterData::drug_names`] ([`NO_TEXT`] when blank), indexed by
    /// [`DrugRow::product`]: a pair is stored once, not on each of its rows.
    pub products: Vec<(u32, u32)>,
    /// PTs of this quarter.
    pub pt_names: Vocabulary,
    /// CASEIDs listed in the quarter's deleted-case lists.
    pub deleted_caseids: Vec<u64>,
}

impl QuarterData {
    /// The (`drugname`, `prod_ai`) ids of a row.
    #[inline]
    pub fn product_of(&self, row: &DrugRow) -> (u32, u32) {
        self.products[row.product as usize]
    }

    /// The `drugname` id of a row ([`NO_TEXT`] when blank).
    #[inline]
    pub fn name_of(&self, row: &DrugRow) -> u32 {
        self.product_of(row).0
    }

    /// Heap bytes held by the compact store of this quarter (what a loaded quarter costs).
    pub fn heap_bytes(&self) -> usize {
        self.reports.heap_bytes()
            + self.drugs.heap_bytes()
            + self.pts.heap_bytes()
            + self.therapies.heap_bytes()
            + self.indications.heap_bytes()
            + self.drug_names.heap_bytes()
            + self.products.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.pt_names.heap_bytes()
            + self.drug_details.heap_bytes()
            + self.countries.heap_bytes()
            + self.deleted_caseids.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_file_order_and_sorted_distinct_cleans_each_report() {
        // Report 1 has no rows; report 0's and 2's rows repeat and are out of order.
        let pairs = [(2, 9u32), (0, 5), (2, 3), (0, 5), (0, 1), (2, 9), (3, 7)];
        let g = Grouped::from_pairs(4, &pairs);
        assert_eq!(g.of(0), [5, 5, 1]);
        assert_eq!(g.of(1), [] as [u32; 0]);
        assert_eq!(g.of(2), [9, 3, 9]);
        let g = g.sorted_distinct();
        assert_eq!(g.of(0), [1, 5]);
        assert_eq!(g.of(1), [] as [u32; 0]);
        assert_eq!(g.of(2), [3, 9]);
        assert_eq!(g.of(3), [7]);
        assert_eq!(g.offsets(), [0, 2, 2, 4, 5]);
        assert!(Grouped::from_parts(4, g.offsets().to_vec(), g.items().to_vec()).is_some());
        assert!(Grouped::from_parts(3, g.offsets().to_vec(), g.items().to_vec()).is_none());
    }

    #[test]
    fn role_and_details_share_one_word_and_come_back() {
        let roles = std::iter::once(None).chain(Role::ALL.map(Some));
        let largest = MAX_DRUG_DETAILS as u32 - 1;
        for role in roles {
            for details in [0, 1, 12_345, largest, NO_TEXT] {
                let row = DrugRow::new(7, u32::MAX, role, details);
                assert_eq!((row.role(), row.details()), (role, details));
                assert_eq!((row.product, row.seq), (7, u32::MAX));
                assert_eq!(DrugRow::from_packed(7, row.packed(), u32::MAX), Some(row));
            }
        }
        // The all-ones details value is "none", never an id.
        assert_eq!(MAX_DRUG_DETAILS, (1 << 29) - 1);
        // Codes 6 and 7 name no role.
        for code in [6u32, 7] {
            assert_eq!(DrugRow::from_packed(0, code << 29, 0), None);
        }
    }

    #[test]
    #[should_panic(expected = "does not fit a drug row")]
    fn a_details_id_past_the_bound_is_never_truncated() {
        DrugRow::new(0, 0, Some(Role::PS), MAX_DRUG_DETAILS as u32);
    }

    #[test]
    fn products_are_interned_once_per_pair() {
        let mut t = ProductTable::default();
        let both = t.intern(3, 4);
        let name_only = t.intern(3, NO_TEXT);
        let prod_ai_only = t.intern(NO_TEXT, 4);
        let reversed = t.intern(4, 3);
        let neither = t.intern(NO_TEXT, NO_TEXT);
        assert_eq!(
            [both, name_only, prod_ai_only, reversed, neither],
            [0, 1, 2, 3, 4]
        );
        assert_eq!(t.intern(3, 4), both);
        assert_eq!(t.intern(3, NO_TEXT), name_only);
        assert_eq!(t.intern(NO_TEXT, 4), prod_ai_only);
        assert_eq!(t.intern(NO_TEXT, NO_TEXT), neither);
        let pairs = [
            (3, 4),
            (3, NO_TEXT),
            (NO_TEXT, 4),
            (4, 3),
            (NO_TEXT, NO_TEXT),
        ];
        assert_eq!(t.pairs(), pairs);
        let mut again = ProductTable::from_pairs(&pairs).unwrap();
        assert_eq!(again.intern(4, 3), reversed);
        assert_eq!(again.into_pairs(), pairs);
        assert!(ProductTable::from_pairs(&[(1, 2), (1, 2)]).is_none());
    }

    #[test]
    fn byte_map_finds_what_it_was_given() {
        let mut m = ByteMap::default();
        let keys: Vec<Vec<u8>> = (0..2000u32)
            .map(|i| format!("DRUG NAME {i} {}", "X".repeat((i % 23) as usize)).into_bytes())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get_or_insert_with(k, || i as u32), i as u32);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get(k), Some(i as u32));
            assert_eq!(m.get_or_insert_with(k, || u32::MAX), i as u32);
        }
        assert_eq!(m.get(b"DRUG NAME 1 XX"), None);
        assert_eq!(m.get(b""), None);
        assert_eq!(m.len(), keys.len());
    }
}
