//! Expanding every directive of a book, in three passes:
//!
//! 1. scan each chapter in reading order and parse its directives, collecting the
//!    citations they need and every problem;
//! 2. render all citations of the book at once, so numbering and disambiguation are
//!    consistent book-wide;
//! 3. render each directive and splice it into its chapter, keeping every other byte.
//!
//! This module knows mdBook's `Book` and nothing about frameworks; the renderers know
//! frameworks and nothing about mdBook.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mdbook_preprocessor::book::Book;

use crate::cite::{
    CitationEngine, CitationRequest, CitationStyle, Reference, RenderCache, RenderedCitation,
};
use crate::config::{CacheSetting, CitationSyntax, Config, OnError};
use crate::diagnostics::{Diagnostic, Severity, did_you_mean};
use crate::directive::{Block, Found, Invocation, Place, add_pandoc, parse_args, scan};
use crate::markdown::{escape_pipes, escape_text};
use crate::mdbook::{self, ChapterText};
use crate::model::{Model, ModelBuilder, Override, WorkFormat};
use crate::parallel;
use crate::render::{
    BibliographyScope, CitingChapter, DIRECTIVE_NAMES, Directive, EntryLink, RenderCx, entry_page,
    site_prefixes,
};
use crate::words::Words;

/// Everything needed to expand a book: the model, the citation style, our config.
pub struct Expander {
    model: Arc<Model>,
    style: CitationStyle,
    config: Config,
    root: PathBuf,
    src_dir: PathBuf,
    overrides: Vec<Override>,
    data_problems: Vec<Diagnostic>,
    words: &'static Words,
}

/// What expanding a book found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// Keys of the works the book cites, in the style's bibliography order.
    pub cited: Vec<String>,
    /// Whether a chapter lists every known work (`{{#bibliography all}}`).
    pub lists_all_works: bool,
}

impl Report {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

impl Expander {
    /// Loads the model (built-in data plus the book's `data` files) and the citation
    /// style. `root` is the book root; `src_dir` the chapters' directory relative to it
    /// (used to show chapter paths in diagnostics).
    pub fn new(root: &Path, src_dir: &Path, config: Config) -> Result<Expander, Vec<Diagnostic>> {
        Self::with_base(root, src_dir, config, Model::shared_builtin())
    }

    /// Like [`Expander::new`], with `base` in place of the built-in dataset (it is
    /// still replaced by an empty model when the book sets `builtin = false`).
    pub fn with_base(
        root: &Path,
        src_dir: &Path,
        config: Config,
        base: Arc<Model>,
    ) -> Result<Expander, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        // Problems of the data files: reported with the chapters' (the chapters are
        // checked against the works that did load), under the same `on-error`.
        let mut data_problems = Vec::new();
        let (model, overrides) = if config.data.is_empty() && config.builtin {
            (base, Vec::new())
        } else {
            let mut builder = if config.builtin {
                ModelBuilder::on_top_of(base)
            } else {
                ModelBuilder::new()
            };
            for (index, file) in config.data.iter().enumerate() {
                let full = root.join(file);
                let is_toml = has_extension(file, "toml");
                if !is_toml && WorkFormat::of_path(file).is_none() {
                    // A data problem: the other files are still read and checked.
                    data_problems.push(
                        crate::config::array_value_problem(
                            root,
                            "data",
                            index,
                            format!("unknown kind of data file `{}`", file.display()),
                        )
                        .with_hint(
                            "data files are .toml (frameworks, dimensions, claims, events) or bibliographies: .bib (BibTeX), .yaml/.yml (hayagriva), .json (CSL-JSON)",
                        ),
                    );
                    continue;
                }
                match std::fs::read_to_string(&full) {
                    Ok(text) if is_toml => builder.add_toml(file, &text),
                    Ok(text) => builder.add_works(file, &text),
                    Err(error) => problems.push(
                        crate::config::array_value_problem(
                            root,
                            "data",
                            index,
                            format!("cannot read data file `{}`: {error}", file.display()),
                        )
                        .with_hint(
                            "paths in `data` are relative to the book root (where book.toml is)",
                        ),
                    ),
                }
            }
            let (model, overrides, found) = builder.build_partial();
            data_problems.extend(found);
            (Arc::new(model), overrides)
        };
        let style = match CitationStyle::load(&config.citation_style, root) {
            Ok(style) => Some(style.with_locale(config.csl_locale.as_deref())),
            Err(error) => {
                let mut problem = crate::config::key_problem(root, "citation-style", error.message);
                if let Some(hint) = error.hint {
                    problem = problem.with_hint(hint);
                }
                problems.push(problem);
                None
            }
        };
        match (problems.is_empty(), style) {
            (true, Some(style)) => Ok(Expander {
                model,
                style,
                words: config
                    .language
                    .as_deref()
                    .and_then(Words::for_language)
                    .unwrap_or_else(Words::english),
                config,
                root: root.to_path_buf(),
                src_dir: src_dir.to_path_buf(),
                overrides,
                data_problems,
            }),
            _ => Err(problems),
        }
    }

