//! `{{#framework-fact ID FIELD [cite]}}`: one fact from the model, inline, so prose
//! never hard-codes what the model holds. `cite` appends the field's sources: its
//! own when the data gives them, else the record's.

use super::{Citations, DirectiveKind, ParsedDirective, RenderCx, cite_sources, framework_id};
use crate::cite::CitationRequest;
use crate::diagnostics::{did_you_mean, one_of};
use crate::directive::{ArgProblem, ArgReader};
use crate::markdown::{escape_text, inline_markdown};
use crate::model::{FactField, Framework, Model, Source};
use crate::words::Words;

pub(super) const ARGUMENTS: &[&str] = &["cite"];

/// The registry entry of `{{#framework-fact}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "framework-fact",
    arguments: ARGUMENTS,
    block: None,
    parse: |args, model| Ok(Box::new(FrameworkFact::parse(args, model)?)),
};

/// The fields a fact can show.
pub const FIELDS: &[&str] = &[
    "name",
    "organisation",
    "first-release",
    "first-release-year",
    "first-release-version",
    "languages",
    "license",
    "status",
    "status-note",
    "summary",
    "homepage",
    "repository",
];

/// One fact about one framework.
#[derive(Debug, Clone)]
pub struct FrameworkFact {
    framework: String,
    field: &'static str,
    cite: bool,
}

impl FrameworkFact {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let start = args.start();
        let usage = || {
            Some(format!(
                "write {{{{#framework-fact ID FIELD}}}}; fields: {}",
                one_of(FIELDS.iter().copied())
            ))
        };
        let id = args.positional().ok_or_else(|| {
            (
                start,
                "`framework-fact` needs a framework id and a field".to_owned(),
                usage(),
            )
        })?;
        let framework = framework_id(model, id.offset, &id.value)?;
        let field_arg = args.positional().ok_or_else(|| {
            (
                id.offset,
                "`framework-fact` needs a field after the framework id".to_owned(),
                usage(),
            )
        })?;
        let field = FIELDS
            .iter()
            .copied()
            .find(|f| *f == field_arg.value)
            .ok_or_else(|| {
                let hint = did_you_mean(&field_arg.value, FIELDS.iter().copied())
                    .unwrap_or_else(|| format!("fields: {}", one_of(FIELDS.iter().copied())));
                (
                    field_arg.offset,
                    format!("unknown field `{}`", field_arg.value),
                    Some(hint),
                )
            })?;
        let fact = FrameworkFact {
            framework,
            field,
            cite: args.flag("cite"),
        };
        if fact.cite && fact.sources(model).is_empty() {
            return Err((
                field_arg.offset,
                format!("`{}` of `{}` has no sources to cite", field, fact.framework),
                Some("give the framework record `sources`, or drop `cite`".to_owned()),
            ));
        }
        Ok(fact)
    }

    /// The sources of the fact: the field's own, else the record's.
    fn sources<'m>(&self, model: &'m Model) -> &'m [Source] {
        let record = self.record(model);
        match fact_field(self.field) {
            Some(field) => record.sources_of(field),
            None => &record.sources,
        }
    }

    fn record<'m>(&self, model: &'m Model) -> &'m Framework {
        model.framework(&self.framework).expect("validated")
    }
}

impl ParsedDirective for FrameworkFact {
    fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        match self.cite {
            true => vec![cite_sources(self.sources(model))],
            false => Vec::new(),
        }
    }

    fn render(&self, cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String {
        let model = cx.model;
        let mut text = fact(self.record(model), self.field, cites.words());
        if self.cite {
            text.push(' ');
            text.push_str(&cites.next_markdown());
        }
        text
    }
}

/// The fact field a directive field shows; `None` for the record's identity
/// (`name`, `homepage`, `repository`), which the record's sources cover.
fn fact_field(field: &str) -> Option<FactField> {
    match field {
        "first-release-year" => Some(FactField::FirstRelease),
        other => FactField::ALL.into_iter().find(|f| f.key() == other),
    }
}

/// A field of a framework as inline Markdown, dates and the status in the book's
/// `words`; "not recorded" (in those words) for an empty optional field.
pub(super) fn fact(f: &Framework, field: &str, words: &Words) -> String {
    let optional = |value: &Option<String>, markdown: bool| match value {
        Some(v) if markdown => inline_markdown(v),
        Some(v) => escape_text(v),
        None => words.not_recorded.to_owned(),
    };
    match field {
        "name" => escape_text(&f.name),
        "organisation" => escape_text(&f.organisation),
        "first-release" => escape_text(&words.date(&f.first_release)),
        "first-release-year" => f.first_release.year.to_string(),
        "first-release-version" => optional(&f.first_release_version, false),
        "languages" => escape_text(&f.languages.join(", ")),
        "license" => escape_text(&f.license),
        "status" => words.status(f.status).to_owned(),
        "status-note" => optional(&f.status_note, true),
        "summary" => optional(&f.summary, true),
        "homepage" => f
            .homepage
            .as_deref()
            .map_or_else(|| words.not_recorded.to_owned(), |u| format!("<{u}>")),
        "repository" => f
            .repository
            .as_deref()
            .map_or_else(|| words.not_recorded.to_owned(), |u| format!("<{u}>")),
        other => unreachable!("`{other}` is not one of FIELDS"),
    }
}
