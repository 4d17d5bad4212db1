//! Helpers shared by the integration suites: running the built binary and the real
//! `mdbook`, copying fixture books, building in-process, and reading the HTML.
#![allow(dead_code)] // each suite uses a different part of this module

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mdbook_driver::MDBook;
use mdbook_frameworks::FrameworksPreprocessor;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};
use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_mdbook-frameworks");

/// The directory of the fixture books.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs the binary with `args`, feeding `stdin` from another thread so that a large
/// input cannot deadlock against a large output.
pub fn run_bin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().expect("piped stdin");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may exit before reading everything (e.g. on bad input).
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("stdin writer");
    output
}

/// The `mdbook` binary found on PATH. Panics, failing the test, when it is missing:
/// these tests promise behaviour under the real mdBook.
pub fn mdbook_bin() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("mdbook"))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the `mdbook` binary is not on PATH; these tests run the real mdBook. \
                 Install it with `cargo install mdbook --version 0.5.4 --locked` \
                 (it lands in ~/.cargo/bin, which must be on PATH)"
            )
        })
}

/// Runs `mdbook build DIR`.
pub fn mdbook_build(dir: &Path) -> Output {
    Command::new(mdbook_bin())
        .arg("build")
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .expect("mdbook runs")
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the fixture book `name`.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

/// A temporary copy of the `basic` fixture, with `crlf.md` rewritten to CRLF line
/// endings (kept LF in the repository so that git cannot normalise it).
pub fn basic_book() -> tempfile::TempDir {
    let dir = fixture_copy("basic");
    let path = dir.path().join("src/crlf.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    dir
}

/// Points `[preprocessor.frameworks] command` of the book at `dir` to the built binary.
pub fn use_built_binary(dir: &Path) {
    let path = dir.join("book.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = format!("command = {}", toml_string(BIN));
    let replaced = text.replace("command = \"mdbook-frameworks\"", &line);
    assert_ne!(
        replaced, text,
        "the fixture's book.toml names the command to replace"
    );
    std::fs::write(&path, replaced).unwrap();
}

/// A TOML basic string holding `s`.
pub fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Appends lines to `book.toml`, whose last table must be `[preprocessor.frameworks]`.
pub fn append_to_book_toml(dir: &Path, lines: &str) {
    let path = dir.join("book.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.rfind("\n[")
            .map(|i| &text[i + 1..])
            .unwrap_or("")
            .starts_with("[preprocessor.frameworks]"),
        "[preprocessor.frameworks] must be the last table of {}",
        path.display()
    );
    text.push_str(lines);
    std::fs::write(&path, text).unwrap();
}

/// Builds the book at `dir` in-process, with our preprocessor registered under its
/// own name so that the `command` of book.toml is never run.
pub fn build_in_process(dir: &Path) -> mdbook_driver::errors::Result<()> {
    let mut book = MDBook::load(dir)?;
    book.with_preprocessor(FrameworksPreprocessor::new());
    book.build()
}

/// This repository's own book, loaded with its build directory moved to `out` and
/// the preprocessor in-process (`with_preprocessor` replaces the configured
/// `cargo run`, so none nests inside a test). Sources, theme and data are read
/// where they are.
pub fn own_book(out: &Path) -> MDBook {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut book = MDBook::load(root).expect("book.toml and book/SUMMARY.md load");
    book.config.build.build_dir = out.to_path_buf();
    book.with_preprocessor(FrameworksPreprocessor::new());
    book
}

/// Every `.html` file under `dir`, at any depth, sorted.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("the output directory reads") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A book in a temporary directory: `book.toml` with `[preprocessor.frameworks]`
/// last (`cache = false`, plus the `extra` lines), and the given files under `src/`
/// (`SUMMARY.md` among them).
/// Writes `text` to `path` under `root`, creating the directories it needs.
pub fn write_file(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

pub fn book_of_files(extra: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        format!(
            "[book]\ntitle = \"Case\"\nlanguage = \"en\"\n\n[preprocessor.frameworks]\ncommand = \"mdbook-frameworks\"\nbefore = [\"links\"]\ncache = false\n{extra}"
        ),
    )
    .unwrap();
    for (path, text) in files {
        write_file(dir.path(), &format!("src/{path}"), text);
    }
    dir
}

/// The error of an in-process build that must fail, with its whole chain.
pub fn build_error(dir: &Path) -> String {
    format!("{:#}", build_in_process(dir).expect_err("the build fails"))
}

/// Runs `mdbook-frameworks check DIR`.
pub fn check_book(dir: &Path) -> Output {
    Command::new(BIN).arg("check").arg(dir).output().unwrap()
}

/// The `[context, book]` JSON that mdBook 0.5 sends to a preprocessor for the book at
/// `dir`, made with mdBook's own types.
pub fn mdbook_input(dir: &Path, renderer: &str) -> String {
    let loaded = MDBook::load(dir).unwrap();
    let context = PreprocessorContext::new(
        loaded.root.clone(),
        loaded.config.clone(),
        renderer.to_owned(),
    );
    serde_json::to_string(&(&context, &loaded.book)).unwrap()
}

/// The context JSON of a book at `root` with the given book.toml text.
pub fn context_json(root: &Path, book_toml: &str) -> Value {
    let config: mdbook_preprocessor::config::Config = book_toml.parse().unwrap();
    let context = PreprocessorContext::new(root.to_path_buf(), config, "html".to_owned());
    serde_json::to_value(&context).unwrap()
}

/// stderr as text.
pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The lines of stderr.
pub fn stderr_lines(output: &Output) -> Vec<String> {
    stderr_of(output).lines().map(str::to_owned).collect()
}

/// Asserts that each of `prefixes` starts one of `lines` (a diagnostic's
/// `file:line:col: severity: message` is read by its start).
pub fn assert_lines_start_with<'a>(lines: &[String], prefixes: impl IntoIterator<Item = &'a str>) {
    for prefix in prefixes {
        assert!(
            lines.iter().any(|l| l.starts_with(prefix)),
            "{prefix} in {lines:#?}"
        );
    }
}

/// Every chapter of a book, depth first, without recursion.
pub fn chapters(book: &Book) -> Vec<&mdbook_preprocessor::book::Chapter> {
    let mut out = Vec::new();
    let mut stack: Vec<std::slice::Iter<'_, BookItem>> = vec![book.items.iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            None => {
                stack.pop();
            }
            Some(BookItem::Chapter(chapter)) => {
                out.push(chapter);
                stack.push(chapter.sub_items.iter());
            }
            Some(_) => {}
        }
    }
    out
}

