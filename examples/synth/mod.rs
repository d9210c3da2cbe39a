//! The synthetic training-history generator behind `sample_data/` and the benchmarks'
//! large histories: a deterministic 16-week block for a hilly marathon (FIT, GPX with
//! Garmin extensions, Strava-style GPX, TCX, one gzipped file) and the race itself
//! (`race/course.gpx` with aid-station waypoints, `race/race.toml`), optionally preceded by
//! earlier 16-week cycles for a years-long history.
//!
//! The block is built with deliberate shortfalls against the race: one long run only,
//! no climb or descent near the size of the course's biggest, no recent heat, and fading
//! long runs.
#![allow(dead_code)]

use flate2::write::GzEncoder;
use flate2::Compression;
use racegap::calendar::{days_from_civil, format_ms};
use std::f64::consts::PI;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

// ---------------------------------------------------------------- randomness

/// SplitMix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly standard normal (sum of uniforms).
    fn normal(&mut self) -> f64 {
        (0..6).map(|_| self.unit()).sum::<f64>() - 3.0
    }
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }
}

// ---------------------------------------------------------------- geography

/// Training home: a hilly city (Edinburgh-like latitude).
const HOME_LAT: f64 = 55.94;
const HOME_LON: f64 = -3.19;
/// The race: a hilly autumn marathon in the south (Andalusia-like latitude).
const RACE_LAT: f64 = 37.10;
const RACE_LON: f64 = -3.60;
const M_PER_DEG: f64 = 111_320.0;

fn to_latlon(lat0: f64, lon0: f64, x: f64, y: f64) -> (f64, f64) {
    (
        lat0 + y / M_PER_DEG,
        lon0 + x / (M_PER_DEG * lat0.to_radians().cos()),
    )
}

/// Terrain around home, metres: a steep 120 m hill north-east, broad 90 m hills south-west,
/// gentle rolling everywhere.
fn terrain(x: f64, y: f64) -> f64 {
    let g =
        |cx: f64, cy: f64, s: f64| (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * s * s)).exp();
    45.0 + 120.0 * g(2500.0, 1500.0, 650.0)
        + 90.0 * g(-4500.0, -4000.0, 1900.0)
        + 6.0 * (x / 700.0).sin() * (y / 900.0).cos()
}

/// A path as a dense polyline with cumulative distance, in local metres.
struct Path2 {
    pts: Vec<(f64, f64)>,
    cum: Vec<f64>,
}

impl Path2 {
    fn new(pts: Vec<(f64, f64)>) -> Path2 {
        let mut cum = vec![0.0];
        for w in pts.windows(2) {
            let d = ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt();
            cum.push(cum.last().unwrap() + d);
        }
        Path2 { pts, cum }
    }
    fn len(&self) -> f64 {
        *self.cum.last().unwrap()
    }
    /// Position at distance `d` along the path (clamped).
    fn at(&self, d: f64) -> (f64, f64) {
        let d = d.clamp(0.0, self.len());
        let i = match self.cum.binary_search_by(|c| c.partial_cmp(&d).unwrap()) {
            Ok(i) => return self.pts[i],
            Err(i) => i.max(1),
        };
        let (a, b) = (self.pts[i - 1], self.pts[i]);
        let seg = self.cum[i] - self.cum[i - 1];
        let t = if seg > 0.0 {
            (d - self.cum[i - 1]) / seg
        } else {
            0.0
        };
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
    }
}

/// A wobbly loop of about `length` metres that starts and ends at home.
fn loop_route(length: f64, heading: f64, rng: &mut Rng) -> Path2 {
    let wob = rng.range(0.08, 0.2);
    let k = 2.0 + (rng.unit() * 3.0).floor();
    let phase = rng.range(0.0, 2.0 * PI);
    let make = |r: f64| {
        let n = 2000;
        let pts: Vec<(f64, f64)> = (0..=n)
            .map(|i| {
                let th = 2.0 * PI * i as f64 / n as f64;
                let rr = r * (1.0 + wob * ((k * th + phase).sin() - phase.sin()));
                let c = (-r * heading.cos(), -r * heading.sin());
                (
                    c.0 + rr * (th + heading).cos(),
                    c.1 + rr * (th + heading).sin(),
                )
            })
            .collect();
        Path2::new(pts)
    };
    let first = make(length / (2.0 * PI));
    make(length / (2.0 * PI) * length / first.len())
}

