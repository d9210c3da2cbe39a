//! The race profile: its distance class and its terrain, inferred from the course or
//! declared (`kind = "mountain-ultra"`). The profile chooses the rules a race is judged by.

use crate::race::{km_effort, RaceDemands};
use crate::units::Units;
use serde::Serialize;
use std::fmt;

/// How long the race is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DistanceClass {
    #[serde(rename = "5k")]
    FiveK,
    #[serde(rename = "10k")]
    TenK,
    Half,
    Marathon,
    Ultra,
}

/// What ground it is run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Terrain {
    Road,
    HillyRoad,
    Trail,
    Mountain,
}

impl DistanceClass {
    pub fn key(self) -> &'static str {
        match self {
            DistanceClass::FiveK => "5k",
            DistanceClass::TenK => "10k",
            DistanceClass::Half => "half",
            DistanceClass::Marathon => "marathon",
            DistanceClass::Ultra => "ultra",
        }
    }

    /// The class of an official distance (metres) and ITRA km-effort: up to 7.5 km a
    /// 5 km, up to 15 km a 10 km, up to 30 km a half, up to 45 km a marathon, beyond an
    /// ultra; and an ultra whatever its length from 75 km-effort on (ITRA's "M" category,
    /// winners' times of 5-8 h: ITRA, "Our measuring tools").
    pub fn of(distance_m: f64, km_effort: f64) -> DistanceClass {
        if distance_m > 45_000.0 || km_effort >= ULTRA_KM_EFFORT {
            DistanceClass::Ultra
        } else if distance_m > 30_000.0 {
            DistanceClass::Marathon
        } else if distance_m > 15_000.0 {
            DistanceClass::Half
        } else if distance_m > 7_500.0 {
            DistanceClass::TenK
        } else {
            DistanceClass::FiveK
        }
    }
}

/// A course of this ITRA km-effort or more is an ultra in duration.
pub const ULTRA_KM_EFFORT: f64 = 75.0;

/// Climbing per km from which a course is a mountain race: the Fell Runners Association's
/// category A (at least 50 m per km; FRA Rules for Competition), also the low end of
/// mountain running's 5-20 % average incline (WMRA).
pub const MOUNTAIN_M_PER_KM: f64 = 50.0;
/// A single climb of this height makes a mountain race whatever the average.
pub const MOUNTAIN_CLIMB_M: f64 = 1_000.0;
/// Climbing per km of a trail (hill) race: the FRA's category C (at least 20 m per km).
pub const TRAIL_M_PER_KM: f64 = 20.0;
/// Climbing per km above which a road race is hilly (a third of FRA category B's 25 m:
/// Boston climbs 6 m per km, Big Sur about 15).
pub const HILLY_ROAD_M_PER_KM: f64 = 10.0;

impl Terrain {
    pub fn key(self) -> &'static str {
        match self {
            Terrain::Road => "road",
            Terrain::HillyRoad => "hilly-road",
            Terrain::Trail => "trail",
            Terrain::Mountain => "mountain",
        }
    }

    /// The terrain of a course that climbs `m_per_km` with a biggest climb of `climb_m`.
    pub fn of(m_per_km: f64, climb_m: f64) -> Terrain {
        if m_per_km >= MOUNTAIN_M_PER_KM || climb_m >= MOUNTAIN_CLIMB_M {
            Terrain::Mountain
        } else if m_per_km >= TRAIL_M_PER_KM {
            Terrain::Trail
        } else if m_per_km >= HILLY_ROAD_M_PER_KM {
            Terrain::HillyRoad
        } else {
            Terrain::Road
        }
    }

    /// Off road: pace is set by the ground, and judged by effort, not by the watch.
    pub fn off_road(self) -> bool {
        matches!(self, Terrain::Trail | Terrain::Mountain)
    }
}

/// The race's profile and how it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaceProfile {
    pub distance: DistanceClass,
    pub terrain: Terrain,
    /// Course climbing per km (official distance), and its ITRA km-effort.
    pub climb_m_per_km: f64,
    pub km_effort: f64,
    /// "declared in the race file" or the measured reasons.
    pub source: String,
    /// False when the terrain was assumed (a course without elevation, no kind declared).
    pub terrain_known: bool,
}

