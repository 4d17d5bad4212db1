//! Turns hayagriva's output tree into escaped Markdown and plain text.
//!
//! hayagriva's own HTML writer does not escape `&` and `<`, so the tree is
//! walked here: text is escaped with [`escape_text`], italics become `*...*`,
//! bold `**...**`, superscripts Unicode superscripts, everything else plain.

use hayagriva::citationberg::{FontStyle, FontWeight, VerticalAlign};
use hayagriva::{ElemChild, ElemChildren, ElemMeta, Formatting};

use crate::markdown::{escape_text, link};

/// The emphasis of a stretch of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Emphasis {
    italic: bool,
    bold: bool,
}

/// A stretch of text with one emphasis, possibly a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    text: String,
    emphasis: Emphasis,
    href: Option<String>,
}

/// Which elements a walk leaves out.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Skip {
    /// Leave out names (`cs:names` output), to keep only the date of a citation.
    pub names: bool,
}

/// Collects the runs of `children`, in order.
pub(crate) fn runs(children: &ElemChildren, skip: Skip) -> Vec<Run> {
    let mut out = Vec::new();
    collect(children, skip, &mut out);
    out
}

fn collect(children: &ElemChildren, skip: Skip, out: &mut Vec<Run>) {
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => push(out, &typographic_apostrophes(&t.text), t.formatting, None),
            ElemChild::Elem(e) => {
                if skip.names && matches!(e.meta, Some(ElemMeta::Names(_))) {
                    continue;
                }
                collect(&e.children, skip, out);
            }
            ElemChild::Link { text, url } => push(out, &text.text, text.formatting, Some(url)),
            // Typst markup and transparent locators are not produced for our entries.
            ElemChild::Markup(m) => push(out, m, Formatting::default(), None),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn push(out: &mut Vec<Run>, text: &str, f: Formatting, href: Option<&str>) {
    if text.is_empty() {
        return;
    }
    let emphasis = Emphasis {
        italic: f.font_style == FontStyle::Italic,
        bold: matches!(f.font_weight, FontWeight::Bold),
    };
    let text = match f.vertical_align {
        VerticalAlign::Sup => superscript(text),
        _ => text.to_string(),
    };
    // Merge with the previous run so emphasis is opened once per stretch.
    if let Some(last) = out.last_mut()
        && last.emphasis == emphasis
        && last.href.is_none()
        && href.is_none()
    {
        last.text.push_str(&text);
        return;
    }
    out.push(Run {
        text,
        emphasis,
        href: href.map(str::to_string),
    });
}

/// A straight apostrophe between two letters ("O'Brien", "Master's") as the
/// typographic one, `’`. CSL processors print the apostrophe typographically
/// (citeproc-js does, and the CSL locale's own terms use `’`); hayagriva 0.10.1
/// copies the data's `'` through. Only text is changed, never a link, and only
/// between letters, so quotes and primes are left alone. No upstream issue found.
fn typographic_apostrophes(text: &str) -> String {
    if !text.contains('\'') {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_letters = i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            if c == '\'' && between_letters {
                '’'
            } else {
                c
            }
        })
        .collect()
}

/// Superscript citation numbers (e.g. Nature's) as Unicode superscripts, so that
/// they stay plain text; text that has no superscript form is left as it is.
fn superscript(text: &str) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let map = |c: char| match c {
        '0'..='9' => Some(DIGITS[(c as u8 - b'0') as usize]),
        '(' => Some('⁽'),
        ')' => Some('⁾'),
        '+' => Some('⁺'),
        ',' | '–' | '-' => Some(c),
        _ => None,
    };
    text.chars()
        .map(map)
        .collect::<Option<String>>()
        .unwrap_or_else(|| text.to_string())
}

