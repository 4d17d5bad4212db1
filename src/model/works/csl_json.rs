//! CSL-JSON, as Zotero, Mendeley and Pandoc export it, into hayagriva entries.
//!
//! hayagriva 0.10.1 can render CSL-JSON items directly, but has no conversion
//! into its [`Entry`], the one model every other path of this tool uses; so the
//! mapping is ours. It is the inverse of how hayagriva reads CSL variables off
//! an entry (`csl/taxonomy.rs`, `Entry::get_container`): each CSL type becomes
//! the entry and parent shape that hayagriva reports as that type, and each
//! variable lands where hayagriva looks for it. The conformance test
//! (`tests/conformance.rs`) measures the result against citeproc-js.

use std::path::Path;
use std::str::FromStr;

use hayagriva::Entry;
use hayagriva::types::{
    ChunkKind, ChunkedString, Date, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, PersonRole, PersonsWithRoles, Publisher, QualifiedUrl,
};
use serde_json::{Map, Value};

use super::{Origin, Work};
use crate::diagnostics::{Diagnostic, LineIndex};

/// Where the container's fields go, by CSL type: the entry's type, and its
/// container's type if it has one.
fn shape(csl_type: &str) -> (EntryType, Option<EntryType>) {
    use EntryType::*;
    match csl_type {
        "article-journal" | "article-magazine" | "review" | "review-book" => {
            (Article, Some(Periodical))
        }
        "article-newspaper" => (Article, Some(Newspaper)),
        "paper-conference" => (Article, Some(Proceedings)),
        "chapter" => (Chapter, Some(Book)),
        // The work of reference is a `Book` container; an empty `Reference`
        // parent is added in `to_entry` (see there).
        "entry-encyclopedia" | "entry-dictionary" | "entry" => (Anthos, Some(Book)),
        // hayagriva reads `Post > Blog` as both `post-weblog` and `post`, so
        // APA's `post` branch adds "[Online post]"; `Article > Blog` is
        // `post-weblog` only, and the blog is still the container.
        "post-weblog" => (Article, Some(Blog)),
        "post" => (Post, None),
        "webpage" => (Web, Some(Web)),
        "book" | "classic" => (Book, None),
        "collection" => (Anthology, None),
        "periodical" => (Periodical, None),
        "report" => (Report, None),
        "thesis" => (Thesis, None),
        "manuscript" | "article" => (
            if csl_type == "manuscript" {
                Manuscript
            } else {
                Article
            },
            None,
        ),
        "software" => (Repository, None),
        "patent" => (Patent, None),
        "legislation" | "bill" | "regulation" | "treaty" => (Legislation, None),
        "legal_case" => (Case, None),
        "motion_picture" | "broadcast" => (Video, None),
        "song" => (Audio, None),
        "graphic" | "figure" => (Artwork, None),
        "event" => (Exhibition, None),
        // hayagriva has no shape that styles print as a dataset, speech,
        // standard, map, pamphlet, interview or personal communication: these
        // render as a generic document ("misc").
        _ => (Misc, None),
    }
}

