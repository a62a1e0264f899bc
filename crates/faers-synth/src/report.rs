//! Content of one report (one case version) and the rows it writes into the seven tables.
//!
//! Everything that describes the case itself (patient, drugs, reactions, dates of event and
//! therapy, outcomes) is drawn from a stream seeded by the caseid alone, so every version of a
//! case, in any quarter, tells the same story. What changes between versions (fda_dt and the
//! dates near it, now and then one more reaction) comes from a stream seeded by the version.

use crate::cases::Entry;
use crate::dates::{civil_from_days, push_date, Precision};
use crate::planted::{draw_role, pt_probability, PlantedDrug, PLANTED_DRUGS, PLANTED_PTS};
use crate::rng::{derive, Rng};
use crate::tables::{
    field, push_cased, push_hundredths, push_keys, push_padded, push_u64, sep, Case, Table,
    TableWriter,
};
use crate::vocab::{
    authority, vocab, MfrPattern, COMPANIES, COUNTRIES, JOURNALS, SURNAMES, TITLE_WORDS,
};
use std::io;

/// Per-quarter settings that reports need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuarterCtx {
    /// The options' seed.
    pub seed: u64,
    /// Whether role code `DN` (drug not administered, 2024Q4 on) may occur.
    pub allow_dn: bool,
}

/// Where a drug of a report comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Index into the background drugs.
    Background(usize),
    /// Index into [`PLANTED_DRUGS`].
    Planted(usize),
}

#[derive(Debug, Clone, Copy)]
struct DrugSlot {
    source: Source,
    role: &'static str,
}

/// A reaction of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pt {
    /// Index into the background PTs.
    Background(usize),
    /// Index into [`PLANTED_PTS`].
    Planted(usize),
}

/// Reusable buffers (no allocation per report once warm).
pub(crate) struct Scratch {
    drugs: Vec<DrugSlot>,
    pts: Vec<Pt>,
    active: Vec<bool>,
    outc: Vec<&'static str>,
    planted_company: Vec<usize>,
    death: usize,
}

impl Scratch {
    /// Fresh buffers.
    pub(crate) fn new() -> Self {
        let planted_company = PLANTED_DRUGS
            .iter()
            .map(|d| {
                COMPANIES
                    .iter()
                    .position(|c| c.0 == d.company)
                    .expect("planted drug's company is listed")
            })
            .collect();
        Scratch {
            drugs: Vec::with_capacity(16),
            pts: Vec::with_capacity(16),
            active: vec![false; PLANTED_DRUGS.len()],
            outc: Vec::with_capacity(4),
            planted_company,
            death: vocab()
                .pts
                .iter()
                .position(|p| *p == "Death")
                .expect("Death is a background PT"),
        }
    }
}

/// Number of drugs per report, 1–10, mean ≈ 3.4 (FAERS: ≈ 3.2–3.4).
const DRUG_COUNT: &[(usize, u32)] = &[
    (1, 280),
    (2, 195),
    (3, 140),
    (4, 105),
    (5, 82),
    (6, 62),
    (7, 48),
    (8, 37),
    (9, 28),
    (10, 23),
];

/// Number of background PTs per report, 1–8, mean ≈ 2.6 (planted PTs add ≈ 0.25).
const PT_COUNT: &[(usize, u32)] = &[
    (1, 350),
    (2, 250),
    (3, 150),
    (4, 95),
    (5, 65),
    (6, 45),
    (7, 28),
    (8, 17),
];

/// Background age in years as (weight, lo, hi).
const BG_AGE: &[(u32, i64, i64)] = &[
    (3, 0, 1),
    (6, 2, 17),
    (25, 18, 44),
    (34, 45, 64),
    (32, 65, 95),
];

/// Salt words stripped when a generic name is reported without its salt.
const SALTS: &[&str] = &[
    "HYDROCHLORIDE",
    "SODIUM",
    "POTASSIUM",
    "CALCIUM",
    "SULFATE",
    "SUCCINATE",
    "TARTRATE",
    "BESYLATE",
    "MESYLATE",
    "CITRATE",
    "PHOSPHATE",
    "FUMARATE",
    "MALEATE",
    "ACETATE",
    "BROMIDE",
    "HYDROBROMIDE",
    "OXALATE",
    "MAGNESIUM",
    "DIHYDROCHLORIDE",
    "MEDOXOMIL",
    "BISULFATE",
    "HYCLATE",
    "MALATE",
    "TOSYLATE",
];

