//! Costs over several named sizes: `O(n*m)`, `O(n + m)`, `O(V + E)`, `O(n*k log k)`.
//!
//! A [`Complexity`] is a sum (that is, a maximum) of [`Monomial`]s, each a product of named
//! sizes with powers and log factors, or an exponential or factorial family. Sums keep only
//! the monomials no other one dominates, so every value has one canonical string. A single
//! size named `n` prints exactly as [`Cost`] does, and [`Complexity::collapse`] (every size
//! taken as `n`) gives back the one-variable class.
//!
//! It knows nothing about programs: which expression a name stands for is the analyzer's.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use super::{Cost, Family, MAX_HALF_POWER, MAX_LOG_POWER};

/// A product of named sizes: twice the exponent of each (so `sqrt n` is 1) and the exponent
/// of its log. Sizes with no factor are absent, so equal products compare equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Monomial {
    half_powers: BTreeMap<String, u32>,
    log_powers: BTreeMap<String, u32>,
}

impl Monomial {
    /// `name^(half_power/2) · log^log_power name`.
    pub fn of(name: &str, half_power: u32, log_power: u32) -> Monomial {
        let mut m = Monomial::default();
        if half_power > 0 {
            m.half_powers
                .insert(name.to_owned(), half_power.min(MAX_HALF_POWER));
        }
        if log_power > 0 {
            m.log_powers
                .insert(name.to_owned(), log_power.min(MAX_LOG_POWER));
        }
        m
    }

    pub fn is_constant(&self) -> bool {
        self.half_powers.is_empty() && self.log_powers.is_empty()
    }

    pub fn times(&self, other: &Monomial) -> Monomial {
        let mut out = self.clone();
        for (name, p) in &other.half_powers {
            let e = out.half_powers.entry(name.clone()).or_default();
            *e = (*e + p).min(MAX_HALF_POWER);
        }
        for (name, p) in &other.log_powers {
            let e = out.log_powers.entry(name.clone()).or_default();
            *e = (*e + p).min(MAX_LOG_POWER);
        }
        out
    }

    /// Whether `self` grows at least as fast as `other` however the sizes grow: for every
    /// size, `(power, log power)` is at least `other`'s, compared in that order (`n` beats
    /// `log^k n`, `n log n` beats `n`).
    pub fn dominates(&self, other: &Monomial) -> bool {
        self.names()
            .chain(other.names())
            .all(|name| self.exponents(name) >= other.exponents(name))
    }

    fn exponents(&self, name: &str) -> (u32, u32) {
        (
            self.half_powers.get(name).copied().unwrap_or(0),
            self.log_powers.get(name).copied().unwrap_or(0),
        )
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.half_powers
            .keys()
            .chain(self.log_powers.keys())
            .map(String::as_str)
    }

