//! The book's language (`[book] language`, or `locale` in [preprocessor.frameworks])
//! picks the CSL locale of citations and the words of our tables and lists:
//! checked in the HTML that the real mdBook builds.

mod common;

use std::path::Path;

use common::*;

const CHAPTER: &str = "# Eins\n\n\
    Siehe {{#paper-citation paszke2019pytorch page=8026}}.\n\n\
    {{#framework-profile pytorch}}\n\n\
    {{#comparison-table frameworks=tensorflow dimensions=execution-model}}\n\n\
    {{#timeline frameworks=pytorch to=2022}}\n\n\
    {{#bibliography}}\n";

/// A book whose `[book] language` is `language`, with `extra` lines in our table:
/// `one.md` uses every directive, `two.md` cites one work.
fn book_in(language: &str, extra: &str) -> tempfile::TempDir {
    let dir = book_of_files(
        extra,
        &[
            ("SUMMARY.md", "- [Eins](one.md)\n- [Zwei](two.md)\n"),
            ("one.md", CHAPTER),
            (
                "two.md",
                "# Zwei\n\n{{#paper-citation abadi2016tensorflow}}\n",
            ),
        ],
    );
    let path = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("language = \"en\"", &format!("language = \"{language}\""));
    std::fs::write(&path, text).unwrap();
    dir
}

/// The text of a built page's `<main>`, as the reader sees it.
fn page_text(dir: &Path, page: &str) -> String {
    let html = Site::new(dir.join("book")).page(page);
    select(&html, "main").iter().map(text_of).collect()
}

/// The texts of a built page's table headers.
fn headers(dir: &Path, page: &str) -> Vec<String> {
    let html = Site::new(dir.join("book")).page(page);
    select(&html, "th").iter().map(text_of).collect()
}

fn assert_has(text: &str, wanted: &[&str]) {
    for word in wanted {
        assert!(text.contains(word), "`{word}` is missing from:\n{text}");
    }
}

fn assert_lacks(text: &str, unwanted: &[&str]) {
    for word in unwanted {
        assert!(!text.contains(word), "`{word}` is in:\n{text}");
    }
}

/// The English words a German page must not show.
const ENGLISH: &[&str] = &[
    "Cited in",
    "First public release",
    "Licence",
    "Canonical papers",
    "Milestone",
    "Note:",
    "January",
    ", p. ",
];

#[test]
fn a_german_book_gets_german_words_and_german_citation_terms() {
    let dir = book_in("de", "chapter-references = true\n");
    build_in_process(dir.path()).unwrap();
    let one = page_text(dir.path(), "one.html");
    assert_has(
        &one,
        &[
            // APA takes "S." (Seite) and "Hrsg." from the German locale.
            "(Paszke et al., 2019, S. 8026)",
            "(Hrsg.)",
            "Abschnitt 6.4",
            // Our words.
            "ErstveröffentlichungJanuar 2017",
            "Statusaktiv",
            "Maßgebliche Publikationen",
            "LinksWebsite, Repository",
            "Erstveröffentlichung von PyTorch",
            "12. September 2022",
            "Artikel: PyTorch",
            "Anmerkung:",
            "Zitiert in: Eins.",
        ],
    );
    assert_lacks(&one, ENGLISH);
    let headers = headers(dir.path(), "one.html");
    for header in ["Dimension", "Datum", "Framework", "Meilenstein", "Quelle"] {
        assert!(headers.iter().any(|h| h == header), "{header}: {headers:?}");
    }
    // `chapter-references` appends a list under a German heading.
    let html = Site::new(dir.path().join("book")).page("two.html");
    let headings: Vec<String> = select(&html, "main h2").iter().map(text_of).collect();
    assert_eq!(headings, ["Literatur"]);
}

#[test]
fn chicago_in_german_says_u_a_for_et_al_also_for_bibtex_and_others() {
    let data = "@article{smith2020, author = {Smith, John and others}, title = {T}, journal = {J}, year = 2020}\n";
    let dir = book_in(
        "de",
        "citation-style = \"chicago-author-date\"\ndata = [\"works.bib\"]\n",
    );
    std::fs::write(dir.path().join("works.bib"), data).unwrap();
    std::fs::write(
        dir.path().join("src/two.md"),
        "# Zwei\n\n{{#paper-citation smith2020 form=narrative}}\n",
    )
    .unwrap();
    build_in_process(dir.path()).unwrap();
    assert_has(
        &page_text(dir.path(), "one.html"),
        &[
            "(Paszke u. a. 2019, 8026)",
            "herausgegeben von",
            "„PyTorch:",
        ],
    );
    assert_has(&page_text(dir.path(), "two.html"), &["Smith u. a. (2020)"]);
}

