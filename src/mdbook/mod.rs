//! What we know of mdBook, in one place: its preprocessor protocol
//! ([`protocol`]), the `book.toml` settings ours depend on ([`BookSettings`]),
//! what its `links` preprocessor does ([`links`]), what it does with
//! `SUMMARY.md` titles, and the one walk over a book's chapters in reading order,
//! for the JSON the command line receives and the typed [`Book`] that in-process
//! use receives alike.
//!
//! [`Book`]: mdbook_preprocessor::book::Book

pub mod links;
pub mod protocol;
mod settings;

use std::path::Path;

use mdbook_preprocessor::book::{BookItem, Chapter};
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::directive::{Found, scan};

pub use settings::{BookSettings, PREPROCESSOR_KEYS};

/// One chapter's content with what expansion needs to know about it.
pub struct ChapterText<'a> {
    /// The chapter's title, for back-references.
    pub name: &'a str,
    /// Output path, relative to the source dir; links are computed from it.
    pub path: &'a Path,
    /// Source path, for diagnostics (the `index` preprocessor renames README.md).
    pub source: &'a Path,
    /// The Markdown, replaced in place.
    pub content: &'a mut String,
}

/// One entry of a book's table of contents as mdBook hands it over: a chapter
/// with its sub-chapters, a separator or a part title.
pub trait TocItem: Sized {
    /// Why an item cannot be read: the typed `BookItem` always can be.
    type Error;

    /// For a chapter: its text (`None` for a draft chapter, which has no page) and
    /// its sub-items. `Ok(None)` for a separator or a part title.
    #[allow(clippy::type_complexity)]
    fn chapter(&mut self) -> Result<Option<(Option<ChapterText<'_>>, &mut [Self])>, Self::Error>;
}

/// The chapters of `items` and their sub-chapters, depth first, which is mdBook's
/// reading order, for in-place expansion.
///
/// Walks without recursion, so deep nesting cannot overflow the stack. Draft
/// chapters are skipped (their sub-chapters are not). Errors: the first item that
/// cannot be read.
pub fn chapters<T: TocItem>(items: &mut [T]) -> Result<Vec<ChapterText<'_>>, T::Error> {
    let mut chapters = Vec::new();
    let mut stack = vec![items.iter_mut()];
    while let Some(level) = stack.last_mut() {
        let Some(item) = level.next() else {
            stack.pop();
            continue;
        };
        if let Some((chapter, sub_items)) = item.chapter()? {
            chapters.extend(chapter);
            stack.push(sub_items.iter_mut());
        }
    }
    Ok(chapters)
}

impl TocItem for BookItem {
    type Error = std::convert::Infallible;

    fn chapter(&mut self) -> Result<Option<(Option<ChapterText<'_>>, &mut [Self])>, Self::Error> {
        let BookItem::Chapter(chapter) = self else {
            return Ok(None);
        };
        let Chapter {
            name,
            content,
            sub_items,
            path,
            source_path,
            ..
        } = chapter;
        let text = path.as_deref().map(|path| ChapterText {
            name,
            path,
            source: source_path.as_deref().unwrap_or(path),
            content,
        });
        Ok(Some((text, sub_items)))
    }
}

/// mdBook's JSON for a `BookItem`, read leniently: fields a later 0.5.x adds are
/// ignored (and written back unchanged, since we edit in place).
impl TocItem for Value {
    /// A one-line message naming what is wrong.
    type Error = String;