impl fmt::Display for RaceProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.terrain.key(), self.distance.key())
    }
}

/// Reads `kind` as written in a race file: `mountain-ultra`, `road-marathon`,
/// `hilly-road-half`, `trail-10k`; either part alone (`ultra`, `trail`) leaves the other
/// to the course.
pub fn parse_kind(text: &str) -> Option<(Option<Terrain>, Option<DistanceClass>)> {
    let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    let terrains = [
        ("hilly-road", Terrain::HillyRoad),
        ("road", Terrain::Road),
        ("trail", Terrain::Trail),
        ("mountain", Terrain::Mountain),
        ("fell", Terrain::Mountain),
    ];
    let classes = [
        ("5k", DistanceClass::FiveK),
        ("10k", DistanceClass::TenK),
        ("half", DistanceClass::Half),
        ("half-marathon", DistanceClass::Half),
        ("marathon", DistanceClass::Marathon),
        ("ultra", DistanceClass::Ultra),
    ];
    let class_of = |s: &str| classes.iter().find(|c| c.0 == s).map(|c| c.1);
    if let Some(c) = class_of(&t) {
        return Some((None, Some(c)));
    }
    for (name, terrain) in terrains {
        if t == name {
            return Some((Some(terrain), None));
        }
        if let Some(rest) = t.strip_prefix(name).and_then(|r| r.strip_prefix('-')) {
            return class_of(rest).map(|c| (Some(terrain), Some(c)));
        }
    }
    None
}

/// Km-effort from which a race of 30 km or more may be declared an ultra (a mountain
/// marathon with 2,000 m of climbing and more), though under `ULTRA_KM_EFFORT`.
pub const DECLARED_ULTRA_KM_EFFORT: f64 = 60.0;

/// Refuses a declared distance class the race's distance contradicts: a 5 km kind on a
/// marathon course, an ultra kind on a road marathon, a marathon kind on 100 km. An ultra
/// may be declared from 30 km and 60 km-effort (a hard mountain marathon); a marathon for
/// an ultra by effort alone, up to 45 km.
pub fn check_declared(declared: Option<DistanceClass>, d: &RaceDemands) -> Result<(), String> {
    let Some(c) = declared else { return Ok(()) };
    let effort = km_effort(d);
    let inferred = DistanceClass::of(d.race_distance_m, effort);
    let by_length = DistanceClass::of(d.race_distance_m, 0.0);
    let ok = c == inferred
        || c == by_length
        || (c == DistanceClass::Ultra
            && d.race_distance_m >= 30_000.0
            && effort >= DECLARED_ULTRA_KM_EFFORT);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "kind says {} but the race is {:.2} km, a {}: set the official distance (distance_km) or the kind that fits",
            c.key(),
            d.race_distance_m / 1000.0,
            inferred.key()
        ))
    }
}

/// The kinds `parse_kind` reads, for messages.
pub const KINDS: &str = "road, hilly-road, trail or mountain, then 5k, 10k, half, marathon or ultra (e.g. mountain-ultra); or one of the two";

