//! A drug's label (prescribing information), read locally, and whether it mentions a
//! reaction.
//!
//! Why: a disproportionality signal for a reaction the label already lists is a known risk;
//! one it does not list is new, and is what a reviewer looks at first. The label is the
//! reviewer's own file, nothing is fetched: FDA's Structured Product Labeling (SPL) XML as
//! DailyMed serves it (the `.xml`, or the zip holding it and its images), or plain text.
//!
//! Only the sections that state risks are read: boxed warning, warnings and precautions,
//! warnings (older labels) and adverse reactions. A term named elsewhere, say in the
//! indications ("treatment of sepsis"), is not a listed reaction. Plain text is read whole
//! unless it has those headings.
//!
//! A term is looked for as whole words, case-insensitively, tolerant of plurals and of
//! hyphens written or not (`matching.rs` says exactly how). The search is literal: a
//! negated mention ("no cases of …") still counts as a mention.

mod matching;
mod spl;
mod text;

use std::borrow::Cow;
use std::fmt;
use std::io::{Cursor, Read};

use serde::Serialize;

use matching::{Pattern, TokenIndex};

/// An SPL member larger than this is refused (a zip bomb guard): real labels are a few MB.
const MAX_XML_BYTES: u64 = 64 << 20;

/// Which kind of file a label was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelFormat {
    /// SPL XML, on its own or inside DailyMed's zip.
    Spl,
    /// Plain text.
    Text,
}

/// A part of the label. The order of the variants is the order in which [`Label::find`]
/// looks: the most prominent statement of a risk first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SectionKind {
    /// Boxed warning (LOINC 34066-1).
    #[serde(rename = "boxed warning")]
    BoxedWarning,
    /// Warnings and precautions (LOINC 43685-7), in labels of the 2006 format.
    #[serde(rename = "warnings and precautions")]
    WarningsAndPrecautions,
    /// Warnings (LOINC 34071-1), in older labels.
    #[serde(rename = "warnings")]
    Warnings,
    /// Adverse reactions (LOINC 34084-4).
    #[serde(rename = "adverse reactions")]
    AdverseReactions,
    /// Plain text without a recognised heading.
    #[serde(rename = "label text")]
    Text,
}

impl SectionKind {
    /// Every kind, in the order [`Label::find`] looks.
    pub const ALL: [SectionKind; 5] = [
        SectionKind::BoxedWarning,
        SectionKind::WarningsAndPrecautions,
        SectionKind::Warnings,
        SectionKind::AdverseReactions,
        SectionKind::Text,
    ];

    /// The name used in results ("boxed warning", …, "label text"), as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::BoxedWarning => "boxed warning",
            SectionKind::WarningsAndPrecautions => "warnings and precautions",
            SectionKind::Warnings => "warnings",
            SectionKind::AdverseReactions => "adverse reactions",
            SectionKind::Text => "label text",
        }
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One section that was read: an SPL `<section>` of a recognised kind (its nested
/// subsections included), or a part of a text under one heading.
#[derive(Debug, Clone, Serialize)]
pub struct LabelSection {
    /// What kind of section.
    pub kind: SectionKind,
    /// Its heading, whitespace collapsed, if it has one.
    pub title: Option<String>,
    /// Number of words in it (heading included).
    pub words: usize,
    #[serde(skip)]
    index: TokenIndex,
}

impl LabelSection {
    fn new(kind: SectionKind, title: Option<String>, text: &str) -> LabelSection {
        let index = TokenIndex::new(text);
        LabelSection {
            kind,
            title,
            words: index.len(),
            index,
        }
    }

    /// Whether this section mentions the term (whole words, see the module docs).
    pub fn mentions(&self, term: &str) -> bool {
        self.index.contains(&Pattern::new(term))
    }
}

/// A label, read and indexed for [`Label::find`].
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// The file name it was read from, as given.
    pub source: String,
    /// SPL or text.
    pub format: LabelFormat,
    /// The SPL document title (whitespace collapsed); none for text.
    pub title: Option<String>,
    /// The SPL set id, the same for every version of this label.
    pub set_id: Option<String>,
    /// The SPL version number.
    pub version: Option<String>,
    /// The SPL document's effective time, as written (`YYYYMMDD`).
    pub effective_time: Option<String>,
    /// The sections read, in document order.
    pub sections: Vec<LabelSection>,
}

