//! Loops that enumerate: a mixed-radix counter (Heap's algorithm), and ranges narrowed around
//! a random pivot (quickselect, quicksort with its second call turned into a loop).

use std::collections::HashSet;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{Expr, Operator, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::static_analysis::syntax::patterns::collect_names;

/// `while i < n: if c[i] < i: …; c[i] += 1; i = 0 else: c[i] = 0; i += 1` — an odometer over
/// the digits `c`: the loop runs once per value of the whole counter. `Some(true)` when each
/// digit counts up to its own position (radices 1, 2, …, n: n! values, Heap's algorithm),
/// `Some(false)` for a radix that does not depend on the position (k^n values).
pub fn odometer(body: &[Stmt], tested: &HashSet<String>) -> Option<bool> {
    body.iter().find_map(|stmt| {
        let Stmt::If(s) = stmt else { return None };
        let Expr::Compare(c) = s.test.as_ref() else {
            return None;
        };
        let Expr::Subscript(digit) = c.left.as_ref() else {
            return None;
        };
        let Expr::Name(index) = digit.slice.as_ref() else {
            return None;
        };
        let i = index.id.as_str();
        if !tested.contains(i) || c.comparators.len() != 1 {
            return None;
        }
        let counts_digit = s.body.iter().any(|st| {
            matches!(st, Stmt::AugAssign(a) if a.op == Operator::Add
                && ComparableExpr::from(a.target.as_ref()) == ComparableExpr::from(c.left.as_ref()))
        });
        let restarts = s.body.iter().any(|st| {
            matches!(st, Stmt::Assign(a) if matches!(a.targets.as_slice(), [Expr::Name(t)] if t.id.as_str() == i)
                && matches!(a.value.as_ref(), Expr::NumberLiteral(_)))
        });
        let advances = s.elif_else_clauses.iter().any(|clause| {
            clause.body.iter().any(|st| {
                matches!(st, Stmt::AugAssign(a) if a.op == Operator::Add
                    && matches!(a.target.as_ref(), Expr::Name(t) if t.id.as_str() == i))
            })
        });
        let mut radix = HashSet::new();
        collect_names(&c.comparators[0], &mut radix);
        (counts_digit && restarts && advances).then(|| radix.contains(i))
    })
}

/// Calls that pick a random element or order.
pub const RANDOM_PICKS: &[&str] = &["randint", "randrange", "choice", "shuffle"];

/// The body picks a random pivot (`random.randint`, `randrange`, `choice`, `shuffle`) and moves
/// one end of the tested range just past a point it computed (`lo = store + 1`, `hi = p - 1`):
/// each pass discards the part on one side of a random pivot, a constant fraction in
/// expectation. In `while True:` any name the body assigns may be an end.
/// `picks` says whether a user function picks a random pivot itself (a `partition` helper):
/// calling one counts as picking it here.
pub fn narrows_around_random_pivot(
    body: &[Stmt],
    tested: &HashSet<String>,
    picks: &dyn Fn(&str) -> bool,
) -> bool {
    if !moves_end_past_point(body, tested) {
        return false;
    }
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            crate::static_analysis::syntax::scan::callee(e)
                .is_some_and(|f| RANDOM_PICKS.contains(&f) || picks(f))
        },
    )
}

fn moves_end_past_point(body: &[Stmt], tested: &HashSet<String>) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => {
            matches!(a.targets.as_slice(), [Expr::Name(t)] if tested.contains(t.id.as_str()))
                && matches!(a.value.as_ref(), Expr::BinOp(b)
                    if matches!(b.op, Operator::Add | Operator::Sub)
                        && matches!((b.left.as_ref(), &a.targets[0]), (Expr::Name(p), Expr::Name(t)) if p.id != t.id)
                        && matches!(b.right.as_ref(), Expr::NumberLiteral(_)))
        }
        Stmt::If(s) => {
            moves_end_past_point(&s.body, tested)
                || s.elif_else_clauses
                    .iter()
                    .any(|c| moves_end_past_point(&c.body, tested))
        }
        _ => false,
    })
}

