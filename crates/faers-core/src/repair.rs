//! Rules that mend FDA's documented broken lines (faers-format.md §6), stated generally.
//!
//! FDA's files have three kinds of damage, each seen in several quarters:
//! - **a record broken across lines** (legacy DEMO, DRUG, OUTC): a line with too few fields
//!   that the next line(s) complete exactly;
//! - **two records on one line** (2011Q2–Q4 DRUG: a missing line break): a legacy line with
//!   exactly two records' worth of fields;
//! - **a `$` inside a text field** (2012Q1 DEMO `JP-CUBIST-$E2B…` in MFR_NUM): one field too
//!   many, where joining one free-text field with its neighbour is the only way to make
//!   every typed column (ids, dates, codes) valid again.
//!
//! No line number or quarter is listed anywhere: a rule applies wherever its shape is
//! found and the result validates, and every use is reported as a repaired line. A line
//! that fits no rule, or fits one ambiguously, is skipped and reported.

use crate::members::TableKind;
use crate::schema::Layout;
use crate::values::{parse_f64, parse_u64, trim, Date};

/// Field spans `(start, end)` of a line.
pub type Spans = [(u32, u32)];

/// Free-text columns of each table: the only places an embedded `$` is looked for.
fn free_text_columns(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Demo => &["mfr_num", "mfr_sndr", "auth_num", "lit_ref"],
        TableKind::Drug => &[
            "drugname",
            "prod_ai",
            "route",
            "dose_vbm",
            "cum_dose_chr",
            "lot_num",
            "dose_form",
            "dose_freq",
            "dose_unit",
        ],
        TableKind::Reac => &["pt"],
        TableKind::Indi => &["indi_pt"],
        TableKind::Outc | TableKind::Rpsr | TableKind::Ther => &[],
    }
}

/// Do the typed columns of a row hold values of their type? Used only to decide between
/// repair candidates, never to reject an ordinary line.
pub fn plausible(layout: &Layout, line: &[u8], spans: &Spans) -> bool {
    if spans.len() != layout.width {
        return false;
    }
    let field = |name: &str| {
        layout
            .index(name)
            .map(|i| trim(&line[spans[i].0 as usize..spans[i].1 as usize]))
    };
    let digits = |name: &str, required: bool| match field(name) {
        Some([]) => !required,
        Some(f) => parse_u64(f).is_some(),
        None => true,
    };
    let date = |name: &str| field(name).is_none_or(|f| Date::parse(f).is_ok());
    let one_of = |name: &str, codes: &[&[u8]]| {
        field(name).is_none_or(|f| f.is_empty() || codes.iter().any(|c| f.eq_ignore_ascii_case(c)))
    };
    let number = |name: &str| field(name).is_none_or(|f| f.is_empty() || parse_f64(f).is_some());
    let short_code = |name: &str| {
        field(name).is_none_or(|f| f.len() <= 5 && f.iter().all(|b| b.is_ascii_alphanumeric()))
    };
    if !digits("primaryid", true) {
        return false;
    }
    match layout.kind {
        TableKind::Demo => {
            digits("caseid", false)
                && field("fda_dt")
                    .is_none_or(|f| f.is_empty() || (f.len() == 8 && Date::parse(f).is_ok()))
                && one_of("rept_cod", &[b"EXP", b"PER", b"DIR", b"5DAY", b"30DAY"])
                && ["event_dt", "mfr_dt", "init_fda_dt", "rept_dt"]
                    .iter()
                    .all(|c| date(c))
                && number("age")
                && short_code("age_cod")
                && short_code("sex")
                && short_code("occp_cod")
                && one_of("e_sub", &[b"Y", b"N"])
                && one_of("to_mfr", &[b"Y", b"N"])
                && number("wt")
                && short_code("wt_cod")
        }
        TableKind::Drug => {
            digits("drug_seq", true)
                && one_of("role_cod", &[b"PS", b"SS", b"C", b"I", b"DN"])
                && one_of("val_vbm", &[b"1", b"2"])
                && one_of("dechal", &[b"Y", b"N", b"U", b"D"])
                && one_of("rechal", &[b"Y", b"N", b"U", b"D"])
        }
        TableKind::Ther => digits("dsg_drug_seq", false) && date("start_dt") && date("end_dt"),
        TableKind::Indi => digits("indi_drug_seq", false),
        TableKind::Outc => one_of(
            "outc_cod",
            &[b"DE", b"LT", b"HO", b"DS", b"CA", b"RI", b"OT"],
        ),
        TableKind::Reac | TableKind::Rpsr => true,
    }
}

