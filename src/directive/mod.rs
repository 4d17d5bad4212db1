//! Finding `{{#name args}}` directives in a chapter's Markdown.
//!
//! The scan sees what the reader sees, through mdBook's own parser: a directive
//! inside inline code, a code block, an HTML comment or a raw `<pre>`, `<code>`,
//! `<script>`, `<style>` or `<textarea>` element is not found, and stays exactly as
//! written. Each directive found carries its [`Place`]: the block and span around it.
//! `\{{#name ...}}` is an escape for our own names:
//! the backslash is dropped and the directive is shown literally. Everything is
//! reported as byte spans into the original text, so the caller can splice and
//! keep every other byte as it was.

mod args;
mod markup;
mod pandoc;

use std::ops::Range;

pub use args::{Arg, ArgProblem, ArgReader, list_items, parse_args};
pub use markup::{Block, Place};
pub use pandoc::{PandocCitation, PandocItem, scan_pandoc};

use markup::Markup;

/// One thing the scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    /// A directive to expand.
    Directive(Invocation<'a>),
    /// An escaped directive of ours: remove the backslash at `backslash`.
    Escape {
        /// Byte offset of the backslash.
        backslash: usize,
    },
    /// `{{#name` of ours with no closing `}}` on the same line.
    Unclosed {
        /// Byte offset of `{{#`.
        offset: usize,
        /// The directive's name.
        name: &'a str,
    },
    /// A citation in Pandoc's syntax (only with `citation-syntax = "pandoc"`).
    Pandoc(PandocCitation<'a>),
}

impl Found<'_> {
    /// Where it starts.
    pub fn start(&self) -> usize {
        match self {
            Found::Directive(d) => d.span.start,
            Found::Escape { backslash } => *backslash,
            Found::Unclosed { offset, .. } => *offset,
            Found::Pandoc(c) => c.span.start,
        }
    }
}

/// Adds the Pandoc citations of `text` to what [`scan`] found, in order. One that
/// overlaps a directive (`prefix="[@a]"`) is the directive's text, not a citation.
pub fn add_pandoc<'a>(text: &'a str, found: &mut Vec<Found<'a>>, is_key: impl Fn(&str) -> bool) {
    let citations = scan_pandoc(text, is_key);
    if citations.is_empty() {
        return;
    }
    let taken: Vec<Range<usize>> = found
        .iter()
        .filter_map(|f| match f {
            Found::Directive(d) => Some(d.span.clone()),
            Found::Escape { backslash } => Some(*backslash..*backslash + 1),
            Found::Unclosed { offset, .. } => Some(*offset..*offset + 3),
            Found::Pandoc(_) => None,
        })
        .collect();
    for citation in citations {
        let span = &citation.span;
        if !taken
            .iter()
            .any(|t| t.start < span.end && span.start < t.end)
        {
            found.push(Found::Pandoc(citation));
        }
    }
    found.sort_by_key(Found::start);
}

/// A directive as written: its name, its arguments, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation<'a> {
    /// The whole `{{#...}}`.
    pub span: Range<usize>,
    /// The name after `#`.
    pub name: &'a str,
    /// The raw argument text, and its byte offset.
    pub args: &'a str,
    /// Byte offset of `args` in the chapter.
    pub args_offset: usize,
    /// The block and span around it.
    pub place: Place,
}

/// The directive that starts at `open`, the offset of a `{{#`: the end of its
/// name, and its end (after `}}`) if it closes. The grammar, as a regex, is
/// `\{\{#([A-Za-z0-9_-]*)([^{}\n]*)\}\}`: arguments stay on one line and
/// cannot contain braces, which keeps the scan linear and makes an unclosed
/// directive easy to point at. A hand scan, because this runs over every
/// chapter on every save, and the regex with its capture groups was a tenth of
/// a rebuild. Bytes suffice: no UTF-8 sequence contains `{`, `}` or `\n`.
fn directive_at(text: &str, open: usize) -> (usize, Option<usize>) {
    let bytes = text.as_bytes();
    let run = |from: usize, keep: fn(u8) -> bool| {
        bytes[from..]
            .iter()
            .position(|&b| !keep(b))
            .map_or(bytes.len(), |n| from + n)
    };
    let name_end = run(open + 3, |b| {
        b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
    });
    let args_end = run(name_end, |b| !matches!(b, b'{' | b'}' | b'\n'));
    let end = bytes[args_end..].starts_with(b"}}").then_some(args_end + 2);
    (name_end, end)
}

