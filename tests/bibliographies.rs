//! Bibliographies as scholars export them, through the real mdBook (in-process)
//! and the binary: one test per kind of fault in `../shared/cases/bib-*`, each
//! asserting the reference or citation a reader sees, and the located
//! diagnostics of broken files.
//!
//! Expected renderings are those of citeproc-js with the same CSL styles where
//! the two engines agree (see `tests/conformance.rs` and `docs/conformance.md`).

mod common;

use common::*;

/// A one-chapter book citing from `data/refs.*`: builds it in-process and
/// returns the chapter's main text (citations, then the reference list).
fn render(style: &str, file: &str, data: &str, chapter: &str) -> String {
    let dir = book_of_files(
        &format!("builtin = false\ncitation-style = \"{style}\"\ndata = [\"data/{file}\"]\n"),
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                &format!("# One\n\n{chapter}\n\n{{{{#bibliography}}}}\n"),
            ),
        ],
    );
    write_file(dir.path(), &format!("data/{file}"), data);
    build_in_process(dir.path()).unwrap_or_else(|e| panic!("{e:#}"));
    let html = Site::new(dir.path().join("book")).page("one.html");
    text_of(&select(&html, "main")[0])
}

#[test]
fn a_scholar_journal_article_is_an_article_with_its_issue_in_every_style() {
    let bib = "@article{lecun2015deep,\n  title={Deep learning},\n  author={LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},\n  journal={Nature},\n  volume={521},\n  number={7553},\n  pages={436--444},\n  year={2015},\n  publisher={Nature Publishing Group UK London}\n}\n@article{roe2020online, title={Online First Article}, author={Roe, Rita}, journal={Journal of Tests}, year={2020}}\n";
    let cite = "{{#paper-citation lecun2015deep}} {{#paper-citation roe2020online}}";
    let apa = render("apa", "refs.bib", bib, cite);
    assert!(
        apa.contains(
            "LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), 436–444."
        ),
        "{apa}"
    );
    assert!(!apa.contains("Nature Publishing Group"), "{apa}");
    assert!(
        apa.contains("Roe, R. (2020). Online First Article. Journal of Tests."),
        "an article without a volume is still an article: {apa}"
    );
    let ieee = render("ieee", "refs.bib", bib, cite);
    assert!(
        ieee.contains("Y. LeCun, Y. Bengio, and G. Hinton, “Deep learning,” Nature, vol. 521, no. 7553, pp. 436–444, 2015."),
        "{ieee}"
    );
}

#[test]
fn a_thesis_keeps_its_type_and_school_and_a_url_in_howpublished_is_a_link() {
    let bib = "@phdthesis{doe2018thesis, title = {Learning Things}, author = {Doe, Jane}, year = {2018}, school = {Example University}}\n\
               @misc{team2021web, author = {{Example Team}}, title = {Example Website}, howpublished = {\\url{https://example.org/page}}, year = {2021}}\n\
               @mastersthesis{m, title = {Small Things}, author = {Roe, Rita}, year = {2019}, school = {Other University}}\n";
    let main = render(
        "apa",
        "refs.bib",
        bib,
        "{{#paper-citation doe2018thesis}} {{#paper-citation team2021web}} {{#paper-citation m}}",
    );
    // APA as the CSL style (and citeproc-js) prints a thesis without a URL.
    assert!(
        main.contains(
            "Doe, J. (2018). Learning Things [Doctoral dissertation]. Example University."
        ),
        "{main}"
    );
    assert!(
        main.contains("Roe, R. (2019). Small Things [Master’s thesis]. Other University."),
        "{main}"
    );
    assert!(
        main.contains("Example Team. (2021). Example Website. https://example.org/page"),
        "{main}"
    );
    assert!(!main.contains("\\url"), "{main}");
}

#[test]
fn and_others_is_et_al_in_the_text_and_the_list() {
    let bib = "@book{smith2020, author = {Smith, John and others}, title = {T}, publisher = {P}, year = {2020}}\n\
               @book{two2021, author = {Roe, Rita and Doe, Jane and others}, title = {U}, publisher = {P}, year = {2021}}\n";
    let cite = "{{#paper-citation smith2020}} {{#paper-citation two2021 form=narrative}}";
    let apa = render("apa", "refs.bib", bib, cite);
    assert!(apa.contains("(Smith et al., 2020)"), "{apa}");
    assert!(apa.contains("Roe et al. (2021)"), "{apa}");
    assert!(apa.contains("Smith, J., et al. (2020). T. P."), "{apa}");
    assert!(
        apa.contains("Roe, R., Doe, J., et al. (2021). U. P."),
        "{apa}"
    );
    assert!(!apa.contains("others"), "{apa}");
    let ieee = render("ieee", "refs.bib", bib, cite);
    assert!(ieee.contains("J. Smith et al., T."), "{ieee}");
}

