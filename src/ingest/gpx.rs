//! GPX 1.0/1.1 reader (quick-xml, streaming over the bytes): tracks, routes, waypoints and
//! the extensions watches write (Garmin TrackPointExtension v1/v2 `hr`, `atemp`, `cad`;
//! `power` and `PowerInWatts`), under any namespace prefix.

use super::xml::{self, attr, parse_f64};
use crate::calendar::parse_iso8601;
use crate::error::ReadError;
use crate::model::{Activity, ElevationSource, Format, Sample, Sport, Waypoint};
use quick_xml::events::BytesStart;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Gpx,
    Metadata,
    Trk,
    Rte,
    Point(PointKind),
    Ele,
    Time,
    Name,
    Type,
    Extensions,
    HeartRate,
    AirTemp,
    Cadence,
    Power,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PointKind {
    Track,
    Route,
    Way,
}

fn tag_of(local: &[u8]) -> Tag {
    match local {
        b"gpx" => Tag::Gpx,
        b"metadata" => Tag::Metadata,
        b"trk" => Tag::Trk,
        b"rte" => Tag::Rte,
        b"trkpt" => Tag::Point(PointKind::Track),
        b"rtept" => Tag::Point(PointKind::Route),
        b"wpt" => Tag::Point(PointKind::Way),
        b"ele" => Tag::Ele,
        b"time" => Tag::Time,
        b"name" => Tag::Name,
        b"type" => Tag::Type,
        b"extensions" => Tag::Extensions,
        b"hr" | b"heartrate" | b"HeartRate" => Tag::HeartRate,
        b"atemp" | b"temp" | b"Temperature" => Tag::AirTemp,
        b"cad" | b"cadence" | b"Cadence" => Tag::Cadence,
        b"power" | b"PowerInWatts" | b"Watts" => Tag::Power,
        _ => Tag::Other,
    }
}

/// The point being read, with its kind and the line where it started (for warnings).
struct OpenPoint {
    kind: PointKind,
    sample: Sample,
    name: Option<String>,
    offset_s: Option<i32>,
}

#[derive(Default)]
struct Collected {
    track: Vec<Sample>,
    route: Vec<Sample>,
    creator: Option<String>,
    metadata_name: Option<String>,
    track_name: Option<String>,
    route_name: Option<String>,
    track_type: Option<String>,
    offset_s: Option<i32>,
    bad_positions: usize,
    bad_times: usize,
    zoneless_times: usize,
}

/// A GPX document being read: the activity, what has been collected, the open point.
struct Doc {
    act: Activity,
    c: Collected,
    point: Option<OpenPoint>,
}

impl xml::Elements for Doc {
    type Tag = Tag;

    fn tag_of(local_name: &[u8]) -> Tag {
        tag_of(local_name)
    }

    fn check_root(tag: Tag, e: &BytesStart, _empty: bool) -> Result<(), String> {
        if tag == Tag::Gpx {
            Ok(())
        } else {
            Err(format!(
                "root element is <{}>, not <gpx>",
                String::from_utf8_lossy(e.name().as_ref())
            ))
        }
    }

    fn start(&mut self, tag: Tag, e: &BytesStart, empty: bool) -> Result<(), ReadError> {
        if tag == Tag::Gpx && !empty && self.c.creator.is_none() {
            self.c.creator = attr(e, b"creator").filter(|s| !s.is_empty());
        }
        if let Tag::Point(kind) = tag {
            self.point = Some(open_point(kind, e, &mut self.c));
        }
        Ok(())
    }

    fn text(&mut self, stack: &[Tag], raw: &[u8], text: &dyn Fn() -> String) {
        on_text(stack, raw, text, &mut self.point, &mut self.c);
    }

    fn end(&mut self, tag: Option<Tag>) -> Result<(), ReadError> {
        if let Some(Tag::Point(_)) = tag {
            if let Some(p) = self.point.take() {
                close_point(p, &mut self.c, &mut self.act);
                too_many(&self.c, &self.act)?;
            }
        }
        Ok(())
    }

    fn describe(tag: Tag) -> Option<String> {
        let d = describe(tag);
        (!d.is_empty()).then(|| d.to_string())
    }
}

