//! Whole books through the real mdBook engine: in-process with mdbook-driver, and
//! through the `mdbook` binary. Assertions read the produced HTML and Markdown.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;

/// What the `basic` fixture keeps literally: one escape, and directives in code.
const KEPT_LITERALLY: &[&str] = &[
    "{{#paper-citation escaped-key}}",
    "{{#paper-citation inline-code-key}}",
    "{{#comparison-table frameworks=fenced-code-framework}}",
    "{{#paper-citation indented-code-key}}",
];

const FRAMEWORK_NAMES: [&str; 4] = ["PyTorch", "TensorFlow", "Keras", "Theano"];

/// A copy of the project's own book, whose preprocessor command (`cargo run`) is
/// never run: the preprocessor is registered in-process. Everything beside the book
/// is linked in, so that includes and data files with `../` paths still resolve.
fn project_book() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_dir(&root.join("book"), &dir.path().join("book"));
    for entry in std::fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if ["book", "book.toml", "target", ".git"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), dir.path().join(&name)).unwrap();
    }
    dir
}

/// The HTML output directory of a book built at `dir` with one renderer.
fn html_dir(dir: &Path) -> std::path::PathBuf {
    let config = mdbook_driver::MDBook::load(dir).unwrap().config;
    dir.join(&config.build.build_dir)
}

/// Header cell texts of every table of a page.
fn table_headers(html: &scraper::Html) -> Vec<Vec<String>> {
    select(html, "table")
        .iter()
        .map(|table| select_in(table, "th").iter().map(text_of).collect())
        .collect()
}

