//! `{{#framework-profile ID}}`: a summary card of one framework, from the model.
//!
//! A row whose fields have sources of their own cites them in the row; the
//! fields that rely on the record's `sources` are covered by a last "Sources" row.

use super::framework_fact::fact;
use super::{
    Citations, DirectiveKind, ParsedDirective, RenderCx, cite_sources, framework_id, table,
};
use crate::cite::{CitationRequest, CiteForm, CiteItem};
use crate::directive::{ArgProblem, ArgReader};
use crate::markdown::{self, escape_text};
use crate::model::{FactField, Framework, Model, Source};
use crate::words::Words;

/// The registry entry of `{{#framework-profile}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "framework-profile",
    arguments: &[],
    block: Some("a quote and a table"),
    parse: |args, model| Ok(Box::new(FrameworkProfile::parse(args, model)?)),
};

/// A framework's card.
#[derive(Debug, Clone)]
pub struct FrameworkProfile {
    framework: String,
}

impl FrameworkProfile {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let start = args.start();
        let id = args.positional().ok_or_else(|| {
            (
                start,
                "`framework-profile` needs a framework id".to_owned(),
                Some("write e.g. {{#framework-profile pytorch}}".to_owned()),
            )
        })?;
        Ok(FrameworkProfile {
            framework: framework_id(model, id.offset, &id.value)?,
        })
    }

    fn record<'m>(&self, model: &'m Model) -> &'m Framework {
        model.framework(&self.framework).expect("validated")
    }
}

impl ParsedDirective for FrameworkProfile {
    /// In reading order: the summary's and each row's own sources, the
    /// canonical papers (if any), then the record's sources if a field shown
    /// relies on them.
    fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        let f = self.record(model);
        let mut requests: Vec<CitationRequest> = [SUMMARY]
            .iter()
            .chain(ROWS.iter().map(|(_, fields)| fields))
            .filter_map(|fields| own_sources(f, fields))
            .map(|sources| cite_sources(&sources))
            .collect();
        if !f.papers.is_empty() {
            requests.push(CitationRequest {
                items: f
                    .papers
                    .iter()
                    .map(|k| CiteItem {
                        key: k.clone(),
                        locator: None,
                    })
                    .collect(),
                form: CiteForm::Parenthetical,
                prefix: None,
                suffix: None,
            });
        }
        if relies_on_record(f) {
            requests.push(cite_sources(&f.sources));
        }
        requests
    }

    /// Renders the card; the citations come in the order of [`Self::citations`].
    fn render(&self, cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String {
        let model = cx.model;
        let f = self.record(model);
        let w = cites.words();
        let fact = |field| fact(f, field, w);
        let mut cited = |text: String, fields: &[FactField]| match own_sources(f, fields) {
            Some(_) => format!("{text} {}", cites.next_markdown()),
            None => text,
        };
        let summary = f.summary.as_ref().map(|_| cited(fact("summary"), SUMMARY));
        let [organisation, release, languages, license, status] = ROWS.map(|(_, fields)| fields);
        let mut rows: Vec<Vec<String>> = vec![
            vec![
                w.organisation.into(),
                cited(fact("organisation"), organisation),
            ],
            vec![
                w.first_release.into(),
                cited(
                    match &f.first_release_version {
                        Some(v) => {
                            let version = Words::fill(w.version_note, &escape_text(v));
                            format!("{}{version}", fact("first-release"))
                        }
                        None => fact("first-release"),
                    },
                    release,
                ),
            ],
            vec![w.languages.into(), cited(fact("languages"), languages)],
            vec![w.licence.into(), cited(fact("license"), license)],
            vec![
                w.status.into(),
                cited(
                    match &f.status_note {
                        Some(_) => format!("{}{}{}", fact("status"), w.colon, fact("status-note")),
                        None => fact("status"),
                    },
                    status,
                ),
            ],
        ];
        if !f.papers.is_empty() {
            rows.push(vec![w.canonical_papers.into(), cites.next_markdown()]);
        }
        let links: Vec<String> = [(w.homepage, &f.homepage), (w.repository, &f.repository)]
            .into_iter()
            .filter_map(|(label, url)| url.as_ref().map(|u| markdown::link(label, u, None)))
            .collect();
        if !links.is_empty() {
            rows.push(vec![w.links.into(), links.join(w.list_separator)]);
        }
        if relies_on_record(f) {
            rows.push(vec![w.sources.into(), cites.next_markdown()]);
        }
        let header = vec![format!("**{}**", escape_text(&f.name)), String::new()];
        let mut out = String::new();
        if let Some(summary) = summary {
            out.push_str(&format!("> {summary}\n\n"));
        }
        out.push_str(&table(&header, &rows));
        out
    }
}

/// The fields of the summary quote.
const SUMMARY: &[FactField] = &[FactField::Summary];

/// The fact rows of the card and the fields each shows, in display order.
const ROWS: [(&str, &[FactField]); 5] = [
    ("organisation", &[FactField::Organisation]),
    (
        "first-release",
        &[FactField::FirstRelease, FactField::FirstReleaseVersion],
    ),
    ("languages", &[FactField::Languages]),
    ("license", &[FactField::License]),
    ("status", &[FactField::Status, FactField::StatusNote]),
];

/// The own sources of the fields present among `fields`, without repeats; `None`
/// when none of them has sources of its own.
fn own_sources(f: &Framework, fields: &[FactField]) -> Option<Vec<Source>> {
    let mut sources: Vec<Source> = Vec::new();
    for provenance in fields.iter().filter_map(|&field| f.provenance(field)) {
        if provenance.own_sources {
            for source in &provenance.sources {
                if !sources.contains(source) {
                    sources.push(source.clone());
                }
            }
        }
    }
    (!sources.is_empty()).then_some(sources)
}

/// Whether a field on the card relies on the record's sources.
fn relies_on_record(f: &Framework) -> bool {
    !f.sources.is_empty() && f.provenance.iter().any(|(_, p)| !p.own_sources)
}
