//! Apple Health's `export.xml`, streamed (it is often over 1 GB): each `Workout` (its type,
//! start, end, duration, distance, energy, the indoor flag, and the `FileReference` of its
//! route GPX) and the heart-rate `Record`s, which become each workout's heart rate. The
//! route's GPX gives a workout its samples; a workout without one keeps its distance and
//! time as the device's totals.

use crate::error::ReadError;
use crate::guard::third_party;
use crate::model::{Activity, ElevationSource, Format, Sample, Sport};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Heart-rate records kept from one export: a watch worn for ten years writes some tens of
/// millions; beyond this the rest are left out (with a note), which bounds memory.
pub const MAX_HEART_RATE_RECORDS: usize = 20_000_000;
/// A heart-rate reading counts for a sample this close in time, seconds.
const HEART_RATE_REACH_S: i64 = 10;

/// One workout as `export.xml` describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workout {
    /// `workoutActivityType`, e.g. `HKWorkoutActivityTypeRunning`.
    pub activity_type: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub utc_offset_s: i32,
    pub duration_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub energy_kcal: Option<f64>,
    pub indoor: bool,
    /// The route's path as written (`/workout-routes/route_....gpx`).
    pub route: Option<String>,
    /// The app or watch that recorded it.
    pub source: Option<String>,
}

/// What one export holds.
#[derive(Debug, Default)]
pub struct HealthExport {
    pub workouts: Vec<Workout>,
    /// (time in ms, beats per minute), sorted by time.
    pub heart_rate: Vec<(i64, f64)>,
    pub warnings: Vec<String>,
}

/// Whether the leading bytes are Apple Health's `export.xml` (root `HealthData`, after a
/// DOCTYPE whose internal subset holds `>` characters).
pub fn is_health_export(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.contains("<HealthData") || text.contains("<!DOCTYPE HealthData")
}

/// "2023-05-01 07:30:00 +0200" as (UTC ms, offset s).
pub fn parse_date(s: &str) -> Option<(i64, i32)> {
    let t = chrono::DateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S %z").ok()?;
    Some((t.timestamp_millis(), t.offset().local_minus_utc()))
}

/// A quantity in metres from a value and Apple's unit.
fn metres(value: f64, unit: &str) -> Option<f64> {
    let f = match unit {
        "km" => 1000.0,
        "m" => 1.0,
        "mi" => 1609.344,
        "yd" => 0.9144,
        "ft" => 0.3048,
        "cm" => 0.01,
        _ => return None,
    };
    Some(value * f)
}

fn seconds(value: f64, unit: &str) -> Option<f64> {
    let f = match unit {
        "min" => 60.0,
        "s" | "sec" => 1.0,
        "hr" | "h" => 3600.0,
        "ms" => 0.001,
        _ => return None,
    };
    Some(value * f)
}

