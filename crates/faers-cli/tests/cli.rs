//! The `faers` command as a user runs it.

use std::path::PathBuf;
use std::process::Command;

fn faers() -> Command {
    Command::new(env!("CARGO_BIN_EXE_faers"))
}

fn sample_2017q2() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata/faers-2017q2-sample/faers_ascii_2017q2.zip");
    assert!(
        p.exists(),
        "{} missing: shared/ must sit beside the repository",
        p.display()
    );
    p
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faers-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn analyze_real_sample_writes_the_contract_json() {
    let out = faers()
        .args(["analyze", "--drug", "aspirin", "--json", "-"])
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &v["inputs"][0];
    assert_eq!(input["name"], "faers_ascii_2017q2.zip");
    assert_eq!(input["quarter"], "2017Q2");
    assert_eq!(input["era"], "faers");
    assert_eq!(input["skipped_lines"], 0);
    let tables = &input["tables"];
    for (t, n) in [
        ("DEMO", 100),
        ("DRUG", 328),
        ("INDI", 232),
        ("OUTC", 75),
        ("REAC", 286),
        ("RPSR", 2),
        ("THER", 142),
    ] {
        assert_eq!(tables[t], n, "{t}");
    }
    for key in ["settings", "inputs", "counts", "signals", "descriptive"] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert_eq!(v["settings"]["roles"], serde_json::json!(["PS", "SS"]));
    assert_eq!(v["settings"]["unit"], "reports");
    assert_eq!(v["counts"]["demo_rows"], 100);
    for s in v["signals"].as_array().unwrap() {
        for f in [
            "pt",
            "a",
            "b",
            "c",
            "d",
            "ror",
            "ror_lower",
            "ror_upper",
            "prr",
            "chi2",
            "ic",
            "ic025",
            "signal",
        ] {
            assert!(s.get(f).is_some(), "signal field {f} missing");
        }
    }
}

#[test]
fn folders_expand_to_their_zips() {
    let dir = temp_dir("folder");
    std::fs::copy(sample_2017q2(), dir.join("faers_ascii_2017q2.zip")).unwrap();
    let out = faers()
        .args(["analyze", "--drug", "aspirin", "--json", "-"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 1);
}

#[test]
fn unusable_arguments_exit_2_with_one_line() {
    let out = faers()
        .args(["analyze", "--drug", "x", "--meddra", "/nowhere/meddra.zip"])
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nowhere/meddra.zip"), "{err}");

    let dir = temp_dir("bad");
    let bogus = dir.join("notes.zip");
    std::fs::write(&bogus, "not a zip").unwrap();
    let out = faers()
        .args(["analyze", "--drug", "x"])
        .arg(&bogus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.zip: not a zip archive: it holds plain text"),
        "{err}"
    );
    assert!(err.contains("no input could be read"), "{err}");

    // A download that stopped early, and a web page saved in place of the zip, are told apart.
    let real = std::fs::read(sample_2017q2()).unwrap();
    let cut = dir.join("faers_ascii_2017q2.zip");
    std::fs::write(&cut, &real[..real.len() / 2]).unwrap();
    let page = dir.join("faers_ascii_2017q3.zip");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html><title>Page not found</title>",
    )
    .unwrap();
    let out = faers()
        .args(["analyze", "--drug", "x"])
        .arg(&cut)
        .arg(&page)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("faers_ascii_2017q2.zip: the zip is cut short")
            && err.contains("download it again"),
        "{err}"
    );
    assert!(
        err.contains("faers_ascii_2017q3.zip: not a zip archive: it is a web page (HTML)"),
        "{err}"
    );

    // A bad file beside a good one: a warning, and the analysis goes on.
    let out = faers()
        .args(["analyze", "--drug", "aspirin", "--json", "-"])
        .arg(&bogus)
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 2);
    let bad = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "notes.zip")
        .expect("the bad file is listed");
    assert!(bad["error"]
        .as_str()
        .unwrap()
        .contains("notes.zip: not a zip"));

    // Options that no data could make usable are refused before any file is read: no line
    // about the sample is printed, and a label that cannot be read is named first.
    for (args, said) in [
        (&["--drug", " "][..], "enter at least one drug name"),
        (
            &["--drug", "x", "--label-override", "SEPSIS=maybe"],
            "SEPSIS",
        ),
        (
            &["--drug", "x", "--label", "/nowhere/label.zip"],
            "/nowhere/label.zip",
        ),
    ] {
        let out = faers()
            .arg("analyze")
            .args(args)
            .arg(sample_2017q2())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(
            !err.contains("faers_ascii_2017q2.zip"),
            "{args:?} read the data first: {err}"
        );
    }

    let out = faers()
        .args(["analyze", "--drug", "x", "--roles", "PS,XX"])
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn case_history_and_dedup_comparison() {
    let out = faers()
        .args(["case", "--caseid", "10979236", "--json", "-"])
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["caseid"], 10979236);
    assert_eq!(v["versions"][0]["primaryid"], 109792364u64);
    assert_eq!(v["versions"][0]["caseversion"], 4);
    assert_eq!(v["versions"][0]["kept"], true);

    let out = faers()
        .args([
            "analyze",
            "--drug",
            "risperdal",
            "--compare-dedup",
            "--json",
            "-",
        ])
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let labels: Vec<&str> = v["sensitivity"]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "fda + deleted",
            "caseversion + deleted",
            "none + deleted",
            "fda + deleted + rules"
        ]
    );
    assert!(!v["sensitivity"]["rows"].as_array().unwrap().is_empty());
}

