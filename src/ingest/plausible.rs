//! Physical bounds on every value a reader returns. A value no device could record (a heart
//! rate of 1e308, a cumulative distance of 1e12 m, a lap of 42,949 km) is dropped at the
//! reader with a note in the activity's warnings, so no later loop, allocation or verdict
//! is driven by it. The bounds are wide on purpose: they remove the impossible, not the
//! unusual (elevation in feet and sub-zero temperatures pass).

use crate::model::{Activity, DeviceTotals, Sample};

/// An inclusive range a value must lie in, with its name and unit for the note.
struct Bound {
    what: &'static str,
    lo: f64,
    hi: f64,
    unit: &'static str,
}

impl Bound {
    fn holds(&self, v: f64) -> bool {
        v.is_finite() && v >= self.lo && v <= self.hi
    }
}

const LAT: Bound = Bound {
    what: "latitude",
    lo: -90.0,
    hi: 90.0,
    unit: "°",
};
const LON: Bound = Bound {
    what: "longitude",
    lo: -180.0,
    hi: 180.0,
    unit: "°",
};
/// The Dead Sea shore is at −430 m; 50,000 covers the highest summit in feet (29,032 ft).
const ELEVATION: Bound = Bound {
    what: "elevation",
    lo: -1_000.0,
    hi: 50_000.0,
    unit: "m",
};
/// 0 passes: devices write it for "no contact", which the heart-rate metrics skip.
const HEART_RATE: Bound = Bound {
    what: "heart rate",
    lo: 0.0,
    hi: 300.0,
    unit: "bpm",
};
/// Air temperatures on Earth lie within −89…57 °C; a device in the sun reads higher.
const TEMPERATURE: Bound = Bound {
    what: "temperature",
    lo: -90.0,
    hi: 80.0,
    unit: "°C",
};
const CADENCE: Bound = Bound {
    what: "cadence",
    lo: 0.0,
    hi: 400.0,
    unit: "rpm",
};
const POWER: Bound = Bound {
    what: "power",
    lo: 0.0,
    hi: 5_000.0,
    unit: "W",
};
/// 10,000 km: further than anyone covers in one recording.
const DISTANCE: Bound = Bound {
    what: "distance",
    lo: 0.0,
    hi: 1.0e7,
    unit: "m",
};
/// 300 m/s: faster than any vehicle a watch rides in.
const SPEED: Bound = Bound {
    what: "speed",
    lo: 0.0,
    hi: 300.0,
    unit: "m/s",
};
/// 100 km of climbing in one recording is beyond any event.
const CLIMB: Bound = Bound {
    what: "climb",
    lo: 0.0,
    hi: 100_000.0,
    unit: "m",
};
/// 60 days.
const DURATION: Bound = Bound {
    what: "duration",
    lo: 0.0,
    hi: 60.0 * 86_400.0,
    unit: "s",
};

/// Clears `v` when it is outside `b`, counting it.
fn keep(v: &mut Option<f64>, b: &Bound, dropped: &mut usize) {
    if let Some(x) = *v {
        if !b.holds(x) {
            *v = None;
            *dropped += 1;
        }
    }
}

/// Drops every value outside its bound and notes each kind dropped in `act.warnings`.
pub fn drop_impossible(act: &mut Activity) {
    let mut counts = [0usize; 9];
    for s in &mut act.samples {
        sample(s, &mut counts);
    }
    let names = [
        &LAT,
        &LON,
        &ELEVATION,
        &HEART_RATE,
        &TEMPERATURE,
        &CADENCE,
        &POWER,
        &DISTANCE,
        &SPEED,
    ];
    for (b, n) in names.iter().zip(counts) {
        if n > 0 {
            act.warnings.push(format!(
                "{n} {} value(s) outside {}…{} {} dropped",
                b.what, b.lo, b.hi, b.unit
            ));
        }
    }
    let totals = totals(&mut act.device_totals);
    act.warnings.extend(totals);
}

