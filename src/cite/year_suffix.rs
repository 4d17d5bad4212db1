//! Year suffixes (2016a, 2016b), assigned here rather than by hayagriva.
//!
//! hayagriva 0.10.1 gives year suffixes to at most three groups of works whose
//! citations read alike: the later groups never reach year-suffix
//! disambiguation, as hayagriva sees disambiguation as done too early
//! (typst/hayagriva#507). A book has more groups, one per author and year. So
//! `style.rs` switches hayagriva's own suffixes off ([`take_over`]), and the
//! engine finds the groups among the works' first citations
//! ([`CitationEngine::year_suffixes`]) and writes each suffix after its work's
//! year ([`CitationEngine::add_year_suffix`]).
//!
//! typst/hayagriva#507 is fixed upstream by typst/hayagriva#517 (merged on
//! 29 August 2026), which no hayagriva release carries yet: 0.10.1 is the
//! newest. Once one does, this file can go, with its calls in `style.rs` and
//! in `CitationEngine::render_distinct`, and `ParsedStyle::year_suffixes`.

use std::collections::HashMap;

use hayagriva as hg;
use hayagriva::citationberg::IndependentStyle;

use super::engine::CitationEngine;

impl<'a> CitationEngine<'a> {
    /// Year suffixes for works whose plain citations read alike ("Chollet, 2015"),
    /// lettered in reference-list order as APA and Chicago prescribe.
    pub(super) fn year_suffixes(
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
    pub(super) fn add_year_suffix(
        &self,
        suffixes: &HashMap<String, String>,
        key: &str,
        text: &mut String,
    ) {
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

/// Switches hayagriva's own year suffixes off in `csl` (see the module docs),
/// and says whether the style asked for them, for the engine to assign them.
pub(super) fn take_over(csl: &mut IndependentStyle) -> bool {
    let year_suffixes = csl.citation.disambiguate_add_year_suffix;
    csl.citation.disambiguate_add_year_suffix = false;
    year_suffixes
}

#[cfg(test)]
mod tests {
    use crate::cite::fixtures::{TF, WP, all_papers, cite, md, read_bib, style};
    use crate::cite::{CitationEngine, CitationRequest, CiteForm};

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
}
