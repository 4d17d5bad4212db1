//! The whole expansion pipeline through the library API: chapters in, Markdown out.

use std::path::Path;

use mdbook_frameworks::mdbook::BookSettings;
use mdbook_frameworks::model::Model;
use mdbook_frameworks::preprocess;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use serde_json::{Value, json};

/// A book of `(path, content)` chapters, nested when a path has a directory.
fn book(chapters: &[(&str, &str)]) -> Book {
    let mut book = Book::new();
    for (path, content) in chapters {
        let name = Path::new(path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        book.push_item(Chapter::new(&name, content.to_string(), *path, Vec::new()));
    }
    book
}

fn content<'a>(book: &'a Book, path: &str) -> &'a str {
    book.chapters()
        .find(|c| c.path.as_deref() == Some(Path::new(path)))
        .map(|c| c.content.as_str())
        .unwrap_or_else(|| panic!("no chapter {path}"))
}

fn run(book: &mut Book, table: Value) -> Result<String, String> {
    let mut log = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = BookSettings::with_src(Path::new("book"));
    let base = Model::shared_builtin();
    let result = preprocess(root, &settings, Some(&table), base, book, true, &mut log);
    let log = String::from_utf8(log).unwrap();
    result.map(|_| log).map_err(|failure| failure.to_string())
}

#[test]
fn citations_link_to_the_bibliography_from_nested_chapters() {
    let mut b = book(&[
        (
            "part/deep/a.md",
            "See {{#paper-citation paszke2019pytorch page=8026}}.\n",
        ),
        ("refs.md", "# References\n\n{{#bibliography}}\n"),
    ]);
    run(&mut b, json!({})).unwrap();
    let a = content(&b, "part/deep/a.md");
    assert!(
        a.starts_with(
            "See <span id=\"cite-part-deep-a-1\"></span>([Paszke et al., 2019, p. 8026](../../refs.md#ref-paszke2019pytorch \"Paszke et al. \
             (2019). PyTorch: An Imperative Style, High-Performance Deep Learning Library. Advances in \
             Neural Information Processing Systems 32.\"))."
        ),
        "{a}"
    );
    let refs = content(&b, "refs.md");
    assert!(
        refs.contains("- <a id=\"ref-paszke2019pytorch\"></a>Paszke, A., Gross, S."),
        "{refs}"
    );
    // The back-reference lands on the citation's anchor.
    assert!(
        refs.contains("Cited in: [a](part/deep/a.md#cite-part-deep-a-1)."),
        "{refs}"
    );
    assert!(
        !refs.contains("abadi2016tensorflow"),
        "only cited works are listed: {refs}"
    );
}

#[test]
fn bibliography_all_lists_uncited_works_and_chapter_scope_lists_local_ones() {
    let mut b = book(&[
        (
            "one.md",
            "{{#paper-citation abadi2016tensorflow}}\n\n{{#bibliography chapter}}\n",
        ),
        ("all.md", "{{#bibliography all}}\n"),
    ]);
    run(&mut b, json!({})).unwrap();
    let one = content(&b, "one.md");
    assert!(
        one.contains("ref-abadi2016tensorflow") && !one.contains("ref-paszke2019pytorch"),
        "{one}"
    );
    let all = content(&b, "all.md");
    for key in [
        "paszke2019pytorch",
        "abadi2015tensorflow",
        "bergstra2010theano",
    ] {
        assert!(
            all.contains(&format!("id=\"ref-{key}\"")),
            "{key} missing from {all}"
        );
    }
}

#[test]
fn chapter_references_are_appended_where_something_is_cited() {
    let mut b = book(&[
        (
            "cites.md",
            "# Cites\n\nText {{#paper-citation paszke2019pytorch}}.\n",
        ),
        ("plain.md", "# Plain\n"),
    ]);
    run(&mut b, json!({"chapter-references": true})).unwrap();
    let cites = content(&b, "cites.md");
    assert!(
        cites.contains("[Paszke et al., 2019](#ref-paszke2019pytorch "),
        "{cites}"
    );
    assert!(
        cites.ends_with("\n\n## References\n\n- <a id=\"ref-paszke2019pytorch\"></a>Paszke, A.")
            || cites
                .contains("\n\n## References\n\n- <a id=\"ref-paszke2019pytorch\"></a>Paszke, A."),
        "{cites}"
    );
    assert_eq!(content(&b, "plain.md"), "# Plain\n");
}

