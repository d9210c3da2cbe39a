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

/// A value rounded to `decimals`, with no negative zero (which would print as "-0.0").
pub fn tidy(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f + 0.0
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

/// Parses a duration written `H:MM:SS`, `M:SS`, plain seconds, or with units: `3h30`,
/// `3h30m`, `3h 30m 15s`, `45min`, `2h`.
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    if !t.contains(['h', 'm', 's']) {
        return parse_hms(&t);
    }
    let (mut total, mut number, mut last_unit) = (0.0, String::new(), 'x');
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' | '.' => number.push(c),
            ' ' => {}
            'h' | 'm' | 's' => {
                // "min", "mins" spell minutes.
                if c == 'm' {
                    while chars.peek().is_some_and(|n| matches!(n, 'i' | 'n' | 's')) {
                        chars.next();
                    }
                }
                let v: f64 = number.parse().ok()?;
                number.clear();
                let factor = match c {
                    'h' => 3600.0,
                    'm' => 60.0,
                    _ => 1.0,
                };
                // Units in order, each once: h, then m, then s.
                if !"xhm".contains(last_unit) || (last_unit == 'm' && c != 's') || last_unit == c {
                    return None;
                }
                last_unit = c;
                total += v * factor;
            }
            _ => return None,
        }
    }
    if !number.is_empty() {
        // "3h30": minutes after hours; "5m30": seconds after minutes.
        let v: f64 = number.parse().ok()?;
        total += match last_unit {
            'h' if v < 60.0 => v * 60.0,
            'm' if v < 60.0 => v,
            _ => return None,
        };
    }
    total.is_finite().then_some(total)
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
        assert_eq!(format!("{:+.1}", tidy(-0.04, 1)), "+0.0");
        assert_eq!(tidy(-1.26, 1), -1.3);
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
        assert_eq!(parse_duration("3h30"), Some(12_600.0));
        assert_eq!(parse_duration("3h30m"), Some(12_600.0));
        assert_eq!(parse_duration("3H 30m 15s"), Some(12_615.0));
        assert_eq!(parse_duration("45min"), Some(2_700.0));
        assert_eq!(parse_duration("2h"), Some(7_200.0));
        assert_eq!(parse_duration("5m30"), Some(330.0));
        assert_eq!(parse_duration("3:30:00"), Some(12_600.0));
        assert_eq!(parse_duration("3h75"), None);
        assert_eq!(parse_duration("30m3h"), None);
        assert_eq!(parse_duration("3hh"), None);
        assert_eq!(parse_duration("fast"), None);
    }
}