    /// Where rendered citations are kept between runs, if anywhere.
    fn render_cache(&self) -> Option<RenderCache> {
        let dir = match &self.config.cache {
            CacheSetting::UserCache => RenderCache::default_dir()?,
            CacheSetting::Dir(dir) => self.root.join(dir),
            CacheSetting::Off => return None,
        };
        Some(RenderCache::new(dir, &self.root))
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The configured error policy.
    pub fn on_error(&self) -> OnError {
        self.config.on_error
    }

    /// Problems of the book's data files (reported with the chapters' by
    /// [`Expander::expand_chapters`]).
    pub fn data_problems(&self) -> &[Diagnostic] {
        &self.data_problems
    }

    /// The words our directives write, in the book's language.
    pub fn words(&self) -> &'static Words {
        self.words
    }

    /// Notes shown with `--verbose`: a language without a words table.
    pub fn language_note(&self) -> Option<String> {
        let language = self.config.language.as_deref()?;
        Words::for_language(language).is_none().then(|| {
            format!("book.toml: note: language `{language}` has no words table; using English")
        })
    }

    /// Built-in claims that the book's data replaced (shown with `--verbose`).
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// Expands every chapter of `book` in place. With `on-error = "fail"` the caller
    /// must not use the book when the report has errors.
    pub fn expand_book(&self, book: &mut Book) -> Report {
        let Ok(chapters) = mdbook::chapters(&mut book.items);
        self.expand_chapters(chapters)
    }

