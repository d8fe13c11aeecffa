//! Syntactic patterns the loop rules look for: how a loop variable is updated, what a test
//! compares, which names a block assigns. Pure functions over the syntax tree.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Operator, Stmt};

pub use crate::static_analysis::syntax::exits::*;
pub use crate::static_analysis::syntax::names::*;
pub use crate::static_analysis::syntax::powers::*;
pub use crate::static_analysis::syntax::updates::*;

/// Whether iterating `iter` visits every element of `name`: `res`, `reversed(res)`,
/// `res[::-1]`.
fn walks_all_of(iter: &Expr, name: &str) -> bool {
    let named = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match iter {
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "reversed")
                && matches!(&*c.arguments.args, [arg] if named(arg))
        }
        Expr::Subscript(s) => {
            named(&s.value)
                && matches!(s.slice.as_ref(), Expr::Slice(sl) if sl.lower.is_none() && sl.upper.is_none())
        }
        _ => named(iter),
    }
}

/// Whether `value` builds new elements from every element of `name` itself
/// (`[s + [x] for s in res]`): assigned back in a loop, `name` doubles on each iteration.
pub fn comprehends_over(value: &Expr, name: &str) -> bool {
    let over_self = |generators: &[ruff_python_ast::Comprehension]| {
        generators.iter().any(|g| walks_all_of(&g.iter, name))
    };
    match value {
        Expr::ListComp(c) => over_self(&c.generators),
        Expr::SetComp(c) => over_self(&c.generators),
        Expr::Generator(c) => over_self(&c.generators),
        Expr::BinOp(b) if b.op == Operator::Add => {
            comprehends_over(&b.left, name) || comprehends_over(&b.right, name)
        }
        _ => false,
    }
}

/// Whether `value` is a comprehension that pairs every element of `name` with each of two or
/// more choices (`[a + [b] for a in res for b in (0, 1)]`): assigned back in a loop, `name`
/// doubles (at least) on each iteration.
pub fn branches_over(value: &Expr, name: &str) -> bool {
    let generators = match value {
        Expr::ListComp(c) => &c.generators,
        Expr::SetComp(c) => &c.generators,
        _ => return false,
    };
    let over_self = |g: &ruff_python_ast::Comprehension| walks_all_of(&g.iter, name);
    generators.iter().any(over_self)
        && generators.iter().any(|g| {
            !over_self(g) && g.ifs.is_empty() && literal_len(&g.iter).is_none_or(|k| k >= 2)
        })
}

/// The number of elements of a list, tuple or string literal.
pub fn literal_len(e: &Expr) -> Option<usize> {
    match e {
        Expr::List(l) => Some(l.elts.len()),
        Expr::Tuple(t) => Some(t.elts.len()),
        Expr::StringLiteral(s) => Some(s.value.chars().count()),
        _ => None,
    }
}

/// How many new items one pass of a worklist loop pushes onto one of the `tested` worklists
/// by extending a sequence with a fixed choice (`q.append(s + '0')`, or `q.append(s + c)` for
/// each `c` in a literal), in the branch that pushes most. Two or more: the items form a tree
/// that is exponential in its depth (a path extended by a node's value is bounded by the
/// nodes instead, and is not counted).
pub fn extending_pushes(body: &[Stmt], tested: &HashSet<String>, choices: &[&str]) -> usize {
    fn fixed(x: &Expr, choices: &[&str]) -> bool {
        match x {
            Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => true,
            Expr::Name(n) => choices.contains(&n.id.as_str()),
            Expr::List(l) => l.elts.iter().all(|e| fixed(e, choices)),
            Expr::Tuple(t) => t.elts.iter().all(|e| fixed(e, choices)),
            _ => false,
        }
    }
    let extends = |e: &Expr| {
        let Expr::BinOp(b) = e else { return false };
        let chosen = |x: &Expr| !matches!(x, Expr::NumberLiteral(_)) && fixed(x, choices);
        b.op == Operator::Add && (chosen(&b.left) || chosen(&b.right))
    };
    let pushes = |s: &Stmt| match s {
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Call(c) => {
                matches!(crate::static_analysis::syntax::scan::grown_container(c),
                Some(Expr::Name(n)) if tested.contains(n.id.as_str()))
                    && c.arguments.args.iter().any(|a| match a {
                        Expr::Tuple(t) => t.elts.iter().any(extends),
                        _ => extends(a),
                    })
            }
            _ => false,
        },
        _ => false,
    };
    body.iter()
        .map(|s| match s {
            Stmt::For(f) => match (f.target.as_ref(), literal_len(&f.iter)) {
                (Expr::Name(t), Some(k)) => {
                    let mut inner = choices.to_vec();
                    inner.push(t.id.as_str());
                    k * extending_pushes(&f.body, tested, &inner)
                }
                _ => 0,
            },
            Stmt::If(i) => std::iter::once(&i.body)
                .chain(i.elif_else_clauses.iter().map(|c| &c.body))
                .map(|b| extending_pushes(b, tested, choices))
                .max()
                .unwrap_or(0),
            _ => usize::from(pushes(s)),
        })
        .sum()
}

