//! `faers`: the command-line face of faers-core (output-contract.md).
//!
//! `faers analyze` reads quarterly zips and writes the same result object as the page;
//! `faers synth` writes synthetic FAERS zips (demo data, tests, benchmarks).

use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use faers_core::listing::ListingFilter;
use faers_core::onset::OnsetConvention;
use faers_core::options::{
    Adjustment, Chi2Kind, Criterion, EbgmLikelihood, IcBounds, ZValue, ZeroCells,
};
use faers_core::{AnalysisOptions, DedupMode, DeletedMode, MatchMode, Role, Unit, Workspace};

#[derive(Parser)]
#[command(
    name = "faers",
    version,
    about = "FAERS disproportionality analysis, locally"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse FDA quarterly zips (or folders of them)
    Analyze(Box<AnalyzeArgs>),
    /// Write synthetic FAERS quarterly zips (clearly labelled synthetic)
    Synth(SynthArgs),
    /// Measure reading speed and the size of the loaded data (see BENCHMARKS.md)
    Bench(BenchArgs),
    /// Every version of one case in the loaded quarters: which was kept, and why
    Case(CaseArgs),
}

#[derive(clap::Args)]
struct CaseArgs {
    /// The caseid
    #[arg(long)]
    caseid: u64,
    /// Case deduplication
    #[arg(long, value_enum, default_value = "fda")]
    dedup: DedupArg,
    /// FDA deleted-case lists
    #[arg(long, value_enum, default_value = "apply")]
    deleted: DeletedArg,
    /// Rule-based duplicates removed
    #[arg(long)]
    rule_dedup: bool,
    /// Write the history as JSON here ("-" for stdout)
    #[arg(long, value_name = "FILE")]
    json: Option<String>,
    /// Files read at once, one thread each (0: one per core)
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Quarterly zips, or folders holding them
    #[arg(value_name = "ZIP|DIR", required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Reads per file; the best is reported
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Also time a query for this drug over the loaded file(s): the whole analysis, the
    /// measures alone for every PT, and (with --ebgm) the EBGM prior fit
    #[arg(long = "drug", value_name = "TERM")]
    drugs: Vec<String>,
    /// With --drug: also time the EBGM prior fit over every drug-event pair
    #[arg(long)]
    ebgm: bool,
    /// Instead: read all the files at once with each of these thread counts (e.g.
    /// 1,2,4), reporting total throughput, scaling and the loaded store's size
    #[arg(long, value_delimiter = ',', value_name = "N,...")]
    scaling: Vec<usize>,
    /// Quarterly zips
    #[arg(value_name = "ZIP", required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Generic or brand name; repeatable
    #[arg(long = "drug", value_name = "TERM", required = true)]
    drugs: Vec<String>,
    /// How TERM matches drugname / prod_ai
    #[arg(long = "match", value_enum, default_value = "contains")]
    match_mode: MatchArg,
    /// Role codes that make a report a target report
    #[arg(long, value_delimiter = ',', default_value = "PS,SS", value_parser = parse_role)]
    roles: Vec<Role>,
    /// Counting unit of the 2x2 tables
    #[arg(long, value_enum, default_value = "reports")]
    unit: UnitArg,
    /// Case deduplication
    #[arg(long, value_enum, default_value = "fda")]
    dedup: DedupArg,
    /// FDA deleted-case lists
    #[arg(long, value_enum, default_value = "apply")]
    deleted: DeletedArg,
    /// Also remove rule-based duplicates across caseids (same event date, age, sex,
    /// country, drugs and PTs; empty values never match)
    #[arg(long)]
    rule_dedup: bool,
    /// A matched spelling to leave out (as listed in matched_names); repeatable
    #[arg(long = "exclude", value_name = "NAME")]
    exclude: Vec<String>,
    /// Also run the analysis under fda, caseversion, none and fda + rule-based duplicates,
    /// and add the side-by-side comparison as "sensitivity" to the JSON
    #[arg(long)]
    compare_dedup: bool,
    /// z of the 95% intervals: 1.96 (the study) or exact (1.959964)
    #[arg(long, value_enum, default_value = "1.96")]
    z: ZArg,
    /// Zero cells: undefined ratios (null), or Haldane's +0.5 on tables with a zero
    #[arg(long, value_enum, default_value = "undefined")]
    zero_cells: ZeroArg,
    /// Signal criterion: study (a>=3, ROR lower>1), evans (PRR>=2, chi2>=4, a>=3),
    /// evans-yates, ic025 (IC025>0), eb05 (EB05>=2), custom (the --min-*/--*-above options)
    #[arg(long, value_enum, default_value = "study")]
    criterion: CriterionArg,
    /// Multiplicity adjustment of the ROR Wald p-value (a signal then also needs p < 0.05)
    #[arg(long, value_enum, default_value = "none")]
    adjust: AdjustArg,
    /// IC025/IC975: closed (Norén's closed form) or exact (gamma quantiles)
    #[arg(long, value_enum, default_value = "closed")]
    ic: IcArg,
    /// Also the conditional-MLE odds ratio with Fisher's exact 95% interval (DiAna's ROR)
    #[arg(long)]
    cmle: bool,
    /// Compute EBGM/EB05/EB95 (fits DuMouchel's prior over every drug-event pair)
    #[arg(long)]
    ebgm: bool,
    /// Likelihood of the EBGM prior fit: component (openEBGM), mixture (vigipy), all (PhViD)
    #[arg(long, value_enum, default_value = "component")]
    ebgm_likelihood: EbgmArg,
    /// Stratify EBGM's expected counts by age band x sex x year of fda_dt
    #[arg(long)]
    ebgm_strata: bool,
    /// custom criterion: least a
    #[arg(long)]
    min_a: Option<u64>,
    /// custom criterion: ROR lower bound above this
    #[arg(long)]
    ror_lower_above: Option<f64>,
    /// custom criterion: least PRR
    #[arg(long)]
    min_prr: Option<f64>,
    /// custom criterion: least chi2 (Pearson)
    #[arg(long)]
    min_chi2: Option<f64>,
    /// custom criterion: IC025 above this
    #[arg(long)]
    ic025_above: Option<f64>,
    /// The user's MedDRA ASCII files (folder or zip)
    #[arg(long, value_name = "PATH")]
    meddra: Option<PathBuf>,
    /// The drug's label, to mark each signal as listed or new: DailyMed's SPL zip or XML,
    /// or plain text
    #[arg(long, value_name = "PATH")]
    label: Option<PathBuf>,
    /// Your own listedness call for a PT, e.g. "SEPSIS=not listed" or
    /// "NEUTROPENIA=adverse reactions"; repeatable
    #[arg(long = "label-override", value_name = "PT=CALL", value_parser = parse_override)]
    label_overrides: Vec<(String, String)>,
    /// Ages listed in the case listing (Table 9), in years: FROM-BELOW, e.g. 0-18
    /// (children, the default) or 65-150
    #[arg(long, value_name = "FROM-BELOW", default_value = "0-18", value_parser = parse_ages)]
    listing_ages: ListingFilter,
    /// Time to onset: event - start (+0) or event - start + 1 day (+1, day 1 = first dose)
    #[arg(long, value_enum, default_value = "+0")]
    onset: OnsetArg,
    /// Write the result object here ("-" for stdout)
    #[arg(long, value_name = "FILE")]
    json: Option<String>,
    /// Write everything a manuscript needs into this folder: result.json, a CSV per
    /// table, the figures (SVG) and methods.md
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// Write the figures (SVG) into this folder
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,
    /// Files read at once, one thread each (0: one per core)
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Quarterly zips, or folders holding them
    #[arg(value_name = "ZIP|DIR", required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum MatchArg {
    Contains,
    Exact,
    Word,
}

