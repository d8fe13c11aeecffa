//! Syntactic patterns the loop rules look for: how a loop variable is updated, what a test
//! compares, which names a block assigns. Pure functions over the syntax tree.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{BoolOp, CmpOp, Expr, Operator, Stmt, UnaryOp};

#[derive(Debug, Clone, Copy)]
pub enum Update {
    Geometric,
    Step,
    Other,
}

/// `while True:` / `while 1:` rely on updates in the body.
pub fn is_truthy_loop(test: &Expr) -> bool {
    matches!(test, Expr::BooleanLiteral(b) if b.value) || matches!(test, Expr::NumberLiteral(_))
}

pub fn exits_at_once(body: &[Stmt]) -> bool {
    matches!(
        body.last(),
        Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
    ) && !continues(body)
}

/// Whether a `continue` of this loop (not of a nested one) appears in the block.
pub fn continues(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Continue(_) => true,
        Stmt::If(i) => continues(&i.body) || i.elif_else_clauses.iter().any(|c| continues(&c.body)),
        Stmt::Try(t) => continues(&t.body),
        Stmt::With(w) => continues(&w.body),
        _ => false,
    })
}

pub fn collect_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::BinOp(b) => {
            collect_names(&b.left, out);
            collect_names(&b.right, out);
        }
        Expr::UnaryOp(u) => collect_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|v| collect_names(v, out)),
        Expr::Compare(c) => {
            collect_names(&c.left, out);
            c.comparators.iter().for_each(|v| collect_names(v, out));
        }
        Expr::Call(c) => c.arguments.args.iter().for_each(|v| collect_names(v, out)),
        Expr::Subscript(s) => {
            collect_names(&s.value, out);
            collect_names(&s.slice, out);
        }
        Expr::Attribute(a) => {
            if let Some(name) = dotted(e) {
                out.insert(name);
            }
            collect_names(&a.value, out);
        }
        _ => {}
    }
}

/// `self.size` as one name: an attribute of a variable is tested and updated like a variable
/// (`Walker::lookup` resolves it).
pub fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(n) => Some(format!("{}.{}", n.id, a.attr)),
            _ => None,
        },
        _ => None,
    }
}

/// Names assigned in a block, optionally descending into nested loops.
pub fn collect_assigned(body: &[Stmt], out: &mut Vec<String>, into_loops: bool) {
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| target_names(t, out)),
            Stmt::AnnAssign(s) => target_names(&s.target, out),
            Stmt::If(s) => {
                collect_assigned(&s.body, out, into_loops);
                for c in &s.elif_else_clauses {
                    collect_assigned(&c.body, out, into_loops);
                }
            }
            Stmt::For(s) => {
                target_names(&s.target, out);
                if into_loops {
                    collect_assigned(&s.body, out, into_loops);
                }
            }
            Stmt::While(s) if into_loops => collect_assigned(&s.body, out, into_loops),
            Stmt::With(s) => collect_assigned(&s.body, out, into_loops),
            Stmt::Try(s) => collect_assigned(&s.body, out, into_loops),
            _ => {}
        }
    }
}

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
                matches!(super::scan::grown_container(c),
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

pub fn target_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::Attribute(_) => out.extend(dotted(e)),
        _ => {}
    }
}

/// `x = value` assignments of a single name at the top of a block (and in its `if`s): what a
/// name stands for when it is used once later (`p = (i - 1) // 2; …; i = p`). A name assigned
/// twice keeps its first value.
pub fn simple_assignments(body: &[Stmt]) -> std::collections::HashMap<String, &Expr> {
    let mut out = std::collections::HashMap::new();
    fn scan<'e>(body: &'e [Stmt], out: &mut std::collections::HashMap<String, &'e Expr>) {
        for stmt in body {
            match stmt {
                Stmt::Assign(s) => {
                    if let [Expr::Name(n)] = s.targets.as_slice() {
                        out.entry(n.id.to_string()).or_insert(s.value.as_ref());
                    }
                }
                Stmt::If(s) => {
                    scan(&s.body, out);
                    for c in &s.elif_else_clauses {
                        scan(&c.body, out);
                    }
                }
                _ => {}
            }
        }
    }
    scan(body, &mut out);
    out
}

