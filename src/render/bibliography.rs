//! `{{#bibliography [all|chapter|keys=KEY,KEY2]}}`: the reference list.
//!
//! Without an argument it lists the works cited anywhere in the book; `all` lists
//! every known work; `chapter` the works cited in the current chapter; `keys=`
//! the works named, cited or not, as Pandoc's `nocite` adds them (a reading
//! list). Each entry
//! has a stable anchor (`ref-KEY`) that citations link to, and back-references to
//! each place that cites it.

use std::collections::HashMap;
use std::path::Path;

use super::{
    Citations, CitingChapter, DirectiveKind, ParsedDirective, RenderCx, entry_anchor, relative_link,
};
use crate::cite::CitationRequest;
use crate::diagnostics::closest;
use crate::directive::{ArgProblem, ArgReader, list_items};
use crate::markdown::{self, escape_text};
use crate::model::{Model, Work};

pub(super) const ARGUMENTS: &[&str] = &["all", "chapter", "keys"];

/// The registry entry of `{{#bibliography}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "bibliography",
    arguments: ARGUMENTS,
    block: Some("a list"),
    parse: |args, model| Ok(Box::new(Bibliography::parse(args, model)?)),
};

/// Which works a bibliography lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Works cited anywhere in the book.
    Cited,
    /// Every known work.
    All,
    /// Works cited in the chapter holding the directive.
    Chapter,
    /// The works named by `keys=`, whether cited or not.
    Listed,
}

/// A reference list.
#[derive(Debug, Clone)]
pub struct Bibliography {
    /// Which works to list.
    pub scope: Scope,
    /// For [`Scope::Listed`]: the keys named, in the author's order.
    pub keys: Vec<String>,
}

impl Bibliography {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let all = args.flag("all");
        let chapter = args.flag("chapter");
        let listed = args.key("keys")?;
        let exclusive = || {
            Err((
                args.start(),
                "`all`, `chapter` and `keys=` exclude each other".into(),
                Some("keep one".into()),
            ))
        };
        let scope = match (all, chapter, &listed) {
            (true, true, _) | (true, _, Some(_)) | (_, true, Some(_)) => return exclusive(),
            (true, false, None) => Scope::All,
            (false, true, None) => Scope::Chapter,
            (false, false, Some(_)) => Scope::Listed,
            (false, false, None) => Scope::Cited,
        };
        let mut keys = Vec::new();
        if let Some(arg) = listed {
            for (offset, key) in list_items(&arg) {
                if model.work(key).is_none() {
                    let hint = closest(key, model.works().iter().map(Work::key)).map_or_else(
                        || "run `mdbook-frameworks list works` to see the known keys".to_owned(),
                        |best| format!("did you mean `{best}`?"),
                    );
                    return Err((offset, format!("unknown work `{key}`"), Some(hint)));
                }
                if !keys.iter().any(|k| k == key) {
                    keys.push(key.to_owned());
                }
            }
            if keys.is_empty() {
                return Err((
                    arg.value_offset,
                    "`keys` needs at least one citation key".into(),
                    Some("write e.g. keys=paszke2019pytorch,abadi2016tensorflow".into()),
                ));
            }
        }
        Ok(Bibliography { scope, keys })
    }
}

impl ParsedDirective for Bibliography {
    /// None: a reference list cites nothing.
    fn citations(&self, _model: &Model) -> Vec<CitationRequest> {
        Vec::new()
    }

    fn render(&self, cx: &RenderCx<'_>, _cites: &mut Citations<'_, '_>) -> String {
        let listed: Vec<String>;
        let keys = match self.scope {
            Scope::Cited => cx.cited_in_book,
            Scope::All => cx.all_works,
            Scope::Chapter => cx.cited_in_chapter,
            // In the style's order, as every reference list.
            Scope::Listed => {
                listed = cx
                    .all_works
                    .iter()
                    .filter(|k| self.keys.contains(k))
                    .cloned()
                    .collect();
                &listed
            }
        };
        render_entries(cx, keys)
    }
}

/// The entries for `keys` as a Markdown list with anchors and back-references.
///
/// Back-references land on each citation, as in Wikipedia's reference lists: a
/// citing chapter's name links to its first citation of the work and, when it
/// cites the work more than once, `↩ a b c` link to each citation in turn.
pub(crate) fn render_entries(cx: &RenderCx<'_>, keys: &[String]) -> String {
    if keys.is_empty() {
        return format!("*{}*", cx.words.no_works_cited);
    }
    let mut lines = Vec::with_capacity(keys.len());
    // Each citing chapter's page, linked from here, made once: a work may be cited
    // by every chapter.
    let mut pages: HashMap<&Path, String> = HashMap::new();
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
                .map(|chapter| {
                    let page = pages
                        .entry(chapter.path.as_path())
                        .or_insert_with(|| relative_link(cx.chapter_path, &chapter.path));
                    back_references(cx, page, chapter)
                })
                .collect();
            let words = cx.words;
            // Semicolons: each chapter may carry its own "↩ a b c" list.
            line.push_str(&format!(
                " {}{}{}{}",
                words.cited_in,
                words.colon,
                links.join("; "),
                words.full_stop
            ));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// `[Chapter](page#first)`, then ` ↩ [a](page#first) [b](page#second) ...` when
/// the chapter cites the work more than once; the name alone without links.
fn back_references(cx: &RenderCx<'_>, page: &str, chapter: &CitingChapter) -> String {
    let name = escape_text(&chapter.name);
    if !cx.links {
        return name;
    }
    let href = |site: &str| format!("{page}#{site}");
    let Some(first) = chapter.sites.first() else {
        let page = if page.is_empty() { "#" } else { page };
        return markdown::link(&name, page, None);
    };
    let mut out = markdown::link(&name, &href(first), None);
    if chapter.sites.len() > 1 {
        out.push_str(" <span class=\"mdbook-frameworks-backrefs\">↩");
        for (i, site) in chapter.sites.iter().enumerate() {
            let title = format!("{} ({})", chapter.name, i + 1);
            out.push(' ');
            out.push_str(&markdown::link(&letters(i), &href(site), Some(&title)));
        }
        out.push_str("</span>");
    }
    out
}

/// `a`, `b`, ... `z`, `aa`, `ab`, ...: the `i`-th (from 0) back-reference's label.
fn letters(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::letters;

    #[test]
    fn back_reference_labels_go_on_after_z() {
        let labels: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(letters)
            .collect();
        assert_eq!(labels, ["a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]);
    }
}
