//! One diagnostic type for every problem the tool reports: a bad directive in a
//! chapter, bad data in a TOML or BibTeX file, a bad configuration key.
//!
//! Every diagnostic says where (`file:line:col`), what is wrong and, where we can
//! tell, what to do. Positions are 1-based; columns count characters, not bytes,
//! so that editors jump to the right place in non-ASCII text.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Fails the build unless `on-error = "warn"`.
    Error,
    /// Reported, never fails the build.
    Warning,
}

/// A located problem with a message and an optional hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as the user knows it (relative to the book root where possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The key of a work that this problem kept out of the model (a data entry
    /// that could not be read), so that a citation of it can say why.
    pub skipped_work: Option<String>,
}

impl Diagnostic {
    /// An error at a byte offset of `text`, which is the content of `file`.
    pub fn error_at(file: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        Self::error_at_line_col(file, line, col, message)
    }

    /// An error about a whole file, or a place we cannot point at.
    pub fn error_in_file(file: &Path, message: impl Into<String>) -> Self {
        Self::error_at_line_col(file, 0, 0, message)
    }

    /// An error at a 1-based `line` and character `col` already known (a
    /// recorded position), or `0, 0` for the whole file.
    pub fn error_at_line_col(
        file: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            col,
            message: message.into(),
            hint: None,
            skipped_work: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a "did you mean" hint when one of `candidates` is close to `wrong`.
    pub fn with_suggestion<'a>(
        self,
        wrong: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match did_you_mean(wrong, candidates) {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }

    /// Records that the problem kept the work `key` out of the model.
    pub fn with_skipped_work(mut self, key: impl Into<String>) -> Self {
        self.skipped_work = Some(key.into());
        self
    }

    /// Turns an error into a warning.
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message; hint`, on one line, as compilers and editors expect.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// The 1-based line and character column of a byte offset, for one look-up (a
/// diagnostic); many in one file go through a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// The lines of a text, indexed once, for many [`line_col`] look-ups in the same
/// file (every entry of a bibliography, every fact of a data file records where
/// it is defined).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: LineStarts,
}

/// Byte offset where each line of a text starts: what a [`LineIndex`] keeps, for
/// a text that is kept elsewhere.
#[derive(Debug, Clone, Default)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// Indexes `text`'s line starts.
    pub fn of(text: &str) -> Self {
        LineStarts(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`'s line starts.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: LineStarts::of(text),
        }
    }

    /// The 1-based line and character column of a byte offset, as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col_in(self.text, &self.starts, offset)
    }
}

/// [`line_col`] with the text's line starts indexed already.
pub fn line_col_in(text: &str, starts: &LineStarts, offset: usize) -> (usize, usize) {
    let starts = &starts.0;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = starts.partition_point(|&start| start <= offset);
    let line_text = &text[starts[line - 1]..offset];
    let line_text = if line == 1 {
        line_text.strip_prefix('\u{feff}').unwrap_or(line_text)
    } else {
        line_text
    };
    (line, line_text.chars().count() + 1)
}

/// "did you mean `best`?" when one of `candidates` is [`closest`] to `wrong`:
/// the one wording of that hint.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wrong, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate closest to `wrong`, if it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wrong, c), c))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// Formats a list of names as "`a`, `b` or `c`".
pub fn one_of<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_skips_a_bom() {
        let text = "\u{feff}ab\nçé{{#x}}";
        assert_eq!(line_col(text, 3), (1, 1));
        assert_eq!(line_col(text, text.find('{').unwrap()), (2, 3));
    }

    #[test]
    fn display_is_one_line_with_location_and_hint() {
        let d = Diagnostic::error_at(
            Path::new("book/a.md"),
            "x\n  {{#y}}",
            4,
            "unknown framework `pytorh`",
        )
        .with_suggestion("pytorh", ["pytorch", "theano"]);
        assert_eq!(
            d.to_string(),
            "book/a.md:2:3: error: unknown framework `pytorh`; did you mean `pytorch`?"
        );
    }

    #[test]
    fn no_suggestion_for_distant_names() {
        assert_eq!(closest("xyz", ["pytorch", "theano"]), None);
        assert_eq!(one_of(["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