/// The directives a book's sources escape (`\{{#...}}`): authors want them shown
/// literally, e.g. to document the syntax. Returned without the backslash.
fn escaped_directives(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("\\{{#") {
                    if let Some(end) = text[at..].find("}}") {
                        found.push(text[at + 1..at + end + 2].to_owned());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_project_book_builds_with_tables_and_resolving_citations() {
    let dir = project_book();
    build_in_process(dir.path()).expect("the project's book builds");
    let site = Site::new(html_dir(dir.path()));
    let pages = site.chapter_pages();
    assert!(pages.len() > 1, "{pages:?}");

    let escaped = escaped_directives(&dir.path().join("book"));
    let mut comparison_tables = 0;
    let mut all_headers = Vec::new();
    for page in &pages {
        let html = site.page(page);
        for header in table_headers(&html) {
            all_headers.push(header.clone());
            let joined = header.join(" | ");
            if FRAMEWORK_NAMES.iter().all(|name| joined.contains(name)) {
                comparison_tables += 1;
            }
        }
        let mut text = text_outside_code(&html);
        for literal in &escaped {
            text = text.replace(literal.as_str(), "");
        }
        assert!(
            !text.contains("{{#"),
            "{page}: a directive was left in the page text: {}",
            text.lines().find(|l| l.contains("{{#")).unwrap_or("")
        );
    }
    assert!(
        comparison_tables > 0,
        "no table has a header naming all of {FRAMEWORK_NAMES:?}; headers: {all_headers:?}"
    );
    let citations = check_links(&site, r##"a[href*="#ref-"]"##);
    assert!(citations > 0, "the book has no citation link");
}

#[test]
fn the_fixture_book_expands_every_directive_form() {
    let dir = basic_book();
    build_in_process(dir.path()).expect("the fixture builds");
    let site = Site::new(html_dir(dir.path()));
    check_basic_site(&site);
}

/// Checks of the HTML of the `basic` fixture, shared by the in-process and the
/// `mdbook` binary builds.
fn check_basic_site(site: &Site) {
    let pages = site.chapter_pages();
    for expected in [
        "index.html",
        "tables.html",
        "citations.html",
        "a/overview.html",
        "a/b/deep.html",
        "crlf.html",
        "bibliography.html",
        "all-works.html",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }

    // Every link in the content resolves: citations to entries, "cited in" to pages.
    assert!(check_links(site, r##"a[href*="#ref-"]"##) >= 20);
    check_links(site, "main a[href]");

    // No directive is left anywhere, except what the fixture keeps literally.
    for page in &pages {
        let mut text = text_outside_code(&site.page(page));
        text = text.replace("{{#paper-citation escaped-key}}", "");
        assert!(!text.contains("{{#"), "{page}: {text}");
    }

    tables_page(site);
    citations_page(site);
    nested_and_crlf_pages(site);
    bibliography_pages(site);
}

fn tables_page(site: &Site) {
    let html = site.page("tables.html");
    let headers = table_headers(&html);
    assert!(headers.len() >= 6, "{headers:?}");
    // The default table has a column per framework.
    assert!(
        FRAMEWORK_NAMES
            .iter()
            .all(|name| headers[0].iter().any(|h| h == name)),
        "{:?}",
        headers[0]
    );
    // The transposed table has the dimensions as columns and a row per pinned column.
    assert_eq!(headers[1][1..], ["Execution model", "Debugging"]);
    let transposed = &select(&html, "table")[1];
    let rows: Vec<String> = select_in(transposed, "tbody tr td:first-child")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0], "PyTorch");
    assert_eq!(rows[1], "TensorFlow 1.x");
    assert!(
        rows[2].starts_with("TensorFlow") && rows[2].contains(">=2"),
        "{rows:?}"
    );

    // Block output stays inside its block quote and list item.
    let quoted = select(&html, "blockquote table");
    assert_eq!(quoted.len(), 1, "one table in the block quote");
    assert!(text_of(&quoted[0]).contains("Keras") && text_of(&quoted[0]).contains("Theano"));
    let listed = select(&html, "li table");
    assert_eq!(listed.len(), 1, "one table in the list item");
    assert!(text_of(&listed[0]).contains("PyTorch"));

    // Inline facts stay in their sentence.
    let facts = select(&html, "p")
        .iter()
        .map(text_of)
        .find(|p| p.starts_with("PyTorch was first released in"))
        .expect("the facts paragraph");
    let year = facts
        .trim_start_matches("PyTorch was first released in ")
        .split(';')
        .next()
        .unwrap();
    assert!(
        year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()),
        "{facts}"
    );
}

/// The citation links of the first paragraph containing `marker`.
fn citation_links<'a>(html: &'a scraper::Html, marker: &str) -> Vec<scraper::ElementRef<'a>> {
    let paragraph = select(html, "p")
        .into_iter()
        .find(|p| text_of(p).contains(marker))
        .unwrap_or_else(|| panic!("no paragraph with `{marker}`"));
    select_in(&paragraph, r##"a[href*="#ref-"]"##)
}

fn citations_page(site: &Site) {
    let html = site.page("citations.html");
    let text = text_outside_code(&html);
    assert!(
        text.contains("Escaped: {{#paper-citation escaped-key}} stays literal."),
        "the escape shows the directive literally"
    );
    assert!(!text.contains("\\{{#"), "the escape's backslash is removed");

    let code: Vec<String> = select(&html, "code").iter().map(text_of).collect();
    for kept in &KEPT_LITERALLY[1..] {
        assert!(
            code.iter().any(|c| c.contains(kept)),
            "`{kept}` stays in code: {code:?}"
        );
    }

    let two = citation_links(&html, "two works");
    assert!(
        two.iter().any(|a| a
            .value()
            .attr("href")
            .unwrap()
            .ends_with("#ref-abadi2015tensorflow"))
            && two.iter().any(|a| a
                .value()
                .attr("href")
                .unwrap()
                .ends_with("#ref-bergstra2010theano")),
        "both works of a multi-key citation are linked"
    );
    let narrative = citation_links(&html, "introduced Keras");
    assert!(text_of(&narrative[0]).contains("Chollet"));
    let year_only = citation_links(&html, "Year only");
    assert!(
        text_of(&year_only[0]).contains("2016") && !text_of(&year_only[0]).contains("Abadi"),
        "{}",
        text_of(&year_only[0])
    );
    let author_only = citation_links(&html, "Author only");
    assert!(
        text_of(&author_only[0]).contains("Ansel") && !text_of(&author_only[0]).contains("2024"),
        "{}",
        text_of(&author_only[0])
    );
    let paragraphs: Vec<String> = select(&html, "p").iter().map(text_of).collect();
    let locators = paragraphs
        .iter()
        .find(|p| p.starts_with("Locators"))
        .unwrap();
    for locator in ["8026", "4.2", "3"] {
        assert!(locators.contains(locator), "{locators}");
    }
    let affixes = paragraphs
        .iter()
        .find(|p| p.starts_with("Affixes"))
        .unwrap();
    assert!(
        affixes.contains("see also") && affixes.contains("on eager execution"),
        "{affixes}"
    );

    // `{{#bibliography chapter}}` lists this chapter's works, with their anchors.
    let anchors = ids(&html);
    assert!(
        anchors.contains(&"ref-chollet2015keras".to_owned()),
        "{anchors:?}"
    );
    assert!(
        !anchors.contains(&"ref-collobert2011torch7".to_owned()),
        "a work cited only in another chapter is not in this chapter's references"
    );
}

fn nested_and_crlf_pages(site: &Site) {
    let html = site.page("a/b/deep.html");
    let links = select(&html, r##"main a[href*="#ref-"]"##);
    assert!(links.len() >= 3, "deep chapter citations");
    for link in &links {
        let href = link.value().attr("href").unwrap();
        assert!(href.starts_with("../../bibliography.html#ref-"), "{href}");
    }

    let html = site.page("crlf.html");
    assert!(!select(&html, r##"a[href*="#ref-collobert2011torch7"]"##).is_empty());
    let headers = table_headers(&html);
    assert_eq!(headers.len(), 1, "{headers:?}");
    assert!(headers[0].iter().any(|h| h == "PyTorch") && headers[0].iter().any(|h| h == "Keras"));
    assert!(
        select(&html, "p")
            .iter()
            .any(|p| text_of(p) == "After the table."),
        "text after the table is a paragraph of its own"
    );

    let html = site.page("index.html");
    let links = citation_links(&html, "PyTorch is described");
    assert_eq!(
        links[0].value().attr("href"),
        Some("bibliography.html#ref-paszke2019pytorch")
    );
    assert!(text_of(&html.root_element()).contains("Text included by mdBook links preprocessor."));
}

fn ids(html: &scraper::Html) -> Vec<String> {
    select(html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .filter(|id| id.starts_with("ref-"))
        .map(str::to_owned)
        .collect()
}

fn bibliography_pages(site: &Site) {
    let cited = ids(&site.page("bibliography.html"));
    let all = ids(&site.page("all-works.html"));
    assert!(cited.len() >= 10, "{cited:?}");
    assert!(all.len() > cited.len(), "all works include uncited ones");
    assert!(cited.iter().all(|id| all.contains(id)));

    // Every work cited anywhere has its entry on the bibliography page.
    // print.html is left out: it holds every bibliography, and mdBook numbers the
    // repeated ids there (`ref-KEY-1`).
    for page in site.chapter_pages() {
        if page == "print.html" {
            continue;
        }
        for link in select(&site.page(&page), r##"a[href*="#ref-"]"##) {
            let id = link
                .value()
                .attr("href")
                .unwrap()
                .split('#')
                .nth(1)
                .unwrap();
            assert!(
                cited.iter().any(|c| c == id),
                "{page}: {id} not in the bibliography"
            );
        }
    }
    // "Cited in" links land on each citation in the chapters, README served as
    // index.html included: every back-reference names an element of its page.
    let html = site.page("bibliography.html");
    let hrefs: Vec<&str> = select(&html, "main li a[href*=\"#cite-\"]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let pages: HashSet<&str> = hrefs.iter().map(|h| h.split('#').next().unwrap()).collect();
    assert!(pages.contains("index.html"), "{hrefs:?}");
    assert!(pages.contains("a/b/deep.html"), "{hrefs:?}");
    for href in &hrefs {
        let (page, id) = href.split_once('#').unwrap();
        assert!(
            element_ids(&site.page(page)).contains(id),
            "back-reference {href}: no such id on {page}"
        );
    }
}

#[test]
fn the_markdown_renderer_gets_the_expanded_book() {
    let dir = basic_book();
    std::fs::write(
        dir.path().join("book.toml"),
        std::fs::read_to_string(dir.path().join("book.toml")).unwrap() + "\n[output.markdown]\n",
    )
    .unwrap();
    build_in_process(dir.path()).expect("the fixture builds");
    let markdown = dir.path().join("book/markdown");
    let tables = std::fs::read_to_string(markdown.join("tables.md")).unwrap();
    assert!(tables.contains("| **PyTorch**"), "{tables}");
    let mut files = 0;
    for file in [
        "index.md",
        "tables.md",
        "citations.md",
        "a/b/deep.md",
        "crlf.md",
    ] {
        let mut text = std::fs::read_to_string(markdown.join(file)).unwrap();
        for kept in KEPT_LITERALLY {
            text = text.replace(kept, "");
        }
        assert!(!text.contains("{{#"), "{file}:\n{text}");
        files += 1;
    }
    assert_eq!(files, 5);
    assert!(dir.path().join("book/html/tables.html").is_file());
}

#[test]
fn the_fixture_book_builds_with_the_mdbook_binary() {
    let dir = basic_book();
    use_built_binary(dir.path());
    let output = mdbook_build(dir.path());
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "mdbook build failed:\n{stderr}");
    assert!(
        !stderr.contains("ERROR") && !stderr.contains("WARN"),
        "{stderr}"
    );
    assert!(!stderr.contains("mdbook-frameworks"), "{stderr}");
    check_basic_site(&Site::new(dir.path().join("book")));
}

/// The number a numeric citation shows: `12` or `F. Chollet [27]`.
fn citation_number(text: &str) -> Option<u32> {
    // Four digits are a year (`form=year`), not a number.
    if let Ok(n) = text.parse::<u32>() {
        return (n < 1000).then_some(n);
    }
    let inner = text.rsplit_once('[')?.1.split_once(']')?.0;
    inner.parse().ok()
}

#[test]
fn numeric_styles_number_each_work_once_for_the_whole_book() {
    let dir = basic_book();
    append_to_book_toml(dir.path(), "citation-style = \"ieee\"\n");
    build_in_process(dir.path()).expect("the fixture builds");
    let site = Site::new(html_dir(dir.path()));

    // The bibliography is numbered 1..=N in its order.
    let html = site.page("bibliography.html");
    let mut numbers = std::collections::HashMap::new();
    for (i, entry) in select(&html, "main li").iter().enumerate() {
        let Some(anchor) = select_in(entry, "a[id]")
            .first()
            .and_then(|a| a.value().attr("id"))
        else {
            continue;
        };
        let text = text_of(entry);
        let shown = format!("[{}]", i + 1);
        assert!(text.starts_with(&shown), "entry {} is `{text}`", i + 1);
        numbers.insert(anchor.to_owned(), i as u32 + 1);
    }
    assert!(numbers.len() >= 10);

    // Every numeric citation on every page shows its work's number.
    let mut checked = 0;
    for page in site.chapter_pages() {
        if page == "print.html" {
            continue;
        }
        for link in select(&site.page(&page), r##"main a[href*="#ref-"]"##) {
            let id = link
                .value()
                .attr("href")
                .unwrap()
                .split('#')
                .nth(1)
                .unwrap();
            if let Some(n) = citation_number(&text_of(&link)) {
                assert_eq!(Some(&n), numbers.get(id), "{page}: {id} shown as {n}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked} numeric citations");
}

#[test]
fn chapter_references_link_within_the_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src/part")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"t\"\nsrc = \"src\"\n\n[output.html.search]\nenable = false\n\n\
         [preprocessor.frameworks]\nchapter-references = true\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [One](one.md)\n- [Two](part/two.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/one.md"),
        "# One\n\nA {{#paper-citation paszke2019pytorch}}.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/part/two.md"),
        "# Two\n\nB {{#paper-citation chollet2015keras}} and \
         {{#framework-fact keras license cite}}.\n",
    )
    .unwrap();
    build_in_process(root).expect("builds");
    let site = Site::new(root.join("book"));
    assert!(check_links(&site, r##"main a[href*="#ref-"]"##) >= 3);
    for page in ["one.html", "part/two.html"] {
        let html = site.page(page);
        let links = select(&html, r##"main a[href*="#ref-"]"##);
        assert!(!links.is_empty(), "{page}");
        for link in links {
            assert!(
                link.value().attr("href").unwrap().starts_with("#ref-"),
                "{page}: citations link to the chapter's own references"
            );
        }
        let headings: Vec<String> = select(&html, "main h2").iter().map(text_of).collect();
        assert!(
            headings.iter().any(|h| h == "References"),
            "{page}: {headings:?}"
        );
    }
}

#[test]
fn citations_link_to_a_chapter_bibliography_on_the_same_page() {
    let dir = one_chapter_book(
        "# Ch\n\nCite {{#paper-citation abadi2016tensorflow}}.\n\n## References\n\n\
         {{#bibliography chapter}}\n",
    );
    let root = dir.path();
    build_in_process(root).expect("builds");
    let site = Site::new(root.join("book"));
    let html = site.page("ch.html");
    assert!(
        element_ids(&html).contains("ref-abadi2016tensorflow"),
        "the entry has its anchor"
    );
    // README: "each citation links to its bibliography entry".
    let paragraph = select(&html, "main p")
        .into_iter()
        .find(|p| text_of(p).starts_with("Cite"))
        .unwrap();
    let links = select_in(&paragraph, r##"a[href$="#ref-abadi2016tensorflow"]"##);
    assert_eq!(links.len(), 1, "{}", paragraph.html());
}

#[test]
fn a_block_directive_that_is_a_list_items_content_stays_in_the_item() {
    let dir = one_chapter_book(
        "# Ch\n\n- {{#comparison-table frameworks=keras dimensions=debugging}}\n- second item\n",
    );
    let root = dir.path();
    build_in_process(root).expect("builds");
    let html = Site::new(root.join("book")).page("ch.html");
    let lists = select(&html, "main ul");
    assert_eq!(
        lists.len(),
        1,
        "one list: {}",
        lists.iter().map(|l| l.html()).collect::<String>()
    );
    // The table's numbered source notes are a list of their own, inside the item.
    let items = select(&html, "main ul > li");
    assert_eq!(items.len(), 2);
    assert_eq!(
        select_in(&items[0], "table").len(),
        1,
        "the table is in the first item"
    );
}

/// A book with one chapter, `ch.md`, holding `content` (search off, to keep builds quick).
fn one_chapter_book(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"t\"\nsrc = \"src\"\n\n[output.html.search]\nenable = false\n",
    )
    .unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n\n- [Ch](ch.md)\n").unwrap();
    std::fs::write(root.join("src/ch.md"), content).unwrap();
    dir
}
