//! The binary speaks mdBook's preprocessor protocol, tested on input captured from
//! the real `mdbook` binary.

mod common;

use std::path::Path;

use common::*;
use mdbook_preprocessor::book::Book;
use serde_json::Value;

/// Runs `mdbook build` on a copy of the `basic` fixture whose first preprocessor
/// saves its stdin and fails, and returns what mdBook sent.
fn capture_real_input() -> (tempfile::TempDir, String) {
    let dir = basic_book();
    use_built_binary(dir.path());
    std::fs::write(
        dir.path().join("capture.sh"),
        "if [ \"$1\" = supports ]; then exit 0; fi\ncat > captured.json\nexit 1\n",
    )
    .unwrap();
    // Runs before ours and mdBook's, so it sees what our preprocessor would see.
    let mut toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    toml.push_str(
        "\n[preprocessor.capture]\ncommand = \"sh capture.sh\"\nbefore = [\"frameworks\", \"links\", \"index\"]\n",
    );
    std::fs::write(dir.path().join("book.toml"), toml).unwrap();
    let output = mdbook_build(dir.path());
    assert!(
        !output.status.success(),
        "the capturing preprocessor fails the build on purpose"
    );
    let captured = std::fs::read_to_string(dir.path().join("captured.json"))
        .unwrap_or_else(|e| panic!("mdBook ran no capture ({e}): {}", stderr_of(&output)));
    (dir, captured)
}

fn with_version(input: &Value, version: &str) -> String {
    let mut input = input.clone();
    input[0]["mdbook_version"] = Value::String(version.to_owned());
    input.to_string()
}

#[test]
fn expands_input_captured_from_real_mdbook() {
    let (_dir, captured) = capture_real_input();
    let input: Value = serde_json::from_str(&captured).unwrap();
    assert_eq!(
        input[0]["mdbook_version"], "0.5.4",
        "captured from mdBook 0.5.4"
    );
    assert!(
        input[0]["config"]["preprocessor"]["frameworks"].is_object(),
        "the captured context holds our table"
    );

    let output = run_bin(&[], captured.as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(
        stderr_of(&output),
        "",
        "a clean book prints nothing on stderr"
    );

    // stdout is the Book alone, in mdBook 0.5's shape.
    let book: Book = serde_json::from_slice(&output.stdout).expect("stdout is a Book");
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&String> = value.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["items"]);

    // Same book, same structure; every directive of ours outside code is expanded.
    assert_eq!(without_contents(&value), without_contents(&input[1]));
    let names: Vec<&str> = chapters(&book).iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"Deep chapter"), "{names:?}");
    for chapter in chapters(&book) {
        let mut content = chapter.content.clone();
        // What the fixture keeps literally: an escape and directives in code.
        for kept in [
            "{{#paper-citation escaped-key}}",
            "`{{#paper-citation inline-code-key}}`",
            "{{#comparison-table frameworks=fenced-code-framework}}",
            "    {{#paper-citation indented-code-key}}",
        ] {
            content = content.replace(kept, "");
        }
        assert!(
            !has_our_directive(&content),
            "{}: a directive was left:\n{content}",
            chapter.name
        );
    }
    let tables = chapters(&book)
        .into_iter()
        .find(|c| c.name == "Tables")
        .unwrap();
    assert!(
        tables.content.contains("| **PyTorch**"),
        "{}",
        tables.content
    );
    let citations = chapters(&book)
        .into_iter()
        .find(|c| c.name == "Citations")
        .unwrap();
    assert!(
        citations
            .content
            .contains("Escaped: {{#paper-citation escaped-key}}"),
        "the escape's backslash is removed"
    );
}

#[test]
fn supports_every_renderer_silently() {
    for renderer in ["html", "markdown", "anything"] {
        let output = run_bin(&["supports", renderer], b"");
        assert!(output.status.success(), "supports {renderer}");
        assert!(output.stdout.is_empty(), "supports {renderer} printed");
        assert!(output.stderr.is_empty(), "supports {renderer} complained");
    }
}

#[test]
fn mdbook_0_4_input_gets_one_line_naming_both_versions() {
    let (_dir, captured) = capture_real_input();
    let mut input: Value = serde_json::from_str(&captured).unwrap();
    input[0]["mdbook_version"] = "0.4.40".into();
    let items = input[1]["items"].take();
    input[1] = serde_json::json!({ "sections": items, "__non_exhaustive": null });

    let output = run_bin(&[], input.to_string().as_bytes());
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let lines = stderr_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    for expected in ["0.4.40", ">=0.5.0, <0.6.0", "cargo install mdbook"] {
        assert!(line.contains(expected), "`{expected}` missing from: {line}");
    }
    assert!(!line.contains("Unable to parse the input"), "{line}");
}

#[test]
fn earlier_0_5_releases_are_accepted_silently() {
    let (_dir, captured) = capture_real_input();
    let input: Value = serde_json::from_str(&captured).unwrap();
    for version in ["0.5.0", "0.5.3"] {
        let output = run_bin(&[], with_version(&input, version).as_bytes());
        assert!(output.status.success(), "{version}: {}", stderr_of(&output));
        assert_eq!(
            stderr_of(&output),
            "",
            "{version} must be accepted silently"
        );
        let _: Book = serde_json::from_slice(&output.stdout).expect("stdout is a Book");
    }
}

#[test]
fn a_new_config_field_from_a_later_mdbook_does_not_break_the_context() {
    let (_dir, captured) = capture_real_input();
    let mut input: Value = serde_json::from_str(&captured).unwrap();
    input[0]["config"]["book"]["field-from-the-future"] = serde_json::json!({"x": [1]});
    input[0]["field-from-the-future"] = Value::Bool(true);
    let output = run_bin(&[], input.to_string().as_bytes());
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stderr_of(&output), "");
}

#[test]
fn the_book_root_and_src_dir_come_from_the_context_not_the_working_directory() {
    // mdBook always runs us in the book root; run elsewhere to be sure we don't rely on it.
    let (dir, captured) = capture_real_input();
    let output = std::process::Command::new(BIN)
        .current_dir(Path::new("/"))
        .stdin(std::fs::File::open(dir.path().join("captured.json")).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(output.stdout, run_bin(&[], captured.as_bytes()).stdout);
}