/// Reads a GPX document. Track points become the samples; a file with no track falls back to
/// its route points (courses are often routes); waypoints are kept separately.
pub fn read(input: &[u8], path: &Path) -> Result<Vec<Activity>, ReadError> {
    read_from(&mut xml::InMemory::new(input), path)
}

/// Reads a GPX document from any source (a file streamed, or bytes in memory).
pub fn read_from(src: &mut impl xml::Source, path: &Path) -> Result<Vec<Activity>, ReadError> {
    let mut doc = Doc {
        act: Activity::new(path.to_path_buf(), Format::Gpx),
        c: Collected::default(),
        point: None,
    };
    if !xml::walk_source(src, &mut doc)? {
        return Err(src.error_at(0, "no <gpx> element".into()));
    }
    finish(doc.act, doc.c).map(|a| vec![a])
}

/// Refuses a file with more points than any recording has (bounds memory).
fn too_many(c: &Collected, act: &Activity) -> Result<(), ReadError> {
    if c.track.len() + c.route.len() + act.waypoints.len() > super::MAX_SAMPLES {
        Err(ReadError::TooManyPoints {
            limit: super::MAX_SAMPLES,
        })
    } else {
        Ok(())
    }
}

fn describe(tag: Tag) -> &'static str {
    match tag {
        Tag::Point(PointKind::Track) => "<trkpt>",
        Tag::Point(PointKind::Route) => "<rtept>",
        Tag::Point(PointKind::Way) => "<wpt>",
        Tag::Trk => "<trk>",
        Tag::Rte => "<rte>",
        Tag::Gpx => "<gpx>",
        _ => "",
    }
}

fn open_point(kind: PointKind, e: &BytesStart, c: &mut Collected) -> OpenPoint {
    let [lat, lon] = xml::attr_numbers(e, [b"lat", b"lon"]);
    let valid = matches!((lat, lon), (Some(a), Some(o)) if a.abs() <= 90.0 && o.abs() <= 180.0);
    if !valid {
        c.bad_positions += 1;
    }
    OpenPoint {
        kind,
        sample: Sample {
            lat_deg: lat.filter(|_| valid),
            lon_deg: lon.filter(|_| valid),
            ..Sample::default()
        },
        name: None,
        offset_s: None,
    }
}

fn on_text(
    stack: &[Tag],
    raw: &[u8],
    text: impl FnOnce() -> String,
    point: &mut Option<OpenPoint>,
    c: &mut Collected,
) {
    let Some((&top, parents)) = stack.split_last() else {
        return;
    };
    let parent = parents.last().copied();
    if let Some(p) = point.as_mut() {
        let in_ext = parents.contains(&Tag::Extensions);
        match top {
            Tag::Ele if !in_ext => p.sample.elevation_m = parse_f64(raw),
            Tag::Time if !in_ext => match parse_iso8601(raw) {
                Some(t) => {
                    p.sample.time_ms = Some(t.utc_ms);
                    p.offset_s = t.offset_s;
                    if !t.zone_given {
                        c.zoneless_times += 1;
                    }
                }
                None => c.bad_times += 1,
            },
            Tag::Name if parent == Some(Tag::Point(p.kind)) => p.name = Some(text()),
            Tag::HeartRate if in_ext => p.sample.heart_rate_bpm = parse_f64(raw),
            Tag::AirTemp if in_ext => p.sample.temperature_c = parse_f64(raw),
            Tag::Cadence if in_ext => p.sample.cadence_rpm = parse_f64(raw),
            Tag::Power if in_ext => p.sample.power_w = parse_f64(raw),
            _ => {}
        }
        return;
    }
    match (top, parent) {
        (Tag::Name, Some(Tag::Metadata)) if c.metadata_name.is_none() => {
            c.metadata_name = Some(text())
        }
        // GPX 1.0 puts the name directly under <gpx>.
        (Tag::Name, Some(Tag::Gpx)) if c.metadata_name.is_none() => c.metadata_name = Some(text()),
        (Tag::Name, Some(Tag::Trk)) if c.track_name.is_none() => c.track_name = Some(text()),
        (Tag::Name, Some(Tag::Rte)) if c.route_name.is_none() => c.route_name = Some(text()),
        (Tag::Type, Some(Tag::Trk)) if c.track_type.is_none() => c.track_type = Some(text()),
        _ => {}
    }
}

