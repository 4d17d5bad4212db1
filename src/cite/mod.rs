//! The citation engine: renders in-text citations and reference lists of the
//! book's works in a CSL style, through hayagriva, as escaped Markdown.
//!
//! All citations of a book are rendered in one pass ([`CitationEngine::render`]),
//! so numbering follows first citation and year suffixes (2016a, 2016b) are
//! assigned book-wide.

mod cache;
mod output;
mod style;

use std::collections::HashMap;
use std::sync::Arc;

use hayagriva as hg;
use hayagriva::citationberg::IndependentStyle;
use hayagriva::citationberg::taxonomy::Locator as CslLocator;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose, ElemChild, ElemChildren,
    ElemMeta, Entry, LocatorPayload, SpecificLocator,
};

pub use crate::model::works::export::to_bibtex;
pub use cache::RenderCache;
pub use style::{CitationStyle, StyleError};

use crate::markdown::{escape_text, inline_markdown};
use crate::model::works::ET_AL_MARK;
use crate::model::{Locator, Work};
use crate::parallel;
use output::{Run, Skip};

/// Distinct citations below this many per core are rendered on one: each extra
/// batch renders every cited work once more.
const PLANS_PER_BATCH: usize = 100;

/// How a citation appears in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CiteForm {
    /// "(Paszke et al., 2019)" or "[1]".
    #[default]
    Parenthetical,
    /// "Paszke et al. (2019)" or "Paszke et al. [1]", for use in prose.
    Narrative,
    /// "2019" (with its year suffix, e.g. "2016a", in author–date styles).
    YearOnly,
    /// "Paszke et al.".
    AuthorOnly,
}

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CiteItem {
    /// Key of a [`Work`].
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
        /// Key of the cited [`Work`].
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
    /// Key of the [`Work`].
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

/// What the book's works render to when first cited in one order: year
/// suffixes, the reference list, and each distinct citation by
/// [`citation_key`]. The render cache keeps one per book.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct CitedWorks {
    suffixes: HashMap<String, String>,
    references: Vec<Reference>,
    citations: HashMap<String, RenderedCitation>,
}

/// Identifies a distinct citation (works, locators and form) in the render cache.
fn citation_key(request: &CitationRequest) -> String {
    let mut key = cache::KeyHasher::plain();
    key.add((&request.items, request.form));
    format!("{:032x}", key.finish())
}

/// The result of rendering all citations of a book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// One per request, in the same order. Identical requests share one value.
    pub citations: Vec<Arc<RenderedCitation>>,
    /// The works cited, in the style's bibliography order.
    pub references: Vec<Reference>,
}

/// Renders citations and references of a set of works in one style.
pub struct CitationEngine<'a> {
    style: &'a CitationStyle,
    works: Vec<&'a Work>,
    by_key: HashMap<&'a str, usize>,
    cache: Option<RenderCache>,
}

/// What hayagriva is asked for one distinct request, and how to put it together.
struct Plan {
    /// Known items: index into the engine's entries, and the locator.
    items: Vec<(usize, Option<(CslLocator, String)>)>,
    form: CiteForm,
    /// Keys named in the request that no work has.
    unknown: Vec<String>,
    /// Index of this plan's first hayagriva citation.
    first_citation: usize,
}

impl<'a> CitationEngine<'a> {
    /// Prepares the works; the first of several works with one key wins.
    pub fn new(style: &'a CitationStyle, works: impl IntoIterator<Item = &'a Work>) -> Self {
        let mut engine = CitationEngine {
            style,
            works: Vec::new(),
            by_key: HashMap::new(),
            cache: None,
        };
        for work in works {
            if engine.by_key.contains_key(work.key()) {
                continue;
            }
            engine.by_key.insert(work.key(), engine.works.len());
            engine.works.push(work);
        }
        engine
    }

