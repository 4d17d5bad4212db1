//! `{{#comparison-table [frameworks=a,b@1,...] [dimensions=x,y] [transpose]}}`
//!
//! Rows are dimensions and columns frameworks (swapped by `transpose`); more than
//! [`MAX_COLUMNS`] columns are shared out between several tables, and each cell
//! names its sources by a numbered note under the table. A column may
//! pin framework versions (`tensorflow@1`); it then shows only the claims whose
//! version range overlaps the pin. An unpinned column shows every claim of the cell,
//! each labelled with its versions. `as-of` adds a line under the table with the
//! oldest check date among the claims shown.

use semver::VersionReq;

use std::collections::HashMap;

use super::{
    CitationSite, Citations, DirectiveKind, ParsedDirective, RenderCx, anchor_span, cite_sources,
    framework_id, table,
};
use crate::cite::CitationRequest;
use crate::diagnostics::did_you_mean;
use crate::directive::{ArgProblem, ArgReader, list_items};
use crate::markdown::{escape_text, inline_markdown};
use crate::model::{Claim, Day, Model, overlaps, parse_pin};

pub(super) const ARGUMENTS: &[&str] = &["frameworks", "dimensions", "transpose", "as-of"];

/// The registry entry of `{{#comparison-table}}`.
pub(super) const KIND: DirectiveKind = DirectiveKind {
    name: "comparison-table",
    arguments: ARGUMENTS,
    block: Some("a table"),
    parse: |args, model| Ok(Box::new(ComparisonTable::parse(args, model)?)),
};

/// A framework column, optionally pinned to versions.
#[derive(Debug, Clone)]
struct Column {
    framework: String,
    pin: Option<(String, VersionReq)>,
}

/// A table of claims over frameworks × dimensions.
#[derive(Debug, Clone)]
pub struct ComparisonTable {
    columns: Vec<Column>,
    dimensions: Vec<String>,
    transpose: bool,
    /// The oldest check among the claims shown, when `as-of` asks for it.
    as_of: Option<Day>,
}

impl ComparisonTable {
    pub(super) fn parse(args: &mut ArgReader, model: &Model) -> Result<Self, ArgProblem> {
        let columns = match args.key("frameworks")? {
            None => model
                .frameworks()
                .iter()
                .map(|f| Column {
                    framework: f.id.clone(),
                    pin: None,
                })
                .collect(),
            Some(arg) => {
                let mut columns = Vec::new();
                for (offset, item) in list_items(&arg) {
                    let (id, pin) = match item.split_once('@') {
                        Some((id, pin)) => (id, Some(pin)),
                        None => (item, None),
                    };
                    let framework = framework_id(model, offset, id)?;
                    let pin = match pin {
                        None => None,
                        Some(text) => match parse_pin(text) {
                            Ok(req) => Some((text.to_owned(), req)),
                            Err(e) => {
                                let at = offset + id.len() + 1;
                                return Err((at, format!("bad version `{text}` for `{id}`: {e}"), Some("pin a major version like `tensorflow@1`, or a range like `tensorflow@>=2.4`".into())));
                            }
                        },
                    };
                    columns.push(Column { framework, pin });
                }
                if columns.is_empty() {
                    return Err((
                        arg.value_offset,
                        "`frameworks` is empty".into(),
                        Some("list framework ids, e.g. frameworks=pytorch,tensorflow".into()),
                    ));
                }
                columns
            }
        };
        let dimensions = match args.key("dimensions")? {
            None => model
                .default_dimensions()
                .iter()
                .map(|d| d.id.clone())
                .collect(),
            Some(arg) => {
                let mut dimensions = Vec::new();
                for (offset, id) in list_items(&arg) {
                    if model.dimension(id).is_none() {
                        let hint =
                            did_you_mean(id, model.dimensions().iter().map(|d| d.id.as_str()))
                                .unwrap_or_else(|| {
                                    "run `mdbook-frameworks list dimensions` to see the known ids"
                                        .to_owned()
                                });
                        return Err((offset, format!("unknown dimension `{id}`"), Some(hint)));
                    }
                    dimensions.push(id.to_owned());
                }
                if dimensions.is_empty() {
                    return Err((
                        arg.value_offset,
                        "`dimensions` is empty".into(),
                        Some(
                            "list dimension ids, e.g. dimensions=execution-model,debugging".into(),
                        ),
                    ));
                }
                dimensions
            }
        };
        // A book's own data may define no frameworks or no dimensions at all: a
        // table without columns or rows is a mistake to point at, not to render.
        if columns.is_empty() || dimensions.is_empty() {
            let missing = if columns.is_empty() {
                "frameworks"
            } else {
                "dimensions"
            };
            // A file the loader rejected is not "no data": say why nothing loaded.
            let (why, hint) = if model.is_incomplete() {
                (
                    "none was loaded",
                    "fix the data problems reported above: a record with a problem is left out"
                        .to_owned(),
                )
            } else {
                (
                    "the data defines none",
                    format!(
                        "add [[{missing}]] to a data file, or keep the built-in data (`builtin = true`)"
                    ),
                )
            };
            return Err((
                args.start(),
                format!("no {missing} to compare: {why}"),
                Some(hint),
            ));
        }
        let mut table = ComparisonTable {
            columns,
            dimensions,
            transpose: args.flag("transpose"),
            as_of: None,
        };
        if args.flag("as-of") {
            table.as_of = table.oldest_check(model, args.start())?;
        }
        Ok(table)
    }

