//! Papers from BibTeX / BibLaTeX files, for a book's own reading list.

use biblatex::{Bibliography, Chunk, RawBibliography};

use super::types::{Paper, PaperKind, PartialDate};

/// A paper and the byte range of its key in the file.
pub(super) type LocatedPaper = (std::ops::Range<usize>, Paper);

/// Parses a `.bib` file into papers with the byte offset of each entry's key, or
/// every problem as (byte offset, message).
pub(super) fn parse(text: &str) -> Result<Vec<LocatedPaper>, Vec<(usize, String)>> {
    let raw = RawBibliography::parse(text)
        .map_err(|e| vec![(e.span.start, format!("invalid BibTeX: {}", e.kind))])?;
    let key_spans: std::collections::HashMap<String, std::ops::Range<usize>> = raw
        .entries
        .iter()
        .map(|e| (e.v.key.v.to_owned(), e.v.key.span.clone()))
        .collect();
    let bibliography = Bibliography::from_raw(raw)
        .map_err(|e| vec![(e.span.start, format!("invalid BibTeX: {}", e.kind))])?;

    let mut papers = Vec::new();
    let mut problems = Vec::new();
    for entry in bibliography.iter() {
        let span = key_spans.get(&entry.key).cloned().unwrap_or(0..0);
        match paper_from_entry(entry) {
            Ok(paper) => papers.push((span, paper)),
            Err(message) => {
                problems.push((span.start, format!("entry `{}`: {message}", entry.key)))
            }
        }
    }
    if problems.is_empty() {
        Ok(papers)
    } else {
        Err(problems)
    }
}

fn paper_from_entry(entry: &biblatex::Entry) -> Result<Paper, String> {
    let field = |name: &str| entry.fields.get(name).map(|chunks| chunks_to_text(chunks));
    let title = field("title").ok_or("has no `title` field")?;
    if !entry.fields.contains_key("author") {
        return Err("has no `author` field".into());
    }
    let authors = entry
        .author()
        .map_err(|e| format!("invalid `author` field: {e}"))?
        .iter()
        .map(person_name)
        .collect::<Vec<_>>();
    if authors.is_empty() {
        return Err("has no `author` field".into());
    }
    let editors = entry
        .editors()
        .map_err(|e| format!("invalid `editor` field: {e}"))?
        .into_iter()
        .flat_map(|(people, _)| people)
        .map(|p| person_name(&p))
        .collect();
    let date = field("date")
        .or_else(|| field("year"))
        .ok_or("has no `year` or `date` field")?;
    let date = PartialDate::parse(date.get(..date.len().min(10)).unwrap_or(&date))
        .or_else(|| PartialDate::parse(date.get(..4).unwrap_or("")))
        .ok_or_else(|| format!("invalid year or date `{date}`"))?;
    let month = date
        .month
        .or_else(|| field("month").and_then(|m| month_number(&m)));
    let kind = match entry.entry_type.to_string().to_ascii_lowercase().as_str() {
        "software" => PaperKind::Software,
        "online" | "manual" | "www" => PaperKind::Documentation,
        "techreport" | "report" => PaperKind::Whitepaper,
        _ => PaperKind::Paper,
    };
    let archive_is_arxiv = field("archiveprefix")
        .or_else(|| field("eprinttype"))
        .is_some_and(|a| a.eq_ignore_ascii_case("arxiv"));
    Ok(Paper {
        key: entry.key.clone(),
        kind,
        title,
        authors,
        editors,
        year: date.year,
        month,
        venue: [
            "booktitle",
            "journaltitle",
            "journal",
            "howpublished",
            "institution",
        ]
        .into_iter()
        .find_map(&field),
        publisher: field("publisher"),
        volume: field("volume"),
        pages: field("pages"),
        arxiv: field("eprint").filter(|_| archive_is_arxiv),
        doi: field("doi"),
        url: field("url"),
        accessed: field("urldate").and_then(|d| PartialDate::parse(&d)),
    })
}

/// Field text with verbatim (braced) chunks kept in braces, so their case stays protected.
fn chunks_to_text(chunks: &[biblatex::Spanned<Chunk>]) -> String {
    let mut text = String::new();
    for chunk in chunks {
        match &chunk.v {
            Chunk::Normal(s) => text.push_str(s),
            Chunk::Verbatim(s) => {
                text.push('{');
                text.push_str(s);
                text.push('}');
            }
            Chunk::Math(s) => {
                text.push('$');
                text.push_str(s);
                text.push('$');
            }
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn person_name(person: &biblatex::Person) -> String {
    let family = [person.prefix.as_str(), person.name.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match (person.given_name.is_empty(), person.suffix.is_empty()) {
        (true, _) => family,
        (false, true) => format!("{family}, {}", person.given_name),
        (false, false) => format!("{family}, {}, {}", person.suffix, person.given_name),
    }
}

fn month_number(text: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.trim().to_ascii_lowercase();
    lower
        .parse::<u8>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .or_else(|| {
            NAMES
                .iter()
                .position(|n| lower.starts_with(n))
                .map(|i| i as u8 + 1)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_inproceedings_entry_with_protected_case() {
        let bib = r#"@inproceedings{frostig2018compiling,
  title = {Compiling machine learning programs via high-level tracing with {JAX}},
  author = {Frostig, Roy and Johnson, Matthew James and Leary, Chris},
  booktitle = {Systems for Machine Learning (SysML)},
  year = {2018},
}"#;
        let papers = parse(bib).unwrap();
        let (span, paper) = &papers[0];
        assert_eq!(&bib[span.clone()], "frostig2018compiling");
        assert_eq!(
            paper.title,
            "Compiling machine learning programs via high-level tracing with {JAX}"
        );
        assert_eq!(
            paper.authors,
            ["Frostig, Roy", "Johnson, Matthew James", "Leary, Chris"]
        );
        assert_eq!((paper.year, paper.kind), (2018, PaperKind::Paper));
    }

    #[test]
    fn missing_fields_and_syntax_errors_are_located() {
        let problems = parse("@article{nokey,\n  title = {T},\n}").unwrap_err();
        assert_eq!(
            problems[0],
            (9, "entry `nokey`: has no `author` field".to_string())
        );
        let problems = parse("@article{x,\n  title = {T").unwrap_err();
        assert!(problems[0].1.starts_with("invalid BibTeX"), "{problems:?}");
    }
}