/// Out to the foot of the steep hill, `reps` times up and down its flank, and home.
fn hill_route(reps: usize) -> Path2 {
    let base = (1450.0, 700.0);
    let top = (2450.0, 1450.0);
    let mut pts = vec![(0.0, 0.0)];
    let steps = 60;
    let line = |a: (f64, f64), b: (f64, f64), pts: &mut Vec<(f64, f64)>| {
        for i in 1..=steps {
            let t = i as f64 / steps as f64;
            pts.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        }
    };
    line((0.0, 0.0), base, &mut pts);
    for _ in 0..reps {
        line(base, top, &mut pts);
        line(top, base, &mut pts);
    }
    line(base, (0.0, 0.0), &mut pts);
    Path2::new(pts)
}

// ---------------------------------------------------------------- the runner

/// Minetti et al. 2002 energy cost of running, J/kg/m, on gradient `i`.
fn minetti(i: f64) -> f64 {
    let i = i.clamp(-0.45, 0.45);
    155.4 * i.powi(5) - 30.4 * i.powi(4) - 43.3 * i.powi(3) + 46.3 * i.powi(2) + 19.5 * i + 3.6
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Easy,
    Intervals,
    Hills,
    Tempo,
    Long,
    Race10k,
    Ride,
}

impl Kind {
    fn slug(self) -> &'static str {
        match self {
            Kind::Easy => "easy",
            Kind::Intervals => "intervals",
            Kind::Hills => "hill-reps",
            Kind::Tempo => "goal-pace",
            Kind::Long => "long-run",
            Kind::Race10k => "10k-race",
            Kind::Ride => "ride",
        }
    }
    fn title(self) -> &'static str {
        match self {
            Kind::Easy => "Easy run",
            Kind::Intervals => "6 x 1 km intervals",
            Kind::Hills => "Hill reps",
            Kind::Tempo => "Marathon-pace run",
            Kind::Long => "Long run",
            Kind::Race10k => "Parkland 10K",
            Kind::Ride => "Bike commute",
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
    /// The watch's own FIT, smart recording.
    Fit,
    /// The watch's FIT, one-second recording.
    Fit1s,
    /// Garmin Connect GPX export with TrackPointExtension.
    GarminGpx,
    /// A phone app's GPX as Strava writes it: GPS elevation, no sensors.
    StravaGpx,
    Tcx,
}

struct Plan {
    day: i64,
    local_hour: f64,
    kind: Kind,
    distance_m: f64,
    output: Output,
    gzip: bool,
    also_gpx: bool,
}

/// The goal (3:30) as a flat pace, s/km: the goal time over the course's flat-equivalent
/// distance by Minetti et al. 2002's energy cost (each 25 m of the profile weighted by
/// its cost over the flat cost), rounded to the second: 43.05 km, 292.7 s/km, so 293.
/// Worked out from the course profile and the paper, not from racegap.
fn goal_flat_pace_s_per_km() -> f64 {
    static GOAL: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *GOAL.get_or_init(|| {
        const LEN: f64 = 42_195.0;
        let n = (LEN / 25.0) as usize;
        let flat_equivalent_m: f64 = (0..n)
            .map(|k| {
                let (d0, d1) = (LEN * k as f64 / n as f64, LEN * (k + 1) as f64 / n as f64);
                let grade =
                    (course_elevation(d1 / 1000.0) - course_elevation(d0 / 1000.0)) / (d1 - d0);
                (d1 - d0) * minetti(grade) / minetti(0.0)
            })
            .sum();
        (3.5 * 3600.0 / (flat_equivalent_m / 1000.0)).round()
    })
}

/// Flat pace in s/km for a given part of a workout (`frac` = share of distance done).
fn target_pace(kind: Kind, frac: f64, dist: f64) -> f64 {
    let goal = goal_flat_pace_s_per_km();
    match kind {
        Kind::Easy => 345.0,
        Kind::Long => 350.0,
        Kind::Ride => 125.0,
        Kind::Race10k => 260.0,
        Kind::Tempo => {
            // 2.5 km warm-up, goal pace, 1.5 km cool-down.
            if frac < 2500.0 / dist || frac > 1.0 - 1500.0 / dist {
                340.0
            } else {
                goal
            }
        }
        Kind::Intervals => {
            let d = frac * dist;
            if !(2000.0..dist - 1500.0).contains(&d) {
                345.0
            } else if ((d - 2000.0) % 1400.0) < 1000.0 {
                258.0
            } else {
                400.0
            }
        }
        Kind::Hills => 360.0,
    }
}

