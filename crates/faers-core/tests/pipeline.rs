//! End-to-end checks of the core on zips written here, where the right answer is known by
//! construction: deduplication, deleted cases, selection, the 2×2 tables and bad input.

use std::io::{Cursor, Write};

use faers_core::{AnalysisOptions, DedupMode, DeletedMode, Role, Unit, Workspace};

const DEMO_HEADER: &str = "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country";
const DRUG_HEADER: &str = "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq";
const REAC_HEADER: &str = "primaryid$caseid$pt$drug_rec_act";

/// A DEMO line of the current layout (25 fields) with the fields the analysis reads.
fn demo(
    pid: u64,
    caseid: u64,
    version: u32,
    fda_dt: &str,
    age: &str,
    sex: &str,
    occp: &str,
) -> String {
    let (pid, caseid, version) = (pid.to_string(), caseid.to_string(), version.to_string());
    [
        &pid, &caseid, &version, "I", "20240105", "", "20240110", fda_dt, "EXP", "", "", "", "",
        age, "YR", "", sex, "Y", "", "", "", "", occp, "US", "US",
    ]
    .join("$")
}

/// A DRUG line of the current layout (20 fields).
fn drug(pid: u64, caseid: u64, seq: u32, role: &str, name: &str, ai: &str) -> String {
    let (pid, caseid, seq) = (pid.to_string(), caseid.to_string(), seq.to_string());
    [
        &pid, &caseid, &seq, role, name, ai, "1", "ORAL", "", "", "", "", "", "", "", "", "", "",
        "", "",
    ]
    .join("$")
}

fn reac(pid: u64, caseid: u64, pt: &str) -> String {
    format!("{pid}${caseid}${pt}$")
}

