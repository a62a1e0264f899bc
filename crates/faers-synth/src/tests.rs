//! Whole-crate tests: the zips are read back with the `zip` crate and checked against FDA's
//! layout, the keys, the case-version structure and the planted signals.

use super::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The headers, spelled out independently of `tables.rs` (faers-format.md §3.1–3.3, F-B).
const HEADERS: [(&str, &str); 7] = [
    ("DEMO", "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country"),
    ("DRUG", "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq"),
    ("REAC", "primaryid$caseid$pt$drug_rec_act"),
    ("OUTC", "primaryid$caseid$outc_cod"),
    ("RPSR", "primaryid$caseid$rpsr_cod"),
    ("THER", "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod"),
    ("INDI", "primaryid$caseid$indi_drug_seq$indi_pt"),
];

/// One zip read back: member names in archive order and their bytes.
struct ReadZip {
    names: Vec<String>,
    members: BTreeMap<String, Vec<u8>>,
    year: u16,
    quarter: u8,
}

impl ReadZip {
    fn parse(bytes: &[u8], year: u16, quarter: u8) -> ReadZip {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("readable zip");
        let mut names = Vec::new();
        let mut members = BTreeMap::new();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            let name = f.name().expect("member name").to_string();
            names.push(name.clone());
            members.insert(name, data);
        }
        ReadZip {
            names,
            members,
            year,
            quarter,
        }
    }

    fn text(&self, table: &str) -> &str {
        let name = format!("ASCII/{table}{:02}Q{}.txt", self.year % 100, self.quarter);
        std::str::from_utf8(&self.members[&name]).expect("ASCII text")
    }

    fn deleted_text(&self) -> &str {
        let name = format!("Deleted/DELETE{:02}Q{}.txt", self.year % 100, self.quarter);
        std::str::from_utf8(&self.members[&name]).unwrap()
    }

    /// Data rows of a table, split on `$` (header dropped, CRLF stripped).
    fn rows(&self, table: &str) -> Vec<Vec<&str>> {
        self.text(table)
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l.split('$').collect())
            .collect()
    }

    fn deleted(&self) -> Vec<u64> {
        self.deleted_text()
            .split("\r\n")
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.parse().unwrap())
            .collect()
    }
}

/// The demo preset, written once into a temporary folder by `write_quarters` and read back
/// (the folder is removed afterwards).
struct Demo {
    listing: Vec<String>,
    manifest: serde_json::Value,
    summary: SynthSummary,
    zips: Vec<ReadZip>,
    bytes: Vec<Vec<u8>>,
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faers-synth-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = temp_dir("demo");
        let options = SynthOptions::demo();
        let summary = write_quarters(&options, &dir).expect("demo written");
        let mut listing: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        listing.sort();
        let manifest =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let mut zips = Vec::new();
        let mut bytes = Vec::new();
        for (q, z) in options.quarters.iter().zip(&summary.zips) {
            let b = std::fs::read(dir.join(&z.file_name)).unwrap();
            zips.push(ReadZip::parse(&b, q.year, q.quarter));
            bytes.push(b);
        }
        std::fs::remove_dir_all(&dir).unwrap();
        Demo {
            listing,
            manifest,
            summary,
            zips,
            bytes,
        }
    })
}

fn small_options(seed: u64) -> SynthOptions {
    SynthOptions {
        seed,
        quarters: vec![
            QuarterSpec {
                year: 2023,
                quarter: 4,
                reports: 1500,
            },
            QuarterSpec {
                year: 2024,
                quarter: 1,
                reports: 2000,
            },
        ],
    }
}

fn to_memory(options: &SynthOptions, index: usize) -> (Vec<u8>, WrittenZip) {
    let mut cur = Cursor::new(Vec::new());
    let w = write_quarter_to(options, index, &mut cur).unwrap();
    (cur.into_inner(), w)
}

