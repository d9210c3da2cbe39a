//! Heat acclimation as a state: gained by sessions in the heat, lost on days without, day
//! by day over the block to race day.
//!
//! The model, from the literature:
//! - Gain. Repeated exercise-heat exposure over 1-2 weeks acclimatises (Racinais et al.
//!   2015 consensus, Br J Sports Med 49:1164). Two thirds to three quarters of the
//!   adaptations come in the first 4-6 days, nearly all by 7-10 (Pandolf 1998, Int J Sports
//!   Med 19 Suppl 2:S157). Each session closes `GAIN` of what is left: 5 daily sessions
//!   reach 70 %, 7 reach 81 %, 10 reach 91 %.
//! - Loss. About 2.5 % of the adaptation is lost per day without heat (Daanen, Racinais &
//!   Périard 2018, Sports Med 48:409: heart rate 2.3 %/day, core temperature 2.6 %/day).
//!
//! A heat session is the heat rule's: a run of 60 minutes or more with 30 or more at or
//! above the race's temperature less the margin.

use crate::history::RunRow;
use serde::Serialize;

/// Share of the remaining adaptation one session gains: 1 − 0.3^(1/5), so five sessions
/// on consecutive days reach 70 %.
pub const GAIN: f64 = 0.213_996_9;
/// Share lost per day without a session.
pub const DECAY_PER_DAY: f64 = 0.025;

/// The state on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Day {
    pub day: i64,
    /// 0 (not acclimatised) to 1 (fully).
    pub state: f64,
    pub session: bool,
    /// After the last day with data: what is left without more heat.
    pub projected: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatState {
    pub days: Vec<Day>,
    /// The state the evening of the last day with data.
    pub today: f64,
    /// The state on race morning with no more heat.
    pub race_day: f64,
    pub sessions: usize,
    /// What a full protocol (`protocol_sessions` daily sessions ending the day before the
    /// race) reaches: the reference the state is judged against.
    pub protocol: f64,
    pub protocol_sessions: usize,
}

/// One day: a session gains, no session decays.
pub fn step(state: f64, session: bool) -> f64 {
    if session {
        state + (1.0 - state) * GAIN
    } else {
        state * (1.0 - DECAY_PER_DAY)
    }
}

/// The state from `from_day` to race morning, sessions on `session_days` up to `until_day`
/// (exclusive), projected without heat from there to `race_day`.
pub fn over(session_days: &[i64], from_day: i64, until_day: i64, race_day: i64) -> Vec<Day> {
    let mut state = 0.0;
    let mut out = Vec::new();
    // Bounded by the block's dates (checked in the race's config), not by the data.
    for day in from_day..race_day {
        let projected = day >= until_day;
        let session = !projected && session_days.contains(&day);
        state = step(state, session);
        out.push(Day {
            day,
            state,
            session,
            projected,
        });
    }
    out
}

/// Whether a run is a heat session.
pub fn is_session(r: &RunRow, min_s: f64, min_minutes: f64) -> bool {
    r.is_run && r.moving_s >= min_s && r.heat_minutes >= min_minutes
}

/// The state over `[from_day, race_day)` from the runs before `until_day`; the protocol of
/// `protocol_sessions` daily sessions as its reference.
pub fn of_runs(
    rows: &[RunRow],
    from_day: i64,
    until_day: i64,
    race_day: i64,
    min_s: f64,
    min_minutes: f64,
    protocol_sessions: usize,
) -> HeatState {
    let until = until_day.min(race_day);
    // A run 60 days before the block counts: its adaptation has decayed by then.
    let start = from_day - 60;
    let mut days: Vec<i64> = rows
        .iter()
        .filter(|r| r.day >= start && r.day < until && is_session(r, min_s, min_minutes))
        .map(|r| r.day)
        .collect();
    days.sort_unstable();
    days.dedup();
    let all = over(&days, start, until, race_day);
    let at = |d: i64| {
        all.iter()
            .rev()
            .find(|x| x.day < d)
            .map_or(0.0, |x| x.state)
    };
    let protocol_days: Vec<i64> = (race_day - protocol_sessions as i64..race_day).collect();
    let protocol = over(
        &protocol_days,
        race_day - protocol_sessions as i64,
        race_day,
        race_day,
    )
    .last()
    .map_or(0.0, |d| d.state);
    HeatState {
        today: at(until),
        race_day: at(race_day),
        sessions: days.iter().filter(|d| **d >= from_day).count(),
        days: all.into_iter().filter(|d| d.day >= from_day).collect(),
        protocol,
        protocol_sessions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand computed over a constructed sequence: hot, hot, cool, hot, then 10 cool days.
    /// Day 1: 0.2140; day 2: 0.2140 + 0.7860·0.2140 = 0.3822; day 3 (cool): ·0.975 =
    /// 0.3726; day 4: 0.3726 + 0.6274·0.2140 = 0.5069; ten cool days: ·0.975^10 = 0.3935.
    #[test]
    fn heat_state_over_hot_and_cool_days() {
        let days = over(&[0, 1, 3], 0, 14, 14);
        let s: Vec<f64> = days.iter().map(|d| d.state).collect();
        assert!((s[0] - 0.213_997).abs() < 1e-6);
        assert!((s[1] - 0.382_199).abs() < 1e-6, "{}", s[1]);
        assert!((s[2] - 0.372_644).abs() < 1e-6, "{}", s[2]);
        assert!((s[3] - 0.506_896).abs() < 1e-6, "{}", s[3]);
        assert!((s[13] - 0.393_519).abs() < 1e-6, "{}", s[13]);
        assert!(days.iter().all(|d| !d.projected));
    }

    #[test]
    fn the_literatures_milestones() {
        let daily = |n: i64| {
            over(&(0..n).collect::<Vec<_>>(), 0, n, n)
                .last()
                .unwrap()
                .state
        };
        // 70 % after 5 days (two thirds to three quarters in 4-6 days), nearly all by 10.
        assert!((daily(5) - 0.70).abs() < 1e-6);
        assert!(daily(10) > 0.9 && daily(10) < 0.92);
        // 2.5 % a day: 40 days without heat leave 36 % of it.
        let s = over(&[0], 0, 1, 41).last().unwrap().state;
        assert!((s - GAIN * 0.975f64.powi(40)).abs() < 1e-12);
    }

    #[test]
    fn after_today_the_state_is_projected_without_heat() {
        let days = over(&[0, 1, 2, 5], 0, 3, 10);
        assert!(
            days[5].projected && !days[5].session,
            "day 5 is after today"
        );
        assert!(days[2].session && !days[2].projected);
    }
}
