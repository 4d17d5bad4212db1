//! The author-facing subcommands, one module each. They read books the way mdBook
//! does ([`book`]) and call the library for everything else, so what they report is
//! what a build would report.

pub mod bibtex;
pub mod book;
pub mod check;
pub mod install;
pub mod list;

use std::io::Write;
use std::process::ExitCode;

use mdbook_frameworks::Failure;
use mdbook_frameworks::diagnostics::Diagnostic;

/// Prints located problems to `err` with the same closing count line as a failed
/// build, and returns the failure exit code.
pub fn report(err: &mut dyn Write, diagnostics: Vec<Diagnostic>) -> ExitCode {
    let _ = writeln!(err, "{}", Failure { diagnostics });
    ExitCode::FAILURE
}

/// Rows as columns separated by two spaces, every column but the last padded to
/// its widest cell (in characters, so accented names line up too).
pub fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 < row.len() {
                line.push_str(&format!("{cell:<width$}  ", width = widths[c]));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_characters() {
        let rows = vec![
            vec!["a".to_owned(), "é".to_owned(), "x".to_owned()],
            vec!["long".to_owned(), "two".to_owned(), "y".to_owned()],
        ];
        assert_eq!(aligned(&rows), "a     é    x\nlong  two  y\n");
    }
}
