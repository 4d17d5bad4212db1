//! Maps a [`Paper`] to a hayagriva [`Entry`].
//!
//! The entry types and parents are chosen for what APA and IEEE print, not for
//! what BibTeX would call the work (see the tests for the rendered results).

use std::str::FromStr;

use hayagriva::Entry;
use hayagriva::types::{
    ChunkKind, ChunkedString, Date, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, Publisher, QualifiedUrl,
};

use crate::model::{Paper, PaperKind, PartialDate};

/// Parses a title whose `{Braced}` parts keep their case: braced text becomes a
/// verbatim chunk, which hayagriva's title and sentence casing leave alone.
/// Words with a capital after their first letter (`PyTorch`, `NumPy`, `GPU`)
/// are protected too, so venues and unbraced titles keep them.
pub(crate) fn chunked(text: &str) -> ChunkedString {
    let mut out = ChunkedString::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut ChunkedString| {
        if word.is_empty() {
            return;
        }
        let kind = if word.chars().skip(1).any(char::is_uppercase) {
            ChunkKind::Verbatim
        } else {
            ChunkKind::Normal
        };
        out.push_str(word, kind);
        word.clear();
    };
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => {
                flush(&mut word, &mut out);
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => out.push_char(c, ChunkKind::Verbatim),
            _ if c.is_alphanumeric() => word.push(c),
            _ => {
                flush(&mut word, &mut out);
                out.push_char(c, ChunkKind::Normal);
            }
        }
    }
    flush(&mut word, &mut out);
    hug_verbatim(out)
}

/// hayagriva 0.10.1 trims the whitespace of a normal chunk next to a verbatim
/// one when it changes case ("the {PyTorch} docs" became "ThePyTorchDocs"), so
/// that whitespace is moved into the verbatim chunks.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "via", "vs", "with",
];

fn hug_verbatim(chunks: ChunkedString) -> ChunkedString {
    let mut chunks = chunks.0;
    for i in 0..chunks.len() {
        if chunks[i].kind != ChunkKind::Normal {
            continue;
        }
        if i > 0 && chunks[i - 1].kind == ChunkKind::Verbatim {
            let text = &chunks[i].value;
            let lead = text.len() - text.trim_start().len();
            let moved: String = chunks[i].value.drain(..lead).collect();
            chunks[i - 1].value.push_str(&moved);
        }
        if i + 1 < chunks.len() && chunks[i + 1].kind == ChunkKind::Verbatim {
            let mut keep = chunks[i].value.trim_end().len();
            // Title casing capitalises the last word before a verbatim chunk as
            // if it ended the title ("Workshop On PyTorch"); keep small words as written.
            let head = &chunks[i].value[..keep];
            let last_word = head.rsplit(' ').next().unwrap_or_default();
            if (i > 0 || last_word.len() < head.len()) && SMALL_WORDS.contains(&last_word) {
                keep = head[..keep - last_word.len()].trim_end().len();
            }
            let moved: String = chunks[i].value.drain(keep..).collect();
            chunks[i + 1].value.insert_str(0, &moved);
        }
    }
    let mut out = ChunkedString::new();
    for chunk in chunks {
        out.push_str(&chunk.value, chunk.kind);
    }
    out
}

fn format_string(text: &str) -> FormatString {
    FormatString {
        value: chunked(text),
        short: None,
    }
}

/// `Family, Given` becomes a person; a name without a comma is an organisation,
/// kept whole so that no word is taken for a given name or a particle.
pub(crate) fn person(name: &str) -> Person {
    let literal = || Person {
        name: name.trim().to_string(),
        given_name: None,
        prefix: None,
        suffix: None,
        comma_suffix: false,
        alias: None,
    };
    if !name.contains(',') {
        return literal();
    }
    Person::from_strings(name.split(',').collect()).unwrap_or_else(|_| literal())
}

fn persons(names: &[String]) -> Vec<Person> {
    names.iter().map(|n| person(n)).collect()
}

