//! FDA's Structured Product Labeling (HL7 v3 SPL) XML: the document's metadata and the text
//! of the sections that state risks.
//!
//! A section is told by the LOINC code of its own `<code>` child, not by its title, which
//! varies ("5 WARNINGS AND PRECAUTIONS", "WARNINGS", …). A recognised section's text is all
//! the text inside it, nested subsections of any code included (they are mostly "SPL
//! UNCLASSIFIED" 42229-5), except what lies in a recognised section nested inside it: that
//! belongs to the innermost one. Every element boundary is a word boundary, so table cells
//! (`<td>a</td><td>b</td>`) never run together; only the inline elements `<content>`,
//! `<sup>`, `<sub>` and `<linkHtml>` keep their text glued to what surrounds it, as they are
//! displayed. Element and attribute names are matched by local name, whatever the prefix.
//!
//! The tree is walked with an explicit stack rather than by recursion, so a hostile, deeply
//! nested file cannot overflow the stack.

use roxmltree::{Document, Node, ParsingOptions};

use super::{Label, LabelError, LabelFormat, LabelSection, SectionKind};

/// The section kind of a LOINC section code.
fn kind_of_code(code: &str) -> Option<SectionKind> {
    match code.trim() {
        "34066-1" => Some(SectionKind::BoxedWarning),
        "43685-7" => Some(SectionKind::WarningsAndPrecautions),
        "34071-1" => Some(SectionKind::Warnings),
        "34084-4" => Some(SectionKind::AdverseReactions),
        _ => None,
    }
}

/// Elements displayed inline: their text is not separated from its neighbours.
fn is_inline(name: &str) -> bool {
    matches!(name, "content" | "sup" | "sub" | "linkHtml")
}

