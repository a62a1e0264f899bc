//! The planted drug–event associations: which drugs carry which reactions, and how strongly.
//!
//! Every PT named here ("planted PT") is drawn for every report independently of the
//! background Zipf draw, with its own background probability `p_bg`. When a report lists a
//! planted drug as primary or secondary suspect (role PS or SS), the probability of each of
//! that drug's PTs becomes `min(p_bg × relative_risk, 0.9)`. So, by construction, the
//! relative risk of the PT among reports of the drug (as PS/SS) versus reports without any
//! planted drug is exactly the `relative_risk` published in the summary (before the random
//! draw, and before de-duplication, which removes whole case versions and does not change
//! the ratio in expectation). A drug that appears only as concomitant (C) carries no effect.
//!
//! The reference study's drug (inotuzumab ozogamicin / BESPONSA, see `study.md`) has the
//! strongest set; the other drugs have strong, moderate and weak signals, and loratadine is a
//! negative control whose PTs have a relative risk of exactly 1.

use crate::rng::Rng;

/// Background per-report probability of each planted PT (PTs absent from the background list).
pub(crate) const PLANTED_PTS: &[(&str, f64)] = &[
    ("Veno-occlusive liver disease", 0.0002),
    ("Febrile neutropenia", 0.004),
    ("Sepsis", 0.005),
    ("Cytokine release syndrome", 0.0008),
    ("Graft versus host disease", 0.0004),
    ("Thrombocytopenia", 0.006),
    ("Pneumonia", 0.02),
    ("Pneumonitis", 0.002),
    ("Colitis", 0.002),
    ("Hypothyroidism", 0.0015),
    ("Autoimmune hepatitis", 0.0004),
    ("Nausea", 0.045),
    ("Vomiting", 0.025),
    ("Pancreatitis", 0.0015),
    ("Cholelithiasis", 0.001),
    ("Rhabdomyolysis", 0.001),
    ("Myalgia", 0.006),
    ("Blood creatine phosphokinase increased", 0.001),
    ("Hepatic enzyme increased", 0.004),
    ("Neutropenia", 0.005),
    ("Agranulocytosis", 0.0005),
    ("Myocarditis", 0.0005),
    ("Constipation", 0.012),
    ("Headache", 0.035),
    ("Dizziness", 0.025),
    ("Fatigue", 0.04),
];

/// One planted drug: names, how often it is reported, its typical use, patient profile,
/// time to onset, and the PTs it raises.
#[derive(Debug)]
pub(crate) struct PlantedDrug {
    /// Active ingredient as FDA writes it in `prod_ai`.
    pub generic: &'static str,
    /// Brand names (drugname as reported uses these or the generic).
    pub brands: &'static [&'static str],
    /// `mfr_sndr` of reports where the drug is the primary suspect.
    pub company: &'static str,
    /// Fraction of all reports that list the drug.
    pub share: f64,
    /// FAERS route text.
    pub route: &'static str,
    /// `dose_amt`, `dose_unit`, `dose_form`, `dose_freq`.
    pub dose: (&'static str, &'static str, &'static str, &'static str),
    /// Verbatim dose texts used for `dose_vbm`.
    pub dose_vbm: &'static [&'static str],
    /// Application number (`nda_num`, text with leading zeros).
    pub nda: &'static str,
    /// Indication PTs.
    pub indications: &'static [&'static str],
    /// Weights of male, female, not specified.
    pub sex: (u32, u32, u32),
    /// Age in years as `(weight, lo, hi)` pieces.
    pub age: &'static [(u32, i64, i64)],
    /// Time to onset in days as `(weight, lo, hi)` pieces.
    pub tto: &'static [(u32, i64, i64)],
    /// Planted PTs and their relative risks.
    pub effects: &'static [(&'static str, f64)],
}

/// Cap on the per-report probability of a planted PT in target reports.
pub(crate) const MAX_TARGET_PROBABILITY: f64 = 0.9;

