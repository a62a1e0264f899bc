//! One table member: header, field splitting, field-count checks and repairs.
//!
//! A [`TableReader`] is fed physical lines and hands each data row, as field spans, to a
//! [`RowSink`]. Lines are split on `$` with no quoting. A line whose field count does not
//! match the header goes through the [`crate::repair`] rules; what no rule mends is skipped
//! and listed with its line number.

use crate::lines::Line;
use crate::members::TableKind;
use crate::repair::{embedded_dollar, two_records};
use crate::schema::{Era, Layout};
use crate::summary::{InputSummary, LineAction};
use crate::values::trim;

/// Lines a broken record may span before it is given up.
const MAX_JOINED_LINES: usize = 4;

/// Column positions of one table, resolved once from its header.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cols {
    /// `primaryid` / `ISR`.
    pub primaryid: Option<usize>,
    /// `caseid` / `CASE`.
    pub caseid: Option<usize>,
    /// `caseversion` / `FOLL_SEQ`.
    pub caseversion: Option<usize>,
    /// `fda_dt`.
    pub fda_dt: Option<usize>,
    /// `event_dt`.
    pub event_dt: Option<usize>,
    /// `age`.
    pub age: Option<usize>,
    /// `age_cod`.
    pub age_cod: Option<usize>,
    /// `sex` / `gndr_cod`.
    pub sex: Option<usize>,
    /// `occp_cod`.
    pub occp_cod: Option<usize>,
    /// `drug_seq`.
    pub drug_seq: Option<usize>,
    /// `role_cod`.
    pub role_cod: Option<usize>,
    /// `drugname`.
    pub drugname: Option<usize>,
    /// `prod_ai`.
    pub prod_ai: Option<usize>,
    /// `pt`.
    pub pt: Option<usize>,
    /// `outc_cod` / `outc_code`.
    pub outc_cod: Option<usize>,
    /// `dsg_drug_seq` / legacy THER `DRUG_SEQ`.
    pub dsg_drug_seq: Option<usize>,
    /// `start_dt`.
    pub start_dt: Option<usize>,
    /// `wt`.
    pub wt: Option<usize>,
    /// `wt_cod`.
    pub wt_cod: Option<usize>,
    /// `reporter_country`.
    pub reporter_country: Option<usize>,
    /// `route`, `dose_amt`, `dose_unit`, `dose_form`, `dose_freq`.
    pub details: [Option<usize>; 5],
    /// `drugname` and `prod_ai`, read together ([`Fields::key`]).
    pub product_key: KeyColumns,
    /// [`Self::details`], read together ([`Fields::key`]).
    pub details_key: KeyColumns,
    /// `indi_drug_seq` / legacy INDI `DRUG_SEQ`.
    pub indi_drug_seq: Option<usize>,
    /// `indi_pt`.
    pub indi_pt: Option<usize>,
    /// `rpsr_cod`.
    pub rpsr_cod: Option<usize>,
}

impl Cols {
    fn new(layout: &Layout) -> Cols {
        let i = |name| layout.index(name);
        Cols {
            primaryid: i("primaryid"),
            caseid: i("caseid"),
            caseversion: i("caseversion"),
            fda_dt: i("fda_dt"),
            event_dt: i("event_dt"),
            age: i("age"),
            age_cod: i("age_cod"),
            sex: i("sex"),
            occp_cod: i("occp_cod"),
            drug_seq: i("drug_seq"),
            role_cod: i("role_cod"),
            drugname: i("drugname"),
            prod_ai: i("prod_ai"),
            pt: i("pt"),
            outc_cod: i("outc_cod"),
            dsg_drug_seq: i("dsg_drug_seq"),
            start_dt: i("start_dt"),
            wt: i("wt"),
            wt_cod: i("wt_cod"),
            reporter_country: i("reporter_country"),
            details: crate::store::DRUG_DETAIL_FIELDS.map(i),
            product_key: KeyColumns::new(&[i("drugname"), i("prod_ai")]),
            details_key: KeyColumns::new(&crate::store::DRUG_DETAIL_FIELDS.map(i)),
            indi_drug_seq: i("indi_drug_seq"),
            indi_pt: i("indi_pt"),
            rpsr_cod: i("rpsr_cod"),
        }
    }
}

