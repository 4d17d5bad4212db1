//! The author-facing commands, run as a user runs them: the built binary on books
//! in temporary directories, checking stdout, stderr, exit codes and files.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{
    BIN, book_of_files, check_book, mdbook_build, stderr_of, use_built_binary, write_file,
};

/// A `book.toml` as an author might have it after `mdbook init`, with comments.
const FRESH_BOOK_TOML: &str = "\
[book]
authors = [\"A. Author\"]
language = \"en\"
src = \"src\"
title = \"My Course\"  # working title

# Output settings: keep the defaults for now.
[output.html]
";

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A fresh book with one chapter holding `chapter`.
fn fresh_book(chapter: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "book.toml", FRESH_BOOK_TOML);
    write_file(
        dir.path(),
        "src/SUMMARY.md",
        "# Summary\n\n- [Chapter 1](chapter_1.md)\n",
    );
    write_file(dir.path(), "src/chapter_1.md", chapter);
    dir
}

/// A book whose `[preprocessor.frameworks]` table is `table`, with one chapter.
fn configured_book(table: &str, chapter: &str) -> tempfile::TempDir {
    let dir = fresh_book(chapter);
    let toml = format!("{FRESH_BOOK_TOML}\n[preprocessor.frameworks]\n{table}");
    write_file(dir.path(), "book.toml", &toml);
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn install_adds_the_table_keeping_comments_and_a_second_run_changes_nothing() {
    let book = fresh_book("# Chapter 1\n");
    let toml = book.path().join("book.toml");

    let first = run(&["install", path_str(book.path())]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("added [preprocessor.frameworks] to"),
        "{}",
        stdout(&first)
    );
    let installed = std::fs::read_to_string(&toml).unwrap();
    assert!(
        installed.starts_with(FRESH_BOOK_TOML),
        "the author's lines and comments are kept byte for byte:\n{installed}"
    );
    let added: toml::Table = toml::from_str(&installed[FRESH_BOOK_TOML.len()..]).unwrap();
    let ours = &added["preprocessor"]["frameworks"];
    assert_eq!(ours["command"].as_str(), Some("mdbook-frameworks"));
    assert_eq!(
        ours["before"].as_array().unwrap(),
        &vec![toml::Value::from("links")]
    );

    let second = run(&["install", path_str(book.path())]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("already configured"),
        "{}",
        stdout(&second)
    );
    assert_eq!(std::fs::read_to_string(&toml).unwrap(), installed);
}

#[test]
fn install_keeps_author_values_and_watches_data_directories() {
    let book = configured_book(
        "command = \"cargo run --quiet --\"\nbefore = [\"katex\"]\ndata = [\"course-data/extra.toml\"]\n",
        "# Chapter 1\n",
    );
    let output = run(&["install", path_str(book.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("kept command = \"cargo run --quiet --\""),
        "{text}"
    );
    assert!(text.contains("added \"links\" to before"), "{text}");
    assert!(text.contains("build.extra-watch-dirs"), "{text}");
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(book.path().join("book.toml")).unwrap()).unwrap();
    let ours = &config["preprocessor"]["frameworks"];
    assert_eq!(ours["command"].as_str(), Some("cargo run --quiet --"));
    assert_eq!(
        ours["before"].as_array().unwrap(),
        &vec![toml::Value::from("katex"), toml::Value::from("links")]
    );
    assert_eq!(
        config["build"]["extra-watch-dirs"].as_array().unwrap(),
        &vec![toml::Value::from("course-data")]
    );
}

#[test]
fn install_without_a_book_says_to_create_one() {
    let empty = tempfile::tempdir().unwrap();
    let output = run(&["install", path_str(empty.path())]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let expected = format!(
        "{}: error: no book.toml here",
        empty.path().join("book.toml").display()
    );
    assert!(text.starts_with(&expected), "{text}");
    assert!(text.contains("mdbook init"), "{text}");
    assert!(!empty.path().join("book.toml").exists());
}

/// The directory holding `mdbook`, from PATH.
fn mdbook_dir(path: &OsString) -> PathBuf {
    std::env::split_paths(path)
        .find(|dir| dir.join("mdbook").is_file())
        .expect(
            "this test runs the real `mdbook build`, but no `mdbook` is on PATH; \
             install it with `cargo install mdbook --version 0.5.4`",
        )
}

#[test]
fn a_new_user_installs_and_builds_with_the_real_mdbook() {
    let book = fresh_book(
        "# Chapter 1\n\n{{#comparison-table frameworks=pytorch,tensorflow dimensions=execution-model}}\n",
    );
    let installed = run(&["install", path_str(book.path())]);
    assert!(installed.status.success(), "{}", stderr(&installed));

    // Our binary first on PATH, so that `command = "mdbook-frameworks"` finds it.
    let old_path = std::env::var_os("PATH").unwrap_or_default();
    let our_dir = Path::new(BIN).parent().unwrap().to_path_buf();
    let mdbook = mdbook_dir(&old_path).join("mdbook");
    let path =
        std::env::join_paths(std::iter::once(our_dir).chain(std::env::split_paths(&old_path)))
            .unwrap();
    let built = Command::new(mdbook)
        .arg("build")
        .current_dir(book.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "mdbook build failed:\n{}",
        stderr(&built)
    );
    let html = std::fs::read_to_string(book.path().join("book/chapter_1.html")).unwrap();
    let table = &html[html.find("<table>").expect("a table in the page")..];
    let header = &table[..table.find("</tr>").unwrap()];
    let tag = regex::Regex::new(r"<[^>]+>").unwrap();
    let cells: Vec<String> = header
        .split("</th>")
        .map(|cell| tag.replace_all(cell, "").trim().to_owned())
        .filter(|cell| !cell.is_empty())
        .collect();
    assert_eq!(cells, ["Dimension", "PyTorch", "TensorFlow"]);
    assert!(
        table.contains("Execution model"),
        "no row for the dimension"
    );
    assert!(
        !html.contains("{{#comparison-table"),
        "the directive was not expanded"
    );
    // The stylesheet `install` wrote is published with the book and loaded by it.
    let css =
        regex::Regex::new(r#"<link rel="stylesheet" href="(theme/mdbook-frameworks[^"]*\.css)">"#)
            .unwrap();
    let href = &css.captures(&html).expect("the page loads our stylesheet")[1];
    let published = std::fs::read_to_string(book.path().join("book").join(href)).unwrap();
    assert!(published.contains(".table-wrapper"), "{published}");
}

#[test]
fn check_passes_a_good_book_and_writes_nothing() {
    let book = configured_book(
        "command = \"mdbook-frameworks\"\n",
        "# Chapter 1\n\nSee {{#paper-citation paszke2019pytorch}}.\n",
    );
    let before = snapshot(book.path());
    let output = run(&["check", path_str(book.path())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "checked 1 chapter: no problems\n");
    assert_eq!(stderr(&output), "");
    assert_eq!(snapshot(book.path()), before);
}

#[test]
fn check_locates_a_bad_directive_even_with_on_error_warn() {
    let chapter = "# Chapter 1\n\nCompare {{#comparison-table frameworks=pytorch,tensorflw}}.\n";
    let book = configured_book("on-error = \"warn\"\n", chapter);
    let output = run(&["check", path_str(book.path())]);
    assert_eq!(output.status.code(), Some(1));
    let line = chapter.lines().nth(2).unwrap();
    let col = line.find("tensorflw").unwrap() + 1;
    let text = stderr(&output);
    let expected = format!("src/chapter_1.md:3:{col}: error: unknown framework `tensorflw`");
    assert!(text.starts_with(&expected), "{text}");
    assert!(text.contains("did you mean `tensorflow`?"), "{text}");
    assert!(
        text.ends_with("mdbook-frameworks: 1 problem found\n"),
        "{text}"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn check_locates_a_bad_data_file() {
    let book = configured_book("data = [\"data/extra.toml\"]\n", "# Chapter 1\n");
    write_file(
        book.path(),
        "data/extra.toml",
        "[[frameworks]]\nid = \"jax\"\nnmae = \"JAX\"\n",
    );
    let output = run(&["check", path_str(book.path())]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.starts_with("data/extra.toml:3:1: error: unknown field `nmae`"),
        "{text}"
    );
}

#[test]
fn check_reports_a_chapter_missing_from_disk() {
    let book = configured_book("", "# Chapter 1\n");
    write_file(
        book.path(),
        "src/SUMMARY.md",
        "- [Chapter 1](chapter_1.md)\n- [Gone](gone.md)\n",
    );
    let output = run(&["check", path_str(book.path())]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("src/gone.md: error: cannot read this chapter"),
        "{}",
        stderr(&output)
    );
}

/// Every file under `root` with its content.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(path).unwrap());
            }
        }
    }
    files
}

/// Splits aligned output into its columns: the cells of each line, and the
/// character column where each cell starts.
fn columns(text: &str) -> Vec<Vec<(usize, String)>> {
    text.lines()
        .map(|line| {
            let mut cells = Vec::new();
            let chars: Vec<char> = line.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let start = i;
                while i < chars.len() && !(chars[i] == ' ' && chars.get(i + 1) == Some(&' ')) {
                    i += 1;
                }
                cells.push((start, chars[start..i].iter().collect::<String>()));
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
            }
            cells
        })
        .collect()
}

#[test]
fn list_shows_builtin_ids_aligned() {
    let output = run(&["list", "frameworks"]);
    assert!(output.status.success());
    let rows = columns(&stdout(&output));
    let named: BTreeMap<String, String> = rows
        .iter()
        .map(|cells| (cells[0].1.clone(), cells[1].1.clone()))
        .collect();
    for (id, name) in [
        ("pytorch", "PyTorch"),
        ("tensorflow", "TensorFlow"),
        ("keras", "Keras"),
        ("theano", "Theano"),
    ] {
        assert_eq!(named.get(id).map(String::as_str), Some(name), "{rows:?}");
    }
    let name_column: Vec<usize> = rows.iter().map(|cells| cells[1].0).collect();
    assert!(name_column.windows(2).all(|w| w[0] == w[1]), "{rows:?}");

    let dimensions = stdout(&run(&["list", "dimensions"]));
    assert!(
        dimensions
            .lines()
            .any(|l| l.starts_with("execution-model ") && l.contains("Execution model")),
        "{dimensions}"
    );
    let works = stdout(&run(&["list", "works"]));
    assert_eq!(
        works,
        stdout(&run(&["list", "papers"])),
        "the old name still lists works"
    );
    let pytorch = columns(&works)
        .into_iter()
        .find(|cells| cells[0].1 == "paszke2019pytorch")
        .expect("the PyTorch paper");
    assert_eq!(pytorch[1].1, "2019");
    assert!(
        pytorch[2].1.starts_with("PyTorch: An Imperative Style"),
        "{pytorch:?}"
    );

    // Every archived style, one per line: name, title, and how it cites or why
    // it is refused, which `citation-style` then says at its key.
    let styles = stdout(&run(&["list", "styles"]));
    let rows = columns(&styles);
    assert!(rows.len() >= 70, "{styles}");
    let row = |name: &str| {
        rows.iter()
            .find(|cells| cells[0].1 == name)
            .unwrap_or_else(|| panic!("{name} missing:\n{styles}"))
            .iter()
            .map(|cell| cell.1.clone())
            .collect::<Vec<String>>()
    };
    assert_eq!(
        row("american-psychological-association")[1..],
        ["APA Style 7th edition (also: apa)", "author-date"]
    );
    assert_eq!(row("nature")[2], "numeric");
    let notes = row("chicago-notes");
    assert!(notes[2].starts_with("refused: a note style"), "{notes:?}");
    let mla = row("modern-language-association");
    assert!(
        mla[2].starts_with("refused: its citations carry no year"),
        "{mla:?}"
    );
    for name in ["springer-vancouver", "the-lancet", "elsevier-harvard"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            format!("[book]\ntitle = \"t\"\n\n[preprocessor.frameworks]\ncitation-style = \"{name}\"\ncache = false\n"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/SUMMARY.md"), "- [A](a.md)\n").unwrap();
        std::fs::write(
            dir.path().join("src/a.md"),
            "{{#paper-citation paszke2019pytorch}}\n",
        )
        .unwrap();
        let checked = run(&["check", path_str(dir.path())]);
        assert!(checked.status.success(), "{name}: {}", stderr(&checked));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"t\"\n\n[preprocessor.frameworks]\ncitation-style = \"modern-language-association\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/SUMMARY.md"), "").unwrap();
    let refused = run(&["check", path_str(dir.path())]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("book.toml:5:1: error: citation style `modern-language-association` is not supported: its citations carry no year"),
        "{}",
        stderr(&refused)
    );

    let unknown = run(&["list", "widgets"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("frameworks"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn list_with_a_book_includes_its_data_and_respects_builtin_false() {
    let extra = "[[frameworks]]\nid = \"jax\"\nname = \"JAX\"\norganisation = \"Google\"\nfirst-release = \"2018\"\nlanguages = [\"Python\"]\nlicense = \"Apache-2.0\"\nstatus = \"active\"\nsources = [{ work = \"frostig2018compiling\" }]\n\n[[claims]]\nframework = \"pytorch\"\ndimension = \"status\"\nvalue = \"Active.\"\nsources = [{ work = \"frostig2018compiling\" }]\n";
    let book = configured_book("data = [\"data/extra.toml\"]\n", "# Chapter 1\n");
    write_file(book.path(), "data/extra.toml", extra);
    let output = run(&[
        "list",
        "frameworks",
        "--book",
        path_str(book.path()),
        "--verbose",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let ids: Vec<String> = columns(&stdout(&output))
        .into_iter()
        .map(|cells| cells[0].1.clone())
        .collect();
    assert_eq!(ids, ["pytorch", "tensorflow", "keras", "theano", "jax"]);
    assert!(
        stderr(&output).contains("note: overrides the built-in claim for `pytorch` × `status`"),
        "{}",
        stderr(&output)
    );

    let alone = configured_book(
        "builtin = false\ndata = [\"data/extra.toml\", \"data/mine.bib\"]\n",
        "# Chapter 1\n",
    );
    write_file(
        alone.path(),
        "data/mine.bib",
        "@misc{mine, title = {Mine}, author = {Doe, J.}, year = 2020}\n",
    );
    let own = "[[frameworks]]\nid = \"solo\"\nname = \"Solo\"\norganisation = \"Me\"\nfirst-release = \"2020\"\nlanguages = [\"C\"]\nlicense = \"MIT\"\nstatus = \"active\"\nsources = [{ work = \"mine\" }]\n";
    write_file(alone.path(), "data/extra.toml", own);
    let output = run(&["list", "frameworks", "--book", path_str(alone.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "solo  Solo\n");
}

fn parse_bibtex(text: &str) -> BTreeMap<String, String> {
    let bibliography = biblatex::Bibliography::parse(text)
        .unwrap_or_else(|e| panic!("invalid BibTeX ({e}):\n{text}"));
    bibliography
        .iter()
        .map(|entry| {
            let title = entry
                .title()
                .map(|chunks| {
                    chunks
                        .iter()
                        .map(|c| match &c.v {
                            biblatex::Chunk::Normal(s) | biblatex::Chunk::Verbatim(s) => s.clone(),
                            biblatex::Chunk::Math(s) => s.clone(),
                        })
                        .collect::<String>()
                })
                .unwrap_or_default();
            (entry.key.clone(), title)
        })
        .collect()
}

#[test]
fn bibtex_exports_every_builtin_work() {
    let output = run(&["bibtex"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let works = parse_bibtex(&stdout(&output));
    let listed = stdout(&run(&["list", "works"]));
    assert_eq!(works.len(), listed.lines().count());
    assert_eq!(
        works["paszke2019pytorch"],
        "PyTorch: An Imperative Style, High-Performance Deep Learning Library"
    );
    assert_eq!(
        works["abadi2016tensorflow"],
        "TensorFlow: A System for Large-Scale Machine Learning"
    );
}

#[test]
fn bibtex_for_a_book_exports_exactly_the_works_it_cites() {
    let chapter = "# Chapter 1\n\nTheano {{#paper-citation bergstra2010theano}} and ours \
                   {{#paper-citation knuth1984literate}}; not `{{#paper-citation dean2012large}}`.\n";
    let book = configured_book("data = [\"refs.bib\"]\n", chapter);
    write_file(
        book.path(),
        "refs.bib",
        "@article{knuth1984literate,\n  author = {Knuth, Donald E.},\n  title = {Literate Programming},\n  journal = {The Computer Journal},\n  volume = {27},\n  number = {2},\n  pages = {97--111},\n  year = {1984},\n}\n",
    );
    let output = run(&["bibtex", "--book", path_str(book.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    let works = parse_bibtex(&stdout(&output));
    let keys: Vec<&str> = works.keys().map(String::as_str).collect();
    assert_eq!(keys, ["bergstra2010theano", "knuth1984literate"]);
    assert_eq!(works["knuth1984literate"], "Literate Programming");
    assert!(
        works["bergstra2010theano"].starts_with("Theano"),
        "{}",
        works["bergstra2010theano"]
    );

    write_file(
        book.path(),
        "src/chapter_1.md",
        "{{#paper-citation no-such-key}}\n",
    );
    let broken = run(&["bibtex", "--book", path_str(book.path())]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).starts_with("src/chapter_1.md:1:"),
        "{}",
        stderr(&broken)
    );
    assert_eq!(stdout(&broken), "");
}

#[test]
fn help_explains_every_subcommand_and_supports_accepts_any_renderer() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for command in ["supports", "install", "list", "check", "bibtex"] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "--help does not list `{command}`:\n{help}"
        );
    }
    for command in ["install", "list", "check", "bibtex"] {
        let output = run(&[command, "--help"]);
        assert!(output.status.success(), "{command} --help");
        assert!(
            stdout(&output).contains("Usage: mdbook-frameworks"),
            "{command}"
        );
    }
    for renderer in ["html", "markdown", "test", "epub-of-the-future"] {
        let output = run(&["supports", renderer]);
        assert_eq!(output.status.code(), Some(0), "supports {renderer}");
    }
}

/// `check` reads chapters as mdBook does: `./one.md` in SUMMARY.md (as
/// `mdbook init` writes it) is `one.md`, and a byte-order mark is dropped, so a
/// problem has the same path and position from `check` as from `mdbook build`.
#[test]
fn check_locates_problems_where_mdbook_build_does() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "# Summary\n\n- [One](./one.md)\n"),
            ("one.md", "\u{feff}See {{#paper-citation nope2019}}.\n"),
        ],
    );
    use_built_binary(dir.path());
    let built = mdbook_build(dir.path());
    assert!(!built.status.success());
    let expected = "src/one.md:1:23: error: unknown work `nope2019`";
    assert!(
        stderr_of(&built).contains(expected),
        "{}",
        stderr_of(&built)
    );
    let checked = check_book(dir.path());
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stderr_of(&checked).contains(expected),
        "{}",
        stderr_of(&checked)
    );
}
