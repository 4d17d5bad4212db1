//! A book on disk, read as mdBook reads it: `book.toml`, then `SUMMARY.md` and the
//! chapter files it lists, into the same `Book` value a preprocessor receives.
//! Nothing is written.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use mdbook_frameworks::config::Config;
use mdbook_frameworks::diagnostics::{Diagnostic, Severity};
use mdbook_frameworks::expand::Expander;
use mdbook_frameworks::mdbook::BookSettings;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_summary::{Link, SummaryItem, parse_summary};
use serde_json::Value;

/// What we need of a book's `book.toml`.
#[derive(Debug)]
pub struct BookDir {
    /// The book root: the directory holding `book.toml`.
    pub root: PathBuf,
    /// The `[preprocessor.frameworks]` table, as mdBook would hand it to us.
    pub table: Option<Value>,
    /// mdBook's own settings that ours depend on (`settings.src` is the chapters'
    /// directory, relative to the root).
    pub settings: BookSettings,
}

impl BookDir {
    /// Reads `root/book.toml`; a missing file says how to create a book.
    pub fn open(root: &Path) -> Result<BookDir, Vec<Diagnostic>> {
        let path = root.join("book.toml");
        let text = read_book_toml(&path)?;
        let config: toml::Table = toml::from_str(&text).map_err(|error| {
            let offset = error.span().map_or(0, |s| s.start);
            vec![Diagnostic::error_at(
                &path,
                &text,
                offset,
                error.message().trim().replace('\n', " "),
            )]
        })?;
        let config = serde_json::to_value(config).map_err(|error| {
            vec![Diagnostic::error_in_file(
                &path,
                format!("cannot read the configuration: {error}"),
            )]
        })?;
        Ok(BookDir {
            root: root.to_path_buf(),
            table: config.pointer("/preprocessor/frameworks").cloned(),
            settings: BookSettings::from_book_toml(&config),
        })
    }

    /// The table with `on-error = "warn"` turned into `"fail"`, for commands that
    /// must not pass a broken book (any other value is left for validation to judge).
    pub fn strict_table(&self) -> Option<Value> {
        let mut table = self.table.clone()?;
        if let Some(policy) = table.get_mut("on-error")
            && policy == "warn"
        {
            *policy = Value::from("fail");
        }
        // `check` and `bibtex` only read: they never write the render cache. A
        // `cache` key that is wrong stays, so that they report it like a build.
        if self.config().is_ok()
            && let Some(map) = table.as_object_mut()
        {
            map.insert("cache".into(), Value::Bool(false));
        }
        Some(table)
    }

    /// The path of `book.toml`, as diagnostics show it.
    pub fn book_toml(&self) -> PathBuf {
        self.root.join("book.toml")
    }

    /// Our validated settings, exactly as the preprocessor validates them.
    pub fn config(&self) -> Result<Config, Vec<Diagnostic>> {
        Config::for_book(self.table.as_ref(), &self.root, &self.settings)
    }

    /// The model and citation style the preprocessor would use for this book;
    /// every problem of its data files when any is an error.
    pub fn expander(&self) -> Result<Expander, Vec<Diagnostic>> {
        let expander = Expander::new(&self.root, &self.settings.src, self.config()?)?;
        let problems = expander.data_problems();
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(problems.to_vec());
        }
        Ok(expander)
    }

    /// The chapters listed in `SUMMARY.md`, in reading order, with their content.
    ///
    /// A chapter file that cannot be read is a problem, and the chapter stays in the
    /// book empty, so the other chapters can still be checked. Only an unreadable
    /// `SUMMARY.md` stops everything.
    pub fn load_book(&self) -> Result<(Book, Vec<Diagnostic>), Vec<Diagnostic>> {
        let shown = self.settings.src.join("SUMMARY.md");
        let text = std::fs::read_to_string(self.root.join(&shown)).map_err(|error| {
            vec![
                Diagnostic::error_in_file(&shown, format!("cannot read SUMMARY.md: {error}"))
                    .with_hint(format!(
                        "mdBook expects it in the `src` directory of the book ({})",
                        self.settings.src.display()
                    )),
            ]
        })?;
        let summary = parse_summary(&text).map_err(|error| {
            vec![Diagnostic::error_in_file(
                &shown,
                format!("cannot parse SUMMARY.md: {error:#}"),
            )]
        })?;
        let mut problems = Vec::new();
        let items = [
            &summary.prefix_chapters,
            &summary.numbered_chapters,
            &summary.suffix_chapters,
        ]
        .into_iter()
        .flat_map(|part| self.items(part, &[], &mut problems))
        .collect();
        Ok((Book::new_with_items(items), problems))
    }

    fn items(
        &self,
        items: &[SummaryItem],
        parents: &[String],
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<BookItem> {
        items
            .iter()
            .filter_map(|item| match item {
                SummaryItem::Link(link) => {
                    Some(BookItem::Chapter(self.chapter(link, parents, problems)))
                }
                SummaryItem::Separator => Some(BookItem::Separator),
                SummaryItem::PartTitle(title) => Some(BookItem::PartTitle(title.clone())),
                // The enum is non-exhaustive; a future kind has no page to check.
                _ => None,
            })
            .collect()
    }

    fn chapter(&self, link: &Link, parents: &[String], problems: &mut Vec<Diagnostic>) -> Chapter {
        let mut own_parents = parents.to_vec();
        own_parents.push(link.name.clone());
        let sub_items = self.items(&link.nested_items, &own_parents, problems);
        // As mdBook 0.5.4 loads a chapter (`load_chapter` in mdbook-driver): the
        // path relative to `src` as `strip_prefix` gives it (`./a.md` is
        // `a.md`), and a UTF-8 byte-order mark dropped, so that positions and
        // paths agree with `mdbook build`.
        let location = link.location.as_ref().map(|location| {
            let src = self.root.join(&self.settings.src);
            src.join(location)
                .strip_prefix(&src)
                .map_or_else(|_| location.clone(), Path::to_path_buf)
        });
        let content = match &location {
            None => String::new(),
            Some(location) => {
                let shown = self.settings.src.join(location);
                let mut text =
                    std::fs::read_to_string(self.root.join(&shown)).unwrap_or_else(|error| {
                        problems.push(
                            Diagnostic::error_in_file(
                                &shown,
                                format!("cannot read this chapter listed in SUMMARY.md: {error}"),
                            )
                            .with_hint("create the file, or fix its link in SUMMARY.md"),
                        );
                        String::new()
                    });
                if text.starts_with('\u{feff}') {
                    text.replace_range(..3, "");
                }
                text
            }
        };
        Chapter {
            name: link.name.clone(),
            content,
            number: link.number.clone(),
            sub_items,
            path: location.clone(),
            source_path: location,
            parent_names: parents.to_vec(),
        }
    }
}