/// Columns read together as one lookup key: their fields joined with `$`, as a line holds
/// consecutive columns. So each run of consecutive columns is one slice of the line, and a
/// key of several fields is looked up without joining them into a buffer (in WebAssembly
/// each small copy is a call, several per DRUG row).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyColumns {
    /// The first and last column of each run; `None` for a column the table lacks, which
    /// reads as empty.
    runs: [Option<(usize, usize)>; KeyColumns::MAX],
    len: usize,
}

impl KeyColumns {
    /// The most columns a key may have.
    pub const MAX: usize = 5;

    /// `columns` (one to [`Self::MAX`]) in key order, grouped into runs.
    fn new(columns: &[Option<usize>]) -> KeyColumns {
        assert!(
            (1..=Self::MAX).contains(&columns.len()),
            "a key of 1–5 columns"
        );
        let mut key = KeyColumns::default();
        for &column in columns {
            let last_run = key.len.checked_sub(1).and_then(|i| key.runs[i].as_mut());
            match (last_run, column) {
                (Some(run), Some(c)) if c == run.1 + 1 => run.1 = c,
                _ => {
                    key.runs[key.len] = column.map(|c| (c, c));
                    key.len += 1;
                }
            }
        }
        key
    }
}

/// The parts of one row's key ([`Fields::key`]): its fields joined with `$`.
#[derive(Debug, Clone, Copy)]
pub struct KeyParts<'a> {
    parts: [&'a [u8]; KeyColumns::MAX],
    len: usize,
}

impl<'a> KeyParts<'a> {
    /// One slice per run of consecutive columns.
    pub fn parts(&self) -> &[&'a [u8]] {
        &self.parts[..self.len]
    }
}

/// The fields of one data row, as byte ranges into its line.
pub struct Fields<'a> {
    line: &'a [u8],
    spans: &'a [(u32, u32)],
    /// No field holds a `$`, and consecutive fields are one `$` apart in `line`: false for
    /// rows mended by [`embedded_dollar`] or [`two_records`].
    plain: bool,
}

impl<'a> Fields<'a> {
    /// The bytes of a column (empty when the table has no such column).
    pub fn get(&self, col: Option<usize>) -> &'a [u8] {
        match col.and_then(|c| self.spans.get(c)) {
            Some(&(s, e)) => &self.line[s as usize..e as usize],
            None => b"",
        }
    }

    /// The key's fields as slices of the line, one per run of consecutive columns; `None`
    /// for a mended row, whose field might hold a `$` and so be read apart differently.
    pub fn key(&self, key: &KeyColumns) -> Option<KeyParts<'a>> {
        if !self.plain {
            return None;
        }
        let mut parts: [&'a [u8]; KeyColumns::MAX] = [b""; KeyColumns::MAX];
        for (part, run) in parts.iter_mut().zip(&key.runs[..key.len]) {
            if let Some((first, last)) = *run {
                let (Some(&(s, _)), Some(&(_, e))) = (self.spans.get(first), self.spans.get(last))
                else {
                    return None;
                };
                *part = &self.line[s as usize..e as usize];
            }
        }
        Some(KeyParts {
            parts,
            len: key.len,
        })
    }
}

/// Receives the data rows of a table.
pub trait RowSink {
    /// One row; `Err(reason)` skips it (counted and listed).
    fn row(
        &mut self,
        kind: TableKind,
        cols: &Cols,
        fields: &Fields<'_>,
        line: u64,
    ) -> Result<(), String>;
}