/// Whether the expression starting at `at` sits in a `while` loop of `body` that narrows its
/// range around a random pivot: a recursive call there handles one side while the loop goes
/// on with the other (quicksort with its second call turned into a loop).
pub fn in_random_pivot_loop(body: &[Stmt], at: TextSize, picks: &dyn Fn(&str) -> bool) -> bool {
    body.iter().any(|stmt| {
        if !stmt.range().contains(at) {
            return false;
        }
        match stmt {
            Stmt::While(w) => {
                let mut ends = HashSet::new();
                collect_names(&w.test, &mut ends);
                if crate::static_analysis::syntax::exits::is_truthy_loop(&w.test) {
                    ends = crate::static_analysis::syntax::patterns::all_assigned(&w.body);
                }
                narrows_around_random_pivot(&w.body, &ends, picks)
                    || in_random_pivot_loop(&w.body, at, picks)
            }
            Stmt::If(s) => {
                in_random_pivot_loop(&s.body, at, picks)
                    || s.elif_else_clauses
                        .iter()
                        .any(|c| in_random_pivot_loop(&c.body, at, picks))
            }
            Stmt::For(s) => in_random_pivot_loop(&s.body, at, picks),
            Stmt::With(s) => in_random_pivot_loop(&s.body, at, picks),
            Stmt::Try(s) => in_random_pivot_loop(&s.body, at, picks),
            _ => false,
        }
    })
}

/// A `for` loop of `body` over `range(a, b)` (or `range(a, b + 1)`) whose bounds are both in
/// `ends`.
pub fn walks_range_between(body: &[Stmt], ends: &HashSet<String>) -> bool {
    let end = |e: &Expr| {
        let e = match e {
            Expr::BinOp(b) if matches!(b.right.as_ref(), Expr::NumberLiteral(_)) => &b.left,
            _ => e,
        };
        matches!(e, Expr::Name(n) if ends.contains(n.id.as_str()))
    };
    body.iter().any(|stmt| {
        let Stmt::For(f) = stmt else { return false };
        let Expr::Call(c) = f.iter.as_ref() else {
            return false;
        };
        matches!(c.func.as_ref(), Expr::Name(r) if r.id.as_str() == "range")
            && matches!(&*c.arguments.args, [a, b] if end(a) && end(b))
    })
}

/// `while i < n: if a[i - 1] <= a[i]: i += 1 else: a[i - 1], a[i] = a[i], a[i - 1]; i -= 1`
/// (gnome sort): a tested variable that one branch steps forward and another steps back
/// right after swapping two entries of a table it indexes.
pub fn steps_back_swapping(body: &[Stmt], tested: &HashSet<String>) -> bool {
    let step = |b: &[Stmt], op: Operator, name: &str| {
        b.iter().any(|st| {
            matches!(st, Stmt::AugAssign(a) if a.op == op
                && matches!(a.target.as_ref(), Expr::Name(t) if t.id.as_str() == name)
                && matches!(a.value.as_ref(), Expr::NumberLiteral(_)))
        })
    };
    let swaps = |b: &[Stmt], name: &str| {
        b.iter().any(|st| {
            let Stmt::Assign(a) = st else { return false };
            let (Some(Expr::Tuple(t)), Expr::Tuple(v)) = (a.targets.first(), a.value.as_ref())
            else {
                return false;
            };
            let indexed = |e: &Expr| {
                let Expr::Subscript(s) = e else { return false };
                let mut names = HashSet::new();
                collect_names(&s.slice, &mut names);
                names.contains(name)
            };
            t.elts.len() == 2 && t.elts.iter().all(indexed) && v.elts.iter().all(indexed)
        })
    };
    body.iter().any(|stmt| {
        let Stmt::If(s) = stmt else { return false };
        let branches: Vec<&[Stmt]> = std::iter::once(s.body.as_slice())
            .chain(s.elif_else_clauses.iter().map(|c| c.body.as_slice()))
            .collect();
        tested.iter().any(|name| {
            branches.iter().any(|b| step(b, Operator::Add, name))
                && branches
                    .iter()
                    .any(|b| step(b, Operator::Sub, name) && swaps(b, name))
        })
    })
}

