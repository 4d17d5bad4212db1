//! Invariants of the directive scanner and argument parser, shared by the
//! `scan` and `directives` targets.

use mdbook_frameworks::directive::{Found, parse_args, scan};
use mdbook_frameworks::render::DIRECTIVE_NAMES;

/// Every span the scanner reports is inside the text, on char boundaries, and is
/// what it claims to be; argument offsets stay inside their directive.
pub fn check_scan(text: &str) {
    for found in scan(text, |name| DIRECTIVE_NAMES.contains(&name)) {
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
        }
    }
}
