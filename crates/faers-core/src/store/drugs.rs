//! DRUG rows: the largest table of a quarter, so the most carefully packed.
//!
//! A row is 8 bytes: its (`drugname`, `prod_ai`) pair as one id ([`ProductTable`]), and its
//! role and dose details in one word. Its `drug_seq` is stored apart ([`DrugSeqs`]) because
//! FAERS numbers a report's drugs 1, 2, 3… in file order: a seq that equals the row's place
//! in its report costs nothing, and only the others are kept.

use std::ops::Range;

use super::grouped::Starts;
#[cfg(doc)]
use super::QuarterData;
use super::{FastMap, Grouped, Role, Small, NO_TEXT};

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

/// One DRUG row, in 8 bytes: DRUG is the largest table of a quarter (about 1.5 million
/// rows), and the browser holds every loaded quarter in one WebAssembly memory. Its
/// `drug_seq` is kept apart, by [`Drugs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrugRow {
    /// The row's (`drugname`, `prod_ai`) pair, an id into [`QuarterData::products`]: the
    /// same pairs recur across millions of rows.
    pub product: u32,
    /// The role's code (0 for none, then [`Role`]'s order plus one) in the top three bits
    /// and the details id in the rest (see [`DrugRow::role`], [`DrugRow::details`]).
    role_details: u32,
}

const _: () = assert!(std::mem::size_of::<DrugRow>() == 8);

impl DrugRow {
    /// A row. `details` is an id into [`QuarterData::drug_details`] below
    /// [`MAX_DRUG_DETAILS`], or [`NO_TEXT`]; any other value panics (the reader never passes
    /// one: it refuses a quarter with more distinct details).
    pub fn new(product: u32, role: Option<Role>, details: u32) -> DrugRow {
        // Never truncated into another id: one compare per row.
        assert!(
            details == NO_TEXT || (details as usize) < MAX_DRUG_DETAILS,
            "details id {details} does not fit a drug row"
        );
        let code = role.map_or(0, |r| r as u32 + 1);
        DrugRow {
            product,
            role_details: code << DETAILS_BITS | (details & DETAILS_NONE),
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

/// The `drug_seq` of every DRUG row of a quarter, in the order of [`Drugs::rows`].
///
/// FAERS numbers a report's drugs from 1 in file order, so almost every row's seq is its
/// place in its report plus one: only the rows where it is not are kept, as (row, seq)
/// pairs. Legacy AERS numbers DRUG rows with one quarter-wide sequence instead, so there
/// (or whenever exceptions would cost more than a plain column) every seq is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DrugSeqs {
    /// Place in the report plus one, but for these `(row, seq)` pairs, sorted by row.
    Positional(Vec<(u32, u32)>),
    /// One per row.
    Plain(Vec<u32>),
}

impl Default for DrugSeqs {
    fn default() -> Self {
        DrugSeqs::Positional(Vec::new())
    }
}

/// The seqs of one report's rows (see [`Drugs::with_seqs`]).
struct SeqsOf<'a> {
    /// Next row, and the report's first row and end.
    at: u32,
    first: u32,
    end: u32,
    seqs: &'a DrugSeqs,
    /// With positional seqs: the report's exceptions not yet reached.
    exceptions: &'a [(u32, u32)],
}

impl Iterator for SeqsOf<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.at == self.end {
            return None;
        }
        let row = self.at;
        self.at += 1;
        Some(match self.seqs {
            DrugSeqs::Plain(seqs) => seqs[row as usize],
            DrugSeqs::Positional(_) => match self.exceptions.split_first() {
                Some((&(at, seq), rest)) if at == row => {
                    self.exceptions = rest;
                    seq
                }
                _ => row - self.first + 1,
            },
        })
    }
}

/// DRUG rows packed in as few bytes as the quarter's ids need: the product id, the role
/// code and the details id (plus one, 0 for none) side by side in `width` bytes.
///
/// A row's fields are 64 bits at most, but a quarter's ids are far smaller: a few tens of
/// thousands of products and of dose details take 17 or 18 bits each, so a row fits five
/// bytes instead of eight. Every row reads as one unaligned `u64` (the bytes end with seven
/// of padding), so reading a packed row costs a load, a mask and two shifts.
#[derive(Debug, Clone, Default)]
struct PackedRows {
    bytes: Vec<u8>,
    width: usize,
    product_bits: u32,
    rows: usize,
}

