//! The biggest single climb and descent in training against the course's biggest.

use super::context::Block;
use super::verdict::{Dimension, Verdict};
use super::Gap;
use crate::history::RunRow;

/// A row for the course's biggest `word` (climb or descent): `course_m` is its height.
fn row(
    b: &Block,
    dimension: Dimension,
    course_m: f64,
    of_run: fn(&RunRow) -> f64,
    word: &str,
    advice_big: String,
) -> Gap {
    let (t, u) = (b.rules, b.units);
    let (best, recent) = (b.best(of_run), b.recent_best(of_run));
    let demand = course_m * t.climb_share;
    let g = Gap::by_ratio(dimension, demand, best, recent, t);
    let mut g = Gap {
        detail: format!(
            "biggest {word} in training {}; the course's biggest is {}, and one of {:.0} % of it ({}) prepares it",
            u.height(best.unwrap_or(0.0)),
            u.height(course_m),
            t.climb_share * 100.0,
            u.height(demand)
        ),
        advice: if g.verdict == Verdict::Ok {
            format!("Your training has {word}s the size of the course's.")
        } else {
            advice_big
        },
        best_run: b.best_run(of_run),
        ..g
    };
    without_elevation(b, &mut g);
    g
}

/// A course or training without elevation cannot be compared for climbing: unknown.
pub fn without_elevation(b: &Block, g: &mut Gap) {
    if !b.demands.has_elevation {
        g.verdict = Verdict::Unknown;
        g.ratio = None;
        g.demand = 0.0;
        g.detail = "the course file has no elevation: climbing not compared".into();
        g.advice = "Use a course file with elevation to compare climbing.".into();
    } else if !b.runs.is_empty() && !b.runs_have_elevation() {
        g.verdict = Verdict::Unknown;
        g.ratio = None;
        g.best = None;
        g.recent = None;
        g.detail = "none of the block's runs has elevation: climbing not compared".into();
        g.advice =
            "Record with a watch that logs elevation (or export with it) to compare climbing."
                .into();
    }
}

pub fn biggest_climb(b: &Block) -> Gap {
    let (course, u) = (b.demands.biggest_climb(), b.units);
    row(
        b,
        Dimension::ClimbingBiggest,
        course.map(|c| c.gain_m).unwrap_or(0.0),
        |r| r.biggest_climb_m,
        "climb",
        match course {
            Some(c) if c.gain_m > 1_000.0 => format!(
                "Climb {} at about {:.0} % in one outing (repeat the longest hill you have, without rest) every week or two.",
                u.height(c.gain_m),
                c.mean_grade * 100.0
            ),
            Some(c) => format!(
                "Find a climb of {} at {:.0} % (or repeat a shorter one without rest) and run it weekly.",
                u.height(c.gain_m),
                c.mean_grade * 100.0
            ),
            None => String::new(),
        },
    )
}

pub fn biggest_descent(b: &Block) -> Gap {
    let (course, u) = (b.demands.biggest_descent(), b.units);
    row(
        b,
        Dimension::DescendingBiggest,
        course.map(|c| c.gain_m).unwrap_or(0.0),
        |r| r.biggest_descent_m,
        "descent",
        match course {
            Some(c) => format!(
                "Practise running down {} at {:.0} %: long descents wreck untrained quads late in a race.",
                u.height(c.gain_m),
                -c.mean_grade * 100.0
            ),
            None => String::new(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn the_biggest_climb_against_the_courses() {
        // One 300 m climb: 80 % of it, 240 m, is the demand.
        let with = |climb: f64| {
            let mut r = run(-20, 15.0, 1.5);
            r.biggest_climb_m = climb;
            Fixture::new(&course(42.2, Some(300.0)), None, vec![r])
        };
        let g = biggest_climb(&with(240.0).block());
        assert!((g.demand - 240.0).abs() < 8.0, "{}", g.demand);
        assert_eq!(g.verdict, Verdict::Ok);
        assert_eq!(biggest_climb(&with(150.0).block()).verdict, Verdict::Short);
        assert_eq!(
            biggest_climb(&with(100.0).block()).verdict,
            Verdict::Missing
        );
        // A course without elevation, or runs without it: unknown, never "0 m ok".
        let f = Fixture::new(&course(42.2, None), None, vec![run(-20, 15.0, 1.5)]);
        assert_eq!(biggest_climb(&f.block()).verdict, Verdict::Unknown);
        let mut flat = run(-20, 15.0, 1.5);
        flat.stats.ascent_m = None;
        let f = Fixture::new(&course(42.2, Some(300.0)), None, vec![flat]);
        assert_eq!(biggest_descent(&f.block()).verdict, Verdict::Unknown);
    }
}
