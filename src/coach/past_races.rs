//! Past races found in the history: by name or type, by an effort near the runner's best
//! over a standard distance, or listed in `races.toml`; each with its result, pace profile
//! and late fade.

use crate::gaps::DistanceClass;
use crate::history::RunRow;
use serde::{Deserialize, Serialize};

/// The standard distances a race is run over, metres.
pub const STANDARD_M: [(f64, &str); 4] = [
    (5_000.0, "5 km"),
    (10_000.0, "10 km"),
    (21_097.5, "half marathon"),
    (42_195.0, "marathon"),
];

/// A run is over a standard distance when its measured distance is this share of it or
/// more (a course is measured on the shortest line; a watch drops a little on bends)...
pub const STANDARD_FROM: f64 = 0.97;
/// ... up to this share (GPS overshoots by 1-3 % on a road course, more with tall
/// buildings; AIMS measures courses 0.1 % long).
pub const STANDARD_TO: f64 = 1.08;

/// An effort is "near the runner's best" within this share of their best VDOT (Daniels)
/// in the year around it: a race is run all out, and a training run over exactly a
/// standard distance rarely comes within 3 % of the best.
pub const NEAR_BEST: f64 = 0.03;

/// Late fade, after Doherty et al. 2020 ("hitting the wall" in 1-km and 5-km splits of
/// marathon runners, J Athl Train 55(5):494): a 5-km split 7.3 % or more slower than the
/// mean of the others marks a wall. Here the last quarter's grade-adjusted pace is held
/// against the rest of the race's: a sustained slowdown, as Smyth 2021 (PLoS ONE
/// 16(5):e0251513) describes hitting the wall ("a sustained period of slowing during the
/// latter stages"), measured against the runner's own earlier pace.
pub const FADE_SLOWDOWN: f64 = 0.073;
/// Doherty et al. 2020's 1-km threshold: a single kilometre this much slower than the
/// mean of the others is where the wall was hit.
pub const WALL_KM_SLOWDOWN: f64 = 0.11;

/// How a past race was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// Listed in `races.toml`.
    Listed,
    /// Its name says race (and its distance fits what the name says).
    Name,
    /// The watch or service typed it a race.
    Type,
    /// Run over a standard distance within `NEAR_BEST` of the runner's best.
    NearBest,
}

impl FoundBy {
    pub fn words(self) -> &'static str {
        match self {
            FoundBy::Listed => "listed in races.toml",
            FoundBy::Name => "its name",
            FoundBy::Type => "its type",
            FoundBy::NearBest => "an effort near your best",
        }
    }
}

/// One race of `races.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedRace {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub name: Option<String>,
    pub distance_km: Option<f64>,
    /// The official result, `H:MM:SS`.
    pub result: Option<String>,
}

/// `races.toml`: `[[race]]` tables.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RacesFile {
    #[serde(default)]
    pub race: Vec<ListedRace>,
}

/// A listed race, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub day: i64,
    pub name: Option<String>,
    pub distance_m: Option<f64>,
    pub result_s: Option<f64>,
}

/// Reads and checks `races.toml`; errors name the entry.
pub fn parse_races(text: &str) -> Result<Vec<Listed>, String> {
    let f: RacesFile = toml::from_str(text).map_err(|e| e.to_string())?;
    f.race
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = format!("race {} ({})", i + 1, r.date);
            let day = crate::calendar::parse_date(&r.date)
                .ok_or_else(|| format!("{at}: date is not YYYY-MM-DD"))?;
            let distance_m = match r.distance_km {
                Some(km) if km.is_finite() && (0.1..=1000.0).contains(&km) => Some(km * 1000.0),
                Some(km) => return Err(format!("{at}: distance_km {km} is not 0.1 to 1000")),
                None => None,
            };
            let result_s = match &r.result {
                Some(t) => Some(
                    crate::units::parse_hms(t)
                        .filter(|s| *s > 0.0 && *s < 30.0 * 86_400.0)
                        .ok_or_else(|| format!("{at}: result {t:?} is not H:MM:SS"))?,
                ),
                None => None,
            };
            Ok(Listed {
                day,
                name: r.name.clone(),
                distance_m,
                result_s,
            })
        })
        .collect()
}