    fn entry(&self, index: usize) -> &'a Entry {
        &self.works[index].entry
    }

    /// Keeps what is rendered in `cache` and reuses it while nothing it depends on
    /// changes.
    pub fn with_cache(mut self, cache: Option<RenderCache>) -> Self {
        self.cache = cache;
        self
    }

    /// `render()`, or what it returned last time for the same style, works and
    /// whatever `add_to_key` adds.
    fn cached<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        slot: &str,
        add_to_key: impl FnOnce(&mut cache::KeyHasher),
        render: impl FnOnce() -> T,
    ) -> T {
        let Some(cache) = &self.cache else {
            return render();
        };
        let mut key = self.key_of_works(cache);
        add_to_key(&mut key);
        let key = key.finish();
        if let Some(value) = cache.load(slot, key) {
            return value;
        }
        let value = render();
        cache.store(slot, key, &value);
        value
    }

    /// Renders all citations of the whole book at once, in reading order.
    ///
    /// Identical requests (same works, locators and form) are rendered once:
    /// a book may have thousands of citations of a few dozen distinct forms.
    pub fn render<'r>(&self, requests: impl IntoIterator<Item = &'r CitationRequest>) -> Rendered {
        let requests: Vec<&CitationRequest> = requests.into_iter().collect();
        let mut distinct: HashMap<(&[CiteItem], CiteForm), usize> = HashMap::new();
        let mut distinct_requests: Vec<&CitationRequest> = Vec::new();
        let mut plan_of_request = Vec::with_capacity(requests.len());
        for &request in &requests {
            let id = *distinct
                .entry((&request.items, request.form))
                .or_insert_with(|| {
                    distinct_requests.push(request);
                    distinct_requests.len() - 1
                });
            plan_of_request.push(id);
        }

        let (rendered, references) = self.render_distinct(&distinct_requests);
        let rendered: Vec<Arc<RenderedCitation>> = rendered.into_iter().map(Arc::new).collect();
        let citations = requests
            .iter()
            .zip(plan_of_request)
            .map(|(request, plan)| {
                if request.prefix.is_none() && request.suffix.is_none() {
                    Arc::clone(&rendered[plan])
                } else {
                    let citation = RenderedCitation::clone(&rendered[plan]);
                    Arc::new(with_affixes(citation, &request.prefix, &request.suffix))
                }
            })
            .collect();
        Rendered {
            citations,
            references,
        }
    }

    /// What hayagriva is asked for each distinct request, in order.
    fn plans(&self, distinct_requests: &[&CitationRequest]) -> Vec<Plan> {
        let mut citations = 0;
        distinct_requests
            .iter()
            .map(|request| {
                let plan = self.plan(request, citations);
                citations += self.citation_count(&plan);
                plan
            })
            .collect()
    }

    /// Renders each distinct request once (without prefix and suffix), and the
    /// reference list of the works they cite: the part that takes hayagriva.
    ///
    /// A citation's text depends on its own works, locators and form, on the style
    /// and the works' data, and on the order in which the book first cites each
    /// work (which numbers the works and decides year suffixes). The render cache
    /// keeps, under a key of the style, the data and that order, every distinct
    /// citation of the last run by its works, locators and form: a rebuild renders
    /// only the citations that are new, such as one more citation of a work the
    /// book already cites.
    fn render_distinct(
        &self,
        distinct: &[&CitationRequest],
    ) -> (Vec<RenderedCitation>, Vec<Reference>) {
        let first_cited = self.first_cited(distinct);
        let keys: Vec<String> = distinct.iter().map(|r| citation_key(r)).collect();
        let slot = self
            .cache
            .as_ref()
            .map(|cache| (cache, self.works_key(cache, &first_cited)));
        let stored: Option<CitedWorks> = slot.and_then(|(cache, key)| cache.load("cited", key));
        let has_list = stored.is_some();
        let mut works = stored.unwrap_or_default();
        let missing: Vec<&CitationRequest> = distinct
            .iter()
            .zip(&keys)
            .filter(|(_, key)| !works.citations.contains_key(*key))
            .map(|(request, _)| *request)
            .collect();
        let mut changed = !missing.is_empty() || !has_list;
        if changed {
            let plans = self.plans(&missing);
            let batches = parallel::cores().min(plans.len() / PLANS_PER_BATCH).max(1);
            let (citations, list) = self.render_plans(&plans, &first_cited, !has_list, batches);
            if let Some(list) = list {
                works.suffixes = self.year_suffixes(&first_cited, &list);
                works.references = self.references(list.bibliography);
                for reference in &mut works.references {
                    self.add_year_suffix(&works.suffixes, &reference.key, &mut reference.markdown);
                    self.add_year_suffix(&works.suffixes, &reference.key, &mut reference.plain);
                }
            }
            for (request, mut citation) in missing.iter().zip(citations) {
                for segment in &mut citation.segments {
                    if let Segment::Work { key, markdown } = segment {
                        self.add_year_suffix(&works.suffixes, key, markdown);
                    }
                }
                works.citations.insert(citation_key(request), citation);
            }
        }
        // Citations the book no longer makes are dropped, so the file stays as
        // large as the book.
        let before = works.citations.len();
        let used: std::collections::HashSet<&String> = keys.iter().collect();
        works.citations.retain(|key, _| used.contains(key));
        changed |= works.citations.len() != before;
        if let (Some((cache, key)), true) = (slot, changed) {
            cache.store("cited", key, &works);
        }
        let rendered = keys
            .iter()
            .map(|key| works.citations.remove(key).unwrap_or_default())
            .collect();
        (rendered, works.references)
    }

    /// Index of each cited work's entry, in order of first citation.
    fn first_cited(&self, distinct: &[&CitationRequest]) -> Vec<usize> {
        let mut seen = vec![false; self.works.len()];
        let mut first_cited = Vec::new();
        for item in distinct.iter().flat_map(|r| &r.items) {
            if let Some(&entry) = self.by_key.get(item.key.as_str())
                && !std::mem::replace(&mut seen[entry], true)
            {
                first_cited.push(entry);
            }
        }
        first_cited
    }

    /// A cache key covering this program, the style and every work's data.
    fn key_of_works(&self, cache: &RenderCache) -> cache::KeyHasher {
        let mut key = cache.key();
        key.add(self.style.identity);
        // Terms, dates and "et al." follow the locale.
        key.add(self.style.locale_key());
        // The entries alone: where a work is defined does not change its text.
        for work in &self.works {
            key.add_debug(&work.entry);
        }
        key
    }

    /// The render cache's key for the works cited in the order `first_cited`.
    fn works_key(&self, cache: &RenderCache, first_cited: &[usize]) -> u128 {
        let mut key = self.key_of_works(cache);
        for &entry in first_cited {
            key.add(self.works[entry].key());
        }
        key.finish()
    }

    /// Renders `plans` in `batches`, on as many cores, by drivers of their own.
    /// Each driver first cites every work once, in order of first citation, so
    /// that a citation comes out the same whichever other citations share its
    /// driver: hayagriva numbers works by first citation, and ambiguity is
    /// decided here from those first citations. Returns each plan's citation
    /// (without year suffixes) and, when `with_list`, the first driver's result,
    /// whose first citations and reference list the caller needs.
    fn render_plans(
        &self,
        plans: &[Plan],
        first_cited: &[usize],
        with_list: bool,
        batches: usize,
    ) -> (Vec<RenderedCitation>, Option<hg::Rendered>) {
        if plans.is_empty() {
            // Nothing is cited, so the reference list is empty too.
            return (Vec::new(), None);
        }
        let batch_len = plans.len().div_ceil(batches.max(1));
        let batches: Vec<&[Plan]> = plans.chunks(batch_len).collect();
        // In author–date styles only the list asked for is rendered; in numeric
        // ones every driver renders it, as it may decide the numbers.
        let style = self.style.parsed();
        let citations_only = (!style.numeric && (batches.len() > 1 || !with_list)).then(|| {
            let mut csl = style.csl.clone();
            csl.bibliography = None;
            csl
        });
        let numbered: Vec<(usize, &[Plan])> = batches.iter().copied().enumerate().collect();
        let mut results = parallel::map_each(&numbered, |&(i, batch)| {
            let csl = match &citations_only {
                Some(csl) if i > 0 || !with_list => csl,
                _ => &style.csl,
            };
            self.render_batch(csl, first_cited, batch)
        });
        let extra = first_cited.len();
        let mut rendered = Vec::with_capacity(plans.len());
        for (batch, result) in batches.iter().zip(&results) {
            let base = batch.first().map_or(0, |p| p.first_citation);
            for plan in *batch {
                rendered.push(self.assemble(plan, &result.citations[extra..], base));
            }
        }
        let list = (with_list && !results.is_empty()).then(|| results.swap_remove(0));
        (rendered, list)
    }

    /// One driver's work: every work once (see [`Self::render_plans`]), then
    /// the batch's plans.
    fn render_batch(
        &self,
        csl: &IndependentStyle,
        first_cited: &[usize],
        plans: &[Plan],
    ) -> hg::Rendered {
        let style = self.style.parsed();
        let locales = self.style.locale_files();
        let locale = self.style.locale();
        let request =
            |items, csl| hg::CitationRequest::new(items, csl, locale.clone(), locales, None);
        let mut driver = BibliographyDriver::new();
        for &entry in first_cited {
            let items = vec![CitationItem::with_entry(self.entry(entry))];
            driver.citation(request(items, csl));
        }
        for plan in plans {
            let item = |i| self.hg_item(i);
            match self.purpose(plan.form) {
                None => {
                    if plan.items.is_empty() {
                        continue;
                    }
                    let items = plan.items.iter().map(item).collect();
                    driver.citation(request(items, csl));
                }
                Some(purpose) => {
                    let csl = match purpose {
                        CitePurpose::Prose | CitePurpose::Author if style.numeric => {
                            &style.csl_short_names
                        }
                        _ => csl,
                    };
                    for i in &plan.items {
                        let items = vec![item(i).kind(purpose)];
                        driver.citation(request(items, csl));
                    }
                }
            }
        }
        driver.finish(BibliographyRequest::new(csl, locale, locales))
    }

    /// Year suffixes for works whose plain citations read alike ("Chollet, 2015"),
    /// lettered in reference-list order as APA and Chicago prescribe.
    fn year_suffixes(
        &self,
        first_cited: &[usize],
        result: &hg::Rendered,
    ) -> HashMap<String, String> {
        let mut suffixes = HashMap::new();
        if !self.style.parsed().year_suffixes {
            return suffixes;
        }
        let list_position: HashMap<&str, usize> = result
            .bibliography
            .iter()
            .flat_map(|b| b.items.iter())
            .enumerate()
            .map(|(i, item)| (item.key.as_str(), i))
            .collect();
        let mut alike: HashMap<String, Vec<usize>> = HashMap::new();
        for (citation, &entry) in result.citations.iter().zip(first_cited) {
            alike
                .entry(format!("{:#}", citation.citation))
                .or_default()
                .push(entry);
        }
        for mut group in alike.into_values().filter(|g| g.len() > 1) {
            group.sort_by_key(|&e| {
                list_position
                    .get(self.works[e].key())
                    .copied()
                    .unwrap_or(usize::MAX)
            });
            for (i, entry) in group.into_iter().enumerate() {
                suffixes.insert(self.works[entry].key().to_owned(), suffix_letters(i));
            }
        }
        suffixes
    }

    /// Puts a work's year suffix right after the first occurrence of its year.
    fn add_year_suffix(&self, suffixes: &HashMap<String, String>, key: &str, text: &mut String) {
        let (Some(suffix), Some(&i)) = (suffixes.get(key), self.by_key.get(key)) else {
            return;
        };
        let Some(year) = self.works[i].year().map(|y| y.to_string()) else {
            return;
        };
        if let Some(at) = text.find(&year) {
            text.insert_str(at + year.len(), suffix);
        }
    }

    /// Every known work's reference, in the style's order, for `{{#bibliography all}}`.
    pub fn render_all_references(&self) -> Vec<Reference> {
        self.cached("all", |_| {}, || self.render_every_reference())
    }

    fn render_every_reference(&self) -> Vec<Reference> {
        let csl = &self.style.parsed().csl;
        let locales = self.style.locale_files();
        let locale = self.style.locale();
        let mut driver = BibliographyDriver::new();
        for work in &self.works {
            let entry = &work.entry;
            // Hidden: the works are cited only to be listed.
            let item = CitationItem::new(entry, None, None, true, None);
            let items = vec![item];
            driver.citation(hg::CitationRequest::new(
                items,
                csl,
                locale.clone(),
                locales,
                None,
            ));
        }
        self.references(
            driver
                .finish(BibliographyRequest::new(csl, locale, locales))
                .bibliography,
        )
    }

    fn plan(&self, request: &CitationRequest, first_citation: usize) -> Plan {
        let mut items = Vec::new();
        let mut unknown = Vec::new();
        for item in &request.items {
            match self.by_key.get(item.key.as_str()) {
                Some(&i) => items.push((i, item.locator.as_ref().map(csl_locator))),
                None => unknown.push(item.key.clone()),
            }
        }
        Plan {
            items,
            form: request.form,
            unknown,
            first_citation,
        }
    }

    /// Parenthetical citations are one hayagriva citation; the other forms are
    /// one per work, joined here ("A (2016) and B (2019)").
    fn purpose(&self, form: CiteForm) -> Option<CitePurpose> {
        match form {
            CiteForm::Parenthetical => None,
            CiteForm::Narrative => Some(CitePurpose::Prose),
            CiteForm::AuthorOnly => Some(CitePurpose::Author),
            // hayagriva's year purpose drops the year suffix, so author–date
            // styles take the year from the narrative form instead.
            CiteForm::YearOnly if self.style.is_numeric() => Some(CitePurpose::Year),
            CiteForm::YearOnly => Some(CitePurpose::Prose),
        }
    }

    fn citation_count(&self, plan: &Plan) -> usize {
        match self.purpose(plan.form) {
            None => usize::from(!plan.items.is_empty()),
            Some(_) => plan.items.len(),
        }
    }

    /// Puts one plan's citation together from its batch's `citations`, whose first
    /// is the hayagriva citation numbered `base` in the whole book.
    fn assemble(
        &self,
        plan: &Plan,
        citations: &[hg::RenderedCitation],
        base: usize,
    ) -> RenderedCitation {
        let first = plan.first_citation - base;
        let key = |i: usize| self.works[plan.items[i].0].key().to_owned();
        let mut segments = Vec::new();
        if !plan.items.is_empty() {
            match self.purpose(plan.form) {
                None => {
                    let keys: Vec<String> = (0..plan.items.len()).map(key).collect();
                    segments = citation_segments(&citations[first].citation, &keys);
                }
                Some(_) => {
                    let count = plan.items.len();
                    for i in 0..count {
                        let children = &citations[first + i].citation;
                        if i > 0 {
                            segments.push(Segment::Text(joiner(plan.form, i, count).into()));
                        }
                        let markdown = self.single(plan.form, children);
                        segments.push(Segment::Work {
                            key: key(i),
                            markdown,
                        });
                    }
                }
            }
        }
        if !plan.unknown.is_empty() {
            // Validation normally rejects unknown keys; show them rather than drop them.
            if !segments.is_empty() {
                segments.push(Segment::Text("; ".into()));
            }
            segments.push(Segment::Text(escape_text(&format!(
                "?{}",
                plan.unknown.join(", ?")
            ))));
        }
        let et_al = self.style.et_al();
        for segment in &mut segments {
            let (Segment::Work { markdown, .. } | Segment::Text(markdown)) = segment;
            *markdown = resolve_et_al(markdown, et_al);
        }
        RenderedCitation { segments }
    }

    /// One work cited alone in a non-parenthetical form.
    fn single(&self, form: CiteForm, children: &ElemChildren) -> String {
        if form == CiteForm::YearOnly && !self.style.is_numeric() {
            // "Abadi et al. (2016a, p. 5)" without the names and the brackets.
            let text = output::to_markdown(&output::runs(children, Skip { names: true }));
            let layout = &self.style.parsed().csl.citation.layout;
            let open = escape_text(layout.prefix.as_deref().unwrap_or("("));
            let close = escape_text(layout.suffix.as_deref().unwrap_or(")"));
            let text = text.trim();
            let text = text.strip_prefix(open.as_str()).unwrap_or(text);
            let text = text.strip_suffix(close.as_str()).unwrap_or(text);
            return text.trim().to_string();
        }
        output::to_markdown(&output::runs(children, Skip::default()))
            .trim()
            .to_string()
    }

    fn references(&self, bibliography: Option<hg::RenderedBibliography>) -> Vec<Reference> {
        let Some(bibliography) = bibliography else {
            return Vec::new();
        };
        bibliography
            .items
            .into_iter()
            .map(|item| {
                let mut runs = Vec::new();
                if let Some(first) = item.first_field {
                    runs.extend(output::runs(&ElemChildren(vec![first]), Skip::default()));
                    runs.extend(output::runs(&ElemChildren(vec![space()]), Skip::default()));
                }
                runs.extend(output::runs(&item.content, Skip::default()));
                if let Some(work) = self.by_key.get(item.key.as_str()).map(|&i| self.works[i]) {
                    if let Some(doi) = work.entry.doi() {
                        runs = output::linkify(runs, doi, &format!("https://doi.org/{doi}"));
                    }
                    if let Some(arxiv) = work.entry.arxiv() {
                        runs =
                            output::linkify(runs, arxiv, &format!("https://arxiv.org/abs/{arxiv}"));
                    }
                }
                let et_al = self.style.et_al();
                let preview = self
                    .by_key
                    .get(item.key.as_str())
                    .map(|&i| preview(self.works[i], et_al))
                    .unwrap_or_default();
                Reference {
                    preview,
                    key: item.key,
                    markdown: resolve_et_al(output::to_markdown(&runs).trim(), et_al),
                    plain: resolve_et_al(output::to_plain(&runs).trim(), et_al),
                }
            })
            .collect()
    }
}

