//! Longest run: the block's longest run against the race's long-run length.

use super::context::Block;
use super::verdict::{Dimension, Verdict};
use super::Gap;

pub fn judge(b: &Block) -> Gap {
    let (t, u) = (b.rules, b.units);
    let best = b.best(|r| r.distance_m);
    let g = Gap::by_ratio(
        Dimension::Distance,
        b.long_run_m / 1000.0,
        best.map(|v| v / 1000.0),
        b.recent_best(|r| r.distance_m).map(|v| v / 1000.0),
        t,
    );
    Gap {
        detail: format!(
            "longest run {} against a long-run length of {} ({})",
            best.map(|m| u.distance(m)).unwrap_or_else(|| "none".into()),
            u.distance(b.long_run_m),
            b.plan.long_run_rule
        ),
        advice: if g.verdict == Verdict::Ok {
            "Your longest run covers the race's long-run length; keep one more before the taper."
                .into()
        } else {
            format!(
                "Build your long run to at least {} before the taper, adding {} a week.",
                u.distance(b.long_run_m),
                u.distance_step()
            )
        },
        best_run: b.best_run(|r| r.distance_m),
        ..g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};
    use crate::gaps::Verdict;

    #[test]
    fn the_longest_run_against_the_long_run_length() {
        // A marathon: 75 % of the course's 42.2 km, 31.65 km; short from 60 % (18.99 km).
        for (km, want) in [
            (31.7, Verdict::Ok),
            (19.0, Verdict::Short),
            (18.9, Verdict::Missing),
        ] {
            let f = Fixture::new(
                &course(42.2, None),
                Some("3:30:00"),
                vec![run(-30, km, 3.0)],
            );
            let g = judge(&f.block());
            assert_eq!(g.verdict, want, "{km}: {g:?}");
            assert!((g.demand - 31.65).abs() < 0.05, "{}", g.demand);
            assert!((g.ratio.unwrap() - km / g.demand).abs() < 1e-9);
        }
        let f = Fixture::new(&course(42.2, None), Some("3:30:00"), vec![]);
        assert_eq!(judge(&f.block()).verdict, Verdict::Missing);
    }

    #[test]
    fn the_words_follow_the_units_and_the_numbers_stay_si() {
        let f = Fixture::with(&course(42.2, None), None, vec![run(-30, 20.0, 2.0)], |f| {
            f.units = Some(crate::units::Units::Imperial)
        });
        let g = judge(&f.block());
        // 20 km is 12.43 mi; the row's numbers stay in km.
        assert!(
            g.detail
                .starts_with("longest run 12.43 mi against a long-run length of 19.6"),
            "{}",
            g.detail
        );
        assert!(
            g.advice
                .contains(" mi before the taper, adding 1-2 mi a week"),
            "{}",
            g.advice
        );
        assert!(
            !g.detail.contains(" km ") && !g.advice.contains(" km"),
            "{g:?}"
        );
        assert!((g.best.unwrap() - 20.0).abs() < 1e-9);
    }
}
