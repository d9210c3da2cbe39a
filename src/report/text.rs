//! The report's text: the lines printed on the terminal for `analyze` (what was read, the
//! race header, the weekly history without a race) and for `course`.

use super::tables;
use crate::batch::Batch;
use crate::calendar::format_day;
use crate::error::shown;
use crate::gaps::Analysis;
use crate::periods::{HistorySummary, Period};
use crate::race::{RaceDemands, RaceSpec};
use crate::track::pace::effort_name;
use crate::units::{hms, Units};

/// One line on what was read, and what was not.
pub fn inputs_line<T>(batch: &Batch<T>, activities: usize) -> String {
    let mut s = format!(
        "{} activities read, {} skipped, {} duplicates merged, {} routes without times, {} other files ignored\n",
        activities,
        batch.skipped.len(),
        batch.duplicates.len(),
        batch.routes.len(),
        batch.ignored.len()
    );
    if batch.metadata_entries > 0 {
        s.push_str(&format!(
            "Export metadata (names, types) found for {} activities\n",
            batch.metadata_entries
        ));
    }
    s
}

/// The course's climbing in a few words: "+628 m / -634 m"; without elevation, the lower
/// bound its waypoints' heights give, else unknown.
pub fn climbing(d: &RaceDemands, u: Units) -> String {
    match (d.has_elevation, d.waypoint_climb_m) {
        (true, _) => format!("+{} / -{}", u.height(d.ascent_m), u.height(d.descent_m)),
        (false, Some(up)) => format!(
            "climbing at least {} (its waypoints' heights)",
            u.height(up)
        ),
        (false, None) => "climbing unknown".into(),
    }
}

pub fn race_header(s: &RaceSpec, d: &RaceDemands, a: &Analysis, u: Units) -> String {
    let goal = s
        .goal_time_s
        .map(|g| format!(", goal {}", hms(g)))
        .unwrap_or_default();
    let temp = s
        .expected_temperature_c
        .map(|t| format!(", {} expected", u.temperature(t)))
        .unwrap_or_default();
    let climbing = climbing(d, u);
    let mut out = format!(
        "\n{} on {}: {}, {climbing}{goal}{temp}\nRace profile: {} ({}); long runs of {}{} ({})\nTraining block: {} ({} weeks and race week)\n",
        shown(&d.name),
        format_day(s.date_day),
        u.distance(d.distance_m),
        a.plan.profile,
        a.plan.profile.source,
        u.distance(a.plan.long_run_m),
        a.long_run_s
            .map(|s| format!(" or {}", hms(s)))
            .unwrap_or_default(),
        a.plan.long_run_rule,
        tables::block_text(a),
        s.block_weeks
    );
    for w in &a.warnings {
        out.push_str(&format!("Warning: {}\n", shown(w)));
    }
    out.push('\n');
    out
}

/// A period's running time: `H:MM:SS`, or whole hours from 100 h on ("307 h").
fn hours(s: f64) -> String {
    if s >= 100.0 * 3600.0 {
        format!("{:.0} h", s / 3600.0)
    } else {
        hms(s)
    }
}

/// A period's cells as every output shows them: label, runs, distance, time, climbing,
/// longest run, long runs.
pub fn period_cells(p: &Period, u: Units) -> [String; 7] {
    [
        p.label.clone(),
        p.runs.to_string(),
        u.distance_dp(p.distance_m, 1),
        hours(p.moving_s),
        u.height(p.ascent_m),
        u.distance(p.longest_m),
        p.long_runs.to_string(),
    ]
}

