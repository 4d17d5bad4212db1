//! BibTeX export, for readers to take the book's works into their own papers.

use std::fmt::Write;

use crate::model::{Paper, PaperKind};

/// Writes the works as BibTeX (biblatex-compatible), one entry each, in the given order.
///
/// Titles keep their `{Braced}` case protection; organisation authors are
/// braced whole so that BibTeX does not split them into given and family names.
pub fn to_bibtex<'a>(papers: impl IntoIterator<Item = &'a Paper>) -> String {
    let mut out = String::new();
    for (i, paper) in papers.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_entry(&mut out, paper);
    }
    out
}

fn write_entry(out: &mut String, paper: &Paper) {
    let has_venue = paper.venue.is_some();
    let proceedings = !paper.editors.is_empty() || paper.publisher.is_some();
    let (kind, venue_field) = match paper.kind {
        PaperKind::Paper if has_venue && !proceedings && paper.volume.is_some() => {
            ("article", "journal")
        }
        PaperKind::Paper if has_venue => ("inproceedings", "booktitle"),
        PaperKind::Paper => ("misc", "howpublished"),
        PaperKind::Whitepaper => ("techreport", "institution"),
        PaperKind::Software => ("software", "organization"),
        PaperKind::Documentation => ("online", "organization"),
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    fields.push(("title", braced_text(&paper.title)));
    if !paper.authors.is_empty() {
        fields.push(("author", names(&paper.authors)));
    }
    if !paper.editors.is_empty() {
        fields.push(("editor", names(&paper.editors)));
    }
    match (&paper.venue, &paper.publisher, paper.kind) {
        // A report's institution is its publisher when the venue is not named.
        (None, Some(p), PaperKind::Whitepaper) => fields.push((venue_field, escape(p))),
        (Some(v), _, _) => fields.push((venue_field, escape(v))),
        // An arXiv preprint says so, as Google Scholar's entries do.
        (None, _, PaperKind::Paper) if paper.arxiv.is_some() => {
            let id = paper.arxiv.as_deref().unwrap_or_default();
            fields.push((venue_field, escape(&format!("arXiv preprint arXiv:{id}"))));
        }
        _ => {}
    }
    if let Some(p) = &paper.publisher
        && !(paper.kind == PaperKind::Whitepaper && paper.venue.is_none())
    {
        fields.push(("publisher", escape(p)));
    }
    if let Some(v) = &paper.volume {
        fields.push(("volume", escape(v)));
    }
    if let Some(p) = &paper.pages {
        fields.push(("pages", escape(p)));
    }
    fields.push(("year", paper.year.to_string()));
    if let Some(m) = paper.month {
        fields.push(("month", m.to_string()));
    }
    if let Some(a) = &paper.arxiv {
        fields.push(("eprint", escape(a)));
        fields.push(("archiveprefix", "arXiv".into()));
        fields.push(("eprinttype", "arxiv".into()));
    }
    if let Some(d) = &paper.doi {
        fields.push(("doi", verbatim(d)));
    }
    if let Some(u) = &paper.url {
        fields.push(("url", verbatim(u)));
    }
    if let Some(d) = &paper.accessed {
        let mut date = format!("{:04}", d.year);
        if let Some(m) = d.month {
            let _ = write!(date, "-{m:02}");
        }
        if let Some(day) = d.day {
            let _ = write!(date, "-{day:02}");
        }
        fields.push(("urldate", date));
    }

    let _ = writeln!(out, "@{kind}{{{},", key(&paper.key));
    for (name, value) in fields {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    }
    out.push_str("}\n");
}

/// Keys may not hold BibTeX's delimiters; anything else is kept.
fn key(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_whitespace() || "{}(),=\\#%\"".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn names(names: &[String]) -> String {
    names
        .iter()
        .map(|n| {
            if n.contains(',') {
                escape(n)
            } else {
                // "Google Brain" is one name, not Brain, Google.
                format!("{{{}}}", escape(n))
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Escapes LaTeX's special characters, braces included.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a title but keeps balanced braces, which protect case.
fn braced_text(text: &str) -> String {
    let mut depth = 0i32;
    let balanced = text.chars().all(|c| {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        depth >= 0
    }) && depth == 0;
    if !balanced {
        return escape(text);
    }
    text.split_inclusive(['{', '}'])
        .map(|piece| match piece.char_indices().last() {
            Some((at, c @ ('{' | '}'))) => format!("{}{c}", escape(&piece[..at])),
            _ => escape(piece),
        })
        .collect()
}

/// DOIs and URLs are verbatim fields; only braces would end them early.
fn verbatim(text: &str) -> String {
    text.replace(['{', '}'], "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use biblatex::ChunksExt;

    fn paper(key: &str, kind: PaperKind, title: &str, authors: &[&str]) -> Paper {
        Paper {
            key: key.into(),
            kind,
            title: title.into(),
            authors: authors.iter().map(|s| s.to_string()).collect(),
            editors: vec![],
            year: 2019,
            month: None,
            venue: None,
            publisher: None,
            volume: None,
            pages: None,
            arxiv: None,
            doi: None,
            url: None,
            accessed: None,
        }
    }

    fn pytorch() -> Paper {
        let mut p = paper(
            "paszke2019pytorch",
            PaperKind::Paper,
            "{PyTorch}: An Imperative Style, High-Performance Deep Learning Library",
            &[
                "Paszke, Adam",
                "Gross, Sam",
                "Köpf, Andreas",
                "Chintala, Soumith",
            ],
        );
        p.venue = Some("Advances in Neural Information Processing Systems 32".into());
        p.editors = vec!["Wallach, H.".into(), "d'Alché-Buc, F.".into()];
        p.publisher = Some("Curran Associates, Inc.".into());
        p.pages = Some("8024--8035".into());
        p.arxiv = Some("1912.01703".into());
        p
    }

    fn evil() -> Paper {
        let mut p = paper(
            "evil2020",
            PaperKind::Whitepaper,
            "Escaping <script> & \"quotes\" | 100% {GPU}s_x",
            &["O'Neil, Cathy", "Google Brain"],
        );
        p.publisher = Some("R&D Lab".into());
        p.doi = Some("10.1000/x_{y}".into());
        p
    }

    #[test]
    fn inproceedings_entry_is_exact() {
        assert_eq!(
            to_bibtex([&pytorch()]),
            "@inproceedings{paszke2019pytorch,\n  \
             title = {{PyTorch}: An Imperative Style, High-Performance Deep Learning Library},\n  \
             author = {Paszke, Adam and Gross, Sam and Köpf, Andreas and Chintala, Soumith},\n  \
             editor = {Wallach, H. and d'Alché-Buc, F.},\n  \
             booktitle = {Advances in Neural Information Processing Systems 32},\n  \
             publisher = {Curran Associates, Inc.},\n  \
             pages = {8024--8035},\n  \
             year = {2019},\n  \
             eprint = {1912.01703},\n  \
             archiveprefix = {arXiv},\n  \
             eprinttype = {arxiv},\n\
             }\n"
        );
    }

    #[test]
    fn kinds_map_to_entry_types() {
        let mut sw = paper("jax", PaperKind::Software, "{JAX}", &["Bradbury, James"]);
        sw.url = Some("https://github.com/jax-ml/jax".into());
        sw.accessed = crate::model::PartialDate::parse("2024-05-01");
        let doc = paper(
            "docs",
            PaperKind::Documentation,
            "torch.compile",
            &["PyTorch Contributors"],
        );
        let mut pre = paper("pre", PaperKind::Paper, "A preprint", &["Doe, Jane"]);
        pre.arxiv = Some("2001.00001".into());
        let out = to_bibtex([&sw, &doc, &pre, &evil()]);
        assert!(out.contains("@software{jax,"), "{out}");
        assert!(out.contains("  urldate = {2024-05-01},\n"), "{out}");
        assert!(out.contains(
            "@online{docs,\n  title = {torch.compile},\n  author = {{PyTorch Contributors}},"
        ));
        assert!(out.contains("@misc{pre,"));
        assert!(out.contains("  howpublished = {arXiv preprint arXiv:2001.00001},\n"));
        assert!(out.contains("@techreport{evil2020,"));
        assert!(out.contains("  institution = {R\\&D Lab},\n"));
    }

    #[test]
    fn special_characters_are_escaped() {
        let out = to_bibtex([&evil()]);
        assert!(
            out.contains("  title = {Escaping <script> \\& \"quotes\" | 100\\% {GPU}s\\_x},\n"),
            "{out}"
        );
        assert!(out.contains("  author = {O'Neil, Cathy and {Google Brain}},\n"));
        assert!(out.contains("  doi = {10.1000/x_y},\n"));
        assert_eq!(braced_text("a {b"), "a \\{b");
        assert_eq!(
            escape("~^\\"),
            "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
    }

    #[test]
    fn round_trips_through_biblatex() {
        let papers = [pytorch(), evil()];
        let bib = biblatex::Bibliography::parse(&to_bibtex(&papers)).expect("parses");
        assert_eq!(
            bib.keys().collect::<Vec<_>>(),
            ["paszke2019pytorch", "evil2020"]
        );

        let pt = bib.get("paszke2019pytorch").unwrap();
        let title = pt.title().unwrap();
        assert_eq!(
            title.format_verbatim(),
            "PyTorch: An Imperative Style, High-Performance Deep Learning Library"
        );
        // The braced word stays a verbatim (case-protected) chunk.
        assert!(
            title
                .iter()
                .any(|c| matches!(&c.v, biblatex::Chunk::Verbatim(v) if v == "PyTorch"))
        );
        let authors: Vec<(String, String)> = pt
            .author()
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.given_name))
            .collect();
        assert_eq!(authors[0], ("Paszke".into(), "Adam".into()));
        assert_eq!(authors[2], ("Köpf".into(), "Andreas".into()));
        assert_eq!(authors.len(), 4);
        let editors = pt.editors().unwrap();
        assert_eq!(editors[0].0[1].name, "d'Alché-Buc");

        let evil = bib.get("evil2020").unwrap();
        assert_eq!(
            evil.title().unwrap().format_verbatim(),
            "Escaping <script> & \"quotes\" | 100% GPUs_x"
        );
        let authors = evil.author().unwrap();
        assert_eq!(authors[1].name, "Google Brain");
        assert_eq!(authors[1].given_name, "");
    }
}
