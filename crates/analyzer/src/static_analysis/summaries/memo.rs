//! Memoisation: whether a function remembers its results (a cache decorator or a table it
//! consults before recursing), and what its states are. Solving the recurrence is
//! `recursion`'s job.

use std::collections::HashSet;

use ruff_python_ast::{Expr, ExprCall, Operator, Stmt, StmtFunctionDef};

use crate::static_analysis::syntax::patterns::collect_names;
use crate::static_analysis::syntax::scan::{Defs, any_expr, callee};

/// How a function remembers its results.
pub enum Memo {
    /// `@cache`, `@lru_cache(...)`.
    Decorated,
    /// A table consulted before recursing, and its name when it is a plain variable.
    Table(Option<String>),
}

/// `@cache`, `@lru_cache(...)`, or a dictionary/list consulted before recursing and filled after.
pub fn memoisation(def: &StmtFunctionDef) -> Option<Memo> {
    let decorated = def.decorator_list.iter().any(|d| {
        let mut names = HashSet::new();
        match &d.expression {
            Expr::Call(c) => collect_names(&c.func, &mut names),
            e => collect_names(e, &mut names),
        }
        let attr = match &d.expression {
            Expr::Attribute(a) => Some(a.attr.to_string()),
            Expr::Call(c) => match c.func.as_ref() {
                Expr::Attribute(a) => Some(a.attr.to_string()),
                _ => None,
            },
            _ => None,
        };
        names
            .iter()
            .chain(attr.iter())
            .any(|n| n.contains("cache") || n.contains("memo"))
    });
    if decorated {
        return Some(Memo::Decorated);
    }
    consults_table(&def.body)
        .or_else(|| fills_table(&def.body))
        .map(Memo::Table)
}

/// `if memo[i][j] == -1: memo[i][j] = …` followed by `return memo[i][j]`: the entry is
/// computed only when the table does not have it yet.
fn fills_table(body: &[Stmt]) -> Option<Option<String>> {
    let Some(Stmt::Return(r)) = body.last() else {
        return None;
    };
    let Some(Expr::Subscript(entry)) = r.value.as_deref() else {
        return None;
    };
    let table = table_name(&entry.value)?;
    let stores = |stmts: &[Stmt]| {
        stmts.iter().any(|s| match s {
            Stmt::Assign(a) => a.targets.iter().any(|t| {
                matches!(t, Expr::Subscript(t) if table_name(&t.value).as_deref() == Some(table.as_str()))
            }),
            _ => false,
        })
    };
    // `if parent[x] != x: parent[x] = find(parent[x])` is union-find's path compression,
    // not a memo: the entry is a link, not a result.
    let filled = body.iter().any(|stmt| {
        matches!(stmt, Stmt::If(s) if looks_up_table(&s.test) && stores(&s.body)
            && crate::static_analysis::syntax::tables::root_test(&s.test).is_none())
    });
    filled.then_some(Some(table))
}

/// An `if` that tests membership in, or an entry of, a table and returns straight away: the
/// table's name, if it is a plain variable.
fn consults_table(body: &[Stmt]) -> Option<Option<String>> {
    // `if n in memo: return memo[n]` / `if dp[i] != -1: return dp[i]`, also as an `elif`
    // after a base case.
    let returns_entry = |test: &Expr, block: &[Stmt]| {
        if !looks_up_table(test) {
            return None;
        }
        block.iter().find_map(|b| match b {
            Stmt::Return(r) => match r.value.as_deref() {
                Some(Expr::Subscript(entry)) => Some(table_name(&entry.value)),
                _ => None,
            },
            _ => None,
        })
    };
    body.iter().find_map(|stmt| match stmt {
        Stmt::If(s) => returns_entry(&s.test, &s.body).or_else(|| {
            s.elif_else_clauses.iter().find_map(|c| {
                c.test
                    .as_ref()
                    .and_then(|test| returns_entry(test, &c.body))
            })
        }),
        _ => None,
    })
}

