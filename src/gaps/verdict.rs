//! The vocabulary of a gap row: which dimension it judges (`Dimension`), the unit of its
//! numbers (`Unit`) and what was found (`Verdict`).

use crate::units::{hms, Units};
use serde::Serialize;

/// What the training shows against one demand of the race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Short,
    Missing,
    /// The data cannot tell (no temperature channel, no goal, no long runs to measure).
    Unknown,
    /// The dimension does not apply to this kind of race.
    #[serde(rename = "not-for-this-race")]
    NotForThisRace,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Short => "short",
            Verdict::Missing => "missing",
            Verdict::Unknown => "unknown",
            Verdict::NotForThisRace => "not for this race",
        }
    }

    /// The name in the tables and JSON (`not-for-this-race`, one word for machines).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::NotForThisRace => "not-for-this-race",
            other => other.name(),
        }
    }

    /// Short or missing: the training falls short.
    pub fn falls_short(self) -> bool {
        matches!(self, Verdict::Short | Verdict::Missing)
    }

    /// Judged at all (ok, short or missing).
    pub fn judged(self) -> bool {
        matches!(self, Verdict::Ok | Verdict::Short | Verdict::Missing)
    }
}

/// One dimension of race specificity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Distance,
    TimeOnFeet,
    LongRunFrequency,
    ClimbingBiggest,
    DescendingBiggest,
    ClimbingWeekly,
    DescendingWeekly,
    GoalPaceVolume,
    GoalPaceLongest,
    GoalRealism,
    Heat,
    Load,
    LateFade,
    GoalPaceOrFaster,
    BackToBack,
    LongRunClimbing,
    SessionClimbing,
    SessionDescending,
}

impl Dimension {
    /// The stable key of the CSV and JSON outputs.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Distance => "distance",
            Dimension::TimeOnFeet => "time_on_feet",
            Dimension::LongRunFrequency => "long_run_frequency",
            Dimension::ClimbingBiggest => "climbing_biggest",
            Dimension::DescendingBiggest => "descending_biggest",
            Dimension::ClimbingWeekly => "climbing_weekly",
            Dimension::DescendingWeekly => "descending_weekly",
            Dimension::GoalPaceVolume => "goal_pace_volume",
            Dimension::GoalPaceLongest => "goal_pace_longest",
            Dimension::GoalRealism => "goal_realism",
            Dimension::Heat => "heat",
            Dimension::Load => "load",
            Dimension::LateFade => "late_fade",
            Dimension::GoalPaceOrFaster => "goal_pace_or_faster",
            Dimension::BackToBack => "back_to_back",
            Dimension::LongRunClimbing => "long_run_climbing",
            Dimension::SessionClimbing => "session_climbing",
            Dimension::SessionDescending => "session_descending",
        }
    }

    /// What it measures, for people.
    pub fn title(self) -> &'static str {
        match self {
            Dimension::Distance => "Longest run",
            Dimension::TimeOnFeet => "Time on feet",
            Dimension::LongRunFrequency => "Long runs",
            Dimension::ClimbingBiggest => "Biggest climb",
            Dimension::DescendingBiggest => "Biggest descent",
            Dimension::ClimbingWeekly => "Weekly climbing",
            Dimension::DescendingWeekly => "Weekly descending",
            Dimension::GoalPaceVolume => "Running at goal pace",
            Dimension::GoalPaceLongest => "Longest goal-pace stretch",
            Dimension::GoalRealism => "Goal realism",
            Dimension::Heat => "Heat acclimation",
            Dimension::Load => "Load spikes",
            Dimension::LateFade => "Late fade in long runs",
            Dimension::GoalPaceOrFaster => "Race pace and faster",
            Dimension::BackToBack => "Back-to-back long days",
            Dimension::LongRunClimbing => "Climbing in long runs",
            Dimension::SessionClimbing => "Climbing in one session",
            Dimension::SessionDescending => "Descending in one session",
        }
    }

    /// The unit of its numbers.
    pub fn unit(self) -> Unit {
        match self {
            Dimension::Distance
            | Dimension::GoalPaceVolume
            | Dimension::GoalPaceLongest
            | Dimension::GoalPaceOrFaster => Unit::Km,
            Dimension::TimeOnFeet | Dimension::GoalRealism => Unit::Hours,
            Dimension::LongRunFrequency | Dimension::BackToBack => Unit::Runs,
            Dimension::ClimbingBiggest
            | Dimension::DescendingBiggest
            | Dimension::SessionClimbing
            | Dimension::SessionDescending => Unit::Metres,
            Dimension::ClimbingWeekly | Dimension::DescendingWeekly => Unit::MetresPerWeek,
            Dimension::LongRunClimbing => Unit::MetresPerKm,
            Dimension::Heat => Unit::Sessions,
            Dimension::Load => Unit::Ratio,
            Dimension::LateFade => Unit::Percent,
        }
    }

    /// Less is better: the value is a cost or a risk, judged against a ceiling.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Dimension::Load | Dimension::LateFade)
    }
}

