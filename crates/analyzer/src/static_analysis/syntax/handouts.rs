//! Functions that hand out a new instance on every call: `insert(root, key)` that builds a
//! `Node(key)` and either returns it or links it under an existing node. What such a call's
//! caller stores back (`root = insert(root, key)`) keeps every instance it made alive.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::static_analysis::syntax::scan::callee;

/// Whether `def` constructs an instance of a class `is_class` knows (`Node(key)`, directly or
/// through a local `node = Node(key)`) and hands it on: returns it on some path
/// (`return Node(key)`, `return node`) or stores it into an attribute (`cur.left = node`),
/// where it hangs under a structure the caller holds.
pub fn hands_out_new_instance(def: &StmtFunctionDef, is_class: impl Fn(&str) -> bool) -> bool {
    let constructs = |e: &Expr| {
        matches!(e, Expr::Call(c)
        if matches!(c.func.as_ref(), Expr::Name(_)) && callee(e).is_some_and(&is_class))
    };
    let mut locals = HashSet::new();
    collect_constructed(&def.body, &constructs, &mut locals);
    let fresh =
        |e: &Expr| constructs(e) || matches!(e, Expr::Name(n) if locals.contains(n.id.as_str()));
    hands_on(&def.body, &fresh)
}

/// Names bound to a constructor call anywhere in `body` (nested `def`s aside).
fn collect_constructed(
    body: &[Stmt],
    constructs: &impl Fn(&Expr) -> bool,
    out: &mut HashSet<String>,
) {
    for stmt in body {
        match stmt {
            Stmt::Assign(a) if constructs(&a.value) => {
                for t in &a.targets {
                    if let Expr::Name(n) = t {
                        out.insert(n.id.to_string());
                    }
                }
            }
            Stmt::If(s) => {
                collect_constructed(&s.body, constructs, out);
                for clause in &s.elif_else_clauses {
                    collect_constructed(&clause.body, constructs, out);
                }
            }
            Stmt::While(s) => collect_constructed(&s.body, constructs, out),
            Stmt::For(s) => collect_constructed(&s.body, constructs, out),
            _ => {}
        }
    }
}

/// Whether a statement of `body` returns a fresh instance or stores one into an attribute.
fn hands_on(body: &[Stmt], fresh: &impl Fn(&Expr) -> bool) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Return(r) => r.value.as_deref().is_some_and(fresh),
        Stmt::Assign(a) => {
            fresh(&a.value) && a.targets.iter().any(|t| matches!(t, Expr::Attribute(_)))
        }
        Stmt::If(s) => {
            hands_on(&s.body, fresh) || s.elif_else_clauses.iter().any(|c| hands_on(&c.body, fresh))
        }
        Stmt::While(s) => hands_on(&s.body, fresh),
        Stmt::For(s) => hands_on(&s.body, fresh),
        _ => false,
    })
}

/// For `permutations(a)` and `permutations(a, r)` / `combinations(a, r)` (itertools, which make
/// tuples one at a time): whether each tuple can be as long as `a` (no `r`, or an `r` that is
/// not a literal). `None` for anything else.
pub fn tuple_length(iter: &Expr) -> Option<bool> {
    let Expr::Call(c) = iter else { return None };
    let name = match c.func.as_ref() {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(m) if m.id.as_str() == "itertools") => {
            a.attr.as_str()
        }
        _ => return None,
    };
    let r = c.arguments.args.get(1);
    match name {
        "permutations" => Some(!matches!(r, Some(Expr::NumberLiteral(_)))),
        "combinations" => Some(r.is_some_and(|r| !matches!(r, Expr::NumberLiteral(_)))),
        _ => None,
    }
}