/// Writes every row of one report.
pub(crate) fn emit_report(
    ctx: &QuarterCtx,
    e: &Entry,
    s: &mut Scratch,
    w: &mut TableWriter,
) -> io::Result<()> {
    let voc = vocab();
    let cseed = derive(ctx.seed, u64::from(e.caseid));
    let mut c = Rng::new(cseed);
    let mut v = Rng::new(derive(cseed, 0x5645_5253_0000_0000 | u64::from(e.version)));

    // ---- drugs -------------------------------------------------------------------------
    s.drugs.clear();
    s.active.iter_mut().for_each(|a| *a = false);
    let n_drugs = c.pick_weighted(DRUG_COUNT);
    for (d, pd) in PLANTED_DRUGS.iter().enumerate() {
        if c.chance(pd.share) {
            let mut role = draw_role(&mut c);
            if role == "PS" && s.drugs.iter().any(|x| x.role == "PS") {
                role = "SS";
            }
            s.active[d] = role != "C";
            s.drugs.push(DrugSlot {
                source: Source::Planted(d),
                role,
            });
        }
    }
    let mut has_ps = s.drugs.iter().any(|x| x.role == "PS");
    let want = n_drugs.max(s.drugs.len() + usize::from(!has_ps));
    while s.drugs.len() < want {
        let mut idx = c.pick_cumulative(&voc.drug_cum);
        for _ in 0..4 {
            if !s.drugs.iter().any(|x| x.source == Source::Background(idx)) {
                break;
            }
            idx = c.pick_cumulative(&voc.drug_cum);
        }
        let u = c.below(100);
        let role = if !has_ps {
            has_ps = true;
            "PS"
        } else {
            match u {
                0..=19 => "SS",
                20..=22 => "I",
                99 if ctx.allow_dn => "DN",
                _ => "C",
            }
        };
        s.drugs.push(DrugSlot {
            source: Source::Background(idx),
            role,
        });
    }
    // The primary suspect first, the others shuffled; now and then the PS elsewhere.
    let ps = s.drugs.iter().position(|x| x.role == "PS").unwrap_or(0);
    s.drugs[..=ps].rotate_right(1);
    for i in (2..s.drugs.len()).rev() {
        let j = 1 + c.index(i);
        s.drugs.swap(i, j);
    }
    if c.chance(0.04) {
        let j = c.index(s.drugs.len());
        s.drugs.swap(0, j);
    }
    let profile: Option<&PlantedDrug> = s
        .drugs
        .iter()
        .filter(|x| x.role == "PS")
        .chain(s.drugs.iter().filter(|x| x.role == "SS"))
        .find_map(|x| match x.source {
            Source::Planted(d) if s.active[d] => Some(&PLANTED_DRUGS[d]),
            _ => None,
        });
    let target = profile.is_some();

    // ---- reactions ---------------------------------------------------------------------
    s.pts.clear();
    for p in 0..PLANTED_PTS.len() {
        if c.chance(pt_probability(p, &s.active)) {
            s.pts.push(Pt::Planted(p));
        }
    }
    s.pts.truncate(8);
    let k = c.pick_weighted(PT_COUNT).min(8 - s.pts.len());
    for _ in 0..k {
        push_background_pt(&mut c, &mut s.pts, &voc.pt_cum);
    }
    if s.pts.is_empty() {
        push_background_pt(&mut c, &mut s.pts, &voc.pt_cum);
    }
    // Outcomes and report sources are decided before any version-dependent change.
    s.outc.clear();
    let n_outc = if target {
        c.pick_weighted(&[(0usize, 25u32), (1, 45), (2, 30)])
    } else {
        c.pick_weighted(&[(0usize, 50u32), (1, 38), (2, 12)])
    };
    if s.pts.contains(&Pt::Background(s.death)) {
        s.outc.push("DE");
    }
    while s.outc.len() < n_outc {
        let code = c.pick_weighted(&[
            ("OT", 45u32),
            ("HO", 32),
            ("DE", 7),
            ("LT", 7),
            ("DS", 5),
            ("RI", 3),
            ("CA", 1),
        ]);
        if !s.outc.contains(&code) {
            s.outc.push(code);
        }
    }
    let rpsr = if c.chance(0.03) {
        Some(c.pick_weighted(&[
            ("HP", 70u32),
            ("CSM", 22),
            ("FGN", 2),
            ("UF", 2),
            ("LIT", 2),
            ("DT", 1),
            ("CR", 1),
        ]))
    } else {
        None
    };
    s.pts.sort_unstable_by_key(|p| pt_name(*p));
    // Named in a literature reference's title: the same in every version.
    let first_pt = pt_name(s.pts[0]);
    // Each follow-up version sometimes adds a reaction, kept by the later versions.
    for k in 2..=e.version {
        let mut f = Rng::new(derive(cseed, 0x4645_4C4C_0000_0000 | u64::from(k)));
        if f.chance(0.15) && s.pts.len() < 8 {
            push_background_pt(&mut f, &mut s.pts, &voc.pt_cum);
        }
    }
    s.pts.sort_unstable_by_key(|p| pt_name(*p));

    // ---- patient and report ------------------------------------------------------------
    let rept_cod = if target {
        c.pick_weighted(&[("EXP", 85u32), ("PER", 12), ("DIR", 3)])
    } else {
        c.pick_weighted(&[("EXP", 62u32), ("PER", 30), ("DIR", 8)])
    };
    let dir = rept_cod == "DIR";
    let country = if dir && c.chance(0.96) {
        "US"
    } else {
        c.pick_weighted(COUNTRIES)
    };
    let occr_country = if c.chance(0.93) {
        country
    } else {
        c.pick_weighted(COUNTRIES)
    };
    let occp = if target {
        c.pick_weighted(&[("MD", 60u32), ("PH", 19), ("CN", 14), ("OT", 6), ("", 1)])
    } else {
        match rept_cod {
            "EXP" => c.pick_weighted(&[
                ("MD", 34u32),
                ("OT", 22),
                ("CN", 25),
                ("PH", 10),
                ("HP", 7),
                ("LW", 1),
                ("", 1),
            ]),
            "PER" => c.pick_weighted(&[
                ("CN", 55u32),
                ("MD", 20),
                ("OT", 12),
                ("PH", 7),
                ("HP", 4),
                ("LW", 1),
                ("", 1),
            ]),
            _ => c.pick_weighted(&[("CN", 55u32), ("MD", 15), ("PH", 15), ("OT", 10), ("HP", 5)]),
        }
    };
    let (m, f, u) = profile.map_or((36, 57, 7), |p| p.sex);
    let sex = c.pick_weighted(&[("M", m), ("F", f), ("", u)]);
    let age_years = if c.chance(if target { 0.25 } else { 0.35 }) {
        None
    } else {
        Some(c.mixture_days(profile.map_or(BG_AGE, |p| p.age)))
    };
    let event = {
        let x = c.below(1000);
        let precision = if target {
            match x {
                0..=749 => Some(Precision::Day),
                750..=829 => Some(Precision::Month),
                830..=869 => Some(Precision::Year),
                _ => None,
            }
        } else {
            match x {
                0..=405 => Some(Precision::Day),
                406..=460 => Some(Precision::Month),
                461..=503 => Some(Precision::Year),
                _ => None,
            }
        };
        let lag = if target {
            c.mixture_days(&[(60, 0, 30), (30, 31, 120), (10, 121, 365)])
        } else {
            c.mixture_days(&[(40, 0, 30), (30, 31, 180), (20, 181, 730), (10, 731, 3650)])
        };
        precision.map(|p| (e.init_day - lag as i32, p))
    };
    let ps_company = s
        .drugs
        .iter()
        .find(|x| x.role == "PS")
        .map_or(0, |x| match x.source {
            Source::Planted(d) => s.planted_company[d],
            Source::Background(i) => voc.drugs[i].company,
        });

    // ---- DEMO --------------------------------------------------------------------------
    let (init_y, init_m, init_d) = civil_from_days(e.init_day);
    {
        let b = w.buf(Table::Demo);
        push_keys(b, e.caseid, e.version);
        push_u64(b, u64::from(e.version));
        sep(b);
        field(b, if e.version == 1 { "I" } else { "F" });
        if let Some((day, p)) = event {
            push_date(b, day, p);
        }
        sep(b);
        // mfr_dt: manufacturer receipt, empty on direct reports.
        if !dir {
            let mfr_day = if rept_cod == "PER" && v.chance(0.1) {
                e.init_day - v.range_i64(0, 1500) as i32
            } else if v.chance(0.75) {
                e.fda_day - v.range_i64(0, 14) as i32
            } else {
                e.fda_day - v.range_i64(15, 60) as i32
            };
            push_date(b, mfr_day, Precision::Day);
        }
        sep(b);
        push_date(b, e.init_day, Precision::Day);
        sep(b);
        push_date(b, e.fda_day, Precision::Day);
        sep(b);
        field(b, rept_cod);
        // auth_num
        if dir {
            b.extend_from_slice(b"FDA-CDER-CTU-");
            push_u64(b, init_y as u64);
            b.push(b'-');
            push_padded(b, c.below(100_000), 5);
        } else if let Some(agency) = authority(country).filter(|_| c.chance(0.3)) {
            b.extend_from_slice(country.as_bytes());
            b.push(b'-');
            b.extend_from_slice(agency.as_bytes());
            if agency == "MHRA" {
                b.extend_from_slice(b"-EYC ");
                push_padded(b, c.below(100_000_000), 8);
            } else {
                b.push(b'-');
                push_u64(b, init_y as u64);
                push_padded(b, c.below(1_000_000), 6);
            }
        }
        sep(b);
        // mfr_num and mfr_sndr
        if dir {
            sep(b);
            field(b, "FDA-CTU");
        } else {
            let (short, long, pattern) = COMPANIES[ps_company];
            push_mfr_num(b, pattern, long, country, init_y, init_m, init_d, &mut c);
            sep(b);
            field(b, short);
        }
        // lit_ref
        if !dir && c.chance(0.03) {
            push_lit_ref(b, &mut c, s, first_pt, init_y);
        }
        sep(b);
        // age, age_cod, age_grp
        let grp = push_age(b, &mut c, age_years);
        let show_grp = if age_years.is_some() {
            c.chance(0.25)
        } else {
            c.chance(0.06)
        };
        if show_grp {
            b.extend_from_slice(grp.as_bytes());
        }
        sep(b);
        field(b, sex);
        field(b, if dir { "N" } else { "Y" });
        // wt, wt_cod
        if c.chance(if target { 0.4 } else { 0.22 }) {
            push_weight(b, &mut c, age_years);
        } else {
            b.extend_from_slice(b"$");
        }
        sep(b);
        // rept_dt
        let rept_day = match v.below(100) {
            0..=79 => e.fda_day,
            80..=93 => e.fda_day - v.range_i64(1, 3) as i32,
            94..=98 => e.fda_day - v.range_i64(4, 60) as i32,
            _ => e.fda_day + 1,
        };
        push_date(b, rept_day, Precision::Day);
        sep(b);
        if dir {
            b.extend_from_slice(
                c.pick_weighted(&[("N", 90u32), ("Y", 5), ("", 5)])
                    .as_bytes(),
            );
        }
        sep(b);
        field(b, occp);
        field(b, country);
        b.extend_from_slice(occr_country.as_bytes());
        w.end_row(Table::Demo)?;
    }

    // ---- DRUG, THER, INDI --------------------------------------------------------------
    for i in 0..s.drugs.len() {
        let slot = s.drugs[i];
        let seq = (i + 1) as u64;
        let info = drug_info(slot.source);
        let active = matches!(slot.source, Source::Planted(d) if s.active[d]);
        write_drug_row(w, &mut c, e, seq, slot.role, &info)?;

        // THER
        let tto_row = match (slot.source, event) {
            (Source::Planted(d), Some((event_day, Precision::Day))) if active && c.chance(0.85) => {
                Some((d, event_day))
            }
            _ => None,
        };
        if let Some((d, event_day)) = tto_row {
            let tto = c.mixture_days(PLANTED_DRUGS[d].tto);
            let start = event_day - tto as i32;
            let b = w.buf(Table::Ther);
            push_keys(b, e.caseid, e.version);
            push_u64(b, seq);
            sep(b);
            let p = if c.chance(0.9) {
                Precision::Day
            } else {
                Precision::Month
            };
            push_date(b, start, p);
            sep(b);
            // An end date only when therapy had ended by the first receipt of the case.
            if c.chance(0.4) {
                let end = start + c.range_i64(0, 120) as i32;
                if end <= e.init_day {
                    push_date(b, end, Precision::Day);
                }
            }
            b.extend_from_slice(b"$$");
            w.end_row(Table::Ther)?;
        } else if c.chance(if active { 0.5 } else { 0.2 }) {
            let reference = event.map_or(e.init_day, |(d, _)| d);
            let rows = if c.chance(0.05) { 2 } else { 1 };
            let mut start =
                reference - c.mixture_days(&[(30, 0, 60), (40, 61, 730), (30, 731, 3650)]) as i32;
            for _ in 0..rows {
                if start > e.init_day {
                    break;
                }
                write_ther_row(w, &mut c, e, seq, start)?;
                start += c.range_i64(30, 365) as i32;
            }
        }

        // INDI
        if c.chance(if active { 0.9 } else { 0.65 }) {
            let rows = if c.chance(0.05) { 2 } else { 1 };
            for _ in 0..rows {
                let b = w.buf(Table::Indi);
                push_keys(b, e.caseid, e.version);
                push_u64(b, seq);
                sep(b);
                let pt = if c.chance(if active { 0.05 } else { 0.25 }) {
                    "Product used for unknown indication"
                } else {
                    info.indications[c.index(info.indications.len())]
                };
                let case = if c.chance(0.004) {
                    Case::Upper
                } else {
                    Case::AsIs
                };
                push_cased(b, pt, case, false);
                w.end_row(Table::Indi)?;
            }
        }
    }

    // ---- REAC --------------------------------------------------------------------------
    for &p in &s.pts {
        let name = pt_name(p);
        let b = w.buf(Table::Reac);
        push_keys(b, e.caseid, e.version);
        let case = if c.chance(0.004) {
            Case::Upper
        } else {
            Case::AsIs
        };
        push_cased(b, name, case, false);
        sep(b);
        // drug_rec_act: only on positive rechallenge, almost always empty.
        if c.chance(0.002) {
            b.extend_from_slice(name.as_bytes());
        }
        w.end_row(Table::Reac)?;
    }

    // ---- OUTC, RPSR --------------------------------------------------------------------
    for &code in &s.outc {
        let b = w.buf(Table::Outc);
        push_keys(b, e.caseid, e.version);
        b.extend_from_slice(code.as_bytes());
        w.end_row(Table::Outc)?;
    }
    if let Some(code) = rpsr {
        let b = w.buf(Table::Rpsr);
        push_keys(b, e.caseid, e.version);
        b.extend_from_slice(code.as_bytes());
        w.end_row(Table::Rpsr)?;
    }
    Ok(())
}

