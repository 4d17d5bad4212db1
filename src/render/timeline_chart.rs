//! The SVG writer behind `{{#timeline chart}}`: years on an axis, one lane per
//! framework, a mark per entry. The chart is drawn by the tool, inline in the page,
//! so it works offline and in print.html; it uses `currentColor` and mdBook's
//! theme variables, so it follows every theme. Accessible: the figure has a
//! `<title>` and `<desc>`, lanes and years are text, and each mark has a `<title>`
//! with its date and label (the table that follows it holds the same entries with
//! their sources).

use crate::model::PartialDate;

/// What an entry is, drawn as a different mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A first public release: a filled circle.
    Release,
    /// A canonical paper: a square.
    Paper,
    /// Any other milestone: a ring.
    Milestone,
}

/// One mark.
pub(super) struct Mark<'a> {
    pub date: PartialDate,
    /// The lane's name (a framework), or `None` for the lane of general events.
    pub lane: Option<&'a str>,
    pub kind: Kind,
    /// The entry's label as Markdown (made plain here).
    pub label: &'a str,
}

const WIDTH: f64 = 720.0;
const LEFT: f64 = 110.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 34.0;
const LANE: f64 = 30.0;
const AXIS: f64 = 34.0;

/// The chart as one HTML block (no blank line inside, so Markdown leaves it
/// whole), or `None` when there is nothing to draw.
pub(super) fn figure(title: &str, lanes: &[&str], marks: &[Mark<'_>]) -> Option<String> {
    let first = marks.iter().map(|m| m.date.year).min()?;
    let last = marks.iter().map(|m| m.date.year).max()? + 1;
    let mut lanes: Vec<Option<&str>> = lanes.iter().map(|l| Some(*l)).collect();
    if marks.iter().any(|m| m.lane.is_none()) {
        lanes.push(None);
    }
    let height = TOP + LANE * lanes.len() as f64 + AXIS;
    let span = f64::from(last - first).max(1.0);
    let x = |date: &PartialDate| {
        // A date known to the year only sits mid-year; to the month, mid-month.
        let fraction = match (date.month, date.day) {
            (Some(m), Some(d)) => (f64::from(m) - 1.0 + (f64::from(d) - 0.5) / 31.0) / 12.0,
            (Some(m), None) => (f64::from(m) - 0.5) / 12.0,
            _ => 0.5,
        };
        LEFT + (f64::from(date.year - first) + fraction) / span * (WIDTH - LEFT - RIGHT)
    };
    let year_x = |year: i32| LEFT + f64::from(year - first) / span * (WIDTH - LEFT - RIGHT);
    let lane_y = |i: usize| TOP + LANE * i as f64 + LANE / 2.0;

    let mut svg = String::new();
    svg.push_str(&format!(
        "<figure class=\"mdbook-frameworks-chart\"><svg viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\" fill=\"currentColor\">",
        id = chart_id(title, marks.len()),
    ));
    svg.push_str(&format!(
        "<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{} entries from {first} to {}, one lane per framework; the table below lists them with their sources.</desc>",
        xml(title),
        marks.len(),
        last - 1,
        id = chart_id(title, marks.len()),
    ));
    // Legend.
    let legend = [
        (Kind::Release, "first release"),
        (Kind::Paper, "paper"),
        (Kind::Milestone, "milestone"),
    ];
    let mut lx = LEFT;
    for (kind, name) in legend {
        svg.push_str(&mark_shape(kind, lx + 5.0, 14.0));
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"18\">{name}</text>",
            lx + 14.0
        ));
        lx += 110.0;
    }
    // Year grid and axis.
    let axis_y = TOP + LANE * lanes.len() as f64;
    let step = if span > 24.0 {
        5
    } else if span > 12.0 {
        2
    } else {
        1
    };
    for year in first..=last {
        let gx = year_x(year);
        svg.push_str(&format!(
            "<line x1=\"{gx:.1}\" y1=\"{TOP}\" x2=\"{gx:.1}\" y2=\"{axis_y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/>"
        ));
        if year < last && (year - first) % step == 0 {
            let cx = (gx + year_x(year + 1)) / 2.0;
            svg.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
                axis_y + 18.0
            ));
        }
    }
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"currentColor\"/>",
        WIDTH - RIGHT
    ));
    // Lanes, then their marks.
    for (i, lane) in lanes.iter().enumerate() {
        let y = lane_y(i);
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>",
            LEFT - 8.0,
            y + 4.0,
            xml(lane.unwrap_or("Other"))
        ));
        let in_lane: Vec<&Mark<'_>> = marks.iter().filter(|m| m.lane == *lane).collect();
        if let Some(start) = in_lane
            .iter()
            .filter(|m| m.kind == Kind::Release)
            .map(|m| x(&m.date))
            .reduce(f64::min)
        {
            svg.push_str(&format!(
                "<line x1=\"{start:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"var(--links, currentColor)\" stroke-width=\"3\" stroke-opacity=\"0.35\"/>",
                WIDTH - RIGHT
            ));
        }
        // Papers sit just above the lane, and releases are drawn last, so that a
        // release and a paper of the same month (TensorFlow's) both show.
        let mut in_lane = in_lane;
        in_lane.sort_by_key(|m| match m.kind {
            Kind::Milestone => 0,
            Kind::Paper => 1,
            Kind::Release => 2,
        });
        for mark in in_lane {
            let my = if mark.kind == Kind::Paper { y - 8.0 } else { y };
            svg.push_str(&format!(
                "<g class=\"mark\"><title>{}: {}</title>{}</g>",
                xml(&mark.date.to_string()),
                xml(&plain(mark.label)),
                mark_shape(mark.kind, x(&mark.date), my)
            ));
        }
    }
    svg.push_str("</svg></figure>");
    Some(svg)
}