#[test]
fn latex_in_fields_becomes_text_and_scholar_braces_keep_their_case() {
    let bib = "@inproceedings{abadi2016tf,\n  title={$\\{$TensorFlow$\\}$: a system for $\\{$Large-Scale$\\}$ machine learning},\n  author={Abadi, Mart{\\'\\i}n and Barham, Paul and Chen, Jianmin},\n  booktitle={12th USENIX symposium on operating systems design and implementation (OSDI 16)},\n  pages={265--283},\n  year={2016}\n}\n\
               @article{greek, title = {The \\emph{$\\pi$} of \\textbf{Learning} \\& Co. at 100\\%}, author = {Gr{\\\"u}n, J{\\\"o}rg}, journal = {J}, volume = {1}, year = {2020}}\n";
    let main = render(
        "apa",
        "refs.bib",
        bib,
        "{{#paper-citation abadi2016tf}} {{#paper-citation greek}}",
    );
    assert!(
        main.contains("Abadi, M., Barham, P., & Chen, J. (2016). TensorFlow: a system for Large-Scale machine learning."),
        "{main}"
    );
    assert!(
        main.contains("Grün, J. (2020). The π of Learning & Co. at 100%."),
        "{main}"
    );
    for leak in ["$", "\\", "{", "emph", "textbf"] {
        assert!(!main.contains(leak), "{leak} in {main}");
    }
    // The accent on a dotless i is an í.
    let narrative = render(
        "chicago-author-date",
        "refs.bib",
        bib,
        "{{#paper-citation abadi2016tf}}",
    );
    assert!(narrative.contains("Abadi, Martín"), "{narrative}");
}

#[test]
fn escapes_in_urls_and_dois_are_undone_in_the_link_and_its_text() {
    let bib = "@misc{lash2019, author = {Lash, Alex}, title = {S\\_Dbw}, year = {2019}, url = {https://github.com/example/S\\_Dbw}}\n\
               @incollection{car2017, author = {Car, Ann}, title = {Recipe}, booktitle = {Genetic Programming}, publisher = {Springer}, year = {2017}, doi = {10.1007/978-3-319-55696-3\\_16}}\n\
               @article{doi2020, author = {Doe, Jane}, title = {T}, journal = {J}, volume = {1}, year = {2020}, doi = {https://doi.org/10.1000/xyz}}\n";
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/refs.bib\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            ("one.md", "# One\n\n{{#bibliography all}}\n"),
        ],
    );
    write_file(dir.path(), "data/refs.bib", bib);
    build_in_process(dir.path()).unwrap();
    let html = Site::new(dir.path().join("book")).page("one.html");
    let links: Vec<(String, String)> = select(&html, "main a[href^='http']")
        .iter()
        .map(|a| (a.value().attr("href").unwrap().to_owned(), text_of(a)))
        .collect();
    for (href, text) in [
        (
            "https://github.com/example/S_Dbw",
            "https://github.com/example/S_Dbw",
        ),
        (
            "https://doi.org/10.1007/978-3-319-55696-3_16",
            "https://doi.org/10.1007/978-3-319-55696-3_16",
        ),
        ("https://doi.org/10.1000/xyz", "https://doi.org/10.1000/xyz"),
    ] {
        assert!(
            links.contains(&(href.to_owned(), text.to_owned())),
            "{href} in {links:?}"
        );
    }
    let main = text_of(&select(&html, "main")[0]);
    assert!(
        !main.contains("doi.org/https"),
        "a DOI URL is never doubled: {main}"
    );
    assert!(
        main.contains("Car, A. (2017). Recipe. In Genetic Programming. Springer."),
        "the collection's title is printed once: {main}"
    );
}