/// The PT text of a reaction.
fn pt_name(p: Pt) -> &'static str {
    match p {
        Pt::Background(i) => vocab().pts[i],
        Pt::Planted(i) => PLANTED_PTS[i].0,
    }
}

/// Adds a background PT not yet in the report (gives up after a few collisions).
fn push_background_pt(rng: &mut Rng, pts: &mut Vec<Pt>, cum: &[u64]) {
    for _ in 0..6 {
        let p = Pt::Background(rng.pick_cumulative(cum));
        if !pts.contains(&p) {
            pts.push(p);
            return;
        }
    }
}

/// What a DRUG row needs to know about a drug.
struct DrugInfo {
    generic: &'static str,
    brands: &'static [&'static str],
    route: &'static str,
    amt: &'static str,
    unit: &'static str,
    form: &'static str,
    freq: &'static str,
    nda: &'static str,
    indications: &'static [&'static str],
    vbm: &'static [&'static str],
}

fn drug_info(source: Source) -> DrugInfo {
    match source {
        Source::Background(i) => {
            let d = &vocab().drugs[i];
            DrugInfo {
                generic: d.generic,
                brands: &d.brands,
                route: d.route,
                amt: d.dose_amt,
                unit: d.dose_unit,
                form: d.form,
                freq: d.freq,
                nda: &d.nda,
                indications: d.indications,
                vbm: &[],
            }
        }
        Source::Planted(i) => {
            let d = &PLANTED_DRUGS[i];
            DrugInfo {
                generic: d.generic,
                brands: d.brands,
                route: d.route,
                amt: d.dose.0,
                unit: d.dose.1,
                form: d.dose.2,
                freq: d.dose.3,
                nda: d.nda,
                indications: d.indications,
                vbm: d.dose_vbm,
            }
        }
    }
}

