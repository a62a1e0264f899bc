//! Property-based fuzzing of the line splitter, the table reader and the zip reader.
//!
//! Each target runs for `FAERS_FUZZ_SECONDS` seconds (default 2) of random cases, so the
//! ordinary test run stays short and a long run is one environment variable away:
//! `FAERS_FUZZ_SECONDS=600 cargo test --release -p faers-core --test fuzz -- --test-threads 1`.
//! Inputs are built from valid FAERS bytes with random damage (cut, flipped, inserted,
//! duplicated bytes), plus pure noise. The properties: no panic, ever; the splitter's lines
//! equal a plain split whatever the chunking; the reader's accounting adds up.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use faers_core::lines::{Line, LineSplitter};
use faers_core::Workspace;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn budget() -> Duration {
    let secs = std::env::var("FAERS_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

/// Runs `test` on values of `strategy` until the time budget is spent; returns the count.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let (start, budget) = (Instant::now(), budget());
    let mut cases = 0u64;
    while start.elapsed() < budget {
        let tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Err(e) = runner.run_one(tree, &test) {
            panic!("{name}: {e}");
        }
        cases += 1;
    }
    eprintln!("{name}: {cases} cases in {:.0?}", start.elapsed());
}

fn reference_lines(bytes: &[u8], max: usize) -> Vec<Option<Vec<u8>>> {
    let mut parts: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if parts.last().is_some_and(|l| l.is_empty()) {
        parts.pop();
    }
    parts
        .into_iter()
        .map(|l| {
            if l.len() > max {
                None
            } else {
                Some(l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            }
        })
        .collect()
}

#[test]
fn fuzz_line_splitter_against_a_plain_split() {
    let bytes = prop::collection::vec(
        prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'$'), any::<u8>()],
        0..400,
    );
    fuzz(
        "line splitter",
        (bytes, prop::collection::vec(0usize..400, 0..8), 1usize..64),
        |(bytes, mut cuts, max)| {
            cuts.push(0);
            cuts.push(bytes.len());
            cuts.iter_mut().for_each(|c| *c = (*c).min(bytes.len()));
            cuts.sort_unstable();
            let mut got = Vec::new();
            let mut splitter = LineSplitter::with_max_line(max);
            let mut cb = |_: u64, l: Line<'_>| {
                got.push(match l {
                    Line::Text(t) => Some(t.to_vec()),
                    Line::TooLong => None,
                })
            };
            for w in cuts.windows(2) {
                splitter.push(&bytes[w[0]..w[1]], &mut cb);
            }
            splitter.finish(&mut cb);
            prop_assert_eq!(got, reference_lines(&bytes, max));
            Ok(())
        },
    );
}

const DEMO: &str = "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod$reporter_country$occr_country\r\n1001$100$1$I$20240105$$20240110$20240110$EXP$$$$$70$YR$$F$Y$60$KG$$$MD$US$US\r\n1002$101$1$I$2024$$$20240111$EXP$$X-$Y$$$6$DEC$$M$Y$$$$$CN$US$US\r\n";
const DRUG: &str = "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq\r\n1001$100$1$PS$BESPONSA$INOTUZUMAB OZOGAMICIN$1$IV$$$$$$$$$1$MG$$\r\n1002$101$1$PS$\"X\" #2$$1$$$$$$$$$$$$$\r\n";
const REAC: &str = "primaryid$caseid$pt$drug_rec_act\r\n1001$100$Nausea$\r\n1002$101$Veno-occlusive liver disease$\r\n";
const LEGACY: &str = "ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT$NDA_NUM\r\n1001$1$PS$A$1$$$$$$$$\r\n";

fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Cut(usize),
    Remove(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(prop_oneof![Just(b'$'), Just(b'\n'), any::<u8>()], 1..20)
        )
            .prop_map(|(i, v)| Damage::Insert(i, v)),
        any::<usize>().prop_map(Damage::Cut),
        (any::<usize>(), 1usize..30).prop_map(|(i, n)| Damage::Remove(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, damages: &[Damage]) {
    for d in damages {
        let len = bytes.len().max(1);
        match d {
            Damage::Flip(i, b) if !bytes.is_empty() => bytes[i % len] ^= b | 1,
            Damage::Insert(i, v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Damage::Cut(i) => bytes.truncate(i % (bytes.len() + 1)),
            Damage::Remove(i, n) if !bytes.is_empty() => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {}
        }
    }
}

fn check_reader(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let mut ws = Workspace::new();
    let s = ws
        .add_zip("fuzz.zip", Cursor::new(bytes), &mut |done, total| {
            assert!(done <= total.max(done));
        })
        .clone();
    match &s.error {
        Some(e) => prop_assert!(e.starts_with("fuzz.zip: "), "{}", e),
        None => {
            prop_assert_eq!(ws.quarters().len(), 1);
            let q = &ws.quarters()[0];
            prop_assert_eq!(
                s.tables.get("DEMO").copied().unwrap_or(0),
                q.reports.len() as u64
            );
            let options = faers_core::AnalysisOptions {
                drugs: vec!["a".into()],
                ..Default::default()
            };
            let r = ws.analyze(&options).unwrap();
            for sig in &r.signals {
                prop_assert_eq!(sig.a + sig.b + sig.c + sig.d, r.counts.reports);
            }
        }
    }
    Ok(())
}

#[test]
fn fuzz_table_damage_inside_a_valid_zip() {
    fuzz(
        "damaged tables",
        (
            prop::collection::vec(damage(), 0..6),
            prop::collection::vec(damage(), 0..6),
            any::<bool>(),
        ),
        |(demo_damage, drug_damage, legacy)| {
            let mut demo = DEMO.as_bytes().to_vec();
            apply(&mut demo, &demo_damage);
            let mut drug = if legacy { LEGACY } else { DRUG }.as_bytes().to_vec();
            apply(&mut drug, &drug_damage);
            check_reader(zip_of(&[
                ("ASCII/DEMO24Q1.txt".into(), demo),
                ("ASCII/DRUG24Q1.txt".into(), drug),
                ("ASCII/REAC24Q1.txt".into(), REAC.as_bytes().to_vec()),
            ]))
        },
    );
}

#[test]
fn fuzz_damaged_zip_bytes() {
    let valid = zip_of(&[
        ("ASCII/DEMO24Q1.txt".into(), DEMO.as_bytes().to_vec()),
        ("ASCII/DRUG24Q1.txt".into(), DRUG.as_bytes().to_vec()),
        ("ASCII/REAC24Q1.txt".into(), REAC.as_bytes().to_vec()),
        (
            "Deleted/DELETE24Q1.txt".into(),
            b" \r\n100\r\nx\r\n".to_vec(),
        ),
    ]);
    fuzz(
        "damaged zip",
        prop::collection::vec(damage(), 0..5),
        |damages| {
            let mut bytes = valid.clone();
            apply(&mut bytes, &damages);
            check_reader(bytes)
        },
    );
    fuzz(
        "noise",
        prop::collection::vec(any::<u8>(), 0..2000),
        check_reader,
    );
}