fn sample(s: &mut Sample, counts: &mut [usize; 9]) {
    let before = (s.lat_deg, s.lon_deg);
    keep(&mut s.lat_deg, &LAT, &mut counts[0]);
    keep(&mut s.lon_deg, &LON, &mut counts[1]);
    // A position is a pair: half of one is none.
    if (s.lat_deg.is_none() || s.lon_deg.is_none()) && before.0.is_some() && before.1.is_some() {
        s.lat_deg = None;
        s.lon_deg = None;
    }
    keep(&mut s.elevation_m, &ELEVATION, &mut counts[2]);
    keep(&mut s.heart_rate_bpm, &HEART_RATE, &mut counts[3]);
    keep(&mut s.temperature_c, &TEMPERATURE, &mut counts[4]);
    keep(&mut s.cadence_rpm, &CADENCE, &mut counts[5]);
    keep(&mut s.power_w, &POWER, &mut counts[6]);
    keep(&mut s.device_distance_m, &DISTANCE, &mut counts[7]);
    keep(&mut s.device_speed_mps, &SPEED, &mut counts[8]);
}

/// The device's totals, each dropped with a note when impossible.
fn totals(t: &mut DeviceTotals) -> Vec<String> {
    let mut notes = Vec::new();
    for (v, b, name) in [
        (&mut t.distance_m, &DISTANCE, "distance"),
        (&mut t.ascent_m, &CLIMB, "ascent"),
        (&mut t.descent_m, &CLIMB, "descent"),
        (&mut t.timer_time_s, &DURATION, "timer time"),
        (&mut t.elapsed_time_s, &DURATION, "elapsed time"),
    ] {
        let mut n = 0;
        let was = *v;
        keep(v, b, &mut n);
        if let (1, Some(x)) = (n, was) {
            notes.push(format!(
                "device total {name} of {x:e} {} is impossible; not used",
                b.unit
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use std::path::PathBuf;

    #[test]
    fn impossible_values_are_dropped_and_noted() {
        let mut a = Activity::new(PathBuf::from("x.tcx"), Format::Tcx);
        a.samples = vec![
            Sample {
                lat_deg: Some(45.0),
                lon_deg: Some(6.0),
                heart_rate_bpm: Some(1e308),
                temperature_c: Some(f64::NAN),
                device_distance_m: Some(1e12),
                elevation_m: Some(8_848.0 * 3.28084),
                ..Sample::default()
            },
            Sample {
                lat_deg: Some(145.0),
                lon_deg: Some(6.0),
                heart_rate_bpm: Some(150.0),
                temperature_c: Some(-20.0),
                device_distance_m: Some(1000.0),
                ..Sample::default()
            },
        ];
        a.device_totals.distance_m = Some(1e308);
        a.device_totals.ascent_m = Some(1200.0);
        drop_impossible(&mut a);
        let s = &a.samples;
        assert_eq!(s[0].heart_rate_bpm, None);
        assert_eq!(s[0].temperature_c, None);
        assert_eq!(s[0].device_distance_m, None);
        // Everest in feet is unusual, not impossible.
        assert_eq!(s[0].elevation_m, Some(8_848.0 * 3.28084));
        assert_eq!((s[1].lat_deg, s[1].lon_deg), (None, None));
        assert_eq!(s[1].heart_rate_bpm, Some(150.0));
        assert_eq!(s[1].temperature_c, Some(-20.0));
        assert_eq!(a.device_totals.distance_m, None);
        assert_eq!(a.device_totals.ascent_m, Some(1200.0));
        let w = a.warnings.join("\n");
        assert!(
            w.contains("1 heart rate value(s) outside 0…300 bpm dropped"),
            "{w}"
        );
        assert!(w.contains("1 latitude value(s)"), "{w}");
        assert!(
            w.contains("device total distance of 1e308 m is impossible"),
            "{w}"
        );
    }
}
