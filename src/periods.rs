//! The history by calendar period: volume per year and per month, the longest runs, and
//! the best efforts of each year; what a history without a race is summed up by.

use crate::calendar::{civil_from_days, format_day};
use crate::history::RunRow;
use serde::Serialize;

/// The runs of one calendar year or month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// `2025` or `2025-03`.
    pub label: String,
    pub runs: usize,
    pub distance_m: f64,
    pub moving_s: f64,
    pub ascent_m: f64,
    pub longest_m: f64,
    pub long_runs: usize,
}

/// A year's best time over a standard distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearBest {
    pub year: i64,
    pub distance_m: f64,
    pub time_s: f64,
    pub date: String,
}

/// The history summed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistorySummary {
    pub years: Vec<Period>,
    /// The last 12 calendar months with runs up to the last run (empty months included).
    pub months: Vec<Period>,
    /// The longest runs, longest first (at most `LONGEST`).
    pub longest: Vec<(String, f64, f64, String)>,
    /// Each year's best time at each standard distance the runs hold.
    pub best_efforts: Vec<YearBest>,
}

impl HistorySummary {
    /// The standard distances the best efforts cover, shortest first.
    pub fn effort_distances(&self) -> Vec<f64> {
        let mut d: Vec<f64> = self.best_efforts.iter().map(|b| b.distance_m).collect();
        d.dedup();
        d
    }

    /// The best effort over `distance_m` in the year labelled `year`.
    pub fn best_of(&self, year: &str, distance_m: f64) -> Option<&YearBest> {
        self.best_efforts
            .iter()
            .find(|b| b.year.to_string() == year && b.distance_m == distance_m)
    }
}

/// How many of the longest runs are listed.
pub const LONGEST: usize = 5;

fn period(label: String, runs: &[&RunRow]) -> Period {
    Period {
        label,
        runs: runs.len(),
        distance_m: runs.iter().map(|r| r.distance_m).sum(),
        moving_s: runs.iter().map(|r| r.moving_s).sum(),
        ascent_m: runs.iter().map(|r| r.ascent_m).sum(),
        longest_m: runs.iter().map(|r| r.distance_m).fold(0.0, f64::max),
        long_runs: runs.iter().filter(|r| r.is_long).count(),
    }
}

/// (year, month) of a day.
fn year_month(day: i64) -> (i64, i64) {
    let (y, m, _) = civil_from_days(day);
    (y, m)
}

