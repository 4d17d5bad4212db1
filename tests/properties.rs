//! Properties of expansion, driving the library in-process on generated chapters.

use std::path::Path;
use std::sync::LazyLock;

use mdbook_frameworks::config::Config;
use mdbook_frameworks::expand::Expander;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use proptest::prelude::*;

/// Valid directives the generator places in prose: inline and block, with and
/// without citations, and a bibliography (which changes where citations link). The
/// costlier ones (timelines, profiles) are left to the fixture books: a debug build
/// renders citations slowly, and each case expands up to two chapters.
const DIRECTIVES: &[&str] = &[
    "{{#paper-citation paszke2019pytorch}}",
    "{{#paper-citation abadi2016tensorflow,bergstra2010theano form=narrative}}",
    "{{#paper-citation chollet2015keras page=12 prefix=\"see\"}}",
    "{{#framework-fact keras name}}",
    "{{#framework-fact theano license cite}}",
    "{{#comparison-table frameworks=pytorch,keras dimensions=debugging}}",
    "{{#bibliography}}",
];

/// Whether `DIRECTIVES[i]` makes a block, which stands only on its own line.
fn is_block(i: usize) -> bool {
    ["{{#comparison-table", "{{#bibliography"]
        .iter()
        .any(|b| DIRECTIVES[i].starts_with(b))
}

/// What surrounds a directive: `before`, the directive, `between`, where the probe
/// of `every_byte_outside_directives_is_kept` puts its marker, then `after`.
#[derive(Debug, Clone, Copy)]
enum Wrap {
    /// In running text (inline directives only).
    Plain,
    /// On its own line between blank lines (block directives only).
    Line,
    /// In the text of the author's link (inline directives only).
    Link,
    /// In an image's alt text.
    Image,
    /// In a table cell.
    Cell,
}

impl Wrap {
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Wrap::Plain => ("", "", ""),
            Wrap::Line => ("\n\n", "\n", "\n"),
            Wrap::Link => ("[see ", "", "](https://example.org/a \"t\")"),
            Wrap::Image => ("![fig ", "", "](f.png)"),
            Wrap::Cell => ("\n\n| a | b |\n|---|---|\n| x | ", "", " |\n\n"),
        }
    }
}

/// Pieces of chapter text. None starts with a space (no accidental indented code),
/// code spans are balanced and space-separated (no backtick run can pair across
/// pieces), no piece holds `}}` outside code, so no directive forms by accident.
#[derive(Debug, Clone)]
enum Piece {
    Text(&'static str),
    /// A directive that is not in code: expanded.
    Directive(usize, Wrap),
    /// Code, comments or raw HTML code that may hold directives: kept.
    Code(String),
}

const PROSE: &[&str] = &[
    "Lorem ipsum ",
    "dolor sit amet",
    ". ",
    "PyTorch, TensorFlow; ",
    "x = 1 ",
    "#tag ",
    "(parens) ",
    "ünïcødé ",
    "日本語",
    "🦀",
    "e\u{301}",
    "\u{202e}rtl\u{202c}",
    "\u{200d}",
    "Ω≈ç√ ",
    "<span>x</span> ",
    "[a link](https://example.org) ",
];

const SYNTAX: &[&str] = &[
    "{", "} ", "{{#", "\n", "\n\n", "\r\n", "\r\n\r\n", "\u{feff}", "> ",
];

fn code(with_directives: bool) -> impl Strategy<Value = String> {
    let content = if with_directives {
        prop_oneof![
            Just("plain code".to_owned()),
            (0..DIRECTIVES.len()).prop_map(|i| DIRECTIVES[i].to_owned()),
            Just("{{#paper-citation not-a-key}}".to_owned()),
            Just("{{#comparision-table}} {{#unclosed".to_owned()),
            Just("\\{{#paper-citation escaped}}".to_owned()),
        ]
        .boxed()
    } else {
        Just("plain code { }".to_owned()).boxed()
    };
    (content, 0..9usize).prop_map(|(content, kind)| match kind {
        0 => format!(" `{content}` "),
        1 => format!(" `` a ` {content} `` "),
        2 => format!("\n```md\n{content}\n```\n"),
        3 => format!("\r\n~~~\r\n{content}\r\nmore\r\n~~~\r\n"),
        // Text first: a comment opening a line would start an HTML block, which
        // holds the rest of the line as raw HTML.
        4 => format!("x <!-- {content} --> "),
        5 => format!("\n\n<!--\n{content}\n\n{content}\n-->\n\n"),
        6 => format!("x <code>{content}</code> "),
        7 => format!("\n\n<pre><code>{content}\n\n{content}</code></pre>\n\n"),
        _ => format!("\n\n<div>\n<script>\n{content}\n</script>\n</div>\n\n"),
    })
}

fn directive() -> impl Strategy<Value = Piece> {
    (0..DIRECTIVES.len(), 0..4usize).prop_map(|(i, wrap)| {
        let wrap = match (is_block(i), wrap) {
            (true, _) => Wrap::Line,
            (false, 0) => Wrap::Plain,
            (false, 1) => Wrap::Link,
            (false, 2) => Wrap::Image,
            (false, _) => Wrap::Cell,
        };
        Piece::Directive(i, wrap)
    })
}

fn piece(code_directives: bool, open_braces: bool) -> impl Strategy<Value = Piece> {
    let syntax: Vec<&'static str> = SYNTAX
        .iter()
        .copied()
        // Without open braces, no `{` either: two could spell `{{#` before `#tag`.
        .filter(|s| open_braces || !s.starts_with('{'))
        .collect();
    prop_oneof![
        4 => proptest::sample::select(PROSE).prop_map(Piece::Text),
        3 => proptest::sample::select(syntax).prop_map(Piece::Text),
        1 => directive(),
        1 => code(code_directives).prop_map(Piece::Code),
    ]
}

fn chapter_pieces(code_directives: bool, open_braces: bool) -> impl Strategy<Value = Vec<Piece>> {
    proptest::collection::vec(piece(code_directives, open_braces), 0..24)
}

fn text_of(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string(),
            Piece::Directive(i, wrap) => {
                let (before, between, after) = wrap.parts();
                format!("{before}{}{between}{after}", DIRECTIVES[*i])
            }
            Piece::Code(c) => c.clone(),
        })
        .collect()
}