/// The bits needed to write `largest`.
fn bits(largest: u64) -> u32 {
    64 - largest.leading_zeros()
}

impl PackedRows {
    /// Packs `rows` (walked twice: for the widths, then to pack).
    fn pack(rows: impl ExactSizeIterator<Item = DrugRow> + Clone) -> PackedRows {
        let details = |d: DrugRow| match d.details() {
            NO_TEXT => 0,
            id => u64::from(id) + 1,
        };
        let largest_product = rows.clone().map(|d| d.product).max().unwrap_or(0);
        let largest_details = rows.clone().map(details).max().unwrap_or(0);
        let product_bits = bits(u64::from(largest_product));
        let width = (product_bits + 3 + bits(largest_details))
            .div_ceil(8)
            .max(1) as usize;
        let count = rows.len();
        let mut bytes = Vec::with_capacity(count * width + 7);
        for d in rows {
            let role = u64::from(d.role_details >> DETAILS_BITS);
            let v = u64::from(d.product) | role << product_bits | details(d) << (product_bits + 3);
            bytes.extend_from_slice(&v.to_le_bytes()[..width]);
        }
        bytes.extend_from_slice(&[0; 7]);
        PackedRows {
            bytes,
            width,
            product_bits,
            rows: count,
        }
    }

    /// Row `i` as stored: product, role code and details plus one, side by side.
    #[inline]
    fn raw(&self, i: usize) -> u64 {
        let at = i * self.width;
        let word = u64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes"));
        word & (u64::MAX >> (64 - 8 * self.width))
    }

    /// Rebuilds from a snapshot's parts: `rows` rows of `width` bytes (no padding); `None`
    /// unless the widths can be and every row holds one of FDA's role codes (or none) and
    /// a details id a row can name.
    fn from_parts(width: usize, product_bits: u32, mut bytes: Vec<u8>) -> Option<PackedRows> {
        let fits = (1..=8).contains(&width)
            && product_bits <= 32
            && product_bits + 3 <= 8 * width as u32
            && bytes.len() % width == 0;
        if !fits {
            return None;
        }
        let rows = bytes.len() / width;
        bytes.extend_from_slice(&[0; 7]);
        let packed = PackedRows {
            bytes,
            width,
            product_bits,
            rows,
        };
        let sound = (0..rows).all(|i| {
            let v = packed.raw(i);
            let code = (v >> product_bits) & 7;
            let details = v.checked_shr(product_bits + 3).unwrap_or(0);
            code <= Role::ALL.len() as u64 && details <= u64::from(DETAILS_NONE)
        });
        sound.then_some(packed)
    }

    #[inline]
    fn get(&self, i: usize) -> DrugRow {
        let v = self.raw(i);
        let product = (v & ((1u64 << self.product_bits) - 1)) as u32;
        let role = ((v >> self.product_bits) & 7) as u32;
        let details = match (v >> (self.product_bits + 3)) as u32 {
            0 => DETAILS_NONE,
            d => d - 1,
        };
        DrugRow {
            product,
            role_details: role << DETAILS_BITS | details,
        }
    }

    /// For rows `rows`, whether any has a product and role code that `hit` takes, in one
    /// pass over their bytes. `W` is the row width: the compiler then reads each row with a
    /// fixed-size load and no bounds check, which is most of a drug query's time.
    #[inline]
    fn any_of<const W: usize>(&self, rows: Range<usize>, hit: impl Fn(u32, usize) -> u8) -> bool {
        let (bits, mask) = (self.product_bits, (1u64 << self.product_bits) - 1);
        let mut any = 0u8;
        for row in self.bytes[rows.start * W..rows.end * W].chunks_exact(W) {
            let mut word = [0u8; 8];
            word[..W].copy_from_slice(row);
            let v = u64::from_le_bytes(word);
            any |= hit((v & mask) as u32, ((v >> bits) & 7) as usize);
        }
        any != 0
    }

    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

/// A quarter's DRUG rows grouped by report, each with its `drug_seq`.
#[derive(Debug, Clone)]
pub struct Drugs {
    starts: Starts,
    rows: PackedRows,
    seqs: DrugSeqs,
}

impl Default for Drugs {
    fn default() -> Self {
        Drugs::from_pairs(0, &[])
    }
}

impl Drugs {
    /// Groups `(report, (row, seq))` pairs for `reports` reports, keeping file order within
    /// a report (as [`Grouped::from_pairs`]).
    pub fn from_pairs(reports: usize, pairs: &[(u32, (DrugRow, u32))]) -> Drugs {
        Drugs::from_grouped(Grouped::from_pairs(reports, pairs))
    }

