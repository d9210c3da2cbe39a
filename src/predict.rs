//! Race-time prediction and heat: Riegel's endurance formula, Daniels/Gilbert VDOT, and the
//! slowdown published for marathoners at a given wet-bulb globe temperature.

/// Riegel (1981) fatigue exponent; valid from about 3.5 to 230 minutes.
pub const RIEGEL_EXPONENT: f64 = 1.06;

/// Riegel: time over `d2` predicted from `t1` over `d1` (`T2 = T1 · (D2/D1)^1.06`).
pub fn riegel(t1_s: f64, d1_m: f64, d2_m: f64) -> f64 {
    t1_s * (d2_m / d1_m).powf(RIEGEL_EXPONENT)
}

/// Daniels & Gilbert oxygen cost of running at `v` m/min, ml/kg/min.
pub fn vo2_cost(v_m_per_min: f64) -> f64 {
    -4.60 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min * v_m_per_min
}

/// Daniels & Gilbert share of VO2max sustainable for `t` minutes.
pub fn sustainable_fraction(t_min: f64) -> f64 {
    0.8 + 0.189_439_3 * (-0.012_778 * t_min).exp() + 0.298_955_8 * (-0.193_260_5 * t_min).exp()
}

/// VDOT of a performance: `distance_m` in `time_s`.
pub fn vdot(distance_m: f64, time_s: f64) -> f64 {
    let t = time_s / 60.0;
    vo2_cost(distance_m / t) / sustainable_fraction(t)
}