fn zip_bytes(members: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn table(header: &str, rows: &[String]) -> String {
    let mut s = String::from(header);
    s.push_str("\r\n");
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

struct Quarter {
    yyq: &'static str,
    demo: Vec<String>,
    drug: Vec<String>,
    reac: Vec<String>,
    deleted: Option<Vec<u64>>,
}

impl Quarter {
    fn zip(&self) -> Vec<u8> {
        let y = self.yyq;
        let mut members = vec![
            (format!("ASCII/DEMO{y}.txt"), table(DEMO_HEADER, &self.demo)),
            (format!("ASCII/DRUG{y}.txt"), table(DRUG_HEADER, &self.drug)),
            (format!("ASCII/REAC{y}.txt"), table(REAC_HEADER, &self.reac)),
            (
                format!("ASCII/OUTC{y}.txt"),
                "primaryid$caseid$outc_cod\r\n".into(),
            ),
            (
                format!("ASCII/RPSR{y}.txt"),
                "primaryid$caseid$rpsr_cod\r\n".into(),
            ),
            (
                format!("ASCII/THER{y}.txt"),
                "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod\r\n".into(),
            ),
            (
                format!("ASCII/INDI{y}.txt"),
                "primaryid$caseid$indi_drug_seq$indi_pt\r\n".into(),
            ),
        ];
        if let Some(ids) = &self.deleted {
            let mut text = String::from(" \r\n");
            for id in ids {
                text.push_str(&format!("{id}\r\n"));
            }
            members.push((format!("Deleted/DELETE{y}.txt"), text));
        }
        let refs: Vec<(&str, String)> = members
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect();
        zip_bytes(&refs)
    }
}

fn add(ws: &mut Workspace, name: &str, bytes: Vec<u8>) -> faers_core::InputSummary {
    ws.add_zip(name, Cursor::new(bytes), &mut |_, _| {}).clone()
}

fn options(drug: &str) -> AnalysisOptions {
    AnalysisOptions {
        drugs: vec![drug.into()],
        ..AnalysisOptions::default()
    }
}

/// Two quarters:
/// - case 100 v1 (Q1, 1001) and v2 (Q2, 1002): FDA keeps 1002;
/// - case 200: two versions with the same fda_dt in Q1 (2001, 2002) → 2002 (largest id);
/// - case 300 v1 appears verbatim in Q1 and Q2 (3001): one report;
/// - case 400 (Q1) is on Q2's deleted list;
/// - case 500 v3 has an older fda_dt than v2 (5002 in Q2 with 20240601? no: v3 earlier):
///   FDA's rule keeps the latest fda_dt (5002), caseversion mode keeps v3 (5003).
fn two_quarters() -> (Vec<u8>, Vec<u8>) {
    let q1 = Quarter {
        yyq: "24Q1",
        demo: vec![
            demo(1001, 100, 1, "20240110", "70", "F", "MD"),
            demo(2001, 200, 1, "20240215", "30", "M", "PH"),
            demo(2002, 200, 2, "20240215", "30", "M", "PH"),
            demo(3001, 300, 1, "20240301", "10", "F", "CN"),
            demo(4001, 400, 1, "20240301", "50", "M", "MD"),
            demo(5003, 500, 3, "20240101", "", "", ""),
        ],
        drug: vec![
            drug(1001, 100, 1, "PS", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
            drug(2001, 200, 1, "PS", "Inotuzumab ozogamicin", ""),
            drug(2002, 200, 1, "PS", "Inotuzumab ozogamicin", ""),
            drug(3001, 300, 1, "C", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
            drug(3001, 300, 2, "PS", "ASPIRIN", "ASPIRIN"),
            drug(4001, 400, 1, "PS", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
            drug(5003, 500, 1, "PS", "ASPIRIN", "ASPIRIN"),
        ],
        reac: vec![
            reac(1001, 100, "Veno-occlusive liver disease"),
            reac(2001, 200, "Nausea"),
            reac(2002, 200, "VENO-OCCLUSIVE LIVER DISEASE"),
            reac(2002, 200, "Veno-occlusive liver disease"),
            reac(3001, 300, "Nausea"),
            reac(4001, 400, "Veno-occlusive liver disease"),
            reac(5003, 500, "Headache"),
        ],
        deleted: None,
    };
    let q2 = Quarter {
        yyq: "24Q2",
        demo: vec![
            demo(1002, 100, 2, "20240420", "70", "F", "MD"),
            demo(3001, 300, 1, "20240301", "10", "F", "CN"),
            demo(5002, 500, 2, "20240501", "", "", ""),
            demo(6001, 600, 1, "20240510", "", "", ""),
        ],
        drug: vec![
            drug(1002, 100, 1, "PS", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
            drug(3001, 300, 1, "C", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
            drug(3001, 300, 2, "PS", "ASPIRIN", "ASPIRIN"),
            drug(5002, 500, 1, "PS", "ASPIRIN", "ASPIRIN"),
            drug(6001, 600, 1, "PS", "ASPIRIN", "ASPIRIN"),
        ],
        reac: vec![
            reac(1002, 100, "Veno-occlusive liver disease"),
            reac(1002, 100, "Febrile neutropenia"),
            reac(3001, 300, "Nausea"),
            reac(5002, 500, "Headache"),
            reac(6001, 600, "Veno-occlusive liver disease"),
        ],
        deleted: Some(vec![400, 999]),
    };
    (q1.zip(), q2.zip())
}

fn loaded() -> Workspace {
    let (q1, q2) = two_quarters();
    let mut ws = Workspace::new();
    // Loaded newest first: the order of loading must not matter.
    assert_eq!(add(&mut ws, "faers_ascii_2024q2.zip", q2).error, None);
    assert_eq!(add(&mut ws, "faers_ascii_2024q1.zip", q1).error, None);
    ws
}

#[test]
fn fda_rule_funnel_and_two_by_two() {
    let ws = loaded();
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    let c = &r.counts;
    assert_eq!(c.demo_rows, 10);
    assert_eq!(c.distinct_reports, 9); // 3001 twice
    assert_eq!(c.deleted_removed, 1); // 4001
    assert_eq!(c.superseded_removed, 3); // 1001, 2001, 5003
    assert_eq!(c.reports, 5); // 1002, 2002, 3001, 5002, 6001
                              // Targets: 1002 (PS BESPONSA), 2002 (PS Inotuzumab); 3001 has it as C only.
    assert_eq!(c.target_reports, 2);
    let vod = r
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE LIVER DISEASE")
        .unwrap();
    // a: 1002, 2002 (case-folded duplicates count once); c: 6001; d: 3001, 5002.
    assert_eq!((vod.a, vod.b, vod.c, vod.d), (2, 0, 1, 2));
    assert_eq!(vod.measures.ror, None, "b = 0 leaves ROR undefined");
    let fn_ = r
        .signals
        .iter()
        .find(|s| s.pt == "FEBRILE NEUTROPENIA")
        .unwrap();
    assert_eq!((fn_.a, fn_.b, fn_.c, fn_.d), (1, 1, 0, 3));
    assert_eq!(r.signals.len(), 2, "only PTs with a >= 1");
    assert!(r.signals.windows(2).all(|w| w[0].pt < w[1].pt));
    let names: Vec<(&str, &str, u64)> = r
        .matched_names
        .iter()
        .map(|m| (m.name.as_str(), m.field, m.reports))
        .collect();
    assert_eq!(
        names,
        vec![
            ("INOTUZUMAB OZOGAMICIN", "drugname", 1),
            ("INOTUZUMAB OZOGAMICIN", "prod_ai", 1)
        ]
    );
    // Descriptive over the two target reports.
    assert_eq!(r.descriptive.sex["F"], 1);
    assert_eq!(r.descriptive.sex["M"], 1);
    assert_eq!(r.descriptive.age_group["18-44"], 1);
    assert_eq!(r.descriptive.age_group[">=65"], 1);
    assert_eq!(r.descriptive.year["2024"], 2);
    assert_eq!(r.descriptive.reporter["MD"], 1);
    assert_eq!(r.descriptive.reporter["PH"], 1);
}

#[test]
fn coverage_names_the_missing_quarters() {
    let ws = loaded();
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    assert_eq!(r.coverage.quarters, ["2024Q1", "2024Q2"]);
    assert!(r.coverage.missing.is_empty());
    let (q1, _) = two_quarters();
    let q4 = Quarter {
        yyq: "24Q4",
        demo: vec![demo(9001, 900, 1, "20241110", "", "", "")],
        drug: vec![],
        reac: vec![],
        deleted: None,
    };
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q1.zip", q1);
    add(&mut ws, "faers_ascii_2024q4.zip", q4.zip());
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    assert_eq!(r.coverage.missing, ["2024Q2", "2024Q3"]);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("no data loaded for 2024Q2, 2024Q3")));
}

#[test]
fn brand_name_matches_through_drugname_and_role_c_when_asked() {
    let ws = loaded();
    let r = ws.analyze(&options("besponsa")).unwrap();
    assert_eq!(r.counts.target_reports, 1); // 1002 only; 3001 is concomitant
    let mut o = options("besponsa");
    o.roles = vec![Role::PS, Role::SS, Role::C];
    let r = ws.analyze(&o).unwrap();
    assert_eq!(r.counts.target_reports, 2);
}

#[test]
fn other_dedup_modes_and_deleted_ignored() {
    let ws = loaded();
    let mut o = options("aspirin");
    o.dedup = DedupMode::Caseversion;
    let r = ws.analyze(&o).unwrap();
    // Case 500: v3 (5003, older fda_dt) wins on caseversion.
    assert_eq!(r.counts.reports, 5);
    assert_eq!(r.counts.target_reports, 3); // 3001, 5003, 6001
    o.dedup = DedupMode::None;
    o.deleted = DeletedMode::Ignore;
    let r = ws.analyze(&o).unwrap();
    assert_eq!(
        (
            r.counts.distinct_reports,
            r.counts.deleted_removed,
            r.counts.superseded_removed,
            r.counts.reports
        ),
        (9, 0, 0, 9)
    );
    assert_eq!(r.counts.target_reports, 4); // 3001, 5002, 5003, 6001
}

#[test]
fn pairs_unit_counts_report_pt_pairs() {
    let ws = loaded();
    let mut o = options("inotuzumab");
    o.unit = Unit::Pairs;
    let r = ws.analyze(&o).unwrap();
    // Kept pairs: 1002 {VOD, FN}, 2002 {VOD}, 3001 {Nausea}, 5002 {Headache}, 6001 {VOD} = 6.
    assert_eq!((r.counts.pairs, r.counts.target_pairs), (6, 3));
    let vod = r
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE LIVER DISEASE")
        .unwrap();
    assert_eq!((vod.a, vod.b, vod.c, vod.d), (2, 1, 1, 2));
}

#[test]
fn same_inputs_give_identical_json() {
    let a = serde_json::to_string(&loaded().analyze(&options("inotuzumab")).unwrap()).unwrap();
    let b = serde_json::to_string(&loaded().analyze(&options("inotuzumab")).unwrap()).unwrap();
    assert_eq!(a, b);
    assert!(a.contains("\"signal_rule\":\"a >= 3 and ror_lower > 1\""));
}

#[test]
fn bad_files_are_reported_by_name_and_the_rest_is_analysed() {
    let (q1, q2) = two_quarters();
    let mut ws = Workspace::new();
    let s = add(&mut ws, "notes.zip", b"just some text".to_vec());
    assert!(
        s.error
            .as_deref()
            .unwrap()
            .starts_with("notes.zip: not a zip"),
        "{:?}",
        s.error
    );
    let mut truncated = q1.clone();
    truncated.truncate(q1.len() / 2);
    let s = add(&mut ws, "faers_ascii_2024q1-part.zip", truncated);
    assert!(s
        .error
        .as_deref()
        .unwrap()
        .contains("faers_ascii_2024q1-part.zip"));
    let s = add(
        &mut ws,
        "faers_xml_2024q1.zip",
        zip_bytes(&[("XML/1_ADR24Q1.xml", "<ichicsr/>".into())]),
    );
    assert!(
        s.error
            .as_deref()
            .unwrap()
            .contains("no FAERS ASCII tables"),
        "{:?}",
        s.error
    );
    assert_eq!(
        add(&mut ws, "faers_ascii_2024q1.zip", q1.clone()).error,
        None
    );
    let s = add(&mut ws, "copy of faers_ascii_2024q1.zip", q1);
    assert!(
        s.error.as_deref().unwrap().contains("already loaded"),
        "{:?}",
        s.error
    );
    assert_eq!(add(&mut ws, "faers_ascii_2024q2.zip", q2).error, None);
    assert_eq!(ws.inputs().len(), 6);
    assert_eq!(ws.quarters().len(), 2);
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    assert_eq!(r.counts.reports, 5);
    assert_eq!(r.inputs.len(), 6, "failed files stay listed in the result");
}

#[test]
fn broken_lines_are_skipped_and_listed_with_their_line_numbers() {
    let q = Quarter {
        yyq: "24Q1",
        demo: vec![
            demo(1001, 100, 1, "20240110", "70", "F", "MD"),
            "1002$100$2$I".into(), // too few fields: line 3
            demo(1003, 101, 1, "2024011", "40", "M", "MD"), // bad fda_dt: kept, counted
        ],
        drug: vec![
            drug(1001, 100, 1, "PS", "X", ""),
            drug(7777, 777, 1, "PS", "Y", ""), // no such report: line 3
        ],
        reac: vec![reac(1001, 100, "Nausea"), reac(1003, 101, "")],
        deleted: None,
    };
    let mut ws = Workspace::new();
    let bytes = q.zip();
    let s = add(&mut ws, "faers_ascii_2024q1.zip", bytes.clone());
    // Two threads (DRUG apart) account for every line exactly as one thread does.
    let (split, _) = faers_core::ingest::read_zip_split(
        "faers_ascii_2024q1.zip",
        || Ok(Cursor::new(bytes.as_slice())),
        None,
    );
    assert_eq!(split, s);
    assert_eq!(s.error, None);
    assert_eq!(s.tables["DEMO"], 2);
    assert_eq!(
        s.tables["DRUG"], 2,
        "a row of no report is read, and reported"
    );
    assert_eq!(s.tables["REAC"], 1);
    assert_eq!(s.skipped_lines, 2);
    let issues: Vec<(&str, u64)> = s
        .line_issues
        .iter()
        .map(|i| (i.member.as_str(), i.line))
        .collect();
    assert_eq!(
        issues,
        vec![("ASCII/DEMO24Q1.txt", 3), ("ASCII/REAC24Q1.txt", 3)]
    );
    assert!(
        s.warnings.iter().any(|w| w
            .starts_with("DRUG: 1 row(s) name a primaryid that is not in DEMO")
            && w.contains("line 3")),
        "{:?}",
        s.warnings
    );
    assert!(s.line_issues[0]
        .reason
        .contains("4 fields where the header has 25"));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("DEMO fda_dt") && w.contains("line 4")),
        "{:?}",
        s.warnings
    );
}

/// A primaryid given twice in DEMO, right after itself or after later ids, keeps its first
/// row (the repeat is skipped and listed), and the other tables join that row.
#[test]
fn a_repeated_primaryid_keeps_its_first_demo_row() {
    let q = Quarter {
        yyq: "24Q1",
        demo: vec![
            demo(1001, 100, 1, "20240110", "70", "F", "MD"),
            demo(1001, 100, 2, "20240111", "71", "M", "MD"), // line 3: repeated at once
            demo(1005, 105, 1, "20240110", "40", "M", "MD"),
            demo(1003, 103, 1, "20240110", "50", "F", "MD"), // early: out of order, kept
            demo(1003, 103, 2, "20240112", "51", "M", "MD"), // line 6: repeated out of order
            demo(1001, 100, 3, "20240113", "72", "M", "MD"), // line 7: repeated, far back
        ],
        drug: vec![
            drug(1001, 100, 1, "PS", "X", ""),
            drug(1003, 103, 1, "PS", "X", ""),
            drug(1005, 105, 1, "PS", "Y", ""),
        ],
        reac: vec![
            reac(1001, 100, "Nausea"),
            reac(1003, 103, "Nausea"),
            reac(1005, 105, "Rash"),
        ],
        deleted: None,
    };
    let bytes = q.zip();
    let mut ws = Workspace::new();
    let s = add(&mut ws, "faers_ascii_2024q1.zip", bytes.clone());
    let (split, _) = faers_core::ingest::read_zip_split(
        "faers_ascii_2024q1.zip",
        || Ok(Cursor::new(bytes.as_slice())),
        None,
    );
    assert_eq!(split, s);
    assert_eq!(s.tables["DEMO"], 3);
    let skipped: Vec<(u64, &str)> = s
        .line_issues
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                3,
                "primaryid 1001 has an earlier DEMO row; the first row was kept"
            ),
            (
                6,
                "primaryid 1003 has an earlier DEMO row; the first row was kept"
            ),
            (
                7,
                "primaryid 1001 has an earlier DEMO row; the first row was kept"
            ),
        ]
    );
    assert!(
        s.warnings.iter().all(|w| !w.contains("not in DEMO")),
        "every child row joined a report: {:?}",
        s.warnings
    );
    let result = ws.analyze(&options("X")).unwrap();
    assert_eq!(result.counts.target_reports, 2);
}

