//! Error paths, with the exact text users see: through the binary fed mdBook's JSON,
//! and through the real `mdbook build`.

mod common;

use common::*;

/// Every problem of the `errors` fixture, in reading order: `ch.md` comes before
/// `another.md` in SUMMARY.md (though not alphabetically). Lines and columns are
/// counted by hand from the fixture text: 1-based, columns in characters (`Café — `
/// and `日本語 ` are 7 and 4 characters, not 9 and 10 bytes).
const EXPECTED: &[&str] = &[
    "src/ch.md:3:32: error: unknown framework `pytorh`; did you mean `pytorch`?",
    "src/ch.md:5:8: error: unknown directive `{{#comparision-table}}`; did you mean `comparison-table`?",
    "src/ch.md:7:44: error: unknown argument `pages` for `paper-citation`; did you mean `page`?",
    "src/ch.md:9:53: error: bad version `x` for `tensorflow`: expected a version such as `1` or `1.15`, or a range such as `>=2.4`; pin a major version like `tensorflow@1`, or a range like `tensorflow@>=2.4`",
    "src/ch.md:11:23: error: unknown work `paszke2019pytorh`; did you mean `paszke2019pytorch`?",
    "src/ch.md:15:10: error: `{{#paper-citation` is not closed; close the directive with `}}` on the same line",
    "src/another.md:3:22: error: unknown framework `thean`; did you mean `theano`?",
];