    /// Expands the given chapters, which must be in reading order.
    pub fn expand_chapters(&self, mut chapters: Vec<ChapterText<'_>>) -> Report {
        let mut report = Report {
            diagnostics: self.data_problems.clone(),
            ..Report::default()
        };
        report.diagnostics.extend(mdbook::summary_directives(
            &self.root,
            &self.src_dir,
            |name| DIRECTIVE_NAMES.contains(&name),
        ));
        // Pass 1, on every core: chapters are independent until citations are numbered.
        let planned = parallel::map_in_order(
            chapters.iter().collect(),
            |c| chapter_weight(c),
            |c| {
                let mut problems = Vec::new();
                let plan = self.plan_chapter(c, &mut problems);
                (plan, problems)
            },
        );
        let mut plans = Vec::with_capacity(planned.len());
        for (plan, mut problems) in planned {
            plans.push(plan);
            report.diagnostics.append(&mut problems);
        }

        // Pass 2: every citation of the book, in reading order, through one engine.
        let engine =
            CitationEngine::new(&self.style, self.model.works()).with_cache(self.render_cache());
        let rendered = engine.render(plans.iter().flat_map(|p| &p.requests));
        let mut references: HashMap<String, Reference> = HashMap::new();
        let cited_in_book: Vec<String> =
            rendered.references.iter().map(|r| r.key.clone()).collect();
        for reference in rendered.references {
            references.insert(reference.key.clone(), reference);
        }
        let wants_all = plans
            .iter()
            .any(|p| p.has_bibliography(BibliographyScope::All));
        // Works a reading list names without citing them (`keys=`).
        let listed: Vec<String> = plans.iter().flat_map(ChapterPlan::listed_keys).collect();
        report
            .diagnostics
            .extend(self.cited_works_problems(&cited_in_book));
        report.cited = cited_in_book.clone();
        for key in &listed {
            if !report.cited.contains(key) {
                report.cited.push(key.clone());
            }
        }
        report.lists_all_works = wants_all;
        // A reading list's entries come from the rendering of every work, which
        // puts them in the style's order and is kept in the render cache.
        let all_works: Vec<String> = if wants_all || !listed.is_empty() {
            let all = engine.render_all_references();
            let keys = all.iter().map(|r| r.key.clone()).collect();
            for reference in all {
                references.entry(reference.key.clone()).or_insert(reference);
            }
            keys
        } else {
            Vec::new()
        };

        // Every citation gets an anchor, unique in the book since print.html puts all
        // chapters on one page; the bibliography links back to each. A citation in a
        // heading, link text or alt text has none (an element there would show in
        // the alt text or nest in the author's link): its chapter is linked instead.
        let prefixes = site_prefixes(chapters.iter().map(|c| c.path));
        let mut cited_by: HashMap<String, Vec<CitingChapter<'_>>> = HashMap::new();
        for (index, ((chapter, plan), prefix)) in
            chapters.iter().zip(&plans).zip(&prefixes).enumerate()
        {
            for edit in &plan.edits {
                let Action::Expand {
                    citations, place, ..
                } = &edit.action
                else {
                    continue;
                };
                for site in citations.clone() {
                    let items = &plan.requests[site].items;
                    for (i, item) in items.iter().enumerate() {
                        if items[..i].iter().any(|earlier| earlier.key == item.key) {
                            continue;
                        }
                        let citing = match cited_by.get_mut(&item.key) {
                            Some(citing) => citing,
                            None => cited_by.entry(item.key.clone()).or_default(),
                        };
                        if citing.last().is_none_or(|last| last.index != index) {
                            citing.push(CitingChapter {
                                index,
                                name: chapter.name,
                                path: chapter.path,
                                prefix,
                                sites: Vec::new(),
                            });
                        }
                        if !place.forbids_links() {
                            citing.last_mut().expect("pushed").sites.push(site);
                        }
                    }
                }
            }
        }
        let book = BookCx {
            bibliography_page: chapters
                .iter()
                .zip(&plans)
                .find_map(|(c, p)| p.lists_book().then(|| c.path.to_path_buf())),
            entry_links: EntryLink::for_references(&references),
            references,
            cited_in_book,
            all_works,
            cited_by,
        };

        // Pass 3, on every core: render and splice.
        let mut work = Vec::with_capacity(chapters.len());
        let mut citations: &[Arc<RenderedCitation>] = &rendered.citations;
        for ((chapter, plan), prefix) in chapters.iter_mut().zip(plans).zip(&prefixes) {
            let (own, rest) = citations.split_at(plan.requests.len());
            citations = rest;
            work.push((chapter, plan, own, prefix.as_str()));
        }
        // A list of the book's entries writes every back-reference of the book.
        let sites: usize = book
            .cited_by
            .values()
            .flatten()
            .map(|c| c.sites.len().max(1))
            .sum();
        parallel::map_in_order(
            work,
            |(chapter, plan, _, _)| {
                chapter_weight(chapter) + if plan.lists_book() { sites * 64 } else { 0 }
            },
            |(chapter, plan, citations, prefix)| {
                self.render_chapter(chapter, plan, citations, prefix, &book)
            },
        );
        report
    }

