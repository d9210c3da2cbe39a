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
    }
}