/// The planted drugs. Index 0 is the reference study's drug.
pub(crate) const PLANTED_DRUGS: &[PlantedDrug] = &[
    PlantedDrug {
        generic: "INOTUZUMAB OZOGAMICIN",
        brands: &["BESPONSA"],
        company: "PFIZER",
        share: 0.010,
        route: "Intravenous (not otherwise specified)",
        dose: (
            "0.8",
            "MG/M**2",
            "INJECTION, POWDER, LYOPHILIZED, FOR SOLUTION",
            "QW",
        ),
        dose_vbm: &[
            "0.8 MG/M2, ON DAY 1",
            "0.5 MG/M2, ON DAYS 8 AND 15",
            "1.8 MG/M2 PER CYCLE",
            "UNK",
            "0.8 MG/M2, WEEKLY",
            "0.5 MG/M2, 1X/WEEK",
        ],
        nda: "761040",
        indications: &[
            "Acute lymphocytic leukaemia",
            "B precursor type acute leukaemia",
            "Acute lymphocytic leukaemia recurrent",
            "Acute lymphocytic leukaemia refractory",
        ],
        sex: (45, 35, 20),
        age: &[(10, 1, 17), (40, 18, 44), (28, 45, 64), (22, 65, 85)],
        tto: &[(55, 0, 30), (25, 31, 90), (15, 91, 365), (5, 366, 900)],
        effects: &[
            ("Veno-occlusive liver disease", 500.0),
            ("Febrile neutropenia", 15.0),
            ("Sepsis", 8.0),
            ("Cytokine release syndrome", 30.0),
            ("Graft versus host disease", 50.0),
            ("Thrombocytopenia", 7.0),
            ("Pneumonia", 1.5),
        ],
    },
    PlantedDrug {
        generic: "PEMBROLIZUMAB",
        brands: &["KEYTRUDA"],
        company: "MERCK",
        share: 0.010,
        route: "Intravenous (not otherwise specified)",
        dose: ("200", "MG", "INJECTION", "Q3W"),
        dose_vbm: &["200 MG, Q3W", "UNK", "2 MG/KG, Q3W", "400 MG, Q6W"],
        nda: "125514",
        indications: &[
            "Non-small cell lung cancer",
            "Malignant melanoma",
            "Non-small cell lung cancer metastatic",
            "Renal cell carcinoma",
        ],
        sex: (60, 35, 5),
        age: &[(2, 30, 44), (38, 45, 64), (60, 65, 90)],
        tto: &[(30, 0, 30), (40, 31, 120), (25, 121, 365), (5, 366, 730)],
        effects: &[
            ("Pneumonitis", 15.0),
            ("Colitis", 8.0),
            ("Hypothyroidism", 10.0),
            ("Autoimmune hepatitis", 60.0),
        ],
    },
    PlantedDrug {
        generic: "SEMAGLUTIDE",
        brands: &["OZEMPIC", "WEGOVY", "RYBELSUS"],
        company: "NOVO NORDISK",
        share: 0.012,
        route: "Subcutaneous",
        dose: ("0.5", "MG", "INJECTION", "QW"),
        dose_vbm: &[
            "0.5 MG, QW",
            "1 MG, QW",
            "0.25 MG, WEEKLY",
            "UNK",
            "2.4 MG, QW",
        ],
        nda: "209637",
        indications: &[
            "Type 2 diabetes mellitus",
            "Weight control",
            "Obesity",
            "Diabetes mellitus",
        ],
        sex: (30, 65, 5),
        age: &[(5, 18, 29), (40, 30, 54), (40, 55, 69), (15, 70, 85)],
        tto: &[(40, 0, 30), (35, 31, 180), (25, 181, 720)],
        effects: &[
            ("Nausea", 2.5),
            ("Vomiting", 2.5),
            ("Pancreatitis", 10.0),
            ("Cholelithiasis", 4.0),
        ],
    },
    PlantedDrug {
        generic: "ATORVASTATIN CALCIUM",
        brands: &["LIPITOR"],
        company: "PFIZER",
        share: 0.010,
        route: "Oral",
        dose: ("40", "MG", "TABLET", "QD"),
        dose_vbm: &[
            "40 MG, QD",
            "20 MG, 1X/DAY",
            "80 MG, DAILY",
            "UNK",
            "10 MG, QD",
        ],
        nda: "020702",
        indications: &[
            "Hypercholesterolaemia",
            "Blood cholesterol increased",
            "Hyperlipidaemia",
        ],
        sex: (55, 40, 5),
        age: &[(15, 35, 54), (45, 55, 69), (40, 70, 92)],
        tto: &[(20, 0, 30), (30, 31, 180), (50, 181, 1800)],
        effects: &[
            ("Rhabdomyolysis", 25.0),
            ("Myalgia", 5.0),
            ("Blood creatine phosphokinase increased", 6.0),
            ("Hepatic enzyme increased", 1.3),
        ],
    },
    PlantedDrug {
        generic: "CLOZAPINE",
        brands: &["CLOZARIL", "VERSACLOZ"],
        company: "HLS THERAPEUTICS",
        share: 0.008,
        route: "Oral",
        dose: ("300", "MG", "TABLET", "QD"),
        dose_vbm: &["300 MG, QD", "100 MG, BID", "UNK", "200 MG, NIGHTLY"],
        nda: "019758",
        indications: &["Schizophrenia", "Schizoaffective disorder"],
        sex: (62, 33, 5),
        age: &[(60, 18, 44), (35, 45, 64), (5, 65, 80)],
        tto: &[(40, 0, 60), (40, 61, 180), (20, 181, 1000)],
        effects: &[
            ("Neutropenia", 6.0),
            ("Agranulocytosis", 80.0),
            ("Myocarditis", 60.0),
            ("Constipation", 1.5),
        ],
    },
    PlantedDrug {
        generic: "LORATADINE",
        brands: &["CLARITIN"],
        company: "BAYER",
        share: 0.015,
        route: "Oral",
        dose: ("10", "MG", "TABLET", "QD"),
        dose_vbm: &["10 MG, QD", "10 MG, 1X/DAY", "UNK"],
        nda: "019658",
        indications: &["Seasonal allergy", "Rhinitis allergic", "Hypersensitivity"],
        sex: (35, 60, 5),
        age: &[(15, 2, 17), (50, 18, 54), (35, 55, 85)],
        tto: &[(70, 0, 7), (30, 8, 60)],
        effects: &[("Headache", 1.0), ("Dizziness", 1.0), ("Fatigue", 1.0)],
    },
];

