//! What the `biblatex` crate leaves of LaTeX in a field, made into text.
//!
//! The crate resolves accents, `\&`-style escapes and `--`, but keeps any other
//! command as written (`\emph{deep}`, `\url{https://…}`) and hands `$…$` over as
//! math. hayagriva prints both literally, so they are resolved here, before the
//! entry is converted: formatting commands keep their argument, `\url` its
//! address, and math becomes the Unicode it stands for. Google Scholar's
//! `$\{$TensorFlow$\}$` (braces written in math mode) protects its case like
//! `{TensorFlow}`.

use biblatex::{Chunk, Spanned};

/// Commands whose argument is the text to keep.
const KEEP_ARGUMENT: &[&str] = &[
    "emph",
    "textit",
    "textbf",
    "textsc",
    "texttt",
    "textrm",
    "textsf",
    "textup",
    "textmd",
    "textnormal",
    "textsl",
    "mathrm",
    "mathit",
    "mathbf",
    "mbox",
    "text",
    "url",
    "nolinkurl",
    "path",
    "mkbibemph",
    "mkbibbold",
    "mkbibquote",
    "enquote",
    "ensuremath",
    "NoCaseChange",
    "uppercase",
    "MakeUppercase",
];

/// TeX math and text symbols and their Unicode.
const SYMBOLS: &[(&str, &str)] = &[
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ϵ"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("vartheta", "ϑ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("varpi", "ϖ"),
    ("rho", "ρ"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "ϕ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Sigma", "Σ"),
    ("Upsilon", "Υ"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
    ("times", "×"),
    ("cdot", "·"),
    ("pm", "±"),
    ("mp", "∓"),
    ("leq", "≤"),
    ("le", "≤"),
    ("geq", "≥"),
    ("ge", "≥"),
    ("neq", "≠"),
    ("ne", "≠"),
    ("approx", "≈"),
    ("sim", "∼"),
    ("infty", "∞"),
    ("partial", "∂"),
    ("nabla", "∇"),
    ("sum", "∑"),
    ("prod", "∏"),
    ("int", "∫"),
    ("in", "∈"),
    ("to", "→"),
    ("rightarrow", "→"),
    ("leftarrow", "←"),
    ("ell", "ℓ"),
    ("log", "log"),
    ("exp", "exp"),
    ("{", "{"),
    ("}", "}"),
    ("%", "%"),
    ("&", "&"),
    ("_", "_"),
    ("$", "$"),
    ("#", "#"),
    (",", "\u{2009}"),
    (";", " "),
    (":", " "),
    ("!", ""),
    (" ", " "),
];

/// Accents on the dotless `\i` and `\j` written without braces (`\'\i`): the
/// crate takes the backslash for the accented letter and leaves "\\\u{301}i";
/// the mark goes back on the letter, and the text is composed (NFC) so that
/// "í" is one character, as typed.
fn compose_accents(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // ASCII is composed already: most fields, read on every run for the built-in works.
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&mark) = chars.peek()
            && ('\u{300}'..='\u{36f}').contains(&mark)
        {
            chars.next();
            match chars.next() {
                Some(letter) => {
                    let letter = match letter {
                        'ı' => 'i',
                        'ȷ' => 'j',
                        other => other,
                    };
                    out.push(letter);
                    out.push(mark);
                }
                None => out.push(mark),
            }
            continue;
        }
        out.push(c);
    }
    out.nfc().collect()
}

/// Rewrites a field's chunks so that no LaTeX command or math is left.
pub(super) fn clean_chunks(chunks: &mut Vec<Spanned<Chunk>>) {
    let mut out: Vec<Spanned<Chunk>> = Vec::with_capacity(chunks.len());
    // Inside Scholar's `$\{$ … $\}$`: the text between keeps its case.
    let mut protected = false;
    for chunk in chunks.drain(..) {
        let span = chunk.span.clone();
        match chunk.v {
            Chunk::Math(math) => match math.trim() {
                "\\{" => protected = true,
                "\\}" => protected = false,
                other => out.push(Spanned::new(Chunk::Normal(math_text(other)), span)),
            },
            Chunk::Normal(text) => {
                let text = compose_accents(&text_commands(&text));
                let chunk = if protected {
                    Chunk::Verbatim(text)
                } else {
                    Chunk::Normal(text)
                };
                out.push(Spanned::new(chunk, span));
            }
            Chunk::Verbatim(text) => out.push(Spanned::new(
                Chunk::Verbatim(compose_accents(&text_commands(&text))),
                span,
            )),
        }
    }
    *chunks = out;
}

