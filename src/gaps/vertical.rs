//! Weekly climbing and descending: the block's biggest week against the course's total.

use super::climbs::without_elevation;
use super::context::Block;
use super::verdict::{Dimension, Verdict};
use super::Gap;
use crate::history::Week;

fn row(
    b: &Block,
    dimension: Dimension,
    course_total: f64,
    of_week: fn(&Week) -> f64,
    word: &str,
) -> Gap {
    let (t, u) = (b.rules, b.units);
    let share = b.plan.weekly_vertical_share;
    let course = course_total * share;
    let best = b.weeks.iter().map(|w| of_week(w)).reduce(f64::max);
    let recent = (!b.recent_weeks.is_empty()).then(|| {
        b.recent_weeks.iter().map(|w| of_week(w)).sum::<f64>() / b.recent_weeks.len() as f64
    });
    let g = Gap::by_ratio(dimension, course, best, recent, t);
    let mut g = Gap {
        detail: format!(
            "best week {} of {word}, recent weeks {} on average; the course has {}{}",
            u.height(best.unwrap_or(0.0)),
            u.height(recent.unwrap_or(0.0)),
            u.height(course_total),
            if share < 1.0 {
                format!(
                    ", and weeks of {:.0} % of it ({}) prepare it",
                    share * 100.0,
                    u.height(course)
                )
            } else {
                String::new()
            }
        ),
        advice: if g.verdict == Verdict::Ok {
            format!("Your weekly {word} matches the course's.")
        } else {
            format!(
                "Work up to weeks with at least {} of {word}.",
                u.height(course)
            )
        },
        ..g
    };
    without_elevation(b, &mut g);
    g
}

pub fn climbing(b: &Block) -> Gap {
    row(
        b,
        Dimension::ClimbingWeekly,
        b.demands.ascent_m,
        |w| w.ascent_m,
        "climbing",
    )
}

pub fn descending(b: &Block) -> Gap {
    row(
        b,
        Dimension::DescendingWeekly,
        b.demands.descent_m,
        |w| w.descent_m,
        "descending",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    fn week_of_climbing(course_km: f64, climb: f64, week_m: f64) -> Gap {
        let mut r = run(-20, 15.0, 1.5);
        r.ascent_m = week_m;
        let f = Fixture::new(&course(course_km, Some(climb)), None, vec![r]);
        climbing(&f.block())
    }

    #[test]
    fn weekly_climbing_is_the_whole_course_up_to_a_marathon_and_half_beyond() {
        let g = week_of_climbing(42.2, 300.0, 300.0);
        assert!((g.demand - g.best.unwrap()).abs() < 10.0, "{g:?}");
        assert_eq!(g.verdict, Verdict::Ok);
        assert_eq!(
            week_of_climbing(42.2, 300.0, 100.0).verdict,
            Verdict::Missing
        );
        // A 60 km ultra with a 1,000 m climb: weeks of 500 m.
        let g = week_of_climbing(60.0, 1_000.0, 520.0);
        assert!((g.demand - 500.0).abs() < 15.0, "{g:?}");
        assert_eq!(g.verdict, Verdict::Ok);
    }
}