/// Probability of each planted PT for one report, given which planted drugs it lists as
/// PS/SS (`active[d]`). For a PT raised by several listed drugs the largest risk applies.
pub(crate) fn pt_probability(pt: usize, active: &[bool]) -> f64 {
    let (name, p_bg) = PLANTED_PTS[pt];
    let mut rr = 1.0f64;
    for (d, drug) in PLANTED_DRUGS.iter().enumerate() {
        if !active[d] {
            continue;
        }
        for &(effect_pt, effect_rr) in drug.effects {
            if effect_pt == name && effect_rr > rr {
                rr = effect_rr;
            }
        }
    }
    (p_bg * rr).min(MAX_TARGET_PROBABILITY)
}

/// The relative risk in effect once the probability cap is applied.
pub(crate) fn effective_relative_risk(pt: &str, rr: f64) -> f64 {
    let p_bg = PLANTED_PTS
        .iter()
        .find(|(n, _)| *n == pt)
        .map(|(_, p)| *p)
        .expect("planted PT has a background rate");
    if p_bg * rr <= MAX_TARGET_PROBABILITY {
        rr
    } else {
        MAX_TARGET_PROBABILITY / p_bg
    }
}

/// Draws the role of a planted drug in a report that lists it.
pub(crate) fn draw_role(rng: &mut Rng) -> &'static str {
    const ROLES: &[(&str, u32)] = &[("PS", 85), ("SS", 12), ("C", 3)];
    rng.pick_weighted(ROLES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_effect_has_a_background_rate_and_a_sane_probability() {
        for drug in PLANTED_DRUGS {
            for &(pt, rr) in drug.effects {
                let p = PLANTED_PTS.iter().find(|(n, _)| *n == pt);
                assert!(p.is_some(), "{pt} has no background rate");
                assert!(rr >= 1.0);
                assert!(effective_relative_risk(pt, rr) <= rr);
            }
        }
    }

    #[test]
    fn probabilities_rise_only_for_listed_drugs() {
        let none = vec![false; PLANTED_DRUGS.len()];
        let mut first = none.clone();
        first[0] = true;
        let vod = PLANTED_PTS
            .iter()
            .position(|(n, _)| *n == "Veno-occlusive liver disease")
            .unwrap();
        assert!((pt_probability(vod, &none) - 0.0002).abs() < 1e-12);
        assert!((pt_probability(vod, &first) - 0.1).abs() < 1e-9);
    }
}
