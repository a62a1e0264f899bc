//! Errors that make a whole input file unusable. Problems with single lines are not
//! errors: they are counted and listed in the file's [`crate::InputSummary`].

use std::fmt;

/// Why a file could not be used. Every variant names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Reading the file failed.
    Io {
        /// The file.
        file: String,
        /// The operating system's or browser's message.
        reason: String,
    },
    /// The bytes are not a zip archive (or its directory is truncated).
    NotZip {
        /// The file.
        file: String,
        /// What the zip reader said.
        reason: String,
    },
    /// A zip without any FAERS table (for example FDA's XML distribution).
    NoTables {
        /// The file.
        file: String,
    },
    /// The tables are there but DEMO is not, so no report can be identified.
    NoDemo {
        /// The file.
        file: String,
    },
    /// A table member could not be inflated or read to its end.
    Corrupt {
        /// The file.
        file: String,
        /// The member inside the zip.
        member: String,
        /// What went wrong.
        reason: String,
    },
    /// A member declares or inflates to an implausible size (a zip bomb guard).
    TooLarge {
        /// The file.
        file: String,
        /// The member inside the zip.
        member: String,
        /// What was found.
        reason: String,
    },
    /// A table's header cannot be used.
    BadHeader {
        /// The file.
        file: String,
        /// The member inside the zip.
        member: String,
        /// What is wrong with it.
        reason: String,
    },
    /// With this quarter, the loaded quarters would name more distinct PTs than a PT id holds
    /// ([`crate::store::MAX_PTS`]; MedDRA has about 27,000).
    TooManyPts {
        /// The file.
        file: String,
    },
    /// The same quarter (or the very same file) is already loaded.
    Duplicate {
        /// The file.
        file: String,
        /// The file already loaded.
        other: String,
        /// The quarter both hold.
        quarter: String,
    },
    /// An error met by another worker reading part of the file, as it worded it.
    Relayed(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { file, reason } => write!(f, "{file}: could not be read ({reason})"),
            InputError::Relayed(message) => f.write_str(message),
            InputError::NotZip { file, reason } => {
                write!(
                    f,
                    "{file}: not a zip archive, or a truncated one ({reason})"
                )
            }
            InputError::NoTables { file } => write!(
                f,
                "{file}: no FAERS ASCII tables (DEMO, DRUG, REAC, …) in this zip; \
                 FDA's ASCII quarterly zips are named like faers_ascii_2024q1.zip \
                 (the XML distribution cannot be read)"
            ),
            InputError::NoDemo { file } => write!(
                f,
                "{file}: the DEMO table is missing, so no report can be identified"
            ),
            InputError::Corrupt {
                file,
                member,
                reason,
            } => write!(f, "{file}: {member} is damaged ({reason})"),
            InputError::TooLarge {
                file,
                member,
                reason,
            } => write!(f, "{file}: {member} was not read ({reason})"),
            InputError::BadHeader {
                file,
                member,
                reason,
            } => write!(f, "{file}: {member} cannot be used: {reason}"),
            InputError::TooManyPts { file } => write!(
                f,
                "{file}: not added: with it the loaded quarters would name more than {} \
                 distinct reaction and indication terms (MedDRA has about 27,000 PTs)",
                crate::store::MAX_PTS
            ),
            InputError::Duplicate {
                file,
                other,
                quarter,
            } => write!(
                f,
                "{file}: quarter {quarter} is already loaded from {other}; this copy was not added"
            ),
        }
    }
}

impl std::error::Error for InputError {}