/// Where a label mentions a reaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The kind of section that mentions it.
    pub section: SectionKind,
    /// Which of the terms looked for was found, as it was given.
    pub term: String,
}

impl Label {
    /// Reads a label whatever its form, told by its first bytes: a zip (`PK\x03\x04`) is
    /// DailyMed's SPL zip; text whose first character is `<` is SPL XML; anything else is
    /// plain text (UTF-8, UTF-16 with a byte-order mark, else Latin-1). Bytes that are
    /// neither (binary data) are refused.
    pub fn from_bytes(file_name: &str, bytes: &[u8]) -> Result<Label, LabelError> {
        if bytes.starts_with(b"PK\x03\x04") {
            return Label::from_zip(file_name, bytes);
        }
        let text = decode(bytes);
        if text.trim_start().starts_with('<') {
            return spl::read(file_name, &text);
        }
        if looks_binary(&text) {
            return Err(LabelError::NotLabel {
                file: file_name.to_owned(),
                reason: "binary data, neither SPL XML, a zip nor text".to_owned(),
            });
        }
        Label::from_text(file_name, &text)
    }

    /// Reads an SPL XML document.
    pub fn from_spl_xml(file_name: &str, bytes: &[u8]) -> Result<Label, LabelError> {
        spl::read(file_name, &decode(bytes))
    }

    /// Reads DailyMed's SPL zip: its `.xml` member (the largest, should there be several);
    /// the images beside it are ignored.
    pub fn from_zip(file_name: &str, bytes: &[u8]) -> Result<Label, LabelError> {
        let bad_zip = |reason: String| LabelError::BadZip {
            file: file_name.to_owned(),
            reason,
        };
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad_zip(e.to_string()))?;
        let mut best: Option<(usize, u64)> = None;
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|e| bad_zip(e.to_string()))?;
            let Ok(name) = entry.name() else { continue };
            let base = name.rsplit('/').next().unwrap_or_default();
            let is_xml = base.to_ascii_lowercase().ends_with(".xml");
            // macOS archivers add "__MACOSX/._name.xml" resource forks beside the real file.
            let resource_fork = name.starts_with("__MACOSX/") || base.starts_with("._");
            if entry.is_dir() || !is_xml || resource_fork {
                continue;
            }
            if best.is_none_or(|(_, size)| entry.size() > size) {
                best = Some((i, entry.size()));
            }
        }
        let Some((index, size)) = best else {
            return Err(LabelError::NoXmlInZip {
                file: file_name.to_owned(),
            });
        };
        let mut entry = archive
            .by_index(index)
            .map_err(|e| bad_zip(e.to_string()))?;
        let member = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if size > MAX_XML_BYTES {
            return Err(bad_zip(format!(
                "{member} is larger than {MAX_XML_BYTES} bytes"
            )));
        }
        let mut xml = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(MAX_XML_BYTES + 1)
            .read_to_end(&mut xml)
            .map_err(|e| bad_zip(format!("{member}: {e}")))?;
        if xml.len() as u64 > MAX_XML_BYTES {
            return Err(bad_zip(format!(
                "{member} inflates past {MAX_XML_BYTES} bytes"
            )));
        }
        Label::from_spl_xml(file_name, &xml)
    }

    /// Reads plain text: the sections under recognised headings, else the whole text as one
    /// [`SectionKind::Text`] section (see `text.rs` for the headings recognised).
    pub fn from_text(file_name: &str, text: &str) -> Result<Label, LabelError> {
        text::read(file_name, text)
    }

    /// The first section, in the order of [`SectionKind::ALL`] (then document order), that
    /// mentions any of the terms, and the first of the terms it mentions. Give a PT and its
    /// synonyms (LLTs); `None` when the label mentions none of them in the sections read.
    pub fn find<S: AsRef<str>>(&self, terms: &[S]) -> Option<Mention> {
        let patterns: Vec<Pattern> = terms.iter().map(|t| Pattern::new(t.as_ref())).collect();
        for kind in SectionKind::ALL {
            for section in self.sections.iter().filter(|s| s.kind == kind) {
                for (term, pattern) in terms.iter().zip(&patterns) {
                    if section.index.contains(pattern) {
                        return Some(Mention {
                            section: kind,
                            term: term.as_ref().to_owned(),
                        });
                    }
                }
            }
        }
        None
    }

    /// Words per kind of section read (sections of one kind added up), in the order of
    /// [`SectionKind::ALL`], for the summary shown to the user.
    pub fn section_words(&self) -> Vec<(SectionKind, usize)> {
        SectionKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let mut of_kind = self.sections.iter().filter(|s| s.kind == kind).peekable();
                of_kind.peek()?;
                Some((kind, of_kind.map(|s| s.words).sum()))
            })
            .collect()
    }
}

