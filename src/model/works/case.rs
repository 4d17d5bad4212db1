//! Case protection that hayagriva's title casing needs.
//!
//! hayagriva 0.10.1's title case rewrites every letter of a normal word
//! ("GPUs" becomes "Gpus", "ACM Trans. Graph." loses its capitals), where CSL
//! leaves words with capitals after their first letter as written. Such words
//! (`PyTorch`, `NumPy`, `GPUs`, `USENIX`) are therefore marked verbatim, like
//! braced text, before any style sees them.

use hayagriva::Entry;
use hayagriva::types::{ChunkKind, ChunkedString, FormatString, StringChunk};

/// Marks mixed-case words verbatim in the titles of `entry` and its parents.
pub(super) fn protect_titles(entry: &mut Entry) {
    if let Some(title) = entry.title() {
        let protected = FormatString {
            value: protect(&title.value),
            short: title.short.as_ref().map(|s| Box::new(protect(s))),
        };
        entry.set_title(protected);
    }
    if !entry.parents().is_empty() {
        let mut parents = entry.parents().to_vec();
        parents.iter_mut().for_each(protect_titles);
        entry.set_parents(parents);
    }
}

/// The chunks, with mixed-case words of normal chunks made verbatim.
pub(crate) fn protect(text: &ChunkedString) -> ChunkedString {
    let mut out = ChunkedString::new();
    for chunk in &text.0 {
        if chunk.kind != ChunkKind::Normal {
            out.push_str(&chunk.value, chunk.kind);
            continue;
        }
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut ChunkedString| {
            if word.is_empty() {
                return;
            }
            let kind = if word.chars().skip(1).any(char::is_uppercase) {
                ChunkKind::Verbatim
            } else {
                ChunkKind::Normal
            };
            out.push_str(word, kind);
            word.clear();
        };
        for c in chunk.value.chars() {
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push_str(&c.to_string(), ChunkKind::Normal);
            }
        }
        flush(&mut word, &mut out);
    }
    hug_verbatim(out)
}

/// Title casing in hayagriva 0.10.1 decides a word's case as it is pushed, but
/// the exception list ("on", "of") only while the text case is in force; the
/// small word before a verbatim chunk is judged inside the verbatim push and
/// stays capitalised ("Workshop On PyTorch"). So a small word before a verbatim
/// chunk moves into it, as written.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "via", "vs", "with",
];

/// Whitespace after a verbatim chunk stays in the normal chunk: hayagriva takes
/// the character after verbatim text as inside a word ("USENIX Symposium" would
/// become "USENIX symposium" if the space were verbatim). A string that starts
/// with a verbatim chunk gets an empty normal chunk first: hayagriva sets up the
/// text case at the first normal chunk and then trims its leading whitespace
/// ("{ACM} Computing Surveys" became "ACMComputing Surveys"); set up at the
/// start, nothing is trimmed.
fn hug_verbatim(chunks: ChunkedString) -> ChunkedString {
    let mut chunks = chunks.0;
    for i in 0..chunks.len() {
        if chunks[i].kind != ChunkKind::Normal {
            continue;
        }
        if i + 1 < chunks.len() && chunks[i + 1].kind == ChunkKind::Verbatim {
            let mut keep = chunks[i].value.trim_end().len();
            // Title casing capitalises the last word before a verbatim chunk as
            // if it ended the title ("Workshop On PyTorch"); keep small words as written.
            let head = &chunks[i].value[..keep];
            let last_word = head.rsplit(' ').next().unwrap_or_default();
            if (i > 0 || last_word.len() < head.len()) && SMALL_WORDS.contains(&last_word) {
                keep = head[..keep - last_word.len()].trim_end().len();
            }
            let moved: String = chunks[i].value.drain(keep..).collect();
            chunks[i + 1].value.insert_str(0, &moved);
        }
    }
    let mut out = ChunkedString::new();
    for chunk in chunks {
        if !chunk.value.is_empty() {
            out.push_str(&chunk.value, chunk.kind);
        }
    }
    if out.0.first().is_some_and(|c| c.kind == ChunkKind::Verbatim) {
        out.0.insert(0, StringChunk::new("", ChunkKind::Normal));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> ChunkedString {
        let mut s = ChunkedString::new();
        s.push_str(text, ChunkKind::Normal);
        s
    }

    fn kinds(text: &str) -> Vec<(String, ChunkKind)> {
        protect(&normal(text))
            .0
            .into_iter()
            .map(|c| (c.value, c.kind))
            .collect()
    }

    #[test]
    fn mixed_case_words_are_verbatim_with_the_small_word_before_them() {
        use ChunkKind::{Normal, Verbatim};
        assert_eq!(
            kinds("Workshop on PyTorch internals"),
            [
                ("Workshop".into(), Normal),
                (" on PyTorch".into(), Verbatim),
                (" internals".into(), Normal),
            ]
        );
        assert_eq!(
            kinds("GPUs for all"),
            [
                ("".into(), Normal),
                ("GPUs".into(), Verbatim),
                (" for all".into(), Normal)
            ]
        );
        assert_eq!(kinds("Large-Scale"), [("Large-Scale".into(), Normal)]);
    }
}