/// `a`…`z`, then `aa`, `ab`, … as CSL numbers year suffixes.
fn suffix_letters(index: usize) -> String {
    let letter = |i: usize| char::from(b'a' + (i % 26) as u8);
    if index < 26 {
        letter(index).to_string()
    } else {
        format!("{}{}", letter(index / 26 - 1), letter(index))
    }
}

impl<'a> CitationEngine<'a> {
    fn hg_item<'x>(
        &self,
        (entry, locator): &'x (usize, Option<(CslLocator, String)>),
    ) -> CitationItem<'x, Entry>
    where
        'a: 'x,
    {
        let locator = locator
            .as_ref()
            .map(|(kind, value)| SpecificLocator(*kind, LocatorPayload::Str(value)));
        CitationItem::with_locator(self.entry(*entry), locator)
    }
}

/// A short description of a work for hover titles (see [`Reference::preview`]).
fn preview(work: &Work, et_al: &str) -> String {
    let entry = &work.entry;
    let people = entry
        .authors()
        .or_else(|| entry.editors())
        .or_else(|| entry.parents().first().and_then(|p| p.editors()))
        .unwrap_or_default();
    let family = |i: usize| people[i].name.as_str();
    let cut_short = people.last().is_some_and(|p| p.name == ET_AL_MARK);
    let names = match people.len() {
        0 => String::new(),
        1 => family(0).to_owned(),
        2 if !cut_short => format!("{} and {}", family(0), family(1)),
        _ => format!("{} {et_al}", family(0)),
    };
    let year = work
        .year()
        .map_or_else(|| "n.d.".to_owned(), |y| y.to_string());
    let mut text = if names.is_empty() {
        format!("{} ({year}).", work.title())
    } else {
        format!("{names} ({year}). {}.", work.title())
    };
    if let Some(container) = entry.parents().first().and_then(|p| p.title()) {
        text.push(' ');
        text.push_str(&container.value.to_string());
        text.push('.');
    }
    text.replace("..", ".")
        .replace("?.", "?")
        .replace("!.", "!")
}

