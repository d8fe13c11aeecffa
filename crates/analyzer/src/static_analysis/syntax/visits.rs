//! Visited marks of recursive traversals: the table a function marks its nodes in, how it
//! tests them before recursing, and whether it clears them afterwards (backtracking).

use std::collections::HashSet;

use ruff_python_ast::{CmpOp, Expr, Stmt, UnaryOp};

/// `visited[v] = True`, `seen.add(v)`: the function marks nodes so each is entered once.
/// Returns the table of marks (`visited`, `self.seen`; `seen` for `seen[x][y]`).
pub fn marked_table(body: &[Stmt]) -> Option<String> {
    let base = |mut e: &Expr| {
        while let Expr::Subscript(s) = e {
            e = &s.value;
        }
        match e {
            Expr::Name(n) => n.id.to_string(),
            _ => crate::static_analysis::syntax::patterns::dotted(e).unwrap_or_default(),
        }
    };
    body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(s)
            if matches!(s.value.as_ref(), Expr::BooleanLiteral(b) if b.value)
                || matches!(
                    s.value.as_ref(),
                    Expr::NumberLiteral(_) | Expr::StringLiteral(_)
                ) =>
        {
            s.targets
                .iter()
                .find(|t| matches!(t, Expr::Subscript(_)))
                .map(base)
        }
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Call(c) => match c.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "add" => Some(base(&a.value)),
                _ => None,
            },
            _ => None,
        },
        Stmt::If(s) => marked_table(&s.body).or_else(|| {
            s.elif_else_clauses
                .iter()
                .find_map(|c| marked_table(&c.body))
        }),
        Stmt::For(s) => marked_table(&s.body),
        _ => None,
    })
}

/// `grid[r][c] = '0'`, `seen[x][y] = True`, `seen.add((r, c))`: the marks are the cells of a grid, n² of them in
/// all when each side is an input size.
pub fn marks_cells(body: &[Stmt], table: &str) -> bool {
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            let stores_cell = matches!(e, Expr::Subscript(s) if s.ctx.is_store()
                && matches!(s.value.as_ref(), Expr::Subscript(row)
                    if matches!(row.value.as_ref(), Expr::Name(t) if t.id.as_str() == table)));
            // `seen.add((r, c))`: the marks are pairs of coordinates.
            let adds_pair = matches!(e, Expr::Call(c)
                if matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "add"
                    && matches!(a.value.as_ref(), Expr::Name(t) if t.id.as_str() == table))
                && matches!(c.arguments.args.first(), Some(Expr::Tuple(p)) if p.elts.len() == 2));
            stores_cell || adds_pair
        },
    )
}

/// `comp[u] = c` with `if comp[v] == -1: f(v, c)`: a store of any value is a visited mark
/// when the function only recurses into entries still holding the table's initial sentinel
/// (`== -1`, `== 0`, `is None`, `not t[v]`), or returns at once from a marked one
/// (`if comp[u] != -1: return`). Returns the table.
pub fn sentinel_marks(body: &[Stmt], function: &str) -> Option<String> {
    let stored = body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().find_map(|t| match t {
            Expr::Subscript(s) => match s.value.as_ref() {
                Expr::Name(n) => Some(n.id.as_str()),
                _ => None,
            },
            _ => None,
        }),
        _ => None,
    })?;
    let on_table = |e: &Expr| {
        matches!(e, Expr::Subscript(s)
            if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == stored))
    };
    let sentinel = |e: &Expr| match e {
        Expr::NoneLiteral(_) | Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => matches!(u.operand.as_ref(), Expr::NumberLiteral(_)),
        _ => false,
    };
    let tests_unmarked = |test: &Expr| match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => on_table(&u.operand),
        Expr::Compare(c) => {
            c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::Eq | CmpOp::Is)
                && on_table(&c.left)
                && sentinel(&c.comparators[0])
        }
        _ => false,
    };
    let tests_marked = |test: &Expr| match test {
        Expr::Compare(c) => {
            c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::NotEq | CmpOp::IsNot)
                && on_table(&c.left)
                && sentinel(&c.comparators[0])
        }
        _ => on_table(test),
    };
    let guarded_call = |stmt: &Stmt| {
        matches!(stmt, Stmt::If(i) if tests_unmarked(&i.test)
            && crate::static_analysis::syntax::scan::calls_any(&i.body, &[function]))
    };
    // Or `if comp[u] != -1: return` at the top: a bare return, not a memo's answer.
    let leaves_marked = |stmt: &Stmt| {
        matches!(stmt, Stmt::If(i) if tests_marked(&i.test)
            && matches!(i.body.as_slice(), [Stmt::Return(r)] if r.value.is_none()))
    };
    body.iter()
        .any(|stmt| {
            leaves_marked(stmt) || matches!(stmt, Stmt::For(f) if f.body.iter().any(guarded_call))
        })
        .then(|| stored.to_owned())
}