/// A race of the runner's past.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastRace {
    pub day: i64,
    pub date: String,
    pub name: String,
    /// The activity recorded, when one was found.
    pub file: Option<String>,
    pub found_by: Vec<FoundBy>,
    pub class: DistanceClass,
    pub distance_m: f64,
    pub ascent_m: f64,
    pub biggest_climb_m: f64,
    /// The official result where listed, else the recording's moving time.
    pub result_s: Option<f64>,
    pub pace_s_per_km: Option<f64>,
    /// Grade-adjusted pace of each quarter of the race, s/km.
    pub quarters_s_per_km: Vec<f64>,
    /// Last quarter against the rest of the race, grade-adjusted, percent (positive:
    /// slower).
    pub late_slowdown_pct: Option<f64>,
    /// `late_slowdown_pct` at or over `FADE_SLOWDOWN`; `None` without kilometre splits.
    pub faded: Option<bool>,
    /// The first kilometre of the last quarter `WALL_KM_SLOWDOWN` slower than the others.
    pub wall_km: Option<u32>,
}

/// What a name says of a race: its distance when it names one.
fn race_words(name: &str) -> Option<Option<f64>> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    // Training named after a race's pace or a rehearsal is not a race.
    const TRAINING: [&str; 14] = [
        "pace",
        "tempo",
        "training",
        "easy",
        "recovery",
        "interval",
        "intervals",
        "reps",
        "workout",
        "long",
        "shakeout",
        "recce",
        "recon",
        "warmup",
    ];
    if TRAINING.iter().any(|w| has(w)) {
        return None;
    }
    let half = has("half") || has("halbmarathon") || has("semi") || has("21k") || has("21km");
    let marathon = has("marathon") || has("maraton") || has("42k");
    let distance = if half {
        Some(21_097.5)
    } else if marathon {
        Some(42_195.0)
    } else if has("10k") || has("10km") || (has("10") && has("km")) {
        Some(10_000.0)
    } else if has("5k") || has("5km") || has("parkrun") || (has("5") && has("km")) {
        Some(5_000.0)
    } else {
        None
    };
    let generic = [
        "race",
        "ultra",
        "wettkampf",
        "rennen",
        "course",
        "carrera",
        "gara",
    ];
    (distance.is_some() || generic.iter().any(|w| has(w))).then_some(distance)
}

/// Whether a distance fits a standard one.
pub fn fits(distance_m: f64, standard_m: f64) -> bool {
    distance_m >= STANDARD_FROM * standard_m && distance_m <= STANDARD_TO * standard_m
}

/// The standard distance a run was over, if any.
pub fn standard_of(distance_m: f64) -> Option<f64> {
    STANDARD_M
        .iter()
        .map(|(m, _)| *m)
        .find(|m| fits(distance_m, *m))
}

/// The run's name, else its file's name without the extension (a watch's file has no name,
/// but a runner may have named the file "2024-10-13-half-marathon.fit").
fn name_or_file(r: &RunRow) -> String {
    r.name.clone().unwrap_or_else(|| {
        let f = crate::history::file_name(&r.file);
        f.split('.').next().unwrap_or(f).to_string()
    })
}

fn by_name(r: &RunRow) -> bool {
    let Some(said) = race_words(&name_or_file(r)) else {
        return false;
    };
    match said {
        Some(m) => fits(r.distance_m, m),
        // "Race", "ultra": anything from a 5 km.
        None => r.distance_m >= STANDARD_FROM * 5_000.0,
    }
}

fn by_type(r: &RunRow) -> bool {
    r.kind_raw.as_deref().is_some_and(|k| {
        k.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "race")
    }) && r.distance_m >= STANDARD_FROM * 5_000.0
}

/// The time of a run's best effort over `m`, seconds.
fn effort_s(r: &RunRow, m: f64) -> Option<f64> {
    r.stats
        .best_efforts
        .iter()
        .find(|e| (e.distance_m - m).abs() < 1.0)
        .map(|e| e.time_s)
}

/// The VDOT of a run's effort over the standard distance it was run over.
fn effort_vdot(r: &RunRow) -> Option<f64> {
    let m = standard_of(r.distance_m)?;
    effort_s(r, m).map(|t| crate::predict::vdot(m, t))
}

/// The best VDOT of a run's efforts from 5 km up (shorter ones overstate).
fn best_vdot(r: &RunRow) -> Option<f64> {
    r.stats
        .best_efforts
        .iter()
        .filter(|e| e.distance_m >= 5_000.0 && e.time_s > 0.0)
        .map(|e| crate::predict::vdot(e.distance_m, e.time_s))
        .reduce(f64::max)
}

/// Runs needed in the year around an effort for "the runner's best" to mean something.
const NEAR_BEST_MIN_RUNS: usize = 5;

