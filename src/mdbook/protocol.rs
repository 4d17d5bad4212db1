//! mdBook's preprocessor protocol, read defensively.
//!
//! `mdbook_preprocessor::parse_input` fails before any version check can run, and
//! its typed context rejects config fields that a later mdBook adds. So we read the
//! version and the few context fields we need from the raw JSON first. The book
//! stays JSON: we replace chapter contents in place, so every field mdBook sent,
//! including ones a later 0.5.x adds, goes back unchanged.

use std::io::{Read, Write};
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

use super::{BookSettings, ChapterText};

/// The mdBook versions whose protocol we speak.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// The command that installs a supported mdBook.
pub const INSTALL_MDBOOK: &str = "cargo install mdbook --version 0.5.4 --locked";

/// The parts of mdBook's context we use, read leniently.
#[derive(Debug, Clone, Deserialize)]
pub struct Context {
    /// The book root (where book.toml is).
    #[serde(default)]
    pub root: PathBuf,
    /// `book.toml` as JSON.
    #[serde(default)]
    pub config: Value,
    /// The renderer being prepared for.
    #[serde(default)]
    pub renderer: String,
    /// The calling mdBook's version.
    #[serde(default)]
    pub mdbook_version: String,
}

impl Context {
    /// mdBook's settings that ours depend on, from `config`.
    pub fn settings(&self) -> BookSettings {
        BookSettings::from_book_toml(&self.config)
    }

    /// Our `[preprocessor.frameworks]` table, if the book has one.
    pub fn our_table(&self) -> Option<&Value> {
        self.config.pointer("/preprocessor/frameworks")
    }
}

/// Reads mdBook's `[context, book]` input, checking the version before the book's shape.
///
/// Errors are one-line messages that say what to do.
pub fn read_input(mut input: impl Read) -> Result<(Context, Value), String> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if text.trim().is_empty() {
        return Err("no input on standard input: mdbook-frameworks is an mdBook preprocessor; run it through `mdbook build` or `mdbook serve`, which send the book as JSON".into());
    }
    // Plain JSON values never fail on shape, so the version can be checked before
    // anything about the book's structure. Nesting depth is limited by memory, not
    // by serde_json's default of 128 (about 40 levels of sub-chapters).
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    deserializer.disable_recursion_limit();
    let (context, mut book) = <(Value, Value)>::deserialize(&mut deserializer)
        .and_then(|pair| deserializer.end().map(|()| pair))
        .map_err(|e| {
            format!("cannot read mdBook's input ({e}); expected the `[context, book]` JSON array that mdBook sends to preprocessors")
        })?;
    let version = context
        .get("mdbook_version")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    check_version(&version, &book)?;
    let context: Context = serde_json::from_value(context)
        .map_err(|e| format!("cannot read mdBook's context ({e}); mdBook {version} may be incompatible, use mdBook {SUPPORTED_MDBOOK}"))?;
    // Validate the whole shape now, so a bad book fails before any work is done.
    chapters(&mut book).map_err(|e| {
        format!("the book sent by mdBook {version} has an unexpected shape: {e}; mdbook-frameworks speaks the protocol of mdBook {SUPPORTED_MDBOOK}")
    })?;
    Ok((context, book))
}

fn check_version(version: &str, book: &Value) -> Result<(), String> {
    let supported = semver::VersionReq::parse(SUPPORTED_MDBOOK).expect("valid requirement");
    let old_book = book.get("sections").is_some() && book.get("items").is_none();
    match semver::Version::parse(version) {
        Ok(v) if supported.matches(&v) && !old_book => Ok(()),
        Ok(v) if v < semver::Version::new(0, 5, 0) || old_book => Err(format!(
            "mdBook {version} is too old: mdbook-frameworks needs mdBook {SUPPORTED_MDBOOK} (mdBook 0.4 sends `sections`, 0.5 sends `items`); upgrade with `{INSTALL_MDBOOK}`"
        )),
        Ok(_) => Err(format!(
            "mdBook {version} is newer than this mdbook-frameworks supports ({SUPPORTED_MDBOOK}); install mdBook 0.5 with `{INSTALL_MDBOOK}`, or a newer mdbook-frameworks"
        )),
        Err(_) if old_book => Err(format!(
            "this input is from mdBook 0.4 (it has `sections`); mdbook-frameworks needs mdBook {SUPPORTED_MDBOOK}; upgrade with `{INSTALL_MDBOOK}`"
        )),
        Err(_) => Err(format!(
            "mdBook's input has no valid `mdbook_version` (found `{version}`); mdbook-frameworks needs mdBook {SUPPORTED_MDBOOK}"
        )),
    }
}