/// Replaces `\command{argument}` by its argument where the command only formats.
pub(super) fn text_commands(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let tail = &after[name_len..];
        if let Some(inner) = tail.strip_prefix('{')
            && let Some(close) = matching_brace(inner)
        {
            let argument = &inner[..close];
            if KEEP_ARGUMENT.contains(&name) {
                out.push_str(&text_commands(&inline_math(argument)));
                rest = &inner[close + 1..];
                continue;
            }
            if name == "href" {
                // `\href{address}{text}` keeps its text.
                let next = &inner[close + 1..];
                if let Some(label) = next.strip_prefix('{')
                    && let Some(end) = matching_brace(label)
                {
                    out.push_str(&text_commands(&label[..end]));
                    rest = &label[end + 1..];
                    continue;
                }
            }
        }
        if let Some((_, symbol)) = SYMBOLS.iter().find(|(n, _)| !name.is_empty() && *n == name) {
            out.push_str(symbol);
            rest = tail.strip_prefix(' ').unwrap_or(tail);
            continue;
        }
        out.push('\\');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `$…$` inside a command's argument (which the crate hands over as text) as
/// the Unicode it stands for.
fn inline_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut parts = text.split('$');
    out.push_str(parts.next().unwrap_or_default());
    let mut in_math = true;
    for part in parts {
        if in_math {
            out.push_str(&math_text(part));
        } else {
            out.push_str(part);
        }
        in_math = !in_math;
    }
    out
}

/// The address of a `\url{…}` or `\href{…}{…}` in a field, if it has one.
pub(super) fn url_command(text: &str) -> Option<&str> {
    for command in ["\\url{", "\\href{"] {
        if let Some(at) = text.find(command) {
            let inner = &text[at + command.len()..];
            return matching_brace(inner).map(|end| inner[..end].trim());
        }
    }
    None
}

/// Byte index of the `}` that closes a group whose `{` came just before `text`.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Math as text: symbols as Unicode, `^`/`_` groups flattened, braces dropped.
fn math_text(math: &str) -> String {
    let mut out = String::with_capacity(math.len());
    let mut chars = math.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let after = &math[i + 1..];
                let name_len = match after.chars().next() {
                    Some(first) if first.is_ascii_alphabetic() => after
                        .find(|c: char| !c.is_ascii_alphabetic())
                        .unwrap_or(after.len()),
                    Some(first) => first.len_utf8(),
                    None => 0,
                };
                let name = &after[..name_len];
                match SYMBOLS.iter().find(|(n, _)| *n == name) {
                    Some((_, symbol)) => out.push_str(symbol),
                    None if KEEP_ARGUMENT.contains(&name) => {}
                    None => out.push_str(name),
                }
                for _ in 0..name.chars().count() {
                    chars.next();
                }
            }
            '{' | '}' | '^' | '_' => {}
            '~' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Undoes the escapes a `.bib` writer puts into a URL or DOI (`\_`, `\%`, `\&`,
/// `\#`, `\~`, `\$`) and strips a `\url{…}` around it, so that the link and
/// the text agree.
pub(super) fn unescape_address(text: &str) -> String {
    let text = url_command(text).unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && matches!(next, '_' | '%' | '&' | '#' | '~' | '$' | '{' | '}')
        {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(chunks: Vec<Chunk>) -> Vec<Chunk> {
        let mut chunks: Vec<Spanned<Chunk>> =
            chunks.into_iter().map(|c| Spanned::new(c, 0..0)).collect();
        clean_chunks(&mut chunks);
        chunks.into_iter().map(|c| c.v).collect()
    }

    #[test]
    fn formatting_commands_keep_their_argument() {
        assert_eq!(
            text_commands(r"A \emph{deep} and \textbf{\textit{bold}} idea"),
            "A deep and bold idea"
        );
        assert_eq!(
            text_commands(r"\url{https://a.org/x_y}"),
            "https://a.org/x_y"
        );
        assert_eq!(
            text_commands(r"see \href{https://a.org}{the site}"),
            "see the site"
        );
        assert_eq!(text_commands(r"\unknown{x}"), r"\unknown{x}");
        assert_eq!(text_commands(r"The \emph{$\pi$} of"), "The π of");
    }

    #[test]
    fn scholar_braces_in_math_protect_case_and_other_math_becomes_text() {
        let chunks = clean(vec![
            Chunk::Math(r"\{".into()),
            Chunk::Normal("TensorFlow".into()),
            Chunk::Math(r"\}".into()),
            Chunk::Normal(": a system for ".into()),
            Chunk::Math(r"\pi".into()),
        ]);
        assert_eq!(
            chunks,
            [
                Chunk::Verbatim("TensorFlow".into()),
                Chunk::Normal(": a system for ".into()),
                Chunk::Normal("π".into()),
            ]
        );
        assert_eq!(math_text(r"O(n^{2}) \times \alpha_1"), "O(n2) × α1");
    }

    #[test]
    fn accents_on_dotless_letters_compose() {
        assert_eq!(compose_accents("Mart\\\u{301}in"), "Martín");
    }

    #[test]
    fn addresses_lose_their_escapes() {
        assert_eq!(
            unescape_address(r"https://github.com/example/S\_Dbw"),
            "https://github.com/example/S_Dbw"
        );
        assert_eq!(
            unescape_address(r"10.1007/978-3-319-55696-3\_16"),
            "10.1007/978-3-319-55696-3_16"
        );
        assert_eq!(
            unescape_address(r"\url{https://a.org/100\%}"),
            "https://a.org/100%"
        );
    }
}
