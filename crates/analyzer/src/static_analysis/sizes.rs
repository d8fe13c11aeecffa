//! Names the sizes a result depends on: `O(n*m)` with `n = len(grid)`, `m = len(grid[0])`,
//! `O(V + E)` for a graph, two lists as `n` and `m`.
//!
//! The walk computes in one size `n`. Here a smaller reading of the loops (`reading`) counts
//! each loop by what it iterates over; its answer is kept only when, with every size taken as
//! `n`, it is the class the walk found. Otherwise the one-size answer stands, unchanged: this
//! never changes a class, only the names in it.

mod exprs;
mod reading;
mod trips;

use std::collections::{BTreeMap, HashMap};

use ruff_python_ast::{Stmt, StmtFunctionDef};

use crate::cost::{Complexity, Cost};
use reading::{Reader, Shape, is_edges_key};

/// Letters given to sizes in the order the program counts them.
const LETTERS: [&str; 8] = ["n", "m", "k", "p", "q", "r", "s", "t"];

/// What the program's sizes are called, once a reading in named sizes matched the walk.
pub struct Sizes<'a> {
    reader: Reader<'a>,
    /// Size (a source expression) → letter.
    letters: HashMap<String, String>,
    /// Letter → the source expression it stands for.
    pub variables: BTreeMap<String, String>,
    /// The program's time in lettered sizes.
    pub time: Complexity,
}

/// Where the program's cost is: its top-level code, or (a library of functions) each function.
pub enum Program<'a> {
    Script(&'a [Stmt]),
    Library(Vec<&'a StmtFunctionDef>),
}

/// Reads `program` in named sizes, as a grid and then as a graph, and keeps the first reading
/// whose collapse to one size is `time`, the walk's answer.
pub fn name<'a>(
    suite: &'a [Stmt],
    funcs: &rustc_hash::FxHashMap<String, &'a StmtFunctionDef>,
    methods: &[&'a StmtFunctionDef],
    program: &Program<'a>,
    time: Cost,
) -> Option<Sizes<'a>> {
    if time.is_constant() {
        return None;
    }
    [Shape::Grid, Shape::Graph].into_iter().find_map(|shape| {
        let mut reader = Reader::new(shape, suite, funcs.clone(), methods.iter().copied());
        let keyed = match program {
            Program::Script(suite) => reader.module(suite)?,
            Program::Library(defs) => {
                let mut total = Complexity::one();
                for def in defs {
                    total = total.plus(&reader.function(def)?);
                }
                total
            }
        };
        if keyed.collapse() != time {
            return None;
        }
        let letters = letters(&keyed, &reader.seen)?;
        let time = keyed.rename(|key| letters[key].clone());
        let variables = letters
            .iter()
            .map(|(key, letter)| (letter.clone(), key.clone()))
            .collect();
        Some(Sizes {
            reader,
            letters,
            variables,
            time,
        })
    })
}

impl<'a> Sizes<'a> {
    /// How many sizes the program's time names.
    pub fn count(&self) -> usize {
        self.variables.len()
    }

    /// A function's time in the program's letters, when its reading matches the walk's
    /// `time` for it and uses only sizes the program's time names.
    pub fn function_time(&mut self, def: &'a StmtFunctionDef, time: Cost) -> Option<String> {
        let keyed = self.reader.function(def)?;
        if keyed.collapse() != time || keyed.names().iter().any(|k| !self.letters.contains_key(k)) {
            return None;
        }
        Some(keyed.rename(|key| self.letters[key].clone()).to_string())
    }
}

/// Letters for the sizes of `keyed`: one size is `n`; a graph's vertices and edges are `V`
/// and `E`; a size that is a one-letter name keeps it; the rest take `n`, `m`, `k`, … in the
/// order `seen` met them. `None` when there are more sizes than letters.
fn letters(keyed: &Complexity, seen: &[String]) -> Option<HashMap<String, String>> {
    let mut keys = keyed.names();
    keys.sort_by_key(|k| seen.iter().position(|s| s == k).unwrap_or(usize::MAX));
    let mut out: HashMap<String, String> = HashMap::new();
    if let [only] = keys.as_slice() {
        out.insert(only.clone(), "n".to_owned());
        return Some(out);
    }
    let edges: Vec<&String> = keys.iter().filter(|k| is_edges_key(k)).collect();
    match edges.as_slice() {
        [] => {}
        [e] => {
            out.insert((*e).clone(), "E".to_owned());
            if let [a, b] = keys.as_slice() {
                let vertices = if a == *e { b } else { a };
                out.insert(vertices.clone(), "V".to_owned());
                return Some(out);
            }
        }
        _ => return None,
    }
    let taken = |out: &HashMap<String, String>, letter: &str| out.values().any(|l| l == letter);
    for key in &keys {
        let lower = key.to_ascii_lowercase();
        if key.len() == 1 && key.chars().all(|c| c.is_ascii_alphabetic()) && !taken(&out, &lower) {
            out.insert(key.clone(), lower);
        }
    }
    for key in &keys {
        if out.contains_key(key) {
            continue;
        }
        let letter = LETTERS.iter().find(|l| !taken(&out, l))?;
        out.insert(key.clone(), (*letter).to_owned());
    }
    Some(out)
}

#[cfg(test)]
#[cfg(test)]
mod tests;
