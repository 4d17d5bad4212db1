//! Loading a citation style: a built-in name or a `.csl` file of the book.

use std::fmt;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use hayagriva::archive::{ArchivedStyle, LOCALES};
use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
use hayagriva::citationberg::{
    CitationFormat, IndependentStyle, Locale, LocaleCode, Style, StyleCategory, StyleClass,
    TermForm,
};

/// Decodes, on another core, the locale files of styles in `en-US` (most of
/// them) while the style itself is decoded: each takes ~3 ms.
fn prefetch_english_locale() {
    // Only a head start: if no thread can be started, the files are decoded when needed.
    let _ = std::thread::Builder::new().spawn(|| locale_files_for(LocaleCode::en_us()));
}

/// The archived CSL locales that hayagriva can consult for terms in `locale`,
/// decoded once per process.
///
/// hayagriva looks a term up in the locale files by the requested locale (the
/// book's, else the style's), that locale's fallback (`de` → `de-DE`) and `en-US`,
/// and nowhere else. Decoding all ~60 archived locales took ~590 M instructions
/// (~150 ms) per run; these few take ~2 %, and give the same output.
fn locale_files_for(locale: LocaleCode) -> &'static [Locale] {
    static DECODED: Mutex<Vec<(Vec<usize>, &'static [Locale])>> = Mutex::new(Vec::new());
    let wanted = [
        Some(locale.clone()),
        locale.fallback(),
        Some(LocaleCode::en_us()),
    ];
    // Archive order is kept: hayagriva takes the first file with a matching code.
    let indices: Vec<usize> = archived_locale_codes()
        .iter()
        .enumerate()
        .filter(|(_, code)| code.is_some() && wanted.contains(code))
        .map(|(i, _)| i)
        .collect();
    let mut decoded = DECODED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, files)) = decoded.iter().find(|(key, _)| *key == indices) {
        return files;
    }
    let files: Vec<Locale> = indices
        .iter()
        .map(|&i| ciborium::from_reader(LOCALES[i]).expect("hayagriva's archived locale decodes"))
        .collect();
    // Leaked on purpose: one small set per style locale, for the whole process.
    let files: &'static [Locale] = Vec::leak(files);
    decoded.push((indices, files));
    files
}

/// The language code of each archived locale, read without decoding its terms.
fn archived_locale_codes() -> &'static [Option<LocaleCode>] {
    static CODES: OnceLock<Vec<Option<LocaleCode>>> = OnceLock::new();
    CODES.get_or_init(|| {
        LOCALES
            .iter()
            .map(
                |bytes| match ciborium::from_reader::<LeadingLang, _>(*bytes) {
                    Ok(LeadingLang(Some(code))) => Some(LocaleCode(code)),
                    // Not first in the map: skim the whole file for it.
                    _ => ciborium::from_reader::<AnyLang, _>(*bytes)
                        .ok()
                        .and_then(|file| file.lang),
                },
            )
            .collect()
    })
}

/// A locale file's `@xml:lang` when it is the map's first entry, as hayagriva's
/// archive writes it; the rest of the file is not read.
struct LeadingLang(Option<String>);

impl<'de> serde::Deserialize<'de> for LeadingLang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FirstEntry;
        impl<'de> serde::de::Visitor<'de> for FirstEntry {
            type Value = LeadingLang;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CSL locale map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LeadingLang, A::Error> {
                Ok(LeadingLang(match map.next_key::<String>()? {
                    Some(key) if key == "@xml:lang" => Some(map.next_value()?),
                    _ => None,
                }))
            }
        }
        deserializer.deserialize_map(FirstEntry)
    }
}

/// A locale file's `@xml:lang` wherever it is, skipping everything else.
#[derive(serde::Deserialize)]
struct AnyLang {
    #[serde(rename = "@xml:lang")]
    lang: Option<LocaleCode>,
}

/// A citation style, checked when the book is loaded. A built-in style is decoded
/// only when something must be rendered: a run whose citations all come from the
/// render cache never needs it.
#[derive(Debug, Clone)]
pub struct CitationStyle {
    /// A hash of where the style came from (a built-in name, or the file's text),
    /// part of the render cache's key.
    pub(crate) identity: u128,
    /// The built-in style and its name, when the style is one.
    builtin: Option<(ArchivedStyle, String)>,
    parsed: OnceLock<ParsedStyle>,
    et_al: OnceLock<String>,
    /// The locale asked for in place of the style's `default-locale` (see
    /// [`CitationStyle::with_locale`]).
    requested_locale: Option<LocaleCode>,
}

