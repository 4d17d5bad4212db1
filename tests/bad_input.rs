//! Bad and unusual input through the binary: broken input gets one clear line on
//! stderr and no stdout; valid but unusual books come back whole and expanded.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;
use serde_json::{Value, json};

const BOOK_TOML: &str = "[book]\ntitle = \"Unusual\"\nsrc = \"src\"\n";

/// `[context, book]` for a book at `root`, as mdBook 0.5.4 sends it.
fn input(root: &Path, book: &Value) -> String {
    json!([context_json(root, BOOK_TOML), book]).to_string()
}

fn chapter(name: &str, content: &str, path: Option<&str>, sub_items: Vec<Value>) -> Value {
    json!({"Chapter": {
        "name": name,
        "content": content,
        "number": null,
        "sub_items": sub_items,
        "path": path,
        "source_path": path,
        "parent_names": [],
    }})
}

/// Asserts a clean failure: non-zero exit, nothing on stdout, one line on stderr that
/// holds every keyword.
fn assert_one_line_failure(output: &Output, keywords: &[&str]) -> String {
    let stderr = stderr_of(output);
    assert!(!output.status.success(), "must fail: {stderr}");
    assert!(
        output.status.code().is_some(),
        "killed by a signal: {stderr}"
    );
    assert!(output.stdout.is_empty(), "stdout must stay empty");
    let lines = stderr_lines(output);
    assert_eq!(lines.len(), 1, "one line on stderr: {lines:?}");
    for keyword in keywords {
        assert!(
            lines[0].contains(keyword),
            "`{keyword}` missing from: {}",
            lines[0]
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Unable to parse the input"), "{stderr}");
    lines[0].clone()
}

/// Runs a book through the binary and returns its expanded book JSON, after checking
/// that everything but chapter contents came back unchanged.
fn run_book(book: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let output = run_bin(&[], input(dir.path(), book).as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stderr_of(&output), "");
    let out: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(without_contents(&out), without_contents(book));
    out
}

/// Chapter contents of a book JSON, depth first, without recursion.
fn contents(book: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = book["items"].as_array().unwrap().iter().rev().collect();
    while let Some(item) = stack.pop() {
        if let Some(chapter) = item.get("Chapter") {
            out.push(chapter["content"].as_str().unwrap().to_owned());
            stack.extend(chapter["sub_items"].as_array().unwrap().iter().rev());
        }
    }
    out
}

/// Checks that `output` is `input` with each of `directives` (in order of appearance)
/// replaced by a directive-free expansion, every other byte kept. The segments
/// between directives must not occur inside an expansion (tests use prose, line
/// breaks and markers that expansions never hold).
fn assert_kept_outside(input: &str, directives: &[&str], output: &str) {
    let mut segments = Vec::new();
    let mut rest = input;
    for directive in directives {
        let at = rest
            .find(directive)
            .unwrap_or_else(|| panic!("`{directive}` not in the input"));
        segments.push(&rest[..at]);
        rest = &rest[at + directive.len()..];
    }
    segments.push(rest);

    assert!(
        output.starts_with(segments[0]),
        "the text before the first directive changed"
    );
    let mut position = segments[0].len();
    for (i, segment) in segments.iter().enumerate().skip(1) {
        let found = if i == segments.len() - 1 {
            assert!(
                output.ends_with(segment),
                "the text after the last directive changed"
            );
            output.len() - segment.len()
        } else {
            position
                + output[position..]
                    .find(segment)
                    .unwrap_or_else(|| panic!("segment {i} was changed"))
        };
        assert!(found >= position, "segment {i} overlaps an expansion");
        let expansion = &output[position..found];
        assert!(!expansion.is_empty(), "directive {i} expanded to nothing");
        assert!(
            !expansion.contains("{{#"),
            "directive {i} left: {expansion}"
        );
        position = found + segment.len();
    }
    assert_eq!(position, output.len());
}

#[test]
fn empty_stdin() {
    let output = run_bin(&[], b"");
    assert_one_line_failure(&output, &["no input on standard input", "mdbook build"]);
    let output = run_bin(&[], b" \n\t\n");
    assert_one_line_failure(&output, &["no input on standard input"]);
}

#[test]
fn input_that_is_not_utf8() {
    let output = run_bin(&[], b"[{\"mdbook_version\":\"0.5.4\"},{\"items\":[]}]\xff");
    assert_one_line_failure(&output, &["cannot read standard input", "UTF-8"]);
}

#[test]
fn truncated_json() {
    let dir = tempfile::tempdir().unwrap();
    let whole = input(
        dir.path(),
        &json!({"items": [chapter("A", "text", Some("a.md"), vec![])]}),
    );
    for cut in [1, whole.len() / 2, whole.len() - 1] {
        let output = run_bin(&[], &whole.as_bytes()[..cut]);
        assert_one_line_failure(&output, &["cannot read mdBook's input", "[context, book]"]);
    }
}

#[test]
fn json_of_the_wrong_shape() {
    for (text, keywords) in [
        ("{}", &["cannot read mdBook's input", "[context, book]"][..]),
        ("[1,2]", &["mdbook_version"][..]),
        ("[{}, {\"items\": 3}]", &["mdbook_version"][..]),
        ("\"a string\"", &["cannot read mdBook's input"][..]),
        ("[{}, {}, {}]", &["cannot read mdBook's input"][..]),
        ("not json at all", &["cannot read mdBook's input"][..]),
    ] {
        let output = run_bin(&[], text.as_bytes());
        assert_one_line_failure(&output, keywords);
    }
    // A right version with a wrong book names the book as the problem.
    let dir = tempfile::tempdir().unwrap();
    let output = run_bin(&[], input(dir.path(), &json!({"items": 3})).as_bytes());
    assert_one_line_failure(&output, &["the book", "mdBook 0.5.4"]);
    let output = run_bin(
        &[],
        input(dir.path(), &json!({"items": [{"Chapter": 1}]})).as_bytes(),
    );
    assert_one_line_failure(&output, &["the book"]);
}

#[test]
fn mdbook_0_4_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut context = context_json(dir.path(), BOOK_TOML);
    context["mdbook_version"] = "0.4.40".into();
    let book =
        json!({"sections": [chapter("A", "x", Some("a.md"), vec![])], "__non_exhaustive": null});
    let output = run_bin(&[], json!([context, book]).to_string().as_bytes());
    assert_one_line_failure(
        &output,
        &[
            "0.4.40",
            ">=0.5.0, <0.6.0",
            "cargo install mdbook --version 0.5",
        ],
    );
    // Even when the version field is missing, the 0.4 shape is recognised.
    context.as_object_mut().unwrap().remove("mdbook_version");
    let output = run_bin(&[], json!([context, book]).to_string().as_bytes());
    assert_one_line_failure(&output, &["0.4", ">=0.5.0, <0.6.0"]);
}

#[test]
fn mdbook_0_6_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut context = context_json(dir.path(), BOOK_TOML);
    context["mdbook_version"] = "0.6.0".into();
    let book = json!({"items": []});
    let output = run_bin(&[], json!([context, book]).to_string().as_bytes());
    assert_one_line_failure(&output, &["0.6.0", ">=0.5.0, <0.6.0"]);
}

