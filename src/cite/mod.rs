//! The citation engine: renders in-text citations and reference lists of the
//! book's works in a CSL style, through hayagriva, as escaped Markdown.
//!
//! All citations of a book are rendered in one pass ([`CitationEngine::render`]),
//! so numbering follows first citation and year suffixes (2016a, 2016b) are
//! assigned book-wide.
//!
//! The parts, one job a file (laid out as hayagriva's own `csl` module is):
//!
//! - `mod.rs`: the public types, what callers ask for and get back.
//! - `engine.rs`: [`CitationEngine`]: plans what hayagriva is asked for each
//!   distinct citation, puts its answer together as segments, and lists references.
//! - `batch.rs`: renders the planned citations in batches, one hayagriva driver
//!   a core, and the render cache's slots.
//! - `year_suffix.rs`: year suffixes (2016a, 2016b) assigned here, not by
//!   hayagriva, until a hayagriva release gives them to every ambiguous group.
//! - `et_al.rs`: BibTeX's `and others` becomes the style's "et al.".
//! - `output.rs`: hayagriva's output tree as escaped Markdown and plain text.
//! - `style.rs`: [`CitationStyle`]: built-in and local CSL styles, and their locale.
//! - `cache.rs`: [`RenderCache`]: what was rendered, kept between runs.

mod batch;
mod cache;
mod engine;
mod et_al;
#[cfg(test)]
mod fixtures;
mod output;
mod style;
mod year_suffix;

use std::sync::Arc;

pub use crate::model::works::export::to_bibtex;
pub use cache::RenderCache;
pub use engine::CitationEngine;
pub use style::{CitationStyle, StyleError};

use crate::model::Locator;

/// How a citation appears in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CiteForm {
    /// "(Paszke et al., 2019)" or "\[1\]".
    #[default]
    Parenthetical,
    /// "Paszke et al. (2019)" or "Paszke et al. \[1\]", for use in prose.
    Narrative,
    /// "2019" (with its year suffix, e.g. "2016a", in author–date styles).
    YearOnly,
    /// "Paszke et al.".
    AuthorOnly,
}

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CiteItem {
    /// Key of a [`Work`](crate::model::Work).
    pub key: String,
    /// Page, section or chapter cited.
    pub locator: Option<Locator>,
}

/// One citation in the text: one or more works in one form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CitationRequest {
    /// The cited works, in the author's order (styles may sort them).
    pub items: Vec<CiteItem>,
    /// How the citation appears.
    pub form: CiteForm,
    /// Markdown put before the first work, inside the brackets: "(see ...".
    pub prefix: Option<String>,
    /// Markdown put after the last work, inside the brackets: "..., for a survey)".
    /// A comma is added before it unless it starts with punctuation.
    pub suffix: Option<String>,
}

/// A piece of a rendered citation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Segment {
    /// Markdown, escaped: brackets, delimiters, prefix and suffix.
    Text(String),
    /// The part naming one work, for the caller to turn into a link.
    Work {
        /// Key of the cited [`Work`](crate::model::Work).
        key: String,
        /// Markdown, escaped: "1" in numeric styles, "Paszke et al., 2019" in author–date ones.
        markdown: String,
    },
}

/// One rendered citation, as segments so that each work can become a link
/// with a chapter-relative href.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedCitation {
    /// The pieces, in reading order.
    pub segments: Vec<Segment>,
}

impl RenderedCitation {
    /// The citation as Markdown without links.
    pub fn to_markdown(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.as_str(),
                Segment::Work { markdown, .. } => markdown.as_str(),
            })
            .collect()
    }
}

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    /// Key of the [`Work`](crate::model::Work).
    pub key: String,
    /// The formatted entry as Markdown: italics as `*...*`, text escaped, DOIs,
    /// arXiv ids and URLs as links. Numeric styles start with the label, e.g. `\[1\]`.
    pub markdown: String,
    /// The same entry as plain text.
    pub plain: String,
    /// A short plain-text preview for hover titles: the first author and "et
    /// al." in the style's words, the year, the title and the container
    /// ("Paszke et al. (2019). PyTorch: An Imperative Style…. Advances in …").
    /// The full entry is one click away, and a page cites the same work many times.
    pub preview: String,
}

/// The result of rendering all citations of a book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// One per request, in the same order. Identical requests share one value.
    pub citations: Vec<Arc<RenderedCitation>>,
    /// The works cited, in the style's bibliography order.
    pub references: Vec<Reference>,
}
