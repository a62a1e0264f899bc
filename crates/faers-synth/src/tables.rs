//! The seven FAERS tables (current "F-B" layout, 2014Q3 on): exact headers, member names, and
//! a row writer that streams `$`-separated, CRLF-terminated rows in chunks into per-table
//! deflate compressors.

use std::io::{self, Write};
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::PreparedZipFile;

/// The tables, in the order their members are written into the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// Demographics: one row per report (case version).
    Demo = 0,
    /// Drugs of each report.
    Drug = 1,
    /// Reactions (MedDRA PTs).
    Reac = 2,
    /// Outcomes.
    Outc = 3,
    /// Report sources.
    Rpsr = 4,
    /// Therapy dates per drug.
    Ther = 5,
    /// Indications per drug.
    Indi = 6,
}

/// All tables in member order.
pub(crate) const TABLES: [Table; 7] = [
    Table::Demo,
    Table::Drug,
    Table::Reac,
    Table::Outc,
    Table::Rpsr,
    Table::Ther,
    Table::Indi,
];

impl Table {
    /// Upper-case stem of the member name (`DEMO`, `DRUG`, …).
    pub(crate) const fn stem(self) -> &'static str {
        match self {
            Table::Demo => "DEMO",
            Table::Drug => "DRUG",
            Table::Reac => "REAC",
            Table::Outc => "OUTC",
            Table::Rpsr => "RPSR",
            Table::Ther => "THER",
            Table::Indi => "INDI",
        }
    }

    /// The exact header line (without line terminator) of the F-B layout.
    pub(crate) const fn header(self) -> &'static str {
        match self {
            Table::Demo => "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country",
            Table::Drug => "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq",
            Table::Reac => "primaryid$caseid$pt$drug_rec_act",
            Table::Outc => "primaryid$caseid$outc_cod",
            Table::Rpsr => "primaryid$caseid$rpsr_cod",
            Table::Ther => "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod",
            Table::Indi => "primaryid$caseid$indi_drug_seq$indi_pt",
        }
    }
}

/// `yyQn` as used in member names, e.g. `24Q1`.
pub(crate) fn member_suffix(year: u16, quarter: u8) -> String {
    format!("{:02}Q{}", year % 100, quarter)
}

/// Member path of a table, e.g. `ASCII/DEMO24Q1.txt`.
pub(crate) fn member_name(table: Table, year: u16, quarter: u8) -> String {
    format!("ASCII/{}{}.txt", table.stem(), member_suffix(year, quarter))
}

/// Member path of the deleted-case list, e.g. `Deleted/DELETE24Q1.txt`.
pub(crate) fn deleted_member_name(year: u16, quarter: u8) -> String {
    format!("Deleted/DELETE{}.txt", member_suffix(year, quarter))
}

/// Zip options used for every member: deflate, fixed timestamp (1980-01-01) for
/// byte-identical output.
pub(crate) fn member_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
}

/// Size at which a table's pending rows are handed to its compressor.
const CHUNK: usize = 256 * 1024;

/// Per-table row buffers and compressors, plus row and byte counts.
pub(crate) struct TableWriter {
    bufs: [Vec<u8>; 7],
    rows: [u64; 7],
    bytes: [u64; 7],
    builders: Vec<ZipFileBuilder>,
}

impl TableWriter {
    /// Opens one compressor per table and writes each header line.
    pub(crate) fn new(year: u16, quarter: u8) -> io::Result<Self> {
        let mut builders = Vec::with_capacity(7);
        for t in TABLES {
            builders.push(
                ZipFileBuilder::new(member_name(t, year, quarter), member_options())
                    .map_err(io::Error::other)?,
            );
        }
        let mut w = TableWriter {
            bufs: std::array::from_fn(|_| Vec::with_capacity(CHUNK + 4096)),
            rows: [0; 7],
            bytes: [0; 7],
            builders,
        };
        for t in TABLES {
            let buf = &mut w.bufs[t as usize];
            buf.extend_from_slice(t.header().as_bytes());
            buf.extend_from_slice(b"\r\n");
        }
        Ok(w)
    }

    /// The buffer to append the fields of a new row of `table` to.
    #[inline]
    pub(crate) fn buf(&mut self, table: Table) -> &mut Vec<u8> {
        &mut self.bufs[table as usize]
    }

    /// Terminates the current row of `table` with CRLF and counts it.
    #[inline]
    pub(crate) fn end_row(&mut self, table: Table) -> io::Result<()> {
        let i = table as usize;
        self.bufs[i].extend_from_slice(b"\r\n");
        self.rows[i] += 1;
        if self.bufs[i].len() >= CHUNK {
            self.flush(i)?;
        }
        Ok(())
    }

    fn flush(&mut self, i: usize) -> io::Result<()> {
        self.builders[i].write_all(&self.bufs[i])?;
        self.bytes[i] += self.bufs[i].len() as u64;
        self.bufs[i].clear();
        Ok(())
    }