/// Runs over a standard distance whose effort over it is within `NEAR_BEST` of the
/// runner's best (by VDOT, so a 10 km race and a half compare) in the 365 days either side.
fn near_best(runs: &[&RunRow]) -> Vec<usize> {
    let vdots: Vec<Option<f64>> = runs.iter().map(|r| best_vdot(r)).collect();
    let mut out = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        let Some(mine) = effort_vdot(r) else { continue };
        let around: Vec<f64> = runs
            .iter()
            .zip(&vdots)
            .filter(|(o, _)| (o.day - r.day).abs() <= 365)
            .filter_map(|(_, v)| *v)
            .collect();
        let best = around.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if around.len() >= NEAR_BEST_MIN_RUNS && mine >= best * (1.0 - NEAR_BEST) {
            out.push(i);
        }
    }
    out
}

/// Mean grade-adjusted pace of each quarter of the km splits.
pub fn quarters(splits: &[f64]) -> Vec<f64> {
    if splits.len() < 4 {
        return Vec::new();
    }
    let n = splits.len();
    (0..4)
        .map(|q| {
            let (a, b) = (q * n / 4, (q + 1) * n / 4);
            splits[a..b].iter().sum::<f64>() / (b - a) as f64
        })
        .collect()
}

/// The last quarter's pace against the rest, percent slower, and the first kilometre of
/// the last quarter that hit the wall (1-based).
pub fn late_slowdown(splits: &[f64]) -> Option<(f64, Option<u32>)> {
    if splits.len() < 4 || splits.iter().any(|s| !s.is_finite() || *s <= 0.0) {
        return None;
    }
    let n = splits.len();
    let from = n - n / 4;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let slowdown = (mean(&splits[from..]) / mean(&splits[..from]) - 1.0) * 100.0;
    let total: f64 = splits.iter().sum();
    let wall = (from..n).find(|&i| {
        let others = (total - splits[i]) / (n - 1) as f64;
        splits[i] >= others * (1.0 + WALL_KM_SLOWDOWN)
    });
    Some((slowdown, wall.map(|i| i as u32 + 1)))
}

fn race_of(r: &RunRow, found_by: Vec<FoundBy>, listed: Option<&Listed>) -> PastRace {
    let splits = &r.stats.gap_splits_s_per_km;
    let slow = late_slowdown(splits);
    let result_s = listed
        .and_then(|l| l.result_s)
        .or((r.moving_s > 0.0).then_some(r.moving_s));
    let distance_m = listed.and_then(|l| l.distance_m).unwrap_or(r.distance_m);
    PastRace {
        day: r.day,
        date: crate::calendar::format_day(r.day),
        name: listed
            .and_then(|l| l.name.clone())
            .or_else(|| r.name.clone())
            .unwrap_or_else(|| crate::history::file_name(&r.file).to_string()),
        file: Some(r.file.clone()),
        found_by,
        class: DistanceClass::of(distance_m, distance_m / 1000.0 + r.ascent_m / 100.0),
        distance_m,
        ascent_m: r.ascent_m,
        biggest_climb_m: r.biggest_climb_m,
        pace_s_per_km: result_s
            .filter(|_| distance_m > 0.0)
            .map(|s| s / (distance_m / 1000.0)),
        result_s,
        quarters_s_per_km: quarters(splits),
        late_slowdown_pct: slow.map(|s| s.0),
        faded: slow.map(|s| s.0 >= FADE_SLOWDOWN * 100.0),
        wall_km: slow.and_then(|s| s.1),
    }
}

/// The races of `rows` before `before_day`: listed ones (matched to the day's run nearest
/// their distance, else kept without a recording), then runs named or typed a race, then
/// efforts near the runner's best; one entry per run, oldest first.
pub fn find(rows: &[RunRow], listed: &[Listed], before_day: i64) -> Vec<PastRace> {
    let runs: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && r.day < before_day)
        .collect();
    let mut found: Vec<(usize, Vec<FoundBy>, Option<&Listed>)> = Vec::new();
    let mut unmatched = Vec::new();
    for l in listed.iter().filter(|l| l.day < before_day) {
        let on_day = runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.day == l.day)
            .min_by(|a, b| {
                let off = |r: &RunRow| match l.distance_m {
                    Some(m) => (r.distance_m - m).abs(),
                    None => -r.distance_m,
                };
                off(a.1).total_cmp(&off(b.1))
            });
        match on_day {
            Some((i, _)) => found.push((i, vec![FoundBy::Listed], Some(l))),
            None => unmatched.push(l),
        }
    }
    let near = near_best(&runs);
    for (i, r) in runs.iter().enumerate() {
        let mut how = Vec::new();
        if by_name(r) {
            how.push(FoundBy::Name);
        }
        if by_type(r) {
            how.push(FoundBy::Type);
        }
        if near.contains(&i) {
            how.push(FoundBy::NearBest);
        }
        if how.is_empty() {
            continue;
        }
        match found.iter_mut().find(|f| f.0 == i) {
            Some(f) => f.1.extend(how),
            None => found.push((i, how, None)),
        }
    }
    let mut out: Vec<PastRace> = found
        .into_iter()
        .map(|(i, how, l)| race_of(runs[i], how, l))
        .collect();
    out.extend(unmatched.into_iter().filter_map(|l| {
        let distance_m = l.distance_m?;
        Some(PastRace {
            day: l.day,
            date: crate::calendar::format_day(l.day),
            name: l.name.clone().unwrap_or_else(|| "race".into()),
            file: None,
            found_by: vec![FoundBy::Listed],
            class: DistanceClass::of(distance_m, distance_m / 1000.0),
            distance_m,
            ascent_m: 0.0,
            biggest_climb_m: 0.0,
            result_s: l.result_s,
            pace_s_per_km: l.result_s.map(|s| s / (distance_m / 1000.0)),
            quarters_s_per_km: Vec::new(),
            late_slowdown_pct: None,
            faded: None,
            wall_km: None,
        })
    }));
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.name.cmp(&b.name)));
    out
}