/// Splits plain runs where `needle` occurs and makes each occurrence a link.
pub(crate) fn linkify(runs: Vec<Run>, needle: &str, href: &str) -> Vec<Run> {
    if needle.is_empty() {
        return runs;
    }
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        if run.href.is_some() || !run.text.contains(needle) {
            out.push(run);
            continue;
        }
        let mut rest = run.text.as_str();
        while let Some(at) = rest.find(needle) {
            let piece = |text: &str, href: Option<String>| Run {
                text: text.to_string(),
                emphasis: run.emphasis,
                href,
            };
            if at > 0 {
                out.push(piece(&rest[..at], None));
            }
            out.push(piece(needle, Some(href.to_string())));
            rest = &rest[at + needle.len()..];
        }
        if !rest.is_empty() {
            out.push(Run {
                text: rest.to_string(),
                emphasis: run.emphasis,
                href: None,
            });
        }
    }
    out
}

/// Writes runs as Markdown.
///
/// Emphasis markers hug the text they wrap: leading and trailing spaces are
/// moved outside, since CommonMark ignores `* foo *`. Nested bold and italic
/// are opened and closed in stack order.
pub(crate) fn to_markdown(runs: &[Run]) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Marker {
        Bold,
        Italic,
    }
    let wanted = |m: Marker, e: Emphasis| match m {
        Marker::Bold => e.bold,
        Marker::Italic => e.italic,
    };
    let delimiter = |m: Marker| if m == Marker::Bold { "**" } else { "*" };

    let mut out = String::new();
    let mut open: Vec<Marker> = Vec::new();
    let mut pending = String::new();
    for run in runs {
        let core = run.text.trim();
        let lead = &run.text[..run.text.len() - run.text.trim_start().len()];
        pending.push_str(lead);
        if core.is_empty() {
            continue;
        }
        let trail = &run.text[lead.len() + core.len()..];

        let keep = open
            .iter()
            .take_while(|m| wanted(**m, run.emphasis))
            .count();
        for m in open.drain(keep..).rev() {
            out.push_str(delimiter(m));
        }
        out.push_str(&pending);
        pending.clear();
        for m in [Marker::Bold, Marker::Italic] {
            if wanted(m, run.emphasis) && !open.contains(&m) {
                out.push_str(delimiter(m));
                open.push(m);
            }
        }
        match &run.href {
            Some(href) => out.push_str(&link(&escape_text(core), href, None)),
            None => out.push_str(&escape_text(core)),
        }
        pending.push_str(trail);
    }
    for m in open.into_iter().rev() {
        out.push_str(delimiter(m));
    }
    out.push_str(&pending);
    tidy(&out)
}

/// Writes runs as plain text.
pub(crate) fn to_plain(runs: &[Run]) -> String {
    tidy(&runs.iter().map(|r| r.text.as_str()).collect::<String>())
}

