//! The validated data model: frameworks, dimensions of comparison, sourced claims,
//! citable works and timeline events. Values of these types have passed validation
//! (see `load`), so every id they hold resolves inside the same [`Model`]. Works
//! are bibliographic entries, in `works`.

use std::fmt;

/// A date as precise as its source: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Calendar year.
    pub year: i32,
    /// Month, 1–12, when the source gives it.
    pub month: Option<u8>,
    /// Day of the month, when the source gives it.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let year_text = parts.next()?;
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_text.parse().ok()?;
        let mut two_digits = |max: u8| -> Option<Option<u8>> {
            match parts.next() {
                None => Some(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    let n: u8 = p.parse().ok()?;
                    (1..=max).contains(&n).then_some(Some(n))
                }
                Some(_) => None,
            }
        };
        let month = two_digits(12)?;
        let day = two_digits(31)?;
        if parts.next().is_some() || (month.is_none() && day.is_some()) {
            return None;
        }
        if let (Some(m), Some(d)) = (month, day)
            && d > days_in_month(year, m)
        {
            return None;
        }
        Some(PartialDate { year, month, day })
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MONTHS: [&str; 12] = [
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
        ];
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{} {} {}", d, MONTHS[usize::from(m - 1)], self.year),
            (Some(m), None) => write!(f, "{} {}", MONTHS[usize::from(m - 1)], self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

/// Where inside a work a claim can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Locator {
    /// A page or page range, e.g. `8026` or `8024–8035`.
    Page(String),
    /// A section number or name, e.g. `4.2`.
    Section(String),
    /// A chapter number or name.
    Chapter(String),
}

impl Locator {
    /// The kind's name as written in data and directives (`page`, `section`, `chapter`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Locator::Page(_) => "page",
            Locator::Section(_) => "section",
            Locator::Chapter(_) => "chapter",
        }
    }

    /// The locator's value, e.g. `8026`.
    pub fn value(&self) -> &str {
        match self {
            Locator::Page(v) | Locator::Section(v) | Locator::Chapter(v) => v,
        }
    }

    /// Builds a locator from its kind's name; `None` for an unknown kind.
    pub fn from_kind(kind: &str, value: String) -> Option<Self> {
        match kind {
            "page" => Some(Locator::Page(value)),
            "section" => Some(Locator::Section(value)),
            "chapter" => Some(Locator::Chapter(value)),
            _ => None,
        }
    }
}

/// A reference to a citable work, optionally to a place inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    /// Key of a [`Work`](super::Work) in the same model.
    pub work: String,
    /// Page, section or chapter inside the work.
    pub locator: Option<Locator>,
}

/// Whether a framework is still developed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Under active development.
    Active,
    /// Receives fixes but no new features.
    Maintenance,
    /// No longer developed by its original maintainers.
    Discontinued,
}

impl Status {
    /// The status as written in data (`active`, `maintenance`, `discontinued`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Maintenance => "maintenance",
            Status::Discontinued => "discontinued",
        }
    }
}

/// A system under comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    /// Stable id, e.g. `pytorch`.
    pub id: String,
    /// Display name, e.g. `PyTorch`.
    pub name: String,
    /// Creator or maintainer.
    pub organisation: String,
    /// Date of the first public release.
    pub first_release: PartialDate,
    /// Version tag of the first public release.
    pub first_release_version: Option<String>,
    /// Core implementation and API languages.
    pub languages: Vec<String>,
    /// SPDX licence id.
    pub license: String,
    /// Development status.
    pub status: Status,
    /// One Markdown sentence on the status.
    pub status_note: Option<String>,
    /// One Markdown sentence describing the system.
    pub summary: Option<String>,
    /// Keys of its canonical papers.
    pub papers: Vec<String>,
    /// Project homepage.
    pub homepage: Option<String>,
    /// Source repository.
    pub repository: Option<String>,
    /// Where the facts of this record were checked.
    pub sources: Vec<Source>,
}

/// An axis along which frameworks are compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Stable id, e.g. `execution-model`.
    pub id: String,
    /// Row or column heading, e.g. `Execution model`.
    pub label: String,
    /// One Markdown sentence.
    pub description: String,
    /// Free-form group, e.g. `study`.
    pub group: String,
    /// Whether the dimension is in the default comparison table.
    pub default: bool,
}

/// What one framework is, along one dimension, according to its sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Framework id.
    pub framework: String,
    /// Dimension id.
    pub dimension: String,
    /// Short Markdown value.
    pub value: String,
    /// Framework versions the claim holds for; `None` means all.
    pub versions: Option<semver::VersionReq>,
    /// Markdown note, e.g. where sources disagree.
    pub note: Option<String>,
    /// At least one source.
    pub sources: Vec<Source>,
}

/// A milestone on the timeline that is not a first release or a paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When it happened.
    pub date: PartialDate,
    /// The framework it concerns, if any.
    pub framework: Option<String>,
    /// One Markdown sentence.
    pub label: String,
    /// Where it can be checked.
    pub sources: Vec<Source>,
}