    /// The oldest check date among the claims shown; every one needs a date.
    fn oldest_check(&self, model: &Model, at: usize) -> Result<Option<Day>, ArgProblem> {
        let mut oldest: Option<Day> = None;
        let mut undated: Option<&Claim> = None;
        for_each_cell(self, |column, dimension| {
            for claim in self.cell(model, column, dimension) {
                match &claim.checked {
                    Some(c) => oldest = Some(oldest.map_or(c.day, |o| o.min(c.day))),
                    None => undated = undated.or(Some(claim)),
                }
            }
        });
        match undated {
            None => Ok(oldest),
            Some(claim) => Err((
                at,
                format!(
                    "`as-of` needs a check date on every claim shown; the claim for `{}` × `{}` at {} has none",
                    claim.framework, claim.dimension, claim.at
                ),
                Some("add `checked = \"YYYY-MM-DD\"` to the claim, or drop `as-of`".to_owned()),
            )),
        }
    }

    /// The claims shown in one cell, in data order.
    fn cell<'m>(&self, model: &'m Model, column: &Column, dimension: &str) -> Vec<&'m Claim> {
        model
            .claims_for(&column.framework, dimension)
            .filter(|claim| match (&column.pin, &claim.versions) {
                (Some((_, pin)), Some(range)) => overlaps(pin, range),
                _ => true,
            })
            .collect()
    }
}

impl ParsedDirective for ComparisonTable {
    /// Every cell's citations, in the order `render` shows them.
    fn citations(&self, model: &Model) -> Vec<CitationRequest> {
        let mut requests = Vec::new();
        for_each_cell(self, |column, dimension| {
            requests.extend(
                self.cell(model, column, dimension)
                    .iter()
                    .map(|c| cite_sources(&c.sources)),
            );
        });
        requests
    }

    /// The table, split into parts of at most [`MAX_COLUMNS`] columns, followed by
    /// its sources as numbered notes.
    ///
    /// A cell names its sources by note number: the full citation of every claim in
    /// a cell would make the table several times wider than a page, and repeats
    /// the same few papers in every row. The note carries the citation exactly as
    /// the style renders it, linked to the bibliography, and the anchor of each
    /// citation it stands for (the bibliography's back-references land there).
    /// Claims citing the same sources share a note.
    fn render(&self, cx: &RenderCx<'_>, cites: &mut Citations<'_, '_>) -> String {
        let model = cx.model;
        let words = cites.words();
        let mut notes = Notes::default();
        let mut cells: Vec<String> = Vec::new();
        for_each_cell(self, |column, dimension| {
            let claims = self.cell(model, column, dimension);
            let label_versions = claims.len() > 1 || column.pin.is_none();
            let shown: Vec<String> = claims
                .iter()
                .map(|claim| {
                    let mut text = String::new();
                    if let (true, Some(range)) = (label_versions, &claim.versions) {
                        text.push_str(&format!(
                            "*{} {}:* ",
                            escape_text(&framework_name(model, column)),
                            escape_text(&range.to_string())
                        ));
                    }
                    text.push_str(&inline_markdown(&claim.value));
                    text.push_str(&notes.marker(cites.next_site()));
                    if let Some(note) = &claim.note {
                        text.push_str(&format!(
                            " *{}{}* {}",
                            words.note,
                            words.colon.trim_end(),
                            inline_markdown(note)
                        ));
                    }
                    text
                })
                .collect();
            cells.push(if shown.is_empty() {
                "—".to_owned()
            } else {
                shown.join("; ")
            });
        });

        let column_labels: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("**{}**", escape_text(&column_label(model, c))))
            .collect();
        let dimension_labels: Vec<String> = self
            .dimensions
            .iter()
            .map(|id| {
                format!(
                    "**{}**",
                    escape_text(&model.dimension(id).expect("validated").label)
                )
            })
            .collect();
        let (corner, header_labels, row_labels) = if self.transpose {
            (words.framework, dimension_labels, column_labels)
        } else {
            (words.dimension, column_labels, dimension_labels)
        };
        let mut cells = cells.into_iter();
        let mut tables = Vec::new();
        for part in parts(header_labels.len()) {
            let mut header = vec![corner.to_owned()];
            header.extend(header_labels[part.clone()].iter().cloned());
            let rows: Vec<Vec<String>> = row_labels
                .iter()
                .map(|label| {
                    std::iter::once(label.clone())
                        .chain(cells.by_ref().take(part.len()))
                        .collect()
                })
                .collect();
            tables.push(table(&header, &rows));
        }
        let mut out = format!(
            "<div class=\"mdbook-frameworks-table\">\n\n{}\n\n</div>",
            tables.join("\n\n")
        );
        if !notes.list.is_empty() {
            out.push_str("\n\n<div class=\"mdbook-frameworks-notes\">\n\n");
            out.push_str(&notes.markdown());
            out.push_str("\n\n</div>");
        }
        if let Some(day) = self.as_of {
            out.push_str(&format!(
                "\n\n*As of {day}: the oldest check among these cells.*"
            ));
        }
        out
    }
}