    /// What the book's cited works' data lacks or repeats, as warnings: fields
    /// their types require (once per work, every field named), and one
    /// publication cited under two keys (Google Scholar's and DBLP's, or a
    /// book's and the built-in one), which would be listed twice.
    fn cited_works_problems(&self, cited_in_book: &[String]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        // A cited work that lacks a field its type requires renders without it; say so
        // once per work, with every missing field.
        for key in cited_in_book {
            if let Some(work) = self.model.work(key)
                && !work.missing.is_empty()
                && let Some(origin) = &work.origin
            {
                let fields: Vec<String> = work.missing.iter().map(|f| format!("`{f}`")).collect();
                problems.push(
                    origin
                        .warning(format!(
                            "work `{key}` is cited but has no {}; its reference is printed without",
                            fields.join(", ")
                        ))
                        .with_hint("add the fields to the entry so every style can print it"),
                );
            }
        }
        // One publication cited under two keys (Google Scholar's and DBLP's, or a
        // book's and the built-in one) would be listed twice: say so once.
        let mut by_identity: HashMap<(&str, String), Vec<&str>> = HashMap::new();
        for key in cited_in_book {
            for identity in self
                .model
                .work(key)
                .map(|w| w.identities())
                .unwrap_or_default()
            {
                by_identity.entry(identity).or_default().push(key);
            }
        }
        let mut same: Vec<(Vec<&str>, &str)> = by_identity
            .into_iter()
            .filter(|(_, keys)| keys.len() > 1)
            .map(|((what, _), keys)| (keys, what))
            .collect();
        same.sort();
        // A pair with the same DOI usually has the same title too.
        same.dedup_by(|a, b| a.0 == b.0);
        for (keys, what) in same {
            let named: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            let message = format!(
                "works {} are one publication (the same {what}), cited under each key, so it is listed once per key",
                named.join(" and "),
            );
            // At the book's own definition where there is one.
            let origins: Vec<&crate::model::Origin> = keys
                .iter()
                .filter_map(|k| self.model.work(k)?.origin.as_ref())
                .collect();
            let builtin =
                |o: &&crate::model::Origin| o.file == Path::new(crate::model::BUILTIN_WORKS_PATH);
            let origin = origins.iter().find(|o| !builtin(o)).or(origins.first());
            let problem = match origin {
                Some(origin) => origin.warning(message),
                None => Diagnostic::error_in_file(Path::new("book.toml"), message).into_warning(),
            };
            problems.push(problem.with_hint("cite it under one key, or remove the other entry"));
        }
        problems
    }