/// Turns the mark that stands for BibTeX's `and others` into the style's
/// "et al.", dropping the "and"/"&" the style put before it as before a last
/// name: "Smith, J., & ⟨mark⟩" becomes "Smith, J., et al.", "Smith & ⟨mark⟩" "Smith et al.".
fn resolve_et_al(text: &str, et_al: &str) -> String {
    if !text.contains(ET_AL_MARK) {
        return text.to_owned();
    }
    static BEFORE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let before = BEFORE.get_or_init(|| {
        regex::Regex::new(&format!(
            r"(,?)\s*(?:(?:&amp;|\\&|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*)?{ET_AL_MARK}"
        ))
        .expect("a valid pattern")
    });
    let resolved = before.replace_all(text, |caps: &regex::Captures| {
        if caps[1].is_empty() {
            format!(" {et_al}")
        } else {
            format!(", {et_al}")
        }
    });
    // The style's period after the last name meets the term's own.
    match et_al.strip_suffix('.') {
        Some(_) => resolved.replace(&format!("{et_al}."), et_al),
        None => resolved.into_owned(),
    }
}

fn space() -> ElemChild {
    ElemChild::Text(hg::Formatted {
        text: " ".into(),
        formatting: hg::Formatting::default(),
    })
}

fn csl_locator(locator: &Locator) -> (CslLocator, String) {
    let kind = match locator {
        Locator::Page(_) => CslLocator::Page,
        Locator::Section(_) => CslLocator::Section,
        Locator::Chapter(_) => CslLocator::Chapter,
    };
    // Data may write ranges BibTeX-style; the style decides the dash.
    (kind, locator.value().replace("--", "-").replace('–', "-"))
}

/// Between the `i`-th of `count` works cited one by one.
fn joiner(form: CiteForm, i: usize, count: usize) -> &'static str {
    match form {
        CiteForm::YearOnly => ", ",
        _ if count == 2 => " and ",
        _ if i + 1 == count => ", and ",
        _ => ", ",
    }
}

/// Splits a parenthetical citation into text and one segment per work.
/// In numeric styles only the number is the work ("\[" "1" ", p. 5\]").
fn citation_segments(children: &ElemChildren, keys: &[String]) -> Vec<Segment> {
    let mut parts: Vec<(Option<String>, Vec<Run>)> = Vec::new();
    let mut text =
        |parts: &mut Vec<(Option<String>, Vec<Run>)>, runs: Vec<Run>| match parts.last_mut() {
            Some((None, last)) => last.extend(runs),
            _ => parts.push((None, runs)),
        };
    for child in &children.0 {
        match child {
            ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Entry(_))) => {
                let Some(ElemMeta::Entry(i)) = e.meta else {
                    unreachable!()
                };
                let key = keys.get(i).cloned().unwrap_or_default();
                let number = e.children.find_meta(&ElemMeta::CitationNumber).is_some();
                if number {
                    split_number(&e.children, &key, &mut parts, &mut text);
                } else {
                    parts.push((Some(key), output::runs(&e.children, Skip::default())));
                }
            }
            other => text(
                &mut parts,
                output::runs(&ElemChildren(vec![other.clone()]), Skip::default()),
            ),
        }
    }

    let mut segments: Vec<Segment> = Vec::new();
    let count = parts.len();
    for (i, (key, runs)) in parts.into_iter().enumerate() {
        let mut md = output::to_markdown(&runs);
        if i == 0 {
            md = md.trim_start().to_string();
        }
        if i + 1 == count {
            md = md.trim_end().to_string();
        }
        match key {
            Some(key) => {
                // Spaces around a work belong to the text beside it.
                if md.starts_with(' ') {
                    push_text(&mut segments, " ");
                }
                let trailing = md.ends_with(' ');
                segments.push(Segment::Work {
                    key,
                    markdown: md.trim().to_string(),
                });
                if trailing {
                    push_text(&mut segments, " ");
                }
            }
            None => push_text(&mut segments, &md),
        }
    }
    segments
}

/// Walks a numeric entry, making its citation number a work segment.
fn split_number(
    children: &ElemChildren,
    key: &str,
    parts: &mut Vec<(Option<String>, Vec<Run>)>,
    text: &mut impl FnMut(&mut Vec<(Option<String>, Vec<Run>)>, Vec<Run>),
) {
    for child in &children.0 {
        match child {
            ElemChild::Elem(e) if e.meta == Some(ElemMeta::CitationNumber) => {
                parts.push((
                    Some(key.to_string()),
                    output::runs(&e.children, Skip::default()),
                ));
            }
            ElemChild::Elem(e) if e.children.find_meta(&ElemMeta::CitationNumber).is_some() => {
                split_number(&e.children, key, parts, text);
            }
            other => text(
                parts,
                output::runs(&ElemChildren(vec![other.clone()]), Skip::default()),
            ),
        }
    }
}

fn push_text(segments: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Segment::Text(last)) = segments.last_mut() {
        if last.ends_with(' ') && text.starts_with(' ') {
            last.push_str(&text[1..]);
        } else {
            last.push_str(text);
        }
    } else {
        segments.push(Segment::Text(text.to_string()));
    }
}

