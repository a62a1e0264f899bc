//! Finding the tables inside a quarterly zip, whatever FDA called them that quarter.
//!
//! Folder names vary (`ascii/`, `ASCII/`, the 2015–2018 typo folders `asci/`, `asii/`), file
//! names vary in case (`DEMO04Q1.TXT`, `demo12q4.txt`, `DEMO13Q1.txt`) and once in suffix
//! (`DEMO18Q1_new.txt`), and the deleted-case lists have had five names in three folder
//! spellings. So members are recognised by their base name only, case-insensitively
//! (faers-format.md §1.3–1.4), and the folder is never relied on.

use std::fmt;

/// The seven tables of a quarterly extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableKind {
    /// Demographics, one row per report.
    Demo,
    /// Drugs, one row per drug of a report.
    Drug,
    /// Reactions (MedDRA preferred terms).
    Reac,
    /// Outcomes.
    Outc,
    /// Report sources.
    Rpsr,
    /// Therapy dates per drug.
    Ther,
    /// Indications per drug.
    Indi,
}

impl TableKind {
    /// All tables, in the order they are read (DEMO first: the others join to it).
    pub const ALL: [TableKind; 7] = [
        TableKind::Demo,
        TableKind::Drug,
        TableKind::Reac,
        TableKind::Outc,
        TableKind::Ther,
        TableKind::Rpsr,
        TableKind::Indi,
    ];

    /// FDA's name of the table (`DEMO`, …).
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Demo => "DEMO",
            TableKind::Drug => "DRUG",
            TableKind::Reac => "REAC",
            TableKind::Outc => "OUTC",
            TableKind::Rpsr => "RPSR",
            TableKind::Ther => "THER",
            TableKind::Indi => "INDI",
        }
    }

    fn from_stem(stem: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.name() == stem)
    }
}

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A calendar quarter such as 2017Q2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Four-digit year.
    pub year: u16,
    /// 1 to 4.
    pub quarter: u8,
}

impl Quarter {
    /// Legacy AERS (ISR/CASE ids) ran to 2012Q3; FAERS starts with 2012Q4.
    pub fn is_legacy(self) -> bool {
        (self.year, self.quarter) <= (2012, 3)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

/// What a zip member is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKind {
    /// One of the seven tables, for the quarter named in the file name.
    Table(TableKind, Quarter),
    /// A deleted-case list (2019Q1 on).
    DeletedList,
    /// Anything else (documentation, STAT/SIZE files, folders).
    Other,
}

/// Classifies a zip member by its path.
pub fn classify(path: &str) -> MemberKind {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let upper = base.to_ascii_uppercase();
    let Some(stem) = upper.strip_suffix(".TXT") else {
        return MemberKind::Other;
    };
    if let Some(kind) = parse_table_stem(stem) {
        return MemberKind::Table(kind.0, kind.1);
    }
    if path.to_ascii_uppercase().contains("DELET") {
        return MemberKind::DeletedList;
    }
    MemberKind::Other
}

/// `DEMO17Q2`, `DEMO18Q1_NEW` → (DEMO, 2017Q2).
fn parse_table_stem(stem: &str) -> Option<(TableKind, Quarter)> {
    let stem = stem.strip_suffix("_NEW").unwrap_or(stem);
    if stem.len() != 8 || !stem.is_ascii() {
        return None;
    }
    let kind = TableKind::from_stem(&stem[..4])?;
    let yy: u16 = stem[4..6].parse().ok()?;
    if &stem[6..7] != "Q" {
        return None;
    }
    let q: u8 = stem[7..8].parse().ok()?;
    if !(1..=4).contains(&q) || !stem[4..6].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        kind,
        Quarter {
            year: 2000 + yy,
            quarter: q,
        },
    ))
}

/// The quarter in a zip's own name (`faers_ascii_2017q2.zip`, `aers_ascii_2004Q1.zip`), if
/// the name has one.
pub fn quarter_from_zip_name(name: &str) -> Option<Quarter> {
    let upper = name.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    // Look for `YYYYQN` preceded by `_` (FDA's names) anywhere in the name.
    (0..bytes.len().saturating_sub(5)).find_map(|i| {
        let w = &bytes[i..i + 6];
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit());
        if before_ok
            && after_ok
            && w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'Q'
            && (b'1'..=b'4').contains(&w[5])
        {
            let year: u16 = upper[i..i + 4].parse().ok()?;
            (2000..2100).contains(&year).then_some(Quarter {
                year,
                quarter: w[5] - b'0',
            })
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(year: u16, quarter: u8) -> Quarter {
        Quarter { year, quarter }
    }

    #[test]
    fn tables_in_every_known_spelling() {
        use TableKind::*;
        for (path, kind, quarter) in [
            ("ascii/DEMO04Q1.TXT", Demo, q(2004, 1)),
            ("ascii/demo12q4.txt", Demo, q(2012, 4)),
            ("ASCII/DRUG26Q2.txt", Drug, q(2026, 2)),
            ("asii/REAC15Q3.txt", Reac, q(2015, 3)),
            ("asci/OUTC16Q1.txt", Outc, q(2016, 1)),
            ("ascii/DEMO18Q1_new.txt", Demo, q(2018, 1)),
            ("INDI17Q2.txt", Indi, q(2017, 2)),
            ("x\\THER20Q3.TXT", Ther, q(2020, 3)),
        ] {
            assert_eq!(classify(path), MemberKind::Table(kind, quarter), "{path}");
        }
    }

    #[test]
    fn deleted_lists_and_other_members() {
        for path in [
            "deleted/ADR19Q1DeletedCases.txt",
            "deleted/AllDeletedCases.txt",
            "DELETED/ADR20Q1DeletedCases.txt",
            "Deleted/20Q4DeletedCases.txt",
            "Deleted/DELETE26Q2.txt",
        ] {
            assert_eq!(classify(path), MemberKind::DeletedList, "{path}");
        }
        for path in [
            "ascii/STAT04Q1.TXT",
            "SIZE04Q1.TXT",
            "ASCII/ASC_NTS.pdf",
            "ASCII/DEMO26Q2.pdf",
            "Readme.pdf",
            "ascii/",
            "ascii/DEMO17Q5.txt",
        ] {
            assert_eq!(classify(path), MemberKind::Other, "{path}");
        }
    }

    #[test]
    fn quarter_of_the_zip_name() {
        assert_eq!(
            quarter_from_zip_name("faers_ascii_2017q2.zip"),
            Some(q(2017, 2))
        );
        assert_eq!(
            quarter_from_zip_name("/data/aers_ascii_2004Q1.zip"),
            Some(q(2004, 1))
        );
        assert_eq!(quarter_from_zip_name("UCM123456.zip"), None);
        assert!(q(2012, 3).is_legacy() && !q(2012, 4).is_legacy());
    }
}
