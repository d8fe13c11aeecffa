//! What evaluating an expression costs in named sizes (comprehensions, calls of the
//! program's functions, builtins that walk a collection), and what assignments leave in names.

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{Comprehension, Expr, Number, Operator, UnaryOp};

use super::reading::{Env, Local, Part, Reader, Trip};
use crate::cost::Complexity;

impl<'a> Reader<'a> {
    /// Records what an assignment leaves in its target names (see [`Local`]).
    pub(super) fn bind_sizes(&self, target: &Expr, value: &Expr, env: &mut Env) {
        match (target, value) {
            (Expr::Name(n), v) => {
                let local = self.local_of(v, env);
                env.locals.insert(n.id.to_string(), local);
            }
            (Expr::Tuple(t), Expr::Tuple(v)) if t.elts.len() == v.elts.len() => {
                let locals: Vec<Local> = v.elts.iter().map(|v| self.local_of(v, env)).collect();
                for (t, local) in t.elts.iter().zip(locals) {
                    match t {
                        Expr::Name(n) => {
                            env.locals.insert(n.id.to_string(), local);
                        }
                        other => self.forget(other, env),
                    }
                }
            }
            (Expr::Tuple(t), v) if reads_input(v) => {
                for e in &t.elts {
                    match e {
                        Expr::Name(n) => {
                            env.locals.insert(n.id.to_string(), Local::Input);
                        }
                        other => self.forget(other, env),
                    }
                }
            }
            (other, _) => self.forget(other, env),
        }
    }

    /// What a name bound to `value` holds: a size (`len(grid)`, `n - 1`, `[0] * n`, a
    /// comprehension over `range(n)`), a value read from the input, or something opaque.
    fn local_of(&self, value: &Expr, env: &Env) -> Local {
        if reads_input(value) {
            return Local::Input;
        }
        if (matches!(value, Expr::Call(_) | Expr::BinOp(_)) || is_number(value))
            && let Some(size) = self.size_of(value, env)
        {
            return Local::Size(size);
        }
        let sized = match value {
            Expr::BinOp(b) if b.op == Operator::Mult => match (b.left.as_ref(), b.right.as_ref()) {
                (Expr::List(l), count) | (count, Expr::List(l)) if l.elts.len() == 1 => {
                    self.size_of(count, env)
                }
                _ => None,
            },
            Expr::ListComp(c) if c.generators.len() == 1 => {
                match self.trips(&c.generators[0].target, &c.generators[0].iter, env) {
                    Some((Trip::Size(size), _)) if c.generators[0].ifs.is_empty() => Some(size),
                    _ => None,
                }
            }
            Expr::Call(c) if c.arguments.args.len() == 1 => {
                let copies = matches!(c.func.as_ref(), Expr::Name(f)
                    if matches!(f.id.as_str(), "list" | "sorted" | "tuple"));
                match self.collection_trip(&c.arguments.args[0], env) {
                    Some(Trip::Size(size)) if copies => Some(size),
                    _ => None,
                }
            }
            Expr::Name(_) | Expr::Attribute(_) => match self.collection_trip(value, env) {
                Some(Trip::Size(size)) => Some(size),
                _ => None,
            },
            _ => None,
        };
        sized.map_or(Local::Opaque, Local::Size)
    }

    pub(super) fn forget(&self, target: &Expr, env: &mut Env) {
        match target {
            Expr::Name(n) => {
                env.locals.insert(n.id.to_string(), Local::Opaque);
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.forget(e, env)),
            _ => {}
        }
    }

    /// The cost of evaluating an expression: the comprehensions, the calls of the program's
    /// functions, and the builtins that walk a whole collection.
    pub(super) fn expr(&mut self, e: &'a Expr, env: &Env) -> Option<Part> {
        let mut costs = ExprCosts {
            reader: self,
            env,
            total: Some(Part::one()),
        };
        costs.visit_expr(e);
        costs.total
    }

