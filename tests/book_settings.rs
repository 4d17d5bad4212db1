//! mdBook's own settings, judged where they are written: a `cache` directory that
//! mdBook publishes, deletes or watches is an error at the key, and under
//! `mdbook serve` problems default to warnings shown in the page.

mod common;

use std::path::Path;

use common::*;

#[test]
fn a_cache_inside_the_book_is_an_error_at_the_cache_key() {
    for (cache, extra, inside) in [
        ("src/.fwcache", "", "`src` (book.src)"),
        ("book/c", "", "`book` (build.build-dir)"),
        (
            "data/c",
            "\n[build]\nextra-watch-dirs = [\"data\"]\n",
            "`data` (build.extra-watch-dirs)",
        ),
        ("theme/c", "", "`theme` (output.html.theme)"),
    ] {
        let dir = book_of_files(
            "",
            &[
                ("SUMMARY.md", "- [One](one.md)\n"),
                ("one.md", "# One\n\n{{#paper-citation paszke2019pytorch}}\n"),
            ],
        );
        let path = dir.path().join("book.toml");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("cache = false\n", &format!("cache = \"{cache}\"\n{extra}"));
        std::fs::write(&path, text).unwrap();
        use_built_binary(dir.path());
        let output = mdbook_build(dir.path());
        assert!(!output.status.success());
        let stderr = stderr_of(&output);
        let expected =
            format!("book.toml:8:1: error: `cache` directory `{cache}` is inside {inside}");
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
        let checked = check_book(dir.path());
        assert_eq!(checked.status.code(), Some(1));
        assert!(
            stderr_of(&checked).contains(&expected),
            "{}",
            stderr_of(&checked)
        );
        assert!(!dir.path().join(cache).exists(), "nothing was cached there");
    }
}

/// Builds in-process as `mdbook serve` does: it sets
/// `output.html.live-reload-endpoint` before building.
fn serve_build(dir: &Path) -> mdbook_driver::errors::Result<()> {
    let mut book = mdbook_driver::MDBook::load(dir)?;
    book.config
        .set("output.html.live-reload-endpoint", "__livereload")
        .unwrap();
    book.with_preprocessor(mdbook_frameworks::FrameworksPreprocessor::new());
    book.build()
}

#[test]
fn under_serve_problems_default_to_warnings_in_the_page_and_build_still_fails() {
    let files = [
        ("SUMMARY.md", "- [One](one.md)\n"),
        (
            "one.md",
            "# One\n\nSee {{#paper-citation paszke2019pytorh}}.\n",
        ),
    ];
    let dir = book_of_files("", &files);
    let error = build_error(dir.path());
    assert!(
        error.contains("src/one.md:3:23: error: unknown work"),
        "{error}"
    );

    serve_build(dir.path()).expect("under serve the problem is a warning");
    let html = Site::new(dir.path().join("book")).page("one.html");
    let text = text_of(&select(&html, "main")[0]);
    assert!(
        text.contains(
            "[mdbook-frameworks: src/one.md:3:23: error: unknown work `paszke2019pytorh`"
        ),
        "{text}"
    );

    let strict = book_of_files("on-error = \"fail\"\n", &files);
    let error = format!("{:#}", serve_build(strict.path()).unwrap_err());
    assert!(
        error.contains("src/one.md:3:23: error: unknown work"),
        "{error}"
    );
}

#[test]
fn mdbook_serve_shows_problems_in_the_page_and_mdbook_build_fails() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\nSee {{#paper-citation paszke2019pytorh}}.\n",
            ),
        ],
    );
    use_built_binary(dir.path());
    let output = mdbook_build(dir.path());
    assert_eq!(output.status.code(), Some(101), "{}", stderr_of(&output));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut serve = std::process::Command::new(mdbook_bin())
        .args(["serve", "-n", "127.0.0.1", "-p", &port.to_string()])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let page = dir.path().join("book/one.html");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !page.is_file()
        && std::time::Instant::now() < deadline
        && serve.try_wait().unwrap().is_none()
    {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // The page is written after our preprocessor ran; give the renderer a moment.
    std::thread::sleep(std::time::Duration::from_millis(500));
    serve.kill().unwrap();
    let output = serve.wait_with_output().unwrap();
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("src/one.md:3:23: warning: unknown work `paszke2019pytorh`"),
        "{stderr}"
    );
    let html = Site::new(dir.path().join("book")).page("one.html");
    let text = text_of(&select(&html, "main")[0]);
    assert!(
        text.contains("[mdbook-frameworks: src/one.md:3:23: error: unknown work"),
        "{text}"
    );
}
