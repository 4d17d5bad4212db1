//! `install`: adds `[preprocessor.frameworks]` to a book's `book.toml`.
//!
//! The file is edited with `toml_edit`, so every other byte (comments, order,
//! formatting) stays as the author wrote it. Values the author set are kept; the
//! only thing enforced is that we run before mdBook's `links` preprocessor, which
//! would otherwise strip the backslash of our `\{{#...}}` escapes. It also writes
//! [`ASSETS`] (a stylesheet and a small script) into the book's `theme/` and adds
//! them to `output.html.additional-css` and `additional-js`. Running it again
//! changes nothing.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use mdbook_frameworks::diagnostics::Diagnostic;
use toml_edit::{Array, Decor, DocumentMut, Item, Key, Table, Value};

use super::book::read_book_toml;
use super::report;

/// The command mdBook runs: the installed binary, found on PATH.
const COMMAND: &str = "mdbook-frameworks";
/// mdBook's preprocessor that must run after us.
const LINKS: &str = "links";
const BEFORE_COMMENT: &str = "# Run before mdBook's `links` preprocessor, which would strip the backslash of \\{{#...}} escapes.\n";

/// The stylesheet and script every book gets (tables that fit the page on screens,
/// phones and paper; links readable in every theme): where they are written in the
/// book, the `output.html` list that loads them, and their content. This
/// repository's own book loads the very same files.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "theme/mdbook-frameworks.css",
        "additional-css",
        include_str!("../../theme/mdbook-frameworks.css"),
    ),
    (
        "theme/mdbook-frameworks.js",
        "additional-js",
        include_str!("../../theme/mdbook-frameworks.js"),
    ),
];

