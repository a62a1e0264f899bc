//! Names and code lists: background drugs, background MedDRA PTs, indications, companies,
//! countries, routes and the other values the tables are drawn from.
//!
//! Drug and PT names are real (public) product names and MedDRA Preferred Term texts, as they
//! appear in FDA's files; the reports built from them are synthetic.

use crate::planted::PLANTED_PTS;
use crate::rng::zipf_cumulative;
use std::sync::OnceLock;

/// Background drugs, one per line: `PROD_AI|BRAND;BRAND|route code|dose amt|dose unit|form|freq|indication group`,
/// roughly ordered from most to least reported.
const DRUG_TABLE: &str = include_str!("../data/background_drugs.txt");

/// Background PTs, one per line, roughly ordered from most to least reported.
const PT_TABLE: &str = include_str!("../data/background_pts.txt");

/// A background drug.
#[derive(Debug)]
pub(crate) struct Drug {
    /// Active ingredient(s), upper case, `\`-joined for combinations (FDA's `prod_ai`).
    pub generic: &'static str,
    /// Brand names, upper case.
    pub brands: Vec<&'static str>,
    /// FAERS route text.
    pub route: &'static str,
    /// Typical `dose_amt`.
    pub dose_amt: &'static str,
    /// Typical `dose_unit`.
    pub dose_unit: &'static str,
    /// Typical `dose_form`.
    pub form: &'static str,
    /// Typical `dose_freq`.
    pub freq: &'static str,
    /// Indication PTs.
    pub indications: &'static [&'static str],
    /// Application number, text with leading zeros where FDA has them.
    pub nda: String,
    /// Index into [`COMPANIES`].
    pub company: usize,
}

/// Parsed vocabulary, built once.
#[derive(Debug)]
pub(crate) struct Vocab {
    /// Background drugs.
    pub drugs: Vec<Drug>,
    /// Cumulative Zipf weights over `drugs`.
    pub drug_cum: Vec<u64>,
    /// Background PTs (planted PTs excluded).
    pub pts: Vec<&'static str>,
    /// Cumulative Zipf weights over `pts`.
    pub pt_cum: Vec<u64>,
}

/// The vocabulary, parsed on first use.
pub(crate) fn vocab() -> &'static Vocab {
    static VOCAB: OnceLock<Vocab> = OnceLock::new();
    VOCAB.get_or_init(build)
}

fn build() -> Vocab {
    let mut drugs = Vec::new();
    for line in DRUG_TABLE.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&'static str> = line.split('|').collect();
        assert_eq!(f.len(), 8, "bad drug line {line}");
        let generic = f[0];
        let hash = fnv1a(generic.as_bytes());
        drugs.push(Drug {
            generic,
            brands: f[1].split(';').filter(|b| !b.is_empty()).collect(),
            route: route_text(f[2]),
            dose_amt: f[3],
            dose_unit: f[4],
            form: f[5],
            freq: f[6],
            indications: indication_group(f[7]),
            nda: nda_for(hash, f[4] == "MG/M**2" || f[5] == "INJECTION"),
            company: (hash >> 17) as usize % COMPANIES.len(),
        });
    }
    let pts: Vec<&'static str> = PT_TABLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !PLANTED_PTS.iter().any(|(p, _)| p.eq_ignore_ascii_case(l)))
        .collect();
    Vocab {
        drug_cum: zipf_cumulative(drugs.len(), 12),
        pt_cum: zipf_cumulative(pts.len(), 15),
        drugs,
        pts,
    }
}

/// FNV-1a, for stable per-name attributes (company, application number).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// An application number: old NDAs as `0nnnnn`, newer NDAs `2nnnnn`, biologics `125nnn`/`761nnn`,
/// and some ANDA-style 5-digit numbers.
fn nda_for(hash: u64, biologic_like: bool) -> String {
    let n = (hash >> 8) % 1000;
    match (hash >> 40) % 10 {
        0..=2 => format!("0{:05}", 17_000 + (hash >> 20) % 5000),
        3..=5 if biologic_like => format!("{}{:03}", if hash & 1 == 0 { 125 } else { 761 }, n),
        3..=6 => format!("2{:05}", (hash >> 20) % 20_000),
        7 => format!("{:05}", 60_000 + (hash >> 20) % 39_000),
        _ => format!("0{:05}", 20_000 + (hash >> 20) % 2_000),
    }
}