fn close_point(p: OpenPoint, c: &mut Collected, act: &mut Activity) {
    match p.kind {
        PointKind::Way => {
            if let (Some(lat), Some(lon)) = (p.sample.lat_deg, p.sample.lon_deg) {
                act.waypoints.push(Waypoint {
                    name: p.name,
                    lat_deg: lat,
                    lon_deg: lon,
                    elevation_m: p.sample.elevation_m,
                });
            }
        }
        PointKind::Track | PointKind::Route => {
            if !p.sample.has_position() {
                return;
            }
            if c.offset_s.is_none() && p.offset_s.is_some() {
                c.offset_s = p.offset_s;
            }
            if p.kind == PointKind::Track {
                c.track.push(p.sample);
            } else {
                c.route.push(p.sample);
            }
        }
    }
}

fn finish(mut act: Activity, c: Collected) -> Result<Activity, ReadError> {
    let from_track = !c.track.is_empty();
    act.samples = if from_track { c.track } else { c.route };
    act.name = c
        .track_name
        .filter(|s| !s.is_empty())
        .or(c.route_name.filter(|s| !s.is_empty()))
        .or(c.metadata_name.filter(|s| !s.is_empty()));
    if let Some(t) = c.track_type.filter(|s| !s.is_empty()) {
        act.sport = Sport::parse(&t);
        act.sport_raw = Some(t);
    }
    act.device = c.creator;
    act.utc_offset_s = c.offset_s;
    if c.bad_positions > 0 {
        act.warnings.push(format!(
            "{} point(s) without a valid lat/lon were dropped",
            c.bad_positions
        ));
    }
    if c.bad_times > 0 {
        act.warnings
            .push(format!("{} point(s) had an unreadable <time>", c.bad_times));
    }
    if c.zoneless_times > 0 {
        act.warnings.push(format!(
            "{} time(s) carry no time zone; taken as UTC",
            c.zoneless_times
        ));
    }
    act.elevation_source = elevation_source(&act, from_track);
    if act.samples.is_empty() && act.waypoints.is_empty() {
        return Err(ReadError::NoData(
            "no track, route or waypoint with a position".into(),
        ));
    }
    Ok(act)
}

