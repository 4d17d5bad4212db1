//! `check`: validates a book's directives and data without building it.
//!
//! The chapters are loaded as mdBook loads them and expanded by the library's own
//! `preprocess`, so the diagnostics are those of a build, line for line. Errors
//! always fail the check, even when the book sets `on-error = "warn"` (meant for
//! `mdbook serve`): a check that passes broken books would be useless in CI.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use mdbook_frameworks::diagnostics::Diagnostic;

use super::book::{BookDir, page_count};
use super::report;

/// Checks the book in `book_dir`; exit 1 on any error.
pub fn run(book_dir: &Path, verbose: bool, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let book = match BookDir::open(book_dir) {
        Ok(book) => book,
        Err(problems) => return report(err, problems),
    };
    if book.table.is_none() {
        let warning = Diagnostic::error_in_file(
            &book.book_toml(),
            "no [preprocessor.frameworks] table, so `mdbook build` will not run mdbook-frameworks",
        )
        .with_hint("run `mdbook-frameworks install` to add it")
        .into_warning();
        let _ = writeln!(err, "{warning}");
    }
    let (mut chapters, mut problems) = match book.load_book() {
        Ok(loaded) => loaded,
        Err(problems) => return report(err, problems),
    };
    let table = book.strict_table();
    let expanded = mdbook_frameworks::preprocess_book(
        &book.root,
        &book.settings,
        table.as_ref(),
        std::borrow::Cow::Borrowed(mdbook_frameworks::model::Model::builtin()),
        &mut chapters,
        verbose,
        err,
    );
    if let Err(failure) = expanded {
        problems.extend(failure.diagnostics);
    }
    if !problems.is_empty() {
        return report(err, problems);
    }
    let count = page_count(&chapters);
    let _ = writeln!(
        out,
        "checked {count} chapter{}: no problems",
        if count == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}
