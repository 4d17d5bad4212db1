//! Our `[preprocessor.frameworks]` table in `book.toml`, validated.
//!
//! mdBook reads only its own keys from the table and never checks the rest, so a
//! misspelt key of ours would silently do nothing. We reject unknown keys with a
//! suggestion, pointing at the line of `book.toml` where they are.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, did_you_mean, one_of};
use crate::mdbook::{BookSettings, PREPROCESSOR_KEYS};

/// Our own keys.
pub const OUR_KEYS: &[&str] = &[
    "on-error",
    "citation-style",
    "data",
    "builtin",
    "chapter-references",
    "other-directives",
    "cache",
    "citation-syntax",
    "locale",
];

/// What to do when a directive or data file has a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Print the diagnostics and fail the build (the default).
    #[default]
    Fail,
    /// Print the diagnostics, show an error note in the page, and succeed: for
    /// `mdbook serve`, where a failed rebuild leaves the old page with no sign.
    Warn,
}

/// Which citation syntax chapters may use besides `{{#paper-citation}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CitationSyntax {
    /// Directives only (the default).
    #[default]
    Directives,
    /// Pandoc's `[@key]`, `[see @a, p. 3; @b]`, `[-@key]` and `@key` too.
    Pandoc,
}

/// Where rendered citations are kept between runs (see [`crate::cite::RenderCache`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CacheSetting {
    /// The user's cache directory (the default).
    #[default]
    UserCache,
    /// A directory relative to the book root.
    Dir(PathBuf),
    /// No cache: every run renders every citation.
    Off,
}

/// The validated `[preprocessor.frameworks]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Error policy.
    pub on_error: OnError,
    /// A built-in CSL style name or a path to a `.csl` file, relative to the book root.
    pub citation_style: String,
    /// Book-local data files (`.toml` or `.bib`), relative to the book root.
    pub data: Vec<PathBuf>,
    /// Whether to start from the built-in dataset.
    pub builtin: bool,
    /// Whether to append a "References" section to every chapter that cites something.
    pub chapter_references: bool,
    /// Directive names that other preprocessors handle, so we leave them alone.
    pub other_directives: Vec<String>,
    /// Where rendered citations are kept between runs.
    pub cache: CacheSetting,
    /// Whether Pandoc's citation syntax is expanded too.
    pub citation_syntax: CitationSyntax,
    /// The book's language, a BCP-47 tag: the `locale` key, else `book.language`.
    /// It picks our words ([`crate::words::Words`]) and the citations' CSL locale.
    pub language: Option<String>,
    /// The CSL locale to ask the citation engine for (normalised, e.g. `de-AT`);
    /// `None` keeps the style's own. `book.language = "en"` leaves it `None`:
    /// mdBook writes that default into every book's configuration, so it cannot
    /// say that a book whose style is written for another language is English.
    pub csl_locale: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            on_error: OnError::Fail,
            citation_style: "apa".into(),
            data: Vec::new(),
            builtin: true,
            chapter_references: false,
            other_directives: Vec::new(),
            cache: CacheSetting::UserCache,
            citation_syntax: CitationSyntax::Directives,
            language: None,
            csl_locale: None,
        }
    }
}

impl Config {
    /// Validates the table (`None` when the book has none, e.g. in-process use), for
    /// a book with mdBook's default settings. See [`Config::for_book`].
    pub fn from_table(table: Option<&Value>, root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Config::for_book(table, root, &BookSettings::default())
    }