/// Bytes as text: a UTF-8 byte-order mark is dropped, UTF-16 with a byte-order mark is
/// decoded, other bytes are UTF-8 if they are valid UTF-8, else Latin-1 (each byte one
/// character), which never fails.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode(rest);
    }
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        Cow::Owned(String::from_utf16_lossy(&units))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Whether decoded "text" is really binary: a NUL, or more than 1% control characters other
/// than tab, line feed, carriage return and form feed. (C1 controls are not counted: a
/// Windows-1252 file read as Latin-1 has them for its curly quotes.)
fn looks_binary(text: &str) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        if c == '\0' {
            return true;
        }
        chars += 1;
        if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C') {
            controls += 1;
        }
    }
    controls * 100 > chars
}

/// Why a label could not be read. Every variant names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelError {
    /// Well-formed XML that is not an SPL document, or binary data.
    NotLabel {
        /// The file.
        file: String,
        /// What was found instead.
        reason: String,
    },
    /// The bytes start as a zip but cannot be read as one, or its XML member cannot be
    /// inflated or is implausibly large.
    BadZip {
        /// The file.
        file: String,
        /// What the zip reader said.
        reason: String,
    },
    /// A zip without any `.xml` member.
    NoXmlInZip {
        /// The file.
        file: String,
    },
    /// XML that is not well-formed.
    MalformedXml {
        /// The file.
        file: String,
        /// What the XML parser said.
        reason: String,
        /// Line of the error, from 1.
        line: u32,
        /// Column of the error, from 1.
        column: u32,
    },
    /// An SPL document without any of the sections read (boxed warning, warnings and
    /// precautions, warnings, adverse reactions).
    NoSections {
        /// The file.
        file: String,
    },
    /// Text without a single word.
    EmptyText {
        /// The file.
        file: String,
    },
}

impl LabelError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            LabelError::NotLabel { file, .. }
            | LabelError::BadZip { file, .. }
            | LabelError::NoXmlInZip { file }
            | LabelError::MalformedXml { file, .. }
            | LabelError::NoSections { file }
            | LabelError::EmptyText { file } => file,
        }
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelError::NotLabel { file, reason } => {
                write!(f, "{file}: not a drug label ({reason})")
            }
            LabelError::BadZip { file, reason } => {
                write!(f, "{file}: the zip cannot be read ({reason})")
            }
            LabelError::NoXmlInZip { file } => {
                write!(
                    f,
                    "{file}: the zip holds no .xml file (expected DailyMed's SPL zip)"
                )
            }
            LabelError::MalformedXml { file, reason, .. } => {
                write!(f, "{file}: not well-formed XML ({reason})")
            }
            LabelError::NoSections { file } => write!(
                f,
                "{file}: no boxed warning, warnings, warnings and precautions or adverse \
                 reactions section in this SPL document"
            ),
            LabelError::EmptyText { file } => write!(f, "{file}: the text holds no words"),
        }
    }
}

impl std::error::Error for LabelError {}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    /// A small label in the shape of DailyMed's SPL for inotuzumab ozogamicin.
    pub(crate) const BESPONSA: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://www.accessdata.fda.gov/spl/stylesheet/spl.xsl" type="text/xsl"?>