#[derive(Clone, Copy, ValueEnum)]
enum ZArg {
    #[value(name = "1.96")]
    Rounded,
    Exact,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnsetArg {
    #[value(name = "+0")]
    PlusZero,
    #[value(name = "+1")]
    PlusOne,
}

#[derive(Clone, Copy, ValueEnum)]
enum ZeroArg {
    Undefined,
    Haldane,
}

#[derive(Clone, Copy, ValueEnum)]
enum CriterionArg {
    Study,
    Evans,
    EvansYates,
    Ic025,
    Eb05,
    Custom,
}

#[derive(Clone, Copy, ValueEnum)]
enum IcArg {
    Closed,
    Exact,
}

#[derive(Clone, Copy, ValueEnum)]
enum EbgmArg {
    Component,
    Mixture,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum AdjustArg {
    None,
    Bonferroni,
    Bh,
}

#[derive(Clone, Copy, ValueEnum)]
enum UnitArg {
    Reports,
    Pairs,
}

#[derive(Clone, Copy, ValueEnum)]
enum DedupArg {
    Fda,
    Caseversion,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeletedArg {
    Apply,
    Ignore,
}

fn parse_override(s: &str) -> Result<(String, String), String> {
    let (pt, call) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("'{s}': give PT=CALL, e.g. \"SEPSIS=not listed\""))?;
    Ok((pt.trim().to_owned(), call.trim().to_owned()))
}

fn parse_ages(s: &str) -> Result<ListingFilter, String> {
    let (from, below) = s
        .split_once('-')
        .ok_or_else(|| format!("'{s}': give ages as FROM-BELOW, e.g. 0-18"))?;
    let number = |t: &str| {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("'{t}' is not an age in years"))
    };
    let filter = ListingFilter {
        age_from: number(from)?,
        age_below: number(below)?,
    };
    if filter.age_from >= filter.age_below {
        return Err(format!("'{s}': FROM must be below BELOW"));
    }
    Ok(filter)
}

fn parse_role(s: &str) -> Result<Role, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "PS" => Ok(Role::PS),
        "SS" => Ok(Role::SS),
        "C" => Ok(Role::C),
        "I" => Ok(Role::I),
        "DN" => Ok(Role::DN),
        other => Err(format!(
            "unknown role code '{other}' (use PS, SS, C, I, DN)"
        )),
    }
}

