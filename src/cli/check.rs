//! `check`: validates a book's directives and data without building it.
//!
//! The chapters are loaded as mdBook loads them and expanded by the library's own
//! `preprocess`, so the diagnostics are those of a build, line for line. With
//! `--stale DAYS`, the facts of the book's model not checked against their
//! sources within DAYS days are listed as warnings after a clean check. Errors
//! always fail the check, even when the book sets `on-error = "warn"` (meant for
//! `mdbook serve`): a check that passes broken books would be useless in CI.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use mdbook_frameworks::diagnostics::Diagnostic;
use mdbook_frameworks::model::Day;

use super::book::{BookDir, page_count};
use super::report;

/// Checks the book in `book_dir`; exit 1 on any error. `stale`: list the facts
/// not checked within that many days.
pub fn run(
    book_dir: &Path,
    verbose: bool,
    stale: Option<u32>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
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
    let expanded = mdbook_frameworks::preprocess(
        &book.root,
        &book.settings,
        table.as_ref(),
        mdbook_frameworks::model::Model::shared_builtin(),
        &mut chapters,
        verbose,
        err,
    );
    // Warnings were printed as they were found; only their number is left to say.
    let warnings = match expanded {
        Ok(report) => report.diagnostics.len(),
        Err(failure) => {
            problems.extend(failure.diagnostics);
            0
        }
    };
    if !problems.is_empty() {
        return report(err, problems);
    }
    let count = page_count(&chapters);
    let verdict = match warnings {
        0 => "no problems".to_owned(),
        1 => "no errors, 1 warning".to_owned(),
        n => format!("no errors, {n} warnings"),
    };
    let _ = writeln!(
        out,
        "checked {count} chapter{}: {verdict}",
        if count == 1 { "" } else { "s" }
    );
    match stale {
        Some(days) => list_stale(&book, days, out, err),
        None => ExitCode::SUCCESS,
    }
}

/// Lists the facts of the book's model not checked within `days` days of today.
fn list_stale(book: &BookDir, days: u32, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let today = match Day::today() {
        Ok(today) => today,
        Err(message) => {
            let _ = writeln!(err, "mdbook-frameworks: error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let expander = match book.expander() {
        Ok(expander) => expander,
        Err(problems) => return report(err, problems),
    };
    let stale = expander.model().stale_facts(today, i64::from(days));
    for fact in &stale {
        let _ = writeln!(err, "{}", fact.to_diagnostic());
    }
    let _ = match stale.len() {
        0 => writeln!(out, "every fact was checked within {days} days of {today}"),
        n => writeln!(
            out,
            "{n} fact{} not checked within {days} days of {today}",
            if n == 1 { "" } else { "s" }
        ),
    };
    ExitCode::SUCCESS
}