<document xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <id root="5c8d2a8e-0000-4000-8000-000000000001"/>
  <code code="34391-3" codeSystem="2.16.840.1.113883.6.1" displayName="HUMAN PRESCRIPTION DRUG LABEL"/>
  <title>These highlights do not include all the information needed to use
    <content styleCode="bold">BESPONSA</content>&#174; safely and effectively.<br/>
    BESPONSA (inotuzumab ozogamicin) for injection, for intravenous use</title>
  <effectiveTime value="20240305"/>
  <setId root="8f2e1d0a-1111-4222-8333-944455556666"/>
  <versionNumber value="7"/>
  <author><assignedEntity><representedOrganization><name>Wyeth &amp; Co</name></representedOrganization></assignedEntity></author>
  <component>
    <structuredBody>
      <component>
        <section ID="boxed">
          <id root="aaaaaaaa-0000-4000-8000-000000000002"/>
          <code code="34066-1" codeSystem="2.16.840.1.113883.6.1" displayName="BOXED WARNING SECTION"/>
          <title>WARNING: HEPATOTOXICITY, INCLUDING HEPATIC VENO-OCCLUSIVE DISEASE, AND INCREASED RISK OF POST-HSCT NON-RELAPSE MORTALITY</title>
          <effectiveTime value="20170817"/>
          <text>
            <paragraph><content styleCode="bold">Hepatotoxicity, including fatal and life-threatening hepatic veno-occlusive disease (VOD) (also known as sinusoidal obstruction syndrome), occurred in patients who received BESPONSA</content> [see Warnings and Precautions (<linkHtml href="#s5.1">5.1</linkHtml>)].</paragraph>
            <paragraph>A higher post-hematopoietic stem cell transplant (HSCT) non-relapse mortality rate occurred in patients receiving BESPONSA; increased post-HSCT non-relapse mortality was seen.</paragraph>
          </text>
        </section>
      </component>
      <component>
        <section>
          <code code="34067-9" codeSystem="2.16.840.1.113883.6.1" displayName="INDICATIONS &amp; USAGE SECTION"/>
          <title>1 INDICATIONS AND USAGE</title>
          <text><paragraph>For relapsed or refractory B-cell precursor acute lymphoblastic leukemia, not for sepsis.</paragraph></text>
        </section>
      </component>
      <component>
        <section>
          <code code="43685-7" codeSystem="2.16.840.1.113883.6.1" displayName="WARNINGS AND PRECAUTIONS SECTION"/>
          <title>5 WARNINGS AND PRECAUTIONS</title>
          <text/>
          <component>
            <section ID="s5.1">
              <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
              <title>5.1 Hepatotoxicity, Including Hepatic Veno-occlusive Disease</title>
              <text><paragraph>Monitor bilirubin &lt; 1.5 &#215; ULN and transaminases.</paragraph></text>
            </section>
          </component>
          <component>
            <section>
              <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
              <title>5.3 Myelosuppression</title>
              <text><paragraph>Platelet counts below 50 &#215; 10<sup>9</sup>/L; <![CDATA[severe & prolonged]]> cytopenias.</paragraph></text>
            </section>
          </component>
          <component>
            <section>
              <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
              <title>5.4 Infusion Related Reactions</title>
              <text><paragraph>Infusion related reactions (all Grade 2) occurred.</paragraph></text>
            </section>
          </component>
          <component>
            <section>
              <code code="42229-5" codeSystem="2.16.840.1.113883.6.1" displayName="SPL UNCLASSIFIED SECTION"/>
              <title>5.5 QT Interval Prolongation</title>
              <text><paragraph>Increases in QT interval corrected for heart rate (QTc) have occurred.<?pi ignore me?><!-- a comment about pancreatitis --></paragraph></text>
            </section>
          </component>
        </section>
      </component>
      <component>
        <section>
          <code code="34084-4" codeSystem="2.16.840.1.113883.6.1" displayName="ADVERSE REACTIONS SECTION"/>
          <title>6 ADVERSE REACTIONS</title>
          <text>
            <list listType="unordered"><item>Hepatotoxicity, including VOD</item><item>Myelosuppression</item></list>
            <table>
              <thead><tr><th>Adverse Reaction</th><th>BESPONSA (N=164) %</th></tr></thead>
              <tbody>
                <tr><td>Thrombocytopenia</td><td>51</td></tr>
                <tr><td>Neutropenia</td><td>49</td></tr>
                <tr><td>Infection</td><td>48</td></tr>
                <tr><td>Febrile neutropenia</td><td>26</td></tr>
                <tr><td>Nausea</td><td>31</td></tr>
                <tr><td>Abdominal pain</td><td>Pyrexia</td></tr>
              </tbody>
            </table>
            <paragraph>Serious infections&#8212;including pneumonia&#8212;occurred in 23%; caf&#233; au lait macules &#946;.</paragraph>
          </text>
        </section>
      </component>
    </structuredBody>
  </component>
