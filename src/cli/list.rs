//! `list`: the ids an author can write in directives, from the built-in data or
//! from the model a given book would use (built-in data, if kept, plus its files).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use mdbook_frameworks::cite::CitationStyle;
use mdbook_frameworks::model::Model;

use super::book::BookDir;
use super::{aligned, report};

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Listing {
    /// Framework ids and names, for `frameworks=` and `framework-fact`.
    Frameworks,
    /// Dimension ids and labels, for `dimensions=`.
    Dimensions,
    /// Citation keys, years and titles, for `paper-citation`.
    #[value(alias = "papers")]
    Works,
    /// Built-in citation styles for `citation-style`: name, title, and whether
    /// numeric, author-date, or refused and why.
    Styles,
}

/// Prints one line per id, aligned, to `out`.
pub fn run(
    listing: Listing,
    book: Option<&Path>,
    verbose: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let text = match book {
        // The styles are the same for every book.
        _ if listing == Listing::Styles => lines(Model::builtin(), listing),
        None => lines(Model::builtin(), listing),
        Some(dir) => {
            let expander = match BookDir::open(dir).and_then(|book| book.expander()) {
                Ok(expander) => expander,
                Err(problems) => return report(err, problems),
            };
            if verbose {
                for note in expander.overrides() {
                    let _ = writeln!(err, "{note}");
                }
            }
            lines(expander.model(), listing)
        }
    };
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// The listing as aligned lines, in data order.
pub fn lines(model: &Model, listing: Listing) -> String {
    let rows: Vec<Vec<String>> = match listing {
        Listing::Frameworks => model
            .frameworks()
            .iter()
            .map(|f| vec![f.id.clone(), f.name.clone()])
            .collect(),
        Listing::Dimensions => {
            let defaults: Vec<&str> = model
                .default_dimensions()
                .iter()
                .map(|d| d.id.as_str())
                .collect();
            model
                .dimensions()
                .iter()
                .map(|d| {
                    let in_default = if defaults.contains(&d.id.as_str()) {
                        "(default table)"
                    } else {
                        ""
                    };
                    vec![d.id.clone(), d.label.clone(), in_default.to_owned()]
                })
                .collect()
        }
        Listing::Works => model
            .works()
            .iter()
            .map(|w| {
                let year = w
                    .year()
                    .map_or_else(|| "n.d.".to_owned(), |y| y.to_string());
                vec![w.key().to_owned(), year, w.title()]
            })
            .collect(),
        Listing::Styles => CitationStyle::catalogue()
            .into_iter()
            .map(|style| {
                let mut title = style.title.to_owned();
                if !style.aliases.is_empty() {
                    title.push_str(&format!(" (also: {})", style.aliases.join(", ")));
                }
                vec![style.name.to_owned(), title, style.kind]
            })
            .collect(),
    };
    aligned(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_builtin_id_once_per_line() {
        let model = Model::builtin();
        let text = lines(model, Listing::Frameworks);
        assert_eq!(text.lines().count(), model.frameworks().len());
        let pytorch = text.lines().find(|l| l.starts_with("pytorch ")).unwrap();
        assert!(pytorch.ends_with(" PyTorch"), "{pytorch}");
        let works = lines(model, Listing::Works);
        assert_eq!(works.lines().count(), model.works().len());
        let dims = lines(model, Listing::Dimensions);
        let status = dims.lines().find(|l| l.starts_with("status ")).unwrap();
        assert!(!status.contains("default"), "{status}");
        assert!(
            dims.lines()
                .find(|l| l.starts_with("execution-model "))
                .unwrap()
                .ends_with("(default table)")
        );
    }
}