/// The time over `distance_m` that a runner of this VDOT is predicted to run, seconds
/// (bisection on the monotone VDOT-of-time curve).
pub fn time_for_vdot(vdot_value: f64, distance_m: f64) -> f64 {
    let (mut lo, mut hi) = (1.0f64, 6000.0f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if vdot(distance_m, mid * 60.0) > vdot_value {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi) * 60.0
}

/// Wet-bulb globe temperature from air temperature and relative humidity, the simple
/// form used by the Australian Bureau of Meteorology and ACSM:
/// `WBGT = 0.567·Ta + 0.393·e + 3.94`, `e = RH/100 · 6.105 · exp(17.27·Ta / (237.7 + Ta))` hPa.
pub fn wbgt_c(air_c: f64, humidity_pct: f64) -> f64 {
    let e = humidity_pct / 100.0 * 6.105 * (17.27 * air_c / (237.7 + air_c)).exp();
    0.567 * air_c + 0.393 * e + 3.94
}

/// Marathon slowdown by WBGT for the top finishers in Ely et al. 2007 (MSSE 39:487): 1.7,
/// 2.5, 3.3 and 4.5 % for WBGT 5-10, 10-15, 15-20 and 20-25 °C; slower runners slow more,
/// so this is a lower bound. Below 5 °C: none; above 25 °C the last step is extended.
pub fn ely_slowdown_pct(wbgt: f64) -> f64 {
    match wbgt {
        w if w < 5.0 => 0.0,
        w if w < 10.0 => 1.7,
        w if w < 15.0 => 2.5,
        w if w < 20.0 => 3.3,
        w if w < 25.0 => 4.5,
        w => 4.5 + 1.2 * ((w - 25.0) / 5.0).ceil(),
    }
}

/// Speed falls with duration as `T^-k`. Up to `ENDURANCE_BREAK_S`, Riegel's exponent
/// (time ∝ distance^1.06: k = 1 − 1/1.06, valid to about 230 min, Riegel 1981, Am Sci
/// 69:285). Beyond it, the slope of the road records from 100 km (6:05:35) to 24 hours
/// (319.614 km), both Sorokin (2022-2023): k = ln(4.559/3.699) / ln(86,400/21,935) = 0.152.
pub const ENDURANCE_K_SHORT: f64 = 1.0 - 1.0 / RIEGEL_EXPONENT;
pub const ENDURANCE_K_LONG: f64 = 0.152;
pub const ENDURANCE_BREAK_S: f64 = 4.0 * 3600.0;

/// ln(v(reference) / v(T)): how much slower, in log speed, a runner holds `t_s` than
/// `reference_s` (negative when `t_s` is shorter).
pub fn endurance_log_slowdown(t_s: f64, reference_s: f64) -> f64 {
    let d = |t: f64| {
        let t = t.max(60.0);
        if t <= ENDURANCE_BREAK_S {
            ENDURANCE_K_SHORT * t.ln()
        } else {
            ENDURANCE_K_SHORT * ENDURANCE_BREAK_S.ln()
                + ENDURANCE_K_LONG * (t / ENDURANCE_BREAK_S).ln()
        }
    };
    d(t_s) - d(reference_s)
}

/// Marathon time grows by 10.8 % per 1,000 m of altitude (men; 12.3 % for women) across 16
/// marathons from sea level to 2,800 m (Lara, Salinero & Del Coso 2014, High Alt Med Biol
/// 15:64-69); the smaller figure is used.
pub const ALTITUDE_PCT_PER_KM: f64 = 10.8;
/// Below this VO2max does not measurably fall (Wehrlin & Hallén 2006, Eur J Appl Physiol
/// 96:404-412: a linear decline from about 300 m).
pub const ALTITUDE_FREE_M: f64 = 300.0;

/// The slowdown racing at `race_m` brings a runner who trains at `training_m`: none at or
/// below the training altitude, and none below `ALTITUDE_FREE_M`.
pub fn altitude_slowdown_pct(race_m: f64, training_m: f64) -> f64 {
    let above = race_m.max(ALTITUDE_FREE_M) - training_m.max(ALTITUDE_FREE_M);
    (ALTITUDE_PCT_PER_KM * above / 1000.0).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hms(h: f64, m: f64, s: f64) -> f64 {
        h * 3600.0 + m * 60.0 + s
    }

    #[test]
    fn endurance_follows_riegel_then_the_ultra_records() {
        // Within Riegel's range, a run twice as long is held 2^-0.0566 as fast.
        let k = endurance_log_slowdown(7200.0, 3600.0);
        assert!((k - ENDURANCE_K_SHORT * 2f64.ln()).abs() < 1e-12);
        assert_eq!(endurance_log_slowdown(3600.0, 3600.0), 0.0);
        // From the 100 km record's duration to 24 h: the records' own ratio of speeds.
        let r = endurance_log_slowdown(86_400.0, 21_935.0).exp();
        assert!(
            (r - (100_000.0 / 21_935.0) / (319_614.0 / 86_400.0)).abs() < 0.01,
            "{r}"
        );
        assert!(endurance_log_slowdown(1800.0, 3600.0) < 0.0);
    }

    #[test]
    fn altitude_slows_only_above_where_one_trains() {
        // 2,300 m (Mexico City) for a sea-level runner: 10.8 % per 1,000 m above 300 m.
        assert!((altitude_slowdown_pct(2_300.0, 20.0) - 21.6).abs() < 1e-9);
        assert_eq!(altitude_slowdown_pct(2_300.0, 2_300.0), 0.0);
        assert_eq!(altitude_slowdown_pct(250.0, 0.0), 0.0);
        assert_eq!(altitude_slowdown_pct(800.0, 1_500.0), 0.0);
        assert!((altitude_slowdown_pct(1_300.0, 800.0) - 5.4).abs() < 1e-9);
    }

    /// Daniels' Running Formula VDOT tables (5 km, 10 km, half, marathon).
    #[test]
    fn reproduces_daniels_tables_within_one_percent() {
        let table = [
            (
                30.0,
                [
                    hms(0., 30., 40.),
                    hms(1., 3., 46.),
                    hms(2., 21., 4.),
                    hms(4., 49., 17.),
                ],
            ),
            (
                40.0,
                [
                    hms(0., 24., 8.),
                    hms(0., 50., 3.),
                    hms(1., 50., 59.),
                    hms(3., 49., 45.),
                ],
            ),
            (
                50.0,
                [
                    hms(0., 19., 57.),
                    hms(0., 41., 21.),
                    hms(1., 31., 35.),
                    hms(3., 10., 49.),
                ],
            ),
            (
                60.0,
                [
                    hms(0., 17., 3.),
                    hms(0., 35., 22.),
                    hms(1., 18., 9.),
                    hms(2., 43., 25.),
                ],
            ),
            (
                70.0,
                [
                    hms(0., 14., 55.),
                    hms(0., 31., 0.),
                    hms(1., 8., 21.),
                    hms(2., 23., 10.),
                ],
            ),
        ];
        for (v, times) in table {
            for (d, want) in [5000.0, 10_000.0, 21_097.5, 42_195.0].iter().zip(times) {
                let got = time_for_vdot(v, *d);
                assert!(
                    (got / want - 1.0).abs() < 0.01,
                    "VDOT {v} {d} m: {got:.0} vs {want}"
                );
                assert!((vdot(*d, want) - v).abs() / v < 0.01);
            }
        }
    }

    #[test]
    fn riegel_matches_the_formula_to_the_second() {
        // 10 km in 45:00 -> marathon 45:00 * 4.2195^1.06.
        let t = riegel(2700.0, 10_000.0, 42_195.0);
        let want = 2700.0 * 4.2195f64.powf(1.06);
        assert!((t - want).abs() < 1.0);
        assert!((t - 12_420.5).abs() < 1.0, "{t}");
        assert_eq!(riegel(1000.0, 5000.0, 5000.0), 1000.0);
    }

    #[test]
    fn wbgt_and_heat_slowdown() {
        // 22 °C at 45 % humidity: e = 11.9 hPa, WBGT = 21.1 °C.
        let w = wbgt_c(22.0, 45.0);
        assert!((w - 21.1).abs() < 0.1, "{w}");
        assert_eq!(ely_slowdown_pct(w), 4.5);
        assert_eq!(ely_slowdown_pct(3.0), 0.0);
        assert_eq!(ely_slowdown_pct(12.0), 2.5);
        assert_eq!(ely_slowdown_pct(27.0), 5.7);
    }
}
