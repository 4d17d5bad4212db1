//! Pandoc's citation syntax (`citation-syntax = "pandoc"`): `[@key]`,
//! `[see @a, p. 33; @b]`, `[-@key]`, and `@key` or `@key [p. 33]` in the text.
//!
//! Keys follow Pandoc's manual ("Citation syntax"): they start with a letter, digit
//! or `_`, and may hold single internal punctuation `:.#$%&-+?<>~/` (and `://`);
//! `@{...}` takes any key. An `@` is a citation only at the start of a word or
//! after an opening bracket, quote or emphasis mark: so not in `me@example.org`,
//! and (stricter than Pandoc, which cites there) not in `https://x.org/@me` or
//! `a-@b`, so that URLs stay as written. Nor is one the reader never sees as
//! Markdown (code, comments, raw HTML). A bare `@word` is a citation only when
//! `word` is a known key: prose has handles and decorators.
//!
//! This module only finds citations; turning them into citation requests (and
//! reporting unknown keys) is the renderer's job.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::markup::{Markup, Place};

/// One citation in Pandoc's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PandocCitation<'a> {
    /// The whole citation: `[...]`, or `@key` with its optional ` [p. 33]`.
    pub span: Range<usize>,
    /// The cited works, in the author's order.
    pub items: Vec<PandocItem<'a>>,
    /// Written in the text (`@key`), not in brackets.
    pub narrative: bool,
    /// The block and span around it.
    pub place: Place,
}

/// One work cited in a [`PandocCitation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PandocItem<'a> {
    /// The key, without `@` or braces.
    pub key: &'a str,
    /// Byte offset of the key in the chapter.
    pub key_offset: usize,
    /// `-@key`: the year without the author.
    pub suppress_author: bool,
    /// Text before `@`, trimmed, and its offset.
    pub prefix: (&'a str, usize),
    /// A page, section or chapter locator: the kind's name and the value.
    pub locator: Option<(&'static str, String)>,
    /// Text after the key and locator (Markdown, as written), and its offset.
    pub suffix: (&'a str, usize),
}

/// Pandoc's locator terms (English CSL terms, long and short, singular and
/// plural) for the three kinds our model has. Other terms (`fig.`, `vol.`, ...)
/// stay in the suffix as written.
const LOCATOR_TERMS: &[(&str, &str)] = &[
    ("pages", "page"),
    ("page", "page"),
    ("pp.", "page"),
    ("p.", "page"),
    ("sections", "section"),
    ("section", "section"),
    ("secs.", "section"),
    ("sec.", "section"),
    ("§§", "section"),
    ("§", "section"),
    ("chapters", "chapter"),
    ("chapter", "chapter"),
    ("chaps.", "chapter"),
    ("chap.", "chapter"),
];

/// A locator's value: numbers, roman numerals, ranges (`33-35`, `4.1`) and lists
/// (`33, 38`). Words end it, and begin the suffix.
static LOCATOR_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    let token = r"(?:[0-9][0-9A-Za-z]*|[ivxlcdmIVXLCDM]+)(?:[.:\-–][0-9A-Za-z]+)*\b";
    Regex::new(&format!(r"^{token}(?:\s*,\s*{token})*")).expect("valid regex")
});

