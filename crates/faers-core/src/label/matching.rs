//! Word-level matching of MedDRA terms against label text.
//!
//! Why words and not substrings: a substring search finds "sepsis" in "asepsis" and "ALT" in
//! "altered". Why a little stemming: MedDRA terms are singular ("Infection") while labels
//! write "infections"; and hyphens come and go ("infusion-related reaction", "infusion
//! related reactions", "venoocclusive", "veno-occlusive").
//!
//! Both sides go through the same steps, so whatever a step does, it does to both:
//! 1. Words are runs of letters and digits; every other character (space, hyphen, slash,
//!    comma, parenthesis, period, …) separates them. A soft hyphen (U+00AD) is invisible and
//!    joins. Letters are lower-cased and the Latin-1 accented letters folded to ASCII
//!    ("Sjögren" = "sjogren"). An "s" after a single apostrophe is a possessive and dropped
//!    ("Sjogren's syndrome" = "Sjogren syndrome").
//! 2. Each word is stemmed by [`stem`]: a plural ending is removed, then a final "e".
//! 3. Two words joined by a single hyphen also count as one word written together: the
//!    text's "veno-occlusive" matches a term's "venoocclusive", and a term's "veno-occlusive"
//!    matches the text's "venoocclusive". Only pairs are joined on the text side; on the term
//!    side any combination of its hyphens (up to [`MAX_JOIN_VARIANTS`] of them).
//!
//! A term matches when its words occur contiguously in a section. Matching is literal:
//! negations ("no cases of hepatotoxicity") are not recognised.

use std::fmt;

use crate::store::FastMap;

/// Up to this many hyphens in a term are tried joined and split in every combination;
/// past it, only "all split" and "all joined" (terms with that many hyphens do not occur
/// in MedDRA, and the variants double with each one).
pub(crate) const MAX_JOIN_VARIANTS: usize = 4;

/// Calls `f(word, hyphen_before)` for each word of `text`, lower-cased and folded but not
/// stemmed. `hyphen_before` says that the separator between the previous word and this one
/// was exactly one hyphen.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str, bool)) {
    let mut word = String::new();
    let mut have_previous = false;
    // The separator run since the last word: its length and its only character, if one.
    let mut separators = 0usize;
    let mut separator = ' ';
    let mut emit = |word: &mut String, separators: usize, separator: char| {
        if word.is_empty() {
            return;
        }
        let single = have_previous && separators == 1;
        let possessive = single && is_apostrophe(separator) && word == "s";
        if !possessive {
            f(word, single && is_hyphen(separator));
            have_previous = true;
        }
        word.clear();
    };
    for c in text.chars() {
        if c == '\u{AD}' {
            continue;
        }
        if push_folded(c, &mut word) {
            continue;
        }
        if !word.is_empty() {
            emit(&mut word, separators, separator);
            separators = 0;
        }
        separators += 1;
        separator = c;
    }
    emit(&mut word, separators, separator);
}

fn is_hyphen(c: char) -> bool {
    // ASCII hyphen-minus, Unicode hyphen and the non-breaking hyphen SPL files often use.
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Appends the lower-cased, folded form of a word character and says whether `c` was one.
fn push_folded(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            return true;
        }
        return false;
    }
    if let Some(folded) = fold_latin1(c) {
        out.push_str(folded);
        return true;
    }
    if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
        return true;
    }
    false
}

/// The Latin-1 letters with diacritics (and ligatures) as plain ASCII, as MedDRA spells them.
fn fold_latin1(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' => "c",
        'È'..='Ë' | 'è'..='ë' => "e",
        'Ì'..='Ï' | 'ì'..='ï' => "i",
        'Ð' | 'ð' => "d",
        'Ñ' | 'ñ' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => "o",
        'Ù'..='Ü' | 'ù'..='ü' => "u",
        'Ý' | 'ý' | 'ÿ' => "y",
        'Þ' | 'þ' => "th",
        'ß' => "ss",
        'Œ' | 'œ' => "oe",
        _ => return None,
    })
}

