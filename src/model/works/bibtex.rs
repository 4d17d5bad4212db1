//! `.bib` files: parsed by the `biblatex` crate, converted by hayagriva.
//!
//! The crate stops at the first problem of a file; a book with a 2,000-entry
//! export needs all of them at once, so a broken entry is reported, set aside
//! and the rest parsed again. Fields are then cleaned of LaTeX (see `latex`),
//! and hayagriva's conversion is corrected where it loses what styles print.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use biblatex::{Bibliography, Chunk, RawBibliography, Spanned};
use hayagriva::Entry;
use hayagriva::types::{EntryType, Person, Publisher};

use super::{Origin, Work, latex};
use crate::diagnostics::{Diagnostic, LineIndex};

/// Fields that hold an address, not text: escapes are undone, nothing is recased.
const ADDRESS_FIELDS: &[&str] = &["url", "doi"];

/// What BibTeX's standard styles require of each entry type (btxdoc §3.1),
/// with BibLaTeX's names for the same fields as alternatives.
const REQUIRED: &[(&str, &[&[&str]])] = &[
    (
        "article",
        &[
            &["author"],
            &["title"],
            &["journal", "journaltitle"],
            &["year", "date"],
        ],
    ),
    (
        "book",
        &[
            &["author", "editor"],
            &["title"],
            &["publisher"],
            &["year", "date"],
        ],
    ),
    (
        "inbook",
        &[
            &["author", "editor"],
            &["title"],
            &["publisher"],
            &["year", "date"],
        ],
    ),
    (
        "incollection",
        &[
            &["author"],
            &["title"],
            &["booktitle"],
            &["publisher"],
            &["year", "date"],
        ],
    ),
    (
        "inproceedings",
        &[&["author"], &["title"], &["booktitle"], &["year", "date"]],
    ),
    (
        "conference",
        &[&["author"], &["title"], &["booktitle"], &["year", "date"]],
    ),
    (
        "phdthesis",
        &[
            &["author"],
            &["title"],
            &["school", "institution"],
            &["year", "date"],
        ],
    ),
    (
        "mastersthesis",
        &[
            &["author"],
            &["title"],
            &["school", "institution"],
            &["year", "date"],
        ],
    ),
    (
        "techreport",
        &[&["author"], &["title"], &["institution"], &["year", "date"]],
    ),
    ("unpublished", &[&["author"], &["title"]]),
    ("proceedings", &[&["title"], &["year", "date"]]),
    ("manual", &[&["title"]]),
];

/// Words that say a work has no date (`year = {n.d.}`): the same as no year.
const NO_DATE: &[&str] = &["n.d.", "n. d.", "nd", "n.d", "no date", "undated"];

/// Reads a `.bib` file. Errors for entries that are lost; warnings for fields
/// that were dropped or repaired.
pub(super) fn read(path: &Path, text: &str) -> (Vec<Work>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let source = blank_braceless_comments(text);
    // The text is parsed once when it has no syntax error, the usual case (the
    // built-in works are read on every run).
    let works = match RawBibliography::parse(&source) {
        Ok(raw) => read_raw(path, text, raw, &mut problems),
        Err(first) => {
            let recovered = recover(path, text, source, first, &mut problems);
            match RawBibliography::parse(&recovered) {
                Ok(raw) => read_raw(path, text, raw, &mut problems),
                // Recovery leaves a text that parses; this is a safety net only.
                Err(error) => {
                    problems.push(Diagnostic::error_at(
                        path,
                        text,
                        error.span.start,
                        format!("invalid BibTeX: {}", error.kind),
                    ));
                    Vec::new()
                }
            }
        }
    };
    (works, problems)
}

