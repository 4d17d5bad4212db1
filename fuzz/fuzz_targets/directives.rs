//! The directive scanner and argument parser on arbitrary Markdown, then the whole
//! pipeline (`preprocess`, `on-error = "warn"`) on the same text split into chapters.
//!
//! Checks: no panic; every span the scanner reports is inside the text, on char
//! boundaries, and is what it claims to be; argument offsets stay inside the
//! directive; expansion in warn mode always succeeds and leaves text without
//! directives untouched.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

#[path = "checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    checks::check_scan(text);
    check_expansion(text);
});

/// Form feeds split the input into chapters; the second is nested in the first, so
/// links between chapters and book-wide numbering are exercised too.
fn check_expansion(text: &str) {
    let parts: Vec<&str> = text.splitn(3, '\u{c}').collect();
    let style = if text.len() % 2 == 0 { "apa" } else { "ieee" };
    let table = serde_json::json!({"on-error": "warn", "citation-style": style, "cache": false});
    let mut first = Chapter::new("One", parts[0].to_owned(), "one.md", Vec::new());
    if let Some(second) = parts.get(1) {
        let nested = Chapter::new(
            "Two",
            (*second).to_owned(),
            "part/two.md",
            vec!["One".to_owned()],
        );
        first.sub_items.push(BookItem::Chapter(nested));
    }
    let mut items = vec![BookItem::Chapter(first)];
    if let Some(third) = parts.get(2) {
        items.push(BookItem::Separator);
        items.push(BookItem::Chapter(Chapter::new(
            "Three",
            (*third).to_owned(),
            "README.md",
            Vec::new(),
        )));
    }
    let mut book = Book::new_with_items(items);
    let result = mdbook_frameworks::preprocess(
        Path::new("/nonexistent-fuzz-book"),
        &mdbook_frameworks::mdbook::BookSettings::default(),
        Some(&table),
        mdbook_frameworks::model::Model::shared_builtin(),
        &mut book,
        false,
        &mut std::io::sink(),
    );
    if let Err(failure) = result {
        panic!("warn mode failed: {failure}");
    }
    if !text.contains("{{#") {
        let out: Vec<&str> = book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(c) => Some(c.content.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(out, parts, "text without directives must not change");
    }
}
