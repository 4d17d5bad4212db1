//! `{{#paper-citation KEY[,KEY...] [form=...] [page=|section=|chapter=...] [prefix=...] [suffix=...]}}`
//!
//! With several works, each may carry its own locator after a colon:
//! `{{#paper-citation abadi2015tensorflow:section=3,dean2012large:page=2}}`.

use super::{Citations, DirectiveKind, ParsedDirective, RenderCx};
use crate::cite::{CitationRequest, CiteForm, CiteItem};
use crate::diagnostics::{did_you_mean, one_of};
use crate::directive::{ArgProblem, ArgReader, PandocCitation, list_items};
use crate::model::{Locator, Model};

pub(super) const ARGUMENTS: &[&str] = &["form", "page", "section", "chapter", "prefix", "suffix"];

/// The registry entry of `{{#paper-citation}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "paper-citation",
    arguments: ARGUMENTS,
    block: None,
    parse: |args, model| Ok(Box::new(PaperCitation::parse(args, model)?)),
};

const FORMS: &[&str] = &["parenthetical", "narrative", "year", "author"];

/// An inline citation of one or more works.
#[derive(Debug, Clone)]
pub struct PaperCitation {
    request: CitationRequest,
    /// Pandoc's `[-@key]`: the year in parentheses, as Pandoc prints it.
    parenthesized: bool,
}