#[test]
fn works_without_authors_or_dates_build_and_render_as_the_style_prescribes() {
    let bib = "@misc{sdm, title = {Definition and objectives of systems development}, url = {https://example.org/ditatopic/25323}, date = {2016-01-19}}\n\
               @proceedings{conf2020, editor = {Doe, Jane}, title = {Proceedings of the Example Workshop}, year = {2020}}\n\
               @misc{nd, author = {Roe, Rita}, title = {Undated}, year = {n.d.}}\n\
               @misc{nodate, author = {Poe, Paul}, title = {No date at all}}\n";
    let main = render(
        "apa",
        "refs.bib",
        bib,
        "{{#paper-citation sdm}} {{#paper-citation conf2020}} {{#paper-citation nd}} {{#paper-citation nodate}}",
    );
    assert!(
        main.contains("(Definition and Objectives of Systems Development, 2016)"),
        "{main}"
    );
    assert!(
        main.contains("Definition and objectives of systems development. (2016, January 19). https://example.org/ditatopic/25323"),
        "the day of a web page's date is kept: {main}"
    );
    assert!(main.contains("(Doe, 2020)"), "{main}");
    assert!(
        main.contains("Doe, J. (Ed.). (2020). Proceedings of the Example Workshop."),
        "{main}"
    );
    assert!(
        main.contains("(Roe, n.d.)") && main.contains("Roe, R. (n.d.). Undated."),
        "{main}"
    );
    assert!(main.contains("(Poe, n.d.)"), "{main}");
}

#[test]
fn keys_with_colons_slashes_and_dots_cite_and_take_locators() {
    let bib = "@article{Smith:2022, author = {Smith, Ann}, title = {BibDesk-style Key}, journal = {J}, volume = {1}, year = {2022}}\n\
               @inproceedings{DBLP:conf/osdi/DoeR16, author = {Jane Doe and Rita Roe}, title = {DBLP-style Key}, booktitle = {{OSDI} 2016}, year = {2016}}\n\
               @misc{doi.10.1/x-y, author = {Poe, Paul}, title = {Dotted}, year = {2001}}\n";
    let main = render(
        "apa",
        "refs.bib",
        bib,
        "A {{#paper-citation Smith:2022}}. B {{#paper-citation DBLP:conf/osdi/DoeR16}}. \
         C {{#paper-citation Smith:2022:page=3}}. D {{#paper-citation DBLP:conf/osdi/DoeR16:section=2,doi.10.1/x-y}}.",
    );
    assert!(main.contains("A (Smith, 2022)."), "{main}");
    assert!(main.contains("B (Doe & Roe, 2016)."), "{main}");
    assert!(main.contains("C (Smith, 2022, p. 3)."), "{main}");
    assert!(
        main.contains("D (Doe & Roe, 2016, Section 2; Poe, 2001)."),
        "{main}"
    );
    assert!(
        main.contains("Doe, J., & Roe, R. (2016). DBLP-style Key. OSDI 2016."),
        "{main}"
    );
}