#[test]
fn analysis_errors_are_words() {
    let ws = Workspace::new();
    assert_eq!(
        ws.analyze(&options("x")).unwrap_err().to_string(),
        "no FAERS quarter is loaded: add at least one readable zip"
    );
    let ws = loaded();
    assert!(ws
        .analyze(&options("  "))
        .unwrap_err()
        .to_string()
        .contains("drug name"));
    let r = ws.analyze(&options("nosuchdrug")).unwrap();
    assert_eq!(r.counts.target_reports, 0);
    assert!(r.warnings[0].contains("NOSUCHDRUG"));
}

/// The study's Table 1 (CASEID 4070800, legacy 2004Q1): FDA's rule keeps ISR 4314767.
/// Legacy data lines end with the trailing `$` of FDA's legacy layout.
#[test]
fn study_table_1_legacy_case_keeps_the_latest_fda_dt() {
    let header = "ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR$AGE$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID";
    let row = |isr: u64, fda_dt: &str| {
        let isr = isr.to_string();
        let fields = [
            isr.as_str(),
            "4070800",
            "F",
            "",
            "",
            "",
            "",
            fda_dt,
            "EXP",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "N",
        ];
        fields.join("$") + "$"
    };
    let rows: Vec<String> = [
        (4271953, "20040113"),
        (4271960, "20040113"),
        (4283861, "20040130"),
        (4314767, "20040308"),
    ]
    .iter()
    .map(|(i, d)| row(*i, d))
    .collect();
    // 22 header fields; each data line has 23 (the trailing '$').
    for r in &rows {
        assert_eq!(r.split('$').count(), 23, "{r}");
    }
    let drugs: Vec<String> = [4271953u64, 4271960, 4283861, 4314767]
        .iter()
        .map(|i| format!("{i}$100{i}$PS$MYLOTARG$1$IV$$$$$$$"))
        .collect();
    let reacs: Vec<String> = [4271953u64, 4271960, 4283861, 4314767]
        .iter()
        .map(|i| format!("{i}$VENOOCCLUSIVE DISEASE$"))
        .collect();
    let bytes = zip_bytes(&[
        ("ascii/DEMO04Q1.TXT", table(header, &rows)),
        (
            "ascii/DRUG04Q1.TXT",
            table(
                "ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT$NDA_NUM",
                &drugs,
            ),
        ),
        ("ascii/REAC04Q1.TXT", table("ISR$PT", &reacs)),
    ]);
    let mut ws = Workspace::new();
    let s = add(&mut ws, "aers_ascii_2004q1.zip", bytes);
    assert_eq!(s.error, None);
    assert_eq!(s.era.as_deref(), Some("legacy"));
    assert_eq!(
        (s.skipped_lines, s.repaired_lines),
        (0, 0),
        "{:?}",
        s.line_issues
    );
    assert_eq!(
        (s.tables["DEMO"], s.tables["DRUG"], s.tables["REAC"]),
        (4, 4, 4)
    );
    let r = ws.analyze(&options("mylotarg")).unwrap();
    assert_eq!(
        (
            r.counts.demo_rows,
            r.counts.superseded_removed,
            r.counts.reports
        ),
        (4, 3, 1)
    );
    let q = &ws.quarters()[0];
    let kept = faers_core::dedup::deduplicate(&[q], DedupMode::Fda, DeletedMode::Apply, false);
    let kept_ids: Vec<u64> = (0..q.reports.len())
        .filter(|&i| kept.kept[0][i])
        .map(|i| q.reports.primaryid.get(i))
        .collect();
    assert_eq!(kept_ids, vec![4314767]);
}

