//! Table headers: mapping FDA's column names of every era to one canonical set.
//!
//! Columns are found by name, never by position: legacy and FAERS orders differ
//! (`OCCP_COD`/`TO_MFR` swap), and names changed over time (`ISR` → `primaryid`,
//! `GNDR_COD` → `sex`, `lot_nbr`, `outc_code`, ` rept_dt` with a leading blank, a UTF-8 BOM
//! before the first name). faers-format.md §3.4 is the table implemented here.

use crate::members::TableKind;

/// The era a table's header belongs to, told by its id column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// Legacy AERS, 2004Q1–2012Q3: `ISR`, `CASE`, `FOLL_SEQ`.
    Legacy,
    /// FAERS, 2012Q4 on: `primaryid`, `caseid`, `caseversion`.
    Faers,
}

impl Era {
    /// `"legacy"` or `"faers"`, as in the result object.
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Legacy => "legacy",
            Era::Faers => "faers",
        }
    }
}

/// Canonical column names known for each table, over all eras.
fn known_columns(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Demo => &[
            "primaryid",
            "caseid",
            "caseversion",
            "i_f_code",
            "event_dt",
            "mfr_dt",
            "init_fda_dt",
            "fda_dt",
            "rept_cod",
            "auth_num",
            "mfr_num",
            "mfr_sndr",
            "lit_ref",
            "age",
            "age_cod",
            "age_grp",
            "sex",
            "e_sub",
            "wt",
            "wt_cod",
            "rept_dt",
            "to_mfr",
            "occp_cod",
            "reporter_country",
            "occr_country",
            "image",
            "death_dt",
            "confid",
        ],
        TableKind::Drug => &[
            "primaryid",
            "caseid",
            "drug_seq",
            "role_cod",
            "drugname",
            "prod_ai",
            "val_vbm",
            "route",
            "dose_vbm",
            "cum_dose_chr",
            "cum_dose_unit",
            "dechal",
            "rechal",
            "lot_num",
            "exp_dt",
            "nda_num",
            "dose_amt",
            "dose_unit",
            "dose_form",
            "dose_freq",
        ],
        TableKind::Reac => &["primaryid", "caseid", "pt", "drug_rec_act"],
        TableKind::Outc => &["primaryid", "caseid", "outc_cod"],
        TableKind::Rpsr => &["primaryid", "caseid", "rpsr_cod"],
        TableKind::Ther => &[
            "primaryid",
            "caseid",
            "dsg_drug_seq",
            "start_dt",
            "end_dt",
            "dur",
            "dur_cod",
        ],
        TableKind::Indi => &["primaryid", "caseid", "indi_drug_seq", "indi_pt"],
    }
}

/// Maps one header name (already trimmed and lower-cased) to its canonical name.
fn canonical(kind: TableKind, name: &str) -> &str {
    match (kind, name) {
        (_, "isr") => "primaryid",
        (_, "case") => "caseid",
        (TableKind::Demo, "foll_seq") => "caseversion",
        (TableKind::Demo, "i_f_cod") => "i_f_code",
        (TableKind::Demo, "gndr_cod") => "sex",
        (TableKind::Drug, "lot_nbr") => "lot_num",
        (TableKind::Outc, "outc_code") => "outc_cod",
        (TableKind::Ther, "drug_seq") => "dsg_drug_seq",
        (TableKind::Indi, "drug_seq") => "indi_drug_seq",
        _ => name,
    }
}

/// A parsed header: where each canonical column is, and what was not recognised.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The table.
    pub kind: TableKind,
    /// Legacy or FAERS, from the id column's name.
    pub era: Era,
    /// Number of fields the header declares.
    pub width: usize,
    columns: Vec<(&'static str, usize)>,
    /// Header names that are not FDA columns of this table (kept for the accounting).
    pub unknown: Vec<String>,
}

/// Why a header could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Neither `primaryid` nor `ISR` is among the columns.
    NoIdColumn,
    /// A column the analysis needs is absent.
    MissingColumn(&'static str),
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderError::NoIdColumn => {
                f.write_str("the header has no primaryid (or legacy ISR) column")
            }
            HeaderError::MissingColumn(c) => write!(f, "the header has no {c} column"),
        }
    }
}

/// Columns without which a table cannot be used.
fn required_columns(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Demo => &["caseid", "fda_dt"],
        TableKind::Drug => &["role_cod", "drugname"],
        TableKind::Reac => &["pt"],
        TableKind::Outc => &["outc_cod"],
        TableKind::Rpsr => &["rpsr_cod"],
        TableKind::Ther => &["dsg_drug_seq", "start_dt"],
        TableKind::Indi => &["indi_pt"],
    }
}

