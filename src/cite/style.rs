//! Loading a citation style: a built-in name or a `.csl` file of the book.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{
    CitationFormat, IndependentStyle, Locale, Style, StyleCategory, StyleClass,
};

/// CSL locales, decoded once per process: decoding takes tens of milliseconds.
pub(crate) fn locale_files() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(locales)
}

/// A parsed CSL style, loaded once per book.
#[derive(Debug, Clone)]
pub struct CitationStyle {
    pub(crate) csl: IndependentStyle,
    /// For narrative and author-only citations in numeric styles: hayagriva
    /// takes their names from the bibliography, which may list all 21 authors.
    pub(crate) csl_short_names: IndependentStyle,
    numeric: bool,
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
    /// Style names accepted by [`CitationStyle::load`] besides `.csl` paths.
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
        let archived = builtin(spec).ok_or_else(|| unknown_name(spec))?;
        Self::from_style(archived.get(), spec)
    }

    /// Whether citations are numbers (`[1]`) rather than author and year.
    pub fn is_numeric(&self) -> bool {
        self.numeric
    }

    fn load_file(path: &Path) -> Result<Self, StyleError> {
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
        Self::from_style(style, &path.display().to_string())
    }

    fn from_style(style: Style, name: &str) -> Result<Self, StyleError> {
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
        Ok(CitationStyle {
            csl,
            csl_short_names,
            numeric,
        })
    }
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

fn unknown_name(name: &str) -> StyleError {
    let nearest = CitationStyle::BUILTIN_NAMES
        .iter()
        .map(|known| (edit_distance(name, known), *known))
        .min()
        .filter(|(d, known)| *d <= known.len().max(name.len()) / 2)
        .map(|(_, known)| known);
    StyleError {
        message: format!(
            "unknown citation style `{name}`; built-in styles are: {}",
            CitationStyle::BUILTIN_NAMES.join(", ")
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
            "unknown citation style `apaa`; built-in styles are: apa, ieee, chicago-author-date, \
             acm, nature, harvard"
        );
        assert_eq!(err.hint.as_deref(), Some("did you mean `apa`?"));
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

    #[test]
    fn note_styles_are_refused() {
        let err = CitationStyle::from_style(ArchivedStyle::ChicagoNotes.get(), "chicago-notes")
            .unwrap_err();
        assert_eq!(err.message, "citation style chicago-notes is a note style");
    }

    #[test]
    fn locales_are_decoded_once() {
        assert!(std::ptr::eq(locale_files(), locale_files()));
    }
}