/// Reads a CSL-JSON file: an array of items (or one item). Each item must have an `id`.
pub(super) fn read(path: &Path, text: &str) -> (Vec<Work>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let items: Vec<&serde_json::value::RawValue> = match serde_json::from_str(text) {
        Ok(items) => items,
        Err(array_error) => match serde_json::from_str::<&serde_json::value::RawValue>(text) {
            // One item on its own, as some tools export a single reference.
            Ok(item) if item.get().trim_start().starts_with('{') => vec![item],
            _ => {
                problems.push(
                    Diagnostic::error_at(
                        path,
                        text,
                        json_offset(text, &array_error),
                        format!("invalid CSL-JSON: {array_error}"),
                    )
                    .with_hint("a CSL-JSON file is an array of items: [{\"id\": \"key\", \"type\": \"book\", …}]"),
                );
                return (Vec::new(), problems);
            }
        },
    };
    let lines = LineIndex::new(text);
    let mut works = Vec::with_capacity(items.len());
    for raw in items {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let object: Map<String, Value> = match serde_json::from_str(raw.get()) {
            Ok(object) => object,
            Err(error) => {
                problems.push(Diagnostic::error_at(
                    path,
                    text,
                    offset,
                    format!("a CSL-JSON item must be an object: {error}"),
                ));
                continue;
            }
        };
        let id = match object.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                let title = object.get("title").and_then(Value::as_str).unwrap_or("");
                let what = if title.is_empty() {
                    "a CSL-JSON item".to_owned()
                } else {
                    format!("the CSL-JSON item \"{title}\"")
                };
                problems.push(
                    Diagnostic::error_at(path, text, offset, format!("{what} has no `id`"))
                        .with_hint("every item needs an `id`, its citation key; Zotero writes one when exporting"),
                );
                continue;
            }
        };
        let mut warnings = Vec::new();
        let entry = to_entry(&id, &object, &mut warnings);
        for warning in warnings {
            problems.push(
                Diagnostic::error_at(path, text, offset, format!("item `{id}`: {warning}"))
                    .into_warning(),
            );
        }
        let mut work = Work::new(entry);
        work.origin = Some(Origin::at(path, &lines, offset));
        works.push(work);
    }
    (works, problems)
}

fn json_offset(text: &str, error: &serde_json::Error) -> usize {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == error.line() {
            let col = error.column().saturating_sub(1);
            return offset + line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
        }
        offset += line.len();
    }
    offset
}