    /// Validates the table of a book whose mdBook settings are `book`.
    ///
    /// Under `mdbook serve` problems default to warnings shown in the page; an
    /// explicit `on-error` always wins. A `cache` directory inside the sources, the
    /// build directory or a watched directory is an error. Problems are located in
    /// `root/book.toml` and shown as `book.toml:line:col`, relative to the book root
    /// like every other path in our diagnostics.
    pub fn for_book(
        table: Option<&Value>,
        root: &Path,
        book: &BookSettings,
    ) -> Result<Config, Vec<Diagnostic>> {
        let mut config = Config::default();
        if book.serving {
            config.on_error = OnError::Warn;
        }
        if let Some(language) = &book.language {
            // Not ours to reject: a tag that does not parse keeps our English words
            // (said under `--verbose`) and the style's own locale. `locale` overrides.
            let tag = language_tag(language).ok();
            config.csl_locale = tag.clone().filter(|t| t != "en");
            config.language = Some(tag.unwrap_or_else(|| language.clone()));
        }
        let Some(table) = table else {
            return Ok(config);
        };
        let locate = KeyLocator::new(root);
        let Some(entries) = table.as_object() else {
            return Err(vec![locate.problem(
                None,
                None,
                "`preprocessor.frameworks` must be a table",
            )]);
        };
        let mut problems = Vec::new();
        for (key, value) in entries {
            let result = match key.as_str() {
                "on-error" => match value.as_str() {
                    Some("fail") => {
                        config.on_error = OnError::Fail;
                        Ok(())
                    }
                    Some("warn") => {
                        config.on_error = OnError::Warn;
                        Ok(())
                    }
                    _ => Err("must be \"fail\" or \"warn\"".to_owned()),
                },
                "citation-style" => string(value).map(|s| config.citation_style = s),
                "data" => strings(value)
                    .map(|list| config.data = list.into_iter().map(PathBuf::from).collect()),
                "builtin" => boolean(value).map(|b| config.builtin = b),
                "chapter-references" => boolean(value).map(|b| config.chapter_references = b),
                "other-directives" => strings(value).map(|list| config.other_directives = list),
                "cache" => cache_setting(value).map(|setting| config.cache = setting),
                "citation-syntax" => match value.as_str() {
                    Some("directives") => {
                        config.citation_syntax = CitationSyntax::Directives;
                        Ok(())
                    }
                    Some("pandoc") => {
                        config.citation_syntax = CitationSyntax::Pandoc;
                        Ok(())
                    }
                    _ => Err("must be \"directives\" or \"pandoc\"".to_owned()),
                },
                "locale" => match value.as_str().map(language_tag) {
                    Some(Ok(tag)) => {
                        config.csl_locale = Some(tag.clone());
                        config.language = Some(tag);
                        Ok(())
                    }
                    Some(Err(problem)) => {
                        problems.push(locate.problem(Some(key), None, problem).with_hint(format!(
                            "write a BCP-47 language tag such as `de`, `fr-CA` or `pt-BR`; languages with their own words: {}",
                            crate::words::LANGUAGES.join(", ")
                        )));
                        Ok(())
                    }
                    None => Err("must be a language tag such as \"de\"".to_owned()),
                },
                k if PREPROCESSOR_KEYS.contains(&k) => Ok(()),
                unknown => {
                    let mut problem = locate.problem(
                        Some(unknown),
                        None,
                        format!("unknown key `{unknown}` in [preprocessor.frameworks]"),
                    );
                    problem = match did_you_mean(unknown, OUR_KEYS.iter().copied()) {
                        Some(hint) => problem.with_hint(hint),
                        None => problem.with_hint(format!(
                            "the keys are {}",
                            one_of(OUR_KEYS.iter().copied())
                        )),
                    };
                    problems.push(problem);
                    Ok(())
                }
            };
            if let Err(expected) = result {
                problems.push(locate.problem(Some(key), None, format!("`{key}` {expected}")));
            }
        }
        if let CacheSetting::Dir(dir) = &config.cache
            && let Some(problem) = cache_in_book(dir, root, book)
        {
            problems.push(locate.problem(Some("cache"), None, problem).with_hint(
                "use a directory outside the book's sources, build and watched directories, e.g. `.cache`, or `cache = true` for the user's cache directory",
            ));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}

/// Why a cache directory cannot be `dir`: inside `src/` it would be published with
/// the book, inside the build directory mdBook deletes it, and inside any watched
/// directory every write starts another `mdbook serve` rebuild.
fn cache_in_book(dir: &Path, root: &Path, book: &BookSettings) -> Option<String> {
    let cache = lexical(&root.join(dir));
    let places = [
        (&book.src, "book.src", "the book's sources, so it would be published with the book and each write would make `mdbook serve` rebuild"),
        (&book.build_dir, "build.build-dir", "the build directory, which mdBook deletes and publishes"),
    ]
    .into_iter()
    .chain(book.watched.iter().map(|(dir, key)| {
        (dir, *key, "a directory `mdbook serve` watches, so each write would make it rebuild")
    }));
    for (place, key, why) in places {
        if cache.starts_with(lexical(&root.join(place))) {
            return Some(format!(
                "`cache` directory `{}` is inside `{}` ({key}): {why}",
                dir.display(),
                place.display()
            ));
        }
    }
    None
}

/// `path` with `.` and `..` resolved without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A BCP-47-looking tag in its usual case (`de`, `de-AT`, `zh-Hans-CN`, `sr-Latn`):
/// a language of 2–3 letters, then subtags of 1–8 letters or digits, joined by `-`.
/// `Err` says what is wrong with `text`.
pub fn language_tag(text: &str) -> Result<String, String> {
    let bad = |why: &str| Err(format!("`locale` `{text}` is not a language tag: {why}"));
    if text.contains('_') {
        return bad(&format!(
            "join subtags with `-`, as in `{}`",
            text.replace('_', "-")
        ));
    }
    let mut subtags = text.split('-');
    let language = subtags.next().unwrap_or("");
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return bad("it must start with a language code of 2 or 3 letters, such as `de`");
    }
    let mut tag = language.to_ascii_lowercase();
    for (i, subtag) in subtags.enumerate() {
        if subtag.is_empty()
            || subtag.len() > 8
            || !subtag.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return bad(&format!(
                "`{subtag}` is not a subtag (1 to 8 letters or digits)"
            ));
        }
        tag.push('-');
        // Script `Hans`, region `AT`: the case the CSL locale files use.
        match subtag.len() {
            4 if i == 0 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) => {
                tag.push_str(&subtag[..1].to_ascii_uppercase());
                tag.push_str(&subtag[1..].to_ascii_lowercase());
            }
            2 if subtag.bytes().all(|b| b.is_ascii_alphabetic()) => {
                tag.push_str(&subtag.to_ascii_uppercase());
            }
            _ => tag.push_str(&subtag.to_ascii_lowercase()),
        }
    }
    Ok(tag)
}