/// Without a race: the history by year, the last 12 months, the longest runs and each
/// year's best efforts.
pub fn history_text(h: &HistorySummary, u: Units) -> String {
    let mut s = String::new();
    let table = |s: &mut String, heading: &str, key: &str, periods: &[Period]| {
        s.push_str(&format!(
            "\n{heading}\n{key:<8} {:>5} {:>11} {:>9} {:>9} {:>10} {:>5}\n",
            "runs", "distance", "time", "climb", "longest", "long"
        ));
        for p in periods {
            let [label, runs, distance, time, climb, longest, long] = period_cells(p, u);
            s.push_str(&format!(
                "{label:<8} {runs:>5} {distance:>11} {time:>9} {climb:>9} {longest:>10} {long:>5}\n"
            ));
        }
    };
    if h.years.is_empty() {
        return "\nNo runs in the history.\n".into();
    }
    table(&mut s, "By year:", "year", &h.years);
    table(&mut s, "The last 12 months:", "month", &h.months);
    s.push_str("\nLongest runs:\n");
    for (date, m, secs, file) in &h.longest {
        let name = crate::history::file_name(file);
        s.push_str(&format!(
            "  {date}  {:>9}  {:>8}  {}\n",
            u.distance(*m),
            hms(*secs),
            shown(name)
        ));
    }
    let distances = h.effort_distances();
    if !distances.is_empty() {
        s.push_str("\nBest efforts by year:\n");
        s.push_str(&format!("{:<6}", "year"));
        for d in &distances {
            s.push_str(&format!(" {:>9}", effort_name(*d)));
        }
        s.push('\n');
        for y in &h.years {
            s.push_str(&format!("{:<6}", y.label));
            for d in &distances {
                let best = h
                    .best_of(&y.label, *d)
                    .map(|b| hms(b.time_s))
                    .unwrap_or_else(|| "-".into());
                s.push_str(&format!(" {best:>9}"));
            }
            s.push('\n');
        }
    }
    s
}