    /// Packs grouped (row, seq) pairs, keeping only the seqs that need keeping.
    pub fn from_grouped(grouped: Grouped<(DrugRow, u32)>) -> Drugs {
        let mut exceptions = Vec::new();
        for r in 0..grouped.reports() {
            let range = grouped.range(r);
            let first = range.start;
            for (i, &(_, seq)) in grouped.items()[range].iter().enumerate() {
                if seq as usize != i + 1 {
                    exceptions.push(((first + i) as u32, seq));
                }
            }
        }
        // A pair costs two words, a plain seq one.
        let positional = exceptions.len() * 2 <= grouped.items().len();
        let (starts, pairs) = grouped.into_parts();
        let rows = PackedRows::pack(pairs.iter().map(|&(row, _)| row));
        let seqs = if positional {
            exceptions.shrink_to_fit();
            DrugSeqs::Positional(exceptions)
        } else {
            DrugSeqs::Plain(pairs.into_iter().map(|(_, seq)| seq).collect())
        };
        Drugs { starts, rows, seqs }
    }

    /// The same rows under other starts, one per report plus one: each non-empty report
    /// must take one group of rows as it stands, whole and in order (so that every row keeps
    /// its place in its report, which positional seqs count on). Used where DRUG's rows were
    /// grouped by primaryid before DEMO's reports were known.
    pub(crate) fn regrouped(self, offsets: Vec<u32>) -> Drugs {
        debug_assert_eq!(offsets.last().map(|&o| o as usize), Some(self.len()));
        Drugs {
            starts: Starts::new(offsets),
            ..self
        }
    }

    /// Number of reports.
    pub fn reports(&self) -> usize {
        self.starts.reports()
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.rows
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn range(&self, report: usize) -> Range<usize> {
        self.starts.range(report)
    }

    /// The rows of one report.
    #[inline]
    pub fn of(&self, report: usize) -> impl ExactSizeIterator<Item = DrugRow> + '_ {
        self.range(report).map(|i| self.rows.get(i))
    }

    /// For each report, whether any of its rows has a product and role that `hit` takes
    /// (1) — all that selecting a drug reads of every row.
    pub fn reports_where(&self, hit: impl Fn(u32, Option<Role>) -> u8) -> Vec<bool> {
        let hit = |product, code: usize| hit(product, ROLES[code]);
        match self.rows.width {
            1 => self.scan::<1>(hit),
            2 => self.scan::<2>(hit),
            3 => self.scan::<3>(hit),
            4 => self.scan::<4>(hit),
            5 => self.scan::<5>(hit),
            6 => self.scan::<6>(hit),
            7 => self.scan::<7>(hit),
            _ => self.scan::<8>(hit),
        }
    }

    fn scan<const W: usize>(&self, hit: impl Fn(u32, usize) -> u8) -> Vec<bool> {
        self.starts
            .ranges()
            .map(|rows| self.rows.any_of::<W>(rows, &hit))
            .collect()
    }

    /// The rows of one report with their `drug_seq`s.
    pub fn with_seqs(&self, report: usize) -> impl Iterator<Item = (DrugRow, u32)> + '_ {
        let range = self.range(report);
        self.of(report).zip(self.seqs_in(range))
    }