impl PaperCitation {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let start = args.start();
        let keys = args.positional().ok_or_else(|| {
            (
                start,
                "`paper-citation` needs a citation key".to_owned(),
                Some("write e.g. {{#paper-citation paszke2019pytorch}}".to_owned()),
            )
        })?;
        let mut items = Vec::new();
        for (offset, item) in list_items(&keys) {
            let (key, locator) = split_key(item, model);
            let locator = match locator {
                None => None,
                Some(spec) => Some(item_locator(spec, offset + key.len() + 1)?),
            };
            if model.work(key).is_none() {
                let hint = model.unknown_work_hint(key);
                return Err((offset, format!("unknown work `{key}`"), Some(hint)));
            }
            items.push(CiteItem {
                key: key.to_owned(),
                locator,
            });
        }
        let form = match args.key("form")? {
            None => CiteForm::Parenthetical,
            Some(arg) => match arg.value.as_str() {
                "parenthetical" => CiteForm::Parenthetical,
                "narrative" => CiteForm::Narrative,
                "year" => CiteForm::YearOnly,
                "author" => CiteForm::AuthorOnly,
                other => {
                    let hint = did_you_mean(other, FORMS.iter().copied())
                        .unwrap_or_else(|| format!("use {}", one_of(FORMS.iter().copied())));
                    return Err((
                        arg.value_offset,
                        format!("unknown citation form `{other}`"),
                        Some(hint),
                    ));
                }
            },
        };
        let mut locator = None;
        for kind in ["page", "section", "chapter"] {
            if let Some(arg) = args.key(kind)? {
                if locator.is_some() {
                    return Err((
                        arg.offset,
                        "a citation takes at most one locator".into(),
                        Some("keep one of `page`, `section` or `chapter`".into()),
                    ));
                }
                if arg.value.trim().is_empty() {
                    return Err((
                        arg.value_offset,
                        format!("`{kind}` needs a value"),
                        Some(format!("write e.g. {kind}=3")),
                    ));
                }
                if items.len() > 1 || items.iter().any(|i| i.locator.is_some()) {
                    return Err((
                        arg.offset,
                        "a locator argument needs a single cited work without its own locator"
                            .into(),
                        Some(format!(
                            "give each work its own, e.g. KEY:{kind}=3,KEY2:page=5"
                        )),
                    ));
                }
                locator = Locator::from_kind(kind, arg.value);
            }
        }
        if let (Some(item), Some(locator)) = (items.first_mut(), locator) {
            item.locator = Some(locator);
        }
        let prefix = args.key("prefix")?.map(|a| a.value);
        let suffix = args.key("suffix")?.map(|a| a.value);
        Ok(PaperCitation {
            request: CitationRequest {
                items,
                form,
                prefix,
                suffix,
            },
            parenthesized: false,
        })
    }

    /// A citation written in Pandoc's syntax: the same request as the directive
    /// that says the same (`[see @k, p. 3]` is `{{#paper-citation k page=3
    /// prefix="see"}}`). Our requests have one prefix and one suffix, so text
    /// before a later work or after an earlier one is refused, as is `-@` on
    /// only some of the works.
    pub(crate) fn from_pandoc(
        citation: &PandocCitation<'_>,
        model: &Model,
    ) -> Result<Self, ArgProblem> {
        let count = citation.items.len();
        let suppressed = citation.items.iter().filter(|i| i.suppress_author).count();
        if suppressed != 0 && suppressed != count {
            let item = citation.items.iter().find(|i| i.suppress_author);
            return Err((
                item.map_or(citation.span.start, |i| i.key_offset),
                "`-@` (year only) must be on every work of a citation or on none".into(),
                Some("split it into two citations, e.g. [-@a] [@b]".into()),
            ));
        }
        let mut items = Vec::with_capacity(count);
        for (i, item) in citation.items.iter().enumerate() {
            if i > 0 && !item.prefix.0.is_empty() {
                return Err((
                    item.prefix.1,
                    format!("text before `@{}`, a later work of the citation", item.key),
                    Some("a citation has one prefix, before its first work: split it, e.g. [see @a] [also @b]".into()),
                ));
            }
            if i + 1 < count && !item.suffix.0.is_empty() {
                return Err((
                    item.suffix.1,
                    format!("text after `@{}`, before the citation's last work", item.key),
                    Some("a citation has one suffix, after its last work: split it, or use a page, section or chapter locator".into()),
                ));
            }
            if model.work(item.key).is_none() {
                return Err((
                    item.key_offset,
                    format!("unknown work `{}`", item.key),
                    Some(model.unknown_work_hint(item.key)),
                ));
            }
            items.push(CiteItem {
                key: item.key.to_owned(),
                locator: item
                    .locator
                    .as_ref()
                    .and_then(|(kind, value)| Locator::from_kind(kind, value.clone())),
            });
        }
        let non_empty = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        let form = if citation.narrative {
            CiteForm::Narrative
        } else if suppressed > 0 {
            CiteForm::YearOnly
        } else {
            CiteForm::Parenthetical
        };
        Ok(PaperCitation {
            request: CitationRequest {
                items,
                form,
                prefix: citation.items.first().and_then(|i| non_empty(i.prefix.0)),
                suffix: citation.items.last().and_then(|i| non_empty(i.suffix.0)),
            },
            parenthesized: form == CiteForm::YearOnly,
        })
    }
}

impl ParsedDirective for PaperCitation {
    fn citations(&self, _model: &Model) -> Vec<CitationRequest> {
        vec![self.request.clone()]
    }

    /// The citation's Markdown, from its rendered form.
    fn render(&self, _cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String {
        let rendered = cites.next_markdown();
        if self.parenthesized {
            format!("({rendered})")
        } else {
            rendered
        }
    }
}

/// Splits `KEY` or `KEY:kind=value` into the key and the locator text.
///
/// BibTeX keys may hold colons (BibDesk's `Smith:2022`, DBLP's
/// `DBLP:conf/osdi/DoeR16`), so a key the data defines is never split: the item
/// is split only at a colon followed by a locator kind and `=`, and only when the
/// whole item is not itself a key.
fn split_key<'t>(item: &'t str, model: &Model) -> (&'t str, Option<&'t str>) {
    if model.work(item).is_some() {
        return (item, None);
    }
    let at_locator = item.match_indices(':').rev().find(|(at, _)| {
        let spec = &item[at + 1..];
        spec.split_once('=')
            .is_some_and(|(kind, _)| Locator::from_kind(kind.trim(), String::new()).is_some())
    });
    // Else a known key before a colon: what follows is a (bad) locator.
    let at_key = || {
        item.match_indices(':')
            .rev()
            .find(|(at, _)| model.work(&item[..*at]).is_some())
    };
    match at_locator.or_else(at_key) {
        Some((at, _)) => (&item[..at], Some(&item[at + 1..])),
        // The whole item is the key, unknown; reported as such.
        None => (item, None),
    }
}

