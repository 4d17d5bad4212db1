//! `{{#framework-profile ID}}`: a summary card of one framework, from the model.

use super::framework_fact::fact;
use super::{Citations, cite_sources, framework_id, table};
use crate::cite::{CitationRequest, CiteForm, CiteItem};
use crate::directive::{ArgProblem, ArgReader};
use crate::markdown::{self, escape_text};
use crate::model::{Framework, Model};
use crate::words::Words;

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

    /// The canonical papers (if any), then the record's sources.
    pub(super) fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        let f = self.record(model);
        let mut requests = Vec::new();
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
        requests.push(cite_sources(&f.sources));
        requests
    }

    pub(super) fn render(&self, model: &Model, cites: &mut Citations<'_, '_>) -> String {
        let f = self.record(model);
        let w = cites.words();
        let fact = |field| fact(f, field, w);
        let mut rows: Vec<Vec<String>> = vec![
            vec![w.organisation.into(), fact("organisation")],
            vec![
                w.first_release.into(),
                match &f.first_release_version {
                    Some(v) => {
                        let version = Words::fill(w.version_note, &escape_text(v));
                        format!("{}{version}", fact("first-release"))
                    }
                    None => fact("first-release"),
                },
            ],
            vec![w.languages.into(), fact("languages")],
            vec![w.licence.into(), fact("license")],
            vec![
                w.status.into(),
                match &f.status_note {
                    Some(_) => format!("{}{}{}", fact("status"), w.colon, fact("status-note")),
                    None => fact("status"),
                },
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
        rows.push(vec![w.sources.into(), cites.next_markdown()]);
        let header = vec![format!("**{}**", escape_text(&f.name)), String::new()];
        let mut out = String::new();
        if f.summary.is_some() {
            out.push_str(&format!("> {}\n\n", fact("summary")));
        }
        out.push_str(&table(&header, &rows));
        out
    }
}