/// The hayagriva entry for one item; what cannot be read is said in `warnings`.
pub(super) fn to_entry(id: &str, item: &Map<String, Value>, warnings: &mut Vec<String>) -> Entry {
    let csl_type = item
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("document");
    let (kind, container_kind) = shape(csl_type);
    let mut entry = Entry::new(id, kind);
    let mut container = container_kind.map(|k| Entry::new(id, k));
    let text = |name: &str| -> Option<String> {
        match item.get(name)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };

    if let Some(title) = text("title") {
        entry.set_title(FormatString {
            value: rich_text(&title),
            short: text("title-short")
                .or_else(|| text("shortTitle"))
                .map(|s| Box::new(rich_text(&s))),
        });
    }
    let mut names = |variable: &str| -> Option<Vec<Person>> {
        let list = item.get(variable)?.as_array()?;
        let people: Vec<Person> = list.iter().filter_map(|n| person(n, warnings)).collect();
        (!people.is_empty()).then_some(people)
    };
    let authors = names("author");
    let editors = names("editor");
    let container_authors = names("container-author");
    let translators = names("translator");
    let collection_editors = names("collection-editor");
    let original_authors = names("original-author");
    if let Some(authors) = authors {
        entry.set_authors(authors);
    }
    if let Some(translators) = translators {
        entry.set_affiliated(vec![PersonsWithRoles::new(
            translators,
            PersonRole::Translator,
        )]);
    }

    let mut warn_date = |name: &str| -> Option<Date> {
        let value = item.get(name)?;
        let date = date(value);
        if date.is_none() {
            warnings.push(format!(
                "cannot read the date `{name}`: {value}; it is ignored"
            ));
        }
        date
    };
    if let Some(issued) = warn_date("issued") {
        entry.set_date(issued);
    }
    let original_date = warn_date("original-date");
    let accessed = warn_date("accessed");
    let event_date = warn_date("event-date");

    if let Some(url) = text("URL") {
        match QualifiedUrl::from_str(&url) {
            Ok(mut url) => {
                url.visit_date = accessed;
                entry.set_url(url);
            }
            Err(_) => warnings.push(format!("`URL` is not a URL: {url}")),
        }
    }
    if let Some(doi) = text("DOI") {
        entry.set_doi(doi);
    }
    if let Some(isbn) = text("ISBN") {
        entry.set_isbn(isbn);
    }
    if let Some(issn) = text("ISSN") {
        entry.set_issn(issn);
    }
    if let Some(v) = text("PMID") {
        entry.set_pmid(v);
    }
    if let Some(v) = text("PMCID") {
        entry.set_pmcid(v);
    }
    if let Some(page) = text("page") {
        entry.set_page_range(pages(&page));
    }
    if let Some(n) = text("number-of-pages").and_then(|n| Numeric::from_str(&n).ok()) {
        entry.set_page_total(n);
    }
    if let Some(genre) = text("genre") {
        entry.set_genre(format_string(&genre));
    }
    if let Some(note) = text("note") {
        entry.set_note(format_string(&note));
    }
    if let Some(v) = text("abstract") {
        entry.set_abstract_(format_string(&v));
    }
    if let Some(v) = text("archive") {
        entry.set_archive(format_string(&v));
    }
    if let Some(v) = text("archive_location") {
        entry.set_archive_location(format_string(&v));
    }
    if let Some(v) = text("call-number") {
        entry.set_call_number(format_string(&v));
    }
    if let Some(language) = text("language").and_then(|l| l.parse().ok()) {
        entry.set_language(language);
    }
    if let Some(version) = text("version") {
        entry.set_keyed_serial_number("version", version);
    }
    // CSL's `number` is the item's own number: an article number ("e0264981";
    // the issue is `issue`), a report's or patent's number. hayagriva reads
    // it from the `serial` serial number whatever the type.
    if let Some(number) = text("number") {
        entry.set_keyed_serial_number("serial", number);
    }
    if let Some(n) = text("number-of-volumes").and_then(|n| Numeric::from_str(&n).ok()) {
        entry.set_volume_total(n);
    }
    if let Some(chapter) = text("chapter-number") {
        entry.set_chapter(numeric(&chapter));
    }
    if let Some(authority) = text("authority") {
        entry.set_organization(format_string(&authority));
    }

    // Where the container's variables belong.
    let has_container = container.is_some();
    let holder = container.as_mut().unwrap_or(&mut entry);
    // A type without a container shape (legislation, a report) keeps its own
    // title; hayagriva has nowhere to read a container title from for it.
    if let Some(title) =
        text("container-title").filter(|_| has_container || holder.title().is_none())
    {
        holder.set_title(FormatString {
            value: rich_text(&title),
            short: text("container-title-short")
                .or_else(|| text("journalAbbreviation"))
                .map(|s| Box::new(rich_text(&s))),
        });
    }
    if let Some(volume) = text("volume") {
        holder.set_volume(numeric(&volume));
    }
    if let Some(issue) = text("issue") {
        holder.set_issue(numeric(&issue));
    }
    if let Some(edition) = text("edition") {
        holder.set_edition(numeric(&edition));
    }
    if let Some(editors) = editors {
        holder.set_editors(editors);
    }
    if let Some(container_authors) = container_authors {
        holder.set_authors(container_authors);
    }
    let publisher = text("publisher").map(|p| format_string(&p));
    let place = text("publisher-place").map(|p| format_string(&p));
    if publisher.is_some() || place.is_some() {
        holder.set_publisher(Publisher::new(publisher, place));
    }
    if let Some(series) = text("collection-title") {
        let series_kind = match holder.entry_type() {
            EntryType::Book | EntryType::Proceedings | EntryType::Periodical => {
                *holder.entry_type()
            }
            _ => EntryType::Anthology,
        };
        let mut parent = Entry::new(id, series_kind);
        parent.set_title(format_string(&series));
        if let Some(number) = text("collection-number") {
            parent.set_volume(numeric(&number));
        }
        if let Some(editors) = collection_editors {
            parent.set_editors(editors);
        }
        let mut parents = holder.parents().to_vec();
        parents.push(parent);
        holder.set_parents(parents);
    }
    let event = text("event-title").or_else(|| text("event"));
    if event.is_some() || event_date.is_some() || text("event-place").is_some() {
        let mut conference = Entry::new(id, EntryType::Conference);
        if let Some(event) = event {
            conference.set_title(format_string(&event));
        }
        if let Some(place) = text("event-place") {
            conference.set_location(format_string(&place));
        }
        if let Some(date) = event_date {
            conference.set_date(date);
        }
        let mut parents = entry.parents().to_vec();
        parents.push(conference);
        entry.set_parents(parents);
    }
    // hayagriva reads `original-date` (and `original-title`, `original-author`,
    // `original-publisher`) from a parent of type `Original`.
    let original_title = text("original-title");
    let original_publisher = text("original-publisher").map(|p| format_string(&p));
    let original_place = text("original-publisher-place").map(|p| format_string(&p));
    if original_date.is_some()
        || original_title.is_some()
        || original_authors.is_some()
        || original_publisher.is_some()
        || original_place.is_some()
    {
        let mut original = Entry::new(id, EntryType::Original);
        if let Some(date) = original_date {
            original.set_date(date);
        }
        if let Some(title) = original_title {
            original.set_title(format_string(&title));
        }
        if let Some(authors) = original_authors {
            original.set_authors(authors);
        }
        if original_publisher.is_some() || original_place.is_some() {
            original.set_publisher(Publisher::new(original_publisher, original_place));
        }
        let mut parents = entry.parents().to_vec();
        parents.push(original);
        entry.set_parents(parents);
    }
    if let Some(container) = container {
        let mut parents = vec![container];
        if matches!(
            csl_type,
            "entry-encyclopedia" | "entry-dictionary" | "entry"
        ) {
            // hayagriva reads an entry with a `Reference` parent as
            // `entry-encyclopedia`, but also takes that parent's title as
            // `volume-title`, so APA printed "In Wikipedia: Wikipedia" and an
            // `Entry`'s container is not read at all. The title, editors and
            // publisher sit on a `Book`, the container hayagriva looks for
            // first; an `Anthos` in a `Book` is not `chapter`; an empty
            // `Reference` parent keeps the type `entry-encyclopedia`.
            parents.push(Entry::new(id, EntryType::Reference));
        }
        parents.extend(entry.parents().iter().cloned());
        entry.set_parents(parents);
    }
    entry
}

