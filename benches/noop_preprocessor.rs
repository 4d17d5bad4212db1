//! The floor any mdBook preprocessor pays: read the `[context, book]` JSON from
//! stdin, parse the book into mdBook's own types, and write it back unchanged.
//!
//! `benches/preprocessor.rs` times `mdbook-frameworks` against this program on the
//! same input. Build it with `cargo build --release --example noop-preprocessor`.

use std::io::{Read, Write};
use std::process::ExitCode;

use mdbook_preprocessor::book::Book;
use serde::de::IgnoredAny;

fn main() -> ExitCode {
    // mdBook asks `supports <renderer>` first; every renderer is fine.
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return ExitCode::SUCCESS;
    }
    let mut input = String::new();
    if let Err(error) = std::io::stdin().lock().read_to_string(&mut input) {
        eprintln!("noop-preprocessor: cannot read stdin: {error}");
        return ExitCode::FAILURE;
    }
    // The context is only skipped: it is small, and reading it is not the floor.
    let (_context, book): (IgnoredAny, Book) = match serde_json::from_str(&input) {
        Ok(pair) => pair,
        Err(error) => {
            eprintln!("noop-preprocessor: cannot parse the input: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut output = std::io::BufWriter::new(std::io::stdout().lock());
    match serde_json::to_writer(&mut output, &book).map(|()| output.flush()) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(error)) => {
            eprintln!("noop-preprocessor: cannot write the book: {error}");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("noop-preprocessor: cannot write the book: {error}");
            ExitCode::FAILURE
        }
    }
}
