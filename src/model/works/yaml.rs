//! hayagriva's own YAML format, read by hayagriva.
//!
//! hayagriva reads a file whole and stops at its first problem; when it does,
//! each top-level entry is read again on its own so that every broken entry is
//! reported, located at its key.

use std::path::Path;

use super::{Origin, Work};
use crate::diagnostics::{Diagnostic, LineIndex};

pub(super) fn read(path: &Path, text: &str) -> (Vec<Work>, Vec<Diagnostic>) {
    let lines = LineIndex::new(text);
    let error = match hayagriva::io::from_yaml_str(text) {
        Ok(library) => {
            let works = library
                .iter()
                .map(|entry| {
                    let mut work = Work::new(entry.clone());
                    work.origin = Some(Origin::at(path, &lines, key_offset(text, entry.key())));
                    work
                })
                .collect();
            return (works, Vec::new());
        }
        Err(error) => error,
    };
    let mut problems = Vec::new();
    let mapping: serde_yaml::Mapping = match serde_yaml::from_str(text) {
        Ok(mapping) => mapping,
        Err(_) => {
            // Not even a mapping of keys to entries: hayagriva's message says where.
            problems.push(located(path, text, &error, "invalid hayagriva YAML"));
            return (Vec::new(), problems);
        }
    };
    let mut works = Vec::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str().map(str::to_owned) else {
            let message = format!("an entry key must be a string, not `{key:?}`");
            problems.push(Diagnostic::error_in_file(path, message));
            continue;
        };
        let offset = key_offset(text, &key);
        let mut single = serde_yaml::Mapping::new();
        single.insert(serde_yaml::Value::String(key.clone()), value);
        let parsed = serde_yaml::to_string(&single)
            .map_err(|e| e.to_string())
            .and_then(|one| hayagriva::io::from_yaml_str(&one).map_err(|e| e.to_string()));
        match parsed {
            Ok(library) => works.extend(library.iter().map(|entry| {
                let mut work = Work::new(entry.clone());
                work.origin = Some(Origin::at(path, &lines, offset));
                work
            })),
            Err(message) => problems.push(
                Diagnostic::error_at(
                    path,
                    text,
                    offset,
                    format!("entry `{key}`: {}; the entry is skipped", without_position(&message)),
                )
                .with_hint("the fields are those of hayagriva's YAML format (`type`, `title`, `author`, `date`, `parent`, …)")
                .with_skipped_work(key.clone()),
            ),
        }
    }
    if problems.is_empty() {
        // Every entry reads alone, so the file's problem is between them.
        problems.push(located(path, text, &error, "invalid hayagriva YAML"));
    }
    (works, problems)
}

fn located(path: &Path, text: &str, error: &serde_yaml::Error, what: &str) -> Diagnostic {
    let message = format!("{what}: {}", first_line(&error.to_string()));
    match error.location() {
        Some(location) => Diagnostic::error_at(path, text, location.index(), message),
        None => Diagnostic::error_in_file(path, message),
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

/// serde_yaml's message without its position, which is one in a copy of the entry.
fn without_position(message: &str) -> &str {
    let message = first_line(message);
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

/// Byte offset of `key:` at the start of a line, or 0.
fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.strip_prefix(key);
        let quoted = line
            .strip_prefix('"')
            .and_then(|l| l.strip_prefix(key))
            .and_then(|l| l.strip_prefix('"'))
            .or_else(|| {
                line.strip_prefix('\'')
                    .and_then(|l| l.strip_prefix(key))
                    .and_then(|l| l.strip_prefix('\''))
            });
        if bare
            .or(quoted)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return offset;
        }
        offset += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_locates_each_broken_one() {
        let text = "good:\n  type: article\n  title: Fine\n  date: 2020\n\
                    bad:\n  type: not-a-type\n  title: X\n\
                    worse:\n  type: book\n  date: [1, 2]\n";
        let (works, problems) = read(Path::new("r.yaml"), text);
        assert_eq!(works.len(), 1);
        assert_eq!(works[0].key(), "good");
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(
            messages[0].starts_with("r.yaml:5:1: error: entry `bad`"),
            "{messages:#?}"
        );
        assert!(
            messages[1].starts_with("r.yaml:8:1: error: entry `worse`"),
            "{messages:#?}"
        );
    }

    #[test]
    fn a_file_that_is_no_mapping_is_located() {
        let (works, problems) = read(Path::new("r.yaml"), "- a\n- b\n");
        assert!(works.is_empty());
        assert!(
            problems[0].to_string().starts_with("r.yaml:"),
            "{problems:?}"
        );
    }
}
