//! How a loop updates its variables: constant steps, geometric steps, modular products.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, Operator, Stmt, UnaryOp};

use crate::static_analysis::syntax::patterns::*;

#[derive(Debug, Clone, Copy)]
pub enum Update {
    Geometric,
    Step,
    Other,
}

pub fn collect_updates(body: &[Stmt], out: &mut Vec<(String, Update)>) {
    collect_within(body, out, &HashMap::new());
}

/// `outer` holds the assignments of the enclosing blocks: in `child = 2 * root + 1` …
/// `if a[root] < a[child]: root = child` (a heap's sift-down), the branch's `root = child`
/// doubles `root` although `child` was assigned outside the branch.
fn collect_within<'e>(
    body: &'e [Stmt],
    out: &mut Vec<(String, Update)>,
    outer: &HashMap<String, &'e Expr>,
) {
    let start = out.len();
    let mut locals = simple_assignments(body);
    for (name, value) in outer {
        locals.entry(name.clone()).or_insert(value);
    }
    for stmt in body {
        match stmt {
            Stmt::AugAssign(s) => {
                if let Expr::Name(n) = s.target.as_ref() {
                    out.push((n.id.to_string(), classify_aug(s.op, &s.value)));
                } else if let Some(name) = dotted(&s.target) {
                    out.push((name, classify_aug(s.op, &s.value)));
                }
            }
            Stmt::Assign(s) => {
                for target in &s.targets {
                    match (target, s.value.as_ref()) {
                        // `i = p` after `p = (i - 1) // 2`: the update is what `p` stands for.
                        (Expr::Name(n), Expr::Name(other)) if other.id != n.id => {
                            let value = locals
                                .get(other.id.as_str())
                                .copied()
                                .unwrap_or(s.value.as_ref());
                            let update = match classify_assign(n.id.as_str(), value) {
                                Update::Other
                                    if picks_a_child(body, n.id.as_str(), other.id.as_str()) =>
                                {
                                    Update::Geometric
                                }
                                update => update,
                            };
                            out.push((n.id.to_string(), update));
                        }
                        (Expr::Name(n), value) => {
                            out.push((n.id.to_string(), classify_assign(n.id.as_str(), value)));
                        }
                        (Expr::Attribute(_), value) => {
                            if let Some(name) = dotted(target) {
                                let kind = classify_assign(&name, value);
                                out.push((name, kind));
                            }
                        }
                        // `n, r = divmod(n, b)`: the quotient replaces `n`, divided by `b`.
                        (Expr::Tuple(t), Expr::Call(c)) if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "divmod") => {
                            if let (Some(Expr::Name(q)), Some(Expr::Name(x))) =
                                (t.elts.first(), c.arguments.args.first())
                                && q.id == x.id
                            {
                                out.push((q.id.to_string(), Update::Geometric));
                            }
                        }
                        (Expr::Tuple(t), Expr::Tuple(v)) if t.elts.len() == v.elts.len() => {
                            for (te, ve) in t.elts.iter().zip(v.elts.iter()) {
                                if let Expr::Name(n) = te {
                                    let kind = match ve {
                                        Expr::BinOp(b)
                                            if b.op == Operator::Mod
                                                && !matches!(b.left.as_ref(), Expr::BinOp(_)) =>
                                        {
                                            Update::Geometric
                                        }
                                        _ => classify_assign(n.id.as_str(), ve),
                                    };
                                    out.push((n.id.to_string(), kind));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Stmt::If(s) => {
                collect_within(&s.body, out, &locals);
                for c in &s.elif_else_clauses {
                    collect_within(&c.body, out, &locals);
                }
            }
            Stmt::Try(s) => collect_within(&s.body, out, &locals),
            Stmt::With(s) => collect_within(&s.body, out, &locals),
            _ => {}
        }
    }
    let reduced = modular_updates(body);
    for (name, kind) in &mut out[start..] {
        if let (Update::Geometric, Some(&update)) = (*kind, reduced.get(name)) {
            *kind = update;
        }
    }
}

/// `name` plus or minus other terms: `i + 1`, `i - 1 + n`, `1 + i`.
pub fn offsets(name: &str, e: &Expr) -> bool {
    match e {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::BinOp(b) if matches!(b.op, Operator::Add | Operator::Sub) => {
            offsets(name, &b.left) || (b.op == Operator::Add && offsets(name, &b.right))
        }
        _ => false,
    }
}

/// Names the block reduces (`x %= m`, `x = x % m`) and also multiplies (`x *= y`): a modular
/// product, bounded by the modulus (`Other`); or also steps (`i += 1`): a walk round a circle
/// (`Step`). Neither reduction is Euclid's geometric shrink.
pub fn modular_updates(body: &[Stmt]) -> HashMap<String, Update> {
    let mut multiplied = HashSet::new();
    let mut stepped = HashSet::new();
    let mut reduced = HashSet::new();
    for stmt in body {
        let (name, op) = match stmt {
            Stmt::AugAssign(s) => match s.target.as_ref() {
                Expr::Name(n) => (n.id.as_str(), s.op),
                _ => continue,
            },
            Stmt::Assign(s) => match (s.targets.as_slice(), s.value.as_ref()) {
                ([Expr::Name(n)], Expr::BinOp(b)) if matches!(b.left.as_ref(), Expr::Name(l) if l.id == n.id) => {
                    (n.id.as_str(), b.op)
                }
                _ => continue,
            },
            _ => continue,
        };
        match op {
            Operator::Mod => reduced.insert(name),
            Operator::Mult | Operator::Pow | Operator::LShift => multiplied.insert(name),
            Operator::Add | Operator::Sub => stepped.insert(name),
            _ => false,
        };
    }
    reduced
        .into_iter()
        .filter_map(|name| {
            let update = if multiplied.contains(name) {
                Update::Other
            } else if stepped.contains(name) {
                Update::Step
            } else {
                return None;
            };
            Some((name.to_owned(), update))
        })
        .collect()
}

/// `while p[-1] < n: p.append(p[-1] * 2)`: the test reads the last element of a list the body
/// appends a multiple of that element to, so the last element grows geometrically.
pub fn appends_scaled_last(test: &Expr, body: &[Stmt]) -> bool {
    let mut lists = HashSet::new();
    crate::static_analysis::syntax::scan::any_in(std::slice::from_ref(test), |e| {
        if let Expr::Subscript(s) = e
            && let Expr::Name(n) = s.value.as_ref()
            && is_minus_one(&s.slice)
        {
            lists.insert(n.id.to_string());
        }
        false
    });
    let appends_scaled = |stmt: &Stmt| {
        let Stmt::Expr(s) = stmt else { return false };
        let Expr::Call(c) = s.value.as_ref() else {
            return false;
        };
        let (Some(Expr::Name(n)), [value]) = (
            crate::static_analysis::syntax::scan::grown_container(c),
            c.arguments.args.as_ref(),
        ) else {
            return false;
        };
        lists.contains(n.id.as_str()) && scales_last(value, n.id.as_str())
    };
    !lists.is_empty() && body.iter().any(appends_scaled)
}

pub fn is_minus_one(e: &Expr) -> bool {
    matches!(e, Expr::UnaryOp(u) if u.op == UnaryOp::USub
        && matches!(u.operand.as_ref(), Expr::NumberLiteral(n) if n.value.as_int().and_then(|i| i.as_u64()) == Some(1)))
}

/// `xs[-1] * 4`, `2 * xs[-1] + 1`, `xs[-1] << 1`: a multiple of the last element of `name`.
pub fn scales_last(value: &Expr, name: &str) -> bool {
    let is_last = |e: &Expr| {
        matches!(e, Expr::Subscript(s)
            if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
                && is_minus_one(&s.slice))
    };
    let mut terms = Vec::new();
    additive_terms(value, &mut terms);
    terms.iter().any(|t| {
        matches!(t, Expr::BinOp(b) if matches!(b.op, Operator::Mult | Operator::LShift)
            && (is_last(&b.left) || is_last(&b.right))
            && (crate::static_analysis::syntax::literals::is_small_constant(&b.left) || crate::static_analysis::syntax::literals::is_small_constant(&b.right)))
    })
}

pub fn is_constant_expr(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => is_constant_expr(&u.operand),
        _ => false,
    }
}

pub fn classify_aug(op: Operator, value: &Expr) -> Update {
    match op {
        // `b %= a` (Euclid) shrinks at least geometrically too.
        Operator::FloorDiv
        | Operator::Div
        | Operator::RShift
        | Operator::LShift
        | Operator::Mod
        | Operator::BitAnd => Update::Geometric,
        Operator::Mult | Operator::Pow if is_constant_expr(value) => Update::Geometric,
        Operator::Mult | Operator::Pow => Update::Geometric,
        Operator::Add | Operator::Sub if grows_exponentially(value) || lowest_bit(value) => {
            Update::Geometric
        }
        Operator::Add | Operator::Sub => Update::Step,
        // `i |= i + 1`: a Fenwick tree step up, one more bit set per iteration.
        Operator::BitOr if adds_constant(value) => Update::Geometric,
        _ => Update::Other,
    }
}

/// `i + 1`.
pub fn adds_constant(e: &Expr) -> bool {
    matches!(e, Expr::BinOp(b) if b.op == Operator::Add && is_constant_expr(&b.right))
}

pub fn classify_assign(name: &str, value: &Expr) -> Update {
    if let Expr::Subscript(s) = value {
        let mut names = HashSet::new();
        collect_names(&s.slice, &mut names);
        if names.contains(name) {
            // `x = nxt[x]`: pointer chasing, one element per step.
            return Update::Step;
        }
        // `x = x[:-1]`, `x = x[1:]`: the sequence loses a constant number of elements.
        let literal = |e: &Option<Box<Expr>>| match e.as_deref() {
            Some(Expr::UnaryOp(u)) => matches!(u.operand.as_ref(), Expr::NumberLiteral(_)),
            Some(e) => matches!(e, Expr::NumberLiteral(_)),
            None => false,
        };
        if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
            && let Expr::Slice(sl) = s.slice.as_ref()
            && sl.step.is_none()
            && ((sl.lower.is_none() && literal(&sl.upper))
                || (sl.upper.is_none() && literal(&sl.lower)))
        {
            return Update::Step;
        }
    }
    let Expr::BinOp(b) = unrounded(value) else {
        return Update::Other;
    };
    let mentions_self = |e: &Expr| {
        let mut names = HashSet::new();
        collect_names(e, &mut names);
        names.contains(name)
    };
    // `w = w + w + 1`, `c = 2 * c + 1`: the variable appears in two terms of a sum, or
    // multiplied in one of them.
    if matches!(b.op, Operator::Add) {
        let mut terms = Vec::new();
        additive_terms(unrounded(value), &mut terms);
        let is_self = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
        let doubled = terms.iter().filter(|t| is_self(t)).count() >= 2;
        let scaled = terms.iter().any(|t| {
            matches!(t, Expr::BinOp(m) if m.op == Operator::Mult && (is_self(&m.left) || is_self(&m.right)))
        });
        if doubled || scaled {
            return Update::Geometric;
        }
    }
    if !mentions_self(&b.left) && !mentions_self(&b.right) {
        return Update::Other;
    }
    match b.op {
        Operator::FloorDiv | Operator::Div | Operator::RShift | Operator::LShift => {
            Update::Geometric
        }
        Operator::Mult | Operator::Pow => Update::Geometric,
        Operator::Add | Operator::Sub if grows_exponentially(value) || lowest_bit(&b.right) => {
            Update::Geometric
        }
        // `a = a & (a - 1)`: a mask only clears bits, one or more per step.
        Operator::BitAnd => Update::Geometric,
        Operator::Add | Operator::Sub => match (b.left.as_ref(), b.right.as_ref()) {
            (Expr::BinOp(inner), _) if inner.op == Operator::Mult && mentions_self(&inner.left) => {
                Update::Geometric
            }
            _ => Update::Step,
        },
        // `a = a % b` (Euclid) shrinks; `i = (i + 1) % n` steps round a circle; a remainder of
        // any other compound value (`x * y % m`, `(h * 31 + c) % m`) stays below the modulus.
        Operator::Mod => match b.left.as_ref() {
            Expr::BinOp(_) if offsets(name, &b.left) => Update::Step,
            Expr::BinOp(_) => Update::Other,
            _ => Update::Geometric,
        },
        _ => Update::Other,
    }
}

/// The terms of a sum: `a + b + c` gives `a`, `b`, `c`.
pub fn additive_terms<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinOp(b) if b.op == Operator::Add => {
            additive_terms(&b.left, out);
            additive_terms(&b.right, out);
        }
        _ => out.push(e),
    }
}

/// `i = smallest` where `smallest` is `i` or one of `i`'s children (`smallest = i`, then
/// `smallest = left` with `left, right = 2 * i + 1, 2 * i + 2`): a sift-down that picks the
/// smaller child moves `i` at least to its double, or does not move it.
fn picks_a_child(body: &[Stmt], name: &str, picked: &str) -> bool {
    let mut values = Vec::new();
    values_of(body, picked, &mut values);
    let mut doubled = false;
    for value in values {
        let value = match value {
            Expr::Name(v) if v.id.as_str() == name => continue,
            Expr::Name(v) => {
                let mut inner = Vec::new();
                values_of(body, v.id.as_str(), &mut inner);
                match inner.as_slice() {
                    [one] => *one,
                    _ => return false,
                }
            }
            other => other,
        };
        if !matches!(classify_assign(name, value), Update::Geometric) {
            return false;
        }
        doubled = true;
    }
    doubled
}

/// Every value `body` binds to `name`, in plain or pairwise tuple assignments, branches
/// included.
fn values_of<'e>(body: &'e [Stmt], name: &str, out: &mut Vec<&'e Expr>) {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => match (s.targets.as_slice(), s.value.as_ref()) {
                ([t], value) if is_name(t) => out.push(value),
                ([Expr::Tuple(t)], Expr::Tuple(v)) if t.elts.len() == v.elts.len() => {
                    out.extend(
                        t.elts
                            .iter()
                            .zip(&v.elts)
                            .filter(|(t, _)| is_name(t))
                            .map(|(_, v)| v),
                    );
                }
                _ => {}
            },
            Stmt::If(s) => {
                values_of(&s.body, name, out);
                for c in &s.elif_else_clauses {
                    values_of(&c.body, name, out);
                }
            }
            _ => {}
        }
    }
}