#[derive(clap::Args)]
struct SynthArgs {
    /// Write the page's demo data (two quarters, ~15,000 reports each)
    #[arg(long, conflicts_with_all = ["full_size", "quarters", "reports"])]
    demo: bool,
    /// Write quarters of today's full size (~450,000 reports, ~330 MB of text each): those
    /// of --quarters, or 2024Q1
    #[arg(long, conflicts_with = "reports")]
    full_size: bool,
    /// Quarters to write, e.g. 2024Q1,2024Q2 (cases flow forward from one to the next)
    #[arg(long, value_delimiter = ',')]
    quarters: Vec<String>,
    /// Reports per quarter, with --quarters [default: 10000]
    #[arg(long)]
    reports: Option<usize>,
    /// Seed of the generator [default: 2025; the presets --demo and --full-size have their own]
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder
    #[arg(value_name = "DIR")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Analyze(args) => analyze(*args),
        Command::Synth(args) => synth(args),
        Command::Bench(args) => bench(args),
        Command::Case(args) => case(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("faers: {message}");
            ExitCode::from(2)
        }
    }
}

/// Zips named on the command line, folders expanded to the zips they hold (sorted).
fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in inputs {
        if path.is_dir() {
            let mut zips: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("zip")))
                .collect();
            zips.sort();
            if zips.is_empty() {
                return Err(format!("{}: folder holds no .zip file", path.display()));
            }
            out.extend(zips);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn analyze(args: AnalyzeArgs) -> Result<(), String> {
    let options = AnalysisOptions {
        drugs: args.drugs,
        match_mode: match args.match_mode {
            MatchArg::Contains => MatchMode::Contains,
            MatchArg::Exact => MatchMode::Exact,
            MatchArg::Word => MatchMode::Word,
        },
        roles: args.roles,
        unit: match args.unit {
            UnitArg::Reports => Unit::Reports,
            UnitArg::Pairs => Unit::Pairs,
        },
        dedup: dedup_mode(args.dedup),
        deleted: deleted_mode(args.deleted),
        rule_dedup: args.rule_dedup,
        exclude: args.exclude,
        z: match args.z {
            ZArg::Rounded => ZValue::Rounded,
            ZArg::Exact => ZValue::Exact,
        },
        zero_cells: match args.zero_cells {
            ZeroArg::Undefined => ZeroCells::Undefined,
            ZeroArg::Haldane => ZeroCells::Haldane,
        },
        criterion: match args.criterion {
            CriterionArg::Study => Criterion::Study,
            CriterionArg::Evans => Criterion::Evans {
                chi2: Chi2Kind::Pearson,
            },
            CriterionArg::EvansYates => Criterion::Evans {
                chi2: Chi2Kind::Yates,
            },
            CriterionArg::Ic025 => Criterion::Ic025,
            CriterionArg::Eb05 => Criterion::Eb05,
            CriterionArg::Custom => Criterion::Custom {
                min_a: args.min_a,
                ror_lower_above: args.ror_lower_above,
                min_prr: args.min_prr,
                min_chi2: args.min_chi2,
                ic025_above: args.ic025_above,
            },
        },
        adjust: match args.adjust {
            AdjustArg::None => Adjustment::None,
            AdjustArg::Bonferroni => Adjustment::Bonferroni,
            AdjustArg::Bh => Adjustment::Bh,
        },
        ic: match args.ic {
            IcArg::Closed => IcBounds::Closed,
            IcArg::Exact => IcBounds::Exact,
        },
        cmle: args.cmle,
        ebgm: args.ebgm || args.ebgm_strata || matches!(args.criterion, CriterionArg::Eb05),
        ebgm_strata: args.ebgm_strata,
        ebgm_likelihood: match args.ebgm_likelihood {
            EbgmArg::Component => EbgmLikelihood::Component,
            EbgmArg::Mixture => EbgmLikelihood::Mixture,
            EbgmArg::All => EbgmLikelihood::All,
        },
        listing: args.listing_ages,
        label_overrides: args.label_overrides.into_iter().collect(),
        onset: match args.onset {
            OnsetArg::PlusZero => OnsetConvention::PlusZero,
            OnsetArg::PlusOne => OnsetConvention::PlusOne,
        },
    };
    // Everything that can be refused without the data is refused before the zips are read.
    options.check().map_err(|e| e.to_string())?;
    let meddra = args.meddra.as_deref().map(load_meddra).transpose()?;
    let label = match &args.label {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Some(
                faers_core::label::Label::from_bytes(&file_name(path), &bytes)
                    .map_err(|e| e.to_string())?,
            )
        }
        None => None,
    };
    let mut workspace = load(&args.inputs, args.jobs)?;
    workspace.set_meddra(meddra);
    workspace.set_label(label);
    let result = workspace.analyze(&options).map_err(|e| e.to_string())?;
    for warning in &result.warnings {
        eprintln!("faers: warning: {warning}");
    }
    let mut json = serde_json::to_value(&result).map_err(|e| e.to_string())?;
    if args.compare_dedup {
        let variants = faers_core::sensitivity::DedupVariant::standard_set();
        let comparison = workspace
            .sensitivity(&options, &variants)
            .map_err(|e| e.to_string())?;
        json["sensitivity"] = serde_json::to_value(&comparison).map_err(|e| e.to_string())?;
        if !comparison.flipped.is_empty() {
            eprintln!(
                "faers: signal status depends on deduplication for: {}",
                comparison.flipped.join(", ")
            );
        }
    }
    if let Some(dir) = &args.export {
        let mut files = faers_core::export::files(&result);
        // The JSON as --json writes it (with the dedup comparison when asked for).
        files[0].content = faers_core::export::result_json(&json);
        write_files(dir, &files)?;
    }
    if let Some(dir) = &args.plots {
        let figures: Vec<faers_core::export::ExportFile> = faers_core::export::files(&result)
            .into_iter()
            .filter(|f| f.name.ends_with(".svg"))
            .collect();
        write_files(dir, &figures)?;
    }
    match args.json.as_deref() {
        Some(path) => {
            write_json(path, &json)?;
            if path != "-" {
                print_summary(&result);
            }
        }
        None => print_summary(&result),
    }
    Ok(())
}

