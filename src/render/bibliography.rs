//! `{{#bibliography [all|chapter]}}`: the reference list.
//!
//! Without an argument it lists the works cited anywhere in the book; `all` lists
//! every known work; `chapter` the works cited in the current chapter. Each entry
//! has a stable anchor (`ref-KEY`) that citations link to, and back-references to
//! the chapters that cite it.

use std::collections::HashMap;
use std::path::Path;

use super::{RenderCx, entry_anchor, relative_link};
use crate::directive::{ArgProblem, ArgReader};
use crate::markdown::{self, escape_text};

pub(super) const ARGUMENTS: &[&str] = &["all", "chapter"];

/// Which works a bibliography lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Works cited anywhere in the book.
    Cited,
    /// Every known work.
    All,
    /// Works cited in the chapter holding the directive.
    Chapter,
}

/// A reference list.
#[derive(Debug, Clone)]
pub struct Bibliography {
    /// Which works to list.
    pub scope: Scope,
}

impl Bibliography {
    pub(super) fn parse(args: &mut ArgReader) -> Result<Self, ArgProblem> {
        let all = args.flag("all");
        let chapter = args.flag("chapter");
        let scope = match (all, chapter) {
            (true, true) => {
                return Err((
                    args.start(),
                    "`all` and `chapter` exclude each other".into(),
                    Some("keep one".into()),
                ));
            }
            (true, false) => Scope::All,
            (false, true) => Scope::Chapter,
            (false, false) => Scope::Cited,
        };
        Ok(Bibliography { scope })
    }

    pub(super) fn render(&self, cx: &RenderCx<'_>) -> String {
        let keys = match self.scope {
            Scope::Cited => cx.cited_in_book,
            Scope::All => cx.all_works,
            Scope::Chapter => cx.cited_in_chapter,
        };
        render_entries(cx, keys)
    }
}

/// The entries for `keys` as a Markdown list with anchors and back-references.
pub(crate) fn render_entries(cx: &RenderCx<'_>, keys: &[String]) -> String {
    if keys.is_empty() {
        return format!("*{}*", cx.words.no_works_cited);
    }
    let mut lines = Vec::with_capacity(keys.len());
    // Each citing chapter's link, made once: a work may be cited by every chapter.
    let mut chapter_links: HashMap<&Path, String> = HashMap::new();
    for key in keys {
        let Some(reference) = cx.references.get(key) else {
            continue;
        };
        let mut line = format!(
            "- <a id=\"{}\"></a>{}",
            entry_anchor(key),
            reference.markdown
        );
        if let Some(chapters) = cx.cited_by.get(key) {
            let links: Vec<String> = chapters
                .iter()
                .map(|(name, path)| {
                    chapter_links
                        .entry(path.as_path())
                        .or_insert_with(|| {
                            let href = relative_link(cx.chapter_path, path);
                            let href = if href.is_empty() { "#" } else { &href };
                            if cx.links {
                                markdown::link(&escape_text(name), href, None)
                            } else {
                                escape_text(name)
                            }
                        })
                        .clone()
                })
                .collect();
            let words = cx.words;
            line.push_str(&format!(
                " {}{}{}{}",
                words.cited_in,
                words.colon,
                links.join(words.list_separator),
                words.full_stop
            ));
        }
        lines.push(line);
    }
    lines.join("\n")
}