fn write_drug_row(
    w: &mut TableWriter,
    c: &mut Rng,
    e: &Entry,
    seq: u64,
    role: &str,
    info: &DrugInfo,
) -> io::Result<()> {
    let b = w.buf(Table::Drug);
    push_keys(b, e.caseid, e.version);
    push_u64(b, seq);
    sep(b);
    field(b, role);
    // drugname as reported: brand or generic, in various letter cases and with suffixes.
    let combo = info.generic.contains('\\');
    let use_brand = !info.brands.is_empty() && c.chance(if combo { 0.9 } else { 0.55 });
    let case_draw = c.below(100);
    let suffix_draw = c.below(1000);
    if use_brand {
        let brand = info.brands[c.index(info.brands.len())];
        let case = match case_draw {
            0..=77 => Case::AsIs,
            78..=95 => Case::Title,
            _ => Case::Lower,
        };
        push_cased(b, brand, case, false);
    } else {
        let mut name = info.generic;
        if c.chance(0.4) {
            if let Some(pos) = name.rfind(' ') {
                if SALTS.contains(&&name[pos + 1..]) && !combo {
                    name = &name[..pos];
                }
            }
        }
        let case = match case_draw {
            0..=77 => Case::AsIs,
            78..=95 => Case::Sentence,
            _ => Case::Lower,
        };
        push_cased(b, name, case, combo);
    }
    match suffix_draw {
        0..=39 => b.push(b'.'),
        40..=54 => b.extend_from_slice(b" (NR)"),
        55..=62 => b.extend_from_slice(b" (NGX)"),
        63..=99 if use_brand => {
            b.extend_from_slice(b" (");
            b.extend_from_slice(info.generic.as_bytes());
            b.push(b')');
        }
        _ => {}
    }
    sep(b);
    // prod_ai
    if c.chance(0.99) {
        b.extend_from_slice(info.generic.as_bytes());
    }
    sep(b);
    field(b, if c.chance(0.92) { "1" } else { "2" });
    // route
    let route = match c.below(100) {
        0..=64 => info.route,
        65..=84 => "Unknown",
        85..=94 => "",
        _ => "Other",
    };
    field(b, route);
    // dose_vbm
    let unit_vbm = if info.unit == "MG/M**2" {
        "MG/M2"
    } else {
        info.unit
    };
    match c.below(100) {
        0..=29 => {}
        30..=44 => b.extend_from_slice(b"UNK"),
        x if !info.vbm.is_empty() && x < 70 => {
            b.extend_from_slice(info.vbm[c.index(info.vbm.len())].as_bytes());
        }
        45..=89 => {
            b.extend_from_slice(info.amt.as_bytes());
            b.push(b' ');
            b.extend_from_slice(unit_vbm.as_bytes());
            b.extend_from_slice(b", ");
            b.extend_from_slice(freq_text(info.freq, c).as_bytes());
        }
        _ => {
            b.extend_from_slice(info.amt.as_bytes());
            b.push(b' ');
            b.extend_from_slice(unit_vbm.as_bytes());
        }
    }
    sep(b);
    // cum_dose_chr, cum_dose_unit
    if c.chance(0.04) {
        let amt = parse_hundredths(info.amt);
        push_hundredths(b, amt * c.range_i64(2, 60) as u64);
        sep(b);
        b.extend_from_slice(info.unit.as_bytes());
        sep(b);
    } else {
        b.extend_from_slice(b"$$");
    }
    let dechal = c.pick_weighted(&[("", 35u32), ("U", 30), ("D", 20), ("Y", 8), ("N", 7)]);
    field(b, dechal);
    let rechal = c.pick_weighted(&[("", 45u32), ("U", 35), ("D", 15), ("Y", 2), ("N", 3)]);
    field(b, rechal);
    // lot_num, exp_dt
    if c.chance(0.06) {
        if c.chance(0.1) {
            b.extend_from_slice(b"UNKNOWN");
        } else {
            b.push(b'A' + c.below(26) as u8);
            if c.chance(0.4) {
                b.push(b'A' + c.below(26) as u8);
            }
            push_padded(b, c.below(100_000), 5);
        }
        sep(b);
        if c.chance(0.3) {
            let p = if c.chance(0.5) {
                Precision::Day
            } else {
                Precision::Month
            };
            push_date(b, e.init_day + c.range_i64(100, 900) as i32, p);
        }
        sep(b);
    } else {
        b.extend_from_slice(b"$$");
    }
    // nda_num
    if c.chance(0.55) {
        b.extend_from_slice(info.nda.as_bytes());
    }
    sep(b);
    // dose_amt, dose_unit, dose_form, dose_freq
    if c.chance(0.5) {
        field(b, info.amt);
        field(b, info.unit);
        if c.chance(0.8) {
            b.extend_from_slice(info.form.as_bytes());
        }
        sep(b);
        if c.chance(0.7) {
            b.extend_from_slice(info.freq.as_bytes());
        }
    } else {
        b.extend_from_slice(b"$$$");
    }
    w.end_row(Table::Drug)
}