fn dedup_mode(arg: DedupArg) -> DedupMode {
    match arg {
        DedupArg::Fda => DedupMode::Fda,
        DedupArg::Caseversion => DedupMode::Caseversion,
        DedupArg::None => DedupMode::None,
    }
}

fn deleted_mode(arg: DeletedArg) -> DeletedMode {
    match arg {
        DeletedArg::Apply => DeletedMode::Apply,
        DeletedArg::Ignore => DeletedMode::Ignore,
    }
}

/// Writes export files into a folder, creating it.
fn write_files(dir: &Path, files: &[faers_core::export::ExportFile]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in files {
        let path = dir.join(&file.name);
        std::fs::write(&path, &file.content).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes pretty JSON to a file, or to stdout for "-".
fn write_json(path: &str, value: &impl serde::Serialize) -> Result<(), String> {
    let text = faers_core::export::result_json(value);
    if path == "-" {
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())
    } else {
        std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))
    }
}

fn case(args: CaseArgs) -> Result<(), String> {
    let workspace = load(&args.inputs, args.jobs)?;
    let options = AnalysisOptions {
        dedup: dedup_mode(args.dedup),
        deleted: deleted_mode(args.deleted),
        rule_dedup: args.rule_dedup,
        ..AnalysisOptions::default()
    };
    let history = workspace
        .case_history(args.caseid, &options)
        .map_err(|e| e.to_string())?;
    if let Some(path) = args.json.as_deref() {
        return write_json(path, &history);
    }
    if history.versions.is_empty() {
        println!("case {} is not in the loaded quarters", args.caseid);
        return Ok(());
    }
    if !history.deleted_in.is_empty() {
        println!(
            "on FDA's deleted-case list of {}",
            history.deleted_in.join(", ")
        );
    }
    println!(
        "{:<8} {:>12} {:>11} {:>9}  {:<5} reason",
        "quarter", "primaryid", "caseversion", "fda_dt", "kept"
    );
    for v in &history.versions {
        println!(
            "{:<8} {:>12} {:>11} {:>9}  {:<5} {}",
            v.quarter,
            v.primaryid,
            v.caseversion,
            v.fda_dt,
            if v.kept { "yes" } else { "no" },
            v.reason
        );
    }
    Ok(())
}

/// The user's MedDRA ASCII files: a folder (searched one level down too) or a zip.
fn load_meddra(path: &Path) -> Result<faers_core::meddra::Meddra, String> {
    use faers_core::meddra::Meddra;
    let what = path.display().to_string();
    if path.is_dir() {
        let mut files = Vec::new();
        let mut dirs = vec![path.to_path_buf()];
        if let Ok(entries) = std::fs::read_dir(path) {
            dirs.extend(
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_dir()),
            );
        }
        for dir in dirs {
            for entry in std::fs::read_dir(&dir).map_err(|e| format!("{what}: {e}"))? {
                let p = entry.map_err(|e| format!("{what}: {e}"))?.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("asc")) {
                    let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    files.push((file_name(&p), bytes));
                }
            }
        }
        Meddra::from_files(&what, files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
            .map_err(|e| e.to_string())
    } else {
        let file = File::open(path).map_err(|e| format!("{what}: {e}"))?;
        Meddra::from_zip(&what, BufReader::new(file)).map_err(|e| e.to_string())
    }
}

