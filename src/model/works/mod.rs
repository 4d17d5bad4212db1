//! Citable works: hayagriva's bibliographic [`Entry`], read from the files
//! scholars export.
//!
//! | extension | format | reader |
//! |---|---|---|
//! | `.bib` | BibTeX and BibLaTeX (Google Scholar, DBLP, Zotero, BibDesk, JabRef) | `biblatex` crate, then hayagriva's conversion |
//! | `.yaml`, `.yml` | hayagriva's YAML | hayagriva |
//! | `.json` | CSL-JSON (Zotero, Mendeley, Pandoc) | `csl_json`: hayagriva has no CSL-JSON → `Entry` conversion |
//!
//! The built-in works are a `.bib` file read by the same code. Our own code
//! only fills what the libraries lack or get wrong; each such place names why.

mod bibtex;
mod case;
mod csl_json;
pub(crate) mod export;
mod latex;
mod yaml;

use std::path::{Path, PathBuf};

use hayagriva::Entry;
use hayagriva::types::{EntryType, Person};

use crate::diagnostics::{Diagnostic, LineIndex};

/// Stands for the `others` of a BibTeX name list (`Smith, John and others`):
/// a name no one has, which the citation engine turns into the style's "et al."
/// after rendering. CSL has no way to say that a name list was cut short.
pub const ET_AL_MARK: &str = "\u{E0E1}";

/// The bibliography file formats a book's `data` may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkFormat {
    /// `.bib`: BibTeX or BibLaTeX.
    BibTeX,
    /// `.yaml` / `.yml`: hayagriva's YAML.
    Yaml,
    /// `.json`: CSL-JSON, an array of items.
    CslJson,
}

impl WorkFormat {
    /// The format a file's extension names, if it names one.
    pub fn of_path(path: &Path) -> Option<WorkFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "bib" => Some(WorkFormat::BibTeX),
            "yaml" | "yml" => Some(WorkFormat::Yaml),
            "json" => Some(WorkFormat::CslJson),
            _ => None,
        }
    }
}

/// Where a work is defined: the start of its key (BibTeX, YAML) or item (CSL-JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The data file, as the book names it.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Origin {
    /// The origin at byte `offset` of the file whose lines are `lines`.
    pub(crate) fn at(file: &Path, lines: &LineIndex<'_>, offset: usize) -> Origin {
        let (line, col) = lines.line_col(offset);
        Origin {
            file: file.to_path_buf(),
            line,
            col,
        }
    }

    /// An error about the work, located at its definition.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error_at_line_col(&self.file, self.line, self.col, message)
    }

    /// A warning about the work, located at its definition.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        self.error(message).into_warning()
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// A citable work: the bibliographic entry that styles render, and what the
/// tool keeps beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// The entry, as hayagriva renders it.
    pub entry: Entry,
    /// The BibTeX entry it was read from (macros expanded, LaTeX resolved), so
    /// that `bibtex` exports it with every field it had.
    pub bibtex: Option<biblatex::Entry>,
    /// Where it is defined.
    pub origin: Option<Origin>,
    /// Fields the format requires for its type that the work lacks (BibTeX's
    /// required fields, e.g. `journal` for `@article`); reported when cited.
    pub missing: Vec<&'static str>,
}

impl Work {
    /// A work made from an entry alone.
    pub fn new(entry: Entry) -> Work {
        Work {
            entry,
            bibtex: None,
            origin: None,
            missing: Vec::new(),
        }
    }

    /// The citation key.
    pub fn key(&self) -> &str {
        self.entry.key()
    }

    /// Year of publication, if dated.
    pub fn year(&self) -> Option<i32> {
        self.entry.date_any().map(|d| d.year)
    }

    /// Month of publication, 1–12, if the date has one.
    pub fn month(&self) -> Option<u8> {
        self.entry.date_any().and_then(|d| d.month).map(|m| m + 1)
    }

    /// What identifies the publication whatever its key: its DOI (lowercased)
    /// and its title (letters and digits, lowercased) with its year, as far as
    /// it has them. Exports of one paper from Google Scholar and DBLP differ in
    /// key, casing and punctuation, and one may lack the DOI, but not these.
    pub fn identities(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(doi) = self.entry.doi() {
            out.push(("DOI", doi.to_lowercase()));
        }
        if let Some(title) = self.entry.title() {
            let title: String = title
                .value
                .to_string()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !title.is_empty() {
                out.push((
                    "title and year",
                    format!("{title}/{}", self.year().unwrap_or(0)),
                ));
            }
        }
        out
    }

    /// The title as plain text (case protection removed), or the key when untitled.
    pub fn title(&self) -> String {
        self.entry
            .title()
            .map(|t| t.value.to_string())
            .unwrap_or_else(|| self.key().to_owned())
    }

    /// What kind of work it is, in a word for timelines and listings.
    pub fn kind_label(&self) -> &'static str {
        match self.entry.entry_type() {
            EntryType::Report => "Report",
            EntryType::Thesis => "Thesis",
            EntryType::Book | EntryType::Anthology | EntryType::Proceedings => "Book",
            EntryType::Repository => "Software",
            EntryType::Web | EntryType::Blog | EntryType::Post => "Web page",
            EntryType::Reference => "Documentation",
            EntryType::Misc if self.entry.url().is_some() => "Web page",
            EntryType::Misc => "Document",
            _ => "Paper",
        }
    }
}