/// Finds every Pandoc citation of `text` that the reader sees as Markdown.
/// `is_key` says which keys are known: a bare `@word` is kept as text unless it is.
pub fn scan_pandoc<'a>(text: &'a str, is_key: impl Fn(&str) -> bool) -> Vec<PandocCitation<'a>> {
    if !text.contains('@') {
        return Vec::new();
    }
    let markup = Markup::parse(text);
    let not_markdown = |offset: usize| markup.is_hidden(offset) || markup.is_raw_html(offset);
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut consumed = 0;
    // Bracketed citations first: an `@` inside one is never narrative.
    for (open, _) in text.match_indices('[') {
        if open < consumed || is_escaped(text, open) || not_markdown(open) {
            continue;
        }
        if open > 0 && bytes[open - 1] == b'!' {
            continue; // an image
        }
        let Some(close) = matching_bracket(text, open) else {
            continue;
        };
        // `[...](url)`, `[...][ref]` and `[...]: url` are links; but `[@a][@b]` is
        // two citations, as Pandoc reads citations before reference links (and
        // the first must not wait for the second to be expanded).
        let next_is_citation = bytes.get(close + 1) == Some(&b'[')
            && matching_bracket(text, close + 1)
                .is_some_and(|end| bracket_items(text, close + 2..end, &not_markdown).is_some());
        if matches!(bytes.get(close + 1), Some(b'(' | b'[' | b':')) && !next_is_citation {
            continue;
        }
        if let Some(items) = bracket_items(text, open + 1..close, &not_markdown) {
            found.push(PandocCitation {
                span: open..close + 1,
                items,
                narrative: false,
                place: Place::default(),
            });
            consumed = close + 1;
        }
    }
    let in_bracket = |offset: usize| {
        let i = found.partition_point(|c: &PandocCitation<'_>| c.span.end <= offset);
        found.get(i).is_some_and(|c| c.span.start <= offset)
    };
    let mut narrative = Vec::new();
    for (at, _) in text.match_indices('@') {
        if in_bracket(at) || not_markdown(at) || !starts_citation(text, at) {
            continue;
        }
        let Some((key, key_offset, mut end)) = parse_key(text, at + 1) else {
            continue;
        };
        if !is_key(key) {
            continue;
        }
        let mut item = PandocItem {
            key,
            key_offset,
            suppress_author: false,
            prefix: ("", at),
            locator: None,
            suffix: ("", end),
        };
        // `@key [p. 33]`: a locator and suffix in brackets right after.
        let gap = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        let open = end + gap;
        if bytes.get(open) == Some(&b'[')
            && let Some(close) = matching_bracket(text, open)
            && !matches!(bytes.get(close + 1), Some(b'(' | b'[' | b':'))
            && !text[open + 1..close].contains('@')
            && !not_markdown(open)
        {
            let (locator, suffix) = locator_and_suffix(text, open + 1..close, false);
            item.locator = locator;
            item.suffix = suffix;
            end = close + 1;
        }
        narrative.push(PandocCitation {
            span: at..end,
            items: vec![item],
            narrative: true,
            place: Place::default(),
        });
    }
    found.extend(narrative);
    found.sort_by_key(|c| c.span.start);
    let mut places = markup
        .places(found.iter().map(|c| c.span.start))
        .into_iter();
    for citation in &mut found {
        citation.place = places.next().expect("one place per citation");
    }
    found
}

/// The items of `[...]` whose content is `inner`, if every `;`-separated part
/// cites a key; else the brackets are text.
fn bracket_items<'a>(
    text: &'a str,
    inner: Range<usize>,
    not_markdown: &impl Fn(usize) -> bool,
) -> Option<Vec<PandocItem<'a>>> {
    let mut items = Vec::new();
    for part in split_parts(text, inner) {
        let mut search = part.start;
        let (at, key, key_offset, key_end) = loop {
            let at = search + text[search..part.end].find('@')?;
            search = at + 1;
            if not_markdown(at) {
                continue;
            }
            let dash = at > part.start && text.as_bytes()[at - 1] == b'-';
            let start = if dash { at - 1 } else { at };
            if !starts_citation(text, start) {
                continue;
            }
            if let Some((key, key_offset, end)) = parse_key(text, at + 1)
                && end <= part.end
            {
                break (start, key, key_offset, end);
            }
        };
        let suppress_author = text.as_bytes()[at] == b'-';
        let (locator, suffix) = locator_and_suffix(text, key_end..part.end, true);
        items.push(PandocItem {
            key,
            key_offset,
            suppress_author,
            prefix: trimmed(text, part.start..at),
            locator,
            suffix,
        });
    }
    Some(items)
}

/// Splits `range` at each `;` outside nested brackets and braces.
fn split_parts(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = range.start;
    let mut escaped = false;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                parts.push(start..at);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(start..range.end);
    parts
}

