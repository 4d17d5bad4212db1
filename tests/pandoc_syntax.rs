//! Pandoc's citation syntax (`citation-syntax = "pandoc"`), through the real mdBook:
//! the same citations as the directives, what is left alone, located errors, and a
//! comparison with Pandoc's own `--citeproc` when `pandoc` is installed.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Each citation in both syntaxes: Pandoc's, and the directive that says the same.
const PAIRS: &[(&str, &str)] = &[
    (
        "[@paszke2019pytorch]",
        "{{#paper-citation paszke2019pytorch}}",
    ),
    (
        "[@abadi2016tensorflow; @bergstra2010theano]",
        "{{#paper-citation abadi2016tensorflow,bergstra2010theano}}",
    ),
    (
        "[see @paszke2019pytorch, p. 8026]",
        "{{#paper-citation paszke2019pytorch page=8026 prefix=\"see\"}}",
    ),
    (
        "[@abadi2016tensorflow, sec. 4.1]",
        "{{#paper-citation abadi2016tensorflow section=4.1}}",
    ),
    (
        "[@chollet2015keras, chap. 2]",
        "{{#paper-citation chollet2015keras chapter=2}}",
    ),
    (
        "@bergstra2010theano",
        "{{#paper-citation bergstra2010theano form=narrative}}",
    ),
    (
        "@dean2012large [p. 3]",
        "{{#paper-citation dean2012large form=narrative page=3}}",
    ),
    (
        "[-@paszke2019pytorch]",
        "({{#paper-citation paszke2019pytorch form=year}})",
    ),
    (
        "[@abadi2015tensorflow, pp. 3-5, for the dataflow model]",
        "{{#paper-citation abadi2015tensorflow page=3-5 suffix=\", for the dataflow model\"}}",
    ),
    (
        "[see @tokui2015chainer, p. 2; @neubig2017dynet, sec. 3]",
        "{{#paper-citation tokui2015chainer:page=2,neubig2017dynet:section=3 prefix=\"see\"}}",
    ),
    (
        "[@{DBLP:demo/key}, p. 7]",
        "{{#paper-citation DBLP:demo/key page=7}}",
    ),
];

/// A work with a DBLP-style key, which Pandoc's syntax writes in braces.
const DBLP_BIB: &str = "@inproceedings{DBLP:demo/key,\n  author = {Ada Lovelace and Charles Babbage},\n  title = {Notes on the Analytical Engine},\n  booktitle = {Proceedings of Engines},\n  year = {1843},\n  pages = {1--20}\n}\n";

/// A chapter citing every pair in one syntax (0: Pandoc, 1: directives), each in
/// its own paragraph, in running text, a table cell and a heading; plus text that
/// only looks like citations.
fn chapter(syntax: usize) -> String {
    let mut text = String::from("# Citations\n\n");
    for (i, pair) in PAIRS.iter().enumerate() {
        let cite = if syntax == 0 { pair.0 } else { pair.1 };
        text.push_str(&format!("C{i}: As shown {cite}.\n\n"));
    }
    let (p, d) = PAIRS[0];
    let cite = if syntax == 0 { p } else { d };
    text.push_str(&format!(
        "| a | b |\n|---|---|\n| x | {cite} |\n\n## Heading {cite}\n\n[link text {cite}](https://example.org)\n\n"
    ));
    text.push_str(NOT_CITATIONS);
    text
}

/// Text the Pandoc syntax leaves alone, byte for byte.
const NOT_CITATIONS: &str = "Mail me@example.org or <me@example.org>; see https://x.org/@paszke2019pytorch, `[@paszke2019pytorch]`, \\[not a cite\\] and @someone.\n\n```\n[@paszke2019pytorch] @paszke2019pytorch\n```\n\n<!-- [@paszke2019pytorch] -->\n";

fn book(syntax: usize, style: &str) -> tempfile::TempDir {
    let extra = if syntax == 0 {
        "citation-syntax = \"pandoc\"\n"
    } else {
        ""
    };
    let dir = book_of_files(
        &format!("{extra}citation-style = \"{style}\"\ndata = [\"refs.bib\"]\n"),
        &[
            (
                "SUMMARY.md",
                "- [Cites](cites.md)\n- [References](refs.md)\n",
            ),
            ("cites.md", &chapter(syntax)),
            ("refs.md", "# References\n\n{{#bibliography}}\n"),
        ],
    );
    std::fs::write(dir.path().join("refs.bib"), DBLP_BIB).unwrap();
    dir
}