/// A mended row: the joined column's position and name, and the new spans.
type Candidate = (usize, &'static str, Vec<(u32, u32)>);

/// A line with one field too many: the free-text column whose joining with the next field
/// makes the row plausible, with the mended spans. When neighbouring free-text columns
/// (say MFR_NUM and MFR_SNDR) both qualify, the typed columns come out the same either way,
/// so the leftmost is taken; candidates separated by a typed column are ambiguous and
/// give `None`.
pub fn embedded_dollar(
    layout: &Layout,
    line: &[u8],
    spans: &Spans,
) -> Option<(&'static str, Vec<(u32, u32)>)> {
    if spans.len() != layout.width + 1 {
        return None;
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for &column in free_text_columns(layout.kind) {
        let Some(c) = layout.index(column) else {
            continue;
        };
        let mut mended: Vec<(u32, u32)> = Vec::with_capacity(layout.width);
        mended.extend_from_slice(&spans[..c]);
        mended.push((spans[c].0, spans[c + 1].1));
        mended.extend_from_slice(&spans[c + 2..]);
        if plausible(layout, line, &mended) {
            candidates.push((c, column, mended));
        }
    }
    candidates.sort_by_key(|c| c.0);
    let (first, last) = (candidates.first()?.0, candidates.last()?.0);
    if last - first != candidates.len() - 1 {
        return None;
    }
    let (_, column, mended) = candidates.swap_remove(0);
    Some((column, mended))
}

/// A legacy line carrying two whole records (a lost line break): their spans, if both halves
/// are plausible.
pub fn two_records(layout: &Layout, line: &[u8], spans: &Spans) -> Option<[Vec<(u32, u32)>; 2]> {
    let w = layout.width;
    if spans.len() != 2 * w {
        return None;
    }
    let (first, second) = (spans[..w].to_vec(), spans[w..].to_vec());
    (plausible(layout, line, &first) && plausible(layout, line, &second)).then_some([first, second])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEGACY_DEMO: &[u8] = b"ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR$AGE$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID$REPORTER_COUNTRY";

    fn spans(line: &[u8]) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        let mut start = 0;
        for (i, b) in line.iter().enumerate() {
            if *b == b'$' {
                v.push((start as u32, i as u32));
                start = i + 1;
            }
        }
        v.push((start as u32, line.len() as u32));
        v
    }

    #[test]
    fn dollar_in_mfr_num_of_2012q1_is_mended_at_mfr_num() {
        let layout = Layout::parse(TableKind::Demo, LEGACY_DEMO).unwrap();
        // ISR 8129732, CASE 8401177, MFR_NUM "JP-CUBIST-$E2B0000000182" (DEMO12Q1 line 105917).
        let line = b"8129732$8401177$I$$8129732-9$20111220$20120105$20120110$EXP$JP-CUBIST-$E2B0000000182$CUBIST$67$YR$M$Y$$$20120105$MD$$$$JAPAN";
        let s = spans(line);
        assert_eq!(s.len(), 24);
        let (column, mended) = embedded_dollar(&layout, line, &s).unwrap();
        assert_eq!(column, "mfr_num");
        let (a, b) = mended[9];
        assert_eq!(&line[a as usize..b as usize], b"JP-CUBIST-$E2B0000000182");
        assert!(plausible(&layout, line, &mended));
    }

    #[test]
    fn a_dollar_that_cannot_be_placed_is_not_guessed() {
        let layout = Layout::parse(TableKind::Demo, LEGACY_DEMO).unwrap();
        // The extra field sits among typed columns (inside FDA_DT): no text column fixes it.
        let line = b"8129732$8401177$I$$8129732-9$20111220$20120105$2012$0110$EXP$X$CUBIST$67$YR$M$Y$$$20120105$MD$$$$JAPAN";
        assert_eq!(embedded_dollar(&layout, line, &spans(line)), None);
    }

    #[test]
    fn two_legacy_drug_records_on_one_line_are_split() {
        let layout = Layout::parse(
            TableKind::Drug,
            b"ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT$NDA_NUM",
        )
        .unwrap();
        // DRUG11Q2 line 322967: BLEOMYCIN SULFATE and DOXORUBICIN of ISR 7475791.
        let line = b"7475791$1016572489$PS$BLEOMYCIN SULFATE$1$INTRAVENOUS$$$$$$$7475791$1016572490$SS$DOXORUBICIN$1$INTRAVENOUS$$$$$$$";
        let mut s = spans(line);
        assert_eq!(s.len(), 25);
        s.pop(); // the trailing '$', as the table reader drops it
        let [first, second] = two_records(&layout, line, &s).unwrap();
        let field = |sp: &[(u32, u32)], i: usize| &line[sp[i].0 as usize..sp[i].1 as usize];
        assert_eq!(field(&first, 3), b"BLEOMYCIN SULFATE");
        assert_eq!(field(&second, 0), b"7475791");
        assert_eq!(field(&second, 3), b"DOXORUBICIN");
    }
}