    /// Renders the directives of one chapter and splices them in.
    fn render_chapter(
        &self,
        chapter: &mut ChapterText<'_>,
        plan: ChapterPlan,
        chapter_citations: &[Arc<RenderedCitation>],
        site_prefix: &str,
        book: &BookCx,
    ) {
        // Only a list of the chapter's own works needs them.
        let cited_in_chapter: Vec<String> = if self.config.chapter_references
            || plan.has_bibliography(BibliographyScope::Chapter)
        {
            let cited = plan.cited_keys();
            book.cited_in_book
                .iter()
                .filter(|k| cited.contains(k.as_str()))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let appends_references = self.config.chapter_references
            && !cited_in_chapter.is_empty()
            && !plan.has_bibliography(BibliographyScope::Chapter);
        if plan.edits.is_empty() && !appends_references {
            return;
        }
        let lists_own_entries =
            appends_references || plan.has_bibliography(BibliographyScope::Chapter);
        let cx = RenderCx {
            model: &self.model,
            chapter_path: chapter.path,
            entry_page: entry_page(
                chapter.path,
                lists_own_entries,
                book.bibliography_page.as_deref(),
            ),
            references: &book.references,
            entry_links: &book.entry_links,
            cited_in_book: &book.cited_in_book,
            all_works: &book.all_works,
            cited_in_chapter: &cited_in_chapter,
            cited_by: &book.cited_by,
            site_prefix: Some(site_prefix),
            links: true,
            words: self.words,
        };
        let mut output = splice(chapter.content, &plan.edits, &cx, chapter_citations);
        if appends_references {
            output.push_str(&format!("\n\n## {}\n\n", self.words.references));
            output.push_str(&crate::render::render_entries(&cx, &cited_in_chapter));
            output.push('\n');
        }
        *chapter.content = output;
    }

    fn plan_chapter(
        &self,
        chapter: &ChapterText<'_>,
        problems: &mut Vec<Diagnostic>,
    ) -> ChapterPlan {
        let dir = chapter
            .source
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let source = Source {
            file: self.src_dir.join(chapter.source),
            text: chapter.content,
            lines: None,
            chapter_dir: dir.clone(),
            dir,
            depth: 0,
        };
        self.plan_text(&source, problems)
    }

    /// Plans the directives of a chapter's text, or of a file it includes.
    fn plan_text(&self, source: &Source<'_>, problems: &mut Vec<Diagnostic>) -> ChapterPlan {
        let text: &str = source.text;
        let mut plan = ChapterPlan::default();
        let warn = self.config.on_error == OnError::Warn;
        let words = self.words;
        let fail = |plan: &mut ChapterPlan,
                    problems: &mut Vec<Diagnostic>,
                    span: Range<usize>,
                    problem: Diagnostic| {
            if warn {
                let note = format!(
                    "**\\[mdbook-frameworks: {}\\]**",
                    escape_text(&in_page(&problem, words))
                );
                plan.edits.push(Edit {
                    span,
                    action: Action::ErrorNote(note),
                });
            }
            problems.push(if warn {
                problem.into_warning()
            } else {
                problem
            });
        };
        let mut found = scan(text, |name| DIRECTIVE_NAMES.contains(&name));
        if self.config.citation_syntax == CitationSyntax::Pandoc {
            add_pandoc(text, &mut found, |key| self.model.work(key).is_some());
        }
        for found in found {
            match found {
                Found::Pandoc(citation) => {
                    match Directive::pandoc_citation(&citation, &self.model) {
                        Ok(directive) => {
                            let start = plan.requests.len();
                            plan.requests.extend(directive.citations(&self.model));
                            plan.edits.push(Edit {
                                span: citation.span,
                                action: Action::Expand {
                                    directive,
                                    citations: start..plan.requests.len(),
                                    place: citation.place,
                                },
                            });
                        }
                        Err((offset, message, hint)) => {
                            let mut problem = source.error(offset, message);
                            if let Some(hint) = hint {
                                problem = problem.with_hint(hint);
                            }
                            fail(&mut plan, problems, citation.span, problem);
                        }
                    }
                }
                Found::Escape { backslash } => {
                    plan.edits.push(Edit {
                        span: backslash..backslash + 1,
                        action: Action::Remove,
                    });
                }
                Found::Unclosed { offset, name } => {
                    let problem = source
                        .error(offset, format!("`{{{{#{name}` is not closed"))
                        .with_hint("close the directive with `}}` on the same line");
                    // No span to replace: the text stays visible as written.
                    fail(&mut plan, problems, offset..offset, problem);
                }
                Found::Directive(invocation) => {
                    let name = invocation.name;
                    if !DIRECTIVE_NAMES.contains(&name) {
                        if let Some(action) =
                            self.plan_file_directive(source, &invocation, &mut plan, problems)
                        {
                            plan.edits.push(Edit {
                                span: invocation.span,
                                action,
                            });
                            continue;
                        }
                        if mdbook::links::DIRECTIVES.contains(&name)
                            || self.config.other_directives.iter().any(|o| o == name)
                        {
                            continue;
                        }
                        let mut problem = source.error(
                            invocation.span.start,
                            format!("unknown directive `{{{{#{name}}}}}`"),
                        );
                        problem = match did_you_mean(name, DIRECTIVE_NAMES.iter().copied()) {
                            Some(hint) => problem.with_hint(hint),
                            None => problem.with_hint(format!(
                                "if another preprocessor handles it, add \"{name}\" to `other-directives` in [preprocessor.frameworks]"
                            )),
                        };
                        fail(&mut plan, problems, invocation.span, problem);
                        continue;
                    }
                    let parsed = parse_args(invocation.args, invocation.args_offset)
                        .map_err(|(offset, message)| (offset, message, None))
                        .and_then(|args| {
                            Directive::parse(name, args, invocation.span.start, &self.model)
                        });
                    let parsed = parsed.and_then(|directive| {
                        match block_misplaced(text, &invocation) {
                            Some(place) if directive.is_block() => Err((
                                invocation.span.start,
                                format!("`{{{{#{name}}}}}` is a block (it makes {}) and cannot stand {place}", directive.block_kind()),
                                Some("put it on its own line, with a blank line before and after".into()),
                            )),
                            _ => Ok(directive),
                        }
                    });
                    match parsed {
                        Ok(directive) => {
                            if invocation.place.block == Block::Html {
                                // Markdown is not rendered in an HTML block: the
                                // citation would show as `[text](link)`.
                                problems.push(
                                    source.error(
                                        invocation.span.start,
                                        format!("`{{{{#{name}}}}}` is inside an HTML block, where its Markdown is shown as written"),
                                    )
                                    .with_hint("leave a blank line after the HTML tag that opens the block, and before the one that closes it")
                                    .into_warning(),
                                );
                            }
                            let requests = directive.citations(&self.model);
                            let start = plan.requests.len();
                            plan.requests.extend(requests);
                            let citations = start..plan.requests.len();
                            plan.edits.push(Edit {
                                span: invocation.span,
                                action: Action::Expand {
                                    directive,
                                    citations,
                                    place: invocation.place,
                                },
                            });
                        }
                        Err((offset, message, hint)) => {
                            let mut problem = source.error(offset, message);
                            if let Some(hint) = hint {
                                problem = problem.with_hint(hint);
                            }
                            fail(&mut plan, problems, invocation.span, problem);
                        }
                    }
                }
            }
        }
        plan
    }
}

impl Expander {
    /// What to do with an mdBook directive that names a file, in `source`:
    ///
    /// - an `{{#include}}` or `{{#rustdoc_include}}` whose text holds directives
    ///   of ours is inlined, with those directives expanded (we run before mdBook's
    ///   `links`, so that our escapes survive it, and `links` would bring the text
    ///   in after us); its problems point into the included file;
    /// - in inlined text, any other file directive gets its path rewritten
    ///   relative to the chapter, where `links` will now find it;
    /// - anything else is left to `links` (`None`).
    fn plan_file_directive(
        &self,
        source: &Source<'_>,
        invocation: &crate::directive::Invocation<'_>,
        plan: &mut ChapterPlan,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Action> {
        use crate::mdbook::links::{FILE_DIRECTIVES, INCLUDES, Include, normalise, relative};
        let name = invocation.name;
        if !FILE_DIRECTIVES.contains(&name) {
            return None;
        }
        if let Some(include) = Include::parse(name, invocation.args)
            && source.depth < MAX_INCLUDE_DEPTH
        {
            let target = normalise(&source.dir.join(&include.path));
            let file = std::fs::read_to_string(self.root.join(&self.src_dir).join(&target));
            if let Ok(file) = file {
                let included = include.select(&file);
                let ours = scan(&included.text, |n| DIRECTIVE_NAMES.contains(&n))
                    .iter()
                    .any(|found| match found {
                        Found::Directive(d) => {
                            DIRECTIVE_NAMES.contains(&d.name) || INCLUDES.contains(&d.name)
                        }
                        _ => true,
                    });
                if ours {
                    let inner = Source {
                        file: normalise(&self.src_dir.join(&target)),
                        text: &included.text,
                        lines: Some(&included.lines),
                        chapter_dir: source.chapter_dir.clone(),
                        dir: target.parent().unwrap_or(Path::new("")).to_path_buf(),
                        depth: source.depth + 1,
                    };
                    let sub = self.plan_text(&inner, problems);
                    let shift = plan.requests.len();
                    plan.requests.extend(sub.requests);
                    let edits = sub
                        .edits
                        .into_iter()
                        .map(|edit| edit.shifted(shift))
                        .collect();
                    return Some(Action::Inline {
                        text: included.text.clone(),
                        edits,
                    });
                }
            }
        }
        if source.depth == 0 {
            return None;
        }
        // Inlined text: the path was relative to the included file.
        let args = invocation.args.trim();
        let (path, rest) = match args.split_once(':') {
            Some((path, rest)) => (path, format!(":{rest}")),
            None => (args, String::new()),
        };
        let target = source.dir.join(path);
        let rewritten = relative(&source.chapter_dir, &target);
        Some(Action::Replace(format!(
            "{{{{#{name} {}{rest}}}}}",
            rewritten.display()
        )))
    }
}

/// Includes nested deeper than this are left to mdBook, which stops at 10.
const MAX_INCLUDE_DEPTH: usize = 8;

/// The text being planned and where its problems are reported.
struct Source<'a> {
    /// The file, as diagnostics show it.
    file: PathBuf,
    text: &'a str,
    /// For included text: the file's 0-based line of each line of `text`.
    lines: Option<&'a [usize]>,
    /// The chapter's directory, relative to the source directory.
    chapter_dir: PathBuf,
    /// The directory paths in `text` are relative to.
    dir: PathBuf,
    /// 0 for a chapter, 1 for a file it includes, and so on.
    depth: usize,
}

impl Source<'_> {
    /// An error at byte `offset` of the text, located in its file.
    fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let mut problem = Diagnostic::error_at(&self.file, self.text, offset, message);
        if let Some(lines) = self.lines {
            problem.line = lines.get(problem.line - 1).map_or(problem.line, |l| l + 1);
        }
        problem
    }
}