/// Edits `book_dir/book.toml` and prints what changed.
pub fn run(book_dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let path = book_dir.join("book.toml");
    let text = match read_book_toml(&path) {
        Ok(text) => text,
        Err(problems) => return report(err, problems),
    };
    let edit = match configure(&path, &text) {
        Ok(edit) => edit,
        Err(problem) => return report(err, vec![problem]),
    };
    let mut edit = edit;
    // The assets the book.toml now loads: written when missing; a file that differs
    // (the author's changes, or an older version) is kept.
    for (file, _, content) in ASSETS {
        let target = book_dir.join(file);
        match std::fs::read_to_string(&target) {
            Ok(existing) if existing == *content => {}
            Ok(_) => edit.notes.push(format!(
                "kept {file}, which differs from this version's; delete it and run install again to update it"
            )),
            Err(_) => {
                let written = target
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&target, content));
                if let Err(error) = written {
                    return report(
                        err,
                        vec![Diagnostic::error_in_file(
                            &target,
                            format!("cannot write {file}: {error}"),
                        )],
                    );
                }
                edit.changes.push(format!("wrote {file}"));
            }
        }
    }
    for note in &edit.notes {
        let _ = writeln!(out, "{note}");
    }
    if edit.changes.is_empty() {
        let _ = writeln!(
            out,
            "{} is already configured for mdbook-frameworks; nothing changed",
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    if edit.text != text
        && let Err(error) = std::fs::write(&path, &edit.text)
    {
        return report(
            err,
            vec![Diagnostic::error_in_file(
                &path,
                format!("cannot write book.toml: {error}"),
            )],
        );
    }
    for change in &edit.changes {
        let _ = writeln!(out, "{change}");
    }
    ExitCode::SUCCESS
}

/// The edited file, what changed, and what was deliberately left alone.
#[derive(Debug)]
pub struct Edit {
    /// The new content of `book.toml`.
    pub text: String,
    /// One line per change, e.g. `set before = ["links"]`.
    pub changes: Vec<String>,
    /// Values kept as the author set them, worth knowing about.
    pub notes: Vec<String>,
}

/// Works out the edit of `text` (the content of `path`) without writing anything.
pub fn configure(path: &Path, text: &str) -> Result<Edit, Diagnostic> {
    let mut document: DocumentMut = text.parse().map_err(|error: toml_edit::TomlError| {
        let offset = error.span().map_or(0, |s| s.start);
        Diagnostic::error_at(
            path,
            text,
            offset,
            error.message().trim().replace('\n', " "),
        )
    })?;
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let shown = path.display();

    let preprocessors = table_in(document.as_table_mut(), "preprocessor", true, path)?;
    let ours = match preprocessors.get_mut("frameworks") {
        Some(item) => item.as_table_mut().ok_or_else(|| {
            Diagnostic::error_in_file(path, "`preprocessor.frameworks` is not a table")
                .with_hint("write it as a [preprocessor.frameworks] section")
        })?,
        None => {
            preprocessors.insert("frameworks", Item::Table(new_table()));
            changes.push(format!(
                "added [preprocessor.frameworks] to {shown} (command = \"{COMMAND}\", before = [\"{LINKS}\"])"
            ));
            return finish(document, path, changes, notes);
        }
    };

    match ours.get("command").and_then(Item::as_str) {
        None if ours.contains_key("command") => {
            return Err(Diagnostic::error_in_file(
                path,
                "`command` in [preprocessor.frameworks] must be a string",
            ));
        }
        None => {
            ours.insert("command", toml_edit::value(COMMAND));
            changes.push(format!("set command = \"{COMMAND}\""));
        }
        Some(command) if command != COMMAND => notes.push(format!(
            "kept command = \"{command}\" (the installed binary would be \"{COMMAND}\")"
        )),
        Some(_) => {}
    }
    ensure_before_links(ours, path, &mut changes)?;
    drop_links_from_after(ours, path, &mut changes)?;

    let data = data_dirs(ours, path)?;
    if !data.dirs.is_empty() {
        let src = book_src(&document);
        watch_dirs(&mut document, path, &data.dirs, &src, &mut changes)?;
    }
    for file in data.at_root {
        notes.push(format!(
            "`mdbook serve` cannot watch {file} in the book root without watching the built book too; \
             move it into a directory (e.g. data/) to have edits rebuild the book"
        ));
    }
    finish(document, path, changes, notes)
}

fn finish(
    mut document: DocumentMut,
    path: &Path,
    mut changes: Vec<String>,
    notes: Vec<String>,
) -> Result<Edit, Diagnostic> {
    load_assets(&mut document, path, &mut changes)?;
    Ok(Edit {
        text: document.to_string(),
        changes,
        notes,
    })
}

/// Adds each of [`ASSETS`] to its `output.html` list, keeping the author's entries.
fn load_assets(
    document: &mut DocumentMut,
    path: &Path,
    changes: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    let output = table_in(document.as_table_mut(), "output", true, path)?;
    let html = table_in(output, "html", true, path)?;
    for (file, key, _) in ASSETS {
        if !html.contains_key(key) {
            html.insert(key, toml_edit::value(Array::new()));
        }
        let list = html
            .get_mut(key)
            .and_then(Item::as_array_mut)
            .ok_or_else(|| {
                Diagnostic::error_in_file(
                    path,
                    format!("`output.html.{key}` must be a list of paths"),
                )
            })?;
        if !list.iter().any(|v| {
            v.as_str().map(|s| normalized(Path::new(s))) == Some(normalized(Path::new(file)))
        }) {
            list.push(*file);
            // A table we just created needs its header written.
            html.set_implicit(false);
            changes.push(format!(
                "added \"{file}\" to output.html.{key} (tables that fit the page and the paper, readable links)"
            ));
        }
    }
    Ok(())
}

/// Our table for a book that has none: the command, and the ordering with a comment.
fn new_table() -> Table {
    let mut table = Table::new();
    table.insert("command", toml_edit::value(COMMAND));
    let key = Key::new("before").with_leaf_decor(Decor::new(BEFORE_COMMENT, " "));
    table.insert_formatted(&key, Item::Value(Value::Array(Array::from_iter([LINKS]))));
    table
}

/// The table `key` of `parent`, created (implicit, so no empty header is written)
/// when `create` is set and it is missing.
fn table_in<'a>(
    parent: &'a mut Table,
    key: &str,
    create: bool,
    path: &Path,
) -> Result<&'a mut Table, Diagnostic> {
    if create && !parent.contains_key(key) {
        let mut table = Table::new();
        table.set_implicit(true);
        parent.insert(key, Item::Table(table));
    }
    parent
        .get_mut(key)
        .and_then(Item::as_table_mut)
        .ok_or_else(|| {
            Diagnostic::error_in_file(path, format!("`{key}` is not a table")).with_hint(format!(
                "write it as a [{key}] section, then run install again"
            ))
        })
}

fn ensure_before_links(
    ours: &mut Table,
    path: &Path,
    changes: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    match ours.get_mut("before") {
        None => {
            let key = Key::new("before").with_leaf_decor(Decor::new(BEFORE_COMMENT, " "));
            ours.insert_formatted(&key, Item::Value(Value::Array(Array::from_iter([LINKS]))));
            changes.push(format!("set before = [\"{LINKS}\"]"));
        }
        Some(item) => {
            let list = item.as_array_mut().ok_or_else(|| {
                Diagnostic::error_in_file(
                    path,
                    "`before` in [preprocessor.frameworks] must be a list",
                )
                .with_hint(format!("write before = [\"{LINKS}\"]"))
            })?;
            if !list.iter().any(|v| v.as_str() == Some(LINKS)) {
                list.push(LINKS);
                changes.push(format!(
                    "added \"{LINKS}\" to before (kept your other entries), so escapes like \\{{{{#...}}}} survive"
                ));
            }
        }
    }
    Ok(())
}

