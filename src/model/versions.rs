//! Whether two semver requirements can hold for a common version.
//!
//! Claims carry the framework versions they hold for (`<2`), and tables pin a
//! column to versions (`tensorflow@1`); a claim belongs in the column when the two
//! ranges overlap. The `semver` crate matches versions, not ranges, so each
//! requirement is turned into a half-open interval here. Pre-releases are ignored.

use semver::{Comparator, Op, VersionReq};

type Triple = (u64, u64, u64);

/// `[low, high)`; `high == None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    low: Triple,
    high: Option<Triple>,
}

/// Parses a version pin: a bare version means that version and its patches
/// (`1` is 1.x, `1.4` is 1.4.x); an operator gives a range (`>=2.4`).
pub fn parse_pin(text: &str) -> Result<VersionReq, String> {
    let written = match text.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("={text}"),
        Some('<' | '>' | '=' | '~' | '^') => text.to_owned(),
        _ => {
            return Err(
                "expected a version such as `1` or `1.15`, or a range such as `>=2.4`".into(),
            );
        }
    };
    VersionReq::parse(&written).map_err(|e| e.to_string())
}

/// True when some version satisfies both requirements.
pub fn overlaps(a: &VersionReq, b: &VersionReq) -> bool {
    let (x, y) = (interval(a), interval(b));
    let low = x.low.max(y.low);
    match (x.high, y.high) {
        (None, None) => true,
        (Some(h), None) | (None, Some(h)) => low < h,
        (Some(h1), Some(h2)) => low < h1.min(h2),
    }
}

fn interval(req: &VersionReq) -> Interval {
    req.comparators.iter().map(comparator).fold(
        Interval {
            low: (0, 0, 0),
            high: None,
        },
        |acc, c| Interval {
            low: acc.low.max(c.low),
            high: match (acc.high, c.high) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        },
    )
}

fn comparator(c: &Comparator) -> Interval {
    let (major, minor, patch) = (c.major, c.minor, c.patch);
    let floor = (major, minor.unwrap_or(0), patch.unwrap_or(0));
    // The first version after every version the written prefix covers.
    let after_prefix = match (minor, patch) {
        (None, _) => (major + 1, 0, 0),
        (Some(m), None) => (major, m + 1, 0),
        (Some(m), Some(p)) => (major, m, p + 1),
    };
    let at_least = |low| Interval { low, high: None };
    let below = |high| Interval {
        low: (0, 0, 0),
        high: Some(high),
    };
    match c.op {
        Op::Exact | Op::Wildcard => Interval {
            low: floor,
            high: Some(after_prefix),
        },
        Op::Greater => at_least(after_prefix),
        Op::GreaterEq => at_least(floor),
        Op::Less => below(floor),
        Op::LessEq => below(after_prefix),
        Op::Tilde => Interval {
            low: floor,
            high: Some(if minor.is_some() {
                (major, minor.unwrap_or(0) + 1, 0)
            } else {
                (major + 1, 0, 0)
            }),
        },
        Op::Caret => {
            let high = match (major, minor, patch) {
                (0, Some(0), Some(p)) => (0, 0, p + 1),
                (0, Some(0), None) => (0, 1, 0),
                (0, Some(m), _) => (0, m + 1, 0),
                _ => (major + 1, 0, 0),
            };
            Interval {
                low: floor,
                high: Some(high),
            }
        }
        _ => Interval {
            low: (0, 0, 0),
            high: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: &str, b: &str) -> bool {
        overlaps(
            &VersionReq::parse(a).unwrap(),
            &VersionReq::parse(b).unwrap(),
        )
    }

    #[test]
    fn major_pins_select_the_matching_claims() {
        let pin = |text: &str, range: &str| {
            overlaps(
                &parse_pin(text).unwrap(),
                &VersionReq::parse(range).unwrap(),
            )
        };
        assert!(pin("1", "<2"));
        assert!(!pin("1", ">=2"));
        assert!(pin("2", ">=2"));
        assert!(!pin("2", "<2"));
        assert!(pin("2.16", ">=2, <3"));
        assert!(pin("1.15", ">=1.5, <2"));
        assert!(!pin("1.4", ">=1.5, <2"));
        assert!(pin(">=1.4", ">=1.5, <2"));
        assert!(check("*", "<2"));
        assert!(parse_pin("x").is_err());
    }

    #[test]
    fn operators_at_their_edges() {
        assert!(!check("<=1.2", ">=1.3"));
        assert!(check("<=1.2", ">=1.2.9"));
        assert!(!check(">1", "<2"));
        assert!(check("~1.2", "=1.2.7"));
        assert!(!check("^0.2", ">=0.3"));
        assert!(check("=1.2.3", "<=1.2.3"));
        assert!(!check("=1.2.3", "<1.2.3"));
    }
}
