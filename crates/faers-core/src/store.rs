//! The compact, columnar form of one loaded quarter.
//!
//! What the analyses need is kept as integers: drug names and PTs interned once per quarter,
//! child rows grouped by report in compressed-sparse-row form ([`Grouped`]) so that "the PTs
//! of report *r*" is one slice. Raw text lines are never kept.
//!
//! The browser holds every loaded quarter in one WebAssembly memory of at most 4 GB, so each
//! column is kept as narrow as the quarter's values allow, and read back exactly: ids as
//! offsets above the quarter's smallest ([`Ids`]), dates as two-byte codes ([`Dates`]), small
//! numbers and codes in one or two bytes ([`Small`]), PT ids in two ([`PtId`]), DRUG rows
//! packed in the bits their ids need ([`Drugs`]), a `drug_seq` kept only where it is not
//! implied ([`Drugs`], [`SeqRows`]). About 69 bytes a report, where plain columns took 143.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU64;

use crate::members::Quarter;
use crate::schema::Era;
use crate::values::{Code, Date, Sex};

mod dates;
mod drugs;
mod grouped;
mod ids;
mod seq_rows;
mod small;

pub use dates::Dates;
pub use drugs::{DrugRow, Drugs, MAX_DRUG_DETAILS};
pub(crate) use drugs::{DrugSeqs, ProductTable};
pub use grouped::Grouped;
pub use ids::Ids;
pub use seq_rows::SeqRows;
pub use small::Small;

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
        self.0 = mix(self.0, n);
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
///
/// A key may also be given in parts ([`Self::get_parts`]): it is then the parts joined with
/// `$`, which FDA's fields cannot hold, but looked up without joining them. In WebAssembly
/// each small copy into a joined key is a call (`memory.copy`), several per DRUG row. One
/// map takes its keys one way only: a whole key and the same bytes in parts hash apart.
#[derive(Debug, Default, Clone)]
pub struct ByteMap {
    table: hashbrown::HashTable<(u64, Box<[u8]>, u32)>,
}

/// One step of rustc's FxHash.
#[inline(always)]
fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Eight bytes of `bytes` from `at`, little-endian.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Four bytes of `bytes` from `at`, little-endian.
#[inline(always)]
fn half_word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(
        bytes[at..at + 4].try_into().expect("4 bytes"),
    ))
}

/// Adds one key part to a hash, one multiply per eight bytes. A part shorter than a word is
/// read as one word, its bytes in place and its length in the top byte; a longer part as its
/// whole words, its last eight bytes (overlapping the word before rather than copied out and
/// padded, which in WebAssembly is a call), then its length.
#[inline(always)]
fn mix_part(mut h: u64, part: &[u8]) -> u64 {
    let n = part.len();
    let short = match n {
        0 => 0,
        1..=3 => {
            u64::from(part[0])
                | u64::from(part[n / 2]) << (8 * (n / 2))
                | u64::from(part[n - 1]) << (8 * (n - 1))
        }
        4..=7 => half_word_at(part, 0) | half_word_at(part, n - 4) << (8 * (n - 4)),
        _ => {
            let mut at = 0;
            while at + 8 < n {
                h = mix(h, word_at(part, at));
                at += 8;
            }
            return mix(mix(h, word_at(part, n - 8)), n as u64);
        }
    };
    mix(h, short | (n as u64) << 56)
}

fn hash_bytes(key: &[u8]) -> u64 {
    mix_part(0, key)
}

fn hash_parts(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(0, |h, part| mix_part(h, part))
}

/// Equality of two byte strings, a word at a time, read in place as [`mix_part`] reads
/// them: comparing slices calls `memcmp`, which in WebAssembly is a byte loop.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => {
            half_word_at(a, 0) == half_word_at(b, 0)
                && half_word_at(a, n - 4) == half_word_at(b, n - 4)
        }
        _ => {
            let mut at = 0;
            while at + 8 < n {
                if word_at(a, at) != word_at(b, at) {
                    return false;
                }
                at += 8;
            }
            word_at(a, n - 8) == word_at(b, n - 8)
        }
    }
}

