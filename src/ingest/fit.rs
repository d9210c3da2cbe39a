//! FIT reader over fitparser's streaming processor: a file cut short by a crash keeps every
//! record before the break (with a warning); chained files are read one after another;
//! non-activity files (settings, workouts, monitoring) are recognised and refused.

use crate::discover::is_fit_header;
use crate::error::ReadError;
use crate::model::{Activity, DeviceTotals, ElevationSource, Format, Sample, Sport};
use chrono::{Local, NaiveDate, TimeZone};
use fitparser::de::{DecodeOption, FitObject, FitStreamProcessor};
use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataField, Value};
use std::path::Path;

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z.
const FIT_EPOCH_S: i64 = 631_065_600;
/// Semicircles to degrees: 180 / 2^31.
const SEMICIRCLE_DEG: f64 = 180.0 / 2_147_483_648.0;

/// What one FIT file of a chain holds (most files are a chain of one).
#[derive(Default)]
struct Segment {
    file_type: Option<String>,
    samples: Vec<Sample>,
    sessions: Vec<Session>,
    sport_msg: Option<String>,
    /// Accumulator for `compressed_speed_distance`: last raw 12-bit value and the total.
    compressed_last_raw: Option<u32>,
    compressed_total_16ths: u64,
}

#[derive(Default)]
struct State {
    manufacturer: Option<String>,
    product: Option<String>,
    segments: Vec<Segment>,
    /// `local_timestamp - timestamp` of the activity message, seconds.
    offset_s: Option<i32>,
    /// The last full timestamp seen (FIT seconds), the base of compressed timestamps.
    base_timestamp: Option<u32>,
    /// Records in all segments so far.
    records: usize,
    /// Session messages beyond `MAX_SESSIONS`, not decoded.
    sessions_ignored: usize,
}

/// Most sessions one file may describe: a multisport race has a handful (a triathlon five,
/// transitions included); a file with more
/// is damaged, and decoding each would cost time and memory for nothing.
pub const MAX_SESSIONS: usize = 100;
/// Most chained FIT files in one file (a device chains a few at most).
pub const MAX_CHAINED: usize = 1_000;
/// The messages read beside records: file_id, sport, session, activity, and the developer
/// field descriptions (206, 207) the decoder needs for them. Every other kind
/// (laps, events, device info, HRV...) is skipped without decoding.
const USED_MESSAGES: [u16; 6] = [0, 12, 18, 34, 206, 207];

impl State {
    fn seg(&mut self) -> &mut Segment {
        if self.segments.is_empty() {
            self.segments.push(Segment::default());
        }
        let n = self.segments.len();
        &mut self.segments[n - 1]
    }

    fn record_count(&self) -> usize {
        self.records
    }

    fn file_type(&self) -> Option<&str> {
        self.segments.iter().find_map(|s| s.file_type.as_deref())
    }
}

#[derive(Default)]
struct Session {
    start_ms: Option<i64>,
    sport: Option<String>,
    sub_sport: Option<String>,
    totals: DeviceTotals,
}

