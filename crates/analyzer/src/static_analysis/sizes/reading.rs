//! A second, deliberately small reading of a program's loops in named sizes: a `for` loop runs
//! as many times as what it iterates over is long (`len(grid)`, `len(grid[0])`, `n`), nesting
//! multiplies, sequence and branches add. Anything it does not understand (a `while`, a
//! recursive call, an iterable of unknown length) makes it give up with `None`.
//!
//! It is not an analysis of its own: the caller keeps its answer only when it collapses to the
//! class the walk found, so a missed cost shows up as a mismatch and the one-size answer stands.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use super::exprs::is_number;

use crate::cost::Complexity;

/// How a loop nested in another over the same structure is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `for row in grid: for x in row` walks every cell: rows times columns.
    Grid,
    /// `for v in adj: for w in adj[v]` walks every edge once over all vertices: `V + E`.
    Graph,
}

/// The key of the edges of adjacency structure `adj`: the total length of its rows.
pub fn edges_key(adj: &str) -> String {
    format!("sum(len({adj}[v]) for v in {adj})")
}

pub fn is_edges_key(key: &str) -> bool {
    key.starts_with("sum(len(")
}

/// Most nested calls followed before giving up.
const MAX_CALL_DEPTH: usize = 16;
/// Most distinct sizes, and most terms in a sum, before giving up: more could not be given
/// letters anyway, and they keep the sums small (each addition compares every pair of terms).
const MAX_SIZES: usize = 10;
const MAX_TERMS: usize = 24;

/// The cost of a piece of code: `per` each time it runs, plus `amortised`, work counted once
/// over all the runs of the directly enclosing loop (the rows of an adjacency structure).
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub(super) per: Complexity,
    pub(super) amortised: Complexity,
}

impl Part {
    pub(super) fn one() -> Part {
        Part {
            per: Complexity::one(),
            amortised: Complexity::one(),
        }
    }

    pub(super) fn of(per: Complexity) -> Part {
        Part {
            per,
            amortised: Complexity::one(),
        }
    }

    pub(super) fn plus(&self, other: &Part) -> Part {
        Part {
            per: self.per.plus(&other.per),
            amortised: self.amortised.plus(&other.amortised),
        }
    }
}

/// How many times a loop runs: a size (`None`: a fixed number), or once per edge of an
/// adjacency structure over the enclosing loop.
pub(super) enum Trip {
    Size(Option<String>),
    Edges(String),
}

/// What a loop target stands for.
#[derive(Debug, Clone)]
pub(super) enum Bound {
    /// An index counting up to a size (`None`: a fixed number).
    Index(Option<String>),
    /// An element of the named collection (a row, when the collection is a grid).
    Element(String),
}

/// What a name the code assigns holds, as far as sizes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Local {
    /// A number that is this size, or a collection this long (`None`: a fixed number).
    Size(Option<String>),
    /// Read from the input: a size of its own, named by the name (`n = int(input())`).
    Input,
    /// Anything else (`parts = []` grown later, `x = max(a)`): no size that can be named.
    Opaque,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Env {
    /// Loop targets of the enclosing loops, with the loop depth that binds them.
    pub(super) bound: Vec<(String, Bound, usize)>,
    /// Names the code being read assigned. Others (parameters, globals) are sizes of their
    /// own, named by the name.
    pub(super) locals: HashMap<String, Local>,
    pub(super) depth: usize,
}

impl Env {
    /// After a loop body or a branch: what it assigned differently may or may not have been
    /// assigned, so it holds no nameable size.
    pub(super) fn merge(&mut self, inner: &Env) {
        for (name, local) in &inner.locals {
            if self.locals.get(name) != Some(local) {
                self.locals.insert(name.clone(), Local::Opaque);
            }
        }
    }

    pub(super) fn binding(&self, name: &str) -> Option<(&Bound, usize)> {
        self.bound
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, b, d)| (b, *d))
    }
}

