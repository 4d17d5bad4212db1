//! The render cache: a rebuild reads what the last build rendered, and nothing that
//! changes the output (data, style, citations) is ever served from it.

mod common;

use std::path::{Path, PathBuf};

use common::{append_to_book_toml, basic_book, build_in_process, fixture_copy};

/// The pages of the `basic` fixture that show citations or references.
const CITING_PAGES: &[&str] = &[
    "citations.html",
    "tables.html",
    "bibliography.html",
    "all-works.html",
];

fn page(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("book").join(name))
        .unwrap_or_else(|e| panic!("{name} was built: {e}"))
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("cache")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// Replaces `from` by `to` in every cache file of the book, keeping the key.
fn rewrite_cache(dir: &Path, from: &str, to: &str) {
    let mut replaced = false;
    for file in cache_files(dir) {
        let bytes = std::fs::read(&file).unwrap();
        let (key, json) = bytes.split_at(16);
        let json = String::from_utf8(json.to_vec()).unwrap();
        replaced |= json.contains(from);
        std::fs::write(&file, [key, json.replace(from, to).as_bytes()].concat()).unwrap();
    }
    assert!(replaced, "some cache file holds {from:?}");
}

#[test]
fn a_rebuild_reads_the_cache_and_matches_an_uncached_build() {
    let cached = basic_book();
    append_to_book_toml(cached.path(), "cache = \"cache\"\n");
    let uncached = basic_book();
    append_to_book_toml(uncached.path(), "cache = false\n");

    build_in_process(cached.path()).unwrap();
    let names: Vec<String> = cache_files(cached.path())
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("-all.json") && names[1].ends_with("-cited.json"));

    build_in_process(cached.path()).unwrap();
    build_in_process(uncached.path()).unwrap();
    assert!(!uncached.path().join("cache").exists());
    for name in CITING_PAGES {
        assert_eq!(
            page(cached.path(), name),
            page(uncached.path(), name),
            "{name}"
        );
    }

    // Proof that the second build came from the cache: what the cache says is shown.
    rewrite_cache(cached.path(), "Imperative Style", "Cached Style");
    build_in_process(cached.path()).unwrap();
    assert!(page(cached.path(), "bibliography.html").contains("Cached Style"));
}

#[test]
fn a_damaged_cache_is_rendered_afresh() {
    let book = basic_book();
    append_to_book_toml(book.path(), "cache = \"cache\"\n");
    build_in_process(book.path()).unwrap();
    let expected: Vec<String> = CITING_PAGES.iter().map(|n| page(book.path(), n)).collect();

    for damage in [&b""[..], b"0123456789abcdef{not json", b"short"] {
        for file in cache_files(book.path()) {
            let bytes = std::fs::read(&file).unwrap();
            let damaged = if damage.is_empty() {
                bytes[..bytes.len() / 2].to_vec()
            } else {
                damage.to_vec()
            };
            std::fs::write(&file, damaged).unwrap();
        }
        build_in_process(book.path()).unwrap();
        let built: Vec<String> = CITING_PAGES.iter().map(|n| page(book.path(), n)).collect();
        assert_eq!(built, expected);
    }
}

#[test]
fn changed_data_style_or_citations_are_never_served_from_the_cache() {
    let book = fixture_copy("basic");
    let dir = book.path();
    std::fs::create_dir(dir.join("data")).unwrap();
    let data = |title: &str| {
        let text = format!(
            "@article{{cachetest2026, title = {{{title}}}, author = {{Doe, Jane}}, \
             journal = {{Journal of Tests}}, year = 2026}}\n"
        );
        std::fs::write(dir.join("data/extra.bib"), text).unwrap();
    };
    data("A First Title");
    append_to_book_toml(dir, "cache = \"cache\"\ndata = [\"data/extra.bib\"]\n");
    let chapter = dir.join("src/citations.md");
    let original = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{original}\nNew work: {{{{#paper-citation cachetest2026}}}}.\n"),
    )
    .unwrap();

    build_in_process(dir).unwrap();
    assert!(page(dir, "bibliography.html").contains("A First Title"));

    data("A Second Title");
    build_in_process(dir).unwrap();
    let bibliography = page(dir, "bibliography.html");
    assert!(bibliography.contains("A Second Title"), "data change seen");
    assert!(!bibliography.contains("A First Title"));

    std::fs::write(
        &chapter,
        format!("{original}\nNew work: {{{{#paper-citation cachetest2026 page=12}}}}.\n"),
    )
    .unwrap();
    build_in_process(dir).unwrap();
    assert!(page(dir, "citations.html").contains("Doe, 2026, p. 12"));

    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("{toml}citation-style = \"ieee\"\n"),
    )
    .unwrap();
    build_in_process(dir).unwrap();
    let citations = page(dir, "citations.html");
    assert!(!citations.contains("Doe, 2026"), "style change seen");
    assert!(citations.contains("[1]"));
}

/// Adds citations of works the chapter already cites, one of them in a new form.
fn add_citations(dir: &Path) {
    let chapter = dir.join("src/citations.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!(
            "{text}\nAdded: {{{{#paper-citation paszke2019pytorch page=4242}}}} and \
             {{{{#paper-citation bergstra2010theano,paszke2019pytorch form=narrative}}}}.\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_rebuild_with_new_citations_matches_an_uncached_build_in_every_style_kind() {
    for style in ["apa", "ieee"] {
        let cached = basic_book();
        append_to_book_toml(
            cached.path(),
            &format!("cache = \"cache\"\ncitation-style = \"{style}\"\n"),
        );
        build_in_process(cached.path()).unwrap();
        add_citations(cached.path());
        build_in_process(cached.path()).unwrap();

        let uncached = basic_book();
        append_to_book_toml(
            uncached.path(),
            &format!("cache = false\ncitation-style = \"{style}\"\n"),
        );
        add_citations(uncached.path());
        build_in_process(uncached.path()).unwrap();
        for name in CITING_PAGES {
            assert_eq!(
                page(cached.path(), name),
                page(uncached.path(), name),
                "{style}: {name}"
            );
        }
    }
}

#[test]
fn a_rebuild_with_new_citations_renders_only_those() {
    let book = basic_book();
    append_to_book_toml(book.path(), "cache = \"cache\"\n");
    build_in_process(book.path()).unwrap();
    // Marks what the cache holds; citations rendered again would lose the mark.
    rewrite_cache(
        book.path(),
        "Paszke et al., 2019",
        "Paszke et al., 2019 (cached)",
    );
    add_citations(book.path());
    build_in_process(book.path()).unwrap();
    let citations = page(book.path(), "citations.html");
    assert!(
        citations.contains("Paszke et al., 2019 (cached)"),
        "{citations}"
    );
    assert!(
        citations.contains("Paszke et al., 2019, p. 4242</a>"),
        "{citations}"
    );
}