/// Reads a FIT file (or several chained ones): one activity, or one per session for a
/// multisport recording.
pub fn read(input: &[u8], path: &Path) -> Result<Vec<Activity>, ReadError> {
    // Fields whose size does not fit their type are read as bytes, as the decoder would,
    // but with the note on this file instead of the decoder's anonymous stderr line.
    let odd = super::fit_frame::odd_field_sizes(input);
    let patched;
    let input = if odd.is_empty() {
        input
    } else {
        let mut copy = input.to_vec();
        for &at in &odd {
            copy[at] = super::fit_frame::BYTE_TYPE;
        }
        patched = copy;
        &patched[..]
    };
    let mut proc = FitStreamProcessor::new();
    // Keep `compressed_speed_distance` raw: its distance is accumulated here (see below).
    proc.add_option(DecodeOption::KeepCompositeFields);
    let mut st = State::default();
    let mut warnings = Vec::new();
    if let Some(first) = odd.first() {
        warnings.push(format!(
            "{} field definition(s) with a size that does not fit their type (first at byte {first}); read as raw bytes",
            odd.len()
        ));
    }
    if !is_fit_header(input) {
        return Err(ReadError::Fit {
            byte: 0,
            message: "no FIT file header (12 or 14 bytes ending in '.FIT')".into(),
        });
    }
    let mut rest = input;
    let mut expect_header = true;
    while !rest.is_empty() {
        let at = input.len() - rest.len();
        // After a file's CRC, only another FIT header may follow (chained files); anything
        // else is trailing junk, which the decoder would misread as a header.
        if expect_header && !is_fit_header(rest) {
            warnings.push(format!(
                "{} trailing byte(s) after the FIT data at byte {at} ignored",
                rest.len()
            ));
            break;
        }
        let step = match crate::guard::third_party("fitparser", || proc.deserialize_next(rest)) {
            Ok(step) => step,
            Err(panic) => {
                if st.record_count() == 0 && st.file_type().is_none() {
                    return Err(panic.into());
                }
                warnings.push(format!(
                    "the fitparser decoder panicked at byte {at} of {} ({}, at {}); the {} record(s) before it are kept",
                    input.len(),
                    panic.message,
                    panic.at,
                    st.record_count()
                ));
                break;
            }
        };
        let (next, obj) = match step {
            Ok(v) => v,
            Err(e) => match *e {
                // The checksum did not match but the object parsed: keep it, say so.
                ErrorKind::InvalidCrc((next, obj, expected, computed)) => {
                    warnings.push(format!(
                        "checksum mismatch at byte {at} (file says {expected:#06x}, data gives {computed:#06x}); data kept"
                    ));
                    // `next` is owned here; continue from the same position in `input`.
                    let consumed = rest.len() - next.len();
                    (&rest[consumed..], obj)
                }
                other => {
                    let what = describe_error(&other);
                    if st.record_count() == 0 && st.file_type().is_none() {
                        return Err(ReadError::Fit {
                            byte: at,
                            message: what,
                        });
                    }
                    warnings.push(format!(
                        "file breaks off at byte {at} of {} ({what}); the {} record(s) before it are kept",
                        input.len(),
                        st.record_count()
                    ));
                    break;
                }
            },
        };
        match obj {
            FitObject::Header(_) => {
                if st.segments.len() >= MAX_CHAINED {
                    warnings.push(format!(
                        "more than {MAX_CHAINED} chained FIT files; the rest from byte {at} ignored"
                    ));
                    break;
                }
                st.segments.push(Segment::default());
                proc.reset();
                expect_header = false;
            }
            FitObject::Crc(_) => expect_header = true,
            FitObject::DefinitionMessage(_) => {}
            // Record messages (nearly all of a file) are decoded here by field number:
            // fitparser's general decoder names every field with a String and is most of
            // the cost of reading a FIT file.
            FitObject::DataMessage(msg) if msg.global_message_number() == RECORD => {
                let s = fast_record(&msg, &mut st);
                st.seg().samples.push(s);
                st.records += 1;
                if st.record_count() > super::MAX_SAMPLES {
                    return Err(ReadError::TooManyPoints {
                        limit: super::MAX_SAMPLES,
                    });
                }
            }
            FitObject::DataMessage(msg) => {
                if let Some(t) = msg.fields().get(&253).and_then(number) {
                    st.base_timestamp = Some(t as u32);
                }
                let global = msg.global_message_number();
                if !USED_MESSAGES.contains(&global) {
                    rest = next;
                    continue;
                }
                if global == 18 && st.seg().sessions.len() >= MAX_SESSIONS {
                    st.sessions_ignored += 1;
                    rest = next;
                    continue;
                }
                match crate::guard::third_party("fitparser", || proc.decode_message(msg)) {
                    Ok(Ok(rec)) => on_record(rec.kind(), rec.into_vec(), &mut st),
                    Ok(Err(e)) => warnings.push(format!(
                        "message at byte {at} could not be decoded ({}); skipped",
                        describe_error(&e)
                    )),
                    Err(panic) => warnings.push(format!(
                        "the fitparser decoder panicked on the message at byte {at} ({}, at {}); skipped",
                        panic.message, panic.at
                    )),
                }
            }
        }
        rest = next;
    }
    if st.sessions_ignored > 0 {
        warnings.push(format!(
            "{} session message(s) beyond the first {MAX_SESSIONS} of a segment ignored",
            st.sessions_ignored
        ));
    }
    finish(path, st, warnings)
}

