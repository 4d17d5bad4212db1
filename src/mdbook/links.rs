//! mdBook's built-in `links` preprocessor: the directives it handles, and its
//! `{{#include}}` and `{{#rustdoc_include}}`, resolved as mdBook 0.5.4 resolves them (`mdbook-driver`, `builtin_preprocessors/
//! links.rs` and `links/take_lines.rs`): a path relative to the including file,
//! then `:N` (one line), `:N:M`, `:N:`, `::M` (1-based, inclusive) or `:anchor`
//! (the lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`, anchor lines
//! left out). `rustdoc_include` keeps every line and hides those outside the
//! selection behind `# `.
//!
//! We run before `links`, so that our escapes survive it; an included file that
//! holds directives of ours is therefore inlined by us, and each line of the
//! result remembers the line of the file it came from, for diagnostics.

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// Every directive `links` handles (`{{#title}}` sets the page title); the rest
/// of `{{#…}}` is left as text by mdBook.
pub const DIRECTIVES: &[&str] = &[
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// The two mdBook directives that bring in another file's text.
pub const INCLUDES: &[&str] = &["include", "rustdoc_include"];

/// Directives of mdBook that name a file relative to the file they are in.
pub const FILE_DIRECTIVES: &[&str] = &["include", "rustdoc_include", "playground", "playpen"];

static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<name>[\w_-]+)").expect("valid regex"));
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<name>[\w_-]+)").expect("valid regex"));

/// Which lines of the file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selection {
    /// 0-based, end exclusive; `None` is unbounded.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

/// A parsed `{{#include path[:…]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The path as written, relative to the including file's directory.
    pub path: PathBuf,
    selection: Selection,
    rustdoc: bool,
}

/// The text an include brings in, and for each of its lines the 0-based line of
/// the file it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The lines taken, joined by `\n` (no final newline, as mdBook does).
    pub text: String,
    /// For each line of `text`, the 0-based line of the file it comes from.
    pub lines: Vec<usize>,
}

impl Include {
    /// Parses the arguments of `include` or `rustdoc_include` (`name`).
    pub fn parse(name: &str, args: &str) -> Option<Include> {
        if !INCLUDES.contains(&name) {
            return None;
        }
        let args = args.trim();
        let (path, rest) = match args.split_once(':') {
            Some((path, rest)) => (path, Some(rest)),
            None => (args, None),
        };
        if path.is_empty() {
            return None;
        }
        Some(Include {
            path: PathBuf::from(path),
            selection: selection(rest),
            rustdoc: name == "rustdoc_include",
        })
    }

    /// The lines of `file` (its text) that the include takes.
    pub fn select(&self, file: &str) -> Included {
        let all: Vec<&str> = file.lines().collect();
        let mut text = Vec::new();
        let mut lines = Vec::new();
        let mut keep = |i: usize, line: String| {
            text.push(line);
            lines.push(i);
        };
        match (&self.selection, self.rustdoc) {
            (Selection::Lines(start, end), false) => {
                let start = start.unwrap_or(0);
                let end = end.unwrap_or(all.len()).min(all.len());
                for (i, line) in all.iter().enumerate().take(end).skip(start) {
                    keep(i, (*line).to_owned());
                }
            }
            (Selection::Anchor(name), false) => {
                let mut inside = false;
                for (i, line) in all.iter().enumerate() {
                    if inside {
                        if ANCHOR_END
                            .captures(line)
                            .is_some_and(|c| &c["name"] == name)
                        {
                            break;
                        }
                        if !ANCHOR_START.is_match(line) && !ANCHOR_END.is_match(line) {
                            keep(i, (*line).to_owned());
                        }
                    } else if ANCHOR_START
                        .captures(line)
                        .is_some_and(|c| &c["name"] == name)
                    {
                        inside = true;
                    }
                }
            }
            (Selection::Lines(start, end), true) => {
                let start = start.unwrap_or(0);
                let end = end.unwrap_or(usize::MAX);
                for (i, line) in all.iter().enumerate() {
                    let shown = (start..end).contains(&i);
                    keep(
                        i,
                        if shown {
                            (*line).to_owned()
                        } else {
                            format!("# {line}")
                        },
                    );
                }
            }
            (Selection::Anchor(name), true) => {
                let mut inside = false;
                for (i, line) in all.iter().enumerate() {
                    let start = ANCHOR_START
                        .captures(line)
                        .is_some_and(|c| &c["name"] == name);
                    let end = ANCHOR_END
                        .captures(line)
                        .is_some_and(|c| &c["name"] == name);
                    if start {
                        inside = true;
                    } else if end {
                        inside = false;
                    } else if !ANCHOR_START.is_match(line) && !ANCHOR_END.is_match(line) {
                        keep(
                            i,
                            if inside {
                                (*line).to_owned()
                            } else {
                                format!("# {line}")
                            },
                        );
                    }
                }
            }
        }
        Included {
            text: text.join("\n"),
            lines,
        }
    }
}