fn string(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "must be a string".to_owned())
}

fn cache_setting(value: &Value) -> Result<CacheSetting, String> {
    match value {
        Value::Bool(true) => Ok(CacheSetting::UserCache),
        Value::Bool(false) => Ok(CacheSetting::Off),
        Value::String(dir) if !dir.trim().is_empty() => Ok(CacheSetting::Dir(PathBuf::from(dir))),
        _ => Err("must be true, false or a directory (relative to the book root)".to_owned()),
    }
}

fn boolean(value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| "must be true or false".to_owned())
}

fn strings(value: &Value) -> Result<Vec<String>, String> {
    let list = value
        .as_array()
        .ok_or_else(|| "must be a list of strings".to_owned())?;
    list.iter()
        .map(|v| string(v).map_err(|_| "must be a list of strings".to_owned()))
        .collect()
}

/// An error about one of our keys, located where `root/book.toml` writes it.
pub fn key_problem(root: &Path, key: &str, message: impl Into<String>) -> Diagnostic {
    KeyLocator::new(root).problem(Some(key), None, message)
}

/// A problem with the `index`-th (from 0) value of the array at `key` of our
/// table (a file of `data`), located at that value in `book.toml`; at the key
/// when the value is not an array.
pub fn array_value_problem(
    root: &Path,
    key: &str,
    index: usize,
    message: impl Into<String>,
) -> Diagnostic {
    KeyLocator::new(root).problem(Some(key), Some(index), message)
}

/// Finds where a key of our table is written in `book.toml`, for diagnostics.
struct KeyLocator {
    path: PathBuf,
    text: Option<String>,
}

impl KeyLocator {
    fn new(root: &Path) -> Self {
        let text = std::fs::read_to_string(root.join("book.toml")).ok();
        KeyLocator {
            path: PathBuf::from("book.toml"),
            text,
        }
    }

