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

/// Characters that end or change a Markdown link destination written without `<>`,
/// or a table cell around it; each is percent-encoded. Non-ASCII is valid as it is.
fn breaks_destination(c: char) -> bool {
    c.is_ascii_control() || matches!(c, ' ' | '(' | ')' | '<' | '>' | '\\' | '|' | '"' | '`')
}

fn percent_encode_into(out: &mut String, c: char) {
    let mut bytes = [0; 4];
    for b in c.encode_utf8(&mut bytes).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// Makes a URL (which may already hold `%` escapes) safe as a Markdown link
/// destination, in running text or in a table cell: spaces, parentheses, `<>`, `\\`,
/// `|`, quotes, backticks and control characters are percent-encoded.
pub fn escape_href(href: &str) -> std::borrow::Cow<'_, str> {
    if !href.contains(breaks_destination) {
        return href.into();
    }
    let mut out = String::with_capacity(href.len() + 8);
    for c in href.chars() {
        if breaks_destination(c) {
            percent_encode_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A file or directory name as one segment of a link destination: like
/// [`escape_href`], and `%`, `#` and `?` are encoded too, since a name is not a URL.
pub fn encode_path_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if breaks_destination(c) || matches!(c, '%' | '#' | '?') {
            percent_encode_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes every `|` that a backslash does not already escape, so that Markdown
/// cannot end a table cell on it: in GFM a table row is split on unescaped pipes
/// before anything else is parsed, in link titles and code spans too. (`\\|` inside
/// a title or code span still shows `|`: the table takes the backslash away first.)
pub fn escape_pipes(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains('|') {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + 8);
    let mut backslashes = 0usize;
    for c in markdown.chars() {
        if c == '|' && backslashes.is_multiple_of(2) {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out.into()
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