/// The chapters of a book in mdBook's JSON, in reading order, for in-place
/// expansion (see [`super::chapters`]). Errors: a book without an `items` array,
/// or an item of no shape mdBook sends.
pub fn chapters(book: &mut Value) -> Result<Vec<ChapterText<'_>>, String> {
    let items = book
        .as_object_mut()
        .and_then(|b| b.get_mut("items"))
        .and_then(Value::as_array_mut)
        .ok_or("expected an object with an `items` array")?;
    super::chapters(items)
}

/// Writes the book JSON (and only it) to `output`.
pub fn write_book(book: &Value, output: impl Write) -> Result<(), String> {
    let mut output = std::io::BufWriter::new(output);
    serde_json::to_writer(&mut output, book).map_err(|e| format!("cannot write the book: {e}"))?;
    output
        .flush()
        .map_err(|e| format!("cannot write the book: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(version: &str, book: &str) -> String {
        format!(
            r#"[{{"root":"/b","config":{{"book":{{"src":"book"}},"new-field":1}},"renderer":"html","mdbook_version":"{version}"}},{book}]"#
        )
    }

    #[test]
    fn accepts_every_0_5_release_silently_and_reads_context_leniently() {
        for version in ["0.5.0", "0.5.3", "0.5.4", "0.5.99"] {
            let (context, book) = read_input(input(version, r#"{"items":[]}"#).as_bytes()).unwrap();
            assert_eq!(context.settings().src, PathBuf::from("book"));
            assert_eq!(book, serde_json::json!({"items": []}));
        }
    }

    #[test]
    fn old_and_future_mdbooks_get_one_clear_message() {
        let old =
            read_input(input("0.4.40", r#"{"sections":[],"__non_exhaustive":null}"#).as_bytes())
                .unwrap_err();
        assert!(
            old.starts_with(
                "mdBook 0.4.40 is too old: mdbook-frameworks needs mdBook >=0.5.0, <0.6.0"
            ),
            "{old}"
        );
        assert!(old.contains(INSTALL_MDBOOK));
        let future = read_input(input("0.6.0", r#"{"items":[]}"#).as_bytes()).unwrap_err();
        assert!(
            future.starts_with("mdBook 0.6.0 is newer than this mdbook-frameworks supports"),
            "{future}"
        );
    }

    #[test]
    fn chapters_are_found_in_reading_order_and_unknown_fields_are_kept() {
        let chapter = |name: &str, path: Option<&str>, sub: Value| {
            serde_json::json!({"Chapter": {"name": name, "content": name, "number": null, "sub_items": sub,
                "path": path, "source_path": path, "parent_names": [], "added_in_0_5_9": true}})
        };
        let mut book = serde_json::json!({"items": [
            chapter("a", Some("a.md"), serde_json::json!([chapter("b", Some("a/b.md"), serde_json::json!([]))])),
            "Separator", {"PartTitle": "Part"}, chapter("draft", None, serde_json::json!([])),
            chapter("c", Some("c.md"), serde_json::json!([])),
        ], "future": 1});
        let names: Vec<String> = chapters(&mut book)
            .unwrap()
            .into_iter()
            .map(|c| c.name.to_owned())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
        for c in chapters(&mut book).unwrap() {
            c.content.push('!');
        }
        assert_eq!(book["items"][0]["Chapter"]["content"], "a!");
        assert_eq!(book["items"][0]["Chapter"]["added_in_0_5_9"], true);
        assert_eq!(book["future"], 1);
        let mut bad = serde_json::json!({"items": [{"Chapter": {"name": "x"}}]});
        assert!(chapters(&mut bad).is_err());
    }

    #[test]
    fn empty_truncated_and_misshapen_input() {
        assert!(
            read_input(&b""[..])
                .unwrap_err()
                .starts_with("no input on standard input")
        );
        assert!(
            read_input(&b"[{\"root\":"[..])
                .unwrap_err()
                .starts_with("cannot read mdBook's input (EOF while parsing")
        );
        assert!(
            read_input(&b"{}"[..])
                .unwrap_err()
                .starts_with("cannot read mdBook's input (invalid type: map")
        );
    }
}