/// Whether `joined` is `parts` joined with `$`.
#[inline]
fn same_parts(joined: &[u8], parts: &[&[u8]]) -> bool {
    let len = parts.iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    if joined.len() != len {
        return false;
    }
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            if joined[at] != b'$' {
                return false;
            }
            at += 1;
        }
        if !same_bytes(&joined[at..at + part.len()], part) {
            return false;
        }
        at += part.len();
    }
    true
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

    /// The value of the key `parts` joined with `$` (at least one part), if present.
    #[inline]
    pub fn get_parts(&self, parts: &[&[u8]]) -> Option<u32> {
        let h = hash_parts(parts);
        self.table
            .find(h, |e| e.0 == h && same_parts(&e.1, parts))
            .map(|e| e.2)
    }

    /// Adds the key `parts` joined with `$`, which must be absent ([`Self::get_parts`]).
    pub fn insert_parts(&mut self, parts: &[&[u8]], value: u32) {
        let h = hash_parts(parts);
        debug_assert!(self.get_parts(parts).is_none());
        let key: Box<[u8]> = parts.join(&b'$').into();
        self.table.insert_unique(h, (h, key, value), |e| e.0);
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
        // The four bytes, not `as_str`: a string match is a `memcmp` call per DRUG row in
        // WebAssembly.
        const CODES: [Code; 5] = {
            let mut codes = [Code::EMPTY; 5];
            let mut i = 0;
            while i < 5 {
                codes[i] = Code::of(Role::ALL[i].as_str());
                i += 1;
            }
            codes
        };
        let i = CODES.iter().position(|c| *c == code)?;
        Some(Role::ALL[i])
    }

    /// FDA's code.
    pub const fn as_str(self) -> &'static str {
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

/// A PT id (a reaction or an indication): two bytes, because PT ids are most of what a
/// report's REAC and INDI rows keep, and MedDRA has about 27,000 PTs.
pub type PtId = u16;

/// How many distinct PTs a quarter, and all loaded quarters together, may name: a quarter
/// naming more is refused when read, and one that would take the loaded quarters past it
/// is not added (each with a message saying so), rather than misnamed.
pub const MAX_PTS: usize = PtId::MAX as usize + 1;

/// The outcome codes, as bits of [`Reports::outcomes`].
pub const OUTCOME_CODES: [&str; 7] = ["DE", "LT", "HO", "DS", "CA", "RI", "OT"];
/// [`OUTCOME_CODES`] as codes, compared as four bytes when OUTC is read.
pub(crate) const OUTCOME_CODE_WORDS: [Code; 7] = codes(OUTCOME_CODES);

/// The report-source codes (RPSR), as bits of [`Reports::sources`].
pub const SOURCE_CODES: [&str; 9] = ["FGN", "SDY", "LIT", "CSM", "HP", "UF", "CR", "DT", "OTH"];
/// [`SOURCE_CODES`] as codes, compared as four bytes when RPSR is read.
pub(crate) const SOURCE_CODE_WORDS: [Code; 9] = codes(SOURCE_CODES);

const fn codes<const N: usize>(texts: [&str; N]) -> [Code; N] {
    let mut out = [Code::EMPTY; N];
    let mut i = 0;
    while i < N {
        out[i] = Code::of(texts[i]);
        i += 1;
    }
    out
}

/// The five fields joined into [`DrugRow::details`], in order.
pub const DRUG_DETAIL_FIELDS: [&str; 5] =
    ["route", "dose_amt", "dose_unit", "dose_form", "dose_freq"];