/// One recorded fix.
#[derive(Clone, Copy)]
struct Fix {
    utc_s: i64,
    lat: f64,
    lon: f64,
    /// What the device's altimeter says (barometric drift or GPS noise included).
    ele: f64,
    hr: f64,
    cad: f64,
    temp_c: f64,
    dist: f64,
    speed: f64,
}

struct Recording {
    fixes: Vec<Fix>,
    total_ascent: f64,
    total_descent: f64,
    timer_s: f64,
    utc_offset_s: i64,
    start_utc_s: i64,
}

/// Mean air temperature for a day of the year and hour, °C: a maritime climate.
fn air_temp(day: i64, hour: f64, rng: &mut Rng) -> f64 {
    let doy = (day - days_from_civil(2026, 1, 1)) as f64;
    let seasonal = 9.0 + 6.5 * (2.0 * PI * (doy - 200.0) / 365.0).cos();
    let diurnal = 4.0 * (2.0 * PI * (hour - 9.0) / 24.0).sin();
    seasonal + diurnal + rng.normal() * 1.2
}

/// UK civil time: BST (+1 h) until the last Sunday of October 2026.
fn utc_offset_s(day: i64) -> i64 {
    if day < days_from_civil(2026, 10, 25) {
        3600
    } else {
        0
    }
}

fn simulate(plan: &Plan, route: &Path2, rng: &mut Rng, heat_bonus: f64) -> Recording {
    let offset = utc_offset_s(plan.day);
    let start_utc = plan.day * 86_400 + (plan.local_hour * 3600.0).round() as i64 - offset;
    let air = air_temp(plan.day, plan.local_hour, rng) + heat_bonus;
    let smart = matches!(
        plan.output,
        Output::Fit | Output::GarminGpx | Output::StravaGpx | Output::Tcx
    ) && plan.kind != Kind::Intervals;
    let baro = plan.output != Output::StravaGpx;
    let mut fixes = Vec::new();
    let (mut d, mut t) = (0.0f64, 0.0f64);
    let (mut gx, mut gy, mut drift, mut gps_ele) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut speed_noise = 0.0f64;
    let mut hr = 95.0;
    let mut last_emit = -100.0;
    let mut next_gap = 1.0;
    let (mut ascent, mut descent) = (0.0, 0.0);
    let mut prev_true_ele = None::<f64>;
    let mut stop_left = 0.0f64;
    let mut stopped_s = 0.0f64;
    let total = route.len();
    while d < total {
        let (x, y) = route.at(d);
        let (xa, ya) = route.at(d + 15.0);
        let ele_here = terrain(x, y);
        let grade = if d + 15.0 <= total {
            (terrain(xa, ya) - ele_here) / 15.0
        } else {
            0.0
        };
        let frac = d / total;
        let pace = target_pace(plan.kind, frac, total);
        let mut v = 1000.0 / pace;
        if plan.kind != Kind::Ride {
            // An even-effort runner: speed follows the energy cost of the grade, except that
            // on steep descents braking caps the gain.
            v *= (minetti(0.0) / minetti(grade)).min(1.8);
        }
        if plan.kind == Kind::Long && frac > 0.75 {
            // Late fade: up to 9 % slower over the last quarter.
            v *= 1.0 - 0.09 * (frac - 0.75) / 0.25;
        }
        speed_noise = 0.95 * speed_noise + 0.05 * rng.normal() * 0.1;
        v *= 1.0 + speed_noise;
        // Traffic lights on easy runs: a 15-60 s stop now and then.
        if stop_left <= 0.0 && plan.kind == Kind::Easy && rng.unit() < 0.0008 {
            stop_left = rng.range(15.0, 60.0);
        }
        if stop_left > 0.0 {
            stop_left -= 1.0;
            stopped_s += 1.0;
            v = 0.0;
        }
        let step = v.max(0.0);
        d += step;
        t += 1.0;
        if let Some(p) = prev_true_ele {
            let de = ele_here - p;
            if de > 0.0 {
                ascent += de
            } else {
                descent -= de
            }
        }
        prev_true_ele = Some(ele_here);
        gx = 0.95 * gx + rng.normal() * 0.35;
        gy = 0.95 * gy + rng.normal() * 0.35;
        drift = (drift + rng.normal() * 0.03).clamp(-3.0, 3.0);
        gps_ele = 0.8 * gps_ele + rng.normal() * 1.5;
        // Effort relative to easy pace; uphill costs more even at a slower speed.
        let effort = (345.0 / pace) * (minetti(grade) / minetti(0.0)).powf(0.2);
        let hr_target = if v == 0.0 {
            105.0
        } else if plan.kind == Kind::Ride {
            125.0
        } else {
            (60.0 + 88.0 * effort.powf(1.3) + 0.04 * t / 60.0).min(192.0)
        };
        hr += (hr_target - hr) / 25.0;
        if t - last_emit >= next_gap {
            last_emit = t;
            next_gap = if smart {
                (1.0 + rng.unit() * 6.0).floor()
            } else {
                1.0
            };
            let (lat, lon) = to_latlon(HOME_LAT, HOME_LON, x + gx, y + gy);
            let ele = if baro {
                ((ele_here + drift) * 5.0).round() / 5.0
            } else {
                ((ele_here + gps_ele) * 10.0).round() / 10.0
            };
            // Wrist sensors start at room temperature and settle a few degrees above air.
            let wrist = air + 4.0 + (22.0 - air - 4.0) * (-t / 600.0).exp();
            fixes.push(Fix {
                utc_s: start_utc + t as i64,
                lat,
                lon,
                ele,
                hr: (hr + rng.normal()).round(),
                cad: if v == 0.0 {
                    0.0
                } else if plan.kind == Kind::Ride {
                    (85.0 + rng.normal() * 3.0).round()
                } else {
                    (82.0 + 6.0 * (effort - 1.0) + rng.normal()).round()
                },
                temp_c: wrist.round(),
                dist: d,
                speed: v,
            });
        }
    }
    Recording {
        fixes,
        total_ascent: ascent.round(),
        total_descent: descent.round(),
        timer_s: t - stopped_s,
        utc_offset_s: offset,
        start_utc_s: start_utc,
    }
}