/// A decoded CSL style, ready for hayagriva.
#[derive(Debug, Clone)]
pub(crate) struct ParsedStyle {
    pub(crate) csl: IndependentStyle,
    /// For narrative and author-only citations in numeric styles: hayagriva
    /// takes their names from the bibliography, which may list all 21 authors.
    pub(crate) csl_short_names: IndependentStyle,
    pub(crate) numeric: bool,
    /// Whether the style tells works apart by year suffix (2016a, 2016b).
    pub(crate) year_suffixes: bool,
}

/// Why a style could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleError {
    /// What went wrong.
    pub message: String,
    /// How to fix it, e.g. the nearest known style name.
    pub hint: Option<String>,
}

impl fmt::Display for StyleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for StyleError {}

impl CitationStyle {
    /// Short names of common styles, accepted by [`CitationStyle::load`] besides
    /// every name of hayagriva's archive ([`ArchivedStyle::by_name`]) and `.csl` paths.
    pub const BUILTIN_NAMES: &'static [&'static str] = &[
        "apa",
        "ieee",
        "chicago-author-date",
        "acm",
        "nature",
        "harvard",
    ];

    /// Loads a built-in style by name, or a `.csl` file given relative to `book_root`.
    pub fn load(spec: &str, book_root: &Path) -> Result<Self, StyleError> {
        let spec = spec.trim();
        if spec.ends_with(".csl") || spec.contains('/') || spec.contains('\\') {
            return Self::load_file(&book_root.join(spec));
        }
        let archived = builtin(spec)
            .or_else(|| ArchivedStyle::by_name(spec))
            .ok_or_else(|| unknown_name(spec))?;
        // Refused by name, from a table a test keeps true: deciding by decoding the
        // style would cost every run the decoding, even when the cache has it all.
        if let Some(reason) = refusal(archived) {
            return Err(StyleError {
                message: format!("citation style `{spec}` is not supported: {reason}"),
                hint: Some(
                    "choose an author-date or numeric style, e.g. apa or ieee; `mdbook-frameworks list styles` shows every built-in style and whether it works".into(),
                ),
            });
        }
        Ok(CitationStyle {
            identity: identity("built-in", spec),
            builtin: Some((archived, spec.to_owned())),
            parsed: OnceLock::new(),
            et_al: OnceLock::new(),
            requested_locale: None,
        })
    }

    /// Whether citations are numbers (`[1]`) rather than author and year.
    pub fn is_numeric(&self) -> bool {
        self.parsed().numeric
    }

    /// Renders in the CSL locale `tag` (a normalised BCP-47 tag such as `de` or
    /// `pt-BR`) in place of the style's `default-locale`: its terms ("S." for
    /// pages, "u. a." for et al.), dates and punctuation, where the style takes
    /// them from the locale. `None` keeps the style's own. A bare language that is
    /// the style's own (`en` for an `en-GB` style) keeps the style's variant.
    pub fn with_locale(mut self, tag: Option<&str>) -> Self {
        self.requested_locale = tag.map(|t| LocaleCode(t.to_owned()));
        self.et_al = OnceLock::new();
        self
    }

    /// What the render cache must know of the locale: the one asked for (the
    /// style's own follows from the style's identity).
    pub(crate) fn locale_key(&self) -> Option<&str> {
        self.requested_locale.as_ref().map(|l| l.0.as_str())
    }

    /// The locale hayagriva is asked for: `None` for the style's own.
    pub(crate) fn locale(&self) -> Option<LocaleCode> {
        let requested = self.requested_locale.as_ref()?;
        let own = (self.parsed().csl.default_locale.clone()).unwrap_or_else(LocaleCode::en_us);
        let bare = !requested.0.contains('-');
        let same_language = own.0.split('-').next() == Some(requested.0.as_str());
        (!(bare && same_language)).then(|| requested.clone())
    }

    /// The locale in which terms are looked up: the requested one, else the style's.
    fn effective_locale(&self) -> LocaleCode {
        self.locale()
            .or_else(|| self.parsed().csl.default_locale.clone())
            .unwrap_or_else(LocaleCode::en_us)
    }

    /// The archived locale files hayagriva needs for this style, decoded once per
    /// process and locale.
    pub(crate) fn locale_files(&self) -> &'static [Locale] {
        locale_files_for(self.effective_locale())
    }

    /// The style's term for "et al." in its locale (`u. a.` in German), for
    /// name lists that BibTeX ends with `and others`. Looked up as hayagriva looks
    /// terms up: the style's own `<locale>` for the language, its base language or
    /// any language, then the locale files for the language, its fallback and `en-US`.
    pub(crate) fn et_al(&self) -> &str {
        self.et_al.get_or_init(|| {
            let csl = &self.parsed().csl;
            let term = |locale: &Locale| {
                locale
                    .term(Term::Other(OtherTerm::EtAl), TermForm::Long)
                    .and_then(|t| t.single())
                    .map(str::to_owned)
            };
            let wanted = self.effective_locale();
            let base = wanted.0.split('-').next().map(|b| LocaleCode(b.to_owned()));
            let fallback = wanted.fallback();
            let in_style = [Some(wanted.clone()), base, None];
            let in_files = [Some(wanted), fallback, Some(LocaleCode::en_us())];
            let files = self.locale_files();
            in_style
                .iter()
                .flat_map(|lang| csl.locale.iter().filter(move |l| &l.lang == lang))
                .chain(
                    in_files
                        .iter()
                        .flat_map(|lang| files.iter().filter(move |l| &l.lang == lang)),
                )
                .find_map(term)
                // As hayagriva prints the term: "u. a.", not "u.\u{a0}a.".
                .map(|term| term.replace('\u{a0}', " "))
                .unwrap_or_else(|| "et al.".to_owned())
        })
    }

    /// The decoded style, decoding a built-in one on first use.
    pub(crate) fn parsed(&self) -> &ParsedStyle {
        self.parsed.get_or_init(|| {
            let (archived, name) = self
                .builtin
                .as_ref()
                .expect("a style loaded from a file is decoded when loaded");
            prefetch_english_locale();
            ParsedStyle::new(archived.get(), name)
                .expect("every built-in style is an independent, non-note style")
        })
    }

    fn load_file(path: &Path) -> Result<Self, StyleError> {
        prefetch_english_locale();
        let xml = std::fs::read_to_string(path).map_err(|e| StyleError {
            message: format!("cannot read citation style {}: {e}", path.display()),
            hint: Some(format!(
                "give a path relative to the book root, or one of: {}",
                Self::BUILTIN_NAMES.join(", ")
            )),
        })?;
        let style = Style::from_xml(&xml).map_err(|e| StyleError {
            message: format!("{} is not a valid CSL style: {e}", path.display()),
            hint: None,
        })?;
        let parsed = ParsedStyle::new(style, &path.display().to_string())?;
        Ok(CitationStyle {
            identity: identity("file", &xml),
            builtin: None,
            parsed: OnceLock::from(parsed),
            et_al: OnceLock::new(),
            requested_locale: None,
        })
    }
}

