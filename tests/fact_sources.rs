//! Facts with their own sources and check dates, end to end: per-field citations
//! in `framework-fact`, `framework-profile` and `timeline` (in-process mdBook),
//! `as-of` under a comparison table, and `check --stale` and the `--verbose`
//! recheck note through the binary with an injected date.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

const WORKS: &str = r#"
@software{xsoft, title = {X}, author = {{X Lab}}, year = 2016}
@online{xlicense, title = {X licence}, author = {{X Foundation}}, year = 2019, url = {https://x.example/LICENSE}}
@online{xblog, title = {X blog}, author = {Doe, Jane}, year = 2018, url = {https://x.example/blog}}
@online{xnotes, title = {X notes}, author = {Roe, Rick}, year = 2020, url = {https://x.example/notes}}
"#;

const DATA: &str = r#"[[frameworks]]
id = "x"
name = "X"
organisation = "X Lab"
first-release = { value = "2017-01", sources = [{ work = "xblog", page = "3" }], checked = "2026-01-01" }
first-release-version = { value = "1.0", sources = [{ work = "xnotes" }] }
languages = ["C"]
license = { value = "MIT", sources = [{ work = "xlicense" }] }
status = "active"
sources = [{ work = "xsoft" }]

[[dimensions]]
id = "speed"
label = "Speed"
description = "How fast."
group = "g"

[[dimensions]]
id = "size"
label = "Size"
description = "How big."
group = "g"

[[claims]]
framework = "x"
dimension = "speed"
value = "Fast"
sources = [{ work = "xsoft" }]
checked = "2026-03-01"

[[claims]]
framework = "x"
dimension = "size"
versions = ">=2"
value = "Small"
sources = [{ work = "xsoft" }]
checked = "2025-01-02"
"#;

const CHAPTER: &str = "# Facts

License: {{#framework-fact x license cite}}

Organisation: {{#framework-fact x organisation cite}}

Released: {{#framework-fact x first-release-year cite}}

{{#framework-profile x}}

{{#timeline}}

{{#comparison-table as-of}}
";

/// A book with only the data above (`builtin = false`), and `chapter` as its page.
fn book(data: &str, chapter: &str) -> tempfile::TempDir {
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/x.toml\", \"data/x.bib\"]\n",
        &[
            ("SUMMARY.md", "# Summary\n\n- [Facts](facts.md)\n"),
            ("facts.md", chapter),
        ],
    );
    write_file(dir.path(), "data/x.toml", data);
    write_file(dir.path(), "data/x.bib", WORKS);
    dir
}

/// The text of each paragraph and table row of the built page.
fn page_lines(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("book/facts.html")).unwrap();
    let html = scraper::Html::parse_document(&text);
    select(&html, "main p, main tr")
        .iter()
        .map(|e| {
            if e.value().name() == "tr" {
                select_in(e, "th, td")
                    .iter()
                    .map(text_of)
                    .collect::<Vec<_>>()
                    .join(" | ")
            } else {
                text_of(e)
            }
        })
        .collect()
}

fn line_starting<'a>(lines: &'a [String], start: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}: {lines:#?}"))
}

#[test]
fn each_fact_cites_its_own_sources() {
    let dir = book(DATA, CHAPTER);
    build_in_process(dir.path()).unwrap();
    let lines = page_lines(dir.path());
    // framework-fact: the field's own sources; the record's for a plain field.
    assert_eq!(
        line_starting(&lines, "License:"),
        "License: MIT (X Foundation, 2019)"
    );
    assert_eq!(
        line_starting(&lines, "Organisation:"),
        "Organisation: X Lab (X Lab, 2016)"
    );
    assert_eq!(
        line_starting(&lines, "Released:"),
        "Released: 2017 (Doe, 2018, p. 3)"
    );
    // The profile cites each row's own sources in the row, and the record's
    // sources once, for the fields that rely on them.
    assert_eq!(
        line_starting(&lines, "Licence |"),
        "Licence | MIT (X Foundation, 2019)"
    );
    assert_eq!(
        line_starting(&lines, "First public release |"),
        "First public release | January 2017 (version 1.0) (Doe, 2018, p. 3; Roe, 2020)"
    );
    assert_eq!(
        line_starting(&lines, "Organisation |"),
        "Organisation | X Lab"
    );
    assert_eq!(
        line_starting(&lines, "Sources |"),
        "Sources | (X Lab, 2016)"
    );
    // The timeline's first release cites the date's and the version's sources,
    // not the record's.
    assert_eq!(
        line_starting(&lines, "January 2017 |"),
        "January 2017 | X | First public release of X (version 1.0) | (Doe, 2018, p. 3; Roe, 2020)"
    );
    assert_eq!(
        line_starting(&lines, "As of"),
        "As of 2025-01-02: the oldest check among these cells."
    );
}

#[test]
fn a_profile_whose_fields_all_have_sources_has_no_sources_row() {
    let data = DATA
        .replace(
            "organisation = \"X Lab\"",
            "organisation = { value = \"X Lab\", sources = [{ work = \"xsoft\" }] }",
        )
        .replace(
            "languages = [\"C\"]",
            "languages = { value = [\"C\"], sources = [{ work = \"xnotes\" }] }",
        )
        .replace(
            "status = \"active\"",
            "status = { value = \"active\", sources = [{ work = \"xnotes\" }] }",
        )
        .replace(
            "sources = [{ work = \"xsoft\" }]\n\n[[dimensions]]",
            "\n[[dimensions]]",
        );
    let dir = book(&data, "# Facts\n\n{{#framework-profile x}}\n");
    build_in_process(dir.path()).unwrap();
    let lines = page_lines(dir.path());
    assert_eq!(
        line_starting(&lines, "Organisation |"),
        "Organisation | X Lab (X Lab, 2016)"
    );
    assert_eq!(
        line_starting(&lines, "Languages |"),
        "Languages | C (Roe, 2020)"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("Sources |")),
        "{lines:#?}"
    );
}

#[test]
fn as_of_needs_a_check_date_on_every_claim_shown() {
    let data = DATA.replace("checked = \"2026-03-01\"\n", "");
    let dir = book(&data, CHAPTER);
    let error = build_error(dir.path());
    assert!(
        error.contains("src/facts.md:13:1: error: `as-of` needs a check date on every claim shown; the claim for `x` × `speed` at data/x.toml:25:13 has none"),
        "{error}"
    );
    // Without `as-of`, the same data builds.
    let dir = book(&data, &CHAPTER.replace(" as-of", ""));
    build_in_process(dir.path()).unwrap();
    assert!(
        !page_lines(dir.path())
            .iter()
            .any(|l| l.starts_with("As of"))
    );
}

fn check(dir: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("check")
        .args(args)
        .arg(dir)
        .env("MDBOOK_FRAMEWORKS_TODAY", today)
        .output()
        .unwrap()
}

#[test]
fn check_stale_lists_each_fact_at_its_check_date() {
    let dir = book(DATA, CHAPTER);
    let output = check(dir.path(), "2026-12-01", &["--stale", "300"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(
        stderr_lines(&output),
        [
            "data/x.toml:4:16: warning: framework `x`: organisation, first-release-version, languages, license, status: no check date",
            "data/x.toml:5:92: warning: framework `x`: first-release last checked 2026-01-01 (334 days ago)",
            "data/x.toml:37:11: warning: claim `x` × `size` (>=2) last checked 2025-01-02 (698 days ago)",
        ]
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.ends_with("3 facts not checked within 300 days of 2026-12-01\n"),
        "{stdout}"
    );
    // A wider window drops the claim checked in 2026 and the first release.
    let output = check(dir.path(), "2026-12-01", &["--stale", "700"]);
    assert_eq!(stderr_lines(&output).len(), 1, "{}", stderr_of(&output));
    // Without --stale, nothing is listed.
    let output = check(dir.path(), "2026-12-01", &[]);
    assert_eq!(stderr_of(&output), "");
}

#[test]
fn check_stale_lists_built_in_facts_in_the_built_in_file() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("a.md", "# A\n"),
        ],
    );
    let output = check(dir.path(), "2027-06-01", &["--stale", "0"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let lines = stderr_lines(&output);
    assert!(
        lines.iter().any(|l| l.starts_with("<built-in data>/builtin.toml:")
            && l.contains(": warning: claim `pytorch` × `debugging` last checked 2026-11-22 (191 days ago)")),
        "{lines:#?}"
    );
    // Keras's organisation and languages have no field-specific source in the
    // fact-check log, and no check date.
    assert!(
        lines
            .iter()
            .any(|l| l
                .ends_with("warning: framework `keras`: organisation, languages: no check date")),
        "{lines:#?}"
    );
    // Every claim of the built-in data has a check date.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("claim") && l.contains("no check date"))
    );
}

#[test]
fn a_bad_injected_date_is_an_error() {
    let dir = book(DATA, CHAPTER);
    let output = check(dir.path(), "2026-13-01", &["--stale", "30"]);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output)
            .contains("MDBOOK_FRAMEWORKS_TODAY=`2026-13-01` is not a date; write YYYY-MM-DD"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn verbose_notes_open_ended_claims_checked_long_ago() {
    let dir = book(DATA, CHAPTER);
    let note = "data/x.toml:37:11: note: claim `x` × `size` (>=2) is open-ended and last checked 2025-01-02 (698 days ago); recheck against the latest release";
    let output = check(dir.path(), "2026-12-01", &["--verbose"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stderr_lines(&output), [note]);
    // 58 days after the check: no note; and none without --verbose.
    let output = check(dir.path(), "2025-03-01", &["--verbose"]);
    assert_eq!(stderr_of(&output), "");
    let output = check(dir.path(), "2026-12-01", &[]);
    assert_eq!(stderr_of(&output), "");
}
