//! The gaps table as printed on a terminal: aligned columns, severity in colour only when
//! stdout is a terminal and `NO_COLOR` is not set.

use crate::error::shown;
use crate::gaps::{table_order, Gap, Verdict, FIX_FIRST_MAX};
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

/// What to fix first (ranked for the race's kind, each with its action, the numbers
/// behind it and the run to build on), then the table of every row (unknown ones and those
/// not for this race last, in grey), then what the data cannot tell.
pub fn gaps_table(gaps: &[Gap], first: &[&Gap], colour: bool, u: Units) -> String {
    let mut out = String::new();
    if !first.is_empty() {
        out.push_str("Fix these first:\n");
        for (i, g) in first.iter().enumerate() {
            if i >= FIX_FIRST_MAX {
                // The rest, one line each: their numbers are in the table below.
                if i == FIX_FIRST_MAX {
                    out.push_str("Also short:\n");
                }
                out.push_str(&format!(
                    "{}. {} ({}): {}\n",
                    i + 1,
                    g.title,
                    paint(g.verdict.name(), g.verdict, colour),
                    g.advice
                ));
                continue;
            }
            out.push_str(&format!(
                "{}. {} ({}): {}\n   {}.{}\n",
                i + 1,
                g.title,
                paint(g.verdict.name(), g.verdict, colour),
                g.advice,
                g.detail,
                g.best_run
                    .as_ref()
                    .map(|r| format!(
                        " Build on your run of {} ({}).",
                        r.date,
                        shown(r.file_name())
                    ))
                    .unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{:<26} {:>10} {:>10} {:>10} {:>6}  {}\n",
        "dimension", "race needs", "best", "recent", "ratio", "status"
    ));
    let rows = table_order(gaps);
    for g in rows.iter().filter(|g| g.verdict != Verdict::NotForThisRace) {
        let ratio = g
            .ratio
            // Floored, so a share just under a threshold never reads as the threshold
            // (59.9 % is "59%" and missing, not "60%").
            .map(|r| format!("{:.0}%", (r * 100.0 + 1e-9).floor()))
            .unwrap_or_else(|| "-".into());
        let line = format!(
            "{:<26} {:>10} {:>10} {:>10} {:>6}  ",
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
        );
        if g.verdict.judged() {
            out.push_str(&format!(
                "{line}{}\n",
                paint(g.verdict.name(), g.verdict, colour)
            ));
        } else {
            // Not judged: the whole row in grey.
            out.push_str(&paint(
                &format!("{line}{}", g.verdict.name()),
                g.verdict,
                colour,
            ));
            out.push('\n');
        }
    }
    let not_for: Vec<&str> = rows
        .iter()
        .filter(|g| g.verdict == Verdict::NotForThisRace)
        .map(|g| g.title)
        .collect();
    if !not_for.is_empty() {
        out.push_str(&paint(
            &format!("Not for this race: {}", not_for.join(", ")),
            Verdict::NotForThisRace,
            colour,
        ));
        out.push('\n');
    }
    let unknown: Vec<&&Gap> = rows
        .iter()
        .filter(|g| g.verdict == Verdict::Unknown)
        .collect();
    if !unknown.is_empty() {
        out.push_str("\nWhat the data cannot tell:\n");
        for g in unknown {
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
    use crate::gaps::{fix_first, DistanceClass, RaceProfile, Terrain};

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
            best_run: Some(crate::gaps::RunRef {
                date: "2026-09-20".into(),
                file: "runs/long.fit".into(),
            }),
        }
    }

    fn marathon() -> RaceProfile {
        RaceProfile {
            distance: DistanceClass::Marathon,
            terrain: Terrain::Road,
            climb_m_per_km: 0.0,
            km_effort: 42.2,
            source: String::new(),
            terrain_known: true,
        }
    }

    fn table(gaps: &[Gap], colour: bool, u: Units) -> String {
        gaps_table(gaps, &fix_first(gaps, &marathon()), colour, u)
    }

    #[test]
    fn plain_without_colour_and_coloured_with() {
        let t = table(&[gap(Verdict::Short)], false, Units::Metric);
        assert!(t.contains("Longest run"));
        assert!(t.contains("31.6 km"));
        assert!(t.contains("63%"));
        assert!(t.starts_with(
            "Fix these first:\n1. Longest run (short): Run longer.\n   longest run 20 km. Build on your run of 2026-09-20 (long.fit).\n"
        ), "{t}");
        assert!(!t.contains('\x1b'));
        assert!(table(&[gap(Verdict::Missing)], true, Units::Metric).contains("\x1b[31mmissing"));
        assert!(!table(&[gap(Verdict::Ok)], false, Units::Metric).contains("Fix these first"));
        // The numbers follow the units; the row's own text is the rule's.
        let t = table(&[gap(Verdict::Short)], false, Units::Imperial);
        assert!(t.contains("19.6 mi") && !t.contains("31.6 km"), "{t}");
    }

    #[test]
    fn unknown_rows_are_grey_and_last() {
        let unknown = Gap {
            title: "Heat acclimation",
            dimension: crate::gaps::Dimension::Heat,
            verdict: Verdict::Unknown,
            ..gap(Verdict::Unknown)
        };
        let t = table(&[unknown, gap(Verdict::Ok)], true, Units::Metric);
        let rows: Vec<&str> = t.lines().collect();
        assert!(rows[1].starts_with("Longest run"), "{t}");
        assert!(
            rows[2].starts_with("\x1b[90mHeat acclimation") && rows[2].ends_with("unknown\x1b[0m"),
            "{t}"
        );
        assert!(t.contains("What the data cannot tell:\n- Heat acclimation"));
    }
}
