//! The words our directives write into a book (table headers, row labels, notes),
//! in the book's language: one table per language, chosen by `book.language` or
//! the `locale` key. Citations and reference lists take their words from the CSL
//! locale instead (see [`crate::cite::CitationStyle::with_locale`]).
//!
//! Data (framework names, claims, summaries) is never translated: it is the
//! book's own text.

use crate::model::{PartialDate, Status};

/// Every word and phrase the renderers write, in one language.
///
/// Templates hold `{}` (or `{day}`, `{month}`, `{year}`) where a value goes, so that
/// each language keeps its own word order.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    /// The primary language subtag this table is for: `de`.
    pub language: &'static str,

    /// Comparison table corner when frameworks are rows.
    pub framework: &'static str,
    /// Comparison table corner when dimensions are rows.
    pub dimension: &'static str,
    /// Before a claim's note: "*Note:* …".
    pub note: &'static str,

    /// Profile row labels.
    pub organisation: &'static str,
    /// Profile row: the first release's date.
    pub first_release: &'static str,
    /// Profile row: programming languages.
    pub languages: &'static str,
    /// Profile row: the licence.
    pub licence: &'static str,
    /// Profile row: the development status.
    pub status: &'static str,
    /// Profile row: the papers that introduce the framework.
    pub canonical_papers: &'static str,
    /// Profile row: homepage and repository links.
    pub links: &'static str,
    /// Link text for the homepage.
    pub homepage: &'static str,
    /// Link text for the source repository.
    pub repository: &'static str,
    /// Profile row: where the record's facts come from.
    pub sources: &'static str,
    /// After a date: " (version {})".
    pub version_note: &'static str,
    /// [`Status::Active`].
    pub active: &'static str,
    /// [`Status::Maintenance`].
    pub maintenance: &'static str,
    /// [`Status::Discontinued`].
    pub discontinued: &'static str,
    /// An optional fact the data leaves out.
    pub not_recorded: &'static str,

    /// Timeline column headers.
    pub date: &'static str,
    /// Timeline column: what happened.
    pub milestone: &'static str,
    /// Timeline column: the citation.
    pub source: &'static str,
    /// Timeline row: "First public release of {}".
    pub first_release_of: &'static str,
    /// An empty timeline.
    pub no_milestones: &'static str,
    /// Kinds of publication on the timeline (see `Work::kind_label`).
    pub report: &'static str,
    /// A thesis.
    pub thesis: &'static str,
    /// A book, anthology or proceedings.
    pub book: &'static str,
    /// A software repository.
    pub software: &'static str,
    /// A web page, blog or post.
    pub web_page: &'static str,
    /// Reference documentation.
    pub documentation: &'static str,
    /// Any other document.
    pub document: &'static str,
    /// An article or paper.
    pub paper: &'static str,

    /// Month names, January first, as they stand in a date.
    pub months: [&'static str; 12],
    /// A full date: `{day}`, `{month}` (from `months`) and `{year}`.
    pub day_month_year: &'static str,
    /// A date without day.
    pub month_year: &'static str,
    /// How the first day of a month is written ("1er" in French).
    pub first_of_month: &'static str,

    /// Reference list: "Cited in" before the citing chapters.
    pub cited_in: &'static str,
    /// Heading of the list appended with `chapter-references`.
    pub references: &'static str,
    /// An empty reference list.
    pub no_works_cited: &'static str,
    /// In the note shown in the page for a problem (`on-error = "warn"`).
    pub error: &'static str,

    /// Between a label and what it introduces: ": " (French: " : ").
    pub colon: &'static str,
    /// At the end of a sentence.
    pub full_stop: &'static str,
    /// Between the items of a list.
    pub list_separator: &'static str,
}

/// The languages with a table, by primary subtag.
pub const LANGUAGES: &[&str] = &["en", "de", "fr", "es", "pt", "zh", "ja"];

