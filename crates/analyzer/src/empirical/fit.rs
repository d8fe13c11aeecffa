//! Least-squares fits of `t = a + b·f(n)` for each candidate class; the best relative error
//! wins, and how clearly it wins is the confidence.

use crate::cost::Cost;
use crate::model::MeasuredPoint;

/// Times that vary less than this ratio across all sizes are constant.
const FLAT_RATIO: f64 = 1.6;

#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub class: Cost,
    pub confidence: f64,
}

fn candidates() -> [(Cost, fn(f64) -> f64); 8] {
    [
        (Cost::LOG, |n| n.ln()),
        (Cost::SQRT, f64::sqrt),
        (Cost::N, |n| n),
        (Cost::N_LOG_N, |n| n * n.ln()),
        (Cost::N2, |n| n * n),
        (Cost::poly(4, 1), |n| n * n * n.ln()),
        (Cost::N3, |n| n * n * n),
        (Cost::EXP, |n| 2f64.powf(n.min(1000.0))),
    ]
}

/// The class whose curve follows the points best.
pub fn fit(points: &[MeasuredPoint]) -> Fit {
    let ts: Vec<f64> = points.iter().map(|p| p.seconds).collect();
    let max = ts.iter().copied().fold(f64::MIN, f64::max);
    let min = ts.iter().copied().fold(f64::MAX, f64::min).max(1e-9);
    if points.len() < 2 || max / min < FLAT_RATIO {
        return Fit {
            class: Cost::ONE,
            confidence: 0.6,
        };
    }
    let mut errors: Vec<(Cost, f64)> = candidates()
        .iter()
        .map(|(class, f)| {
            let xs: Vec<f64> = points.iter().map(|p| f((p.n.max(2)) as f64)).collect();
            (*class, relative_error(&xs, &ts))
        })
        .collect();
    errors.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (best, best_err) = errors[0];
    let second = errors.get(1).map_or(f64::INFINITY, |e| e.1);
    let confidence = if second.is_finite() && second > 0.0 {
        (1.0 - best_err / second).clamp(0.05, 0.95)
    } else {
        0.5
    };
    Fit {
        class: best,
        confidence,
    }
}

/// Root of the mean squared relative residual of `t = a + b·x` with `b ≥ 0`.
fn relative_error(xs: &[f64], ts: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let mt = ts.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxt: f64 = xs.iter().zip(ts).map(|(x, t)| (x - mx) * (t - mt)).sum();
    if !sxx.is_finite() || sxx == 0.0 {
        return f64::INFINITY;
    }
    let b = (sxt / sxx).max(0.0);
    let a = mt - b * mx;
    let sse: f64 = xs
        .iter()
        .zip(ts)
        .map(|(x, t)| ((a + b * x - t) / t.max(1e-9)).powi(2))
        .sum();
    let err = (sse / n).sqrt();
    if err.is_finite() { err } else { f64::INFINITY }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic(f: impl Fn(f64) -> f64) -> Vec<MeasuredPoint> {
        (4..14)
            .map(|k| {
                let n = 1u64 << k;
                // A fixed start-up cost plus the class, with a little deterministic jitter.
                let jitter = 1.0 + 0.02 * ((k % 3) as f64 - 1.0);
                MeasuredPoint {
                    n,
                    seconds: (2e-4 + f(n as f64)) * jitter,
                }
            })
            .collect()
    }

    #[test]
    fn linear_timings_fit_linear() {
        assert_eq!(fit(&synthetic(|n| 1e-6 * n)).class, Cost::N);
    }

    #[test]
    fn quadratic_timings_fit_quadratic() {
        assert_eq!(fit(&synthetic(|n| 1e-8 * n * n)).class, Cost::N2);
    }

    #[test]
    fn n_log_n_timings_fit_n_log_n() {
        assert_eq!(fit(&synthetic(|n| 1e-6 * n * n.ln())).class, Cost::N_LOG_N);
    }

    #[test]
    fn flat_timings_are_constant() {
        assert_eq!(fit(&synthetic(|_| 0.0)).class, Cost::ONE);
    }
}