// ---------------------------------------------------------------- FIT encoding

const FIT_EPOCH: i64 = 631_065_600;

/// The FIT CRC-16 (FIT SDK, nibble table).
pub fn fit_crc(data: &[u8]) -> u16 {
    const T: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc = 0u16;
    for &b in data {
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[(b & 0xF) as usize];
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[((b >> 4) & 0xF) as usize];
    }
    crc
}

/// A minimal FIT writer: definition messages and little-endian data messages.
struct FitWriter {
    data: Vec<u8>,
}

/// A whole FIT file (14-byte header, both CRCs) around already-framed messages.
#[allow(dead_code)]
pub fn fit_file(messages: Vec<u8>) -> Vec<u8> {
    FitWriter { data: messages }.finish()
}

/// (field number, size, base type)
type FieldDef = (u8, u8, u8);

impl FitWriter {
    fn define(&mut self, local: u8, global: u16, fields: &[FieldDef]) {
        self.data.push(0x40 | local);
        self.data.push(0);
        self.data.push(0);
        self.data.extend_from_slice(&global.to_le_bytes());
        self.data.push(fields.len() as u8);
        for f in fields {
            self.data.extend_from_slice(&[f.0, f.1, f.2]);
        }
    }
    fn message(&mut self, local: u8, values: &[&[u8]]) {
        self.data.push(local);
        for v in values {
            self.data.extend_from_slice(v);
        }
    }
    fn finish(self) -> Vec<u8> {
        let mut out = vec![14u8, 0x10];
        out.extend_from_slice(&2132u16.to_le_bytes());
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(b".FIT");
        let hcrc = fit_crc(&out);
        out.extend_from_slice(&hcrc.to_le_bytes());
        out.extend_from_slice(&self.data);
        let crc = fit_crc(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

fn semicircles(deg: f64) -> i32 {
    (deg * 2_147_483_648.0 / 180.0).round() as i32
}

fn fit_time(utc_s: i64) -> u32 {
    (utc_s - FIT_EPOCH) as u32
}

fn write_fit(rec: &Recording, plan: &Plan) -> Vec<u8> {
    const ENUM: u8 = 0x00;
    const SINT8: u8 = 0x01;
    const UINT8: u8 = 0x02;
    const UINT16: u8 = 0x84;
    const SINT32: u8 = 0x85;
    const UINT32: u8 = 0x86;
    const UINT32Z: u8 = 0x8C;
    let mut w = FitWriter { data: Vec::new() };
    // file_id: type, manufacturer, product, serial_number, time_created
    w.define(
        0,
        0,
        &[
            (0, 1, ENUM),
            (1, 2, UINT16),
            (2, 2, UINT16),
            (3, 4, UINT32Z),
            (4, 4, UINT32),
        ],
    );
    let ride = plan.kind == Kind::Ride;
    let product: u16 = if ride { 3122 } else { 3113 }; // edge_830 / fr945
    w.message(
        0,
        &[
            &[4],
            &1u16.to_le_bytes(),
            &product.to_le_bytes(),
            &3_912_345_678u32.to_le_bytes(),
            &fit_time(rec.start_utc_s).to_le_bytes(),
        ],
    );
    // record: timestamp, lat, long, enhanced_altitude, heart_rate, cadence, distance,
    // enhanced_speed, temperature
    w.define(
        1,
        20,
        &[
            (253, 4, UINT32),
            (0, 4, SINT32),
            (1, 4, SINT32),
            (78, 4, UINT32),
            (3, 1, UINT8),
            (4, 1, UINT8),
            (5, 4, UINT32),
            (73, 4, UINT32),
            (13, 1, SINT8),
        ],
    );
    for f in &rec.fixes {
        let alt = ((f.ele + 500.0) * 5.0).round() as u32;
        w.message(
            1,
            &[
                &fit_time(f.utc_s).to_le_bytes(),
                &semicircles(f.lat).to_le_bytes(),
                &semicircles(f.lon).to_le_bytes(),
                &alt.to_le_bytes(),
                &[f.hr as u8],
                &[f.cad as u8],
                &((f.dist * 100.0).round() as u32).to_le_bytes(),
                &((f.speed * 1000.0).round() as u32).to_le_bytes(),
                &[(f.temp_c as i8) as u8],
            ],
        );
    }
    let last = rec.fixes.last().unwrap();
    let end = last.utc_s;
    // session: timestamp, start_time, sport, sub_sport, total_elapsed_time,
    // total_timer_time, total_distance, total_ascent, total_descent
    w.define(
        2,
        18,
        &[
            (253, 4, UINT32),
            (2, 4, UINT32),
            (5, 1, ENUM),
            (6, 1, ENUM),
            (7, 4, UINT32),
            (8, 4, UINT32),
            (9, 4, UINT32),
            (22, 2, UINT16),
            (23, 2, UINT16),
        ],
    );
    let sport: u8 = if ride { 2 } else { 1 };
    let elapsed = (end - rec.start_utc_s) as f64;
    w.message(
        2,
        &[
            &fit_time(end).to_le_bytes(),
            &fit_time(rec.start_utc_s).to_le_bytes(),
            &[sport],
            &[0],
            &((elapsed * 1000.0) as u32).to_le_bytes(),
            &((rec.timer_s.min(elapsed) * 1000.0) as u32).to_le_bytes(),
            &((last.dist * 100.0).round() as u32).to_le_bytes(),
            &(rec.total_ascent as u16).to_le_bytes(),
            &(rec.total_descent as u16).to_le_bytes(),
        ],
    );
    // activity: timestamp, total_timer_time, num_sessions, type, event, event_type,
    // local_timestamp
    w.define(
        3,
        34,
        &[
            (253, 4, UINT32),
            (0, 4, UINT32),
            (1, 2, UINT16),
            (2, 1, ENUM),
            (3, 1, ENUM),
            (4, 1, ENUM),
            (5, 4, UINT32),
        ],
    );
    w.message(
        3,
        &[
            &fit_time(end).to_le_bytes(),
            &((rec.timer_s.min(elapsed) * 1000.0) as u32).to_le_bytes(),
            &1u16.to_le_bytes(),
            &[0],
            &[26],
            &[1],
            &fit_time(end + rec.utc_offset_s).to_le_bytes(),
        ],
    );
    w.finish()
}

// ---------------------------------------------------------------- XML encodings

fn iso(utc_s: i64) -> String {
    format_ms(utc_s * 1000, None)
}

fn write_garmin_gpx(rec: &Recording, name: &str) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gpx creator=\"Garmin Connect\" version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\">\n");
    let _ = writeln!(
        s,
        "  <metadata><time>{}</time></metadata>",
        iso(rec.start_utc_s)
    );
    let _ = writeln!(
        s,
        "  <trk>\n    <name>{name}</name>\n    <type>running</type>\n    <trkseg>"
    );
    for f in &rec.fixes {
        let _ = writeln!(
            s,
            "      <trkpt lat=\"{:.7}\" lon=\"{:.7}\"><ele>{:.1}</ele><time>{}</time><extensions><ns3:TrackPointExtension><ns3:atemp>{:.1}</ns3:atemp><ns3:hr>{}</ns3:hr><ns3:cad>{}</ns3:cad></ns3:TrackPointExtension></extensions></trkpt>",
            f.lat, f.lon, f.ele, iso(f.utc_s), f.temp_c, f.hr, f.cad
        );
    }
    s.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    s
}

fn write_strava_gpx(rec: &Recording, name: &str) -> String {
    let mut s = String::new();
    // Strava writes some files with white space before the XML declaration.
    s.push_str("\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gpx creator=\"StravaGPX Android\" version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
    let _ = writeln!(
        s,
        " <metadata>\n  <name>{name}</name>\n  <time>{}</time>\n </metadata>",
        iso(rec.start_utc_s)
    );
    let _ = writeln!(
        s,
        " <trk>\n  <name>{name}</name>\n  <type>9</type>\n  <trkseg>"
    );
    for f in &rec.fixes {
        let _ = writeln!(
            s,
            "   <trkpt lat=\"{:.7}\" lon=\"{:.7}\">\n    <ele>{:.1}</ele>\n    <time>{}</time>\n   </trkpt>",
            f.lat, f.lon, f.ele, iso(f.utc_s)
        );
    }
    s.push_str("  </trkseg>\n </trk>\n</gpx>\n");
    s
}

fn write_tcx(rec: &Recording) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n <Activities>\n  <Activity Sport=\"Running\">\n");
    let _ = writeln!(s, "   <Id>{}</Id>", iso(rec.start_utc_s));
    let last = rec.fixes.last().unwrap();
    let _ = writeln!(
        s,
        "   <Lap StartTime=\"{}\">\n    <TotalTimeSeconds>{:.1}</TotalTimeSeconds>\n    <DistanceMeters>{:.1}</DistanceMeters>\n    <Intensity>Active</Intensity>\n    <TriggerMethod>Manual</TriggerMethod>\n    <Track>",
        iso(rec.start_utc_s),
        rec.timer_s,
        last.dist
    );
    for f in &rec.fixes {
        let _ = writeln!(
            s,
            "     <Trackpoint><Time>{}</Time><Position><LatitudeDegrees>{:.7}</LatitudeDegrees><LongitudeDegrees>{:.7}</LongitudeDegrees></Position><AltitudeMeters>{:.1}</AltitudeMeters><DistanceMeters>{:.1}</DistanceMeters><HeartRateBpm><Value>{}</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:Speed>{:.3}</ns3:Speed><ns3:RunCadence>{}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>",
            iso(f.utc_s), f.lat, f.lon, f.ele, f.dist, f.hr, f.speed, f.cad
        );
    }
    s.push_str("    </Track>\n   </Lap>\n   <Creator xsi:type=\"Device_t\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>Forerunner 945</Name></Creator>\n  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n");
    s
}