/// A worklist of grid cells: the body pops a pair (`r, c = stack.pop()`) and pushes the
/// neighbouring coordinates written out (`(r + 1, c)`, `(r, c - 1)`). (A push of `(nr, nc)`
/// from a loop over directions is left to the general worklist rule.)
pub fn walks_grid_cells(body: &[Stmt]) -> bool {
    let mut popped: Option<(String, String)> = None;
    each_stmt(body, &mut |stmt| {
        let Stmt::Assign(a) = stmt else { return };
        let [Expr::Tuple(t)] = a.targets.as_slice() else {
            return;
        };
        if let [Expr::Name(r), Expr::Name(c)] = &t.elts[..]
            && matches!(
                crate::static_analysis::syntax::scan::callee(&a.value),
                Some("pop" | "popleft")
            )
        {
            popped.get_or_insert((r.id.to_string(), c.id.to_string()));
        }
    });
    let Some((r, c)) = popped else { return false };
    let near = |e: &Expr, axis: &str| match e {
        Expr::Name(n) => n.id.as_str() == axis,
        Expr::BinOp(b) => {
            matches!(b.op, Operator::Add | Operator::Sub)
                && matches!(b.left.as_ref(), Expr::Name(n) if n.id.as_str() == axis)
                && matches!(b.right.as_ref(), Expr::NumberLiteral(_))
        }
        _ => false,
    };
    let cell = |e: &Expr| matches!(e, Expr::Tuple(t) if t.elts.len() == 2 && near(&t.elts[0], &r) && near(&t.elts[1], &c));
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            let Expr::Call(call) = e else { return false };
            crate::static_analysis::syntax::scan::grown_container(call).is_some()
                && call.arguments.args.iter().any(|arg| match arg {
                    Expr::List(l) => !l.elts.is_empty() && l.elts.iter().all(cell),
                    arg => cell(arg),
                })
        },
    )
}

/// Calls `f` on every statement of `body` and of the blocks nested in it (not in functions).
fn each_stmt<'s>(body: &'s [Stmt], f: &mut impl FnMut(&'s Stmt)) {
    for stmt in body {
        f(stmt);
        match stmt {
            Stmt::If(s) => {
                each_stmt(&s.body, f);
                for c in &s.elif_else_clauses {
                    each_stmt(&c.body, f);
                }
            }
            Stmt::For(s) => each_stmt(&s.body, f),
            Stmt::While(s) => each_stmt(&s.body, f),
            Stmt::With(s) => each_stmt(&s.body, f),
            Stmt::Try(s) => each_stmt(&s.body, f),
            _ => {}
        }
    }
}

/// `for x in sorted(counts): out.extend([x] * counts[x])` (also `out += [x] * counts[x]`, over
/// `counts` itself, `counts.keys()`, or a local holding `sorted(counts, …)`): each distinct
/// key of a table of counts is written out as many times as it was counted. `locals` are the
/// function's simple assignments.
pub fn writes_out_counts(
    target: &Expr,
    iter: &Expr,
    body: &[Stmt],
    locals: &std::collections::HashMap<String, &Expr>,
) -> bool {
    let Expr::Name(x) = target else { return false };
    let keys_of = |e: &Expr| -> Option<String> {
        let e = match e {
            Expr::Name(n) => match locals.get(n.id.as_str()) {
                Some(v @ Expr::Call(_)) => *v,
                _ => e,
            },
            _ => e,
        };
        match e {
            Expr::Name(n) => Some(n.id.to_string()),
            Expr::Call(c) => match (c.func.as_ref(), c.arguments.args.first()) {
                (Expr::Name(f), Some(Expr::Name(n))) if f.id.as_str() == "sorted" => {
                    Some(n.id.to_string())
                }
                (Expr::Attribute(a), None) if a.attr.as_str() == "keys" => match a.value.as_ref() {
                    Expr::Name(n) => Some(n.id.to_string()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    };
    let Some(table) = keys_of(iter) else {
        return false;
    };
    // `[x] * table[x]`
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            matches!(e, Expr::BinOp(b) if b.op == Operator::Mult
                && matches!(b.left.as_ref(), Expr::List(l) if matches!(&l.elts[..], [Expr::Name(v)] if v.id == x.id))
                && matches!(b.right.as_ref(), Expr::Subscript(s)
                    if matches!(s.value.as_ref(), Expr::Name(t) if t.id.as_str() == table)
                        && matches!(s.slice.as_ref(), Expr::Name(v) if v.id == x.id)))
        },
    )
}

/// Whether the block repeats a one-element list by a table entry (`[x] * t[x]`).
pub fn repeats_by_count(body: &[Stmt]) -> bool {
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            matches!(e, Expr::BinOp(b) if b.op == Operator::Mult
                && matches!(b.left.as_ref(), Expr::List(l) if l.elts.len() == 1)
                && matches!(b.right.as_ref(), Expr::Subscript(_)))
        },
    )
}

