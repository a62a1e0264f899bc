//! The study's tables beyond the signal table, on a quarter written here with all seven
//! tables so that every answer is known by construction: the case description (Table 2
//! and what reviewers add), the case listing (Table 9) and time to onset (Figure 2).

use std::io::{Cursor, Write};

use faers_core::{AnalysisOptions, AnalysisResult, Workspace};

const DEMO_HEADER: &str = "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country";
const DRUG_HEADER: &str = "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq";

/// One report of the fixture.
struct Case {
    pid: u64,
    caseid: u64,
    fda_dt: &'static str,
    event_dt: &'static str,
    age: (&'static str, &'static str),
    sex: &'static str,
    weight: (&'static str, &'static str),
    occp: &'static str,
    country: &'static str,
    /// (role, drugname, prod_ai, route, dose_amt, dose_unit, dose_form, dose_freq)
    drugs: Vec<[&'static str; 8]>,
    pts: Vec<&'static str>,
    outcomes: Vec<&'static str>,
    /// (drug_seq, start_dt)
    therapies: Vec<(u32, &'static str)>,
    /// (drug_seq, indication PT)
    indications: Vec<(u32, &'static str)>,
}

const BESPONSA: [&str; 8] = [
    "PS",
    "BESPONSA",
    "INOTUZUMAB OZOGAMICIN",
    "INTRAVENOUS",
    "0.5",
    "MG/M2",
    "INJECTION",
    "QW",
];

fn with_role(role: &'static str, mut row: [&'static str; 8]) -> [&'static str; 8] {
    row[0] = role;
    row
}

fn other(name: &'static str) -> [&'static str; 8] {
    ["C", name, name, "ORAL", "", "", "", ""]
}

fn plain(pid: u64, drug: &'static str, pts: Vec<&'static str>) -> Case {
    Case {
        pid,
        caseid: pid / 100,
        fda_dt: "20240110",
        event_dt: "",
        age: ("40", "YR"),
        sex: "F",
        weight: ("", ""),
        occp: "MD",
        country: "US",
        drugs: vec![["PS", drug, drug, "ORAL", "", "", "", ""]],
        pts,
        outcomes: vec![],
        therapies: vec![],
        indications: vec![],
    }
}

/// Seven target cases (one with two versions) and six others; see each case's comment.
fn cases() -> Vec<Case> {
    let base = |pid: u64| Case {
        pid,
        caseid: pid / 100,
        fda_dt: "20240115",
        event_dt: "",
        age: ("", ""),
        sex: "",
        weight: ("", ""),
        occp: "",
        country: "US",
        drugs: vec![BESPONSA],
        pts: vec!["VENO-OCCLUSIVE DISEASE"],
        outcomes: vec![],
        therapies: vec![],
        indications: vec![],
    };
    vec![
        // A child: onset 9 days, a concomitant drug with its own indication.
        Case {
            event_dt: "20240110",
            age: ("12", "YR"),
            sex: "F",
            weight: ("40", "KG"),
            occp: "MD",
            drugs: vec![BESPONSA, other("ONDANSETRON")],
            pts: vec!["VENO-OCCLUSIVE DISEASE", "NAUSEA"],
            outcomes: vec!["HO", "LT"],
            therapies: vec![(1, "20240101"), (2, "20231201")],
            indications: vec![(1, "ACUTE LYMPHOCYTIC LEUKAEMIA"), (2, "NAUSEA")],
            ..base(101)
        },
        // Onset 60 days over a leap February; weight in pounds; France.
        Case {
            event_dt: "20240301",
            age: ("30", "YR"),
            sex: "M",
            weight: ("176", "LBS"),
            occp: "PH",
            country: "FR",
            drugs: vec![BESPONSA, other("DEXAMETHASONE"), other("ONDANSETRON")],
            pts: vec!["SEPSIS"],
            outcomes: vec!["DE"],
            therapies: vec![(1, "20240101")],
            indications: vec![(1, "ACUTE LYMPHOCYTIC LEUKAEMIA")],
            ..base(201)
        },
        // Six months old, secondary suspect, partial event date, no outcome.
        Case {
            event_dt: "202401",
            age: ("6", "MON"),
            occp: "CN",
            country: "",
            drugs: vec![with_role("SS", BESPONSA)],
            therapies: vec![(1, "20240101")],
            ..base(301)
        },
        // Seven decades; onset on day 0; the drug also listed as concomitant.
        Case {
            event_dt: "20240201",
            age: ("7", "DEC"),
            sex: "F",
            occp: "MD",
            drugs: vec![BESPONSA, with_role("C", BESPONSA)],
            pts: vec!["FEBRILE NEUTROPENIA"],
            outcomes: vec!["HO"],
            therapies: vec![(1, "20240201")],
            indications: vec![(1, "B-CELL LYMPHOMA")],
            ..base(401)
        },
        // No age, no therapy row.
        Case {
            event_dt: "20240110",
            sex: "M",
            pts: vec!["THROMBOCYTOPENIA"],
            outcomes: vec!["OT"],
            ..base(501)
        },
        // Event before the start; reported in 2023.
        Case {
            fda_dt: "20231215",
            event_dt: "20231201",
            age: ("50", "YR"),
            sex: "M",
            occp: "MD",
            therapies: vec![(1, "20240101")],
            ..base(601)
        },
        // Case 7, first version: superseded.
        Case {
            fda_dt: "20240101",
            age: ("99", "YR"),
            ..base(701)
        },
        // Case 7, kept version: 17 years, 2000 g, a partial start date.
        Case {
            caseid: 7,
            fda_dt: "20240201",
            event_dt: "20240301",
            age: ("17", "YR"),
            sex: "M",
            weight: ("2000", "GMS"),
            occp: "HP",
            therapies: vec![(1, "202401")],
            ..base(702)
        },
        plain(801, "ASPIRIN", vec!["NAUSEA"]),
        plain(901, "ASPIRIN", vec!["SEPSIS", "NAUSEA"]),
        plain(1001, "METFORMIN", vec!["THROMBOCYTOPENIA"]),
        plain(1101, "METFORMIN", vec!["HEADACHE"]),
        plain(1201, "IBUPROFEN", vec!["HEADACHE"]),
        plain(1301, "IBUPROFEN", vec!["VENO-OCCLUSIVE DISEASE"]),
    ]
}

fn table(header: &str, rows: &[String]) -> String {
    let mut s = String::from(header);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// The quarter as FDA would zip it, all seven tables.
fn quarter_zip(cases: &[Case]) -> Vec<u8> {
    let (mut demo, mut drug, mut reac, mut outc, mut ther, mut indi, mut rpsr) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for c in cases {
        let (p, k) = (c.pid.to_string(), c.caseid.to_string());
        demo.push(
            [
                &p, &k, "1", "I", c.event_dt, "", "20240101", c.fda_dt, "EXP", "", "", "", "",
                c.age.0, c.age.1, "", c.sex, "Y", c.weight.0, c.weight.1, "", "", c.occp,
                c.country, c.country,
            ]
            .join("$"),
        );
        for (i, d) in c.drugs.iter().enumerate() {
            let seq = (i + 1).to_string();
            drug.push(
                [
                    &p, &k, &seq, d[0], d[1], d[2], "1", d[3], "", "", "", "", "", "", "", "",
                    d[4], d[5], d[6], d[7],
                ]
                .join("$"),
            );
        }
        for pt in &c.pts {
            reac.push(format!("{p}${k}${pt}$"));
        }
        for o in &c.outcomes {
            outc.push(format!("{p}${k}${o}"));
        }
        for (seq, start) in &c.therapies {
            ther.push(format!("{p}${k}${seq}${start}$$$"));
        }
        for (seq, pt) in &c.indications {
            indi.push(format!("{p}${k}${seq}${pt}"));
        }
        rpsr.push(format!("{p}${k}$HP"));
    }
    let members = [
        ("ASCII/DEMO24Q1.txt", table(DEMO_HEADER, &demo)),
        ("ASCII/DRUG24Q1.txt", table(DRUG_HEADER, &drug)),
        (
            "ASCII/REAC24Q1.txt",
            table("primaryid$caseid$pt$drug_rec_act", &reac),
        ),
        (
            "ASCII/OUTC24Q1.txt",
            table("primaryid$caseid$outc_cod", &outc),
        ),
        (
            "ASCII/THER24Q1.txt",
            table(
                "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod",
                &ther,
            ),
        ),
        (
            "ASCII/INDI24Q1.txt",
            table("primaryid$caseid$indi_drug_seq$indi_pt", &indi),
        ),
        (
            "ASCII/RPSR24Q1.txt",
            table("primaryid$caseid$rpsr_cod", &rpsr),
        ),
    ];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in members {
        w.start_file(name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn workspace() -> Workspace {
    let mut ws = Workspace::new();
    let summary = ws
        .add_zip(
            "faers_ascii_2024Q1.zip",
            Cursor::new(quarter_zip(&cases())),
            &mut |_, _| {},
        )
        .clone();
    assert!(summary.error.is_none(), "{summary:?}");
    assert_eq!(summary.skipped_lines, 0, "{summary:?}");
    ws
}

fn analyze(options: &AnalysisOptions) -> AnalysisResult {
    workspace().analyze(options).unwrap()
}

fn options() -> AnalysisOptions {
    AnalysisOptions {
        drugs: vec!["inotuzumab".into(), "besponsa".into()],
        ..AnalysisOptions::default()
    }
}

fn map(pairs: &[(&str, u64)]) -> std::collections::BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn case_description_counts_every_table() {
    let r = analyze(&options());
    let d = &r.descriptive;
    assert_eq!(r.counts.target_reports, 7);
    assert_eq!(d.cases, 7);
    assert_eq!(d.sex, map(&[("F", 2), ("M", 4), ("unknown", 1)]));
    assert_eq!(
        d.age_group,
        map(&[
            ("<18", 3),
            ("18-44", 1),
            ("45-64", 1),
            (">=65", 1),
            ("unknown", 1)
        ])
    );
    assert_eq!(d.year, map(&[("2023", 1), ("2024", 6)]));
    assert_eq!(
        d.reporter,
        map(&[
            ("CN", 1),
            ("HP", 1),
            ("LW", 0),
            ("MD", 3),
            ("OT", 0),
            ("PH", 1),
            ("unknown", 1)
        ])
    );
    assert_eq!(d.country, map(&[("FR", 1), ("US", 5), ("unknown", 1)]));
    assert_eq!(
        d.outcome,
        map(&[
            ("CA", 0),
            ("DE", 1),
            ("DS", 0),
            ("HO", 2),
            ("LT", 1),
            ("OT", 1),
            ("RI", 0)
        ])
    );
    assert_eq!(d.seriousness, map(&[("non-serious", 3), ("serious", 4)]));
    assert_eq!(
        d.roles,
        map(&[("C", 1), ("DN", 0), ("I", 0), ("PS", 6), ("SS", 1)])
    );
    // Ages 0.5, 12, 17, 30, 50, 70 (6 MON, 7 DEC converted):
    // Python statistics.mean/stdev: 29.9167, 25.9353; quantiles (type 7): 13.25, 23.5, 45.
    let age = &d.age;
    assert_eq!(age.n, 6);
    assert_eq!(age.mean, Some(29.92));
    assert_eq!(age.sd, Some(25.94));
    assert_eq!(
        (age.q1, age.median, age.q3),
        (Some(13.25), Some(23.5), Some(45.0))
    );
    assert_eq!((age.min, age.max), (Some(0.5), Some(70.0)));
    // Indications of the target drug's rows only (case 1's NAUSEA is ondansetron's).
    let ind: Vec<(&str, u64)> = d
        .indications
        .top
        .iter()
        .map(|n| (n.name.as_str(), n.reports))
        .collect();
    assert_eq!(
        ind,
        [("ACUTE LYMPHOCYTIC LEUKAEMIA", 2), ("B-CELL LYMPHOMA", 1)]
    );
    assert_eq!(
        (d.indications.distinct, d.indications.cases_with_any),
        (2, 3)
    );
    let con: Vec<(&str, u64)> = d
        .concomitant
        .top
        .iter()
        .map(|n| (n.name.as_str(), n.reports))
        .collect();
    assert_eq!(con, [("ONDANSETRON", 2), ("DEXAMETHASONE", 1)]);
    assert_eq!(d.concomitant.cases_with_any, 2);
}

#[test]
fn time_to_onset_uses_full_dates_of_the_target_drug_only() {
    let t = analyze(&options()).descriptive.time_to_onset;
    // Cases 1 (9 days; ondansetron's earlier start ignored), 2 (60, leap year), 4 (0).
    assert_eq!(t.n, 3);
    assert_eq!((t.q1, t.median, t.q3), (Some(4.5), Some(9.0), Some(34.5)));
    assert_eq!((t.min, t.max, t.mean), (Some(0), Some(60), Some(23.0)));
    // Case 3 (YYYYMM event), 5 (no THER row), 6 (event before start), 7 (YYYYMM start).
    assert_eq!(
        t.excluded,
        map(&[
            ("negative", 1),
            ("no_event_date", 0),
            ("no_start_date", 0),
            ("no_therapy_row", 1),
            ("partial_event_date", 1),
            ("partial_start_date", 1)
        ])
    );
    let bands: Vec<(&str, u64)> = t.bands.iter().map(|b| (b.label, b.count)).collect();
    assert_eq!(
        bands,
        [
            ("0-30", 2),
            ("31-60", 1),
            ("61-90", 0),
            ("91-180", 0),
            ("181-360", 0),
            (">360", 0)
        ]
    );
    // Day 0 cannot enter a Weibull fit; 9 and 60 can.
    let w = t.weibull.expect("two positive values");
    assert_eq!((w.n, w.zeros_excluded), (2, 1));

    // +1: the first day of therapy is day 1, so day 0 becomes 1 and 60 becomes 61.
    let mut o = options();
    o.onset = faers_core::onset::OnsetConvention::PlusOne;
    let t = analyze(&o).descriptive.time_to_onset;
    assert_eq!((t.min, t.max, t.median), (Some(1), Some(61), Some(10.0)));
    assert_eq!(t.bands[2].count, 1, "61 falls in 61-90");
    assert_eq!(t.weibull.expect("three values").zeros_excluded, 0);
}

/// caseid, primaryid, age, sex, weight.
type ListedCase<'a> = (Option<u64>, u64, Option<f64>, &'a str, Option<f64>);

#[test]
fn listing_shows_the_children_with_their_doses() {
    let r = analyze(&options());
    let l = &r.listing;
    assert_eq!(l.filter, "age < 18 years");
    assert_eq!(l.cases, 3);
    let rows: Vec<ListedCase> = l
        .rows
        .iter()
        .map(|r| (r.caseid, r.primaryid, r.age, r.sex, r.weight_kg))
        .collect();
    assert_eq!(
        rows,
        [
            (Some(1), 101, Some(12.0), "F", Some(40.0)),
            (Some(3), 301, Some(0.5), "unknown", None),
            (Some(7), 702, Some(17.0), "M", Some(2.0)),
        ]
    );
    let first = &l.rows[0];
    assert_eq!(first.drugname, "BESPONSA");
    assert_eq!(first.role, Some("PS"));
    assert_eq!(
        (
            first.route.as_str(),
            first.dose_amt.as_str(),
            first.dose_unit.as_str(),
            first.dose_form.as_str(),
            first.dose_freq.as_str()
        ),
        ("INTRAVENOUS", "0.5", "MG/M2", "INJECTION", "QW")
    );
    assert_eq!(first.outcomes, "LT, HO");
    assert_eq!(first.reactions, "NAUSEA; VENO-OCCLUSIVE DISEASE");
    assert_eq!(l.rows[1].role, Some("SS"));

    // Other ranges: the elderly; 176 lb = 79.83 kg.
    let mut o = options();
    o.listing = faers_core::listing::ListingFilter {
        age_from: 18.0,
        age_below: 65.0,
    };
    let l = analyze(&o).listing;
    assert_eq!(l.filter, "age 18 to < 65 years");
    let ids: Vec<u64> = l.rows.iter().map(|r| r.primaryid).collect();
    assert_eq!(ids, [201, 601]);
    assert_eq!(l.rows[0].weight_kg, Some(79.83));

    // An empty or reversed range is refused in words, not answered with an empty list.
    for (from, below) in [(18.0, 18.0), (65.0, 18.0), (-1.0, 18.0), (f64::NAN, 18.0)] {
        o.listing = faers_core::listing::ListingFilter {
            age_from: from,
            age_below: below,
        };
        let e = workspace().analyze(&o).unwrap_err().to_string();
        assert!(e.contains("listing's ages"), "{e}");
    }
}

#[test]
fn exports_are_complete_and_byte_identical() {
    let files = faers_core::export::files(&analyze(&options()));
    let again = faers_core::export::files(&analyze(&options()));
    assert_eq!(files, again, "same inputs and settings, same bytes");
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for expected in [
        "result.json",
        "signals.csv",
        "descriptive.csv",
        "age.csv",
        "listing.csv",
        "matched_names.csv",
        "funnel.csv",
        "inputs.csv",
        "methods.md",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let get = |name: &str| {
        &files
            .iter()
            .find(|f| f.name == name)
            .expect("exported")
            .content
    };
    // Descriptive shares are of the 7 cases.
    let desc = get("descriptive.csv");
    assert!(desc.starts_with("table,category,n,percent\ncases,all,7,100.00\n"));
    assert!(desc.contains("\nsex,M,4,57.14\n"), "{desc}");
    assert!(desc.contains("\nindication,ACUTE LYMPHOCYTIC LEUKAEMIA,2,28.57\n"));
    // One CSV line per signal row plus the header, same digits as the JSON.
    let signals = get("signals.csv");
    let result = analyze(&options());
    assert_eq!(signals.lines().count(), result.signals.len() + 1);
    let vod = result
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE DISEASE")
        .unwrap();
    let ror = serde_json::to_value(vod.measures.ror).unwrap().to_string();
    assert!(
        signals.contains(&format!("VENO-OCCLUSIVE DISEASE,{},", vod.a)) && signals.contains(&ror),
        "{signals}"
    );
    // The listing CSV quotes the comma in the outcome list.
    assert!(get("listing.csv").contains("\"LT, HO\""));
    let json: serde_json::Value = serde_json::from_str(get("result.json")).unwrap();
    assert_eq!(json["counts"]["target_reports"], 7);

    let methods = get("methods.md");
    for needle in [
        "2024Q1 to 2024Q1 (1 quarter",
        "for each CASEID the report with the latest FDA_DT was kept",
        "contained \"inotuzumab\" or \"besponsa\"",
        "primary suspect (PS) or secondary suspect (SS)",
        "BESPONSA (drugname, 7)",
        "This gave 7 target reports",
        "3 of 7 cases had one (excluded: 1 negative, 1 no therapy row, 1 partial event date, 1 partial start date)",
        "Median 9.00 days (interquartile range 4.50–34.50",
        "age < 18 years were listed individually (3 cases)",
        "| faers_ascii_2024Q1.zip | 2024Q1 | `",
    ] {
        assert!(methods.contains(needle), "{needle:?} not in\n{methods}");
    }
}

#[test]
fn figures_show_the_signals_onsets_and_years() {
    // A lenient criterion so that the fixture has signals and non-signals.
    let mut o = options();
    o.criterion = faers_core::options::Criterion::Custom {
        min_a: Some(2),
        ror_lower_above: None,
        min_prr: None,
        min_chi2: None,
        ic025_above: None,
    };
    let r = analyze(&o);
    let signals = r.signals.iter().filter(|s| s.signal).count();
    assert!(signals > 0 && signals < r.signals.len());
    let figures = faers_core::export::figures::figures(&r);
    let names: Vec<&str> = figures.iter().map(|f| f.name).collect();
    // No MedDRA loaded: no SOC figure.
    assert_eq!(
        names,
        [
            "forest",
            "ades_by_pt",
            "time_to_onset",
            "reports_per_year",
            "volcano"
        ]
    );
    let svg = |name: &str| &figures.iter().find(|f| f.name == name).unwrap().svg;
    for f in &figures {
        assert!(f.svg.starts_with("<svg"), "{}", f.name);
        roxmltree::Document::parse(&f.svg).expect("well-formed SVG");
    }
    // Every signal of the result is in the forest plot, nothing else.
    for s in &r.signals {
        assert_eq!(
            svg("forest").contains(&format!(">{}<", s.pt)),
            s.signal,
            "{}",
            s.pt
        );
    }
    // Bands 2, 1, 0, 0, 0, 0 printed on the columns; the years 2023 and 2024.
    assert!(svg("time_to_onset").contains("(n = 3)"));
    let years = svg("reports_per_year");
    assert!(years.contains(">2023<") && years.contains(">2024<"));
    // Every PT with a defined ROR and p is a volcano point with a tooltip.
    let points = r
        .signals
        .iter()
        .filter(|s| s.measures.ror.is_some() && s.measures.p_value.is_some())
        .count();
    assert_eq!(svg("volcano").matches("<title>").count() - 1, points);
}

/// A small SPL document as DailyMed serves it: a boxed warning naming sinusoidal
/// obstruction syndrome only (not "veno-occlusive"), warnings and precautions with a
/// nested subsection, adverse reactions in a table, and indications naming sepsis (which
/// must not count: it is not a risk section).
const SPL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://www.accessdata.fda.gov/spl/stylesheet/spl.xsl" type="text/xsl"?>
<document xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <id root="a1b2c3d4-0000-0000-0000-000000000001"/>
  <code code="34391-3" codeSystem="2.16.840.1.113883.6.1" displayName="HUMAN PRESCRIPTION DRUG LABEL"/>
  <title>BESPONSA (inotuzumab ozogamicin) for injection, for intravenous use</title>
  <effectiveTime value="20240305"/>
  <setId root="5ee1f1a8-3b8c-4f7e-9c39-1b5a3f3d0c11"/>
  <versionNumber value="7"/>
  <component><structuredBody>
    <component><section>
      <code code="34067-9" codeSystem="2.16.840.1.113883.6.1" displayName="INDICATIONS &amp; USAGE SECTION"/>
      <title>1 INDICATIONS AND USAGE</title>
      <text><paragraph>Not for the treatment of sepsis.</paragraph></text>
    </section></component>
    <component><section>
      <code code="34066-1" codeSystem="2.16.840.1.113883.6.1" displayName="BOXED WARNING SECTION"/>
      <title>WARNING: HEPATOTOXICITY</title>
      <text><paragraph>Hepatotoxicity, including fatal <content styleCode="bold">sinusoidal obstruction syndrome</content>, occurred.</paragraph></text>
    </section></component>
    <component><section>
      <code code="43685-7" codeSystem="2.16.840.1.113883.6.1" displayName="WARNINGS AND PRECAUTIONS SECTION"/>
      <title>5 WARNINGS AND PRECAUTIONS</title>
      <component><section>
        <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
        <title>5.2 Myelosuppression</title>
        <text><list listType="unordered"><item>Thrombocytopenias and neutropenia occurred.</item></list></text>
      </section></component>
    </section></component>
    <component><section>
      <code code="34084-4" codeSystem="2.16.840.1.113883.6.1" displayName="ADVERSE REACTIONS SECTION"/>
      <title>6 ADVERSE REACTIONS</title>
      <text><table><tbody>
        <tr><td>Febrile Neutropenia</td><td>26%</td></tr>
        <tr><td>Nausea</td><td>31%</td></tr>
      </tbody></table></text>
    </section></component>
  </structuredBody></component>
</document>"#;

/// MedDRA in which "Sinusoidal obstruction syndrome" is an LLT of the fixture's PT.
fn meddra() -> faers_core::meddra::Meddra {
    let files = [
        (
            "mdhier.asc",
            "10062108$10019809$10019808$10019805$Veno-occlusive disease$Hepatic vascular disorders$Hepatic and hepatobiliary disorders$Hepatobiliary disorders$Hepat$$10019805$Y$\n",
        ),
        ("pt.asc", "10062108$Veno-occlusive disease$$10019805$$$$$$$$\n"),
        (
            "llt.asc",
            "10062108$Veno-occlusive disease$10062108$$$$$$$Y$$\n\
             10071502$Sinusoidal obstruction syndrome$10062108$$$$$$$Y$$\n",
        ),
    ];
    faers_core::meddra::Meddra::from_files("fixture", files.iter().map(|(n, t)| (*n, t.as_bytes())))
        .unwrap()
}

fn every_pt_a_signal() -> AnalysisOptions {
    let mut o = options();
    o.criterion = faers_core::options::Criterion::Custom {
        min_a: Some(1),
        ror_lower_above: None,
        min_prr: None,
        min_chi2: None,
        ic025_above: None,
    };
    o
}

fn calls(r: &AnalysisResult) -> Vec<(&str, Option<&str>, Option<&str>)> {
    r.signals
        .iter()
        .map(|s| (s.pt.as_str(), s.listed.as_deref(), s.listed_by.as_deref()))
        .collect()
}

#[test]
fn signals_are_marked_listed_or_new_from_the_label() {
    let mut ws = workspace();
    let o = every_pt_a_signal();
    // No label: null, and no label summary.
    let r = ws.analyze(&o).unwrap();
    assert!(r.signals.iter().all(|s| s.listed.is_none()) && r.label.is_none());

    let label = faers_core::label::Label::from_bytes("besponsa.xml", SPL.as_bytes()).unwrap();
    ws.set_label(Some(label));
    let r = ws.analyze(&o).unwrap();
    assert_eq!(
        calls(&r),
        [
            (
                "FEBRILE NEUTROPENIA",
                Some("adverse reactions"),
                Some("FEBRILE NEUTROPENIA")
            ),
            ("NAUSEA", Some("adverse reactions"), Some("NAUSEA")),
            ("SEPSIS", Some("not listed"), None),
            (
                "THROMBOCYTOPENIA",
                Some("warnings and precautions"),
                Some("THROMBOCYTOPENIA")
            ),
            ("VENO-OCCLUSIVE DISEASE", Some("not listed"), None),
        ]
    );
    let l = r.label.as_ref().unwrap();
    assert_eq!(
        (
            l.set_id.as_deref(),
            l.version.as_deref(),
            l.effective_time.as_deref()
        ),
        (
            Some("5ee1f1a8-3b8c-4f7e-9c39-1b5a3f3d0c11"),
            Some("7"),
            Some("20240305")
        )
    );
    assert_eq!((l.listed_signals, l.new_signals, l.synonyms), (3, 2, false));

    // With MedDRA, the boxed warning's "sinusoidal obstruction syndrome" lists the PT.
    ws.set_meddra(Some(meddra()));
    let r = ws.analyze(&o).unwrap();
    let vod = r
        .signals
        .iter()
        .find(|s| s.pt == "VENO-OCCLUSIVE DISEASE")
        .unwrap();
    assert_eq!(
        (vod.listed.as_deref(), vod.listed_by.as_deref()),
        (
            Some("boxed warning"),
            Some("SINUSOIDAL OBSTRUCTION SYNDROME")
        )
    );
    assert_eq!(r.label.as_ref().unwrap().new_signals, 1);

    // The reviewer's calls win, are settings, and reach the exports.
    let mut o2 = o.clone();
    o2.label_overrides
        .insert("sepsis".into(), "Warnings-and-precautions".into());
    o2.label_overrides
        .insert("NAUSEA".into(), "not listed".into());
    let r = ws.analyze(&o2).unwrap();
    let sepsis = r.signals.iter().find(|s| s.pt == "SEPSIS").unwrap();
    assert_eq!(
        (sepsis.listed.as_deref(), sepsis.listed_by.as_deref()),
        (Some("warnings and precautions"), Some("reviewer"))
    );
    let l = r.label.as_ref().unwrap();
    assert_eq!((l.overrides, l.new_signals), (2, 1));
    assert_eq!(
        r.settings.label_overrides.get("SEPSIS").map(String::as_str),
        Some("Warnings-and-precautions")
    );
    let files = faers_core::export::files(&r);
    let signals_csv = &files
        .iter()
        .find(|f| f.name == "signals.csv")
        .unwrap()
        .content;
    assert!(signals_csv
        .lines()
        .next()
        .unwrap()
        .contains(",listed,listed_by"));
    assert!(signals_csv.contains(",warnings and precautions,reviewer"));
    let methods = &files
        .iter()
        .find(|f| f.name == "methods.md")
        .unwrap()
        .content;
    for needle in [
        "\"BESPONSA (inotuzumab ozogamicin) for injection, for intravenous use\"",
        "SPL set id 5ee1f1a8-3b8c-4f7e-9c39-1b5a3f3d0c11, version 7, effective 20240305",
        "names of its MedDRA lowest-level terms",
        "4 of the 5 signals were listed and 1 was not",
        "listedness of 2 PTs by hand (NAUSEA: not listed; SEPSIS: Warnings-and-precautions)",
    ] {
        assert!(methods.contains(needle), "{needle:?} not in\n{methods}");
    }

    // A call that is not one is refused with the PT named.
    let mut bad = o;
    bad.label_overrides.insert("NAUSEA".into(), "maybe".into());
    let e = ws.analyze(&bad).unwrap_err().to_string();
    assert!(e.contains("NAUSEA") && e.contains("'maybe'"), "{e}");
}

#[test]
fn a_drug_with_no_report_still_exports_every_file() {
    let mut o = options();
    o.drugs = vec!["nosuchdrug".into()];
    let r = analyze(&o);
    assert_eq!(r.counts.target_reports, 0);
    assert!(r.descriptive.time_to_onset.weibull.is_none());
    let files = faers_core::export::files(&r);
    assert!(files.iter().any(|f| f.name == "methods.md"));
    for f in files.iter().filter(|f| f.name.ends_with(".svg")) {
        roxmltree::Document::parse(&f.content).expect("well-formed SVG");
        assert!(!f.content.contains("the 0 "), "{}", f.name);
    }
    let methods = &files
        .iter()
        .find(|f| f.name == "methods.md")
        .unwrap()
        .content;
    assert!(methods.contains("This gave 0 target reports"), "{methods}");
}
