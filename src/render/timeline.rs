//! `{{#timeline [frameworks=a,b] [from=YEAR] [to=YEAR] [chart]}}`: first releases,
//! canonical papers and milestones from the model, in date order, each with its
//! source. `chart` draws them first as an SVG chart (see `timeline_chart`).

use super::timeline_chart::{self, Kind, Mark};
use super::{
    Citations, DirectiveKind, ParsedDirective, RenderCx, cite_sources, framework_id, table,
};
use crate::cite::{CitationRequest, CiteForm, CiteItem};
use crate::directive::{ArgProblem, ArgReader, list_items};
use crate::markdown::{escape_text, inline_markdown};
use crate::model::{FactField, Model, PartialDate, Source, Work};
use crate::words::Words;

/// How a canonical work is introduced on the timeline: its BibTeX `type` or
/// CSL `genre` ("White paper") when it has one, else its kind ("Paper", in `words`).
fn publication_label(work: &Work, words: &Words) -> String {
    match work.entry.genre() {
        Some(genre) => {
            let genre = genre.value.to_string();
            let mut chars = genre.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or(genre)
        }
        None => words.work_kind(work.kind_label()).to_owned(),
    }
}

/// The sources of a first release: those of its date, then those the version
/// has of its own.
fn release_sources(f: &crate::model::Framework) -> Vec<Source> {
    let mut sources = f.sources_of(FactField::FirstRelease).to_vec();
    if let Some(version) = f.provenance(FactField::FirstReleaseVersion)
        && version.own_sources
    {
        for source in &version.sources {
            if !sources.contains(source) {
                sources.push(source.clone());
            }
        }
    }
    sources
}

pub(super) const ARGUMENTS: &[&str] = &["frameworks", "from", "to", "chart"];

/// The registry entry of `{{#timeline}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "timeline",
    arguments: ARGUMENTS,
    block: Some("a table"),
    parse: |args, model| Ok(Box::new(Timeline::parse(args, model)?)),
};

/// A chronology.
#[derive(Debug, Clone)]
pub struct Timeline {
    frameworks: Option<Vec<String>>,
    from: Option<i32>,
    to: Option<i32>,
    chart: bool,
}

/// One row, before rendering.
struct Entry {
    kind: Kind,
    date: PartialDate,
    framework: Option<String>,
    label: String,
    citation: CitationRequest,
}

impl Timeline {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let frameworks = match args.key("frameworks")? {
            None => None,
            Some(arg) => Some(
                list_items(&arg)
                    .into_iter()
                    .map(|(offset, id)| framework_id(model, offset, id))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let mut year = |key: &str| -> Result<Option<i32>, ArgProblem> {
            match args.key(key)? {
                None => Ok(None),
                Some(arg) => arg.value.parse::<i32>().map(Some).map_err(|_| {
                    (
                        arg.value_offset,
                        format!("`{key}` must be a year, not `{}`", arg.value),
                        Some(format!("write e.g. {key}=2015")),
                    )
                }),
            }
        };
        let (from, to) = (year("from")?, year("to")?);
        Ok(Timeline {
            frameworks,
            from,
            to,
            chart: args.flag("chart"),
        })
    }

    fn entries(&self, model: &Model, words: &Words) -> Vec<Entry> {
        let selected = |id: Option<&str>| match (&self.frameworks, id) {
            (None, _) => true,
            (Some(list), Some(id)) => list.iter().any(|f| f == id),
            (Some(_), None) => false,
        };
        let mut entries = Vec::new();
        for f in model.frameworks().iter().filter(|f| selected(Some(&f.id))) {
            let version = f
                .first_release_version
                .as_ref()
                .map_or_else(String::new, |v| {
                    Words::fill(words.version_note, &escape_text(v))
                });
            entries.push(Entry {
                kind: Kind::Release,
                date: f.first_release,
                framework: Some(f.id.clone()),
                label: format!(
                    "{}{version}",
                    Words::fill(words.first_release_of, &escape_text(&f.name))
                ),
                citation: cite_sources(&release_sources(f)),
            });
            for key in &f.papers {
                // Validation keeps only keys of loaded works; an undated work has no place here.
                let Some(work) = model.work(key) else {
                    continue;
                };
                let Some(year) = work.year() else {
                    continue;
                };
                entries.push(Entry {
                    kind: Kind::Paper,
                    date: PartialDate {
                        year,
                        month: work.month(),
                        day: None,
                    },
                    framework: Some(f.id.clone()),
                    label: format!(
                        "{}{}*{}*",
                        publication_label(work, words),
                        words.colon,
                        escape_text(&work.title())
                    ),
                    citation: CitationRequest {
                        items: vec![CiteItem {
                            key: key.clone(),
                            locator: None,
                        }],
                        form: CiteForm::Parenthetical,
                        prefix: None,
                        suffix: None,
                    },
                });
            }
        }
        for event in model
            .events()
            .iter()
            .filter(|e| selected(e.framework.as_deref()))
        {
            entries.push(Entry {
                kind: Kind::Milestone,
                date: event.date,
                framework: event.framework.clone(),
                label: inline_markdown(&event.label),
                citation: cite_sources(&event.sources as &[Source]),
            });
        }
        entries.retain(|e| {
            self.from.is_none_or(|y| e.date.year >= y) && self.to.is_none_or(|y| e.date.year <= y)
        });
        // A date known only to the year (or month) sorts after the precise dates of
        // that year (or month): it may lie anywhere in it, and a reader scanning
        // forwards should not meet it before events it may well follow.
        entries.sort_by_key(|e| {
            (
                e.date.year,
                e.date.month.unwrap_or(13),
                e.date.day.unwrap_or(32),
            )
        });
        entries
    }
}

impl ParsedDirective for Timeline {
    fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        // The labels are not used: any language's give the same citations.
        self.entries(model, Words::english())
            .into_iter()
            .map(|e| e.citation)
            .collect()
    }