#[test]
fn problems_are_collected_in_reading_order_with_locations() {
    let mut b = book(&[
        ("a.md", "ok\n  {{#comparison-table frameworks=pytorh}}\n"),
        (
            "b.md",
            "{{#paper-citation nobody}} and {{#comparision-table}}\n{{#timeline from=soon}}",
        ),
    ]);
    let failure = run(&mut b, json!({})).unwrap_err();
    let lines: Vec<&str> = failure.lines().collect();
    assert_eq!(
        lines,
        [
            "book/a.md:2:34: error: unknown framework `pytorh`; did you mean `pytorch`?",
            "book/b.md:1:19: error: unknown work `nobody`; run `mdbook-frameworks list works` to see the known keys",
            "book/b.md:1:32: error: unknown directive `{{#comparision-table}}`; did you mean `comparison-table`?",
            "book/b.md:2:18: error: `from` must be a year, not `soon`; write e.g. from=2015",
            "mdbook-frameworks: 4 problems found",
        ]
    );
}

#[test]
fn warn_mode_shows_the_problem_in_the_page_and_succeeds() {
    let mut b = book(&[("a.md", "before {{#framework-fact pytorch colour}} after\n")]);
    let log = run(&mut b, json!({"on-error": "warn"})).unwrap();
    assert!(
        log.contains("book/a.md:1:34: warning: unknown field `colour`"),
        "{log}"
    );
    let a = content(&b, "a.md");
    assert!(
        a.starts_with(
            "before **\\[mdbook-frameworks: book/a.md:1:34: error: unknown field \\`colour\\`"
        ),
        "{a}"
    );
    assert!(a.ends_with("\\]** after\n"), "{a}");
}

#[test]
fn escapes_code_and_other_preprocessors_directives_are_left_alone() {
    // Every directive of mdBook's `links`, `playpen` (its old name for
    // `playground`) included, is left to mdBook.
    let text = "\\{{#paper-citation paszke2019pytorch}} `{{#paper-citation x}}`\n\n```\n{{#timeline}}\n```\n{{#include file.md}} {{#template t}}\n\n{{#title A page}} {{#playground ex.rs}} {{#playpen ex.rs}} {{#rustdoc_include ex.rs:2}}\n";
    let mut b = book(&[("a.md", text)]);
    run(&mut b, json!({"other-directives": ["template"]})).unwrap();
    let expected = text.strip_prefix('\\').unwrap();
    assert_eq!(content(&b, "a.md"), expected);
}

#[test]
fn block_directives_keep_their_blockquote() {
    let mut b = book(&[(
        "a.md",
        "> Quote:\n> {{#comparison-table frameworks=theano dimensions=debugging}}\n> end\n",
    )]);
    run(&mut b, json!({})).unwrap();
    let a = content(&b, "a.md");
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(
        lines[..7],
        [
            "> Quote:",
            "> ",
            "> <div class=\"mdbook-frameworks-table\">",
            ">",
            "> | Dimension | **Theano** |",
            "> |---|---|",
            // The cell names its sources by a note under the table.
            "> | **Debugging** | A debugging mode that cross-checks computed results, and test values (`compute_test_value`) to catch errors at graph-construction time.<sup>[1](#cite-a-1)</sup> |",
        ]
    );
    assert_eq!(lines[7..10], [">", "> </div>", ">"]);
    assert_eq!(lines[10], "> <div class=\"mdbook-frameworks-notes\">");
    assert!(
        lines[12].starts_with("> 1. <span id=\"cite-a-1\"></span>(Theano Development Team"),
        "{a}"
    );
    assert!(a.ends_with("> </div>\n>\n> end\n"), "{a}");
}

#[test]
fn ieee_numbers_citations_in_order_of_first_citation() {
    let mut b = book(&[
        (
            "a.md",
            "{{#paper-citation abadi2016tensorflow}} {{#paper-citation paszke2019pytorch}} {{#paper-citation abadi2016tensorflow,paszke2019pytorch}}",
        ),
        ("bib.md", "{{#bibliography}}"),
    ]);
    run(&mut b, json!({"citation-style": "ieee"})).unwrap();
    let a = content(&b, "a.md");
    assert!(
        a.starts_with("<span id=\"cite-a-1\"></span>\\[[1](bib.md#ref-abadi2016tensorflow "),
        "{a}"
    );
    assert!(
        a.contains(" <span id=\"cite-a-2\"></span>\\[[2](bib.md#ref-paszke2019pytorch "),
        "{a}"
    );
}

#[test]
fn unknown_citation_style_lists_the_valid_ones() {
    let mut b = book(&[("a.md", "x")]);
    let failure = run(&mut b, json!({"citation-style": "apaa"})).unwrap_err();
    assert!(
        failure.contains("book.toml: error: unknown citation style `apaa`"),
        "{failure}"
    );
    assert!(failure.contains("did you mean `apa`?"), "{failure}");
}

#[test]
fn book_data_adds_frameworks_and_overrides_are_reported_when_verbose() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("course.toml"),
        r#"