/// The locator at the start of the text in `range` (after a comma when `comma`
/// says one may come first), and the suffix after it.
#[allow(clippy::type_complexity)]
fn locator_and_suffix(
    text: &str,
    range: Range<usize>,
    comma: bool,
) -> (Option<(&'static str, String)>, (&str, usize)) {
    let whole = trimmed(text, range.clone());
    let mut at = whole.1;
    let mut rest = whole.0;
    if comma && let Some(after) = rest.strip_prefix(',') {
        at += 1 + after.len() - after.trim_start().len();
        rest = after.trim_start();
    }
    // `{pp. iv, vi-xi}`: braces mark the whole locator.
    if let Some(after) = rest.strip_prefix('{')
        && let Some(close) = after.find('}')
    {
        let inside = after[..close].trim();
        let (kind, value) = match term(inside) {
            Some((kind, value)) => (kind, value),
            None => ("page", inside),
        };
        if !value.is_empty() {
            let end = at + 1 + close + 1;
            return (
                Some((kind, value.to_owned())),
                trimmed(text, end..range.end),
            );
        }
    }
    // Without a term, a number is a page (`[@k, 33]`), as Pandoc reads it.
    let bare = || {
        rest.starts_with(|c: char| c.is_ascii_digit())
            .then_some(("page", rest))
    };
    if let Some((kind, value)) = term(rest).or_else(bare)
        && let Some(found) = LOCATOR_VALUE.find(value)
    {
        let end = at + (rest.len() - value.len()) + found.end();
        return (
            Some((kind, found.as_str().to_owned())),
            trimmed(text, end..range.end),
        );
    }
    (None, whole)
}

/// The locator kind named by the term that starts `text`, and the text after it.
fn term(text: &str) -> Option<(&'static str, &str)> {
    LOCATOR_TERMS.iter().find_map(|(term, kind)| {
        let head = text.get(..term.len())?;
        if !head.eq_ignore_ascii_case(term) {
            return None;
        }
        let after = &text[term.len()..];
        let value = after.trim_start();
        // A word term must end at a space: `pages` is not `page` + `s`.
        let abbreviated = term.ends_with(['.', '§']);
        (abbreviated || value.len() < after.len()).then_some((*kind, value))
    })
}

/// Whether a citation may start at `at` (`@` or `-@`): not right after text, as in
/// `me@example.org`, `x.org/@me` or `a-@b`.
fn starts_citation(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => c.is_whitespace() || "([{\"'*_~“‘«".contains(c),
    }
}

/// Parses a key starting at `from` (just after `@`): returns the key, its offset
/// and where the key's text ends.
fn parse_key(text: &str, from: usize) -> Option<(&str, usize, usize)> {
    let rest = &text[from..];
    if let Some(inner) = rest.strip_prefix('{') {
        let mut depth = 1usize;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        let key = &inner[..i];
                        return (!key.is_empty()).then_some((key, from + 1, from + 1 + i + 1));
                    }
                }
                c if c.is_whitespace() => return None,
                _ => {}
            }
        }
        return None;
    }
    let regular = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = rest.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !regular(first) {
        return None;
    }
    let mut end = first.len_utf8();
    while let Some((i, c)) = chars.next() {
        if regular(c) {
            end = i + c.len_utf8();
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let internal = ":.#$%&-+?<>~/".contains(c) && next.is_some_and(regular);
        // `http://...`: `:` or `/` before another `/`.
        let url = (c == ':' || c == '/') && next == Some('/');
        if !(internal || url) {
            break;
        }
        end = i + c.len_utf8();
    }
    Some((&rest[..end], from, from + end))
}

/// The `]` closing the `[` at `open`, on the same paragraph; `None` if unbalanced.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    let mut blank_line = false;
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            '\n' if blank_line => return None,
            '\n' => {
                blank_line = true;
                continue;
            }
            c if c.is_whitespace() => continue,
            _ => {}
        }
        if c != '\r' {
            blank_line = false;
        }
    }
    None
}

/// Whether the byte at `at` is escaped by an odd run of backslashes.
fn is_escaped(text: &str, at: usize) -> bool {
    let run = text.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    run % 2 == 1
}