/// mdBook's reading of what follows the path (`parse_range_or_anchor`).
fn selection(rest: Option<&str>) -> Selection {
    let mut parts = rest.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some("") | None => None,
        Some(value) => match value.parse::<usize>() {
            Ok(n) => Some(n.saturating_sub(1)),
            Err(_) => return Selection::Anchor(value.to_owned()),
        },
    };
    match (start, parts.next().map(str::parse::<usize>)) {
        (Some(start), Some(Ok(end))) => Selection::Lines(Some(start), Some(end)),
        (Some(start), Some(Err(_))) => Selection::Lines(Some(start), None),
        (Some(start), None) => Selection::Lines(Some(start), Some(start + 1)),
        (None, Some(Ok(end))) => Selection::Lines(None, Some(end)),
        (None, _) => Selection::Lines(None, None),
    }
}

/// `path` without `.` and with `..` applied where it can be (`a/../b` is `b`).
pub fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// The path from directory `from` to `to`, both relative to the same root.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from = normalise(from);
    let to = normalise(to);
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "one\ntwo\n// ANCHOR: part\nthree\n// ANCHOR: inner\nfour\n// ANCHOR_END: inner\n// ANCHOR_END: part\nfive\n";

    fn taken(args: &str) -> (String, Vec<usize>) {
        let included = Include::parse("include", args).unwrap().select(FILE);
        (included.text, included.lines)
    }

    #[test]
    fn ranges_and_anchors_select_lines_as_mdbook_does() {
        assert_eq!(taken("f.md").0, FILE.trim_end());
        assert_eq!(taken("f.md:2"), ("two".into(), vec![1]));
        assert_eq!(
            taken("f.md:2:4"),
            ("two\n// ANCHOR: part\nthree".into(), vec![1, 2, 3])
        );
        assert_eq!(taken("f.md:8:").1, vec![7, 8]);
        assert_eq!(taken("f.md::2").0, "one\ntwo");
        assert_eq!(taken("f.md:part"), ("three\nfour".into(), vec![3, 5]));
        assert_eq!(taken("f.md:missing").0, "");
    }

    #[test]
    fn rustdoc_include_hides_the_other_lines() {
        let included = Include::parse("rustdoc_include", "f.rs:2")
            .unwrap()
            .select("a\nb\nc");
        assert_eq!(included.text, "# a\nb\n# c");
    }

    #[test]
    fn relative_paths_between_directories() {
        assert_eq!(
            relative(Path::new("a/b"), Path::new("a/c/x.md")),
            Path::new("../c/x.md")
        );
        assert_eq!(
            relative(Path::new(""), Path::new("shared/x.md")),
            Path::new("shared/x.md")
        );
        assert_eq!(normalise(Path::new("a/./b/../c")), Path::new("a/c"));
    }
}
