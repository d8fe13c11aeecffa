//! Shapes of recursive functions: what a function returns, swaps or skips around its own calls.

use std::collections::HashSet;

use ruff_python_ast::{CmpOp, Expr, Stmt, StmtFunctionDef};

/// A parameter called `graph`, `adj` or `tree` holds adjacency lists: its rows add up to the
/// number of edges, so walking the row of each visited node is amortised.
pub fn names_a_graph(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "graph"
            | "g"
            | "adj"
            | "adj_list"
            | "adjlist"
            | "adjacency"
            | "tree"
            | "children"
            | "neighbors"
            | "neighbours"
    )
}

/// `k in name` (or `not in`) somewhere in the block.
pub fn tests_membership(body: &[Stmt], name: &str) -> bool {
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| match e {
            Expr::Compare(c) => c.ops.iter().zip(c.comparators.iter()).any(|(op, r)| {
                matches!(op, CmpOp::In | CmpOp::NotIn)
                    && matches!(r, Expr::Name(n) if n.id.as_str() == name)
            }),
            _ => false,
        },
    )
}

/// `p.add(x)`: only sets have `add`, so membership in `p` hashes.
pub fn adds_to(body: &[Stmt], name: &str) -> bool {
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| match e {
            Expr::Call(c) => matches!(c.func.as_ref(), Expr::Attribute(a)
            if a.attr.as_str() == "add"
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)),
            _ => false,
        },
    )
}

/// Whether the function returns two or more copies of its own recursive result (`prev =
/// gray(n - 1)`; `return ['0' + s for s in prev] + ['1' + s for s in prev[::-1]]`): the result
/// doubles on every level of the recursion.
pub fn returns_doubled(def: &StmtFunctionDef) -> bool {
    fn returned<'e>(body: &'e [Stmt], out: &mut Vec<&'e Expr>) {
        for stmt in body {
            match stmt {
                Stmt::Return(r) => out.extend(r.value.as_deref()),
                Stmt::If(i) => {
                    returned(&i.body, out);
                    i.elif_else_clauses
                        .iter()
                        .for_each(|c| returned(&c.body, out));
                }
                _ => {}
            }
        }
    }
    fn terms<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
        match e {
            Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add => {
                terms(&b.left, out);
                terms(&b.right, out);
            }
            _ => out.push(e),
        }
    }
    let locals = crate::static_analysis::syntax::patterns::simple_assignments(&def.body);
    let own_call =
        |v: &Expr| crate::static_analysis::syntax::scan::callee(v) == Some(def.name.as_str());
    let mut results: Vec<&str> = locals
        .iter()
        .filter(|(_, v)| own_call(v))
        .map(|(k, _)| k.as_str())
        .collect();
    // `first, rest = a[0], subsets(a[1:])`.
    for stmt in &def.body {
        if let Stmt::Assign(a) = stmt
            && let ([Expr::Tuple(t)], Expr::Tuple(v)) = (a.targets.as_slice(), a.value.as_ref())
        {
            for (target, value) in t.elts.iter().zip(&v.elts) {
                if let Expr::Name(n) = target
                    && own_call(value)
                {
                    results.push(n.id.as_str());
                }
            }
        }
    }
    // A copy of a result: the result itself, or a comprehension over it (reversed or not).
    let copies = |t: &Expr| {
        let generators = match t {
            Expr::Name(n) => return results.contains(&n.id.as_str()),
            Expr::ListComp(c) => &c.generators,
            _ => return false,
        };
        generators.iter().any(|g| {
            let mut names = HashSet::new();
            crate::static_analysis::syntax::patterns::collect_names(&g.iter, &mut names);
            results.iter().any(|r| names.contains(*r))
        })
    };
    let mut values = Vec::new();
    returned(&def.body, &mut values);
    values.iter().any(|v| {
        let v = match v {
            Expr::Name(n) => locals.get(n.id.as_str()).copied().unwrap_or(v),
            _ => v,
        };
        let mut parts = Vec::new();
        terms(v, &mut parts);
        parts.iter().filter(|t| copies(t)).count() >= 2
    })
}