/// Every calendar month from the first run's to the last run's, empty ones included.
pub fn months(rows: &[RunRow]) -> Vec<Period> {
    let runs: Vec<&RunRow> = rows.iter().filter(|r| r.is_run).collect();
    let index = |day: i64| {
        let (y, m) = year_month(day);
        y * 12 + m - 1
    };
    let (Some(first), Some(last)) = (
        runs.iter().map(|r| index(r.day)).min(),
        runs.iter().map(|r| index(r.day)).max(),
    ) else {
        return Vec::new();
    };
    (first..=last)
        .map(|i| {
            let of_month: Vec<&RunRow> =
                runs.iter().copied().filter(|r| index(r.day) == i).collect();
            period(
                format!("{}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1),
                &of_month,
            )
        })
        .collect()
}

/// The summary of the runs among `rows` (other sports left out).
pub fn summarise(rows: &[RunRow]) -> HistorySummary {
    let mut runs: Vec<&RunRow> = rows.iter().filter(|r| r.is_run).collect();
    runs.sort_by_key(|r| r.day);
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return HistorySummary {
            years: Vec::new(),
            months: Vec::new(),
            longest: Vec::new(),
            best_efforts: Vec::new(),
        };
    };
    let (y0, y1) = (year_month(first.day).0, year_month(last.day).0);
    let years = (y0..=y1)
        .map(|y| {
            let of_year: Vec<&RunRow> = runs
                .iter()
                .copied()
                .filter(|r| year_month(r.day).0 == y)
                .collect();
            period(y.to_string(), &of_year)
        })
        .collect();
    // The 12 months up to the last run's (fewer when the history is shorter).
    let mut months = months(rows);
    let months = months.split_off(months.len().saturating_sub(12));
    let mut by_length = runs.clone();
    by_length.sort_by(|a, b| {
        b.distance_m
            .total_cmp(&a.distance_m)
            .then(a.day.cmp(&b.day))
    });
    let longest = by_length
        .iter()
        .take(LONGEST)
        .map(|r| (format_day(r.day), r.distance_m, r.moving_s, r.file.clone()))
        .collect();
    let mut best_efforts: Vec<YearBest> = Vec::new();
    for r in &runs {
        let year = year_month(r.day).0;
        for e in &r.stats.best_efforts {
            match best_efforts
                .iter_mut()
                .find(|b| b.year == year && b.distance_m == e.distance_m)
            {
                Some(b) if b.time_s <= e.time_s => {}
                Some(b) => {
                    b.time_s = e.time_s;
                    b.date = format_day(r.day);
                }
                None => best_efforts.push(YearBest {
                    year,
                    distance_m: e.distance_m,
                    time_s: e.time_s,
                    date: format_day(r.day),
                }),
            }
        }
    }
    best_efforts.sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.year.cmp(&b.year))
    });
    HistorySummary {
        years,
        months,
        longest,
        best_efforts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;
    use crate::model::{Activity, Format, Sport};
    use crate::track::pace::BestEffort;
    use crate::track::{compute, MetricsConfig};

    fn run(y: i64, m: i64, d: i64, km: f64, five_k_s: Option<f64>) -> RunRow {
        let mut a = Activity::new(format!("{y}-{m}-{d}.gpx").into(), Format::Gpx);
        a.sport = Sport::Running;
        let mut r = RunRow::new(&a, compute(&a, &MetricsConfig::default()), None, 30_000.0);
        r.day = days_from_civil(y, m, d);
        r.is_run = true;
        r.distance_m = km * 1000.0;
        r.moving_s = km * 330.0;
        r.ascent_m = km * 10.0;
        r.is_long = km >= 30.0;
        r.stats.best_efforts = five_k_s
            .map(|t| {
                vec![BestEffort {
                    distance_m: 5000.0,
                    time_s: t,
                    start_m: 0.0,
                }]
            })
            .unwrap_or_default();
        r
    }

    #[test]
    fn years_months_longest_and_best_efforts_by_hand() {
        let mut rows = vec![
            run(2024, 11, 3, 10.0, Some(1500.0)),
            run(2024, 12, 30, 32.0, None),
            run(2025, 1, 2, 8.0, Some(1440.0)),
            run(2025, 3, 15, 21.1, Some(1470.0)),
        ];
        let mut ride = run(2025, 3, 16, 90.0, None);
        ride.is_run = false;
        rows.push(ride);
        let s = summarise(&rows);
        // 2024: 42 km in 2 runs, one long; 2025: 29.1 km in 2.
        assert_eq!(s.years.len(), 2);
        assert_eq!((s.years[0].label.as_str(), s.years[0].runs), ("2024", 2));
        assert!((s.years[0].distance_m - 42_000.0).abs() < 1e-6);
        assert_eq!(s.years[0].long_runs, 1);
        assert!((s.years[1].distance_m - 29_100.0).abs() < 1e-6);
        assert!((s.years[1].longest_m - 21_100.0).abs() < 1e-6);
        // Months from the first run's (2024-11) to the last run's (2025-03), empty ones kept.
        assert_eq!(months(&rows), s.months);
        let labels: Vec<&str> = s.months.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
        );
        assert_eq!(s.months[3].runs, 0);
        // The ride is not among the longest runs.
        assert_eq!(s.longest[0].0, "2024-12-30");
        assert!((s.longest[0].1 - 32_000.0).abs() < 1e-6);
        assert_eq!(s.longest.len(), 4);
        // The best 5 km of each year: 25:00 in 2024, 24:00 in 2025 (on 2 January).
        let fives: Vec<(i64, f64, &str)> = s
            .best_efforts
            .iter()
            .map(|b| (b.year, b.time_s, b.date.as_str()))
            .collect();
        assert_eq!(
            fives,
            [(2024, 1500.0, "2024-11-03"), (2025, 1440.0, "2025-01-02")]
        );
        assert_eq!(s.effort_distances(), [5000.0]);
        assert_eq!(s.best_of("2025", 5000.0).map(|b| b.time_s), Some(1440.0));
        assert!(s.best_of("2025", 10_000.0).is_none());
    }

    #[test]
    fn a_history_without_runs_is_empty() {
        let s = summarise(&[]);
        assert!(s.years.is_empty() && s.months.is_empty() && s.longest.is_empty());
    }
}