/// A race of the same kind as a target of class `c`.
pub fn same_kind(r: &PastRace, c: DistanceClass) -> bool {
    r.class == c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_say_race_and_names_of_training() {
        assert_eq!(race_words("Berlin Marathon 2024"), Some(Some(42_195.0)));
        assert_eq!(
            race_words("Great North Run - half marathon"),
            Some(Some(21_097.5))
        );
        assert_eq!(race_words("Parkrun #312"), Some(Some(5_000.0)));
        assert_eq!(race_words("Town 10K"), Some(Some(10_000.0)));
        assert_eq!(race_words("Lakes Ultra"), Some(None));
        assert_eq!(race_words("Marathon pace long run"), None);
        assert_eq!(race_words("Race pace intervals"), None);
        assert_eq!(race_words("Morning Run"), None);
    }

    #[test]
    fn a_distance_fits_a_standard_one_within_gps_error() {
        assert!(fits(42_600.0, 42_195.0));
        assert!(!fits(40_000.0, 42_195.0));
        assert_eq!(standard_of(10_150.0), Some(10_000.0));
        assert_eq!(standard_of(15_000.0), None);
    }

    /// Hand-computed: 15 splits of 300 s then 5 of 330 s. The last quarter (5 km) averages
    /// 330, the rest 300: 10 % slower, a fade (7.3 % or more). Each 330 s km against the
    /// mean of the other 19 ((15·300 + 4·330)/19 = 306.3): 7.7 % slower, under the 11 %
    /// of a wall.
    #[test]
    fn a_hand_computed_fade_and_no_wall() {
        let mut s = vec![300.0; 15];
        s.extend([330.0; 5]);
        let (pct, wall) = late_slowdown(&s).unwrap();
        assert!((pct - 10.0).abs() < 1e-9, "{pct}");
        assert_eq!(wall, None);
        assert_eq!(quarters(&s), vec![300.0, 300.0, 300.0, 330.0]);
    }

    /// 20 splits of 300 s with km 17 at 345 s: that km is 15 % slower than the rest (a
    /// wall, 11 % or more); the last quarter averages (345 + 4·300)/5 = 309, 3 % slower:
    /// no sustained fade.
    #[test]
    fn one_slow_kilometre_is_a_wall_but_not_a_fade() {
        let mut s = vec![300.0; 20];
        s[16] = 345.0;
        let (pct, wall) = late_slowdown(&s).unwrap();
        assert!((pct - 3.0).abs() < 1e-9, "{pct}");
        assert_eq!(wall, Some(17));
        assert!(late_slowdown(&[300.0, 300.0, 300.0]).is_none());
    }

    #[test]
    fn races_toml_is_checked_and_names_its_entry() {
        let ok = parse_races(
            "[[race]]\ndate = \"2025-10-12\"\nname = \"Town Half\"\ndistance_km = 21.1\nresult = \"1:45:30\"\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].result_s, Some(6330.0));
        assert_eq!(ok[0].day, crate::calendar::days_from_civil(2025, 10, 12));
        let bad = parse_races("[[race]]\ndate = \"2025-13-40\"\n").unwrap_err();
        assert!(bad.contains("race 1"), "{bad}");
        let bad = parse_races("[[race]]\ndate = \"2025-10-12\"\nresult = \"fast\"\n").unwrap_err();
        assert!(bad.contains("result"), "{bad}");
        assert!(parse_races("[[race]]\ndate = \"2025-10-12\"\ncolour = 1\n").is_err());
    }
}