/// Checks that the fixture still has the text the expected positions were counted on.
#[test]
fn the_fixture_text_matches_the_expected_positions() {
    let text = std::fs::read_to_string(fixtures().join("errors/src/ch.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at =
        |line: usize, col: usize| -> String { lines[line - 1].chars().skip(col - 1).collect() };
    assert!(at(3, 32).starts_with("pytorh,"));
    assert!(at(5, 8).starts_with("{{#comparision-table}}"));
    assert!(at(7, 44).starts_with("pages=3"));
    assert!(at(9, 53).starts_with("x}}"));
    assert!(at(11, 23).starts_with("paszke2019pytorh}}"));
    assert!(at(15, 10).starts_with("{{#paper-citation abadi2016tensorflow"));
    let other = std::fs::read_to_string(fixtures().join("errors/src/another.md")).unwrap();
    let line: String = other.lines().nth(2).unwrap().chars().skip(21).collect();
    assert!(line.starts_with("thean}}"));
}

#[test]
fn every_problem_of_the_book_is_reported_in_reading_order_by_the_binary() {
    let dir = fixture_copy("errors");
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "nothing on stdout when failing");
    let mut expected: Vec<String> = EXPECTED.iter().map(|l| l.to_string()).collect();
    expected.push(format!(
        "mdbook-frameworks: {} problems found",
        EXPECTED.len()
    ));
    assert_eq!(stderr_lines(&output), expected);
}

#[test]
fn every_problem_of_the_book_is_reported_through_mdbook_build() {
    let dir = fixture_copy("errors");
    use_built_binary(dir.path());
    let output = mdbook_build(dir.path());
    assert_eq!(output.status.code(), Some(101), "{}", stderr_of(&output));
    let ours: Vec<String> = stderr_lines(&output)
        .into_iter()
        .filter(|l| l.starts_with("src/"))
        .collect();
    assert_eq!(ours, EXPECTED, "{}", stderr_of(&output));
    assert!(
        !dir.path().join("book/ch.html").exists(),
        "no page is written"
    );
}

#[test]
fn on_error_warn_builds_and_shows_the_problems_in_the_page() {
    let dir = fixture_copy("errors");
    use_built_binary(dir.path());
    append_to_book_toml(dir.path(), "on-error = \"warn\"\n");

    // Through the binary: success, the book on stdout, warnings on stderr.
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    let warnings: Vec<String> = EXPECTED
        .iter()
        .map(|l| l.replacen(": error: ", ": warning: ", 1))
        .collect();
    assert_eq!(stderr_lines(&output), warnings);
    let _: mdbook_preprocessor::book::Book = serde_json::from_slice(&output.stdout).unwrap();

    // Through mdBook: the pages carry a visible note where each problem is.
    let output = mdbook_build(dir.path());
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    for warning in &warnings {
        assert!(
            stderr.contains(warning.as_str()),
            "`{warning}` in:\n{stderr}"
        );
    }
    let site = Site::new(dir.path().join("book"));
    for (page, problems) in [
        ("ch.html", &EXPECTED[..6]),
        ("another.html", &EXPECTED[6..]),
    ] {
        let html = site.page(page);
        // Each note is visible text (not code), names the tool, and says the problem.
        let notes: Vec<String> = select(&html, "main strong")
            .iter()
            .map(text_of)
            .filter(|t| t.contains("mdbook-frameworks"))
            .collect();
        assert_eq!(notes.len(), problems.len(), "{page}: {notes:?}");
        for (note, problem) in notes.iter().zip(problems) {
            assert!(
                note.contains(problem),
                "{page}: `{problem}` not in the note `{note}`"
            );
        }
        assert!(text_outside_code(&html).contains(problems[0]));
    }
    // The valid citation between the problems is still expanded.
    let html = site.page("ch.html");
    let valid = select(&html, "p")
        .iter()
        .map(text_of)
        .find(|p| p.starts_with("A valid one:"))
        .unwrap();
    assert!(
        valid.contains("Paszke") && !valid.contains("{{#"),
        "{valid}"
    );
}

/// Whether `line` is the problem `rest` (`LINE:COL: ...`) in `book.toml`, which is
/// shown relative to the book root like chapter paths.
fn book_toml_line_matches(line: &str, rest: &str) -> bool {
    line == format!("book.toml:{rest}")
}

#[test]
fn an_unknown_config_key_is_located_in_book_toml() {
    let dir = fixture_copy("errors");
    use_built_binary(dir.path());
    let before = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    let line = before.lines().count() + 1;
    append_to_book_toml(dir.path(), "citation-styel = \"ieee\"\n");
    let expected = format!(
        "{line}:1: error: unknown key `citation-styel` in [preprocessor.frameworks]; did you mean `citation-style`?"
    );

    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let lines = stderr_lines(&output);
    assert!(
        lines.iter().any(|l| book_toml_line_matches(l, &expected)),
        "{lines:?}"
    );
    // A configuration problem stops before the chapters are read.
    assert!(!lines.iter().any(|l| l.starts_with("src/")), "{lines:?}");

    let output = mdbook_build(dir.path());
    assert_eq!(output.status.code(), Some(101));
    assert!(
        stderr_lines(&output)
            .iter()
            .any(|l| book_toml_line_matches(l, &expected)),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn a_bad_config_value_is_located_in_book_toml() {
    let dir = fixture_copy("errors");
    let before = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    let line = before.lines().count() + 1;
    append_to_book_toml(dir.path(), "on-error = \"loud\"\n");
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    let expected = format!("{line}:1: error: `on-error` must be \"fail\" or \"warn\"");
    assert!(
        stderr_lines(&output)
            .iter()
            .any(|l| book_toml_line_matches(l, &expected)),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn an_unknown_citation_style_lists_the_valid_names() {
    let dir = fixture_copy("errors");
    append_to_book_toml(dir.path(), "citation-style = \"apa7\"\n");
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let lines = stderr_lines(&output);
    let line = lines
        .iter()
        .find(|l| l.contains("unknown citation style `apa7`"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(line.contains("book.toml"), "{line}");
    for name in [
        "apa",
        "ieee",
        "chicago-author-date",
        "acm",
        "nature",
        "harvard",
    ] {
        assert!(line.contains(name), "`{name}` missing from: {line}");
    }
    assert!(line.contains("did you mean `apa`?"), "{line}");
}

#[test]
fn problems_in_a_readme_chapter_name_its_source_file_after_mdbooks_index_ran() {
    // mdBook's `index` preprocessor renames README.md to index.md in `path`; run
    // after it to see that diagnostics use the file the author edits.
    let dir = fixture_copy("errors");
    use_built_binary(dir.path());
    append_to_book_toml(dir.path(), "after = [\"index\"]\n");
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n[Intro](README.md)\n\n- [Another](another.md)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/README.md"),
        "# Intro\n\nCite {{#paper-citation paszke2019pytorh}}.\n",
    )
    .unwrap();
    let output = mdbook_build(dir.path());
    assert_eq!(output.status.code(), Some(101));
    let ours: Vec<String> = stderr_lines(&output)
        .into_iter()
        .filter(|l| l.starts_with("src/"))
        .collect();
    assert_eq!(
        ours,
        [
            "src/README.md:3:24: error: unknown work `paszke2019pytorh`; did you mean `paszke2019pytorch`?",
            EXPECTED[6],
        ]
    );
}

/// A book at a temporary root with one chapter, our table's extra keys, and files.
fn small_book(chapter: &str, table: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("[book]\ntitle = \"t\"\nsrc = \"src\"\n\n[preprocessor.frameworks]\n{table}"),
    )
    .unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n\n- [C](c.md)\n").unwrap();
    std::fs::write(root.join("src/c.md"), chapter).unwrap();
    for (path, text) in files {
        write_file(root, path, text);
    }
    dir
}

#[test]
fn problems_in_a_data_file_are_located_in_it() {
    let dir = small_book(
        "# C\n\n{{#framework-fact keras name}}\n",
        "data = [\"data/x.toml\"]\n",
        &[(
            "data/x.toml",
            "[[claims]]\nframework = \"pytroch\"\ndimension = \"debuging\"\nvalue = \"v\"\n\
             sources = [{ work = \"nokey\" }]\n",
        )],
    );
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(
        lines[0],
        "data/x.toml:2:13: error: unknown framework `pytroch`; did you mean `pytorch`?"
    );
    assert_eq!(
        lines[1],
        "data/x.toml:3:13: error: unknown dimension `debuging`; did you mean `debugging`?"
    );
    assert!(
        lines[2].starts_with("data/x.toml:5:21: error: ") && lines[2].contains("`nokey`"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "mdbook-frameworks: 3 problems found");
}

#[test]
fn other_directives_are_left_to_other_preprocessors() {
    let chapter = "# C\n\n{{#my-plugin a b}} and {{#framework-fact keras name}}.\n";
    let dir = small_book(chapter, "other-directives = [\"my-plugin\"]\n", &[]);
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stderr_of(&output), "");
    let book: mdbook_preprocessor::book::Book = serde_json::from_slice(&output.stdout).unwrap();
    let content = &chapters(&book)[0].content;
    assert!(
        content.starts_with("# C\n\n{{#my-plugin a b}} and "),
        "{content}"
    );
    assert!(!content.contains("{{#framework-fact"), "{content}");

    // Without the key, the unknown name is an error that says how to allow it.
    let dir = small_book(chapter, "", &[]);
    let output = run_bin(&[], mdbook_input(dir.path(), "html").as_bytes());
    assert!(!output.status.success());
    assert_eq!(
        stderr_lines(&output)[0],
        "src/c.md:3:1: error: unknown directive `{{#my-plugin}}`; if another preprocessor \
         handles it, add \"my-plugin\" to `other-directives` in [preprocessor.frameworks]"
    );
}