fn route_text(code: &str) -> &'static str {
    match code {
        "O" => "Oral",
        "S" => "Subcutaneous",
        "V" => "Intravenous (not otherwise specified)",
        "VD" => "Intravenous drip",
        "M" => "Intramuscular",
        "T" => "Topical",
        "TD" => "Transdermal",
        "SL" => "Sublingual",
        "N" => "Nasal",
        "H" => "Respiratory (inhalation)",
        "E" => "Ophthalmic",
        "IVT" => "Intravitreal",
        "VG" => "Intrauterine",
        "SD" => "Subdermal",
        "IC" => "Intracavernous",
        "IT" => "Intrathecal",
        other => panic!("unknown route code {other}"),
    }
}

fn indication_group(code: &str) -> &'static [&'static str] {
    match code {
        "RA" => &[
            "Rheumatoid arthritis",
            "Psoriatic arthropathy",
            "Ankylosing spondylitis",
        ],
        "PSO" => &["Psoriasis", "Psoriatic arthropathy"],
        "IBD" => &["Crohn's disease", "Colitis ulcerative"],
        "MS" => &[
            "Multiple sclerosis",
            "Relapsing-remitting multiple sclerosis",
        ],
        "DM" => &[
            "Type 2 diabetes mellitus",
            "Diabetes mellitus",
            "Type 1 diabetes mellitus",
        ],
        "HTN" => &["Hypertension", "Blood pressure increased"],
        "LIPID" => &[
            "Hypercholesterolaemia",
            "Blood cholesterol increased",
            "Hyperlipidaemia",
        ],
        "AF" => &[
            "Atrial fibrillation",
            "Deep vein thrombosis",
            "Thrombosis prophylaxis",
        ],
        "CARD" => &[
            "Cardiac failure",
            "Myocardial infarction",
            "Angina pectoris",
            "Oedema",
        ],
        "PAIN" => &["Pain", "Back pain", "Arthralgia", "Osteoarthritis"],
        "NEURO" => &["Neuropathy peripheral", "Neuralgia", "Pain"],
        "DEP" => &["Depression", "Major depression", "Anxiety"],
        "ANX" => &["Anxiety", "Panic disorder", "Insomnia"],
        "PSY" => &["Schizophrenia", "Bipolar disorder", "Depression"],
        "EPI" => &["Epilepsy", "Seizure", "Partial seizures"],
        "ASTH" => &["Asthma", "Chronic obstructive pulmonary disease"],
        "ALLERGY" => &["Seasonal allergy", "Rhinitis allergic", "Urticaria"],
        "GI" => &[
            "Gastrooesophageal reflux disease",
            "Dyspepsia",
            "Constipation",
        ],
        "NAUSEA" => &["Nausea", "Antiemetic supportive care"],
        "INF" => &[
            "Urinary tract infection",
            "Infection",
            "Pneumonia",
            "Prophylaxis",
        ],
        "FUNG" => &["Fungal infection", "Antifungal prophylaxis"],
        "VIR" => &["Herpes zoster", "Prophylaxis", "Influenza"],
        "COVID" => &["COVID-19"],
        "HIV" => &["HIV infection", "Pre-exposure prophylaxis"],
        "HEPC" => &["Hepatitis C"],
        "HEPB" => &["Hepatitis B"],
        "MM" => &["Plasma cell myeloma", "Plasma cell myeloma recurrent"],
        "CLL" => &["Chronic lymphocytic leukaemia", "Mantle cell lymphoma"],
        "CML" => &["Chronic myeloid leukaemia"],
        "MPN" => &["Myelofibrosis", "Polycythaemia vera"],
        "AML" => &["Acute myeloid leukaemia", "Myelodysplastic syndrome"],
        "ALLIND" => &[
            "Acute lymphocytic leukaemia",
            "B precursor type acute leukaemia",
        ],
        "LYMPH" => &[
            "Diffuse large B-cell lymphoma",
            "Follicular lymphoma",
            "Non-Hodgkin's lymphoma",
        ],
        "LUNG" => &[
            "Non-small cell lung cancer",
            "Lung neoplasm malignant",
            "Small cell lung cancer",
        ],
        "BREAST" => &[
            "Breast cancer",
            "Breast cancer metastatic",
            "HER2 positive breast cancer",
        ],
        "CRC" => &[
            "Colorectal cancer",
            "Colorectal cancer metastatic",
            "Rectal cancer",
        ],
        "PROST" => &["Prostate cancer", "Prostate cancer metastatic"],
        "RCC" => &["Renal cell carcinoma"],
        "OVAR" => &["Ovarian cancer"],
        "MEL" => &["Malignant melanoma"],
        "OTHERONC" => &[
            "Pancreatic carcinoma",
            "Hepatocellular carcinoma",
            "Glioblastoma",
        ],
        "SUPPONC" => &["Neutropenia", "Prophylaxis of neutropenia", "Chemotherapy"],
        "ANEMIA" => &[
            "Anaemia",
            "Iron deficiency anaemia",
            "Anaemia of chronic disease",
        ],
        "THYR" => &["Hypothyroidism", "Thyroid disorder"],
        "STER" => &[
            "Inflammation",
            "Asthma",
            "Rheumatoid arthritis",
            "Premedication",
        ],
        "OSTEO" => &["Osteoporosis", "Osteoporosis postmenopausal"],
        "SUPP" => &[
            "Vitamin supplementation",
            "Supplementation therapy",
            "Vitamin D deficiency",
        ],
        "GOUT" => &["Gout"],
        "BPH" => &["Benign prostatic hyperplasia"],
        "URO" => &["Hypertonic bladder", "Urinary incontinence"],
        "ED" => &["Erectile dysfunction", "Pulmonary arterial hypertension"],
        "CONTRA" => &["Contraception"],
        "MENO" => &["Menopausal symptoms", "Hormone replacement therapy"],
        "HYPOG" => &["Blood testosterone decreased", "Hypogonadism"],
        "TRANSP" => &[
            "Prophylaxis against transplant rejection",
            "Renal transplant",
            "Liver transplant",
        ],
        "PNH" => &[
            "Paroxysmal nocturnal haemoglobinuria",
            "Atypical haemolytic uraemic syndrome",
        ],
        "IMMUNO" => &[
            "Immunodeficiency common variable",
            "Chronic inflammatory demyelinating polyradiculoneuropathy",
        ],
        "HEMO" => &["Haemophilia A"],
        "EYE" => &[
            "Neovascular age-related macular degeneration",
            "Dry eye",
            "Diabetic retinal oedema",
        ],
        "GLAU" => &["Glaucoma", "Intraocular pressure increased"],
        "ACNE" => &["Acne"],
        "SKIN" => &["Dermatitis atopic", "Eczema", "Psoriasis"],
        "SMOKE" => &["Smoking cessation therapy"],
        "OPIOID" => &["Drug dependence", "Opiate substitution therapy", "Pain"],
        "OBES" => &["Obesity", "Weight control"],
        "PAH" => &["Pulmonary arterial hypertension"],
        "CF" => &["Cystic fibrosis"],
        "SMA" => &["Spinal muscular atrophy"],
        "AMYL" => &["Transthyretin amyloidosis", "Cardiac amyloidosis"],
        "NARCO" => &["Narcolepsy", "Cataplexy"],
        "MIGR" => &["Migraine", "Migraine prophylaxis"],
        "ADHD" => &["Attention deficit hyperactivity disorder"],
        "ALZ" => &["Dementia Alzheimer's type"],
        "PARK" => &["Parkinson's disease", "Restless legs syndrome"],
        "SLEEP" => &["Insomnia", "Sleep disorder"],
        other => panic!("unknown indication group {other}"),
    }
}

