//! How many times a loop runs, in named sizes: what a `for` iterates over, a graph
//! traversal's queue, and the sizes number expressions stand for.

use ruff_python_ast::{Expr, Operator, Stmt, StmtFor, StmtWhile};

use super::exprs::{collection, is_number};
use super::reading::{Bound, Env, Local, Part, Reader, Shape, Trip};

impl<'a> Reader<'a> {
    /// `for _ in range(m): … adj[u].append(v)` not nested in another loop: `adj`'s rows hold
    /// as many entries as the loop runs (times a constant), so its edges are that size.
    pub(super) fn note_edge_count(&mut self, f: &StmtFor, env: &Env) {
        if env.depth > 0 {
            return;
        }
        let Some((Trip::Size(Some(count)), _)) = self.trips(&f.target, &f.iter, env) else {
            return;
        };
        for stmt in &f.body {
            let Stmt::Expr(e) = stmt else { continue };
            let Expr::Call(call) = e.value.as_ref() else {
                continue;
            };
            let Expr::Attribute(append) = call.func.as_ref() else {
                continue;
            };
            if append.attr.as_str() != "append" {
                continue;
            }
            if let Expr::Subscript(row) = append.value.as_ref()
                && let Some(adj) = collection(&row.value)
            {
                self.edge_counts.insert(adj, count.clone());
            }
        }
    }

    /// A graph traversal: `while q: u = q.popleft()` (or `pop`, `heappop`) around a walk of
    /// `adj[u]`. Each vertex is taken once, so the loop runs `len(adj)` times and the rows it
    /// walks add up to the edges.
    pub(super) fn traversal(&mut self, w: &'a StmtWhile, env: &mut Env) -> Option<Part> {
        let queue = match w.test.as_ref() {
            Expr::Name(q) => q.id.as_str(),
            _ => return None,
        };
        let popped = w.body.iter().find_map(|stmt| {
            let Stmt::Assign(a) = stmt else { return None };
            let Expr::Call(call) = a.value.as_ref() else {
                return None;
            };
            let from = match (call.func.as_ref(), &call.arguments.args[..]) {
                (Expr::Attribute(m), []) if matches!(m.attr.as_str(), "pop" | "popleft") => {
                    m.value.as_ref()
                }
                (Expr::Name(f), [q]) if f.id.as_str() == "heappop" => q,
                (Expr::Attribute(f), [q]) if f.attr.as_str() == "heappop" => q,
                _ => return None,
            };
            if !matches!(from, Expr::Name(n) if n.id.as_str() == queue) {
                return None;
            }
            match a.targets.as_slice() {
                [Expr::Name(u)] => Some(u.id.to_string()),
                [Expr::Tuple(t)] => match t.elts.last() {
                    Some(Expr::Name(u)) => Some(u.id.to_string()),
                    _ => None,
                },
                _ => None,
            }
        })?;
        let adj = w.body.iter().find_map(|stmt| match stmt {
            Stmt::For(f) => match f.iter.as_ref() {
                Expr::Subscript(s)
                    if matches!(s.slice.as_ref(), Expr::Name(i) if i.id.as_str() == popped) =>
                {
                    Some(s.value.as_ref())
                }
                _ => None,
            },
            _ => None,
        })?;
        let Some(Trip::Size(Some(vertices))) = self.collection_trip(
            adj,
            &Env {
                depth: usize::MAX,
                ..env.clone()
            },
        ) else {
            return None;
        };
        let test = self.expr(&w.test, env)?;
        let mut assigned = Env::default();
        let bindings = vec![(popped, Bound::Index(Some(vertices.clone())))];
        let looped = self.run(
            Trip::Size(Some(vertices)),
            bindings,
            env,
            |reader, inner| {
                let body = reader.block(&w.body, inner);
                assigned = inner.clone();
                body
            },
        )?;
        env.merge(&assigned);
        Some(test.plus(&looped))
    }

