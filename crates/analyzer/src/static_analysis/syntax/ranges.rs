//! Recursive range queries: a divide-and-conquer function that carries a query range through
//! its calls unchanged and stops at nodes outside or inside it (a segment tree's query or
//! range update) visits O(log n) nodes, not all of them.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::static_analysis::syntax::patterns::collect_names;
use crate::static_analysis::syntax::scan::{Defs, any_expr, callee};

/// Guards needed: one for a node outside the range, one for a node inside it.
const PRUNING_GUARDS: usize = 2;

/// Whether `def` recurses with some parameters passed through unchanged (or clamped with
/// `min`/`max`: the query range) and returns early, before recursing, in at least two guards
/// that test them.
pub fn prunes_to_a_range(def: &StmtFunctionDef, receiver: Option<&str>) -> bool {
    let params: Vec<&str> = def
        .parameters
        .iter_non_variadic_params()
        .map(|p| p.parameter.name.as_str())
        .filter(|p| Some(*p) != receiver)
        .collect();
    let sites = recursive_calls(&def.body, def.name.as_str());
    if sites.len() < 2 {
        return false;
    }
    let carried: HashSet<&str> = params
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            sites
                .iter()
                .all(|args| args.get(*i).is_some_and(|a| carries(a, p)))
        })
        .map(|(_, p)| *p)
        .collect();
    if carried.is_empty() {
        return false;
    }
    let guards = def
        .body
        .iter()
        .filter(|stmt| match stmt {
            Stmt::If(s) if matches!(s.body.last(), Some(Stmt::Return(_))) => {
                let mut names = HashSet::new();
                collect_names(&s.test, &mut names);
                names.iter().any(|n| carried.contains(n.as_str()))
            }
            _ => false,
        })
        .count();
    guards >= PRUNING_GUARDS
}

/// `ql` passed as `ql`, `min(qr, m)` or `max(ql, m + 1)`.
fn carries(arg: &Expr, param: &str) -> bool {
    match arg {
        Expr::Name(n) => n.id.as_str() == param,
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(f) if matches!(f.id.as_str(), "min" | "max"))
                && c.arguments.args.iter().any(|a| carries(a, param))
        }
        _ => false,
    }
}

/// The positional arguments of every call of `name` (or `self.name`) in the block.
fn recursive_calls<'a>(body: &'a [Stmt], name: &str) -> Vec<&'a [Expr]> {
    let mut sites = Vec::new();
    any_expr(body, Defs::Skip, |e| {
        if let Expr::Call(c) = e
            && callee(e) == Some(name)
        {
            sites.push(c.arguments.args.as_ref());
        }
        false
    });
    sites
}