/// A CSL name: `{"family", "given", "non-dropping-particle", "dropping-particle",
/// "suffix"}` or `{"literal"}`.
fn person(value: &Value, warnings: &mut Vec<String>) -> Option<Person> {
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let literal = field("literal").or_else(|| {
        // A family name alone, as some exports write organisations.
        (field("given").is_none() && field("non-dropping-particle").is_none())
            .then(|| field("family"))
            .flatten()
    });
    if let Some(literal) = literal {
        return Some(Person {
            name: literal,
            given_name: None,
            prefix: None,
            suffix: field("suffix"),
            comma_suffix: false,
            alias: None,
        });
    }
    let Some(family) = field("family") else {
        warnings.push(format!(
            "a name has neither `family` nor `literal`: {value}"
        ));
        return None;
    };
    // A non-dropping particle stays with the family name; hayagriva finds it there.
    let name = match field("non-dropping-particle") {
        Some(particle) => format!("{particle} {family}"),
        None => family,
    };
    Some(Person {
        name,
        given_name: field("given"),
        prefix: field("dropping-particle"),
        suffix: field("suffix"),
        comma_suffix: value
            .get("comma-suffix")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        alias: None,
    })
}

/// `{"date-parts": [[2020, 3, 1]]}`, `{"raw": "2020-03-01"}` or a string.
/// hayagriva's dates have no ranges; a range keeps its start.
fn date(value: &Value) -> Option<Date> {
    let from_parts = |parts: &Value| -> Option<Date> {
        let first = parts.as_array()?.first()?.as_array()?;
        let number = |i: usize| -> Option<i64> {
            first.get(i).and_then(|v| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
        };
        let year = i32::try_from(number(0)?).ok()?;
        let month = number(1)
            .and_then(|m| u8::try_from(m).ok())
            .filter(|m| (1..=12).contains(m));
        let day = number(2)
            .and_then(|d| u8::try_from(d).ok())
            .filter(|d| (1..=31).contains(d));
        Some(Date {
            year,
            month: month.map(|m| m - 1),
            day: month.and(day).map(|d| d - 1),
            approximate: false,
            season: None,
        })
    };
    match value {
        Value::Object(object) => {
            let approximate = object
                .get("circa")
                .is_some_and(|c| c.as_bool().unwrap_or(true));
            let mut date = object
                .get("date-parts")
                .and_then(from_parts)
                .or_else(|| object.get("raw").and_then(Value::as_str).and_then(raw_date))
                .or_else(|| {
                    object
                        .get("literal")
                        .and_then(Value::as_str)
                        .and_then(raw_date)
                })?;
            date.approximate = approximate;
            Some(date)
        }
        Value::String(s) => raw_date(s),
        Value::Number(n) => raw_date(&n.to_string()),
        _ => None,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a range `YYYY/YYYY` keeps its start).
fn raw_date(text: &str) -> Option<Date> {
    let text = text.trim().split('/').next()?.trim();
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.trim().parse().ok()?;
    let month: Option<u8> = match parts.next() {
        Some(m) => Some(m.trim().parse().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day: Option<u8> = match parts.next() {
        Some(d) => Some(d.trim().parse().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some(Date {
        year,
        month: month.map(|m| m - 1),
        day: day.map(|d| d - 1),
        approximate: false,
        season: None,
    })
}

fn numeric(text: &str) -> MaybeTyped<Numeric> {
    Numeric::from_str(text)
        .map(MaybeTyped::Typed)
        .unwrap_or_else(|_| MaybeTyped::String(text.to_owned()))
}

fn pages(text: &str) -> MaybeTyped<PageRanges> {
    let text = text.replace("--", "-").replace('–', "-");
    PageRanges::from_str(&text)
        .map(MaybeTyped::Typed)
        .unwrap_or(MaybeTyped::String(text))
}

fn format_string(text: &str) -> FormatString {
    FormatString {
        value: rich_text(text),
        short: None,
    }
}

/// CSL-JSON's rich text: `<span class="nocase">…</span>` keeps its case, other
/// tags (`<i>`, `<b>`, `<sup>`, `<sc>`) are dropped with their text kept.
fn rich_text(text: &str) -> ChunkedString {
    let mut out = ChunkedString::new();
    let mut nocase_depth = 0usize;
    let mut span_stack: Vec<bool> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let kind = if nocase_depth > 0 {
            ChunkKind::Verbatim
        } else {
            ChunkKind::Normal
        };
        out.push_str(&html_unescape(&rest[..open]), kind);
        let lower = tag.trim().to_ascii_lowercase();
        if lower.starts_with("span") {
            let nocase = lower.contains("nocase");
            span_stack.push(nocase);
            if nocase {
                nocase_depth += 1;
            }
        } else if lower == "/span" && span_stack.pop() == Some(true) {
            nocase_depth = nocase_depth.saturating_sub(1);
        }
        rest = &rest[open + close + 1..];
    }
    let kind = if nocase_depth > 0 {
        ChunkKind::Verbatim
    } else {
        ChunkKind::Normal
    };
    out.push_str(&html_unescape(rest), kind);
    out
}

fn html_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str) -> Entry {
        let item: Map<String, Value> = serde_json::from_str(json).unwrap();
        let mut warnings = Vec::new();
        let entry = to_entry("k", &item, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        entry
    }

    #[test]
    fn a_journal_article_puts_its_journal_volume_and_issue_on_the_container() {
        let e = entry(
            r#"{"type": "article-journal", "title": "Deep learning", "container-title": "Nature",
                "volume": "521", "issue": "7553", "page": "436-444",
                "author": [{"family": "LeCun", "given": "Yann"}], "issued": {"date-parts": [[2015, 5, 28]]}}"#,
        );
        assert_eq!(e.entry_type(), &EntryType::Article);
        let journal = &e.parents()[0];
        assert_eq!(journal.entry_type(), &EntryType::Periodical);
        assert_eq!(journal.title().unwrap().value.to_string(), "Nature");
        assert_eq!(journal.issue().unwrap().to_string(), "7553");
        let date = e.date().unwrap();
        assert_eq!((date.year, date.month, date.day), (2015, Some(4), Some(27)));
    }

    #[test]
    fn an_article_number_is_the_serial_number_and_the_issue_stays() {
        let e = entry(
            r#"{"type": "article-journal", "title": "T", "container-title": "PLOS ONE",
                "volume": "17", "issue": "3", "number": "e0264981"}"#,
        );
        assert_eq!(e.serial_number().unwrap().0["serial"], "e0264981");
        assert_eq!(e.parents()[0].issue().unwrap().to_string(), "3");
    }

    #[test]
    fn original_date_lives_on_an_original_parent_and_volumes_are_counted() {
        let e = entry(
            r#"{"type": "book", "title": "T", "number-of-volumes": "4",
                "issued": {"date-parts": [[1996]]}, "original-date": {"date-parts": [[1993]]}}"#,
        );
        let original = &e.parents()[0];
        assert_eq!(original.entry_type(), &EntryType::Original);
        assert_eq!(original.date().unwrap().year, 1993);
        assert_eq!(e.volume_total().unwrap().to_string(), "4");
    }

    #[test]
    fn a_blog_post_is_an_article_in_a_blog_and_legislation_keeps_its_title() {
        let e = entry(r#"{"type": "post-weblog", "title": "T", "container-title": "B"}"#);
        assert_eq!(e.entry_type(), &EntryType::Article);
        assert_eq!(e.parents()[0].entry_type(), &EntryType::Blog);
        let e = entry(
            r#"{"type": "legislation", "title": "Regulation", "container-title": "Official Journal"}"#,
        );
        assert_eq!(e.title().unwrap().value.to_string(), "Regulation");
    }

    #[test]
    fn an_encyclopedia_entry_has_its_work_as_a_book_and_an_empty_reference() {
        let e = entry(
            r#"{"type": "entry-encyclopedia", "title": "Backpropagation", "container-title": "Encyclopedia",
                "editor": [{"family": "Webb", "given": "G."}], "publisher": "Springer"}"#,
        );
        assert_eq!(e.entry_type(), &EntryType::Anthos);
        let kinds: Vec<_> = e.parents().iter().map(|p| *p.entry_type()).collect();
        assert_eq!(kinds, [EntryType::Book, EntryType::Reference]);
        assert_eq!(
            e.parents()[0].title().unwrap().value.to_string(),
            "Encyclopedia"
        );
        assert!(e.parents()[0].editors().is_some());
        assert!(e.parents()[1].title().is_none());
    }

    #[test]
    fn names_keep_particles_suffixes_and_literals() {
        let e = entry(
            r#"{"type": "book", "title": "T", "author": [
                {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                {"family": "Doe", "given": "John", "suffix": "Jr."},
                {"literal": "Google Research"}]}"#,
        );
        let authors = e.authors().unwrap();
        assert_eq!(authors[0].name, "van Beethoven");
        assert_eq!(authors[1].suffix.as_deref(), Some("Jr."));
        assert_eq!(
            (authors[2].name.as_str(), authors[2].given_name.as_deref()),
            ("Google Research", None)
        );
    }

    #[test]
    fn nocase_spans_keep_their_case() {
        let chunks =
            rich_text(r#"Learning with <span class="nocase">PyTorch</span> and <i>GPUs</i>"#);
        let kinds: Vec<(String, ChunkKind)> =
            chunks.0.into_iter().map(|c| (c.value, c.kind)).collect();
        assert_eq!(kinds[1], ("PyTorch".to_owned(), ChunkKind::Verbatim));
        assert_eq!(
            kinds.iter().map(|k| k.0.as_str()).collect::<String>(),
            "Learning with PyTorch and GPUs"
        );
    }

    #[test]
    fn items_without_id_and_bad_json_are_located() {
        let (works, problems) = read(
            Path::new("z.json"),
            "[\n {\"id\": \"a\", \"type\": \"book\", \"title\": \"A\"},\n {\"type\": \"book\", \"title\": \"No id\"}\n]",
        );
        assert_eq!(works.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "z.json:3:2: error: the CSL-JSON item \"No id\" has no `id`; every item needs an `id`, its citation key; Zotero writes one when exporting"
        );
        let (_, problems) = read(Path::new("z.json"), "[\n {\"id\": \"a\",,}\n]");
        assert!(
            problems[0].to_string().starts_with("z.json:2:"),
            "{problems:?}"
        );
    }
}
