//! The complexity algebra: a growth class as `n^(p/2) · log^k n`, `2^n` or `n!`, with products
//! (nesting), maxima (sequence) and the canonical class strings of the analysis object.
//!
//! `Cost` models one size variable `n` (several inputs collapse into `n`); the analyzer's walk
//! computes in it. [`Complexity`] (in `sizes`) names several sizes for the reported strings.

mod sizes;

use std::cmp::Ordering;
use std::fmt;

pub(crate) use sizes::name_order;
pub use sizes::{Complexity, Monomial};

/// Which family a cost belongs to; later families dominate earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Polynomial,
    Exponential,
    Factorial,
}

/// An asymptotic cost. For polynomial costs `half_power` is twice the exponent of `n`
/// (so `sqrt n` is 1) and `log_power` the exponent of `log n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cost {
    pub family: Family,
    pub half_power: u32,
    pub log_power: u32,
}

/// Exponents are capped so that pathological nesting cannot overflow.
const MAX_HALF_POWER: u32 = 40;
const MAX_LOG_POWER: u32 = 8;

impl Cost {
    pub const ONE: Cost = Cost::poly(0, 0);
    pub const LOG: Cost = Cost::poly(0, 1);
    pub const SQRT: Cost = Cost::poly(1, 0);
    pub const N: Cost = Cost::poly(2, 0);
    pub const N_LOG_N: Cost = Cost::poly(2, 1);
    pub const N2: Cost = Cost::poly(4, 0);
    pub const N3: Cost = Cost::poly(6, 0);
    pub const EXP: Cost = Cost {
        family: Family::Exponential,
        half_power: 0,
        log_power: 0,
    };
    pub const FACTORIAL: Cost = Cost {
        family: Family::Factorial,
        half_power: 0,
        log_power: 0,
    };

    pub const fn poly(half_power: u32, log_power: u32) -> Cost {
        Cost {
            family: Family::Polynomial,
            half_power,
            log_power,
        }
    }

    /// `n^k`.
    pub fn power(k: u32) -> Cost {
        Cost::poly((2 * k).min(MAX_HALF_POWER), 0)
    }

    /// The cost of doing `self` once for each of `other` (nesting).
    pub fn times(self, other: Cost) -> Cost {
        let family = self.family.max(other.family);
        if family != Family::Polynomial {
            return Cost {
                family,
                half_power: 0,
                log_power: 0,
            };
        }
        Cost::poly(
            (self.half_power + other.half_power).min(MAX_HALF_POWER),
            (self.log_power + other.log_power).min(MAX_LOG_POWER),
        )
    }

    /// How many times an inner loop nest runs per run of an outer one: `self` (the inner
    /// multiplicity) without the factors of `outer`. Not polynomial: `self`.
    pub fn per(self, outer: Cost) -> Cost {
        if self.family != Family::Polynomial || outer.family != Family::Polynomial {
            return self;
        }
        Cost::poly(
            self.half_power.saturating_sub(outer.half_power),
            self.log_power.saturating_sub(outer.log_power),
        )
    }

    /// The cost of doing `self` then `other` (sequence): the larger one.
    pub fn plus(self, other: Cost) -> Cost {
        self.max(other)
    }

    pub fn is_constant(self) -> bool {
        self == Cost::ONE
    }