/// Reads one table member, line by line.
pub struct TableReader<'m> {
    kind: TableKind,
    member: &'m str,
    layout: Option<Layout>,
    cols: Cols,
    spans: Vec<(u32, u32)>,
    /// A short line waiting to see whether the next line completes it.
    pending: Option<(u64, usize, Vec<u8>)>,
    /// Data rows handed to the sink.
    pub rows: u64,
    /// Why the header could not be used, if it could not.
    pub header_error: Option<String>,
    /// Whether the table's data lines end with a `$` (one empty field more than the header),
    /// decided by its first data line: FDA's legacy layout, and none of the later ones.
    trailing_dollar: Option<bool>,
}

/// Splits on `$`, sixteen bytes at a time: one vector compare gives a bit per `$` (SSE2 on
/// x86-64, SIMD128 in WebAssembly; eight-byte SWAR words elsewhere), and each set bit is one
/// field end. FDA's fields average a few bytes: too short for a search such as `memchr` to
/// pay for its set-up per field (measured: memchr made the whole read ~15% slower, a byte
/// loop ~5%; eight-byte SWAR words 1–4% slower than this, natively and in WebAssembly).
fn split(line: &[u8], spans: &mut Vec<(u32, u32)>) {
    spans.clear();
    let mut start = 0u32;
    let blocks = line.chunks_exact(16);
    let tail = blocks.remainder().len();
    let mut base = 0u32;
    for block in blocks {
        field_ends(
            spans,
            dollars(block.try_into().expect("16 bytes")),
            base,
            &mut start,
        );
        base += 16;
    }
    if tail > 0 && line.len() >= 16 {
        // The last 16 bytes, overlapping the blocks before: their bits past those blocks.
        let last = &line[line.len() - 16..];
        let hits = dollars(last.try_into().expect("16 bytes")) >> (16 - tail);
        field_ends(spans, hits, base, &mut start);
    } else {
        // A line shorter than a block: its bits gathered a byte at a time.
        let hits = line[base as usize..]
            .iter()
            .enumerate()
            .fold(0u32, |hits, (i, &b)| hits | u32::from(b == b'$') << i);
        field_ends(spans, hits, base, &mut start);
    }
    spans.push((start, line.len() as u32));
}

/// The fields ending at the `$`s of one block (bit `i` of `hits` for byte `base + i`): room
/// for all of them is made once, not checked (and the length stored) per field.
#[inline(always)]
fn field_ends(spans: &mut Vec<(u32, u32)>, mut hits: u32, base: u32, start: &mut u32) {
    if hits == 0 {
        return;
    }
    spans.reserve(16);
    let out = spans.spare_capacity_mut();
    let mut n = 0;
    while hits != 0 {
        let pos = base + hits.trailing_zeros();
        out[n].write((*start, pos));
        n += 1;
        *start = pos + 1;
        hits &= hits - 1;
    }
    // SAFETY: the first `n` slots of the spare capacity were written just above.
    unsafe { spans.set_len(spans.len() + n) };
}

/// Bit `i` set where `block[i]` is `$`.
#[inline(always)]
fn dollars(block: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline; the load is unaligned and reads
        // exactly the 16 bytes of `block`.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'$' as i8))) as u32
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use std::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load};
        // One 16-byte load: built from the bytes one by one (`u8x16(b[0], …)`), LLVM emits
        // sixteen lane loads.
        // SAFETY: wasm loads need no alignment, and this reads exactly the 16 bytes of `block`.
        let v = unsafe { v128_load(block.as_ptr().cast::<v128>()) };
        u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'$'))))
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        let (lo, hi) = block.split_at(8);
        swar_dollars(lo.try_into().expect("8 bytes"))
            | swar_dollars(hi.try_into().expect("8 bytes")) << 8
    }
}