/// The container a `for` loop walks a snapshot of: `res` in `range(len(res))`, `res[:]`,
/// `list(res)` or `res.copy()`. A loop like this that appends to `res` doubles it.
pub fn snapshot_of(iter: &Expr) -> Option<&str> {
    fn name(e: &Expr) -> Option<&str> {
        match e {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }
    }
    match iter {
        Expr::Subscript(s)
            if matches!(s.slice.as_ref(), Expr::Slice(sl)
            if sl.lower.is_none() && sl.upper.is_none() && sl.step.is_none()) =>
        {
            name(&s.value)
        }
        Expr::Call(c) => match (c.func.as_ref(), &*c.arguments.args) {
            (Expr::Name(f), [arg]) if matches!(f.id.as_str(), "list" | "tuple") => name(arg),
            (Expr::Name(f), [Expr::Call(inner)]) if f.id.as_str() == "range" => {
                match (inner.func.as_ref(), &*inner.arguments.args) {
                    (Expr::Name(l), [arg]) if l.id.as_str() == "len" => name(arg),
                    _ => None,
                }
            }
            (Expr::Attribute(a), []) if a.attr.as_str() == "copy" => name(&a.value),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` builds a new collection: `sorted(…)`, `list(…)`, `tuple(…)`, a list, set or
/// dict comprehension, or a slice. Looping over it keeps it alive for the whole loop.
pub fn builds_collection(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => matches!(c.func.as_ref(), Expr::Name(f)
            if matches!(f.id.as_str(), "sorted" | "list" | "tuple")),
        Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) => true,
        Expr::Subscript(s) => matches!(s.slice.as_ref(), Expr::Slice(_)),
        _ => false,
    }
}

/// `Node(x, head)` bound to `head`: a call that receives the name it is assigned to.
pub fn passes_itself(value: &Expr, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(a) if a.id.as_str() == name);
    matches!(value, Expr::Call(c)
        if c.arguments.args.iter().any(is_name)
            || c.arguments.keywords.iter().any(|k| is_name(&k.value)))
}

/// The collection a comprehension maps over in full (`[("0" + c) for c in reversed(codes)]`
/// → `codes`): the result is as long as that collection, or longer.
pub fn mapped_collection(value: &Expr) -> Option<&str> {
    let generators = match value {
        Expr::ListComp(c) => &c.generators,
        Expr::SetComp(c) => &c.generators,
        Expr::Generator(c) => &c.generators,
        _ => return None,
    };
    fn walked(iter: &Expr) -> Option<&str> {
        let inner = match iter {
            Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "reversed") => {
                c.arguments.args.first()?
            }
            Expr::Subscript(s) if matches!(s.slice.as_ref(), Expr::Slice(sl) if sl.lower.is_none() && sl.upper.is_none()) => {
                &s.value
            }
            e => e,
        };
        match inner {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }
    }
    generators
        .iter()
        .find(|g| g.ifs.is_empty())
        .and_then(|g| walked(&g.iter))
}