fn write_ther_row(
    w: &mut TableWriter,
    c: &mut Rng,
    e: &Entry,
    seq: u64,
    start: i32,
) -> io::Result<()> {
    let b = w.buf(Table::Ther);
    push_keys(b, e.caseid, e.version);
    push_u64(b, seq);
    sep(b);
    let start_p = match c.below(100) {
        0..=66 => Some(Precision::Day),
        67..=84 => Some(Precision::Month),
        85..=95 => Some(Precision::Year),
        _ => None,
    };
    if let Some(p) = start_p {
        push_date(b, start, p);
    }
    sep(b);
    let mut dur = None;
    if start_p.is_some() && c.chance(0.45) {
        let len = c.range_i64(1, 400) as i32;
        let end_p = if start_p == Some(Precision::Day) && c.chance(0.8) {
            Precision::Day
        } else {
            start_p.unwrap_or(Precision::Day)
        };
        let with_dur = c.chance(0.15);
        // Therapy still running at the first receipt of the case has no end date.
        if start + len <= e.init_day {
            push_date(b, start + len, end_p);
            if start_p == Some(Precision::Day) && end_p == Precision::Day && with_dur {
                dur = Some(len + 1);
            }
        }
    }
    sep(b);
    if let Some(d) = dur {
        push_u64(b, d as u64);
        b.extend_from_slice(b"$DAY");
    } else {
        sep(b);
    }
    w.end_row(Table::Ther)
}