#[test]
fn a_zip_bomb_is_refused_by_name() {
    // 80 MB of one repeated line inflates from well under 1 MB: far beyond FAERS text.
    let mut demo = String::with_capacity(81 << 20);
    demo.push_str(DEMO_HEADER);
    demo.push_str("\r\n");
    while demo.len() < 80 << 20 {
        demo.push_str("$$$$$$$$$$$$$$$$$$$$$$$$\r\n");
    }
    let bytes = zip_bytes(&[("ASCII/DEMO24Q1.txt", demo)]);
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    let mut ws = Workspace::new();
    let s = add(&mut ws, "bomb.zip", bytes);
    let e = s.error.unwrap();
    assert!(
        e.starts_with("bomb.zip: ASCII/DEMO24Q1.txt was not read"),
        "{e}"
    );
    assert!(ws.quarters().is_empty());
}

/// A legacy DEMO row: isr, case, foll_seq, fda_dt, event_dt, age, sex, country.
type LegacyRow<'a> = (
    u64,
    u64,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// A legacy (L-B) quarter: DEMO rows (isr, case, foll_seq, fda_dt, age, sex, country) with
/// FDA's trailing '$', one PS drug and the PTs per report.
fn legacy_zip(yyq: &str, rows: &[LegacyRow<'_>], drug: &str, pts: &[&str]) -> Vec<u8> {
    let header = "ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR$AGE$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID$REPORTER_COUNTRY";
    let demo: Vec<String> = rows
        .iter()
        .map(|(isr, case, foll, fda_dt, event_dt, age, sex, country)| {
            let (isr, case) = (isr.to_string(), case.to_string());
            [
                isr.as_str(),
                &case,
                "F",
                foll,
                "",
                event_dt,
                "",
                fda_dt,
                "EXP",
                "",
                "",
                age,
                "YR",
                sex,
                "Y",
                "",
                "",
                "",
                "MD",
                "",
                "",
                "N",
                country,
            ]
            .join("$")
                + "$"
        })
        .collect();
    let drugs: Vec<String> = rows
        .iter()
        .map(|r| format!("{}$1{}$PS${drug}$1$$$$$$$$", r.0, r.0))
        .collect();
    let reacs: Vec<String> = rows
        .iter()
        .flat_map(|r| pts.iter().map(move |pt| format!("{}${pt}$", r.0)))
        .collect();
    zip_bytes(&[
        (&format!("ascii/DEMO{yyq}.TXT"), table(header, &demo)),
        (
            &format!("ascii/DRUG{yyq}.TXT"),
            table(
                "ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT$NDA_NUM",
                &drugs,
            ),
        ),
        (&format!("ascii/REAC{yyq}.TXT"), table("ISR$PT", &reacs)),
    ])
}

#[test]
fn cross_era_versions_and_retroactive_deletion() {
    // Case 5000001: legacy 2012Q3 (ISR 8000001) and FAERS 2012Q4 (500000112, later fda_dt).
    // Case 5000002: legacy only, deleted by a 2024Q1 list. Case 5000003: legacy, kept.
    let legacy = legacy_zip(
        "12Q3",
        &[
            (8000001, 5000001, "", "20120815", "", "", "", ""),
            (8000002, 5000002, "1", "20120820", "", "", "", ""),
            (8000003, 5000003, "", "20120901", "", "", "", ""),
        ],
        "MYLOTARG",
        &["PYREXIA"],
    );
    let faers12 = Quarter {
        yyq: "12Q4",
        demo: vec![demo(500000112, 5000001, 2, "20121120", "", "", "")],
        drug: vec![drug(
            500000112,
            5000001,
            1,
            "PS",
            "MYLOTARG",
            "GEMTUZUMAB OZOGAMICIN",
        )],
        reac: vec![reac(500000112, 5000001, "Pyrexia")],
        deleted: None,
    };
    let faers24 = Quarter {
        yyq: "24Q1",
        demo: vec![demo(900000011, 9000001, 1, "20240110", "", "", "")],
        drug: vec![drug(900000011, 9000001, 1, "PS", "ASPIRIN", "ASPIRIN")],
        reac: vec![reac(900000011, 9000001, "Nausea")],
        deleted: Some(vec![5000002]),
    };
    let mut ws = Workspace::new();
    assert_eq!(add(&mut ws, "aers_ascii_2012q3.zip", legacy).error, None);
    assert_eq!(
        add(&mut ws, "faers_ascii_2012q4.zip", faers12.zip()).error,
        None
    );
    assert_eq!(
        add(&mut ws, "faers_ascii_2024q1.zip", faers24.zip()).error,
        None
    );
    let r = ws.analyze(&options("mylotarg")).unwrap();
    assert_eq!(
        (
            r.counts.demo_rows,
            r.counts.deleted_removed,
            r.counts.superseded_removed,
            r.counts.reports
        ),
        (5, 1, 1, 3)
    );
    assert_eq!(r.counts.target_reports, 2); // 500000112 and 8000003
    let h = ws.case_history(5000001, &options("mylotarg")).unwrap();
    let fates: Vec<(&str, u64, bool)> = h
        .versions
        .iter()
        .map(|v| (v.quarter.as_str(), v.primaryid, v.kept))
        .collect();
    assert_eq!(
        fates,
        vec![("2012Q4", 500000112, true), ("2012Q3", 8000001, false)]
    );
    assert!(h.versions[1]
        .reason
        .contains("superseded by primaryid 500000112 (2012Q4): a later fda_dt"));
    let h = ws.case_history(5000002, &options("mylotarg")).unwrap();
    assert_eq!(h.deleted_in, ["2024Q1"]);
    assert!(
        h.versions[0].reason.contains("deleted-case list of 2024Q1"),
        "{:?}",
        h
    );
    assert_eq!(h.versions[0].caseversion, 1);
}

#[test]
fn case_history_explains_ties_and_repeated_primaryids() {
    let ws = loaded();
    let h = ws.case_history(200, &options("x")).unwrap();
    let fates: Vec<(u64, bool)> = h.versions.iter().map(|v| (v.primaryid, v.kept)).collect();
    assert_eq!(fates, vec![(2002, true), (2001, false)]);
    assert!(h.versions[1]
        .reason
        .contains("the same fda_dt and a larger primaryid"));
    let h = ws.case_history(300, &options("x")).unwrap();
    assert_eq!(h.versions.len(), 2);
    assert_eq!(
        (h.versions[0].quarter.as_str(), h.versions[0].kept),
        ("2024Q2", true)
    );
    assert!(h.versions[1]
        .reason
        .contains("same primaryid is in a later quarter"));
    let mut o = options("x");
    o.dedup = DedupMode::Caseversion;
    let h = ws.case_history(500, &o).unwrap();
    assert_eq!(h.versions[0].primaryid, 5003);
    assert!(h.versions[1].reason.contains("a higher caseversion"));
    let none = ws.case_history(424242, &o).unwrap();
    assert!(none.versions.is_empty());
}

#[test]
fn rule_based_duplicates_need_every_field_and_never_match_empty_values() {
    // Cases 700 and 701 agree on everything: one is removed (the older fda_dt, 7001).
    // Case 702 is the same but with a blank country: never a duplicate.
    // Case 703 and 704 agree but both have no event date: never duplicates.
    let row = |pid: u64, case: u64, fda: &str, event: &str, country: &str| {
        let (p, c) = (pid.to_string(), case.to_string());
        [
            p.as_str(),
            &c,
            "1",
            "I",
            event,
            "",
            fda,
            fda,
            "EXP",
            "",
            "",
            "",
            "",
            "63",
            "YR",
            "",
            "F",
            "Y",
            "",
            "",
            "",
            "",
            "MD",
            country,
            "US",
        ]
        .join("$")
    };
    let q = Quarter {
        yyq: "24Q1",
        demo: vec![
            row(7001, 700, "20240110", "20231201", "US"),
            row(7011, 701, "20240220", "20231201", "US"),
            row(7021, 702, "20240220", "20231201", ""),
            row(7031, 703, "20240220", "", "US"),
            row(7041, 704, "20240221", "", "US"),
        ],
        drug: [7001, 7011, 7021, 7031, 7041]
            .iter()
            .flat_map(|&p| {
                [
                    drug(p, p / 10, 1, "PS", "BESPONSA", "INOTUZUMAB OZOGAMICIN"),
                    drug(p, p / 10, 2, "C", "ASPIRIN", "ASPIRIN"),
                ]
            })
            .collect(),
        reac: [7001, 7011, 7021, 7031, 7041]
            .iter()
            .map(|&p| reac(p, p / 10, "Sepsis"))
            .collect(),
        deleted: None,
    };
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q1.zip", q.zip());
    let mut o = options("besponsa");
    let r = ws.analyze(&o).unwrap();
    assert_eq!((r.counts.rule_duplicates_removed, r.counts.reports), (0, 5));
    o.rule_dedup = true;
    let r = ws.analyze(&o).unwrap();
    assert_eq!((r.counts.rule_duplicates_removed, r.counts.reports), (1, 4));
    let h = ws.case_history(700, &o).unwrap();
    assert!(!h.versions[0].kept);
    assert!(
        h.versions[0]
            .reason
            .contains("rule-based duplicate of primaryid 7011 (case 701)"),
        "{h:?}"
    );
    assert!(ws.case_history(702, &o).unwrap().versions[0].kept);
    assert!(ws.case_history(703, &o).unwrap().versions[0].kept);
}

#[test]
fn sensitivity_lists_signals_that_flip() {
    // Drug X with PT P in 3 reports of one case (3 versions) and in 1 other case:
    // without dedup a = 4 (a signal is possible), with FDA's rule a = 2 (never a signal).
    let mut demo_rows = Vec::new();
    let mut drug_rows = Vec::new();
    let mut reac_rows = Vec::new();
    for (pid, case, fda) in [
        (1001u64, 100u64, "20240101"),
        (1002, 100, "20240102"),
        (1003, 100, "20240103"),
        (2001, 200, "20240104"),
    ] {
        demo_rows.push(demo(pid, case, (pid % 10) as u32, fda, "", "", ""));
        drug_rows.push(drug(pid, case, 1, "PS", "XDRUG", "XDRUG"));
        reac_rows.push(reac(pid, case, "Rare event"));
    }
    // Three more reports of the drug without the event, so that b > 0.
    for (pid, case) in [(4001u64, 400u64), (5001, 500), (6001, 600)] {
        demo_rows.push(demo(pid, case, 1, "20240105", "", "", ""));
        drug_rows.push(drug(pid, case, 1, "PS", "XDRUG", "XDRUG"));
        reac_rows.push(reac(pid, case, "Nausea"));
    }
    for i in 0..200u64 {
        let (pid, case) = (300001 + i * 10, 30000 + i);
        demo_rows.push(demo(pid, case, 1, "20240110", "", "", ""));
        drug_rows.push(drug(pid, case, 1, "PS", "OTHER", "OTHER"));
        reac_rows.push(reac(
            pid,
            case,
            if i == 0 { "Rare event" } else { "Nausea" },
        ));
    }
    let q = Quarter {
        yyq: "24Q1",
        demo: demo_rows,
        drug: drug_rows,
        reac: reac_rows,
        deleted: None,
    };
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q1.zip", q.zip());
    let variants = faers_core::sensitivity::DedupVariant::standard_set();
    let s = ws.sensitivity(&options("xdrug"), &variants).unwrap();
    assert_eq!(s.variants.len(), 4);
    assert_eq!(s.variants[0].label, "fda + deleted");
    assert_eq!(s.variants[2].label, "none + deleted");
    let row = s.rows.iter().find(|r| r.pt == "RARE EVENT").unwrap();
    assert_eq!(row.cells[0].unwrap().a, 2);
    assert_eq!(row.cells[2].unwrap().a, 4);
    assert!(!row.cells[0].unwrap().signal && row.cells[2].unwrap().signal);
    assert_eq!(s.flipped, ["RARE EVENT"]);
}

#[test]
fn unticked_spellings_and_did_you_mean() {
    let ws = loaded();
    let mut o = options("inotuzumab");
    o.exclude = vec!["Inotuzumab ozogamicin".into()];
    let r = ws.analyze(&o).unwrap();
    // 2002 named the drug only as "Inotuzumab ozogamicin" (drugname, no prod_ai); 1002 also
    // as BESPONSA, but BESPONSA does not contain the term: 1002 matched only via prod_ai.
    assert_eq!(r.counts.target_reports, 0);
    assert_eq!(r.settings.exclude, ["INOTUZUMAB OZOGAMICIN"]);
    let r = ws.analyze(&options("besponza")).unwrap();
    assert_eq!(r.counts.target_reports, 0);
    let s = &r.suggestions[0];
    assert_eq!(s.term, "BESPONZA");
    assert_eq!(s.suggestions[0], "BESPONSA");
    assert!(
        s.suggestions.contains(&"INOTUZUMAB OZOGAMICIN".to_owned()),
        "{s:?}"
    );
    assert!(r.warnings[0].contains("did you mean BESPONSA"));
}

/// A small MedDRA-format fixture written here (MedDRA is never shipped).
fn meddra_fixture() -> faers_core::meddra::Meddra {
    let files = [
        ("meddra_release.asc", "27.0$English$$$\n"),
        (
            "mdhier.asc",
            "10047216$10019809$10019808$10019805$Venoocclusive liver disease$Hepatic vascular disorders$Hepatic and hepatobiliary disorders$Hepatobiliary disorders$Hepat$$10019805$Y$\n\
             10016288$10029363$10018849$10005329$Febrile neutropenia$Neutropenias$White blood cell disorders$Blood and lymphatic system disorders$Blood$$10005329$Y$\n\
             10028813$10028817$10017977$10017947$Nausea$Nausea and vomiting symptoms$Gastrointestinal signs and symptoms$Gastrointestinal disorders$Gastr$$10017947$Y$\n",
        ),
        (
            "llt.asc",
            "10071502$Veno-occlusive liver disease$10047216$$$$$$$Y$$\n",
        ),
    ];
    faers_core::meddra::Meddra::from_files("fixture", files.iter().map(|(n, t)| (*n, t.as_bytes())))
        .unwrap()
}

#[test]
fn meddra_gives_pt_codes_socs_and_signals_per_soc() {
    let mut ws = loaded();
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    assert_eq!(r.by_soc, None);
    assert_eq!(r.settings.meddra, None);
    assert!(r
        .signals
        .iter()
        .all(|s| s.pt_code.is_none() && s.soc.is_none()));
    ws.set_meddra(Some(meddra_fixture()));
    let r = ws.analyze(&options("inotuzumab")).unwrap();
    assert_eq!(r.settings.meddra.as_deref(), Some("27.0"));
    let vod = r
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE LIVER DISEASE")
        .unwrap();
    assert_eq!(vod.pt_code, Some(10047216));
    assert_eq!(vod.meddra_match, Some(faers_core::meddra::MappedBy::Llt));
    assert_eq!(vod.soc.as_deref(), Some("Hepatobiliary disorders"));
    assert_eq!(vod.hlt.as_deref(), Some("Hepatic vascular disorders"));
    let fnp = r
        .signals
        .iter()
        .find(|s| s.pt == "FEBRILE NEUTROPENIA")
        .unwrap();
    assert_eq!(fnp.meddra_match, Some(faers_core::meddra::MappedBy::Pt));
    let socs = r.by_soc.unwrap();
    let names: Vec<(&str, u64, u64)> = socs
        .iter()
        .map(|s| (s.soc.as_str(), s.pts, s.events))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Hepatobiliary disorders", 1, 2),
            ("Blood and lymphatic system disorders", 1, 1)
        ]
    );
    // Clearing the quarters keeps MedDRA loaded.
    ws.clear();
    assert!(ws.meddra().is_some());
}

