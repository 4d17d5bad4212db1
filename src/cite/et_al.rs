//! The mark that stands for BibTeX's `and others` ([`ET_AL_MARK`]) becomes
//! the style's "et al." in citations and references.

use crate::model::works::ET_AL_MARK;

/// Turns the mark that stands for BibTeX's `and others` into the style's
/// "et al.", dropping the "and"/"&" the style put before it as before a last
/// name: "Smith, J., & ⟨mark⟩" becomes "Smith, J., et al.", "Smith & ⟨mark⟩" "Smith et al.".
pub(super) fn resolve_et_al(text: &str, et_al: &str) -> String {
    if !text.contains(ET_AL_MARK) {
        return text.to_owned();
    }
    static BEFORE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let before = BEFORE.get_or_init(|| {
        regex::Regex::new(&format!(
            r"(,?)\s*(?:(?:&amp;|\\&|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*)?{ET_AL_MARK}"
        ))
        .expect("a valid pattern")
    });
    let resolved = before.replace_all(text, |caps: &regex::Captures| {
        if caps[1].is_empty() {
            format!(" {et_al}")
        } else {
            format!(", {et_al}")
        }
    });
    // The style's period after the last name meets the term's own.
    match et_al.strip_suffix('.') {
        Some(_) => resolved.replace(&format!("{et_al}."), et_al),
        None => resolved.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_and_others_mark_becomes_the_styles_et_al() {
        let mark = ET_AL_MARK;
        assert_eq!(
            resolve_et_al(&format!("Smith, J., &amp; {mark}. (2020). T."), "et al."),
            "Smith, J., et al. (2020). T."
        );
        assert_eq!(
            resolve_et_al(&format!("(Smith & {mark}, 2020)"), "et al."),
            "(Smith et al., 2020)"
        );
        assert_eq!(
            resolve_et_al(&format!("J. Smith and {mark}, “T,”"), "et al."),
            "J. Smith et al., “T,”"
        );
        assert_eq!(
            resolve_et_al(&format!("Smith, John, and {mark}. 2020."), "u. a."),
            "Smith, John, u. a. 2020."
        );
    }
}
