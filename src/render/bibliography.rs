//! `{{#bibliography [all|chapter|keys=KEY,KEY2]}}`: the reference list.
//!
//! Without an argument it lists the works cited anywhere in the book; `all` lists
//! every known work; `chapter` the works cited in the current chapter; `keys=`
//! the works named, cited or not, as Pandoc's `nocite` adds them (a reading
//! list). Each entry
//! has a stable anchor (`ref-KEY`) that citations link to, and back-references to
//! each place that cites it.

use std::collections::HashMap;

use super::{
    Citations, CitingChapter, DirectiveKind, ParsedDirective, RenderCx, entry_anchor,
    relative_link, site_anchor,
};
use crate::cite::CitationRequest;
use crate::directive::{ArgProblem, ArgReader, list_items};
use crate::markdown::{self, escape_text};
use crate::model::Model;

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
                    let hint = model.unknown_work_hint(key);
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
    let mut out = String::new();
    // Each citing chapter's page, linked from here, escaped once: a work may be
    // cited by every chapter.
    let mut pages: HashMap<usize, String> = HashMap::new();
    for key in keys {
        let Some(reference) = cx.references.get(key) else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("- <a id=\"");
        out.push_str(&entry_anchor(key));
        out.push_str("\"></a>");
        out.push_str(&reference.markdown);
        let Some(chapters) = cx.cited_by.get(key) else {
            continue;
        };
        let words = cx.words;
        out.push(' ');
        out.push_str(words.cited_in);
        out.push_str(words.colon);
        for (i, chapter) in chapters.iter().enumerate() {
            // Semicolons: each chapter may carry its own "↩ a b c" list.
            if i > 0 {
                out.push_str("; ");
            }
            let page = pages.entry(chapter.index).or_insert_with(|| {
                markdown::escape_href(&relative_link(cx.chapter_path, chapter.path)).into_owned()
            });
            push_back_references(&mut out, cx, page, chapter);
        }
        out.push_str(words.full_stop);
    }
    out
}

/// `[Chapter](page#first)`, then ` ↩ [a](page#first) [b](page#second) ...` when
/// the chapter cites the work more than once; the name alone without links.
/// `page` is escaped for a link destination.
fn push_back_references(out: &mut String, cx: &RenderCx<'_>, page: &str, chapter: &CitingChapter) {
    let name = escape_text(chapter.name);
    if !cx.links {
        out.push_str(&name);
        return;
    }
    // Anchors need no escaping: see `site_prefixes`.
    let anchor = |site: usize| format!("#{}", site_anchor(chapter.prefix, site));
    let Some(&first) = chapter.sites.first() else {
        let page = if page.is_empty() { "#" } else { page };
        markdown::push_link(out, &name, &[page], None);
        return;
    };
    markdown::push_link(out, &name, &[page, &anchor(first)], None);
    if chapter.sites.len() > 1 {
        out.push_str(" <span class=\"mdbook-frameworks-backrefs\">↩");
        let title = markdown::escape_link_title(chapter.name);
        for (i, &site) in chapter.sites.iter().enumerate() {
            out.push(' ');
            let title = format!("{title} ({})", i + 1);
            markdown::push_link(out, &letters(i), &[page, &anchor(site)], Some(&title));
        }
        out.push_str("</span>");
    }
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
