//! `bibtex`: the works as BibTeX, for readers to take into their own papers.
//!
//! Without a book: every built-in work. With `--book`: the works that book cites
//! (every work of its model when it has `{{#bibliography all}}`), after checking the
//! book as `check` does, since a broken directive could hide a citation.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use mdbook_frameworks::cite::to_bibtex;
use mdbook_frameworks::model::Model;

use super::book::BookDir;
use super::report;

/// Prints BibTeX to `out`.
pub fn run(book: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let Some(dir) = book else {
        let _ = out.write_all(to_bibtex(Model::builtin().works()).as_bytes());
        return ExitCode::SUCCESS;
    };
    let book = match BookDir::open(dir) {
        Ok(book) => book,
        Err(problems) => return report(err, problems),
    };
    let (chapters, problems) = match book.load_book() {
        Ok(loaded) => loaded,
        Err(problems) => return report(err, problems),
    };
    if !problems.is_empty() {
        return report(err, problems);
    }
    // The expansion validates the book and collects what it cites; the expanded
    // copy itself is dropped.
    let mut expanded = chapters;
    let expansion = match mdbook_frameworks::preprocess(
        &book.root,
        &book.settings,
        book.strict_table().as_ref(),
        mdbook_frameworks::model::Model::shared_builtin(),
        &mut expanded,
        false,
        err,
    ) {
        Ok(expansion) => expansion,
        Err(failure) => return report(err, failure.diagnostics),
    };
    let expander = match book.expander() {
        Ok(expander) => expander,
        Err(problems) => return report(err, problems),
    };
    let all = expander.model().works().iter();
    let works: Vec<_> = if expansion.lists_all_works {
        all.collect()
    } else {
        let cited: HashSet<&str> = expansion.cited.iter().map(String::as_str).collect();
        all.filter(|w| cited.contains(w.key())).collect()
    };
    let _ = out.write_all(to_bibtex(works).as_bytes());
    ExitCode::SUCCESS
}
