//! The scanner sees what the reader sees: directives in comments and raw HTML code
//! are left alone, citations never break an author's link, block directives stand
//! only on their own line, table cells stay whole, every link we write resolves, and
//! the book's settings (serve, cache) are judged where they are written. Books are
//! built with the real mdBook, in-process and through the `mdbook` binary.

mod common;

use std::path::Path;

use common::*;

fn page(dir: &Path, name: &str) -> scraper::Html {
    Site::new(dir.join("book")).page(name)
}

#[test]
fn directives_in_html_comments_are_left_alone() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n- [Refs](refs.md)\n"),
            (
                "one.md",
                "# One\n\nText {{#paper-citation bergstra2010theano}}.\n\n\
                 <!-- old draft: as {{#paper-citation abadi2016tensorflow}} showed -->\n\n\
                 <!-- TODO: cite {{#paper-citation notyetadded2025}} once it exists\n\n\
                 {{#comparison-table frameworks=nope}}\n-->\n\n\
                 Inline <!-- {{#paper-citation chollet2015keras}}\n{{#unknown-thing}} --> comment.\n\n\
                 <div>\n<!-- {{#paper-citation paszke2019pytorch}} -->\n</div>\n",
            ),
            ("refs.md", "# Refs\n\n{{#bibliography}}\n"),
        ],
    );
    build_in_process(dir.path()).expect("commented-out directives are no error");
    let one = std::fs::read_to_string(dir.path().join("book/one.html")).unwrap();
    for kept in [
        "<!-- old draft: as {{#paper-citation abadi2016tensorflow}} showed -->",
        "{{#paper-citation notyetadded2025}}",
        "{{#comparison-table frameworks=nope}}",
        "<!-- {{#paper-citation paszke2019pytorch}} -->",
    ] {
        assert!(one.contains(kept), "`{kept}` kept in the page:\n{one}");
    }
    let refs = page(dir.path(), "refs.html");
    let entries: Vec<String> = select(&refs, "main li").iter().map(text_of).collect();
    assert_eq!(
        entries.len(),
        1,
        "only the work cited outside comments: {entries:?}"
    );
    assert!(entries[0].contains("Theano"), "{entries:?}");
    assert!(check_book(dir.path()).status.success());
}

#[test]
fn directives_in_raw_html_code_are_shown_as_written() {
    let chapter = "# One\n\nWrite a citation like this:\n\n\
                   <pre><code>{{#paper-citation KEY page=3}}</code></pre>\n\n\
                   or inline: <code>{{#paper-citation KEY}}</code>, <CODE class=\"x\">{{#timeline}}</CODE>.\n\n\
                   <pre>\n\n{{#comparison-table frameworks=x}}\n</pre>\n\n\
                   <textarea>{{#bibliography}}</textarea>\n\n\
                   <script>\n// {{#paper-citation in-script}}\n</script>\n\n\
                   <style>\n/* {{#paper-citation in-style}} */\n</style>\n";
    let dir = book_of_files(
        "",
        &[("SUMMARY.md", "- [One](one.md)\n"), ("one.md", chapter)],
    );
    build_in_process(dir.path()).expect("code in raw HTML is not expanded");
    let html = page(dir.path(), "one.html");
    let code: Vec<String> = select(&html, "main code, main pre, main textarea")
        .iter()
        .map(text_of)
        .collect();
    for literal in [
        "{{#paper-citation KEY page=3}}",
        "{{#paper-citation KEY}}",
        "{{#timeline}}",
        "{{#comparison-table frameworks=x}}",
        "{{#bibliography}}",
    ] {
        assert!(
            code.iter().any(|c| c.contains(literal)),
            "`{literal}` shown as written: {code:?}"
        );
    }
    let source = std::fs::read_to_string(dir.path().join("book/one.html")).unwrap();
    assert!(source.contains("// {{#paper-citation in-script}}"));
    assert!(source.contains("/* {{#paper-citation in-style}} */"));
    assert!(check_book(dir.path()).status.success());
}

