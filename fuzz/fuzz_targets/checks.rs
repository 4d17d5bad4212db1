//! Invariants of the directive scanner and argument parser, shared by the
//! `scan` and `directives` targets.

use mdbook_frameworks::directive::{Found, add_pandoc, parse_args, scan};
use mdbook_frameworks::render::DIRECTIVE_NAMES;

/// Every span the scanner reports (directives, escapes, and Pandoc citations with
/// any key taken for known) is inside the text, on char boundaries, and is what it
/// claims to be; argument offsets stay inside their directive.
pub fn check_scan(text: &str) {
    let mut found = scan(text, |name| DIRECTIVE_NAMES.contains(&name));
    add_pandoc(text, &mut found, |_| true);
    for found in found {
        match found {
            Found::Directive(invocation) => {
                let whole = text
                    .get(invocation.span.clone())
                    .expect("directive span inside the text, on char boundaries");
                assert!(
                    whole.starts_with("{{#") && whole.ends_with("}}"),
                    "{whole:?}"
                );
                let args_end = invocation.args_offset + invocation.args.len();
                assert_eq!(
                    text.get(invocation.args_offset..args_end),
                    Some(invocation.args)
                );
                assert!(invocation.span.start < invocation.args_offset);
                assert!(args_end <= invocation.span.end);
                let inside = |offset: usize| {
                    (invocation.args_offset..=args_end).contains(&offset)
                        && text.is_char_boundary(offset)
                };
                match parse_args(invocation.args, invocation.args_offset) {
                    Ok(args) => {
                        for arg in args {
                            assert!(inside(arg.offset), "{arg:?}");
                            assert!(inside(arg.value_offset), "{arg:?}");
                            assert!(arg.offset <= arg.value_offset, "{arg:?}");
                        }
                    }
                    Err((offset, message)) => {
                        assert!(inside(offset), "{offset} {message}");
                    }
                }
            }
            Found::Escape { backslash } => {
                assert!(text[backslash..].starts_with("\\{{#"));
            }
            Found::Unclosed { offset, name } => {
                assert!(text[offset..].starts_with("{{#"));
                assert!(DIRECTIVE_NAMES.contains(&name));
            }
            Found::Pandoc(citation) => {
                let whole = text
                    .get(citation.span.clone())
                    .expect("citation span inside the text, on char boundaries");
                assert!(
                    whole.starts_with('[') || whole.starts_with('@'),
                    "{whole:?}"
                );
                assert!(!citation.items.is_empty(), "{whole:?}");
                for item in &citation.items {
                    let end = item.key_offset + item.key.len();
                    assert!(citation.span.start <= item.key_offset && end <= citation.span.end);
                    assert_eq!(text.get(item.key_offset..end), Some(item.key));
                }
            }
        }
    }
}