fn expander(table: serde_json::Value) -> Expander {
    let root = std::env::temp_dir();
    let config = Config::from_table(Some(&table), &root).unwrap();
    Expander::new(&root, Path::new("src"), config).unwrap_or_else(|problems| panic!("{problems:?}"))
}

static PANDOC: LazyLock<Expander> =
    LazyLock::new(|| expander(serde_json::json!({"citation-syntax": "pandoc"})));

/// Citations in Pandoc's syntax, for `citation-syntax = "pandoc"`.
const PANDOC_CITATIONS: &[&str] = &[
    "[@paszke2019pytorch]",
    "[see @abadi2016tensorflow, p. 3; @bergstra2010theano]",
    "[-@chollet2015keras]",
    " @paszke2019pytorch",
    " @dean2012large [sec. 2]",
    "[@abadi2015tensorflow, chap. 4, and *passim*]",
];

/// What looks like Pandoc's syntax and is not a citation: kept byte for byte.
const PANDOC_LOOKALIKES: &[&str] = &[
    "me@example.org ",
    " @someone ",
    "x.org/@paszke2019pytorch ",
    " `[@paszke2019pytorch]` ",
    "\\[@x] ",
    "[no key] ",
    "x <!-- [@paszke2019pytorch] --> ",
    "\n\n```\n@paszke2019pytorch\n```\n\n",
    "a-@paszke2019pytorch ",
    // A link's text is Markdown: `[@paszke2019pytorch](url)` cites, as in Pandoc.
    "[@someone](https://example.org) ",
];

fn pandoc_pieces(citations: bool) -> impl Strategy<Value = Vec<Piece>> {
    let cited = if citations {
        PANDOC_CITATIONS
    } else {
        PANDOC_LOOKALIKES
    };
    proptest::collection::vec(
        prop_oneof![
            4 => piece(false, false),
            2 => proptest::sample::select(cited).prop_map(Piece::Text),
            2 => proptest::sample::select(PANDOC_LOOKALIKES).prop_map(Piece::Text),
        ],
        0..24,
    )
}

static FAILING: LazyLock<Expander> = LazyLock::new(|| expander(serde_json::json!({})));
static WARNING: LazyLock<Expander> =
    LazyLock::new(|| expander(serde_json::json!({"on-error": "warn"})));

fn book_of(content: &str) -> Book {
    let chapter = Chapter::new("Generated", content.to_owned(), "dir/generated.md", vec![]);
    Book::new_with_items(vec![
        BookItem::PartTitle("Part".into()),
        BookItem::Chapter(chapter),
        BookItem::Separator,
    ])
}