pub fn collect_updates(body: &[Stmt], out: &mut Vec<(String, Update)>) {
    let start = out.len();
    let locals = simple_assignments(body);
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
                            out.push((n.id.to_string(), classify_assign(n.id.as_str(), value)));
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
                collect_updates(&s.body, out);
                for c in &s.elif_else_clauses {
                    collect_updates(&c.body, out);
                }
            }
            Stmt::Try(s) => collect_updates(&s.body, out),
            Stmt::With(s) => collect_updates(&s.body, out),
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
fn offsets(name: &str, e: &Expr) -> bool {
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
fn modular_updates(body: &[Stmt]) -> HashMap<String, Update> {
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
    super::scan::any_in(std::slice::from_ref(test), |e| {
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
        let (Some(Expr::Name(n)), [value]) =
            (super::scan::grown_container(c), c.arguments.args.as_ref())
        else {
            return false;
        };
        lists.contains(n.id.as_str()) && scales_last(value, n.id.as_str())
    };
    !lists.is_empty() && body.iter().any(appends_scaled)
}

fn is_minus_one(e: &Expr) -> bool {
    matches!(e, Expr::UnaryOp(u) if u.op == UnaryOp::USub
        && matches!(u.operand.as_ref(), Expr::NumberLiteral(n) if n.value.as_int().and_then(|i| i.as_u64()) == Some(1)))
}

/// `xs[-1] * 4`, `2 * xs[-1] + 1`, `xs[-1] << 1`: a multiple of the last element of `name`.
fn scales_last(value: &Expr, name: &str) -> bool {
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
            && (super::exprs::is_small_constant(&b.left) || super::exprs::is_small_constant(&b.right)))
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
fn adds_constant(e: &Expr) -> bool {
    matches!(e, Expr::BinOp(b) if b.op == Operator::Add && is_constant_expr(&b.right))
}

/// `i & -i`: a Fenwick tree step, one bit per iteration.
pub fn lowest_bit(e: &Expr) -> bool {
    matches!(e, Expr::BinOp(b) if b.op == Operator::BitAnd)
}

/// `10**i`, `pow(10, i)`, `1 << i` with a variable exponent.
pub fn grows_exponentially(e: &Expr) -> bool {
    match e {
        Expr::BinOp(b) => {
            (matches!(b.op, Operator::Pow | Operator::LShift) && !is_constant_expr(&b.right))
                || grows_exponentially(&b.left)
                || grows_exponentially(&b.right)
        }
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "pow")
                && c.arguments.args.len() == 2
                && !is_constant_expr(&c.arguments.args[1])
        }
        Expr::UnaryOp(u) => grows_exponentially(&u.operand),
        _ => false,
    }
}

pub fn raises_to_variable(test: &Expr) -> bool {
    match test {
        Expr::Compare(c) => {
            grows_exponentially(&c.left) || c.comparators.iter().any(grows_exponentially)
        }
        Expr::BoolOp(b) => b.values.iter().any(raises_to_variable),
        _ => false,
    }
}

/// Whether `name` appears as a shift amount or exponent somewhere in the block.
pub fn uses_as_exponent(body: &[Stmt], name: &str) -> bool {
    use super::scan::{Defs, any_expr};
    any_expr(body, Defs::Enter, |e| is_exponent_use(e, name))
}

/// `x ** name`, `x << name`, `x >> name` or `pow(x, name)`: `name` is a number of bits or digits.
pub fn is_exponent_use(e: &Expr, name: &str) -> bool {
    let exponent = match e {
        Expr::BinOp(b) if matches!(b.op, Operator::Pow | Operator::LShift | Operator::RShift) => {
            b.right.as_ref()
        }
        // A modular `pow(x, i, m)` is a number of any size, not a walk over bits.
        Expr::Call(c)
            if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "pow")
                && c.arguments.args.len() == 2 =>
        {
            &c.arguments.args[1]
        }
        _ => return false,
    };
    let mut names = HashSet::new();
    collect_names(exponent, &mut names);
    names.contains(name)
}