impl Words {
    /// The table for a BCP-47 tag (`de`, `de-AT`, `pt-BR`), by its primary subtag,
    /// case-insensitively; `None` for a language without one. Traditional Chinese
    /// (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) has none: the `zh` table is Simplified.
    pub fn for_language(tag: &str) -> Option<&'static Words> {
        let mut subtags = tag.split(['-', '_']).map(str::to_ascii_lowercase);
        let primary = subtags.next()?;
        let words = match primary.as_str() {
            "en" => &ENGLISH,
            "de" => &GERMAN,
            "fr" => &FRENCH,
            "es" => &SPANISH,
            "pt" => &PORTUGUESE,
            "zh" => &CHINESE,
            "ja" => &JAPANESE,
            _ => return None,
        };
        if primary == "zh" && subtags.any(|s| matches!(s.as_str(), "hant" | "tw" | "hk" | "mo")) {
            return None;
        }
        Some(words)
    }

    /// The English table, used for any language without one.
    pub fn english() -> &'static Words {
        &ENGLISH
    }

    /// A date as precise as it is known: "2 March 2017", "2. März 2017", "2017年3月2日".
    pub fn date(&self, date: &PartialDate) -> String {
        let year = date.year.to_string();
        let Some(month) = date
            .month
            .and_then(|m| self.months.get(usize::from(m).checked_sub(1)?))
        else {
            return year;
        };
        let template = match date.day {
            Some(_) => self.day_month_year,
            None => self.month_year,
        };
        let day = match date.day {
            Some(1) => self.first_of_month.to_owned(),
            Some(day) => day.to_string(),
            None => String::new(),
        };
        template
            .replace("{day}", &day)
            .replace("{month}", month)
            .replace("{year}", &year)
    }

    /// A framework's status.
    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Active => self.active,
            Status::Maintenance => self.maintenance,
            Status::Discontinued => self.discontinued,
        }
    }

    /// The kind of a publication, from `Work::kind_label`'s English word; a word
    /// this table does not know is returned as it is.
    pub fn work_kind<'a>(&self, english: &'a str) -> &'a str {
        match english {
            "Report" => self.report,
            "Thesis" => self.thesis,
            "Book" => self.book,
            "Software" => self.software,
            "Web page" => self.web_page,
            "Documentation" => self.documentation,
            "Document" => self.document,
            "Paper" => self.paper,
            other => other,
        }
    }

    /// `template` with its `{}` replaced by `value`.
    pub fn fill(template: &str, value: &str) -> String {
        template.replacen("{}", value, 1)
    }

    /// Each field by name, for checks over every word. The destructuring lists
    /// every field, so a new one cannot be left out.
    #[cfg(test)]
    fn fields(&self) -> Vec<(&'static str, &'static str)> {
        let Words {
            language,
            framework,
            dimension,
            note,
            organisation,
            first_release,
            languages,
            licence,
            status,
            canonical_papers,
            links,
            homepage,
            repository,
            sources,
            version_note,
            active,
            maintenance,
            discontinued,
            not_recorded,
            date,
            milestone,
            source,
            first_release_of,
            no_milestones,
            report,
            thesis,
            book,
            software,
            web_page,
            documentation,
            document,
            paper,
            months: _,
            day_month_year,
            month_year,
            first_of_month,
            cited_in,
            references,
            no_works_cited,
            error,
            colon,
            full_stop,
            list_separator,
        } = *self;
        vec![
            ("language", language),
            ("framework", framework),
            ("dimension", dimension),
            ("note", note),
            ("organisation", organisation),
            ("first_release", first_release),
            ("languages", languages),
            ("licence", licence),
            ("status", status),
            ("canonical_papers", canonical_papers),
            ("links", links),
            ("homepage", homepage),
            ("repository", repository),
            ("sources", sources),
            ("version_note", version_note),
            ("active", active),
            ("maintenance", maintenance),
            ("discontinued", discontinued),
            ("not_recorded", not_recorded),
            ("date", date),
            ("milestone", milestone),
            ("source", source),
            ("first_release_of", first_release_of),
            ("no_milestones", no_milestones),
            ("report", report),
            ("thesis", thesis),
            ("book", book),
            ("software", software),
            ("web_page", web_page),
            ("documentation", documentation),
            ("document", document),
            ("paper", paper),
            ("day_month_year", day_month_year),
            ("month_year", month_year),
            ("first_of_month", first_of_month),
            ("cited_in", cited_in),
            ("references", references),
            ("no_works_cited", no_works_cited),
            ("error", error),
            ("colon", colon),
            ("full_stop", full_stop),
            ("list_separator", list_separator),
        ]
    }
}

