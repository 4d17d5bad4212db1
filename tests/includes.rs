//! Directives in files brought in with `{{#include}}`, through the real mdBook:
//! expanded like any others, escapes kept, problems located in the included
//! file, nested includes found where mdBook looks for them, `check` alike.

mod common;

use common::*;

fn book_with(files: &[(&str, &str)], extra: &str) -> tempfile::TempDir {
    let mut all = vec![(
        "SUMMARY.md",
        "- [Chapter](part/ch.md)\n- [References](refs.md)\n",
    )];
    all.extend_from_slice(files);
    all.push(("refs.md", "# References\n\n{{#bibliography}}\n"));
    book_of_files(extra, &all)
}

#[test]
fn included_directives_expand_escapes_stay_and_nested_paths_resolve() {
    let dir = book_with(
        &[
            (
                "part/ch.md",
                "# Chapter\n\nBefore.\n\n{{#include ../shared/snippet.md}}\n\nLines: {{#include ../shared/parts.md:2}}\n\nAnchor:\n\n{{#include ../shared/parts.md:cited}}\n",
            ),
            (
                "shared/snippet.md",
                "Included {{#paper-citation paszke2019pytorch}} and \\{{#paper-citation shown}} literally.\n\n{{#include deeper/plain.md}}\n\n{{#include deeper/ours.md}}\n",
            ),
            (
                "shared/deeper/plain.md",
                "Plain text from two levels down.\n",
            ),
            (
                "shared/deeper/ours.md",
                "Deep {{#paper-citation abadi2016tensorflow form=narrative}}.\n",
            ),
            (
                "shared/parts.md",
                "line one\nline two {{#paper-citation bergstra2010theano}}\n// ANCHOR: cited\nanchored {{#framework-fact keras name}}\n// ANCHOR_END: cited\n",
            ),
        ],
        "",
    );
    build_in_process(dir.path()).unwrap_or_else(|e| panic!("{e:#}"));
    let site = Site::new(dir.path().join("book"));
    let html = site.page("part/ch.html");
    let main = text_of(&select(&html, "main")[0]);
    for wanted in [
        "Included (Paszke et al., 2019) and {{#paper-citation shown}} literally.",
        "Plain text from two levels down.",
        "Deep Abadi et al. (2016).",
        "Lines: line two (Bergstra et al., 2010)",
        "anchored Keras",
    ] {
        assert!(main.contains(wanted), "{wanted} in {main}");
    }
    assert!(!main.contains("{{#include"), "{main}");
    assert!(!main.contains("ANCHOR"), "{main}");
    // The bibliography knows the chapter cites them; the links work.
    let refs = text_of(&select(&site.page("refs.html"), "main")[0]);
    assert!(refs.contains("Paszke, A."), "{refs}");
    assert!(refs.contains("Bergstra, J."), "{refs}");
    assert!(check_links(&site, "main a[href]") > 0);
}

#[test]
fn problems_in_included_files_point_into_them() {
    let dir = book_with(
        &[
            (
                "part/ch.md",
                "# Chapter\n\n{{#include ../shared/bad.md:2:3}}\n",
            ),
            (
                "shared/bad.md",
                "skipped line\nfine {{#paper-citation paszke2019pytorch}}\nbroken {{#paper-citation paszke2019pytorh}}\n",
            ),
        ],
        "",
    );
    let error = build_error(dir.path());
    assert!(
        error.contains("src/shared/bad.md:3:26: error: unknown work `paszke2019pytorh`; did you mean `paszke2019pytorch`?"),
        "{error}"
    );
    let check = check_book(dir.path());
    assert!(!check.status.success());
    assert!(
        stderr_of(&check)
            .contains("src/shared/bad.md:3:26: error: unknown work `paszke2019pytorh`"),
        "{}",
        stderr_of(&check)
    );
}

#[test]
fn the_mdbook_binary_expands_included_directives_too() {
    let dir = book_with(
        &[
            (
                "part/ch.md",
                "# Chapter\n\n{{#include ../shared/snippet.md}}\n",
            ),
            (
                "shared/snippet.md",
                "From the binary {{#paper-citation paszke2019pytorch}}.\n",
            ),
        ],
        "",
    );
    use_built_binary(dir.path());
    let output = mdbook_build(dir.path());
    assert!(output.status.success(), "{}", stderr_of(&output));
    let html = Site::new(dir.path().join("book")).page("part/ch.html");
    let main = text_of(&select(&html, "main")[0]);
    assert!(
        main.contains("From the binary (Paszke et al., 2019)."),
        "{main}"
    );
}
