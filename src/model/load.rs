//! Loading and validating data files into a [`Model`].
//!
//! Every file goes through two steps: parsing (TOML with spans, so every later
//! problem can point at `file:line:col`), then resolution across all files at once,
//! so a book's file may name built-in ids and the other way round.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::Model;
use super::types::*;
use super::works::{self, Work, WorkFormat};
use crate::diagnostics::{Diagnostic, Severity, closest, one_of};

/// A data file as the user named it, with its text.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path shown in diagnostics.
    pub path: PathBuf,
    /// The file's content.
    pub text: String,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFramework {
    id: Text,
    name: String,
    organisation: String,
    first_release: Text,
    first_release_version: Option<String>,
    languages: Vec<String>,
    license: String,
    status: Text,
    status_note: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    papers: Vec<Text>,
    homepage: Option<String>,
    repository: Option<String>,
    sources: Spanned<Vec<RawSource>>,
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
    base: Model,
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
    pub fn on_top_of(base: Model) -> Self {
        ModelBuilder {
            base,
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
        let base = std::mem::take(&mut self.base);
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
            let sources = self.sources(origin, raw.sources, &known_papers, true);
            let first_release = self.date(origin, &raw.first_release);
            let status = match raw.status.get_ref().as_str() {
                "active" => Some(Status::Active),
                "maintenance" => Some(Status::Maintenance),
                "discontinued" => Some(Status::Discontinued),
                other => {
                    let names = ["active", "maintenance", "discontinued"];
                    self.problem_at(
                        origin,
                        raw.status.span().start,
                        format!("unknown status `{other}`"),
                        |d| d.with_hint(format!("use {}", one_of(names))),
                    );
                    None
                }
            };
            let papers: Vec<String> = raw
                .papers
                .into_iter()
                .filter(|key| self.check_paper_ref(origin, key, &known_papers))
                .map(Spanned::into_inner)
                .collect();
            if let (Some(first_release), Some(status)) = (first_release, status) {
                frameworks.push(Framework {
                    id: raw.id.into_inner(),
                    name: raw.name,
                    organisation: raw.organisation,
                    first_release,
                    first_release_version: raw.first_release_version,
                    languages: raw.languages,
                    license: raw.license,
                    status,
                    status_note: raw.status_note,
                    summary: raw.summary,
                    papers,
                    homepage: raw.homepage,
                    repository: raw.repository,
                    sources,
                });
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
            let sources = self.sources(origin, raw.sources, &known_papers, true);
            if !(framework_ok && dimension_ok && versions_ok) {
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
            let date = self.date(origin, &raw.date);
            let framework_ok = raw
                .framework
                .as_ref()
                .is_none_or(|f| self.check_ref(origin, f, &framework_ids, "framework"));
            let sources = self.sources(origin, raw.sources, &known_papers, true);
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
        (
            Model::from_parts(frameworks, dimensions, all_claims, works, events),
            overrides,
            self.problems,
        )
    }

    fn push_file(&mut self, path: &Path, text: &str) -> usize {
        self.files.push(DataFile {
            path: path.to_path_buf(),
            text: text.to_owned(),
        });
        self.files.len() - 1
    }

    fn location(&self, origin: Origin, offset: usize) -> String {
        let file = &self.files[origin.file];
        let (line, col) = crate::diagnostics::line_col(&file.text, offset);
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
        let suggestion = closest(id.get_ref(), known.iter().map(String::as_str)).map(str::to_owned);
        self.problem_at(
            origin,
            id.span().start,
            format!("unknown {what} `{}`", id.get_ref()),
            |d| match suggestion {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint(format!("define it in a `[[{what}s]]` table first")),
            },
        );
        false
    }

    fn check_paper_ref(&mut self, origin: Origin, key: &Text, known: &HashSet<&str>) -> bool {
        if known.contains(key.get_ref().as_str()) {
            return true;
        }
        let suggestion = closest(key.get_ref(), known.iter().copied()).map(str::to_owned);
        self.problem_at(
            origin,
            key.span().start,
            format!("source names no known work `{}`", key.get_ref()),
            |d| match suggestion {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint(
                    "add the work to a .bib, .yaml or .json bibliography file listed in `data`",
                ),
            },
        );
        false
    }

    fn sources(
        &mut self,
        origin: Origin,
        raw: Spanned<Vec<RawSource>>,
        known: &HashSet<&str>,
        required: bool,
    ) -> Vec<Source> {
        let span_start = raw.span().start;
        let raw = raw.into_inner();
        if required && raw.is_empty() {
            self.problem_at(
                origin,
                span_start,
                "a claim needs at least one source".into(),
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

    fn date(&mut self, origin: Origin, text: &Text) -> Option<PartialDate> {
        let date = PartialDate::parse(text.get_ref());
        if date.is_none() {
            self.problem_at(
                origin,
                text.span().start,
                format!("invalid date `{}`", text.get_ref()),
                |d| d.with_hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
            );
        }
        date
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