// ---------------------------------------------------------------- the plan

/// Sixteen weeks from `monday0` (2026-07-20 for the block before the race on 2026-11-15).
fn training_plan(rng: &mut Rng, monday0: i64) -> Vec<Plan> {
    // Long runs: only week 9 reaches the 31.6 km long-run threshold of a marathon.
    let long_km = [
        16.0, 18.0, 19.0, 20.0, 18.0, 22.0, 23.0, 21.0, 24.0, 32.0, 22.0, 25.0, 24.0, 20.0, 16.0,
        12.0,
    ];
    let mut plans = Vec::new();
    for week in 0..16i64 {
        let mon = monday0 + week * 7;
        let taper = week >= 14;
        let scale = if taper { 0.7 } else { 1.0 };
        let mut add = |day: i64, hour: f64, kind: Kind, km: f64, output: Output| {
            plans.push(Plan {
                day: mon + day,
                local_hour: hour,
                kind,
                distance_m: km * 1000.0,
                output,
                gzip: false,
                also_gpx: false,
            });
        };
        if week == 2 || week == 6 {
            add(0, 7.5, Kind::Ride, 24.0, Output::Fit);
        }
        let tue = if week % 4 == 3 {
            Kind::Hills
        } else {
            Kind::Intervals
        };
        add(
            1,
            18.5,
            tue,
            if tue == Kind::Hills { 11.5 } else { 10.0 },
            if tue == Kind::Hills {
                Output::Fit
            } else {
                Output::Fit1s
            },
        );
        add(
            2,
            7.0,
            Kind::Easy,
            9.0 * scale + rng.range(0.0, 1.5),
            Output::GarminGpx,
        );
        add(
            3,
            18.0,
            Kind::Tempo,
            if taper {
                10.0
            } else {
                14.0 + (week as f64 * 0.2)
            },
            Output::Fit,
        );
        if week % 2 == 1 && !taper {
            add(
                4,
                12.5,
                Kind::Easy,
                6.0 + rng.range(0.0, 2.0),
                Output::StravaGpx,
            );
        }
        if week == 12 {
            // Measured 10 km plus the few metres of a start line.
            add(5, 9.5, Kind::Race10k, 10.03, Output::Fit1s);
        } else {
            add(
                5,
                9.0,
                Kind::Easy,
                7.0 * scale + rng.range(0.0, 1.0),
                Output::Tcx,
            );
        }
        if week < 15 {
            add(6, 8.5, Kind::Long, long_km[week as usize], Output::Fit);
        } else {
            add(3 + 1, 8.0, Kind::Easy, 5.0, Output::Fit);
        }
    }
    // A Garmin GPX that a phone sync also gzipped; an easy run exported twice.
    if let Some(p) = plans.iter_mut().find(|p| p.day == monday0 + 13 * 7 + 2) {
        p.gzip = true;
    }
    if let Some(p) = plans.iter_mut().find(|p| p.day == monday0 + 5 * 7 + 3) {
        p.also_gpx = true;
    }
    plans
}

