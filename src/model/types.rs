//! The validated data model: frameworks, dimensions of comparison, sourced claims,
//! citable works and timeline events. Values of these types have passed validation
//! (see `load`), so every id they hold resolves inside the same [`Model`]. Works
//! are bibliographic entries, in `works`.

use std::fmt;
use std::path::PathBuf;

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
    /// In English ("2 March 2017"); pages use the book's language through
    /// [`crate::words::Words::date`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::words::Words::english().date(self))
    }
}

/// A calendar day (`YYYY-MM-DD`), e.g. the day a fact was last checked against
/// its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Calendar year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

/// The environment variable that replaces today's date, for tests and for
/// reproducing a report (`MDBOOK_FRAMEWORKS_TODAY=2027-06-01`).
pub const TODAY_VARIABLE: &str = "MDBOOK_FRAMEWORKS_TODAY";

impl Day {
    /// Parses exactly `YYYY-MM-DD`, checking the calendar.
    pub fn parse(text: &str) -> Option<Self> {
        match PartialDate::parse(text)? {
            PartialDate {
                year,
                month: Some(month),
                day: Some(day),
            } => Some(Day { year, month, day }),
            _ => None,
        }
    }

    /// Today (UTC), or the date in [`TODAY_VARIABLE`] when it is set; an error
    /// names the variable when its value is not a date.
    pub fn today() -> Result<Self, String> {
        match std::env::var(TODAY_VARIABLE) {
            Ok(text) => Day::parse(text.trim()).ok_or_else(|| {
                format!("{TODAY_VARIABLE}=`{text}` is not a date; write YYYY-MM-DD")
            }),
            Err(_) => {
                let seconds = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                Ok(Day::from_days(i64::try_from(seconds / 86_400).unwrap_or(0)))
            }
        }
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Self {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        later.days() - self.days()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A place in a data file, kept after loading so that reports about a record
/// (a stale fact, an override) can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataPosition {
    /// The file as the book names it, or `<built-in data>/builtin.toml`.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl fmt::Display for DataPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// When a fact was last checked against its sources, and where the data says so.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checked {
    /// The day of the check.
    pub day: Day,
    /// Where the `checked` value is written.
    pub at: DataPosition,
}

/// The fields of a framework record that are facts: each may carry its own
/// sources and check date (`first-release = { value = "2017-01", sources = [...] }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FactField {
    /// `organisation`
    Organisation,
    /// `first-release`
    FirstRelease,
    /// `first-release-version`
    FirstReleaseVersion,
    /// `languages`
    Languages,
    /// `license`
    License,
    /// `status`
    Status,
    /// `status-note`
    StatusNote,
    /// `summary`
    Summary,
}

impl FactField {
    /// Every fact field, in the order of the schema.
    pub const ALL: [FactField; 8] = [
        FactField::Organisation,
        FactField::FirstRelease,
        FactField::FirstReleaseVersion,
        FactField::Languages,
        FactField::License,
        FactField::Status,
        FactField::StatusNote,
        FactField::Summary,
    ];

    /// The key as written in data (`first-release`).
    pub fn key(self) -> &'static str {
        match self {
            FactField::Organisation => "organisation",
            FactField::FirstRelease => "first-release",
            FactField::FirstReleaseVersion => "first-release-version",
            FactField::Languages => "languages",
            FactField::License => "license",
            FactField::Status => "status",
            FactField::StatusNote => "status-note",
            FactField::Summary => "summary",
        }
    }
}

/// What supports one fact field of a framework.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProvenance {
    /// The field's own sources, or the record's `sources` when it has none; never empty.
    pub sources: Vec<Source>,
    /// Whether `sources` are the field's own rather than the record's.
    pub own_sources: bool,
    /// The field's check, else the record's; `None` when neither says.
    pub checked: Option<Checked>,
    /// Where the field's value is written.
    pub at: DataPosition,
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
    /// The record's sources: those of every fact field without sources of its own,
    /// and of `name`, `homepage` and `repository`; may be empty when every fact
    /// field has its own.
    pub sources: Vec<Source>,
    /// The sources and check of each fact field present, in [`FactField::ALL`] order.
    pub provenance: Vec<(FactField, FieldProvenance)>,
}

impl Framework {
    /// The sources and check of a fact field; `None` for an absent optional field.
    pub fn provenance(&self, field: FactField) -> Option<&FieldProvenance> {
        self.provenance
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p)
    }

    /// The sources of a fact field, or the record's for an absent one.
    pub fn sources_of(&self, field: FactField) -> &[Source] {
        self.provenance(field).map_or(&self.sources, |p| &p.sources)
    }
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
    /// When the claim was last checked against its sources.
    pub checked: Option<Checked>,
    /// Where the claim is written (its `framework` value).
    pub at: DataPosition,
}

impl Claim {
    /// Whether the claim's version range has no upper bound (`>=2`): it speaks
    /// for releases that did not exist when it was checked.
    pub fn is_open_ended(&self) -> bool {
        use semver::Op;
        self.versions.as_ref().is_some_and(|req| {
            !req.comparators.is_empty()
                && req
                    .comparators
                    .iter()
                    .all(|c| matches!(c.op, Op::Greater | Op::GreaterEq))
        })
    }
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