    /// The CodeComplex label this cost falls under.
    pub fn dataset_label(self) -> &'static str {
        match self.family {
            Family::Exponential | Family::Factorial => "np",
            Family::Polynomial => match (self.half_power, self.log_power) {
                (0, 0) => "constant",
                (0, _) => "logn",
                (1..=2, 0) => "linear",
                (1..=2, _) => "nlogn",
                (3..=4, _) => "quadratic",
                _ => "cubic",
            },
        }
    }

    /// Parses a class string such as `O(n log n)`, `n^2`, `O(2^n)` or `linear` leniently,
    /// for normalising what a model answers. Unknown shapes give `None`.
    pub fn parse_class(text: &str) -> Option<Cost> {
        let mut s: String = text.to_ascii_lowercase();
        s.retain(|c| !c.is_whitespace() && c != '*' && c != '·');
        let s = s.trim_start_matches("o(").trim_start_matches("θ(");
        let s = s.strip_suffix(')').unwrap_or(s);
        let s = s
            .replace("logn", "log")
            .replace("log(n)", "log")
            .replace("√n", "sqrtn");
        let named = match s.as_str() {
            "1" | "constant" | "const" => Some(Cost::ONE),
            "logarithmic" => Some(Cost::LOG),
            "n^0.5" | "n^(1/2)" => Some(Cost::SQRT),
            "linear" | "n+m" | "m+n" => Some(Cost::N),
            "linearithmic" => Some(Cost::N_LOG_N),
            "n²" | "quadratic" | "nm" | "mn" => Some(Cost::N2),
            "n²log" => Some(Cost::poly(4, 1)),
            "n³" | "cubic" => Some(Cost::N3),
            "2^n" | "exponential" | "np" | "2^n*n" | "n2^n" | "3^n" | "k^n" => Some(Cost::EXP),
            "n!" | "factorial" | "n!n" | "nn!" => Some(Cost::FACTORIAL),
            "(log)^2" => Some(Cost::poly(0, 2)),
            _ => None,
        };
        named
            .or_else(|| Cost::parse_product(&s))
            .or_else(|| Complexity::parse(text).map(|c| c.collapse()))
    }

    /// A product of powers of n, `sqrt n` and `log n` with the spaces removed, as `Display`
    /// writes them: `n^2log`, `nlog^2n`, `nsqrtn`, `log^4n`.
    fn parse_product(mut s: &str) -> Option<Cost> {
        if s.is_empty() {
            return None;
        }
        let (mut half_power, mut log_power) = (0u32, 0u32);
        while !s.is_empty() {
            if let Some(rest) = s
                .strip_prefix("sqrt(n)")
                .or_else(|| s.strip_prefix("sqrtn"))
            {
                half_power += 1;
                s = rest;
            } else if let Some(rest) = s.strip_prefix("log") {
                let (k, rest) = Cost::exponent(rest)?;
                log_power += k;
                s = rest.strip_prefix('n').unwrap_or(rest);
            } else if let Some(rest) = s.strip_prefix('n') {
                let (k, rest) = Cost::exponent(rest)?;
                half_power += 2 * k;
                s = rest;
            } else {
                return None;
            }
        }
        Some(Cost::poly(half_power.min(MAX_HALF_POWER), log_power))
    }

    /// The `^k` after a factor (1 when there is none) and what follows it.
    fn exponent(s: &str) -> Option<(u32, &str)> {
        let Some(rest) = s.strip_prefix('^') else {
            return Some((1, s));
        };
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let k = rest[..digits].parse().ok()?;
        Some((k, &rest[digits..]))
    }
}

impl Default for Cost {
    fn default() -> Self {
        Cost::ONE
    }
}

impl Ord for Cost {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.family, self.half_power, self.log_power).cmp(&(
            other.family,
            other.half_power,
            other.log_power,
        ))
    }
}

impl PartialOrd for Cost {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Cost {
    /// The canonical class string (DESIGN.md): `O(1)`, `O(log n)`, `O(sqrt n)`, `O(n)`,
    /// `O(n log n)`, `O(n^2)`, `O(n^2 log n)`, `O(n^3)`, `O(2^n)`, `O(n!)`, else `O(n^k…)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "O({})", self.size())
    }
}

impl Cost {
    /// The class without `O(…)` around it: `1`, `log n`, `n^2 log n`, `2^n` (written out
    /// without building intermediate strings: the walk words many reasons with it).
    pub fn size(self) -> impl fmt::Display {
        CostSize(self)
    }
}

struct CostSize(Cost);

