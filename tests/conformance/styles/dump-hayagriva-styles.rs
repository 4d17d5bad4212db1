//! Writes the CSL styles and locales archived in hayagriva 0.10.1 as CSL XML,
//! so that citeproc-js reads exactly what mdbook-frameworks renders with.
//! Built by `regenerate.sh` in a scratch Cargo project outside the repository.
//!
//!   csl-dump dump OUT_DIR STYLE_NAME... [--locale CODE]...
//!   csl-dump match-style STYLE_NAME FILE...   (prints the FILEs that parse to the archived style)
//!   csl-dump match-locale CODE FILE...        (prints the FILEs that parse to the archived locale)
use citationberg::{Locale, LocaleFile, Style};
use hayagriva::archive::{locales, ArchivedStyle};
use serde::Serialize;
use std::path::Path;

const USAGE: &str = "usage: csl-dump dump OUT_DIR STYLE_NAME... [--locale CODE]... \
                     | match-style STYLE_NAME FILE... | match-locale CODE FILE...";

fn archived_style(name: &str) -> Style {
    ArchivedStyle::by_name(name)
        .unwrap_or_else(|| panic!("hayagriva has no archived style {name}"))
        .get()
}

fn archived_locale(code: &str) -> Locale {
    locales()
        .into_iter()
        .find(|l| l.lang.as_ref().map(|c| c.0.as_str()) == Some(code))
        .unwrap_or_else(|| panic!("hayagriva has no archived locale {code}"))
}

fn style_xml(name: &str) -> String {
    let style = archived_style(name);
    // citationberg 0.7.0 serialises EtAlTerm by its serde names (`term="et al"`,
    // `term="and others"`), which are not CSL values and make citeproc-js
    // crash; write the CSL names, which citationberg reads as aliases.
    let xml = style
        .to_xml()
        .expect("serialise style")
        .replace("<et-al term=\"et al\"", "<et-al term=\"et-al\"")
        .replace("<et-al term=\"and others\"", "<et-al term=\"and-others\"");
    // The XML must parse back to exactly the archived style.
    let back = Style::from_xml(&xml).expect("dumped style does not parse");
    assert!(back == style, "style {name} does not round-trip");
    let xml = if xml.contains("xmlns=") {
        xml
    } else {
        xml.replacen("<style ", "<style xmlns=\"http://purl.org/net/xbiblio/csl\" ", 1)
    };
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{xml}\n")
}

fn locale_xml(code: &str) -> String {
    let locale = archived_locale(code);
    // citationberg 0.7.0's LocaleFile::to_xml names the root element `style`;
    // serialise the archived Locale with the right root instead.
    let mut buf = String::new();
    let ser = quick_xml::se::Serializer::with_root(&mut buf, Some("locale")).unwrap();
    locale.serialize(ser).expect("serialise locale");
    let xml = buf.replacen(
        "<locale ",
        "<locale xmlns=\"http://purl.org/net/xbiblio/csl\" version=\"1.0\" ",
        1,
    );
    let back = Locale::from(LocaleFile::from_xml(&xml).expect("dumped locale does not parse"));
    assert!(back == locale, "locale {code} does not round-trip");
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{xml}\n")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dump") if args.len() >= 3 => {
            let out = Path::new(&args[1]);
            std::fs::create_dir_all(out).unwrap();
            let mut rest = args[2..].iter();
            while let Some(arg) = rest.next() {
                let (file, xml) = if arg == "--locale" {
                    let code = rest.next().expect(USAGE);
                    (format!("locales-{code}.xml"), locale_xml(code))
                } else {
                    (format!("{arg}.csl"), style_xml(arg))
                };
                std::fs::write(out.join(&file), xml).unwrap();
                eprintln!("wrote {}", out.join(&file).display());
            }
        }
        Some(kind @ ("match-style" | "match-locale")) if args.len() >= 3 => {
            for file in &args[2..] {
                let text = std::fs::read_to_string(file).unwrap();
                let same = if kind == "match-style" {
                    Style::from_xml(&text).ok() == Some(archived_style(&args[1]))
                } else {
                    LocaleFile::from_xml(&text).ok().map(Locale::from)
                        == Some(archived_locale(&args[1]))
                };
                if same {
                    println!("{file}");
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}