/// `used[i] = True … f(…) … used[i] = False`, `cols.add(c) … cols.remove(c)`: the function
/// clears the marks it set once the recursive call returns, so a node can be entered again on
/// another path: backtracking, not a traversal.
pub fn unmarks(body: &[Stmt]) -> bool {
    fn base(e: &Expr) -> Option<String> {
        match e {
            Expr::Subscript(s) => base(&s.value),
            Expr::Name(n) => Some(n.id.to_string()),
            _ => None,
        }
    }
    fn scan(body: &[Stmt], marked: &mut HashSet<String>, cleared: &mut HashSet<String>) {
        for stmt in body {
            match stmt {
                Stmt::Assign(s) => {
                    let set = match s.value.as_ref() {
                        Expr::BooleanLiteral(b) => Some(b.value),
                        Expr::NumberLiteral(n) => Some(
                            !matches!(&n.value, ruff_python_ast::Number::Int(i) if i.as_u64() == Some(0)),
                        ),
                        _ => None,
                    };
                    for t in &s.targets {
                        if let (Expr::Subscript(_), Some(set), Some(name)) = (t, set, base(t)) {
                            if set {
                                marked.insert(name);
                            } else {
                                cleared.insert(name);
                            }
                        }
                    }
                }
                Stmt::Expr(e) => {
                    if let Expr::Call(c) = e.value.as_ref()
                        && let Expr::Attribute(a) = c.func.as_ref()
                        && let Some(name) = base(&a.value)
                    {
                        match a.attr.as_str() {
                            "add" => {
                                marked.insert(name);
                            }
                            "remove" | "discard" => {
                                cleared.insert(name);
                            }
                            _ => {}
                        }
                    }
                }
                Stmt::If(s) => {
                    scan(&s.body, marked, cleared);
                    for c in &s.elif_else_clauses {
                        scan(&c.body, marked, cleared);
                    }
                }
                Stmt::For(s) => scan(&s.body, marked, cleared),
                Stmt::While(s) => scan(&s.body, marked, cleared),
                _ => {}
            }
        }
    }
    let (mut marked, mut cleared) = (HashSet::new(), HashSet::new());
    scan(body, &mut marked, &mut cleared);
    marked.intersection(&cleared).next().is_some()
}

/// Whether an `if` at the top of the function tests an entry of a table the function marks
/// (`if seen[x][y]: return` … `seen[x][y] = True`, `if v in seen` … `seen.add(v)`): a visited
/// mark that stops a second entry, not a choice recorded on the way down.
pub fn guards_on_marks(body: &[Stmt], function: &str) -> bool {
    fn base(e: &Expr) -> Option<&str> {
        match e {
            Expr::Subscript(s) => base(&s.value),
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }
    }
    let mut marked = HashSet::new();
    for stmt in body {
        match stmt {
            Stmt::Assign(a)
                if matches!(
                    a.value.as_ref(),
                    Expr::BooleanLiteral(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_)
                ) =>
            {
                marked.extend(
                    a.targets
                        .iter()
                        .filter(|t| matches!(t, Expr::Subscript(_)))
                        .filter_map(base),
                );
            }
            Stmt::Expr(e) => {
                if let Expr::Call(c) = e.value.as_ref()
                    && let Expr::Attribute(a) = c.func.as_ref()
                    && a.attr.as_str() == "add"
                {
                    marked.extend(base(&a.value));
                }
            }
            _ => {}
        }
    }
    let tests_marks = |test: &Expr| {
        crate::static_analysis::syntax::scan::any_in(std::slice::from_ref(test), |e| match e {
            Expr::Subscript(_) => base(e).is_some_and(|b| marked.contains(b)),
            Expr::Compare(c) => c
                .comparators
                .iter()
                .any(|x| base(x).is_some_and(|b| marked.contains(b))),
            _ => false,
        })
    };
    // Or, in a loop over the neighbours, an `if` on the marks around the call itself.
    let guarded_calls = |body: &[Stmt]| {
        body.iter().any(|stmt| {
            matches!(stmt, Stmt::If(i) if tests_marks(&i.test)
                && crate::static_analysis::syntax::scan::calls_any(&i.body, &[function]))
        })
    };
    body.iter().any(|stmt| match stmt {
        Stmt::If(i) => tests_marks(&i.test),
        Stmt::For(f) => guarded_calls(&f.body),
        _ => false,
    })
}