fn main_html(dir: &Path, page: &str) -> String {
    let html = Site::new(dir.join("book")).page(page);
    select(&html, "main")[0].inner_html()
}

#[test]
fn one_chapter_in_both_syntaxes_gives_the_same_citations() {
    for style in ["apa", "ieee"] {
        let pandoc = book(0, style);
        let directives = book(1, style);
        build_in_process(pandoc.path()).unwrap();
        build_in_process(directives.path()).unwrap();
        let ours = main_html(pandoc.path(), "cites.html");
        let theirs = main_html(directives.path(), "cites.html");
        assert_eq!(ours, theirs, "{style}");
        // Numbering, "Cited in" and the reference list are shared too.
        assert_eq!(
            main_html(pandoc.path(), "refs.html"),
            main_html(directives.path(), "refs.html"),
            "{style}"
        );
        // And they are citations: linked to the entries, none left as written.
        let html = Site::new(pandoc.path().join("book")).page("cites.html");
        let links = select(&html, "main a[href^='refs.html#ref-']");
        // One per work of each paragraph (two in C1 and C9), and the table cell's;
        // the heading's and the link text's are unlinked.
        assert_eq!(links.len(), PAIRS.len() + 2 + 1, "{style}");
        let cited: Vec<String> = select(&html, "main p")
            .iter()
            .map(text_of)
            .filter(|p| p.starts_with('C'))
            .collect();
        assert_eq!(cited.len(), PAIRS.len());
        for paragraph in cited {
            assert!(!paragraph.contains('@'), "{style}: {paragraph}");
        }
    }
    let html = Site::new(book_built(0).path().join("book")).page("cites.html");
    let main = text_of(&select(&html, "main")[0]);
    for expected in [
        "C0: As shown (Paszke et al., 2019).",
        "C2: As shown (see Paszke et al., 2019, p. 8026).",
        "C5: As shown Bergstra et al. (2010).",
        "C7: As shown (2019).",
    ] {
        assert!(main.contains(expected), "{expected}\n{main}");
    }
}

fn book_built(syntax: usize) -> tempfile::TempDir {
    let dir = book(syntax, "apa");
    build_in_process(dir.path()).unwrap();
    dir
}

#[test]
fn what_only_looks_like_a_citation_is_kept_as_written() {
    let dir = book(0, "apa");
    let input = mdbook_input(dir.path(), "html");
    let output = run_bin(&[], input.as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    let book: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let content = book["items"][0]["Chapter"]["content"].as_str().unwrap();
    assert!(content.ends_with(NOT_CITATIONS), "{content}");
    // Without the setting, Pandoc's syntax is text.
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [A](a.md)\n"),
            ("a.md", "See [@paszke2019pytorch] and @paszke2019pytorch.\n"),
        ],
    );
    build_in_process(dir.path()).unwrap();
    let html = Site::new(dir.path().join("book")).page("a.html");
    assert_eq!(
        text_of(&select(&html, "main p")[0]),
        "See [@paszke2019pytorch] and @paszke2019pytorch."
    );
}

#[test]
fn bad_pandoc_citations_are_located_errors() {
    let dir = book_of_files(
        "citation-syntax = \"pandoc\"\n",
        &[
            ("SUMMARY.md", "- [A](a.md)\n"),
            (
                "a.md",
                "# A\n\nOne [@paszke2019pytorh] two.\n\n[@paszke2019pytorch; see @bergstra2010theano]\n\n[@paszke2019pytorch, p. 3, and more; @bergstra2010theano]\n\n[-@paszke2019pytorch; @bergstra2010theano]\n\nFine: @paszke2019pytorh is left alone.\n",
            ),
        ],
    );
    let output = check_book(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    let lines = stderr_lines(&output);
    assert_lines_start_with(
        &lines,
        [
            "src/a.md:3:7: error: unknown work `paszke2019pytorh`; did you mean `paszke2019pytorch`?",
            "src/a.md:5:22: error: text before `@bergstra2010theano`, a later work of the citation",
            "src/a.md:7:26: error: text after `@paszke2019pytorch`, before the citation's last work",
            "src/a.md:9:4: error: `-@` (year only) must be on every work of a citation or on none",
        ],
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains(": error: ")).count(),
        4,
        "{lines:#?}"
    );
    // The real mdBook fails the build with the same messages.
    use_built_binary(dir.path());
    let built = mdbook_build(dir.path());
    assert!(!built.status.success());
    assert!(stderr_of(&built).contains("src/a.md:3:7: error: unknown work `paszke2019pytorh`"));
}