/// `value` with every chapter's `content` replaced by `null`, to compare the
/// structure of two books outside what the preprocessor may change.
pub fn without_contents(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if k == "content" {
                        Value::Null
                    } else {
                        without_contents(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_contents).collect()),
        other => other.clone(),
    }
}

/// Whether `text` holds `{{#NAME` for one of our directive names.
pub fn has_our_directive(text: &str) -> bool {
    mdbook_frameworks::render::DIRECTIVE_NAMES
        .iter()
        .any(|name| text.contains(&format!("{{{{#{name}")))
}

/// A built HTML site: pages parsed on demand.
pub struct Site {
    pub root: PathBuf,
}

impl Site {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Site { root: root.into() }
    }

    /// The page at `relative` (e.g. `a/b/deep.html`), parsed.
    pub fn page(&self, relative: &str) -> scraper::Html {
        let path = self.root.join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        scraper::Html::parse_document(&text)
    }

    /// Every chapter page of the site (relative paths, `/`-separated), leaving out
    /// mdBook's own pages.
    pub fn chapter_pages(&self) -> Vec<String> {
        let mut pages = Vec::new();
        let mut dirs = vec![self.root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let relative = path.strip_prefix(&self.root).unwrap();
                    let relative = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    if !["404.html", "toc.html"].contains(&relative.as_str()) {
                        pages.push(relative);
                    }
                }
            }
        }
        pages.sort();
        pages
    }
}

/// The elements of `html` matching a CSS selector.
pub fn select<'a>(html: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    html.select(&selector).collect()
}

/// The descendants of `element` matching a CSS selector.
pub fn select_in<'a>(
    element: &scraper::ElementRef<'a>,
    selector: &str,
) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    element.select(&selector).collect()
}

/// The text of an element, whitespace collapsed.
pub fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves `href` (relative, no scheme) against the page at `page` (relative to the
/// site root): returns the target page's relative path and the fragment, both
/// percent-decoded (`a%20b.html` is the file `a b.html`).
pub fn resolve_href(page: &str, href: &str) -> (String, Option<String>) {
    let decode = |text: &str| percent_decode(text).unwrap_or_else(|e| panic!("{page}: {e}"));
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (decode(p), Some(decode(f))),
        None => (decode(href), None),
    };
    let path = path.as_str();
    if path.is_empty() {
        return (page.to_owned(), fragment);
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    (parts.join("/"), fragment)
}

/// Decodes `%XX` escapes of a URL's path or fragment.
pub fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {text:?}"))?;
            decoded.push(hex);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| format!("{text:?} decodes to invalid UTF-8"))
}

/// Checks that every link of `selector` on every chapter page points to an existing
/// page and, when it has a fragment, to an element with that id on it. Returns the
/// number of links checked.
pub fn check_links(site: &Site, selector: &str) -> usize {
    let mut ids_by_page: HashMap<String, HashSet<String>> = HashMap::new();
    let mut checked = 0;
    for page in site.chapter_pages() {
        let html = site.page(&page);
        for link in select(&html, selector) {
            let href = link.value().attr("href").expect("href");
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = resolve_href(&page, href);
            let target_path = site.root.join(&target);
            assert!(
                target_path.is_file(),
                "{page}: link `{href}` points to a missing page {target}"
            );
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_by_page
                    .entry(target.clone())
                    .or_insert_with(|| element_ids(&site.page(&target)));
                assert!(
                    ids.contains(&id),
                    "{page}: link `{href}`: no element with id `{id}` on {target}"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// The ids of every element of a page.
pub fn element_ids(html: &scraper::Html) -> HashSet<String> {
    select(html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .map(str::to_owned)
        .collect()
}

/// The text of `html` outside `<code>`, `<pre>`, `<script>` and `<style>`.
pub fn text_outside_code(html: &scraper::Html) -> String {
    let mut out = String::new();
    for node in html.tree.root().descendants() {
        let scraper::Node::Text(text) = node.value() else {
            continue;
        };
        let in_code = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "code" | "pre" | "script" | "style"))
        });
        if !in_code {
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}