fn describe_error(e: &ErrorKind) -> String {
    match e {
        ErrorKind::UnexpectedEof(_) => "unexpected end of file".to_string(),
        other => other.to_string(),
    }
}

fn on_record(kind: MesgNum, fields: Vec<FitDataField>, st: &mut State) {
    match kind {
        MesgNum::FileId => {
            for f in &fields {
                match f.name() {
                    "type" if st.seg().file_type.is_none() => st.seg().file_type = text(f.value()),
                    "manufacturer" if st.manufacturer.is_none() => {
                        st.manufacturer = text(f.value())
                    }
                    "product" | "garmin_product" | "favero_product" if st.product.is_none() => {
                        st.product = text(f.value())
                    }
                    _ => {}
                }
            }
        }
        MesgNum::Session => {
            let s = session_of(&fields);
            st.seg().sessions.push(s);
        }
        MesgNum::Sport => {
            let seg = st.seg();
            if seg.sport_msg.is_none() {
                seg.sport_msg = fields
                    .iter()
                    .find(|f| f.name() == "sport")
                    .and_then(|f| text(f.value()));
            }
        }
        MesgNum::Activity => {
            let utc = fields
                .iter()
                .find(|f| f.name() == "timestamp")
                .and_then(|f| utc_seconds(f.value()));
            let local = fields
                .iter()
                .find(|f| f.name() == "local_timestamp")
                .and_then(|f| local_seconds(f.value()));
            if let (Some(u), Some(l)) = (utc, local) {
                let off = l - u;
                // Real offsets are within ±14 h; anything else is a device bug.
                if off.abs() <= 14 * 3600 && st.offset_s.is_none() {
                    st.offset_s = Some(off as i32);
                }
            }
        }
        _ => {}
    }
}

/// Global message number of `record`.
const RECORD: u16 = 20;

/// A record message decoded by field number (FIT profile, message 20): timestamp 253,
/// position_lat 0 / position_long 1 (semicircles), altitude 2 and enhanced_altitude 78
/// (scale 5, offset 500), heart_rate 3, cadence 4, distance 5 (scale 100), speed 6 and
/// enhanced_speed 73 (scale 1000), power 7, compressed_speed_distance 8, temperature 13.
/// A compressed-timestamp header adds its 5-bit offset to the last full timestamp, rolling
/// over at 32 s, as the FIT protocol defines.
fn fast_record(msg: &fitparser::de::FitDataMessage, st: &mut State) -> Sample {
    let f = msg.fields();
    let get = |n: u8| f.get(&n).and_then(number);
    let ts = match (get(253), msg.time_offset()) {
        (Some(t), _) => Some(t as u32),
        (None, Some(off)) => st.base_timestamp.map(|base| {
            let off = u32::from(off) & 0x1f;
            let mut t = (base & !0x1f) | off;
            if off < (base & 0x1f) {
                t = t.wrapping_add(0x20);
            }
            t
        }),
        (None, None) => None,
    };
    if ts.is_some() {
        st.base_timestamp = ts;
    }
    let mut s = Sample {
        time_ms: ts.map(|t| (FIT_EPOCH_S + i64::from(t)) * 1000),
        lat_deg: get(0).map(|x| x * SEMICIRCLE_DEG),
        lon_deg: get(1).map(|x| x * SEMICIRCLE_DEG),
        elevation_m: get(78).or(get(2)).map(|a| a / 5.0 - 500.0),
        heart_rate_bpm: get(3),
        temperature_c: get(13),
        cadence_rpm: get(4),
        power_w: get(7),
        device_distance_m: get(5).map(|d| d / 100.0),
        device_speed_mps: get(73).or(get(6)).map(|v| v / 1000.0),
    };
    if let Some(bytes) = f.get(&8).and_then(three_bytes) {
        let (speed, distance) = st.seg().expand_compressed(bytes);
        s.device_speed_mps = Some(speed);
        s.device_distance_m = Some(distance);
    }
    let valid = matches!((s.lat_deg, s.lon_deg), (Some(a), Some(o))
        if a.abs() <= 90.0 && o.abs() <= 180.0 && !(a == 0.0 && o == 0.0));
    if !valid {
        s.lat_deg = None;
        s.lon_deg = None;
    }
    s
}