/// `mfr_sndr` (short name), the long name used in `mfr_num`, and the `mfr_num` pattern.
pub(crate) const COMPANIES: &[(&str, &str, MfrPattern)] = &[
    ("PFIZER", "PFIZER INC", MfrPattern::CountryLongYear),
    (
        "NOVARTIS",
        "NOVARTIS",
        MfrPattern::PrefixYearCountry("PHHY"),
    ),
    ("ROCHE", "ROCHE", MfrPattern::CountryShortSeq),
    ("MERCK", "009507513", MfrPattern::CountryLongYymm),
    ("JANSSEN", "JNJFOC", MfrPattern::CountryLongDate),
    ("ABBVIE", "ABBVIE", MfrPattern::CountryLongYymm),
    ("AMGEN", "AMGEN", MfrPattern::CountryShortCodeYear("USASP")),
    (
        "BRISTOL MYERS SQUIBB",
        "BRISTOL-MYERS SQUIBB COMPANY",
        MfrPattern::CountryLongBms,
    ),
    (
        "ASTRAZENECA",
        "ASTRAZENECA",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "GLAXOSMITHKLINE",
        "GLAXOSMITHKLINE",
        MfrPattern::CountryLongCountryYear,
    ),
    ("SANOFI", "SA", MfrPattern::CountryShortSanofi),
    (
        "ELI LILLY AND CO",
        "ELI_LILLY_AND_COMPANY",
        MfrPattern::CountryLongCountryYear,
    ),
    ("TAKEDA", "TAKEDA", MfrPattern::CountryLongYearCode("TUS")),
    ("BAYER", "BAYER", MfrPattern::CountryLongYearDash),
    (
        "BOEHRINGER INGELHEIM",
        "B.I. PHARMACEUTICALS,INC./RIDGEFIELD",
        MfrPattern::CountryLongBi,
    ),
    ("TEVA", "TEVA", MfrPattern::CountryShortSeqUsa),
    (
        "VIATRIS",
        "MYLAN LABORATORIES LIMITED",
        MfrPattern::CountryLongYearDash,
    ),
    ("SANDOZ", "SANDOZ", MfrPattern::PrefixYearCountry("PHEH")),
    ("GILEAD", "GILEAD", MfrPattern::CountryLongYearDash),
    ("BIOGEN", "BIOGEN", MfrPattern::CountryLongYearCode("BI")),
    ("ASTELLAS", "ASTELLAS", MfrPattern::CountryShortSeq),
    ("OTSUKA", "OTSUKA", MfrPattern::CountryLongYearDash),
    (
        "EISAI",
        "EISAI MEDICAL RESEARCH",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "DAIICHI SANKYO",
        "DAIICHI SANKYO",
        MfrPattern::CountryLongYearDash,
    ),
    ("UCB", "UCBSA", MfrPattern::CountryLongYearDash),
    ("ACCORD", "ACCORD", MfrPattern::CountryShortSeq),
    ("AUROBINDO", "AUROBINDO", MfrPattern::CountryLongYearDash),
    (
        "SUN PHARMACEUTICAL",
        "SUN PHARMACEUTICAL INDUSTRIES LTD",
        MfrPattern::CountryLongYearDash,
    ),
    ("DR. REDDY'S", "DRREDDYS", MfrPattern::CountryLongYearDash),
    ("APOTEX", "APOTEX", MfrPattern::CountryLongYear),
    (
        "ZYDUS",
        "ZYDUS PHARMACEUTICALS USA INC",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "LUPIN",
        "LUPIN PHARMACEUTICALS INC.",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "HIKMA",
        "HIKMA PHARMACEUTICALS USA INC.",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "FRESENIUS KABI",
        "FRESENIUS KABI",
        MfrPattern::CountryLongYearDash,
    ),
    ("NOVO NORDISK", "NOVOPROD", MfrPattern::CountryLongSeq),
    (
        "REGENERON",
        "REGENERON PHARMACEUTICALS, INC.",
        MfrPattern::CountryLongYearDash,
    ),
    (
        "HLS THERAPEUTICS",
        "HLS THERAPEUTICS",
        MfrPattern::CountryLongYearCountry,
    ),
    ("ALKERMES", "ALKERMES INC.", MfrPattern::CountryLongYearDash),
    ("INDIVIOR", "INDIVIOR", MfrPattern::CountryLongYearDash),
    ("CELGENE", "CELGENEUS", MfrPattern::CountryLongCountryYear),
];