impl ParsedStyle {
    fn new(style: Style, name: &str) -> Result<Self, StyleError> {
        let csl = match style {
            Style::Independent(s) => s,
            // A dependent style only renames a parent; use the parent if we ship it.
            Style::Dependent(d) => {
                let parent = ArchivedStyle::by_id(&d.parent_link.href)
                    .map(ArchivedStyle::get)
                    .ok_or_else(|| StyleError {
                        message: format!(
                            "citation style {name} depends on {}, which is not built in",
                            d.parent_link.href
                        ),
                        hint: Some("use the parent style's .csl file instead".into()),
                    })?;
                match parent {
                    Style::Independent(s) => s,
                    Style::Dependent(_) => {
                        return Err(StyleError {
                            message: format!("citation style {name} has a dependent parent"),
                            hint: None,
                        });
                    }
                }
            }
        };
        if csl.settings.class == StyleClass::Note {
            return Err(StyleError {
                message: format!("citation style {name} is a note style"),
                hint: Some("use an author-date or numeric style, e.g. apa or ieee".into()),
            });
        }
        // Disambiguate by year suffix only (2016a, 2016b): hayagriva carries
        // added names over into the reference list ("Abadi, Agarwal, et al.")
        // where the full author list belongs.
        let mut csl = csl;
        csl.citation.disambiguate_add_names = false;
        csl.citation.disambiguate_add_givenname = false;
        // hayagriva 0.10.1 gives year suffixes to at most three ambiguous groups;
        // a book has more (one per author and year), so the engine assigns the
        // suffixes itself: see `year_suffix.rs`.
        let year_suffixes = super::year_suffix::take_over(&mut csl);
        let numeric = csl.info.category.iter().any(|c| {
            matches!(
                c,
                StyleCategory::CitationFormat {
                    format: CitationFormat::Numeric
                }
            )
        });
        let mut csl_short_names = csl.clone();
        if let Some(bibliography) = &mut csl_short_names.bibliography {
            bibliography.name_options.et_al_min = Some(3);
            bibliography.name_options.et_al_use_first = Some(1);
        }
        Ok(ParsedStyle {
            csl,
            csl_short_names,
            numeric,
            year_suffixes,
        })
    }
}