/// `after = ["links"]` contradicts `before = ["links"]`: mdBook rejects the cycle.
fn drop_links_from_after(
    ours: &mut Table,
    path: &Path,
    changes: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    let Some(item) = ours.get_mut("after") else {
        return Ok(());
    };
    let list = item.as_array_mut().ok_or_else(|| {
        Diagnostic::error_in_file(path, "`after` in [preprocessor.frameworks] must be a list")
    })?;
    let before = list.len();
    list.retain(|v| v.as_str() != Some(LINKS));
    if list.len() != before {
        // Removing the first entry would leave the next one's leading space.
        list.fmt();
        changes.push(format!(
            "removed \"{LINKS}\" from after: we must run before it"
        ));
    }
    Ok(())
}

/// Directories of the table's `data` files, and the files that sit in the book root.
struct DataDirs {
    dirs: Vec<PathBuf>,
    at_root: Vec<String>,
}

fn data_dirs(ours: &Table, path: &Path) -> Result<DataDirs, Diagnostic> {
    let mut found = DataDirs {
        dirs: Vec::new(),
        at_root: Vec::new(),
    };
    let Some(item) = ours.get("data") else {
        return Ok(found);
    };
    let not_a_list = || {
        Diagnostic::error_in_file(
            path,
            "`data` in [preprocessor.frameworks] must be a list of paths",
        )
    };
    for value in item.as_array().ok_or_else(not_a_list)? {
        let file = value.as_str().ok_or_else(not_a_list)?;
        let dir = normalized(Path::new(file).parent().unwrap_or(Path::new("")));
        if dir.as_os_str().is_empty() {
            found.at_root.push(file.to_owned());
        } else if !found.dirs.contains(&dir) {
            found.dirs.push(dir);
        }
    }
    Ok(found)
}

fn book_src(document: &DocumentMut) -> PathBuf {
    let src = document
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(Item::as_str)
        .unwrap_or("src");
    normalized(Path::new(src))
}

/// Adds the data directories to `build.extra-watch-dirs`, skipping those that
/// mdBook already watches: the source directory and existing entries (or their
/// subdirectories).
fn watch_dirs(
    document: &mut DocumentMut,
    path: &Path,
    dirs: &[PathBuf],
    src: &Path,
    changes: &mut Vec<String>,
) -> Result<(), Diagnostic> {
    let build = table_in(document.as_table_mut(), "build", true, path)?;
    let build_was_implicit = build.is_implicit();
    if !build.contains_key("extra-watch-dirs") {
        build.insert("extra-watch-dirs", toml_edit::value(Array::new()));
    }
    let list = build
        .get_mut("extra-watch-dirs")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| {
            Diagnostic::error_in_file(path, "`build.extra-watch-dirs` must be a list of paths")
        })?;
    let mut watched: Vec<PathBuf> = list
        .iter()
        .filter_map(Value::as_str)
        .map(|d| normalized(Path::new(d)))
        .collect();
    watched.push(src.to_path_buf());
    let mut added = Vec::new();
    for dir in dirs {
        if watched.iter().any(|w| dir.starts_with(w)) {
            continue;
        }
        let entry = dir.to_string_lossy().replace('\\', "/");
        list.push(entry.as_str());
        watched.push(dir.clone());
        added.push(format!("\"{entry}\""));
    }
    if list.is_empty() {
        // Nothing to watch after all: leave no trace of the key or table.
        build.remove("extra-watch-dirs");
        if build.is_empty() && build_was_implicit {
            document.as_table_mut().remove("build");
        }
    } else if !added.is_empty() {
        // A `[build]` we just created needs its header written.
        build.set_implicit(false);
        changes.push(format!(
            "added {} to build.extra-watch-dirs, so `mdbook serve` rebuilds when data files change",
            added.join(", ")
        ));
    }
    Ok(())
}