/// GPX does not say where its elevation came from. A device name that mentions a barometer
/// (Garmin eTrex/GPSMAP "with Barometer") is barometric; points without times are a planned
/// route whose elevations come from a terrain model; anything else is treated as GPS.
fn elevation_source(act: &Activity, from_track: bool) -> ElevationSource {
    if !act.samples.iter().any(|s| s.elevation_m.is_some()) {
        return ElevationSource::None;
    }
    let creator = act.device.as_deref().unwrap_or("").to_ascii_lowercase();
    if creator.contains("barometer") {
        ElevationSource::Barometric
    } else if act.is_route() || !from_track {
        ElevationSource::Model
    } else {
        ElevationSource::Gps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> Result<Activity, ReadError> {
        read(s.as_bytes(), Path::new("t.gpx")).map(|mut v| v.remove(0))
    }

    const GARMIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="Garmin Connect" version="1.1" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
  <metadata><name>meta</name></metadata>
  <wpt lat="1.5" lon="2.5"><ele>10</ele><name>Aid 1</name></wpt>
  <trk><name>Morning Run</name><type>running</type><trkseg>
    <trkpt lat="46.1" lon="14.2"><ele>300.4</ele><time>2020-05-01T06:00:00.000Z</time>
      <extensions><ns3:TrackPointExtension><ns3:atemp>21.0</ns3:atemp><ns3:hr>140</ns3:hr><ns3:cad>86</ns3:cad></ns3:TrackPointExtension><power>250</power></extensions>
    </trkpt>
    <trkpt lat="46.1001" lon="14.2001"><ele>301</ele><time>2020-05-01T06:00:01Z</time></trkpt>
  </trkseg></trk>
</gpx>"#;

    #[test]
    fn reads_track_extensions_waypoints_and_names() {
        let a = read_str(GARMIN).unwrap();
        assert_eq!(a.samples.len(), 2);
        let s = a.samples[0];
        assert_eq!(s.lat_deg, Some(46.1));
        assert_eq!(s.elevation_m, Some(300.4));
        assert_eq!(s.time_ms, Some(1_588_312_800_000));
        assert_eq!(s.heart_rate_bpm, Some(140.0));
        assert_eq!(s.temperature_c, Some(21.0));
        assert_eq!(s.cadence_rpm, Some(86.0));
        assert_eq!(s.power_w, Some(250.0));
        assert_eq!(a.samples[1].heart_rate_bpm, None);
        assert_eq!(a.name.as_deref(), Some("Morning Run"));
        assert_eq!(a.sport, Sport::Running);
        assert_eq!(a.device.as_deref(), Some("Garmin Connect"));
        assert_eq!(a.waypoints.len(), 1);
        assert_eq!(a.waypoints[0].name.as_deref(), Some("Aid 1"));
        assert_eq!(a.elevation_source, ElevationSource::Gps);
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }

    #[test]
    fn route_without_track_becomes_samples_of_a_course() {
        let a = read_str(
            r#"<gpx version="1.1"><rte><name>Course</name>
            <rtept lat="1" lon="2"><ele>5</ele></rtept><rtept lat="1.001" lon="2"/></rte></gpx>"#,
        )
        .unwrap();
        assert_eq!(a.samples.len(), 2);
        assert!(a.is_route());
        assert_eq!(a.name.as_deref(), Some("Course"));
        assert_eq!(a.elevation_source, ElevationSource::Model);
    }

    #[test]
    fn truncated_file_names_the_line() {
        let cut = &GARMIN[..GARMIN.find("<trkpt lat=\"46.1001\"").unwrap() + 30];
        let e = read_str(cut).unwrap_err();
        match e {
            ReadError::Xml { line, message, .. } => {
                assert!(
                    message.contains("cut short") || message.contains("not closed"),
                    "{message}"
                );
                assert!(line >= 9, "line {line}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_root_and_mismatched_tags_are_errors() {
        assert!(matches!(
            read_str("<kml></kml>"),
            Err(ReadError::Xml { .. })
        ));
        let e = read_str("<gpx>\n<trk></rte></gpx>").unwrap_err();
        assert!(matches!(e, ReadError::Xml { line: 2, .. }), "{e:?}");
    }

    #[test]
    fn bad_points_are_dropped_with_a_warning() {
        let a = read_str(
            r#"<gpx><trk><trkseg><trkpt lat="95" lon="2"/><trkpt lat="x" lon="2"/>
            <trkpt lat="1" lon="2"><time>garbage</time></trkpt></trkseg></trk></gpx>"#,
        )
        .unwrap();
        assert_eq!(a.samples.len(), 1);
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
    }

    #[test]
    fn deep_nesting_is_refused() {
        use crate::ingest::xml::MAX_DEPTH;
        // Closed properly, so only the depth bound can refuse it (a cut-short file would be
        // refused anyway).
        let deep = format!(
            "<gpx>{}{}</gpx>",
            "<a>".repeat(MAX_DEPTH + 5),
            "</a>".repeat(MAX_DEPTH + 5)
        );
        match read_str(&deep) {
            Err(ReadError::Xml { message, .. }) => {
                assert!(message.contains("nested deeper than 256"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // Just within the bound is read (and has no points).
        let ok = format!(
            "<gpx>{}{}</gpx>",
            "<a>".repeat(MAX_DEPTH - 1),
            "</a>".repeat(MAX_DEPTH - 1)
        );
        assert!(matches!(read_str(&ok), Err(ReadError::NoData(_))));
    }

    #[test]
    fn empty_gpx_has_no_data() {
        assert!(matches!(
            read_str("<gpx version=\"1.1\"></gpx>"),
            Err(ReadError::NoData(_))
        ));
    }
}
