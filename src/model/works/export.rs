//! BibTeX for the works, so readers can take the book's references into their own papers.
//!
//! A work read from a `.bib` file is written back from the entry it was read
//! from, with every field it had (macros expanded, LaTeX resolved to Unicode).
//! A work from YAML or CSL-JSON is first described as a `biblatex` entry; the
//! `biblatex` crate writes both, so braces protect case as `{…}`.

use biblatex::{Chunk, EntryType as TexType, Spanned};
use hayagriva::Entry;
#[cfg(test)]
use hayagriva::types::FormatString;
use hayagriva::types::{ChunkKind, ChunkedString, EntryType, Person};

use super::{ET_AL_MARK, Work};

/// The works as BibTeX, one entry each, in the given order.
pub fn to_bibtex<'a>(works: impl IntoIterator<Item = &'a Work>) -> String {
    let mut out = String::new();
    for work in works {
        let mut tex = work
            .bibtex
            .clone()
            .unwrap_or_else(|| from_entry(&work.entry));
        // The crate reads `--` as an en dash; BibTeX writes ranges with `--`.
        if let Some(pages) = tex.fields.get_mut("pages") {
            for chunk in pages.iter_mut() {
                let text = chunk.v.get().replace('–', "--");
                chunk.v = match chunk.v {
                    Chunk::Verbatim(_) => Chunk::Verbatim(text),
                    Chunk::Math(_) => Chunk::Math(text),
                    Chunk::Normal(_) => Chunk::Normal(text),
                };
            }
        }
        // BibTeX has no `@online` or `@software`: the crate would write them as
        // `@misc` and lose what makes them so. They are written as BibLaTeX's,
        // which BibTeX styles print as `@misc` with a warning.
        let biblatex_only = matches!(tex.entry_type, TexType::Online | TexType::Software);
        let text = if biblatex_only {
            tex.to_biblatex_string()
        } else {
            tex.to_bibtex_string()
                // A field the crate cannot type (only `date`, which readers
                // already checked) would fail the entry; BibLaTeX has no such step.
                .unwrap_or_else(|_| tex.to_biblatex_string())
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// A `biblatex` entry describing a hayagriva entry, for works that did not come from BibTeX.
fn from_entry(entry: &Entry) -> biblatex::Entry {
    // The container: the first parent with a title. A paper in proceedings is
    // an `Article` with a `Book` holding the proceedings' data and an empty
    // `Proceedings` parent (see `proceedings_as_book`).
    let parents = entry.parents();
    let parent = parents
        .iter()
        .find(|p| p.title().is_some())
        .or(parents.first());
    let in_proceedings = parents.iter().any(|p| {
        matches!(
            p.entry_type(),
            EntryType::Proceedings | EntryType::Conference
        )
    });
    let parent_type = parent.map(Entry::entry_type);
    let (tex_type, container_field) = match (entry.entry_type(), parent_type) {
        (EntryType::Article, _) if in_proceedings => (TexType::InProceedings, "booktitle"),
        (EntryType::Article, Some(_)) => (TexType::Article, "journal"),
        (EntryType::Chapter | EntryType::Anthos, _) => (TexType::InCollection, "booktitle"),
        (EntryType::Entry, _) => (TexType::InCollection, "booktitle"),
        (EntryType::Book, _) => (TexType::Book, "series"),
        (EntryType::Anthology | EntryType::Proceedings, _) => (TexType::Proceedings, "series"),
        (EntryType::Report, _) => (TexType::TechReport, "series"),
        (EntryType::Thesis, _) => (TexType::PhdThesis, "series"),
        (EntryType::Manuscript, _) => (TexType::Unpublished, "howpublished"),
        (EntryType::Repository, _) => (TexType::Software, "howpublished"),
        (EntryType::Web | EntryType::Blog | EntryType::Post, _) => {
            (TexType::Online, "organization")
        }
        (EntryType::Patent, _) => (TexType::Patent, "howpublished"),
        _ => (TexType::Misc, "howpublished"),
    };
    let mut tex = biblatex::Entry::new(entry.key().to_owned(), tex_type.clone());
    let mut set = |name: &str, chunks: Vec<Chunk>| {
        if !chunks.is_empty() {
            tex.set(name, chunks.into_iter().map(Spanned::zero).collect());
        }
    };
    if let Some(title) = entry.title() {
        set("title", chunks(&title.value));
    }
    if let Some(authors) = entry.authors() {
        set("author", names(authors));
    }
    let editors = entry.editors().or_else(|| parent.and_then(Entry::editors));
    if let Some(editors) = editors {
        set("editor", names(editors));
    }
    if let Some(container) = parent.and_then(Entry::title) {
        set(container_field, chunks(&container.value));
    }
    let either = |get: fn(&Entry) -> Option<String>| get(entry).or_else(|| parent.and_then(get));
    if let Some(v) = either(|e| e.volume().map(ToString::to_string)) {
        set("volume", plain(&v));
    }
    if let Some(v) = either(|e| e.issue().map(ToString::to_string)) {
        set("number", plain(&v));
    }
    if let Some(v) = entry.keyed_serial_number("serial") {
        set("number", plain(v));
    }
    if let Some(v) = either(|e| e.edition().map(ToString::to_string)) {
        set("edition", plain(&v));
    }
    if let Some(pages) = entry.page_range() {
        set("pages", plain(&pages.to_string().replace('-', "--")));
    }
    let publisher = entry
        .publisher()
        .or_else(|| parent.and_then(Entry::publisher));
    if let Some(publisher) = publisher {
        if let Some(name) = publisher.name() {
            let field = match tex_type {
                TexType::PhdThesis => "school",
                TexType::TechReport => "institution",
                _ => "publisher",
            };
            set(field, chunks(&name.value));
        }
        if let Some(place) = publisher.location() {
            set("address", chunks(&place.value));
        }
    }
    if let Some(date) = entry.date_any() {
        if let (Some(month), Some(day)) = (date.month, date.day) {
            // The crate writes a full `date` as BibTeX's `year`, `month` and
            // `day` (which BibTeX styles ignore), and keeps it in BibLaTeX.
            set(
                "date",
                plain(&format!("{:04}-{:02}-{:02}", date.year, month + 1, day + 1)),
            );
        } else {
            set("year", plain(&date.year.to_string()));
            if let Some(month) = date.month {
                set("month", plain(&(month + 1).to_string()));
            }
        }
    }
    if let Some(genre) = entry.genre() {
        set("type", chunks(&genre.value));
    }
    if let Some(note) = entry.note() {
        set("note", chunks(&note.value));
    }
    if let Some(doi) = entry.doi() {
        set("doi", verbatim(doi));
    }
    if let Some(isbn) = entry.isbn() {
        set("isbn", verbatim(isbn));
    }
    if let Some(issn) = entry.issn() {
        set("issn", verbatim(issn));
    }
    if let Some(arxiv) = entry.arxiv() {
        set("eprint", verbatim(arxiv));
        set("eprinttype", plain("arxiv"));
    }
    if let Some(version) = entry.keyed_serial_number("version") {
        set("version", plain(version));
    }
    if let Some(url) = entry.url() {
        set("url", verbatim(url.value.as_str()));
        if let Some(d) = &url.visit_date {
            let mut text = format!("{:04}", d.year);
            if let Some(m) = d.month {
                text.push_str(&format!("-{:02}", m + 1));
                if let Some(day) = d.day {
                    text.push_str(&format!("-{:02}", day + 1));
                }
            }
            set("urldate", plain(&text));
        }
    }
    if let Some(organisation) = entry.organization() {
        set("organization", chunks(&organisation.value));
    }
    tex
}

fn plain(text: &str) -> Vec<Chunk> {
    vec![Chunk::Normal(text.to_owned())]
}

fn verbatim(text: &str) -> Vec<Chunk> {
    vec![Chunk::Verbatim(text.to_owned())]
}

/// hayagriva's chunks as BibTeX's: verbatim (case-protected) text stays braced.
fn chunks(text: &ChunkedString) -> Vec<Chunk> {
    text.0
        .iter()
        .map(|c| match c.kind {
            ChunkKind::Verbatim => Chunk::Verbatim(c.value.clone()),
            ChunkKind::Math => Chunk::Math(c.value.clone()),
            _ => Chunk::Normal(c.value.clone()),
        })
        .collect()
}

/// `Family, Given and …`; organisations braced whole; the et-al mark back to `others`.
fn names(people: &[Person]) -> Vec<Chunk> {
    let mut out = Vec::new();
    for (i, person) in people.iter().enumerate() {
        if i > 0 {
            out.push(Chunk::Normal(" and ".into()));
        }
        if person.name == ET_AL_MARK {
            out.push(Chunk::Normal("others".into()));
            continue;
        }
        let family = match &person.prefix {
            Some(prefix) => format!("{prefix} {}", person.name),
            None => person.name.clone(),
        };
        match &person.given_name {
            None => out.push(Chunk::Verbatim(family)),
            Some(given) => {
                let mut text = family;
                if let Some(suffix) = &person.suffix {
                    text.push_str(", ");
                    text.push_str(suffix);
                }
                text.push_str(", ");
                text.push_str(given);
                out.push(Chunk::Normal(text));
            }
        }
    }
    out
}

/// hayagriva's format string as plain text; used by tests.
#[cfg(test)]
fn text(value: &FormatString) -> String {
    value.value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::works::{WorkFormat, read};
    use std::path::Path;

    fn works(format: WorkFormat, text: &str) -> Vec<Work> {
        let (works, problems) = read(format, Path::new("x"), text);
        assert!(problems.is_empty(), "{problems:?}");
        works
    }

    #[test]
    fn bibtex_round_trips_with_braces_and_number() {
        let bib = "@inproceedings{roe2016sys,\n  title={A {GPU} System},\n  author={Roe, Rita},\n  booktitle={12th {USENIX} Symposium ({OSDI} 16)},\n  pages={265--283},\n  year={2016}\n}\n@article{doe2022, author = {Doe, Jane}, title = {Article}, journal = {{ACM} Computing Surveys}, volume = {15}, number = {12}, pages = {1--20}, year = {2022}}";
        let first = works(WorkFormat::BibTeX, bib);
        let exported = to_bibtex(&first);
        assert!(
            exported.contains("{USENIX}") && !exported.contains("\\{"),
            "{exported}"
        );
        assert!(exported.contains("number = {12}"), "{exported}");
        let second = works(WorkFormat::BibTeX, &exported);
        let entries = |w: &[Work]| w.iter().map(|w| w.entry.clone()).collect::<Vec<_>>();
        assert_eq!(entries(&first), entries(&second));
    }

    #[test]
    fn csl_json_works_export_as_bibtex_that_reads_back() {
        let json = r#"[{"id": "a", "type": "article-journal", "title": "On <span class=\"nocase\">GPUs</span>",
            "author": [{"family": "Doe", "given": "Jane"}, {"literal": "Example Lab"}],
            "container-title": "Journal of Tests", "volume": 3, "issue": "2", "page": "10-20",
            "issued": {"date-parts": [[2021, 4]]}, "DOI": "10.1/x"}]"#;
        let first = works(WorkFormat::CslJson, json);
        let exported = to_bibtex(&first);
        let second = works(WorkFormat::BibTeX, &exported);
        let (a, b) = (&first[0].entry, &second[0].entry);
        assert_eq!(a.entry_type(), b.entry_type(), "{exported}");
        assert_eq!(text(a.title().unwrap()), text(b.title().unwrap()));
        assert_eq!(a.authors(), b.authors(), "{exported}");
        assert_eq!(a.parents()[0].title(), b.parents()[0].title(), "{exported}");
        assert_eq!(a.parents()[0].issue(), b.parents()[0].issue(), "{exported}");
        assert_eq!(a.date(), b.date());
        assert_eq!(a.doi(), b.doi());
    }

    /// Each CSL-JSON shape, exported and read back as BibTeX, renders the same
    /// reference in APA and IEEE as the item itself, but for what BibTeX cannot
    /// say: a report is a `@techreport`, which BibTeX styles and hayagriva call
    /// a technical report, and there is no newspaper article, so the paper is
    /// a `journal` and APA prints the year alone.
    #[test]
    fn every_csl_json_shape_renders_the_same_after_export() {
        let json = r#"[
            {"id": "j", "type": "article-journal", "title": "Journal Paper", "author": [{"family": "Doe", "given": "Jane"}],
             "container-title": "Journal of Tests", "volume": "3", "issue": "2", "page": "10-20", "issued": {"date-parts": [[2021]]}},
            {"id": "c", "type": "paper-conference", "title": "Conference Paper", "author": [{"family": "Roe", "given": "Rita"}],
             "container-title": "Advances in Tests", "volume": "30", "page": "5998-6008", "publisher": "Curran", "issued": {"date-parts": [[2017]]}},
            {"id": "ce", "type": "paper-conference", "title": "Edited Paper", "author": [{"family": "Poe", "given": "Pat"}],
             "editor": [{"family": "Ed", "given": "Eve"}], "container-title": "Proceedings of Tests", "page": "1-9",
             "publisher": "ACM", "issued": {"date-parts": [[2019]]}},
            {"id": "ch", "type": "chapter", "title": "A Chapter", "author": [{"family": "Coe", "given": "Cy"}],
             "editor": [{"family": "Ed", "given": "Eve"}], "container-title": "The Book", "page": "5-7", "publisher": "MIT Press", "issued": {"date-parts": [[2016]]}},
            {"id": "b", "type": "book", "title": "A Book", "author": [{"family": "Boe", "given": "Bo"}], "publisher": "MIT Press", "edition": "2", "issued": {"date-parts": [[2016]]}},
            {"id": "r", "type": "report", "title": "A Report", "author": [{"family": "Loe", "given": "Lu"}], "publisher": "Example Lab", "number": "TR-7", "issued": {"date-parts": [[2020]]}},
            {"id": "t", "type": "thesis", "title": "A Thesis", "author": [{"family": "Toe", "given": "Ty"}], "genre": "Doctoral dissertation", "publisher": "Example University", "issued": {"date-parts": [[2018]]}},
            {"id": "w", "type": "webpage", "title": "A Page", "author": [{"family": "Woe", "given": "Wu"}], "container-title": "Example Site",
             "URL": "https://example.org/p", "issued": {"date-parts": [[2022, 3, 4]]}},
            {"id": "s", "type": "software", "title": "A Tool", "author": [{"family": "Soe", "given": "Sy"}], "version": "1.2", "URL": "https://example.org/t", "issued": {"date-parts": [[2018]]}},
            {"id": "n", "type": "article-newspaper", "title": "News", "author": [{"family": "Noe", "given": "Ny"}], "container-title": "The Daily", "issued": {"date-parts": [[2023, 1, 2]]}},
            {"id": "m", "type": "manuscript", "title": "A Draft", "author": [{"family": "Moe", "given": "My"}], "issued": {"date-parts": [[2015]]}}
        ]"#;
        let first = works(WorkFormat::CslJson, json);
        let exported = to_bibtex(&first);
        let second = works(WorkFormat::BibTeX, &exported);
        for name in ["apa", "ieee"] {
            let style = crate::cite::CitationStyle::load(name, Path::new(".")).unwrap();
            let list = |w: &[Work]| -> Vec<String> {
                crate::cite::CitationEngine::new(&style, w)
                    .render_all_references()
                    .into_iter()
                    .map(|r| r.plain)
                    .collect()
            };
            let (before, after) = (list(&first), list(&second));
            let bibtex_cannot = |r: &String| r.contains("Report") || r.contains("News");
            let same = |l: &[String]| -> Vec<String> {
                l.iter().filter(|r| !bibtex_cannot(r)).cloned().collect()
            };
            assert_eq!(same(&before), same(&after), "{name}:\n{exported}");
            assert_eq!(same(&before).len(), 9, "{name}");
            if name == "apa" {
                let other: Vec<&String> = after.iter().filter(|r| bibtex_cannot(r)).collect();
                assert_eq!(
                    other,
                    [
                        "Loe, L. (2020). A Report (Technical Report No. TR-7). Example Lab.",
                        "Noe, N. (2023). News. The Daily."
                    ],
                    "{exported}"
                );
            }
        }
    }
}