fn kcal(value: f64, unit: &str) -> Option<f64> {
    match unit {
        "kcal" | "Cal" => Some(value),
        "kJ" => Some(value / 4.184),
        _ => None,
    }
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn number(e: &BytesStart, name: &[u8]) -> Option<f64> {
    attr(e, name)?
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
}

/// Streams `export.xml` from `input`. Errors name the line where the XML breaks.
pub fn read_export(input: impl BufRead) -> Result<HealthExport, ReadError> {
    let mut r = Reader::from_reader(input);
    r.config_mut().trim_text(true);
    let mut buf = Vec::with_capacity(4096);
    let mut out = HealthExport::default();
    let mut current: Option<Workout> = None;
    let mut in_route = false;
    let mut dropped_hr = 0usize;
    let mut saw_root = false;
    loop {
        buf.clear();
        let ev = third_party("quick-xml", || {
            r.read_event_into(&mut buf).map(|e| e.into_owned())
        })?
        .map_err(|e| ReadError::Xml {
            line: 0,
            column: 0,
            message: format!("export.xml breaks at byte {}: {e}", r.error_position()),
        })?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"Workout" => out.workouts.extend(current.take()),
                    b"WorkoutRoute" => in_route = false,
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().as_ref() {
            b"HealthData" => saw_root = true,
            b"Record"
                if current.is_none()
                    && attr(&e, b"type").as_deref()
                        == Some("HKQuantityTypeIdentifierHeartRate") =>
            {
                let t = attr(&e, b"startDate").and_then(|d| parse_date(&d));
                let v = number(&e, b"value").filter(|v| (20.0..=300.0).contains(v));
                if let (Some((t, _)), Some(v)) = (t, v) {
                    if out.heart_rate.len() < MAX_HEART_RATE_RECORDS {
                        out.heart_rate.push((t, v));
                    } else {
                        dropped_hr += 1;
                    }
                }
            }
            b"Workout" => {
                let start = attr(&e, b"startDate").and_then(|d| parse_date(&d));
                let end = attr(&e, b"endDate").and_then(|d| parse_date(&d));
                let (Some((start_ms, off)), Some((end_ms, _))) = (start, end) else {
                    out.warnings
                        .push("a workout without a readable start or end was left out".into());
                    continue;
                };
                let unit = |k: &[u8]| attr(&e, k).unwrap_or_default();
                let w = Workout {
                    activity_type: attr(&e, b"workoutActivityType").unwrap_or_default(),
                    start_ms,
                    end_ms,
                    utc_offset_s: off,
                    duration_s: number(&e, b"duration")
                        .and_then(|v| seconds(v, &unit(b"durationUnit"))),
                    distance_m: number(&e, b"totalDistance")
                        .and_then(|v| metres(v, &unit(b"totalDistanceUnit"))),
                    energy_kcal: number(&e, b"totalEnergyBurned")
                        .and_then(|v| kcal(v, &unit(b"totalEnergyBurnedUnit"))),
                    indoor: false,
                    route: None,
                    source: attr(&e, b"sourceName"),
                };
                if empty {
                    out.workouts.push(w);
                } else {
                    current = Some(w);
                }
            }
            b"MetadataEntry" if !in_route => {
                if let Some(w) = current.as_mut() {
                    if attr(&e, b"key").as_deref() == Some("HKIndoorWorkout") {
                        w.indoor = attr(&e, b"value").as_deref() == Some("1");
                    }
                }
            }
            // Since iOS 16 the distance and energy are statistics inside the workout.
            b"WorkoutStatistics" => {
                if let Some(w) = current.as_mut() {
                    let ty = attr(&e, b"type").unwrap_or_default();
                    let sum = number(&e, b"sum");
                    let unit = attr(&e, b"unit").unwrap_or_default();
                    if ty.starts_with("HKQuantityTypeIdentifierDistance") && w.distance_m.is_none()
                    {
                        w.distance_m = sum.and_then(|v| metres(v, &unit));
                    } else if ty == "HKQuantityTypeIdentifierActiveEnergyBurned"
                        && w.energy_kcal.is_none()
                    {
                        w.energy_kcal = sum.and_then(|v| kcal(v, &unit));
                    }
                }
            }
            b"WorkoutRoute" => in_route = !empty,
            b"FileReference" => {
                if let Some(w) = current.as_mut() {
                    w.route = w.route.take().or_else(|| attr(&e, b"path"));
                }
            }
            _ => {}
        }
    }
    if !saw_root {
        return Err(ReadError::UnknownFormat("no <HealthData> element".into()));
    }
    if dropped_hr > 0 {
        out.warnings.push(format!(
            "{dropped_hr} heart-rate records beyond the first {MAX_HEART_RATE_RECORDS} left out"
        ));
    }
    out.heart_rate.sort_by_key(|(t, _)| *t);
    Ok(out)
}

/// The route file a workout names, relative to the export's folder.
pub fn route_name(w: &Workout) -> Option<String> {
    w.route
        .as_deref()
        .map(|p| p.trim_start_matches('/').to_string())
        .filter(|p| !p.is_empty() && !p.split('/').any(|c| c == ".."))
}

/// The heart rate at `t` from the sorted records: the latest reading at or before it,
/// within reach.
fn heart_rate_at(hr: &[(i64, f64)], t: i64) -> Option<f64> {
    let i = hr.partition_point(|(x, _)| *x <= t);
    let (x, v) = *hr.get(i.checked_sub(1)?)?;
    (t - x <= HEART_RATE_REACH_S * 1000).then_some(v)
}

/// One workout as an activity: the route's samples (read from its GPX) with the export's
/// heart rate; without a route, the workout's start and end carry its distance, and the
/// heart-rate readings inside it are its samples.
pub fn activity(
    w: &Workout,
    source: PathBuf,
    route: Option<Activity>,
    hr: &[(i64, f64)],
) -> Activity {
    let mut a = route.unwrap_or_else(|| Activity::new(source, Format::AppleHealth));
    a.format = Format::AppleHealth;
    a.sport = Sport::parse(w.activity_type.trim_start_matches("HKWorkoutActivityType"));
    a.sport_raw = Some(w.activity_type.clone());
    a.device = w.source.clone().or(a.device.take());
    a.utc_offset_s = Some(w.utc_offset_s);
    a.device_totals.distance_m = w.distance_m;
    a.device_totals.timer_time_s = w.duration_s;
    a.device_totals.elapsed_time_s = Some((w.end_ms - w.start_ms) as f64 / 1000.0);
    let window = |t: i64| (w.start_ms..=w.end_ms).contains(&t);
    if a.samples.is_empty() {
        // No route: the distance is known only as the workout's total, at its end; the
        // heart-rate readings inside it are the samples in between, each carrying the
        // distance known so far (none), so the stream leaps at the end and no best effort
        // or fade is made up from it.
        let lo = hr.partition_point(|(t, _)| *t <= w.start_ms);
        let hi = hr.partition_point(|(t, _)| *t < w.end_ms);
        let known = w.distance_m.map(|_| 0.0);
        a.samples.push(Sample {
            time_ms: Some(w.start_ms),
            device_distance_m: known,
            heart_rate_bpm: heart_rate_at(hr, w.start_ms),
            ..Sample::default()
        });
        for &(t, v) in &hr[lo..hi] {
            a.samples.push(Sample {
                time_ms: Some(t),
                heart_rate_bpm: Some(v),
                device_distance_m: known,
                ..Sample::default()
            });
        }
        a.samples.push(Sample {
            time_ms: Some(w.end_ms),
            device_distance_m: w.distance_m,
            ..Sample::default()
        });
        a.warnings.push(if w.indoor {
            "an indoor workout: distance and time from the workout's totals".into()
        } else {
            "a workout without a route: distance and time from the workout's totals".into()
        });
    } else {
        a.elevation_source = ElevationSource::Gps;
        for s in &mut a.samples {
            if let Some(t) = s.time_ms.filter(|t| window(*t)) {
                s.heart_rate_bpm = s.heart_rate_bpm.or(heart_rate_at(hr, t));
            }
        }
    }
    a
}

/// The name an activity without a route is filed under: the export and the workout's
/// start.
pub fn workout_path(export: &Path, w: &Workout) -> PathBuf {
    let mut s = export.as_os_str().to_os_string();
    s.push(format!(
        "#workout-{}",
        crate::calendar::format_ms(w.start_ms, Some(w.utc_offset_s))
    ));
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="en_US">
 <ExportDate value="2023-05-02 10:00:00 +0200"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2023-05-01 07:31:00 +0200" endDate="2023-05-01 07:31:00 +0200" value="142"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" unit="count" startDate="2023-05-01 07:31:00 +0200" endDate="2023-05-01 07:32:00 +0200" value="90"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2023-05-01 07:40:00 +0200" endDate="2023-05-01 07:40:00 +0200" value="150"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="32.5" durationUnit="min" totalDistance="5.2" totalDistanceUnit="km" totalEnergyBurned="350" totalEnergyBurnedUnit="kcal" sourceName="Apple Watch" startDate="2023-05-01 07:30:00 +0200" endDate="2023-05-01 08:02:30 +0200">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutRoute sourceName="Apple Watch" startDate="2023-05-01 07:30:00 +0200" endDate="2023-05-01 08:02:30 +0200">
   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>
   <FileReference path="/workout-routes/route_2023-05-01_8.02am.gpx"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="1800" durationUnit="s" sourceName="Apple Watch" startDate="2023-05-03 18:00:00 -0400" endDate="2023-05-03 18:30:00 -0400">
  <MetadataEntry key="HKIndoorWorkout" value="1"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="2023-05-03 18:00:00 -0400" endDate="2023-05-03 18:30:00 -0400" sum="3.1" unit="mi"/>
 </Workout>
</HealthData>
"#;

    #[test]
    fn workouts_heart_rate_and_routes_are_read_through_a_doctype() {
        let e = read_export(EXPORT.as_bytes()).unwrap();
        assert_eq!(e.workouts.len(), 2);
        let run = &e.workouts[0];
        assert_eq!(run.start_ms, 1_682_919_000_000);
        assert_eq!(run.utc_offset_s, 7200);
        assert_eq!(run.duration_s, Some(1950.0));
        assert_eq!(run.distance_m, Some(5200.0));
        assert_eq!(run.energy_kcal, Some(350.0));
        assert!(!run.indoor);
        assert_eq!(
            route_name(run).as_deref(),
            Some("workout-routes/route_2023-05-01_8.02am.gpx")
        );
        let treadmill = &e.workouts[1];
        assert!(treadmill.indoor);
        assert!((treadmill.distance_m.unwrap() - 3.1 * 1609.344).abs() < 1e-6);
        assert_eq!(treadmill.duration_s, Some(1800.0));
        assert_eq!(treadmill.route, None);
        assert_eq!(
            e.heart_rate,
            [(1_682_919_060_000, 142.0), (1_682_919_600_000, 150.0)]
        );
    }

    #[test]
    fn a_workout_without_a_route_keeps_its_totals_and_heart_rate() {
        let e = read_export(EXPORT.as_bytes()).unwrap();
        let w = &e.workouts[0];
        let a = activity(w, "x#w".into(), None, &e.heart_rate);
        assert_eq!(a.sport, Sport::Running);
        assert_eq!(a.device_totals.distance_m, Some(5200.0));
        let hr: Vec<f64> = a.samples.iter().filter_map(|s| s.heart_rate_bpm).collect();
        assert_eq!(hr, [142.0, 150.0]);
        assert_eq!(a.samples.first().unwrap().device_distance_m, Some(0.0));
        assert_eq!(a.samples.last().unwrap().device_distance_m, Some(5200.0));
        assert_eq!(heart_rate_at(&e.heart_rate, 1_682_919_065_000), Some(142.0));
        assert_eq!(heart_rate_at(&e.heart_rate, 1_682_919_080_000), None);
    }

    #[test]
    fn route_paths_cannot_leave_the_export() {
        let w = Workout {
            route: Some("/../../etc/passwd".into()),
            ..Workout::default()
        };
        assert_eq!(route_name(&w), None);
        assert!(read_export(&b"<gpx/>"[..]).is_err());
    }
}