/// Scans a chapter. `is_ours` says which names are ours (for escapes and unclosed
/// directives); every closed directive is returned, whatever its name, so the caller
/// can report unknown names.
pub fn scan<'a>(text: &'a str, is_ours: impl Fn(&str) -> bool) -> Vec<Found<'a>> {
    if !text.contains("{{#") {
        return Vec::new();
    }
    let markup = Markup::parse(text);
    let mut found = Vec::new();
    // In order, and never overlapping: a directive cannot contain `{`.
    for (open, _) in text.match_indices("{{#") {
        if markup.is_hidden(open) {
            continue;
        }
        let (name_end, end) = directive_at(text, open);
        let name = &text[open + 3..name_end];
        let Some(end) = end else {
            if is_ours(name) {
                found.push(Found::Unclosed { offset: open, name });
            }
            continue;
        };
        if text[..open].ends_with('\\') {
            if is_ours(name) {
                found.push(Found::Escape {
                    backslash: open - 1,
                });
            }
            continue;
        }
        found.push(Found::Directive(Invocation {
            span: open..end,
            name,
            args: &text[name_end..end - 2],
            args_offset: name_end,
            place: Place::default(),
        }));
    }
    let starts = found.iter().filter_map(|f| match f {
        Found::Directive(d) => Some(d.span.start),
        _ => None,
    });
    let mut places = markup.places(starts).into_iter();
    for f in &mut found {
        if let Found::Directive(d) = f {
            d.place = places.next().expect("one place per directive");
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(name: &str) -> bool {
        matches!(name, "paper-citation" | "comparison-table")
    }

    fn names(text: &str) -> Vec<String> {
        scan(text, ours)
            .into_iter()
            .map(|f| match f {
                Found::Directive(d) => format!("{}@{}:{}", d.name, d.span.start, d.args.trim()),
                Found::Escape { backslash } => format!("escape@{backslash}"),
                Found::Unclosed { offset, name } => format!("unclosed {name}@{offset}"),
                Found::Pandoc(c) => format!("pandoc@{}", c.span.start),
            })
            .collect()
    }

    #[test]
    fn finds_directives_with_args_and_offsets() {
        let text = "a {{#paper-citation k page=3}} b\n{{#comparison-table}}";
        assert_eq!(
            names(text),
            ["paper-citation@2:k page=3", "comparison-table@33:"]
        );
        let Found::Directive(d) = &scan(text, ours)[0] else {
            panic!()
        };
        assert_eq!(
            &text[d.args_offset..d.args_offset + d.args.len()],
            " k page=3"
        );
    }

    #[test]
    fn skips_code_spans_and_blocks() {
        let text = "`{{#paper-citation a}}`\n\n```md\n{{#paper-citation b}}\n```\n\n    {{#paper-citation c}}\n\n~~~\n\\{{#paper-citation d}}\n~~~\n";
        assert!(names(text).is_empty(), "{:?}", names(text));
    }

    #[test]
    fn skips_comments_and_literal_html() {
        let text = "<!-- {{#paper-citation a}} \\{{#paper-citation b}} {{#paper-citation c -->\n\na <!--\n{{#paper-citation d}}\n--> b\n\n<pre>\n\n{{#paper-citation e}}\n</pre>\n\n<code>{{#paper-citation f}}</code> <textarea>{{#x}}</textarea>\n\n<div>\n<script>\n{{#paper-citation g}}\n</script>\n</div>\n";
        assert!(names(text).is_empty(), "{:?}", names(text));
        assert_eq!(
            names("<!-- a --> {{#paper-citation k}}"),
            ["paper-citation@11:k"]
        );
    }

    #[test]
    fn escapes_only_our_names() {
        let text = r"\{{#paper-citation a}} \{{#include x.md}}";
        assert_eq!(names(text), ["escape@0"]);
    }

    #[test]
    fn reports_unclosed_directives_of_ours() {
        assert_eq!(
            names("x {{#paper-citation a\nmore}}"),
            ["unclosed paper-citation@2"]
        );
        assert!(names("{{#unknown").is_empty());
    }

    #[test]
    fn pandoc_citations_inside_directives_are_their_text() {
        let text = "[@a] {{#paper-citation k prefix=\"[@b]\"}} [@c]";
        let mut found = scan(text, ours);
        add_pandoc(text, &mut found, |_| true);
        let starts: Vec<String> = found
            .iter()
            .map(|f| match f {
                Found::Pandoc(c) => format!("pandoc {}", c.items[0].key),
                other => format!("directive@{}", other.start()),
            })
            .collect();
        assert_eq!(starts, ["pandoc a", "directive@5", "pandoc c"]);
    }

    #[test]
    fn returns_unknown_names_for_the_caller_to_judge() {
        assert_eq!(names("{{#comparision-table}}"), ["comparision-table@0:"]);
    }

    /// What the regex grammar in [`directive_at`]'s docs finds, as the hand scan's
    /// oracle: the old scanner, on text with no code or HTML.
    fn by_regex(text: &str) -> Vec<String> {
        let directive =
            regex::Regex::new(r"(\\)?\{\{#([A-Za-z0-9_-]*)([^{}\n]*)\}\}").expect("valid regex");
        let mut out = Vec::new();
        let mut closed = Vec::new();
        for c in directive.captures_iter(text) {
            let whole = c.get(0).unwrap();
            let name = c.get(2).unwrap().as_str();
            let open = whole.start() + usize::from(c.get(1).is_some());
            closed.push(open);
            if c.get(1).is_some() {
                if ours(name) {
                    out.push((whole.start(), format!("escape@{}", whole.start())));
                }
            } else {
                let args = c.get(3).unwrap();
                out.push((
                    open,
                    format!("{name}@{open}:{}|{}", args.as_str(), args.start()),
                ));
            }
        }
        for (open, _) in text.match_indices("{{#") {
            let rest = &text[open + 3..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            if !closed.contains(&open) && ours(&rest[..end]) {
                out.push((open, format!("unclosed {}@{open}", &rest[..end])));
            }
        }
        out.sort();
        out.into_iter().map(|(_, s)| s).collect()
    }

    proptest::proptest! {
        #[test]
        fn the_hand_scan_finds_what_the_grammar_matches(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{{#", "{{", "}}", "}", "{", "\\", "\n", "paper-citation", "x_1",
                    " a=\"b\"", "é", "-",
                ]),
                0..24,
            )
        ) {
            let text = parts.concat();
            let hand: Vec<String> = scan(&text, ours)
                .into_iter()
                .map(|f| match f {
                    Found::Directive(d) => format!("{}@{}:{}|{}", d.name, d.span.start, d.args, d.args_offset),
                    Found::Escape { backslash } => format!("escape@{backslash}"),
                    Found::Unclosed { offset, name } => format!("unclosed {name}@{offset}"),
                    Found::Pandoc(_) => unreachable!("not asked for"),
                })
                .collect();
            proptest::prop_assert_eq!(hand, by_regex(&text), "{:?}", text);
        }
    }
}
