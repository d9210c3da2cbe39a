//! Generated training histories for end-to-end tests: GPX runs of a runner whose pace on
//! each grade is set here (its own model, not racegap's), on ground of a chosen shape.

use racegap::calendar::{civil_from_days, days_from_civil};
use std::fmt::Write as _;
use std::path::Path;

/// Metres per degree of latitude at 54.6° N (WGS84 meridian arc).
const M_PER_DEG_LAT: f64 = 111_372.0;

/// The ground a run is on: rolling hills of `amplitude_m` every `wavelength_m`.
#[derive(Clone, Copy, Debug)]
pub struct Ground {
    pub amplitude_m: f64,
    pub wavelength_m: f64,
}

pub const FLAT: Ground = Ground {
    amplitude_m: 2.0,
    wavelength_m: 2_000.0,
};
/// Hill repeats: 150 m up and down every 2 km (up to 24 %).
pub const HILLS: Ground = Ground {
    amplitude_m: 150.0,
    wavelength_m: 2_000.0,
};
/// Mountains: 800 m climbs and descents every 10 km (up to 25 %).
pub const MOUNTAIN: Ground = Ground {
    amplitude_m: 800.0,
    wavelength_m: 10_000.0,
};

impl Ground {
    pub fn elevation(&self, x: f64) -> f64 {
        100.0
            + self.amplitude_m * (1.0 - (2.0 * std::f64::consts::PI * x / self.wavelength_m).cos())
                / 2.0
    }
    fn grade(&self, x: f64) -> f64 {
        (self.elevation(x + 5.0) - self.elevation(x - 5.0)) / 10.0
    }
}

/// The runner's own cost of a grade (a smooth fit of the kind published for runners,
/// written here independently): +10 % costs 1.45×, −10 % 0.85×, −20 % the flat's.
pub fn runner_factor(grade: f64) -> f64 {
    let g = grade.clamp(-0.4, 0.4);
    1.0 + 3.0 * g + 15.0 * g * g
}

/// One run: its day (days since 1970-01-01), distance, flat pace and ground; an optional
/// stretch (from km, to km, flat pace) at another pace.
#[derive(Clone, Debug)]
pub struct Run {
    pub day: i64,
    pub km: f64,
    pub pace_s_per_km: f64,
    pub ground: Ground,
    pub stretch: Option<(f64, f64, f64)>,
}

/// Writes the run as a GPX track (a fix every 5 s, no sensors) and returns its moving
/// time, seconds.
pub fn write_gpx(dir: &Path, name: &str, r: &Run) -> f64 {
    write_named_gpx(dir, name, None, r)
}

/// `write_gpx` with the activity's own name in the track (`<name>`), as services write it.
pub fn write_named_gpx(dir: &Path, file: &str, title: Option<&str>, r: &Run) -> f64 {
    let (name, r) = (file, r);
    let (y, m, d) = civil_from_days(r.day);
    let mut s = format!(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"history generator\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk>{}<type>running</type><trkseg>\n",
        title.map(|t| format!("<name>{t}</name>")).unwrap_or_default()
    );
    let (mut x, mut t) = (0.0f64, 0.0f64);
    let total = r.km * 1000.0;
    let mut guard = 0;
    loop {
        let sec = t as i64;
        let _ = writeln!(
            s,
            "<trkpt lat=\"{:.7}\" lon=\"-3.1000000\"><ele>{:.1}</ele><time>{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z</time></trkpt>",
            54.6 + x / M_PER_DEG_LAT,
            r.ground.elevation(x),
            7 + sec / 3600,
            sec / 60 % 60,
            sec % 60
        );
        if x >= total || guard > 100_000 {
            break;
        }
        guard += 1;
        let pace = match r.stretch {
            Some((a, b, p)) if x >= a * 1000.0 && x < b * 1000.0 => p,
            _ => r.pace_s_per_km,
        };
        let v = 1000.0 / pace / runner_factor(r.ground.grade(x));
        x = (x + v * 5.0).min(total);
        t += 5.0;
    }
    s.push_str("</trkseg></trk></gpx>\n");
    std::fs::write(dir.join(format!("{name}.gpx")), s).unwrap();
    t
}

/// One session of a week plan: (day of the week, 0 = Monday; km; flat pace; ground;
/// stretch at another pace).
pub type Session = (i64, f64, f64, Ground, Option<(f64, f64, f64)>);

/// 18 weeks before `race_day` of the sessions `week(w)` gives for week `w` (18 = the
/// first), written as GPX files named `prefix-day-dow`; days on or after the race are not
/// run. Returns how many runs were written.
pub fn weeks(dir: &Path, race_day: i64, prefix: &str, week: impl Fn(i64) -> Vec<Session>) -> usize {
    let mut n = 0;
    for w in 1..=18i64 {
        let monday = race_day - 7 * w - ((race_day + 3).rem_euclid(7));
        for (dow, km, pace, ground, stretch) in week(w) {
            let day = monday + dow;
            if day >= race_day {
                continue;
            }
            let run = Run {
                day,
                km,
                pace_s_per_km: pace,
                ground,
                stretch,
            };
            write_gpx(dir, &format!("{prefix}-{day}-{dow}"), &run);
            n += 1;
        }
    }
    n
}

/// A road runner's 18 weeks before `race_day`: easy 10 km on Tuesdays, 14 km with 8 km
/// at `goal_pace` on Thursdays, a 10 km race at 4:48 /km every sixth Saturday (easy 8 km
/// otherwise), and a Sunday long run building from 20 to 33 km, all on the flat.
pub fn road_runner(dir: &Path, race_day: i64, goal_pace: f64) -> usize {
    weeks(dir, race_day, "road", |w| {
        let long = if w <= 2 {
            20.0
        } else {
            (20.0 + (18 - w) as f64).min(33.0)
        };
        let saturday = if w % 6 == 0 {
            (10.0, 288.0)
        } else {
            (8.0, 330.0)
        };
        vec![
            (1, 10.0, 330.0, FLAT, None),
            (3, 14.0, 330.0, FLAT, Some((3.0, 11.0, goal_pace))),
            (5, saturday.0, saturday.1, FLAT, None),
            (6, long, 345.0, FLAT, None),
        ]
    })
}

/// A mountain runner's 18 weeks: hill repeats on Tuesdays, easy flat 10 km on Thursdays,
/// a mountain long run on Saturdays (20 to 30 km) and hills again on Sundays.
pub fn mountain_runner(dir: &Path, race_day: i64) -> usize {
    weeks(dir, race_day, "mtn", |w| {
        let long = (20.0 + (18 - w) as f64 * 0.6).min(30.0);
        vec![
            (1, 12.0, 330.0, HILLS, None),
            (3, 10.0, 320.0, FLAT, None),
            (5, long, 360.0, MOUNTAIN, None),
            (6, 16.0, 350.0, HILLS, None),
        ]
    })
}

/// `YYYY-MM-DD` of a day.
pub fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01.
pub fn day(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d)
}