#[test]
fn a_hash_given_by_the_caller_is_used_as_is() {
    let (q1, _) = two_quarters();
    let mut ws = Workspace::new();
    let own = add(&mut ws, "faers_ascii_2024q1.zip", q1.clone());
    let mut ws2 = Workspace::new();
    let given = ws2
        .add_zip_hashed(
            "faers_ascii_2024q1.zip",
            Cursor::new(q1),
            Some(own.sha256.to_uppercase()),
            &mut |_, _| {},
        )
        .clone();
    assert_eq!(
        given, own,
        "same summary, hash lower-cased, size from the reader"
    );
}

#[test]
fn ebgm_prior_is_fitted_over_every_drug_event_pair() {
    let ws = loaded();
    let mut o = options("inotuzumab");
    o.ebgm = true;
    o.ic = faers_core::options::IcBounds::Exact;
    let r = ws.analyze(&o).unwrap();
    let fit = r.ebgm_fit.as_ref().unwrap();
    // (INOTUZUMAB OZOGAMICIN × VOD, × FN) and (ASPIRIN × NAUSEA, × HEADACHE, × VOD) over the
    // five analysed reports; BESPONSA in 3001 is concomitant, outside PS/SS.
    assert_eq!((fit.pairs, fit.reports, fit.unreported_cells), (5, 5, 0));
    assert!(fit.likelihood.contains("openEBGM"));
    let all = ws
        .analyze(&AnalysisOptions {
            ebgm_likelihood: faers_core::options::EbgmLikelihood::All,
            ..o.clone()
        })
        .unwrap();
    // 2 drugs × 4 PTs = 8 cells, 5 reported.
    assert_eq!(all.ebgm_fit.unwrap().unreported_cells, 3);
    let vod = r
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE LIVER DISEASE")
        .unwrap();
    if fit.prior.is_some() {
        let e = vod.ebgm.unwrap();
        assert!(e.eb05.unwrap() <= e.ebgm.unwrap() && e.ebgm.unwrap() <= e.eb95.unwrap());
    }
    // Exact IC bounds bracket IC; BCPNN is given.
    assert!(vod.measures.ic025.unwrap() < vod.measures.ic.unwrap());
    assert!(vod.measures.ic975.unwrap() > vod.measures.ic.unwrap());
    assert!(vod.measures.bcpnn.is_some() && vod.measures.bcpnn_lower.is_some());
}

