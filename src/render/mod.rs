//! One module per directive. Each parses its arguments into a typed value (checking
//! every id against the model), says which citations it needs, and renders Markdown.
//! Renderers know the model and Markdown, and nothing about mdBook's JSON.
//!
//! A directive's module exports its registry entry, a [`DirectiveKind`] named
//! `KIND`, and implements [`ParsedDirective`] for its parsed value; [`DIRECTIVES`]
//! lists the entries. Adding a directive is that module and one line there (and
//! its row in the README's table, which a test compares with the registry).

mod bibliography;
mod comparison_table;
mod framework_fact;
mod framework_profile;
mod paper_citation;
mod timeline;
mod timeline_chart;

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cite::{CitationRequest, CiteForm, CiteItem, Reference, RenderedCitation, Segment};
use crate::directive::{Arg, ArgProblem, ArgReader};
use crate::markdown;
use crate::model::{Model, Source};
use crate::words::Words;

pub(crate) use bibliography::render_entries;
pub use bibliography::{Bibliography, Scope as BibliographyScope};
pub use framework_fact::FIELDS as FRAMEWORK_FACT_FIELDS;

/// Every directive of ours, in the order [`DIRECTIVE_NAMES`] lists them (and the
/// README's table). Adding a directive is one module that exports its `KIND` and
/// one line here.
pub const DIRECTIVES: &[&DirectiveKind] = &[
    &comparison_table::KIND,
    &paper_citation::KIND,
    &bibliography::KIND,
    &framework_fact::KIND,
    &framework_profile::KIND,
    &timeline::KIND,
];

/// The names of our directives, from [`DIRECTIVES`].
pub const DIRECTIVE_NAMES: &[&str] = &directive_names::<{ DIRECTIVES.len() }>();

const fn directive_names<const N: usize>() -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = DIRECTIVES[i].name;
        i += 1;
    }
    names
}

/// A directive of ours, as the registry knows it: its name, its arguments, its
/// output's shape, and how to parse an invocation. A struct rather than a trait,
/// so that [`DIRECTIVE_NAMES`] can be read from [`DIRECTIVES`] at compile time.
#[derive(Debug)]
pub struct DirectiveKind {
    /// The name after `{{#`.
    pub name: &'static str,
    /// The `key=value` and flag names it accepts.
    pub arguments: &'static [&'static str],
    /// What it makes when its output is a block, for diagnostics ("a table",
    /// "a list"); `None` for inline text.
    pub block: Option<&'static str>,
    /// Parses its arguments, checking every id against the model; the reader's
    /// leftovers are checked against `arguments` afterwards.
    pub parse: ParseFn,
}

/// How a [`DirectiveKind`] parses its arguments.
pub type ParseFn = fn(&mut ArgReader, &Model) -> Result<Box<dyn ParsedDirective>, ArgProblem>;

/// A parsed, validated directive of one kind.
pub trait ParsedDirective: Any + std::fmt::Debug + Send + Sync {
    /// The citations it shows, in reading order.
    fn citations(&self, model: &Model) -> Vec<CitationRequest>;

    /// Its Markdown, taking the rendered forms of [`Self::citations`] from `cites`
    /// in the same order.
    fn render(&self, cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String;
}

/// A parsed, validated directive, with its kind.
#[derive(Debug)]
pub struct Directive {
    kind: &'static DirectiveKind,
    parsed: Box<dyn ParsedDirective>,
}

impl Directive {
    /// Parses a directive of ours; `name` must be one of [`DIRECTIVE_NAMES`].
    pub fn parse(
        name: &str,
        args: Vec<Arg>,
        start: usize,
        model: &Model,
    ) -> Result<Directive, ArgProblem> {
        let kind = DIRECTIVES
            .iter()
            .find(|kind| kind.name == name)
            .unwrap_or_else(|| unreachable!("`{name}` is not one of DIRECTIVE_NAMES"));
        let mut reader = ArgReader::new(args, start);
        let parsed = (kind.parse)(&mut reader, model)?;
        reader.finish(name, kind.arguments)?;
        Ok(Directive { kind, parsed })
    }

    /// A citation written in Pandoc's syntax, as the `paper-citation` it stands for.
    pub fn pandoc_citation(
        citation: &crate::directive::PandocCitation<'_>,
        model: &Model,
    ) -> Result<Directive, ArgProblem> {
        let parsed = paper_citation::PaperCitation::from_pandoc(citation, model)?;
        Ok(Directive {
            kind: &paper_citation::KIND,
            parsed: Box::new(parsed),
        })
    }