#[test]
fn a_50_mb_chapter_keeps_every_byte_outside_its_directives() {
    const SIZE: usize = 50 * 1024 * 1024;
    let paragraph = "Deep-learning frameworks differ in how they execute programs — eagerly or \
                     as graphs; ünïcödé, 日本語 and 🦀 are kept. Braces { } and `code` too.\n\n";
    let directives = [
        "{{#paper-citation paszke2019pytorch}}",
        "{{#framework-fact keras name}}",
        "{{#comparison-table frameworks=pytorch,theano dimensions=debugging}}",
        "{{#paper-citation abadi2016tensorflow form=narrative}}",
    ];
    let mut content = String::with_capacity(SIZE + 4096);
    let mut markers = 0;
    let mut fill = |content: &mut String, target: usize| {
        while content.len() < target {
            content.push_str(paragraph);
            // A unique marker every mebibyte, so no two segments are alike.
            if content.len() >> 20 >= markers {
                content.push_str(&format!("Marker {markers}.\n\n"));
                markers += 1;
            }
        }
    };
    for (i, directive) in directives.iter().enumerate() {
        fill(&mut content, (i + 1) * SIZE / (directives.len() + 1));
        content.push_str(directive);
        content.push_str("\n\n");
    }
    fill(&mut content, SIZE);

    let book = json!({"items": [chapter("Huge", &content, Some("huge.md"), vec![])]});
    let out = run_book(&book);
    let expanded = &contents(&out)[0];
    assert!(expanded.len() > SIZE, "{} bytes", expanded.len());
    assert_kept_outside(&content, &directives, expanded);
}