pub struct Reader<'a> {
    pub(super) shape: Shape,
    pub(super) funcs: rustc_hash::FxHashMap<String, &'a StmtFunctionDef>,
    pub(super) methods: HashMap<String, &'a StmtFunctionDef>,
    /// Method names several classes define: which one `self.name()` calls is not known here.
    pub(super) clashes: HashSet<String>,
    /// Every size a loop or builtin counted, in the order met: the order letters are given.
    pub seen: Vec<String>,
    /// Adjacency structures whose edges a loop counted (see `note_edge_count`).
    pub(super) edge_counts: HashMap<String, String>,
    /// Names the module sets to a number literal: fixed bounds.
    pub(super) constants: HashSet<String>,
    pub(super) calls: Vec<String>,
    pub(super) done: HashMap<String, Option<Complexity>>,
}

impl<'a> Reader<'a> {
    pub fn new(
        shape: Shape,
        suite: &'a [Stmt],
        funcs: rustc_hash::FxHashMap<String, &'a StmtFunctionDef>,
        methods: impl Iterator<Item = &'a StmtFunctionDef>,
    ) -> Reader<'a> {
        let mut by_name: HashMap<String, &'a StmtFunctionDef> = HashMap::new();
        let mut clashes = HashSet::new();
        for m in methods {
            if by_name.insert(m.name.to_string(), m).is_some() {
                clashes.insert(m.name.to_string());
            }
        }
        by_name.retain(|name, _| !clashes.contains(name));
        let clashes = clashes;
        let constants = suite
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign(a) if is_number(&a.value) => match a.targets.as_slice() {
                    [Expr::Name(n)] => Some(n.id.to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        Reader {
            shape,
            funcs,
            methods: by_name,
            clashes,
            seen: Vec::new(),
            edge_counts: HashMap::new(),
            constants,
            calls: Vec::new(),
            done: HashMap::new(),
        }
    }

    /// The cost of the module's top-level code, its sizes named by source expressions.
    pub fn module(&mut self, suite: &'a [Stmt]) -> Option<Complexity> {
        let part = self.block(suite, &mut Env::default())?;
        part.amortised.is_constant().then_some(part.per)
    }

    /// The cost of one call of a function.
    pub fn function(&mut self, def: &'a StmtFunctionDef) -> Option<Complexity> {
        let key = format!("{}@{:?}", def.name, def.range);
        if let Some(done) = self.done.get(&key) {
            return done.clone();
        }
        if self.calls.contains(&key) || self.calls.len() > MAX_CALL_DEPTH {
            return None;
        }
        self.calls.push(key.clone());
        let cost = self
            .block(&def.body, &mut Env::default())
            .filter(|p| p.amortised.is_constant())
            .map(|p| p.per);
        self.calls.pop();
        self.done.insert(key, cost.clone());
        cost
    }

    pub(super) fn block(&mut self, body: &'a [Stmt], env: &mut Env) -> Option<Part> {
        let mut total = Part::one();
        for stmt in body {
            total = total.plus(&self.stmt(stmt, env)?);
            if self.seen.len() > MAX_SIZES
                || total.per.term_count().max(total.amortised.term_count()) > MAX_TERMS
            {
                return None;
            }
        }
        Some(total)
    }

    fn stmt(&mut self, stmt: &'a Stmt, env: &mut Env) -> Option<Part> {
        match stmt {
            Stmt::For(f) => {
                self.note_edge_count(f, env);
                let iter = self.expr(&f.iter, env)?;
                let mut assigned = Env::default();
                let looped = self.repeat(&f.target, &f.iter, env, |reader, inner| {
                    let body = reader.block(&f.body, inner);
                    assigned = inner.clone();
                    body
                })?;
                env.merge(&assigned);
                let orelse = self.block(&f.orelse, env)?;
                Some(iter.plus(&looped).plus(&orelse))
            }
            Stmt::If(s) => {
                let mut total = self.expr(&s.test, env)?;
                let mut branch = env.clone();
                total = total.plus(&self.block(&s.body, &mut branch)?);
                env.merge(&branch);
                for clause in &s.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        total = total.plus(&self.expr(test, env)?);
                    }
                    let mut branch = env.clone();
                    total = total.plus(&self.block(&clause.body, &mut branch)?);
                    env.merge(&branch);
                }
                Some(total)
            }
            Stmt::Assign(a) => {
                let cost = self.expr(&a.value, env)?;
                for target in &a.targets {
                    self.bind_sizes(target, &a.value, env);
                }
                Some(cost)
            }
            Stmt::AugAssign(a) => {
                self.forget(&a.target, env);
                self.expr(&a.value, env)
            }
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) => {
                    let cost = self.expr(v, env)?;
                    self.bind_sizes(&a.target, v, env);
                    Some(cost)
                }
                None => Some(Part::one()),
            },
            Stmt::Expr(e) => self.expr(&e.value, env),
            Stmt::Return(r) => match &r.value {
                Some(v) => self.expr(v, env),
                None => Some(Part::one()),
            },
            Stmt::With(w) => {
                let mut total = Part::one();
                for item in &w.items {
                    total = total.plus(&self.expr(&item.context_expr, env)?);
                }
                Some(total.plus(&self.block(&w.body, env)?))
            }
            Stmt::Try(t) => {
                let mut total = self.block(&t.body, &mut env.clone())?;
                for handler in &t.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    total = total.plus(&self.block(&h.body, &mut env.clone())?);
                }
                total = total.plus(&self.block(&t.orelse, &mut env.clone())?);
                Some(total.plus(&self.block(&t.finalbody, &mut env.clone())?))
            }
            Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::Import(_)
            | Stmt::ImportFrom(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_) => Some(Part::one()),
            Stmt::Delete(_) | Stmt::Assert(_) | Stmt::Raise(_) => Some(Part::one()),
            Stmt::While(w) if self.shape == Shape::Graph => self.traversal(w, env),
            // Other `while` loops, `match` and the rest: the walk's bound rules know them.
            _ => None,
        }
    }

    /// A size as a cost (`None`: a fixed number), noting that the program counts it.
    pub(super) fn counted(&mut self, size: Option<&str>) -> Complexity {
        let Some(size) = size else {
            return Complexity::one();
        };
        if !self.seen.iter().any(|s| s == size) {
            self.seen.push(size.to_owned());
        }
        Complexity::size(size)
    }

    /// Runs `body` once per element of `iter`, with `target` bound.
    pub(super) fn repeat(
        &mut self,
        target: &'a Expr,
        iter: &'a Expr,
        env: &Env,
        body: impl FnOnce(&mut Self, &mut Env) -> Option<Part>,
    ) -> Option<Part> {
        let (trip, bindings) = self.trips(target, iter, env)?;
        self.run(trip, bindings, env, body)
    }

    /// Runs `body` `trip` times with `bindings` bound.
    pub(super) fn run(
        &mut self,
        trip: Trip,
        bindings: Vec<(String, Bound)>,
        env: &Env,
        body: impl FnOnce(&mut Self, &mut Env) -> Option<Part>,
    ) -> Option<Part> {
        // Counted before the body, so that outer loops' sizes take the first letters.
        let count = match &trip {
            Trip::Size(size) => self.counted(size.as_deref()),
            Trip::Edges(adj) => {
                let key = self.edge_counts.get(adj).cloned();
                self.counted(Some(&key.unwrap_or_else(|| edges_key(adj))))
            }
        };
        let mut inner = env.clone();
        inner.depth += 1;
        for (name, bound) in bindings {
            inner.bound.push((name, bound, inner.depth));
        }
        let body = body(self, &mut inner)?;
        match trip {
            Trip::Size(_) => Some(Part::of(count.times(&body.per).plus(&body.amortised))),
            Trip::Edges(_) => body.amortised.is_constant().then(|| Part {
                per: Complexity::one(),
                amortised: count.times(&body.per),
            }),
        }
    }
}