fn identity(kind: &str, source: &str) -> u128 {
    let mut key = super::cache::KeyHasher::plain();
    key.add((kind, source));
    key.finish()
}

fn builtin(name: &str) -> Option<ArchivedStyle> {
    Some(match name {
        "apa" => ArchivedStyle::AmericanPsychologicalAssociation,
        "ieee" => ArchivedStyle::InstituteOfElectricalAndElectronicsEngineers,
        "chicago-author-date" => ArchivedStyle::ChicagoAuthorDate,
        "acm" => ArchivedStyle::AssociationForComputingMachinery,
        "nature" => ArchivedStyle::Nature,
        "harvard" => ArchivedStyle::HarvardCiteThemRight,
        _ => return None,
    })
}

/// Archived styles that do not render right here, by their first name in
/// hayagriva, with why. `every_archived_style_renders_or_is_refused` renders the
/// built-in works in every archived style and checks this table against what it
/// finds.
const REFUSED: &[(&str, &str)] = &[
    ("alphanumeric", NO_BIBLIOGRAPHY),
    ("american-medical-association", NO_AUTHOR),
    ("chicago-notes", NOTE),
    ("chicago-shortened-notes", NOTE),
    ("gb-7714-2015-note", NOTE),
    ("modern-humanities-research-association-notes", NOTE),
    ("modern-language-association", NO_YEAR),
    ("nlm-citation-sequence", NO_AUTHOR),
    ("nlm-citation-sequence-superscript", NO_AUTHOR),
    ("turabian-fullnote-8", NOTE),
];

const NOTE: &str =
    "a note style: its citations belong in footnotes, which this preprocessor does not make";
const NO_BIBLIOGRAPHY: &str =
    "it has no reference list, so `{{#bibliography}}` and hover titles would be empty";
const NO_AUTHOR: &str =
    "its citations carry no names, so author-only citations (`form=author`) come out empty";
const NO_YEAR: &str = "its citations carry no year (author and page), so year-only citations (`form=year`, Pandoc's `[-@key]`) come out empty";

/// Why an archived style is refused, if it is.
fn refusal(style: ArchivedStyle) -> Option<&'static str> {
    let name = style.names().first()?;
    REFUSED
        .iter()
        .find(|(refused, _)| refused == name)
        .map(|(_, why)| *why)
}

/// Every name a built-in style can be given: our short ones and the archive's.
fn all_names() -> impl Iterator<Item = &'static str> {
    CitationStyle::BUILTIN_NAMES.iter().copied().chain(
        ArchivedStyle::all()
            .iter()
            .flat_map(|style| style.names().iter().copied()),
    )
}

/// One archived style as `mdbook-frameworks list styles` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleListing {
    /// The name to write in `citation-style` (hayagriva's first).
    pub name: &'static str,
    /// Other names for it.
    pub aliases: Vec<&'static str>,
    /// The style's title.
    pub title: &'static str,
    /// `numeric`, `author-date`, `author`, `label`, or why it is refused.
    pub kind: String,
}

