//! The user's own MedDRA distribution, read locally: PT codes, LLTs, and the hierarchy up to
//! System Organ Class.
//!
//! MedDRA is licensed, so the tool ships none of it: a reviewer points at the ASCII files of
//! their own release (a folder or a zip holding `mdhier.asc`, `pt.asc`, `llt.asc`, `soc.asc`,
//! …; `$`-separated, one record per line, a trailing `$`). FAERS carries PT *names* only, so
//! a FAERS term is mapped by name, case-insensitively: first to a PT, else to an LLT and
//! through it to its PT (older quarters hold some LLT-level or since-renamed terms).
//!
//! Files and fields used (MedDRA ASCII layout):
//! - `mdhier.asc`: pt_code, hlt_code, hlgt_code, soc_code, pt_name, hlt_name, hlgt_name,
//!   soc_name, soc_abbrev, null, pt_soc_code, primary_soc_fg — one line per PT × path;
//! - `pt.asc`: pt_code, pt_name, null, pt_soc_code (the primary SOC), …;
//! - `llt.asc`: llt_code, llt_name, pt_code, …, llt_currency (Y/N);
//! - `soc.asc`: soc_code, soc_name, soc_abbrev, …;
//! - `meddra_release.asc` (optional): version, language, ….

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use serde::Serialize;

use crate::store::FastMap;
use crate::values::normalize_text;

/// One path of a PT up the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SocPath {
    /// SOC code.
    pub soc_code: u32,
    /// SOC name.
    pub soc: String,
    /// HLGT name.
    pub hlgt: String,
    /// HLT name.
    pub hlt: String,
    /// MedDRA's primary SOC flag for this path.
    pub primary: bool,
}

/// A PT with its codes and hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PtInfo {
    /// PT code.
    pub pt_code: u32,
    /// PT name as MedDRA spells it.
    pub name: String,
    /// Every path to a SOC (primary first).
    pub paths: Vec<SocPath>,
}

impl PtInfo {
    /// The primary SOC path (the first path when MedDRA marks none).
    pub fn primary(&self) -> Option<&SocPath> {
        self.paths.iter().find(|p| p.primary).or(self.paths.first())
    }
}

/// How a FAERS term was found in MedDRA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MappedBy {
    /// The term is a PT name.
    Pt,
    /// The term is an LLT name; its PT was used.
    Llt,
}

/// Why the MedDRA files cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeddraError {
    /// Neither `mdhier.asc` nor `pt.asc` was found.
    MissingFiles(String),
    /// A file could not be read.
    Unreadable(String),
}

impl std::fmt::Display for MeddraError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeddraError::MissingFiles(what) => write!(
                f,
                "{what}: no MedDRA ASCII files found (mdhier.asc and pt.asc, as in MedDRA's ASCII distribution)"
            ),
            MeddraError::Unreadable(why) => write!(f, "MedDRA files could not be read: {why}"),
        }
    }
}

impl std::error::Error for MeddraError {}

/// A loaded MedDRA release.
#[derive(Debug, Clone, Default)]
pub struct Meddra {
    /// The release (e.g. `27.0`), from `meddra_release.asc` when present.
    pub version: Option<String>,
    pts: BTreeMap<u32, PtInfo>,
    by_pt_name: FastMap<String, u32>,
    by_llt_name: FastMap<String, u32>,
    /// PT code → the (normalised) names of its LLTs, sorted: MedDRA's synonyms of the PT.
    llts_of_pt: FastMap<u32, Vec<String>>,
}

fn fields(line: &str) -> Vec<&str> {
    let line = line.trim_end_matches(['\r', '\n']);
    let line = line.strip_suffix('$').unwrap_or(line);
    line.split('$').collect()
}

fn key(name: &str) -> String {
    let mut s = String::new();
    normalize_text(name.as_bytes(), &mut s);
    s
}