#[test]
fn meddra_folder_groups_signals_by_soc() {
    // A small MedDRA-format fixture written here (MedDRA is never shipped).
    let dir = temp_dir("meddra");
    std::fs::write(dir.join("meddra_release.asc"), "27.0$English$$$\n").unwrap();
    std::fs::write(
        dir.join("mdhier.asc"),
        "10019211$10019233$10019231$10029205$Headache$Headaches NEC$Headaches$Nervous system disorders$Nerv$$10029205$Y$\n",
    )
    .unwrap();
    let out = faers()
        .args(["analyze", "--drug", "risperdal", "--json", "-", "--meddra"])
        .arg(&dir)
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["settings"]["meddra"], "27.0");
    assert!(v["by_soc"].is_array());
    for s in v["signals"].as_array().unwrap() {
        if s["pt"] == "HEADACHE" {
            assert_eq!(s["pt_code"], 10019211);
            assert_eq!(s["soc"], "Nervous system disorders");
        } else {
            assert!(s["pt_code"].is_null());
        }
    }
}

#[test]
fn export_writes_every_file_and_label_marks_listedness() {
    let dir = temp_dir("export");
    let label = dir.join("label.txt");
    std::fs::write(
        &label,
        "WARNING: SERIOUS BLEEDING\nRectal haemorrhage has occurred.\n\n\
         6 ADVERSE REACTIONS\nIntestinal masses were reported.\n\n\
         7 DRUG INTERACTIONS\nGastrointestinal haemorrhage with warfarin.\n",
    )
    .unwrap();
    let export = |to: &std::path::Path| {
        let out = faers()
            .args(["analyze", "--drug", "aspirin", "--onset", "+1"])
            .args(["--listing-ages", "0-120"])
            .args(["--label-override", "OFF LABEL USE=listed", "--label"])
            .arg(&label)
            .arg("--export")
            .arg(to)
            .arg(sample_2017q2())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let out_dir = dir.join("out");
    export(&out_dir);
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ades_by_pt.svg",
            "age.csv",
            "descriptive.csv",
            "forest.svg",
            "funnel.csv",
            "inputs.csv",
            "listing.csv",
            "matched_names.csv",
            "methods.md",
            "reports_per_year.svg",
            "result.json",
            "signals.csv",
            "time_to_onset.svg",
            "volcano.svg"
        ]
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("result.json")).unwrap())
            .unwrap();
    assert_eq!(v["settings"]["onset"], "+1");
    assert_eq!(v["label"]["format"], "text");
    let calls: Vec<(&str, &str)> = v["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["pt"].as_str().unwrap(), s["listed"].as_str().unwrap()))
        .collect();
    // Interactions are not a risk section: the haemorrhage named there is not listed.
    assert_eq!(
        calls,
        [
            ("GASTROINTESTINAL HAEMORRHAGE", "not listed"),
            ("INTESTINAL MASS", "adverse reactions"),
            ("OFF LABEL USE", "listed"),
            ("PRODUCT USE IN UNAPPROVED INDICATION", "not listed"),
            ("RECTAL HAEMORRHAGE", "boxed warning"),
        ]
    );
    // The listing covers every target case with an age.
    assert_eq!(
        v["listing"]["cases"], v["descriptive"]["age"]["n"],
        "0-120 lists every aged case"
    );
    // Same run, same bytes.
    let again = dir.join("again");
    export(&again);
    for name in &names {
        assert_eq!(
            std::fs::read(out_dir.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}"
        );
    }

    // An unreadable label is named and the run stops with status 2.
    std::fs::write(dir.join("bad.xml"), "<document><unclosed>").unwrap();
    let out = faers()
        .args(["analyze", "--drug", "aspirin", "--label"])
        .arg(dir.join("bad.xml"))
        .arg(sample_2017q2())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.xml"));
}

#[test]
fn parallel_reading_gives_the_same_result_and_plots_are_written() {
    let legacy = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/realdata/legacy-2004q1-sample/aers_ascii_2004q1.zip");
    let run = |jobs: &str, plots: &std::path::Path| {
        let out = faers()
            .args([
                "analyze", "--drug", "aspirin", "--json", "-", "--jobs", jobs, "--plots",
            ])
            .arg(plots)
            .arg(sample_2017q2())
            .arg(&legacy)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    let dir = temp_dir("jobs");
    let (one, log_one) = run("1", &dir.join("p1"));
    let (two, log_two) = run("2", &dir.join("p2"));
    assert_eq!(one, two, "the same JSON whatever the threads");
    // Files are reported in the order given, however the threads finish.
    let order = |log: &str| {
        log.lines()
            .filter_map(|l| l.split(':').next())
            .filter(|n| n.ends_with(".zip"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        order(&log_one),
        ["faers_ascii_2017q2.zip", "aers_ascii_2004q1.zip"]
    );
    assert_eq!(order(&log_two), order(&log_one));
    let mut svgs: Vec<String> = std::fs::read_dir(dir.join("p2"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    svgs.sort();
    assert_eq!(
        svgs,
        [
            "ades_by_pt.svg",
            "forest.svg",
            "reports_per_year.svg",
            "time_to_onset.svg",
            "volcano.svg"
        ]
    );
    assert_eq!(
        std::fs::read(dir.join("p1/volcano.svg")).unwrap(),
        std::fs::read(dir.join("p2/volcano.svg")).unwrap()
    );
}
