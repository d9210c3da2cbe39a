//! Past races found in the history: by name or type, by an effort near the runner's best
//! over a standard distance, or listed in `races.toml`; each with its result, pace profile
//! and late fade.

use crate::gaps::DistanceClass;
use crate::history::RunRow;
use serde::{Deserialize, Serialize};

/// The standard distances a race is run over, metres.
pub const STANDARD_M: [f64; 4] = [5_000.0, 10_000.0, 21_097.5, 42_195.0];

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
    /// `"YYYY-MM-DD"`, or a TOML date (`2025-10-12`).
    pub date: toml::Value,
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
            let date = match &r.date {
                toml::Value::String(t) => t.clone(),
                toml::Value::Datetime(d) => d.to_string(),
                other => other.to_string(),
            };
            let at = format!("race {} ({date})", i + 1);
            let day = crate::calendar::parse_date(&date)
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
            if let (Some(m), Some(s)) = (distance_m, result_s) {
                if let Some(record) = crate::history::beats_the_record(m, s) {
                    return Err(format!(
                        "{at}: {} in {} is faster than the road record over that distance ({})",
                        crate::units::Units::Metric.distance(m),
                        crate::units::hms(s),
                        crate::units::hms(record)
                    ));
                }
            }
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
    let half = [
        "half",
        "halbmarathon",
        "semi",
        "mezza",
        "media",
        "halvmaraton",
        "halve",
        "półmaraton",
        "polmaraton",
        "21k",
        "21km",
    ]
    .iter()
    .any(|w| has(w));
    // Marathon, maratón, maratona, maraton, maratonas.
    let marathon = words.iter().any(|w| w.starts_with("marat")) || has("42k");
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
    STANDARD_M.into_iter().find(|m| fits(distance_m, *m))
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

/// The time of a run's best effort over `m`, seconds; for a run a little short of `m` (a
/// course the watch measured 9.99 km), its whole time carried to `m`.
fn effort_s(r: &RunRow, m: f64) -> Option<f64> {
    r.stats
        .best_efforts
        .iter()
        .find(|e| (e.distance_m - m).abs() < 1.0)
        .map(|e| e.time_s)
        .or_else(|| {
            (r.distance_m < m && fits(r.distance_m, m) && r.moving_s > 0.0)
                .then(|| r.moving_s * m / r.distance_m)
        })
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

/// The last quarter's grade-adjusted pace against the first three quarters', percent
/// slower (the quarters are of equal distance, so the mean of their paces is the pace
/// over them).
pub fn late_slowdown(quarters: &[f64]) -> Option<f64> {
    if quarters.len() != 4 || quarters.iter().any(|q| !q.is_finite() || *q <= 0.0) {
        return None;
    }
    let rest = (quarters[0] + quarters[1] + quarters[2]) / 3.0;
    Some((quarters[3] / rest - 1.0) * 100.0)
}

/// The first whole kilometre of the last quarter `WALL_KM_SLOWDOWN` slower than the mean
/// of the others (1-based).
pub fn wall_km(splits: &[f64]) -> Option<u32> {
    let n = splits.len();
    if n < 4 || splits.iter().any(|s| !s.is_finite() || *s <= 0.0) {
        return None;
    }
    let total: f64 = splits.iter().sum();
    (n - n / 4..n)
        .find(|&i| splits[i] >= (total - splits[i]) / (n - 1) as f64 * (1.0 + WALL_KM_SLOWDOWN))
        .map(|i| i as u32 + 1)
}

fn race_of(r: &RunRow, found_by: Vec<FoundBy>, listed: Option<&Listed>) -> PastRace {
    let quarters = &r.stats.quarters_s_per_km;
    let slow = late_slowdown(quarters);
    let result_s = listed
        .and_then(|l| l.result_s)
        .or((r.moving_s > 0.0).then_some(r.moving_s));
    let distance_m = listed.and_then(|l| l.distance_m).unwrap_or(r.distance_m);
    PastRace {
        day: r.day,
        date: crate::calendar::format_day(r.day),
        name: listed
            .and_then(|l| l.name.clone())
            .unwrap_or_else(|| r.display_name()),
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
        quarters_s_per_km: quarters.clone(),
        late_slowdown_pct: slow,
        faded: slow.map(|s| s >= FADE_SLOWDOWN * 100.0),
        wall_km: wall_km(&r.stats.gap_splits_s_per_km),
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
    let mut seen: Vec<(i64, Option<i64>)> = Vec::new();
    for l in listed.iter().filter(|l| l.day < before_day) {
        // The same race listed twice (same day and distance) is one race.
        let key = (l.day, l.distance_m.map(|m| m.round() as i64));
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        // The day's run nearest the race's distance, and only one that fits it (a long
        // run the same day is not the race); without a distance, the day's longest.
        let on_day = runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.day == l.day)
            .filter(|(_, r)| l.distance_m.is_none_or(|m| fits(r.distance_m, m)))
            .filter(|(i, _)| !found.iter().any(|f| f.0 == *i))
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
        assert_eq!(race_words("Maratona di Roma"), Some(Some(42_195.0)));
        assert_eq!(race_words("Media Maratón de Madrid"), Some(Some(21_097.5)));
        assert_eq!(race_words("Półmaraton Warszawski"), Some(Some(21_097.5)));
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

    /// Hand-computed: quarters at 4:00, 4:00, 4:00 and 5:00 /km: the last is 25 % slower
    /// than the rest, a fade (7.3 % or more); 4:00, 4:10, 3:50, 4:10: 4.2 %, held.
    #[test]
    fn a_hand_computed_fade() {
        let pct = late_slowdown(&[240.0, 240.0, 240.0, 300.0]).unwrap();
        assert!((pct - 25.0).abs() < 1e-9, "{pct}");
        let pct = late_slowdown(&[240.0, 250.0, 230.0, 250.0]).unwrap();
        assert!((pct - 250.0 / 240.0 * 100.0 + 100.0).abs() < 1e-9, "{pct}");
        assert!(late_slowdown(&[240.0, 240.0, 240.0]).is_none());
    }

    /// 20 splits of 300 s with km 17 at 345 s: that km is 15 % slower than the mean of the
    /// others, a wall (11 % or more); 16 at 300 and 4 at 330: each 330 against (16·300 +
    /// 3·330)/19 = 304.7 is 8.3 % slower, no wall.
    #[test]
    fn a_wall_is_one_kilometre_11_pct_slower_in_the_last_quarter() {
        let mut s = vec![300.0; 20];
        s[16] = 345.0;
        assert_eq!(wall_km(&s), Some(17));
        let mut s = vec![300.0; 16];
        s.extend([330.0; 4]);
        assert_eq!(wall_km(&s), None);
        // A slow first kilometre is not a wall: only the last quarter counts.
        let mut s = vec![300.0; 20];
        s[0] = 400.0;
        assert_eq!(wall_km(&s), None);
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
        // A TOML date is a date too; a half in 30 minutes is not a result.
        assert_eq!(
            parse_races("[[race]]\ndate = 2025-10-12\n").unwrap()[0].day,
            ok[0].day
        );
        let bad = parse_races(
            "[[race]]\ndate = \"2025-10-12\"\ndistance_km = 21.1\nresult = \"0:30:00\"\n",
        )
        .unwrap_err();
        assert!(bad.contains("faster than the road record"), "{bad}");
    }
}
