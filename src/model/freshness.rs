//! How recently the facts of a model were checked against their sources: the
//! facts not checked within some number of days (`check --stale DAYS`), and
//! open-ended claims (`versions = ">=2"`) whose check is old enough that newer
//! releases may have changed them (a note under `--verbose`).

use super::types::{Checked, DataPosition, Day};
use super::{FactField, Model};
use crate::diagnostics::Diagnostic;

/// After this many days, an open-ended claim gets a note under `--verbose`.
pub const OPEN_ENDED_RECHECK_DAYS: i64 = 180;

/// One fact, or several fields of one framework sharing a check, whose last
/// check is older than a cutoff or unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFact {
    /// The `checked` value, or the fact itself when it has no check date.
    pub at: DataPosition,
    /// "claim `pytorch` × `debugging`" or "framework `keras`: organisation, languages".
    pub subject: String,
    /// The day of the last check; `None` when the data gives none.
    pub checked: Option<Day>,
    /// Days from the check to today.
    pub age: Option<i64>,
}

impl StaleFact {
    /// The fact as a located warning.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let message = match (self.checked, self.age) {
            (Some(day), Some(age)) => format!(
                "{} last checked {day} ({age} day{} ago)",
                self.subject,
                if age == 1 { "" } else { "s" }
            ),
            _ => format!("{}: no check date", self.subject),
        };
        Diagnostic::error_at_line_col(&self.at.file, self.at.line, self.at.col, message)
            .into_warning()
    }
}

fn claim_subject(claim: &super::Claim) -> String {
    match &claim.versions {
        Some(range) => format!(
            "claim `{}` × `{}` ({range})",
            claim.framework, claim.dimension
        ),
        None => format!("claim `{}` × `{}`", claim.framework, claim.dimension),
    }
}

impl Model {
    /// The facts not checked within `days` days of `today` (a fact with no check
    /// date counts as stale): framework fields first, in data order (the fields
    /// of a record that share one check are one entry), then claims.
    pub fn stale_facts(&self, today: Day, days: i64) -> Vec<StaleFact> {
        let is_stale = |checked: &Option<Checked>| {
            checked
                .as_ref()
                .is_none_or(|c| c.day.days_until(today) > days)
        };
        let age = |checked: &Option<Checked>| checked.as_ref().map(|c| c.day.days_until(today));
        let mut stale = Vec::new();
        for framework in self.frameworks() {
            // Group the fields by the check they share (`None`: no check date).
            let mut groups: Vec<(Option<Checked>, DataPosition, Vec<FactField>)> = Vec::new();
            for (field, provenance) in &framework.provenance {
                if !is_stale(&provenance.checked) {
                    continue;
                }
                match groups.iter_mut().find(|(c, _, _)| *c == provenance.checked) {
                    Some((_, _, fields)) => fields.push(*field),
                    None => {
                        let at = provenance
                            .checked
                            .as_ref()
                            .map_or_else(|| provenance.at.clone(), |c| c.at.clone());
                        groups.push((provenance.checked.clone(), at, vec![*field]));
                    }
                }
            }
            for (checked, at, fields) in groups {
                let names: Vec<&str> = fields.iter().map(|f| f.key()).collect();
                stale.push(StaleFact {
                    at,
                    subject: format!("framework `{}`: {}", framework.id, names.join(", ")),
                    checked: checked.as_ref().map(|c| c.day),
                    age: age(&checked),
                });
            }
        }
        for claim in self.claims() {
            if is_stale(&claim.checked) {
                stale.push(StaleFact {
                    at: claim
                        .checked
                        .as_ref()
                        .map_or_else(|| claim.at.clone(), |c| c.at.clone()),
                    subject: claim_subject(claim),
                    checked: claim.checked.as_ref().map(|c| c.day),
                    age: age(&claim.checked),
                });
            }
        }
        stale
    }

    /// Notes on the open-ended claims (`versions = ">=2"`) last checked more than
    /// [`OPEN_ENDED_RECHECK_DAYS`] days before `today`: they speak for releases
    /// made after the check. Each is `file:line:col: note: ...`.
    pub fn open_ended_notes(&self, today: Day) -> Vec<String> {
        self.claims()
            .iter()
            .filter(|claim| claim.is_open_ended())
            .filter_map(|claim| {
                let checked = claim.checked.as_ref()?;
                let age = checked.day.days_until(today);
                (age > OPEN_ENDED_RECHECK_DAYS).then(|| {
                    format!(
                        "{}: note: {} is open-ended and last checked {} ({age} days ago); recheck against the latest release",
                        checked.at,
                        claim_subject(claim),
                        checked.day
                    )
                })
            })
            .collect()
    }
}