/// DEMO, one entry per report (distinct primaryid) of the quarter, as columns.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    /// `primaryid` (legacy `ISR`).
    pub primaryid: Ids,
    /// `caseid` (legacy `CASE`); 0 when blank (a case of its own: FDA never issues case 0).
    /// See [`Reports::caseid_of`].
    pub caseid: Ids,
    /// `caseversion` (legacy `FOLL_SEQ`), blank = 0.
    pub caseversion: Small,
    /// `fda_dt`.
    pub fda_dt: Dates,
    /// `event_dt`.
    pub event_dt: Dates,
    /// Age in years after unit conversion; NaN when unknown.
    pub age_years: Vec<f32>,
    /// Sex.
    pub sex: Vec<Sex>,
    /// Reporter's occupation (`occp_cod`), a [`Code`]'s four bytes as a little-endian
    /// number: FDA's two-letter codes take two bytes. See [`Reports::occupation_of`].
    pub occupation: Small,
    /// Outcome codes from OUTC as a bit set over [`OUTCOME_CODES`].
    pub outcomes: Vec<u8>,
    /// Report sources from RPSR as a bit set over [`SOURCE_CODES`].
    pub sources: Vec<u16>,
    /// Weight in kilograms after unit conversion; NaN when unknown.
    pub weight_kg: Vec<f32>,
    /// `reporter_country`, interned into [`QuarterData::countries`]; [`NO_TEXT`] if blank.
    pub reporter_country: Small,
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
        self.primaryid.heap_bytes()
            + self.caseid.heap_bytes()
            + self.caseversion.heap_bytes()
            + self.fda_dt.heap_bytes()
            + self.event_dt.heap_bytes()
            + b(&self.age_years)
            + b(&self.sex)
            + self.occupation.heap_bytes()
            + b(&self.outcomes)
            + b(&self.sources)
            + b(&self.weight_kg)
            + self.reporter_country.heap_bytes()
    }

    /// Number of reports.
    pub fn len(&self) -> usize {
        self.primaryid.len()
    }

    /// The occupation code of report `r`'s reporter.
    #[inline]
    pub fn occupation_of(&self, r: usize) -> Code {
        Code(self.occupation.get(r).to_le_bytes())
    }

    /// The caseid of report `r`, `None` when blank.
    #[inline]
    pub fn caseid_of(&self, r: usize) -> Option<NonZeroU64> {
        NonZeroU64::new(self.caseid.get(r))
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
    pub drugs: Drugs,
    /// Distinct PT ids per report, sorted (ids into [`QuarterData::pt_names`] until the
    /// workspace rewrites them to its own vocabulary).
    pub pts: Grouped<PtId>,
    /// THER rows per report: `dsg_drug_seq` and `start_dt`.
    pub therapies: SeqRows<Date>,
    /// INDI rows per report: `indi_drug_seq` and the indication, an id of the same PT
    /// vocabulary as the reactions.
    pub indications: SeqRows<PtId>,
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

    /// Short keys read in place (overlapping words, the length in the top byte) must still
    /// depend on every byte: a byte missed by the hash would make near keys collide.
    #[test]
    fn the_hash_of_a_key_depends_on_each_of_its_bytes_and_its_length() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len in 0..=base.len() {
            let key = &base[..len];
            for at in 0..len {
                let mut other = key.to_vec();
                other[at] ^= 0x20;
                assert_ne!(hash_bytes(key), hash_bytes(&other), "len {len}, byte {at}");
            }
            let mut padded = key.to_vec();
            padded.push(0);
            assert_ne!(
                hash_bytes(key),
                hash_bytes(&padded),
                "len {len} and a zero byte more"
            );
        }
    }

    proptest::proptest! {
        /// The word-wise comparisons agree with slice equality, near misses included.
        #[test]
        fn keys_compare_as_their_bytes(
            a in proptest::collection::vec(proptest::sample::select(b"ab$".to_vec()), 0..30),
            b in proptest::collection::vec(proptest::sample::select(b"ab$".to_vec()), 0..30),
            cut in proptest::collection::vec(0usize..30, 0..4),
        ) {
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            proptest::prop_assert!(same_bytes(&a, &a));
            // `b` in parts at the cuts: equal to `a` only if `a` is those parts joined.
            let mut cuts: Vec<usize> = cut.into_iter().map(|c| c.min(b.len())).collect();
            cuts.sort_unstable();
            let mut parts: Vec<&[u8]> = Vec::new();
            let mut from = 0;
            for c in cuts.into_iter().chain([b.len()]) {
                parts.push(&b[from..c]);
                from = c;
            }
            proptest::prop_assert_eq!(same_parts(&a, &parts), a == parts.join(&b'$'));
            proptest::prop_assert!(same_parts(&parts.join(&b'$'), &parts));
        }

        /// A map keyed in parts finds exactly the keys it was given.
        #[test]
        fn byte_map_finds_keys_given_in_parts(
            keys in proptest::collection::vec(
                proptest::array::uniform3(proptest::sample::select(vec![&b""[..], b"a", b"ab", b"abcd", b"aXcd", b"abcdefgh", b"abcdefghi"])),
                0..60,
            ),
        ) {
            let mut m = ByteMap::default();
            let mut model = std::collections::HashMap::new();
            for (i, key) in keys.iter().enumerate() {
                let found = m.get_parts(key);
                proptest::prop_assert_eq!(found, model.get(key).copied());
                if found.is_none() {
                    m.insert_parts(key, i as u32);
                    model.insert(*key, i as u32);
                }
            }
            proptest::prop_assert_eq!(m.len(), model.len());
        }
    }

    #[test]
    fn roles_outcomes_and_sources_read_back_from_their_codes() {
        for role in Role::ALL {
            let code = Code::parse(role.as_str().to_lowercase().as_bytes()).expect("short");
            assert_eq!(Role::parse(code), Some(role));
        }
        for bad in [&b""[..], b"P", b"PSS", b"S"] {
            assert_eq!(
                Role::parse(Code::parse(bad).expect("short")),
                None,
                "{bad:?}"
            );
        }
        for (texts, codes) in [
            (&OUTCOME_CODES[..], &OUTCOME_CODE_WORDS[..]),
            (&SOURCE_CODES, &SOURCE_CODE_WORDS),
        ] {
            for (text, code) in texts.iter().zip(codes) {
                assert_eq!(Code::parse(text.as_bytes()), Some(*code));
                assert_eq!(code.as_str(), *text);
            }
        }
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
