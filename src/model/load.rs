//! Loading and validating data files into a [`Model`].
//!
//! Every file goes through two steps: parsing (TOML with spans, so every later
//! problem can point at `file:line:col`), then resolution across all files at once,
//! so a book's file may name built-in ids and the other way round.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::marker::PhantomData;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, IntoDeserializer};
use toml::Spanned;

use super::Model;
use super::types::*;
use super::works::{self, Work, WorkFormat};
use crate::diagnostics::{Diagnostic, LineStarts, Severity, did_you_mean, line_col_in, one_of};

/// A data file as the user named it, with its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path shown in diagnostics.
    pub path: PathBuf,
    /// The file's content.
    pub text: String,
    /// Where `text`'s lines start: every claim and fact records its position.
    line_starts: LineStarts,
}

/// A book-local record that replaced one of the base model: the claims of a
/// cell, or a work with the same key (Google Scholar's key for the PyTorch
/// paper is the built-in one, `paszke2019pytorch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// What was replaced: "claim for `pytorch` × `debugging`" or "work `KEY`".
    pub subject: String,
    /// Where the replacing record is, as `file:line:col`.
    pub location: String,
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: note: overrides the built-in {}",
            self.location, self.subject
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    frameworks: Vec<RawFramework>,
    #[serde(default)]
    dimensions: Vec<RawDimension>,
    #[serde(default)]
    claims: Vec<RawClaim>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

type Text = Spanned<String>;

/// A `checked` value: a string or a TOML local date, both `YYYY-MM-DD`.
type CheckedText = Spanned<toml::Value>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFramework {
    id: Text,
    name: String,
    organisation: Spanned<RawFact<String>>,
    first_release: Spanned<RawFact<String>>,
    first_release_version: Option<Spanned<RawFact<String>>>,
    languages: Spanned<RawFact<Vec<String>>>,
    license: Spanned<RawFact<String>>,
    status: Spanned<RawFact<String>>,
    status_note: Option<Spanned<RawFact<String>>>,
    summary: Option<Spanned<RawFact<String>>>,
    #[serde(default)]
    papers: Vec<Text>,
    homepage: Option<String>,
    repository: Option<String>,
    sources: Option<Spanned<Vec<RawSource>>>,
    checked: Option<CheckedText>,
}

/// A fact field of a framework: its value alone (`license = "MIT"`, supported by
/// the record's `sources`), or a table with its own sources and check
/// (`license = { value = "MIT", sources = [...], checked = "2026-11-30" }`).
enum RawFact<T> {
    Plain(T),
    Sourced(RawSourcedFact<T>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSourcedFact<T> {
    value: Spanned<T>,
    sources: Option<Spanned<Vec<RawSource>>>,
    checked: Option<CheckedText>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for RawFact<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for Visitor<T> {
            type Value = RawFact<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a value, or a table `{ value = ..., sources = [...], checked = \"YYYY-MM-DD\" }`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(RawFact::Plain)
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(RawFact::Plain)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawSourcedFact::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawFact::Sourced)
            }
        }
        deserializer.deserialize_any(Visitor(PhantomData))
    }
}

/// A fact field taken apart: its value and where it is, and what supports it.
struct FactParts<T> {
    value: T,
    value_span: Range<usize>,
    field_start: usize,
    sources: Option<Spanned<Vec<RawSource>>>,
    checked: Option<CheckedText>,
}

