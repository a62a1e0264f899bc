//! A label as plain text (pasted, or a `.txt` file), cut at its headings.
//!
//! Text has no markup, so sections are told by heading lines. A line is a heading when, once
//! trimmed of framing dashes or equals signs (as in the Highlights, "-----ADVERSE
//! REACTIONS-----") and of numbering ("6", "6.", "5.1"), it is:
//! - one of the four recognised headings: "BOXED WARNING", "WARNINGS AND PRECAUTIONS",
//!   "WARNINGS", "ADVERSE REACTIONS", in any case, alone on its line (a trailing colon or
//!   period allowed) or, in upper case, followed by more ("6 ADVERSE REACTIONS (see …)");
//!   or a line starting "WARNING:" in upper case, or "WARNING" alone: a boxed warning;
//! - or another heading, which ends the section before it: an upper-case line numbered as a
//!   top-level section (1 to 20, no dot: "7 DRUG INTERACTIONS"), an upper-case framed line,
//!   or the name of another standard label section ("CONTRAINDICATIONS", "OVERDOSAGE", …)
//!   in upper case or numbered.
//!
//! Subsection headings ("5.1 Hepatotoxicity") do not end a section. If the text has no
//! recognised heading it is one [`SectionKind::Text`] section. Otherwise the text before the
//! first heading of any kind is a `Text` section, each recognised heading starts a section
//! of its kind that runs to the next heading, and the text under other headings
//! (indications, dosage, …) is left out, as for SPL.

use super::{Label, LabelError, LabelFormat, LabelSection, SectionKind};

/// Other sections of a label, whose headings end a recognised section.
const OTHER_HEADINGS: &[&str] = &[
    "HIGHLIGHTS OF PRESCRIBING INFORMATION",
    "RECENT MAJOR CHANGES",
    "FULL PRESCRIBING INFORMATION",
    "FULL PRESCRIBING INFORMATION: CONTENTS",
    "INDICATIONS AND USAGE",
    "INDICATIONS & USAGE",
    "INDICATIONS",
    "DOSAGE AND ADMINISTRATION",
    "DOSAGE FORMS AND STRENGTHS",
    "CONTRAINDICATIONS",
    "PRECAUTIONS",
    "DRUG INTERACTIONS",
    "USE IN SPECIFIC POPULATIONS",
    "DRUG ABUSE AND DEPENDENCE",
    "OVERDOSAGE",
    "DESCRIPTION",
    "CLINICAL PHARMACOLOGY",
    "NONCLINICAL TOXICOLOGY",
    "CLINICAL STUDIES",
    "REFERENCES",
    "HOW SUPPLIED",
    "HOW SUPPLIED/STORAGE AND HANDLING",
    "PATIENT COUNSELING INFORMATION",
    "MEDICATION GUIDE",
    "PATIENT INFORMATION",
    "INSTRUCTIONS FOR USE",
];

/// What a heading line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// A section that is read.
    Section(SectionKind),
    /// A section that is not read.
    Other,
}

/// Numbering in front of a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    None,
    /// "6", "6." — a top-level section of the 2006 format.
    Top,
    /// "5.1", "6.2.3"
    Sub,
}

/// Splits off numbering: digits, optional ".digits" parts, an optional final period, then
/// a space (or the end). "2mg" and "5.1Hepatotoxicity" are not numbered.
fn split_numbering(s: &str) -> (Numbering, &str) {
    let b = s.as_bytes();
    let digits_from = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut end = digits_from(0);
    if end == 0 {
        return (Numbering::None, s);
    }
    let top: Option<u32> = s[..end].parse().ok();
    let mut sub = false;
    while end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
        end = digits_from(end + 1);
        sub = true;
    }
    if end < b.len() && b[end] == b'.' {
        end += 1;
    }
    if end < b.len() && !b[end].is_ascii_whitespace() {
        return (Numbering::None, s);
    }
    let numbering = match (sub, top) {
        (true, _) => Numbering::Sub,
        (false, Some(1..=20)) => Numbering::Top,
        // "2017 ANNUAL REPORT", "0 ...": a number, not a section number.
        (false, _) => return (Numbering::None, s),
    };
    (numbering, &s[end..])
}

/// Whether `norm` (upper case, collapsed) is the heading `keyword`: equal, or, if the line
/// is in upper case, starting with it and then a non-letter.
fn is_heading(norm: &str, upper: bool, keyword: &str) -> bool {
    norm == keyword
        || (upper
            && norm
                .strip_prefix(keyword)
                .is_some_and(|rest| rest.chars().next().is_some_and(|c| !c.is_alphanumeric())))
}

