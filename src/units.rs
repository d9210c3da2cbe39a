//! Human formatting of the internal units (seconds, metres, °C) in the units people read:
//! metric or imperial (`Units`), and the parsing of durations and paces.

use serde::{Deserialize, Serialize};

/// Metres in a statute mile and in a foot (the international yard and pound, 1959).
pub const METRES_PER_MILE: f64 = 1609.344;
pub const METRES_PER_FOOT: f64 = 0.3048;

/// The units of every output people read (terminal, charts, page); CSV and JSON numbers
/// stay SI whatever this says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    /// km, m, min/km, °C.
    #[default]
    #[serde(alias = "Metric", alias = "METRIC")]
    Metric,
    /// mi, ft, min/mi, °F.
    #[serde(alias = "Imperial", alias = "IMPERIAL")]
    Imperial,
}

impl Units {
    /// "km" or "mi".
    pub fn distance_unit(self) -> &'static str {
        match self {
            Units::Metric => "km",
            Units::Imperial => "mi",
        }
    }

    /// "m" or "ft".
    pub fn height_unit(self) -> &'static str {
        match self {
            Units::Metric => "m",
            Units::Imperial => "ft",
        }
    }

    /// "°C" or "°F".
    pub fn temperature_unit(self) -> &'static str {
        match self {
            Units::Metric => "°C",
            Units::Imperial => "°F",
        }
    }

    /// "min/km" or "min/mi".
    pub fn pace_unit(self) -> &'static str {
        match self {
            Units::Metric => "min/km",
            Units::Imperial => "min/mi",
        }
    }

    /// Metres as a number of km or miles.
    pub fn distance_value(self, m: f64) -> f64 {
        match self {
            Units::Metric => m / 1000.0,
            Units::Imperial => m / METRES_PER_MILE,
        }
    }

    /// Metres of height as metres or feet.
    pub fn height_value(self, m: f64) -> f64 {
        match self {
            Units::Metric => m,
            Units::Imperial => m / METRES_PER_FOOT,
        }
    }

    /// °C as °C or °F.
    pub fn temperature_value(self, c: f64) -> f64 {
        match self {
            Units::Metric => c,
            Units::Imperial => c * 9.0 / 5.0 + 32.0,
        }
    }

    /// Seconds per km as seconds per km or per mile.
    pub fn pace_value(self, s_per_km: f64) -> f64 {
        match self {
            Units::Metric => s_per_km,
            Units::Imperial => s_per_km * METRES_PER_MILE / 1000.0,
        }
    }

    /// A distance with two decimals: "42.20 km", "26.22 mi".
    pub fn distance(self, m: f64) -> String {
        self.distance_dp(m, 2)
    }

    /// A distance with `decimals` decimals.
    pub fn distance_dp(self, m: f64, decimals: usize) -> String {
        format!(
            "{:.*} {}",
            decimals,
            tidy(self.distance_value(m), decimals as i32),
            self.distance_unit()
        )
    }

    /// A rule's round distance: whole km, or miles to a tenth (13.7 mi, not "14 mi" for
    /// 22 km).
    pub fn distance_round(self, m: f64) -> String {
        match self {
            Units::Metric => self.distance_dp(m, 0),
            Units::Imperial => self.distance_dp(m, 1),
        }
    }

    /// A distance range in round numbers of the unit: 8-15 km is "8-15 km" or "5-9 mi".
    pub fn range(self, lo_m: f64, hi_m: f64) -> String {
        format!(
            "{:.0}-{:.0} {}",
            self.distance_value(lo_m),
            self.distance_value(hi_m),
            self.distance_unit()
        )
    }

    /// How much to lengthen a long run each week: "2-3 km" or "1-2 mi".
    pub fn distance_step(self) -> &'static str {
        match self {
            Units::Metric => "2-3 km",
            Units::Imperial => "1-2 mi",
        }
    }

    /// A place on a course or run: "km 5.2", "mi 3.2".
    pub fn at(self, m: f64) -> String {
        format!("{} {:.1}", self.distance_unit(), self.distance_value(m))
    }

    /// A height in whole metres or feet: "273 m", "896 ft".
    pub fn height(self, m: f64) -> String {
        format!(
            "{:.0} {}",
            tidy(self.height_value(m), 0),
            self.height_unit()
        )
    }

    /// Climbing per distance: "15 m/km", "79 ft/mi".
    pub fn climb_rate(self, m_per_km: f64) -> String {
        let v = self.height_value(m_per_km) / self.distance_value(1000.0);
        format!("{v:.0} {}/{}", self.height_unit(), self.distance_unit())
    }

    /// A pace: "4:59 /km", "8:01 /mi".
    pub fn pace(self, s_per_km: f64) -> String {
        format!(
            "{} /{}",
            hms(self.pace_value(s_per_km)),
            self.distance_unit()
        )
    }

    /// A temperature in whole degrees: "22 °C", "72 °F".
    pub fn temperature(self, c: f64) -> String {
        self.temperature_dp(c, 0)
    }

    /// A temperature with `decimals` decimals.
    pub fn temperature_dp(self, c: f64, decimals: usize) -> String {
        format!(
            "{:.*} {}",
            decimals,
            self.temperature_value(c),
            self.temperature_unit()
        )
    }

    /// A temperature difference (a sensor offset, a rise): "+3 °C", "+5 °F".
    pub fn temperature_change(self, dc: f64) -> String {
        let v = match self {
            Units::Metric => dc,
            Units::Imperial => dc * 9.0 / 5.0,
        };
        format!("{:+.0} {}", tidy(v, 0), self.temperature_unit())
    }
}

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