/// The works of a parsed file (`text` is the file as written, for positions).
fn read_raw(
    path: &Path,
    text: &str,
    raw: RawBibliography<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Work> {
    let key_offsets: HashMap<String, usize> = raw
        .entries
        .iter()
        .map(|e| (e.v.key.v.to_owned(), e.v.key.span.start))
        .collect();
    let bibliography = resolve_with_recovery(path, text, raw, problems);
    let lines = LineIndex::new(text);

    let mut works = Vec::with_capacity(bibliography.len());
    for tex in bibliography.iter() {
        let offset = key_offsets.get(&tex.key).copied().unwrap_or(0);
        let mut tex = tex.clone();
        if tex.key.trim().is_empty() {
            problems.push(
                Diagnostic::error_at(path, text, offset, "an entry has no citation key")
                    .with_hint("write `@type{key,` with a key such as `smith2020`"),
            );
            continue;
        }
        clean_fields(&mut tex);
        let entry = convert(path, text, &mut tex, problems);
        let missing = missing_fields(&tex);
        let mut work = Work::new(entry);
        work.origin = Some(Origin::at(path, &lines, offset));
        work.missing = missing;
        work.bibtex = Some(tex);
        works.push(work);
    }
    works
}

/// Blanks each entry that does not parse, starting from the `first` error,
/// until the text parses; every blanked entry is an error. Byte offsets are
/// kept, so positions still point into the user's file.
fn recover(
    path: &Path,
    text: &str,
    mut source: String,
    first: biblatex::ParseError,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let mut next_error = Some(first);
    for _ in 0..=text.matches('@').count() {
        let Some(error) = next_error.take() else {
            return source;
        };
        let at = error.span.start.min(source.len());
        let start = entry_start(&source, at);
        let end = next_entry_start(&source, start + 1);
        let key = entry_key(&source[start..end]);
        let name = key
            .as_ref()
            .map_or_else(|| "an entry".to_owned(), |key| format!("entry `{key}`"));
        // Noticed only in the next entry (unclosed braces): point at the broken
        // entry's field whose braces do not close, else at the entry.
        let unclosed = (at >= end)
            .then(|| unclosed_field(&source[start..end]))
            .flatten();
        let at = match &unclosed {
            Some((offset, _)) => start + offset,
            None if at >= end => start,
            None => at,
        };
        let hint = match &unclosed {
            Some((_, field)) => format!("the braces of `{field}` do not close"),
            None => "check the braces, quotes and commas of this entry".to_owned(),
        };
        let mut problem = Diagnostic::error_at(
            path,
            text,
            at,
            format!(
                "invalid BibTeX in {name}: {}; the entry is skipped",
                error.kind
            ),
        )
        .with_hint(hint);
        if let Some(key) = key {
            problem = problem.with_skipped_work(key);
        }
        problems.push(problem);
        blank(&mut source, start..end);
        next_error = RawBibliography::parse(&source).err();
    }
    source
}

/// Resolves macros and cross-references; an entry whose fields fail (an
/// undefined `@string`, a malformed command, a duplicate key) is reported and
/// left out, and the others resolved again.
fn resolve_with_recovery(
    path: &Path,
    text: &str,
    mut raw: RawBibliography<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Bibliography {
    for _ in 0..=raw.entries.len() {
        let error = match Bibliography::from_raw(raw.clone()) {
            Ok(bibliography) => return bibliography,
            Err(error) => error,
        };
        let at = error.span.start;
        // A duplicate key's span is the second entry's; anything else lies in a field.
        let index = raw
            .entries
            .iter()
            .rposition(|e| e.span.start <= at && at <= e.span.end.max(e.span.start));
        let Some(index) = index else {
            problems.push(Diagnostic::error_at(
                path,
                text,
                at,
                format!("invalid BibTeX: {}", error.kind),
            ));
            return Bibliography::new();
        };
        let entry = raw.entries.remove(index);
        let (message, hint) = match &error.kind {
            biblatex::ParseErrorKind::DuplicateKey(key) => (
                format!("duplicate citation key `{key}`; this entry is skipped"),
                "give each entry its own key",
            ),
            other => (
                format!("entry `{}`: {other}; the entry is skipped", entry.v.key.v),
                "define every `@string` before use and close every LaTeX command",
            ),
        };
        let duplicate = matches!(error.kind, biblatex::ParseErrorKind::DuplicateKey(_));
        let at = if duplicate {
            entry.v.key.span.start
        } else {
            at
        };
        let problem = Diagnostic::error_at(path, text, at, message).with_hint(hint);
        // A duplicate's first entry is loaded under its key.
        problems.push(if duplicate {
            problem
        } else {
            problem.with_skipped_work(entry.v.key.v.to_owned())
        });
    }
    Bibliography::new()
}

/// BibTeX ignores `@comment` up to the end of its line when no brace follows
/// (JabRef and old exports write such lines); the crate wants braces.
fn blank_braceless_comments(text: &str) -> String {
    let mut source = text.to_owned();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("@comment") {
        let at = from + found;
        let rest = &lower[at + "@comment".len()..];
        let next = rest.trim_start_matches([' ', '\t']).chars().next();
        if !matches!(next, Some('{' | '(')) {
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            blank(&mut source, at..end);
        }
        from = at + "@comment".len();
    }
    source
}

/// Replaces a byte range by spaces (newlines kept), so offsets do not move.
fn blank(source: &mut String, range: Range<usize>) {
    let replaced: String = source[range.clone()]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    source.replace_range(range, &replaced);
}

/// The start of the entry around byte `at`: the last line beginning with `@`
/// before it (an entry whose braces do not close runs into the next one, whose
/// `@` is where the crate notices).
fn entry_start(source: &str, at: usize) -> usize {
    let at = floor_char_boundary(source, at);
    let mut start = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if offset + indent >= at {
            break;
        }
        if line.trim_start().starts_with('@') {
            start = Some(offset + indent);
        }
        offset += line.len();
    }
    start.unwrap_or_else(|| source[at..].find('@').map_or(at, |i| i + at))
}

/// The start of the first line after `from` that begins with `@`, or the end.
fn next_entry_start(source: &str, from: usize) -> usize {
    let from = floor_char_boundary(source, from.min(source.len()));
    let mut offset = from;
    for line in source[from..].split_inclusive('\n') {
        if offset > from && line.trim_start().starts_with('@') {
            return offset;
        }
        offset += line.len();
    }
    source.len()
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first field of an entry's text (one field to a line, as every tool
/// writes them) whose `{` outnumber its `}` before the next field or the end:
/// its offset in `entry` and its name.
fn unclosed_field(entry: &str) -> Option<(usize, String)> {
    let mut fields = Vec::new();
    let mut offset = 0;
    for line in entry.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let name: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
            .collect();
        if !name.is_empty() && trimmed[name.len()..].trim_start().starts_with('=') {
            fields.push((offset + line.len() - trimmed.len(), name));
        }
        offset += line.len();
    }
    let ends = fields
        .iter()
        .skip(1)
        .map(|(at, _)| *at)
        .chain([entry.len()]);
    for ((at, name), end) in fields.iter().zip(ends) {
        let mut depth = 0i32;
        let mut escaped = false;
        for c in entry[*at..end].chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if depth > 0 {
            return Some((*at, name.clone()));
        }
    }
    None
}

/// The key of an entry's text, if it has one.
fn entry_key(entry: &str) -> Option<String> {
    let head = entry.split(['{', '(']).nth(1).unwrap_or_default();
    let key = head
        .split([',', '\n', '}'])
        .next()
        .unwrap_or_default()
        .trim();
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_owned())
}