/// Whether the function adds to a container it neither creates nor receives (`res.append(cur)`
/// into an enclosing or global list), or receives and passes on to its own calls without ever
/// popping from it (an accumulator, not a path): one element per call that gets there.
pub fn collects_outside(def: &StmtFunctionDef) -> bool {
    let mut own = Vec::new();
    crate::static_analysis::syntax::patterns::collect_assigned(&def.body, &mut own, true);
    let passed_on = |name: &str| {
        crate::static_analysis::syntax::scan::any_expr(
            &def.body,
            crate::static_analysis::syntax::scan::Defs::Skip,
            |e| {
                matches!(e, Expr::Call(c) if crate::static_analysis::syntax::scan::callee(e) == Some(def.name.as_str())
                && c.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == name)))
            },
        ) && !crate::static_analysis::syntax::scan::pops_from(
            &def.body,
            &HashSet::from([name.to_owned()]),
        )
    };
    // `def hanoi(n, …, moves=None)` with `if moves is None: moves = []`: the list is created
    // by the outermost call only, and the recursive calls receive it: still an accumulator.
    let created_once: Vec<String> = def
        .parameters
        .iter_non_variadic_params()
        .filter(|p| p.default.as_deref().is_some_and(Expr::is_none_literal_expr))
        .map(|p| p.parameter.name.to_string())
        .filter(|p| passed_on(p))
        .collect();
    own.retain(|name| !created_once.contains(name));
    own.extend(
        def.parameters
            .iter_non_variadic_params()
            .map(|p| p.parameter.name.to_string())
            .filter(|p| !passed_on(p)),
    );
    // A container it also takes from (`cols.add(c)` … `cols.remove(c)`) holds a path, not
    // the leaves.
    let taken_from = |name: &str| {
        crate::static_analysis::syntax::scan::pops_from(
            &def.body,
            &HashSet::from([name.to_owned()]),
        )
    };
    crate::static_analysis::syntax::scan::any_expr(
        &def.body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            matches!(e, Expr::Call(c) if matches!(crate::static_analysis::syntax::scan::grown_container(c),
            Some(Expr::Name(n)) if !own.iter().any(|o| o == n.id.as_str()) && !taken_from(n.id.as_str())))
        },
    )
}

/// Whether a loop in the function swaps two entries of a sequence (`a[k], a[i] = a[i], a[k]`)
/// and calls the function itself: every entry is moved into place in turn, permutations.
pub fn swaps_around_call(body: &[Stmt], function: &str) -> bool {
    let swaps = |s: &Stmt| {
        let Stmt::Assign(a) = s else { return false };
        let base = |e: &Expr| match e {
            Expr::Subscript(x) => match x.value.as_ref() {
                Expr::Name(n) => Some(n.id.to_string()),
                _ => None,
            },
            _ => None,
        };
        let pair = |e: &Expr| match e {
            Expr::Tuple(t) if t.elts.len() == 2 => {
                base(&t.elts[0]).filter(|b| base(&t.elts[1]).as_ref() == Some(b))
            }
            _ => None,
        };
        matches!(a.targets.as_slice(), [t] if pair(t).is_some() && pair(t) == pair(&a.value))
    };
    body.iter().any(|s| match s {
        Stmt::For(f) => {
            (f.body.iter().any(swaps)
                && crate::static_analysis::syntax::scan::calls_any(&f.body, &[function]))
                || swaps_around_call(&f.body, function)
        }
        Stmt::If(i) => {
            swaps_around_call(&i.body, function)
                || i.elif_else_clauses
                    .iter()
                    .any(|c| swaps_around_call(&c.body, function))
        }
        _ => false,
    })
}

/// `for v in adj[u]: if v != p: dfs(v, u)`: a loop that recurses on every neighbour except the
/// one it came from (a parameter), passing its own node on as that parameter: a walk down a
/// tree, which enters each node once.
pub fn skips_parent(def: &StmtFunctionDef) -> bool {
    let params: Vec<&str> = def
        .parameters
        .iter_non_variadic_params()
        .map(|p| p.parameter.name.as_str())
        .collect();
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if params.contains(&n.id.as_str()));
    def.body.iter().any(|stmt| {
        let Stmt::For(f) = stmt else { return false };
        let Expr::Name(v) = f.target.as_ref() else {
            return false;
        };
        let is_v = |e: &Expr| matches!(e, Expr::Name(n) if n.id == v.id);
        let passes_on = |body: &[Stmt]| {
            crate::static_analysis::syntax::scan::any_expr(body, crate::static_analysis::syntax::scan::Defs::Skip, |e| {
                matches!(e, Expr::Call(c) if crate::static_analysis::syntax::scan::callee(e) == Some(def.name.as_str())
                    && c.arguments.args.iter().any(is_v)
                    && c.arguments.args.iter().any(is_param))
            })
        };
        // `if v != p: dfs(v, u)` or `if v == p: continue` … `dfs(v, u)`.
        f.body.iter().any(|s| {
            let Stmt::If(i) = s else { return false };
            let Expr::Compare(c) = i.test.as_ref() else {
                return false;
            };
            let against_parent = (is_v(&c.left) && is_param(&c.comparators[0]))
                || (is_param(&c.left) && is_v(&c.comparators[0]));
            match c.ops.as_ref() {
                [ruff_python_ast::CmpOp::NotEq] => against_parent && passes_on(&i.body),
                [ruff_python_ast::CmpOp::Eq] => {
                    against_parent
                        && matches!(i.body.as_slice(), [Stmt::Continue(_)])
                        && passes_on(&f.body)
                }
                _ => false,
            }
        })
    })
}