    fn chapter(&mut self) -> Result<Option<(Option<ChapterText<'_>>, &mut [Self])>, Self::Error> {
        let chapter = match self {
            Value::String(s) if s == "Separator" => return Ok(None),
            Value::Object(o)
                if o.len() == 1 && o.get("PartTitle").is_some_and(Value::is_string) =>
            {
                return Ok(None);
            }
            Value::Object(o) if o.len() == 1 => o.get_mut("Chapter").and_then(Value::as_object_mut),
            _ => None,
        }
        .ok_or_else(|| "an item is neither a chapter, a separator nor a part title".to_owned())?;
        let (mut name, mut content, mut path, mut source, mut sub_items) =
            (None, None, None, None, None);
        for (key, value) in chapter.iter_mut() {
            match (key.as_str(), value) {
                ("name", Value::String(s)) => name = Some(s.as_str()),
                ("content", Value::String(s)) => content = Some(s),
                ("path", Value::String(s)) => path = Some(Path::new(s.as_str())),
                ("source_path", Value::String(s)) => source = Some(Path::new(s.as_str())),
                ("sub_items", Value::Array(items)) => sub_items = Some(items),
                _ => {}
            }
        }
        let (Some(name), Some(content), Some(sub_items)) = (name, content, sub_items) else {
            return Err(
                "a chapter lacks a string `name`, a string `content` or a `sub_items` array".into(),
            );
        };
        let text = path.map(|path| ChapterText {
            name,
            path,
            source: source.unwrap_or(path),
            content,
        });
        Ok(Some((text, sub_items)))
    }
}

/// mdBook gives chapter titles to no preprocessor, so a directive in `SUMMARY.md`
/// shows raw in the sidebar: one warning per directive that `is_ours`, at
/// `SRC/SUMMARY.md:line:col`. A missing `SUMMARY.md` is mdBook's to report.
pub fn summary_directives(
    root: &Path,
    src_dir: &Path,
    is_ours: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let shown = src_dir.join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(root.join(&shown)) else {
        return Vec::new();
    };
    scan(&text, &is_ours)
        .into_iter()
        .filter_map(|found| match found {
            Found::Directive(d) if is_ours(d.name) => Some(
                Diagnostic::error_at(
                    &shown,
                    &text,
                    d.span.start,
                    format!(
                        "`{{{{#{}}}}}` in SUMMARY.md is not expanded: mdBook gives chapter titles to no preprocessor",
                        d.name
                    ),
                )
                .with_hint("write the directive in the chapter itself")
                .into_warning(),
            ),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::Book;

    /// The same book as mdBook's typed `Book` and as its JSON: one walk, one order.
    #[test]
    fn the_typed_book_and_its_json_give_the_same_chapters() {
        let mut leaf = Chapter::new("Leaf", "leaf".into(), "a/leaf.md", vec!["A".into()]);
        leaf.source_path = Some("a/leaf-source.md".into());
        let mut a = Chapter::new("A", "a".into(), "a.md", vec![]);
        a.sub_items.push(BookItem::Chapter(leaf));
        let mut draft = Chapter::new_draft("Draft", vec![]);
        draft.sub_items.push(BookItem::Chapter(Chapter::new(
            "Under a draft",
            "u".into(),
            "u.md",
            vec![],
        )));
        let mut book = Book::new();
        book.items = vec![
            BookItem::Chapter(a),
            BookItem::Separator,
            BookItem::PartTitle("Part".into()),
            BookItem::Chapter(draft),
            BookItem::Chapter(Chapter::new("Z", "z".into(), "z.md", vec![])),
        ];
        let mut json = serde_json::to_value(&book).unwrap();

        let seen = |chapters: Vec<ChapterText<'_>>| -> Vec<(String, String, String, String)> {
            chapters
                .into_iter()
                .map(|c| {
                    let display = |p: &Path| p.display().to_string();
                    (
                        c.name.to_owned(),
                        display(c.path),
                        display(c.source),
                        c.content.clone(),
                    )
                })
                .collect()
        };
        let Ok(typed) = chapters(&mut book.items);
        let typed = seen(typed);
        let items = json
            .pointer_mut("/items")
            .and_then(Value::as_array_mut)
            .unwrap();
        let from_json = seen(chapters(items).unwrap());
        assert_eq!(typed, from_json);
        let names: Vec<&str> = typed.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["A", "Leaf", "Under a draft", "Z"]);
        assert_eq!(typed[1].2, "a/leaf-source.md");
        assert_eq!(typed[0].2, "a.md");
    }

    #[test]
    fn an_item_of_no_known_shape_is_an_error() {
        for item in [
            serde_json::json!({"Chapter": {"name": "x"}}),
            serde_json::json!({"Unknown": 1}),
            serde_json::json!(3),
        ] {
            let mut items = vec![item];
            assert!(chapters(&mut items).is_err());
        }
    }
}