</document>
"##;

    fn besponsa() -> Label {
        Label::from_bytes("besponsa.xml", BESPONSA.as_bytes()).expect("the fixture reads")
    }

    fn found(label: &Label, terms: &[&str]) -> Option<(SectionKind, String)> {
        label.find(terms).map(|m| (m.section, m.term))
    }

    #[test]
    fn metadata_is_read() {
        let l = besponsa();
        assert_eq!(l.source, "besponsa.xml");
        assert_eq!(l.format, LabelFormat::Spl);
        assert_eq!(
            l.set_id.as_deref(),
            Some("8f2e1d0a-1111-4222-8333-944455556666")
        );
        assert_eq!(l.version.as_deref(), Some("7"));
        assert_eq!(l.effective_time.as_deref(), Some("20240305"));
        assert_eq!(
            l.title.as_deref(),
            Some(
                "These highlights do not include all the information needed to use BESPONSA\u{ae} \
                 safely and effectively. BESPONSA (inotuzumab ozogamicin) for injection, for \
                 intravenous use"
            )
        );
        let kinds: Vec<SectionKind> = l.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::BoxedWarning,
                SectionKind::WarningsAndPrecautions,
                SectionKind::AdverseReactions
            ]
        );
        assert_eq!(
            l.sections[1].title.as_deref(),
            Some("5 WARNINGS AND PRECAUTIONS")
        );
    }

    #[test]
    fn terms_are_found_in_the_right_section() {
        let l = besponsa();
        let boxed = SectionKind::BoxedWarning;
        let wp = SectionKind::WarningsAndPrecautions;
        let ar = SectionKind::AdverseReactions;
        let t = |s: &str| s.to_owned();
        assert_eq!(
            found(&l, &["VENO-OCCLUSIVE DISEASE"]),
            Some((boxed, t("VENO-OCCLUSIVE DISEASE")))
        );
        assert_eq!(
            found(&l, &["VENOOCCLUSIVE DISEASE"]),
            Some((boxed, t("VENOOCCLUSIVE DISEASE")))
        );
        assert_eq!(
            found(&l, &["SINUSOIDAL OBSTRUCTION SYNDROME"]),
            Some((boxed, t("SINUSOIDAL OBSTRUCTION SYNDROME")))
        );
        assert_eq!(found(&l, &["INFECTIONS"]), Some((ar, t("INFECTIONS"))));
        assert_eq!(found(&l, &["PNEUMONIA"]), Some((ar, t("PNEUMONIA"))));
        assert_eq!(found(&l, &["SEPSIS"]), None);
        assert_eq!(
            found(&l, &["FEBRILE NEUTROPENIA"]),
            Some((ar, t("FEBRILE NEUTROPENIA")))
        );
        assert_eq!(
            found(&l, &["INFUSION-RELATED REACTION"]),
            Some((wp, t("INFUSION-RELATED REACTION")))
        );
        assert_eq!(
            found(
                &l,
                &["ELECTROCARDIOGRAM QT PROLONGED", "QT INTERVAL PROLONGATION"]
            ),
            Some((wp, t("QT INTERVAL PROLONGATION")))
        );
        // Hepatotoxicity is in all three; the boxed warning comes first.
        assert_eq!(
            found(&l, &["HEPATOTOXICITY"]),
            Some((boxed, t("HEPATOTOXICITY")))
        );
        // Text outside the four sections, comments and processing instructions do not count.
        assert_eq!(
            found(&l, &["LYMPHOBLASTIC LEUKEMIA", "PANCREATITIS", "IGNORE ME"]),
            None
        );
        assert_eq!(found(&l, &["INOTUZUMAB"]), None);
        // Words of the section titles count.
        assert_eq!(
            found(&l, &["MYELOSUPPRESSION"]),
            Some((wp, t("MYELOSUPPRESSION")))
        );
        assert_eq!(found(&l, &[] as &[&str]), None);
        // String terms work as well as &str ones.
        let owned = vec!["NAUSEA".to_owned()];
        assert_eq!(l.find(&owned).map(|m| m.section), Some(ar));
    }

    #[test]
    fn table_cells_are_separate_words_and_entities_decoded() {
        let l = besponsa();
        let ar = &l.sections[2];
        assert!(ar.mentions("ABDOMINAL PAIN"));
        assert!(ar.mentions("PYREXIA"));
        assert!(!ar.mentions("PAINPYREXIA"));
        assert!(ar.mentions("NAUSEA"));
        assert!(!ar.mentions("NEUTROPENIA48")); // "49</td></tr><tr><td>Infection"
                                                // &#8212; (em dash) separates, &#233; is é (folded), &#946; is β.
        assert!(ar.mentions("SERIOUS INFECTION INCLUDING PNEUMONIA"));
        assert!(ar.mentions("cafe au lait macules"));
        assert!(ar.mentions("β"));
        let wp = &l.sections[1];
        assert!(wp.mentions("BILIRUBIN"));
        assert!(wp.mentions("10 9 L") || wp.mentions("109 L"));
        assert!(wp.mentions("SEVERE"), "CDATA is text");
        assert!(wp.mentions("PROLONGED CYTOPENIA"));
    }

    #[test]
    fn section_words_add_up_per_kind() {
        let l = besponsa();
        let words = l.section_words();
        let kinds: Vec<SectionKind> = words.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::BoxedWarning,
                SectionKind::WarningsAndPrecautions,
                SectionKind::AdverseReactions
            ]
        );
        assert!(words.iter().all(|(_, n)| *n > 10));
        let total: usize = l.sections.iter().map(|s| s.words).sum();
        assert_eq!(words.iter().map(|(_, n)| n).sum::<usize>(), total);
    }

    #[test]
    fn serialises_with_snake_case_fields_and_kind_names() {
        let l = besponsa();
        let v = serde_json::to_value(&l).expect("serialises");
        assert_eq!(v["format"], "spl");
        assert_eq!(v["set_id"], "8f2e1d0a-1111-4222-8333-944455556666");
        assert_eq!(v["effective_time"], "20240305");
        assert_eq!(v["sections"][0]["kind"], "boxed warning");
        assert!(v["sections"][0]["words"].as_u64().unwrap_or(0) > 10);
        assert!(v["sections"][0].get("index").is_none());
        let m = l.find(&["NAUSEA"]).expect("found");
        let v = serde_json::to_value(&m).expect("serialises");
        assert_eq!(v["section"], "adverse reactions");
        assert_eq!(v["term"], "NAUSEA");
        for kind in SectionKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).expect("serialises"),
                kind.as_str()
            );
        }
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            w.start_file(*name, opts).expect("member");
            w.write_all(bytes).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    #[test]
    fn dailymed_zip_is_read() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR not really an image";
        let bytes = zip_of(&[
            ("besponsa-01.jpg", png),
            ("__MACOSX/._A1B2C3.XML", b"\0\x05\x16\x07 resource fork"),
            ("A1B2C3D4-E5F6.XML", BESPONSA.as_bytes()),
            ("besponsa-02.png", png),
        ]);
        for label in [
            Label::from_bytes("besponsa.zip", &bytes).expect("zip reads"),
            Label::from_zip("besponsa.zip", &bytes).expect("zip reads"),
        ] {
            assert_eq!(label.source, "besponsa.zip");
            assert_eq!(label.format, LabelFormat::Spl);
            assert_eq!(label.version.as_deref(), Some("7"));
            assert_eq!(
                label.find(&["FEBRILE NEUTROPENIA"]).map(|m| m.section),
                Some(SectionKind::AdverseReactions)
            );
        }
    }

    #[test]
    fn bytes_are_sniffed_and_decoded() {
        // BOM and blank lines before the XML.
        let mut bytes = b"\xEF\xBB\xBF\n  \n".to_vec();
        bytes.extend_from_slice(BESPONSA.as_bytes());
        let l = Label::from_bytes("b.xml", &bytes).expect("reads");
        assert_eq!(l.format, LabelFormat::Spl);
        // Latin-1 text.
        let l = Label::from_bytes(
            "l.txt",
            b"ADVERSE REACTIONS\nSj\xf6gren's syndrome, na\xefve",
        )
        .expect("reads");
        assert_eq!(l.format, LabelFormat::Text);
        assert_eq!(
            l.find(&["SJOGREN'S SYNDROME"]).map(|m| m.section),
            Some(SectionKind::AdverseReactions)
        );
        // UTF-16 with a byte-order mark.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Nausea and vomiting".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let l = Label::from_bytes("u.txt", &utf16).expect("reads");
        assert_eq!(
            l.find(&["VOMITING"]).map(|m| m.section),
            Some(SectionKind::Text)
        );
    }

    #[test]
    fn errors_name_the_file_and_say_why() {
        let err = |bytes: &[u8]| Label::from_bytes("f", bytes).expect_err("refused");
        assert!(matches!(err(b""), LabelError::EmptyText { .. }));
        assert!(matches!(err(b" \n\t-- \r\n"), LabelError::EmptyText { .. }));
        assert!(matches!(
            err(b"<?xml version=\"1.0\"?><html><body>Nausea</body></html>"),
            LabelError::NotLabel { .. }
        ));
        match err(b"<document xmlns=\"urn:hl7-org:v3\">\n  <title>x</titel>\n</document>") {
            LabelError::MalformedXml { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            err(b"<document xmlns=\"urn:hl7-org:v3\"><title>x</title></document>"),
            LabelError::NoSections { .. }
        ));
        assert!(matches!(
            err(&zip_of(&[("a.jpg", b"jpeg"), ("readme.txt", b"hello")])),
            LabelError::NoXmlInZip { .. }
        ));
        assert!(matches!(
            err(b"PK\x03\x04garbage"),
            LabelError::BadZip { .. }
        ));
        assert!(matches!(
            err(b"\x00\x01\x02\x03\xff\xfe\x10\x11 random"),
            LabelError::NotLabel { .. }
        ));
        assert!(matches!(
            err(&zip_of(&[("x.xml", b"<a><b></a>")])),
            LabelError::MalformedXml { .. }
        ));
        let e = err(b"<html/>");
        assert_eq!(e.file(), "f");
        assert!(e.to_string().starts_with("f: "));
        let _: &dyn std::error::Error = &e;
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 50_000;
        let mut xml = String::from("<document><component>");
        xml.push_str(&"<section><code code=\"34084-4\"/><text>".repeat(depth));
        xml.push_str("Nausea");
        xml.push_str(&"</text></section>".repeat(depth));
        xml.push_str("</component></document>");
        let l = Label::from_bytes("deep.xml", xml.as_bytes()).expect("reads");
        assert_eq!(l.sections.len(), depth);
        assert_eq!(
            l.find(&["NAUSEA"]).map(|m| m.section),
            Some(SectionKind::AdverseReactions)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_bytes_give_a_label_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(label) = Label::from_bytes("p", &bytes) {
                let _ = label.find(&["NAUSEA", "A-B"]);
                let _ = label.section_words();
            }
        }

        #[test]
        fn mangled_fixtures_never_panic(cut in 0usize..4000, junk in "\\PC{0,20}") {
            let xml = BESPONSA;
            let cut = (0..=cut.min(xml.len())).rev().find(|&i| xml.is_char_boundary(i)).unwrap_or(0);
            let mangled = format!("{}{}{}", &xml[..cut], junk, &xml[cut..]);
            let _ = Label::from_bytes("m.xml", mangled.as_bytes());
            let zipped = zip_of(&[("m.xml", mangled.as_bytes())]);
            let _ = Label::from_bytes("m.zip", &zipped[..zipped.len().min(cut)]);
        }
    }
}