/// English (British spelling, as the built-in study is written).
pub const ENGLISH: Words = Words {
    language: "en",
    framework: "Framework",
    dimension: "Dimension",
    note: "Note",
    organisation: "Organisation",
    first_release: "First public release",
    languages: "Languages",
    licence: "Licence",
    status: "Status",
    canonical_papers: "Canonical papers",
    links: "Links",
    homepage: "homepage",
    repository: "repository",
    sources: "Sources",
    version_note: " (version {})",
    active: "active",
    maintenance: "maintenance",
    discontinued: "discontinued",
    not_recorded: "not recorded",
    date: "Date",
    milestone: "Milestone",
    source: "Source",
    first_release_of: "First public release of {}",
    no_milestones: "No milestones in this range.",
    report: "Report",
    thesis: "Thesis",
    book: "Book",
    software: "Software",
    web_page: "Web page",
    documentation: "Documentation",
    document: "Document",
    paper: "Paper",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    day_month_year: "{day} {month} {year}",
    month_year: "{month} {year}",
    first_of_month: "1",
    cited_in: "Cited in",
    references: "References",
    no_works_cited: "No works cited.",
    error: "error",
    colon: ": ",
    full_stop: ".",
    list_separator: ", ",
};

/// German.
pub const GERMAN: Words = Words {
    language: "de",
    framework: "Framework",
    dimension: "Dimension",
    note: "Anmerkung",
    organisation: "Organisation",
    first_release: "Erstveröffentlichung",
    languages: "Sprachen",
    licence: "Lizenz",
    status: "Status",
    canonical_papers: "Maßgebliche Publikationen",
    links: "Links",
    homepage: "Website",
    repository: "Repository",
    sources: "Quellen",
    version_note: " (Version {})",
    active: "aktiv",
    maintenance: "in Wartung",
    discontinued: "eingestellt",
    not_recorded: "nicht erfasst",
    date: "Datum",
    milestone: "Meilenstein",
    source: "Quelle",
    first_release_of: "Erstveröffentlichung von {}",
    no_milestones: "Keine Meilensteine in diesem Zeitraum.",
    report: "Bericht",
    thesis: "Abschlussarbeit",
    book: "Buch",
    software: "Software",
    web_page: "Webseite",
    documentation: "Dokumentation",
    document: "Dokument",
    paper: "Artikel",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    day_month_year: "{day}. {month} {year}",
    month_year: "{month} {year}",
    first_of_month: "1",
    cited_in: "Zitiert in",
    references: "Literatur",
    no_works_cited: "Keine Werke zitiert.",
    error: "Fehler",
    colon: ": ",
    full_stop: ".",
    list_separator: ", ",
};

/// French (France): a no-break space before the colon.
pub const FRENCH: Words = Words {
    language: "fr",
    framework: "Framework",
    dimension: "Dimension",
    note: "Remarque",
    organisation: "Organisation",
    first_release: "Première version publique",
    languages: "Langages",
    licence: "Licence",
    status: "Statut",
    canonical_papers: "Articles de référence",
    links: "Liens",
    homepage: "site web",
    repository: "dépôt",
    sources: "Sources",
    version_note: " (version {})",
    active: "actif",
    maintenance: "en maintenance",
    discontinued: "abandonné",
    not_recorded: "non renseigné",
    date: "Date",
    milestone: "Jalon",
    source: "Source",
    first_release_of: "Première version publique de {}",
    no_milestones: "Aucun jalon sur cette période.",
    report: "Rapport",
    thesis: "Thèse",
    book: "Livre",
    software: "Logiciel",
    web_page: "Page web",
    documentation: "Documentation",
    document: "Document",
    paper: "Article",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    day_month_year: "{day} {month} {year}",
    month_year: "{month} {year}",
    first_of_month: "1er",
    cited_in: "Cité dans",
    references: "Références",
    no_works_cited: "Aucun ouvrage cité.",
    error: "erreur",
    colon: "\u{a0}: ",
    full_stop: ".",
    list_separator: ", ",
};

/// Spanish.
pub const SPANISH: Words = Words {
    language: "es",
    framework: "Framework",
    dimension: "Dimensión",
    note: "Nota",
    organisation: "Organización",
    first_release: "Primera versión pública",
    languages: "Lenguajes",
    licence: "Licencia",
    status: "Estado",
    canonical_papers: "Artículos de referencia",
    links: "Enlaces",
    homepage: "sitio web",
    repository: "repositorio",
    sources: "Fuentes",
    version_note: " (versión {})",
    active: "activo",
    maintenance: "en mantenimiento",
    discontinued: "discontinuado",
    not_recorded: "no indicado",
    date: "Fecha",
    milestone: "Hito",
    source: "Fuente",
    first_release_of: "Primera versión pública de {}",
    no_milestones: "No hay hitos en este periodo.",
    report: "Informe",
    thesis: "Tesis",
    book: "Libro",
    software: "Software",
    web_page: "Página web",
    documentation: "Documentación",
    document: "Documento",
    paper: "Artículo",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    day_month_year: "{day} de {month} de {year}",
    month_year: "{month} de {year}",
    first_of_month: "1",
    cited_in: "Citado en",
    references: "Referencias",
    no_works_cited: "No se cita ninguna obra.",
    error: "error",
    colon: ": ",
    full_stop: ".",
    list_separator: ", ",
};