/// Resolves LaTeX in every field, and moves a `\url{…}` that is a whole
/// `howpublished` (how Google Scholar and many hand-written files give a web
/// page) into `url`.
fn clean_fields(tex: &mut biblatex::Entry) {
    let names: Vec<String> = tex.fields.keys().cloned().collect();
    for name in names {
        let Some(chunks) = tex.fields.get_mut(&name) else {
            continue;
        };
        if ADDRESS_FIELDS.contains(&name.as_str()) {
            let raw: String = chunks.iter().map(|c| c.v.get()).collect();
            let span = chunks
                .first()
                .map(|c| c.span.start..chunks.last().map_or(c.span.end, |l| l.span.end))
                .unwrap_or(0..0);
            *chunks = vec![Spanned::new(
                Chunk::Verbatim(latex::unescape_address(&raw)),
                span,
            )];
            continue;
        }
        let raw: String = chunks.iter().map(|c| c.v.get()).collect();
        if name == "howpublished"
            && let Some(address) = latex::url_command(&raw)
        {
            let address = latex::unescape_address(address);
            let span = chunks.first().map_or(0..0, |c| c.span.clone());
            let rest = raw
                .replace(
                    &format!("\\url{{{}}}", latex::url_command(&raw).unwrap_or("")),
                    "",
                )
                .trim()
                .to_owned();
            if !tex.fields.contains_key("url") {
                tex.fields.insert(
                    "url".into(),
                    vec![Spanned::new(Chunk::Verbatim(address), span.clone())],
                );
            }
            if rest.is_empty() {
                tex.fields.remove("howpublished");
            } else {
                tex.fields.insert(
                    "howpublished".into(),
                    vec![Spanned::new(
                        Chunk::Normal(latex::text_commands(&rest)),
                        span,
                    )],
                );
            }
            continue;
        }
        latex::clean_chunks(chunks);
    }
    for field in ["year", "date"] {
        let no_date = tex.fields.get(field).is_some_and(|chunks| {
            let text: String = chunks.iter().map(|c| c.v.get()).collect();
            NO_DATE.contains(&text.trim().to_ascii_lowercase().as_str())
        });
        if no_date {
            tex.fields.remove(field);
        }
    }
}