/// Collapses whitespace (IEEE's "[Online].  Available"), drops the comma
/// hayagriva leaves before `)` or `.` when a field is missing ("(2024,)",
/// "Preprint,."), a period doubled after a quoted title ("“Title.”.") and the
/// space left between a volume and the colon before its pages ("41 : 100952").
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if c == ')' || (c == '.' && out.trim_end().ends_with(',')) {
            let kept = out.trim_end_matches([' ', ',']).len();
            out.truncate(kept);
        }
        if c == '.' && (out.ends_with(".”") || out.ends_with(".\"")) {
            continue;
        }
        // Chicago's "41 : 100952": with no issue, hayagriva keeps the space
        // that would have come before "(issue)" in front of ": pages".
        // No upstream issue found.
        if c == ':' && out.ends_with(' ') && out.trim_end().ends_with(|p: char| p.is_ascii_digit())
        {
            out.pop();
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayagriva::{Elem, Formatted};

    fn text(t: &str, italic: bool) -> ElemChild {
        let mut f = Formatting::default();
        if italic {
            f.font_style = FontStyle::Italic;
        }
        ElemChild::Text(Formatted {
            text: t.into(),
            formatting: f,
        })
    }

    fn md(children: Vec<ElemChild>) -> String {
        to_markdown(&runs(&ElemChildren(children), Skip::default()))
    }

    #[test]
    fn italics_hug_their_text_and_merge() {
        let out = md(vec![
            text("In ", false),
            text("Advances ", true),
            text("in NeurIPS", true),
            text(" (pp. 1–2).", false),
        ]);
        assert_eq!(out, "In *Advances in NeurIPS* (pp. 1–2).");
    }

    #[test]
    fn nested_emphasis_keeps_stack_order() {
        let bold = Formatting {
            font_weight: FontWeight::Bold,
            ..Default::default()
        };
        let bold_italic = Formatting {
            font_style: FontStyle::Italic,
            ..bold
        };
        let out = md(vec![
            ElemChild::Text(Formatted {
                text: "a ".into(),
                formatting: bold,
            }),
            ElemChild::Text(Formatted {
                text: "b".into(),
                formatting: bold_italic,
            }),
            ElemChild::Text(Formatted {
                text: " c".into(),
                formatting: bold,
            }),
        ]);
        assert_eq!(out, "**a *b* c**");
    }

    #[test]
    fn text_is_escaped_inside_emphasis() {
        let out = md(vec![text("<b>A & B_c</b> | *x*", true)]);
        assert_eq!(out, "*&lt;b&gt;A &amp; B\\_c&lt;/b&gt; \\| \\*x\\**");
    }

    #[test]
    fn names_can_be_skipped() {
        let names = ElemChild::Elem(Elem {
            children: ElemChildren(vec![text("Paszke et al. ", false)]),
            display: None,
            meta: Some(ElemMeta::Names(vec![])),
        });
        let children = ElemChildren(vec![names, text("(2019)", false)]);
        assert_eq!(to_plain(&runs(&children, Skip { names: true })), "(2019)");
    }

    #[test]
    fn links_and_linkify() {
        let runs = linkify(
            vec![Run {
                text: "doi: 10.1/x_y.".into(),
                emphasis: Emphasis::default(),
                href: None,
            }],
            "10.1/x_y",
            "https://doi.org/10.1/x_y",
        );
        assert_eq!(
            to_markdown(&runs),
            "doi: [10.1/x\\_y](https://doi.org/10.1/x_y)."
        );
        assert_eq!(to_plain(&runs), "doi: 10.1/x_y.");
    }

    #[test]
    fn superscripts_become_unicode() {
        let f = Formatting {
            vertical_align: VerticalAlign::Sup,
            ..Default::default()
        };
        let children = vec![ElemChild::Text(Formatted {
            text: "1–3,5".into(),
            formatting: f,
        })];
        assert_eq!(md(children), "¹–³,⁵");
        assert_eq!(superscript("a1"), "a1");
    }

    #[test]
    fn apostrophes_between_letters_become_typographic() {
        assert_eq!(
            md(vec![text("O'Brien, Master's thesis, 'quoted', 5'", false)]),
            "O’Brien, Master’s thesis, 'quoted', 5'"
        );
        let link = ElemChild::Link {
            text: Formatted {
                text: "https://x.org/o'b".into(),
                formatting: Formatting::default(),
            },
            url: "https://x.org/o'b".into(),
        };
        assert_eq!(
            to_plain(&runs(&ElemChildren(vec![link]), Skip::default())),
            "https://x.org/o'b"
        );
    }

    #[test]
    fn tidy_collapses_spaces_and_dangling_commas() {
        assert_eq!(tidy("[Online].  Available:\n x"), "[Online]. Available: x");
        assert_eq!(tidy("(2024,). t"), "(2024). t");
        assert_eq!(tidy("“A.”. Preprint,. x"), "“A.” Preprint. x");
        assert_eq!(tidy("p. 5, 6 ... x"), "p. 5, 6 ... x");
        assert_eq!(tidy("Systems 41 : 100952"), "Systems 41: 100952");
        assert_eq!(tidy("Note : x"), "Note : x");
    }
}
