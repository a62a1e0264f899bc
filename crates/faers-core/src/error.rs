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
    /// The bytes are not a usable zip archive.
    NotZip {
        /// The file.
        file: String,
        /// What they are instead, as far as their first and last bytes tell.
        found: NotZipFound,
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

/// What a file the zip reader refused turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotZipFound {
    /// A zip's start without its end: an interrupted download or copy.
    CutShort,
    /// Nothing at all.
    Empty,
    /// A PDF document (FDA's documentation, say).
    Pdf,
    /// A web page, often an error page saved by a failed download.
    WebPage,
    /// An XML document.
    Xml,
    /// A gzip file.
    Gzip,
    /// A 7-Zip archive.
    SevenZip,
    /// A RAR archive.
    Rar,
    /// Plain text (a table unzipped, notes).
    Text,
    /// A zip whose directory of members cannot be read; what the zip reader said.
    DamagedDirectory(String),
    /// None of these; what the zip reader said.
    Other(String),
}

/// "not a zip archive: {what}", with what FDA's files look like.
fn another_kind(f: &mut fmt::Formatter<'_>, file: &str, what: &str) -> fmt::Result {
    write!(
        f,
        "{file}: not a zip archive: {what}; FDA's quarterly ASCII files are zips named like \
         faers_ascii_2024q1.zip"
    )
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { file, reason } => write!(f, "{file}: could not be read ({reason})"),
            InputError::Relayed(message) => f.write_str(message),
            InputError::NotZip { file, found } => match found {
                NotZipFound::CutShort => write!(
                    f,
                    "{file}: the zip is cut short: the directory at its end is missing, as when \
                     a download stops early; download it again"
                ),
                NotZipFound::Empty => {
                    write!(f, "{file}: the file is empty (0 bytes), not a zip archive")
                }
                NotZipFound::Other(reason) => write!(f, "{file}: not a zip archive ({reason})"),
                NotZipFound::DamagedDirectory(reason) => write!(
                    f,
                    "{file}: the zip's directory of members is damaged ({reason}); download it again"
                ),
                NotZipFound::Pdf => another_kind(f, file, "it is a PDF document"),
                NotZipFound::WebPage => another_kind(
                    f,
                    file,
                    "it is a web page (HTML), as a failed download sometimes saves in place of \
                     the file",
                ),
                NotZipFound::Xml => another_kind(f, file, "it is an XML document"),
                NotZipFound::Gzip => another_kind(f, file, "it is a gzip file"),
                NotZipFound::SevenZip => another_kind(f, file, "it is a 7-Zip archive"),
                NotZipFound::Rar => another_kind(f, file, "it is a RAR archive"),
                NotZipFound::Text => another_kind(f, file, "it holds plain text"),
            },
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
