//! Heat acclimation: sessions in the heat before a race expected to be hot.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::predict::{ely_slowdown_pct, wbgt_c};

pub fn judge(b: &Block) -> Gap {
    let (spec, rows, race_day, t, u) = (b.spec, b.rows, b.race_day, b.rules, b.units);
    let Some(temp) = spec.expected_temperature_c else {
        return Gap {
            dimension: Dimension::Heat,
            title: Dimension::Heat.title(),
            demand: 0.0,
            best: None,
            recent: None,
            unit: Unit::Sessions,
            ratio: None,
            verdict: Verdict::Unknown,
            detail: "no race temperature given: heat preparation not judged".into(),
            advice: "Set expected_temperature_c (or --temperature) to check heat preparation."
                .into(),
            best_run: None,
        };
    };
    let wbgt = wbgt_c(temp, spec.humidity_pct.unwrap_or(50.0));
    let threshold = t.heat_threshold_c(temp);
    let sessions = |from: i64| -> usize {
        rows.iter()
            .filter(|r| r.is_run && r.day >= from && r.day < race_day)
            .filter(|r| {
                r.moving_s >= t.heat_session_min_s && r.heat_minutes >= t.heat_session_min_minutes
            })
            .count()
    };
    let recent = sessions(race_day - t.heat_window_days);
    let block = sessions(spec.block_start_day());
    let last_60: Vec<_> = rows
        .iter()
        .filter(|r| r.is_run && r.day < race_day && r.day >= race_day - 60)
        .collect();
    // Runs without a temperature channel cannot show heat sessions; no runs at all show
    // that there were none.
    let unknown = !last_60.is_empty() && last_60.iter().all(|r| r.mean_temp_c.is_none());
    let recent_temps: Vec<f64> = rows
        .iter()
        .filter(|r| r.is_run && r.day < race_day && r.day >= race_day - 60)
        .filter_map(|r| r.max_temp_c)
        .collect();
    let recent_mean_max = (!recent_temps.is_empty())
        .then(|| recent_temps.iter().sum::<f64>() / recent_temps.len() as f64);
    let slowdown = ely_slowdown_pct(wbgt);
    let relevant = wbgt >= t.heat_relevant_wbgt_c;
    let ratio = recent as f64 / f64::from(t.heat_sessions_needed);
    let verdict = if !relevant {
        Verdict::NotForThisRace
    } else if unknown {
        Verdict::Unknown
    } else if ratio >= 1.0 {
        Verdict::Ok
    } else if recent >= 4 {
        Verdict::Short
    } else {
        Verdict::Missing
    };
    Gap {
        dimension: Dimension::Heat,
        title: Dimension::Heat.title(),
        demand: f64::from(t.heat_sessions_needed),
        best: Some(block as f64),
        recent: Some(recent as f64),
        unit: Unit::Sessions,
        ratio: (relevant && !unknown).then_some(ratio),
        verdict,
        detail: format!(
            "race {} (WBGT {}: expect at least {slowdown:.1} % slower than in the cool); {recent} run(s) of 60+ min with 30+ min at {} or more in the last {} days ({block} in the block){}{}",
            u.temperature(temp),
            u.temperature_dp(wbgt, 1),
            u.temperature(threshold),
            t.heat_window_days,
            match recent_mean_max {
                Some(m) => format!("; your runs of the last 60 days peaked at {} on average", u.temperature(m)),
                None => String::new(),
            },
            if unknown { "; your runs of the last 60 days record no temperature" } else { "" }
        ),
        advice: if !relevant {
            "The race is cool: no heat preparation needed.".into()
        } else if unknown {
            "Your runs of the last 60 days carry no temperature: wear a watch or sensor that records it, or plan heat sessions anyway.".into()
        } else if ratio >= 1.0 {
            "You are heat-acclimated; keep some heat exposure until race week.".into()
        } else {
            format!(
                "In the last 2-3 weeks, do {} runs of 60-90 min in the heat (midday, extra layers or a heat chamber).",
                t.heat_sessions_needed
            )
        },
        best_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    fn heat_with(temp: Option<f64>, sessions: usize, sensor: bool) -> Gap {
        let rows = (0..sessions.max(1))
            .map(|i| {
                let mut r = run(-1 - i as i64, 12.0, 1.2);
                r.heat_minutes = if i < sessions { 40.0 } else { 0.0 };
                r.mean_temp_c = sensor.then_some(24.0);
                r
            })
            .collect();
        let f = Fixture::with(&course(42.2, None), None, rows, |f| {
            f.expected_temperature_c = temp;
            f.humidity_pct = Some(50.0);
        });
        judge(&f.block())
    }

    #[test]
    fn ten_heat_sessions_for_a_hot_race_and_unknown_without_data() {
        // 26 °C at 50 %: WBGT over 15 °C.
        assert_eq!(heat_with(Some(26.0), 10, true).verdict, Verdict::Ok);
        assert_eq!(heat_with(Some(26.0), 4, true).verdict, Verdict::Short);
        assert_eq!(heat_with(Some(26.0), 3, true).verdict, Verdict::Missing);
        // No temperature channel: the sessions cannot be counted.
        assert_eq!(heat_with(Some(26.0), 0, false).verdict, Verdict::Unknown);
        // No race temperature: unknown; a cool race: not for it.
        assert_eq!(heat_with(None, 10, true).verdict, Verdict::Unknown);
        assert_eq!(
            heat_with(Some(8.0), 0, true).verdict,
            Verdict::NotForThisRace
        );
    }
}