/// Whether one of `params` is used as a bitmask in the block: combined with a shifted bit
/// (`mask | 1 << i`, `mask & (1 << j)`) or shifted by a variable (`mask >> i & 1`).
pub fn uses_as_bitmask(body: &[Stmt], params: &HashSet<String>) -> bool {
    use super::scan::{Defs, any_expr};
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if params.contains(n.id.as_str()));
    any_expr(body, Defs::Enter, |e| {
        let Expr::BinOp(b) = e else { return false };
        let with_bit = matches!(b.op, Operator::BitOr | Operator::BitAnd | Operator::BitXor)
            && ((is_param(&b.left) && grows_exponentially(&b.right))
                || (is_param(&b.right) && grows_exponentially(&b.left)));
        let shifted = b.op == Operator::RShift && is_param(&b.left) && !is_constant_expr(&b.right);
        with_bit || shifted
    })
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
fn additive_terms<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinOp(b) if b.op == Operator::Add => {
            additive_terms(&b.left, out);
            additive_terms(&b.right, out);
        }
        _ => out.push(e),
    }
}

pub fn all_assigned(body: &[Stmt]) -> HashSet<String> {
    let mut names = Vec::new();
    collect_assigned(body, &mut names, false);
    names.into_iter().collect()
}

/// The test reads `seen[x]` and the body assigns `seen[…]`. A store that copies an element
/// of the same table (`a[j + 1] = a[j]`, insertion sort's shift) moves elements rather than
/// marking them: the shifted entries are tested again.
pub fn marks_tested(body: &[Stmt], test: &Expr) -> bool {
    let mut tables = HashSet::new();
    subscripted_names(test, &mut tables);
    !tables.is_empty()
        && body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => a.targets.iter().any(|t| {
                matches!(t, Expr::Subscript(s) if matches!(s.value.as_ref(), Expr::Name(n)
                    if tables.contains(n.id.as_str()) && !reads_element_of(&a.value, n.id.as_str())))
            }),
            _ => false,
        })
}

/// Whether `e` reads an element of the sequence `name` (`name[…]`).
fn reads_element_of(e: &Expr, name: &str) -> bool {
    super::scan::any_in(
        std::slice::from_ref(e),
        |x| matches!(x, Expr::Subscript(s) if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)),
    )
}

pub fn subscripted_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Subscript(s) => {
            if let Expr::Name(n) = s.value.as_ref() {
                out.insert(n.id.to_string());
            }
        }
        Expr::Compare(c) => {
            subscripted_names(&c.left, out);
            c.comparators.iter().for_each(|x| subscripted_names(x, out));
        }
        Expr::UnaryOp(u) => subscripted_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|x| subscripted_names(x, out)),
        _ => {}
    }
}

/// The argument of a rounding call (`int(x)`, `math.floor(x)`, `ceil(x)`), which keeps the
/// magnitude of `x`; any other expression is returned as it is.
pub fn unrounded(e: &Expr) -> &Expr {
    match e {
        Expr::Call(c)
            if c.arguments.args.len() == 1
                && matches!(
                    super::builtins::callee_name(c).as_str(),
                    "int" | "floor" | "ceil" | "trunc" | "round"
                ) =>
        {
            unrounded(&c.arguments.args[0])
        }
        _ => e,
    }
}

fn halves(op: Operator) -> bool {
    matches!(op, Operator::FloorDiv | Operator::RShift | Operator::Div)
}

/// A midpoint of two names: `(lo + hi) // 2`, `lo + (hi - lo) // 2`, `int((l + r) / 2)`.
fn midpoint(e: &Expr) -> Option<HashSet<String>> {
    let Expr::BinOp(b) = unrounded(e) else {
        return None;
    };
    let mut names = HashSet::new();
    if halves(b.op) {
        collect_names(&b.left, &mut names);
    } else if matches!(b.op, Operator::Add | Operator::Sub)
        && [&b.left, &b.right]
            .iter()
            .any(|side| matches!(unrounded(side), Expr::BinOp(h) if halves(h.op)))
    {
        collect_names(unrounded(e), &mut names);
    }
    (names.len() >= 2).then_some(names)
}

/// `mid = (lo + hi) // 2` (or another midpoint) in the body, with `lo`/`hi` in the test.
pub fn bisects(body: &[Stmt], tested: &HashSet<String>) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(s) => {
            midpoint(&s.value).is_some_and(|names| names.iter().any(|n| tested.contains(n)))
        }
        Stmt::If(s) => {
            bisects(&s.body, tested) || s.elif_else_clauses.iter().any(|c| bisects(&c.body, tested))
        }
        _ => false,
    })
}

