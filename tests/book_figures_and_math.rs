//! Builds this repository's own book in-process (as `tests/book.rs` does) and checks
//! two things the HTML must get right for readers:
//!
//! - **Maths reaches MathJax intact.** For every `\\( … \\)` and `\\[ … \\]` span in
//!   every chapter's Markdown source, the built page's text holds `\( … \)` (or
//!   `\[ … \]`) with exactly the TeX MathJax must receive: the source with Markdown's
//!   backslash escapes undone (`\\,` → `\,`, `\_` → `_`, `\\\\` → `\\`, …), and with
//!   nothing eaten by Markdown (an `_` or `*` pair turned into emphasis, a lost `\{`).
//! - **Figures are there and accessible.** Every figure file the book references
//!   (`{{#include …figures/…}}`, `src="…figures/…"`) exists, every SVG under
//!   `book/figures/` is used and has a `<title>`, and every inlined `<svg>` in the
//!   built pages has a `<title>`.
//!
//! The preprocessor runs in-process (`with_preprocessor`), so no `cargo run` nests
//! inside the test; only the build directory moves to a temporary one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mdbook_driver::book::BookItem;
use scraper::{Html, Selector};

mod common;

#[test]
fn maths_reaches_the_html_intact_and_every_figure_exists_with_a_title() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("a temporary build directory");

    let book = common::own_book(out.path());
    // Chapter source path (relative to book/) → built page (relative to the output).
    let chapters: Vec<(PathBuf, PathBuf)> = book
        .iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => chapter.path.clone(),
            _ => None,
        })
        .map(|source| {
            let html = if source.file_name().is_some_and(|n| n == "README.md") {
                source.with_file_name("index.html")
            } else {
                source.with_extension("html")
            };
            (source, html)
        })
        .collect();
    book.build().expect("the book builds");

    let src = root.join("book");
    let mut failures = Vec::new();
    let mut spans_checked = 0;
    let mut figures_referenced = BTreeMap::new();

    for (source, page) in &chapters {
        let markdown = std::fs::read_to_string(src.join(source))
            .unwrap_or_else(|e| panic!("reading {}: {e}", source.display()));
        let html_text = std::fs::read_to_string(out.path().join(page))
            .unwrap_or_else(|e| panic!("reading built {}: {e}", page.display()));
        let html = Html::parse_document(&html_text);
        let text = squeeze(&page_text(&html));

        for span in maths_spans(&markdown) {
            let expected = squeeze(&format!(
                "{}{}{}",
                span.open,
                unescape_markdown(&span.tex),
                span.close
            ));
            if !text.contains(&expected) {
                failures.push(format!(
                    "maths not intact in {}: the source span {:?} should reach the page text as {:?}",
                    page.display(),
                    span.tex,
                    expected
                ));
            }
            spans_checked += 1;
        }

        for reference in figure_references(&markdown) {
            let path = normalise(&src.join(source).parent().unwrap().join(&reference));
            if !path.is_file() {
                failures.push(format!(
                    "{} references a missing figure: {reference}",
                    source.display()
                ));
            }
            figures_referenced.insert(path, source.clone());
        }

        let svgs = Selector::parse("svg").unwrap();
        let titles = Selector::parse("title").unwrap();
        for svg in html.select(&svgs) {
            // Only figures: mdBook's own icons are <svg> too, inside buttons and links.
            let in_figure = svg
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| a.value().name() == "figure");
            if in_figure && svg.select(&titles).next().is_none() {
                failures.push(format!(
                    "an inlined <svg> in {} has no <title>",
                    page.display()
                ));
            }
        }
    }

    // Every SVG in book/figures/ is used, and is an editable source with a title.
    let figures_dir = src.join("figures");
    let mut figure_files = 0;
    for entry in std::fs::read_dir(&figures_dir).expect("book/figures/ exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        figure_files += 1;
        let svg = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !svg.contains("<title") {
            failures.push(format!("book/figures/{name} has no <title>"));
        }
        if !svg.contains("viewBox=") {
            failures.push(format!("book/figures/{name} has no viewBox"));
        }
        // mdBook passes an HTML block through only up to its first blank line.
        if svg.lines().any(|line| line.trim().is_empty()) {
            failures.push(format!(
                "book/figures/{name} has a blank line, which would end the HTML block"
            ));
        }
        if !figures_referenced.contains_key(&normalise(&path)) {
            failures.push(format!("book/figures/{name} is not used by any chapter"));
        }
    }

    assert!(
        spans_checked > 50,
        "only {spans_checked} maths spans found in the book"
    );
    assert!(
        figure_files >= 4,
        "only {figure_files} SVG figures in book/figures/"
    );
    assert!(
        failures.is_empty(),
        "{} problem(s) ({spans_checked} maths spans checked):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The functions under test do what they claim on small hand-written input.
#[test]
fn helpers_find_maths_undo_escapes_and_skip_code() {
    let markdown = "a \\\\(x\\_1 \\\\, y\\\\) b `\\\\(code\\\\)`\n\n```\n\\\\[z\\\\]\n```\n\\\\[\n\\{a\\} \\\\\\\\ b\n\\\\]\n";
    let spans: Vec<_> = maths_spans(markdown)
        .into_iter()
        .map(|s| (s.open, unescape_markdown(&s.tex)))
        .collect();
    assert_eq!(
        spans,
        vec![
            ("\\(", "x_1 \\, y".to_string()),
            ("\\[", "\n{a} \\\\ b\n".to_string()),
        ]
    );
    assert_eq!(
        figure_references("x\n{{#include ../figures/a.svg}}\n<img src=\"../figures/b.svg\">\n"),
        vec![
            "../figures/a.svg".to_string(),
            "../figures/b.svg".to_string()
        ]
    );
    assert_eq!(squeeze(" a \n  b "), "a b");
}

struct Span {
    open: &'static str,
    close: &'static str,
    tex: String,
}

/// The `\\( … \\)` and `\\[ … \\]` spans of a chapter's Markdown, outside code
/// (fenced blocks and inline code spans), in order.
fn maths_spans(markdown: &str) -> Vec<Span> {
    let prose = strip_code(markdown);
    let mut spans = Vec::new();
    let mut rest = prose.as_str();
    loop {
        let inline = rest.find("\\\\(");
        let display = rest.find("\\\\[");
        let (at, open, close, close_md) = match (inline, display) {
            (Some(i), Some(d)) if d < i => (d, "\\[", "\\]", "\\\\]"),
            (Some(i), _) => (i, "\\(", "\\)", "\\\\)"),
            (None, Some(d)) => (d, "\\[", "\\]", "\\\\]"),
            (None, None) => break,
        };
        let body = &rest[at + 3..];
        let Some(end) = body.find(close_md) else {
            break;
        };
        spans.push(Span {
            open,
            close,
            tex: body[..end].to_string(),
        });
        rest = &body[end + 3..];
    }
    spans
}

/// The Markdown with fenced code blocks and inline code spans blanked out.
fn strip_code(markdown: &str) -> String {
    let mut prose = String::new();
    let mut fence: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        match &fence {
            Some(open) => {
                if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == marker {
                    fence = None;
                }
                prose.push('\n');
                continue;
            }
            None if marker.len() >= 3 => {
                fence = Some(marker);
                prose.push('\n');
                continue;
            }
            None => {}
        }
        prose.push_str(&strip_inline_code(line));
        prose.push('\n');
    }
    prose
}

/// A line with its inline code spans (`` `…` ``, ``` ``…`` ```) removed.
fn strip_inline_code(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + ticks..];
        let closing = "`".repeat(ticks);
        match after.find(&closing) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// CommonMark's backslash escapes undone: `\` before ASCII punctuation drops.
fn unescape_markdown(tex: &str) -> String {
    let mut out = String::new();
    let mut chars = tex.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Paths of figure files a chapter references, as written.
fn figure_references(markdown: &str) -> Vec<String> {
    let pattern =
        regex::Regex::new(r#"\{\{#include\s+([^\s}]*figures/[^\s}:]+)|src="([^"]*figures/[^"]+)""#)
            .unwrap();
    pattern
        .captures_iter(markdown)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The text of a page's `<main>` (or the whole document), entities decoded.
fn page_text(html: &Html) -> String {
    let main = Selector::parse("main").unwrap();
    match html.select(&main).next() {
        Some(main) => main.text().collect(),
        None => html.root_element().text().collect(),
    }
}

/// Runs of whitespace collapsed to one space, ends trimmed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