#[test]
fn the_locale_key_overrides_book_language() {
    let dir = book_in(
        "de",
        "locale = \"ja\"\ncitation-style = \"chicago-author-date\"\n",
    );
    build_in_process(dir.path()).unwrap();
    let one = page_text(dir.path(), "one.html");
    assert_has(
        &one,
        &[
            "(Paszke ほか 2019年, 8026)",
            "初公開2017年1月",
            "PyTorchの初公開",
            "引用箇所：Eins。",
        ],
    );
    assert_lacks(&one, &["Zitiert in", "Erstveröffentlichung", "Cited in"]);
    let headers = headers(dir.path(), "one.html");
    assert!(headers.iter().any(|h| h == "マイルストーン"), "{headers:?}");
}

#[test]
fn english_by_default_with_the_styles_own_locale() {
    let dir = book_in("en", "citation-style = \"nature\"\n");
    build_in_process(dir.path()).unwrap();
    let one = page_text(dir.path(), "one.html");
    assert_has(
        &one,
        &["First public releaseJanuary 2017", "Cited in: Eins."],
    );
    // nature is written in en-GB: "en" does not turn it into en-US.
    let dir_us = book_in("en", "citation-style = \"nature\"\nlocale = \"en-US\"\n");
    build_in_process(dir_us.path()).unwrap();
    let us = page_text(dir_us.path(), "one.html");
    assert_ne!(one, us, "en-GB and en-US differ in this style");
}

#[test]
fn another_language_keeps_english_words_and_says_so_under_verbose() {
    let dir = book_in("it", "");
    use_built_binary(dir.path());
    let quiet = mdbook_build(dir.path());
    assert!(quiet.status.success(), "{}", stderr_of(&quiet));
    let note = "book.toml: note: language `it` has no words table; using English";
    assert!(!stderr_of(&quiet).contains(note), "{}", stderr_of(&quiet));
    let one = page_text(dir.path(), "one.html");
    // Italian CSL terms, English words of ours.
    assert_has(
        &one,
        &["Sezione 6.4", "(a c. di)", "Cited in: Eins.", "Milestone"],
    );

    let path = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("command = ")).unwrap();
    let verbose = format!("{} --verbose\"", line.trim_end_matches('"'));
    std::fs::write(&path, text.replace(line, &verbose)).unwrap();
    let loud = mdbook_build(dir.path());
    assert!(loud.status.success(), "{}", stderr_of(&loud));
    assert!(stderr_of(&loud).contains(note), "{}", stderr_of(&loud));
    let checked = std::process::Command::new(BIN)
        .args(["check", "--verbose"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        stderr_of(&checked).contains(note),
        "{}",
        stderr_of(&checked)
    );

    // A language with a table has no such note.
    let german = book_in("de", "");
    let checked = std::process::Command::new(BIN)
        .args(["check", "--verbose"])
        .arg(german.path())
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", stderr_of(&checked));
    assert!(!stderr_of(&checked).contains("words table"));
}

#[test]
fn a_bad_locale_is_an_error_at_the_key() {
    let dir = book_in("de", "locale = \"de_DE\"\n");
    let error = build_error(dir.path());
    assert!(
        error.contains("book.toml:9:1: error: `locale` `de_DE` is not a language tag: join subtags with `-`, as in `de-DE`; write a BCP-47 language tag such as `de`, `fr-CA` or `pt-BR`"),
        "{error}"
    );
    let checked = check_book(dir.path());
    assert_eq!(checked.status.code(), Some(1));
    assert!(stderr_of(&checked).contains("book.toml:9:1: error: `locale`"));
}

#[test]
fn problems_shown_in_the_page_say_error_in_the_books_language() {
    let dir = book_in("de", "on-error = \"warn\"\n");
    std::fs::write(
        dir.path().join("src/two.md"),
        "# Zwei\n\n{{#paper-citation nosuchwork2020}}\n",
    )
    .unwrap();
    build_in_process(dir.path()).unwrap();
    assert_has(
        &page_text(dir.path(), "two.html"),
        &["[mdbook-frameworks: src/two.md:3:19: Fehler: unknown work `nosuchwork2020`"],
    );
}

#[test]
fn switching_language_never_serves_cached_citations_of_the_other() {
    let dir = book_in("en", "");
    let path = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("cache = false", "cache = \".cache\"")).unwrap();
    build_in_process(dir.path()).unwrap();
    assert_has(
        &page_text(dir.path(), "one.html"),
        &["(Paszke et al., 2019, p. 8026)"],
    );
    assert!(
        dir.path()
            .join(".cache")
            .read_dir()
            .unwrap()
            .next()
            .is_some()
    );

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("language = \"en\"", "language = \"de\""),
    )
    .unwrap();
    build_in_process(dir.path()).unwrap();
    let cached = page_text(dir.path(), "one.html");
    assert_has(&cached, &["(Paszke et al., 2019, S. 8026)", "(Hrsg.)"]);
    let fresh = book_in("de", "");
    build_in_process(fresh.path()).unwrap();
    assert_eq!(cached, page_text(fresh.path(), "one.html"));
}
