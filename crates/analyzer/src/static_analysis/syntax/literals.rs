//! Literals and names whose meaning the rules share: small constants, callee names, the
//! methods that grow their receiver.

use ruff_python_ast::{Expr, ExprCall, Number, Operator};

/// Integer literals at least this large are treated as input-sized bounds (`10**5`, `2*10**5`):
/// competitive programs size their tables by the input's limit.
pub const LARGE_LITERAL: u64 = 100_000;

/// The value of a constant integer expression such as `10**9 + 7` or `1 << 20`, saturating.
pub fn literal_value(e: &Expr, depth: u32) -> Option<u64> {
    if depth > 16 {
        return None;
    }
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Some(i.as_u64().unwrap_or(u64::MAX)),
            _ => None,
        },
        Expr::BinOp(b) => {
            let l = literal_value(&b.left, depth + 1)?;
            let r = literal_value(&b.right, depth + 1)?;
            Some(match b.op {
                Operator::Add => l.saturating_add(r),
                Operator::Sub => l.saturating_sub(r),
                Operator::Mult => l.saturating_mul(r),
                Operator::Pow => l.saturating_pow(u32::try_from(r).unwrap_or(u32::MAX)),
                Operator::LShift => {
                    if r >= 64 {
                        u64::MAX
                    } else {
                        l.saturating_mul(1u64 << r)
                    }
                }
                Operator::FloorDiv | Operator::Div if r > 0 => l / r,
                Operator::Mod if r > 0 => l % r,
                _ => return None,
            })
        }
        _ => None,
    }
}

/// A constant expression below `LARGE_LITERAL` in magnitude (`26`, `-1`, `10 ** 3`).
pub fn is_small_constant(e: &Expr) -> bool {
    match e {
        Expr::UnaryOp(u) => is_small_constant(&u.operand),
        _ => literal_value(e, 0).is_some_and(|v| v < LARGE_LITERAL),
    }
}

pub fn callee_name(call: &ExprCall) -> String {
    match call.func.as_ref() {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => a.attr.to_string(),
        _ => "call".to_owned(),
    }
}

/// Methods that add an element to their receiver.
pub const GROWS: &[&str] = &[
    "append",
    "appendleft",
    "add",
    "insert",
    "extend",
    "update",
    "setdefault",
    "push",
    "put",
];