#[test]
fn edge_cases_single_report_and_empty_data() {
    // One report, target, with one PT: a = N = 1, b = c = d = 0.
    let q = Quarter {
        yyq: "24Q1",
        demo: vec![demo(1001, 100, 1, "20240110", "40", "F", "MD")],
        drug: vec![drug(1001, 100, 1, "PS", "XDRUG", "XDRUG")],
        reac: vec![reac(1001, 100, "Nausea")],
        deleted: None,
    };
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q1.zip", q.zip());
    let mut o = options("xdrug");
    o.ebgm = true;
    o.ic = faers_core::options::IcBounds::Exact;
    let r = ws.analyze(&o).unwrap();
    let s = &r.signals[0];
    assert_eq!((s.a, s.b, s.c, s.d), (1, 0, 0, 0));
    let m = &s.measures;
    assert_eq!((m.ror, m.prr, m.chi2, m.p_value), (None, None, None, None));
    assert!(m.ic.is_some() && m.ic025.is_some() && m.ic975.is_some());
    assert!(!s.signal);
    assert!(serde_json::to_string(&r).unwrap().contains("\"ror\":null"));

    // A quarter with headers only: zero reports, no signal, no failure.
    let empty = Quarter {
        yyq: "24Q2",
        demo: vec![],
        drug: vec![],
        reac: vec![],
        deleted: None,
    };
    let mut ws = Workspace::new();
    assert_eq!(
        add(&mut ws, "faers_ascii_2024q2.zip", empty.zip()).error,
        None
    );
    let r = ws.analyze(&o).unwrap();
    assert_eq!((r.counts.reports, r.counts.target_reports), (0, 0));
    assert!(r.signals.is_empty());
    assert_eq!(r.ebgm_fit.as_ref().unwrap().pairs, 0);
    assert!(r.ebgm_fit.unwrap().prior.is_none());
}