    pub(super) fn comprehension(
        &mut self,
        generators: &'a [Comprehension],
        elements: &[&'a Expr],
        env: &Env,
    ) -> Option<Part> {
        let Some((first, rest)) = generators.split_first() else {
            let mut total = Part::one();
            for e in elements {
                total = total.plus(&self.expr(e, env)?);
            }
            return Some(total);
        };
        let iter = self.expr(&first.iter, env)?;
        let looped = self.repeat(&first.target, &first.iter, env, |reader, inner| {
            let mut total = reader.comprehension(rest, elements, inner)?;
            for test in &first.ifs {
                total = total.plus(&reader.expr(test, inner)?);
            }
            Some(total)
        })?;
        Some(iter.plus(&looped))
    }

    fn call(&mut self, call: &'a ruff_python_ast::ExprCall, env: &Env) -> Option<Part> {
        let args = &call.arguments.args;
        let user = match call.func.as_ref() {
            Expr::Name(f) => self.funcs.get(f.id.as_str()).copied(),
            // A method of one of the program's classes, on `self` or an instance.
            Expr::Attribute(a) => {
                if self.clashes.contains(a.attr.as_str()) {
                    return None;
                }
                self.methods.get(a.attr.as_str()).copied()
            }
            _ => None,
        };
        if let Some(def) = user {
            return self.function(def).map(Part::of);
        }
        let name = match call.func.as_ref() {
            Expr::Name(f) => f.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return Some(Part::one()),
        };
        let walked = |reader: &Self, e: &Expr| -> Option<Option<String>> {
            match reader.collection_trip(e, env)? {
                Trip::Size(size) => Some(size),
                Trip::Edges(_) => None,
            }
        };
        let receiver = match call.func.as_ref() {
            Expr::Attribute(a) => Some(a.value.as_ref()),
            _ => None,
        };
        match (name, &args[..], receiver) {
            ("sorted", [arg], _) | ("sort", [], Some(arg)) => {
                if matches!(arg, Expr::Generator(_) | Expr::ListComp(_)) {
                    return Some(Part::one());
                }
                let size = walked(self, arg)?;
                let log = size.as_deref().map_or_else(Complexity::one, |s| {
                    Complexity::from_cost(crate::cost::Cost::LOG, s)
                });
                Some(Part::of(self.counted(size.as_deref()).times(&log)))
            }
            (
                "sum" | "min" | "max" | "list" | "set" | "tuple" | "any" | "all" | "join",
                [arg],
                _,
            ) if matches!(arg, Expr::Name(_) | Expr::Subscript(_)) => {
                let size = walked(self, arg)?;
                Some(Part::of(self.counted(size.as_deref())))
            }
            _ => Some(Part::one()),
        }
    }
}

struct ExprCosts<'r, 'a> {
    reader: &'r mut Reader<'a>,
    env: &'r Env,
    /// `None` once something was not understood.
    total: Option<Part>,
}

impl ExprCosts<'_, '_> {
    fn add(&mut self, part: Option<Part>) {
        self.total = match (self.total.take(), part) {
            (Some(total), Some(part)) => Some(total.plus(&part)),
            _ => None,
        };
    }
}

impl<'a> Visitor<'a> for ExprCosts<'_, 'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.total.is_none() {
            return;
        }
        let part = match e {
            Expr::ListComp(c) => self
                .reader
                .comprehension(&c.generators, &[&c.elt], self.env),
            Expr::SetComp(c) => self
                .reader
                .comprehension(&c.generators, &[&c.elt], self.env),
            Expr::Generator(c) => self
                .reader
                .comprehension(&c.generators, &[&c.elt], self.env),
            Expr::DictComp(c) => {
                let mut elements: Vec<&Expr> = vec![&c.value];
                elements.extend(c.key.as_deref());
                self.reader
                    .comprehension(&c.generators, &elements, self.env)
            }
            Expr::Lambda(_) => Some(Part::one()),
            Expr::Call(call) => {
                let part = self.reader.call(call, self.env);
                self.add(part);
                walk_expr(self, e);
                return;
            }
            _ => {
                walk_expr(self, e);
                return;
            }
        };
        self.add(part);
    }
}

/// The text naming a collection: `grid`, `self.grid`.
pub(super) fn collection(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(format!("{}.{}", collection(&a.value)?, a.attr)),
        _ => None,
    }
}

/// An integer literal, possibly negated or combined with others (`10**9 + 7`).
pub(super) fn is_number(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(n) => matches!(n.value, Number::Int(_)),
        Expr::UnaryOp(u) => u.op == UnaryOp::USub && is_number(&u.operand),
        Expr::BinOp(b) => is_number(&b.left) && is_number(&b.right),
        _ => false,
    }
}

/// Whether an expression reads the input: calls `input`, or a `readline`/`read` method.
pub(super) fn reads_input(e: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(c) = e {
                let reader = match c.func.as_ref() {
                    Expr::Name(f) => f.id.as_str() == "input",
                    Expr::Attribute(a) => {
                        matches!(a.attr.as_str(), "readline" | "read" | "readlines")
                    }
                    _ => false,
                };
                self.0 |= reader;
            }
            walk_expr(self, e);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(e);
    finder.0
}
