//! The thresholds of the gap analysis: every number a verdict depends on, each with where
//! it comes from.

use super::verdict::Verdict;
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
        }
    }
}

impl Thresholds {
    pub fn long_run_m(&self, race_distance_m: f64) -> f64 {
        (self.long_run_share * race_distance_m).min(self.long_run_cap_m)
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