    fn problem(
        &self,
        key: Option<&str>,
        index: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let offset = self.text.as_deref().and_then(|text| {
            let document = toml_edit::Document::parse(text).ok()?;
            let table = document.get("preprocessor")?.get("frameworks")?;
            let span = match key {
                Some(key) => {
                    let (key, value) = table.as_table_like()?.get_key_value(key)?;
                    let element = index.and_then(|i| value.as_array()?.get(i)?.span());
                    element.or_else(|| key.span())
                }
                None => table.span(),
            };
            span.map(|s| s.start)
        });
        match (offset, &self.text) {
            (Some(offset), Some(text)) => Diagnostic::error_at(&self.path, text, offset, message),
            _ => Diagnostic::error_in_file(&self.path, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_and_valid_keys() {
        let table = json!({"command": "x", "before": ["links"], "on-error": "warn", "citation-style": "ieee", "builtin": false});
        let config = Config::from_table(Some(&table), Path::new("no-such-book")).unwrap();
        assert_eq!(config.on_error, OnError::Warn);
        assert_eq!(config.citation_style, "ieee");
        assert!(!config.builtin);
        assert_eq!(config.cache, CacheSetting::UserCache);
        assert_eq!(config.citation_syntax, CitationSyntax::Directives);
        let table = json!({"citation-syntax": "pandoc"});
        let config = Config::from_table(Some(&table), Path::new("no-such-book")).unwrap();
        assert_eq!(config.citation_syntax, CitationSyntax::Pandoc);
        for (value, setting) in [
            (json!(false), CacheSetting::Off),
            (json!(true), CacheSetting::UserCache),
            (json!(".cache"), CacheSetting::Dir(".cache".into())),
        ] {
            let table = json!({ "cache": value });
            let config = Config::from_table(Some(&table), Path::new("no-such-book")).unwrap();
            assert_eq!(config.cache, setting);
        }
        assert_eq!(
            Config::from_table(None, Path::new("no-such-book")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn serving_makes_warnings_the_default_but_an_explicit_on_error_wins() {
        let serving = BookSettings::from_book_toml(&json!({
            "output": {"html": {"live-reload-endpoint": "__livereload"}}
        }));
        assert!(serving.serving);
        let root = Path::new("no-such-book");
        let config = Config::for_book(Some(&json!({})), root, &serving).unwrap();
        assert_eq!(config.on_error, OnError::Warn);
        let config = Config::for_book(None, root, &serving).unwrap();
        assert_eq!(config.on_error, OnError::Warn);
        let table = json!({"on-error": "fail"});
        let config = Config::for_book(Some(&table), root, &serving).unwrap();
        assert_eq!(config.on_error, OnError::Fail);
        let built = BookSettings::from_book_toml(&json!({"output": {"html": {}}}));
        let config = Config::for_book(Some(&json!({})), root, &built).unwrap();
        assert_eq!(config.on_error, OnError::Fail);
    }

    #[test]
    fn a_cache_inside_the_book_is_refused_at_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let settings = BookSettings::from_book_toml(&json!({
            "book": {"src": "text"},
            "build": {"build-dir": "out", "extra-watch-dirs": ["data"]},
            "output": {"html": {"theme": "look"}}
        }));
        for (cache, inside) in [
            ("text/.fwcache", "`text` (book.src)"),
            ("./text", "`text` (book.src)"),
            ("x/../out/c", "`out` (build.build-dir)"),
            ("data/c", "`data` (build.extra-watch-dirs)"),
            ("look", "`look` (output.html.theme)"),
        ] {
            std::fs::write(
                dir.path().join("book.toml"),
                format!("[preprocessor.frameworks]\ncommand = \"x\"\n  cache = \"{cache}\"\n"),
            )
            .unwrap();
            let table = json!({ "cache": cache });
            let problems = Config::for_book(Some(&table), dir.path(), &settings).unwrap_err();
            let text = problems[0].to_string();
            assert!(
                text.starts_with("book.toml:3:3: error: `cache` directory"),
                "{text}"
            );
            assert!(text.contains(&format!("is inside {inside}")), "{text}");
        }
        for cache in [".cache", "textbook", "../elsewhere", "src"] {
            let table = json!({ "cache": cache });
            Config::for_book(Some(&table), dir.path(), &settings).unwrap();
        }
    }

    #[test]
    fn unknown_and_mistyped_keys_are_located_in_book_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.toml");
        std::fs::write(&path, "[book]\ntitle = \"t\"\n\n[preprocessor.frameworks]\ncitation-styel = \"apa\"\non-error = 3\ncache = \"\"\n").unwrap();
        let table = json!({"citation-styel": "apa", "on-error": 3, "cache": ""});
        let problems = Config::from_table(Some(&table), dir.path()).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.contains(&"book.toml:5:1: error: unknown key `citation-styel` in [preprocessor.frameworks]; did you mean `citation-style`?".to_owned()), "{text:?}");
        assert!(
            text.contains(
                &"book.toml:6:1: error: `on-error` must be \"fail\" or \"warn\"".to_owned()
            ),
            "{text:?}"
        );
        assert!(
            text.contains(
                &"book.toml:7:1: error: `cache` must be true, false or a directory (relative to the book root)".to_owned()
            ),
            "{text:?}"
        );
    }

    #[test]
    fn the_language_comes_from_book_language_and_locale_overrides_it() {
        let root = Path::new("no-such-book");
        let book =
            |language: &str| BookSettings::from_book_toml(&json!({"book": {"language": language}}));
        let chosen = |table: Option<&Value>, settings: &BookSettings| {
            let config = Config::for_book(table, root, settings).unwrap();
            (config.language, config.csl_locale)
        };
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(chosen(None, &BookSettings::default()), (None, None));
        assert_eq!(chosen(None, &book("de")), (some("de"), some("de")));
        assert_eq!(chosen(None, &book("pt_br")), (some("pt_br"), None));
        // mdBook's default: our words in English, the style's own locale.
        assert_eq!(chosen(None, &book("en")), (some("en"), None));
        assert_eq!(chosen(None, &book("English")), (some("English"), None));
        let table = json!({"locale": "DE-at"});
        assert_eq!(
            chosen(Some(&table), &book("fr")),
            (some("de-AT"), some("de-AT"))
        );
        let table = json!({"locale": "en"});
        assert_eq!(chosen(Some(&table), &book("de")), (some("en"), some("en")));
        assert_eq!(language_tag("zh-hans-cn").unwrap(), "zh-Hans-CN");
        assert_eq!(language_tag("es-419").unwrap(), "es-419");
        assert_eq!(language_tag("sr-latn").unwrap(), "sr-Latn");
    }

    #[test]
    fn a_bad_locale_is_located_at_the_key() {
        let dir = tempfile::tempdir().unwrap();
        for (value, toml, message) in [
            (
                json!("de_DE"),
                "\"de_DE\"",
                "`locale` `de_DE` is not a language tag: join subtags with `-`, as in `de-DE`",
            ),
            (
                json!("German"),
                "\"German\"",
                "`locale` `German` is not a language tag: it must start with a language code of 2 or 3 letters, such as `de`",
            ),
            (
                json!("de-"),
                "\"de-\"",
                "`locale` `de-` is not a language tag: `` is not a subtag (1 to 8 letters or digits)",
            ),
            (
                json!(7),
                "7",
                "`locale` must be a language tag such as \"de\"",
            ),
        ] {
            std::fs::write(
                dir.path().join("book.toml"),
                format!(
                    "[book]\nlanguage = \"fr\"\n\n[preprocessor.frameworks]\n  locale = {toml}\n"
                ),
            )
            .unwrap();
            let table = json!({ "locale": value });
            let problems = Config::from_table(Some(&table), dir.path()).unwrap_err();
            let text = problems[0].to_string();
            assert!(
                text.starts_with(&format!("book.toml:5:3: error: {message}")),
                "{text}"
            );
            if value.is_string() {
                assert!(text.contains("; write a BCP-47 language tag such as `de`, `fr-CA` or `pt-BR`; languages with their own words: en, de, fr, es, pt, zh, ja"), "{text}");
            }
        }
    }
}