#[test]
fn same_options_give_identical_bytes_and_another_seed_does_not() {
    let a = small_options(11);
    let (a0, _) = to_memory(&a, 0);
    let (a1, _) = to_memory(&a, 1);
    let (b0, _) = to_memory(&a, 0);
    let (b1, _) = to_memory(&a, 1);
    assert!(a0 == b0 && a1 == b1, "two runs differ");
    let (c0, _) = to_memory(&small_options(12), 0);
    assert_ne!(a0, c0, "the seed has no effect");
    // Files written by write_quarters equal the in-memory zips.
    let dir = temp_dir("determinism");
    write_quarters(&a, &dir).unwrap();
    assert!(std::fs::read(dir.join("faers_ascii_2023q4.zip")).unwrap() == a0);
    assert!(std::fs::read(dir.join("faers_ascii_2024q1.zip")).unwrap() == a1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_demo_preset_writes_two_zips_and_a_manifest() {
    let d = demo();
    assert_eq!(
        d.listing,
        [
            "faers_ascii_2024q1.zip",
            "faers_ascii_2024q2.zip",
            "manifest.json"
        ]
    );
    let manifest = &d.manifest;
    assert_eq!(manifest["synthetic"], true);
    assert!(manifest["description"]
        .as_str()
        .unwrap()
        .contains("SYNTHETIC"));
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "faers_ascii_2024q1.zip");
    assert_eq!(files[0]["quarter"], "2024Q1");
    assert_eq!(files[1]["quarter"], "2024Q2");
    for (f, b) in files.iter().zip(&d.bytes) {
        assert_eq!(f["bytes"].as_u64().unwrap(), b.len() as u64);
    }
    let planted = manifest["planted"].as_array().unwrap();
    assert_eq!(planted.len(), d.summary.planted.len());
    assert!(planted
        .iter()
        .any(|p| p["generic"] == "INOTUZUMAB OZOGAMICIN"
            && p["pt"] == "Veno-occlusive liver disease"
            && p["brands"][0] == "BESPONSA"));
    assert_eq!(d.summary.zips.len(), 2);
    assert_eq!(d.summary.zips[0].reports, 15_000);
    assert_eq!(d.summary.zips[1].reports, 15_000);
    assert_eq!(d.summary.zips[0].quarter, "2024Q1");
}

#[test]
fn members_are_named_like_fdas() {
    for z in &demo().zips {
        let yq = format!("{:02}Q{}", z.year % 100, z.quarter);
        let expected: Vec<String> = HEADERS
            .iter()
            .map(|(t, _)| format!("ASCII/{t}{yq}.txt"))
            .chain([format!("Deleted/DELETE{yq}.txt")])
            .collect();
        assert_eq!(z.names, expected);
    }
    assert_eq!(zip_file_name(2024, 1), "faers_ascii_2024q1.zip");
}

#[test]
fn headers_are_exact() {
    for z in &demo().zips {
        for (t, header) in HEADERS {
            let first = z.text(t).split("\r\n").next().unwrap();
            assert_eq!(first, header, "{t}");
        }
    }
}

#[test]
fn every_line_ends_with_crlf() {
    for z in &demo().zips {
        for (name, data) in &z.members {
            assert!(data.ends_with(b"\r\n"), "{name} does not end with CRLF");
            for (i, &b) in data.iter().enumerate() {
                if b == b'\n' {
                    assert!(i > 0 && data[i - 1] == b'\r', "{name}: bare LF at byte {i}");
                }
                if b == b'\r' {
                    assert_eq!(data.get(i + 1), Some(&b'\n'), "{name}: bare CR at byte {i}");
                }
            }
            assert!(
                data.iter()
                    .all(|&b| b == b'\r' || b == b'\n' || (32..127).contains(&b)),
                "{name}: non-printable byte"
            );
        }
    }
}

#[test]
fn field_counts_match_the_header_on_every_line() {
    for z in &demo().zips {
        for (t, header) in HEADERS {
            let n = header.split('$').count();
            assert!(!header.ends_with('$'));
            for (i, line) in z.text(t).split("\r\n").enumerate() {
                if line.is_empty() {
                    continue;
                }
                assert_eq!(line.split('$').count(), n, "{t} line {}: {line}", i + 1);
            }
        }
    }
}

#[test]
fn primaryid_is_caseid_then_caseversion_and_demo_values_are_plausible() {
    for z in &demo().zips {
        let (qs, qe) = crate::dates::quarter_bounds(z.year, z.quarter);
        let in_quarter = |s: &str| {
            let n: i32 = s.parse().unwrap();
            let (y, m, d) = (n / 10_000, (n / 100 % 100) as u32, (n % 100) as u32);
            let day = crate::dates::days_from_civil(y, m, d);
            (qs..=qe).contains(&day)
        };
        let mut primaryids = HashSet::new();
        let mut event_lengths = [0usize; 9];
        let mut ten_digit = 0;
        for r in z.rows("DEMO") {
            assert_eq!(r[0], format!("{}{}", r[1], r[2]), "primaryid {}", r[0]);
            assert!(primaryids.insert(r[0].to_string()), "duplicate primaryid");
            assert_eq!(r[1].len(), 8, "caseid {}", r[1]);
            let version: u32 = r[2].parse().unwrap();
            assert_eq!(r[3], if version == 1 { "I" } else { "F" });
            event_lengths[r[4].len()] += 1;
            assert_eq!(r[6].len(), 8);
            assert_eq!(r[7].len(), 8);
            assert!(in_quarter(r[7]), "fda_dt {} outside the quarter", r[7]);
            assert!(r[6] <= r[7], "init_fda_dt after fda_dt");
            if !r[4].is_empty() && r[4].len() == 8 {
                assert!(r[4] <= r[7], "event after fda_dt");
            }
            assert!(["EXP", "PER", "DIR"].contains(&r[8]));
            assert!(["", "YR", "MON", "WK", "DY", "DEC"].contains(&r[14]));
            assert_eq!(r[13].is_empty(), r[14].is_empty());
            assert!(["", "N", "I", "C", "T", "A", "E"].contains(&r[15]));
            assert!(["", "M", "F"].contains(&r[16]));
            assert!(["Y", "N"].contains(&r[17]));
            assert!(["", "KG", "LBS"].contains(&r[19]));
            assert!(["", "MD", "PH", "OT", "LW", "CN", "HP"].contains(&r[22]));
            assert_eq!(r[23].len(), 2);
            assert_eq!(r[24].len(), 2);
            if r[0].len() == 10 {
                ten_digit += 1;
            }
        }
        let n = z.rows("DEMO").len() as f64;
        assert!(event_lengths
            .iter()
            .enumerate()
            .all(|(l, &c)| c == 0 || [0, 4, 6, 8].contains(&l)));
        let full = event_lengths[8] as f64 / n;
        assert!(
            (0.35..0.50).contains(&full),
            "8-digit event_dt share {full}"
        );
        assert!(event_lengths[6] > 0 && event_lengths[4] > 0);
        assert!(ten_digit > 0, "no caseversion >= 10");
    }
}

#[test]
fn every_child_row_belongs_to_a_demo_row() {
    for z in &demo().zips {
        let demo: HashMap<&str, &str> = z.rows("DEMO").into_iter().map(|r| (r[0], r[1])).collect();
        for (t, _) in &HEADERS[1..] {
            for r in z.rows(t) {
                assert_eq!(demo.get(r[0]), Some(&r[1]), "{t} row {r:?} has no DEMO row");
            }
        }
    }
}

#[test]
fn summary_row_counts_equal_the_lines_written() {
    let d = demo();
    for (w, z) in d.summary.zips.iter().zip(&d.zips) {
        for (t, _) in HEADERS {
            assert_eq!(w.table_rows[t], z.rows(t).len() as u64, "{t}");
        }
        assert_eq!(w.table_rows.len(), 7);
        assert_eq!(w.reports as u64, w.table_rows["DEMO"]);
        let total: u64 = z.members.values().map(|m| m.len() as u64).sum();
        assert_eq!(w.uncompressed_bytes, total);
        assert_eq!(w.deleted_caseids, z.deleted().len());
    }
}

#[test]
fn drugs_reactions_and_outcomes_have_realistic_shapes() {
    for z in &demo().zips {
        let mut drugs: HashMap<&str, Vec<(u32, &str)>> = HashMap::new();
        for r in z.rows("DRUG") {
            drugs
                .entry(r[0])
                .or_default()
                .push((r[2].parse().unwrap(), r[3]));
            assert!(!r[4].is_empty(), "empty drugname");
            assert_eq!(r[5], r[5].to_ascii_uppercase(), "prod_ai not upper case");
            assert!(
                r[15].bytes().all(|b| b.is_ascii_digit()),
                "nda_num {}",
                r[15]
            );
        }
        let n = z.rows("DEMO").len();
        assert_eq!(drugs.len(), n, "a report without drugs");
        let mut total = 0;
        for (pid, list) in &drugs {
            let seqs: Vec<u32> = list.iter().map(|x| x.0).collect();
            assert_eq!(seqs, (1..=list.len() as u32).collect::<Vec<_>>(), "{pid}");
            assert_eq!(
                list.iter().filter(|x| x.1 == "PS").count(),
                1,
                "{pid}: not one PS"
            );
            assert!(list.iter().all(|x| ["PS", "SS", "C", "I"].contains(&x.1)));
            assert!((1..=10).contains(&list.len()));
            total += list.len();
        }
        let mean = total as f64 / n as f64;
        assert!((2.7..3.7).contains(&mean), "mean drugs per report {mean}");

        let mut pts: HashMap<&str, usize> = HashMap::new();
        for r in z.rows("REAC") {
            *pts.entry(r[0]).or_default() += 1;
        }
        assert_eq!(pts.len(), n, "a report without reactions");
        assert!(pts.values().all(|&k| (1..=8).contains(&k)));
        let mut outc: HashMap<&str, usize> = HashMap::new();
        for r in z.rows("OUTC") {
            assert!(["DE", "LT", "HO", "DS", "CA", "RI", "OT"].contains(&r[2]));
            *outc.entry(r[0]).or_default() += 1;
        }
        assert!(outc.values().all(|&k| k <= 2));
        // THER and INDI refer to existing drug_seq values.
        for t in ["THER", "INDI"] {
            for r in z.rows(t) {
                let seq: u32 = r[2].parse().unwrap();
                assert!(seq as usize <= drugs[r[0]].len(), "{t} {r:?}");
            }
        }
        // Mixed case: Title-case PTs dominate, a few upper-case variants exist.
        let reac = z.rows("REAC");
        let upper = reac
            .iter()
            .filter(|r| r[2] == r[2].to_ascii_uppercase())
            .count();
        assert!(
            upper > 0 && upper < reac.len() / 50,
            "{upper} upper-case PTs"
        );
        assert!(reac.iter().any(|r| r[2] == "Febrile neutropenia"));
        let drug_rows = z.rows("DRUG");
        assert!(drug_rows.iter().any(|r| r[4].ends_with('.')));
        assert!(drug_rows.iter().any(|r| r[4].ends_with(" (NR)")));
        assert!(drug_rows.iter().any(|r| r[4] != r[4].to_ascii_uppercase()));
        assert!(drug_rows.iter().any(|r| r[15].starts_with('0')));
    }
}

#[test]
fn cross_quarter_versions_exist() {
    let d = demo();
    let q1: HashMap<&str, (u32, &str)> = d.zips[0]
        .rows("DEMO")
        .into_iter()
        .map(|r| (r[1], (r[2].parse().unwrap(), r[7])))
        .collect();
    let mut later = 0;
    for r in d.zips[1].rows("DEMO") {
        if let Some(&(v, fda)) = q1.get(r[1]) {
            let v2: u32 = r[2].parse().unwrap();
            assert!(v2 > v && r[7] > fda, "case {} goes back in time", r[1]);
            later += 1;
        }
    }
    assert!(
        later > 500,
        "only {later} cases followed up in the next quarter"
    );
}

#[test]
fn every_version_of_a_case_tells_the_same_story() {
    let d = demo();
    // DEMO columns that may change between versions: primaryid, caseversion, i_f_code,
    // mfr_dt, fda_dt, rept_dt.
    let varying = [0usize, 2, 3, 5, 7, 20];
    let q1_demo: HashMap<&str, Vec<&str>> = d.zips[0]
        .rows("DEMO")
        .into_iter()
        .map(|r| (r[1], r))
        .collect();
    let drugs = |z: &ReadZip| {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for r in z.rows("DRUG") {
            m.entry(r[0].to_string())
                .or_default()
                .push(r[2..].join("$"));
        }
        m
    };
    let pts = |z: &ReadZip| {
        let mut m: HashMap<String, HashSet<String>> = HashMap::new();
        for r in z.rows("REAC") {
            m.entry(r[0].to_string())
                .or_default()
                .insert(r[2].to_ascii_uppercase());
        }
        m
    };
    let (drugs1, drugs2) = (drugs(&d.zips[0]), drugs(&d.zips[1]));
    let (pts1, pts2) = (pts(&d.zips[0]), pts(&d.zips[1]));
    let mut compared = 0;
    for r in d.zips[1].rows("DEMO") {
        let Some(old) = q1_demo.get(r[1]) else {
            continue;
        };
        for (i, (a, b)) in old.iter().zip(&r).enumerate() {
            if !varying.contains(&i) {
                assert_eq!(a, b, "case {} column {i} changed between versions", r[1]);
            }
        }
        let (p1, p2) = (old[0], r[0]);
        assert_eq!(drugs1[p1], drugs2[p2], "case {} drugs changed", r[1]);
        assert!(pts2[p2].is_superset(&pts1[p1]), "case {} lost a PT", r[1]);
        compared += 1;
    }
    assert!(compared > 500);
}

#[test]
fn fda_dt_ties_and_same_quarter_versions_exist() {
    for z in &demo().zips {
        let mut by_case: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for r in z.rows("DEMO") {
            by_case.entry(r[1]).or_default().push((r[7], r[0]));
        }
        let multi = by_case.values().filter(|v| v.len() > 1).count();
        let ties = by_case
            .values()
            .filter(|v| v.len() > 1 && v.iter().all(|x| x.0 == v[0].0))
            .count();
        assert!(
            multi >= 30,
            "{multi} cases with two versions in one quarter"
        );
        assert!(ties >= 5, "{ties} fda_dt ties");
    }
}

#[test]
fn deleted_lists_look_like_fdas() {
    let d = demo();
    let all_caseids: HashSet<u64> = d
        .zips
        .iter()
        .flat_map(|z| {
            z.rows("DEMO")
                .into_iter()
                .map(|r| r[1].parse::<u64>().unwrap())
        })
        .collect();
    for z in &d.zips {
        let text = z.deleted_text();
        assert!(
            text.starts_with(" \r\n"),
            "first line is not a single space"
        );
        let ids = z.deleted();
        assert!(ids.len() > 50);
        assert!(ids.windows(2).all(|w| w[0] <= w[1]), "not ascending");
        assert!(ids.iter().all(|c| (10_000_000..100_000_000).contains(c)));
        let matching = ids.iter().filter(|c| all_caseids.contains(c)).count();
        assert!(
            matching > 10 && matching < ids.len(),
            "{matching} of {} match",
            ids.len()
        );
    }
}

#[test]
fn invalid_options_are_rejected() {
    let mut o = small_options(1);
    o.quarters[0].quarter = 5;
    assert!(write_quarter_to(&o, 0, Cursor::new(Vec::new())).is_err());
    let mut o = small_options(1);
    o.quarters[1] = o.quarters[0].clone();
    assert!(write_quarter_to(&o, 0, Cursor::new(Vec::new())).is_err());
    assert!(write_quarter_to(&small_options(1), 2, Cursor::new(Vec::new())).is_err());
}

#[test]
fn an_empty_quarter_has_headers_only() {
    let o = SynthOptions {
        seed: 3,
        quarters: vec![QuarterSpec {
            year: 2015,
            quarter: 1,
            reports: 0,
        }],
    };
    let (bytes, w) = to_memory(&o, 0);
    let z = ReadZip::parse(&bytes, 2015, 1);
    assert_eq!(w.reports, 0);
    for (t, h) in HEADERS {
        assert_eq!(z.text(t), format!("{h}\r\n"));
    }
}

/// FDA-style de-duplication over all loaded quarters (latest fda_dt, tie → largest
/// primaryid), minus deleted caseids; returns the kept primaryids.
fn dedup(zips: &[ReadZip]) -> HashSet<String> {
    let deleted: HashSet<u64> = zips.iter().flat_map(|z| z.deleted()).collect();
    let mut best: HashMap<u64, (u64, u64)> = HashMap::new();
    for z in zips {
        for r in z.rows("DEMO") {
            let caseid: u64 = r[1].parse().unwrap();
            let key = (r[7].parse().unwrap(), r[0].parse().unwrap());
            let e = best.entry(caseid).or_insert(key);
            if key > *e {
                *e = key;
            }
        }
    }
    best.into_iter()
        .filter(|(c, _)| !deleted.contains(c))
        .map(|(_, (_, p))| p.to_string())
        .collect()
}

/// Report-level 2×2 counts and ROR with 95% CI for a drug (drugname or prod_ai contains a
/// term, role PS/SS) and a PT (case-insensitive).
fn ror(
    zips: &[ReadZip],
    kept: &HashSet<String>,
    terms: &[String],
    pt: &str,
) -> (u64, f64, f64, f64) {
    let terms: Vec<String> = terms.iter().map(|t| t.to_ascii_uppercase()).collect();
    let mut target = HashSet::new();
    let mut with_pt = HashSet::new();
    for z in zips {
        for r in z.rows("DRUG") {
            if !kept.contains(r[0]) || !(r[3] == "PS" || r[3] == "SS") {
                continue;
            }
            let name = r[4].to_ascii_uppercase();
            if terms
                .iter()
                .any(|t| name.contains(t.as_str()) || r[5].contains(t.as_str()))
            {
                target.insert(r[0].to_string());
            }
        }
        for r in z.rows("REAC") {
            if kept.contains(r[0]) && r[2].eq_ignore_ascii_case(pt) {
                with_pt.insert(r[0].to_string());
            }
        }
    }
    let n = kept.len() as f64;
    let a = target.intersection(&with_pt).count() as f64;
    let b = target.len() as f64 - a;
    let c = with_pt.len() as f64 - a;
    let d = n - a - b - c;
    let ror = a * d / (b * c);
    let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    (
        a as u64,
        ror,
        (ror.ln() - 1.96 * se).exp(),
        (ror.ln() + 1.96 * se).exp(),
    )
}

#[test]
fn planted_associations_are_found_and_the_negative_control_is_not() {
    let d = demo();
    let kept = dedup(&d.zips);
    assert!(
        kept.len() > 25_000 && kept.len() < 29_500,
        "{} kept",
        kept.len()
    );
    let mut strong = 0;
    let mut strong_found = 0;
    let mut lines = Vec::new();
    for p in &d.summary.planted {
        let mut terms = p.brands.clone();
        terms.push(p.generic.clone());
        let (a, r, lo, hi) = ror(&d.zips, &kept, &terms, &p.pt);
        lines.push(format!(
            "{} / {}: RR {} a={a} ROR {r:.2} ({lo:.2}-{hi:.2})",
            p.generic, p.pt, p.relative_risk
        ));
        let signal = a >= 3 && lo > 1.0;
        if p.relative_risk >= 5.0 {
            strong += 1;
            strong_found += usize::from(signal);
            if a >= 3 {
                assert!(r > 2.0, "{}", lines.last().unwrap());
            }
        }
        if p.relative_risk == 1.0 {
            assert!(
                (0.4..2.5).contains(&r),
                "negative control: {}",
                lines.last().unwrap()
            );
        }
        if p.generic == "INOTUZUMAB OZOGAMICIN"
            && [
                "Veno-occlusive liver disease",
                "Febrile neutropenia",
                "Sepsis",
                "Thrombocytopenia",
            ]
            .contains(&p.pt.as_str())
        {
            assert!(signal, "study PT not found: {}", lines.last().unwrap());
        }
    }
    println!("{}", lines.join("\n"));
    assert!(
        strong_found * 4 >= strong * 3,
        "only {strong_found} of {strong} strong associations found:\n{}",
        lines.join("\n")
    );
    // The negative control is really there.
    assert!(d.summary.planted.iter().any(|p| p.relative_risk == 1.0));
}

#[test]
fn target_reports_have_time_to_onset() {
    let d = demo();
    let z = &d.zips[0];
    let event: HashMap<&str, &str> = z.rows("DEMO").into_iter().map(|r| (r[0], r[4])).collect();
    let mut target_seq: HashSet<(&str, &str)> = HashSet::new();
    for r in z.rows("DRUG") {
        if r[5] == "INOTUZUMAB OZOGAMICIN" && (r[3] == "PS" || r[3] == "SS") {
            target_seq.insert((r[0], r[2]));
        }
    }
    assert!(
        target_seq.len() > 100,
        "{} target drug rows",
        target_seq.len()
    );
    let mut onsets = Vec::new();
    for r in z.rows("THER") {
        if target_seq.contains(&(r[0], r[2])) && r[3].len() == 8 && event[r[0]].len() == 8 {
            assert!(r[3] <= event[r[0]], "therapy starts after the event");
            onsets.push(r[3]);
        }
    }
    assert!(onsets.len() > 50, "{} time-to-onset pairs", onsets.len());
}

/// A full-size quarter in release mode: `cargo test -p faers-synth --release -- --ignored`.
#[test]
#[ignore = "slow: writes a full-size quarter (~330 MB of text)"]
fn full_size_quarter_timing() {
    let dir = temp_dir("full");
    let start = std::time::Instant::now();
    let summary = write_quarters(&SynthOptions::full_size(2024, 3), &dir).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let z = &summary.zips[0];
    let zip_bytes = std::fs::metadata(dir.join(&z.file_name)).unwrap().len();
    println!(
        "full size {}: {secs:.1} s, {} reports, {:.1} MB text, {:.1} MB zip, rows {:?}, deleted {}",
        z.quarter,
        z.reports,
        z.uncompressed_bytes as f64 / 1e6,
        zip_bytes as f64 / 1e6,
        z.table_rows,
        z.deleted_caseids
    );
    assert_eq!(z.reports, 450_000);
    assert!(secs < 60.0, "{secs} s");
    std::fs::remove_dir_all(&dir).unwrap();
}