/// A verbatim frequency text for a `dose_freq` code.
fn freq_text(code: &str, c: &mut Rng) -> &'static str {
    let options: &[&'static str] = match code {
        "QD" => &["QD", "1X/DAY", "DAILY", "ONCE A DAY"],
        "BID" => &["BID", "2X/DAY", "TWICE A DAY"],
        "TID" => &["TID", "3X/DAY"],
        "QID" => &["QID", "4X/DAY"],
        "QW" => &["QW", "WEEKLY", "1X/WEEK"],
        "QOW" => &["QOW", "EVERY 2 WEEKS", "Q2W"],
        "Q2W" => &["Q2W", "EVERY 2 WEEKS"],
        "Q3W" => &["Q3W", "EVERY 3 WEEKS"],
        "Q8W" => &["Q8W", "EVERY 8 WEEKS"],
        "QM" => &["QM", "MONTHLY", "1X/MONTH"],
        "Q3M" => &["Q3M", "EVERY 3 MONTHS"],
        "Q6M" => &["Q6M", "EVERY 6 MONTHS"],
        "PRN" => &["PRN", "AS NEEDED"],
        "HS" => &["HS", "AT BEDTIME", "NIGHTLY"],
        "BIW" => &["BIW", "2X/WEEK"],
        "TIW" => &["TIW", "3X/WEEK"],
        "1X" => &["1X", "ONCE"],
        "Q6H" => &["Q6H", "EVERY 6 HOURS"],
        "Q4H" => &["Q4H", "EVERY 4 HOURS"],
        "Q8H" => &["Q8H", "EVERY 8 HOURS"],
        "Q12H" => &["Q12H", "EVERY 12 HOURS"],
        _ => &["UNK", "CYCLICAL"],
    };
    options[c.index(options.len())]
}