/// Bit `i` set where `word[i]` is `$`, with integer arithmetic only.
#[cfg(any(
    test,
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))
))]
fn swar_dollars(word: &[u8; 8]) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const DOLLARS: u64 = 0x2424_2424_2424_2424;
    let x = u64::from_le_bytes(*word) ^ DOLLARS;
    // High bit of each byte set exactly where the byte of `x` is zero, i.e. was `$`.
    let high = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    // Gather the eight high bits into the low byte.
    ((((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32) & 0xff
}

impl<'m> TableReader<'m> {
    /// A reader for `member`, a table of kind `kind`.
    pub fn new(kind: TableKind, member: &'m str) -> Self {
        TableReader {
            kind,
            member,
            layout: None,
            cols: Cols::default(),
            spans: Vec::with_capacity(32),
            pending: None,
            rows: 0,
            header_error: None,
            trailing_dollar: None,
        }
    }

    /// The parsed header, once seen.
    pub fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref()
    }

    /// Feeds one physical line.
    pub fn line(
        &mut self,
        line_no: u64,
        line: Line<'_>,
        sink: &mut impl RowSink,
        summary: &mut InputSummary,
    ) {
        if self.header_error.is_some() {
            return;
        }
        let line = match line {
            Line::Text(t) => t,
            Line::TooLong => {
                self.give_up_pending(summary);
                self.skip(summary, line_no, "line longer than 1 MiB".into());
                return;
            }
        };
        let Some(layout) = &self.layout else {
            match Layout::parse(self.kind, line) {
                Ok(layout) => {
                    self.cols = Cols::new(&layout);
                    self.layout = Some(layout);
                }
                Err(e) => self.header_error = Some(e.to_string()),
            }
            return;
        };
        let width = layout.width;

        if let Some((first, parts, mut joined)) = self.pending.take() {
            joined.extend_from_slice(line);
            split(&joined, &mut self.spans);
            let n = self.trimmed_len();
            if n == width {
                let reason = format!("a record broken across lines {first}–{line_no} was joined");
                self.emit(first, &joined, sink, summary, Some(reason), true);
                return;
            }
            if n < width && parts < MAX_JOINED_LINES {
                self.pending = Some((first, parts + 1, joined));
                return;
            }
            // The next line does not complete it: the short line alone is skipped, and this
            // line is read on its own.
            let short_len = joined.len() - line.len();
            split(&joined[..short_len], &mut self.spans);
            let reason = format!(
                "{} fields where the header has {width}, and the next line does not complete them",
                self.spans.len(),
            );
            self.skip(summary, first, reason);
        }

        if trim(line).is_empty() {
            self.skip(summary, line_no, "blank line".into());
            return;
        }
        split(line, &mut self.spans);
        let n = self.trimmed_len();
        if n == width {
            self.emit(line_no, line, sink, summary, None, true);
        } else if n < width {
            self.pending = Some((line_no, 1, line.to_vec()));
        } else {
            self.repair_long(line_no, line, sink, summary);
        }
    }

    /// Ends the table: a short line still waiting is skipped.
    pub fn finish(&mut self, summary: &mut InputSummary) {
        self.give_up_pending(summary);
    }

    fn give_up_pending(&mut self, summary: &mut InputSummary) {
        if let Some((first, _, joined)) = self.pending.take() {
            split(&joined, &mut self.spans);
            let width = self.layout.as_ref().map_or(0, |l| l.width);
            let reason = format!(
                "{} fields where the header has {width} (an incomplete record at the end of its table)",
                self.spans.len()
            );
            self.skip(summary, first, reason);
        }
    }

    /// Field count after dropping one trailing empty field: FDA's legacy trailing `$`, or
    /// that of a table whose first data line has one. Leaves `self.spans` without it.
    ///
    /// From 2012Q4 FDA's lines have no trailing `$`: there, an empty field too many is taken
    /// for a `$` inside a field (whose last field happens to be empty) and goes to the repair
    /// rules. Dropping it would read every field after that `$` one column off, untold.
    fn trimmed_len(&mut self) -> usize {
        let (width, legacy) = self
            .layout
            .as_ref()
            .map_or((0, false), |l| (l.width, l.era == Era::Legacy));
        let extra_empty =
            self.spans.len() > width && self.spans.last().is_some_and(|&(s, e)| s == e);
        let trailing_dollar = *self
            .trailing_dollar
            .get_or_insert(legacy || (extra_empty && self.spans.len() == width + 1));
        if extra_empty && trailing_dollar {
            self.spans.pop();
        }
        self.spans.len()
    }

    fn repair_long(
        &mut self,
        line_no: u64,
        line: &[u8],
        sink: &mut impl RowSink,
        summary: &mut InputSummary,
    ) {
        let layout = self.layout.as_ref().expect("header seen");
        if let Some((column, mended)) = embedded_dollar(layout, line, &self.spans) {
            self.spans = mended;
            let reason = format!("a '$' inside {column} was kept as text");
            self.emit(line_no, line, sink, summary, Some(reason), false);
            return;
        }
        if layout.era == Era::Legacy {
            if let Some([first, second]) = two_records(layout, line, &self.spans) {
                let reason = "two records on one line (a missing line break) were split".to_owned();
                summary.line_issue(self.member, line_no, LineAction::Repaired, reason);
                for half in [first, second] {
                    self.spans = half;
                    self.emit(line_no, line, sink, summary, None, false);
                }
                return;
            }
        }
        let width = layout.width;
        let reason = format!("{} fields where the header has {width}", self.spans.len());
        self.skip(summary, line_no, reason);
    }

    fn emit(
        &mut self,
        line_no: u64,
        line: &[u8],
        sink: &mut impl RowSink,
        summary: &mut InputSummary,
        repaired: Option<String>,
        plain: bool,
    ) {
        let fields = Fields {
            line,
            spans: &self.spans,
            plain,
        };
        match sink.row(self.kind, &self.cols, &fields, line_no) {
            Ok(()) => {
                self.rows += 1;
                if let Some(reason) = repaired {
                    summary.line_issue(self.member, line_no, LineAction::Repaired, reason);
                }
            }
            Err(reason) => self.skip(summary, line_no, reason),
        }
    }

    fn skip(&self, summary: &mut InputSummary, line_no: u64, reason: String) {
        summary.line_issue(self.member, line_no, LineAction::Skipped, reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::LineSplitter;
    use crate::summary::LineAction;

    /// Collects (line, first field, fourth field) of every row.
    #[derive(Default)]
    struct Collect(Vec<(u64, String, String)>);

    impl RowSink for Collect {
        fn row(&mut self, _: TableKind, _: &Cols, f: &Fields<'_>, line: u64) -> Result<(), String> {
            let s = |i: usize| String::from_utf8_lossy(f.get(Some(i))).into_owned();
            self.0.push((line, s(0), s(3)));
            Ok(())
        }
    }

    fn read(kind: TableKind, text: &[u8]) -> (Collect, InputSummary) {
        let mut reader = TableReader::new(kind, "T");
        let mut sink = Collect::default();
        let mut summary = InputSummary::default();
        let mut splitter = LineSplitter::new();
        let mut cb = |n: u64, l: Line<'_>| reader.line(n, l, &mut sink, &mut summary);
        splitter.push(text, &mut cb);
        splitter.finish(&mut cb);
        reader.finish(&mut summary);
        (sink, summary)
    }

    const LEGACY_DRUG: &str =
        "ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT$NDA_NUM\r\n";

    #[test]
    fn a_key_reads_each_run_of_consecutive_columns_as_one_slice() {
        let key = KeyColumns::new(&[Some(1), Some(4), Some(5), None, Some(6)]);
        let line = b"a$b$c$d$e$f$g";
        let mut spans = Vec::new();
        split(line, &mut spans);
        let fields = Fields {
            line,
            spans: &spans,
            plain: true,
        };
        let parts = fields.key(&key).expect("a plain row");
        let want: [&[u8]; 4] = [b"b", b"e$f", b"", b"g"];
        assert_eq!(parts.parts(), want);
        let mended = Fields {
            plain: false,
            ..fields
        };
        assert!(mended.key(&key).is_none());
    }

    /// Every field of every row read.
    #[derive(Default)]
    struct Rows(Vec<Vec<String>>);

    impl RowSink for Rows {
        fn row(&mut self, _: TableKind, _: &Cols, f: &Fields<'_>, _: u64) -> Result<(), String> {
            let fields =
                (0..f.spans.len()).map(|i| String::from_utf8_lossy(f.get(Some(i))).into_owned());
            self.0.push(fields.collect());
            Ok(())
        }
    }

    fn read_rows(kind: TableKind, text: &str) -> (Vec<Vec<String>>, InputSummary) {
        let mut reader = TableReader::new(kind, "T");
        let (mut sink, mut summary) = (Rows::default(), InputSummary::default());
        let mut splitter = LineSplitter::new();
        let mut each = |n: u64, l: Line<'_>| reader.line(n, l, &mut sink, &mut summary);
        splitter.push(text.as_bytes(), &mut each);
        splitter.finish(&mut each);
        reader.finish(&mut summary);
        (sink.0, summary)
    }

    /// From 2012Q4 a line has no trailing `$`: an empty field too many is a `$` inside a field
    /// whose row ends empty, mended (or skipped), never read a column off.
    #[test]
    fn a_dollar_inside_a_field_of_a_row_ending_empty_is_mended() {
        let drug = "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq\n\
                    1$1$1$PS$ASPIRIN$ASPIRIN$1$Oral$$$$Y$N$$$$$$TABLET$QD\n\
                    2$2$1$PS$AB$C$ASPIRIN$1$Oral$$$$Y$N$$$$$$TABLET$\n";
        let (rows, s) = read_rows(TableKind::Drug, drug);
        assert_eq!((s.repaired_lines, s.skipped_lines), (1, 0));
        assert_eq!(rows[1][4..8], ["AB$C", "ASPIRIN", "1", "Oral"]);
        assert_eq!(rows[1].len(), 20);
        let reac = "primaryid$caseid$pt$drug_rec_act\n1$1$Nausea$\n2$2$Weird$PT$\n";
        let (rows, s) = read_rows(TableKind::Reac, reac);
        assert_eq!((s.repaired_lines, s.skipped_lines), (1, 0));
        assert_eq!(rows[1][2..], ["Weird$PT", ""]);
    }

    /// A table whose data lines all end with `$` (as legacy ones do) is read as before,
    /// whatever its era; a legacy line with a `$` inside a field too is still mended.
    #[test]
    fn a_table_whose_lines_end_with_a_dollar_is_read_without_repairs() {
        let reac = "primaryid$caseid$pt$drug_rec_act\n1$1$Nausea$$\n2$2$Rash$$\n";
        let (rows, s) = read_rows(TableKind::Reac, reac);
        assert_eq!((s.repaired_lines, s.skipped_lines), (0, 0));
        assert_eq!(rows, [["1", "1", "Nausea", ""], ["2", "2", "Rash", ""]]);
        let legacy =
            format!("{LEGACY_DRUG}1$11$PS$ASPIRIN$1$ORAL$$$$$$$\r\n2$21$PS$AB$C$1$ORAL$$$$$$$\r\n");
        let (rows, s) = read_rows(TableKind::Drug, &legacy);
        assert_eq!((s.repaired_lines, s.skipped_lines), (1, 0));
        assert_eq!(rows[1][3], "AB$C");
    }

    #[test]
    fn a_record_broken_before_a_dollar_is_joined() {
        let text = format!(
            "{LEGACY_DRUG}1$11$PS$ASPIRIN$1$ORAL$$$$$$$\r\n2$21$PS$ASPIRIN\r\n$1$ORAL$$$$$$$\r\n3$31$C$X$1$ORAL$$$$$$$\r\n"
        );
        let (rows, s) = read(TableKind::Drug, text.as_bytes());
        assert_eq!(
            rows.0
                .iter()
                .map(|r| (r.0, r.1.as_str()))
                .collect::<Vec<_>>(),
            vec![(2, "1"), (3, "2"), (5, "3")]
        );
        assert_eq!((s.repaired_lines, s.skipped_lines), (1, 0));
        assert_eq!(s.line_issues[0].line, 3);
        assert!(s.line_issues[0].reason.contains("lines 3–4"));
    }

    #[test]
    fn merged_records_split_and_unmendable_lines_skipped() {
        let text = format!(
            "{LEGACY_DRUG}7475791$1016572489$PS$BLEOMYCIN SULFATE$1$INTRAVENOUS$$$$$$$7475791$1016572490$SS$DOXORUBICIN$1$INTRAVENOUS$$$$$$$\r\n9$91$PS$X$1$ORAL$$$$$$$$$$\r\n8$81$PS$SHORT\r\n"
        );
        let (rows, s) = read(TableKind::Drug, text.as_bytes());
        let names: Vec<&str> = rows.0.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(names, ["BLEOMYCIN SULFATE", "DOXORUBICIN"]);
        assert_eq!((s.repaired_lines, s.skipped_lines), (1, 2));
        let issues: Vec<(u64, LineAction)> =
            s.line_issues.iter().map(|i| (i.line, i.action)).collect();
        assert_eq!(
            issues,
            vec![
                (2, LineAction::Repaired),
                (3, LineAction::Skipped),
                (4, LineAction::Skipped)
            ]
        );
    }

    #[test]
    fn splitting_matches_a_plain_split_at_every_length_and_position() {
        let mut spans = Vec::new();
        for len in 0..40 {
            for mask in [
                0u64,
                1,
                0x8000_0001,
                0x5555_5555_5555,
                u64::MAX,
                0x0123_4567_89ab_cdef,
            ] {
                let line: Vec<u8> = (0..len)
                    .map(|i| {
                        if mask >> (i % 64) & 1 == 1 {
                            b'$'
                        } else {
                            b'a' + (i % 26) as u8
                        }
                    })
                    .collect();
                split(&line, &mut spans);
                let got: Vec<&[u8]> = spans
                    .iter()
                    .map(|&(s, e)| &line[s as usize..e as usize])
                    .collect();
                let want: Vec<&[u8]> = line.split(|&b| b == b'$').collect();
                assert_eq!(got, want, "len {len} mask {mask:x}");
            }
        }
        // Bytes next to '$' in value (#, %, 0xA4) are not separators.
        let line = b"#%\xa4$\xa4$";
        split(line, &mut spans);
        assert_eq!(spans.len(), line.split(|&b| b == b'$').count());
    }

    proptest::proptest! {
        /// Any line, of any length and with `$`s anywhere (the last block's overlapping read
        /// included), splits as a plain split does.
        #[test]
        fn splitting_matches_a_plain_split(
            line in proptest::collection::vec(proptest::sample::select(b"a$\xa4".to_vec()), 0..100),
        ) {
            let mut spans = vec![(7, 7); 3];
            split(&line, &mut spans);
            let got: Vec<&[u8]> = spans.iter().map(|&(s, e)| &line[s as usize..e as usize]).collect();
            let want: Vec<&[u8]> = line.split(|&b| b == b'$').collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn every_way_of_finding_dollars_agrees() {
        for seed in 0u64..2000 {
            let mut block = [0u8; 16];
            for (i, b) in block.iter_mut().enumerate() {
                let r = seed
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .rotate_left(i as u32 * 4);
                *b = match r % 5 {
                    0 => b'$',
                    1 => 0xa4, // $ with the high bit set
                    2 => b'#',
                    3 => (r >> 8) as u8,
                    _ => b'a',
                };
            }
            let want = block
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'$')
                .fold(0u32, |m, (i, _)| m | 1 << i);
            assert_eq!(dollars(&block), want, "{block:?}");
            let (lo, hi) = block.split_at(8);
            let swar =
                swar_dollars(lo.try_into().unwrap()) | swar_dollars(hi.try_into().unwrap()) << 8;
            assert_eq!(swar, want, "{block:?}");
        }
    }

    #[test]
    fn quotes_hashes_and_apostrophes_are_data() {
        let text = "primaryid$caseid$drug_seq$role_cod$drugname\n1$1$1$PS$\"VITAMINS\" (NOS)\n2$2$1$PS$ENDERS^ #2 'X\n";
        let (rows, s) = read(TableKind::Drug, text.as_bytes());
        assert_eq!(s.skipped_lines, 0);
        assert_eq!(rows.0.len(), 2);
    }
}
