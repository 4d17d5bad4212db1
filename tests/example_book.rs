//! The example books under `examples/`, built with the real mdBook engine
//! in-process, our preprocessor standing in for the `mdbook-frameworks` command
//! their book.toml names. Each book is copied to a temporary directory first, so
//! the build writes nothing into the source tree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_frameworks::FrameworksPreprocessor;
use regex::Regex;

/// Copies `examples/NAME` to a temporary directory, builds it, and returns the
/// directory (kept alive by the guard) and the HTML output directory.
fn build_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&source, dir.path());
    let mut book = MDBook::load(dir.path()).unwrap();
    book.with_preprocessor(FrameworksPreprocessor::new());
    book.build()
        .unwrap_or_else(|e| panic!("building examples/{name} failed: {e:#}"));
    let html = book.build_dir_for("html");
    (dir, html)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            // A build left in the example by hand is not part of it.
            if entry.file_name() != "book" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn page(html_dir: &Path, name: &str) -> String {
    std::fs::read_to_string(html_dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The page's main content, without mdBook's navigation and scripts.
fn main_content(html: &str) -> &str {
    let start = html.find("<main>").expect("a <main> element");
    let end = html.rfind("</main>").expect("a </main> element");
    &html[start..end]
}

/// Each `<table>` of the page as (header cells, body rows of cells), tags removed.
fn tables(html: &str) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let table = Regex::new(r"(?s)<table>(.*?)</table>").unwrap();
    let row = Regex::new(r"(?s)<tr>(.*?)</tr>").unwrap();
    let cell = Regex::new(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>").unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    table
        .captures_iter(html)
        .map(|t| {
            let mut rows = row.captures_iter(&t[1]).map(|r| {
                cell.captures_iter(&r[1])
                    .map(|c| tag.replace_all(&c[1], "").trim().to_owned())
                    .collect::<Vec<String>>()
            });
            let header = rows.next().unwrap_or_default();
            (header, rows.collect())
        })
        .collect()
}

/// `html` with each comparison-table note marker (`<sup><a href="#cite-…">1</a></sup>`)
/// replaced by the citation of its note under the table, so that a cell's text
/// shows its sources.
fn with_notes_inlined(html: &str) -> String {
    let note = Regex::new(r#"(?s)<li>((?:<span id="[^"]+"></span>)+)(.*?)</li>"#).unwrap();
    let span = Regex::new(r#"id="([^"]+)""#).unwrap();
    let mut notes = std::collections::HashMap::new();
    for n in note.captures_iter(html) {
        for id in span.captures_iter(&n[1]) {
            notes.insert(id[1].to_owned(), n[2].to_owned());
        }
    }
    let marker = Regex::new(r##"<sup><a href="#(cite-[^"]+)">\d+</a></sup>"##).unwrap();
    let inlined = marker.replace_all(html, |m: &regex::Captures| {
        let note = notes
            .get(&m[1])
            .unwrap_or_else(|| panic!("no note {}", &m[1]));
        format!(" {note}")
    });
    assert!(inlined.len() > html.len(), "no note marker found");
    inlined.into_owned()
}

/// The anchors `id="ref-KEY"` of a bibliography page.
fn entry_ids(html: &str) -> BTreeSet<String> {
    Regex::new(r#"id="(ref-[^"]+)""#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The `ref-KEY` fragments of links to `target` in a page.
fn links_to(html: &str, target: &str) -> BTreeSet<String> {
    Regex::new(&format!(r#"href="{}#(ref-[^"]+)""#, regex::escape(target)))
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_owned())
        .collect()
}

const COURSE_PAGES: &[&str] = &[
    "about.html",
    "frameworks.html",
    "compilers-and-scale.html",
    "history.html",
];

#[test]
fn course_book_compares_jax_from_its_own_data() {
    let (_dir, html) = build_example("ml-systems-course");
    let frameworks = page(&html, "frameworks.html");
    let content = main_content(&frameworks);
    let (header, rows) = tables(&with_notes_inlined(content))
        .into_iter()
        .find(|(header, _)| header.iter().any(|h| h == "JAX"))
        .expect("a comparison table with a JAX column");
    assert_eq!(
        header,
        ["Dimension", "PyTorch 2.x", "TensorFlow 2.x", "JAX"]
    );
    let labels: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        labels,
        [
            "Execution model",
            "Computational abstraction",
            "Automatic differentiation"
        ]
    );
    for row in &rows {
        let jax = &row[3];
        assert!(
            jax.contains("(Frostig et al., 2018, Section") && jax.contains("The JAX Authors"),
            "every JAX cell is sourced to the paper and the README: {jax}"
        );
    }
    assert!(rows[0][3].contains("jit"), "{}", rows[0][3]);
    assert!(!content.contains("mdbook-frameworks error"), "{content}");
}

#[test]
fn course_citations_resolve_to_reading_list_entries() {
    let (_dir, html) = build_example("ml-systems-course");
    let reading_list = page(&html, "reading-list.html");
    let ids = entry_ids(&reading_list);
    for key in [
        "moritz2018ray",
        "chen2018tvm",
        "dean2004mapreduce",
        "frostig2018compiling",
        "baydin2018automatic",
        "jax_readme",
    ] {
        assert!(
            ids.contains(&format!("ref-{key}")),
            "no entry for {key} in {ids:?}"
        );
    }
    let mut linked = BTreeSet::new();
    for name in COURSE_PAGES {
        let targets = links_to(main_content(&page(&html, name)), "reading-list.html");
        for target in &targets {
            assert!(
                ids.contains(target),
                "{name} links to #{target}, which the reading list lacks"
            );
        }
        linked.extend(targets);
    }
    for reading in [
        "ref-moritz2018ray",
        "ref-chen2018tvm",
        "ref-dean2004mapreduce",
    ] {
        assert!(linked.contains(reading), "no citation links to {reading}");
    }
    let entry = Regex::new(r#"(?s)id="ref-moritz2018ray"></a>(.*?)</li>"#)
        .unwrap()
        .captures(&reading_list)
        .expect("the Ray entry")[1]
        .to_owned();
    assert!(
        entry.contains("Ray: A Distributed Framework for Emerging AI Applications")
            && entry.contains("561–577"),
        "{entry}"
    );
}

#[test]
fn course_escape_and_facts_come_through() {
    let (_dir, html) = build_example("ml-systems-course");
    let about = page(&html, "about.html");
    let content = main_content(&about);
    assert!(
        content.contains("{{#paper-citation moritz2018ray}}")
            && !content.contains("\\{{#paper-citation moritz2018ray}}"),
        "the escaped directive is shown as written, without its backslash"
    );
    assert!(
        content.contains("released in\n2018 under the\nApache-2.0"),
        "{content}"
    );
    let history = main_content(&page(&html, "history.html")).to_owned();
    assert!(history.contains("First public release of JAX"), "{history}");
}

#[test]
fn database_book_uses_only_its_own_data() {
    let (_dir, html) = build_example("databases");
    let comparison = page(&html, "comparison.html");
    let content = main_content(&comparison);
    let all = tables(&with_notes_inlined(content));
    let (header, rows) = all.first().expect("a comparison table");
    assert_eq!(header, &["Dimension", "PostgreSQL", "SQLite"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "Architecture");
    assert!(rows[0][1].starts_with("Client/server"), "{:?}", rows[0]);
    assert!(rows[0][2].starts_with("In-process"), "{:?}", rows[0]);
    assert_eq!(rows[1][0], "Concurrency control");
    assert!(rows[1][1].contains("Multiversion"), "{:?}", rows[1]);
    // IEEE style, as the book configures: numbered citations, `[3]` or `[3, Sec. 1.2]`.
    let numbered = Regex::new(r"\[\d+[],]").unwrap();
    for row in rows {
        for cell in &row[1..] {
            assert!(numbered.is_match(cell), "unsourced cell: {cell}");
        }
    }
    assert!(!content.contains("PyTorch"), "built-in data leaked in");
    let references = page(&html, "references.html");
    let ids = entry_ids(&references);
    let links = links_to(content, "references.html");
    assert!(links.contains("ref-gaffney2022sqlite"), "{links:?}");
    assert!(links.is_subset(&ids), "{links:?} vs {ids:?}");
}