impl fmt::Display for CostSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cost = self.0;
        match cost.family {
            Family::Exponential => return f.write_str("2^n"),
            Family::Factorial => return f.write_str("n!"),
            Family::Polynomial => {}
        }
        match cost.half_power {
            0 => {}
            1 => f.write_str("sqrt n")?,
            2 => f.write_str("n")?,
            3 => f.write_str("n sqrt n")?,
            p if p % 2 == 0 => write!(f, "n^{}", p / 2)?,
            p => write!(f, "n^{} sqrt n", p / 2)?,
        }
        if cost.half_power > 0 && cost.log_power > 0 {
            f.write_str(" ")?;
        }
        match cost.log_power {
            0 if cost.half_power == 0 => f.write_str("1"),
            0 => Ok(()),
            1 => f.write_str("log n"),
            k => write!(f, "log^{k} n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_strings_match_the_design() {
        let cases = [
            (Cost::ONE, "O(1)"),
            (Cost::LOG, "O(log n)"),
            (Cost::SQRT, "O(sqrt n)"),
            (Cost::N, "O(n)"),
            (Cost::N_LOG_N, "O(n log n)"),
            (Cost::N2, "O(n^2)"),
            (Cost::poly(4, 1), "O(n^2 log n)"),
            (Cost::N3, "O(n^3)"),
            (Cost::power(4), "O(n^4)"),
            (Cost::EXP, "O(2^n)"),
            (Cost::FACTORIAL, "O(n!)"),
        ];
        for (cost, text) in cases {
            assert_eq!(cost.to_string(), text);
            assert_eq!(Cost::parse_class(text), Some(cost), "{text}");
        }
    }

    #[test]
    fn nesting_multiplies_and_sequence_takes_the_maximum() {
        assert_eq!(Cost::N.times(Cost::N), Cost::N2);
        assert_eq!(Cost::N.times(Cost::LOG), Cost::N_LOG_N);
        assert_eq!(Cost::N.plus(Cost::N_LOG_N), Cost::N_LOG_N);
        assert_eq!(Cost::EXP.times(Cost::N), Cost::EXP);
        assert!(Cost::FACTORIAL > Cost::EXP && Cost::EXP > Cost::power(9));
    }

    #[test]
    fn lenient_parsing_understands_model_spellings() {
        assert_eq!(Cost::parse_class("O(N log N)"), Some(Cost::N_LOG_N));
        assert_eq!(Cost::parse_class("O(n*m)"), Some(Cost::N2));
        assert_eq!(Cost::parse_class("quadratic"), Some(Cost::N2));
        assert_eq!(Cost::parse_class("O(banana)"), None);
        assert_eq!(Cost::parse_class("O(n^)"), None);
        assert_eq!(Cost::parse_class("O()"), None);
        assert_eq!(Cost::parse_class("O(n log^2 n)"), Some(Cost::poly(2, 2)));
    }

    #[test]
    fn several_size_strings_parse_as_their_collapse_to_n() {
        assert_eq!(Cost::parse_class("O(V + E)"), Some(Cost::N));
        assert_eq!(Cost::parse_class("O(n*k)"), Some(Cost::N2));
        assert_eq!(
            Cost::parse_class("O(V log V + E log V)"),
            Some(Cost::N_LOG_N)
        );
        assert_eq!(Cost::parse_class("O(n^2*m + m^2)"), Some(Cost::N3));
    }

    #[test]
    fn every_class_the_analyzer_writes_parses_back() {
        for half_power in 0..=12 {
            for log_power in 0..=4 {
                let cost = Cost::poly(half_power, log_power);
                assert_eq!(Cost::parse_class(&cost.to_string()), Some(cost), "{cost}");
            }
        }
    }

    #[test]
    fn dataset_labels_collapse_the_classes() {
        assert_eq!(Cost::poly(4, 1).dataset_label(), "quadratic");
        assert_eq!(Cost::SQRT.dataset_label(), "linear");
        assert_eq!(Cost::power(5).dataset_label(), "cubic");
        assert_eq!(Cost::FACTORIAL.dataset_label(), "np");
    }
}
