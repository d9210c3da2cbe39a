//! TCX reader (Garmin Training Center Database, quick-xml): activities, laps, trackpoints,
//! `HeartRateBpm`, `Cadence`, `DistanceMeters`, and the ActivityExtension `Speed`, `Watts`,
//! `RunCadence`; courses (`Courses/Course/Track`) as routes.

use super::xml::{self, attr, parse_f64};
use crate::calendar::parse_iso8601;
use crate::error::ReadError;
use crate::model::{Activity, ElevationSource, Format, Sample, Sport};
use quick_xml::events::BytesStart;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Root,
    Activity,
    Course,
    Id,
    Lap,
    Trackpoint,
    Time,
    Position,
    Lat,
    Lon,
    Altitude,
    Distance,
    HeartRateBpm,
    Value,
    Cadence,
    RunCadence,
    Speed,
    Watts,
    TotalTime,
    Creator,
    Name,
    Other,
}

fn tag_of(local: &[u8]) -> Tag {
    match local {
        b"TrainingCenterDatabase" => Tag::Root,
        b"Activity" => Tag::Activity,
        b"Course" => Tag::Course,
        b"Id" => Tag::Id,
        b"Lap" => Tag::Lap,
        b"Trackpoint" => Tag::Trackpoint,
        b"Time" => Tag::Time,
        b"Position" => Tag::Position,
        b"LatitudeDegrees" => Tag::Lat,
        b"LongitudeDegrees" => Tag::Lon,
        b"AltitudeMeters" => Tag::Altitude,
        b"DistanceMeters" => Tag::Distance,
        b"HeartRateBpm" => Tag::HeartRateBpm,
        b"Value" => Tag::Value,
        b"Cadence" => Tag::Cadence,
        b"RunCadence" => Tag::RunCadence,
        b"Speed" => Tag::Speed,
        b"Watts" => Tag::Watts,
        b"TotalTimeSeconds" => Tag::TotalTime,
        b"Creator" => Tag::Creator,
        b"Name" => Tag::Name,
        _ => Tag::Other,
    }
}

#[derive(Default)]
struct State {
    samples: Vec<Sample>,
    point: Option<Sample>,
    /// Index of the first sample and the sport of each `<Activity>`.
    activities: Vec<(usize, Option<String>)>,
    creator: Option<String>,
    course_name: Option<String>,
    lap_distance_m: Option<f64>,
    lap_time_s: Option<f64>,
    bad_times: usize,
    offset_s: Option<i32>,
}

impl xml::Elements for State {
    type Tag = Tag;

    fn tag_of(local_name: &[u8]) -> Tag {
        tag_of(local_name)
    }

    fn check_root(tag: Tag, e: &BytesStart, empty: bool) -> Result<(), String> {
        if tag != Tag::Root {
            Err(format!(
                "root element is <{}>, not <TrainingCenterDatabase>",
                String::from_utf8_lossy(e.name().as_ref())
            ))
        } else if empty {
            Err("empty TrainingCenterDatabase".into())
        } else {
            Ok(())
        }
    }