/// Puts the author's prefix and suffix inside the citation's brackets when it
/// has them ("(see Paszke et al., 2019, for a survey)"), around it otherwise.
fn with_affixes(
    mut citation: RenderedCitation,
    prefix: &Option<String>,
    suffix: &Option<String>,
) -> RenderedCitation {
    const OPENERS: [&str; 2] = ["(", "\\["];
    const CLOSERS: [&str; 2] = [")", "\\]"];
    let segments = &mut citation.segments;
    if let Some(prefix) = prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        let prefix = format!("{} ", inline_markdown(prefix));
        match segments.first_mut() {
            Some(Segment::Text(t)) if OPENERS.iter().any(|o| t.starts_with(o)) => {
                let at = OPENERS
                    .iter()
                    .find(|o| t.starts_with(*o))
                    .map_or(0, |o| o.len());
                t.insert_str(at, &prefix);
            }
            _ => segments.insert(0, Segment::Text(prefix)),
        }
    }
    if let Some(suffix) = suffix.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let suffix = inline_markdown(suffix);
        let separator = if suffix.starts_with([',', ';', ':', '.']) {
            ""
        } else {
            ", "
        };
        let addition = format!("{separator}{suffix}");
        let last = match segments.last_mut() {
            Some(Segment::Text(t)) => Some(t),
            Some(Segment::Work { markdown, .. }) => Some(markdown),
            None => None,
        };
        match last {
            Some(t) if CLOSERS.iter().any(|c| t.ends_with(c)) => {
                let closer = CLOSERS
                    .iter()
                    .find(|c| t.ends_with(*c))
                    .map_or(0, |c| c.len());
                let at = t.len() - closer;
                t.insert_str(at, &addition);
            }
            _ => segments.push(Segment::Text(addition)),
        }
    }
    citation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_and_others_mark_becomes_the_styles_et_al() {
        let mark = ET_AL_MARK;
        assert_eq!(
            resolve_et_al(&format!("Smith, J., &amp; {mark}. (2020). T."), "et al."),
            "Smith, J., et al. (2020). T."
        );
        assert_eq!(
            resolve_et_al(&format!("(Smith & {mark}, 2020)"), "et al."),
            "(Smith et al., 2020)"
        );
        assert_eq!(
            resolve_et_al(&format!("J. Smith and {mark}, “T,”"), "et al."),
            "J. Smith et al., “T,”"
        );
        assert_eq!(
            resolve_et_al(&format!("Smith, John, and {mark}. 2020."), "u. a."),
            "Smith, John, u. a. 2020."
        );
    }
    use crate::model::{Work, WorkFormat, works};
    use std::path::Path;

    /// The works of these tests, as a book's `.bib` file would give them.
    fn bib(whitepaper_year: i32) -> String {
        format!(
            r#"@inproceedings{{paszke2019pytorch,
  author = {{Paszke, Adam and Gross, Sam and Massa, Francisco and Lerer, Adam and Bradbury, James and Chanan, Gregory and Killeen, Trevor and Lin, Zeming and Gimelshein, Natalia and Antiga, Luca and Desmaison, Alban and K{{\"o}}pf, Andreas and Yang, Edward and DeVito, Zachary and Raison, Martin and Tejani, Alykhan and Chilamkurthy, Sasank and Steiner, Benoit and Fang, Lu and Bai, Junjie and Chintala, Soumith}},
  title = {{{{PyTorch}}: An Imperative Style, High-Performance Deep Learning Library}},
  editor = {{Wallach, H. and Larochelle, H. and Beygelzimer, A. and d'Alch{{\'e}}-Buc, F. and Fox, E. and Garnett, R.}},
  booktitle = {{Advances in Neural Information Processing Systems 32}},
  publisher = {{Curran Associates, Inc.}},
  pages = {{8024--8035}}, year = {{2019}},
  eprint = {{1912.01703}}, eprinttype = {{arxiv}},
}}
@inproceedings{{abadi2016tensorflow,
  author = {{Abadi, Mart{{\'i}}n and Barham, Paul and Chen, Jianmin and Chen, Zhifeng and Davis, Andy and Dean, Jeffrey and Devin, Matthieu and Ghemawat, Sanjay and Irving, Geoffrey and Isard, Michael and Kudlur, Manjunath and Levenberg, Josh and Monga, Rajat and Moore, Sherry and Murray, Derek G. and Steiner, Benoit and Tucker, Paul and Vasudevan, Vijay and Warden, Pete and Wicke, Martin and Yu, Yuan and Zheng, Xiaoqiang}},
  title = {{{{TensorFlow}}: A System for Large-Scale Machine Learning}},
  booktitle = {{12th {{USENIX}} Symposium on Operating Systems Design and Implementation ({{OSDI}} 16)}},
  publisher = {{{{USENIX}} Association}},
  pages = {{265--283}}, year = {{2016}},
  eprint = {{1605.08695}}, eprinttype = {{arxiv}},
}}
@techreport{{abadi2015tensorflow,
  author = {{Abadi, Mart{{\'i}}n and Agarwal, Ashish and Barham, Paul and Brevdo, Eugene and Chen, Zhifeng and Citro, Craig and Corrado, Greg S. and Davis, Andy and Dean, Jeffrey and Devin, Matthieu}},
  title = {{{{TensorFlow}}: Large-Scale Machine Learning on Heterogeneous Distributed Systems}},
  institution = {{Google Research}}, type = {{White paper}},
  year = {{{whitepaper_year}}},
  eprint = {{1603.04467}}, eprinttype = {{arxiv}}, doi = {{10.48550/arXiv.1603.04467}},
}}
@software{{bradbury2018jax,
  author = {{Bradbury, James and Frostig, Roy}},
  title = {{{{JAX}}: composable transformations of {{Python}}+{{NumPy}} programs}},
  year = {{2018}}, url = {{https://github.com/jax-ml/jax}}, urldate = {{2024-05-01}},
}}
@online{{pytorch2024compile,
  author = {{{{PyTorch Contributors}}}},
  title = {{{{torch.compile}}}}, organization = {{PyTorch documentation}},
  year = {{2024}}, url = {{https://pytorch.org/docs/stable/torch.compiler.html}}, urldate = {{2024-05-01}},
}}
@misc{{oneil2020escaping,
  author = {{O'Neil, Cathy}},
  title = {{Escaping <script>alert(1)</script> \& "quotes" | pipes}},
  year = {{2020}}, eprint = {{2001.00001}}, eprinttype = {{arxiv}},
  url = {{https://arxiv.org/abs/2001.00001}},
}}
"#
        )
    }

    fn read_bib(text: &str) -> Vec<Work> {
        let (works, problems) = works::read(WorkFormat::BibTeX, Path::new("t.bib"), text);
        assert!(problems.is_empty(), "{problems:?}");
        works
    }

    fn all_papers(whitepaper_year: i32) -> Vec<Work> {
        read_bib(&bib(whitepaper_year))
    }

    fn style(name: &str) -> CitationStyle {
        CitationStyle::load(name, Path::new(".")).unwrap()
    }

    fn cite(keys: &[&str], form: CiteForm) -> CitationRequest {
        CitationRequest {
            items: keys
                .iter()
                .map(|k| CiteItem {
                    key: k.to_string(),
                    locator: None,
                })
                .collect(),
            form,
            prefix: None,
            suffix: None,
        }
    }

    fn with_locator(key: &str, locator: Locator, form: CiteForm) -> CitationRequest {
        CitationRequest {
            items: vec![CiteItem {
                key: key.into(),
                locator: Some(locator),
            }],
            form,
            prefix: None,
            suffix: None,
        }
    }

    fn md(c: &RenderedCitation) -> String {
        c.to_markdown()
    }

    fn work(key: &str, markdown: &str) -> Segment {
        Segment::Work {
            key: key.into(),
            markdown: markdown.into(),
        }
    }

    fn text(t: &str) -> Segment {
        Segment::Text(t.into())
    }

    const PT: &str = "paszke2019pytorch";
    const TF: &str = "abadi2016tensorflow";
    const WP: &str = "abadi2015tensorflow";

    #[test]
    fn apa_forms() {
        let papers = all_papers(2015);
        let st = style("apa");
        let engine = CitationEngine::new(&st, &papers);
        let out = engine.render(&[
            cite(&[PT], CiteForm::Parenthetical),
            cite(&[PT], CiteForm::Narrative),
            cite(&[PT], CiteForm::YearOnly),
            cite(&[PT], CiteForm::AuthorOnly),
            cite(&[TF, PT], CiteForm::Narrative),
        ]);
        let c = &out.citations;
        assert_eq!(
            c[0].segments,
            [text("("), work(PT, "Paszke et al., 2019"), text(")")]
        );
        assert_eq!(c[1].segments, [work(PT, "Paszke et al. (2019)")]);
        assert_eq!(c[2].segments, [work(PT, "2019")]);
        assert_eq!(c[3].segments, [work(PT, "Paszke et al.")]);
        assert_eq!(md(&c[4]), "Abadi et al. (2016) and Paszke et al. (2019)");
        assert_eq!(out.references.len(), 2);
    }

    #[test]
    fn apa_multi_key_is_sorted_with_one_segment_per_work() {
        let papers = all_papers(2015);
        let st = style("apa");
        let out =
            CitationEngine::new(&st, &papers).render(&[cite(&[PT, TF], CiteForm::Parenthetical)]);
        assert_eq!(
            out.citations[0].segments,
            [
                text("("),
                work(TF, "Abadi et al., 2016"),
                text("; "),
                work(PT, "Paszke et al., 2019"),
                text(")")
            ]
        );
    }

    #[test]
    fn locators_follow_the_style() {
        let papers = all_papers(2015);
        let requests = [
            with_locator(PT, Locator::Page("8026".into()), CiteForm::Parenthetical),
            with_locator(TF, Locator::Section("4".into()), CiteForm::Parenthetical),
            with_locator(PT, Locator::Page("8024--8026".into()), CiteForm::Narrative),
            with_locator(TF, Locator::Chapter("2".into()), CiteForm::Parenthetical),
            with_locator(TF, Locator::Page("5".into()), CiteForm::YearOnly),
        ];
        let apa = style("apa");
        let out = CitationEngine::new(&apa, &papers).render(&requests);
        let got: Vec<String> = out.citations.iter().map(|c| md(c)).collect();
        assert_eq!(
            got,
            [
                "(Paszke et al., 2019, p. 8026)",
                "(Abadi et al., 2016, Section 4)",
                "Paszke et al. (2019, pp. 8024–8026)",
                "(Abadi et al., 2016, Chapter 2)",
                "2016, p. 5",
            ]
        );
        let ieee = style("ieee");
        let out = CitationEngine::new(&ieee, &papers).render(&requests);
        let got: Vec<String> = out.citations.iter().map(|c| md(c)).collect();
        assert_eq!(
            got,
            [
                "\\[1, p. 8026\\]",
                "\\[2, Sec. 4\\]",
                "A. Paszke *et al.* \\[1, pp. 8024–8026\\]",
                "\\[2, Ch. 2\\]",
                "2016",
            ]
        );
        assert_eq!(
            out.citations[0].segments,
            [text("\\["), work(PT, "1"), text(", p. 8026\\]")]
        );
    }

    #[test]
    fn prefix_and_suffix_go_inside_the_brackets() {
        let papers = all_papers(2015);
        let mut paren = cite(&[PT], CiteForm::Parenthetical);
        paren.prefix = Some("see".into());
        paren.suffix = Some("for a survey".into());
        let mut narrative = paren.clone();
        narrative.form = CiteForm::Narrative;
        let mut punctuated = paren.clone();
        punctuated.prefix = Some("e.g., *cf.* |".into());
        punctuated.suffix = Some("; and others".into());
        let requests = [paren, narrative, punctuated];

        let apa = style("apa");
        let out = CitationEngine::new(&apa, &papers).render(&requests);
        assert_eq!(
            out.citations[0].segments,
            [
                text("(see "),
                work(PT, "Paszke et al., 2019"),
                text(", for a survey)")
            ]
        );
        assert_eq!(
            md(&out.citations[1]),
            "see Paszke et al. (2019, for a survey)"
        );
        assert_eq!(
            md(&out.citations[2]),
            "(e.g., *cf.* \\| Paszke et al., 2019; and others)"
        );

        let ieee = style("ieee");
        let out = CitationEngine::new(&ieee, &papers).render(&requests);
        assert_eq!(md(&out.citations[0]), "\\[see 1, for a survey\\]");
        assert_eq!(
            md(&out.citations[1]),
            "see A. Paszke *et al.* \\[1, for a survey\\]"
        );
    }

    #[test]
    fn ieee_numbers_follow_first_citation() {
        let papers = all_papers(2015);
        let st = style("ieee");
        assert!(st.is_numeric());
        let out = CitationEngine::new(&st, &papers).render(&[
            cite(&[TF], CiteForm::Parenthetical),
            cite(&[PT, TF], CiteForm::Parenthetical),
            cite(&[PT], CiteForm::AuthorOnly),
            cite(&[PT], CiteForm::YearOnly),
        ]);
        assert_eq!(
            out.citations[0].segments,
            [text("\\["), work(TF, "1"), text("\\]")]
        );
        assert_eq!(
            out.citations[1].segments,
            [
                text("\\["),
                work(TF, "1"),
                text("\\], \\["),
                work(PT, "2"),
                text("\\]")
            ]
        );
        assert_eq!(md(&out.citations[2]), "A. Paszke *et al.*");
        assert_eq!(md(&out.citations[3]), "2019");
        let keys: Vec<&str> = out.references.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, [TF, PT]);
    }

    #[test]
    fn numeric_styles_compress_ranges() {
        let papers = all_papers(2015);
        let requests = [
            cite(&[PT, TF, WP], CiteForm::Parenthetical),
            cite(&[TF, PT], CiteForm::Parenthetical),
        ];
        let nature = style("nature");
        let out = CitationEngine::new(&nature, &papers).render(&requests);
        assert_eq!(
            out.citations[0].segments,
            [work(PT, "¹"), text("–"), work(WP, "³")]
        );
        assert_eq!(md(&out.citations[1]), "¹,²");
        let acm = style("acm");
        let out = CitationEngine::new(&acm, &papers).render(&requests);
        assert_eq!(md(&out.citations[0]), "\\[1–3\\]");
        assert_eq!(md(&out.citations[1]), "\\[2, 3\\]");
        // Narrative numeric citations shorten the author list.
        let out = CitationEngine::new(&acm, &papers).render(&[cite(&[PT], CiteForm::Narrative)]);
        assert_eq!(md(&out.citations[0]), "Adam Paszke et al. \\[1\\]");
    }

    #[test]
    fn every_builtin_style_renders() {
        let papers = all_papers(2016);
        for name in CitationStyle::BUILTIN_NAMES {
            let st = style(name);
            let engine = CitationEngine::new(&st, &papers);
            let requests: Vec<CitationRequest> = [
                CiteForm::Parenthetical,
                CiteForm::Narrative,
                CiteForm::YearOnly,
                CiteForm::AuthorOnly,
            ]
            .into_iter()
            .map(|form| cite(&[PT, TF], form))
            .collect();
            let out = engine.render(&requests);
            assert_eq!(out.citations.len(), 4, "{name}");
            for c in &out.citations {
                let works = c
                    .segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Work { .. }))
                    .count();
                assert_eq!(works, 2, "{name}: {:?}", c.segments);
                assert!(!md(c).contains("  "), "{name}: {}", md(c));
            }
            assert_eq!(out.references.len(), 2, "{name}");
            assert_eq!(engine.render_all_references().len(), papers.len(), "{name}");
            for r in engine.render_all_references() {
                assert!(
                    !r.markdown.contains("  ") && !r.plain.contains("  "),
                    "{name}: {}",
                    r.plain
                );
                assert!(!r.markdown.contains("<script>"), "{name}: {}", r.markdown);
            }
        }
    }

    #[test]
    fn apa_references_exact() {
        let papers = all_papers(2015);
        let st = style("apa");
        let refs = CitationEngine::new(&st, &papers).render_all_references();
        let get = |key: &str| refs.iter().find(|r| r.key == key).unwrap();
        // Edited proceedings are a book of chapters for APA 7: the proceedings
        // title appears once, after the editors; without editors, the
        // proceedings title is the source, with the pages after it.
        assert_eq!(
            get(PT).markdown,
            "Paszke, A., Gross, S., Massa, F., Lerer, A., Bradbury, J., Chanan, G., Killeen, T., \
             Lin, Z., Gimelshein, N., Antiga, L., Desmaison, A., Köpf, A., Yang, E., DeVito, Z., \
             Raison, M., Tejani, A., Chilamkurthy, S., Steiner, B., Fang, L., … Chintala, S. (2019). \
             PyTorch: An Imperative Style, High-Performance Deep Learning Library. In H. Wallach, \
             H. Larochelle, A. Beygelzimer, F. d’Alché-Buc, E. Fox, &amp; R. Garnett (Eds.), \
             *Advances in Neural Information Processing Systems 32* (pp. 8024–8035). \
             Curran Associates, Inc. [https://arxiv.org/abs/1912.01703](https://arxiv.org/abs/1912.01703)"
        );
        assert_eq!(
            get(PT)
                .plain
                .matches("Advances in Neural Information Processing Systems 32")
                .count(),
            1
        );
        assert_eq!(
            get(TF).plain,
            "Abadi, M., Barham, P., Chen, J., Chen, Z., Davis, A., Dean, J., Devin, M., Ghemawat, S., \
             Irving, G., Isard, M., Kudlur, M., Levenberg, J., Monga, R., Moore, S., Murray, D. G., \
             Steiner, B., Tucker, P., Vasudevan, V., Warden, P., … Zheng, X. (2016). TensorFlow: A \
             System for Large-Scale Machine Learning. 12th USENIX Symposium on Operating Systems \
             Design and Implementation (OSDI 16), 265–283. https://arxiv.org/abs/1605.08695"
        );
        assert_eq!(
            get(WP).markdown,
            "Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G. S., \
             Davis, A., Dean, J., &amp; Devin, M. (2015). *TensorFlow: Large-Scale Machine Learning on \
             Heterogeneous Distributed Systems* \\[White paper\\]. Google Research. \
             [https://doi.org/10.48550/arXiv.1603.04467](https://doi.org/10.48550/arXiv.1603.04467)"
        );
        assert_eq!(
            get("bradbury2018jax").markdown,
            "Bradbury, J., &amp; Frostig, R. (2018). *JAX: composable transformations of Python+NumPy \
             programs* \\[Computer software\\]. [https://github.com/jax-ml/jax](https://github.com/jax-ml/jax)"
        );
        assert_eq!(
            get("pytorch2024compile").plain,
            "PyTorch Contributors. (2024). torch.compile. PyTorch Documentation. \
             https://pytorch.org/docs/stable/torch.compiler.html"
        );
    }

    #[test]
    fn data_is_escaped() {
        let papers = all_papers(2015);
        let st = style("apa");
        let refs = CitationEngine::new(&st, &papers).render_all_references();
        let evil = refs.iter().find(|r| r.key == "oneil2020escaping").unwrap();
        assert_eq!(
            evil.markdown,
            "O’Neil, C. (2020). *Escaping &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" \\| pipes*. \
             [https://arxiv.org/abs/2001.00001](https://arxiv.org/abs/2001.00001)"
        );
        assert_eq!(
            evil.plain,
            "O’Neil, C. (2020). Escaping <script>alert(1)</script> & \"quotes\" | pipes. \
             https://arxiv.org/abs/2001.00001"
        );
    }

    #[test]
    fn every_ambiguous_group_gets_suffixes_not_only_three() {
        // hayagriva 0.10.1 suffixes at most three ambiguous groups; books have more.
        let text: String = (0..5)
            .flat_map(|group| {
                ["First", "Second"].map(|title| {
                    format!(
                        "@techreport{{g{group}{title}, author = {{{{Team{group}}}}}, title = {{{title} report}}, year = {}}}\n",
                        2010 + group
                    )
                })
            })
            .collect();
        let works = read_bib(&text);
        let st = style("apa");
        let requests: Vec<CitationRequest> = works
            .iter()
            .rev()
            .map(|w| cite(&[w.key()], CiteForm::Parenthetical))
            .collect();
        let out = CitationEngine::new(&st, &works).render(&requests);
        let texts: Vec<String> = out.citations.iter().map(|c| md(c)).collect();
        assert_eq!(texts[..2], ["(Team4, 2014b)", "(Team4, 2014a)"]);
        assert_eq!(texts[8..], ["(Team0, 2010b)", "(Team0, 2010a)"]);
        let plain: Vec<&str> = out.references.iter().map(|r| r.plain.as_str()).collect();
        assert_eq!(
            plain[..2],
            [
                "Team0. (2010a). First report [Technical report].",
                "Team0. (2010b). Second report [Technical report]."
            ]
        );
    }

    #[test]
    fn same_authors_same_year_are_disambiguated_without_leaking_names() {
        // Known problem 2: the OSDI paper and the whitepaper dated 2016.
        let papers = all_papers(2016);
        let st = style("apa");
        let out = CitationEngine::new(&st, &papers).render(&[
            cite(&[TF], CiteForm::Parenthetical),
            cite(&[WP], CiteForm::Narrative),
            cite(&[WP], CiteForm::YearOnly),
        ]);
        // Letters follow the reference list (Abadi, Agarwal … before Abadi, Barham …),
        // not the order of first citation.
        assert_eq!(md(&out.citations[0]), "(Abadi et al., 2016b)");
        assert_eq!(md(&out.citations[1]), "Abadi et al. (2016a)");
        assert_eq!(md(&out.citations[2]), "2016a");
        let plain: Vec<&str> = out.references.iter().map(|r| r.plain.as_str()).collect();
        assert!(
            plain[0].starts_with(
                "Abadi, M., Agarwal, A., Barham, P., Brevdo, E., Chen, Z., Citro, C., Corrado, G. S., \
                 Davis, A., Dean, J., & Devin, M. (2016a). TensorFlow: Large-Scale"
            ),
            "{}",
            plain[0]
        );
        assert!(
            plain[1].starts_with(
                "Abadi, M., Barham, P., Chen, J., Chen, Z., Davis, A., Dean, J., Devin, M., \
                 Ghemawat, S., Irving, G., Isard, M., Kudlur, M., Levenberg, J., Monga, R., Moore, S., \
                 Murray, D. G., Steiner, B., Tucker, P., Vasudevan, V., Warden, P., … Zheng, X. (2016b)."
            ),
            "{}",
            plain[1]
        );
        assert!(!plain.iter().any(|p| p.contains("et al.")));
    }

    #[test]
    fn title_case_keeps_proper_nouns() {
        // Known problem 3: Chicago title-cases titles and venues.
        let mut papers = read_bib(
            "@inproceedings{x, author = {Doe, Jane}, title = {a study of {PyTorch} and {TensorFlow} on GPUs}, booktitle = {Workshop on {PyTorch} internals}, year = 2021}",
        );
        papers.extend(
            all_papers(2015)
                .into_iter()
                .filter(|w| w.key() == "pytorch2024compile"),
        );
        let st = style("chicago-author-date");
        let refs = CitationEngine::new(&st, &papers).render_all_references();
        assert_eq!(
            refs[0].plain,
            "Doe, Jane. 2021. “A Study of PyTorch and TensorFlow on GPUs.” Workshop on \
             PyTorch Internals."
        );
        assert_eq!(
            refs[1].plain,
            "PyTorch Contributors (PyTorch Documentation). 2024. “torch.compile.” \
             https://pytorch.org/docs/stable/torch.compiler.html."
        );
    }

    #[test]
    fn ieee_references_have_single_spaces() {
        // Known problem 4: IEEE writes "[Online].  Available:".
        let papers = all_papers(2015);
        let st = style("ieee");
        let refs = CitationEngine::new(&st, &papers)
            .render(&[cite(&[PT, WP], CiteForm::Parenthetical)])
            .references;
        assert_eq!(
            refs[0].markdown,
            "\\[1\\] A. Paszke *et al.*, “PyTorch: An Imperative Style, High-Performance Deep Learning \
             Library,” in *Advances in Neural Information Processing Systems 32*, H. Wallach, \
             H. Larochelle, A. Beygelzimer, F. d’Alché-Buc, E. Fox, and R. Garnett, Eds., Curran \
             Associates, Inc., 2019, pp. 8024–8035. \\[Online\\]. Available: \
             [https://arxiv.org/abs/1912.01703](https://arxiv.org/abs/1912.01703)"
        );
        // The DOI the style prints as text becomes a link.
        assert_eq!(
            refs[1].markdown,
            "\\[2\\] M. Abadi *et al.*, “TensorFlow: Large-Scale Machine Learning on Heterogeneous \
             Distributed Systems,” Google Research, White paper, 2015. doi: \
             [10.48550/arXiv.1603.04467](https://doi.org/10.48550/arXiv.1603.04467)."
        );
        assert!(
            refs.iter()
                .all(|r| !r.markdown.contains("  ") && !r.plain.contains("  "))
        );
    }

    #[test]
    fn identical_requests_are_rendered_once_and_fast() {
        let papers = all_papers(2015);
        let st = style("apa");
        let engine = CitationEngine::new(&st, &papers);
        let mut request = with_locator(PT, Locator::Page("8026".into()), CiteForm::Parenthetical);
        request.prefix = Some("see".into());
        let requests = vec![request; 10_000];
        let start = std::time::Instant::now();
        let out = engine.render(&requests);
        let elapsed = start.elapsed();
        assert_eq!(out.citations.len(), 10_000);
        assert!(out.citations.iter().all(|c| c == &out.citations[0]));
        assert_eq!(md(&out.citations[0]), "(see Paszke et al., 2019, p. 8026)");
        assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");
    }

    #[test]
    fn prefix_does_not_split_deduplication() {
        let papers = all_papers(2015);
        let st = style("apa");
        let mut a = cite(&[PT], CiteForm::Parenthetical);
        let plain = a.clone();
        a.prefix = Some("see".into());
        let out = CitationEngine::new(&st, &papers).render(&[a, plain]);
        assert_eq!(md(&out.citations[0]), "(see Paszke et al., 2019)");
        assert_eq!(md(&out.citations[1]), "(Paszke et al., 2019)");
    }

    #[test]
    fn cited_references_only_and_unknown_keys_shown() {
        let papers = all_papers(2015);
        let st = style("apa");
        let engine = CitationEngine::new(&st, &papers);
        let out = engine.render(&[
            cite(&[PT, "nope"], CiteForm::Parenthetical),
            cite(&["gone"], CiteForm::Narrative),
        ]);
        assert_eq!(md(&out.citations[0]), "(Paszke et al., 2019); ?nope");
        assert_eq!(out.citations[1].segments, [text("?gone")]);
        assert_eq!(out.references.len(), 1);
        assert_eq!(engine.render_all_references().len(), 6);
        assert!(engine.render(&[]).citations.is_empty());
    }

    #[test]
    fn a_citation_renders_the_same_whichever_citations_share_its_driver() {
        let papers = crate::model::Model::builtin().works();
        let keys: Vec<&str> = papers.iter().map(|p| p.key()).collect();
        let forms = [
            CiteForm::Parenthetical,
            CiteForm::Narrative,
            CiteForm::YearOnly,
            CiteForm::AuthorOnly,
        ];
        let mut requests = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let form = forms[i % forms.len()];
            requests.push(cite(&[key], form));
            requests.push(with_locator(key, Locator::Page(format!("{}", i + 1)), form));
            requests.push(cite(
                &[key, keys[(i * 7 + 3) % keys.len()]],
                CiteForm::Parenthetical,
            ));
        }
        let all: Vec<&CitationRequest> = requests.iter().collect();
        // Every third request, as a rebuild that finds the others in the cache.
        let some: Vec<&CitationRequest> = requests.iter().step_by(3).collect();
        for name in CitationStyle::BUILTIN_NAMES {
            let st = style(name);
            let engine = CitationEngine::new(&st, papers);
            let first_cited = engine.first_cited(&all);
            let plans = engine.plans(&all);
            let (one, list) = engine.render_plans(&plans, &first_cited, true, 1);
            assert!(list.is_some());
            for batches in [2, 5] {
                let (split, _) = engine.render_plans(&plans, &first_cited, true, batches);
                assert_eq!(split, one, "{name}, {batches} batches");
            }
            let (alone, list) = engine.render_plans(&engine.plans(&some), &first_cited, false, 2);
            assert!(list.is_none());
            let expected: Vec<RenderedCitation> = one.iter().step_by(3).cloned().collect();
            assert_eq!(alone, expected, "{name}, a third of the citations");
        }
    }

    #[test]
    fn the_locale_is_part_of_the_cache_key_and_of_and_others() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RenderCache::new(dir.path().to_path_buf(), Path::new("book"));
        let mut works = all_papers(2015);
        works.extend(read_bib(
            "@article{smith2020, author = {Smith, John and others}, title = {T}, journal = {J}, year = 2020}",
        ));
        let requests = [
            with_locator(
                "paszke2019pytorch",
                Locator::Page("5".into()),
                CiteForm::Parenthetical,
            ),
            cite(&["smith2020"], CiteForm::Narrative),
        ];
        let render = |locale: Option<&str>| {
            let style = style("chicago-author-date").with_locale(locale);
            let engine = CitationEngine::new(&style, &works).with_cache(Some(cache.clone()));
            let rendered = engine.render(&requests);
            let citations: Vec<String> = rendered.citations.iter().map(|c| md(c)).collect();
            let all: Vec<String> = engine
                .render_all_references()
                .into_iter()
                .map(|r| r.plain)
                .collect();
            (citations, all)
        };
        let english = render(None);
        assert_eq!(
            english.0,
            ["(Paszke et al. 2019, 5)", "Smith et al. (2020)"]
        );
        // Rendered afresh, not read from the English entry just stored.
        let german = render(Some("de"));
        assert_eq!(german.0, ["(Paszke u. a. 2019, 5)", "Smith u. a. (2020)"]);
        assert!(
            german.1.iter().any(|r| r.contains("herausgegeben von")),
            "{:?}",
            german.1
        );
        assert_eq!(render(None), english);
        assert_eq!(render(Some("de")), german);
    }
}
