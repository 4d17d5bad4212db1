//! Escaping for text that comes from data and lands in Markdown.
//!
//! Data (names, titles, claim values of other books) must never be able to open
//! markup: a `<script>` in a title stays text, a `|` cannot split a table cell,
//! and a `"` cannot end a link title early.

/// Escapes plain text so that CommonMark shows it literally, on one line.
///
/// Safe inside table cells and link text: `|` is escaped and line breaks become spaces.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Makes trusted Markdown from data safe for one table cell or one line:
/// line breaks become spaces and unescaped `|` are escaped, raw HTML is neutralised.
/// Emphasis, code spans and links in the value keep working.
pub fn inline_markdown(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 8);
    let mut previous_backslash = false;
    for c in markdown.chars() {
        match c {
            '|' if !previous_backslash => out.push_str("\\|"),
            '<' if !previous_backslash => out.push_str("&lt;"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
        previous_backslash = c == '\\' && !previous_backslash;
    }
    out
}

/// Escapes text for a Markdown link title written as `"..."`.
///
/// Titles are shown on hover. Markdown backslash escapes apply to ASCII
/// punctuation, so escaping `"` and `\` is enough; `<` and `&` are made entities
/// so that the HTML attribute is never broken.
pub fn escape_link_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Makes a URL or path safe as a Markdown link destination: spaces and
/// parentheses would end it early.
pub fn escape_href(href: &str) -> std::borrow::Cow<'_, str> {
    if !href.contains([' ', '(', ')']) {
        return href.into();
    }
    href.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .into()
}

/// Writes a Markdown inline link, with an optional hover title.
pub fn link(text_markdown: &str, href: &str, title: Option<&str>) -> String {
    let mut out = String::new();
    let title = title.map(escape_link_title);
    push_link(
        &mut out,
        text_markdown,
        &[&escape_href(href)],
        title.as_deref(),
    );
    out
}

/// Appends a Markdown inline link whose destination (given in pieces, joined) and
/// title are already escaped with [`escape_href`] and [`escape_link_title`]: for
/// callers that escape each piece once and link to it many times.
pub fn push_link(out: &mut String, text_markdown: &str, href: &[&str], title: Option<&str>) {
    out.push('[');
    out.push_str(text_markdown);
    out.push_str("](");
    for piece in href {
        out.push_str(piece);
    }
    if let Some(title) = title {
        out.push_str(" \"");
        out.push_str(title);
        out.push('"');
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_text_neutralises_markup() {
        assert_eq!(
            escape_text("<script>a|b</script>"),
            "&lt;script&gt;a\\|b&lt;/script&gt;"
        );
        assert_eq!(escape_text("*x* [y](z)"), "\\*x\\* \\[y\\](z)");
        assert_eq!(escape_text("line\nbreak"), "line break");
    }

    #[test]
    fn inline_markdown_keeps_emphasis_but_not_pipes_or_html() {
        assert_eq!(inline_markdown("*a* | b"), "*a* \\| b");
        assert_eq!(inline_markdown("a \\| b"), "a \\| b");
        assert_eq!(inline_markdown("<b>x</b>"), "&lt;b>x&lt;/b>");
    }

    #[test]
    fn link_title_cannot_be_closed_early() {
        assert_eq!(
            link("x", "a.md#k", Some("say \"hi\" <b>")),
            "[x](a.md#k \"say \\\"hi\\\" &lt;b>\")"
        );
    }
}