/// The path without `.` components, for comparing directories as written.
fn normalized(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str) -> Edit {
        configure(Path::new("book.toml"), text).unwrap()
    }

    #[test]
    fn adds_the_table_keeping_every_other_byte() {
        let text = "# My course\n[book]\ntitle = \"T\"  # the title\n\n[output.html]\nmathjax-support = true\n";
        let result = edit(text);
        assert!(result.text.starts_with(text), "{}", result.text);
        assert_eq!(
            &result.text[text.len()..],
            "additional-css = [\"theme/mdbook-frameworks.css\"]\nadditional-js = [\"theme/mdbook-frameworks.js\"]\n\n[preprocessor.frameworks]\ncommand = \"mdbook-frameworks\"\n# Run before mdBook's `links` preprocessor, which would strip the backslash of \\{{#...}} escapes.\nbefore = [\"links\"]\n"
        );
        assert_eq!(result.changes.len(), 3, "{:?}", result.changes);
        assert!(result.changes[0].starts_with("added [preprocessor.frameworks] to book.toml"));
        assert!(
            result.changes[1]
                .starts_with("added \"theme/mdbook-frameworks.css\" to output.html.additional-css")
        );
        let again = edit(&result.text);
        assert!(again.changes.is_empty(), "{:?}", again.changes);
        assert_eq!(again.text, result.text);
    }

    #[test]
    fn keeps_author_values_but_ensures_links_ordering() {
        let text = "[preprocessor.frameworks]\ncommand = \"cargo run --\"\nbefore = [\"katex\"]\nafter = [\"links\", \"toc\"]\non-error = \"warn\"\n";
        let result = edit(text);
        assert_eq!(
            result.text,
            "[preprocessor.frameworks]\ncommand = \"cargo run --\"\nbefore = [\"katex\", \"links\"]\nafter = [\"toc\"]\non-error = \"warn\"\n\n[output.html]\nadditional-css = [\"theme/mdbook-frameworks.css\"]\nadditional-js = [\"theme/mdbook-frameworks.js\"]\n"
        );
        assert_eq!(result.changes.len(), 4, "{:?}", result.changes);
        assert!(result.notes[0].contains("kept command = \"cargo run --\""));
    }

    #[test]
    fn watches_data_directories_once_and_merges_with_existing_entries() {
        let text = "[book]\nsrc = \"text\"\n\n[build]\nextra-watch-dirs = [\"theme-extra\"]\n\n[preprocessor.frameworks]\ncommand = \"mdbook-frameworks\"\nbefore = [\"links\"]\ndata = [\"./data/a.toml\", \"data/b.bib\", \"text/local.toml\", \"top.toml\", \"more/c.toml\"]\n";
        let result = edit(text);
        assert!(
            result
                .text
                .contains("extra-watch-dirs = [\"theme-extra\", \"data\", \"more\"]"),
            "{}",
            result.text
        );
        assert_eq!(result.changes.len(), 3, "{:?}", result.changes);
        assert!(result.notes.iter().any(|n| n.contains("top.toml")));
        assert!(edit(&result.text).changes.is_empty());
    }

    #[test]
    fn creates_a_build_section_for_data_directories() {
        let text =
            "[book]\ntitle = \"T\"\n\n[preprocessor.frameworks]\ndata = [\"course-data/x.toml\"]\n";
        let result = edit(text);
        assert!(
            result
                .text
                .contains("\n[build]\nextra-watch-dirs = [\"course-data\"]\n"),
            "{}",
            result.text
        );
        let only_root = edit(
            "[preprocessor.frameworks]\ncommand = \"x\"\nbefore = [\"links\"]\ndata = [\"x.toml\"]\n",
        );
        assert!(!only_root.text.contains("build"), "{}", only_root.text);
    }

    #[test]
    fn loads_the_stylesheet_and_script_next_to_the_authors_own() {
        let text = "[output.html]\nadditional-css = [\"custom.css\", \"./theme/mdbook-frameworks.css\"] # mine\n";
        let result = edit(text);
        assert!(
            result.text.starts_with(
                "[output.html]\nadditional-css = [\"custom.css\", \"./theme/mdbook-frameworks.css\"] # mine\nadditional-js = [\"theme/mdbook-frameworks.js\"]\n"
            ),
            "the stylesheet, already listed as ./theme/..., is not added twice: {}",
            result.text
        );
        let problem = configure(
            Path::new("book.toml"),
            "[output.html]\nadditional-js = \"x.js\"\n",
        )
        .unwrap_err();
        assert!(
            problem
                .to_string()
                .contains("`output.html.additional-js` must be a list"),
            "{problem}"
        );
    }

    #[test]
    fn invalid_toml_and_wrong_types_are_located_errors() {
        let problem = configure(Path::new("book.toml"), "[book]\ntitle = = 1\n").unwrap_err();
        assert!(problem.to_string().starts_with("book.toml:2:"), "{problem}");
        let problem = configure(
            Path::new("book.toml"),
            "[preprocessor.frameworks]\nbefore = \"links\"\n",
        )
        .unwrap_err();
        assert!(problem.to_string().contains("`before`"), "{problem}");
    }
}