impl CitationStyle {
    /// Every archived style, in the archive's order. Decodes each style (to read
    /// its class), so it is for listing, not for start-up.
    pub fn catalogue() -> Vec<StyleListing> {
        ArchivedStyle::all()
            .iter()
            .map(|&style| {
                let names = style.names();
                let short = Self::BUILTIN_NAMES
                    .iter()
                    .copied()
                    .filter(|n| builtin(n) == Some(style) && !names.contains(n));
                let kind = match refusal(style) {
                    Some(why) => format!("refused: {why}"),
                    None => style_kind(&style.get()).to_owned(),
                };
                StyleListing {
                    name: names[0],
                    aliases: names[1..].iter().copied().chain(short).collect(),
                    title: style.display_name(),
                    kind,
                }
            })
            .collect()
    }
}

/// How a style cites, from its category.
fn style_kind(style: &Style) -> &'static str {
    let info = match style {
        Style::Independent(s) => &s.info,
        Style::Dependent(d) => &d.info,
    };
    let format = info.category.iter().find_map(|c| match c {
        StyleCategory::CitationFormat { format } => Some(*format),
        _ => None,
    });
    match format {
        Some(CitationFormat::Numeric) => "numeric",
        Some(CitationFormat::AuthorDate) => "author-date",
        Some(CitationFormat::Author) => "author",
        Some(CitationFormat::Label) => "label",
        Some(CitationFormat::Note) => "note",
        None => "unknown",
    }
}

fn unknown_name(name: &str) -> StyleError {
    let nearest = all_names()
        .map(|known| (edit_distance(name, known), known))
        .min()
        .filter(|(d, known)| *d <= known.len().max(name.len()) / 2)
        .map(|(_, known)| known);
    StyleError {
        message: format!(
            "unknown citation style `{name}`; common ones are {} (`mdbook-frameworks list styles` shows all {})",
            CitationStyle::BUILTIN_NAMES.join(", "),
            ArchivedStyle::all().len()
        ),
        hint: Some(match nearest {
            Some(known) => format!("did you mean `{known}`?"),
            None => "or give the path of a .csl file relative to the book root".into(),
        }),
    }
}