impl Meddra {
    /// Reads the release from `(file name, bytes)` pairs; names are matched by base name,
    /// case-insensitively, in any folder. Bytes are decoded as UTF-8 (latin-1 fallback).
    pub fn from_files<'a>(
        what: &str,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Meddra, MeddraError> {
        let mut by_name: FastMap<String, String> = FastMap::default();
        for (name, bytes) in files {
            let base = name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(name)
                .to_ascii_lowercase();
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t.to_owned(),
                Err(_) => bytes.iter().map(|&b| b as char).collect(),
            };
            by_name.insert(base, text);
        }
        if !by_name.contains_key("mdhier.asc") && !by_name.contains_key("pt.asc") {
            return Err(MeddraError::MissingFiles(what.to_owned()));
        }
        let mut m = Meddra::default();
        if let Some(release) = by_name.get("meddra_release.asc") {
            m.version = release
                .lines()
                .next()
                .and_then(|l| fields(l).first().map(|v| v.trim().to_owned()))
                .filter(|v| !v.is_empty());
        }
        let mut soc_names: FastMap<u32, String> = FastMap::default();
        if let Some(soc) = by_name.get("soc.asc") {
            for line in soc.lines() {
                let f = fields(line);
                if let (Some(code), Some(name)) =
                    (f.first().and_then(|c| c.trim().parse().ok()), f.get(1))
                {
                    soc_names.insert(code, name.trim().to_owned());
                }
            }
        }
        if let Some(hier) = by_name.get("mdhier.asc") {
            for line in hier.lines() {
                let f = fields(line);
                if f.len() < 8 {
                    continue;
                }
                let code = |i: usize| f[i].trim().parse::<u32>().ok();
                let (Some(pt_code), Some(soc_code)) = (code(0), code(3)) else {
                    continue;
                };
                let info = m.pts.entry(pt_code).or_insert_with(|| PtInfo {
                    pt_code,
                    name: f[4].trim().to_owned(),
                    paths: Vec::new(),
                });
                info.paths.push(SocPath {
                    soc_code,
                    soc: f[7].trim().to_owned(),
                    hlgt: f[6].trim().to_owned(),
                    hlt: f[5].trim().to_owned(),
                    primary: f
                        .get(11)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("Y")),
                });
            }
        }
        if let Some(pt) = by_name.get("pt.asc") {
            for line in pt.lines() {
                let f = fields(line);
                let Some(pt_code) = f.first().and_then(|c| c.trim().parse::<u32>().ok()) else {
                    continue;
                };
                let name = f.get(1).map_or("", |n| n.trim()).to_owned();
                let primary_soc = f.get(3).and_then(|c| c.trim().parse::<u32>().ok());
                let info = m.pts.entry(pt_code).or_insert_with(|| PtInfo {
                    pt_code,
                    name: name.clone(),
                    paths: Vec::new(),
                });
                if info.paths.is_empty() {
                    if let Some(soc_code) = primary_soc {
                        info.paths.push(SocPath {
                            soc_code,
                            soc: soc_names.get(&soc_code).cloned().unwrap_or_default(),
                            hlgt: String::new(),
                            hlt: String::new(),
                            primary: true,
                        });
                    }
                } else if let Some(soc_code) = primary_soc {
                    // pt.asc names the primary SOC even where mdhier.asc's flag is absent.
                    if !info.paths.iter().any(|p| p.primary) {
                        for p in &mut info.paths {
                            p.primary = p.soc_code == soc_code;
                        }
                    }
                }
            }
        }
        for info in m.pts.values_mut() {
            info.paths
                .sort_by(|a, b| b.primary.cmp(&a.primary).then(a.soc.cmp(&b.soc)));
            info.paths.dedup();
        }
        m.by_pt_name = m.pts.values().map(|p| (key(&p.name), p.pt_code)).collect();
        if let Some(llt) = by_name.get("llt.asc") {
            for line in llt.lines() {
                let f = fields(line);
                if let (Some(name), Some(pt_code)) = (
                    f.get(1),
                    f.get(2).and_then(|c| c.trim().parse::<u32>().ok()),
                ) {
                    if m.pts.contains_key(&pt_code) {
                        m.by_llt_name.entry(key(name)).or_insert(pt_code);
                    }
                }
            }
        }
        for (name, &pt_code) in &m.by_llt_name {
            m.llts_of_pt.entry(pt_code).or_default().push(name.clone());
        }
        for names in m.llts_of_pt.values_mut() {
            names.sort_unstable();
        }
        Ok(m)
    }

    /// Reads the release from a zip (any folder inside it).
    pub fn from_zip<R: Read + Seek>(what: &str, reader: R) -> Result<Meddra, MeddraError> {
        let mut archive = zip::ZipArchive::new(reader)
            .map_err(|e| MeddraError::Unreadable(format!("{what}: {e}")))?;
        let mut files = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| MeddraError::Unreadable(format!("{what}: {e}")))?;
            let name = entry.name().unwrap_or_default().to_string();
            if !name.to_ascii_lowercase().ends_with(".asc") || entry.size() > 512 << 20 {
                continue;
            }
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| MeddraError::Unreadable(format!("{what}: {name}: {e}")))?;
            files.push((name, bytes));
        }
        Meddra::from_files(what, files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
    }

    /// Number of PTs.
    pub fn pt_count(&self) -> usize {
        self.pts.len()
    }

    /// Finds a FAERS term (any case) as a PT, else as an LLT.
    pub fn lookup(&self, term: &str) -> Option<(&PtInfo, MappedBy)> {
        let k = key(term);
        if let Some(code) = self.by_pt_name.get(&k) {
            return self.pts.get(code).map(|p| (p, MappedBy::Pt));
        }
        let code = self.by_llt_name.get(&k)?;
        self.pts.get(code).map(|p| (p, MappedBy::Llt))
    }

    /// The LLT names (normalised) that lead to a PT, sorted, for synonym matching.
    pub fn llt_names_of(&self, pt_code: u32) -> Vec<&str> {
        self.llts_of_pt
            .get(&pt_code)
            .map_or_else(Vec::new, |names| names.iter().map(String::as_str).collect())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny MedDRA-format fixture written here (MedDRA itself is never shipped): two SOCs,
    /// three PTs, one PT in two SOCs, LLTs including a synonym.
    pub(crate) fn fixture() -> Vec<(&'static str, &'static str)> {
        vec![
            ("MedAscii/meddra_release.asc", "27.0$English$$$\r\n"),
            (
                "MedAscii/soc.asc",
                "10019805$Hepatobiliary disorders$Hepat$$$$$$$$\r\n10021881$Infections and infestations$Infec$$$$$$$$\r\n10005329$Blood and lymphatic system disorders$Blood$$$$$$$$\r\n",
            ),
            (
                "MedAscii/pt.asc",
                "10047216$Venoocclusive liver disease$$10019805$$$$$$$$\r\n10040047$Sepsis$$10021881$$$$$$$$\r\n10016288$Febrile neutropenia$$10005329$$$$$$$$\r\n",
            ),
            (
                "MedAscii/mdhier.asc",
                "10047216$10019809$10019808$10019805$Venoocclusive liver disease$Hepatic vascular disorders$Hepatic and hepatobiliary disorders$Hepatobiliary disorders$Hepat$$10019805$Y$\r\n\
                 10040047$10040048$10021879$10021881$Sepsis$Sepsis, bacteraemia, viraemia and fungaemia NEC$Infections - pathogen unspecified$Infections and infestations$Infec$$10021881$Y$\r\n\
                 10016288$10029363$10018849$10005329$Febrile neutropenia$Neutropenias$White blood cell disorders$Blood and lymphatic system disorders$Blood$$10005329$Y$\r\n\
                 10016288$10016289$10021879$10021881$Febrile neutropenia$Febrile disorders NEC$Infections - pathogen unspecified$Infections and infestations$Infec$$10005329$N$\r\n",
            ),
            (
                "MedAscii/llt.asc",
                "10047216$Venoocclusive liver disease$10047216$$$$$$$Y$$\r\n10071502$Veno-occlusive liver disease$10047216$$$$$$$Y$$\r\n10071503$Sinusoidal obstruction syndrome$10047216$$$$$$$Y$$\r\n10040047$Sepsis$10040047$$$$$$$Y$$\r\n",
            ),
        ]
    }

    pub(crate) fn load() -> Meddra {
        let files = fixture();
        Meddra::from_files("fixture", files.iter().map(|(n, t)| (*n, t.as_bytes()))).unwrap()
    }

    #[test]
    fn pts_llts_and_primary_socs() {
        let m = load();
        assert_eq!(m.version.as_deref(), Some("27.0"));
        assert_eq!(m.pt_count(), 3);
        let (pt, by) = m.lookup("VENOOCCLUSIVE LIVER DISEASE").unwrap();
        assert_eq!((pt.pt_code, by), (10047216, MappedBy::Pt));
        let (pt, by) = m.lookup("Veno-occlusive liver disease").unwrap();
        assert_eq!((pt.pt_code, by), (10047216, MappedBy::Llt));
        assert_eq!(pt.primary().unwrap().soc, "Hepatobiliary disorders");
        let (fnp, _) = m.lookup("febrile neutropenia").unwrap();
        assert_eq!(fnp.paths.len(), 2);
        assert_eq!(
            fnp.primary().unwrap().soc,
            "Blood and lymphatic system disorders"
        );
        assert_eq!(fnp.paths[1].soc, "Infections and infestations");
        assert!(m.lookup("Nausea").is_none());
        assert_eq!(
            m.llt_names_of(10047216),
            [
                "SINUSOIDAL OBSTRUCTION SYNDROME",
                "VENO-OCCLUSIVE LIVER DISEASE",
                "VENOOCCLUSIVE LIVER DISEASE"
            ]
        );
    }

    #[test]
    fn missing_files_are_named() {
        let e = Meddra::from_files("my-meddra.zip", [("readme.txt", &b"x"[..])]).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("my-meddra.zip: no MedDRA ASCII files found"));
    }
}