/// `memo` in `memo[i][j]`, `self.memo` in `self.memo[i]`.
fn table_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Subscript(s) => table_name(&s.value),
        _ => crate::static_analysis::syntax::tables::table_key(e),
    }
}

fn looks_up_table(test: &Expr) -> bool {
    match test {
        Expr::Compare(c) => {
            let in_table = c
                .ops
                .iter()
                .any(|op| matches!(op, ruff_python_ast::CmpOp::In));
            let entry = std::iter::once(c.left.as_ref())
                .chain(c.comparators.iter())
                .any(|e| matches!(e, Expr::Subscript(_)));
            in_table || entry
        }
        Expr::Subscript(_) => true,
        Expr::UnaryOp(u) => looks_up_table(&u.operand),
        Expr::BoolOp(b) => b.values.iter().any(looks_up_table),
        _ => false,
    }
}

/// Whether a call of `name` inside the body passes a collection of chosen items as an
/// argument: `tuple(used)`, `frozenset(s)`, `used + (i,)`. Memoised, such a function has a
/// state per subset.
pub fn passes_chosen_items(body: &[Stmt], name: &str) -> bool {
    fn chosen(e: &Expr) -> bool {
        match e {
            Expr::Call(c) => {
                matches!(c.func.as_ref(), Expr::Name(f) if matches!(f.id.as_str(), "tuple" | "frozenset"))
                    && !c.arguments.args.is_empty()
            }
            Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add => {
                matches!(b.right.as_ref(), Expr::Tuple(_))
                    || matches!(b.left.as_ref(), Expr::Tuple(_))
            }
            _ => false,
        }
    }
    any_expr(body, Defs::Enter, |e| {
        callee(e) == Some(name) && matches!(e, Expr::Call(c) if c.arguments.args.iter().any(chosen))
    })
}

/// Parameters that take a fixed number of values however large the input: every recursive
/// call passes a constant or toggles them (`f(i + 1, 0)`, `f(i + 1, not turn)`,
/// `f(i + 1, 1 - side)`). They do not multiply a memoised function's states.
pub fn flag_parameters(def: &StmtFunctionDef, params: &[&str]) -> HashSet<String> {
    let sites = self_calls(&def.body, def.name.as_str());
    if sites.is_empty() {
        return HashSet::new();
    }
    params
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            sites.iter().all(|call| {
                let keyword = call
                    .arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == **p))
                    .map(|k| &k.value);
                // A parameter the call leaves out takes its default: a constant.
                keyword
                    .or_else(|| call.arguments.args.get(*i))
                    .is_none_or(|arg| fixed_or_toggled(arg, p))
            })
        })
        .map(|(_, p)| (*p).to_owned())
        .collect()
}

/// A constant, or `not p`, `1 - p`, `p ^ 1`, `-p`.
fn fixed_or_toggled(arg: &Expr, param: &str) -> bool {
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == param);
    match arg {
        Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::UnaryOp(u) => is_param(&u.operand) || fixed_or_toggled(&u.operand, param),
        Expr::BinOp(b) => {
            let constant = |e: &Expr| matches!(e, Expr::NumberLiteral(_));
            matches!(b.op, Operator::Sub | Operator::BitXor)
                && ((constant(&b.left) && is_param(&b.right))
                    || (is_param(&b.left) && constant(&b.right) && b.op == Operator::BitXor))
        }
        _ => false,
    }
}

/// Every call of `name` (or `self.name`) in the block.
fn self_calls<'a>(body: &'a [Stmt], name: &str) -> Vec<&'a ExprCall> {
    let mut calls = Vec::new();
    any_expr(body, Defs::Skip, |e| {
        if let Expr::Call(c) = e
            && callee(e) == Some(name)
        {
            calls.push(c);
        }
        false
    });
    calls
}