    /// The sizes this product mentions, in canonical order.
    fn sorted_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names().collect();
        names.sort_by(|a, b| name_order(a, b));
        names.dedup();
        names
    }

    fn rename(&self, rename: &impl Fn(&str) -> String) -> Monomial {
        let mut out = Monomial::default();
        for (name, p) in &self.half_powers {
            out = out.times(&Monomial::of(&rename(name), *p, 0));
        }
        for (name, p) in &self.log_powers {
            out = out.times(&Monomial::of(&rename(name), 0, *p));
        }
        out
    }

    /// Every size taken as `n`.
    fn collapse(&self) -> Cost {
        Cost::poly(
            self.half_powers.values().sum::<u32>().min(MAX_HALF_POWER),
            self.log_powers.values().sum::<u32>().min(MAX_LOG_POWER),
        )
    }

    /// The order of terms in a sum: larger total degree first, then by the sizes named.
    fn term_order(&self, other: &Monomial) -> Ordering {
        other
            .collapse()
            .cmp(&self.collapse())
            .then_with(|| {
                let (a, b) = (self.sorted_names(), other.sorted_names());
                a.iter()
                    .zip(&b)
                    .map(|(x, y)| name_order(x, y))
                    .find(|o| o.is_ne())
                    .unwrap_or(a.len().cmp(&b.len()))
            })
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl fmt::Display for Monomial {
    /// `n^2*m sqrt m log n`: whole powers joined by `*`, then square roots, then logs; `1`
    /// for the constant. One size reads as [`Cost`] writes it (`n sqrt n`, `n^2 log n`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.sorted_names();
        let mut powers = Vec::new();
        let mut roots = Vec::new();
        let mut logs = Vec::new();
        for name in &names {
            let (half, log) = self.exponents(name);
            match half / 2 {
                0 => {}
                1 => powers.push((*name).to_owned()),
                k => powers.push(format!("{name}^{k}")),
            }
            if half % 2 == 1 {
                roots.push(format!("sqrt {name}"));
            }
            match log {
                0 => {}
                1 => logs.push(format!("log {name}")),
                k => logs.push(format!("log^{k} {name}")),
            }
        }
        let mut parts = Vec::new();
        if !powers.is_empty() {
            parts.push(powers.join("*"));
        }
        parts.extend(roots);
        parts.extend(logs);
        if parts.is_empty() {
            f.write_str("1")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

/// An asymptotic cost over named sizes (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Complexity {
    /// The terms, none dominated by another, in canonical order; never empty.
    Poly(Vec<Monomial>),
    /// `2^size`.
    Exponential(String),
    /// `size!`.
    Factorial(String),
}

/// The order sizes are written in: the usual letters first, then the rest alphabetically.
const CONVENTIONAL: [&str; 10] = ["n", "m", "k", "p", "q", "r", "s", "t", "V", "E"];

pub(crate) fn name_order(a: &str, b: &str) -> Ordering {
    let rank = |x: &str| {
        CONVENTIONAL
            .iter()
            .position(|c| *c == x)
            .unwrap_or(usize::MAX)
    };
    rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
}

impl Complexity {
    pub fn one() -> Complexity {
        Complexity::Poly(vec![Monomial::default()])
    }

    /// The size `name` itself.
    pub fn size(name: &str) -> Complexity {
        Complexity::Poly(vec![Monomial::of(name, 2, 0)])
    }

    /// A one-size cost, as `cost` in terms of `name` (`Cost::N_LOG_N` → `name log name`).
    pub fn from_cost(cost: Cost, name: &str) -> Complexity {
        match cost.family {
            Family::Polynomial => {
                Complexity::Poly(vec![Monomial::of(name, cost.half_power, cost.log_power)])
            }
            Family::Exponential => Complexity::Exponential(name.to_owned()),
            Family::Factorial => Complexity::Factorial(name.to_owned()),
        }
    }

    pub fn is_constant(&self) -> bool {
        matches!(self, Complexity::Poly(terms) if terms.iter().all(Monomial::is_constant))
    }

    /// How many terms the sum has (1 for the exponential and factorial families).
    pub fn term_count(&self) -> usize {
        match self {
            Complexity::Poly(terms) => terms.len(),
            _ => 1,
        }
    }

    fn family(&self) -> Family {
        match self {
            Complexity::Poly(_) => Family::Polynomial,
            Complexity::Exponential(_) => Family::Exponential,
            Complexity::Factorial(_) => Family::Factorial,
        }
    }

    /// A sum of terms in canonical form: dominated terms dropped, the rest ordered.
    fn normalised(terms: Vec<Monomial>) -> Complexity {
        let mut kept: Vec<Monomial> = Vec::new();
        for term in terms {
            if kept.iter().any(|k| k.dominates(&term)) {
                continue;
            }
            kept.retain(|k| !term.dominates(k));
            kept.push(term);
        }
        kept.sort_by(Monomial::term_order);
        if kept.is_empty() {
            kept.push(Monomial::default());
        }
        Complexity::Poly(kept)
    }

    /// Doing `self` then `other`: their sum, which is the larger where one dominates.
    pub fn plus(&self, other: &Complexity) -> Complexity {
        match (self, other) {
            (Complexity::Poly(a), Complexity::Poly(b)) => {
                Complexity::normalised(a.iter().chain(b).cloned().collect())
            }
            _ if other.family() > self.family() => other.clone(),
            _ => self.clone(),
        }
    }

    /// Doing `self` once for each of `other` (nesting).
    pub fn times(&self, other: &Complexity) -> Complexity {
        match (self, other) {
            (Complexity::Poly(a), Complexity::Poly(b)) => Complexity::normalised(
                a.iter()
                    .flat_map(|x| b.iter().map(move |y| x.times(y)))
                    .collect(),
            ),
            _ if other.family() > self.family() => other.clone(),
            (Complexity::Poly(_), _) => other.clone(),
            _ => self.clone(),
        }
    }

    /// Today's one-variable class: every size taken as `n`.
    pub fn collapse(&self) -> Cost {
        match self {
            Complexity::Poly(terms) => terms
                .iter()
                .map(Monomial::collapse)
                .max()
                .unwrap_or(Cost::ONE),
            Complexity::Exponential(_) => Cost::EXP,
            Complexity::Factorial(_) => Cost::FACTORIAL,
        }
    }

    /// The sizes mentioned, in canonical order.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Complexity::Poly(terms) => terms
                .iter()
                .flat_map(|t| t.names().map(str::to_owned).collect::<Vec<_>>())
                .collect(),
            Complexity::Exponential(n) | Complexity::Factorial(n) => vec![n.clone()],
        };
        names.sort_by(|a, b| name_order(a, b));
        names.dedup();
        names
    }

    /// The same cost with each size renamed (sizes renamed alike merge).
    pub fn rename(&self, rename: impl Fn(&str) -> String) -> Complexity {
        match self {
            Complexity::Poly(terms) => {
                Complexity::normalised(terms.iter().map(|t| t.rename(&rename)).collect())
            }
            Complexity::Exponential(n) => Complexity::Exponential(rename(n)),
            Complexity::Factorial(n) => Complexity::Factorial(rename(n)),
        }
    }

    /// Parses a canonical string as `Display` writes it (`O(n*m)`, `O(V + E)`,
    /// `O(n^2 sqrt n log m)`) with one-letter sizes; anything else gives `None`.
    pub fn parse(text: &str) -> Option<Complexity> {
        let inner = text.trim().strip_prefix("O(")?.strip_suffix(')')?;
        // The analyzer names sizes with single letters; longer words are not sizes.
        let is_name = |s: &str| s.len() == 1 && s.starts_with(|c: char| c.is_ascii_alphabetic());
        if let Some(name) = inner.strip_prefix("2^").filter(|n| is_name(n)) {
            return Some(Complexity::Exponential(name.to_owned()));
        }
        if let Some(name) = inner.strip_suffix('!').filter(|n| is_name(n)) {
            return Some(Complexity::Factorial(name.to_owned()));
        }
        let mut terms = Vec::new();
        for term in inner.split(" + ") {
            let mut m = Monomial::default();
            let mut words = term.split(' ');
            while let Some(word) = words.next() {
                let (log, half) = match word.strip_prefix("log") {
                    Some("") => (1, 0),
                    Some(k) => (k.strip_prefix('^')?.parse().ok()?, 0),
                    None if word == "sqrt" => (0, 1),
                    None if word == "1" => continue,
                    None => {
                        for factor in word.split('*') {
                            let (name, k) = match factor.split_once('^') {
                                Some((name, k)) => (name, k.parse::<u32>().ok()?),
                                None => (factor, 1),
                            };
                            if !is_name(name) || k == 0 {
                                return None;
                            }
                            m = m.times(&Monomial::of(name, 2 * k, 0));
                        }
                        continue;
                    }
                };
                let name = words.next().filter(|n| is_name(n))?;
                m = m.times(&Monomial::of(name, half, log));
            }
            terms.push(m);
        }
        Some(Complexity::normalised(terms))
    }
}

