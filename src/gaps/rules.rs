//! The thresholds of the gap analysis: every number a verdict depends on, each with where
//! it comes from.

use super::profile::{DistanceClass, RaceProfile};
use super::verdict::Verdict;
use crate::units::Units;
use serde::Serialize;

/// Every threshold of the gap analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// Long run = `min(share × race distance, cap)` (the usual marathon rule: docs/ARCHITECTURE.md, "Rules").
    pub long_run_share: f64,
    pub long_run_cap_m: f64,
    /// Long runs wanted in the block: marathon plans (Pfitzinger, Daniels) put three to
    /// five runs of 30+ km in the last 16 weeks; three is the floor.
    pub long_runs_needed: u32,
    /// No more than three weeks between long runs (or from the last one to the race).
    pub max_long_run_interval_days: i64,
    /// Longest time on feet wanted: this share of the expected race time ...
    pub time_on_feet_share: f64,
    /// ... capped (coaching practice caps marathon long runs near 3.5 h: beyond that,
    /// recovery costs outweigh the gain).
    pub time_on_feet_cap_s: f64,
    /// Ultras (longer than a marathon): half the expected time, capped at 6 h.
    pub ultra_time_on_feet_share: f64,
    pub ultra_time_on_feet_cap_s: f64,
    /// A ratio at or above `ok_ratio` is ok, at or above `short_ratio` short, else missing.
    pub ok_ratio: f64,
    pub short_ratio: f64,
    /// A training climb (descent) of this share of the course's biggest counts as its size.
    pub climb_share: f64,
    /// Goal-pace running wanted in the block, × race distance (marathon-pace runs of
    /// 8-16 miles most weeks in Pfitzinger's plans add up to well over this).
    pub goal_pace_volume_share: f64,
    /// Longest continuous goal-pace stretch wanted, × race distance.
    pub goal_pace_segment_share: f64,
    /// A goal up to this much faster than the prediction is ambitious but open.
    pub realism_margin: f64,
    /// Best efforts shorter than this are not used for a marathon prediction (1 km
    /// efforts overstate endurance).
    pub prediction_min_effort_m: f64,
    /// Heat acclimation: 10-14 sessions of ≥ 60 min in the heat over 1-2 weeks (Racinais et
    /// al. 2015 consensus), counted over the last 21 days (it decays within weeks).
    pub heat_sessions_needed: u32,
    pub heat_window_days: i64,
    pub heat_session_min_s: f64,
    /// Minutes at or above (race temperature − margin) that make a run a heat session.
    pub heat_session_min_minutes: f64,
    pub heat_margin_c: f64,
    /// Races with a WBGT below this need no heat preparation: Ely et al. 2007 find
    /// marathon times best at WBGT 5-10 °C and only slightly slower at 10-15 °C.
    pub heat_relevant_wbgt_c: f64,
    /// Load spikes: acute:chronic distance ratio above this (Gabbett 2016, Br J Sports Med 50:273).
    pub acwr_spike: f64,
    /// Late fade (last quarter vs first half, grade-adjusted): ok up to, short up to.
    pub fade_ok_pct: f64,
    pub fade_short_pct: f64,
    /// Runs of at least this share of the long-run threshold show fade.
    pub fade_run_share: f64,
    /// "Recent" means the last this many weeks before the race.
    pub recent_weeks: i64,
    /// Long-run lengths of short races: "inexperienced 5K runners may only need to cover
    /// 7 to 8 miles on their long runs, whereas serious half marathoners require long runs
    /// of over 16 miles" (Pfitzinger & Latter 2015, Faster Road Racing, ch. 1): 13 km for a
    /// 5 km, 16 km for a 10 km, 22 km for a half.
    pub long_run_5k_m: f64,
    pub long_run_10k_m: f64,
    pub long_run_half_m: f64,
    /// Weekly climbing wanted, × the course's: its whole climbing in the peak week for races
    /// up to a marathon; half of it for ultras, the low end of the 50-80 % a week of a
    /// mountain-ultra hill block (runinfinite.com, "Going Vertical"), so a 10,000 m race
    /// asks 5,000 m weeks, not 10,000 m.
    pub weekly_vertical_share: f64,
    pub ultra_weekly_vertical_share: f64,
    /// Climbing in one session, × the course's biggest climb (repeats of the race's hills
    /// in one outing: 1,500 m for a race of 1,000 m climbs), capped at the course's total.
    pub session_vertical_share: f64,
    /// Back-to-back long days: two consecutive days, the first at least this long moving
    /// and the second at least `back_to_back_second_share` of it (the usual ultra practice:
    /// a second day of 60-67 % of the first), this many in the block.
    pub back_to_back_min_s: f64,
    pub back_to_back_second_share: f64,
    pub back_to_backs_needed: u32,
    /// Race pace and faster for 5 and 10 km races, × race distance per week of the block:
    /// a session a week with half the race distance at race pace or faster (the intervals
    /// and repetitions of Daniels' plans).
    pub race_pace_share_per_week: f64,
    /// Course climbs below this height are not compared (the `course` listing's floor).
    pub min_course_climb_m: f64,
    /// Off road, a run of half the time-on-feet target (at least this) is a long run,
    /// whatever its distance: a mountain kilometre takes twice a road one.
    pub off_road_long_run_min_s: f64,
}

