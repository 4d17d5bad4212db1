//! The data loader on arbitrary TOML and bibliographies: `ModelBuilder::add_toml`,
//! `add_works` for BibTeX, hayagriva YAML and CSL-JSON, and `build_partial`, and
//! every directive rendered from whatever model the loader keeps.
//!
//! Input: `[+\n]TOML[\0BIBTEX[\0YAML[\0CSLJSON]]]`; a leading `+` line loads on
//! top of the built-in data (overrides), otherwise onto an empty model. Checks: no
//! panic; the model kept from any input renders every directive without failing
//! in warn mode.
#![no_main]

use std::fmt::Write as _;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mdbook_frameworks::model::{Model, ModelBuilder};
use mdbook_frameworks::render::FRAMEWORK_FACT_FIELDS;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (on_builtin, text) = match text.strip_prefix("+\n") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = text.splitn(4, '\0');
    let toml = parts.next().unwrap_or_default();
    let files = [
        ("works.bib", parts.next().unwrap_or_default()),
        ("works.yaml", parts.next().unwrap_or_default()),
        ("works.json", parts.next().unwrap_or_default()),
    ];
    let mut builder = if on_builtin {
        ModelBuilder::on_top_of(Model::builtin().clone())
    } else {
        ModelBuilder::new()
    };
    builder.add_toml(Path::new("data.toml"), toml);
    for (name, text) in files {
        if !text.is_empty() {
            builder.add_works(Path::new(name), text);
        }
    }
    let (model, _overrides, _problems) = builder.build_partial();
    render_everything(model);
});

/// One chapter using every directive over every id of the model.
fn render_everything(model: Model) {
    let mut content = String::from("{{#comparison-table}}\n\n{{#comparison-table transpose}}\n\n");
    for framework in model.frameworks().iter().take(8) {
        let id = &framework.id;
        writeln!(content, "{{{{#framework-profile {id}}}}}\n").unwrap();
        for field in FRAMEWORK_FACT_FIELDS {
            writeln!(content, "{{{{#framework-fact {id} {field} cite}}}}").unwrap();
        }
        writeln!(content, "\n{{{{#timeline frameworks={id}}}}}\n").unwrap();
    }
    for work in model.works().iter().take(16) {
        let key = work.key();
        for form in ["parenthetical", "narrative", "year", "author"] {
            writeln!(content, "{{{{#paper-citation {key} form={form} page=3}}}}").unwrap();
        }
    }
    content.push_str("\n{{#timeline}}\n\n{{#bibliography}}\n\n{{#bibliography all}}\n");
    let mut book = Book::new_with_items(vec![BookItem::Chapter(Chapter::new(
        "All",
        content,
        "all.md",
        Vec::new(),
    ))]);
    let table = serde_json::json!({"on-error": "warn", "cache": false});
    let result = mdbook_frameworks::preprocess(
        Path::new("/nonexistent-fuzz-book"),
        &mdbook_frameworks::mdbook::BookSettings::default(),
        Some(&table),
        std::sync::Arc::new(model),
        &mut book,
        false,
        &mut std::io::sink(),
    );
    if let Err(failure) = result {
        panic!("warn mode failed on a model the loader accepted: {failure}");
    }
}