impl fmt::Display for Complexity {
    /// `O(n*m)`, `O(n + m)`, `O(V + E)`, `O(n log n)`, `O(2^n)`, `O(n!)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Complexity::Exponential(n) => write!(f, "O(2^{n})"),
            Complexity::Factorial(n) => write!(f, "O({n}!)"),
            Complexity::Poly(terms) => {
                let terms: Vec<String> = terms.iter().map(Monomial::to_string).collect();
                write!(f, "O({})", terms.join(" + "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Complexity {
        Complexity::parse(text).unwrap_or_else(|| panic!("{text} does not parse"))
    }

    #[test]
    fn one_size_called_n_prints_as_the_single_variable_class() {
        for half_power in 0..=12 {
            for log_power in 0..=4 {
                let cost = Cost::poly(half_power, log_power);
                let multi = Complexity::from_cost(cost, "n");
                assert_eq!(multi.to_string(), cost.to_string());
                assert_eq!(multi.collapse(), cost);
                assert_eq!(Complexity::parse(&cost.to_string()), Some(multi));
            }
        }
        assert_eq!(Complexity::from_cost(Cost::EXP, "n").to_string(), "O(2^n)");
        assert_eq!(
            Complexity::from_cost(Cost::FACTORIAL, "n").to_string(),
            "O(n!)"
        );
    }

    #[test]
    fn products_of_different_sizes_are_written_with_a_star() {
        let nm = Complexity::size("n").times(&Complexity::size("m"));
        assert_eq!(nm.to_string(), "O(n*m)");
        assert_eq!(nm.collapse(), Cost::N2);
        let nk = Complexity::size("k").times(&Complexity::size("n"));
        assert_eq!(nk.to_string(), "O(n*k)", "n is written before k");
        let n2m = nm.times(&Complexity::from_cost(Cost::N_LOG_N, "n"));
        assert_eq!(n2m.to_string(), "O(n^2*m log n)");
        assert_eq!(n2m.collapse(), Cost::poly(6, 1));
        let root = Complexity::from_cost(Cost::SQRT, "m").times(&Complexity::size("n"));
        assert_eq!(root.to_string(), "O(n sqrt m)");
    }

    #[test]
    fn sums_keep_the_terms_no_other_dominates() {
        let n_plus_m = Complexity::size("m").plus(&Complexity::size("n"));
        assert_eq!(n_plus_m.to_string(), "O(n + m)");
        assert_eq!(n_plus_m.collapse(), Cost::N);
        let graph = Complexity::size("E").plus(&Complexity::size("V"));
        assert_eq!(graph.to_string(), "O(V + E)");
        // n*m dominates both n and m; n^2 and n*m are incomparable.
        assert_eq!(c("O(n*m)").plus(&n_plus_m).to_string(), "O(n*m)");
        assert_eq!(c("O(n*m)").plus(&c("O(n^2)")).to_string(), "O(n^2 + n*m)");
        assert_eq!(c("O(n)").plus(&c("O(n log n)")).to_string(), "O(n log n)");
        assert_eq!(c("O(log n)").plus(&c("O(sqrt n)")).to_string(), "O(sqrt n)");
        assert_eq!(c("O(1)").plus(&c("O(m)")).to_string(), "O(m)");
        // Larger terms come first.
        assert_eq!(c("O(m)").plus(&c("O(n^2)")).to_string(), "O(n^2 + m)");
    }

    #[test]
    fn products_distribute_over_sums() {
        let dijkstra = c("O(V + E)").times(&c("O(log V)"));
        assert_eq!(dijkstra.to_string(), "O(V log V + E log V)");
        assert_eq!(dijkstra.collapse(), Cost::N_LOG_N);
        assert_eq!(c("O(1)").times(&c("O(n + m)")), c("O(n + m)"));
    }

    #[test]
    fn exponential_and_factorial_families_dominate() {
        let exp = Complexity::Exponential("n".to_owned());
        assert_eq!(exp.plus(&c("O(n^9*m)")), exp);
        assert_eq!(c("O(n*m)").times(&exp), exp);
        let fact = Complexity::Factorial("k".to_owned());
        assert_eq!(exp.plus(&fact).to_string(), "O(k!)");
        assert_eq!(fact.collapse(), Cost::FACTORIAL);
    }

    #[test]
    fn renaming_merges_sizes_given_the_same_name() {
        let renamed =
            c("O(n*m + k)").rename(|name| if name == "m" { "n" } else { name }.to_owned());
        assert_eq!(renamed.to_string(), "O(n^2 + k)");
        assert_eq!(c("O(V + E)").names(), ["V", "E"]);
        assert_eq!(c("O(n*m + k)").names(), ["n", "m", "k"]);
    }

    #[test]
    fn canonical_strings_parse_back_and_nonsense_does_not() {
        for text in [
            "O(n*m)",
            "O(n + m)",
            "O(V + E)",
            "O(n*k)",
            "O(n log n)",
            "O(n^2)",
            "O(n^2*m sqrt m log n)",
            "O(2^m)",
            "O(k!)",
            "O(1)",
        ] {
            assert_eq!(c(text).to_string(), text);
        }
        for bad in ["n*m", "O(n*)", "O(log)", "O(n + )", "O(n^x)", "O(2n)"] {
            assert_eq!(Complexity::parse(bad), None, "{bad}");
        }
    }
}
