//! What the reader sees around each byte of a chapter, from one pass of mdBook's own
//! parser: which text is never shown as Markdown (code, HTML comments, raw `<pre>`,
//! `<code>`, `<script>`, `<style>`, `<textarea>`), and which block or span holds a
//! directive (a table cell, a heading, a link's text).

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

/// The innermost block that holds a directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Block {
    /// A paragraph, a list item or a definition: a block directive on its own line
    /// can split it.
    #[default]
    Text,
    /// A heading (`# ...` or a setext underline).
    Heading,
    /// A cell of a table (header or body).
    TableCell,
    /// The term of a definition list.
    Term,
    /// A raw HTML block, whose text is not Markdown.
    Html,
}

/// Where a directive stands, as mdBook's parser sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    /// The innermost block around the directive.
    pub block: Block,
    /// Inside a link's text or an image's alt text.
    pub in_link: bool,
    /// Inside emphasis, strong or strikethrough, which a block cannot split.
    pub in_span: bool,
}

impl Place {
    /// Whether a link written here would end up inside another link: in link text,
    /// in alt text, and in headings and definition terms, which mdBook's HTML renderer
    /// wraps in an anchor link.
    pub fn forbids_links(&self) -> bool {
        self.in_link || matches!(self.block, Block::Heading | Block::Term)
    }

    /// Whether the output lands in a table row, where an unescaped `|` ends the cell.
    pub fn in_table(&self) -> bool {
        self.block == Block::TableCell
    }
}

/// The parsed shape of a chapter.
#[derive(Debug, Default)]
pub struct Markup {
    /// Byte ranges the reader never sees as Markdown text, sorted.
    hidden: Vec<Range<usize>>,
    /// Blocks and spans that matter to a directive, in order of their start.
    regions: Vec<(Range<usize>, Region)>,
    /// Raw HTML as written (tags, HTML blocks), sorted: not Markdown text.
    raw_html: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Block(Block),
    Link,
    Span,
}

/// Raw HTML elements whose content is shown as written (or not at all).
const LITERAL_ELEMENTS: &[&str] = &["pre", "code", "script", "style", "textarea"];

impl Markup {
    /// Parses `text` with mdBook's parser and options.
    pub fn parse(text: &str) -> Markup {
        let options = mdbook_markdown::MarkdownOptions::default();
        let mut markup = Markup::default();
        let mut html = HtmlState::default();
        let mut code_depth = 0usize;
        for (event, range) in mdbook_markdown::new_cmark_parser(text, &options).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => {
                    if code_depth == 0 {
                        markup.hidden.push(range.clone());
                    }
                    code_depth += 1;
                }
                Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
                Event::Code(_) if code_depth == 0 => markup.hidden.push(range),
                Event::Html(_) | Event::InlineHtml(_) => {
                    markup.raw_html.push(range.clone());
                    html.feed(&text[range.clone()], range.start, &mut markup.hidden);
                }
                Event::Start(tag) => {
                    let region = match tag {
                        Tag::Paragraph | Tag::Item | Tag::DefinitionListDefinition => {
                            Region::Block(Block::Text)
                        }
                        Tag::Heading { .. } => Region::Block(Block::Heading),
                        Tag::TableCell => Region::Block(Block::TableCell),
                        Tag::DefinitionListTitle => Region::Block(Block::Term),
                        Tag::HtmlBlock => Region::Block(Block::Html),
                        Tag::Link { .. } | Tag::Image { .. } => Region::Link,
                        Tag::Emphasis | Tag::Strong | Tag::Strikethrough => Region::Span,
                        _ => continue,
                    };
                    markup.regions.push((range, region));
                }
                Event::End(
                    TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript
                    | TagEnd::Link
                    | TagEnd::Image,
                ) => {}
                // An element left open in raw HTML ends with the block it is in: the
                // parser shows what follows as Markdown.
                Event::End(_) => html.close(range.end, &mut markup.hidden),
                _ => {}
            }
        }
        html.close(text.len(), &mut markup.hidden);
        markup.hidden.sort_by_key(|r| r.start);
        markup.raw_html.sort_by_key(|r| r.start);
        markup
    }

    /// Whether the byte at `offset` is hidden from the reader as Markdown text.
    pub fn is_hidden(&self, offset: usize) -> bool {
        let i = self.hidden.partition_point(|r| r.end <= offset);
        self.hidden.get(i).is_some_and(|r| r.start <= offset)
    }

    /// Whether the byte at `offset` is raw HTML: a tag, or a line of an HTML block.
    pub fn is_raw_html(&self, offset: usize) -> bool {
        let i = self.raw_html.partition_point(|r| r.end <= offset);
        self.raw_html.get(i).is_some_and(|r| r.start <= offset)
    }

    /// Where the text at each of `offsets` (ascending) stands.
    pub fn places(&self, offsets: impl IntoIterator<Item = usize>) -> Vec<Place> {
        let mut open: Vec<&(Range<usize>, Region)> = Vec::new();
        let mut next = self.regions.iter().peekable();
        let mut places = Vec::new();
        for offset in offsets {
            while let Some(region) = next.next_if(|(r, _)| r.start <= offset) {
                open.push(region);
            }
            open.retain(|(r, _)| r.end > offset);
            let mut place = Place::default();
            let mut innermost_block = None;
            for (range, region) in &open {
                if !range.contains(&offset) {
                    continue;
                }
                match region {
                    Region::Block(block) => innermost_block = Some(*block),
                    Region::Link => place.in_link = true,
                    Region::Span => place.in_span = true,
                }
            }
            place.block = innermost_block.unwrap_or(Block::Text);
            places.push(place);
        }
        places
    }
}

