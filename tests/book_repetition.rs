//! Issue 12, section 4: the book prints its full comparison table once, and the
//! other chapters discuss and cite rather than reprint the same cells. This suite
//! builds the repository's own book in-process (as `tests/book.rs` does) and checks
//! that no generated comparison cell appears on more than [`MAX_PAGES`] pages.
//!
//! A cell is compared by the claims it shows, not by its raw text: an unpinned
//! column labels each claim with its versions (*PyTorch <2:* …; *PyTorch >=2:* …)
//! where a pinned column shows the one claim bare, and the note numbers of the
//! citation markers differ from page to page. So each data cell of a generated
//! table (inside `<div class="mdbook-frameworks-table">`) is split into its claims'
//! values — the text before each citation marker, without the version label, the
//! marker or the claim's note — and each value is counted once per page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Node, Selector};

mod common;

/// The most pages one cell may appear on: the full table, plus one chapter.
const MAX_PAGES: usize = 2;

/// Pages that gather or frame other pages rather than being a chapter of their own.
const NOT_CHAPTERS: [&str; 3] = ["print.html", "404.html", "toc.html"];

#[test]
fn no_generated_comparison_cell_appears_on_more_than_two_pages() {
    let out = tempfile::tempdir().expect("a temporary build directory");
    common::own_book(out.path())
        .build()
        .expect("the book builds");

    let files = common::html_files(out.path());
    let mut pages: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(out.path()).unwrap().to_path_buf();
            let text = std::fs::read_to_string(&file).expect("a built page reads as UTF-8");
            (relative, text)
        })
        .filter(|(relative, _)| !NOT_CHAPTERS.iter().any(|name| relative == Path::new(name)))
        .collect();
    // mdBook writes index.html as a copy of the first chapter when the book has no
    // README; that copy is the same page, not a second one.
    let main = Selector::parse("main").unwrap();
    let content = |text: &str| {
        let html = Html::parse_document(text);
        html.select(&main).next().map(|m| m.html())
    };
    if let Some(at) = pages.iter().position(|(p, _)| p == Path::new("index.html")) {
        let index = content(&pages[at].1);
        if pages
            .iter()
            .any(|(p, text)| p != Path::new("index.html") && content(text) == index)
        {
            pages.remove(at);
        }
    }

    // claim text -> pages it is printed on
    let mut seen: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut cells_checked = 0;
    for (path, text) in &pages {
        let html = Html::parse_document(text);
        for claim in generated_table_claims(&html) {
            cells_checked += 1;
            seen.entry(claim).or_default().insert(path.clone());
        }
    }
    // Guards against a walk that finds nothing, e.g. after a change of markup.
    assert!(
        cells_checked > 0,
        "no cell of a generated comparison table found in the built book"
    );

    let worst = seen.values().map(BTreeSet::len).max().unwrap_or(0);
    let repeated: Vec<String> = seen
        .iter()
        .filter(|(_, on)| on.len() > MAX_PAGES)
        .map(|(claim, on)| {
            let on: Vec<String> = on.iter().map(|p| p.display().to_string()).collect();
            format!("on {} pages ({}): {claim}", on.len(), on.join(", "))
        })
        .collect();
    eprintln!(
        "{} distinct cell claims in {} pages; the most-repeated is on {worst} page(s)",
        seen.len(),
        pages.len()
    );
    assert!(
        repeated.is_empty(),
        "{} generated cell(s) appear on more than {MAX_PAGES} pages:\n{}",
        repeated.len(),
        repeated.join("\n")
    );
}

/// The splitting of cells into claims, on a hand-written table in the generated
/// markup: version labels, markers, notes and empty cells.
#[test]
fn cells_split_into_claims_without_labels_markers_or_notes() {
    let html = Html::parse_document(
        r##"<div class="mdbook-frameworks-table"><table>
        <thead><tr><th>Dimension</th><th><strong>A</strong></th><th><strong>B</strong></th></tr></thead>
        <tbody>
        <tr><td><strong>Row</strong></td>
            <td><em>A &lt;2:</em> Old <code>x</code>; way.<sup><a href="#n-1">1</a></sup> <em>Note:</em> says so; really; <em>A &gt;=2:</em> New.<sup><a href="#n-2">2</a></sup></td>
            <td>—</td></tr>
        <tr><td><strong>Other</strong></td><td>Bare.<sup><a href="#n-3">3</a></sup> <em>Note:</em> a note</td><td></td></tr>
        </tbody></table></div>
        <table><tr><td>Hand-written.</td></tr></table>"##,
    );
    assert_eq!(
        generated_table_claims(&html),
        ["Old x; way.", "New.", "Bare."]
    );
}

/// The claim values shown in the data cells of every generated comparison table
/// on a page: the first cell of each row (its label) and header cells are skipped.
fn generated_table_claims(html: &Html) -> Vec<String> {
    let rows = Selector::parse("div.mdbook-frameworks-table tbody tr").unwrap();
    let cells = Selector::parse("td").unwrap();
    let mut claims = Vec::new();
    for row in html.select(&rows) {
        for cell in row.select(&cells).skip(1) {
            claims.extend(cell_claims(cell));
        }
    }
    claims
}

/// Splits one cell into its claims' values. A claim is rendered as
/// `[<em>Label:</em>] value <sup>marker</sup> [<em>Note:</em> note]`, claims joined
/// by "; ". Each marker ends a value; an `<em>` ending in a colon (a version label
/// or the note's label) starts afresh, dropping the separator and any note before
/// it; what follows the last marker is a note and is dropped.
fn cell_claims(cell: ElementRef<'_>) -> Vec<String> {
    let mut claims = Vec::new();
    let mut current = String::new();
    for child in cell.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(element) => {
                let text: String = ElementRef::wrap(child).unwrap().text().collect();
                match element.name() {
                    "sup" => {
                        let value = squeeze(current.trim_start_matches([';', ' ', '\n']));
                        if !value.is_empty() && value != "—" {
                            claims.push(value);
                        }
                        current.clear();
                    }
                    "em" if text.trim_end().ends_with(':') => current.clear(),
                    _ => current.push_str(&text),
                }
            }
            _ => {}
        }
    }
    claims
}

/// Collapses runs of whitespace, so claims compare (and print) on one line.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