#[test]
fn a_citation_in_link_text_alt_text_or_a_heading_keeps_the_authors_link() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n- [Refs](refs.md)\n"),
            (
                "one.md",
                "# One\n\n[Read {{#paper-citation paszke2019pytorch form=narrative}}](https://example.org/a).\n\n\
                 ![Figure from {{#paper-citation abadi2016tensorflow}}](fig.png)\n\n\
                 ## Results of {{#paper-citation chollet2015keras form=narrative}}\n\n\
                 [Keras site: {{#framework-fact keras name cite}}][k]\n\n\
                 [k]: https://keras.io\n",
            ),
            ("refs.md", "# Refs\n\n{{#bibliography}}\n"),
        ],
    );
    build_in_process(dir.path()).unwrap();
    let html = page(dir.path(), "one.html");
    let link = select(&html, "main a[href=\"https://example.org/a\"]");
    assert_eq!(link.len(), 1);
    assert_eq!(text_of(&link[0]), "Read Paszke et al. (2019)");
    assert!(
        select(&html, "main a a").is_empty(),
        "no link inside a link"
    );
    let keras = select(&html, "main a[href=\"https://keras.io\"]");
    assert_eq!(keras.len(), 1);
    assert!(
        text_of(&keras[0]).starts_with("Keras site: Keras ("),
        "{}",
        text_of(&keras[0])
    );
    let alt = select(&html, "main img")[0]
        .value()
        .attr("alt")
        .unwrap()
        .to_owned();
    assert!(alt.starts_with("Figure from (Abadi et al."), "{alt}");
    let heading = select(&html, "main h2 a.header");
    assert!(text_of(&heading[0]).starts_with("Results of Chollet (2015"));
    // The works are still cited: they are in the bibliography.
    let refs = page(dir.path(), "refs.html");
    let entries = text_of(&select(&refs, "main ul")[0]);
    for author in ["Paszke", "Abadi", "Chollet"] {
        assert!(entries.contains(author), "{entries}");
    }
}

/// Each block directive where it cannot stand, with the column of its `{{#`.
const MISPLACED: &[(&str, &str, &str)] = &[
    (
        "See {{#comparison-table frameworks=keras dimensions=execution-model}} here.",
        "3:5",
        "inside a paragraph",
    ),
    (
        "| {{#framework-profile keras}} | x |",
        "7:3",
        "in a table cell",
    ),
    ("## Timeline {{#timeline}}", "9:13", "in a heading"),
    ("{{#bibliography}} and more", "11:1", "inside a paragraph"),
    (
        "[{{#timeline}}](x.md)",
        "13:2",
        "in the text of a link or image",
    ),
    ("*a\n{{#timeline}}\nb*", "16:1", "inside emphasis"),
];

fn misplaced_chapter() -> String {
    let mut text = String::from("# One\n\n");
    for (i, (line, _, _)) in MISPLACED.iter().enumerate() {
        if i == 1 {
            text.push_str("| a | b |\n|---|---|\n");
        }
        text.push_str(line);
        text.push_str("\n\n");
    }
    text.push_str("{{#timeline}}\n\n> {{#bibliography}}\n\n- {{#bibliography}}\n");
    text
}

#[test]
fn a_block_directive_that_cannot_stand_is_a_located_error_in_build_and_check() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            ("one.md", &misplaced_chapter()),
        ],
    );
    let expected: Vec<String> = MISPLACED
        .iter()
        .map(|(_, at, _)| format!("src/one.md:{at}: error: `{{{{#"))
        .collect();
    let error = build_error(dir.path());
    let lines: Vec<&str> = error.lines().filter(|l| l.starts_with("src/")).collect();
    assert_eq!(lines.len(), MISPLACED.len(), "{error}");
    for ((line, expected), (_, _, place)) in lines.iter().zip(&expected).zip(MISPLACED) {
        assert!(line.starts_with(expected.as_str()), "{line} / {expected}");
        assert!(line.contains(&format!("cannot stand {place}")), "{line}");
        assert!(
            line.ends_with("; put it on its own line, with a blank line before and after"),
            "{line}"
        );
    }
    let checked = check_book(dir.path());
    assert_eq!(checked.status.code(), Some(1));
    let stderr = stderr_of(&checked);
    let check_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("src/")).collect();
    assert_eq!(check_lines, lines, "check reports what the build reports");
}

#[test]
fn a_pipe_in_a_reference_never_cuts_a_table_cell() {
    let bib = "@article{doe2020,\n  author = {Doe, Jane}, title = {Parsing a | b Grammars}, journal = {J}, volume = {1}, year = {2020},\n}\n@online{p1, author = {{Alpha Team}}, title = {Alpha Reference | Types}, year = {2024}}\n";
    let model = "[[frameworks]]\nid = \"alpha\"\nname = \"Alpha\"\norganisation = \"Org\"\nfirst-release = \"2020\"\nlanguages = [\"C\"]\nlicense = \"MIT\"\nstatus = \"active\"\nsources = [{ work = \"p1\" }]\n\n[[dimensions]]\nid = \"syntax\"\nlabel = \"Syntax\"\ndescription = \"Syntax.\"\ngroup = \"g\"\n\n[[claims]]\nframework = \"alpha\"\ndimension = \"syntax\"\nvalue = \"Union types\"\nsources = [{ work = \"p1\" }]\n";
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/refs.bib\", \"data/m.toml\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n| Claim | Source |\n|---|---|\n| pipes | {{#paper-citation doe2020}} |\n| more | see {{#paper-citation doe2020 form=narrative}} and \\| this |\n\n{{#comparison-table}}\n\n{{#bibliography}}\n",
            ),
        ],
    );
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/refs.bib"), bib).unwrap();
    std::fs::write(dir.path().join("data/m.toml"), model).unwrap();
    build_in_process(dir.path()).unwrap();
    let html = page(dir.path(), "one.html");
    let tables = select(&html, "main table");
    assert_eq!(tables.len(), 2);
    for table in &tables {
        for row in select_in(table, "tr") {
            assert_eq!(select_in(&row, "td, th").len(), 2, "{}", row.html());
        }
    }
    // The comparison table's sources are notes under it, outside any table.
    let titles: Vec<&str> = select(
        &html,
        "main table a[title], main .mdbook-frameworks-notes a[title]",
    )
    .iter()
    .filter_map(|a| a.value().attr("title"))
    .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[0].contains("Parsing a | b Grammars"), "{titles:?}");
    assert!(titles[2].contains("Alpha Reference | Types"), "{titles:?}");
    let second = text_of(&select_in(&tables[0], "tbody tr")[1]);
    assert!(second.ends_with("and | this"), "{second}");
}