    /// Flushes and finishes every compressor. Returns the prepared members (in table order),
    /// the data-row counts and the uncompressed byte counts.
    pub(crate) fn finish(mut self) -> io::Result<(Vec<PreparedZipFile>, [u64; 7], [u64; 7])> {
        for i in 0..7 {
            self.flush(i)?;
        }
        let mut prepared = Vec::with_capacity(7);
        for b in self.builders {
            prepared.push(b.finish().map_err(io::Error::other)?);
        }
        Ok((prepared, self.rows, self.bytes))
    }
}

/// Appends `$`.
#[inline]
pub(crate) fn sep(buf: &mut Vec<u8>) {
    buf.push(b'$');
}

/// Appends a text field followed by `$`.
#[inline]
pub(crate) fn field(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'$');
}

/// Appends an unsigned decimal number.
#[inline]
pub(crate) fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Appends an unsigned number padded with leading zeros to `width` digits.
#[inline]
pub(crate) fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut m = n;
    loop {
        i -= 1;
        tmp[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    for _ in (tmp.len() - i)..width {
        buf.push(b'0');
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Appends a fixed-point number given in hundredths, without trailing zeros
/// (`6674` → `66.74`, `6650` → `66.5`, `6600` → `66`).
pub(crate) fn push_hundredths(buf: &mut Vec<u8>, h: u64) {
    push_u64(buf, h / 100);
    let frac = h % 100;
    if frac != 0 {
        buf.push(b'.');
        buf.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            buf.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Appends the key prefix every row starts with: `primaryid$caseid$`, where primaryid is the
/// decimal concatenation of caseid and caseversion.
#[inline]
pub(crate) fn push_keys(buf: &mut Vec<u8>, caseid: u32, version: u16) {
    push_u64(buf, u64::from(caseid));
    push_u64(buf, u64::from(version));
    sep(buf);
    push_u64(buf, u64::from(caseid));
    sep(buf);
}

/// Letter case in which a free-text name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// As stored (upper case for drug names, MedDRA case for PTs).
    AsIs,
    /// All upper case.
    Upper,
    /// First letter of each word upper, the rest lower (`Doxorubicin Hydrochloride`).
    Title,
    /// First letter upper, the rest lower (`Doxorubicin hydrochloride`).
    Sentence,
    /// All lower case.
    Lower,
}

/// Appends `s` in the given letter case, replacing `\` by `/` when `slash` is set
/// (combination products written as reported, e.g. `Trimethoprim/sulfamethoxazole`).
pub(crate) fn push_cased(buf: &mut Vec<u8>, s: &str, case: Case, slash: bool) {
    let mut word_start = true;
    let mut first = true;
    for &b in s.as_bytes() {
        let b = if slash && b == b'\\' { b'/' } else { b };
        let out = match case {
            Case::AsIs => b,
            Case::Upper => b.to_ascii_uppercase(),
            Case::Lower => b.to_ascii_lowercase(),
            Case::Title => {
                if word_start {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            }
            Case::Sentence => {
                if first {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                }
            }
        };
        buf.push(out);
        word_start = matches!(b, b' ' | b'/' | b'-' | b'(');
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format() {
        let mut v = Vec::new();
        push_u64(&mut v, 0);
        v.push(b' ');
        push_u64(&mut v, 1_401_234_512);
        v.push(b' ');
        push_padded(&mut v, 42, 5);
        v.push(b' ');
        push_hundredths(&mut v, 6674);
        v.push(b' ');
        push_hundredths(&mut v, 6650);
        v.push(b' ');
        push_hundredths(&mut v, 6600);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "0 1401234512 00042 66.74 66.5 66"
        );
    }

    #[test]
    fn keys_concatenate_caseid_and_version() {
        let mut v = Vec::new();
        push_keys(&mut v, 14_012_345, 2);
        push_keys(&mut v, 15_425_177, 19);
        assert_eq!(v, b"140123452$14012345$1542517719$15425177$");
    }

    #[test]
    fn letter_cases() {
        let mut v = Vec::new();
        push_cased(&mut v, "DOXORUBICIN HYDROCHLORIDE", Case::Title, false);
        v.push(b'|');
        push_cased(
            &mut v,
            "SULFAMETHOXAZOLE\\TRIMETHOPRIM",
            Case::Sentence,
            true,
        );
        v.push(b'|');
        push_cased(&mut v, "Febrile neutropenia", Case::Upper, false);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "Doxorubicin Hydrochloride|Sulfamethoxazole/trimethoprim|FEBRILE NEUTROPENIA"
        );
    }

    #[test]
    fn headers_have_the_documented_column_counts() {
        let counts: Vec<usize> = TABLES
            .iter()
            .map(|t| t.header().split('$').count())
            .collect();
        assert_eq!(counts, vec![25, 20, 4, 3, 3, 7, 4]);
        assert_eq!(member_name(Table::Demo, 2024, 1), "ASCII/DEMO24Q1.txt");
        assert_eq!(deleted_member_name(2009, 4), "Deleted/DELETE09Q4.txt");
    }
}
