//! The report's text: the lines printed on the terminal for `analyze` (what was read, the
//! race header, the weekly history without a race) and for `course`.

use super::tables;
use crate::batch::Batch;
use crate::calendar::format_day;
use crate::error::shown;
use crate::gaps::Analysis;
use crate::history::Week;
use crate::race::{RaceDemands, RaceSpec};
use crate::units::{hms, km, pace};

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

pub fn race_header(s: &RaceSpec, d: &RaceDemands, a: &Analysis) -> String {
    let goal = s
        .goal_time_s
        .map(|g| format!(", goal {}", hms(g)))
        .unwrap_or_default();
    let temp = s
        .expected_temperature_c
        .map(|t| format!(", {t:.0} °C expected"))
        .unwrap_or_default();
    let climbing = if d.has_elevation {
        format!("+{:.0} / -{:.0} m", d.ascent_m, d.descent_m)
    } else {
        "climbing unknown".into()
    };
    let mut out = format!(
        "\n{} on {}: {}, {climbing}{goal}{temp}\nRace profile: {} ({}); long runs of {}{} ({})\nTraining block: {} ({} weeks and race week)\n",
        shown(&d.name),
        format_day(s.date_day),
        km(d.distance_m),
        a.plan.profile,
        a.plan.profile.source,
        km(a.plan.long_run_m),
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

/// Without a race: the weekly history.
pub fn weekly_text(weeks: &[Week]) -> String {
    let mut s = format!(
        "\n{:<10} {:>5} {:>9} {:>8} {:>7} {:>5}\n",
        "week", "runs", "distance", "time", "climb", "long"
    );
    for w in weeks {
        s.push_str(&format!(
            "{:<10} {:>5} {:>9} {:>8} {:>5.0} m {:>5}\n",
            w.week_start,
            w.runs,
            km(w.distance_m),
            hms(w.moving_s),
            w.ascent_m,
            w.long_runs
        ));
    }
    s
}

/// The course's demands in words and tables.
pub fn course_text(d: &RaceDemands) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}\n", d.name));
    s.push_str(&format!("  distance        {}\n", km(d.distance_m)));
    if (d.race_distance_m - d.distance_m).abs() > 1.0 {
        s.push_str(&format!(
            "  race distance   {} ({})\n",
            km(d.race_distance_m),
            d.race_distance_source
        ));
    }
    for n in &d.notes {
        s.push_str(&format!("  note            {n}\n"));
    }
    if d.has_elevation {
        s.push_str(&format!(
            "  climbing        +{:.0} m / -{:.0} m{}\n",
            d.ascent_m,
            d.descent_m,
            match (d.min_elevation_m, d.max_elevation_m) {
                (Some(lo), Some(hi)) => format!(", between {lo:.0} and {hi:.0} m"),
                _ => String::new(),
            }
        ));
        if let (Some(up), Some(down)) = (d.raw_ascent_m, d.raw_descent_m) {
            s.push_str(&format!(
                "                  (the file's raw sum: +{up:.0} m / -{down:.0} m; elevation noise {:.1} m{})\n",
                d.elevation_noise_sd_m,
                if d.elevation_in_feet { ", read as feet" } else { "" }
            ));
        }
        s.push_str(&format!(
            "  final third     {:.0} % of the climbing comes after km {:.1}\n",
            d.final_third_climb_share * 100.0,
            d.distance_m * 2.0 / 3.0 / 1000.0
        ));
    } else {
        s.push_str("  climbing        unknown: the course file has no elevation\n");
        if let (Some(up), Some(rise)) = (d.waypoint_climb_m, d.waypoint_biggest_rise_m) {
            s.push_str(&format!(
                "                  (its waypoints' heights climb at least {up:.0} m, the biggest rise {rise:.0} m)\n"
            ));
        }
    }
    if let Some(g) = d.goal_time_s {
        s.push_str(&format!(
            "  goal            {} = {} flat pace, {} grade-adjusted\n",
            hms(g),
            pace(d.flat_pace_s_per_km.unwrap_or(0.0)),
            pace(d.goal_gap_s_per_km.unwrap_or(0.0))
        ));
    }
    for (title, list) in [("Climbs", &d.climbs), ("Descents", &d.descents)] {
        let mut big: Vec<&crate::track::climbs::Climb> =
            list.iter().filter(|c| c.gain_m >= 20.0).collect();
        if big.is_empty() {
            continue;
        }
        big.sort_by(|a, b| a.start_m.total_cmp(&b.start_m));
        s.push_str(&format!("\n{title} of 20 m or more:\n"));
        s.push_str("  from km   to km   height   length   grade   steepest\n");
        for c in big {
            s.push_str(&format!(
                "  {:>7.1} {:>7.1} {:>6.0} m {:>7} {:>6.1} % {:>7.1} %\n",
                c.start_m / 1000.0,
                c.end_m / 1000.0,
                c.gain_m,
                km(c.length_m),
                c.mean_grade * 100.0,
                c.max_grade * 100.0
            ));
        }
    }
    if d.goal_time_s.is_some() && d.segments.is_empty() {
        s.push_str(&format!(
            "\nTarget pace: an even {} (no elevation to adjust for)\n",
            pace(d.flat_pace_s_per_km.unwrap_or(0.0))
        ));
    }
    if d.goal_time_s.is_some() && !d.segments.is_empty() {
        s.push_str(&format!(
            "\nTarget pace per km (even effort for the goal by {}'s grade adjustment; grade, then pace):\n",
            d.gap_model.name()
        ));
        for seg in &d.segments {
            s.push_str(&format!(
                "  km {:>4.1}-{:<5.1} {:>+6.1} %  {}\n",
                seg.start_m / 1000.0,
                seg.end_m / 1000.0,
                crate::units::tidy(seg.grade * 100.0, 1),
                seg.target_pace_s_per_km.map(pace).unwrap_or_default()
            ));
        }
    }
    if !d.aid_stations.is_empty() {
        s.push_str("\nAid stations:\n");
        for a in &d.aid_stations {
            s.push_str(&format!(
                "  km {:>5.1}  {:<24} {} from the previous\n",
                a.at_m / 1000.0,
                a.name,
                km(a.from_previous_m)
            ));
        }
    }
    if d.off_course_waypoints > 0 {
        s.push_str(&format!(
            "  ({} waypoint(s) more than {:.0} m off the course not listed)\n",
            d.off_course_waypoints,
            crate::race::AID_STATION_MAX_OFF_COURSE_M
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weekly_history_is_one_aligned_line_a_week() {
        let w = Week {
            week_start: "2026-07-20".into(),
            week: 0,
            runs: 4,
            distance_m: 42_195.0,
            moving_s: 4.0 * 3600.0 + 5.0 * 60.0,
            ascent_m: 412.6,
            descent_m: 400.0,
            long_runs: 1,
            longest_m: 21_097.5,
            goal_pace_m: 0.0,
            longest_goal_pace_m: 0.0,
            heat_minutes: 0.0,
            acwr: None,
        };
        let t = weekly_text(&[w]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "");
        assert_eq!(
            lines[1],
            "week        runs  distance     time   climb  long"
        );
        assert_eq!(
            lines[2],
            format!(
                "2026-07-20     4 {:>9}  4:05:00   413 m     1",
                km(42_195.0)
            )
        );
        assert_eq!(lines[1].len(), lines[2].len(), "columns line up");
    }
}