/// A per-work locator written `kind=value` after the key, at byte `offset`.
fn item_locator(spec: &str, offset: usize) -> Result<Locator, ArgProblem> {
    let hint = || Some("write KEY:page=3, KEY:section=4.1 or KEY:chapter=2".to_owned());
    let (kind, value) = spec
        .split_once('=')
        .ok_or_else(|| (offset, format!("bad locator `{spec}`"), hint()))?;
    if value.trim().is_empty() {
        return Err((offset, format!("`{kind}` needs a value"), hint()));
    }
    Locator::from_kind(kind, value.to_owned()).ok_or_else(|| {
        let hint = did_you_mean(kind, ["page", "section", "chapter"])
            .unwrap_or_else(|| hint().unwrap_or_default());
        (offset, format!("unknown locator `{kind}`"), Some(hint))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directive::parse_args;

    fn parse(args: &str) -> Result<PaperCitation, ArgProblem> {
        let mut reader = ArgReader::new(parse_args(args, 0).unwrap(), 0);
        let citation = PaperCitation::parse(&mut reader, Model::builtin())?;
        reader.finish("paper-citation", ARGUMENTS)?;
        Ok(citation)
    }

    #[test]
    fn keys_forms_locators_and_affixes() {
        let c = parse(r#"paszke2019pytorch form=narrative page=8026 prefix="see""#).unwrap();
        assert_eq!(c.request.form, CiteForm::Narrative);
        assert_eq!(
            c.request.items[0].locator,
            Some(Locator::Page("8026".into()))
        );
        assert_eq!(c.request.prefix.as_deref(), Some("see"));
        assert_eq!(
            parse("paszke2019pytorch,abadi2016tensorflow")
                .unwrap()
                .request
                .items
                .len(),
            2
        );
    }

    #[test]
    fn bad_arguments_are_located_with_hints() {
        let (offset, message, hint) = parse("paszke2019pytorch,abadi2016tensorflw").unwrap_err();
        assert_eq!(
            (offset, message.as_str()),
            (18, "unknown work `abadi2016tensorflw`")
        );
        assert_eq!(hint.as_deref(), Some("did you mean `abadi2016tensorflow`?"));
        assert_eq!(
            parse("paszke2019pytorch form=narativ")
                .unwrap_err()
                .2
                .as_deref(),
            Some("did you mean `narrative`?")
        );
        assert_eq!(
            parse("paszke2019pytorch,abadi2016tensorflow page=3")
                .unwrap_err()
                .1,
            "a locator argument needs a single cited work without its own locator"
        );
        let (offset, message, hint) = parse("paszke2019pytorch:pgae=3").unwrap_err();
        assert_eq!((offset, message.as_str()), (18, "unknown locator `pgae`"));
        assert_eq!(hint.as_deref(), Some("did you mean `page`?"));
        assert_eq!(
            parse("paszke2019pytorch:page").unwrap_err().1,
            "bad locator `page`"
        );
        let items = parse("abadi2015tensorflow:section=3,paszke2019pytorch:page=8026")
            .unwrap()
            .request
            .items;
        assert_eq!(items[0].locator, Some(Locator::Section("3".into())));
        assert_eq!(items[1].locator, Some(Locator::Page("8026".into())));
        assert_eq!(
            parse("paszke2019pytorch pages=3").unwrap_err().1,
            "unknown argument `pages` for `paper-citation`"
        );
        assert_eq!(
            parse("").unwrap_err().1,
            "`paper-citation` needs a citation key"
        );
    }
}