/// Threads to read with: `--jobs`, or every core when 0.
fn threads(jobs: usize) -> usize {
    if jobs > 0 {
        jobs
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    }
}

/// One file as read on a worker thread.
struct ReadFile {
    summary: faers_core::InputSummary,
    data: Option<faers_core::store::QuarterData>,
    seconds: f64,
}

/// Reads files on `jobs` threads, each thread one whole file at a time; results in input
/// order (`None` for a file that could not be opened, already reported).
fn read_parallel(paths: &[PathBuf], jobs: usize) -> Vec<Option<ReadFile>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<ReadFile>>> = Mutex::new((0..paths.len()).map(|_| None).collect());
    let done = AtomicUsize::new(0);
    let interactive = std::io::stderr().is_terminal() && paths.len() > 1;
    // Fewer files than threads: each file is read by two (DRUG apart from the rest).
    let split = jobs > paths.len();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, paths.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                let name = file_name(path);
                let started = Instant::now();
                let read = match File::open(path) {
                    Ok(file) => {
                        let (summary, data) = if split {
                            faers_core::ingest::read_zip_split(
                                &name,
                                || File::open(path).map(|f| BufReader::with_capacity(1 << 20, f)),
                                None,
                            )
                        } else {
                            faers_core::ingest::read_zip(
                                &name,
                                BufReader::with_capacity(1 << 20, file),
                                &mut |_, _| {},
                            )
                        };
                        Some(ReadFile {
                            summary,
                            data,
                            seconds: started.elapsed().as_secs_f64(),
                        })
                    }
                    Err(e) => {
                        eprintln!(
                            "faers: {}: could not be opened ({e}); skipped",
                            path.display()
                        );
                        None
                    }
                };
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if interactive {
                    eprint!("\rread {finished} of {} files", paths.len());
                }
                // A poisoned lock means another reader panicked; keep what was read.
                let mut slots = slots.lock().unwrap_or_else(|e| e.into_inner());
                slots[i] = read;
            });
        }
    });
    if interactive {
        eprint!("\r");
    }
    slots.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Reads every input into a workspace on `jobs` threads, reporting each file on stderr in
/// input order.
fn load(inputs: &[PathBuf], jobs: usize) -> Result<Workspace, String> {
    let paths = expand_inputs(inputs)?;
    let mut workspace = Workspace::new();
    for read in read_parallel(&paths, threads(jobs)).into_iter().flatten() {
        let name = read.summary.name.clone();
        let summary = workspace.add_read(read.summary, read.data);
        match &summary.error {
            Some(error) => eprintln!("faers: {error}; skipped"),
            None => eprintln!(
                "{name}: {} ({}), {} reports, {} lines skipped, {} repaired, {} warnings ({:.2} s)",
                summary.quarter.as_deref().unwrap_or("?"),
                summary.era.as_deref().unwrap_or("?"),
                summary.tables.get("DEMO").copied().unwrap_or(0),
                summary.skipped_lines,
                summary.repaired_lines,
                summary.warnings.len(),
                read.seconds
            ),
        }
    }
    if workspace.quarters().is_empty() {
        return Err("no input could be read".into());
    }
    Ok(workspace)
}

fn print_summary(result: &faers_core::AnalysisResult) {
    let c = &result.counts;
    println!(
        "reports read {}, distinct {}, deleted {}, superseded {}, analysed {}; target reports {}",
        c.demo_rows,
        c.distinct_reports,
        c.deleted_removed,
        c.superseded_removed,
        c.reports,
        c.target_reports
    );
    let mut signals: Vec<_> = result.signals.iter().filter(|s| s.signal).collect();
    signals.sort_by(|a, b| {
        b.measures
            .ror
            .unwrap_or(0.0)
            .total_cmp(&a.measures.ror.unwrap_or(0.0))
    });
    println!(
        "{} signal{} ({}) among {} PT{}",
        signals.len(),
        if signals.len() == 1 { "" } else { "s" },
        result.settings.signal_rule,
        result.signals.len(),
        if result.signals.len() == 1 { "" } else { "s" },
    );
    let fmt = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"));
    for s in signals {
        let ror = match s.measures.ror {
            Some(_) => format!(
                "ROR {} ({}-{})",
                fmt(s.measures.ror),
                fmt(s.measures.ror_lower),
                fmt(s.measures.ror_upper)
            ),
            None => "ROR undefined (a zero cell)".to_owned(),
        };
        match &s.listed {
            Some(listed) => println!("  {:<40} a={:<6} {ror:<32} {listed}", s.pt, s.a),
            None => println!("  {:<40} a={:<6} {ror}", s.pt, s.a),
        }
    }
    if let Some(label) = &result.label {
        println!(
            "{} of {} signals are not in the label ({})",
            label.new_signals,
            label.new_signals + label.listed_signals,
            label.title.as_deref().unwrap_or(&label.source)
        );
    }
    let d = &result.descriptive;
    let t = &d.time_to_onset;
    if let (Some(median), Some(q1), Some(q3)) = (t.median, t.q1, t.q3) {
        print!(
            "time to onset: {} of {} cases, median {median:.2} days (IQR {q1:.2}-{q3:.2})",
            t.n, d.cases
        );
        match &t.weibull {
            Some(w) => println!(
                "; Weibull shape {:.2} ({:.2}-{:.2}): {}",
                w.shape,
                w.shape_lower,
                w.shape_upper,
                w.failure_type.as_str()
            ),
            None => println!(),
        }
    }
    if result.listing.cases > 0 {
        println!(
            "case listing ({}): {} cases (--export writes listing.csv)",
            result.listing.filter, result.listing.cases
        );
    }
}