#[test]
fn links_we_write_resolve_for_any_file_name() {
    let dir = book_of_files(
        "",
        &[
            (
                "SUMMARY.md",
                "- [Space](<a b.md>)\n- [Parens](<x (1)/c (d) é%.md>)\n- [Refs](<refs (all).md>)\n",
            ),
            (
                "a b.md",
                "# Space\n\n{{#paper-citation paszke2019pytorch}}\n",
            ),
            (
                "x (1)/c (d) é%.md",
                "# Parens\n\n{{#paper-citation abadi2016tensorflow}}\n\n| a |\n|---|\n| {{#paper-citation paszke2019pytorch}} |\n",
            ),
            ("refs (all).md", "# Refs\n\n{{#bibliography}}\n"),
        ],
    );
    build_in_process(dir.path()).unwrap();
    let refs = page(dir.path(), "refs (all).html");
    let cited_in: Vec<String> = select(&refs, "main li a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    // Back-references land on the citations: `page.html#cite-…`.
    assert!(
        cited_in.contains(&"a%20b.html#cite-a-b-1".to_owned()),
        "{cited_in:?}"
    );
    assert!(
        cited_in.contains(&"x%20%281%29/c%20%28d%29%20é%25.html#cite-x-1-c-d-2".to_owned()),
        "{cited_in:?}"
    );
    let text = text_of(&select(&refs, "main")[0]);
    assert!(!text.contains("]("), "no link shown as text: {text}");
    // Every citation and back-reference resolves (hrefs percent-decoded).
    let site = Site::new(dir.path().join("book"));
    assert!(check_links(&site, "main a[href]") >= 6);
}

#[test]
fn an_inline_directive_in_an_html_block_is_a_located_warning() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n<div class=\"note\">\nAs {{#paper-citation paszke2019pytorch}} says.\n</div>\n\n<div>\n\nFine: {{#paper-citation paszke2019pytorch}}.\n\n</div>\n",
            ),
        ],
    );
    let checked = check_book(dir.path());
    assert!(checked.status.success());
    let warnings: Vec<String> = stderr_lines(&checked)
        .into_iter()
        .filter(|l| l.starts_with("src/"))
        .collect();
    assert_eq!(
        warnings,
        [
            "src/one.md:4:4: warning: `{{#paper-citation}}` is inside an HTML block, where its Markdown is shown as written; leave a blank line after the HTML tag that opens the block, and before the one that closes it"
        ]
    );
}

#[test]
fn a_directive_in_a_summary_title_is_a_located_warning() {
    let dir = book_of_files(
        "",
        &[
            (
                "SUMMARY.md",
                "# Summary\n\n- [Intro to {{#framework-fact keras name}}](one.md)\n\n# Part {{#paper-citation paszke2019pytorch}}\n\n- [`{{#timeline}}` in code](two.md)\n",
            ),
            ("one.md", "# One\n"),
            ("two.md", "# Two\n"),
        ],
    );
    use_built_binary(dir.path());
    let output = mdbook_build(dir.path());
    assert!(output.status.success(), "{}", stderr_of(&output));
    let ours: Vec<String> = stderr_lines(&output)
        .into_iter()
        .filter(|l| l.starts_with("src/SUMMARY.md"))
        .collect();
    assert_eq!(
        ours,
        [
            "src/SUMMARY.md:3:13: warning: `{{#framework-fact}}` in SUMMARY.md is not expanded: mdBook gives chapter titles to no preprocessor; write the directive in the chapter itself",
            "src/SUMMARY.md:5:8: warning: `{{#paper-citation}}` in SUMMARY.md is not expanded: mdBook gives chapter titles to no preprocessor; write the directive in the chapter itself",
        ],
        "{}",
        stderr_of(&output)
    );
    let checked = check_book(dir.path());
    assert!(checked.status.success());
    assert!(stderr_of(&checked).contains("src/SUMMARY.md:3:13: warning:"));
}
