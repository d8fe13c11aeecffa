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

/// Timings below this are dominated by timer resolution and interpreter overhead.
const NOISE_FLOOR_SECONDS: f64 = 1e-4;
/// Candidates whose log-log slope is this far from the measured slope are not considered.
const SLOPE_TOLERANCE: f64 = 0.6;

/// A candidate class, its curve, and the log-log slope it shows at practical sizes.
type Candidate = (Cost, fn(f64) -> f64, f64);

fn candidates() -> [Candidate; 8] {
    [
        (Cost::LOG, |n| n.ln(), 0.15),
        (Cost::SQRT, f64::sqrt, 0.5),
        (Cost::N, |n| n, 1.0),
        (Cost::N_LOG_N, |n| n * n.ln(), 1.15),
        (Cost::N2, |n| n * n, 2.0),
        (Cost::poly(4, 1), |n| n * n * n.ln(), 2.15),
        (Cost::N3, |n| n * n * n, 3.0),
        (Cost::EXP, |n| 2f64.powf(n.min(1000.0)), 4.0),
    ]
}

/// Least-squares slope of `ln t` against `ln n` over the larger half of the points above the
/// noise floor.
fn log_log_slope(points: &[MeasuredPoint]) -> Option<f64> {
    let above: Vec<&MeasuredPoint> = points
        .iter()
        .filter(|p| p.seconds >= NOISE_FLOOR_SECONDS && p.n > 1)
        .collect();
    let mut used: Vec<&MeasuredPoint> = if above.len() >= 3 {
        above
    } else {
        points
            .iter()
            .filter(|p| p.n > 1 && p.seconds > 0.0)
            .collect()
    };
    // The largest sizes show the leading term; small ones are fixed overhead.
    let keep = (used.len() / 2).max(3).min(used.len());
    used.drain(..used.len() - keep);
    if used.len() < 2 {
        return None;
    }
    let xs: Vec<f64> = used.iter().map(|p| (p.n as f64).ln()).collect();
    let ys: Vec<f64> = used.iter().map(|p| p.seconds.ln()).collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
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
    // The slope narrows the field (robust to noise at large n); the curve fit then decides
    // between neighbours such as n and n log n.
    let slope = log_log_slope(points).unwrap_or(1.0);
    let all = candidates();
    let nearest = all
        .iter()
        .map(|c| (c.2 - slope).abs())
        .fold(f64::INFINITY, f64::min);
    let mut errors: Vec<(Cost, f64)> = all
        .iter()
        .filter(|c| (c.2 - slope).abs() <= SLOPE_TOLERANCE.max(nearest))
        .map(|(class, f, _)| {
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
    fn cubic_timings_fit_cubic() {
        assert_eq!(fit(&synthetic(|n| 1e-10 * n * n * n)).class, Cost::N3);
    }

    #[test]
    fn doubling_timings_fit_exponential() {
        let points: Vec<MeasuredPoint> = (4..20)
            .map(|n| MeasuredPoint {
                n,
                seconds: 1e-6 * 2f64.powi(n as i32),
            })
            .collect();
        assert_eq!(fit(&points).class, Cost::EXP);
    }

    #[test]
    fn flat_timings_are_constant() {
        assert_eq!(fit(&synthetic(|_| 0.0)).class, Cost::ONE);
    }
}