/// Classifies a line; with the heading as shown (framing and outer spaces removed).
fn classify(line: &str) -> Option<(Heading, String)> {
    let trimmed = line.trim();
    let framed = ["---", "==="]
        .iter()
        .any(|f| trimmed.starts_with(f) || trimmed.ends_with(f));
    let core = trimmed.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '=' | '*' | '#' | '_' | '\u{2022}')
    });
    let (numbering, rest) = split_numbering(core);
    let rest = rest.trim();
    if !rest.chars().any(char::is_alphabetic) {
        return None;
    }
    let upper = !rest.chars().any(char::is_lowercase);
    let norm = rest
        .trim_end_matches([':', '.', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    let title = core.split_whitespace().collect::<Vec<_>>().join(" ");

    let kind = if rest.starts_with("WARNING:") || norm == "WARNING" {
        Some(SectionKind::BoxedWarning)
    } else {
        [
            ("BOXED WARNING", SectionKind::BoxedWarning),
            (
                "WARNINGS AND PRECAUTIONS",
                SectionKind::WarningsAndPrecautions,
            ),
            ("WARNINGS", SectionKind::Warnings),
            ("ADVERSE REACTIONS", SectionKind::AdverseReactions),
        ]
        .into_iter()
        .find(|(keyword, _)| is_heading(&norm, upper, keyword))
        .map(|(_, kind)| kind)
    };
    if let Some(kind) = kind {
        return Some((Heading::Section(kind), title));
    }
    let known = OTHER_HEADINGS.contains(&norm.as_str());
    let other = (upper && (numbering == Numbering::Top || framed || known))
        || (numbering == Numbering::Top && known);
    other.then_some((Heading::Other, title))
}

/// Reads plain text into a label.
pub(super) fn read(file: &str, text: &str) -> Result<Label, LabelError> {
    struct Part {
        /// `None`: under a heading that is not read.
        kind: Option<SectionKind>,
        title: Option<String>,
        text: String,
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut current = Part {
        kind: Some(SectionKind::Text),
        title: None,
        text: String::new(),
    };
    let mut recognised = false;
    for line in text.split(['\n', '\r']) {
        if let Some((heading, title)) = classify(line) {
            let kind = match heading {
                Heading::Section(kind) => {
                    recognised = true;
                    Some(kind)
                }
                Heading::Other => None,
            };
            let next = Part {
                kind,
                title: Some(title),
                text: String::new(),
            };
            parts.push(std::mem::replace(&mut current, next));
        }
        // The heading line is part of its section: a boxed warning's heading says a lot.
        current.text.push_str(line);
        current.text.push('\n');
    }
    parts.push(current);

    let sections: Vec<LabelSection> = if recognised {
        parts
            .into_iter()
            .filter_map(|p| Some(LabelSection::new(p.kind?, p.title, &p.text)))
            // The preamble only when it has words; recognised sections always.
            .filter(|s| s.kind != SectionKind::Text || s.words > 0)
            .collect()
    } else {
        vec![LabelSection::new(SectionKind::Text, None, text)]
    };
    // With a recognised heading there is at least its own words, so only a text without
    // any heading can be empty.
    if sections.iter().all(|s| s.words == 0) {
        return Err(LabelError::EmptyText {
            file: file.to_owned(),
        });
    }
    Ok(Label {
        source: file.to_owned(),
        format: LabelFormat::Text,
        title: None,
        set_id: None,
        version: None,
        effective_time: None,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(line: &str) -> Option<Heading> {
        classify(line).map(|(h, _)| h)
    }

    #[test]
    fn headings_are_recognised() {
        use SectionKind::*;
        let s = |k| Some(Heading::Section(k));
        assert_eq!(heading("BOXED WARNING"), s(BoxedWarning));
        assert_eq!(heading("Boxed Warning:"), s(BoxedWarning));
        assert_eq!(
            heading("WARNING: HEPATOTOXICITY, INCLUDING HEPATIC VENO-OCCLUSIVE DISEASE"),
            s(BoxedWarning)
        );
        assert_eq!(
            heading("5 WARNINGS AND PRECAUTIONS"),
            s(WarningsAndPrecautions)
        );
        assert_eq!(
            heading("5. Warnings and Precautions"),
            s(WarningsAndPrecautions)
        );
        assert_eq!(
            heading("-----------WARNINGS AND PRECAUTIONS-----------"),
            s(WarningsAndPrecautions)
        );
        assert_eq!(heading("WARNINGS"), s(Warnings));
        assert_eq!(heading("  Warnings  "), s(Warnings));
        assert_eq!(heading("6 ADVERSE REACTIONS"), s(AdverseReactions));
        assert_eq!(heading("6\tAdverse Reactions"), s(AdverseReactions));
        assert_eq!(heading("ADVERSE REACTIONS (6.1)"), s(AdverseReactions));
        assert_eq!(heading("6.1 Adverse Reactions"), s(AdverseReactions));
    }

    #[test]
    fn other_headings_and_prose() {
        let o = Some(Heading::Other);
        assert_eq!(heading("7 DRUG INTERACTIONS"), o);
        assert_eq!(heading("10 OVERDOSAGE"), o);
        assert_eq!(heading("7 Drug Interactions"), o);
        assert_eq!(heading("CONTRAINDICATIONS"), o);
        assert_eq!(heading("----DRUG INTERACTIONS----"), o);
        assert_eq!(heading("FULL PRESCRIBING INFORMATION: CONTENTS*"), o);
        for prose in [
            "Adverse reactions were mostly mild.",
            "Warning: keep out of reach of children",
            "Warnings about driving apply.",
            "WARNINGSAND",
            "5.1 Hepatotoxicity, Including VOD",
            "6.1 CLINICAL TRIALS EXPERIENCE",
            "10 patients had nausea",
            "2017 ANNUAL UPDATE",
            "2mg ADVERSE",
            "",
            "-----",
            "12",
            "Contraindications apply.",
        ] {
            assert_eq!(heading(prose), None, "{prose:?}");
        }
    }

    fn kinds(label: &Label) -> Vec<SectionKind> {
        label.sections.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn text_without_headings_is_one_section() {
        let l = read(
            "p.txt",
            "Nausea, vomiting and infections were reported.\n1 INDICATIONS AND USAGE\nsepsis",
        )
        .expect("reads");
        assert_eq!(kinds(&l), [SectionKind::Text]);
        assert_eq!(l.format, LabelFormat::Text);
        assert_eq!(l.sections[0].title, None);
        assert_eq!(
            l.find(&["INFECTION"]).map(|m| m.section),
            Some(SectionKind::Text)
        );
        assert_eq!(
            l.find(&["SEPSIS"]).map(|m| m.section),
            Some(SectionKind::Text)
        );
    }

    #[test]
    fn text_with_headings_is_cut() {
        let text = "BESPONSA (inotuzumab ozogamicin) for injection\n\
            WARNING: HEPATOTOXICITY, INCLUDING HEPATIC VENO-OCCLUSIVE DISEASE\n\
            Fatal VOD occurred.\n\
            \n\
            1 INDICATIONS AND USAGE\n\
            Not for sepsis.\n\
            5 WARNINGS AND PRECAUTIONS\n\
            5.1 Hepatotoxicity\n\
            5.4 Infusion Related Reactions\n\
            Monitor for QT interval prolongation.\n\
            6 ADVERSE REACTIONS\n\
            6.1 Clinical Trials Experience\n\
            Thrombocytopenia\t51\tNeutropenia\t49\n\
            Infections occurred in 48%.\n\
            7 DRUG INTERACTIONS\n\
            Rash with strong CYP3A inhibitors.\r\n";
        let l = read("b.txt", text).expect("reads");
        assert_eq!(
            kinds(&l),
            [
                SectionKind::Text,
                SectionKind::BoxedWarning,
                SectionKind::WarningsAndPrecautions,
                SectionKind::AdverseReactions
            ]
        );
        assert_eq!(
            l.sections[2].title.as_deref(),
            Some("5 WARNINGS AND PRECAUTIONS")
        );
        let at = |terms: &[&str]| l.find(terms).map(|m| m.section);
        assert_eq!(
            at(&["VENO-OCCLUSIVE DISEASE"]),
            Some(SectionKind::BoxedWarning)
        );
        assert_eq!(
            at(&["INFUSION RELATED REACTION"]),
            Some(SectionKind::WarningsAndPrecautions)
        );
        assert_eq!(at(&["INFECTION"]), Some(SectionKind::AdverseReactions));
        assert_eq!(at(&["NEUTROPENIA"]), Some(SectionKind::AdverseReactions));
        assert_eq!(at(&["INOTUZUMAB"]), Some(SectionKind::Text));
        assert_eq!(at(&["SEPSIS"]), None, "indications are not read");
        assert_eq!(
            at(&["RASH"]),
            None,
            "drug interactions end adverse reactions"
        );
    }

    #[test]
    fn older_text_label() {
        let text = "WARNINGS\nAgranulocytosis has been reported.\nPRECAUTIONS\nPhotosensitivity.\n\
            ADVERSE REACTIONS\nHeadaches, dizziness.\nOVERDOSAGE\nSeizures.";
        let l = read("old.txt", text).expect("reads");
        assert_eq!(
            kinds(&l),
            [SectionKind::Warnings, SectionKind::AdverseReactions]
        );
        let at = |t: &str| l.find(&[t]).map(|m| m.section);
        assert_eq!(at("AGRANULOCYTOSIS"), Some(SectionKind::Warnings));
        assert_eq!(at("HEADACHE"), Some(SectionKind::AdverseReactions));
        assert_eq!(at("PHOTOSENSITIVITY"), None);
        assert_eq!(at("SEIZURE"), None);
    }

    #[test]
    fn empty_text_is_refused() {
        for t in ["", "   \n\r\n", "--- * ---", "\u{FEFF}"] {
            assert!(
                matches!(read("e.txt", t), Err(LabelError::EmptyText { .. })),
                "{t:?}"
            );
        }
        // A heading alone is a word: an empty section, not an error.
        let l = read("h.txt", "ADVERSE REACTIONS").expect("reads");
        assert_eq!(l.section_words(), [(SectionKind::AdverseReactions, 2)]);
    }
}
