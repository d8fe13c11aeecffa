//! Complexity classes as the corpus labels and the analyzer's answers write them, read
//! independently of the analyzer's own cost type so that the measurement does not move when
//! that type does. Every size variable collapses into one `n` (`O(n*m)` reads as `O(n^2)`,
//! `O((V+E) log V)` as `O(n log n)`); `normalise` compares several-variable strings as written.

use std::fmt;

/// `n^(half/2) · log^log n`, or an exponential or factorial family (ordered by growth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Class {
    family: u8,
    half: u32,
    log: u32,
}

const POLY: u8 = 0;
const EXP: u8 = 1;
const FACT: u8 = 2;
const ONE: Class = Class::poly(0, 0);

impl Class {
    const fn poly(half: u32, log: u32) -> Class {
        Class {
            family: POLY,
            half,
            log,
        }
    }

    fn family(family: u8) -> Class {
        Class {
            family,
            half: 0,
            log: 0,
        }
    }

    fn times(self, other: Class) -> Class {
        match self.family.max(other.family) {
            POLY => Class::poly(self.half + other.half, self.log + other.log),
            f => Class::family(f),
        }
    }

    /// Reads a class such as `O(n log n)`, `O(n*m)`, `O((V+E) log V)`, `O(2^n)` or `O(n!)`;
    /// any variable counts as n. `None` for text that is not a class.
    pub fn parse(text: &str) -> Option<Class> {
        let tokens = tokenize(text)?;
        let mut p = Parser { tokens, at: 0 };
        let value = p.expr()?;
        (p.at == p.tokens.len()).then_some(value.class())
    }
}

impl fmt::Display for Class {
    /// The analyzer's canonical class strings.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.family {
            EXP => return f.write_str("O(2^n)"),
            FACT => return f.write_str("O(n!)"),
            _ => {}
        }
        let power = match self.half {
            0 => String::new(),
            1 => "sqrt n".to_owned(),
            2 => "n".to_owned(),
            3 => "n sqrt n".to_owned(),
            p if p % 2 == 0 => format!("n^{}", p / 2),
            p => format!("n^{} sqrt n", p / 2),
        };
        let log = match self.log {
            0 => String::new(),
            1 => "log n".to_owned(),
            k => format!("log^{k} n"),
        };
        match (power.is_empty(), log.is_empty()) {
            (true, true) => f.write_str("O(1)"),
            (false, true) => write!(f, "O({power})"),
            (true, false) => write!(f, "O({log})"),
            (false, false) => write!(f, "O({power} {log})"),
        }
    }
}

/// The variables a class string names, other than `n` (so `O(n*m)` names `m`).
pub fn other_variables(text: &str) -> Vec<String> {
    let mut vars: Vec<String> = tokenize(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::Ident(name) if name != "n" && !is_function(&name) => Some(name),
            _ => None,
        })
        .collect();
    vars.sort();
    vars.dedup();
    vars
}

/// Whether two several-variable classes are the same up to the names of their sizes
/// (`O(n*W)` and `O(n*m)`, `O(V + E)` and `O(n + m)`): some one-to-one renaming of the
/// variables of `b` makes their canonical spellings equal.
pub fn same_up_to_names(a: &str, b: &str) -> bool {
    let (va, vb) = (variables(a), variables(b));
    if va.len() != vb.len() {
        return false;
    }
    let target = normalise(a);
    permutations(&va).iter().any(|order| {
        let renamed = rename(b, &vb, order);
        normalise(&renamed) == target
    })
}

/// Every variable a class string names, `n` included, sorted.
fn variables(text: &str) -> Vec<String> {
    let mut vars: Vec<String> = tokenize(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::Ident(name) if !is_function(&name) => Some(name),
            _ => None,
        })
        .collect();
    vars.sort();
    vars.dedup();
    vars
}

fn permutations(items: &[String]) -> Vec<Vec<String>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            out.push(tail);
        }
    }
    out
}

