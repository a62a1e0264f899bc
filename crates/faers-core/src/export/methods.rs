//! The methods paragraph: what was done, in the words a manuscript uses, filled from the
//! result object itself so that it cannot disagree with the numbers it describes.

use std::fmt::Write;

use crate::options::{
    Adjustment, Chi2Kind, Criterion, DedupMode, DeletedMode, EbgmLikelihood, IcBounds, MatchMode,
    Threshold, Unit, ZeroCells,
};
use crate::report::AnalysisResult;

/// Thousands separators, as journals print counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A number with 2 decimals.
fn two(x: f64) -> String {
    format!("{x:.2}")
}

/// Joins words as prose with the given conjunction: "a", "a or b", "a, b or c".
fn joined(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// The signal criterion as a manuscript states it, a sentence without its end
/// (`settings.signal_rule` keeps the result object's short form, `a >= 3 and ror_lower > 1`).
fn signal_words(criterion: &Criterion) -> String {
    let ror_lower = |v: f64| format!("a lower 95% confidence limit of the ROR above {v}");
    let conditions = match *criterion {
        Criterion::Study => vec!["a ≥ 3".to_string(), ror_lower(1.0)],
        Criterion::Evans { chi2 } => vec![
            "a PRR ≥ 2".to_string(),
            match chi2 {
                Chi2Kind::Pearson => "Pearson's χ² ≥ 4".to_string(),
                Chi2Kind::Yates => "a Yates-corrected χ² ≥ 4".to_string(),
            },
            "a ≥ 3 (Evans et al., 2001)".to_string(),
        ],
        Criterion::Ic025 => {
            vec!["a lower 95% credibility limit of the IC (IC025) above 0".to_string()]
        }
        Criterion::Eb05 => {
            vec!["a lower 5% posterior limit of the EBGM (EB05) of at least 2".to_string()]
        }
        Criterion::Custom { .. } => {
            let parts: Vec<String> = criterion
                .thresholds()
                .map(|t| match t {
                    Threshold::MinA(v) => format!("a ≥ {v}"),
                    Threshold::RorLowerAbove(v) => ror_lower(v),
                    Threshold::MinPrr(v) => format!("a PRR ≥ {v}"),
                    Threshold::MinChi2(v) => format!("Pearson's χ² ≥ {v}"),
                    Threshold::Ic025Above(v) => format!("an IC025 above {v}"),
                })
                .collect();
            if parts.is_empty() {
                return "Every PT reported with the drug counted as a signal (no threshold)".into();
            }
            parts
        }
    };
    format!(
        "A PT was a signal when it had {}",
        joined(&conditions, "and")
    )
}

/// The methods paragraph in Markdown, ready to paste.
pub fn methods_markdown(r: &AnalysisResult) -> String {
    let s = &r.settings;
    let c = &r.counts;
    let mut md = String::from("## Methods\n\n");

    // Data.
    let loaded: Vec<_> = r.inputs.iter().filter(|i| i.error.is_none()).collect();
    let legacy = loaded.iter().any(|i| i.era.as_deref() == Some("legacy"));
    let faers = loaded.iter().any(|i| i.era.as_deref() == Some("faers"));
    let source = match (legacy, faers) {
        (true, true) => "legacy AERS and FAERS",
        (true, false) => "legacy AERS",
        _ => "FAERS",
    };
    let _ = write!(
        md,
        "**Data source.** Reports were taken from the FDA Adverse Event Reporting System \
         ({source}) quarterly ASCII data files, {} to {} ({} quarter{}",
        r.coverage.first,
        r.coverage.last,
        r.coverage.quarters.len(),
        if r.coverage.quarters.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    if r.coverage.missing.is_empty() {
        md.push_str(", none missing in between");
    } else {
        let _ = write!(
            md,
            "; not loaded: {}",
            crate::workspace::quarter_runs(&r.coverage.missing)
        );
    }
    let _ = write!(
        md,
        "), read locally with faers {} without leaving the reviewer's computer. \
         The files and their SHA-256 checksums are listed below. ",
        s.version
    );
    let repaired: u64 = loaded.iter().map(|i| i.repaired_lines).sum();
    let skipped: u64 = loaded.iter().map(|i| i.skipped_lines).sum();
    let _ = writeln!(
        md,
        "Lines that FDA's files break in known ways were repaired ({}) or, when unreadable, \
         skipped and counted ({}).\n",
        thousands(repaired),
        thousands(skipped)
    );

    // Deduplication.
    let dedup = match s.dedup {
        DedupMode::Fda => {
            "case versions were deduplicated following FDA's recommendation: for each CASEID \
             the report with the latest FDA_DT was kept, and of reports with equal CASEID \
             and FDA_DT the one with the largest PRIMARYID"
        }
        DedupMode::Caseversion => {
            "case versions were deduplicated by keeping, for each CASEID, the report with \
             the highest CASEVERSION (ties: latest FDA_DT, latest quarter, largest \
             PRIMARYID)"
        }
        DedupMode::None => {
            "case versions were not deduplicated (a PRIMARYID present in several quarters \
             counted once)"
        }
    };
    let _ = write!(
        md,
        "**Deduplication.** Of {} DEMO rows ({} distinct reports), ",
        thousands(c.demo_rows),
        thousands(c.distinct_reports)
    );
    let _ = write!(md, "{dedup}. ");
    match s.deleted {
        DeletedMode::Apply => {
            let _ = write!(
                md,
                "Cases on FDA's deleted-case lists were removed ({}). ",
                thousands(c.deleted_removed)
            );
        }
        DeletedMode::Ignore => md.push_str("FDA's deleted-case lists were not applied. "),
    }
    let _ = write!(
        md,
        "{} superseded versions were removed",
        thousands(c.superseded_removed)
    );
    if s.rule_dedup {
        let _ = write!(
            md,
            ", and {} reports duplicating another case (same event date, age, sex, country, \
             drugs and reactions; empty values never matched)",
            thousands(c.rule_duplicates_removed)
        );
    }
    let _ = writeln!(
        md,
        ", leaving {} reports ({} report–PT pairs).\n",
        thousands(c.reports),
        thousands(c.pairs)
    );

    // Case selection.
    let terms: Vec<String> = s.drugs.iter().map(|t| format!("\"{t}\"")).collect();
    let how = match s.match_mode {
        MatchMode::Contains => "contained",
        MatchMode::Exact => "equalled",
        MatchMode::Word => "contained as whole words",
    };
    let roles: Vec<String> = s.roles.iter().map(|r| role_words(r.as_str())).collect();
    let _ = write!(
        md,
        "**Case selection.** Target reports were those with a drug whose name (DRUGNAME) or \
         active ingredient (PROD_AI) {how} {} (case-insensitive), reported as {}. ",
        joined(&terms, "or"),
        joined(&roles, "or")
    );
    if !r.matched_names.is_empty() {
        let names: Vec<String> = r
            .matched_names
            .iter()
            .map(|m| format!("{} ({}, {})", m.name, m.field, thousands(m.reports)))
            .collect();
        let _ = write!(
            md,
            "Spellings matched (field, reports): {}. ",
            names.join("; ")
        );
    }
    if !s.exclude.is_empty() {
        let _ = write!(
            md,
            "Spellings excluded by the reviewer: {}. ",
            s.exclude.join("; ")
        );
    }
    let _ = writeln!(
        md,
        "This gave {} target reports ({} report–PT pairs).\n",
        thousands(c.target_reports),
        thousands(c.target_pairs)
    );

    // Disproportionality.
    let unit = match s.unit {
        Unit::Reports => "deduplicated reports",
        Unit::Pairs => "distinct report–PT pairs (adverse drug event records)",
    };
    let pts = r.signals.len();
    let signals = r.signals.iter().filter(|x| x.signal).count();
    let _ = write!(
        md,
        "**Disproportionality analysis.** For every MedDRA Preferred Term (PT) reported with \
         the drug, a 2×2 table was counted over all {} {unit}: a = target drug with the PT, \
         b = target drug with other PTs, c = other drugs with the PT, d = neither. \
         Measures: reporting odds ratio (ROR) with Woolf's 95% confidence interval, \
         proportional reporting ratio (PRR) with its 95% interval, Pearson's χ² with and \
         without Yates' correction, and the information component (IC) with IC025 ({})",
        thousands(match s.unit {
            Unit::Reports => c.reports,
            Unit::Pairs => c.pairs,
        }),
        match s.ic {
            IcBounds::Closed => "Norén's closed-form approximation",
            IcBounds::Exact => "exact gamma quantiles",
        }
    );
    if s.cmle {
        md.push_str(
            ", and the conditional maximum-likelihood odds ratio with Fisher's exact interval",
        );
    }
    if s.ebgm {
        let _ = write!(
            md,
            "; DuMouchel's empirical Bayes geometric mean (EBGM) with EB05 and EB95, the \
             two-component gamma prior fitted by maximum likelihood ({}){}",
            match s.ebgm_likelihood {
                EbgmLikelihood::Component =>
                    "reported pairs, components truncated at n ≥ 1, as openEBGM",
                EbgmLikelihood::Mixture => "reported pairs, mixture truncated at n ≥ 1, as vigipy",
                EbgmLikelihood::All => "all drug–event cells, untruncated, as DuMouchel 1999",
            },
            if s.ebgm_strata {
                ", expected counts stratified by age band, sex and year"
            } else {
                ""
            }
        );
    }
    let _ = write!(
        md,
        ". Intervals used z = {}. {} ",
        s.z,
        match s.zero_cells {
            ZeroCells::Undefined => "Ratios needing a zero cell were left undefined.",
            ZeroCells::Haldane =>
                "Tables with a zero cell had 0.5 added to every cell (Haldane–Anscombe).",
        }
    );
    md.push_str(&signal_words(&s.criterion));
    match s.adjust {
        Adjustment::None => md.push_str(" (no adjustment for multiple comparisons)"),
        Adjustment::Bonferroni => md.push_str(
            ", with a Bonferroni-adjusted p below 0.05 (Wald test of the ROR, over the PTs tested)",
        ),
        Adjustment::Bh => md.push_str(
            ", with a Benjamini–Hochberg-adjusted p below 0.05 (Wald test of the ROR, false \
             discovery rate over the PTs tested)",
        ),
    }
    let _ = write!(md, "; {signals} of {pts} PTs met it. ",);
    match &s.meddra {
        Some(release) => {
            let _ = writeln!(
                md,
                "PTs were grouped by their primary System Organ Class with the reviewer's \
                 MedDRA files ({release}).\n"
            );
        }
        None => md.push_str(
            "PTs are those of FDA's files (the MedDRA version of each quarter); no SOC \
             grouping was applied.\n\n",
        ),
    }

    // Listedness.
    if let Some(l) = &r.label {
        let mut id = Vec::new();
        if let Some(set_id) = &l.set_id {
            id.push(format!("SPL set id {set_id}"));
        }
        if let Some(v) = &l.version {
            id.push(format!("version {v}"));
        }
        if let Some(t) = &l.effective_time {
            id.push(format!("effective {t}"));
        }
        let mut kinds: Vec<&str> = l.sections.iter().map(|x| x.kind.as_str()).collect();
        kinds.dedup();
        let _ = write!(
            md,
            "**Listedness.** Each PT was looked up in the drug's label{} (file {}{}{}), in \
             its {} section{}, as whole words, case-insensitively, tolerant of plurals and \
             hyphenation{}. {} of the {} signals were listed and {} {} not (new signals).",
            l.title
                .as_deref()
                .map(|t| format!(", \"{t}\""))
                .unwrap_or_default(),
            l.source,
            if id.is_empty() { "" } else { "; " },
            id.join(", "),
            joined(
                &kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
                "and"
            ),
            if kinds.len() == 1 { "" } else { "s" },
            if l.synonyms {
                ", by the PT's name and the names of its MedDRA lowest-level terms"
            } else {
                ", by the PT's name"
            },
            thousands(l.listed_signals),
            thousands(l.listed_signals + l.new_signals),
            thousands(l.new_signals),
            if l.new_signals == 1 { "was" } else { "were" }
        );
        md.push_str("\n\n");
    }
    if !s.label_overrides.is_empty() {
        let calls: Vec<String> = s
            .label_overrides
            .iter()
            .map(|(pt, call)| format!("{pt}: {call}"))
            .collect();
        let _ = writeln!(
            md,
            "The reviewer set the listedness of {} PT{} by hand ({}).\n",
            calls.len(),
            if calls.len() == 1 { "" } else { "s" },
            calls.join("; ")
        );
    }

    // Time to onset.
    let t = &r.descriptive.time_to_onset;
    let _ = write!(
        md,
        "**Time to onset.** Time to onset was the event date minus the earliest start date \
         of the target drug's therapy, in days{}, computed only when both were complete \
         dates (YYYYMMDD) and the event did not precede the start. {} of {} cases had one",
        if s.onset == crate::onset::OnsetConvention::PlusOne {
            " plus one (the first day of therapy counted as day 1)"
        } else {
            ""
        },
        thousands(t.n),
        thousands(r.descriptive.cases)
    );
    let excluded: Vec<String> = t
        .excluded
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(why, n)| format!("{} {}", thousands(*n), why.replace('_', " ")))
        .collect();
    if !excluded.is_empty() {
        let _ = write!(md, " (excluded: {})", excluded.join(", "));
    }
    md.push('.');
    if let (Some(median), Some(q1), Some(q3)) = (t.median, t.q1, t.q3) {
        let _ = write!(
            md,
            " Median {} days (interquartile range {}–{}; quantiles interpolated linearly, \
             type 7).",
            two(median),
            two(q1),
            two(q3)
        );
    }
    if let Some(w) = &t.weibull {
        let _ = write!(
            md,
            " A two-parameter Weibull distribution fitted by maximum likelihood to the {} \
             positive times{} gave shape β = {} (95% CI {}–{}) and scale η = {} days \
             ({}–{}; Wald intervals from the observed information), read as {}.",
            thousands(w.n),
            if w.zeros_excluded > 0 {
                format!(" ({} of 0 days left out)", thousands(w.zeros_excluded))
            } else {
                String::new()
            },
            two(w.shape),
            two(w.shape_lower),
            two(w.shape_upper),
            two(w.scale),
            two(w.scale_lower),
            two(w.scale_upper),
            w.failure_type.as_str()
        );
    }
    md.push_str("\n\n");

    // Listing.
    let _ = writeln!(
        md,
        "**Case listing.** Target cases with {} were listed individually ({} cases).\n",
        r.listing.filter,
        thousands(r.listing.cases)
    );

    // Files.
    md.push_str("**Files.**\n\n| File | Quarter | SHA-256 | Reports (DEMO rows) | Lines repaired | Lines skipped |\n|---|---|---|---|---|---|\n");
    for i in &loaded {
        let _ = writeln!(
            md,
            "| {} | {} | `{}` | {} | {} | {} |",
            i.name,
            i.quarter.as_deref().unwrap_or(""),
            i.sha256,
            thousands(i.tables.get("DEMO").copied().unwrap_or(0)),
            thousands(i.repaired_lines),
            thousands(i.skipped_lines)
        );
    }
    let _ = writeln!(
        md,
        "\nSoftware: faers {}, open source, one Rust core run natively and as WebAssembly \
         in the browser; every setting in force is recorded in result.json.",
        s.version
    );
    md
}

fn role_words(code: &str) -> String {
    match code {
        "PS" => "primary suspect (PS)".into(),
        "SS" => "secondary suspect (SS)".into(),
        "C" => "concomitant (C)".into(),
        "I" => "interacting (I)".into(),
        "DN" => "drug not administered (DN)".into(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1007), "1,007");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn every_criterion_reads_as_a_sentence() {
        let words = |c: Criterion| signal_words(&c);
        assert_eq!(
            words(Criterion::Study),
            "A PT was a signal when it had a ≥ 3 and a lower 95% confidence limit of the ROR above 1"
        );
        assert_eq!(
            words(Criterion::Evans { chi2: Chi2Kind::Yates }),
            "A PT was a signal when it had a PRR ≥ 2, a Yates-corrected χ² ≥ 4 and a ≥ 3 (Evans et al., 2001)"
        );
        assert!(words(Criterion::Evans {
            chi2: Chi2Kind::Pearson
        })
        .contains("Pearson's χ² ≥ 4"));
        assert!(words(Criterion::Ic025).ends_with("(IC025) above 0"));
        assert!(words(Criterion::Eb05).ends_with("(EB05) of at least 2"));
        let custom = Criterion::Custom {
            min_a: Some(5),
            ror_lower_above: Some(1.5),
            min_prr: None,
            min_chi2: Some(4.0),
            ic025_above: Some(0.0),
        };
        assert_eq!(
            words(custom),
            "A PT was a signal when it had a ≥ 5, a lower 95% confidence limit of the ROR above 1.5, \
             Pearson's χ² ≥ 4 and an IC025 above 0"
        );
        let none = Criterion::Custom {
            min_a: None,
            ror_lower_above: None,
            min_prr: None,
            min_chi2: None,
            ic025_above: None,
        };
        assert!(words(none).starts_with("Every PT reported with the drug counted as a signal"));
    }

    #[test]
    fn prose_lists() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(joined(&v(&["a"]), "or"), "a");
        assert_eq!(joined(&v(&["a", "b"]), "and"), "a and b");
        assert_eq!(joined(&v(&["a", "b", "c"]), "or"), "a, b or c");
    }
}
