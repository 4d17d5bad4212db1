//! Builds this repository's own book in-process and checks the HTML it produces:
//! every page of SUMMARY.md is there, every internal link and `#anchor` resolves,
//! every citation reaches a bibliography entry, and no directive is left unexpanded
//! (outside code, and unless its chapter escapes it on purpose as `\{{#...}}`).
//!
//! The preprocessor runs in-process (`with_preprocessor` replaces the
//! `[preprocessor.frameworks]` command of the same name), so no `cargo run` nests
//! inside the test. Only the build directory moves to a temporary one: the book's
//! sources, `theme/` and data files are read where they are.

mod common;

use common::percent_decode;
use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use scraper::{ElementRef, Html, Node, Selector};

/// One built HTML page, its path relative to the output root.
struct Page {
    path: PathBuf,
    html: Html,
    ids: HashSet<String>,
    /// `<base href>`, which relative links resolve against (mdBook's 404 page has one).
    base: Option<String>,
}

/// The built book: every `.html` file under the output directory, by relative path.
struct Site {
    root: PathBuf,
    pages: BTreeMap<PathBuf, Page>,
}

#[test]
fn built_book_has_every_page_and_no_broken_link_citation_or_directive() {
    let out = tempfile::tempdir().expect("a temporary build directory");

    let book = common::own_book(out.path());
    let chapters = summary_chapters(&book);
    book.build().expect("the book builds");

    let site = Site::read(out.path());
    assert!(!site.pages.is_empty(), "the build wrote no HTML page");

    let mut failures = Vec::new();
    for (expected, _) in &chapters {
        if !site.root.join(expected).is_file() {
            failures.push(format!(
                "missing page: {} (listed in book/SUMMARY.md)",
                expected.display()
            ));
        }
    }

    let links = Selector::parse("a[href]").unwrap();
    let citations = Selector::parse(r##"a[href*="#ref-"]"##).unwrap();
    let (mut links_checked, mut citations_checked) = (0, 0);
    for page in site.pages.values() {
        for link in page.html.select(&links) {
            let href = link.value().attr("href").unwrap_or_default();
            if let Err(problem) = site.check_link(page, href) {
                failures.push(format!(
                    "broken link in {}: href=\"{href}\": {problem}",
                    page.path.display()
                ));
            }
            links_checked += 1;
        }
        for citation in page.html.select(&citations) {
            let href = citation.value().attr("href").unwrap_or_default();
            if let Err(problem) = site.check_link(page, href) {
                failures.push(format!(
                    "citation without bibliography entry in {}: \"{}\" href=\"{href}\": {problem}",
                    page.path.display(),
                    squeeze(&citation.text().collect::<String>()),
                ));
            }
            citations_checked += 1;
        }
        // Pages that are not one chapter (print.html, index.html) may show any.
        let sources: Vec<&str> = match chapters.iter().find(|(html, _)| *html == page.path) {
            Some((_, markdown)) => vec![markdown],
            None => chapters
                .iter()
                .map(|(_, markdown)| markdown.as_str())
                .collect(),
        };
        for directive in unexpanded_directives(&page.html, &sources) {
            failures.push(format!(
                "unexpanded directive in {}: \"{directive}\"",
                page.path.display()
            ));
        }
    }
    // Guards against a walk that checks nothing, e.g. citations never rendered as links.
    assert!(links_checked > 0, "no <a href> found in the built book");
    assert!(
        citations_checked > 0,
        "no citation link (a[href*=\"#ref-\"]) found in the built book"
    );

    assert!(
        failures.is_empty(),
        "{} problem(s) in the built book ({} links and {} citations checked in {} pages):\n{}",
        failures.len(),
        links_checked,
        citations_checked,
        site.pages.len(),
        failures.join("\n")
    );
}

/// The checks themselves catch what they look for, on a small hand-written site.
#[test]
fn link_and_directive_checks_catch_what_they_look_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let page_a = r#"<h1 id="top">A</h1><p>{{#timeline}} and {{#bibliography all}}</p><pre><code>{{#shown}}</code></pre>"#;
    std::fs::write(dir.path().join("a.html"), page_a).unwrap();
    std::fs::write(dir.path().join("sub/b.html"), r#"<p id="ref-x">X</p>"#).unwrap();
    let site = Site::read(dir.path());
    let a = &site.pages[Path::new("a.html")];

    for good in [
        "sub/b.html#ref-x",
        "#top",
        "sub/../a.html#top",
        "/sub/b.html",
        "https://example.org/unchecked",
    ] {
        assert_eq!(site.check_link(a, good), Ok(()), "{good}");
    }
    for bad in [
        "sub/b.html#ref-y",
        "#nowhere",
        "missing.html",
        "../outside.html",
    ] {
        assert!(site.check_link(a, bad).is_err(), "{bad} passed");
    }
    assert_eq!(
        directive_text_outside_code(&a.html),
        ["{{#timeline}}", "{{#bibliography all}}"]
    );
    let escaped_in_source = ["Shown: \\{{#bibliography all}}."];
    assert_eq!(
        unexpanded_directives(&a.html, &escaped_in_source),
        ["{{#timeline}}"]
    );
}

/// The output file and Markdown source of every chapter in SUMMARY.md, as mdBook
/// parsed it (drafts have no file). `README.md` becomes `index.html`, as mdBook's
/// `index` preprocessor does.
fn summary_chapters(book: &MDBook) -> Vec<(PathBuf, String)> {
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(chapter) => Some((chapter.path.clone()?, chapter.content.clone())),
            _ => None,
        })
        .map(|(source, markdown)| {
            let html = if source.file_name().is_some_and(|name| name == "README.md") {
                source.with_file_name("index.html")
            } else {
                source.with_extension("html")
            };
            (html, markdown)
        })
        .collect()
}

