//! Where a loop can be left: exits, early returns and the conditions that cap numbers.

use std::collections::HashSet;

use ruff_python_ast::{BoolOp, CmpOp, Expr, Stmt};

use crate::static_analysis::syntax::patterns::*;

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
pub fn is_ordering(e: &Expr) -> bool {
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
                && crate::static_analysis::syntax::literals::is_small_constant(bound)
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