    /// The bibliography, if it is one.
    pub fn as_bibliography(&self) -> Option<&Bibliography> {
        let parsed: &dyn Any = &*self.parsed;
        parsed.downcast_ref()
    }

    /// Whether the output is a block (table, list) rather than inline text.
    pub fn is_block(&self) -> bool {
        self.kind.block.is_some()
    }

    /// What a block directive makes, for diagnostics: "a table", "a list".
    pub fn block_kind(&self) -> &'static str {
        self.kind.block.unwrap_or("inline text")
    }

    /// The citations this directive shows, in reading order.
    pub fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        self.parsed.citations(model)
    }

    /// Renders Markdown; `citations` are the rendered forms of [`Self::citations`],
    /// and `first_site` the chapter-wide number (from 0) of the first of them, which
    /// names its citation-site anchor (see [`site_anchor`]).
    pub fn render(
        &self,
        cx: &RenderCx<'_>,
        citations: &[Arc<RenderedCitation>],
        first_site: usize,
    ) -> String {
        let mut cites = Citations {
            cx,
            rendered: citations.iter(),
            site: first_site,
        };
        self.parsed.render(cx, &mut cites)
    }
}

/// A parenthetical citation of a list of sources.
pub fn cite_sources(sources: &[Source]) -> CitationRequest {
    CitationRequest {
        items: sources
            .iter()
            .map(|s| CiteItem {
                key: s.work.clone(),
                locator: s.locator.clone(),
            })
            .collect(),
        form: CiteForm::Parenthetical,
        prefix: None,
        suffix: None,
    }
}

/// What every renderer may need about the book around the directive.
pub struct RenderCx<'a> {
    /// The data model.
    pub model: &'a Model,
    /// Output path of the chapter being rendered (relative to the source dir).
    pub chapter_path: &'a Path,
    /// The page listing the entries that citations link to, relative to this
    /// chapter and escaped for a link ("" for this page); `None` when no page does.
    pub entry_page: Option<String>,
    /// Rendered references by key, for hover titles and bibliographies.
    pub references: &'a HashMap<String, Reference>,
    /// Each reference's link fragment and hover title, escaped once per book.
    pub entry_links: &'a HashMap<String, EntryLink>,
    /// The works cited in the whole book, in the style's order.
    pub cited_in_book: &'a [String],
    /// Every known work, in the style's order (rendered only when a book asks for it).
    pub all_works: &'a [String],
    /// The works cited in the current chapter, in the style's order.
    pub cited_in_chapter: &'a [String],
    /// For each key, the chapters citing it, in reading order, with the anchors of
    /// the places that cite it.
    pub cited_by: &'a HashMap<String, Vec<CitingChapter<'a>>>,
    /// The book-unique prefix of this chapter's citation-site anchors (see
    /// [`site_anchor`]); `None` writes no anchors.
    pub site_prefix: Option<&'a str>,
    /// Whether the output may hold links: not inside a link's text, nor in a heading
    /// (mdBook wraps headings in an anchor link).
    pub links: bool,
    /// The words to write, in the book's language.
    pub words: &'static Words,
}

/// A chapter that cites a work, for the bibliography's back-references.
#[derive(Debug, Clone)]
pub struct CitingChapter<'b> {
    /// Its position in the book's reading order (from 0).
    pub index: usize,
    /// The chapter's title.
    pub name: &'b str,
    /// Its output path, relative to the source dir.
    pub path: &'b Path,
    /// Its citation-site anchor prefix (see [`site_prefixes`]).
    pub prefix: &'b str,
    /// The sites (see [`site_anchor`]) that cite the work in it and carry an
    /// anchor, in reading order.
    pub sites: Vec<usize>,
}

/// The HTML id of the `site`-th citation (from 0) of a chapter whose anchors
/// start with `prefix`. print.html puts every chapter on one page, so `prefix`
/// must be unique in the book: see [`site_prefixes`].
pub fn site_anchor(prefix: &str, site: usize) -> String {
    format!("cite-{prefix}-{}", site + 1)
}

/// A book-unique anchor prefix for each chapter path, in the order given: the
/// path without its extension, lowercased, with every run of other characters
/// than ASCII letters and digits as one `-` (`comparisons/full-table.md` gives
/// `comparisons-full-table`); a prefix already taken gets `-2`, `-3`, ...
pub fn site_prefixes<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    paths
        .into_iter()
        .map(|path| {
            let stem = path.with_extension("");
            let mut slug = String::new();
            for c in stem.to_string_lossy().chars() {
                if c.is_ascii_alphanumeric() {
                    slug.push(c.to_ascii_lowercase());
                } else if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
            let slug = match slug.trim_end_matches('-') {
                "" => "chapter".to_owned(),
                s => s.to_owned(),
            };
            let mut unique = slug.clone();
            let mut n = 1;
            while !taken.insert(unique.clone()) {
                n += 1;
                unique = format!("{slug}-{n}");
            }
            unique
        })
        .collect()
}