impl Layout {
    /// Parses a header line: strips a UTF-8 BOM, splits on `$`, trims and lower-cases names.
    pub fn parse(kind: TableKind, line: &[u8]) -> Result<Layout, HeaderError> {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let known = known_columns(kind);
        let mut columns = Vec::new();
        let mut unknown = Vec::new();
        let mut era = None;
        let mut width = 0;
        for (i, raw) in line.split(|&b| b == b'$').enumerate() {
            width += 1;
            let name = String::from_utf8_lossy(crate::values::trim(raw)).to_ascii_lowercase();
            if i == 0 && era.is_none() {
                era = match name.as_str() {
                    "isr" => Some(Era::Legacy),
                    "primaryid" => Some(Era::Faers),
                    _ => None,
                };
            }
            let canon = canonical(kind, &name);
            match known.iter().find(|k| **k == canon) {
                Some(k) if !columns.iter().any(|(c, _)| c == k) => columns.push((*k, i)),
                _ if name.is_empty() => {} // a trailing `$` on a header line
                _ => unknown.push(name),
            }
        }
        let era = match era {
            Some(e) => e,
            None if columns.iter().any(|(c, _)| *c == "primaryid") => Era::Faers,
            None => return Err(HeaderError::NoIdColumn),
        };
        let layout = Layout {
            kind,
            era,
            width,
            columns,
            unknown,
        };
        for col in required_columns(kind) {
            // Legacy child tables have no CASE column: they join to DEMO through ISR.
            if layout.index(col).is_none() {
                return Err(HeaderError::MissingColumn(col));
            }
        }
        Ok(layout)
    }

    /// Position of a canonical column.
    pub fn index(&self, canonical: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(c, _)| *c == canonical)
            .map(|&(_, i)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faers_current_demo_header() {
        let h = b"primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country";
        let l = Layout::parse(TableKind::Demo, h).unwrap();
        assert_eq!((l.era, l.width), (Era::Faers, 25));
        assert_eq!(l.index("fda_dt"), Some(7));
        assert_eq!(l.index("occp_cod"), Some(22));
        assert!(l.unknown.is_empty());
    }

    #[test]
    fn legacy_header_maps_isr_case_foll_seq_gndr_cod() {
        let h = b"ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR$AGE$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID";
        let l = Layout::parse(TableKind::Demo, h).unwrap();
        assert_eq!((l.era, l.width), (Era::Legacy, 22));
        assert_eq!(l.index("primaryid"), Some(0));
        assert_eq!(l.index("caseid"), Some(1));
        assert_eq!(l.index("caseversion"), Some(3));
        assert_eq!(l.index("sex"), Some(13));
        assert_eq!(l.index("occp_cod"), Some(18));
        let t =
            Layout::parse(TableKind::Ther, b"ISR$DRUG_SEQ$START_DT$END_DT$DUR$DUR_COD").unwrap();
        assert_eq!(t.index("dsg_drug_seq"), Some(1));
    }

    #[test]
    fn header_quirks_of_2012q4() {
        let drug = b"\xEF\xBB\xBFprimaryid$caseid$drug_seq$role_cod$drugname$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_nbr$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq";
        let l = Layout::parse(TableKind::Drug, drug).unwrap();
        assert_eq!(l.era, Era::Faers);
        assert_eq!(l.index("lot_num"), Some(12));
        let outc = Layout::parse(TableKind::Outc, b"primaryid$caseid$outc_code").unwrap();
        assert_eq!(outc.index("outc_cod"), Some(2));
        let demo = Layout::parse(
            TableKind::Demo,
            b"primaryid$caseid$caseversion$fda_dt$ rept_dt$gndr_cod",
        )
        .unwrap();
        assert_eq!(demo.index("rept_dt"), Some(4));
        assert_eq!(demo.index("sex"), Some(5));
    }

    #[test]
    fn unknown_and_missing_columns() {
        let l = Layout::parse(TableKind::Reac, b"isr$pt$v3").unwrap();
        assert_eq!(l.unknown, vec!["v3".to_string()]);
        assert_eq!(
            Layout::parse(TableKind::Reac, b"primaryid$caseid$drug_rec_act").unwrap_err(),
            HeaderError::MissingColumn("pt")
        );
        assert_eq!(
            Layout::parse(TableKind::Reac, b"foo$bar").unwrap_err(),
            HeaderError::NoIdColumn
        );
    }
}
