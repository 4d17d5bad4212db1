//! Directive arguments: positional words and `key=value` pairs, as in mdBook's own
//! `{{#include}}`. A value may be double-quoted to hold spaces (`prefix="see also"`),
//! with `\"` for a quote. Each argument keeps its byte offset for diagnostics.

use crate::diagnostics::{did_you_mean, one_of};

/// One argument as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// `Some("page")` for `page=3`; `None` for a positional word.
    pub key: Option<String>,
    /// The value, unquoted.
    pub value: String,
    /// Byte offset of the argument in the chapter.
    pub offset: usize,
    /// Byte offset of the value in the chapter.
    pub value_offset: usize,
}

/// Splits argument text into arguments; `base` is the text's byte offset in the
/// chapter. An unterminated quote is an error at the quote.
pub fn parse_args(text: &str, base: usize) -> Result<Vec<Arg>, (usize, String)> {
    let mut args = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut key = None;
        let mut value_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'"' {
            // Only a plain name makes `name=value`: in `KEY:page=3` the `=`
            // belongs to a positional word's locator.
            if bytes[i] == b'=' && key.is_none() && is_key_name(&text[start..i]) {
                key = Some(text[start..i].to_owned());
                value_start = i + 1;
            }
            i += 1;
        }
        let value = if i < bytes.len() && bytes[i] == b'"' && i == value_start {
            let quote = i;
            let mut value = String::new();
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Err((base + quote, "unterminated quoted value".into())),
                    Some(b'\\') if bytes.get(i + 1) == Some(&b'"') => {
                        value.push('"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => {
                        let c = text[i..].chars().next().expect("in bounds");
                        value.push(c);
                        i += c.len_utf8();
                    }
                }
            }
            if i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                return Err((base + i, "expected a space after the closing quote".into()));
            }
            value
        } else {
            if i < bytes.len() && bytes[i] == b'"' {
                return Err((
                    base + i,
                    "a quote may only start a value, as in key=\"two words\"".into(),
                ));
            }
            text[value_start..i].to_owned()
        };
        args.push(Arg {
            key,
            value,
            offset: base + start,
            value_offset: base + value_start,
        });
    }
    Ok(args)
}

fn is_key_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Takes arguments by name and reports the ones nobody took.
#[derive(Debug)]
pub struct ArgReader {
    args: Vec<Option<Arg>>,
    start: usize,
}

/// An argument problem: byte offset, message, hint.
pub type ArgProblem = (usize, String, Option<String>);

impl ArgReader {
    /// Wraps parsed arguments of the directive that starts at byte offset `start`.
    pub fn new(args: Vec<Arg>, start: usize) -> Self {
        ArgReader {
            args: args.into_iter().map(Some).collect(),
            start,
        }
    }

    /// Byte offset of the directive, for problems with no argument to point at.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Takes the value of `key=value`; a repeated key is an error.
    pub fn key(&mut self, key: &str) -> Result<Option<Arg>, ArgProblem> {
        let mut found: Option<Arg> = None;
        for slot in &mut self.args {
            if slot.as_ref().is_some_and(|a| a.key.as_deref() == Some(key)) {
                let arg = slot.take().expect("checked");
                if found.is_some() {
                    return Err((
                        arg.offset,
                        format!("`{key}` is given twice"),
                        Some("keep one".into()),
                    ));
                }
                found = Some(arg);
            }
        }
        Ok(found)
    }

    /// Takes a positional word equal to `flag`, e.g. `transpose`.
    pub fn flag(&mut self, flag: &str) -> bool {
        self.args
            .iter_mut()
            .find(|slot| {
                slot.as_ref()
                    .is_some_and(|a| a.key.is_none() && a.value == flag)
            })
            .map(Option::take)
            .is_some()
    }

    /// Takes the next positional word.
    pub fn positional(&mut self) -> Option<Arg> {
        self.args
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|a| a.key.is_none()))?
            .take()
    }

    /// Reports the first argument nobody took, with the accepted names as a hint.
    pub fn finish(self, directive: &str, accepted: &[&str]) -> Result<(), ArgProblem> {
        let Some(arg) = self.args.into_iter().flatten().next() else {
            return Ok(());
        };
        let written = arg.key.clone().unwrap_or_else(|| arg.value.clone());
        let hint = match did_you_mean(&written, accepted.iter().copied()) {
            Some(hint) => hint,
            None if accepted.is_empty() => format!("`{directive}` takes no arguments"),
            None => format!("`{directive}` accepts {}", one_of(accepted.iter().copied())),
        };
        Err((
            arg.offset,
            format!("unknown argument `{written}` for `{directive}`"),
            Some(hint),
        ))
    }
}

/// Splits a comma-separated list value, keeping each item's byte offset.
pub fn list_items(arg: &Arg) -> Vec<(usize, &str)> {
    let mut items = Vec::new();
    let mut offset = arg.value_offset;
    for item in arg.value.split(',') {
        let trimmed = item.trim();
        if !trimmed.is_empty() {
            items.push((offset + (item.len() - item.trim_start().len()), trimmed));
        }
        offset += item.len() + 1;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_keyed_and_quoted() {
        let args = parse_args(r#" k1,k2 page=3 prefix="see \"also\"" transpose"#, 10).unwrap();
        let shown: Vec<(Option<&str>, &str, usize)> = args
            .iter()
            .map(|a| (a.key.as_deref(), a.value.as_str(), a.offset))
            .collect();
        assert_eq!(
            shown,
            [
                (None, "k1,k2", 11),
                (Some("page"), "3", 17),
                (Some("prefix"), "see \"also\"", 24),
                (None, "transpose", 46)
            ]
        );
        assert_eq!(list_items(&args[0]), [(11, "k1"), (14, "k2")]);
        let args = parse_args("k1:page=3,k2 form=year", 0).unwrap();
        assert_eq!(
            (args[0].key.as_deref(), args[0].value.as_str()),
            (None, "k1:page=3,k2")
        );
        assert_eq!(args[1].key.as_deref(), Some("form"));
    }

    #[test]
    fn unterminated_quote_is_located() {
        assert_eq!(
            parse_args(r#"a prefix="see"#, 0),
            Err((9, "unterminated quoted value".into()))
        );
    }

    #[test]
    fn leftover_arguments_are_reported_with_a_suggestion() {
        let mut reader = ArgReader::new(parse_args("transpos", 0).unwrap(), 0);
        assert!(!reader.flag("transpose"));
        let (offset, message, hint) = reader
            .finish("comparison-table", &["frameworks", "transpose"])
            .unwrap_err();
        assert_eq!(
            (offset, message.as_str()),
            (0, "unknown argument `transpos` for `comparison-table`")
        );
        assert_eq!(hint.as_deref(), Some("did you mean `transpose`?"));
    }
}