impl Segment {
    /// `compressed_speed_distance` (FIT profile, record field 8): 12 bits of speed in
    /// 1/100 m/s, then 12 bits of distance in 1/16 m that roll over at 4096 and must be
    /// accumulated: total += (raw - last_raw) mod 4096. (fitparser 0.11 adds the raw value
    /// itself to the total, which overstates distance ninefold on the corpus file; FitCSVTool
    /// accumulates as here.)
    fn expand_compressed(&mut self, b: [u8; 3]) -> (f64, f64) {
        let speed = u32::from(b[0]) | (u32::from(b[1] & 0x0f) << 8);
        let dist = u32::from(b[1] >> 4) | (u32::from(b[2]) << 4);
        let delta = match self.compressed_last_raw {
            Some(last) => (dist.wrapping_sub(last)) & 0x0fff,
            None => dist,
        };
        self.compressed_last_raw = Some(dist);
        self.compressed_total_16ths += u64::from(delta);
        (
            f64::from(speed) / 100.0,
            self.compressed_total_16ths as f64 / 16.0,
        )
    }
}

fn three_bytes(v: &Value) -> Option<[u8; 3]> {
    let Value::Array(items) = v else { return None };
    let mut out = [0u8; 3];
    if items.len() != 3 {
        return None;
    }
    for (o, i) in out.iter_mut().zip(items) {
        *o = match i {
            Value::Byte(x) | Value::UInt8(x) | Value::UInt8z(x) | Value::Enum(x) => *x,
            _ => return None,
        };
    }
    Some(out)
}

fn session_of(fields: &[FitDataField]) -> Session {
    let mut s = Session::default();
    for f in fields {
        let v = f.value();
        match f.name() {
            "start_time" => s.start_ms = utc_millis(v),
            "sport" => s.sport = text(v),
            "sub_sport" => s.sub_sport = text(v),
            "total_distance" => s.totals.distance_m = number(v),
            "total_ascent" => s.totals.ascent_m = number(v),
            "total_descent" => s.totals.descent_m = number(v),
            "total_timer_time" => s.totals.timer_time_s = number(v),
            "total_elapsed_time" => s.totals.elapsed_time_s = number(v),
            _ => {}
        }
    }
    s
}