/// The unit of a gap's demand, best and recent values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    #[serde(rename = "km")]
    Km,
    /// Hours, shown as h:mm:ss.
    #[serde(rename = "h")]
    Hours,
    #[serde(rename = "m")]
    Metres,
    #[serde(rename = "m/week")]
    MetresPerWeek,
    #[serde(rename = "m/km")]
    MetresPerKm,
    #[serde(rename = "%")]
    Percent,
    #[serde(rename = "ratio")]
    Ratio,
    #[serde(rename = "runs")]
    Runs,
    #[serde(rename = "sessions")]
    Sessions,
}

impl Unit {
    pub fn key(self) -> &'static str {
        match self {
            Unit::Km => "km",
            Unit::Hours => "h",
            Unit::Metres => "m",
            Unit::MetresPerWeek => "m/week",
            Unit::MetresPerKm => "m/km",
            Unit::Percent => "%",
            Unit::Ratio => "ratio",
            Unit::Runs => "runs",
            Unit::Sessions => "sessions",
        }
    }

    /// A value in this unit as every output (terminal, charts, HTML) shows it, in `u`.
    pub fn format(self, v: f64, u: Units) -> String {
        match self {
            Unit::Km => u.distance_dp(v * 1000.0, 1),
            Unit::Hours => hms(v * 3600.0),
            Unit::Metres | Unit::MetresPerWeek => u.height(v),
            Unit::MetresPerKm => u.climb_rate(v),
            Unit::Percent => format!("{:+.1} %", crate::units::tidy(v, 1)),
            Unit::Ratio => format!("{v:.2}"),
            Unit::Runs | Unit::Sessions => format!("{v:.0}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_what_serde_writes() {
        for d in [
            Dimension::Distance,
            Dimension::GoalPaceLongest,
            Dimension::LateFade,
        ] {
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{}\"", d.key())
            );
        }
        for u in [Unit::Km, Unit::MetresPerWeek, Unit::Percent, Unit::Sessions] {
            assert_eq!(
                serde_json::to_string(&u).unwrap(),
                format!("\"{}\"", u.key())
            );
        }
        for v in [
            Verdict::Ok,
            Verdict::Short,
            Verdict::Missing,
            Verdict::Unknown,
            Verdict::NotForThisRace,
        ] {
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.key())
            );
        }
        let (m, i) = (Units::Metric, Units::Imperial);
        assert_eq!(Unit::Hours.format(2.5, i), "2:30:00");
        assert_eq!(Unit::Percent.format(3.0, i), "+3.0 %");
        assert_eq!(Unit::Km.format(31.6, m), "31.6 km");
        assert_eq!(Unit::Km.format(42.195, i), "26.2 mi");
        assert_eq!(Unit::Metres.format(273.0, m), "273 m");
        assert_eq!(Unit::MetresPerWeek.format(100.0, i), "328 ft");
    }
}
