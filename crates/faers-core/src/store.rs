//! The compact, columnar form of one loaded quarter.
//!
//! What the analyses need is kept as integers: ids as `u64`, dates packed in `u32`
//! ([`Date`]), drug names and PTs interned once per quarter, child rows grouped by report in
//! compressed-sparse-row form ([`Grouped`]) so that "the PTs of report *r*" is one slice.
//! Raw text lines are never kept.

use std::collections::HashMap;

use crate::members::Quarter;
use crate::schema::Era;
use crate::values::{Code, Date, Sex};

/// Interned strings: each distinct normalised text gets a dense `u32` id.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Vocabulary {
    /// Id of `text`, adding it if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(text.to_owned());
        self.ids.insert(text.to_owned(), id);
        id
    }

    /// Id of `text` if present.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The text of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// All texts, indexed by id.
    pub fn names(&self) -> &[String] {
        &self.names
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
        let mut fill = offsets.clone();
        let mut items: Vec<Option<T>> = vec![None; pairs.len()];
        for &(r, item) in pairs {
            let slot = &mut fill[r as usize];
            items[*slot as usize] = Some(item);
            *slot += 1;
        }
        Grouped {
            offsets,
            items: items.into_iter().flatten().collect(),
        }
    }

    /// The rows of one report.
    pub fn of(&self, report: usize) -> &[T] {
        &self.items[self.offsets[report] as usize..self.offsets[report + 1] as usize]
    }

    /// Every row, grouped by report.
    pub fn items(&self) -> &[T] {
        &self.items
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

/// One DRUG row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrugRow {
    /// `drug_seq` (FAERS: 1..n within the report; legacy: FDA's global DRUG_SEQ).
    pub seq: u32,
    /// Role code, `None` when blank or not one of FDA's codes.
    pub role: Option<Role>,
    /// Interned `drugname` (normalised), [`NO_TEXT`] when blank.
    pub name: u32,
    /// Interned `prod_ai` (normalised), [`NO_TEXT`] when blank or absent (before 2014Q3).
    pub prod_ai: u32,
}

/// One THER row: when a drug was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TherRow {
    /// `dsg_drug_seq`, joining to [`DrugRow::seq`].
    pub seq: u32,
    /// `start_dt`.
    pub start: Date,
}

/// The outcome codes, as bits of [`Reports::outcomes`].
pub const OUTCOME_CODES: [&str; 7] = ["DE", "LT", "HO", "DS", "CA", "RI", "OT"];

/// DEMO, one entry per report (distinct primaryid) of the quarter, as columns.
#[derive(Debug, Clone, Default)]
pub struct Reports {
    /// `primaryid` (legacy `ISR`).
    pub primaryid: Vec<u64>,
    /// `caseid` (legacy `CASE`); `None` when blank (a case of its own).
    pub caseid: Vec<Option<u64>>,
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
}

impl Reports {
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
    /// Drug names and active ingredients of this quarter.
    pub drug_names: Vocabulary,
    /// PTs of this quarter.
    pub pt_names: Vocabulary,
    /// CASEIDs listed in the quarter's deleted-case lists.
    pub deleted_caseids: Vec<u64>,
}