/// Expands one chapter; returns its content and whether any error was reported.
fn expand(expander: &Expander, content: &str) -> (String, bool) {
    let mut book = book_of(content);
    let report = expander.expand_book(&mut book);
    assert_eq!(book.items.len(), 3, "items kept");
    let BookItem::Chapter(chapter) = &book.items[1] else {
        panic!("the chapter stays a chapter")
    };
    assert_eq!(chapter.name, "Generated");
    assert_eq!(chapter.path.as_deref(), Some(Path::new("dir/generated.md")));
    (chapter.content.clone(), report.has_errors())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_chapter_without_directives_passes_through_byte_for_byte(
        content in any::<String>().prop_filter("no directive", |s| !s.contains("{{#"))
    ) {
        let (output, errors) = expand(&FAILING, &content);
        prop_assert!(!errors);
        prop_assert_eq!(output, content);
    }

    /// The output is the input with each directive replaced, every other byte kept
    /// (around comments, raw HTML, links, images and table cells).
    /// The replacements are found independently: a probe chapter is the input with a
    /// unique marker after each directive (a directive's expansion does not depend on
    /// what follows it). Cut at the markers, the probe's expansion must be each
    /// segment of the input followed by the next directive's replacement; without
    /// the markers it must equal the input's expansion.
    #[test]
    fn every_byte_outside_directives_is_kept(pieces in chapter_pieces(true, true)) {
        let input = text_of(&pieces);
        let (output, errors) = expand(&FAILING, &input);
        prop_assert!(!errors, "{:?}", input);

        let marker = |i: usize| format!("\u{1}{i}\u{1}");
        let mut probe = String::new();
        let mut segments = vec![String::new()];
        for piece in &pieces {
            match piece {
                Piece::Directive(i, wrap) => {
                    let (before, between, after) = wrap.parts();
                    segments.last_mut().unwrap().push_str(before);
                    probe.push_str(before);
                    probe.push_str(DIRECTIVES[*i]);
                    probe.push_str(between);
                    probe.push_str(&marker(segments.len() - 1));
                    probe.push_str(after);
                    segments.push(after.to_owned());
                }
                other => {
                    let text = text_of(std::slice::from_ref(other));
                    probe.push_str(&text);
                    segments.last_mut().unwrap().push_str(&text);
                }
            }
        }
        let (probe_output, probe_errors) = expand(&FAILING, &probe);
        prop_assert!(!probe_errors);

        let mut rest = probe_output.as_str();
        let mut unmarked = String::new();
        for (i, segment) in segments.iter().enumerate() {
            let chunk = if i + 1 < segments.len() {
                let (chunk, after) = rest.split_once(&marker(i)).expect("marker kept");
                rest = after;
                chunk
            } else {
                rest
            };
            unmarked.push_str(chunk);
            prop_assert!(chunk.starts_with(segment.as_str()), "segment {} changed: {:?}", i, chunk);
            if i + 1 < segments.len() {
                let replacement = &chunk[segment.len()..];
                prop_assert!(!replacement.is_empty(), "directive {} vanished", i);
                prop_assert!(!replacement.contains("{{#"), "{}", replacement);
            } else {
                prop_assert_eq!(chunk, segment.as_str());
            }
        }
        prop_assert_eq!(output, unmarked);
    }

    #[test]
    fn expanding_twice_equals_expanding_once(pieces in chapter_pieces(false, false)) {
        let input = text_of(&pieces);
        let (once, errors) = expand(&FAILING, &input);
        prop_assert!(!errors);
        prop_assert!(!once.contains("{{#"), "the output holds no directive: {}", once);
        let (twice, errors) = expand(&FAILING, &once);
        prop_assert!(!errors);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn expanding_twice_equals_expanding_once_in_pandoc_syntax(pieces in pandoc_pieces(true)) {
        let input = text_of(&pieces);
        let (once, errors) = expand(&PANDOC, &input);
        prop_assert!(!errors, "{:?}", input);
        prop_assert!(!once.contains("{{#"), "the output holds no directive: {}", once);
        let (twice, errors) = expand(&PANDOC, &once);
        prop_assert!(!errors);
        prop_assert_eq!(twice, once);
    }

    /// Text that only looks like Pandoc's syntax (e-mail addresses, handles, code,
    /// comments, links) is kept byte for byte, and so is every byte around a
    /// citation: the output is the input with each citation replaced.
    #[test]
    fn pandoc_syntax_keeps_every_byte_but_its_citations(pieces in pandoc_pieces(false)) {
        let plain: Vec<Piece> = pieces
            .into_iter()
            .filter(|p| !matches!(p, Piece::Directive(..)))
            .collect();
        let input = text_of(&plain);
        let (output, errors) = expand(&PANDOC, &input);
        prop_assert!(!errors);
        prop_assert_eq!(&output, &input);
        // One citation between two such texts changes only its own bytes.
        let cited = format!("{input} [@paszke2019pytorch] {input}");
        let (output, _) = expand(&PANDOC, &cited);
        let (head, tail) = (format!("{input} "), format!(" {input}"));
        prop_assert!(output.starts_with(&head) && output.ends_with(&tail), "{}", output);
        let replaced = &output[head.len()..output.len() - tail.len()];
        prop_assert!(replaced.contains("Paszke et al., 2019") && !replaced.contains('@'), "{}", replaced);
    }

    #[test]
    fn arbitrary_text_never_panics_and_only_warns(
        content in prop_oneof![
            any::<String>(),
            proptest::collection::vec(
                proptest::sample::select(&[
                    "{{#", "}}", "{", "}", "paper-citation", "comparison-table",
                    "bibliography", "framework-fact", "framework-profile", "timeline",
                    " ", "=", ",", "@", "\"", "\\", "`", "```", "\n", "\r\n",
                    "frameworks", "dimensions", "pytorch", "keras", "tensorflow@x",
                    "paszke2019pytorch", "form", "page", "all", "chapter", "cite",
                    "transpose", "debugging", ">=2", "@1", "\u{feff}", "é", "    ",
                    "> ", "- ", "~~~", "name", "from=", "to=1999",
                ][..]),
                0..60,
            ).prop_map(|parts| parts.concat()),
        ]
    ) {
        let (_, errors) = expand(&WARNING, &content);
        prop_assert!(!errors, "with on-error = \"warn\" every problem is a warning");
    }
}
