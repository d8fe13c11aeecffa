//! Ranges a loop has narrowed: after `while hi - lo > 2:` (with no `break` inside) the loop
//! only ends once `hi - lo <= 2`, so a following `for i in range(lo, hi + 1)` (neither end
//! rebound in between) has at most a few steps (a ternary search's final scan).

use std::collections::HashSet;

use ruff_python_ast::visitor::{Visitor, walk_stmt};
use ruff_python_ast::{CmpOp, Expr, Operator, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::static_analysis::syntax::literals::is_small_constant;
use crate::static_analysis::syntax::names::collect_assigned;

/// `(lo, hi)` when a `while` test keeps looping while `hi - lo` exceeds a small constant:
/// `hi - lo > k`, `hi - lo >= k`, `k < hi - lo`, `lo + k < hi`, `lo + k <= hi`.
fn narrowed_pair(test: &Expr) -> Option<(String, String)> {
    let Expr::Compare(c) = test else { return None };
    let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
        return None;
    };
    let (big, small) = match op {
        CmpOp::Gt | CmpOp::GtE => (c.left.as_ref(), right),
        CmpOp::Lt | CmpOp::LtE => (right, c.left.as_ref()),
        _ => return None,
    };
    let name = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        _ => None,
    };
    match (big, small) {
        // `hi - lo > k`
        (Expr::BinOp(d), k) if d.op == Operator::Sub && is_small_constant(k) => {
            Some((name(&d.right)?, name(&d.left)?))
        }
        // `lo + k < hi`
        (hi, Expr::BinOp(s)) if s.op == Operator::Add && is_small_constant(&s.right) => {
            Some((name(&s.left)?, name(hi)?))
        }
        _ => None,
    }
}

/// Whether `body` breaks out of its own loop (a `break` outside nested loops).
fn breaks(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Break(_) => true,
        Stmt::If(s) => breaks(&s.body) || s.elif_else_clauses.iter().any(|c| breaks(&c.body)),
        Stmt::With(s) => breaks(&s.body),
        Stmt::Try(s) => breaks(&s.body) || breaks(&s.orelse) || breaks(&s.finalbody),
        _ => false,
    })
}

/// `range(lo, hi)`, `range(lo, hi + k)` with `k` a small constant.
fn spans(iter: &Expr, lo: &str, hi: &str) -> bool {
    let Expr::Call(c) = iter else { return false };
    let is = |e: &Expr, name: &str| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "range")
        && c.arguments.keywords.is_empty()
        && match &c.arguments.args[..] {
            [start, end] => {
                is(start, lo)
                    && (is(end, hi)
                        || matches!(end, Expr::BinOp(b) if b.op == Operator::Add
                            && is(&b.left, hi) && is_small_constant(&b.right)))
            }
            _ => false,
        }
}

/// The `for` loops of one block that follow a narrowing `while` over their range's ends.
fn narrowed_in_block(block: &[Stmt], out: &mut HashSet<TextSize>) {
    let mut narrowed: Vec<(String, String)> = Vec::new();
    for stmt in block {
        if let Stmt::For(f) = stmt
            && narrowed.iter().any(|(lo, hi)| spans(&f.iter, lo, hi))
        {
            out.insert(f.start());
        }
        let mut assigned = Vec::new();
        collect_assigned(std::slice::from_ref(stmt), &mut assigned, true);
        narrowed.retain(|(lo, hi)| !assigned.iter().any(|n| n == lo || n == hi));
        if let Stmt::While(w) = stmt
            && w.orelse.is_empty()
            && !breaks(&w.body)
            && let Some(pair) = narrowed_pair(&w.test)
        {
            narrowed.push(pair);
        }
    }
}

struct Blocks<'o> {
    out: &'o mut HashSet<TextSize>,
}

impl<'a> Visitor<'a> for Blocks<'_> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        narrowed_in_block(body, self.out);
        for stmt in body {
            self.visit_stmt(stmt);
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        walk_stmt(self, stmt);
    }
}

/// The starts of every `for` loop of `suite` whose range a preceding `while` narrowed to a
/// few values.
pub fn narrowed_fors(suite: &[Stmt], out: &mut HashSet<TextSize>) {
    Blocks { out }.visit_body(suite);
}