fn mark_shape(kind: Kind, x: f64, y: f64) -> String {
    match kind {
        Kind::Release => format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\" fill=\"var(--links, currentColor)\" stroke=\"var(--bg, transparent)\"/>"
        ),
        Kind::Paper => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"currentColor\" stroke=\"var(--bg, transparent)\"/>",
            x - 5.0,
            y - 5.0
        ),
        Kind::Milestone => format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"var(--bg, white)\" stroke=\"currentColor\" stroke-width=\"2\"/>"
        ),
    }
}

/// An id for the chart's title, unique enough within a page holding several charts.
fn chart_id(title: &str, n: usize) -> String {
    let slug: String = title
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    format!("timeline-chart-{slug}-{n}")
}

/// A label's Markdown as plain text: emphasis marks and backslash escapes dropped.
fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut escaped = false;
    for c in markdown.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '*' | '_' | '`' if !escaped => {}
            c => {
                out.push(c);
                escaped = false;
            }
        }
    }
    out
}

/// Text for SVG (XML) content and attributes.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: Option<u8>) -> PartialDate {
        PartialDate {
            year,
            month,
            day: None,
        }
    }

    #[test]
    fn one_lane_per_framework_with_text_labels_and_titles() {
        let marks = [
            Mark {
                date: date(2015, Some(11)),
                lane: Some("TensorFlow"),
                kind: Kind::Release,
                label: "First public release of TensorFlow",
            },
            Mark {
                date: date(2019, None),
                lane: Some("PyTorch"),
                kind: Kind::Paper,
                label: "Paper: *PyTorch & <friends>*",
            },
            Mark {
                date: date(2017, Some(9)),
                lane: None,
                kind: Kind::Milestone,
                label: "An event",
            },
        ];
        let svg = figure("Timeline", &["PyTorch", "TensorFlow"], &marks).unwrap();
        assert!(!svg.contains("\n\n"), "one HTML block");
        assert!(svg.starts_with("<figure class=\"mdbook-frameworks-chart\"><svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"timeline-chart-timeline-3-t\">Timeline</title>"));
        for lane in ["PyTorch", "TensorFlow", "Other"] {
            assert!(svg.contains(&format!(">{lane}</text>")), "{lane}");
        }
        for year in 2015..=2019 {
            assert!(svg.contains(&format!(">{year}</text>")), "{year}");
        }
        assert!(svg.contains("<title>2019: Paper: PyTorch &amp; &lt;friends&gt;</title>"));
        assert!(svg.contains("<title>November 2015: First public release of TensorFlow</title>"));
        assert!(
            !svg.contains("#000") && !svg.contains("black"),
            "theme colours only"
        );
        assert_eq!(figure("T", &[], &[]), None);
    }

    #[test]
    fn later_dates_are_further_right() {
        let at = |month| {
            let svg = figure(
                "T",
                &["A"],
                &[
                    Mark {
                        date: date(2010, None),
                        lane: Some("A"),
                        kind: Kind::Milestone,
                        label: "start",
                    },
                    Mark {
                        date: date(2012, month),
                        lane: Some("A"),
                        kind: Kind::Paper,
                        label: "x",
                    },
                ],
            )
            .unwrap();
            // The paper mark (the legend draws one first).
            let rect = &svg[svg.find("</title><rect x=\"").unwrap() + 17..];
            rect[..rect.find('"').unwrap()].parse::<f64>().unwrap()
        };
        assert!(at(Some(1)) < at(Some(6)) && at(Some(6)) < at(Some(12)));
    }
}
