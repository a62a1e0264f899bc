//! The real FDA samples in `../shared/realdata/` read with zero skipped lines and the row
//! counts listed in its README.

use std::fs::File;
use std::path::PathBuf;

use faers_core::{AnalysisOptions, Workspace};

fn shared(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    assert!(
        path.exists(),
        "{} is missing: the shared/ folder must sit beside the repository",
        path.display()
    );
    path
}

fn load(ws: &mut Workspace, rel: &str) -> faers_core::InputSummary {
    let path = shared(rel);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    ws.add_zip(&name, File::open(&path).unwrap(), &mut |_, _| {})
        .clone()
}

fn rows(summary: &faers_core::InputSummary) -> Vec<(String, u64)> {
    summary
        .tables
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

fn expect(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    v.sort();
    v
}

#[test]
fn faers_2017q2_sample_reads_every_row() {
    let mut ws = Workspace::new();
    let s = load(
        &mut ws,
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
    );
    assert_eq!(s.error, None);
    assert_eq!(s.quarter.as_deref(), Some("2017Q2"));
    assert_eq!(s.era.as_deref(), Some("faers"));
    assert_eq!(
        (s.skipped_lines, s.repaired_lines),
        (0, 0),
        "{:?}",
        s.line_issues
    );
    assert_eq!(
        rows(&s),
        expect(&[
            ("DEMO", 100),
            ("DRUG", 328),
            ("INDI", 232),
            ("OUTC", 75),
            ("REAC", 286),
            ("RPSR", 2),
            ("THER", 142),
        ])
    );
    assert_eq!(s.sha256.len(), 64);
}

#[test]
fn legacy_2004q1_sample_reads_every_row() {
    let mut ws = Workspace::new();
    let s = load(
        &mut ws,
        "realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip",
    );
    assert_eq!(s.error, None);
    assert_eq!(s.quarter.as_deref(), Some("2004Q1"));
    assert_eq!(s.era.as_deref(), Some("legacy"));
    assert_eq!(
        (s.skipped_lines, s.repaired_lines),
        (0, 0),
        "{:?}",
        s.line_issues
    );
    assert_eq!(
        rows(&s),
        expect(&[
            ("DEMO", 100),
            ("DRUG", 386),
            ("INDI", 124),
            ("OUTC", 93),
            ("REAC", 416),
            ("RPSR", 119),
            ("THER", 145),
        ])
    );
}

#[test]
fn an_analysis_of_the_real_sample_is_consistent() {
    let mut ws = Workspace::new();
    load(
        &mut ws,
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
    );
    // The most frequent drug name of the sample's primary suspects is a fine target.
    let q = &ws.quarters()[0];
    let mut counts = std::collections::HashMap::new();
    for r in 0..q.reports.len() {
        for d in q.drugs.of(r) {
            if d.role() == Some(faers_core::Role::PS) {
                *counts
                    .entry(q.drug_names.name(q.name_of(&d)).to_owned())
                    .or_insert(0) += 1;
            }
        }
    }
    let (top, _) = counts
        .iter()
        .max_by_key(|(n, c)| (**c, std::cmp::Reverse(*n)))
        .unwrap();
    let options = AnalysisOptions {
        drugs: vec![top.clone()],
        ..AnalysisOptions::default()
    };
    let result = ws.analyze(&options).unwrap();
    let c = &result.counts;
    assert_eq!(c.demo_rows, 100);
    assert!(c.reports <= 100 && c.target_reports >= 1);
    for s in &result.signals {
        assert_eq!(s.a + s.b, c.target_reports, "{}", s.pt);
        assert_eq!(s.a + s.b + s.c + s.d, c.reports, "{}", s.pt);
    }
}

/// The 2012Q4 heads keep that quarter's quirks (BOM on DRUG, `lot_nbr`, ` rept_dt`,
/// `outc_code`, lower-case names): packed here into a zip as FDA's 2012Q4 layout had them.
#[test]
fn faers_2012q4_heads_with_their_quirks_read_every_row() {
    use std::io::Write;
    let dir = shared("realdata/faers-2012q4-head");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for t in ["demo", "drug", "indi", "outc", "reac", "rpsr", "ther"] {
        let name = format!("{t}12q4.txt");
        w.start_file(format!("ascii/{name}"), opts).unwrap();
        w.write_all(&std::fs::read(dir.join(&name)).unwrap())
            .unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    let mut ws = Workspace::new();
    let s = ws
        .add_zip(
            "faers_ascii_2012q4.zip",
            std::io::Cursor::new(bytes),
            &mut |_, _| {},
        )
        .clone();
    assert_eq!(s.error, None);
    assert_eq!(s.quarter.as_deref(), Some("2012Q4"));
    assert_eq!(s.era.as_deref(), Some("faers"));
    assert_eq!(
        (s.skipped_lines, s.repaired_lines),
        (0, 0),
        "{:?}",
        s.line_issues
    );
    assert_eq!(
        rows(&s),
        expect(&[
            ("DEMO", 9),
            ("DRUG", 10),
            ("INDI", 10),
            ("OUTC", 10),
            ("REAC", 10),
            ("RPSR", 10),
            ("THER", 10),
        ])
    );
    assert!(
        s.warnings
            .iter()
            .all(|w| !w.contains("column(s) not in FDA")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn values_of_the_real_sample_are_kept() {
    use faers_core::store::NO_TEXT;
    let mut ws = Workspace::new();
    load(
        &mut ws,
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
    );
    let q = &ws.quarters()[0];
    let r = q
        .reports
        .primaryid
        .iter()
        .position(|p| p == 109_792_364)
        .unwrap();
    assert_eq!(q.reports.caseid_of(r).map(u64::from), Some(10_979_236));
    assert_eq!(q.reports.caseversion.get(r), 4);
    assert_eq!(
        q.reports.event_dt.get(r).0,
        20030000,
        "YYYY kept with year precision"
    );
    assert_eq!(q.reports.fda_dt.get(r).0, 20170406);
    assert_eq!(q.countries.name(q.reports.reporter_country.get(r)), "US");
    let drug = q.drugs.of(r).next().unwrap();
    let (name, prod_ai) = q.product_of(&drug);
    assert_eq!(q.drug_names.name(name), "RISPERDAL");
    assert_eq!(q.drug_names.name(prod_ai), "RISPERIDONE");
    assert_eq!(q.drug_details.name(drug.details()), "Oral$$$TABLETS$");
    let (seq, indication) = q.indications.of(r).next().unwrap();
    assert_eq!(seq, 1);
    assert_eq!(
        ws.pt_name(indication.into()),
        "PRODUCT USED FOR UNKNOWN INDICATION"
    );
    let with_source = q.reports.sources.iter().filter(|&&s| s != 0).count();
    assert_eq!(with_source, 2, "the two RPSR rows");
    let r = q
        .reports
        .primaryid
        .iter()
        .position(|p| p == 131_556_992)
        .unwrap();
    assert_eq!(q.reports.weight_kg[r], 66.74);
    assert_eq!(q.reports.age_years[r], 46.0);
    assert!(q.drugs.rows().all(|d| q.name_of(&d) != NO_TEXT));
}

/// A quarter kept as bytes and added back gives the same analysis, byte for byte, even when
/// the quarters come back in another order (PT ids are renumbered on the way in); damaged,
/// foreign or repeated snapshots are refused with a reason and change nothing.
#[test]
fn snapshots_give_back_the_same_analysis() {
    let mut ws = Workspace::new();
    load(
        &mut ws,
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
    );
    load(
        &mut ws,
        "realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip",
    );
    let options = AnalysisOptions {
        drugs: vec!["aspirin".into()],
        ..AnalysisOptions::default()
    };
    let json = |ws: &Workspace| serde_json::to_string(&ws.analyze(&options).unwrap()).unwrap();
    let expected = json(&ws);

    let legacy = ws.snapshot("2004Q1").expect("loaded");
    let faers = ws.snapshot("2017Q2").expect("loaded");
    assert!(ws.snapshot("2019Q1").is_none());
    let mut again = Workspace::new();
    again.add_snapshot(&legacy).unwrap();
    again.add_snapshot(&faers).unwrap();
    assert!(
        json(&again) == expected,
        "the same analysis after a round trip"
    );
    // Snapshots of snapshots are the same bytes.
    assert_eq!(again.snapshot("2017Q2").unwrap(), faers);

    // The same quarter twice: summarised as a duplicate (in inputs[]), not added.
    let dup = again.add_snapshot(&faers).unwrap().clone();
    assert!(dup.error.unwrap().contains("2017Q2"));
    let signals =
        |ws: &Workspace| serde_json::to_string(&ws.analyze(&options).unwrap().signals).unwrap();
    assert!(signals(&again) == signals(&ws));
    assert_eq!(again.quarters().len(), 2);

    use faers_core::snapshot::SnapshotError;
    let mut fresh = Workspace::new();
    assert_eq!(
        fresh
            .add_snapshot(b"PK\x03\x04 not a snapshot")
            .unwrap_err(),
        SnapshotError::NotSnapshot
    );
    let mut cut = faers.clone();
    cut.truncate(faers.len() / 2);
    assert!(matches!(
        fresh.add_snapshot(&cut).unwrap_err(),
        SnapshotError::Corrupt(_)
    ));
    let mut flipped = faers.clone();
    flipped[faers.len() / 3] ^= 0x40;
    assert!(matches!(
        fresh.add_snapshot(&flipped).unwrap_err(),
        SnapshotError::Corrupt(_)
    ));
    let mut newer = faers.clone();
    newer[8] = 99;
    assert_eq!(
        fresh.add_snapshot(&newer).unwrap_err(),
        SnapshotError::Version { found: 99 }
    );
    assert!(fresh.inputs().is_empty() && fresh.quarters().is_empty());
}

/// A reader that fails on any read touching `gap`.
struct Gapped<R> {
    inner: R,
    gap: std::ops::Range<u64>,
}

impl<R: std::io::Read + std::io::Seek> std::io::Read for Gapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let at = self.inner.stream_position()?;
        let n = self.inner.read(buf)?;
        if at < self.gap.end && at + n as u64 > self.gap.start {
            return Err(std::io::Error::other(format!(
                "read {at}+{n} touches the gap"
            )));
        }
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Gapped<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

/// Reading a zip on two threads (DRUG apart) gives exactly what one thread gives: the same
/// summary and the same quarter, byte for byte; a damaged file fails the same way.
#[test]
fn split_reading_equals_one_thread() {
    use faers_core::ingest::{read_zip, read_zip_split};
    use faers_core::snapshot::encode;
    for rel in [
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
        "realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip",
    ] {
        let path = shared(rel);
        let (one, data_one) = read_zip("q.zip", File::open(&path).unwrap(), &mut |_, _| {});
        let (two, data_two) = read_zip_split("q.zip", || File::open(&path), None);
        assert_eq!(one, two, "{rel}");
        let (a, b) = (data_one.unwrap(), data_two.unwrap());
        assert!(
            encode(&one, &a, &a.pt_names) == encode(&two, &b, &b.pt_names),
            "{rel}"
        );
    }
    // Two Web Workers: the DRUG half handed over as bytes.
    use faers_core::ingest::{join_halves, read_drug_half, read_main_half, FileHash};
    for rel in [
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
        "realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip",
    ] {
        let path = shared(rel);
        let (one, data_one) = read_zip("q.zip", File::open(&path).unwrap(), &mut |_, _| {});
        let drug = read_drug_half("q.zip", File::open(&path).unwrap(), &mut |_, _| {});
        let main = read_main_half(
            "q.zip",
            File::open(&path).unwrap(),
            FileHash::Compute,
            &mut |_, _| {},
        );
        let (two, data_two) = join_halves(main, &drug);
        assert_eq!(one, two, "{rel}");
        let (a, b) = (data_one.unwrap(), data_two.unwrap());
        assert!(
            encode(&one, &a, &a.pt_names) == encode(&two, &b, &b.pt_names),
            "{rel}"
        );
        // Damaged in transit: the file fails with a reason, nothing panics.
        let mut bad = drug.clone();
        bad[drug.len() / 2] ^= 1;
        let main = read_main_half(
            "q.zip",
            File::open(&path).unwrap(),
            FileHash::Compute,
            &mut |_, _| {},
        );
        let (failed, none) = join_halves(main, &bad);
        assert!(none.is_none());
        assert!(failed.error.unwrap().contains("another worker"));
    }
    // The main half reads nothing of the DRUG member's data: a reader that fails on any of
    // those bytes gives the same quarter.
    for rel in [
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
        "realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip",
    ] {
        let bytes = std::fs::read(shared(rel)).unwrap();
        let (one, data_one) = read_zip("q.zip", std::io::Cursor::new(&bytes), &mut |_, _| {});
        let gap = faers_core::ingest::main_half_gap(&mut std::io::Cursor::new(&bytes))
            .expect("a DRUG member");
        // Its data: inflated, it is the DRUG table.
        let mut drug_text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::DeflateDecoder::new(&bytes[gap.start as usize..gap.end as usize]),
            &mut drug_text,
        )
        .unwrap();
        let header = drug_text.to_ascii_lowercase();
        assert!(
            header.starts_with("primaryid$") || header.starts_with("isr$"),
            "{rel}"
        );
        let gapped = Gapped {
            inner: std::io::Cursor::new(&bytes),
            gap,
        };
        // As in the browser: the hash comes from the worker that reads the whole file.
        let main = read_main_half("q.zip", gapped, FileHash::Later, &mut |_, _| {});
        let drug = read_drug_half("q.zip", std::io::Cursor::new(&bytes), &mut |_, _| {});
        let (mut two, data_two) = join_halves(main, &drug);
        faers_core::ingest::give_sha256(&mut two, &one.sha256).unwrap();
        assert_eq!(one, two, "{rel}");
        let (a, b) = (data_one.unwrap(), data_two.unwrap());
        assert!(
            encode(&one, &a, &a.pt_names) == encode(&two, &b, &b.pt_names),
            "{rel}"
        );
    }
    // Cut short: the same error, named the same way.
    let bytes = std::fs::read(shared(
        "realdata/faers-2017q2-sample/faers_ascii_2017q2.zip",
    ))
    .unwrap();
    let cut = &bytes[..bytes.len() * 2 / 3];
    let (one, none) = read_zip("cut.zip", std::io::Cursor::new(cut), &mut |_, _| {});
    let (two, none2) = read_zip_split("cut.zip", || Ok(std::io::Cursor::new(cut)), None);
    assert!(none.is_none() && none2.is_none());
    assert_eq!(one.error, two.error);
    let drug = read_drug_half("cut.zip", std::io::Cursor::new(cut), &mut |_, _| {});
    let main = read_main_half(
        "cut.zip",
        std::io::Cursor::new(cut),
        FileHash::Compute,
        &mut |_, _| {},
    );
    assert_eq!(join_halves(main, &drug).0.error, one.error);
    assert!(one.error.unwrap().contains("cut.zip"));
}
