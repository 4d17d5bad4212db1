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
        let own_list_driver = with_list && !style.numeric && parallel::cores() > 1;
        if own_list_driver {
            batches.insert(0, &[]);
        }
        let list_only = own_list_driver.then(|| list_only(&style.csl));
        let citations_only = (!style.numeric && (batches.len() > 1 || !with_list)).then(|| {
            let mut csl = style.csl.clone();
            csl.bibliography = None;
            csl
        });
        let numbered: Vec<(usize, &[Plan])> = batches.iter().copied().enumerate().collect();
        let mut results = parallel::map_each(&numbered, |&(i, batch)| {
            let csl = match (&list_only, &citations_only) {
                (Some(csl), _) if i == 0 => csl,
                (_, Some(csl)) if i > 0 || !with_list => csl,
                _ => &style.csl,
            };
            // A driver that renders only the list cites the works in about the
            // list's order (see `list_order`).
            let order = if batch.is_empty() && !style.numeric {
                self.list_order(first_cited)
            } else {
                (0..first_cited.len()).collect()
            };
            self.render_batch(csl, first_cited, &order, batch)
        });
        let extra = first_cited.len();
        if own_list_driver {
            // The next driver cites every work first too, with the citation layout.
            results[0].citations = results[1].citations[..extra].to_vec();
        }
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

    /// The order in which a driver that renders only the reference list cites
    /// the works (as positions in `first_cited`): the order of a cheap key of
    /// names, year and title, which is close to the list's order in the
    /// author–date styles. hayagriva sorts the list with a stable merge sort
    /// that renders the style's sort macros on every comparison, two
    /// renderings of a work each time; on input in order, the sort checks each
    /// neighbouring pair once (n − 1 comparisons instead of about n log n).
    /// Works the style's keys find equal keep this order rather than that of
    /// first citation; the test below finds no such pair in the built-in
    /// styles and works.
    fn list_order(&self, first_cited: &[usize]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..first_cited.len()).collect();
        order.sort_by_cached_key(|&i| rough_sort_key(self.entry(first_cited[i])));
        order
    }

    /// One driver's work: every work once, in `order` (positions in
    /// `first_cited`; see [`Self::render_plans`]), then the batch's plans. The
    /// first citations come back in `first_cited` order.
    fn render_batch(
        &self,
        csl: &IndependentStyle,
        first_cited: &[usize],
        order: &[usize],
        plans: &[Plan],
    ) -> hg::Rendered {
        let style = self.style.parsed();
        let locales = self.style.locale_files();
        let locale = self.style.locale();
        let request =
            |items, csl| hg::CitationRequest::new(items, csl, locale.clone(), locales, None);
        let mut driver = BibliographyDriver::new();
        for &i in order {
            let items = vec![CitationItem::with_entry(self.entry(first_cited[i]))];
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
        let mut rendered = driver.finish(BibliographyRequest::new(csl, locale, locales));
        let rest = rendered.citations.split_off(order.len());
        let mut cited: Vec<Option<hg::RenderedCitation>> =
            rendered.citations.into_iter().map(Some).collect();
        let mut at = vec![0; order.len()];
        for (position, &i) in order.iter().enumerate() {
            at[i] = position;
        }
        rendered.citations = at
            .iter()
            .map(|&position| cited[position].take().expect("a permutation"))
            .chain(rest)
            .collect();
        rendered
    }
}

/// `csl` for a driver whose citations are not used, only its reference list:
/// citations render empty and are not disambiguated, which saves a fifth of
/// that driver's time. CSL's citation options and layout never reach the list
/// (disambiguation is of citations; year suffixes are ours, see
/// `year_suffix.rs`).
fn list_only(csl: &IndependentStyle) -> IndependentStyle {
    let mut csl = csl.clone();
    let citation = &mut csl.citation;
    citation.layout.elements.clear();
    citation.sort = None;
    citation.disambiguate_add_givenname = false;
    citation.disambiguate_add_names = false;
    citation.disambiguate_add_year_suffix = false;
    csl
}

/// A key that orders works roughly as author–date reference lists do: the
/// authors' (else the editors') family and given names, else the title; then
/// the year and the title. Case-folded.
fn rough_sort_key(entry: &hg::Entry) -> (String, i32, String) {
    let title = entry
        .title()
        .map(|t| t.value.to_string().to_lowercase())
        .unwrap_or_default();
    let mut names = String::new();
    for person in entry.authors().or_else(|| entry.editors()).unwrap_or(&[]) {
        names.push_str(&person.name.to_lowercase());
        names.push(',');
        names.push_str(&person.given_name.as_deref().unwrap_or("").to_lowercase());
        names.push(';');
    }
    if names.is_empty() {
        names.clone_from(&title);
    }
    (names, entry.date().map_or(i32::MAX, |d| d.year), title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::fixtures::{cite, style, with_locator};
    use crate::cite::{CitationStyle, CiteForm};
    use crate::model::Locator;

    /// The list's own driver (rough order, empty citations) against a driver
    /// of the whole style citing in order of first citation. Wrong if a style's
    /// sort keys find two works equal that the rough key orders differently, if
    /// the citation options reach the list, or if first citations did not come
    /// back in their order.
    #[test]
    fn the_list_drivers_shortcuts_leave_the_list_as_it_was() {
        let works = crate::model::Model::builtin().works();
        for name in CitationStyle::BUILTIN_NAMES {
            let st = style(name);
            if st.parsed().numeric {
                // Numbered by first citation: its driver cites in that order.
                continue;
            }
            let engine = CitationEngine::new(&st, works);
            // First cited backwards, so that the rough order differs from it.
            let first_cited: Vec<usize> = (0..works.len()).rev().collect();
            let csl = &st.parsed().csl;
            let list_order = engine.list_order(&first_cited);
            assert_ne!(list_order, (0..works.len()).collect::<Vec<_>>());
            let in_order: Vec<usize> = (0..works.len()).collect();
            let list_driver = engine.render_batch(&list_only(csl), &first_cited, &list_order, &[]);
            let whole = engine.render_batch(csl, &first_cited, &in_order, &[]);
            let whole_reordered = engine.render_batch(csl, &first_cited, &list_order, &[]);
            let list = |r: &hg::Rendered| -> Vec<String> {
                r.bibliography
                    .iter()
                    .flat_map(|b| &b.items)
                    .map(|i| format!("{} {:#}", i.key, i.content))
                    .collect()
            };
            let cites = |r: &hg::Rendered| -> Vec<String> {
                r.citations
                    .iter()
                    .map(|c| format!("{:#}", c.citation))
                    .collect()
            };
            assert_eq!(list(&list_driver), list(&whole), "{name}");
            assert_eq!(list(&whole).len(), works.len(), "{name}");
            assert_eq!(cites(&whole_reordered), cites(&whole), "{name}");
        }
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
}