fn finish(path: &Path, st: State, warnings: Vec<String>) -> Result<Vec<Activity>, ReadError> {
    if let Some(t) = st.file_type() {
        if t != "activity" {
            return Err(ReadError::NotActivity(format!(
                "FIT file of type '{t}' (not an activity recording)"
            )));
        }
    }
    if st.record_count() == 0 {
        return Err(if st.file_type().is_none() {
            ReadError::NotActivity("FIT file without a file_id or any record messages".into())
        } else {
            ReadError::NoData("FIT activity without any record messages".into())
        });
    }
    if !st
        .segments
        .iter()
        .any(|s| s.samples.iter().any(|x| x.time_ms.is_some()))
    {
        return Err(ReadError::NoData("FIT records carry no timestamps".into()));
    }
    let device = match (&st.manufacturer, &st.product) {
        (Some(m), Some(p)) => Some(format!("{m} {p}")),
        (Some(m), None) => Some(m.clone()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    };
    let elevation_source = elevation_source(&st);
    let template = |sport: Option<&str>, sub: Option<&str>| {
        let mut act = Activity::new(path.to_path_buf(), Format::Fit);
        act.device = device.clone();
        act.utc_offset_s = st.offset_s;
        act.elevation_source = elevation_source;
        act.warnings = warnings.clone();
        if let Some(sp) = sport {
            act.sport = Sport::parse(sp);
            act.sport_raw = Some(match sub {
                Some(sub) if sub != "generic" => format!("{sp}/{sub}"),
                _ => sp.to_string(),
            });
        }
        act
    };
    let mut out = Vec::new();
    for seg in st.segments.into_iter().filter(|s| !s.samples.is_empty()) {
        // Multisport: one activity per session (a triathlon's run leg is a run),
        // transitions dropped; each record goes to the session whose time span holds it.
        let legs: Vec<&Session> = seg
            .sessions
            .iter()
            .filter(|s| s.sport.as_deref() != Some("transition"))
            .collect();
        if legs.len() > 1 && legs.iter().all(|s| s.start_ms.is_some()) {
            for s in &legs {
                let start = s.start_ms.unwrap_or(i64::MIN);
                let end = s
                    .totals
                    .elapsed_time_s
                    .map(|e| start + (e * 1000.0).round() as i64)
                    .unwrap_or(i64::MAX);
                let mut act = template(s.sport.as_deref(), s.sub_sport.as_deref());
                act.device_totals = s.totals;
                act.samples = seg
                    .samples
                    .iter()
                    .filter(|x| x.time_ms.is_some_and(|t| t >= start && t <= end))
                    .copied()
                    .collect();
                act.warnings.push(format!(
                    "multisport file: this is its {} session",
                    s.sport.as_deref().unwrap_or("unknown")
                ));
                out.push(act);
            }
            continue;
        }
        let first = seg.sessions.first();
        let sport = first
            .and_then(|s| s.sport.clone())
            .or(seg.sport_msg.clone());
        let mut act = template(sport.as_deref(), first.and_then(|s| s.sub_sport.as_deref()));
        act.device_totals = sum_sessions(&seg.sessions);
        act.samples = seg.samples;
        out.push(act);
    }
    let n = out.len();
    if n > 1 {
        for (i, a) in out.iter_mut().enumerate() {
            a.part = Some((i + 1, n));
        }
    }
    Ok(out)
}

fn sum_sessions(sessions: &[Session]) -> DeviceTotals {
    fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
        match (a, b) {
            (Some(x), Some(y)) => Some(x + y),
            (x, None) => x,
            (None, y) => y,
        }
    }
    sessions
        .iter()
        .fold(DeviceTotals::default(), |acc, s| DeviceTotals {
            distance_m: add(acc.distance_m, s.totals.distance_m),
            ascent_m: add(acc.ascent_m, s.totals.ascent_m),
            descent_m: add(acc.descent_m, s.totals.descent_m),
            timer_time_s: add(acc.timer_time_s, s.totals.timer_time_s),
            elapsed_time_s: add(acc.elapsed_time_s, s.totals.elapsed_time_s),
        })
}

/// Device families with a barometric altimeter (Garmin fenix/epix/enduro/instinct, Edge,
/// Forerunner 9xx, Wahoo ELEMNT, Coros, Suunto); virtual rides (Zwift) compute elevation
/// from a model; any other device's altitude is treated as GPS-derived.
fn elevation_source(st: &State) -> ElevationSource {
    let any = st
        .segments
        .iter()
        .flat_map(|s| &s.samples)
        .any(|s| s.elevation_m.is_some());
    if !any {
        return ElevationSource::None;
    }
    let m = st
        .manufacturer
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let p = st.product.as_deref().unwrap_or("").to_ascii_lowercase();
    if m == "zwift" {
        return ElevationSource::Model;
    }
    let baro_maker = matches!(m.as_str(), "wahoo_fitness" | "coros" | "suunto");
    // The entry-level Edge 20/25/200/205 have no barometer.
    let gps_only_edge = ["edge20", "edge25", "edge200", "edge205"].contains(&p.as_str());
    let baro_product = [
        "fenix", "epix", "enduro", "instinct", "edge", "fr9", "tactix", "descent",
    ]
    .iter()
    .any(|k| p.starts_with(k))
        && !gps_only_edge;
    if baro_maker || baro_product {
        ElevationSource::Barometric
    } else {
        ElevationSource::Gps
    }
}