fn fact_parts<T>(raw: Spanned<RawFact<T>>) -> FactParts<T> {
    let field_span = raw.span();
    match raw.into_inner() {
        RawFact::Plain(value) => FactParts {
            value,
            value_span: field_span.clone(),
            field_start: field_span.start,
            sources: None,
            checked: None,
        },
        RawFact::Sourced(table) => FactParts {
            value_span: table.value.span(),
            value: table.value.into_inner(),
            field_start: field_span.start,
            sources: table.sources,
            checked: table.checked,
        },
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDimension {
    id: Text,
    label: String,
    description: String,
    group: String,
    #[serde(default)]
    default: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawClaim {
    framework: Text,
    dimension: Text,
    value: String,
    versions: Option<Text>,
    note: Option<String>,
    sources: Spanned<Vec<RawSource>>,
    checked: Option<CheckedText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    work: Text,
    page: Option<Text>,
    section: Option<Text>,
    chapter: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEvent {
    date: Text,
    framework: Option<Text>,
    label: String,
    sources: Spanned<Vec<RawSource>>,
}

/// Where a record came from, so that cross-file problems point at the right file.
#[derive(Clone, Copy)]
struct Origin {
    file: usize,
}

/// Builds a [`Model`] from a base model and data files, collecting every problem.
#[derive(Default)]
pub struct ModelBuilder {
    base: Arc<Model>,
    files: Vec<DataFile>,
    frameworks: Vec<(Origin, RawFramework)>,
    dimensions: Vec<(Origin, RawDimension)>,
    claims: Vec<(Origin, RawClaim)>,
    works: Vec<Work>,
    events: Vec<(Origin, RawEvent)>,
    problems: Vec<Diagnostic>,
}

impl ModelBuilder {
    /// Starts from an empty model.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts from an existing model (usually [`Model::builtin`]); claims added later
    /// for one of its cells replace that cell's claims.
    pub fn on_top_of(base: impl Into<Arc<Model>>) -> Self {
        ModelBuilder {
            base: base.into(),
            ..Self::default()
        }
    }

    /// Adds a TOML data file in the schema of `src/model/SCHEMA.md`.
    pub fn add_toml(&mut self, path: &Path, text: &str) {
        let origin = self.push_file(path, text);
        match toml::from_str::<RawFile>(text) {
            Ok(raw) => {
                let origin = Origin { file: origin };
                self.frameworks
                    .extend(raw.frameworks.into_iter().map(|r| (origin, r)));
                self.dimensions
                    .extend(raw.dimensions.into_iter().map(|r| (origin, r)));
                self.claims
                    .extend(raw.claims.into_iter().map(|r| (origin, r)));
                self.events
                    .extend(raw.events.into_iter().map(|r| (origin, r)));
            }
            Err(error) => {
                let offset = error.span().map_or(0, |s| s.start);
                let message = error.message().trim().replace('\n', " ");
                let mut problem = Diagnostic::error_at(path, text, offset, message);
                if error.message().contains("unknown field `papers`") {
                    problem = problem.with_hint(
                        "works are bibliography entries now: move them to a .bib, .yaml or .json file listed in `data` (SCHEMA.md)",
                    );
                } else if error.message().contains("unknown field") {
                    problem =
                        problem.with_hint("the fields are listed in the data schema (SCHEMA.md)");
                }
                self.problems.push(problem);
            }
        }
    }

    /// Adds a bibliography file of works: BibTeX/BibLaTeX (`.bib`), hayagriva
    /// YAML (`.yaml`, `.yml`) or CSL-JSON (`.json`), chosen by the extension.
    /// A path with another extension is read as BibTeX.
    pub fn add_works(&mut self, path: &Path, text: &str) {
        let format = WorkFormat::of_path(path).unwrap_or(WorkFormat::BibTeX);
        let (works, problems) = works::read(format, path, text);
        self.works.extend(works);
        self.problems.extend(problems);
    }

    /// Validates everything added; returns the model and the built-in records
    /// that book-local ones replaced, or every problem found (warnings included).
    pub fn build(self) -> Result<(Model, Vec<Override>), Vec<Diagnostic>> {
        let (model, overrides, problems) = self.build_partial();
        if problems.iter().any(|p| p.severity == Severity::Error) {
            Err(problems)
        } else {
            Ok((model, overrides))
        }
    }

    /// Validates everything added, keeping what is valid: the model of every
    /// record that passed (a source naming a work that failed to load is left
    /// out of its claim), the replaced built-in records, and every problem, so
    /// that a book's chapters can still be checked against what did load.
    pub fn build_partial(mut self) -> (Model, Vec<Override>, Vec<Diagnostic>) {
        let base = Arc::clone(&self.base);
        let mut frameworks = base.frameworks.clone();
        let mut dimensions = base.dimensions.clone();
        let mut works = base.works.clone();
        let mut events = base.events.clone();

        let mut framework_ids: HashSet<String> = frameworks.iter().map(|f| f.id.clone()).collect();
        let mut dimension_ids: HashSet<String> = dimensions.iter().map(|d| d.id.clone()).collect();
        let base_works: HashMap<String, usize> = works
            .iter()
            .enumerate()
            .map(|(i, w)| (w.key().to_owned(), i))
            .collect();
        let mut overrides = Vec::new();

        // Ids first, so that references can be resolved whatever the order of files.
        // A work may replace a built-in one with its key; within the added files,
        // a key is defined once.
        let mut added_keys: HashMap<String, String> = HashMap::new();
        for work in std::mem::take(&mut self.works) {
            let key = work.key().to_owned();
            let here = work
                .origin
                .as_ref()
                .map_or_else(|| "?".to_owned(), ToString::to_string);
            if let Some(first) = added_keys.get(&key) {
                let message =
                    format!("duplicate citation key `{key}`; it is first defined at {first}");
                let problem = match &work.origin {
                    Some(origin) => origin.error(message),
                    None => Diagnostic::error_in_file(Path::new("<data>"), message),
                };
                self.problems
                    .push(problem.with_hint("give each work its own key"));
                continue;
            }
            added_keys.insert(key.clone(), here.clone());
            match base_works.get(&key) {
                Some(&i) => {
                    works[i] = work;
                    overrides.push(Override {
                        subject: format!("work `{key}`"),
                        location: here,
                    });
                }
                None => works.push(work),
            }
        }
        let work_keys: HashSet<String> = works.iter().map(|w| w.key().to_owned()).collect();
        let mut raw_frameworks = Vec::new();
        for (origin, raw) in std::mem::take(&mut self.frameworks) {
            if self.check_id_syntax(origin, &raw.id)
                && self.check_new_id(origin, &raw.id, &mut framework_ids, "framework")
            {
                raw_frameworks.push((origin, raw));
            }
        }
        for (origin, raw) in std::mem::take(&mut self.dimensions) {
            if self.check_id_syntax(origin, &raw.id)
                && self.check_new_id(origin, &raw.id, &mut dimension_ids, "dimension")
            {
                dimensions.push(Dimension {
                    id: raw.id.into_inner(),
                    label: raw.label,
                    description: raw.description,
                    group: raw.group,
                    default: raw.default,
                });
            }
        }
        let known_papers: HashSet<&str> = work_keys.iter().map(String::as_str).collect();

        for (origin, raw) in raw_frameworks {
            if let Some(framework) = self.framework(origin, raw, &known_papers) {
                frameworks.push(framework);
            }
        }

        let mut claims = Vec::new();
        let mut overridden: HashMap<(String, String), Override> = HashMap::new();
        for (origin, raw) in std::mem::take(&mut self.claims) {
            let framework_ok = self.check_ref(origin, &raw.framework, &framework_ids, "framework");
            let dimension_ok = self.check_ref(origin, &raw.dimension, &dimension_ids, "dimension");
            let versions = raw
                .versions
                .as_ref()
                .and_then(|v| self.version_req(origin, v));
            let versions_ok = raw.versions.is_none() || versions.is_some();
            let sources = self.sources(origin, raw.sources, &known_papers, Some("a claim"));
            let checked = raw.checked.as_ref().map(|c| self.checked(origin, c));
            if !(framework_ok && dimension_ok && versions_ok) || matches!(checked, Some(None)) {
                continue;
            }
            let cell = (
                raw.framework.get_ref().clone(),
                raw.dimension.get_ref().clone(),
            );
            if base.cell_index.contains_key(&cell) {
                overridden.entry(cell.clone()).or_insert_with(|| Override {
                    subject: format!("claim for `{}` × `{}`", cell.0, cell.1),
                    location: self.location(origin, raw.framework.span().start),
                });
            }
            claims.push(Claim {
                framework: cell.0,
                dimension: cell.1,
                value: raw.value,
                versions,
                note: raw.note,
                sources,
                checked: checked.flatten(),
                at: self.position(origin, raw.framework.span().start),
            });
        }
        let mut all_claims: Vec<Claim> = base
            .claims
            .iter()
            .filter(|c| !overridden.contains_key(&(c.framework.clone(), c.dimension.clone())))
            .cloned()
            .collect();
        all_claims.extend(claims);

        for (origin, raw) in std::mem::take(&mut self.events) {
            let date = self.date(origin, raw.date.get_ref(), raw.date.span().start);
            let framework_ok = raw
                .framework
                .as_ref()
                .is_none_or(|f| self.check_ref(origin, f, &framework_ids, "framework"));
            let sources = self.sources(origin, raw.sources, &known_papers, Some("an event"));
            if let (Some(date), true) = (date, framework_ok) {
                events.push(Event {
                    date,
                    framework: raw.framework.map(Spanned::into_inner),
                    label: raw.label,
                    sources,
                });
            }
        }

        overrides.extend(overridden.into_values());
        overrides.sort_by(|a, b| a.location.cmp(&b.location));
        let mut model = Model::from_parts(frameworks, dimensions, all_claims, works, events);
        model.skipped_works = self
            .problems
            .iter()
            .filter_map(|p| {
                let key = p.skipped_work.as_ref()?;
                let origin = works::Origin {
                    file: p.file.clone(),
                    line: p.line,
                    col: p.col,
                };
                (model.work(key).is_none()).then(|| (key.clone(), origin))
            })
            .collect();
        model.incomplete = self.problems.iter().any(|p| p.severity == Severity::Error);
        (model, overrides, self.problems)
    }

    fn push_file(&mut self, path: &Path, text: &str) -> usize {
        self.files.push(DataFile {
            path: path.to_path_buf(),
            text: text.to_owned(),
            line_starts: LineStarts::of(text),
        });
        self.files.len() - 1
    }

    fn location(&self, origin: Origin, offset: usize) -> String {
        let file = &self.files[origin.file];
        let (line, col) = line_col_in(&file.text, &file.line_starts, offset);
        format!("{}:{line}:{col}", file.path.display())
    }

    fn problem_at(
        &mut self,
        origin: Origin,
        offset: usize,
        message: String,
        decorate: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        let file = &self.files[origin.file];
        let problem = decorate(Diagnostic::error_at(
            &file.path, &file.text, offset, message,
        ));
        self.problems.push(problem);
    }

    fn check_id_syntax(&mut self, origin: Origin, id: &Text) -> bool {
        let valid = id.get_ref().bytes().enumerate().all(|(i, b)| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || (i > 0 && matches!(b, b'-' | b'_' | b'.'))
        }) && !id.get_ref().is_empty();
        if !valid {
            self.problem_at(origin, id.span().start, format!("invalid id `{}`", id.get_ref()), |d| {
                d.with_hint("ids use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit")
            });
        }
        valid
    }

    /// Records a new id; a duplicate is a problem pointing at the second definition.
    fn check_new_id(
        &mut self,
        origin: Origin,
        id: &Text,
        seen: &mut HashSet<String>,
        what: &str,
    ) -> bool {
        if seen.insert(id.get_ref().clone()) {
            return true;
        }
        self.problem_at(origin, id.span().start, format!("duplicate {what} id `{}`", id.get_ref()), |d| {
            d.with_hint(format!(
                "a {what} with this id already exists (built in or in another data file); choose another id"
            ))
        });
        false
    }

    fn check_ref(
        &mut self,
        origin: Origin,
        id: &Text,
        known: &HashSet<String>,
        what: &str,
    ) -> bool {
        if known.contains(id.get_ref()) {
            return true;
        }
        let hint = did_you_mean(id.get_ref(), known.iter().map(String::as_str))
            .unwrap_or_else(|| format!("define it in a `[[{what}s]]` table first"));
        self.problem_at(
            origin,
            id.span().start,
            format!("unknown {what} `{}`", id.get_ref()),
            |d| d.with_hint(hint),
        );
        false
    }

    fn check_paper_ref(&mut self, origin: Origin, key: &Text, known: &HashSet<&str>) -> bool {
        if known.contains(key.get_ref().as_str()) {
            return true;
        }
        let hint = did_you_mean(key.get_ref(), known.iter().copied()).unwrap_or_else(|| {
            "add the work to a .bib, .yaml or .json bibliography file listed in `data`".to_owned()
        });
        self.problem_at(
            origin,
            key.span().start,
            format!("source names no known work `{}`", key.get_ref()),
            |d| d.with_hint(hint),
        );
        false
    }

    fn sources(
        &mut self,
        origin: Origin,
        raw: Spanned<Vec<RawSource>>,
        known: &HashSet<&str>,
        required_for: Option<&str>,
    ) -> Vec<Source> {
        let span_start = raw.span().start;
        let raw = raw.into_inner();
        if let (Some(what), true) = (required_for, raw.is_empty()) {
            self.problem_at(
                origin,
                span_start,
                format!("{what} needs at least one source"),
                |d| d.with_hint("add `{ work = \"KEY\" }` with the key of a paper or document"),
            );
        }
        let mut sources = Vec::with_capacity(raw.len());
        for source in raw {
            if !self.check_paper_ref(origin, &source.work, known) {
                continue;
            }
            let locators: Vec<(&str, Text)> = [
                ("page", source.page),
                ("section", source.section),
                ("chapter", source.chapter),
            ]
            .into_iter()
            .filter_map(|(kind, value)| value.map(|v| (kind, v)))
            .collect();
            if locators.len() > 1 {
                self.problem_at(
                    origin,
                    locators[1].1.span().start,
                    "a source takes at most one locator".into(),
                    |d| d.with_hint("keep one of `page`, `section` or `chapter`"),
                );
            }
            let locator = locators
                .into_iter()
                .next()
                .and_then(|(kind, value)| Locator::from_kind(kind, value.into_inner()));
            sources.push(Source {
                work: source.work.into_inner(),
                locator,
            });
        }
        sources
    }

    fn date(&mut self, origin: Origin, text: &str, offset: usize) -> Option<PartialDate> {
        let date = PartialDate::parse(text);
        if date.is_none() {
            self.problem_at(origin, offset, format!("invalid date `{text}`"), |d| {
                d.with_hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`")
            });
        }
        date
    }

    /// A `checked` value: `Some(None)` is a located problem already reported.
    fn checked(&mut self, origin: Origin, value: &CheckedText) -> Option<Checked> {
        let offset = value.span().start;
        let text = match value.get_ref() {
            toml::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        match Day::parse(&text) {
            Some(day) => Some(Checked {
                day,
                at: self.position(origin, offset),
            }),
            None => {
                self.problem_at(
                    origin,
                    offset,
                    format!("invalid check date `{text}`"),
                    |d| d.with_hint("write the day of the last check as `YYYY-MM-DD`"),
                );
                None
            }
        }
    }

    fn position(&self, origin: Origin, offset: usize) -> DataPosition {
        let file = &self.files[origin.file];
        let (line, col) = line_col_in(&file.text, &file.line_starts, offset);
        DataPosition {
            file: file.path.clone(),
            line,
            col,
        }
    }

    /// Validates a framework record and resolves each fact field's sources and check.
    fn framework(
        &mut self,
        origin: Origin,
        raw: RawFramework,
        known_papers: &HashSet<&str>,
    ) -> Option<Framework> {
        let id = raw.id.get_ref().clone();
        let record_has_sources = raw
            .sources
            .as_ref()
            .is_some_and(|s| !s.get_ref().is_empty());
        let sources = raw
            .sources
            .map(|s| self.sources(origin, s, known_papers, None))
            .unwrap_or_default();
        let record_checked = match raw.checked.as_ref().map(|c| self.checked(origin, c)) {
            Some(None) => return None,
            Some(Some(c)) => Some(c),
            None => None,
        };
        let mut provenance = Vec::new();
        let mut ok = true;
        let mut support =
            |this: &mut Self,
             field: FactField,
             parts: (usize, Option<Spanned<Vec<RawSource>>>, Option<CheckedText>)| {
                let (field_start, own, checked) = parts;
                let checked = match checked.as_ref().map(|c| this.checked(origin, c)) {
                    Some(None) => {
                        ok = false;
                        None
                    }
                    Some(Some(c)) => Some(c),
                    None => record_checked.clone(),
                };
                let (field_sources, own_sources) = match own {
                    Some(own) => (
                        this.sources(origin, own, known_papers, Some("a framework fact")),
                        true,
                    ),
                    None => {
                        if !record_has_sources {
                            ok = false;
                            this.problem_at(
                            origin,
                            field_start,
                            format!("`{}` of framework `{id}` has no source", field.key()),
                            |d| {
                                d.with_hint(format!(
                                    "write `{} = {{ value = ..., sources = [{{ work = \"KEY\" }}] }}`, or give the record `sources`",
                                    field.key()
                                ))
                            },
                        );
                        }
                        (sources.clone(), false)
                    }
                };
                provenance.push((
                    field,
                    FieldProvenance {
                        sources: field_sources,
                        own_sources,
                        checked,
                        at: this.position(origin, field_start),
                    },
                ));
            };
        macro_rules! take {
            ($field:expr, $raw:expr) => {{
                let parts = fact_parts($raw);
                support(
                    self,
                    $field,
                    (parts.field_start, parts.sources, parts.checked),
                );
                (parts.value, parts.value_span)
            }};
        }
        let (organisation, _) = take!(FactField::Organisation, raw.organisation);
        let (first_release, first_release_span) = take!(FactField::FirstRelease, raw.first_release);
        let first_release_version = raw
            .first_release_version
            .map(|v| take!(FactField::FirstReleaseVersion, v).0);
        let (languages, _) = take!(FactField::Languages, raw.languages);
        let (license, _) = take!(FactField::License, raw.license);
        let (status, status_span) = take!(FactField::Status, raw.status);
        let status_note = raw.status_note.map(|v| take!(FactField::StatusNote, v).0);
        let summary = raw.summary.map(|v| take!(FactField::Summary, v).0);

        let first_release = self.date(origin, &first_release, first_release_span.start);
        let status = match status.as_str() {
            "active" => Some(Status::Active),
            "maintenance" => Some(Status::Maintenance),
            "discontinued" => Some(Status::Discontinued),
            other => {
                let names = ["active", "maintenance", "discontinued"];
                self.problem_at(
                    origin,
                    status_span.start,
                    format!("unknown status `{other}`"),
                    |d| d.with_hint(format!("use {}", one_of(names))),
                );
                None
            }
        };
        let papers: Vec<String> = raw
            .papers
            .into_iter()
            .filter(|key| self.check_paper_ref(origin, key, known_papers))
            .map(Spanned::into_inner)
            .collect();
        let (Some(first_release), Some(status), true) = (first_release, status, ok) else {
            return None;
        };
        Some(Framework {
            id,
            name: raw.name,
            organisation,
            first_release,
            first_release_version,
            languages,
            license,
            status,
            status_note,
            summary,
            papers,
            homepage: raw.homepage,
            repository: raw.repository,
            sources,
            provenance,
        })
    }

    fn version_req(&mut self, origin: Origin, text: &Text) -> Option<semver::VersionReq> {
        match semver::VersionReq::parse(text.get_ref()) {
            Ok(req) => Some(req),
            Err(error) => {
                self.problem_at(
                    origin,
                    text.span().start,
                    format!("invalid version range `{}`: {error}", text.get_ref()),
                    |d| {
                        d.with_hint("write a semver requirement such as `<2`, `>=2` or `>=1.5, <2`")
                    },
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(files: &[(&str, &str)]) -> Result<(Model, Vec<Override>), Vec<String>> {
        let mut builder = ModelBuilder::on_top_of(Model::builtin().clone());
        for (path, text) in files {
            if path.ends_with(".bib") {
                builder.add_works(Path::new(path), text);
            } else {
                builder.add_toml(Path::new(path), text);
            }
        }
        builder
            .build()
            .map_err(|problems| problems.iter().map(ToString::to_string).collect())
    }

    const JAX: &str = r#"
[[frameworks]]
id = "jax"
name = "JAX"
organisation = "Google"
first-release = "2018-12"
languages = ["Python"]
license = "Apache-2.0"
status = "active"
sources = [{ work = "paszke2019pytorch" }]

[[claims]]
framework = "jax"
dimension = "execution-model"
value = "Traced, compiled with XLA"
sources = [{ work = "paszke2019pytorch", page = "3" }]
"#;

    #[test]
    fn book_data_adds_a_framework_with_claims() {
        let (model, overrides) = build(&[("data/jax.toml", JAX)]).unwrap();
        assert_eq!(model.framework("jax").unwrap().name, "JAX");
        let claim = model.claims_for("jax", "execution-model").next().unwrap();
        assert_eq!(claim.sources[0].locator, Some(Locator::Page("3".into())));
        assert!(overrides.is_empty());
    }

    #[test]
    fn a_book_claim_overrides_the_builtin_cell_and_is_reported() {
        let text = "[[claims]]\nframework = \"theano\"\ndimension = \"debugging\"\nvalue = \"Hard\"\nsources = [{ work = \"bergstra2010theano\" }]\n";
        let (model, overrides) = build(&[("d.toml", text)]).unwrap();
        let values: Vec<&str> = model
            .claims_for("theano", "debugging")
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(values, ["Hard"]);
        assert_eq!(
            overrides[0].to_string(),
            "d.toml:2:13: note: overrides the built-in claim for `theano` × `debugging`"
        );
    }

    const SOURCED: &str = r#"
[[frameworks]]
id = "jax"
name = "JAX"
organisation = "Google"
first-release = { value = "2018-12", sources = [{ work = "bradbury2018jax", section = "README" }], checked = "2026-11-30" }
first-release-version = { value = "0.1", sources = [{ work = "paszke2019pytorch", page = "2" }] }
languages = ["Python"]
license = { value = "Apache-2.0", sources = [{ work = "bradbury2018jax" }] }
status = "active"
sources = [{ work = "paszke2019pytorch" }]
checked = "2025-01-02"

[[claims]]
framework = "jax"
dimension = "debugging"
value = "Prints inside jit show tracers"
sources = [{ work = "bradbury2018jax" }]
checked = "2026-02-28"
"#;

    #[test]
    fn fields_carry_their_own_sources_and_checks() {
        let (model, _) = build(&[("data/jax.toml", SOURCED)]).unwrap();
        let jax = model.framework("jax").unwrap();
        let release = jax.provenance(FactField::FirstRelease).unwrap();
        assert!(release.own_sources);
        assert_eq!(release.sources[0].work, "bradbury2018jax");
        assert_eq!(
            release.sources[0].locator,
            Some(Locator::Section("README".into()))
        );
        let checked = release.checked.as_ref().unwrap();
        assert_eq!(checked.day.to_string(), "2026-11-30");
        assert_eq!(checked.at.to_string(), "data/jax.toml:6:110");
        assert_eq!(release.at.to_string(), "data/jax.toml:6:17");
        assert_eq!(jax.first_release.to_string(), "December 2018");
        assert_eq!(jax.first_release_version.as_deref(), Some("0.1"));
        // A field without its own sources or check takes the record's.
        let org = jax.provenance(FactField::Organisation).unwrap();
        assert!(!org.own_sources);
        assert_eq!(org.sources[0].work, "paszke2019pytorch");
        assert_eq!(org.checked.as_ref().unwrap().day.to_string(), "2025-01-02");
        assert_eq!(
            org.checked.as_ref().unwrap().at.to_string(),
            "data/jax.toml:12:11"
        );
        let version = jax.provenance(FactField::FirstReleaseVersion).unwrap();
        assert_eq!(version.sources[0].locator, Some(Locator::Page("2".into())));
        assert_eq!(
            version.checked.as_ref().unwrap().day.to_string(),
            "2025-01-02"
        );
        assert!(jax.provenance(FactField::Summary).is_none());
        assert_eq!(
            jax.sources_of(FactField::Summary)[0].work,
            "paszke2019pytorch"
        );
        let claim = model.claims_for("jax", "debugging").next().unwrap();
        assert_eq!(
            claim.checked.as_ref().unwrap().day.to_string(),
            "2026-02-28"
        );
        assert_eq!(claim.at.to_string(), "data/jax.toml:15:13");
    }

    #[test]
    fn a_toml_date_is_a_check_date() {
        let text = SOURCED.replace("checked = \"2025-01-02\"", "checked = 2025-01-02");
        let (model, _) = build(&[("d.toml", &text)]).unwrap();
        let org = model
            .framework("jax")
            .unwrap()
            .provenance(FactField::Organisation);
        assert_eq!(
            org.unwrap().checked.as_ref().unwrap().day.to_string(),
            "2025-01-02"
        );
    }

    #[test]
    fn a_record_without_sources_needs_them_on_every_fact() {
        let text = SOURCED.replace("sources = [{ work = \"paszke2019pytorch\" }]\n", "");
        let problems = build(&[("d.toml", &text)]).unwrap_err();
        let located: Vec<&str> = problems
            .iter()
            .map(|p| p.split(": error:").next().unwrap())
            .collect();
        // organisation, first-release-version (its own sources are kept: no),
        // languages and status lack sources.
        assert_eq!(located, ["d.toml:5:16", "d.toml:8:13", "d.toml:10:10"]);
        assert!(
            problems[0].contains("`organisation` of framework `jax` has no source; write `organisation = { value = ..., sources = [{ work = \"KEY\" }] }`, or give the record `sources`"),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_sourced_facts_are_located() {
        let cases = [
            (
                SOURCED.replace("checked = \"2026-11-30\"", "checked = \"2026-02-30\""),
                "d.toml:6:110: error: invalid check date `2026-02-30`; write the day of the last check as `YYYY-MM-DD`",
            ),
            (
                SOURCED.replace("checked = \"2026-02-28\"", "checked = \"2026-02\""),
                "d.toml:19:11: error: invalid check date `2026-02`",
            ),
            (
                SOURCED.replace("checked = \"2025-01-02\"", "checked = 2025-01-02T10:00:00"),
                "d.toml:12:11: error: invalid check date `2025-01-02T10:00:00`",
            ),
            (
                SOURCED.replace("{ value = \"2018-12\"", "{ value = \"2018-13\""),
                "d.toml:6:27: error: invalid date `2018-13`",
            ),
            (
                SOURCED.replace(
                    "{ value = \"Apache-2.0\", sources",
                    "{ value = \"Apache-2.0\", source",
                ),
                "d.toml:9:",
            ),
            (
                SOURCED.replace(
                    "{ value = \"Apache-2.0\", sources = [{ work = \"bradbury2018jax\" }] }",
                    "{ sources = [] }",
                ),
                "d.toml:9:11: error: missing field `value`",
            ),
            (
                SOURCED.replace(
                    "sources = [{ work = \"bradbury2018jax\" }] }",
                    "sources = [] }",
                ),
                "d.toml:9:45: error: a framework fact needs at least one source",
            ),
            (
                SOURCED.replace(
                    "\"bradbury2018jax\", section",
                    "\"bradbury2018jx\", section",
                ),
                "d.toml:6:58: error: source names no known work `bradbury2018jx`; did you mean `bradbury2018jax`?",
            ),
            (
                SOURCED.replace("languages = [\"Python\"]", "languages = 3"),
                "d.toml:8:13: error: invalid type: integer `3`, expected a value, or a table",
            ),
        ];
        for (text, expected) in cases {
            let problems = build(&[("d.toml", &text)]).unwrap_err();
            assert!(problems[0].starts_with(expected), "{text}\n=> {problems:?}");
        }
    }

    #[test]
    fn open_ended_ranges() {
        let claim = |versions: &str| {
            let text = format!(
                "[[claims]]\nframework = \"pytorch\"\ndimension = \"debugging\"\nvalue = \"v\"\nversions = \"{versions}\"\nsources = [{{ work = \"paszke2019pytorch\" }}]\n"
            );
            let (model, _) = build(&[("d.toml", &text)]).unwrap();
            model
                .claims_for("pytorch", "debugging")
                .next()
                .unwrap()
                .is_open_ended()
        };
        assert!(claim(">=2"));
        assert!(claim(">1.5"));
        assert!(!claim("<2"));
        assert!(!claim(">=1, <2"));
        assert!(!claim("^2"));
    }

    #[test]
    fn days_count_across_months_and_leap_years() {
        let day = |t: &str| Day::parse(t).unwrap();
        assert_eq!(day("1970-01-01").days(), 0);
        assert_eq!(day("2024-02-28").days_until(day("2024-03-01")), 2);
        assert_eq!(day("2025-01-02").days_until(day("2026-11-30")), 697);
        assert_eq!(Day::from_days(day("2000-02-29").days()), day("2000-02-29"));
        assert_eq!(Day::parse("2026-11"), None);
        assert_eq!(Day::parse("2026-11-31"), None);
    }

    #[test]
    fn bad_data_is_located() {
        let cases = [
            (
                "[[frameworks]]\nid = 3\n",
                "d.toml:2:6: error: invalid type: integer `3`, expected a string",
            ),
            (
                "[[dimensions]]\nid = \"x\"\nlabel = \"X\"\ndescription = \"\"\ngroup = \"g\"\ncolour = 1\n",
                "d.toml:6:1: error: unknown field `colour`",
            ),
            (
                "[[claims]]\nframework = \"pytorh\"\ndimension = \"debugging\"\nvalue = \"v\"\nsources = [{ work = \"paszke2019pytorch\" }]\n",
                "d.toml:2:13: error: unknown framework `pytorh`; did you mean `pytorch`?",
            ),
            (
                "[[claims]]\nframework = \"pytorch\"\ndimension = \"debugging\"\nvalue = \"v\"\nsources = [{ work = \"nobody1999\" }]\n",
                "d.toml:5:21: error: source names no known work `nobody1999`; add the work to a .bib, .yaml or .json bibliography file listed in `data`",
            ),
            (
                "[[claims]]\nframework = \"pytorch\"\ndimension = \"debugging\"\nvalue = \"v\"\nversions = \"2.x.y\"\nsources = [{ work = \"paszke2019pytorch\" }]\n",
                "d.toml:5:12: error: invalid version range `2.x.y`",
            ),
            (
                "[[dimensions]]\nid = \"debugging\"\nlabel = \"X\"\ndescription = \"\"\ngroup = \"g\"\n",
                "d.toml:2:6: error: duplicate dimension id `debugging`",
            ),
            (
                "[[claims]]\nframework = \"pytorch\"\ndimension = \"debugging\"\nvalue = \"v\"\nsources = []\n",
                "d.toml:5:11: error: a claim needs at least one source",
            ),
        ];
        for (text, expected) in cases {
            let problems = build(&[("d.toml", text)]).unwrap_err();
            assert!(problems[0].starts_with(expected), "{text}\n=> {problems:?}");
        }
    }
}