/// Parses a pace into seconds per km: `4:58` per `units`' distance, or with its unit
/// written (`4:58/km`, `8:00/mi`, `8:00 min/mi`).
pub fn parse_pace(text: &str, units: Units) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (number, per) = match t.split_once('/') {
        Some((n, unit)) => {
            let per = match unit.trim() {
                "km" => Units::Metric,
                "mi" | "mile" => Units::Imperial,
                _ => return None,
            };
            (n.trim().trim_end_matches("min").trim().to_string(), per)
        }
        None => (t, units),
    };
    let s = parse_hms(&number).filter(|s| *s > 0.0)?;
    Some(s / per.pace_value(1.0))
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
        assert_eq!(Units::Metric.distance(42195.0), "42.20 km");
        assert_eq!(Units::Metric.pace(298.6), "4:59 /km");
        assert_eq!(format!("{:+.1}", tidy(-0.04, 1)), "+0.0");
        assert_eq!(tidy(-1.26, 1), -1.3);
    }

    /// Published figures: the marathon is 26 miles 385 yards (26.219 mi); Everest's
    /// 8,848.86 m (the 2020 China-Nepal survey) is 29,031.7 ft; water freezes at 32 °F and
    /// boils at 212 °F; a mile is 5,280 ft.
    #[test]
    fn imperial_units_match_published_figures() {
        let (m, i) = (Units::Metric, Units::Imperial);
        assert_eq!(i.distance(42_195.0), "26.22 mi");
        assert!((i.distance_value(42_195.0) - (26.0 + 385.0 / 1760.0)).abs() < 1e-3);
        assert_eq!(i.height(8_848.86), "29032 ft");
        assert!((i.height_value(METRES_PER_MILE) - 5280.0).abs() < 1e-9);
        assert_eq!(i.temperature(0.0), "32 °F");
        assert_eq!(i.temperature(100.0), "212 °F");
        assert_eq!(m.temperature(22.4), "22 °C");
        assert_eq!(i.temperature_change(5.0), "+9 °F");
        assert_eq!(m.temperature_change(-3.0), "-3 °C");
        // 4:59 /km is 481.2 s a mile.
        assert_eq!(i.pace(299.0), "8:01 /mi");
        assert_eq!(i.pace_unit(), "min/mi");
        // 15 m/km is 79.2 ft/mi.
        assert_eq!(m.climb_rate(15.0), "15 m/km");
        assert_eq!(i.climb_rate(15.0), "79 ft/mi");
        assert_eq!(i.at(5_200.0), "mi 3.2");
        assert_eq!(m.range(8_000.0, 15_000.0), "8-15 km");
        assert_eq!(i.range(8_000.0, 15_000.0), "5-9 mi");
        assert_eq!(m.at(5_200.0), "km 5.2");
        assert_eq!(m.distance_dp(31_640.0, 1), "31.6 km");
        assert_eq!(Units::default(), m);
        // No negative zero: a descent of -0.2 m is "0 ft".
        assert_eq!(i.height(-0.1), "0 ft");
        assert_eq!(m.distance_dp(-1.0, 1), "0.0 km");
        assert_eq!(i.distance_round(22_000.0), "13.7 mi");
        assert_eq!(m.distance_round(22_000.0), "22 km");
        let toml: Units = serde_json::from_str("\"Imperial\"").unwrap();
        assert_eq!(toml, i);
        assert_eq!(serde_json::to_string(&i).unwrap(), "\"imperial\"");
    }

    #[test]
    fn parses_durations_and_paces() {
        assert_eq!(parse_pace("4:58", Units::Metric), Some(298.0));
        assert_eq!(parse_pace("4:58 /km", Units::Imperial), Some(298.0));
        let mile = parse_pace("8:00/mi", Units::Metric).unwrap();
        assert!((mile - 480.0 / 1.609344).abs() < 1e-9);
        assert_eq!(parse_pace("8:00 min/mi", Units::Metric), Some(mile));
        assert_eq!(parse_pace("8:00", Units::Imperial), Some(mile));
        assert_eq!(parse_pace("8:00/lap", Units::Metric), None);
        assert_eq!(parse_pace("0:00", Units::Metric), None);
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