/// What a race of one profile asks of the training: the profile-dependent numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub profile: RaceProfile,
    /// A run at least this long is a long run.
    pub long_run_m: f64,
    pub long_run_rule: String,
    /// Time on feet wanted: (share of the expected race time, cap in seconds).
    pub time_on_feet: Option<(f64, f64)>,
    pub weekly_vertical_share: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            long_run_share: crate::history::LONG_RUN_SHARE,
            long_run_cap_m: crate::history::LONG_RUN_CAP_M,
            long_runs_needed: 3,
            max_long_run_interval_days: 21,
            time_on_feet_share: 0.75,
            time_on_feet_cap_s: 3.5 * 3600.0,
            ultra_time_on_feet_share: 0.5,
            ultra_time_on_feet_cap_s: 6.0 * 3600.0,
            ok_ratio: 1.0,
            short_ratio: 0.6,
            climb_share: 0.8,
            goal_pace_volume_share: 1.5,
            goal_pace_segment_share: 0.25,
            realism_margin: 0.05,
            prediction_min_effort_m: 5000.0,
            heat_sessions_needed: 10,
            heat_window_days: 21,
            heat_session_min_s: 3600.0,
            heat_session_min_minutes: 30.0,
            heat_margin_c: 3.0,
            heat_relevant_wbgt_c: 15.0,
            acwr_spike: crate::history::ACWR_SPIKE,
            fade_ok_pct: 3.0,
            fade_short_pct: 8.0,
            fade_run_share: 0.6,
            recent_weeks: 4,
            long_run_5k_m: 13_000.0,
            long_run_10k_m: 16_000.0,
            long_run_half_m: 22_000.0,
            weekly_vertical_share: 1.0,
            ultra_weekly_vertical_share: 0.5,
            session_vertical_share: 1.5,
            back_to_back_min_s: 2.0 * 3600.0,
            back_to_back_second_share: 0.6,
            back_to_backs_needed: 3,
            race_pace_share_per_week: 0.5,
            min_course_climb_m: 20.0,
            off_road_long_run_min_s: 1.5 * 3600.0,
        }
    }
}

impl Thresholds {
    /// The marathon rule: `min(share × race distance, cap)`.
    pub fn long_run_m(&self, race_distance_m: f64) -> f64 {
        (self.long_run_share * race_distance_m).min(self.long_run_cap_m)
    }

    /// The numbers a race of this profile is judged by; `race_m` is its official distance.
    /// The rules' words are in `u`.
    /// The long-run length for a race of this class and distance.
    pub fn long_run_for(&self, class: DistanceClass, race_m: f64) -> f64 {
        match class {
            DistanceClass::FiveK => self.long_run_5k_m,
            DistanceClass::TenK => self.long_run_10k_m,
            DistanceClass::Half => self.long_run_half_m,
            DistanceClass::Marathon | DistanceClass::Ultra => self.long_run_m(race_m),
        }
    }

    pub fn plan(&self, profile: &RaceProfile, race_m: f64, u: Units) -> Plan {
        let short = |m: f64, what: &str| {
            (
                m,
                format!(
                    "{} for a {what} (Pfitzinger & Latter 2015)",
                    u.distance_round(m)
                ),
            )
        };
        let long = self.long_run_for(profile.distance, race_m);
        let (long_run_m, long_run_rule) = match profile.distance {
            DistanceClass::FiveK => short(long, "5 km"),
            DistanceClass::TenK => short(long, "10 km"),
            DistanceClass::Half => short(long, "half marathon"),
            DistanceClass::Marathon | DistanceClass::Ultra => (
                long,
                format!(
                    "{:.0} % of the race's distance, at most {}",
                    self.long_run_share * 100.0,
                    u.distance_round(self.long_run_cap_m)
                ),
            ),
        };
        let time_on_feet = match profile.distance {
            DistanceClass::FiveK | DistanceClass::TenK => None,
            DistanceClass::Half | DistanceClass::Marathon => {
                Some((self.time_on_feet_share, self.time_on_feet_cap_s))
            }
            DistanceClass::Ultra => {
                Some((self.ultra_time_on_feet_share, self.ultra_time_on_feet_cap_s))
            }
        };
        Plan {
            profile: profile.clone(),
            long_run_m,
            long_run_rule,
            time_on_feet,
            weekly_vertical_share: if profile.distance == DistanceClass::Ultra {
                self.ultra_weekly_vertical_share
            } else {
                self.weekly_vertical_share
            },
        }
    }

    pub fn by_ratio(&self, ratio: f64) -> Verdict {
        if ratio >= self.ok_ratio {
            Verdict::Ok
        } else if ratio >= self.short_ratio {
            Verdict::Short
        } else {
            Verdict::Missing
        }
    }

    /// The heat threshold for a race temperature: race temperature − margin.
    pub fn heat_threshold_c(&self, race_temp_c: f64) -> f64 {
        race_temp_c - self.heat_margin_c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's boundaries: ok from 100 % of the demand, short from 60 %, missing below.
    #[test]
    fn severity_boundaries_sit_at_100_and_60_percent() {
        let t = Thresholds::default();
        let cases = [
            (1.5, Verdict::Ok),
            (1.0, Verdict::Ok),
            (0.999, Verdict::Short),
            (0.97, Verdict::Short),
            (0.6, Verdict::Short),
            (0.599, Verdict::Missing),
            (0.0, Verdict::Missing),
        ];
        for (ratio, want) in cases {
            assert_eq!(t.by_ratio(ratio), want, "{ratio}");
        }
    }
}