/// Parses a dose like `0.125` into hundredths (rounded down).
fn parse_hundredths(s: &str) -> u64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let int: u64 = int.parse().unwrap_or(1);
    let mut f = 0u64;
    for (i, ch) in frac.bytes().take(2).enumerate() {
        f += u64::from(ch - b'0') * if i == 0 { 10 } else { 1 };
    }
    int * 100 + f
}

/// Writes `age$age_cod$` and returns the matching age group code.
fn push_age(b: &mut Vec<u8>, c: &mut Rng, years: Option<i64>) -> &'static str {
    let Some(y) = years else {
        b.extend_from_slice(b"$$");
        const GROUPS: &[(&str, u32)] = &[("A", 70), ("E", 20), ("C", 7), ("T", 3)];
        return c.pick_weighted(GROUPS);
    };
    let group = match y {
        0..=1 => "I",
        2..=11 => "C",
        12..=17 => "T",
        18..=64 => "A",
        _ => "E",
    };
    if y < 2 {
        match c.below(100) {
            0..=59 => {
                push_u64(b, (y * 12 + c.range_i64(1, 11)) as u64);
                b.extend_from_slice(b"$MON$");
            }
            60..=74 => {
                push_u64(b, (y * 52 + c.range_i64(1, 51)) as u64);
                b.extend_from_slice(b"$WK$");
            }
            _ => {
                let days = y * 365 + c.range_i64(1, 364);
                push_u64(b, days as u64);
                b.extend_from_slice(b"$DY$");
                if days < 28 {
                    return "N";
                }
            }
        }
        return group;
    }
    match c.below(1000) {
        0..=24 => {
            push_u64(b, (y / 10).max(1) as u64);
            b.extend_from_slice(b"$DEC$");
        }
        25..=39 => {
            push_u64(b, (y * 12 + c.range_i64(0, 11)) as u64);
            b.extend_from_slice(b"$MON$");
        }
        40..=49 => {
            push_u64(b, y as u64);
            b.extend_from_slice(b".5$YR$");
        }
        _ => {
            push_u64(b, y as u64);
            b.extend_from_slice(b"$YR$");
        }
    }
    group
}

/// Writes `wt$wt_cod` (without the trailing separator).
fn push_weight(b: &mut Vec<u8>, c: &mut Rng, years: Option<i64>) {
    let kg100: u64 = match years {
        Some(y) if y < 18 => ((350 + 300 * y) * c.range_i64(80, 120) / 100) as u64,
        _ => c.range_i64(4500, 12_000) as u64 + c.below(3000) * c.below(2),
    };
    if c.chance(0.15) {
        push_u64(b, kg100 * 220_462 / 10_000_000);
        b.extend_from_slice(b"$LBS");
    } else {
        let rounded = match c.below(10) {
            0..=5 => kg100 / 100 * 100,
            6..=7 => kg100 / 10 * 10,
            _ => kg100,
        };
        push_hundredths(b, rounded.max(100));
        b.extend_from_slice(b"$KG");
    }
}

