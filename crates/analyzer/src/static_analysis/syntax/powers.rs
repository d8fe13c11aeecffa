//! Powers, exponents, bitmasks, midpoints and squares: the shapes behind log n, sqrt n and 2^n.

use std::collections::HashSet;

use ruff_python_ast::{BoolOp, CmpOp, Expr, Operator, Stmt};

use crate::static_analysis::syntax::patterns::*;

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
    use crate::static_analysis::syntax::scan::{Defs, any_expr};
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
    use crate::static_analysis::syntax::scan::{Defs, any_expr};
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

pub fn halves(op: Operator) -> bool {
    matches!(op, Operator::FloorDiv | Operator::RShift | Operator::Div)
}

/// A midpoint of two names: `(lo + hi) // 2`, `lo + (hi - lo) // 2`, `int((l + r) / 2)`.
pub fn midpoint(e: &Expr) -> Option<HashSet<String>> {
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