/// The number of chapters with a page (draft chapters have none).
pub fn page_count(book: &Book) -> usize {
    book.iter()
        .filter(|item| matches!(item, BookItem::Chapter(c) if c.path.is_some()))
        .count()
}

/// The text of `book.toml` at `path`; a missing file says how to create a book.
pub fn read_book_toml(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path).map_err(|error| {
        let dir = path.parent().unwrap_or(Path::new("."));
        vec![if error.kind() == ErrorKind::NotFound {
            Diagnostic::error_in_file(path, "no book.toml here, so this is not an mdBook book")
                .with_hint(format!(
                    "create the book first with `mdbook init {}`, or pass the directory that holds book.toml",
                    dir.display()
                ))
        } else {
            Diagnostic::error_in_file(path, format!("cannot read book.toml: {error}"))
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    #[test]
    fn reads_chapters_in_summary_order_with_parents_and_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "book.toml", "[book]\nsrc = \"text\"\n");
        write(
            root,
            "text/SUMMARY.md",
            "# Summary\n\n[Intro](intro.md)\n\n# Part\n\n- [One](one.md)\n  - [Draft]()\n---\n- [Two](sub/two.md)\n",
        );
        write(root, "text/intro.md", "intro");
        write(root, "text/one.md", "one");
        write(root, "text/sub/two.md", "two");
        let book = BookDir::open(root).unwrap();
        assert_eq!(book.settings.src, Path::new("text"));
        assert!(book.table.is_none());
        let (loaded, problems) = book.load_book().unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let chapters: Vec<(String, String, Vec<String>)> = loaded
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(c) => {
                    Some((c.name.clone(), c.content.clone(), c.parent_names.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            chapters,
            [
                ("Intro".into(), "intro".into(), vec![]),
                ("One".into(), "one".into(), vec![]),
                ("Draft".into(), String::new(), vec!["One".to_owned()]),
                ("Two".into(), "two".into(), vec![]),
            ]
        );
        assert_eq!(page_count(&loaded), 3);
        assert!(
            loaded
                .iter()
                .any(|i| matches!(i, BookItem::PartTitle(t) if t == "Part"))
        );
    }

    #[test]
    fn a_missing_chapter_is_a_located_problem_and_the_rest_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "book.toml",
            "[preprocessor.frameworks]\nbuiltin = false\n",
        );
        write(
            root,
            "src/SUMMARY.md",
            "- [Gone](gone.md)\n- [Here](here.md)\n",
        );
        write(root, "src/here.md", "here");
        let book = BookDir::open(root).unwrap();
        assert_eq!(book.table, Some(serde_json::json!({"builtin": false})));
        let (loaded, problems) = book.load_book().unwrap();
        assert_eq!(loaded.chapters().count(), 2);
        let text = problems[0].to_string();
        assert!(
            text.starts_with("src/gone.md: error: cannot read this chapter listed in SUMMARY.md"),
            "{text}"
        );
    }

    #[test]
    fn strict_table_turns_warn_into_fail_and_nothing_else() {
        let book = |table: Option<Value>| BookDir {
            root: PathBuf::new(),
            table,
            settings: BookSettings::default(),
        };
        let warn = book(Some(
            serde_json::json!({"on-error": "warn", "builtin": false}),
        ));
        assert_eq!(
            warn.strict_table(),
            Some(serde_json::json!({"on-error": "fail", "builtin": false, "cache": false}))
        );
        let invalid = book(Some(serde_json::json!({"on-error": 3})));
        assert_eq!(invalid.strict_table(), invalid.table);
        assert_eq!(book(None).strict_table(), None);
    }

    #[test]
    fn missing_or_broken_book_toml_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let problem = BookDir::open(dir.path()).unwrap_err()[0].to_string();
        assert!(problem.contains("no book.toml here"), "{problem}");
        assert!(problem.contains("mdbook init"), "{problem}");
        write(dir.path(), "book.toml", "[book]\ntitle = \n");
        let problem = BookDir::open(dir.path()).unwrap_err()[0].to_string();
        assert!(problem.contains("book.toml:2:"), "{problem}");
    }
}