/// The stem of a lower-case word: singular and plural of a word map to the same stem.
///
/// Two steps, only for words of ASCII letters (digits, Greek letters etc. are kept as
/// they are):
/// 1. plural: "-ies" → "-y" (words longer than 4 letters: "therapies" → "therapy"), else a
///    final "s" is dropped from words of 4 or more letters, unless the word ends in "ss",
///    "us" or "is" ("abscess", "virus", "status", "sepsis", "pancreatitis" stay);
/// 2. a final "e" is dropped from words of 4 or more letters.
///
/// Step 2 is what makes the two English plurals meet: "cause"+"s" and "virus"+"es" both
/// lose "s" then "e" ("causes" → "caus" = "cause"; "viruses" → "virus"; "headaches" →
/// "headach" = "headache"; "masses" → "mass"). Stems need not be words ("herpes" →
/// "herp", "diabetes" → "diabet"): both sides get the same one. Known misses: a singular
/// that ends in a bare "s" after another consonant ("lens" → "len" but "lenses" → "lens"),
/// and "-ie" words ("calorie" → "calori", "calories" → "calory").
pub(crate) fn stem(word: &str) -> String {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let mut w = word;
    if w.len() >= 4 && w.ends_with('s') {
        if w.len() > 4 && w.ends_with("ies") {
            let mut out = w[..w.len() - 3].to_owned();
            out.push('y');
            return out;
        }
        if !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")) {
            w = &w[..w.len() - 1];
        }
    }
    if w.len() >= 4 && w.ends_with('e') {
        w = &w[..w.len() - 1];
    }
    w.to_owned()
}

/// A term, ready to look for: its stem sequences, one per way of joining its hyphens.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    variants: Vec<Vec<String>>,
}

impl Pattern {
    /// Tokenises and stems a term. A term without any word gets no variant and never matches.
    pub(crate) fn new(term: &str) -> Pattern {
        let mut words: Vec<(String, bool)> = Vec::new();
        for_each_word(term, |w, hyphen| words.push((w.to_owned(), hyphen)));
        if words.is_empty() {
            return Pattern {
                variants: Vec::new(),
            };
        }
        // Indices of the words that follow a hyphen: each may be joined to the one before.
        let joints: Vec<usize> = (1..words.len()).filter(|&i| words[i].1).collect();
        let masks: Vec<u32> = if joints.len() <= MAX_JOIN_VARIANTS {
            (0..1u32 << joints.len()).collect()
        } else {
            vec![0, u32::MAX]
        };
        let mut variants = Vec::with_capacity(masks.len());
        for mask in masks {
            let mut raw: Vec<String> = Vec::with_capacity(words.len());
            for (i, (w, _)) in words.iter().enumerate() {
                // Bit k of the mask joins word joints[k] to the word before it.
                let joined = joints
                    .iter()
                    .position(|&j| j == i)
                    .is_some_and(|k| (mask >> k.min(31)) & 1 == 1);
                match raw.last_mut() {
                    Some(last) if joined => last.push_str(w),
                    _ => raw.push(w.clone()),
                }
            }
            variants.push(raw.iter().map(|w| stem(w)).collect());
        }
        Pattern { variants }
    }
}

/// One section's words as stem ids, with the positions of each stem: built once, then asked
/// about many terms.
#[derive(Clone, Default)]
pub(crate) struct TokenIndex {
    /// Stem → id.
    vocab: FastMap<Box<str>, u32>,
    /// The section's words, in order.
    tokens: Vec<u32>,
    /// For each id, the positions where it occurs in `tokens`.
    postings: Vec<Vec<u32>>,
    /// Position `p` → id of the stem of words `p` and `p + 1` written together, where the
    /// text joined them with a hyphen.
    joined_at: FastMap<u32, u32>,
    /// For each joined id, the positions where it starts.
    joined_postings: FastMap<u32, Vec<u32>>,
}

impl fmt::Debug for TokenIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenIndex")
            .field("words", &self.tokens.len())
            .field("distinct", &self.vocab.len())
            .finish()
    }
}