fn date(year: i32, month: Option<u8>, day: Option<u8>) -> Date {
    // hayagriva counts months and days from zero.
    Date {
        year,
        month: month.map(|m| m - 1),
        day: day.map(|d| d - 1),
        approximate: false,
        season: None,
    }
}

fn accessed(d: &PartialDate) -> Date {
    date(d.year, d.month, d.day)
}

fn numeric(text: &str) -> MaybeTyped<Numeric> {
    Numeric::from_str(text)
        .map(MaybeTyped::Typed)
        .unwrap_or_else(|_| MaybeTyped::String(text.to_string()))
}

fn pages(text: &str) -> MaybeTyped<PageRanges> {
    // BibTeX writes ranges with `--`; hayagriva's parser wants one dash.
    let text = text.replace("--", "-");
    PageRanges::from_str(&text)
        .map(MaybeTyped::Typed)
        .unwrap_or(MaybeTyped::String(text))
}

fn url(paper: &Paper) -> Option<QualifiedUrl> {
    let address = match (&paper.url, &paper.arxiv, &paper.doi) {
        (Some(u), _, _) => u.clone(),
        // A preprint without a DOI is found through its arXiv page.
        (None, Some(a), None) => format!("https://arxiv.org/abs/{a}"),
        _ => return None,
    };
    let mut url = QualifiedUrl::from_str(&address).ok()?;
    url.visit_date = paper.accessed.as_ref().map(accessed);
    Some(url)
}