// ---------------------------------------------------------------- the course

fn smoothstep(d: f64, a: f64, b: f64) -> f64 {
    let t = ((d - a) / (b - a)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Course elevation, metres, at `km` from the start: rolling first half, a 4 km climb of
/// 120 m, then the race's signature: a 330 m climb from km 26.5 to 31.5 and a 360 m descent
/// to km 37.5.
fn course_elevation(km: f64) -> f64 {
    680.0 + 12.0 * (2.0 * PI * km / 3.5).sin() + 120.0 * smoothstep(km, 8.0, 12.0)
        - 100.0 * smoothstep(km, 12.5, 16.0)
        + 330.0 * smoothstep(km, 26.5, 31.5)
        - 360.0 * smoothstep(km, 31.5, 37.5)
}

fn write_course(dir: &Path, rng: &mut Rng) -> std::io::Result<()> {
    const LEN: f64 = 42_195.0;
    let route = loop_route(LEN, 0.7, rng);
    let n = (LEN / 25.0) as usize;
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx creator=\"racegap sample generator\" version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
    s.push_str(" <metadata><name>Sierra Hills Marathon</name></metadata>\n");
    let point = |d: f64| {
        let (x, y) = route.at(d * route.len() / LEN);
        let (lat, lon) = to_latlon(RACE_LAT, RACE_LON, x, y);
        (lat, lon, course_elevation(d / 1000.0))
    };
    let wpt = |name: &str, d: f64, s: &mut String| {
        let (lat, lon, ele) = point(d);
        let _ = writeln!(s, " <wpt lat=\"{lat:.6}\" lon=\"{lon:.6}\"><ele>{ele:.1}</ele><name>{name}</name><type>aid</type></wpt>");
    };
    wpt("Start", 0.0, &mut s);
    for (i, km) in [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
        .iter()
        .enumerate()
    {
        wpt(&format!("Aid {} ({km:.0} km)", i + 1), km * 1000.0, &mut s);
    }
    wpt("Finish", LEN, &mut s);
    s.push_str(
        " <trk>\n  <name>Sierra Hills Marathon</name>\n  <type>running</type>\n  <trkseg>\n",
    );
    for i in 0..=n {
        let d = LEN * i as f64 / n as f64;
        let (lat, lon, ele) = point(d);
        let _ = writeln!(
            s,
            "   <trkpt lat=\"{lat:.6}\" lon=\"{lon:.6}\"><ele>{ele:.1}</ele></trkpt>"
        );
    }
    s.push_str("  </trkseg>\n </trk>\n</gpx>\n");
    std::fs::write(dir.join("course.gpx"), s)?;
    std::fs::write(
        dir.join("race.toml"),
        "# The target race for the sample training history (synthetic).\n\
         name = \"Sierra Hills Marathon\"\n\
         course = \"course.gpx\"\n\
         goal_time = \"3:30:00\"\n\
         date = \"2026-11-15\"\n\
         start_time = \"09:00\"\n\
         expected_temperature_c = 22.0\n\
         humidity_pct = 45.0\n\
         # The watch's wrist sensor reads about 4 °C above the air.\n\
         temperature_offset_c = -4.0\n",
    )
}

// ---------------------------------------------------------------- generation

/// The first Monday of the block before the race.
pub const BLOCK_MONDAY: (i64, i64, i64) = (2026, 7, 20);

/// Writes the activities of `plans` into `acts`; returns the bytes written.
fn write_plans(acts: &Path, plans: &[Plan], rng: &mut Rng, monday0: i64) -> std::io::Result<usize> {
    let mut bytes_total = 0usize;
    for plan in plans {
        let heading = rng.range(0.0, 2.0 * PI);
        let route = match plan.kind {
            Kind::Hills => hill_route(3),
            _ => loop_route(plan.distance_m, heading, rng),
        };
        // Two warm spells early in the cycle; otherwise the climate decides.
        let day_of = plan.day - monday0;
        let heat = if (12..=16).contains(&day_of) || (23..=25).contains(&day_of) {
            6.0
        } else {
            0.0
        };
        let rec = simulate(plan, &route, rng, heat);
        let (y, m, d) = racegap::calendar::civil_from_days(plan.day);
        let stem = format!("{y:04}-{m:02}-{d:02}-{}", plan.kind.slug());
        let name = plan.kind.title();
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        match plan.output {
            Output::Fit | Output::Fit1s => {
                files.push((format!("{stem}.fit"), write_fit(&rec, plan)))
            }
            Output::GarminGpx => files.push((
                format!("{stem}.gpx"),
                write_garmin_gpx(&rec, name).into_bytes(),
            )),
            Output::StravaGpx => files.push((
                format!("{stem}.gpx"),
                write_strava_gpx(&rec, name).into_bytes(),
            )),
            Output::Tcx => files.push((format!("{stem}.tcx"), write_tcx(&rec).into_bytes())),
        }
        if plan.also_gpx {
            files.push((
                format!("{stem}-strava-copy.gpx"),
                write_strava_gpx(&rec, name).into_bytes(),
            ));
        }
        for (file, data) in files {
            let (file, data) = if plan.gzip {
                let mut e = GzEncoder::new(Vec::new(), Compression::best());
                e.write_all(&data)?;
                (format!("{file}.gz"), e.finish()?)
            } else {
                (file, data)
            };
            bytes_total += data.len();
            std::fs::write(acts.join(file), data)?;
        }
    }
    Ok(bytes_total)
}

/// Writes the sample (the block and the race) into `out`, plus `earlier_cycles` 16-week
/// cycles before the block (each with its own seed, so the block itself never changes).
/// Returns (activities, bytes).
pub fn generate(out: &Path, earlier_cycles: usize) -> std::io::Result<(usize, usize)> {
    let acts = out.join("activities");
    let race = out.join("race");
    if acts.exists() {
        std::fs::remove_dir_all(&acts)?;
    }
    std::fs::create_dir_all(&acts)?;
    std::fs::create_dir_all(&race)?;
    let (y, m, d) = BLOCK_MONDAY;
    let monday0 = days_from_civil(y, m, d);
    let mut rng = Rng(20_261_115);
    let plans = training_plan(&mut rng, monday0);
    let mut count = plans.len();
    let mut bytes = write_plans(&acts, &plans, &mut rng, monday0)?;
    write_course(&race, &mut rng)?;
    for c in 1..=earlier_cycles {
        let start = monday0 - 16 * 7 * c as i64;
        let mut rng = Rng(20_261_115 + c as u64);
        let plans = training_plan(&mut rng, start);
        count += plans.len();
        bytes += write_plans(&acts, &plans, &mut rng, start)?;
    }
    Ok((count, bytes))
}
