//! Rendering in batches: the distinct citations a build must render are shared
//! out between the cores, one hayagriva driver each ([`CitationEngine::render_plans`]),
//! and what comes out is kept in the render cache's slots ([`CitedWorks`],
//! [`CitationEngine::cached`]).

use std::collections::HashMap;

use hayagriva as hg;
use hayagriva::citationberg::IndependentStyle;
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitePurpose};

use super::engine::{CitationEngine, Plan};
use super::{CitationRequest, Reference, RenderedCitation, cache};
use crate::parallel;

/// Distinct citations below this many per core are rendered on one: each extra
/// batch renders every cited work once more.
pub(super) const PLANS_PER_BATCH: usize = 100;

/// What the book's works render to when first cited in one order: year
/// suffixes, the reference list, and each distinct citation by
/// [`citation_key`]. The render cache keeps one per book.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct CitedWorks {
    pub(super) suffixes: HashMap<String, String>,
    pub(super) references: Vec<Reference>,
    pub(super) citations: HashMap<String, RenderedCitation>,
}

/// Identifies a distinct citation (works, locators and form) in the render cache.
pub(super) fn citation_key(request: &CitationRequest) -> String {
    let mut key = cache::KeyHasher::plain();
    key.add((&request.items, request.form));
    format!("{:032x}", key.finish())
}

impl<'a> CitationEngine<'a> {
    /// `render()`, or what it returned last time for the same style, works and
    /// whatever `add_to_key` adds.
    pub(super) fn cached<T: serde::Serialize + serde::de::DeserializeOwned>(
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

    /// Renders `plans` in `batches`, on as many cores, by drivers of their own.
    /// Each driver first cites every work once, in order of first citation, so
    /// that a citation comes out the same whichever other citations share its
    /// driver: hayagriva numbers works by first citation, and ambiguity is
    /// decided here from those first citations. Returns each plan's citation
    /// (without year suffixes) and, when `with_list`, the first driver's result,
    /// whose first citations and reference list the caller needs.
    pub(super) fn render_plans(
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
        let mut batches: Vec<&[Plan]> = plans.chunks(batch_len).collect();
        // In author–date styles only the list asked for is rendered; in numeric
        // ones every driver renders it, as it may decide the numbers.
        let style = self.style.parsed();
        // The list, which hayagriva sorts by rendering sort keys on every
        // comparison, is the costliest part of a first build with few distinct
        // citations: on more than one core it gets a driver of its own.
        if with_list && !style.numeric && parallel::cores() > 1 {
            batches.insert(0, &[]);
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::fixtures::{cite, style, with_locator};
    use crate::cite::{CitationStyle, CiteForm};
    use crate::model::Locator;

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
}
