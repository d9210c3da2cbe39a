//! Dates and times, in one place: the ISO 8601 / RFC 3339 timestamps of GPX and TCX
//! (parsed without allocation), civil-date arithmetic, local days, Monday weeks, which dates
//! can be trusted, and how dates are written.

/// A parsed timestamp: UTC milliseconds since the Unix epoch and, when the text carried a
/// numeric offset (`+02:00`), that offset. A bare `Z` gives offset 0 (UTC, local unknown);
/// text without any zone is taken as UTC and flagged by `zone_given == false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub utc_ms: i64,
    pub offset_s: Option<i32>,
    pub zone_given: bool,
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM|±HH]`, also with a space for `T`.
/// Returns `None` for anything else, including impossible dates.
pub fn parse_iso8601(text: &[u8]) -> Option<Parsed> {
    let t = trim(text);
    if t.len() < 19 {
        return None;
    }
    let year = digits(&t[0..4])?;
    if t[4] != b'-' || t[7] != b'-' || !(t[10] == b'T' || t[10] == b't' || t[10] == b' ') {
        return None;
    }
    if t[13] != b':' || t[16] != b':' {
        return None;
    }
    let month = digits(&t[5..7])?;
    let day = digits(&t[8..10])?;
    let hour = digits(&t[11..13])?;
    let minute = digits(&t[14..16])?;
    let second = digits(&t[17..19])?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &t[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let mut scale = 100;
        for d in &frac[..n.min(3)] {
            millis += i64::from(d - b'0') * scale;
            scale /= 10;
        }
        rest = &frac[n..];
    }
    let (offset_s, zone_given) = match rest {
        [] => (None, false),
        [b'Z'] | [b'z'] => (None, true),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [a, b] => (digits(&[*a, *b])?, 0),
                [a, b, b':', c, d] | [a, b, c, d] => (digits(&[*a, *b])?, digits(&[*c, *d])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let s = (h * 3600 + m * 60) as i32;
            (Some(if *sign == b'-' { -s } else { s }), true)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let local_s = days * 86_400 + hour * 3600 + minute * 60 + second;
    let utc_s = local_s - i64::from(offset_s.unwrap_or(0));
    Some(Parsed {
        utc_ms: utc_s * 1000 + millis,
        offset_s,
        zone_given,
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut v = 0i64;
    for c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats UTC milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (shifted by `offset_s` and
/// suffixed with it when given).
pub fn format_ms(utc_ms: i64, offset_s: Option<i32>) -> String {
    let off = i64::from(offset_s.unwrap_or(0));
    let secs = utc_ms.div_euclid(1000) + off;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let base = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    match offset_s {
        None => format!("{base}Z"),
        Some(o) => {
            let sign = if o < 0 { '-' } else { '+' };
            let a = o.unsigned_abs();
            format!("{base}{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
        }
    }
}

/// Inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` to days since the epoch.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let mut parts = t.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    // Reject dates that roll over (2026-02-30).
    (civil_from_days(day) == (y, m, d)).then_some(day)
}

/// Days since the epoch as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether a run's day can be placed on the calendar: from 2000-01-01 (earlier dates come
/// from a device whose clock was never set) to two days after `today` (later ones from a
/// clock set wrong). Runs outside are kept but not placed, so one file dated 9999 cannot
/// stretch the calendar over eight thousand years.
pub fn date_trusted(day: i64, today: i64) -> bool {
    let earliest = crate::ingest::EARLIEST_TRUSTED_MS.div_euclid(86_400_000);
    (earliest..=today + 2).contains(&day)
}

/// Today as days since the Unix epoch (UTC).
pub fn today_day() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64 / 86_400)
        .unwrap_or(0)
}

/// Monday-based week number of a day (1970-01-01 was a Thursday).
pub fn week_of(day: i64) -> i64 {
    (day + 3).div_euclid(7)
}

/// First day (Monday) of a week number.
pub fn week_start(week: i64) -> i64 {
    week * 7 - 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        parse_iso8601(s.as_bytes()).unwrap().utc_ms
    }

    #[test]
    fn parses_the_variants_devices_write() {
        // 2012-10-24T23:22:51Z is 1351120971 s after the epoch.
        assert_eq!(ms("2012-10-24T23:22:51Z"), 1_351_120_971_000);
        assert_eq!(ms("2012-10-24T23:22:51.250Z"), 1_351_120_971_250);
        assert_eq!(ms(" 2012-10-24T23:22:51.123456Z\n"), 1_351_120_971_123);
        assert_eq!(ms("2012-10-25T01:22:51+02:00"), 1_351_120_971_000);
        assert_eq!(ms("2012-10-24T21:22:51-0200"), 1_351_120_971_000);
        assert_eq!(ms("2012-10-24 23:22:51"), 1_351_120_971_000);
        let p = parse_iso8601(b"2012-10-25T01:22:51+02:00").unwrap();
        assert_eq!(p.offset_s, Some(7200));
        assert!(!parse_iso8601(b"2012-10-24T23:22:51").unwrap().zone_given);
    }

    #[test]
    fn rejects_garbage_and_impossible_dates() {
        for bad in [
            "",
            "yesterday",
            "2012-13-01T00:00:00Z",
            "2013-02-29T00:00:00Z",
            "2012-10-24T24:00:00Z",
            "2012-10-24T23:22:51Q",
            "2012-10-24T23:22:51.Z",
        ] {
            assert!(parse_iso8601(bad.as_bytes()).is_none(), "{bad}");
        }
        assert!(parse_iso8601(b"2012-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn civil_round_trip_and_format() {
        for days in [-800_000, -1, 0, 1, 10_957, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_ms(1_351_120_971_000, None), "2012-10-24T23:22:51Z");
        assert_eq!(
            format_ms(1_351_120_971_000, Some(-5400)),
            "2012-10-24T21:52:51-01:30"
        );
    }
}