/// hayagriva's conversion, retried without a field whose value it cannot read
/// (a `date` of `2019/20`, a `month` of `Spring`), which becomes a warning;
/// then corrected where it loses what styles print.
fn convert(
    path: &Path,
    text: &str,
    tex: &mut biblatex::Entry,
    problems: &mut Vec<Diagnostic>,
) -> Entry {
    let mut dropped: Vec<String> = Vec::new();
    // A date the crate cannot type comes through as untyped text, which
    // hayagriva drops without a word, and it hides a good `year`.
    for field in ["date", "urldate", "eventdate", "origdate"] {
        let readable = match field {
            "date" => tex
                .date()
                .map(|d| matches!(d, biblatex::PermissiveType::Typed(_))),
            "urldate" => tex
                .url_date()
                .map(|d| matches!(d, biblatex::PermissiveType::Typed(_))),
            "eventdate" => tex
                .event_date()
                .map(|d| matches!(d, biblatex::PermissiveType::Typed(_))),
            _ => tex
                .orig_date()
                .map(|d| matches!(d, biblatex::PermissiveType::Typed(_))),
        };
        if !matches!(
            readable,
            Ok(false) | Err(biblatex::RetrievalError::TypeError(_))
        ) {
            continue;
        }
        let Some(chunks) = tex.fields.get(field) else {
            continue;
        };
        let at = chunks.first().map_or(0, |c| c.span.start);
        problems.push(dropped_field(path, text, tex, field, at, None));
        tex.fields.remove(field);
    }
    let entry = loop {
        match Entry::try_from(&*tex) {
            Ok(entry) => break entry,
            Err(error) => {
                let field = tex
                    .fields
                    .iter()
                    .find(|(_, chunks)| {
                        chunks.iter().any(|c| {
                            c.span.start <= error.span.start && error.span.end <= c.span.end
                        })
                    })
                    .map(|(name, _)| name.clone())
                    .or_else(|| {
                        // A date made of `year` and `month`: drop the month, keep the year.
                        ["month", "date", "year", "urldate", "eventdate", "origdate"]
                            .into_iter()
                            .find(|f| {
                                tex.fields.contains_key(*f) && !dropped.iter().any(|d| d == f)
                            })
                            .map(str::to_owned)
                    });
                let Some(field) = field else {
                    problems.push(Diagnostic::error_at(
                        path,
                        text,
                        error.span.start,
                        format!("entry `{}`: {}", tex.key, error.kind),
                    ));
                    break Entry::new(&tex.key, EntryType::Misc);
                };
                let at = tex
                    .fields
                    .get(&field)
                    .and_then(|c| c.first())
                    .map_or(error.span.start, |c| c.span.start);
                let reason = error.kind.to_string();
                problems.push(dropped_field(path, text, tex, &field, at, Some(&reason)));
                tex.fields.remove(&field);
                dropped.push(field);
            }
        }
    };
    repair(tex, entry)
}