#[test]
fn the_setting_is_validated_at_its_key() {
    let dir = book_of_files(
        "citation-syntax = \"markdown\"\n",
        &[("SUMMARY.md", "- [A](a.md)\n"), ("a.md", "# A\n")],
    );
    let output = check_book(dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains(
            "book.toml:9:1: error: `citation-syntax` must be \"directives\" or \"pandoc\""
        ),
        "{}",
        stderr_of(&output)
    );
}

/// In-text citations that Pandoc prints differently from us, with why: the test
/// fails on any other difference, and on one of these that goes away.
const KNOWN_DIFFERENCES: &[(usize, &str)] = &[
    // The CSL processors differ, not the syntax: APA's `label-locator` macro gives
    // a numeric locator other than a page its long label, which hayagriva prints
    // ("Chapter 2", as `{{#paper-citation chollet2015keras chapter=2}}` does);
    // Pandoc 2.17's citeproc prints the number alone.
    (4, "C4: As shown (Chollet, 2015, 2)."),
    // Our citations have one prefix, put before the first work after the style
    // sorts them; Pandoc keeps "see" with the work it was written before.
    (
        9,
        "C9: As shown (Neubig et al., 2017, Section 3; see Tokui et al., 2015, p. 2).",
    ),
];

/// Renders the Pandoc chapter with `pandoc --citeproc`, the APA style file
/// hayagriva uses, and the book's exported bibliography, and compares each
/// in-text citation with ours.
#[test]
fn pandoc_citeproc_prints_the_same_in_text_citations() {
    let Some(pandoc) = find_on_path("pandoc") else {
        if std::env::var_os("MDBOOK_FRAMEWORKS_SKIP_PANDOC").is_some() {
            eprintln!("SKIPPED: `pandoc` is not on PATH (MDBOOK_FRAMEWORKS_SKIP_PANDOC is set)");
            return;
        }
        panic!(
            "`pandoc` is not on PATH; this test compares our citations with Pandoc's \
             --citeproc. Install it with `apt-get install pandoc` (2.11 or later), or set \
             MDBOOK_FRAMEWORKS_SKIP_PANDOC=1 to skip it"
        );
    };
    let dir = book_built(0);
    let exported = Command::new(BIN)
        .args(["bibtex", "--book"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(exported.status.success(), "{}", stderr_of(&exported));
    std::fs::write(dir.path().join("exported.bib"), &exported.stdout).unwrap();
    let csl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/styles/apa.csl");
    let rendered = Command::new(pandoc)
        .args([
            "--citeproc",
            "--wrap=none",
            "-f",
            "markdown",
            "-t",
            "plain",
            "--csl",
        ])
        .arg(&csl)
        .arg("--bibliography")
        .arg(dir.path().join("exported.bib"))
        .arg(dir.path().join("src/cites.md"))
        .output()
        .unwrap();
    assert!(rendered.status.success(), "{}", stderr_of(&rendered));
    let theirs: Vec<String> = String::from_utf8(rendered.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('C') && l.contains(": As shown"))
        .map(str::to_owned)
        .collect();
    let html = Site::new(dir.path().join("book")).page("cites.html");
    let ours: Vec<String> = select(&html, "main p")
        .iter()
        .map(text_of)
        .filter(|l| l.starts_with('C') && l.contains(": As shown"))
        .collect();
    assert_eq!(ours.len(), PAIRS.len());
    assert_eq!(theirs.len(), PAIRS.len(), "{theirs:#?}");
    let mut report = Vec::new();
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        let known = KNOWN_DIFFERENCES.iter().find(|(k, _)| *k == i);
        match (ours == theirs, known) {
            (true, None) => {}
            (true, Some(_)) => report.push(format!("C{i}: listed as different, now equal")),
            (false, Some((_, pandoc_prints))) if pandoc_prints == theirs => {}
            (false, _) => report.push(format!("C{i}:\n  ours:   {ours}\n  pandoc: {theirs}")),
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

fn find_on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