/// `text` with each identifier `from[i]` replaced by `to[i]`.
fn rename(text: &str, from: &[String], to: &[String]) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match from.iter().position(|f| f == word) {
            Some(i) => out.push_str(&to[i]),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A several-variable class in a canonical spelling: terms of a sum and factors of a product
/// sorted, spaces and `*` dropped, so that `O(m*n + n)` and `O(n + n m)` compare equal.
pub fn normalise(text: &str) -> String {
    let inner = text.trim();
    let inner = inner
        .strip_prefix("O(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(inner);
    normalise_sum(inner)
}

fn normalise_sum(text: &str) -> String {
    let mut terms: Vec<String> = split_top(text, |c| c == '+')
        .into_iter()
        .map(|term| {
            let mut factors: Vec<String> = Vec::new();
            let mut pending = String::new();
            for piece in split_top(term, |c| c.is_whitespace() || c == '*' || c == '·') {
                let piece = match piece.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
                    Some(inside) => format!("({})", normalise_sum(inside)),
                    None => piece.to_owned(),
                };
                if is_function(&piece) || piece.starts_with("log^") {
                    pending = piece;
                    continue;
                }
                factors.push(format!("{pending}{piece}"));
                pending.clear();
            }
            factors.sort();
            factors.join("*")
        })
        .collect();
    terms.sort();
    terms.join("+")
}

/// Splits at the characters `at` accepts outside parentheses, dropping empty pieces.
fn split_top(text: &str, at: impl Fn(char) -> bool) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth == 0 && at(c) => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_function(name: &str) -> bool {
    matches!(name, "log" | "sqrt" | "O")
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Num(u64),
    Sym(char),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == '*' || c == '·' {
            chars.next();
        } else if c.is_ascii_digit() {
            let mut value = 0u64;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push(Token::Num(value));
        } else if c.is_alphabetic() || c == '_' {
            let mut name = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                name.push(c);
                chars.next();
            }
            out.push(Token::Ident(name));
        } else if "()+^!".contains(c) {
            out.push(Token::Sym(c));
            chars.next();
        } else {
            return None;
        }
    }
    Some(out)
}

/// A parsed value: a constant number (which may be a base or an exponent) or a class.
#[derive(Clone, Copy)]
enum Val {
    Num(u64),
    Class(Class),
}

impl Val {
    fn class(self) -> Class {
        match self {
            Val::Num(_) => ONE,
            Val::Class(c) => c,
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(&Token::Sym(c));
        self.at += usize::from(found);
        found
    }

    /// A sum: the largest term.
    fn expr(&mut self) -> Option<Val> {
        let mut value = self.term()?;
        while self.eat('+') {
            value = Val::Class(value.class().max(self.term()?.class()));
        }
        Some(value)
    }

    /// A product of juxtaposed or `*`-separated powers.
    fn term(&mut self) -> Option<Val> {
        let mut value = self.power()?;
        while matches!(
            self.peek(),
            Some(Token::Ident(_) | Token::Num(_) | Token::Sym('('))
        ) {
            value = Val::Class(value.class().times(self.power()?.class()));
        }
        Some(value)
    }

    fn power(&mut self) -> Option<Val> {
        let base = self.atom()?;
        if self.eat('!') {
            return Some(Val::Class(Class::family(FACT)));
        }
        if !self.eat('^') {
            return Some(base);
        }
        let exponent = self.atom()?;
        Some(match (base, exponent) {
            (Val::Num(b), Val::Num(e)) => Val::Num(b.saturating_pow(e.min(64) as u32)),
            (_, Val::Num(k)) => {
                let c = base.class();
                let k = k.min(20) as u32;
                Val::Class(match c.family {
                    POLY => Class::poly(c.half * k, c.log * k),
                    _ => c,
                })
            }
            (Val::Num(b), Val::Class(_)) if b <= 1 => Val::Num(1),
            (_, Val::Class(e)) if e == ONE => base,
            _ => Val::Class(Class::family(EXP)),
        })
    }

    fn atom(&mut self) -> Option<Val> {
        match self.tokens.get(self.at).cloned()? {
            Token::Num(v) => {
                self.at += 1;
                Some(Val::Num(v))
            }
            Token::Sym('(') => {
                self.at += 1;
                let inner = self.expr()?;
                self.eat(')').then_some(inner)
            }
            Token::Ident(name) => {
                self.at += 1;
                match name.as_str() {
                    "O" => self.atom(),
                    "log" => {
                        let k = if self.eat('^') {
                            match self.atom()? {
                                Val::Num(k) => k.min(8) as u32,
                                Val::Class(_) => return None,
                            }
                        } else {
                            1
                        };
                        let arg = self.atom()?.class();
                        Some(Val::Class(if arg == ONE { ONE } else { Class::poly(0, k) }))
                    }
                    "sqrt" => {
                        let arg = self.atom()?.class();
                        Some(Val::Class(match arg.family {
                            POLY => Class::poly(arg.half / 2, arg.log),
                            _ => arg,
                        }))
                    }
                    // `len(a)` and the like: a size.
                    _ if self.peek() == Some(&Token::Sym('(')) => {
                        self.atom()?;
                        Some(Val::Class(Class::poly(2, 0)))
                    }
                    _ => Some(Val::Class(Class::poly(2, 0))),
                }
            }
            Token::Sym(_) => None,
        }
    }
}
