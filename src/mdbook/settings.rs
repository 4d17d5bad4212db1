//! What of mdBook's own settings in `book.toml` ours depend on.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The keys mdBook itself reads from a preprocessor's table (`[preprocessor.NAME]`).
pub const PREPROCESSOR_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];

/// What of mdBook's own settings ours depend on, read from the whole `book.toml`
/// (as JSON: mdBook's context carries it so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookSettings {
    /// `book.src`, relative to the root (default `src`).
    pub src: PathBuf,
    /// `build.build-dir`, relative to the root (default `book`).
    pub build_dir: PathBuf,
    /// Other directories `mdbook serve` watches: the theme (`output.html.theme`,
    /// default `theme`) and `build.extra-watch-dirs`, each with the key naming it.
    pub watched: Vec<(PathBuf, &'static str)>,
    /// Whether the book is being served: `mdbook serve` sets
    /// `output.html.live-reload-endpoint` in the context it sends.
    pub serving: bool,
    /// `book.language`, as written (mdBook's own default is `en`).
    pub language: Option<String>,
}

impl Default for BookSettings {
    fn default() -> Self {
        BookSettings::with_src(Path::new("src"))
    }
}

impl BookSettings {
    /// mdBook's defaults, with the chapters in `src`.
    pub fn with_src(src: &Path) -> Self {
        BookSettings {
            src: src.to_path_buf(),
            build_dir: PathBuf::from("book"),
            watched: vec![(PathBuf::from("theme"), "output.html.theme")],
            serving: false,
            language: None,
        }
    }

    /// Reads the settings from `book.toml` as JSON; missing or mistyped keys take
    /// mdBook's defaults (mdBook itself reports those).
    pub fn from_book_toml(config: &Value) -> Self {
        let text = |pointer: &str| config.pointer(pointer).and_then(Value::as_str);
        let mut settings = BookSettings::with_src(Path::new(text("/book/src").unwrap_or("src")));
        if let Some(dir) = text("/build/build-dir") {
            settings.build_dir = PathBuf::from(dir);
        }
        if let Some(theme) = text("/output/html/theme") {
            settings.watched[0].0 = PathBuf::from(theme);
        }
        let extra = config
            .pointer("/build/extra-watch-dirs")
            .and_then(Value::as_array);
        for dir in extra.into_iter().flatten().filter_map(Value::as_str) {
            settings
                .watched
                .push((PathBuf::from(dir), "build.extra-watch-dirs"));
        }
        settings.language = text("/book/language").map(str::to_owned);
        settings.serving = config
            .pointer("/output/html/live-reload-endpoint")
            .is_some_and(|v| !v.is_null());
        settings
    }
}