[[claims]]
framework = "theano"
dimension = "debugging"
value = "Course note: hard"
sources = [{ work = "bergstra2010theano" }]
"#,
    )
    .unwrap();
    let mut b = book(&[(
        "a.md",
        "{{#comparison-table frameworks=theano dimensions=debugging}}",
    )]);
    let mut log = Vec::new();
    let table = json!({"data": ["course.toml"]});
    preprocess(
        dir.path(),
        &BookSettings::default(),
        Some(&table),
        Model::shared_builtin(),
        &mut b,
        true,
        &mut log,
    )
    .unwrap();
    let log = String::from_utf8(log).unwrap();
    assert_eq!(
        log,
        "course.toml:3:13: note: overrides the built-in claim for `theano` × `debugging`\n"
    );
    assert!(content(&b, "a.md").contains("Course note: hard"));
}

#[test]
fn draft_chapters_and_separators_survive() {
    let mut b = book(&[("a.md", "{{#framework-fact keras name}}")]);
    b.push_item(BookItem::Separator);
    b.push_item(BookItem::PartTitle("Part".into()));
    b.push_item(Chapter::new_draft("Draft", Vec::new()));
    run(&mut b, json!({})).unwrap();
    assert_eq!(content(&b, "a.md"), "Keras");
    assert_eq!(b.items.len(), 4);
    assert!(matches!(&b.items[3], BookItem::Chapter(c) if c.path.is_none() && c.name == "Draft"));
}

#[test]
fn the_report_lists_cited_works_including_table_sources_but_not_code_or_escapes() {
    let mut b = book(&[
        (
            "a.md",
            "{{#paper-citation paszke2019pytorch}} `{{#paper-citation dean2012large}}`",
        ),
        (
            "b.md",
            "\\{{#paper-citation bergstra2010theano}}\n\n{{#comparison-table frameworks=theano dimensions=status}}",
        ),
    ]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = preprocess(
        root,
        &BookSettings::with_src(Path::new("book")),
        None,
        Model::shared_builtin(),
        &mut b,
        false,
        &mut Vec::new(),
    )
    .unwrap();
    let model = mdbook_frameworks::model::Model::builtin();
    let mut expected: Vec<String> = model
        .claims_for("theano", "status")
        .flat_map(|c| c.sources.iter().map(|s| s.work.clone()))
        .chain(["paszke2019pytorch".to_owned()])
        .collect();
    expected.sort();
    expected.dedup();
    let mut cited = report.cited.clone();
    cited.sort();
    assert_eq!(cited, expected);
    assert!(!report.lists_all_works);
}

#[test]
fn directives_inside_included_files_are_expanded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/part")).unwrap();
    std::fs::write(
        dir.path().join("src/part/snippet.md"),
        "Cited: {{#paper-citation paszke2019pytorch}}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/part/plain.md"), "nothing of ours\n").unwrap();
    let mut b = book(&[(
        "part/a.md",
        "# A\n\n{{#include snippet.md}}\n{{#include plain.md:2}}\n",
    )]);
    let mut log = Vec::new();
    let settings = BookSettings::default();
    let base = Model::shared_builtin();
    preprocess(dir.path(), &settings, None, base, &mut b, false, &mut log).unwrap();
    assert_eq!(String::from_utf8(log).unwrap(), "");
    let a = content(&b, "part/a.md");
    assert!(
        a.starts_with("# A\n\nCited: <span id=\"cite-part-a-1\"></span>(Paszke et al., 2019)\n"),
        "{a}"
    );
    // An include with nothing of ours is left to mdBook's `links`.
    assert!(a.ends_with("\n{{#include plain.md:2}}\n"), "{a}");
}

#[test]
fn large_books_keep_every_chapter_its_own_output_and_problems_in_reading_order() {
    // Large enough (over 256 KiB) for the chapters to be shared out between cores.
    let filler = "Prose that only makes the chapter longer. ".repeat(60);
    let texts: Vec<(String, String)> = (1..=300)
        .map(|i| {
            (
                format!("ch{i:03}.md"),
                format!(
                    "# Chapter {i}\n\n{filler}\n\nCited {{{{#paper-citation paszke2019pytorch page={i}}}}}.\n\n\
                     {{{{#framework-fact pytorch nonsense{i}}}}}\n"
                ),
            )
        })
        .collect();
    let chapters: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let mut b = book(&chapters);
    let log = run(&mut b, json!({"on-error": "warn", "cache": false})).unwrap();
    for i in 1..=300 {
        let text = content(&b, &format!("ch{i:03}.md"));
        assert!(text.starts_with(&format!("# Chapter {i}\n")), "{text}");
        assert!(
            text.contains(&format!("(Paszke et al., 2019, p. {i})")),
            "chapter {i}: {text}"
        );
    }
    let warned: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("warning:"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let expected: Vec<String> = (1..=300).map(|i| format!("book/ch{i:03}.md")).collect();
    assert_eq!(warned, expected);
}
