//! Which names an expression reads and a block assigns.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt};

pub fn collect_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::BinOp(b) => {
            collect_names(&b.left, out);
            collect_names(&b.right, out);
        }
        Expr::UnaryOp(u) => collect_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|v| collect_names(v, out)),
        Expr::Compare(c) => {
            collect_names(&c.left, out);
            c.comparators.iter().for_each(|v| collect_names(v, out));
        }
        Expr::Call(c) => c.arguments.args.iter().for_each(|v| collect_names(v, out)),
        Expr::Subscript(s) => {
            collect_names(&s.value, out);
            collect_names(&s.slice, out);
        }
        Expr::Attribute(a) => {
            if let Some(name) = dotted(e) {
                out.insert(name);
            }
            collect_names(&a.value, out);
        }
        _ => {}
    }
}

/// `self.size` as one name: an attribute of a variable is tested and updated like a variable
/// (`Walker::lookup` resolves it).
pub fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(n) => Some(format!("{}.{}", n.id, a.attr)),
            _ => None,
        },
        _ => None,
    }
}

/// Names assigned in a block, optionally descending into nested loops.
pub fn collect_assigned(body: &[Stmt], out: &mut Vec<String>, into_loops: bool) {
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| target_names(t, out)),
            Stmt::AnnAssign(s) => target_names(&s.target, out),
            Stmt::If(s) => {
                collect_assigned(&s.body, out, into_loops);
                for c in &s.elif_else_clauses {
                    collect_assigned(&c.body, out, into_loops);
                }
            }
            Stmt::For(s) => {
                target_names(&s.target, out);
                if into_loops {
                    collect_assigned(&s.body, out, into_loops);
                }
            }
            Stmt::While(s) if into_loops => collect_assigned(&s.body, out, into_loops),
            Stmt::With(s) => collect_assigned(&s.body, out, into_loops),
            Stmt::Try(s) => collect_assigned(&s.body, out, into_loops),
            _ => {}
        }
    }
}

pub fn target_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::Attribute(_) => out.extend(dotted(e)),
        _ => {}
    }
}

/// `x = value` assignments of a single name at the top of a block (and in its `if`s): what a
/// name stands for when it is used once later (`p = (i - 1) // 2; …; i = p`). A name assigned
/// twice keeps its first value.
pub fn simple_assignments(body: &[Stmt]) -> std::collections::HashMap<String, &Expr> {
    let mut out = std::collections::HashMap::new();
    fn scan<'e>(body: &'e [Stmt], out: &mut std::collections::HashMap<String, &'e Expr>) {
        for stmt in body {
            match stmt {
                Stmt::Assign(s) => {
                    if let [Expr::Name(n)] = s.targets.as_slice() {
                        out.entry(n.id.to_string()).or_insert(s.value.as_ref());
                    }
                }
                Stmt::If(s) => {
                    scan(&s.body, out);
                    for c in &s.elif_else_clauses {
                        scan(&c.body, out);
                    }
                }
                _ => {}
            }
        }
    }
    scan(body, &mut out);
    out
}

pub fn all_assigned(body: &[Stmt]) -> HashSet<String> {
    let mut names = Vec::new();
    collect_assigned(body, &mut names, false);
    names.into_iter().collect()
}

pub fn subscripted_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Subscript(s) => {
            if let Expr::Name(n) = s.value.as_ref() {
                out.insert(n.id.to_string());
            }
        }
        Expr::Compare(c) => {
            subscripted_names(&c.left, out);
            c.comparators.iter().for_each(|x| subscripted_names(x, out));
        }
        Expr::UnaryOp(u) => subscripted_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|x| subscripted_names(x, out)),
        _ => {}
    }
}

/// The test reads `seen[x]` and the body assigns `seen[…]`. A store that copies an element
/// of the same table (`a[j + 1] = a[j]`, insertion sort's shift) moves elements rather than
/// marking them: the shifted entries are tested again.
pub fn marks_tested(body: &[Stmt], test: &Expr) -> bool {
    let mut tables = HashSet::new();
    subscripted_names(test, &mut tables);
    !tables.is_empty()
        && body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => a.targets.iter().any(|t| {
                matches!(t, Expr::Subscript(s) if matches!(s.value.as_ref(), Expr::Name(n)
                    if tables.contains(n.id.as_str()) && !reads_element_of(&a.value, n.id.as_str())))
            }),
            _ => false,
        })
}

/// Whether `e` reads an element of the sequence `name` (`name[…]`).
pub fn reads_element_of(e: &Expr, name: &str) -> bool {
    crate::static_analysis::syntax::scan::any_in(
        std::slice::from_ref(e),
        |x| matches!(x, Expr::Subscript(s) if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)),
    )
}

/// The argument of a rounding call (`int(x)`, `math.floor(x)`, `ceil(x)`), which keeps the
/// magnitude of `x`; any other expression is returned as it is.
pub fn unrounded(e: &Expr) -> &Expr {
    match e {
        Expr::Call(c)
            if c.arguments.args.len() == 1
                && matches!(
                    crate::static_analysis::syntax::literals::callee_name(c).as_str(),
                    "int" | "floor" | "ceil" | "trunc" | "round"
                ) =>
        {
            unrounded(&c.arguments.args[0])
        }
        _ => e,
    }
}