impl TokenIndex {
    /// Indexes a text.
    pub(crate) fn new(text: &str) -> TokenIndex {
        let mut index = TokenIndex::default();
        let mut previous = String::new();
        let mut joined = String::new();
        for_each_word(text, |word, hyphen_before| {
            // Positions are u32: a section of four billion words is not a label.
            let position = index.tokens.len() as u32;
            let id = index.intern(stem(word));
            index.tokens.push(id);
            index.postings[id as usize].push(position);
            if hyphen_before && position > 0 {
                joined.clear();
                joined.push_str(&previous);
                joined.push_str(word);
                let id = index.intern(stem(&joined));
                index.joined_at.insert(position - 1, id);
                index
                    .joined_postings
                    .entry(id)
                    .or_default()
                    .push(position - 1);
            }
            previous.clear();
            previous.push_str(word);
        });
        index
    }

    fn intern(&mut self, stem: String) -> u32 {
        if let Some(&id) = self.vocab.get(stem.as_str()) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.postings.push(Vec::new());
        self.vocab.insert(stem.into_boxed_str(), id);
        id
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether any variant of the pattern occurs.
    pub(crate) fn contains(&self, pattern: &Pattern) -> bool {
        pattern.variants.iter().any(|v| self.contains_variant(v))
    }

    /// Whether the stems occur in a row, each as one word or as two hyphen-joined words.
    ///
    /// All candidate starts advance together: after each stem, the set of positions where
    /// the next may begin is kept (sorted, without repeats), so the work is bounded by the
    /// term's length times the section's, whatever the branching hyphens cause.
    fn contains_variant(&self, stems: &[String]) -> bool {
        let Some(ids) = stems
            .iter()
            .map(|s| self.vocab.get(s.as_str()).copied())
            .collect::<Option<Vec<u32>>>()
        else {
            return false;
        };
        let Some(&first) = ids.first() else {
            return false;
        };
        let joined_starts = self.joined_postings.get(&first).into_iter().flatten();
        let mut here: Vec<usize> = self.postings[first as usize]
            .iter()
            .chain(joined_starts)
            .map(|&p| p as usize)
            .collect();
        let mut next = Vec::new();
        for &id in &ids {
            next.clear();
            for &p in &here {
                if self.tokens.get(p) == Some(&id) {
                    next.push(p + 1);
                }
                let joined = u32::try_from(p)
                    .ok()
                    .and_then(|p| self.joined_at.get(&p).copied());
                if joined == Some(id) {
                    next.push(p + 2);
                }
            }
            if next.is_empty() {
                return false;
            }
            next.sort_unstable();
            next.dedup();
            std::mem::swap(&mut here, &mut next);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w, _| v.push(w.to_owned()));
        v
    }

    fn found(text: &str, term: &str) -> bool {
        TokenIndex::new(text).contains(&Pattern::new(term))
    }

    #[test]
    fn tokenizer_splits_on_punctuation_and_folds() {
        assert_eq!(
            words("Veno-Occlusive Disease (VOD), 10/mm3; Sjögren’s  ÆRA."),
            [
                "veno",
                "occlusive",
                "disease",
                "vod",
                "10",
                "mm3",
                "sjogren",
                "aera"
            ]
        );
        assert_eq!(words("hepato\u{AD}toxicity"), ["hepatotoxicity"]);
        assert_eq!(words("  \t--  "), Vec::<String>::new());
        assert_eq!(words("TNF-α"), ["tnf", "α"]);
    }

    #[test]
    fn tokenizer_marks_single_hyphens_only() {
        let mut v = Vec::new();
        for_each_word("a-b c - d e--f g\u{2011}h", |w, h| {
            v.push((w.to_owned(), h))
        });
        let flags: Vec<bool> = v.iter().map(|(_, h)| *h).collect();
        assert_eq!(
            flags,
            [false, true, false, false, false, false, false, true]
        );
    }

    #[test]
    fn plural_pairs_share_a_stem() {
        for (one, many) in [
            ("infection", "infections"),
            ("neutropenia", "neutropenias"),
            ("therapy", "therapies"),
            ("abscess", "abscesses"),
            ("virus", "viruses"),
            ("mass", "masses"),
            ("reaction", "reactions"),
            ("headache", "headaches"),
            ("rash", "rashes"),
            ("reflex", "reflexes"),
            ("disease", "diseases"),
            ("syndrome", "syndromes"),
            ("allergy", "allergies"),
            ("status", "statuses"),
            ("sinus", "sinuses"),
            ("use", "uses"),
            ("eye", "eyes"),
            ("alt", "alts"),
            ("vertebra", "vertebrae"),
        ] {
            assert_eq!(stem(one), stem(many), "{one} / {many}");
        }
    }

    #[test]
    fn words_ending_in_s_keep_their_identity() {
        for w in [
            "sepsis",
            "virus",
            "pancreatitis",
            "status",
            "mass",
            "abscess",
        ] {
            assert_eq!(stem(w), w);
        }
        // Not English words, but the same on both sides and distinct from neighbours.
        assert_eq!(stem("diabetes"), "diabet");
        assert_eq!(stem("herpes"), "herp");
        assert_ne!(stem("sepsis"), stem("asepsis"));
        assert_ne!(stem("herpes"), stem("her"));
        assert_eq!(stem("cd22"), "cd22");
        assert_eq!(stem("β"), "β");
    }

    #[test]
    fn whole_words_only() {
        assert!(!found("asepsis was maintained", "SEPSIS"));
        assert!(found("fatal sepsis", "SEPSIS"));
        assert!(!found("altered mental status", "ALT"));
        assert!(found("ALT increased", "ALT INCREASED"));
        assert!(!found("ALT was increased", "ALT INCREASED"));
    }

    #[test]
    fn hyphens_spaces_and_plurals() {
        let text = "Infusion-related reactions occurred; hepatic veno-occlusive disease (VOD).";
        assert!(found(text, "INFUSION RELATED REACTION"));
        assert!(found(text, "INFUSION-RELATED REACTION"));
        assert!(found(text, "VENO-OCCLUSIVE DISEASE"));
        assert!(found(text, "VENOOCCLUSIVE DISEASE"));
        assert!(found("venoocclusive disease", "VENO-OCCLUSIVE DISEASE"));
        assert!(found("veno occlusive disease", "VENO-OCCLUSIVE DISEASE"));
        assert!(!found("veno, not occlusive", "VENO-OCCLUSIVE"));
        assert!(found("Sjogren syndrome", "SJOGREN'S SYNDROME"));
        assert!(found("Sjögren’s syndrome", "SJOGREN'S SYNDROME"));
    }

    #[test]
    fn empty_and_odd_terms() {
        assert!(!found("anything at all", ""));
        assert!(!found("anything at all", " -- / "));
        assert!(!found("", "NAUSEA"));
        // Many hyphens: only all-split and all-joined are tried, and nothing breaks.
        assert!(found("a-b-c-d-e-f-g", "A-B-C-D-E-F-G"));
        assert!(found("abcdefg", "A-B-C-D-E-F-G"));
    }

    #[test]
    fn branching_stays_cheap() {
        // Every pair of neighbours is hyphen-joined, so each "aa" can be read at many
        // places; the term fails only at its last word.
        let text = "c ".to_owned() + &"a-".repeat(10_000);
        let index = TokenIndex::new(&text);
        let start = std::time::Instant::now();
        assert!(!index.contains(&Pattern::new(&("aa a ".repeat(200) + "c"))));
        assert!(index.contains(&Pattern::new(&"aa a ".repeat(200))));
        assert!(index.contains(&Pattern::new("c a-a aa")));
        assert!(start.elapsed().as_secs() < 10);
    }

    proptest! {
        #[test]
        fn any_run_of_words_is_found(
            text in "[a-zA-Z ,.()-]{0,200}",
            from in 0usize..40,
            len in 1usize..6,
        ) {
            let ws = words(&text);
            if from < ws.len() {
                let end = (from + len).min(ws.len());
                let term = ws[from..end].join(" ").to_uppercase();
                prop_assert!(found(&text, &term), "{term:?} in {text:?}");
            }
        }

        #[test]
        fn arbitrary_text_and_terms_do_not_panic(text in "\\PC{0,300}", term in "\\PC{0,40}") {
            let _ = found(&text, &term);
        }
    }
}