fn number(v: &Value) -> Option<f64> {
    let x = match v {
        Value::Byte(x) | Value::Enum(x) | Value::UInt8(x) | Value::UInt8z(x) => f64::from(*x),
        Value::SInt8(x) => f64::from(*x),
        Value::SInt16(x) => f64::from(*x),
        Value::UInt16(x) | Value::UInt16z(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::UInt32(x) | Value::UInt32z(x) => f64::from(*x),
        Value::SInt64(x) => *x as f64,
        Value::UInt64(x) | Value::UInt64z(x) => *x as f64,
        Value::Float32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        _ => return None,
    };
    x.is_finite().then_some(x)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Invalid | Value::Array(_) | Value::Timestamp(_) => None,
        other => number(other).map(|x| format!("{x}")),
    }
}

fn utc_millis(v: &Value) -> Option<i64> {
    match v {
        Value::Timestamp(t) => Some(t.timestamp_millis()),
        _ => None,
    }
}

fn utc_seconds(v: &Value) -> Option<i64> {
    utc_millis(v).map(|ms| ms.div_euclid(1000))
}

/// fitparser turns a `local_date_time` into an instant by reading the FIT epoch in the
/// machine's own time zone. Undo that to get the raw seconds, then express them on the UTC
/// epoch, so the athlete's offset comes out the same whatever zone this machine is in.
fn local_seconds(v: &Value) -> Option<i64> {
    let Value::Timestamp(t) = v else { return None };
    let epoch = NaiveDate::from_ymd_opt(1989, 12, 31)?.and_hms_opt(0, 0, 0)?;
    let machine_epoch = Local.from_local_datetime(&epoch).earliest()?.timestamp();
    Some(FIT_EPOCH_S + (t.timestamp() - machine_epoch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_a_fit_error_at_byte_zero() {
        let e = read(
            b"\x0e\x10\x00\x00\xff\xff\xff\xff.FIT\x00\x00junk",
            Path::new("x.fit"),
        )
        .unwrap_err();
        assert!(matches!(e, ReadError::Fit { .. }), "{e:?}");
        let e = read(&[1, 2, 3], Path::new("x.fit")).unwrap_err();
        assert!(matches!(e, ReadError::Fit { byte: 0, .. }), "{e:?}");
    }

    #[test]
    fn compressed_distance_accumulates_across_rollover() {
        let mut seg = Segment::default();
        let enc = |speed: u32, dist: u32| {
            [
                (speed & 0xff) as u8,
                (((speed >> 8) & 0x0f) | ((dist & 0x0f) << 4)) as u8,
                ((dist >> 4) & 0xff) as u8,
            ]
        };
        assert_eq!(seg.expand_compressed(enc(354, 0)), (3.54, 0.0));
        assert_eq!(seg.expand_compressed(enc(355, 228)), (3.55, 14.25));
        // 4000/16 = 250 m, then the counter wraps: raw 100 means 4096 + 100 sixteenths.
        assert_eq!(seg.expand_compressed(enc(0, 4000)).1, 250.0);
        assert_eq!(
            seg.expand_compressed(enc(0, 100)).1,
            (4096.0 + 100.0) / 16.0
        );
    }

    #[test]
    fn session_sums_keep_missing_as_missing() {
        let a = Session {
            totals: DeviceTotals {
                distance_m: Some(1.0),
                ..DeviceTotals::default()
            },
            ..Session::default()
        };
        let b = Session {
            totals: DeviceTotals {
                distance_m: Some(2.0),
                ascent_m: Some(5.0),
                ..DeviceTotals::default()
            },
            ..Session::default()
        };
        let t = sum_sessions(&[a, b]);
        assert_eq!(t.distance_m, Some(3.0));
        assert_eq!(t.ascent_m, Some(5.0));
        assert_eq!(t.descent_m, None);
    }
}