/// The profile of a course: inferred, with any declared part taking precedence; the
/// reasons are written in `u`.
pub fn profile(
    d: &RaceDemands,
    declared: (Option<Terrain>, Option<DistanceClass>),
    u: Units,
) -> RaceProfile {
    let effort = km_effort(d);
    let scale = d.official_scale();
    let per_km = if d.race_distance_m > 0.0 {
        d.climbing_m() * scale / (d.race_distance_m / 1000.0)
    } else {
        0.0
    };
    let climb = if d.has_elevation {
        d.biggest_climb().map(|c| c.gain_m).unwrap_or(0.0)
    } else {
        d.waypoint_biggest_rise_m.unwrap_or(0.0)
    };
    let from_waypoints = !d.has_elevation && d.waypoint_climb_m.is_some();
    let distance = declared
        .1
        .unwrap_or_else(|| DistanceClass::of(d.race_distance_m, effort));
    // Waypoint heights are a lower bound: they can show that a course is off road, never
    // that it is not.
    let by_climbing = Terrain::of(per_km, climb);
    let terrain_known = declared.0.is_some()
        || d.has_elevation
        || (from_waypoints && by_climbing >= Terrain::Trail);
    // Waypoints showing at least a hilly road give that much, the terrain still unknown.
    let terrain = declared.0.unwrap_or(if terrain_known || from_waypoints {
        by_climbing
    } else {
        Terrain::Road
    });
    let mut why = Vec::new();
    match declared {
        (Some(_), Some(_)) => why.push(format!(
            "declared; the course: {}, {} of climbing",
            u.distance_dp(d.race_distance_m, 1),
            u.climb_rate(per_km)
        )),
        _ => {
            if declared.1.is_some() {
                why.push("distance class declared".into());
            } else {
                why.push(format!(
                    "{}, {:.0} km-effort",
                    u.distance_dp(d.race_distance_m, 1),
                    effort
                ));
            }
            if declared.0.is_some() {
                why.push("terrain declared".into());
            } else if d.has_elevation {
                why.push(format!(
                    "{} of climbing, biggest climb {}",
                    u.climb_rate(per_km),
                    u.height(climb)
                ));
            } else if from_waypoints {
                why.push(format!(
                    "no elevation in the course; its waypoints' heights climb at least {}, the biggest rise {}{}",
                    u.climb_rate(per_km),
                    u.height(climb),
                    if terrain_known { "" } else { ": at least that, set kind if it is more" }
                ));
            } else {
                why.push("no elevation in the course: road assumed (set kind if it is not)".into());
            }
        }
    }
    RaceProfile {
        distance,
        terrain,
        climb_m_per_km: per_km,
        km_effort: effort,
        source: why.join("; "),
        terrain_known,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_classes_by_length_and_effort() {
        assert_eq!(DistanceClass::of(5_000.0, 5.0), DistanceClass::FiveK);
        assert_eq!(DistanceClass::of(10_000.0, 10.5), DistanceClass::TenK);
        assert_eq!(DistanceClass::of(21_097.5, 22.0), DistanceClass::Half);
        assert_eq!(DistanceClass::of(42_195.0, 48.0), DistanceClass::Marathon);
        assert_eq!(DistanceClass::of(50_000.0, 51.0), DistanceClass::Ultra);
        // A 42 km mountain marathon with 3,300 m of climbing is an ultra in effort.
        assert_eq!(DistanceClass::of(42_195.0, 75.2), DistanceClass::Ultra);
    }

    #[test]
    fn terrain_by_climbing() {
        assert_eq!(Terrain::of(3.0, 20.0), Terrain::Road);
        assert_eq!(Terrain::of(15.0, 200.0), Terrain::HillyRoad);
        assert_eq!(Terrain::of(25.0, 300.0), Terrain::Trail);
        assert_eq!(Terrain::of(58.0, 900.0), Terrain::Mountain);
        assert_eq!(Terrain::of(30.0, 1_200.0), Terrain::Mountain);
    }

    #[test]
    fn kinds_parse() {
        use DistanceClass::*;
        use Terrain::*;
        assert_eq!(
            parse_kind("mountain-ultra"),
            Some((Some(Mountain), Some(Ultra)))
        );
        assert_eq!(
            parse_kind("Hilly road half"),
            Some((Some(HillyRoad), Some(Half)))
        );
        assert_eq!(parse_kind("road-10k"), Some((Some(Road), Some(TenK))));
        assert_eq!(parse_kind("ultra"), Some((None, Some(Ultra))));
        assert_eq!(parse_kind("trail"), Some((Some(Trail), None)));
        assert_eq!(parse_kind("fell-half"), Some((Some(Mountain), Some(Half))));
        assert_eq!(parse_kind("road-mile"), None);
        assert_eq!(parse_kind("swim"), None);
    }
}