/// The course's demands in words and tables.
pub fn course_text(d: &RaceDemands, u: Units) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}\n", d.name));
    s.push_str(&format!("  distance        {}\n", u.distance(d.distance_m)));
    if (d.race_distance_m - d.distance_m).abs() > 1.0 {
        s.push_str(&format!(
            "  race distance   {} ({})\n",
            u.distance(d.race_distance_m),
            d.race_distance_source
        ));
    }
    for n in &d.notes {
        s.push_str(&format!("  note            {n}\n"));
    }
    if d.has_elevation {
        s.push_str(&format!(
            "  climbing        +{} / -{}{}\n",
            u.height(d.ascent_m),
            u.height(d.descent_m),
            match (d.min_elevation_m, d.max_elevation_m) {
                (Some(lo), Some(hi)) => format!(", between {} and {}", u.height(lo), u.height(hi)),
                _ => String::new(),
            }
        ));
        if let (Some(up), Some(down)) = (d.raw_ascent_m, d.raw_descent_m) {
            s.push_str(&format!(
                "                  (the file's raw sum: +{} / -{}; elevation noise {:.1} {}{})\n",
                u.height(up),
                u.height(down),
                u.height_value(d.elevation_noise_sd_m),
                u.height_unit(),
                if d.elevation_in_feet {
                    ", read as feet"
                } else {
                    ""
                }
            ));
        }
        s.push_str(&format!(
            "  final third     {:.0} % of the climbing comes after {}\n",
            d.final_third_climb_share * 100.0,
            u.at(d.distance_m * 2.0 / 3.0)
        ));
    } else {
        s.push_str("  climbing        unknown: the course file has no elevation\n");
        if let (Some(up), Some(rise)) = (d.waypoint_climb_m, d.waypoint_biggest_rise_m) {
            s.push_str(&format!(
                "                  (its waypoints' heights climb at least {}, the biggest rise {})\n",
                u.height(up),
                u.height(rise)
            ));
        }
    }
    if let Some(g) = d.goal_time_s {
        s.push_str(&format!(
            "  goal            {} = {} flat pace, {} grade-adjusted\n",
            hms(g),
            u.pace(d.flat_pace_s_per_km.unwrap_or(0.0)),
            u.pace(d.goal_gap_s_per_km.unwrap_or(0.0))
        ));
    }
    for (title, list) in [("Climbs", &d.climbs), ("Descents", &d.descents)] {
        let mut big: Vec<&crate::track::climbs::Climb> =
            list.iter().filter(|c| c.gain_m >= 20.0).collect();
        if big.is_empty() {
            continue;
        }
        big.sort_by(|a, b| a.start_m.total_cmp(&b.start_m));
        let du = u.distance_unit();
        s.push_str(&format!("\n{title} of {} or more:\n", u.height(20.0)));
        s.push_str(&format!(
            "  from {du}   to {du}    height   length   grade   steepest\n"
        ));
        for c in big {
            s.push_str(&format!(
                "  {:>7.1} {:>7.1} {:>9} {:>8} {:>6.1} % {:>7.1} %\n",
                u.distance_value(c.start_m),
                u.distance_value(c.end_m),
                u.height(c.gain_m),
                u.distance(c.length_m),
                c.mean_grade * 100.0,
                c.max_grade * 100.0
            ));
        }
    }
    if d.goal_time_s.is_some() && d.segments.is_empty() {
        s.push_str(&format!(
            "\nTarget pace: an even {} (no elevation to adjust for)\n",
            u.pace(d.flat_pace_s_per_km.unwrap_or(0.0))
        ));
    }
    if d.goal_time_s.is_some() && !d.segments.is_empty() {
        s.push_str(&format!(
            "\nTarget pace along the course (even effort for the goal by {}'s grade adjustment; grade, then pace):\n",
            d.gap_model.name()
        ));
        for seg in &d.segments {
            s.push_str(&format!(
                "  {} {:>4.1}-{:<5.1} {:>+6.1} %  {}\n",
                u.distance_unit(),
                u.distance_value(seg.start_m),
                u.distance_value(seg.end_m),
                crate::units::tidy(seg.grade * 100.0, 1),
                seg.target_pace_s_per_km
                    .map(|p| u.pace(p))
                    .unwrap_or_default()
            ));
        }
    }
    if !d.aid_stations.is_empty() {
        s.push_str("\nAid stations:\n");
        for a in &d.aid_stations {
            s.push_str(&format!(
                "  {} {:>5.1}  {:<24} {} from the previous\n",
                u.distance_unit(),
                u.distance_value(a.at_m),
                a.name,
                u.distance(a.from_previous_m)
            ));
        }
    }
    if d.off_course_waypoints > 0 {
        s.push_str(&format!(
            "  ({} waypoint(s) more than {} off the course not listed)\n",
            d.off_course_waypoints,
            u.height(crate::race::AID_STATION_MAX_OFF_COURSE_M)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_years_months_longest_runs_and_best_efforts_aligned() {
        let year = Period {
            label: "2026".into(),
            runs: 4,
            distance_m: 42_195.0,
            moving_s: 4.0 * 3600.0 + 5.0 * 60.0,
            ascent_m: 412.6,
            longest_m: 21_097.5,
            long_runs: 1,
        };
        let h = HistorySummary {
            years: vec![year.clone()],
            months: vec![Period {
                label: "2026-07".into(),
                ..year
            }],
            longest: vec![(
                "2026-07-20".into(),
                21_097.5,
                6_300.0,
                "runs/long.fit".into(),
            )],
            best_efforts: vec![crate::periods::YearBest {
                year: 2026,
                distance_m: 5_000.0,
                time_s: 1_234.0,
                date: "2026-07-21".into(),
            }],
        };
        let t = history_text(&h, Units::Metric);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[1], "By year:");
        assert_eq!(
            lines[2],
            "year      runs    distance      time     climb    longest  long"
        );
        assert_eq!(
            lines[3],
            "2026         4     42.2 km   4:05:00     413 m   21.10 km     1"
        );
        assert_eq!(lines[2].len(), lines[3].len(), "columns line up");
        assert_eq!(hours(306.8 * 3600.0), "307 h");
        assert!(t.contains("\nThe last 12 months:\nmonth "));
        assert!(t.contains("\n2026-07      4 "), "{t}");
        assert!(
            t.contains("  2026-07-20   21.10 km   1:45:00  long.fit\n"),
            "{t}"
        );
        assert!(t.contains("year        5 km\n2026       20:34\n"), "{t}");
        let t = history_text(&h, Units::Imperial);
        assert!(
            t.contains("2026         4     26.2 mi   4:05:00   1354 ft   13.11 mi     1"),
            "{t}"
        );
        assert_eq!(
            history_text(&HistorySummary { years: vec![], ..h }, Units::Metric),
            "\nNo runs in the history.\n"
        );
    }
}