/// Reads a bibliography file in `format`: every work that could be read, and a
/// located diagnostic for every problem (errors for what was lost, warnings for
/// what was repaired). One broken entry hides no other entry's problems.
pub fn read(format: WorkFormat, path: &Path, text: &str) -> (Vec<Work>, Vec<Diagnostic>) {
    let (mut works, problems) = match format {
        WorkFormat::BibTeX => bibtex::read(path, text),
        WorkFormat::Yaml => yaml::read(path, text),
        WorkFormat::CslJson => csl_json::read(path, text),
    };
    for work in &mut works {
        normalise(&mut work.entry);
    }
    (works, problems)
}

/// Repairs that hold whatever the format.
fn normalise(entry: &mut Entry) {
    // `https://doi.org/10.…` or `doi:10.…` in a DOI field would be linked twice.
    if let Some(doi) = entry.doi() {
        let bare = strip_doi_prefix(doi);
        if bare != doi {
            let bare = bare.to_owned();
            entry.set_doi(bare);
        }
    }
    mark_others(entry);
    proceedings_as_book(entry);
    anthology_as_book(entry);
    case::protect_titles(entry);
    // A preprint with neither DOI nor URL is found through its arXiv page.
    if entry.url().is_none()
        && entry.doi().is_none()
        && let Some(id) = entry.arxiv()
        && let Ok(url) = format!("https://arxiv.org/abs/{id}").parse()
    {
        entry.set_url(url);
    }
}

/// hayagriva 0.10.1 reads a paper in proceedings (an article whose parent is
/// `Proceedings`) as CSL `paper-conference`, but also takes the proceedings'
/// title as `volume-title`, so styles print the title twice ("*Proc. X: Proc.
/// X*", Chicago's "Special issue, …") and APA drops pages and publisher. The
/// proceedings' data moves to a `Book` parent, which hayagriva finds first as
/// the container; an empty `Proceedings` parent keeps the type.
fn proceedings_as_book(entry: &mut Entry) {
    if entry.entry_type() != &EntryType::Article {
        return;
    }
    let parents = entry.parents();
    let Some(at) = parents
        .iter()
        .position(|p| p.entry_type() == &EntryType::Proceedings && p.title().is_some())
    else {
        return;
    };
    let mut parents = parents.to_vec();
    let proceedings = parents.remove(at);
    let mut book = Entry::new(proceedings.key(), EntryType::Book);
    if let Some(v) = proceedings.title() {
        book.set_title(v.clone());
    }
    if let Some(v) = proceedings.editors() {
        book.set_editors(v.to_vec());
    }
    if let Some(v) = proceedings.publisher() {
        book.set_publisher(v.clone());
    }
    if let Some(v) = proceedings.volume() {
        book.set_volume(v.clone());
    }
    if let Some(v) = proceedings.edition() {
        book.set_edition(v.clone());
    }
    if let Some(v) = proceedings.organization() {
        book.set_organization(v.clone());
    }
    if let Some(v) = proceedings.date() {
        book.set_date(*v);
    }
    // The proceedings' series is a parent of the same type, which is where
    // hayagriva looks for a `Proceedings`' collection; a `Book` looks for a
    // `Book` (or `Anthology`) parent, so the series changes type with it.
    let series: Vec<Entry> = proceedings
        .parents()
        .iter()
        .map(|p| match p.entry_type() {
            EntryType::Proceedings => retype(p, EntryType::Book),
            _ => p.clone(),
        })
        .collect();
    book.set_parents(series);
    // hayagriva's BibLaTeX conversion leaves an `@inproceedings`'s editors on
    // the paper; they edited the proceedings.
    if book.editors().is_none()
        && let Some(editors) = entry.editors().map(<[_]>::to_vec)
    {
        book.set_editors(editors);
        *entry = without_editors(entry);
    }
    let edited = book.editors().is_some();
    parents.insert(0, book);
    if edited {
        // Edited proceedings are a book of chapters for APA 7 ("In K. Keeton & T.
        // Roscoe (Eds.), *Proceedings…* (pp. 265–283). USENIX Association."); as
        // `paper-conference`, hayagriva drops the pages and the publisher.
        let mut chapter = retype(entry, EntryType::Chapter);
        // The event is not printed for a paper in a published book.
        parents.retain(|p| p.entry_type() != &EntryType::Conference);
        chapter.set_parents(parents);
        *entry = chapter;
        return;
    }
    parents.insert(1, Entry::new(proceedings.key(), EntryType::Proceedings));
    entry.set_parents(parents);
}