/// The most framework or dimension columns one table shows: beyond it a column
/// would be too narrow to read within mdBook's 750 px text column (or on paper),
/// so the columns are shared out evenly between several tables, each with the
/// row labels. Four matches the built-in data's four frameworks.
pub const MAX_COLUMNS: usize = 4;

/// The column ranges of the tables that show `count` columns: as few tables as
/// [`MAX_COLUMNS`] allows, as even as possible, the larger first (7 → 4 + 3).
fn parts(count: usize) -> Vec<std::ops::Range<usize>> {
    let tables = count.div_ceil(MAX_COLUMNS).max(1);
    let (base, extra) = (count / tables, count % tables);
    let mut start = 0;
    (0..tables)
        .map(|i| {
            let len = base + usize::from(i < extra);
            start += len;
            start - len..start
        })
        .collect()
}

/// The numbered notes under a table: each distinct citation once, with the
/// anchors of every citation site it stands for.
#[derive(Default)]
struct Notes {
    list: Vec<(String, Vec<String>)>,
    by_citation: HashMap<String, usize>,
}

impl Notes {
    /// The superscript note number for one citation, linked to its note.
    fn marker(&mut self, site: CitationSite) -> String {
        let index = *self
            .by_citation
            .entry(site.markdown.clone())
            .or_insert_with(|| {
                self.list.push((site.markdown, Vec::new()));
                self.list.len() - 1
            });
        let anchors = &mut self.list[index].1;
        if let Some(anchor) = site.anchor {
            anchors.push(anchor);
        }
        let number = index + 1;
        match anchors.first() {
            Some(first) => format!("<sup>[{number}](#{first})</sup>"),
            None => format!("<sup>{number}</sup>"),
        }
    }