/// The text of `range` without surrounding whitespace, and its offset.
fn trimmed(text: &str, range: Range<usize>) -> (&str, usize) {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    (piece.trim(), start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        scan_pandoc(text, |k| k.starts_with("known"))
            .iter()
            .map(|c| {
                let items: Vec<String> = c
                    .items
                    .iter()
                    .map(|i| {
                        let mut s = String::new();
                        if !i.prefix.0.is_empty() {
                            s.push_str(&format!("<{}>", i.prefix.0));
                        }
                        if i.suppress_author {
                            s.push('-');
                        }
                        s.push_str(i.key);
                        if let Some((kind, value)) = &i.locator {
                            s.push_str(&format!(" {kind}={value}"));
                        }
                        if !i.suffix.0.is_empty() {
                            s.push_str(&format!(" +{}", i.suffix.0));
                        }
                        s
                    })
                    .collect();
                let mark = if c.narrative { "N " } else { "" };
                format!("{mark}{}@{}", items.join("; "), c.span.start)
            })
            .collect()
    }

    #[test]
    fn bracketed_citations_with_prefixes_locators_and_suffixes() {
        assert_eq!(keys("a [@x] b"), ["x@2"]);
        assert_eq!(keys("[@a; @b]"), ["a; b@0"]);
        assert_eq!(keys("[see @k, p. 33]"), ["<see>k page=33@0"]);
        assert_eq!(keys("[@k, sec. 4.1]"), ["k section=4.1@0"]);
        assert_eq!(keys("[@k, chapter 2]"), ["k chapter=2@0"]);
        assert_eq!(
            keys("[@k, pp. 33-35, 38 and *passim*]"),
            ["k page=33-35, 38 +and *passim*@0"]
        );
        assert_eq!(keys("[@k, 12]"), ["k page=12@0"]);
        assert_eq!(keys("[@k, civil war]"), ["k +, civil war@0"]);
        assert_eq!(keys("[@k, fig. 3]"), ["k +, fig. 3@0"]);
        assert_eq!(keys("[@k, {pp. iv, vi-xi}]"), ["k page=iv, vi-xi@0"]);
        assert_eq!(keys("[-@k]"), ["-k@0"]);
        assert_eq!(keys("[see -@k; also @j]"), ["<see>-k; <also>j@0"]);
        assert_eq!(
            keys("[@{https://example.com/bib?n=1&d=2}, p. 3]"),
            ["https://example.com/bib?n=1&d=2 page=3@0"]
        );
        assert_eq!(keys("[@DBLP:conf/osdi/X16]"), ["DBLP:conf/osdi/X16@0"]);
        // A pages term must end at a space; `pagesx` is suffix text.
        assert_eq!(keys("[@k, pagesx 3]"), ["k +, pagesx 3@0"]);
    }

    #[test]
    fn keys_end_before_final_or_doubled_punctuation() {
        assert_eq!(parse_key("Foo_bar.baz.", 0).unwrap().0, "Foo_bar.baz");
        assert_eq!(parse_key("Foo_bar--baz", 0).unwrap().0, "Foo_bar");
        assert_eq!(parse_key("{Foo_bar.baz.}", 0).unwrap().0, "Foo_bar.baz.");
        assert_eq!(parse_key("http://x.org/a", 0).unwrap().0, "http://x.org/a");
        assert!(parse_key("-x", 0).is_none());
        assert!(parse_key("{a b}", 0).is_none());
    }

    #[test]
    fn narrative_citations_need_a_known_key() {
        assert_eq!(keys("As @known1 shows."), ["N known1@3"]);
        assert_eq!(keys("As @known1 [p. 3] shows."), ["N known1 page=3@3"]);
        assert_eq!(keys("(@known1)"), ["N known1@1"]);
        assert!(keys("Ask @someone or @known1x.").len() == 1);
        assert!(keys("ping @nobody").is_empty());
    }

    #[test]
    fn what_is_not_a_citation_is_left_alone() {
        for text in [
            "me@example.org and known@x",
            "x.org/@known1 and a-@known1 and \\@known1",
            "`@known1` and `[@k]`",
            "```\n[@k] @known1\n```\n",
            "<!-- [@k] @known1 -->",
            "<code>[@k]</code>",
            "<span title=\"@known1\">x</span>",
            "<div>\n@known1 [@k]\n</div>\n",
            "[@k](https://example.org) [@k][r] ![@k](i.png) [@unknown](u)",
            "\\[@k] [no key here] [email me@example.org]",
            "[@k\n\n]",
        ] {
            assert_eq!(keys(text), Vec::<String>::new(), "{text:?}");
        }
    }
}
