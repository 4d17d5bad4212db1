//! `{{#paper-citation KEY[,KEY...] [form=...] [page=|section=|chapter=...] [prefix=...] [suffix=...]}}`

use crate::cite::{CitationRequest, CiteForm, CiteItem};
use crate::diagnostics::{closest, one_of};
use crate::directive::{ArgProblem, ArgReader, list_items};
use crate::model::{Locator, Model};

pub(super) const ARGUMENTS: &[&str] = &["form", "page", "section", "chapter", "prefix", "suffix"];
const FORMS: &[&str] = &["parenthetical", "narrative", "year", "author"];

/// An inline citation of one or more works.
#[derive(Debug, Clone)]
pub struct PaperCitation {
    request: CitationRequest,
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
        for (offset, key) in list_items(&keys) {
            if model.paper(key).is_none() {
                let hint = closest(key, model.papers().iter().map(|p| p.key.as_str())).map_or_else(
                    || "run `mdbook-frameworks list papers` to see the known keys".to_owned(),
                    |best| format!("did you mean `{best}`?"),
                );
                return Err((offset, format!("unknown paper `{key}`"), Some(hint)));
            }
            items.push(CiteItem {
                key: key.to_owned(),
                locator: None,
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
                    let hint = closest(other, FORMS.iter().copied()).map_or_else(
                        || format!("use {}", one_of(FORMS.iter().copied())),
                        |b| format!("did you mean `{b}`?"),
                    );
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
                if items.len() > 1 {
                    return Err((
                        arg.offset,
                        "a locator needs a single cited work".into(),
                        Some("cite the works separately, each with its own locator".into()),
                    ));
                }
                locator = Locator::from_kind(kind, arg.value);
            }
        }
        if let Some(item) = items.first_mut() {
            item.locator = locator;
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
        })
    }

    pub(super) fn request(&self) -> CitationRequest {
        self.request.clone()
    }
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
            (18, "unknown paper `abadi2016tensorflw`")
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
            "a locator needs a single cited work"
        );
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
