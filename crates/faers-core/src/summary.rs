//! The per-file accounting: what was read, repaired and skipped, line by line.
//!
//! A reader that drops lines silently changes every number downstream, so each file's
//! summary says how many rows each table gave, which lines were skipped or repaired (rule
//! and physical line number) and anything else worth a reviewer's attention.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// At most this many line issues are listed per file; all are counted.
pub const MAX_LISTED_ISSUES: usize = 500;

/// What happened to a line that was not read as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineAction {
    /// The line was not used.
    Skipped,
    /// The line was used after a documented repair.
    Repaired,
}

/// One skipped or repaired line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIssue {
    /// The zip member (`ASCII/DRUG17Q2.txt`).
    pub member: String,
    /// 1-based physical line number, header included.
    pub line: u64,
    /// Skipped or repaired.
    pub action: LineAction,
    /// Why, in words.
    pub reason: String,
}

/// One entry of the result's `inputs[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    /// The file name as given.
    pub name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Bytes of table text inflated and read (the seven tables and deleted lists).
    pub text_bytes: u64,
    /// `"2017Q2"`, from the member names.
    pub quarter: Option<String>,
    /// `"legacy"` or `"faers"`.
    pub era: Option<String>,
    /// Data rows read per table (`DEMO`, `DRUG`, …), header excluded.
    pub tables: BTreeMap<String, u64>,
    /// Lines used after a repair.
    pub repaired_lines: u64,
    /// Lines not used.
    pub skipped_lines: u64,
    /// Everything else a reviewer should know, in words.
    pub warnings: Vec<String>,
    /// The skipped and repaired lines (the first [`MAX_LISTED_ISSUES`]).
    pub line_issues: Vec<LineIssue>,
    /// Why the file could not be used at all, if it could not.
    pub error: Option<String>,
}

impl InputSummary {
    /// Records a skipped or repaired line.
    pub fn line_issue(&mut self, member: &str, line: u64, action: LineAction, reason: String) {
        match action {
            LineAction::Skipped => self.skipped_lines += 1,
            LineAction::Repaired => self.repaired_lines += 1,
        }
        if self.line_issues.len() < MAX_LISTED_ISSUES {
            self.line_issues.push(LineIssue {
                member: member.to_owned(),
                line,
                action,
                reason,
            });
        }
    }

    /// True when the file was read (possibly with warnings).
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}
