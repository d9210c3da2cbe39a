//! The UTC offset of a place at an instant, for recordings that carry no offset of their own
//! (a GPX or TCX in UTC): the time zone from the position (tzf-rs, boundaries from
//! OpenStreetMap via timezone-boundary-builder, ODbL) and its rules at that instant (the
//! IANA database bundled with jiff). So every run gets its local date and weeks split at
//! the runner's own midnight, with no system time-zone files needed.

use crate::model::Activity;
use std::sync::OnceLock;

fn finder() -> &'static tzf_rs::DefaultFinder {
    static FINDER: OnceLock<tzf_rs::DefaultFinder> = OnceLock::new();
    FINDER.get_or_init(tzf_rs::DefaultFinder::new)
}

/// Builds the zone finder's index (tens of milliseconds) on a thread of its own, so it is
/// ready, or nearly, when the first file that needs it has been read.
pub fn prepare() {
    let _ = std::thread::Builder::new()
        .name("time-zones".into())
        .spawn(|| {
            finder();
        });
}

/// The IANA zone name at a position, if it lies in one (the open sea has "Etc/GMT±N").
pub fn zone_name(lat_deg: f64, lon_deg: f64) -> Option<String> {
    let name = finder().get_tz_name(lon_deg, lat_deg);
    (!name.is_empty()).then(|| name.to_string())
}

/// The UTC offset in seconds at a position and instant.
pub fn offset_s(lat_deg: f64, lon_deg: f64, utc_ms: i64) -> Option<i32> {
    zone_offset_s(&zone_name(lat_deg, lon_deg)?, utc_ms)
}

/// The UTC offset in seconds of the IANA zone `name` at an instant.
fn zone_offset_s(name: &str, utc_ms: i64) -> Option<i32> {
    let tz = jiff::tz::db().get(name).ok()?;
    let at = jiff::Timestamp::from_millisecond(utc_ms).ok()?;
    Some(tz.to_offset(at).seconds())
}

/// Gives an activity without a UTC offset the one of its first position at its start.
/// Returns the zone's name when it did.
pub fn fill_offset(act: &mut Activity) -> Option<String> {
    if act.utc_offset_s.is_some() {
        return None;
    }
    let start = act.start_ms()?;
    let (lat, lon) = act
        .samples
        .iter()
        .find_map(|s| Some((s.lat_deg?, s.lon_deg?)))?;
    let name = zone_name(lat, lon)?;
    act.utc_offset_s = Some(zone_offset_s(&name, start)?);
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_the_place_and_its_summer_time() {
        // 2021-03-27 12:00 UTC: Edinburgh on GMT, Paris on CET, New York on EDT (from
        // 2021-03-14), Sydney on AEDT (until 2021-04-04).
        let t = 1_616_846_400_000;
        assert_eq!(offset_s(55.95, -3.19, t), Some(0));
        assert_eq!(offset_s(48.86, 2.35, t), Some(3600));
        assert_eq!(offset_s(40.71, -74.0, t), Some(-4 * 3600));
        assert_eq!(offset_s(-33.87, 151.21, t), Some(11 * 3600));
        // A week later Edinburgh and Paris are on summer time.
        let later = t + 7 * 86_400_000;
        assert_eq!(offset_s(55.95, -3.19, later), Some(3600));
        assert_eq!(offset_s(48.86, 2.35, later), Some(7200));
        assert_eq!(zone_name(48.86, 2.35).as_deref(), Some("Europe/Paris"));
    }
}