/// A manufacturer control number in the company's pattern.
#[allow(clippy::too_many_arguments)]
fn push_mfr_num(
    b: &mut Vec<u8>,
    pattern: MfrPattern,
    long: &str,
    cc: &str,
    year: i32,
    month: u32,
    day: u32,
    c: &mut Rng,
) {
    let year = year as u64;
    let head = |b: &mut Vec<u8>| {
        b.extend_from_slice(cc.as_bytes());
        b.push(b'-');
        b.extend_from_slice(long.as_bytes());
        b.push(b'-');
    };
    match pattern {
        MfrPattern::CountryLongYear => {
            head(b);
            push_u64(b, year);
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongYearDash => {
            head(b);
            push_u64(b, year);
            b.push(b'-');
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::PrefixYearCountry(prefix) => {
            b.extend_from_slice(prefix.as_bytes());
            push_u64(b, year);
            b.extend_from_slice(cc.as_bytes());
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryShortSeq | MfrPattern::CountryLongSeq => {
            head(b);
            push_padded(b, c.below(10_000_000), 7);
        }
        MfrPattern::CountryLongYymm => {
            head(b);
            push_padded(b, year % 100, 2);
            push_padded(b, u64::from(month), 2);
            b.extend_from_slice(country3(cc).as_bytes());
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongDate => {
            head(b);
            push_u64(b, year);
            push_padded(b, u64::from(month), 2);
            push_padded(b, u64::from(day), 2);
            push_padded(b, c.below(1000), 3);
        }
        MfrPattern::CountryShortCodeYear(code) => {
            head(b);
            b.extend_from_slice(code.as_bytes());
            push_u64(b, year);
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongBms => {
            head(b);
            b.extend_from_slice(b"BMS-");
            push_u64(b, year);
            b.push(b'-');
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongCountryYear => {
            head(b);
            b.extend_from_slice(cc.as_bytes());
            push_u64(b, year);
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryShortSanofi => {
            head(b);
            push_u64(b, year);
            b.extend_from_slice(b"SA");
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongYearCode(code) => {
            head(b);
            push_u64(b, year);
            b.extend_from_slice(code.as_bytes());
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryLongBi => {
            head(b);
            push_u64(b, year);
            b.extend_from_slice(b"-BI-");
            push_padded(b, c.below(1_000_000), 6);
        }
        MfrPattern::CountryShortSeqUsa => {
            head(b);
            push_padded(b, c.below(1_000_000), 6);
            b.extend_from_slice(b"USA");
        }
        MfrPattern::CountryLongYearCountry => {
            head(b);
            push_u64(b, year);
            b.push(b'-');
            b.extend_from_slice(cc.as_bytes());
            b.push(b'-');
            push_padded(b, c.below(100_000), 5);
        }
    }
}

/// Three-letter country code used inside some manufacturer numbers.
fn country3(cc: &str) -> &'static str {
    match cc {
        "US" => "USA",
        "GB" => "GBR",
        "JP" => "JPN",
        "FR" => "FRA",
        "DE" => "DEU",
        "CA" => "CAN",
        "IT" => "ITA",
        "ES" => "ESP",
        "BR" => "BRA",
        "CN" => "CHN",
        "IN" => "IND",
        "AU" => "AUS",
        "NL" => "NLD",
        "KR" => "KOR",
        _ => "OTH",
    }
}

/// A literature reference: authors, a title naming the first reaction and the primary
/// suspect, journal, year, volume, issue and pages (upper case, as FAERS stores it).
fn push_lit_ref(b: &mut Vec<u8>, c: &mut Rng, s: &Scratch, first_pt: &str, year: i32) {
    let authors = c.range_i64(1, 6);
    for i in 0..authors {
        if i > 0 {
            b.extend_from_slice(b", ");
        }
        b.extend_from_slice(SURNAMES[c.index(SURNAMES.len())].as_bytes());
        b.push(b' ');
        b.push(b'A' + c.below(26) as u8);
        if c.chance(0.4) {
            b.push(b'A' + c.below(26) as u8);
        }
    }
    b.extend_from_slice(b". ");
    b.extend_from_slice(TITLE_WORDS[c.index(TITLE_WORDS.len())].as_bytes());
    b.push(b' ');
    push_cased(b, first_pt, Case::Upper, false);
    b.push(b' ');
    b.extend_from_slice(TITLE_WORDS[c.index(TITLE_WORDS.len())].as_bytes());
    b.push(b' ');
    if let Some(first) = s.drugs.first() {
        let generic = match first.source {
            Source::Background(i) => vocab().drugs[i].generic,
            Source::Planted(i) => PLANTED_DRUGS[i].generic,
        };
        push_cased(b, generic, Case::Upper, true);
    }
    b.extend_from_slice(b". ");
    b.extend_from_slice(JOURNALS[c.index(JOURNALS.len())].as_bytes());
    b.extend_from_slice(b". ");
    push_u64(b, (year - c.range_i64(0, 2) as i32).max(1990) as u64);
    b.push(b';');
    push_u64(b, c.range_i64(1, 140) as u64);
    b.push(b'(');
    push_u64(b, c.range_i64(1, 12) as u64);
    b.extend_from_slice(b"):");
    let p1 = c.range_i64(1, 2000) as u64;
    push_u64(b, p1);
    b.push(b'-');
    push_u64(b, p1 + c.range_i64(2, 15) as u64);
}
