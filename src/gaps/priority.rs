//! What to fix first: the shortfalls ranked by what matters for this kind of race, then by
//! how far short they fall.

use super::profile::{DistanceClass, RaceProfile, Terrain};
use super::{Dimension, Gap, Verdict};

/// How much a dimension matters for a race of this profile: 3 decides the race, 2 costs
/// minutes, 1 helps; the goal's realism is 4, first whatever else falls short, because a
/// goal the training does not support changes what every other row asks. The orders follow the specificity principle for each kind of race
/// (docs/ARCHITECTURE.md, "What to fix first"): the long run and goal pace for road races
/// from the half up (Pfitzinger & Latter 2015), speed at and beyond race pace for 5 and
/// 10 km, climbing, descending and time on feet off road and in ultras (Koop 2016; ITRA's
/// km-effort counts climbing as distance).
pub fn weight(d: Dimension, p: &RaceProfile) -> u8 {
    use Dimension::*;
    let off_road = p.terrain.off_road();
    let hilly = p.terrain != Terrain::Road;
    match (d, p.distance) {
        (GoalRealism, _) => 4,
        (GoalPaceOrFaster, DistanceClass::FiveK | DistanceClass::TenK) => 3,
        (Distance | LongRunFrequency, DistanceClass::Half | DistanceClass::Marathon)
            if !off_road =>
        {
            3
        }
        (GoalPaceLongest, DistanceClass::Half | DistanceClass::Marathon) if !off_road => 3,
        (TimeOnFeet | BackToBack, DistanceClass::Ultra) => 3,
        (TimeOnFeet, _) if off_road => 3,
        (ClimbingBiggest | DescendingBiggest, _) if off_road => 3,
        (ClimbingBiggest | DescendingBiggest, _) if hilly => 2,
        (SessionClimbing | SessionDescending | LongRunClimbing, _) if off_road => 2,
        (ClimbingWeekly | DescendingWeekly, _) if hilly => 2,
        (Distance | LongRunFrequency | TimeOnFeet, _) => 2,
        (GoalPaceVolume | LateFade | Heat | Load, _) => 2,
        _ => 1,
    }
}

/// How many rows "Fix these first" lists; the table below holds the rest.
pub const FIX_FIRST_MAX: usize = 5;

/// The rows that fall short, most important first: by weight, then missing before short,
/// then the smaller share of the demand met; ties keep the rulebook's order.
pub fn fix_first<'a>(gaps: &'a [Gap], p: &RaceProfile) -> Vec<&'a Gap> {
    let mut short: Vec<&Gap> = gaps.iter().filter(|g| g.verdict.falls_short()).collect();
    short.sort_by(|a, b| {
        weight(b.dimension, p)
            .cmp(&weight(a.dimension, p))
            .then((b.verdict == Verdict::Missing).cmp(&(a.verdict == Verdict::Missing)))
            .then(a.ratio.unwrap_or(0.0).total_cmp(&b.ratio.unwrap_or(0.0)))
    });
    short
}

/// Every row in the order the tables list them: judged rows in the rulebook's order, then
/// the unknown ones, then those not for this race.
pub fn table_order(gaps: &[Gap]) -> Vec<&Gap> {
    let rank = |g: &Gap| match g.verdict {
        Verdict::Unknown => 1,
        Verdict::NotForThisRace => 2,
        _ => 0,
    };
    let mut rows: Vec<&Gap> = gaps.iter().collect();
    rows.sort_by_key(|g| rank(g));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::Unit;

    fn profile(terrain: Terrain, distance: DistanceClass) -> RaceProfile {
        RaceProfile {
            distance,
            terrain,
            climb_m_per_km: 0.0,
            km_effort: 0.0,
            source: String::new(),
            terrain_known: true,
        }
    }

    fn gap(d: Dimension, verdict: Verdict, ratio: f64) -> Gap {
        Gap {
            dimension: d,
            title: d.title(),
            demand: 1.0,
            best: Some(ratio),
            recent: None,
            unit: Unit::Km,
            ratio: Some(ratio),
            verdict,
            detail: String::new(),
            advice: String::new(),
            best_run: None,
        }
    }

    #[test]
    fn each_kind_of_race_puts_its_own_demands_first() {
        let gaps = vec![
            gap(Dimension::Distance, Verdict::Short, 0.7),
            gap(Dimension::ClimbingBiggest, Verdict::Missing, 0.3),
            gap(Dimension::Heat, Verdict::Missing, 0.0),
            gap(Dimension::Load, Verdict::Ok, 1.0),
            gap(Dimension::TimeOnFeet, Verdict::Short, 0.8),
            gap(Dimension::GoalPaceOrFaster, Verdict::Short, 0.6),
        ];
        let order = |p: &RaceProfile| -> Vec<Dimension> {
            fix_first(&gaps, p).iter().map(|g| g.dimension).collect()
        };
        use Dimension::*;
        // A flat marathon: the long run first; then the missing before the short ones.
        assert_eq!(
            order(&profile(Terrain::Road, DistanceClass::Marathon)),
            [
                Distance,
                Heat,
                TimeOnFeet,
                ClimbingBiggest,
                GoalPaceOrFaster
            ]
        );
        // A mountain ultra: time on feet and the climb decide it.
        assert_eq!(
            order(&profile(Terrain::Mountain, DistanceClass::Ultra)),
            [
                ClimbingBiggest,
                TimeOnFeet,
                Heat,
                Distance,
                GoalPaceOrFaster
            ]
        );
        // A road 10 km: speed at race pace and faster.
        assert_eq!(
            order(&profile(Terrain::Road, DistanceClass::TenK))[0],
            GoalPaceOrFaster
        );
        // Only what falls short is listed.
        assert!(!order(&profile(Terrain::Road, DistanceClass::TenK)).contains(&Load));
    }

    #[test]
    fn unknown_and_not_for_this_race_rows_come_last() {
        let gaps = vec![
            gap(Dimension::Heat, Verdict::Unknown, 0.0),
            gap(Dimension::BackToBack, Verdict::NotForThisRace, 0.0),
            gap(Dimension::Distance, Verdict::Ok, 1.0),
            gap(Dimension::Load, Verdict::Short, 0.5),
        ];
        let order: Vec<Dimension> = table_order(&gaps).iter().map(|g| g.dimension).collect();
        assert_eq!(
            order,
            [
                Dimension::Distance,
                Dimension::Load,
                Dimension::Heat,
                Dimension::BackToBack
            ]
        );
    }
}