/// How citations link to a work's entry: `#ref-KEY` and a short preview of the
/// reference as hover title, both escaped for a Markdown link.
#[derive(Debug, Clone)]
pub struct EntryLink {
    fragment: String,
    title: Option<String>,
}

impl EntryLink {
    /// The link parts for the work `key`, whose entry reads `reference` (if known).
    pub fn new(key: &str, reference: Option<&Reference>) -> Self {
        EntryLink {
            fragment: markdown::escape_href(&format!("#{}", entry_anchor(key))).into_owned(),
            title: reference.map(|r| markdown::escape_link_title(&r.preview)),
        }
    }

    /// Link parts for every reference.
    pub fn for_references(references: &HashMap<String, Reference>) -> HashMap<String, EntryLink> {
        references
            .iter()
            .map(|(key, reference)| (key.clone(), EntryLink::new(key, Some(reference))))
            .collect()
    }
}

/// `entry_page` for a chapter at `chapter_path`: its own entries when it lists the
/// works it cites, else the book's bibliography page.
pub fn entry_page(
    chapter_path: &Path,
    lists_own_entries: bool,
    bibliography_page: Option<&Path>,
) -> Option<String> {
    if lists_own_entries {
        return Some(String::new());
    }
    let page = relative_link(chapter_path, bibliography_page?);
    Some(markdown::escape_href(&page).into_owned())
}

impl RenderCx<'_> {
    /// A rendered citation as Markdown, each work linked to its entry with the full
    /// reference as hover title.
    pub fn citation_markdown(&self, citation: &RenderedCitation) -> String {
        let mut out = String::with_capacity(256);
        for segment in &citation.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Work { key, markdown } => {
                    let Some(page) = &self.entry_page else {
                        out.push_str(markdown);
                        continue;
                    };
                    let unknown;
                    let link = match self.entry_links.get(key) {
                        Some(link) => link,
                        None => {
                            unknown = EntryLink::new(key, None);
                            &unknown
                        }
                    };
                    markdown::push_link(
                        &mut out,
                        markdown,
                        &[page, &link.fragment],
                        link.title.as_deref(),
                    );
                }
            }
        }
        out
    }
}

/// Hands out rendered citations in the order a directive asked for them.
pub struct Citations<'a, 'b> {
    cx: &'b RenderCx<'a>,
    rendered: std::slice::Iter<'b, Arc<RenderedCitation>>,
    /// The chapter-wide number of the next citation.
    site: usize,
}

/// One citation, apart from the anchor of its site.
pub struct CitationSite {
    /// The HTML id of the place citing, if the chapter has anchors.
    pub anchor: Option<String>,
    /// The citation as linked Markdown.
    pub markdown: String,
}

impl Citations<'_, '_> {
    /// The words to write, in the book's language.
    pub fn words(&self) -> &'static Words {
        self.cx.words
    }

    /// The next citation as linked Markdown, after an empty element holding its
    /// site's anchor, which the bibliography's back-references link to.
    pub fn next_markdown(&mut self) -> String {
        let site = self.next_site();
        match site.anchor {
            Some(id) => format!("{}{}", anchor_span(&id), site.markdown),
            None => site.markdown,
        }
    }

    /// The next citation and its site's anchor, for a renderer that places the
    /// anchor itself.
    pub fn next_site(&mut self) -> CitationSite {
        let anchor = self.cx.site_prefix.map(|p| site_anchor(p, self.site));
        self.site += 1;
        CitationSite {
            anchor,
            markdown: self
                .rendered
                .next()
                .map(|c| self.cx.citation_markdown(c))
                .unwrap_or_default(),
        }
    }
}

/// An empty element carrying `id`: a `<span>`, valid inside link text and
/// headings, where an `<a>` would end the enclosing link.
pub fn anchor_span(id: &str) -> String {
    format!("<span id=\"{id}\"></span>")
}

/// The HTML id of a work's bibliography entry.
pub fn entry_anchor(key: &str) -> String {
    format!("ref-{key}")
}