#[test]
fn bibtex_export_is_valid_bibtex_that_reads_back_the_same() {
    let bib = "@inproceedings{roe2016sys,\n  title={A {GPU} System},\n  author={Roe, Rita},\n  booktitle={12th {USENIX} Symposium on Operating Systems Design and Implementation ({OSDI} 16)},\n  pages={265--283},\n  year={2016}\n}\n\
               @string{acm = {{ACM} Computing Surveys}}\n\
               @article{doe2022, author = {Doe, Jane}, title = {Article}, journal = acm, volume = {15}, number = {12}, pages = {1--20}, year = {2022}, month = mar}\n";
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/refs.bib\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            ("one.md", "# One\n\n{{#bibliography all}}\n"),
        ],
    );
    write_file(dir.path(), "data/refs.bib", bib);
    let output = std::process::Command::new(BIN)
        .args(["bibtex", "--book"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let exported = String::from_utf8(output.stdout).unwrap();
    for wanted in [
        "{USENIX}",
        "{ACM} Computing Surveys",
        "number = {12}",
        "pages = {265--283}",
        "month = {March}",
    ] {
        assert!(exported.contains(wanted), "{wanted} in\n{exported}");
    }
    assert!(!exported.contains("\\{"), "{exported}");
    // BibTeX's own grammar, as the biblatex crate reads it, takes it back.
    let original = biblatex::Bibliography::parse(bib).unwrap();
    let again = biblatex::Bibliography::parse(&exported)
        .unwrap_or_else(|e| panic!("the export does not parse ({e}):\n{exported}"));
    for entry in original.iter() {
        let back = again.get(&entry.key).expect("every entry exported");
        for (field, value) in &entry.fields {
            use biblatex::ChunksExt;
            let text = |chunks: &[biblatex::Spanned<biblatex::Chunk>]| chunks.format_verbatim();
            let exported_field = back.fields.get(field).map(|c| text(c));
            assert_eq!(exported_field, Some(text(value)), "{}.{field}", entry.key);
        }
    }
    // Nothing was written to a render cache.
    assert!(!dir.path().join("cache").exists());
}

#[test]
fn every_problem_of_a_bad_bib_file_and_of_the_chapters_is_reported_in_one_run() {
    let bib = "@article{ok, author = {Doe, Jane}, title = {Fine}, journal = {J}, year = 2020}\n\
               @article{broken, title = {Unclosed, author = {X, Y}}\n\
               @article{ok2, author = {Roe, Rita}, title = {Also fine}, journal = {J}, year = 2021}\n\
               @misc{undefined, title = {T}, note = nomacro}\n\
               @article{ok, title = {Again}}\n\
               @misc{baddate, author = {Poe, Paul}, title = {T}, date = {2019/20xx}, year = {2019}}\n";
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/refs.bib\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n{{#paper-citation ok2}} {{#paper-citation baddate}} {{#paper-citation nosuch}}\n\n{{#paper-citation broken}} {{#paper-citation undefined}}\n",
            ),
        ],
    );
    write_file(dir.path(), "data/refs.bib", bib);
    let output = check_book(dir.path());
    assert!(!output.status.success());
    let lines = stderr_lines(&output);
    let expected = [
        "data/refs.bib:2:1: error: invalid BibTeX in entry `broken`",
        "data/refs.bib:4:",
        "data/refs.bib:5:10: error: duplicate citation key `ok`",
        "data/refs.bib:6:",
        "src/one.md:3:",
    ];
    assert_lines_start_with(&lines, expected);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("entry `baddate`") && l.contains("warning")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("src/one.md:3:") && l.contains("unknown work `nosuch`")),
        "{lines:#?}"
    );
    // A citation of an entry that could not be read points at that entry.
    assert_lines_start_with(
        &lines,
        [
            "src/one.md:5:19: error: unknown work `broken`; its entry at data/refs.bib:2:1 could not be read: fix the problem reported there",
            "src/one.md:5:46: error: unknown work `undefined`; its entry at data/refs.bib:4:38 could not be read",
        ],
    );

    // With `on-error = "warn"` the same book builds, with every problem shown
    // as a warning, the data file's as well as the chapters'.
    let mut toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    toml.push_str("on-error = \"warn\"\n");
    std::fs::write(dir.path().join("book.toml"), toml).unwrap();
    build_in_process(dir.path()).unwrap();
    use_built_binary(dir.path());
    let built = mdbook_build(dir.path());
    assert!(built.status.success(), "{}", stderr_of(&built));
    let lines = stderr_lines(&built);
    assert_lines_start_with(
        &lines,
        [
            "data/refs.bib:2:1: warning: invalid BibTeX in entry `broken`",
            "data/refs.bib:5:10: warning: duplicate citation key `ok`",
            "src/one.md:3:",
        ],
    );
    assert!(!lines.iter().any(|l| l.contains(": error:")), "{lines:#?}");
}

#[test]
fn other_formats_and_unknown_files_are_located() {
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/a.json\", \"data/b.yaml\", \"data/c.csv\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n{{#paper-citation zot}} {{#paper-citation hay}}\n",
            ),
        ],
    );
    write_file(
        dir.path(),
        "data/a.json",
        "[\n {\"id\": \"zot\", \"type\": \"article-journal\", \"title\": \"From Zotero\", \"author\": [{\"family\": \"Doe\", \"given\": \"Jane\"}], \"container-title\": \"J\", \"issued\": {\"date-parts\": [[2020]]}},\n {\"type\": \"book\", \"title\": \"No id\"}\n]\n",
    );
    write_file(
        dir.path(),
        "data/b.yaml",
        "hay:\n  type: article\n  title: From hayagriva\n  author: Roe, Rita\n  date: 2021\nbad:\n  type: book\n  date: [1, 2]\n",
    );
    write_file(dir.path(), "data/c.csv", "a,b\n");
    let output = check_book(dir.path());
    let lines = stderr_lines(&output);
    assert_lines_start_with(
        &lines,
        [
            "book.toml:",
            "data/a.json:3:2: error: the CSL-JSON item \"No id\" has no `id`",
            "data/b.yaml:6:1: error: entry `bad`",
        ],
    );
    // Located at the file's name in `data`, not at the key.
    assert!(
        lines.iter().any(
            |l| l.starts_with("book.toml:10:39: error: unknown kind of data file `data/c.csv`")
        ),
        "{lines:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("zot") || l.contains("`hay`")),
        "{lines:#?}"
    );
}