/// Reads an SPL document (already decoded to text).
pub(super) fn read(file: &str, xml: &str) -> Result<Label, LabelError> {
    // Lenient about what precedes the XML declaration; DTDs are allowed (roxmltree guards
    // against entity expansion attacks) since some exporters write one.
    let xml = xml.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| {
        let pos = e.pos();
        LabelError::MalformedXml {
            file: file.to_owned(),
            reason: e.to_string(),
            line: pos.row,
            column: pos.col,
        }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "document" {
        return Err(LabelError::NotLabel {
            file: file.to_owned(),
            reason: format!(
                "its root element is <{}>, not an SPL <document>",
                root.tag_name().name()
            ),
        });
    }

    let child = |name: &str| root.children().find(|n| n.has_tag_name(name));
    let attribute = |element: &str, attr: &str| {
        child(element)
            .and_then(|n| n.attribute(attr))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let title = child("title").and_then(title_text);

    let sections = read_sections(root);
    if sections.is_empty() {
        return Err(LabelError::NoSections {
            file: file.to_owned(),
        });
    }
    Ok(Label {
        source: file.to_owned(),
        format: LabelFormat::Spl,
        title,
        set_id: attribute("setId", "root"),
        version: attribute("versionNumber", "value"),
        effective_time: attribute("effectiveTime", "value"),
        sections,
    })
}

/// One step of a document-order walk.
enum Event<'a, 'input> {
    Open(Node<'a, 'input>),
    Close(Node<'a, 'input>),
    Text(&'a str),
}

/// Walks the elements and text under `node` (itself included) in document order.
/// Comments and processing instructions are skipped.
fn walk<'a, 'input>(node: Node<'a, 'input>, mut f: impl FnMut(Event<'a, 'input>)) {
    let mut stack = vec![(node, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            f(Event::Close(node));
        } else if node.is_text() {
            f(Event::Text(node.text().unwrap_or_default()));
        } else if node.is_element() {
            f(Event::Open(node));
            stack.push((node, true));
            stack.extend(node.children().rev().map(|c| (c, false)));
        }
    }
}

/// An element's text with element boundaries as spaces and whitespace collapsed; `None`
/// when blank.
fn title_text(node: Node<'_, '_>) -> Option<String> {
    let mut raw = String::new();
    walk(node, |event| match event {
        Event::Text(t) => raw.push_str(t),
        Event::Open(n) | Event::Close(n) => {
            if !is_inline(n.tag_name().name()) {
                raw.push(' ');
            }
        }
    });
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// The recognised sections under `root`, in the order they open.
fn read_sections(root: Node<'_, '_>) -> Vec<LabelSection> {
    struct Open {
        kind: SectionKind,
        title: Option<String>,
        text: String,
    }
    let mut found: Vec<Open> = Vec::new();
    // For each enclosing <section>, the recognised section its text goes to (innermost
    // recognised one), if any.
    let mut owners: Vec<Option<usize>> = Vec::new();
    walk(root, |event| {
        let owner = owners.last().copied().flatten();
        match event {
            Event::Text(t) => {
                if let Some(i) = owner {
                    found[i].text.push_str(t);
                }
            }
            Event::Open(node) => {
                let name = node.tag_name().name();
                let mut owner = owner;
                if name == "section" {
                    let kind = node
                        .children()
                        .find(|c| c.has_tag_name("code"))
                        .and_then(|c| c.attribute("code"))
                        .and_then(kind_of_code);
                    if let Some(kind) = kind {
                        let title = node
                            .children()
                            .find(|c| c.has_tag_name("title"))
                            .and_then(title_text);
                        found.push(Open {
                            kind,
                            title,
                            text: String::new(),
                        });
                        owner = Some(found.len() - 1);
                    }
                    owners.push(owner);
                }
                if let (Some(i), false) = (owner, is_inline(name)) {
                    found[i].text.push(' ');
                }
            }
            Event::Close(node) => {
                let name = node.tag_name().name();
                if let (Some(i), false) = (owner, is_inline(name)) {
                    found[i].text.push(' ');
                }
                if name == "section" {
                    owners.pop();
                }
            }
        }
    });
    found
        .into_iter()
        .map(|s| LabelSection::new(s.kind, s.title, &s.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::BESPONSA;
    use super::*;

    fn read_ok(xml: &str) -> Label {
        read("t.xml", xml).expect("reads")
    }

    #[test]
    fn older_label_with_warnings_section() {
        let xml = r#"<document xmlns="urn:hl7-org:v3">
          <setId root="s-1"/><versionNumber value="12"/><effectiveTime value="20091201"/>
          <component><structuredBody>
            <component><section><code code="34071-1" displayName="WARNINGS SECTION"/>
              <title>WARNINGS</title>
              <text><paragraph>Stevens-Johnson syndrome and toxic epidermal necrolysis.</paragraph></text>
            </section></component>
            <component><section><code code="42232-9" displayName="PRECAUTIONS SECTION"/>
              <title>PRECAUTIONS</title><text><paragraph>Photosensitivity.</paragraph></text>
            </section></component>
            <component><section><code code="34084-4"/><title>ADVERSE REACTIONS</title>
              <text><paragraph>Nausea, vomiting.</paragraph></text>
            </section></component>
          </structuredBody></component></document>"#;
        let l = read_ok(xml);
        assert_eq!(l.set_id.as_deref(), Some("s-1"));
        assert_eq!(l.version.as_deref(), Some("12"));
        assert_eq!(l.title, None);
        assert_eq!(
            l.find(&["STEVENS-JOHNSON SYNDROME"]).map(|m| m.section),
            Some(SectionKind::Warnings)
        );
        assert_eq!(
            l.find(&["PHOTOSENSITIVITY REACTION", "PHOTOSENSITIVITY"]),
            None
        );
        assert_eq!(
            l.find(&["VOMITING"]).map(|m| m.section),
            Some(SectionKind::AdverseReactions)
        );
    }

    #[test]
    fn nested_recognised_section_takes_its_own_text() {
        // An adverse reactions section nested inside a warnings and precautions one: its
        // text is attributed to adverse reactions only, and the W&P text around it stays.
        let xml = r#"<document xmlns="urn:hl7-org:v3"><component><structuredBody>
            <component><section><code code="43685-7"/><title>W AND P</title>
              <text><paragraph>Before pancreatitis.</paragraph></text>
              <component><section><code code="34084-4"/><title>Nested</title>
                <text><paragraph>Alopecia only here.</paragraph></text>
                <component><section><code code="42229-5"/><text>Deeper dysgeusia.</text></section></component>
              </section></component>
              <component><section><code code="42229-5"/><text>After arthralgia.</text></section></component>
            </section></component>
          </structuredBody></component></document>"#;
        let l = read_ok(xml);
        assert_eq!(l.sections.len(), 2);
        let (wp, ar) = (&l.sections[0], &l.sections[1]);
        assert_eq!(wp.kind, SectionKind::WarningsAndPrecautions);
        assert_eq!(ar.kind, SectionKind::AdverseReactions);
        assert_eq!(ar.title.as_deref(), Some("Nested"));
        assert!(wp.mentions("pancreatitis") && wp.mentions("arthralgia"));
        assert!(!wp.mentions("alopecia") && !wp.mentions("dysgeusia"));
        assert!(ar.mentions("alopecia") && ar.mentions("dysgeusia"));
        assert!(!ar.mentions("pancreatitis") && !ar.mentions("arthralgia"));
    }

    #[test]
    fn prefixes_entities_and_inline_elements() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE document [<!ENTITY co \"colitis\">]>\n\
            <v3:document xmlns:v3=\"urn:hl7-org:v3\"><v3:effectiveTime value=\"20200101\"/>\
            <v3:component><v3:structuredBody><v3:component><v3:section>\
            <v3:code code=\"34084-4\"/><v3:text><v3:paragraph>Hepato<v3:content>toxicity</v3:content>\
            &amp; &co;; platelets &lt;50&#160;&#x00D7;&#160;10<v3:sup>9</v3:sup>/L<v3:br/>Neutro\
            <v3:sub>penia</v3:sub> line<v3:br/>break</v3:paragraph></v3:text></v3:section>\
            </v3:component></v3:structuredBody></v3:component></v3:document>";
        let l = read_ok(xml);
        assert_eq!(l.effective_time.as_deref(), Some("20200101"));
        let s = &l.sections[0];
        assert!(s.mentions("HEPATOTOXICITY"));
        assert!(s.mentions("COLITIS"));
        assert!(s.mentions("50 X 109 L") || s.mentions("50 109 L"));
        assert!(s.mentions("NEUTROPENIA"));
        assert!(s.mentions("LINE") && s.mentions("BREAK") && !s.mentions("LINEBREAK"));
    }

    #[test]
    fn section_effective_time_is_not_the_documents() {
        let xml = r#"<document><component><structuredBody><component><section>
            <code code="34066-1"/><effectiveTime value="19990101"/><text>x</text>
            </section></component></structuredBody></component></document>"#;
        assert_eq!(read_ok(xml).effective_time, None);
    }

    #[test]
    fn fixture_boxed_warning_title_and_text() {
        let l = read_ok(BESPONSA);
        let boxed = &l.sections[0];
        assert!(boxed
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("WARNING: HEPATOTOXICITY")));
        assert!(boxed.mentions("INCREASED POST-HSCT NON-RELAPSE MORTALITY"));
        assert!(boxed.mentions("NON RELAPSE MORTALITY"));
        // The link's "5.1" and the surrounding "(" ")" are words apart.
        assert!(boxed.mentions("WARNINGS AND PRECAUTIONS 5 1"));
    }
}