/// The number a statement divides down, in place: `n //= d`, `n /= d`, `n >>= k`, or the
/// same written out, `n = n // d`, `n = n >> k`, `n, r = divmod(n, d)`.
pub fn divided_name(stmt: &Stmt) -> Option<&str> {
    let dividing =
        |op: Operator| matches!(op, Operator::FloorDiv | Operator::Div | Operator::RShift);
    match stmt {
        Stmt::AugAssign(a) if dividing(a.op) => match a.target.as_ref() {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        },
        Stmt::Assign(s) => match (s.targets.as_slice(), s.value.as_ref()) {
            ([Expr::Name(n)], Expr::BinOp(b))
                if dividing(b.op) && matches!(b.left.as_ref(), Expr::Name(l) if l.id == n.id) =>
            {
                Some(n.id.as_str())
            }
            ([Expr::Tuple(t)], Expr::Call(c)) if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "divmod") => {
                match (t.elts.first(), c.arguments.args.first()) {
                    (Some(Expr::Name(q)), Some(Expr::Name(x))) if q.id == x.id => {
                        Some(q.id.as_str())
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether every addition to `name` in `body` (`factors.append(d)`) sits in a nested `while`
/// that divides down a number it tests (`while n % d == 0: …; n //= d`) which `body` never
/// reassigns: such a loop runs log n times over all passes of `body`, and so do the additions.
pub fn adds_only_while_dividing(body: &[Stmt], name: &str) -> bool {
    let mut reassigned = Vec::new();
    crate::static_analysis::syntax::names::collect_assigned(body, &mut reassigned, false);
    let mut inside = 0;
    let mut outside = 0;
    count_additions(body, name, &reassigned, false, &mut inside, &mut outside);
    inside > 0 && outside == 0
}

fn count_additions(
    body: &[Stmt],
    name: &str,
    reassigned: &[String],
    dividing: bool,
    inside: &mut u32,
    outside: &mut u32,
) {
    for stmt in body {
        match stmt {
            Stmt::While(w) => {
                let mut tested = HashSet::new();
                collect_names(&w.test, &mut tested);
                let divides = w
                    .body
                    .iter()
                    .filter_map(divided_name)
                    .any(|n| tested.contains(n) && !reassigned.iter().any(|r| r == n));
                count_additions(
                    &w.body,
                    name,
                    reassigned,
                    dividing || divides,
                    inside,
                    outside,
                );
            }
            Stmt::For(f) => count_additions(&f.body, name, reassigned, dividing, inside, outside),
            Stmt::If(s) => {
                count_additions(&s.body, name, reassigned, dividing, inside, outside);
                for c in &s.elif_else_clauses {
                    count_additions(&c.body, name, reassigned, dividing, inside, outside);
                }
            }
            Stmt::Expr(e) => {
                if let Expr::Call(c) = e.value.as_ref()
                    && matches!(crate::static_analysis::syntax::scan::grown_container(c),
                        Some(Expr::Name(n)) if n.id.as_str() == name)
                {
                    if dividing {
                        *inside += 1;
                    } else {
                        *outside += 1;
                    }
                }
            }
            _ => {}
        }
    }
}