    fn start(&mut self, tag: Tag, e: &BytesStart, empty: bool) -> Result<(), ReadError> {
        match tag {
            Tag::Activity => self
                .activities
                .push((self.samples.len(), attr(e, b"Sport"))),
            Tag::Trackpoint if !empty => self.point = Some(Sample::default()),
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, stack: &[Tag], raw: &[u8], text: &dyn Fn() -> String) {
        on_text(stack, raw, text, self);
    }

    fn end(&mut self, tag: Option<Tag>) -> Result<(), ReadError> {
        if tag == Some(Tag::Trackpoint) {
            self.samples.extend(self.point.take());
            if self.samples.len() > super::MAX_SAMPLES {
                return Err(ReadError::TooManyPoints {
                    limit: super::MAX_SAMPLES,
                });
            }
        }
        Ok(())
    }

    fn describe(tag: Tag) -> Option<String> {
        (tag != Tag::Other).then(|| format!("<{tag:?}>"))
    }
}

/// Reads a TCX document: one activity per `<Activity>` (a course file gives one route).
pub fn read(input: &[u8], path: &Path) -> Result<Vec<Activity>, ReadError> {
    read_from(&mut xml::InMemory::new(input), path)
}

/// Reads a TCX document from any source (a file streamed, or bytes in memory).
pub fn read_from(src: &mut impl xml::Source, path: &Path) -> Result<Vec<Activity>, ReadError> {
    let mut st = State::default();
    xml::walk_source(src, &mut st)?;
    finish(path, st)
}

fn on_text(stack: &[Tag], raw: &[u8], text: impl FnOnce() -> String, st: &mut State) {
    let n = stack.len();
    if n < 2 {
        return;
    }
    let (top, parent) = (stack[n - 1], stack[n - 2]);
    if let Some(p) = st.point.as_mut() {
        match (top, parent) {
            (Tag::Time, Tag::Trackpoint) => match parse_iso8601(raw) {
                Some(t) => {
                    p.time_ms = Some(t.utc_ms);
                    if st.offset_s.is_none() {
                        st.offset_s = t.offset_s;
                    }
                }
                None => st.bad_times += 1,
            },
            (Tag::Lat, Tag::Position) => p.lat_deg = parse_f64(raw).filter(|v| v.abs() <= 90.0),
            (Tag::Lon, Tag::Position) => p.lon_deg = parse_f64(raw).filter(|v| v.abs() <= 180.0),
            (Tag::Altitude, Tag::Trackpoint) => p.elevation_m = parse_f64(raw),
            (Tag::Distance, Tag::Trackpoint) => p.device_distance_m = parse_f64(raw),
            (Tag::Value, Tag::HeartRateBpm) => p.heart_rate_bpm = parse_f64(raw),
            (Tag::Cadence, Tag::Trackpoint) | (Tag::RunCadence, _) => {
                p.cadence_rpm = parse_f64(raw)
            }
            (Tag::Speed, _) => p.device_speed_mps = parse_f64(raw),
            (Tag::Watts, _) => p.power_w = parse_f64(raw),
            _ => {}
        }
        return;
    }
    match (top, parent) {
        (Tag::Distance, Tag::Lap) => {
            if let Some(d) = parse_f64(raw) {
                *st.lap_distance_m.get_or_insert(0.0) += d;
            }
        }
        (Tag::TotalTime, Tag::Lap) => {
            if let Some(t) = parse_f64(raw) {
                *st.lap_time_s.get_or_insert(0.0) += t;
            }
        }
        (Tag::Name, Tag::Creator) if st.creator.is_none() => st.creator = Some(text()),
        (Tag::Name, Tag::Course) if st.course_name.is_none() => st.course_name = Some(text()),
        _ => {}
    }
}

fn finish(path: &Path, mut st: State) -> Result<Vec<Activity>, ReadError> {
    if st.activities.is_empty() {
        st.activities.push((0, None));
    }
    let n = st.activities.len();
    let mut out = Vec::with_capacity(n);
    for i in (0..n).rev() {
        let (first, sport) = st.activities.pop().unwrap_or((0, None));
        let samples = st.samples.split_off(first.min(st.samples.len()));
        if let Some(act) = build(path, samples, sport, &st, i, n) {
            out.push(act);
        }
    }
    out.reverse();
    if out.is_empty() {
        return Err(ReadError::NoData("no trackpoints".into()));
    }
    Ok(out)
}

fn build(
    path: &Path,
    samples: Vec<Sample>,
    sport: Option<String>,
    st: &State,
    index: usize,
    count: usize,
) -> Option<Activity> {
    let mut act = Activity::new(path.to_path_buf(), Format::Tcx);
    // Trackpoints that carry nothing at all (some exporters write empty ones) are noise.
    act.samples = samples
        .into_iter()
        .filter(|s| *s != Sample::default())
        .collect();
    if act.samples.is_empty() {
        return None;
    }
    if count > 1 {
        act.part = Some((index + 1, count));
    }
    if let Some(s) = sport.filter(|s| !s.is_empty()) {
        act.sport = Sport::parse(&s);
        act.sport_raw = Some(s);
    }
    act.device = st.creator.clone().filter(|s| !s.is_empty());
    act.name = st.course_name.clone();
    act.utc_offset_s = st.offset_s;
    if count == 1 {
        act.device_totals.distance_m = st.lap_distance_m;
        act.device_totals.timer_time_s = st.lap_time_s;
    }
    if st.bad_times > 0 {
        act.warnings.push(format!(
            "{} trackpoint(s) had an unreadable <Time>",
            st.bad_times
        ));
    }
    act.elevation_source = if !act.samples.iter().any(|s| s.elevation_m.is_some()) {
        ElevationSource::None
    } else if act.is_route() {
        ElevationSource::Model
    } else {
        // TCX does not say; Garmin devices that write TCX mostly have barometers, but
        // exports from phone apps do not. Treated as GPS, the cautious choice.
        ElevationSource::Gps
    };
    Some(act)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_cut_files_are_refused_with_what_happened() {
        let n = crate::ingest::xml::MAX_DEPTH + 5;
        let deep = format!(
            "<TrainingCenterDatabase>{}{}</TrainingCenterDatabase>",
            "<a>".repeat(n),
            "</a>".repeat(n)
        );
        match read(deep.as_bytes(), Path::new("d.tcx")) {
            Err(ReadError::Xml { message, .. }) => {
                assert!(message.contains("nested deeper than 256"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let cut = "<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap>";
        match read(cut.as_bytes(), Path::new("c.tcx")) {
            Err(ReadError::Xml { message, .. }) => {
                assert_eq!(message, "file ends inside <Lap>; it was cut short")
            }
            other => panic!("{other:?}"),
        }
    }

    const RUN: &str = r#"<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Running"><Id>2020-01-01T10:00:00Z</Id>
  <Lap StartTime="2020-01-01T10:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>
   <DistanceMeters>200.5</DistanceMeters><Cadence>99</Cadence>
   <AverageHeartRateBpm><Value>150</Value></AverageHeartRateBpm>
   <Track>
    <Trackpoint><Time>2020-01-01T10:00:00Z</Time>
     <Position><LatitudeDegrees>51.5</LatitudeDegrees><LongitudeDegrees>-0.1</LongitudeDegrees></Position>
     <AltitudeMeters>12.5</AltitudeMeters><DistanceMeters>0.0</DistanceMeters>
     <HeartRateBpm><Value>140</Value></HeartRateBpm>
     <Extensions><ns3:TPX><ns3:Speed>3.2</ns3:Speed><ns3:RunCadence>88</ns3:RunCadence><ns3:Watts>300</ns3:Watts></ns3:TPX></Extensions>
    </Trackpoint>
    <Trackpoint><Time>2020-01-01T10:01:00Z</Time><HeartRateBpm><Value>141</Value></HeartRateBpm></Trackpoint>
    <Trackpoint/>
   </Track></Lap>
  <Creator><Name>Forerunner 945</Name></Creator>
 </Activity></Activities></TrainingCenterDatabase>"#;

    #[test]
    fn reads_trackpoints_laps_and_extensions() {
        let v = read(RUN.as_bytes(), Path::new("r.tcx")).unwrap();
        assert_eq!(v.len(), 1);
        let a = &v[0];
        assert_eq!(a.samples.len(), 2);
        let s = a.samples[0];
        assert_eq!(s.time_ms, Some(1_577_872_800_000));
        assert_eq!((s.lat_deg, s.lon_deg), (Some(51.5), Some(-0.1)));
        assert_eq!(s.elevation_m, Some(12.5));
        assert_eq!(s.device_distance_m, Some(0.0));
        assert_eq!(s.heart_rate_bpm, Some(140.0));
        assert_eq!(s.cadence_rpm, Some(88.0));
        assert_eq!(s.power_w, Some(300.0));
        assert_eq!(s.device_speed_mps, Some(3.2));
        // Lap averages are not trackpoint values.
        assert_eq!(a.samples[1].heart_rate_bpm, Some(141.0));
        assert_eq!(a.samples[1].cadence_rpm, None);
        assert_eq!(a.sport, Sport::Running);
        assert_eq!(a.device.as_deref(), Some("Forerunner 945"));
        assert_eq!(a.device_totals.distance_m, Some(200.5));
        assert_eq!(a.device_totals.timer_time_s, Some(60.0));
    }

    #[test]
    fn truncated_and_foreign_documents_are_errors() {
        let cut = &RUN[..RUN.find("<HeartRateBpm><Value>141").unwrap()];
        assert!(matches!(
            read(cut.as_bytes(), Path::new("c.tcx")),
            Err(ReadError::Xml { .. })
        ));
        assert!(matches!(
            read(b"<gpx></gpx>", Path::new("c.tcx")),
            Err(ReadError::Xml { .. })
        ));
        assert!(matches!(
            read(
                b"<TrainingCenterDatabase></TrainingCenterDatabase>",
                Path::new("c.tcx")
            ),
            Err(ReadError::NoData(_))
        ));
    }
}