impl Site {
    fn read(root: &Path) -> Self {
        let files = common::html_files(root);
        let id_holders = Selector::parse("[id], a[name]").unwrap();
        let base_selector = Selector::parse("base[href]").unwrap();
        let pages = files
            .into_iter()
            .map(|file| {
                let text = std::fs::read_to_string(&file).expect("a built page reads as UTF-8");
                let html = Html::parse_document(&text);
                let ids = html
                    .select(&id_holders)
                    .flat_map(|element| {
                        let element = element.value();
                        [element.id(), element.attr("name")]
                    })
                    .flatten()
                    .map(str::to_owned)
                    .collect();
                let base = html
                    .select(&base_selector)
                    .next()
                    .and_then(|base| base.value().attr("href"))
                    .map(str::to_owned);
                let path = file.strip_prefix(root).unwrap().to_path_buf();
                let page = Page {
                    path: path.clone(),
                    html,
                    ids,
                    base,
                };
                (path, page)
            })
            .collect();
        Site {
            root: root.to_path_buf(),
            pages,
        }
    }

    /// Checks that an internal `href` on `page` names an existing file and, when it
    /// has a fragment, an element with that id there. External links pass unchecked.
    fn check_link(&self, page: &Page, href: &str) -> Result<(), String> {
        let href = href.trim();
        let lowercase = href.to_ascii_lowercase();
        let external = ["http:", "https:", "mailto:", "//"]
            .iter()
            .any(|scheme| lowercase.starts_with(scheme));
        if external || href == "#" {
            return Ok(());
        }
        let (before_fragment, fragment) = match href.split_once('#') {
            Some((path, fragment)) => (path, Some(percent_decode(fragment)?)),
            None => (href, None),
        };
        let path = percent_decode(before_fragment.split('?').next().unwrap_or_default())?;
        let target = self.resolve(page, &path)?;
        if !self.root.join(&target).is_file() {
            return Err(format!("no file {}", target.display()));
        }
        match fragment {
            Some(id) if !id.is_empty() => match self.pages.get(&target) {
                Some(target_page) if target_page.ids.contains(&id) => Ok(()),
                Some(_) => Err(format!(
                    "no element with id=\"{id}\" in {}",
                    target.display()
                )),
                None => Err(format!(
                    "#{id} points into {}, not a page",
                    target.display()
                )),
            },
            _ => Ok(()),
        }
    }

    /// The output-relative file that `path` (already decoded) names from `page`,
    /// honouring `<base href>` the way a browser does (mdBook's 404 page sets one).
    fn resolve(&self, page: &Page, path: &str) -> Result<PathBuf, String> {
        let base_dir = match page.base.as_deref() {
            // Served at the site root: `site-url` is "/" unless book.toml says otherwise.
            Some(base) if base.starts_with('/') => PathBuf::from(base.trim_start_matches('/')),
            Some(base) => page.path.parent().unwrap_or(Path::new("")).join(base),
            None => page.path.parent().unwrap_or(Path::new("")).to_path_buf(),
        };
        // A fragment-only link is taken as same-page even under `<base>`: mdBook's 404
        // page (base "/") gives its heading a `#id` self-link that a browser would
        // resolve against index.html, a quirk of mdBook's that no book can fix.
        let joined = if path.is_empty() {
            page.path.clone()
        } else if let Some(from_root) = path.strip_prefix('/') {
            PathBuf::from(from_root)
        } else {
            base_dir.join(path)
        };
        let mut normal = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::Normal(part) => normal.push(part),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !normal.pop() {
                        return Err(format!("{path} leaves the book's output directory"));
                    }
                }
                Component::RootDir | Component::Prefix(_) => {}
            }
        }
        if path.ends_with('/') || normal.as_os_str().is_empty() || self.root.join(&normal).is_dir()
        {
            normal.push("index.html");
        }
        Ok(normal)
    }
}

/// Directive text left in `html` that no chapter of `sources` escaped on purpose
/// (`\{{#...}}` shows a directive literally in running text).
fn unexpanded_directives(html: &Html, sources: &[&str]) -> Vec<String> {
    directive_text_outside_code(html)
        .into_iter()
        .filter(|directive| {
            let escaped = format!("\\{directive}");
            !sources.iter().any(|markdown| markdown.contains(&escaped))
        })
        .collect()
}

/// Directives (`{{#` up to `}}`, or an excerpt if unclosed) still in the text,
/// outside `<code>`/`<pre>` (where a directive is shown on purpose) and outside
/// `<script>`/`<style>` (not page text).
fn directive_text_outside_code(html: &Html) -> Vec<String> {
    const SHOWN_AS_IS: [&str; 4] = ["code", "pre", "script", "style"];
    html.tree
        .nodes()
        .filter_map(|node| match node.value() {
            Node::Text(text) if text.contains("{{#") => Some((node, text)),
            _ => None,
        })
        .filter(|(node, _)| {
            !node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|element| SHOWN_AS_IS.contains(&element.value().name()))
        })
        .flat_map(|(_, text)| {
            text.match_indices("{{#")
                .map(|(start, _)| match text[start..].find("}}") {
                    Some(length) => text[start..start + length + 2].to_owned(),
                    None => squeeze(&text[start..].chars().take(60).collect::<String>()),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Collapses runs of whitespace, so excerpts fit on one report line.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