    fn seqs_in(&self, range: Range<usize>) -> SeqsOf<'_> {
        let (first, end) = (range.start as u32, range.end as u32);
        let exceptions = match &self.seqs {
            DrugSeqs::Positional(pairs) => {
                let from = pairs.partition_point(|&(row, _)| row < first);
                let to = from + pairs[from..].partition_point(|&(row, _)| row < end);
                &pairs[from..to]
            }
            DrugSeqs::Plain(_) => &[],
        };
        SeqsOf {
            at: first,
            first,
            end,
            seqs: &self.seqs,
            exceptions,
        }
    }

    /// Every row's `drug_seq`, in the order of [`Drugs::rows`].
    pub fn seqs(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.reports()).flat_map(|r| self.seqs_in(self.range(r)))
    }

    /// Every row, grouped by report.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = DrugRow> + '_ {
        (0..self.len()).map(|i| self.rows.get(i))
    }

    /// Replaces row `i` (repacking every row: for tests that alter a quarter).
    #[cfg(test)]
    pub(crate) fn set(&mut self, i: usize, row: DrugRow) {
        let mut rows: Vec<DrugRow> = self.rows().collect();
        rows[i] = row;
        self.rows = PackedRows::pack(rows.into_iter());
    }

    /// Where each report's rows start (see [`Grouped::offsets`]).
    pub fn offsets(&self) -> Vec<u32> {
        self.starts.offsets()
    }

    /// Each report's number of rows, narrowed (see [`Grouped::counts`]).
    pub(crate) fn counts(&self) -> Small {
        self.starts.counts()
    }

    /// What a snapshot keeps: the row width, the product bits, the packed rows (without
    /// padding) and the seqs kept.
    pub(crate) fn parts(&self) -> (usize, u32, &[u8], &DrugSeqs) {
        let bytes = &self.rows.bytes[..self.rows.rows * self.rows.width];
        (self.rows.width, self.rows.product_bits, bytes, &self.seqs)
    }

    /// Rebuilds from [`Drugs::offsets`] and [`Drugs::parts`]; `None` unless the parts are
    /// sound: rows as [`PackedRows::from_parts`] checks, offsets that group them (as for
    /// [`Grouped::from_parts`]), seqs for rows that exist, in order.
    pub(crate) fn from_parts(
        reports: usize,
        offsets: Vec<u32>,
        (width, product_bits, bytes): (usize, u32, Vec<u8>),
        seqs: DrugSeqs,
    ) -> Option<Drugs> {
        let rows = PackedRows::from_parts(width, product_bits, bytes)?;
        let n = rows.rows;
        let starts = Starts::checked(reports, offsets, n)?;
        let seqs_ok = match &seqs {
            DrugSeqs::Positional(pairs) => {
                pairs.windows(2).all(|w| w[0].0 < w[1].0)
                    && pairs.last().is_none_or(|&(row, _)| (row as usize) < n)
            }
            DrugSeqs::Plain(seqs) => seqs.len() == n,
        };
        seqs_ok.then_some(Drugs { starts, rows, seqs })
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.starts.heap_bytes()
            + self.rows.heap_bytes()
            + match &self.seqs {
                DrugSeqs::Positional(pairs) => pairs.capacity() * 8,
                DrugSeqs::Plain(seqs) => seqs.capacity() * 4,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_details_share_one_word_and_come_back() {
        let roles = std::iter::once(None).chain(Role::ALL.map(Some));
        let largest = MAX_DRUG_DETAILS as u32 - 1;
        for role in roles {
            for details in [0, 1, 12_345, largest, NO_TEXT] {
                let row = DrugRow::new(7, role, details);
                assert_eq!((row.role(), row.details()), (role, details));
                assert_eq!(row.product, 7);
                let packed = PackedRows::pack(std::iter::once(row));
                assert_eq!(packed.get(0), row);
            }
        }
        // The all-ones details value is "none", never an id.
        assert_eq!(MAX_DRUG_DETAILS, (1 << 29) - 1);
        // Codes 6 and 7 name no role: such packed rows are refused.
        assert!(PackedRows::from_parts(1, 0, vec![5]).is_some());
        for code in [6u8, 7] {
            assert!(PackedRows::from_parts(1, 0, vec![code]).is_none());
        }
    }

    #[test]
    #[should_panic(expected = "does not fit a drug row")]
    fn a_details_id_past_the_bound_is_never_truncated() {
        DrugRow::new(0, Some(Role::PS), MAX_DRUG_DETAILS as u32);
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

    /// Rows of reports with these seqs, the product id numbering the rows in order.
    fn drugs_with(seqs: &[&[u32]]) -> Drugs {
        let mut pairs = Vec::new();
        for (r, report) in seqs.iter().enumerate() {
            for &seq in *report {
                let row = DrugRow::new(pairs.len() as u32, Some(Role::C), NO_TEXT);
                pairs.push((r as u32, (row, seq)));
            }
        }
        Drugs::from_pairs(seqs.len(), &pairs)
    }

    fn every_seq_comes_back(seqs: &[&[u32]]) -> Drugs {
        let d = drugs_with(seqs);
        for (r, want) in seqs.iter().enumerate() {
            let got: Vec<u32> = d.with_seqs(r).map(|(_, seq)| seq).collect();
            assert_eq!(got, *want, "report {r}");
            assert_eq!(d.of(r).len(), want.len());
        }
        let all: Vec<u32> = seqs.iter().flat_map(|s| s.iter().copied()).collect();
        assert_eq!(d.seqs().collect::<Vec<_>>(), all);
        let products: Vec<u32> = d.rows().map(|r| r.product).collect();
        assert_eq!(products, (0..all.len() as u32).collect::<Vec<_>>());
        d
    }

    #[test]
    fn rows_pack_into_the_bytes_their_ids_need_and_come_back() {
        let roles = std::iter::once(None).chain(Role::ALL.map(Some));
        let mut rows = Vec::new();
        for role in roles {
            for details in [0, 1, 4_000, NO_TEXT] {
                for product in [0, 1, 9_999] {
                    rows.push(DrugRow::new(product, role, details));
                }
            }
        }
        // 14 bits of product, 3 of role, 12 of details plus one: four bytes a row.
        let packed = PackedRows::pack(rows.iter().copied());
        assert_eq!((packed.width, packed.product_bits), (4, 14));
        assert_eq!(packed.heap_bytes(), rows.len() * 4 + 7);
        let back: Vec<DrugRow> = (0..rows.len()).map(|i| packed.get(i)).collect();
        assert_eq!(back, rows);
        // The largest ids a row can hold take all eight bytes.
        let widest = [
            DrugRow::new(u32::MAX, Some(Role::DN), MAX_DRUG_DETAILS as u32 - 1),
            DrugRow::new(0, None, NO_TEXT),
        ];
        let packed = PackedRows::pack(widest.into_iter());
        assert_eq!(packed.width, 8);
        assert_eq!([packed.get(0), packed.get(1)], widest);
        // No rows, or only empty ones, still read back.
        assert_eq!(PackedRows::pack(std::iter::empty()).width, 1);
        let none = [DrugRow::new(0, None, NO_TEXT)];
        assert_eq!(PackedRows::pack(none.into_iter()).get(0), none[0]);
    }

    #[test]
    fn faers_seqs_cost_nothing_but_where_they_leave_the_row_order() {
        // FAERS: 1..n per report, with a gap, a repeat and a report out of order.
        let d = every_seq_comes_back(&[
            &[1, 2, 3],
            &[],
            &[1, 2, 4],
            &[1],
            &[2, 1],
            &[1, 2, 3, 4, 5],
            &[1, 1],
        ]);
        assert_eq!(
            d.seqs,
            DrugSeqs::Positional(vec![(5, 4), (7, 2), (8, 1), (15, 1)])
        );
        // Legacy: one quarter-wide sequence, kept as it is.
        let d = every_seq_comes_back(&[&[1004492716, 1004516266], &[], &[1004493847]]);
        assert!(matches!(d.seqs, DrugSeqs::Plain(_)));
        // Exceptions in half the rows still cost no more than a column: past that, a column.
        assert!(matches!(
            every_seq_comes_back(&[&[1, 9], &[1, 9]]).seqs,
            DrugSeqs::Positional(_)
        ));
        assert!(matches!(
            every_seq_comes_back(&[&[1, 9], &[7, 9]]).seqs,
            DrugSeqs::Plain(_)
        ));
        assert_eq!(drugs_with(&[]).seqs().count(), 0);
    }
}
