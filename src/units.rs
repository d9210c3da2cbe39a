//! Human formatting of the internal units (seconds, metres) for terminal output.

/// `H:MM:SS` (or `M:SS` under an hour) from seconds; negative values get a minus sign.
pub fn hms(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "-".into();
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let t = seconds.abs().round() as u64;
    let (h, m, s) = (t / 3600, t % 3600 / 60, t % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

/// Kilometres with two decimals from metres.
pub fn km(metres: f64) -> String {
    format!("{:.2} km", metres / 1000.0)
}

/// A pace in seconds per km as `M:SS /km`.
pub fn pace(s_per_km: f64) -> String {
    format!("{} /km", hms(s_per_km))
}

/// Parses a pace or duration written `H:MM:SS`, `M:SS` or plain seconds.
pub fn parse_hms(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let v: f64 = p.parse().ok()?;
        if !v.is_finite() || v < 0.0 || (i > 0 && v >= 60.0) {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_durations_and_distances() {
        assert_eq!(hms(0.0), "0:00");
        assert_eq!(hms(59.6), "1:00");
        assert_eq!(hms(3725.0), "1:02:05");
        assert_eq!(hms(-61.0), "-1:01");
        assert_eq!(hms(f64::NAN), "-");
        assert_eq!(km(42195.0), "42.20 km");
        assert_eq!(pace(298.6), "4:59 /km");
    }

    #[test]
    fn parses_durations_and_paces() {
        assert_eq!(parse_hms("3:30:00"), Some(12_600.0));
        assert_eq!(parse_hms("4:58"), Some(298.0));
        assert_eq!(parse_hms("75"), Some(75.0));
        assert_eq!(parse_hms("4:60"), None);
        assert_eq!(parse_hms("a:b"), None);
        assert_eq!(parse_hms("1:2:3:4"), None);
        assert_eq!(parse_hms("-5"), None);
    }
}
