//! Climbing and descending in one session: repeats of the course's biggest climb or
//! descent in one outing, the mountain runner's specific session.

use super::climbs::without_elevation;
use super::context::Block;
use super::verdict::{Dimension, Verdict};
use super::Gap;
use crate::history::RunRow;

/// The session demand: `share` × the course's biggest, at most its total.
pub fn demand_m(biggest_m: f64, total_m: f64, share: f64) -> f64 {
    (share * biggest_m).min(total_m)
}

fn row(
    b: &Block,
    dimension: Dimension,
    biggest_m: f64,
    total_m: f64,
    of_run: fn(&RunRow) -> f64,
    (word, noun): (&str, &str),
) -> Gap {
    let (t, u) = (b.rules, b.units);
    let demand = demand_m(biggest_m, total_m, t.session_vertical_share);
    let best = b.best(of_run);
    let g = Gap::by_ratio(dimension, demand, best, b.recent_best(of_run), t);
    let mut g = Gap {
        detail: format!(
            "most {word} in one run {}; the course's biggest {noun} is {}, so {:.1}× it in one session{} ({}) is the target",
            u.height(best.unwrap_or(0.0)),
            u.height(biggest_m),
            t.session_vertical_share,
            if demand < t.session_vertical_share * biggest_m {
                ", at most the course's whole climbing,"
            } else {
                ""
            },
            u.height(demand)
        ),
        advice: if g.verdict == Verdict::Ok {
            format!("Your sessions hold the course's {word} and more.")
        } else {
            format!(
                "Once a week, repeat a long hill until the session holds {} of {word}, run hard{}.",
                u.height(demand),
                if word == "descending" { " (the quads need it)" } else { "" }
            )
        },
        best_run: b.best_run(of_run),
        ..g
    };
    without_elevation(b, &mut g);
    g
}

pub fn climbing(b: &Block) -> Gap {
    let biggest = b.demands.biggest_climb().map(|c| c.gain_m).unwrap_or(0.0);
    row(
        b,
        Dimension::SessionClimbing,
        biggest,
        b.demands.ascent_m,
        |r| r.ascent_m,
        ("climbing", "climb"),
    )
}

pub fn descending(b: &Block) -> Gap {
    let biggest = b.demands.biggest_descent().map(|c| c.gain_m).unwrap_or(0.0);
    row(
        b,
        Dimension::SessionDescending,
        biggest,
        b.demands.descent_m,
        |r| r.descent_m,
        ("descending", "descent"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_asks_half_again_the_biggest_climb_within_the_total() {
        assert_eq!(demand_m(1_000.0, 10_000.0, 1.5), 1_500.0);
        assert_eq!(demand_m(400.0, 500.0, 1.5), 500.0);
    }
}
