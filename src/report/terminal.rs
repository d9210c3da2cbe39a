//! The gaps table as printed on a terminal: aligned columns, severity in colour only when
//! stdout is a terminal and `NO_COLOR` is not set.

use crate::gaps::{Gap, Verdict};
use crate::units::Units;
use std::io::IsTerminal;

/// Whether to colour output written to stdout.
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn paint(text: &str, severity: Verdict, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match severity {
        Verdict::Ok => "32",
        Verdict::Short => "33",
        Verdict::Missing => "31",
        // Grey: not judged.
        Verdict::Unknown | Verdict::NotForThisRace => "90",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The table and, under it, detail and advice for every dimension that falls short.
pub fn gaps_table(gaps: &[Gap], colour: bool, u: Units) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<26} {:>10} {:>10} {:>10} {:>6}  {}\n",
        "dimension", "race needs", "best", "recent", "ratio", "status"
    ));
    for g in gaps.iter().filter(|g| g.verdict != Verdict::NotForThisRace) {
        let ratio = g
            .ratio
            .map(|r| format!("{:.0}%", r * 100.0))
            .unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{:<26} {:>10} {:>10} {:>10} {:>6}  {}\n",
            g.title,
            if g.verdict == Verdict::Unknown && g.demand == 0.0 {
                "-".into()
            } else {
                g.format(g.demand, u)
            },
            g.best.map(|b| g.format(b, u)).unwrap_or_else(|| "-".into()),
            g.recent
                .map(|b| g.format(b, u))
                .unwrap_or_else(|| "-".into()),
            ratio,
            paint(g.verdict.name(), g.verdict, colour)
        ));
    }
    let not_for: Vec<&str> = gaps
        .iter()
        .filter(|g| g.verdict == Verdict::NotForThisRace)
        .map(|g| g.title)
        .collect();
    if !not_for.is_empty() {
        out.push_str(&paint(
            &format!("Not for this race: {}\n", not_for.join(", ")),
            Verdict::NotForThisRace,
            colour,
        ));
    }
    let sections = [
        (
            "Where training falls short:",
            Verdict::falls_short as fn(Verdict) -> bool,
        ),
        ("What the data cannot tell:", |v| v == Verdict::Unknown),
    ];
    for (heading, wanted) in sections {
        let rows: Vec<&Gap> = gaps.iter().filter(|g| wanted(g.verdict)).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for g in rows {
            out.push_str(&format!(
                "- {} ({}): {}.\n  {}\n",
                g.title,
                paint(g.verdict.name(), g.verdict, colour),
                g.detail,
                g.advice
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(sev: Verdict) -> Gap {
        Gap {
            dimension: crate::gaps::Dimension::Distance,
            title: "Longest run",
            demand: 31.6,
            best: Some(20.0),
            recent: None,
            unit: crate::gaps::Unit::Km,
            ratio: Some(20.0 / 31.6),
            verdict: sev,
            detail: "longest run 20 km".into(),
            advice: "Run longer.".into(),
        }
    }

    #[test]
    fn plain_without_colour_and_coloured_with() {
        let t = gaps_table(&[gap(Verdict::Short)], false, Units::Metric);
        assert!(t.contains("Longest run"));
        assert!(t.contains("31.6 km"));
        assert!(t.contains("63%"));
        assert!(t.contains("- Longest run (short): longest run 20 km.\n  Run longer."));
        assert!(!t.contains('\x1b'));
        assert!(
            gaps_table(&[gap(Verdict::Missing)], true, Units::Metric).contains("\x1b[31mmissing")
        );
        assert!(!gaps_table(&[gap(Verdict::Ok)], false, Units::Metric).contains("falls short"));
        // The numbers follow the units; the row's own text is the rule's.
        let t = gaps_table(&[gap(Verdict::Short)], false, Units::Imperial);
        assert!(t.contains("19.6 mi") && !t.contains("31.6 km"), "{t}");
    }
}