    fn render(&self, cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String {
        let model = cx.model;
        let words = cites.words();
        let entries = self.entries(model, words);
        let chart = self.chart.then(|| self.chart(model, &entries)).flatten();
        let rows: Vec<Vec<String>> = entries
            .into_iter()
            .map(|e| {
                let framework = e
                    .framework
                    .and_then(|id| model.framework(&id))
                    .map_or_else(|| "—".to_owned(), |f| escape_text(&f.name));
                vec![
                    escape_text(&words.date(&e.date)),
                    framework,
                    e.label,
                    cites.next_markdown(),
                ]
            })
            .collect();
        if rows.is_empty() {
            return format!("*{}*", words.no_milestones);
        }
        let table = table(
            &[
                words.date.into(),
                words.framework.into(),
                words.milestone.into(),
                words.source.into(),
            ],
            &rows,
        );
        match chart {
            Some(chart) => format!("{chart}\n\n{table}"),
            None => table,
        }
    }
}

impl Timeline {
    /// The entries as a chart: one lane per framework that has an entry, in the
    /// model's order.
    fn chart(&self, model: &Model, entries: &[Entry]) -> Option<String> {
        let name = |id: &Option<String>| {
            id.as_deref()
                .and_then(|id| model.framework(id))
                .map(|f| f.name.as_str())
        };
        let lanes: Vec<&str> = model
            .frameworks()
            .iter()
            .filter(|f| {
                entries
                    .iter()
                    .any(|e| e.framework.as_deref() == Some(&f.id))
            })
            .map(|f| f.name.as_str())
            .collect();
        let marks: Vec<Mark<'_>> = entries
            .iter()
            .map(|e| Mark {
                date: e.date,
                lane: name(&e.framework),
                kind: e.kind,
                label: &e.label,
            })
            .collect();
        let title = match (self.from, self.to) {
            (Some(from), Some(to)) => format!("Timeline, {from} to {to}"),
            _ => "Timeline".to_owned(),
        };
        timeline_chart::figure(&title, &lanes, &marks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelBuilder;

    const DATA: &str = r#"
[[frameworks]]
id = "x"
name = "X"
organisation = "Lab"
first-release = "2017-01"
languages = ["C"]
license = "MIT"
status = "active"
papers = ["xsoft"]
sources = [{ work = "xsoft" }]

[[events]]
date = "2017"
framework = "x"
label = "Version 1.0"
sources = [{ work = "xsoft" }]

[[events]]
date = "2017-03-02"
framework = "x"
label = "Version 0.9"
sources = [{ work = "xsoft" }]
"#;

    #[test]
    fn imprecise_dates_follow_the_precise_ones_of_their_period() {
        let mut builder = ModelBuilder::new();
        builder.add_works(
            "t.bib".as_ref(),
            "@software{xsoft, title = {X}, author = {{Lab}}, year = 2016}",
        );
        builder.add_toml("t.toml".as_ref(), DATA);
        let (model, _) = builder.build().unwrap();
        let timeline = Timeline {
            frameworks: None,
            from: None,
            to: None,
            chart: false,
        };
        let labels: Vec<String> = timeline
            .entries(&model, Words::english())
            .into_iter()
            .map(|e| format!("{}: {}", e.date, e.label))
            .collect();
        assert_eq!(
            labels,
            [
                "2016: Software: *X*",
                "January 2017: First public release of X",
                "2 March 2017: Version 0.9",
                "2017: Version 1.0",
            ]
        );
        let only_2016 = Timeline {
            frameworks: None,
            from: None,
            to: Some(2016),
            chart: false,
        };
        assert_eq!(only_2016.entries(&model, Words::english()).len(), 1);
    }
}