/// hayagriva 0.10.1 reads an `@incollection` (its `Anthos` in an `Anthology`)
/// as a chapter, but also takes the collection's title as `volume-title`, so
/// APA prints "In *Genetic Programming: Genetic Programming*". As a `Chapter`
/// in a `Book` it is the same CSL chapter, printed once.
fn anthology_as_book(entry: &mut Entry) {
    if entry.entry_type() != &EntryType::Anthos {
        return;
    }
    let mut parents = entry.parents().to_vec();
    let Some(at) = parents
        .iter()
        .position(|p| p.entry_type() == &EntryType::Anthology)
    else {
        return;
    };
    parents[at] = retype(&parents[at], EntryType::Book);
    let mut chapter = retype(entry, EntryType::Chapter);
    chapter.set_parents(parents);
    *entry = chapter;
}

/// The entry with its fields, as hayagriva serialises them, changed by `edit`:
/// hayagriva has no setter for an entry's type and none that clears a field.
/// Every other field is kept; if the result does not read back, the entry is
/// returned unchanged.
pub(crate) fn edited(
    entry: &Entry,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Entry {
    let mut library = hayagriva::Library::new();
    library.push(entry);
    serde_json::to_value(&library)
        .ok()
        .and_then(|mut value| {
            edit(value.get_mut(entry.key())?.as_object_mut()?);
            serde_json::from_value::<hayagriva::Library>(value).ok()
        })
        .and_then(|library| library.get(entry.key()).cloned())
        .unwrap_or_else(|| entry.clone())
}

/// The entry without its own editors.
fn without_editors(entry: &Entry) -> Entry {
    edited(entry, |fields| {
        fields.remove("editor");
    })
}

/// The entry with another type, every field kept, parents included.
pub(crate) fn retype(entry: &Entry, kind: EntryType) -> Entry {
    edited(entry, |fields| {
        if let Ok(kind) = serde_json::to_value(kind) {
            fields.insert("type".into(), kind);
        }
    })
}

/// A DOI without the resolver or `doi:` in front of it.
pub(crate) fn strip_doi_prefix(doi: &str) -> &str {
    let doi = doi.trim();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
        "DOI:",
    ] {
        if let Some(rest) = doi.strip_prefix(prefix) {
            return rest.trim();
        }
    }
    doi
}

/// Replaces a final `others` (BibTeX's "and others") in the name lists by
/// [`ET_AL_MARK`].
fn mark_others(entry: &mut Entry) {
    let is_others = |p: &Person| {
        p.given_name.is_none() && p.prefix.is_none() && p.name.eq_ignore_ascii_case("others")
    };
    let mark = |names: &mut Vec<Person>| {
        if names.len() > 1 && names.last().is_some_and(is_others) {
            names.pop();
            names.push(Person {
                name: ET_AL_MARK.into(),
                given_name: None,
                prefix: None,
                suffix: None,
                comma_suffix: false,
                alias: None,
            });
        }
    };
    if let Some(authors) = entry.authors() {
        let mut authors = authors.to_vec();
        mark(&mut authors);
        entry.set_authors(authors);
    }
    if let Some(editors) = entry.editors() {
        let mut editors = editors.to_vec();
        mark(&mut editors);
        entry.set_editors(editors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            WorkFormat::of_path(Path::new("a/refs.BIB")),
            Some(WorkFormat::BibTeX)
        );
        assert_eq!(
            WorkFormat::of_path(Path::new("r.yml")),
            Some(WorkFormat::Yaml)
        );
        assert_eq!(
            WorkFormat::of_path(Path::new("zotero.json")),
            Some(WorkFormat::CslJson)
        );
        assert_eq!(WorkFormat::of_path(Path::new("data.toml")), None);
    }

    #[test]
    fn an_edited_proceedings_series_is_found_as_the_book_series() {
        let (works, _) = read(
            WorkFormat::CslJson,
            Path::new("s.json"),
            r#"[{"id": "k", "type": "paper-conference", "title": "T", "container-title": "CAV",
                "collection-title": "LNCS", "collection-number": "13964",
                "editor": [{"family": "Lal", "given": "A."}], "publisher": "Springer"}]"#,
        );
        let book = &works[0].entry.parents()[0];
        assert_eq!(book.entry_type(), &EntryType::Book);
        let series = &book.parents()[0];
        assert_eq!(series.entry_type(), &EntryType::Book);
        assert_eq!(series.title().unwrap().value.to_string(), "LNCS");
    }

    #[test]
    fn retype_keeps_every_field() {
        let (works, _) = read(
            WorkFormat::BibTeX,
            Path::new("r.bib"),
            "@misc{k, title = {T}, author = {Doe, Jane}, year = 2020, note = {N}, url = {https://a.org}}",
        );
        let entry = retype(&works[0].entry, EntryType::Repository);
        assert_eq!(entry.entry_type(), &EntryType::Repository);
        assert_eq!(entry.title(), works[0].entry.title());
        assert_eq!(entry.note(), works[0].entry.note());
        assert_eq!(entry.url(), works[0].entry.url());
        assert_eq!(entry.authors(), works[0].entry.authors());
    }

    #[test]
    fn doi_prefixes_are_stripped() {
        assert_eq!(strip_doi_prefix("https://doi.org/10.1/x"), "10.1/x");
        assert_eq!(strip_doi_prefix("doi:10.1/x"), "10.1/x");
        assert_eq!(strip_doi_prefix("10.1/x"), "10.1/x");
    }
}
