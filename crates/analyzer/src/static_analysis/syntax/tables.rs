//! Tables of links (union-find parents): which table a loop follows, whether it tests for a
//! root, and which tables a function rewrites, for amortising `find`.

use std::collections::HashSet;

use ruff_python_ast::{CmpOp, Expr, Stmt};

use crate::static_analysis::syntax::patterns::{all_assigned, collect_names, dotted};

/// `x = parent[x]` (or `x = self.parent[x]`) in the block: the table whose links `var` follows.
pub fn chased_table(body: &[Stmt], var: &str) -> Option<String> {
    body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(a) => {
            let [Expr::Name(t)] = a.targets.as_slice() else {
                return None;
            };
            let Expr::Subscript(s) = a.value.as_ref() else {
                return None;
            };
            let mut names = HashSet::new();
            collect_names(&s.slice, &mut names);
            (t.id.as_str() == var && names.contains(var)).then(|| table_key(&s.value))?
        }
        Stmt::If(i) => chased_table(&i.body, var),
        _ => None,
    })
}

/// `parent[x] != x`: the test of a union-find root, a node that is its own parent. Returns
/// the table and the node.
pub fn root_test(test: &Expr) -> Option<(String, String)> {
    let Expr::Compare(c) = test else { return None };
    if c.ops.len() != 1 || !matches!(c.ops[0], CmpOp::NotEq | CmpOp::IsNot) {
        return None;
    }
    let (left, right) = (c.left.as_ref(), &c.comparators[0]);
    let entry = |e: &Expr, node: &Expr| match (e, node) {
        (Expr::Subscript(s), Expr::Name(x)) if matches!(s.slice.as_ref(), Expr::Name(i) if i.id == x.id) => {
            table_key(&s.value).map(|t| (t, x.id.to_string()))
        }
        _ => None,
    };
    entry(left, right).or_else(|| entry(right, left))
}

/// `while parent[x] != root: nxt = parent[x]; parent[x] = root; x = nxt`: a loop that
/// redirects every link it follows (the second pass of path compression).
pub fn redirects_links(test: &Expr, body: &[Stmt]) -> bool {
    let Expr::Compare(c) = test else { return false };
    if c.ops.len() != 1 || !matches!(c.ops[0], CmpOp::NotEq | CmpOp::IsNot) {
        return false;
    }
    let Expr::Subscript(entry) = c.left.as_ref() else {
        return false;
    };
    let (Some(table), Expr::Name(node)) = (table_key(&entry.value), entry.slice.as_ref()) else {
        return false;
    };
    let is_entry = |t: &Expr| {
        matches!(t, Expr::Subscript(s) if table_key(&s.value).as_deref() == Some(table.as_str())
            && matches!(s.slice.as_ref(), Expr::Name(i) if i.id == node.id))
    };
    // Also `parent[x], x = root, parent[x]`, both steps in one assignment.
    let stores_entry = body.iter().any(|stmt| {
        matches!(stmt, Stmt::Assign(a) if a.targets.iter().any(|t| match t {
            Expr::Tuple(parts) => parts.elts.iter().any(is_entry),
            t => is_entry(t),
        }))
    });
    stores_entry && all_assigned(body).contains(node.id.as_str())
}

/// `parent` or `self.parent`: the name a table goes by.
pub fn table_key(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        _ => dotted(e),
    }
}

/// Tables the block stores into (`parent[x] = root`, `self.p[x] = …`), outside nested
/// functions.
pub fn stored_tables(body: &[Stmt], out: &mut HashSet<String>) {
    use ruff_python_ast::visitor::{Visitor, walk_stmt};
    struct Finder<'o> {
        out: &'o mut HashSet<String>,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > 100 || matches!(stmt, Stmt::FunctionDef(_)) {
                return;
            }
            if let Stmt::Assign(a) = stmt {
                for t in &a.targets {
                    let parts: Vec<&Expr> = match t {
                        Expr::Tuple(tuple) => tuple.elts.iter().collect(),
                        other => vec![other],
                    };
                    for part in parts {
                        if let Expr::Subscript(s) = part {
                            self.out.extend(table_key(&s.value));
                        }
                    }
                }
            }
            self.depth += 1;
            walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }
    let mut finder = Finder { out, depth: 0 };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
}