#[test]
fn ebgm_expected_counts_can_be_stratified_by_age_sex_and_year() {
    // Stratum (M, 18-44): r1 A·X, r2 A·Y. Stratum (F, >=65): r3 B·X, r4 B·Y, r5 B·X.
    let rows = [
        (1001u64, "30", "M", "ADRUG", "X event"),
        (1011, "30", "M", "ADRUG", "Y event"),
        (1021, "70", "F", "BDRUG", "X event"),
        (1031, "70", "F", "BDRUG", "Y event"),
        (1041, "70", "F", "BDRUG", "X event"),
    ];
    let q = Quarter {
        yyq: "24Q1",
        demo: rows
            .iter()
            .map(|r| demo(r.0, r.0 / 10, 1, "20240110", r.1, r.2, "MD"))
            .collect(),
        drug: rows
            .iter()
            .map(|r| drug(r.0, r.0 / 10, 1, "PS", r.3, r.3))
            .collect(),
        reac: rows.iter().map(|r| reac(r.0, r.0 / 10, r.4)).collect(),
        deleted: None,
    };
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q1.zip", q.zip());
    let quarters: Vec<&faers_core::store::QuarterData> = ws.quarters().iter().collect();
    let kept = vec![vec![true; 5]];
    let sorted = |strata: bool| {
        let t = faers_core::pairs::drug_event_pairs(&quarters, &kept, &[Role::PS], false, strata);
        let mut v: Vec<(u64, f64)> = t.reported;
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    };
    // By hand: unstratified E = n_drug·n_event/N; stratified Σ_s n_drug,s·n_event,s/n_s.
    assert_eq!(sorted(false), vec![(1, 0.8), (1, 1.2), (1, 1.2), (2, 1.8)]);
    assert_eq!(sorted(true), vec![(1, 1.0), (1, 1.0), (1, 1.0), (2, 2.0)]);
    let mut o = options("adrug");
    o.ebgm = true;
    o.ebgm_strata = true;
    let r = ws.analyze(&o).unwrap();
    assert!(r.ebgm_fit.unwrap().stratified);
    o.ebgm_likelihood = faers_core::options::EbgmLikelihood::All;
    let r = ws.analyze(&o).unwrap();
    assert!(!r.ebgm_fit.unwrap().stratified);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("E was not stratified")));
}

