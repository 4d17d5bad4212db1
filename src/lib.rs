//! `mdbook-frameworks`: an mdBook preprocessor for comparative studies of systems,
//! with a built-in, sourced dataset of deep-learning frameworks.
//!
//! Chapters use directives such as `{{#comparison-table}}`, `{{#paper-citation KEY}}`
//! and `{{#bibliography}}`; the preprocessor expands them from one data model
//! ([`model::Model`]) and renders citations with CSL styles.
//!
//! Data flows one way: mdBook's JSON → chapters ([`mdbook`]) → expansion
//! ([`expand`]) → directives found ([`directive`]) → each rendered from the model
//! ([`render`], [`cite`]) → spliced → JSON out ([`mdbook::protocol`]).
//!
//! # Use from Rust
//!
//! A program can build a book in-process with its own data model. Here a course on
//! databases compares two systems; the model is built with [`model::ModelBuilder`],
//! the same loader (and the same validation) that reads a book's data files:
//!
//! ```
//! use mdbook_driver::MDBook;
//! use mdbook_frameworks::FrameworksPreprocessor;
//! use mdbook_frameworks::model::ModelBuilder;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let data = r#"
//! [[frameworks]]
//! id = "sqlite"
//! name = "SQLite"
//! organisation = "D. Richard Hipp"
//! first-release = "2000-08"
//! languages = ["C"]
//! license = "blessing"
//! status = "active"
//! sources = [{ work = "sqlite-docs" }]
//!
//! [[dimensions]]
//! id = "architecture"
//! label = "Architecture"
//! description = "Where the database engine runs."
//! group = "design"
//!
//! [[claims]]
//! framework = "sqlite"
//! dimension = "architecture"
//! value = "An embedded library, linked into the application"
//! sources = [{ work = "sqlite-docs", section = "1" }]
//! "#;
//! let works = r#"@online{sqlite-docs,
//!   title = {About {SQLite}}, author = {{SQLite Consortium}}, year = 2024,
//!   url = {https://sqlite.org/about.html},
//! }"#;
//! let mut builder = ModelBuilder::new();
//! builder.add_works("course.bib".as_ref(), works);
//! builder.add_toml("course.toml".as_ref(), data);
//! let (model, _overrides) = builder.build().map_err(|problems| format!("{problems:?}"))?;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::create_dir(dir.path().join("src"))?;
//! std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"Databases\"\n")?;
//! std::fs::write(dir.path().join("src/SUMMARY.md"), "[Systems](systems.md)\n")?;
//! std::fs::write(dir.path().join("src/systems.md"), "# Systems\n\n{{#comparison-table}}\n")?;
//!
//! MDBook::load(dir.path())?
//!     .with_preprocessor(FrameworksPreprocessor::new().with_model(model))
//!     .build()?;
//! let html = std::fs::read_to_string(dir.path().join("book/systems.html"))?;
//! assert!(html.contains("<strong>SQLite</strong>"));
//! assert!(html.contains("An embedded library, linked into the application"));
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

pub mod cite;
pub mod config;
pub mod diagnostics;
pub mod directive;
pub mod expand;
pub mod markdown;
pub mod mdbook;
pub mod model;
mod parallel;
pub mod render;
pub mod words;

use std::path::Path;
use std::sync::Arc;

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::config::{Config, OnError};
use crate::diagnostics::Diagnostic;
use crate::expand::Expander;
use crate::mdbook::BookSettings;

/// The preprocessor, for in-process use with `MDBook::with_preprocessor`.
#[derive(Debug, Default, Clone)]
pub struct FrameworksPreprocessor {
    verbose: bool,
    base: Option<Arc<model::Model>>,
}

impl FrameworksPreprocessor {
    /// The name under which mdBook knows it: `[preprocessor.frameworks]`.
    pub const NAME: &'static str = "frameworks";

    /// A preprocessor that reads its settings from `[preprocessor.frameworks]`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `model` in place of the built-in dataset (book data files still add to it).
    pub fn with_model(mut self, model: model::Model) -> Self {
        self.base = Some(Arc::new(model));
        self
    }

    /// Also reports notes, such as book data overriding built-in claims.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }
}