#[test]
fn thirty_levels_of_sub_chapters() {
    let mut item = Value::Null;
    for level in (0..30).rev() {
        let path = format!("{}ch.md", "l/".repeat(level));
        let content = if level % 3 == 0 {
            format!("# Level {level}\n\nCited {{{{#paper-citation paszke2019pytorch}}}} here.\n")
        } else {
            format!("# Level {level}\n\nNo directive.\n")
        };
        let sub = if item.is_null() { vec![] } else { vec![item] };
        item = chapter(&format!("Level {level}"), &content, Some(&path), sub);
    }
    let book = json!({"items": [item]});
    let out = run_book(&book);
    let (before, after) = (contents(&book), contents(&out));
    assert_eq!(after.len(), 30);
    for (level, (input, output)) in before.iter().zip(&after).enumerate() {
        if level % 3 == 0 {
            assert_kept_outside(input, &["{{#paper-citation paszke2019pytorch}}"], output);
            assert!(output.contains("Paszke"), "{output}");
        } else {
            assert_eq!(input, output);
        }
    }
}

#[test]
fn ten_thousand_sub_chapters_under_one_chapter() {
    let subs: Vec<Value> = (0..10_000)
        .map(|i| {
            let content = if i % 1000 == 7 {
                format!("Sub {i}: {{{{#framework-fact theano name}}}}.\n")
            } else {
                format!("Sub {i}: plain.\n")
            };
            chapter(
                &format!("Sub {i}"),
                &content,
                Some(&format!("parent/sub{i}.md")),
                vec![],
            )
        })
        .collect();
    let book = json!({"items": [chapter("Parent", "# Parent\n", Some("parent.md"), subs)]});
    let out = run_book(&book);
    let (before, after) = (contents(&book), contents(&out));
    assert_eq!(after.len(), 10_001);
    let mut expanded = 0;
    for (input, output) in before.iter().zip(&after) {
        if input.contains("{{#") {
            assert_kept_outside(input, &["{{#framework-fact theano name}}"], output);
            assert!(output.contains("Theano"));
            expanded += 1;
        } else {
            assert_eq!(input, output);
        }
    }
    assert_eq!(expanded, 10);
}

#[test]
fn a_book_with_no_chapters() {
    let out = run_book(&json!({"items": []}));
    assert_eq!(out, json!({"items": []}));
}

#[test]
fn drafts_separators_and_part_titles() {
    let book = json!({"items": [
        {"PartTitle": "Part I — ünïcødé"},
        chapter("First", "A {{#paper-citation chollet2015keras}}.", Some("first.md"), vec![]),
        "Separator",
        chapter("A draft", "", None, vec![
            chapter("Under a draft", "B {{#framework-fact pytorch name}}.", Some("draft/under.md"), vec![]),
        ]),
        {"PartTitle": "Part II"},
        chapter("Last", "No directives.", Some("last.md"), vec![]),
        "Separator",
    ]});
    let out = run_book(&book);
    let after = contents(&out);
    assert_kept_outside(
        "A {{#paper-citation chollet2015keras}}.",
        &["{{#paper-citation chollet2015keras}}"],
        &after[0],
    );
    assert_eq!(after[1], "", "a draft has no content");
    assert_kept_outside(
        "B {{#framework-fact pytorch name}}.",
        &["{{#framework-fact pytorch name}}"],
        &after[2],
    );
    assert_eq!(after[3], "No directives.");
}

#[test]
fn crlf_and_arbitrary_unicode_with_a_bom() {
    let content = "\u{feff}# Ünïcødé 🦀\r\n\r\nRTL \u{202e}txet\u{202c}, ZWJ 👩\u{200d}💻, \
                   combining e\u{301}, NUL \u{0}, replacement \u{fffd}: \
                   {{#paper-citation bergstra2010theano}}\r\n\r\n\
                   > {{#comparison-table frameworks=keras dimensions=debugging}}\r\n\r\n\
                   Tail \u{10ffff}\r\n";
    let book =
        json!({"items": [chapter("Ünïcødé 🦀 \u{feff}", content, Some("ünï/çødé.md"), vec![])]});
    let out = run_book(&book);
    let after = &contents(&out)[0];
    assert!(
        after.starts_with("\u{feff}# Ünïcødé 🦀\r\n"),
        "the BOM is kept"
    );
    assert_kept_outside(
        content,
        &[
            "{{#paper-citation bergstra2010theano}}",
            "{{#comparison-table frameworks=keras dimensions=debugging}}",
        ],
        after,
    );
    assert!(after.contains("\n> | Dimension | **Keras** |\n"), "{after}");
}