/// A link from the page at `from` to the page at `to`, both relative to the source
/// dir, ready for a Markdown link destination (spaces, parentheses and `%` in file
/// names are percent-encoded); empty when they are the same page. mdBook serves
/// `README.md` as `index.html`.
pub fn relative_link(from: &Path, to: &Path) -> String {
    let to = served_path(to);
    if served_path(from) == to {
        return String::new();
    }
    let depth = from.parent().map_or(0, |p| p.components().count());
    let mut link = "../".repeat(depth);
    let parts: Vec<String> = to
        .components()
        .map(|c| markdown::encode_path_segment(&c.as_os_str().to_string_lossy()))
        .collect();
    link.push_str(&parts.join("/"));
    link
}

fn served_path(path: &Path) -> PathBuf {
    match path.file_name() {
        Some(name) if name.eq_ignore_ascii_case("README.md") => path.with_file_name("index.md"),
        _ => path.to_path_buf(),
    }
}

/// Parses a framework id argument, with a suggestion when it is unknown.
pub(crate) fn framework_id(model: &Model, offset: usize, id: &str) -> Result<String, ArgProblem> {
    if model.framework(id).is_some() {
        return Ok(id.to_owned());
    }
    let hint = match crate::diagnostics::did_you_mean(
        id,
        model.frameworks().iter().map(|f| f.id.as_str()),
    ) {
        Some(hint) => hint,
        None => format!(
            "known frameworks: {}",
            crate::diagnostics::one_of(model.frameworks().iter().map(|f| f.id.as_str()))
        ),
    };
    Err((offset, format!("unknown framework `{id}`"), Some(hint)))
}

/// Renders a GitHub-style table; cells must already be single-line Markdown. Any
/// `|` left unescaped in a cell (a hover title, a URL) is escaped here, so that
/// nothing a cell holds can end it.
pub(crate) fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<_> = cells.iter().map(|c| markdown::escape_pipes(c)).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = vec![line(header), format!("|{}", "---|".repeat(header.len()))];
    out.extend(rows.iter().map(|r| line(r)));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_exactly_the_registered_directives_in_order() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("\n## Directives\n")
            .nth(1)
            .expect("README has a \"## Directives\" section");
        let section = section.split("\n## ").next().unwrap_or(section);
        let listed: Vec<&str> = section
            .lines()
            .take_while(|line| !line.starts_with('#'))
            .filter_map(|line| line.strip_prefix("| `{{#"))
            .map(|rest| rest.split([' ', '}']).next().unwrap_or(rest))
            .collect();
        let registered: Vec<&str> = DIRECTIVES.iter().map(|kind| kind.name).collect();
        assert_eq!(listed, registered);
        assert_eq!(DIRECTIVE_NAMES, registered);
    }

    #[test]
    fn relative_links_from_nested_chapters() {
        assert_eq!(
            relative_link(Path::new("a.md"), Path::new("bib.md")),
            "bib.md"
        );
        assert_eq!(
            relative_link(Path::new("x/y/a.md"), Path::new("bib.md")),
            "../../bib.md"
        );
        assert_eq!(
            relative_link(Path::new("x/a.md"), Path::new("x/b.md")),
            "../x/b.md"
        );
        assert_eq!(relative_link(Path::new("bib.md"), Path::new("bib.md")), "");
        assert_eq!(
            relative_link(Path::new("a.md"), Path::new("refs/README.md")),
            "refs/index.md"
        );
        assert_eq!(
            relative_link(Path::new("x y/a.md"), Path::new("a b (1)/50%é.md")),
            "../a%20b%20%281%29/50%25é.md"
        );
    }

    #[test]
    fn tables_are_github_style() {
        let t = table(&["A".into(), "B".into()], &[vec!["1".into(), "2".into()]]);
        assert_eq!(t, "| A | B |\n|---|---|\n| 1 | 2 |");
        let t = table(&["A".into()], &[vec!["[x](#k \"a | b\") c \\| d".into()]]);
        assert_eq!(t, "| A |\n|---|\n| [x](#k \"a \\| b\") c \\| d |");
    }

    #[test]
    fn site_prefixes_are_readable_and_unique_in_the_book() {
        let paths = [
            "introduction.md",
            "comparisons/full-table.md",
            "comparisons-full_table.md",
            "Ünï/ 2.md",
            "---.md",
        ];
        let prefixes = site_prefixes(paths.iter().map(Path::new));
        assert_eq!(
            prefixes,
            [
                "introduction",
                "comparisons-full-table",
                "comparisons-full-table-2",
                "n-2",
                "chapter"
            ]
        );
        assert_eq!(site_anchor("introduction", 0), "cite-introduction-1");
    }
}
