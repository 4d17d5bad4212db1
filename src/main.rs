//! The `mdbook-frameworks` command: an mdBook preprocessor, plus tools for authors.

mod cli;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mdbook_frameworks::mdbook::protocol;

use cli::list::Listing;

/// mdBook preprocessor: sourced comparison tables, citations and bibliographies
/// of deep-learning frameworks (or any systems your book brings data for).
///
/// With no subcommand, reads mdBook's [context, book] JSON on standard input and
/// writes the expanded book JSON to standard output; mdBook runs it this way.
///
/// Getting started: `mdbook-frameworks install` in a book's directory adds the
/// preprocessor to its book.toml; `mdbook-frameworks list frameworks` shows the ids
/// to use in directives; `mdbook-frameworks check` validates a book (for CI).
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
    /// Add [preprocessor.frameworks] to a book's book.toml, keeping everything else
    /// in the file as it is.
    ///
    /// Sets `command = "mdbook-frameworks"` and `before = ["links"]` (our escapes need
    /// to run before mdBook's `links` preprocessor), and adds the directories of the
    /// table's `data` files to `build.extra-watch-dirs` so that `mdbook serve`
    /// rebuilds when they change. Values you set are kept; running it again changes
    /// nothing.
    Install {
        /// The book's directory (where book.toml is).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// List the ids to use in directives: frameworks, dimensions or works (citation
    /// keys), or the built-in citation styles.
    ///
    /// Without --book, lists the built-in data; with --book, what that book's
    /// directives can name (built-in data unless `builtin = false`, plus its `data`
    /// files).
    List {
        /// What to list.
        #[arg(value_enum)]
        what: Listing,
        /// A book directory whose data to include.
        #[arg(long, value_name = "DIR")]
        book: Option<PathBuf>,
    },
    /// Validate a book's directives and data without building it.
    ///
    /// Reports the same `file:line:col: error: ...` lines as a build and exits with
    /// status 1 if there is any error (even with `on-error = "warn"`), 0 otherwise.
    /// Nothing is written; suited to CI.
    ///
    /// With --stale DAYS, also lists as warnings the facts (claims and framework
    /// fields, built-in ones included) not checked against their sources within
    /// DAYS days of today, each at its `checked` date in its data file; a fact
    /// with no `checked` date counts as stale. The environment variable
    /// MDBOOK_FRAMEWORKS_TODAY=YYYY-MM-DD replaces today's date.
    Check {
        /// The book's directory (where book.toml is).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// List the facts not checked within this many days.
        #[arg(long, value_name = "DAYS")]
        stale: Option<u32>,
    },
    /// Print works as BibTeX: every built-in work, or those a book cites.
    ///
    /// With --book, prints the works that book's chapters cite (all of its works if
    /// a chapter has `{{#bibliography all}}`), after checking the book.
    Bibtex {
        /// A book directory whose cited works to print.
        #[arg(long, value_name = "DIR")]
        book: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (out, err) = (&mut std::io::stdout(), &mut std::io::stderr());
    match cli.command {
        Some(Command::Supports { .. }) => ExitCode::SUCCESS,
        Some(Command::Install { book_dir }) => cli::install::run(&book_dir, out, err),
        Some(Command::List { what, book }) => {
            cli::list::run(what, book.as_deref(), cli.verbose, out, err)
        }
        Some(Command::Check { book_dir, stale }) => {
            cli::check::run(&book_dir, cli.verbose, stale, out, err)
        }
        Some(Command::Bibtex { book }) => cli::bibtex::run(book.as_deref(), out, err),
        None => with_deep_stack(move || preprocess_stdin(cli.verbose)),
    }
}

/// Books may nest chapters thousands of levels deep; reading, writing and freeing
/// that JSON recurses once per level, so the run gets a stack sized for it. Only the
/// part actually used is ever committed to memory.
fn with_deep_stack(run: impl FnOnce() -> ExitCode + Send + 'static) -> ExitCode {
    const STACK_BYTES: usize = 1 << 30;
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(run);
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::FAILURE,
        Err(error) => fail(&mut std::io::stderr(), &format!("cannot start: {error}")),
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
    if let Err(failure) = mdbook_frameworks::preprocess_json(&context, &mut book, verbose, stderr) {
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
