//! Case protection that hayagriva's title casing needs.
//!
//! hayagriva 0.10.1's title case rewrites every letter of a normal word
//! ("GPUs" becomes "Gpus", "ACM Trans. Graph." loses its capitals), where CSL
//! leaves words with capitals after their first letter as written. Such words
//! (`PyTorch`, `NumPy`, `GPUs`, `USENIX`) and words with digits (`v4`) are
//! therefore marked verbatim, like braced text, before any style sees them.

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
            // Capitals after the first letter ("PyTorch", "GPUs") or a digit
            // ("v4", "x86"): CSL title case leaves such words as written.
            let kind = if word.chars().skip(1).any(char::is_uppercase)
                || (word.chars().any(|c| c.is_ascii_digit())
                    && word.chars().any(char::is_alphabetic))
            {
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
    lead_with_normal(out)
}

/// hayagriva 0.10.1 applies a `text-case` to its case folder only when it
/// pushes normal text (`Context::push_str` reconfigures the folder; a verbatim
/// chunk is pushed without). When a title *starts* with a verbatim chunk, the
/// first normal chunk after it is the one that switches the case on, and the
/// switch marks the folder "pristine", so title and sentence case trim that
/// chunk's leading whitespace: "IEEE Transactions on" became "IEEE
/// Transactionson", "EU agrees Landmark" "EU agreesLandmark". An empty normal
/// chunk first switches the case on before the verbatim text (and pushes
/// nothing), so no whitespace is lost and the words after the verbatim one
/// are cased like any other. No upstream issue found.
fn lead_with_normal(chunks: ChunkedString) -> ChunkedString {
    let mut chunks = chunks.0;
    if chunks
        .first()
        .is_some_and(|c| c.kind == ChunkKind::Verbatim)
    {
        chunks.insert(0, StringChunk::new(String::new(), ChunkKind::Normal));
    }
    ChunkedString(chunks)
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
    fn mixed_case_words_are_verbatim_and_a_leading_one_follows_an_empty_normal_chunk() {
        use ChunkKind::{Normal, Verbatim};
        assert_eq!(
            kinds("Workshop on PyTorch internals"),
            [
                ("Workshop on ".into(), Normal),
                ("PyTorch".into(), Verbatim),
                (" internals".into(), Normal),
            ]
        );
        assert_eq!(
            kinds("IEEE Transactions on TPU v4"),
            [
                ("".into(), Normal),
                ("IEEE".into(), Verbatim),
                (" Transactions on ".into(), Normal),
                ("TPU".into(), Verbatim),
                (" ".into(), Normal),
                ("v4".into(), Verbatim),
            ]
        );
        assert_eq!(kinds("Large-Scale"), [("Large-Scale".into(), Normal)]);
    }
}