/// Builds the hayagriva entry for a paper.
pub(crate) fn to_entry(paper: &Paper) -> Entry {
    let venue_parent = |kind: EntryType| {
        paper.venue.as_ref().map(|v| {
            let mut parent = Entry::new(&format!("{}-venue", paper.key), kind);
            parent.set_title(format_string(v));
            parent
        })
    };
    let is_proceedings =
        paper.venue.is_some() && (!paper.editors.is_empty() || paper.publisher.is_some());

    let (kind, mut parent) = match paper.kind {
        // A venue with a volume but no editors or publisher is a journal.
        PaperKind::Paper if paper.venue.is_some() && paper.volume.is_some() && !is_proceedings => {
            (EntryType::Article, venue_parent(EntryType::Periodical))
        }
        // Proceedings are an edited book holding the paper as a chapter: APA then
        // prints "In H. Wallach ... (Eds.), *Advances ...* (pp. 8024–8035). Curran",
        // where hayagriva's article-in-proceedings repeats the proceedings title.
        PaperKind::Paper if paper.venue.is_some() => {
            (EntryType::Chapter, venue_parent(EntryType::Book))
        }
        // arXiv-only: a manuscript, so styles print it as a preprint with its
        // link instead of inventing a journal.
        PaperKind::Paper => (EntryType::Article, None),
        PaperKind::Whitepaper => (EntryType::Report, None),
        PaperKind::Software => (EntryType::Repository, None),
        PaperKind::Documentation => (EntryType::Web, venue_parent(EntryType::Web)),
    };

    let mut entry = Entry::new(&paper.key, kind);
    entry.set_title(format_string(&paper.title));
    if !paper.authors.is_empty() {
        entry.set_authors(persons(&paper.authors));
    }
    entry.set_date(date(paper.year, paper.month, None));
    if let Some(p) = &paper.pages {
        entry.set_page_range(pages(p));
    }
    if let Some(d) = &paper.doi {
        entry.set_doi(d.clone());
    }
    if let Some(a) = &paper.arxiv {
        entry.set_keyed_serial_number("arxiv", a.clone());
    }
    if let Some(u) = url(paper) {
        entry.set_url(u);
    }

    // Editors, publisher and volume describe the container when there is one.
    let holder = parent.as_mut().unwrap_or(&mut entry);
    if !paper.editors.is_empty() {
        holder.set_editors(persons(&paper.editors));
    }
    if let Some(p) = &paper.publisher {
        holder.set_publisher(Publisher::new(Some(format_string(p)), None));
    }
    if let Some(v) = &paper.volume {
        holder.set_volume(numeric(v));
    }
    if paper.venue.is_some() && parent.is_none() {
        // Whitepapers and software name their venue as the publishing body.
        if entry.publisher().is_none() {
            let venue = paper.venue.as_deref().unwrap_or_default();
            entry.set_publisher(Publisher::new(Some(format_string(venue)), None));
        }
    }
    if let Some(p) = parent {
        entry.set_parents(vec![p]);
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, ChunkKind)> {
        chunked(text)
            .0
            .into_iter()
            .map(|c| (c.value, c.kind))
            .collect()
    }

    #[test]
    fn braces_and_inner_capitals_are_verbatim() {
        use ChunkKind::{Normal, Verbatim};
        assert_eq!(
            kinds("{PyTorch}: an imperative style"),
            [
                ("PyTorch".into(), Verbatim),
                (": an imperative style".into(), Normal)
            ]
        );
        // Whitespace and a small word before a verbatim chunk move into it.
        assert_eq!(
            kinds("Workshop on NumPy arrays"),
            [
                ("Workshop".into(), Normal),
                (" on NumPy ".into(), Verbatim),
                ("arrays".into(), Normal)
            ]
        );
        assert_eq!(kinds("Large-Scale"), [("Large-Scale".into(), Normal)]);
    }

    #[test]
    fn title_case_keeps_protected_words_and_spaces() {
        use hayagriva::lang::TitleCase;
        let title = |t: &str| chunked(t).format_title_case(TitleCase::default());
        assert_eq!(title("the {PyTorch} docs"), "The PyTorch Docs");
        assert_eq!(title("PyTorch documentation"), "PyTorch Documentation");
        assert_eq!(
            title("{JAX}: composable transformations of {Python}+{NumPy} programs"),
            "JAX: Composable Transformations of Python+NumPy Programs"
        );
    }

    #[test]
    fn names_parse_people_and_organisations() {
        let p = person("d'Alché-Buc, F.");
        assert_eq!(
            (p.name.as_str(), p.given_name.as_deref()),
            ("d'Alché-Buc", Some("F."))
        );
        let org = person("Google Brain");
        assert_eq!((org.name.as_str(), org.given_name), ("Google Brain", None));
    }

    #[test]
    fn kinds_map_to_entry_types() {
        let mut p = Paper {
            key: "k".into(),
            kind: PaperKind::Paper,
            title: "T".into(),
            authors: vec!["Doe, Jane".into()],
            editors: vec![],
            year: 2020,
            month: Some(3),
            venue: None,
            publisher: None,
            volume: None,
            pages: Some("1--2".into()),
            arxiv: Some("2001.00001".into()),
            doi: None,
            url: None,
            accessed: None,
        };
        let e = to_entry(&p);
        assert_eq!(e.entry_type(), &EntryType::Article);
        assert_eq!(
            e.url().unwrap().value.as_str(),
            "https://arxiv.org/abs/2001.00001"
        );
        assert_eq!(e.date().unwrap().month, Some(2));
        p.venue = Some("NeurIPS".into());
        p.publisher = Some("Curran".into());
        let e = to_entry(&p);
        assert_eq!(e.entry_type(), &EntryType::Chapter);
        assert_eq!(e.parents()[0].entry_type(), &EntryType::Book);
        assert!(e.parents()[0].publisher().is_some());
        p.publisher = None;
        p.volume = Some("21".into());
        assert_eq!(
            to_entry(&p).parents()[0].entry_type(),
            &EntryType::Periodical
        );
        p.kind = PaperKind::Whitepaper;
        assert_eq!(to_entry(&p).entry_type(), &EntryType::Report);
        p.kind = PaperKind::Software;
        assert_eq!(to_entry(&p).entry_type(), &EntryType::Repository);
        p.kind = PaperKind::Documentation;
        assert_eq!(to_entry(&p).entry_type(), &EntryType::Web);
    }
}