    /// How many times a loop over `iter` runs, and what its target names stand for.
    pub(super) fn trips(
        &self,
        target: &Expr,
        iter: &Expr,
        env: &Env,
    ) -> Option<(Trip, Vec<(String, Bound)>)> {
        let name_of = |t: &Expr| match t {
            Expr::Name(n) => Some(n.id.to_string()),
            _ => None,
        };
        if let Expr::Call(call) = iter {
            let args = &call.arguments.args;
            let func = match call.func.as_ref() {
                Expr::Name(f) => f.id.as_str(),
                Expr::Attribute(a) => a.attr.as_str(),
                _ => return None,
            };
            return match (func, &args[..]) {
                ("range", [_] | [_, _] | [_, _, _]) => {
                    if let [_, _, step] = &args[..]
                        && !is_number(step)
                    {
                        return None;
                    }
                    let stop = self.size_of(&args[args.len().min(2) - 1], env)?;
                    let start = match &args[..] {
                        [_] => None,
                        [start, ..] => self.size_of(start, env)?,
                        [] => None,
                    };
                    let size = match (start, stop) {
                        (None, s) | (s, None) => s,
                        (Some(a), Some(b)) if a == b => Some(a),
                        _ => return None,
                    };
                    let bindings = name_of(target)
                        .map(|n| (n, Bound::Index(size.clone())))
                        .into_iter()
                        .collect();
                    Some((Trip::Size(size), bindings))
                }
                ("enumerate" | "reversed" | "sorted", [inner]) => {
                    let pair = match target {
                        Expr::Tuple(t) if func == "enumerate" && t.elts.len() == 2 => {
                            Some((&t.elts[0], &t.elts[1]))
                        }
                        _ => None,
                    };
                    let Some((index, element)) = pair else {
                        return self.trips(target, inner, env);
                    };
                    let (trip, mut bindings) = self.trips(element, inner, env)?;
                    if let (Some(i), Trip::Size(size)) = (name_of(index), &trip) {
                        bindings.push((i, Bound::Index(size.clone())));
                    }
                    Some((trip, bindings))
                }
                ("items" | "keys" | "values", []) => {
                    let Expr::Attribute(a) = call.func.as_ref() else {
                        return None;
                    };
                    let owner = collection(&a.value)?;
                    let element = match (func, target) {
                        ("values", t) => name_of(t),
                        ("items", Expr::Tuple(t)) if t.elts.len() == 2 => name_of(&t.elts[1]),
                        _ => None,
                    };
                    let trip = self.collection_trip(&a.value, env)?;
                    let bindings = element
                        .map(|e| (e, Bound::Element(owner)))
                        .into_iter()
                        .collect();
                    Some((trip, bindings))
                }
                _ => None,
            };
        }
        if matches!(
            iter,
            Expr::StringLiteral(_) | Expr::List(_) | Expr::Tuple(_) | Expr::Set(_)
        ) && !matches!(iter, Expr::List(l) if l.elts.iter().any(Expr::is_starred_expr))
        {
            return Some((Trip::Size(None), Vec::new()));
        }
        let trip = self.collection_trip(iter, env)?;
        let element = match iter {
            Expr::Subscript(s) => format!("{}[0]", collection(&s.value)?),
            other => collection(other)?,
        };
        let bindings = name_of(target)
            .map(|n| (n, Bound::Element(element)))
            .into_iter()
            .collect();
        Some((trip, bindings))
    }

    /// How many elements a loop over a collection visits: `grid` is `len(grid)` long, a row
    /// (`grid[i]`, or `row` from `for row in grid`) `len(grid[0])`, or in a graph the edges
    /// of the row's vertex, counted over the enclosing loop.
    pub(super) fn collection_trip(&self, iter: &Expr, env: &Env) -> Option<Trip> {
        let row_of = |owner: String, bound_depth: usize| match self.shape {
            Shape::Grid => Some(Trip::Size(Some(format!("len({owner}[0])")))),
            Shape::Graph if bound_depth == env.depth && env.depth > 0 => Some(Trip::Edges(owner)),
            Shape::Graph => None,
        };
        match iter {
            Expr::Name(n) => match env.binding(n.id.as_str()) {
                Some((Bound::Element(owner), depth)) => row_of(owner.clone(), depth),
                Some((Bound::Index(_), _)) => None,
                None => match env.locals.get(n.id.as_str()) {
                    Some(Local::Size(size)) => Some(Trip::Size(size.clone())),
                    Some(Local::Opaque) => None,
                    Some(Local::Input) | None if self.constants.contains(n.id.as_str()) => None,
                    Some(Local::Input) | None => Some(Trip::Size(Some(format!("len({})", n.id)))),
                },
            },
            Expr::Attribute(_) => Some(Trip::Size(Some(format!("len({})", collection(iter)?)))),
            Expr::Subscript(s) => {
                let owner = collection(&s.value)?;
                let Expr::Name(index) = s.slice.as_ref() else {
                    return match self.shape {
                        Shape::Grid => row_of(owner, 0),
                        Shape::Graph => None,
                    };
                };
                let depth = env.binding(index.id.as_str()).map_or(0, |(_, d)| d);
                row_of(owner, depth)
            }
            _ => None,
        }
    }

    /// The size a number expression stands for: `None` for a fixed number, `Some(key)` for
    /// a size; `Err`-like outer `None` when it is not understood.
    pub(super) fn size_of(&self, e: &Expr, env: &Env) -> Option<Option<String>> {
        match e {
            _ if is_number(e) => Some(None),
            Expr::Name(n) => {
                let name = n.id.as_str();
                match env.binding(name) {
                    Some((Bound::Index(size), _)) => Some(size.clone()),
                    Some((Bound::Element(_), _)) => None,
                    None => match env.locals.get(name) {
                        Some(Local::Size(size)) => Some(size.clone()),
                        Some(Local::Opaque) => None,
                        Some(Local::Input) | None if self.constants.contains(name) => Some(None),
                        Some(Local::Input) | None => Some(Some(name.to_owned())),
                    },
                }
            }
            Expr::Call(c) => {
                let is_len = matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "len");
                let [arg] = &c.arguments.args[..] else {
                    return None;
                };
                if !is_len {
                    return None;
                }
                match self.collection_trip(
                    arg,
                    &Env {
                        depth: usize::MAX,
                        ..env.clone()
                    },
                )? {
                    Trip::Size(size) => Some(size),
                    Trip::Edges(_) => None,
                }
            }
            Expr::BinOp(b) => {
                let (left, right) = (self.size_of(&b.left, env)?, self.size_of(&b.right, env)?);
                match (b.op, left, right) {
                    (_, None, None) => Some(None),
                    (Operator::Add | Operator::Sub | Operator::Mult, Some(s), None)
                    | (Operator::Add | Operator::Mult, None, Some(s))
                    | (Operator::FloorDiv | Operator::RShift, Some(s), None) => Some(Some(s)),
                    (Operator::Add | Operator::Sub, Some(a), Some(b)) if a == b => Some(Some(a)),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}