    /// The notes as a numbered Markdown list.
    fn markdown(&self) -> String {
        self.list
            .iter()
            .enumerate()
            .map(|(i, (citation, anchors))| {
                let spans: String = anchors.iter().map(|a| anchor_span(a)).collect();
                format!("{}. {spans}{citation}", i + 1)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Visits cells in display order: table part by table part, row by row.
fn for_each_cell(t: &ComparisonTable, mut visit: impl FnMut(&Column, &str)) {
    let (rows, headers) = if t.transpose {
        (t.columns.len(), t.dimensions.len())
    } else {
        (t.dimensions.len(), t.columns.len())
    };
    for part in parts(headers) {
        for row in 0..rows {
            for header in part.clone() {
                let (column, dimension) = if t.transpose {
                    (row, header)
                } else {
                    (header, row)
                };
                visit(&t.columns[column], &t.dimensions[dimension]);
            }
        }
    }
}

fn framework_name(model: &Model, column: &Column) -> String {
    model
        .framework(&column.framework)
        .expect("validated")
        .name
        .clone()
}

fn column_label(model: &Model, column: &Column) -> String {
    let name = framework_name(model, column);
    match &column.pin {
        Some((text, _)) if text.bytes().all(|b| b.is_ascii_digit()) => format!("{name} {text}.x"),
        Some((text, _)) => format!("{name} {text}"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directive::parse_args;

    fn parse(args: &str) -> Result<ComparisonTable, ArgProblem> {
        let mut reader = ArgReader::new(parse_args(args, 0).unwrap(), 0);
        let t = ComparisonTable::parse(&mut reader, Model::builtin())?;
        reader.finish("comparison-table", ARGUMENTS)?;
        Ok(t)
    }

    /// Found by fuzzing (fuzz/fuzz_targets/data_loader.rs, empty input): with data
    /// that defines no frameworks, rendering panicked ("chunk size must be non-zero").
    #[test]
    fn data_without_frameworks_or_dimensions_is_an_error_not_a_panic() {
        let parse_with = |model: &Model, args: &str| {
            let mut reader = ArgReader::new(parse_args(args, 5).unwrap(), 5);
            ComparisonTable::parse(&mut reader, model)
        };
        let (offset, message, hint) = parse_with(&Model::default(), "").unwrap_err();
        assert_eq!(
            (offset, message.as_str()),
            (5, "no frameworks to compare: the data defines none")
        );
        assert!(hint.unwrap().contains("[[frameworks]]"));

        let mut builder = crate::model::ModelBuilder::new();
        builder.add_works(
            std::path::Path::new("d.bib"),
            "@article{w, title = {W}, author = {A, B}, year = 2018}",
        );
        builder.add_toml(
            std::path::Path::new("d.toml"),
            "[[frameworks]]\nid = \"jax\"\nname = \"JAX\"\norganisation = \"Google\"\nfirst-release = \"2018-12\"\nlanguages = [\"Python\"]\nlicense = \"Apache-2.0\"\nstatus = \"active\"\nsources = [{ work = \"w\" }]\n",
        );
        let (only_frameworks, _) = builder.build().unwrap();
        for args in ["", "transpose", "frameworks=jax"] {
            let (_, message, _) = parse_with(&only_frameworks, args).unwrap_err();
            assert_eq!(message, "no dimensions to compare: the data defines none");
        }

        // A file the loader rejected is not "no data": say why nothing loaded.
        let mut builder = crate::model::ModelBuilder::new();
        builder.add_toml(
            std::path::Path::new("old.toml"),
            "[[frameworks]]\nid = \"jax\"\n\n[[papers]]\nkey = \"p1\"\n",
        );
        let (rejected, _, problems) = builder.build_partial();
        assert!(!problems.is_empty());
        let (_, message, hint) = parse_with(&rejected, "").unwrap_err();
        assert_eq!(message, "no frameworks to compare: none was loaded");
        assert!(hint.unwrap().contains("data problems reported above"));
    }

    #[test]
    fn defaults_are_every_framework_and_the_study_dimensions() {
        let t = parse("").unwrap();
        assert_eq!(t.columns.len(), Model::builtin().frameworks().len());
        assert_eq!(t.dimensions.len(), 7);
        assert!(!t.transpose);
    }

    #[test]
    fn wide_tables_are_split_evenly_into_parts() {
        let lens = |n| parts(n).iter().map(|r| r.len()).collect::<Vec<_>>();
        assert_eq!(lens(1), [1]);
        assert_eq!(lens(4), [4]);
        assert_eq!(lens(5), [3, 2]);
        assert_eq!(lens(7), [4, 3]);
        assert_eq!(lens(9), [3, 3, 3]);
        assert_eq!(parts(7), [0..4, 4..7]);
    }

    #[test]
    fn pins_select_claims_by_version() {
        let model = Model::builtin();
        let t = parse("frameworks=tensorflow@1,tensorflow@2 dimensions=execution-model transpose")
            .unwrap();
        assert!(t.transpose);
        let v1 = t.cell(model, &t.columns[0], "execution-model");
        let v2 = t.cell(model, &t.columns[1], "execution-model");
        assert!(!v1.is_empty() && !v2.is_empty());
        assert!(
            v1.iter().all(|c| !v2.contains(c)),
            "1.x and 2.x claims must differ"
        );
        assert_eq!(column_label(model, &t.columns[0]), "TensorFlow 1.x");
    }

    #[test]
    fn bad_ids_and_versions_are_located() {
        let (offset, message, hint) = parse("frameworks=pytorch,tensorflw").unwrap_err();
        assert_eq!(
            (offset, message.as_str(), hint.as_deref()),
            (
                19,
                "unknown framework `tensorflw`",
                Some("did you mean `tensorflow`?")
            )
        );
        let (offset, message, _) = parse("frameworks=tensorflow@x").unwrap_err();
        assert_eq!(offset, 22);
        assert!(
            message.starts_with("bad version `x` for `tensorflow`"),
            "{message}"
        );
        assert_eq!(
            parse("dimensions=debuging").unwrap_err().2.as_deref(),
            Some("did you mean `debugging`?")
        );
    }
}