/// Portuguese, in words common to Portugal and Brazil.
pub const PORTUGUESE: Words = Words {
    language: "pt",
    framework: "Framework",
    dimension: "Dimensão",
    note: "Nota",
    organisation: "Organização",
    first_release: "Primeira versão pública",
    languages: "Linguagens",
    licence: "Licença",
    status: "Estado",
    canonical_papers: "Artigos de referência",
    links: "Links",
    homepage: "página oficial",
    repository: "repositório",
    sources: "Fontes",
    version_note: " (versão {})",
    active: "ativo",
    maintenance: "em manutenção",
    discontinued: "descontinuado",
    not_recorded: "não indicado",
    date: "Data",
    milestone: "Marco",
    source: "Fonte",
    first_release_of: "Primeira versão pública de {}",
    no_milestones: "Nenhum marco neste período.",
    report: "Relatório",
    thesis: "Tese",
    book: "Livro",
    software: "Software",
    web_page: "Página web",
    documentation: "Documentação",
    document: "Documento",
    paper: "Artigo",
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    day_month_year: "{day} de {month} de {year}",
    month_year: "{month} de {year}",
    first_of_month: "1",
    cited_in: "Citado em",
    references: "Referências",
    no_works_cited: "Nenhuma obra citada.",
    error: "erro",
    colon: ": ",
    full_stop: ".",
    list_separator: ", ",
};

/// Chinese (Simplified).
pub const CHINESE: Words = Words {
    language: "zh",
    framework: "框架",
    dimension: "维度",
    note: "注",
    organisation: "机构",
    first_release: "首次公开发布",
    languages: "语言",
    licence: "许可证",
    status: "状态",
    canonical_papers: "代表性论文",
    links: "链接",
    homepage: "主页",
    repository: "代码仓库",
    sources: "来源",
    version_note: "（版本 {}）",
    active: "活跃",
    maintenance: "仅维护",
    discontinued: "已停止开发",
    not_recorded: "未记录",
    date: "日期",
    milestone: "里程碑",
    source: "来源",
    first_release_of: "{}首次公开发布",
    no_milestones: "此时间范围内没有里程碑。",
    report: "报告",
    thesis: "学位论文",
    book: "图书",
    software: "软件",
    web_page: "网页",
    documentation: "文档",
    document: "文件",
    paper: "论文",
    months: [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ],
    day_month_year: "{year}年{month}月{day}日",
    month_year: "{year}年{month}月",
    first_of_month: "1",
    cited_in: "引用于",
    references: "参考文献",
    no_works_cited: "未引用任何文献。",
    error: "错误",
    colon: "：",
    full_stop: "。",
    list_separator: "、",
};