/// Reports per quarter of `faers synth --quarters`, unless `--reports` says otherwise.
const SYNTH_REPORTS: usize = 10_000;
/// Seed of `faers synth --quarters`, unless `--seed` says otherwise.
const SYNTH_SEED: u64 = 2025;

/// What `faers synth` writes: a preset (`--demo`, `--full-size`) or the quarters asked for.
/// Every quarter listed is written; a seed given replaces a preset's.
fn synth_options(args: &SynthArgs) -> Result<faers_synth::SynthOptions, String> {
    use faers_synth::{QuarterSpec, SynthOptions};
    let mut options = if args.demo {
        SynthOptions::demo()
    } else if args.full_size || !args.quarters.is_empty() {
        let preset = SynthOptions::full_size(2024, 1);
        let listed = if args.quarters.is_empty() {
            vec!["2024Q1".to_string()]
        } else {
            args.quarters.clone()
        };
        let (reports, seed) = if args.full_size {
            (preset.quarters[0].reports, preset.seed)
        } else {
            (args.reports.unwrap_or(SYNTH_REPORTS), SYNTH_SEED)
        };
        let quarters = listed
            .iter()
            .map(|q| {
                parse_quarter(q).map(|(year, quarter)| QuarterSpec {
                    year,
                    quarter,
                    reports,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        SynthOptions { seed, quarters }
    } else {
        return Err("say what to write: --demo, --full-size or --quarters".into());
    };
    if let Some(seed) = args.seed {
        options.seed = seed;
    }
    Ok(options)
}

fn synth(args: SynthArgs) -> Result<(), String> {
    let options = synth_options(&args)?;
    let started = Instant::now();
    let summary = faers_synth::write_quarters(&options, &args.out)
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    for zip in &summary.zips {
        eprintln!(
            "wrote {} ({}, {} reports, {} bytes of text)",
            args.out.join(&zip.file_name).display(),
            zip.quarter,
            zip.reports,
            zip.uncompressed_bytes
        );
    }
    eprintln!(
        "synthetic data written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times a query on a loaded workspace: the whole analysis (dedup, selection, 2×2 for
/// every PT, all measures but EBGM, descriptives), first as the first query after loading
/// (the deduplication computed) and then as a further one (the deduplication kept, as for a
/// new drug); the measures alone; and the EBGM fit. Returns the best time of a first query
/// in seconds.
fn bench_query(workspace: &Workspace, args: &BenchArgs) -> Result<f64, String> {
    use faers_core::options::IcBounds;
    use faers_core::stats::Measures;
    let options = AnalysisOptions {
        drugs: args.drugs.clone(),
        ic: IcBounds::Exact,
        ..AnalysisOptions::default()
    };
    let (mut first, mut best) = (f64::INFINITY, f64::INFINITY);
    let mut result = None;
    for _ in 0..args.repeat.max(1) {
        workspace.forget_kept();
        let started = Instant::now();
        workspace.analyze(&options).map_err(|e| e.to_string())?;
        first = first.min(started.elapsed().as_secs_f64());
        let started = Instant::now();
        result = Some(workspace.analyze(&options).map_err(|e| e.to_string())?);
        best = best.min(started.elapsed().as_secs_f64());
    }
    let result = result.expect("at least one run");
    let tables: Vec<(u64, u64, u64, u64)> = result
        .signals
        .iter()
        .map(|s| (s.a, s.b, s.c, s.d))
        .collect();
    let started = Instant::now();
    let rounds = 20;
    for _ in 0..rounds {
        for &(a, b, c, d) in &tables {
            std::hint::black_box(Measures::compute(a, b, c, d, 1.96).with_exact_ic(a, b, c, d));
        }
    }
    let measures = started.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "query {:?}: {} target reports, {} PTs; whole analysis {:.1} ms the first time after loading, {:.1} ms with the deduplication kept (as for a new drug); best of {}; all measures but EBGM for every PT {:.2} ms",
        args.drugs,
        result.counts.target_reports,
        tables.len(),
        first * 1e3,
        best * 1e3,
        args.repeat.max(1),
        measures * 1e3
    );
    if args.ebgm {
        let started = Instant::now();
        let with = workspace
            .analyze(&AnalysisOptions {
                ebgm: true,
                ..options.clone()
            })
            .map_err(|e| e.to_string())?;
        let fit = with.ebgm_fit.expect("asked for");
        println!(
            "EBGM prior fit over {} drug-event pairs of {} reports: {:.1} s (converged: {}, -log L {:?})",
            fit.pairs,
            fit.reports,
            started.elapsed().as_secs_f64() - best,
            fit.converged,
            fit.neg_log_likelihood
        );
    }
    Ok(first)
}

fn parse_quarter(text: &str) -> Result<(u16, u8), String> {
    let upper = text.trim().to_ascii_uppercase();
    let bad = || format!("'{text}' is not a quarter like 2024Q1");
    let (year, q) = upper.split_once('Q').ok_or_else(bad)?;
    let year: u16 = year.parse().map_err(|_| bad())?;
    let q: u8 = q.parse().map_err(|_| bad())?;
    if !(2004..=2100).contains(&year) || !(1..=4).contains(&q) {
        return Err(bad());
    }
    Ok((year, q))
}

/// Every file read at once on 1, 2, 4… threads: the throughput of the whole load, its
/// scaling over one thread, and the store per million reports.
fn bench_scaling(args: &BenchArgs) -> Result<(), String> {
    let paths = expand_inputs(&args.inputs)?;
    let mut one = None;
    println!(
        "{:>7} {:>6} {:>9} {:>8} {:>9} {:>8} {:>10} {:>9} {:>12}",
        "threads",
        "files",
        "text MB",
        "load s",
        "MB/s",
        "scaling",
        "reports",
        "store MB",
        "MB/M reports"
    );
    let mut loaded = Workspace::new();
    for &jobs in &args.scaling {
        let mut best = f64::INFINITY;
        let mut stats = (0u64, 0usize, 0usize);
        for _ in 0..args.repeat.max(1) {
            let started = Instant::now();
            let workspace = &mut loaded;
            *workspace = Workspace::new();
            for read in read_parallel(&paths, jobs.max(1)).into_iter().flatten() {
                if let Some(error) = &read.summary.error {
                    return Err(error.clone());
                }
                workspace.add_read(read.summary, read.data);
            }
            best = best.min(started.elapsed().as_secs_f64());
            stats = (
                workspace.inputs().iter().map(|s| s.text_bytes).sum(),
                workspace.quarters().iter().map(|q| q.reports.len()).sum(),
                workspace.quarters().iter().map(|q| q.heap_bytes()).sum(),
            );
        }
        let (text, reports, store) = stats;
        let rate = text as f64 / 1e6 / best;
        let base = *one.get_or_insert(rate);
        println!(
            "{:>7} {:>6} {:>9.1} {:>8.2} {:>9.0} {:>7.2}x {:>10} {:>9.1} {:>12.1}",
            jobs,
            paths.len(),
            text as f64 / 1e6,
            best,
            rate,
            rate / base,
            reports,
            store as f64 / 1e6,
            store as f64 / 1e6 / (reports as f64 / 1e6)
        );
    }
    // A query over every file at once.
    if !args.drugs.is_empty() {
        bench_query(&loaded, args)?;
    }
    Ok(())
}

/// One thread, one file at a time: the reader's own speed (sha256 + inflate + parse + store),
/// the best of `--repeat` reads, and what the loaded quarter costs in memory.
fn bench(args: BenchArgs) -> Result<(), String> {
    if !args.scaling.is_empty() {
        return bench_scaling(&args);
    }
    println!(
        "{:<28} {:>9} {:>8} {:>8} {:>9} {:>9} {:>10} {:>12}",
        "file", "text MB", "sha256 s", "read s", "MB/s", "reports", "store MB", "MB/M reports"
    );
    for path in expand_inputs(&args.inputs)? {
        let name = file_name(&path);
        let open = || File::open(&path).map_err(|e| format!("{}: {e}", path.display()));
        let started = Instant::now();
        let (sha, _) =
            faers_core::ingest::sha256_hex(&mut BufReader::with_capacity(1 << 20, open()?))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        let sha_secs = started.elapsed().as_secs_f64();
        let mut best = f64::INFINITY;
        let mut workspace = Workspace::new();
        for _ in 0..args.repeat.max(1) {
            workspace = Workspace::new();
            let reader = BufReader::with_capacity(1 << 20, open()?);
            let started = Instant::now();
            // The hash is timed on its own (the sha256 column), as the page has the
            // browser's native one compute it beside the read.
            let summary =
                workspace.add_zip_hashed(&name, reader, Some(sha.clone()), &mut |_, _| {});
            if let Some(error) = &summary.error {
                return Err(error.clone());
            }
            best = best.min(started.elapsed().as_secs_f64());
        }
        // The same file on two threads, DRUG apart, hash included (what `analyze` does
        // with one file).
        let mut best_split = f64::INFINITY;
        for _ in 0..args.repeat.max(1) {
            let started = Instant::now();
            let (summary, _) = faers_core::ingest::read_zip_split(
                &name,
                || File::open(&path).map(|f| BufReader::with_capacity(1 << 20, f)),
                None,
            );
            if let Some(error) = &summary.error {
                return Err(error.clone());
            }
            best_split = best_split.min(started.elapsed().as_secs_f64());
        }
        if !args.drugs.is_empty() {
            let query = bench_query(&workspace, &args)?;
            println!(
                "  files to signal table, two threads: read and hash {:.2} s + query {:.2} s = {:.2} s",
                best_split,
                query,
                best_split + query
            );
        }
        let summary = &workspace.inputs()[0];
        let quarter = &workspace.quarters()[0];
        let mb = summary.text_bytes as f64 / 1e6;
        let reports = quarter.reports.len();
        let store = quarter.heap_bytes() as f64;
        println!(
            "{:<28} {:>9.1} {:>8.2} {:>8.2} {:>9.0} {:>9} {:>10.1} {:>12.1}",
            name,
            mb,
            sha_secs,
            best,
            mb / best,
            reports,
            store / 1e6,
            store / 1e6 / (reports as f64 / 1e6)
        );
        println!("  with sha256: {:.0} MB/s of text", mb / (best + sha_secs));
        // What reopening the page costs instead of reading the zip again.
        let quarter_name = quarter.quarter.to_string();
        let started = Instant::now();
        let snapshot = workspace
            .snapshot(&quarter_name)
            .ok_or("the quarter just read is loaded")?;
        let encode = started.elapsed().as_secs_f64();
        let started = Instant::now();
        Workspace::new()
            .add_snapshot(&snapshot)
            .map_err(|e| e.to_string())?;
        let decode = started.elapsed().as_secs_f64();
        println!(
            "  snapshot: {:.1} MB, saved in {:.2} s, loaded back in {:.2} s",
            snapshot.len() as f64 / 1e6,
            encode,
            decode
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synth_args(args: &[&str]) -> Result<SynthArgs, String> {
        let argv = ["faers", "synth"].iter().chain(args).chain(&["out"]);
        match Cli::try_parse_from(argv)
            .map_err(|e| e.to_string())?
            .command
        {
            Command::Synth(args) => Ok(args),
            _ => unreachable!("parsed as synth"),
        }
    }

    fn written(args: &[&str]) -> Vec<(String, usize, u64)> {
        let options = synth_options(&synth_args(args).unwrap()).unwrap();
        options
            .quarters
            .iter()
            .map(|q| (format!("{}Q{}", q.year, q.quarter), q.reports, options.seed))
            .collect()
    }

    #[test]
    fn full_size_writes_every_quarter_listed() {
        let preset = faers_synth::SynthOptions::full_size(2024, 1);
        let (full, seed) = (preset.quarters[0].reports, preset.seed);
        assert_eq!(written(&["--full-size"]), [("2024Q1".into(), full, seed)]);
        assert_eq!(
            written(&["--full-size", "--quarters", "2023q4,2024Q1"]),
            [("2023Q4".into(), full, seed), ("2024Q1".into(), full, seed)]
        );
        assert_eq!(
            written(&["--full-size", "--quarters", "2024Q2", "--seed", "7"]),
            [("2024Q2".into(), full, 7)]
        );
    }

    #[test]
    fn quarters_take_reports_and_seed() {
        assert_eq!(
            written(&["--quarters", "2024Q1,2024Q2"]),
            [
                ("2024Q1".into(), SYNTH_REPORTS, SYNTH_SEED),
                ("2024Q2".into(), SYNTH_REPORTS, SYNTH_SEED)
            ]
        );
        assert_eq!(
            written(&["--quarters", "2024Q3", "--reports", "50", "--seed", "9"]),
            [("2024Q3".into(), 50, 9)]
        );
        let demo = faers_synth::SynthOptions::demo();
        assert_eq!(
            synth_options(&synth_args(&["--demo"]).unwrap()).unwrap(),
            demo
        );
    }

    #[test]
    fn synth_refuses_what_it_would_ignore() {
        for args in [
            &["--demo", "--reports", "50"][..],
            &["--full-size", "--reports", "50"],
            &["--demo", "--quarters", "2024Q1"],
        ] {
            assert!(synth_args(args).is_err(), "{args:?} was accepted");
        }
        let none = synth_options(&synth_args(&[]).unwrap()).unwrap_err();
        assert!(none.contains("--demo, --full-size or --quarters"), "{none}");
        let bad = synth_options(&synth_args(&["--quarters", "2024Q5"]).unwrap()).unwrap_err();
        assert!(bad.contains("'2024Q5'"), "{bad}");
    }
}