/// Follows comments and literal elements across the raw HTML pieces of a chapter.
#[derive(Debug, Default)]
struct HtmlState {
    /// Where the open comment or element starts, and the closing text it waits for.
    open: Option<(usize, Closer)>,
}

#[derive(Debug, Clone, Copy)]
enum Closer {
    Comment,
    Element(&'static str),
}

impl HtmlState {
    /// Scans one piece of raw HTML at byte `base` of the chapter, pushing each
    /// comment or literal element it closes onto `hidden`.
    fn feed(&mut self, piece: &str, base: usize, hidden: &mut Vec<Range<usize>>) {
        let mut at = 0;
        while at < piece.len() {
            match self.open {
                None => {
                    let Some(found) = piece[at..].find('<') else {
                        return;
                    };
                    let start = at + found;
                    let rest = &piece[start..];
                    if let Some(after) = rest.strip_prefix("<!--") {
                        // `<!-->` and `<!--->` are complete, empty comments.
                        let empty = if after.starts_with('>') {
                            Some(5)
                        } else if after.starts_with("->") {
                            Some(6)
                        } else {
                            None
                        };
                        match empty {
                            Some(len) => {
                                hidden.push(base + start..base + start + len);
                                at = start + len;
                            }
                            None => {
                                self.open = Some((base + start, Closer::Comment));
                                at = start + 4;
                            }
                        }
                    } else if let Some(name) = literal_element(&rest[1..]) {
                        self.open = Some((base + start, Closer::Element(name)));
                        at = start + 1 + name.len();
                    } else {
                        at = start + 1;
                    }
                }
                Some((open_at, closer)) => {
                    let end = match closer {
                        Closer::Comment => piece[at..].find("-->").map(|i| at + i + 3),
                        Closer::Element(name) => {
                            find_closing_tag(&piece[at..], name).map(|i| at + i)
                        }
                    };
                    match end {
                        Some(end) => {
                            hidden.push(open_at..base + end);
                            self.open = None;
                            at = end;
                        }
                        None => return,
                    }
                }
            }
        }
    }

    /// Ends whatever is open at byte `end`.
    fn close(&mut self, end: usize, hidden: &mut Vec<Range<usize>>) {
        if let Some((start, _)) = self.open.take() {
            hidden.push(start..end.max(start));
        }
    }
}

/// The literal element whose name starts `text` (after `<`), if the name ends there.
fn literal_element(text: &str) -> Option<&'static str> {
    LITERAL_ELEMENTS.iter().copied().find(|name| {
        text.len() >= name.len()
            && text.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && text[name.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
    })
}

/// The byte just after `</name ...>` in `text`, case-insensitively.
fn find_closing_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("</") {
        let start = from + i + 2;
        let end = start + name.len();
        if end <= bytes.len()
            && bytes[start..end].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(end)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>')
        {
            return Some(text[end..].find('>').map_or(text.len(), |j| end + j + 1));
        }
        from = start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(text: &str) -> Vec<&str> {
        Markup::parse(text)
            .hidden
            .iter()
            .map(|r| &text[r.clone()])
            .collect()
    }

    #[test]
    fn comments_and_literal_elements_are_hidden() {
        assert_eq!(hidden("a <!-- x --> b"), ["<!-- x -->"]);
        assert_eq!(hidden("<!--\n\nx\n\n-->\n"), ["<!--\n\nx\n\n-->"]);
        assert_eq!(hidden("<!--> x"), ["<!-->"]);
        assert_eq!(
            hidden("<pre><code>x</code></pre>\n\nor <CODE class=a>y</Code>."),
            ["<pre><code>x</code></pre>", "<CODE class=a>y</Code>"]
        );
        assert_eq!(hidden("a <codex>y</codex>"), Vec::<&str>::new());
        // An unclosed inline element ends with its paragraph.
        assert_eq!(hidden("a <code>y\n\nb"), ["<code>y\n"]);
    }

    #[test]
    fn places_of_text() {
        let text = "# H x\n\n| a | b x |\n|---|---|\n| x | c |\n\n[link x](u) *em x*\n";
        let markup = Markup::parse(text);
        let offsets: Vec<usize> = text.match_indices('x').map(|(i, _)| i).collect();
        let places = markup.places(offsets);
        assert_eq!(places[0].block, Block::Heading);
        assert!(places[1].in_table() && places[2].in_table());
        assert!(places[3].in_link && places[3].forbids_links());
        assert!(places[4].in_span && !places[4].in_link);
    }
}