#[test]
fn a_books_work_may_replace_a_builtin_one_with_a_note_under_verbose() {
    let bib = "@inproceedings{paszke2019pytorch,\n  title={Pytorch: An imperative style, high-performance deep learning library},\n  author={Paszke, Adam and Gross, Sam and others},\n  booktitle={Advances in neural information processing systems},\n  volume={32},\n  year={2019}\n}\n";
    let dir = book_of_files(
        "data = [\"data/scholar.bib\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n{{#paper-citation paszke2019pytorch}}\n\n{{#bibliography}}\n",
            ),
        ],
    );
    write_file(dir.path(), "data/scholar.bib", bib);
    build_in_process(dir.path()).unwrap();
    let html = Site::new(dir.path().join("book")).page("one.html");
    let main = text_of(&select(&html, "main")[0]);
    assert!(
        main.contains("Paszke, A., Gross, S., et al. (2019)."),
        "{main}"
    );
    let output = std::process::Command::new(BIN)
        .args(["list", "works", "--verbose", "--book"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        stderr_of(&output).contains(
            "data/scholar.bib:1:16: note: overrides the built-in work `paszke2019pytorch`"
        ),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn check_and_bibtex_never_write_the_render_cache() {
    let dir = book_of_files(
        "",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            ("one.md", "# One\n\n{{#paper-citation paszke2019pytorch}}\n"),
        ],
    );
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        toml.replace("cache = false", "cache = \"cache\""),
    )
    .unwrap();
    let check = check_book(dir.path());
    assert!(check.status.success(), "{}", stderr_of(&check));
    let bibtex = std::process::Command::new(BIN)
        .args(["bibtex", "--book"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(bibtex.status.success(), "{}", stderr_of(&bibtex));
    assert!(
        !dir.path().join("cache").exists(),
        "check or bibtex wrote the cache"
    );
    // A build does write it: the test would see one.
    build_in_process(dir.path()).unwrap();
    assert!(dir.path().join("cache").exists());
}

#[test]
fn particles_suffixes_editions_series_numbers_and_sites_reach_the_reference() {
    let bib = "@book{raumer, author = {von Raumer, Johann and Doe, Jr., John and van der Berg, Anna}, title = {Geschichte}, edition = {3}, series = {Studies in Things}, number = {12}, publisher = {P}, address = {Leipzig}, year = {1857}}\n\
               @techreport{rep, author = {Roe, Rita}, title = {Measured}, institution = {Lab}, number = {42}, year = {2020}}\n\
               @online{site, author = {{PyTorch Team}}, title = {Release notes}, organization = {PyTorch Blog}, date = {2020-01-15}, url = {https://pytorch.org/blog/x}}\n\
               @misc{sym, author = {Poe, Paul}, title = {Costs of \\$5 and snake\\_case}, year = {2001}}\n";
    let cite = "{{#paper-citation raumer}} {{#paper-citation rep}} {{#paper-citation site}} {{#paper-citation sym}}";
    let apa = render("apa", "refs.bib", bib, cite);
    assert!(apa.contains("(von Raumer et al., 1857)"), "{apa}");
    assert!(
        apa.contains(
            "von Raumer, J., Doe, J., Jr., & van der Berg, A. (1857). Geschichte (3rd ed.). P."
        ),
        "{apa}"
    );
    assert!(
        apa.contains("Roe, R. (2020). Measured (Technical Report No. 42). Lab."),
        "{apa}"
    );
    assert!(
        apa.contains("PyTorch Team. (2020, January 15). Release notes. PyTorch Blog. https://pytorch.org/blog/x"),
        "{apa}"
    );
    assert!(
        apa.contains("Poe, P. (2001). Costs of $5 and snake_case."),
        "{apa}"
    );
    let ieee = render("ieee", "refs.bib", bib, cite);
    assert!(
        ieee.contains("J. von Raumer, J. Doe Jr., and A. van der Berg"),
        "{ieee}"
    );
    // The series and the volume's number in it, where the style prints them.
    assert!(ieee.contains("in Studies in Things, no. 12."), "{ieee}");
}

#[test]
fn a_reading_list_names_works_it_does_not_cite() {
    let bib = "@book{read1, author = {Roe, Rita}, title = {To Read First}, publisher = {P}, year = {2001}}\n\
               @book{read2, author = {Abe, Ann}, title = {To Read Next}, publisher = {P}, year = {2002}}\n\
               @book{unlisted, author = {Zed, Zoe}, title = {Not Listed}, publisher = {P}, year = {2003}}\n";
    let dir = book_of_files(
        "builtin = false\ndata = [\"data/refs.bib\"]\n",
        &[
            (
                "SUMMARY.md",
                "- [Reading](reading.md)\n- [Broken](broken.md)\n",
            ),
            (
                "reading.md",
                "# Reading\n\n{{#bibliography keys=read2,read1}}\n",
            ),
            (
                "broken.md",
                "# Broken\n\n{{#bibliography keys=read1,raed2}}\n",
            ),
        ],
    );
    write_file(dir.path(), "data/refs.bib", bib);
    // An unknown key is located, with the nearest one.
    let error = build_error(dir.path());
    assert!(
        error.contains("src/broken.md:3:28: error: unknown work `raed2`; did you mean `read2`?"),
        "{error}"
    );
    std::fs::write(dir.path().join("src/broken.md"), "# Broken\n").unwrap();
    build_in_process(dir.path()).unwrap();
    let html = Site::new(dir.path().join("book")).page("reading.html");
    let items: Vec<String> = select(&html, "main li").iter().map(text_of).collect();
    // In the style's order (APA: by author), uncited, and nothing else.
    assert_eq!(
        items,
        [
            "Abe, A. (2002). To Read Next. P.",
            "Roe, R. (2001). To Read First. P."
        ]
    );
    // The export takes the reading list too.
    let output = std::process::Command::new(BIN)
        .args(["bibtex", "--book"])
        .arg(dir.path())
        .output()
        .unwrap();
    let exported = String::from_utf8(output.stdout).unwrap();
    assert!(
        exported.contains("@book{read1,") && exported.contains("@book{read2,"),
        "{exported}"
    );
    assert!(!exported.contains("unlisted"), "{exported}");
}

/// One paper exported from DBLP beside the built-in entry from Google Scholar:
/// cited under both keys it would be listed twice, so the book is told once.
#[test]
fn one_publication_cited_under_two_keys_is_a_warning() {
    let bib = "@inproceedings{DBLP:conf/osdi/AbadiBCCDDDGIIK16,\n  author = {Mart{\\'{\\i}}n Abadi and Paul Barham},\n  title = {TensorFlow: {A} System for Large-Scale Machine Learning},\n  booktitle = {12th {USENIX} Symposium on Operating Systems Design and Implementation, {OSDI} 2016},\n  pages = {265--283},\n  year = {2016}\n}\n";
    let dir = book_of_files(
        "data = [\"data/dblp.bib\"]\n",
        &[
            ("SUMMARY.md", "- [One](one.md)\n"),
            (
                "one.md",
                "# One\n\n{{#paper-citation abadi2016tensorflow}} {{#paper-citation DBLP:conf/osdi/AbadiBCCDDDGIIK16}} {{#paper-citation paszke2019pytorch}}\n",
            ),
        ],
    );
    write_file(dir.path(), "data/dblp.bib", bib);
    let output = check_book(dir.path());
    assert!(output.status.success(), "{}", stderr_of(&output));
    let lines = stderr_lines(&output);
    let warnings: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("one publication"))
        .collect();
    assert_eq!(warnings.len(), 1, "{lines:#?}");
    assert!(
        warnings[0].starts_with(
            "data/dblp.bib:1:16: warning: works `DBLP:conf/osdi/AbadiBCCDDDGIIK16` and `abadi2016tensorflow` are one publication (the same title and year)"
        ),
        "{lines:#?}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("checked 1 chapter: no errors, 1 warning"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
