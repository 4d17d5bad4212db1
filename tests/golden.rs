//! Golden files: each `tests/golden/NAME.in.md` is one chapter, expanded with
//! the built-in data through the library's whole pipeline, and must equal
//! `NAME.out.md` byte for byte. A first line `<!-- citation-style: NAME -->`
//! chooses the style. A mismatch prints a line diff.
//!
//! After a deliberate change, `UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites the `.out.md` files; review their diff before committing.

use std::path::{Path, PathBuf};

use mdbook_frameworks::mdbook::BookSettings;
use mdbook_frameworks::model::Model;
use mdbook_frameworks::preprocess;
use mdbook_preprocessor::book::{Book, Chapter};
use serde_json::json;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn expand(input: &str) -> String {
    let style = input
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("<!-- citation-style: "))
        .and_then(|l| l.strip_suffix(" -->"))
        .unwrap_or("apa");
    let mut book = Book::new();
    book.push_item(Chapter::new(
        "Golden",
        input.to_owned(),
        "golden.md",
        Vec::new(),
    ));
    let mut log = Vec::new();
    let table = json!({ "citation-style": style, "cache": false });
    preprocess(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &BookSettings::with_src(Path::new("book")),
        Some(&table),
        Model::shared_builtin(),
        &mut book,
        false,
        &mut log,
    )
    .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(log.is_empty(), "{}", String::from_utf8_lossy(&log));
    book.chapters().next().unwrap().content.clone()
}

#[test]
fn expansions_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".in.md"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    let mut failures = Vec::new();
    for input in inputs {
        let expected_path = PathBuf::from(input.to_string_lossy().replace(".in.md", ".out.md"));
        let actual = expand(&std::fs::read_to_string(&input).unwrap());
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "{} is missing; run UPDATE_GOLDEN=1 cargo test --test golden",
                expected_path.display()
            )
        });
        if actual != expected {
            let diff = similar::TextDiff::from_lines(&expected, &actual)
                .unified_diff()
                .header("expected", "actual")
                .to_string();
            failures.push(format!("{}:\n{diff}", expected_path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