#[test]
fn deduplication_kept_between_queries_never_changes_a_result() {
    use faers_core::options::{DedupMode, DeletedMode};
    let json = |ws: &Workspace, o: &AnalysisOptions| {
        serde_json::to_string(&ws.analyze(o).unwrap()).unwrap()
    };
    let mut variants = Vec::new();
    for dedup in [DedupMode::Fda, DedupMode::Caseversion, DedupMode::None] {
        for deleted in [DeletedMode::Apply, DeletedMode::Ignore] {
            for rule_dedup in [false, true] {
                for drug in ["inotuzumab", "aspirin"] {
                    let mut o = options(drug);
                    (o.dedup, o.deleted, o.rule_dedup) = (dedup, deleted, rule_dedup);
                    variants.push(o);
                }
            }
        }
    }
    // One workspace answers every variant twice over, in an order that cycles through more
    // settings than it keeps; each answer equals a fresh workspace's.
    let ws = loaded();
    for o in variants.iter().chain(variants.iter().rev()) {
        assert_eq!(json(&ws, o), json(&loaded(), o), "{o:?}");
    }
    // Prepared ahead of the first query: the same answers.
    let ws = loaded();
    for o in &variants {
        ws.prepare(o);
        assert_eq!(json(&ws, o), json(&loaded(), o), "{o:?}");
    }
    // A quarter added after a query is part of the next one.
    let (q1, q2) = two_quarters();
    let mut ws = Workspace::new();
    add(&mut ws, "faers_ascii_2024q2.zip", q2);
    let before = ws.analyze(&options("inotuzumab")).unwrap();
    add(&mut ws, "faers_ascii_2024q1.zip", q1);
    let after = ws.analyze(&options("inotuzumab")).unwrap();
    assert_ne!(before.counts.demo_rows, after.counts.demo_rows);
    assert_eq!(
        json(&ws, &options("inotuzumab")),
        json(&loaded(), &options("inotuzumab"))
    );
}

/// The same members, written again with `method`.
fn repack(bytes: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).unwrap();
        let mut text = Vec::new();
        member.read_to_end(&mut text).unwrap();
        w.start_file(member.name().unwrap().to_string(), opts)
            .unwrap();
        w.write_all(&text).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Overwrites the CRC-32 a zip declares for `member`, in its local and central headers.
fn declare_crc(bytes: &mut [u8], member: &str, crc: u32) {
    let mut changed = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let (signature, crc_at, name_at) = match bytes[at..at + 4] {
            [0x50, 0x4b, 0x03, 0x04] => ("local", at + 14, at + 30),
            [0x50, 0x4b, 0x01, 0x02] => ("central", at + 16, at + 46),
            _ => continue,
        };
        let name_len = if signature == "local" {
            u16::from_le_bytes([bytes[at + 26], bytes[at + 27]])
        } else {
            u16::from_le_bytes([bytes[at + 28], bytes[at + 29]])
        } as usize;
        if bytes.get(name_at..name_at + name_len) == Some(member.as_bytes()) {
            bytes[crc_at..crc_at + 4].copy_from_slice(&crc.to_le_bytes());
            changed += 1;
        }
    }
    assert_eq!(changed, 2, "{member}: one local and one central header");
}

#[test]
fn members_stored_or_deflated_read_alike_and_damaged_bytes_fail_their_crc() {
    let (q1, q2) = two_quarters();
    let stored = repack(&q1, zip::CompressionMethod::Stored);
    let mut ws = Workspace::new();
    assert_eq!(
        add(&mut ws, "faers_ascii_2024q1.zip", stored.clone()).error,
        None
    );
    assert_eq!(add(&mut ws, "faers_ascii_2024q2.zip", q2).error, None);
    let same = ws.analyze(&options("inotuzumab")).unwrap();
    let reference = loaded().analyze(&options("inotuzumab")).unwrap();
    assert_eq!(same.counts.reports, reference.counts.reports);
    assert_eq!(same.signals.len(), reference.signals.len());

    // One byte changed in a stored member: the text still parses, only its CRC-32 tells.
    let mut flipped = stored;
    let at = flipped
        .windows(b"Nausea".len())
        .position(|w| w == b"Nausea")
        .unwrap();
    flipped[at + 5] = b'e';
    let s = add(&mut Workspace::new(), "faers_ascii_2024q1.zip", flipped);
    let error = s.error.expect("a damaged member is refused");
    assert!(
        error.contains("faers_ascii_2024q1.zip")
            && error.contains("ASCII/REAC24Q1.txt")
            && error.contains("CRC-32"),
        "{error}"
    );

    // A deflated member whose declared CRC-32 does not match what it inflates to.
    let mut wrong = q1.clone();
    declare_crc(&mut wrong, "ASCII/DRUG24Q1.txt", 0x1234_5678);
    let error = add(&mut Workspace::new(), "faers_ascii_2024q1.zip", wrong)
        .error
        .expect("a CRC mismatch is refused");
    assert!(
        error.contains("ASCII/DRUG24Q1.txt") && error.contains("12345678"),
        "{error}"
    );
}

/// A quarter with one report naming `pts` distinct PTs "{prefix} {i}".
fn quarter_naming(yyq: &'static str, pid: u64, prefix: &str, pts: usize) -> Vec<u8> {
    Quarter {
        yyq,
        demo: vec![demo(pid, pid, 1, "20240110", "70", "F", "MD")],
        drug: vec![drug(pid, pid, 1, "PS", "ASPIRIN", "ASPIRIN")],
        reac: (0..pts)
            .map(|i| reac(pid, pid, &format!("{prefix} {i}")))
            .collect(),
        deleted: None,
    }
    .zip()
}

#[test]
fn more_pts_than_an_id_holds_are_refused_by_name_and_the_rest_is_analysed() {
    let mut ws = Workspace::new();
    // The error of adding a quarter of one report naming `pts` distinct PTs "{prefix} i".
    let mut add_naming = |name: &str, yyq: &'static str, prefix: &str, pts: usize| {
        let pid = 1000 + ws.inputs().len() as u64;
        add(&mut ws, name, quarter_naming(yyq, pid, prefix, pts)).error
    };
    assert_eq!(add_naming("a.zip", "24Q1", "TERM A", 40_000), None);
    // 40,000 + 30,000 distinct PTs pass the 65,536 a two-byte id names.
    let e = add_naming("b.zip", "24Q2", "TERM B", 30_000).unwrap();
    let full = "b.zip: not added: with it the loaded quarters would name more than 65536";
    assert!(e.starts_with(full), "{e}");
    // One quarter alone naming 65,537 is refused when its REAC table ends.
    let e = add_naming("c.zip", "24Q3", "TERM C", 65_537).unwrap();
    let read = "c.zip: ASCII/REAC24Q3.txt was not read (with it the quarter names more";
    assert!(e.starts_with(read), "{e}");
    // PTs already known cost nothing: a quarter repeating the first's terms is added.
    assert_eq!(add_naming("d.zip", "24Q4", "TERM A", 40_000), None);
    assert_eq!(ws.quarters().len(), 2);
    let r = ws.analyze(&options("aspirin")).unwrap();
    assert_eq!((r.counts.reports, r.counts.target_reports), (2, 2));
    assert_eq!(r.counts.target_pairs, 80_000);
}