/// Levenshtein distance, case-insensitive, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_load_and_know_if_numeric() {
        for name in CitationStyle::BUILTIN_NAMES {
            let numeric = CitationStyle::load(name, Path::new("."))
                .unwrap()
                .is_numeric();
            assert_eq!(
                numeric,
                matches!(*name, "ieee" | "acm" | "nature"),
                "{name}"
            );
        }
    }

    #[test]
    fn unknown_name_lists_names_and_suggests() {
        let err = CitationStyle::load("apaa", Path::new(".")).unwrap_err();
        assert_eq!(
            err.message,
            format!(
                "unknown citation style `apaa`; common ones are apa, ieee, chicago-author-date, \
                 acm, nature, harvard (`mdbook-frameworks list styles` shows all {})",
                ArchivedStyle::all().len()
            )
        );
        assert_eq!(err.hint.as_deref(), Some("did you mean `apa`?"));
        // Every archived name is a candidate.
        let err = CitationStyle::load("springer-vancover", Path::new(".")).unwrap_err();
        assert_eq!(
            err.hint.as_deref(),
            Some("did you mean `springer-vancouver`?")
        );
        let err = CitationStyle::load("zzzzzzzzzzzz", Path::new(".")).unwrap_err();
        assert_eq!(
            err.hint.as_deref(),
            Some("or give the path of a .csl file relative to the book root")
        );
        assert_eq!(edit_distance("IEE", "ieee"), 1);
    }

    #[test]
    fn csl_files_load_relative_to_the_book() {
        let dir = std::env::temp_dir().join(format!("cite-style-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("styles")).unwrap();
        // A dependent style resolves to its built-in parent.
        let dependent = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>My Journal</title>
    <id>http://example.org/my-journal</id>
    <link href="http://www.zotero.org/styles/ieee" rel="independent-parent"/>
    <category citation-format="numeric"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
</style>"#;
        std::fs::write(dir.join("styles/mine.csl"), dependent).unwrap();
        assert!(
            CitationStyle::load("styles/mine.csl", &dir)
                .unwrap()
                .is_numeric()
        );
        std::fs::write(dir.join("styles/bad.csl"), "<style>").unwrap();
        let err = CitationStyle::load("styles/bad.csl", &dir).unwrap_err();
        assert!(
            err.message.contains("is not a valid CSL style"),
            "{}",
            err.message
        );
        let err = CitationStyle::load("styles/missing.csl", &dir).unwrap_err();
        assert!(
            err.message.starts_with("cannot read citation style"),
            "{}",
            err.message
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What is wrong when the built-in works are cited in every form, with and
    /// without a locator, and listed, in `archived`: `None` when nothing panics and
    /// every citation and reference has text.
    fn render_problem(archived: ArchivedStyle) -> Option<String> {
        use crate::cite::{CitationEngine, CitationRequest, CiteForm, CiteItem};
        use crate::model::{Locator, Model};
        let name = archived.names()[0];
        let parsed = match ParsedStyle::new(archived.get(), name) {
            Ok(parsed) => parsed,
            Err(error) => return Some(error.message),
        };
        if parsed.csl.bibliography.is_none() {
            return Some("it has no bibliography".into());
        }
        let style = CitationStyle {
            identity: 0,
            builtin: Some((archived, name.to_owned())),
            parsed: OnceLock::from(parsed),
            et_al: OnceLock::new(),
            requested_locale: None,
        };
        let works = Model::builtin().works();
        let mut requests = Vec::new();
        for work in works {
            for form in [
                CiteForm::Parenthetical,
                CiteForm::Narrative,
                CiteForm::YearOnly,
                CiteForm::AuthorOnly,
            ] {
                // A locator changes what parenthetical and narrative forms print.
                let with_locator = matches!(form, CiteForm::Parenthetical | CiteForm::Narrative);
                let locators = [None, Some(Locator::Page("3".into()))];
                for locator in locators.into_iter().take(1 + usize::from(with_locator)) {
                    requests.push(CitationRequest {
                        items: vec![CiteItem {
                            key: work.key().to_owned(),
                            locator,
                        }],
                        form,
                        prefix: None,
                        suffix: None,
                    });
                }
            }
        }
        let rendered = std::panic::catch_unwind(|| {
            let engine = CitationEngine::new(&style, works);
            (engine.render(&requests), engine.render_all_references())
        });
        let Ok((cited, all)) = rendered else {
            return Some("rendering panics".into());
        };
        for (request, citation) in requests.iter().zip(&cited.citations) {
            if citation.to_markdown().trim().is_empty() {
                return Some(format!(
                    "its {:?} citation of `{}` is empty",
                    request.form, request.items[0].key
                ));
            }
        }
        if all.len() != works.len() {
            return Some(format!("it lists {} of {} works", all.len(), works.len()));
        }
        all.iter()
            .find(|r| r.markdown.trim().is_empty())
            .map(|r| format!("its reference for `{}` is empty", r.key))
    }

    #[test]
    fn every_archived_style_renders_or_is_refused() {
        let mut wrong = Vec::new();
        for &archived in ArchivedStyle::all() {
            let name = archived.names()[0];
            let problem = render_problem(archived);
            match (problem, refusal(archived)) {
                (None, None) | (Some(_), Some(_)) => {}
                (Some(problem), None) => wrong.push(format!("{name} renders wrongly: {problem}")),
                (None, Some(_)) => wrong.push(format!("{name} is refused but renders")),
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_archived_name_loads_unless_refused_and_loading_decodes_nothing() {
        for &archived in ArchivedStyle::all() {
            for name in archived.names() {
                let loaded = CitationStyle::load(name, Path::new("."));
                match refusal(archived) {
                    None => assert!(loaded.unwrap().parsed.get().is_none(), "{name}"),
                    Some(why) => assert_eq!(
                        loaded.unwrap_err().message,
                        format!("citation style `{name}` is not supported: {why}")
                    ),
                }
            }
        }
        for (name, _) in REFUSED {
            assert!(ArchivedStyle::by_name(name).is_some(), "{name}");
        }
        let listed = CitationStyle::catalogue();
        assert_eq!(listed.len(), ArchivedStyle::all().len());
        let apa = listed
            .iter()
            .find(|s| s.name == "american-psychological-association")
            .unwrap();
        assert_eq!(apa.kind, "author-date");
        assert!(apa.aliases.contains(&"apa"), "{apa:?}");
        let acm = listed
            .iter()
            .find(|s| s.name == "association-for-computing-machinery")
            .unwrap();
        assert_eq!(
            (acm.kind.as_str(), &acm.aliases[..]),
            ("numeric", &["acm"][..])
        );
        let mla = listed
            .iter()
            .find(|s| s.name == "modern-language-association")
            .unwrap();
        assert!(
            mla.kind.starts_with("refused: its citations carry no year"),
            "{mla:?}"
        );
    }

    #[test]
    fn note_styles_are_refused() {
        let err = ParsedStyle::new(ArchivedStyle::ChicagoNotes.get(), "chicago-notes").unwrap_err();
        assert_eq!(err.message, "citation style chicago-notes is a note style");
    }

    #[test]
    fn locales_are_decoded_once_and_only_those_a_style_consults() {
        let apa = CitationStyle::load("apa", Path::new(".")).unwrap();
        let files = apa.locale_files();
        assert!(std::ptr::eq(files, apa.locale_files()));
        let codes: Vec<&str> = files
            .iter()
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.as_str()))
            .collect();
        assert_eq!(codes, ["en-US"]);
        // A German book also needs German terms, and en-US as the last resort.
        let codes = |style: &CitationStyle| -> Vec<&str> {
            style
                .locale_files()
                .iter()
                .filter_map(|l| l.lang.as_ref().map(|c| c.0.as_str()))
                .collect()
        };
        let german = apa.clone().with_locale(Some("de-AT"));
        assert_eq!(codes(&german), ["de-AT", "de-DE", "en-US"]);
        let again = CitationStyle::load("apa", Path::new("."))
            .unwrap()
            .with_locale(Some("de-AT"));
        assert!(std::ptr::eq(german.locale_files(), again.locale_files()));
        // In archive order, which hayagriva's lookup does not depend on.
        assert_eq!(
            codes(&apa.clone().with_locale(Some("ja"))),
            ["en-US", "ja-JP"]
        );
    }

    #[test]
    fn the_book_locale_replaces_the_styles_unless_it_is_the_same_language() {
        let locale = |style: &str, tag: Option<&str>| {
            CitationStyle::load(style, Path::new("."))
                .unwrap()
                .with_locale(tag)
                .locale()
                .map(|l| l.0)
        };
        assert_eq!(locale("apa", None), None);
        assert_eq!(locale("apa", Some("de")).as_deref(), Some("de"));
        // nature is written in en-GB: a bare `en` keeps it, `en-US` does not.
        assert_eq!(locale("nature", Some("en")), None);
        assert_eq!(locale("nature", Some("en-US")).as_deref(), Some("en-US"));
        // A style without `default-locale` is in en-US.
        assert_eq!(locale("apa", Some("en")), None);
    }

    #[test]
    fn et_al_follows_the_locale() {
        let et_al = |style: &str, tag: Option<&str>| {
            CitationStyle::load(style, Path::new("."))
                .unwrap()
                .with_locale(tag)
                .et_al()
                .to_owned()
        };
        for style in ["chicago-author-date", "ieee"] {
            assert_eq!(et_al(style, None), "et al.", "{style}");
            assert_eq!(et_al(style, Some("de")), "u. a.", "{style}");
            assert_eq!(et_al(style, Some("de-AT")), "u. a.", "{style}");
        }
        // APA's own German and Polish terms win over the locale files'.
        assert_eq!(et_al("apa", Some("de")), "et al.");
        assert_eq!(et_al("apa", Some("pl")), "i in.");
        assert_eq!(et_al("apa", Some("ja")), "ほか");
    }

    #[test]
    fn the_chosen_locales_are_the_archived_ones() {
        // Same decoded data as hayagriva's own `locales()`, for the codes we keep.
        let all = hayagriva::archive::locales();
        let apa = CitationStyle::load("apa", Path::new(".")).unwrap();
        for file in apa.locale_files() {
            assert!(all.contains(file));
        }
        assert_eq!(archived_locale_codes().len(), all.len());
        for (code, locale) in archived_locale_codes().iter().zip(&all) {
            assert_eq!(code, &locale.lang);
        }
    }
}