#[test]
fn three_thousand_levels_of_nesting_come_back_whole() {
    const DEPTH: usize = 3000;
    let open = r#"{"Chapter":{"name":"L","content":"x {{#paper-citation paszke2019pytorch}}","number":null,"sub_items":["#;
    let close = r#"],"path":"l.md","source_path":"l.md","parent_names":[]}}"#;
    let book = format!(
        "{{\"items\":[{}{}]}}",
        open.repeat(DEPTH),
        close.repeat(DEPTH)
    );
    let dir = tempfile::tempdir().unwrap();
    let context = context_json(dir.path(), BOOK_TOML);
    let output = run_bin(&[], format!("[{context},{book}]").as_bytes());
    let stderr = stderr_of(&output);
    assert!(
        output.status.code().is_some(),
        "killed by a signal: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "{stderr}"
    );
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with(r#"{"items":[{"Chapter":"#));
    assert_eq!(stdout.matches(r#"{"Chapter":"#).count(), DEPTH);
    assert!(!stdout.contains("{{#"));
}

#[test]
fn data_with_markup_in_names_and_titles_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!(
            "[book]\ntitle = \"Data\"\nsrc = \"src\"\n\n\
             # Straight quotes in the page, to compare text exactly.\n\
             [output.html]\nsmart-punctuation = false\n\n[output.html.search]\nenable = false\n\n\
             [preprocessor.frameworks]\ncommand = {}\nbefore = [\"links\"]\ndata = [\"data/evil.toml\", \"data/evil.bib\"]\n",
            toml_string(BIN)
        ),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(
        root.join("data/evil.toml"),
        r#"
[[frameworks]]
id = "evil"
name = "Evil <script>alert('name')</script> \"Quoted\""
organisation = "<script>alert('org')</script> & Co"
first-release = "2020"
languages = ["Python"]
license = "MIT"
status = "active"
sources = [{ work = "evil2020" }]

[[claims]]
framework = "evil"
dimension = "debugging"
value = "Uses <script>alert('claim')</script> | with a pipe"
sources = [{ work = "evil2020" }]
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("data/evil.bib"),
        r#"@misc{evil2020, title = {A "Quoted" <script>alert('title')</script> Title}, author = {Doe, Jane}, year = 2020}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Evil](evil.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/evil.md"),
        "# Evil\n\n{{#comparison-table frameworks=evil,pytorch dimensions=debugging}}\n\n\
         Cited {{#paper-citation evil2020}} here.\n\nName: {{#framework-fact evil name}}.\n\n\
         {{#framework-profile evil}}\n\n## References\n\n{{#bibliography}}\n",
    )
    .unwrap();

    let output = mdbook_build(root);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let html = Site::new(root.join("book")).page("evil.html");

    // No script was injected: every <script> is mdBook's own.
    for script in select(&html, "script") {
        assert!(!script.html().contains("alert"), "{}", script.html());
    }
    assert!(select(&html, "main script").is_empty());
    // The markup is shown as text.
    let main = text_of(&select(&html, "main")[0]);
    assert!(
        main.contains("Evil <script>alert('name')</script> \"Quoted\""),
        "{main}"
    );
    assert!(
        main.contains("<script>alert('org')</script> & Co"),
        "{main}"
    );
    assert!(
        main.contains("Uses <script>alert('claim')</script> | with a pipe"),
        "{main}"
    );
    // The hover title of the citation holds the whole reference, quotes included.
    let link = select(&html, r##"a[href="#ref-evil2020"]"##);
    assert!(!link.is_empty(), "the citation links to its entry");
    for link in link {
        let title = link.value().attr("title").expect("a hover title");
        assert!(title.contains("Doe"), "{title}");
        assert!(
            title.contains("\"Quoted\" <script>alert('title')</script>"),
            "{title}"
        );
    }
}
