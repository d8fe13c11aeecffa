//! Sets of loop indices: `rows.add(i)` in `for i in range(n)` (or `for i, row in
//! enumerate(m)`) adds values below the loop's bound, so the set holds at most that many
//! distinct entries however often the add runs (a set of row and column indices filled in a
//! double loop over a matrix holds n, not n^2).

use std::collections::HashMap;

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::static_analysis::syntax::names::collect_assigned;

/// The index a `for` loop binds: `i` in `for i in range(n)` (one argument: values in
/// `0..n`) or `for i, x in enumerate(xs)` (no start: values in `0..len(xs)`).
fn index_of(s: &ruff_python_ast::StmtFor) -> Option<&str> {
    let Expr::Call(c) = s.iter.as_ref() else {
        return None;
    };
    let Expr::Name(f) = c.func.as_ref() else {
        return None;
    };
    let plain = c.arguments.keywords.is_empty();
    match (f.id.as_str(), s.target.as_ref()) {
        ("range", Expr::Name(t)) if plain && c.arguments.args.len() == 1 => Some(t.id.as_str()),
        ("enumerate", Expr::Tuple(t)) if plain && c.arguments.args.len() == 1 => {
            match t.elts.first() {
                Some(Expr::Name(n)) => Some(n.id.as_str()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `body` (its nested loops included) assigns `name`.
fn rebinds(body: &[Stmt], name: &str) -> bool {
    let mut names = Vec::new();
    collect_assigned(body, &mut names, true);
    names.iter().any(|n| n == name)
}

/// Finds `x.add(i)` calls on an index `i` of an enclosing loop that the body never rebinds.
struct IndexAdds<'o> {
    indices: Vec<String>,
    out: &'o mut HashMap<TextSize, String>,
}

impl<'a> Visitor<'a> for IndexAdds<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::For(s) = stmt
            && let Some(index) = index_of(s)
            && !rebinds(&s.body, index)
        {
            self.indices.push(index.to_owned());
            walk_stmt(self, stmt);
            self.indices.pop();
        } else {
            walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(c) = expr
            && let Expr::Attribute(a) = c.func.as_ref()
            && a.attr.as_str() == "add"
            && c.arguments.keywords.is_empty()
            && let [Expr::Name(arg)] = &c.arguments.args[..]
            && self.indices.iter().any(|i| i == arg.id.as_str())
        {
            self.out.insert(a.value.start(), arg.id.to_string());
        }
        walk_expr(self, expr);
    }
}

/// Every `x.add(i)` of `suite` (functions and methods included) whose argument is a loop
/// index, by the start of its receiver (as `marks::marked_additions` keys them) → the index.
pub fn index_adds(suite: &[Stmt], out: &mut HashMap<TextSize, String>) {
    let mut scan = IndexAdds {
        indices: Vec::new(),
        out,
    };
    for stmt in suite {
        scan.visit_stmt(stmt);
    }
}

/// Where `body` grows `name` (`name.add(…)`, `name.append(…)` and the other growing methods):
/// the starts of the receivers, or `None` when it also grows it another way (`name[k] = v`).
pub fn additions(body: &[Stmt], name: &str) -> Option<Vec<TextSize>> {
    let mut starts = Vec::new();
    let mut other = false;
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            match e {
                Expr::Call(c) => {
                    if let Expr::Attribute(a) = c.func.as_ref()
                        && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
                        && crate::static_analysis::syntax::literals::GROWS
                            .contains(&a.attr.as_str())
                    {
                        starts.push(a.value.start());
                    }
                }
                Expr::Subscript(s) => {
                    other |= matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == name);
                }
                _ => {}
            }
            false
        },
    );
    (!other).then_some(starts)
}