/// A problem as the page shows it: the diagnostic's line with its "error" in the
/// book's language (the message itself stays as the terminal shows it).
fn in_page(problem: &Diagnostic, words: &Words) -> String {
    let text = problem.to_string();
    let location = problem.file.display().to_string();
    let located = match problem.line {
        0 => location,
        line => format!("{location}:{line}:{}", problem.col),
    };
    match text.strip_prefix(&format!("{located}: error: ")) {
        Some(rest) => format!("{located}: {}{}{rest}", words.error, words.colon),
        None => text,
    }
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// What rendering any chapter needs to know about the whole book.
struct BookCx<'b> {
    bibliography_page: Option<PathBuf>,
    references: HashMap<String, Reference>,
    entry_links: HashMap<String, EntryLink>,
    cited_in_book: Vec<String>,
    all_works: Vec<String>,
    cited_by: HashMap<String, Vec<CitingChapter<'b>>>,
}

/// How much work a chapter is, to share chapters out between cores.
/// `text` with its edits applied: directives rendered in `cx`, included files
/// inlined with theirs. `citations` are the chapter's, in reading order.
fn splice(
    text: &str,
    edits: &[Edit],
    cx: &RenderCx<'_>,
    citations: &[Arc<RenderedCitation>],
) -> String {
    let mut output = String::with_capacity(text.len() + edits.len() * 64);
    let mut last = 0;
    for edit in edits {
        output.push_str(&text[last..edit.span.start]);
        match &edit.action {
            Action::Expand {
                directive,
                citations: range,
                place,
            } => {
                // The chapter-wide number of the directive's first citation site.
                let first_site = range.start;
                let citations = &citations[range.clone()];
                let markdown = if place.forbids_links() {
                    // A link here would nest in the author's link (or mdBook's
                    // heading anchor) and break it: the same text, unlinked.
                    let plain = RenderCx {
                        entry_page: None,
                        site_prefix: None,
                        links: false,
                        ..*cx
                    };
                    directive.render(&plain, citations, first_site)
                } else {
                    directive.render(cx, citations, first_site)
                };
                if directive.is_block() {
                    output.push_str(&as_block(text, edit.span.start, &markdown));
                } else if place.in_table() {
                    output.push_str(&escape_pipes(&markdown));
                } else {
                    output.push_str(&markdown);
                }
            }
            Action::Remove => {}
            Action::ErrorNote(note) => output.push_str(note),
            Action::Inline { text, edits } => output.push_str(&splice(text, edits, cx, citations)),
            Action::Replace(replacement) => output.push_str(replacement),
        }
        last = edit.span.end;
    }
    output.push_str(&text[last..]);
    output
}