/// Corrections to hayagriva 0.10.1's BibLaTeX conversion (`src/interop.rs`),
/// each for something a style would otherwise print wrong or drop.
fn repair(tex: &biblatex::Entry, mut entry: Entry) -> Entry {
    let kind = tex.entry_type.to_string().to_ascii_lowercase();
    // `@software` becomes `Misc`, which no style prints as software; hayagriva's
    // software type is `Repository` (CSL `software`).
    if kind == "software" {
        entry = super::retype(&entry, EntryType::Repository);
        if entry.publisher().is_none()
            && let Some(organisation) = entry.organization().cloned()
        {
            entry.set_publisher(Publisher::new(Some(organisation), None));
        }
    }
    // A thesis's school and a report's institution become `organization`, but
    // CSL styles print them as the `publisher` ("[Doctoral dissertation, Example
    // University]"), which hayagriva reads from `publisher` only.
    if matches!(entry.entry_type(), EntryType::Thesis | EntryType::Report)
        && entry.publisher().is_none()
        && let Some(organisation) = entry.organization().cloned()
    {
        entry.set_publisher(Publisher::new(Some(organisation), None));
    }
    // A web page's site (`organization`) is the container CSL styles print
    // ("PyTorch documentation"); hayagriva reads a page's container only from a
    // parent entry, which its conversion of `@online` never makes.
    if entry.entry_type() == &EntryType::Web
        && entry.parents().is_empty()
        && let Some(site) = entry.organization().cloned()
    {
        let mut parent = Entry::new(entry.key(), EntryType::Web);
        parent.set_title(site);
        entry.set_parents(vec![parent]);
    }
    // `number` beside `series` is the volume's number in the series (CSL
    // `collection-number`), which hayagriva reads from the series parent; its
    // conversion makes it the work's `issue` ("Issue 12").
    if tex.fields.contains_key("series")
        && matches!(
            entry.entry_type(),
            EntryType::Book | EntryType::Report | EntryType::Proceedings
        )
        && let Some(number) = entry.issue().cloned()
    {
        let mut parents = entry.parents().to_vec();
        if let Some(series) = parents.iter_mut().find(|p| p.volume().is_none()) {
            series.set_volume(number);
            let mut without = super::retype(&entry, *entry.entry_type());
            without.set_parents(parents);
            entry = without_issue(&without);
        }
    }
    // BibTeX's "von" part is a non-dropping particle for CSL ("von Raumer, J." in
    // APA, sorted under V), as citeproc-js and Pandoc read it; hayagriva's
    // `prefix` is the dropping kind, printed after the given name.
    let fold = |people: &[Person]| -> Vec<Person> {
        people
            .iter()
            .map(|p| match &p.prefix {
                Some(prefix) => Person {
                    name: format!("{prefix} {}", p.name),
                    prefix: None,
                    ..p.clone()
                },
                None => p.clone(),
            })
            .collect()
    };
    if let Some(authors) = entry.authors().map(fold) {
        entry.set_authors(authors);
    }
    if let Some(editors) = entry.editors().map(fold) {
        entry.set_editors(editors);
    }
    entry
}

/// The warning for a field the entry is read without, at byte `at` of the file.
fn dropped_field(
    path: &Path,
    text: &str,
    tex: &biblatex::Entry,
    field: &str,
    at: usize,
    reason: Option<&str>,
) -> Diagnostic {
    let value: String = tex
        .fields
        .get(field)
        .map(|c| c.iter().map(|c| c.v.get()).collect())
        .unwrap_or_default();
    let reason = reason.map(|r| format!(" ({r})")).unwrap_or_default();
    let kept = if field == "date" && tex.fields.contains_key("year") {
        "; the `year` field is used instead"
    } else {
        ""
    };
    Diagnostic::error_at(
        path,
        text,
        at,
        format!(
            "entry `{}`: cannot read `{field} = {{{value}}}`{reason}; the field is ignored{kept}",
            tex.key
        ),
    )
    .into_warning()
    .with_hint("dates are written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`")
}

/// The entry without its `issue`.
fn without_issue(entry: &Entry) -> Entry {
    super::edited(entry, |fields| {
        fields.remove("issue");
    })
}

