//! The `mdbook-frameworks` command: an mdBook preprocessor, plus tools for authors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mdbook_frameworks::protocol;

/// mdBook preprocessor: sourced comparison tables, citations and bibliographies
/// of deep-learning frameworks (or any systems your book brings data for).
///
/// With no subcommand, reads mdBook's [context, book] JSON on standard input and
/// writes the expanded book JSON to standard output; mdBook runs it this way.
#[derive(Parser)]
#[command(name = "mdbook-frameworks", version, about, long_about)]
struct Cli {
    /// Also report notes, such as book data overriding a built-in claim.
    #[arg(long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Tell mdBook whether a renderer is supported (exit 0: yes). Every renderer is:
    /// the directives emit plain CommonMark (tables, links, lists).
    Supports {
        /// The renderer's name, e.g. `html` or `markdown`.
        renderer: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Supports { .. }) => ExitCode::SUCCESS,
        None => preprocess_stdin(cli.verbose),
    }
}

/// The protocol run: all of stdin, then only the book JSON on stdout, or nothing on
/// stdout and the diagnostics on stderr.
fn preprocess_stdin(verbose: bool) -> ExitCode {
    let stderr = &mut std::io::stderr();
    let (context, mut book) = match protocol::read_input(std::io::stdin().lock()) {
        Ok(input) => input,
        Err(message) => return fail(stderr, &message),
    };
    let root: PathBuf = context.root.clone();
    if let Err(failure) = mdbook_frameworks::preprocess(
        &root,
        &context.src_dir(),
        context.our_table(),
        &mut book,
        verbose,
        stderr,
    ) {
        let _ = writeln!(stderr, "{failure}");
        return ExitCode::FAILURE;
    }
    match protocol::write_book(&book, std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(stderr, &message),
    }
}

fn fail(stderr: &mut dyn Write, message: &str) -> ExitCode {
    let _ = writeln!(stderr, "mdbook-frameworks: error: {message}");
    ExitCode::FAILURE
}