impl Preprocessor for FrameworksPreprocessor {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(
        &self,
        ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let table: Option<serde_json::Value> =
            ctx.config.get(&format!("preprocessor.{}", Self::NAME))?;
        let settings = BookSettings::from_book_toml(&serde_json::to_value(&ctx.config)?);
        let mut stderr = std::io::stderr();
        // Shared, not copied: a long `mdbook serve` session runs this on every save.
        let base = match &self.base {
            Some(model) => Arc::clone(model),
            None => model::Model::shared_builtin(),
        };
        match preprocess(
            &ctx.root,
            &settings,
            table.as_ref(),
            base,
            &mut book,
            self.verbose,
            &mut stderr,
        ) {
            Ok(_) => Ok(book),
            Err(failure) => Err(anyhow::anyhow!("{failure}")),
        }
    }
}

/// Why a book could not be expanded: every problem, one per line.
#[derive(Debug)]
pub struct Failure {
    /// The problems, in reading order.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.diagnostics.len();
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        write!(
            f,
            "mdbook-frameworks: {count} problem{} found",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Failure {}

/// Expands `book` in place, the whole pipeline: config, data, directives. The one
/// in-process entry point; [`FrameworksPreprocessor`] and `check` call it.
///
/// `root` is the book root; `settings` are mdBook's settings of the book (its
/// directories, and whether `mdbook serve` runs); `table` is our
/// `[preprocessor.frameworks]` table; `base` is the dataset the book's data files
/// add to, shared (pass [`model::Model::shared_builtin`] for the built-in one).
///
/// Returns what expansion found (warnings, the works cited). Warnings and notes go
/// to `log`. On failure (with `on-error = "fail"`) the book must not be used; with
/// `on-error = "warn"` problems are logged and shown in the page, and this returns
/// `Ok`.
pub fn preprocess(
    root: &Path,
    settings: &BookSettings,
    table: Option<&serde_json::Value>,
    base: Arc<model::Model>,
    book: &mut Book,
    verbose: bool,
    log: &mut dyn std::io::Write,
) -> Result<expand::Report, Failure> {
    let expander = prepare(root, settings, table, base, verbose, log)?;
    let report = expander.expand_book(book);
    finish(&expander, report, log)
}

/// [`preprocess`] on mdBook's book JSON, as the command line receives it, with the
/// settings and table read from mdBook's `context`: chapter contents are replaced in
/// place, so every other field is written back unchanged.
pub fn preprocess_json(
    context: &mdbook::protocol::Context,
    book: &mut serde_json::Value,
    verbose: bool,
    log: &mut dyn std::io::Write,
) -> Result<expand::Report, Failure> {
    let expander = prepare(
        &context.root,
        &context.settings(),
        context.our_table(),
        model::Model::shared_builtin(),
        verbose,
        log,
    )?;
    let chapters = mdbook::protocol::chapters(book).map_err(|message| Failure {
        diagnostics: vec![Diagnostic::error_in_file(Path::new("<book JSON>"), message)],
    })?;
    let report = expander.expand_chapters(chapters);
    finish(&expander, report, log)
}

/// Validates the configuration and loads the model and style.
fn prepare(
    root: &Path,
    settings: &BookSettings,
    table: Option<&serde_json::Value>,
    base: Arc<model::Model>,
    verbose: bool,
    log: &mut dyn std::io::Write,
) -> Result<Expander, Failure> {
    let config =
        Config::for_book(table, root, settings).map_err(|diagnostics| Failure { diagnostics })?;
    let expander = Expander::with_base(root, &settings.src, config, base)
        .map_err(|diagnostics| Failure { diagnostics })?;
    if verbose {
        for note in expander.overrides() {
            let _ = writeln!(log, "{note}");
        }
        if let Some(note) = expander.language_note() {
            let _ = writeln!(log, "{note}");
        }
        match model::Day::today() {
            Ok(today) => {
                for note in expander.model().open_ended_notes(today) {
                    let _ = writeln!(log, "{note}");
                }
            }
            Err(message) => {
                let _ = writeln!(log, "mdbook-frameworks: warning: {message}");
            }
        }
    }
    Ok(expander)
}

/// Applies the error policy to what expansion found.
fn finish(
    expander: &Expander,
    report: expand::Report,
    log: &mut dyn std::io::Write,
) -> Result<expand::Report, Failure> {
    if report.has_errors() && expander.on_error() == OnError::Fail {
        return Err(Failure {
            diagnostics: report.diagnostics,
        });
    }
    // Under `on-error = "warn"` the build goes on, so nothing it prints is an
    // error: data and configuration problems are warnings like the chapters'.
    let warn = expander.on_error() == OnError::Warn;
    for d in &report.diagnostics {
        if warn && d.severity == diagnostics::Severity::Error {
            let _ = writeln!(log, "{}", d.clone().into_warning());
        } else {
            let _ = writeln!(log, "{d}");
        }
    }
    Ok(report)
}