/// BibTeX's required fields that the entry lacks, for its type.
fn missing_fields(tex: &biblatex::Entry) -> Vec<&'static str> {
    let kind = tex.entry_type.to_string().to_ascii_lowercase();
    let Some((_, groups)) = REQUIRED.iter().find(|(k, _)| *k == kind) else {
        return Vec::new();
    };
    groups
        .iter()
        .filter(|alternatives| !alternatives.iter().any(|f| tex.fields.contains_key(*f)))
        .map(|alternatives| alternatives[0])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> Vec<Work> {
        let (works, problems) = read(Path::new("r.bib"), text);
        assert!(problems.is_empty(), "{problems:?}");
        works
    }

    #[test]
    fn a_broken_entry_hides_no_other_problem() {
        let text = "@article{a, title = {A}, author = {X, Y}, journal = {J}, year = 2020}\n\
                    @article{b, title = {B, author = {X, Y}}\n\
                    @article{c, title = {C}, author = {X, Y}, journal = {J}, year = {2021}}\n\
                    @article{a, title = {A again}}\n\
                    @misc{d, title = {D \\undefined}, note = undefinedmacro}\n\
                    @misc{e, title = {E}}\n";
        let (works, problems) = read(Path::new("r.bib"), text);
        let keys: Vec<&str> = works.iter().map(Work::key).collect();
        assert_eq!(keys, ["a", "c", "e"], "{problems:?}");
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].starts_with("r.bib:2:"), "{messages:#?}");
        assert!(messages[0].contains("entry `b`"), "{messages:#?}");
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("r.bib:4:10: error: duplicate citation key `a`"))
        );
        assert!(
            messages.iter().any(|m| m.contains("entry `d`")),
            "{messages:#?}"
        );
    }

    #[test]
    fn braceless_comments_and_text_between_entries_are_ignored() {
        let works = read_ok(
            "This file was exported.\n@Comment jabref-meta: databaseType:bibtex;\n\
             @comment{a {braced} comment}\n@misc{x, title = {X}}\n",
        );
        assert_eq!(works.len(), 1);
    }

    #[test]
    fn n_d_is_no_date_and_a_bad_date_beside_a_year_is_a_warning() {
        let works = read_ok("@misc{x, title = {X}, year = {n.d.}}");
        assert_eq!(works[0].year(), None);
        let (works, problems) = read(
            Path::new("r.bib"),
            "@misc{x, title = {X}, date = {2019/20xx}, year = {2019}}",
        );
        assert_eq!(works[0].year(), Some(2019));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, crate::diagnostics::Severity::Warning);
        assert!(
            problems[0]
                .message
                .contains("the `year` field is used instead")
        );
    }

    #[test]
    fn thesis_school_becomes_the_publisher_and_particles_the_family_name() {
        let works = read_ok(
            "@phdthesis{t, title = {T}, author = {von Raumer, Johann}, school = {Example University}, year = 2018}",
        );
        let entry = &works[0].entry;
        assert_eq!(
            entry
                .publisher()
                .and_then(|p| p.name())
                .map(|n| n.value.to_string()),
            Some("Example University".to_owned())
        );
        assert_eq!(entry.authors().unwrap()[0].name, "von Raumer");
    }

    #[test]
    fn required_fields_are_listed_at_once() {
        let works = read_ok("@article{x, title = {X}}");
        assert_eq!(works[0].missing, ["author", "journal", "year"]);
    }

    /// The `day` field that some tools write (the biblatex crate's own BibTeX
    /// export among them) reaches the date: the crate reads `year`, `month` and
    /// `day` when there is no `date`.
    #[test]
    fn a_day_field_joins_year_and_month_in_the_date() {
        let works = read_ok(
            "@misc{a, title = {A}, year = {2022}, month = mar, day = {4}}\n\
             @misc{b, title = {B}, year = {2023}, month = {01}, day = {02}}\n\
             @misc{c, title = {C}, year = {2024}, day = {5}}",
        );
        let day = |i: usize| {
            let d = works[i].entry.date().expect("a date");
            (d.year, d.month, d.day)
        };
        // hayagriva counts months and days from 0.
        assert_eq!(day(0), (2022, Some(2), Some(3)));
        assert_eq!(day(1), (2023, Some(0), Some(1)));
        // No month: the day means nothing alone.
        assert_eq!(day(2), (2024, None, None));
    }

    #[test]
    fn an_unclosed_field_is_located_at_the_field() {
        let text = "@article{a,\n  title = {A},\n  volume = {521,\n  number = {7553},\n  year = {2015}\n}\n\
                    @article{b, title = {B}, journal = {J}, author = {X, Y}, year = 2020}\n";
        let (works, problems) = read(Path::new("r.bib"), text);
        assert_eq!(works.iter().map(|w| w.key()).collect::<Vec<_>>(), ["b"]);
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            shown[0].starts_with("r.bib:3:3: error: invalid BibTeX in entry `a`")
                && shown[0].contains("the braces of `volume` do not close"),
            "{shown:#?}"
        );
    }
}