/// Shapes of manufacturer control numbers (`mfr_num`) seen in FAERS.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MfrPattern {
    /// `US-PFIZER INC-2024123456`
    CountryLongYear,
    /// `US-AMGEN-2024-123456`
    CountryLongYearDash,
    /// `PHHY2024US123456`
    PrefixYearCountry(&'static str),
    /// `US-ROCHE-3456789`
    CountryShortSeq,
    /// `US-009507513-2401USA012345`
    CountryLongYymm,
    /// `US-JNJFOC-20240115123`
    CountryLongDate,
    /// `US-AMGEN-USASP2024012345`
    CountryShortCodeYear(&'static str),
    /// `US-BRISTOL-MYERS SQUIBB COMPANY-BMS-2024-012345`
    CountryLongBms,
    /// `US-GLAXOSMITHKLINE-US2024012345`
    CountryLongCountryYear,
    /// `US-SA-2024SA012345`
    CountryShortSanofi,
    /// `US-TAKEDA-2024TUS012345`
    CountryLongYearCode(&'static str),
    /// `US-B.I. PHARMACEUTICALS,INC./RIDGEFIELD-2024-BI-012345`
    CountryLongBi,
    /// `US-TEVA-123456USA`
    CountryShortSeqUsa,
    /// `US-NOVOPROD-1234567`
    CountryLongSeq,
    /// `US-HLS THERAPEUTICS-2024-US-01234`
    CountryLongYearCountry,
}

/// Reporter countries (two-letter codes) with integer weights; US dominates as in FAERS.
/// `NA` is Namibia (a real code that careless readers turn into a null).
pub(crate) const COUNTRIES: &[(&str, u32)] = &[
    ("US", 6200),
    ("GB", 520),
    ("JP", 500),
    ("FR", 420),
    ("DE", 400),
    ("CA", 350),
    ("IT", 260),
    ("ES", 200),
    ("BR", 200),
    ("CN", 150),
    ("IN", 100),
    ("AU", 100),
    ("NL", 100),
    ("KR", 80),
    ("CH", 50),
    ("BE", 50),
    ("SE", 50),
    ("PL", 50),
    ("AR", 40),
    ("MX", 40),
    ("TR", 40),
    ("CO", 30),
    ("DK", 30),
    ("AT", 30),
    ("GR", 30),
    ("PT", 20),
    ("IL", 20),
    ("TW", 20),
    ("EG", 10),
    ("ZA", 10),
    ("NA", 1),
];

/// Regulators that forward reports (`auth_num` prefixes) by country.
pub(crate) fn authority(country: &str) -> Option<&'static str> {
    Some(match country {
        "GB" => "MHRA",
        "FR" => "AFSSAPS",
        "DE" => "BFARM",
        "JP" => "PMDA",
        "CA" => "HC",
        "IT" => "AIFA",
        "ES" => "AEMPS",
        "NL" => "LRB",
        "BE" => "FAMHP",
        "SE" => "MPA",
        "DK" => "DKMA",
        "AU" => "TGA",
        _ => return None,
    })
}

/// Surnames for literature references.
pub(crate) const SURNAMES: &[&str] = &[
    "SMITH",
    "WANG",
    "LI",
    "ZHANG",
    "MULLER",
    "GARCIA",
    "ROSSI",
    "TANAKA",
    "SATO",
    "KIM",
    "LEE",
    "NGUYEN",
    "MARTIN",
    "BERNARD",
    "SCHMIDT",
    "JOHNSON",
    "BROWN",
    "RODRIGUEZ",
    "LOPEZ",
    "CHEN",
    "YAMAMOTO",
    "SILVA",
    "SANTOS",
    "KOWALSKI",
    "JANSSEN",
    "DUBOIS",
    "FISCHER",
    "PATEL",
    "SINGH",
    "OKAFOR",
    "HANSEN",
    "NIELSEN",
    "COHEN",
    "LEVI",
    "O'BRIEN",
    "MURPHY",
    "KHAN",
    "AHMED",
];

/// Journals for literature references.
pub(crate) const JOURNALS: &[&str] = &[
    "BLOOD",
    "J CLIN ONCOL",
    "LEUK LYMPHOMA",
    "BR J HAEMATOL",
    "N ENGL J MED",
    "LANCET",
    "BMJ CASE REP",
    "J MED CASE REP",
    "CUREUS",
    "ANN PHARMACOTHER",
    "DRUG SAF",
    "CLIN CASE REP",
    "FRONT ONCOL",
    "J ADDICT MED",
    "AM J HEALTH SYST PHARM",
];

/// Title fragments for literature references.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "A CASE REPORT OF",
    "SEVERE",
    "FATAL",
    "UNEXPECTED",
    "DELAYED",
    "RECURRENT",
    "DRUG-INDUCED",
    "ASSOCIATED WITH",
    "FOLLOWING TREATMENT WITH",
    "IN A PATIENT RECEIVING",
    "DURING THERAPY WITH",
    "REAL-WORLD EXPERIENCE WITH",
    "SAFETY AND EFFICACY OF",
    "A RETROSPECTIVE STUDY OF",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_parses_and_has_a_few_hundred_names() {
        let v = vocab();
        assert!(v.drugs.len() >= 300, "{} drugs", v.drugs.len());
        assert!(v.pts.len() >= 290, "{} PTs", v.pts.len());
        assert_eq!(v.drug_cum.len(), v.drugs.len());
        assert_eq!(v.pt_cum.len(), v.pts.len());
        for d in &v.drugs {
            assert_eq!(d.generic, d.generic.to_ascii_uppercase());
            assert!(!d.generic.contains('$'));
            assert!(d.brands.iter().all(|b| !b.contains('$')));
            assert!(d.nda.len() >= 5 && d.nda.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn planted_pts_are_not_in_the_background_list() {
        let v = vocab();
        for (p, _) in PLANTED_PTS {
            assert!(!v.pts.iter().any(|b| b.eq_ignore_ascii_case(p)), "{p}");
        }
        let mut sorted = v.pts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), v.pts.len(), "duplicate background PT");
    }

    #[test]
    fn planted_drugs_are_not_background_drugs() {
        let v = vocab();
        for d in crate::planted::PLANTED_DRUGS {
            let stem = d.generic.split(' ').next().unwrap();
            assert!(
                !v.drugs.iter().any(|b| b.generic.contains(stem)),
                "{} is also a background drug",
                d.generic
            );
        }
    }
}