fn chapter_weight(chapter: &ChapterText<'_>) -> usize {
    chapter.content.len()
}

#[derive(Default)]
struct ChapterPlan {
    edits: Vec<Edit>,
    requests: Vec<CitationRequest>,
}

impl ChapterPlan {
    /// The keys that the chapter's `{{#bibliography keys=…}}` directives name.
    fn listed_keys(&self) -> Vec<String> {
        self.edits
            .iter()
            .flat_map(|e| match &e.action {
                Action::Expand { directive, .. } => directive
                    .as_bibliography()
                    .map_or_else(Vec::new, |b| b.keys.clone()),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Whether it lists the book's works (`{{#bibliography}}` or `all`), every
    /// back-reference of the book with them.
    fn lists_book(&self) -> bool {
        self.has_bibliography(BibliographyScope::Cited)
            || self.has_bibliography(BibliographyScope::All)
    }

    fn has_bibliography(&self, scope: BibliographyScope) -> bool {
        self.edits.iter().any(|e| matches!(&e.action, Action::Expand { directive, .. } if directive.as_bibliography().is_some_and(|b| b.scope == scope)))
    }

    /// The keys the chapter cites, each once.
    fn cited_keys(&self) -> HashSet<&str> {
        self.requests
            .iter()
            .flat_map(|r| r.items.iter())
            .map(|item| item.key.as_str())
            .collect()
    }
}

struct Edit {
    span: Range<usize>,
    action: Action,
}

impl Edit {
    /// The edit with its citations counted `shift` further in the chapter.
    fn shifted(mut self, shift: usize) -> Edit {
        match &mut self.action {
            Action::Expand { citations, .. } => {
                *citations = citations.start + shift..citations.end + shift;
            }
            Action::Inline { edits, .. } => {
                *edits = std::mem::take(edits)
                    .into_iter()
                    .map(|e| e.shifted(shift))
                    .collect();
            }
            _ => {}
        }
        self
    }
}

enum Action {
    Expand {
        directive: Directive,
        citations: Range<usize>,
        place: Place,
    },
    Remove,
    ErrorNote(String),
    /// An included file's text, with its own edits, in place of the include.
    Inline {
        text: String,
        edits: Vec<Edit>,
    },
    /// Other text in place of the span (a rewritten file directive).
    Replace(String),
}

/// Where a block directive cannot stand, said as "in a heading", or `None` when it
/// can: alone on its line (after any indentation, `>` or list marker) in a
/// paragraph, list item or quote, outside any link or emphasis.
fn block_misplaced(text: &str, invocation: &Invocation<'_>) -> Option<&'static str> {
    let place = invocation.place;
    let where_ = match place.block {
        Block::Heading => "in a heading",
        Block::TableCell => "in a table cell",
        Block::Term => "in a definition term",
        Block::Html => "in an HTML block (its text is not Markdown)",
        Block::Text if place.in_link => "in the text of a link or image",
        Block::Text if place.in_span => "inside emphasis",
        Block::Text => {
            let span = &invocation.span;
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let before = text[line_start..span.start].trim_start_matches([' ', '\t', '>']);
            let after = text[span.end..].split('\n').next().unwrap_or("");
            let alone = (before.is_empty() || is_list_marker(before)) && after.trim().is_empty();
            if alone {
                return None;
            }
            "inside a paragraph"
        }
    };
    Some(where_)
}

/// Block output on its own lines, separated by blank lines, each line carrying the
/// indentation or `> ` prefix of the directive's line so it stays in its list item
/// or block quote.
fn as_block(text: &str, start: usize, markdown: &str) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    let prefix_len = before.len() - before.trim_start_matches([' ', '\t', '>']).len();
    let (prefix, rest) = before.split_at(prefix_len);
    if is_list_marker(rest) {
        // The directive is the list item's content: its first line stays after the
        // marker, the others are indented to the item's content column.
        let continuation = format!("{prefix}{}", " ".repeat(rest.chars().count()));
        return indented_lines(markdown, "", &continuation);
    }
    let bare = prefix.trim_end();
    let mut out = String::with_capacity(markdown.len() + 16);
    if prefix_len < before.len() {
        // Text precedes the directive on its line: end that paragraph first.
        out.push('\n');
        out.push_str(bare);
    }
    out.push('\n');
    out.push_str(&indented_lines(markdown, prefix, prefix));
    out
}

/// `markdown` with `first` before its first line and `rest` before the others,
/// followed by a blank line (which keeps only the `>` part of the prefix).
fn indented_lines(markdown: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    for (i, line) in markdown.lines().enumerate() {
        let prefix = if i == 0 { first } else { rest };
        if i > 0 {
            out.push('\n');
        }
        out.push_str(if line.is_empty() {
            prefix.trim_end()
        } else {
            prefix
        });
        out.push_str(line);
    }
    out.push('\n');
    out.push_str(rest.trim_end());
    out
}

/// `- `, `* `, `+ `, `1. ` or `1) `: a list item's marker and its spacing.
fn is_list_marker(text: &str) -> bool {
    let marker = text.trim_end_matches([' ', '\t']);
    if marker.len() == text.len() || marker.is_empty() {
        return false;
    }
    matches!(marker, "-" | "*" | "+")
        || (marker.len() <= 10
            && marker.ends_with(['.', ')'])
            && marker[..marker.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_digit())
            && marker.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_output_keeps_quote_prefix_and_blank_lines() {
        let text = "> {{#t}}\n";
        assert_eq!(as_block(text, 2, "| a |\n|---|"), "\n> | a |\n> |---|\n>");
        let text = "  - item\n    {{#t}}";
        assert_eq!(as_block(text, 13, "x\n\ny"), "\n    x\n\n    y\n");
        let text = "> See {{#t}}";
        assert_eq!(as_block(text, 6, "x"), "\n>\n> x\n>");
        let text = "> 12. {{#t}}";
        assert_eq!(
            as_block(text, 6, "| a |\n\n| b |"),
            "| a |\n>\n>     | b |\n>"
        );
        let text = "- {{#t}}";
        assert_eq!(as_block(text, 2, "x\ny"), "x\n  y\n");
    }
}
