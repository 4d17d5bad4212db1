//! [`CitationEngine`]: plans what hayagriva is asked for each distinct
//! citation ([`Plan`]), puts hayagriva's answer together as segments, one per
//! cited work, and renders reference lists. The rendering itself is in `batch.rs`.

use std::collections::HashMap;
use std::sync::Arc;

use hayagriva as hg;
use hayagriva::citationberg::taxonomy::Locator as CslLocator;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose, ElemChild, ElemChildren,
    ElemMeta, Entry, LocatorPayload, SpecificLocator,
};

use super::batch::{CitedWorks, PLANS_PER_BATCH, citation_key};
use super::et_al::resolve_et_al;
use super::output::{self, Run, Skip};
use super::{
    CitationRequest, CitationStyle, CiteForm, CiteItem, Reference, RenderCache, Rendered,
    RenderedCitation, Segment, cache,
};
use crate::markdown::{escape_text, inline_markdown};
use crate::model::works::ET_AL_MARK;
use crate::model::{Locator, Work};
use crate::parallel;

/// Renders citations and references of a set of works in one style.
pub struct CitationEngine<'a> {
    pub(super) style: &'a CitationStyle,
    pub(super) works: Vec<&'a Work>,
    pub(super) by_key: HashMap<&'a str, usize>,
    pub(super) cache: Option<RenderCache>,
}

/// What hayagriva is asked for one distinct request, and how to put it together.
pub(super) struct Plan {
    /// Known items: index into the engine's entries, and the locator.
    pub(super) items: Vec<(usize, Option<(CslLocator, String)>)>,
    pub(super) form: CiteForm,
    /// Keys named in the request that no work has.
    unknown: Vec<String>,
    /// Index of this plan's first hayagriva citation.
    pub(super) first_citation: usize,
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

    pub(super) fn entry(&self, index: usize) -> &'a Entry {
        &self.works[index].entry
    }

    /// Keeps what is rendered in `cache` and reuses it while nothing it depends on
    /// changes.
    pub fn with_cache(mut self, cache: Option<RenderCache>) -> Self {
        self.cache = cache;
        self
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
    pub(super) fn plans(&self, distinct_requests: &[&CitationRequest]) -> Vec<Plan> {
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
    pub(super) fn first_cited(&self, distinct: &[&CitationRequest]) -> Vec<usize> {
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
    pub(super) fn key_of_works(&self, cache: &RenderCache) -> cache::KeyHasher {
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
    pub(super) fn purpose(&self, form: CiteForm) -> Option<CitePurpose> {
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
    pub(super) fn assemble(
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

    pub(super) fn references(
        &self,
        bibliography: Option<hg::RenderedBibliography>,
    ) -> Vec<Reference> {
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

    pub(super) fn hg_item<'x>(
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
    use crate::cite::fixtures::{
        PT, TF, WP, all_papers, cite, md, read_bib, style, text, with_locator, work,
    };
    use std::path::Path;

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