/// `i * i <= n`, `i ** 2 < n`, and the same inside `and`/`or`.
pub fn compares_square(test: &Expr) -> bool {
    match test {
        Expr::Compare(c) => {
            let square = |e: &Expr| match e {
                Expr::BinOp(b) if b.op == Operator::Mult => {
                    matches!((b.left.as_ref(), b.right.as_ref()), (Expr::Name(l), Expr::Name(r)) if l.id == r.id)
                }
                Expr::BinOp(b) if b.op == Operator::Pow => {
                    matches!(b.right.as_ref(), Expr::NumberLiteral(_))
                }
                _ => false,
            };
            c.ops
                .iter()
                .all(|op| matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE))
                && (square(&c.left) || c.comparators.iter().any(square))
        }
        Expr::BoolOp(b) if b.op == BoolOp::And => b.values.iter().any(compares_square),
        _ => false,
    }
}

/// Conditions of the `if`s in a loop body (outside nested loops) whose branch leaves the loop
/// (`if x > k: break`).
pub fn exit_conditions<'e>(body: &'e [Stmt], out: &mut Vec<&'e Expr>) {
    for stmt in body {
        if let Stmt::If(i) = stmt {
            if exits_at_once(&i.body) {
                out.push(&i.test);
            }
            exit_conditions(&i.body, out);
            for clause in &i.elif_else_clauses {
                if let Some(test) = &clause.test
                    && exits_at_once(&clause.body)
                {
                    out.push(test);
                }
                exit_conditions(&clause.body, out);
            }
        }
    }
}

/// A variable multiplied unconditionally on every pass (`x *= 2` at the top of the body) and
/// compared in a condition that leaves the loop: the loop ends after log(bound) passes.
pub fn exits_on_geometric_growth(body: &[Stmt]) -> bool {
    let mut updates = Vec::new();
    let top_level: Vec<Stmt> = body
        .iter()
        .filter(|s| matches!(s, Stmt::Assign(_) | Stmt::AugAssign(_)))
        .cloned()
        .collect();
    collect_updates(&top_level, &mut updates);
    let mut conditions = Vec::new();
    exit_conditions(body, &mut conditions);
    updates
        .iter()
        .filter(|(_, kind)| matches!(kind, Update::Geometric))
        .any(|(name, _)| {
            conditions.iter().any(|c| {
                let mut names = HashSet::new();
                collect_names(c, &mut names);
                names.contains(name) && is_ordering(c)
            })
        })
}

/// `a < b`, `a >= b`, `a <= b < c`: a comparison that a growing value eventually settles.
fn is_ordering(e: &Expr) -> bool {
    match e {
        Expr::Compare(c) => c
            .ops
            .iter()
            .any(|op| matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE)),
        Expr::BoolOp(b) => b.values.iter().any(is_ordering),
        Expr::UnaryOp(u) => is_ordering(&u.operand),
        _ => false,
    }
}

/// Names a condition caps by a small literal when it holds (`x <= 60`, `x < 32 and …`) or, with
/// `when_false`, when it fails (`if x > 31: continue` leaves `x <= 31` behind).
pub fn capped_names(test: &Expr, when_false: bool, out: &mut Vec<String>) {
    match test {
        Expr::Compare(c) if c.ops.len() == 1 => {
            let (op, right) = (c.ops[0], &c.comparators[0]);
            let below = match (when_false, op) {
                (false, CmpOp::Lt | CmpOp::LtE) | (true, CmpOp::Gt | CmpOp::GtE) => true,
                (false, CmpOp::Gt | CmpOp::GtE) | (true, CmpOp::Lt | CmpOp::LtE) => false,
                _ => return,
            };
            // `x <= 60` caps x; `60 >= x` is the same read from the right.
            let (name, bound): (&Expr, &Expr) = if below {
                (&c.left, right)
            } else {
                (right, &c.left)
            };
            if let Expr::Name(n) = name
                && super::exprs::is_small_constant(bound)
            {
                out.push(n.id.to_string());
            }
        }
        // Each part of `a and b` holds when it holds; each part of `a or b` fails when it fails.
        Expr::BoolOp(b) if (b.op == BoolOp::And) != when_false => {
            b.values
                .iter()
                .for_each(|v| capped_names(v, when_false, out));
        }
        _ => {}
    }
}
