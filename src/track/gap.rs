//! Grade-adjusted pace: Minetti et al. 2002 (J Appl Physiol 93:1039), energy cost of running
//! on gradient i (fraction, clamped to ±0.45):
//! `C(i) = 155.4 i^5 − 30.4 i^4 − 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6` J/kg/m.
//! A step of length L on grade i costs as much as `L · C(i)/C(0)` on the flat: its
//! flat-equivalent distance.

/// Steepest gradient the polynomial was fitted over.
pub const MAX_GRADE: f64 = 0.45;

/// Minetti's energy cost of running, J/kg/m.
pub fn cost(grade: f64) -> f64 {
    let i = grade.clamp(-MAX_GRADE, MAX_GRADE);
    ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
}

/// How much farther a step on `grade` counts on the flat.
pub fn flat_factor(grade: f64) -> f64 {
    cost(grade) / cost(0.0)
}

/// Cumulative flat-equivalent distance along the track.
pub fn flat_equivalent_cum(d: &[f64], grade: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(d.len());
    let mut acc = 0.0;
    for i in 0..d.len() {
        if i > 0 {
            let g = 0.5 * (grade[i - 1] + grade[i]);
            acc += (d[i] - d[i - 1]) * flat_factor(g);
        }
        out.push(acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minetti 2002's measured means ± SD for running, J/kg/m: the polynomial must land inside.
    #[test]
    fn reproduces_minettis_measured_costs() {
        for (i, mean, sd) in [
            (0.0, 3.40, 0.24),
            (0.45, 18.93, 1.74),
            (-0.20, 1.73, 0.36),
            (-0.45, 3.92, 0.81),
        ] {
            let c = cost(i);
            assert!(
                (c - mean).abs() <= sd,
                "C({i}) = {c}, published {mean} ± {sd}"
            );
        }
    }

    /// The polynomial itself at the published gradients (hand-evaluated).
    #[test]
    fn polynomial_values() {
        for (i, want) in [
            (-0.45, 4.0323),
            (-0.2, 1.8),
            (-0.1, 2.1517),
            (0.0, 3.6),
            (0.1, 5.9682),
            (0.2, 9.0067),
            (0.45, 19.426),
        ] {
            assert!((cost(i) - want).abs() < 1e-3, "C({i}) = {}", cost(i));
        }
        assert_eq!(cost(0.9), cost(0.45));
        assert_eq!(cost(-2.0), cost(-0.45));
    }

    #[test]
    fn uphill_counts_more_downhill_less() {
        assert!(flat_factor(0.1) > 1.6);
        assert!(flat_factor(-0.1) < 0.7);
        assert_eq!(flat_factor(0.0), 1.0);
        let d = [0.0, 100.0, 200.0];
        assert_eq!(
            flat_equivalent_cum(&d, &[0.0, 0.0, 0.0]),
            vec![0.0, 100.0, 200.0]
        );
    }
}