/// Japanese.
pub const JAPANESE: Words = Words {
    language: "ja",
    framework: "フレームワーク",
    dimension: "観点",
    note: "注",
    organisation: "組織",
    first_release: "初公開",
    languages: "言語",
    licence: "ライセンス",
    status: "状態",
    canonical_papers: "主要論文",
    links: "リンク",
    homepage: "公式サイト",
    repository: "リポジトリ",
    sources: "出典",
    version_note: "（バージョン {}）",
    active: "開発中",
    maintenance: "保守のみ",
    discontinued: "開発終了",
    not_recorded: "記録なし",
    date: "日付",
    milestone: "マイルストーン",
    source: "出典",
    first_release_of: "{}の初公開",
    no_milestones: "この期間のマイルストーンはありません。",
    report: "報告書",
    thesis: "学位論文",
    book: "書籍",
    software: "ソフトウェア",
    web_page: "ウェブページ",
    documentation: "ドキュメント",
    document: "文書",
    paper: "論文",
    months: [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ],
    day_month_year: "{year}年{month}月{day}日",
    month_year: "{year}年{month}月",
    first_of_month: "1",
    cited_in: "引用箇所",
    references: "参考文献",
    no_works_cited: "引用文献はありません。",
    error: "エラー",
    colon: "：",
    full_stop: "。",
    list_separator: "、",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Fields that only carry punctuation or word order: checked to be non-empty.
    const FORMS: &[&str] = &[
        "day_month_year",
        "month_year",
        "first_of_month",
        "colon",
        "full_stop",
        "list_separator",
        "version_note",
    ];

    /// Each table is complete, and translates every word except those the
    /// language writes as English does (loanwords, cognates).
    fn check(words: &Words, same_as_english: &[&str]) {
        assert_eq!(Words::for_language(words.language), Some(words));
        for ((name, word), (_, english)) in words.fields().into_iter().zip(ENGLISH.fields()) {
            assert!(
                !word.trim().is_empty(),
                "{}: `{name}` is empty",
                words.language
            );
            if name == "language" || FORMS.contains(&name) {
                continue;
            }
            let same = word == english;
            assert_eq!(
                same,
                same_as_english.contains(&name),
                "{}: `{name}` is `{word}`",
                words.language
            );
        }
        for template in [words.version_note, words.first_release_of] {
            assert_eq!(template.matches("{}").count(), 1, "{template}");
        }
        for template in [words.day_month_year, words.month_year] {
            assert!(template.contains("{month}") && template.contains("{year}"));
        }
        assert!(words.day_month_year.contains("{day}"));
        assert!(words.months.iter().all(|m| !m.is_empty()));
        if words.language != "en" {
            assert_ne!(words.months, ENGLISH.months, "{}", words.language);
        }
    }

    #[test]
    fn english_is_complete() {
        let all: Vec<&str> = ENGLISH.fields().iter().map(|(n, _)| *n).collect();
        check(&ENGLISH, &all);
    }

    #[test]
    fn german_is_complete() {
        check(
            &GERMAN,
            &[
                "framework",
                "dimension",
                "organisation",
                "status",
                "links",
                "software",
            ],
        );
    }

    #[test]
    fn french_is_complete() {
        check(
            &FRENCH,
            &[
                "framework",
                "dimension",
                "organisation",
                "licence",
                "sources",
                "date",
                "source",
                "documentation",
                "document",
            ],
        );
    }

    #[test]
    fn spanish_is_complete() {
        check(&SPANISH, &["framework", "software", "error"]);
    }

    #[test]
    fn portuguese_is_complete() {
        check(&PORTUGUESE, &["framework", "links", "software"]);
    }

    #[test]
    fn chinese_is_complete() {
        check(&CHINESE, &[]);
    }

    #[test]
    fn japanese_is_complete() {
        check(&JAPANESE, &[]);
    }

    #[test]
    fn tables_are_chosen_by_primary_subtag() {
        for language in LANGUAGES {
            assert_eq!(Words::for_language(language).unwrap().language, *language);
        }
        assert_eq!(Words::for_language("de-AT"), Some(&GERMAN));
        assert_eq!(Words::for_language("PT-br"), Some(&PORTUGUESE));
        assert_eq!(Words::for_language("zh-Hans-CN"), Some(&CHINESE));
        for none in ["zh-TW", "zh-Hant", "it", "", "english"] {
            assert_eq!(Words::for_language(none), None, "{none}");
        }
    }

    #[test]
    fn dates_follow_each_language() {
        let date = |year, month, day| PartialDate { year, month, day };
        let cases = [
            (&ENGLISH, "2 March 2017", "March 2017"),
            (&GERMAN, "2. März 2017", "März 2017"),
            (&FRENCH, "2 mars 2017", "mars 2017"),
            (&SPANISH, "2 de marzo de 2017", "marzo de 2017"),
            (&PORTUGUESE, "2 de março de 2017", "março de 2017"),
            (&CHINESE, "2017年3月2日", "2017年3月"),
            (&JAPANESE, "2017年3月2日", "2017年3月"),
        ];
        for (words, full, month) in cases {
            assert_eq!(words.date(&date(2017, Some(3), Some(2))), full);
            assert_eq!(words.date(&date(2017, Some(3), None)), month);
            assert_eq!(words.date(&date(2017, None, None)), "2017");
        }
        assert_eq!(FRENCH.date(&date(2017, Some(3), Some(1))), "1er mars 2017");
        assert_eq!(
            ENGLISH.date(&date(2017, Some(3), Some(2))),
            date(2017, Some(3), Some(2)).to_string(),
            "English dates read as the model writes them"
        );
    }

    #[test]
    fn templates_take_their_value_once() {
        assert_eq!(Words::fill(JAPANESE.first_release_of, "JAX"), "JAXの初公開");
        assert_eq!(Words::fill(ENGLISH.version_note, "{}"), " (version {})");
        assert_eq!(GERMAN.work_kind("Thesis"), "Abschlussarbeit");
        assert_eq!(GERMAN.work_kind("Preprint"), "Preprint");
    }
}
